/* SPDX-License-Identifier: Apache-2.0 */
/* The communication capability: the audience of updates, known outages
 * (new incidents on the service link to them), DESIGN.md section 7. The
 * update cadence is a timer of the service levels (sla/). */
#include "sla/sla_int.h"
#include "core/core.h"
#include "kit/json.h"

#include <stdio.h>
#include <string.h>

#define SLOT(f) (itsm__fields[f].slot)
#define NUM(r, f) itsm__rec_num((r), SLOT(f))
#define STR(r, f) (itsm__rec_str((r), SLOT(f)))

/* ---- communication ---- */

itsm_audience itsm_record_audience(const itsm_record *r)
{
    if (!r)
        return ITSM_AUDIENCE_NONE;
    int64_t p = NUM(r, ITSM_F_PRIORITY);
    if (p < 1 || p > 5)
        return ITSM_AUDIENCE_NONE;
    /* The record's version, as the cadence this audience goes with: a
     * version adopted later applies from the record's next event. */
    return p <= itsm__sl(itsm__rec_policy(r))->broadcast_max_priority ? ITSM_AUDIENCE_BROADCAST
                                                                      : ITSM_AUDIENCE_CALLERS;
}

itsm_record *itsm_engine_outage(itsm_engine *eng, const char *service)
{
    if (!eng || !service)
        return NULL;
    for (size_t i = 0; i < itsm__se(eng)->noutages; i++)
        if (strcmp(itsm__se(eng)->outages[i].service, service) == 0)
            return itsm__se(eng)->outages[i].rec;
    return NULL;
}

/* The service whose known outage `r` holds (the one it was declared on:
 * the outage stays there when the record moves); NULL if none. */
static const char *held_outage(const itsm_engine *eng, const itsm_record *r)
{
    for (size_t i = 0; i < itsm__se(eng)->noutages; i++)
        if (itsm__se(eng)->outages[i].rec == r)
            return itsm__se(eng)->outages[i].service;
    return NULL;
}

int itsm_outage_declare(itsm_record *r, itsm_time eta, itsm_time next_update)
{
    if (!r)
        return ITSM_EINVAL;
    itsm_engine *eng = r->eng;
    itsm_time at;
    int rc = itsm__xstep_begin(r, &at, "declare an outage on");
    if (rc)
        return rc;
    /* An outage is a service down, reported as an incident (DESIGN 6): a
     * request asks for something, it restores nothing and links nothing. */
    if (r->kind != ITSM_KIND_INCIDENT)
        return itsm__err(eng, ITSM_ESTATE, "only an incident declares a known outage: %s is a %s", r->id,
                         itsm_kind_name((itsm_kind)r->kind));
    const char *svc = STR(r, ITSM_F_SERVICE);
    if (!svc)
        return itsm__err(eng, ITSM_EINVAL, "%s has no service to declare an outage on", r->id);
    /* The notice tells the customers both (seed 002), as a customer update
     * does: say which is missing, not that "-1" is out of range. */
    if (eta == ITSM_TIME_NONE)
        return itsm__err(eng, ITSM_EINVAL, "a known outage's notice needs the expected restoration time");
    if (next_update == ITSM_TIME_NONE)
        return itsm__err(eng, ITSM_EINVAL, "a known outage's notice needs the next update time");
    if ((rc = itsm__check_time(eng, eta, "expected restoration time")) ||
        (rc = itsm__check_time(eng, next_update, "next update time")))
        return rc;
    if (next_update <= at)
        return itsm__err(eng, ITSM_EINVAL, "the next update time must be after the notice itself");
    /* Only a record whose clocks run holds an outage: one resolving ends
     * it, so a resolved one would take the notice and hold nothing (a
     * closed one is refused above). */
    if (itsm__state_is_stop(eng, r, r->state))
        return itsm__err(eng, ITSM_ESTATE, "%s is '%s': only an open, unresolved record holds a known outage",
                         r->id, itsm_record_state(r));
    if (itsm_engine_outage(eng, svc))
        return itsm__err(eng, ITSM_EEXISTS, "service '%s' already has a known outage", svc);
    /* One at a time: a record moved off the service of its outage and
     * declaring again would hold two, and its restoration end only one -
     * leaving the other service down for good, with nobody to end it. */
    const char *held = held_outage(eng, r);
    if (held)
        return itsm__err(eng, ITSM_EEXISTS, "%s holds the known outage of service '%s': end it first", r->id, held);
    itsm_event *ev;
    itsm__xev *x;
    if ((rc = itsm__xstep_one(r, ITSM__X_OUTAGE, at, &ev, &x)))
        return rc;
    x->sym[0] = svc;
    x->t1 = eta;
    x->t2 = next_update;
    return itsm__batch_commit(eng);
}

