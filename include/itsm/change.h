/* SPDX-License-Identifier: Apache-2.0 */
/*
 * itsm/change.h - change enablement: risk assessment and the change schedule.
 *
 * Risk assessment. The policy holds a short questionnaire: questions, each
 * with answers that carry a score (0..1000), and risk levels by total
 * score ("low" up to 3, "medium" up to 7, "high" above). Answering is an
 * event on the record (docs/events.md); answering a question again
 * replaces the earlier answer. The record's risk level is the level of
 * the total once every question of the questionnaire is answered, and
 * none before. It selects the approval rule (itsm/approval.h: a rule may
 * apply to some risk levels only), so a change whose risk rises picks up
 * the extra approval levels. The lifecycle term "risk:assessed" needs
 * every question answered; the default policy guards the change's
 * `authorize` step with it. Records of kinds the questionnaire does not
 * name (default: only changes) cannot be assessed, and the guard lets them
 * pass. The policy document's member is "risk_assessment" (docs/policy.md).
 *
 * The change schedule. A change is planned with a window (planned start
 * and end, itsm_change_plan; an event). Once it is in one of the policy's
 * schedule states (default: scheduled, implementing, backed_out) it is on
 * the schedule: the forward schedule of change (itsm_change_schedule) lists
 * it, and other changes collide with it. Windows are built on calendars
 * (itsm/sla.h: weekly spans in a zone with daylight saving, holidays):
 *
 *   maintenance window  per service, the working time of a calendar: a
 *                       change on that service must lie wholly inside it
 *   blackout            a named period - a fixed from..to, or the working
 *                       time of a calendar (trading hours, month-end) -
 *                       for some services or all: no change may touch it
 *
 * The lifecycle term "window:allowed" needs a planned window that is in
 * no blackout and inside the service's maintenance window - unless the
 * change's type is an exception type (default: emergency) and an exception
 * level of its approval rule is approved (itsm/approval.h; the default
 * policy's emergency rule has "window_exception"). The default policy
 * guards both ways into `scheduled` with it. Re-planning a change that is
 * on the schedule is checked the same way, and so is moving it to another
 * service (an update or step that changes its service - giving the one it
 * has is no move: ITSM_EGUARD,
 * "cannot move CHG1 to service 'payments': ... falls in blackout ...") or
 * giving it another change type (an emergency change in a blackout on its
 * window exception cannot become a normal change there: ITSM_EGUARD,
 * "cannot reclassify CHG1 as change type 'normal': ... falls in blackout ...").
 * So is a new implementer (assignee) or requester (caller) there: a
 * decision of theirs stops counting (separation of duties), so the window
 * exception's approver cannot take the change over while it sits in a
 * blackout on that exception (ITSM_EGUARD, "cannot make cio the
 * implementer of CHG1: its window exception would no longer count
 * (separation of duties): ... falls in blackout ..."); anyone else can.
 *
 * Collisions. When a change comes onto the schedule (or is re-planned, or
 * its service or configuration item changes, while on it), every other
 * change on the schedule whose window overlaps it on the same
 * configuration item or service raises a finding on the newcomer: a
 * schedule_collision event naming the other change (docs/events.md). A
 * collision is a finding for the change authority, not a refusal.
 * itsm_change_collisions lists a change's collisions as they are now.
 *
 * The policy document's member is "change_schedule" (docs/policy.md).
 */
#ifndef ITSM_CHANGE_H
#define ITSM_CHANGE_H

#include "common.h"
#include "policy.h"
#include "record.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- risk assessment: the policy ---------------------------------------- */

#define ITSM_RISK_MAX_QUESTIONS 32
#define ITSM_RISK_MAX_ANSWERS   16
#define ITSM_RISK_MAX_LEVELS    8
#define ITSM_RISK_MAX_SCORE     1000

typedef struct itsm_risk_question_def {
    unsigned           version;   /* ITSM_RISK_QUESTION_DEF_VERSION */
    const char        *name;      /* 1..63 bytes of [a-z0-9_], unique */
    const char        *text;      /* the question as asked (text, copied); may be NULL */
    const char *const *answers;   /* 2..16 answer names, [a-z0-9_], unique */
    const int         *scores;    /* each answer's score, 0..1000 */
    size_t             nanswers;
} itsm_risk_question_def;

