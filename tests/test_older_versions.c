/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Structs of an older version than the library's (common.h, "How the ABI
 * grows"): a program built against the first release of a struct passes
 * it at that version and that size. The library reads only the members
 * that version has, gives the later ones their defaults (a call replacing
 * settings the policy has leaves them as they are), and writes back only
 * the members that version has: the bytes past it are the caller's.
 */
#include "support.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

/* The report options as version 1 declared them. */
typedef struct report_opts_v1 {
    unsigned    version;
    itsm_time   from, to, now;
    unsigned    kinds;
    const char *calendar;
} report_opts_v1;

/* The problem rules as version 1 declared them. */
typedef struct problem_rules_v1 {
    unsigned version;
    int      recurrence_count;
    int64_t  recurrence_window;
    int      major_review;
} problem_rules_v1;

static void report_options_of_version_1_have_no_filter_and_no_grouping(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record_opts ro = ITSM_RECORD_OPTS_INIT;
    itsm_record *r;
    assert_ok(itsm_record_open(&r, f.eng, &ro));
    ro.kind = ITSM_KIND_PROBLEM;
    assert_ok(itsm_record_open(&r, f.eng, &ro));

    /* on the heap at exactly its old size: a read past it is caught by
     * AddressSanitizer */
    report_opts_v1 *o = calloc(1, sizeof *o);
    assert_non_null(o);
    o->version = 1;
    o->from = ITSM_TIME_MIN;
    o->to = ITSM_TIME_MAX;
    o->now = ITSM_TIME_NONE;
    o->kinds = ITSM_REPORT_KIND(ITSM_KIND_INCIDENT);
    itsm_report *rep;
    assert_ok(itsm_report_new(&rep, f.eng, (const itsm_report_opts *)o));
    assert_int_equal(itsm_report_total(rep), 1);
    assert_null(itsm_report_filter(rep));
    assert_null(itsm_report_group_by(rep));
    assert_int_equal(itsm_report_group_count(rep), 0);
    itsm_report_free(rep);
    free(o);

    /* init of version 1 writes version 1's members and nothing past them */
    itsm_report_opts full;
    memset(&full, 0xAB, sizeof full);
    assert_ok(itsm_report_opts_init(&full, 1));
    assert_int_equal(full.version, 1);
    assert_int_equal(full.from, ITSM_TIME_MIN);
    assert_null(full.calendar);
    const unsigned char *tail = (const unsigned char *)&full + offsetof(itsm_report_opts, filter);
    for (size_t i = 0; i < sizeof full - offsetof(itsm_report_opts, filter); i++)
        assert_int_equal(tail[i], 0xAB);
    fixture_close(&f);
}

static void problem_rules_of_version_1_replace_only_the_members_it_has(void **state)
{
    (void)state;
    itsm_policy *p;
    assert_ok(itsm_policy_new_default(&p, NULL));
    itsm_problem_rules v2 = ITSM_PROBLEM_RULES_INIT;
    v2.recurrence_ci = 1;
    v2.recurrence_push = 0;
    assert_ok(itsm_policy_set_problem_rules(p, &v2));

    /* a version 1 caller replaces the members it has; the later ones keep
     * what the policy says (problem.h) */
    problem_rules_v1 *old = calloc(1, sizeof *old);
    assert_non_null(old);
    old->version = 1;
    old->recurrence_count = 5;
    old->recurrence_window = 7 * 86400;
    old->major_review = 0;
    assert_ok(itsm_policy_set_problem_rules(p, (const itsm_problem_rules *)old));
    itsm_problem_rules back = ITSM_PROBLEM_RULES_INIT;
    assert_ok(itsm_policy_problem_rules(&back, p));
    assert_int_equal(back.recurrence_count, 5);
    assert_int_equal(back.recurrence_window, 7 * 86400);
    assert_int_equal(back.major_review, 0);
    assert_int_equal(back.recurrence_ci, 1);
    assert_int_equal(back.recurrence_push, 0);

    /* reading into a version 1 struct writes its members only */
    itsm_problem_rules room;
    memset(&room, 0xAB, sizeof room);
    room.version = 1;
    assert_ok(itsm_policy_problem_rules(&room, p));
    assert_int_equal(room.recurrence_count, 5);
    const unsigned char *tail = (const unsigned char *)&room + offsetof(itsm_problem_rules, recurrence_ci);
    for (size_t i = 0; i < sizeof room - offsetof(itsm_problem_rules, recurrence_ci); i++)
        assert_int_equal(tail[i], 0xAB);
    memset(&room, 0xAB, sizeof room);
    assert_ok(itsm_problem_rules_init(&room, 1));
    assert_int_equal(room.recurrence_count, 3);
    for (size_t i = 0; i < sizeof room - offsetof(itsm_problem_rules, recurrence_ci); i++)
        assert_int_equal(tail[i], 0xAB);
    free(old);
    itsm_policy_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(report_options_of_version_1_have_no_filter_and_no_grouping),
        cmocka_unit_test(problem_rules_of_version_1_replace_only_the_members_it_has),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
