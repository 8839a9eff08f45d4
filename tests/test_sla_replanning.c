/* SPDX-License-Identifier: Apache-2.0 */
/* Service-level clocks over a record's later life (DESIGN.md sections 4,
 * 6, 7): re-planning that lands past a target, a breach that stays
 * history, a reopened clock, per-timer pause rules, and the warning's
 * audience. Black-box: only the public API and the stored events. */
#include "sla/sla_support.h"

/* The last stored event of `type` containing `part`; fails if none. */
static const char *last_with(const memstore *s, const char *type, const char *part)
{
    char needle[64];
    snprintf(needle, sizeof needle, "\"type\":\"%s\"", type);
    for (size_t i = s->n; i-- > 0;)
        if (strstr(s->events[i], needle) && strstr(s->events[i], part))
            return s->events[i];
    fail_msg("no %s event with %s", type, part);
    return NULL;
}

static void set_priority_by_matrix(itsm_record *r, int impact, int urgency)
{
    itsm_change c[2] = { { ITSM_F_IMPACT, NULL, impact }, { ITSM_F_URGENCY, NULL, urgency } };
    assert_ok(itsm_record_update(r, c, 2));
}

/* Seed 002 / DESIGN 4: raising the priority mid-flight re-plans with the
 * elapsed time carried over, so a record already older than its new
 * target is breached: the next tick fires the breach (and the ladder
 * step), dated at the change that made it late, never before it. */
static void raising_the_priority_past_the_new_target_breaches_at_the_next_tick(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *r = open_inc(&f, 2, 2, NULL);   /* P3: 24 business hours */
    start_work(r);
    f.clock.now = T0 + 5 * HOUR;                 /* Monday 14:00: 5 working hours */
    set_priority_by_matrix(r, 1, 1);             /* P1: 4 h on 24x7 */
    itsm_timer_info t = timer(r, ITSM_TIMER_RESOLUTION, T0 + 5 * HOUR);
    assert_int_equal(t.target, 4 * HOUR);
    assert_int_equal(t.elapsed, 5 * HOUR);
    assert_int_equal(t.remaining, -HOUR);
    assert_int_equal(count_events(&f.store, "sla_breach"), 0);
    sla_tick(&f, T0 + 5 * HOUR);
    assert_int_equal(count_with(&f.store, "sla_breach", "\"timer\":\"resolution\""), 1);
    assert_non_null(strstr(last_with(&f.store, "sla_breach", "\"timer\":\"resolution\""),
                           "\"at\":\"2026-03-02T14:00:00Z\""));
    assert_true(timer(r, ITSM_TIMER_RESOLUTION, T0 + 5 * HOUR).breached);
    assert_int_equal(itsm_record_int(r, ITSM_F_HIERARCHICAL_LEVEL), 1);
    assert_replay_same(&f, NULL, T0 + 6 * HOUR);
    fixture_close(&f);
}

/* A breach that happened is history: lowering the priority afterwards
 * (a longer target) keeps the timer breached and fires no second breach
 * or ladder step for the same target. */
static void a_breach_stays_when_the_priority_is_lowered_afterwards(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *r = open_inc(&f, 1, 1, NULL);   /* P1: 4 h */
    start_work(r);
    sla_tick(&f, T0 + 4 * HOUR);
    assert_int_equal(count_with(&f.store, "sla_breach", "\"timer\":\"resolution\""), 1);
    size_t steps = count_events(&f.store, "escalation_step");
    f.clock.now = T0 + 5 * HOUR;
    set_priority_by_matrix(r, 3, 3);             /* P5: 80 business hours */
    itsm_timer_info t = timer(r, ITSM_TIMER_RESOLUTION, T0 + 5 * HOUR);
    assert_int_equal(t.status, ITSM_TIMER_RUNNING);
    assert_true(t.breached);
    sla_tick(&f, T0 + 60 * DAY);
    assert_int_equal(count_with(&f.store, "sla_breach", "\"timer\":\"resolution\""), 1);
    assert_int_equal(count_events(&f.store, "escalation_step"), steps);
    assert_true(timer(r, ITSM_TIMER_RESOLUTION, T0 + 60 * DAY).breached);
    assert_replay_same(&f, NULL, T0 + 60 * DAY);
    fixture_close(&f);
}

/* DESIGN 3/7: a rejected resolution reopens the incident; its resolution
 * clock resumes with the time counted before, and the days it sat
 * resolved waiting for the customer are not counted against it. */
