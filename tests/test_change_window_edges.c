/* SPDX-License-Identifier: Apache-2.0 */
/* The edges of the change schedule's windows (the practitioner's policy of
 * change_policy.h): a window wrapping a whole blackout touches it; one
 * ending where a blackout starts does not, one starting in its last
 * second does; a calendar blackout's working
 * time is half-open too, so a change may fill the weekend between two
 * trading days to the second; a window spanning two maintenance sessions
 * is not wholly inside the maintenance window, one filling a session is. */
#include "change_policy.h"

#include <string.h>

static int schedule(itsm_record *r)
{
    return itsm_record_fire(r, "schedule", NULL, 0);
}

static void a_window_wrapping_a_blackout_touches_it(void **state)
{
    (void)state;
    fixture f;
    change_fixture_open(&f, NULL, NULL, NULL);
    itsm_record *r = change_authorized(&f, "CHG1", "mail", "relay01");
    change_plan(r, "2026-12-14T00:00:00Z", "2027-01-06T00:00:00Z");
    assert_fails(f.eng, schedule(r), ITSM_EGUARD, "falls in blackout 'year_end'");
    assert_string_equal(itsm_record_state(r), "authorized");
    /* Ending where the blackout starts: outside it. */
    change_plan(r, "2026-12-14T22:00:00Z", "2026-12-15T00:00:00Z");
    assert_ok(schedule(r));
    /* Re-planned a second into it: refused, the plan stays as it was. */
    assert_fails(f.eng, itsm_change_plan(r, at_utc("2026-12-14T22:00:00Z"), at_utc("2026-12-15T00:00:01Z")),
                 ITSM_EGUARD, "blackout 'year_end'");
    itsm_time s, e;
    assert_ok(itsm_change_planned(&s, &e, r));
    assert_int_equal(e, at_utc("2026-12-15T00:00:00Z"));
    fixture_close(&f);
}

static void a_window_starting_in_a_blackouts_last_second_touches_it(void **state)
{
    (void)state;
    fixture f;
    change_fixture_open(&f, NULL, NULL, NULL);
    itsm_record *r = change_authorized(&f, "CHG1", "mail", "relay01");
    change_plan(r, "2027-01-04T23:59:59Z", "2027-01-05T02:00:00Z");
    assert_fails(f.eng, schedule(r), ITSM_EGUARD, "falls in blackout 'year_end'");
    change_plan(r, "2027-01-05T00:00:00Z", "2027-01-05T02:00:00Z");
    assert_ok(schedule(r));
    /* On the schedule, pulled one second earlier: refused, the plan stays. */
    assert_fails(f.eng, itsm_change_plan(r, at_utc("2027-01-04T23:59:59Z"), at_utc("2027-01-05T02:00:00Z")),
                 ITSM_EGUARD, "cannot re-plan CHG1: ");
    itsm_time s, e;
    assert_ok(itsm_change_planned(&s, &e, r));
    assert_int_equal(s, at_utc("2027-01-05T00:00:00Z"));
    fixture_close(&f);
}

static void a_change_may_fill_the_gap_between_two_trading_days(void **state)
{
    (void)state;
    fixture f;
    change_fixture_open(&f, NULL, NULL, NULL);
    itsm_record *r = change_authorized(&f, "PAY1", "payments", "gw01");
    /* Friday 10 April 18:00 to Monday 13 April 08:00: no trading at all. */
    change_plan(r, "2026-04-10T18:00:00Z", "2026-04-13T08:00:00Z");
    assert_ok(schedule(r));
    /* A second into Monday's trading: refused. */
    assert_fails(f.eng, itsm_change_plan(r, at_utc("2026-04-10T18:00:00Z"), at_utc("2026-04-13T08:00:01Z")),
                 ITSM_EGUARD, "blackout 'trading_hours'");
    /* A second into Friday's: refused too. */
    assert_fails(f.eng, itsm_change_plan(r, at_utc("2026-04-10T17:59:59Z"), at_utc("2026-04-13T08:00:00Z")),
                 ITSM_EGUARD, "blackout 'trading_hours'");
    fixture_close(&f);
}

static void a_window_spanning_two_maintenance_sessions_is_not_inside_one(void **state)
{
    (void)state;
    fixture f;
    change_fixture_open(&f, NULL, NULL, NULL);
    itsm_record *r = change_authorized(&f, "CHG1", "payroll", "db01");
    /* Summer time: Sunday 01:00-05:00 Paris is 23:00Z Saturday to 03:00Z. */
    change_plan(r, "2026-04-12T00:00:00Z", "2026-04-19T02:00:00Z");
    assert_fails(f.eng, schedule(r), ITSM_EGUARD,
                 "is outside the maintenance window of service 'payroll' (calendar 'payroll_maintenance')");
    /* Filling one session exactly: inside. */
    change_plan(r, "2026-04-11T23:00:00Z", "2026-04-12T03:00:00Z");
    assert_ok(schedule(r));
    fixture_close(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_window_wrapping_a_blackout_touches_it),
        cmocka_unit_test(a_window_starting_in_a_blackouts_last_second_touches_it),
        cmocka_unit_test(a_change_may_fill_the_gap_between_two_trading_days),
        cmocka_unit_test(a_window_spanning_two_maintenance_sessions_is_not_inside_one),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
