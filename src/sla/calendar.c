/* SPDX-License-Identifier: Apache-2.0 */
/* Calendar math: working seconds between instants and due times, exact to
 * the second (DESIGN.md section 4), across daylight-saving transitions.
 *
 * A second counts when the local wall clock reading of it falls in a
 * working span of a day that is not a holiday. Time is cut at the zone's
 * transitions into stretches of one offset; within one, local time is UTC
 * plus that offset and the working pattern repeats every week, so the
 * cumulative working seconds of the week (cum[]) answer "how much work up
 * to here" and its inverse in O(log spans), whatever the number of weeks,
 * and only holidays are visited one by one. A spring-forward hour holds no
 * local time and so no work; a fall-back hour is lived twice and counts
 * twice. Pure integer arithmetic, so replay on any host gives the same due
 * times. */
#include "sla/calendar.h"
#include "sla/sla_int.h"
#include "core/core.h"
#include "kit/json.h"

#define DAY  86400
#define WEEK (7 * DAY)
/* Local day 0 (1970-01-01) was a Thursday: 3 days after a Monday. */
#define MON_SHIFT (3 * DAY)

static int64_t floordiv(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

/* Monday = 0. */
static int weekday(int64_t day) { return (int)(day + 3 - floordiv(day + 3, 7) * 7); }

/* Working seconds of the weekly pattern in [0, x) of a week, 0 <= x <= WEEK. */
static int64_t week_upto(const itsm__cal *c, int64_t x)
{
    size_t lo = 0, hi = c->nspans;   /* lo: spans starting at or before x */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (c->s[mid] <= x)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == 0)
        return 0;
    int64_t in = x - c->s[lo - 1], len = c->e[lo - 1] - c->s[lo - 1];
    return c->cum[lo - 1] + (in < len ? in : len);
}

/* Working seconds of the pattern (holidays ignored) before local time L,
 * counted from a fixed origin: differences give the work in between. */
static int64_t cumul(const itsm__cal *c, int64_t L)
{
    int64_t x = L + MON_SHIFT, k = floordiv(x, WEEK);
    return k * c->week + week_upto(c, x - k * WEEK);
}

/* The earliest local time where cumul reaches v. */
static int64_t cumul_inv(const itsm__cal *c, int64_t v)
{
    int64_t k = floordiv(v - 1, c->week), r = v - k * c->week;   /* 1..week */
    size_t lo = 0, hi = (size_t)c->nspans - 1;                   /* first span with cum[i+1] >= r */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (c->cum[mid + 1] >= r)
            hi = mid;
        else
            lo = mid + 1;
    }
    return k * WEEK + c->s[lo] + (r - c->cum[lo]) - MON_SHIFT;
}

/* ---- holidays ---- */

