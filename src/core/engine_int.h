/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Internal: the engine - the policy versions it holds (itsm__pver; the
 * calls on them are core/versions.h), the sizes of its caches and
 * tables, its interned symbols' storage, struct itsm_engine, going back
 * to an engine without records, and its one error buffer (itsm__err).
 * Part of core/core.h.
 */
#ifndef ITSM_SRC_CORE_ENGINE_INT_H
#define ITSM_SRC_CORE_ENGINE_INT_H

#include "itsm/engine.h"
#include "itsm/errors.h"
#include "core/capability.h"
#include "core/event.h"
#include "core/fields.h"
#include "core/hooks.h"
#include "core/record.h"
#include "kit/alloc.h"
#include "kit/bytes_at.h"
#include "kit/err.h"
#include "kit/hash.h"
#include "policy/policy_int.h"

#include <stddef.h>
#include <stdint.h>

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

/* ---- the engine ---- */

/* Day slots of the binary replay's times (a power of two). */
#define ITSM__REPLAY_DAYS 64
/* Slots of the binary replay's symbols met (a power of two, <= 2^16;
 * 16 KiB): a store's thousands of handles; with 256 (or 1,024) most of
 * them pushed each other out and went through the interning lookup. */
#define ITSM__REPLAY_SYMS 4096
/* Entries of the engine's symbol cache (a power of two; 96 KiB): a
 * replayed log's handles (its people, groups, items: thousands, packed a
 * few bytes apart in the symbol blocks) mostly keep their entry; with 256
 * they pushed each other out, and the lookup went on to the address table
 * (with 1,024, still ~1,100 of the UCI log's openings' 13,000 symbols).
 * The entry is the key's address over 4 (the `>> 2` of its lookups): a handle
 * sits at least 6 bytes past the one before it (its 4-byte id, a byte,
 * the NUL), so handles in a block's 16 KiB never share one. */
#define ITSM__SYMCACHE 4096
/* Entries of the engine's cache of openings' hooks (a power of two):
 * the UCI log's openings change about a dozen sets of fields. */
#define ITSM__OPENHOOKS 16
static inline unsigned itsm__openhooks_slot(uint64_t fset, unsigned kind)
{
    return (unsigned)(((fset ^ kind) * UINT64_C(0x9e3779b97f4a7c15)) >> 60) & (ITSM__OPENHOOKS - 1);
}
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
/* The records' blocks (core/engine.c, itsm__record_alloc_room): records
 * are carved from them in turn, newest block first, and go only with the
 * engine's records (an aborted opening's, the newest, gives its bytes
 * back): no allocation and no chunk header per record. */
struct itsm__recblock { struct itsm__recblock *next; size_t used, cap; char data[]; };

