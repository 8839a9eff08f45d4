/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Internal: values into events and what the policy derives from them
 * (core/finalise.c) - the one door for a value (itsm__propose_*),
 * itsm__finalise, an event's change of a field, and a field's value as
 * the event will leave it (itsm__view_*). Part of core/core.h.
 */
#ifndef ITSM_SRC_CORE_FINALISE_H
#define ITSM_SRC_CORE_FINALISE_H

#include "core/engine_int.h"

#include <stdint.h>

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
/* itsm__propose_num by the replay, a built-in value that passes its
 * checks put in without them (core/replay_bin.c); the same result. */
int itsm__propose_num_replayed(itsm_engine *eng, itsm_event *ev, itsm_field f, int64_t v);
/* itsm__propose_known by the replay, the same way. */
int itsm__propose_known_replayed(itsm_engine *eng, itsm_event *ev, itsm_field f, const char *sym);
/* An itsm_change of the API (either member by the field's type). */
int itsm__propose(itsm_engine *eng, itsm_event *ev, const itsm_change *c, int by);
/* A caller's list of changes, as itsm_record_update takes it. */
int itsm__propose_all(itsm_engine *eng, itsm_event *ev, const itsm_change *changes, size_t n);
/* The same for the fresh opening `ev` of itsm_record_open (no change
 * yet, its record its own), which it then finalises as well (what
 * itsm__finalise derives of a live opening finalised for the first time:
 * nothing derived yet, no time to judge, as the record has no event
 * before it): the changes that go straight in are written into the
 * record at once, the first ev->written of them, which apply skips, and
 * what it derives (the priority, opened_at) alike when every change
 * before it was; derived again, it is blank there again first. Nothing
 * may read the record's fields before it applies but through the event
 * (itsm__view_*): tests/test_open_written.c. */
int itsm__propose_open(itsm_engine *eng, itsm_event *ev, const itsm_change *changes, size_t n);
/* The caller's changes into a step's fresh event (itsm_record_fire's,
 * itsm_record_update's): itsm__propose_all, with its usual first change
 * inline - a symbol field the caller may set, whose value the engine
 * knows by the caller's pointer (interned and checked already), into the
 * event that has no change yet. Any other first change, and the changes
 * after the first, go through itsm__propose_all, which judges them as it
 * would have. */
/* The built-in symbol fields a caller may set (itsm__fields' type, not
 * engine-owned), a constant: one test of a change's field where the
 * table's two bytes were read through the GOT (the checked build compares
 * it with the table). */
#define ITSM__CALLER_SYMS                                                                                   \
    (((uint64_t)1 << ITSM_F_CALLER) | ((uint64_t)1 << ITSM_F_SERVICE) | ((uint64_t)1 << ITSM_F_CI) |         \
     ((uint64_t)1 << ITSM_F_CATEGORY) | ((uint64_t)1 << ITSM_F_SUBCATEGORY) |                                 \
     ((uint64_t)1 << ITSM_F_ASSIGNMENT_GROUP) | ((uint64_t)1 << ITSM_F_ASSIGNEE) |                            \
     ((uint64_t)1 << ITSM_F_HOLD_REASON) | ((uint64_t)1 << ITSM_F_RESOLUTION_CODE) |                          \
     ((uint64_t)1 << ITSM_F_KNOWLEDGE_DECISION) | ((uint64_t)1 << ITSM_F_CHANGE_TYPE))
/* The same for the built-in ints (core/finalise.c, itsm__propose_all). */
#define ITSM__CALLER_INTS                                                                                   \
    (((uint64_t)1 << ITSM_F_IMPACT) | ((uint64_t)1 << ITSM_F_URGENCY) | ((uint64_t)1 << ITSM_F_PRIORITY) |   \
     ((uint64_t)1 << ITSM_F_FUNCTIONAL_LEVEL) | ((uint64_t)1 << ITSM_F_HIERARCHICAL_LEVEL))