#define ITSM_RISK_QUESTION_DEF_VERSION 1
#define ITSM_RISK_QUESTION_DEF_INIT { ITSM_RISK_QUESTION_DEF_VERSION, NULL, NULL, NULL, NULL, 0 }
/* For languages without macros: sets *def to ITSM_RISK_QUESTION_DEF_INIT.
 * ITSM_EINVAL for NULL or a version other than ITSM_RISK_QUESTION_DEF_VERSION. */
ITSM_API int itsm_risk_question_def_init(itsm_risk_question_def *def, unsigned version);

/* Add a question after the others, or replace the one of that name.
 * ITSM_EINVAL (NULL, unknown version, a bad name, text, answer or score,
 * fewer than 2 answers, an answer twice), ITSM_ELIMIT (over 32 questions
 * or 16 answers), ITSM_ENOMEM; the policy is unchanged on error. */
ITSM_API int itsm_policy_set_risk_question(itsm_policy *policy, const itsm_risk_question_def *def);
/* Remove every question (no record can then be assessed). ITSM_EINVAL for NULL. */
ITSM_API int itsm_policy_clear_risk_questions(itsm_policy *policy);
/*
 * The risk levels, lowest first: level i holds totals up to up_to[i]
 * (ascending); the last level holds every higher total (its up_to is not
 * read). 1..8 names of [a-z0-9_], unique, not "none" (it names an
 * unassessed record in approval rules). ITSM_EINVAL, ITSM_ELIMIT, ITSM_ENOMEM.
 */
ITSM_API int itsm_policy_set_risk_levels(itsm_policy *policy, const char *const *names, const int *up_to,
                                         size_t n);
/* Which kinds are assessed: bits (1u << kind), at least one.
 * ITSM_EINVAL for NULL or bits of no kind. Default: changes only. */
ITSM_API int itsm_policy_set_risk_kinds(itsm_policy *policy, unsigned kinds);
/* The number of questions; 0 for NULL. */
ITSM_API size_t itsm_policy_risk_question_count(const itsm_policy *policy);

/* ---- risk assessment: a record ------------------------------------------ */

/*
 * Answer one question of the questionnaire for the record (an event; the
 * engine's actor answers). Errors: ITSM_EINVAL (NULL), ITSM_ENOTFOUND (no
 * such question, or the question has no such answer: the message lists
 * the answers), ITSM_ESTATE (the record is closed, or its kind is not
 * assessed), ITSM_ENOMEM, ITSM_ESTORE, ITSM_ECONFLICT, ITSM_EUSER.
 */
ITSM_API int itsm_record_answer_risk(itsm_record *rec, const char *question, const char *answer);

typedef struct itsm_risk_info {
    size_t      size;        /* sizeof(itsm_risk_info), set by the caller (common.h) */
    const char *level;       /* NULL until every question is answered (borrowed) */
    int64_t     score;       /* the total of the answers given */
    size_t      answered;    /* questions answered */
    size_t      questions;   /* in the policy's questionnaire */
} itsm_risk_info;

/* The record's assessment. ITSM_EINVAL for NULL or a bad size. */
ITSM_API int itsm_record_risk(itsm_risk_info *out, const itsm_record *rec);

typedef struct itsm_risk_answer {
    size_t      size;        /* sizeof(itsm_risk_answer), set by the caller (common.h) */
    const char *question;    /* borrowed, valid while the engine lives */
    const char *answer;
    int         score;
    const char *by;          /* the actor who answered; may be NULL */
    itsm_time   at;
} itsm_risk_answer;

/* The number of answers in force, in the order their questions were
 * first answered; 0 for NULL. */
ITSM_API size_t itsm_record_risk_answer_count(const itsm_record *rec);
/* Answer `index` (0..itsm_record_risk_answer_count - 1); `out->size` set by
 * the caller, strings borrowed from the engine. ITSM_EINVAL for NULL, a bad
 * size or an index out of range. */
