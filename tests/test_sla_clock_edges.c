/* SPDX-License-Identifier: Apache-2.0 */
/* Service-level clocks at their edges (DESIGN.md section 4): a target
 * reached at the very second of a step, a warning fraction that falls
 * between two seconds, a reopened or held clock around its breach, a
 * priority change that moves the clock onto another calendar (office
 * hours, a zone with daylight saving), holds across holidays, and an
 * OLA's clock for a group that takes the record back. Black-box: the
 * public API and the stored events only. */
#include "sla/sla_support.h"

/* The stored events of `type` for `timer`, counted. */
static size_t timer_events(const memstore *s, const char *type, const char *which)
{
    char part[64];
    snprintf(part, sizeof part, "\"timer\":\"%s\"", which);
    return count_with(s, type, part);
}

static void set_urgency(itsm_record *r, int urgency)
{
    assert_ok(itsm_record_set_int(r, ITSM_F_URGENCY, urgency));
}

/* Breaches fire *at* their instant: a tick at the due second fires the
 * breach. A step at that same second must then read the same verdict
 * with or without the tick before it, else a host's verdict would depend
 * on whether it ticked first. One second earlier is on time. */
static void a_target_reached_at_the_second_of_a_step_is_breached_with_or_without_a_tick(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    /* resolution: P1, 4 h on 24x7 */
    itsm_record *early = open_inc(&f, 1, 1, NULL), *at_due = open_inc(&f, 1, 1, NULL),
                *ticked = open_inc(&f, 1, 1, NULL);
    start_work(early);
    start_work(at_due);
    start_work(ticked);
    f.clock.now = T0 + 4 * HOUR - 1;
    resolve(early);
    f.clock.now = T0 + 4 * HOUR;
    resolve(at_due);
    sla_tick(&f, T0 + 4 * HOUR);
    assert_int_equal(timer_events(&f.store, "sla_breach", "resolution"), 1);   /* `ticked` only */
    resolve(ticked);

    itsm_timer_info e = timer(early, ITSM_TIMER_RESOLUTION, T0 + 5 * HOUR);
    itsm_timer_info a = timer(at_due, ITSM_TIMER_RESOLUTION, T0 + 5 * HOUR);
    itsm_timer_info t = timer(ticked, ITSM_TIMER_RESOLUTION, T0 + 5 * HOUR);
    assert_int_equal(e.status, ITSM_TIMER_STOPPED);
    assert_false(e.breached);
    assert_int_equal(e.elapsed, 4 * HOUR - 1);
    assert_int_equal(e.remaining, 1);
    assert_int_equal(t.status, ITSM_TIMER_STOPPED);
    assert_true(t.breached);
    assert_int_equal(a.status, ITSM_TIMER_STOPPED);
    assert_int_equal(a.elapsed, 4 * HOUR);
    assert_int_equal(a.remaining, 0);
    assert_int_equal(a.breached, t.breached);

    /* response: P1, 15 minutes */
    itsm_record *r_early = open_inc(&f, 1, 1, NULL), *r_at_due = open_inc(&f, 1, 1, NULL),
                *r_ticked = open_inc(&f, 1, 1, NULL);
    itsm_time o = f.clock.now;
    f.clock.now = o + 15 * MIN - 1;
    start_work(r_early);
    f.clock.now = o + 15 * MIN;
    start_work(r_at_due);
    sla_tick(&f, o + 15 * MIN);
    assert_int_equal(timer_events(&f.store, "sla_breach", "response"), 1);   /* `r_ticked` only */
    start_work(r_ticked);
    assert_false(timer(r_early, ITSM_TIMER_RESPONSE, o + HOUR).breached);
    assert_true(timer(r_ticked, ITSM_TIMER_RESPONSE, o + HOUR).breached);
    assert_int_equal(timer(r_at_due, ITSM_TIMER_RESPONSE, o + HOUR).breached,
                     timer(r_ticked, ITSM_TIMER_RESPONSE, o + HOUR).breached);
    assert_replay_same(&f, NULL, o + HOUR);
    fixture_close(&f);
}

/* A warning at 75% of a 1001-second target falls at 750.75 s: it fires
 * once the fraction is reached (751 s), never before it; 50% (500.5 s)
 * likewise at 501 s. The breach is at the target itself. */