ITSM__ALWAYS_INLINE int itsm__propose_changes(itsm_engine *eng, itsm_event *ev, const itsm_change *changes, size_t n)
{
    const char *sym;
#ifdef ITSM_CHECK_REPLAN   /* the checked build: the mask says what the table says */
    if (changes && n && (unsigned)changes[0].field < ITSM_F__COUNT &&
        !((ITSM__CALLER_SYMS >> (unsigned)changes[0].field) & 1u) !=
            !(itsm__fields[changes[0].field].type == ITSM_TYPE_SYMBOL && !itsm__fields[changes[0].field].engine_owned))
        __builtin_trap();
#endif
    if (!changes || n > ITSM_F__COUNT ||   /* its refusals name the whole list */
        (unsigned)changes[0].field >= ITSM_F__COUNT || !((ITSM__CALLER_SYMS >> (unsigned)changes[0].field) & 1u) ||
        !(sym = itsm__symbol_known(eng, changes[0].str)))
        return itsm__propose_all(eng, ev, changes, n);
    itsm__change *d = &ev->changes[0];   /* its first: the event is fresh */
    ev->nchanges = 1;
    ev->fset = (uint64_t)1 << (unsigned)changes[0].field;
    itsm__change_fill(d, changes[0].field, sym, 0);
    return n > 1 ? itsm__propose_all(eng, ev, changes + 1, n - 1) : ITSM_OK;
}

/* Finalise one event: what the policy derives from its changes and its
 * step (a transition's clears, stamps and reopen count, priority from
 * impact x urgency, the reassignment count, opened_at). Idempotent: run
 * again after a later proposal, it derives afresh. itsm__batch_commit runs
 * it for every event; a builder may run it early to read derived values. */
int itsm__finalise(itsm_engine *eng, itsm_event *ev);
/* itsm__finalise of a live update (itsm_record_update) finalised for the
 * first time: its time judged, nothing derived yet. (A live opening's is
 * itsm__propose_open's.) */
int itsm__finalise_update(itsm_engine *eng, itsm_event *ev);
/* itsm__finalise for a live transition with its step (ev->trans) that
 * nothing finalised yet: what itsm_record_fire builds. Inline, what the
 * step derives apart (most steps derive nothing). */
#define ITSM__FSET_DERIVING                                                                                   \
    (((uint64_t)1 << ITSM_F_IMPACT) | ((uint64_t)1 << ITSM_F_URGENCY) | ((uint64_t)1 << ITSM_F_ASSIGNMENT_GROUP) | \
     ((uint64_t)1 << ITSM_F_ASSIGNEE))   /* the fields derive_fields reads on a record that exists */
int itsm__finalise_step_derive(itsm_engine *eng, itsm_event *ev);
int itsm__clock_behind(itsm_engine *eng, const itsm_event *ev);   /* ITSM_ECLOCK, the message set */

/* Whether a built-in field holds no value on the record (nothing to clear). */
ITSM__ALWAYS_INLINE int itsm__builtin_unset(const itsm_record *r, const itsm__field_info *fi)
{
    return fi->type == ITSM_TYPE_TEXT     ? !r->text[fi->slot]
           : fi->type == ITSM_TYPE_SYMBOL ? !r->sym[fi->slot - ITSM__NTEXT]
                                          : itsm__rec_num(r, fi->slot) == (fi->type == ITSM_TYPE_TIME ? ITSM_TIME_NONE : 0);
}

/* A derived change clearing built-in field f (bit: its bit in fset); the
 * caller has checked there is room. */
ITSM__ALWAYS_INLINE void itsm__add_builtin_clear(itsm_event *ev, itsm_field f, uint64_t bit, const itsm__field_info *fi)
{
    itsm__change *c = &ev->changes[ev->nchanges++];
    ev->fset |= bit;
    ev->derived |= bit;
    itsm__change_fill(c, f, NULL, fi->type == ITSM_TYPE_TIME ? ITSM_TIME_NONE : fi->type == ITSM_TYPE_INT ? ITSM__CX_UNSET : 0);
}

/* A step whose only effect is clearing built-in fields (a resume clearing
 * the hold reason): the transition's clears (core/finalise.c, derive_step)
 * inline where itsm_record_fire finalises, for a transition with no
 * stamps and no reopen count on an event changing no field that derives
 * others (the caller has checked). 0: a clear it leaves to derive_step
 * (a custom field, no room), nothing changed. */
