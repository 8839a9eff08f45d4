/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Reports over a period (include/itsm/report.h, DESIGN.md section 10).
 *
 * One pass over the engine's records collects keys and durations into
 * flat arrays; sorting and collapsing them gives the breakdowns, so the
 * cost is O(n log n) in the records whatever the number of categories or
 * weeks. Everything the report shows is copied into it.
 */
#include "itsm/report.h"
#include "core/abi.h"
#include "kit/opts.h"
#include "kit/json.h"
#include "itsm/errors.h"
#include "itsm/sla.h"
#include "itsm/handover.h"
#include "core/core.h"
#include "report/report_int.h"
#include "core/cond_record.h"
#include "policy/policy_int.h"
#include "itsm/approval.h"
#include "sla/sla_int.h"
#include "closure/closure_int.h"

#include <stdlib.h>
#include <string.h>

#define DAY ((int64_t)86400)

static const int64_t aging_bounds[ITSM_REPORT_AGING_BUCKETS] = {
    0, DAY, 3 * DAY, 7 * DAY, 30 * DAY
};

static const char *const measure_names[ITSM_MEASURE_COUNT] = {
    "respond_wall", "respond_work", "resolve_wall", "resolve_work", "approval_wall", "approval_work"
};

ITSM__DEFINE_INIT_SIZED(itsm_report_opts_init, itsm_report_opts, ITSM_REPORT_OPTS_VERSION, ITSM_REPORT_OPTS_INIT,
                        version == 1 ? ITSM__END(itsm_report_opts, calendar) : sizeof(itsm_report_opts))

const char *itsm_report_measure_name(itsm_report_measure m)
{
    return (unsigned)m < ITSM_MEASURE_COUNT ? measure_names[m] : NULL;
}

int64_t itsm_report_aging_bound(size_t bucket)
{
    return bucket < ITSM_REPORT_AGING_BUCKETS ? aging_bounds[bucket] : 0;
}

/* ---- collecting ------------------------------------------------------ */

typedef struct keyed {
    int         kind;
    const char *name;     /* borrowed from the engine while computing */
    itsm_time   week;
    size_t      opened, resolved;
} keyed;

typedef struct vec {
    void  *items;
    size_t n, cap;
} vec;

static int vec_push(const itsm_allocator *a, vec *v, const void *item, size_t size)
{
    if (v->n == v->cap && itsm__grow(a, &v->items, &v->cap, v->n + 1, size))
        return ITSM_ENOMEM;
    memcpy((char *)v->items + v->n * size, item, size);
    v->n++;
    return ITSM_OK;
}

static int cmp_name(const char *a, const char *b)
{
    if (a == b)
        return 0;
    if (!a)
        return -1;
    if (!b)
        return 1;
    return strcmp(a, b);
}

static int cmp_keyed(const void *pa, const void *pb)
{
    const keyed *a = pa, *b = pb;
    if (a->week != b->week)
        return a->week < b->week ? -1 : 1;
    if (a->kind != b->kind)
        return a->kind < b->kind ? -1 : 1;
    return cmp_name(a->name, b->name);
}

static int cmp_i64(const void *pa, const void *pb)
{
    int64_t a = *(const int64_t *)pa, b = *(const int64_t *)pb;
    return a < b ? -1 : a > b;
}

/* Sort and merge equal keys (summing counts) in place; v->n shrinks. */
static void collapse(vec *v)
{
    keyed *k = v->items;
    if (!v->n)
        return;
    qsort(k, v->n, sizeof *k, cmp_keyed);
    size_t o = 0;
    for (size_t i = 1; i < v->n; i++) {
        if (cmp_keyed(&k[o], &k[i]) == 0) {
            k[o].opened += k[i].opened;
            k[o].resolved += k[i].resolved;
        } else {
            k[++o] = k[i];
        }
    }
    v->n = o + 1;
}