static void a_warning_between_two_seconds_fires_once_its_fraction_is_reached(void **state)
{
    (void)state;
    itsm_policy *p;
    assert_ok(itsm_policy_new_default(&p, NULL));
    itsm_sla_def s = ITSM_SLA_DEF_INIT;
    s.name = "odd";
    s.resolution[0] = 1001;   /* P1 resolution only: no response clock */
    assert_ok(itsm_policy_set_sla(p, &s));
    assert_ok(itsm_policy_set_default_sla(p, "odd"));
    const unsigned w[] = { 500, 750 };
    assert_ok(itsm_policy_set_warnings(p, w, 2));
    fixture f;
    fixture_open_policy(&f, p);
    open_inc(&f, 1, 1, NULL);
    sla_tick(&f, T0 + 500);
    assert_int_equal(count_events(&f.store, "sla_warning"), 0);
    sla_tick(&f, T0 + 501);
    assert_int_equal(count_events(&f.store, "sla_warning"), 1);
    sla_tick(&f, T0 + 750);
    assert_int_equal(count_events(&f.store, "sla_warning"), 1);
    sla_tick(&f, T0 + 751);
    assert_int_equal(count_events(&f.store, "sla_warning"), 2);
    sla_tick(&f, T0 + 1000);
    assert_int_equal(count_events(&f.store, "sla_breach"), 0);
    sla_tick(&f, T0 + 1001);
    assert_int_equal(count_events(&f.store, "sla_breach"), 1);
    assert_replay_same(&f, p, T0 + 1001);
    fixture_close(&f);
    itsm_policy_free(p);
}

/* DESIGN 3/4: a reopened incident's clock carries the time counted
 * before: a warning fired before the resolution is not fired again, the
 * breach fires once at the carried-over due time, and the response
 * clock keeps its first answer (a reopen is not a new call). */
static void a_reopened_clock_warns_once_and_breaches_at_the_carried_due_time(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *r = open_inc(&f, 1, 2, NULL);   /* P2: 8 h, warning at 6 h */
    start_work(r);
    sla_tick(&f, T0 + 6 * HOUR);
    assert_int_equal(timer_events(&f.store, "sla_warning", "resolution"), 1);
    f.clock.now = T0 + 7 * HOUR;
    resolve(r);
    f.clock.now = T0 + DAY;
    assert_ok(itsm_record_fire(r, "reopen", NULL, 0));
    itsm_timer_info t = timer(r, ITSM_TIMER_RESOLUTION, T0 + DAY);
    assert_int_equal(t.status, ITSM_TIMER_RUNNING);
    assert_int_equal(t.elapsed, 7 * HOUR);
    assert_int_equal(t.warnings, 1);
    assert_int_equal(t.due, T0 + DAY + HOUR);
    sla_tick(&f, T0 + DAY + HOUR - 1);
    assert_int_equal(timer_events(&f.store, "sla_warning", "resolution"), 1);
    assert_int_equal(timer_events(&f.store, "sla_breach", "resolution"), 0);
    sla_tick(&f, T0 + DAY + HOUR);
    assert_int_equal(timer_events(&f.store, "sla_breach", "resolution"), 1);
    assert_int_equal(itsm_record_int(r, ITSM_F_HIERARCHICAL_LEVEL), 1);
    itsm_timer_info rs = timer(r, ITSM_TIMER_RESPONSE, T0 + DAY + HOUR);
    assert_int_equal(rs.status, ITSM_TIMER_STOPPED);
    assert_int_equal(rs.elapsed, 0);
    assert_false(rs.breached);
    assert_int_equal(timer_events(&f.store, "sla_breach", "response"), 0);
    sla_tick(&f, T0 + 30 * DAY);
    assert_int_equal(timer_events(&f.store, "sla_breach", "resolution"), 1);
    assert_replay_same(&f, NULL, T0 + 30 * DAY);
    fixture_close(&f);
}

/* Resolved straight from a hold (awaiting the customer) and reopened:
 * the time on hold stays paused time, the time it sat resolved counts
 * as neither, and the clock runs again from the reopening (resolving
 * cleared the hold reason). */
