/* SPDX-License-Identifier: Apache-2.0 */
/* Policy check: the defects that would strand a record or betray a typo. */
#include "policy/policy_int.h"
#include "kit/alloc.h"
#include "core/fields.h"
#include "itsm/errors.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void itsm__finding(itsm_policy *p, const char *fmt, ...)
{
    char buf[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    char *copy = itsm__strdup(&p->alloc, buf);
    if (!copy || itsm__grow(&p->alloc, (void **)&p->findings, &p->cfindings, p->nfindings + 1,
                            sizeof *p->findings)) {
        itsm__free(&p->alloc, copy);
        p->check_oom = 1;
        return;
    }
    p->findings[p->nfindings++] = copy;
}

/* Why a guard's field can hold, or cannot. */
enum { FIELD_SETTABLE = 0, FIELD_NOT_OF_KIND, FIELD_ONLY_OWN_STAMP, FIELD_NO_STEP };

/* Can a step of lifecycle `k` set field f before the guard of transition
 * `self` reads it? A custom field only on the kinds it applies to (an
 * update of another kind is refused); other user fields always (by an
 * update). Engine fields only when the engine maintains them for this
 * lifecycle: opened_at/updated_at/reassignments always, a stamp or the
 * reopen counter only if a transition does it - and not `self`, whose
 * stamps and counter follow its guard (core/finalise.c). */
static int settable(const itsm_policy *p, itsm_kind k, const itsm__transition *self, itsm_field f)
{
    const itsm__cfield *cf = itsm__cfield_of(p, (int)f);
    if (cf)
        return cf->kinds & (1u << k) ? FIELD_SETTABLE : FIELD_NOT_OF_KIND;
    if (itsm__field_custom((int)f) || !itsm__fields[f].engine_owned || f == ITSM_F_OPENED_AT ||
        f == ITSM_F_UPDATED_AT || f == ITSM_F_REASSIGNMENTS)
        return FIELD_SETTABLE;
    const itsm__lifecycle *lc = &p->lc[k];
    int own = 0;
    for (size_t i = 0; i < lc->ntrans; i++) {
        const itsm__transition *t = &lc->trans[i];
        int sets = f == ITSM_F_REOPENS && t->counts_reopen;
        for (unsigned s = 0; s < t->nstamps && !sets; s++)
            sets = t->stamps[s] == f;
        if (sets && t != self)
            return FIELD_SETTABLE;
        own |= sets;
    }
    return own ? FIELD_ONLY_OWN_STAMP : FIELD_NO_STEP;
}

/* States from which some path reaches a closed state, into can_close[]:
 * a backward pass from the closed states. A "*" edge leaves every open
 * state, so one into a state that can close lets every open state close. */
static void closable(const itsm__lifecycle *lc, unsigned char *can_close)
{
    size_t n = lc->nstates;
    for (size_t s = 0; s < n; s++)
        can_close[s] = (unsigned char)itsm__lc_is_closed(lc, (int)s);
    int any_open = 0;
    for (int changed = 1; changed;) {
        changed = 0;
        for (size_t i = 0; i < lc->ntrans; i++) {
            const itsm__transition *t = &lc->trans[i];
            if (!can_close[t->to])
                continue;
            if (t->from == ITSM__ANY_OPEN) {
                changed |= !any_open;
                any_open = 1;
            } else if (!can_close[t->from]) {
                can_close[t->from] = 1;
                changed = 1;
            }
        }
        for (size_t s = 0; s < n && any_open; s++)
            can_close[s] = 1;   /* open or closed, each can close now */
    }
}

static void check_lifecycle(itsm_policy *p, itsm_kind k)
{
    const itsm__lifecycle *lc = &p->lc[k];
    const char *kn = itsm_kind_name(k);
    if (lc->nstates == 0 && lc->nevents == 0 && lc->ntrans == 0)
        return;   /* no lifecycle: records of this kind cannot be opened */
    int initial = itsm__lc_initial(lc);
    if (initial < 0) {
        itsm__finding(p, "%s: no initial state", kn);
        return;
    }
    /* A record opens in the initial state: a closed one is settled before
     * anything happens to it. */
    if (itsm__lc_is_closed(lc, initial))
        itsm__finding(p, "%s: initial state '%s' is closed", kn, lc->states[initial]);
    size_t n = lc->nstates, nclosed = 0;
    for (size_t s = 0; s < n; s++)
        nclosed += itsm__lc_is_closed(lc, (int)s) != 0;
    /* One finding for the cause: every open state would have no way out. */
    if (nclosed == 0)
        itsm__finding(p, "%s: no closed state", kn);

    /* Reachability from the initial state; "*" edges leave every open state. */
    unsigned char seen[ITSM__MAX_STATES];
    memset(seen, 0, sizeof seen);
    seen[initial] = 1;
    for (int changed = 1; changed;) {
        changed = 0;
        for (size_t i = 0; i < lc->ntrans; i++) {
            const itsm__transition *t = &lc->trans[i];
            int from_seen = 0;
            if (t->from == ITSM__ANY_OPEN) {
                for (size_t s = 0; s < n && !from_seen; s++)
                    from_seen = seen[s] && !itsm__lc_is_closed(lc, (int)s);
            } else {
                from_seen = seen[t->from];
            }
            if (from_seen && (size_t)t->to < n && !seen[t->to]) {
                seen[t->to] = 1;
                changed = 1;
            }
        }
    }
    for (size_t s = 0; s < n; s++)
        if (!seen[s])
            itsm__finding(p, "%s: state '%s' is unreachable from '%s'", kn, lc->states[s],
                    lc->states[initial]);

    /* An open state from which no path reaches a closed state strands its
     * records: no transition leaves it, or every path out comes back (a
     * self-loop, a cycle of open states). */
    if (nclosed > 0) {
        unsigned char can_close[ITSM__MAX_STATES];
        closable(lc, can_close);
        for (size_t s = 0; s < n; s++) {
            if (can_close[s])
                continue;
            int out = 0;
            for (size_t i = 0; i < lc->ntrans && !out; i++)
                out = lc->trans[i].from == (int)s || lc->trans[i].from == ITSM__ANY_OPEN;
            if (!out)
                itsm__finding(p, "%s: open state '%s' has no way out", kn, lc->states[s]);
            else
                itsm__finding(p, "%s: open state '%s' has no way out: no path from it reaches a closed state", kn,
                              lc->states[s]);
        }
    }

    for (size_t i = 0; i < lc->ntrans; i++) {
        const itsm__transition *t = &lc->trans[i];
        for (size_t g = 0; g < t->nterms; g++) {
            const itsm__gterm *term = &t->terms[g];
            if (term->op == ITSM__G_LINK || term->op == ITSM__G_KIND)
                continue;
            /* Sound when any field of the term can be set; else the first
             * field's reason. */
            int why = FIELD_NO_STEP;
            for (unsigned f = 0; f < term->nfields && why != FIELD_SETTABLE; f++) {
                int w = settable(p, k, t, term->fields[f]);
                if (f == 0 || w == FIELD_SETTABLE)
                    why = w;
            }
            if (why == FIELD_SETTABLE)
                continue;
            const char *from = t->from == ITSM__ANY_OPEN ? "*" : lc->states[t->from];
            const char *field = itsm__finfo(p, (int)term->fields[0])->name;
            if (why == FIELD_NOT_OF_KIND)
                itsm__finding(p, "%s: state '%s': guard of '%s' needs field '%s', which does not apply to %s records",
                              kn, from, lc->events[t->event], field, kn);
            else if (why == FIELD_ONLY_OWN_STAMP)
                itsm__finding(p, "%s: state '%s': guard of '%s' needs field '%s', which only that step sets, after "
                              "its guard", kn, from, lc->events[t->event], field);
            else
                itsm__finding(p, "%s: state '%s': guard of '%s' needs field '%s', which no step sets",
                        kn, from, lc->events[t->event], field);
        }
    }

    for (size_t e = 0; e < lc->nevents; e++) {
        int used = 0;
        for (size_t i = 0; i < lc->ntrans && !used; i++)
            used = lc->trans[i].event == (int)e;
        if (!used)
            itsm__finding(p, "%s: event '%s' is used by no transition", kn, lc->events[e]);
    }
}

size_t itsm_policy_check(itsm_policy *p)
{
    if (!p)
        return 0;
    for (size_t i = 0; i < p->nfindings; i++)
        itsm__free(&p->alloc, p->findings[i]);
    p->nfindings = 0;
    p->check_oom = 0;
    for (int k = 1; k <= ITSM_KIND_COUNT; k++)
        check_lifecycle(p, (itsm_kind)k);
    itsm__roles_check(p);
    for (size_t i = 0; i < itsm__ncapabilities; i++)   /* each capability's section */
        if (itsm__capabilities[i]->policy_check)
            itsm__capabilities[i]->policy_check(p);
    if (p->check_oom) {
        /* Never report "sound" because the report itself ran out of memory. */
        itsm__errbuf_set(&p->err, ITSM_ENOMEM, "out of memory while checking the policy");
        return p->nfindings ? p->nfindings : 1;
    }
    return p->nfindings;
}

const char *itsm_policy_finding(const itsm_policy *p, size_t index)
{
    if (!p || index >= p->nfindings)
        return NULL;
    return p->findings[index];
}
