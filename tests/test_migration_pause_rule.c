/* SPDX-License-Identifier: Apache-2.0 */
/* A candidate that changes a pause rule (itsm_policy_set_pause): the
 * migration check and the what-if count the elapsed time itself again
 * (itsm/migration.h: "for a change of calendars or pause rules"), not
 * carry it over. The default policy (P2: 8 h to resolve, 24x7) against
 * one where awaiting_supplier also pauses the resolution clock. A P2
 * opened and taken at T0, on hold awaiting the supplier from 1 h to 4 h,
 * resolved at 5 h. Black-box: the public API only. */
#include "sla/sla_support.h"

static itsm_policy *supplier_pauses(void)
{
    itsm_policy *p;
    assert_ok(itsm_policy_new_default(&p, NULL));
    assert_ok(itsm_policy_set_pause(p, "awaiting_supplier", ITSM_TIMER_BIT(ITSM_TIMER_RESOLUTION)));
    return p;
}

/* Asked at 3 h, on hold: actually running, due at 8 h; under the
 * candidate paused since 1 h, no due time. */
static void a_hold_the_candidate_pauses_shows_its_clock_stopping(void **state)
{
    (void)state;
    itsm_policy *cand = supplier_pauses();
    fixture f;
    fixture_open(&f);
    itsm_record *r = open_inc(&f, 1, 2, NULL);
    start_work(r);
    f.clock.now = T0 + HOUR;
    hold(r, "awaiting_supplier");
    f.clock.now = T0 + 3 * HOUR;
    itsm_timer_info t = timer(r, ITSM_TIMER_RESOLUTION, f.clock.now);
    assert_int_equal(t.status, ITSM_TIMER_RUNNING);
    assert_int_equal(t.elapsed, 3 * HOUR);
    itsm_migration *m;
    assert_ok(itsm_engine_migration_check(&m, f.eng, cand));
    assert_int_equal(itsm_migration_count(m), 1);
    itsm_migration_finding x = { .size = sizeof x };
    assert_ok(itsm_migration_at(m, 0, &x));
    assert_int_equal(x.kind, ITSM_MIGRATION_TIMER_MOVES);
    assert_string_equal(x.state, "on_hold");
    assert_int_equal(x.clock, ITSM_WHATIF_RESOLUTION);
    assert_int_equal(x.actual_target, 8 * HOUR);
    assert_int_equal(x.candidate_target, 8 * HOUR);
    assert_int_equal(x.actual_due, T0 + 8 * HOUR);
    assert_int_equal(x.candidate_due, ITSM_TIME_NONE);
    assert_int_equal(x.delta, 0);
    itsm_migration_free(m);
    fixture_close(&f);
    itsm_policy_free(cand);
}

/* Resolved at 5 h: met on both sides, but the working time to resolve is
 * 5 h actually and 2 h under the candidate (the 3 h on hold paused); the
 * wall time is the same. */
static void the_what_if_counts_the_paused_time_again(void **state)
{
    (void)state;
    itsm_policy *cand = supplier_pauses();
    fixture f;
    fixture_open(&f);
    itsm_record *r = open_inc(&f, 1, 2, NULL);
    start_work(r);
    f.clock.now = T0 + HOUR;
    hold(r, "awaiting_supplier");
    f.clock.now = T0 + 4 * HOUR;
    assert_ok(itsm_record_fire(r, "resume", NULL, 0));
    f.clock.now = T0 + 5 * HOUR;
    resolve(r);
    itsm_whatif *w;
    assert_ok(itsm_whatif_new(&w, f.eng, cand, NULL));
    assert_int_equal(itsm_whatif_flip_count(w), 0);
    itsm_whatif_duration d = { .size = sizeof d };
    assert_ok(itsm_whatif_duration_of(&d, w, ITSM_WHATIF_RESOLVE_WORK));
    assert_int_equal(d.count, 1);
    assert_int_equal(d.changed, 1);
    assert_int_equal(d.actual_p50, 5 * HOUR);
    assert_int_equal(d.candidate_p50, 2 * HOUR);
    assert_true(d.mean_delta == -3.0 * HOUR);
    assert_int_equal(d.max_delta, 3 * HOUR);
    assert_ok(itsm_whatif_duration_of(&d, w, ITSM_WHATIF_RESOLVE_WALL));
    assert_int_equal(d.changed, 0);
    assert_int_equal(d.actual_p50, 5 * HOUR);
    itsm_whatif_free(w);
    fixture_close(&f);
    itsm_policy_free(cand);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_hold_the_candidate_pauses_shows_its_clock_stopping),
        cmocka_unit_test(the_what_if_counts_the_paused_time_again),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
