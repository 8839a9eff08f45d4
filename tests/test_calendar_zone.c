/* SPDX-License-Identifier: Apache-2.0 */
/* Calendars in zones with daylight saving (POSIX TZ rules), several
 * working spans a day and yearly holidays, against answers computed by
 * hand (and checked against the IANA database). */
#include "sla/sla_support.h"
#include "sla/sla_int.h"
#include "kit/json.h"

#define PARIS  "CET-1CEST,M3.5.0,M10.5.0/3"
#define NYC    "EST5EDT,M3.2.0,M11.1.0"
#define SYDNEY "AEST-10AEDT,M10.1.0,M4.1.0/3"
#define DUBLIN "IST-1GMT0,M10.5.0,M3.5.0/1"

static itsm_time at(const char *iso)
{
    itsm_time t;
    assert_ok(itsm__time_parse(iso, strlen(iso), &t));
    return t;
}

static int set_cal(itsm_policy *p, const char *name, const char *zone, const itsm_work_span *spans, size_t n,
                   const char *const *hol, size_t nhol)
{
    itsm_calendar_def d = ITSM_CALENDAR_DEF_INIT;
    d.name = name;
    d.zone = zone;
    d.spans = spans;
    d.nspans = n;
    d.holidays = hol;
    d.nholidays = nhol;
    return itsm_policy_set_calendar(p, &d);
}

/* Monday..Friday, one span each. */
static size_t weekdays(itsm_work_span *out, int32_t start, int32_t end)
{
    for (int d = 0; d < 5; d++)
        out[d] = (itsm_work_span){ d, start, end };
    return 5;
}

static itsm_policy *zoned_policy(void)
{
    itsm_policy *p;
    itsm_work_span s[10];
    assert_ok(itsm_policy_new_default(&p, NULL));
    assert_ok(set_cal(p, "paris", PARIS, s, weekdays(s, 9 * HOUR, 17 * HOUR), NULL, 0));
    assert_ok(set_cal(p, "sydney", SYDNEY, s, weekdays(s, 9 * HOUR, 17 * HOUR), NULL, 0));
    /* New York: 08:00-12:00 and 13:00-17:00, US holidays by rule */
    for (int d = 0; d < 5; d++) {
        s[2 * d] = (itsm_work_span){ d, 13 * HOUR, 17 * HOUR };   /* any order */
        s[2 * d + 1] = (itsm_work_span){ d, 8 * HOUR, 12 * HOUR };
    }
    const char *us[] = { "4th Thu Nov", "Dec 25", "last Mon May" };
    assert_ok(set_cal(p, "new_york", NYC, s, 10, us, 3));
    /* Paris, Sunday night 01:00-04:00: the hours the clocks change in */
    itsm_work_span night = { 6, 1 * HOUR, 4 * HOUR };
    assert_ok(set_cal(p, "paris_night", PARIS, &night, 1, NULL, 0));
    itsm_work_span all[7];
    for (int d = 0; d < 7; d++)
        all[d] = (itsm_work_span){ d, 0, DAY };
    assert_ok(set_cal(p, "dublin", DUBLIN, all, 7, NULL, 0));
    return p;
}

static itsm_time add(const itsm_policy *p, const char *cal, itsm_time from, int64_t w)
{
    itsm_time t;
    assert_ok(itsm_calendar_add(&t, p, cal, from, w));
    /* and the inverse holds: exactly w of work up to the due time */
    int64_t back;
    assert_ok(itsm_calendar_work(&back, p, cal, from, t));
    assert_int_equal(back, w);
    return t;
}

static int64_t work(const itsm_policy *p, const char *cal, itsm_time a, itsm_time b)
{
    int64_t w;
    assert_ok(itsm_calendar_work(&w, p, cal, a, b));
    return w;
}

static int32_t offset(const itsm_policy *p, const char *cal, itsm_time t)
{
    int32_t o;
    assert_ok(itsm_calendar_utc_offset(&o, p, cal, t));
    return o;
}

/* ---- Europe ---- */

