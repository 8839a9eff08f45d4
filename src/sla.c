/* SPDX-License-Identifier: Apache-2.0 */
/* Service-level timers: the per-record clocks, the one deadline queue, the
 * tick, the timer getters and the aging query (DESIGN.md section 4).
 *
 * Clocks advance only at event times (itsm__sla_before_apply), and what is
 * scheduled is recomputed from the record after each event
 * (itsm__sla_after_apply), so the whole state is a pure function of the
 * applied events and replay rebuilds it exactly.
 *
 * The queue is a binary min-heap of (time, record) with lazy invalidation:
 * each record keeps the time of its earliest timer (next_fire); an entry
 * is live only while it matches. Stale entries are dropped when they reach
 * the top, and the heap is compacted when they outnumber live ones. */
#include "sla_int.h"
#include "abi.h"
#include "engine_int.h"
#include "json.h"

#include <string.h>

#define SLOT(f) (itsm__fields[f].slot)
#define NUM(r, f) ((r)->num[SLOT(f)])
#define STR(r, f) ((r)->str[SLOT(f)])

const itsm__slapol *itsm__slapol_of(const itsm_engine *eng) { return eng->policy->sl; }

int itsm__sla_tracked(const itsm_record *r)
{
    return r && r->sla != NULL;
}

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
    const itsm__slapol *sp = eng->policy->sl;
    if (r->sla && r->sla->sla_ovr && r->sla->sla_ovr <= sp->nslas)
        return &sp->slas[r->sla->sla_ovr - 1];
    const char *svc = STR(r, ITSM_F_SERVICE);
    if (svc && sp->nsvc)
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
    const itsm__slapol *sp = eng->policy->sl;
    const char *g = STR(r, ITSM_F_ASSIGNMENT_GROUP);
    return g && sp->nolas ? ola_by_group(sp, g) : NULL;
}

static const itsm__cal *cal_of(const itsm_engine *eng, const itsm_record *r, int ck)
{
    const itsm__slapol *sp = eng->policy->sl;
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
    return cal_of(eng, r, ITSM__CK_RESOLUTION);
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
typedef struct plan { int prio; const itsm__sla *sla; const itsm__ola *ola; } plan;

static plan plan_of(const itsm_engine *eng, const itsm_record *r)
{
    plan p = { prio_of(r), sla_of(eng, r), ola_of(eng, r) };
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
    const itsm__slapol *sp = eng->policy->sl;
    if (ck == ITSM__CK_OLA && p->ola)
        return &sp->cals[p->ola->cal];
    return &sp->cals[p->sla->cal[p->prio ? p->prio - 1 : 0]];
}

static int sla_always(const itsm__slapol *sp, const itsm__sla *sla)
{
    for (int p = 0; p < 5; p++)
        if (!sp->cals[sla->cal[p]].always)
            return 0;
    return 1;
}

void itsm__sla_index_policy(itsm_engine *eng)
{
    const itsm__slapol *sp = eng->policy->sl;
    memset(eng->stop_bits, 0, sizeof eng->stop_bits);
    eng->auto_close_ev[0] = -1;
    /* The calendars a record without an SLA set by hand can count in: its
     * service's SLA or the default one, and an OLA's. */
    eng->cals_always = sp->nslas && sla_always(sp, &sp->slas[sp->default_sla]);
    for (size_t i = 0; i < sp->nsvc; i++)
        eng->cals_always &= sla_always(sp, &sp->slas[sp->svc[i].sla]);
    for (size_t i = 0; i < sp->nolas; i++)
        eng->cals_always &= sp->cals[sp->olas[i].cal].always != 0;
    for (int k = 1; k <= ITSM_KIND_COUNT; k++) {
        const itsm__lifecycle *lc = itsm__lifecycle_of(eng, k);
        eng->auto_close_ev[k] = itsm__lc_event(lc, "auto_close");
        for (size_t s = 0; s < lc->nstates; s++)
            for (size_t i = 0; i < sp->nstop; i++)
                if (strcmp(sp->stop[i], lc->states[s]) == 0)
                    eng->stop_bits[k][s / 64] |= (uint64_t)1 << (s % 64);
    }
}

static int is_open(const itsm_engine *eng, const itsm_record *r)
{
    return !itsm__lc_is_closed(itsm__lifecycle_of(eng, r->kind), r->state);
}

static unsigned pause_mask(const itsm_engine *eng, const itsm_record *r)
{
    const char *reason = STR(r, ITSM_F_HOLD_REASON);
    const itsm__slapol *sp = eng->policy->sl;
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

/* ---- the heap ---- */

static int ent_less(const itsm__heapent *a, const itsm__heapent *b)
{
    return a->at < b->at || (a->at == b->at && a->idx < b->idx);
}

static void sift_up(itsm__heapent *h, size_t i)
{
    itsm__heapent e = h[i];
    while (i > 0) {
        size_t parent = (i - 1) / 2;
        if (!ent_less(&e, &h[parent]))
            break;
        h[i] = h[parent];
        i = parent;
    }
    h[i] = e;
}

static void sift_down(itsm__heapent *h, size_t n, size_t i)
{
    itsm__heapent e = h[i];
    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= n)
            break;
        if (c + 1 < n && ent_less(&h[c + 1], &h[c]))
            c++;
        if (!ent_less(&h[c], &e))
            break;
        h[i] = h[c];
        i = c;
    }
    h[i] = e;
}