/* Index of the first dated holiday on or after `day` (nhol when none). */
static size_t hol_from(const itsm__cal *c, int64_t day)
{
    size_t lo = 0, hi = c->nhol;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (c->hol[mid] < day)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static int64_t rule_day(const itsm__holrule *r, int64_t y)
{
    if (r->day)
        return itsm__days_from_civil(y, r->month, r->day);
    return itsm__nth_weekday(y, r->month, r->nth, (unsigned)(r->wday + 1) % 7u);
}

/* The first holiday on or after local day `d`; INT64_MAX when none. */
static int64_t next_holiday(const itsm__cal *c, int64_t d)
{
    int64_t best = INT64_MAX;
    size_t i = hol_from(c, d);
    if (i < c->nhol)
        best = c->hol[i];
    if (c->nrules) {
        int64_t y;
        unsigned m, dd;
        itsm__civil_from_days(d, &y, &m, &dd);
        for (size_t k = 0; k < c->nrules; k++) {
            int64_t h = rule_day(&c->rules[k], y);
            if (h < d)
                h = rule_day(&c->rules[k], y + 1);
            if (h < best)
                best = h;
        }
    }
    return best;
}

/* Working seconds of local day d's spans inside local [la, lb). */
static int64_t day_work(const itsm__cal *c, int64_t d, int64_t la, int64_t lb)
{
    int w = weekday(d);
    int64_t monday = (d - w) * DAY, total = 0;
    for (unsigned i = c->day_first[w]; i < c->day_first[w + 1]; i++) {
        int64_t s = monday + c->s[i], e = monday + c->e[i];
        int64_t lo = s > la ? s : la, hi = e < lb ? e : lb;
        if (hi > lo)
            total += hi - lo;
    }
    return total;
}

/* ---- one offset ---- */

/* Work in UTC [x, y) while the offset is o. */
static int64_t work_fixed(const itsm__cal *c, int32_t o, int64_t x, int64_t y)
{
    int64_t la = x + o, lb = y + o, total = cumul(c, lb) - cumul(c, la);
    if (c->nhol || c->nrules)
        for (int64_t h = next_holiday(c, floordiv(la, DAY)); h != INT64_MAX && h * DAY < lb;
             h = next_holiday(c, h + 1))
            total -= day_work(c, h, la, lb);
    return total;
}

/* The earliest local time at which w > 0 working seconds have passed
 * since UTC x, the offset staying o. Holiday-free stretches are crossed
 * at once; each holiday is one step. Past year 9999 it gives up (the
 * caller saturates): yearly rules cannot close a whole year, dated
 * holidays are finite. */
static int64_t add_fixed(const itsm__cal *c, int32_t o, int64_t x, int64_t w)
{
    int64_t la = x + o;
    for (;;) {
        int64_t h = c->nhol || c->nrules ? next_holiday(c, floordiv(la, DAY)) : INT64_MAX;
        if (h != INT64_MAX && h * DAY <= la) {
            la = (h + 1) * DAY;
        } else {
            int64_t v = cumul(c, la) + w;
            if (h == INT64_MAX || cumul(c, h * DAY) >= v)
                return cumul_inv(c, v);
            w -= cumul(c, h * DAY) - cumul(c, la);
            la = (h + 1) * DAY;
        }
        if (la > ITSM_TIME_MAX + 2 * DAY)
            return la;
    }
}

/* ---- any zone ---- */

int32_t itsm__cal_offset(const itsm__cal *c, itsm_time t)
{
    return itsm__tz_offset(&c->zone, t, NULL);
}

int64_t itsm__cal_work(const itsm__cal *c, itsm_time a, itsm_time b)
{
    if (b <= a || c->week == 0)
        return 0;
    if (c->always)
        return b - a;
    int64_t total = 0;
    for (itsm_time t = a; t < b;) {
        int64_t next;
        int32_t o = itsm__tz_offset(&c->zone, t, &next);
        int64_t e = next < b ? next : b;
        total += work_fixed(c, o, t, e);
        t = e;
    }
    return total;
}

itsm_time itsm__cal_add(const itsm__cal *c, itsm_time a, int64_t w)
{
    if (w <= 0)
        return a;
    if (a > ITSM_TIME_MAX - w || c->week == 0)
        return ITSM_TIME_MAX;   /* work never outpaces the clock; a closed calendar is never due */
    if (c->always)
        return a + w;
    for (itsm_time t = a;;) {
        int64_t next;
        int32_t o = itsm__tz_offset(&c->zone, t, &next);
        if (next <= ITSM_TIME_MAX) {
            int64_t cap = work_fixed(c, o, t, next);
            if (cap < w) {
                w -= cap;
                t = next;
                continue;
            }
        }
        int64_t due = add_fixed(c, o, t, w) - o;
        return due > ITSM_TIME_MAX ? ITSM_TIME_MAX : due;
    }
}

/* ---- public ---- */

static int cal_arg(const itsm__cal **out, const itsm_policy *p, const char *name, itsm_time a)
{
    if (!p || !name || a < ITSM_TIME_MIN || a > ITSM_TIME_MAX)
        return ITSM_EINVAL;
    int i = itsm__cal_find(itsm__sl(p), name);
    if (i < 0)
        return ITSM_ENOTFOUND;
    *out = &itsm__sl(p)->cals[i];
    return ITSM_OK;
}

int itsm_calendar_work(int64_t *out, const itsm_policy *p, const char *calendar, itsm_time from,
                       itsm_time to)
{
    const itsm__cal *c;
    if (!out || to < ITSM_TIME_MIN || to > ITSM_TIME_MAX)
        return ITSM_EINVAL;
    int rc = cal_arg(&c, p, calendar, from);
    if (rc)
        return rc;
    *out = itsm__cal_work(c, from, to);
    return ITSM_OK;
}

int itsm_calendar_add(itsm_time *out, const itsm_policy *p, const char *calendar, itsm_time from,
                      int64_t seconds)
{
    const itsm__cal *c;
    if (!out || seconds < 0)
        return ITSM_EINVAL;
    int rc = cal_arg(&c, p, calendar, from);
    if (rc)
        return rc;
    *out = itsm__cal_add(c, from, seconds);
    return ITSM_OK;
}

int itsm_calendar_utc_offset(int32_t *out, const itsm_policy *p, const char *calendar, itsm_time at)
{
    const itsm__cal *c;
    if (!out)
        return ITSM_EINVAL;
    int rc = cal_arg(&c, p, calendar, at);
    if (rc)
        return rc;
    *out = itsm__cal_offset(c, at);
    return ITSM_OK;
}
