/* SPDX-License-Identifier: Apache-2.0 */
/* The major-incident capability: proposals by rule (priority, breadth)
 * and by hand, the decision, the first fifteen minutes' deadlines, and
 * children resolved with their parent (DESIGN.md section 6). */
#include "major/engaged.h"
#include "sla/sla_int.h"
#include "core/core.h"
#include "kit/json.h"

#include <stdio.h>
#include <string.h>

#define SLOT(f) (itsm__fields[f].slot)
#define NUM(r, f) itsm__rec_num((r), SLOT(f))
#define STR(r, f) (itsm__rec_str((r), SLOT(f)))

/* ---- major incidents ---- */

/* The running major incident `r` is a child of: an accepted one still open
 * and not restored; NULL if none. Its children are handled under it (a
 * child is no major incident itself, DESIGN 5). */
static const itsm_record *running_parent(const itsm_record *r)
{
    for (uint32_t l = 0; r->x && l < r->x->nlinks; l++) {
        const itsm_record *t = r->x->links[l].target;
        if (r->x->links[l].kind == ITSM_LINK_PARENT && t->kind == ITSM_KIND_INCIDENT && NUM(t, ITSM_F_MAJOR) &&
            itsm__state_is_live(t->eng, t, t->state))
            return t;
    }
    return NULL;
}

static int a_child(itsm_engine *eng, const itsm_record *r, const itsm_record *parent)
{
    return itsm__err(eng, ITSM_ESTATE,
                     "%s is a child of major incident %s: it is handled there, not as a major incident of its own",
                     r->id, parent->id);
}

itsm_major_state itsm_record_major_state(const itsm_record *r)
{
    if (!r)
        return ITSM_MAJOR_NONE;
    if (NUM(r, ITSM_F_MAJOR))
        return ITSM_MAJOR_ACCEPTED;
    if (!itsm__sr(r))
        return ITSM_MAJOR_NONE;
    if (itsm__sr(r)->flags & ITSM__SF_MAJ_PROPOSED)
        return ITSM_MAJOR_PROPOSED;
    if (itsm__sr(r)->flags & ITSM__SF_MAJ_REJECTED)
        return ITSM_MAJOR_REJECTED;
    return ITSM_MAJOR_NONE;
}

itsm_major_phase itsm_record_major_phase(const itsm_record *r)
{
    if (!r || !itsm__sr(r) || !NUM(r, ITSM_F_MAJOR) || itsm__sr(r)->major_at == ITSM_TIME_NONE)
        return ITSM_PHASE_NONE;
    const itsm_engine *eng = r->eng;
    if (!itsm__state_is_live(eng, r, r->state))
        return ITSM_PHASE_RESOLUTION;
    uint16_t both = ITSM__SF_MAJ_COMMS | ITSM__SF_MAJ_GROUPS;
    return (itsm__sr(r)->flags & both) == both ? ITSM_PHASE_POST : ITSM_PHASE_INITIAL;
}

int itsm_record_major_deadline(itsm_time *due, int *done, int *missed, const itsm_record *r, int which)
{
    if (!r)
        return ITSM_EINVAL;
    if (!due || !done || !missed)
        return itsm__err_const(r->eng, ITSM_EINVAL, "itsm_record_major_deadline: %s is NULL",
                               !due ? "due" : !done ? "done" : "missed");
    if (which != 0 && which != 1)
        return itsm__err_const(r->eng, ITSM_EINVAL, "deadline 'which' must be 0 (communication) or 1 (groups), not %d",
                               which);
    if (!itsm__sr(r) || !NUM(r, ITSM_F_MAJOR) || itsm__sr(r)->major_at == ITSM_TIME_NONE)
        return itsm__err_const(r->eng, ITSM_ESTATE, "%s is not an accepted major incident", r->id);
    const itsm__slapol *sp = itsm__sl(itsm__rec_policy(r));   /* the version its deadlines are judged under */
    *due = itsm__sr(r)->major_at + (which ? sp->major_groups_due : sp->major_comms_due);
    *done = (itsm__sr(r)->flags & (which ? ITSM__SF_MAJ_GROUPS : ITSM__SF_MAJ_COMMS)) != 0;
    *missed = (itsm__sr(r)->flags & (which ? ITSM__SF_MAJ_GROUPS_MISSED : ITSM__SF_MAJ_COMMS_MISSED)) != 0;
    return ITSM_OK;
}

