/* SPDX-License-Identifier: Apache-2.0 */
/* Service-level timers: the per-record clocks and the one deadline queue,
 * kept by the capability's hooks (DESIGN.md section 4). The tick: tick.c;
 * the timer getters and the aging query: timers.c.
 *
 * Clocks advance only at event times (before_apply, here), and what is
 * scheduled is recomputed from the record after each event (after_apply:
 * the short forms in replan_short.c, the whole in replan.c; the schedule
 * in schedule.c), so the whole state is a pure function of the applied
 * events and replay rebuilds it exactly. The deadline queue: queue.c. */
#include "sla/plan.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>

static const char *const ck_names[ITSM__NCK] = { "response", "resolution", "ola" };
const char *itsm__timer_name(int ck) { return ck >= 0 && ck < ITSM__NCK ? ck_names[ck] : "next_update"; }

/* ---- what applies to a record (the inline part: plan.h) ---- */

const itsm__sla *itsm__sla_by_service(const itsm__slapol *sp, const char *svc)
{
    for (size_t i = 0; i < sp->nsvc; i++)
        if (strcmp(sp->svc[i].service, svc) == 0)
            return &sp->slas[sp->svc[i].sla];
    return &sp->slas[sp->default_sla];
}

const itsm__ola *itsm__ola_by_group(const itsm__slapol *sp, const char *g)
{
    for (size_t i = 0; i < sp->nolas; i++)
        if (strcmp(sp->olas[i].group, g) == 0)
            return &sp->olas[i];
    return NULL;
}

const itsm__cal *itsm__sla_cal_of(const itsm_engine *eng, const itsm_record *r, int ck)
{
    const itsm__slapol *sp = itsm__sl(itsm__rec_policy(r));
    if (ck == ITSM__CK_OLA) {
        const itsm__ola *o = ola_of(eng, r);
        if (o)
            return &sp->cals[o->cal];
    }
    int p = prio_of(r);
    return &sp->cals[sla_of(eng, r)->cal[p ? p - 1 : 0]];
}

const itsm__cal *itsm__rec_cal(const itsm_engine *eng, const itsm_record *r)
{
    return itsm__sla_cal_of(eng, r, ITSM__CK_RESOLUTION);
}

uint32_t itsm__rec_target(const itsm_engine *eng, const itsm_record *r, int ck)
{
    int p = prio_of(r);
    if (ck == ITSM__CK_OLA) {
        const itsm__ola *o = ola_of(eng, r);
        return o ? o->target : 0;
    }
    if (!p)
        return 0;
    const itsm__sla *s = sla_of(eng, r);
    return ck == ITSM__CK_RESPONSE ? s->response[p - 1] : s->resolution[p - 1];
}

/* The due time of clock `ck`: its target (the SLA's for the priority, or
 * the OLA's) counted from `since` in the calendar that goes with it (the
 * tick asks it for every warning it fires). */
itsm_time itsm__sla_clock_due(const itsm_engine *eng, const itsm_record *r, int ck)
{
    return clock_due_of(eng, r, itsm__sr(r), ck);
}

static int sla_always(const itsm__slapol *sp, const itsm__sla *sla)
{
    for (int p = 0; p < 5; p++)
        if (!sp->cals[sla->cal[p]].always)
            return 0;
    return 1;
}

/* The engine state, with the policy's names resolved once: the stop
 * states by kind as bits, the auto-close event, whether every calendar a
 * record can count in is 24x7. */
/* Whether every calendar a record without an SLA set by hand can count in
 * is 24x7: the SLA an SLA rule chooses, its service's SLA or the default
 * one, and an OLA's. */
static int cals_always_of(const itsm__slapol *sp)
{
    int always = sp->nslas && sla_always(sp, &sp->slas[sp->default_sla]);
    for (size_t i = 0; i < sp->nrules; i++)
        always &= sla_always(sp, &sp->slas[sp->rules[i].sla]);
    for (size_t i = 0; i < sp->nsvc; i++)
        always &= sla_always(sp, &sp->slas[sp->svc[i].sla]);
    for (size_t i = 0; i < sp->nolas; i++)
        always &= sp->cals[sp->olas[i].cal].always != 0;
    return always;
}