/* Room was reserved: never fails. */
static void heap_push(itsm__slaeng *se, itsm_time at, uint32_t idx)
{
    itsm__heapent e = { at, idx, 0 };
    se->heap[se->nheap] = e;
    sift_up(se->heap, se->nheap);
    se->nheap++;
}

static void heap_pop(itsm__slaeng *se)
{
    se->heap[0] = se->heap[--se->nheap];
    if (se->nheap)
        sift_down(se->heap, se->nheap, 0);
}

static int ent_live(const itsm_engine *eng, const itsm__heapent *e)
{
    const itsm_record *r = eng->recs[e->idx];
    return r->sla && r->sla->next_fire == e->at;
}

/* Drop stale entries and duplicates; O(heap). Changes nothing observable. */
static void heap_compact(itsm_engine *eng)
{
    itsm__slaeng *se = eng->sla;
    for (size_t i = 0; i < se->nheap; i++) {
        itsm_record *r = eng->recs[se->heap[i].idx];
        if (r->sla)
            r->sla->flags &= (uint16_t)~ITSM__SF_HELD;
    }
    size_t n = 0;
    for (size_t i = 0; i < se->nheap; i++) {
        itsm__heapent e = se->heap[i];
        itsm_record *r = eng->recs[e.idx];
        if (!ent_live(eng, &e) || (r->sla->flags & ITSM__SF_HELD))
            continue;
        r->sla->flags |= ITSM__SF_HELD;
        se->heap[n++] = e;
    }
    se->nheap = n;
    for (size_t i = n / 2; i-- > 0;)
        sift_down(se->heap, n, i);
}

/* ---- scheduling: the earliest timer of a record ---- */

enum { FIRE_NONE = 0, FIRE_WARNING, FIRE_BREACH, FIRE_OVERDUE, FIRE_AUTOCLOSE, FIRE_MAJ_COMMS, FIRE_MAJ_GROUPS };

typedef struct fire { itsm_time at; int what; int ck; } fire;

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
    const itsm__slarec *s = r->sla;
    if (!p->prio || s->nu_at == ITSM_TIME_NONE || !live)
        return ITSM_TIME_NONE;
    if (s->flags & ITSM__SF_NU_PROMISE)
        return s->nu_at;
    return itsm__cal_add(plan_cal(eng, p, ITSM__CK_RESOLUTION), s->nu_at, eng->policy->sl->cadence[p->prio - 1]);
}

static itsm_time nu_due(const itsm_engine *eng, const itsm_record *r)
{
    plan p = plan_of(eng, r);
    return nu_due_of(eng, r, &p, is_live(eng, r));
}

/* `open` is is_open(eng, r). */
static itsm_time auto_close_due(const itsm_engine *eng, const itsm_record *r, int open)
{
    const itsm__slapol *sp = eng->policy->sl;
    if (!sp->auto_close_after || NUM(r, ITSM_F_MAJOR) || !open || !itsm__state_is_stop(eng, r, r->state))
        return ITSM_TIME_NONE;
    int e = eng->auto_close_ev[r->kind];
    const itsm__transition *t = e < 0 ? NULL : itsm__find_transition(eng, r->kind, r->state, e);
    /* A step back into the same state would leave this due time as it is,
     * and the tick would fire it again without end: no timer then. */
    if (!t || t->to == (int)r->state)
        return ITSM_TIME_NONE;
    return r->sla->state_since + sp->auto_close_after;
}

itsm_time itsm_record_auto_close_due(const itsm_record *r)
{
    if (!r || !r->sla)
        return ITSM_TIME_NONE;
    return auto_close_due(r->eng, r, is_open(r->eng, r));
}

static fire earliest(const itsm_engine *eng, const itsm_record *r, const plan *p)
{
    const itsm__slarec *s = r->sla;
    const itsm__slapol *sp = eng->policy->sl;
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
    if (!(s->flags & ITSM__SF_AC_BLOCKED))
        consider(&f, auto_close_due(eng, r, open), FIRE_AUTOCLOSE, 0);
    if (s->major_at != ITSM_TIME_NONE && NUM(r, ITSM_F_MAJOR) && open) {
        if (!(s->flags & (ITSM__SF_MAJ_COMMS | ITSM__SF_MAJ_COMMS_MISSED)))
            consider(&f, s->major_at + sp->major_comms_due + 1, FIRE_MAJ_COMMS, 0);
        if (!(s->flags & (ITSM__SF_MAJ_GROUPS | ITSM__SF_MAJ_GROUPS_MISSED)))
            consider(&f, s->major_at + sp->major_groups_due + 1, FIRE_MAJ_GROUPS, 0);
    }
    return f;
}

