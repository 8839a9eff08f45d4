/* SPDX-License-Identifier: Apache-2.0 */
/*
 * itsm/oncall.h - on-call escalation policies and alert intake
 * (docs/oncall.md).
 *
 * An escalation policy, in the style of incident response tools, is a list
 * of steps, each naming its targets (people, or a group or role: names the
 * host resolves) and an acknowledge timeout in minutes, and a repeat count.
 * When an incident opens under a policy (or is paged by hand), step 1 is
 * paged: a "page" event naming its targets. If nobody acknowledges before
 * the step's timeout, the tick pages the next step; after the last step
 * the climb starts again from step 1, `repeat` more times, and then ends
 * with an "oncall_exhausted" event. An acknowledgement ("page_acknowledged",
 * by a target of any step of the policy) stops the climb, and so does the
 * incident leaving its open, clock-running states (resolved, closed).
 *
 * Which policy: the first, in policy order, whose services name the
 * incident's service (no services: any service) and whose max_priority is
 * at or above the incident's priority (no priority counts as 5), read when
 * the incident opens.
 *
 * Alert intake: itsm_alert_ingest takes a monitoring alert with a
 * deduplication key. A repeat of a key whose incident is still open
 * attaches to it (its alert count grows); a new key whose group (the
 * service, or the alert's own group key) has an incident opened by an
 * alert within the policy's grouping window groups under that incident;
 * else a new incident opens. Each alert is an "alert_received" event, so
 * all of it replays. Once an incident is resolved, its keys open new ones.
 *
 * Every call is an atomic, write-ahead step like any mutation (engine.h);
 * a refused call changes nothing.
 */
#ifndef ITSM_ONCALL_H
#define ITSM_ONCALL_H

#include "common.h"
#include "policy.h"
#include "record.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- limits ------------------------------------------------------------- */

#define ITSM_ONCALL_MAX_POLICIES 32
#define ITSM_ONCALL_MAX_STEPS    8
#define ITSM_ONCALL_MAX_TARGETS  8
#define ITSM_ONCALL_MAX_SERVICES 16
#define ITSM_ONCALL_MAX_REPEAT   9
#define ITSM_ONCALL_MAX_MINUTES  1440   /* an acknowledge timeout or a grouping window: one day */

/* ---- policy ------------------------------------------------------------- */

typedef struct itsm_oncall_step {
    const char *const *targets;     /* 1..ITSM_ONCALL_MAX_TARGETS names (people, groups, roles) */
    size_t             ntargets;
    unsigned           ack_timeout; /* minutes, 1..ITSM_ONCALL_MAX_MINUTES */
} itsm_oncall_step;

typedef struct itsm_oncall_def {
    unsigned                version;      /* ITSM_ONCALL_DEF_VERSION */
    const char             *name;         /* unique in the policy */
    const itsm_oncall_step *steps;        /* 1..ITSM_ONCALL_MAX_STEPS */
    size_t                  nsteps;
    unsigned                repeat;       /* climbs after the first, 0..ITSM_ONCALL_MAX_REPEAT */
    const char *const      *services;     /* 0..ITSM_ONCALL_MAX_SERVICES; none: any service */
    size_t                  nservices;
    int                     max_priority; /* 1..5: incidents of this priority or higher (default 5) */
} itsm_oncall_def;

#define ITSM_ONCALL_DEF_VERSION 1
#define ITSM_ONCALL_DEF_INIT { ITSM_ONCALL_DEF_VERSION, NULL, NULL, 0, 0, NULL, 0, 5 }
/* For languages without macros. ITSM_EINVAL for NULL or an unknown version. */
ITSM_API int itsm_oncall_def_init(itsm_oncall_def *def, unsigned version);

/*
 * Add an escalation policy to `policy` (everything copied). Policies are
 * tried in the order added. Errors (itsm_policy_errmsg says which member):
 *   ITSM_EINVAL   NULL, an unknown version, a name, target or service that
 *                 is not a valid name, no steps or targets, a timeout
 *                 outside 1..1440, repeat over 9, max_priority outside 1..5
 *   ITSM_EEXISTS  a policy of that name is there already
 *   ITSM_ELIMIT   32 policies, or more steps, targets or services than the
 *                 limits above; a name, target or service over
 *                 ITSM_MAX_SYMBOL bytes
 *   ITSM_ENOMEM
 * The policy is unchanged on error. Document: docs/policy.md "oncall".
 */
ITSM_API int itsm_policy_add_oncall(itsm_policy *policy, const itsm_oncall_def *def);

/* The grouping window of alert intake: a new deduplication key groups under
 * the incident an alert of the same group opened within `minutes`
 * (0..1440; 0, the default, turns grouping off). ITSM_EINVAL (NULL, out of
 * range). */
ITSM_API int itsm_policy_set_alert_window(itsm_policy *policy, unsigned minutes);

/* ---- the climb ---------------------------------------------------------- */

typedef enum itsm_oncall_status {
    ITSM_ONCALL_NONE         = 0,   /* never paged */
    ITSM_ONCALL_PAGING       = 1,   /* a step is paged and waits for its acknowledgement */
    ITSM_ONCALL_ACKNOWLEDGED = 2,
    ITSM_ONCALL_EXHAUSTED    = 3,   /* every step of every round timed out */
    ITSM_ONCALL_STOPPED      = 4    /* the incident was resolved (or closed) during the climb */
} itsm_oncall_status;

