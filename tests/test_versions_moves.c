/* SPDX-License-Identifier: Apache-2.0 */
/* When a record moves to an adopted policy version (docs/policy.md,
 * "Versions"): a settled record reopened after the change stays under its
 * version for the reopening and moves at its next event, its clock carried
 * over; an open record's next event may be a timer the tick fires, and
 * from then on the new version's warnings and breach apply. A reload of
 * the store rebuilds both. Black-box: the public API and the stored
 * events. Version A gives P2 8 h to resolve, version B 4 h (24x7). */
#include "sla/sla_support.h"

static void pv_is(const memstore *s, size_t i, const char *version)
{
    char needle[40];
    snprintf(needle, sizeof needle, "\"pv\":\"%s\"", version);
    if (!strstr(s->events[i], needle))
        fail_msg("event %zu is not under %s: %s", i, version, s->events[i]);
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

/* Resolved at 2 h under A (settled); B adopted at 3 h; reopened at 3 h:
 * the reopening is under A (due at 3 h + the 6 h A has left = 9 h); the
 * next event, at 4 h, moves it to B: 3 h counted (2 h, then 1 h since the
 * reopening), 1 h left, due at 5 h. */
static void a_reopened_record_moves_at_its_next_event_after_the_reopening(void **state)
{
    (void)state;
    itsm_policy *a = policy_with_p2_resolution(8 * HOUR), *b = policy_with_p2_resolution(4 * HOUR);
    fixture f;
    fixture_open_policy(&f, a);
    itsm_record *r = open_inc(&f, 1, 2, NULL);
    start_work(r);
    f.clock.now = T0 + 2 * HOUR;
    resolve(r);
    char va[17], vb[17];
    snprintf(va, sizeof va, "%s", itsm_record_policy_version(r));
    f.clock.now = T0 + 3 * HOUR;
    assert_ok(itsm_engine_adopt_policy(f.eng, b));
    snprintf(vb, sizeof vb, "%s", itsm_engine_policy_version(f.eng));
    assert_string_not_equal(va, vb);
    assert_string_equal(itsm_record_policy_version(r), va);

    assert_ok(itsm_record_fire(r, "reopen", NULL, 0));
    assert_string_equal(itsm_record_policy_version(r), va);
    pv_is(&f.store, f.store.n - 1, va);
    itsm_timer_info t = timer(r, ITSM_TIMER_RESOLUTION, f.clock.now);
    assert_int_equal(t.status, ITSM_TIMER_RUNNING);
    assert_int_equal(t.target, 8 * HOUR);
    assert_int_equal(t.elapsed, 2 * HOUR);
    assert_int_equal(t.due, T0 + 9 * HOUR);

    f.clock.now = T0 + 4 * HOUR;
    itsm_change c = { ITSM_F_SUMMARY, "Mail down again", 0 };
    assert_ok(itsm_record_update(r, &c, 1));
    assert_string_equal(itsm_record_policy_version(r), vb);
    pv_is(&f.store, f.store.n - 1, vb);
    t = timer(r, ITSM_TIMER_RESOLUTION, f.clock.now);
    assert_int_equal(t.target, 4 * HOUR);
    assert_int_equal(t.elapsed, 3 * HOUR);
    assert_int_equal(t.due, T0 + 5 * HOUR);
    /* the tick breaches it at B's 4 h */
    size_t fired = 0;
    assert_ok(itsm_engine_tick(f.eng, T0 + 5 * HOUR - 1, &fired));
    assert_int_equal(count_events(&f.store, "sla_breach"), 0);
    f.clock.now = T0 + 5 * HOUR;
    assert_ok(itsm_engine_tick(f.eng, f.clock.now, &fired));
    assert_int_equal(count_events(&f.store, "sla_breach"), 1);
    assert_true(timer(r, ITSM_TIMER_RESOLUTION, f.clock.now).breached);
    reload_same(&f, b, T0 + 6 * HOUR);
    reload_same(&f, a, T0 + 6 * HOUR);
    fixture_close(&f);
    itsm_policy_free(a);
    itsm_policy_free(b);
}

/* Open under A, B adopted at 1 h. The record's next event is the missed
 * next update the tick fires at 1 h + 1 s: from it on the record is under
 * B, whose warning (75 % of 4 h) fires at 3 h and breach at 4 h - not A's
 * 6 h and 8 h. */
static void a_fired_timer_is_the_next_event_that_moves_an_open_record(void **state)
{
    (void)state;
    itsm_policy *a = policy_with_p2_resolution(8 * HOUR), *b = policy_with_p2_resolution(4 * HOUR);
    fixture f;
    fixture_open_policy(&f, a);
    itsm_record *r = open_inc(&f, 1, 2, NULL);
    start_work(r);
    char va[17];
    snprintf(va, sizeof va, "%s", itsm_record_policy_version(r));
    f.clock.now = T0 + HOUR;
    assert_ok(itsm_engine_adopt_policy(f.eng, b));
    assert_string_equal(itsm_record_policy_version(r), va);
    assert_int_equal(timer(r, ITSM_TIMER_RESOLUTION, f.clock.now).target, 8 * HOUR);
    size_t before = f.store.n;
    f.clock.now = T0 + 2 * HOUR;
    assert_ok(itsm_engine_tick(f.eng, f.clock.now, NULL));
    assert_true(f.store.n > before);
    assert_string_equal(itsm_record_policy_version(r), itsm_engine_policy_version(f.eng));
    itsm_timer_info t = timer(r, ITSM_TIMER_RESOLUTION, f.clock.now);
    assert_int_equal(t.target, 4 * HOUR);
    assert_int_equal(t.due, T0 + 4 * HOUR);
    f.clock.now = T0 + 3 * HOUR;
    assert_ok(itsm_engine_tick(f.eng, f.clock.now, NULL));
    assert_int_equal(count_events(&f.store, "sla_warning"), 1);
    assert_non_null(strstr(f.store.events[f.store.n - 1], "\"at\":\"2026-03-02T12:00:00Z\""));
    f.clock.now = T0 + 4 * HOUR;
    assert_ok(itsm_engine_tick(f.eng, f.clock.now, NULL));
    assert_int_equal(count_events(&f.store, "sla_breach"), 1);
    assert_true(timer(r, ITSM_TIMER_RESOLUTION, f.clock.now).breached);
    reload_same(&f, b, T0 + 5 * HOUR);
    fixture_close(&f);
    itsm_policy_free(a);
    itsm_policy_free(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_reopened_record_moves_at_its_next_event_after_the_reopening),
        cmocka_unit_test(a_fired_timer_is_the_next_event_that_moves_an_open_record),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
