/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Internal: the on-call capability (itsm/oncall.h, docs/oncall.md).
 *
 * Policy section (policy->sect[ITSM__CAP_ONCALL], document member
 * "oncall"): the escalation policies and the alert grouping window.
 *
 * Engine state (eng->cap[ITSM__CAP_ONCALL]): per incident that was paged or
 * took in an alert, its climb and alert count (a map by record: other
 * records pay nothing); the deduplication and grouping indexes (maps by
 * interned key). A page's acknowledge deadline is one more timer of the
 * service levels' queue: a paging incident carries ITSM__SF_PAGED in its
 * timer state, the re-plan asks itsm__oncall_due, and the tick fires it
 * through itsm__oncall_fire (sla/sla.c, sla/tick.c). All of it is a
 * function of the applied events, so replay rebuilds it.
 */
#ifndef ITSM_SRC_ONCALL_INT_H
#define ITSM_SRC_ONCALL_INT_H

#include "core/core.h"
#include "capabilities.h"
#include "itsm/oncall.h"
#include "kit/ptrmap.h"

/* ---- policy section ---- */

typedef struct itsm__ocstep {
    char    *targets[ITSM_ONCALL_MAX_TARGETS];
    size_t   ntargets;
    uint32_t timeout;                               /* seconds */
} itsm__ocstep;

typedef struct itsm__ocpol {
    char        *name;
    itsm__ocstep steps[ITSM_ONCALL_MAX_STEPS];
    size_t       nsteps;
    unsigned     repeat;
    char        *services[ITSM_ONCALL_MAX_SERVICES];
    size_t       nservices;
    int          max_priority;
} itsm__ocpol;

typedef struct itsm__ocsect {
    itsm__ocpol *pols;
    size_t       n, cap;
    uint32_t     window;                            /* seconds; 0: no grouping */
} itsm__ocsect;

static inline itsm__ocsect *itsm__ocs(const itsm_policy *p)
{
    return (itsm__ocsect *)p->sect[ITSM__CAP_ONCALL];
}

/* oncall_policy.c: the section's hooks. */
extern const char *const itsm__oc_policy_keys[];
int  itsm__oc_policy_new(void **sect, const itsm_allocator *a);
void itsm__oc_policy_free(void *sect, const itsm_allocator *a);
int  itsm__oc_policy_clone(void **out, const void *src, const itsm_allocator *a);
int  itsm__oc_policy_read(itsm_policy *p, const struct itsm__jval *root, itsm_parse_error *err);
void itsm__oc_policy_write(const itsm_policy *p, struct itsm__jw *w);
void itsm__oc_policy_check(itsm_policy *p);
int  itsm__oc_find(const itsm__ocsect *s, const char *name);
/* Whether `name` is a target of some step of policy `pol`. */
int  itsm__oc_is_target(const itsm__ocpol *pol, const char *name);

/* ---- engine state ---- */

/* A record's climb and alerts. */
typedef struct itsm__ocrec {
    const itsm_record *rec;      /* the key (kit/ptrmap.h) */
    int          pol;            /* policy index when paged; -1: never paged */
    const char  *polname;        /* interned: its name (a policy adopted later may move it) */
    uint8_t      status;         /* itsm_oncall_status */
    uint8_t      step, round;    /* 1-based, of the last page */
    uint32_t     pages, alerts;
    itsm_time    due, acked_at;
    const char  *acked_by;       /* interned */
} itsm__ocrec;

/* An entry of the deduplication or grouping index. */
typedef struct itsm__ockey {
    const char  *key;            /* interned: the map's key */
    itsm_record *rec;
    itsm_time    at;             /* grouping: when the alert opened rec */
} itsm__ockey;

typedef struct itsm__oceng {
    itsm__ptrmap recs;           /* record -> itsm__ocrec */
    itsm__ptrmap keys;           /* dedup key -> itsm__ockey */
    itsm__ptrmap groups;         /* group key -> itsm__ockey */
    size_t       paging;         /* records whose status is PAGING */
} itsm__oceng;

static inline itsm__oceng *itsm__oce(const itsm_engine *eng)
{
    return (itsm__oceng *)eng->cap[ITSM__CAP_ONCALL];
}

/* The payload of every event class of the capability. */
enum { ITSM__OC_PAGE = 0, ITSM__OC_ACK, ITSM__OC_EXHAUSTED, ITSM__OC_ALERT, ITSM__OC_COUNT };
typedef struct itsm__ocev {
    int          cls;                               /* ITSM__OC_* */
    int          pol;                               /* page, exhausted */
    const char  *polname;                           /* page, exhausted: interned */
    unsigned     step, round;                       /* page: 1-based; exhausted: round = rounds */
    itsm_time    due;                               /* page */
    const char  *targets[ITSM_ONCALL_MAX_TARGETS];  /* page; interned */
    unsigned     ntargets;
    const char  *by;                                /* ack; interned */
    const char  *key, *group;                       /* alert; interned (group may be NULL) */
    uint32_t     count;                             /* alert: the incident's alerts with this one */
    int          outcome;                           /* alert: itsm_alert_outcome */
    itsm__ocrec *fresh;                             /* reserved entries, owned until applied */
    itsm__ockey *fresh_key, *fresh_group;
} itsm__ocev;

extern const struct itsm__evclass itsm__occlasses[ITSM__OC_COUNT];

/* A new event of class `cls` on `r` in the batch being built, with a zeroed
 * payload; NULL on ENOMEM (message set). */
itsm_event  *itsm__oc_event(itsm_engine *eng, int cls, itsm_record *r, itsm_time at, itsm__ocev **x);
itsm__ocrec *itsm__oc_rec(const itsm_engine *eng, const itsm_record *r);
/* Open and not in a stop state (resolved, closed): where a climb runs and
 * alerts attach. */
int          itsm__oc_live(const itsm_engine *eng, const itsm_record *r);

/* The service levels' queue (sla/sla.c, sla/tick.c): the acknowledge
 * deadline of a paging incident, and the tick's step when it passes: the
 * next step's page, or exhaustion, added at `at` to the batch being built. */
itsm_time    itsm__oncall_due(const itsm_engine *eng, const itsm_record *r);
int          itsm__oncall_fire(itsm_engine *eng, itsm_record *r, itsm_time at);
/* Applying one of the capability's events (their classes' apply). */
void         itsm__oc_apply(itsm_engine *eng, itsm_event *ev);

/* Alert intake's reserve (alert.c): entries for the batch's alert events. */
int          itsm__oc_alert_reserve(itsm_engine *eng, itsm_event *ev, itsm__ocev *x);
void         itsm__oc_alert_apply(itsm_engine *eng, itsm_event *ev, itsm__ocev *x);

extern const itsm__capability itsm__cap_oncall;

#endif
