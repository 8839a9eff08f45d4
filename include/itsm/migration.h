/* SPDX-License-Identifier: Apache-2.0 */
/*
 * itsm/migration.h - the migration check: what a candidate policy would do
 * to the open records, asked before adopting it.
 *
 * For every open record (every kind; a record in a closed state is never
 * touched by a new policy) the check lists:
 *   - its state, when the candidate's lifecycle for its kind has no state
 *     of that name (ITSM_MIGRATION_STATE_REMOVED). itsm_engine_adopt_policy
 *     refuses a candidate that removes a state (or moves one) whether or
 *     not an open record is in it: closed records may be;
 *   - every transition the record could take now (itsm_record_allowed_at
 *     with nothing missing) that under the candidate it could not: the
 *     candidate has no such transition from its state
 *     (ITSM_MIGRATION_TRANSITION_REMOVED), or has it and its guard would
 *     fail (ITSM_MIGRATION_GUARD_FAILS, `detail` naming the terms missing);
 *   - every SLA (itsm/sla.h: the one the record is on) and agreement
 *     instance (itsm/agreement.h) that would start or stop applying
 *     (ITSM_MIGRATION_SLA_STARTS / _STOPS);
 *   - every running or paused clock (response, resolution, each agreement
 *     instance) whose target or due time would change, and by how much
 *     (ITSM_MIGRATION_TIMER_MOVES);
 *   - a record whose stored events do not replay under the candidate at
 *     all (a field or event it lacks; ITSM_MIGRATION_NOT_REPLAYED, `detail`
 *     the replay's message); nothing else is listed for it.
 *
 * How. The actual side is the engine's records as they are, read as of the
 * engine's clock. The candidate side is a scratch engine under the
 * candidate into which every event the engine's store holds is replayed
 * (as a what-if does, itsm/whatif.h: the store's own warnings and breaches
 * replay as bare steps): each record as it would be had the candidate been
 * in force since it opened. For a change of targets or of the SLA chosen
 * that is the same as carrying the elapsed time over; for a change of
 * calendars or pause rules the elapsed time itself is counted again. The
 * engine, its records and its store are not changed.
 *
 * The result is an opaque handle the caller owns (itsm_migration_free); its
 * strings are its own copies.
 */
#ifndef ITSM_MIGRATION_H
#define ITSM_MIGRATION_H

#include "common.h"
#include "policy.h"
#include "whatif.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct itsm_engine itsm_engine;
typedef struct itsm_migration itsm_migration;

typedef enum itsm_migration_kind {
    ITSM_MIGRATION_STATE_REMOVED      = 1,
    ITSM_MIGRATION_TRANSITION_REMOVED = 2,
    ITSM_MIGRATION_GUARD_FAILS        = 3,
    ITSM_MIGRATION_SLA_STARTS         = 4,
    ITSM_MIGRATION_SLA_STOPS          = 5,
    ITSM_MIGRATION_TIMER_MOVES        = 6,
    ITSM_MIGRATION_NOT_REPLAYED       = 7
} itsm_migration_kind;
#define ITSM_MIGRATION_KIND_COUNT 7

/* "state_removed", "transition_removed", "guard_fails", "sla_starts",
 * "sla_stops", "timer_moves", "not_replayed"; NULL if unknown. */
ITSM_API const char *itsm_migration_kind_name(itsm_migration_kind kind);

typedef struct itsm_migration_finding {
    size_t              size;          /* sizeof(itsm_migration_finding), set by the caller */
    itsm_migration_kind kind;
    const char         *record;        /* the record's id */
    itsm_kind           record_kind;
    const char         *state;         /* its state now */
    const char         *event;         /* TRANSITION_REMOVED, GUARD_FAILS: the event; else NULL */
    /* SLA_STARTS, SLA_STOPS, TIMER_MOVES: the SLA or agreement (for a
     * timer, the candidate's; the actual's when the candidate has none) */
    const char         *name;
    int                 agreement;     /* 1: `name` is an agreement; 0: an SLA of itsm/sla.h */
    itsm_whatif_clock   clock;         /* TIMER_MOVES: which clock; else 0 */
    uint32_t            actual_target, candidate_target;   /* TIMER_MOVES: working seconds */
    itsm_time           actual_due, candidate_due;         /* TIMER_MOVES; NONE: not running */
    int64_t             delta;         /* candidate_due - actual_due, seconds; 0 unless both set */
    const char         *detail;        /* GUARD_FAILS: the terms missing ("resolution_code,
                                          resolution_notes"); NOT_REPLAYED: why; else NULL */
} itsm_migration_finding;

/*
 * Check `candidate` against the engine's open records (see above), as of
 * the engine's clock. *out is NULL on any error; a record that does not
 * replay is a finding, not an error. Free with itsm_migration_free.
 * Errors: ITSM_EINVAL (NULL out, engine or candidate; an engine with no
 * store, or a store without scan), ITSM_ESTATE (called from inside the
 * engine's own callback), ITSM_EPOLICY (the candidate has findings: the
 * message is the first), the scan's own code, ITSM_ENOMEM. The engine's
 * message says why.
 */
ITSM_API int itsm_engine_migration_check(itsm_migration **out, itsm_engine *eng, const itsm_policy *candidate);

/* Frees the result. Accepts NULL. */
ITSM_API void itsm_migration_free(itsm_migration *m);

/* The time the check was made at (the engine's clock); ITSM_TIME_NONE for NULL. */
ITSM_API itsm_time itsm_migration_now(const itsm_migration *m);
/* The number of open records checked; 0 for NULL. */
ITSM_API size_t itsm_migration_records(const itsm_migration *m);
/* The number of findings; 0 for NULL. */
ITSM_API size_t itsm_migration_count(const itsm_migration *m);
/* The number of findings of one kind; 0 for NULL or an unknown kind. */
ITSM_API size_t itsm_migration_count_of(const itsm_migration *m, itsm_migration_kind kind);
/* Finding `index`, in the order the records were opened, and for one
 * record: state, transitions (the lifecycle's event order), SLAs and
 * agreements that start or stop, timers. ITSM_EINVAL for NULL, an index out
 * of range or a size it cannot fill. */
ITSM_API int itsm_migration_at(const itsm_migration *m, size_t index, itsm_migration_finding *out);

/*
 * The check as one JSON object, snprintf-style (common.h: ITSM_OK, ITSM_ELIMIT
 * when it did not fit, ITSM_EINVAL for NULL m or len, or NULL buf with
 * cap > 0). Form (docs/whatif.md):
 *   {"version":1,"now":T,"records":N,"findings":N,
 *    "counts":{"state_removed":N,...,"not_replayed":N},
 *    "list":[{"kind":S,"record":S,"record_kind":S,"state":S, then as the kind has them:
 *             "event":S, "name":S,"agreement":B, "clock":S,"actual_target":N,
 *             "candidate_target":N,"actual_due":T|null,"candidate_due":T|null,"delta":N,
 *             "detail":S}]}
 * The same check always gives the same bytes.
 */
ITSM_API int itsm_migration_to_json(const itsm_migration *m, char *buf, size_t cap, size_t *len);

#ifdef __cplusplus
}
#endif
#endif