static void a_record_resolved_on_hold_and_reopened_keeps_its_paused_time_apart(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *r = open_inc(&f, 1, 2, NULL);   /* P2: 8 h on 24x7 */
    start_work(r);
    f.clock.now = T0 + 2 * HOUR;
    hold(r, "awaiting_customer");
    f.clock.now = T0 + 5 * HOUR;
    resolve(r);
    itsm_timer_info t = timer(r, ITSM_TIMER_RESOLUTION, T0 + 6 * HOUR);
    assert_int_equal(t.status, ITSM_TIMER_STOPPED);
    assert_int_equal(t.elapsed, 2 * HOUR);
    assert_int_equal(t.paused, 3 * HOUR);
    f.clock.now = T0 + DAY;
    assert_ok(itsm_record_fire(r, "reopen", NULL, 0));
    t = timer(r, ITSM_TIMER_RESOLUTION, T0 + DAY + HOUR);
    assert_int_equal(t.status, ITSM_TIMER_RUNNING);
    assert_int_equal(t.elapsed, 3 * HOUR);
    assert_int_equal(t.paused, 3 * HOUR);
    assert_int_equal(t.due, T0 + DAY + 6 * HOUR);
    sla_tick(&f, T0 + DAY + 6 * HOUR - 1);
    assert_int_equal(timer_events(&f.store, "sla_breach", "resolution"), 0);
    sla_tick(&f, T0 + DAY + 6 * HOUR);
    assert_int_equal(timer_events(&f.store, "sla_breach", "resolution"), 1);
    assert_replay_same(&f, NULL, T0 + DAY + 6 * HOUR);
    fixture_close(&f);
}

/* Put on hold one second before its breach, a clock owes nothing however
 * long the hold lasts; resumed, it breaches one second later, dated
 * there. */
static void a_clock_held_a_second_before_its_breach_breaches_a_second_after_it_resumes(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *r = open_inc(&f, 1, 2, NULL);   /* P2: 8 h on 24x7 */
    start_work(r);
    sla_tick(&f, T0 + 8 * HOUR - 2);
    f.clock.now = T0 + 8 * HOUR - 1;
    hold(r, "awaiting_customer");
    sla_tick(&f, T0 + 20 * DAY);
    assert_int_equal(timer_events(&f.store, "sla_breach", "resolution"), 0);
    itsm_timer_info t = timer(r, ITSM_TIMER_RESOLUTION, T0 + 20 * DAY);
    assert_int_equal(t.status, ITSM_TIMER_PAUSED);
    assert_int_equal(t.remaining, 1);
    assert_false(t.breached);
    assert_int_equal(itsm_record_int(r, ITSM_F_HIERARCHICAL_LEVEL), 0);
    f.clock.now = T0 + 20 * DAY;
    assert_ok(itsm_record_fire(r, "resume", NULL, 0));
    assert_int_equal(timer(r, ITSM_TIMER_RESOLUTION, T0 + 20 * DAY).due, T0 + 20 * DAY + 1);
    sla_tick(&f, T0 + 20 * DAY);
    assert_int_equal(timer_events(&f.store, "sla_breach", "resolution"), 0);
    sla_tick(&f, T0 + 20 * DAY + 1);
    assert_int_equal(timer_events(&f.store, "sla_breach", "resolution"), 1);
    assert_non_null(strstr(last_of(&f.store, "sla_breach"), "\"at\":\"2026-03-22T09:00:01Z\""));
    assert_int_equal(itsm_record_int(r, ITSM_F_HIERARCHICAL_LEVEL), 1);
    assert_replay_same(&f, NULL, T0 + 20 * DAY + 1);
    fixture_close(&f);
}

/* Lowering a P1 (4 h on 24x7) to P3 (24 h of office hours) on a Friday
 * evening carries the 2.5 hours counted and counts the rest in office
 * hours from the change: the weekend adds nothing; the warning (18 h)
 * falls on Tuesday 16:30 and the breach on Wednesday 14:30. */
