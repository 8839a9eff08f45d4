/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The one place where events are finalised.
 *
 * A value enters an event only through itsm__propose_*: checked by the one
 * value checker for its field's type (kit/value.h), whoever proposes it -
 * a caller of the API, a capability, or a stored event being replayed.
 * Then itsm__finalise adds what the policy derives from the event: a
 * transition's clears, stamps and reopen count, the priority from impact
 * and urgency, the reassignment count under the policy's rule, opened_at.
 * A replayed event is only checked: the stored event already holds what
 * was derived, and it is the truth.
 */
#include "core/core.h"
#include "kit/value.h"
#include "kit/json.h"

#include <string.h>

#define SLOT(f) (itsm__fields[f].slot)
#define FBIT(f) ((unsigned)(f) < 63 ? (uint64_t)1 << (unsigned)(f) : ITSM__FSET_CUSTOM)

static int too_many(itsm_engine *eng)
{
    return itsm__err(eng, ITSM_ELIMIT, "too many changes in one step");
}

static void remove_change(itsm_event *ev, unsigned i)
{
    itsm_field f = ev->changes[i].field;
    if (i < ev->written) {
        /* an opening's derived value written early (itsm__propose_open),
         * derived again: the record's field is blank again, and apply
         * takes the changes from here on */
        const itsm__field_info *fi = &itsm__fields[f];
        if (fi->type == ITSM_TYPE_SYMBOL)
            ev->rec->sym[fi->slot - ITSM__NTEXT] = 0;
        else
            itsm__rec_set_num(ev->rec, fi->slot, fi->type == ITSM_TYPE_TIME ? ITSM_TIME_NONE : 0);
        ev->written = (unsigned char)i;
    }
    memmove(&ev->changes[i], &ev->changes[i + 1], (ev->nchanges - i - 1) * sizeof *ev->changes);
    ev->nchanges--;
    if ((unsigned)f < 63) {   /* the custom bit may stay: lookups then scan */
        ev->fset &= ~FBIT(f);
        ev->derived &= ~FBIT(f);
    }
}

/* A fresh change of field f, for a proposal: one the event had already
 * was derived (the caller checked), and the proposal replaces it. */
static inline itsm__change *slot_for(itsm_engine *eng, itsm_event *ev, itsm_field f, int *rc)
{
    if (itsm__ev_has(ev, f)) {
        for (unsigned i = 0; i < ev->nchanges; i++)
            if (ev->changes[i].field == f) {
                remove_change(ev, i);
                break;
            }
    }
    if (ev->nchanges == ITSM__MAX_CHANGES) {
        *rc = too_many(eng);
        return NULL;
    }
    itsm__change *c = &ev->changes[ev->nchanges++];
    ev->fset |= FBIT(f);
    itsm__change_fill(c, f, NULL, 0);
    if (ev->final) {
        ev->final = 0;
        eng->unfinal++;
    }
    return c;
}

/* A change the finalise step derives (marked, so a later run redoes it). */
ITSM__ALWAYS_INLINE itsm__change *derive_change(itsm_engine *eng, itsm_event *ev, itsm_field f, int *rc)
{
    if (ev->nchanges == ITSM__MAX_CHANGES) {
        *rc = too_many(eng);
        return NULL;
    }
    itsm__change *c = &ev->changes[ev->nchanges++];
    ev->fset |= FBIT(f);
    ev->derived |= FBIT(f);
    itsm__change_fill(c, f, NULL, 0);
    return c;
}

/* An opening's change just derived (the last, of a built-in number in
 * `slot`), written into its record when every change before it is
 * (ev->written: itsm__propose_open), as apply would write it. */
ITSM__ALWAYS_INLINE void write_derived(itsm_event *ev, unsigned slot, int64_t v)
{
    if (ev->written == ev->nchanges - 1) {
        itsm__rec_set_num(ev->rec, slot, v);
        ev->written++;
    }
}

/* Allowed, not given twice (a derived value may be replaced). */
/* A custom field (or none): it applies to the kinds the policy says. */
static int custom_proposable(itsm_engine *eng, const itsm_event *ev, itsm_field f)
{
    const itsm__cfield *cf = itsm__cfield_of(eng->policy, (int)f);
    if (!cf)
        return itsm__err(eng, ITSM_EINVAL, "unknown field %d", (int)f);
    if (ev->rec && !(cf->kinds & (1u << ev->rec->kind)))
        return itsm__err(eng, ITSM_EINVAL, "field '%s' does not apply to %s records", cf->info.name,
                         itsm_kind_name((itsm_kind)ev->rec->kind));
    if (itsm__ev_find(ev, f))
        return itsm__err(eng, ITSM_EINVAL, "field '%s' is given twice", cf->info.name);
    return ITSM_OK;
}

static inline int proposable(itsm_engine *eng, const itsm_event *ev, itsm_field f, int by)
{
    if (!itsm__field_valid((int)f))
        return custom_proposable(eng, ev, f);
    const itsm__field_info *fi = &itsm__fields[f];
    if (fi->engine_owned && by == ITSM__BY_CALLER)
        return itsm__err(eng, ITSM_EINVAL, "field '%s' is maintained by the engine", fi->name);
    if (itsm__ev_has(ev, f) && !(ev->derived & FBIT(f)))
        return itsm__err(eng, ITSM_EINVAL, "field '%s' is given twice", fi->name);
    return ITSM_OK;
}

/* An enum's value must be one of its values. */
static int enum_ok(itsm_engine *eng, itsm_field f, const char *s, size_t n)
{
    const itsm__cfield *cf = itsm__cfield_of(eng->policy, (int)f);
    itsm__vtype t = { ITSM_TYPE_ENUM, 0, 0, (const char *const *)cf->values, cf->nvalues };
    return itsm__check_str(&eng->err, "field", cf->info.name, &t, s, n);
}

