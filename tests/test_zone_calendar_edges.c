/* SPDX-License-Identifier: Apache-2.0 */
/* Calendar edges with daylight saving and yearly holidays: a round-the-
 * clock calendar in a zone counts every real second (the spring hour does
 * not exist, the autumn hour happens twice), a working span that straddles
 * the change of the clocks, a change at local midnight that repeats the
 * last hour of the day before, a due time that ends with the last working
 * second before a change, and yearly holidays in years where the rule's
 * weekday comes five times a month or a leap day shifts the date. Each
 * figure is worked out by hand beside it. Black-box: itsm_calendar_work,
 * itsm_calendar_add. */
#include "support.h"

#define MIN  60
#define HOUR 3600
#define DAY  86400

#define PARIS     "CET-1CEST,M3.5.0,M10.5.0/3"
#define NYC       "EST5EDT,M3.2.0,M11.1.0"
#define SYDNEY    "AEST-10AEDT,M10.1.0,M4.1.0/3"
#define LORD_HOWE "<+1030>-10:30<+11>-11,M10.1.0,M4.1.0"
#define DUBLIN    "IST-1GMT0,M10.5.0,M3.5.0/1"
#define NUUK      "<-02>2<-01>,M3.5.0/-1,M10.5.0/0"

/* Seconds since 1970 of a UTC civil time (days from civil, H. Hinnant). */
static itsm_time utc(int y, int m, int d, int hh, int mm)
{
    y -= m <= 2;
    const int64_t era = (y >= 0 ? y : y - 399) / 400;
    const int64_t yoe = y - era * 400;
    const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return (era * 146097 + doe - 719468) * DAY + hh * HOUR + mm * MIN;
}

/* A calendar of the given spans, in `zone` (NULL: UTC). */
static void set_cal(itsm_policy *p, const char *name, const char *zone, const itsm_work_span *s, size_t n,
                    const char *const *hol, size_t nhol)
{
    itsm_calendar_def def = ITSM_CALENDAR_DEF_INIT;
    def.name = name;
    def.zone = zone;
    def.spans = s;
    def.nspans = n;
    def.holidays = hol;
    def.nholidays = nhol;
    if (itsm_policy_set_calendar(p, &def) != ITSM_OK)
        fail_msg("%s: %s", name, itsm_policy_errmsg(p));
}

static int64_t work(const itsm_policy *p, const char *cal, itsm_time a, itsm_time b)
{
    int64_t w = -1;
    assert_int_equal(itsm_calendar_work(&w, p, cal, a, b), ITSM_OK);
    return w;
}

static itsm_time add(const itsm_policy *p, const char *cal, itsm_time from, int64_t w)
{
    itsm_time t = 0;
    assert_int_equal(itsm_calendar_add(&t, p, cal, from, w), ITSM_OK);
    return t;
}

static itsm_policy *policy(void)
{
    itsm_policy *p;
    assert_int_equal(itsm_policy_new_default(&p, NULL), ITSM_OK);
    return p;
}

/* Every local second is working time, so every real second is: the 23-hour
 * spring day and the 25-hour autumn day are counted as they last, and a
 * whole decade of working time is the decade itself, in each zone
 * (northern, southern, a half-hour change and Dublin's negative daylight
 * saving) and however the interval falls on the weeks. */