fire itsm__sla_earliest(const itsm_engine *eng, const itsm_record *r);
fire itsm__sla_earliest(const itsm_engine *eng, const itsm_record *r)
{
    plan p = plan_of(eng, r);
    return earliest(eng, r, &p);
}

static void schedule(itsm_engine *eng, itsm_record *r, int force, const plan *p)
{
    itsm__slarec *s = r->sla;
    fire f = earliest(eng, r, p);
    if (f.at == s->next_fire && !force)
        return;
    s->next_fire = f.at;
    if (f.at != ITSM_TIME_NONE)
        heap_push(eng->sla, f.at, s->idx);
}

/* ---- hooks ---- */

static int engine_state(itsm_engine *eng)
{
    if (!eng->sla && !(eng->sla = itsm__calloc(&eng->alloc, 1, sizeof *eng->sla)))
        return itsm__oom(eng);
    return ITSM_OK;
}

int itsm__sla_reserve(itsm_engine *eng)
{
    int rc = engine_state(eng);
    if (rc)
        return rc;
    itsm__slaeng *se = eng->sla;
    size_t outages = 0;
    for (size_t i = 0; i < eng->nbatch; i++) {
        itsm_event *ev = &eng->batch[i];
        if (ev->type == ITSM__EV_OPEN && !ev->rec->sla &&
            (ev->rec->kind == ITSM_KIND_INCIDENT || ev->rec->kind == ITSM_KIND_SERVICE_REQUEST)) {
            itsm__slarec *s = itsm__calloc(&eng->alloc, 1, sizeof *s);
            if (!s)
                return itsm__oom(eng);
            s->since = s->state_since = s->nu_at = s->major_at = s->next_fire = ITSM_TIME_NONE;
            s->svc = ITSM__NIL;
            ev->rec->sla = s;
        }
        if (ev->type == ITSM__EV_EXT && ev->ext && ((itsm__xev *)ev->ext)->cls == ITSM__X_OUTAGE)
            outages++;
    }
    if (se->nheap > 64 && se->nheap > 2 * (eng->nrecs + 16))
        heap_compact(eng);
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
    return ITSM_OK;
}

void itsm__sla_before_apply(itsm_engine *eng, itsm_event *ev)
{
    itsm_record *r = ev->rec;
    if (!r || !r->sla || ev->type == ITSM__EV_OPEN)
        return;
    itsm__slarec *s = r->sla;
    itsm_time at = ev->at;
    if (s->since == ITSM_TIME_NONE || at <= s->since)
        return;
    plan p = { 0, NULL, NULL };
    int planned = 0, always = eng->cals_always && !s->sla_ovr;
    for (int ck = 0; ck < ITSM__NCK; ck++) {
        itsm__clock *c = &s->ck[ck];
        if (!c->run)
            continue;
        if (!planned && !always) {
            p = plan_of(eng, r);
            planned = 1;
        }
        /* at > since here: a 24x7 calendar's work is at - since */
        int64_t w = always ? at - s->since : itsm__cal_work(plan_cal(eng, &p, ck), s->since, at);
        uint32_t *acc = c->hold ? &c->paused : &c->elapsed;
        int64_t sum = (int64_t)*acc + w;
        *acc = sum > (int64_t)UINT32_MAX ? UINT32_MAX : (uint32_t)sum;
    }
    s->since = at;
}

static void open_list_remove(itsm__slaeng *se, itsm_record **se_recs, itsm_record *r)
{
    itsm__slarec *s = r->sla;
    if (!(s->flags & ITSM__SF_OPEN_LISTED))
        return;
    itsm_record **recs = se_recs;
    if (s->prev != ITSM__NIL) recs[s->prev]->sla->next = s->next; else se->oldest = s->next == ITSM__NIL ? NULL : recs[s->next];
    if (s->next != ITSM__NIL) recs[s->next]->sla->prev = s->prev; else se->newest = s->prev == ITSM__NIL ? NULL : recs[s->prev];
    s->prev = s->next = ITSM__NIL;
    s->flags &= (uint16_t)~ITSM__SF_OPEN_LISTED;
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
    itsm__slaeng *se = eng->sla;
    itsm__slarec *s = r->sla;
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
static int exc_qualifies(const itsm__slarec *s)
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
    if (r->state != s->state || (ev->fset & TIMER_FIELDS) || (s->flags & ITSM__SF_AC_BLOCKED))
        return 1;
    if (ev->type == ITSM__EV_OPEN || ev->type == ITSM__EV_EXT || r == eng->sla->firing ||
        (ev->type == ITSM__EV_NOTE && ev->note.kind == ITSM_NOTE_CUSTOMER))
        return 1;
    if (s->nu_at == ITSM_TIME_NONE && NUM(r, ITSM_F_RESPONDED_AT) != ITSM_TIME_NONE)
        return 1;   /* cleared by a (replayed) customer update with no next update: it restarts */
    if (!(s->flags & ITSM__SF_EXC_LISTED) && exc_qualifies(s))
        return 1;   /* the aging query dropped it while it qualified (a reopened record) */
    return s->next_fire != ITSM_TIME_NONE && ev->at > s->next_fire;
}

