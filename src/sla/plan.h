/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Internal to the service-level files (sla.c, schedule.c, replan.c,
 * replan_short.c, timers.c): what applies to a record (its priority, SLA, OLA and
 * calendars: the plan), the record's liveness and clocks as bit sets, and
 * the steps of a re-plan between the files. Inline: the hooks ask these on
 * every event.
 */
#ifndef ITSM_SRC_SLA_PLAN_H
#define ITSM_SRC_SLA_PLAN_H

#include "sla/sla_int.h"
#include "core/core.h"

#include <string.h>

/* A field's slot; those every re-plan reads by their names (core/fields.h),
 * so that the record is read without the field table. */
#define SLOT(f) ((f) == ITSM_F_PRIORITY ? ITSM__SLOT_PRIORITY : (f) == ITSM_F_MAJOR ? ITSM__SLOT_MAJOR :          \
                 (f) == ITSM_F_SERVICE ? ITSM__SLOT_SERVICE : (f) == ITSM_F_RESPONDED_AT ? ITSM__SLOT_RESPONDED_AT : \
                 (f) == ITSM_F_ASSIGNMENT_GROUP ? ITSM__SLOT_ASSIGNMENT_GROUP :                                      \
                 (f) == ITSM_F_ASSIGNEE ? ITSM__SLOT_ASSIGNEE : (f) == ITSM_F_OPENED_AT ? ITSM__SLOT_OPENED_AT :     \
                 itsm__fields[f].slot)
#define NUM(r, f) itsm__rec_num((r), SLOT(f))
#define STR(r, f) (itsm__rec_str((r), SLOT(f)))

/* ---- what applies to a record ---- */

static inline int prio_of(const itsm_record *r)
{
    int64_t p = NUM(r, ITSM_F_PRIORITY);
    return p >= 1 && p <= 5 ? (int)p : 0;
}

/* The policy's searches by name (sla.c): apart, most policies map no
 * service and have no OLAs. */
const itsm__sla *itsm__sla_by_service(const itsm__slapol *sp, const char *svc);
const itsm__ola *itsm__ola_by_group(const itsm__slapol *sp, const char *g);

/* The SLA of a record (its service levels `s`, NULL: none) under its
 * version's policy `sp`. Inline, the service search apart: most policies map no
 * service, and every re-plan asks. */
static inline const itsm__sla *sla_in_with(const itsm_record *r, const itsm__slarec *s, const itsm__slapol *sp,
                                           const int rules)
{
    if (s && s->sla_ovr && s->sla_ovr <= sp->nslas)
        return &sp->slas[s->sla_ovr - 1];
    if (rules && sp->nrules) {
        const itsm__sla *sla = itsm__sla_by_rule_kept(sp, r);
        if (sla)
            return sla;
    }
    const char *svc = sp->nsvc ? STR(r, ITSM_F_SERVICE) : NULL;
    if (svc)
        return itsm__sla_by_service(sp, svc);
    return &sp->slas[sp->default_sla];
}
static inline const itsm__sla *sla_in(const itsm_record *r, const itsm__slarec *s, const itsm__slapol *sp)
{
    return sla_in_with(r, s, sp, 1);
}

/* sla_in without a call: NULL when the SLA rules must be evaluated (no
 * choice kept: itsm__sla_by_rule_kept) or the service map searched (the
 * record has a service). The live schedule's quick form asks it, so that
 * it calls nothing. */
static inline const itsm__sla *sla_in_q(const itsm_record *r, const itsm__slarec *s, const itsm__slapol *sp)
{
    if (s->sla_ovr && s->sla_ovr <= sp->nslas)
        return &sp->slas[s->sla_ovr - 1];
    if (sp->nrules) {
        if (!(s->flags & ITSM__SF_RULE_KEPT))
            return NULL;
        uint32_t chosen = s->flags >> ITSM__SF_RULE_SHIFT;   /* the kept choice, as itsm__sla_by_rule_kept */
        if (chosen)
            return &sp->slas[chosen - 1];
    }
    if (sp->nsvc && STR(r, ITSM_F_SERVICE))
        return NULL;
    return &sp->slas[sp->default_sla];
}

