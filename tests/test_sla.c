/* SPDX-License-Identifier: Apache-2.0 */
/* Service-level targets, pause and re-planning (DESIGN.md section 4). */
#include "sla/sla_support.h"

static void targets_come_from_the_policy_per_priority(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *p1 = open_inc(&f, 1, 1, NULL), *p3 = open_inc(&f, 2, 2, NULL);
    itsm_timer_info r = timer(p1, ITSM_TIMER_RESPONSE, T0), s = timer(p1, ITSM_TIMER_RESOLUTION, T0);
    assert_int_equal(r.status, ITSM_TIMER_RUNNING);
    assert_int_equal(r.target, 900);
    assert_int_equal(r.due, T0 + 900);
    assert_int_equal(s.target, 4 * HOUR);
    assert_int_equal(s.due, T0 + 4 * HOUR);
    assert_string_equal(s.calendar, "24x7");
    assert_int_equal(timer(p1, ITSM_TIMER_OLA, T0).status, ITSM_TIMER_NONE);
    assert_int_equal(timer(p1, ITSM_TIMER_NEXT_UPDATE, T0).status, ITSM_TIMER_NONE);
    /* P3 counts business hours: 24 working hours from Monday 09:00 end Wednesday 17:00 */
    s = timer(p3, ITSM_TIMER_RESOLUTION, T0);
    assert_string_equal(s.calendar, "business");
    assert_int_equal(s.due, T0 + 2 * DAY + 8 * HOUR);
    assert_string_equal(itsm_record_sla(p3), "standard");
    fixture_close(&f);
}

static void response_clock_stops_at_first_response(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *r = open_inc(&f, 1, 2, NULL);
    f.clock.now = T0 + 10 * MIN;
    start_work(r);
    itsm_timer_info t = timer(r, ITSM_TIMER_RESPONSE, T0 + 2 * HOUR);
    assert_int_equal(t.status, ITSM_TIMER_STOPPED);
    assert_int_equal(t.elapsed, 10 * MIN);
    assert_int_equal(t.breached, 0);
    assert_int_equal(timer(r, ITSM_TIMER_RESOLUTION, T0 + 2 * HOUR).elapsed, 2 * HOUR);
    fixture_close(&f);
}

static void awaiting_customer_pauses_resolution_and_resuming_moves_the_due_time(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *r = open_inc(&f, 1, 2, NULL);   /* P2: 8 h on 24x7 */
    f.clock.now = T0 + 10 * MIN;
    start_work(r);
    f.clock.now = T0 + HOUR;
    hold(r, "awaiting_customer");
    itsm_timer_info t = timer(r, ITSM_TIMER_RESOLUTION, T0 + 3 * HOUR);
    assert_int_equal(t.status, ITSM_TIMER_PAUSED);
    assert_int_equal(t.elapsed, HOUR);
    assert_int_equal(t.paused, 2 * HOUR);
    assert_int_equal(t.due, ITSM_TIME_NONE);
    f.clock.now = T0 + 3 * HOUR;
    assert_ok(itsm_record_fire(r, "resume", NULL, 0));
    t = timer(r, ITSM_TIMER_RESOLUTION, T0 + 3 * HOUR);
    assert_int_equal(t.status, ITSM_TIMER_RUNNING);
    assert_int_equal(t.paused, 2 * HOUR);
    assert_int_equal(t.due, T0 + 3 * HOUR + 7 * HOUR);
    assert_replay_same(&f, NULL, T0 + 5 * HOUR);
    fixture_close(&f);
}

static void a_reason_that_does_not_pause_keeps_the_clock_running(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *r = open_inc(&f, 1, 2, NULL);
    start_work(r);
    f.clock.now = T0 + HOUR;
    hold(r, "awaiting_supplier");
    itsm_timer_info t = timer(r, ITSM_TIMER_RESOLUTION, T0 + 3 * HOUR);
    assert_int_equal(t.status, ITSM_TIMER_RUNNING);
    assert_int_equal(t.elapsed, 3 * HOUR);
    assert_int_equal(t.due, T0 + 8 * HOUR);
    fixture_close(&f);
}