void itsm__sla_after_apply(itsm_engine *eng, itsm_event *ev)
{
    itsm_record *r = ev->rec;
    if (!r || !r->sla)
        return;
    itsm__slarec *s = r->sla;
    itsm__slaeng *se = eng->sla;
    if (!replan_needed(eng, ev, r, s))
        return;   /* before_apply already moved `since` to the event time */
    itsm_time at = ev->at;
    if (ev->type == ITSM__EV_OPEN) {
        s->idx = (uint32_t)(eng->nrecs - 1);
        s->since = s->state_since = at;
        s->state = r->state;
        s->prev = se->newest ? se->newest->sla->idx : ITSM__NIL;
        s->next = ITSM__NIL;
        if (se->newest) se->newest->sla->next = s->idx; else se->oldest = r;
        se->newest = r;
        s->flags |= ITSM__SF_OPEN_LISTED;
        se->nopen++;
    }
    if (at > s->since)
        s->since = at;
    if (r->state != s->state) {
        /* Resolving with no knowledge decision and no linked article: a
         * knowledge candidate (knowledge itself is src/knowledge*, issue 4). */
        const char *kd = STR(r, ITSM_F_KNOWLEDGE_DECISION);
        if (ev->type == ITSM__EV_TRANSITION && eng->policy->sl->knowledge_candidate &&
            itsm__state_is_stop(eng, r, r->state) && !itsm__state_is_stop(eng, r, s->state) &&
            ((!kd && !itsm__has_knowledge_link(r)) || (kd && strcmp(kd, "candidate") == 0)))
            s->flags |= ITSM__SF_KB_CANDIDATE;
        s->state = r->state;
        s->state_since = at;
    }
    int open = is_open(eng, r), live = open && !itsm__state_is_stop(eng, r, r->state);
    if (!open)
        open_list_remove(se, eng->recs, r);
    svc_update(eng, r, live);
    if ((s->flags & ITSM__SF_OUTAGE) && !live) {
        s->flags &= (uint16_t)~ITSM__SF_OUTAGE;
        outage_remove(se, r);
    }
    /* OLA: a new group starts its own clock. */
    const char *g = STR(r, ITSM_F_ASSIGNMENT_GROUP);
    if (g != s->ola_group) {
        memset(&s->ck[ITSM__CK_OLA], 0, sizeof s->ck[ITSM__CK_OLA]);
        s->ola_group = g;
    }
    /* Next update: starts with the first response; a customer update moves it. */
    if (s->nu_at == ITSM_TIME_NONE && NUM(r, ITSM_F_RESPONDED_AT) != ITSM_TIME_NONE) {
        s->nu_at = NUM(r, ITSM_F_RESPONDED_AT);
        s->flags &= (uint16_t)~ITSM__SF_NU_OVERDUE;
    }
    if (ev->type == ITSM__EV_NOTE && ev->note.kind == ITSM_NOTE_CUSTOMER) {
        s->nu_at = ev->note.next_update;
        s->flags |= ITSM__SF_NU_PROMISE;
        s->flags &= (uint16_t)~ITSM__SF_NU_OVERDUE;
        if (NUM(r, ITSM_F_MAJOR) && s->major_at != ITSM_TIME_NONE)
            s->flags |= ITSM__SF_MAJ_COMMS;
    }
    if (ev->type != ITSM__EV_EXT)
        s->flags &= (uint16_t)~ITSM__SF_AC_BLOCKED;
    unsigned mask = pause_mask(eng, r);
    plan p = plan_of(eng, r);
    for (int ck = 0; ck < ITSM__NCK; ck++) {
        itsm__clock *c = &s->ck[ck];
        c->run = (uint8_t)clock_runs(r, ck, &p, live);
        c->hold = (uint8_t)(c->run && (mask & (1u << ck)) != 0);
    }
    if (!(s->flags & ITSM__SF_EXC_LISTED) && exc_qualifies(s) && plan_target(&p, ITSM__CK_RESOLUTION)) {
        s->flags |= ITSM__SF_EXC_LISTED;
        se->exc[se->nexc++] = s->idx;
    }
    schedule(eng, r, r == se->firing, &p);
}

void itsm__sla_record_free(itsm_engine *eng, itsm_record *r)
{
    if (r->sla)
        itsm__free(&eng->alloc, r->sla);
    r->sla = NULL;
}

void itsm__sla_engine_free(itsm_engine *eng)
{
    if (!eng->sla)
        return;
    itsm__free(&eng->alloc, eng->sla->heap);
    itsm__free(&eng->alloc, eng->sla->outages);
    itsm__free(&eng->alloc, eng->sla->svc);
    itsm__free(&eng->alloc, eng->sla->exc);
    itsm__free(&eng->alloc, eng->sla);
    eng->sla = NULL;
}

