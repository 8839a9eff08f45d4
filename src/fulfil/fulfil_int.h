/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Internal: the request fulfilment capability (itsm/request.h).
 *
 * Policy section (policy->sect[ITSM__CAP_FULFILMENT]), document member
 * "fulfilment": the state that generates tasks, the event the last task
 * fires, and the service catalogue.
 *
 * Engine state (eng->cap[ITSM__CAP_FULFILMENT]): per service request with
 * an item or tasks, the item and its tasks, by record (kit/ptrmap.h).
 * Tasks are sub-records of their request rather than records of a kind of
 * their own: they have no lifecycle, fields or links of their own to
 * carry, they cannot outlive their request, and every change to them is
 * an event on the request, so the request's revision orders them with its
 * own steps and a replay rebuilds them (docs/requests.md).
 */
#ifndef ITSM_SRC_FULFIL_INT_H
#define ITSM_SRC_FULFIL_INT_H

#include "core/core.h"
#include "capabilities.h"
#include "itsm/request.h"
#include "kit/ptrmap.h"

/* ---- policy section ---- */

typedef struct itsm__ff_task_def {
    char   *name;
    char   *group;
    int     step;         /* 1.. */
    int     priority;     /* 1..5; 0: none */
    int64_t ola;          /* minutes; 0: none */
} itsm__ff_task_def;

typedef struct itsm__ff_item {
    char              *name;
    itsm__ff_task_def *t;
    size_t             n;
} itsm__ff_item;

typedef struct itsm__ff_policy {
    char          *state;      /* entering it generates the tasks */
    char          *complete;   /* the event the last task fires */
    itsm__ff_item *items;
    size_t         n, c;
} itsm__ff_policy;

static inline itsm__ff_policy *itsm__ff_policy_of(const itsm_policy *p)
{
    return (itsm__ff_policy *)p->sect[ITSM__CAP_FULFILMENT];
}

const itsm__ff_item *itsm__ff_item_find(const itsm__ff_policy *fp, const char *name);

int  itsm__ff_policy_new(void **sect, const itsm_allocator *a);
void itsm__ff_policy_free(void *sect, const itsm_allocator *a);
int  itsm__ff_policy_clone(void **out, const void *src, const itsm_allocator *a);
int  itsm__ff_policy_read(itsm_policy *p, const struct itsm__jval *root, itsm_parse_error *err);
void itsm__ff_policy_write(const itsm_policy *p, struct itsm__jw *w);
void itsm__ff_policy_check(itsm_policy *p);

/* ---- a request's tasks, as the engine keeps them ---- */

typedef struct ff_task {
    const char     *name, *group, *assignee;   /* interned; assignee NULL: none */
    int             step, priority;
    int64_t         ola;                       /* minutes; 0: none */
    itsm_task_state state;
    itsm_time       opened_at, due, closed_at;
} ff_task;

typedef struct ff_rec {
    const itsm_record *rec;    /* the key (kit/ptrmap.h) */
    const char        *item;   /* interned; NULL: none chosen */
    ff_task           *t;      /* NULL until generated */
    size_t             n;
} ff_rec;

/* The engine state: record -> ff_rec (itsm__cap_map_init). */
static inline itsm__ptrmap *itsm__ff_recs(const itsm_engine *eng)
{
    return (itsm__ptrmap *)eng->cap[ITSM__CAP_FULFILMENT];
}
static inline int itsm__ff_closed(itsm_task_state s) { return s == ITSM_TASK_DONE || s == ITSM_TASK_CANCELED; }

/* The record's tasks, or NULL when it has none. */
ff_rec  *itsm__ff_rec_of(const itsm_engine *eng, const itsm_record *r);
/* The record's state, made if need be before the step commits (an empty
 * one means what none does). NULL on ENOMEM. */
ff_rec  *itsm__ff_rec_reserve(itsm_engine *eng, const itsm_record *r);
ff_task *itsm__ff_task_find(const ff_rec *fr, const char *name);
/* Open the first step that is not closed, at `at`: its waiting tasks
 * become open and due their OLA target later. */
void     itsm__ff_open_step(ff_rec *fr, itsm_time at);

/* ---- the events (fulfil_event.c) ---- */

enum { FF_ACT_ASSIGN = 0, FF_ACT_DONE, FF_ACT_CANCEL };

typedef struct ff_item_ext { const char *item; } ff_item_ext;
/* The event keeps its list for the sink (which reads it after apply);
 * apply moves `own`, a copy made when the event was built, into the
 * record. */
typedef struct ff_tasks_ext { const char *item; ff_task *t, *own; size_t n; } ff_tasks_ext;
typedef struct ff_task_ext {
    const char *name, *assignee;   /* interned */
    int         action;
    char       *note;              /* owned; NULL: none */
} ff_task_ext;

extern const itsm__evclass itsm__ff_evc_item, itsm__ff_evc_tasks, itsm__ff_evc_task;

extern const itsm__capability itsm__cap_fulfilment;

#endif
