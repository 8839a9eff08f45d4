/* SPDX-License-Identifier: Apache-2.0 */
/* Agreements on records: one instance per agreement of the policy, its
 * clock driven by the agreement's conditions, its warnings and breach
 * ladder fired by the tick, its history, and the getters and the report
 * (itsm/agreement.h, docs/service-levels.md).
 *
 * As the other service-level clocks, an instance is a pure function of
 * the record's applied events: the clocks advance only at event times
 * (itsm__agr_advance, from before_apply), the conditions are evaluated
 * after each event (itsm__agr_evaluate, from after_apply), and only the
 * warnings and breaches, which depend on the time the tick ran, are
 * stored events. Replaying a store rebuilds every instance and history
 * step exactly. */
#include "sla/sla_int.h"
#include "core/abi.h"
#include "core/core.h"
#include "core/cond_record.h"

#include <string.h>

#define SLOT(f) (itsm__fields[f].slot)
#define NUM(r, f) itsm__rec_num((r), SLOT(f))
#define STR(r, f) (itsm__rec_str((r), SLOT(f)))

/* The most steps one event adds to one instance: applied or reset,
 * started, stopped or resumed, paused or resumed. */
#define STEPS_PER_EVENT 4

int itsm__agr_find(const itsm__slapol *sp, const char *name)
{
    for (size_t i = 0; i < sp->nagrs; i++)
        if (strcmp(sp->agrs[i].name, name) == 0)
            return (int)i;
    return -1;
}

void itsm__agr_free(itsm_engine *eng, itsm__slarec *s)
{
    if (!s || !s->agr)
        return;
    itsm__free(&eng->alloc, s->agr->inst);
    itsm__free(&eng->alloc, s->agr->hist);
    itsm__free(&eng->alloc, s->agr);
    s->agr = NULL;
}

int itsm__agr_reserve(itsm_engine *eng)
{
    size_t nagrs = itsm__sl(eng->policy)->nagrs;
    if (!nagrs)
        return ITSM_OK;
    if (eng->nbatch == 1 && eng->batch[0].rec && itsm__sr(eng->batch[0].rec) && itsm__sr(eng->batch[0].rec)->agr) {
        /* the common step: one event on a record with instances */
        itsm__agrrec *a = itsm__sr(eng->batch[0].rec)->agr;
        a->want = a->nhist + STEPS_PER_EVENT * nagrs + 1;
        if (itsm__grow(&eng->alloc, (void **)&a->hist, &a->chist, a->want, sizeof *a->hist))
            return itsm__oom(eng);
        return ITSM_OK;
    }
    for (size_t i = 0; i < eng->nbatch; i++) {
        itsm__slarec *s = eng->batch[i].rec ? itsm__sr(eng->batch[i].rec) : NULL;
        if (!s)
            continue;
        if (!s->agr) {
            itsm__agrrec *a = itsm__calloc(&eng->alloc, 1, sizeof *a);
            if (!a || !(a->inst = itsm__calloc(&eng->alloc, nagrs, sizeof *a->inst))) {
                itsm__free(&eng->alloc, a);
                return itsm__oom(eng);
            }
            s->agr = a;
        }
        s->agr->want = s->agr->nhist;
    }
    for (size_t i = 0; i < eng->nbatch; i++) {
        itsm__slarec *s = eng->batch[i].rec ? itsm__sr(eng->batch[i].rec) : NULL;
        if (s)
            s->agr->want += STEPS_PER_EVENT * nagrs + 1;   /* + a warning or breach */
    }
    for (size_t i = 0; i < eng->nbatch; i++) {
        itsm__slarec *s = eng->batch[i].rec ? itsm__sr(eng->batch[i].rec) : NULL;
        if (s && itsm__grow(&eng->alloc, (void **)&s->agr->hist, &s->agr->chist, s->agr->want,
                            sizeof *s->agr->hist))
            return itsm__oom(eng);
    }
    return ITSM_OK;
}

