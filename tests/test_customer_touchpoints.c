/* SPDX-License-Identifier: Apache-2.0 */
/* The customer's touch points through an incident (DESIGN.md sections 6,
 * 7, 10): what a promise made at the point of contact owes, what counts as
 * an update to the customer, who a missed update goes to, what is owed
 * once service is restored, and which closures the satisfaction survey
 * and its report count. Black-box: the public API and the stored events. */
#include "sla/sla_support.h"

/* Resolve with the closure checklist complete (category, resolution,
 * owner, knowledge decision): only the customer's verification is left. */
static void resolve_complete(itsm_record *r)
{
    itsm_change c[4] = { { ITSM_F_RESOLUTION_CODE, "fixed", 0 }, { ITSM_F_RESOLUTION_NOTES, "replaced the relay", 0 },
                         { ITSM_F_CATEGORY, "mail", 0 }, { ITSM_F_KNOWLEDGE_DECISION, "not_needed", 0 } };
    assert_ok(itsm_record_fire(r, "resolve", c, 4));
}

/* Seed 002: the desk "must establish the expected time to restoration
 * prior to hanging up the phone". A customer update given at the point of
 * contact, before anyone took the incident up, is a promise: the next
 * update is owed at the promised time - the first response does not pull
 * it back to the cadence, and a promise later than the cadence is not
 * overdue at the cadence either (the customer was told when to expect it). */
static void a_promise_made_at_the_point_of_contact_is_the_next_update_due(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *r = open_inc(&f, 1, 1, "Mail");   /* P1: cadence 30 min */
    f.clock.now = T0 + 2 * MIN;
    assert_ok(sla_customer_update(r, "Logged and dispatched to the mail team", T0 + 2 * HOUR, T0 + 45 * MIN));
    itsm_timer_info t = timer(r, ITSM_TIMER_NEXT_UPDATE, T0 + 2 * MIN);
    assert_int_equal(t.status, ITSM_TIMER_RUNNING);
    assert_int_equal(t.due, T0 + 45 * MIN);
    f.clock.now = T0 + 5 * MIN;
    start_work(r);
    assert_int_equal(timer(r, ITSM_TIMER_NEXT_UPDATE, T0 + 5 * MIN).due, T0 + 45 * MIN);
    assert_int_equal(sla_tick(&f, T0 + 35 * MIN + 1), 0);   /* the cadence after the response: not owed */
    assert_int_equal(sla_tick(&f, T0 + 45 * MIN), 0);
    assert_int_equal(sla_tick(&f, T0 + 45 * MIN + 1), 1);
    const char *ev = last_of(&f.store, "update_overdue");
    assert_non_null(strstr(ev, itsm_record_id(r)));
    assert_non_null(strstr(ev, "\"due\":\"2026-03-02T09:45:00Z\""));
    assert_non_null(strstr(ev, "\"audience\":\"broadcast\""));
    assert_replay_same(&f, NULL, T0 + HOUR);
    fixture_close(&f);
}

/* Seed 002: "Updates must include actions being taken, expected time to
 * restoration and the time for the next update". Work done on the record -
 * a work note, a field change, a reassignment to another group - tells the
 * customer nothing, so it does not move the next update: the P1's update
 * is still owed 30 minutes after the response, and the tick reports it
 * missed one second after that, naming the due time. */