/* ---- the tick ---- */

static const char *isym(itsm_engine *eng, const char *s)
{
    return itsm__intern(eng, s, strlen(s));
}

static itsm_time clock_due(const itsm_engine *eng, const itsm_record *r, int ck)
{
    const itsm__clock *c = &r->sla->ck[ck];
    uint32_t target = itsm__rec_target(eng, r, ck);
    if (!c->run || c->hold || !target)
        return ITSM_TIME_NONE;
    if (target <= c->elapsed)
        return r->sla->since;
    return itsm__cal_add(cal_of(eng, r, ck), r->sla->since, (int64_t)target - c->elapsed);
}

const char *itsm__ladder_audience(const itsm_engine *eng, int level)
{
    const itsm__slapol *sp = eng->policy->sl;
    if (level < 1 || (size_t)level > sp->nladder)
        return NULL;
    return sp->ladder[level - 1];
}

/* One hierarchical step in the batch being built. ITSM_ELIMIT at the top. */
int itsm__add_step(itsm_engine *eng, itsm_record *r, itsm_time at, const char *reason, const char *note);
int itsm__add_step(itsm_engine *eng, itsm_record *r, itsm_time at, const char *reason, const char *note)
{
    int64_t level = NUM(r, ITSM_F_HIERARCHICAL_LEVEL) + 1;
    const char *aud = itsm__ladder_audience(eng, (int)level);
    if (!aud)
        return itsm__err(eng, ITSM_ELIMIT, "%s is already at the top of the escalation ladder (level %lld)",
                         r->id, (long long)(level - 1));
    itsm__xev *x;
    itsm_event *ev = itsm__xev_add(eng, ITSM__X_STEP, r, at, &x);
    if (!ev)
        return ITSM_ENOMEM;
    x->num = level;
    if (!(x->sym[0] = isym(eng, aud)) || !(x->sym[1] = isym(eng, reason)))
        return itsm__oom(eng);
    if (note && !(x->text = itsm__strdup(&eng->alloc, note)))
        return itsm__oom(eng);
    itsm__change *c = itsm__ev_change(ev, ITSM_F_HIERARCHICAL_LEVEL);
    if (!c)
        return itsm__err(eng, ITSM_ELIMIT, "too many changes in one step");
    c->num = level;
    return ITSM_OK;
}

static int add_audience(itsm_engine *eng, itsm__xev *x, const itsm_record *r)
{
    (void)eng;
    const char *who[2] = { STR(r, ITSM_F_ASSIGNEE), STR(r, ITSM_F_ASSIGNMENT_GROUP) };
    for (int i = 0; i < 2; i++)
        if (who[i])
            x->sym[2 + x->nsym++] = who[i];   /* already interned */
    return ITSM_OK;
}

static int build_fire(itsm_engine *eng, itsm_record *r, itsm_time now, int *did)
{
    const itsm__slapol *sp = eng->policy->sl;
    fire f = itsm__sla_earliest(eng, r);
    *did = 0;
    if (f.what == FIRE_NONE || f.at > now)
        return ITSM_OK;
    /* A timer fires at its own deadline (a late tick still records when the
     * breach happened), never before the record's last event. */
    now = f.at > r->sla->since ? f.at : r->sla->since;
    itsm__xev *x = NULL;
    itsm_event *ev;
    int rc = ITSM_OK;
    itsm__batch_begin(eng);
    switch (f.what) {
    case FIRE_WARNING:
    case FIRE_BREACH: {
        int breach = f.what == FIRE_BREACH;
        if (!(ev = itsm__xev_add(eng, breach ? ITSM__X_BREACH : ITSM__X_WARNING, r, now, &x)))
            return ITSM_ENOMEM;
        x->num = r->sla->ck[f.ck].warned + 1;
        x->t1 = breach ? f.at : clock_due(eng, r, f.ck);
        if (!(x->sym[0] = isym(eng, ck_names[f.ck])))
            return itsm__oom(eng);
        add_audience(eng, x, r);
        int climb = breach ? sp->climb_on_breach : sp->climb_on_warning;
        if (f.ck == ITSM__CK_OLA)
            climb = breach && sp->climb_on_ola_breach;   /* an OLA warning never climbs */
        if (climb && itsm__ladder_audience(eng, (int)NUM(r, ITSM_F_HIERARCHICAL_LEVEL) + 1))
            rc = itsm__add_step(eng, r, now, breach ? "breach" : "warning", NULL);
        break;
    }
    case FIRE_OVERDUE: {
        if (!(ev = itsm__xev_add(eng, ITSM__X_OVERDUE, r, now, &x)))
            return ITSM_ENOMEM;
        x->t1 = nu_due(eng, r);
        itsm_audience a = itsm_record_audience(r);
        if (!(x->sym[0] = isym(eng, a == ITSM_AUDIENCE_BROADCAST ? "broadcast" : "callers")))
            return itsm__oom(eng);
        break;
    }
    case FIRE_AUTOCLOSE:
        rc = itsm__batch_fire(r, "auto_close", NULL, 0, now);
        if (rc == ITSM_EGUARD || rc == ITSM_ETRANSITION) {
            char why[sizeof eng->errmsg];
            memcpy(why, eng->errmsg, sizeof why);
            itsm__batch_abort(eng);
            itsm__batch_begin(eng);
            if (!(ev = itsm__xev_add(eng, ITSM__X_AC_BLOCKED, r, now, &x)))
                return ITSM_ENOMEM;
            if (!(x->text = itsm__strdup(&eng->alloc, why)))
                return itsm__oom(eng);
            rc = ITSM_OK;
        }
        break;
    case FIRE_MAJ_COMMS:
    case FIRE_MAJ_GROUPS: {
        int comms = f.what == FIRE_MAJ_COMMS;
        if (!(ev = itsm__xev_add(eng, ITSM__X_MAJ_MISSED, r, now, &x)))
            return ITSM_ENOMEM;
        x->t1 = r->sla->major_at + (comms ? sp->major_comms_due : sp->major_groups_due);
        if (!(x->sym[0] = isym(eng, comms ? "communication" : "groups")))
            return itsm__oom(eng);
        break;
    }
    default:
        break;
    }
    if (rc)
        return rc;
    *did = 1;
    return ITSM_OK;
}

