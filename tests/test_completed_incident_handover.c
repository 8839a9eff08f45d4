/* SPDX-License-Identifier: Apache-2.0 */
/* Handing over a completed incident (seed 000, DESIGN sections 8 and 9):
 * "for an incident that is complete, there are three paths for handover" -
 * a closed incident still goes to problem management and is taken over
 * there; cause known and a fix that needs a change goes straight to
 * change with a to_change packet; the receiver gets the snapshot that was
 * sent, whatever the record says afterwards. */
#include "pm_helpers.h"

/* Resolved, its knowledge decided, confirmed by the caller: closed. */
static itsm_record *closed_incident(fixture *f)
{
    itsm_record *r = pm_incident(f, "payroll", "batch", "payroll run fails");
    pm_resolve(r, "desk", "ann");
    const char *kd = NULL;
    assert_ok(itsm_knowledge_decide(&kd, r));
    assert_ok(itsm_record_fire(r, "confirm", NULL, 0));
    assert_string_equal(itsm_record_state(r), "closed");
    return r;
}

/* The incident is complete and closed; problem management takes the
 * storyboard over: the acknowledgement is a dated event by the receiver,
 * and the closed incident stays closed with its owner. */
static void a_closed_incident_is_taken_over_by_problem_management(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *r = closed_incident(&f);
    itsm_decision_opts o = ITSM_DECISION_OPTS_INIT;
    o.root_cause_needed = ITSM_ANSWER_YES;
    itsm_decision d = { .size = sizeof d };
    assert_ok(itsm_problem_decide(&d, r, &o));
    assert_int_equal(d.verdict, ITSM_VERDICT_TO_PROBLEM);

    itsm_packet *p;
    assert_ok(itsm_packet_new(&p, r, ITSM_PACKET_TO_PROBLEM));
    assert_ok(itsm_packet_set_text(p, ITSM_PT_RECEIVER, "pm_pat"));
    f.clock.now += 60;
    assert_ok(itsm_packet_propose(p, f.eng));
    assert_int_equal(itsm_packet_proposed_at(p), f.clock.now);
    f.clock.now += 600;
    assert_ok(itsm_packet_acknowledge(p, f.eng, "pm_pat"));
    assert_int_equal(itsm_packet_state_of(p), ITSM_PACKET_ACKNOWLEDGED);
    assert_string_equal(itsm_packet_decided_by(p), "pm_pat");
    assert_int_equal(itsm_packet_decided_at(p), f.clock.now);
    assert_string_equal(itsm_record_state(r), "closed");
    assert_string_equal(itsm_record_str(r, ITSM_F_ASSIGNEE), "ann");
    itsm_packet_free(p);
    assert_replays_the_same(f.eng, &f.store);
    fixture_close(&f);
}

/* The third path: cause known, the fix needs a change - the incident is
 * handed straight to change with a to_change packet, which the change
 * manager takes over without taking the incident. */
static void a_known_cause_goes_straight_to_change_with_a_to_change_packet(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *r = pm_incident(&f, "payroll", "batch", "payroll run fails");
    assert_ok(itsm_record_set_str(r, ITSM_F_CAUSE, "the batch volume is undersized"));
    pm_resolve(r, "desk", "ann");
    itsm_decision d = pm_decide(r, ITSM_ANSWER_FROM_RECORD, ITSM_ANSWER_NO, ITSM_ANSWER_YES);
    assert_int_equal(d.verdict, ITSM_VERDICT_TO_CHANGE);

    itsm_packet *p;
    assert_ok(itsm_packet_new(&p, r, ITSM_PACKET_TO_CHANGE));
    assert_int_equal(itsm_packet_record_kind(p), ITSM_KIND_INCIDENT);
    /* the stated cause is carried as the hypothesis the change acts on */
    itsm_packet_entry e = { .size = sizeof e };
    assert_int_equal(itsm_packet_count(p, ITSM_PL_HYPOTHESES), 1);
    assert_ok(itsm_packet_at(p, ITSM_PL_HYPOTHESES, 0, &e));
    assert_string_equal(e.text, "the batch volume is undersized");
    assert_ok(itsm_packet_set_text(p, ITSM_PT_RECEIVER, "cab_carl"));
    assert_ok(itsm_packet_propose(p, f.eng));
    f.clock.now += 60;
    assert_ok(itsm_packet_acknowledge(p, f.eng, "cab_carl"));
    assert_string_equal(itsm_packet_decided_by(p), "cab_carl");
    assert_string_equal(itsm_record_str(r, ITSM_F_ASSIGNEE), "ann");
    assert_string_equal(itsm_record_state(r), "resolved");
    itsm_packet_free(p);
    fixture_close(&f);
}