static void lowering_the_priority_onto_office_hours_counts_the_rest_in_working_time(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_time fri = T0 + 4 * DAY + 6 * HOUR;   /* Friday 6 March, 15:00 */
    f.clock.now = fri;
    itsm_record *r = open_inc(&f, 1, 1, NULL);
    start_work(r);
    f.clock.now = fri + 150 * MIN;             /* 17:30, after the office closed */
    set_urgency(r, 3);                         /* I1U3: P3 */
    assert_int_equal(itsm_record_int(r, ITSM_F_PRIORITY), 3);
    itsm_timer_info t = timer(r, ITSM_TIMER_RESOLUTION, fri + DAY);   /* Saturday */
    assert_string_equal(t.calendar, "business");
    assert_int_equal(t.target, 24 * HOUR);
    assert_int_equal(t.elapsed, 150 * MIN);
    itsm_time tue_warn = T0 + 8 * DAY + 7 * HOUR + 30 * MIN;    /* Tue 10 March 16:30 */
    itsm_time wed_due = T0 + 9 * DAY + 5 * HOUR + 30 * MIN;     /* Wed 11 March 14:30 */
    assert_int_equal(t.due, wed_due);
    sla_tick(&f, tue_warn - 1);
    assert_int_equal(timer_events(&f.store, "sla_warning", "resolution"), 0);
    assert_int_equal(timer_events(&f.store, "sla_breach", "resolution"), 0);
    sla_tick(&f, tue_warn);
    assert_int_equal(timer_events(&f.store, "sla_warning", "resolution"), 1);
    sla_tick(&f, wed_due - 1);
    assert_int_equal(timer_events(&f.store, "sla_breach", "resolution"), 0);
    sla_tick(&f, wed_due);
    assert_int_equal(timer_events(&f.store, "sla_breach", "resolution"), 1);
    assert_replay_same(&f, NULL, wed_due);
    fixture_close(&f);
}

/* The same re-planning onto office hours in Paris (09:00-17:00 local,
 * CET/CEST) over the spring change of 29 March 2026: lowered to P3 on
 * Friday 27 March at 16:00 CET (15:00Z) with an hour counted, the
 * remaining 23 working hours run Fri 1 h, Mon 8 h and Tue 8 h (07:00Z to
 * 15:00Z in summer time), Wed 6 h: due Wednesday 1 April 15:00 CEST,
 * 13:00Z. The 18 h warning ends with Tuesday's working day, 15:00Z. */
static void replanning_onto_a_zoned_office_calendar_follows_the_spring_change(void **state)
{
    (void)state;
    itsm_policy *p;
    assert_ok(itsm_policy_new_default(&p, NULL));
    itsm_calendar_def c = ITSM_CALENDAR_DEF_INIT;
    c.name = "business";
    c.zone = "CET-1CEST,M3.5.0,M10.5.0/3";
    for (int d = 0; d < 5; d++) {
        c.start[d] = 9 * HOUR;
        c.end[d] = 17 * HOUR;
    }
    assert_ok(itsm_policy_set_calendar(p, &c));
    fixture f;
    fixture_open_policy(&f, p);
    itsm_time fri = T0 + 25 * DAY + 5 * HOUR;   /* Friday 27 March, 14:00Z */
    f.clock.now = fri;
    itsm_record *r = open_inc(&f, 1, 1, NULL);
    start_work(r);
    f.clock.now = fri + HOUR;
    set_urgency(r, 3);
    itsm_time warn = T0 + 29 * DAY + 6 * HOUR;   /* Tue 31 March 15:00Z */
    itsm_time due = T0 + 30 * DAY + 4 * HOUR;    /* Wed 1 April 13:00Z */
    itsm_timer_info t = timer(r, ITSM_TIMER_RESOLUTION, fri + HOUR);
    assert_int_equal(t.elapsed, HOUR);
    assert_int_equal(t.due, due);
    sla_tick(&f, warn - 1);
    assert_int_equal(timer_events(&f.store, "sla_warning", "resolution"), 0);
    sla_tick(&f, warn);
    assert_int_equal(timer_events(&f.store, "sla_warning", "resolution"), 1);
    sla_tick(&f, due - 1);
    assert_int_equal(timer_events(&f.store, "sla_breach", "resolution"), 0);
    sla_tick(&f, due);
    assert_int_equal(timer_events(&f.store, "sla_breach", "resolution"), 1);
    assert_non_null(strstr(last_of(&f.store, "sla_breach"), "\"at\":\"2026-04-01T13:00:00Z\""));
    assert_replay_same(&f, p, due);
    fixture_close(&f);
    itsm_policy_free(p);
}

