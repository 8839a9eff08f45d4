/* SPDX-License-Identifier: Apache-2.0 */
/* The service-level clocks through the shortest re-plans: a step between
 * open states that pauses nothing keeps the deadlines as they are, one
 * whose hold reason pauses a clock moves them, a step into a stop state
 * plans the auto-close; fired timers leave the deadline queue in deadline
 * order, each record planned again at its next threshold. Each test would
 * see a stale or missing deadline (or, in the debug build, trap) if a
 * short form skipped what it must not; every one ends equal to a replay
 * of its store. */
#include "sla/sla_support.h"

static itsm_time res_due(const itsm_record *r, itsm_time now)
{
    return timer(r, ITSM_TIMER_RESOLUTION, now).due;
}

/* A P2 incident (8 h to resolve, 24x7) opened at T0 and started five
 * minutes later. */
static itsm_record *p2_at_work(fixture *f)
{
    itsm_record *r = open_inc(f, 1, 2, "Mail");
    f->clock.now = T0 + 5 * MIN;
    start_work(r);
    assert_int_equal(res_due(r, f->clock.now), T0 + 8 * HOUR);
    return r;
}

static void a_hold_whose_reason_pauses_nothing_keeps_the_resolution_deadline(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *r = p2_at_work(&f);
    for (int round = 0; round < 3; round++) {
        f.clock.now += 10 * MIN;
        hold(r, "awaiting_vendor");
        assert_int_equal(res_due(r, f.clock.now), T0 + 8 * HOUR);
        f.clock.now += 10 * MIN;
        assert_ok(itsm_record_fire(r, "resume", NULL, 0));
        assert_int_equal(res_due(r, f.clock.now), T0 + 8 * HOUR);
    }
    assert_replay_same(&f, NULL, f.clock.now);
    fixture_close(&f);
}

static void a_hold_whose_reason_pauses_the_clock_moves_its_deadline_by_the_pause(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *r = p2_at_work(&f);
    /* a quiet hold and resume first: the record's next step is planned
     * from what they left */
    f.clock.now = T0 + 10 * MIN;
    hold(r, "awaiting_vendor");
    f.clock.now = T0 + 15 * MIN;
    assert_ok(itsm_record_fire(r, "resume", NULL, 0));
    f.clock.now = T0 + 30 * MIN;
    hold(r, "awaiting_customer");   /* pauses the resolution clock */
    assert_int_equal(timer(r, ITSM_TIMER_RESOLUTION, f.clock.now).status, ITSM_TIMER_PAUSED);
    f.clock.now = T0 + 50 * MIN;
    assert_ok(itsm_record_fire(r, "resume", NULL, 0));
    assert_int_equal(res_due(r, f.clock.now), T0 + 8 * HOUR + 20 * MIN);
    /* the warning (75 %) fires where the pause put it, not before */
    size_t fired = 0;
    assert_ok(itsm_engine_tick(f.eng, T0 + 6 * HOUR + 20 * MIN - 1, &fired));
    assert_int_equal(count_events(&f.store, "sla_warning"), 0);
    assert_ok(itsm_engine_tick(f.eng, T0 + 6 * HOUR + 20 * MIN, &fired));
    assert_int_equal(count_events(&f.store, "sla_warning"), 1);
    assert_replay_same(&f, NULL, f.clock.now);
    fixture_close(&f);
}

static void resolving_after_quiet_steps_plans_the_auto_close(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *r = p2_at_work(&f);
    f.clock.now = T0 + 10 * MIN;
    hold(r, "awaiting_vendor");
    f.clock.now = T0 + 20 * MIN;
    assert_ok(itsm_record_fire(r, "resume", NULL, 0));
    assert_int_equal(itsm_record_auto_close_due(r), ITSM_TIME_NONE);
    f.clock.now = T0 + 30 * MIN;
    resolve(r);
    itsm_time ac = itsm_record_auto_close_due(r);
    assert_true(ac != ITSM_TIME_NONE && ac > f.clock.now);
    assert_int_equal(timer(r, ITSM_TIMER_RESOLUTION, f.clock.now).status, ITSM_TIMER_STOPPED);
    assert_int_equal(itsm_engine_next_deadline(f.eng), ac);
    assert_replay_same(&f, NULL, f.clock.now);
    fixture_close(&f);
}

