/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Internal: the engine's services every step uses - the entry and clock
 * checks, finding a record, the symbol cache and interning, lifecycles,
 * roles, event names and the transition table, checked arguments. Part
 * of core/core.h.
 */
#ifndef ITSM_SRC_CORE_ENGINE_SERVICES_H
#define ITSM_SRC_CORE_ENGINE_SERVICES_H

#include "core/engine_int.h"

#include <stdint.h>
#include <string.h>

/* ITSM_ESTATE when called from inside a store/sink callback. Inline, the
 * error apart: every mutation and tick starts here. */
int          itsm__entry_refused(itsm_engine *eng);
/* The conditions of the two checks, apart: a caller that must not call
 * anything on its common path (itsm_engine_tick) tests them and makes the
 * full check only when one holds. */
static inline int itsm__entry_blocked(const itsm_engine *eng)
{
    return eng->in_callback | eng->broken;
}
static inline int itsm__time_outside(itsm_time t)
{
    return t < ITSM_TIME_MIN || t > ITSM_TIME_MAX;
}
static inline int itsm__check_entry(itsm_engine *eng)
{
    return itsm__entry_blocked(eng) ? itsm__entry_refused(eng) : ITSM_OK;
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
/* An id's hash in the id index, which an opening keeps for its record's
 * insert. */
static inline uint32_t itsm__id_hash(const itsm_engine *eng, const char *id, size_t n)
{
    return itsm__htab_hash(&eng->ids, id, n);
}
static inline int itsm__id_eq(const char *a, const char *b, size_t n)
{
    /* `a` is NUL-terminated and may be shorter than n: strncmp stops at its
     * end, where memcmp could read past it. `b` has no NUL in its n bytes. */
    return strncmp(a, b, n) == 0 && a[n] == '\0';
}
/* itsm__find with the id's hash (itsm__id_hash). Inline: every opening
 * asks it of its new id, whose probe rarely compares an id (it ends at an
 * empty slot, past other hashes). */
static inline itsm_record *itsm__find_hashed(const itsm_engine *eng, const char *id, size_t n, uint32_t hash)
{
    itsm__hprobe it = itsm__htab_probe(&eng->ids, hash);
    for (long pos; (pos = itsm__htab_next(&eng->ids, &it)) >= 0;) {
        itsm_record *r = eng->recs[pos];
        if (itsm__id_eq(r->id, id, n))
            return r;
    }
    return NULL;
}
/* The interned symbol equal to the caller's NUL-terminated `s` if `s` is
 * in the symbol cache or is a handle (the interned pointer itself, as
 * itsm_engine_symbol gives), and *n its length; else NULL. A cached handle
 * costs a pointer compare; another string of the host a strcmp, since the
 * host may have rewritten its bytes; a handle the cache does not hold one
 * lookup by address (itsm__symbol_handle), without reading its bytes. */
const char  *itsm__symbol_handle(itsm_engine *eng, const char *s, size_t *n);
static inline const char *itsm__symbol_cached(itsm_engine *eng, const char *s, size_t *n)
{
    const struct itsm__symhit *h = &eng->symcache[((uintptr_t)s >> 2) & (ITSM__SYMCACHE - 1)];
    if (h->key == s && (h->sym == s || strcmp(h->sym, s) == 0)) {
        *n = h->n;
        return h->sym;
    }
    return itsm__symbol_handle(eng, s, n);
}
/* itsm__symbol_cached for a caller that needs no length: a hit stores
 * none (the proposals' usual symbol). A NULL `s` finds an empty entry
 * (key and sym NULL: no entry is remembered for NULL), the miss. */
static inline const char *itsm__symbol_known(itsm_engine *eng, const char *s)
{
    const struct itsm__symhit *h = &eng->symcache[((uintptr_t)s >> 2) & (ITSM__SYMCACHE - 1)];
    if (h->key == s && (h->sym == s || strcmp(h->sym, s) == 0))
        return h->sym;
    size_t n;
    return itsm__symbol_handle(eng, s, &n);
}
/* Remember that the caller's `s` (never NULL: the lookups above take a
 * NULL key's entry for an empty one) is the interned `sym` of n bytes. */
static inline void itsm__symbol_remember(itsm_engine *eng, const char *s, const char *sym, size_t n)
{
    struct itsm__symhit *h = &eng->symcache[((uintptr_t)s >> 2) & (ITSM__SYMCACHE - 1)];
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
 * the same few names, often the same string constants. A hit's bytes are
 * checked (kit/bytes_at.h), since the host may have rewritten them; the
 * cache is emptied when the policy in force changes
 * (itsm__event_cache_clear), so a hit's index is the current policy's and
 * in range without a check. */
int          itsm__event_ix_slow(itsm_engine *eng, int kind, const char *name);
static inline void itsm__event_cache_clear(itsm_engine *eng)
{
    for (size_t i = 0; i < ITSM__EVCACHE; i++)
        eng->evcache[i].kind = -1;
}
/* What the engine keeps of the policy in force: its event-name cache and
 * the extend hooks idle under it (itsm__policy_idle). Called whenever
 * eng->policy changes. */
extern const size_t itsm__idle_counts[2];   /* { 0, 1 }: core/batch.c */
static inline void itsm__policy_caches_clear(itsm_engine *eng)
{
    itsm__event_cache_clear(eng);
    eng->hk_policy_idle_known = 0;
    eng->hk_zero_at = &itsm__idle_counts[eng->hk_idle_zero != 0];   /* learnt again */
}
static inline int itsm__event_ix(itsm_engine *eng, int kind, const char *name)
{
    uint64_t h = (uint64_t)(uintptr_t)name * UINT64_C(0x9e3779b97f4a7c15) + (uint64_t)kind;
    const struct itsm__evhit *c = &eng->evcache[h >> 58 & (ITSM__EVCACHE - 1)];
    const itsm__lifecycle *lc = itsm__lifecycle_of(eng, kind);
    if (c->key == name && c->kind == kind && itsm__bytes_at_same(&c->at, name, lc->events[c->ix]))
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
 * record's state, an index itsm__event_ix gave): the transition's
 * position in lc->trans plus one, 0 for none (the caller tests the
 * number, which the compiler cannot tell from a pointer's NULL). */
static inline unsigned itsm__transition_pos(const itsm_engine *eng, const itsm__lifecycle *lc, int kind,
                                            unsigned from, unsigned event)
{
    return eng->tr_ix[kind][(size_t)from * lc->nevents + event];
}
int          itsm__time_refused(itsm_engine *eng, itsm_time t, const char *what);
static inline int itsm__check_time(itsm_engine *eng, itsm_time t, const char *what)
{
    return itsm__time_outside(t) ? itsm__time_refused(eng, t, what) : ITSM_OK;
}
/* A symbol argument of a call (a group, a manager, an actor): checked as a
 * symbol field's value is (kit/value.h), then interned. `what` names it in
 * the message. */
int          itsm__symbol_arg(itsm_engine *eng, const char *s, const char *what, const char **out);
/* A text argument: checked as a text field's value is; "" refused. */
int          itsm__text_arg(itsm_engine *eng, const char *s, const char *what);

#endif