static inline int prio_of(const itsm_record *r)
{
    int64_t p = NUM(r, ITSM_F_PRIORITY);
    return p >= 1 && p <= 5 ? (int)p : 0;
}

static const itsm__cal *target_cal(const itsm__slapol *sp, const itsm__agr_target *t)
{
    return &sp->cals[t->cal];
}

void itsm__agr_advance(const itsm_engine *eng, itsm_record *r, itsm_time from, itsm_time to)
{
    itsm__agrrec *a = itsm__sr(r)->agr;
    const itsm__slapol *sp = itsm__sl(itsm__rec_policy(r));   /* the record's version (before a move) */
    (void)eng;
    if (!a)
        return;
    int prio = prio_of(r);
    for (size_t i = 0; i < sp->nagrs; i++) {
        itsm__agrinst *in = &a->inst[i];
        if (!in->active || !in->started || in->stopped)
            continue;
        /* Time counts in the calendar of the target in force before the
         * event; an agreement without a target for the record counts wall
         * time (its clock is shown, it never warns or breaches). */
        const itsm__agr_target *t = itsm__agreement_target(&sp->agrs[i], prio);
        const itsm__cal *cal = t ? target_cal(sp, t) : NULL;
        int64_t w = !cal || cal->always ? to - from : itsm__cal_work(cal, from, to);
        uint32_t *acc = in->hold ? &in->paused : &in->elapsed;
        int64_t sum = (int64_t)*acc + w;
        *acc = sum > (int64_t)UINT32_MAX ? UINT32_MAX : (uint32_t)sum;
    }
}

/* Room was reserved. */
static void step(itsm__agrrec *a, itsm_time at, size_t g, int what, unsigned level, int verdict)
{
    if (a->nhist >= a->chist)
        return;   /* cannot happen: reserve counted every step */
    itsm__agrent *e = &a->hist[a->nhist++];
    e->at = at;
    e->agr = (uint16_t)g;
    e->step = (uint8_t)what;
    e->level = (uint8_t)(level > 255 ? 255 : level);
    e->verdict = (uint8_t)verdict;
}

static uint32_t target_secs(const itsm__agreement *g, int prio)
{
    const itsm__agr_target *t = itsm__agreement_target(g, prio);
    return t ? t->seconds : 0;
}

/* A stopped clock keeps the verdict it was given at its stop (`stopped`
 * 2: past its target then): a priority changed on the resolved record
 * afterwards judges it no more. A running one is judged as it is now. */
static int verdict_of(const itsm__agrinst *in, uint32_t target, int64_t elapsed)
{
    if (in->stopped)
        return in->breached || in->stopped == 2 ? ITSM_VERDICT_BREACHED : ITSM_VERDICT_MET;
    if (in->breached || (target && elapsed >= (int64_t)target))
        return ITSM_VERDICT_BREACHED;
    return ITSM_VERDICT_PENDING;
}

static void zero_clock(itsm__agrinst *in)
{
    in->elapsed = in->paused = 0;
    in->started = in->stopped = in->hold = in->warned = in->breached = 0;
    in->started_at = in->stopped_at = ITSM_TIME_NONE;
}

static void stop_now(itsm__agrrec *a, itsm__agrinst *in, size_t g, itsm_time at, uint32_t target)
{
    /* judged while it still runs: breached, or else met */
    int late = verdict_of(in, target, in->elapsed) == ITSM_VERDICT_BREACHED;
    in->stopped = late ? 2 : 1;
    in->hold = 0;
    in->stopped_at = at;
    step(a, at, g, ITSM_AGR_STOPPED, 0, late ? ITSM_VERDICT_BREACHED : ITSM_VERDICT_MET);
}

/* ---- state tables ---- */

/* A record of a kind in a state, for the conditions that read no more. */
typedef struct state_subject {
    const itsm__lifecycle *lc;
    itsm_kind              kind;
    size_t                 state;
} state_subject;