static void paris_summer_monday_hour_ends_at_eight_utc(void **state)
{
    (void)state;
    itsm_policy *p = zoned_policy();
    /* 07:00Z is 09:00 CEST: one working hour later is 10:00 CEST, 08:00Z */
    assert_int_equal(add(p, "paris", at("2026-06-01T07:00:00Z"), HOUR), at("2026-06-01T08:00:00Z"));
    /* in winter the same local hours are an hour later in UTC */
    assert_int_equal(add(p, "paris", at("2026-01-05T07:00:00Z"), HOUR), at("2026-01-05T09:00:00Z"));
    assert_int_equal(offset(p, "paris", at("2026-06-01T07:00:00Z")), 7200);
    assert_int_equal(offset(p, "paris", at("2026-01-05T07:00:00Z")), 3600);
    itsm_policy_free(p);
}

static void paris_spring_forward_moves_monday_an_hour_earlier_in_utc(void **state)
{
    (void)state;
    itsm_policy *p = zoned_policy();
    /* Clocks go 02:00 CET -> 03:00 CEST on Sunday 2026-03-29 (01:00Z).
     * Friday 16:00 CET (15:00Z) + 2 h: Friday 16-17, Monday 09-10 CEST = 08:00Z. */
    assert_int_equal(add(p, "paris", at("2026-03-27T15:00:00Z"), 2 * HOUR), at("2026-03-30T08:00:00Z"));
    /* Friday 09:00 CET to Monday 17:00 CEST: two whole working days */
    assert_int_equal(work(p, "paris", at("2026-03-27T08:00:00Z"), at("2026-03-30T15:00:00Z")), 16 * HOUR);
    assert_int_equal(offset(p, "paris", at("2026-03-29T00:59:59Z")), 3600);
    assert_int_equal(offset(p, "paris", at("2026-03-29T01:00:00Z")), 7200);
    itsm_policy_free(p);
}

static void paris_fall_back_moves_monday_an_hour_later_in_utc(void **state)
{
    (void)state;
    itsm_policy *p = zoned_policy();
    /* Clocks go 03:00 CEST -> 02:00 CET on Sunday 2026-10-25 (01:00Z).
     * Friday 16:00 CEST (14:00Z) + 2 h: Monday 10:00 CET = 09:00Z. */
    assert_int_equal(add(p, "paris", at("2026-10-23T14:00:00Z"), 2 * HOUR), at("2026-10-26T09:00:00Z"));
    assert_int_equal(work(p, "paris", at("2026-10-23T07:00:00Z"), at("2026-10-26T16:00:00Z")), 16 * HOUR);
    assert_int_equal(offset(p, "paris", at("2026-10-25T00:59:59Z")), 7200);
    assert_int_equal(offset(p, "paris", at("2026-10-25T01:00:00Z")), 3600);
    itsm_policy_free(p);
}

static void skipped_hour_holds_no_work_and_repeated_hour_counts_twice(void **state)
{
    (void)state;
    itsm_policy *p = zoned_policy();
    /* Sunday 01:00-04:00 local. Spring: 01-02 CET, then 03-04 CEST: 2 h. */
    assert_int_equal(work(p, "paris_night", at("2026-03-28T00:00:00Z"), at("2026-03-30T00:00:00Z")), 2 * HOUR);
    /* 01:00 CET + 90 min: 02:00 CET is 03:00 CEST, + 30 min = 03:30 CEST */
    assert_int_equal(add(p, "paris_night", at("2026-03-29T00:00:00Z"), 90 * MIN), at("2026-03-29T01:30:00Z"));
    /* Autumn: 01-03 CEST, then 02-04 CET: 4 h. */
    assert_int_equal(work(p, "paris_night", at("2026-10-24T00:00:00Z"), at("2026-10-26T00:00:00Z")), 4 * HOUR);
    /* 01:00 CEST + 3 h: 01-03 CEST, 02-03 CET */
    assert_int_equal(add(p, "paris_night", at("2026-10-24T23:00:00Z"), 3 * HOUR), at("2026-10-25T02:00:00Z"));
    /* an ordinary Sunday: 3 h */
    assert_int_equal(work(p, "paris_night", at("2026-06-06T00:00:00Z"), at("2026-06-08T00:00:00Z")), 3 * HOUR);
    itsm_policy_free(p);
}