/* Holds across Christmas and the new year on office hours with a dated
 * holiday (25 December 2026) and a yearly one ("Jan 1"): only the working
 * hours inside a hold are paused time, and the due time skips both
 * holidays and the weekends. */
static void holds_across_holidays_pause_only_the_working_hours_inside_them(void **state)
{
    (void)state;
    itsm_policy *p;
    assert_ok(itsm_policy_new_default(&p, NULL));
    itsm_calendar_def c = ITSM_CALENDAR_DEF_INIT;
    c.name = "business";
    for (int d = 0; d < 5; d++) {
        c.start[d] = 9 * HOUR;
        c.end[d] = 17 * HOUR;
    }
    const char *hol[] = { "2026-12-25", "Jan 1" };
    c.holidays = hol;
    c.nholidays = 2;
    assert_ok(itsm_policy_set_calendar(p, &c));
    fixture f;
    fixture_open_policy(&f, p);
    itsm_time thu = T0 + 297 * DAY + HOUR;   /* Thursday 24 December 2026, 10:00 */
    f.clock.now = thu;
    itsm_record *r = open_inc(&f, 2, 2, NULL);   /* P3: 24 office hours */
    start_work(r);
    f.clock.now = thu + 6 * HOUR;                /* 16:00: 6 h counted */
    hold(r, "awaiting_customer");
    itsm_time mon = T0 + 301 * DAY + 2 * HOUR;   /* Monday 28 December, 11:00 */
    f.clock.now = mon;
    assert_ok(itsm_record_fire(r, "resume", NULL, 0));
    itsm_timer_info t = timer(r, ITSM_TIMER_RESOLUTION, mon);
    assert_int_equal(t.elapsed, 6 * HOUR);
    assert_int_equal(t.paused, 3 * HOUR);        /* Thu 16-17, Mon 09-11 */
    assert_int_equal(t.due, T0 + 303 * DAY + 4 * HOUR);   /* Wed 30 December, 13:00 */
    itsm_time wed = T0 + 303 * DAY + 3 * HOUR;   /* Wed 30 December, 12:00: 23 h counted */
    f.clock.now = wed;
    hold(r, "awaiting_customer");
    assert_int_equal(timer(r, ITSM_TIMER_RESOLUTION, wed).elapsed, 23 * HOUR);
    itsm_time back = T0 + 308 * DAY + 30 * MIN;  /* Monday 4 January 2027, 09:30 */
    f.clock.now = back;
    assert_ok(itsm_record_fire(r, "resume", NULL, 0));
    t = timer(r, ITSM_TIMER_RESOLUTION, back);
    assert_int_equal(t.elapsed, 23 * HOUR);
    /* Wed 12-17, Thu 31 Dec 8 h, New Year's Day none, Mon 09:00-09:30 */
    assert_int_equal(t.paused, 3 * HOUR + 13 * HOUR + 30 * MIN);
    assert_int_equal(t.due, back + HOUR);
    sla_tick(&f, back + HOUR - 1);
    assert_int_equal(timer_events(&f.store, "sla_breach", "resolution"), 0);
    sla_tick(&f, back + HOUR);
    assert_int_equal(timer_events(&f.store, "sla_breach", "resolution"), 1);
    assert_replay_same(&f, p, back + HOUR);
    fixture_close(&f);
    itsm_policy_free(p);
}

/* DESIGN 4: the OLA is the holding group's own target. A group that
 * hands the record on and takes it back holds it anew: its clock starts
 * afresh at the return, and neither its first stint's due time nor the
 * other group's fires. */
