/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Internal: the capabilities' hook lists' filters as bit masks
 * (itsm__hookmask), the inline walks that give a step the hooks it is
 * for, and resolving the lists once (core/hooks.c). The hook table
 * itself is core/capability.h. Part of core/core.h.
 */
#ifndef ITSM_SRC_CORE_HOOKS_H
#define ITSM_SRC_CORE_HOOKS_H

#include "itsm/engine.h"
#include "core/capability.h"

#include <stdint.h>

/* A hook list's filters as bit masks over its hooks (bit i: the list's
 * i-th hook), so that a step reaches the hooks it is for without asking
 * every one: the hooks for each event type bit (1u << ITSM__EV_*, and
 * ITSM__EVB_SETTLING), and those that also look at fields. */
typedef struct itsm__hookmask {
    uint32_t by_type[8];
    uint32_t by_field;                  /* hooks with a field filter */
    uint64_t any_field;                 /* the union of their fields: most events change none */
    /* the hooks that watch each field bit (1 << itsm_field, and
     * ITSM__FSET_CUSTOM): a step walks the few watched fields it changes,
     * not every hook with a filter */
    uint32_t by_fbit[64];
    /* the hooks an OPEN event runs by these fields alone (their
     * capability's extend_open_fields / watch_open_fields), whatever
     * by_fbit says */
    uint32_t open_by;
    uint64_t open_any;
    uint32_t open_fbit[64];
    uint32_t kinded;                    /* hooks with a kind filter (extend_kinds, itsm__cap_watch_kinds) */
    uint32_t by_kind[ITSM_KIND_COUNT + 1];   /* the hooks a batch with records of kind k may run */
    uint32_t allow[ITSM_KIND_COUNT + 1];     /* ~kinded | by_kind[k]: those an event on a kind-k record may run */
    /* by_type[ITSM__EV_TRANSITION] & allow[k], but for hooks a transition
     * never runs (the reserve hooks for their own classes): what a
     * transition on a kind-k record runs when it changes no field in
     * any_field. Kept with allow (core/hooks.c). */
    uint32_t transition[ITSM_KIND_COUNT + 1];
} itsm__hookmask;
_Static_assert(ITSM__CAP_MAX <= 32, "a hook mask holds every capability");

/* The lowest set bit's position; x is not 0. */
static inline unsigned itsm__ctz64(uint64_t x)
{
#if defined(__GNUC__)
    return (unsigned)__builtin_ctzll(x);
#else
    unsigned n = 0;
    while (!(x & 1u)) {
        x >>= 1;
        n++;
    }
    return n;
#endif
}

static inline unsigned itsm__ctz32(uint32_t x)
{
#if defined(__GNUC__)
    return (unsigned)__builtin_ctz(x);
#else
    return itsm__ctz64(x);
#endif
}

/* `h` plus the hooks of a list that watch a field in `fset`. */
static inline uint32_t itsm__hooks_add_fields(const itsm__hookmask *m, uint32_t h, uint64_t fset)
{
    for (uint64_t w = fset & m->any_field; w; w &= w - 1)
        h |= m->by_fbit[itsm__ctz64(w)];
    return h;
}

/* `h` for an OPEN event changing `fset`: its hooks by open fields alone
 * (open_by) only when it changes one of theirs. */
static inline uint32_t itsm__hooks_open(const itsm__hookmask *m, uint32_t h, uint64_t fset)
{
    h &= ~m->open_by;
    for (uint64_t w = fset & m->open_any; w; w &= w - 1)
        h |= m->open_fbit[itsm__ctz64(w)];
    return h;
}

/* The hooks of a list for what a batch or an event holds: `types` (event
 * type bits) and `fset` (the fields it changes). A batch of openings and
 * other events takes the hooks by open fields too (the union of the
 * fields does not say whose they are). */
static inline uint32_t itsm__hooks_for(const itsm__hookmask *m, unsigned types, uint64_t fset)
{
    uint32_t h = 0;
    for (unsigned t = types & 0xffu; t; t &= t - 1)
        h |= m->by_type[itsm__ctz32(t)];
    h = itsm__hooks_add_fields(m, h, fset);
    if ((types & (1u << ITSM__EV_OPEN)) && m->open_by)
        h = (types & 0xffu) == (1u << ITSM__EV_OPEN) ? itsm__hooks_open(m, h, fset) : h | itsm__hooks_open(m, 0u, fset);
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
    uint32_t h = itsm__hooks_add_fields(m, m->by_type[(unsigned)type & 7u], fset);
    return type == ITSM__EV_OPEN && m->open_by ? itsm__hooks_open(m, h, fset) : h;
}

/* The hooks of a list a transition on a record of `kind` runs, changing
 * the fields in `fset` (the commit of itsm_record_fire): one read when it
 * changes no field the list's hooks watch. `never`: the hooks a
 * transition never runs, which m->transition leaves out too. */
static inline uint32_t itsm__hooks_transition(const itsm__hookmask *m, unsigned kind, uint64_t fset, uint32_t never)
{
    if (fset & m->any_field)
        return itsm__hooks_add_fields(m, m->by_type[ITSM__EV_TRANSITION], fset) & m->allow[kind] & ~never;
    return m->transition[kind];
}

/* Resolve the capabilities' hooks into the engine's lists and where their
 * record state goes, once, after their engine_init (core/hooks.c).
 * `readable`: the engine's store gives events back. */
void         itsm__index_hooks(itsm_engine *eng, int readable);

#endif