static void a_work_note_or_a_field_change_is_no_update_to_the_customer(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *r = open_inc(&f, 1, 1, "Mail");
    start_work(r);
    assert_int_equal(timer(r, ITSM_TIMER_NEXT_UPDATE, T0).due, T0 + 30 * MIN);
    f.clock.now = T0 + 10 * MIN;
    itsm_note_opts w = ITSM_NOTE_OPTS_INIT;
    w.text = "relay logs show certificate errors";
    assert_ok(itsm_record_add_note(r, &w));
    assert_int_equal(timer(r, ITSM_TIMER_NEXT_UPDATE, f.clock.now).due, T0 + 30 * MIN);
    f.clock.now = T0 + 15 * MIN;
    assert_ok(itsm_record_set_str(r, ITSM_F_DESCRIPTION, "outbound mail queues"));
    assert_int_equal(timer(r, ITSM_TIMER_NEXT_UPDATE, f.clock.now).due, T0 + 30 * MIN);
    f.clock.now = T0 + 20 * MIN;
    assert_ok(itsm_record_set_str(r, ITSM_F_ASSIGNMENT_GROUP, "Mail team"));
    assert_int_equal(timer(r, ITSM_TIMER_NEXT_UPDATE, f.clock.now).due, T0 + 30 * MIN);
    assert_int_equal(sla_tick(&f, T0 + 30 * MIN), 0);
    assert_int_equal(sla_tick(&f, T0 + 30 * MIN + 1), 1);
    assert_int_equal(count_events(&f.store, "update_overdue"), 1);
    const char *ev = last_of(&f.store, "update_overdue");
    assert_non_null(strstr(ev, "\"at\":\"2026-03-02T09:30:01Z\""));
    assert_non_null(strstr(ev, "\"due\":\"2026-03-02T09:30:00Z\""));
    /* the customer update answers it: the next is owed when it promised */
    f.clock.now = T0 + 40 * MIN;
    assert_ok(sla_customer_update(r, "Certificate being replaced", T0 + 2 * HOUR, T0 + HOUR));
    itsm_timer_info t = timer(r, ITSM_TIMER_NEXT_UPDATE, f.clock.now);
    assert_int_equal(t.due, T0 + HOUR);
    assert_false(t.breached);
    assert_replay_same(&f, NULL, T0 + HOUR);
    fixture_close(&f);
}

/* Seed 002: "As the priority of an incident decreases, the communication
 * method can be limited to a few customers". A P2 lowered to P4 owes its
 * missed update to the affected callers, no longer as a broadcast. */
static void a_lowered_priority_owes_the_missed_update_to_the_callers_only(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *r = open_inc(&f, 1, 2, "Mail");   /* P2: broadcast */
    assert_int_equal(itsm_record_audience(r), ITSM_AUDIENCE_BROADCAST);
    start_work(r);
    f.clock.now = T0 + 5 * MIN;
    itsm_change c[2] = { { ITSM_F_IMPACT, NULL, 2 }, { ITSM_F_URGENCY, NULL, 3 } };
    assert_ok(itsm_record_update(r, c, 2));
    assert_int_equal(itsm_record_int(r, ITSM_F_PRIORITY), 4);
    assert_int_equal(itsm_record_audience(r), ITSM_AUDIENCE_CALLERS);
    f.clock.now = T0 + 10 * MIN;
    assert_ok(sla_customer_update(r, "Only your mailbox is affected", T0 + 2 * HOUR, T0 + 40 * MIN));
    assert_int_equal(sla_tick(&f, T0 + 40 * MIN + 1), 1);
    assert_non_null(strstr(last_of(&f.store, "update_overdue"), "\"audience\":\"callers\""));
    assert_replay_same(&f, NULL, T0 + HOUR);
    fixture_close(&f);
}

/* Seed 002: "Once service has been restored, the customer must be notified
 * of the restoration" and given up to three days to come back. A
 * restoration notice on the resolved incident is a customer update like
 * any other, but nothing more is owed while the customer verifies: its
 * "next update" never fires as missed, and it does not stretch the three
 * days, which run from the resolution. */
static void a_restoration_notice_owes_no_further_update_and_keeps_the_three_days(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *r = open_inc(&f, 1, 2, "Mail");   /* P2: an update every hour */
    start_work(r);
    f.clock.now = T0 + 50 * MIN;
    resolve_complete(r);
    assert_int_equal(itsm_record_auto_close_due(r), T0 + 50 * MIN + 3 * DAY);
    f.clock.now = T0 + 55 * MIN;
    assert_ok(sla_customer_update(r, "Relay replaced: mail flows again, please confirm", T0 + 50 * MIN, T0 + DAY));
    assert_int_equal(timer(r, ITSM_TIMER_NEXT_UPDATE, T0 + 2 * DAY).status, ITSM_TIMER_STOPPED);
    assert_int_equal(itsm_record_auto_close_due(r), T0 + 50 * MIN + 3 * DAY);
    assert_int_equal(sla_tick(&f, T0 + 2 * DAY), 0);
    assert_int_equal(count_events(&f.store, "update_overdue"), 0);
    assert_int_equal(sla_tick(&f, T0 + 50 * MIN + 3 * DAY - 1), 0);
    assert_int_equal(sla_tick(&f, T0 + 50 * MIN + 3 * DAY), 1);
    assert_string_equal(itsm_record_state(r), "closed");
    assert_int_equal(itsm_record_int(r, ITSM_F_CLOSED_AT), T0 + 50 * MIN + 3 * DAY);
    assert_int_equal(count_events(&f.store, "update_overdue"), 0);
    assert_replay_same(&f, NULL, T0 + 4 * DAY);
    fixture_close(&f);
}

