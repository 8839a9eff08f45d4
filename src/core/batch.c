/* SPDX-License-Identifier: Apache-2.0 */
/* The batch: the events of one step, finalised, extended by the
 * capabilities, handed to the store, then applied and told to the sink
 * (core/core.h draws the path). */
#include "core/core.h"
#include "core/batch.h"

#include <string.h>

void itsm__insert_record(itsm_engine *eng, itsm_record *r);   /* core/engine.c */

/* Room for one more event (the batch's arrays grow together): ITSM_OK or
 * ITSM_ENOMEM. */
int itsm__batch_grow(itsm_engine *eng)
{
    size_t cap = eng->cbatch, cap2 = eng->cbatch;
    int grown = !itsm__grow(&eng->alloc, (void **)&eng->batch, &cap, eng->nbatch + 1, sizeof *eng->batch) &&
                !itsm__grow(&eng->alloc, (void **)&eng->batch_ptrs, &cap2, eng->nbatch + 1,
                            sizeof *eng->batch_ptrs);
    /* Keep the smaller capacity: both arrays must hold every entry. */
    eng->cbatch = cap < cap2 ? cap : cap2;
    /* The events may have moved (even if the second array failed to
     * grow): batch_ptrs always points at them, so commit need not. */
    for (size_t i = 0; i < eng->nbatch; i++)
        eng->batch_ptrs[i] = &eng->batch[i];
    return grown ? ITSM_OK : itsm__oom(eng);
}

itsm_event *itsm__batch_add(itsm_engine *eng, int type, itsm_record *rec, itsm_time at)
{
    return itsm__batch_add_in(eng, type, rec, at);
}

/* What one event of `type` owns goes (its record apart:
 * itsm__events_dispose). `type` is ev->type, or 0 when the caller does
 * not know it; a transition carries no note and no class of its own
 * (only notes and extension events do), so for one the checks of those
 * fold away. */
ITSM__ALWAYS_INLINE void dispose_event_typed(itsm_engine *eng, itsm_event *ev, int type)
{
    if (ev->fset & eng->text_fset)   /* symbols and numbers own nothing */
        for (unsigned c = 0; c < ev->nchanges; c++)
            if (ev->changes[c].owned && !(ev->rec && itsm__rec_inline(ev->rec, ev->changes[c].owned)))
                itsm__free(&eng->alloc, ev->changes[c].owned);
    ev->nchanges = 0;
    ev->fset = 0;
    if (type != ITSM__EV_TRANSITION) {
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
    }
    if (type == ITSM__EV_TRANSITION || ev->rec)   /* a transition has its record */
        ev->rec->pending = 0;
}

static inline void dispose_event(itsm_engine *eng, itsm_event *ev)
{
    dispose_event_typed(eng, ev, 0);
}

void itsm__events_dispose(itsm_engine *eng, itsm_event *evs, size_t n)
{
    int owns = 0;
    for (size_t i = 0; i < n; i++) {
        dispose_event(eng, &evs[i]);
        owns |= evs[i].owns_rec;
    }
    /* A second pass: a later event of the batch may point at a record an
     * earlier OPEN event owns (open + link in one step). */
    for (size_t i = 0; owns && i < n; i++) {
        itsm_event *ev = &evs[i];
        if (ev->owns_rec)
            itsm__record_free(eng, ev->rec);
        ev->owns_rec = 0;
    }
}

/* The batch is done with: what its events own goes, the batch is empty.
 * Inline for the common batch of one event owning no record. */
static inline void dispose(itsm_engine *eng)
{
    if (eng->nbatch == 1 && !eng->batch[0].owns_rec)
        dispose_event(eng, &eng->batch[0]);
    else
        itsm__events_dispose(eng, eng->batch, eng->nbatch);
    itsm__batch_empty(eng);
}

/* dispose() of a batch of one transition (which owns no record). */
static inline void dispose_transition(itsm_engine *eng)
{
    dispose_event_typed(eng, &eng->batch[0], ITSM__EV_TRANSITION);
    itsm__batch_empty(eng);
}

void itsm__batch_abort(itsm_engine *eng) { dispose(eng); }