static void a_reopened_incident_resumes_its_clock_without_the_time_it_sat_resolved(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *r = open_inc(&f, 1, 2, NULL);   /* P2: 8 h on 24x7 */
    start_work(r);
    f.clock.now = T0 + 2 * HOUR;
    resolve(r);
    f.clock.now = T0 + DAY;
    assert_ok(itsm_record_fire(r, "reopen", NULL, 0));
    itsm_timer_info t = timer(r, ITSM_TIMER_RESOLUTION, T0 + DAY);
    assert_int_equal(t.status, ITSM_TIMER_RUNNING);
    assert_int_equal(t.elapsed, 2 * HOUR);
    assert_int_equal(t.due, T0 + DAY + 6 * HOUR);
    assert_false(t.breached);
    sla_tick(&f, T0 + DAY + 6 * HOUR - 1);
    assert_int_equal(count_events(&f.store, "sla_breach"), 0);
    sla_tick(&f, T0 + DAY + 6 * HOUR);
    assert_int_equal(count_with(&f.store, "sla_breach", "\"timer\":\"resolution\""), 1);
    assert_replay_same(&f, NULL, T0 + DAY + 7 * HOUR);
    fixture_close(&f);
}

/* DESIGN 4: pausing is per reason and per timer, by policy. A rule that
 * makes awaiting_supplier stop the OLA stops that timer only: the
 * customer's resolution clock keeps running, and the default
 * awaiting_customer rule still pauses resolution but not the OLA. */
static void a_pause_rule_stops_only_the_timers_it_names(void **state)
{
    (void)state;
    itsm_policy *p;
    assert_ok(itsm_policy_new_default(&p, NULL));
    assert_ok(itsm_policy_set_ola(p, "Desk", 4 * HOUR, NULL));
    assert_ok(itsm_policy_set_pause(p, "awaiting_supplier", ITSM_TIMER_BIT(ITSM_TIMER_OLA)));
    fixture f;
    fixture_open_policy(&f, p);
    itsm_record *r = open_inc(&f, 1, 2, NULL);   /* P2: 8 h on 24x7 */
    start_work(r);                              /* Desk holds it from T0 */
    f.clock.now = T0 + HOUR;
    hold(r, "awaiting_supplier");
    itsm_timer_info ola = timer(r, ITSM_TIMER_OLA, T0 + 3 * HOUR);
    itsm_timer_info res = timer(r, ITSM_TIMER_RESOLUTION, T0 + 3 * HOUR);
    assert_int_equal(ola.status, ITSM_TIMER_PAUSED);
    assert_int_equal(ola.elapsed, HOUR);
    assert_int_equal(ola.paused, 2 * HOUR);
    assert_int_equal(res.status, ITSM_TIMER_RUNNING);
    assert_int_equal(res.elapsed, 3 * HOUR);
    assert_int_equal(res.paused, 0);
    f.clock.now = T0 + 3 * HOUR;
    assert_ok(itsm_record_fire(r, "resume", NULL, 0));
    assert_int_equal(timer(r, ITSM_TIMER_OLA, T0 + 3 * HOUR).due, T0 + 6 * HOUR);
    f.clock.now = T0 + 4 * HOUR;
    hold(r, "awaiting_customer");
    ola = timer(r, ITSM_TIMER_OLA, T0 + 5 * HOUR);
    res = timer(r, ITSM_TIMER_RESOLUTION, T0 + 5 * HOUR);
    assert_int_equal(ola.status, ITSM_TIMER_RUNNING);
    assert_int_equal(ola.elapsed, 3 * HOUR);
    assert_int_equal(res.status, ITSM_TIMER_PAUSED);
    assert_int_equal(res.elapsed, 4 * HOUR);
    assert_int_equal(res.paused, HOUR);
    assert_replay_same(&f, p, T0 + 5 * HOUR);
    fixture_close(&f);
    itsm_policy_free(p);
}

/* DESIGN 4 / seed 002 ("proactively notify technical support partners of
 * incidents that are near service level exception"): a warning goes to
 * the assignee and group holding the record when it fires, not to the
 * ones it had when the clock started. */
static void a_warning_goes_to_whoever_holds_the_record_when_it_fires(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *r = open_inc(&f, 1, 2, NULL);   /* P2: warning at 6 h */
    start_work(r);                              /* ann, Desk */
    f.clock.now = T0 + HOUR;
    itsm_change c[2] = { { ITSM_F_ASSIGNMENT_GROUP, "Network", 0 }, { ITSM_F_ASSIGNEE, "bob", 0 } };
    assert_ok(itsm_record_update(r, c, 2));
    sla_tick(&f, T0 + 6 * HOUR);
    const char *w = last_with(&f.store, "sla_warning", "\"timer\":\"resolution\"");
    assert_non_null(strstr(w, "\"audience\":[\"bob\",\"Network\"]"));
    assert_null(strstr(w, "ann"));
    fixture_close(&f);
}

