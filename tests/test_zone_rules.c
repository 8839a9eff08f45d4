/* SPDX-License-Identifier: Apache-2.0 */
/* Zone rules beyond the whole-hour, Mm.w.d case: a half-hour daylight
 * shift (Lord Howe), Julian-day rules with and without February 29,
 * transition times past midnight or before it (Santiago, Nuuk,
 * Jerusalem), the 23- and 25-hour days of a whole-week calendar, holidays
 * and yearly weekday rules as local dates while daylight saving is in
 * force, a decade of working time in one call, and the offset reader's
 * refusals. Black-box: the public calendar functions only. Every figure
 * is worked out in the comment beside it and was checked against the IANA
 * database (or, for the made-up XST zones, against the C library's own TZ
 * parser). */
#include "sla/sla_support.h"

#define PARIS     "CET-1CEST,M3.5.0,M10.5.0/3"
#define NYC       "EST5EDT,M3.2.0,M11.1.0"
#define SYDNEY    "AEST-10AEDT,M10.1.0,M4.1.0/3"
#define LORD_HOWE "<+1030>-10:30<+11>-11,M10.1.0,M4.1.0"
#define SANTIAGO  "<-04>4<-03>,M9.1.6/24,M4.1.6/24"
#define NUUK      "<-02>2<-01>,M3.5.0/-1,M10.5.0/0"
#define ISRAEL    "IST-2IDT,M3.4.4/26,M10.5.0"

/* Seconds since 1970 of a UTC civil time (days from civil, H. Hinnant). */
static itsm_time utc(int y, int m, int d, int hh, int mm, int ss)
{
    y -= m <= 2;
    const int64_t era = (y >= 0 ? y : y - 399) / 400;
    const int64_t yoe = y - era * 400;
    const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return (era * 146097 + doe - 719468) * DAY + hh * HOUR + mm * MIN + ss;
}

/* Monday..Friday 09:00-17:00 (week = 0), or every day all day (week = 1). */
static void set_cal(itsm_policy *p, const char *name, const char *zone, int week, const char *const *hol,
                    size_t nhol)
{
    itsm_work_span s[7];
    size_t n = 0;
    for (int d = 0; d < (week ? 7 : 5); d++)
        s[n++] = week ? (itsm_work_span){ d, 0, DAY } : (itsm_work_span){ d, 9 * HOUR, 17 * HOUR };
    itsm_calendar_def def = ITSM_CALENDAR_DEF_INIT;
    def.name = name;
    def.zone = zone;
    def.spans = s;
    def.nspans = n;
    def.holidays = hol;
    def.nholidays = nhol;
    if (itsm_policy_set_calendar(p, &def) != ITSM_OK)
        fail_msg("calendar %s refused: %s", name, itsm_policy_errmsg(p));
}

static itsm_policy *policy(void)
{
    itsm_policy *p;
    assert_ok(itsm_policy_new_default(&p, NULL));
    return p;
}

static int32_t offset(const itsm_policy *p, const char *cal, itsm_time t)
{
    int32_t o;
    assert_ok(itsm_calendar_utc_offset(&o, p, cal, t));
    return o;
}

static int64_t work(const itsm_policy *p, const char *cal, itsm_time a, itsm_time b)
{
    int64_t w;
    assert_ok(itsm_calendar_work(&w, p, cal, a, b));
    return w;
}

/* The due time, and its inverse: exactly `w` of work up to it. */
static itsm_time add(const itsm_policy *p, const char *cal, itsm_time from, int64_t w)
{
    itsm_time t;
    assert_ok(itsm_calendar_add(&t, p, cal, from, w));
    assert_int_equal(work(p, cal, from, t), w);
    return t;
}

/* The offset is `before` up to the second before `at` and `after` from it. */
static void changes_at(const itsm_policy *p, const char *cal, itsm_time at, int32_t before, int32_t after)
{
    assert_int_equal(offset(p, cal, at - 1), before);
    assert_int_equal(offset(p, cal, at), after);
}