static void negative_daylight_saving_is_winter_time(void **state)
{
    (void)state;
    itsm_policy *p = zoned_policy();
    /* Europe/Dublin: IST (+1) is standard time, GMT in winter is the "daylight" one */
    assert_int_equal(offset(p, "dublin", at("2026-01-15T12:00:00Z")), 0);
    assert_int_equal(offset(p, "dublin", at("2026-07-15T12:00:00Z")), 3600);
    assert_int_equal(offset(p, "dublin", at("2026-03-29T00:59:59Z")), 0);
    assert_int_equal(offset(p, "dublin", at("2026-03-29T01:00:00Z")), 3600);
    /* a whole-week calendar still counts every second across both changes */
    assert_int_equal(work(p, "dublin", at("2026-01-01T00:00:00Z"), at("2027-01-01T00:00:00Z")), 365 * DAY);
    itsm_policy_free(p);
}

/* ---- United States ---- */

static void new_york_spring_forward_with_two_spans_a_day(void **state)
{
    (void)state;
    itsm_policy *p = zoned_policy();
    /* 2026-03-08 02:00 EST -> 03:00 EDT. Friday 16:00 EST (21:00Z) + 2 h:
     * Friday 16-17, Monday 08-09 EDT = 13:00Z. */
    assert_int_equal(add(p, "new_york", at("2026-03-06T21:00:00Z"), 2 * HOUR), at("2026-03-09T13:00:00Z"));
    /* lunch is not working time: Monday 11:00 EDT + 2 h = 14:00 EDT */
    assert_int_equal(add(p, "new_york", at("2026-03-09T15:00:00Z"), 2 * HOUR), at("2026-03-09T18:00:00Z"));
    /* a due time at the end of the morning span is that end, not 13:00 */
    assert_int_equal(add(p, "new_york", at("2026-03-09T15:00:00Z"), HOUR), at("2026-03-09T16:00:00Z"));
    /* the week of the change holds five 8-hour days */
    assert_int_equal(work(p, "new_york", at("2026-03-02T00:00:00Z"), at("2026-03-16T00:00:00Z")), 80 * HOUR);
    itsm_policy_free(p);
}

static void new_york_fall_back(void **state)
{
    (void)state;
    itsm_policy *p = zoned_policy();
    /* 2026-11-01 02:00 EDT -> 01:00 EST. Friday 16:00 EDT (20:00Z) + 2 h:
     * Monday 09:00 EST = 14:00Z. */
    assert_int_equal(add(p, "new_york", at("2026-10-30T20:00:00Z"), 2 * HOUR), at("2026-11-02T14:00:00Z"));
    assert_int_equal(offset(p, "new_york", at("2026-11-01T05:59:59Z")), -4 * HOUR);
    assert_int_equal(offset(p, "new_york", at("2026-11-01T06:00:00Z")), -5 * HOUR);
    itsm_policy_free(p);
}

static void yearly_holidays_by_date_and_by_weekday(void **state)
{
    (void)state;
    itsm_policy *p = zoned_policy();
    /* Thanksgiving 2026 is Thursday 26 November: Wednesday 16:00 + 2 h ends Friday 09:00 */
    assert_int_equal(add(p, "new_york", at("2026-11-25T21:00:00Z"), 2 * HOUR), at("2026-11-27T14:00:00Z"));
    /* ... and in 2027 Thursday 25 November */
    assert_int_equal(add(p, "new_york", at("2027-11-24T21:00:00Z"), 2 * HOUR), at("2027-11-26T14:00:00Z"));
    /* Christmas 2026 is a Friday: Thursday 16:00 + 2 h ends Monday 09:00 */
    assert_int_equal(add(p, "new_york", at("2026-12-24T21:00:00Z"), 2 * HOUR), at("2026-12-28T14:00:00Z"));
    /* Memorial Day, the last Monday of May (25th in 2026) */
    assert_int_equal(add(p, "new_york", at("2026-05-22T20:00:00Z"), 2 * HOUR), at("2026-05-26T13:00:00Z"));
    /* a year: 261 weekdays in 2026, 3 of them holidays (Christmas 2026 is a Friday) */
    assert_int_equal(work(p, "new_york", at("2026-01-01T05:00:00Z"), at("2027-01-01T05:00:00Z")),
                     (261 - 3) * 8 * HOUR);
    itsm_policy_free(p);
}

/* ---- southern hemisphere ---- */

