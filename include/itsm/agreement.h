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
/* Fill `def` with the defaults (ITSM_AGREEMENT_DEF_INIT) for a caller built
 * against struct `version` (ITSM_AGREEMENT_DEF_VERSION), for bindings that
 * cannot use the macro. ITSM_EINVAL (NULL, or a version this library does
 * not know). */
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
/* The number of agreements (0 for NULL). */
ITSM_API size_t itsm_policy_agreement_count(const itsm_policy *policy);
/* The name of the agreement at `index`, in the order they were added
 * (borrowed, valid until the policy changes); NULL past the end or for
 * NULL. */
ITSM_API const char *itsm_policy_agreement_name(const itsm_policy *policy, size_t index);

/* ---- instances on records ---------------------------------------------- */

/*
 * Records with service levels (incidents and service requests) carry an
 * instance of every agreement whose `applies` condition holds. After each
 * event the conditions are evaluated on the record as it now is (`event`
 * naming the lifecycle event just applied), in this order: applies (an
 * instance appears, or is cancelled), reset, start, stop (or its end:
 * the clock resumes), pause. The clock counts working seconds of its
 * target's calendar between events while started, not stopped, not
 * paused. Closing the record stops a running instance with its verdict;
 * a closed record's instances are evaluated no more. Every change of an
 * instance is a step of the record's agreement history; warnings and
 * breaches are stored events fired by the tick (`agreement_warning`,
 * `agreement_breach`, docs/events.md), the other steps follow from the
 * stored events, so replaying a store rebuilds the same history.
 */

typedef enum itsm_agreement_status {
    ITSM_AGREEMENT_NONE      = 0,   /* never applied to the record */
    ITSM_AGREEMENT_PENDING   = 1,   /* applies, the clock has not started */
    ITSM_AGREEMENT_RUNNING   = 2,
    ITSM_AGREEMENT_PAUSED    = 3,
    ITSM_AGREEMENT_STOPPED   = 4,   /* the stop condition holds (or the record closed past
                                       its target) */
    ITSM_AGREEMENT_CANCELLED = 5    /* applies no more, or the record closed before its
                                       target where the stop does not hold (canceled):
                                       neither met nor breached; its history is kept */
} itsm_agreement_status;

typedef enum itsm_agreement_verdict {
    ITSM_VERDICT_PENDING  = 0,      /* not stopped, no breach yet */
    ITSM_VERDICT_MET      = 1,      /* stopped within its target */
    ITSM_VERDICT_BREACHED = 2       /* a breach fired, or it stopped past its target
                                       (a stopped clock keeps the verdict of its stop,
                                       whatever the priority becomes after it; a
                                       cancelled one keeps what fired before its end) */
} itsm_agreement_verdict;

typedef struct itsm_agreement_info {
    size_t       size;          /* sizeof(itsm_agreement_info), set by the caller (common.h) */
    const char  *name;          /* borrowed from the engine's policy */
    itsm_agreement_type type;
    itsm_agreement_status status;
    itsm_agreement_verdict verdict;
    uint32_t     target;        /* seconds of working time for the record's priority; 0: none */
    const char  *calendar;      /* the target's calendar; NULL without a target */
    int64_t      elapsed;       /* working seconds counted up to `now` */
    int64_t      paused;        /* working seconds paused up to `now` */
    itsm_time    due;           /* when it reaches its target if it keeps running; NONE when
                                   not running, past its target or without one */
    int64_t      remaining;     /* target - elapsed (negative: overdue); 0 without a target */
    unsigned     warnings;      /* warnings fired */
    unsigned     breaches;      /* breaches of the ladder fired */
    itsm_time    started_at;    /* the clock (re)started; NONE: not started */
    itsm_time    stopped_at;    /* it stopped; NONE: not stopped */
} itsm_agreement_info;

/* The record's instance of agreement `name`, as of `now` (the clock is not
 * read). A record without service levels, or one the agreement never
 * applied to, gets status ITSM_AGREEMENT_NONE. ITSM_EINVAL (NULL, a bad
 * time, a wrong `size`), ITSM_ENOTFOUND (the policy has no such
 * agreement). */
ITSM_API int itsm_record_agreement(itsm_agreement_info *out, const itsm_record *rec, const char *name,
                                   itsm_time now);

typedef enum itsm_agreement_step {
    ITSM_AGR_APPLIED   = 1,     /* an instance appeared (its clock at zero) */
    ITSM_AGR_STARTED   = 2,
    ITSM_AGR_PAUSED    = 3,
    ITSM_AGR_RESUMED   = 4,     /* after a pause, or when the stop condition stopped holding */
    ITSM_AGR_STOPPED   = 5,     /* `verdict` says met or breached */
    ITSM_AGR_RESET     = 6,     /* the clock back to zero, not started */
    ITSM_AGR_WARNING   = 7,     /* `level`: the warning's number */
    ITSM_AGR_BREACHED  = 8,     /* `level`: the rung of the breach ladder */
    ITSM_AGR_CANCELLED = 9      /* the agreement applies no more */
} itsm_agreement_step;

typedef struct itsm_agreement_entry {
    size_t       size;          /* sizeof(itsm_agreement_entry), set by the caller */
    itsm_time    at;
    const char  *agreement;     /* borrowed from the engine's policy */
    itsm_agreement_step step;
    unsigned     level;         /* warnings and breaches; else 0 */
    itsm_agreement_verdict verdict;   /* stopped; else PENDING */
} itsm_agreement_entry;

/* The number of steps in the record's agreement history (0 for a record
 * without service levels or NULL), in the order they happened. */
ITSM_API size_t itsm_record_agreement_steps(const itsm_record *rec);
/* Step `index` (0..itsm_record_agreement_steps - 1) of the record's
 * agreement history. ITSM_EINVAL for NULL, a wrong `size` or an index out
 * of range (the engine's message names this reader, the index and the
 * count: errors.h). */
ITSM_API int itsm_record_agreement_step(itsm_agreement_entry *out, const itsm_record *rec, size_t index);
/* "applied", "started", ... "cancelled"; NULL for an unknown step. */
ITSM_API const char *itsm_agreement_step_name(itsm_agreement_step step);

/* Instances of one agreement over every record of the engine. */
typedef struct itsm_agreement_report {
    size_t       size;          /* sizeof(itsm_agreement_report), set by the caller */
    size_t       applied;       /* records it applies to now (cancelled ones apart) */
    size_t       met;           /* stopped within target */
    size_t       breached;      /* a breach fired or stopped past target (stopped or not),
                                   plus every instance cancelled after a breach (from the
                                   records' histories): a breach stays when the priority
                                   drops back */
    size_t       open;          /* applies, neither stopped nor breached */
    size_t       cancelled;     /* applied once, apply no more */
} itsm_agreement_report;

/* Count the instances of agreement `name` (a walk over the records).
 * ITSM_EINVAL (NULL, a wrong `size`), ITSM_ENOTFOUND. */
ITSM_API int itsm_engine_agreement_report(itsm_agreement_report *out, itsm_engine *eng, const char *name);

#ifdef __cplusplus
}
#endif
#endif