/* A custom field's change into the record's block (reserved). */
static void apply_custom(itsm_record *r, itsm__change *c)
{
    const itsm__field_info *fi = itsm__field_of(r->eng, c->field);
    itsm__cxv *v = &r->eng->cxs[r->x->cx - 1][fi->slot];
    if (fi->type == ITSM_TYPE_TEXT) {
        char *old = (char *)(uintptr_t)v->s;   /* kept on the event, freed with it */
        v->s = c->owned;
        c->str = c->owned;
        c->owned = old;
    } else if (fi->type == ITSM_TYPE_SYMBOL || fi->type == ITSM_TYPE_ENUM) {
        v->s = c->str;
    } else {
        v->n = c->num;
    }
}

ITSM__ALWAYS_INLINE void apply_changes(itsm_record *r, itsm_event *ev)
{
    for (unsigned i = 0; i < ev->nchanges; i++) {
        itsm__change *c = &ev->changes[i];
        if (itsm__field_custom((int)c->field)) {
            apply_custom(r, c);
            continue;
        }
        const itsm__field_info *fi = &itsm__fields[c->field];
        if (fi->type == ITSM_TYPE_TEXT) {
            /* Move the new text in; keep the old one on the event to free. */
            char *old = r->text[fi->slot];
            r->text[fi->slot] = c->owned;
            c->str = c->owned;
            c->owned = old;
        } else if (fi->type == ITSM_TYPE_SYMBOL) {
            r->sym[fi->slot - ITSM__NTEXT] = c->str ? itsm__sym_id(c->str) : 0;
        } else {
            itsm__rec_set_num(r, fi->slot, c->num == ITSM__CX_UNSET ? 0 : c->num);   /* an int's clear */
        }
    }
}

/* Apply one prepared event of `type` (ev->type; a constant where the
 * caller knows it, so the switch folds). Everything it needs was reserved
 * while the event was built, so it cannot fail: the store already has the
 * event. Inline: every event of every step comes here. */
ITSM__ALWAYS_INLINE void apply_typed(itsm_engine *eng, itsm_event *ev, int type)
{
    itsm_record *r = ev->rec;
    for (uint32_t h = itsm__hooks_for_event(&eng->hm_before, type, ev->fset) &
                      itsm__hooks_kind(&eng->hm_before, r->kind);
         h; h &= h - 1)
        eng->hk_before[itsm__ctz32(h)](eng, ev);
    r->pv = ev->pv;   /* an open record moves to the version in force (the clocks advanced under its old one) */
    switch (type) {
    case ITSM__EV_OPEN:
        itsm__insert_record(eng, r);
        ev->owns_rec = 0;
        r->state = (unsigned char)ev->to_state;
        apply_changes(r, ev);
        break;
    case ITSM__EV_TRANSITION:
        r->state = (unsigned char)ev->to_state;
        apply_changes(r, ev);
        break;
    case ITSM__EV_UPDATE:
        apply_changes(r, ev);
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
        apply_changes(r, ev);
        if (ev->cls->apply)
            ev->cls->apply(eng, ev);
        break;
    default:
        break;
    }
    r->rev = ev->rev;
    itsm__rec_set_num(r, ITSM__SLOT_UPDATED_AT, ev->at);
    ev->applied = 1;
    for (uint32_t h = itsm__hooks_for_event(&eng->hm_after, type, ev->fset) &
                      itsm__hooks_kind(&eng->hm_after, r->kind);
         h; h &= h - 1)
        eng->hk_after[itsm__ctz32(h)](eng, ev);
}

ITSM__ALWAYS_INLINE void apply(itsm_engine *eng, itsm_event *ev)
{
    apply_typed(eng, ev, ev->type);
}

/* Finalise the events not finalised yet (new ones, or ones a capability
 * proposed a change on). */
