/* SPDX-License-Identifier: Apache-2.0 */
/* The priority matrix of a policy: the default is the design's, setting and
 * getting it with its range errors, and the priority records derive from
 * impact and urgency under the default and another matrix. */
#include "policy_check.h"

/* ---- priority matrix -------------------------------------------------------- */

static const int design_matrix[3][3] = { { 1, 2, 3 }, { 2, 3, 4 }, { 3, 4, 5 } };

static void default_priority_matrix_is_the_design_one(void **state)
{
    (void)state;
    itsm_policy *d, *e;
    assert_ok(itsm_policy_new_default(&d, NULL));
    assert_ok(itsm_policy_new_empty(&e, NULL));
    for (int i = 1; i <= 3; i++)
        for (int u = 1; u <= 3; u++) {
            assert_int_equal(itsm_policy_priority(d, i, u), design_matrix[i - 1][u - 1]);
            assert_int_equal(itsm_policy_priority(e, i, u), design_matrix[i - 1][u - 1]);
        }
    /* Spelled out as DESIGN.md section 4 has it. */
    assert_int_equal(itsm_policy_priority(d, 1, 1), 1);
    assert_int_equal(itsm_policy_priority(d, 1, 2), 2);
    assert_int_equal(itsm_policy_priority(d, 2, 1), 2);
    assert_int_equal(itsm_policy_priority(d, 1, 3), 3);
    assert_int_equal(itsm_policy_priority(d, 2, 2), 3);
    assert_int_equal(itsm_policy_priority(d, 3, 1), 3);
    assert_int_equal(itsm_policy_priority(d, 2, 3), 4);
    assert_int_equal(itsm_policy_priority(d, 3, 2), 4);
    assert_int_equal(itsm_policy_priority(d, 3, 3), 5);
    itsm_policy_free(d);
    itsm_policy_free(e);
}

static void priority_matrix_set_get_and_range_errors(void **state)
{
    (void)state;
    itsm_policy *p;
    assert_ok(itsm_policy_new_default(&p, NULL));
    assert_ok(itsm_policy_set_priority(p, 3, 3, 4));
    assert_int_equal(itsm_policy_priority(p, 3, 3), 4);
    assert_ok(itsm_policy_set_priority(p, 1, 3, 1));
    assert_int_equal(itsm_policy_priority(p, 1, 3), 1);
    assert_int_equal(itsm_policy_priority(p, 3, 1), 3);   /* the matrix need not be symmetric */
    const int bad[][3] = { { 0, 1, 1 }, { 4, 1, 1 }, { 1, 0, 1 }, { 1, 4, 1 }, { -1, -1, 1 } };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_pfails(p, itsm_policy_set_priority(p, bad[i][0], bad[i][1], bad[i][2]), ITSM_EINVAL,
                      "impact and urgency must be 1..3");
    assert_pfails(p, itsm_policy_set_priority(p, 1, 1, 0), ITSM_EINVAL, "priority must be 1..5 (got 0)");
    assert_pfails(p, itsm_policy_set_priority(p, 1, 1, 6), ITSM_EINVAL, "priority must be 1..5 (got 6)");
    assert_int_equal(itsm_policy_priority(p, 1, 1), 1);   /* unchanged by the refusals */
    assert_int_equal(itsm_policy_set_priority(NULL, 1, 1, 1), ITSM_EINVAL);
    assert_int_equal(itsm_policy_priority(p, 0, 1), 0);
    assert_int_equal(itsm_policy_priority(p, 1, 4), 0);
    assert_int_equal(itsm_policy_priority(p, 4, 4), 0);
    assert_int_equal(itsm_policy_priority(NULL, 1, 1), 0);
    itsm_policy_free(p);
}

static itsm_record *open_iu(fixture *f, int impact, int urgency)
{
    itsm_change init[2];
    size_t n = 0;
    if (impact) {
        itsm_change c = { ITSM_F_IMPACT, NULL, impact };
        init[n++] = c;
    }
    if (urgency) {
        itsm_change c = { ITSM_F_URGENCY, NULL, urgency };
        init[n++] = c;
    }
    itsm_record_opts o = ITSM_RECORD_OPTS_INIT;
    o.fields = n ? init : NULL;
    o.nfields = n;
    itsm_record *r;
    assert_ok(itsm_record_open(&r, f->eng, &o));
    return r;
}

