/* SPDX-License-Identifier: Apache-2.0 */
/* Calendar math: working seconds between instants and due times, exact to
 * the second (DESIGN.md section 4). Pure integer arithmetic, so replay on
 * any host gives the same due times. */
#include "sla/sla_int.h"
#include "core/core.h"
#include "kit/json.h"

#include <string.h>

#define DAY 86400

static int64_t floordiv(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

/* Monday = 0; 1970-01-01 was a Thursday. */
static int weekday(int64_t day) { return (int)(((day % 7) + 7 + 3) % 7); }

/* Index of the first holiday on or after `day` (nhol when none). */
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

static int is_holiday(const itsm__cal *c, int64_t day)
{
    size_t i = hol_from(c, day);
    return i < c->nhol && c->hol[i] == day;
}

/* Working seconds in any 7 consecutive days without a holiday. */
static int64_t week_work(const itsm__cal *c)
{
    int64_t w = 0;
    for (int d = 0; d < 7; d++)
        w += c->end[d] - c->start[d];
    return w;
}

/* How many whole weeks from local day `d` (inclusive) are free of holidays,
 * capped at `cap`. Any 7 consecutive days hold each weekday once, so such a
 * week has exactly week_work() seconds: the day loops below skip those in
 * O(log holidays) instead of walking them day by day. */
static int64_t free_weeks(const itsm__cal *c, int64_t d, int64_t cap)
{
    size_t i = hol_from(c, d);
    if (i < c->nhol && (c->hol[i] - d) / 7 < cap)
        return (c->hol[i] - d) / 7;
    return cap;
}

int64_t itsm__cal_work(const itsm__cal *c, itsm_time a, itsm_time b)
{
    if (b <= a)
        return 0;
    if (c->always)
        return b - a;
    int64_t la = a + c->offset, lb = b + c->offset, total = 0, lastd = floordiv(lb, DAY), week = -1;
    for (int64_t d = floordiv(la, DAY); d * DAY < lb; d++) {
        if (lastd - d >= 7 && d * DAY >= la) {   /* whole weeks inside [la, lb) */
            if (week < 0 && (week = week_work(c)) == 0)
                return 0;
            int64_t k = free_weeks(c, d, (lastd - d) / 7);
            if (k > 0) {
                total += k * week;
                d += 7 * k - 1;
                continue;
            }
        }
        int w = weekday(d);
        if (c->start[w] == c->end[w] || is_holiday(c, d))
            continue;
        int64_t s = d * DAY + c->start[w], e = d * DAY + c->end[w];
        int64_t lo = s > la ? s : la, hi = e < lb ? e : lb;
        if (hi > lo)
            total += hi - lo;
    }
    return total;
}

itsm_time itsm__cal_add(const itsm__cal *c, itsm_time a, int64_t w)
{
    if (w <= 0)
        return a;
    if (c->always)
        return a > ITSM_TIME_MAX - w ? ITSM_TIME_MAX : a + w;
    int64_t la = a + c->offset, week = -1;
    for (int64_t d = floordiv(la, DAY);; d++) {
        if (d * DAY - c->offset > ITSM_TIME_MAX)
            return ITSM_TIME_MAX;
        if (d * DAY >= la) {   /* skip whole weeks that end before the due time */
            if (week < 0 && (week = week_work(c)) == 0)
                return ITSM_TIME_MAX;   /* never open: never due (policies refuse such a week) */
            int64_t k = w > week ? free_weeks(c, d, (w - 1) / week) : 0;
            int64_t last = floordiv(ITSM_TIME_MAX + c->offset, DAY);   /* later days saturate */
            if (k > (last - d) / 7 + 1)
                k = (last - d) / 7 + 1;
            if (k > 0) {
                w -= k * week;
                d += 7 * k - 1;
                continue;
            }
        }
        int wd = weekday(d);
        if (c->start[wd] == c->end[wd] || is_holiday(c, d))
            continue;
        int64_t s = d * DAY + c->start[wd], e = d * DAY + c->end[wd];
        int64_t lo = s > la ? s : la;
        if (e <= lo)
            continue;
        if (e - lo >= w) {
            itsm_time t = lo + w - c->offset;
            return t > ITSM_TIME_MAX ? ITSM_TIME_MAX : t;
        }
        w -= e - lo;
    }
}

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
