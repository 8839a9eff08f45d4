/* SPDX-License-Identifier: Apache-2.0 */
/* Holidays in the calendars the change schedule is built on: a trading
 * blackout lifts on a market holiday (no trading, nothing to protect),
 * and a maintenance window falls away on a holiday (no maintenance
 * session that day), both by the calendar's own holiday list. */
#include "change_policy.h"

#include <string.h>

static int schedule(itsm_record *r)
{
    return itsm_record_fire(r, "schedule", NULL, 0);
}

/* change_policy() with Good Friday 2026 (3 April) a holiday of the trading
 * calendar, and Easter Sunday (5 April) one of payroll's maintenance
 * calendar. */
static itsm_policy *holiday_policy(void)
{
    itsm_policy *p = change_policy();
    static const char *const good_friday[] = { "2026-04-03" }, *const easter[] = { "2026-04-05" };
    itsm_calendar_def t = ITSM_CALENDAR_DEF_INIT;
    t.name = "trading";
    for (int d = 0; d < 5; d++) {
        t.start[d] = 8 * 3600;
        t.end[d] = 18 * 3600;
    }
    t.holidays = good_friday;
    t.nholidays = 1;
    assert_ok(itsm_policy_set_calendar(p, &t));
    itsm_calendar_def c = ITSM_CALENDAR_DEF_INIT;
    itsm_work_span sunday = { 6, 3600, 5 * 3600 };
    c.name = "payroll_maintenance";
    c.zone = "CET-1CEST,M3.5.0,M10.5.0/3";
    c.spans = &sunday;
    c.nspans = 1;
    c.holidays = easter;
    c.nholidays = 1;
    assert_ok(itsm_policy_set_calendar(p, &c));
    assert_int_equal(itsm_policy_check(p), 0);
    return p;
}

static void a_trading_blackout_lifts_on_a_market_holiday(void **state)
{
    (void)state;
    itsm_policy *p = holiday_policy();
    fixture f;
    change_fixture_open(&f, p, NULL, NULL);
    itsm_policy_free(p);
    itsm_record *fri = change_authorized(&f, "PAY1", "payments", "gw01");
    itsm_record *thu = change_authorized(&f, "PAY2", "payments", "gw02");
    change_plan(fri, "2026-04-03T10:00:00Z", "2026-04-03T11:00:00Z");   /* Good Friday */
    change_plan(thu, "2026-04-02T10:00:00Z", "2026-04-02T11:00:00Z");   /* the Thursday before */
    assert_ok(schedule(fri));
    assert_fails(f.eng, schedule(thu), ITSM_EGUARD, "falls in blackout 'trading_hours'");
    fixture_close(&f);
}

static void a_maintenance_window_falls_away_on_a_holiday(void **state)
{
    (void)state;
    itsm_policy *p = holiday_policy();
    fixture f;
    change_fixture_open(&f, p, NULL, NULL);
    itsm_policy_free(p);
    itsm_record *r = change_authorized(&f, "CHG1", "payroll", "db01");
    /* Easter Sunday 01:00-05:00 Paris (summer time) is 23:00Z..03:00Z. */
    change_plan(r, "2026-04-04T23:00:00Z", "2026-04-05T01:00:00Z");
    assert_fails(f.eng, schedule(r), ITSM_EGUARD,
                 "is outside the maintenance window of service 'payroll' (calendar 'payroll_maintenance')");
    /* The Sunday after is an ordinary session. */
    change_plan(r, "2026-04-11T23:00:00Z", "2026-04-12T01:00:00Z");
    assert_ok(schedule(r));
    fixture_close(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_trading_blackout_lifts_on_a_market_holiday),
        cmocka_unit_test(a_maintenance_window_falls_away_on_a_holiday),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