int itsm__propose_str(itsm_engine *eng, itsm_event *ev, itsm_field f, const char *s, size_t n, int by)
{
    int rc = proposable(eng, ev, f, by);
    if (rc)
        return rc;
    const itsm__field_info *fi = itsm__field_of(eng, f);
    const char *known = NULL;
    uint32_t hash = 0;
    if (fi->type == ITSM_TYPE_SYMBOL || fi->type == ITSM_TYPE_ENUM) {
        /* Interned already: it passed the symbol check when it was. */
        if (s && !(known = itsm__intern_find(eng, s, n, &hash)) &&
            (rc = itsm__symbol_ok(&eng->err, "field", fi->name, s, n)))
            return rc;
        if (s && fi->type == ITSM_TYPE_ENUM && (rc = enum_ok(eng, f, s, n)))
            return rc;
    } else if (fi->type == ITSM_TYPE_TEXT) {
        if (s && (rc = itsm__text_ok(&eng->err, "field", fi->name, s, n)))
            return rc;
    } else {
        return itsm__err(eng, ITSM_EINVAL, "field '%s' is not a text, symbol or enum field", fi->name);
    }
    itsm__change *c = slot_for(eng, ev, f, &rc);
    if (!c)
        return rc;
    if (!s)
        return ITSM_OK;   /* clears the field */
    if (fi->type == ITSM_TYPE_TEXT) {
        /* A new record's short text goes inside its block. */
        if (!(c->owned = itsm__field_custom((int)f) ? NULL : itsm__text_inline(eng, ev, s, n)) &&
            !(c->owned = itsm__strndup(&eng->alloc, s, n)))
            return itsm__oom(eng);
    } else if (!(c->str = known ? known : itsm__intern_add(eng, s, n, hash))) {
        return itsm__oom(eng);
    } else {
        itsm__symbol_remember(eng, s, c->str, n);
    }
    return ITSM_OK;
}

/* A symbol found in the symbol cache: interned, so checked already. */
static int propose_known(itsm_engine *eng, itsm_event *ev, itsm_field f, const char *sym, int by)
{
    int rc = proposable(eng, ev, f, by);
    if (rc)
        return rc;
    itsm__change *c = slot_for(eng, ev, f, &rc);
    if (!c)
        return rc;
    c->str = sym;
    return ITSM_OK;
}

int itsm__propose_known(itsm_engine *eng, itsm_event *ev, itsm_field f, const char *sym, int by)
{
    return propose_known(eng, ev, f, sym, by);
}

/* Whether a replayed transition's 0 for int field f is the form older
 * engines wrote for a clear (docs/events.md): for a built-in int always
 * (0 is its unset value); for a custom int when 0 is no value of it in the
 * policy version the event was judged under, so that no engine could have
 * written 0 as a value. */
static int zero_is_clear(const itsm_engine *eng, const itsm_event *ev, itsm_field f)
{
    if (!itsm__field_custom((int)f))
        return 1;
    const itsm__field_info *fi = itsm__finfo(ev->pv < eng->nvers ? eng->vers[ev->pv]->policy : eng->policy, (int)f);
    return fi && (fi->min > 0 || fi->max < 0);
}

static inline void put_change(itsm_engine *eng, itsm_event *ev, itsm_field f, const char *sym, int64_t num);

int itsm__propose_num(itsm_engine *eng, itsm_event *ev, itsm_field f, int64_t v, int by)
{
    /* The usual proposal of a capability: a built-in int the event does
     * not change yet, within its range, goes straight in (what the checks
     * below would let through as it stands). */
    if (by == ITSM__BY_ENGINE && itsm__field_valid((int)f) && itsm__fields[f].type == ITSM_TYPE_INT &&
        v >= itsm__fields[f].min && v <= itsm__fields[f].max && !itsm__ev_has(ev, f) &&
        ev->nchanges < ITSM__MAX_CHANGES) {
        put_change(eng, ev, f, NULL, v);
        return ITSM_OK;
    }
    int rc = proposable(eng, ev, f, by);
    if (rc)
        return rc;
    const itsm__field_info *fi = itsm__field_of(eng, f);
    if (fi->type == ITSM_TYPE_TEXT || fi->type == ITSM_TYPE_SYMBOL || fi->type == ITSM_TYPE_ENUM)
        return itsm__err(eng, ITSM_EINVAL, "field '%s' is not a number, bool or time field", fi->name);
    itsm__vtype t = { fi->type, fi->min, fi->max, NULL, 0 };
    /* A stored step's clear of an int (written null; by older engines 0)
     * replays as unset; the engine's counters are never cleared. */
    int clear = by == ITSM__BY_REPLAY && ev->type == ITSM__EV_TRANSITION && fi->type == ITSM_TYPE_INT &&
                !fi->engine_owned && (v == ITSM__CX_UNSET || (v == 0 && zero_is_clear(eng, ev, f)));
    if (!clear && (rc = itsm__check_num(&eng->err, "field", fi->name, &t, v)))
        return rc;
    itsm__change *c = slot_for(eng, ev, f, &rc);
    if (!c)
        return rc;
    c->num = v;
    if (clear && v == 0 && itsm__field_custom((int)f)) {
        c->num = ITSM__CX_UNSET;   /* unset, as a custom int's clear is */
        c->str = ITSM__CLEAR_AS_0;   /* and written back as it came (core/fields.h) */
    }
    return ITSM_OK;
}