#if defined(__GNUC__)
__attribute__((noinline))
#endif
static int finalise_unfinal(itsm_engine *eng)
{
    eng->unfinal = 0;
    for (size_t i = 0; i < eng->nbatch; i++) {
        itsm_event *ev = &eng->batch[i];
        if (ev->final)
            continue;
        if (!ev->nchanges && (ev->type == ITSM__EV_NOTE || ev->type == ITSM__EV_LINK || ev->type == ITSM__EV_EXT)) {
            int rc = ev->replayed ? ITSM_OK : itsm__finalise_time(eng, ev);
            if (rc)
                return rc;
            ev->final = 1;   /* nothing to derive from */
            continue;
        }
        int rc = itsm__finalise(eng, ev);
        if (rc)
            return rc;
    }
    return ITSM_OK;
}

/* Inline: a step built by itsm_record_fire comes finalised. */
static inline int finalise_all(itsm_engine *eng)
{
    return eng->unfinal ? finalise_unfinal(eng) : ITSM_OK;
}

/* A custom-field block for every record of the batch that gets its first
 * custom value, so that apply cannot fail. Out of line: most policies
 * declare no custom field. */
#if defined(__GNUC__)
__attribute__((noinline))
#endif
static int reserve_custom(itsm_engine *eng)
{
    uint32_t ncf = eng->policy->ncf;
    for (size_t i = 0; i < eng->nbatch; i++) {
        itsm_event *ev = &eng->batch[i];
        itsm_record *r = ev->rec;
        if (!(ev->fset & ITSM__FSET_CUSTOM) || !r || r->x->cx)
            continue;
        if (itsm__rec_extras(eng, r))
            return ITSM_ENOMEM;
        if (itsm__grow(&eng->alloc, (void **)&eng->cxs, &eng->ccxs, eng->ncxs + 1, sizeof *eng->cxs))
            return itsm__oom(eng);
        itsm__cxv *b = itsm__calloc(&eng->alloc, ncf, sizeof *b);
        if (!b)
            return itsm__oom(eng);
        for (uint32_t f = 0; f < ncf; f++)
            if (eng->policy->cf[f].info.type == ITSM_TYPE_TIME)
                b[f].n = ITSM_TIME_NONE;
            else if (eng->policy->cf[f].info.type == ITSM_TYPE_INT)
                b[f].n = ITSM__CX_UNSET;
        eng->cxs[eng->ncxs++] = b;
        r->x->cx = (uint32_t)eng->ncxs;
    }
    return ITSM_OK;
}

/* The reserve hook (reserve_own_classes) whose class `cls` is, or 0. */
static inline uint32_t own_bit(const itsm_engine *eng, const itsm__evclass *cls)
{
    for (unsigned h = itsm__clsown_slot(cls); eng->cls_own[h].cls; h = (h + 1) & (ITSM__CLSOWN - 1))
        if (eng->cls_own[h].cls == cls)
            return eng->cls_own[h].bit;
    return 0;
}

/* The reserve hooks (reserve_own_classes) whose classes the batch holds. */
static uint32_t own_present(const itsm_engine *eng)
{
    uint32_t bits = 0;
    if (!(eng->batch_types & (1u << ITSM__EV_EXT)))
        return 0;
    for (size_t i = 0; i < eng->nbatch; i++)
        if (eng->batch[i].cls)
            bits |= own_bit(eng, eng->batch[i].cls);
    return bits;
}

static int reserve(itsm_engine *eng)
{
    int crc = eng->policy->ncf ? reserve_custom(eng) : ITSM_OK;
    if (crc)
        return crc;
    uint64_t fset = 0;
    unsigned kinds = 0;   /* from the events: a replayed opening sets its record late */
    for (size_t i = 0; i < eng->nbatch; i++) {
        fset |= eng->batch[i].fset;
        kinds |= eng->batch[i].rec ? 1u << eng->batch[i].rec->kind : 0u;
    }
    uint32_t h = itsm__hooks_for(&eng->hm_reserve, eng->batch_types, fset);
    if (eng->hm_reserve.kinded)
        h &= itsm__hooks_kinds(&eng->hm_reserve, kinds);
    if (h & eng->hk_reserve_own)
        h &= ~eng->hk_reserve_own | own_present(eng);
    for (; h; h &= h - 1) {
        int rc = eng->hk_reserve[itsm__ctz32(h)](eng);
        if (rc)
            return rc;
    }
    return ITSM_OK;
}

