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

/* The answers in force, in the order their questions were first
 * answered. ITSM_EINVAL for NULL, a bad size or an index out of range. */
ITSM_API size_t itsm_record_risk_answer_count(const itsm_record *rec);
ITSM_API int    itsm_record_risk_answer_at(itsm_risk_answer *out, const itsm_record *rec, size_t index);

#ifdef __cplusplus
}
#endif
#endif
