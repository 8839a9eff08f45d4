/* SPDX-License-Identifier: Apache-2.0 */
/* The service desk's handover to the major incident team at its exact
 * boundaries (DESIGN sections 5 and 9): the last second of the initial 15
 * minutes, a handover taken over at the very second a deadline was due or
 * after the deadlines already passed, an organisation whose desk checklist
 * asks nothing, the exception report's line for each poor handover and
 * what it counts, and a major incident declared after its restoration. */
#include "sla/sla_support.h"
#include "pm_helpers.h"

#define DUE_COMM 0
#define DUE_GROUPS 1

static void deadline(const itsm_record *r, int which, itsm_time want_due, int want_done, int want_missed)
{
    itsm_time due;
    int done, missed;
    assert_ok(itsm_record_major_deadline(&due, &done, &missed, r, which));
    assert_int_equal(due, want_due);
    assert_int_equal(done, want_done);
    assert_int_equal(missed, want_missed);
}

static void engage(itsm_record *r)
{
    const char *g[] = { "network", "database" };
    assert_ok(itsm_major_engage_groups(r, g, 2));
}

/* A desk_to_major packet about `r` from ann to maria, proposed now. */
static itsm_packet *propose_desk(fixture *f, itsm_record *r)
{
    itsm_packet *p;
    assert_ok(itsm_packet_new(&p, r, ITSM_PACKET_DESK_TO_MAJOR));
    assert_ok(itsm_packet_set_text(p, ITSM_PT_SENDER, "ann"));
    assert_ok(itsm_packet_set_text(p, ITSM_PT_RECEIVER, "maria"));
    assert_ok(itsm_packet_propose(p, f->eng));
    return p;
}

/* Seed 001: comms issued and groups engaged "within 15 minutes". Both done
 * at the fifteenth minute's own second are in time: nothing is missed, then
 * or at any later tick. */
static void the_fifteen_minutes_are_met_at_their_last_second(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    f.clock.now = T0 - 5 * MIN;
    itsm_record *r = open_inc(&f, 2, 1, "payroll");
    assert_ok(itsm_major_propose(r, "payroll down for every site"));
    f.clock.now = T0;
    assert_ok(itsm_major_decide(r, 1, "maria"));
    f.clock.now = T0 + 15 * MIN;
    assert_ok(itsm_major_communication_issued(r));
    engage(r);
    deadline(r, DUE_COMM, T0 + 15 * MIN, 1, 0);
    deadline(r, DUE_GROUPS, T0 + 15 * MIN, 1, 0);
    assert_int_equal(itsm_record_major_phase(r), ITSM_PHASE_POST);
    sla_tick(&f, T0 + 15 * MIN + 1);
    sla_tick(&f, T0 + HOUR);
    assert_int_equal(count_events(&f.store, "major_deadline_missed"), 0);
    deadline(r, DUE_COMM, T0 + 15 * MIN, 1, 0);
    assert_replay_same(&f, NULL, T0 + HOUR);
    fixture_close(&f);
}

/* Seed 001: the 15 minutes run from receiving the desk's handover. Taken
 * over at the very second the decision's deadlines were due (no tick had
 * reported them), they move to 15 minutes after the handover: nothing is
 * missed at the old due time, both are at the new one. */
static void a_handover_taken_over_at_the_decisions_due_second_moves_both_deadlines(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    f.clock.now = T0 - 5 * MIN;
    itsm_record *r = open_inc(&f, 2, 1, "payroll");
    itsm_packet *p = propose_desk(&f, r);
    assert_ok(itsm_major_propose(r, NULL));
    f.clock.now = T0;
    assert_ok(itsm_major_decide(r, 1, "maria"));
    f.clock.now = T0 + 15 * MIN;
    assert_ok(itsm_packet_acknowledge(p, f.eng, "maria"));
    deadline(r, DUE_COMM, T0 + 30 * MIN, 0, 0);
    deadline(r, DUE_GROUPS, T0 + 30 * MIN, 0, 0);
    sla_tick(&f, T0 + 15 * MIN + 1);
    sla_tick(&f, T0 + 30 * MIN);
    assert_int_equal(count_events(&f.store, "major_deadline_missed"), 0);
    sla_tick(&f, T0 + 30 * MIN + 1);
    assert_int_equal(count_events(&f.store, "major_deadline_missed"), 2);
    assert_non_null(strstr(f.store.events[f.store.n - 1], "\"due\":\"2026-03-02T09:30:00Z\""));
    assert_replay_same(&f, NULL, T0 + HOUR);
    itsm_packet_free(p);
    fixture_close(&f);
}