typedef void (*itsm__apply_hook)(itsm_engine *eng, itsm_event *ev);

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
    /* records the list and the index hold as they are (and under 2^32 - 1
     * positions): an opening reserves without growing while nrecs and the
     * batch's reserved ones are fewer (core/mutate.c, reserve_opening) */
    size_t              rec_room;
    itsm__htab          ids;            /* id -> position in recs */

    struct itsm__sym   *syms;           /* interned symbols */
    size_t              nsyms, csyms;
    itsm__htab          symtab;         /* bytes -> position in syms */
    size_t              sym_room;       /* symbols syms and symtab hold as they are (itsm__intern_add) */
    struct itsm__symblock *symblk;      /* the symbols' bytes, newest block first */
    /* the same blocks by address, lowest first: a handle is known by
     * the block it lies in and the id before it (itsm__symbol_handle) */
    struct itsm__symblock **symblk_at;
    size_t              nsymblk, csymblk;
    struct itsm__recblock *recblk;      /* the records' blocks, newest first */
    size_t              rec_last;       /* the bytes of the last record carved, texts and all */
    /* Symbols by the caller's pointer, direct-mapped (itsm__symbol_cached):
     * hosts pass the same few strings again and again (actors, groups,
     * services), or the handles itsm_engine_symbol gave them. */
    struct itsm__symhit { const char *key, *sym; size_t n; } symcache[ITSM__SYMCACHE];
    /* Lifecycle events by the caller's pointer and kind, direct-mapped
     * (itsm__event_ix): every fire names its event; `at` the name's bytes
     * at the key's address. Emptied (kind -1) when the policy in force
     * changes. */
    struct itsm__evhit { const char *key; int kind, ix; struct itsm__bytes_at at; } evcache[ITSM__EVCACHE];

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
    const itsm_event  **batch_ptrs;     /* &batch[i] for every slot i < cbatch (itsm__batch_grow) */
    size_t              nbatch, cbatch;
    size_t              reserve_recs;   /* OPEN events in the batch */
    size_t              unfinal;        /* events of the batch not finalised (since last finalised) */
    unsigned            batch_types;    /* bit 1u << type of every event in the batch */
    unsigned            batch_kinds;    /* bit 1u << kind of every event's record */

    /* Capabilities: their state by registry slot, and their hooks in
     * registry order (only the ones they define), resolved once. */
    void               *cap[ITSM__CAP_MAX];
    int               (*hk_extend[ITSM__CAP_MAX])(itsm_engine *eng, size_t n0);
    /* their extend_idle, and the extend hooks that have one (bits) */
    int               (*hk_extend_idle[ITSM__CAP_MAX])(const itsm_engine *eng, const itsm_event *ev);
    uint32_t            hk_extend_idles;
    /* of those, the ones whose answer is the policy's (extend_idle_policy),
     * the others, and the first that answer idle under the policy in
     * force when hk_policy_idle_known (itsm__policy_idle; forgotten when
     * the policy or the hook lists change) */
    uint32_t            hk_idle_by_policy, hk_idle_by_event, hk_policy_idle;
    /* the extend hooks with a quick idle form for a lone transition
     * (capability.h: extend_idle_unset, extend_idle_unchanged), the union
     * of their masks (the fields the step must leave alone), and the
     * fields that must be unset on its record as record words: bits of
     * the 32-bit word at byte hk_quick_off[i] of the record, all 0 when
     * every such field is unset (core/commit_one.h, itsm__idle_quick) */