int itsm__batch_replay(itsm_engine *eng)
{
    int rc;
    if ((rc = finalise_all(eng)) || (rc = reserve(eng))) {
        dispose(eng);
        return rc;
    }
    for (size_t i = 0; i < eng->nbatch; i++)
        apply(eng, &eng->batch[i]);
    dispose(eng);
    return ITSM_OK;
}

/* What the batch holds, for the extend hooks' filters: its event types,
 * ITSM__EVB_SETTLING, and the fields its events change. */
static inline unsigned extend_mask(const itsm_engine *eng, uint64_t *fset)
{
    unsigned types = eng->batch_types;
    uint64_t f = 0;
    for (size_t i = 0; i < eng->nbatch; i++) {
        const itsm_event *ev = &eng->batch[i];
        f |= ev->fset;
        if (ev->type == ITSM__EV_TRANSITION && ev->to_state >= 0 &&
            ((eng->settled[ev->rec->kind][(unsigned)ev->to_state / 64] >> ((unsigned)ev->to_state % 64)) & 1u))
            types |= ITSM__EVB_SETTLING;
    }
    *fset = f;
    return types;
}

/* The store refused the batch (`rc`; `prep`: it failed before the store
 * saw it): the message, the batch disposed of. Off the path of every step. */
#if defined(__GNUC__)
__attribute__((noinline, cold))
#endif
static int append_refused(itsm_engine *eng, int rc, int prep)
{
    if (prep) {
        dispose(eng);
        return rc;
    }
    const itsm_event *ev = &eng->batch[0];
    int code = (rc == ITSM_ECONFLICT || rc == ITSM_EUSER) ? rc : ITSM_ESTORE;
    itsm__err(eng, code, "store append refused %s event for %s at revision %llu (store returned %s)%s",
              itsm_event_type(ev), ev->rec->id, (unsigned long long)ev->rev, itsm_errname(rc),
              code != ITSM_ECONFLICT ? ""
              : ev->type == ITSM__EV_OPEN ? ": another engine opened a record with that id first"
                                          : ": another engine changed the record first");
    dispose(eng);
    return code;
}

/* The store's append of the batch (with the current version's policy
 * event first when the store lacks it). The batch is disposed of when it
 * fails. */
static inline int store_append(itsm_engine *eng)
{
    int rc, prep = 0;
    if (eng->vers[eng->cur]->stored) {
        eng->in_callback = 1;
        rc = eng->store.append(eng->store_user, eng->batch_ptrs, eng->nbatch);
        eng->in_callback = 0;
    } else {   /* the store lacks this version's document: its policy event first, in the same append */
        rc = itsm__versions_append(eng, &prep);
    }
    return rc == ITSM_OK ? ITSM_OK : append_refused(eng, rc, prep);
}

/* After the batch applied: the sink hears it (at the group's commit when
 * a group is open, core/group.c), and the batch is done with. `type`:
 * the type of its one event when the caller knows it (a constant), else 0. */
ITSM__ALWAYS_INLINE void told_typed(itsm_engine *eng, int type)
{
    if (eng->grouped) {
        /* In the store's group, not durable yet: the sink hears it at the
         * commit (core/group.c). */
        eng->group_events += eng->nbatch;
        if (eng->sink)
            itsm__group_keep(eng);
        else
            dispose(eng);
        return;
    }
    if (eng->sink) {
        eng->in_callback = 1;
        eng->sink(eng->sink_user, eng->batch_ptrs, eng->nbatch);
        eng->in_callback = 0;
    }
    if (type == ITSM__EV_TRANSITION)
        dispose_transition(eng);
    else
        dispose(eng);
}

static inline void told(itsm_engine *eng) { told_typed(eng, 0); }

