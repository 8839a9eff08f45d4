/* SPDX-License-Identifier: Apache-2.0 */
/*
 * itsm/engine.h - the engine: one process state, one store, one clock.
 *
 * An engine holds the records, the policy (its own copy) and the host's
 * callbacks. It has no threads and no global state: two engines never share
 * anything, and one engine must be used by one thread at a time.
 *
 * Every mutation is one atomic step:
 *   validate -> compute the change -> build its events
 *   -> store.append(events) -> only if that succeeded: apply, then sink.
 * If the store refuses, nothing changed and the caller gets its error.
 *
 * Every call that changes the engine also returns ITSM_ESTATE when made from
 * inside the engine's own store or sink callback, and ITSM_EINVAL when the
 * clock returns a time outside 1970..9999 (itsm_engine_tick, dated by its
 * `now` and not by the clock, only when `now` is); the per-function lists
 * below do not repeat these two.
 */
#ifndef ITSM_ENGINE_H
#define ITSM_ENGINE_H

#include "common.h"
#include "json.h"
#include "policy.h"
#include "event.h"
#include "sys/store.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct itsm_engine itsm_engine;

/* The host's clock: the current time. Must not fail; return a value within
 * ITSM_TIME_MIN..ITSM_TIME_MAX. */
typedef itsm_time (*itsm_clock_fn)(void *user);

/* Told about accepted events after they are applied (notifications, chat,
 * e-mail). The events are borrowed for the duration of the call. The sink
 * must not call back into the engine. */
typedef void (*itsm_event_sink_fn)(void *user, const itsm_event *const *events, size_t n);

typedef struct itsm_engine_opts {
    unsigned            version;     /* ITSM_ENGINE_OPTS_VERSION */
    const itsm_policy  *policy;      /* copied; NULL: the default policy */
    const itsm_store   *store;       /* copied; NULL: records live in memory only
                                        and are lost when the engine is freed */
    void               *store_user;
    itsm_clock_fn       clock;       /* NULL: the system clock (time()) */
    void               *clock_user;
    itsm_event_sink_fn  sink;        /* may be NULL */
    void               *sink_user;
    itsm_allocator      alloc;       /* all NULL: libc */
    itsm_json_limits    limits;      /* zeros: the defaults of json.h */
    /* Version 2 (itsm 0.2) on. There is no engine yet to hold the message
     * of a failed itsm_engine_new, so it goes here: when errmsg is set and
     * errmsg_cap > 0, a failing itsm_engine_new writes why (NUL-terminated,
     * cut to errmsg_cap bytes), e.g. "engine options version 3 is newer
     * than this library's 2 (itsm 0.2.0)"; on success errmsg[0] is NUL.
     * An out-of-memory failure writes "out of memory". */
    char               *errmsg;
    size_t              errmsg_cap;
} itsm_engine_opts;

#define ITSM_ENGINE_OPTS_VERSION 2
#define ITSM_ENGINE_OPTS_INIT { ITSM_ENGINE_OPTS_VERSION, NULL, NULL, NULL, NULL, NULL, \
                                NULL, NULL, { NULL, NULL, NULL, NULL }, { 0, 0, 0 }, NULL, 0 }
/* For languages without macros: the INIT macro's values for `version` (1
 * or 2; an older version gets only its own members, written). ITSM_EINVAL
 * for NULL, 0 or a version newer than this library's. */
ITSM_API int itsm_engine_opts_init(itsm_engine_opts *opts, unsigned version);

/*
 * Create an engine. `opts` may be NULL (all defaults). The policy is checked
 * and copied: a policy with findings is ITSM_EPOLICY (the message, see
 * errmsg above, is the first finding).
 * Options and store table of every version up to this library's are
 * accepted (common.h); a newer one is ITSM_EINVAL naming both versions.
 * Errors: ITSM_EINVAL (NULL out, options or store of version 0 or newer
 * than this library's, half-set allocator, store without append),
 * ITSM_EPOLICY, ITSM_ENOMEM. Free with itsm_engine_free. *out is NULL on
 * any error. Creating an engine does not read the store: call
 * itsm_engine_load.
 */
