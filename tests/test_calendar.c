/* Calendars: working time counted exactly (DESIGN.md section 4). */
#include "sla/sla_support.h"

/* 2026-03-02 00:00Z, a Monday. */
#define MON (T0 - 9 * HOUR)

static itsm_policy *policy_with_holiday(void)
{
    itsm_policy *p;
    assert_ok(itsm_policy_new_default(&p, NULL));
    itsm_calendar_def d = ITSM_CALENDAR_DEF_INIT;
    const char *hol[] = { "2026-03-03" };   /* Tuesday */
    d.name = "office";
    for (int i = 0; i < 5; i++) {
        d.start[i] = 9 * HOUR;
        d.end[i] = 17 * HOUR;
    }
    d.holidays = hol;
    d.nholidays = 1;
    assert_ok(itsm_policy_set_calendar(p, &d));
    d.name = "paris";
    d.utc_offset = 3600;
    d.nholidays = 0;
    assert_ok(itsm_policy_set_calendar(p, &d));
    return p;
}

static itsm_time add(const itsm_policy *p, const char *cal, itsm_time from, int64_t w)
{
    itsm_time t;
    assert_ok(itsm_calendar_add(&t, p, cal, from, w));
    return t;
}

static int64_t work(const itsm_policy *p, const char *cal, itsm_time a, itsm_time b)
{
    int64_t w;
    assert_ok(itsm_calendar_work(&w, p, cal, a, b));
    return w;
}

static void target_starting_outside_hours_begins_at_opening(void **state)
{
    (void)state;
    itsm_policy *p = policy_with_holiday();
    assert_int_equal(add(p, "business", MON + 7 * HOUR, HOUR), MON + 10 * HOUR);
    assert_int_equal(add(p, "business", MON + 20 * HOUR, HOUR), MON + DAY + 10 * HOUR);
    /* Saturday noon: Monday 10:00 */
    assert_int_equal(add(p, "business", MON + 5 * DAY + 12 * HOUR, HOUR), MON + 7 * DAY + 10 * HOUR);
    assert_int_equal(work(p, "business", MON + 5 * DAY, MON + 7 * DAY), 0);
    itsm_policy_free(p);
}

static void target_across_a_weekend_skips_it(void **state)
{
    (void)state;
    itsm_policy *p = policy_with_holiday();
    itsm_time fri16 = MON + 4 * DAY + 16 * HOUR;
    assert_int_equal(add(p, "business", fri16, 2 * HOUR), MON + 7 * DAY + 10 * HOUR);
    assert_int_equal(work(p, "business", fri16, MON + 7 * DAY + 10 * HOUR), 2 * HOUR);
    itsm_policy_free(p);
}

static void target_across_a_holiday_skips_it(void **state)
{
    (void)state;
    itsm_policy *p = policy_with_holiday();
    itsm_time mon16 = MON + 16 * HOUR;
    assert_int_equal(add(p, "office", mon16, 2 * HOUR), MON + 2 * DAY + 10 * HOUR);
    assert_int_equal(add(p, "business", mon16, 2 * HOUR), MON + DAY + 10 * HOUR);
    assert_int_equal(work(p, "office", mon16, MON + 2 * DAY + 10 * HOUR), 2 * HOUR);
    itsm_policy_free(p);
}

static void due_time_ending_on_a_boundary_is_that_boundary(void **state)
{
    (void)state;
    itsm_policy *p = policy_with_holiday();
    assert_int_equal(add(p, "business", MON + 9 * HOUR, 8 * HOUR), MON + 17 * HOUR);
    assert_int_equal(add(p, "business", MON + 16 * HOUR, HOUR), MON + 17 * HOUR);
    assert_int_equal(add(p, "business", MON + 16 * HOUR, HOUR + 1), MON + DAY + 9 * HOUR + 1);
    /* a whole working week from Monday 09:00 ends Friday 17:00 */
    assert_int_equal(add(p, "business", MON + 9 * HOUR, 40 * HOUR), MON + 4 * DAY + 17 * HOUR);
    itsm_policy_free(p);
}

static void utc_offset_shifts_working_hours(void **state)
{
    (void)state;
    itsm_policy *p = policy_with_holiday();
    /* 09:00-17:00 at UTC+1 is 08:00-16:00Z */
    assert_int_equal(add(p, "paris", MON + 7 * HOUR, HOUR), MON + 9 * HOUR);
    assert_int_equal(add(p, "paris", MON + 8 * HOUR, 8 * HOUR), MON + 16 * HOUR);
    assert_int_equal(work(p, "paris", MON, MON + DAY), 8 * HOUR);
    itsm_policy_free(p);
}

static void twenty_four_seven_is_a_calendar(void **state)
{
    (void)state;
    itsm_policy *p = policy_with_holiday();
    assert_int_equal(add(p, "24x7", MON + 5 * DAY, 3 * DAY), MON + 8 * DAY);
    assert_int_equal(work(p, "24x7", MON, MON + 7 * DAY), 7 * DAY);
    itsm_policy_free(p);
}

static void bad_calendars_are_refused_with_a_reason(void **state)
{
    (void)state;
    itsm_policy *p = policy_with_holiday();
    itsm_calendar_def d = ITSM_CALENDAR_DEF_INIT;
    d.name = "never";
    assert_int_equal(itsm_policy_set_calendar(p, &d), ITSM_EINVAL);
    assert_non_null(strstr(itsm_policy_errmsg(p), "no working time"));
    d.start[0] = 10 * HOUR;
    d.end[0] = 9 * HOUR;
    assert_int_equal(itsm_policy_set_calendar(p, &d), ITSM_EINVAL);
    d.end[0] = 17 * HOUR;
    const char *hol[] = { "2026-02-30" };
    d.holidays = hol;
    d.nholidays = 1;
    assert_int_equal(itsm_policy_set_calendar(p, &d), ITSM_EINVAL);
    assert_non_null(strstr(itsm_policy_errmsg(p), "2026-02-30"));
    d.nholidays = 0;
    d.utc_offset = 15 * HOUR;
    assert_int_equal(itsm_policy_set_calendar(p, &d), ITSM_EINVAL);
    d.name = "Bad Name";
    d.utc_offset = 0;
    assert_int_equal(itsm_policy_set_calendar(p, &d), ITSM_EINVAL);
    itsm_time t;
    assert_int_equal(itsm_calendar_add(&t, p, "nope", T0, 1), ITSM_ENOTFOUND);
    assert_int_equal(itsm_calendar_add(&t, p, "business", -5, 1), ITSM_EINVAL);
    assert_int_equal(itsm_calendar_add(&t, p, "never", T0, 1), ITSM_ENOTFOUND);
    itsm_policy_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(target_starting_outside_hours_begins_at_opening),
        cmocka_unit_test(target_across_a_weekend_skips_it),
        cmocka_unit_test(target_across_a_holiday_skips_it),
        cmocka_unit_test(due_time_ending_on_a_boundary_is_that_boundary),
        cmocka_unit_test(utc_offset_shifts_working_hours),
        cmocka_unit_test(twenty_four_seven_is_a_calendar),
        cmocka_unit_test(bad_calendars_are_refused_with_a_reason),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
