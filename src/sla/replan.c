/* SPDX-License-Identifier: Apache-2.0 */
/* The whole re-plan after an event (replan_short.c tries the short forms
 * first): the record's place in the open list, the breadth index and the
 * outages, the OLA group, the next update, which clocks run and hold, and
 * the schedule. Every step is a function of the record as it now is, so
 * replay rebuilds the same state. */
#include "sla/plan.h"
#include "handover/handover_int.h"

static int has_knowledge_link(const itsm_record *r)
{
    for (uint32_t i = 0; i < r->x->nlinks; i++)
        if (r->x->links[i].kind == ITSM_LINK_RELATED && r->x->links[i].target->kind == ITSM_KIND_KNOWLEDGE)
            return 1;
    return 0;
}

static void open_list_remove(itsm__slaeng *se, itsm_record **se_recs, itsm_record *r)
{
    itsm__slarec *s = itsm__sr(r);
    if (!(s->flags & ITSM__SF_OPEN_LISTED))
        return;
    itsm_record **recs = se_recs;
    if (s->prev != ITSM__NIL) itsm__sr(recs[s->prev])->next = s->next; else se->oldest = s->next == ITSM__NIL ? NULL : recs[s->next];
    if (s->next != ITSM__NIL) itsm__sr(recs[s->next])->prev = s->prev; else se->newest = s->prev == ITSM__NIL ? NULL : recs[s->prev];
    s->prev = s->next = ITSM__NIL;
    s->flags &= ~ITSM__SF_OPEN_LISTED;
    se->nopen--;
}

static void outage_remove(itsm__slaeng *se, itsm_record *r)
{
    for (size_t i = 0; i < se->noutages; i++)
        if (se->outages[i].rec == r) {
            memmove(&se->outages[i], &se->outages[i + 1], (se->noutages - i - 1) * sizeof *se->outages);
            se->noutages--;
            return;
        }
}

uint32_t itsm__svc_find(const itsm__slaeng *se, const char *service)
{
    if (se && service)
        for (size_t i = 0; i < se->nsvc; i++)
            if (se->svc[i].service == service)   /* interned */
                return (uint32_t)i;
    return ITSM__NIL;
}

/* Breadth index: count the incident on the service it is open on (open,
 * not in a stop state: `live`), or on none. Room was reserved. */
static void svc_update(itsm_engine *eng, itsm_record *r, int live)
{
    itsm__slaeng *se = itsm__se(eng);
    itsm__slarec *s = itsm__sr(r);
    const char *svc = STR(r, ITSM_F_SERVICE);
    uint32_t want = ITSM__NIL;
    int counted = r->kind == ITSM_KIND_INCIDENT && live && svc;
    if (counted && (want = itsm__svc_find(se, svc)) == ITSM__NIL) {
        want = (uint32_t)se->nsvc++;
        se->svc[want].service = svc;
        se->svc[want].open = se->svc[want].proposed = 0;
        se->svc[want].first = ITSM__NIL;
    }
    if (want == s->svc)
        return;
    if (s->svc != ITSM__NIL) {
        itsm__svccount *c = &se->svc[s->svc];
        c->open--;
        if (c->first == s->idx)
            c->first = ITSM__NIL;
        if (!c->open) {
            c->first = ITSM__NIL;
            c->proposed = 0;
        }
    }
    if (want != ITSM__NIL) {
        itsm__svccount *c = &se->svc[want];
        if (!c->open++) {
            c->first = s->idx;
            c->proposed = 0;
        }
    }
    s->svc = want;
}

/* Aging exception list: open records whose resolution clock is paused or
 * has breached are not found through the deadline queue. Entries go stale
 * when a record stops qualifying; the aging query drops them. */
int itsm__sla_exc_qualifies(const itsm__slarec *s)
{
    return exc_qualifies(s);
}

/* After the bookkeeping above, whether the schedule can stay as
 * it is although replan_needed said look: a step between two open states
 * that stop no clock (hold, resume, assign, start), a hold reason that
 * pauses what the old one paused, a group change where the policy has no
 * OLAs. Then every input of earliest() is what it was at the last re-plan
 * - the clocks' run and hold flags (the caller compared them), the plan,
 * the next-update start, the flags and the agreements' instances (none
 * took a step) - and the clocks advanced to the event time, which is not
 * past next_fire: the due times stand (working time is additive). */
