/* SPDX-License-Identifier: Apache-2.0 */
/* Reports: what customers and the recurrence rule said over the period -
 * satisfaction (itsm/satisfaction.h) and problem proposals (itsm/problem.h).
 * One pass collects each survey sent with its keys; sorting by key gives
 * the rows, so the cost is O(n log n) in the surveys. */
#include "report/report_int.h"
#include "closure/closure_int.h"
#include "core/abi.h"
#include "core/core.h"
#include "itsm/communication.h"
#include "itsm/problem.h"

#include <stdlib.h>
#include <string.h>

typedef struct sent {
    const char *group, *service;   /* borrowed from the engine while computing */
    itsm_time   week;
    int         answered, score;
} sent;

static const char *const dimension_names[] = { "all", "group", "service", "week" };

const char *itsm_survey_dimension_name(itsm_survey_dimension by)
{
    return (unsigned)by <= ITSM_SURVEY_BY_WEEK ? dimension_names[by] : NULL;
}

static int cmp_str(const char *a, const char *b)
{
    if (a == b)
        return 0;
    if (!a)
        return -1;
    if (!b)
        return 1;
    return strcmp(a, b);
}

static int cmp_group(const void *pa, const void *pb)
{
    return cmp_str(((const sent *)pa)->group, ((const sent *)pb)->group);
}
static int cmp_service(const void *pa, const void *pb)
{
    return cmp_str(((const sent *)pa)->service, ((const sent *)pb)->service);
}
static int cmp_week(const void *pa, const void *pb)
{
    itsm_time a = ((const sent *)pa)->week, b = ((const sent *)pb)->week;
    return a < b ? -1 : a > b;
}

static void count_into(itsm_report_survey *row, const sent *s, double *sum)
{
    row->sent++;
    if (!s->answered)
        return;
    row->answered++;
    *sum += s->score;
    if (s->score >= row->scale_min && s->score <= row->scale_max)
        row->scores[s->score - row->scale_min]++;
}

static void finish(itsm_report_survey *row, double sum)
{
    row->response_rate = row->sent ? (double)row->answered / (double)row->sent : 0;
    row->mean_score = row->answered ? sum / (double)row->answered : 0;
}

static itsm_report_survey *new_row(itsm_report *r, itsm_survey_dimension by)
{
    itsm_report_survey *row = &r->surveys[r->nsurveys++];
    memset(row, 0, sizeof *row);
    row->size = sizeof *row;
    row->by = by;
    row->week = ITSM_TIME_NONE;
    row->scale_min = r->scale_min;
    row->scale_max = r->scale_max;
    return row;
}

/* The rows of one dimension, from the surveys sorted by it. */
static int rows_by(itsm_report *r, sent *v, size_t n, itsm_survey_dimension by,
                   int (*cmp)(const void *, const void *))
{
    if (n)   /* no surveys: v may be NULL, which qsort must not see */
        qsort(v, n, sizeof *v, cmp);
    itsm_report_survey *row = NULL;
    double sum = 0;
    for (size_t i = 0; i < n; i++) {
        if (!row || cmp(&v[i - 1], &v[i])) {
            if (row)
                finish(row, sum);
            sum = 0;
            row = new_row(r, by);
            const char *name = by == ITSM_SURVEY_BY_GROUP ? v[i].group : by == ITSM_SURVEY_BY_SERVICE ? v[i].service
                                                                                                        : NULL;
            if (by == ITSM_SURVEY_BY_WEEK)
                row->week = v[i].week;
            if (name && !(row->name = itsm__strdup(&r->alloc, name)))
                return ITSM_ENOMEM;
        }
        count_into(row, &v[i], &sum);
    }
    if (row)
        finish(row, sum);
    return ITSM_OK;
}

static itsm_time week_of(itsm_time t)
{
    int64_t days = t / 86400, dow = (days + 3) % 7;   /* 1970-01-01 was a Thursday */
    return days < dow ? 0 : (days - dow) * 86400;   /* the epoch labels 1-4 Jan 1970 (report.c) */
}