int itsm__propose_num_replayed(itsm_engine *eng, itsm_event *ev, itsm_field f, int64_t v)
{
    /* What itsm__propose_num lets through as it stands, by the replay: a
     * built-in field not given yet, its value in its type's range (an
     * int's 0 in a transition, a clear, is in range and stays 0). */
    if (itsm__field_valid((int)f) && !itsm__ev_has(ev, f) && ev->nchanges < ITSM__MAX_CHANGES) {
        const itsm__field_info *fi = &itsm__fields[f];
        int fits = fi->type == ITSM_TYPE_INT    ? v >= fi->min && v <= fi->max
                   : fi->type == ITSM_TYPE_BOOL ? (uint64_t)v <= 1
                   : fi->type == ITSM_TYPE_TIME &&
                         (v == ITSM_TIME_NONE || (v >= ITSM_TIME_MIN && v <= ITSM_TIME_MAX));
        if (fits) {
            put_change(eng, ev, f, NULL, v);
            return ITSM_OK;
        }
    }
    return itsm__propose_num(eng, ev, f, v, ITSM__BY_REPLAY);
}

int itsm__propose_known_replayed(itsm_engine *eng, itsm_event *ev, itsm_field f, const char *sym)
{
    /* What propose_known lets through as it stands, by the replay: a
     * built-in field not given yet. */
    if (itsm__field_valid((int)f) && !itsm__ev_has(ev, f) && ev->nchanges < ITSM__MAX_CHANGES) {
        put_change(eng, ev, f, sym, 0);
        return ITSM_OK;
    }
    return propose_known(eng, ev, f, sym, ITSM__BY_REPLAY);
}

int itsm__propose(itsm_engine *eng, itsm_event *ev, const itsm_change *c, int by)
{
    if (itsm__field_custom((int)c->field)) {
        const itsm__field_info *fi = itsm__field_of(eng, c->field);
        if (fi && (fi->type == ITSM_TYPE_TEXT || fi->type == ITSM_TYPE_SYMBOL || fi->type == ITSM_TYPE_ENUM))
            return itsm__propose_str(eng, ev, c->field, c->str, c->str ? strlen(c->str) : 0, by);
        return itsm__propose_num(eng, ev, c->field, c->num, by);
    }
    if (itsm__field_valid((int)c->field) && itsm__field_is_str(c->field)) {
        size_t n;
        const char *sym;
        if (itsm__fields[c->field].type == ITSM_TYPE_SYMBOL && (sym = itsm__symbol_cached(eng, c->str, &n)))
            return propose_known(eng, ev, c->field, sym, by);
        return itsm__propose_str(eng, ev, c->field, c->str, c->str ? strlen(c->str) : 0, by);
    }
    return itsm__propose_num(eng, ev, c->field, c->num, by);
}

/* A built-in field's change that needs no check: its value is valid and
 * the event has room and no change of the field yet (itsm__propose_all). */
/* put_change on an event marked not final already. */
static inline void put_unfinal(itsm_event *ev, itsm_field f, const char *sym, int64_t num)
{
    itsm__change *d = &ev->changes[ev->nchanges++];
    /* a built-in field (every caller checked): its own bit, not FBIT's test */
    _Static_assert(ITSM_F__COUNT <= 63, "a built-in field has its own bit in fset");
    ev->fset |= (uint64_t)1 << (unsigned)f;
    itsm__change_fill(d, f, sym, num);
}

static inline void put_change(itsm_engine *eng, itsm_event *ev, itsm_field f, const char *sym, int64_t num)
{
    put_unfinal(ev, f, sym, num);
    if (ev->final) {
        ev->final = 0;
        eng->unfinal++;
    }
}

/* itsm__propose_all's refusals of the whole list. */
#if defined(__GNUC__)
__attribute__((noinline, cold))
#endif
static int propose_list_refused(itsm_engine *eng, const itsm_change *changes, size_t n)
{
    if (n && !changes)
        return itsm__err(eng, ITSM_EINVAL, "changes is NULL but n is %zu", n);
    return itsm__err(eng, ITSM_EINVAL, "%zu changes given; there are only %d fields", n,
                     (int)(ITSM_F__COUNT + eng->policy->ncf));
}

/* itsm__propose_all's changes from the first its leaf loop did not take
 * on (the event is marked not final already): each checked and proposed;
 * the usual change of a host, a field it may set and has not given yet,
 * goes straight in when it is valid as it stands: a symbol the engine
 * knows by the caller's pointer (a handle, or a string it was given
 * before: interned and checked already), a symbol's clear (NULL: nothing
 * to check), a number within its range. Anything else takes the full
 * path, which says what is wrong. Out of line: its calls' frame is paid
 * only here. */
#if defined(__GNUC__)
__attribute__((noinline))
#endif
static int propose_each(itsm_engine *eng, itsm_event *ev, const itsm_change *changes, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const itsm_change *c = &changes[i];
        const itsm__field_info *fi = (unsigned)c->field < ITSM_F__COUNT ? &itsm__fields[c->field] : NULL;
        int rc;
        if (fi && fi->type == ITSM_TYPE_SYMBOL) {
            /* a clear (NULL) goes in as itsm__propose_str would put it */
            const char *sym = c->str ? itsm__symbol_known(eng, c->str) : NULL;
            if ((sym || !c->str) && !fi->engine_owned && !itsm__ev_has(ev, c->field) &&
                ev->nchanges < ITSM__MAX_CHANGES) {
#ifdef ITSM_CHECK_REPLAN   /* the checked build: the full path would take it as it stands */
                if (proposable(eng, ev, c->field, ITSM__BY_CALLER))
                    __builtin_trap();
#endif
                put_unfinal(ev, c->field, sym, 0);
                continue;
            }
            rc = sym ? propose_known(eng, ev, c->field, sym, ITSM__BY_CALLER)
                     : itsm__propose_str(eng, ev, c->field, c->str, c->str ? strlen(c->str) : 0, ITSM__BY_CALLER);
        } else if (fi && fi->type == ITSM_TYPE_INT && !fi->engine_owned && c->num >= fi->min && c->num <= fi->max &&
                   !itsm__ev_has(ev, c->field) && ev->nchanges < ITSM__MAX_CHANGES) {
            put_unfinal(ev, c->field, NULL, c->num);
            continue;
        } else {
            rc = itsm__propose(eng, ev, c, ITSM__BY_CALLER);
        }
        if (rc)
            return rc;
    }
    return ITSM_OK;
}

