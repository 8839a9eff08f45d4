/* SPDX-License-Identifier: Apache-2.0 */
/* Firing lifecycle events: the transition, its guards, and the step as
 * one event of a batch (for steps that change several records at once). */
#include "core/core.h"
#include "core/batch.h"
#include "core/commit_one.h"

#include <stdio.h>
#include <string.h>

/* ---- fire ---- */

static int has_link_to_kind(const itsm_record *r, itsm_kind k)
{
    for (uint32_t i = 0; i < r->x->nlinks; i++)
        if (r->x->links[i].kind == ITSM_LINK_RELATED && r->x->links[i].target->kind == k)
            return 1;
    return 0;
}

static inline int term_met(const itsm_record *r, const itsm_event *ev, const itsm__gterm *g)
{
    switch (g->op) {
    case ITSM__G_SET:
        return itsm__view_has(r, ev, g->fields[0]);
    case ITSM__G_ANY:
        for (unsigned f = 0; f < g->nfields; f++)
            if (itsm__view_has(r, ev, g->fields[f]))
                return 1;
        return 0;
    case ITSM__G_EQ:
        if (g->value) {   /* a text, symbol or enum field, built in or custom */
            const char *v = itsm__view_str(r, ev, g->fields[0]);
            return v && strcmp(v, g->value) == 0;
        }
        return itsm__view_num(r, ev, g->fields[0]) == g->num;
    case ITSM__G_LINK:
        return has_link_to_kind(r, g->link_kind);
    case ITSM__G_KIND:   /* a capability's guard kind (core/capability.h) */
        return g->gk->met(r->eng, r, ev, g->value, g->num);
    }
    return 0;
}

int itsm__term_met(const itsm_record *r, const itsm_event *ev, const itsm__gterm *g)
{
    return term_met(r, ev, g);
}

uint64_t itsm__guard_missing(const itsm_record *r, const itsm_event *ev, const itsm__transition *t)
{
    uint64_t miss = 0;
    for (size_t i = 0; i < t->nterms; i++)
        if (!term_met(r, ev, &t->terms[i]))
            miss |= (uint64_t)1 << i;
    return miss;
}

/* "fields 'a', 'b', field 'c' or 'd', field 'e' = 'v', a linked change":
 * every term missed, the plain fields first, as one list a form can show. */
static void describe_missing(char *out, size_t cap, const itsm_record *r, const itsm_event *ev,
                             const itsm__transition *t, uint64_t miss)
{
    size_t off = 0, nset = 0;
#define PUT(...) (off += off < cap ? (size_t)snprintf(out + off, cap - off, __VA_ARGS__) : 0)
    out[0] = '\0';
    for (size_t i = 0; i < t->nterms; i++)
        nset += (miss >> i & 1) && t->terms[i].op == ITSM__G_SET;
    size_t k = 0;
    for (size_t i = 0; i < t->nterms; i++)
        if ((miss >> i & 1) && t->terms[i].op == ITSM__G_SET)
            PUT("%s'%s'", k++ ? ", " : nset > 1 ? "fields " : "field ", itsm__field_of(r->eng, t->terms[i].fields[0])->name);
    for (size_t i = 0; i < t->nterms; i++) {
        const itsm__gterm *g = &t->terms[i];
        if (!(miss >> i & 1) || g->op == ITSM__G_SET)
            continue;
        PUT("%s", k++ ? ", " : "");
        const char *f0 = g->op == ITSM__G_KIND || g->op == ITSM__G_LINK ? ""
                                                                            : itsm__field_of(r->eng, g->fields[0])->name;
        if (g->op == ITSM__G_ANY) {
            PUT("field ");
            for (unsigned f = 0; f < g->nfields; f++)
                PUT("%s'%s'", f ? " or " : "", itsm__field_of(r->eng, g->fields[f])->name);
        } else if (g->op == ITSM__G_EQ && g->value) {
            PUT("field '%s' = '%s'", f0, g->value);
        } else if (g->op == ITSM__G_EQ) {
            PUT("field '%s' = %lld", f0, (long long)g->num);
        } else if (g->op == ITSM__G_KIND) {
            char words[ITSM__ERRMSG];
            g->gk->describe(r->eng, r, ev, g->value, g->num, words, sizeof words);
            PUT("%s", words);
        } else {
            PUT("a linked %s", itsm_kind_name(g->link_kind));
        }
    }
#undef PUT
}

/* The refusal, off the path of a step whose guard holds. */
#if defined(__GNUC__)
__attribute__((noinline, cold))
#endif
static int guard_refused(itsm_engine *eng, const itsm_record *r, const itsm_event *ev,
                         const itsm__transition *t, const char *event, const char *from)
{
    uint64_t miss = itsm__guard_missing(r, ev, t);
    char what[ITSM__ERRMSG];
    describe_missing(what, sizeof what, r, ev, t, miss);
    int rc = itsm__err(eng, ITSM_EGUARD, "transition '%s' from '%s' needs %s", event, from, what);
    eng->guard_t = t;   /* itsm_guard_missing_at, while the failure stands */
    eng->guard_missing = miss;
    return rc;
}

