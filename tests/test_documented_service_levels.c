/* SPDX-License-Identifier: Apache-2.0 */
/* Worked examples docs/service-levels.md gives in its text, run as
 * written: "a P1 incident 5 hours old moved to P2 without a tick at 4
 * hours is not breached", while the what-if, which "judges each clock
 * before each event, as such a tick would", counts that same clock
 * breached (docs/whatif.md: "a breach under a priority the record later
 * left stays a breach"). */
#include "sla/sla_support.h"

static void set_priority_by_matrix(itsm_record *r, int impact, int urgency)
{
    itsm_change c[2] = { { ITSM_F_IMPACT, NULL, impact }, { ITSM_F_URGENCY, NULL, urgency } };
    assert_ok(itsm_record_update(r, c, 2));
}

static void a_p1_moved_to_p2_at_five_hours_without_a_tick_is_not_breached(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *r = open_inc(&f, 1, 1, NULL);   /* P1: resolution 4 h on 24x7 */
    start_work(r);
    assert_int_equal(itsm_record_int(r, ITSM_F_PRIORITY), 1);
    f.clock.now = T0 + 5 * HOUR;                 /* no tick at 4 h */
    set_priority_by_matrix(r, 1, 2);             /* P2: 8 h on 24x7 */
    assert_int_equal(itsm_record_int(r, ITSM_F_PRIORITY), 2);
    itsm_timer_info t = timer(r, ITSM_TIMER_RESOLUTION, T0 + 5 * HOUR);
    assert_int_equal(t.status, ITSM_TIMER_RUNNING);
    assert_false(t.breached);
    assert_int_equal(t.due, T0 + 8 * HOUR);      /* the 5 hours counted carry over */
    /* The late tick judges under P2: nothing until 8 h, the breach at 8 h. */
    sla_tick(&f, T0 + 8 * HOUR - 1);
    assert_int_equal(count_with(&f.store, "sla_breach", "\"timer\":\"resolution\""), 0);
    sla_tick(&f, T0 + 8 * HOUR);
    assert_int_equal(count_with(&f.store, "sla_breach", "\"timer\":\"resolution\""), 1);
    assert_replay_same(&f, NULL, T0 + 8 * HOUR);
    fixture_close(&f);
}

/* The what-if judges the same store as a host that ticks before every
 * event: the P1 target was reached before the move, so both sides count
 * it breached - and, the policy being the same, nothing flips. */
static void the_whatif_judges_the_unticked_move_as_a_ticking_host_would(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *r = open_inc(&f, 1, 1, NULL);
    start_work(r);
    f.clock.now = T0 + 5 * HOUR;
    set_priority_by_matrix(r, 1, 2);
    f.clock.now = T0 + 6 * HOUR;
    resolve(r);                                  /* met under P2, live */
    assert_false(timer(r, ITSM_TIMER_RESOLUTION, T0 + 6 * HOUR).breached);

    itsm_whatif *w;
    assert_ok(itsm_whatif_new(&w, f.eng, itsm_engine_policy(f.eng), NULL));
    itsm_whatif_summary s = { .size = sizeof s };
    assert_ok(itsm_whatif_summary_of(&s, w));
    assert_int_equal(s.records, 1);
    assert_int_equal(s.flips, 0);
    assert_true(s.actual_breached >= 1);         /* the resolution clock, judged before the move */
    assert_int_equal(s.actual_breached, s.candidate_breached);
    itsm_whatif_free(w);
    fixture_close(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_p1_moved_to_p2_at_five_hours_without_a_tick_is_not_breached),
        cmocka_unit_test(the_whatif_judges_the_unticked_move_as_a_ticking_host_would),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
