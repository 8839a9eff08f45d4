/* SPDX-License-Identifier: Apache-2.0 */
/* Firing lifecycle events: the transition, its guards, and the step as
 * one event of a batch (for steps that change several records at once). */
#include "core/core.h"

#include <stdio.h>
#include <string.h>

/* ---- fire ---- */

static int has_link_to_kind(const itsm_record *r, itsm_kind k)
{
    for (uint32_t i = 0; i < r->nlinks; i++)
        if (r->links[i].kind == ITSM_LINK_RELATED && r->links[i].target->kind == k)
            return 1;
    return 0;
}

static int guard_fails(itsm_engine *eng, const itsm_record *r, const itsm_event *ev,
                       const itsm__transition *t, const char *event, const char *from)
{
    for (size_t i = 0; i < t->nterms; i++) {
        const itsm__gterm *g = &t->terms[i];
        const itsm__field_info *fi0 = itsm__field_of(eng, g->fields[0]);
        const char *f0 = fi0 ? fi0->name : "";
        switch (g->op) {
        case ITSM__G_SET:
            if (!itsm__view_has(r, ev, g->fields[0]))
                return itsm__err(eng, ITSM_EGUARD, "transition '%s' from '%s' needs field '%s'",
                                 event, from, f0);
            break;
        case ITSM__G_ANY: {
            int any = 0;
            for (unsigned f = 0; f < g->nfields && !any; f++)
                any = itsm__view_has(r, ev, g->fields[f]);
            if (!any) {
                char list[200];
                size_t off = 0;
                for (unsigned f = 0; f < g->nfields && off < sizeof list; f++)
                    off += (size_t)snprintf(list + off, sizeof list - off, "%s'%s'", f ? " or " : "",
                                            itsm__field_of(eng, g->fields[f])->name);
                return itsm__err(eng, ITSM_EGUARD, "transition '%s' from '%s' needs field %s",
                                 event, from, list);
            }
            break;
        }
        case ITSM__G_EQ:
            if (g->value) {   /* a text, symbol or enum field */
                const char *v = itsm__view_str(r, ev, g->fields[0]);
                if (!v || strcmp(v, g->value) != 0)
                    return itsm__err(eng, ITSM_EGUARD, "transition '%s' from '%s' needs field '%s' = '%s'",
                                     event, from, f0, g->value);
            } else if (itsm__view_num(r, ev, g->fields[0]) != g->num) {
                return itsm__err(eng, ITSM_EGUARD, "transition '%s' from '%s' needs field '%s' = %lld",
                                 event, from, f0, (long long)g->num);
            }
            break;
        case ITSM__G_LINK:
            if (!has_link_to_kind(r, g->link_kind))
                return itsm__err(eng, ITSM_EGUARD, "transition '%s' from '%s' needs a linked %s",
                                 event, from, itsm_kind_name(g->link_kind));
            break;
        }
    }
    return ITSM_OK;
}

static int batch_fire_found(itsm_record *r, int e, const itsm__transition *t, const itsm_change *changes,
                            size_t n, itsm_time at);