/* DESIGN 4: a pause rule that names the response clock alone. Set while
 * the incident waits unanswered, the reason pauses the response clock
 * and the next timer is the resolution's warning; a step between open
 * states that clears it lets the response clock count again, and its
 * warning is planned from then, not left behind the resolution's. */
static void a_response_pause_cleared_on_a_step_plans_the_response_again(void **state)
{
    (void)state;
    itsm_policy *p;
    assert_ok(itsm_policy_new_default(&p, NULL));
    assert_ok(itsm_policy_set_pause(p, "awaiting_customer", ITSM_TIMER_BIT(ITSM_TIMER_RESPONSE)));
    fixture f;
    fixture_open_policy(&f, p);
    itsm_record *r = open_inc(&f, 1, 2, NULL);   /* P2: response 30 min, warning at 22.5 min */
    f.clock.now = T0 + 10 * MIN;
    itsm_change held = { ITSM_F_HOLD_REASON, "awaiting_customer", 0 };
    assert_ok(itsm_record_update(r, &held, 1));
    assert_int_equal(timer(r, ITSM_TIMER_RESPONSE, T0 + 20 * MIN).status, ITSM_TIMER_PAUSED);
    f.clock.now = T0 + 20 * MIN;
    itsm_change assign[2] = { { ITSM_F_ASSIGNMENT_GROUP, "Desk", 0 }, { ITSM_F_HOLD_REASON, NULL, 0 } };
    assert_ok(itsm_record_fire(r, "assign", assign, 2));
    itsm_timer_info resp = timer(r, ITSM_TIMER_RESPONSE, T0 + 20 * MIN);
    assert_int_equal(resp.status, ITSM_TIMER_RUNNING);
    assert_int_equal(resp.elapsed, 10 * MIN);
    /* 22.5 min counted: 12.5 min after the step */
    sla_tick(&f, T0 + 32 * MIN + 29);
    assert_int_equal(count_with(&f.store, "sla_warning", "\"timer\":\"response\""), 0);
    sla_tick(&f, T0 + 32 * MIN + 30);
    assert_int_equal(count_with(&f.store, "sla_warning", "\"timer\":\"response\""), 1);
    assert_replay_same(&f, p, T0 + 33 * MIN);
    fixture_close(&f);
    itsm_policy_free(p);
}

/* DESIGN 4 (re-planning recomputes every due time) and 6 (cadence per
 * priority): the update cadence follows a priority change. A P3 incident
 * raised to P1 an hour after the first response owes its customers an
 * update at the P1 cadence, not four hours after the response; lowered
 * back, the P3 cadence applies again. */
static void the_update_cadence_follows_a_priority_change(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *r = open_inc(&f, 2, 2, NULL);   /* P3: cadence 4 h */
    start_work(r);
    assert_int_equal(timer(r, ITSM_TIMER_NEXT_UPDATE, T0).due, T0 + 4 * HOUR);
    f.clock.now = T0 + HOUR;
    set_priority_by_matrix(r, 1, 1);             /* P1: cadence 30 min */
    itsm_timer_info t = timer(r, ITSM_TIMER_NEXT_UPDATE, T0 + HOUR);
    assert_int_equal(t.status, ITSM_TIMER_RUNNING);
    assert_true(t.due <= T0 + HOUR + 30 * MIN);
    sla_tick(&f, T0 + HOUR + 30 * MIN + 1);
    assert_int_equal(count_events(&f.store, "update_overdue"), 1);
    assert_non_null(strstr(last_with(&f.store, "update_overdue", ""), "\"audience\":\"broadcast\""));
    assert_replay_same(&f, NULL, T0 + 2 * HOUR);
    fixture_close(&f);
}

/* Re-planning covers every timer, the first response too: a P3 not yet
 * answered after 20 minutes and raised to P1 (15 minutes to respond) is
 * late at once, and the tick fires the response breach dated at the
 * change; the response that follows stops the clock, breached. */
