/* SPDX-License-Identifier: Apache-2.0 */
/* The whole re-plan after an event (replan_short.c tries the short forms
 * first): the record's place in the open list, the breadth index and the
 * outages, the OLA group, the next update, which clocks run and hold, and
 * the schedule. Every step is a function of the record as it now is, so
 * replay rebuilds the same state. */
#include "sla/plan.h"
#include "handover/handover_int.h"
#include "review/review_int.h"

static int has_knowledge_link(const itsm_record *r)
{
    for (uint32_t i = 0; i < r->x->nlinks; i++)
        if (r->x->links[i].kind == ITSM_LINK_RELATED && r->x->links[i].target->kind == ITSM_KIND_KNOWLEDGE)
            return 1;
    return 0;
}

/* Resolving with no knowledge decision and no linked article: a
 * knowledge candidate (the closure capability reads the flag). */
void itsm__sla_kb_resolved(const itsm_record *r, itsm__slarec *s, const itsm__slapol *sp)
{
    if (!sp->knowledge_candidate)
        return;
    const char *kd = STR(r, ITSM_F_KNOWLEDGE_DECISION);
    if ((!kd && !has_knowledge_link(r)) || (kd && strcmp(kd, "candidate") == 0))
        s->flags |= ITSM__SF_KB_CANDIDATE;
}

