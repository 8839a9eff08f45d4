/* SPDX-License-Identifier: Apache-2.0 */
/*
 * itsm/whatif.h - what-if: a store's events judged under a candidate policy.
 *
 * A what-if replays every event a store holds twice, into two scratch
 * engines: one under the policy of the actual run (itsm_whatif_new: each
 * event under the policy version it names, the past as it was judged; see
 * docs/whatif.md), one under a candidate
 * policy (a shorter P3 target, another calendar, a new agreement...), and
 * compares them record by record: the verdicts that flip, breach counts per
 * SLA (and agreement) and per group, and the time to resolve. The engine
 * and its store are not changed: the scratch engines have no store and no
 * sink, and are freed before the call returns.
 *
 * Judging. Both sides are judged by the same rules, so a what-if of a
 * policy against itself over a store of that one version finds no
 * difference (itsm_whatif_new's actual side judges each event under the
 * version it names: a store with several versions differs from any single
 * candidate, the current policy included - the past as it was judged):
 *   - the store's own warnings and breaches (sla_warning, sla_breach,
 *     agreement_warning, agreement_breach events) replay as bare steps, and
 *     before each event every clock of its record that has reached its
 *     target under that side's policy (version) is marked breached, as a tick at the
 *     event's time would have (a breach under a priority the record later
 *     left stays a breach);
 *   - at the end every clock is read as of `as_of`: breached (marked, or
 *     its elapsed working time has reached its target), met (stopped within
 *     its target), pending (running or paused within it), or none (no
 *     target applies; an agreement cancelled without a breach counts as
 *     none).
 * Everything else replays as it happened: the consequences of the actual
 * run's breaches (escalation steps, notifications) stay, and a breach the
 * candidate adds climbs no ladder. Records are matched by id.
 *
 * The clocks compared: each incident's and service request's response and
 * resolution timers (itsm/sla.h), named by the SLA that applies on each
 * side, and every agreement instance (itsm/agreement.h), named by the
 * agreement, of either policy.
 *
 * The what-if is computed once into an opaque handle the caller owns
 * (itsm_whatif_free); the getters read it and itsm_whatif_to_json writes
 * it; it keeps no pointer into the engine or the policies. Its strings are
 * borrowed from the handle.
 */
#ifndef ITSM_WHATIF_H
#define ITSM_WHATIF_H

#include "common.h"
#include "json.h"
#include "policy.h"
#include "sys/store.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct itsm_engine itsm_engine;
typedef struct itsm_whatif itsm_whatif;

typedef struct itsm_whatif_opts {
    unsigned        version;      /* ITSM_WHATIF_OPTS_VERSION */
    /* The time open clocks are judged at; ITSM_TIME_NONE: the time of the
     * latest event the store holds. */
    itsm_time       as_of;
    /* itsm_whatif_store only (itsm_whatif_new uses the engine's): all
     * NULL: libc. */
    itsm_allocator  alloc;
    /* When errmsg is set and errmsg_cap > 0, a failing call writes why
     * (NUL-terminated, cut to errmsg_cap bytes), e.g. "candidate: record
     * INC0001 revision 4: ..."; on success errmsg[0] is NUL. */
    char           *errmsg;
    size_t          errmsg_cap;
} itsm_whatif_opts;

#define ITSM_WHATIF_OPTS_VERSION 1
#define ITSM_WHATIF_OPTS_INIT { ITSM_WHATIF_OPTS_VERSION, ITSM_TIME_NONE, { NULL, NULL, NULL, NULL }, NULL, 0 }
/* For languages without macros: sets *opts to ITSM_WHATIF_OPTS_INIT.
 * ITSM_EINVAL for NULL, 0 or a version newer than this library's. */
ITSM_API int itsm_whatif_opts_init(itsm_whatif_opts *opts, unsigned version);

/*
 * The what-if of `candidate` against the engine's own run (each event
 * under the policy version it was judged under), over every
 * event the engine's store holds (its scan). The engine's records, policy,
 * store and clock are not touched; on failure its message says why.
 * `opts` may be NULL (defaults). *out is NULL on any error.
 * Errors: ITSM_EINVAL (NULL out, engine or candidate; an options version 0
 * or newer than this library's; an engine with no store, or a store without
 * scan), ITSM_ESTATE (called from inside the engine's own callback),
 * ITSM_EPOLICY (the candidate has findings: the message is the first),
 * the replay's code when an event does not replay under the candidate
 * (ITSM_EPARSE, ITSM_ECONFLICT, ITSM_ENOTFOUND: e.g. a state the candidate
 * lacks; the message names the side, record and revision), the scan's own
 * code, ITSM_ENOMEM. Free with itsm_whatif_free.
 */