/* Nearest rank on sorted values. */
static int64_t percentile(const int64_t *v, size_t n, unsigned p)
{
    size_t rank = (p * n + 99) / 100;
    if (rank < 1)
        rank = 1;
    return v[rank - 1];
}

static void stat_of(itsm_report_stat *s, int64_t *v, size_t n)
{
    memset(s, 0, sizeof *s);
    if (!n)
        return;
    qsort(v, n, sizeof *v, cmp_i64);
    double sum = 0;
    for (size_t i = 0; i < n; i++)
        sum += (double)v[i];
    s->count = n;
    s->mean = sum / (double)n;
    s->min = v[0];
    s->max = v[n - 1];
    s->p50 = percentile(v, n, 50);
    s->p90 = percentile(v, n, 90);
    s->p95 = percentile(v, n, 95);
    s->p99 = percentile(v, n, 99);
}

/* Monday 00:00 UTC of the week holding t (1970-01-01 was a Thursday). The
 * first days of 1970 keep the epoch as their label: that Monday lies
 * before the times the library writes (JSON wrote null, CSV clamped). */
static itsm_time week_of(itsm_time t)
{
    int64_t days = t / DAY;
    int64_t dow = (days + 3) % 7;   /* Monday = 0 */
    return days < dow ? 0 : (days - dow) * DAY;
}

static int work_between(int64_t *out, const itsm_policy *pol, const char *cal, itsm_time a,
                        itsm_time b)
{
    if (b >= a)
        return itsm_calendar_work(out, pol, cal, a, b);
    int rc = itsm_calendar_work(out, pol, cal, b, a);
    *out = -*out;
    return rc;
}

/* Copy collapsed keys into report rows, duplicating names. */
static int rows_from(itsm_report *r, itsm_report_row **out, size_t *nout, const vec *v)
{
    const keyed *k = v->items;
    *nout = 0;
    if (!v->n)
        return ITSM_OK;
    *out = itsm__calloc(&r->alloc, v->n, sizeof **out);
    if (!*out)
        return ITSM_ENOMEM;
    for (size_t i = 0; i < v->n; i++) {
        (*out)[i].kind = (itsm_kind)k[i].kind;
        (*out)[i].count = k[i].opened;
        if (k[i].name && !((*out)[i].name = itsm__strdup(&r->alloc, k[i].name)))
            return ITSM_ENOMEM;
        (*nout)++;
    }
    return ITSM_OK;
}

static void rows_free(itsm_report *r, itsm_report_row *rows, size_t n)
{
    for (size_t i = 0; i < n; i++)
        itsm__free(&r->alloc, (void *)(uintptr_t)rows[i].name);
    itsm__free(&r->alloc, rows);
}

void itsm_report_free(itsm_report *r)
{
    if (!r)
        return;
    rows_free(r, r->states, r->nstates);
    rows_free(r, r->cats, r->ncats);
    for (size_t i = 0; i < r->ntrends; i++)
        itsm__free(&r->alloc, (void *)(uintptr_t)r->trends[i].category);
    itsm__free(&r->alloc, r->trends);
    for (size_t i = 0; i < r->nsenders; i++)
        itsm__free(&r->alloc, (void *)(uintptr_t)r->senders[i].sender_group);
    itsm__free(&r->alloc, r->senders);
    itsm__free(&r->alloc, r->calendar);
    for (size_t i = 0; i < r->ngroups; i++)
        itsm__free(&r->alloc, (void *)(uintptr_t)r->groups[i].value);
    itsm__free(&r->alloc, r->groups);
    itsm__free(&r->alloc, r->group_by);
    itsm__free(&r->alloc, r->filter_text);
    itsm__cond_free(r->filter, &r->alloc);
    itsm__report_surveys_free(r);
    itsm_allocator a = r->alloc;
    itsm__free(&a, r);
}

static int in_period(const itsm_report *r, itsm_time t)
{
    return t != ITSM_TIME_NONE && t >= r->from && t < r->to;
}

