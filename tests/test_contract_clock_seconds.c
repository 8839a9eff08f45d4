/* SPDX-License-Identifier: Apache-2.0 */
/* Contract clocks at their exact seconds: an agreement whose target
 * switches from a round-the-clock hour to an office day one second before
 * it is reached carries the second counted and breaches at the end of the
 * working day, not a second before; a clock that starts and pauses at the
 * same event counts nothing until the pause ends; a breach ladder paused
 * over the weekend of a spring change warns and climbs at local hours; a
 * record canceled at its target's second keeps the breach, one second
 * earlier it was owed nothing; a clock stopped while paused resumes
 * running at the reopening; an agreement's new terms apply to open
 * records from their next event, and an instance they cancel is not
 * judged by them; a policy version takes effect at its place in
 * the sequence of events, not by its second (two records resolved in the
 * adoption's second, one before it and one after, are judged under each
 * version, and a reload gives the same verdicts); the what-if judges a
 * shorter candidate target at its exact second too. Black-box: the public
 * API and the stored events. T0 is Monday 2 March 2026, 09:00Z; the
 * "business" calendar is Monday to Friday 09:00-17:00 UTC. */
#include "sla/sla_support.h"
#include "itsm/whatif.h"

static itsm_agreement_info agr(const itsm_record *r, const char *name, itsm_time now)
{
    itsm_agreement_info i = { .size = sizeof i };
    assert_ok(itsm_record_agreement(&i, r, name, now));
    return i;
}

/* The record's agreement history as "step@seconds-after-T0 ...". */
static const char *steps(const itsm_record *r)
{
    static char b[1024];
    size_t len = 0;
    b[0] = 0;
    for (size_t k = 0; k < itsm_record_agreement_steps(r); k++) {
        itsm_agreement_entry e = { .size = sizeof e };
        assert_ok(itsm_record_agreement_step(&e, r, k));
        len += (size_t)snprintf(b + len, sizeof b - len, "%s%s@%lld", k ? " " : "", itsm_agreement_step_name(e.step),
                                (long long)(e.at - T0));
    }
    return b;
}

static void set_int(itsm_record *r, itsm_field f, int64_t v)
{
    itsm_change c = { f, NULL, v };
    assert_ok(itsm_record_update(r, &c, 1));
}

/* The store reloaded into an engine made with `p` holds the same records
 * and timers. */
static void reload_same(fixture *f, const itsm_policy *p, itsm_time now)
{
    vclock c = { now };
    itsm_engine *e2 = engine_over(&f->store, &c, p);
    assert_ok(itsm_engine_load(e2));
    char *a = engine_dump(f->eng), *b = engine_dump(e2);
    assert_string_equal(a, b);
    free(a), free(b);
    a = timer_dump(f->eng, now);
    b = timer_dump(e2, now);
    assert_string_equal(a, b);
    free(a), free(b);
    itsm_engine_free(e2);
}

/* "resolve_p1": P1 within 1 h round the clock, P3 within 8 h of office
 * time. Opened P1 at T0 (Monday 09:00Z); at 09:59:59 the urgency drops it
 * to P3, one second before the hour: 3,599 s are carried, 25,201 s of
 * office time are left, so the target is reached at Monday 17:00:00Z, the
 * end of the working day - exactly 8 h after opening - and the breach
 * fires there, not at 16:59:59 and not on Tuesday morning. */