static inline const itsm__sla *sla_of(const itsm_engine *eng, const itsm_record *r)
{
    (void)eng;
    return sla_in(r, itsm__sr(r), itsm__sl(itsm__rec_policy(r)));   /* the record's version */
}

/* As sla_in: the search apart, few policies have OLAs. */
static inline const itsm__ola *ola_in(const itsm_record *r, const itsm__slapol *sp)
{
    const char *g = sp->nolas ? STR(r, ITSM_F_ASSIGNMENT_GROUP) : NULL;
    return g ? itsm__ola_by_group(sp, g) : NULL;
}

static inline const itsm__ola *ola_of(const itsm_engine *eng, const itsm_record *r)
{
    (void)eng;
    return ola_in(r, itsm__sl(itsm__rec_policy(r)));
}

/* What applies to a record, looked up once for the several clocks a hook
 * visits (priority, SLA, OLA); the same answers as itsm__rec_target and
 * cal_of while the record does not change. */
typedef struct plan { int prio; const itsm__sla *sla; const itsm__ola *ola; const itsm__slapol *sp; } plan;

/* Always inline: out of line it returns through memory, and the re-plans
 * that ask it are on every fired timer's path. plan_in: the record's
 * state `s` and its version's policy `sp` known. */
__attribute__((always_inline)) static inline plan plan_in(const itsm_record *r, const itsm__slarec *s,
                                                          const itsm__slapol *sp)
{
    plan p = { prio_of(r), sla_in(r, s, sp), ola_in(r, sp), sp };
    return p;
}
/* plan_in under short_policy (the short forms' `plain`): no version of
 * the engine has SLA rules, so the rules' test is left out; `s` is the
 * record's own. */
__attribute__((always_inline)) static inline plan plan_in_plain(const itsm_record *r, const itsm__slarec *s,
                                                                const itsm__slapol *sp)
{
    plan p = { prio_of(r), sla_in_with(r, s, sp, 0), ola_in(r, sp), sp };
    return p;
}

__attribute__((always_inline)) static inline plan plan_of(const itsm_engine *eng, const itsm_record *r)
{
    (void)eng;
    return plan_in(r, itsm__sr(r), itsm__sl(itsm__rec_policy(r)));
}

static inline uint32_t plan_target(const plan *p, int ck)
{
    if (ck == ITSM__CK_OLA)
        return p->ola ? p->ola->target : 0;
    if (!p->prio)
        return 0;
    return ck == ITSM__CK_RESPONSE ? p->sla->response[p->prio - 1] : p->sla->resolution[p->prio - 1];
}

static inline const itsm__cal *plan_cal(const itsm_engine *eng, const plan *p, int ck)
{
    const itsm__slapol *sp = p->sp;
    (void)eng;
    if (ck == ITSM__CK_OLA && p->ola)
        return &sp->cals[p->ola->cal];
    return &sp->cals[p->sla->cal[p->prio ? p->prio - 1 : 0]];
}

/* Whether every calendar the record's running clocks count in is 24x7. */
static inline int plan_always(const itsm_engine *eng, const plan *p)
{
    (void)eng;
    /* plan_target and plan_cal of each clock, unrolled: the response and
     * resolution clocks share the SLA's calendar for the priority */
    if (p->ola && p->ola->target && !p->sp->cals[p->ola->cal].always)
        return 0;
    if (p->prio && (p->sla->response[p->prio - 1] || p->sla->resolution[p->prio - 1]) &&
        !p->sp->cals[p->sla->cal[p->prio - 1]].always)
        return 0;
    return 1;
}

/* A running clock's due time: what is left of `target` counted from
 * `since` in `cal` (`since` itself when nothing is left); ITSM_TIME_NONE
 * when it does not run, is held or has no target. */
static inline itsm_time due_in(const itsm__clock *c, itsm_time since, uint32_t target, const itsm__cal *cal)
{
    if (!c->run || c->hold || !target)
        return ITSM_TIME_NONE;
    if (target <= c->elapsed)
        return since;
    return itsm__cal_add_q(cal, since, (int64_t)target - c->elapsed);
}

/* The due time of clock `ck` (its state `s`): its target counted from
 * `since` in the calendar that goes with it; ITSM_TIME_NONE when it does
 * not run. Inline: the tick asks it for every warning it fires
 * (itsm__sla_clock_due is the same, out of line). */