static void a_round_the_clock_calendar_in_a_zone_counts_every_real_second(void **state)
{
    (void)state;
    itsm_policy *p = policy();
    itsm_work_span all[7];
    for (int d = 0; d < 7; d++)
        all[d] = (itsm_work_span){ d, 0, DAY };
    const char *zones[] = { PARIS, NYC, SYDNEY, LORD_HOWE, DUBLIN };
    for (size_t z = 0; z < sizeof zones / sizeof zones[0]; z++) {
        set_cal(p, "round", zones[z], all, 7, NULL, 0);
        /* Paris: 29 March 2026 is 00:00 CET (23:00Z the day before) to
         * 24:00 CEST (22:00Z): 23 h; 25 October 00:00 CEST (22:00Z) to 24:00
         * CET (23:00Z): 25 h. Zone-independent as real time. */
        itsm_time spring0 = utc(2026, 3, 28, 23, 0), spring1 = utc(2026, 3, 29, 22, 0);
        itsm_time autumn0 = utc(2026, 10, 24, 22, 0), autumn1 = utc(2026, 10, 25, 23, 0);
        assert_int_equal(work(p, "round", spring0, spring1), 23 * HOUR);
        assert_int_equal(work(p, "round", autumn0, autumn1), 25 * HOUR);
        itsm_time from = utc(2026, 1, 1, 0, 0) + 17 * MIN + 3, to = utc(2036, 1, 1, 0, 0) + 5 * HOUR + 11;
        assert_int_equal(work(p, "round", from, to), to - from);
        /* adding any amount lands that many real seconds later: one second,
         * across each change of each year, a week, a year and a decade */
        const int64_t amounts[] = { 1, 13 * HOUR + 7, 7 * DAY, 7 * DAY + 1, 183 * DAY + 5,
                                    365 * DAY + 3 * HOUR, 3652 * DAY + 1 };
        for (size_t i = 0; i < sizeof amounts / sizeof amounts[0]; i++) {
            assert_int_equal(add(p, "round", from, amounts[i]), from + amounts[i]);
            assert_int_equal(add(p, "round", spring0 + 30 * MIN, amounts[i]), spring0 + 30 * MIN + amounts[i]);
            assert_int_equal(add(p, "round", autumn0 + 150 * MIN, amounts[i]), autumn0 + 150 * MIN + amounts[i]);
        }
    }
    itsm_policy_free(p);
}

/* New York, a span of Sunday 01:00-03:00 local only. Spring, 8 March 2026:
 * 02:00 EST jumps to 03:00 EDT, so only 01:00-02:00 EST (06:00-07:00Z)
 * exists: 1 h. Autumn, 1 November 2026: 02:00 EDT falls back to 01:00 EST,
 * so 01:00-02:00 EDT (05:00-06:00Z), 01:00-02:00 EST (06:00-07:00Z) and
 * 02:00-03:00 EST (07:00-08:00Z): 3 h in one piece. A normal summer Sunday
 * (15 March, EDT) is 05:00-07:00Z. */
static void a_span_that_straddles_the_change_holds_the_hours_that_happen(void **state)
{
    (void)state;
    itsm_policy *p = policy();
    itsm_work_span night = { 6, 1 * HOUR, 3 * HOUR };
    set_cal(p, "night", NYC, &night, 1, NULL, 0);
    assert_int_equal(work(p, "night", utc(2026, 3, 8, 0, 0), utc(2026, 3, 9, 0, 0)), HOUR);
    assert_int_equal(work(p, "night", utc(2026, 3, 8, 6, 30), utc(2026, 3, 8, 12, 0)), 30 * MIN);
    /* the hour ends with its last second: the end, not the next Sunday */
    assert_int_equal(add(p, "night", utc(2026, 3, 8, 0, 0), HOUR), utc(2026, 3, 8, 7, 0));
    assert_int_equal(add(p, "night", utc(2026, 3, 8, 0, 0), HOUR + 1), utc(2026, 3, 15, 5, 0) + 1);
    assert_int_equal(add(p, "night", utc(2026, 3, 8, 0, 0), 90 * MIN), utc(2026, 3, 15, 5, 30));
    assert_int_equal(work(p, "night", utc(2026, 3, 15, 0, 0), utc(2026, 3, 16, 0, 0)), 2 * HOUR);

    assert_int_equal(work(p, "night", utc(2026, 11, 1, 0, 0), utc(2026, 11, 2, 0, 0)), 3 * HOUR);
    /* both readings of 01:30 count: 05:30Z (EDT) and 06:30Z (EST) */
    assert_int_equal(work(p, "night", utc(2026, 11, 1, 5, 30), utc(2026, 11, 1, 6, 30)), HOUR);
    assert_int_equal(add(p, "night", utc(2026, 11, 1, 0, 0), 150 * MIN), utc(2026, 11, 1, 7, 30));
    assert_int_equal(add(p, "night", utc(2026, 11, 1, 0, 0), 3 * HOUR), utc(2026, 11, 1, 8, 0));
    /* the week after: 01:00 EST = 06:00Z */
    assert_int_equal(add(p, "night", utc(2026, 11, 1, 0, 0), 3 * HOUR + 1), utc(2026, 11, 8, 6, 0) + 1);
    itsm_policy_free(p);
}

