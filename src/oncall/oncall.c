/* SPDX-License-Identifier: Apache-2.0 */
/* The on-call climb (itsm/oncall.h): escalation policies chosen when an
 * incident opens, pages step by step at each acknowledge timeout (fired by
 * the tick), acknowledgement, exhaustion; the capability's hooks. The
 * events and their JSON: oncall_events.c; alert intake: alert.c. */
#include "oncall/oncall_int.h"
#include "sla/sla_int.h"
#include "core/abi.h"
#include "kit/json.h"

#include <string.h>

#define SLOT(f) (itsm__fields[f].slot)
#define NUM(r, f) itsm__rec_num((r), SLOT(f))

/* ---- engine state ---- */

static int engine_init(itsm_engine *eng)
{
    itsm__oceng *oe = itsm__calloc(&eng->alloc, 1, sizeof *oe);
    if (!oe)
        return ITSM_ENOMEM;
    itsm__ptrmap_init(&oe->recs);
    itsm__ptrmap_init(&oe->keys);
    itsm__ptrmap_init(&oe->groups);
    eng->cap[ITSM__CAP_ONCALL] = oe;
    itsm__cap_watch_kinds(eng, ITSM__CAP_ONCALL, 0);   /* nothing pages yet: set_status */
    return ITSM_OK;
}

static void map_free(itsm_engine *eng, itsm__ptrmap *m)
{
    for (size_t i = 0; i < m->n; i++)
        itsm__free(&eng->alloc, m->v[i]);
    itsm__ptrmap_free(m, &eng->alloc);
}

static void engine_free(itsm_engine *eng)
{
    itsm__oceng *oe = itsm__oce(eng);
    if (!oe)
        return;
    map_free(eng, &oe->recs);
    map_free(eng, &oe->keys);
    map_free(eng, &oe->groups);
    itsm__free(&eng->alloc, oe);
    eng->cap[ITSM__CAP_ONCALL] = NULL;
}

itsm__ocrec *itsm__oc_rec(const itsm_engine *eng, const itsm_record *r)
{
    const itsm__oceng *oe = itsm__oce(eng);
    return oe && oe->recs.n ? itsm__ptrmap_get(&oe->recs, r) : NULL;
}

int itsm__oc_live(const itsm_engine *eng, const itsm_record *r)
{
    if (itsm__lc_is_closed(itsm__lifecycle_of(eng, r->kind), r->state))
        return 0;
    return !itsm__sr(r) || !itsm__state_is_stop(eng, r, r->state);
}


/* The service levels' re-plan reads the flag (sla/sla.c). */
static void set_paged(itsm_record *r, int on)
{
    itsm__slarec *s = itsm__sr(r);
    if (!s)
        return;
    if (on)
        s->flags |= ITSM__SF_PAGED;
    else
        s->flags &= ~ITSM__SF_PAGED;
}

/* The escalation policy of a climb in the engine's policy (NULL: the
 * policy in force has none of that name). */
static const itsm__ocpol *pol_of(const itsm_engine *eng, const itsm__ocrec *o, int *ix)
{
    const itsm__ocsect *s = itsm__ocs(eng->policy);
    int i = o->pol >= 0 && (size_t)o->pol < s->n && strcmp(s->pols[o->pol].name, o->polname) == 0
                ? o->pol
                : itsm__oc_find(s, o->polname);
    if (ix)
        *ix = i;
    return i < 0 ? NULL : &s->pols[i];
}

/* A climb whose policy the policy in force lacks waits for a page by hand. */
itsm_time itsm__oncall_due(const itsm_engine *eng, const itsm_record *r)
{
    const itsm__ocrec *o = itsm__oc_rec(eng, r);
    return o && o->status == ITSM_ONCALL_PAGING && pol_of(eng, o, NULL) ? o->due : ITSM_TIME_NONE;
}

/* ---- applying the events (called by their classes) ---- */

static void set_status(itsm_engine *eng, itsm__oceng *oe, itsm__ocrec *o, int status)
{
    size_t was = oe->paging;
    if (o->status == ITSM_ONCALL_PAGING)
        oe->paging--;
    if (status == ITSM_ONCALL_PAGING)
        oe->paging++;
    o->status = (uint8_t)status;
    /* after_apply stops a climb when its incident settles: the incidents'
     * events reach it only while some climb runs. */
    if (!was != !oe->paging)
        itsm__cap_watch_kinds(eng, ITSM__CAP_ONCALL, oe->paging ? 1u << ITSM_KIND_INCIDENT : 0u);
}

/* The record's entry: the one in the map, else the event's reserved one,
 * put in the map. */
