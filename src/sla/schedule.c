/* SPDX-License-Identifier: Apache-2.0 */
/* Scheduling: the earliest timer of a record (its clocks' warnings and
 * breaches, the next customer update, auto-close, a major incident's
 * deadlines, an on-call page, a review's actions, its agreements), kept
 * for the tick and pushed on the deadline queue (queue.c). */
#include "sla/plan.h"
#include "review/review_int.h"
#include "oncall/oncall_int.h"

/* `p` is plan_of(eng, r), `live` is is_live(eng, r): the caller has them. */
static inline itsm_time nu_due_of(const itsm_engine *eng, const itsm__slarec *s, const plan *p, int live)
{
    if (s->nu_at == ITSM_TIME_NONE || !live)
        return ITSM_TIME_NONE;
    /* A promise made to the customer is kept whatever the priority; only
     * the cadence needs one (DESIGN 6). */
    if (s->flags & ITSM__SF_NU_PROMISE)
        return s->nu_at;
    if (!p->prio)
        return ITSM_TIME_NONE;
    return itsm__cal_add_q(plan_cal(eng, p, ITSM__CK_RESOLUTION), s->nu_at, p->sp->cadence[p->prio - 1]);
}

itsm_time itsm__sla_nu_due(const itsm_engine *eng, const itsm_record *r)
{
    plan p = plan_of(eng, r);
    return nu_due_of(eng, itsm__sr(r), &p, is_live(eng, r));
}

/* `open` is is_open(eng, r). */
static itsm_time auto_close_due(const itsm_engine *eng, const itsm_record *r, int open)
{
    const itsm__slapol *sp = itsm__sl(itsm__rec_policy(r));
    if (!sp->auto_close_after || NUM(r, ITSM_F_MAJOR) || !open || !itsm__state_is_stop(eng, r, r->state))
        return ITSM_TIME_NONE;
    return auto_close_stopped(eng, r, itsm__sr(r), sp);
}

itsm_time itsm_record_auto_close_due(const itsm_record *r)
{
    if (!r || !itsm__sr(r))
        return ITSM_TIME_NONE;
    return auto_close_due(r->eng, r, is_open(r->eng, r));
}

/* The next warning or breach of clock `ck` (a constant: each call is
 * its own code) into `f`, when it runs. */
__attribute__((always_inline)) static inline void clock_next(const itsm_engine *eng, const itsm__slarec *s,
                                                             const plan *p, int ck, fire *f)
{
    const itsm__clock *c = &s->ck[ck];
    if (!c->run || c->hold)
        return;
    int what = FIRE_NONE;
    uint32_t target = plan_target(p, ck);
    int64_t thr = next_threshold(p->sp, c, target, &what);
    if (thr < 0)
        return;
    itsm_time at = thr <= c->elapsed ? s->since : itsm__cal_add_q(plan_cal(eng, p, ck), s->since, thr - c->elapsed);
    consider(f, at, what, ck);
}

/* itsm__sla_earliest_of, inline into the schedule: every re-plan that
 * plans comes through it (a fired timer's always does). `open` is
 * is_open(eng, r), `live` is_live(eng, r): the re-plans know them. */
