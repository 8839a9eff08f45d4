/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Internal: the approvals capability (itsm/approval.h).
 *
 * Policy section (policy->sect[ITSM__CAP_APPROVALS]), document member
 * "approvals": approver groups and rules, in order.
 *
 * Engine state (eng->cap[ITSM__CAP_APPROVALS]): for every record of a kind
 * some rule names (and every record an approval event was replayed on),
 * who opened it, when its round opened, and the round's decisions, found
 * by record through a hash table. Records of other kinds carry nothing.
 */
#ifndef ITSM_SRC_APPROVAL_INT_H
#define ITSM_SRC_APPROVAL_INT_H

#include "core/core.h"
#include "capabilities.h"
#include "itsm/approval.h"
#include "kit/ptrmap.h"

/* ---- policy section ---- */

typedef struct itsm__ap_group {
    char   *name;
    char  **members;
    size_t  n;
} itsm__ap_group;

typedef struct itsm__ap_level {
    char    *name;
    char   **people;
    size_t   npeople;
    char    *group;          /* NULL: none */
    int      mode;           /* itsm_approval_mode */
    unsigned quorum;
    int      exception;
} itsm__ap_level;

typedef struct itsm__ap_rule {
    char          *name;
    int            kind;
    char         **change_types;
    size_t         nchange_types;
    char         **risks;
    size_t         nrisks;
    char          *state;    /* NULL: the round opens with the record */
    itsm__ap_level levels[ITSM_APPROVAL_MAX_LEVELS];
    size_t         nlevels;
    unsigned       separation;
} itsm__ap_rule;

typedef struct itsm__ap_policy {
    itsm__ap_group *groups;
    size_t          ngroups, cgroups;
    itsm__ap_rule  *rules;
    size_t          nrules, crules;
} itsm__ap_policy;

static inline itsm__ap_policy *itsm__ap_policy_of(const itsm_policy *p)
{
    return (itsm__ap_policy *)p->sect[ITSM__CAP_APPROVALS];
}

const itsm__ap_group *itsm__ap_group_find(const itsm__ap_policy *ap, const char *name);
/* 1 when some rule applies to records of `kind`. */
int itsm__ap_kind_has_rules(const itsm__ap_policy *ap, int kind);

int  itsm__ap_policy_new(void **sect, const itsm_allocator *a);
void itsm__ap_policy_free(void *sect, const itsm_allocator *a);
int  itsm__ap_policy_clone(void **out, const void *src, const itsm_allocator *a);
int  itsm__ap_policy_read(itsm_policy *p, const struct itsm__jval *root, itsm_parse_error *err);
void itsm__ap_policy_write(const itsm_policy *p, struct itsm__jw *w);
void itsm__ap_policy_check(itsm_policy *p);

/* ---- engine state ---- */

typedef struct itsm__ap_decision {
    int         verdict;     /* itsm_approval_verdict */
    const char *rule;        /* interned */
    const char *level;       /* interned */
    const char *by;          /* interned */
    const char *to;          /* interned; delegate only */
    char       *comment;     /* owned; NULL: none */
    itsm_time   at;
} itsm__ap_decision;

typedef struct itsm__ap_rec {
    const itsm_record *rec;         /* the key (kit/ptrmap.h) */
    const char        *opener;      /* interned: the actor of the open event; NULL: none */
    itsm_time          round_at;    /* ITSM_TIME_NONE: no round yet */
    itsm_time          decided_at;  /* the round's completion; ITSM_TIME_NONE: pending */
    const char        *rejected_under;  /* interned: the rule a decision rejected the round under;
                                         * NULL: none this round (itsm__ap_kept_rejection) */
    itsm__ap_decision *d;
    size_t             n, cap;
} itsm__ap_rec;

typedef struct itsm__ap {
    unsigned       kinds;        /* bits (1u << kind) of kinds some rule names: the others cost nothing */
    itsm__ptrmap   recs;         /* record -> itsm__ap_rec */
    itsm__ap_rec **spare;        /* allocated ahead by reserve, taken by apply */
    size_t         nspare, cspare;
} itsm__ap;