int itsm_outage_end(itsm_record *r)
{
    if (!r)
        return ITSM_EINVAL;
    itsm_time at;
    int rc = itsm__xstep_begin(r, &at, "end the outage of");
    if (rc)
        return rc;
    if (!(itsm__sr(r)->flags & ITSM__SF_OUTAGE))
        return itsm__err(r->eng, ITSM_ESTATE, "%s is not a declared outage", r->id);
    itsm_event *ev;
    itsm__xev *x;
    /* The service it was declared on, which the record may have left:
     * the host's status page shows that one back (seed 002). */
    const char *svc = held_outage(r->eng, r);
    if ((rc = itsm__xstep_one(r, ITSM__X_OUTAGE_END, at, &ev, &x)))
        return rc;
    x->sym[0] = svc ? svc : STR(r, ITSM_F_SERVICE);
    return itsm__batch_commit(r->eng);
}

/* ---- derived: a new incident on a service with a known outage links to it ---- */

static itsm_record *outage_for(const itsm_engine *eng, const char *service)
{
    const itsm__slaeng *se = itsm__se(eng);
    if (!service)
        return NULL;
    for (size_t i = 0; i < se->noutages; i++)
        if (se->outages[i].service == service)   /* interned */
            return se->outages[i].rec;
    return NULL;
}

static int linked_to(const itsm_record *r, const itsm_record *o)
{
    for (uint32_t l = 0; l < r->x->nlinks; l++)
        if (r->x->links[l].kind == ITSM_LINK_RELATED && r->x->links[l].target == o)
            return 1;
    return 0;
}

/* An incident opened on the service, or given it (logged first and
 * categorised a minute later, or moved from another service), links to
 * the service's known outage while it is open and not resolved. */
static int extend(itsm_engine *eng, size_t n0)
{
    if (!itsm__se(eng)->noutages)
        return ITSM_OK;
    for (size_t i = 0; i < n0; i++) {
        itsm_event *ev = &eng->batch[i];
        itsm_record *r = ev->rec;
        if (!r || r->kind != ITSM_KIND_INCIDENT)
            continue;
        int opening = ev->type == ITSM__EV_OPEN;
        if (!opening && !(ev->type != ITSM__EV_EXT && itsm__ev_has(ev, ITSM_F_SERVICE)))
            continue;
        itsm_record *o = outage_for(eng, itsm__view_str(r, ev, ITSM_F_SERVICE));
        if (!o || o == r)
            continue;
        if (!opening) {
            int after = ev->type == ITSM__EV_TRANSITION ? ev->to_state : r->state;
            if (!itsm__state_is_live(eng, r, after) || linked_to(r, o))
                continue;
        }
        /* A step dated before the outage record's last event (a log
         * replayed case by case) is not linked: the link would be refused
         * as before that record's time, and the step with it. */
        if (ev->at < NUM(o, ITSM_F_UPDATED_AT))
            continue;
        int rc = itsm__batch_link(eng, r, ITSM_LINK_RELATED, o, ev->at);
        if (rc)
            return rc;
    }
    return ITSM_OK;
}

static const itsm__evclass *const classes[] = { &itsm__xclasses[ITSM__X_OVERDUE], &itsm__xclasses[ITSM__X_OUTAGE],
                                                &itsm__xclasses[ITSM__X_OUTAGE_END], NULL };

const itsm__capability itsm__cap_communication = {
    .name = "communication",
    /* an incident opened on a service (one opened on none has no
     * outage), or one given a service */
    .extend_open_fields = (uint64_t)1 << ITSM_F_SERVICE,
    .extend_fields = (uint64_t)1 << ITSM_F_SERVICE,
    .extend = extend,
    .classes = classes,
};