/* Lord Howe Island shifts by half an hour: +10:30 in winter, +11 in
 * summer. 2026: daylight ends Sunday 5 April at 02:00 +11 (4 April 15:00Z)
 * and starts Sunday 4 October at 02:00 +10:30 (3 October 15:30Z). */
static void a_half_hour_daylight_shift_moves_due_times_by_half_an_hour(void **state)
{
    (void)state;
    itsm_policy *p = policy();
    set_cal(p, "lord_howe", LORD_HOWE, 0, NULL, 0);
    set_cal(p, "lord_howe_all", LORD_HOWE, 1, NULL, 0);
    changes_at(p, "lord_howe", utc(2026, 4, 4, 15, 0, 0), 11 * HOUR, 10 * HOUR + 30 * MIN);
    changes_at(p, "lord_howe", utc(2026, 10, 3, 15, 30, 0), 10 * HOUR + 30 * MIN, 11 * HOUR);
    /* Friday 3 April 16:00 +11 (05:00Z) + 2 h: Friday 16-17, Monday
     * 09:00-10:00 +10:30; 10:00 +10:30 is Sunday 23:30Z. */
    assert_int_equal(add(p, "lord_howe", utc(2026, 4, 3, 5, 0, 0), 2 * HOUR), utc(2026, 4, 5, 23, 30, 0));
    /* Friday 2 October 16:00 +10:30 (05:30Z) + 2 h: Monday 10:00 +11 = Sunday 23:00Z. */
    assert_int_equal(add(p, "lord_howe", utc(2026, 10, 2, 5, 30, 0), 2 * HOUR), utc(2026, 10, 4, 23, 0, 0));
    /* Local Sunday 5 April runs from 4 April 13:00Z (00:00 +11) to 5 April
     * 13:30Z (24:00 +10:30): 24.5 h; Sunday 4 October 23.5 h. */
    assert_int_equal(work(p, "lord_howe_all", utc(2026, 4, 4, 13, 0, 0), utc(2026, 4, 5, 13, 30, 0)),
                     24 * HOUR + 30 * MIN);
    assert_int_equal(work(p, "lord_howe_all", utc(2026, 10, 3, 13, 30, 0), utc(2026, 10, 4, 13, 0, 0)),
                     23 * HOUR + 30 * MIN);
    itsm_policy_free(p);
}

/* XST is UTC-3, XDT UTC-2 (an hour ahead, the default), both changes at
 * 02:00 local (the default). "Jn" counts 1..365 and never February 29, so
 * J60 is 1 March and J300 27 October in every year. The zero-based "n"
 * counts February 29: 59 is 1 March in 2027 but 29 February in 2028, and
 * 299 is 27 October in 2027 but 26 October in 2028. */
static void julian_days_skip_february_29_and_zero_based_days_count_it(void **state)
{
    (void)state;
    itsm_policy *p = policy();
    set_cal(p, "julian", "XST3XDT,J60,J300", 0, NULL, 0);
    set_cal(p, "zero_based", "XST3XDT,59,299", 0, NULL, 0);
    /* starts at 02:00 UTC-3 = 05:00Z, ends at 02:00 UTC-2 = 04:00Z */
    changes_at(p, "julian", utc(2027, 3, 1, 5, 0, 0), -3 * HOUR, -2 * HOUR);
    changes_at(p, "julian", utc(2028, 3, 1, 5, 0, 0), -3 * HOUR, -2 * HOUR);
    assert_int_equal(offset(p, "julian", utc(2028, 2, 29, 12, 0, 0)), -3 * HOUR);
    changes_at(p, "julian", utc(2027, 10, 27, 4, 0, 0), -2 * HOUR, -3 * HOUR);
    changes_at(p, "julian", utc(2028, 10, 27, 4, 0, 0), -2 * HOUR, -3 * HOUR);

    changes_at(p, "zero_based", utc(2027, 3, 1, 5, 0, 0), -3 * HOUR, -2 * HOUR);
    changes_at(p, "zero_based", utc(2028, 2, 29, 5, 0, 0), -3 * HOUR, -2 * HOUR);
    changes_at(p, "zero_based", utc(2027, 10, 27, 4, 0, 0), -2 * HOUR, -3 * HOUR);
    changes_at(p, "zero_based", utc(2028, 10, 26, 4, 0, 0), -2 * HOUR, -3 * HOUR);
    itsm_policy_free(p);
}