static void record_priority_is_derived_from_impact_and_urgency(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    for (int i = 1; i <= 3; i++)
        for (int u = 1; u <= 3; u++) {
            itsm_record *r = open_iu(&f, i, u);
            assert_int_equal(itsm_record_int(r, ITSM_F_PRIORITY), design_matrix[i - 1][u - 1]);
        }
    /* One of the two is not enough. */
    itsm_record *r = open_iu(&f, 1, 0);
    assert_false(itsm_record_has(r, ITSM_F_PRIORITY));
    assert_ok(itsm_record_set_int(r, ITSM_F_URGENCY, 1));
    assert_int_equal(itsm_record_int(r, ITSM_F_PRIORITY), 1);
    /* Re-derived when either changes, by update or with an event. */
    assert_ok(itsm_record_set_int(r, ITSM_F_IMPACT, 3));
    assert_int_equal(itsm_record_int(r, ITSM_F_PRIORITY), 3);
    assert_ok(itsm_record_set_int(r, ITSM_F_URGENCY, 3));
    assert_int_equal(itsm_record_int(r, ITSM_F_PRIORITY), 5);
    itsm_change c[] = { { ITSM_F_ASSIGNMENT_GROUP, "network", 0 }, { ITSM_F_IMPACT, NULL, 2 } };
    assert_ok(itsm_record_fire(r, "assign", c, 2));
    assert_int_equal(itsm_record_int(r, ITSM_F_PRIORITY), 4);
    /* A priority set by hand with the change wins over the matrix ... */
    itsm_change hand[] = { { ITSM_F_URGENCY, NULL, 1 }, { ITSM_F_PRIORITY, NULL, 1 } };
    assert_ok(itsm_record_update(r, hand, 2));
    assert_int_equal(itsm_record_int(r, ITSM_F_PRIORITY), 1);
    /* ... and a later change of impact or urgency derives it again. */
    assert_ok(itsm_record_set_int(r, ITSM_F_IMPACT, 3));
    assert_int_equal(itsm_record_int(r, ITSM_F_PRIORITY), 3);
    /* A hand-set priority without impact and urgency stays. */
    itsm_change only[] = { { ITSM_F_PRIORITY, NULL, 2 } };
    itsm_record_opts o = ITSM_RECORD_OPTS_INIT;
    o.fields = only;
    o.nfields = 1;
    assert_ok(itsm_record_open(&r, f.eng, &o));
    assert_int_equal(itsm_record_int(r, ITSM_F_PRIORITY), 2);
    /* Out-of-range values are refused, nothing derived. */
    assert_fails(f.eng, itsm_record_set_int(r, ITSM_F_IMPACT, 4), ITSM_EINVAL, "impact");
    assert_fails(f.eng, itsm_record_set_int(r, ITSM_F_URGENCY, 0), ITSM_EINVAL, "urgency");
    assert_fails(f.eng, itsm_record_set_int(r, ITSM_F_PRIORITY, 6), ITSM_EINVAL, "priority");
    assert_int_equal(itsm_record_int(r, ITSM_F_PRIORITY), 2);
    assert_replays_the_same(f.eng, &f.store);
    fixture_close(&f);
}

static void a_policy_with_another_matrix_changes_the_derivation(void **state)
{
    (void)state;
    itsm_policy *p;
    assert_ok(itsm_policy_new_default(&p, NULL));
    /* Urgency-first: the priority is the urgency, plus one for low impact. */
    for (int i = 1; i <= 3; i++)
        for (int u = 1; u <= 3; u++)
            assert_ok(itsm_policy_set_priority(p, i, u, u + (i == 3 ? 2 : 0)));
    fixture f;
    fixture_open_with(&f, p, NULL);
    itsm_policy_set_priority(p, 1, 1, 5);   /* the engine copied the matrix */
    for (int i = 1; i <= 3; i++)
        for (int u = 1; u <= 3; u++) {
            itsm_record *r = open_iu(&f, i, u);
            assert_int_equal(itsm_record_int(r, ITSM_F_PRIORITY), u + (i == 3 ? 2 : 0));
        }
    itsm_record *r = open_iu(&f, 1, 1);
    assert_ok(itsm_record_set_int(r, ITSM_F_IMPACT, 3));
    assert_int_equal(itsm_record_int(r, ITSM_F_PRIORITY), 3);
    assert_int_equal(itsm_policy_priority(itsm_engine_policy(f.eng), 1, 1), 1);
    fixture_close(&f);
    itsm_policy_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(default_priority_matrix_is_the_design_one),
        cmocka_unit_test(priority_matrix_set_get_and_range_errors),
        cmocka_unit_test(record_priority_is_derived_from_impact_and_urgency),
        cmocka_unit_test(a_policy_with_another_matrix_changes_the_derivation),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