static void a_group_taking_the_record_back_starts_a_fresh_ola(void **state)
{
    (void)state;
    itsm_policy *p;
    assert_ok(itsm_policy_new_default(&p, NULL));
    assert_ok(itsm_policy_set_ola(p, "Desk", 2 * HOUR, NULL));
    assert_ok(itsm_policy_set_ola(p, "Network", HOUR, NULL));
    fixture f;
    fixture_open_policy(&f, p);
    itsm_record *r = open_inc(&f, 1, 2, NULL);   /* P2: 8 h */
    start_work(r);                              /* Desk from T0 */
    f.clock.now = T0 + 80 * MIN;
    assert_ok(itsm_record_set_str(r, ITSM_F_ASSIGNMENT_GROUP, "Network"));
    f.clock.now = T0 + 2 * HOUR;
    assert_ok(itsm_record_set_str(r, ITSM_F_ASSIGNMENT_GROUP, "Desk"));
    itsm_timer_info o = timer(r, ITSM_TIMER_OLA, T0 + 2 * HOUR);
    assert_int_equal(o.status, ITSM_TIMER_RUNNING);
    assert_int_equal(o.elapsed, 0);
    assert_int_equal(o.target, 2 * HOUR);
    assert_int_equal(o.due, T0 + 4 * HOUR);
    sla_tick(&f, T0 + 4 * HOUR - 1);
    assert_int_equal(timer_events(&f.store, "sla_breach", "ola"), 0);
    assert_int_equal(timer_events(&f.store, "sla_warning", "ola"), 1);   /* 75% of the return */
    sla_tick(&f, T0 + 4 * HOUR);
    assert_int_equal(timer_events(&f.store, "sla_breach", "ola"), 1);
    assert_replay_same(&f, p, T0 + 4 * HOUR);
    fixture_close(&f);
    itsm_policy_free(p);
}

/* The group that restored the service met its OLA: the OLA stops at the
 * resolution and owes nothing while the record waits to be closed. */
static void an_ola_stops_when_the_service_is_restored(void **state)
{
    (void)state;
    itsm_policy *p;
    assert_ok(itsm_policy_new_default(&p, NULL));
    assert_ok(itsm_policy_set_ola(p, "Desk", 2 * HOUR, NULL));
    fixture f;
    fixture_open_policy(&f, p);
    itsm_record *r = open_inc(&f, 1, 2, NULL);
    start_work(r);
    f.clock.now = T0 + HOUR;
    resolve(r);
    sla_tick(&f, T0 + 2 * DAY);
    assert_int_equal(timer_events(&f.store, "sla_warning", "ola"), 0);
    assert_int_equal(timer_events(&f.store, "sla_breach", "ola"), 0);
    itsm_timer_info o = timer(r, ITSM_TIMER_OLA, T0 + 2 * DAY);
    assert_int_equal(o.status, ITSM_TIMER_STOPPED);
    assert_int_equal(o.elapsed, HOUR);
    assert_false(o.breached);
    fixture_close(&f);
    itsm_policy_free(p);
}

/* DESIGN 4: pausing is per reason. Changing the hold reason while the
 * record stays on hold pauses or resumes the clock at that change:
 * awaiting the supplier (no pause) 1 h, the customer (pause) 2 h, a
 * change (no pause) again. */
static void changing_the_hold_reason_on_hold_pauses_and_resumes_at_the_change(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *r = open_inc(&f, 1, 2, NULL);   /* P2: 8 h on 24x7 */
    start_work(r);
    f.clock.now = T0 + HOUR;
    hold(r, "awaiting_supplier");
    f.clock.now = T0 + 2 * HOUR;
    assert_ok(itsm_record_set_str(r, ITSM_F_HOLD_REASON, "awaiting_customer"));
    itsm_timer_info t = timer(r, ITSM_TIMER_RESOLUTION, T0 + 4 * HOUR);
    assert_int_equal(t.status, ITSM_TIMER_PAUSED);
    assert_int_equal(t.elapsed, 2 * HOUR);
    assert_int_equal(t.paused, 2 * HOUR);
    assert_int_equal(t.due, ITSM_TIME_NONE);
    f.clock.now = T0 + 4 * HOUR;
    assert_ok(itsm_record_set_str(r, ITSM_F_HOLD_REASON, "awaiting_change"));
    assert_string_equal(itsm_record_state(r), "on_hold");
    t = timer(r, ITSM_TIMER_RESOLUTION, T0 + 5 * HOUR);
    assert_int_equal(t.status, ITSM_TIMER_RUNNING);
    assert_int_equal(t.elapsed, 3 * HOUR);
    assert_int_equal(t.paused, 2 * HOUR);
    assert_int_equal(t.due, T0 + 10 * HOUR);
    sla_tick(&f, T0 + 10 * HOUR - 1);
    assert_int_equal(timer_events(&f.store, "sla_breach", "resolution"), 0);
    sla_tick(&f, T0 + 10 * HOUR);
    assert_int_equal(timer_events(&f.store, "sla_breach", "resolution"), 1);
    assert_replay_same(&f, NULL, T0 + 10 * HOUR);
    fixture_close(&f);
}

