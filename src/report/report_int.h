/* SPDX-License-Identifier: Apache-2.0 */
/* Internal: the report's layout, shared by src/report.c (computing) and
 * src/report_json.c (the JSON and CSV writers). */
#ifndef ITSM_SRC_REPORT_INT_H
#define ITSM_SRC_REPORT_INT_H

#include "itsm/report.h"
#include "kit/cond.h"

struct itsm_report {
    itsm_allocator      alloc;
    itsm_time           from, to, now;
    char               *calendar;
    size_t              total;
    size_t              by_kind[ITSM_KIND_COUNT + 1];
    size_t              by_prio[6];
    itsm_report_row    *states, *cats;       /* names owned */
    size_t              nstates, ncats;
    itsm_report_stat    stat[ITSM_MEASURE_COUNT];
    itsm_report_figures fig;
    int                 process_available;   /* src/report/report_process.c */
    itsm_report_process proc;
    itsm_report_sla_figures sla;
    itsm_report_sender *senders;             /* groups owned */
    size_t              nsenders;
    size_t              aging[ITSM_REPORT_AGING_BUCKETS];
    itsm_report_trend  *trends;              /* categories owned */
    size_t              ntrends;
    char               *filter_text;         /* opts.filter, owned; NULL: none */
    itsm__cond         *filter;              /* compiled, while computing only */
    char               *group_by;            /* the field's name, owned; NULL: none */
    int                 group_field;
    itsm_report_group  *groups;              /* values owned */
    size_t              ngroups;
    itsm_report_survey *surveys;             /* names owned (src/report/report_survey.c) */
    size_t              nsurveys;
    int                 scale_min, scale_max;
    itsm_report_proposals props;             /* src/report/report_survey.c */
};

struct itsm_record;
/* Whether a record of an included kind passes the report's filter. */
int itsm__report_passes(const itsm_report *r, const struct itsm_record *rec);

/* The resolution a report counts for a record (src/report/report.c):
 * its resolved_at, or ITSM_TIME_NONE when a reopen at or before `now`
 * undid it - the record back in work - or a cancel did
 * (itsm__closed_unresolved, src/closure/closure_int.h). May read the
 * record's history. */
itsm_time itsm__report_resolution(struct itsm_engine *eng, const struct itsm_record *rec, itsm_time now);

/* The breakdown by opts.group_by (src/report/report_group.c): one entry
 * per cohort record, then sorted and merged into r->groups. */
typedef struct itsm__group_acc itsm__group_acc;
int  itsm__group_acc_new(itsm__group_acc **out, const itsm_report *r);
int  itsm__group_acc_add(itsm__group_acc *acc, const struct itsm_record *rec, int resolved, int met, int breached);
int  itsm__group_acc_finish(itsm__group_acc *acc, itsm_report *r);   /* frees acc */
void itsm__group_acc_free(itsm__group_acc *acc);

/* The process figures from the engine's store (src/report_process.c): the
 * cohort is records of `kinds` opened in the period. ITSM_OK when done or
 * when there is no history to read; else the error, with the engine's
 * message set. */
struct itsm_engine;
int itsm__report_process(itsm_report *r, struct itsm_engine *eng, unsigned kinds);

/* Satisfaction (src/report/report_survey.c): the survey rows of records
 * of `kinds`. ITSM_OK or ITSM_ENOMEM; the free releases what it made. */
int  itsm__report_surveys(itsm_report *r, struct itsm_engine *eng, unsigned kinds);
void itsm__report_surveys_free(itsm_report *r);
/* Problem proposals made in the period (src/report/report_survey.c). */
void itsm__report_proposals(itsm_report *r, struct itsm_engine *eng, unsigned kinds);

#endif
