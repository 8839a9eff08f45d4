/* SPDX-License-Identifier: Apache-2.0 */
/* Zone rules against the IANA time zone database: for eleven zones -
 * whole-hour, half-hour and 45-minute offsets, half-hour daylight saving,
 * negative daylight saving, transitions at 24:00, 26:00 and -1:00, both
 * hemispheres - every change of the clocks from 2026 to 2035, given each
 * zone's current POSIX TZ rule (the footer of its TZif file, as a host
 * would feed it), lands on the second the database has it, with the
 * offsets before and after; between two changes the offset holds. The
 * table was generated from the tz database (tzdata 2025b) with Python's
 * zoneinfo, not from the library. Then a due time across a change in
 * three of the odd zones, worked out by hand; and the process's own TZ
 * changes no answer. Black-box: the public calendar functions only. */
#define _POSIX_C_SOURCE 200809L   /* setenv, tzset */
#include "sla/sla_support.h"
#include <time.h>

#define PARIS     "CET-1CEST,M3.5.0,M10.5.0/3"
#define NYC       "EST5EDT,M3.2.0,M11.1.0"
#define SYDNEY    "AEST-10AEDT,M10.1.0,M4.1.0/3"
#define LORD_HOWE "<+1030>-10:30<+11>-11,M10.1.0,M4.1.0"
#define SANTIAGO  "<-04>4<-03>,M9.1.6/24,M4.1.6/24"
#define NUUK      "<-02>2<-01>,M3.5.0/-1,M10.5.0/0"
#define ISRAEL    "IST-2IDT,M3.4.4/26,M10.5.0"
#define DUBLIN    "IST-1GMT0,M10.5.0,M3.5.0/1"
#define AUCKLAND  "NZST-12NZDT,M9.5.0,M4.1.0/3"
#define CHATHAM   "<+1245>-12:45<+1345>,M9.5.0/2:45,M4.1.0/3:45"
#define ST_JOHNS  "NST3:30NDT,M3.2.0,M11.1.0"

static const char *const zones[] = { PARIS, NYC, SYDNEY, LORD_HOWE, SANTIAGO, NUUK,
                                     ISRAEL, DUBLIN, AUCKLAND, CHATHAM, ST_JOHNS };

/* One change of the clocks: from `before` to `after` (seconds east of
 * UTC) at the UTC instant y-m-d h:m:00. */