static void sydney_summer_spans_the_new_year(void **state)
{
    (void)state;
    itsm_policy *p = zoned_policy();
    /* January is daylight time (+11): Monday 09:00 AEDT is Sunday 22:00Z */
    assert_int_equal(add(p, "sydney", at("2026-01-04T22:00:00Z"), HOUR), at("2026-01-04T23:00:00Z"));
    assert_int_equal(offset(p, "sydney", at("2026-01-04T22:00:00Z")), 11 * HOUR);
    assert_int_equal(offset(p, "sydney", at("2026-07-01T00:00:00Z")), 10 * HOUR);
    itsm_policy_free(p);
}

static void sydney_daylight_ends_in_april(void **state)
{
    (void)state;
    itsm_policy *p = zoned_policy();
    /* 2026-04-05 03:00 AEDT -> 02:00 AEST (16:00Z on the 4th). Friday
     * 16:00 AEDT (05:00Z) + 2 h: Monday 10:00 AEST = 00:00Z. */
    assert_int_equal(add(p, "sydney", at("2026-04-03T05:00:00Z"), 2 * HOUR), at("2026-04-06T00:00:00Z"));
    assert_int_equal(offset(p, "sydney", at("2026-04-04T15:59:59Z")), 11 * HOUR);
    assert_int_equal(offset(p, "sydney", at("2026-04-04T16:00:00Z")), 10 * HOUR);
    itsm_policy_free(p);
}

static void sydney_daylight_starts_in_october(void **state)
{
    (void)state;
    itsm_policy *p = zoned_policy();
    /* 2026-10-04 02:00 AEST -> 03:00 AEDT (16:00Z on the 3rd). Friday
     * 16:00 AEST (06:00Z) + 2 h: Monday 10:00 AEDT = Sunday 23:00Z. */
    assert_int_equal(add(p, "sydney", at("2026-10-02T06:00:00Z"), 2 * HOUR), at("2026-10-04T23:00:00Z"));
    /* Friday 09:00 AEST to Monday 18:00 AEDT: two working days */
    assert_int_equal(work(p, "sydney", at("2026-10-01T23:00:00Z"), at("2026-10-05T07:00:00Z")), 16 * HOUR);
    itsm_policy_free(p);
}

/* ---- definitions refused ---- */

static void refuse_zone(const char *zone, const char *needle)
{
    itsm_policy *p;
    itsm_work_span s[5];
    assert_ok(itsm_policy_new_default(&p, NULL));
    assert_int_equal(set_cal(p, "z", zone, s, weekdays(s, 9 * HOUR, 17 * HOUR), NULL, 0), ITSM_EINVAL);
    if (!strstr(itsm_policy_errmsg(p), needle))
        fail_msg("zone '%s': message '%s' lacks '%s'", zone, itsm_policy_errmsg(p), needle);
    assert_int_equal(itsm__cal_find(itsm__sl(p), "z"), -1);
    itsm_policy_free(p);
}

static void bad_zone_rules_are_refused_naming_the_character(void **state)
{
    (void)state;
    refuse_zone("CET-1CEST", "needs its rules");
    refuse_zone("CET", "number was expected");
    refuse_zone("CE-1", "at least 3 letters");
    refuse_zone("<+0>-1", "at least 3 characters");
    refuse_zone("<+05-5", "closing '>'");
    refuse_zone("CET-1CEST,M13.5.0,M10.5.0/3", "out of range (at character 12)");
    refuse_zone("CET-1CEST,M3.0.0,M10.5.0/3", "week is 1..5");
    refuse_zone("CET-1CEST,M3.5.7,M10.5.0/3", "out of range");
    refuse_zone("EST5EDT,M3.2.0/168,M11.1.0", "out of range");
    refuse_zone("EST5EDT,M3.2.0,M11.1.0x", "after the end rule");
    refuse_zone("EST5EDT,J0,J300", "Jn day is 1..365");
    refuse_zone("EST5EDT,366,300", "out of range");
    refuse_zone("EST25", "out of range");
    refuse_zone("EST5:60", "out of range");
    refuse_zone("", "empty");
    refuse_zone("EST5EDT;M3.2.0,M11.1.0", "','");
}