static void state_get(void *user, int id, itsm__cval *out)
{
    const state_subject *s = user;
    out->null = 0;
    out->i = 0;
    out->s = NULL;
    if (id == ITSM__CID_STATE)
        out->s = s->lc->states[s->state];
    else if (id == ITSM__CID_KIND)
        out->s = itsm_kind_name(s->kind);
    else if (id == ITSM__CID_OPEN)
        out->i = !itsm__lc_is_closed(s->lc, (int)s->state);
    out->null = id != ITSM__CID_OPEN && out->s == NULL;
}

static const itsm_kind table_kinds[2] = { ITSM_KIND_INCIDENT, ITSM_KIND_SERVICE_REQUEST };

void itsm__agr_tables(const itsm_policy *p)
{
    itsm__slapol *sp = itsm__sl(p);
    for (size_t i = 0; i < sp->nagrs; i++) {
        itsm__agreement *g = &sp->agrs[i];
        g->state_ok = 0;
        memset(g->state_tab, 0, sizeof g->state_tab);
        for (int t = 0; t < 2; t++) {
            size_t n = p->lc[table_kinds[t]].nstates;
            g->state_n[t] = (uint16_t)(n < ITSM__AGR_STATES ? n : ITSM__AGR_STATES);
        }
        for (int k = 0; k < ITSM__AC_COUNT; k++) {
            if (!g->cond[k] || g->fields[k] || g->reads[k] != ITSM__AR_STATE)
                continue;
            for (int t = 0; t < 2; t++) {
                state_subject s = { &p->lc[table_kinds[t]], table_kinds[t], 0 };
                for (s.state = 0; s.state < g->state_n[t]; s.state++)
                    if (itsm__cond_eval(g->cond[k], state_get, &s))
                        g->state_tab[k][t][s.state / 64] |= (uint64_t)1 << (s.state % 64);
            }
            g->state_ok = (uint8_t)(g->state_ok | (1u << k));
        }
    }
}

/* Where a condition's verdict comes from: the instance's cache (its
 * `known` bits), evaluated and kept when not known; or, for the debug
 * check, evaluated afresh every time (`fresh`) leaving the cache alone. */
typedef struct verdicts {
    const itsm__agreement *g;
    itsm__cond_subject    *sub;
    itsm__agrinst         *in;
    int                    fresh;
} verdicts;

static int holds(verdicts *v, int k, int dflt)
{
    const itsm__cond *c = v->g->cond[k];
    if (!c)
        return dflt;
    if (v->fresh)
        return itsm__cond_eval(c, itsm__cond_record_get, v->sub);
    uint8_t bit = (uint8_t)(1u << k);
    if (!(v->in->known & bit)) {
        const itsm_record *r = v->sub->rec;
        int t = r->kind == ITSM_KIND_INCIDENT ? 0 : r->kind == ITSM_KIND_SERVICE_REQUEST ? 1 : -1;
        int h = (v->g->state_ok & bit) && t >= 0 && r->state < v->g->state_n[t]
                    ? (int)((v->g->state_tab[k][t][r->state / 64] >> (r->state % 64)) & 1u)
                    : itsm__cond_eval(c, itsm__cond_record_get, v->sub);
        v->in->verd = (uint8_t)(h ? v->in->verd | bit : v->in->verd & ~bit);
        v->in->known |= bit;
    }
    return (v->in->verd & bit) != 0;
}

/* One instance after an event: applied or cancelled, reset, started,
 * stopped or resumed, paused or resumed, as its conditions now say. */