static int schedule_kept(const itsm_engine *eng, const itsm_event *ev, const itsm_record *r,
                         const itsm__slarec *s, int old_state, uint32_t old_flags, itsm_time old_nu, int agr_moved)
{
    if (ev->type == ITSM__EV_OPEN || ev->type == ITSM__EV_EXT || r == itsm__se(eng)->firing ||
        (ev->type == ITSM__EV_NOTE && ev->note.kind == ITSM_NOTE_CUSTOMER) || agr_moved ||
        (s->flags & (ITSM__SF_MOVED | ITSM__SF_RULE_EVERY)))
        return 0;
    const itsm__slapol *sp = itsm__sl(itsm__rec_policy(r));
    if ((ev->fset & (PLAN_FIELDS | sp->rule_fields)) || ((ev->fset & FBIT(ITSM_F_ASSIGNMENT_GROUP)) && sp->nolas) ||
        (sp->rule_state && old_state != (int)r->state))
        return 0;
    if (((s->flags ^ old_flags) & PLAN_FLAGS) || s->nu_at != old_nu)
        return 0;
    if (old_state != (int)r->state) {
        /* a stop state's auto-close timer counts from entering it */
        const itsm__lifecycle *lc = itsm__lifecycle_of(eng, r->kind);
        if (itsm__state_is_stop(eng, r, old_state) || itsm__state_is_stop(eng, r, r->state) ||
            itsm__lc_is_closed(lc, old_state) != itsm__lc_is_closed(lc, r->state))
            return 0;
    }
    return s->next_fire == ITSM_TIME_NONE || ev->at <= s->next_fire;
}

/* Whether the clocks' run flags, set at the record's last re-plan (or
 * found unchanged then), stand after this event: the plan (priority, SLA
 * by service, rule or version, OLA by group) has the same inputs, the
 * record is as live as it was (old_state's liveness: the state before the
 * event), and the response was not newly stamped. */
static int plan_kept(const itsm_engine *eng, const itsm_event *ev, const itsm_record *r, int old_state,
                     uint32_t old_flags, int live)
{
    if (ev->type == ITSM__EV_OPEN || ev->type == ITSM__EV_EXT || (old_flags & (ITSM__SF_MOVED | ITSM__SF_RULE_EVERY)))
        return 0;
    const itsm__slapol *sp = itsm__sl(itsm__rec_policy(r));
    if ((ev->fset & (PLAN_FIELDS | sp->rule_fields)) || ((ev->fset & FBIT(ITSM_F_ASSIGNMENT_GROUP)) && sp->nolas))
        return 0;
    if (old_state == (int)r->state)
        return 1;
    if (sp->rule_state)
        return 0;
    int was_live = !itsm__lc_is_closed(itsm__lifecycle_of(eng, r->kind), old_state) &&
                   !itsm__state_is_stop(eng, r, old_state);
    return was_live == live;
}

/* After an event the short forms did not take: the whole re-plan.
 * Agreements and SLA rules were evaluated (replan_short.c). */