/* itsm__propose_all: the list's checks, the event marked not final, and
 * the usual changes put in by a loop that calls nothing (no frame to
 * save registers for): a built-in field the caller may set and has not
 * given yet, with room, whose value is a symbol the symbol cache holds as
 * its own handle (the caller's pointer is the interned symbol), a
 * symbol's clear, or a number within the field's range, as propose_each
 * would put it. The first other change and the rest go to propose_each
 * (a symbol the cache holds for another string of the host as well). */
int itsm__propose_all(itsm_engine *eng, itsm_event *ev, const itsm_change *changes, size_t n)
{
    if ((n && !changes) || n > ITSM_F__COUNT + eng->policy->ncf)
        return propose_list_refused(eng, changes, n);
    /* Not final once it takes a change: marked here, once, for the
     * changes that go straight in (a refused one leaves the step aborted,
     * and finalising an event again derives the same). */
    if (n && ev->final) {
        ev->final = 0;
        eng->unfinal++;
    }
    for (size_t i = 0; i < n; i++) {
        const itsm_change *c = &changes[i];
        unsigned f = (unsigned)c->field;
        if (f >= ITSM_F__COUNT || itsm__ev_has(ev, (itsm_field)f) || ev->nchanges >= ITSM__MAX_CHANGES)
            return propose_each(eng, ev, c, n - i);
        uint64_t bit = (uint64_t)1 << f;
#ifdef ITSM_CHECK_REPLAN   /* the checked build: the masks say what the table says */
        if (!(ITSM__CALLER_SYMS & bit) != !(itsm__fields[f].type == ITSM_TYPE_SYMBOL && !itsm__fields[f].engine_owned) ||
            !(ITSM__CALLER_INTS & bit) != !(itsm__fields[f].type == ITSM_TYPE_INT && !itsm__fields[f].engine_owned))
            __builtin_trap();
#endif
        if (ITSM__CALLER_SYMS & bit) {
            const char *s = c->str;
            if (s) {   /* itsm__symbol_known's hit on a handle */
                const struct itsm__symhit *h = &eng->symcache[((uintptr_t)s >> 2) & (ITSM__SYMCACHE - 1)];
                if (h->key != s || h->sym != s)
                    return propose_each(eng, ev, c, n - i);
            }
            put_unfinal(ev, (itsm_field)f, s, 0);
        } else if ((ITSM__CALLER_INTS & bit) && c->num >= itsm__fields[f].min && c->num <= itsm__fields[f].max) {
            put_unfinal(ev, (itsm_field)f, NULL, c->num);
        } else {
            return propose_each(eng, ev, c, n - i);
        }
    }
    return ITSM_OK;
}

/* The built-in fields a caller may give, by their bits: the symbols and
 * the ints (itsm__fields' types, not engine-owned), which an opening takes
 * on its fast paths; constants, not two of the table's bytes read per
 * change (the checked build compares them with the table). */
#define OPEN_SYM (FBIT(ITSM_F_CALLER) | FBIT(ITSM_F_SERVICE) | FBIT(ITSM_F_CI) | FBIT(ITSM_F_CATEGORY) | \
                  FBIT(ITSM_F_SUBCATEGORY) | FBIT(ITSM_F_ASSIGNMENT_GROUP) | FBIT(ITSM_F_ASSIGNEE) |       \
                  FBIT(ITSM_F_HOLD_REASON) | FBIT(ITSM_F_RESOLUTION_CODE) | FBIT(ITSM_F_KNOWLEDGE_DECISION) | \
                  FBIT(ITSM_F_CHANGE_TYPE))
#define OPEN_INT (FBIT(ITSM_F_IMPACT) | FBIT(ITSM_F_URGENCY) | FBIT(ITSM_F_PRIORITY) | FBIT(ITSM_F_FUNCTIONAL_LEVEL) | \
                  FBIT(ITSM_F_HIERARCHICAL_LEVEL))

/* Their places in r->sym, from the slots the field table is built from
 * (core/fields.h), a table of this file's own beside the masks. */
static const unsigned char open_sym_slot[ITSM_F__COUNT] = {
#define OPEN_SLOT(name) [ITSM_F_##name] = ITSM__SLOT_##name - ITSM__NTEXT
    OPEN_SLOT(CALLER), OPEN_SLOT(SERVICE), OPEN_SLOT(CI), OPEN_SLOT(CATEGORY), OPEN_SLOT(SUBCATEGORY),
    OPEN_SLOT(ASSIGNMENT_GROUP), OPEN_SLOT(ASSIGNEE), OPEN_SLOT(HOLD_REASON), OPEN_SLOT(RESOLUTION_CODE),
    OPEN_SLOT(KNOWLEDGE_DECISION), OPEN_SLOT(CHANGE_TYPE),
#undef OPEN_SLOT
};

/* The ints' places and ranges, the same way: each is a 4-bit value of
 * r->small (core/fields.h: levels, impact, urgency, priority), at byte
 * `at`, `shift` bits up, within min..min + span (fields.c's ranges; the
 * checked build compares them with the table). */
static const struct { unsigned char at, shift, min, span; } open_int[ITSM_F__COUNT] = {
#define OPEN_INT_AT(name, slot, lo, hi) [ITSM_F_##name] = { (slot) / 2, (slot) % 2 * 4, lo, (hi) - (lo) }
    OPEN_INT_AT(IMPACT, ITSM__SLOT_IMPACT, 1, 3), OPEN_INT_AT(URGENCY, ITSM__SLOT_URGENCY, 1, 3),
    OPEN_INT_AT(PRIORITY, ITSM__SLOT_PRIORITY, 1, 5), OPEN_INT_AT(FUNCTIONAL_LEVEL, 4, 1, 3),
    OPEN_INT_AT(HIERARCHICAL_LEVEL, 5, 0, 9),
#undef OPEN_INT_AT
};

