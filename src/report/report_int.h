/* SPDX-License-Identifier: Apache-2.0 */
/* Internal: the report's layout, shared by src/report.c (computing) and
 * src/report_json.c (the JSON and CSV writers). */
#ifndef ITSM_SRC_REPORT_INT_H
#define ITSM_SRC_REPORT_INT_H

#include "itsm/report.h"

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
    itsm_report_survey *surveys;             /* names owned (src/report/report_survey.c) */
    size_t              nsurveys;
    int                 scale_min, scale_max;
    itsm_report_proposals props;             /* src/report/report_survey.c */
};

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