/* The clocks count up to an event's time in the after hook
 * (itsm__sla_after_apply_alone), the before hook skipped (no indirect
 * call an event), where that is exact: the count reads only the clocks'
 * run and hold flags and `since`, which nothing but this capability's
 * after hook changes (no other hook, the apply, the store; xapply's
 * hand-set SLA below), and the work from `since` to the event is wall
 * time whatever the event changes - every calendar a record without a
 * hand-set SLA counts in is 24x7 (cals_always), no SLA rules (their kept
 * choice reads the record before the change), no agreements
 * (itsm__agr_advance reads the record), one version (a move re-finds a
 * hand-set SLA before the change). */
static void count_where(itsm_engine *eng)
{
    const itsm__slaeng *se = itsm__se(eng);
    int alone = eng->nvers <= 1 && se->cals_always && !se->has_rules && !se->has_agreements;
    itsm__cap_before_skip(eng, ITSM__CAP_SERVICE_LEVELS, alone);
}

void itsm__sla_set_by_hand(itsm_engine *eng, itsm_event *ev, itsm__slarec *s, int sla)
{
    const itsm__slapol *sp = itsm__sl(itsm__rec_policy(ev->rec));
    if (sla && (eng->cap_before_skipped >> ITSM__CAP_SERVICE_LEVELS & 1u) && !sla_always(sp, &sp->slas[sla - 1])) {
        /* the record's plan leaves 24x7 (count_where): the clocks count
         * up to the event under the plan they had, and from the next
         * event on the before hook counts (the core calls after_apply,
         * not after_apply_alone, for this one too) */
        itsm_time since = s->since;
        if (ev->at > since && since != ITSM_TIME_NONE) {
            itsm__sla_count_all(s, ev->at - since);
            s->since = ev->at;
        }
        itsm__cap_before_skip(eng, ITSM__CAP_SERVICE_LEVELS, 0);
    }
    s->sla_ovr = (uint8_t)sla;
}

#ifdef ITSM_CHECK_REPLAN
int itsm__sla_alone_exact(const itsm_engine *eng, const itsm_record *r, const itsm__slarec *s)
{
    const itsm__slapol *sp = itsm__sl(itsm__rec_policy(r));
    return itsm__se(eng)->cals_always && !(s->flags & ITSM__SF_RULE_KEPT) && !s->agr && eng->nvers <= 1 &&
           (!s->sla_ovr || sla_always(sp, &sp->slas[s->sla_ovr - 1]));
}
#endif

static int engine_init(itsm_engine *eng)
{
    itsm__slaeng *se = itsm__calloc(&eng->alloc, 1, sizeof *se);
    if (!se)
        return ITSM_ENOMEM;
    eng->cap[ITSM__CAP_SERVICE_LEVELS] = se;
    /* the queue's array, empty (itsm__heap_set_empty): engine_free frees
     * it on failure */
    if (itsm__grow(&eng->alloc, (void **)&se->heap, &se->cheap, 1, sizeof *se->heap))
        return ITSM_ENOMEM;
    itsm__heap_set_empty(se->heap);
    const itsm__slapol *sp = itsm__sl(eng->policy);
    se->auto_close_ev[0] = -1;
    se->has_agreements = (uint8_t)(sp->nagrs > 0);
    /* Every version the engine knows: the shortcut must hold under each. */
    se->cals_always = 1;
    for (size_t i = 0; i < eng->nvers; i++) {
        itsm__agr_tables(eng->vers[i]->policy);
        se->cals_always = (uint8_t)(se->cals_always && cals_always_of(itsm__sl(eng->vers[i]->policy)));
        se->has_rules |= itsm__sl(eng->vers[i]->policy)->nrules > 0;
        se->timer_fields |= timer_fields_in(itsm__sl(eng->vers[i]->policy));
    }
    se->has_rules |= sp->nrules > 0;
    se->timer_fields |= timer_fields_in(sp) | FBIT(ITSM_F_HOLD_REASON);
    itsm__agr_tables(eng->policy);
    for (int k = 1; k <= ITSM_KIND_COUNT; k++) {
        const itsm__lifecycle *lc = itsm__lifecycle_of(eng, k);
        se->auto_close_ev[k] = itsm__role_ix(eng, k, ITSM_ROLE_AUTO_CLOSE);   /* -1: no auto-close */
        for (size_t s = 0; s < lc->nstates; s++)
            for (size_t i = 0; i < sp->nstop; i++)
                if (strcmp(sp->stop[i], lc->states[s]) == 0) {
                    se->stop_bits[k][s / 64] |= (uint64_t)1 << (s % 64);
                    eng->settled[k][s / 64] |= (uint64_t)1 << (s % 64);   /* its verdicts are final */
                }
    }
    count_where(eng);
    return ITSM_OK;
}

