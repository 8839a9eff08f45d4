/* SPDX-License-Identifier: Apache-2.0 */
/* Internal: engine, record and event layouts, and the mutation pipeline. */
#ifndef ITSM_SRC_ENGINE_INT_H
#define ITSM_SRC_ENGINE_INT_H

#include "itsm/engine.h"
#include "itsm/errors.h"
#include "kit/alloc.h"
#include "core/fields.h"
#include "policy/policy_int.h"

typedef struct itsm__note {
    itsm_time   at, eta, next_update;
    const char *author;      /* interned */
    char       *text;        /* owned */
    int         kind;
} itsm__note;

typedef struct itsm__link {
    const itsm_record *target;   /* records are never freed before the engine */
    unsigned char      kind;
} itsm__link;

struct itsm_record {
    itsm_engine   *eng;
    char          *id;
    uint64_t       rev;
    unsigned char  kind;
    unsigned char  state;
    uint16_t       pending;           /* events for it in the batch being built */
    uint32_t       nnotes, cnotes;
    uint32_t       nlinks, clinks;
    itsm__note    *notes;
    itsm__link    *links;
    const char    *str[ITSM__NSTR];   /* text: owned; symbol: interned */
    int64_t        num[ITSM__NNUM];
    struct itsm__slarec *sla;         /* service-level timers (src/sla_int.h); NULL: untracked kind */
};

enum itsm__evtype {
    ITSM__EV_OPEN = 1,
    ITSM__EV_UPDATE,
    ITSM__EV_TRANSITION,
    ITSM__EV_NOTE,
    ITSM__EV_LINK,
    ITSM__EV_EXT          /* a class from itsm__ev_classes (evclasses.c) */
};

struct itsm__jval;
struct itsm__jw;

/*
 * An extension event class: how later capabilities (service levels,
 * escalation, packets, ...) add event types without touching the core
 * switch statements. An extension event may also carry field changes in
 * ev->changes (written as "set" and applied like an update); `ext` is the
 * class's own payload.
 *   write    add the class's members to the event's JSON object
 *   read     fill ev->ext from a stored event's JSON (replay); may allocate;
 *            on error fill `err` via itsm__json_schema_error and return
 *            ITSM_EPARSE (or ITSM_ENOMEM)
 *   apply    make the change; must not fail (reserve in read/prepare)
 *   dispose  free ev->ext (called after apply or on abort); may be NULL
 * `keys` lists the top-level members `write` adds (NULL-terminated), so
 * replay can refuse unknown members.
 */
typedef struct itsm__evclass {
    const char        *name;
    const char *const *keys;
    void (*write)(const itsm_event *ev, struct itsm__jw *w);
    int  (*read)(itsm_engine *eng, itsm_event *ev, const struct itsm__jval *root,
                 itsm_parse_error *err);
    void (*apply)(itsm_engine *eng, itsm_event *ev);
    void (*dispose)(itsm_engine *eng, itsm_event *ev);
} itsm__evclass;

/* NULL-terminated registry of extension classes (src/evclasses.c). */
extern const itsm__evclass *const itsm__ev_classes[];
const itsm__evclass *itsm__evclass_find(const char *name);

typedef struct itsm__change {
    itsm_field  field;
    const char *str;     /* the value (interned symbol, or text) */
    int64_t     num;
    char       *owned;   /* text: the new value before apply, the old after */
} itsm__change;

/* At most every field once, plus what a transition adds. */
#define ITSM__MAX_CHANGES (ITSM_F__COUNT + 8)

struct itsm_event {
    int          type;
    int          applied;      /* text values moved into the record */
    itsm_record *rec;          /* for OPEN: the new record, owned until applied */
    int          owns_rec;
    uint64_t     rev;
    itsm_time    at;
    const char  *actor;        /* interned */
    /* transition (and OPEN's initial state) */
    const char  *ev_name, *from_name, *to_name;
    int          to_state;
    unsigned     nchanges;
    uint64_t     fset;         /* bit f: changes[] has field f (itsm__ev_find's fast "no") */
    itsm__change changes[ITSM__MAX_CHANGES];
    /* note */
    itsm__note   note;
    int          note_owned;   /* note.text is the event's until applied */
    /* link */
    int          link_kind;
    itsm_record *target;
    /* extension */
    const itsm__evclass *cls;
    void        *ext;
};

/* Hash tables keep each entry's hash (and a symbol's length) beside it, so
 * a probe rejects a non-match without following the pointer (a cache miss)
 * and growing never re-reads the strings. */
