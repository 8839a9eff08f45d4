/* SPDX-License-Identifier: Apache-2.0 */
/* Helpers for the problem, handover and knowledge tests. */
#ifndef ITSM_TEST_PM_HELPERS_H
#define ITSM_TEST_PM_HELPERS_H

#include "support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Open an incident on service/category with a summary. */
static inline itsm_record *pm_incident(fixture *f, const char *service, const char *category, const char *summary)
{
    itsm_change ch[4] = { { ITSM_F_SUMMARY, summary, 0 },
                          { ITSM_F_SERVICE, service, 0 },
                          { ITSM_F_CATEGORY, category, 0 },
                          { ITSM_F_IMPACT, NULL, 2 } };
    itsm_record_opts o = ITSM_RECORD_OPTS_INIT;
    o.kind = ITSM_KIND_INCIDENT;
    o.fields = ch;
    o.nfields = 4;
    itsm_record *r = NULL;
    assert_ok(itsm_record_open(&r, f->eng, &o));
    return r;
}

/* assign -> start -> resolve */
static inline void pm_resolve(itsm_record *r, const char *group, const char *who)
{
    itsm_change g = { ITSM_F_ASSIGNMENT_GROUP, group, 0 };
    itsm_change a = { ITSM_F_ASSIGNEE, who, 0 };
    itsm_change res[2] = { { ITSM_F_RESOLUTION_CODE, "fixed", 0 },
                           { ITSM_F_RESOLUTION_NOTES, "restarted the service", 0 } };
    assert_ok(itsm_record_fire(r, "assign", &g, 1));
    assert_ok(itsm_record_fire(r, "start", &a, 1));
    assert_ok(itsm_record_fire(r, "resolve", res, 2));
}

/* An incident on service/category opened at `at` and resolved (assign,
 * start, resolve): one of a recurrence. */
static inline itsm_record *pm_resolved_at(fixture *f, itsm_time at, const char *service, const char *category)
{
    f->clock.now = at;
    itsm_record *r = pm_incident(f, service, category, "printer jams");
    pm_resolve(r, "desk", "ann");
    return r;
}

/* The problem decision on `r` with the three answers (ITSM_ANSWER_*). */
static inline itsm_decision pm_decide(itsm_record *r, int cause_known, int root_needed, int needs_change)
{
    itsm_decision d = { .size = sizeof d };
    itsm_decision_opts o = ITSM_DECISION_OPTS_INIT;
    o.cause_known = cause_known;
    o.root_cause_needed = root_needed;
    o.fix_needs_change = needs_change;
    assert_ok(itsm_problem_decide(&d, r, &o));
    return d;
}

/* The text of the decision's reason `code`, NULL when it gave none. */
static inline const char *pm_reason_text(const itsm_decision *d, itsm_reason code)
{
    for (size_t i = 0; i < d->nreasons; i++)
        if (d->reasons[i].code == code)
            return d->reasons[i].text;
    return NULL;
}

/* A problem taken to known error: assessed by `who`, analysed, its cause
 * and workaround identified. */
static inline void pm_known_error(itsm_record *prb, const char *who, const char *cause, const char *workaround)
{
    itsm_change a = { ITSM_F_ASSIGNEE, who, 0 };
    assert_ok(itsm_record_fire(prb, "assess", &a, 1));
    assert_ok(itsm_record_fire(prb, "analyse", NULL, 0));
    itsm_change k[2] = { { ITSM_F_CAUSE, cause, 0 }, { ITSM_F_WORKAROUND, workaround, 0 } };
    assert_ok(itsm_record_fire(prb, "identify", k, 2));
}

/* PRB-000001 on payroll/batch, taken to known error: a lock timeout on the
 * ledger table, rerun after 02:00 as the workaround. */