/* Inline for the usual term, a built-in field that must be set. */
ITSM__ALWAYS_INLINE int guard_fails(itsm_engine *eng, const itsm_record *r, const itsm_event *ev,
                                    const itsm__transition *t, const char *event, const char *from)
{
    for (size_t i = 0; i < t->nterms; i++) {
        const itsm__gterm *g = &t->terms[i];
        int met;
        if (g->op == ITSM__G_SET && !itsm__field_custom((int)g->fields[0]))
            met = itsm__view_has_builtin(r, ev, g->fields[0]);
        else
            met = term_met(r, ev, g);
        if (!met)
            return guard_refused(eng, r, ev, t, event, from);
    }
    return ITSM_OK;
}

static inline int batch_fire_found(itsm_engine *eng, itsm_record *r, const char *from, const itsm__transition *t,
                                   const itsm_change *changes, size_t n, itsm_time at, itsm_event **one);

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
    /* The record's kind and state read once: the compiler cannot tell
     * them from what the event cache's miss may write. */
    const unsigned kind = r->kind, state = r->state;
    const itsm__lifecycle *lc = itsm__lifecycle_of(eng, (int)kind);
    int e = itsm__event_ix(eng, (int)kind, event);
    if (e < 0) {
        const char *from = lc->states[state];
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
                         event, from, itsm_kind_name((itsm_kind)kind), event);
    }
    unsigned pos = itsm__transition_pos(eng, lc, (int)kind, state, (unsigned)e);
    if (!pos)
        return itsm__err(eng, ITSM_ETRANSITION, "no transition '%s' from '%s' for %s %s", event, lc->states[state],
                         itsm_kind_name((itsm_kind)kind), r->id);
    const itsm__transition *t = &lc->trans[pos - 1];
    const char *from = lc->states[state];   /* read here: nothing is kept across the cache's miss */
    itsm_time at = 0;
    if ((rc = itsm__now(eng, &at)))
        return rc;

    /* The step itself (guards, changes, the policy's stamps, clears and
     * counters) is built as itsm__batch_fire builds it for larger steps,
     * here as the batch's one event, finalised as built: the commit goes
     * straight on. */
    itsm_event *ev = NULL;
    if ((rc = batch_fire_found(eng, r, from, t, changes, n, at, &ev)) ||
        (rc = itsm__finalise_step(eng, ev))) {
        itsm__batch_abort(eng);
        return rc;
    }
    return itsm__commit_one(eng, ev, ITSM__EV_TRANSITION);
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
    int e = itsm__event_ix(eng, r->kind, event);
    const itsm__transition *t = e < 0 ? NULL : itsm__find_transition(eng, r->kind, r->state, e);
    if (!t)
        return itsm__err(eng, ITSM_ETRANSITION, "no transition '%.64s' from '%s' for %s %s", event, from,
                         itsm_kind_name((itsm_kind)r->kind), r->id);
    return batch_fire_found(eng, r, from, t, changes, n, at, NULL);
}

/* itsm__batch_fire once its transition `t` is known
 * (itsm_record_fire has looked them up already). Inline: the one-step
 * path builds its event here. `one` (a constant where inlined): NULL to
 * add the event to the batch being built, else where to put the step's
 * one event, which begins the batch (itsm__batch_begin_one; even when
 * refused, so the caller's abort finds it). */
ITSM__ALWAYS_INLINE int batch_fire_found(itsm_engine *eng, itsm_record *r, const char *from,
                                         const itsm__transition *t, const itsm_change *changes, size_t n,
                                         itsm_time at, itsm_event **one)
{
    /* The names before the event's stores, which the compiler cannot
     * tell from the policy's arrays (it would read them again after);
     * the transition keeps them (lc->events[e], lc->states[t->to]). */
    const char *ev_name = t->ev_name, *to_name = t->to_name;
    int to = t->to;
    itsm_event *ev = one ? itsm__batch_begin_one(eng, ITSM__EV_TRANSITION, r, at)
                         : itsm__batch_slot(eng, ITSM__EV_TRANSITION, r, at);
    if (!ev)
        return ITSM_ENOMEM;
    if (one)
        *one = ev;
    ev->ev_name = ev_name;
    ev->from_name = from;
    ev->to_state = to;
    ev->to_name = to_name;
    ev->trans = t;   /* its clears, stamps and counters: core/finalise.c */
    int rc;
    if ((n && (rc = itsm__propose_changes(eng, ev, changes, n))) || (rc = guard_fails(eng, r, ev, t, ev_name, from)))
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