ITSM_API int itsm_whatif_new(itsm_whatif **out, itsm_engine *eng, const itsm_policy *candidate,
                             const itsm_whatif_opts *opts);

/*
 * The same over a store without an engine: `store` (its scan is called with
 * `store_user`; nothing else of it), judged under `actual` and under
 * `candidate`. Errors as itsm_whatif_new, with ITSM_EINVAL for a NULL
 * store or actual policy, a store without scan or of a version this
 * library does not know, a half-set allocator, and ITSM_EPOLICY for
 * findings in either policy; the message goes to opts->errmsg.
 */
ITSM_API int itsm_whatif_store(itsm_whatif **out, const itsm_store *store, void *store_user,
                               const itsm_policy *actual, const itsm_policy *candidate,
                               const itsm_whatif_opts *opts);

/* Frees the what-if. Accepts NULL. */
ITSM_API void itsm_whatif_free(itsm_whatif *w);

/* ---- verdicts ----------------------------------------------------------- */

typedef enum itsm_whatif_verdict {
    ITSM_WHATIF_NONE     = 0,   /* no target applies */
    ITSM_WHATIF_PENDING  = 1,   /* running or paused within its target */
    ITSM_WHATIF_MET      = 2,   /* stopped within its target */
    ITSM_WHATIF_BREACHED = 3
} itsm_whatif_verdict;

typedef enum itsm_whatif_clock {
    ITSM_WHATIF_RESPONSE   = 0,   /* the SLA's response timer */
    ITSM_WHATIF_RESOLUTION = 1,   /* the SLA's resolution timer */
    ITSM_WHATIF_AGREEMENT  = 2    /* an agreement instance */
} itsm_whatif_clock;

/* "none", "pending", "met", "breached"; NULL if unknown. */
ITSM_API const char *itsm_whatif_verdict_name(itsm_whatif_verdict v);
/* "response", "resolution", "agreement"; NULL if unknown. */
ITSM_API const char *itsm_whatif_clock_name(itsm_whatif_clock c);

/* ---- the summary -------------------------------------------------------- */

typedef struct itsm_whatif_summary {
    size_t    size;                /* sizeof(itsm_whatif_summary), set by the caller (common.h) */
    itsm_time as_of;               /* when open clocks were judged */
    size_t    events;              /* records' events replayed (into each side; a store's policy events are passed by) */
    size_t    records;             /* records compared */
    size_t    clocks;              /* clocks with a verdict other than none on either side */
    size_t    flips;               /* of those, whose verdict differs */
    size_t    to_breached;         /* not breached actually, breached under the candidate */
    size_t    to_met;              /* breached actually, not under the candidate */
    size_t    actual_breached;     /* clocks breached, all SLAs and agreements */
    size_t    candidate_breached;
} itsm_whatif_summary;

/* ITSM_EINVAL for NULL or a size it cannot fill (common.h). */
ITSM_API int itsm_whatif_summary_of(itsm_whatif_summary *out, const itsm_whatif *w);

/* ---- flips -------------------------------------------------------------- */

/* One clock of one record whose verdict differs. */
typedef struct itsm_whatif_flip {
    size_t              size;               /* sizeof(itsm_whatif_flip), set by the caller */
    const char         *record;             /* the record's id */
    const char         *group;              /* its assignment group at the end; NULL: none */
    int                 priority;           /* its priority at the end; 0: none */
    itsm_whatif_clock   clock;
    const char         *actual_sla;         /* the SLA or agreement on each side; NULL: none */
    const char         *candidate_sla;
    itsm_whatif_verdict actual, candidate;
    uint32_t            actual_target;      /* working seconds; 0: none */
    uint32_t            candidate_target;
    int64_t             actual_elapsed;     /* working seconds counted up to as_of */
    int64_t             candidate_elapsed;
} itsm_whatif_flip;

/* The number of flips; 0 for NULL. */
ITSM_API size_t itsm_whatif_flip_count(const itsm_whatif *w);
/* Flip `index`, in the order the records were opened, then response,
 * resolution, agreements by name. ITSM_EINVAL for NULL, an index out of
 * range or a size it cannot fill. */
ITSM_API int    itsm_whatif_flip_at(const itsm_whatif *w, size_t index, itsm_whatif_flip *out);

/* ---- per SLA and per group ---------------------------------------------- */