static void good_zone_rules_are_accepted(void **state)
{
    (void)state;
    static const char *const ok[] = {
        "UTC0", "<+0530>-5:30", "<-03>3", "EST+5", "XST-5:45:30", PARIS, NYC, SYDNEY, DUBLIN,
        "<+1030>-10:30<+11>-11,M10.1.0,M4.1.0", "<-04>4<-03>,M9.1.6/24,M4.1.6/24",
        "IST-2IDT,M3.4.4/26,M10.5.0", "<-02>2<-01>,M3.5.0/-1,M10.5.0/0", "EST5EDT,0/0,J365/25",
        "XST3XDT2:30,J60/1:30,J300", "XST3XDT,59/-167,299/167",
    };
    itsm_policy *p;
    itsm_work_span s[5];
    assert_ok(itsm_policy_new_default(&p, NULL));
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++)
        if (set_cal(p, "z", ok[i], s, weekdays(s, 9 * HOUR, 17 * HOUR), NULL, 0) != ITSM_OK)
            fail_msg("'%s' refused: %s", ok[i], itsm_policy_errmsg(p));
    /* transitions a week away from their day: still standard time in January */
    assert_int_equal(offset(p, "z", at("2026-01-01T00:00:00Z")), -3 * HOUR);
    /* daylight saving all year: EDT throughout */
    assert_ok(set_cal(p, "z", "EST5EDT,0/0,J365/25", s, 5, NULL, 0));
    for (int m = 0; m < 24; m++)
        assert_int_equal(offset(p, "z", at("2026-01-01T00:00:00Z") + m * 30 * DAY / 2), -4 * HOUR);
    itsm_policy_free(p);
}

static void bad_spans_and_holidays_are_refused(void **state)
{
    (void)state;
    itsm_policy *p;
    assert_ok(itsm_policy_new_default(&p, NULL));
    itsm_work_span s[10] = { { 0, 9 * HOUR, 12 * HOUR }, { 0, 11 * HOUR, 17 * HOUR } };
    assert_int_equal(set_cal(p, "x", NULL, s, 2, NULL, 0), ITSM_EINVAL);
    assert_non_null(strstr(itsm_policy_errmsg(p), "overlap on day 0"));
    s[1] = (itsm_work_span){ 7, 9 * HOUR, 12 * HOUR };
    assert_int_equal(set_cal(p, "x", NULL, s, 2, NULL, 0), ITSM_EINVAL);
    assert_non_null(strstr(itsm_policy_errmsg(p), "day 7"));
    s[1] = (itsm_work_span){ 1, 12 * HOUR, 12 * HOUR };
    assert_int_equal(set_cal(p, "x", NULL, s, 2, NULL, 0), ITSM_EINVAL);
    for (int i = 0; i < 9; i++)
        s[i] = (itsm_work_span){ 3, i * HOUR, i * HOUR + 1800 };
    assert_int_equal(set_cal(p, "x", NULL, s, 9, NULL, 0), ITSM_ELIMIT);
    assert_non_null(strstr(itsm_policy_errmsg(p), "8 working spans on day 3"));
    assert_ok(set_cal(p, "x", NULL, s, 8, NULL, 0));   /* touching spans are fine */
    assert_int_equal(set_cal(p, "x", NULL, NULL, 3, NULL, 0), ITSM_EINVAL);
    itsm_calendar_def d = ITSM_CALENDAR_DEF_INIT;
    d.name = "x";
    d.start[0] = 9 * HOUR;
    d.end[0] = 17 * HOUR;
    d.spans = s;
    d.nspans = 1;
    assert_int_equal(itsm_policy_set_calendar(p, &d), ITSM_EINVAL);
    assert_non_null(strstr(itsm_policy_errmsg(p), "both spans and start/end"));
    d.nspans = 0;
    d.zone = PARIS;
    d.utc_offset = 3600;
    assert_int_equal(itsm_policy_set_calendar(p, &d), ITSM_EINVAL);
    assert_non_null(strstr(itsm_policy_errmsg(p), "both a zone and a utc_offset"));
    d.utc_offset = 0;
    static const char *const bad_hol[] = { "Feb 29", "Dec 32", "Apr 31", "dec 25", "5th Mon May", "last Mon",
                                           "Dec  25", "Dec 25 ", "2026-12-25 ", "" };
    for (size_t i = 0; i < sizeof bad_hol / sizeof bad_hol[0]; i++) {
        d.holidays = &bad_hol[i];
        d.nholidays = 1;
        assert_int_equal(itsm_policy_set_calendar(p, &d), ITSM_EINVAL);
        assert_non_null(strstr(itsm_policy_errmsg(p), "yearly rule"));
    }
    char rules[33][16];
    const char *many[33];
    for (int i = 0; i < 33; i++) {
        snprintf(rules[i], sizeof rules[i], "%s %d", i < 28 ? "Jan" : "Feb", i < 28 ? i + 1 : i - 27);
        many[i] = rules[i];
    }
    d.holidays = many;
    d.nholidays = 33;
    assert_int_equal(itsm_policy_set_calendar(p, &d), ITSM_ELIMIT);
    d.nholidays = 32;
    assert_ok(itsm_policy_set_calendar(p, &d));
    /* version 1 callers: zone and spans are not read */
    itsm_calendar_def v1 = d;
    v1.version = 1;
    v1.zone = "garbage";
    v1.spans = NULL;
    v1.nspans = 99;
    v1.nholidays = 0;
    assert_ok(itsm_policy_set_calendar(p, &v1));
    assert_int_equal(offset(p, "x", at("2026-07-01T00:00:00Z")), 0);
    itsm_policy_free(p);
}