#define ITSM__QUICK_WORDS 4   /* record words a quick idle test reads, at most */
#define ITSM__QUICK_FAST 2    /* of those, tested inline (itsm__idle_fast): more ask */
    uint32_t            hk_idle_quick;
    uint64_t            hk_quick_fields;
    unsigned            hk_nquick;
    uint16_t            hk_quick_off[ITSM__QUICK_WORDS];
    uint32_t            hk_quick_mask[ITSM__QUICK_WORDS];
    int                 hk_policy_idle_known;
    /* the extend hooks with an idle test for openings (capability.h:
     * extend_idle_open), the one whose test is kept under the policy in
     * force when hk_policy_idle_known (0: none), and its test as record
     * bits: the opening gives none of `busy`, and bit v of `idle` is set
     * for the 4 bits v at record byte `byte` from bit `shift`
     * (core/commit_one.h, itsm__open_idle) */
    uint32_t            hk_idle_open, hk_open_one;
    uint64_t            hk_open_busy;
    uint16_t            hk_open_idle;
    uint8_t             hk_open_byte, hk_open_shift;
    int               (*hk_extend_idle_open[ITSM__CAP_MAX])(const itsm_engine *eng, itsm__idle_open *f);
    /* the extend hooks with an engine count for lone transitions
     * (capability.h: extend_idle_zero), the one whose count is kept under
     * the policy in force when hk_policy_idle_known (0: none), and the
     * count: 0 there says that hook is idle (core/commit_one.h,
     * itsm__idle_fast); itsm__idle_counts[1] until learnt or when the
     * policy gives none, [0] when no hook has the form */
    uint32_t            hk_idle_zero, hk_zero_one;
    const size_t       *hk_zero_at;
    /* the hooks itsm__idle_fast may pass: the quick forms' (when their
     * words are ITSM__QUICK_FAST at most) and extend_idle_zero's */
    uint32_t            hk_idle_fast;
    const size_t     *(*hk_extend_idle_zero[ITSM__CAP_MAX])(const itsm_engine *eng);
    int               (*hk_reserve[ITSM__CAP_MAX])(itsm_engine *eng);
    itsm__apply_hook    hk_before[ITSM__CAP_MAX], hk_after[ITSM__CAP_MAX];
    /* each list's filters (capability.h: extend_types/fields, watch_types/fields) */
    itsm__hookmask      hm_extend, hm_reserve, hm_before, hm_after;
    /* reserve hooks for their own classes' events only (reserve_own_classes),
     * and those classes, hashed by address: the reserve hook's bit */
    uint32_t            hk_reserve_own;
    /* The four lists' hooks for openings by kind and fields, direct-mapped
     * (core/commit_one.h, itsm__open_hooks): a host's openings change a few
     * sets of fields, and the lists are fixed once indexed. kind 0: none. */
    struct itsm__openhooks { uint64_t fset; uint32_t kind, extend, reserve, before, after; } open_hooks[ITSM__OPENHOOKS];
    const struct itsm__openhooks *open_last;   /* the entry last used (one of open_hooks) */
    struct itsm__clsown { const struct itsm__evclass *cls; uint32_t bit; } cls_own[ITSM__CLSOWN];
    void              (*hk_record_free[ITSM__CAP_MAX])(itsm_engine *eng, itsm_record *r);
    /* By capability slot: the kinds it does not watch (itsm__cap_watch_kinds;
     * 0: it watches every kind), and its hooks' positions in hm_reserve,
     * hm_before and hm_after (-1: it has no such hook; hooks_indexed: set). */
    unsigned            cap_unwatched[ITSM__CAP_MAX];
    signed char         cap_pos[3][ITSM__CAP_MAX];
    uint32_t            cap_before_skipped;   /* by slot bit (itsm__cap_before_skip) */
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
    /* The binary replay's last actor (interned, checked), extension class
     * and time: a store's events mostly repeat the one before's
     * (replay_bin.c). */
    const char         *replay_actor;
    size_t              replay_nactor;
    const struct itsm__evclass *replay_cls;   /* the last extension class met */
    uint64_t            replay_cls_keys[2];   /* its keys in the key table (replay_bin_class.c) */
    signed char         replay_cls_at[128];   /* by key-table entry: its place in the class's keys, or -1 */
    char                replay_t[20];
    itsm_time           replay_tv;
    int                 replay_pv;      /* the last policy version read (an index of vers) */
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
    uint32_t            replay_sym[ITSM__REPLAY_SYMS];
    /* The to-state, event and from-state of the last transition the
     * binary replay read from a state, by kind and state: each name (its
     * address: a policy in force keeps its names for the engine's life,
     * versions.c frees none), its length and its index (replay_bin.c). */
    struct itsm__replay_lcname {
        const char *name;
        size_t      n, i;
    } replay_lc[ITSM_KIND_COUNT + 1][16][5];   /* to, event, from, and the to and event met before those */
    char                replay_day[ITSM__REPLAY_DAYS][10];
    itsm_time           replay_dayv[ITSM__REPLAY_DAYS];
    size_t              group_events;   /* events appended in the open group */
    uint16_t            group_cur;      /* the current version when the group began: a group not kept
                                           undoes an adoption inside it (versions.c) */
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

/* Declared beside itsm__rec_str (core/record.h), which reads it. */
static inline const char *itsm__sym_of(const itsm_engine *eng, uint32_t id)
{
    return eng->syms[id - 1].s;
}

/* Back to an engine without records (the policy, symbols and options
 * kept): every record and capability state freed and made anew. ITSM_OK
 * or ITSM_ENOMEM (the engine is then `broken`). */
int          itsm__engine_reset(itsm_engine *eng);

/* ---- errors: the engine's one buffer (kit/err.h) ---- */
int itsm__err(itsm_engine *eng, int code, const char *fmt, ...) ITSM__PRINTF(3, 4);
/* itsm__err for reading calls that take a const engine (getters by index):
 * every failing call sets its own message, so none is ever stale. */
int itsm__err_const(const itsm_engine *eng, int code, const char *fmt, ...) ITSM__PRINTF(3, 4);
int itsm__oom(itsm_engine *eng);   /* a static message, never allocates */

#endif
