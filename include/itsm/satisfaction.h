/* SPDX-License-Identifier: Apache-2.0 */
/*
 * itsm/satisfaction.h - customer satisfaction: survey answers on closed
 * records and what the reports make of them (DESIGN.md section 7).
 *
 * Closure samples a survey at the policy's rate (closure.survey_rate,
 * itsm_record_survey_sampled in itsm/communication.h: a hash of the record
 * id, the same on every host). The customer's answer - a score on the
 * policy's scale and an optional comment - is recorded here as one event
 * on the closed record ("survey_answered", docs/events.md), so it replays
 * with everything else. Reports (itsm/report.h) give the response rate
 * (answers over surveys sent) and the distribution of scores per
 * assignment group, per service and per week.
 *
 * Which records: incidents and service requests, in a closed state of
 * their lifecycle with a resolution - not canceled, also after one (seed
 * 000: success is the user's verification of the restoration) - in the
 * survey sample; one answer each.
 *
 * The policy document's "satisfaction" member holds the scale
 * (docs/policy.md): {"min": 1, "max": 5} by default.
 */
#ifndef ITSM_SATISFACTION_H
#define ITSM_SATISFACTION_H

#include "common.h"
#include "policy.h"
#include "record.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- the scale ---------------------------------------------------------- */

/* A scale has 2..ITSM_SURVEY_MAX_POINTS points: whole scores min..max
 * with 0 <= min < max <= 10 (1..5 stars, 0..10 for a net promoter
 * question). */
#define ITSM_SURVEY_MAX_POINTS 11

typedef struct itsm_survey_scale {
    unsigned version;   /* ITSM_SURVEY_SCALE_VERSION */
    int      min;       /* the lowest score (default 1) */
    int      max;       /* the highest score (default 5) */
} itsm_survey_scale;

#define ITSM_SURVEY_SCALE_VERSION 1
#define ITSM_SURVEY_SCALE_INIT { ITSM_SURVEY_SCALE_VERSION, 1, 5 }
/* For languages without macros. ITSM_EINVAL for NULL or an unknown version. */
ITSM_API int itsm_survey_scale_init(itsm_survey_scale *scale, unsigned version);

/* Read the policy's scale into `out` (initialised with
 * ITSM_SURVEY_SCALE_INIT or itsm_survey_scale_init first: its version says
 * which members to write). ITSM_EINVAL for NULL or an unknown version. */
ITSM_API int itsm_policy_survey_scale(itsm_survey_scale *out, const itsm_policy *policy);
/* Replace the policy's scale. Errors (itsm_policy_errmsg says why):
 * ITSM_EINVAL (NULL, unknown version, "the survey scale must be whole
 * scores 0 <= min < max <= 10 (got 3..3)"). The policy is unchanged on
 * error. */
ITSM_API int itsm_policy_set_survey_scale(itsm_policy *policy, const itsm_survey_scale *scale);

/* ---- answering ---------------------------------------------------------- */

/*
 * Record the customer's answer to the satisfaction survey of `rec`: a
 * score on the policy's scale and an optional comment (NULL or ""; copied).
 * One event on the record, with the engine's actor and clock.
 * Errors:
 *   ITSM_EINVAL    NULL record, a kind other than incident or service
 *                  request, a score outside the scale ("score 7 is outside
 *                  the survey scale 1..5"), a comment that is not UTF-8
 *   ITSM_ELIMIT    a comment over ITSM_MAX_TEXT bytes
 *   ITSM_ESTATE    the record is not closed ("INC-000001 is 'resolved': a
 *                  survey is answered once the record is closed"),
 *                  closed without a resolution (a canceled incident,
 *                  also one canceled after its resolution, a rejected
 *                  request: no service was given), or not
 *                  in the survey sample ("INC-000001 is not in the survey
 *                  sample (closure.survey_rate 10%)"); from inside a
 *                  callback
 *   ITSM_EEXISTS   the survey of the record was answered already
 *   ITSM_ENOMEM, ITSM_ESTORE, ITSM_ECONFLICT, ITSM_EUSER
 * The record is unchanged on any error.
 */
ITSM_API int itsm_record_survey_answer(itsm_record *rec, int score, const char *comment);

/* The answer of a record. */
typedef struct itsm_survey_answer {
    size_t      size;      /* sizeof(itsm_survey_answer), set by the caller (common.h) */
    int         score;
    const char *comment;   /* NULL when none; borrowed, valid while the engine lives */
    const char *by;        /* the actor who recorded it; NULL when none was set (borrowed) */
    itsm_time   at;        /* when it was recorded */
} itsm_survey_answer;

/* ITSM_OK and *out filled when the record's survey was answered;
 * ITSM_ENOTFOUND when it was not (the engine's message is left as it
 * was, so a host may ask between a refused call and reading why);
 * ITSM_EINVAL for NULL or a size the library cannot fill (common.h). */
ITSM_API int itsm_record_survey(itsm_survey_answer *out, const itsm_record *rec);

#ifdef __cplusplus
}
#endif
#endif