static const struct change { const char *zone; int y, m, d, h, min; int32_t before, after; } changes[] = {
    { PARIS, 2026, 3, 29, 1, 0, 3600, 7200 },
    { PARIS, 2026, 10, 25, 1, 0, 7200, 3600 },
    { PARIS, 2027, 3, 28, 1, 0, 3600, 7200 },
    { PARIS, 2027, 10, 31, 1, 0, 7200, 3600 },
    { PARIS, 2028, 3, 26, 1, 0, 3600, 7200 },
    { PARIS, 2028, 10, 29, 1, 0, 7200, 3600 },
    { PARIS, 2029, 3, 25, 1, 0, 3600, 7200 },
    { PARIS, 2029, 10, 28, 1, 0, 7200, 3600 },
    { PARIS, 2030, 3, 31, 1, 0, 3600, 7200 },
    { PARIS, 2030, 10, 27, 1, 0, 7200, 3600 },
    { PARIS, 2031, 3, 30, 1, 0, 3600, 7200 },
    { PARIS, 2031, 10, 26, 1, 0, 7200, 3600 },
    { PARIS, 2032, 3, 28, 1, 0, 3600, 7200 },
    { PARIS, 2032, 10, 31, 1, 0, 7200, 3600 },
    { PARIS, 2033, 3, 27, 1, 0, 3600, 7200 },
    { PARIS, 2033, 10, 30, 1, 0, 7200, 3600 },
    { PARIS, 2034, 3, 26, 1, 0, 3600, 7200 },
    { PARIS, 2034, 10, 29, 1, 0, 7200, 3600 },
    { PARIS, 2035, 3, 25, 1, 0, 3600, 7200 },
    { PARIS, 2035, 10, 28, 1, 0, 7200, 3600 },
    { NYC, 2026, 3, 8, 7, 0, -18000, -14400 },
    { NYC, 2026, 11, 1, 6, 0, -14400, -18000 },
    { NYC, 2027, 3, 14, 7, 0, -18000, -14400 },
    { NYC, 2027, 11, 7, 6, 0, -14400, -18000 },
    { NYC, 2028, 3, 12, 7, 0, -18000, -14400 },
    { NYC, 2028, 11, 5, 6, 0, -14400, -18000 },
    { NYC, 2029, 3, 11, 7, 0, -18000, -14400 },
    { NYC, 2029, 11, 4, 6, 0, -14400, -18000 },
    { NYC, 2030, 3, 10, 7, 0, -18000, -14400 },
    { NYC, 2030, 11, 3, 6, 0, -14400, -18000 },
    { NYC, 2031, 3, 9, 7, 0, -18000, -14400 },
    { NYC, 2031, 11, 2, 6, 0, -14400, -18000 },
    { NYC, 2032, 3, 14, 7, 0, -18000, -14400 },
    { NYC, 2032, 11, 7, 6, 0, -14400, -18000 },
    { NYC, 2033, 3, 13, 7, 0, -18000, -14400 },
    { NYC, 2033, 11, 6, 6, 0, -14400, -18000 },
    { NYC, 2034, 3, 12, 7, 0, -18000, -14400 },
    { NYC, 2034, 11, 5, 6, 0, -14400, -18000 },
    { NYC, 2035, 3, 11, 7, 0, -18000, -14400 },
    { NYC, 2035, 11, 4, 6, 0, -14400, -18000 },
    { SYDNEY, 2026, 4, 4, 16, 0, 39600, 36000 },
    { SYDNEY, 2026, 10, 3, 16, 0, 36000, 39600 },
    { SYDNEY, 2027, 4, 3, 16, 0, 39600, 36000 },
    { SYDNEY, 2027, 10, 2, 16, 0, 36000, 39600 },
    { SYDNEY, 2028, 4, 1, 16, 0, 39600, 36000 },
    { SYDNEY, 2028, 9, 30, 16, 0, 36000, 39600 },
    { SYDNEY, 2029, 3, 31, 16, 0, 39600, 36000 },
    { SYDNEY, 2029, 10, 6, 16, 0, 36000, 39600 },
    { SYDNEY, 2030, 4, 6, 16, 0, 39600, 36000 },
    { SYDNEY, 2030, 10, 5, 16, 0, 36000, 39600 },
    { SYDNEY, 2031, 4, 5, 16, 0, 39600, 36000 },
    { SYDNEY, 2031, 10, 4, 16, 0, 36000, 39600 },
    { SYDNEY, 2032, 4, 3, 16, 0, 39600, 36000 },
    { SYDNEY, 2032, 10, 2, 16, 0, 36000, 39600 },
    { SYDNEY, 2033, 4, 2, 16, 0, 39600, 36000 },
    { SYDNEY, 2033, 10, 1, 16, 0, 36000, 39600 },
    { SYDNEY, 2034, 4, 1, 16, 0, 39600, 36000 },
    { SYDNEY, 2034, 9, 30, 16, 0, 36000, 39600 },
    { SYDNEY, 2035, 3, 31, 16, 0, 39600, 36000 },
    { SYDNEY, 2035, 10, 6, 16, 0, 36000, 39600 },
    { LORD_HOWE, 2026, 4, 4, 15, 0, 39600, 37800 },
    { LORD_HOWE, 2026, 10, 3, 15, 30, 37800, 39600 },
    { LORD_HOWE, 2027, 4, 3, 15, 0, 39600, 37800 },
    { LORD_HOWE, 2027, 10, 2, 15, 30, 37800, 39600 },
    { LORD_HOWE, 2028, 4, 1, 15, 0, 39600, 37800 },
    { LORD_HOWE, 2028, 9, 30, 15, 30, 37800, 39600 },
    { LORD_HOWE, 2029, 3, 31, 15, 0, 39600, 37800 },
    { LORD_HOWE, 2029, 10, 6, 15, 30, 37800, 39600 },
    { LORD_HOWE, 2030, 4, 6, 15, 0, 39600, 37800 },
    { LORD_HOWE, 2030, 10, 5, 15, 30, 37800, 39600 },
    { LORD_HOWE, 2031, 4, 5, 15, 0, 39600, 37800 },
    { LORD_HOWE, 2031, 10, 4, 15, 30, 37800, 39600 },
    { LORD_HOWE, 2032, 4, 3, 15, 0, 39600, 37800 },
    { LORD_HOWE, 2032, 10, 2, 15, 30, 37800, 39600 },
    { LORD_HOWE, 2033, 4, 2, 15, 0, 39600, 37800 },
    { LORD_HOWE, 2033, 10, 1, 15, 30, 37800, 39600 },
    { LORD_HOWE, 2034, 4, 1, 15, 0, 39600, 37800 },
    { LORD_HOWE, 2034, 9, 30, 15, 30, 37800, 39600 },
    { LORD_HOWE, 2035, 3, 31, 15, 0, 39600, 37800 },
    { LORD_HOWE, 2035, 10, 6, 15, 30, 37800, 39600 },
    { SANTIAGO, 2026, 4, 5, 3, 0, -10800, -14400 },
    { SANTIAGO, 2026, 9, 6, 4, 0, -14400, -10800 },
    { SANTIAGO, 2027, 4, 4, 3, 0, -10800, -14400 },
    { SANTIAGO, 2027, 9, 5, 4, 0, -14400, -10800 },
    { SANTIAGO, 2028, 4, 2, 3, 0, -10800, -14400 },
    { SANTIAGO, 2028, 9, 3, 4, 0, -14400, -10800 },
    { SANTIAGO, 2029, 4, 8, 3, 0, -10800, -14400 },
    { SANTIAGO, 2029, 9, 2, 4, 0, -14400, -10800 },
    { SANTIAGO, 2030, 4, 7, 3, 0, -10800, -14400 },
    { SANTIAGO, 2030, 9, 8, 4, 0, -14400, -10800 },
    { SANTIAGO, 2031, 4, 6, 3, 0, -10800, -14400 },
    { SANTIAGO, 2031, 9, 7, 4, 0, -14400, -10800 },
    { SANTIAGO, 2032, 4, 4, 3, 0, -10800, -14400 },
    { SANTIAGO, 2032, 9, 5, 4, 0, -14400, -10800 },
    { SANTIAGO, 2033, 4, 3, 3, 0, -10800, -14400 },
    { SANTIAGO, 2033, 9, 4, 4, 0, -14400, -10800 },
    { SANTIAGO, 2034, 4, 2, 3, 0, -10800, -14400 },
    { SANTIAGO, 2034, 9, 3, 4, 0, -14400, -10800 },
    { SANTIAGO, 2035, 4, 8, 3, 0, -10800, -14400 },
    { SANTIAGO, 2035, 9, 2, 4, 0, -14400, -10800 },
    { NUUK, 2026, 3, 29, 1, 0, -7200, -3600 },
    { NUUK, 2026, 10, 25, 1, 0, -3600, -7200 },
    { NUUK, 2027, 3, 28, 1, 0, -7200, -3600 },
    { NUUK, 2027, 10, 31, 1, 0, -3600, -7200 },
    { NUUK, 2028, 3, 26, 1, 0, -7200, -3600 },
    { NUUK, 2028, 10, 29, 1, 0, -3600, -7200 },
    { NUUK, 2029, 3, 25, 1, 0, -7200, -3600 },
    { NUUK, 2029, 10, 28, 1, 0, -3600, -7200 },
    { NUUK, 2030, 3, 31, 1, 0, -7200, -3600 },
    { NUUK, 2030, 10, 27, 1, 0, -3600, -7200 },
    { NUUK, 2031, 3, 30, 1, 0, -7200, -3600 },
    { NUUK, 2031, 10, 26, 1, 0, -3600, -7200 },
    { NUUK, 2032, 3, 28, 1, 0, -7200, -3600 },
    { NUUK, 2032, 10, 31, 1, 0, -3600, -7200 },
    { NUUK, 2033, 3, 27, 1, 0, -7200, -3600 },
    { NUUK, 2033, 10, 30, 1, 0, -3600, -7200 },
    { NUUK, 2034, 3, 26, 1, 0, -7200, -3600 },
    { NUUK, 2034, 10, 29, 1, 0, -3600, -7200 },
    { NUUK, 2035, 3, 25, 1, 0, -7200, -3600 },
    { NUUK, 2035, 10, 28, 1, 0, -3600, -7200 },
    { ISRAEL, 2026, 3, 27, 0, 0, 7200, 10800 },
    { ISRAEL, 2026, 10, 24, 23, 0, 10800, 7200 },
    { ISRAEL, 2027, 3, 26, 0, 0, 7200, 10800 },
    { ISRAEL, 2027, 10, 30, 23, 0, 10800, 7200 },
    { ISRAEL, 2028, 3, 24, 0, 0, 7200, 10800 },
    { ISRAEL, 2028, 10, 28, 23, 0, 10800, 7200 },
    { ISRAEL, 2029, 3, 23, 0, 0, 7200, 10800 },
    { ISRAEL, 2029, 10, 27, 23, 0, 10800, 7200 },
    { ISRAEL, 2030, 3, 29, 0, 0, 7200, 10800 },
    { ISRAEL, 2030, 10, 26, 23, 0, 10800, 7200 },
    { ISRAEL, 2031, 3, 28, 0, 0, 7200, 10800 },
    { ISRAEL, 2031, 10, 25, 23, 0, 10800, 7200 },
    { ISRAEL, 2032, 3, 26, 0, 0, 7200, 10800 },
    { ISRAEL, 2032, 10, 30, 23, 0, 10800, 7200 },
    { ISRAEL, 2033, 3, 25, 0, 0, 7200, 10800 },
    { ISRAEL, 2033, 10, 29, 23, 0, 10800, 7200 },
    { ISRAEL, 2034, 3, 24, 0, 0, 7200, 10800 },
    { ISRAEL, 2034, 10, 28, 23, 0, 10800, 7200 },
    { ISRAEL, 2035, 3, 23, 0, 0, 7200, 10800 },
    { ISRAEL, 2035, 10, 27, 23, 0, 10800, 7200 },
    { DUBLIN, 2026, 3, 29, 1, 0, 0, 3600 },
    { DUBLIN, 2026, 10, 25, 1, 0, 3600, 0 },
    { DUBLIN, 2027, 3, 28, 1, 0, 0, 3600 },
    { DUBLIN, 2027, 10, 31, 1, 0, 3600, 0 },
    { DUBLIN, 2028, 3, 26, 1, 0, 0, 3600 },
    { DUBLIN, 2028, 10, 29, 1, 0, 3600, 0 },
    { DUBLIN, 2029, 3, 25, 1, 0, 0, 3600 },
    { DUBLIN, 2029, 10, 28, 1, 0, 3600, 0 },
    { DUBLIN, 2030, 3, 31, 1, 0, 0, 3600 },
    { DUBLIN, 2030, 10, 27, 1, 0, 3600, 0 },
    { DUBLIN, 2031, 3, 30, 1, 0, 0, 3600 },
    { DUBLIN, 2031, 10, 26, 1, 0, 3600, 0 },
    { DUBLIN, 2032, 3, 28, 1, 0, 0, 3600 },
    { DUBLIN, 2032, 10, 31, 1, 0, 3600, 0 },
    { DUBLIN, 2033, 3, 27, 1, 0, 0, 3600 },
    { DUBLIN, 2033, 10, 30, 1, 0, 3600, 0 },
    { DUBLIN, 2034, 3, 26, 1, 0, 0, 3600 },
    { DUBLIN, 2034, 10, 29, 1, 0, 3600, 0 },
    { DUBLIN, 2035, 3, 25, 1, 0, 0, 3600 },
    { DUBLIN, 2035, 10, 28, 1, 0, 3600, 0 },
    { AUCKLAND, 2026, 4, 4, 14, 0, 46800, 43200 },
    { AUCKLAND, 2026, 9, 26, 14, 0, 43200, 46800 },
    { AUCKLAND, 2027, 4, 3, 14, 0, 46800, 43200 },
    { AUCKLAND, 2027, 9, 25, 14, 0, 43200, 46800 },
    { AUCKLAND, 2028, 4, 1, 14, 0, 46800, 43200 },
    { AUCKLAND, 2028, 9, 23, 14, 0, 43200, 46800 },
    { AUCKLAND, 2029, 3, 31, 14, 0, 46800, 43200 },
    { AUCKLAND, 2029, 9, 29, 14, 0, 43200, 46800 },
    { AUCKLAND, 2030, 4, 6, 14, 0, 46800, 43200 },
    { AUCKLAND, 2030, 9, 28, 14, 0, 43200, 46800 },
    { AUCKLAND, 2031, 4, 5, 14, 0, 46800, 43200 },
    { AUCKLAND, 2031, 9, 27, 14, 0, 43200, 46800 },
    { AUCKLAND, 2032, 4, 3, 14, 0, 46800, 43200 },
    { AUCKLAND, 2032, 9, 25, 14, 0, 43200, 46800 },
    { AUCKLAND, 2033, 4, 2, 14, 0, 46800, 43200 },
    { AUCKLAND, 2033, 9, 24, 14, 0, 43200, 46800 },
    { AUCKLAND, 2034, 4, 1, 14, 0, 46800, 43200 },
    { AUCKLAND, 2034, 9, 23, 14, 0, 43200, 46800 },
    { AUCKLAND, 2035, 3, 31, 14, 0, 46800, 43200 },
    { AUCKLAND, 2035, 9, 29, 14, 0, 43200, 46800 },
    { CHATHAM, 2026, 4, 4, 14, 0, 49500, 45900 },
    { CHATHAM, 2026, 9, 26, 14, 0, 45900, 49500 },
    { CHATHAM, 2027, 4, 3, 14, 0, 49500, 45900 },
    { CHATHAM, 2027, 9, 25, 14, 0, 45900, 49500 },
    { CHATHAM, 2028, 4, 1, 14, 0, 49500, 45900 },
    { CHATHAM, 2028, 9, 23, 14, 0, 45900, 49500 },
    { CHATHAM, 2029, 3, 31, 14, 0, 49500, 45900 },
    { CHATHAM, 2029, 9, 29, 14, 0, 45900, 49500 },
    { CHATHAM, 2030, 4, 6, 14, 0, 49500, 45900 },
    { CHATHAM, 2030, 9, 28, 14, 0, 45900, 49500 },
    { CHATHAM, 2031, 4, 5, 14, 0, 49500, 45900 },
    { CHATHAM, 2031, 9, 27, 14, 0, 45900, 49500 },
    { CHATHAM, 2032, 4, 3, 14, 0, 49500, 45900 },
    { CHATHAM, 2032, 9, 25, 14, 0, 45900, 49500 },
    { CHATHAM, 2033, 4, 2, 14, 0, 49500, 45900 },
    { CHATHAM, 2033, 9, 24, 14, 0, 45900, 49500 },
    { CHATHAM, 2034, 4, 1, 14, 0, 49500, 45900 },
    { CHATHAM, 2034, 9, 23, 14, 0, 45900, 49500 },
    { CHATHAM, 2035, 3, 31, 14, 0, 49500, 45900 },
    { CHATHAM, 2035, 9, 29, 14, 0, 45900, 49500 },
    { ST_JOHNS, 2026, 3, 8, 5, 30, -12600, -9000 },
    { ST_JOHNS, 2026, 11, 1, 4, 30, -9000, -12600 },
    { ST_JOHNS, 2027, 3, 14, 5, 30, -12600, -9000 },
    { ST_JOHNS, 2027, 11, 7, 4, 30, -9000, -12600 },
    { ST_JOHNS, 2028, 3, 12, 5, 30, -12600, -9000 },
    { ST_JOHNS, 2028, 11, 5, 4, 30, -9000, -12600 },
    { ST_JOHNS, 2029, 3, 11, 5, 30, -12600, -9000 },
    { ST_JOHNS, 2029, 11, 4, 4, 30, -9000, -12600 },
    { ST_JOHNS, 2030, 3, 10, 5, 30, -12600, -9000 },
    { ST_JOHNS, 2030, 11, 3, 4, 30, -9000, -12600 },
    { ST_JOHNS, 2031, 3, 9, 5, 30, -12600, -9000 },
    { ST_JOHNS, 2031, 11, 2, 4, 30, -9000, -12600 },
    { ST_JOHNS, 2032, 3, 14, 5, 30, -12600, -9000 },
    { ST_JOHNS, 2032, 11, 7, 4, 30, -9000, -12600 },
    { ST_JOHNS, 2033, 3, 13, 5, 30, -12600, -9000 },
    { ST_JOHNS, 2033, 11, 6, 4, 30, -9000, -12600 },
    { ST_JOHNS, 2034, 3, 12, 5, 30, -12600, -9000 },
    { ST_JOHNS, 2034, 11, 5, 4, 30, -9000, -12600 },
    { ST_JOHNS, 2035, 3, 11, 5, 30, -12600, -9000 },
    { ST_JOHNS, 2035, 11, 4, 4, 30, -9000, -12600 },
};

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

