/* SPDX-License-Identifier: Apache-2.0 */
/* The capabilities' hooks resolved into the engine's lists once, with the
 * masks that let a step reach only the hooks it is for (event types,
 * fields, kinds: core/hooks.h, itsm__hookmask), and where each
 * capability's record state goes in a record's block. */
#include "core/core.h"

#include <stddef.h>
#include <string.h>

/* Where the capabilities' record state goes in a record's block, by kind
 * (capability.h: record_size): after the record, 8-byte aligned, in
 * registry order; the id follows. */
static void index_record_parts(itsm_engine *eng)
{
    for (int k = 1; k <= ITSM_KIND_COUNT; k++) {
        size_t off = 0;
        for (size_t i = 0; i < itsm__ncapabilities; i++) {
            const itsm__capability *c = itsm__capabilities[i];
            if (!c->record_size || !(c->record_kinds & (1u << k)))
                continue;
            struct itsm__recpart *p = &eng->rec_part[k][eng->nrec_part[k]++];
            p->off = (uint32_t)off;
            p->slot = c->record_slot;
            p->init = c->record_init;
            off += (c->record_size + 7) & ~(size_t)7;
        }
        eng->rec_extra[k] = off;
    }
}

/* One hook joins a list's masks at position i: for these event type bits
 * and fields, and OPEN events by `open` fields alone when not 0; all 0:
 * every event. */
static void hook_mask(itsm__hookmask *m, unsigned i, unsigned types, uint64_t fields, uint64_t open)
{
    if (!types && !fields && !open)
        types = 0xffu;
    if (open) {
        m->open_by |= 1u << i;
        m->open_any |= open;
        for (unsigned f = 0; f < 64; f++)
            if (open & ((uint64_t)1 << f))
                m->open_fbit[f] |= 1u << i;
    }
    for (unsigned t = 0; t < 8; t++)
        if (types & (1u << t))
            m->by_type[t] |= 1u << i;
    if (fields) {
        m->by_field |= 1u << i;
        m->any_field |= fields;
        for (unsigned f = 0; f < 64; f++)
            if (fields & ((uint64_t)1 << f))
                m->by_fbit[f] |= 1u << i;
    }
}

/* Enter a capability's classes in the class-owner table with its reserve
 * hook's bit; 0 when the table is full (the hook then runs for every
 * batch its watch filters say, as without the flag). */
static int own_classes(itsm_engine *eng, const struct itsm__evclass *const *classes, uint32_t bit)
{
    size_t n = 0, used = 0;
    for (size_t i = 0; classes && classes[i]; i++)
        n++;
    for (size_t i = 0; i < ITSM__CLSOWN; i++)
        used += eng->cls_own[i].cls != NULL;
    if (!n || used + n > ITSM__CLSOWN / 2)
        return 0;
    for (size_t i = 0; i < n; i++) {
        unsigned h = itsm__clsown_slot(classes[i]);
        while (eng->cls_own[h].cls)
            h = (h + 1) & (ITSM__CLSOWN - 1);
        eng->cls_own[h].cls = classes[i];
        eng->cls_own[h].bit = bit;
    }
    return 1;
}

/* What each kind's events may run of a list (itsm__hooks_kind), and its
 * transitions that change no watched field (itsm__hooks_transition;
 * `never`: the hooks a transition never runs). */
static void hook_allow(itsm__hookmask *m, uint32_t never)
{
    for (int k = 0; k <= ITSM_KIND_COUNT; k++) {
        m->allow[k] = ~m->kinded | m->by_kind[k];
        m->transition[k] = m->by_type[ITSM__EV_TRANSITION] & m->allow[k] & ~never;
    }
}

/* The kind filters of a capability's watched hooks, as it last said
 * (itsm__cap_watch_kinds). */
static void watch_kinds(itsm_engine *eng, int slot)
{
    itsm__hookmask *lists[3] = { &eng->hm_reserve, &eng->hm_before, &eng->hm_after };
    const itsm__capability *c = itsm__capabilities[slot];
    int skip = (eng->cap_before_skipped >> slot & 1u) && c->after_apply_alone;
    for (int l = 0; l < 3; l++) {
        int pos = eng->cap_pos[l][slot];
        if (pos < 0)
            continue;
        uint32_t bit = 1u << pos;
        if (l == 0 && c->reserve_own_classes)
            continue;   /* for its own classes' events: own_present decides */
        if (l == 2)   /* its after hook does the skipped before hook's work */
            eng->hk_after[pos] = skip ? c->after_apply_alone : c->after_apply;
        /* a skipped before hook: watching no kind, no event reaches it */
        unsigned unwatched = l == 1 && skip ? ~0u : eng->cap_unwatched[slot], kinds = ~unwatched;
        itsm__hookmask *m = lists[l];
        if (!unwatched)
            m->kinded &= ~bit;
        else
            m->kinded |= bit;
        for (int k = 0; k <= ITSM_KIND_COUNT; k++)
            m->by_kind[k] = (kinds >> k & 1u) ? m->by_kind[k] | bit : m->by_kind[k] & ~bit;
        hook_allow(m, l == 0 ? eng->hk_reserve_own : 0u);
    }
}