static void raising_the_priority_replans_the_response_target_too(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *r = open_inc(&f, 2, 2, NULL);   /* P3: 4 business hours to respond */
    f.clock.now = T0 + 20 * MIN;
    set_priority_by_matrix(r, 1, 1);             /* P1: 15 minutes */
    itsm_timer_info t = timer(r, ITSM_TIMER_RESPONSE, T0 + 20 * MIN);
    assert_int_equal(t.target, 15 * MIN);
    assert_int_equal(t.elapsed, 20 * MIN);
    assert_int_equal(t.remaining, -5 * MIN);
    sla_tick(&f, T0 + 20 * MIN);
    assert_int_equal(count_with(&f.store, "sla_breach", "\"timer\":\"response\""), 1);
    assert_non_null(strstr(last_with(&f.store, "sla_breach", "\"timer\":\"response\""),
                           "\"at\":\"2026-03-02T09:20:00Z\""));
    f.clock.now = T0 + 25 * MIN;
    start_work(r);
    t = timer(r, ITSM_TIMER_RESPONSE, T0 + HOUR);
    assert_int_equal(t.status, ITSM_TIMER_STOPPED);
    assert_true(t.breached);
    assert_int_equal(t.elapsed, 25 * MIN);
    assert_replay_same(&f, NULL, T0 + HOUR);
    fixture_close(&f);
}

/* DESIGN 4: an opening's clocks start at the opening, so its first timer
 * is the opening's time plus a distance the priority's targets fix (on a
 * 24x7 calendar): the response's warning at 75 % of its target, before
 * the resolution's. The library keeps that first plan per priority and
 * policy version (replan.c, itsm__opentpl: made at a version's second
 * opening, taken from the third on); the checked build compares it with
 * the whole re-plan. */
static void an_opening_s_first_timer_is_its_priority_s_first_threshold(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    open_inc(&f, 1, 2, NULL);   /* P2: response 30 min, warning at 22.5 min */
    open_inc(&f, 1, 2, NULL);
    assert_int_equal(itsm_engine_next_deadline(f.eng), T0 + 22 * MIN + 30);
    f.clock.now = T0 + 5 * MIN;
    itsm_record *p1 = open_inc(&f, 1, 1, NULL);   /* P1: response 15 min, warning at 11.25 min */
    assert_int_equal(itsm_engine_next_deadline(f.eng), T0 + 16 * MIN + 15);
    assert_int_equal(timer(p1, ITSM_TIMER_RESPONSE, f.clock.now).due, T0 + 20 * MIN);
    f.clock.now = T0 + 6 * MIN;
    open_inc(&f, 1, 2, NULL);   /* its warning at 28.5 min */
    assert_int_equal(sla_tick(&f, T0 + 16 * MIN + 14), 0);
    assert_int_equal(sla_tick(&f, T0 + 16 * MIN + 15), 1);
    assert_int_equal(sla_tick(&f, T0 + 20 * MIN), 1);   /* P1's response breach */
    assert_int_equal(sla_tick(&f, T0 + 22 * MIN + 30), 2);
    assert_int_equal(sla_tick(&f, T0 + 28 * MIN + 29), 0);
    assert_int_equal(sla_tick(&f, T0 + 28 * MIN + 30), 1);
    assert_int_equal(count_with(&f.store, "sla_warning", "\"timer\":\"response\""), 4);
    assert_replay_same(&f, NULL, T0 + HOUR);
    fixture_close(&f);
}

/* The first plan follows the version the record opens under: a policy
 * whose P1 has no response target starts the resolution clock alone (its
 * warning first), one whose P2 targets are equal warns for the response
 * first (earliest_in considers it first), and after the engine adopts
 * another policy its openings are planned by that one's targets. */