/* Paris, Monday to Friday 09:00-17:00. The last hour of the Friday before
 * each change ends at that Friday's 17:00 (the earliest instant), one
 * second more is Monday 09:00:01 at the new offset: spring, Friday 27
 * March 16:00 CET = 15:00Z, Monday 30 March 09:00 CEST = 07:00Z; autumn,
 * Friday 23 October 16:00 CEST = 14:00Z, Monday 26 October 09:00 CET =
 * 08:00Z. The weekend in between counts nothing. */
static void the_last_working_second_before_a_change_ends_on_the_friday(void **state)
{
    (void)state;
    itsm_policy *p = policy();
    itsm_work_span office[5];
    for (int d = 0; d < 5; d++)
        office[d] = (itsm_work_span){ d, 9 * HOUR, 17 * HOUR };
    set_cal(p, "paris", PARIS, office, 5, NULL, 0);
    itsm_time fri = utc(2026, 3, 27, 15, 0);
    assert_int_equal(add(p, "paris", fri, HOUR), utc(2026, 3, 27, 16, 0));
    assert_int_equal(add(p, "paris", fri, HOUR + 1), utc(2026, 3, 30, 7, 0) + 1);
    assert_int_equal(work(p, "paris", fri, utc(2026, 3, 30, 7, 0)), HOUR);
    assert_int_equal(work(p, "paris", utc(2026, 3, 27, 16, 0), utc(2026, 3, 30, 7, 0)), 0);
    fri = utc(2026, 10, 23, 14, 0);
    assert_int_equal(add(p, "paris", fri, HOUR), utc(2026, 10, 23, 15, 0));
    assert_int_equal(add(p, "paris", fri, HOUR + 1), utc(2026, 10, 26, 8, 0) + 1);
    assert_int_equal(work(p, "paris", fri, utc(2026, 10, 26, 8, 0)), HOUR);
    /* a full week from each Friday 16:00 local: 40 h, the same local hour */
    assert_int_equal(add(p, "paris", utc(2026, 3, 27, 15, 0), 40 * HOUR), utc(2026, 4, 3, 14, 0));
    assert_int_equal(add(p, "paris", utc(2026, 10, 23, 14, 0), 40 * HOUR), utc(2026, 10, 30, 15, 0));
    itsm_policy_free(p);
}

/* Yearly holidays where the rule has to find the right day: "4th Thu Nov"
 * in a November with five Thursdays (2029: the 22nd, not the 29th), "last
 * Mon May" when the 31st is a Monday (2027), "1st Mon Sep" on the 1st
 * (2025), and dated rules around a leap day ("Feb 28", "Mar 1" in 2028:
 * Monday and Wednesday; Tuesday 29 February is a working day). */
static void yearly_rules_find_their_day_in_long_months_and_leap_years(void **state)
{
    (void)state;
    itsm_policy *p = policy();
    itsm_work_span office[5];
    for (int d = 0; d < 5; d++)
        office[d] = (itsm_work_span){ d, 9 * HOUR, 17 * HOUR };
    const char *hol[] = { "4th Thu Nov", "last Mon May", "1st Mon Sep", "Feb 28", "Mar 1" };
    set_cal(p, "office", NULL, office, 5, hol, 5);
#define DAY_WORK(y, m, d) work(p, "office", utc(y, m, d, 0, 0), utc(y, m, d, 0, 0) + DAY)
    assert_int_equal(DAY_WORK(2029, 11, 22), 0);
    assert_int_equal(DAY_WORK(2029, 11, 29), 8 * HOUR);
    assert_int_equal(DAY_WORK(2027, 5, 31), 0);
    assert_int_equal(DAY_WORK(2027, 5, 24), 8 * HOUR);
    assert_int_equal(DAY_WORK(2025, 9, 1), 0);
    assert_int_equal(DAY_WORK(2025, 9, 8), 8 * HOUR);
    assert_int_equal(DAY_WORK(2028, 2, 28), 0);
    assert_int_equal(DAY_WORK(2028, 2, 29), 8 * HOUR);
    assert_int_equal(DAY_WORK(2028, 3, 1), 0);
    assert_int_equal(DAY_WORK(2028, 3, 2), 8 * HOUR);
#undef DAY_WORK
    /* Friday 25 February 2028 16:00 + 2 h: 1 h that Friday, Monday 28 is a
     * holiday, so Tuesday 29 February 10:00 */
    assert_int_equal(add(p, "office", utc(2028, 2, 25, 16, 0), 2 * HOUR), utc(2028, 2, 29, 10, 0));
    itsm_policy_free(p);
}