static void judge(itsm__agrrec *a, itsm__agrinst *in, size_t i, verdicts *v, itsm_time at, int prio, int closed)
{
    const itsm__agreement *g = v->g;
    if (closed) {
        /* Closing where the stop condition holds gives the verdict, and so
         * does closing past the target (the breach stands). A record
         * closed where it does not hold before its target (canceled,
         * rejected) was owed nothing: its instance is cancelled, neither
         * met nor breached, as the SLA report counts such a record. */
        if (!in->active || in->stopped)
            return;
        uint32_t target = target_secs(g, prio);
        if (in->started &&
            (holds(v, ITSM__AC_STOP, 0) || verdict_of(in, target, in->elapsed) == ITSM_VERDICT_BREACHED)) {
            stop_now(a, in, i, at, target);
        } else {
            in->active = 0;
            in->hold = 0;
            step(a, at, i, ITSM_AGR_CANCELLED, 0, ITSM_VERDICT_PENDING);
        }
        return;
    }
    if (!holds(v, ITSM__AC_APPLIES, 1)) {
        if (in->active) {
            in->active = 0;
            in->hold = 0;
            /* Its history is what it keeps: breached when a breach fired
             * (or its stop gave that verdict), never by terms that no longer
             * cover the record - the priority or the policy version that
             * ends it may give the agreement a shorter target. */
            step(a, at, i, ITSM_AGR_CANCELLED, 0, verdict_of(in, 0, in->elapsed));
        }
        return;
    }
    if (!in->active) {
        zero_clock(in);
        in->active = in->ever = 1;
        step(a, at, i, ITSM_AGR_APPLIED, 0, ITSM_VERDICT_PENDING);
    } else if (in->started && holds(v, ITSM__AC_RESET, 0)) {
        zero_clock(in);
        step(a, at, i, ITSM_AGR_RESET, 0, ITSM_VERDICT_PENDING);
    }
    if (!in->started) {
        if (!holds(v, ITSM__AC_START, 1))
            return;
        in->started = 1;
        in->started_at = at;
        step(a, at, i, ITSM_AGR_STARTED, 0, ITSM_VERDICT_PENDING);
    }
    int stop = holds(v, ITSM__AC_STOP, 0);
    if (stop && !in->stopped) {
        stop_now(a, in, i, at, target_secs(g, prio));
    } else if (!stop && in->stopped) {
        in->stopped = 0;
        in->stopped_at = ITSM_TIME_NONE;
        step(a, at, i, ITSM_AGR_RESUMED, 0, ITSM_VERDICT_PENDING);
    }
    if (in->stopped)
        return;
    int pause = holds(v, ITSM__AC_PAUSE, 0);
    if (pause != in->hold) {
        in->hold = (uint8_t)pause;
        step(a, at, i, pause ? ITSM_AGR_PAUSED : ITSM_AGR_RESUMED, 0, ITSM_VERDICT_PENDING);
    }
}

/* The conditions of g an event makes unknown: those reading a field it
 * changed, the state when it changed, the event and updated_at always. */
static uint8_t touched(const itsm__agreement *g, uint64_t fset, unsigned reads)
{
    if (!(g->any_fields & fset) && !(g->any_reads & reads))
        return 0;
    uint8_t t = 0;
    for (int k = 0; k < ITSM__AC_COUNT; k++)
        if ((g->fields[k] & fset) || (g->reads[k] & reads))
            t = (uint8_t)(t | (1u << k));
    return t;
}

/* A reset condition that holds resets a started clock at every event
 * (judge), so an instance whose reset may hold is judged even when no
 * input of its conditions changed. */
static int reset_may_hold(const itsm__agreement *g, const itsm__agrinst *in)
{
    uint8_t bit = 1u << ITSM__AC_RESET;
    return g->cond[ITSM__AC_RESET] && in->active && in->started && (!(in->known & bit) || (in->verd & bit));
}

#ifdef ITSM_CHECK_REPLAN
/* The debug build (cmake -DITSM_CHECK_REPLAN=ON, the sanitizer suite):
 * every kept verdict is evaluated again and every instance left unjudged
 * is judged on a copy; a difference is a bug in what an event is taken to
 * change. The message goes to the engine's error buffer and the process
 * traps here (the library writes to no file). */
static void verdict_differs(itsm_engine *eng, const itsm_record *r, const itsm__agreement *g, const char *what)
{
    itsm__err(eng, ITSM_EINVAL, "kept agreement verdict of %s is wrong: agreement '%s', %s", r->id, g->name, what);
    __builtin_trap();
}

