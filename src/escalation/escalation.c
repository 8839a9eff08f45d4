/* SPDX-License-Identifier: Apache-2.0 */
/* The escalation capability: routing at open, functional escalation (to
 * the next support level and group) and hierarchical escalation (up the
 * management ladder), DESIGN.md section 5. Each mutation is one step. */
#include "sla/sla_int.h"
#include "core/core.h"
#include "kit/json.h"

#include <stdio.h>
#include <string.h>

#define SLOT(f) (itsm__fields[f].slot)
#define NUM(r, f) itsm__rec_num((r), SLOT(f))
#define STR(r, f) (itsm__rec_str((r), SLOT(f)))

/* ---- functional ---- */

int itsm_record_escalate(itsm_record *r, int level, const char *group, const char *tried)
{
    if (!r)
        return ITSM_EINVAL;
    itsm_engine *eng = r->eng;
    itsm_time at;
    int rc = itsm__xstep_begin(r, &at, "escalate");
    if (rc || (rc = itsm__text_arg(eng, tried, "a note of what was tried")))
        return rc;
    /* Escalating hands the work to the next level; a resolved record has
     * none until it is reopened (and would lose its first-contact
     * resolution to a step after the fact). */
    if (itsm__state_is_stop(eng, r, r->state))
        return itsm__err(eng, ITSM_ESTATE, "%s is '%s': reopen it to escalate it", r->id, itsm_record_state(r));
    int64_t cur = NUM(r, ITSM_F_FUNCTIONAL_LEVEL);
    if (cur < 1)
        cur = 1;
    if (!level && cur >= 3)
        return itsm__err(eng, ITSM_ELIMIT, "%s is already at functional level 3", r->id);
    int64_t to = level ? level : cur + 1;
    if (to <= cur || to > 3)
        return itsm__err(eng, ITSM_EINVAL, "functional level must rise from %lld to at most 3 (got %d)",
                         (long long)cur, level);
    const char *g = NULL;
    if (group) {
        if ((rc = itsm__symbol_arg(eng, group, "group", &g)))
            return rc;
    } else {
        const char *routed = itsm_policy_route(eng->policy, STR(r, ITSM_F_CATEGORY), STR(r, ITSM_F_SERVICE));
        if (routed && !(g = itsm__intern(eng, routed, strlen(routed))))
            return itsm__oom(eng);
        if (!g)
            g = STR(r, ITSM_F_ASSIGNMENT_GROUP);
    }
    if (!g)
        return itsm__err(eng, ITSM_EINVAL, "escalating %s needs a group: none given, routed or assigned", r->id);
    /* Seed 002: an incident the desk cannot resolve "must then be
     * dispatched to the appropriate technical support partner. Prior to
     * disconnecting the customer, the Service Desk must assign the
     * appropriate priority": the next level works it by that priority. */
    if (r->kind == ITSM_KIND_INCIDENT && NUM(r, ITSM_F_PRIORITY) < 1)
        return itsm__err(eng, ITSM_ESTATE, "%s has no priority: the service desk gives it one (impact and urgency) "
                         "before dispatching it to level %lld", r->id, (long long)to);
    itsm_event *ev;
    itsm__xev *x;
    if ((rc = itsm__xstep_one(r, ITSM__X_FUNCTIONAL, at, &ev, &x)))
        return rc;
    x->num = to;
    x->sym[0] = g;
    if (!(x->text = itsm__strdup(&eng->alloc, tried)))
        return itsm__xstep_fail(eng, itsm__oom(eng));
    /* The move is proposed like any change; it counts one reassignment
     * even when the group stays or is the first (DESIGN 5: escalating
     * counts a reassignment), once however the fields move. */
    ev->reassigns = 1;
    if ((rc = itsm__propose_num(eng, ev, ITSM_F_FUNCTIONAL_LEVEL, to, ITSM__BY_ENGINE)) ||
        (rc = itsm__propose_str(eng, ev, ITSM_F_ASSIGNMENT_GROUP, g, strlen(g), ITSM__BY_ENGINE)))
        return itsm__xstep_fail(eng, rc);
    return itsm__batch_commit(eng);
}