/* ---- TZif footers ---- */

static size_t tzif(unsigned char *buf, char version, const char *footer, int truncate)
{
    size_t n = 0;
    for (int block = 0; block < (version ? 2 : 1); block++) {
        memcpy(buf + n, "TZif", 4);
        buf[n + 4] = (unsigned char)version;
        memset(buf + n + 5, 0, 39);
        buf[n + 39] = 1;   /* typecnt */
        buf[n + 43] = 4;   /* charcnt */
        n += 44;
        memset(buf + n, 0, 6);
        memcpy(buf + n + 6, "UTC", 4);
        n += 10;
    }
    buf[n++] = '\n';
    memcpy(buf + n, footer, strlen(footer));
    n += strlen(footer);
    buf[n++] = '\n';
    return truncate ? n - (size_t)truncate : n;
}

static void zone_rule_from_a_tzif_file(void **state)
{
    (void)state;
    char out[128];
    unsigned char buf[256];
    size_t n = tzif(buf, '2', NYC, 0);
    assert_ok(itsm_zone_from_tzif(out, sizeof out, buf, n));
    assert_string_equal(out, NYC);
    assert_int_equal(itsm_zone_from_tzif(out, strlen(NYC), buf, n), ITSM_ELIMIT);
    assert_ok(itsm_zone_from_tzif(out, strlen(NYC) + 1, buf, n));
    assert_int_equal(itsm_zone_from_tzif(out, sizeof out, buf, tzif(buf, '2', NYC, 1)), ITSM_EPARSE);
    assert_int_equal(itsm_zone_from_tzif(out, sizeof out, buf, tzif(buf, '3', "", 0)), ITSM_ENOTFOUND);
    assert_int_equal(itsm_zone_from_tzif(out, sizeof out, buf, tzif(buf, 0, "", 0)), ITSM_EPARSE);
    assert_int_equal(itsm_zone_from_tzif(out, sizeof out, buf, tzif(buf, '2', "CET-1CEST", 0)), ITSM_EPARSE);
    assert_int_equal(itsm_zone_from_tzif(out, sizeof out, buf, 10), ITSM_EPARSE);
    assert_int_equal(itsm_zone_from_tzif(NULL, sizeof out, buf, n), ITSM_EINVAL);
    assert_int_equal(itsm_zone_from_tzif(out, 0, buf, n), ITSM_EINVAL);
    assert_int_equal(itsm_zone_from_tzif(out, sizeof out, NULL, n), ITSM_EINVAL);
    /* counts that claim more than the file holds */
    n = tzif(buf, '2', NYC, 0);
    buf[32] = 0xff;
    assert_int_equal(itsm_zone_from_tzif(out, sizeof out, buf, n), ITSM_EPARSE);

    /* the IANA database's own file for Europe/Paris */
    FILE *f = fopen(ITSM_TEST_DATA "/tz/Europe_Paris.tzif", "rb");
    assert_non_null(f);
    unsigned char file[8192];
    size_t len = fread(file, 1, sizeof file, f);
    fclose(f);
    assert_ok(itsm_zone_from_tzif(out, sizeof out, file, len));
    assert_string_equal(out, PARIS);
    itsm_policy *p;
    itsm_work_span s[5];
    assert_ok(itsm_policy_new_default(&p, NULL));
    assert_ok(set_cal(p, "paris", out, s, weekdays(s, 9 * HOUR, 17 * HOUR), NULL, 0));
    assert_int_equal(add(p, "paris", at("2026-06-01T07:00:00Z"), HOUR), at("2026-06-01T08:00:00Z"));
    itsm_policy_free(p);
}