static void check_kept(itsm_engine *eng, const itsm_record *r, const itsm__agreement *g, itsm__agrinst *in,
                       itsm__cond_subject *sub, int judged, size_t i, itsm_time at, int prio, int closed)
{
    verdicts v = { g, sub, in, 1 };
    for (int k = 0; k < ITSM__AC_COUNT; k++)
        if ((in->known & (1u << k)) && holds(&v, k, 0) != ((in->verd >> k) & 1))
            verdict_differs(eng, r, g, itsm__agreement_cond_names[k]);
    if (judged)
        return;
    itsm__agrent scratch[STEPS_PER_EVENT];
    itsm__agrrec a = { NULL, scratch, 0, STEPS_PER_EVENT, 0 };
    itsm__agrinst copy = *in;
    v.in = &copy;
    judge(&a, &copy, i, &v, at, prio, closed);
    if (a.nhist)
        verdict_differs(eng, r, g, "an instance not judged would have taken a step");
}
#define CHECK_KEPT(eng, r, g, in, sub, judged, i, at, prio, closed) \
    check_kept(eng, r, g, in, sub, judged, i, at, prio, closed)
#else
#define CHECK_KEPT(eng, r, g, in, sub, judged, i, at, prio, closed) ((void)0)
#endif

void itsm__agr_evaluate(itsm_engine *eng, const itsm_event *ev)
{
    itsm_record *r = ev->rec;
    itsm__slarec *s = itsm__sr(r);
    itsm__agrrec *a = s->agr;
    const itsm__slapol *sp = itsm__sl(itsm__rec_policy(r));
    if (!a)
        return;
    itsm_time at = ev->at;
    int prio = prio_of(r);
    int closed = itsm__lc_is_closed(itsm__lifecycle_of(eng, r->kind), r->state);
    /* What the event may have changed: s->state is still the state before
     * it (after_apply updates it later); an opening or a move to another
     * policy version (other conditions) changes everything. */
    int all = ev->type == ITSM__EV_OPEN || (s->flags & ITSM__SF_MOVED);
    int state_changed = all || r->state != s->state;
    unsigned reads = ITSM__AR_EVENT | ITSM__AR_EVERY | (state_changed ? ITSM__AR_STATE : 0u);
    itsm__cond_subject sub = { r, ev->type == ITSM__EV_TRANSITION ? ev->ev_name : NULL };
    for (size_t i = 0; i < sp->nagrs; i++) {
        const itsm__agreement *g = &sp->agrs[i];
        itsm__agrinst *in = &a->inst[i];
        uint8_t t = all ? (uint8_t)((1u << ITSM__AC_COUNT) - 1) : touched(g, ev->fset, reads);
        in->known &= (uint8_t)~t;
        /* Nothing it reads changed and the record is as open as it was:
         * judging again would find what the last event found. */
        int judged = t || state_changed || reset_may_hold(g, in);
        if (judged) {
            verdicts v = { g, &sub, in, 0 };
            judge(a, in, i, &v, at, prio, closed);
        }
        CHECK_KEPT(eng, r, g, in, &sub, judged, i, at, prio, closed);
    }
}

/* The working seconds into the target at which the instance's next
 * warning or breach falls; -1 when nothing is left to fire. */
static int64_t next_threshold(const itsm__agreement *g, const itsm__agrinst *in, uint32_t target, int *what)
{
    if (!target)
        return -1;
    if (in->warned < g->nwarn) {
        *what = FIRE_AGR_WARNING;
        return ((int64_t)target * g->warn[in->warned] + 999) / 1000;
    }
    size_t nbreach = g->nbreach ? g->nbreach : 1;
    if (in->breached >= nbreach)
        return -1;
    *what = FIRE_AGR_BREACH;
    return ((int64_t)target * (g->nbreach ? g->breach[in->breached] : 1000) + 999) / 1000;
}

static int running(const itsm__agrinst *in)
{
    return in->active && in->started && !in->stopped && !in->hold;
}