static void pause_across_a_weekend_counts_only_working_time(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_time fri16 = T0 + 4 * DAY + 7 * HOUR;
    f.clock.now = fri16;
    itsm_record *r = open_inc(&f, 2, 2, NULL);   /* P3: 24 working hours */
    start_work(r);
    f.clock.now = fri16 + 30 * MIN;
    hold(r, "awaiting_customer");
    itsm_time mon11 = T0 + 7 * DAY + 2 * HOUR;
    f.clock.now = mon11;
    assert_ok(itsm_record_fire(r, "resume", NULL, 0));
    itsm_timer_info t = timer(r, ITSM_TIMER_RESOLUTION, mon11);
    assert_int_equal(t.elapsed, 30 * MIN);
    assert_int_equal(t.paused, 30 * MIN + 2 * HOUR);
    /* 23.5 working hours left from Monday 11:00: Thursday 10:30 */
    assert_int_equal(t.due, mon11 + 3 * DAY - 30 * MIN);
    fixture_close(&f);
}

static void priority_change_during_a_pause_replans_with_elapsed_and_paused_carried(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *r = open_inc(&f, 2, 2, NULL);   /* P3, business */
    start_work(r);
    f.clock.now = T0 + HOUR;
    hold(r, "awaiting_customer");
    f.clock.now = T0 + 3 * HOUR;
    assert_ok(itsm_record_set_int(r, ITSM_F_PRIORITY, 2));   /* P2: 8 h on 24x7 */
    itsm_timer_info t = timer(r, ITSM_TIMER_RESOLUTION, T0 + 3 * HOUR);
    assert_int_equal(t.status, ITSM_TIMER_PAUSED);
    assert_int_equal(t.target, 8 * HOUR);
    assert_int_equal(t.elapsed, HOUR);
    assert_int_equal(t.paused, 2 * HOUR);
    f.clock.now = T0 + 4 * HOUR;
    assert_ok(itsm_record_fire(r, "resume", NULL, 0));
    t = timer(r, ITSM_TIMER_RESOLUTION, T0 + 4 * HOUR);
    assert_int_equal(t.paused, 3 * HOUR);
    assert_int_equal(t.elapsed, HOUR);
    assert_int_equal(t.due, T0 + 4 * HOUR + 7 * HOUR);
    assert_string_equal(t.calendar, "24x7");
    assert_replay_same(&f, NULL, T0 + 6 * HOUR);
    fixture_close(&f);
}

static itsm_policy *gold_policy(void)
{
    itsm_policy *p;
    assert_ok(itsm_policy_new_default(&p, NULL));
    itsm_sla_def d = ITSM_SLA_DEF_INIT;
    d.name = "gold";
    for (int i = 0; i < 5; i++) {
        d.response[i] = 600;
        d.resolution[i] = 2 * HOUR;
    }
    assert_ok(itsm_policy_set_sla(p, &d));
    assert_ok(itsm_policy_set_service_sla(p, "Payroll", "gold"));
    assert_ok(itsm_policy_set_ola(p, "Network", HOUR, NULL));
    return p;
}

static void sla_change_keeps_elapsed_and_paused_time(void **state)
{
    (void)state;
    itsm_policy *p = gold_policy();
    fixture f;
    fixture_open_policy(&f, p);
    itsm_record *r = open_inc(&f, 2, 2, NULL);
    start_work(r);
    f.clock.now = T0 + HOUR;
    hold(r, "awaiting_customer");
    f.clock.now = T0 + 2 * HOUR;
    assert_ok(itsm_record_set_sla(r, "gold"));
    assert_string_equal(itsm_record_sla(r), "gold");
    f.clock.now = T0 + 3 * HOUR;
    assert_ok(itsm_record_fire(r, "resume", NULL, 0));
    itsm_timer_info t = timer(r, ITSM_TIMER_RESOLUTION, T0 + 3 * HOUR);
    assert_int_equal(t.elapsed, HOUR);
    assert_int_equal(t.paused, 2 * HOUR);
    assert_int_equal(t.due, T0 + 4 * HOUR);
    /* an unknown SLA changes nothing */
    uint64_t rev = itsm_record_revision(r);
    assert_fails(f.eng, itsm_record_set_sla(r, "platinum"), ITSM_ENOTFOUND, "platinum");
    assert_int_equal(itsm_record_revision(r), rev);
    /* a service mapped to an SLA */
    itsm_record *pay = open_inc(&f, 2, 2, "Payroll");
    assert_string_equal(itsm_record_sla(pay), "gold");
    assert_replay_same(&f, p, T0 + 5 * HOUR);
    fixture_close(&f);
    itsm_policy_free(p);
}

