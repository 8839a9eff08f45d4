/* SPDX-License-Identifier: Apache-2.0 */
/* Rules by condition (docs/conditions.md): the SLA a record gets and the
 * group a new incident is routed to, decided by any field - built in or
 * declared by the policy - its state or kind. Each rule is tried in the
 * order added, before the service mapping and the category/service routing
 * table; the first that holds wins. The condition is compiled when the
 * rule is added, against the policy's fields: declare custom fields first. */
#include "sla/sla_int.h"
#include "core/cond_record.h"
#include "kit/err.h"
#include "kit/value.h"
#include "policy/policy_int.h"

#include <string.h>

void itsm__whens_free(itsm__when *w, size_t n, const itsm_allocator *a)
{
    for (size_t i = 0; i < n; i++) {
        itsm__free(a, w[i].text);
        itsm__free(a, w[i].group);
        itsm__cond_free(w[i].cond, a);
    }
    itsm__free(a, w);
}

static int when_copy(itsm__when *d, const itsm__when *s, const itsm_allocator *a)
{
    memset(d, 0, sizeof *d);
    d->sla = s->sla;
    if (!(d->text = itsm__strdup(a, s->text)) || (s->group && !(d->group = itsm__strdup(a, s->group))) ||
        itsm__cond_copy(&d->cond, s->cond, a)) {
        itsm__free(a, d->text);
        itsm__free(a, d->group);
        return ITSM_ENOMEM;
    }
    return ITSM_OK;
}

int itsm__whens_clone(itsm__when **out, size_t *nout, const itsm__when *src, size_t n, const itsm_allocator *a)
{
    *out = NULL;
    *nout = 0;
    if (!n)
        return ITSM_OK;
    if (!(*out = itsm__calloc(a, n, sizeof **out)))
        return ITSM_ENOMEM;
    for (size_t i = 0; i < n; i++, ++*nout)
        if (when_copy(&(*out)[i], &src[i], a))
            return ITSM_ENOMEM;   /* the caller frees the *nout copied */
    return ITSM_OK;
}

/* Compile `when` and append a rule to the list. */
static int add(itsm_policy *p, itsm__when **list, size_t *n, size_t *cap, const char *when, const char *group,
               int sla, const char *what)
{
    if (*n == ITSM__MAX_WHEN)
        return itsm__errbuf_set(&p->err, ITSM_ELIMIT, "a policy has at most %d %s", ITSM__MAX_WHEN, what);
    itsm__when w;
    memset(&w, 0, sizeof w);
    w.sla = sla;
    int rc = itsm__cond_policy_compile(p, &w.cond, when, what);
    if (rc)
        return rc;
    if (!(w.text = itsm__strdup(&p->alloc, when)) || (group && !(w.group = itsm__strdup(&p->alloc, group))) ||
        itsm__grow(&p->alloc, (void **)list, cap, *n + 1, sizeof **list)) {
        itsm__free(&p->alloc, w.text);
        itsm__free(&p->alloc, w.group);
        itsm__cond_free(w.cond, &p->alloc);
        return itsm__errbuf_oom(&p->err);
    }
    (*list)[(*n)++] = w;
    itsm__errbuf_clear(&p->err);
    return ITSM_OK;
}

int itsm_policy_add_route_when(itsm_policy *p, const char *when, const char *group)
{
    if (!p)
        return ITSM_EINVAL;
    if (!when)
        return itsm__errbuf_set(&p->err, ITSM_EINVAL, "a route by condition needs a condition");
    int rc = itsm__check_symbol_z(&p->err, "a route's group", NULL, group);
    if (rc)
        return rc;
    itsm__slapol *sp = itsm__sl(p);
    return add(p, &sp->wroutes, &sp->nwroutes, &sp->cwroutes, when, group, -1, "routes by condition");
}