ITSM__ALWAYS_INLINE int itsm__clears_only(itsm_event *ev, const struct itsm__transition *t)
{
    if (ev->nchanges + t->nclears > ITSM__MAX_CHANGES)
        return 0;
    for (unsigned i = 0; i < t->nclears; i++)
        if (itsm__field_custom((int)t->clears[i]))
            return 0;
    const itsm_record *r = ev->rec;
    for (unsigned i = 0; i < t->nclears; i++) {
        itsm_field f = t->clears[i];
        uint64_t bit = (uint64_t)1 << (unsigned)f;
        const itsm__field_info *fi = &itsm__fields[f];
        if ((ev->fset & bit) || itsm__builtin_unset(r, fi))
            continue;
        itsm__add_builtin_clear(ev, f, bit, fi);
    }
    return 1;
}

/* itsm__finalise of itsm_record_fire's live transition, whose time the
 * clock check has proved (at least ITSM_TIME_MIN). */
static inline int itsm__finalise_step(itsm_engine *eng, itsm_event *ev)
{
    /* Record time only moves forward (core/finalise.c, finalise_time); a
     * record with no time yet holds ITSM_TIME_NONE, below any such time. */
    _Static_assert(ITSM_TIME_NONE < ITSM_TIME_MIN, "no event's time is before a record's missing one");
    if (ev->at < itsm__rec_num(ev->rec, ITSM__SLOT_UPDATED_AT))
        return itsm__clock_behind(eng, ev);
    const itsm__transition *t = ev->trans;
    if ((t->nstamps | (unsigned)t->counts_reopen) || (ev->fset & ITSM__FSET_DERIVING) ||
        (t->nclears && !itsm__clears_only(ev, t)))
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
    /* from the end: what finalise derived (a priority, a stamp) is last,
     * and the capabilities ask for it most; a field has one change */
    for (unsigned i = ev->nchanges; i-- > 0;)
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
/* itsm__propose_num by the engine on an event not finalised yet, its
 * usual case inline (a capability's step proposing a counter): a built-in
 * int the event does not change yet, within its range, goes straight in,
 * as itsm__propose_num would put it; anything else goes there. */
static inline int itsm__propose_num_engine(itsm_engine *eng, itsm_event *ev, itsm_field f, int64_t v)
{
    if (itsm__field_valid((int)f) && itsm__fields[f].type == ITSM_TYPE_INT && v >= itsm__fields[f].min &&
        v <= itsm__fields[f].max && !ev->final && !itsm__ev_has(ev, f) && ev->nchanges < ITSM__MAX_CHANGES) {
        itsm__change *d = &ev->changes[ev->nchanges++];
        ev->fset |= (uint64_t)1 << (unsigned)f;
        itsm__change_fill(d, f, NULL, v);
        return ITSM_OK;
    }
    return itsm__propose_num(eng, ev, f, v, ITSM__BY_ENGINE);
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
    _Static_assert(ITSM_F__COUNT <= 63, "a built-in field has its own bit in fset");
    const itsm__field_info *fi = &itsm__fields[f];
    const itsm__change *c = NULL;
    if (ev->fset & ((uint64_t)1 << ((unsigned)f & 63u)))
        for (unsigned i = 0; i < ev->nchanges; i++)
            if (ev->changes[i].field == f) {
                c = &ev->changes[i];
                break;
            }
    /* a symbol first: what guards ask for most (a group, an assignee, a reason) */
    if (fi->type == ITSM_TYPE_SYMBOL)
        return c ? c->str != NULL : r->sym[fi->slot - ITSM__NTEXT] != 0;
    if (fi->type == ITSM_TYPE_TEXT)
        return itsm__text_present(c ? (ev->applied ? c->str : c->owned) : r->text[fi->slot]);
    int64_t v = c ? (c->num == ITSM__CX_UNSET ? 0 : c->num) : itsm__rec_num(r, fi->slot);
    return fi->type == ITSM_TYPE_TIME ? v != ITSM_TIME_NONE : v != 0;
}
static inline int itsm__view_has(const itsm_record *r, const itsm_event *ev, itsm_field f)
{
    if (itsm__field_custom((int)f))
        return itsm__view_has_custom(r, ev, f);
    switch (itsm__fields[f].type) {
    case ITSM_TYPE_TEXT:
        return itsm__text_present(itsm__view_str(r, ev, f));
    case ITSM_TYPE_SYMBOL:
        return itsm__view_str(r, ev, f) != NULL;
    case ITSM_TYPE_TIME:
        return itsm__view_num(r, ev, f) != ITSM_TIME_NONE;
    default:
        return itsm__view_num(r, ev, f) != 0;
    }
}

#endif
