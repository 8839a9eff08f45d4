/* SPDX-License-Identifier: Apache-2.0 */
/* itsm_due_view_earliest (itsm/sla.h): the rule a host leaves a tick out
 * by - a tick before the queue's first time fires nothing - held at every
 * step of a run of openings, steps, holds and ticks, through a stale top
 * and across a load. */
#include "sla/sla_support.h"

/* A tick at `now` left out by the rule fires nothing: ticked here anyway,
 * to prove it. 1 when the rule would leave it out. */
static int left_out_fires_nothing(fixture *f, itsm_time now)
{
    const itsm_due_view *v = itsm_engine_due_view(f->eng);
    int out = now < itsm_due_view_earliest(v);
    size_t n = 0;
    f->clock.now = now;
    assert_ok(itsm_engine_tick(f->eng, now, &n));
    if (out)
        assert_int_equal(n, 0);
    return out;
}

static void layout_and_an_empty_queue(void **state)
{
    (void)state;
    assert_int_equal(itsm_due_layout(), ITSM_DUE_LAYOUT);
    assert_null(itsm_engine_due_view(NULL));
    fixture f;
    fixture_open(&f);
    const itsm_due_view *v = itsm_engine_due_view(f.eng);
    assert_non_null(v);
    assert_true(itsm_due_view_earliest(v) > ITSM_TIME_MAX);   /* nothing queued: never due */
    assert_int_equal(left_out_fires_nothing(&f, ITSM_TIME_MAX), 1);
    fixture_close(&f);
}

static void the_queue_s_first_time_and_the_next_deadline(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    const itsm_due_view *v = itsm_engine_due_view(f.eng);
    itsm_record *r = open_inc(&f, 1, 2, NULL);   /* P2: response 30 min, resolution 8 h */
    start_work(r);
    /* responded: the response deadline's entry stays, stale, until a tick
     * (or itsm_engine_next_deadline) drops it - the first time is never
     * later than the next deadline, the missed next update at T0 + 1 h + 1 s */
    assert_true(itsm_due_view_earliest(v) <= T0 + 30 * MIN);
    assert_int_equal(left_out_fires_nothing(&f, itsm_due_view_earliest(v)), 0);   /* the stale top: dropped */
    itsm_time first = itsm_engine_next_deadline(f.eng);
    assert_true(first == T0 + HOUR + 1 && itsm_due_view_earliest(v) == first);
    assert_int_equal(left_out_fires_nothing(&f, first - 1), 1);
    assert_int_equal(sla_tick(&f, first), 1);   /* due: it fired */
    assert_true(itsm_due_view_earliest(v) > first);
    /* resolved: its resolution deadline stays queued, stale, until a tick
     * drops it - the first time is never later than the next deadline */
    resolve(r);
    assert_true(itsm_due_view_earliest(v) <= itsm_engine_next_deadline(f.eng) ||
                itsm_engine_next_deadline(f.eng) == ITSM_TIME_NONE);
    fixture_close(&f);
}

/* Openings, steps, holds and resumes at growing times, a tick before each
 * step as a replay makes them: every tick the rule leaves out fires
 * nothing, and most are left out. */
static void a_run_of_steps_with_ticks_left_out(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *recs[40];
    int left_out = 0, ticks = 0, holds = 0, resumes = 0, resolves = 0;
    itsm_time t = T0;
    for (int i = 0; i < 40; i++) {
        t += 7 * MIN;
        left_out += left_out_fires_nothing(&f, t);
        ticks++;
        recs[i] = open_inc(&f, 1 + i % 3, 1 + (i / 3) % 3, NULL);
        for (int j = 0; j <= i; j += 3) {
            itsm_record *r = recs[j];
            t += 3 * MIN;
            left_out += left_out_fires_nothing(&f, t);
        ticks++;
            const char *st = itsm_record_state(r);
            if (!strcmp(st, "new"))
                start_work(r);
            else if (!strcmp(st, "in_progress") && (i + j) % 4 == 0) {
                hold(r, "awaiting_customer");
                holds++;
            } else if (!strcmp(st, "on_hold")) {
                assert_ok(itsm_record_fire(r, "resume", NULL, 0));
                resumes++;
            } else if (!strcmp(st, "in_progress") && (i + j) % 5 == 1) {
                resolve(r);
                resolves++;
            }
        }
    }
    /* a day later everything due fires; then nothing is due until the next */
    assert_int_equal(left_out_fires_nothing(&f, t + DAY), 0);
    assert_true(left_out > ticks / 2 && left_out < ticks);
    assert_true(holds > 10 && resumes > 5 && resolves > 5);
    assert_replay_same(&f, NULL, t + DAY);
    fixture_close(&f);
}

/* The view is the engine's: a load that replaces the engine's state (its
 * queue made again from the store) reads through the same view. */
static void the_view_after_a_load(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    const itsm_due_view *v = itsm_engine_due_view(f.eng);
    itsm_record *r = open_inc(&f, 1, 1, NULL);   /* P1: response 15 min */
    (void)r;
    itsm_time first = itsm_due_view_earliest(v);
    assert_true(first <= T0 + 15 * MIN);
    assert_ok(itsm_engine_load(f.eng));
    assert_true(itsm_engine_due_view(f.eng) == v);
    assert_true(itsm_due_view_earliest(v) == itsm_engine_next_deadline(f.eng));
    assert_int_equal(left_out_fires_nothing(&f, itsm_due_view_earliest(v) - 1), 1);
    assert_int_equal(left_out_fires_nothing(&f, itsm_due_view_earliest(v)), 0);
    fixture_close(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(layout_and_an_empty_queue),
        cmocka_unit_test(the_queue_s_first_time_and_the_next_deadline),
        cmocka_unit_test(a_run_of_steps_with_ticks_left_out),
        cmocka_unit_test(the_view_after_a_load),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