static inline itsm_time clock_due_of(const itsm_engine *eng, const itsm_record *r, const itsm__slarec *s, int ck)
{
    const itsm__clock *c = &s->ck[ck];
    if (!c->run || c->hold)
        return ITSM_TIME_NONE;
    if (ck == ITSM__CK_OLA) {
        plan p = plan_of(eng, r);   /* what plan_target and plan_cal read */
        return due_in(c, s->since, plan_target(&p, ck), plan_cal(eng, &p, ck));
    }
    /* the SLA's clocks: plan_target and plan_cal without the OLA */
    int prio = prio_of(r);
    if (!prio)
        return ITSM_TIME_NONE;
    const itsm__sla *sla = sla_of(eng, r);
    uint32_t target = ck == ITSM__CK_RESPONSE ? sla->response[prio - 1] : sla->resolution[prio - 1];
    if (!target)
        return ITSM_TIME_NONE;
    const itsm__slapol *sp = itsm__sl(itsm__rec_policy(r));
    return due_in(c, s->since, target, &sp->cals[sla->cal[prio - 1]]);
}

static inline int is_open(const itsm_engine *eng, const itsm_record *r)
{
    return !itsm__lc_is_closed(itsm__lifecycle_of(eng, r->kind), r->state);
}

/* Open and not in a stop state: where clocks count. */
static inline int is_live(const itsm_engine *eng, const itsm_record *r)
{
    return is_open(eng, r) && !itsm__state_is_stop(eng, r, r->state);
}

/* Whether clock `ck` counts in the record's current state; `live` is
 * is_live(eng, r). */
static inline int clock_runs(const itsm_record *r, int ck, const plan *p, int live)
{
    if (!live)
        return 0;
    if (ck == ITSM__CK_RESPONSE && NUM(r, ITSM_F_RESPONDED_AT) != ITSM_TIME_NONE)
        return 0;
    return plan_target(p, ck) > 0;
}

/* The clocks' run and hold flags as bit sets (bit ck). */
_Static_assert(ITSM__NCK == 3, "the bit sets below name every clock");
static inline unsigned run_bits(const itsm__slarec *s)
{
    return (unsigned)s->ck[0].run | (unsigned)s->ck[1].run << 1 | (unsigned)s->ck[2].run << 2;
}
static inline unsigned hold_bits(const itsm__slarec *s)
{
    return (unsigned)s->ck[0].hold | (unsigned)s->ck[1].hold << 1 | (unsigned)s->ck[2].hold << 2;
}

/* Sets the clocks' run and hold flags from bit sets (bit ck): written out,
 * six byte stores (a loop over the clocks kept its counter and shifts). */
static inline void clocks_set(itsm__slarec *s, unsigned runs, unsigned holds)
{
    _Static_assert(ITSM__NCK == 3, "each clock below");
    s->ck[0].run = (uint8_t)(runs & 1u);
    s->ck[0].hold = (uint8_t)(holds & 1u);
    s->ck[1].run = (uint8_t)(runs >> 1 & 1u);
    s->ck[1].hold = (uint8_t)(holds >> 1 & 1u);
    s->ck[2].run = (uint8_t)(runs >> 2 & 1u);
    s->ck[2].hold = (uint8_t)(holds >> 2 & 1u);
}

/* Clocks that ran (bit ck of `was_runs`) and stop now take their verdict
 * under the plan they stop with, `p`; clocks that start again drop the
 * one they had (ITSM__CB_JUDGED). A clock with no target under `p` takes
 * none: it is judged as it is read. */
static inline void clock_judged(itsm__clock *c, uint32_t target)
{
    c->breached = (uint8_t)((c->breached & ITSM__CB_FIRED) |
                            (target ? ITSM__CB_JUDGED | (c->elapsed >= target ? ITSM__CB_LATE : 0u) : 0u));
}
static inline void clocks_judge(itsm__slarec *s, unsigned was_runs, unsigned runs, const plan *p)
{
    /* only the clocks that stop or start (a step moves one or two): a
     * walk over their bits, not a loop over every clock */
    for (unsigned b = was_runs & ~runs & 7u; b; b &= b - 1) {
        unsigned ck = itsm__ctz32(b);
        clock_judged(&s->ck[ck], plan_target(p, (int)ck));
    }
    for (unsigned b = runs & ~was_runs & 7u; b; b &= b - 1)
        s->ck[itsm__ctz32(b)].breached &= (uint8_t)ITSM__CB_FIRED;
}