static itsm__ocrec *take_rec(itsm_engine *eng, itsm_event *ev, itsm__ocev *x)
{
    itsm__oceng *oe = itsm__oce(eng);
    itsm__ocrec *o = itsm__oc_rec(eng, ev->rec);
    if (o)
        return o;
    o = x->fresh;
    x->fresh = NULL;
    memset(o, 0, sizeof *o);
    o->rec = ev->rec;
    o->pol = -1;
    o->due = o->acked_at = ITSM_TIME_NONE;
    itsm__ptrmap_put(&oe->recs, o);
    return o;
}

static void apply_page(itsm_engine *eng, itsm_event *ev, itsm__ocev *x)
{
    itsm__oceng *oe = itsm__oce(eng);
    itsm__ocrec *o = take_rec(eng, ev, x);
    if (x->step == 1 && x->round == 1) {   /* a new climb */
        o->acked_by = NULL;
        o->acked_at = ITSM_TIME_NONE;
    }
    o->pol = x->pol;
    o->polname = x->polname;
    o->step = (uint8_t)x->step;
    o->round = (uint8_t)x->round;
    o->due = x->due;
    o->pages++;
    set_status(eng, oe, o, ITSM_ONCALL_PAGING);
    set_paged(ev->rec, 1);
}

static void apply_ack(itsm_engine *eng, itsm_event *ev, itsm__ocev *x)
{
    itsm__ocrec *o = take_rec(eng, ev, x);
    set_status(eng, itsm__oce(eng), o, ITSM_ONCALL_ACKNOWLEDGED);
    set_paged(ev->rec, 0);
    o->acked_by = x->by;
    o->acked_at = ev->at;
    o->due = ITSM_TIME_NONE;
}

static void apply_exhausted(itsm_engine *eng, itsm_event *ev, itsm__ocev *x)
{
    itsm__ocrec *o = take_rec(eng, ev, x);
    set_status(eng, itsm__oce(eng), o, ITSM_ONCALL_EXHAUSTED);
    set_paged(ev->rec, 0);
    o->due = ITSM_TIME_NONE;
}

void itsm__oc_apply(itsm_engine *eng, itsm_event *ev)
{
    itsm__ocev *x = ev->ext;
    switch (x->cls) {
    case ITSM__OC_PAGE: apply_page(eng, ev, x); break;
    case ITSM__OC_ACK: apply_ack(eng, ev, x); break;
    case ITSM__OC_EXHAUSTED: apply_exhausted(eng, ev, x); break;
    case ITSM__OC_ALERT: take_rec(eng, ev, x)->alerts = x->count; itsm__oc_alert_apply(eng, ev, x); break;
    default: break;
    }
}

/* ---- hooks ---- */

/* Room for everything apply will need: an entry per record without one,
 * index entries (alert.c). */
static int reserve(itsm_engine *eng)
{
    if (!(eng->batch_types & (1u << ITSM__EV_EXT)))
        return ITSM_OK;   /* watched for after_apply's transitions; only our events need room */
    itsm__oceng *oe = itsm__oce(eng);
    size_t k = 0;
    for (size_t i = 0; i < eng->nbatch; i++) {
        itsm_event *ev = &eng->batch[i];
        if (ev->type != ITSM__EV_EXT || !ev->cls || ev->cls < &itsm__occlasses[0] ||
            ev->cls >= &itsm__occlasses[ITSM__OC_COUNT])
            continue;
        itsm__ocev *x = ev->ext;
        k += 3;
        if (!x->fresh && !itsm__oc_rec(eng, ev->rec) && !(x->fresh = itsm__calloc(&eng->alloc, 1, sizeof *x->fresh)))
            return itsm__oom(eng);
        if (x->cls == ITSM__OC_ALERT && itsm__oc_alert_reserve(eng, ev, x))
            return itsm__oom(eng);
    }
    if (!k)
        return ITSM_OK;
    if (itsm__ptrmap_reserve(&oe->recs, &eng->alloc, k) || itsm__ptrmap_reserve(&oe->keys, &eng->alloc, k) ||
        itsm__ptrmap_reserve(&oe->groups, &eng->alloc, k))
        return itsm__oom(eng);
    return ITSM_OK;
}

/* A climb stops when its incident leaves the open, clock-running states. */
static void after_apply(itsm_engine *eng, itsm_event *ev)
{
    itsm__oceng *oe = itsm__oce(eng);
    if (!oe->paging || ev->type != ITSM__EV_TRANSITION)
        return;
    itsm__ocrec *o = itsm__oc_rec(eng, ev->rec);
    if (o && o->status == ITSM_ONCALL_PAGING && !itsm__oc_live(eng, ev->rec)) {
        set_status(eng, oe, o, ITSM_ONCALL_STOPPED);
        set_paged(ev->rec, 0);
        o->due = ITSM_TIME_NONE;
    }
}