static int tick_due(itsm_engine *eng, itsm_time now, size_t *fired);

int itsm_engine_tick(itsm_engine *eng, itsm_time now, size_t *fired)
{
    if (fired)
        *fired = 0;
    if (!eng)
        return ITSM_EINVAL;
    int rc;
    if ((rc = itsm__check_entry(eng)) || (rc = itsm__check_time(eng, now, "tick time")) ||
        (rc = engine_state(eng)))
        return rc;
    itsm__slaeng *se = eng->sla;
    if (!se->nheap || se->heap[0].at > now)
        return ITSM_OK;   /* nothing due: most ticks */
    return tick_due(eng, now, fired);
}

/* itsm_engine_tick's loop, apart so the common call needs no frame. */
__attribute__((noinline)) static int tick_due(itsm_engine *eng, itsm_time now, size_t *fired)
{
    itsm__slaeng *se = eng->sla;
    int rc = ITSM_OK;
    size_t n = 0;
    se->in_tick = 1;
    se->tick_now = now;
    while (se->nheap && se->heap[0].at <= now) {
        itsm__heapent e = se->heap[0];
        itsm_record *r = eng->recs[e.idx];
        heap_pop(se);
        if (!ent_live(eng, &e))
            continue;
        int did = 0;
        se->firing = r;
        rc = build_fire(eng, r, now, &did);
        if (!rc && did)
            rc = itsm__batch_commit(eng);
        else if (rc)
            itsm__batch_abort(eng);
        se->firing = NULL;
        if (rc) {
            heap_push(se, e.at, e.idx);   /* room: it was just popped */
            break;
        }
        if (did)
            n++;
    }
    se->in_tick = 0;
    if (fired)
        *fired = n;
    return rc;
}

itsm_time itsm_engine_next_deadline(itsm_engine *eng)
{
    if (!eng || !eng->sla)
        return ITSM_TIME_NONE;
    itsm__slaeng *se = eng->sla;
    /* Drop stale tops: nothing observable changes. */
    while (se->nheap && !ent_live(eng, &se->heap[0]))
        heap_pop(se);
    return se->nheap ? se->heap[0].at : ITSM_TIME_NONE;
}

/* ---- getters ---- */