/* Nuuk changes its clocks at local midnight, so the repeated (or skipped)
 * hour is the last hour of Saturday while the date is already Sunday in
 * the other reading. Spans Saturday 22:00-24:00 and Sunday 00:00-01:00.
 * Autumn, Sunday 25 October 2026 00:00 -01 (01:00Z) falls back to Saturday
 * 23:00 -02: Saturday 22:00-24:00 -01 (23:00Z-01:00Z), Saturday 23:00-24:00
 * -02 again (01:00-02:00Z), Sunday 00:00-01:00 -02 (02:00-03:00Z): 4 h, of
 * which the Saturday holds 3 and the Sunday 1. Spring, Saturday 28 March
 * 23:00 -02 (01:00Z) jumps to Sunday 00:00 -01: Saturday 22:00-23:00 -02
 * (00:00-01:00Z) and Sunday 00:00-01:00 -01 (01:00-02:00Z): 2 h. A holiday
 * takes the hours whose local date it is, whichever reading they are. */
static void a_change_at_midnight_repeats_the_hour_of_the_day_before(void **state)
{
    (void)state;
    itsm_policy *p = policy();
    itsm_work_span s[2] = { { 5, 22 * HOUR, DAY }, { 6, 0, HOUR } };
    const char *sat_a[] = { "2026-10-24" }, *sun_a[] = { "2026-10-25" }, *sat_s[] = { "2026-03-28" };
    set_cal(p, "nuuk", NUUK, s, 2, NULL, 0);
    set_cal(p, "nuuk_sat", NUUK, s, 2, sat_a, 1);
    set_cal(p, "nuuk_sun", NUUK, s, 2, sun_a, 1);
    set_cal(p, "nuuk_spring_sat", NUUK, s, 2, sat_s, 1);
    itsm_time a0 = utc(2026, 10, 24, 12, 0), a1 = utc(2026, 10, 25, 12, 0);
    assert_int_equal(work(p, "nuuk", a0, a1), 4 * HOUR);
    assert_int_equal(work(p, "nuuk_sat", a0, a1), HOUR);
    assert_int_equal(work(p, "nuuk_sun", a0, a1), 3 * HOUR);
    assert_int_equal(add(p, "nuuk", a0, 4 * HOUR), utc(2026, 10, 25, 3, 0));
    assert_int_equal(add(p, "nuuk", a0, 150 * MIN), utc(2026, 10, 25, 1, 30));
    assert_int_equal(add(p, "nuuk_sat", a0, 30 * MIN), utc(2026, 10, 25, 2, 30));
    assert_int_equal(add(p, "nuuk_sun", a0, 3 * HOUR), utc(2026, 10, 25, 2, 0));
    itsm_time s0 = utc(2026, 3, 28, 12, 0), s1 = utc(2026, 3, 29, 12, 0);
    assert_int_equal(work(p, "nuuk", s0, s1), 2 * HOUR);
    assert_int_equal(work(p, "nuuk_spring_sat", s0, s1), HOUR);
    assert_int_equal(add(p, "nuuk", s0, 90 * MIN), utc(2026, 3, 29, 1, 30));
    assert_int_equal(add(p, "nuuk_spring_sat", s0, 30 * MIN), utc(2026, 3, 29, 1, 30));
    itsm_policy_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_round_the_clock_calendar_in_a_zone_counts_every_real_second),
        cmocka_unit_test(a_span_that_straddles_the_change_holds_the_hours_that_happen),
        cmocka_unit_test(the_last_working_second_before_a_change_ends_on_the_friday),
        cmocka_unit_test(a_change_at_midnight_repeats_the_hour_of_the_day_before),
        cmocka_unit_test(yearly_rules_find_their_day_in_long_months_and_leap_years),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