/* The escalation policy of a new incident (rules in itsm/oncall.h); -1: none. */
static int policy_for(const itsm_engine *eng, const itsm_record *r, const itsm_event *ev)
{
    const itsm__ocsect *s = itsm__ocs(eng->policy);
    const char *svc = itsm__view_str(r, ev, ITSM_F_SERVICE);
    int64_t prio = itsm__view_num(r, ev, ITSM_F_PRIORITY);
    if (prio < 1 || prio > 5)
        prio = 5;
    for (size_t i = 0; i < s->n; i++) {
        const itsm__ocpol *o = &s->pols[i];
        if (prio > o->max_priority)
            continue;
        int ok = !o->nservices;
        for (size_t k = 0; k < o->nservices && !ok; k++)
            ok = svc && strcmp(o->services[k], svc) == 0;
        if (ok)
            return (int)i;
    }
    return -1;
}

/* Add the page of step `step` (1-based) of round `round` to the batch. */
static int add_page(itsm_engine *eng, itsm_record *r, int pol, unsigned step, unsigned round, itsm_time at)
{
    const itsm__ocpol *o = &itsm__ocs(eng->policy)->pols[pol];
    const itsm__ocstep *st = &o->steps[step - 1];
    itsm__ocev *x;
    if (!itsm__oc_event(eng, ITSM__OC_PAGE, r, at, &x))
        return ITSM_ENOMEM;
    x->pol = pol;
    if (!(x->polname = itsm__intern(eng, o->name, strlen(o->name))))
        return itsm__oom(eng);
    x->step = step;
    x->round = round;
    x->due = at + st->timeout;
    if (x->due > ITSM_TIME_MAX)
        x->due = ITSM_TIME_MAX;
    for (size_t t = 0; t < st->ntargets; t++)
        if (!(x->targets[x->ntargets++] = itsm__intern(eng, st->targets[t], strlen(st->targets[t]))))
            return itsm__oom(eng);
    return ITSM_OK;
}

/* No escalation policies under the policy: no page to send (extend_idle,
 * for an opening, where the core then calls no extend). */
static int extend_idle(const itsm_engine *eng, const itsm_event *ev)
{
    (void)ev;
    return !itsm__ocs(eng->policy)->n;
}

/* A new incident under an escalation policy pages its step 1. */
static int extend(itsm_engine *eng, size_t n0)
{
    if (!itsm__ocs(eng->policy)->n)
        return ITSM_OK;
    for (size_t i = 0; i < n0; i++) {
        itsm_event *ev = &eng->batch[i];
        if (ev->type != ITSM__EV_OPEN || ev->rec->kind != ITSM_KIND_INCIDENT)
            continue;
        int pol = policy_for(eng, NULL, ev);
        int rc;
        if (pol >= 0 && (rc = add_page(eng, ev->rec, pol, 1, 1, ev->at)))
            return rc;
    }
    return ITSM_OK;
}

/* ---- the tick ---- */

int itsm__oncall_fire(itsm_engine *eng, itsm_record *r, itsm_time at)
{
    const itsm__ocrec *o = itsm__oc_rec(eng, r);
    int pix;
    const itsm__ocpol *pol = o ? pol_of(eng, o, &pix) : NULL;
    if (!pol)
        return ITSM_OK;   /* the policy in force has no such escalation policy: page by hand */
    if (o->step < pol->nsteps)
        return add_page(eng, r, pix, o->step + 1u, o->round, at);
    if (o->round <= pol->repeat)
        return add_page(eng, r, pix, 1, o->round + 1u, at);
    itsm__ocev *x;
    if (!itsm__oc_event(eng, ITSM__OC_EXHAUSTED, r, at, &x))
        return ITSM_ENOMEM;
    x->pol = pix;
    x->polname = o->polname;
    x->round = o->round;
    return ITSM_OK;
}

/* ---- calls ---- */

static int incident_arg(itsm_record *r)
{
    if (r->kind != ITSM_KIND_INCIDENT)
        return itsm__err(r->eng, ITSM_EINVAL, "%s is a %s: only incidents are paged", r->id,
                         itsm_kind_name((itsm_kind)r->kind));
    return ITSM_OK;
}

