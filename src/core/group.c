/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Group commit (include/itsm/engine.h): the engine's side of the store's
 * group. Each step still goes store first, then apply (core/batch.c); what
 * a group defers is the store's durability and the sink, which hears the
 * group's steps at the commit. Their events wait here, moved out of the
 * batch with the memory they own (the texts an applied event points at
 * stay alive that way, even when a later step of the group replaces them).
 * A group the store does not keep takes the engine back to the last commit
 * by reloading it from the store.
 */
#include "core/core.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>

int itsm__group_reserve(itsm_engine *eng)
{
    size_t need = eng->ngev + eng->nbatch;
    if (itsm__grow(&eng->alloc, (void **)&eng->gev, &eng->cgev, need, sizeof *eng->gev) ||
        itsm__grow(&eng->alloc, (void **)&eng->gptr, &eng->cgptr, need, sizeof *eng->gptr) ||
        itsm__grow(&eng->alloc, (void **)&eng->gcut, &eng->cgcut, eng->ngcut + 1, sizeof *eng->gcut))
        return itsm__oom(eng);
    return ITSM_OK;
}

void itsm__group_keep(itsm_engine *eng)
{
    /* Room was made by itsm__group_reserve before the store saw the step.
     * Each event is copied without its unused change slots, nine tenths
     * of its size: a group keeps a thousand events or more. */
    const size_t head = offsetof(itsm_event, changes);
    const size_t tail = head + sizeof eng->batch[0].changes;
    for (size_t i = 0; i < eng->nbatch; i++) {
        const itsm_event *from = &eng->batch[i];
        char *to = (char *)&eng->gev[eng->ngev + i];
        memcpy(to, from, head + from->nchanges * sizeof from->changes[0]);
        memcpy(to + tail, (const char *)from + tail, sizeof *from - tail);
        if (from->rec)
            from->rec->pending = 0;
    }
    eng->ngev += eng->nbatch;
    eng->gcut[eng->ngcut++] = eng->ngev;
    /* The batch's slots are copies now: emptied without freeing. */
    itsm__batch_empty(eng);
}

void itsm__group_dispose(itsm_engine *eng)
{
    itsm__events_dispose(eng, eng->gev, eng->ngev);
    eng->ngev = 0;
    eng->ngcut = 0;
}

int itsm_engine_begin(itsm_engine *eng)
{
    if (!eng)
        return ITSM_EINVAL;
    int rc = itsm__check_entry(eng);
    if (rc)
        return rc;
    if (eng->grouped)
        return itsm__err(eng, ITSM_ESTATE, "a group is open already (itsm_engine_commit or _rollback ends it)");
    if (!eng->has_store || !eng->store.group || !eng->store.scan)
        return itsm__err(eng, ITSM_EINVAL, "%s",
                         !eng->has_store ? "the engine has no store to group appends in"
                         : !eng->store.group ? "the store has no group slot (itsm_store.group, table version 3)"
                                             : "the store has no scan, to go back to the last commit");
    eng->in_callback = 1;
    rc = eng->store.group(eng->store_user, ITSM_STORE_GROUP_BEGIN);
    eng->in_callback = 0;
    if (rc != ITSM_OK)
        return itsm__err(eng, rc == ITSM_EUSER ? rc : ITSM_ESTORE, "the store could not begin a group (store returned %s)",
                         itsm_errname(rc));
    eng->grouped = 1;
    eng->group_cur = eng->cur;
    eng->group_events = 0;
    eng->ngev = 0;
    eng->ngcut = 0;
    return ITSM_OK;
}

/* Back to the last commit: the store holds exactly that, so reload.
 * ITSM_OK, or the reload's error (the engine is broken then). */
static int back_to_last_commit(itsm_engine *eng, const char *why)
{
    itsm__group_dispose(eng);
    eng->group_events = 0;
    /* the store keeps no adoption made in the group (its policy events
     * were in it): the version in force at itsm_engine_begin is again */
    int rc = itsm__versions_restore(eng, eng->group_cur);
    if (rc == ITSM_OK)
        rc = itsm__engine_reset(eng);
    if (rc == ITSM_OK)
        rc = itsm_engine_load(eng);
    if (rc != ITSM_OK) {
        eng->broken = 1;
        return itsm__err(eng, rc, "%s, and the engine could not go back to the last commit (%s): free it", why,
                         itsm_errname(rc));
    }
    return ITSM_OK;
}

int itsm_engine_commit(itsm_engine *eng)
{
    if (!eng)
        return ITSM_EINVAL;
    int rc = itsm__check_entry(eng);
    if (rc)
        return rc;
    if (!eng->grouped)
        return itsm__err(eng, ITSM_ESTATE, "no group is open (itsm_engine_begin opens one)");
    eng->grouped = 0;
    eng->in_callback = 1;
    rc = eng->store.group(eng->store_user, ITSM_STORE_GROUP_COMMIT);
    eng->in_callback = 0;
    if (rc != ITSM_OK) {
        size_t lost = eng->group_events;
        char why[96];
        snprintf(why, sizeof why, "the store did not keep the group (store returned %s)", itsm_errname(rc));
        int back = back_to_last_commit(eng, why);
        if (back != ITSM_OK)
            return back;
        return itsm__err(eng, rc == ITSM_EUSER ? rc : ITSM_ESTORE,
                         "%s: its %zu events are lost; the engine was reloaded from the store (record pointers "
                         "taken before are invalid)", why, lost);
    }
    if (eng->sink && eng->ngev) {
        for (size_t i = 0; i < eng->ngev; i++)
            eng->gptr[i] = &eng->gev[i];
        eng->in_callback = 1;
        for (size_t c = 0, from = 0; c < eng->ngcut; from = eng->gcut[c++])
            eng->sink(eng->sink_user, eng->gptr + from, eng->gcut[c] - from);
        eng->in_callback = 0;
    }
    itsm__group_dispose(eng);
    eng->group_events = 0;
    return ITSM_OK;
}

int itsm_engine_rollback(itsm_engine *eng)
{
    if (!eng)
        return ITSM_EINVAL;
    int rc = itsm__check_entry(eng);
    if (rc)
        return rc;
    if (!eng->grouped)
        return itsm__err(eng, ITSM_ESTATE, "no group is open (itsm_engine_begin opens one)");
    eng->grouped = 0;
    /* Whatever the store answers, it keeps none of the group: the reload
     * reads what it has. */
    eng->in_callback = 1;
    eng->store.group(eng->store_user, ITSM_STORE_GROUP_ABORT);
    eng->in_callback = 0;
    return back_to_last_commit(eng, "rolled back");
}

size_t itsm_engine_group_events(const itsm_engine *eng) { return eng && eng->grouped ? eng->group_events : 0; }
