/* SPDX-License-Identifier: Apache-2.0 */
/*
 * itsm/report.h - reports over a period (DESIGN.md section 10).
 *
 * A report is computed once, from the engine's records as they are when
 * itsm_report_new runs, into an opaque handle the caller owns; the getters
 * read it and the writers turn it into JSON or CSV. The engine is not
 * changed and the report keeps no pointer into it: it stays valid, and
 * the same, after the engine changes or is freed.
 *
 * Which records count. The period is [from, to). The report's population
 * (the "cohort") is every record of the selected kinds whose opened_at
 * falls in the period. Unless said otherwise, every figure is over the
 * cohort, with each record as it is now (its current state, its latest
 * resolved_at, its counters). "Resolved" is resolved_at set and not
 * undone: a reopen keeps resolved_at, so a record reopened and back in
 * work (open, not in a stop state such as resolved) is not resolved in
 * any figure - resolve, first contact resolution, SLA met, trends, the
 * breakdown by group_by, the process figures' completed records - once
 * the reopen is at or before opts.now, until it is resolved again. (Only
 * a report as of a past `now`, between the resolution and the record's
 * last change, reads the reopen's time from the record's history through
 * the store's read_record; without it the record is taken as it is.)
 * Nor is a canceled record, from its closed_at on, though it keeps
 * resolved_at (canceled after a reopen, or straight from resolved): a
 * record withdrawn was never verified restored. Canceled is a closed
 * state that no transition of its own reaches from a stop state (the
 * default lifecycles' canceled, reached by cancel from any open state;
 * closed, reached from resolved or fulfilled, keeps the resolution).
 *
 *   volume       cohort records by kind, by (kind, current state), by
 *                category (unset: NULL) and by priority (0: none).
 *   respond      responded_at - opened_at, for cohort records that have a
 *                responded_at (the lifecycle stamps it on the first step
 *                that a person takes up the record: start, assess, fulfil).
 *   approval     the approval lead time: from the opening of a cohort
 *                record's approval round to the decision that approved or
 *                rejected it (itsm_record_approval: requested_at to
 *                decided_at), for cohort records whose round is decided;
 *                wall and working seconds as below.
 *   resolve      resolved_at - opened_at, for cohort records that are
 *                resolved (to the latest resolution, after any reopen: a
 *                practitioner measures to the final fix).
 *                Both in wall seconds and in working seconds on the
 *                report's calendar (opts.calendar, a calendar of the
 *                engine's policy; NULL: "24x7", where working time equals
 *                wall time). Count, mean, minimum, maximum and the 50th,
 *                90th, 95th and 99th percentiles (nearest rank: the smallest
 *                value with at least p% of the values at or below it).
 *   first contact resolution
 *                of the cohort records that are resolved, those resolved
 *                at functional level 1 or with no level, with no
 *                reassignment, never reopened (a reopen says the first
 *                fix did not hold) and no accepted major incident (the
 *                major incident team's; itsm_record_first_contact_resolution).
 *   reassignments  the sum of the cohort's reassignment counters and the
 *                number of records reassigned at least once.
 *   reopen rate  cohort records reopened at least once over cohort records
 *                resolved at least once (resolved_at set by opts.now - a
 *                canceled one included - or reopened).
 *   SLA compliance
 *                the resolution timer (itsm_record_timer, as of opts.now) of
 *                cohort records that have one: met = stopped without a
 *                breach and resolved, breached =
 *                breached (late, or running past due); running or paused
 *                on time, or closed unresolved (canceled) on time, counts
 *                in `tracked` only.
 *   handover completeness by sender
 *                packets proposed in the period (itsm_packet_proposed_at)
 *                on records of the selected kinds that pass the filter,
 *                grouped by their sender_group slot, scored with
 *                itsm_packet_completeness against the engine's policy.
 *   aging        records of the selected kinds open now (their current
 *                state is open), whatever their opening time, by age at
 *                opts.now (ITSM_TIME_NONE: the engine's clock) in the
 *                buckets [0,1d) [1d,3d) [3d,7d) [7d,30d) [30d,...).
 *                Records opened after opts.now are not counted.
 *   process      from each cohort record's history, read back from the
 *                engine's store (its scan; itsm/sys/store.h) - the store is
 *                the history, the records hold only where they are now:
 *                completed records (resolved, or in a closed state)
 *                and of those the ones whose functional_level never went
 *                above 1 (or was never set): they stayed at the first line;
 *                functional escalations (steps that raised functional_level,
 *                no level counting as level 1: pushes to a higher line) and
 *                the records pushed at least
 *                once; group changes (assignment_group moved from one group
 *                to another; a clear is no group and a first group is no
 *                change); ping-pong: records that a group had, lost to
 *                another group, and had again (not contiguously), and how
 *                often a group got a record back that way. An engine
 *                without a store, or whose store has no scan, has no
 *                history: then "process":{"available":false}.
 *   trends       per week (weeks start Monday 00:00 UTC; 1-4 January 1970,
 *                before the first Monday, have the epoch as their week) and category:
 *                cohort records opened that week, and records of the
 *                selected kinds (cohort or not) whose resolved_at falls
 *                in that week and in the period. Rows are ordered by week,
 *                then category (NULL first, then by bytes).
 */