typedef struct itsm_whatif_sla {
    size_t            size;                 /* sizeof(itsm_whatif_sla), set by the caller */
    const char       *name;                 /* the SLA or agreement */
    itsm_whatif_clock clock;
    size_t            actual_met, actual_breached, actual_pending;
    size_t            candidate_met, candidate_breached, candidate_pending;
} itsm_whatif_sla;

/* Rows per (clock, SLA name) either side judged, ordered by clock then
 * name. The number of rows; 0 for NULL. */
ITSM_API size_t itsm_whatif_sla_count(const itsm_whatif *w);
/* ITSM_EINVAL for NULL, an index out of range or a size it cannot fill. */
ITSM_API int    itsm_whatif_sla_at(const itsm_whatif *w, size_t index, itsm_whatif_sla *out);

typedef struct itsm_whatif_group {
    size_t      size;                       /* sizeof(itsm_whatif_group), set by the caller */
    const char *group;                      /* assignment group at the end; NULL: none */
    size_t      records;                    /* records with a clock judged */
    size_t      actual_breached;            /* clocks breached (every clock of its records) */
    size_t      candidate_breached;
    size_t      to_breached, to_met;        /* flips, as in the summary */
} itsm_whatif_group;

/* Rows per assignment group (of the actual side, at the end) of records
 * with a clock judged: none first, then by bytes. 0 for NULL. */
ITSM_API size_t itsm_whatif_group_count(const itsm_whatif *w);
/* ITSM_EINVAL for NULL, an index out of range or a size it cannot fill. */
ITSM_API int    itsm_whatif_group_at(const itsm_whatif *w, size_t index, itsm_whatif_group *out);

/* ---- time to resolve ---------------------------------------------------- */

typedef enum itsm_whatif_measure {
    ITSM_WHATIF_RESOLVE_WALL = 0,   /* resolved_at - opened_at */
    ITSM_WHATIF_RESOLVE_WORK = 1    /* the resolution timer's working seconds (pauses apart) */
} itsm_whatif_measure;

/* "resolve_wall", "resolve_work"; NULL if unknown. */
ITSM_API const char *itsm_whatif_measure_name(itsm_whatif_measure m);

/* Over the records resolved on both sides (work: with a resolution timer
 * on both sides). Seconds; percentiles by nearest rank. */
typedef struct itsm_whatif_duration {
    size_t  size;                     /* sizeof(itsm_whatif_duration), set by the caller */
    size_t  count;
    size_t  changed;                  /* records whose value differs */
    double  actual_mean, candidate_mean;
    double  mean_delta;               /* candidate - actual */
    int64_t actual_p50, candidate_p50;
    int64_t actual_p90, candidate_p90;
    int64_t max_delta;                /* the largest |candidate - actual| of one record */
} itsm_whatif_duration;

/* ITSM_EINVAL for NULL, an unknown measure or a size it cannot fill. */
ITSM_API int itsm_whatif_duration_of(itsm_whatif_duration *out, const itsm_whatif *w, itsm_whatif_measure m);

/* ---- writing ------------------------------------------------------------ */

/*
 * The what-if as one JSON object, snprintf-style (common.h): ITSM_OK when
 * it fitted, ITSM_ELIMIT when not (*len says how much is needed),
 * ITSM_EINVAL for NULL w or len, or NULL buf with cap > 0. At most
 * `max_flips` flips are listed ("flips_listed" says how many; SIZE_MAX:
 * all). Form (docs/whatif.md):
 *   {"version":1,"as_of":T,"events":N,"records":N,"clocks":N,"flips":N,
 *    "to_breached":N,"to_met":N,"actual_breached":N,"candidate_breached":N,
 *    "slas":[{"clock":"resolution","name":S,"actual":{"met":N,"breached":N,"pending":N},
 *             "candidate":{...}}],
 *    "groups":[{"group":S|null,"records":N,"actual_breached":N,"candidate_breached":N,
 *               "to_breached":N,"to_met":N}],
 *    "durations":{"resolve_wall":{"count":N,"changed":N,"actual_mean":X,"candidate_mean":X,
 *               "mean_delta":X,"actual_p50":N,"candidate_p50":N,"actual_p90":N,
 *               "candidate_p90":N,"max_delta":N},"resolve_work":{...}},
 *    "flips_listed":N,
 *    "flip_list":[{"record":S,"group":S|null,"priority":N,"clock":S,
 *               "actual":{"sla":S|null,"verdict":S,"target":N,"elapsed":N},"candidate":{...}}]}
 * The same what-if always gives the same bytes.
 */
ITSM_API int itsm_whatif_to_json(const itsm_whatif *w, size_t max_flips, char *buf, size_t cap, size_t *len);

#ifdef __cplusplus
}
#endif
#endif
