/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Internal: the event - its types, the event classes capabilities add
 * (itsm__evclass), how a what-if engine judges a store afresh
 * (itsm__rejudge), the changes an event carries, struct itsm_event, its
 * JSON, and the hash chain's checks on stored events. Part of
 * core/core.h; include that (or core/engine_int.h), as for core/record.h.
 */
#ifndef ITSM_SRC_CORE_EVENT_H
#define ITSM_SRC_CORE_EVENT_H

#include "itsm/engine.h"
#include "core/record.h"

#include <stddef.h>
#include <stdint.h>

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
 *   read_members  (may be NULL) what `read` does, from the class's members
 *            as the binary replay decoded them, without a value tree:
 *            m[k] is the member keys[k] names. 0, or -1 for anything it
 *            does not take as it is (the replay then reads the event
 *            again with `read`, which says what is wrong): it must accept
 *            only what `read` accepts and make the same payload.
 */
typedef struct itsm__evmember itsm__evmember;
typedef struct itsm__evclass {
    const char        *name;
    const char *const *keys;
    void (*write)(const itsm_event *ev, struct itsm__jw *w);
    int  (*read)(itsm_engine *eng, itsm_event *ev, const struct itsm__jval *root,
                 itsm_parse_error *err);
    void (*apply)(itsm_engine *eng, itsm_event *ev);
    void (*dispose)(itsm_engine *eng, itsm_event *ev);
    int  (*read_members)(itsm_engine *eng, itsm_event *ev, const itsm__evmember *m);
} itsm__evclass;

/* A member of a class's event as the binary replay decoded it: `type` as
 * an itsm__jval's (kit/json.h: null, false, true, a whole number, a
 * string or an array of those), -1 when absent; a string's bytes in the
 * input - UTF-8 without a NUL, not NUL-terminated; an array's items. */
struct itsm__evmember {
    int                          type;
    const char                  *s;
    size_t                       n;
    int64_t                      i;
    const struct itsm__evmember *items;
};

/* For read_members: a time as itsm__time_parse reads it, through the
 * binary replay's cache of days (replay_bin.c); 0, or -1 where
 * itsm__time_parse may refuse it. */
int itsm__replay_time(itsm_engine *eng, const char *s, size_t n, itsm_time *t);
/* For read_members: the interned symbol of n bytes (UTF-8, no NUL) when
 * they are one the symbol check passes - the replay's symbols met before
 * found by their bytes, the others checked and interned (and then met) -
 * or NULL (not a symbol, or out of memory). */
const char *itsm__replay_symbol(itsm_engine *eng, const char *s, size_t n);

/* The class of that name among every capability's, or NULL. */
const itsm__evclass *itsm__evclass_find(const char *name);
/* The dispose of a class whose payload is one flat allocation. */
void itsm__evclass_free_ext(itsm_engine *eng, itsm_event *ev);

/* A scratch engine judging a store's events afresh under its own policy
 * (src/whatif): `before` runs before each replayed event of a record the
 * engine holds applies, with the event's time (the verdicts a tick would
 * have given by then); an event of one of the `bare` classes (the verdicts
 * the store's own run fired) replays as a bare step: its revision and
 * time, nothing else. Every event is judged under this engine's own
 * policy, whatever the store says was in force - unless `versions`: then
 * the store's policy documents register their versions and each event is
 * judged under the version it names, as a load does (the actual side of a
 * what-if: the past judged as it was). */
typedef struct itsm__rejudge {
    int (*before)(itsm_engine *eng, itsm_record *r, itsm_time at);   /* ITSM_OK or ITSM_ENOMEM */
    const itsm__evclass *const *bare;
    size_t nbare;
    int versions;
} itsm__rejudge;

typedef struct itsm__change {
    itsm_field  field;
    const char *str;     /* the value (interned symbol, or text) */
    int64_t     num;
    char       *owned;   /* text: the new value before apply, the old after */
} itsm__change;

/* A change's members: field f, its value (`str` or `num`), no text owned
 * yet; every place that adds a change fills it so. */
static inline void itsm__change_fill(itsm__change *c, itsm_field f, const char *str, int64_t num)
{
    c->field = f;
    c->str = str;
    c->num = num;
    c->owned = NULL;
}

/* At most every field once, plus what a transition adds. */
#define ITSM__MAX_CHANGES (ITSM_F__COUNT + ITSM_MAX_CUSTOM_FIELDS + 8)
/* The bit of ev->fset that says "some change is of a custom field" (the
 * bitmap has one bit per built-in field below it). */
#define ITSM__FSET_CUSTOM ((uint64_t)1 << 63)

struct itsm_event {
    int          type;
    uint16_t     pv;           /* the policy version in force: eng->vers[pv] ("pv", docs/events.md) */
    itsm_record *rec;          /* for OPEN: the new record, owned until applied */
    uint64_t     rev;
    itsm_time    at;
    const char  *actor;        /* interned */
    /* transition (and OPEN's initial state) */
    const char  *ev_name, *from_name, *to_name;
    int          to_state;
    uint32_t     id_hash;      /* OPEN: the hash of rec->id in the id index (itsm__id_hash), for its insert */
    const struct itsm__transition *trans;   /* live transitions: the policy's step */
    /* From `applied` up to `changes`, every member of a new event is zero
     * (itsm__batch_slot): together, its stores merge into a few wide ones. */
    int          applied;      /* text values moved into the record */
    int          final;        /* finalised: what the policy derives is in changes[] */
    int          replayed;     /* read from a stored event: checked, nothing derived */
    int          owns_rec;
    unsigned     nchanges;
    int          note_owned;   /* note.text is the event's until applied */
    int          link_kind;    /* link */
    unsigned char no_pv;       /* replayed from a store from before versions: written without "pv" */
    /* the hash chain (src/integrity/chain.c, docs/events.md): `chain` is
     * the event's link when `chained` (live: computed before the store
     * sees it; replay: the "hash" it carried, then the link verified) */
    unsigned char chained;
    /* a step that passes the record on whether or not its group moves (a
     * functional escalation): finalise counts one reassignment for it */
    unsigned char reassigns;
    /* an opening of itsm_record_open: its first `written` changes are in
     * its record already (itsm__propose_open, with what
     * it derives after them), and apply skips them */
    unsigned char written;
    uint64_t     fset;         /* bit f: changes[] has field f (itsm__ev_find's fast "no") */
    uint64_t     derived;      /* bit f: changes[] has field f because finalise derived it */
    itsm__note   note;         /* note */
    itsm_record *target;       /* link */
    /* extension */
    const itsm__evclass *cls;
    void        *ext;
    /* its canonical binary form (no "hash"), when the chain wrote it for
     * this step: itsm_event_to_binary gives it back without encoding the
     * event again; valid until the next step's chain reserve, NULL else */
    const unsigned char *canon;
    itsm__change changes[ITSM__MAX_CHANGES];
    unsigned char chain[32];
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

#endif