/* clocks_judge for a step that stops every clock (into a stop state):
 * each clock written out, its target under `p` read for it alone. */
static inline void clocks_judge_all_stop(itsm__slarec *s, unsigned was_runs, const plan *p)
{
    _Static_assert(ITSM__NCK == 3, "each clock below");
    if (was_runs & 1u << ITSM__CK_RESPONSE)
        clock_judged(&s->ck[ITSM__CK_RESPONSE], plan_target(p, ITSM__CK_RESPONSE));
    if (was_runs & 1u << ITSM__CK_RESOLUTION)
        clock_judged(&s->ck[ITSM__CK_RESOLUTION], plan_target(p, ITSM__CK_RESOLUTION));
    if (was_runs & 1u << ITSM__CK_OLA)
        clock_judged(&s->ck[ITSM__CK_OLA], plan_target(p, ITSM__CK_OLA));
}

/* The clocks' hold flags were set as their run flags under pause mask
 * `mask` (hold == run & mask): kept in the flags for the quiet step. */
static inline void holds_set_with(itsm__slarec *s, unsigned mask)
{
    s->flags = (s->flags & ~ITSM__SF_HOLD_MASK) | (mask & 7u) << ITSM__SF_HOLD_SHIFT;
}

/* The hold reason's pause mask, by the policy's list (sla.c). */
unsigned itsm__sla_pause_mask(const itsm_engine *eng, const itsm_record *r);

/* The hold reason's pause mask, through a one-entry cache: hosts hold
 * for the same few reasons (interned: the pointer is the value), and the
 * policy's list is searched by name. */
static inline unsigned pause_mask_cached(itsm_engine *eng, const itsm_record *r)
{
    uint32_t id = r->sym[ITSM__SLOT_HOLD_REASON - ITSM__NTEXT];
    if (!id)
        return 0;
    itsm__slaeng *se = itsm__se(eng);
    if (se->pm_reason != id || se->pm_pv != r->pv) {
        se->pm_mask = itsm__sla_pause_mask(eng, r);
        se->pm_reason = id;
        se->pm_pv = r->pv;
    }
    return se->pm_mask;
}


/* The fields the re-plan and the schedule read from a record. */
#define FBIT(f) ((uint64_t)1 << (f))
#define TIMER_FIELDS (FBIT(ITSM_F_SERVICE) | FBIT(ITSM_F_PRIORITY) | FBIT(ITSM_F_ASSIGNMENT_GROUP) | \
                      FBIT(ITSM_F_MAJOR) | FBIT(ITSM_F_HOLD_REASON) | FBIT(ITSM_F_RESPONDED_AT))

/* A group change matters to the timers only under a policy with OLAs:
 * elsewhere the OLA clock has no target and does not run, and the change
 * only starts it afresh for the new group (ola_follow_group), which the
 * short forms do as the whole re-plan would. The fields the short forms
 * look at under the record's policy `sp`, but for the hold reason. */
static inline uint64_t timer_fields_in(const itsm__slapol *sp)
{
    return (TIMER_FIELDS & ~FBIT(ITSM_F_HOLD_REASON) & ~(sp->nolas ? 0 : FBIT(ITSM_F_ASSIGNMENT_GROUP))) |
           sp->rule_fields;
}
/* OLA: a new group starts its own clock. */
static inline void ola_follow_group(const itsm_record *r, itsm__slarec *s)
{
    uint32_t g = r->sym[SLOT(ITSM_F_ASSIGNMENT_GROUP) - ITSM__NTEXT];
    if (g != s->ola_group) {
        memset(&s->ck[ITSM__CK_OLA], 0, sizeof s->ck[ITSM__CK_OLA]);
        s->ola_group = g;
    }
}

/* The next update is still to be owed from the first response: the
 * record was answered and has a priority now, the cadence's input (a
 * record answered before it had one starts owing when it gets one:
 * DESIGN 4, the clocks start with the priority). */