static void ola_belongs_to_the_group_holding_the_record(void **state)
{
    (void)state;
    itsm_policy *p = gold_policy();
    fixture f;
    fixture_open_policy(&f, p);
    itsm_record *r = open_inc(&f, 2, 2, NULL);
    start_work(r);
    assert_int_equal(timer(r, ITSM_TIMER_OLA, T0 + HOUR).status, ITSM_TIMER_NONE);
    f.clock.now = T0 + 30 * MIN;
    assert_ok(itsm_record_set_str(r, ITSM_F_ASSIGNMENT_GROUP, "Network"));
    itsm_timer_info t = timer(r, ITSM_TIMER_OLA, T0 + 45 * MIN);
    assert_int_equal(t.status, ITSM_TIMER_RUNNING);
    assert_int_equal(t.elapsed, 15 * MIN);
    assert_int_equal(t.due, T0 + 90 * MIN);
    fixture_close(&f);
    itsm_policy_free(p);
}

/* Seed 002: service level management "proactively notif[ies] technical
 * support partners of incidents that are near service level exception".
 * The partner's own target is its OLA: at 75% of it a warning for the OLA
 * goes to the assignee and the group holding the record, before its
 * breach. */
static void an_ola_warns_the_group_holding_the_record_before_it_breaches(void **state)
{
    (void)state;
    itsm_policy *p;
    assert_ok(itsm_policy_new_default(&p, NULL));
    assert_ok(itsm_policy_set_ola(p, "Desk", 40 * MIN, NULL));
    fixture f;
    fixture_open_policy(&f, p);
    itsm_record *r = open_inc(&f, 2, 2, NULL);   /* P3 business: nothing else due in the first hour */
    start_work(r);
    size_t n = 0;
    assert_ok(itsm_engine_tick(f.eng, T0 + 30 * MIN - 1, &n));
    assert_int_equal(n, 0);
    assert_ok(itsm_engine_tick(f.eng, T0 + 30 * MIN, &n));
    assert_int_equal(n, 1);
    const char *w = f.store.events[f.store.n - 1];
    assert_non_null(strstr(w, "\"type\":\"sla_warning\""));
    assert_non_null(strstr(w, "\"timer\":\"ola\""));
    assert_non_null(strstr(w, "\"audience\":[\"ann\",\"Desk\"]"));
    assert_int_equal(count_events(&f.store, "sla_breach"), 0);
    assert_ok(itsm_engine_tick(f.eng, T0 + 40 * MIN, &n));
    assert_int_equal(count_events(&f.store, "sla_breach"), 1);
    assert_replay_same(&f, p, T0 + HOUR);
    fixture_close(&f);
    itsm_policy_free(p);
}

static void bad_timer_arguments_are_refused(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *r = open_inc(&f, 1, 1, NULL);
    itsm_timer_info t = { .size = sizeof t };
    assert_int_equal(itsm_record_timer(&t, r, (itsm_timer)9, T0), ITSM_EINVAL);
    assert_int_equal(itsm_record_timer(NULL, r, ITSM_TIMER_RESPONSE, T0), ITSM_EINVAL);
    assert_int_equal(itsm_record_timer(&t, r, ITSM_TIMER_RESPONSE, -3), ITSM_EINVAL);
    fixture_close(&f);
}