/*
 * Page an open incident by hand under the escalation policy `name`: step 1
 * of round 1 is paged now, as when an incident opens under it. Allowed when
 * no climb is running (never paged, acknowledged, exhausted or stopped).
 * Errors:
 *   ITSM_EINVAL     NULL record or name, a record that is not an incident
 *   ITSM_ENOTFOUND  the policy has no escalation policy `name`
 *   ITSM_ESTATE     the incident is resolved or closed; inside a callback
 *   ITSM_EEXISTS    a climb is running already
 *   ITSM_ENOMEM, ITSM_ESTORE, ITSM_ECONFLICT, ITSM_EUSER, ITSM_ECLOCK
 */
ITSM_API int itsm_oncall_page(itsm_record *rec, const char *name);

/*
 * Acknowledge the page of `rec` as `by` (copied): one "page_acknowledged"
 * event; the climb stops. `by` must be a target of some step of the
 * incident's escalation policy (a group or role target acknowledges under
 * its own name). An exhausted climb can still be acknowledged.
 * Errors:
 *   ITSM_EINVAL     NULL, `by` not a valid name, `by` not a target of the
 *                   policy ("mallory is not a target of escalation policy
 *                   'db_primary'")
 *   ITSM_ESTATE     never paged, or stopped by the incident's resolution;
 *                   inside a callback
 *   ITSM_ELIMIT     `by` over ITSM_MAX_SYMBOL bytes
 *   ITSM_EEXISTS    acknowledged already ("INC-000001 was acknowledged by
 *                   alice")
 *   ITSM_ENOMEM, ITSM_ESTORE, ITSM_ECONFLICT, ITSM_EUSER, ITSM_ECLOCK
 */
ITSM_API int itsm_oncall_acknowledge(itsm_record *rec, const char *by);

typedef struct itsm_oncall_info {
    size_t             size;       /* sizeof(itsm_oncall_info), set by the caller (common.h) */
    itsm_oncall_status status;
    const char        *policy;     /* the escalation policy's name; borrowed from the engine */
    unsigned           step;       /* the step paged last, 1-based */
    unsigned           round;      /* the climb it belongs to, 1..repeat + 1 */
    unsigned           pages;      /* page events so far */
    itsm_time          due;        /* the paged step's acknowledge deadline; NONE unless paging */
    const char        *acked_by;   /* borrowed; NULL unless acknowledged */
    itsm_time          acked_at;   /* NONE unless acknowledged */
} itsm_oncall_info;

/* The climb of `rec`. ITSM_OK and *out filled; ITSM_ENOTFOUND when the
 * record was never paged (the engine's message left as it was); ITSM_EINVAL
 * for NULL or a size the library cannot fill (common.h). */
ITSM_API int itsm_record_oncall(itsm_oncall_info *out, const itsm_record *rec);

/* ---- alert intake ------------------------------------------------------- */

typedef struct itsm_alert {
    unsigned           version;    /* ITSM_ALERT_VERSION */
    const char        *dedup_key;  /* required: a name (1..ITSM_MAX_SYMBOL bytes of UTF-8, no control
                                      characters) */
    const char        *group;      /* the grouping key; NULL: the incident's service */
    const itsm_change *fields;     /* the incident's fields when the alert opens one (summary, service,
                                      impact...), as itsm_record_open takes them; unused otherwise */
    size_t             nfields;
} itsm_alert;

#define ITSM_ALERT_VERSION 1
#define ITSM_ALERT_INIT { ITSM_ALERT_VERSION, NULL, NULL, NULL, 0 }
/* For languages without macros. ITSM_EINVAL for NULL or an unknown version. */
ITSM_API int itsm_alert_init(itsm_alert *alert, unsigned version);

typedef enum itsm_alert_outcome {
    ITSM_ALERT_OPENED    = 1,   /* a new incident */
    ITSM_ALERT_DUPLICATE = 2,   /* the key's incident is open: attached, count + 1 */
    ITSM_ALERT_GROUPED   = 3    /* a new key grouped under its group's recent incident */
} itsm_alert_outcome;

/*
 * Take in one alert (rules above). *out gets the incident it opened or
 * joined (borrowed), *outcome (may be NULL) how. Opening is
 * itsm_record_open with the alert's fields plus the "alert_received" event,
 * in one step (so the incident's escalation policy pages too); joining is
 * one "alert_received" event on the incident, stamped no earlier than the
 * incident's last event (the clock of a log replayed case by case may read
 * earlier).
 * Errors:
 *   ITSM_EINVAL     NULL engine, out or alert, an unknown version, a missing
 *                   or invalid dedup key or group, the incident's fields
 *                   (as itsm_record_open)
 *   ITSM_ELIMIT     a key over ITSM_MAX_SYMBOL bytes
 *   ITSM_ESTATE     inside a callback
 *   ITSM_ENOMEM, ITSM_ESTORE, ITSM_ECONFLICT, ITSM_EUSER, ITSM_ECLOCK
 */
ITSM_API int itsm_alert_ingest(itsm_record **out, itsm_alert_outcome *outcome, itsm_engine *eng,
                               const itsm_alert *alert);

/* The alerts an incident took in (the one that opened it counts); 0 for
 * NULL or none. */
ITSM_API uint32_t itsm_record_alert_count(const itsm_record *rec);

#ifdef __cplusplus
}
#endif
#endif