/* Rule forms the documented examples leave out, checked against the C
 * library's own TZ parser (and Antarctica/Troll against the database):
 * week 4 of a month with five Sundays is the fourth, not the last; week 5
 * of February is its last Sunday in any year; a daylight offset given
 * explicitly, two hours ahead (Troll: +00, +02 in summer; its local days
 * of change are 22 and 26 hours long) or one hour ahead written out; and
 * transition times of 167 and -167 hours. XST is UTC-3, XDT UTC-2 unless
 * given. */
static void week_numbers_explicit_daylight_offsets_and_long_times(void **state)
{
    (void)state;
    itsm_policy *p = policy();
    set_cal(p, "weeks", "XST3XDT,M3.4.0,M2.5.0", 0, NULL, 0);
    set_cal(p, "troll", "<+00>0<+02>-2,M3.5.0/1,M10.5.0/3", 1, NULL, 0);
    set_cal(p, "explicit", "XST3XDT1,M3.2.0,M11.1.0", 0, NULL, 0);
    set_cal(p, "long", "XST3XDT,J60/167,J300/-167", 0, NULL, 0);
    /* March 2026 has Sundays 1, 8, 15, 22, 29: week 4 is the 22nd, 02:00 -03 */
    changes_at(p, "weeks", utc(2026, 3, 22, 5, 0, 0), -3 * HOUR, -2 * HOUR);
    /* daylight time over the new year, ending on February's last Sunday,
     * 02:00 -02: the 22nd in 2026, the 28th in 2027 */
    changes_at(p, "weeks", utc(2026, 2, 22, 4, 0, 0), -2 * HOUR, -3 * HOUR);
    changes_at(p, "weeks", utc(2027, 2, 28, 4, 0, 0), -2 * HOUR, -3 * HOUR);
    /* Troll: 01:00 +00 -> 03:00 +02 on 29 March, 03:00 +02 -> 01:00 +00 on 25 October */
    changes_at(p, "troll", utc(2026, 3, 29, 1, 0, 0), 0, 2 * HOUR);
    changes_at(p, "troll", utc(2026, 10, 25, 1, 0, 0), 2 * HOUR, 0);
    assert_int_equal(work(p, "troll", utc(2026, 3, 29, 0, 0, 0), utc(2026, 3, 29, 22, 0, 0)), 22 * HOUR);
    assert_int_equal(work(p, "troll", utc(2026, 10, 24, 22, 0, 0), utc(2026, 10, 26, 0, 0, 0)), 26 * HOUR);
    /* "XDT1": one hour west of UTC in summer */
    assert_int_equal(offset(p, "explicit", utc(2026, 7, 1, 0, 0, 0)), -HOUR);
    assert_int_equal(offset(p, "explicit", utc(2026, 1, 1, 0, 0, 0)), -3 * HOUR);
    /* J60/167: 1 March + 167 h = 7 March 23:00 -03 = 8 March 02:00Z;
     * J300/-167: 27 October - 167 h = 20 October 01:00 -02 = 03:00Z */
    changes_at(p, "long", utc(2027, 3, 8, 2, 0, 0), -3 * HOUR, -2 * HOUR);
    changes_at(p, "long", utc(2027, 10, 20, 3, 0, 0), -2 * HOUR, -3 * HOUR);
    itsm_policy_free(p);
}

