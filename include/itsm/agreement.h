/* SPDX-License-Identifier: Apache-2.0 */
/*
 * itsm/agreement.h - service-level agreements defined by conditions.
 *
 * An agreement is a contract clock: a customer SLA ("P1-P2 incidents of
 * tier gold on Payroll are resolved within 4 hours"), an OLA of a support
 * group by priority, an underpinning contract with a supplier. Each is
 * defined by conditions (itsm/condition.h, docs/conditions.md):
 *
 *   applies  while it holds the record carries an instance of the
 *            agreement; when it stops holding (priority drops back) the
 *            instance is cancelled, its history kept
 *   start    the clock starts at the first event where it holds
 *   pause    while it holds the clock is paused
 *   stop     where it holds the clock stops and the verdict is given (met,
 *            breached); if it stops holding later, the clock resumes with
 *            its time carried over
 *   reset    at an event where it holds the clock restarts from zero
 *            ("event == 'reopen'")
 *
 * A record carries an instance of every agreement that applies, at once,
 * each with its own timer, warnings, breach ladder and verdict; the
 * policy document's "agreements" section and the instance getters are
 * described in docs/service-levels.md.
 */
#ifndef ITSM_AGREEMENT_H
#define ITSM_AGREEMENT_H

#include "common.h"
#include "json.h"
#include "record.h"
#include "policy.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum itsm_agreement_type {
    ITSM_AGREEMENT_SLA = 1,   /* with a customer */
    ITSM_AGREEMENT_OLA = 2,   /* between support groups of the provider */
    ITSM_AGREEMENT_UC  = 3    /* underpinning contract with a supplier */
} itsm_agreement_type;

/* A target: for records of `priority` (1..5; 0: any priority without an
 * entry of its own, and records with none), `seconds` of working time on
 * `calendar` (NULL: "24x7"). */
typedef struct itsm_agreement_target {
    int          priority;
    uint32_t     seconds;      /* 1..315360000 */
    const char  *calendar;
} itsm_agreement_target;

#define ITSM_MAX_AGREEMENTS        64
#define ITSM_AGREEMENT_MAX_TARGETS 6
#define ITSM_AGREEMENT_MAX_LEVELS  8

typedef struct itsm_agreement_def {
    unsigned     version;      /* ITSM_AGREEMENT_DEF_VERSION */
    const char  *name;         /* 1..63 bytes of [a-z0-9_] */
    itsm_agreement_type type;
    /* Conditions (copied). applies and start NULL: always; pause and reset
     * NULL: never; stop is required. */
    const char  *applies, *start, *pause, *stop, *reset;
    const itsm_agreement_target *targets;   /* 1..6, one per priority at most */
    size_t       ntargets;
    /* Warnings at these fractions of the target, permille, ascending,
     * 1..999, at most 8; NULL/0: none. */
    const unsigned *warnings;
    size_t       nwarnings;
    /* The breach ladder: a breach event at each of these fractions of the
     * target, permille, ascending, 1000..10000, at most 8; NULL/0: one
     * breach at 1000. */
    const unsigned *breaches;
    size_t       nbreaches;
    int          climb;        /* each breach climbs one step of the escalation ladder */
} itsm_agreement_def;

#define ITSM_AGREEMENT_DEF_VERSION 1
#define ITSM_AGREEMENT_DEF_INIT \
    { ITSM_AGREEMENT_DEF_VERSION, NULL, ITSM_AGREEMENT_SLA, NULL, NULL, NULL, NULL, NULL, NULL, 0, NULL, 0, NULL, 0, 0 }
ITSM_API int itsm_agreement_def_init(itsm_agreement_def *def, unsigned version);

/* Add an agreement, or replace the one of that name. Every condition is
 * compiled and checked against the policy's names (fields, state, kind,
 * open, event; states and events against its lifecycles as they are now).
 * ITSM_EPARSE for a condition refused, with `err` (may be NULL) holding the
 * line and column within that condition and a text naming it ("stop:
 * unknown name 'stat'"); ITSM_EINVAL for the rest (named in
 * itsm_policy_errmsg): a bad name, type, target, fraction, a missing stop;
 * ITSM_ENOTFOUND for an unknown calendar; ITSM_ELIMIT (a condition past
 * its limits, or more than ITSM_MAX_AGREEMENTS); ITSM_ENOMEM. The policy
 * is unchanged on any error. */
ITSM_API int itsm_policy_set_agreement(itsm_policy *policy, const itsm_agreement_def *def,
                                       itsm_parse_error *err);
/* Remove an agreement. ITSM_EINVAL (NULL), ITSM_ENOTFOUND. */
ITSM_API int itsm_policy_remove_agreement(itsm_policy *policy, const char *name);
/* The number of agreements, and the name of the one at `index` (borrowed,
 * valid until the policy changes; NULL past the end). */
ITSM_API size_t itsm_policy_agreement_count(const itsm_policy *policy);
ITSM_API const char *itsm_policy_agreement_name(const itsm_policy *policy, size_t index);

#ifdef __cplusplus
}
#endif
#endif