int itsm_major_propose(itsm_record *r, const char *reason)
{
    if (!r)
        return ITSM_EINVAL;
    itsm_engine *eng = r->eng;
    itsm_time at;
    int rc = itsm__xstep_begin(r, &at, "propose");
    if (rc)
        return rc;
    /* As the rules propose incidents only: a request is never a major
     * incident (it would get the crisis phases and children). */
    if (r->kind != ITSM_KIND_INCIDENT)
        return itsm__err(eng, ITSM_ESTATE, "only incidents can be major incidents: %s is a %s", r->id,
                         itsm_kind_name((itsm_kind)r->kind));
    itsm_major_state st = itsm_record_major_state(r);
    if (st == ITSM_MAJOR_PROPOSED || st == ITSM_MAJOR_ACCEPTED)
        return itsm__err(eng, ITSM_EEXISTS, "%s is already %s as a major incident", r->id,
                         st == ITSM_MAJOR_PROPOSED ? "proposed" : "accepted");
    if (reason && (rc = itsm__text_arg(eng, reason, "the reason")))
        return rc;
    const itsm_record *parent = running_parent(r);
    if (parent)
        return a_child(eng, r, parent);
    itsm_event *ev;
    itsm__xev *x;
    if ((rc = itsm__xstep_one(r, ITSM__X_MAJ_PROPOSED, at, &ev, &x)))
        return rc;
    if (!(x->sym[0] = itsm__intern(eng, "manual", 6)) || (reason && !(x->text = itsm__strdup(&eng->alloc, reason))))
        return itsm__xstep_fail(eng, itsm__oom(eng));
    return itsm__batch_commit(eng);
}

int itsm_major_decide(itsm_record *r, int accept, const char *manager)
{
    if (!r)
        return ITSM_EINVAL;
    itsm_engine *eng = r->eng;
    itsm_time at;
    int rc = itsm__xstep_begin(r, &at, "decide on");
    if (rc)
        return rc;
    const char *m;
    if ((rc = itsm__symbol_arg(eng, manager, "the major incident manager", &m)))   /* arguments before state */
        return rc;
    if (itsm_record_major_state(r) != ITSM_MAJOR_PROPOSED)
        return itsm__err(eng, ITSM_ESTATE, "%s is not proposed as a major incident", r->id);
    const itsm_record *parent = accept ? running_parent(r) : NULL;   /* attached since: reject it */
    if (parent)
        return a_child(eng, r, parent);
    itsm_event *ev;
    itsm__xev *x;
    if ((rc = itsm__xstep_one(r, ITSM__X_MAJ_DECIDED, at, &ev, &x)))
        return rc;
    x->num = accept ? 1 : 0;
    x->sym[0] = m;
    if (accept && (rc = itsm__propose_num(eng, ev, ITSM_F_MAJOR, 1, ITSM__BY_ENGINE)))
        return itsm__xstep_fail(eng, rc);
    return itsm__batch_commit(eng);
}

static int accepted(itsm_record *r, itsm_time *at, const char *what)
{
    int rc = itsm__xstep_begin(r, at, what);
    if (rc)
        return rc;
    if (!NUM(r, ITSM_F_MAJOR) || itsm__sr(r)->major_at == ITSM_TIME_NONE)
        return itsm__err(r->eng, ITSM_ESTATE, "%s is not an accepted major incident", r->id);
    return ITSM_OK;
}

int itsm_major_communication_issued(itsm_record *r)
{
    if (!r)
        return ITSM_EINVAL;
    itsm_time at;
    itsm_event *ev;
    itsm__xev *x;
    int rc;
    if ((rc = accepted(r, &at, "issue communication for")) || (rc = itsm__xstep_one(r, ITSM__X_MAJ_COMMS, at, &ev, &x)))
        return rc;
    return itsm__batch_commit(r->eng);
}

int itsm_major_engage_groups(itsm_record *r, const char *const *groups, size_t n)
{
    if (!r)
        return ITSM_EINVAL;
    itsm_engine *eng = r->eng;
    itsm_time at;
    int rc;
    if ((rc = accepted(r, &at, "engage groups for")))
        return rc;
    if (!groups || n < 1 || n > ITSM__XSYMS - 2)
        return itsm__err(eng, ITSM_EINVAL, "engage 1..%d groups at a time", ITSM__XSYMS - 2);
    const char *g[ITSM__XSYMS];
    for (size_t i = 0; i < n; i++)
        if ((rc = itsm__symbol_arg(eng, groups[i], "a group", &g[i])))
            return rc;
    itsm_event *ev;
    itsm__xev *x;
    if ((rc = itsm__xstep_one(r, ITSM__X_MAJ_GROUPS, at, &ev, &x)))
        return rc;
    for (size_t i = 0; i < n; i++)
        x->sym[2 + x->nsym++] = g[i];
    return itsm__batch_commit(eng);
}