/* Transition times outside 00:00-23:59 local, as the IANA footers write them. */
static void transition_times_past_midnight_and_before_it_fall_on_the_right_day(void **state)
{
    (void)state;
    itsm_policy *p = policy();
    set_cal(p, "santiago", SANTIAGO, 0, NULL, 0);
    set_cal(p, "nuuk", NUUK, 0, NULL, 0);
    set_cal(p, "israel", ISRAEL, 0, NULL, 0);
    /* Santiago: "first Saturday at 24:00" is the Sunday's midnight. 2026:
     * daylight starts Saturday 5 September 24:00 -04 (6 September 04:00Z)
     * and ends Saturday 4 April 24:00 -03 (5 April 03:00Z). */
    changes_at(p, "santiago", utc(2026, 9, 6, 4, 0, 0), -4 * HOUR, -3 * HOUR);
    changes_at(p, "santiago", utc(2026, 4, 5, 3, 0, 0), -3 * HOUR, -4 * HOUR);
    /* 2028: the first Saturdays are 2 September and 1 April. */
    changes_at(p, "santiago", utc(2028, 9, 3, 4, 0, 0), -4 * HOUR, -3 * HOUR);
    changes_at(p, "santiago", utc(2028, 4, 2, 3, 0, 0), -3 * HOUR, -4 * HOUR);
    /* Nuuk: "last Sunday at -1:00" is Saturday 23:00 -02, and the end at
     * 00:00 -01: both at 01:00Z, with Europe. 2026: 29 March, 25 October. */
    changes_at(p, "nuuk", utc(2026, 3, 29, 1, 0, 0), -2 * HOUR, -1 * HOUR);
    changes_at(p, "nuuk", utc(2026, 10, 25, 1, 0, 0), -1 * HOUR, -2 * HOUR);
    /* Israel: "fourth Thursday at 26:00" is Friday 02:00 +02. 2026: the
     * fourth Thursday of March is the 26th: Friday 27 March 00:00Z. The end,
     * last Sunday of October at 02:00 +03: 24 October 23:00Z. */
    changes_at(p, "israel", utc(2026, 3, 27, 0, 0, 0), 2 * HOUR, 3 * HOUR);
    changes_at(p, "israel", utc(2026, 10, 24, 23, 0, 0), 3 * HOUR, 2 * HOUR);
    /* A working Friday 27 March in Israel: 09:00 +03 is 06:00Z. */
    assert_int_equal(add(p, "israel", utc(2026, 3, 27, 6, 0, 0), HOUR), utc(2026, 3, 27, 7, 0, 0));
    itsm_policy_free(p);
}

/* On a whole-week calendar the local day of a change holds the hours the
 * clocks show: 23 in spring, 25 in autumn. Paris: Sunday 29 March 2026
 * runs from 28 March 23:00Z (00:00 CET) to 29 March 22:00Z (24:00 CEST);
 * Sunday 25 October from 24 October 22:00Z to 25 October 23:00Z. New
 * York: Sunday 8 March from 05:00Z to 9 March 04:00Z; Sunday 1 November
 * from 04:00Z to 2 November 05:00Z. */
static void the_days_of_the_changes_are_23_and_25_hours_long(void **state)
{
    (void)state;
    itsm_policy *p = policy();
    set_cal(p, "paris", PARIS, 1, NULL, 0);
    set_cal(p, "new_york", NYC, 1, NULL, 0);
    assert_int_equal(work(p, "paris", utc(2026, 3, 28, 23, 0, 0), utc(2026, 3, 29, 22, 0, 0)), 23 * HOUR);
    assert_int_equal(work(p, "paris", utc(2026, 10, 24, 22, 0, 0), utc(2026, 10, 25, 23, 0, 0)), 25 * HOUR);
    assert_int_equal(work(p, "new_york", utc(2026, 3, 8, 5, 0, 0), utc(2026, 3, 9, 4, 0, 0)), 23 * HOUR);
    assert_int_equal(work(p, "new_york", utc(2026, 11, 1, 4, 0, 0), utc(2026, 11, 2, 5, 0, 0)), 25 * HOUR);
    /* 24 h of work from Sunday 00:00 in spring ends Monday 01:00 CEST
     * (29 March 23:00Z); in autumn Sunday 23:00 CET (25 October 22:00Z). */
    assert_int_equal(add(p, "paris", utc(2026, 3, 28, 23, 0, 0), 24 * HOUR), utc(2026, 3, 29, 23, 0, 0));
    assert_int_equal(add(p, "paris", utc(2026, 10, 24, 22, 0, 0), 24 * HOUR), utc(2026, 10, 25, 22, 0, 0));
    itsm_policy_free(p);
}