/* A calendar per zone, "z0".."z10", Monday..Friday 09:00-17:00 local. */
static itsm_policy *zoned_policy(void)
{
    itsm_policy *p;
    assert_ok(itsm_policy_new_default(&p, NULL));
    itsm_work_span s[5];
    for (int d = 0; d < 5; d++)
        s[d] = (itsm_work_span){ d, 9 * HOUR, 17 * HOUR };
    for (size_t i = 0; i < sizeof zones / sizeof zones[0]; i++) {
        char name[8];
        snprintf(name, sizeof name, "z%zu", i);
        itsm_calendar_def def = ITSM_CALENDAR_DEF_INIT;
        def.name = name;
        def.zone = zones[i];
        def.spans = s;
        def.nspans = 5;
        if (itsm_policy_set_calendar(p, &def) != ITSM_OK)
            fail_msg("'%s' refused: %s", zones[i], itsm_policy_errmsg(p));
    }
    return p;
}

static const char *calendar_of(const char *zone, char name[8])
{
    for (size_t i = 0; i < sizeof zones / sizeof zones[0]; i++)
        if (strcmp(zones[i], zone) == 0) {
            snprintf(name, 8, "z%zu", i);
            return name;
        }
    fail_msg("no calendar for %s", zone);
    return NULL;
}