#ifndef ITSM_REPORT_H
#define ITSM_REPORT_H

#include "common.h"
#include "record.h"
#include "satisfaction.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct itsm_engine itsm_engine;
typedef struct itsm_report itsm_report;

typedef struct itsm_report_opts {
    unsigned    version;   /* ITSM_REPORT_OPTS_VERSION */
    itsm_time   from;      /* period start, included */
    itsm_time   to;        /* period end, excluded; must be > from */
    itsm_time   now;       /* the aging reference; ITSM_TIME_NONE: the engine's clock */
    unsigned    kinds;     /* bit (1u << kind) per included kind; 0: every kind */
    const char *calendar;  /* working-time calendar of the engine's policy; NULL: "24x7" */
    /* version 2 */
    const char *filter;    /* a condition (docs/conditions.md): only records for which it
                              holds count, in every figure over records; NULL: all */
    const char *group_by;  /* a field's name, built in or declared by the policy: the
                              cohort broken down by its value (itsm_report_group_at);
                              NULL: none */
} itsm_report_opts;

#define ITSM_REPORT_OPTS_VERSION 2
#define ITSM_REPORT_OPTS_INIT { ITSM_REPORT_OPTS_VERSION, ITSM_TIME_MIN, ITSM_TIME_MAX, \
                                ITSM_TIME_NONE, 0u, NULL, NULL, NULL }
/* The bit of one kind in itsm_report_opts.kinds. */
#define ITSM_REPORT_KIND(k) (1u << (unsigned)(k))
/* For languages without macros. ITSM_EINVAL for NULL or an unknown version. */
ITSM_API int itsm_report_opts_init(itsm_report_opts *opts, unsigned version);

/*
 * Compute a report. `opts` is required (the period has no sensible default
 * for a host; ITSM_REPORT_OPTS_INIT means "all time").
 * Errors: ITSM_EINVAL (NULL, unknown version, times outside 1970..9999,
 * to <= from, unknown kind bits; the message is the engine's),
 * ITSM_EPARSE or ITSM_ELIMIT (the filter: the message names the column
 * and the reason), ITSM_ENOTFOUND (a group_by naming no field),
 * ITSM_ENOTFOUND (unknown calendar), ITSM_ENOMEM, and for the process
 * figures the store's scan code (ITSM_ESTORE, ITSM_EUSER, ...) or
 * ITSM_EPARSE for an event the history reader cannot read.
 * Free with itsm_report_free.
 */
ITSM_API int  itsm_report_new(itsm_report **out, itsm_engine *eng, const itsm_report_opts *opts);
/* Accepts NULL. */
ITSM_API void itsm_report_free(itsm_report *rep);

/* The period and the aging reference used; ITSM_TIME_NONE for NULL. */
ITSM_API itsm_time itsm_report_from(const itsm_report *rep);
/* The period's end (excluded); ITSM_TIME_NONE for NULL. */
ITSM_API itsm_time itsm_report_to(const itsm_report *rep);
/* The aging reference used; ITSM_TIME_NONE for NULL. */
ITSM_API itsm_time itsm_report_now(const itsm_report *rep);
/* The working-time calendar's name ("24x7" when none was given). Borrowed
 * from the report. */
ITSM_API const char *itsm_report_calendar(const itsm_report *rep);

/* ---- volume ------------------------------------------------------------- */

/* Cohort records: all of them, and of one kind (0 for an unknown kind). */
ITSM_API size_t itsm_report_total(const itsm_report *rep);
/* Cohort records of one kind; 0 for NULL or an unknown kind. */
ITSM_API size_t itsm_report_by_kind(const itsm_report *rep, itsm_kind kind);
/* By priority 1..5; 0 counts records with no priority. 0 out of range. */
ITSM_API size_t itsm_report_by_priority(const itsm_report *rep, int priority);

