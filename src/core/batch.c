/* SPDX-License-Identifier: Apache-2.0 */
/* The batch: the events of one step, finalised, extended by the
 * capabilities, handed to the store, then applied and told to the sink
 * (core/core.h draws the path). The commit of one event is inline in
 * core/commit_one.h; its parts off the usual path are here. */
#include "core/core.h"
#include "core/batch.h"
#include "core/commit_one.h"

#include <string.h>

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
     * grow): batch_ptrs always points at every slot, so neither adding an
     * event nor the commit need write it. */
    for (size_t i = 0; i < eng->cbatch; i++)
        eng->batch_ptrs[i] = &eng->batch[i];
    return grown ? ITSM_OK : itsm__oom(eng);
}

itsm_event *itsm__batch_add(itsm_engine *eng, int type, itsm_record *rec, itsm_time at)
{
    return itsm__batch_add_in(eng, type, rec, at);
}

static inline void dispose_event(itsm_engine *eng, itsm_event *ev)
{
    itsm__dispose_event_typed(eng, ev, 0);
}

void itsm__events_dispose(itsm_engine *eng, itsm_event *evs, size_t n)
{
    int owns = 0;
    for (size_t i = 0; i < n; i++) {
        dispose_event(eng, &evs[i]);
        owns |= evs[i].owns_rec;
    }
    /* A second pass: a later event of the batch may point at a record an
     * earlier OPEN event owns (open + link in one step). Newest first: the
     * newest record's bytes go back to its block (core/engine.c). */
    for (size_t i = n; owns && i-- > 0;) {
        itsm_event *ev = &evs[i];
        if (ev->owns_rec)
            itsm__record_free(eng, ev->rec);
        ev->owns_rec = 0;
    }
}

void itsm__batch_abort(itsm_engine *eng) { itsm__batch_dispose(eng); }

/* A custom field's change into the record's block (reserved). */
void itsm__apply_custom(itsm_record *r, itsm__change *c)
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

/* A transition apart, so that the other types' apply has none of its
 * branches (the hook lists' transition masks). */