void itsm__sla_replan_full(itsm_engine *eng, itsm_event *ev, itsm_record *r, itsm__slarec *s, int agr_moved)
{
    itsm__slaeng *se = itsm__se(eng);
    int old_state = s->state;
    uint32_t old_flags = s->flags;
    s->flags &= ~ITSM__SF_MOVED;
    itsm_time old_nu = s->nu_at;
    itsm_time at = ev->at;
    if (ev->type == ITSM__EV_OPEN) {
        s->idx = (uint32_t)(eng->nrecs - 1);
        s->since = s->state_since = at;
        s->state = r->state;
        s->prev = se->newest ? itsm__sr(se->newest)->idx : ITSM__NIL;
        s->next = ITSM__NIL;
        if (se->newest) itsm__sr(se->newest)->next = s->idx; else se->oldest = r;
        se->newest = r;
        s->flags |= ITSM__SF_OPEN_LISTED;
        se->nopen++;
    }
    if (at > s->since)
        s->since = at;
    /* The major incident's first phase counts from the acceptance of its
     * desk handover (seed 001), decided before or after it. */
    if (ev->type == ITSM__EV_EXT && itsm__handover_acknowledged_kind(ev) == ITSM_PACKET_DESK_TO_MAJOR) {
        s->desk_at = at;
        if (s->major_at != ITSM_TIME_NONE)
            s->major_at = at;
    }
    if (r->state != s->state) {
        /* Resolving with no knowledge decision and no linked article: a
         * knowledge candidate (the closure capability reads the flag). */
        const char *kd = STR(r, ITSM_F_KNOWLEDGE_DECISION);
        if (ev->type == ITSM__EV_TRANSITION && itsm__sl(itsm__rec_policy(r))->knowledge_candidate &&
            itsm__state_is_stop(eng, r, r->state) && !itsm__state_is_stop(eng, r, s->state) &&
            ((!kd && !has_knowledge_link(r)) || (kd && strcmp(kd, "candidate") == 0)))
            s->flags |= ITSM__SF_KB_CANDIDATE;
        s->state = r->state;
        s->state_since = at;
    }
    int open = is_open(eng, r), live = open && !itsm__state_is_stop(eng, r, r->state);
    if (!open)
        open_list_remove(se, eng->recs, r);
    svc_update(eng, r, live);
    if ((s->flags & ITSM__SF_OUTAGE) && !live) {
        s->flags &= ~ITSM__SF_OUTAGE;
        outage_remove(se, r);
    }
    /* OLA: a new group starts its own clock. */
    uint32_t g = r->sym[SLOT(ITSM_F_ASSIGNMENT_GROUP) - ITSM__NTEXT];
    if (g != s->ola_group) {
        memset(&s->ck[ITSM__CK_OLA], 0, sizeof s->ck[ITSM__CK_OLA]);
        s->ola_group = g;
    }
    /* Next update: starts with the first response; a customer update moves it. */
    if (s->nu_at == ITSM_TIME_NONE && NUM(r, ITSM_F_RESPONDED_AT) != ITSM_TIME_NONE) {
        s->nu_at = NUM(r, ITSM_F_RESPONDED_AT);
        s->flags &= ~ITSM__SF_NU_OVERDUE;
    }
    if (ev->type == ITSM__EV_NOTE && ev->note.kind == ITSM_NOTE_CUSTOMER) {
        s->nu_at = ev->note.next_update;
        s->flags |= ITSM__SF_NU_PROMISE;
        s->flags &= ~ITSM__SF_NU_OVERDUE;
        if (NUM(r, ITSM_F_MAJOR) && s->major_at != ITSM_TIME_NONE)
            s->flags |= ITSM__SF_MAJ_COMMS;
    }
    if (ev->type != ITSM__EV_EXT)
        s->flags &= ~ITSM__SF_AC_BLOCKED;
    unsigned mask = pause_mask_cached(eng, r);
    int clocks_changed = 0;
    plan p = { 0, NULL, NULL, NULL };
    int planned = !plan_kept(eng, ev, r, old_state, old_flags, live);
    if (!planned) {
        /* Which clocks run is as it was (same plan, same liveness, the
         * response not newly stamped): only the hold reason may pause
         * other ones. A running clock has a target under this plan. */
        for (int ck = 0; ck < ITSM__NCK; ck++) {
            itsm__clock *c = &s->ck[ck];
            uint8_t hold = (uint8_t)(c->run && (mask & (1u << ck)) != 0);
            clocks_changed |= hold != c->hold;
            c->hold = hold;
        }
        CHECK_CLOCKS(eng, r, "the clocks' plan is as it was");
        exc_list(se, s);
    } else {
        p = plan_of(eng, r);
        for (int ck = 0; ck < ITSM__NCK; ck++) {
            itsm__clock *c = &s->ck[ck];
            uint8_t run = (uint8_t)clock_runs(r, ck, &p, live);
            uint8_t hold = (uint8_t)(run && (mask & (1u << ck)) != 0);
            clocks_changed |= run != c->run || hold != c->hold;
            c->run = run;
            c->hold = hold;
        }
        if (!(s->flags & ITSM__SF_EXC_LISTED) && exc_qualifies(s) && plan_target(&p, ITSM__CK_RESOLUTION)) {
            s->flags |= ITSM__SF_EXC_LISTED;
            se->exc[se->nexc++] = s->idx;
        }
    }
    if (!clocks_changed && schedule_kept(eng, ev, r, s, old_state, old_flags, old_nu, agr_moved)) {
        CHECK_SKIPPED(eng, ev, r, "the plan's inputs are as they were");
        return;
    }
    if (!planned)
        p = plan_of(eng, r);
    if (plan_always(eng, &p))
        s->flags |= ITSM__SF_ALWAYS;
    else
        s->flags &= ~ITSM__SF_ALWAYS;
    if (planned_later(eng, ev, r))
        return;
    itsm__sla_schedule(eng, r, r == se->firing, &p);
}