void itsm__sla_live_bits(itsm_engine *eng)
{
    itsm__slaeng *se = itsm__se(eng);
    memset(se->live_state, 0, sizeof se->live_state);
    memset(se->ac_bits, 0, sizeof se->ac_bits);
    for (int k = 1; k <= ITSM_KIND_COUNT; k++) {
        const itsm__lifecycle *lc = itsm__lifecycle_of(eng, k);
        int e = se->auto_close_ev[k];
        for (size_t st = 0; st < lc->nstates; st++) {
            int stop = (se->stop_bits[k][st / 64] >> (st % 64)) & 1u;
            se->live_state[k][st] = (uint8_t)((itsm__lc_is_closed(lc, (int)st) ? 0u : ITSM__ST_OPEN) |
                                              (stop ? ITSM__ST_STOP : 0u));
            const itsm__transition *t = stop && e >= 0 ? itsm__find_transition(eng, k, (int)st, e) : NULL;
            if (t && t->to != (int)st)
                se->ac_bits[k][st / 64] |= (uint64_t)1 << (st % 64);
        }
    }
    se->live_policy = eng->policy;
    se->short_policy = se->has_agreements || se->has_rules ? NULL : eng->policy;
}

unsigned itsm__sla_pause_mask(const itsm_engine *eng, const itsm_record *r)
{
    const char *reason = STR(r, ITSM_F_HOLD_REASON);
    const itsm__slapol *sp = itsm__sl(itsm__rec_policy(r));
    (void)eng;
    if (reason)
        for (size_t i = 0; i < sp->npauses; i++)
            if (strcmp(sp->pauses[i].reason, reason) == 0)
                return sp->pauses[i].mask;
    return 0;
}

const char *itsm_record_sla(const itsm_record *r)
{
    if (!r || !itsm__sr(r))
        return NULL;
    return sla_of(r->eng, r)->name;
}

/* ---- hooks ---- */

/* The queue's compaction mark: past it (and past 64 entries) the next
 * reserve drops its stale entries. */
static inline size_t heap_mark(const itsm_engine *eng)
{
    size_t m = 2 * (eng->nrecs + 16);
    return m > 64 ? m : 64;
}

static inline size_t room_left(size_t cap, size_t used)
{
    return cap > used ? cap - used : 0;
}

/* reserve's growing part, apart: the common step has room already. It
 * leaves `room` at what every array holds beyond this batch's events. */
__attribute__((noinline)) static int reserve_grow(itsm_engine *eng)
{
    itsm__slaeng *se = itsm__se(eng);
    size_t n = eng->nbatch;
    se->room = 0;
    if (se->nheap > 64 && se->nheap > 2 * (eng->nrecs + 16))
        itsm__sla_heap_compact(eng);
    /* Every event may push one queue entry, add a service to the breadth
     * index and a record to the aging exception list: room for one of
     * each per event; an extension event may declare an outage (room for
     * one per event of any batch: then `room` holds for any batch). These
     * arrays hold few entries (the queue too while few records are open):
     * ROOM_AHEAD events more, or `room` would run out every few steps. They
     * grow in powers of two from 4 (itsm__grow): 62 beyond one event's
     * entry keeps the small ones at 64 entries and a call here every ~60
     * events (24, at 32 entries, called it every ~30: 547 a replay of
     * 20,000 UCI rows, ~96 each). */
    enum { ROOM_AHEAD = 62 };
    if (itsm__grow(&eng->alloc, (void **)&se->heap, &se->cheap, se->nheap + n + 1 + ROOM_AHEAD, sizeof *se->heap))
        return itsm__oom(eng);
    if (itsm__grow(&eng->alloc, (void **)&se->svc, &se->csvc, se->nsvc + n + ROOM_AHEAD, sizeof *se->svc) ||
        itsm__grow(&eng->alloc, (void **)&se->exc, &se->cexc, se->nexc + n + ROOM_AHEAD, sizeof *se->exc) ||
        itsm__grow(&eng->alloc, (void **)&se->outages, &se->coutages, se->noutages + n + ROOM_AHEAD,
                   sizeof *se->outages))
        return itsm__oom(eng);
    if (se->has_agreements)
        return itsm__agr_reserve(eng);   /* room stays 0: agreements reserve per batch */
    size_t room = room_left(se->cheap, se->nheap + 1);
    size_t more[] = { room_left(se->csvc, se->nsvc), room_left(se->cexc, se->nexc),
                      room_left(se->coutages, se->noutages), room_left(heap_mark(eng), se->nheap) };
    for (size_t i = 0; i < sizeof more / sizeof more[0]; i++)
        room = more[i] < room ? more[i] : room;
    room = room > n ? room - n : 0;
    se->room = (uint32_t)(room < UINT32_MAX ? room : UINT32_MAX);
    return ITSM_OK;
}