int itsm_oncall_page(itsm_record *r, const char *name)
{
    if (!r)
        return ITSM_EINVAL;
    itsm_engine *eng = r->eng;
    int rc = itsm__check_entry(eng);
    if (rc)
        return rc;
    if (!name)
        return itsm__err(eng, ITSM_EINVAL, "the escalation policy name is NULL");
    if ((rc = incident_arg(r)))
        return rc;
    int pol = itsm__oc_find(itsm__ocs(eng->policy), name);
    if (pol < 0)
        return itsm__err(eng, ITSM_ENOTFOUND, "the policy has no escalation policy '%.64s'", name);
    if (!itsm__oc_live(eng, r))
        return itsm__err(eng, ITSM_ESTATE, "%s is '%s': only an open, unresolved incident is paged", r->id,
                         itsm__lifecycle_of(eng, r->kind)->states[r->state]);
    const itsm__ocrec *o = itsm__oc_rec(eng, r);
    if (o && o->status == ITSM_ONCALL_PAGING)
        return itsm__err(eng, ITSM_EEXISTS, "%s is being paged already (step %u of escalation policy '%s')", r->id,
                         o->step, o->polname);
    itsm_time at;
    if ((rc = itsm__now(eng, &at)))
        return rc;
    itsm__batch_begin(eng);
    if ((rc = add_page(eng, r, pol, 1, 1, at))) {
        itsm__batch_abort(eng);
        return rc;
    }
    return itsm__batch_commit(eng);
}

int itsm_oncall_acknowledge(itsm_record *r, const char *by)
{
    if (!r)
        return ITSM_EINVAL;
    itsm_engine *eng = r->eng;
    int rc = itsm__check_entry(eng);
    if (rc)
        return rc;
    const char *who;
    if ((rc = incident_arg(r)) || (rc = itsm__symbol_arg(eng, by, "the acknowledging name", &who)))
        return rc;
    const itsm__ocrec *o = itsm__oc_rec(eng, r);
    if (!o || o->pol < 0)
        return itsm__err(eng, ITSM_ESTATE, "%s was never paged: there is nothing to acknowledge", r->id);
    const itsm__ocpol *pol = pol_of(eng, o, NULL);
    if (!pol || !itsm__oc_is_target(pol, who))
        return itsm__err(eng, ITSM_EINVAL, "%.64s is not a target of escalation policy '%s'", who, o->polname);
    if (o->status == ITSM_ONCALL_ACKNOWLEDGED)
        return itsm__err(eng, ITSM_EEXISTS, "%s was acknowledged by %s already", r->id, o->acked_by);
    if (o->status == ITSM_ONCALL_STOPPED)
        return itsm__err(eng, ITSM_ESTATE, "%s was resolved while paged: the climb has stopped", r->id);
    itsm_time at;
    if ((rc = itsm__now(eng, &at)))
        return rc;
    itsm__batch_begin(eng);
    itsm__ocev *x;
    if (!itsm__oc_event(eng, ITSM__OC_ACK, r, at, &x)) {
        itsm__batch_abort(eng);
        return ITSM_ENOMEM;
    }
    x->by = who;
    x->step = o->step;
    x->round = o->round;
    return itsm__batch_commit(eng);
}

int itsm_record_oncall(itsm_oncall_info *out, const itsm_record *r)
{
    int rc = ITSM__REC_OUT(r, out, itsm_oncall_info, acked_at, "itsm_record_oncall");
    if (rc)
        return rc;
    const itsm__ocrec *o = itsm__oc_rec(r->eng, r);
    if (!o || o->pol < 0)   /* an answer, not a failure: the engine's message stays */
        return ITSM_ENOTFOUND;
    itsm_oncall_info full = { sizeof full, (itsm_oncall_status)o->status,
                              o->polname, o->step, o->round, o->pages,
                              o->due, o->acked_by, o->acked_at };
    itsm__sized_put(out, out->size, &full);
    return ITSM_OK;
}

uint32_t itsm_record_alert_count(const itsm_record *r)
{
    if (!r)
        return 0;
    const itsm__ocrec *o = itsm__oc_rec(r->eng, r);
    return o ? o->alerts : 0;
}

/* ---- the capability ---- */

static const itsm__evclass *const classes[] = { &itsm__occlasses[ITSM__OC_PAGE], &itsm__occlasses[ITSM__OC_ACK],
                                                &itsm__occlasses[ITSM__OC_EXHAUSTED],
                                                &itsm__occlasses[ITSM__OC_ALERT], NULL };

const itsm__capability itsm__cap_oncall = {
    .name = "oncall",
    .policy_keys = itsm__oc_policy_keys,
    .policy_new = itsm__oc_policy_new,
    .policy_free = itsm__oc_policy_free,
    .policy_clone = itsm__oc_policy_clone,
    .policy_read = itsm__oc_policy_read,
    .policy_write = itsm__oc_policy_write,
    .policy_check = itsm__oc_policy_check,
    .engine_init = engine_init,
    .engine_free = engine_free,
    .extend_types = 1u << ITSM__EV_OPEN,
    .extend = extend,
    .extend_idle = extend_idle,
    .extend_idle_policy = 1,   /* the policy's escalation policies alone */
    .watch_types = (1u << ITSM__EV_EXT) | (1u << ITSM__EV_TRANSITION),
    .reserve_own_classes = 1,
    .reserve = reserve,
    .after_apply = after_apply,
    .classes = classes,
};