/* A handover taken over long before the manager's decision: the 15 minutes
 * ran from it, so a decision taken 20 minutes later finds both deadlines
 * already due, and the next tick reports both missed (the team had the
 * incident; the seed's standard is 15 minutes from the handover). */
static void a_decision_after_the_fifteen_minutes_from_the_handover_finds_them_missed(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    f.clock.now = T0 - 10 * MIN;
    itsm_record *r = open_inc(&f, 2, 1, "payroll");
    itsm_packet *p = propose_desk(&f, r);
    f.clock.now = T0;
    assert_ok(itsm_packet_acknowledge(p, f.eng, "maria"));
    assert_ok(itsm_major_propose(r, NULL));
    f.clock.now = T0 + 20 * MIN;
    assert_ok(itsm_major_decide(r, 1, "maria"));
    deadline(r, DUE_COMM, T0 + 15 * MIN, 0, 0);
    deadline(r, DUE_GROUPS, T0 + 15 * MIN, 0, 0);
    sla_tick(&f, T0 + 20 * MIN);
    assert_int_equal(count_events(&f.store, "major_deadline_missed"), 2);
    deadline(r, DUE_COMM, T0 + 15 * MIN, 0, 1);
    deadline(r, DUE_GROUPS, T0 + 15 * MIN, 0, 1);
    assert_replay_same(&f, NULL, T0 + HOUR);
    itsm_packet_free(p);
    fixture_close(&f);
}

/* An organisation whose desk checklist asks nothing finds no handover poor
 * (the score of an empty checklist is 100): the quality log stays empty,
 * and the exception report still counts the group's handovers. */
static void an_empty_desk_checklist_finds_no_handover_poor(void **state)
{
    (void)state;
    itsm_policy *pol;
    assert_ok(itsm_policy_new_default(&pol, NULL));
    assert_ok(itsm_policy_set_handover_checklist(pol, ITSM_PACKET_DESK_TO_MAJOR, ""));
    fixture f;
    fixture_open_with(&f, pol, NULL);
    itsm_record *r = pm_incident(&f, "payroll", "application", "payroll portal down");
    pm_work(r, "service_desk", "ann");
    f.clock.now = T0 + MIN;
    itsm_packet *p = propose_desk(&f, r);
    int score = -1;
    assert_ok(itsm_packet_completeness(&score, p, itsm_engine_policy(f.eng), NULL, 0));
    assert_int_equal(score, 100);
    f.clock.now = T0 + 2 * MIN;
    assert_ok(itsm_packet_acknowledge(p, f.eng, "maria"));
    itsm_packet_free(p);
    assert_int_equal(itsm_quality_log_count(f.eng), 0);
    char *rep = pm_report(f.eng, T0, T0 + DAY);
    if (!strstr(rep, "{\"group\":\"service_desk\",\"handovers\":1,\"poor\":0,\"missing\":{},\"items\":[]}"))
        fail_msg("report: %s", rep);
    free(rep);
    fixture_close(&f);
    itsm_policy_free(pol);
}

/* Exception reporting (seed 001: capture poor handovers, identify why they
 * were not at the standard): each poor handover is listed with its record,
 * number, the time it was taken over, its score and the items it lacked,
 * in the checklist's order - the same as its quality-log entry. */
static void the_exception_report_lists_each_poor_handover_as_logged(void **state)
{
    (void)state;
    itsm_policy *pol;
    assert_ok(itsm_policy_new_default(&pol, NULL));
    assert_ok(itsm_policy_set_handover_checklist(pol, ITSM_PACKET_DESK_TO_MAJOR,
                                                 "sender_group contact_verified engaged_groups object"));
    fixture f;
    fixture_open_with(&f, pol, NULL);
    itsm_record *r = pm_incident(&f, "payroll", "application", "payroll portal down");
    pm_work(r, "service_desk", "ann");
    f.clock.now = T0 + MIN;
    itsm_packet *p;
    assert_ok(itsm_packet_new(&p, r, ITSM_PACKET_DESK_TO_MAJOR));
    assert_ok(itsm_packet_set_text(p, ITSM_PT_RECEIVER, "maria"));
    assert_ok(itsm_packet_clear(p, ITSM_PL_ENGAGED_GROUPS));
    assert_ok(itsm_packet_set_contact_verified(p, 0));
    assert_ok(itsm_packet_propose(p, f.eng));
    f.clock.now = T0 + 4 * MIN;
    assert_ok(itsm_packet_acknowledge(p, f.eng, "maria"));
    itsm_quality_entry q = { .size = sizeof q };
    assert_int_equal(itsm_quality_log_count(f.eng), 1);
    assert_ok(itsm_quality_log_at(f.eng, 0, &q));
    assert_int_equal(q.score, 50);
    assert_string_equal(q.missing, "engaged_groups contact_verified");
    char want[256];
    snprintf(want, sizeof want,
             "\"items\":[{\"record\":\"%s\",\"seq\":%u,\"at\":\"2026-03-02T09:04:00Z\",\"score\":50,"
             "\"missing\":[\"engaged_groups\",\"contact_verified\"]}]",
             itsm_record_id(r), itsm_packet_seq(p));
    char *rep = pm_report(f.eng, T0, T0 + DAY);
    if (!strstr(rep, want))
        fail_msg("want %s in %s", want, rep);
    assert_non_null(strstr(rep, "\"missing\":{\"engaged_groups\":1,\"contact_verified\":1}"));
    free(rep);
    itsm_packet_free(p);
    fixture_close(&f);
    itsm_policy_free(pol);
}