/* One row of a breakdown; strings are borrowed from the report. */
typedef struct itsm_report_row {
    size_t      size;      /* sizeof(itsm_report_row), set by the caller (common.h) */
    itsm_kind   kind;      /* by state: the lifecycle's kind; by category: 0 */
    const char *name;      /* the state or category; NULL: no category */
    size_t      count;
} itsm_report_row;

/* By (kind, current state), ordered by kind then state name; by category,
 * NULL first then by bytes. The number of rows by state; 0 for NULL. */
ITSM_API size_t itsm_report_state_count(const itsm_report *rep);
/* Row `index` (0..itsm_report_state_count - 1) of the breakdown by kind and
 * current state; `out->size` set by the caller, the name borrowed from the
 * report. ITSM_EINVAL for NULL, an index out of range or a size it cannot
 * fill (common.h). */
ITSM_API int    itsm_report_state_at(const itsm_report *rep, size_t index, itsm_report_row *out);
/* The number of rows of the breakdown by category; 0 for NULL. */
ITSM_API size_t itsm_report_category_count(const itsm_report *rep);
/* Row `index` of the breakdown by category (kind 0, name NULL for records
 * with no category); borrowed as itsm_report_state_at. ITSM_EINVAL for NULL,
 * an index out of range or a size it cannot fill. */
ITSM_API int    itsm_report_category_at(const itsm_report *rep, size_t index, itsm_report_row *out);

/* ---- by a field (opts.group_by) ---------------------------------------- */

/* One value of the group_by field among the cohort. */
typedef struct itsm_report_group {
    size_t      size;      /* sizeof(itsm_report_group), set by the caller (common.h) */
    const char *value;     /* the value as text: as stored (text, symbol, enum), decimal
                              (int), "true"/"false" (bool), "YYYY-MM-DDTHH:MM:SSZ" (time);
                              NULL: unset; borrowed from the report */
    size_t      count;     /* cohort records */
    size_t      resolved;  /* of those, resolved (not undone by a reopen) */
    size_t      met;       /* resolution timer met, as itsm_report_sla counts */
    size_t      breached;  /* resolution timer breached */
} itsm_report_group;
/* The field grouped by (opts.group_by; NULL: none or NULL rep; borrowed
 * from the report). */
ITSM_API const char *itsm_report_group_by(const itsm_report *rep);
/* The number of rows of the breakdown by the group_by field; 0 for NULL
 * or without group_by. */
ITSM_API size_t itsm_report_group_count(const itsm_report *rep);
/* Row `index` (0..itsm_report_group_count - 1) of the breakdown: rows are
 * ordered by value, unset first, then numbers by value (int, bool, time),
 * text by bytes; `out->size` set by the caller, the value borrowed from the
 * report. ITSM_EINVAL for NULL, an index out of range or a size it cannot
 * fill (common.h). */
ITSM_API int    itsm_report_group_at(const itsm_report *rep, size_t index, itsm_report_group *out);
/* The filter the report was computed with (opts.filter; NULL: none or NULL
 * rep; borrowed from the report). */
ITSM_API const char *itsm_report_filter(const itsm_report *rep);

/* ---- durations ---------------------------------------------------------- */

typedef enum itsm_report_measure {
    ITSM_MEASURE_RESPOND_WALL = 0,
    ITSM_MEASURE_RESPOND_WORK = 1,
    ITSM_MEASURE_RESOLVE_WALL = 2,
    ITSM_MEASURE_RESOLVE_WORK = 3,
    ITSM_MEASURE_APPROVAL_WALL = 4,   /* approval lead time (itsm/approval.h) */
    ITSM_MEASURE_APPROVAL_WORK = 5
} itsm_report_measure;
#define ITSM_MEASURE_COUNT 6

/* "respond_wall", "respond_work", "resolve_wall", "resolve_work",
 * "approval_wall", "approval_work"; NULL if unknown. */
ITSM_API const char *itsm_report_measure_name(itsm_report_measure m);

/* Seconds. With count 0 every member but size is 0. */
typedef struct itsm_report_stat {
    size_t  size;          /* sizeof(itsm_report_stat), set by the caller (common.h) */
    size_t  count;
    double  mean;
    int64_t min, max;
    int64_t p50, p90, p95;
    int64_t p99;           /* the long tail an analyst asks for (itsm_report_stat
                              of an older size stops at p95) */
} itsm_report_stat;