/* The openings' hooks the engine keeps (core/commit_one.h,
 * itsm__open_hooks), and the extend hooks idle under the policy
 * (itsm__policy_idle), were found in the lists as they were: a change of
 * the lists (a capability's kinds, the hooks indexed again) forgets them. */
static void forget_open_hooks(itsm_engine *eng)
{
    memset(eng->open_hooks, 0, sizeof eng->open_hooks);   /* kind 0: no opening's */
    eng->open_last = &eng->open_hooks[0];
    eng->hk_policy_idle_known = 0;
    eng->hk_zero_at = &itsm__idle_counts[eng->hk_idle_zero != 0];   /* learnt again */
}

/* The record words whose bits are all 0 when each built-in field of
 * `unset` is unset (a symbol's id, a small number's four bits, a
 * counter), added to the engine's (hk_quick_off, hk_quick_mask); 0, and
 * nothing added, for a field held otherwise (a text, a time) or when the
 * words are too many: that hook's extend_idle is asked instead. */
static int quick_words(itsm_engine *eng, uint64_t unset)
{
    uint16_t off[64];
    uint32_t mask[64];
    unsigned n = 0;
    for (uint64_t w = unset; w; w &= w - 1) {
        unsigned f = itsm__ctz64(w);
        if (f >= ITSM_F__COUNT)
            return 0;
        const itsm__field_info *fi = &itsm__fields[f];
        unsigned slot = fi->slot;
        if (fi->type == ITSM_TYPE_SYMBOL) {
            off[n] = (uint16_t)(offsetof(itsm_record, sym) + sizeof(uint32_t) * (slot - ITSM__NTEXT));
            mask[n++] = UINT32_MAX;
        } else if (fi->type != ITSM_TYPE_TEXT && fi->type != ITSM_TYPE_TIME && slot < ITSM__NSMALL) {
            _Static_assert(ITSM__NSMALL / 2 == sizeof(uint32_t), "the small numbers are one word");
            uint8_t b[ITSM__NSMALL / 2] = { 0 };   /* its four bits in the word, in memory order */
            b[slot / 2] = (uint8_t)(15u << (slot % 2 * 4));
            off[n] = (uint16_t)offsetof(itsm_record, small);
            memcpy(&mask[n++], b, sizeof b);
        } else if (fi->type != ITSM_TYPE_TEXT && fi->type != ITSM_TYPE_TIME && slot >= ITSM__NSMALL + ITSM__NTIME) {
            off[n] = (uint16_t)(offsetof(itsm_record, cnt) + sizeof(int32_t) * (slot - ITSM__NSMALL - ITSM__NTIME));
            mask[n++] = UINT32_MAX;
        } else {
            return 0;
        }
    }
    unsigned k = eng->hk_nquick;
    uint16_t koff[ITSM__QUICK_WORDS];
    uint32_t kmask[ITSM__QUICK_WORDS];
    memcpy(koff, eng->hk_quick_off, sizeof koff);
    memcpy(kmask, eng->hk_quick_mask, sizeof kmask);
    for (unsigned i = 0; i < n; i++) {
        unsigned j = 0;
        while (j < k && koff[j] != off[i])
            j++;
        if (j == k) {
            if (k == ITSM__QUICK_WORDS)
                return 0;
            koff[k] = off[i];
            kmask[k++] = 0;
        }
        kmask[j] |= mask[i];
    }
    eng->hk_nquick = k;
    memcpy(eng->hk_quick_off, koff, sizeof koff);
    memcpy(eng->hk_quick_mask, kmask, sizeof kmask);
    return 1;
}

void itsm__cap_before_skip(itsm_engine *eng, int slot, int skip)
{
    uint32_t was = eng->cap_before_skipped;
    eng->cap_before_skipped = skip ? was | 1u << slot : was & ~(1u << slot);
    if (eng->hooks_indexed && was != eng->cap_before_skipped) {
        watch_kinds(eng, slot);
        forget_open_hooks(eng);
    }
}