void itsm__sla_open_list_remove(itsm__slaeng *se, itsm_record **se_recs, itsm_record *r)
{
    open_list_unlink(se, se_recs, itsm__sr(r));
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

/* An opening's first steps: the record's place, its state since the
 * event, and the open list's end. `untied`: the caller found the list's
 * newest record opened at another time than `r` (then no id is compared:
 * no call). */
__attribute__((always_inline)) static inline void opened_in(itsm_engine *eng, itsm_record *r, itsm__slarec *s,
                                                            int state, itsm_time at, const int untied)
{
    itsm__slaeng *se = itsm__se(eng);
    s->idx = (uint32_t)(eng->nrecs - 1);
    s->since = s->state_since = at;
    s->state = (uint8_t)state;
    s->prev = se->newest ? itsm__sr(se->newest)->idx : ITSM__NIL;
    s->next = ITSM__NIL;
    if (se->newest) itsm__sr(se->newest)->next = s->idx; else se->oldest = r;
    /* Records open in time order on one engine; one opened earlier
     * elsewhere and caught up on now is out of place, and the aging
     * query (which reads the list oldest first) sorts it once. */
    if (se->newest && (untied ? itsm__rec_num(se->newest, ITSM__SLOT_OPENED_AT) > NUM(r, ITSM_F_OPENED_AT)
                              : itsm__sla_opened_after(se->newest, r)))
        se->open_unsorted = 1;
    se->newest = r;
    s->flags |= ITSM__SF_OPEN_LISTED;
    se->nopen++;
}
__attribute__((always_inline)) static inline void opened(itsm_engine *eng, itsm_record *r, itsm__slarec *s,
                                                         int state, itsm_time at)
{
    opened_in(eng, r, s, state, at, 0);
}

/* After an event the short forms did not take: the whole re-plan.
 * Agreements and SLA rules were evaluated (replan_short.c); `sp` is the
 * record's version's policy. It and the states' table are read once:
 * the byte stores below would make the compiler read them again at each
 * use. `type` is ev->type, a constant for an opening (itsm__sla_replan_full),
 * so that its copy folds what only other events read. */
__attribute__((always_inline)) static inline void replan_full(itsm_engine *eng, itsm_event *ev, itsm_record *r,
                                                              itsm__slarec *s, const itsm__slapol *sp,
                                                              int agr_moved, const int type)
{
    itsm__slaeng *se = itsm__se(eng);
    /* each state open or not, a stop state or not (found for the engine's
     * policy: after_apply_rest) */
    const uint8_t *states = se->live_state[r->kind];
    const int state = r->state;
    int old_state = s->state;
    uint32_t old_flags = s->flags;
    s->flags &= ~ITSM__SF_MOVED;
    itsm_time old_nu = s->nu_at;
    itsm_time at = ev->at;
    if (type == ITSM__EV_OPEN) {
        opened(eng, r, s, state, at);
        old_state = state;
    }
    if (at > s->since)
        s->since = at;
    /* The major incident's first phase counts from the acceptance of its
     * desk handover (seed 001), decided before or after it: the first one,
     * when the team took the incident over. A later desk handover on it
     * sends more facts; it does not restart the 15 minutes (a late phase
     * would look on time and a missed deadline would fire again). */
    if (type == ITSM__EV_EXT && s->desk_at == ITSM_TIME_NONE &&
        itsm__handover_acknowledged_kind(ev) == ITSM_PACKET_DESK_TO_MAJOR) {
        s->desk_at = at;
        /* Its deadlines move with it: one that fired before counts again
         * from here (the missed event keeps the due time it had). */
        if (s->major_at != ITSM_TIME_NONE) {
            s->major_at = at;
            s->flags &= ~(uint32_t)(ITSM__SF_MAJ_COMMS_MISSED | ITSM__SF_MAJ_GROUPS_MISSED);
        }
    }
    unsigned now = states[state];
    int stop = (now & ITSM__ST_STOP) != 0, open = (now & ITSM__ST_OPEN) != 0, live = now == ITSM__ST_OPEN;
    /* the state before the event: the same, or as open and as stopped */
    int was_stop = stop, was_open = open;
    if (state != old_state) {
        unsigned was = states[old_state];
        was_stop = (was & ITSM__ST_STOP) != 0;
        was_open = (was & ITSM__ST_OPEN) != 0;
        if (type == ITSM__EV_TRANSITION && stop && !was_stop)
            itsm__sla_kb_resolved(r, s, sp);
        s->state = (uint8_t)state;
        s->state_since = at;
    }
    if (!open)
        itsm__sla_open_list_remove(se, eng->recs, r);
    /* counted on no service, and to be on none (svc_update's own test):
     * most records, without the call */
    if (s->svc != ITSM__NIL || (live && r->kind == ITSM_KIND_INCIDENT && STR(r, ITSM_F_SERVICE)))
        svc_update(eng, r, live);
    if ((s->flags & ITSM__SF_OUTAGE) && !live) {
        s->flags &= ~ITSM__SF_OUTAGE;
        outage_remove(se, r);
    }
    ola_follow_group(r, s);
    /* Next update: starts with the first response; a major incident's
     * initial communication is an update to the customers, so the next is
     * owed a cadence after it (DESIGN 5: the post 15 minutes phase has
     * updates at the cadence); a customer update moves it. */
    itsm_time responded = NUM(r, ITSM_F_RESPONDED_AT);
    if (type == ITSM__EV_EXT && ev->ext && ((const itsm__xev *)ev->ext)->cls == ITSM__X_MAJ_COMMS && live)
        itsm__nu_owed(s, at, 0);
    else if (nu_to_start(r, s))
        /* owed a cadence after the response, or after the priority that
         * came later: the time before it had one is not counted */
        itsm__nu_owed(s, (ev->fset & FBIT(ITSM_F_PRIORITY)) && at > responded ? at : responded, 0);
    /* Back from a stop state (a reopen): nothing was owed while it stood
     * resolved, so the next update is owed at the cadence from now, not at
     * the due time or promise from before. */
    if (was_stop && live && s->nu_at != ITSM_TIME_NONE)
        itsm__nu_owed(s, at, 0);
    int customer = type == ITSM__EV_NOTE && ev->note.kind == ITSM_NOTE_CUSTOMER;
    if (customer)
        itsm__customers_told(r, s, at, ev->note.eta, ev->note.next_update);
    if (type != ITSM__EV_EXT)
        s->flags &= ~ITSM__SF_AC_BLOCKED;
    /* The plan (priority, SLA by service, rule or version, OLA by group)
     * has the inputs it had at the record's last re-plan. */
    int same_inputs = type != ITSM__EV_OPEN && type != ITSM__EV_EXT &&
                      !(ev->fset & (PLAN_FIELDS | sp->rule_fields)) &&
                      !((ev->fset & FBIT(ITSM_F_ASSIGNMENT_GROUP)) && sp->nolas);
    /* Which clocks run and hold, as bit sets (bit ck). They run as they
     * did (set at the record's last re-plan, or found unchanged then) when
     * the plan has the same inputs, the record is as live as it was and
     * the response was not newly stamped (PLAN_FIELDS): only the hold
     * reason may pause other ones. A running clock has a target under
     * this plan. Else they are planned afresh. */
    unsigned mask = pause_mask_cached(eng, r), was_runs = run_bits(s), runs = was_runs;
    plan p = { 0, NULL, NULL, NULL };
    int planned = !same_inputs || (old_flags & (ITSM__SF_MOVED | ITSM__SF_RULE_EVERY)) ||
                  (state != old_state && (sp->rule_state || (was_open && !was_stop) != live));
    if (planned) {
        p = plan_in(r, s, sp);
        runs = 0;
        if (live) {
            runs |= (unsigned)(plan_target(&p, ITSM__CK_RESPONSE) > 0 && responded == ITSM_TIME_NONE);
            runs |= (unsigned)(plan_target(&p, ITSM__CK_RESOLUTION) > 0) << 1;
            runs |= (unsigned)(p.ola && p.ola->target > 0) << 2;
        }
    }
    unsigned holds = runs & mask;
    int clocks_changed = runs != was_runs || holds != hold_bits(s);
    if (clocks_changed) {
        if (runs != was_runs)   /* planned: the same inputs run the same clocks */
            clocks_judge(s, was_runs, runs, &p);
        clocks_set(s, runs, holds);
    }
    holds_set_with(s, mask);
    CHECK_CLOCKS(eng, r, planned ? "the whole re-plan" : "the clocks' plan is as it was");
    /* the aging list: not a record whose resolution clock has no target
     * under a new plan */
    if (!(s->flags & ITSM__SF_EXC_LISTED) && exc_qualifies(s) && (!planned || plan_target(&p, ITSM__CK_RESOLUTION))) {
        s->flags |= ITSM__SF_EXC_LISTED;
        se->exc[se->nexc++] = s->idx;
    }
    /* Whether the schedule can stay as it is although replan_needed said
     * look: a step between two open states that stop no clock (hold,
     * resume, assign, start), a hold reason that pauses what the old one
     * paused, a group change where the policy has no OLAs. Then every
     * input of earliest() is what it was at the last re-plan - the clocks'
     * run and hold flags (compared above), the plan, the next-update start,
     * the flags and the agreements' instances (none took a step) - and the
     * clocks advanced to the event time, which is not past next_fire: the
     * due times stand (working time is additive). A stop state's
     * auto-close timer counts from entering it. */
    if (!clocks_changed && same_inputs && r != se->firing && !customer && !agr_moved &&
        !(old_flags & (ITSM__SF_MOVED | ITSM__SF_RULE_EVERY)) && !((s->flags ^ old_flags) & PLAN_FLAGS) &&
        s->nu_at == old_nu &&
        (state == old_state || (!sp->rule_state && !was_stop && !stop && was_open == open)) &&
        (s->next_fire == ITSM_TIME_NONE || at <= s->next_fire)) {
        CHECK_SKIPPED(eng, ev, r, "the plan's inputs are as they were");
        return;
    }
    /* The 24x7 flag goes with the plan: a plan with the same inputs keeps
     * it (the debug build checks it with the schedule). */
    if (!planned)
        p = plan_in(r, s, sp);
    else if (plan_always(eng, &p))
        s->flags |= ITSM__SF_ALWAYS;
    else
        s->flags &= ~ITSM__SF_ALWAYS;
    if (planned_later(eng, ev, r))
        return;
    itsm__sla_schedule_in(eng, r, s, r == se->firing, &p, open, live);
}

/* An opening the direct plan does not take (itsm__sla_replan_open) apart,
 * with the type known. Not inlined into that plan (flattened), which
 * calls it on its rare general path. */
__attribute__((noinline)) void itsm__sla_replan_full(itsm_engine *eng, itsm_event *ev, itsm_record *r,
                                                     itsm__slarec *s, const itsm__slapol *sp, int agr_moved)
{
    if (ev->type == ITSM__EV_OPEN)
        replan_full(eng, ev, r, s, sp, agr_moved, ITSM__EV_OPEN);
    else
        replan_full(eng, ev, r, s, sp, agr_moved, ev->type);
}

#ifdef ITSM_CHECK_REPLAN
/* The debug build: an opening planned directly (itsm__sla_replan_open)
 * leaves what the whole re-plan leaves from the state before it (`was`,
 * the open list's newest record `newest`, and `nexc` entries on the aging
 * list); the schedule is checked as a skipped re-plan's (the whole one,
 * as while loading, plans none). */
static void check_open(itsm_engine *eng, itsm_event *ev, itsm_record *r, itsm__slarec *s, const itsm__slapol *sp,
                       const itsm__slarec *was, itsm_record *newest, itsm_record *oldest, size_t nexc)
{
    itsm__slaeng *se = itsm__se(eng);
    itsm__slarec got = *s;
    size_t nexc_got = se->nexc, nopen = se->nopen;
    uint8_t loading = se->loading, unsorted = se->open_unsorted;
    *s = *was;
    se->nexc = nexc;
    se->nopen = nopen - 1;
    se->newest = newest;
    se->oldest = oldest;
    se->loading = 1;
    itsm__sla_replan_full(eng, ev, r, s, sp, 0);
    se->loading = loading;
    itsm__sla_check_same(eng, r, "an opening planned directly", &got, s);
    if (se->nexc != nexc_got || se->nopen != nopen || se->newest != r || se->open_unsorted != unsorted)
        itsm__sla_replan_differs(eng, r, "an opening planned directly", "lists", (long long)nexc_got,
                                 (long long)se->nexc);
    *s = got;
    CHECK_SKIPPED(eng, ev, r, "an opening planned directly");
}
#endif

/* The first plans of an opening under the record's version's policy `sp`
 * (itsm__opentpl), one a priority: those itsm__sla_replan_open would find
 * for an unanswered new record held for no reason, with no SLA by hand, no
 * next update owed and its clocks zeroed, under the default SLA (no
 * service map, no SLA rules) whose calendar for the priority is 24x7. A
 * clock that starts counts from the opening: its next threshold (the
 * first warning, else the breach) falls that far into its target, the
 * response's first on a tie (earliest_in considers it first). Out of line:
 * made once per version. */
__attribute__((noinline, cold)) static void open_tpl_make(itsm__slaeng *se, const itsm__slapol *sp, uint16_t pv)
{
    const itsm__sla *sla = &sp->slas[sp->default_sla];
    for (int prio = 0; prio <= 5; prio++) {
        itsm__opentpl *t = &se->open_tpl[prio];
        uint32_t target[2] = { prio ? sla->response[prio - 1] : 0, prio ? sla->resolution[prio - 1] : 0 };
        const itsm__cal *pc = &sp->cals[sla->cal[prio ? prio - 1 : 0]];
        *t = (itsm__opentpl){ .due = -1, .at_max = ITSM_TIME_MAX, .what = FIRE_NONE };
        t->quick = !sp->nsvc && !sp->nrules && pc->always && pc->week;
        for (int ck = ITSM__CK_RESPONSE; ck <= ITSM__CK_RESOLUTION; ck++) {
            if (!target[ck])
                continue;
            t->run[ck] = 1;
            itsm__clock zeroed = { 0 };
            int what = FIRE_NONE;
            int64_t thr = next_threshold(sp, &zeroed, target[ck], &what);
            if (ITSM_TIME_MAX - thr < t->at_max)
                t->at_max = ITSM_TIME_MAX - thr;   /* sla_clock_q's bound */
            if (t->due < 0 || thr < t->due) {
                t->due = thr;
                t->what = (uint8_t)what;
                t->ck = (uint8_t)ck;
            }
        }
    }
    se->open_pv = (uint32_t)pv + 1;
}

/* replan_open_direct's test, which the first plan's (itsm__sla_replan_open)
 * makes too: the record opens into a state where the clocks count, its
 * policy has no OLAs, it is counted on no service and no clock runs yet. */
__attribute__((always_inline)) static inline int opens_direct(const itsm__slaeng *se, const itsm_record *r,
                                                              const itsm__slarec *s, const itsm__slapol *sp,
                                                              int state)
{
    return se->live_state[r->kind][state] == ITSM__ST_OPEN && !sp->nolas && s->svc == ITSM__NIL &&
           !(s->ck[ITSM__CK_RESPONSE].run | s->ck[ITSM__CK_RESOLUTION].run | s->ck[ITSM__CK_OLA].run) &&
           !(r->kind == ITSM_KIND_INCIDENT && STR(r, ITSM_F_SERVICE));
}

/* An opening on a record with no agreement, under an engine with no SLA
 * rules and its tables current (replan_short.c, after_open): planned
 * directly when it opens into a state where the clocks count (open, not a
 * stop state), is counted on no service (an incident without one), its
 * policy has no OLAs (its OLA clock has no target) and no clock runs yet.
 * Then the whole re-plan's steps for an opening come down to these: the
 * open list, the OLA group, the next update owed from a response, the SLA's
 * clocks started as their targets say, the aging list, the 24x7 flag and
 * the live record's schedule. Every other opening takes the whole re-plan.
 * Flattened: the quick counts (sla_clock_q) inline here too; always_inline
 * on them would cost the fired timer's schedule (itsm__sla_schedule_live)
 * five instructions. */
__attribute__((flatten, noinline)) static void replan_open_direct(itsm_engine *eng, itsm_event *ev, itsm_record *r,
                                                                   itsm__slarec *s, const itsm__slapol *sp)
{
    itsm__slaeng *se = itsm__se(eng);
    const int state = r->state;
    if (se->open_pv != (uint32_t)r->pv + 1)
        open_tpl_make(se, sp, r->pv);   /* for the next opening under the version */
    if (!opens_direct(se, r, s, sp, state)) {
        itsm__sla_replan_full(eng, ev, r, s, sp, 0);
        return;
    }
#ifdef ITSM_CHECK_REPLAN
    itsm__slarec was = *s;
    itsm_record *newest = se->newest, *oldest = se->oldest;
    size_t nexc = se->nexc;
#endif
    itsm_time at = ev->at;
    opened(eng, r, s, state, at);
    /* ola_follow_group on the new record: its OLA clock was made zeroed */
    s->ola_group = r->sym[SLOT(ITSM_F_ASSIGNMENT_GROUP) - ITSM__NTEXT];
    /* the next update: owed from the response (nu_to_start), or from the
     * priority given later */
    int prio = prio_of(r);
    itsm_time responded = NUM(r, ITSM_F_RESPONDED_AT);
    if (s->nu_at == ITSM_TIME_NONE && responded != ITSM_TIME_NONE && prio)
        itsm__nu_owed(s, (ev->fset & FBIT(ITSM_F_PRIORITY)) && at > responded ? at : responded, 0);
    /* the SLA's clocks start as their targets say (the OLA's has none) */
    const itsm__sla *sla = sla_in_with(r, s, sp, 0);   /* no version has SLA rules (after_open) */
    /* read before the stores below (bytes: they may alias anything) */
    uint32_t response = prio ? sla->response[prio - 1] : 0, resolution = prio ? sla->resolution[prio - 1] : 0;
    /* the SLA's calendar for the priority, or the one schedule_live counts
     * under without a priority (then no clock runs: plan_always says 24x7,
     * as the flags below do with no target) */
    const itsm__cal *pc = &sp->cals[sla->cal[prio ? prio - 1 : 0]];
    int always = pc->always;
    unsigned runs = (unsigned)(response > 0 && responded == ITSM_TIME_NONE) | (unsigned)(resolution > 0) << 1;
    unsigned mask = pause_mask_cached(eng, r);
    /* a clock that starts would drop its verdict (clocks_judge): the
     * record is new, its clocks made zeroed (record_init) and none run
     * yet (tested above), so they have none (check_open compares) */
    clocks_set(s, runs, runs & mask);
    /* the flags in one store: moved and auto-close blocked cleared (read by
     * nothing above), the hold bits (holds_set_with), the aging list's and
     * the 24x7 flag (plan_always without an OLA) */
    uint32_t flags = (s->flags & ~(ITSM__SF_MOVED | ITSM__SF_AC_BLOCKED | ITSM__SF_HOLD_MASK)) |
                     (mask & 7u) << ITSM__SF_HOLD_SHIFT;
    /* the aging list's rule (exc_qualifies) on the new record, off the
     * list and with no verdict: its resolution clock runs held */
    if (runs & mask & (1u << ITSM__CK_RESOLUTION)) {
        flags |= ITSM__SF_EXC_LISTED;
        se->exc[se->nexc++] = s->idx;
    }
    s->flags = (response || resolution) && !always ? flags & ~ITSM__SF_ALWAYS : flags | ITSM__SF_ALWAYS;
    CHECK_CLOCKS(eng, r, "an opening planned directly");
    if (!planned_later(eng, ev, r)) {
        /* the live record's schedule (itsm__sla_schedule_live) with the
         * plan at hand: under the SLA's 24x7 calendar for the priority,
         * with no major incident's deadline, page or review timers, the
         * quick counts (the OLA clock does not run) */
        fire f = { ITSM_TIME_NONE, FIRE_NONE, 0 };
        if (se->loading || s->agr || s->major_at != ITSM_TIME_NONE || (s->flags & ITSM__SF_PAGED) ||
            itsm__review_has_timers(eng) || !always || !pc->week ||
            !sla_clock_q(sp, s, &s->ck[ITSM__CK_RESPONSE], response, ITSM__CK_RESPONSE,
                         &f) ||
            !sla_clock_q(sp, s, &s->ck[ITSM__CK_RESOLUTION], resolution, ITSM__CK_RESOLUTION, &f) ||
            !nu_q(sp, s, prio, prio - 1, &f))
            itsm__sla_schedule_live(eng, r, s, r == se->firing, sp);
        else
            schedule_plain_keep(se, r, s, f, r == se->firing);
    }
#ifdef ITSM_CHECK_REPLAN
    check_open(eng, ev, r, s, sp, &was, newest, oldest, nexc);
#endif
}

/* An opening on a record with no agreement, under an engine with no SLA
 * rules and its tables current (replan_short.c, after_open). Most openings
 * are planned directly (replan_open_direct) and, unanswered, held for no
 * reason, with no SLA by hand and no next update owed (none starts:
 * unanswered), come down to the version's first plan for the priority
 * (open_tpl_make), their clocks made zeroed: the open list, the OLA group,
 * the clocks the plan starts, the flags and the first timer. Tested before
 * anything is touched, so that every other opening goes on with a jump
 * and this one, calling nothing but its ends, keeps no stack frame. */
void itsm__sla_replan_open(itsm_engine *eng, itsm_event *ev, itsm_record *r, itsm__slarec *s, const itsm__slapol *sp)
{
    itsm__slaeng *se = itsm__se(eng);
    const int state = r->state;
    const itsm__opentpl *t = &se->open_tpl[prio_of(r)];
    itsm_time at = ev->at;
    /* the first plans made for the record's version (replan_open_direct
     * makes them: no call here), replan_open_direct's tests, then the
     * first plan's */
    if (se->open_pv != (uint32_t)r->pv + 1 || !opens_direct(se, r, s, sp, state) || !t->quick ||
        NUM(r, ITSM_F_RESPONDED_AT) != ITSM_TIME_NONE || r->sym[ITSM__SLOT_HOLD_REASON - ITSM__NTEXT] ||
        s->sla_ovr || s->nu_at != ITSM_TIME_NONE || at > t->at_max ||
        (se->newest && itsm__rec_num(se->newest, ITSM__SLOT_OPENED_AT) == NUM(r, ITSM_F_OPENED_AT))) {
        replan_open_direct(eng, ev, r, s, sp);
        return;
    }
#ifdef ITSM_CHECK_REPLAN
    itsm__slarec was = *s;
    itsm_record *newest = se->newest, *oldest = se->oldest;
    size_t nexc = se->nexc;
#endif
    opened_in(eng, r, s, state, at, 1);   /* no tie with the newest (asked above) */
    s->ola_group = r->sym[SLOT(ITSM_F_ASSIGNMENT_GROUP) - ITSM__NTEXT];   /* its OLA clock made zeroed */
    _Static_assert(ITSM__NCK == 3, "each clock below");
    s->ck[0].run = t->run[0];   /* clocks_set, the bytes at hand; none held */
    s->ck[0].hold = 0;
    s->ck[1].run = t->run[1];
    s->ck[1].hold = 0;
    s->ck[2].run = t->run[2];
    s->ck[2].hold = 0;
    /* moved and auto-close blocked cleared, no hold bits, 24x7 */
    s->flags = (s->flags & ~(ITSM__SF_MOVED | ITSM__SF_AC_BLOCKED | ITSM__SF_HOLD_MASK)) | ITSM__SF_ALWAYS;
    CHECK_CLOCKS(eng, r, "an opening by its first plan");
    if (!planned_later(eng, ev, r)) {
        if (se->loading || s->agr || s->major_at != ITSM_TIME_NONE || (s->flags & ITSM__SF_PAGED) ||
            itsm__review_has_timers(eng)) {
            itsm__sla_schedule_live(eng, r, s, r == se->firing, sp);
        } else {
            fire f = { t->due < 0 ? ITSM_TIME_NONE : at + t->due, t->what, t->ck };
            schedule_plain_keep(se, r, s, f, r == se->firing);
        }
    }
#ifdef ITSM_CHECK_REPLAN
    check_open(eng, ev, r, s, sp, &was, newest, oldest, nexc);
#endif
}
