/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Internal: the risk assessment capability (itsm/change.h).
 *
 * Policy section (policy->sect[ITSM__CAP_RISK]), document member
 * "risk_assessment": the kinds assessed, the questionnaire and the levels.
 *
 * Engine state (eng->cap[ITSM__CAP_RISK]): the answers in force per
 * assessed record, by record (kit/ptrmap.h).
 */
#ifndef ITSM_SRC_RISK_INT_H
#define ITSM_SRC_RISK_INT_H

#include "core/core.h"
#include "capabilities.h"
#include "itsm/change.h"
#include "kit/ptrmap.h"

typedef struct itsm__rk_question {
    char   *name;
    char   *text;                 /* NULL: none */
    char  **answers;
    int    *scores;
    size_t  n;
} itsm__rk_question;

typedef struct itsm__rk_policy {
    unsigned          kinds;      /* bits (1u << kind) */
    itsm__rk_question *q;
    size_t            nq, cq;
    char             *levels[ITSM_RISK_MAX_LEVELS];
    int               up_to[ITSM_RISK_MAX_LEVELS];
    size_t            nlevels;
} itsm__rk_policy;

static inline itsm__rk_policy *itsm__rk_policy_of(const itsm_policy *p)
{
    return (itsm__rk_policy *)p->sect[ITSM__CAP_RISK];
}

/* The record's risk level (a name of the policy) once every question is
 * answered, else NULL. */
const char *itsm__risk_level_of(const itsm_engine *eng, const itsm_record *r);

int  itsm__rk_policy_new(void **sect, const itsm_allocator *a);
void itsm__rk_policy_free(void *sect, const itsm_allocator *a);
int  itsm__rk_policy_clone(void **out, const void *src, const itsm_allocator *a);
int  itsm__rk_policy_read(itsm_policy *p, const struct itsm__jval *root, itsm_parse_error *err);
void itsm__rk_policy_write(const itsm_policy *p, struct itsm__jw *w);

extern const itsm__capability itsm__cap_risk;

#endif