ITSM_API int  itsm_engine_new(itsm_engine **out, const itsm_engine_opts *opts);
/* Frees the engine and every record; calls store.destroy if set. Accepts NULL. */
ITSM_API void itsm_engine_free(itsm_engine *eng);

/* Why the last failing call on this engine failed, e.g.
 * "transition 'resolve' from 'on_hold' needs fields 'resolution_code', 'resolution_notes'".
 * "" when nothing failed yet. Borrowed, valid until the next call.
 * The message (and code) of the last failure is kept: a successful call
 * does not clear it, so read it right after the call that failed. Every
 * call that fails with a reachable engine - including reading calls on a
 * const engine or record, such as itsm_engine_record_at or
 * itsm_record_timeline_at with an index out of range - sets its own
 * message, so a message never belongs to an earlier failure. A getter's
 * "none" is an answer, not a failure: itsm_record_survey, itsm_record_oncall,
 * itsm_record_review (and itsm_review_cause_at, itsm_review_action_at),
 * itsm_record_approval_level (no rule applies), itsm_record_problem_proposal
 * and itsm_change_planned return ITSM_ENOTFOUND for a record without one
 * and leave the message (and code) as they were, so a host may look
 * between a refused call and reading why; their success leaves it too, as
 * every call's does. Calls given a
 * NULL engine (or a NULL record, packet, ...) have no engine to write to
 * and only return ITSM_EINVAL. An out-of-memory message is static text,
 * written without allocating. "no engine" for NULL. */
ITSM_API const char *itsm_errmsg(const itsm_engine *eng);
/* The code of the last failing call on this engine, ITSM_OK if none;
 * ITSM_EINVAL for NULL. */
ITSM_API int         itsm_errcode(const itsm_engine *eng);

/* The engine's policy. Borrowed, valid while the engine lives; read-only. */
ITSM_API const itsm_policy *itsm_engine_policy(const itsm_engine *eng);
/* A field, built-in or declared by the engine's policy, by name: the
 * handle to use in changes and getters. ITSM_OK and *out set,
 * ITSM_ENOTFOUND, ITSM_EINVAL for NULL. */
ITSM_API int itsm_engine_field(itsm_field *out, const itsm_engine *eng, const char *name);

/* Name who makes the following changes (recorded on each event); NULL
 * clears it. Copied. ITSM_EINVAL, ITSM_ELIMIT, ITSM_ENOMEM. */
ITSM_API int itsm_engine_set_actor(itsm_engine *eng, const char *actor);

/*
 * A symbol's handle: the engine's own copy of `symbol` (an actor, a group,
 * a service, a category: any symbol value), interned once. Pass *out
 * wherever a symbol string is taken - itsm_engine_set_actor, a symbol
 * field of itsm_change - and the engine knows it by its address without
 * reading, hashing or checking its bytes again, however many handles the
 * host holds. It is an ordinary string too (read it, compare it), and the
 * very pointer itsm_record_str gives for a field holding that symbol, so
 * a host compares a field with a handle by pointer. Borrowed: valid until
 * the engine is freed; do not write to it. Equal symbols get the same
 * handle.
 * Plain strings stay the convenient way: the engine also remembers the
 * last strings it was given by address, so a host passing the same string
 * again pays a comparison, not a lookup.
 * Errors: ITSM_EINVAL (NULL, empty, not a valid symbol: control bytes,
 * bad UTF-8), ITSM_ELIMIT (over 255 bytes), ITSM_ENOMEM.
 */
ITSM_API int itsm_engine_symbol(itsm_engine *eng, const char *symbol, const char **out);
/* itsm_engine_symbol for the n bytes at `symbol`, which need no NUL after
 * them: the same handle, for a host that knows the length already (a
 * parser's interned strings), so the engine does not measure it. A NUL
 * among the n bytes is a control byte: not a valid symbol.
 * Errors: ITSM_EINVAL (NULL, n 0, not a valid symbol), ITSM_ELIMIT (n
 * over 255), ITSM_ENOMEM. */