/* With the cause unknown and not needed, a related change does not make
 * it a to_change: that path is for a known cause; the incident closes. */
static void an_unknown_cause_not_needed_closes_even_with_a_change(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *r = pm_incident(&f, "payroll", "batch", "payroll run fails");
    pm_resolve(r, "desk", "ann");
    itsm_decision d = pm_decide(r, ITSM_ANSWER_NO, ITSM_ANSWER_NO, ITSM_ANSWER_YES);
    assert_int_equal(d.verdict, ITSM_VERDICT_CLOSE);
    assert_false(d.problem_proposed);
    assert_non_null(pm_reason_text(&d, ITSM_REASON_CAUSE_UNKNOWN));
    assert_non_null(pm_reason_text(&d, ITSM_REASON_ROOT_CAUSE_NOT_NEEDED));
    assert_null(pm_reason_text(&d, ITSM_REASON_FIX_NEEDS_CHANGE));
    assert_non_null(pm_reason_text(&d, ITSM_REASON_NO_FOLLOW_UP));
    fixture_close(&f);
}

/* The receiver takes over the packet that was sent: a record changed after
 * the proposal leaves the engine's copy as proposed, the sender's copy
 * still answers for it, and only a new packet reads the new summary. */
static void the_receiver_gets_the_snapshot_that_was_sent(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *r = pm_incident(&f, "payroll", "batch", "payroll run fails");
    pm_work(r, "desk", "ann");
    itsm_packet *p;
    assert_ok(itsm_packet_new(&p, r, ITSM_PACKET_SHIFT));
    assert_ok(itsm_packet_set_text(p, ITSM_PT_RECEIVER, "bob"));
    assert_ok(itsm_packet_propose(p, f.eng));
    f.clock.now += 60;
    assert_ok(itsm_record_set_str(r, ITSM_F_SUMMARY, "payroll run fails at step 3"));
    itsm_packet *held;
    assert_ok(itsm_engine_handover_at(&held, f.eng, 0));
    assert_string_equal(itsm_packet_text_of(held, ITSM_PT_OBJECT), "payroll run fails");
    assert_true(itsm_packet_equal(p, held));
    f.clock.now += 60;
    assert_ok(itsm_packet_acknowledge(p, f.eng, "bob"));
    assert_string_equal(itsm_record_str(r, ITSM_F_ASSIGNEE), "bob");
    itsm_packet *next;
    assert_ok(itsm_packet_new(&next, r, ITSM_PACKET_SHIFT));
    assert_string_equal(itsm_packet_text_of(next, ITSM_PT_OBJECT), "payroll run fails at step 3");
    itsm_packet_free(next);
    itsm_packet_free(p);
    assert_replays_the_same(f.eng, &f.store);
    fixture_close(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_closed_incident_is_taken_over_by_problem_management),
        cmocka_unit_test(a_known_cause_goes_straight_to_change_with_a_to_change_packet),
        cmocka_unit_test(an_unknown_cause_not_needed_closes_even_with_a_change),
        cmocka_unit_test(the_receiver_gets_the_snapshot_that_was_sent),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
