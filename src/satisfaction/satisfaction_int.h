/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Internal: the satisfaction capability (itsm/satisfaction.h).
 *
 * Policy section (policy->sect[ITSM__CAP_SATISFACTION]), document member
 * "satisfaction": the survey scale.
 *
 * Engine state (eng->cap[ITSM__CAP_SATISFACTION]): the answers, found by
 * record through the kit's pointer map. An answer is the payload of its
 * event: applying the event hands it to the map, so nothing is copied.
 */
#ifndef ITSM_SRC_SATISFACTION_INT_H
#define ITSM_SRC_SATISFACTION_INT_H

#include "core/core.h"
#include "capabilities.h"
#include "itsm/satisfaction.h"
#include "kit/ptrmap.h"

typedef struct itsm__sat_policy {
    int min, max;
} itsm__sat_policy;

static inline itsm__sat_policy *itsm__sat_policy_of(const itsm_policy *p)
{
    return (itsm__sat_policy *)p->sect[ITSM__CAP_SATISFACTION];
}

int  itsm__sat_policy_new(void **sect, const itsm_allocator *a);
void itsm__sat_policy_free(void *sect, const itsm_allocator *a);
int  itsm__sat_policy_clone(void **out, const void *src, const itsm_allocator *a);
int  itsm__sat_policy_read(itsm_policy *p, const struct itsm__jval *root, itsm_parse_error *err);
void itsm__sat_policy_write(const itsm_policy *p, struct itsm__jw *w);
extern const char *const itsm__sat_policy_keys[];

/* An answer: the event's payload, then the map's entry. */
typedef struct itsm__sat_answer {
    const itsm_record *rec;       /* the key (kit/ptrmap.h) */
    int                score;
    char              *comment;   /* owned; NULL: none */
    const char        *by;        /* interned: the event's actor; NULL: none */
    itsm_time          at;        /* the event's time */
    int                kept;      /* applied: the map owns it */
} itsm__sat_answer;

/* The engine state: record -> itsm__sat_answer (itsm__cap_map_init). */
static inline itsm__ptrmap *itsm__sat_answers(const itsm_engine *eng)
{
    return (itsm__ptrmap *)eng->cap[ITSM__CAP_SATISFACTION];
}

extern const itsm__capability itsm__cap_satisfaction;

#endif