/* itsm__propose_all for the fresh opening that itsm_record_open builds (no
 * change yet), whose record is its own until applied, and nothing reads
 * that record's fields before then but through the event (every hook an
 * opening runs reads them by itsm__view_*, or from the event alone). A
 * built-in symbol or number it takes is written into the record as it
 * comes, instead of staged and applied one by one after the commit's
 * hooks: ev->written counts the changes before the first it does not
 * write (a text, a custom field: apply takes those, and writes the later
 * ones again, to the same values).
 * Its own loop, not propose_all's: the event's count and field bits stay
 * in registers (a change's field, an enum, and the record's symbol ids may
 * alias the count in memory), and the event is never full here (at most
 * one change per given change, n <= ITSM_F__COUNT + ncf < ITSM__MAX_CHANGES),
 * so the fast paths test no room. A field given twice or owned by the
 * engine takes the full path, which refuses it. */
ITSM__ALWAYS_INLINE int propose_open_in(itsm_engine *eng, itsm_event *ev, const itsm_change *changes, size_t n)
{
    if (n && !changes)
        return itsm__err(eng, ITSM_EINVAL, "changes is NULL but n is %zu", n);
    if (n > ITSM_F__COUNT + eng->policy->ncf)
        return itsm__err(eng, ITSM_EINVAL, "%zu changes given; there are only %d fields", n,
                         (int)(ITSM_F__COUNT + eng->policy->ncf));
    _Static_assert(ITSM_F__COUNT + ITSM_MAX_CUSTOM_FIELDS < ITSM__MAX_CHANGES, "an opening's changes fit");
    _Static_assert(ITSM_F__COUNT <= 63, "a built-in field has its own bit in fset");
    if (!n) {   /* changes may be NULL: no pointer walk over it */
        ev->written = (unsigned char)ev->nchanges;
        return ITSM_OK;
    }
    if (ev->final) {
        ev->final = 0;
        eng->unfinal++;
    }
    itsm_record *r = ev->rec;
    /* ev->written: the first change not written, when any, kept in the
     * event (MAX until then) to leave registers to the loop */
    ev->written = ITSM__MAX_CHANGES;
    unsigned k = ev->nchanges;   /* ev->nchanges and ev->fset, stored back before a call */
    uint64_t fset = ev->fset;
    for (const itsm_change *c = changes, *end = changes + n; c != end; c++) {
        unsigned f = (unsigned)c->field;
        int rc;
        if (f < ITSM_F__COUNT) {
            uint64_t bit = (uint64_t)1 << f;
#ifdef ITSM_CHECK_REPLAN   /* the checked build: the masks say what the table says */
            if (!(OPEN_SYM & bit) != !(itsm__fields[f].type == ITSM_TYPE_SYMBOL && !itsm__fields[f].engine_owned) ||
                !(OPEN_INT & bit) != !(itsm__fields[f].type == ITSM_TYPE_INT && !itsm__fields[f].engine_owned) ||
                ((OPEN_SYM & bit) && open_sym_slot[f] != itsm__fields[f].slot - ITSM__NTEXT) ||
                ((OPEN_INT & bit) &&
                 (itsm__fields[f].slot >= ITSM__NSMALL || open_int[f].at != itsm__fields[f].slot / 2 ||
                  open_int[f].shift != itsm__fields[f].slot % 2 * 4 || open_int[f].min != itsm__fields[f].min ||
                  open_int[f].min + open_int[f].span != itsm__fields[f].max ||
                  (!(fset & bit) && ((r->small[open_int[f].at] >> open_int[f].shift) & 15u) != 0))))
                __builtin_trap();
#endif
            if (bit & OPEN_SYM & ~fset) {
                const char *sym = itsm__symbol_known(eng, c->str);
                if (sym) {   /* what itsm__apply_changes would write */
                    r->sym[open_sym_slot[f]] = itsm__sym_id(sym);
                    itsm__change *d = &ev->changes[k++];
                    fset |= bit;
                    itsm__change_fill(d, (itsm_field)f, sym, 0);
                    continue;
                }
                ev->nchanges = k;
                ev->fset = fset;
                rc = itsm__propose_str(eng, ev, (itsm_field)f, c->str, c->str ? strlen(c->str) : 0,
                                       ITSM__BY_CALLER);
                if (rc)
                    return rc;
                k = ev->nchanges;
                fset = ev->fset;
                /* its change, the last (nothing is derived yet, none is replaced) */
                const char *v = ev->changes[k - 1].str;
                r->sym[itsm__fields[f].slot - ITSM__NTEXT] = v ? itsm__sym_id(v) : 0;
                continue;
            }
            if ((bit & OPEN_INT & ~fset) && (uint64_t)c->num - open_int[f].min <= open_int[f].span) {
                /* in range: never ITSM__CX_UNSET, apply's clear; its 4 bits
                 * in the fresh record are 0 (a field not given before:
                 * fset), so an or writes them (itsm__rec_set_num's) */
                r->small[open_int[f].at] |= (uint8_t)((unsigned)c->num << open_int[f].shift);
                itsm__change *d = &ev->changes[k++];
                fset |= bit;
                itsm__change_fill(d, (itsm_field)f, NULL, c->num);
                continue;
            }
        }
        if (ev->written == ITSM__MAX_CHANGES)
            ev->written = (unsigned char)k;
        ev->nchanges = k;
        ev->fset = fset;
        if ((rc = itsm__propose(eng, ev, c, ITSM__BY_CALLER)))
            return rc;
        k = ev->nchanges;
        fset = ev->fset;
    }
    ev->nchanges = k;
    ev->fset = fset;
    if (ev->written > k)
        ev->written = (unsigned char)k;
    return ITSM_OK;
}

/* ---- derivations ---- */

/* A transition's effects: clears (a field the step's caller set wins),
 * stamps (a '?' stamp only while unset), the reopen count. */