int itsm_record_first_contact_resolution(const itsm_record *r)
{
    if (!r || NUM(r, ITSM_F_RESOLVED_AT) == ITSM_TIME_NONE)
        return 0;
    /* A reopen says the first fix did not hold: the call was not resolved
     * at first contact, whatever came after (the report counts alike). A
     * major incident was handed to the major incident team (seed 001),
     * not resolved at the desk, even when no group change counted. */
    return NUM(r, ITSM_F_FUNCTIONAL_LEVEL) <= 1 && NUM(r, ITSM_F_REASSIGNMENTS) == 0 && NUM(r, ITSM_F_REOPENS) == 0 &&
           !NUM(r, ITSM_F_MAJOR);
}

/* ---- hierarchical ---- */

int itsm_record_escalate_hierarchical(itsm_record *r, const char *reason)
{
    if (!r)
        return ITSM_EINVAL;
    itsm_engine *eng = r->eng;
    itsm_time at;
    int rc = itsm__xstep_begin(r, &at, "escalate");
    if (rc || (rc = itsm__text_arg(eng, reason, "the reason for escalating")))
        return rc;
    /* A manager is told of work still owed; a resolved record owes none
     * until it is reopened (the ladder's own climbs stop with its clocks). */
    if (itsm__state_is_stop(eng, r, r->state))
        return itsm__err(eng, ITSM_ESTATE, "%s is '%s': reopen it to escalate it", r->id, itsm_record_state(r));
    if (!itsm__ladder_audience(eng, (int)NUM(r, ITSM_F_HIERARCHICAL_LEVEL) + 1))
        return itsm__err(eng, ITSM_ELIMIT, "%s is already at the top of the escalation ladder", r->id);
    itsm__batch_begin(eng);
    if ((rc = itsm__add_step(eng, r, at, "manual", reason)))
        return itsm__xstep_fail(eng, rc);
    return itsm__batch_commit(eng);
}

const char *itsm_record_escalation_audience(const itsm_record *r)
{
    return r ? itsm__ladder_audience(r->eng, (int)NUM(r, ITSM_F_HIERARCHICAL_LEVEL)) : NULL;
}

/* ---- the ladder ---- */

const char *itsm__ladder_audience(const itsm_engine *eng, int level)
{
    const itsm__slapol *sp = itsm__sl(eng->policy);
    if (level < 1 || (size_t)level > sp->nladder)
        return NULL;
    return sp->ladder[level - 1];
}

/* The audience `aud` of ladder level `level` as interned: once per level
 * and policy version, not per step (a breach's step asks on every climb). */
static const char *ladder_sym(itsm_engine *eng, int level, const char *aud)
{
    itsm__slaeng *se = itsm__se(eng);
    if (se->ladder_policy != eng->policy) {
        memset(se->ladder_sym, 0, sizeof se->ladder_sym);
        se->ladder_policy = eng->policy;
    }
    const char **k = &se->ladder_sym[level - 1];
    if (!*k)
        *k = itsm__intern_stable(eng, aud);
    return *k;
}

int itsm__add_step(itsm_engine *eng, itsm_record *r, itsm_time at, const char *reason, const char *note)
{
    int64_t level = NUM(r, ITSM_F_HIERARCHICAL_LEVEL) + 1;
    const char *aud = itsm__ladder_audience(eng, (int)level);
    if (!aud)
        return itsm__err(eng, ITSM_ELIMIT, "%s is already at the top of the escalation ladder (level %lld)",
                         r->id, (long long)(level - 1));
    itsm__xev *x;
    itsm_event *ev = itsm__xev_add_in(eng, ITSM__X_STEP, r, at, &x);
    if (!ev)
        return ITSM_ENOMEM;
    x->num = level;
    /* the policy's ladder name and the library's reason: stable pointers */
    if (!(x->sym[0] = ladder_sym(eng, (int)level, aud)) || !(x->sym[1] = itsm__intern_literal(eng, reason)))
        return itsm__oom(eng);
    if (note && !(x->text = itsm__strdup(&eng->alloc, note)))
        return itsm__oom(eng);
    return itsm__propose_num_engine(eng, ev, ITSM_F_HIERARCHICAL_LEVEL, level);
}