ITSM_API int    itsm_record_risk_answer_at(itsm_risk_answer *out, const itsm_record *rec, size_t index);

/* ---- the change schedule: the policy ------------------------------------- */

#define ITSM_SCHEDULE_MAX_BLACKOUTS 64
#define ITSM_SCHEDULE_MAX_WINDOWS   256
#define ITSM_SCHEDULE_MAX_NAMES     16   /* schedule states, exception types, services of a blackout */

/* The service's maintenance window: the working time of `calendar` (a
 * calendar of the policy, itsm/sla.h; checked with the policy). NULL
 * removes it. At most 256 services have one. ITSM_EINVAL (NULL policy or
 * service, bad names), ITSM_ELIMIT, ITSM_ENOMEM. */
ITSM_API int itsm_policy_set_maintenance_window(itsm_policy *policy, const char *service, const char *calendar);

typedef struct itsm_blackout_def {
    unsigned           version;    /* ITSM_BLACKOUT_DEF_VERSION */
    const char        *name;       /* 1..63 bytes of [a-z0-9_], unique */
    itsm_time          from, to;   /* a fixed period [from, to); both ITSM_TIME_NONE with a calendar */
    const char        *calendar;   /* or: the working time of this calendar; NULL with from..to */
    const char *const *services;   /* the services it holds for; none: every change */
    size_t             nservices;
} itsm_blackout_def;

#define ITSM_BLACKOUT_DEF_VERSION 1
#define ITSM_BLACKOUT_DEF_INIT { ITSM_BLACKOUT_DEF_VERSION, NULL, ITSM_TIME_NONE, ITSM_TIME_NONE, NULL, NULL, 0 }
/* For languages without macros: sets *def to ITSM_BLACKOUT_DEF_INIT.
 * ITSM_EINVAL for NULL or a version other than ITSM_BLACKOUT_DEF_VERSION. */
ITSM_API int itsm_blackout_def_init(itsm_blackout_def *def, unsigned version);

/* Add a blackout, or replace the one of that name. ITSM_EINVAL (NULL,
 * unknown version, a bad name or service, both or neither of a period and
 * a calendar, from >= to or times outside 1970..9999), ITSM_ELIMIT (over 64
 * blackouts or 16 services), ITSM_ENOMEM. */
ITSM_API int itsm_policy_set_blackout(itsm_policy *policy, const itsm_blackout_def *def);
/* ITSM_ENOTFOUND when there is none of that name; ITSM_EINVAL for NULL. */
ITSM_API int itsm_policy_remove_blackout(itsm_policy *policy, const char *name);

typedef struct itsm_schedule_rules {
    unsigned           version;          /* ITSM_SCHEDULE_RULES_VERSION */
    const char *const *states;           /* change states that put a change on the schedule (1..16) */
    size_t             nstates;
    const char *const *exception_types;  /* change types that may use an exception level (0..16) */
    size_t             nexception_types;
} itsm_schedule_rules;

#define ITSM_SCHEDULE_RULES_VERSION 1
#define ITSM_SCHEDULE_RULES_INIT { ITSM_SCHEDULE_RULES_VERSION, NULL, 0, NULL, 0 }
/* For languages without macros: sets *rules to ITSM_SCHEDULE_RULES_INIT.
 * ITSM_EINVAL for NULL or a version other than ITSM_SCHEDULE_RULES_VERSION. */
ITSM_API int itsm_schedule_rules_init(itsm_schedule_rules *rules, unsigned version);
/* Replace the schedule states and exception types. ITSM_EINVAL (NULL,
 * unknown version, no states, a bad or repeated name), ITSM_ELIMIT,
 * ITSM_ENOMEM. */
ITSM_API int itsm_policy_set_schedule_rules(itsm_policy *policy, const itsm_schedule_rules *rules);

/* ---- the change schedule: changes --------------------------------------- */