static inline itsm__ap *itsm__ap_of(const itsm_engine *eng)
{
    return (itsm__ap *)eng->cap[ITSM__CAP_APPROVALS];
}

/* The record's approval state, or NULL. */
itsm__ap_rec *itsm__ap_rec_of(const itsm_engine *eng, const itsm_record *r);

/* The rule that applies to `r` as step `ev` would leave it (ev may be an
 * event with no changes), or NULL. */
const itsm__ap_rule *itsm__ap_rule_for(const itsm_engine *eng, const itsm_record *r, const itsm_event *ev);

/* The change schedule's exception: 1 when an exception level of the rule
 * that applies to `r` (as step `ev` would leave it) is approved. *rule
 * gets that rule's name (NULL: none applies), *level its first exception
 * level's name (NULL: it has none). */
int itsm__ap_exception_approved(const itsm_engine *eng, const itsm_record *r, const itsm_event *ev,
                                const char **rule, const char **level);

/* The round's start and completion, for the reports: ITSM_OK with both
 * set when the record's round was decided (approved or rejected), else
 * ITSM_ENOTFOUND. */
int itsm__ap_lead(const itsm_engine *eng, const itsm_record *r, itsm_time *requested, itsm_time *decided);

/* ---- the tally (approval_tally.c) ---- */

/* Who separation of duties excludes, as the step would leave the record. */
typedef struct itsm__ap_sod {
    const char *requester, *implementer;
} itsm__ap_sod;
itsm__ap_sod itsm__ap_sod_of(const itsm_engine *eng, const itsm_record *r, const itsm_event *ev,
                             const itsm__ap_rule *rule);
/* "requester", "implementer" or NULL. */
const char *itsm__ap_excluded(const itsm__ap_sod *s, const char *who);
/* The position of the level of that name in the rule, or -1. */
long itsm__ap_level_index(const itsm__ap_rule *rule, const char *name);
/* The named approvers of a level (people, then group members not named),
 * without duplicates, into out[2 * ITSM_APPROVAL_MAX_PEOPLE]; the count. */
size_t itsm__ap_level_people(const itsm_engine *eng, const itsm__ap_level *l, const char **out);
/* The decision `who` took at `level`, or NULL. */
const itsm__ap_decision *itsm__ap_decision_of(const itsm__ap_rec *ar, const char *level, const char *who);

typedef struct itsm__ap_tally {
    int         status;         /* itsm_level_status */
    size_t      approvals, rejections, needed;
    size_t      voters;         /* eligible named approvers; 0: open to anyone */
    int         open;           /* open to anyone */
    const char *void_by;        /* a decision that does not count, and why */
    const char *void_role;
    const itsm__ap_decision *rejected_by;   /* the latest rejection */
} itsm__ap_tally;
void itsm__ap_tally_level(const itsm_engine *eng, const itsm__ap_rec *ar, const itsm__ap_level *l,
                          const itsm__ap_sod *s, itsm__ap_tally *t);
/* The rule's itsm_approval_status and its first required level not
 * approved (or -1) in *current. */
int itsm__ap_rule_status(const itsm_engine *eng, const itsm__ap_rec *ar, const itsm__ap_rule *rule,
                         const itsm__ap_sod *s, long *current);
/* A rejection the round keeps after the rule that applies changed (a
 * reclassification or a re-assessment): the rule the round was rejected
 * under, re-tallied with the record's people as step `ev` would leave
 * them, still rejects it, and it is not `now` (whose own tally says so).
 * Decisions carry over between rules by level name, so without this a
 * rejection at a level the new rule lacks would drop out. A rejecting
 * decision of the level that rejected it, or NULL. */
const itsm__ap_decision *itsm__ap_kept_rejection(const itsm_engine *eng, const itsm__ap_rec *ar,
                                                 const itsm_record *r, const itsm_event *ev,
                                                 const itsm__ap_rule *now);
/* The guard kind "approved:all|N|LEVEL". */
extern const itsm__guard_kind itsm__ap_guard_approved;

extern const itsm__capability itsm__cap_approvals;

#endif