/* A holiday is a local date: under summer time it starts and ends at the
 * summer offset. Paris, 14 July 2026 (CEST): 13 July 22:00Z to 14 July
 * 22:00Z; from 21:00Z to 23:00Z the next day only the first and the last
 * hour count. A holiday on the spring-forward Sunday: 28 March 23:00Z
 * (00:00 CET) to 29 March 22:00Z (00:00 CEST). Sydney, the yearly
 * "Dec 25" in daylight time (+11): 24 December 13:00Z to 25 December
 * 13:00Z, in 2026 and again in 2027. */
static void holidays_are_local_dates_under_summer_time(void **state)
{
    (void)state;
    itsm_policy *p = policy();
    const char *paris_hol[] = { "2026-07-14", "2026-03-29" };
    const char *sydney_hol[] = { "Dec 25" };
    set_cal(p, "paris", PARIS, 1, paris_hol, 2);
    set_cal(p, "sydney", SYDNEY, 1, sydney_hol, 1);
    assert_int_equal(work(p, "paris", utc(2026, 7, 13, 21, 0, 0), utc(2026, 7, 14, 23, 0, 0)), 2 * HOUR);
    assert_int_equal(work(p, "paris", utc(2026, 7, 13, 22, 0, 0), utc(2026, 7, 14, 22, 0, 0)), 0);
    assert_int_equal(work(p, "paris", utc(2026, 3, 28, 22, 0, 0), utc(2026, 3, 29, 23, 0, 0)), 2 * HOUR);
    /* a minute of work before the holiday is its last */
    assert_int_equal(add(p, "paris", utc(2026, 7, 13, 21, 59, 0), 2 * MIN), utc(2026, 7, 14, 22, 1, 0));
    for (int y = 2026; y <= 2027; y++) {
        assert_int_equal(work(p, "sydney", utc(y, 12, 24, 12, 0, 0), utc(y, 12, 25, 14, 0, 0)), 2 * HOUR);
        assert_int_equal(work(p, "sydney", utc(y, 12, 24, 13, 0, 0), utc(y, 12, 25, 13, 0, 0)), 0);
    }
    itsm_policy_free(p);
}

/* Yearly rules by weekday, on the local date, in the year asked: "3rd Mon
 * Jan" is 19 January 2026 and 18 January 2027, "2nd Mon Oct" 12 October
 * 2026 (summer time: the local day runs 04:00Z to 04:00Z), "1st Mon Sep"
 * 7 September 2026 and 6 September 2027. On a whole-week Paris calendar
 * "last Sun Oct" is the 25-hour day of the change, 24 October 22:00Z to
 * 25 October 23:00Z, none of it working time. */
static void yearly_weekday_holidays_fall_on_the_local_date_of_each_year(void **state)
{
    (void)state;
    itsm_policy *p = policy();
    const char *us[] = { "3rd Mon Jan", "2nd Mon Oct", "1st Mon Sep" };
    const char *fr[] = { "last Sun Oct" };
    set_cal(p, "new_york", NYC, 0, us, 3);
    set_cal(p, "paris", PARIS, 1, fr, 1);
    /* the holiday Monday holds nothing, the Tuesday its 8 h */
    assert_int_equal(work(p, "new_york", utc(2026, 1, 19, 5, 0, 0), utc(2026, 1, 20, 5, 0, 0)), 0);
    assert_int_equal(work(p, "new_york", utc(2026, 1, 20, 5, 0, 0), utc(2026, 1, 21, 5, 0, 0)), 8 * HOUR);
    assert_int_equal(work(p, "new_york", utc(2027, 1, 18, 5, 0, 0), utc(2027, 1, 19, 5, 0, 0)), 0);
    assert_int_equal(work(p, "new_york", utc(2026, 10, 12, 4, 0, 0), utc(2026, 10, 13, 4, 0, 0)), 0);
    assert_int_equal(work(p, "new_york", utc(2026, 9, 7, 4, 0, 0), utc(2026, 9, 8, 4, 0, 0)), 0);
    assert_int_equal(work(p, "new_york", utc(2027, 9, 6, 4, 0, 0), utc(2027, 9, 7, 4, 0, 0)), 0);
    /* a Monday that is no holiday: 14 September 2026 */
    assert_int_equal(work(p, "new_york", utc(2026, 9, 14, 4, 0, 0), utc(2026, 9, 15, 4, 0, 0)), 8 * HOUR);
    /* Friday 4 September 2026 16:00 EDT + 2 h: Friday 16-17, Tuesday 09-10 EDT = 14:00Z */
    assert_int_equal(add(p, "new_york", utc(2026, 9, 4, 20, 0, 0), 2 * HOUR), utc(2026, 9, 8, 14, 0, 0));
    assert_int_equal(work(p, "paris", utc(2026, 10, 24, 22, 0, 0), utc(2026, 10, 25, 23, 0, 0)), 0);
    assert_int_equal(work(p, "paris", utc(2026, 10, 24, 21, 0, 0), utc(2026, 10, 26, 0, 0, 0)), 2 * HOUR);
    /* in 2027 the last Sunday of October is the 31st */
    assert_int_equal(work(p, "paris", utc(2027, 10, 30, 22, 0, 0), utc(2027, 10, 31, 23, 0, 0)), 0);
    itsm_policy_free(p);
}