static void a_target_switched_a_second_before_it_is_reached_breaches_at_the_end_of_the_office_day(void **state)
{
    (void)state;
    itsm_policy *p;
    assert_ok(itsm_policy_new_default(&p, NULL));
    itsm_agreement_target t[] = { { 1, HOUR, "24x7" }, { 3, 8 * HOUR, "business" } };
    itsm_agreement_def d = ITSM_AGREEMENT_DEF_INIT;
    d.name = "resolve_p1";
    d.stop = "state == 'resolved'";
    d.targets = t;
    d.ntargets = 2;
    assert_ok(itsm_policy_set_agreement(p, &d, NULL));
    fixture f;
    fixture_open_policy(&f, p);
    itsm_record *r = open_inc(&f, 1, 1, NULL);
    start_work(r);
    itsm_agreement_info a = agr(r, "resolve_p1", T0);
    assert_int_equal(a.target, HOUR);
    assert_int_equal(a.due, T0 + HOUR);

    f.clock.now = T0 + HOUR - 1;
    set_int(r, ITSM_F_URGENCY, 3);
    assert_int_equal(itsm_record_int(r, ITSM_F_PRIORITY), 3);
    a = agr(r, "resolve_p1", T0 + HOUR - 1);
    assert_int_equal(a.status, ITSM_AGREEMENT_RUNNING);
    assert_int_equal(a.target, 8 * HOUR);
    assert_string_equal(a.calendar, "business");
    assert_int_equal(a.elapsed, HOUR - 1);
    assert_int_equal(a.remaining, 7 * HOUR + 1);
    assert_int_equal(a.due, T0 + 8 * HOUR);

    /* no breach at the old hour, nor a second before the new due time */
    sla_tick(&f, T0 + HOUR);
    assert_int_equal(count_events(&f.store, "agreement_breach"), 0);
    sla_tick(&f, T0 + 8 * HOUR - 1);
    assert_int_equal(count_events(&f.store, "agreement_breach"), 0);
    assert_int_equal(agr(r, "resolve_p1", T0 + 8 * HOUR - 1).remaining, 1);
    /* a late tick on Tuesday still dates it Monday 17:00:00 */
    sla_tick(&f, T0 + DAY + 2 * HOUR);
    assert_int_equal(count_events(&f.store, "agreement_breach"), 1);
    assert_non_null(strstr(last_of(&f.store, "agreement_breach"), "\"at\":\"2026-03-02T17:00:00Z\""));
    a = agr(r, "resolve_p1", T0 + DAY + 2 * HOUR);
    assert_int_equal(a.verdict, ITSM_VERDICT_BREACHED);
    assert_int_equal(a.breaches, 1);
    /* Tuesday 09:00-11:00Z is office time too */
    assert_int_equal(a.elapsed, 8 * HOUR + 2 * HOUR);
    assert_replay_same(&f, p, T0 + DAY + 2 * HOUR);
    fixture_close(&f);
    itsm_policy_free(p);
}

/* "network_ola" starts when the network group takes the record and pauses
 * while awaiting the customer. An incident the desk works is handed to
 * network in the same step that puts it on hold awaiting the customer: the
 * clock starts and pauses at that second, counts nothing while held, and
 * runs from the resumption. */
static void a_clock_that_starts_and_pauses_at_one_event_counts_from_the_resumption(void **state)
{
    (void)state;
    itsm_policy *p;
    assert_ok(itsm_policy_new_default(&p, NULL));
    itsm_agreement_target t = { 0, 4 * HOUR, NULL };
    itsm_agreement_def d = ITSM_AGREEMENT_DEF_INIT;
    d.name = "network_ola";
    d.type = ITSM_AGREEMENT_OLA;
    d.start = "assignment_group == 'network'";
    d.pause = "hold_reason == 'awaiting_customer'";
    d.stop = "state == 'resolved'";
    d.targets = &t;
    d.ntargets = 1;
    assert_ok(itsm_policy_set_agreement(p, &d, NULL));
    fixture f;
    fixture_open_policy(&f, p);
    itsm_record *r = open_inc(&f, 2, 2, NULL);
    f.clock.now = T0 + 10 * MIN;
    start_work(r);
    assert_int_equal(agr(r, "network_ola", T0 + 15 * MIN).status, ITSM_AGREEMENT_PENDING);

    f.clock.now = T0 + 20 * MIN;
    itsm_change c[2] = { { ITSM_F_ASSIGNMENT_GROUP, "network", 0 }, { ITSM_F_HOLD_REASON, "awaiting_customer", 0 } };
    assert_ok(itsm_record_fire(r, "hold", c, 2));
    assert_string_equal(steps(r), "applied@0 started@1200 paused@1200");
    itsm_agreement_info a = agr(r, "network_ola", T0 + 50 * MIN);
    assert_int_equal(a.status, ITSM_AGREEMENT_PAUSED);
    assert_int_equal(a.started_at, T0 + 20 * MIN);
    assert_int_equal(a.elapsed, 0);
    assert_int_equal(a.paused, 30 * MIN);
    assert_int_equal(a.due, ITSM_TIME_NONE);

    f.clock.now = T0 + 50 * MIN;
    assert_ok(itsm_record_fire(r, "resume", NULL, 0));
    a = agr(r, "network_ola", T0 + HOUR);
    assert_int_equal(a.status, ITSM_AGREEMENT_RUNNING);
    assert_int_equal(a.elapsed, 10 * MIN);
    assert_int_equal(a.paused, 30 * MIN);
    assert_int_equal(a.due, T0 + 50 * MIN + 4 * HOUR);
    assert_string_equal(steps(r), "applied@0 started@1200 paused@1200 resumed@3000");
    assert_replay_same(&f, p, T0 + HOUR);
    fixture_close(&f);
    itsm_policy_free(p);
}