/* Only incidents are a major incident's children: anything else would be
 * resolved with the parent, bypassing its own process (a problem in
 * known_error, a change under review). */
static int not_an_incident(const itsm_record *parent, const itsm_record *child)
{
    return itsm__err(parent->eng, ITSM_EINVAL, "only incidents attach as children of a major incident: %s is a %s",
                     child->id, itsm_kind_name((itsm_kind)child->kind));
}

int itsm_major_attach(itsm_record *parent, itsm_record *child)
{
    if (!parent)
        return ITSM_EINVAL;
    itsm_time at;
    int rc;
    if (!child || child->eng != parent->eng)   /* arguments before state */
        return itsm__err(parent->eng, ITSM_EINVAL, "the child is NULL or belongs to another engine");
    if (child->kind != ITSM_KIND_INCIDENT)
        return not_an_incident(parent, child);
    if ((rc = accepted(parent, &at, "attach to")))
        return rc;
    return itsm_record_link(parent, ITSM_LINK_CHILD, child);
}

/* ---- derived: proposals by rule, children resolved with their parent ---- */

static int major_decided(const itsm_record *r, const itsm_event *ev)
{
    const itsm__slarec *s = itsm__sr(r);
    uint32_t fl = s ? s->flags : 0;
    return (s && s->major_at != ITSM_TIME_NONE) || (fl & (ITSM__SF_MAJ_PROPOSED | ITSM__SF_MAJ_REJECTED)) ||
           (ev ? itsm__view_num(r, ev, ITSM_F_MAJOR) : NUM(r, ITSM_F_MAJOR));
}

static int in_batch(const itsm_engine *eng, size_t upto, int cls, const itsm_record *r)
{
    for (size_t i = 0; i < upto; i++) {
        const itsm_event *e = &eng->batch[i];
        if (e->rec == r && e->type == ITSM__EV_EXT && e->ext && ((itsm__xev *)e->ext)->cls == cls)
            return 1;
    }
    return 0;
}

/* Major incident by rule: priority at or above the threshold. */
static int by_priority(itsm_engine *eng, size_t i)
{
    const itsm__slapol *sp = itsm__sl(eng->policy);
    itsm_event *ev = &eng->batch[i];
    itsm_record *r = ev->rec;
    int64_t p = itsm__view_num(r, ev, ITSM_F_PRIORITY);
    /* Not for a step that closes the record (canceled with impact 1): a
     * closed record cannot be proposed by hand either. */
    int st = ev->type == ITSM__EV_OPEN || ev->type == ITSM__EV_TRANSITION ? ev->to_state : r->state;
    int closes = itsm__lc_is_closed(itsm__lifecycle_of(eng, r->kind), st);
    if (p < 1 || p > sp->major_priority || closes || major_decided(r, ev) ||
        in_batch(eng, eng->nbatch, ITSM__X_MAJ_PROPOSED, r) || running_parent(r))
        return ITSM_OK;
    itsm__xev *x;
    if (!itsm__xev_add(eng, ITSM__X_MAJ_PROPOSED, r, ev->at, &x))
        return ITSM_ENOMEM;
    return (x->sym[0] = itsm__intern(eng, "priority", 8)) ? ITSM_OK : itsm__oom(eng);
}

/* Major incident by rule: impact breadth. An incident that joins a
 * service's open incidents (opened on it, or moved to it, and open and not
 * in a stop state after the event: a resolved incident moved onto a service
 * does not join) and brings their count to the threshold proposes the
 * incident that started the run (the first still open; else itself), once
 * per run. */