/* A decade on Paris office hours: 2,610 weekdays from Monday 5 January
 * 2026 to Tuesday 6 January 2036, 14 of them a 25 December or a 1 January.
 * 520 weeks of 40 h from Monday 5 January 2026 09:00 CET end on the
 * Friday of the 520th week, 21 December 2035, at 17:00 CET = 16:00Z: the
 * end of the working day, not the next Monday morning. */
static void a_decade_of_working_time_is_exact(void **state)
{
    (void)state;
    itsm_policy *p = policy();
    const char *hol[] = { "Dec 25", "Jan 1" };
    set_cal(p, "paris", PARIS, 0, NULL, 0);
    set_cal(p, "paris_hol", PARIS, 0, hol, 2);
    itsm_time from = utc(2026, 1, 5, 0, 0, 0), to = utc(2036, 1, 7, 0, 0, 0);
    assert_int_equal(work(p, "paris", from, to), 2610 * 8 * HOUR);
    assert_int_equal(work(p, "paris_hol", from, to), (2610 - 14) * 8 * HOUR);
    assert_int_equal(add(p, "paris", utc(2026, 1, 5, 8, 0, 0), 520 * 40 * HOUR), utc(2035, 12, 21, 16, 0, 0));
    /* the same from a summer Monday, 09:00 CEST: 8 June 2026 + 519 weeks
     * and 4 days is Friday 23 May 2036, 17:00 CEST = 15:00Z */
    assert_int_equal(add(p, "paris", utc(2026, 6, 8, 7, 0, 0), 520 * 40 * HOUR), utc(2036, 5, 23, 15, 0, 0));
    itsm_policy_free(p);
}

/* The whole range the library accepts, in one call each way: 2,094,927
 * weekdays from Thursday 1 January 1970 to Friday 31 December 9999, 11,483
 * of them a 25 December or a 1 January. Every working second of them ends
 * on that Friday at 17:00 CET, 16:00Z; one second more saturates. */
static void the_whole_range_from_1970_to_9999_in_one_call(void **state)
{
    (void)state;
    itsm_policy *p = policy();
    const char *hol[] = { "Dec 25", "Jan 1" };
    set_cal(p, "paris", PARIS, 0, NULL, 0);
    set_cal(p, "paris_hol", PARIS, 0, hol, 2);
    const int64_t all = INT64_C(2094927) * 8 * HOUR, worked = (INT64_C(2094927) - 11483) * 8 * HOUR;
    itsm_time first = utc(1970, 1, 1, 0, 0, 0), last = utc(9999, 12, 31, 16, 0, 0);
    assert_int_equal(work(p, "paris", first, ITSM_TIME_MAX), all);
    assert_int_equal(work(p, "paris_hol", first, ITSM_TIME_MAX), worked);
    assert_int_equal(add(p, "paris", first, all), last);
    assert_int_equal(add(p, "paris_hol", first, worked), last);
    itsm_time t;
    assert_ok(itsm_calendar_add(&t, p, "paris", first, all + 1));
    assert_int_equal(t, ITSM_TIME_MAX);
    itsm_policy_free(p);
}