/* Version A gives P2 8 h to resolve, B 4 h. Two P2 incidents opened at T0
 * are resolved at T0 + 4 h, the second of B's adoption: the one resolved
 * before the adoption is judged under A (met, 4 h of 8), the one resolved
 * after it moves to B at that event and stops at B's target second
 * (breached). The settled one never moves; the reload reproduces both. */
static void a_version_takes_effect_at_its_place_in_the_events_not_its_second(void **state)
{
    (void)state;
    itsm_policy *a = policy_with_p2_resolution(8 * HOUR), *b = policy_with_p2_resolution(4 * HOUR);
    fixture f;
    fixture_open_policy(&f, a);
    itsm_record *x = open_inc(&f, 1, 2, NULL), *y = open_inc(&f, 1, 2, NULL);
    start_work(x);
    start_work(y);
    char va[17], vb[17];
    snprintf(va, sizeof va, "%s", itsm_engine_policy_version(f.eng));

    f.clock.now = T0 + 4 * HOUR;
    resolve(x);
    assert_ok(itsm_engine_adopt_policy(f.eng, b));
    snprintf(vb, sizeof vb, "%s", itsm_engine_policy_version(f.eng));
    assert_string_not_equal(va, vb);
    /* y has had no event since: still A's 8 h */
    assert_string_equal(itsm_record_policy_version(y), va);
    assert_int_equal(timer(y, ITSM_TIMER_RESOLUTION, T0 + 4 * HOUR).target, 8 * HOUR);
    resolve(y);

    assert_string_equal(itsm_record_policy_version(x), va);
    assert_string_equal(itsm_record_policy_version(y), vb);
    itsm_timer_info tx = timer(x, ITSM_TIMER_RESOLUTION, T0 + 5 * HOUR);
    itsm_timer_info ty = timer(y, ITSM_TIMER_RESOLUTION, T0 + 5 * HOUR);
    assert_int_equal(tx.status, ITSM_TIMER_STOPPED);
    assert_int_equal(tx.target, 8 * HOUR);
    assert_false(tx.breached);
    assert_int_equal(ty.status, ITSM_TIMER_STOPPED);
    assert_int_equal(ty.target, 4 * HOUR);
    assert_int_equal(ty.elapsed, 4 * HOUR);
    assert_true(ty.breached);

    /* a later event on the settled x keeps it under A */
    f.clock.now = T0 + 5 * HOUR;
    itsm_change c = { ITSM_F_DESCRIPTION, "root cause noted", 0 };
    assert_ok(itsm_record_update(x, &c, 1));
    assert_string_equal(itsm_record_policy_version(x), va);
    assert_false(timer(x, ITSM_TIMER_RESOLUTION, T0 + 5 * HOUR).breached);
    reload_same(&f, a, T0 + 5 * HOUR);
    reload_same(&f, b, T0 + 5 * HOUR);
    fixture_close(&f);
    itsm_policy_free(a);
    itsm_policy_free(b);
}

/* Seconds since 1970 of a UTC civil time in 2026 (March..December). */
static itsm_time utc26(int m, int d, int hh, int mm)
{
    static const int before[] = { 0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334 };
    return (itsm_time)1767225600 + (before[m - 1] + d - 1) * DAY + hh * HOUR + mm * MIN;
}

/* "paris_ladder": 8 h of Paris office time (Monday to Friday 09:00-17:00,
 * CET-1CEST), a warning at half, breaches at 1 and 1.5, paused while
 * awaiting the customer. Opened Friday 27 March 2026 13:00 CET (12:00Z);
 * held awaiting the customer from 16:30 CET to Monday 30 March 09:30 CEST,
 * over the weekend of the spring change: 3.5 h counted on Friday, 1 h
 * paused (16:30-17:00 and 09:00-09:30), the weekend neither. The warning
 * (4 h) falls at Monday 10:00 CEST = 08:00Z, the first breach (8 h) at
 * 14:00 CEST = 12:00Z, and the second (12 h) after the 11 h Monday ends
 * with: Tuesday 10:00 CEST = 08:00Z. */
