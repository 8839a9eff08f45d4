/* SPDX-License-Identifier: Apache-2.0 */
/*
 * itsm/conformance.h - how well what happened follows a policy.
 *
 * A conformance report checks the moves records made - from the events of
 * any store, or moves a host observed some other way (rows of a log its
 * engine refused) - against a reference policy, which need not be the one
 * that wrote them: last quarter's store against this quarter's process,
 * or a permissive replay against the intended one.
 *
 * A move is one record going from one state to another (a transition
 * event, or an observation), or a record being opened (from no state to
 * the state it opened in). For each move the report asks the reference
 * policy's lifecycle of the record's kind:
 *   allowed       a transition leads from the move's state (or "*", any
 *                 open state) to the move's target and its guard holds on
 *                 the record's fields as the history shows them (an opening
 *                 is allowed into the initial state);
 *   guard failed  such a transition exists but its guard does not hold:
 *                 the step was taken without what the rule asks for;
 *   skipped steps no transition leads there directly, but the target is
 *                 reachable through other states: a bypass of the process
 *                 (the report names the states of the shortest way round);
 *   unforeseen    the policy never leads from here to there;
 *   unknown state the reference has no such state.
 * When several transitions fit, the one whose event the move names is
 * tried first, then exact `from` before "*", then policy order; the first
 * whose guard holds allows the move. Guards are checked only where the
 * fields are known (events carry them; an observation of a record passes
 * it); otherwise a fitting transition allows the move.
 *
 * Figures:
 *   per observed move (kind, from, to): how often, how often allowed,
 *     guard failed and refused by the host, fitness = allowed / count, and
 *     the deviation class with the states skipped;
 *   per rule of the reference (each transition, in policy order): moves it
 *     allowed, moves it matched whose guard failed, agreement = allowed /
 *     (allowed + guard failed) (1 for a rule nothing matched; `used` tells);
 *   overall: records, moves, allowed, fitness, and records that deviated
 *     at least once / bypassed (skipped steps or guard) at least once.
 *
 * The report owns a copy of the policy; feed it, read it, free it. Feeding
 * after reading is allowed (the getters always reflect everything fed).
 */
#ifndef ITSM_CONFORMANCE_H
#define ITSM_CONFORMANCE_H

#include "common.h"
#include "json.h"
#include "record.h"
#include "policy.h"
#include "event.h"
#include "sys/store.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct itsm_conformance itsm_conformance;

/* Start a report against `policy` (copied, with its allocator; `alloc` may
 * be NULL for libc and is used for everything the report allocates).
 * Errors: ITSM_EINVAL (NULL out or policy, a half-set allocator),
 * ITSM_ENOMEM. Free with itsm_conformance_free. */
ITSM_API int  itsm_conformance_new(itsm_conformance **out, const itsm_policy *policy,
                                   const itsm_allocator *alloc);
/* Accepts NULL. */
ITSM_API void itsm_conformance_free(itsm_conformance *c);
/* Why the last failing call on this report failed; "" if none. Borrowed
 * until the next call. "" for NULL. */
ITSM_API const char *itsm_conformance_errmsg(const itsm_conformance *c);

/* ---- feeding ----------------------------------------------------------- */

/* One stored event (its JSON form, docs/events.md), in store order. Events
 * other than open, transition, update and link only update what the
 * report knows of the record's fields. ITSM_EPARSE / ITSM_ELIMIT (err
 * filled, may be NULL), ITSM_EINVAL (NULL), ITSM_ENOMEM. A failed call
 * changes nothing. */
ITSM_API int itsm_conformance_add_json(itsm_conformance *c, const char *json, size_t len,
                                       itsm_parse_error *err);
/* One event as a store's append or the event sink gets it. Errors as
 * itsm_conformance_add_json (ITSM_ELIMIT for an event whose JSON form is
 * over ITSM_MAX_TEXT + 64 KiB). */
ITSM_API int itsm_conformance_add_event(itsm_conformance *c, const itsm_event *ev);
/* Every event a store gives back through its scan (the table is not
 * kept). ITSM_EINVAL (NULL, or a store without scan), the first failing
 * event's code (the message names it), or the scan's own code. */