__attribute__((always_inline)) static inline fire earliest_in(const itsm_engine *eng, const itsm_record *r,
                                                              const itsm__slarec *s, const plan *p, int open,
                                                              int live)
{
    const itsm__slapol *sp = p->sp;
    fire f = { ITSM_TIME_NONE, FIRE_NONE, 0 };
    _Static_assert(ITSM__NCK == 3, "each clock below");
    clock_next(eng, s, p, ITSM__CK_RESPONSE, &f);
    clock_next(eng, s, p, ITSM__CK_RESOLUTION, &f);
    clock_next(eng, s, p, ITSM__CK_OLA, &f);
    if (!(s->flags & ITSM__SF_NU_OVERDUE)) {
        itsm_time d = nu_due_of(eng, s, p, live);
        if (d != ITSM_TIME_NONE)
            consider(&f, d < ITSM_TIME_MAX ? d + 1 : d, FIRE_OVERDUE, 0);
    }
    if (!(s->flags & ITSM__SF_AC_BLOCKED) && open && !live && sp->auto_close_after && !NUM(r, ITSM_F_MAJOR))
        consider(&f, auto_close_stopped(eng, r, s, sp), FIRE_AUTOCLOSE, 0);   /* open, in a stop state */
    /* Owed until met, also once closed after its restoration (seed 001: a
     * fix does not excuse the initial communication, nor does its quick
     * confirmation); one closed unrestored (canceled) owes nothing. */
    if (s->major_at != ITSM_TIME_NONE && NUM(r, ITSM_F_MAJOR) &&
        (open || NUM(r, ITSM_F_RESOLVED_AT) != ITSM_TIME_NONE)) {
        if (!(s->flags & (ITSM__SF_MAJ_COMMS | ITSM__SF_MAJ_COMMS_MISSED)))
            consider(&f, s->major_at + sp->major_comms_due + 1, FIRE_MAJ_COMMS, 0);
        if (!(s->flags & (ITSM__SF_MAJ_GROUPS | ITSM__SF_MAJ_GROUPS_MISSED)))
            consider(&f, s->major_at + sp->major_groups_due + 1, FIRE_MAJ_GROUPS, 0);
    }
    /* An on-call page's acknowledge deadline (src/oncall): a resolved or
     * closed incident's climb has stopped. */
    if ((s->flags & ITSM__SF_PAGED) && live)
        consider(&f, itsm__oncall_due(eng, r), FIRE_PAGE, 0);
    if (itsm__review_has_timers(eng)) {
        int action;
        itsm_time d = itsm__review_next_due(eng, r, &action);
        consider(&f, d, FIRE_REVIEW_ACTION, action);
    }
    if (s->agr) {
        /* apart, by value: `f` stays in registers on the common path */
        fire g = itsm__agr_earliest(eng, r);
        if (g.at != ITSM_TIME_NONE && (f.at == ITSM_TIME_NONE || g.at < f.at))
            f = g;
    }
    return f;
}

/* The same, finding whether the record is open and live. */
__attribute__((always_inline)) static inline fire earliest_of(const itsm_engine *eng, const itsm_record *r,
                                                              const itsm__slarec *s, const plan *p)
{
    int open = is_open(eng, r);
    return earliest_in(eng, r, s, p, open, open && !itsm__state_is_stop(eng, r, r->state));
}

fire itsm__sla_earliest_of(const itsm_engine *eng, const itsm_record *r, const plan *p)
{
    return earliest_of(eng, r, itsm__sr(r), p);
}

fire itsm__sla_earliest(const itsm_engine *eng, const itsm_record *r)
{
    plan p = plan_of(eng, r);
    return earliest_of(eng, r, itsm__sr(r), &p);
}

void itsm__sla_schedule(itsm_engine *eng, itsm_record *r, int force, const plan *p)
{
    int open = is_open(eng, r);
    itsm__sla_schedule_in(eng, r, itsm__sr(r), force, p, open, open && !itsm__state_is_stop(eng, r, r->state));
}

/* itsm__sla_schedule_in, inline into its forms below. */
__attribute__((always_inline)) static inline void schedule_in(itsm_engine *eng, itsm_record *r, itsm__slarec *s,
                                                               int force, const plan *p, int open, int live)
{
    if (itsm__se(eng)->loading)
        return;   /* planned once at the load's end (sla.c, load) */
    fire f = earliest_in(eng, r, s, p, open, live);
    /* Kept for the tick when it fits; else the tick plans again. */
    int kept = f.what >= 0 && f.what <= UINT8_MAX && f.ck >= 0 && f.ck <= UINT8_MAX;
    s->next_what = (uint8_t)(kept ? f.what : FIRE_NONE);
    s->next_ck = (uint8_t)(kept ? f.ck : 0);
    if (f.at == s->next_fire && !force)
        return;
    s->next_fire = f.at;
    itsm__slaeng *se = itsm__se(eng);
    if (se->top_firing && r == se->firing)
        itsm__sla_heap_retop(se, f.at, s->idx);   /* the fired entry is still on top */
    else if (f.at != ITSM_TIME_NONE)
        itsm__sla_heap_push(se, f.at, s->idx);
}