static void an_agreement_ladder_paused_over_the_spring_weekend_climbs_at_local_hours(void **state)
{
    (void)state;
    itsm_policy *p;
    assert_ok(itsm_policy_new_default(&p, NULL));
    itsm_work_span office[5];
    for (int d = 0; d < 5; d++)
        office[d] = (itsm_work_span){ d, 9 * HOUR, 17 * HOUR };
    itsm_calendar_def cal = ITSM_CALENDAR_DEF_INIT;
    cal.name = "paris";
    cal.zone = "CET-1CEST,M3.5.0,M10.5.0/3";
    cal.spans = office;
    cal.nspans = 5;
    assert_ok(itsm_policy_set_calendar(p, &cal));
    itsm_agreement_target t = { 0, 8 * HOUR, "paris" };
    static const unsigned warn[] = { 500 }, rungs[] = { 1000, 1500 };
    itsm_agreement_def d = ITSM_AGREEMENT_DEF_INIT;
    d.name = "paris_ladder";
    d.pause = "hold_reason == 'awaiting_customer'";
    d.stop = "state == 'resolved'";
    d.targets = &t;
    d.ntargets = 1;
    d.warnings = warn;
    d.nwarnings = 1;
    d.breaches = rungs;
    d.nbreaches = 2;
    assert_ok(itsm_policy_set_agreement(p, &d, NULL));
    fixture f;
    fixture_open_policy(&f, p);
    const itsm_time opened = utc26(3, 27, 12, 0);
    f.clock.now = opened;
    itsm_record *r = open_inc(&f, 3, 3, NULL);
    start_work(r);
    f.clock.now = utc26(3, 27, 15, 30);
    hold(r, "awaiting_customer");
    sla_tick(&f, utc26(3, 30, 7, 29));
    assert_int_equal(count_events(&f.store, "agreement_warning"), 0);
    f.clock.now = utc26(3, 30, 7, 30);
    assert_ok(itsm_record_fire(r, "resume", NULL, 0));
    itsm_agreement_info a = agr(r, "paris_ladder", f.clock.now);
    assert_int_equal(a.elapsed, 3 * HOUR + 30 * MIN);
    assert_int_equal(a.paused, HOUR);
    assert_int_equal(a.due, utc26(3, 30, 12, 0));

    sla_tick(&f, utc26(3, 30, 8, 0) - 1);
    assert_int_equal(count_events(&f.store, "agreement_warning"), 0);
    sla_tick(&f, utc26(3, 30, 8, 0));
    assert_int_equal(count_events(&f.store, "agreement_warning"), 1);
    sla_tick(&f, utc26(3, 30, 12, 0) - 1);
    assert_int_equal(count_events(&f.store, "agreement_breach"), 0);
    sla_tick(&f, utc26(3, 30, 12, 0));
    assert_int_equal(count_with(&f.store, "agreement_breach", "\"level\":1"), 1);
    sla_tick(&f, utc26(3, 31, 8, 0) - 1);
    assert_int_equal(count_events(&f.store, "agreement_breach"), 1);
    /* a late tick dates the second rung at its own instant */
    sla_tick(&f, utc26(3, 31, 12, 0));
    assert_int_equal(count_with(&f.store, "agreement_breach", "\"level\":2"), 1);
    assert_non_null(strstr(last_of(&f.store, "agreement_breach"), "\"at\":\"2026-03-31T08:00:00Z\""));
    a = agr(r, "paris_ladder", utc26(3, 31, 12, 0));
    assert_int_equal(a.breaches, 2);
    assert_int_equal(a.warnings, 1);
    assert_int_equal(a.verdict, ITSM_VERDICT_BREACHED);
    assert_replay_same(&f, p, utc26(3, 31, 12, 0));
    fixture_close(&f);
    itsm_policy_free(p);
}

/* The resolution flip of record `id` in `w`, or fails. */
static itsm_whatif_flip resolution_flip(const itsm_whatif *w, const char *id)
{
    for (size_t i = 0; i < itsm_whatif_flip_count(w); i++) {
        itsm_whatif_flip fl = { .size = sizeof fl };
        assert_ok(itsm_whatif_flip_at(w, i, &fl));
        if (!strcmp(fl.record, id) && fl.clock == ITSM_WHATIF_RESOLUTION)
            return fl;
    }
    fail_msg("no resolution flip for %s", id);
    return (itsm_whatif_flip){ 0 };
}

/* The what-if of a P2 target of 4 h (actual 8 h), at its last second:
 * resolved at exactly 4 h flips to breached (the target's second is
 * reached), one second earlier stays met; an open clock judged as of the
 * target's second is breached, as of one second before it is pending. */