/* Escalated to Network while on hold for a reason that pauses the OLA,
 * the record is held by Network from the escalation: Network's OLA
 * starts there, paused, and counts from the resumption. */
static void a_group_taking_a_held_record_starts_its_ola_paused(void **state)
{
    (void)state;
    itsm_policy *p;
    assert_ok(itsm_policy_new_default(&p, NULL));
    assert_ok(itsm_policy_set_ola(p, "Desk", 2 * HOUR, NULL));
    assert_ok(itsm_policy_set_ola(p, "Network", HOUR, NULL));
    assert_ok(itsm_policy_set_pause(p, "awaiting_supplier",
                                    ITSM_TIMER_BIT(ITSM_TIMER_OLA) | ITSM_TIMER_BIT(ITSM_TIMER_RESOLUTION)));
    fixture f;
    fixture_open_policy(&f, p);
    itsm_record *r = open_inc(&f, 1, 2, NULL);
    start_work(r);
    f.clock.now = T0 + 30 * MIN;
    hold(r, "awaiting_supplier");
    f.clock.now = T0 + HOUR;
    assert_ok(itsm_record_escalate(r, 0, "Network", "checked the line"));
    itsm_timer_info o = timer(r, ITSM_TIMER_OLA, T0 + 2 * HOUR);
    assert_int_equal(o.status, ITSM_TIMER_PAUSED);
    assert_int_equal(o.target, HOUR);
    assert_int_equal(o.elapsed, 0);
    assert_int_equal(o.paused, HOUR);
    sla_tick(&f, T0 + 5 * HOUR);
    assert_int_equal(timer_events(&f.store, "sla_breach", "ola"), 0);
    f.clock.now = T0 + 5 * HOUR;
    assert_ok(itsm_record_fire(r, "resume", NULL, 0));
    o = timer(r, ITSM_TIMER_OLA, T0 + 5 * HOUR);
    assert_int_equal(o.status, ITSM_TIMER_RUNNING);
    assert_int_equal(o.paused, 4 * HOUR);
    assert_int_equal(o.due, T0 + 6 * HOUR);
    sla_tick(&f, T0 + 6 * HOUR - 1);
    assert_int_equal(timer_events(&f.store, "sla_breach", "ola"), 0);
    sla_tick(&f, T0 + 6 * HOUR);
    assert_int_equal(timer_events(&f.store, "sla_breach", "ola"), 1);
    assert_non_null(strstr(last_of(&f.store, "sla_breach"), "\"audience\":[\"ann\",\"Network\"]"));
    assert_replay_same(&f, p, T0 + 6 * HOUR);
    fixture_close(&f);
    itsm_policy_free(p);
}

/* The SLA's met and breached resolution timers, as the report counts them. */
static itsm_report_sla_figures sla_figures(fixture *f, itsm_time now)
{
    itsm_report *rep = NULL;
    itsm_report_opts o = ITSM_REPORT_OPTS_INIT;
    o.now = now;
    assert_ok(itsm_report_new(&rep, f->eng, &o));
    itsm_report_sla_figures out = { .size = sizeof out };
    assert_ok(itsm_report_sla(&out, rep));
    itsm_report_free(rep);
    return out;
}

/* A settled record keeps its verdicts: a clock stopped at the resolution
 * is judged under the target it stopped with. Raising the priority of an
 * incident resolved in time (P2 in 5 h of 8 h, then P1 of 4 h) does not
 * breach it, nor does lowering one resolved late (P1 in 5 h, then P3)
 * make it met, in the timer or the report; the response clock likewise.
 * A reopen runs the clock again, judged again under its target then. */