/* A step out of a stop state at or after the resolution (reopened_at). */
typedef struct reopen_q {
    itsm_engine        *eng;
    const itsm_record  *rec;
    itsm_time           resolved;
} reopen_q;

static int is_reopen(const itsm_timeline_entry *e, void *arg)
{
    const reopen_q *q = arg;
    if (!e->event || !e->from_state || e->at < q->resolved)
        return 0;
    int from = itsm__lc_state(itsm__lifecycle_of(q->eng, q->rec->kind), e->from_state);
    return from >= 0 && itsm__state_is_stop(q->eng, q->rec, from);
}

/* When the reopen that undid the resolution at `resolved` came: the first
 * step out of a stop state at or after it, in the record's history (the
 * store's read_record); ITSM_TIME_NONE when the history cannot tell. */
static itsm_time reopened_at(itsm_engine *eng, const itsm_record *rec, itsm_time resolved)
{
    reopen_q q = { eng, rec, resolved };
    return itsm__history_find(eng, rec, is_reopen, &q);
}

/* The resolution the report counts: resolved_at, unless a reopen or a
 * cancel undid it by `now`. A reopen keeps the record's resolved_at (the
 * default lifecycle clears nothing), so a record reopened and back in
 * work - open, not in a stop state - still carries the resolution the
 * customer rejected; it is no resolution once the reopen is at or before
 * `now`. The reopen came after resolved_at and at or before the record's
 * last change (updated_at): only when `now` falls between them is its
 * time read from the history (a report as of a past `now`), and without
 * one the record is taken as it is now. Resolved again, resolved_at is the
 * new one. A canceled record (itsm__closed_unresolved) keeps resolved_at too: it
 * is no resolution from its closed_at on (the cancel stamps it; without
 * one, as it is now); before that, as the reopen rule says. */
itsm_time itsm__report_resolution(itsm_engine *eng, const itsm_record *rec, itsm_time now)
{
    itsm_time at = itsm__rec_num(rec, itsm__fields[ITSM_F_RESOLVED_AT].slot);
    if (at == ITSM_TIME_NONE || at > now)
        return at;
    int canceled = itsm__closed_unresolved(eng, rec);
    if (canceled) {
        itsm_time closed = itsm__rec_num(rec, itsm__fields[ITSM_F_CLOSED_AT].slot);
        if (closed == ITSM_TIME_NONE || closed <= now)
            return ITSM_TIME_NONE;
    }
    if (itsm__rec_num(rec, itsm__fields[ITSM_F_REOPENS].slot) <= 0 ||
        (!canceled && !itsm__state_is_live(eng, rec, rec->state)))
        return at;
    if (!canceled && itsm__rec_num(rec, itsm__fields[ITSM_F_UPDATED_AT].slot) <= now)
        return ITSM_TIME_NONE;
    itsm_time reopen = reopened_at(eng, rec, at);
    return reopen != ITSM_TIME_NONE && reopen > now ? at : ITSM_TIME_NONE;
}

/* ---- handover completeness by sender ---- */

typedef struct sender_acc {
    const char *group;    /* borrowed while computing */
    int         score;
} sender_acc;

static int cmp_sender(const void *pa, const void *pb)
{
    return cmp_name(((const sender_acc *)pa)->group, ((const sender_acc *)pb)->group);
}

