/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Internal: the commit of a batch of one event (the common step: a
 * transition, an update, a note) - reserve, the store, apply with the
 * capabilities' hooks around it, the sink, disposal - inline where
 * itsm_record_fire commits its transition (core/fire.c: the type a
 * constant, so the switches fold and no call frame is paid) and behind
 * itsm__batch_commit (core/batch.c). What is off the usual path (several
 * events, a capability's extend, custom fields, a refusal) is out of line
 * in core/batch.c.
 */
#ifndef ITSM_SRC_CORE_COMMIT_ONE_H
#define ITSM_SRC_CORE_COMMIT_ONE_H

#include "core/core.h"

#include <string.h>

/* core/batch.c, off the usual path */
void itsm__apply_custom(itsm_record *r, itsm__change *c);   /* a custom field's change into its block */
int  itsm__reserve_custom(itsm_engine *eng);                /* blocks for first custom values */
int  itsm__append_refused(itsm_engine *eng, int rc, int prep);   /* the store's refusal: message, disposal */
int  itsm__commit_batch(itsm_engine *eng);                  /* the whole batch path */
int  itsm__commit_batch_from(itsm_engine *eng, uint32_t h);  /* the same, its extend hooks `h` found */
void itsm__insert_record(itsm_engine *eng, itsm_record *r, uint32_t hash);   /* core/engine.c */
/* eng->open_hooks' entry for `fset` and `kind` (found anew when it holds
 * none), now eng->open_last */
const struct itsm__openhooks *itsm__open_hooks_find(itsm_engine *eng, uint64_t fset, unsigned kind);

/* The hooks of the four lists an OPEN event `ev` runs (its kind, its
 * fields), found once for openings alike (eng->open_hooks): each list's
 * walk over the fields they watch was paid four times an opening. */
ITSM__ALWAYS_INLINE const struct itsm__openhooks *itsm__open_hooks(itsm_engine *eng, const itsm_event *ev)
{
    const struct itsm__openhooks *o = eng->open_last;   /* the four lists of one opening, and openings alike */
    return o->fset == ev->fset && o->kind == ev->rec->kind ? o : itsm__open_hooks_find(eng, ev->fset, ev->rec->kind);
}

/* Whether an event of `type` (a constant) is a transition, an update or
 * an opening: one that carries no note and no class of its own (only
 * notes and extension events do) and has its record. */
#define ITSM__EV_PLAIN(type) ((type) == ITSM__EV_TRANSITION || (type) == ITSM__EV_UPDATE || (type) == ITSM__EV_OPEN)

/* What one event of `type` owns goes (its record apart:
 * itsm__events_dispose). `type` is ev->type, or 0 when the caller does
 * not know it; for a plain one (ITSM__EV_PLAIN, disposed of only as the
 * batch's one event, which owns no record any more) the checks of a note
 * and a class fold away. */
ITSM__ALWAYS_INLINE void itsm__dispose_event_typed(itsm_engine *eng, itsm_event *ev, int type)
{
    if (ev->fset & eng->text_fset)   /* symbols and numbers own nothing */
        for (unsigned c = 0; c < ev->nchanges; c++)
            if (ev->changes[c].owned && !(ev->rec && itsm__rec_inline(ev->rec, ev->changes[c].owned)))
                itsm__free(&eng->alloc, ev->changes[c].owned);
    if (!ITSM__EV_PLAIN(type)) {
        if (ev->note_owned) {
            itsm__free(&eng->alloc, ev->note.text);
            ev->note_owned = 0;
        }
        ev->note.text = NULL;
        if (ev->cls) {
            if (ev->cls->dispose)
                ev->cls->dispose(eng, ev);
            ev->cls = NULL;
        }
        ev->ext = NULL;
        /* A plain event's changes stay: it is disposed of only as the
         * batch's one event, emptied right after
         * (itsm__dispose_one), and the slot's next event sets its
         * changes afresh (itsm__event_init) before anything reads them. */
        ev->nchanges = 0;
        ev->fset = 0;
    }
    if (ITSM__EV_PLAIN(type) || ev->rec)   /* a plain event has its record */
        ev->rec->pending = 0;
}

/* The batch is done with: what its events own goes, the batch is empty.
 * Inline for the common batch of one event owning no record. */
static inline void itsm__batch_dispose(itsm_engine *eng)
{
    if (eng->nbatch == 1 && !eng->batch[0].owns_rec)
        itsm__dispose_event_typed(eng, &eng->batch[0], 0);
    else
        itsm__events_dispose(eng, eng->batch, eng->nbatch);
    itsm__batch_empty(eng);
}

/* itsm__batch_dispose of a batch of one applied plain event `ev` of
 * `type` (ITSM__EV_PLAIN; an applied opening owns its record no more). */
ITSM__ALWAYS_INLINE void itsm__dispose_one(itsm_engine *eng, itsm_event *ev, int type)
{
    itsm__dispose_event_typed(eng, ev, type);
    itsm__batch_empty(eng);
}

/* The changes of `ev` from its `from`-th on into record `r`. */
ITSM__ALWAYS_INLINE void itsm__apply_changes_from(itsm_record *r, itsm_event *ev, unsigned from)
{
    for (unsigned i = from; i < ev->nchanges; i++) {
        itsm__change *c = &ev->changes[i];
        if (itsm__field_custom((int)c->field)) {
            itsm__apply_custom(r, c);
            continue;
        }
        /* by where the field is stored (its `store`, the usual first):
         * one test each, not the type's and then the slot's */
        const itsm__field_info *fi = &itsm__fields[c->field];
        unsigned slot = fi->slot, store = fi->store;
        if (store == ITSM__STORE_SYM) {
            r->sym[slot - ITSM__NTEXT] = c->str ? itsm__sym_id(c->str) : 0;
        } else if (store == ITSM__STORE_TIME) {
            /* a time as it is: its clear is ITSM_TIME_NONE, and no time
             * holds ITSM__CX_UNSET (an int's clear: a time's value is
             * checked in range, itsm__propose_num, or is the event's) */
            r->tm[slot - ITSM__NSMALL] = c->num;
        } else if (store == ITSM__STORE_TEXT) {
            /* Move the new text in; keep the old one on the event to free. */
            char *old = r->text[slot];
            r->text[slot] = c->owned;
            c->str = c->owned;
            c->owned = old;
        } else {
            itsm__rec_set_num(r, slot, c->num == ITSM__CX_UNSET ? 0 : c->num);   /* an int's clear */
        }
    }
}

ITSM__ALWAYS_INLINE void itsm__apply_changes(itsm_record *r, itsm_event *ev)
{
    itsm__apply_changes_from(r, ev, 0);
}

/* Apply one prepared event of `type` (ev->type; a constant where the
 * caller knows it, so the switch folds). Everything it needs was reserved
 * while the event was built, so it cannot fail: the store already has the
 * event. Inline: every event of every step comes here. */
ITSM__ALWAYS_INLINE void itsm__apply_typed(itsm_engine *eng, itsm_event *ev, int type)
{
    itsm_record *r = ev->rec;
    for (uint32_t h = type == ITSM__EV_TRANSITION ? itsm__hooks_transition(&eng->hm_before, r->kind, ev->fset, 0u)
                      : type == ITSM__EV_OPEN ? itsm__open_hooks(eng, ev)->before
                      : itsm__hooks_for_event(&eng->hm_before, type, ev->fset) & itsm__hooks_kind(&eng->hm_before, r->kind);
         h; h &= h - 1)
        eng->hk_before[itsm__ctz32(h)](eng, ev);
    r->pv = ev->pv;   /* an open record moves to the version in force (the clocks advanced under its old one) */
    switch (type) {
    case ITSM__EV_OPEN:
        itsm__insert_record(eng, r, ev->id_hash);
        ev->owns_rec = 0;
        r->state = (unsigned char)ev->to_state;
        itsm__apply_changes_from(r, ev, ev->written);   /* those itsm__propose_open wrote apart */
        break;
    case ITSM__EV_TRANSITION:
        r->state = (unsigned char)ev->to_state;
        itsm__apply_changes(r, ev);
        break;
    case ITSM__EV_UPDATE:
        itsm__apply_changes(r, ev);
        break;
    case ITSM__EV_NOTE:
        /* The record owns the text now; the event keeps a borrowed view
         * for the sink. */
        r->x->notes[r->x->nnotes++] = ev->note;
        ev->note_owned = 0;
        break;
    case ITSM__EV_LINK: {
        itsm__link *l = &r->x->links[r->x->nlinks++];
        l->target = ev->target;
        l->kind = (unsigned char)ev->link_kind;
        break;
    }
    case ITSM__EV_EXT:
        itsm__apply_changes(r, ev);
        if (ev->cls->apply)
            ev->cls->apply(eng, ev);
        break;
    default:
        break;
    }
    r->rev = ev->rev;
    itsm__rec_set_num(r, ITSM__SLOT_UPDATED_AT, ev->at);
    ev->applied = 1;
    for (uint32_t h = type == ITSM__EV_TRANSITION ? itsm__hooks_transition(&eng->hm_after, r->kind, ev->fset, 0u)
                      : type == ITSM__EV_OPEN ? itsm__open_hooks(eng, ev)->after
                      : itsm__hooks_for_event(&eng->hm_after, type, ev->fset) & itsm__hooks_kind(&eng->hm_after, r->kind);
         h; h &= h - 1)
        eng->hk_after[itsm__ctz32(h)](eng, ev);
}

/* The reserve hook (reserve_own_classes) whose class `cls` is, or 0. */
static inline uint32_t itsm__own_bit(const itsm_engine *eng, const itsm__evclass *cls)
{
    for (unsigned h = itsm__clsown_slot(cls); eng->cls_own[h].cls; h = (h + 1) & (ITSM__CLSOWN - 1))
        if (eng->cls_own[h].cls == cls)
            return eng->cls_own[h].bit;
    return 0;
}

/* The store's append of the batch (with the current version's policy
 * event first when the store lacks it). The batch is disposed of when it
 * fails. */
static inline int itsm__store_append(itsm_engine *eng)
{
    int rc, prep = 0;
    if (eng->vers[eng->cur]->stored) {
        eng->in_callback = 1;
        rc = eng->store.append(eng->store_user, eng->batch_ptrs, eng->nbatch);
        eng->in_callback = 0;
    } else {   /* the store lacks this version's document: its policy event first, in the same append */
        rc = itsm__versions_append(eng, &prep);
    }
    return rc == ITSM_OK ? ITSM_OK : itsm__append_refused(eng, rc, prep);
}

/* After the batch applied: the sink hears it (at the group's commit when
 * a group is open, core/group.c), and the batch is done with. `type`:
 * the type of its one event `ev` when the caller knows it (a constant),
 * else 0 (and `ev` NULL). */
ITSM__ALWAYS_INLINE void itsm__told_typed(itsm_engine *eng, itsm_event *ev, int type)
{
    if (eng->grouped) {
        /* In the store's group, not durable yet: the sink hears it at the
         * commit (core/group.c). */
        eng->group_events += eng->nbatch;
        if (eng->sink)
            itsm__group_keep(eng);
        else
            itsm__batch_dispose(eng);
        return;
    }
    if (eng->sink) {
        eng->in_callback = 1;
        eng->sink(eng->sink_user, eng->batch_ptrs, eng->nbatch);
        eng->in_callback = 0;
    }
    if (ITSM__EV_PLAIN(type))
        itsm__dispose_one(eng, ev, type);
    else
        itsm__batch_dispose(eng);
}

/* The reserve step for a batch of one event `ev` of `type`: reserve()
 * without the walks over the batch. */
ITSM__ALWAYS_INLINE int itsm__reserve_one(itsm_engine *eng, const itsm_event *ev, int type)
{
    if ((ev->fset & ITSM__FSET_CUSTOM) && eng->policy->ncf) {
        int crc = itsm__reserve_custom(eng);
        if (crc)
            return crc;
    }
    uint32_t h;
    if (type == ITSM__EV_TRANSITION) {   /* its record's kind; never a class of its own */
        h = itsm__hooks_transition(&eng->hm_reserve, ev->rec->kind, ev->fset, eng->hk_reserve_own);
    } else if (type == ITSM__EV_OPEN) {   /* the same: its record, no class */
        h = itsm__open_hooks(eng, ev)->reserve;
    } else {
        h = itsm__hooks_for_event(&eng->hm_reserve, type, ev->fset);
        if (ev->rec)
            h &= itsm__hooks_kind(&eng->hm_reserve, ev->rec->kind);
        if (h & eng->hk_reserve_own)   /* for their own classes' events only */
            h &= ~eng->hk_reserve_own | (type == ITSM__EV_EXT && ev->cls ? itsm__own_bit(eng, ev->cls) : 0u);
    }
    for (; h; h &= h - 1) {
        int rc = eng->hk_reserve[itsm__ctz32(h)](eng);
        if (rc)
            return rc;
    }
    return ITSM_OK;
}

/* A batch of one finalised event `ev` of `type` (ev->type; a constant
 * where the caller knows it): one pass, unless a capability extends it,
 * which the whole batch path does. */
/* The commit of a batch of one event `ev` of `type` that no capability
 * extends, from its reserve on: room without the walks over the batch,
 * the store, apply and tell with the type known (itsm__commit_one; the
 * batch path when its extend hooks added nothing). */
ITSM__ALWAYS_INLINE int itsm__commit_rest_one(itsm_engine *eng, itsm_event *ev, int type)
{
    int rc;
    if ((rc = itsm__reserve_one(eng, ev, type)) || (eng->grouped && eng->sink && (rc = itsm__group_reserve(eng)))) {
        itsm__batch_dispose(eng);
        return rc;
    }
    if (eng->has_store && (rc = itsm__store_append(eng)))
        return rc;
    itsm__apply_typed(eng, ev, type);
    itsm__told_typed(eng, ev, type);
    return ITSM_OK;
}

/* Whether every extend hook in `h` would leave the finalised lone
 * transition `ev` as it is (capability.h: extend_idle), each asked but
 * those whose kept forms hold (extend_idle_unset and _unchanged, tested as
 * record words; extend_idle_zero's engine count, learnt once per policy).
 * Out of line (core/batch.c): itsm__idle_fast answers the usual settling
 * step first. */
int itsm__extend_idle(itsm_engine *eng, const itsm_event *ev, uint32_t h);

/* The fast "yes" of itsm__extend_idle for a lone transition `ev` whose
 * extend hooks `h` all have kept forms (hk_idle_fast: the quick forms,
 * whose union the test takes, and extend_idle_zero's), as one test: the
 * step changes none of the quick forms' fields, their record words (two
 * at most, a padding word's mask 0) are 0, and the engine count learnt
 * for the policy in force is 0 (hk_zero_at points at a 1 until it is
 * learnt, or when the policy gives none; at a 0 when no hook has the
 * form). 0 asks itsm__extend_idle, which is exact: for the replay's
 * settling steps (major, problem and closure found) no call at all. */
ITSM__ALWAYS_INLINE int itsm__idle_fast(const itsm_engine *eng, const itsm_event *ev, uint32_t h)
{
    _Static_assert(ITSM__QUICK_FAST == 2, "two record words tested inline");
    if ((h & ~eng->hk_idle_fast) | (ev->fset & eng->hk_quick_fields) | *eng->hk_zero_at)
        return 0;
    uint32_t v0, v1;
    memcpy(&v0, (const char *)ev->rec + eng->hk_quick_off[0], sizeof v0);
    memcpy(&v1, (const char *)ev->rec + eng->hk_quick_off[1], sizeof v1);
    if ((v0 & eng->hk_quick_mask[0]) | (v1 & eng->hk_quick_mask[1]))
        return 0;
#ifdef ITSM_CHECK_REPLAN   /* the checked build: each hook agrees */
    for (; h; h &= h - 1)
        if (!eng->hk_extend_idle[itsm__ctz32(h)](eng, ev))
            __builtin_trap();
#endif
    return 1;
}

ITSM__ALWAYS_INLINE int itsm__commit_one(itsm_engine *eng, itsm_event *ev, int type)
{
    /* The extend hooks for the event's type and fields, and for a
     * transition into a settled state (ITSM__EVB_SETTLING, bit 7). */
    uint32_t h;
    _Static_assert(ITSM__EVB_SETTLING == 1u << 7, "the settling hooks are by_type[7]");
    if (type == ITSM__EV_TRANSITION) {   /* batch_kinds is its record's kind; to_state is set */
        unsigned kind = ev->rec->kind, to = (unsigned)ev->to_state;
        h = itsm__hooks_transition(&eng->hm_extend, kind, ev->fset, 0u);
        if ((eng->settled[kind][to / 64] >> (to % 64)) & 1u)
            h |= eng->hm_extend.by_type[7] & itsm__hooks_kind(&eng->hm_extend, kind);
    } else {
        h = itsm__hooks_for_event(&eng->hm_extend, type, ev->fset);
        if (h && eng->hm_extend.kinded)   /* batch_kinds: one kind at most */
            h &= eng->batch_kinds ? itsm__hooks_kind(&eng->hm_extend, itsm__ctz32(eng->batch_kinds))
                                  : ~eng->hm_extend.kinded;
    }
    /* a capability extends it (unless, for a transition, every hook found
     * would return at once): the whole batch path, from the hooks found
     * here when the event is finalised (it is: batch_commit and
     * itsm_record_fire finalise it first) */
    if (h && !(type == ITSM__EV_TRANSITION && (itsm__idle_fast(eng, ev, h) || itsm__extend_idle(eng, ev, h))))
        return type != ITSM__EV_TRANSITION && eng->unfinal ? itsm__commit_batch(eng) : itsm__commit_batch_from(eng, h);
    return itsm__commit_rest_one(eng, ev, type);
}

/* The extend hooks idle under the policy in force whatever the event
 * (escalation without routes, on-call without escalation policies): an
 * opening asked three indirect calls, two of them the policy's answers.
 * Learnt once (core/batch.c), with the kept idle tests (openings', a lone
 * transition's engine count). */
uint32_t itsm__learn_policy_idle(itsm_engine *eng);
static inline uint32_t itsm__policy_idle(itsm_engine *eng)
{
    return eng->hk_policy_idle_known ? eng->hk_policy_idle : itsm__learn_policy_idle(eng);
}

/* Whether the extend hook with the kept idle test for openings (its bit
 * `o`, itsm__learn_policy_idle) is idle for the opening `ev` of
 * itsm_record_open whose changes are all in its fresh record: its test as
 * record bits, no call (major's at every opening: an opening sets a
 * priority, which its quick form for steps cannot pass). Exact: the
 * checked build asks the hook and traps on a difference. */
ITSM__ALWAYS_INLINE int itsm__open_idle(const itsm_engine *eng, const itsm_event *ev, uint32_t o)
{
    (void)o;
    unsigned v = ((const unsigned char *)ev->rec)[eng->hk_open_byte] >> eng->hk_open_shift & 15u;
    int is = !(ev->fset & eng->hk_open_busy) && (eng->hk_open_idle >> v & 1u);
#ifdef ITSM_CHECK_REPLAN   /* the checked build: the hook agrees */
    if (is != !!eng->hk_extend_idle[itsm__ctz32(o)](eng, ev))
        __builtin_trap();
#endif
    return is;
}
static inline uint32_t itsm__open_one(itsm_engine *eng)
{
    if (!eng->hk_policy_idle_known)
        itsm__learn_policy_idle(eng);
    return eng->hk_open_one;
}

/* A batch of one finalised opening or update `ev` of `type` (a
 * constant): its extend hooks but those that say they would do nothing
 * with it (extend_idle: an escalation policy with no routes, no on-call
 * policies), then the batch path when any is left, else the one-event
 * commit with the type known. */
ITSM__ALWAYS_INLINE int itsm__commit_filtered(itsm_engine *eng, itsm_event *ev, int type)
{
    uint32_t h = type == ITSM__EV_OPEN ? itsm__open_hooks(eng, ev)->extend
                                       : itsm__hooks_for_event(&eng->hm_extend, type, ev->fset) &
                                             itsm__hooks_kind(&eng->hm_extend, ev->rec->kind);
    if (h & eng->hk_idle_by_policy)
        h &= ~itsm__policy_idle(eng);
    uint32_t k = h & eng->hk_idle_by_event;
    if (type == ITSM__EV_OPEN && (k & eng->hk_idle_open) && ev->written == ev->nchanges) {
        uint32_t o = k & itsm__open_one(eng);   /* learnt with the policy's idle hooks */
        k &= ~o;
        if (o && itsm__open_idle(eng, ev, o))
            h &= ~o;
    }
    for (; k; k &= k - 1) {
        unsigned i = itsm__ctz32(k);
        if (eng->hk_extend_idle[i](eng, ev))
            h &= ~(1u << i);
    }
    return h ? itsm__commit_batch_from(eng, h) : itsm__commit_rest_one(eng, ev, type);
}

/* A fresh opening or update, the batch's one event: finalised by its own
 * short form (an opening's already, by itsm__propose_open) and committed
 * with its type known (one body, inlined with a constant type into each
 * caller: itsm_record_update's and itsm_record_open's commits). */
ITSM__ALWAYS_INLINE int itsm__commit_fresh(itsm_engine *eng, itsm_event *ev, int type)
{
    eng->unfinal = 0;   /* what finalise_unfinal does, for the batch's one event */
    int rc = type == ITSM__EV_OPEN ? ITSM_OK : itsm__finalise_update(eng, ev);
    if (rc) {
        itsm__batch_dispose(eng);
        return rc;
    }
    return itsm__commit_filtered(eng, ev, type);
}

#endif
