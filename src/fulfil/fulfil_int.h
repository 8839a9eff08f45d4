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

extern const itsm__capability itsm__cap_fulfilment;

#endif