static int by_breadth(itsm_engine *eng, size_t i)
{
    const itsm__slapol *sp = itsm__sl(eng->policy);
    itsm__slaeng *se = itsm__se(eng);
    itsm_event *ev = &eng->batch[i];
    itsm_record *r = ev->rec;
    const char *svc = itsm__view_str(r, ev, ITSM_F_SERVICE);
    if (!svc)
        return ITSM_OK;   /* on no service: it joins no run (the reads below are for one) */
    uint32_t slot = itsm__svc_find(se, svc);
    const itsm__svccount *c = slot != ITSM__NIL ? &se->svc[slot] : NULL;
    int st = ev->type == ITSM__EV_OPEN || ev->type == ITSM__EV_TRANSITION ? ev->to_state : r->state;
    int live = itsm__state_is_live(eng, r, st);
    int joins = live && (!itsm__sr(r) || itsm__sr(r)->svc != slot || slot == ITSM__NIL);
    uint32_t count = (c ? c->open : 0) + 1;
    if (!joins || (c && c->proposed) || count < sp->major_breadth)
        return ITSM_OK;
    itsm_record *t = c && c->first != ITSM__NIL ? eng->recs[c->first] : r;
    if (major_decided(t, t == r ? ev : NULL) || in_batch(eng, eng->nbatch, ITSM__X_MAJ_PROPOSED, t) ||
        running_parent(t))
        return ITSM_OK;
    /* A step dated before the first incident's last event (a log replayed
     * case by case) leaves it: its proposal would be refused as before its
     * record's time, and the host's own step with it. A later step on the
     * service proposes it. */
    if (t != r && ev->at < itsm__rec_num(t, SLOT(ITSM_F_UPDATED_AT)))
        return ITSM_OK;
    itsm__xev *x;
    char note[320];
    snprintf(note, sizeof note, "%lu open incidents on %.255s", (unsigned long)count, svc);
    if (!itsm__xev_add(eng, ITSM__X_MAJ_PROPOSED, t, ev->at, &x))
        return ITSM_ENOMEM;
    if (!(x->sym[0] = itsm__intern(eng, "breadth", 7)) || !(x->text = itsm__strdup(&eng->alloc, note)))
        return itsm__oom(eng);
    return ITSM_OK;
}

/* Resolving an accepted major incident resolves its open children, with
 * its resolution code and notes. */
/* What a major incident takes as a child, past its kind: an open incident
 * that is no major incident itself and no other major incident's child
 * (resolving either parent would resolve it, each with its own
 * resolution). */
static int attachable(itsm_engine *eng, const itsm_record *parent, const itsm_record *child)
{
    /* Its children resolve when it resolves: one attached afterwards would
     * stay open under a parent whose resolution it never gets. */
    if (itsm__lc_is_closed(itsm__lifecycle_of(eng, parent->kind), parent->state) ||
        itsm__state_is_stop(eng, parent, parent->state))
        return itsm__err(eng, ITSM_ESTATE,
                         "major incident %s is %s: children attach before it resolves (reopen it, or link %s as related)",
                         parent->id, itsm_record_state(parent), child->id);
    if (NUM(child, ITSM_F_MAJOR))
        return itsm__err(eng, ITSM_ESTATE, "%s is a major incident itself: it does not attach as a child of %s",
                         child->id, parent->id);
    if (itsm__lc_is_closed(itsm__lifecycle_of(eng, child->kind), child->state))
        return itsm__err(eng, ITSM_ESTATE, "%s is %s: a closed incident does not attach to major incident %s",
                         child->id, itsm_record_state(child), parent->id);
    for (uint32_t l = 0; l < child->x->nlinks; l++) {
        const itsm_record *other = child->x->links[l].target;
        if (child->x->links[l].kind == ITSM_LINK_PARENT && other != parent && other->kind == ITSM_KIND_INCIDENT &&
            NUM(other, ITSM_F_MAJOR))
            return itsm__err(eng, ITSM_EEXISTS, "%s is already a child of major incident %s", child->id, other->id);
    }
    return ITSM_OK;
}