ITSM__ALWAYS_INLINE int derive_step(itsm_engine *eng, const itsm_record *r, itsm_event *ev)
{
    const itsm__transition *t = ev->trans;
    int rc = ITSM_OK;
    itsm__change *c;
    for (unsigned i = 0; i < t->nclears; i++) {
        itsm_field f = t->clears[i];
        const itsm__field_info *fi;
        if (itsm__field_custom((int)f)) {
            if (itsm__ev_has(ev, f) || !itsm__view_has_custom(r, ev, f))
                continue;
            fi = itsm__field_of(eng, f);
        } else {
            /* A built-in field the event leaves alone: set when the
             * record's value is (itsm__view_has_builtin, with no change);
             * its clear is derive_change's, by the bit it has. */
            _Static_assert(ITSM_F__COUNT <= 63, "a built-in field has its own bit in fset");
            uint64_t bit = (uint64_t)1 << (unsigned)f;
            if (ev->fset & bit)
                continue;
            fi = &itsm__fields[f];
            if (itsm__builtin_unset(r, fi))
                continue;
            if (ev->nchanges == ITSM__MAX_CHANGES)
                return too_many(eng);
            itsm__add_builtin_clear(ev, f, bit, fi);
            continue;
        }
        if (!(c = derive_change(eng, ev, f, &rc)))
            return rc;
        /* Unset, not 0 or 1970: a custom int holding 0 is set, and an
         * int's clear is written null, which replay reads back as unset
         * (0 is no value of impact). */
        if (fi->type == ITSM_TYPE_TIME)
            c->num = ITSM_TIME_NONE;
        else if (fi->type == ITSM_TYPE_INT)
            c->num = ITSM__CX_UNSET;
    }
    for (unsigned i = 0; i < t->nstamps; i++) {
        /* a stamp is a built-in time field (the policy checks it,
         * parse_stamp): its place among the record's times is the
         * policy's (stamp_tm), and its bit in fset is its own
         * (derive_change's, computed once here) */
        itsm_field f = t->stamps[i];
        if (t->stamp_once[i] && r->tm[t->stamp_tm[i]] != ITSM_TIME_NONE)
            continue;
        uint64_t bit = (uint64_t)1 << ((unsigned)f & 63u);
        if (ev->fset & bit)   /* named twice in the stamp: one change */
            continue;
        if (ev->nchanges == ITSM__MAX_CHANGES)
            return too_many(eng);
        c = &ev->changes[ev->nchanges++];
        ev->fset |= bit;
        ev->derived |= bit;
        itsm__change_fill(c, f, NULL, ev->at);
    }
    if (t->counts_reopen) {
        if (!(c = derive_change(eng, ev, ITSM_F_REOPENS, &rc)))
            return rc;
        c->num = itsm__rec_num(r, ITSM__SLOT_REOPENS) + 1;
    }
    return ITSM_OK;
}

/* The impact and urgency the priority is derived from: the event's
 * changes', else the record's (`r`; 0 when NULL). Both in one walk from
 * the end, where a caller's own changes put them last (an opening: after
 * its symbols), stopping once the event's changes of both are found (at
 * most one each). */
ITSM__ALWAYS_INLINE void priority_inputs(const itsm_record *r, const itsm_event *ev, int64_t *impact_out,
                                         int64_t *urgency_out)
{
    int64_t impact = r ? itsm__rec_num(r, ITSM__SLOT_IMPACT) : 0;
    int64_t urgency = r ? itsm__rec_num(r, ITSM__SLOT_URGENCY) : 0;
    uint64_t want = ev->fset & (FBIT(ITSM_F_IMPACT) | FBIT(ITSM_F_URGENCY));
    for (unsigned i = ev->nchanges; want && i-- > 0;) {
        const itsm__change *x = &ev->changes[i];
        int64_t v = x->num == ITSM__CX_UNSET ? 0 : x->num;   /* an int's clear (core/fields.h) */
        if (x->field == ITSM_F_IMPACT) {
            impact = v;
            want &= ~FBIT(ITSM_F_IMPACT);
        } else if (x->field == ITSM_F_URGENCY) {
            urgency = v;
            want &= ~FBIT(ITSM_F_URGENCY);
        }
    }
    *impact_out = impact;
    *urgency_out = urgency;
}

/* Priority from impact x urgency, unless given (`r` is NULL for a record
 * being opened). Always inline: an opening's copy (derive_open) folds what
 * reads the record, without derive_fields' frame. */
ITSM__ALWAYS_INLINE int derive_priority(itsm_engine *eng, const itsm_record *r, itsm_event *ev, int write)
{
    int rc = ITSM_OK;
    itsm__change *c;
    if ((itsm__ev_has(ev, ITSM_F_IMPACT) || itsm__ev_has(ev, ITSM_F_URGENCY)) &&
        !itsm__ev_has(ev, ITSM_F_PRIORITY)) {
        int64_t impact, urgency;
        if (write) {
            /* An opening's proposals (propose_open_in) wrote both into
             * its fresh record, zeroed where not given (r NULL's 0): an
             * int the caller gives at an opening goes in there or is
             * refused. Read there, without the walk. */
            impact = itsm__rec_num(ev->rec, ITSM__SLOT_IMPACT);
            urgency = itsm__rec_num(ev->rec, ITSM__SLOT_URGENCY);
#ifdef ITSM_CHECK_REPLAN   /* the checked build: the walk agrees */
            int64_t wi, wu;
            priority_inputs(NULL, ev, &wi, &wu);
            if (wi != impact || wu != urgency)
                __builtin_trap();
#endif
        } else {
            priority_inputs(r, ev, &impact, &urgency);
        }
        int prio = itsm__priority_of(eng->policy, impact, urgency);   /* itsm_policy_priority, inline */
        if (prio && (!r || itsm__rec_num(r, ITSM__SLOT_PRIORITY) != prio)) {
            if (!(c = derive_change(eng, ev, ITSM_F_PRIORITY, &rc)))
                return rc;
            c->num = prio;
            if (write)
                write_derived(ev, ITSM__SLOT_PRIORITY, prio);
        }
    }
    return ITSM_OK;
}