/* When the instance's next threshold falls if it keeps running. */
static itsm_time due_of(const itsm__slapol *sp, const itsm__agreement *g, const itsm__agrinst *in, int prio,
                        itsm_time since, int *what)
{
    const itsm__agr_target *t = itsm__agreement_target(g, prio);
    int w = FIRE_NONE;
    int64_t thr = t ? next_threshold(g, in, t->seconds, &w) : -1;
    if (thr < 0)
        return ITSM_TIME_NONE;
    if (what)
        *what = w;
    return thr <= in->elapsed ? since : itsm__cal_add(target_cal(sp, t), since, thr - in->elapsed);
}

fire itsm__agr_earliest(const itsm_engine *eng, const itsm_record *r)
{
    const itsm__slarec *s = itsm__sr(r);
    const itsm__slapol *sp = itsm__sl(itsm__rec_policy(r));
    (void)eng;
    fire best = { ITSM_TIME_NONE, FIRE_NONE, 0 };
    fire *f = &best;
    if (!s->agr)
        return best;
    int prio = prio_of(r);
    for (size_t i = 0; i < sp->nagrs; i++) {
        const itsm__agrinst *in = &s->agr->inst[i];
        if (!running(in))
            continue;
        int what = FIRE_NONE;
        itsm_time at = due_of(sp, &sp->agrs[i], in, prio, s->since, &what);
        if (at != ITSM_TIME_NONE && (f->at == ITSM_TIME_NONE || at < f->at)) {
            f->at = at;
            f->what = what;
            f->ck = (int)i;
        }
    }
    return best;
}

/* The breach instant of an instance: when the clock reaches 100 % of the
 * target (the due time a warning event names). */
static itsm_time breach_due(const itsm__slapol *sp, const itsm__agreement *g, const itsm__agrinst *in, int prio,
                            itsm_time since)
{
    const itsm__agr_target *t = itsm__agreement_target(g, prio);
    if (!t || !running(in))
        return ITSM_TIME_NONE;
    return t->seconds <= in->elapsed ? since : itsm__cal_add(target_cal(sp, t), since, t->seconds - in->elapsed);
}

int itsm__agr_fire(itsm_engine *eng, itsm_record *r, int what, int gi, itsm_time due, itsm_time at)
{
    const itsm__slapol *sp = itsm__sl(itsm__rec_policy(r));
    const itsm__agreement *g = &sp->agrs[gi];
    const itsm__agrinst *in = &itsm__sr(r)->agr->inst[gi];
    int breach = what == FIRE_AGR_BREACH;
    itsm__xev *x;
    if (!itsm__xev_add(eng, breach ? ITSM__X_AGR_BREACH : ITSM__X_AGR_WARNING, r, at, &x))
        return ITSM_ENOMEM;
    x->num = (breach ? in->breached : in->warned) + 1;
    x->t1 = breach ? due : breach_due(sp, g, in, prio_of(r), itsm__sr(r)->since);
    if (!(x->sym[0] = itsm__intern(eng, g->name, strlen(g->name))))
        return itsm__oom(eng);
    const char *who[2] = { STR(r, ITSM_F_ASSIGNEE), STR(r, ITSM_F_ASSIGNMENT_GROUP) };
    for (int i = 0; i < 2; i++)
        if (who[i])
            x->sym[2 + x->nsym++] = who[i];   /* already interned */
    if (breach && g->climb && itsm__ladder_audience(eng, (int)NUM(r, ITSM_F_HIERARCHICAL_LEVEL) + 1))
        return itsm__add_step(eng, r, at, "breach", g->name);
    return ITSM_OK;
}

void itsm__agr_apply_x(itsm_engine *eng, itsm_event *ev, int breach)
{
    const itsm__xev *x = ev->ext;
    itsm__slarec *s = itsm__sr(ev->rec);
    int i = itsm__agr_find(itsm__sl(eng->policy), x->sym[0]);
    if (!s || !s->agr || i < 0)
        return;   /* read refused it */
    itsm__agrinst *in = &s->agr->inst[i];
    if (breach) {
        if (in->breached < 255)
            in->breached++;
    } else if (in->warned < 255) {
        in->warned++;
    }
    step(s->agr, ev->at, (size_t)i, breach ? ITSM_AGR_BREACHED : ITSM_AGR_WARNING, (unsigned)x->num,
         breach ? ITSM_VERDICT_BREACHED : ITSM_VERDICT_PENDING);
}