/* Seed 002: the availability information customers check "must be dynamic
 * and reliable". A host keeps it from the events it is told: the known
 * outage begins with "outage_declared" (the service, the expected
 * restoration and the next update) and, when its record is restored
 * (resolved) or canceled, ends in that same step with "outage_ended" naming
 * the service, after the transition - as itsm_outage_end would tell it.
 * Reopening brings no notice back, so nothing more is told; a replay
 * agrees. */
static void restoring_the_outage_record_tells_the_host_the_outage_ended(void **state)
{
    (void)state;
    fixture f;
    evcapture cap = { 0 };
    fixture_open_sink(&f, NULL, evcapture_sink, &cap);
    itsm_record *o = open_inc(&f, 1, 2, "Mail");
    assert_ok(itsm_outage_declare(o, T0 + 2 * HOUR, T0 + 30 * MIN));
    assert_non_null(strstr(cap.json[cap.n - 1], "\"type\":\"outage_declared\""));
    assert_non_null(strstr(cap.json[cap.n - 1], "\"service\":\"Mail\",\"expected_restoration\":"
                                                "\"2026-03-02T11:00:00Z\",\"next_update\":\"2026-03-02T09:30:00Z\""));
    start_work(o);
    f.clock.now = T0 + HOUR;
    size_t told = cap.n;
    resolve(o);
    assert_null(itsm_engine_outage(f.eng, "Mail"));
    assert_int_equal(cap.n, told + 2);
    assert_non_null(strstr(cap.json[told], "\"event\":\"resolve\""));
    assert_non_null(strstr(cap.json[told + 1], "\"type\":\"outage_ended\""));
    assert_non_null(strstr(cap.json[told + 1], "\"at\":\"2026-03-02T10:00:00Z\""));
    assert_non_null(strstr(cap.json[told + 1], "\"service\":\"Mail\""));
    assert_sink_saw_the_store(&cap, &f.store);
    f.clock.now = T0 + 2 * HOUR;
    assert_ok(itsm_record_fire(o, "reopen", NULL, 0));
    f.clock.now = T0 + 3 * HOUR;
    resolve(o);
    assert_int_equal(count_events(&f.store, "outage_ended"), 1);
    /* canceled: ended as well, once */
    itsm_record *w = open_inc(&f, 1, 2, "Web");
    assert_ok(itsm_outage_declare(w, T0 + 5 * HOUR, T0 + 4 * HOUR));
    assert_ok(itsm_record_fire(w, "cancel", NULL, 0));
    assert_null(itsm_engine_outage(f.eng, "Web"));
    assert_non_null(strstr(cap.json[cap.n - 1], "\"type\":\"outage_ended\""));
    assert_non_null(strstr(cap.json[cap.n - 1], "\"service\":\"Web\""));
    /* ended by hand: nothing more to end when it resolves */
    itsm_record *v = open_inc(&f, 1, 2, "VPN");
    assert_ok(itsm_outage_declare(v, T0 + 5 * HOUR, T0 + 4 * HOUR));
    assert_ok(itsm_outage_end(v));
    start_work(v);
    resolve(v);
    assert_int_equal(count_events(&f.store, "outage_ended"), 3);
    assert_replay_same(&f, NULL, T0 + 4 * HOUR);
    evcapture_free(&cap);
    fixture_close(&f);
}

static itsm_policy *survey_policy(unsigned permille)
{
    itsm_policy *p;
    assert_ok(itsm_policy_new_default(&p, NULL));
    assert_ok(itsm_policy_set_closure(p, 259200, permille, 1));
    return p;
}

