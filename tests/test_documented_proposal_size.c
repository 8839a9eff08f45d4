/* SPDX-License-Identifier: Apache-2.0 */
/* docs/recurrence.md, "The push": a proposal's event "names the cluster's
 * incidents (the newest 64 of them, oldest first)" (ITSM_PROBLEM_PROPOSAL_MAX),
 * and "each incident belongs to at most one proposal, so a cluster is
 * proposed once". So the rule's N is at most 64: a rule of 64 incidents
 * names every one of them and the next 64 start a new cluster; a rule of
 * 65 is refused, by the C setter and by the policy document alike. */
#include "sla/sla_support.h"

#include <string.h>

static itsm_record *incident(fixture *f)
{
    itsm_record *r = NULL;
    itsm_change init[3] = { { ITSM_F_SUMMARY, "Mail bounces", 0 }, { ITSM_F_SERVICE, "mail", 0 },
                            { ITSM_F_CATEGORY, "software", 0 } };
    itsm_record_opts o = ITSM_RECORD_OPTS_INIT;
    o.fields = init;
    o.nfields = 3;
    assert_ok(itsm_record_open(&r, f->eng, &o));
    return r;
}

static void a_cluster_of_the_largest_rule_is_named_whole(void **state)
{
    (void)state;
    itsm_policy *p;
    assert_ok(itsm_policy_new_default(&p, NULL));
    itsm_problem_rules r = ITSM_PROBLEM_RULES_INIT;
    assert_ok(itsm_policy_problem_rules(&r, p));
    r.recurrence_count = ITSM_PROBLEM_PROPOSAL_MAX;
    assert_ok(itsm_policy_set_problem_rules(p, &r));
    fixture f;
    fixture_open_policy(&f, p);
    for (int i = 0; i < 2 * ITSM_PROBLEM_PROPOSAL_MAX; i++) {
        f.clock.now = T0 + i * MIN;
        incident(&f);
        /* every member claimed: the second cluster is the next 64 whole */
        assert_int_equal(itsm_engine_problem_proposal_count(f.eng), (size_t)((i + 1) / ITSM_PROBLEM_PROPOSAL_MAX));
    }
    itsm_problem_proposal pp = { .size = sizeof pp };
    assert_ok(itsm_engine_problem_proposal_at(&pp, f.eng, 0));
    assert_string_equal(pp.record, "INC-000064");
    assert_int_equal(pp.incidents, ITSM_PROBLEM_PROPOSAL_MAX);
    assert_string_equal(itsm_engine_problem_proposal_incident(f.eng, 0, 0), "INC-000001");
    assert_string_equal(itsm_engine_problem_proposal_incident(f.eng, 0, 63), "INC-000064");
    assert_ok(itsm_engine_problem_proposal_at(&pp, f.eng, 1));
    assert_string_equal(pp.record, "INC-000128");
    assert_string_equal(itsm_engine_problem_proposal_incident(f.eng, 1, 0), "INC-000065");
    fixture_close(&f);
    itsm_policy_free(p);
}

static void a_rule_larger_than_a_proposal_is_refused(void **state)
{
    (void)state;
    itsm_policy *p;
    assert_ok(itsm_policy_new_default(&p, NULL));
    itsm_problem_rules r = ITSM_PROBLEM_RULES_INIT;
    assert_ok(itsm_policy_problem_rules(&r, p));
    int before = r.recurrence_count;
    r.recurrence_count = ITSM_PROBLEM_PROPOSAL_MAX + 1;
    assert_int_equal(itsm_policy_set_problem_rules(p, &r), ITSM_EINVAL);
    itsm_problem_rules now = ITSM_PROBLEM_RULES_INIT;
    assert_ok(itsm_policy_problem_rules(&now, p));
    assert_int_equal(now.recurrence_count, before);   /* the policy unchanged */
    itsm_policy_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_cluster_of_the_largest_rule_is_named_whole),
        cmocka_unit_test(a_rule_larger_than_a_proposal_is_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