struct itsm__idslot { uint32_t hash; uint32_t pos1; };   /* pos1: index in recs + 1; 0 = empty */
struct itsm__sym { char *s; uint32_t hash; uint32_t n; };
/* Interned symbols live until the engine goes, packed in growing blocks:
 * the lookups that confirm a hash read them, and packed they stay in cache
 * instead of scattered between records. */
struct itsm__symblock { struct itsm__symblock *next; size_t used, cap; char data[]; };

struct itsm_engine {
    itsm_allocator      alloc;
    itsm_policy        *policy;
    itsm_store          store;
    void               *store_user;
    int                 has_store;
    itsm_clock_fn       clock;
    void               *clock_user;
    itsm_event_sink_fn  sink;
    void               *sink_user;
    itsm_json_limits    limits;
    const char         *actor;          /* interned */
    int                 errcode;
    int                 in_callback;
    char                errmsg[512];

    itsm_record       **recs;           /* in opening order */
    size_t              nrecs, crecs;
    struct itsm__idslot *idx;           /* open addressing by id, power-of-two size */
    size_t              idx_cap;

    struct itsm__sym   *syms;           /* interned symbols, open addressing */
    size_t              nsyms, sym_cap;
    struct itsm__symblock *symblk;      /* the symbols' bytes, newest block first */

    uint64_t            seq[ITSM_KIND_COUNT + 1];

    /* Which states stop the service-level clocks, by kind and state index:
     * resolved once from the policy's names (sla.c), read on every apply. */
    uint64_t            stop_bits[ITSM_KIND_COUNT + 1][(ITSM__MAX_STATES + 63) / 64];
    /* The lifecycle event "auto_close" by kind (-1: none), resolved likewise:
     * every re-plan asks whether a stopped record can auto-close. */
    int                 auto_close_ev[ITSM_KIND_COUNT + 1];
    /* Every calendar a record without a hand-set SLA can count in is 24x7
     * (sla.c): its working time is wall time, so advancing its clocks needs
     * no calendar lookup. */
    int                 cals_always;
    /* ev->fset bits of the text fields: only their changes own memory. */
    uint64_t            text_fset;
    /* Per kind, the lifecycle's transitions grouped by event, in policy
     * order: [e], [e + 1] bound the positions (after nevents + 1 offsets)
     * of event e's transitions. Every step looks its transition up. */
    uint16_t           *tr_ix[ITSM_KIND_COUNT + 1];

    /* the batch being built: reused across mutations to avoid allocation */
    itsm_event         *batch;
    const itsm_event  **batch_ptrs;
    size_t              nbatch, cbatch;
    size_t              reserve_recs;   /* OPEN events in the batch */

    struct itsm__pm    *pm;             /* problem/handover/knowledge state (src/pm.h); NULL until needed */
    struct itsm__slaeng *sla;           /* deadline queue, open list, outages (src/sla_int.h); NULL until needed */
};