ITSM_API int itsm_engine_symbol_n(itsm_engine *eng, const char *symbol, size_t n, const char **out);

/* A size hint: room for `records` more records and `symbols` more
 * symbols (handles, symbol field values, actors) made now, so that the
 * engine's record index and symbol tables do not grow step by step while
 * they come (a host that knows its input's size: a bulk import, a log
 * replay). Changes nothing else; without it the tables grow as needed.
 * Errors: ITSM_EINVAL (NULL), ITSM_ESTATE (called from inside a store or
 * sink callback, as any call that changes the engine), ITSM_ELIMIT (more
 * than 2^31 records or symbols), ITSM_ENOMEM (part of the room may be
 * made; the engine works on as before). */
ITSM_API int itsm_engine_reserve(itsm_engine *eng, size_t records, size_t symbols);

/* The engine's clock; ITSM_TIME_NONE for NULL. */
ITSM_API itsm_time itsm_engine_now(const itsm_engine *eng);

/* ---- records ------------------------------------------------------------ */

/* The number of records the engine holds (opened or replayed); 0 for NULL. */
ITSM_API size_t itsm_engine_record_count(const itsm_engine *eng);
/* Records in the order they were opened. *out is borrowed. ITSM_EINVAL for
 * NULL or an index out of range (the message names the index). */
ITSM_API int itsm_engine_record_at(itsm_record **out, const itsm_engine *eng, size_t index);

/* ---- replay ------------------------------------------------------------- */

/*
 * Apply one stored event (its JSON form) without calling the store: this is
 * how an engine is rebuilt from a store, or catches up after ITSM_ECONFLICT.
 * An event whose revision the record already has, or passed, is skipped
 * (ITSM_OK) when it is the event applied at that revision, so replaying a
 * store twice is harmless; when its content differs it is ITSM_ETAMPER
 * naming record and revision (an engine whose store gives no events back
 * keeps nothing to compare with and skips it: docs/events.md,
 * "Duplicates"). A gap (revision more than one ahead) is ITSM_ECONFLICT,
 * naming record and revisions. The sink is not called. When the
 * engine keeps a hash chain (itsm/integrity.h), the event's "hash" must be
 * the next link of its record's chain, or it is refused with ITSM_ETAMPER
 * (the message names the record and revision). A refused event changes
 * nothing.
 * The event is judged under the policy version it names ("pv", docs/
 * policy.md "Versions"; none: the engine's initial policy); a `policy`
 * event registers a version.
 * Errors: ITSM_EPARSE / ITSM_ELIMIT (with err filled), ITSM_ENOTFOUND (an
 * event for an unknown record), ITSM_ECONFLICT, ITSM_ETAMPER (also: a
 * policy event whose document does not match its hash), ITSM_EPOLICY (an
 * event under a version the engine does not know, the message naming the
 * record, revision and version; a stored version with findings or whose
 * lifecycles differ from the engine's), ITSM_ENOMEM. `err` may be NULL.
 */
ITSM_API int itsm_engine_replay_json(itsm_engine *eng, const char *json, size_t len,
                                     itsm_parse_error *err);

/* itsm_engine_replay_json for an event in either form: the binary form
 * (itsm_event_to_binary: it starts with the byte 0xE5) or JSON text.
 * Errors, as itsm_engine_replay_json: ITSM_EINVAL (NULL eng or event),
 * ITSM_EPARSE / ITSM_ELIMIT (err filled; a binary event's err gives line 1
 * and column = byte offset + 1), ITSM_ENOTFOUND, ITSM_ECONFLICT,
 * ITSM_ETAMPER (the hash chain, itsm/integrity.h: the binary form carries
 * the same link, over the same canonical form), ITSM_ENOMEM. `err` may be
 * NULL. ITSM_EPOLICY as for itsm_engine_replay_json. */