/* The rule applies to every year the library accepts: 2100 is not a leap
 * year and its last Sunday of March is the 28th; 9999 ends in winter. */
static void the_rule_holds_in_every_year_from_1970_to_9999(void **state)
{
    (void)state;
    itsm_policy *p = policy();
    set_cal(p, "paris", PARIS, 0, NULL, 0);
    changes_at(p, "paris", utc(2100, 3, 28, 1, 0, 0), HOUR, 2 * HOUR);
    assert_int_equal(offset(p, "paris", utc(1970, 1, 1, 0, 0, 0)), HOUR);
    assert_int_equal(offset(p, "paris", utc(1970, 7, 1, 0, 0, 0)), 2 * HOUR);
    assert_int_equal(offset(p, "paris", utc(9999, 7, 1, 0, 0, 0)), 2 * HOUR);
    assert_int_equal(offset(p, "paris", ITSM_TIME_MAX), HOUR);
    itsm_policy_free(p);
}

/* The offset reader refuses what the other calendar functions refuse,
 * and, like them, leaves the policy's message alone. */
static void the_offset_reader_refuses_bad_arguments(void **state)
{
    (void)state;
    itsm_policy *p = policy();
    set_cal(p, "paris", PARIS, 0, NULL, 0);
    /* a refusal of the policy's own, to see that it is kept */
    itsm_calendar_def bad = ITSM_CALENDAR_DEF_INIT;
    bad.name = "bad";
    bad.zone = "CET";
    assert_int_equal(itsm_policy_set_calendar(p, &bad), ITSM_EINVAL);
    char msg[256];
    snprintf(msg, sizeof msg, "%s", itsm_policy_errmsg(p));
    assert_true(msg[0] != 0);

    int32_t o = 12345;
    itsm_time t0 = utc(2026, 6, 1, 0, 0, 0);
    assert_int_equal(itsm_calendar_utc_offset(&o, p, "nope", t0), ITSM_ENOTFOUND);
    assert_int_equal(itsm_calendar_utc_offset(NULL, p, "paris", t0), ITSM_EINVAL);
    assert_int_equal(itsm_calendar_utc_offset(&o, NULL, "paris", t0), ITSM_EINVAL);
    assert_int_equal(itsm_calendar_utc_offset(&o, p, NULL, t0), ITSM_EINVAL);
    assert_int_equal(itsm_calendar_utc_offset(&o, p, "paris", -1), ITSM_EINVAL);
    assert_int_equal(itsm_calendar_utc_offset(&o, p, "paris", ITSM_TIME_MAX + 1), ITSM_EINVAL);
    assert_string_equal(itsm_policy_errmsg(p), msg);
    /* "24x7" is a calendar too, at UTC */
    assert_ok(itsm_calendar_utc_offset(&o, p, "24x7", t0));
    assert_int_equal(o, 0);
    itsm_policy_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_half_hour_daylight_shift_moves_due_times_by_half_an_hour),
        cmocka_unit_test(julian_days_skip_february_29_and_zero_based_days_count_it),
        cmocka_unit_test(week_numbers_explicit_daylight_offsets_and_long_times),
        cmocka_unit_test(transition_times_past_midnight_and_before_it_fall_on_the_right_day),
        cmocka_unit_test(the_days_of_the_changes_are_23_and_25_hours_long),
        cmocka_unit_test(holidays_are_local_dates_under_summer_time),
        cmocka_unit_test(yearly_weekday_holidays_fall_on_the_local_date_of_each_year),
        cmocka_unit_test(a_decade_of_working_time_is_exact),
        cmocka_unit_test(the_whole_range_from_1970_to_9999_in_one_call),
        cmocka_unit_test(the_rule_holds_in_every_year_from_1970_to_9999),
        cmocka_unit_test(the_offset_reader_refuses_bad_arguments),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