static itsm_report_survey survey_row(const itsm_report *rep, size_t i)
{
    itsm_report_survey s = { .size = sizeof s };
    assert_ok(itsm_report_survey_at(rep, i, &s));
    return s;
}

static itsm_report *report_over(fixture *f, itsm_time from, itsm_time to)
{
    itsm_report *rep;
    itsm_report_opts o = ITSM_REPORT_OPTS_INIT;
    o.from = from;
    o.to = to;
    assert_ok(itsm_report_new(&rep, f->eng, &o));
    return rep;
}

/* Seed 002: "When an incident is closed, this triggers the customer
 * satisfaction process" - closed by the customer or, with no answer in
 * three days, by the timer. An incident resolved on Friday and closed by
 * the timer on Monday is surveyed, and the report counts the survey in the
 * week it closed (the closure, not the opening or the resolution); one
 * still awaiting verification is not surveyed yet. An answer given after
 * the period still counts for the closure in it. */
static void an_incident_closed_by_the_timer_is_surveyed_in_the_week_it_closed(void **state)
{
    (void)state;
    itsm_policy *p = survey_policy(1000);
    fixture f;
    fixture_open_policy(&f, p);
    const itsm_time friday = T0 + 4 * DAY + 7 * HOUR;   /* 2026-03-06 16:00 */
    const itsm_time week1 = T0 - 9 * HOUR, week2 = week1 + 7 * DAY;
    f.clock.now = friday - HOUR;
    itsm_record *a = open_inc(&f, 2, 3, "Mail"), *b = open_inc(&f, 2, 3, "Mail");
    start_work(a);
    start_work(b);
    f.clock.now = friday;
    resolve_complete(a);
    f.clock.now = friday + 30 * MIN;
    resolve_complete(b);
    assert_int_equal(sla_tick(&f, friday + 3 * DAY), 1);   /* Monday 16:00: a only */
    assert_string_equal(itsm_record_state(a), "closed");
    assert_string_equal(itsm_record_state(b), "resolved");
    assert_true(itsm_record_survey_sampled(a));
    assert_true(itsm_record_survey_sampled(b));
    assert_fails(f.eng, itsm_record_survey_answer(b, 5, NULL), ITSM_ESTATE, "once the record is closed");
    f.clock.now = week2 + 7 * DAY + HOUR;                /* answered the week after */
    assert_ok(itsm_record_survey_answer(a, 3, "took a while"));

    itsm_report *rep = report_over(&f, week2, week2 + 7 * DAY);
    /* all, group Desk, service Mail, week of Monday 9 March */
    assert_int_equal(itsm_report_survey_count(rep), 4);
    itsm_report_survey s = survey_row(rep, 0);
    assert_int_equal(s.by, ITSM_SURVEY_ALL);
    assert_int_equal(s.sent, 1);
    assert_int_equal(s.answered, 1);
    assert_true(s.response_rate == 1.0);
    assert_true(s.mean_score == 3.0);
    assert_int_equal(s.scores[2], 1);
    s = survey_row(rep, 1);
    assert_int_equal(s.by, ITSM_SURVEY_BY_GROUP);
    assert_string_equal(s.name, "Desk");
    s = survey_row(rep, 2);
    assert_int_equal(s.by, ITSM_SURVEY_BY_SERVICE);
    assert_string_equal(s.name, "Mail");
    s = survey_row(rep, 3);
    assert_int_equal(s.by, ITSM_SURVEY_BY_WEEK);
    assert_int_equal(s.week, week2);
    assert_int_equal(s.sent, 1);
    itsm_report_free(rep);

    /* the week it opened and was resolved in: no survey sent yet */
    rep = report_over(&f, week1, week2);
    assert_int_equal(itsm_report_survey_count(rep), 1);
    s = survey_row(rep, 0);
    assert_int_equal(s.sent, 0);
    assert_int_equal(s.answered, 0);
    assert_true(s.response_rate == 0.0);
    itsm_report_free(rep);
    assert_replay_same(&f, p, week2 + 8 * DAY);
    fixture_close(&f);
    itsm_policy_free(p);
}

/* Seed 002: "a percentage of customers should be surveyed". Only closed
 * records in the sample count as surveys sent; a closed record outside the
 * sample takes no answer; and a group's row appears only when one of its
 * closures was surveyed. At a rate of 0 nobody is asked: the report has
 * its row for all, with nothing sent. */