static int32_t offset(const itsm_policy *p, const char *cal, itsm_time t)
{
    int32_t o;
    assert_ok(itsm_calendar_utc_offset(&o, p, cal, t));
    return o;
}

static void every_change_from_2026_to_2035_is_on_the_databases_second(void **state)
{
    (void)state;
    itsm_policy *p = zoned_policy();
    size_t n = sizeof changes / sizeof changes[0];
    for (size_t i = 0; i < n; i++) {
        const struct change *c = &changes[i];
        char name[8];
        const char *cal = calendar_of(c->zone, name);
        itsm_time t = utc(c->y, c->m, c->d, c->h, c->min);
        int32_t got_before = offset(p, cal, t - 1), got_after = offset(p, cal, t);
        if (got_before != c->before || got_after != c->after)
            fail_msg("%s at %04d-%02d-%02dT%02d:%02d:00Z: %d -> %d, the database has %d -> %d", c->zone, c->y, c->m,
                     c->d, c->h, c->min, got_before, got_after, c->before, c->after);
        /* the offset holds until the zone's next change (or the end of 2035) */
        itsm_time next = utc(2036, 1, 1, 0, 0);
        if (i + 1 < n && strcmp(changes[i + 1].zone, c->zone) == 0)
            next = utc(changes[i + 1].y, changes[i + 1].m, changes[i + 1].d, changes[i + 1].h, changes[i + 1].min);
        assert_int_equal(offset(p, cal, t + (next - t) / 2), c->after);
        assert_int_equal(offset(p, cal, next - 1), c->after);
    }
    /* two changes a year in each zone, ten years */
    assert_int_equal(n, 20 * (sizeof zones / sizeof zones[0]));
    itsm_policy_free(p);
}

