/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Internal: the table a capability registers with the core, the way SQLite
 * registers a VFS. The core (src/core/) knows records, events and the
 * batch; everything else (service levels, escalation, major incidents,
 * communication, closure, problems, handovers, knowledge) is a capability
 * listed in the static registry (src/capabilities.c), and the core calls it
 * only through these hooks, in registry order. docs/architecture.md shows
 * where each hook runs on the way of one mutation.
 *
 * Every member may be NULL.
 *
 * The policy section (a capability's part of itsm_policy, opaque to the
 * core; the policy holds it in sect[slot]):
 *   policy_keys    the top-level members of the policy document it reads
 *   policy_new     a section holding the defaults
 *   policy_free    (accepts NULL)
 *   policy_clone   a deep copy with the allocator `a`
 *   policy_read    read its members of the document's root (absent members
 *                  keep the defaults); on a schema error fill `err` and
 *                  return ITSM_EPARSE (ITSM_ENOMEM when out of memory)
 *   policy_write   write its members (always all of them, so a document
 *                  round-trips byte for byte)
 *   policy_check   add findings (itsm__finding) for what cannot work
 *
 * The engine (its state is eng->cap[slot], opaque to the core):
 *   engine_init    create the state and index the policy, when the engine
 *                  is made; ITSM_ENOMEM fails itsm_engine_new
 *   engine_free    free it (the records are still there)
 *   extend_types, extend_fields
 *                  the events extend acts on: the core calls extend only
 *                  for a batch holding an event of one of these types
 *                  (bits 1u << ITSM__EV_*, and ITSM__EVB_SETTLING for a
 *                  transition into a closed or clock-stopping state) or
 *                  changing one of these fields (bits 1 << itsm_field);
 *                  both 0: every batch
 *   extend         on a live step, after the caller's events are built and
 *                  finalised and before the store sees them: add the
 *                  events the capability derives (children resolved with
 *                  their parent, a link to a known outage, ...) or propose
 *                  changes on the batch's events, through the core's batch
 *                  calls only. `n0` is the number of events before any
 *                  capability extended the batch. An error aborts the step.
 *   extend_idle    for a batch of one transition, opening or update
 *                  `ev` (finalised, not applied) that extend would be
 *                  called for: 1 when it would add no event and change
 *                  nothing (the same test as its own early return; no
 *                  side effects). When every extend hook found for such a
 *                  transition says so, the step takes the one-event
 *                  commit (core/commit_one.h) and no extend is called;
 *                  an opening or an update skips the hooks that say so
 *                  (core/batch.c). NULL: extend always runs
 *   extend_idle_unset, extend_idle_unchanged
 *                  for a lone transition, a sufficient condition for
 *                  extend_idle's 1 that the core tests inline, without the
 *                  call: the step changes none of the built-in fields in
 *                  either mask (bits 1 << itsm_field) and each field of
 *                  extend_idle_unset is unset on its record (no symbol, a
 *                  number 0, no time). Anything else asks extend_idle,
 *                  whose answer it must imply (the checked build,
 *                  ITSM_CHECK_REPLAN, asks it too). Both 0: always ask
 *   extend_idle_policy
 *                  1: extend_idle's answer depends on the engine's policy
 *                  in force alone (it reads neither `ev` nor any record):
 *                  for openings and updates the core asks once per policy
 *                  and keeps the answer until the policy or the hook lists
 *                  change (core/batch.c, itsm__policy_idle)
 *   extend_idle_open
 *                  for an opening of itsm_record_open whose changes are
 *                  all in its record (ev->written == ev->nchanges),
 *                  extend_idle's answer as a test the core makes inline,
 *                  under the policy in force: fills `f` and returns 1, or
 *                  returns 0 when it has none (extend_idle is asked).
 *                  The answer is 1 exactly when the opening gives none of
 *                  f->busy's fields and bit v of f->idle is set for the
 *                  value v of f->field (a built-in 4-bit number) in its
 *                  fresh record (0 when the opening does not give it).
 *                  Learnt with extend_idle_policy's answers (once per
 *                  policy, core/batch.c; one hook's, the first's: any
 *                  other is asked); the checked build
 *                  (ITSM_CHECK_REPLAN) asks extend_idle too and traps on a
 *                  difference. NULL: extend_idle is asked
 *   extend_idle_zero
 *                  for a lone transition, under the policy in force: the
 *                  address of an engine count (a size_t the capability's
 *                  engine state keeps for the engine's life) whose 0
 *                  implies extend_idle's 1, or NULL when the policy gives
 *                  no such form. Learnt with extend_idle_policy's answers
 *                  (once per policy, core/batch.c; one hook's, the
 *                  first to declare it: any other is asked); the core
 *                  reads the count
 *                  inline instead of the call, and asks extend_idle when
 *                  it is not 0. The checked build (ITSM_CHECK_REPLAN)
 *                  asks extend_idle too and traps on a refusal. NULL:
 *                  extend_idle is asked
 *   extend_kinds   bits 1u << itsm_kind: extend runs only for a batch
 *                  holding an event on a record of one of these kinds
 *                  (it looks at no other); 0: any kind
 *   watch_types, watch_fields
 *                  the events reserve, before_apply and after_apply are
 *                  for: reserve runs for a batch holding an event of one of
 *                  these types (bits 1u << ITSM__EV_*) or changing one of
 *                  these fields (bits 1 << itsm_field), the apply hooks for
 *                  such an event; both 0: every batch and event
 *   extend_open_fields, watch_open_fields
 *                  for an OPEN event alone, the fields that make it one
 *                  the hooks are for (extend; reserve and the apply hooks),
 *                  when an opening changing none of them needs nothing
 *                  (one opened on no service): such an opening then runs
 *                  no hook of the capability's although it changes a field
 *                  of extend_fields / watch_fields. 0: openings as the
 *                  filters above say. Leave the ITSM__EV_OPEN type bit out
 *                  with them (it would take every opening).
 *   reserve        live and replay, after extend: allocate everything
 *                  apply will need, so that applying cannot fail (the
 *                  store already holds the events when apply runs)
 *   reserve_own_classes
 *                  1: reserve needs room only for events of the
 *                  capability's own classes (it ignores every other
 *                  event): it runs only for a batch holding one
 *   before_apply   for each event just before it applies (the record
 *                  still holds its old values); must not fail
 *   after_apply    for each event just after it applied; must not fail
 *   after_apply_alone
 *                  (may be NULL) after_apply while the engine skips the
 *                  capability's before_apply (itsm__cap_before_skip): it
 *                  does before_apply's work first, where that work reads
 *                  nothing the event changes
 *   record_free    free the capability's part of a record (its slot in
 *                  itsm__rec_xs), when the record goes
 *   load           a load of a whole store into an empty engine
 *                  (itsm_engine_load) begins (begin 1) or has ended
 *                  (begin 0, also after a failed one): work that only
 *                  readers of the engine see, redone at every event, may
 *                  be done once per record at the end instead. The end may
 *                  fail only with ITSM_ENOMEM (the load then empties the
 *                  engine again)
 *   classes        the event classes it adds (NULL-terminated)
 *   guards         the guard kinds it adds to the lifecycle language
 *                  (NULL-terminated; itsm__guard_kind below)
 *   version_check  a policy version `next` is to join an engine whose
 *                  current version is `cur` (itsm_engine_adopt_policy, a
 *                  stored policy event): ITSM_OK when the capability's
 *                  engine state can judge records under both, else
 *                  ITSM_EPOLICY with why in why[0..cap)
 *   version_added  it joined: widen what the engine state derived from
 *                  the policy (cannot fail)
 *   needs          ITSM__CAP_NEEDS_READABLE_STORE: the hooks (not
 *                  engine_init/free) are registered only for an engine whose
 *                  store gives events back (scan or read_record), so other
 *                  engines pay nothing for them
 *   record_size, record_kinds, record_slot, record_init
 *                  per-record state the core allocates with the record
 *                  (below); a capability may instead allocate its own in
 *                  reserve and free it in record_free
 */