static void policy_sections_round_trip_byte_for_byte(void **state)
{
    (void)state;
    itsm_policy *p = gold_policy();
    itsm_calendar_def d = ITSM_CALENDAR_DEF_INIT;
    const char *hol[] = { "2026-12-25", "2026-01-01" };
    d.name = "uk_office";
    d.utc_offset = 0;
    for (int i = 0; i < 5; i++) {
        d.start[i] = 8 * HOUR + 30 * MIN;
        d.end[i] = 17 * HOUR;
    }
    d.holidays = hol;
    d.nholidays = 2;
    assert_ok(itsm_policy_set_calendar(p, &d));
    unsigned w[] = { 500, 900 };
    assert_ok(itsm_policy_set_warnings(p, w, 2));
    assert_ok(itsm_policy_add_route(p, "network", NULL, "Network"));
    assert_ok(itsm_policy_add_route(p, NULL, "Mail", "Messaging"));
    assert_ok(itsm_policy_set_pause(p, "awaiting_supplier", ITSM_TIMER_BIT(ITSM_TIMER_OLA)));
    size_t n;
    assert_int_equal(itsm_policy_to_json(p, NULL, 0, &n), ITSM_ELIMIT);
    char *a = malloc(n + 1);
    assert_ok(itsm_policy_to_json(p, a, n + 1, &n));
    itsm_policy *q;
    itsm_parse_error err;
    int rc = itsm_policy_from_json(&q, a, n, NULL, NULL, &err);
    if (rc)
        fail_msg("%s at %zu:%zu", err.text, err.line, err.column);
    size_t n2;
    itsm_policy_to_json(q, NULL, 0, &n2);
    char *b = malloc(n2 + 1);
    assert_ok(itsm_policy_to_json(q, b, n2 + 1, &n2));
    assert_string_equal(a, b);
    assert_non_null(strstr(a, "\"holidays\":[\"2026-01-01\",\"2026-12-25\"]"));
    assert_non_null(strstr(a, "\"warnings\":[0.5,0.9]"));
    assert_string_equal(itsm_policy_route(q, "network", "Mail"), "Network");
    assert_string_equal(itsm_policy_route(q, "other", "Mail"), "Messaging");
    assert_null(itsm_policy_route(q, "other", "Web"));
    free(a);
    free(b);
    itsm_policy_free(q);
    itsm_policy_free(p);
}