int itsm_record_fire(itsm_record *r, const char *event, const itsm_change *changes, size_t n)
{
    if (!r)
        return ITSM_EINVAL;
    itsm_engine *eng = r->eng;
    int rc = itsm__check_entry(eng);
    if (rc)
        return rc;
    if (!event)
        return itsm__err(eng, ITSM_EINVAL, "event is NULL");
    const itsm__lifecycle *lc = itsm__lifecycle_of(eng, r->kind);
    const char *from = lc->states[r->state];
    int e = itsm__lc_event(lc, event);
    if (e < 0) {
        /* Echo the name only when it could be one, so a message never
         * carries invalid UTF-8 or control bytes from the caller. */
        size_t len = 0;
        while (len <= 63 && ((event[len] >= 'a' && event[len] <= 'z') ||
                             (event[len] >= '0' && event[len] <= '9') || event[len] == '_'))
            len++;
        if (len == 0 || len > 63 || event[len] != '\0')
            return itsm__err(eng, ITSM_ETRANSITION, "no transition from '%s': the event name is not "
                             "1..63 characters of a-z, 0-9 and _", from);
        return itsm__err(eng, ITSM_ETRANSITION, "no transition '%s' from '%s': the %s lifecycle has no event '%s'",
                         event, from, itsm_kind_name((itsm_kind)r->kind), event);
    }
    const itsm__transition *t = itsm__find_transition(eng, r->kind, r->state, e);
    if (!t)
        return itsm__err(eng, ITSM_ETRANSITION, "no transition '%s' from '%s' for %s %s", event, from,
                         itsm_kind_name((itsm_kind)r->kind), r->id);
    itsm_time at = 0;
    if ((rc = itsm__now(eng, &at)))
        return rc;

    /* The step itself (guards, changes, the policy's stamps, clears and
     * counters) is built by itsm__batch_fire, which larger steps reuse. */
    itsm__batch_begin(eng);
    if ((rc = batch_fire_found(r, e, t, changes, n, at))) {
        itsm__batch_abort(eng);
        return rc;
    }
    return itsm__batch_commit(eng);
}


/* ---- a transition as one event of the batch being built ----
 * Used by itsm_record_fire and by larger steps (problem fixes resuming
 * incidents, a parent resolving its children, auto-close). The effects the
 * policy attaches to the step (clears, stamps, counters) are derived when
 * the event is finalised; a field the caller set in the same call wins
 * over a clear. */

int itsm__batch_fire(itsm_record *r, const char *event, const itsm_change *changes, size_t n, itsm_time at)
{
    itsm_engine *eng = r->eng;
    const itsm__lifecycle *lc = itsm__lifecycle_of(eng, r->kind);
    const char *from = lc->states[r->state];
    if (!event)   /* a role the policy leaves unset */
        return itsm__err(eng, ITSM_ETRANSITION, "the %s lifecycle has no event for this step (its role is unset)",
                         itsm_kind_name((itsm_kind)r->kind));
    int e = itsm__lc_event(lc, event);
    const itsm__transition *t = e < 0 ? NULL : itsm__find_transition(eng, r->kind, r->state, e);
    if (!t)
        return itsm__err(eng, ITSM_ETRANSITION, "no transition '%.64s' from '%s' for %s %s", event, from,
                         itsm_kind_name((itsm_kind)r->kind), r->id);
    return batch_fire_found(r, e, t, changes, n, at);
}

/* itsm__batch_fire once event `e` and its transition `t` are known
 * (itsm_record_fire has looked them up already). */
static int batch_fire_found(itsm_record *r, int e, const itsm__transition *t, const itsm_change *changes,
                            size_t n, itsm_time at)
{
    itsm_engine *eng = r->eng;
    const itsm__lifecycle *lc = itsm__lifecycle_of(eng, r->kind);
    const char *from = lc->states[r->state];
    itsm_event *ev = itsm__batch_add(eng, ITSM__EV_TRANSITION, r, at);
    if (!ev)
        return ITSM_ENOMEM;
    ev->ev_name = lc->events[e];
    ev->from_name = from;
    ev->to_state = t->to;
    ev->to_name = lc->states[t->to];
    ev->trans = t;   /* its clears, stamps and counters: core/finalise.c */
    int rc;
    if ((rc = itsm__propose_all(eng, ev, changes, n)) || (rc = guard_fails(eng, r, ev, t, lc->events[e], from)))
        return rc;
    return ITSM_OK;
}

int itsm__fire_check(itsm_record *r, const char *event)
{
    itsm_engine *eng = r->eng;
    if (!event)
        return ITSM_ETRANSITION;
    const itsm__lifecycle *lc = itsm__lifecycle_of(eng, r->kind);
    int e = itsm__lc_event(lc, event);
    const itsm__transition *t = e < 0 ? NULL : itsm__find_transition(eng, r->kind, r->state, e);
    if (!t)
        return ITSM_ETRANSITION;
    static const itsm_event none;   /* no changes: guards read the record alone */
    return guard_fails(eng, r, &none, t, lc->events[e], lc->states[r->state]);
}