/* ITSM_EINVAL for NULL or an unknown measure. */
ITSM_API int itsm_report_duration(itsm_report_stat *out, const itsm_report *rep,
                                  itsm_report_measure m);

/* ---- process figures ---------------------------------------------------- */

typedef struct itsm_report_figures {
    size_t size;                  /* sizeof(itsm_report_figures), set by the caller (common.h) */
    size_t resolved;              /* cohort records resolved (not undone by a reopen) */
    size_t first_contact;         /* of those, resolved at level <= 1 with no reassignment */
    double first_contact_rate;    /* first_contact / resolved; 0 when none resolved */
    size_t reassignments;         /* sum of the counters */
    size_t reassigned_records;    /* records with at least one */
    size_t ever_resolved;         /* resolved_at set, or reopened */
    size_t reopened_records;      /* records with at least one reopen */
    size_t reopens;               /* sum of the counters */
    double reopen_rate;           /* reopened_records / ever_resolved; 0 when none */
} itsm_report_figures;

/* ITSM_EINVAL for NULL (as itsm_report_sla). */
ITSM_API int itsm_report_figures_of(itsm_report_figures *out, const itsm_report *rep);

/* Process figures from the records' history (see the top of this file).
 * itsm_report_process_available is 1 when the engine's store gave the
 * history (it has a scan), else 0 and itsm_report_process_of gives zeros. */
typedef struct itsm_report_process {
    size_t size;                   /* sizeof(itsm_report_process), set by the caller (common.h) */
    size_t completed;              /* cohort records resolved or closed */
    size_t stayed_first_line;      /* of those, never above functional level 1 */
    size_t functional_escalations; /* steps that raised functional_level */
    size_t escalated_records;      /* records with at least one */
    size_t group_changes;          /* assignment_group moved from one group to another */
    size_t ping_pong_records;      /* records a group had again after another group */
    size_t ping_pong_returns;      /* times a group got a record back that way */
} itsm_report_process;
/* 1 when the engine's store gave the history (it has a scan), else 0
 * (also for NULL). */
ITSM_API int itsm_report_process_available(const itsm_report *rep);
/* ITSM_EINVAL for NULL or a size it cannot fill (common.h). */
ITSM_API int itsm_report_process_of(itsm_report_process *out, const itsm_report *rep);

/* SLA compliance: the resolution timers (itsm/sla.h). */
typedef struct itsm_report_sla_figures {
    size_t size;         /* sizeof(itsm_report_sla_figures), set by the caller (common.h) */
    size_t tracked;      /* cohort records with a resolution target */
    size_t met;          /* resolved within target */
    size_t breached;     /* breached (resolved late or still open past due) */
    double compliance;   /* met / (met + breached); 0 when both are 0 */
} itsm_report_sla_figures;
/* The SLA compliance of the cohort's resolution timers; `out->size` set by
 * the caller. ITSM_EINVAL for NULL or a size it cannot fill (common.h). */
ITSM_API int itsm_report_sla(itsm_report_sla_figures *out, const itsm_report *rep);

/* Handover completeness by sending group (itsm/handover.h). */
typedef struct itsm_report_sender {
    size_t      size;          /* sizeof(itsm_report_sender), set by the caller (common.h) */
    const char *sender_group;  /* NULL: packets naming none; borrowed */
    size_t      packets;       /* proposed in the period */
    double      mean_score;    /* completeness 0..100 */
    size_t      complete;      /* with score 100 */
} itsm_report_sender;
/* The number of sending groups with handovers proposed in the period; 0
 * for NULL. */
ITSM_API size_t itsm_report_sender_count(const itsm_report *rep);
/* Sending group `index`, in the order of itsm_report_to_json; the group
 * name borrowed from the report. ITSM_EINVAL for NULL, an index out of
 * range or a size it cannot fill. */
ITSM_API int    itsm_report_sender_at(const itsm_report *rep, size_t index, itsm_report_sender *out);

/* ---- aging -------------------------------------------------------------- */

#define ITSM_REPORT_AGING_BUCKETS 5
/* Bucket lower bounds in seconds: 0, 1 day, 3 days, 7 days, 30 days. */
ITSM_API int64_t itsm_report_aging_bound(size_t bucket);
/* Open records in the bucket; 0 out of range. */
ITSM_API size_t  itsm_report_aging(const itsm_report *rep, size_t bucket);

