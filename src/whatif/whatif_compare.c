/* SPDX-License-Identifier: Apache-2.0 */
/* What-if: the two rejudged sides compared record by record
 * (itsm/whatif.h says how a clock is judged). */
#include "whatif/whatif_int.h"
#include "itsm/agreement.h"
#include "itsm/sla.h"

#include <stdlib.h>
#include <string.h>

typedef struct judged {
    itsm_whatif_verdict v;
    const char *sla;      /* the scratch engine's; copied when kept */
    uint32_t    target;
    int64_t     elapsed;
} judged;

static judged judge_timer(const itsm_record *r, itsm_timer t, itsm_time as_of)
{
    judged j = { ITSM_WHATIF_NONE, NULL, 0, 0 };
    itsm_timer_info in;
    memset(&in, 0, sizeof in);
    in.size = sizeof in;
    if (!r || itsm_record_timer(&in, r, t, as_of) != ITSM_OK || in.status == ITSM_TIMER_NONE || !in.target)
        return j;
    j.sla = itsm_record_sla(r);
    j.target = in.target;
    j.elapsed = in.elapsed;
    j.v = in.breached ? ITSM_WHATIF_BREACHED : in.status == ITSM_TIMER_STOPPED ? ITSM_WHATIF_MET : ITSM_WHATIF_PENDING;
    return j;
}

static judged judge_agreement(const itsm_record *r, const char *name, itsm_time as_of)
{
    judged j = { ITSM_WHATIF_NONE, NULL, 0, 0 };
    itsm_agreement_info in;
    memset(&in, 0, sizeof in);
    in.size = sizeof in;
    if (!r || itsm_record_agreement(&in, r, name, as_of) != ITSM_OK || in.status == ITSM_AGREEMENT_NONE)
        return j;
    if (in.verdict != ITSM_VERDICT_BREACHED && in.status == ITSM_AGREEMENT_CANCELLED)
        return j;   /* applies no more, and never breached */
    /* No target: none, unless it breached before it was cancelled (the
     * priority dropped to one without a target): that breach stays. */
    if (!in.target && in.verdict != ITSM_VERDICT_BREACHED)
        return j;
    j.sla = name;
    j.target = in.target;
    j.elapsed = in.elapsed;
    j.v = in.verdict == ITSM_VERDICT_BREACHED ? ITSM_WHATIF_BREACHED
        : in.verdict == ITSM_VERDICT_MET    ? ITSM_WHATIF_MET
                                            : ITSM_WHATIF_PENDING;
    return j;
}

static const char *keep(itsm_whatif *w, const char *s)
{
    if (!s)
        return NULL;
    if (itsm__grow(&w->alloc, (void **)&w->strs, &w->cstrs, w->nstrs + 1, sizeof *w->strs))
        return NULL;
    char *d = itsm__strdup(&w->alloc, s);
    if (d)
        w->strs[w->nstrs++] = d;
    return d;
}

static int same(const char *a, const char *b) { return a == b || (a && b && strcmp(a, b) == 0); }

static itsm_whatif_sla *sla_row(itsm_whatif *w, itsm_whatif_clock clock, const char *name)
{
    for (size_t i = 0; i < w->nslas; i++)
        if (w->slas[i].clock == clock && strcmp(w->slas[i].name, name) == 0)
            return &w->slas[i];
    if (itsm__grow(&w->alloc, (void **)&w->slas, &w->cslas, w->nslas + 1, sizeof *w->slas))
        return NULL;
    itsm_whatif_sla *row = &w->slas[w->nslas];
    memset(row, 0, sizeof *row);
    row->size = sizeof *row;
    row->clock = clock;
    if (!(row->name = keep(w, name)))
        return NULL;
    w->nslas++;
    return row;
}

static itsm_whatif_group *group_row(itsm_whatif *w, const char *group)
{
    for (size_t i = 0; i < w->ngroups; i++)
        if (same(w->groups[i].group, group))
            return &w->groups[i];
    if (itsm__grow(&w->alloc, (void **)&w->groups, &w->cgroups, w->ngroups + 1, sizeof *w->groups))
        return NULL;
    itsm_whatif_group *row = &w->groups[w->ngroups];
    memset(row, 0, sizeof *row);
    row->size = sizeof *row;
    if (group && !(row->group = keep(w, group)))
        return NULL;
    w->ngroups++;
    return row;
}

static void count(itsm_whatif_sla *row, itsm_whatif_verdict v, int candidate)
{
    size_t *met = candidate ? &row->candidate_met : &row->actual_met;
    size_t *breached = candidate ? &row->candidate_breached : &row->actual_breached;
    size_t *pending = candidate ? &row->candidate_pending : &row->actual_pending;
    (*(v == ITSM_WHATIF_MET ? met : v == ITSM_WHATIF_BREACHED ? breached : pending))++;
}