static inline int nu_to_start(const itsm_record *r, const itsm__slarec *s)
{
    int64_t prio = NUM(r, ITSM_F_PRIORITY);
    return s->nu_at == ITSM_TIME_NONE && NUM(r, ITSM_F_RESPONDED_AT) != ITSM_TIME_NONE && prio >= 1 && prio <= 5;
}

/* The flags earliest() reads. */
#define PLAN_FLAGS (ITSM__SF_NU_OVERDUE | ITSM__SF_AC_BLOCKED | ITSM__SF_MAJ_COMMS | ITSM__SF_MAJ_GROUPS | \
                    ITSM__SF_MAJ_COMMS_MISSED | ITSM__SF_MAJ_GROUPS_MISSED | ITSM__SF_NU_PROMISE | ITSM__SF_PAGED)
/* Fields the plan (priority, SLA, OLA) and the next-update clock read. */
#define PLAN_FIELDS (FBIT(ITSM_F_SERVICE) | FBIT(ITSM_F_PRIORITY) | FBIT(ITSM_F_MAJOR) | FBIT(ITSM_F_RESPONDED_AT))

/* ---- the steps of a re-plan, between the files ---- */

/* The earliest timer of a record under plan `p` (schedule.c). */
fire itsm__sla_earliest_of(const itsm_engine *eng, const itsm_record *r, const plan *p);
/* Plan the record's next timer: kept for the tick, and pushed on the
 * queue when it moved (or `force`). Room was reserved (schedule.c). */
void itsm__sla_schedule(itsm_engine *eng, itsm_record *r, int force, const plan *p);
/* The same for a caller that knows the record's state `s` and whether it
 * is open (is_open) and live (is_live). */
void itsm__sla_schedule_in(itsm_engine *eng, itsm_record *r, itsm__slarec *s, int force, const plan *p, int open,
                           int live);
/* The same for a live record (open, not in a stop state) under its
 * version's policy `sp`, its plan looked up there (schedule.c). */
void itsm__sla_schedule_live(itsm_engine *eng, itsm_record *r, itsm__slarec *s, int force, const itsm__slapol *sp);
/* A timer at `at` (ITSM_TIME_NONE: none) into `f` when it is earlier. */
static inline void consider(fire *f, itsm_time at, int what, int ck)
{
    if (at == ITSM_TIME_NONE)
        return;
    if (f->at == ITSM_TIME_NONE || at < f->at) {
        f->at = at;
        f->what = what;
        f->ck = ck;
    }
}

/* Working seconds into the target at which the next warning or the breach
 * falls; -1 when nothing is left to fire. */
static inline int64_t next_threshold(const itsm__slapol *sp, const itsm__clock *c, uint32_t target, int *what)
{
    if (c->breached)
        return -1;
    if (c->warned < sp->nwarn) {
        *what = FIRE_WARNING;
        return ((int64_t)target * sp->warn[c->warned] + 999) / 1000;
    }
    *what = FIRE_BREACH;
    return target;
}

/* The quick counts of a live record under a plain policy, its SLA's
 * calendar for the priority 24x7 (schedule.c, earliest_plain; an opening
 * planned directly, replan.c). A clock of the SLA (`target` under the
 * priority) into `f`: clock_next with itsm__cal_add_q's quick case alone.
 * 0: the calendar's general count is needed (nothing found). */
static inline int sla_clock_q(const itsm__slapol *sp, const itsm__slarec *s,
                                                             const itsm__clock *c, uint32_t target, int ck, fire *f)
{
    if (!c->run || c->hold)
        return 1;
    int what = FIRE_NONE;
    int64_t thr = next_threshold(sp, c, target, &what);
    if (thr < 0)
        return 1;
    itsm_time at = s->since;
    if (thr > c->elapsed) {
        int64_t w = thr - c->elapsed;
        if (at > ITSM_TIME_MAX - w)
            return 0;
        at += w;
    }
    consider(f, at, what, ck);
    return 1;
}

/* The next update's overdue timer (nu_due_of) into `f`, the priority
 * `prio` (0: none) at index `i` (prio - 1 when there is one); 0 as
 * sla_clock_q. */