/* ---- trends ------------------------------------------------------------- */

typedef struct itsm_report_trend {
    size_t      size;       /* sizeof(itsm_report_trend), set by the caller (common.h) */
    itsm_time   week;       /* Monday 00:00 UTC */
    const char *category;   /* NULL: no category; borrowed */
    size_t      opened;
    size_t      resolved;
} itsm_report_trend;
/* The number of (week, category) rows of the weekly trend; 0 for NULL. */
ITSM_API size_t itsm_report_trend_count(const itsm_report *rep);
/* Trend row `index`, by week then category; the category borrowed from the
 * report. ITSM_EINVAL for NULL, an index out of range or a size it cannot
 * fill. */
ITSM_API int    itsm_report_trend_at(const itsm_report *rep, size_t index, itsm_report_trend *out);

/* ---- satisfaction (itsm/satisfaction.h) --------------------------------- */

/*
 * Survey answers over the period. The surveys sent are the records of the
 * selected kinds that are incidents or service requests, closed now with
 * a resolution (resolved_at set and not canceled: a canceled incident,
 * even one canceled after its resolution, or a rejected request gave no
 * service to survey), with closed_at in the period and in the
 * survey sample at the rate of the policy version the record closed
 * under (itsm_record_survey_sampled); the answers are those of them that
 * have one (itsm_record_survey), whenever it was given. Rows, in order:
 * one for all of them, then by assignment group (as the record is now;
 * NULL first, then by bytes), by service (likewise), and by the week of
 * closed_at (weeks start Monday 00:00 UTC, as the trends'), each group, service and week
 * with at least one survey sent.
 */
typedef enum itsm_survey_dimension {
    ITSM_SURVEY_ALL        = 0,
    ITSM_SURVEY_BY_GROUP   = 1,
    ITSM_SURVEY_BY_SERVICE = 2,
    ITSM_SURVEY_BY_WEEK    = 3
} itsm_survey_dimension;

/* "all", "group", "service", "week"; NULL if unknown. */
ITSM_API const char *itsm_survey_dimension_name(itsm_survey_dimension by);

typedef struct itsm_report_survey {
    size_t                size;            /* sizeof(itsm_report_survey), set by the caller (common.h) */
    itsm_survey_dimension by;
    const char           *name;            /* the group or service; NULL for none and for the other rows (borrowed) */
    itsm_time             week;            /* ITSM_SURVEY_BY_WEEK: Monday 00:00 UTC; else ITSM_TIME_NONE */
    size_t                sent;            /* surveys sent */
    size_t                answered;        /* of those, answered */
    double                response_rate;   /* answered / sent; 0 when none was sent */
    double                mean_score;      /* over the answers; 0 when none */
    int                   scale_min;       /* the policy's scale (itsm_policy_survey_scale) */
    int                   scale_max;
    size_t                scores[ITSM_SURVEY_MAX_POINTS];   /* scores[i]: answers scoring scale_min + i (an
                                                               answer off today's scale counts in answered
                                                               and the mean only) */
} itsm_report_survey;

/* The number of satisfaction rows (all, then by group, service and week); 0 for NULL. */
ITSM_API size_t itsm_report_survey_count(const itsm_report *rep);
/* Satisfaction row `index`; names borrowed from the report. ITSM_EINVAL
 * for NULL, a size it cannot fill (common.h) or an index out of range. */
ITSM_API int    itsm_report_survey_at(const itsm_report *rep, size_t index, itsm_report_survey *out);

/* ---- problem proposals (itsm/problem.h) --------------------------------- */

/* The problems the engine proposed by the recurrence rule in the period
 * (the proposal's time in [from, to)), when incidents are among the
 * selected kinds, and what became of them by now. */
typedef struct itsm_report_proposals {
    size_t size;        /* sizeof(itsm_report_proposals), set by the caller (common.h) */
    size_t proposed;
    size_t pending;     /* of those, not decided yet */
    size_t accepted;    /* into a problem record */
    size_t dismissed;
    size_t incidents;   /* incidents in those proposals */
} itsm_report_proposals;

/* ITSM_EINVAL for NULL or a size it cannot fill (common.h). */
ITSM_API int itsm_report_proposals_of(itsm_report_proposals *out, const itsm_report *rep);

/* ---- writing ------------------------------------------------------------ */