void itsm__cap_watch_kinds(itsm_engine *eng, int slot, unsigned kinds)
{
    eng->cap_unwatched[slot] = ~kinds;
    if (eng->hooks_indexed) {
        watch_kinds(eng, slot);
        forget_open_hooks(eng);
    }
}

void itsm__index_hooks(itsm_engine *eng, int readable)
{
    memset(eng->cap_pos, -1, sizeof eng->cap_pos);
    for (size_t i = 0; i < itsm__ncapabilities; i++) {
        const itsm__capability *c = itsm__capabilities[i];
        if ((c->needs & ITSM__CAP_NEEDS_READABLE_STORE) && !readable)
            continue;
        if (c->extend) {
            hook_mask(&eng->hm_extend, eng->nhk_extend, c->extend_types, c->extend_fields, c->extend_open_fields);
            if (c->extend_kinds) {
                eng->hm_extend.kinded |= 1u << eng->nhk_extend;
                for (int k = 0; k <= ITSM_KIND_COUNT; k++)
                    if (c->extend_kinds & (1u << k))
                        eng->hm_extend.by_kind[k] |= 1u << eng->nhk_extend;
            }
            if (c->extend_idle) {
                eng->hk_extend_idle[eng->nhk_extend] = c->extend_idle;
                eng->hk_extend_idles |= 1u << eng->nhk_extend;
                if ((c->extend_idle_unset | c->extend_idle_unchanged) && quick_words(eng, c->extend_idle_unset)) {
                    eng->hk_idle_quick |= 1u << eng->nhk_extend;
                    eng->hk_quick_fields |= c->extend_idle_unset | c->extend_idle_unchanged;
                }
                if (c->extend_idle_zero && !eng->hk_idle_zero) {   /* one hook's, the first's */
                    eng->hk_extend_idle_zero[eng->nhk_extend] = c->extend_idle_zero;
                    eng->hk_idle_zero |= 1u << eng->nhk_extend;
                }
                if (c->extend_idle_open) {
                    eng->hk_extend_idle_open[eng->nhk_extend] = c->extend_idle_open;
                    eng->hk_idle_open |= 1u << eng->nhk_extend;
                }
                if (c->extend_idle_policy)
                    eng->hk_idle_by_policy |= 1u << eng->nhk_extend;
                else
                    eng->hk_idle_by_event |= 1u << eng->nhk_extend;
            }
            eng->hk_extend[eng->nhk_extend++] = c->extend;
        }
        if (c->reserve) {
            hook_mask(&eng->hm_reserve, eng->nhk_reserve, c->watch_types, c->watch_fields, c->watch_open_fields);
            if (c->reserve_own_classes && own_classes(eng, c->classes, 1u << eng->nhk_reserve))
                eng->hk_reserve_own |= 1u << eng->nhk_reserve;
            eng->cap_pos[0][i] = (signed char)eng->nhk_reserve;
            eng->hk_reserve[eng->nhk_reserve++] = c->reserve;
        }
        if (c->before_apply) {
            hook_mask(&eng->hm_before, eng->nhk_before, c->watch_types, c->watch_fields, c->watch_open_fields);
            eng->cap_pos[1][i] = (signed char)eng->nhk_before;
            eng->hk_before[eng->nhk_before++] = c->before_apply;
        }
        if (c->after_apply) {
            hook_mask(&eng->hm_after, eng->nhk_after, c->watch_types, c->watch_fields, c->watch_open_fields);
            eng->cap_pos[2][i] = (signed char)eng->nhk_after;
            eng->hk_after[eng->nhk_after++] = c->after_apply;
        }
        if (c->record_free)
            eng->hk_record_free[eng->nhk_record_free++] = c->record_free;
    }
    eng->hooks_indexed = 1;
    eng->hk_idle_fast = (eng->hk_nquick <= ITSM__QUICK_FAST ? eng->hk_idle_quick : 0u) | eng->hk_idle_zero;
    hook_allow(&eng->hm_extend, 0u);
    hook_allow(&eng->hm_reserve, eng->hk_reserve_own);   /* for their own classes' events only */
    hook_allow(&eng->hm_before, 0u);
    hook_allow(&eng->hm_after, 0u);
    for (size_t i = 0; i < itsm__ncapabilities; i++)   /* what engine_init said */
        watch_kinds(eng, (int)i);
    forget_open_hooks(eng);
    index_record_parts(eng);
}