/* derive_fields' reassignment count alone (no priority to derive). */
ITSM__ALWAYS_INLINE int derive_reassign(itsm_engine *eng, const itsm_record *r, itsm_event *ev)
{
    int rc = ITSM_OK;
    itsm__change *c;
    if (!(ev->fset & (FBIT(ITSM_F_ASSIGNMENT_GROUP) | FBIT(ITSM_F_ASSIGNEE))))
        return ITSM_OK;
    /* Symbols are interned: pointer equality is value equality. */
    const char *group = itsm__rec_str(r, ITSM__SLOT_ASSIGNMENT_GROUP);
    const itsm__change *g = itsm__ev_find(ev, ITSM_F_ASSIGNMENT_GROUP);
    int moved = eng->policy->reassign == ITSM_REASSIGN_GROUP_CHANGE ? g && g->str != group
                                                                    : g && group && g->str && g->str != group;
    if (!moved && eng->policy->reassign == ITSM_REASSIGN_GROUP_OR_ASSIGNEE) {
        /* or the assignee moves from one person to another in the same group */
        const char *who = itsm__rec_str(r, ITSM__SLOT_ASSIGNEE);
        const itsm__change *a = itsm__ev_find(ev, ITSM_F_ASSIGNEE);
        moved = a && who && a->str && a->str != who && (!g || g->str == group);
    }
    moved |= ev->reassigns;
    if (moved) {   /* once per step, whichever moved */
        if (!(c = derive_change(eng, ev, ITSM_F_REASSIGNMENTS, &rc)))
            return rc;
        c->num = itsm__rec_num(r, ITSM__SLOT_REASSIGNMENTS) + 1;
    }
    return ITSM_OK;
}

/* The priority (derive_priority), a reassignment when the group moves
 * from one group to another (or, under the policy's other rules, as they
 * say) or the step passes the record on whatever moves (`reassigns`: a
 * functional escalation, DESIGN 5), on record `r` (an opening derives its
 * priority alone: opening a record assigns it, never a reassignment).
 * Always inline: its callers (a lone update's and a step's finalise, the
 * batch's) each keep a copy, without the frame a call paid on every
 * update that moves a group or an assignee. */
ITSM__ALWAYS_INLINE int derive_fields(itsm_engine *eng, const itsm_record *r, itsm_event *ev)
{
    int rc = derive_priority(eng, r, ev, 0);
    return rc ? rc : derive_reassign(eng, r, ev);
}

/* The custom fields the policy requires when a record of this kind opens. */
static int required_given(itsm_engine *eng, const itsm_event *ev)
{
    const itsm_policy *p = eng->policy;
    unsigned kbit = 1u << ev->rec->kind;
    for (uint32_t i = 0; i < p->ncf; i++) {
        if (!(p->cf[i].required & kbit))
            continue;
        const itsm__change *c = itsm__ev_find(ev, (itsm_field)((int)ITSM_F_CUSTOM_FIRST + (int)i));
        itsm_field_type t = p->cf[i].info.type;
        int set = c && (t == ITSM_TYPE_TEXT ? c->owned != NULL
                        : t == ITSM_TYPE_SYMBOL || t == ITSM_TYPE_ENUM ? c->str != NULL
                        : t == ITSM_TYPE_TIME ? c->num != ITSM_TIME_NONE : 1);
        if (!set)
            return itsm__err(eng, ITSM_EINVAL, "field '%s' is required to open %s %s", p->cf[i].info.name,
                             ev->rec->kind == ITSM_KIND_INCIDENT ? "an" : "a", itsm_kind_name((itsm_kind)ev->rec->kind));
    }
    return ITSM_OK;
}

/* The refusal of a time before the record's last event, off the path of
 * every event. */
#if defined(__GNUC__)
__attribute__((noinline, cold))
#endif
static int clock_behind(itsm_engine *eng, const itsm_record *r, const itsm_event *ev, itsm_time last)
{
    char now[21], before[21];
    itsm__time_format(ev->at, now);
    itsm__time_format(last, before);
    return itsm__err(eng, ITSM_ECLOCK, "%s: the clock reads %s, before the record's last event at %s", r->id, now,
                     before);
}

/* Record time only moves forward: a live event stamped before the record's
 * last event (a host clock running behind) would put resolved_at before
 * opened_at. Stored events are the truth and are not judged. */
static inline int finalise_time(itsm_engine *eng, const itsm_event *ev)
{
    const itsm_record *r = ev->rec;
    itsm_time last = r && ev->type != ITSM__EV_OPEN ? itsm__rec_num(r, ITSM__SLOT_UPDATED_AT) : ITSM_TIME_NONE;
    if (last == ITSM_TIME_NONE || ev->at >= last)
        return ITSM_OK;
    return clock_behind(eng, r, ev, last);
}

int itsm__finalise_time(itsm_engine *eng, const itsm_event *ev)
{
    return finalise_time(eng, ev);
}

/* itsm__finalise_step_derive but for a step that only stamps. */
#if defined(__GNUC__)
__attribute__((noinline))
#endif
static int finalise_step_full(itsm_engine *eng, itsm_event *ev)
{
    int rc;
    const itsm__transition *t = ev->trans;
    if ((t->nclears | t->nstamps | (unsigned)t->counts_reopen) && (rc = derive_step(eng, ev->rec, ev)))
        return rc;
    if ((ev->fset & ITSM__FSET_DERIVING) && (rc = derive_fields(eng, ev->rec, ev)))
        return rc;
    ev->final = 1;
    return ITSM_OK;
}