#ifndef ITSM_SRC_CORE_CAPABILITY_H
#define ITSM_SRC_CORE_CAPABILITY_H

#include <stddef.h>
#include <stdint.h>

#include "itsm/common.h"
#include "itsm/json.h"

struct itsm_engine;
struct itsm_event;
struct itsm_record;
struct itsm_policy;
struct itsm__jval;
struct itsm__jw;
struct itsm__evclass;
struct itsm__errbuf;

/* An extend hook's idle test for an opening (capability.h:
 * extend_idle_open): 0 when the opening gives a field of `busy`, else
 * bit v of `idle` for the value v of `field` in its fresh record. */
typedef struct itsm__idle_open {
    uint64_t busy;
    uint16_t idle;
    unsigned char field;
} itsm__idle_open;

/* Room for the registry and for capabilities to come. */
#define ITSM__CAP_MAX 24

/* A policy check finding: printf-style, the lifecycle or section first
 * ("incident: state 'limbo' is unreachable from 'new'"). */
void itsm__finding(struct itsm_policy *p, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/*
 * A guard kind a capability adds to the lifecycle language: the guard term
 * "NAME:ARG" (approved:all, gate:not_shut, window:allowed), where NAME is
 * the kind's name. Built-in terms (fields, '|', '=', link:KIND) keep their
 * meaning; a capability's NAME never names a field.
 *   parse     when a transition is added: check ARG (n bytes, not
 *             NUL-terminated) and return ITSM_OK, or ITSM_EINVAL with a
 *             message in `e` saying what ARG may be. May keep a number in
 *             *num; the term keeps ARG itself as text.
 *   met       on a step (itsm_record_fire, every step built with
 *             itsm__batch_fire, and the "what can fire now" queries):
 *             whether the term holds for record `r` as the step `ev` would
 *             leave it (the step's own changes count, as for field
 *             guards). `ev` may be an event with no changes. No side effects.
 *   describe  what is missing, as the words after "transition 'x' from 'y'
 *             needs " ("level 2 'cab' of approval rule 'normal' approved: 1
 *             of 2 approvals"), snprintf-style into out[0..cap). Called only
 *             when met is 0; the words name the kind (approved, risk,
 *             window, gate), so a message always names what is missing.
 */
typedef struct itsm__guard_kind {
    const char *name;
    int  (*parse)(const char *arg, size_t n, int64_t *num, struct itsm__errbuf *e);
    int  (*met)(const struct itsm_engine *eng, const struct itsm_record *r, const struct itsm_event *ev,
                const char *arg, int64_t num);
    void (*describe)(const struct itsm_engine *eng, const struct itsm_record *r, const struct itsm_event *ev,
                     const char *arg, int64_t num, char *out, size_t cap);
} itsm__guard_kind;

/* The guard kind of that name (n bytes) among every capability's, or NULL. */
const itsm__guard_kind *itsm__guard_kind_find(const char *name, size_t n);

typedef struct itsm__capability {
    const char *name;

    const char *const *policy_keys;
    int  (*policy_new)(void **sect, const itsm_allocator *a);
    void (*policy_free)(void *sect, const itsm_allocator *a);
    int  (*policy_clone)(void **out, const void *src, const itsm_allocator *a);
    int  (*policy_read)(struct itsm_policy *p, const struct itsm__jval *root, itsm_parse_error *err);
    void (*policy_write)(const struct itsm_policy *p, struct itsm__jw *w);
    void (*policy_check)(struct itsm_policy *p);

    int  (*engine_init)(struct itsm_engine *eng);
    void (*engine_free)(struct itsm_engine *eng);
    unsigned extend_types;
    uint64_t extend_fields;
    uint64_t extend_open_fields;
    unsigned extend_kinds;
    int  (*extend)(struct itsm_engine *eng, size_t n0);
    int  (*extend_idle)(const struct itsm_engine *eng, const struct itsm_event *ev);
    int  extend_idle_policy;
    uint64_t extend_idle_unset;
    uint64_t extend_idle_unchanged;
    int  (*extend_idle_open)(const struct itsm_engine *eng, struct itsm__idle_open *f);
    const size_t *(*extend_idle_zero)(const struct itsm_engine *eng);
    unsigned watch_types;
    uint64_t watch_fields;
    uint64_t watch_open_fields;
    int  (*reserve)(struct itsm_engine *eng);
    int  reserve_own_classes;
    void (*before_apply)(struct itsm_engine *eng, struct itsm_event *ev);
    void (*after_apply)(struct itsm_engine *eng, struct itsm_event *ev);
    void (*after_apply_alone)(struct itsm_engine *eng, struct itsm_event *ev);
    void (*record_free)(struct itsm_engine *eng, struct itsm_record *r);
    int  (*load)(struct itsm_engine *eng, int begin);

    const struct itsm__evclass *const *classes;
    const itsm__guard_kind *const *guards;
    unsigned needs;

    int  (*version_check)(const struct itsm_policy *cur, const struct itsm_policy *next, char *why, size_t cap);
    void (*version_added)(struct itsm_engine *eng, const struct itsm_policy *p);

    /* Record state in the record's own block (one allocation per record,
     * no chunk header of its own): record_size bytes for records of the
     * kinds record_kinds (bits 1u << itsm_kind) at itsm__rec_xs(rec,
     * record_slot): zeroed by the core when record_init is NULL, else set
     * whole by record_init when the record is made (the core does not zero
     * it first: one store per word, no memset call of the record's tail).
     * It goes with the record: record_free frees only what the state
     * points to. */
    size_t   record_size;
    unsigned record_kinds;
    int      record_slot;
    void   (*record_init)(struct itsm_engine *eng, struct itsm_record *r);
} itsm__capability;

#define ITSM__CAP_NEEDS_READABLE_STORE 1u

/* The engine state of a capability that keeps only a map from record to
 * an entry it allocates (kit/ptrmap.h): eng->cap[slot] is that map.
 * itsm__cap_map_init is its engine_init (ITSM_ENOMEM); itsm__cap_map_free
 * its engine_free, `entry_free` freeing each entry (NULL: one block). */
int  itsm__cap_map_init(struct itsm_engine *eng, int slot);
void itsm__cap_map_free(struct itsm_engine *eng, int slot, void (*entry_free)(struct itsm_engine *eng, void *entry));

/* The kinds of records (bits 1u << itsm_kind) whose events the
 * capability in `slot` watches: its before_apply and after_apply run only
 * for events on records of these kinds, its reserve only for a batch
 * holding one (a reserve_own_classes hook still runs for its own classes'
 * events). Every kind until a capability says otherwise; it may say so at
 * any time (engine_init, version_added, or when its state changes:
 * on-call watches transitions only while a climb runs), so a kind nothing
 * concerns never reaches its hooks. */
void itsm__cap_watch_kinds(struct itsm_engine *eng, int slot, unsigned kinds);

/* Whether the engine skips the before_apply of the capability in `slot`
 * (one with after_apply_alone) and runs after_apply_alone for its
 * after_apply: no event reaches the before hook (no indirect call), as
 * long as the capability says so (engine_init, version_added). */
void itsm__cap_before_skip(struct itsm_engine *eng, int slot, int skip);

/* The static registry (src/capabilities.c): itsm__capabilities[slot] for
 * slot < itsm__ncapabilities, in the order the hooks run. */
extern const itsm__capability *const itsm__capabilities[];
extern const size_t itsm__ncapabilities;

#endif