/* One clock of one record, both sides. */
static int compare_clock(itsm_whatif *w, const itsm_record *ra, itsm_whatif_group **grow, itsm_whatif_clock clock,
                         judged a, judged b)
{
    if (a.v == ITSM_WHATIF_NONE && b.v == ITSM_WHATIF_NONE)
        return ITSM_OK;
    itsm_whatif_sla *sa = NULL, *sb = NULL;
    if (a.v != ITSM_WHATIF_NONE) {
        if (!(sa = sla_row(w, clock, a.sla)))
            return ITSM_ENOMEM;
        count(sa, a.v, 0);
    }
    if (b.v != ITSM_WHATIF_NONE) {
        if (!(sb = sla_row(w, clock, b.sla)))
            return ITSM_ENOMEM;
        count(sb, b.v, 1);
    }
    if (!*grow) {
        if (!(*grow = group_row(w, itsm_record_str(ra, ITSM_F_ASSIGNMENT_GROUP))))
            return ITSM_ENOMEM;
        (*grow)->records++;
    }
    itsm_whatif_group *g = *grow;
    int ab = a.v == ITSM_WHATIF_BREACHED, bb = b.v == ITSM_WHATIF_BREACHED;
    w->sum.clocks++;
    w->sum.actual_breached += (size_t)ab;
    w->sum.candidate_breached += (size_t)bb;
    g->actual_breached += (size_t)ab;
    g->candidate_breached += (size_t)bb;
    if (a.v == b.v)
        return ITSM_OK;
    w->sum.flips++;
    w->sum.to_breached += (size_t)(!ab && bb);
    w->sum.to_met += (size_t)(ab && !bb);
    g->to_breached += (size_t)(!ab && bb);
    g->to_met += (size_t)(ab && !bb);
    if (itsm__grow(&w->alloc, (void **)&w->flips, &w->cflips, w->nflips + 1, sizeof *w->flips))
        return ITSM_ENOMEM;
    itsm_whatif_flip *f = &w->flips[w->nflips];
    memset(f, 0, sizeof *f);
    f->size = sizeof *f;
    if (!(f->record = keep(w, itsm_record_id(ra))))
        return ITSM_ENOMEM;
    f->group = g->group;
    int64_t prio = itsm_record_int(ra, ITSM_F_PRIORITY);
    f->priority = prio >= 1 && prio <= 5 ? (int)prio : 0;
    f->clock = clock;
    f->actual_sla = sa ? sa->name : NULL;
    f->candidate_sla = sb ? sb->name : NULL;
    f->actual = a.v;
    f->candidate = b.v;
    f->actual_target = a.target;
    f->candidate_target = b.target;
    f->actual_elapsed = a.elapsed;
    f->candidate_elapsed = b.elapsed;
    w->nflips++;
    return ITSM_OK;
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

static int64_t percentile(const int64_t *v, size_t n, unsigned p)
{
    size_t rank = (p * n + 99) / 100;
    return v[(rank < 1 ? 1 : rank) - 1];
}

/* vals: n actual values then n candidate values. */
static void duration_of(itsm_whatif_duration *d, int64_t *vals, size_t n)
{
    memset(d, 0, sizeof *d);
    d->size = sizeof *d;
    if (!n)
        return;
    int64_t *a = vals, *b = vals + n;
    double sa = 0, sb = 0;
    for (size_t i = 0; i < n; i++) {
        int64_t delta = b[i] > a[i] ? b[i] - a[i] : a[i] - b[i];
        d->changed += (size_t)(a[i] != b[i]);
        if (delta > d->max_delta)
            d->max_delta = delta;
        sa += (double)a[i];
        sb += (double)b[i];
    }
    d->count = n;
    d->actual_mean = sa / (double)n;
    d->candidate_mean = sb / (double)n;
    d->mean_delta = d->candidate_mean - d->actual_mean;
    qsort(a, n, sizeof *a, cmp_i64);
    qsort(b, n, sizeof *b, cmp_i64);
    d->actual_p50 = percentile(a, n, 50);
    d->actual_p90 = percentile(a, n, 90);
    d->candidate_p50 = percentile(b, n, 50);
    d->candidate_p90 = percentile(b, n, 90);
}

static int cmp_sla(const void *x, const void *y)
{
    const itsm_whatif_sla *a = x, *b = y;
    if (a->clock != b->clock)
        return a->clock < b->clock ? -1 : 1;
    return strcmp(a->name, b->name);
}

static int cmp_group(const void *x, const void *y)
{
    const itsm_whatif_group *a = x, *b = y;
    if (!a->group || !b->group)
        return (a->group != NULL) - (b->group != NULL);
    return strcmp(a->group, b->group);
}

/* The names of the agreements of either policy (the scratch policies'). */
static const char **agreement_names(itsm_whatif *w, itsm_engine *a, itsm_engine *b, size_t *n)
{
    const itsm_policy *pa = itsm_engine_policy(a), *pb = itsm_engine_policy(b);
    size_t na = itsm_policy_agreement_count(pa), nb = itsm_policy_agreement_count(pb);
    *n = 0;
    const char **names = itsm__calloc(&w->alloc, na + nb + 1, sizeof *names);
    if (!names)
        return NULL;
    for (size_t i = 0; i < na + nb; i++) {
        const char *s = i < na ? itsm_policy_agreement_name(pa, i) : itsm_policy_agreement_name(pb, i - na);
        int dup = 0;
        for (size_t k = 0; k < *n && !dup; k++)
            dup = strcmp(names[k], s) == 0;
        if (!dup)
            names[(*n)++] = s;
    }
    return names;
}

static int compare_record(itsm_whatif *w, const itsm_record *ra, const itsm_record *rb, const char *const *agrs,
                          size_t nagrs, itsm_time as_of)
{
    itsm_whatif_group *g = NULL;
    int rc = compare_clock(w, ra, &g, ITSM_WHATIF_RESPONSE, judge_timer(ra, ITSM_TIMER_RESPONSE, as_of),
                           judge_timer(rb, ITSM_TIMER_RESPONSE, as_of));
    if (!rc)
        rc = compare_clock(w, ra, &g, ITSM_WHATIF_RESOLUTION, judge_timer(ra, ITSM_TIMER_RESOLUTION, as_of),
                           judge_timer(rb, ITSM_TIMER_RESOLUTION, as_of));
    for (size_t k = 0; k < nagrs && !rc; k++)
        rc = compare_clock(w, ra, &g, ITSM_WHATIF_AGREEMENT, judge_agreement(ra, agrs[k], as_of),
                           judge_agreement(rb, agrs[k], as_of));
    return rc;
}

/* The records' times to resolve, both sides: wall (vals[0]) and the
 * resolution timer's working seconds (vals[1]), each n actual values then
 * n candidate values. */
static void resolve_times(const itsm_record *ra, const itsm_record *rb, itsm_time as_of, int64_t *vals[2],
                          size_t n[2], size_t cap)
{
    itsm_time oa = itsm_record_int(ra, ITSM_F_OPENED_AT), ob = itsm_record_int(rb, ITSM_F_OPENED_AT);
    itsm_time xa = itsm_record_int(ra, ITSM_F_RESOLVED_AT), xb = itsm_record_int(rb, ITSM_F_RESOLVED_AT);
    if (xa == ITSM_TIME_NONE || xb == ITSM_TIME_NONE)
        return;
    vals[0][n[0]] = xa - oa;
    vals[0][cap + n[0]++] = xb - ob;
    itsm_timer_info ta, tb;
    memset(&ta, 0, sizeof ta);
    memset(&tb, 0, sizeof tb);
    ta.size = tb.size = sizeof ta;
    if (itsm_record_timer(&ta, ra, ITSM_TIMER_RESOLUTION, as_of) != ITSM_OK ||
        itsm_record_timer(&tb, rb, ITSM_TIMER_RESOLUTION, as_of) != ITSM_OK || ta.status == ITSM_TIMER_NONE ||
        tb.status == ITSM_TIMER_NONE)
        return;
    vals[1][n[1]] = ta.elapsed;
    vals[1][cap + n[1]++] = tb.elapsed;
}

int itsm__whatif_compare(itsm_whatif *w, itsm_engine *a, itsm_engine *b, itsm_time as_of)
{
    size_t nrecs = itsm_engine_record_count(a), nagrs;
    w->sum.size = sizeof w->sum;
    w->sum.as_of = as_of;
    w->sum.events = w->events;
    w->sum.records = nrecs;
    const char **agrs = agreement_names(w, a, b, &nagrs);
    int64_t *vals[2] = { itsm__calloc(&w->alloc, 2 * nrecs + 1, sizeof(int64_t)),
                         itsm__calloc(&w->alloc, 2 * nrecs + 1, sizeof(int64_t)) };
    size_t n[2] = { 0, 0 };
    int rc = agrs && vals[0] && vals[1] ? ITSM_OK : ITSM_ENOMEM;
    for (size_t i = 0; i < nrecs && !rc; i++) {
        itsm_record *ra, *rb = NULL;
        itsm_engine_record_at(&ra, a, i);
        /* The same events open the same records in the same order. */
        if (itsm_engine_record_at(&rb, b, i) != ITSM_OK || strcmp(itsm_record_id(ra), itsm_record_id(rb)) != 0)
            rb = itsm__find(b, itsm_record_id(ra), strlen(itsm_record_id(ra)));
        rc = compare_record(w, ra, rb, agrs, nagrs, as_of);
        if (!rc && rb)
            resolve_times(ra, rb, as_of, vals, n, nrecs);
    }
    if (!rc) {
        /* The candidate values sit at vals + cap: close the gap first. */
        for (int m = 0; m < 2; m++) {
            memmove(vals[m] + n[m], vals[m] + nrecs, n[m] * sizeof(int64_t));
            duration_of(&w->dur[m], vals[m], n[m]);
        }
        if (w->nslas)
            qsort(w->slas, w->nslas, sizeof *w->slas, cmp_sla);
        if (w->ngroups)
            qsort(w->groups, w->ngroups, sizeof *w->groups, cmp_group);
    }
    itsm__free(&w->alloc, vals[0]);
    itsm__free(&w->alloc, vals[1]);
    itsm__free(&w->alloc, (void *)agrs);
    return rc;
}