/* ---- errors ---- */
int itsm__err(itsm_engine *eng, int code, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
/* itsm__err for reading calls that take a const engine (getters by index):
 * every failing call sets its own message, so none is ever stale. */
int itsm__err_const(const itsm_engine *eng, int code, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
int itsm__oom(itsm_engine *eng);   /* sets a static message, never allocates */

/* ---- engine services ---- */
/* ITSM_ESTATE when called from inside a store/sink callback. Inline, the
 * error apart: every mutation and tick starts here. */
int          itsm__entry_refused(itsm_engine *eng);
static inline int itsm__check_entry(itsm_engine *eng)
{
    return eng->in_callback ? itsm__entry_refused(eng) : ITSM_OK;
}
/* The mutation time: the clock (or the tick's time during a tick), checked. */
int          itsm__now(itsm_engine *eng, itsm_time *out);
itsm_record *itsm__find(const itsm_engine *eng, const char *id, size_t n);
/* Intern a symbol of n bytes; NULL on ENOMEM. */
const char  *itsm__intern(itsm_engine *eng, const char *s, size_t n);
static inline const itsm__lifecycle *itsm__lifecycle_of(const itsm_engine *eng, int kind)
{
    return &eng->policy->lc[kind];
}
/* itsm__lc_find on the lifecycle of `kind`, through eng->tr_ix. */
const itsm__transition *itsm__find_transition(const itsm_engine *eng, int kind, int from, int event);
int          itsm__time_refused(itsm_engine *eng, itsm_time t, const char *what);
static inline int itsm__check_time(itsm_engine *eng, itsm_time t, const char *what)
{
    return t < ITSM_TIME_MIN || t > ITSM_TIME_MAX ? itsm__time_refused(eng, t, what) : ITSM_OK;
}
/* Validate a string value for a field: UTF-8, length. */
int          itsm__check_str(itsm_engine *eng, itsm_field f, const char *s, size_t n);

/* ---- the batch: build, then commit (store, apply, sink) or abort ---- */
void         itsm__batch_begin(itsm_engine *eng);
itsm_event  *itsm__batch_add(itsm_engine *eng, int type, itsm_record *rec, itsm_time at);
int          itsm__batch_commit(itsm_engine *eng);   /* store first; aborts on failure */
void         itsm__batch_abort(itsm_engine *eng);
/* Apply without the store and sink (replay). Never fails. */
void         itsm__batch_apply_only(itsm_engine *eng);

/* Reserve room so apply cannot fail. */
int          itsm__reserve_note(itsm_engine *eng, itsm_record *rec);
int          itsm__reserve_link(itsm_engine *eng, itsm_record *rec);
int          itsm__reserve_record(itsm_engine *eng);

/* Add a change to an event. String values: `owned` for text (moved in),
 * `str` interned for symbols. */
itsm__change *itsm__ev_change(itsm_event *ev, itsm_field f);
/* Inline, with the field bitmap first: every step asks for several fields
 * an event usually does not carry. */
static inline const itsm__change *itsm__ev_find(const itsm_event *ev, itsm_field f)
{
    if ((unsigned)f >= 64 || !((ev->fset >> (unsigned)f) & 1u))
        return NULL;
    for (unsigned i = 0; i < ev->nchanges; i++)
        if (ev->changes[i].field == f)
            return &ev->changes[i];
    return NULL;
}
/* itsm__ev_find(ev, f) != NULL, from the bitmap alone: a bit is set only
 * with its change. */
static inline int itsm__ev_has(const itsm_event *ev, itsm_field f)
{
    return (unsigned)f < 64 && ((ev->fset >> (unsigned)f) & 1u);
}

/* A new record's id: the host's (checked, unused) or the next generated
 * one ("INC-000001"), written to buf; *seq is what to remember after the
 * commit (itsm__remember_id). */
int          itsm__new_id(itsm_engine *eng, int kind, const char *id, char buf[32], const char **out,
                          size_t *n, uint64_t *seq);
/* A caller's field changes into an event, validated as itsm_record_update
 * validates them (engine-owned fields refused). */
int          itsm__put_changes(itsm_engine *eng, itsm_event *ev, const itsm_change *changes, size_t n);
/* Add the OPEN event of a new record (allocated, in its lifecycle's initial
 * state, owned by the event until applied). NULL on ENOMEM (message set). */
itsm_event  *itsm__batch_open(itsm_engine *eng, int kind, const char *id, size_t n, itsm_time at);
/* After a committed open: keep generated ids ahead of every id seen. */
void         itsm__remember_id(itsm_engine *eng, int kind, int host_chosen, const itsm_record *r,
                               uint64_t seq);
/* Record ids: 1..64 bytes of A-Z a-z 0-9 - _ . : */
int          itsm__id_valid(const char *id, size_t n);
const char  *itsm__event_type_name(int type);
const char  *itsm__note_kind_name(int kind);
const char  *itsm__link_kind_name(int kind);
/* After opening `id` (live or replayed): if it has the shape of a generated
 * id of `kind` ("INC-000042"), move the id counter past it (src/replay.c). */
void         itsm__bump_seq(itsm_engine *eng, int kind, const char *id);

/* Add a transition of `r` on lifecycle event `event` to the batch being built,
 * with the guards, clears, stamps and derivations of itsm_record_fire (for
 * steps that change several records at once: src/problem.c). On failure the
 * caller aborts the batch. itsm__fire_check: would it pass, with no changes
 * given? ITSM_OK, ITSM_ETRANSITION or ITSM_EGUARD; builds nothing. */
int          itsm__batch_fire(itsm_record *r, const char *event, const itsm_change *changes, size_t n,
                              itsm_time at);
int          itsm__fire_check(itsm_record *r, const char *event);

itsm_record *itsm__record_alloc(itsm_engine *eng, const char *id, size_t n, int kind);
void         itsm__record_free(itsm_engine *eng, itsm_record *rec);

#endif
