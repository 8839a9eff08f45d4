/* SPDX-License-Identifier: Apache-2.0 */
/* Calendar arithmetic at the edges of working time (DESIGN.md section 4,
 * itsm/sla.h): the earliest instant rule at the end of a morning span and
 * of the week, touching spans that count as one, nothing to add or count
 * from a closed hour, and a reversed interval that counts nothing. Paris
 * office hours in two spans, 09:00-12:30 and 13:30-18:00 local (CET in
 * March, UTC+1), touching spans on Tuesday. Black-box: the public API. */
#include "sla/sla_support.h"

static itsm_policy *paris(void)
{
    itsm_policy *p;
    assert_ok(itsm_policy_new_default(&p, NULL));
    static const itsm_work_span spans[] = {
        { 0, 9 * HOUR, 12 * HOUR + 30 * MIN }, { 0, 13 * HOUR + 30 * MIN, 18 * HOUR },
        { 1, 12 * HOUR, 17 * HOUR }, { 1, 9 * HOUR, 12 * HOUR },   /* touching, in any order */
        { 4, 9 * HOUR, 16 * HOUR },
    };
    itsm_calendar_def c = ITSM_CALENDAR_DEF_INIT;
    c.name = "paris";
    c.zone = "CET-1CEST,M3.5.0,M10.5.0/3";
    c.spans = spans;
    c.nspans = 5;
    assert_ok(itsm_policy_set_calendar(p, &c));
    return p;
}

static itsm_time add(const itsm_policy *p, itsm_time from, int64_t secs)
{
    itsm_time t;
    assert_ok(itsm_calendar_add(&t, p, "paris", from, secs));
    return t;
}

static int64_t work(const itsm_policy *p, itsm_time from, itsm_time to)
{
    int64_t w;
    assert_ok(itsm_calendar_work(&w, p, "paris", from, to));
    return w;
}

/* T0 is Monday 2 March 2026, 09:00Z = 10:00 CET. */
#define LOCAL(d, h, m) (T0 - HOUR + (d) * DAY + (h) * HOUR - 9 * HOUR + (m) * MIN)

static void a_due_time_ending_with_the_morning_span_is_that_end(void **state)
{
    (void)state;
    itsm_policy *p = paris();
    /* 3.5 h from Monday 09:00 local ends at 12:30, not at 13:30 */
    assert_int_equal(add(p, LOCAL(0, 9, 0), 3 * HOUR + 30 * MIN), LOCAL(0, 12, 30));
    assert_int_equal(add(p, LOCAL(0, 9, 0), 3 * HOUR + 30 * MIN + 1), LOCAL(0, 13, 30) + 1);
    assert_int_equal(work(p, LOCAL(0, 12, 30), LOCAL(0, 13, 30)), 0);
    /* Monday's 8 h end at 18:00; one second more is Tuesday 09:00:01 */
    assert_int_equal(add(p, LOCAL(0, 9, 0), 8 * HOUR), LOCAL(0, 18, 0));
    assert_int_equal(add(p, LOCAL(0, 9, 0), 8 * HOUR + 1), LOCAL(1, 9, 0) + 1);
    itsm_policy_free(p);
}

static void touching_spans_count_as_one_stretch(void **state)
{
    (void)state;
    itsm_policy *p = paris();
    assert_int_equal(work(p, LOCAL(1, 0, 0), LOCAL(2, 0, 0)), 8 * HOUR);
    assert_int_equal(add(p, LOCAL(1, 11, 0), 2 * HOUR), LOCAL(1, 13, 0));
    assert_int_equal(work(p, LOCAL(1, 11, 59), LOCAL(1, 12, 1)), 2 * MIN);
    itsm_policy_free(p);
}

/* From Friday 16:00 local (after the short Friday) the week's working time
 * resumes Monday 09:00; nothing is counted in between, and a reversed
 * interval counts nothing. */
static void a_closed_stretch_and_a_reversed_interval_count_nothing(void **state)
{
    (void)state;
    itsm_policy *p = paris();
    assert_int_equal(work(p, LOCAL(4, 16, 0), LOCAL(7, 9, 0)), 0);
    assert_int_equal(add(p, LOCAL(4, 16, 0), 1), LOCAL(7, 9, 0) + 1);
    assert_int_equal(work(p, LOCAL(0, 12, 0), LOCAL(0, 10, 0)), 0);
    assert_int_equal(work(p, LOCAL(0, 10, 0), LOCAL(0, 10, 0)), 0);
    itsm_policy_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_due_time_ending_with_the_morning_span_is_that_end),
        cmocka_unit_test(touching_spans_count_as_one_stretch),
        cmocka_unit_test(a_closed_stretch_and_a_reversed_interval_count_nothing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
