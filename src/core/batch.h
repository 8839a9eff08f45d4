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

/* Room for one more event: ITSM_OK or ITSM_ENOMEM (core/batch.c). */
int itsm__batch_grow(itsm_engine *eng);

/* itsm__batch_add: a new event of `type` on `rec` (NULL for none) at
 * `at`, every member set; NULL when out of memory. */
static inline itsm_event *itsm__batch_add_in(itsm_engine *eng, int type, itsm_record *rec, itsm_time at)
{
    if (eng->nbatch == eng->cbatch && itsm__batch_grow(eng))
        return NULL;
    itsm_event *ev = &eng->batch[eng->nbatch];
    ev->type = type;
    eng->batch_types |= 1u << (unsigned)type;
    ev->applied = 0;
    ev->final = 0;
    eng->unfinal++;
    ev->replayed = 0;
    ev->rec = rec;
    ev->owns_rec = 0;
    ev->at = at;
    ev->actor = eng->actor;
    ev->ev_name = ev->from_name = ev->to_name = NULL;
    ev->to_state = -1;
    ev->trans = NULL;
    ev->nchanges = 0;
    ev->fset = 0;
    ev->derived = 0;
    memset(&ev->note, 0, sizeof ev->note);
    ev->note_owned = 0;
    ev->link_kind = 0;
    ev->target = NULL;
    ev->cls = NULL;
    ev->ext = NULL;
    ev->chained = 0;
    ev->canon = NULL;
    /* The version in force: the current one, but a settled record (closed,
     * or where its clocks stopped) keeps its own (docs/policy.md, "Versions"). */
    ev->pv = eng->cur;
    ev->no_pv = 0;
    if (rec) {
        eng->batch_kinds |= 1u << rec->kind;
        ev->rev = rec->rev + rec->pending + 1;
        if (rec->pv != eng->cur && ((eng->settled[rec->kind][rec->state / 64] >> (rec->state % 64)) & 1u))
            ev->pv = rec->pv;
        rec->pending++;
    } else {
        ev->rev = 1;
    }
    eng->batch_ptrs[eng->nbatch] = ev;
    eng->nbatch++;
    return ev;
}

#endif
