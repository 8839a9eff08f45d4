/* SPDX-License-Identifier: Apache-2.0 */
/* Calendars: working time counted exactly (DESIGN.md section 4). */
#include "sla/sla_support.h"
#include "sla/sla_int.h"
#include "kit/json.h"

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

/* ---- the fast method against a day-by-day reference ---- */

/* The reference walks local days one by one inside stretches of one UTC
 * offset, and finds transitions and holidays by brute force over the
 * days of a month: nothing shared with the library's week table, its
 * transition list or its holiday rules. */
static int64_t ref_floordiv(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

static int ref_weekday(int64_t day) { return (int)(((day % 7) + 7 + 3) % 7); }   /* Monday = 0 */

static int ref_leap(int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

/* Weekday `wday` (Monday = 0) number `nth` (5: last) of a month, by walking it. */
static int64_t ref_nth(int64_t y, unsigned m, int nth, int wday)
{
    int64_t first = itsm__days_from_civil(y, m, 1), found = -1;
    int seen = 0;
    for (int64_t d = first; d < first + 31; d++) {
        int64_t yy;
        unsigned mm, dd;
        itsm__civil_from_days(d, &yy, &mm, &dd);
        if (mm != m)
            break;
        if (ref_weekday(d) == wday) {
            found = d;
            if (++seen == nth)
                return d;
        }
    }
    return found;   /* nth == 5: the last */
}

typedef struct ref_rule { char kind; int a, b, c; int32_t time; } ref_rule;   /* 'M' m.w.d (d: Sunday = 0), 'J', 'N' */
typedef struct ref_zone {
    const char *text;
    int32_t std, dst;   /* east */
    ref_rule start, end;
} ref_zone;

static const ref_zone zones[] = {
    { "CET-1CEST,M3.5.0,M10.5.0/3", 3600, 7200, { 'M', 3, 5, 0, 7200 }, { 'M', 10, 5, 0, 10800 } },
    { "EST5EDT,M3.2.0,M11.1.0", -18000, -14400, { 'M', 3, 2, 0, 7200 }, { 'M', 11, 1, 0, 7200 } },
    { "AEST-10AEDT,M10.1.0,M4.1.0/3", 36000, 39600, { 'M', 10, 1, 0, 7200 }, { 'M', 4, 1, 0, 10800 } },
    { "<+1030>-10:30<+11>-11,M10.1.0,M4.1.0", 37800, 39600, { 'M', 10, 1, 0, 7200 }, { 'M', 4, 1, 0, 7200 } },
    { "<-04>4<-03>,M9.1.6/24,M4.1.6/24", -14400, -10800, { 'M', 9, 1, 6, 86400 }, { 'M', 4, 1, 6, 86400 } },
    { "IST-2IDT,M3.4.4/26,M10.5.0", 7200, 10800, { 'M', 3, 4, 4, 93600 }, { 'M', 10, 5, 0, 7200 } },
    { "<-02>2<-01>,M3.5.0/-1,M10.5.0/0", -7200, -3600, { 'M', 3, 5, 0, -3600 }, { 'M', 10, 5, 0, 0 } },
    { "IST-1GMT0,M10.5.0,M3.5.0/1", 3600, 0, { 'M', 10, 5, 0, 7200 }, { 'M', 3, 5, 0, 3600 } },
    { "XST3XDT,J60/1:30,J300", -10800, -7200, { 'J', 60, 0, 0, 5400 }, { 'J', 300, 0, 0, 7200 } },
    { "XST-5:45XDT-6:45,59/-2,299/30", 20700, 24300, { 'N', 59, 0, 0, -7200 }, { 'N', 299, 0, 0, 108000 } },
};

static int64_t ref_rule_day(const ref_rule *r, int64_t y)
{
    int64_t jan1 = itsm__days_from_civil(y, 1, 1);
    if (r->kind == 'N')
        return jan1 + r->a;
    if (r->kind == 'J') {   /* count days, stepping over February 29 */
        int64_t d = jan1;
        for (int n = 1; n < r->a; n++) {
            d++;
            if (ref_leap(y) && d == itsm__days_from_civil(y, 2, 29))
                d++;
        }
        return d;
    }
    return ref_nth(y, (unsigned)r->a, r->b, (r->c + 6) % 7);
}

/* Offset at t: daylight saving when inside [start, end) of t's year (or
 * outside [end, start) when the end comes first, south of the equator). */
static int32_t ref_offset(const ref_zone *z, itsm_time t, int64_t *next)
{
    int64_t y;
    unsigned m, d;
    itsm__civil_from_days(ref_floordiv(t + z->std, DAY), &y, &m, &d);
    int64_t all[6];
    int n = 0;
    for (int64_t yy = y - 1; yy <= y + 1; yy++) {
        all[n++] = ref_rule_day(&z->start, yy) * DAY + z->start.time - z->std;
        all[n++] = ref_rule_day(&z->end, yy) * DAY + z->end.time - z->dst;
    }
    int64_t s = all[2], e = all[3];
    int dst = s < e ? (t >= s && t < e) : !(t >= e && t < s);
    *next = INT64_MAX;
    for (int i = 0; i < n; i++)
        if (all[i] > t && all[i] < *next)
            *next = all[i];
    return dst ? z->dst : z->std;
}

typedef struct ref_cal {
    const ref_zone *zone;          /* NULL: fixed */
    int32_t offset;
    int     nspan[7];
    int32_t s[7][4], e[7][4];
    int64_t hol[80]; size_t nhol;  /* dated */
    int     rules[8][4]; size_t nrules;   /* {month, day, nth, wday}: day > 0 fixed */
} ref_cal;

static int ref_holiday(const ref_cal *c, int64_t day)
{
    for (size_t i = 0; i < c->nhol; i++)
        if (c->hol[i] == day)
            return 1;
    int64_t y;
    unsigned m, d;
    itsm__civil_from_days(day, &y, &m, &d);
    for (size_t i = 0; i < c->nrules; i++) {
        const int *r = c->rules[i];
        if ((unsigned)r[0] != m)
            continue;
        if (r[1] ? (unsigned)r[1] == d : ref_nth(y, m, r[2], r[3]) == day)
            return 1;
    }
    return 0;
}

static int32_t ref_off(const ref_cal *c, itsm_time t, int64_t *next)
{
    if (!c->zone) {
        *next = INT64_MAX;
        return c->offset;
    }
    return ref_offset(c->zone, t, next);
}

/* Work in [x, y) at offset o, and (when want >= 0) the instant it reaches want. */
static int64_t ref_stretch(const ref_cal *c, int32_t o, int64_t x, int64_t y, int64_t want, itsm_time *at)
{
    int64_t la = x + o, lb = y + o, total = 0;
    for (int64_t d = ref_floordiv(la, DAY); d * DAY < lb; d++) {
        int w = ref_weekday(d);
        if (!c->nspan[w] || ref_holiday(c, d))
            continue;
        for (int k = 0; k < c->nspan[w]; k++) {
            int64_t s = d * DAY + c->s[w][k], e = d * DAY + c->e[w][k];
            int64_t lo = s > la ? s : la, hi = e < lb ? e : lb;
            if (hi <= lo)
                continue;
            if (want >= 0 && total + (hi - lo) >= want) {
                *at = lo + (want - total) - o;
                return want;
            }
            total += hi - lo;
        }
    }
    return total;
}

static int64_t ref_work(const ref_cal *c, itsm_time a, itsm_time b)
{
    int64_t total = 0, next;
    for (itsm_time t = a; t < b;) {
        int32_t o = ref_off(c, t, &next);
        int64_t e = next < b ? next : b;
        total += ref_stretch(c, o, t, e, -1, NULL);
        t = e;
    }
    return total;
}

static itsm_time ref_add(const ref_cal *c, itsm_time a, int64_t w)
{
    if (w <= 0)
        return a;
    int64_t next;
    for (itsm_time t = a;; ) {
        int32_t o = ref_off(c, t, &next);
        int64_t e = next < t + 400 * DAY ? next : t + 400 * DAY;
        itsm_time at = ITSM_TIME_NONE;
        if (ref_stretch(c, o, t, e, w, &at) == w && at != ITSM_TIME_NONE)
            return at > ITSM_TIME_MAX ? ITSM_TIME_MAX : at;
        w -= ref_stretch(c, o, t, e, -1, NULL);
        t = e;
        if (t > ITSM_TIME_MAX)
            return ITSM_TIME_MAX;
    }
}

static itsm_allocator libc_alloc;

static uint64_t rng_state = 0x9e3779b97f4a7c15u;
static uint64_t rnd(uint64_t n)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return n ? rng_state % n : 0;
}

static const char *const mon_names[12] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                           "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
static const char *const day_abbr[7] = { "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun" };
static const char *const nth_names[5] = { "1st", "2nd", "3rd", "4th", "last" };

/* A random calendar, as the library's definition and the reference's:
 * some closed weekdays, up to 4 odd spans a day (or the whole day), a
 * zone (a fixed offset or a rule of the table), holidays scattered and in
 * runs (a closed fortnight), yearly rules. */
static void random_cal(itsm__cal *out, ref_cal *r, int64_t base_day)
{
    memset(r, 0, sizeof *r);
    itsm_calendar_def def = ITSM_CALENDAR_DEF_INIT;
    itsm_work_span spans[28];
    size_t nspans = 0;
    static char text[90][16];
    const char *hol[90];
    size_t nh = 0;
    def.name = "random";
    if (rnd(3) == 0) {
        r->offset = (int32_t)rnd(100801) - 50400;
        def.utc_offset = r->offset;
    } else {
        r->zone = &zones[rnd(sizeof zones / sizeof zones[0])];
        def.zone = r->zone->text;
    }
    for (int d = 0; d < 7; d++) {
        if (rnd(3) == 0)
            continue;
        int k = 1 + (int)rnd(4);
        int32_t at = 0;
        for (int i = 0; i < k && at < DAY; i++) {
            int32_t s = at + (int32_t)rnd((uint64_t)(DAY - at)), e = s + 1 + (int32_t)rnd((uint64_t)(DAY - s));
            if (rnd(5) == 0 && i == 0) {
                s = 0;
                e = DAY;
            }
            spans[nspans++] = (itsm_work_span){ d, s, e };
            r->s[d][r->nspan[d]] = s;
            r->e[d][r->nspan[d]++] = e;
            at = e + (int32_t)rnd(2);   /* touching or apart */
        }
    }
    if (!nspans) {
        spans[nspans++] = (itsm_work_span){ 2, 9 * HOUR, 17 * HOUR };
        r->s[2][0] = 9 * HOUR;
        r->e[2][0] = 17 * HOUR;
        r->nspan[2] = 1;
    }
    size_t n = rnd(60);
    for (size_t i = 0; i < n; i++)
        r->hol[r->nhol++] = base_day + (int64_t)rnd(3 * 365);
    if (rnd(2)) {
        int64_t from = base_day + (int64_t)rnd(365);
        for (int i = 0; i < 14; i++)
            r->hol[r->nhol++] = from + i;
    }
    for (size_t i = 0; i < r->nhol; i++) {
        char t[21];
        itsm__time_format(r->hol[i] * DAY, t);
        memcpy(text[nh], t, 10);
        text[nh][10] = '\0';
        hol[nh] = text[nh];
        nh++;
    }
    size_t nr = rnd(5);
    for (size_t i = 0; i < nr; i++) {
        int *q = r->rules[r->nrules++];
        q[0] = 1 + (int)rnd(12);
        if (rnd(2)) {
            static const int md[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
            q[1] = 1 + (int)rnd((uint64_t)md[q[0] - 1]);
            snprintf(text[nh], sizeof text[nh], "%s %d", mon_names[q[0] - 1], q[1]);
        } else {
            q[1] = 0;
            q[2] = 1 + (int)rnd(5);
            q[3] = (int)rnd(7);
            snprintf(text[nh], sizeof text[nh], "%s %s %s", nth_names[q[2] - 1], day_abbr[q[3]],
                     mon_names[q[0] - 1]);
        }
        hol[nh] = text[nh];
        nh++;
    }
    def.spans = spans;
    def.nspans = nspans;
    def.holidays = hol;
    def.nholidays = nh;
    char msg[256];
    itsm__alloc_resolve(&libc_alloc, NULL);
    int rc = itsm__cal_build(out, &def, &libc_alloc, msg, sizeof msg);
    if (rc)
        fail_msg("random calendar refused: %s", msg);
}

static void fast_method_matches_day_by_day(void **state)
{
    (void)state;
    const int64_t base = T0 / DAY - 200;
    for (int round = 0; round < 1500; round++) {
        itsm__cal c;
        ref_cal r;
        random_cal(&c, &r, base);
        itsm_time a = (base + (int64_t)rnd(3 * 365)) * DAY + (itsm_time)rnd(DAY);
        if (rnd(4) == 0)
            a -= a % DAY;   /* start on a day boundary (UTC) */
        int64_t w = rnd(4) == 0 ? (int64_t)rnd(3 * DAY) : (int64_t)rnd(400LL * 8 * HOUR);
        itsm_time got = itsm__cal_add(&c, a, w), want = ref_add(&r, a, w);
        if (got != want)
            fail_msg("round %d (%s): add(%lld, %lld) = %lld, day by day %lld", round,
                     r.zone ? r.zone->text : "fixed", (long long)a, (long long)w, (long long)got,
                     (long long)want);
        itsm_time b = a + (itsm_time)rnd(4 * 365LL * DAY);
        int64_t gw = itsm__cal_work(&c, a, b), ww = ref_work(&r, a, b);
        if (gw != ww)
            fail_msg("round %d (%s): work(%lld, %lld) = %lld, day by day %lld", round,
                     r.zone ? r.zone->text : "fixed", (long long)a, (long long)b, (long long)gw, (long long)ww);
        /* the two agree with each other: work up to the due time is w */
        if (want < ITSM_TIME_MAX)
            assert_int_equal(itsm__cal_work(&c, a, got), w);
        if (r.zone) {   /* and the zone's offset is the reference's */
            int64_t next;
            for (int k = 0; k < 4; k++) {
                itsm_time t = a + (itsm_time)rnd(2 * 365LL * DAY);
                assert_int_equal(itsm__cal_offset(&c, t), ref_offset(r.zone, t, &next));
            }
        }
        itsm__cal_clear(&c, &libc_alloc);
    }
}

static void target_spanning_twenty_years(void **state)
{
    (void)state;
    itsm_policy *p = policy_with_holiday();
    /* "office": 40 h a week, one holiday (Tuesday 2026-03-03). 1040 weeks
     * of work from Monday 09:00 end a holiday's 8 hours after the 1040th
     * Friday 17:00: on Monday 17:00 of the week after. */
    int64_t w = 20LL * 52 * 40 * HOUR;
    itsm_time due = add(p, "office", MON + 9 * HOUR, w);
    assert_int_equal(work(p, "office", MON + 9 * HOUR, due), w);
    assert_int_equal(due, MON + 20 * 52 * 7 * DAY + 17 * HOUR);
    assert_int_equal(add(p, "business", MON + 9 * HOUR, w), MON + (20 * 52 * 7 - 3) * DAY + 17 * HOUR);
    itsm_policy_free(p);
}

static void saturates_at_year_9999(void **state)
{
    (void)state;
    itsm_policy *p = policy_with_holiday();
    assert_int_equal(add(p, "office", 0, INT64_MAX), ITSM_TIME_MAX);
    assert_int_equal(add(p, "paris", ITSM_TIME_MAX - DAY, 30 * DAY), ITSM_TIME_MAX);
    int64_t all = work(p, "office", 0, ITSM_TIME_MAX);
    assert_true(all > 8029LL * 52 * 40 * HOUR && all < 8030LL * 53 * 40 * HOUR);   /* 1970..9999 */
    itsm_policy_free(p);
}

static void all_closed_calendar_is_never_due(void **state)
{
    (void)state;
    /* Policies refuse such a calendar (bad_calendars_are_refused...); the
     * calendar math still answers at once: never due, no working time. */
    itsm__cal c;
    memset(&c, 0, sizeof c);
    itsm__tz_fixed(&c.zone, 0);
    assert_int_equal(itsm__cal_add(&c, T0, 1), ITSM_TIME_MAX);
    assert_int_equal(itsm__cal_add(&c, 0, INT64_MAX), ITSM_TIME_MAX);
    assert_int_equal(itsm__cal_add(&c, T0, 0), T0);
    assert_int_equal(itsm__cal_work(&c, 0, ITSM_TIME_MAX), 0);
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
        cmocka_unit_test(fast_method_matches_day_by_day),
        cmocka_unit_test(target_spanning_twenty_years),
        cmocka_unit_test(saturates_at_year_9999),
        cmocka_unit_test(all_closed_calendar_is_never_due),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