static void a_stopped_clock_keeps_its_verdict_when_the_priority_changes_after(void **state)
{
    (void)state;
    itsm_policy *p = policy_with_p2_resolution(8 * HOUR);
    fixture f;
    fixture_open_policy(&f, p);
    itsm_record *in_time = open_inc(&f, 1, 2, NULL), *late = open_inc(&f, 1, 1, NULL);
    assert_int_equal(itsm_record_int(in_time, ITSM_F_PRIORITY), 2);
    assert_int_equal(itsm_record_int(late, ITSM_F_PRIORITY), 1);
    f.clock.now = T0 + HOUR;   /* the P1's 15-minute response is late; the P2's 30 too */
    start_work(in_time);
    start_work(late);
    f.clock.now = T0 + 5 * HOUR;   /* no tick: nothing fired a breach */
    resolve(in_time);
    resolve(late);
    assert_false(timer(in_time, ITSM_TIMER_RESOLUTION, T0 + 6 * HOUR).breached);
    assert_true(timer(late, ITSM_TIMER_RESOLUTION, T0 + 6 * HOUR).breached);
    assert_true(timer(late, ITSM_TIMER_RESPONSE, T0 + 6 * HOUR).breached);

    f.clock.now = T0 + 6 * HOUR;
    set_urgency(in_time, 1);   /* P1: 4 h, less than the 5 h it took */
    set_urgency(late, 3);      /* P3: 24 h, and a response target of 4 h */
    assert_int_equal(itsm_record_int(in_time, ITSM_F_PRIORITY), 1);
    assert_true(itsm_record_int(late, ITSM_F_PRIORITY) >= 3);
    itsm_timer_info t = timer(in_time, ITSM_TIMER_RESOLUTION, T0 + 7 * HOUR);
    assert_int_equal(t.status, ITSM_TIMER_STOPPED);
    assert_int_equal(t.elapsed, 5 * HOUR);
    assert_false(t.breached);
    assert_true(timer(late, ITSM_TIMER_RESOLUTION, T0 + 7 * HOUR).breached);
    assert_true(timer(late, ITSM_TIMER_RESPONSE, T0 + 7 * HOUR).breached);
    itsm_report_sla_figures fig = sla_figures(&f, T0 + 7 * HOUR);
    assert_int_equal(fig.met, 1);
    assert_int_equal(fig.breached, 1);
    assert_replay_same(&f, p, T0 + 7 * HOUR);

    /* reopened: the clock runs again under P1's 4 h, already past it */
    f.clock.now = T0 + 7 * HOUR;
    assert_ok(itsm_record_fire(in_time, "reopen", NULL, 0));
    t = timer(in_time, ITSM_TIMER_RESOLUTION, T0 + 7 * HOUR);
    assert_int_equal(t.status, ITSM_TIMER_RUNNING);
    assert_true(t.breached);
    assert_replay_same(&f, p, T0 + 7 * HOUR);
    fixture_close(&f);
    itsm_policy_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_target_reached_at_the_second_of_a_step_is_breached_with_or_without_a_tick),
        cmocka_unit_test(a_warning_between_two_seconds_fires_once_its_fraction_is_reached),
        cmocka_unit_test(a_reopened_clock_warns_once_and_breaches_at_the_carried_due_time),
        cmocka_unit_test(a_record_resolved_on_hold_and_reopened_keeps_its_paused_time_apart),
        cmocka_unit_test(a_clock_held_a_second_before_its_breach_breaches_a_second_after_it_resumes),
        cmocka_unit_test(lowering_the_priority_onto_office_hours_counts_the_rest_in_working_time),
        cmocka_unit_test(replanning_onto_a_zoned_office_calendar_follows_the_spring_change),
        cmocka_unit_test(holds_across_holidays_pause_only_the_working_hours_inside_them),
        cmocka_unit_test(a_group_taking_the_record_back_starts_a_fresh_ola),
        cmocka_unit_test(an_ola_stops_when_the_service_is_restored),
        cmocka_unit_test(changing_the_hold_reason_on_hold_pauses_and_resumes_at_the_change),
        cmocka_unit_test(a_group_taking_a_held_record_starts_its_ola_paused),
        cmocka_unit_test(a_stopped_clock_keeps_its_verdict_when_the_priority_changes_after),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