static void the_what_if_judges_a_candidate_target_at_its_exact_second(void **state)
{
    (void)state;
    itsm_policy *a = policy_with_p2_resolution(8 * HOUR), *b = policy_with_p2_resolution(4 * HOUR);
    fixture f;
    fixture_open_policy(&f, a);
    itsm_record *at = open_inc(&f, 1, 2, NULL), *before = open_inc(&f, 1, 2, NULL),
                *open = open_inc(&f, 1, 2, NULL);
    start_work(at);
    start_work(before);
    start_work(open);
    f.clock.now = T0 + 4 * HOUR - 1;
    resolve(before);
    f.clock.now = T0 + 4 * HOUR;
    resolve(at);

    itsm_whatif *w;
    itsm_whatif_opts o = ITSM_WHATIF_OPTS_INIT;
    o.as_of = T0 + 4 * HOUR - 1;
    assert_ok(itsm_whatif_new(&w, f.eng, b, &o));
    /* as of a second before: only `at` is judged breached */
    assert_int_equal(itsm_whatif_flip_count(w), 1);
    itsm_whatif_flip fl = resolution_flip(w, itsm_record_id(at));
    assert_int_equal(fl.actual, ITSM_WHATIF_MET);
    assert_int_equal(fl.candidate, ITSM_WHATIF_BREACHED);
    assert_int_equal(fl.candidate_elapsed, 4 * HOUR);
    itsm_whatif_free(w);

    o.as_of = T0 + 4 * HOUR;
    assert_ok(itsm_whatif_new(&w, f.eng, b, &o));
    assert_int_equal(itsm_whatif_flip_count(w), 2);
    resolution_flip(w, itsm_record_id(at));
    fl = resolution_flip(w, itsm_record_id(open));
    assert_int_equal(fl.actual, ITSM_WHATIF_PENDING);
    assert_int_equal(fl.candidate, ITSM_WHATIF_BREACHED);
    itsm_whatif_summary sum = { .size = sizeof sum };
    assert_ok(itsm_whatif_summary_of(&sum, w));
    assert_int_equal(sum.to_breached, 2);
    assert_int_equal(sum.to_met, 0);
    assert_int_equal(sum.actual_breached, 0);
    itsm_whatif_free(w);
    fixture_close(&f);
    itsm_policy_free(a);
    itsm_policy_free(b);
}

/* One agreement "fix": 1 h round the clock from opening, stopped by
 * resolving, paused while awaiting the customer. */
static itsm_policy *fix_policy(void)
{
    itsm_policy *p;
    assert_ok(itsm_policy_new_default(&p, NULL));
    itsm_agreement_target t = { 0, HOUR, NULL };
    itsm_agreement_def d = ITSM_AGREEMENT_DEF_INIT;
    d.name = "fix";
    d.pause = "hold_reason == 'awaiting_customer'";
    d.stop = "state == 'resolved'";
    d.targets = &t;
    d.ntargets = 1;
    assert_ok(itsm_policy_set_agreement(p, &d, NULL));
    return p;
}

/* Canceling is not the stop: canceled one second before the target (no
 * tick) the record was owed nothing - cancelled; canceled at the target's
 * own second the target was reached - stopped, breached. */
static void a_record_canceled_at_its_targets_second_keeps_the_breach(void **state)
{
    (void)state;
    itsm_policy *p = fix_policy();
    fixture f;
    fixture_open_policy(&f, p);
    itsm_record *early = open_inc(&f, 2, 2, NULL), *at = open_inc(&f, 2, 2, NULL);
    f.clock.now = T0 + HOUR - 1;
    assert_ok(itsm_record_fire(early, "cancel", NULL, 0));
    f.clock.now = T0 + HOUR;
    assert_ok(itsm_record_fire(at, "cancel", NULL, 0));
    itsm_agreement_info a = agr(early, "fix", T0 + 2 * HOUR);
    assert_int_equal(a.status, ITSM_AGREEMENT_CANCELLED);
    assert_int_equal(a.verdict, ITSM_VERDICT_PENDING);
    a = agr(at, "fix", T0 + 2 * HOUR);
    assert_int_equal(a.status, ITSM_AGREEMENT_STOPPED);
    assert_int_equal(a.verdict, ITSM_VERDICT_BREACHED);
    assert_int_equal(a.elapsed, HOUR);
    itsm_agreement_report rep = { .size = sizeof rep };
    assert_ok(itsm_engine_agreement_report(&rep, f.eng, "fix"));
    assert_int_equal(rep.breached, 1);
    assert_int_equal(rep.cancelled, 1);
    assert_int_equal(rep.met, 0);
    assert_int_equal(rep.open, 0);
    assert_replay_same(&f, p, T0 + 2 * HOUR);
    fixture_close(&f);
    itsm_policy_free(p);
}

/* Resolved straight from a hold awaiting the customer: the paused clock
 * stops met with its paused time kept; reopened (no reset), it runs again
 * from the time counted before the hold, and is no longer paused (the
 * resolution cleared the hold reason). */