static int timer_fill(itsm_timer_info *out, const itsm_record *r, itsm_timer timer, itsm_time now)
{
    if ((int)timer < 0 || (int)timer > ITSM_TIMER_NEXT_UPDATE)
        return itsm__err_const(r->eng, ITSM_EINVAL, "unknown timer %d", (int)timer);
    if (now < ITSM_TIME_MIN || now > ITSM_TIME_MAX)
        return itsm__err_const(r->eng, ITSM_EINVAL, "now %lld is outside 1970..9999", (long long)now);
    memset(out, 0, sizeof *out);
    out->due = ITSM_TIME_NONE;
    if (!r->sla)
        return ITSM_OK;
    const itsm_engine *eng = r->eng;
    const itsm__slarec *s = r->sla;
    if (timer == ITSM_TIMER_NEXT_UPDATE) {
        const itsm__cal *cal = cal_of(eng, r, ITSM__CK_RESOLUTION);
        out->calendar = cal->name;
        itsm_time d = nu_due(eng, r);
        if (d == ITSM_TIME_NONE) {
            /* Without a priority no cadence applies: NONE, as for the other timers. */
            out->status = s->nu_at == ITSM_TIME_NONE || !prio_of(r) ? ITSM_TIMER_NONE : ITSM_TIMER_STOPPED;
            return ITSM_OK;
        }
        out->status = ITSM_TIMER_RUNNING;
        out->due = d;
        out->remaining = d >= now ? itsm__cal_work(cal, now, d) : -itsm__cal_work(cal, d, now);
        if (d > now && out->remaining == 0)
            out->remaining = 0;
        out->breached = (s->flags & ITSM__SF_NU_OVERDUE) || now > d;
        return ITSM_OK;
    }
    int ck = (int)timer;
    const itsm__clock *c = &s->ck[ck];
    const itsm__cal *cal = cal_of(eng, r, ck);
    uint32_t target = itsm__rec_target(eng, r, ck);
    out->calendar = cal->name;
    out->target = target;
    out->elapsed = c->elapsed;
    out->paused = c->paused;
    out->warnings = c->warned;
    if (c->run && now > s->since) {
        int64_t w = itsm__cal_work(cal, s->since, now);
        if (c->hold)
            out->paused += w;
        else
            out->elapsed += w;
    }
    if (c->run)
        out->status = c->hold ? ITSM_TIMER_PAUSED : ITSM_TIMER_RUNNING;
    else if (target || c->elapsed)
        out->status = ITSM_TIMER_STOPPED;
    else
        out->status = ITSM_TIMER_NONE;
    out->due = clock_due(eng, r, ck);
    out->remaining = (int64_t)target - out->elapsed;
    out->breached = c->breached || (target && out->elapsed >= (int64_t)target);
    return ITSM_OK;
}

int itsm_record_timer(itsm_timer_info *out, const itsm_record *r, itsm_timer timer, itsm_time now)
{
    if (!r)
        return ITSM_EINVAL;
    if (!out)
        return itsm__err_const(r->eng, ITSM_EINVAL, "itsm_record_timer: out is NULL");
    itsm_timer_info full;
    int rc = ITSM__SIZED(r->eng, out, itsm_timer_info, calendar);
    if (rc || (rc = timer_fill(&full, r, timer, now)))
        return rc;
    itsm__sized_put(out, out->size, &full);
    return ITSM_OK;
}

const char *itsm_record_sla(const itsm_record *r)
{
    if (!r || !r->sla)
        return NULL;
    return sla_of(r->eng, r)->name;
}

/* ---- aging ---- */

static int64_t res_left(const itsm_engine *eng, const itsm_record *r, itsm_time now, itsm_time *due)
{
    itsm_timer_info ti = { .size = sizeof ti };   /* gcc -O3 cannot see timer_fill set it */
    *due = ITSM_TIME_NONE;
    if (timer_fill(&ti, r, ITSM_TIMER_RESOLUTION, now) != ITSM_OK ||
        (ti.status != ITSM_TIMER_RUNNING && ti.status != ITSM_TIMER_PAUSED) || !ti.target)
        return INT64_MAX;   /* a paused clock keeps its frozen time left (due: NONE) */
    (void)eng;
    *due = ti.due;
    return ti.remaining;
}

/* The aging order: by key (due, or time left), ties by record id. Total and
 * the same on every engine holding the records, whatever the deadline
 * queue's or the exception list's layout (queries compact them). */
static int aging_before(int64_t a, const itsm_record *ra, int64_t b, const itsm_record *rb)
{
    return a != b ? a < b : strcmp(ra->id, rb->id) < 0;
}