ITSM__ALWAYS_INLINE void apply(itsm_engine *eng, itsm_event *ev)
{
    if (ev->type == ITSM__EV_TRANSITION)
        itsm__apply_typed(eng, ev, ITSM__EV_TRANSITION);
    else
        itsm__apply_typed(eng, ev, ev->type);
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
int itsm__reserve_custom(itsm_engine *eng)
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

/* The reserve hooks (reserve_own_classes) whose classes the batch holds. */
static uint32_t own_present(const itsm_engine *eng)
{
    uint32_t bits = 0;
    if (!(eng->batch_types & (1u << ITSM__EV_EXT)))
        return 0;
    for (size_t i = 0; i < eng->nbatch; i++)
        if (eng->batch[i].cls)
            bits |= itsm__own_bit(eng, eng->batch[i].cls);
    return bits;
}

static int reserve(itsm_engine *eng)
{
    int crc = eng->policy->ncf ? itsm__reserve_custom(eng) : ITSM_OK;
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
        itsm__batch_dispose(eng);
        return rc;
    }
    for (size_t i = 0; i < eng->nbatch; i++)
        apply(eng, &eng->batch[i]);
    itsm__batch_dispose(eng);
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
int itsm__append_refused(itsm_engine *eng, int rc, int prep)
{
    if (prep) {
        itsm__batch_dispose(eng);
        return rc;
    }
    const itsm_event *ev = &eng->batch[0];
    int code = (rc == ITSM_ECONFLICT || rc == ITSM_EUSER) ? rc : ITSM_ESTORE;
    itsm__err(eng, code, "store append refused %s event for %s at revision %llu (store returned %s)%s",
              itsm_event_type(ev), ev->rec->id, (unsigned long long)ev->rev, itsm_errname(rc),
              code != ITSM_ECONFLICT ? ""
              : ev->type == ITSM__EV_OPEN ? ": another engine opened a record with that id first"
                                          : ": another engine changed the record first");
    itsm__batch_dispose(eng);
    return code;
}

static inline void told(itsm_engine *eng) { itsm__told_typed(eng, NULL, 0); }

/* The whole batch path from its extend hooks `h` on: those for the batch
 * as it stands, finalised (itsm__commit_batch; itsm__commit_one, which
 * found them for its one event). */
int itsm__commit_batch_from(itsm_engine *eng, uint32_t h)
{
    int rc = ITSM_OK;
    size_t n0 = eng->nbatch;
    uint32_t kinds = ~0u;
    while (h && !rc) {
        unsigned i = itsm__ctz32(h);
        rc = eng->hk_extend[i](eng, n0);
        h &= h - 1;
        if (eng->unfinal) {   /* it added events or changes: the hooks after it see them */
            uint64_t fset = 0;
            unsigned types = extend_mask(eng, &fset);
            if (eng->hm_extend.kinded)
                kinds = itsm__hooks_kinds(&eng->hm_extend, eng->batch_kinds);
            h = itsm__hooks_for(&eng->hm_extend, types, fset) & kinds & ~((2u << i) - 1u);
        }
    }
    if (!rc)
        rc = finalise_all(eng);
    if (!rc && eng->nbatch == 1 && eng->batch[0].rec) {   /* the hooks added no event */
        itsm_event *ev = &eng->batch[0];
        /* a transition and an opening apart (most batches here), so that
         * their commits fold their type's switches */
        return ev->type == ITSM__EV_TRANSITION ? itsm__commit_rest_one(eng, ev, ITSM__EV_TRANSITION)
               : ev->type == ITSM__EV_OPEN     ? itsm__commit_rest_one(eng, ev, ITSM__EV_OPEN)
                                               : itsm__commit_rest_one(eng, ev, ev->type);
    }
    if (!rc)
        rc = reserve(eng);
    if (!rc && eng->grouped && eng->sink)
        rc = itsm__group_reserve(eng);
    if (rc) {
        itsm__batch_dispose(eng);
        return rc;
    }
    if (eng->has_store && (rc = itsm__store_append(eng)))
        return rc;
    for (size_t i = 0; i < eng->nbatch; i++)
        apply(eng, &eng->batch[i]);
    told(eng);
    return ITSM_OK;
}

/* A batch the one-event path does not take: several events, or one a
 * capability extends (when its extend hooks add nothing, it ends as the
 * one-event path does: itsm__commit_rest_one). */
int itsm__commit_batch(itsm_engine *eng)
{
    int rc = finalise_all(eng);
    if (rc) {
        itsm__batch_dispose(eng);
        return rc;
    }
    uint64_t fset = 0;
    unsigned types = extend_mask(eng, &fset);
    uint32_t kinds = eng->hm_extend.kinded ? itsm__hooks_kinds(&eng->hm_extend, eng->batch_kinds) : ~0u;
    return itsm__commit_batch_from(eng, itsm__hooks_for(&eng->hm_extend, types, fset) & kinds);
}

const struct itsm__openhooks *itsm__open_hooks_find(itsm_engine *eng, uint64_t fset, unsigned kind)
{
    struct itsm__openhooks *o = &eng->open_hooks[itsm__openhooks_slot(fset, kind)];
    eng->open_last = o;
    if (o->fset == fset && o->kind == kind)
        return o;
    o->extend = itsm__hooks_for_event(&eng->hm_extend, ITSM__EV_OPEN, fset) & itsm__hooks_kind(&eng->hm_extend, kind);
    /* an opening is no event of a reserve hook's own class (reserve_one) */
    o->reserve = itsm__hooks_for_event(&eng->hm_reserve, ITSM__EV_OPEN, fset) &
                 itsm__hooks_kind(&eng->hm_reserve, kind) & ~eng->hk_reserve_own;
    o->before = itsm__hooks_for_event(&eng->hm_before, ITSM__EV_OPEN, fset) & itsm__hooks_kind(&eng->hm_before, kind);
    o->after = itsm__hooks_for_event(&eng->hm_after, ITSM__EV_OPEN, fset) & itsm__hooks_kind(&eng->hm_after, kind);
    o->fset = fset;
    o->kind = kind;
    return o;
}

/* Ask the extend hooks whose idle test is the policy's (extend_idle_policy)
 * under the policy in force, once (itsm__policy_idle). */
#if defined(__GNUC__)
__attribute__((noinline, cold))
#endif
uint32_t itsm__learn_policy_idle(itsm_engine *eng)
{
    uint32_t idle = 0;
    for (uint32_t k = eng->hk_idle_by_policy; k; k &= k - 1) {
        unsigned i = itsm__ctz32(k);
        if (eng->hk_extend_idle[i](eng, NULL))
            idle |= 1u << i;
    }
    eng->hk_policy_idle = idle;
    /* the first opening's idle test under the policy, as record bits
     * (a field held otherwise than in 4 bits, or none: the hook is asked) */
    eng->hk_open_one = 0;
    for (uint32_t k = eng->hk_idle_open; k && !eng->hk_open_one; k &= k - 1) {
        unsigned i = itsm__ctz32(k);
        itsm__idle_open f;
        if (!eng->hk_extend_idle_open[i](eng, &f) || f.field >= ITSM_F__COUNT ||
            itsm__fields[f.field].store != ITSM__STORE_SMALL)
            continue;
        unsigned slot = itsm__fields[f.field].slot;
        eng->hk_open_busy = f.busy;
        eng->hk_open_idle = f.idle;
        eng->hk_open_byte = (uint8_t)(offsetof(itsm_record, small) + slot / 2);
        eng->hk_open_shift = (uint8_t)(slot % 2 * 4);
        eng->hk_open_one = 1u << i;
    }
    /* the lone transition's engine count under the policy (of the one
     * hook with the form; none: a 1 read, so that itsm__idle_fast asks) */
    eng->hk_zero_one = 0;
    eng->hk_zero_at = &itsm__idle_counts[eng->hk_idle_zero != 0];
    for (uint32_t k = eng->hk_idle_zero; k && !eng->hk_zero_one; k &= k - 1) {
        unsigned i = itsm__ctz32(k);
        const size_t *at = eng->hk_extend_idle_zero[i](eng);
        if (at) {
            eng->hk_zero_at = at;
            eng->hk_zero_one = 1u << i;
        }
    }
    eng->hk_policy_idle_known = 1;
    return idle;
}

const size_t itsm__idle_counts[2] = { 0, 1 };

int itsm__extend_idle(itsm_engine *eng, const itsm_event *ev, uint32_t h)
{
    if (h & ~eng->hk_extend_idles)
        return 0;
    uint32_t q = h & eng->hk_idle_quick;
    if (q && !(ev->fset & eng->hk_quick_fields)) {
        unsigned i = 0;
        while (i < eng->hk_nquick) {   /* the record's, as the step leaves them alone */
            uint32_t v;
            memcpy(&v, (const char *)ev->rec + eng->hk_quick_off[i], sizeof v);
            if (v & eng->hk_quick_mask[i])
                break;
            i++;
        }
        if (i == eng->hk_nquick) {
#ifdef ITSM_CHECK_REPLAN   /* the checked build: each hook agrees */
            for (uint32_t k = q; k; k &= k - 1)
                if (!eng->hk_extend_idle[itsm__ctz32(k)](eng, ev))
                    __builtin_trap();
#endif
            h &= ~q;
        }
    }
    if (h & eng->hk_idle_zero) {
        if (!eng->hk_policy_idle_known)
            itsm__learn_policy_idle(eng);
        uint32_t z = h & eng->hk_zero_one;
        if (z && !*eng->hk_zero_at) {
#ifdef ITSM_CHECK_REPLAN   /* the checked build: the hook agrees */
            if (!eng->hk_extend_idle[itsm__ctz32(z)](eng, ev))
                __builtin_trap();
#endif
            h &= ~z;
        }
    }
    for (; h; h &= h - 1)
        if (!eng->hk_extend_idle[itsm__ctz32(h)](eng, ev))
            return 0;
    return 1;
}

static int commit_open(itsm_engine *eng, itsm_event *ev)
{
    return itsm__commit_filtered(eng, ev, ITSM__EV_OPEN);
}

/* The common step, one event (a transition, an update, a note, an
 * opening). */
int itsm__batch_commit(itsm_engine *eng)
{
    if (eng->nbatch != 1)
        return itsm__commit_batch(eng);
    itsm_event *ev = &eng->batch[0];
    int rc = finalise_all(eng);
    if (rc) {
        itsm__batch_dispose(eng);
        return rc;
    }
    /* a transition apart, so that the other types' commit has none of
     * its branches; an opening (finalised, so unfinal is 0) by its own */
    if (ev->type == ITSM__EV_OPEN)
        return commit_open(eng, ev);
    return ev->type == ITSM__EV_TRANSITION ? itsm__commit_one(eng, ev, ITSM__EV_TRANSITION)
                                           : itsm__commit_one(eng, ev, ev->type);
}