static int children(itsm_engine *eng, size_t i)
{
    itsm_event *ev = &eng->batch[i];
    itsm_record *r = ev->rec;
    const char *code = itsm__view_str(r, ev, ITSM_F_RESOLUTION_CODE);
    const char *notes = itsm__view_str(r, ev, ITSM_F_RESOLUTION_NOTES);
    const char *evname = ev->ev_name;
    itsm_time at = ev->at;
    int rc = ITSM_OK;
    for (uint32_t l = 0; l < r->x->nlinks && !rc; l++) {
        if (r->x->links[l].kind != ITSM_LINK_CHILD)
            continue;
        itsm_record *ch = (itsm_record *)(uintptr_t)r->x->links[l].target;
        if (ch->kind != ITSM_KIND_INCIDENT)
            continue;   /* linked before the rule (a replayed store): it keeps its own process */
        if (!itsm__state_is_live(eng, ch, ch->state))
            continue;   /* already resolved or closed */
        const itsm__lifecycle *lc = itsm__lifecycle_of(eng, ch->kind);
        /* The policy's parent_resolved role where the child's state has a
         * step on it (the default lifecycle: from every open state), else
         * the parent's own event. */
        const char *name = itsm__role_event(eng, ch->kind, ITSM_ROLE_PARENT_RESOLVED);
        int e = name ? itsm__lc_event(lc, name) : -1;
        if (e < 0 || !itsm__lc_find(lc, ch->state, e)) {
            name = evname;
            e = itsm__lc_event(lc, name);
        }
        if (e < 0 || !itsm__lc_find(lc, ch->state, e))
            continue;
        /* Never before the child's last event (a log replayed case by
         * case, the clock going back between cases): as a late timer, the
         * child resolves at that event's time, and the parent's step is
         * not refused for it. */
        itsm_time last = NUM(ch, ITSM_F_UPDATED_AT);
        itsm_change chg[2] = { { ITSM_F_RESOLUTION_CODE, code, 0 }, { ITSM_F_RESOLUTION_NOTES, notes, 0 } };
        rc = itsm__batch_fire(ch, name, chg, 2, last > at ? last : at);
    }
    return rc;
}

__attribute__((noinline)) static int extend_rules(itsm_engine *eng, size_t n0)
{
    const itsm__slapol *sp = itsm__sl(eng->policy);
    int rc = ITSM_OK;
    for (size_t i = 0; i < n0 && !rc; i++) {
        itsm_event *ev = &eng->batch[i];
        itsm_record *r = ev->rec;
        /* A child link however it is made (itsm_record_link from either
         * side): an accepted major incident takes incidents only. */
        if (ev->type == ITSM__EV_LINK) {
            if (ev->link_kind == ITSM_LINK_CHILD && r->kind == ITSM_KIND_INCIDENT && NUM(r, ITSM_F_MAJOR))
                rc = ev->target->kind != ITSM_KIND_INCIDENT ? not_an_incident(r, ev->target)
                                                            : attachable(eng, r, ev->target);
            continue;
        }
        if (!r || r->kind != ITSM_KIND_INCIDENT || ev->type == ITSM__EV_EXT)
            continue;
        if (!itsm__sr(r) && ev->type != ITSM__EV_OPEN)
            continue;
        if (sp->major_priority && itsm__ev_has(ev, ITSM_F_PRIORITY) && (rc = by_priority(eng, i)))
            break;
        ev = &eng->batch[i];   /* the batch may have moved */
        /* an opening's service is its event's: one opened on none joins no run */
        if (sp->major_breadth && itsm__ev_has(ev, ITSM_F_SERVICE) &&
            (rc = by_breadth(eng, i)))
            break;
        ev = &eng->batch[i];
        if (ev->type == ITSM__EV_TRANSITION && itsm__view_num(r, ev, ITSM_F_MAJOR) &&   /* most are not */
            itsm__state_is_stop(eng, r, ev->to_state) && !itsm__state_is_stop(eng, r, r->state))
            rc = children(eng, i);
    }
    return rc;
}

/* Whether the priority and breadth rules have nothing to do for `ev`,
 * which carries a priority or a service: its priority (if any) is one the
 * rule does not propose at (most incidents: the default proposes at 1
 * only; by_priority's first test), and it carries no service under a
 * breadth rule. */
static inline int rules_idle(const itsm_engine *eng, const itsm_event *ev)
{
    const itsm__slapol *sp = itsm__sl(eng->policy);   /* the rules' policy (extend_rules) */
    if (sp->major_breadth && itsm__ev_has(ev, ITSM_F_SERVICE))
        return 0;
    if (!sp->major_priority || !itsm__ev_has(ev, ITSM_F_PRIORITY))
        return 1;
    /* An opening of itsm_record_open whose changes are all in its record
     * (ev->written, itsm__propose_open) has its priority there: no walk of
     * its changes; else the view (derived last: found first). */
    int64_t p = ev->type == ITSM__EV_OPEN && ev->written == ev->nchanges
                    ? itsm__rec_num(ev->rec, ITSM__SLOT_PRIORITY)
                    : itsm__view_num(ev->rec, ev, ITSM_F_PRIORITY);
    return p < 1 || p > sp->major_priority;
}

