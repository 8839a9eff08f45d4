/* SPDX-License-Identifier: Apache-2.0 */
/* Service-level timers: the per-record clocks and the one deadline queue,
 * kept by the capability's hooks (DESIGN.md section 4). The tick: tick.c;
 * the timer getters and the aging query: timers.c.
 *
 * Clocks advance only at event times (before_apply), and what is
 * scheduled is recomputed from the record after each event
 * (after_apply), so the whole state is a pure function of the
 * applied events and replay rebuilds it exactly. The deadline queue:
 * queue.c. */
#include "sla/sla_int.h"
#include "core/core.h"
#include "review/review_int.h"
#include "kit/json.h"
#include "handover/handover_int.h"
#include "oncall/oncall_int.h"

#include <stdio.h>
#include <string.h>

#define SLOT(f) (itsm__fields[f].slot)
#define NUM(r, f) itsm__rec_num((r), SLOT(f))
#define STR(r, f) (itsm__rec_str((r), SLOT(f)))

static const char *const ck_names[ITSM__NCK] = { "response", "resolution", "ola" };
const char *itsm__timer_name(int ck) { return ck >= 0 && ck < ITSM__NCK ? ck_names[ck] : "next_update"; }

/* ---- what applies to a record ---- */

static int prio_of(const itsm_record *r)
{
    int64_t p = NUM(r, ITSM_F_PRIORITY);
    return p >= 1 && p <= 5 ? (int)p : 0;
}

__attribute__((noinline)) static const itsm__sla *sla_by_service(const itsm__slapol *sp, const char *svc)
{
    for (size_t i = 0; i < sp->nsvc; i++)
        if (strcmp(sp->svc[i].service, svc) == 0)
            return &sp->slas[sp->svc[i].sla];
    return &sp->slas[sp->default_sla];
}

/* Inline, the service search apart: most policies map no service, and every
 * re-plan asks. */
static inline const itsm__sla *sla_of(const itsm_engine *eng, const itsm_record *r)
{
    const itsm__slapol *sp = itsm__sl(itsm__rec_policy(r));   /* the record's version */
    (void)eng;
    if (itsm__sr(r) && itsm__sr(r)->sla_ovr && itsm__sr(r)->sla_ovr <= sp->nslas)
        return &sp->slas[itsm__sr(r)->sla_ovr - 1];
    if (sp->nrules) {
        const itsm__sla *s = itsm__sla_by_rule_kept(sp, r);
        if (s)
            return s;
    }
    const char *svc = sp->nsvc ? STR(r, ITSM_F_SERVICE) : NULL;
    if (svc)
        return sla_by_service(sp, svc);
    return &sp->slas[sp->default_sla];
}

__attribute__((noinline)) static const itsm__ola *ola_by_group(const itsm__slapol *sp, const char *g)
{
    for (size_t i = 0; i < sp->nolas; i++)
        if (strcmp(sp->olas[i].group, g) == 0)
            return &sp->olas[i];
    return NULL;
}