void itsm__sla_schedule_in(itsm_engine *eng, itsm_record *r, itsm__slarec *s, int force, const plan *p, int open,
                           int live)
{
    schedule_in(eng, r, s, force, p, open, live);
}

/* A live record's schedule in full (see itsm__sla_schedule_live). */
__attribute__((noinline)) static void schedule_live_full(itsm_engine *eng, itsm_record *r, itsm__slarec *s,
                                                         int force, const itsm__slapol *sp)
{
    plan p = plan_in(r, s, sp);
    schedule_in(eng, r, s, force, &p, 1, 1);
}

/* earliest_in for a live record (open=1, live=1) under a plain policy (no
 * OLAs), its SLA found without a call (sla_in_q: set by hand, the SLA
 * rules' kept choice, or the default for a record without a service), its
 * SLA's calendar for the priority 24x7, no agreement, major incident, page
 * or review timers: the priority's targets and calendar read once,
 * nothing called. 0: not
 * such a record, or a count the quick form does not make (nothing
 * changed: the general path decides). */
static inline int earliest_plain(const itsm_engine *eng, const itsm_record *r, const itsm__slarec *s,
                                 const itsm__slapol *sp, fire *f)
{
    if (sp->nolas)   /* SLA rules and a service map only choose the SLA: sla_in */
        return 0;
    if (s->agr || s->major_at != ITSM_TIME_NONE || (s->flags & ITSM__SF_PAGED) || itsm__review_has_timers(eng))
        return 0;
    const itsm__sla *sla = sla_in_q(r, s, sp);
    if (!sla)
        return 0;
    int prio = prio_of(r);
    int i = prio ? prio - 1 : 0;
    const itsm__cal *cal = &sp->cals[sla->cal[i]];
    if (!cal->always || !cal->week)
        return 0;
    f->at = ITSM_TIME_NONE;
    f->what = FIRE_NONE;
    f->ck = 0;
    _Static_assert(ITSM__NCK == 3, "each clock below");
    if (!sla_clock_q(sp, s, &s->ck[ITSM__CK_RESPONSE], prio ? sla->response[i] : 0, ITSM__CK_RESPONSE, f) ||
        !sla_clock_q(sp, s, &s->ck[ITSM__CK_RESOLUTION], prio ? sla->resolution[i] : 0, ITSM__CK_RESOLUTION, f) ||
        !sla_clock_q(sp, s, &s->ck[ITSM__CK_OLA], 0, ITSM__CK_OLA, f))   /* no OLA: no target */
        return 0;
    return nu_q(sp, s, prio, i, f);   /* no auto-close for a live record */
}

#ifdef ITSM_CHECK_REPLAN
/* The debug build: earliest_plain's answer is earliest_in's. */
#define CHECK_PLAIN(eng, r, s, sp, f)                                                              \
    do {                                                                                           \
        plan p_ = plan_in((r), (s), (sp));                                                         \
        fire g_ = earliest_in((eng), (r), (s), &p_, 1, 1);                                         \
        if (g_.at != (f).at || g_.what != (f).what || g_.ck != (f).ck)                             \
            itsm__sla_replan_differs((eng), (r), "a plain policy's schedule",                      \
                                     "what*256+clock at next timer", g_.what * 256 + g_.ck,        \
                                     g_.at != (f).at ? -1 : (f).what * 256 + (f).ck);              \
    } while (0)
#else
#define CHECK_PLAIN(eng, r, s, sp, f) ((void)0)
#endif

/* What earliest_in finds for a live record whatever its plan but the next
 * update: no clock counting toward a threshold (each stopped, held or
 * breached: next_threshold), no agreement, major incident's deadline, page
 * or review timer. */
static inline int only_update_due(const itsm_engine *eng, const itsm__slarec *s)
{
    _Static_assert(ITSM__NCK == 3, "each clock below");
    for (int ck = 0; ck < ITSM__NCK; ck++)
        if (s->ck[ck].run && !s->ck[ck].hold && !s->ck[ck].breached)
            return 0;
    return !s->agr && s->major_at == ITSM_TIME_NONE && !(s->flags & ITSM__SF_PAGED) && !itsm__review_has_timers(eng);
}