static int collect_senders(itsm_report *r, itsm_engine *eng, unsigned kinds)
{
    vec v = { NULL, 0, 0 };
    int rc = ITSM_OK;
    size_t n = itsm_engine_handover_count(eng);
    for (size_t i = 0; i < n && !rc; i++) {
        itsm_packet *p;
        if (itsm_engine_handover_at(&p, eng, i) || !in_period(r, itsm_packet_proposed_at(p)))
            continue;
        /* A packet counts with its record: of the kinds selected, and
         * passing the filter, as every figure over records. */
        const char *id = itsm_packet_record_id(p);
        const itsm_record *rec = id ? itsm__find(eng, id, strlen(id)) : NULL;
        if (!rec || !(kinds & ITSM_REPORT_KIND((int)rec->kind)) || !itsm__report_passes(r, rec))
            continue;
        sender_acc s;
        s.group = itsm_packet_text_of(p, ITSM_PT_SENDER_GROUP);
        s.score = 0;
        if (itsm_packet_completeness(&s.score, p, itsm_engine_policy(eng), NULL, 0))
            s.score = 0;
        rc = vec_push(&r->alloc, &v, &s, sizeof s);
    }
    sender_acc *s = v.items;
    if (!rc && v.n) {
        qsort(s, v.n, sizeof *s, cmp_sender);
        r->senders = itsm__calloc(&r->alloc, v.n, sizeof *r->senders);
        if (!r->senders)
            rc = ITSM_ENOMEM;
        double sum = 0;
        for (size_t i = 0; i < v.n && !rc; i++) {
            if (i == 0 || cmp_name(s[i].group, s[i - 1].group)) {
                if (r->nsenders)
                    r->senders[r->nsenders - 1].mean_score = sum / (double)r->senders[r->nsenders - 1].packets;
                sum = 0;
                itsm_report_sender *o = &r->senders[r->nsenders++];
                if (s[i].group && !(o->sender_group = itsm__strdup(&r->alloc, s[i].group))) {
                    rc = ITSM_ENOMEM;
                    break;
                }
            }
            itsm_report_sender *o = &r->senders[r->nsenders - 1];
            o->packets++;
            o->complete += s[i].score >= 100;
            sum += s[i].score;
        }
        if (!rc && r->nsenders)
            r->senders[r->nsenders - 1].mean_score = sum / (double)r->senders[r->nsenders - 1].packets;
    }
    itsm__free(&r->alloc, v.items);
    return rc;
}