/*
 * The whole report as one JSON object, snprintf-style: at most `cap` bytes
 * including a terminating NUL go to `buf` (NULL allowed with cap 0), and
 * *len gets the full length without the NUL. ITSM_OK when it fitted,
 * ITSM_ELIMIT when not, ITSM_EINVAL for NULL rep or len, or NULL buf with
 * cap > 0. Form (this comment is the reference: there is no
 * docs/report.md; T is a time written as a string "YYYY-MM-DDTHH:MM:SSZ",
 * N a count, X a number, S a string):
 *   {"version":1,"from":T,"to":T,"now":T,"calendar":"24x7","total":N,
 *    "by_kind":{"incident":N,...},"by_state":[{"kind":"incident","state":"new","count":N}],
 *    "by_category":[{"category":"network"|null,"count":N}],
 *    "by_priority":{"none":N,"1":N,...,"5":N},
 *    "durations":{"respond_wall":{"count":N,"mean":X,"min":N,"max":N,"p50":N,"p90":N,"p95":N,"p99":N},...},
 *    "figures":{"resolved":N,"first_contact":N,"first_contact_rate":X,"reassignments":N,
 *               "reassigned_records":N,"ever_resolved":N,"reopened_records":N,"reopens":N,
 *               "reopen_rate":X},
 *    "process":{"available":false} | {"available":true,"completed":N,"stayed_first_line":N,
 *               "functional_escalations":N,"escalated_records":N,"group_changes":N,
 *               "ping_pong_records":N,"ping_pong_returns":N},
 *    "sla":{"tracked":N,"met":N,"breached":N,"compliance":X},
 *    "handover":{"senders":[{"sender_group":S,"packets":N,"mean_score":X,"complete":N}]},
 *    "aging":[{"from":0,"count":N},{"from":86400,...},...],
 *    "trends":[{"week":T,"category":S|null,"opened":N,"resolved":N}],
 *    "satisfaction":{"scale":[MIN,MAX],"rows":[{"by":"all"|"group"|"service"|"week",
 *               "name":S|null,"week":T|null,"sent":N,"answered":N,"response_rate":X,
 *               "mean_score":X,"scores":[N,...]}]},
 *    "problem_proposals":{"proposed":N,"pending":N,"accepted":N,"dismissed":N,"incidents":N}}
 * With a filter, "filter":S follows "calendar"; with group_by, a last
 * member "groups":{"field":S,"rows":[{"value":S|null,"count":N,
 * "resolved":N,"met":N,"breached":N}]}.
 * The same report always gives the same bytes.
 */
ITSM_API int itsm_report_to_json(const itsm_report *rep, char *buf, size_t cap, size_t *len);

/*
 * The report as CSV (RFC 4180: CRLF line ends, fields with a comma, quote
 * or line break quoted, quotes doubled), snprintf-style as above. One
 * header line "section,key,subkey,value", then one line per figure, e.g.
 *   period,from,,2026-03-02T00:00:00Z
 *   by_kind,incident,,4
 *   by_state,incident,resolved,2
 *   by_category,network,,2          (no category: key empty)
 *   by_priority,1,,1                (no priority: key "none")
 *   duration,resolve_wall,p90,7200
 *   figures,first_contact_rate,,0.5
 *   process,available,,true
 *   process,ping_pong_records,,3
 *   sla,compliance,,0.75
 *   handover,<sender group>,packets,3   (also mean_score, complete)
 *   aging,86400,,2
 *   trend_opened,2026-03-02T00:00:00Z,network,2     (week, category)
 *   trend_resolved,2026-03-02T00:00:00Z,network,1
 *   satisfaction,all,sent,4                (also answered, response_rate, mean_score,
 *   satisfaction,group:desk,score_5,2       and score_N for each point of the scale;
 *   satisfaction,week:2026-03-02T00:00:00Z,answered,1   the key: all, group:NAME, service:NAME,
 *                                                       week:T, with "group:" alone for none)
 *   problem_proposals,accepted,,1       (also proposed, pending, dismissed, incidents)
 *   period,filter,,tier == 'gold'   (with a filter)
 *   group_by,tier,,                 (with group_by; then per value:)
 *   group,gold,count,3              (also resolved, met, breached; unset: key empty)
 * The order is the JSON's. Errors as itsm_report_to_json: ITSM_ELIMIT
 * when it did not fit (*len says how much is needed), ITSM_EINVAL for NULL
 * rep or len, or NULL buf with cap > 0.
 */
ITSM_API int itsm_report_to_csv(const itsm_report *rep, char *buf, size_t cap, size_t *len);

#ifdef __cplusplus
}
#endif
#endif