__attribute__((always_inline)) static inline int nu_q(const itsm__slapol *sp, const itsm__slarec *s, int prio,
                                                      int i, fire *f)
{
    if (!(s->flags & ITSM__SF_NU_OVERDUE) && s->nu_at != ITSM_TIME_NONE) {
        itsm_time d;
        if (s->flags & ITSM__SF_NU_PROMISE)
            d = s->nu_at;
        else if (!prio)
            d = ITSM_TIME_NONE;
        else {
            int64_t w = sp->cadence[i];
            if (w <= 0 || s->nu_at > ITSM_TIME_MAX - w)
                return 0;
            d = s->nu_at + w;
        }
        if (d != ITSM_TIME_NONE)
            consider(f, d < ITSM_TIME_MAX ? d + 1 : d, FIRE_OVERDUE, 0);
    }
    return 1;
}

/* schedule_in's end for a timer the quick counts found (f.what and f.ck
 * fit: FIRE_OVERDUE at most, a clock): kept for the tick, and pushed on
 * the queue when it moved (or `force`). */
__attribute__((always_inline)) static inline void schedule_plain_keep(itsm__slaeng *se, const itsm_record *r,
                                                                      itsm__slarec *s, fire f, int force)
{
    s->next_what = (uint8_t)f.what;
    s->next_ck = (uint8_t)f.ck;
    if (f.at == s->next_fire && !force)
        return;
    s->next_fire = f.at;
    if (se->top_firing && r == se->firing)
        itsm__sla_heap_retop(se, f.at, s->idx);   /* the fired entry is still on top */
    else if (f.at != ITSM_TIME_NONE)
        itsm__sla_heap_push(se, f.at, s->idx);
}

/* The auto-close due time of a record in a stop state, open and not a
 * major incident, under `sp` (its version's policy, which auto-closes):
 * a stop state whose auto_close step leads elsewhere - a step back into
 * the same state would leave this due time as it is, and the tick would
 * fire it again without end (no timer then). Found for the engine's
 * policy (ac_bits: each schedule of a resolved record asks), looked up
 * while they are not. Inline: the schedule
 * (schedule.c) and a resolve's short form (replan_short.c) ask it. */
__attribute__((always_inline)) static inline itsm_time auto_close_stopped(const itsm_engine *eng,
                                                                          const itsm_record *r,
                                                                          const itsm__slarec *s,
                                                                          const itsm__slapol *sp)
{
    const itsm__slaeng *se = itsm__se(eng);
    unsigned st = r->state;
    if (se->live_policy == eng->policy) {
        if (!((se->ac_bits[r->kind][st / 64] >> (st % 64)) & 1u))
            return ITSM_TIME_NONE;
    } else {
        int e = se->auto_close_ev[r->kind];
        const itsm__transition *t = e < 0 ? NULL : itsm__find_transition(eng, r->kind, (int)st, e);
        if (!t || t->to == (int)st)
            return ITSM_TIME_NONE;
    }
    return s->state_since + sp->auto_close_after;
}

/* The hooks after an event (replan_short.c): the short forms first, then
 * the whole re-plan (replan.c); `agr_moved`: an agreement's instance took
 * a step at the event (its due times may have moved). */
void itsm__sla_after_apply(itsm_engine *eng, itsm_event *ev);
/* The same, counting the clocks up to the event's time first: while the
 * engine skips before_apply (sla.c, count_where). */
void itsm__sla_after_apply_alone(itsm_engine *eng, itsm_event *ev);
void itsm__sla_replan_full(itsm_engine *eng, itsm_event *ev, itsm_record *r, itsm__slarec *s,
                           const itsm__slapol *sp, int agr_moved);
/* An opening's re-plan: planned directly when it can be, else the whole
 * one (replan.c). No agreement, no SLA rules, the tables current. */
void itsm__sla_replan_open(itsm_engine *eng, itsm_event *ev, itsm_record *r, itsm__slarec *s,
                           const itsm__slapol *sp);
/* A transition into a stop state from one that was not (replan.c):
 * flag a knowledge candidate when the policy asks for them. */