/* The "at" of the n-th stored event. */
static const char *event_at(const memstore *s, size_t i)
{
    const char *p = strstr(s->events[i], "\"at\":\"");
    assert_non_null(p);
    return p + 6;
}

static void fired_timers_leave_the_queue_in_deadline_order_each_planned_again(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    /* twenty P2 incidents a minute apart: response warning at 22.5 min,
     * breach at 30 */
    for (int i = 0; i < 20; i++) {
        f.clock.now = T0 + i * MIN;
        open_inc(&f, 1, 2, "Mail");
    }
    size_t first = f.store.n, fired = 0;
    assert_ok(itsm_engine_tick(f.eng, T0 + 35 * MIN, &fired));
    /* warnings of the 13 opened by 12 min, breaches of the 6 by 5 min */
    assert_int_equal(fired, 13 + 6);
    assert_int_equal(count_events(&f.store, "sla_warning"), 13);
    assert_int_equal(count_events(&f.store, "sla_breach"), 6);
    for (size_t i = first + 1; i < f.store.n; i++)
        assert_true(strncmp(event_at(&f.store, i - 1), event_at(&f.store, i), 20) <= 0);
    /* next: the warning of the one opened at 13 min */
    assert_int_equal(itsm_engine_next_deadline(f.eng), T0 + 13 * MIN + 1350);
    assert_ok(itsm_engine_tick(f.eng, T0 + 40 * MIN, &fired));
    assert_int_equal(count_events(&f.store, "sla_warning"), 18);   /* opened by 17 min */
    assert_int_equal(count_events(&f.store, "sla_breach"), 11);   /* by 10 min */
    assert_replay_same(&f, NULL, T0 + 40 * MIN);
    fixture_close(&f);
}

/* One round of group changes on a record at work, ten minutes apart: an
 * update into Network, a hold into Apps, a resume back into Network, an
 * update into Desk. `check(r, step, now)` after each. */
static void group_round(fixture *f, itsm_record *r, void (*check)(itsm_record *, int, itsm_time))
{
    itsm_change into_network = { ITSM_F_ASSIGNMENT_GROUP, "Network", 0 };
    itsm_change into_desk = { ITSM_F_ASSIGNMENT_GROUP, "Desk", 0 };
    itsm_change held[2] = { { ITSM_F_HOLD_REASON, "awaiting_vendor", 0 }, { ITSM_F_ASSIGNMENT_GROUP, "Apps", 0 } };
    f->clock.now += 10 * MIN;
    assert_ok(itsm_record_update(r, &into_network, 1));
    check(r, 0, f->clock.now);
    f->clock.now += 10 * MIN;
    assert_ok(itsm_record_fire(r, "hold", held, 2));
    check(r, 1, f->clock.now);
    f->clock.now += 10 * MIN;
    assert_ok(itsm_record_fire(r, "resume", &into_network, 1));
    check(r, 2, f->clock.now);
    f->clock.now += 10 * MIN;
    assert_ok(itsm_record_update(r, &into_desk, 1));
    check(r, 3, f->clock.now);
}

static void no_ola_and_the_deadline_stands(itsm_record *r, int step, itsm_time now)
{
    (void)step;
    assert_int_equal(res_due(r, now), T0 + 8 * HOUR);
    assert_int_equal(timer(r, ITSM_TIMER_OLA, now).status, ITSM_TIMER_NONE);
}

/* A change of assignment group, alone (an update) or with a step between
 * open states (a hold, a resume), under a policy without OLAs: the SLA's
 * deadlines stand and no OLA clock runs. */
static void a_group_change_without_olas_keeps_the_deadlines(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *r = p2_at_work(&f);
    itsm_time next = itsm_engine_next_deadline(f.eng);
    for (int round = 0; round < 3; round++)
        group_round(&f, r, no_ola_and_the_deadline_stands);
    assert_int_equal(itsm_engine_next_deadline(f.eng), next);
    assert_replay_same(&f, NULL, f.clock.now);
    fixture_close(&f);
}

/* Network's OLA (an hour) runs from the change into Network, afresh each
 * time, and not in another group; the SLA's deadline stands. */
