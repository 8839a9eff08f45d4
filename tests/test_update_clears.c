/* SPDX-License-Identifier: Apache-2.0 */
/* A symbol field cleared by an update or a step (its value NULL) goes
 * straight into the event when it is valid as it stands - a field the
 * caller may set, not given yet in the call (core/finalise.c,
 * itsm__propose_all: nothing to check, no lookup) - and is refused as
 * before otherwise: the same field given twice, whether both clear it or
 * one sets it. Black-box: the public API and the stored events. */
#include "sla/sla_support.h"

/* A clear among other changes empties the field and keeps the rest; a
 * clear of an unset field (the caller) is a change all the same; a replay gives the
 * same records. */
static void an_update_clears_a_symbol_among_other_changes(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *r = open_inc(&f, 2, 2, NULL);
    start_work(r);
    itsm_change set[3] = { { ITSM_F_CATEGORY, "mail", 0 }, { ITSM_F_SUBCATEGORY, "smtp", 0 }, { ITSM_F_CI, "mx1", 0 } };
    assert_ok(itsm_record_update(r, set, 3));
    f.clock.now = T0 + MIN;
    itsm_change c[4] = { { ITSM_F_SUBCATEGORY, NULL, 0 }, { ITSM_F_CATEGORY, "web", 0 }, { ITSM_F_CI, NULL, 0 },
                         { ITSM_F_CALLER, NULL, 0 } };
    size_t before = f.store.n;
    uint64_t rev = itsm_record_revision(r);
    assert_ok(itsm_record_update(r, c, 4));
    assert_int_equal(f.store.n, before + 1);
    assert_int_equal(itsm_record_revision(r), rev + 1);
    assert_null(itsm_record_str(r, ITSM_F_SUBCATEGORY));
    assert_null(itsm_record_str(r, ITSM_F_CI));
    assert_null(itsm_record_str(r, ITSM_F_CALLER));
    assert_string_equal(itsm_record_str(r, ITSM_F_CATEGORY), "web");
    assert_string_equal(itsm_record_str(r, ITSM_F_ASSIGNEE), "ann");
    /* a clear first, then a set: both in */
    f.clock.now = T0 + 2 * MIN;
    itsm_change d[2] = { { ITSM_F_CATEGORY, NULL, 0 }, { ITSM_F_ASSIGNEE, "bob", 0 } };
    assert_ok(itsm_record_update(r, d, 2));
    assert_null(itsm_record_str(r, ITSM_F_CATEGORY));
    assert_string_equal(itsm_record_str(r, ITSM_F_ASSIGNEE), "bob");
    /* a step that clears a symbol the caller gives */
    f.clock.now = T0 + 3 * MIN;
    itsm_change h[2] = { { ITSM_F_HOLD_REASON, "awaiting_customer", 0 }, { ITSM_F_CI, NULL, 0 } };
    assert_ok(itsm_record_fire(r, "hold", h, 2));
    assert_string_equal(itsm_record_str(r, ITSM_F_HOLD_REASON), "awaiting_customer");
    assert_replay_same(&f, NULL, T0 + HOUR);
    fixture_close(&f);
}

/* The same field twice - two clears, a set and a clear, a clear and a
 * set - is refused, naming it; nothing is stored and the record keeps
 * its values. */
static void a_clear_given_twice_is_refused(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *r = open_inc(&f, 2, 2, NULL);
    start_work(r);
    f.clock.now = T0 + MIN;
    size_t before = f.store.n;
    uint64_t rev = itsm_record_revision(r);
    itsm_change twice[2] = { { ITSM_F_ASSIGNEE, NULL, 0 }, { ITSM_F_ASSIGNEE, NULL, 0 } };
    assert_fails(f.eng, itsm_record_update(r, twice, 2), ITSM_EINVAL, "given twice");
    itsm_change set_clear[2] = { { ITSM_F_ASSIGNEE, "bob", 0 }, { ITSM_F_ASSIGNEE, NULL, 0 } };
    assert_fails(f.eng, itsm_record_update(r, set_clear, 2), ITSM_EINVAL, "given twice");
    itsm_change clear_set[3] = { { ITSM_F_CATEGORY, "mail", 0 }, { ITSM_F_ASSIGNEE, NULL, 0 },
                                 { ITSM_F_ASSIGNEE, "bob", 0 } };
    assert_fails(f.eng, itsm_record_update(r, clear_set, 3), ITSM_EINVAL, "given twice");
    assert_int_equal(f.store.n, before);
    assert_int_equal(itsm_record_revision(r), rev);
    assert_string_equal(itsm_record_str(r, ITSM_F_ASSIGNEE), "ann");
    assert_null(itsm_record_str(r, ITSM_F_CATEGORY));
    /* the engine takes the next step as usual */
    itsm_change ok = { ITSM_F_CI, NULL, 0 };
    assert_ok(itsm_record_update(r, &ok, 1));
    assert_null(itsm_record_str(r, ITSM_F_CI));
    assert_int_equal(f.store.n, before + 1);
    fixture_close(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(an_update_clears_a_symbol_among_other_changes),
        cmocka_unit_test(a_clear_given_twice_is_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