/* Room for this batch's events was counted when reserve last grew the
 * arrays (reserve_grow): taking from the count is all, and no call. While
 * the count lasts no compaction is due either (the queue stays below its
 * mark). */
static int reserve(itsm_engine *eng)
{
    itsm__slaeng *se = itsm__se(eng);
    size_t n = eng->nbatch;
    if (n <= se->room) {
        se->room -= (uint32_t)n;
        return ITSM_OK;
    }
    return reserve_grow(eng);
}

/* The record moves to another policy version at this event (core/batch.c
 * sets rec->pv after the before_apply hooks): its clocks advanced under
 * the old one; an SLA set by hand is found again by name (by service or
 * default when the new version has none of that name), and the re-plan
 * after the event is not skipped. */
__attribute__((noinline)) static void version_move(itsm_record *r, itsm__slarec *s, uint16_t pv)
{
    s->flags |= ITSM__SF_MOVED;
    if (s->sla_ovr) {
        const itsm__slapol *from = itsm__sl(itsm__rec_policy(r));
        const itsm__slapol *to = itsm__sl(r->eng->vers[pv]->policy);
        int i = s->sla_ovr <= from->nslas ? itsm__sla_find(to, from->slas[s->sla_ovr - 1].name) : -1;
        s->sla_ovr = (uint8_t)(i + 1);
    }
}

/* Before an event: the clocks count up to its time. Out of line: the
 * calendars' work, agreements (a record whose calendars are all 24x7 and
 * that has none counts in before_apply itself). */
__attribute__((noinline)) static void advance(itsm_engine *eng, itsm_record *r, itsm__slarec *s, itsm_time at)
{
    plan p = { 0, NULL, NULL, NULL };
    /* ITSM__SF_ALWAYS: the last re-plan found every calendar this record
     * counts in 24x7 (the plan has not changed since: whatever changes it
     * re-plans) */
    int planned = 0, always = (itsm__se(eng)->cals_always && !s->sla_ovr) || (s->flags & ITSM__SF_ALWAYS);
    if (always) {
        /* at > since here: a 24x7 calendar's work is at - since */
        int64_t w = at - s->since;
        for (int ck = 0; ck < ITSM__NCK; ck++)   /* unrolled: three byte tests */
            itsm__sla_count_up(&s->ck[ck], w);
    }
    for (int ck = 0; !always && ck < ITSM__NCK; ck++) {
        itsm__clock *c = &s->ck[ck];
        if (!c->run)
            continue;
        if (!planned) {
            p = plan_of(eng, r);
            planned = 1;
        }
        itsm__sla_count_up(c, itsm__cal_work(plan_cal(eng, &p, ck), s->since, at));
    }
    itsm_time from = s->since;
    s->since = at;
    if (s->agr)
        itsm__agr_advance(eng, r, from, at);
}

/* Whether itsm__sla_rule_before may drop the record's kept SLA rule
 * choice at this event (at the same version): it changes a field the
 * rules read, or they read the state or updated_at. */
static inline int rule_choice_moves(const itsm_event *ev, const itsm_record *r)
{
    const itsm__slapol *sp = itsm__sl(itsm__rec_policy(r));
    return (ev->fset & sp->rule_fields) || sp->rule_state;
}

/* before_apply past its common case: a re-plan of the clocks' work on
 * working-time calendars, the SLA rules' kept choice, a version move. */
__attribute__((noinline)) static void before_apply_rest(itsm_engine *eng, itsm_event *ev, itsm_record *r,
                                                        itsm__slarec *s, int advanced)
{
    if (!advanced && ev->at > s->since && s->since != ITSM_TIME_NONE)
        advance(eng, r, s, ev->at);
    if (s->flags & ITSM__SF_RULE_KEPT)
        itsm__sla_rule_before(r, ev);
    if (ev->pv != r->pv)
        version_move(r, s, ev->pv);
}

/* Past before_apply's common case, with the clocks behind the event's
 * time: the same case under the SLA rules' kept choice (a 24x7 plan, no
 * agreement, the same version), the choice dropped only when the event
 * may change what the rules read; else the rest. Apart, so that the plain
 * case keeps its registers; its calls are jumps (no frame here). */