/* The exception report is about the desk's handovers to the major incident
 * team (seed 001): a shift handover between incident managers, or an
 * incident handed to problem management, sent by the same group and taken
 * over in the period, is no desk handover - it is neither counted nor
 * judged there. */
static void the_exception_report_counts_only_desk_handovers(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *r = pm_incident(&f, "payroll", "application", "payroll portal down");
    pm_work(r, "service_desk", "ann");
    static const itsm_packet_kind kinds[] = { ITSM_PACKET_SHIFT, ITSM_PACKET_TO_PROBLEM };
    for (size_t i = 0; i < 2; i++) {
        itsm_packet *p;
        assert_ok(itsm_packet_new(&p, r, kinds[i]));
        assert_ok(itsm_packet_set_text(p, ITSM_PT_SENDER, "ann"));
        assert_ok(itsm_packet_set_text(p, ITSM_PT_SENDER_GROUP, "service_desk"));
        assert_ok(itsm_packet_set_text(p, ITSM_PT_RECEIVER, "maria"));
        f.clock.now += MIN;
        assert_ok(itsm_packet_propose(p, f.eng));
        f.clock.now += MIN;
        assert_ok(itsm_packet_acknowledge(p, f.eng, "maria"));
        itsm_packet_free(p);
    }
    assert_int_equal(itsm_quality_log_count(f.eng), 0);
    char *rep = pm_report(f.eng, T0, T0 + DAY);
    if (!strstr(rep, "\"groups\":[]"))
        fail_msg("report: %s", rep);
    free(rep);
    fixture_close(&f);
}

/* A packet that names no sending group is under null in the report; a
 * group that happens to be called "null" is a group of its own, not the
 * handovers nobody signed for. (One incident each: once maria took the
 * first over, ann no longer holds it to hand it over again.) */
static void a_group_named_null_is_not_the_unnamed_sender(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    const char *groups[] = { NULL, "null" };
    for (size_t i = 0; i < 2; i++) {
        itsm_record *r = pm_incident(&f, "payroll", "application", "payroll portal down");
        itsm_packet *p;
        assert_ok(itsm_packet_new(&p, r, ITSM_PACKET_DESK_TO_MAJOR));
        assert_ok(itsm_packet_set_text(p, ITSM_PT_SENDER, "ann"));
        assert_ok(itsm_packet_set_text(p, ITSM_PT_SENDER_GROUP, groups[i]));
        assert_ok(itsm_packet_set_text(p, ITSM_PT_RECEIVER, "maria"));
        f.clock.now += MIN;
        assert_ok(itsm_packet_propose(p, f.eng));
        f.clock.now += MIN;
        assert_ok(itsm_packet_acknowledge(p, f.eng, "maria"));
        itsm_packet_free(p);
    }
    assert_int_equal(itsm_quality_log_count(f.eng), 2);
    itsm_quality_entry q = { .size = sizeof q };
    assert_ok(itsm_quality_log_at(f.eng, 0, &q));
    assert_null(q.sender_group);
    assert_non_null(strstr(q.missing, "sender_group"));
    assert_ok(itsm_quality_log_at(f.eng, 1, &q));
    assert_string_equal(q.sender_group, "null");
    char *rep = pm_report(f.eng, T0, T0 + DAY);
    const char *none = strstr(rep, "{\"group\":null,\"handovers\":1,\"poor\":1");
    const char *named = strstr(rep, "{\"group\":\"null\",\"handovers\":1,\"poor\":1");
    if (!none || !named)
        fail_msg("report: %s", rep);
    free(rep);
    assert_replay_same(&f, NULL, T0 + DAY);
    fixture_close(&f);
}

static void resolve_it(itsm_record *r)
{
    itsm_change c[4] = { { ITSM_F_RESOLUTION_CODE, "fixed", 0 }, { ITSM_F_RESOLUTION_NOTES, "restarted", 0 },
                         { ITSM_F_CATEGORY, "mail", 0 }, { ITSM_F_KNOWLEDGE_DECISION, "not_needed", 0 } };
    assert_ok(itsm_record_fire(r, "resolve", c, 4));
}