static int compute(itsm_report *r, itsm_engine *eng, unsigned kinds)
{
    const itsm_policy *pol = itsm_engine_policy(eng);
    vec states = { NULL, 0, 0 }, cats = { NULL, 0, 0 }, trends = { NULL, 0, 0 };
    vec dur[ITSM_MEASURE_COUNT] = { { NULL, 0, 0 }, { NULL, 0, 0 }, { NULL, 0, 0 },
                                    { NULL, 0, 0 }, { NULL, 0, 0 }, { NULL, 0, 0 } };
    itsm__group_acc *groups = NULL;
    int rc = r->group_by ? itsm__group_acc_new(&groups, r) : ITSM_OK;
    size_t n = itsm_engine_record_count(eng);

    for (size_t i = 0; i < n && !rc; i++) {
        itsm_record *rec;
        if (itsm_engine_record_at(&rec, eng, i))
            continue;
        int kind = (int)itsm_record_kind(rec);
        if (!(kinds & ITSM_REPORT_KIND(kind)) || !itsm__report_passes(r, rec))
            continue;
        itsm_time opened = itsm_record_int(rec, ITSM_F_OPENED_AT);
        itsm_time responded = itsm_record_int(rec, ITSM_F_RESPONDED_AT);
        itsm_time resolved = itsm__report_resolution(eng, rec, r->now);
        const char *cat = itsm_record_str(rec, ITSM_F_CATEGORY);

        /* aging: open now, whenever opened */
        if (itsm_record_is_open(rec) && opened != ITSM_TIME_NONE && opened <= r->now) {
            int64_t age = r->now - opened;
            size_t b = ITSM_REPORT_AGING_BUCKETS - 1;
            while (b > 0 && age < aging_bounds[b])
                b--;
            r->aging[b]++;
        }
        /* trends: resolutions in the period, whoever opened them */
        if (in_period(r, resolved)) {
            keyed k = { 0, cat, week_of(resolved), 0, 1 };
            rc = vec_push(&r->alloc, &trends, &k, sizeof k);
        }
        if (rc || !in_period(r, opened))
            continue;

        /* the cohort */
        r->total++;
        r->by_kind[kind]++;
        int64_t prio = itsm_record_int(rec, ITSM_F_PRIORITY);
        r->by_prio[prio >= 1 && prio <= 5 ? prio : 0]++;
        keyed ks = { kind, itsm_record_state(rec), 0, 1, 0 };
        keyed kc = { 0, cat, 0, 1, 0 };
        keyed kt = { 0, cat, week_of(opened), 1, 0 };
        if ((rc = vec_push(&r->alloc, &states, &ks, sizeof ks)) ||
            (rc = vec_push(&r->alloc, &cats, &kc, sizeof kc)) ||
            (rc = vec_push(&r->alloc, &trends, &kt, sizeof kt)))
            break;

        /* Approval lead time: the round's opening to its decision. */
        itsm_approval_info ai = { .size = sizeof ai };
        int decided = !itsm_record_approval(&ai, rec) && ai.decided_at != ITSM_TIME_NONE;
        itsm_time starts[3] = { opened, opened, decided ? ai.requested_at : ITSM_TIME_NONE };
        itsm_time ends[3] = { responded, resolved, decided ? ai.decided_at : ITSM_TIME_NONE };
        for (int m = 0; m < 3 && !rc; m++) {
            if (ends[m] == ITSM_TIME_NONE || starts[m] == ITSM_TIME_NONE)
                continue;
            int64_t wall = ends[m] - starts[m], work;
            if ((rc = work_between(&work, pol, r->calendar, starts[m], ends[m])))
                break;
            if ((rc = vec_push(&r->alloc, &dur[2 * m], &wall, sizeof wall)) ||
                (rc = vec_push(&r->alloc, &dur[2 * m + 1], &work, sizeof work)))
                break;
        }
        if (rc)
            break;

        int64_t reassign = itsm_record_int(rec, ITSM_F_REASSIGNMENTS);
        int64_t reopens = itsm_record_int(rec, ITSM_F_REOPENS);
        int64_t level = itsm_record_int(rec, ITSM_F_FUNCTIONAL_LEVEL);
        r->fig.reassignments += (size_t)reassign;
        r->fig.reassigned_records += reassign > 0;
        r->fig.reopens += (size_t)reopens;
        r->fig.reopened_records += reopens > 0;
        if (resolved != ITSM_TIME_NONE) {
            r->fig.resolved++;
            /* a reopen says the first fix did not hold, and a major
             * incident was the major incident team's (report.h) */
            r->fig.first_contact += level <= 1 && reassign == 0 && reopens == 0 &&
                                    !itsm_record_int(rec, ITSM_F_MAJOR);
        }
        /* resolved once, though a reopen or a cancel undid it since */
        itsm_time once = itsm_record_int(rec, ITSM_F_RESOLVED_AT);
        r->fig.ever_resolved += resolved != ITSM_TIME_NONE || reopens > 0 || (once != ITSM_TIME_NONE && once <= r->now);

        /* SLA: the resolution timer as of `now` */
        itsm_timer_info ti = { .size = sizeof ti };
        int met = 0, breached = 0;
        if (!itsm_record_timer(&ti, rec, ITSM_TIMER_RESOLUTION, r->now) &&
            ti.status != ITSM_TIMER_NONE) {
            r->sla.tracked++;
            breached = ti.breached != 0;
            /* met: resolved within target; a record closed unresolved
             * (canceled, rejected) before its target met nothing */
            met = !breached && ti.status == ITSM_TIMER_STOPPED && resolved != ITSM_TIME_NONE;
            r->sla.breached += (size_t)breached;
            r->sla.met += (size_t)met;
        }
        if (groups && (rc = itsm__group_acc_add(groups, rec, resolved != ITSM_TIME_NONE, met, breached)))
            break;
    }
    if (groups) {
        int grc = itsm__group_acc_finish(groups, r);
        rc = rc ? rc : grc;
    }

    if (!rc) {
        collapse(&states);
        collapse(&cats);
        collapse(&trends);
        rc = rows_from(r, &r->states, &r->nstates, &states);
    }
    if (!rc)
        rc = rows_from(r, &r->cats, &r->ncats, &cats);
    if (!rc && trends.n) {
        const keyed *k = trends.items;
        r->trends = itsm__calloc(&r->alloc, trends.n, sizeof *r->trends);
        if (!r->trends)
            rc = ITSM_ENOMEM;
        for (size_t i = 0; i < trends.n && !rc; i++) {
            itsm_report_trend *t = &r->trends[i];
            t->week = k[i].week;
            t->opened = k[i].opened;
            t->resolved = k[i].resolved;
            if (k[i].name && !(t->category = itsm__strdup(&r->alloc, k[i].name)))
                rc = ITSM_ENOMEM;
            r->ntrends++;
        }
    }
    for (int m = 0; m < ITSM_MEASURE_COUNT; m++) {
        if (!rc)
            stat_of(&r->stat[m], dur[m].items, dur[m].n);
        itsm__free(&r->alloc, dur[m].items);
    }
    if (r->fig.resolved)
        r->fig.first_contact_rate = (double)r->fig.first_contact / (double)r->fig.resolved;
    if (r->sla.met + r->sla.breached)
        r->sla.compliance = (double)r->sla.met / (double)(r->sla.met + r->sla.breached);
    if (r->fig.ever_resolved)
        r->fig.reopen_rate = (double)r->fig.reopened_records / (double)r->fig.ever_resolved;
    if (!rc)
        rc = collect_senders(r, eng, kinds);
    itsm__free(&r->alloc, states.items);
    itsm__free(&r->alloc, cats.items);
    itsm__free(&r->alloc, trends.items);
    return rc;
}

