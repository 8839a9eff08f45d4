/* SPDX-License-Identifier: Apache-2.0 */
/* Reading the service levels: each timer of a record, its SLA, and the
 * aging list (DESIGN.md section 4). */
#include "sla/sla_int.h"
#include "sla/plan.h"
#include "core/abi.h"
#include "core/core.h"
#include "kit/json.h"

#include <stdlib.h>
#include <string.h>

/* ---- SLA override ---- */

int itsm_record_set_sla(itsm_record *r, const char *sla)
{
    if (!r)
        return ITSM_EINVAL;
    itsm_engine *eng = r->eng;
    itsm_time at;
    int rc = itsm__xstep_begin(r, &at, "change the SLA of");
    if (rc)
        return rc;
    const char *name = NULL;
    if (sla) {
        if (itsm__sla_find(itsm__sl(eng->policy), sla) < 0)
            return itsm__err(eng, ITSM_ENOTFOUND, "the policy has no SLA '%.63s'", sla);
        if ((rc = itsm__symbol_arg(eng, sla, "SLA name", &name)))
            return rc;
    }
    itsm_event *ev;
    itsm__xev *x;
    if ((rc = itsm__xstep_one(r, ITSM__X_SLA_SET, at, &ev, &x)))
        return rc;
    x->sym[0] = name;
    return itsm__batch_commit(eng);
}


/* ---- getters ---- */

/* Always inline: the library's own size (most callers of
 * itsm_record_timer, once per record read) then costs no second frame. */