__attribute__((noinline)) static void before_apply_past(itsm_engine *eng, itsm_event *ev, itsm_record *r,
                                                        itsm__slarec *s)
{
    if ((s->flags & (ITSM__SF_ALWAYS | ITSM__SF_RULE_KEPT)) != (ITSM__SF_ALWAYS | ITSM__SF_RULE_KEPT) || s->agr ||
        ev->pv != r->pv) {
        before_apply_rest(eng, ev, r, s, 0);
        return;
    }
    itsm__sla_count_all(s, ev->at - s->since);
    s->since = ev->at;
    if (rule_choice_moves(ev, r))
        itsm__sla_rule_before(r, ev);
}

static void before_apply(itsm_engine *eng, itsm_event *ev)
{
    itsm_record *r = ev->rec;   /* the core applies events on records only (it reads the kind first) */
    itsm__slarec *s;
    if (!(s = itsm__sr(r)))
        return;
    itsm_time since = s->since;
    /* An opening's record is new (record_init: `since` is NONE), so it
     * takes the test below that is not the common case's, and no other
     * event pays for the opening's own test. */
#ifdef ITSM_CHECK_REPLAN
    if (ev->type == ITSM__EV_OPEN && since != ITSM_TIME_NONE)
        __builtin_trap();
    if (eng->cap_before_skipped >> ITSM__CAP_SERVICE_LEVELS & 1u)   /* the after hook counts (count_where) */
        __builtin_trap();
#endif
    if (ev->at > since && since != ITSM_TIME_NONE) {
        /* The common case, decided by the record's flags: the last re-plan
         * found every calendar it counts in 24x7 (ITSM__SF_ALWAYS) and no
         * SLA rules' choice is kept (one test for both), it has no
         * agreement and stays at its version: each running clock gains
         * at - since. */
        uint32_t kept = s->flags & (ITSM__SF_ALWAYS | ITSM__SF_RULE_KEPT);
        if (kept == ITSM__SF_ALWAYS && !s->agr && ev->pv == r->pv) {
            itsm__sla_count_all(s, ev->at - since);
            s->since = ev->at;
            return;
        }
        before_apply_past(eng, ev, r, s);
        return;
    }
    /* an opening: nothing counts yet (its version is set after this
     * hook); a later event of the step comes at the same time: nothing to
     * count; under the SLA rules' kept choice the record is as it was */
    if (ev->type == ITSM__EV_OPEN)
        return;
    if (ev->pv != r->pv || ((s->flags & ITSM__SF_RULE_KEPT) && rule_choice_moves(ev, r)))
        before_apply_rest(eng, ev, r, s, 1);
}

/* Versions of one engine share the stop states (stop_bits) and the
 * agreements (a record's instances, by position). */
static int version_check(const itsm_policy *cur, const itsm_policy *next, char *why, size_t cap)
{
    const itsm__slapol *a = itsm__sl(cur), *b = itsm__sl(next);
    int same = a->nstop == b->nstop;
    for (size_t i = 0; same && i < a->nstop; i++)
        same = strcmp(a->stop[i], b->stop[i]) == 0;
    if (!same) {
        snprintf(why, cap, "its service-level stop states differ");
        return ITSM_EPOLICY;
    }
    same = a->nagrs == b->nagrs;
    for (size_t i = 0; same && i < a->nagrs; i++)
        same = strcmp(a->agrs[i].name, b->agrs[i].name) == 0;
    if (!same) {
        snprintf(why, cap, "its agreements differ (names or order; their terms may change)");
        return ITSM_EPOLICY;
    }
    return ITSM_OK;
}

static void version_added(itsm_engine *eng, const itsm_policy *p)
{
    itsm__slaeng *se = itsm__se(eng);
    se->cals_always = (uint8_t)(se->cals_always && cals_always_of(itsm__sl(p)));
    se->has_rules |= itsm__sl(p)->nrules > 0;
    se->timer_fields |= timer_fields_in(itsm__sl(p));
    se->live_policy = se->short_policy = NULL;   /* its stop states may add to stop_bits */
    itsm__agr_tables(p);
    if (eng->cap_before_skipped >> ITSM__CAP_SERVICE_LEVELS & 1u)   /* never back once off */
        count_where(eng);
    /* A state the version adds (after the others: the same indexes in
     * every version) may bear a stop state's name. */
    const itsm__slapol *sp = itsm__sl(p);
    for (int k = 1; k <= ITSM_KIND_COUNT; k++) {
        const itsm__lifecycle *lc = &p->lc[k];
        for (size_t s = 0; s < lc->nstates; s++)
            for (size_t i = 0; i < sp->nstop; i++)
                if (strcmp(sp->stop[i], lc->states[s]) == 0) {
                    se->stop_bits[k][s / 64] |= (uint64_t)1 << (s % 64);
                    eng->settled[k][s / 64] |= (uint64_t)1 << (s % 64);
                }
    }
}