static void a_clock_stopped_while_paused_resumes_running_at_the_reopening(void **state)
{
    (void)state;
    itsm_policy *p = fix_policy();
    fixture f;
    fixture_open_policy(&f, p);
    itsm_record *r = open_inc(&f, 2, 2, NULL);
    start_work(r);
    f.clock.now = T0 + 20 * MIN;
    hold(r, "awaiting_customer");
    f.clock.now = T0 + 3 * HOUR;
    resolve(r);
    itsm_agreement_info a = agr(r, "fix", T0 + 4 * HOUR);
    assert_int_equal(a.status, ITSM_AGREEMENT_STOPPED);
    assert_int_equal(a.verdict, ITSM_VERDICT_MET);
    assert_int_equal(a.elapsed, 20 * MIN);
    assert_int_equal(a.paused, 2 * HOUR + 40 * MIN);
    assert_int_equal(a.stopped_at, T0 + 3 * HOUR);
    /* nothing fires while it is stopped, past the hour or not */
    sla_tick(&f, T0 + 4 * HOUR);
    assert_int_equal(count_events(&f.store, "agreement_breach"), 0);

    f.clock.now = T0 + 4 * HOUR;
    assert_ok(itsm_record_fire(r, "reopen", NULL, 0));
    a = agr(r, "fix", T0 + 4 * HOUR + 10 * MIN);
    assert_int_equal(a.status, ITSM_AGREEMENT_RUNNING);
    assert_int_equal(a.verdict, ITSM_VERDICT_PENDING);
    assert_int_equal(a.elapsed, 30 * MIN);
    assert_int_equal(a.paused, 2 * HOUR + 40 * MIN);
    assert_int_equal(a.due, T0 + 4 * HOUR + 40 * MIN);
    sla_tick(&f, T0 + 4 * HOUR + 40 * MIN - 1);
    assert_int_equal(count_events(&f.store, "agreement_breach"), 0);
    sla_tick(&f, T0 + 4 * HOUR + 40 * MIN);
    assert_int_equal(count_events(&f.store, "agreement_breach"), 1);
    assert_replay_same(&f, p, T0 + 5 * HOUR);
    fixture_close(&f);
    itsm_policy_free(p);
}

/* A policy whose customer field "tier" (gold, silver) puts gold records on
 * SLA "fast": resolution 1 h round the clock, response as "standard". */
static itsm_policy *tier_policy(itsm_field *tier)
{
    itsm_policy *p;
    assert_ok(itsm_policy_new_default(&p, NULL));
    static const char *const tiers[] = { "gold", "silver" };
    itsm_field_def fd = ITSM_FIELD_DEF_INIT;
    fd.name = "tier";
    fd.type = ITSM_TYPE_ENUM;
    fd.values = tiers;
    fd.nvalues = 2;
    assert_ok(itsm_policy_add_field(p, &fd, tier));
    itsm_sla_def g = ITSM_SLA_DEF_INIT;
    static const uint32_t resp[5] = { 900, 1800, 14400, 28800, 57600 };
    g.name = "fast";
    for (int i = 0; i < 5; i++) {
        g.response[i] = resp[i];
        g.resolution[i] = HOUR;
    }
    assert_ok(itsm_policy_set_sla(p, &g));
    assert_ok(itsm_policy_add_sla_rule(p, "tier == 'gold'", "fast"));
    return p;
}

/* The contract switches mid-clock to one whose target the record has
 * already used up: a P2 incident 3 h into its 8 h becomes gold (1 h). The
 * 3 h carry over, the clock is 2 h overdue at once, and the tick records
 * the breach at the switch - the record's last event, never before it -
 * not at T0 + 1 h, when the record was not yet gold. Moved back to silver
 * at 4 h, the breach that fired stays with the record. */
static void a_contract_switched_past_its_target_breaches_at_the_switch(void **state)
{
    (void)state;
    itsm_field tier;
    itsm_policy *p = tier_policy(&tier);
    fixture f;
    fixture_open_policy(&f, p);
    itsm_record *r = open_inc(&f, 1, 2, NULL);
    start_work(r);
    f.clock.now = T0 + 3 * HOUR;
    itsm_change c = { tier, "gold", 0 };
    assert_ok(itsm_record_update(r, &c, 1));
    assert_string_equal(itsm_record_sla(r), "fast");
    itsm_timer_info t = timer(r, ITSM_TIMER_RESOLUTION, T0 + 3 * HOUR);
    assert_int_equal(t.target, HOUR);
    assert_int_equal(t.elapsed, 3 * HOUR);
    assert_int_equal(t.remaining, -2 * HOUR);
    sla_tick(&f, T0 + 3 * HOUR);
    assert_int_equal(count_with(&f.store, "sla_breach", "\"timer\":\"resolution\""), 1);
    assert_non_null(strstr(last_of(&f.store, "sla_breach"), "\"at\":\"2026-03-02T12:00:00Z\""));
    assert_true(timer(r, ITSM_TIMER_RESOLUTION, T0 + 3 * HOUR).breached);

    f.clock.now = T0 + 4 * HOUR;
    c = (itsm_change){ tier, "silver", 0 };
    assert_ok(itsm_record_update(r, &c, 1));
    assert_string_equal(itsm_record_sla(r), "standard");
    t = timer(r, ITSM_TIMER_RESOLUTION, T0 + 4 * HOUR);
    assert_int_equal(t.target, 8 * HOUR);
    assert_int_equal(t.elapsed, 4 * HOUR);
    assert_true(t.breached);
    /* no second breach at the standard 8 h */
    sla_tick(&f, T0 + 9 * HOUR);
    assert_int_equal(count_with(&f.store, "sla_breach", "\"timer\":\"resolution\""), 1);
    assert_replay_same(&f, p, T0 + 9 * HOUR);
    fixture_close(&f);
    itsm_policy_free(p);
}