/* Major incidents are never closed by the auto-close timer (DESIGN 5): a
 * proposal the manager accepts only after the restoration stops the timer
 * the resolution started, and the incident waits for its review; one the
 * manager rejects keeps the resolution's timer and closes at it. */
static void a_major_incident_accepted_after_its_restoration_is_not_auto_closed(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *r = open_inc(&f, 2, 2, NULL);
    assert_ok(itsm_major_propose(r, "many users"));
    start_work(r);
    f.clock.now = T0 + 10 * MIN;
    resolve_it(r);
    assert_int_equal(itsm_record_auto_close_due(r), T0 + 10 * MIN + 3 * DAY);
    f.clock.now = T0 + 20 * MIN;
    assert_ok(itsm_major_decide(r, 1, "mim"));
    assert_int_equal(itsm_record_auto_close_due(r), ITSM_TIME_NONE);
    assert_int_equal(itsm_record_major_phase(r), ITSM_PHASE_RESOLUTION);

    itsm_record *q = open_inc(&f, 2, 2, NULL);
    assert_ok(itsm_major_propose(q, "many users"));
    start_work(q);
    resolve_it(q);
    f.clock.now = T0 + 20 * MIN + 4 * DAY;
    assert_ok(itsm_major_decide(q, 0, "mim"));
    assert_int_equal(itsm_record_auto_close_due(q), T0 + 20 * MIN + 3 * DAY);
    sla_tick(&f, T0 + 30 * DAY);
    assert_string_equal(itsm_record_state(r), "resolved");
    assert_string_equal(itsm_record_state(q), "closed");
    assert_replay_same(&f, NULL, T0 + 30 * DAY);
    fixture_close(&f);
}

/* Seed 002: "if a problem cannot be resolved at the Service Desk, it must
 * then be dispatched"; seed 001: the desk hands a major incident over to
 * the major incident team, who run it to resolution. An accepted major
 * incident is never a first-contact resolution - not even when the team
 * took it over without a new group, so no reassignment was counted - in
 * itsm_record_first_contact_resolution and the report alike. An incident
 * whose major proposal was rejected stays the desk's to resolve. */
static void a_major_incident_is_never_a_first_contact_resolution(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *r = pm_incident(&f, "payroll", "application", "payroll portal down");
    pm_work(r, "service_desk", "ann");
    f.clock.now = T0 + MIN;
    itsm_packet *p = propose_desk(&f, r);   /* no receiver group: the group stays */
    assert_ok(itsm_packet_acknowledge(p, f.eng, "maria"));
    itsm_packet_free(p);
    assert_ok(itsm_major_propose(r, "payroll down for every site"));
    assert_ok(itsm_major_decide(r, 1, "maria"));
    assert_int_equal(itsm_record_int(r, ITSM_F_REASSIGNMENTS), 0);
    f.clock.now = T0 + 30 * MIN;
    resolve_it(r);
    assert_int_equal(itsm_record_first_contact_resolution(r), 0);

    itsm_record *q = pm_incident(&f, "mail", "application", "mail slow for one user");
    pm_work(q, "service_desk", "ann");
    assert_ok(itsm_major_propose(q, NULL));
    assert_ok(itsm_major_decide(q, 0, "maria"));
    resolve_it(q);
    assert_int_equal(itsm_record_first_contact_resolution(q), 1);

    itsm_report_opts o = ITSM_REPORT_OPTS_INIT;
    itsm_report *rep;
    assert_ok(itsm_report_new(&rep, f.eng, &o));
    itsm_report_figures fig = { .size = sizeof fig };
    assert_ok(itsm_report_figures_of(&fig, rep));
    assert_int_equal(fig.resolved, 2);
    assert_int_equal(fig.first_contact, 1);
    itsm_report_free(rep);
    fixture_close(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_fifteen_minutes_are_met_at_their_last_second),
        cmocka_unit_test(a_handover_taken_over_at_the_decisions_due_second_moves_both_deadlines),
        cmocka_unit_test(a_decision_after_the_fifteen_minutes_from_the_handover_finds_them_missed),
        cmocka_unit_test(an_empty_desk_checklist_finds_no_handover_poor),
        cmocka_unit_test(the_exception_report_lists_each_poor_handover_as_logged),
        cmocka_unit_test(the_exception_report_counts_only_desk_handovers),
        cmocka_unit_test(a_group_named_null_is_not_the_unnamed_sender),
        cmocka_unit_test(a_major_incident_accepted_after_its_restoration_is_not_auto_closed),
        cmocka_unit_test(a_major_incident_is_never_a_first_contact_resolution),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