/* A record's clocks live in the record's own block (record_size below):
 * made with it, set whole here (zeroed but the times and the service: the
 * core zeroes no state that has a record_init); gone with it. */
static void record_init(itsm_engine *eng, itsm_record *r)
{
    (void)eng;
    itsm__slarec *s = itsm__sr(r);
    if (!s)   /* never: called for its part alone */
        return;
    memset(s, 0, sizeof *s);
    s->since = s->state_since = s->nu_at = s->major_at = s->desk_at = s->next_fire = ITSM_TIME_NONE;
    s->svc = ITSM__NIL;
}

static void record_free(itsm_engine *eng, itsm_record *r)
{
    itsm__agr_free(eng, itsm__sr(r));
}

/* A store loads into an empty engine (itsm_engine_load): no timer fires
 * and nothing reads a schedule until it has loaded, so each record's is
 * planned once, from its state after its last event, instead of after
 * every event - the plan every re-plan would have left (a skipped re-plan
 * keeps the schedule only where planning again finds the same). Until
 * then next_fire stays as it was, which only makes after_apply skip
 * re-plans whose sole effect is the schedule. */
static int load(itsm_engine *eng, int begin)
{
    itsm__slaeng *se = itsm__se(eng);
    se->loading = (uint8_t)begin;
    if (begin)
        return ITSM_OK;
    se->room = 0;   /* the records' entries take room reserve did not count */
    if (itsm__grow(&eng->alloc, (void **)&se->heap, &se->cheap, se->nheap + eng->nrecs + 1, sizeof *se->heap))
        return itsm__oom(eng);
    for (size_t i = 0; i < eng->nrecs; i++) {
        itsm_record *r = eng->recs[i];
        if (!itsm__sr(r))
            continue;
        plan p = plan_of(eng, r);
        itsm__sla_schedule(eng, r, 0, &p);
    }
    return ITSM_OK;
}

static void engine_free(itsm_engine *eng)
{
    itsm__slaeng *se = itsm__se(eng);
    if (!se)
        return;
    itsm__free(&eng->alloc, se->heap);
    itsm__free(&eng->alloc, se->outages);
    itsm__free(&eng->alloc, se->svc);
    itsm__free(&eng->alloc, se->exc);
    while (se->nxfree)
        itsm__free(&eng->alloc, se->xfree[--se->nxfree]);
    itsm__free(&eng->alloc, se);
    eng->cap[ITSM__CAP_SERVICE_LEVELS] = NULL;
}

static const itsm__evclass *const classes[] = { &itsm__xclasses[ITSM__X_WARNING], &itsm__xclasses[ITSM__X_BREACH],
                                                &itsm__xclasses[ITSM__X_SLA_SET], &itsm__xclasses[ITSM__X_AGR_WARNING],
                                                &itsm__xclasses[ITSM__X_AGR_BREACH], NULL };

const itsm__capability itsm__cap_service_levels = {
    .name = "service_levels",
    .policy_keys = itsm__slapol_json_keys,
    .policy_new = itsm__slapol_new,
    .policy_free = itsm__slapol_free,
    .policy_clone = itsm__slapol_clone,
    .policy_read = itsm__slapol_read_json,
    .policy_write = itsm__slapol_write_json,
    .policy_check = itsm__agreements_check,
    .engine_init = engine_init,
    .engine_free = engine_free,
    .reserve = reserve,
    .before_apply = before_apply,
    .after_apply = itsm__sla_after_apply,
    .after_apply_alone = itsm__sla_after_apply_alone,
    .record_free = record_free,
    .load = load,
    .classes = classes,
    .version_check = version_check,
    .version_added = version_added,
    .record_size = sizeof(itsm__slarec),
    .record_kinds = (1u << ITSM_KIND_INCIDENT) | (1u << ITSM_KIND_SERVICE_REQUEST),
    .record_slot = ITSM__XS_TIMERS,
    .record_init = record_init,
};