/* The default policy with agreement "gold": `target` round the clock,
 * applying where `applies` holds (NULL: always), stopped by resolving. */
static itsm_policy *gold_version(uint32_t target, const char *applies)
{
    itsm_policy *p;
    assert_ok(itsm_policy_new_default(&p, NULL));
    itsm_agreement_target t = { 0, target, NULL };
    itsm_agreement_def d = ITSM_AGREEMENT_DEF_INIT;
    d.name = "gold";
    d.applies = applies;
    d.stop = "state == 'resolved'";
    d.targets = &t;
    d.ntargets = 1;
    assert_ok(itsm_policy_set_agreement(p, &d, NULL));
    return p;
}

/* An agreement's terms change with a version (A: 4 h, applies always; B:
 * 2 h, only to P1). At 3 h: x was resolved under A (met) and stays so; y
 * (P1) moves to B at its next event, with its 3 h carried, past B's 2 h:
 * the tick breaches it at that event; z (P2, opened at 2 h) no longer
 * falls under the changed applies condition at its next event: its
 * instance is cancelled, history kept. A reload of the store rebuilds every instance. */
static void an_agreements_new_terms_apply_to_open_records_from_their_next_event(void **state)
{
    (void)state;
    itsm_policy *a = gold_version(4 * HOUR, NULL), *b = gold_version(2 * HOUR, "priority <= 1");
    fixture f;
    fixture_open_policy(&f, a);
    itsm_record *x = open_inc(&f, 1, 2, NULL), *y = open_inc(&f, 1, 1, NULL);
    start_work(x);
    start_work(y);
    f.clock.now = T0 + 2 * HOUR;
    itsm_record *z = open_inc(&f, 1, 2, NULL);
    start_work(z);
    f.clock.now = T0 + 3 * HOUR;
    resolve(x);
    assert_ok(itsm_engine_adopt_policy(f.eng, b));
    /* no event yet: y and z are still under A's terms */
    assert_int_equal(agr(y, "gold", T0 + 3 * HOUR).target, 4 * HOUR);
    assert_int_equal(agr(z, "gold", T0 + 3 * HOUR).status, ITSM_AGREEMENT_RUNNING);

    itsm_change c = { ITSM_F_DESCRIPTION, "looking", 0 };
    assert_ok(itsm_record_update(x, &c, 1));
    assert_ok(itsm_record_update(y, &c, 1));
    assert_ok(itsm_record_update(z, &c, 1));
    itsm_agreement_info i = agr(x, "gold", T0 + 5 * HOUR);
    assert_int_equal(i.status, ITSM_AGREEMENT_STOPPED);
    assert_int_equal(i.verdict, ITSM_VERDICT_MET);
    assert_int_equal(i.target, 4 * HOUR);
    i = agr(y, "gold", T0 + 3 * HOUR);
    assert_int_equal(i.status, ITSM_AGREEMENT_RUNNING);
    assert_int_equal(i.target, 2 * HOUR);
    assert_int_equal(i.elapsed, 3 * HOUR);
    assert_int_equal(i.remaining, -HOUR);
    i = agr(z, "gold", T0 + 3 * HOUR);
    assert_int_equal(i.status, ITSM_AGREEMENT_CANCELLED);
    assert_int_equal(i.elapsed, HOUR);
    assert_string_equal(steps(z), "applied@7200 started@7200 cancelled@10800");

    sla_tick(&f, T0 + 3 * HOUR);
    assert_int_equal(count_events(&f.store, "agreement_breach"), 1);
    assert_non_null(strstr(last_of(&f.store, "agreement_breach"), itsm_record_id(y)));
    assert_non_null(strstr(last_of(&f.store, "agreement_breach"), "\"at\":\"2026-03-02T12:00:00Z\""));
    assert_int_equal(agr(y, "gold", T0 + 3 * HOUR).verdict, ITSM_VERDICT_BREACHED);
    itsm_agreement_report rep = { .size = sizeof rep };
    assert_ok(itsm_engine_agreement_report(&rep, f.eng, "gold"));
    assert_int_equal(rep.met, 1);
    assert_int_equal(rep.breached, 1);
    assert_int_equal(rep.cancelled, 1);

    vclock vc = { T0 + 3 * HOUR };
    itsm_engine *e2 = engine_over(&f.store, &vc, b);
    assert_ok(itsm_engine_load(e2));
    itsm_agreement_report back = { .size = sizeof back };
    assert_ok(itsm_engine_agreement_report(&back, e2, "gold"));
    assert_memory_equal(&back, &rep, sizeof rep);
    itsm_record *q;
    assert_ok(itsm_record_find(&q, e2, itsm_record_id(z)));
    assert_string_equal(steps(q), "applied@7200 started@7200 cancelled@10800");
    assert_ok(itsm_record_find(&q, e2, itsm_record_id(x)));
    assert_int_equal(agr(q, "gold", T0 + 5 * HOUR).verdict, ITSM_VERDICT_MET);
    itsm_engine_free(e2);
    fixture_close(&f);
    itsm_policy_free(a);
    itsm_policy_free(b);
}