/* itsm_engine_aging on an array of this library's own entries. */
static int aging_run(itsm_aging_entry *out, size_t max, size_t *n, itsm_engine *eng, itsm_aging_order order,
                     itsm_time now)
{
    itsm__slaeng *se = eng->sla;
    size_t k = 0;
    if (order == ITSM_AGING_BY_AGE) {
        for (itsm_record *r = se->oldest; r && k < max; r = r->sla->next == ITSM__NIL ? NULL : eng->recs[r->sla->next]) {
            itsm_time due;
            out[k].rec = r;
            out[k].age = now - NUM(r, ITSM_F_OPENED_AT);
            out[k].time_left = res_left(eng, r, now, &due);
            k++;
        }
        *n = k;
        return ITSM_OK;
    }
    /* Walk the heap in order with a small frontier heap of positions; a
     * record's earliest timer is never after its resolution breach, so once
     * the frontier passes the worst due kept, nothing better remains. */
    /* At most one entry per record: `max` may be any size (max * 8 could wrap). */
    size_t cap = max < eng->nrecs ? max : eng->nrecs;
    itsm_time *dues = itsm__calloc(&eng->alloc, cap ? cap : 1, sizeof *dues);
    size_t *fr = NULL, nfr = 0, cfr = 0;
    if (!dues)
        return itsm__oom(eng);
    int rc = ITSM_OK;
    if (se->nheap) {
        if (itsm__grow(&eng->alloc, (void **)&fr, &cfr, 16, sizeof *fr))
            rc = itsm__oom(eng);
        else
            fr[nfr++] = 0;
    }
    while (!rc && nfr) {
        /* pop the smallest frontier position */
        size_t best = 0;
        for (size_t i = 1; i < nfr; i++)
            if (ent_less(&se->heap[fr[i]], &se->heap[fr[best]]))
                best = i;
        size_t pos = fr[best];
        fr[best] = fr[--nfr];
        const itsm__heapent *e = &se->heap[pos];
        if (k == max && e->at > dues[k - 1])
            break;
        for (size_t c = 2 * pos + 1; c <= 2 * pos + 2 && c < se->nheap; c++) {
            if (itsm__grow(&eng->alloc, (void **)&fr, &cfr, nfr + 1, sizeof *fr)) {
                rc = itsm__oom(eng);
                break;
            }
            fr[nfr++] = c;
        }
        if (!ent_live(eng, e))
            continue;
        itsm_record *r = eng->recs[e->idx];
        if (exc_qualifies(r->sla))
            continue;   /* paused or breached: from the exception list below */
        int dup = 0;
        for (size_t i = 0; i < k && !dup; i++)
            dup = out[i].rec == r;
        itsm_time due;
        int64_t left = res_left(eng, r, now, &due);
        if (dup || due == ITSM_TIME_NONE || (k == max && !aging_before(due, r, dues[k - 1], out[k - 1].rec)))
            continue;
        size_t at = k < max ? k++ : k - 1;
        while (at > 0 && aging_before(due, r, dues[at - 1], out[at - 1].rec)) {
            dues[at] = dues[at - 1];
            out[at] = out[at - 1];
            at--;
        }
        dues[at] = due;
        out[at].rec = r;
        out[at].age = now - NUM(r, ITSM_F_OPENED_AT);
        out[at].time_left = left;
    }
    itsm__free(&eng->alloc, fr);
    itsm__free(&eng->alloc, dues);
    if (rc)
        return rc;
    /* Running records by time left (their due order differs only across
     * calendars), then merge the paused and breached ones from the
     * exception list, dropping its stale entries. */
    for (size_t i = 1; i < k; i++)
        for (size_t j = i; j > 0 && aging_before(out[j].time_left, out[j].rec, out[j - 1].time_left, out[j - 1].rec);
             j--) {
            itsm_aging_entry t = out[j];
            out[j] = out[j - 1];
            out[j - 1] = t;
        }
    size_t keep = 0;
    for (size_t i = 0; i < se->nexc; i++) {
        itsm_record *r = eng->recs[se->exc[i]];
        itsm__slarec *s = r->sla;
        if (!s || !(s->flags & ITSM__SF_OPEN_LISTED) || !exc_qualifies(s)) {
            if (s)
                s->flags &= (uint16_t)~ITSM__SF_EXC_LISTED;
            continue;
        }
        se->exc[keep++] = se->exc[i];
        itsm_time due;
        int64_t left = res_left(eng, r, now, &due);
        if (left == INT64_MAX || (k == max && !aging_before(left, r, out[k - 1].time_left, out[k - 1].rec)))
            continue;
        size_t at = k < max ? k++ : k - 1;
        while (at > 0 && aging_before(left, r, out[at - 1].time_left, out[at - 1].rec)) {
            out[at] = out[at - 1];
            at--;
        }
        out[at].rec = r;
        out[at].age = now - NUM(r, ITSM_F_OPENED_AT);
        out[at].time_left = left;
    }
    se->nexc = keep;
    *n = k;
    return ITSM_OK;
}

int itsm_engine_aging(itsm_aging_entry *out, size_t max, size_t *n, itsm_engine *eng, itsm_aging_order order,
                      itsm_time now)
{
    if (!eng)
        return ITSM_EINVAL;
    if (!n || (!out && max))
        return itsm__err(eng, ITSM_EINVAL, "out and n must not be NULL");
    *n = 0;
    int rc;
    if (max && (rc = ITSM__SIZED(eng, out, itsm_aging_entry, time_left)))
        return rc;
    if (now < ITSM_TIME_MIN || now > ITSM_TIME_MAX)
        return itsm__err(eng, ITSM_EINVAL, "time %lld is outside 1970..9999", (long long)now);
    if (order != ITSM_AGING_BY_AGE && order != ITSM_AGING_BY_BREACH)
        return itsm__err(eng, ITSM_EINVAL, "unknown aging order %d", (int)order);
    if (!eng->sla || !max)
        return ITSM_OK;
    /* At most one entry per record, so scratch for an older caller's
     * smaller entries never needs more than the engine's records. */
    size_t stride = out[0].size, k = 0;
    max = max < eng->nrecs ? max : eng->nrecs;
    itsm_aging_entry *full = itsm__sized_array_begin(&eng->alloc, out, stride, sizeof *full, max);
    if (!full)
        return itsm__oom(eng);
    rc = aging_run(full, max, &k, eng, order, now);
    itsm__sized_array_end(&eng->alloc, out, stride, full, sizeof *full, rc ? 0 : k);
    if (!rc)
        *n = k;
    return rc;
}