/* ---- routing: first time right ---- */

/* An incident or a service request without a group gets the policy's
 * route (seed 003 categorises "all incidents, whether general requests or
 * issues to be fixed", to pass each to the right person first time) - the first route
 * by condition that holds, else the table's for its category and service -
 * proposed on the step that opens it, or on the step that categorises it
 * (gives or changes its category or service) while it still has no group
 * and is open and unresolved: logged first and categorised a minute later,
 * it goes to the right group first time too (seed 003). A group the step
 * sets itself, or one the incident has, is never replaced. */
static int route_now(itsm_engine *eng, const itsm_event *ev)
{
    itsm_record *r = ev->rec;
    if (!r || (r->kind != ITSM_KIND_INCIDENT && r->kind != ITSM_KIND_SERVICE_REQUEST) ||
        itsm__ev_has(ev, ITSM_F_ASSIGNMENT_GROUP))
        return 0;
    if (ev->type == ITSM__EV_OPEN)
        return 1;
    if (ev->type == ITSM__EV_EXT || (!itsm__ev_has(ev, ITSM_F_CATEGORY) && !itsm__ev_has(ev, ITSM_F_SERVICE)) ||
        STR(r, ITSM_F_ASSIGNMENT_GROUP))
        return 0;
    int after = ev->type == ITSM__EV_TRANSITION ? ev->to_state : (int)r->state;
    return itsm__state_is_live(eng, r, after);
}

/* No routes under the policy: nothing to assign (extend_idle). */
static int extend_idle(const itsm_engine *eng, const itsm_event *ev)
{
    (void)ev;
    const itsm__slapol *sp = itsm__sl(eng->policy);
    return !sp->nroutes && !sp->nwroutes;
}

static int extend(itsm_engine *eng, size_t n0)
{
    const itsm__slapol *sp = itsm__sl(eng->policy);
    if (!sp->nroutes && !sp->nwroutes)
        return ITSM_OK;
    for (size_t i = 0; i < n0; i++) {
        itsm_event *ev = &eng->batch[i];
        if (!route_now(eng, ev))
            continue;
        itsm_record *r = ev->rec;
        const char *g = sp->nwroutes ? itsm__route_by_rule(sp, r, ev) : NULL;
        if (!g)
            g = itsm_policy_route(eng->policy, itsm__view_str(r, ev, ITSM_F_CATEGORY),
                                  itsm__view_str(r, ev, ITSM_F_SERVICE));
        int rc;
        if (g && (rc = itsm__propose_str(eng, ev, ITSM_F_ASSIGNMENT_GROUP, g, strlen(g), ITSM__BY_ENGINE)))
            return rc;
    }
    return ITSM_OK;
}

static const itsm__evclass *const classes[] = { &itsm__xclasses[ITSM__X_STEP], &itsm__xclasses[ITSM__X_FUNCTIONAL],
                                                NULL };

const itsm__capability itsm__cap_escalation = {
    .name = "escalation",
    /* an incident opened, or one categorised */
    .extend_types = 1u << ITSM__EV_OPEN,
    .extend_fields = ((uint64_t)1 << ITSM_F_CATEGORY) | ((uint64_t)1 << ITSM_F_SERVICE),
    .extend = extend,
    .extend_idle = extend_idle,
    .extend_idle_policy = 1,   /* the policy's routes alone */
    .classes = classes,
};