static void networks_ola_from_the_change(itsm_record *r, int step, itsm_time now)
{
    assert_int_equal(res_due(r, now), T0 + 8 * HOUR);
    itsm_timer_info o = timer(r, ITSM_TIMER_OLA, now + 5 * MIN);
    if (step == 0 || step == 2) {
        assert_int_equal(o.status, ITSM_TIMER_RUNNING);
        assert_int_equal(o.elapsed, 5 * MIN);
        assert_int_equal(o.due, now + HOUR);
    } else {
        assert_int_equal(o.status, ITSM_TIMER_NONE);
    }
}

/* The same changes under a policy with an OLA for Network. */
static void a_group_change_with_an_ola_starts_its_clock_afresh(void **state)
{
    (void)state;
    itsm_policy *p;
    assert_ok(itsm_policy_new_default(&p, NULL));
    assert_ok(itsm_policy_set_ola(p, "Network", HOUR, NULL));
    fixture f;
    fixture_open_policy(&f, p);
    itsm_record *r = p2_at_work(&f);
    for (int round = 0; round < 3; round++)
        group_round(&f, r, networks_ola_from_the_change);
    assert_replay_same(&f, p, f.clock.now);
    fixture_close(&f);
    itsm_policy_free(p);
}

/* A resolve under a policy that flags no knowledge candidates, of records
 * counted on no service, takes the short form that calls nothing
 * (replan_short.c, stop_plain): each clock still running takes its verdict
 * under the plan as it stands, met or late, and auto-close is planned from
 * the resolve. */
static void a_resolve_judges_its_clocks_and_plans_the_auto_close_from_it(void **state)
{
    (void)state;
    itsm_policy *p;
    assert_ok(itsm_policy_new_default(&p, NULL));
    assert_ok(itsm_policy_set_closure(p, 3 * DAY, 100, 0));
    fixture f;
    fixture_open_policy(&f, p);
    itsm_record *late = open_inc(&f, 1, 2, NULL);   /* P2: 30 min to respond, 8 h to resolve (24x7) */
    f.clock.now = T0 + MIN;
    itsm_record *met = open_inc(&f, 1, 2, NULL);
    f.clock.now = T0 + 10 * MIN;
    start_work(met);
    f.clock.now = T0 + HOUR;
    resolve(met);
    itsm_timer_info t = timer(met, ITSM_TIMER_RESOLUTION, f.clock.now);
    assert_int_equal(t.status, ITSM_TIMER_STOPPED);
    assert_false(t.breached);
    assert_int_equal(t.elapsed, HOUR - MIN);
    assert_int_equal(itsm_record_auto_close_due(met), T0 + HOUR + 3 * DAY);
    f.clock.now = T0 + 9 * HOUR;
    start_work(late);
    f.clock.now = T0 + 9 * HOUR + MIN;
    resolve(late);
    t = timer(late, ITSM_TIMER_RESOLUTION, f.clock.now);
    assert_int_equal(t.status, ITSM_TIMER_STOPPED);
    assert_true(t.breached);
    assert_int_equal(t.elapsed, 9 * HOUR + MIN);
    assert_true(timer(late, ITSM_TIMER_RESPONSE, f.clock.now).breached);
    assert_int_equal(itsm_record_auto_close_due(late), T0 + 9 * HOUR + MIN + 3 * DAY);
    assert_int_equal(itsm_engine_next_deadline(f.eng), T0 + HOUR + 3 * DAY);
    assert_replay_same(&f, p, f.clock.now);
    fixture_close(&f);
    itsm_policy_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_hold_whose_reason_pauses_nothing_keeps_the_resolution_deadline),
        cmocka_unit_test(a_hold_whose_reason_pauses_the_clock_moves_its_deadline_by_the_pause),
        cmocka_unit_test(resolving_after_quiet_steps_plans_the_auto_close),
        cmocka_unit_test(fired_timers_leave_the_queue_in_deadline_order_each_planned_again),
        cmocka_unit_test(a_group_change_without_olas_keeps_the_deadlines),
        cmocka_unit_test(a_group_change_with_an_ola_starts_its_clock_afresh),
        cmocka_unit_test(a_resolve_judges_its_clocks_and_plans_the_auto_close_from_it),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