/*
 * Plan a change's window [start, end) (an event; the engine's actor
 * plans). Both ITSM_TIME_NONE remove the plan of a change that is not on
 * the schedule. A change on the schedule is re-planned only into a window
 * "window:allowed" accepts (ITSM_EGUARD naming the blackout or the
 * maintenance window otherwise); the move is checked for collisions.
 * Errors: ITSM_EINVAL (NULL, not a change, times outside 1970..9999,
 * start >= end, one end only), ITSM_ESTATE (closed, or removing the plan
 * of a change on the schedule), ITSM_EGUARD, ITSM_ENOMEM, ITSM_ESTORE,
 * ITSM_ECONFLICT, ITSM_EUSER.
 */
ITSM_API int itsm_change_plan(itsm_record *rec, itsm_time start, itsm_time end);
/* The planned window. ITSM_ENOTFOUND when the record has none (both set to
 * ITSM_TIME_NONE; the engine's message is left as it was), ITSM_EINVAL for
 * NULL. */
ITSM_API int itsm_change_planned(itsm_time *start, itsm_time *end, const itsm_record *rec);
/* 1 when the change is on the schedule (open, planned, in a schedule state). */
ITSM_API int itsm_change_on_schedule(const itsm_record *rec);
/* schedule_collision findings raised on the change so far. 0 for NULL. */
ITSM_API size_t itsm_change_findings(const itsm_record *rec);

typedef struct itsm_schedule_query {
    unsigned    version;   /* ITSM_SCHEDULE_QUERY_VERSION */
    itsm_time   from, to;  /* the period: windows overlapping [from, to) */
    const char *service;   /* only changes on this service; NULL: any */
    const char *ci;        /* only changes on this configuration item; NULL: any */
    int         planned;   /* yes: every open planned change, on the schedule or not */
} itsm_schedule_query;

#define ITSM_SCHEDULE_QUERY_VERSION 1
#define ITSM_SCHEDULE_QUERY_INIT { ITSM_SCHEDULE_QUERY_VERSION, ITSM_TIME_MIN, ITSM_TIME_MAX, NULL, NULL, 0 }
/* For languages without macros: sets *q to ITSM_SCHEDULE_QUERY_INIT.
 * ITSM_EINVAL for NULL or a version other than ITSM_SCHEDULE_QUERY_VERSION. */
ITSM_API int itsm_schedule_query_init(itsm_schedule_query *q, unsigned version);

typedef struct itsm_schedule_entry {
    size_t       size;        /* out[0].size = sizeof(itsm_schedule_entry) (common.h) */
    itsm_record *rec;         /* borrowed */
    itsm_time    start, end;
    size_t       collisions;  /* other changes on the schedule it collides with now */
} itsm_schedule_entry;

/*
 * The forward schedule of change: at most `max` changes whose window
 * overlaps the query's period, by start, then end, then id; *n gets the
 * count. ITSM_EINVAL for NULL arguments, an unknown version, a bad size,
 * or a period outside 1970..9999 or empty; ITSM_ENOMEM.
 */
ITSM_API int itsm_change_schedule(itsm_schedule_entry *out, size_t max, size_t *n, itsm_engine *eng,
                                  const itsm_schedule_query *query);

typedef enum itsm_collision_on {
    ITSM_COLLISION_CI      = 1,   /* the same configuration item */
    ITSM_COLLISION_SERVICE = 2    /* the same service (and not the same item) */
} itsm_collision_on;

typedef struct itsm_collision {
    size_t            size;    /* out[0].size = sizeof(itsm_collision) (common.h) */
    itsm_record      *with;    /* the other change, borrowed */
    itsm_collision_on on;
    const char       *value;   /* the item or service they share, borrowed */
    itsm_time         from, to;   /* the overlap of the two windows */
} itsm_collision;

/* The changes on the schedule whose windows overlap `rec`'s on its
 * configuration item or service (rec need not be on the schedule itself),
 * by the other change's start, then id; at most `max`, *n the count.
 * A change with no plan has none. ITSM_EINVAL for NULL or a bad size,
 * ITSM_ENOMEM. */
ITSM_API int itsm_change_collisions(itsm_collision *out, size_t max, size_t *n, const itsm_record *rec);

#ifdef __cplusplus
}
#endif
#endif