/* earliest_in for a live record (only_update_due) that owes an update:
 * its overdue timer (nu_q), under a plain policy (no OLAs), the SLA found
 * without a call (sla_in_q) and its calendar for the priority 24x7, where
 * the cadence is counted. 0: not such a record, or a count the quick form
 * does not make (nothing changed). */
static inline int update_due_plain(const itsm_record *r, const itsm__slarec *s, const itsm__slapol *sp, fire *f)
{
    const itsm__sla *sla = sla_in_q(r, s, sp);
    if (!sla)
        return 0;
    int prio = prio_of(r);
    int i = prio ? prio - 1 : 0;
    const itsm__cal *cal = &sp->cals[sla->cal[i]];
    if (!cal->always || !cal->week)
        return 0;
    f->at = ITSM_TIME_NONE;
    f->what = FIRE_NONE;
    f->ck = 0;
    return nu_q(sp, s, prio, i, f);
}

/* itsm__sla_schedule_live's body: the common record under a plain policy
 * planned without a frame (earliest_plain); the rest with the plan looked
 * up in schedule_live_full, where it stays in registers. */
__attribute__((noinline)) static void schedule_live_plain(itsm_engine *eng, itsm_record *r, itsm__slarec *s,
                                                          int force, const itsm__slapol *sp)
{
    itsm__slaeng *se = itsm__se(eng);
    fire f;
    if (se->loading || !earliest_plain(eng, r, s, sp, &f)) {
        schedule_live_full(eng, r, s, force, sp);
        return;
    }
    CHECK_PLAIN(eng, r, s, sp, f);
    schedule_plain_keep(se, r, s, f, force);
}

/* A live record's schedule after its kept timer, a clock's breach, fired
 * (itsm__sla_schedule_live). Most often that breach was the resolution
 * clock's and no other clock counts (only_update_due): then the next
 * update's overdue timer is all that can be due - none when no update is
 * owed (most often the breach came before the first answer), planned
 * without the plan - else its overdue timer alone (update_due_plain), no
 * clock's threshold looked for. Every other record as any. Apart: the
 * others pay one test. */
__attribute__((noinline)) static void schedule_breached(itsm_engine *eng, itsm_record *r, itsm__slarec *s,
                                                        int force, const itsm__slapol *sp)
{
    fire f = { ITSM_TIME_NONE, FIRE_NONE, 0 };
    if (!only_update_due(eng, s) ||
        (!(s->flags & ITSM__SF_NU_OVERDUE) && s->nu_at != ITSM_TIME_NONE && !update_due_plain(r, s, sp, &f))) {
        schedule_live_plain(eng, r, s, force, sp);
        return;
    }
    CHECK_PLAIN(eng, r, s, sp, f);
    schedule_plain_keep(itsm__se(eng), r, s, f, force);
}

/* A live record's schedule (the short forms of a step between open
 * states and of a clock's verdict): open and live known. A record whose
 * clock's breach was its kept timer (most often the one the tick fired)
 * may have nothing left (schedule_breached); every other, and those that
 * have something left, schedule_live_plain. Both are jumps. */
void itsm__sla_schedule_live(itsm_engine *eng, itsm_record *r, itsm__slarec *s, int force, const itsm__slapol *sp)
{
    if (s->next_what == FIRE_BREACH && !itsm__se(eng)->loading)
        schedule_breached(eng, r, s, force, sp);
    else
        schedule_live_plain(eng, r, s, force, sp);
}

int itsm__sla_replan(itsm_engine *eng, itsm_record *r)
{
    itsm__slaeng *se = itsm__se(eng);
    se->room = 0;   /* its entry takes room reserve did not count */
    if (itsm__grow(&eng->alloc, (void **)&se->heap, &se->cheap, se->nheap + 1, sizeof *se->heap))
        return itsm__oom(eng);
    plan p = plan_of(eng, r);
    itsm__sla_schedule(eng, r, 0, &p);
    return ITSM_OK;
}