ITSM_API int itsm_conformance_scan(itsm_conformance *c, const itsm_store *store, void *store_user);

/* A move the host saw that no stored event shows: a log row its engine
 * refused, or moves from another system. */
typedef struct itsm_observed_move {
    unsigned           version;    /* ITSM_OBSERVED_MOVE_VERSION */
    itsm_kind          kind;
    const char        *record;     /* the record's id (1..64 bytes); copied */
    const char        *from;       /* NULL: the record was opened by this move */
    const char        *to;         /* required */
    const char        *event;      /* the lifecycle event named, or NULL */
    int                refused;    /* 1: the host's engine refused it */
    const itsm_record *fields;     /* NULL, or a record whose fields the guards read */
} itsm_observed_move;
#define ITSM_OBSERVED_MOVE_VERSION 1
#define ITSM_OBSERVED_MOVE_INIT { ITSM_OBSERVED_MOVE_VERSION, ITSM_KIND_INCIDENT, NULL, NULL, NULL, \
                                  NULL, 0, NULL }
/* For languages without macros: sets *m to ITSM_OBSERVED_MOVE_INIT.
 * ITSM_EINVAL for NULL, 0 or a version newer than the library's (common.h),
 * leaving *m untouched. */
ITSM_API int itsm_observed_move_init(itsm_observed_move *m, unsigned version);
/* ITSM_EINVAL (NULL, a version 0 or newer than the library's - the message
 * names both, as common.h says - an unknown kind, no record or target, names
 * that are not 1..63 bytes of [a-z0-9_]), ITSM_ENOMEM. */
ITSM_API int itsm_conformance_observe(itsm_conformance *c, const itsm_observed_move *move);

/* ---- reading ----------------------------------------------------------- */

typedef enum itsm_deviation {
    ITSM_DEVIATION_NONE = 0,          /* every occurrence allowed */
    ITSM_DEVIATION_GUARD = 1,         /* a transition fits, its guard failed (some occurrences) */
    ITSM_DEVIATION_SKIP = 2,          /* reachable only through other states */
    ITSM_DEVIATION_UNFORESEEN = 3,    /* never reachable from there */
    ITSM_DEVIATION_UNKNOWN_STATE = 4  /* a state the policy does not have */
} itsm_deviation;
/* "none", "guard", "skip", "unforeseen", "unknown_state"; NULL if unknown. */
ITSM_API const char *itsm_deviation_name(itsm_deviation d);

typedef struct itsm_conformance_summary {
    size_t size;             /* sizeof(itsm_conformance_summary), set by the caller (common.h) */
    size_t records;          /* records seen */
    size_t moves;            /* moves seen (openings included) */
    size_t allowed;
    size_t guard_failed;
    size_t refused;          /* observations the host marked refused */
    double fitness;          /* allowed / moves; 1 when no moves */
    size_t deviating_records;/* records with at least one move not allowed */
    size_t bypass_records;   /* records that skipped steps or a guard at least once */
} itsm_conformance_summary;
/* ITSM_EINVAL for NULL or a size it cannot fill (common.h); the message
 * says which. */
ITSM_API int itsm_conformance_summary_of(itsm_conformance_summary *out, const itsm_conformance *c);

/* One observed move; strings are borrowed from the report, valid until it
 * is freed. Moves are in the order first seen. */
typedef struct itsm_conformance_move {
    size_t         size;         /* sizeof(itsm_conformance_move), set by the caller (common.h) */
    itsm_kind      kind;
    const char    *from;         /* NULL: an opening */
    const char    *to;
    size_t         count, allowed, guard_failed, refused;
    double         fitness;      /* allowed / count */
    itsm_deviation deviation;    /* the worst class among its occurrences */
    const char    *skipped;      /* skip: the states on the shortest way round,
                                    space-separated ("assigned in_progress"); else NULL */
} itsm_conformance_move;
/* The number of distinct observed moves (kind, from, to); 0 for NULL. */
ITSM_API size_t itsm_conformance_move_count(const itsm_conformance *c);
/* ITSM_EINVAL for NULL, an index out of range or a size it cannot fill
 * (the report's message names the reader, as for every reader below). */