/* The usual call: a batch of one event that is no link, whose priority
 * (if it carries one) proposes nothing, that carries no service under a
 * breadth rule, and, for a lifecycle step (most are a resolve or a close:
 * the settling hook), on a record that is no major incident: no rule of
 * extend_rules has anything to do (extend_idle: such a step commits
 * without calling extend; extend's own test, for openings and updates
 * too, makes no frame). */
static int extend_idle(const itsm_engine *eng, const itsm_event *ev)
{
    if (ev->type == ITSM__EV_LINK ||
        ((ev->fset & (((uint64_t)1 << ITSM_F_PRIORITY) | ((uint64_t)1 << ITSM_F_SERVICE))) && !rules_idle(eng, ev)))
        return 0;
    /* the major flag as the step leaves it: the record's slot unless the
     * step changes it (fset; itsm__view_num would walk its changes) */
    _Static_assert(ITSM_F_MAJOR < 63, "the major flag has an fset bit");
    return ev->type != ITSM__EV_TRANSITION ||
           !(itsm__ev_has(ev, ITSM_F_MAJOR) ? itsm__view_num(ev->rec, ev, ITSM_F_MAJOR)
                                             : itsm__rec_num(ev->rec, ITSM__SLOT_MAJOR));
}

/* extend_idle for an opening whose priority is in its record, as a test
 * the core makes inline (capability.h: extend_idle_open): no service
 * under a breadth rule, and a priority the priority rule does not propose
 * at (rules_idle; an opening is no link, nor a major incident's step). */
static int extend_idle_open(const itsm_engine *eng, itsm__idle_open *f)
{
    const itsm__slapol *sp = itsm__sl(eng->policy);
    _Static_assert(ITSM_F_SERVICE < 64 && ITSM_F_PRIORITY < 64, "fset bits");
    f->busy = sp->major_breadth ? (uint64_t)1 << ITSM_F_SERVICE : 0;
    f->field = ITSM_F_PRIORITY;
    f->idle = UINT16_MAX;   /* p < 1 (none given too) || p > major_priority (rules_idle) */
    if (sp->major_priority > 0)
        f->idle = (uint16_t)(1u | 0xffffu << (unsigned)(sp->major_priority + 1));   /* 1..5 */
    return 1;
}

static int extend(itsm_engine *eng, size_t n0)
{
    if (n0 == 1 && extend_idle(eng, &eng->batch[0]))
        return ITSM_OK;
    return extend_rules(eng, n0);
}

static const itsm__evclass *const classes[] = {
    &itsm__xclasses[ITSM__X_MAJ_PROPOSED], &itsm__xclasses[ITSM__X_MAJ_DECIDED], &itsm__xclasses[ITSM__X_MAJ_COMMS],
    &itsm__xclasses[ITSM__X_MAJ_GROUPS], &itsm__xclasses[ITSM__X_MAJ_MISSED], NULL
};

const itsm__capability itsm__cap_major = {
    .name = "major_incidents",
    /* a priority or service that may make a major incident, a child link,
     * a major incident resolving its children (an opening with neither a
     * priority nor a service makes none: no type bit for openings) */
    .extend_types = (1u << ITSM__EV_LINK) | ITSM__EVB_SETTLING,
    .extend_fields = ((uint64_t)1 << ITSM_F_PRIORITY) | ((uint64_t)1 << ITSM_F_SERVICE),
    .extend = extend,
    .extend_idle = extend_idle,
    /* extend_idle's 1 for a step on a record that is no major incident,
     * changing no priority, service or major flag: tested by the core */
    .extend_idle_unset = (uint64_t)1 << ITSM_F_MAJOR,
    .extend_idle_unchanged = ((uint64_t)1 << ITSM_F_PRIORITY) | ((uint64_t)1 << ITSM_F_SERVICE),
    .extend_idle_open = extend_idle_open,
    /* the groups each major incident engaged (major/engaged.c) */
    .engine_init = itsm__major_engine_init,
    .engine_free = itsm__major_engine_free,
    .watch_types = 1u << ITSM__EV_EXT,
    .reserve_own_classes = 1,
    .reserve = itsm__major_engaged_reserve,   /* applied with the event (sla_events.c) */
    .classes = classes,
};
