/* SPDX-License-Identifier: Apache-2.0 */
/* The short re-plans after an event: most events change nothing the
 * timers read (the re-plan is skipped), a step between open states only
 * pauses or releases clocks, a step from a stop state into a closed one
 * only leaves the open list and the queue, a clock's warning or breach
 * only moves its threshold. Each short form finds what the whole re-plan (replan.c)
 * would; the debug build (ITSM_CHECK_REPLAN) does the whole anyway and
 * traps on a difference. */
#include "sla/plan.h"
#include "review/review_int.h"

/* Whether the whole re-plan would change anything. Most events change
 * nothing the timers read (a group change under a policy without OLAs
 * only starts the idle OLA clock afresh: timer_fields_in, the caller does
 * it); then every step of it (replan.c) recomputes
 * what is already there (each is a function of those inputs, last run at
 * the record's previous event), except the schedule, whose clocks
 * advanced to the event time in before_apply. A clock's due time is the
 * same from the new `since` as from the old one while the event is not
 * past it (working time is additive); past it, the due time would move to
 * the event time. So the event must not be later than next_fire, the
 * earliest of them. The same holds for an agreement's instance that took
 * no step at the event (its conditions' verdicts led nowhere new:
 * `agr_moved` is 0). */
/* Always inline, `type` the event's: an update's leaf (after_update)
 * passes the constant. `fields`: timer_fields_in of the record's version's
 * policy and the hold reason, or any set holding them (the engine's
 * timer_fields: then more events than need it may take the whole re-plan,
 * which finds what is there). */
__attribute__((always_inline)) static inline int replan_needed(const itsm_engine *eng, const itsm_event *ev,
                                                               const itsm_record *r, const itsm__slarec *s,
                                                               uint64_t fields, int agr_moved, int type)
{
    if (r->state != s->state || (ev->fset & fields) ||
        (s->flags & (ITSM__SF_AC_BLOCKED | ITSM__SF_MOVED | ITSM__SF_RULE_EVERY)) || agr_moved)
        return 1;
    if (type == ITSM__EV_OPEN || type == ITSM__EV_EXT || r == itsm__se(eng)->firing ||
        (type == ITSM__EV_NOTE && ev->note.kind == ITSM_NOTE_CUSTOMER))
        return 1;
    if (nu_to_start(r, s))
        return 1;   /* cleared by a (replayed) customer update with no next update: it restarts */
    if (!(s->flags & ITSM__SF_EXC_LISTED) && exc_qualifies(s))
        return 1;   /* the aging query dropped it while it qualified (a reopened record) */
    return s->next_fire != ITSM_TIME_NONE && ev->at > s->next_fire;
}

#ifdef ITSM_CHECK_REPLAN
/* The debug build (cmake -DITSM_CHECK_REPLAN=ON, the sanitizer suite):
 * every skipped re-plan is done anyway, and must find what is there. A
 * difference is a bug in the skip: the message goes to the engine's error
 * buffer and the process traps here (the library writes to no file, so
 * the stack trace of the trap names this function). */
void itsm__sla_replan_differs(itsm_engine *eng, const itsm_record *r, const char *where, const char *what,
                              long long had, long long wanted)
{
    itsm__err(eng, ITSM_EINVAL, "skipped re-plan (%s) of %s is wrong: %s %lld, re-planned %lld", where, r->id,
              what, had, wanted);
    __builtin_trap();
}

/* The clocks' run and hold flags are what a plan from scratch finds. */
void itsm__sla_check_clocks(itsm_engine *eng, const itsm_record *r, const char *where)
{
    const itsm__slarec *s = itsm__sr(r);
    plan p = plan_of(eng, r);
    unsigned mask = itsm__sla_pause_mask(eng, r);
    int live = is_live(eng, r);
    for (int ck = 0; ck < ITSM__NCK; ck++) {
        int run = clock_runs(r, ck, &p, live), hold = run && (mask & (1u << ck)) != 0;
        if (run != s->ck[ck].run || hold != s->ck[ck].hold)
            itsm__sla_replan_differs(eng, r, where, "clock run*2+hold", s->ck[ck].run * 2 + s->ck[ck].hold,
                                     run * 2 + hold);
    }
}

/* A short form left the record's state `got`; the whole re-plan, from the
 * same start and planning no schedule, `want`. */