int itsm_policy_add_sla_rule(itsm_policy *p, const char *when, const char *sla)
{
    if (!p)
        return ITSM_EINVAL;
    if (!when || !sla)
        return itsm__errbuf_set(&p->err, ITSM_EINVAL, "an SLA rule needs a condition and an SLA");
    itsm__slapol *sp = itsm__sl(p);
    int s = itsm__sla_find(sp, sla);
    if (s < 0)
        return itsm__errbuf_set(&p->err, ITSM_ENOTFOUND, "SLA rule: no SLA '%s'", sla);
    int rc = add(p, &sp->rules, &sp->nrules, &sp->crules, when, NULL, s, "SLA rules");
    if (rc)
        return rc;
    /* What the timers must re-plan on: the fields and state the rule reads. */
    size_t nv;
    const int *vars = itsm__cond_vars(sp->rules[sp->nrules - 1].cond, &nv);
    for (size_t i = 0; i < nv; i++) {
        if (vars[i] == ITSM__CID_STATE || vars[i] == ITSM__CID_OPEN)
            sp->rule_state |= 1;
        else if (vars[i] == ITSM_F_UPDATED_AT)
            sp->rule_state |= 2;   /* every event sets it, no change names it */
        else if (vars[i] >= 0 && vars[i] < (int)ITSM_F__COUNT)
            sp->rule_fields |= (uint64_t)1 << (unsigned)vars[i];
        else if (itsm__field_custom(vars[i]))
            sp->rule_fields |= ITSM__FSET_CUSTOM;
    }
    return ITSM_OK;
}

const itsm__sla *itsm__sla_by_rule(const itsm__slapol *sp, const itsm_record *r)
{
    itsm__cond_subject sub = { r, NULL };
    for (size_t i = 0; i < sp->nrules; i++)
        if (itsm__cond_eval(sp->rules[i].cond, itsm__cond_record_get, &sub))
            return &sp->slas[sp->rules[i].sla];
    return NULL;
}

/* The rules read the record's fields (rule_fields, one bit for every
 * custom field), its state (a transition or an opening may change it),
 * updated_at (every event) and its policy version's rules (a move). */
void itsm__sla_rule_before(itsm_record *r, const itsm_event *ev)
{
    itsm__slarec *s = itsm__sr(r);
    const itsm__slapol *sp = itsm__sl(itsm__rec_policy(r));
    if ((ev->fset & sp->rule_fields) || (sp->rule_state & 2) || ((sp->rule_state & 1) && ev->type == ITSM__EV_TRANSITION) ||
        ev->pv != r->pv)
        s->flags &= ~ITSM__SF_RULE_KEPT;
}

void itsm__sla_rule_after(itsm_record *r)
{
    itsm__slarec *s = itsm__sr(r);
    const itsm__slapol *sp = itsm__sl(itsm__rec_policy(r));
    if (!sp->nrules) {
        s->flags &= ~(uint32_t)ITSM__SF_RULE_EVERY;   /* moved to a version without rules */
        return;
    }
    if (s->flags & ITSM__SF_RULE_KEPT)
        return;
    const itsm__sla *sla = itsm__sla_by_rule(sp, r);
    uint32_t chosen = sla ? (uint32_t)(sla - sp->slas) + 1 : 0;   /* <= ITSM_MAX_SLAS */
    s->flags = (s->flags & ((1u << ITSM__SF_RULE_SHIFT) - 1) & ~(uint32_t)ITSM__SF_RULE_EVERY) | ITSM__SF_RULE_KEPT |
               ((sp->rule_state & 2) ? ITSM__SF_RULE_EVERY : 0u) | chosen << ITSM__SF_RULE_SHIFT;
}

const itsm__sla *itsm__sla_by_rule_kept(const itsm__slapol *sp, const itsm_record *r)
{
    const itsm__slarec *s = itsm__sr(r);
    if (!s || !(s->flags & ITSM__SF_RULE_KEPT))
        return itsm__sla_by_rule(sp, r);
    uint32_t chosen = s->flags >> ITSM__SF_RULE_SHIFT;
    const itsm__sla *kept = chosen ? &sp->slas[chosen - 1] : NULL;
#ifdef ITSM_CHECK_REPLAN
    /* The debug build: the kept choice is what the rules say now. */
    if (kept != itsm__sla_by_rule(sp, r)) {
        itsm__err(r->eng, ITSM_EINVAL, "kept SLA rule choice of %s is wrong: %s, the rules say %s", r->id,
                  kept ? kept->name : "none", itsm__sla_by_rule(sp, r) ? itsm__sla_by_rule(sp, r)->name : "none");
        __builtin_trap();
    }
#endif
    return kept;
}

const char *itsm__route_by_rule(const itsm__slapol *sp, const itsm_record *r, const itsm_event *ev)
{
    itsm__cond_view v = { r, ev };
    for (size_t i = 0; i < sp->nwroutes; i++)
        if (itsm__cond_eval(sp->wroutes[i].cond, itsm__cond_view_get, &v))
            return sp->wroutes[i].group;
    return NULL;
}