int itsm__report_passes(const itsm_report *r, const itsm_record *rec)
{
    itsm__cond_subject sub = { rec, NULL };
    return !r->filter || itsm__cond_eval(r->filter, itsm__cond_record_get, &sub);
}

/* Compile the filter and resolve the group_by field, against the engine's
 * policy. */
static int filter_and_group(itsm_report *r, itsm_engine *eng, const char *filter, const char *group_by)
{
    const itsm_policy *pol = itsm_engine_policy(eng);
    if (filter) {
        itsm_parse_error perr;
        memset(&perr, 0, sizeof perr);
        int rc = itsm__cond_compile(&r->filter, filter, strlen(filter), itsm__cond_record_lookup, (void *)pol,
                                    &r->alloc, &perr);
        if (rc == ITSM_ENOMEM)
            return itsm__oom(eng);
        if (rc)
            return itsm__err(eng, rc, "report: filter, column %zu: %s", perr.column, perr.text);
        if (!(r->filter_text = itsm__strdup(&r->alloc, filter)))
            return itsm__oom(eng);
    }
    if (group_by) {
        int f = itsm__policy_field_lookup(pol, group_by, strlen(group_by));
        if (f < 0)
            return itsm__err(eng, ITSM_ENOTFOUND, "report: group_by names no field ('%.64s')", group_by);
        r->group_field = f;
        if (!(r->group_by = itsm__strdup(&r->alloc, group_by)))
            return itsm__oom(eng);
    }
    return ITSM_OK;
}