__attribute__((always_inline)) static inline int timer_fill(itsm_timer_info *out, const itsm_record *r,
                                                            itsm_timer timer, itsm_time now)
{
    if ((int)timer < 0 || (int)timer > ITSM_TIMER_NEXT_UPDATE)
        return itsm__err_const(r->eng, ITSM_EINVAL, "unknown timer %d", (int)timer);
    if (now < ITSM_TIME_MIN || now > ITSM_TIME_MAX)
        return itsm__err_const(r->eng, ITSM_EINVAL, "now %lld is outside 1970..9999", (long long)now);
    memset(out, 0, sizeof *out);
    out->due = ITSM_TIME_NONE;
    out->priority = prio_of(r);
    if (!itsm__sr(r))
        return ITSM_OK;
    const itsm_engine *eng = r->eng;
    const itsm__slarec *s = itsm__sr(r);
    if (timer == ITSM_TIMER_NEXT_UPDATE) {
        const itsm__cal *cal = itsm__sla_cal_of(eng, r, ITSM__CK_RESOLUTION);
        out->calendar = cal->name;
        itsm_time d = itsm__sla_nu_due(eng, r);
        if (d == ITSM_TIME_NONE) {
            /* Without a priority no cadence applies: NONE, as for the other timers. */
            int64_t prio = NUM(r, ITSM_F_PRIORITY);
            out->status = s->nu_at == ITSM_TIME_NONE || prio < 1 || prio > 5 ? ITSM_TIMER_NONE : ITSM_TIMER_STOPPED;
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
    /* what applies, looked up once for the calendar, the target and the
     * due time (itsm__sla_cal_of, itsm__rec_target and
     * itsm__sla_clock_due would each look it up again) */
    plan p = plan_of(eng, r);
    const itsm__cal *cal = plan_cal(eng, &p, ck);
    uint32_t target = plan_target(&p, ck);
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
    out->due = due_in(c, s->since, target, cal);   /* as clock_due_of, with the plan above */
    out->remaining = (int64_t)target - out->elapsed;
    if (!c->run && (c->breached & ITSM__CB_JUDGED))   /* stopped: the verdict of its stop */
        out->breached = (c->breached & (ITSM__CB_FIRED | ITSM__CB_LATE)) != 0;
    else
        out->breached = (c->breached & ITSM__CB_FIRED) || (target && out->elapsed >= (int64_t)target);
    return ITSM_OK;
}


/* Everything but the fast path below: out of line, so that the fast
 * path's frame saves no register. */
__attribute__((noinline)) static int timer_read(itsm_timer_info *out, const itsm_record *r, itsm_timer timer,
                                                itsm_time now)
{
    if (!r)
        return ITSM_EINVAL;
    if (!out)
        return itsm__err_const(r->eng, ITSM_EINVAL, "itsm_record_timer: out is NULL");
    if (out->size == sizeof *out) {
        /* the caller's size is this library's (most callers): filled in
         * place, with no size check and no copy; a refusal leaves `out`
         * as it was (timer_fill refuses before it writes) */
        int rc = timer_fill(out, r, timer, now);
        out->size = sizeof *out;
        return rc;
    }
    itsm_timer_info full;
    int rc = ITSM__SIZED(r->eng, out, itsm_timer_info, calendar);
    if (rc || (rc = timer_fill(&full, r, timer, now)))
        return rc;
    itsm__sized_put(out, out->size, &full);
    return ITSM_OK;
}

/* The common read - a stopped response or resolution clock (a settled
 * record's verdict) under the policy's default SLA (no SLA by hand, by
 * rule or by service) - filled here with no call; the same fields as
 * timer_fill (a stopped clock has no due time and counts nothing after
 * `since`). Anything else goes to timer_read. */
int itsm_record_timer(itsm_timer_info *out, const itsm_record *r, itsm_timer timer, itsm_time now)
{
    const itsm__slarec *s;
    if (!r || !out || out->size != sizeof *out || (unsigned)timer > ITSM_TIMER_RESOLUTION || now < ITSM_TIME_MIN ||
        now > ITSM_TIME_MAX || !(s = itsm__sr(r)) || s->sla_ovr || s->ck[timer].run)
        return timer_read(out, r, timer, now);
    const itsm__slapol *sp = itsm__sl(itsm__rec_policy(r));
    if (sp->nrules || sp->nsvc)
        return timer_read(out, r, timer, now);
    const itsm__sla *sla = &sp->slas[sp->default_sla];
    const itsm__clock *c = &s->ck[timer];
    int prio = prio_of(r);
    uint32_t target = !prio ? 0 : timer == ITSM_TIMER_RESPONSE ? sla->response[prio - 1] : sla->resolution[prio - 1];
    out->status = target || c->elapsed ? ITSM_TIMER_STOPPED : ITSM_TIMER_NONE;
    out->breached = c->breached & ITSM__CB_JUDGED ? (c->breached & (ITSM__CB_FIRED | ITSM__CB_LATE)) != 0
                                                  : (c->breached & ITSM__CB_FIRED) || (target && c->elapsed >= target);
    out->target = target;
    out->elapsed = c->elapsed;
    out->paused = c->paused;
    out->due = ITSM_TIME_NONE;
    out->remaining = (int64_t)target - c->elapsed;
    out->warnings = c->warned;
    out->calendar = sp->cals[sla->cal[prio ? prio - 1 : 0]].name;
    out->priority = prio;
#ifdef ITSM_CHECK_REPLAN
    /* The debug build: the fast read is what the general one gives. */
    itsm_timer_info full = { .size = sizeof full };
    if (timer_fill(&full, r, timer, now) != ITSM_OK || full.status != out->status || full.breached != out->breached ||
        full.target != out->target || full.elapsed != out->elapsed || full.paused != out->paused ||
        full.due != out->due || full.remaining != out->remaining || full.warnings != out->warnings ||
        full.calendar != out->calendar || full.priority != out->priority)
        itsm__sla_replan_differs(r->eng, r, "a stopped clock's fast read", "status*2+breached",
                                 (long long)full.status * 2 + full.breached, (long long)out->status * 2 + out->breached);
#endif
    return ITSM_OK;
}

/* ---- aging ---- */

static int64_t res_left(const itsm_engine *eng, const itsm_record *r, itsm_time now, itsm_time *due)
{
    itsm_timer_info ti = { .size = sizeof ti };
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

/* A lower bound on the working seconds left to a due time at or after
 * `at`, whatever calendar a record counts in: the least working time from
 * now to `at` over every calendar of every policy version the engine
 * knows; before now, the wall time (working time overdue is never more). */
static int64_t least_left_by(const itsm_engine *eng, itsm_time now, itsm_time at)
{
    if (at <= now)
        return at - now;
    int64_t least = at - now;
    /* the versions, the engine's policy among them; or that policy alone */
    for (size_t v = 0; v < (eng->nvers ? eng->nvers : 1); v++) {
        const itsm_policy *p = eng->nvers ? eng->vers[v]->policy : eng->policy;
        const itsm__slapol *sp = itsm__sl(p);
        for (size_t c = 0; c < sp->ncals && least > 0; c++) {
            int64_t w = sp->cals[c].always ? at - now : itsm__cal_work(&sp->cals[c], now, at);
            if (w < least)
                least = w;
        }
    }
    return least;
}

/* The open list: the record after `r`, oldest first; NULL at the end. */
static itsm_record *open_next(const itsm_engine *eng, const itsm_record *r)
{
    uint32_t next = itsm__sr(r)->next;
    return next == ITSM__NIL ? NULL : eng->recs[next];
}

static int opened_cmp(const void *a, const void *b)
{
    const itsm_record *ra = *(itsm_record *const *)a, *rb = *(itsm_record *const *)b;
    return itsm__sla_opened_after(ra, rb) - itsm__sla_opened_after(rb, ra);
}

/* Put the open list in its order again (a record joined it out of place):
 * O(n log n) once, then the list stays sorted while records open in time
 * order. ITSM_ENOMEM leaves it as it was. */
static int open_list_sort(itsm_engine *eng, itsm__slaeng *se)
{
    itsm_record **v = se->nopen ? itsm__malloc(&eng->alloc, se->nopen * sizeof *v) : NULL;
    if (se->nopen && !v)
        return itsm__oom(eng);
    size_t n = 0;
    for (itsm_record *r = se->oldest; r; r = open_next(eng, r))
        v[n++] = r;
    qsort(v, n, sizeof *v, opened_cmp);
    for (size_t i = 0; i < n; i++) {
        itsm__slarec *s = itsm__sr(v[i]);
        s->prev = i ? itsm__sr(v[i - 1])->idx : ITSM__NIL;
        s->next = i + 1 < n ? itsm__sr(v[i + 1])->idx : ITSM__NIL;
    }
    se->oldest = n ? v[0] : NULL;
    se->newest = n ? v[n - 1] : NULL;
    se->open_unsorted = 0;
    itsm__free(&eng->alloc, v);
    return ITSM_OK;
}

/* itsm_engine_aging on an array of this library's own entries. */
static int aging_run(itsm_aging_entry *out, size_t max, size_t *n, itsm_engine *eng, itsm_aging_order order,
                     itsm_time now)
{
    itsm__slaeng *se = itsm__se(eng);
    size_t k = 0;
    if (order == ITSM_AGING_BY_AGE) {
        int rc = se->open_unsorted ? open_list_sort(eng, se) : ITSM_OK;
        if (rc)
            return rc;
        for (itsm_record *r = se->oldest; r && k < max; r = open_next(eng, r)) {
            itsm_time due;
            out[k].rec = r;
            out[k].age = now - NUM(r, ITSM_F_OPENED_AT);
            out[k].time_left = res_left(eng, r, now, &due);
            k++;
        }
        *n = k;
        return ITSM_OK;
    }
    /* Walk the heap in order with a small frontier heap of positions,
     * keeping the best `max` by time left. A record's earliest timer is
     * never after its resolution breach, so a record behind a frontier at
     * time T has at least the working time from now to T left in the
     * calendar that counts least of it; once that passes the worst time
     * left kept, nothing better remains (by due time alone, a business
     * calendar's record with little working time left over a night would
     * be cut behind a 24x7 one). */
    /* At most one entry per record: `max` may be any size (max * 8 could wrap). */
    size_t *fr = NULL, nfr = 0, cfr = 0;
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
            if (itsm__sla_ent_less(&se->heap[fr[i]], &se->heap[fr[best]]))
                best = i;
        size_t pos = fr[best];
        fr[best] = fr[--nfr];
        const itsm__heapent *e = &se->heap[pos];
        if (k == max && least_left_by(eng, now, itsm__heapent_at(e)) > out[k - 1].time_left)
            break;
        for (size_t c = ITSM__HEAP_ARITY * pos + 1; c <= ITSM__HEAP_ARITY * pos + ITSM__HEAP_ARITY && c < se->nheap; c++) {
            if (itsm__grow(&eng->alloc, (void **)&fr, &cfr, nfr + 1, sizeof *fr)) {
                rc = itsm__oom(eng);
                break;
            }
            fr[nfr++] = c;
        }
        if (!itsm__sla_ent_live(eng, e))
            continue;
        itsm_record *r = eng->recs[e->idx];
        if (itsm__sla_exc_qualifies(itsm__sr(r)))
            continue;   /* paused or breached: from the exception list below */
        int dup = 0;
        for (size_t i = 0; i < k && !dup; i++)
            dup = out[i].rec == r;
        itsm_time due;
        int64_t left = res_left(eng, r, now, &due);
        if (dup || due == ITSM_TIME_NONE || (k == max && !aging_before(left, r, out[k - 1].time_left, out[k - 1].rec)))
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
    itsm__free(&eng->alloc, fr);
    if (rc)
        return rc;
    /* Then merge the paused and breached ones from the exception list,
     * dropping its stale entries. */
    size_t keep = 0;
    for (size_t i = 0; i < se->nexc; i++) {
        itsm_record *r = eng->recs[se->exc[i]];
        itsm__slarec *s = itsm__sr(r);
        if (!s || !(s->flags & ITSM__SF_OPEN_LISTED) || !itsm__sla_exc_qualifies(s)) {
            if (s)
                s->flags &= ~ITSM__SF_EXC_LISTED;
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
    if (!max)
        return ITSM_OK;
    /* At most one entry per record, so scratch for an older caller's
     * smaller entries never needs more than the engine's records. */
    size_t stride = out[0].size, k = 0;
    max = max < eng->nrecs ? max : eng->nrecs;
    if (!max)
        return ITSM_OK;
    itsm_aging_entry *full = itsm__sized_array_begin(&eng->alloc, out, stride, sizeof *full, max);
    if (!full)
        return itsm__oom(eng);
    rc = aging_run(full, max, &k, eng, order, now);
    itsm__sized_array_end(&eng->alloc, out, stride, full, sizeof *full, rc ? 0 : k);
    if (!rc)
        *n = k;
    return rc;
}