/* Zones without daylight saving keep one offset all year. */
static void zones_without_daylight_saving_keep_one_offset(void **state)
{
    (void)state;
    itsm_policy *p;
    assert_ok(itsm_policy_new_default(&p, NULL));
    static const struct { const char *zone; int32_t off; } fixed[] = {
        { "IST-5:30", 5 * HOUR + 30 * MIN },   /* Asia/Kolkata */
        { "<-03>3", -3 * HOUR },              /* America/Sao_Paulo */
        { "<+0545>-5:45", 5 * HOUR + 45 * MIN },   /* Asia/Kathmandu */
    };
    itsm_work_span s = { 0, 9 * HOUR, 17 * HOUR };
    for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++) {
        itsm_calendar_def def = ITSM_CALENDAR_DEF_INIT;
        def.name = "fixed";
        def.zone = fixed[i].zone;
        def.spans = &s;
        def.nspans = 1;
        assert_ok(itsm_policy_set_calendar(p, &def));
        for (int m = 0; m < 12 * 10; m++)
            assert_int_equal(offset(p, "fixed", utc(2026 + m / 12, 1 + m % 12, 15, 12, 0)), fixed[i].off);
        /* Monday 5 January 2026 09:00 local + 1 h */
        itsm_time nine = utc(2026, 1, 5, 9, 0) - fixed[i].off, t;
        assert_ok(itsm_calendar_add(&t, p, "fixed", nine, HOUR));
        assert_int_equal(t, nine + HOUR);
    }
    itsm_policy_free(p);
}

