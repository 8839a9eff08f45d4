/* SPDX-License-Identifier: Apache-2.0 */
/* The priority rule that proposes a major incident is the policy's
 * (DESIGN.md section 5: "proposed by rule (priority 1, ...) or by hand"):
 * a threshold of 2 proposes P1 and P2 and nothing below; a threshold of 0
 * proposes nothing by priority, while a proposal by hand still goes
 * through the manager's decision. Black-box: the public API and the
 * stored events only. */
#include "sla/sla_support.h"

static itsm_policy *policy_proposing_at(int priority)
{
    itsm_policy *p;
    assert_ok(itsm_policy_new_default(&p, NULL));
    itsm_major_policy m = ITSM_MAJOR_POLICY_INIT;
    m.propose_at_priority = priority;
    assert_ok(itsm_policy_set_major(p, &m));
    return p;
}

static void a_threshold_of_two_proposes_p1_and_p2_and_nothing_below(void **state)
{
    (void)state;
    itsm_policy *p = policy_proposing_at(2);
    fixture f;
    fixture_open_policy(&f, p);
    itsm_record *p1 = open_inc(&f, 1, 1, NULL), *p2 = open_inc(&f, 2, 1, NULL), *p3 = open_inc(&f, 2, 2, NULL);
    assert_int_equal(itsm_record_major_state(p1), ITSM_MAJOR_PROPOSED);
    assert_int_equal(itsm_record_major_state(p2), ITSM_MAJOR_PROPOSED);
    assert_int_equal(itsm_record_major_state(p3), ITSM_MAJOR_NONE);
    assert_int_equal(count_events(&f.store, "major_proposed"), 2);
    /* P3 raised to P2 by its urgency: proposed then */
    assert_ok(itsm_record_set_int(p3, ITSM_F_URGENCY, 1));
    assert_int_equal(itsm_record_int(p3, ITSM_F_PRIORITY), 2);
    assert_int_equal(itsm_record_major_state(p3), ITSM_MAJOR_PROPOSED);
    assert_non_null(strstr(f.store.events[f.store.n - 1], "\"reason\":\"priority\""));
    /* a proposal is not yet a major incident: no major flag, no phase */
    assert_int_equal(itsm_record_int(p2, ITSM_F_MAJOR), 0);
    assert_int_equal(itsm_record_major_phase(p2), ITSM_PHASE_NONE);
    assert_replay_same(&f, p, T0);
    fixture_close(&f);
    itsm_policy_free(p);
}

static void a_threshold_of_zero_leaves_proposals_to_people(void **state)
{
    (void)state;
    itsm_policy *p = policy_proposing_at(0);
    fixture f;
    fixture_open_policy(&f, p);
    itsm_record *r = open_inc(&f, 1, 1, NULL);
    assert_int_equal(itsm_record_int(r, ITSM_F_PRIORITY), 1);
    assert_int_equal(itsm_record_major_state(r), ITSM_MAJOR_NONE);
    assert_int_equal(count_events(&f.store, "major_proposed"), 0);
    assert_ok(itsm_major_propose(r, "trading floor down"));
    assert_int_equal(itsm_record_major_state(r), ITSM_MAJOR_PROPOSED);
    assert_non_null(strstr(f.store.events[f.store.n - 1], "\"reason\":\"manual\""));
    f.clock.now = T0 + MIN;
    assert_ok(itsm_major_decide(r, 1, "mim"));
    assert_int_equal(itsm_record_int(r, ITSM_F_MAJOR), 1);
    assert_int_equal(itsm_record_major_phase(r), ITSM_PHASE_INITIAL);
    itsm_time due;
    int done, missed;
    assert_ok(itsm_record_major_deadline(&due, &done, &missed, r, 0));
    assert_int_equal(due, T0 + 16 * MIN);
    assert_replay_same(&f, p, T0 + MIN);
    fixture_close(&f);
    itsm_policy_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_threshold_of_two_proposes_p1_and_p2_and_nothing_below),
        cmocka_unit_test(a_threshold_of_zero_leaves_proposals_to_people),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
