/* SPDX-License-Identifier: Apache-2.0 */
/* Under a policy whose every calendar a record can count in by itself is
 * 24x7 (no SLA rules, no agreements, one version), the clocks count up to
 * each event in the after hook (sla.c, count_where). An SLA set by hand
 * onto office hours leaves that: the clocks count wall time up to the
 * set, and office hours from there on. Black-box: the public API. */
#include "sla/sla_support.h"

static void a_hand_set_office_sla_counts_office_hours_from_the_set_on(void **state)
{
    (void)state;
    itsm_policy *p;
    assert_ok(itsm_policy_new_default(&p, NULL));
    itsm_sla_def s = ITSM_SLA_DEF_INIT;
    s.name = "standard";   /* every priority on 24x7 */
    for (int i = 0; i < 5; i++)
        s.resolution[i] = 40 * HOUR;
    assert_ok(itsm_policy_set_sla(p, &s));
    s.name = "office";
    for (int i = 0; i < 5; i++)
        s.calendar[i] = "business";
    assert_ok(itsm_policy_set_sla(p, &s));
    fixture f;
    fixture_open_policy(&f, p);
    itsm_time fri = T0 + 4 * DAY + 6 * HOUR;   /* Friday 6 March, 15:00 */
    f.clock.now = fri;
    itsm_record *r = open_inc(&f, 2, 2, NULL);
    start_work(r);
    f.clock.now = fri + HOUR;
    assert_ok(itsm_record_set_sla(r, "office"));
    itsm_time sat = fri + 19 * HOUR;   /* Saturday 10:00 */
    f.clock.now = sat;
    assert_ok(itsm_record_set_int(r, ITSM_F_URGENCY, 3));
    int64_t office = 0;
    assert_ok(itsm_calendar_work(&office, p, "business", fri + HOUR, sat));
    itsm_timer_info t = timer(r, ITSM_TIMER_RESOLUTION, sat);
    assert_string_equal(t.calendar, "business");
    assert_int_equal(t.elapsed, HOUR + office);   /* 24x7 until the set, office hours after */
    f.clock.now = sat + DAY;
    resolve(r);
    assert_int_equal(timer(r, ITSM_TIMER_RESOLUTION, sat + DAY).elapsed, HOUR + office);   /* Sunday: none */
    assert_replay_same(&f, p, sat + DAY);
    fixture_close(&f);
    itsm_policy_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_hand_set_office_sla_counts_office_hours_from_the_set_on),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