static itsm_time add(const itsm_policy *p, const char *zone, itsm_time from, int64_t w)
{
    char name[8];
    itsm_time t;
    assert_ok(itsm_calendar_add(&t, p, calendar_of(zone, name), from, w));
    return t;
}

/* Friday 16:00 local + 2 working hours, across the weekend's change:
 * Friday 16-17, then Monday 09:00-10:00 at the new offset. */
static void due_times_across_a_change_in_odd_offset_zones(void **state)
{
    (void)state;
    itsm_policy *p = zoned_policy();
    /* Chatham, daylight time ends Sunday 5 April 2026: Friday 16:00 +13:45
     * is 02:15Z; Monday 10:00 +12:45 is Sunday 21:15Z. */
    assert_int_equal(add(p, CHATHAM, utc(2026, 4, 3, 2, 15), 2 * HOUR), utc(2026, 4, 5, 21, 15));
    /* St John's, daylight time starts Sunday 8 March 2026: Friday 16:00
     * -03:30 is 19:30Z; Monday 10:00 -02:30 is 12:30Z. */
    assert_int_equal(add(p, ST_JOHNS, utc(2026, 3, 6, 19, 30), 2 * HOUR), utc(2026, 3, 9, 12, 30));
    /* Auckland, daylight time starts Sunday 27 September 2026: Friday
     * 16:00 +12 is 04:00Z; Monday 10:00 +13 is Sunday 21:00Z. */
    assert_int_equal(add(p, AUCKLAND, utc(2026, 9, 25, 4, 0), 2 * HOUR), utc(2026, 9, 27, 21, 0));
    itsm_policy_free(p);
}