static void bad_policy_sections_point_at_the_value(void **state)
{
    (void)state;
    static const struct { const char *doc; const char *needle; } cases[] = {
        { "{\"itsm_policy\":1,\"calendars\":[{\"name\":\"x\",\"hours\":{\"mon\":\"17:00-09:00\"}}]}", "start before end" },
        { "{\"itsm_policy\":1,\"calendars\":[{\"name\":\"x\",\"hours\":{}}]}", "no working time" },
        { "{\"itsm_policy\":1,\"calendars\":[{\"name\":\"x\",\"hours\":{\"mon\":\"09:00-17:00\"},\"holidays\":[\"2026-13-01\"]}]}", "not a date" },
        { "{\"itsm_policy\":1,\"service_levels\":{\"default_sla\":\"nope\"}}", "unknown SLA" },
        { "{\"itsm_policy\":1,\"service_levels\":{\"warnings\":[0.9,0.5]}}", "ascending" },
        { "{\"itsm_policy\":1,\"service_levels\":{\"pause\":{\"awaiting_customer\":[\"lunch\"]}}}", "unknown timer" },
        /* one target per priority, as an agreement has: the second would replace the first */
        { "{\"itsm_policy\":1,\"service_levels\":{\"slas\":[{\"name\":\"g\",\"targets\":[{\"priority\":1,"
          "\"response\":60},{\"priority\":1,\"response\":120}]}]}}", "two targets for priority 1" },
        /* refused as itsm_policy_set_sla_stop_states refuses it */
        { "{\"itsm_policy\":1,\"service_levels\":{\"stop_states\":[\"resolved\",\"resolved\"]}}",
          "stop state 'resolved' given twice" },
        { "{\"itsm_policy\":1,\"service_levels\":{\"slas\":[{\"name\":\"g\",\"targets\":[{\"priority\":1,\"calendar\":\"mars\"}]}]}}", "mars" },
        { "{\"itsm_policy\":1,\"escalation\":{\"ladder\":[]}}", "1..9" },
        { "{\"itsm_policy\":1,\"major_incident\":{\"communication_due\":0}}", "communication_due" },
        { "{\"itsm_policy\":1,\"communication\":{\"cadence\":[1,2,3]}}", "cadence" },
        { "{\"itsm_policy\":1,\"closure\":{\"survey_rate\":1.5}}", "fraction" },
        { "{\"itsm_policy\":1,\"closure\":{\"colour\":1}}", "unknown member 'colour'" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        itsm_policy *p = (itsm_policy *)1;
        itsm_parse_error err;
        int rc = itsm_policy_from_json(&p, cases[i].doc, strlen(cases[i].doc), NULL, NULL, &err);
        if (rc != ITSM_EPARSE || !strstr(err.text, cases[i].needle) || p || err.line != 1)
            fail_msg("case %zu: %s '%s' (wanted '%s')", i, itsm_errname(rc), err.text, cases[i].needle);
    }
}

/* DESIGN 4, re-planning: moving a record to a service with another SLA
 * mid-flight recomputes the due time from its history; the elapsed and
 * paused time carry over to the new target. */
static void service_change_mid_flight_replans_with_elapsed_and_paused_carried(void **state)
{
    (void)state;
    itsm_policy *p = gold_policy();   /* Payroll -> gold: resolution 2 h */
    fixture f;
    fixture_open_policy(&f, p);
    itsm_record *r = open_inc(&f, 1, 2, NULL);   /* P2 standard: 8 h on 24x7 */
    start_work(r);
    f.clock.now = T0 + 30 * MIN;
    hold(r, "awaiting_customer");
    f.clock.now = T0 + 90 * MIN;
    assert_ok(itsm_record_fire(r, "resume", NULL, 0));
    f.clock.now = T0 + 2 * HOUR;
    assert_string_equal(itsm_record_sla(r), "standard");
    assert_int_equal(timer(r, ITSM_TIMER_RESOLUTION, T0 + 2 * HOUR).due, T0 + 9 * HOUR);
    assert_ok(itsm_record_set_str(r, ITSM_F_SERVICE, "Payroll"));
    assert_string_equal(itsm_record_sla(r), "gold");
    itsm_timer_info t = timer(r, ITSM_TIMER_RESOLUTION, T0 + 2 * HOUR);
    assert_int_equal(t.status, ITSM_TIMER_RUNNING);
    assert_int_equal(t.target, 2 * HOUR);
    assert_int_equal(t.elapsed, HOUR);          /* 30 min + 30 min worked */
    assert_int_equal(t.paused, HOUR);           /* the hour on hold is kept */
    assert_int_equal(t.due, T0 + 3 * HOUR);     /* 1 h of the 2 h left */
    /* and back: the standard target again, with the same history */
    f.clock.now = T0 + 150 * MIN;
    assert_ok(itsm_record_set_str(r, ITSM_F_SERVICE, "Web"));
    t = timer(r, ITSM_TIMER_RESOLUTION, T0 + 150 * MIN);
    assert_int_equal(t.target, 8 * HOUR);
    assert_int_equal(t.elapsed, 90 * MIN);
    assert_int_equal(t.paused, HOUR);
    assert_int_equal(t.due, T0 + 150 * MIN + 8 * HOUR - 90 * MIN);
    assert_replay_same(&f, p, T0 + 3 * HOUR);
    fixture_close(&f);
    itsm_policy_free(p);
}

static void stop_states_are_set_from_c(void **state)
{
    (void)state;
    itsm_policy *p;
    assert_ok(itsm_policy_new_default(&p, NULL));
    const char *st[] = { "resolved", "on_hold" };
    assert_ok(itsm_policy_set_sla_stop_states(p, st, 2));
    const char *dup[] = { "resolved", "resolved" };
    const char *empty[] = { "" };
    const char *nine[9] = { "a", "b", "c", "d", "e", "f", "g", "h", "i" };
    assert_int_equal(itsm_policy_set_sla_stop_states(p, dup, 2), ITSM_EINVAL);
    assert_non_null(strstr(itsm_policy_errmsg(p), "twice"));
    assert_int_equal(itsm_policy_set_sla_stop_states(p, empty, 1), ITSM_EINVAL);
    assert_int_equal(itsm_policy_set_sla_stop_states(p, nine, 9), ITSM_EINVAL);
    assert_int_equal(itsm_policy_set_sla_stop_states(p, NULL, 1), ITSM_EINVAL);
    assert_int_equal(itsm_policy_set_sla_stop_states(NULL, st, 1), ITSM_EINVAL);
    char buf[16384];
    size_t len;
    assert_ok(itsm_policy_to_json(p, buf, sizeof buf, &len));
    assert_non_null(strstr(buf, "\"stop_states\":[\"resolved\",\"on_hold\"]"));
    fixture f;
    fixture_open_policy(&f, p);
    itsm_record *r = open_inc(&f, 1, 2, NULL);
    start_work(r);
    f.clock.now = T0 + HOUR;
    hold(r, "awaiting_vendor");   /* not a pausing reason: on_hold is a stop state now */
    itsm_timer_info t = timer(r, ITSM_TIMER_RESOLUTION, T0 + 3 * HOUR);
    assert_int_equal(t.status, ITSM_TIMER_STOPPED);
    assert_int_equal(t.elapsed, HOUR);
    fixture_close(&f);
    /* n = 0: no stop state, the clock runs on through on_hold */
    assert_ok(itsm_policy_set_sla_stop_states(p, NULL, 0));
    fixture_open_policy(&f, p);
    r = open_inc(&f, 1, 2, NULL);
    start_work(r);
    hold(r, "awaiting_vendor");
    assert_int_equal(timer(r, ITSM_TIMER_RESOLUTION, T0 + HOUR).status, ITSM_TIMER_RUNNING);
    fixture_close(&f);
    itsm_policy_free(p);
}

/* A service request is delivered at fulfilled (the step that stamps
 * resolved_at): its resolution and next-update clocks stop there, as an
 * incident's do at resolved, and waiting for the close breaches nothing
 * and climbs no ladder. */
static void a_fulfilled_request_stops_its_resolution_clock(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *q = NULL;
    itsm_change init[3] = { { ITSM_F_SUMMARY, "New laptop", 0 }, { ITSM_F_IMPACT, NULL, 1 },
                            { ITSM_F_URGENCY, NULL, 2 } };   /* P2: 8 h on 24x7 */
    itsm_record_opts o = ITSM_RECORD_OPTS_INIT;
    o.kind = ITSM_KIND_SERVICE_REQUEST;
    o.fields = init;
    o.nfields = 3;
    assert_ok(itsm_record_open(&q, f.eng, &o));
    itsm_change sub[2] = { { ITSM_F_CALLER, "carl", 0 }, { ITSM_F_SERVICE, "Laptops", 0 } };
    assert_ok(itsm_record_fire(q, "submit", sub, 2));
    assert_ok(itsm_record_approve(q, NULL, "mgr", "budget ok"));
    assert_ok(itsm_record_fire(q, "approve", NULL, 0));
    f.clock.now = T0 + 10 * MIN;
    itsm_change g[2] = { { ITSM_F_ASSIGNMENT_GROUP, "Desk", 0 }, { ITSM_F_ASSIGNEE, "fay", 0 } };
    assert_ok(itsm_record_fire(q, "fulfil", g, 2));
    f.clock.now = T0 + HOUR;
    itsm_change done = { ITSM_F_RESOLUTION_NOTES, "delivered", 0 };
    assert_ok(itsm_record_fire(q, "complete", &done, 1));
    assert_string_equal(itsm_record_state(q), "fulfilled");
    itsm_timer_info t = timer(q, ITSM_TIMER_RESOLUTION, T0 + 2 * DAY);
    assert_int_equal(t.status, ITSM_TIMER_STOPPED);
    assert_int_equal(t.elapsed, HOUR);
    assert_int_equal(t.breached, 0);
    assert_int_equal(timer(q, ITSM_TIMER_NEXT_UPDATE, T0 + 2 * DAY).status, ITSM_TIMER_STOPPED);
    size_t fired = 0;
    assert_ok(itsm_engine_tick(f.eng, T0 + 2 * DAY, &fired));
    assert_int_equal(fired, 0);
    assert_int_equal(count_events(&f.store, "sla_breach"), 0);
    assert_int_equal(count_events(&f.store, "update_overdue"), 0);
    assert_int_equal(itsm_record_int(q, ITSM_F_HIERARCHICAL_LEVEL), 0);
    assert_int_equal(itsm_record_auto_close_due(q), ITSM_TIME_NONE);   /* requests close by hand */
    assert_replay_same(&f, NULL, T0 + 2 * DAY);
    fixture_close(&f);
}

/* A record opened without a priority has no clocks (nothing to measure
 * against); they start at the event that gives it one, as documented in
 * docs/service-levels.md (DESIGN 4: the priority is set before dispatch). */
static void clocks_start_when_a_record_first_gets_a_priority(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *r = NULL;
    itsm_change init = { ITSM_F_SUMMARY, "Mail down", 0 };
    itsm_record_opts o = ITSM_RECORD_OPTS_INIT;
    o.fields = &init;
    o.nfields = 1;
    assert_ok(itsm_record_open(&r, f.eng, &o));
    assert_int_equal(timer(r, ITSM_TIMER_RESPONSE, T0 + HOUR).status, ITSM_TIMER_NONE);
    assert_int_equal(timer(r, ITSM_TIMER_RESOLUTION, T0 + HOUR).status, ITSM_TIMER_NONE);
    f.clock.now = T0 + HOUR;
    assert_ok(itsm_record_set_int(r, ITSM_F_PRIORITY, 2));   /* P2: 30 min response, 8 h on 24x7 */
    itsm_timer_info t = timer(r, ITSM_TIMER_RESPONSE, T0 + HOUR);
    assert_int_equal(t.status, ITSM_TIMER_RUNNING);
    assert_int_equal(t.elapsed, 0);
    assert_int_equal(t.due, T0 + HOUR + 30 * MIN);
    t = timer(r, ITSM_TIMER_RESOLUTION, T0 + 2 * HOUR);
    assert_int_equal(t.elapsed, HOUR);
    assert_int_equal(t.due, T0 + HOUR + 8 * HOUR);
    assert_replay_same(&f, NULL, T0 + 2 * HOUR);
    fixture_close(&f);
}

/* A hand-set SLA is one byte of a record's timer state: a policy holds at
 * most ITSM_MAX_SLAS (255), the 256th is refused, and the last one can be
 * chosen by hand and keeps its own targets (it once wrapped to another). */
static void sla_override_of_the_last_of_255_slas_keeps_its_sla(void **state)
{
    (void)state;
    itsm_policy *pol;
    assert_ok(itsm_policy_new_default(&pol, NULL));
    size_t have = 0;
    for (int i = 0; i < 400; i++) {
        char name[16];
        snprintf(name, sizeof name, "s%d", i);
        itsm_sla_def d = ITSM_SLA_DEF_INIT;
        d.name = name;
        for (int p = 0; p < 5; p++)
            d.resolution[p] = d.response[p] = (uint32_t)(3600 + i);
        int rc = itsm_policy_set_sla(pol, &d);
        if (rc == ITSM_ELIMIT) {
            assert_non_null(strstr(itsm_policy_errmsg(pol), "at most 255 SLAs"));
            break;
        }
        assert_ok(rc);
        have = (size_t)i;
    }
    char last[16];
    snprintf(last, sizeof last, "s%zu", have);
    fixture f;
    fixture_open_policy(&f, pol);
    itsm_policy_free(pol);
    itsm_record *r = open_inc(&f, 2, 2, "mail");
    assert_ok(itsm_record_set_sla(r, last));
    assert_string_equal(itsm_record_sla(r), last);
    itsm_timer_info ti = { .size = sizeof ti };
    assert_ok(itsm_record_timer(&ti, r, ITSM_TIMER_RESOLUTION, f.clock.now));
    assert_int_equal(ti.target, 3600 + (int)have);
    fixture_close(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(sla_override_of_the_last_of_255_slas_keeps_its_sla),
        cmocka_unit_test(targets_come_from_the_policy_per_priority),
        cmocka_unit_test(clocks_start_when_a_record_first_gets_a_priority),
        cmocka_unit_test(response_clock_stops_at_first_response),
        cmocka_unit_test(awaiting_customer_pauses_resolution_and_resuming_moves_the_due_time),
        cmocka_unit_test(a_reason_that_does_not_pause_keeps_the_clock_running),
        cmocka_unit_test(pause_across_a_weekend_counts_only_working_time),
        cmocka_unit_test(priority_change_during_a_pause_replans_with_elapsed_and_paused_carried),
        cmocka_unit_test(sla_change_keeps_elapsed_and_paused_time),
        cmocka_unit_test(ola_belongs_to_the_group_holding_the_record),
        cmocka_unit_test(an_ola_warns_the_group_holding_the_record_before_it_breaches),
        cmocka_unit_test(bad_timer_arguments_are_refused),
        cmocka_unit_test(policy_sections_round_trip_byte_for_byte),
        cmocka_unit_test(bad_policy_sections_point_at_the_value),
        cmocka_unit_test(stop_states_are_set_from_c),
        cmocka_unit_test(service_change_mid_flight_replans_with_elapsed_and_paused_carried),
        cmocka_unit_test(a_fulfilled_request_stops_its_resolution_clock),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