int itsm__report_surveys(itsm_report *r, itsm_engine *eng, unsigned kinds)
{
    itsm_survey_scale scale = ITSM_SURVEY_SCALE_INIT;
    itsm_policy_survey_scale(&scale, itsm_engine_policy(eng));
    r->scale_min = scale.min;
    r->scale_max = scale.max;
    sent *v = NULL;
    size_t n = 0, cap = 0, total = itsm_engine_record_count(eng);
    int rc = ITSM_OK;
    for (size_t i = 0; i < total && !rc; i++) {
        itsm_record *rec;
        if (itsm_engine_record_at(&rec, eng, i))
            continue;
        itsm_kind kind = itsm_record_kind(rec);
        itsm_time closed = itsm_record_int(rec, ITSM_F_CLOSED_AT);
        if (!(kinds & ITSM_REPORT_KIND(kind)) || (kind != ITSM_KIND_INCIDENT && kind != ITSM_KIND_SERVICE_REQUEST) ||
            itsm_record_is_open(rec) || closed == ITSM_TIME_NONE || closed < r->from || closed >= r->to ||
            !itsm__closed_resolved(eng, rec) || !itsm_record_survey_sampled(rec))
            continue;
        if (itsm__grow(&r->alloc, (void **)&v, &cap, n + 1, sizeof *v)) {
            rc = ITSM_ENOMEM;
            break;
        }
        itsm_survey_answer a = { .size = sizeof a };
        sent *s = &v[n++];
        s->group = itsm_record_str(rec, ITSM_F_ASSIGNMENT_GROUP);
        s->service = itsm_record_str(rec, ITSM_F_SERVICE);
        s->week = week_of(closed);
        s->answered = itsm_record_survey(&a, rec) == ITSM_OK;
        s->score = s->answered ? a.score : 0;
    }
    /* At most one row per survey and dimension, and the row for all. */
    if (!rc && !(r->surveys = itsm__calloc(&r->alloc, 3 * n + 1, sizeof *r->surveys)))
        rc = ITSM_ENOMEM;
    if (!rc) {
        itsm_report_survey *all = new_row(r, ITSM_SURVEY_ALL);
        double sum = 0;
        for (size_t i = 0; i < n; i++)
            count_into(all, &v[i], &sum);
        finish(all, sum);
    }
    if (!rc)
        rc = rows_by(r, v, n, ITSM_SURVEY_BY_GROUP, cmp_group);
    if (!rc)
        rc = rows_by(r, v, n, ITSM_SURVEY_BY_SERVICE, cmp_service);
    if (!rc)
        rc = rows_by(r, v, n, ITSM_SURVEY_BY_WEEK, cmp_week);
    itsm__free(&r->alloc, v);
    return rc;
}

void itsm__report_surveys_free(itsm_report *r)
{
    for (size_t i = 0; i < r->nsurveys; i++)
        itsm__free(&r->alloc, (void *)(uintptr_t)r->surveys[i].name);
    itsm__free(&r->alloc, r->surveys);
    r->surveys = NULL;
    r->nsurveys = 0;
}

size_t itsm_report_survey_count(const itsm_report *r) { return r ? r->nsurveys : 0; }

int itsm_report_survey_at(const itsm_report *r, size_t i, itsm_report_survey *out)
{
    if (!r || !out || i >= r->nsurveys || out->size < ITSM__END(itsm_report_survey, scores) ||
        out->size > sizeof *out)
        return ITSM_EINVAL;
    itsm__sized_put(out, out->size, &r->surveys[i]);
    return ITSM_OK;
}

void itsm__report_proposals(itsm_report *r, itsm_engine *eng, unsigned kinds)
{
    itsm_report_proposals *o = &r->props;
    memset(o, 0, sizeof *o);
    o->size = sizeof *o;
    if (!(kinds & ITSM_REPORT_KIND(ITSM_KIND_INCIDENT)))
        return;
    for (size_t i = 0, n = itsm_engine_problem_proposal_count(eng); i < n; i++) {
        itsm_problem_proposal p = { .size = sizeof p };
        if (itsm_engine_problem_proposal_at(&p, eng, i) || p.at < r->from || p.at >= r->to)
            continue;
        o->proposed++;
        o->incidents += p.incidents;
        o->pending += p.status == ITSM_PROPOSAL_PENDING;
        o->accepted += p.status == ITSM_PROPOSAL_ACCEPTED;
        o->dismissed += p.status == ITSM_PROPOSAL_DISMISSED;
    }
}

int itsm_report_proposals_of(itsm_report_proposals *out, const itsm_report *r)
{
    if (!r || !out || out->size < ITSM__END(itsm_report_proposals, incidents) || out->size > sizeof *out)
        return ITSM_EINVAL;
    itsm__sized_put(out, out->size, &r->props);
    return ITSM_OK;
}
