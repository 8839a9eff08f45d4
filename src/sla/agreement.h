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

/* What a condition reads beyond fields, as far as an event can change it
 * (kind never changes): the state (state, open), the event being applied
 * (new at every event), updated_at (set by every event, outside the
 * event's changes). A condition whose inputs an event did not change
 * keeps its verdict (agreement_run.c). */
#define ITSM__AR_STATE 1u
#define ITSM__AR_EVENT 2u
#define ITSM__AR_EVERY 4u

#define ITSM__AGR_STATES 256   /* above a lifecycle's most states (ITSM__MAX_STATES) */

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
    /* What each condition reads: ev->fset bits (a built-in field's own
     * bit, ITSM__FSET_CUSTOM for any custom one) and ITSM__AR_* bits;
     * any_*: the union over the conditions. Set by compiling. */
    uint64_t        fields[ITSM__AC_COUNT], any_fields;
    uint8_t         reads[ITSM__AC_COUNT], any_reads;
    /* Conditions that read the state alone (or with kind, open): their
     * verdict in every state of an incident (0) and a service request
     * (1), for the conditions whose bit is in state_ok, below state_n.
     * Made by an engine for its own copy of the policy
     * (itsm__agr_tables); a copy has none. */
    uint64_t        state_tab[ITSM__AC_COUNT][2][(ITSM__AGR_STATES + 63) / 64];
    uint16_t        state_n[2];
    uint8_t         state_ok;
    itsm__agr_target target[ITSM_AGREEMENT_MAX_TARGETS];
    size_t          ntargets;
    int8_t          tix[6];     /* by priority 0..5: the target's index (a priority's own, else the
                                   default), -1: none; set with the targets */
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

/* The state tables of p's agreements (for an engine's own copy: made when
 * the engine adopts it). */
void itsm__agr_tables(const struct itsm_policy *p);

/* The policy document's "agreements" section. */
int  itsm__agreements_read_json(struct itsm_policy *p, const struct itsm__jval *v, itsm_parse_error *err);
void itsm__agreements_write_json(const struct itsm_policy *p, struct itsm__jw *w);
/* Findings (itsm__finding) for conditions that no longer compile against
 * the policy: a state or event since removed from its lifecycles. */
void itsm__agreements_check(struct itsm_policy *p);

#endif