/* A cancelled instance keeps its history and no more: z (P2) ran 3 h of
 * A's 4 h when B (2 h, P1 only) is adopted; at its next event B's applies
 * condition ends its instance - cancelled, not breached, though B's 2 h
 * lie behind it: B's target never covered it and A's was not reached. The
 * report counts no breach; a reload agrees. */
static void an_instance_cancelled_by_new_terms_is_not_judged_by_them(void **state)
{
    (void)state;
    itsm_policy *a = gold_version(4 * HOUR, NULL), *b = gold_version(2 * HOUR, "priority <= 1");
    fixture f;
    fixture_open_policy(&f, a);
    itsm_record *z = open_inc(&f, 1, 2, NULL);
    start_work(z);
    f.clock.now = T0 + 3 * HOUR;
    sla_tick(&f, T0 + 3 * HOUR);
    assert_ok(itsm_engine_adopt_policy(f.eng, b));
    itsm_change c = { ITSM_F_DESCRIPTION, "looking", 0 };
    assert_ok(itsm_record_update(z, &c, 1));
    assert_string_equal(steps(z), "applied@0 started@0 cancelled@10800");
    itsm_agreement_entry e = { .size = sizeof e };
    assert_ok(itsm_record_agreement_step(&e, z, 2));
    assert_int_equal(e.verdict, ITSM_VERDICT_PENDING);
    itsm_agreement_info i = agr(z, "gold", T0 + 3 * HOUR);
    assert_int_equal(i.status, ITSM_AGREEMENT_CANCELLED);
    assert_int_not_equal(i.verdict, ITSM_VERDICT_BREACHED);
    itsm_agreement_report rep = { .size = sizeof rep };
    assert_ok(itsm_engine_agreement_report(&rep, f.eng, "gold"));
    assert_int_equal(rep.breached, 0);
    assert_int_equal(rep.cancelled, 1);
    sla_tick(&f, T0 + 5 * HOUR);
    assert_int_equal(count_events(&f.store, "agreement_breach"), 0);

    vclock vc = { T0 + 5 * HOUR };
    itsm_engine *e2 = engine_over(&f.store, &vc, b);
    assert_ok(itsm_engine_load(e2));
    itsm_agreement_report back = { .size = sizeof back };
    assert_ok(itsm_engine_agreement_report(&back, e2, "gold"));
    assert_memory_equal(&back, &rep, sizeof rep);
    itsm_engine_free(e2);
    fixture_close(&f);
    itsm_policy_free(a);
    itsm_policy_free(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_target_switched_a_second_before_it_is_reached_breaches_at_the_end_of_the_office_day),
        cmocka_unit_test(a_clock_that_starts_and_pauses_at_one_event_counts_from_the_resumption),
        cmocka_unit_test(an_agreement_ladder_paused_over_the_spring_weekend_climbs_at_local_hours),
        cmocka_unit_test(a_record_canceled_at_its_targets_second_keeps_the_breach),
        cmocka_unit_test(a_clock_stopped_while_paused_resumes_running_at_the_reopening),
        cmocka_unit_test(a_contract_switched_past_its_target_breaches_at_the_switch),
        cmocka_unit_test(an_agreements_new_terms_apply_to_open_records_from_their_next_event),
        cmocka_unit_test(an_instance_cancelled_by_new_terms_is_not_judged_by_them),
        cmocka_unit_test(the_what_if_judges_a_candidate_target_at_its_exact_second),
        cmocka_unit_test(a_version_takes_effect_at_its_place_in_the_events_not_its_second),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