void itsm__sla_check_same(itsm_engine *eng, const itsm_record *r, const char *where, const itsm__slarec *got,
                          const itsm__slarec *want)
{
#define SAME(field)                                                                                   \
    if (got->field != want->field)                                                                    \
        itsm__sla_replan_differs(eng, r, where, #field, (long long)got->field, (long long)want->field);
    SAME(since) SAME(state_since) SAME(nu_at) SAME(major_at) SAME(desk_at) SAME(ola_group) SAME(prev)
    SAME(next) SAME(idx) SAME(svc) SAME(flags) SAME(state) SAME(sla_ovr)
    for (int ck = 0; ck < ITSM__NCK; ck++) {
        SAME(ck[ck].run) SAME(ck[ck].hold) SAME(ck[ck].elapsed) SAME(ck[ck].paused) SAME(ck[ck].warned)
        SAME(ck[ck].breached)
    }
#undef SAME
}

/* A schedule left to a later extension event of the step (planned_later)
 * is stale until that event re-plans it: only the clocks are checked. */
void itsm__sla_check_skipped(itsm_engine *eng, const itsm_event *ev, const itsm_record *r, const char *where)
{
    const itsm__slarec *s = itsm__sr(r);
    plan p = plan_of(eng, r);
    itsm__sla_check_clocks(eng, r, where);
    if (planned_later(eng, ev, r) || itsm__se(eng)->loading)
        return;
    fire f = itsm__sla_earliest_of(eng, r, &p);
    if (f.at != s->next_fire)
        itsm__sla_replan_differs(eng, r, where, "next timer", (long long)s->next_fire, (long long)f.at);
    if (s->next_what != FIRE_NONE && (f.what != s->next_what || f.ck != s->next_ck))
        itsm__sla_replan_differs(eng, r, where, "what*256+clock at next timer", s->next_what * 256 + s->next_ck,
                       f.what * 256 + f.ck);
    if (!plan_always(eng, &p) != !(s->flags & ITSM__SF_ALWAYS))
        itsm__sla_replan_differs(eng, r, where, "24x7 plan", !!(s->flags & ITSM__SF_ALWAYS), plan_always(eng, &p));
}
#endif

/* open_step's schedule when the step changed no clock but the response
 * clock (it stopped: the first answer) and perhaps started the next update
 * owed, and no agreement's instance moved. When the kept timer was the
 * resolution clock's warning or breach, the response clock's was later
 * (earliest_in considers it first: a tie would have kept it), and every
 * other input of earliest_in stands, so the earliest is still that one,
 * or the next update's overdue timer when it is now owed and earlier
 * (counted here under the SLA's 24x7 calendar for the priority, as
 * earliest_plain does). When none was kept (next_fire NONE: every timer
 * earliest_in considers was none - most often the resolution clock had
 * breached - and it was planned for this step's inputs but the two: a
 * step's schedule left to a later event of its step, planned_later, is
 * planned by that event before any other), the response clock's was none
 * too and still is, and the rest stand: the earliest is the next update's
 * overdue timer when it is now owed, else none. Either way the response
 * clock does not count again after a hold (the caller asks). 0: not such a schedule, nothing changed
 * (the caller plans it). */
__attribute__((always_inline)) static inline int answer_schedule(itsm_engine *eng, const itsm_record *r,
                                                                 itsm__slarec *s, const itsm__slapol *sp,
                                                                 int nu_started)
{
    itsm__slaeng *se = itsm__se(eng);
    if ((s->next_fire != ITSM_TIME_NONE &&
         (s->next_ck != ITSM__CK_RESOLUTION || (s->next_what != FIRE_WARNING && s->next_what != FIRE_BREACH))) ||
        se->loading)
        return 0;
    if (!nu_started)
        return 1;   /* the kept timer stands */
    const itsm__sla *sla = sla_in_q(r, s, sp);
    int prio = prio_of(r);   /* one: the next update started (nu_to_start) */
    if (!sla || !prio || !sp->cals[sla->cal[prio - 1]].always || !sp->cals[sla->cal[prio - 1]].week)
        return 0;
    fire f = { s->next_fire, s->next_what, s->next_ck };   /* none: NONE, FIRE_NONE and 0 (schedule_in) */
    if (!nu_q(sp, s, prio, prio - 1, &f))
        return 0;
    schedule_plain_keep(se, r, s, f, 0);
    return 1;
}

/* A lifecycle step between two states where the clocks count (open, not
 * a stop state), changing nothing the plan reads (priority, service,
 * group under a policy with OLAs, major, the fields of SLA rules;
 * timer_fields_in) but perhaps the response (the first answer: the step
 * into work): the short form of the whole re-plan (replan.c), which would
 * find the same. The breadth index, the open list, outages and the plan
 * stand; the state moves, a new group starts the idle OLA clock afresh, a
 * response stops the response clock (the others run as they did: the plan
 * and the liveness stand) and starts the next update owed, the hold
 * reason may pause or release clocks, and the schedule stands unless a
 * clock or the next update changed or an agreement's instance took a step
 * (`agr_moved`). 0: not such a step (the whole re-plan does it). */
__attribute__((always_inline)) static inline int open_step(itsm_engine *eng, const itsm_event *ev, itsm_record *r,
                                                           itsm__slarec *s, const itsm__slapol *sp, int agr_moved,
                                                           const int plain)
{
    /* the response is no input of the plan unless an SLA rule reads it
     * (`plain`: no version has SLA rules, as stop_step's) */
    uint64_t answered = ev->fset & FBIT(ITSM_F_RESPONDED_AT) & ~(plain ? 0u : sp->rule_fields);
    if (r == itsm__se(eng)->firing || (s->flags & (ITSM__SF_AC_BLOCKED | ITSM__SF_MOVED | ITSM__SF_RULE_EVERY)) ||
        (ev->fset & timer_fields_in(sp) & ~answered) || (!plain && sp->rule_state))
        return 0;
    int from = s->state, to = r->state;   /* both live (transition_step) */
    itsm_time at = ev->at;
    if ((s->next_fire != ITSM_TIME_NONE && at > s->next_fire) ||
        (answered && NUM(r, ITSM_F_RESPONDED_AT) == ITSM_TIME_NONE))
        return 0;   /* past the schedule; a response taken back (the whole re-plan restarts its clock) */
    if (at > s->since)
        s->since = at;
    ola_follow_group(r, s);
    if (to != from) {
        s->state = (uint8_t)to;
        s->state_since = at;
    }
    /* the next update is owed from the response (the priority did not
     * change: the whole re-plan's start) */
    int nu_started = nu_to_start(r, s);
    if (nu_started)
        itsm__nu_owed(s, NUM(r, ITSM_F_RESPONDED_AT), 0);
    /* which clocks run stands but the response's when it was answered
     * now (before, it ran only while unanswered): only the hold reason
     * may pause others */
    unsigned mask = pause_mask_cached(eng, r), was_runs = run_bits(s), runs = was_runs;
    if (answered)
        runs &= ~(1u << ITSM__CK_RESPONSE);
    unsigned hold = runs & mask, was_hold = hold_bits(s);
    int clocks_changed = runs != was_runs || hold != was_hold;
    if (clocks_changed) {
        if (runs != was_runs) {   /* the response clock stopped: its verdict */
            plan p = plain ? plan_in_plain(r, s, sp) : plan_in(r, s, sp);
            clocks_judge(s, was_runs, runs, &p);
        }
        clocks_set(s, runs, hold);
    }
    holds_set_with(s, mask);
    CHECK_CLOCKS(eng, r, "a step between open states");
    exc_list(itsm__se(eng), s);
    if (!clocks_changed && !agr_moved && !nu_started && !answered) {
        CHECK_SKIPPED(eng, ev, r, "a step between open states");
        return 1;
    }
    /* a clock, the next update or an agreement's instance was started,
     * stopped, paused or released: the schedule afresh (the plan, and its
     * 24x7 flag, stand) */
    if (planned_later(eng, ev, r))
        return 1;
    /* answer_schedule keeps the timer when no clock but the response's
     * changed, and that one did not count again (a hold reason that
     * paused it alone released: its timer perhaps earlier than the kept
     * one). The response's bit of the changes is let through unless it
     * still runs and was held. */
    if (agr_moved || (((runs ^ was_runs) | (hold ^ was_hold)) & (~(1u << ITSM__CK_RESPONSE) | (runs & was_hold))) ||
        !answer_schedule(eng, r, s, sp, nu_started))
        itsm__sla_schedule_live(eng, r, s, 0, sp);   /* open, and not in a stop state */
    CHECK_SKIPPED(eng, ev, r, "a step between open states");
    return 1;
}

/* A stopped record's one timer, auto-close at `at` (NONE: none), put in
 * the queue: most often its breach moved to auto-close, and the breach's
 * entry, when it is the top, takes the new time (NONE: it goes). */
__attribute__((always_inline)) static inline void next_autoclose(itsm__slaeng *se, itsm__slarec *s, itsm_time at)
{
    s->next_what = at != ITSM_TIME_NONE ? FIRE_AUTOCLOSE : FIRE_NONE;
    s->next_ck = 0;
    itsm_time was = s->next_fire;
    if (at != was) {
        s->next_fire = at;
        if (itsm__sla_heap_top_is(se, was, s->idx))
            itsm__sla_heap_retop(se, at, s->idx);
        else if (at != ITSM_TIME_NONE)
            itsm__sla_heap_push(se, at, s->idx);
    }
}

/* A resolve's schedule (stop_step): the record is open, in a stop state,
 * every clock stopped, not the firing one. With no agreement, no major
 * incident's deadline and no review timers in the engine, earliest_in
 * (schedule.c) finds only auto-close (no clock runs; the next update and a
 * page are owed by live records only), so the rest is not asked. Inline
 * into stop_step: out of line it was a call and a frame on every resolve.
 * 0: not such a record, nothing changed (itsm__sla_schedule_in plans it). */
__attribute__((always_inline)) static inline int schedule_stopped(itsm_engine *eng, itsm_record *r,
                                                                  itsm__slarec *s, const itsm__slapol *sp,
                                                                  const int plain)
{
    itsm__slaeng *se = itsm__se(eng);
    if ((!plain && s->agr) || s->major_at != ITSM_TIME_NONE || itsm__review_has_timers(eng) || se->loading)
        return 0;
    itsm_time at = ITSM_TIME_NONE;
    if (!(s->flags & ITSM__SF_AC_BLOCKED) && sp->auto_close_after && !NUM(r, ITSM_F_MAJOR))
        at = auto_close_stopped(eng, r, s, sp);
    next_autoclose(se, s, at);
    return 1;
}

/* A lifecycle step from a state where the clocks count into a stop state
 * (resolved: open, the clocks stopped), changing nothing the plan reads
 * but perhaps the response: the short form of the whole re-plan
 * (replan.c), which would find the same. The record stays on the open
 * list; it leaves the breadth index (it is on none: asked) and is no
 * outage (asked); the state moves, a knowledge candidate is flagged, a
 * new group starts the idle OLA clock afresh, the next update is owed
 * from a response, every clock stops, and the schedule - auto-close
 * counted from now, agreements, major deadlines - is planned afresh. The
 * plan, and its 24x7 flag, stand. `mask` is the hold reason's pause mask
 * (pause_mask_cached). 0: not such a step, nothing changed (the whole
 * re-plan does it). */
__attribute__((always_inline)) static inline int stop_step(itsm_engine *eng, const itsm_event *ev, itsm_record *r,
                                                           itsm__slarec *s, const itsm__slapol *sp, unsigned mask,
                                                           const int plain)
{
    itsm__slaeng *se = itsm__se(eng);
    /* from a live state into a stop state (transition_step); `plain`: the
     * engine has no agreements and no version SLA rules (short_policy),
     * so nothing reads the rules' fields or state and no record has
     * instances */
    if ((!plain && sp->rule_state) || s->svc != ITSM__NIL ||
        (s->flags & (ITSM__SF_MOVED | ITSM__SF_RULE_EVERY | ITSM__SF_OUTAGE)) ||
        (ev->fset & ((PLAN_FIELDS & ~FBIT(ITSM_F_RESPONDED_AT)) | (plain ? 0u : sp->rule_fields))) ||
        ((ev->fset & FBIT(ITSM_F_ASSIGNMENT_GROUP)) && sp->nolas))
        return 0;
    itsm_time at = ev->at;
    if (at > s->since)
        s->since = at;
    s->state = r->state;
    s->state_since = at;
    if (sp->knowledge_candidate)   /* its one test, before the call */
        itsm__sla_kb_resolved(r, s, sp);
    ola_follow_group(r, s);
    if (nu_to_start(r, s))   /* the priority did not change: the whole re-plan's start */
        itsm__nu_owed(s, NUM(r, ITSM_F_RESPONDED_AT), 0);
    /* no clock runs in a stop state (none is on the aging list for it);
     * those that ran take their verdict under the plan, which stands */
    unsigned was_runs = run_bits(s);
    if (was_runs) {
        plan p = plain ? plan_in_plain(r, s, sp) : plan_in(r, s, sp);
        clocks_judge_all_stop(s, was_runs, &p);
    }
    clocks_set(s, 0, 0);
    /* auto-close unblocked (read by nothing above) and the hold bits
     * (holds_set_with) in one store */
    s->flags = (s->flags & ~(ITSM__SF_AC_BLOCKED | ITSM__SF_HOLD_MASK)) | (mask & 7u) << ITSM__SF_HOLD_SHIFT;
    CHECK_CLOCKS(eng, r, "a step into a stop state");
    if (planned_later(eng, ev, r))
        return 1;
    /* No clock runs and the record is not live (no next update is owed):
     * the schedule reads nothing of the plan but its policy, so the
     * priority, SLA and OLA are not looked up; most often only auto-close
     * is left to plan. */
    if (r == se->firing || !schedule_stopped(eng, r, s, sp, plain)) {
        plan p = { 0, NULL, NULL, sp };
        itsm__sla_schedule_in(eng, r, s, r == se->firing, &p, 1, 0);   /* open, in a stop state */
    }
    CHECK_SKIPPED(eng, ev, r, "a step into a stop state");
    return 1;
}

/* A clock's or an agreement's warning or breach, or the escalation step
 * it climbs, on a record where the clocks count: the short form of the
 * whole re-plan for them. The state, the fields the plan reads and the
 * flags it reads stand (the breadth index, the OLA group, the open list,
 * the next update, which clocks run and hold, and the plan with its 24x7
 * flag); the breached clock may put the record on the aging list, and the
 * schedule - agreements' due times with it - is planned afresh (a warning
 * or breach moves to the next threshold). 0: not such an event.
 * `any_class`: the caller tested the class (ext_other). */
__attribute__((always_inline)) static inline int verdict_step(itsm_engine *eng, const itsm_event *ev,
                                                              itsm_record *r, itsm__slarec *s,
                                                              const itsm__slapol *sp, const int plain,
                                                              const int any_class)
{
    /* the three classes are neighbours in the table */
    _Static_assert(ITSM__X_BREACH == ITSM__X_WARNING + 1 && ITSM__X_STEP == ITSM__X_WARNING + 2,
                   "a warning, a breach and a step are consecutive classes");
    _Static_assert(ITSM__X_AGR_BREACH == ITSM__X_AGR_WARNING + 1, "an agreement's warning and breach are neighbours");
    uintptr_t cls = (uintptr_t)ev->cls - (uintptr_t)&itsm__xclasses[ITSM__X_WARNING];
    uintptr_t agr = (uintptr_t)ev->cls - (uintptr_t)&itsm__xclasses[ITSM__X_AGR_WARNING];
    if (!any_class && cls > 2 * sizeof itsm__xclasses[0] && agr > sizeof itsm__xclasses[0])
        return 0;
    if ((s->flags & (ITSM__SF_MOVED | ITSM__SF_RULE_EVERY)) ||
        (ev->fset & (TIMER_FIELDS | (plain ? 0u : sp->rule_fields))) || r->state != s->state)
        return 0;
    if (nu_to_start(r, s))
        return 0;
    /* A running clock was set by a re-plan in this state, which was live
     * then (and is: liveness is the state's); else ask. */
    unsigned run = run_bits(s);
    if (!run && !is_live(eng, r))
        return 0;
    if (ev->at > s->since)
        s->since = ev->at;
    CHECK_CLOCKS(eng, r, "a clock's verdict");
    exc_list(itsm__se(eng), s);
    if (planned_later(eng, ev, r))
        return 1;
    itsm__sla_schedule_live(eng, r, s, r == itsm__se(eng)->firing, sp);   /* live, as found above */
    CHECK_SKIPPED(eng, ev, r, "a clock's verdict");
    return 1;
}

/* A lifecycle step out of a stop state (open, clocks stopped: resolved)
 * into a closed one, changing nothing the plan reads but perhaps the
 * response (stamped at the close when none was: no clock runs to stop,
 * and the next update it starts is owed by no closed record): the short
 * form of the whole re-plan (replan.c), which would find the same. No
 * clock runs or holds before or after, the record leaves the open list, and nothing
 * is scheduled for a closed record (earliest() finds no timer: its clocks,
 * next update, auto-close and page are for open or live records) unless
 * it has agreements, a major incident's first-phase deadlines (owed after
 * a close that follows restoration) or the engine has review timers,
 * which the whole re-plan asks. `mask` is the hold reason's pause mask
 * (pause_mask_cached). 0: not such a step (nothing changed). */
__attribute__((always_inline)) static inline int close_step(itsm_engine *eng, const itsm_event *ev,
                                                            itsm_record *r, itsm__slarec *s,
                                                            const itsm__slapol *sp, int agr_moved, unsigned mask,
                                                            const int plain)
{
    itsm__slaeng *se = itsm__se(eng);
    const uint8_t *states = se->live_state[r->kind];
    /* `plain`: as for stop_step (no agreement moved either); the step's
     * leaf found the state it leaves open and a stop state in the table
     * as it stands (short_policy is live_policy); no clock runs or holds,
     * the record being in a stop state (every re-plan that left it there
     * stopped them, and stop states are the same under every version;
     * CHECK_SHORT_FORM compares); a group change matters when some version
     * has OLAs (the engine's timer_fields, not the record's version looked
     * up) */
    if ((!plain && states[s->state] != (ITSM__ST_OPEN | ITSM__ST_STOP)) || (states[r->state] & ITSM__ST_OPEN) ||
        (!plain && (s->agr || agr_moved || sp->rule_state)) || itsm__review_has_timers(eng) ||
        s->major_at != ITSM_TIME_NONE || (s->flags & (ITSM__SF_MOVED | ITSM__SF_RULE_EVERY | ITSM__SF_OUTAGE)) ||
        s->svc != ITSM__NIL || (!plain && (run_bits(s) || hold_bits(s))) ||
        (ev->fset & ((PLAN_FIELDS & ~FBIT(ITSM_F_RESPONDED_AT)) | (plain ? 0u : sp->rule_fields))) ||
        ((ev->fset & FBIT(ITSM_F_ASSIGNMENT_GROUP)) &&
         (plain ? (se->timer_fields & FBIT(ITSM_F_ASSIGNMENT_GROUP)) != 0 : sp->nolas != 0)))
        return 0;
    itsm_time at = ev->at;
    if (at > s->since)
        s->since = at;
    s->state = r->state;
    s->state_since = at;
    open_list_unlink(se, eng->recs, s);
    ola_follow_group(r, s);
    if (nu_to_start(r, s))   /* the priority did not change: the whole re-plan's start */
        itsm__nu_owed(s, NUM(r, ITSM_F_RESPONDED_AT), 0);
    s->flags &= ~ITSM__SF_AC_BLOCKED;
    holds_set_with(s, mask);
    CHECK_CLOCKS(eng, r, "a step into a closed state");
    if (planned_later(eng, ev, r))
        return 1;
    if (se->loading)
        return 1;
    s->next_what = FIRE_NONE;
    s->next_ck = 0;
    int firing = r == se->firing;
    itsm_time was = s->next_fire;
    if (was != ITSM_TIME_NONE || firing) {
        s->next_fire = ITSM_TIME_NONE;
        if (firing && se->top_firing)
            itsm__sla_heap_retop(se, ITSM_TIME_NONE, s->idx);   /* the fired entry is still on top */
        else if (itsm__sla_heap_top_is(se, was, s->idx))
            itsm__sla_heap_pop(se);   /* its auto-close entry, on top: it goes now */
    }
    CHECK_SKIPPED(eng, ev, r, "a step into a closed state");
    return 1;
}

/* The record's kept SLA rule choice stands after the event: its version
 * has rules, the choice was kept through before_apply, and the event
 * changes nothing the rules read (itsm__sla_rule_after returns at once). */
static inline int rules_stand(const itsm_event *ev, const itsm_record *r, const itsm__slarec *s)
{
    const itsm__slapol *sp = itsm__sl(itsm__rec_policy(r));
    return sp->nrules && (s->flags & ITSM__SF_RULE_KEPT) && !(ev->fset & sp->rule_fields) && !sp->rule_state;
}

/* open_step's common case, decided before anything is touched: a lifecycle
 * step between two states where the clocks count, on a record with no
 * agreement and no SLA rules in the engine or a kept choice of them that
 * stands, changing nothing the plan
 * reads, whose clocks pause and run as they did (the hold reason's mask is
 * the one the hold flags were set with: ITSM__SF_HOLD_SHIFT). Then the
 * schedule stands (see replan_needed: the event is not past next_fire)
 * and only the state and its time move (before_apply, or the after hook
 * while it is skipped, counted the clocks
 * up to the event). 0: not such a step, nothing changed (the general path
 * decides). Inline in both after hooks (after_apply_in): out of line, the
 * plain hook's transitions paid ~18 more. */
ITSM__ALWAYS_INLINE int quiet_step(itsm_engine *eng, const itsm_event *ev, itsm_record *r, itsm__slarec *s,
                             unsigned from, unsigned to)
{
    itsm__slaeng *se = itsm__se(eng);
    /* the states first (`from` and `to`, their entries in the states'
     * table, read by the caller): most steps that are not quiet leave a
     * state where the clocks count or enter one where they stop (a table
     * of the struct, read before its policy is checked below: a wrong
     * answer only tests on) */
    if (from != ITSM__ST_OPEN || to != ITSM__ST_OPEN)
        return 0;
    /* the tables this reads as they stand (after_apply_rest renews them:
     * the step then takes the general path once); SLA rules whose kept
     * choice stands (itsm__sla_rule_after would keep it: nothing they read
     * changed) */
    if ((se->short_policy != eng->policy &&
         (s->agr || (se->has_rules && !rules_stand(ev, r, s)) || se->live_policy != eng->policy)) ||
        r == se->firing || (s->flags & (ITSM__SF_AC_BLOCKED | ITSM__SF_MOVED | ITSM__SF_RULE_EVERY)) ||
        (ev->fset & (TIMER_FIELDS & ~FBIT(ITSM_F_HOLD_REASON))))
        return 0;
    if ((s->next_fire != ITSM_TIME_NONE && ev->at > s->next_fire) || nu_to_start(r, s))
        return 0;
    /* the hold reason's pause mask from the one-entry cache only, the
     * one the holds were set with (then they stand: hold == run & mask);
     * no reason pauses nothing */
    uint32_t reason = r->sym[ITSM__SLOT_HOLD_REASON - ITSM__NTEXT];
    unsigned held_with = (s->flags & ITSM__SF_HOLD_MASK) >> ITSM__SF_HOLD_SHIFT;
    if (reason) {
        if (se->pm_reason != reason || se->pm_mask != held_with || se->pm_pv != r->pv)
            return 0;
    } else if (held_with) {
        return 0;
    }
    /* before_apply moved `since` to the event time */
    CHECK_SINCE(eng, ev, r, "a quiet step between open states");
    if (r->state != s->state) {
        s->state = r->state;
        s->state_since = ev->at;
    }
    CHECK_CLOCKS(eng, r, "a quiet step between open states");
    exc_list(itsm__se(eng), s);
    CHECK_SKIPPED(eng, ev, r, "a quiet step between open states");
    return 1;
}

#ifdef ITSM_CHECK_REPLAN
/* The debug build: the record's state a short form left is what the whole
 * re-plan leaves from the state before it (`was`, and `nexc` entries on
 * the aging list); the clocks' checks see the schedule, not the next
 * update, the flags or the state's time. The short form's schedule was
 * checked by it (CHECK_SKIPPED): the whole one plans none (as while
 * loading), so the queue gets no second entry (room was reserved for
 * one). What the short form left stands: the record's state, the aging
 * list, and the open list with its ends and count (the close takes the
 * record off it, and the whole re-plan does again from `was`). */
static void check_short_form(itsm_engine *eng, const itsm_event *ev, itsm_record *r, itsm__slarec *s,
                             const itsm__slapol *sp, int agr_moved, const itsm__slarec *was, size_t nexc,
                             const char *where)
{
    itsm__slaeng *se = itsm__se(eng);
    itsm__slarec got = *s;
    size_t nexc_got = se->nexc, nopen = se->nopen;
    itsm_record *oldest = se->oldest, *newest = se->newest;
    uint8_t loading = se->loading;
    *s = *was;
    se->nexc = nexc;
    se->loading = 1;
    itsm__sla_replan_full(eng, (itsm_event *)ev, r, s, sp, agr_moved);
    se->loading = loading;
    itsm__sla_check_same(eng, r, where, &got, s);
    *s = got;
    se->nexc = nexc_got;
    se->nopen = nopen;
    se->oldest = oldest;
    se->newest = newest;
}
#define CHECK_SHORT_FORM(done, where)                                                  \
    do {                                                                               \
        if (done)                                                                      \
            check_short_form(eng, ev, r, s, sp, agr_moved, &was, nexc, (where));       \
    } while (0)
/* What CHECK_SHORT_FORM compares with: the record's state before the short
 * form, the aging list's length; _NO_AGR for a step whose agreement did
 * not move (no agreement to move). */
#define SHORT_FORM_BEFORE                                                              \
    itsm__slarec was = *s;                                                             \
    size_t nexc = itsm__se(eng)->nexc
#define SHORT_FORM_BEFORE_NO_AGR                                                       \
    SHORT_FORM_BEFORE;                                                                 \
    int agr_moved = 0
#else
#define CHECK_SHORT_FORM(done, where) ((void)0)
#define SHORT_FORM_BEFORE ((void)0)
#define SHORT_FORM_BEFORE_NO_AGR ((void)0)
#endif

/* A lifecycle step's short forms, the one its states allow (the states'
 * table: after_apply_rest found it for the engine's policy); 0: none
 * fits, nothing changed. */
static int transition_step(itsm_engine *eng, const itsm_event *ev, itsm_record *r, itsm__slarec *s,
                           const itsm__slapol *sp, int agr_moved)
{
    itsm__slaeng *se = itsm__se(eng);
    const uint8_t *states = se->live_state[r->kind];
    unsigned from = states[s->state], to = states[r->state];
    SHORT_FORM_BEFORE;
    int done;
    if (from == (ITSM__ST_OPEN | ITSM__ST_STOP)) {
        done = close_step(eng, ev, r, s, sp, agr_moved, pause_mask_cached(eng, r), 0);
        CHECK_SHORT_FORM(done, "a step into a closed state");
    } else if (from != ITSM__ST_OPEN) {
        return 0;
    } else if (to == ITSM__ST_OPEN) {
        done = open_step(eng, ev, r, s, sp, agr_moved, 0);
        CHECK_SHORT_FORM(done, "a step between open states");
    } else if (to == (ITSM__ST_OPEN | ITSM__ST_STOP)) {
        done = stop_step(eng, ev, r, s, sp, pause_mask_cached(eng, r), 0);
        CHECK_SHORT_FORM(done, "a step into a stop state");
    } else {
        return 0;
    }
    return done;
}

/* After an event, past the quiet step. Out of line: the quiet step,
 * which calls nothing, then saves no registers. */
__attribute__((noinline)) static void after_apply_rest(itsm_engine *eng, itsm_event *ev, itsm_record *r,
                                                       itsm__slarec *s)
{
    itsm__slaeng *se = itsm__se(eng);
    /* the tables quiet_step and the whole re-plan read, found again for a
     * new policy; the hold reason's mask for the next step */
    if (se->live_policy != eng->policy)
        itsm__sla_live_bits(eng);
    if (ev->type == ITSM__EV_TRANSITION)
        (void)pause_mask_cached(eng, r);
    /* Agreements: their conditions read the record as it now is (first,
     * while little else is live). */
    int agr_moved = 0;
    if (s->agr) {
        /* every change to an instance (applied, started, paused, ...) is
         * a step of its history: none, and its due times stand */
        size_t steps = s->agr->nhist;
        itsm__agr_evaluate(eng, ev);
        agr_moved = s->agr->nhist != steps;
    }
    if (se->has_rules)
        itsm__sla_rule_after(r);
    const itsm__slapol *sp = itsm__sl(itsm__rec_policy(r));   /* the record's version, read once */
    if (ev->type == ITSM__EV_EXT) {   /* replan_needed says yes to every one */
        if (verdict_step(eng, ev, r, s, sp, 0, 0))
            return;
    } else if (!replan_needed(eng, ev, r, s, timer_fields_in(sp) | FBIT(ITSM_F_HOLD_REASON), agr_moved, ev->type)) {
        if (ev->fset & FBIT(ITSM_F_ASSIGNMENT_GROUP))
            ola_follow_group(r, s);   /* a policy without OLAs (timer_fields_in) */
        CHECK_SKIPPED(eng, ev, r, "nothing the timers read changed");
        return;   /* before_apply already moved `since` to the event time */
    } else if (ev->type == ITSM__EV_TRANSITION && transition_step(eng, ev, r, s, sp, agr_moved)) {
        return;
    }
    itsm__sla_replan_full(eng, ev, r, s, sp, agr_moved);
}

/* The end of the whole re-plan for a record now live (in a state where
 * the clocks count), under short_policy and a version with no OLAs, when
 * the plan is looked up afresh (update_replan, a reopen in close_refused): moved and
 * auto-close blocked cleared, the clocks run as the plan's targets say
 * (their counts stand; one that stops takes its verdict, one that starts
 * drops a fired one: clocks_judge), the hold flags, the aging list, the
 * 24x7 flag and the live record's schedule. `responded`: the record's
 * response. */
__attribute__((always_inline)) static inline void live_replanned(itsm_engine *eng, const itsm_event *ev,
                                                                 itsm_record *r, itsm__slarec *s,
                                                                 const itsm__slapol *sp, itsm_time responded)
{
    itsm__slaeng *se = itsm__se(eng);
    s->flags &= ~(ITSM__SF_MOVED | ITSM__SF_AC_BLOCKED);
    /* no version has SLA rules (short_policy); the OLA clock has no target */
    plan p = plan_in_plain(r, s, sp);
    unsigned mask = pause_mask_cached(eng, r), was_runs = run_bits(s);
    unsigned runs = (unsigned)(plan_target(&p, ITSM__CK_RESPONSE) > 0 && responded == ITSM_TIME_NONE) |
                    (unsigned)(plan_target(&p, ITSM__CK_RESOLUTION) > 0) << 1;
    unsigned holds = runs & mask;
    if (runs != was_runs || holds != hold_bits(s)) {
        if (runs != was_runs)
            clocks_judge(s, was_runs, runs, &p);
        clocks_set(s, runs, holds);
    }
    holds_set_with(s, mask);
    CHECK_CLOCKS(eng, r, "a live record re-planned");
    if (!(s->flags & ITSM__SF_EXC_LISTED) && exc_qualifies(s) && plan_target(&p, ITSM__CK_RESOLUTION)) {
        s->flags |= ITSM__SF_EXC_LISTED;
        se->exc[se->nexc++] = s->idx;
    }
    if (plan_always(eng, &p))
        s->flags |= ITSM__SF_ALWAYS;
    else
        s->flags &= ~ITSM__SF_ALWAYS;
    if (!planned_later(eng, ev, r)) {
        itsm__sla_schedule_in(eng, r, s, r == se->firing, &p, 1, 1);   /* open, not in a stop state */
        CHECK_SKIPPED(eng, ev, r, "a live record re-planned");
    }
}

/* Whether a record the short forms of a live re-plan (update_replan,
 * close_refused) may plan is counted on no service and is to be on none,
 * under a version with no OLAs: the service's and the OLA's lookups are
 * the whole re-plan's. */
static inline int plain_live(const itsm_record *r, const itsm__slarec *s, const itsm__slapol *sp)
{
    return !sp->nolas && s->svc == ITSM__NIL && !(r->kind == ITSM_KIND_INCIDENT && STR(r, ITSM_F_SERVICE));
}

/* An update that changes the priority (impact or urgency derive it) of a
 * record in the state it was in, one where the clocks count, counted on no
 * service and to be on none, under a version with no OLAs and short_policy
 * (no agreements, no SLA rules): the short form of the whole re-plan
 * (replan.c), which would find the same. The open list, the breadth index
 * and outages stand; the OLA group follows, the next update is owed from
 * the response (or from now, the priority coming later) when it starts,
 * the clocks run as the new plan's targets say (their counts stand: only
 * the targets move; one that stops takes its verdict, one that starts drops
 * a fired one: clocks_judge), the hold flags, the aging list, the 24x7 flag
 * and the live record's schedule. Every other such update takes the whole
 * re-plan (after_update: after_apply_rest would go straight to it). */
__attribute__((noinline)) static void update_replan(itsm_engine *eng, itsm_event *ev, itsm_record *r,
                                                    itsm__slarec *s)
{
    itsm__slaeng *se = itsm__se(eng);
    const itsm__slapol *sp = itsm__sl(itsm__rec_policy(r));
    const int state = r->state;
    if (!(ev->fset & FBIT(ITSM_F_PRIORITY)) || (ev->fset & (FBIT(ITSM_F_SERVICE) | FBIT(ITSM_F_MAJOR))) ||
        state != s->state || se->live_state[r->kind][state] != ITSM__ST_OPEN || !plain_live(r, s, sp)) {
        itsm__sla_replan_full(eng, ev, r, s, sp, 0);
        return;
    }
    SHORT_FORM_BEFORE_NO_AGR;
    itsm_time at = ev->at;
    if (at > s->since)
        s->since = at;
    ola_follow_group(r, s);
    itsm_time responded = NUM(r, ITSM_F_RESPONDED_AT);
    if (nu_to_start(r, s))
        itsm__nu_owed(s, at > responded ? at : responded, 0);
    live_replanned(eng, ev, r, s, sp, responded);
    CHECK_SHORT_FORM(1, "a priority change");
}

/* An update, most often one that changes nothing the timers read: decided
 * here, a leaf (after_apply_rest saves its registers only for the others,
 * a jump). The same path as after_apply_rest's for an update on a record
 * with no agreement, under an engine with no SLA rules and its tables
 * current (then nothing before replan_needed calls or changes anything). */
__attribute__((noinline)) static void after_update(itsm_engine *eng, itsm_event *ev, itsm_record *r,
                                                   itsm__slarec *s)
{
    itsm__slaeng *se = itsm__se(eng);
    if (se->short_policy != eng->policy) {
        after_apply_rest(eng, ev, r, s);
        return;
    }
    if (replan_needed(eng, ev, r, s, se->timer_fields, 0, ITSM__EV_UPDATE)) {
        /* most often a priority change: a field every version's timers
         * read (timer_fields_in, and the hold reason), so that
         * after_apply_rest's own test says yes too and, with nothing to
         * renew or evaluate under short_policy, it would go straight to
         * the whole re-plan */
        if (ev->fset & (TIMER_FIELDS & ~FBIT(ITSM_F_ASSIGNMENT_GROUP)))
            update_replan(eng, ev, r, s);
        else
            after_apply_rest(eng, ev, r, s);
        return;
    }
    if (ev->fset & FBIT(ITSM_F_ASSIGNMENT_GROUP))
        ola_follow_group(r, s);   /* a policy without OLAs (timer_fields_in) */
    CHECK_SKIPPED(eng, ev, r, "nothing the timers read changed");
}

/* A step out of a stop state that after_close's short form (close_step)
 * refused under short_policy, most often a reopen (into an open state):
 * its short form below, or the whole re-plan, which after_apply_rest would
 * reach renewing nothing (the tables are current), evaluating nothing (no
 * agreements, no SLA rules), finding a re-plan needed (the state moved)
 * and the step's one short form refusing it again (the new state is
 * open). Apart, reached by the jump after_close had: its closes keep
 * their code. */
__attribute__((noinline)) static void close_refused(itsm_engine *eng, itsm_event *ev, itsm_record *r,
                                                    itsm__slarec *s)
{
    unsigned to = itsm__se(eng)->live_state[r->kind][r->state];
    if (!(to & ITSM__ST_OPEN)) {
        after_apply_rest(eng, ev, r, s);
        return;
    }
    const itsm__slapol *sp = itsm__sl(itsm__rec_policy(r));
    /* Its short form: into a state where the clocks count, counted on no
     * service and to be on none, under a version with no OLAs. The whole
     * re-plan then moves the state (no knowledge candidate: not into a stop
     * state), keeps the open list, follows the group, owes the next update
     * from now when it was or starts to be owed (back from a stop state:
     * nothing was owed while it stood resolved) and plans the clocks
     * afresh (live_replanned). */
    if (to != ITSM__ST_OPEN || !plain_live(r, s, sp)) {
        itsm__sla_replan_full(eng, ev, r, s, sp, 0);
        return;
    }
    SHORT_FORM_BEFORE_NO_AGR;
    itsm_time at = ev->at;
    if (at > s->since)
        s->since = at;
    s->state = r->state;
    s->state_since = at;
    ola_follow_group(r, s);
    if (s->nu_at != ITSM_TIME_NONE || nu_to_start(r, s))
        itsm__nu_owed(s, at, 0);
    live_replanned(eng, ev, r, s, sp, NUM(r, ITSM_F_RESPONDED_AT));
    CHECK_SHORT_FORM(1, "a reopen");
}

/* A step out of a stop state (resolved: open, the clocks stopped), most
 * often a close: decided here, a leaf, when after_apply_rest's path up to
 * its short form (close_step) changes nothing and calls nothing - the
 * record has no agreement, the engine no SLA rules, its tables are
 * current and the hold reason's mask is in the cache. Every other such
 * step goes on to after_apply_rest (a jump). */
__attribute__((noinline)) static void after_close(itsm_engine *eng, itsm_event *ev, itsm_record *r, itsm__slarec *s)
{
    itsm__slaeng *se = itsm__se(eng);
    uint32_t reason = r->sym[ITSM__SLOT_HOLD_REASON - ITSM__NTEXT];
    if (se->short_policy == eng->policy && (!reason || (se->pm_reason == reason && se->pm_pv == r->pv))) {
        const itsm__slapol *sp = itsm__sl(itsm__rec_policy(r));
        SHORT_FORM_BEFORE_NO_AGR;
        int done = close_step(eng, ev, r, s, sp, 0, reason ? se->pm_mask : 0, 1);
        CHECK_SHORT_FORM(done, "a step into a closed state");
        if (done)
            return;
        close_refused(eng, ev, r, s);
        return;
    }
    after_apply_rest(eng, ev, r, s);
}

/* An opening: the whole re-plan (replan_needed says yes to every one),
 * a jump from here when after_apply_rest's path up to it would change
 * nothing and call nothing (no agreement, no SLA rules, the tables
 * current): no frame of its own. */
__attribute__((noinline)) static void after_open(itsm_engine *eng, itsm_event *ev, itsm_record *r, itsm__slarec *s)
{
    itsm__slaeng *se = itsm__se(eng);
    if (se->short_policy != eng->policy) {
        after_apply_rest(eng, ev, r, s);
        return;
    }
    itsm__sla_replan_open(eng, ev, r, s, itsm__sl(itsm__rec_policy(r)));
}

/* A major incident's proposal (most often by the priority rule, in the
 * step that raised the priority: that step's re-plan left the schedule to
 * it, planned_later) under a plain policy: verdict_step's short form, the
 * class aside. The flags its apply sets, proposed and rejected, are none
 * the plan or the schedule reads, and the breadth index's proposed mark is
 * none the re-plan sets (svc_update keeps an unchanged slot): the whole
 * re-plan would find the same; every other extension event verdict_step
 * does not take gets the whole re-plan. Apart, where after_ext jumped to
 * the whole re-plan, so that the fired timer's path keeps its code and
 * its frame. */
__attribute__((noinline)) static void ext_other(itsm_engine *eng, itsm_event *ev, itsm_record *r,
                                                itsm__slarec *s, const itsm__slapol *sp)
{
    if (ev->cls == &itsm__xclasses[ITSM__X_MAJ_PROPOSED] && verdict_step(eng, ev, r, s, sp, 1, 1))
        return;
    itsm__sla_replan_full(eng, ev, r, s, sp, 0);
}

/* An extension event (a clock's warning or breach, most often, fired by
 * the tick): its short form (verdict_step) or the whole re-plan, decided
 * here when after_apply_rest's path up to them would change nothing and
 * call nothing (as for after_open); both end in a jump. */
__attribute__((noinline)) static void after_ext(itsm_engine *eng, itsm_event *ev, itsm_record *r, itsm__slarec *s)
{
    itsm__slaeng *se = itsm__se(eng);
    if (se->short_policy != eng->policy) {
        /* SLA rules whose kept choice the event leaves standing
         * (itsm__sla_rule_after would return at once), no agreements and
         * the tables current: the same, the rules' tests made (a fired
         * timer's path under SLA rules) */
        if (se->has_agreements || se->live_policy != eng->policy || !rules_stand(ev, r, s)) {
            after_apply_rest(eng, ev, r, s);
            return;
        }
        const itsm__slapol *sp = itsm__sl(itsm__rec_policy(r));
        if (verdict_step(eng, ev, r, s, sp, 0, 0))
            return;
        itsm__sla_replan_full(eng, ev, r, s, sp, 0);
        return;
    }
    const itsm__slapol *sp = itsm__sl(itsm__rec_policy(r));
    if (verdict_step(eng, ev, r, s, sp, 1, 0))
        return;
    ext_other(eng, ev, r, s, sp);
}

/* after_stop's short form, apart: its frame only for the steps it takes. */
__attribute__((noinline)) static void stop_short(itsm_engine *eng, itsm_event *ev, itsm_record *r, itsm__slarec *s,
                                                 unsigned mask)
{
    const itsm__slapol *sp = itsm__sl(itsm__rec_policy(r));
    SHORT_FORM_BEFORE_NO_AGR;
    int done = stop_step(eng, ev, r, s, sp, mask, 1);
    CHECK_SHORT_FORM(done, "a step into a stop state");
    if (!done)
        after_apply_rest(eng, ev, r, s);
}

/* stop_step under short_policy when it would call nothing: no knowledge
 * candidate to flag, no OLA clock's verdict (the OLA looked up), the SLA
 * found without a call (sla_in_q), no later event of the step, and the
 * schedule schedule_stopped's (not the firing record, no major incident's
 * deadline, no review timers, not loading) with auto-close found in the
 * tables as they stand. Tested before anything is touched: every other
 * resolve goes on to stop_short (a jump), and this one, calling nothing
 * but the queue at its end, keeps a smaller frame. */
__attribute__((noinline)) static void stop_plain(itsm_engine *eng, itsm_event *ev, itsm_record *r, itsm__slarec *s,
                                                 unsigned mask)
{
    itsm__slaeng *se = itsm__se(eng);
    const itsm__slapol *sp = itsm__sl(itsm__rec_policy(r));
    const itsm__sla *sla = sla_in_q(r, s, sp);
    if (s->svc != ITSM__NIL || (s->flags & (ITSM__SF_MOVED | ITSM__SF_RULE_EVERY | ITSM__SF_OUTAGE)) ||
        (ev->fset & (PLAN_FIELDS & ~FBIT(ITSM_F_RESPONDED_AT))) ||
        ((ev->fset & FBIT(ITSM_F_ASSIGNMENT_GROUP)) && sp->nolas) || sp->knowledge_candidate ||
        s->ck[ITSM__CK_OLA].run || !sla || r == se->firing || s->major_at != ITSM_TIME_NONE ||
        itsm__review_has_timers(eng) || se->loading || se->live_policy != eng->policy || eng->nbatch != 1) {
        stop_short(eng, ev, r, s, mask);
        return;
    }
    SHORT_FORM_BEFORE_NO_AGR;
    /* stop_step's steps, as it takes them */
    itsm_time at = ev->at;
    if (at > s->since)
        s->since = at;
    s->state = r->state;
    s->state_since = at;
    ola_follow_group(r, s);
    if (nu_to_start(r, s))
        itsm__nu_owed(s, NUM(r, ITSM_F_RESPONDED_AT), 0);
    int prio = prio_of(r);   /* clocks_judge_all_stop, plan_target without the OLA's */
    if (s->ck[ITSM__CK_RESPONSE].run)
        clock_judged(&s->ck[ITSM__CK_RESPONSE], prio ? sla->response[prio - 1] : 0);
    if (s->ck[ITSM__CK_RESOLUTION].run)
        clock_judged(&s->ck[ITSM__CK_RESOLUTION], prio ? sla->resolution[prio - 1] : 0);
    clocks_set(s, 0, 0);
    s->flags = (s->flags & ~(ITSM__SF_AC_BLOCKED | ITSM__SF_HOLD_MASK)) | (mask & 7u) << ITSM__SF_HOLD_SHIFT;
    CHECK_CLOCKS(eng, r, "a step into a stop state");
    /* schedule_stopped's (auto-close unblocked above) */
    itsm_time next = ITSM_TIME_NONE;
    if (sp->auto_close_after && !NUM(r, ITSM_F_MAJOR))
        next = auto_close_stopped(eng, r, s, sp);
    next_autoclose(se, s, next);
    CHECK_SKIPPED(eng, ev, r, "a step into a stop state");
    CHECK_SHORT_FORM(1, "a step into a stop state");
}

/* A step from a state where the clocks count into a stop state (a
 * resolve): its short form (stop_step, in stop_short) when
 * after_apply_rest's path up to it would change nothing and call nothing
 * (as for after_close); every other such step goes on to after_apply_rest.
 * Both are jumps: no frame here. */
__attribute__((noinline)) static void after_stop(itsm_engine *eng, itsm_event *ev, itsm_record *r, itsm__slarec *s)
{
    itsm__slaeng *se = itsm__se(eng);
    uint32_t reason = r->sym[ITSM__SLOT_HOLD_REASON - ITSM__NTEXT];
    if (se->short_policy == eng->policy && (!reason || (se->pm_reason == reason && se->pm_pv == r->pv))) {
        stop_plain(eng, ev, r, s, reason ? se->pm_mask : 0);
        return;
    }
    after_apply_rest(eng, ev, r, s);
}

/* after_live's path, apart: its frame only for the steps it takes. The
 * same as after_apply_rest's for a step between open states on a record
 * with no agreement, under an engine with no SLA rules and its tables
 * current. */
__attribute__((noinline)) static void live_short(itsm_engine *eng, itsm_event *ev, itsm_record *r, itsm__slarec *s)
{
    (void)pause_mask_cached(eng, r);   /* the hold reason's mask for the next step */
    if (!replan_needed(eng, ev, r, s, itsm__se(eng)->timer_fields, 0, ITSM__EV_TRANSITION)) {
        if (ev->fset & FBIT(ITSM_F_ASSIGNMENT_GROUP))
            ola_follow_group(r, s);   /* a policy without OLAs (timer_fields_in) */
        CHECK_SKIPPED(eng, ev, r, "nothing the timers read changed");
        return;
    }
    const itsm__slapol *sp = itsm__sl(itsm__rec_policy(r));
    SHORT_FORM_BEFORE_NO_AGR;
    int done = open_step(eng, ev, r, s, sp, 0, 1);
    CHECK_SHORT_FORM(done, "a step between open states");
    if (!done)
        itsm__sla_replan_full(eng, ev, r, s, sp, 0);
}

/* A step between two states where the clocks count that is not quiet
 * (most often the first answer: the response clock stops): live_short
 * when after_apply_rest's path up to its short form (open_step) would
 * change nothing but the hold reason's cached mask; every other one goes
 * on to after_apply_rest. Both are jumps: no frame here. */
__attribute__((noinline)) static void after_live(itsm_engine *eng, itsm_event *ev, itsm_record *r, itsm__slarec *s)
{
    itsm__slaeng *se = itsm__se(eng);
    if (se->short_policy == eng->policy) {
        live_short(eng, ev, r, s);
        return;
    }
    after_apply_rest(eng, ev, r, s);
}

/* The after hook; `alone`: before_apply was skipped (sla.c,
 * count_where), its common case is done here first - the same count on
 * the same flags and `since`, which nothing changed in between. */
ITSM__ALWAYS_INLINE void after_apply_in(itsm_engine *eng, itsm_event *ev, int alone)
{
    itsm_record *r = ev->rec;   /* the core applies events on records only (it reads the kind first) */
    itsm__slarec *s;
    if (!(s = itsm__sr(r)))
        return;
    if (alone) {
        itsm_time since = s->since;
        if (ev->at > since && since != ITSM_TIME_NONE) {
#ifdef ITSM_CHECK_REPLAN
            /* what makes the count exact (count_where): a 24x7 plan, no
             * kept rule choice, no agreement, one version */
            if (!itsm__sla_alone_exact(eng, r, s))
                __builtin_trap();
#endif
            itsm__sla_count_all(s, ev->at - since);
            s->since = ev->at;
        }
    }
    if (ev->type == ITSM__EV_TRANSITION) {
        /* the states the step leaves and enters, as the states' table
         * stands: each state of the record's kind open or not, a stop
         * state or not, found again when the engine's policy changed
         * (after_apply_rest; a version's lifecycle may close other
         * states). A stale answer only takes the general path: each short
         * form asks again. */
        const uint8_t *states = itsm__se(eng)->live_state[r->kind];
        unsigned from = states[s->state], to = states[r->state];
        /* both states' bits in one value (two bits each): a resolve and a
         * step between open states each cost one comparison, not two
         * tests and their flags (in this order the compiler keeps the
         * frame it had: tested first, the step between open states took
         * two more registers on every step) */
        unsigned step = from | to << 2;
        if (from == (ITSM__ST_OPEN | ITSM__ST_STOP)) {
            after_close(eng, ev, r, s);
            return;
        }
        if (step == (ITSM__ST_OPEN | (ITSM__ST_OPEN | ITSM__ST_STOP) << 2)) {
            after_stop(eng, ev, r, s);
            return;
        }
        if (step == (ITSM__ST_OPEN | ITSM__ST_OPEN << 2)) {
            if (!quiet_step(eng, ev, r, s, ITSM__ST_OPEN, ITSM__ST_OPEN))
                after_live(eng, ev, r, s);
            return;
        }
        after_apply_rest(eng, ev, r, s);
        return;
    }
    if (ev->type == ITSM__EV_UPDATE) {
        after_update(eng, ev, r, s);
        return;
    }
    if (ev->type == ITSM__EV_OPEN) {
        after_open(eng, ev, r, s);
        return;
    }
    if (ev->type == ITSM__EV_EXT) {
        after_ext(eng, ev, r, s);
        return;
    }
    after_apply_rest(eng, ev, r, s);
}

void itsm__sla_after_apply(itsm_engine *eng, itsm_event *ev)
{
    after_apply_in(eng, ev, 0);
}

void itsm__sla_after_apply_alone(itsm_engine *eng, itsm_event *ev)
{
    after_apply_in(eng, ev, 1);
}