static int commit_batch(itsm_engine *eng)
{
    int rc = finalise_all(eng);
    size_t n0 = eng->nbatch;
    uint64_t fset = 0;
    unsigned types = rc ? 0 : extend_mask(eng, &fset);
    uint32_t kinds = eng->hm_extend.kinded ? itsm__hooks_kinds(&eng->hm_extend, eng->batch_kinds) : ~0u;
    for (uint32_t h = rc ? 0 : itsm__hooks_for(&eng->hm_extend, types, fset) & kinds; h && !rc;) {
        unsigned i = itsm__ctz32(h);
        rc = eng->hk_extend[i](eng, n0);
        h &= h - 1;
        if (eng->unfinal) {   /* it added events or changes: the hooks after it see them */
            types = extend_mask(eng, &fset);
            if (eng->hm_extend.kinded)
                kinds = itsm__hooks_kinds(&eng->hm_extend, eng->batch_kinds);
            h = itsm__hooks_for(&eng->hm_extend, types, fset) & kinds & ~((2u << i) - 1u);
        }
    }
    if (!rc)
        rc = finalise_all(eng);
    if (!rc)
        rc = reserve(eng);
    if (!rc && eng->grouped && eng->sink)
        rc = itsm__group_reserve(eng);
    if (rc) {
        dispose(eng);
        return rc;
    }
    if (eng->has_store && (rc = store_append(eng)))
        return rc;
    for (size_t i = 0; i < eng->nbatch; i++)
        apply(eng, &eng->batch[i]);
    told(eng);
    return ITSM_OK;
}

/* The reserve step for a batch of one event `ev` of `type`: reserve()
 * without the walks over the batch. */
ITSM__ALWAYS_INLINE int reserve_one(itsm_engine *eng, const itsm_event *ev, int type)
{
    if ((ev->fset & ITSM__FSET_CUSTOM) && eng->policy->ncf) {
        int crc = reserve_custom(eng);
        if (crc)
            return crc;
    }
    uint32_t h = itsm__hooks_for_event(&eng->hm_reserve, type, ev->fset);
    if (type == ITSM__EV_TRANSITION || ev->rec)   /* a transition has its record */
        h &= itsm__hooks_kind(&eng->hm_reserve, ev->rec->kind);
    if (h & eng->hk_reserve_own)   /* for their own classes' events only */
        h &= ~eng->hk_reserve_own | (type == ITSM__EV_EXT && ev->cls ? own_bit(eng, ev->cls) : 0u);
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
ITSM__ALWAYS_INLINE int commit_one(itsm_engine *eng, itsm_event *ev, int type)
{
    int rc;
    /* The extend hooks for the event's type and fields, and for a
     * transition into a settled state (ITSM__EVB_SETTLING, bit 7). */
    uint32_t h = itsm__hooks_for_event(&eng->hm_extend, type, ev->fset);
    if (type == ITSM__EV_TRANSITION && ev->to_state >= 0 &&
        ((eng->settled[ev->rec->kind][(unsigned)ev->to_state / 64] >> ((unsigned)ev->to_state % 64)) & 1u))
        h |= eng->hm_extend.by_type[7];
    _Static_assert(ITSM__EVB_SETTLING == 1u << 7, "the settling hooks are by_type[7]");
    if (type == ITSM__EV_TRANSITION)   /* batch_kinds is its record's kind */
        h &= itsm__hooks_kind(&eng->hm_extend, ev->rec->kind);
    else if (h && eng->hm_extend.kinded)   /* batch_kinds: one kind at most (none for an opening) */
        h &= eng->batch_kinds ? itsm__hooks_kind(&eng->hm_extend, itsm__ctz32(eng->batch_kinds))
                              : ~eng->hm_extend.kinded;
    if (h)
        return commit_batch(eng);   /* a capability extends it */
    if ((rc = reserve_one(eng, ev, type)) || (eng->grouped && eng->sink && (rc = itsm__group_reserve(eng)))) {
        dispose(eng);
        return rc;
    }
    if (eng->has_store && (rc = store_append(eng)))
        return rc;
    apply_typed(eng, ev, type);
    told_typed(eng, type);
    return ITSM_OK;
}

/* The common step, one event (a transition, an update, a note). */
int itsm__batch_commit(itsm_engine *eng)
{
    if (eng->nbatch != 1)
        return commit_batch(eng);
    itsm_event *ev = &eng->batch[0];
    int rc = finalise_all(eng);
    if (rc) {
        dispose(eng);
        return rc;
    }
    return commit_one(eng, ev, ev->type);
}

int itsm__batch_commit_transition(itsm_engine *eng)
{
    return commit_one(eng, &eng->batch[0], ITSM__EV_TRANSITION);
}