ITSM_API int itsm_engine_replay(itsm_engine *eng, const void *event, size_t len, itsm_parse_error *err);

/* Replay every event the store's scan gives (either form, as
 * itsm_engine_replay takes them). ITSM_EINVAL for NULL or if
 * the engine has no store or its store no scan; otherwise the first failing
 * replay's code (or the scan's own), the events before it applied.
 * Loading into an engine that holds no record yet also verifies the store
 * (itsm/integrity.h): each record's hash chain, and that its events come
 * 1, 2, 3... exactly once. The first event that breaks either - changed,
 * removed, repeated, moved or added by hand - is ITSM_ETAMPER, the message
 * naming its record and revision; the engine is then left empty, as it was
 * (nothing of a tampered store is trusted), or, when even that runs out of
 * memory, ITSM_ENOMEM and the engine refuses every call: free it. An
 * engine that holds records already is catching up: an event it has is
 * compared and skipped (ITSM_ETAMPER when it differs from the one applied)
 * and a gap is ITSM_ECONFLICT, as for itsm_engine_replay_json.
 * Each event is judged under the policy version it names, whose document
 * the store holds (a `policy` event); the engine may have been made with
 * another version (a restart with an edited policy), which stays current.
 * When an event names a version whose document the store keeps only later
 * (a store written before every store held its documents), the load reads
 * the store's policy documents first and starts again (docs/policy.md,
 * "Versions"). An event under a version the engine cannot know (the store
 * holds no document of it) or a version document it cannot join is
 * ITSM_EPOLICY; loading into an engine that held no record, the engine is
 * then left empty, as it was (as for ITSM_ETAMPER), so a load that cannot
 * judge the whole store applies none of it.
 * What a failure leaves otherwise: an engine that held records keeps
 * them and the events applied before the failing one (they are the
 * store's, in order), whatever the code; so does an empty engine after
 * any other code (ITSM_ENOMEM, the scan's own, ITSM_EPARSE, ...). Events
 * an engine has are skipped, so calling again resumes after them. */
ITSM_API int itsm_engine_load(itsm_engine *eng);

/* ---- policy versions (docs/policy.md, "Versions") ----------------------- */

/*
 * Make `policy` (copied) the engine's current version. From now on new
 * records are under it, and every open record moves to it at its next
 * event: that event and what follows are judged under it (its service-level
 * targets, calendars, pauses, warnings and cadence; the clocks up to the
 * event counted under the old one). A settled record never moves: one in a
 * closed state or in a state that stops the service-level clocks
 * ("resolved" by default) keeps the version it settled under, and so its
 * verdicts. Adopting a version the engine knows already makes it current
 * again.
 *
 * With the store: the store holds the document of every version its
 * events name (an engine appends its version's `policy` event,
 * docs/events.md, with its first event under a version the store does not
 * hold yet), so the document of the new version, and that of the one in
 * force until now if the store lacks it, are appended in one append at
 * the adoption; if the store refuses, nothing changed. Inside a group
 * (itsm_engine_begin) they are part of the group, and so is the adoption:
 * a group not kept (rolled back, or its commit refused) leaves the engine
 * under the version in force when the group began.
 *
 * A version may change guards, stamps, clears, the priority matrix, the
 * counters and every capability's rules (targets, calendars, pauses,
 * warnings, ladders, routes, OLAs, ...), add states and events after the
 * existing ones and add or remove transitions; it keeps every state of the
 * engine's versions (name, position, flags), every event and the roles,
 * the custom fields, the service-level stop states and the agreements:
 * otherwise ITSM_EPOLICY, the message saying what differs (a version that
 * removes a state is refused even when no record is in it). itsm_engine_policy gives the current
 * version's policy afterwards.
 * Errors: ITSM_EINVAL (NULL), ITSM_EPOLICY (findings, or not compatible),
 * ITSM_ELIMIT (65,535 versions), ITSM_ESTORE / ITSM_ECONFLICT / ITSM_EUSER
 * (the store refused the policy event), ITSM_ENOMEM.
 */
