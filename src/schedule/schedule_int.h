/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Internal: the change schedule capability (itsm/change.h).
 *
 * Policy section (policy->sect[ITSM__CAP_SCHEDULE]), document member
 * "change_schedule": schedule states, exception types, maintenance windows
 * and blackouts - windows as calendars of the service-level section.
 *
 * Engine state (eng->cap[ITSM__CAP_SCHEDULE]): the planned window of each
 * planned change and the findings raised on it, by record (kit/ptrmap.h);
 * the map's entries are the list the schedule queries walk.
 */
#ifndef ITSM_SRC_SCHEDULE_INT_H
#define ITSM_SRC_SCHEDULE_INT_H

#include "core/core.h"
#include "capabilities.h"
#include "itsm/change.h"
#include "kit/ptrmap.h"

typedef struct itsm__sc_window {
    char *service;
    char *calendar;
} itsm__sc_window;

typedef struct itsm__sc_blackout {
    char     *name;
    itsm_time from, to;       /* ITSM_TIME_NONE with a calendar */
    char     *calendar;       /* NULL: the fixed period */
    char    **services;       /* none: every change */
    size_t    nservices;
} itsm__sc_blackout;

typedef struct itsm__sc_policy {
    char             *states[ITSM_SCHEDULE_MAX_NAMES];
    size_t            nstates;
    char             *exception_types[ITSM_SCHEDULE_MAX_NAMES];
    size_t            nexception_types;
    itsm__sc_window  *windows;
    size_t            nwindows, cwindows;
    itsm__sc_blackout *blackouts;
    size_t            nblackouts, cblackouts;
} itsm__sc_policy;

static inline itsm__sc_policy *itsm__sc_policy_of(const itsm_policy *p)
{
    return (itsm__sc_policy *)p->sect[ITSM__CAP_SCHEDULE];
}

int  itsm__sc_policy_new(void **sect, const itsm_allocator *a);
void itsm__sc_policy_free(void *sect, const itsm_allocator *a);
int  itsm__sc_policy_clone(void **out, const void *src, const itsm_allocator *a);
int  itsm__sc_policy_read(itsm_policy *p, const struct itsm__jval *root, itsm_parse_error *err);
void itsm__sc_policy_write(const itsm_policy *p, struct itsm__jw *w);
void itsm__sc_policy_check(itsm_policy *p);

extern const itsm__capability itsm__cap_schedule;

#endif