static inline itsm_record *pm_ledger_known_error(fixture *f)
{
    itsm_change ch[] = { { ITSM_F_SUMMARY, "ledger lock", 0 }, { ITSM_F_SERVICE, "payroll", 0 },
                         { ITSM_F_CATEGORY, "batch", 0 } };
    itsm_record_opts o = ITSM_RECORD_OPTS_INIT;
    o.kind = ITSM_KIND_PROBLEM;
    o.id = "PRB-000001";
    o.fields = ch;
    o.nfields = 3;
    itsm_record *ke;
    assert_ok(itsm_record_open(&ke, f->eng, &o));
    pm_known_error(ke, "pat", "lock timeout on the ledger table", "rerun after 02:00");
    return ke;
}

/* Given impact and urgency (so a priority, seed 002: set before the desk
 * dispatches it to the next level). */
static inline void pm_prioritise(itsm_record *r, int impact, int urgency)
{
    itsm_change c[2] = { { ITSM_F_IMPACT, NULL, impact }, { ITSM_F_URGENCY, NULL, urgency } };
    assert_ok(itsm_record_update(r, c, 2));
}

static inline void pm_work(itsm_record *r, const char *group, const char *who)
{
    itsm_change g = { ITSM_F_ASSIGNMENT_GROUP, group, 0 };
    itsm_change a = { ITSM_F_ASSIGNEE, who, 0 };
    assert_ok(itsm_record_fire(r, "assign", &g, 1));
    assert_ok(itsm_record_fire(r, "start", &a, 1));
}

/* The packet's JSON, malloc'd. */
static inline char *pm_packet_json(const itsm_packet *p)
{
    size_t len = 0;
    assert_int_equal(itsm_packet_to_json(p, NULL, 0, &len), ITSM_ELIMIT);
    char *buf = malloc(len + 1);
    assert_ok(itsm_packet_to_json(p, buf, len + 1, &len));
    return buf;
}

static inline char *pm_report(const itsm_engine *eng, itsm_time from, itsm_time to)
{
    size_t len = 0;
    itsm_handover_report_to_json(eng, from, to, NULL, 0, &len);
    char *buf = malloc(len + 1);
    assert_ok(itsm_handover_report_to_json(eng, from, to, buf, len + 1, &len));
    return buf;
}

/* Every proposal of the engine: state, seq, decided_by, JSON. */
static inline char *pm_registry_dump(itsm_engine *eng)
{
    size_t cap = 1 << 16, n = 0;
    char *out = malloc(cap);
    out[0] = '\0';
    for (size_t i = 0; i < itsm_engine_handover_count(eng); i++) {
        itsm_packet *p;
        assert_ok(itsm_engine_handover_at(&p, eng, i));
        char *j = pm_packet_json(p);
        size_t need = strlen(j) + 200;
        while (n + need >= cap)
            out = realloc(out, cap *= 2);
        n += (size_t)snprintf(out + n, cap - n, "%u %d by=%s at=%lld %s\n", itsm_packet_seq(p),
                              (int)itsm_packet_state_of(p), itsm_packet_decided_by(p) ? itsm_packet_decided_by(p) : "-",
                              (long long)itsm_packet_decided_at(p), j);
        free(j);
    }
    char *r = pm_report(eng, ITSM_TIME_MIN, ITSM_TIME_MAX);
    out = realloc(out, n + strlen(r) + 2);
    strcat(out, r);
    free(r);
    return out;
}

/* Replay a memstore into a fresh default engine (kept for inspection). */
static inline itsm_engine *pm_replay(const memstore *s)
{
    itsm_engine *eng;
    assert_int_equal(itsm_engine_new(&eng, NULL), ITSM_OK);
    for (size_t i = 0; i < s->n; i++) {
        itsm_parse_error err;
        int rc = itsm_engine_replay_json(eng, s->events[i], strlen(s->events[i]), &err);
        if (rc != ITSM_OK)
            fail_msg("replay of event %zu failed: %s (%s)\n%s", i, itsm_errname(rc), itsm_errmsg(eng), s->events[i]);
    }
    return eng;
}

#endif
