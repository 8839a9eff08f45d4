/* SPDX-License-Identifier: Apache-2.0 */
/* Helpers of the report tests (tests/test_report_*.c) that tell a story
 * at given times: records opened, started and resolved at an instant (the
 * virtual clock set there first), and a week's trend row checked. */
#ifndef ITSM_TEST_REPORT_STORY_H
#define ITSM_TEST_REPORT_STORY_H

#include "support.h"

#include <itsm/report.h>

/* A record of `kind` opened at `at` with id `id`, a summary, category
 * `cat` (NULL: none) and, when `impact` is not 0, impact and urgency. */
static inline itsm_record *story_open_at(fixture *f, itsm_time at, itsm_kind kind, const char *id, const char *cat,
                                         int impact, int urgency)
{
    itsm_change ch[4];
    size_t n = 0;
    ch[n++] = (itsm_change){ ITSM_F_SUMMARY, "s", 0 };
    if (cat)
        ch[n++] = (itsm_change){ ITSM_F_CATEGORY, cat, 0 };
    if (impact) {
        ch[n++] = (itsm_change){ ITSM_F_IMPACT, NULL, impact };
        ch[n++] = (itsm_change){ ITSM_F_URGENCY, NULL, urgency };
    }
    itsm_record_opts o = ITSM_RECORD_OPTS_INIT;
    o.kind = kind;
    o.id = id;
    o.fields = ch;
    o.nfields = n;
    f->clock.now = at;
    itsm_record *r;
    assert_ok(itsm_record_open(&r, f->eng, &o));
    return r;
}

/* Taken up at `at` by ann of the desk: the first response. */
static inline void story_start_at(fixture *f, itsm_record *r, itsm_time at)
{
    itsm_change ch[2] = { { ITSM_F_ASSIGNMENT_GROUP, "desk", 0 }, { ITSM_F_ASSIGNEE, "ann", 0 } };
    f->clock.now = at;
    assert_ok(itsm_record_fire(r, "start", ch, 2));
}

/* Resolved at `at`, with a code and notes. */
static inline void story_resolve_at(fixture *f, itsm_record *r, itsm_time at)
{
    itsm_change ch[2] = { { ITSM_F_RESOLUTION_CODE, "fixed", 0 }, { ITSM_F_RESOLUTION_NOTES, "done", 0 } };
    f->clock.now = at;
    assert_ok(itsm_record_fire(r, "resolve", ch, 2));
}

/* Trend row `i` is week `week`, category `cat` (NULL: none), with
 * `opened` openings and `resolved` resolutions. */
static inline void assert_trend(const itsm_report *r, size_t i, itsm_time week, const char *cat, size_t opened,
                                size_t resolved)
{
    itsm_report_trend t = { .size = sizeof t };
    assert_ok(itsm_report_trend_at(r, i, &t));
    assert_int_equal(t.week, week);
    if (cat)
        assert_string_equal(t.category, cat);
    else
        assert_null(t.category);
    assert_int_equal(t.opened, opened);
    assert_int_equal(t.resolved, resolved);
}

#endif