ITSM_API int itsm_engine_adopt_policy(itsm_engine *eng, const itsm_policy *policy);

/* The current version's id: the first 16 hex digits of its content hash
 * (itsm_policy_hash), as events record it ("pv"). Borrowed, valid while the
 * engine lives; NULL for NULL. */
ITSM_API const char *itsm_engine_policy_version(const itsm_engine *eng);

/* The id of the version a record is under (the one its last event was
 * judged under). Borrowed, valid while the engine lives; NULL for NULL. */
ITSM_API const char *itsm_record_policy_version(const itsm_record *record);

/* The policy of the version a record is under. Borrowed, valid while the
 * engine lives; read-only; NULL for NULL. */
ITSM_API const itsm_policy *itsm_record_policy(const itsm_record *record);

/* ---- group commit ------------------------------------------------------- */

/*
 * Many mutations, one durable write. Between itsm_engine_begin and
 * itsm_engine_commit every mutating call works as it always does -
 * validate, build its events, store.append, and only if the store took
 * them, apply - but its append goes into the store's group (the group slot
 * of sys/store.h), which the store makes durable at once at the commit.
 * So write-ahead holds for every call: nothing is applied before the store
 * has it. What waits for the commit is durability and everything outside
 * the engine:
 *
 *   - reads (getters, find, reports) and later calls see each change as
 *     soon as its call returned ITSM_OK, as without a group;
 *   - the event sink hears nothing until the commit, then every change of
 *     the group, one call per mutation, in order;
 *   - other engines on the store see nothing until the commit;
 *   - ITSM_OK from a call means "in the group"; the change is durable when
 *     itsm_engine_commit returns ITSM_OK. A crash before that loses the
 *     whole group and nothing else.
 *   - A call that fails inside a group changes nothing, as always, and the
 *     group goes on.
 *
 * If the group is not kept (the commit fails, or itsm_engine_rollback),
 * the engine goes back to the last commit: it drops every record and loads
 * them again from the store (store.scan), which holds exactly what was
 * committed. Every record (and packet) pointer taken from the engine
 * before is then invalid: find records again by id. That reload reads the
 * whole store; a failed commit is meant to be rare (the store's disk
 * failing), and a rollback the exception.
 *
 * A group holds the store's write lock until it ends (SQLite: other writers
 * wait; PostgreSQL: other nodes' appends wait): keep groups short on a
 * shared store. The store must have the group and scan slots.
 */

/* Open a group. Errors: ITSM_EINVAL (NULL, no store, or a store without
 * group or scan), ITSM_ESTATE (a group is open already), or the store's own
 * code (ITSM_ESTORE, ITSM_EUSER) when it cannot begin one. */
ITSM_API int itsm_engine_begin(itsm_engine *eng);

/* Make the open group durable, then tell the sink every change of it.
 * Errors: ITSM_EINVAL (NULL), ITSM_ESTATE (no group is open); when the
 * store does not keep the group, its code (ITSM_ESTORE, ...) and the
 * engine has gone back to the last commit (see above; if even that
 * failed, ITSM_ENOMEM or the scan's code, and the engine refuses every
 * further change with ITSM_ESTATE: free it). */
ITSM_API int itsm_engine_commit(itsm_engine *eng);

/* Drop the open group: the store keeps none of it, the sink hears none of
 * it, and the engine goes back to the last commit. ITSM_EINVAL (NULL),
 * ITSM_ESTATE (no group is open), or the reload's code as for a failed
 * commit. */
ITSM_API int itsm_engine_rollback(itsm_engine *eng);

/* The number of events appended in the open group (0 when none is open,
 * or for NULL): a host commits every N events by it. */
ITSM_API size_t itsm_engine_group_events(const itsm_engine *eng);

#ifdef __cplusplus
}
#endif
#endif