static void an_opening_s_first_timer_follows_its_version_s_targets(void **state)
{
    (void)state;
    itsm_policy *p;
    assert_ok(itsm_policy_new_default(&p, NULL));
    itsm_sla_def d = ITSM_SLA_DEF_INIT;
    static const uint32_t resp[5] = { 0, 3600, 14400, 28800, 57600 };
    static const uint32_t res[5] = { 3600, 3600, 86400, 144000, 288000 };
    d.name = "standard";
    for (int i = 0; i < 5; i++) {
        d.response[i] = resp[i];
        d.resolution[i] = res[i];
        d.calendar[i] = i < 2 ? "24x7" : "business";
    }
    assert_ok(itsm_policy_set_sla(p, &d));
    fixture f;
    fixture_open_policy(&f, p);
    open_inc(&f, 3, 3, NULL);   /* two P4s first: business hours, nothing due for days */
    open_inc(&f, 3, 3, NULL);
    f.clock.now = T0 + MIN;
    itsm_record *p1 = open_inc(&f, 1, 1, NULL);   /* resolution 1 h: warning at 46 min */
    assert_int_equal(timer(p1, ITSM_TIMER_RESPONSE, f.clock.now).status, ITSM_TIMER_NONE);
    assert_int_equal(itsm_engine_next_deadline(f.eng), T0 + 46 * MIN);
    f.clock.now = T0 + 2 * MIN;
    open_inc(&f, 1, 2, NULL);   /* both 1 h: both warnings at 47 min */
    assert_int_equal(sla_tick(&f, T0 + 46 * MIN), 1);
    assert_int_equal(count_with(&f.store, "sla_warning", "\"timer\":\"resolution\""), 1);
    assert_int_equal(sla_tick(&f, T0 + 47 * MIN), 2);
    size_t resp_at = 0, res_at = 0;
    for (size_t i = 0; i < f.store.n; i++) {
        if (!strstr(f.store.events[i], "\"type\":\"sla_warning\""))
            continue;
        if (strstr(f.store.events[i], "\"timer\":\"response\""))
            resp_at = i;
        else
            res_at = i;
    }
    assert_true(resp_at && resp_at < res_at);
    sla_tick(&f, T0 + 2 * HOUR);   /* the breaches */
    itsm_policy *def;
    assert_ok(itsm_policy_new_default(&def, NULL));
    assert_ok(itsm_engine_adopt_policy(f.eng, def));
    for (int i = 0; i < 3; i++) {
        f.clock.now = T0 + 2 * HOUR + i * MIN;
        open_inc(&f, 1, 2, NULL);   /* the default P2: response warnings at 22.5 min */
    }
    size_t warned = count_with(&f.store, "sla_warning", "\"timer\":\"response\"");
    assert_int_equal(sla_tick(&f, T0 + 2 * HOUR + 24 * MIN + 29), 2);
    assert_int_equal(sla_tick(&f, T0 + 2 * HOUR + 24 * MIN + 30), 1);
    assert_int_equal(count_with(&f.store, "sla_warning", "\"timer\":\"response\""), warned + 3);
    fixture_close(&f);
    itsm_policy_free(def);
    itsm_policy_free(p);
}

/* DESIGN 4 and 6: once the resolution clock's breach has fired on an
 * answered record, no clock counts toward a threshold any more, and the
 * next timer is the next update's overdue one (schedule.c,
 * schedule_breached: planned without looking for a clock's threshold; the
 * checked build compares it with the whole schedule). */
static void after_the_breach_the_update_owed_is_the_next_timer(void **state)
{
    (void)state;
    itsm_policy *p = policy_with_p2_resolution(30 * MIN);
    fixture f;
    fixture_open_policy(&f, p);
    itsm_record *r = open_inc(&f, 1, 2, NULL);   /* P2: cadence 1 h */
    start_work(r);                               /* answered: an update owed by T0 + 1 h */
    assert_int_equal(sla_tick(&f, T0 + 30 * MIN), 2);   /* the resolution's warning and breach */
    assert_int_equal(count_with(&f.store, "sla_breach", "\"timer\":\"resolution\""), 1);
    assert_int_equal(itsm_engine_next_deadline(f.eng), T0 + HOUR + 1);
    assert_int_equal(sla_tick(&f, T0 + HOUR), 0);
    assert_int_equal(sla_tick(&f, T0 + HOUR + 1), 1);
    assert_int_equal(count_events(&f.store, "update_overdue"), 1);
    assert_int_equal(itsm_engine_next_deadline(f.eng), ITSM_TIME_NONE);
    assert_replay_same(&f, p, T0 + 2 * HOUR);
    fixture_close(&f);
    itsm_policy_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(raising_the_priority_past_the_new_target_breaches_at_the_next_tick),
        cmocka_unit_test(a_breach_stays_when_the_priority_is_lowered_afterwards),
        cmocka_unit_test(a_reopened_incident_resumes_its_clock_without_the_time_it_sat_resolved),
        cmocka_unit_test(a_pause_rule_stops_only_the_timers_it_names),
        cmocka_unit_test(a_warning_goes_to_whoever_holds_the_record_when_it_fires),
        cmocka_unit_test(a_response_pause_cleared_on_a_step_plans_the_response_again),
        cmocka_unit_test(the_update_cadence_follows_a_priority_change),
        cmocka_unit_test(raising_the_priority_replans_the_response_target_too),
        cmocka_unit_test(an_opening_s_first_timer_is_its_priority_s_first_threshold),
        cmocka_unit_test(an_opening_s_first_timer_follows_its_version_s_targets),
        cmocka_unit_test(after_the_breach_the_update_owed_is_the_next_timer),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