/* Most fired steps derive only their stamps (resolved_at, closed_at):
 * derive_step's stamp loop alone, in a frame that saves no registers
 * (the full derivation's frame cost as much as the loop). A stamp is a
 * built-in time field, never one that derives others, so the test of the
 * event's fields before the stamps is the full path's after them. */
int itsm__finalise_step_derive(itsm_engine *eng, itsm_event *ev)
{
    const itsm__transition *t = ev->trans;
    unsigned k = ev->nchanges;
    /* the full path too when the stamps might not fit (its refusal) */
    if (t->nclears | (unsigned)t->counts_reopen || (ev->fset & ITSM__FSET_DERIVING) ||
        k + t->nstamps > ITSM__MAX_CHANGES)
        return finalise_step_full(eng, ev);
    /* The event's bits written as each stamp goes in (most steps add one),
     * the record read where needed: fewer values live across the loop, no
     * register to save. */
    for (unsigned i = 0; i < t->nstamps; i++) {
        itsm_field f = t->stamps[i];
        if (t->stamp_once[i] && ev->rec->tm[t->stamp_tm[i]] != ITSM_TIME_NONE)
            continue;
        uint64_t bit = (uint64_t)1 << ((unsigned)f & 63u);
        if (ev->fset & bit)   /* named twice in the stamp: one change */
            continue;
        itsm__change *c = &ev->changes[k++];
        ev->fset |= bit;
        ev->derived |= bit;   /* it was not in fset */
        itsm__change_fill(c, f, NULL, ev->at);
    }
    ev->nchanges = k;
    ev->final = 1;
    return ITSM_OK;
}

int itsm__clock_behind(itsm_engine *eng, const itsm_event *ev)
{
    return clock_behind(eng, ev->rec, ev, itsm__rec_num(ev->rec, ITSM__SLOT_UPDATED_AT));
}

/* What an opening derives: the required custom fields checked, the
 * priority, opened_at. Always inline: with two callers gcc kept it out of
 * line, a frame on every opening. */
ITSM__ALWAYS_INLINE int derive_open(itsm_engine *eng, itsm_event *ev, int write)
{
    int rc;
    if (eng->policy->ncf && (rc = required_given(eng, ev)))
        return rc;
    if ((rc = derive_priority(eng, NULL, ev, write)))
        return rc;
    if (!itsm__ev_has(ev, ITSM_F_OPENED_AT)) {
        itsm__change *c = derive_change(eng, ev, ITSM_F_OPENED_AT, &rc);
        if (!c)
            return rc;
        c->num = ev->at;
        if (write)
            write_derived(ev, ITSM__SLOT_OPENED_AT, ev->at);
    }
    return ITSM_OK;
}

/* An opening's changes proposed (propose_open_in) and the opening
 * finalised in the same call, which itsm_record_open makes right before
 * its commit: nothing comes between them (a finalise of its own was a
 * frame and the event's fields read again on every opening). */
int itsm__propose_open(itsm_engine *eng, itsm_event *ev, const itsm_change *changes, size_t n)
{
    int rc = propose_open_in(eng, ev, changes, n);
    if (rc || (rc = derive_open(eng, ev, 1)))   /* what it derives written as its proposals were */
        return rc;
    ev->final = 1;
    return ITSM_OK;
}

/* itsm__finalise_update of an update giving impact or urgency (~3 % of
 * the replay's): the priority too, apart, so that the usual update's
 * frame (a group or an assignee moved: the reassignment count alone)
 * keeps nothing in a callee-saved register. */
#if defined(__GNUC__)
__attribute__((noinline))
#endif
static int finalise_update_prio(itsm_engine *eng, itsm_event *ev)
{
    int rc = derive_fields(eng, ev->rec, ev);
    if (rc)
        return rc;
    ev->final = 1;
    return ITSM_OK;
}

int itsm__finalise_update(itsm_engine *eng, itsm_event *ev)
{
    /* finalise_time for itsm_record_update's live update, which has its
     * record and a time the clock check proved (at least ITSM_TIME_MIN,
     * above a record's missing ITSM_TIME_NONE), as itsm__finalise_step */
    int rc;
    if (ev->at < itsm__rec_num(ev->rec, ITSM__SLOT_UPDATED_AT))
        return itsm__clock_behind(eng, ev);
    /* derive_priority derives nothing without impact or urgency */
    if (ev->fset & (FBIT(ITSM_F_IMPACT) | FBIT(ITSM_F_URGENCY)))
        return finalise_update_prio(eng, ev);
    if ((rc = derive_reassign(eng, ev->rec, ev)))
        return rc;
    ev->final = 1;
    return ITSM_OK;
}

int itsm__finalise(itsm_engine *eng, itsm_event *ev)
{
    if (ev->replayed) {
        ev->final = 1;   /* checked as it was read; the stored values stand */
        return ITSM_OK;
    }
    int rc0 = finalise_time(eng, ev);
    if (rc0)
        return rc0;
    /* Derive afresh: drop what an earlier run derived (numbers and clears:
     * nothing a derived change holds owns memory). */
    for (unsigned i = ev->nchanges; ev->derived && i-- > 0;)
        if ((unsigned)ev->changes[i].field < 64 && (ev->derived & FBIT(ev->changes[i].field)))
            remove_change(ev, i);
    int rc = ITSM_OK;
    switch (ev->type) {
    case ITSM__EV_OPEN:
        if ((rc = derive_open(eng, ev, 0)))
            return rc;
        break;
    case ITSM__EV_TRANSITION:
        if (ev->trans && (rc = derive_step(eng, ev->rec, ev)))
            return rc;
        /* fall through */
    case ITSM__EV_UPDATE:
    case ITSM__EV_EXT:
        /* derive_fields reads these alone on a record that exists */
        if ((ev->fset & ITSM__FSET_DERIVING) && (rc = derive_fields(eng, ev->rec, ev)))
            return rc;
        break;
    default:
        break;
    }
    ev->final = 1;
    return ITSM_OK;
}
