/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Internal: what the core owns - records, events, the batch that carries a
 * step's events to the store and applies them, and the engine that holds
 * them. Capabilities (core/capability.h) build on these calls; the core
 * never calls a capability by name.
 *
 * The life of a step (docs/architecture.md draws it):
 *   itsm__batch_begin
 *   itsm__batch_add / itsm__batch_open / itsm__batch_fire   build events;
 *     values enter an event only through itsm__propose_* (checked by the
 *     one value checker, kit/value.h)
 *   itsm__batch_commit
 *     finalise every event (core/finalise.c: what the policy derives)
 *     capabilities' extend (derived events; finalised in turn)
 *     capabilities' reserve (so that apply cannot fail)
 *     store.append                    refused: dispose, nothing changed
 *     apply each event (capabilities' before_apply / after_apply around it)
 *     the event sink
 *   or itsm__batch_abort
 * Replay builds the same events from their JSON, finalises them in replay
 * mode (checked, nothing derived: the stored event is the truth) and
 * applies them through the same apply.
 */
#ifndef ITSM_SRC_CORE_CORE_H
#define ITSM_SRC_CORE_CORE_H

#include "itsm/engine.h"
#include "itsm/errors.h"
#include "core/capability.h"
#include "core/fields.h"
#include "kit/alloc.h"
#include "kit/err.h"
#include "kit/hash.h"
#include "policy/policy_int.h"

/* Inline whatever the compiler thinks: the steps of the one-event path
 * (core/fire.c, core/batch.c), where a call costs more than the work. */
#if defined(__GNUC__)
#define ITSM__ALWAYS_INLINE static inline __attribute__((always_inline))
#else
#define ITSM__ALWAYS_INLINE static inline
#endif

/* ---- records ---- */

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

/* What only some records have: notes, links, custom fields' values. A
 * record without any points at the one shared empty itsm__recx_none
 * (never written); the first reserve of a note, link or custom block
 * gives it its own (itsm__rec_extras), so an open incident with none of
 * them pays one pointer instead of 28 bytes. */
typedef struct itsm__recx {
    itsm__note    *notes;
    itsm__link    *links;
    uint32_t       nnotes, nlinks;    /* their arrays' room follows from the counts
                                         (itsm__reserve_note) */
    uint32_t       cx;                /* its custom fields' block: eng->cxs[cx - 1]; 0: none yet */
} itsm__recx;
extern const itsm__recx itsm__recx_none;

/* Per-record slots a capability may keep state in. The registry assigns
 * them (src/capabilities.h). A capability with a record_size
 * (core/capability.h) finds its state inside the record's own block, at
 * the offset the record keeps for its slot (2 bytes, only for the kinds
 * it declares: no record pays a pointer for state it has not). */
#define ITSM__REC_SLOTS 1

/* Ordered by width, widest first: no padding between members
 * (bench_memory counts every byte of it per open record). */
struct itsm_record {
    itsm_engine   *eng;
    char          *id;
    uint64_t       rev;
    itsm__recx    *x;                 /* notes, links, custom fields: &itsm__recx_none when none */
    char          *text[ITSM__NTEXT];  /* text fields, owned (core/fields.h) */
    /* numeric fields by width (core/fields.h); read them with itsm__rec_num */
    int64_t        tm[ITSM__NTIME];
    uint32_t       sym[ITSM__NSYM];    /* symbol fields: their symbol id (eng->syms[id - 1]); 0: unset */
    int32_t        cnt[ITSM__NCOUNT];
    uint16_t       pending;           /* events for it in the batch being built */
    uint16_t       pv;                /* the policy version it is under: eng->vers[pv] (core/versions.c) */
    uint16_t       xoff[ITSM__REC_SLOTS];   /* capabilities' state: at (char *)r + xoff; 0: none */
    unsigned char  kind;
    unsigned char  state;
    uint8_t        small[ITSM__NSMALL / 2];   /* two 4-bit values a byte (0..15) */
};

/* A capability's per-record state (its record_slot), or NULL when records
 * of this kind have none. */
static inline void *itsm__rec_xs(const itsm_record *r, unsigned slot)
{
    return r->xoff[slot] ? (char *)(uintptr_t)r + r->xoff[slot] : NULL;
}

/* A built-in numeric field's value by its slot (itsm__fields[f].slot), and
 * setting it (the value checker has held it to the field's range, which
 * the slot's width holds). */
static inline int64_t itsm__rec_num(const itsm_record *r, unsigned slot)
{
    if (slot < ITSM__NSMALL)
        return (r->small[slot / 2] >> (slot % 2 * 4)) & 15;
    if (slot < ITSM__NSMALL + ITSM__NTIME)
        return r->tm[slot - ITSM__NSMALL];
    return r->cnt[slot - ITSM__NSMALL - ITSM__NTIME];
}
static inline void itsm__rec_set_num(itsm_record *r, unsigned slot, int64_t v)
{
    if (slot < ITSM__NSMALL)
        r->small[slot / 2] = (uint8_t)((r->small[slot / 2] & (0xf0u >> (slot % 2 * 4))) |
                                       ((unsigned)v & 15u) << (slot % 2 * 4));
    else if (slot < ITSM__NSMALL + ITSM__NTIME)
        r->tm[slot - ITSM__NSMALL] = v;
    else
        r->cnt[slot - ITSM__NSMALL - ITSM__NTIME] = (int32_t)v;
}

/* The symbol an interned symbol's id names (itsm__sym_id), and the id of
 * an interned symbol: the 4 bytes before its text in the engine's symbol
 * blocks. */
static inline const char *itsm__sym_of(const itsm_engine *eng, uint32_t id);
static inline uint32_t itsm__sym_id(const char *sym)
{
    uint32_t id;
    memcpy(&id, sym - sizeof id, sizeof id);
    return id;
}
/* A built-in string field's value by its slot (itsm__fields[f].slot):
 * text owned by the record, or an interned symbol; NULL when unset. */
static inline const char *itsm__rec_str(const itsm_record *r, unsigned slot)
{
    if (slot < ITSM__NTEXT)
        return r->text[slot];
    uint32_t id = r->sym[slot - ITSM__NTEXT];
    return id ? itsm__sym_of(r->eng, id) : NULL;
}

/* ---- events ---- */

enum itsm__evtype {
    ITSM__EV_OPEN = 1,
    ITSM__EV_UPDATE,
    ITSM__EV_TRANSITION,
    ITSM__EV_NOTE,
    ITSM__EV_LINK,
    ITSM__EV_EXT          /* a capability's class (itsm__evclass) */
};
/* Not a type: in a capability's extend_types, a transition into a settled
 * state (closed, or where the service-level clocks stop; eng->settled):
 * what resolving and closing derive from. */
#define ITSM__EVB_SETTLING (1u << 7)

struct itsm__jval;
struct itsm__jw;

/*
 * An event class of a capability: how capabilities add event types without
 * touching the core's switch statements. An extension event may also carry
 * field changes in ev->changes (written as "set" and applied like an
 * update); `ext` is the class's own payload.
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

/* The class of that name among every capability's, or NULL. */
const itsm__evclass *itsm__evclass_find(const char *name);

/* A scratch engine judging a store's events afresh under its own policy
 * (src/whatif): `before` runs before each replayed event of a record the
 * engine holds applies, with the event's time (the verdicts a tick would
 * have given by then); an event of one of the `bare` classes (the verdicts
 * the store's own run fired) replays as a bare step: its revision and
 * time, nothing else. Every event is judged under this engine's own
 * policy, whatever the store says was in force. */
typedef struct itsm__rejudge {
    int (*before)(itsm_engine *eng, itsm_record *r, itsm_time at);   /* ITSM_OK or ITSM_ENOMEM */
    const itsm__evclass *const *bare;
    size_t nbare;
} itsm__rejudge;

typedef struct itsm__change {
    itsm_field  field;
    const char *str;     /* the value (interned symbol, or text) */
    int64_t     num;
    char       *owned;   /* text: the new value before apply, the old after */
} itsm__change;

/* At most every field once, plus what a transition adds. */
#define ITSM__MAX_CHANGES (ITSM_F__COUNT + ITSM_MAX_CUSTOM_FIELDS + 8)
/* The bit of ev->fset that says "some change is of a custom field" (the
 * bitmap has one bit per built-in field below it). */
#define ITSM__FSET_CUSTOM ((uint64_t)1 << 63)

struct itsm_event {
    int          type;
    int          applied;      /* text values moved into the record */
    int          final;        /* finalised: what the policy derives is in changes[] */
    int          replayed;     /* read from a stored event: checked, nothing derived */
    itsm_record *rec;          /* for OPEN: the new record, owned until applied */
    int          owns_rec;
    uint64_t     rev;
    itsm_time    at;
    const char  *actor;        /* interned */
    /* transition (and OPEN's initial state) */
    const char  *ev_name, *from_name, *to_name;
    int          to_state;
    const struct itsm__transition *trans;   /* live transitions: the policy's step */
    unsigned     nchanges;
    uint64_t     fset;         /* bit f: changes[] has field f (itsm__ev_find's fast "no") */
    uint64_t     derived;      /* bit f: changes[] has field f because finalise derived it */
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
    uint16_t     pv;           /* the policy version in force: eng->vers[pv] ("pv", docs/events.md) */
    unsigned char no_pv;       /* replayed from a store from before versions: written without "pv" */
    /* the hash chain (src/integrity/chain.c, docs/events.md): `chain` is
     * the event's link when `chained` (live: computed before the store
     * sees it; replay: the "hash" it carried, then the link verified) */
    unsigned char chained;
    unsigned char chain[32];
    /* its canonical binary form (no "hash"), when the chain wrote it for
     * this step: itsm_event_to_binary gives it back without encoding the
     * event again; valid until the next step's chain reserve, NULL else */
    const unsigned char *canon;
    size_t       ncanon;
};

/* The event's JSON; with_hash 0 leaves out the "hash" member: the
 * canonical form the chain hashed by its earlier rule (its binary form
 * written the same way is the one it hashes now). */
int itsm__event_json(const itsm_event *ev, struct itsm__jw *w, int with_hash);

/* ITSM_ETAMPER, naming the record and revision of the first broken link
 * and `why` (src/integrity/chain.c). */
int itsm__tampered(itsm_engine *eng, const char *id, uint64_t rev, const char *why);

/* A stored event (its tree `root`) for revision `rev` of `r`, which the
 * record has already: ITSM_OK when it is the event applied at that
 * revision (or there is nothing to compare with: the engine's store gives
 * no events back), ITSM_ETAMPER naming record and revision when its
 * content differs, ITSM_ESTORE, ITSM_ENOMEM (src/integrity/duplicates.c). */
struct itsm__jval;
int itsm__chain_same(itsm_engine *eng, const itsm_record *r, uint64_t rev, const struct itsm__jval *root);
/* itsm_engine_load's scan begins (1) or ends (0): the store cannot be
 * read back meanwhile, so duplicates are compared by their chain
 * (src/integrity/duplicates.c). */
void itsm__chain_load(itsm_engine *eng, int on);

/* ---- the engine ---- */

/* Day slots of the binary replay's times (a power of two). */
#define ITSM__REPLAY_DAYS 64
/* Entries of the engine's symbol cache (a power of two; 24 KiB): a
 * replayed log's handles (its people, groups, items: thousands, packed a
 * few bytes apart in the symbol blocks) mostly keep their entry; with 256
 * they pushed each other out, and the lookup went on to the address table. */
#define ITSM__SYMCACHE 1024
/* Entries of the engine's class-owner table (a power of two, more than
 * the classes of every capability with reserve_own_classes). */
#define ITSM__CLSOWN 64
static inline unsigned itsm__clsown_slot(const void *cls)
{
    return (unsigned)(((uint64_t)(uintptr_t)cls * UINT64_C(0x9e3779b97f4a7c15)) >> 58) & (ITSM__CLSOWN - 1);
}
/* Entries of the engine's event-name cache (a power of two). */
#define ITSM__EVCACHE 64

/* An interned symbol: its bytes live in the engine's symbol blocks. */
struct itsm__sym { const char *s; uint32_t n; };
/* Interned symbols live until the engine goes, packed in growing blocks:
 * the lookups that confirm a hash read them, and packed they stay in cache
 * instead of scattered between records. */
struct itsm__symblock { struct itsm__symblock *next; size_t used, cap; char data[]; };

typedef void (*itsm__apply_hook)(itsm_engine *eng, itsm_event *ev);

/* ---- policy versions (core/versions.c, docs/policy.md "Versions") ---- */

/* A policy version the engine knows: its own initial policy, one it
 * adopted, or one a stored `policy` event declared. */
typedef struct itsm__pver {
    itsm_policy   *policy;     /* owned */
    unsigned char  hash[32];   /* SHA-256 of its document */
    char           id[17];     /* the first 16 hex digits of the hash: an event's "pv" */
    int            stored;     /* the engine's store holds its policy event */
    itsm_record   *doc_rec;    /* the record its policy event is written on ("~policy.<id>", kind 0) */
} itsm__pver;

/* At most this many versions per engine (the record's narrow pv). */
#define ITSM__MAX_VERSIONS 65535

/* A hook list's filters as bit masks over its hooks (bit i: the list's
 * i-th hook), so that a step reaches the hooks it is for without asking
 * every one: the hooks for each event type bit (1u << ITSM__EV_*, and
 * ITSM__EVB_SETTLING), and those that also look at fields. */
typedef struct itsm__hookmask {
    uint32_t by_type[8];
    uint32_t by_field;                  /* hooks with a field filter */
    uint64_t any_field;                 /* the union of their fields: most events change none */
    uint64_t fields[ITSM__CAP_MAX];     /* their fields (bits 1 << itsm_field) */
    uint32_t kinded;                    /* hooks with a kind filter (extend_kinds, itsm__cap_watch_kinds) */
    uint32_t by_kind[ITSM_KIND_COUNT + 1];   /* the hooks a batch with records of kind k may run */
    uint32_t allow[ITSM_KIND_COUNT + 1];     /* ~kinded | by_kind[k]: those an event on a kind-k record may run */
} itsm__hookmask;
_Static_assert(ITSM__CAP_MAX <= 32, "a hook mask holds every capability");

static inline unsigned itsm__ctz32(uint32_t x)
{
#if defined(__GNUC__)
    return (unsigned)__builtin_ctz(x);
#else
    unsigned n = 0;
    while (!(x & 1u)) {
        x >>= 1;
        n++;
    }
    return n;
#endif
}

/* The hooks of a list for what a batch or an event holds: `types` (event
 * type bits) and `fset` (the fields it changes). */
static inline uint32_t itsm__hooks_for(const itsm__hookmask *m, unsigned types, uint64_t fset)
{
    uint32_t h = 0;
    for (unsigned t = types & 0xffu; t; t &= t - 1)
        h |= m->by_type[itsm__ctz32(t)];
    if (fset & m->any_field)
        for (uint32_t w = m->by_field & ~h; w; w &= w - 1) {
            unsigned i = itsm__ctz32(w);
            if (m->fields[i] & fset)
                h |= 1u << i;
        }
    return h;
}

/* The hooks of a list that may run for a batch with records of `kinds`
 * (bits 1u << itsm_kind): all but those whose kind filter excludes them. */
static inline uint32_t itsm__hooks_kinds(const itsm__hookmask *m, unsigned kinds)
{
    uint32_t h = ~m->kinded;
    for (unsigned k = kinds; k; k &= k - 1)
        h |= m->by_kind[itsm__ctz32(k)];
    return h;
}

/* The hooks of a list that may run for an event on a record of `kind`. */
static inline uint32_t itsm__hooks_kind(const itsm__hookmask *m, unsigned kind)
{
    return m->allow[kind];
}

/* itsm__hooks_for for one event of type `type` (ITSM__EV_*): its type's
 * list without the walk over type bits (the apply hooks, per event). */
static inline uint32_t itsm__hooks_for_event(const itsm__hookmask *m, int type, uint64_t fset)
{
    uint32_t h = m->by_type[(unsigned)type & 7u];
    if (fset & m->any_field)
        for (uint32_t w = m->by_field & ~h; w; w &= w - 1) {
            unsigned i = itsm__ctz32(w);
            if (m->fields[i] & fset)
                h |= 1u << i;
        }
    return h;
}

struct itsm_engine {
    itsm_allocator      alloc;
    itsm_policy        *policy;         /* the current version's: vers[cur]->policy */
    itsm__pver        **vers;           /* the versions known, vers[0] the engine's initial policy */
    size_t              nvers, cvers;
    uint16_t            cur;            /* the current version: new records and open ones' next events */
    unsigned char       unknown_pv;     /* an event named a version the engine did not know (replay.c) */
    /* By kind, bit per state: a record in such a state keeps its version
     * (its verdicts are final): the closed states, and the states that
     * stop the service-level clocks (src/sla adds them at engine_init). */
    uint64_t            settled[ITSM_KIND_COUNT + 1][(ITSM__MAX_STATES + 63) / 64];
    itsm_store          store;
    void               *store_user;
    int                 has_store;
    itsm_clock_fn       clock;
    void               *clock_user;
    itsm_event_sink_fn  sink;
    void               *sink_user;
    itsm_json_limits    limits;
    const char         *actor;          /* interned */
    int                 in_callback;
    int                 has_now;        /* a step's time is fixed (a tick fires timers at its own time) */
    itsm_time           fixed_now;
    itsm__errbuf        err;            /* the engine's one error buffer (itsm_errmsg) */

    itsm_record       **recs;           /* in opening order */
    size_t              nrecs, crecs;
    itsm__htab          ids;            /* id -> position in recs */

    struct itsm__sym   *syms;           /* interned symbols */
    size_t              nsyms, csyms;
    itsm__htab          symtab;         /* bytes -> position in syms */
    itsm__htab          symaddr;        /* a symbol's address (its handle) -> position in syms */
    struct itsm__symblock *symblk;      /* the symbols' bytes, newest block first */
    /* Symbols by the caller's pointer, direct-mapped (itsm__symbol_cached):
     * hosts pass the same few strings again and again (actors, groups,
     * services), or the handles itsm_engine_symbol gave them. */
    struct itsm__symhit { const char *key, *sym; size_t n; } symcache[ITSM__SYMCACHE];
    /* Lifecycle events by the caller's pointer and kind, direct-mapped
     * (itsm__event_ix): every fire names its event. */
    struct itsm__evhit { const char *key; int kind, ix; } evcache[ITSM__EVCACHE];

    uint64_t            seq[ITSM_KIND_COUNT + 1];

    /* Custom fields' values, one block per record that has any: a value per
     * field of the policy, by declaration order (policy->cf). */
    itsm__cxv         **cxs;
    size_t              ncxs, ccxs;

    /* ev->fset bits of the text fields: only their changes own memory. */
    uint64_t            text_fset;
    /* Per kind, the lifecycle's transitions grouped by event, in policy
     * order: [e], [e + 1] bound the positions (after nevents + 1 offsets)
     * of event e's transitions. Every step looks its transition up. */
    uint16_t           *tr_ix[ITSM_KIND_COUNT + 1];

    /* Roles (itsm/policy.h), resolved once: a state or event role's index
     * in the kind's lifecycle (-1: unset), a value role's interned value
     * (NULL: unset). */
    int16_t             role_ix[ITSM_KIND_COUNT + 1][ITSM_ROLE_COUNT];
    const char         *role_val[ITSM_KIND_COUNT + 1][ITSM_ROLE_COUNT];

    /* the batch being built: reused across mutations to avoid allocation */
    itsm_event         *batch;
    const itsm_event  **batch_ptrs;
    size_t              nbatch, cbatch;
    size_t              reserve_recs;   /* OPEN events in the batch */
    size_t              unfinal;        /* events of the batch not finalised (since last finalised) */
    unsigned            batch_types;    /* bit 1u << type of every event in the batch */
    unsigned            batch_kinds;    /* bit 1u << kind of every event's record */

    /* Capabilities: their state by registry slot, and their hooks in
     * registry order (only the ones they define), resolved once. */
    void               *cap[ITSM__CAP_MAX];
    int               (*hk_extend[ITSM__CAP_MAX])(itsm_engine *eng, size_t n0);
    int               (*hk_reserve[ITSM__CAP_MAX])(itsm_engine *eng);
    itsm__apply_hook    hk_before[ITSM__CAP_MAX], hk_after[ITSM__CAP_MAX];
    /* each list's filters (capability.h: extend_types/fields, watch_types/fields) */
    itsm__hookmask      hm_extend, hm_reserve, hm_before, hm_after;
    /* reserve hooks for their own classes' events only (reserve_own_classes),
     * and those classes, hashed by address: the reserve hook's bit */
    uint32_t            hk_reserve_own;
    struct itsm__clsown { const struct itsm__evclass *cls; uint32_t bit; } cls_own[ITSM__CLSOWN];
    void              (*hk_record_free[ITSM__CAP_MAX])(itsm_engine *eng, itsm_record *r);
    /* By capability slot: the kinds it does not watch (itsm__cap_watch_kinds;
     * 0: it watches every kind), and its hooks' positions in hm_reserve,
     * hm_before and hm_after (-1: it has no such hook; hooks_indexed: set). */
    unsigned            cap_unwatched[ITSM__CAP_MAX];
    signed char         cap_pos[3][ITSM__CAP_MAX];
    int                 hooks_indexed;
    unsigned char       nhk_extend, nhk_reserve, nhk_before, nhk_after, nhk_record_free;
    /* A record's block by kind (core/engine.c, itsm__record_alloc): the
     * record, the capabilities' record state (record_size), then its id.
     * rec_extra: the bytes of state; rec_part: where each part goes. */
    size_t              rec_extra[ITSM_KIND_COUNT + 1];
    struct itsm__recpart {
        uint32_t off;
        int      slot;
        void   (*init)(itsm_engine *eng, itsm_record *r);
    }                   rec_part[ITSM_KIND_COUNT + 1][ITSM__REC_SLOTS];
    unsigned char       nrec_part[ITSM_KIND_COUNT + 1];

    /* An open group (core/group.c): the steps' appends are the store's
     * group, durable at itsm_engine_commit; with a sink, each step's
     * applied events wait in gev (their memory with them) for the sink at
     * commit, gcut[i] the end of step i's. */
    int                 grouped;
    int                 broken;         /* could not go back to the last commit: every call refused */
    int                 verifying;      /* loading a whole store into an empty engine: every
                                           record's events must come 1, 2, 3... (replay.c) */
    const struct itsm__rejudge *rejudge;   /* a what-if scratch engine (replay.c, src/whatif) */
    int                 replay_tree;    /* binary events replay through the value tree too
                                           (replay_bin.c; the tests compare both paths) */
    /* The binary replay's last actor (interned, checked) and time: a
     * store's events mostly repeat the one before's (replay_bin.c). */
    const char         *replay_actor;
    size_t              replay_nactor;
    char                replay_t[20];
    itsm_time           replay_tv;
    /* The binary replay's event as the store keeps it, up to its "hash"
     * member (its canonical form but for the object's end): the chain's
     * check hashes these bytes rather than writing the form again
     * (src/integrity/chain.c). NULL outside that replay's apply. */
    const unsigned char *replay_body;
    size_t              replay_nbody;
    /* The binary replay's last record, by its place in recs (valid only
     * below nrecs) and its id's length, which its id is compared by (0:
     * none; a reset of recs sets it so): a store's events mostly come a
     * record's at a time (replay_bin.c). */
    size_t              replay_pos, replay_nid;
    /* Interned symbols the binary replay met (actors, symbol values): their
     * ids (0: none) by a hash of their bytes; and the days of its times, by
     * their month and day (slots never written are zero bytes, which no
     * time has): a store kept record by record goes back and forth over
     * months of days. */
    uint32_t            replay_sym[256];
    /* The to-state and event (index + 1; 0: none) of the last transition
     * the binary replay read from a state, by kind and state. */
    uint8_t             replay_lc[ITSM_KIND_COUNT + 1][16][2];
    char                replay_day[ITSM__REPLAY_DAYS][10];
    itsm_time           replay_dayv[ITSM__REPLAY_DAYS];
    size_t              group_events;   /* events appended in the open group */
    itsm_event         *gev;
    const itsm_event  **gptr;           /* the sink's view of gev, filled at commit */
    size_t              ngev, cgev, cgptr;
    size_t             *gcut;
    size_t              ngcut, cgcut;

    /* The guard the last ITSM_EGUARD failed on and the terms it missed, as
     * bits (core/fire.c); itsm_guard_missing_* read them while err.code is
     * ITSM_EGUARD. */
    const struct itsm__transition *guard_t;
    uint64_t            guard_missing;
};

static inline const char *itsm__sym_of(const itsm_engine *eng, uint32_t id)
{
    return eng->syms[id - 1].s;
}

/* ---- errors: the engine's one buffer (kit/err.h) ---- */
int itsm__err(itsm_engine *eng, int code, const char *fmt, ...) ITSM__PRINTF(3, 4);
/* itsm__err for reading calls that take a const engine (getters by index):
 * every failing call sets its own message, so none is ever stale. */
int itsm__err_const(const itsm_engine *eng, int code, const char *fmt, ...) ITSM__PRINTF(3, 4);
int itsm__oom(itsm_engine *eng);   /* a static message, never allocates */

/* ---- policy versions (core/versions.c) ---- */

/* The policy a record is judged under: its version's. Capabilities read
 * what decides a record's verdicts (service-level targets, calendars,
 * pauses, warnings) through this, never eng->policy. */
static inline const itsm_policy *itsm__rec_policy(const itsm_record *r)
{
    return r->eng->vers[r->pv]->policy;
}
/* Register the engine's initial policy as version 0 (itsm_engine_new). */
int  itsm__versions_init(itsm_engine *eng);
void itsm__versions_free(itsm_engine *eng);
/* The store forgot what it held (a group rolled back): policy events are
 * written again as needed. */
void itsm__versions_unstore(itsm_engine *eng);
/* store.append of the batch's events, with the current version's policy
 * event first when the store does not hold it yet. */
int  itsm__versions_append(itsm_engine *eng, int *prep);   /* *prep: failed before the store (ENOMEM) */
/* Replay of a stored `policy` event (the record "~policy.<id>"). */
int  itsm__versions_replay(itsm_engine *eng, const struct itsm__jval *root, itsm_parse_error *err);
/* Whether a stored event (either form) is a `policy` event, told by its
 * first bytes. */
int  itsm__versions_is_event(const void *doc, size_t len);
/* The version an event's "pv" names (n bytes), or -1. */
int  itsm__versions_find(const itsm_engine *eng, const char *id, size_t n);
/* The policy event's record id prefix. */
#define ITSM__POLICY_RECORD "~policy."
/* Room for a policy event's record id: the prefix, the id, "/", a record id
 * (at most 64 bytes), "/", a revision, NUL. */
#define ITSM__POLICY_RID 128

/* ---- engine services ---- */
/* ITSM_ESTATE when called from inside a store/sink callback. Inline, the
 * error apart: every mutation and tick starts here. */
int          itsm__entry_refused(itsm_engine *eng);
static inline int itsm__check_entry(itsm_engine *eng)
{
    return (eng->in_callback | eng->broken) ? itsm__entry_refused(eng) : ITSM_OK;
}
/* The mutation time: the clock (or the fixed time of a tick), checked.
 * Inline, the refusal apart: every step reads it. */
int          itsm__clock_refused(itsm_engine *eng, itsm_time t);
static inline int itsm__now(itsm_engine *eng, itsm_time *out)
{
    itsm_time t = eng->has_now ? eng->fixed_now : eng->clock(eng->clock_user);
    *out = t;   /* written either way: callers read it only on ITSM_OK */
    return t < ITSM_TIME_MIN || t > ITSM_TIME_MAX ? itsm__clock_refused(eng, t) : ITSM_OK;
}
itsm_record *itsm__find(const itsm_engine *eng, const char *id, size_t n);
/* The interned symbol equal to the caller's NUL-terminated `s` if `s` is
 * in the symbol cache or is a handle (the interned pointer itself, as
 * itsm_engine_symbol gives), and *n its length; else NULL. A cached handle
 * costs a pointer compare; another string of the host a strcmp, since the
 * host may have rewritten its bytes; a handle the cache does not hold one
 * lookup by address (itsm__symbol_handle), without reading its bytes. */
const char  *itsm__symbol_handle(itsm_engine *eng, const char *s, size_t *n);
static inline const char *itsm__symbol_cached(itsm_engine *eng, const char *s, size_t *n)
{
    const struct itsm__symhit *h = &eng->symcache[((uintptr_t)s >> 3) & (ITSM__SYMCACHE - 1)];
    if (h->key == s && s && (h->sym == s || strcmp(h->sym, s) == 0)) {
        *n = h->n;
        return h->sym;
    }
    return itsm__symbol_handle(eng, s, n);
}
/* Remember that the caller's `s` is the interned `sym` of n bytes. */
static inline void itsm__symbol_remember(itsm_engine *eng, const char *s, const char *sym, size_t n)
{
    struct itsm__symhit *h = &eng->symcache[((uintptr_t)s >> 3) & (ITSM__SYMCACHE - 1)];
    h->key = s;
    h->sym = sym;
    h->n = n;
}
/* Intern a NUL-terminated symbol whose pointer stays as it is while the
 * engine uses it (the library's literals, the policy's names): repeats are
 * answered by the symbol cache without hashing. NULL on ENOMEM. */
const char  *itsm__intern_stable(itsm_engine *eng, const char *s);
/* The same for the library's string literals (static storage, never
 * rewritten): a repeat costs one comparison of pointers. */
const char  *itsm__intern_literal(itsm_engine *eng, const char *s);
/* Intern a symbol of n bytes; NULL on ENOMEM. The caller has checked it
 * (kit/value.h): the symbol table holds only values that pass the symbol
 * check, so a value found there needs no check again. itsm__intern_find
 * and itsm__intern_add split itsm__intern around that check, hashing the
 * bytes once: find gives the interned copy (or NULL) and the hash, add
 * interns, after the check, what find did not find. */
const char  *itsm__intern(itsm_engine *eng, const char *s, size_t n);
const char  *itsm__intern_find(const itsm_engine *eng, const char *s, size_t n, uint32_t *hash);
const char  *itsm__intern_add(itsm_engine *eng, const char *s, size_t n, uint32_t hash);
static inline const itsm__lifecycle *itsm__lifecycle_of(const itsm_engine *eng, int kind)
{
    return &eng->policy->lc[kind];
}
/* A state or event role of `kind`: its index in the lifecycle, -1 when
 * unset; its name (NULL when unset). A value role: the interned value, or
 * NULL (symbols are interned: compare pointers). */
static inline int itsm__role_ix(const itsm_engine *eng, int kind, itsm_role role)
{
    return eng->role_ix[kind][role];
}
static inline const char *itsm__role_event(const itsm_engine *eng, int kind, itsm_role role)
{
    int e = eng->role_ix[kind][role];
    return e < 0 ? NULL : itsm__lifecycle_of(eng, kind)->events[e];
}
static inline const char *itsm__role_value(const itsm_engine *eng, int kind, itsm_role role)
{
    return eng->role_val[kind][role];
}
/* itsm__lc_event on the lifecycle of `kind` (the event's index, -1 when
 * it has none of that name), through the event-name cache: hosts fire
 * the same few names, often the same string constants. A hit is checked
 * with strcmp, since the host may have rewritten its bytes. */
int          itsm__event_ix_slow(itsm_engine *eng, int kind, const char *name);
static inline int itsm__event_ix(itsm_engine *eng, int kind, const char *name)
{
    uint64_t h = (uint64_t)(uintptr_t)name * UINT64_C(0x9e3779b97f4a7c15) + (uint64_t)kind;
    const struct itsm__evhit *c = &eng->evcache[h >> 58 & (ITSM__EVCACHE - 1)];
    const itsm__lifecycle *lc = itsm__lifecycle_of(eng, kind);
    if (c->key == name && c->kind == kind && (size_t)c->ix < lc->nevents && strcmp(lc->events[c->ix], name) == 0)
        return c->ix;
    return itsm__event_ix_slow(eng, kind, name);
}
/* The transitions of each kind's lifecycle in `p`, by state and event
 * (eng->tr_ix's form, core/transitions.c); ITSM_ENOMEM, nothing kept.
 * _set: they become the engine's (the old ones freed); _free: drop them. */
int  itsm__tr_index_build(itsm_engine *eng, const itsm_policy *p, uint16_t *out[ITSM_KIND_COUNT + 1]);
void itsm__tr_index_set(itsm_engine *eng, uint16_t *ix[ITSM_KIND_COUNT + 1]);
void itsm__tr_index_free(itsm_engine *eng, uint16_t *ix[ITSM_KIND_COUNT + 1]);
/* itsm__lc_find on the lifecycle of `kind`, through eng->tr_ix: one read
 * (every step looks its transition up). */
const itsm__transition *itsm__find_transition_slow(const itsm_engine *eng, int kind, int from, int event);
static inline const itsm__transition *itsm__find_transition(const itsm_engine *eng, int kind, int from, int event)
{
    const itsm__lifecycle *lc = itsm__lifecycle_of(eng, kind);
    if (event < 0 || (size_t)event >= lc->nevents || from < 0 || (size_t)from >= lc->nstates)
        return itsm__find_transition_slow(eng, kind, from, event);
    unsigned pos = eng->tr_ix[kind][(size_t)from * lc->nevents + (size_t)event];
    return pos ? &lc->trans[pos - 1] : NULL;
}
/* The same for a state and an event known to be the lifecycle's (a
 * record's state, an index itsm__event_ix gave). */
static inline const itsm__transition *itsm__find_transition_in(const itsm_engine *eng, const itsm__lifecycle *lc,
                                                              int kind, unsigned from, unsigned event)
{
    unsigned pos = eng->tr_ix[kind][(size_t)from * lc->nevents + event];
    return pos ? &lc->trans[pos - 1] : NULL;
}
int          itsm__time_refused(itsm_engine *eng, itsm_time t, const char *what);
static inline int itsm__check_time(itsm_engine *eng, itsm_time t, const char *what)
{
    return t < ITSM_TIME_MIN || t > ITSM_TIME_MAX ? itsm__time_refused(eng, t, what) : ITSM_OK;
}
/* A symbol argument of a call (a group, a manager, an actor): checked as a
 * symbol field's value is (kit/value.h), then interned. `what` names it in
 * the message. */
int          itsm__symbol_arg(itsm_engine *eng, const char *s, const char *what, const char **out);
/* A text argument: checked as a text field's value is; "" refused. */
int          itsm__text_arg(itsm_engine *eng, const char *s, const char *what);

/* ---- the batch: build, then commit (store, apply, sink) or abort ---- */
itsm_event  *itsm__batch_add(itsm_engine *eng, int type, itsm_record *rec, itsm_time at);
int          itsm__batch_commit(itsm_engine *eng);   /* store first; aborts on failure */
void         itsm__batch_abort(itsm_engine *eng);
/* The batch emptied without freeing its events (they were disposed of or
 * copied elsewhere): one place resets every per-batch mark. */
static inline void itsm__batch_empty(itsm_engine *eng)
{
    eng->nbatch = 0;
    eng->reserve_recs = 0;
    eng->unfinal = 0;
    eng->batch_types = 0;
    eng->batch_kinds = 0;
}
static inline void itsm__batch_begin(itsm_engine *eng) { itsm__batch_empty(eng); }
/* Replay: finalise (replay mode), reserve, apply without the store and
 * sink. ITSM_OK, or an error with the batch aborted. */
int          itsm__batch_replay(itsm_engine *eng);
/* A group's events kept for the sink (core/group.c): make room for the
 * batch being committed before the store sees it, so keeping them cannot
 * fail after; move them in once applied; free them. */
int          itsm__group_reserve(itsm_engine *eng);
void         itsm__group_keep(itsm_engine *eng);
void         itsm__group_dispose(itsm_engine *eng);
/* Free the events of evs[0..n) (what they own; records OPEN events own). */
void         itsm__events_dispose(itsm_engine *eng, itsm_event *evs, size_t n);
/* Back to an engine without records (the policy, symbols and options
 * kept): every record and capability state freed and made anew. ITSM_OK
 * or ITSM_ENOMEM (the engine is then `broken`). */
int          itsm__engine_reset(itsm_engine *eng);
/* Resolve the capabilities' hooks into the engine's lists and where their
 * record state goes, once, after their engine_init (core/hooks.c).
 * `readable`: the engine's store gives events back. */
void         itsm__index_hooks(itsm_engine *eng, int readable);

/* Reserve room so apply cannot fail. */
int          itsm__reserve_note(itsm_engine *eng, itsm_record *rec);
/* Give the record its own itsm__recx if it has none yet: ITSM_OK or
 * ITSM_ENOMEM (message set). */
int          itsm__rec_extras(itsm_engine *eng, itsm_record *rec);
int          itsm__reserve_link(itsm_engine *eng, itsm_record *rec);
int          itsm__reserve_record(itsm_engine *eng);

/* ---- values into events (core/finalise.c) ---- */

/* Who proposes a change: a caller of the API (engine-owned fields
 * refused), the engine or a capability (engine-owned fields allowed), or a
 * stored event being replayed (every field; a time may be null). */
enum { ITSM__BY_CALLER = 0, ITSM__BY_ENGINE = 1, ITSM__BY_REPLAY = 2 };

/* The one door for a value into an event: checked by the one value
 * checker for the field's type, text copied, symbol interned. A field may
 * be proposed once per event (ITSM_EINVAL "given twice"), except that a
 * capability's proposal replaces a derived value. s == NULL clears a
 * string field. The message names the field. */
int itsm__propose_str(itsm_engine *eng, itsm_event *ev, itsm_field f, const char *s, size_t n, int by);
/* A symbol field's value that is interned already (so checked): no
 * lookup, no check again (not for an enum: its values are the policy's). */
int itsm__propose_known(itsm_engine *eng, itsm_event *ev, itsm_field f, const char *sym, int by);
int itsm__propose_num(itsm_engine *eng, itsm_event *ev, itsm_field f, int64_t v, int by);
/* An itsm_change of the API (either member by the field's type). */
int itsm__propose(itsm_engine *eng, itsm_event *ev, const itsm_change *c, int by);
/* A caller's list of changes, as itsm_record_update takes it. */
int itsm__propose_all(itsm_engine *eng, itsm_event *ev, const itsm_change *changes, size_t n);

/* Finalise one event: what the policy derives from its changes and its
 * step (a transition's clears, stamps and reopen count, priority from
 * impact x urgency, the reassignment count, opened_at). Idempotent: run
 * again after a later proposal, it derives afresh. itsm__batch_commit runs
 * it for every event; a builder may run it early to read derived values. */
int itsm__finalise(itsm_engine *eng, itsm_event *ev);
/* itsm__finalise for a live transition with its step (ev->trans) that
 * nothing finalised yet: what itsm_record_fire builds. Inline, what the
 * step derives apart (most steps derive nothing). */
#define ITSM__FSET_DERIVING                                                                                   \
    (((uint64_t)1 << ITSM_F_IMPACT) | ((uint64_t)1 << ITSM_F_URGENCY) | ((uint64_t)1 << ITSM_F_ASSIGNMENT_GROUP) | \
     ((uint64_t)1 << ITSM_F_ASSIGNEE))   /* the fields derive_fields reads on a record that exists */
int itsm__finalise_step_derive(itsm_engine *eng, itsm_event *ev);
int itsm__clock_behind(itsm_engine *eng, const itsm_event *ev);   /* ITSM_ECLOCK, the message set */
static inline int itsm__finalise_step(itsm_engine *eng, itsm_event *ev)
{
    /* Record time only moves forward (core/finalise.c, finalise_time). */
    itsm_time last = itsm__rec_num(ev->rec, itsm__fields[ITSM_F_UPDATED_AT].slot);
    if (last != ITSM_TIME_NONE && ev->at < last)
        return itsm__clock_behind(eng, ev);
    const itsm__transition *t = ev->trans;
    if ((t->nclears | t->nstamps | (unsigned)t->counts_reopen) || (ev->fset & ITSM__FSET_DERIVING))
        return itsm__finalise_step_derive(eng, ev);
    ev->final = 1;
    return ITSM_OK;
}
/* Only the time check of itsm__finalise, for an event with nothing to
 * derive: ITSM_ECLOCK when a live event is stamped before its record's last
 * event (the message names both times), else ITSM_OK. */
int itsm__finalise_time(itsm_engine *eng, const itsm_event *ev);

/* The change of field f in the event, or NULL. Inline, with the field
 * bitmap first: every step asks for several fields an event usually does
 * not carry. */
static inline const itsm__change *itsm__ev_find(const itsm_event *ev, itsm_field f)
{
    uint64_t bit = (unsigned)f < 63 ? (uint64_t)1 << (unsigned)f : ITSM__FSET_CUSTOM;
    if (!(ev->fset & bit))
        return NULL;
    for (unsigned i = 0; i < ev->nchanges; i++)
        if (ev->changes[i].field == f)
            return &ev->changes[i];
    return NULL;
}
/* itsm__ev_find(ev, f) != NULL; a built-in field from the bitmap alone. */
static inline int itsm__ev_has(const itsm_event *ev, itsm_field f)
{
    if ((unsigned)f < 63)
        return ((ev->fset >> (unsigned)f) & 1u) != 0;
    return itsm__ev_find(ev, f) != NULL;
}

/* The value a field will have once the event applies (the record's when
 * the event does not change it; r may be NULL for an OPEN event). Inline:
 * guards, clears and the capabilities' rules read fields this way. */
/* A custom field's value in a record (core/record.c): NULL / 0 /
 * ITSM_TIME_NONE when unset. */
const char  *itsm__custom_str(const itsm_record *r, itsm_field f);
int64_t      itsm__custom_num(const itsm_record *r, itsm_field f);
/* The record's custom fields that are set, as "name value, name value"
 * (int decimal, bool true/false, time ISO 8601), snprintf-style into
 * buf[0..cap); the length it needed. */
size_t       itsm__custom_format(const itsm_record *r, char *buf, size_t cap);
/* The field's info in the record's engine (built-in or custom; NULL when
 * the policy has no such field). */
static inline const itsm__field_info *itsm__field_of(const itsm_engine *eng, itsm_field f)
{
    return itsm__finfo(eng->policy, (int)f);
}

/* The custom fields' side of the views below, out of the built-in path. */
int64_t      itsm__view_num_custom(const itsm_record *r, const itsm_event *ev, itsm_field f);
const char  *itsm__view_str_custom(const itsm_record *r, const itsm_event *ev, itsm_field f);
int          itsm__view_has_custom(const itsm_record *r, const itsm_event *ev, itsm_field f);

static inline int64_t itsm__view_num(const itsm_record *r, const itsm_event *ev, itsm_field f)
{
    if (itsm__field_custom((int)f))
        return itsm__view_num_custom(r, ev, f);
    const itsm__change *c = itsm__ev_find(ev, f);
    if (c)
        return c->num == ITSM__CX_UNSET ? 0 : c->num;   /* an int's clear (core/fields.h) */
    if (r)
        return itsm__rec_num(r, itsm__fields[f].slot);
    return itsm__fields[f].type == ITSM_TYPE_TIME ? ITSM_TIME_NONE : 0;
}
static inline const char *itsm__view_str(const itsm_record *r, const itsm_event *ev, itsm_field f)
{
    if (itsm__field_custom((int)f))
        return itsm__view_str_custom(r, ev, f);
    const itsm__change *c = itsm__ev_find(ev, f);
    if (c)
        return itsm__fields[f].type == ITSM_TYPE_TEXT && !ev->applied ? c->owned : c->str;
    return r ? itsm__rec_str(r, itsm__fields[f].slot) : NULL;
}
/* itsm__view_has for a built-in field of a record that exists, inline
 * where every step asks it (guards, clears): a symbol's id, not its text. */
static inline int itsm__view_has_builtin(const itsm_record *r, const itsm_event *ev, itsm_field f)
{
    const itsm__field_info *fi = &itsm__fields[f];
    const itsm__change *c = itsm__ev_find(ev, f);
    switch (fi->type) {
    case ITSM_TYPE_TEXT:
        return (c ? (ev->applied ? c->str : c->owned) : r->text[fi->slot]) != NULL;
    case ITSM_TYPE_SYMBOL:
        return c ? c->str != NULL : r->sym[fi->slot - ITSM__NTEXT] != 0;
    default: {
        int64_t v = c ? (c->num == ITSM__CX_UNSET ? 0 : c->num) : itsm__rec_num(r, fi->slot);
        return fi->type == ITSM_TYPE_TIME ? v != ITSM_TIME_NONE : v != 0;
    }
    }
}
static inline int itsm__view_has(const itsm_record *r, const itsm_event *ev, itsm_field f)
{
    if (itsm__field_custom((int)f))
        return itsm__view_has_custom(r, ev, f);
    switch (itsm__fields[f].type) {
    case ITSM_TYPE_TEXT:
    case ITSM_TYPE_SYMBOL:
        return itsm__view_str(r, ev, f) != NULL;
    case ITSM_TYPE_TIME:
        return itsm__view_num(r, ev, f) != ITSM_TIME_NONE;
    default:
        return itsm__view_num(r, ev, f) != 0;
    }
}

/* ---- opening records and firing lifecycle events inside a step ---- */

/* A new record's id: the host's (checked, unused) or the next generated
 * one ("INC-000001"), written to buf; *seq is what to remember after the
 * commit (itsm__remember_id). */
int          itsm__new_id(itsm_engine *eng, int kind, const char *id, char buf[32], const char **out,
                          size_t *n, uint64_t *seq);
/* Add the OPEN event of a new record (allocated, in its lifecycle's initial
 * state, owned by the event until applied). NULL on ENOMEM (message set). */
itsm_event  *itsm__batch_open(itsm_engine *eng, int kind, const char *id, size_t n, itsm_time at);
/* The same with `room` bytes in the record's block for its opening texts
 * (itsm__text_room). */
itsm_event  *itsm__batch_open_room(itsm_engine *eng, int kind, const char *id, size_t n, itsm_time at,
                                   size_t room);
/* After a committed open: keep generated ids ahead of every id seen. */
void         itsm__remember_id(itsm_engine *eng, int kind, int host_chosen, const itsm_record *r,
                               uint64_t seq);
/* Record ids: 1..64 bytes of A-Z a-z 0-9 - _ . : */
int          itsm__id_valid(const char *id, size_t n);
const char  *itsm__event_type_name(int type);
const char  *itsm__note_kind_name(int kind);
const char  *itsm__link_kind_name(int kind);
/* After opening `id` (live or replayed): if it has the shape of a generated
 * id of `kind` ("INC-000042"), move the id counter past it. */
void         itsm__bump_seq(itsm_engine *eng, int kind, const char *id);
/* Add a NOTE event written by the engine (ITSM_NOTE_SYSTEM) to the batch. */
int          itsm__batch_system_note(itsm_engine *eng, itsm_record *r, itsm_time at, const char *text);
/* Add a related link both ways (two LINK events) to the batch. */
int          itsm__batch_link(itsm_engine *eng, itsm_record *a, int kind, itsm_record *b, itsm_time at);

/* Add a transition of `r` on lifecycle event `event` to the batch being built,
 * with the caller's changes and the guards of itsm_record_fire (for steps
 * that change several records at once). On failure the caller aborts the
 * batch. itsm__fire_check: would it pass, with no changes given? ITSM_OK,
 * ITSM_ETRANSITION or ITSM_EGUARD; builds nothing. */
int          itsm__batch_fire(itsm_record *r, const char *event, const itsm_change *changes, size_t n,
                              itsm_time at);
int          itsm__fire_check(itsm_record *r, const char *event);
/* Whether one guard term holds for the record as the event leaves it (ev
 * with no changes: the record as it is), and the bit set of the terms of
 * t's guard that do not (bit i: t->terms[i]; a guard has at most
 * ITSM__MAX_GUARD_TERMS terms). */
int          itsm__term_met(const itsm_record *r, const itsm_event *ev, const struct itsm__gterm *g);
uint64_t     itsm__guard_missing(const itsm_record *r, const itsm_event *ev,
                                 const struct itsm__transition *t);

/* Keep the entries of a record's whole history (itsm_record_timeline) that
 * `keep` says yes to, in order: an excerpt of it (itsm_review_timeline). */
void         itsm__timeline_keep(itsm_timeline *tl, int (*wanted)(const itsm_timeline_entry *e));

/* A record's block: the record, the capabilities' state of its kind
 * (record_size), `room` bytes for the short texts it opens with, its id.
 * itsm__record_alloc: no room. */
itsm_record *itsm__record_alloc_room(itsm_engine *eng, const char *id, size_t n, int kind, size_t room);
itsm_record *itsm__record_alloc(itsm_engine *eng, const char *id, size_t n, int kind);
/* At most this many bytes of a record's opening texts go inside its
 * block (each with its NUL): the short ones most records have, without a
 * chunk of their own. A text replaced later leaves its bytes there. */
#define ITSM__TEXT_INLINE 64
/* The room for the texts among `changes` (an opening's fields). */
size_t       itsm__text_room(const itsm_change *changes, size_t n);
/* Whether p is a text inside r's own block (the room before its id):
 * not freed on its own. */
static inline int itsm__rec_inline(const itsm_record *r, const void *p)
{
    return (uintptr_t)p - (uintptr_t)r < (uintptr_t)r->id - (uintptr_t)r;
}
/* A copy of a text value for an OPEN event's record block when it fits
 * the room left, else NULL (the caller allocates it). */
char        *itsm__text_inline(itsm_engine *eng, itsm_event *ev, const char *s, size_t n);
void         itsm__record_free(itsm_engine *eng, itsm_record *r);

#endif