/* ---- getters ---- */

static int info_fill(itsm_agreement_info *out, const itsm_record *r, const char *name, itsm_time now)
{
    const itsm_engine *eng = r->eng;
    const itsm__slapol *sp = itsm__sl(itsm__rec_policy(r));
    if (now < ITSM_TIME_MIN || now > ITSM_TIME_MAX)
        return itsm__err_const(eng, ITSM_EINVAL, "now %lld is outside 1970..9999", (long long)now);
    int i = itsm__agr_find(sp, name);
    if (i < 0)
        return itsm__err_const(eng, ITSM_ENOTFOUND, "the policy has no agreement '%.63s'", name);
    const itsm__agreement *g = &sp->agrs[i];
    memset(out, 0, sizeof *out);
    out->name = g->name;
    out->type = (itsm_agreement_type)g->type;
    out->due = out->started_at = out->stopped_at = ITSM_TIME_NONE;
    const itsm__slarec *s = itsm__sr(r);
    if (!s || !s->agr || !s->agr->inst[i].ever)
        return ITSM_OK;
    const itsm__agrinst *in = &s->agr->inst[i];
    int prio = prio_of(r);
    const itsm__agr_target *t = itsm__agreement_target(g, prio);
    out->target = t ? t->seconds : 0;
    out->calendar = t ? target_cal(sp, t)->name : NULL;
    out->elapsed = in->elapsed;
    out->paused = in->paused;
    if (in->active && in->started && !in->stopped && now > s->since) {
        int64_t w = !t || target_cal(sp, t)->always ? now - s->since : itsm__cal_work(target_cal(sp, t), s->since, now);
        if (in->hold)
            out->paused += w;
        else
            out->elapsed += w;
    }
    out->warnings = in->warned;
    out->breaches = in->breached;
    out->started_at = in->started_at;
    out->stopped_at = in->stopped_at;
    if (!in->active)
        out->status = ITSM_AGREEMENT_CANCELLED;
    else if (!in->started)
        out->status = ITSM_AGREEMENT_PENDING;
    else if (in->stopped)
        out->status = ITSM_AGREEMENT_STOPPED;
    else
        out->status = in->hold ? ITSM_AGREEMENT_PAUSED : ITSM_AGREEMENT_RUNNING;
    if (in->active && out->target && out->elapsed < (int64_t)out->target)
        out->due = breach_due(sp, g, in, prio, s->since);
    out->remaining = out->target ? (int64_t)out->target - out->elapsed : 0;
    /* a cancelled instance's verdict is its history's (judge): the terms
     * of now no longer cover it and nothing more falls due */
    out->verdict = (itsm_agreement_verdict)verdict_of(in, in->active ? out->target : 0, out->elapsed);
    return ITSM_OK;
}

int itsm_record_agreement(itsm_agreement_info *out, const itsm_record *rec, const char *name, itsm_time now)
{
    if (!rec)
        return ITSM_EINVAL;
    if (!out || !name)
        return itsm__err_const(rec->eng, ITSM_EINVAL, "itsm_record_agreement: %s is NULL", out ? "name" : "out");
    itsm_agreement_info full;
    int rc = ITSM__SIZED(rec->eng, out, itsm_agreement_info, stopped_at);
    if (rc || (rc = info_fill(&full, rec, name, now)))
        return rc;
    itsm__sized_put(out, out->size, &full);
    return ITSM_OK;
}

size_t itsm_record_agreement_steps(const itsm_record *rec)
{
    return rec && itsm__sr(rec) && itsm__sr(rec)->agr ? itsm__sr(rec)->agr->nhist : 0;
}