int itsm_report_new(itsm_report **out, itsm_engine *eng, const itsm_report_opts *opts)
{
    if (out)
        *out = NULL;
    if (!eng)
        return ITSM_EINVAL;
    if (!out || !opts)
        return itsm__err(eng, ITSM_EINVAL, "report: %s is NULL", !out ? "out" : "opts (the options)");
    int rc = itsm__version_out(eng, opts->version, ITSM_REPORT_OPTS_VERSION, "report options");
    if (rc)
        return rc;
    if ((rc = itsm__check_time(eng, opts->from, "report from")) ||
        (rc = itsm__check_time(eng, opts->to, "report to")))
        return rc;
    if (opts->to <= opts->from) {
        char to[21], from[21];   /* both were checked in range above */
        itsm__time_format(opts->to, to);
        itsm__time_format(opts->from, from);
        return itsm__err(eng, ITSM_EINVAL, "report: period end (to %s) must be after its start (from %s)", to,
                         from);
    }
    itsm_time now = opts->now == ITSM_TIME_NONE ? itsm_engine_now(eng) : opts->now;
    if ((rc = itsm__check_time(eng, now, "report now")))
        return rc;
    unsigned all = 0;
    for (int k = 1; k <= ITSM_KIND_COUNT; k++)
        all |= ITSM_REPORT_KIND(k);
    if (opts->kinds & ~all)
        return itsm__err(eng, ITSM_EINVAL, "report: unknown kind bits 0x%x", opts->kinds & ~all);
    const char *cal = opts->calendar ? opts->calendar : "24x7";
    int64_t probe;
    rc = itsm_calendar_work(&probe, itsm_engine_policy(eng), cal, opts->from, opts->from);
    if (rc == ITSM_ENOTFOUND)
        return itsm__err(eng, rc, "report: unknown calendar '%s'", cal);
    if (rc)
        return itsm__err(eng, rc, "report: calendar '%s' failed", cal);

    itsm_report *r = itsm__calloc(&eng->alloc, 1, sizeof *r);
    if (!r)
        return itsm__oom(eng);
    r->alloc = eng->alloc;
    r->from = opts->from;
    r->to = opts->to;
    r->now = now;
    r->calendar = itsm__strdup(&r->alloc, cal);
    if (!r->calendar) {
        itsm_report_free(r);
        return itsm__oom(eng);
    }
    if (opts->version >= 2 && (rc = filter_and_group(r, eng, opts->filter, opts->group_by))) {
        itsm_report_free(r);
        return rc;   /* the message is set */
    }
    rc = compute(r, eng, opts->kinds ? opts->kinds : all);
    if (!rc)
        rc = itsm__report_surveys(r, eng, opts->kinds ? opts->kinds : all);
    if (!rc)
        itsm__report_proposals(r, eng, opts->kinds ? opts->kinds : all);
    if (rc) {
        itsm_report_free(r);
        return rc == ITSM_ENOMEM ? itsm__oom(eng) : itsm__err(eng, rc, "report: computing failed");
    }
    if ((rc = itsm__report_process(r, eng, opts->kinds ? opts->kinds : all))) {
        itsm_report_free(r);
        return rc;   /* the message is set */
    }
    itsm__cond_free(r->filter, &r->alloc);   /* the report keeps no pointer into the engine's policy */
    r->filter = NULL;
    *out = r;
    return ITSM_OK;
}

/* ---- getters --------------------------------------------------------- */

itsm_time itsm_report_from(const itsm_report *r) { return r ? r->from : ITSM_TIME_NONE; }
itsm_time itsm_report_to(const itsm_report *r) { return r ? r->to : ITSM_TIME_NONE; }
itsm_time itsm_report_now(const itsm_report *r) { return r ? r->now : ITSM_TIME_NONE; }
const char *itsm_report_calendar(const itsm_report *r) { return r ? r->calendar : NULL; }
/* A report keeps no message: a caller's result struct of a size it cannot
 * fill (common.h) is ITSM_EINVAL alone, like the other bad arguments. */
#define SIZED_BAD(out, type, first_last) \
    ((out)->size < ITSM__END(type, first_last) || (out)->size > sizeof(type))

size_t itsm_report_total(const itsm_report *r) { return r ? r->total : 0; }

