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

/* Can any step of this lifecycle set field f? User fields always can (by an
 * update); engine fields only when the engine maintains them for this
 * lifecycle: opened_at/updated_at/reassignments always, a stamp or the
 * reopen counter only if a transition does it. */
static int settable(const itsm__lifecycle *lc, itsm_field f)
{
    if (itsm__field_custom((int)f) || !itsm__fields[f].engine_owned || f == ITSM_F_OPENED_AT || f == ITSM_F_UPDATED_AT ||
        f == ITSM_F_REASSIGNMENTS)
        return 1;
    for (size_t i = 0; i < lc->ntrans; i++) {
        const itsm__transition *t = &lc->trans[i];
        if (f == ITSM_F_REOPENS && t->counts_reopen)
            return 1;
        for (unsigned s = 0; s < t->nstamps; s++)
            if (t->stamps[s] == f)
                return 1;
    }
    return 0;
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

    /* Reachability from the initial state; "*" edges leave every open state. */
    unsigned char seen[ITSM__MAX_STATES];
    size_t n = lc->nstates;
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

    for (size_t s = 0; s < lc->nstates; s++) {
        if (itsm__lc_is_closed(lc, (int)s))
            continue;
        int out = 0;
        for (size_t i = 0; i < lc->ntrans && !out; i++)
            out = lc->trans[i].from == (int)s || lc->trans[i].from == ITSM__ANY_OPEN;
        if (!out)
            itsm__finding(p, "%s: open state '%s' has no way out", kn, lc->states[s]);
    }

    for (size_t i = 0; i < lc->ntrans; i++) {
        const itsm__transition *t = &lc->trans[i];
        for (size_t g = 0; g < t->nterms; g++) {
            const itsm__gterm *term = &t->terms[g];
            if (term->op == ITSM__G_LINK || term->op == ITSM__G_KIND)
                continue;
            int any = 0;
            for (unsigned f = 0; f < term->nfields; f++)
                any |= settable(lc, term->fields[f]);
            if (!any)
                itsm__finding(p, "%s: state '%s': guard of '%s' needs field '%s', which no step sets",
                        kn, t->from == ITSM__ANY_OPEN ? "*" : lc->states[t->from],
                        lc->events[t->event], itsm__finfo(p, (int)term->fields[0])->name);
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