static void only_closed_records_in_the_sample_count_as_surveys_sent(void **state)
{
    (void)state;
    static const char *groups[4] = { "Desk", "Mail team", "Network", "Printing" };
    itsm_policy *p = survey_policy(500);
    fixture f;
    fixture_open_policy(&f, p);
    enum { N = 40 };
    size_t sampled = 0, per_group[4] = { 0 };
    for (int i = 0; i < N; i++) {
        itsm_record *r = open_inc(&f, 3, 3, "Mail");
        itsm_change s[2] = { { ITSM_F_ASSIGNMENT_GROUP, groups[i % 4], 0 }, { ITSM_F_ASSIGNEE, "ann", 0 } };
        assert_ok(itsm_record_fire(r, "start", s, 2));
        resolve_complete(r);
        assert_ok(itsm_record_fire(r, "confirm", NULL, 0));
        if (itsm_record_survey_sampled(r)) {
            sampled++;
            per_group[i % 4]++;
            assert_ok(itsm_record_survey_answer(r, 1 + i % 5, NULL));
        } else {
            uint64_t rev = itsm_record_revision(r);
            assert_fails(f.eng, itsm_record_survey_answer(r, 4, NULL), ITSM_ESTATE, "not in the survey sample");
            assert_int_equal(itsm_record_revision(r), rev);
        }
    }
    assert_in_range(sampled, 1, N - 1);
    itsm_report *rep = report_over(&f, ITSM_TIME_MIN, ITSM_TIME_MAX);
    itsm_report_survey all = survey_row(rep, 0);
    assert_int_equal(all.sent, sampled);
    assert_int_equal(all.answered, sampled);
    size_t rows = itsm_report_survey_count(rep), seen = 0;
    for (size_t i = 1; i < rows; i++) {
        itsm_report_survey s = survey_row(rep, i);
        if (s.by != ITSM_SURVEY_BY_GROUP)
            continue;
        int g = -1;
        for (int k = 0; k < 4; k++)
            if (s.name && strcmp(s.name, groups[k]) == 0)
                g = k;
        assert_true(g >= 0);
        assert_int_equal(s.sent, per_group[g]);
        assert_true(per_group[g] > 0);
        seen++;
    }
    size_t want = 0;
    for (int k = 0; k < 4; k++)
        want += per_group[k] > 0;
    assert_int_equal(seen, want);
    itsm_report_free(rep);
    fixture_close(&f);
    itsm_policy_free(p);

    p = survey_policy(0);
    fixture_open_policy(&f, p);
    for (int i = 0; i < 5; i++) {
        itsm_record *r = open_inc(&f, 3, 3, "Mail");
        start_work(r);
        resolve_complete(r);
        assert_ok(itsm_record_fire(r, "confirm", NULL, 0));
        assert_false(itsm_record_survey_sampled(r));
        assert_fails(f.eng, itsm_record_survey_answer(r, 5, NULL), ITSM_ESTATE, "not in the survey sample");
    }
    rep = report_over(&f, ITSM_TIME_MIN, ITSM_TIME_MAX);
    assert_int_equal(itsm_report_survey_count(rep), 1);
    all = survey_row(rep, 0);
    assert_int_equal(all.sent, 0);
    assert_int_equal(all.answered, 0);
    assert_true(all.response_rate == 0.0);
    assert_true(all.mean_score == 0.0);
    itsm_report_free(rep);
    fixture_close(&f);
    itsm_policy_free(p);
}

/* Seed 002: feedback is analysed and given back to the IT organisation,
 * per group, per service and over time. A closure with no group or no
 * service is still a survey sent: its row names none and comes first (the
 * JSON's null, the CSV's "group:" and "service:" alone). Weeks start on
 * Monday 00:00 UTC: a closure a second before it counts in the week
 * before. */