void itsm__sla_kb_resolved(const itsm_record *r, itsm__slarec *s, const itsm__slapol *sp);
/* Take a record off the open list when it is on it: inline into a
 * close's short form (replan_short.c), out of line for the whole re-plan
 * (itsm__sla_open_list_remove, replan.c). */
__attribute__((always_inline)) static inline void open_list_unlink(itsm__slaeng *se, itsm_record **recs,
                                                                   itsm__slarec *s)
{
    if (!(s->flags & ITSM__SF_OPEN_LISTED))
        return;
    if (s->prev != ITSM__NIL) itsm__sr(recs[s->prev])->next = s->next; else se->oldest = s->next == ITSM__NIL ? NULL : recs[s->next];
    if (s->next != ITSM__NIL) itsm__sr(recs[s->next])->prev = s->prev; else se->newest = s->prev == ITSM__NIL ? NULL : recs[s->prev];
    s->prev = s->next = ITSM__NIL;
    s->flags &= ~ITSM__SF_OPEN_LISTED;
    se->nopen--;
}
void itsm__sla_open_list_remove(itsm__slaeng *se, itsm_record **se_recs, itsm_record *r);
/* Whether a later event of the step being applied is an extension event
 * on the same record (a breach's escalation step, ...): its re-plan
 * always schedules from scratch, and nothing between reads the schedule,
 * so this event's is left to it. The record keeps a live queue entry at
 * its next_fire until then. Always inline: a close's leaf (after_close,
 * replan_short.c) calls nothing. */
__attribute__((always_inline)) static inline int planned_later(const itsm_engine *eng, const itsm_event *ev,
                                                               const itsm_record *r)
{
    if (eng->nbatch == 1)   /* most steps: no later event */
        return 0;
    for (size_t i = (size_t)(ev - eng->batch) + 1; i < eng->nbatch; i++)
        if (eng->batch[i].rec == r && eng->batch[i].type == ITSM__EV_EXT)
            return 1;
    return 0;
}
/* An open record whose resolution clock is paused or breached (the
 * aging list's rule, itsm__sla_exc_qualifies, inline). */
static inline int exc_qualifies(const itsm__slarec *s)
{
    const itsm__clock *c = &s->ck[ITSM__CK_RESOLUTION];
    return (c->hold || c->breached) && c->run;   /* most run unpaused: the first test */
}
/* Put the record on the aging exception list when it qualifies and is
 * not on it. Room was reserved. */
static inline void exc_list(itsm__slaeng *se, itsm__slarec *s)
{
    if (exc_qualifies(s) && !(s->flags & ITSM__SF_EXC_LISTED)) {
        s->flags |= ITSM__SF_EXC_LISTED;
        se->exc[se->nexc++] = s->idx;
    }
}

#ifdef ITSM_CHECK_REPLAN
/* The debug build (replan_short.c): a skipped or shortened re-plan is
 * done anyway and must find what is there, else the process traps. */
void itsm__sla_replan_differs(itsm_engine *eng, const itsm_record *r, const char *where, const char *what,
                              long long had, long long wanted);
void itsm__sla_check_clocks(itsm_engine *eng, const itsm_record *r, const char *where);
void itsm__sla_check_skipped(itsm_engine *eng, const itsm_event *ev, const itsm_record *r, const char *where);
void itsm__sla_check_same(itsm_engine *eng, const itsm_record *r, const char *where, const itsm__slarec *got,
                          const itsm__slarec *want);
#define CHECK_SKIPPED(eng, ev, r, where) itsm__sla_check_skipped(eng, ev, r, where)
#define CHECK_CLOCKS(eng, r, where) itsm__sla_check_clocks(eng, r, where)
/* The clocks counted up to the event's time before it applied. */
#define CHECK_SINCE(eng, ev, r, where)                                                                       \
    ((ev)->at > itsm__sr(r)->since                                                                         \
         ? itsm__sla_replan_differs(eng, r, where, "clocks counted until", (long long)itsm__sr(r)->since, \
                                    (long long)(ev)->at)                                                   \
         : (void)0)
#else
#define CHECK_SKIPPED(eng, ev, r, where) ((void)0)
#define CHECK_CLOCKS(eng, r, where) ((void)0)
#define CHECK_SINCE(eng, ev, r, where) ((void)0)
#endif

#endif