/* ---- the policy document ---- */

static const char zoned_doc[] =
    "{\"itsm_policy\":1,\"calendars\":["
    "{\"name\":\"paris\",\"zone\":\"CET-1CEST,M3.5.0,M10.5.0/3\","
    "\"hours\":{\"mon\":[\"08:30-12:00\",\"13:00-17:30:30\"],\"fri\":\"09:00-12:00\"},"
    "\"holidays\":[\"2026-05-08\",\"Dec 25\",\"last Mon May\",\"1st Mon Sep\"]}]}";

static void zoned_calendar_round_trips_through_json(void **state)
{
    (void)state;
    itsm_policy *p;
    itsm_parse_error err;
    assert_ok(itsm_policy_parse_json(&p, zoned_doc, sizeof zoned_doc - 1, NULL, NULL, &err));
    size_t len;
    assert_int_equal(itsm_policy_to_json(p, NULL, 0, &len), ITSM_ELIMIT);
    char *a = malloc(len + 1), *b = malloc(len + 1);
    assert_ok(itsm_policy_to_json(p, a, len + 1, &len));
    assert_non_null(strstr(a, "{\"name\":\"paris\",\"zone\":\"CET-1CEST,M3.5.0,M10.5.0/3\",\"hours\":{\"mon\":["
                              "\"08:30-12:00\",\"13:00-17:30:30\"],\"fri\":\"09:00-12:00\"},\"holidays\":["
                              "\"2026-05-08\",\"Dec 25\",\"last Mon May\",\"1st Mon Sep\"]}"));
    itsm_policy *q;
    assert_ok(itsm_policy_parse_json(&q, a, len, NULL, NULL, &err));
    size_t len2;
    assert_ok(itsm_policy_to_json(q, b, len + 1, &len2));
    assert_int_equal(len, len2);
    assert_memory_equal(a, b, len);
    /* Monday 2026-06-01 07:00Z = 09:00 CEST; 3 h of work: 09-12, 13-14 */
    assert_int_equal(add(q, "paris", at("2026-06-01T07:00:00Z"), 3 * HOUR), at("2026-06-01T10:00:00Z"));
    assert_int_equal(add(q, "paris", at("2026-06-01T07:00:00Z"), 4 * HOUR), at("2026-06-01T12:00:00Z"));
    /* Monday 2026-05-25 is the last Monday of May */
    assert_int_equal(work(q, "paris", at("2026-05-25T00:00:00Z"), at("2026-05-26T00:00:00Z")), 0);
    free(a);
    free(b);
    itsm_policy_free(p);
    itsm_policy_free(q);
}

static void bad_calendar_documents_point_at_the_member(void **state)
{
    (void)state;
    static const struct { const char *doc; const char *needle; int code; size_t column; } cases[] = {
        { "{\"itsm_policy\":1,\"calendars\":[{\"name\":\"x\",\"zone\":\"CET-1CEST\",\"hours\":{\"mon\":\"09:00-17:00\"}}]}",
          "needs its rules", ITSM_EPARSE, 50 },
        { "{\"itsm_policy\":1,\"calendars\":[{\"name\":\"x\",\"zone\":5,\"hours\":{\"mon\":\"09:00-17:00\"}}]}",
          "POSIX TZ", ITSM_EPARSE, 50 },
        { "{\"itsm_policy\":1,\"calendars\":[{\"name\":\"x\",\"utc_offset\":0,\"zone\":\"UTC0\",\"hours\":{\"mon\":\"09:00-17:00\"}}]}",
          "not both", ITSM_EPARSE, 65 },
        { "{\"itsm_policy\":1,\"calendars\":[{\"name\":\"x\",\"hours\":{\"mon\":[]}}]}", "empty array",
          ITSM_EPARSE, 58 },
        { "{\"itsm_policy\":1,\"calendars\":[{\"name\":\"x\",\"hours\":{\"mon\":[\"09:00-12:00\",\"11:00-13:00\"]}}]}",
          "overlap", ITSM_EPARSE, 31 },
        { "{\"itsm_policy\":1,\"calendars\":[{\"name\":\"x\",\"hours\":{\"mon\":[\"00:00-01:00\",\"01:00-02:00\","
          "\"02:00-03:00\",\"03:00-04:00\",\"04:00-05:00\",\"05:00-06:00\",\"06:00-07:00\",\"07:00-08:00\","
          "\"08:00-09:00\"]}}]}",
          "at most 8", ITSM_ELIMIT, 58 },
        { "{\"itsm_policy\":1,\"calendars\":[{\"name\":\"x\",\"hours\":{\"mon\":\"09:00-17:60\"}}]}", "HH:MM",
          ITSM_EPARSE, 58 },
        { "{\"itsm_policy\":1,\"calendars\":[{\"name\":\"x\",\"hours\":{\"mon\":\"09:00-17:00\"},"
          "\"holidays\":[\"Feb 29\"]}]}",
          "yearly rule", ITSM_EPARSE, 31 },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        itsm_policy *p = NULL;
        itsm_parse_error err;
        int rc = itsm_policy_parse_json(&p, cases[i].doc, strlen(cases[i].doc), NULL, NULL, &err);
        if (rc != cases[i].code || !strstr(err.text, cases[i].needle) || err.line != 1 ||
            err.column != cases[i].column || err.code != cases[i].code)
            fail_msg("case %zu: rc %d, %zu:%zu %s", i, rc, err.line, err.column, err.text);
        assert_null(p);
    }
}