/* The library applies the rule itself: the process's TZ (what localtime
 * would read) changes no answer. */
static void the_process_time_zone_changes_nothing(void **state)
{
    (void)state;
    itsm_policy *p = zoned_policy();
    char name[8];
    const char *paris = calendar_of(PARIS, name);
    static const char *const tzs[] = { "UTC0", "XST3XDT,M1.1.0,M12.5.0", "NZST-12NZDT,M9.5.0,M4.1.0/3" };
    for (size_t i = 0; i < sizeof tzs / sizeof tzs[0]; i++) {
        assert_int_equal(setenv("TZ", tzs[i], 1), 0);
        tzset();
        assert_int_equal(offset(p, paris, utc(2026, 3, 29, 0, 59) + 59), HOUR);
        assert_int_equal(offset(p, paris, utc(2026, 3, 29, 1, 0)), 2 * HOUR);
        itsm_time t;
        assert_ok(itsm_calendar_add(&t, p, paris, utc(2026, 6, 1, 7, 0), HOUR));
        assert_int_equal(t, utc(2026, 6, 1, 8, 0));
    }
    unsetenv("TZ");
    tzset();
    itsm_policy_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_change_from_2026_to_2035_is_on_the_databases_second),
        cmocka_unit_test(zones_without_daylight_saving_keep_one_offset),
        cmocka_unit_test(due_times_across_a_change_in_odd_offset_zones),
        cmocka_unit_test(the_process_time_zone_changes_nothing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
