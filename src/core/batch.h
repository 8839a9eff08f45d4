/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Internal: adding an event to the batch, inline where the one-event step
 * builds it (core/fire.c) and behind itsm__batch_add (core/batch.c) for
 * every other step. Only the growth of the batch is out of line.
 */
#ifndef ITSM_SRC_CORE_BATCH_H
#define ITSM_SRC_CORE_BATCH_H

#include "core/core.h"

#include <string.h>

/* Room for one more event: ITSM_OK or ITSM_ENOMEM (core/batch.c). Points
 * batch_ptrs at every slot, so adding an event need not. */
int itsm__batch_grow(itsm_engine *eng);

/* Event `ev` as a new event of `type` on `rec` (NULL for none) at `at`,
 * every member set but the transition's (ev_name, from_name, to_name,
 * to_state, trans), which the caller sets; the batch's marks apart. */
ITSM__ALWAYS_INLINE void itsm__event_init_in(itsm_engine *eng, itsm_event *ev, int type, itsm_record *rec,
                                             itsm_time at, int first)
{
    /* applied, final, replayed, owns_rec, nchanges, fset, derived, the
     * note, the link, the class, the chain's marks: zero (neighbours in
     * the event, so the compiler merges the stores) */
    ev->applied = ev->final = ev->replayed = ev->owns_rec = 0;
    ev->nchanges = 0;
    ev->note_owned = ev->link_kind = 0;
    ev->no_pv = ev->chained = ev->reassigns = ev->written = 0;
    ev->fset = ev->derived = 0;
    ev->note = (itsm__note){ 0 };
    ev->target = NULL;
    ev->cls = NULL;
    ev->ext = NULL;
    ev->canon = NULL;
    ev->type = type;
    ev->rec = rec;
    ev->at = at;
    ev->actor = eng->actor;
    /* The version in force: the current one, but a settled record (closed,
     * or where its clocks stopped) keeps its own (docs/policy.md, "Versions"). */
    ev->pv = eng->cur;
    if (rec) {
#ifdef ITSM_CHECK_REPLAN   /* the checked build: a batch begins with no event pending on any record */
        if (first && rec->pending)
            __builtin_trap();
#endif
        /* the batch's first event: none pending on its record (each
         * batch's disposal and the group's keep zero them) */
        ev->rev = rec->rev + (first ? 0u : rec->pending) + 1;
        if (rec->pv != eng->cur && ((eng->settled[rec->kind][rec->state / 64] >> (rec->state % 64)) & 1u))
            ev->pv = rec->pv;
        rec->pending = first ? 1u : (uint16_t)(rec->pending + 1u);
    } else {
        ev->rev = 1;
    }
}

static inline void itsm__event_init(itsm_engine *eng, itsm_event *ev, int type, itsm_record *rec, itsm_time at)
{
    itsm__event_init_in(eng, ev, type, rec, at, 0);
}

/* A new event of `type` on `rec` (NULL for none) at `at` in the batch's
 * next slot, every member set but the transition's (ev_name, from_name,
 * to_name, to_state, trans), which the caller sets; NULL when out of
 * memory. */
static inline itsm_event *itsm__batch_slot(itsm_engine *eng, int type, itsm_record *rec, itsm_time at)
{
    if (eng->nbatch == eng->cbatch && itsm__batch_grow(eng))
        return NULL;
    itsm_event *ev = &eng->batch[eng->nbatch];
    itsm__event_init(eng, ev, type, rec, at);
    eng->batch_types |= 1u << (unsigned)type;
    eng->unfinal++;
    if (rec)
        eng->batch_kinds |= 1u << rec->kind;
    eng->nbatch++;   /* batch_ptrs points at the slot already (itsm__batch_grow) */
    return ev;
}

/* itsm__batch_begin and the step's one event in its first slot, as
 * itsm__batch_slot makes it on `rec` (NULL for an opening's), but counted
 * final already (unfinal 0): the caller finalises it before it commits
 * (itsm_record_fire, itsm_record_update, itsm_record_open). The batch's
 * marks are written once, not emptied and then added to. NULL when out
 * of memory (the batch empty). */
static inline itsm_event *itsm__batch_begin_one(itsm_engine *eng, int type, itsm_record *rec, itsm_time at)
{
    if (!eng->cbatch) {   /* the engine's first step */
        itsm__batch_empty(eng);
        if (itsm__batch_grow(eng))
            return NULL;
    }
    itsm_event *ev = &eng->batch[0];
    itsm__event_init_in(eng, ev, type, rec, at, 1);
    eng->nbatch = 1;
    eng->reserve_recs = 0;
    eng->unfinal = 0;
    eng->batch_types = 1u << (unsigned)type;
    eng->batch_kinds = rec ? 1u << rec->kind : 0u;   /* an opening's own: its caller's */
    return ev;
}

/* itsm__batch_add: a new event of `type` on `rec` (NULL for none) at
 * `at`, every member set; NULL when out of memory. */
static inline itsm_event *itsm__batch_add_in(itsm_engine *eng, int type, itsm_record *rec, itsm_time at)
{
    itsm_event *ev = itsm__batch_slot(eng, type, rec, at);
    if (!ev)
        return NULL;
    ev->ev_name = ev->from_name = ev->to_name = NULL;
    ev->to_state = -1;
    ev->trans = NULL;
    return ev;
}

#endif
