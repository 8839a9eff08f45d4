/* SPDX-License-Identifier: Apache-2.0 */
/* What the recurrence rule counts as an occurrence (DESIGN section 8,
 * itsm/problem.h): the callers whose incidents are children of a major
 * incident report that one outage - the parent is the occurrence, and its
 * children neither make a cluster of it nor count towards another. The
 * major incident gets its problem review from its own rule. */
#include "pm_helpers.h"

#define DAY ((itsm_time)86400)

/* A major incident on mail/outage and three callers' incidents linked to
 * it as children, each linked as the desk takes the call. */
static itsm_record *outage_with_children(fixture *f, itsm_record *child[3])
{
    itsm_record *p = pm_incident(f, "mail", "outage", "mail down for everyone");
    assert_ok(itsm_record_set_int(p, ITSM_F_MAJOR, 1));
    for (int i = 0; i < 3; i++) {
        f->clock.now += 60;
        child[i] = pm_incident(f, "mail", "outage", "my mail is down");
        assert_ok(itsm_record_link(child[i], ITSM_LINK_PARENT, p));
    }
    return p;
}

/* One outage reported by four callers is no recurrence: no proposal, and
 * the rule's count has the parent alone. Two more outages on the key
 * later make three occurrences: the cluster is the parent and those two. */
static void a_major_incidents_children_are_no_recurrence(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *child[3];
    itsm_record *p = outage_with_children(&f, child);
    assert_int_equal(itsm_engine_problem_proposal_count(f.eng), 0);
    size_t n = 0;
    assert_ok(itsm_problem_recurrence(&n, f.eng, "mail", "outage", f.clock.now));
    assert_int_equal(n, 1);
    for (int i = 0; i < 3; i++) {
        f.clock.now += 60;
        pm_resolve(child[i], "desk", "ann");
    }
    assert_int_equal(itsm_engine_problem_proposal_count(f.eng), 0);

    itsm_record *later[2];
    for (int i = 0; i < 2; i++) {
        f.clock.now += DAY;
        later[i] = pm_incident(&f, "mail", "outage", "mail down again");
    }
    assert_int_equal(itsm_engine_problem_proposal_count(f.eng), 1);
    assert_string_equal(itsm_engine_problem_proposal_incident(f.eng, 0, 0), itsm_record_id(p));
    assert_string_equal(itsm_engine_problem_proposal_incident(f.eng, 0, 1), itsm_record_id(later[0]));
    assert_string_equal(itsm_engine_problem_proposal_incident(f.eng, 0, 2), itsm_record_id(later[1]));
    assert_null(itsm_engine_problem_proposal_incident(f.eng, 0, 3));
    size_t idx;
    assert_int_equal(itsm_record_problem_proposal(&idx, child[0]), ITSM_ENOTFOUND);
    fixture_close(&f);
}

/* The decision counts occurrences too: an incident after one outage with
 * three callers has two on its key, below the threshold - it closes on
 * the Kepner-Tregoe answers. The major incident itself still goes to
 * problem management for its review. */
static void a_decision_counts_the_outage_once(void **state)
{
    (void)state;
    itsm_policy *pol;
    assert_ok(itsm_policy_new_default(&pol, NULL));
    itsm_problem_rules rules = ITSM_PROBLEM_RULES_INIT;
    rules.recurrence_push = 0;
    assert_ok(itsm_policy_set_problem_rules(pol, &rules));
    fixture f;
    fixture_open_with(&f, pol, NULL);
    itsm_policy_free(pol);
    itsm_record *child[3];
    itsm_record *p = outage_with_children(&f, child);
    f.clock.now += 60;
    pm_resolve(p, "mim", "mia");
    f.clock.now += DAY;
    itsm_record *next = pm_incident(&f, "mail", "outage", "mail slow");
    pm_resolve(next, "desk", "ann");
    itsm_decision d = pm_decide(next, ITSM_ANSWER_NO, ITSM_ANSWER_NO, ITSM_ANSWER_NO);
    assert_int_equal(d.recurrence, 2);
    assert_int_equal(d.verdict, ITSM_VERDICT_CLOSE);
    assert_null(pm_reason_text(&d, ITSM_REASON_RECURRENCE));
    d = pm_decide(p, ITSM_ANSWER_NO, ITSM_ANSWER_NO, ITSM_ANSWER_NO);
    assert_int_equal(d.verdict, ITSM_VERDICT_TO_PROBLEM);
    assert_non_null(pm_reason_text(&d, ITSM_REASON_MAJOR_REVIEW));
    assert_int_equal(d.recurrence, 1);
    fixture_close(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_major_incidents_children_are_no_recurrence),
        cmocka_unit_test(a_decision_counts_the_outage_once),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