int itsm_record_agreement_step(itsm_agreement_entry *out, const itsm_record *rec, size_t index)
{
    if (!rec)
        return ITSM_EINVAL;
    if (!out)
        return itsm__err_const(rec->eng, ITSM_EINVAL, "itsm_record_agreement_step: out is NULL");
    int rc = ITSM__SIZED(rec->eng, out, itsm_agreement_entry, verdict);
    if (rc)
        return rc;
    size_t n = itsm_record_agreement_steps(rec);
    if (index >= n)
        return itsm__err_const(rec->eng, ITSM_EINVAL,
                               "itsm_record_agreement_step: step %zu is out of range (%s has %zu)", index,
                               rec->id, n);
    const itsm__agrent *e = &itsm__sr(rec)->agr->hist[index];
    itsm_agreement_entry full;
    memset(&full, 0, sizeof full);
    full.at = e->at;
    full.agreement = itsm__sl(rec->eng->policy)->agrs[e->agr].name;
    full.step = (itsm_agreement_step)e->step;
    full.level = e->level;
    full.verdict = (itsm_agreement_verdict)e->verdict;
    itsm__sized_put(out, out->size, &full);
    return ITSM_OK;
}

const char *itsm_agreement_step_name(itsm_agreement_step step)
{
    static const char *const names[] = { NULL, "applied", "started", "paused", "resumed", "stopped",
                                         "reset", "warning", "breached", "cancelled" };
    return (int)step >= 1 && (int)step <= ITSM_AGR_CANCELLED ? names[step] : NULL;
}

/* The instances of agreement `g` on a record that were cancelled after a
 * breach, from its history: a cancelled instance keeps its breach in the
 * report, as lowering the priority after a breach must not take it back
 * (the report attributes breaches per instance). */
static size_t cancelled_breaches(const itsm__agrrec *a, size_t g)
{
    size_t n = 0;
    int breached = 0;
    for (size_t k = 0; k < a->nhist; k++) {
        const itsm__agrent *e = &a->hist[k];
        if (e->agr != g)
            continue;
        if (e->step == ITSM_AGR_APPLIED)
            breached = 0;
        else if (e->step == ITSM_AGR_BREACHED)
            breached = 1;
        else if (e->step == ITSM_AGR_CANCELLED)
            n += breached || e->verdict == ITSM_VERDICT_BREACHED;
    }
    return n;
}

int itsm_engine_agreement_report(itsm_agreement_report *out, itsm_engine *eng, const char *name)
{
    if (!eng)
        return ITSM_EINVAL;
    if (!out || !name)
        return itsm__err(eng, ITSM_EINVAL, "itsm_engine_agreement_report: %s is NULL", out ? "name" : "out");
    int rc = ITSM__SIZED(eng, out, itsm_agreement_report, cancelled);
    if (rc)
        return rc;
    const itsm__slapol *sp = itsm__sl(eng->policy);
    int i = itsm__agr_find(sp, name);
    if (i < 0)
        return itsm__err(eng, ITSM_ENOTFOUND, "the policy has no agreement '%.63s'", name);
    itsm_agreement_report full;
    memset(&full, 0, sizeof full);
    for (size_t k = 0; k < eng->nrecs; k++) {
        const itsm_record *r = eng->recs[k];
        const itsm__slarec *s = itsm__sr(r);
        if (!s || !s->agr || !s->agr->inst[i].ever)
            continue;
        const itsm__agrinst *in = &s->agr->inst[i];
        full.breached += cancelled_breaches(s->agr, (size_t)i);
        if (!in->active) {
            full.cancelled++;
            continue;
        }
        full.applied++;
        int v = verdict_of(in, target_secs(&sp->agrs[i], prio_of(r)), in->elapsed);
        if (v == ITSM_VERDICT_BREACHED)
            full.breached++;
        else if (v == ITSM_VERDICT_MET)
            full.met++;
        else
            full.open++;
    }
    itsm__sized_put(out, out->size, &full);
    return ITSM_OK;
}