/* ---- timers on a zoned calendar ---- */

static void response_due_follows_summer_time(void **state)
{
    (void)state;
    fixture f;
    itsm_policy *p;
    itsm_work_span s[5];
    assert_ok(itsm_policy_new_default(&p, NULL));
    assert_ok(set_cal(p, "paris", PARIS, s, weekdays(s, 9 * HOUR, 17 * HOUR), NULL, 0));
    itsm_sla_def d = ITSM_SLA_DEF_INIT;
    d.name = "paris_office";
    for (int i = 0; i < 5; i++) {
        d.response[i] = HOUR;
        d.resolution[i] = 8 * HOUR;
        d.calendar[i] = "paris";
    }
    assert_ok(itsm_policy_set_sla(p, &d));
    assert_ok(itsm_policy_set_default_sla(p, "paris_office"));
    fixture_open_policy(&f, p);
    f.clock.now = at("2026-06-01T07:00:00Z");   /* Monday 09:00 CEST */
    itsm_record *r = open_inc(&f, 3, 3, NULL);
    itsm_timer_info ti = timer(r, ITSM_TIMER_RESPONSE, f.clock.now);
    assert_int_equal(ti.due, at("2026-06-01T08:00:00Z"));
    assert_string_equal(ti.calendar, "paris");
    /* resolution: one working day, Monday 17:00 CEST */
    assert_int_equal(timer(r, ITSM_TIMER_RESOLUTION, f.clock.now).due, at("2026-06-01T15:00:00Z"));
    assert_replay_same(&f, p, f.clock.now);
    fixture_close(&f);
    itsm_policy_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(paris_summer_monday_hour_ends_at_eight_utc),
        cmocka_unit_test(paris_spring_forward_moves_monday_an_hour_earlier_in_utc),
        cmocka_unit_test(paris_fall_back_moves_monday_an_hour_later_in_utc),
        cmocka_unit_test(skipped_hour_holds_no_work_and_repeated_hour_counts_twice),
        cmocka_unit_test(negative_daylight_saving_is_winter_time),
        cmocka_unit_test(new_york_spring_forward_with_two_spans_a_day),
        cmocka_unit_test(new_york_fall_back),
        cmocka_unit_test(yearly_holidays_by_date_and_by_weekday),
        cmocka_unit_test(sydney_summer_spans_the_new_year),
        cmocka_unit_test(sydney_daylight_ends_in_april),
        cmocka_unit_test(sydney_daylight_starts_in_october),
        cmocka_unit_test(bad_zone_rules_are_refused_naming_the_character),
        cmocka_unit_test(good_zone_rules_are_accepted),
        cmocka_unit_test(bad_spans_and_holidays_are_refused),
        cmocka_unit_test(zone_rule_from_a_tzif_file),
        cmocka_unit_test(zoned_calendar_round_trips_through_json),
        cmocka_unit_test(bad_calendar_documents_point_at_the_member),
        cmocka_unit_test(response_due_follows_summer_time),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
