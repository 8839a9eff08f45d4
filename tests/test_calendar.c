/* SPDX-License-Identifier: Apache-2.0 */
/* Calendars: working time counted exactly (DESIGN.md section 4). */
#include "sla/sla_support.h"
#include "sla/sla_int.h"

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

/* ---- whole-week skipping against the day-by-day method ---- */

/* The day-by-day reference: the implementation before whole weeks were
 * skipped, kept here to check the fast one against. */
static int64_t ref_floordiv(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

static int ref_weekday(int64_t day) { return (int)(((day % 7) + 7 + 3) % 7); }

static int ref_holiday(const itsm__cal *c, int64_t day)
{
    for (size_t i = 0; i < c->nhol; i++)
        if (c->hol[i] == day)
            return 1;
    return 0;
}

static int64_t ref_work(const itsm__cal *c, itsm_time a, itsm_time b)
{
    if (b <= a)
        return 0;
    int64_t la = a + c->offset, lb = b + c->offset, total = 0;
    for (int64_t d = ref_floordiv(la, DAY); d * DAY < lb; d++) {
        int w = ref_weekday(d);
        if (c->start[w] == c->end[w] || ref_holiday(c, d))
            continue;
        int64_t s = d * DAY + c->start[w], e = d * DAY + c->end[w];
        int64_t lo = s > la ? s : la, hi = e < lb ? e : lb;
        if (hi > lo)
            total += hi - lo;
    }
    return total;
}

static itsm_time ref_add(const itsm__cal *c, itsm_time a, int64_t w)
{
    if (w <= 0)
        return a;
    int64_t la = a + c->offset;
    for (int64_t d = ref_floordiv(la, DAY);; d++) {
        if (d * DAY - c->offset > ITSM_TIME_MAX)
            return ITSM_TIME_MAX;
        int wd = ref_weekday(d);
        if (c->start[wd] == c->end[wd] || ref_holiday(c, d))
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

static uint64_t rng_state = 0x9e3779b97f4a7c15u;
static uint64_t rnd(uint64_t n)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return n ? rng_state % n : 0;
}

static int cmp_day(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* A random calendar: some closed weekdays, odd hours, an offset, and
 * holidays both scattered and in runs (a closed fortnight). */
static void random_cal(itsm__cal *c, int64_t *hol, size_t cap, int64_t base_day)
{
    memset(c, 0, sizeof *c);
    c->offset = (int32_t)rnd(100801) - 50400;
    int open = 0;
    for (int d = 0; d < 7; d++) {
        if (rnd(3) == 0)
            continue;
        int32_t s = (int32_t)rnd(86400), e = s + 1 + (int32_t)rnd((uint64_t)(86400 - s));
        if (rnd(5) == 0) {
            s = 0;
            e = 86400;
        }
        c->start[d] = s;
        c->end[d] = e;
        open = 1;
    }
    if (!open) {
        c->start[2] = 9 * HOUR;
        c->end[2] = 17 * HOUR;
    }
    size_t n = rnd(cap / 2);
    for (size_t i = 0; i < n; i++)
        hol[i] = base_day + (int64_t)rnd(3 * 365);
    if (rnd(2) && n + 14 <= cap) {
        int64_t from = base_day + (int64_t)rnd(365);
        for (int i = 0; i < 14; i++)
            hol[n++] = from + i;
    }
    qsort(hol, n, sizeof *hol, cmp_day);
    size_t u = 0;
    for (size_t i = 0; i < n; i++)
        if (u == 0 || hol[u - 1] != hol[i])
            hol[u++] = hol[i];
    c->hol = hol;
    c->nhol = u;
}

static void week_skipping_matches_day_by_day(void **state)
{
    (void)state;
    int64_t hol[80];
    const int64_t base = T0 / DAY - 200;
    for (int round = 0; round < 3000; round++) {
        itsm__cal c;
        random_cal(&c, hol, sizeof hol / sizeof *hol, base);
        itsm_time a = (base + (int64_t)rnd(3 * 365)) * DAY + (itsm_time)rnd(DAY);
        if (rnd(4) == 0)
            a -= a % DAY;   /* start on a day boundary (UTC) */
        int64_t w = rnd(4) == 0 ? (int64_t)rnd(3 * DAY) : (int64_t)rnd(400LL * 8 * HOUR);
        itsm_time got = itsm__cal_add(&c, a, w), want = ref_add(&c, a, w);
        if (got != want)
            fail_msg("round %d: add(%lld, %lld) = %lld, day by day %lld", round, (long long)a,
                     (long long)w, (long long)got, (long long)want);
        itsm_time b = a + (itsm_time)rnd(4 * 365LL * DAY);
        int64_t gw = itsm__cal_work(&c, a, b), ww = ref_work(&c, a, b);
        if (gw != ww)
            fail_msg("round %d: work(%lld, %lld) = %lld, day by day %lld", round, (long long)a,
                     (long long)b, (long long)gw, (long long)ww);
        /* the two agree with each other: work up to the due time is w */
        if (want < ITSM_TIME_MAX)
            assert_int_equal(itsm__cal_work(&c, a, got), w);
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
        cmocka_unit_test(week_skipping_matches_day_by_day),
        cmocka_unit_test(target_spanning_twenty_years),
        cmocka_unit_test(saturates_at_year_9999),
        cmocka_unit_test(all_closed_calendar_is_never_due),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
