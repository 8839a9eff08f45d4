/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Internal: the problems capability - the problem-record decision, acting
 * on it, and the recurrence index it counts with.
 *
 * Engine state (eng->cap[ITSM__CAP_PROBLEMS]): the recurrence index, per
 * (service, category) the open times of its incidents, sorted, so "N
 * incidents within the window" is a binary search, not a scan of every
 * record. The hooks keep it current: reserve (before the store sees a
 * batch: room so that apply cannot fail) and before_apply (each event just
 * before it applies: it sees the record's old values and the event's new
 * ones). Knowledge search reads it too (incidents resolved on the same
 * service and category).
 *
 * Policy section (policy->sect[ITSM__CAP_PROBLEMS]): the problem rules,
 * document member "problem_rules".
 */
#ifndef ITSM_SRC_PROBLEM_INT_H
#define ITSM_SRC_PROBLEM_INT_H

#include "core/core.h"
#include "capabilities.h"
#include "itsm/problem.h"

typedef struct itsm__prb_policy {
    int      recurrence_count;     /* N (default 3); 0 disables the rule */
    int64_t  recurrence_window;    /* seconds (default 30 days) */
    int      major_review;         /* a major incident always gets a problem review (default 1) */
    int      recurrence_ci;        /* the rule counts per CI too (default 0) */
    int      recurrence_push;      /* the engine proposes problems (src/problem/proposal.c; default 1) */
} itsm__prb_policy;

static inline itsm__prb_policy *itsm__prb_policy_of(const itsm_policy *p)
{
    return (itsm__prb_policy *)p->sect[ITSM__CAP_PROBLEMS];
}

typedef struct itsm__rslot {
    itsm_time    at;
    itsm_record *rec;
} itsm__rslot;

typedef struct itsm__rbucket {
    const char  *service, *category;   /* interned */
    itsm__rslot *v;
    size_t       n, cap;
} itsm__rbucket;

typedef struct itsm__prb {
    itsm__rbucket *b;
    size_t         nb, cb;
    itsm__htab     tab;        /* (service, category) -> position in b */
    int            stale;      /* the index missed something: rebuild before reading */
} itsm__prb;

static inline itsm__prb *itsm__prb_of(const itsm_engine *eng)
{
    return (itsm__prb *)eng->cap[ITSM__CAP_PROBLEMS];
}

/* Make sure the recurrence index is current (rebuild if stale). */
int itsm__prb_index_ready(itsm_engine *eng);
/* The bucket of (service, category), or NULL. Both interned. */
itsm__rbucket *itsm__prb_bucket(itsm__prb *pm, const char *service, const char *category);
/* The first slot of bucket `b` opened at or after `from` (b->n: none). */
size_t itsm__prb_first_at(const itsm__rbucket *b, itsm_time from);
/* Whether incident r is a child of a major incident: another caller's
 * report of the parent's outage, which is the occurrence. */
static inline int itsm__prb_major_child(const itsm_record *r)
{
    for (uint32_t i = 0; i < r->x->nlinks; i++) {
        const itsm_record *t = r->x->links[i].target;
        if (r->x->links[i].kind == ITSM_LINK_PARENT && t->kind == ITSM_KIND_INCIDENT &&
            itsm__rec_num(t, itsm__fields[ITSM_F_MAJOR].slot))
            return 1;
    }
    return 0;
}
/* Whether incident r counts toward recurrence: not when it was closed
 * without a resolution (canceled: logged in error, a duplicate), which
 * is no occurrence of anything, nor when it is a child of a major
 * incident (one outage however many callers report it; its parent counts). */
static inline int itsm__prb_occurrence(const itsm_engine *eng, const itsm_record *r)
{
    return (itsm__rec_num(r, itsm__fields[ITSM_F_RESOLVED_AT].slot) != ITSM_TIME_NONE ||
            !itsm__lc_is_closed(itsm__lifecycle_of(eng, r->kind), r->state)) &&
           !itsm__prb_major_child(r);
}
/* A known error: a problem in the state its known_error or waits_on_change
 * role names (the cause found, a workaround or an explicit none). */
static inline int itsm__prb_is_known_error(const itsm_engine *eng, const itsm_record *r)
{
    return r->kind == ITSM_KIND_PROBLEM && (r->state == itsm__role_ix(eng, ITSM_KIND_PROBLEM, ITSM_ROLE_KNOWN_ERROR) ||
                                           r->state == itsm__role_ix(eng, ITSM_KIND_PROBLEM, ITSM_ROLE_WAITS_ON_CHANGE));
}
/* The problem record that holds incident `r`'s recurrence, or NULL: a
 * related known error, or a related problem whose fix was applied at or
 * after r's opening (r recurred before the fix; the fix answered it). An
 * incident linked to one recurs on a cause already found: the recurrence
 * rule asks no new problem for it (seed 000: both Kepner-Tregoe questions
 * are answered). One opened after the fix is news that it did not hold. */
const itsm_record *itsm__prb_known_error_of(const itsm_engine *eng, const itsm_record *r);
/* The recurrence rule's count: incidents on (s, c) opened within
 * [at - window, at], on configuration item `ci` too when it is not NULL
 * (all three interned), canceled ones left out (itsm__prb_occurrence).
 * ITSM_OK or ITSM_ENOMEM (a stale index rebuilt). */
int itsm__prb_recurrence(size_t *count, itsm_engine *eng, const char *s, const char *c, const char *ci,
                         itsm_time at);

/* A problem record from an incident inside a step (problem.c): the
 * options checked and the id chosen first (nothing built), then the OPEN
 * event carrying the incident's facts, in the batch being built (the
 * caller links, commits or aborts, and remembers the id after commit). */
int itsm__problem_prepare(itsm_engine *eng, const itsm_problem_open_opts *opts, char idbuf[32], const char **id,
                          size_t *idn, uint64_t *seq);
int itsm__problem_build(itsm_record **out, itsm_record *incident, const itsm_problem_open_opts *opts,
                        const char *id, size_t idn, itsm_time at);

extern const itsm__capability itsm__cap_problems;

#endif
