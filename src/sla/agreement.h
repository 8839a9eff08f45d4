/* SPDX-License-Identifier: Apache-2.0 */
/* Internal: agreements - service-level clocks defined by conditions
 * (itsm/agreement.h). The policy's definitions, compiled once. */
#ifndef ITSM_SRC_AGREEMENT_H
#define ITSM_SRC_AGREEMENT_H

#include "itsm/agreement.h"
#include "kit/alloc.h"
#include "kit/cond.h"

enum { ITSM__AC_APPLIES = 0, ITSM__AC_START, ITSM__AC_PAUSE, ITSM__AC_STOP, ITSM__AC_RESET, ITSM__AC_COUNT };
extern const char *const itsm__agreement_cond_names[ITSM__AC_COUNT];

/* What a definition's conditions read, beyond fields (ITSM_F bits). */
#define ITSM__AR_STATE 1u
#define ITSM__AR_KIND  2u
#define ITSM__AR_OPEN  4u
#define ITSM__AR_EVENT 8u

typedef struct itsm__agr_target {
    uint8_t  priority;          /* 0: the default */
    uint32_t seconds;
    int      cal;               /* calendar index */
} itsm__agr_target;

typedef struct itsm__agreement {
    char           *name;
    int             type;       /* itsm_agreement_type */
    char           *src[ITSM__AC_COUNT];    /* condition text; NULL: the default */
    itsm__cond     *cond[ITSM__AC_COUNT];   /* compiled; NULL: the default */
    uint64_t        fields;     /* ITSM_F bits any condition reads */
    unsigned        reads;      /* ITSM__AR_* */
    itsm__agr_target target[ITSM_AGREEMENT_MAX_TARGETS];
    size_t          ntargets;
    unsigned        warn[ITSM_AGREEMENT_MAX_LEVELS];   size_t nwarn;
    unsigned        breach[ITSM_AGREEMENT_MAX_LEVELS]; size_t nbreach;
    int             climb;
} itsm__agreement;

struct itsm_policy;
struct itsm__jval;
struct itsm__jw;

void itsm__agreement_clear(itsm__agreement *g, const itsm_allocator *a);
/* A deep copy with allocator `a`. ITSM_OK or ITSM_ENOMEM (nothing owned). */
int  itsm__agreement_copy(itsm__agreement *dst, const itsm__agreement *src, const itsm_allocator *a);
/* The target of a record of priority `prio` (0: none); NULL when none. */
const itsm__agr_target *itsm__agreement_target(const itsm__agreement *g, int prio);

/* The policy document's "agreements" section. */
int  itsm__agreements_read_json(struct itsm_policy *p, const struct itsm__jval *v, itsm_parse_error *err);
void itsm__agreements_write_json(const struct itsm_policy *p, struct itsm__jw *w);
/* Findings (itsm__finding) for conditions that no longer compile against
 * the policy: a state or event since removed from its lifecycles. */
void itsm__agreements_check(struct itsm_policy *p);

#endif