size_t itsm_report_by_kind(const itsm_report *r, itsm_kind kind)
{
    return r && (int)kind >= 1 && (int)kind <= ITSM_KIND_COUNT ? r->by_kind[kind] : 0;
}

size_t itsm_report_by_priority(const itsm_report *r, int priority)
{
    return r && priority >= 0 && priority <= 5 ? r->by_prio[priority] : 0;
}

size_t itsm_report_state_count(const itsm_report *r) { return r ? r->nstates : 0; }
size_t itsm_report_category_count(const itsm_report *r) { return r ? r->ncats : 0; }

int itsm_report_state_at(const itsm_report *r, size_t i, itsm_report_row *out)
{
    if (!r || !out || i >= r->nstates || SIZED_BAD(out, itsm_report_row, count))
        return ITSM_EINVAL;
    itsm__sized_put(out, out->size, &r->states[i]);
    return ITSM_OK;
}

int itsm_report_category_at(const itsm_report *r, size_t i, itsm_report_row *out)
{
    if (!r || !out || i >= r->ncats || SIZED_BAD(out, itsm_report_row, count))
        return ITSM_EINVAL;
    itsm__sized_put(out, out->size, &r->cats[i]);
    return ITSM_OK;
}

int itsm_report_duration(itsm_report_stat *out, const itsm_report *r, itsm_report_measure m)
{
    if (!out || !r || (unsigned)m >= ITSM_MEASURE_COUNT || SIZED_BAD(out, itsm_report_stat, p95))
        return ITSM_EINVAL;
    itsm__sized_put(out, out->size, &r->stat[m]);
    return ITSM_OK;
}

int itsm_report_figures_of(itsm_report_figures *out, const itsm_report *r)
{
    if (!out || !r || SIZED_BAD(out, itsm_report_figures, reopen_rate))
        return ITSM_EINVAL;
    itsm__sized_put(out, out->size, &r->fig);
    return ITSM_OK;
}

int itsm_report_sla(itsm_report_sla_figures *out, const itsm_report *r)
{
    if (!out || !r || SIZED_BAD(out, itsm_report_sla_figures, compliance))
        return ITSM_EINVAL;
    itsm__sized_put(out, out->size, &r->sla);
    return ITSM_OK;
}

size_t itsm_report_sender_count(const itsm_report *r) { return r ? r->nsenders : 0; }

int itsm_report_sender_at(const itsm_report *r, size_t i, itsm_report_sender *out)
{
    if (!r || !out || i >= r->nsenders || SIZED_BAD(out, itsm_report_sender, complete))
        return ITSM_EINVAL;
    itsm__sized_put(out, out->size, &r->senders[i]);
    return ITSM_OK;
}

size_t itsm_report_aging(const itsm_report *r, size_t bucket)
{
    return r && bucket < ITSM_REPORT_AGING_BUCKETS ? r->aging[bucket] : 0;
}

size_t itsm_report_trend_count(const itsm_report *r) { return r ? r->ntrends : 0; }

const char *itsm_report_filter(const itsm_report *r) { return r ? r->filter_text : NULL; }
const char *itsm_report_group_by(const itsm_report *r) { return r ? r->group_by : NULL; }
size_t itsm_report_group_count(const itsm_report *r) { return r ? r->ngroups : 0; }

int itsm_report_group_at(const itsm_report *r, size_t i, itsm_report_group *out)
{
    if (!r || !out || i >= r->ngroups || SIZED_BAD(out, itsm_report_group, breached))
        return ITSM_EINVAL;
    itsm__sized_put(out, out->size, &r->groups[i]);
    return ITSM_OK;
}

int itsm_report_trend_at(const itsm_report *r, size_t i, itsm_report_trend *out)
{
    if (!r || !out || i >= r->ntrends || SIZED_BAD(out, itsm_report_trend, resolved))
        return ITSM_EINVAL;
    itsm__sized_put(out, out->size, &r->trends[i]);
    return ITSM_OK;
}