ITSM_API int    itsm_conformance_move_at(const itsm_conformance *c, size_t index, itsm_conformance_move *out);

/* One rule (transition) of the reference policy, in policy order per kind. */
typedef struct itsm_conformance_rule {
    size_t      size;            /* sizeof(itsm_conformance_rule), set by the caller (common.h) */
    itsm_kind   kind;
    const char *from;            /* a state or "*" */
    const char *event;
    const char *to;
    const char *guard;           /* "" when none */
    size_t      used;            /* moves it allowed */
    size_t      guard_failed;    /* moves it fitted whose guard failed */
    double      agreement;       /* used / (used + guard_failed); 1 when both are 0 */
} itsm_conformance_rule;
/* The number of rules (transitions) of the reference policy; 0 for NULL. */
ITSM_API size_t itsm_conformance_rule_count(const itsm_conformance *c);
/* Rule `index` in policy order; strings borrowed as for
 * itsm_conformance_move_at. ITSM_EINVAL for NULL, an index out of range or
 * a size it cannot fill. */
ITSM_API int    itsm_conformance_rule_at(const itsm_conformance *c, size_t index, itsm_conformance_rule *out);

/* The states of the reference lifecycle of `kind`, in policy order, with
 * their flags (ITSM_STATE_INITIAL / ITSM_STATE_CLOSED): what a process map
 * draws. Count 0 for a kind without lifecycle. Borrowed names. */
ITSM_API size_t itsm_conformance_state_count(const itsm_conformance *c, itsm_kind kind);
/* State `index` of the lifecycle of `kind`: *name borrowed from the report,
 * valid until it is freed; *flags (when not NULL) its ITSM_STATE_* flags.
 * ITSM_EINVAL for NULL c or name, a kind without lifecycle or an index out
 * of range. */
ITSM_API int    itsm_conformance_state_at(const itsm_conformance *c, itsm_kind kind, size_t index,
                                          const char **name, unsigned *flags);

/* ---- writing ----------------------------------------------------------- */

/*
 * The report as one JSON object, snprintf-style (as itsm_report_to_json:
 * ITSM_OK when it fitted, ITSM_ELIMIT when not, ITSM_EINVAL for NULL c or
 * len, or NULL buf with cap > 0):
 *   {"version":1,"records":N,"moves":N,"allowed":N,"guard_failed":N,"refused":N,
 *    "fitness":X,"deviating_records":N,"bypass_records":N,
 *    "moves_by_transition":[{"kind":"incident","from":"new"|null,"to":"resolved","count":N,
 *       "allowed":N,"guard_failed":N,"refused":N,"fitness":X,"deviation":"skip",
 *       "skipped":"active"|null}],
 *    "rules":[{"kind":"incident","from":"*","event":"resolve","to":"resolved","guard":"",
 *       "used":N,"guard_failed":N,"agreement":X}]}
 */
ITSM_API int itsm_conformance_to_json(const itsm_conformance *c, char *buf, size_t cap, size_t *len);
/*
 * As CSV (RFC 4180, CRLF), snprintf-style. Header
 * "section,kind,from,event,to,measure,value", then
 *   summary,,,,,fitness,0.98                       (and every summary figure)
 *   move,incident,new,,resolved,count,12           (count, allowed, guard_failed,
 *                                                   refused, fitness, deviation, skipped)
 *   rule,incident,*,resolve,resolved,used,10       (used, guard_failed, agreement)
 * An opening has an empty `from`. Errors as itsm_conformance_to_json:
 * ITSM_ELIMIT when it did not fit (*len says how much is needed),
 * ITSM_EINVAL for NULL c or len, or NULL buf with cap > 0.
 */
ITSM_API int itsm_conformance_to_csv(const itsm_conformance *c, char *buf, size_t cap, size_t *len);

#ifdef __cplusplus
}
#endif
#endif
