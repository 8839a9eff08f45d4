/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Internal: the batch a step builds, then commits (store, apply, sink)
 * or aborts, and replay's commit; a group's events kept for the sink;
 * disposing of events; room reserved so that apply cannot fail. Adding
 * an event inline is core/batch.h. Part of core/core.h.
 */
#ifndef ITSM_SRC_CORE_BATCH_COMMIT_H
#define ITSM_SRC_CORE_BATCH_COMMIT_H

#include "core/engine_int.h"

itsm_event  *itsm__batch_add(itsm_engine *eng, int type, itsm_record *rec, itsm_time at);
int          itsm__batch_commit(itsm_engine *eng);   /* store first; aborts on failure */
void         itsm__batch_abort(itsm_engine *eng);
/* The batch emptied without freeing its events (they were disposed of or
 * copied elsewhere): one place resets every per-batch mark. */
static inline void itsm__batch_empty(itsm_engine *eng)
{
    eng->nbatch = 0;
    eng->reserve_recs = 0;
    eng->unfinal = 0;
    eng->batch_types = 0;
    eng->batch_kinds = 0;
}
static inline void itsm__batch_begin(itsm_engine *eng) { itsm__batch_empty(eng); }
/* Replay: finalise (replay mode), reserve, apply without the store and
 * sink. ITSM_OK, or an error with the batch aborted. */
int          itsm__batch_replay(itsm_engine *eng);
/* A group's events kept for the sink (core/group.c): make room for the
 * batch being committed before the store sees it, so keeping them cannot
 * fail after; move them in once applied; free them. */
int          itsm__group_reserve(itsm_engine *eng);
void         itsm__group_keep(itsm_engine *eng);
void         itsm__group_dispose(itsm_engine *eng);
/* Free the events of evs[0..n) (what they own; records OPEN events own). */
void         itsm__events_dispose(itsm_engine *eng, itsm_event *evs, size_t n);

/* Reserve room so apply cannot fail. */
int          itsm__reserve_note(itsm_engine *eng, itsm_record *rec);
/* Give the record its own itsm__recx if it has none yet: ITSM_OK or
 * ITSM_ENOMEM (message set). */
int          itsm__rec_extras(itsm_engine *eng, itsm_record *rec);
int          itsm__reserve_link(itsm_engine *eng, itsm_record *rec);
/* Room for one more record (an opening): ITSM_OK or an error (message
 * set). Inline where the list and the index have room already (most
 * openings); the growth is itsm__reserve_record_grow (core/engine.c). */
int          itsm__reserve_record_grow(itsm_engine *eng);
static inline int itsm__reserve_record(itsm_engine *eng)
{
    size_t need = eng->nrecs + eng->reserve_recs + 1;
    if (need <= eng->crecs && need < UINT32_MAX && itsm__htab_holds(&eng->ids, need)) {
        eng->reserve_recs++;
        return ITSM_OK;
    }
    return itsm__reserve_record_grow(eng);
}

#endif