static void survey_rows_for_no_group_and_no_service_come_first_and_weeks_turn_at_monday_midnight(void **state)
{
    (void)state;
    itsm_policy *p = survey_policy(1000);
    fixture f;
    fixture_open_policy(&f, p);
    const itsm_time week1 = T0 - 9 * HOUR, week2 = week1 + 7 * DAY;
    itsm_record *a = open_inc(&f, 3, 3, "Mail"), *b = open_inc(&f, 3, 3, NULL);
    start_work(a);
    start_work(b);
    assert_ok(itsm_record_set_str(a, ITSM_F_ASSIGNMENT_GROUP, NULL));   /* the group let go of it */
    resolve_complete(a);
    resolve_complete(b);
    f.clock.now = week2 - 1;                                            /* Sunday 23:59:59 */
    assert_ok(itsm_record_fire(a, "confirm", NULL, 0));
    f.clock.now = week2;                                                /* Monday 00:00 */
    assert_ok(itsm_record_fire(b, "confirm", NULL, 0));
    assert_ok(itsm_record_survey_answer(a, 2, NULL));

    itsm_report *rep = report_over(&f, ITSM_TIME_MIN, ITSM_TIME_MAX);
    static const struct { itsm_survey_dimension by; const char *name; size_t sent, answered; } want[] = {
        { ITSM_SURVEY_ALL, NULL, 2, 1 },
        { ITSM_SURVEY_BY_GROUP, NULL, 1, 1 }, { ITSM_SURVEY_BY_GROUP, "Desk", 1, 0 },
        { ITSM_SURVEY_BY_SERVICE, NULL, 1, 0 }, { ITSM_SURVEY_BY_SERVICE, "Mail", 1, 1 },
        { ITSM_SURVEY_BY_WEEK, NULL, 1, 1 }, { ITSM_SURVEY_BY_WEEK, NULL, 1, 0 } };
    assert_int_equal(itsm_report_survey_count(rep), 7);
    for (size_t i = 0; i < 7; i++) {
        itsm_report_survey s = survey_row(rep, i);
        assert_int_equal(s.by, want[i].by);
        if (want[i].name)
            assert_string_equal(s.name, want[i].name);
        else
            assert_null(s.name);
        assert_int_equal(s.sent, want[i].sent);
        assert_int_equal(s.answered, want[i].answered);
    }
    assert_int_equal(survey_row(rep, 5).week, week1);
    assert_int_equal(survey_row(rep, 6).week, week2);
    size_t len;
    assert_int_equal(itsm_report_to_csv(rep, NULL, 0, &len), ITSM_ELIMIT);
    char *csv = malloc(len + 1);
    assert_non_null(csv);
    assert_ok(itsm_report_to_csv(rep, csv, len + 1, &len));
    assert_non_null(strstr(csv, "satisfaction,group:,sent,1\r\n"));
    assert_non_null(strstr(csv, "satisfaction,service:,answered,0\r\n"));
    assert_non_null(strstr(csv, "satisfaction,week:2026-03-02T00:00:00Z,score_2,1\r\n"));
    assert_non_null(strstr(csv, "satisfaction,week:2026-03-09T00:00:00Z,sent,1\r\n"));
    free(csv);
    assert_int_equal(itsm_report_to_json(rep, NULL, 0, &len), ITSM_ELIMIT);
    char *json = malloc(len + 1);
    assert_non_null(json);
    assert_ok(itsm_report_to_json(rep, json, len + 1, &len));
    assert_non_null(strstr(json, "{\"by\":\"group\",\"name\":null,\"week\":null,\"sent\":1,\"answered\":1,"));
    free(json);
    itsm_report_free(rep);
    fixture_close(&f);
    itsm_policy_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_promise_made_at_the_point_of_contact_is_the_next_update_due),
        cmocka_unit_test(a_work_note_or_a_field_change_is_no_update_to_the_customer),
        cmocka_unit_test(a_lowered_priority_owes_the_missed_update_to_the_callers_only),
        cmocka_unit_test(a_restoration_notice_owes_no_further_update_and_keeps_the_three_days),
        cmocka_unit_test(restoring_the_outage_record_tells_the_host_the_outage_ended),
        cmocka_unit_test(an_incident_closed_by_the_timer_is_surveyed_in_the_week_it_closed),
        cmocka_unit_test(only_closed_records_in_the_sample_count_as_surveys_sent),
        cmocka_unit_test(survey_rows_for_no_group_and_no_service_come_first_and_weeks_turn_at_monday_midnight),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