/* As sla_of: the search apart, few policies have OLAs. */
static inline const itsm__ola *ola_of(const itsm_engine *eng, const itsm_record *r)
{
    const itsm__slapol *sp = itsm__sl(itsm__rec_policy(r));
    (void)eng;
    const char *g = sp->nolas ? STR(r, ITSM_F_ASSIGNMENT_GROUP) : NULL;
    return g ? ola_by_group(sp, g) : NULL;
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

/* What applies to a record, looked up once for the several clocks a hook
 * visits (priority, SLA, OLA); the same answers as itsm__rec_target and
 * cal_of while the record does not change. */
typedef struct plan { int prio; const itsm__sla *sla; const itsm__ola *ola; const itsm__slapol *sp; } plan;

static plan plan_of(const itsm_engine *eng, const itsm_record *r)
{
    plan p = { prio_of(r), sla_of(eng, r), ola_of(eng, r), itsm__sl(itsm__rec_policy(r)) };
    return p;
}

static uint32_t plan_target(const plan *p, int ck)
{
    if (ck == ITSM__CK_OLA)
        return p->ola ? p->ola->target : 0;
    if (!p->prio)
        return 0;
    return ck == ITSM__CK_RESPONSE ? p->sla->response[p->prio - 1] : p->sla->resolution[p->prio - 1];
}

static const itsm__cal *plan_cal(const itsm_engine *eng, const plan *p, int ck)
{
    const itsm__slapol *sp = p->sp;
    (void)eng;
    if (ck == ITSM__CK_OLA && p->ola)
        return &sp->cals[p->ola->cal];
    return &sp->cals[p->sla->cal[p->prio ? p->prio - 1 : 0]];
}

itsm_time itsm__sla_clock_due(const itsm_engine *eng, const itsm_record *r, int ck)
{
    const itsm__slarec *s = itsm__sr(r);
    const itsm__clock *c = &s->ck[ck];
    if (!c->run || c->hold)
        return ITSM_TIME_NONE;
    plan p = plan_of(eng, r);   /* once, for the target and the calendar */
    uint32_t target = plan_target(&p, ck);
    if (!target)
        return ITSM_TIME_NONE;
    if (target <= c->elapsed)
        return s->since;
    return itsm__cal_add(plan_cal(eng, &p, ck), s->since, (int64_t)target - c->elapsed);
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
 * is 24x7: its service's SLA or the default one, and an OLA's. */
static int cals_always_of(const itsm__slapol *sp)
{
    int always = sp->nslas && sla_always(sp, &sp->slas[sp->default_sla]);
    for (size_t i = 0; i < sp->nsvc; i++)
        always &= sla_always(sp, &sp->slas[sp->svc[i].sla]);
    for (size_t i = 0; i < sp->nolas; i++)
        always &= sp->cals[sp->olas[i].cal].always != 0;
    return always;
}

static int engine_init(itsm_engine *eng)
{
    itsm__slaeng *se = itsm__calloc(&eng->alloc, 1, sizeof *se);
    if (!se)
        return ITSM_ENOMEM;
    eng->cap[ITSM__CAP_SERVICE_LEVELS] = se;
    const itsm__slapol *sp = itsm__sl(eng->policy);
    se->auto_close_ev[0] = -1;
    se->has_agreements = sp->nagrs > 0;
    /* Every version the engine knows: the shortcut must hold under each. */
    se->cals_always = 1;
    for (size_t i = 0; i < eng->nvers; i++) {
        itsm__agr_tables(eng->vers[i]->policy);
        se->cals_always &= cals_always_of(itsm__sl(eng->vers[i]->policy));
        se->has_rules |= itsm__sl(eng->vers[i]->policy)->nrules > 0;
    }
    se->has_rules |= sp->nrules > 0;
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
    return ITSM_OK;
}

static int has_knowledge_link(const itsm_record *r)
{
    for (uint32_t i = 0; i < r->x->nlinks; i++)
        if (r->x->links[i].kind == ITSM_LINK_RELATED && r->x->links[i].target->kind == ITSM_KIND_KNOWLEDGE)
            return 1;
    return 0;
}

static int is_open(const itsm_engine *eng, const itsm_record *r)
{
    return !itsm__lc_is_closed(itsm__lifecycle_of(eng, r->kind), r->state);
}

static unsigned pause_mask(const itsm_engine *eng, const itsm_record *r)
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

/* Open and not in a stop state: where clocks count. */
static int is_live(const itsm_engine *eng, const itsm_record *r)
{
    return is_open(eng, r) && !itsm__state_is_stop(eng, r, r->state);
}

/* Whether clock `ck` counts in the record's current state; `live` is
 * is_live(eng, r). */
static int clock_runs(const itsm_record *r, int ck, const plan *p, int live)
{
    if (!live)
        return 0;
    if (ck == ITSM__CK_RESPONSE && NUM(r, ITSM_F_RESPONDED_AT) != ITSM_TIME_NONE)
        return 0;
    return plan_target(p, ck) > 0;
}

/* ---- scheduling: the earliest timer of a record ---- */


static void consider(fire *f, itsm_time at, int what, int ck)
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
static int64_t next_threshold(const itsm__slapol *sp, const itsm__clock *c, uint32_t target, int *what)
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

/* `p` is plan_of(eng, r), `live` is is_live(eng, r): the caller has them. */
static itsm_time nu_due_of(const itsm_engine *eng, const itsm_record *r, const plan *p, int live)
{
    const itsm__slarec *s = itsm__sr(r);
    if (!p->prio || s->nu_at == ITSM_TIME_NONE || !live)
        return ITSM_TIME_NONE;
    if (s->flags & ITSM__SF_NU_PROMISE)
        return s->nu_at;
    return itsm__cal_add(plan_cal(eng, p, ITSM__CK_RESOLUTION), s->nu_at, p->sp->cadence[p->prio - 1]);
}

itsm_time itsm__sla_nu_due(const itsm_engine *eng, const itsm_record *r)
{
    plan p = plan_of(eng, r);
    return nu_due_of(eng, r, &p, is_live(eng, r));
}

/* `open` is is_open(eng, r). */
static itsm_time auto_close_due(const itsm_engine *eng, const itsm_record *r, int open)
{
    const itsm__slapol *sp = itsm__sl(itsm__rec_policy(r));
    if (!sp->auto_close_after || NUM(r, ITSM_F_MAJOR) || !open || !itsm__state_is_stop(eng, r, r->state))
        return ITSM_TIME_NONE;
    int e = itsm__se(eng)->auto_close_ev[r->kind];
    const itsm__transition *t = e < 0 ? NULL : itsm__find_transition(eng, r->kind, r->state, e);
    /* A step back into the same state would leave this due time as it is,
     * and the tick would fire it again without end: no timer then. */
    if (!t || t->to == (int)r->state)
        return ITSM_TIME_NONE;
    return itsm__sr(r)->state_since + sp->auto_close_after;
}

itsm_time itsm_record_auto_close_due(const itsm_record *r)
{
    if (!r || !itsm__sr(r))
        return ITSM_TIME_NONE;
    return auto_close_due(r->eng, r, is_open(r->eng, r));
}

static fire earliest(const itsm_engine *eng, const itsm_record *r, const plan *p)
{
    const itsm__slarec *s = itsm__sr(r);
    const itsm__slapol *sp = p->sp;
    int open = is_open(eng, r), live = open && !itsm__state_is_stop(eng, r, r->state);
    fire f = { ITSM_TIME_NONE, FIRE_NONE, 0 };
    for (int ck = 0; ck < ITSM__NCK; ck++) {
        const itsm__clock *c = &s->ck[ck];
        if (!c->run || c->hold)
            continue;
        int what = FIRE_NONE;
        uint32_t target = plan_target(p, ck);
        int64_t thr = next_threshold(sp, c, target, &what);
        if (thr < 0)
            continue;
        itsm_time at = thr <= c->elapsed ? s->since
                                         : itsm__cal_add(plan_cal(eng, p, ck), s->since, thr - c->elapsed);
        consider(&f, at, what, ck);
    }
    if (!(s->flags & ITSM__SF_NU_OVERDUE)) {
        itsm_time d = nu_due_of(eng, r, p, live);
        if (d != ITSM_TIME_NONE)
            consider(&f, d < ITSM_TIME_MAX ? d + 1 : d, FIRE_OVERDUE, 0);
    }
    if (!(s->flags & ITSM__SF_AC_BLOCKED) && open && !live)   /* auto-close: open, in a stop state */
        consider(&f, auto_close_due(eng, r, open), FIRE_AUTOCLOSE, 0);
    if (s->major_at != ITSM_TIME_NONE && NUM(r, ITSM_F_MAJOR) && open) {
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

fire itsm__sla_earliest(const itsm_engine *eng, const itsm_record *r)
{
    plan p = plan_of(eng, r);
    return earliest(eng, r, &p);
}

static void schedule(itsm_engine *eng, itsm_record *r, int force, const plan *p)
{
    if (itsm__se(eng)->loading)
        return;   /* planned once at the load's end (load) */
    itsm__slarec *s = itsm__sr(r);
    fire f = earliest(eng, r, p);
    /* Kept for the tick when it fits; else the tick plans again. */
    int kept = f.what >= 0 && f.what <= UINT8_MAX && f.ck >= 0 && f.ck <= UINT8_MAX;
    s->next_what = (uint8_t)(kept ? f.what : FIRE_NONE);
    s->next_ck = (uint8_t)(kept ? f.ck : 0);
    if (f.at == s->next_fire && !force)
        return;
    s->next_fire = f.at;
    if (f.at != ITSM_TIME_NONE)
        itsm__sla_heap_push(itsm__se(eng), f.at, s->idx);
}

#ifdef ITSM_CHECK_REPLAN
static void replan_differs(itsm_engine *eng, const itsm_record *r, const char *where, const char *what,
                           long long had, long long wanted);
#endif

fire itsm__sla_planned(itsm_engine *eng, const itsm_record *r)
{
    const itsm__slarec *s = itsm__sr(r);
    if (s->next_what == FIRE_NONE || s->next_fire == ITSM_TIME_NONE)
        return itsm__sla_earliest(eng, r);
    fire f = { s->next_fire, s->next_what, s->next_ck };
#ifdef ITSM_CHECK_REPLAN
    fire g = itsm__sla_earliest(eng, r);
    if (g.at != f.at || g.what != f.what || g.ck != f.ck)
        replan_differs(eng, r, "the tick's kept plan", "what*256+clock at next timer", f.what * 256 + f.ck,
                       g.at != f.at ? -1 : g.what * 256 + g.ck);
#else
    (void)eng;
#endif
    return f;
}

int itsm__sla_replan(itsm_engine *eng, itsm_record *r)
{
    itsm__slaeng *se = itsm__se(eng);
    if (itsm__grow(&eng->alloc, (void **)&se->heap, &se->cheap, se->nheap + 1, sizeof *se->heap))
        return itsm__oom(eng);
    plan p = plan_of(eng, r);
    schedule(eng, r, 0, &p);
    return ITSM_OK;
}

const char *itsm_record_sla(const itsm_record *r)
{
    if (!r || !itsm__sr(r))
        return NULL;
    return sla_of(r->eng, r)->name;
}

/* ---- hooks ---- */

static int reserve(itsm_engine *eng)
{
    itsm__slaeng *se = itsm__se(eng);
    size_t outages = 0;
    for (size_t i = 0; (eng->batch_types & (1u << ITSM__EV_EXT)) && i < eng->nbatch; i++) {
        itsm_event *ev = &eng->batch[i];
        if (ev->cls == &itsm__xclasses[ITSM__X_OUTAGE])
            outages++;
    }
    if (se->nheap > 64 && se->nheap > 2 * (eng->nrecs + 16))
        itsm__sla_heap_compact(eng);
    if (itsm__grow(&eng->alloc, (void **)&se->heap, &se->cheap, se->nheap + eng->nbatch + 1, sizeof *se->heap))
        return itsm__oom(eng);
    /* Every event may add a service to the breadth index and a record to
     * the aging exception list: room for one of each per event. */
    if (itsm__grow(&eng->alloc, (void **)&se->svc, &se->csvc, se->nsvc + eng->nbatch, sizeof *se->svc) ||
        itsm__grow(&eng->alloc, (void **)&se->exc, &se->cexc, se->nexc + eng->nbatch, sizeof *se->exc))
        return itsm__oom(eng);
    if (outages && itsm__grow(&eng->alloc, (void **)&se->outages, &se->coutages, se->noutages + outages,
                              sizeof *se->outages))
        return itsm__oom(eng);
    return se->has_agreements ? itsm__agr_reserve(eng) : ITSM_OK;
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

/* Before an event: the clocks count up to its time. */
static inline void advance(itsm_engine *eng, itsm_event *ev)
{
    itsm_record *r = ev->rec;
    itsm__slarec *s = itsm__sr(r);
    itsm_time at = ev->at;
    if (s->since == ITSM_TIME_NONE || at <= s->since)
        return;
    plan p = { 0, NULL, NULL, NULL };
    /* ITSM__SF_ALWAYS: the last re-plan found every calendar this record
     * counts in 24x7 (the plan has not changed since: whatever changes it
     * re-plans) */
    int planned = 0, always = (itsm__se(eng)->cals_always && !s->sla_ovr) || (s->flags & ITSM__SF_ALWAYS);
    if (always) {
        /* at > since here: a 24x7 calendar's work is at - since */
        int64_t w = at - s->since;
        for (unsigned run = run_bits(s); run; run &= run - 1) {
            itsm__clock *c = &s->ck[itsm__ctz32(run)];
            uint32_t *acc = c->hold ? &c->paused : &c->elapsed;
            int64_t sum = (int64_t)*acc + w;
            *acc = sum > (int64_t)UINT32_MAX ? UINT32_MAX : (uint32_t)sum;
        }
    }
    for (int ck = 0; !always && ck < ITSM__NCK; ck++) {
        itsm__clock *c = &s->ck[ck];
        if (!c->run)
            continue;
        if (!planned) {
            p = plan_of(eng, r);
            planned = 1;
        }
        int64_t w = itsm__cal_work(plan_cal(eng, &p, ck), s->since, at);
        uint32_t *acc = c->hold ? &c->paused : &c->elapsed;
        int64_t sum = (int64_t)*acc + w;
        *acc = sum > (int64_t)UINT32_MAX ? UINT32_MAX : (uint32_t)sum;
    }
    itsm_time from = s->since;
    s->since = at;
    if (s->agr)
        itsm__agr_advance(eng, r, from, at);
}

static void before_apply(itsm_engine *eng, itsm_event *ev)
{
    itsm_record *r = ev->rec;
    if (!r || !itsm__sr(r) || ev->type == ITSM__EV_OPEN)
        return;
    advance(eng, ev);   /* under the SLA rules' kept choice: the record is as it was */
    if (itsm__sr(r)->flags & ITSM__SF_RULE_KEPT)
        itsm__sla_rule_before(r, ev);
    if (ev->pv != r->pv)
        version_move(r, itsm__sr(r), ev->pv);
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
    const itsm__clock *c = &s->ck[ITSM__CK_RESOLUTION];
    return c->run && (c->hold || c->breached);
}

/* The fields after_apply and the schedule read from a record. */
#define FBIT(f) ((uint64_t)1 << (f))
#define TIMER_FIELDS (FBIT(ITSM_F_SERVICE) | FBIT(ITSM_F_PRIORITY) | FBIT(ITSM_F_ASSIGNMENT_GROUP) | \
                      FBIT(ITSM_F_MAJOR) | FBIT(ITSM_F_HOLD_REASON) | FBIT(ITSM_F_RESPONDED_AT))
_Static_assert(ITSM_F__COUNT <= 64, "ev->fset covers every field");

/* Whether after_apply would change anything. Most events change nothing
 * the timers read; then every step below recomputes what is already there
 * (each is a function of those inputs, last run at the record's previous
 * event), except the schedule, whose clocks advanced to the event time in
 * before_apply. A clock's due time is the same from the new `since` as
 * from the old one while the event is not past it (working time is
 * additive); past it, the due time would move to the event time. So the
 * event must not be later than next_fire, the earliest of them. */
static int replan_needed(const itsm_engine *eng, const itsm_event *ev, const itsm_record *r,
                         const itsm__slarec *s)
{
    if (r->state != s->state || (ev->fset & (TIMER_FIELDS | itsm__sl(itsm__rec_policy(r))->rule_fields)) ||
        (s->flags & (ITSM__SF_AC_BLOCKED | ITSM__SF_MOVED | ITSM__SF_RULE_EVERY)) || s->agr)
        return 1;
    if (ev->type == ITSM__EV_OPEN || ev->type == ITSM__EV_EXT || r == itsm__se(eng)->firing ||
        (ev->type == ITSM__EV_NOTE && ev->note.kind == ITSM_NOTE_CUSTOMER))
        return 1;
    if (s->nu_at == ITSM_TIME_NONE && NUM(r, ITSM_F_RESPONDED_AT) != ITSM_TIME_NONE)
        return 1;   /* cleared by a (replayed) customer update with no next update: it restarts */
    if (!(s->flags & ITSM__SF_EXC_LISTED) && itsm__sla_exc_qualifies(s))
        return 1;   /* the aging query dropped it while it qualified (a reopened record) */
    return s->next_fire != ITSM_TIME_NONE && ev->at > s->next_fire;
}

/* The flags earliest() reads. */
#define PLAN_FLAGS (ITSM__SF_NU_OVERDUE | ITSM__SF_AC_BLOCKED | ITSM__SF_MAJ_COMMS | ITSM__SF_MAJ_GROUPS | \
                    ITSM__SF_MAJ_COMMS_MISSED | ITSM__SF_MAJ_GROUPS_MISSED | ITSM__SF_NU_PROMISE | ITSM__SF_PAGED)
/* Fields the plan (priority, SLA, OLA) and the next-update clock read. */
#define PLAN_FIELDS (FBIT(ITSM_F_SERVICE) | FBIT(ITSM_F_PRIORITY) | FBIT(ITSM_F_MAJOR) | FBIT(ITSM_F_RESPONDED_AT))

/* After the bookkeeping of after_apply, whether the schedule can stay as
 * it is although replan_needed said look: a step between two open states
 * that stop no clock (hold, resume, assign, start), a hold reason that
 * pauses what the old one paused, a group change where the policy has no
 * OLAs. Then every input of earliest() is what it was at the last re-plan
 * - the clocks' run and hold flags (the caller compared them), the plan,
 * the next-update start and the flags - and the clocks advanced to the
 * event time, which is not past next_fire: the due times stand (working
 * time is additive). */
static int schedule_kept(const itsm_engine *eng, const itsm_event *ev, const itsm_record *r,
                         const itsm__slarec *s, int old_state, uint32_t old_flags, itsm_time old_nu)
{
    if (ev->type == ITSM__EV_OPEN || ev->type == ITSM__EV_EXT || r == itsm__se(eng)->firing ||
        (ev->type == ITSM__EV_NOTE && ev->note.kind == ITSM_NOTE_CUSTOMER) || s->agr ||
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

/* Whether every calendar the record's running clocks count in is 24x7. */
static int plan_always(const itsm_engine *eng, const plan *p)
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

#ifdef ITSM_CHECK_REPLAN
/* The debug build (cmake -DITSM_CHECK_REPLAN=ON, the sanitizer suite):
 * every skipped re-plan is done anyway, and must find what is there. A
 * difference is a bug in the skip: the message goes to the engine's error
 * buffer and the process traps here (the library writes to no file, so
 * the stack trace of the trap names this function). */
static void replan_differs(itsm_engine *eng, const itsm_record *r, const char *where, const char *what,
                           long long had, long long wanted)
{
    itsm__err(eng, ITSM_EINVAL, "skipped re-plan (%s) of %s is wrong: %s %lld, re-planned %lld", where, r->id,
              what, had, wanted);
    __builtin_trap();
}

/* The clocks' run and hold flags are what a plan from scratch finds. */
static void check_clocks(itsm_engine *eng, const itsm_record *r, const char *where)
{
    const itsm__slarec *s = itsm__sr(r);
    plan p = plan_of(eng, r);
    unsigned mask = pause_mask(eng, r);
    int live = is_live(eng, r);
    for (int ck = 0; ck < ITSM__NCK; ck++) {
        int run = clock_runs(r, ck, &p, live), hold = run && (mask & (1u << ck)) != 0;
        if (run != s->ck[ck].run || hold != s->ck[ck].hold)
            replan_differs(eng, r, where, "clock run*2+hold", s->ck[ck].run * 2 + s->ck[ck].hold, run * 2 + hold);
    }
}

static int planned_later(const itsm_engine *eng, const itsm_event *ev, const itsm_record *r);

/* A schedule left to a later extension event of the step (planned_later)
 * is stale until that event re-plans it: only the clocks are checked. */
static void check_skipped(itsm_engine *eng, const itsm_event *ev, const itsm_record *r, const char *where)
{
    const itsm__slarec *s = itsm__sr(r);
    plan p = plan_of(eng, r);
    check_clocks(eng, r, where);
    if (planned_later(eng, ev, r) || itsm__se(eng)->loading)
        return;
    fire f = earliest(eng, r, &p);
    if (f.at != s->next_fire)
        replan_differs(eng, r, where, "next timer", (long long)s->next_fire, (long long)f.at);
    if (s->next_what != FIRE_NONE && (f.what != s->next_what || f.ck != s->next_ck))
        replan_differs(eng, r, where, "what*256+clock at next timer", s->next_what * 256 + s->next_ck,
                       f.what * 256 + f.ck);
    if (!plan_always(eng, &p) != !(s->flags & ITSM__SF_ALWAYS))
        replan_differs(eng, r, where, "24x7 plan", !!(s->flags & ITSM__SF_ALWAYS), plan_always(eng, &p));
}
#define CHECK_SKIPPED(eng, ev, r, where) check_skipped(eng, ev, r, where)
#define CHECK_CLOCKS(eng, r, where) check_clocks(eng, r, where)
#else
#define CHECK_SKIPPED(eng, ev, r, where) ((void)0)
#define CHECK_CLOCKS(eng, r, where) ((void)0)
#endif

/* Whether a later event of the step being applied is an extension event
 * on the same record (a breach's escalation step, ...): its re-plan
 * always schedules from scratch, and nothing between reads the schedule,
 * so this event's is left to it. The record keeps a live queue entry at
 * its next_fire until then. */
static int planned_later(const itsm_engine *eng, const itsm_event *ev, const itsm_record *r)
{
    for (size_t i = (size_t)(ev - eng->batch) + 1; i < eng->nbatch; i++)
        if (eng->batch[i].rec == r && eng->batch[i].type == ITSM__EV_EXT)
            return 1;
    return 0;
}

/* The hold reason's pause mask, through a one-entry cache: hosts hold
 * for the same few reasons (interned: the pointer is the value), and the
 * policy's list is searched by name. */
static inline unsigned pause_mask_cached(itsm_engine *eng, const itsm_record *r)
{
    uint32_t id = r->sym[SLOT(ITSM_F_HOLD_REASON) - ITSM__NTEXT];
    if (!id)
        return 0;
    itsm__slaeng *se = itsm__se(eng);
    const itsm_policy *p = itsm__rec_policy(r);
    if (se->pm_reason != id || se->pm_policy != p) {
        se->pm_mask = pause_mask(eng, r);
        se->pm_reason = id;
        se->pm_policy = p;
    }
    return se->pm_mask;
}


/* A lifecycle step between two states where the clocks count (open, not
 * a stop state), changing nothing the plan reads (priority, service,
 * group, major, the response, the fields of SLA rules): the short form
 * of after_apply below, which would find the same. The breadth index,
 * the OLA group, the open list, outages, the next update and the plan
 * stand; the state moves, the hold reason may pause or release clocks,
 * and the schedule stands unless a clock's hold changed. 0: not such a
 * step (after_apply does the whole). */
static int open_step(itsm_engine *eng, const itsm_event *ev, itsm_record *r, itsm__slarec *s)
{
    const itsm__slapol *sp = itsm__sl(itsm__rec_policy(r));
    if (r == itsm__se(eng)->firing || s->agr || (s->flags & (ITSM__SF_AC_BLOCKED | ITSM__SF_MOVED | ITSM__SF_RULE_EVERY)) ||
        (ev->fset & (TIMER_FIELDS & ~FBIT(ITSM_F_HOLD_REASON))) || (ev->fset & sp->rule_fields) || sp->rule_state)
        return 0;
    int from = s->state, to = r->state;
    const itsm__lifecycle *lc = itsm__lifecycle_of(eng, r->kind);
    if (itsm__lc_is_closed(lc, from) || itsm__lc_is_closed(lc, to) || itsm__state_is_stop(eng, r, from) ||
        itsm__state_is_stop(eng, r, to))
        return 0;
    if (s->nu_at == ITSM_TIME_NONE && NUM(r, ITSM_F_RESPONDED_AT) != ITSM_TIME_NONE)
        return 0;
    if (s->next_fire != ITSM_TIME_NONE && ev->at > s->next_fire)
        return 0;
    itsm_time at = ev->at;
    if (at > s->since)
        s->since = at;
    if (to != from) {
        s->state = (uint8_t)to;
        s->state_since = at;
    }
    /* which clocks run stands: only the hold reason may pause others */
    unsigned hold = run_bits(s) & pause_mask_cached(eng, r);
    int clocks_changed = hold != hold_bits(s);
    if (clocks_changed)
        for (int ck = 0; ck < ITSM__NCK; ck++)
            s->ck[ck].hold = (uint8_t)(hold >> ck & 1u);
    CHECK_CLOCKS(eng, r, "a step between open states");
    if (!(s->flags & ITSM__SF_EXC_LISTED) && itsm__sla_exc_qualifies(s)) {
        itsm__slaeng *se = itsm__se(eng);
        s->flags |= ITSM__SF_EXC_LISTED;
        se->exc[se->nexc++] = s->idx;
    }
    if (!clocks_changed) {
        CHECK_SKIPPED(eng, ev, r, "a step between open states");
        return 1;
    }
    plan p = plan_of(eng, r);
    if (plan_always(eng, &p))
        s->flags |= ITSM__SF_ALWAYS;
    else
        s->flags &= ~ITSM__SF_ALWAYS;
    if (planned_later(eng, ev, r))
        return 1;
    schedule(eng, r, 0, &p);
    return 1;
}

/* A clock's warning or breach, or the escalation step it climbs, on a
 * record where the clocks count: the short form of after_apply below for
 * them. The state, the fields the plan reads and the flags it reads stand
 * (the breadth index, the OLA group, the open list, the next update and
 * which clocks run and hold with them); the breached clock may put the
 * record on the aging list, and the schedule is planned afresh (a
 * warning or breach moves to the next threshold). 0: not such an event. */
static int verdict_step(itsm_engine *eng, const itsm_event *ev, itsm_record *r, itsm__slarec *s)
{
    if (ev->cls != &itsm__xclasses[ITSM__X_WARNING] && ev->cls != &itsm__xclasses[ITSM__X_BREACH] &&
        ev->cls != &itsm__xclasses[ITSM__X_STEP])
        return 0;
    const itsm__slapol *sp = itsm__sl(itsm__rec_policy(r));
    if (s->agr || (s->flags & (ITSM__SF_MOVED | ITSM__SF_RULE_EVERY)) || (ev->fset & (TIMER_FIELDS | sp->rule_fields)) ||
        r->state != s->state)
        return 0;
    if (s->nu_at == ITSM_TIME_NONE && NUM(r, ITSM_F_RESPONDED_AT) != ITSM_TIME_NONE)
        return 0;
    if (!is_live(eng, r))
        return 0;
    if (ev->at > s->since)
        s->since = ev->at;
    CHECK_CLOCKS(eng, r, "a clock's verdict");
    if (!(s->flags & ITSM__SF_EXC_LISTED) && itsm__sla_exc_qualifies(s)) {
        itsm__slaeng *se = itsm__se(eng);
        s->flags |= ITSM__SF_EXC_LISTED;
        se->exc[se->nexc++] = s->idx;
    }
    plan p = plan_of(eng, r);
    if (plan_always(eng, &p))
        s->flags |= ITSM__SF_ALWAYS;
    else
        s->flags &= ~ITSM__SF_ALWAYS;
    if (planned_later(eng, ev, r))
        return 1;
    schedule(eng, r, r == itsm__se(eng)->firing, &p);
    return 1;
}

static void after_apply(itsm_engine *eng, itsm_event *ev)
{
    itsm_record *r = ev->rec;
    if (!r || !itsm__sr(r))
        return;
    itsm__slarec *s = itsm__sr(r);
    /* Agreements: their conditions read the record as it now is (first,
     * while little else is live). */
    if (s->agr)
        itsm__agr_evaluate(eng, ev);
    itsm__slaeng *se = itsm__se(eng);
    if (se->has_rules)
        itsm__sla_rule_after(r);
    if (!replan_needed(eng, ev, r, s)) {
        CHECK_SKIPPED(eng, ev, r, "nothing the timers read changed");
        return;   /* before_apply already moved `since` to the event time */
    }
    if (ev->type == ITSM__EV_TRANSITION ? open_step(eng, ev, r, s) : ev->type == ITSM__EV_EXT && verdict_step(eng, ev, r, s))
        return;
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
        if (!(s->flags & ITSM__SF_EXC_LISTED) && itsm__sla_exc_qualifies(s)) {
            s->flags |= ITSM__SF_EXC_LISTED;
            se->exc[se->nexc++] = s->idx;
        }
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
        if (!(s->flags & ITSM__SF_EXC_LISTED) && itsm__sla_exc_qualifies(s) && plan_target(&p, ITSM__CK_RESOLUTION)) {
            s->flags |= ITSM__SF_EXC_LISTED;
            se->exc[se->nexc++] = s->idx;
        }
    }
    if (!clocks_changed && schedule_kept(eng, ev, r, s, old_state, old_flags, old_nu)) {
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
    schedule(eng, r, r == se->firing, &p);
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
    se->cals_always &= cals_always_of(itsm__sl(p));
    se->has_rules |= itsm__sl(p)->nrules > 0;
    itsm__agr_tables(p);
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
 * made with it, zeroed; gone with it. */
static void record_init(itsm_engine *eng, itsm_record *r)
{
    (void)eng;
    itsm__slarec *s = itsm__sr(r);
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
    se->loading = begin;
    if (begin)
        return ITSM_OK;
    if (itsm__grow(&eng->alloc, (void **)&se->heap, &se->cheap, se->nheap + eng->nrecs + 1, sizeof *se->heap))
        return itsm__oom(eng);
    for (size_t i = 0; i < eng->nrecs; i++) {
        itsm_record *r = eng->recs[i];
        if (!itsm__sr(r))
            continue;
        plan p = plan_of(eng, r);
        schedule(eng, r, 0, &p);
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
    .after_apply = after_apply,
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

