/* SPDX-License-Identifier: Apache-2.0 */
/*
 * itsm/approval.h - approvals: who decided, at which level, under which rule.
 *
 * The policy declares approval rules. A rule applies to records of one
 * kind, optionally only to some change types (the change_type field) and
 * risk levels (itsm/change.h); the first rule in policy order that matches
 * the record as it is now applies, so a change whose risk is re-assessed
 * from medium to high picks up the high-risk rule's extra levels. A rule
 * has 0..8 levels in order (none: nothing to approve, a pre-authorized
 * standard change), each with its approvers - named people, an
 * approver group of the policy, both, or nobody named ("anyone": any
 * person but the ones separation of duties excludes) - and a voting rule:
 *
 *   any      one approval approves the level; it is rejected when every
 *            named approver rejected (a level open to anyone: at the
 *            first rejection before it is approved)
 *   all      every named approver approves; one rejection rejects
 *   quorum   N approvals approve; it is rejected once N can no longer be
 *            reached (a level open to anyone: at the first rejection
 *            before N approvals)
 *
 * Separation of duties: the requester (the record's caller; with no
 * caller, whoever opened the record) and the implementer (its assignee)
 * may not decide, and a vote they cast does not count should they become
 * requester or implementer later. Approving, rejecting and delegating are
 * events on the record (docs/events.md) with who, when and a comment; a
 * decision needs every earlier level approved. Delegation hands a named
 * approver's vote at one level to someone else, who then casts it with
 * their own decision.
 *
 * A level flagged `exception` is not needed for the record to count as
 * approved; it is the extra level that lets an emergency change be
 * scheduled outside its windows (itsm/change.h).
 *
 * Rounds. A rule's `state` opens the round: decisions are taken once the
 * record has entered that state (a rule with no state: from opening) and
 * entering it again starts a new round, forgetting the earlier decisions
 * (a change sent back for re-assessment is approved afresh). When no
 * rule with levels applies yet as the record enters a state (its risk not
 * assessed, its type needing none), a state any rule of its kind names
 * opens the round, so the rule selected there later takes decisions.
 * The round's start and the decision that completed it give the approval
 * lead time of the reports (itsm/report.h).
 *
 * A rejected round stays rejected until a new round: should the rule
 * that applies change (a reclassification, a re-assessment), the round
 * is still rejected while the rule it was rejected under, re-tallied with
 * the record's people as they are now, rejects it - status rejected,
 * decisions refused (ITSM_ESTATE), "approved:..." not met.
 *
 * Reclassification. Once a record left its initial state, a change of
 * change_type that moves it off a rule with levels onto one without is
 * refused (ITSM_ESTATE: a standard change is standard from the start);
 * one onto a rule with levels from one without is allowed only in the
 * state where that rule's round opens, with the round open, since past it
 * no round would decide it (ITSM_ESTATE, nothing changes).
 *
 * Guards. The lifecycle term "approved:all" needs every required level of
 * the rule that applies approved; "approved:N" the required levels among
 * the first N and level N itself (a rule with fewer than N levels: its
 * required levels, as "approved:all"); "approved:NAME" the same up to the level
 * of that name. A record no rule applies to passes (a standard change is
 * pre-authorized). The default policy guards the service request's
 * `approve` and the change's `authorize` steps with "approved:all".
 *
 * The policy document's "approvals" member holds the rules and groups
 * (docs/policy.md).
 */
#ifndef ITSM_APPROVAL_H
#define ITSM_APPROVAL_H

#include "common.h"
#include "policy.h"
#include "record.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- the policy --------------------------------------------------------- */

typedef enum itsm_approval_mode {
    ITSM_APPROVAL_ANY    = 1,
    ITSM_APPROVAL_ALL    = 2,
    ITSM_APPROVAL_QUORUM = 3
} itsm_approval_mode;

/* "any", "all", "quorum"; NULL for an unknown mode. */
ITSM_API const char *itsm_approval_mode_name(itsm_approval_mode mode);

/* Separation of duties, as bits of itsm_approval_rule_def.separation. */
#define ITSM_APPROVAL_SOD_REQUESTER   0x1u
#define ITSM_APPROVAL_SOD_IMPLEMENTER 0x2u

#define ITSM_APPROVAL_MAX_LEVELS 8
#define ITSM_APPROVAL_MAX_RULES  64
/* People named on one level, members of one group, groups of a policy. */
#define ITSM_APPROVAL_MAX_PEOPLE 256
#define ITSM_APPROVAL_MAX_GROUPS 256

typedef struct itsm_approval_level_def {
    unsigned           version;   /* ITSM_APPROVAL_LEVEL_DEF_VERSION */
    const char        *name;      /* 1..63 bytes of [a-z0-9_], unique in its rule */
    const char *const *people;    /* named approvers (symbols); may be NULL when npeople is 0 */
    size_t             npeople;
    const char        *group;     /* an approver group of the policy, or NULL */
    itsm_approval_mode mode;
    unsigned           quorum;    /* ITSM_APPROVAL_QUORUM: 1..256 approvals; 0 otherwise */
    int                exception; /* yes/no: not needed for "approved", opens schedule exceptions */
} itsm_approval_level_def;

#define ITSM_APPROVAL_LEVEL_DEF_VERSION 1
#define ITSM_APPROVAL_LEVEL_DEF_INIT { ITSM_APPROVAL_LEVEL_DEF_VERSION, NULL, NULL, 0, NULL, \
                                       ITSM_APPROVAL_ANY, 0, 0 }
/* For languages without macros: sets *def to ITSM_APPROVAL_LEVEL_DEF_INIT.
 * ITSM_EINVAL for NULL or a version other than ITSM_APPROVAL_LEVEL_DEF_VERSION. */
ITSM_API int itsm_approval_level_def_init(itsm_approval_level_def *def, unsigned version);

typedef struct itsm_approval_rule_def {
    unsigned           version;       /* ITSM_APPROVAL_RULE_DEF_VERSION */
    const char        *name;          /* 1..63 bytes of [a-z0-9_], unique in the policy */
    itsm_kind          kind;
    const char *const *change_types;  /* the rule applies only to these change types; none: any */
    size_t             nchange_types;
    const char *const *risks;         /* only to these risk levels ("none": not assessed); none: any */
    size_t             nrisks;
    const char        *state;         /* the state that opens a round; NULL: opening the record */
    /* 0..8 levels, at least one of them not an exception; none: records
     * the rule applies to need no approval (a pre-authorized change). */
    const itsm_approval_level_def *levels;
    size_t             nlevels;
    unsigned           separation;    /* ITSM_APPROVAL_SOD_* bits */
} itsm_approval_rule_def;

#define ITSM_APPROVAL_RULE_DEF_VERSION 1
#define ITSM_APPROVAL_RULE_DEF_INIT { ITSM_APPROVAL_RULE_DEF_VERSION, NULL, ITSM_KIND_CHANGE, NULL, 0, \
                                      NULL, 0, NULL, NULL, 0,                                        \
                                      ITSM_APPROVAL_SOD_REQUESTER | ITSM_APPROVAL_SOD_IMPLEMENTER }
/* For languages without macros: sets *def to ITSM_APPROVAL_RULE_DEF_INIT.
 * ITSM_EINVAL for NULL or a version other than ITSM_APPROVAL_RULE_DEF_VERSION. */
ITSM_API int itsm_approval_rule_def_init(itsm_approval_rule_def *def, unsigned version);

/*
 * Add a rule after the policy's others (the first match applies). The
 * strings are copied. Whether the group exists, the state is one of the
 * kind's lifecycle, a quorum fits the named approvers and the risk levels
 * are ones the risk assessment gives the kind is checked with the rest of
 * the policy (itsm_policy_check). Errors (itsm_policy_errmsg
 * says which member): ITSM_EINVAL (NULL, unknown version or kind, a bad
 * name, person, change type or risk, only exception levels,
 * two levels of one name, a quorum with another mode or outside 1..256,
 * "all" with nobody named, unknown separation bits), ITSM_EEXISTS (a rule
 * of that name), ITSM_ELIMIT (over 64 rules, 8 levels, 256 people),
 * ITSM_ENOMEM. The policy is unchanged on any error.
 */
ITSM_API int itsm_policy_add_approval_rule(itsm_policy *policy, const itsm_approval_rule_def *def);
/* Remove every rule (the groups stay). ITSM_EINVAL for NULL. */
ITSM_API int itsm_policy_clear_approval_rules(itsm_policy *policy);
/* Define an approver group (1..256 members, names copied) or replace its
 * members; n == 0 removes it. ITSM_EINVAL (NULL, bad name or member, a
 * member twice), ITSM_ELIMIT (over 256 members or groups), ITSM_ENOMEM. */
ITSM_API int itsm_policy_set_approver_group(itsm_policy *policy, const char *group,
                                            const char *const *members, size_t n);
/* The number of rules; 0 for NULL. */
ITSM_API size_t itsm_policy_approval_rule_count(const itsm_policy *policy);

/* ---- deciding ----------------------------------------------------------- */

/*
 * Approve or reject at a level of the rule that applies to the record,
 * as `by`, with an optional comment (NULL or ""; copied). `level` names
 * the level; NULL is the first required level not yet approved. One
 * event on the record; its actor is the engine's actor, `by` the person
 * who decided (a change manager may record a CAB member's decision).
 * Errors:
 *   ITSM_EINVAL    NULL record, `by` missing or not a valid name (over
 *                  ITSM_MAX_SYMBOL bytes: ITSM_ELIMIT), a comment that is
 *                  not UTF-8 or over ITSM_MAX_TEXT (ITSM_ELIMIT),
 *                  `by` is not an approver of the level (named, in its
 *                  group, or holding a delegated vote), or separation of
 *                  duties excludes `by` - the message names the rule and
 *                  why: "ann cannot decide on CHG-000001 at level
 *                  'change_manager' of approval rule 'normal': ann is the
 *                  requester (separation of duties)"
 *   ITSM_ENOTFOUND no rule applies to the record, or it has no such level
 *   ITSM_ESTATE    the record is closed, the round has not opened, an
 *                  earlier level is not approved, the level is decided
 *                  already, or `by` decided (or delegated) at it already
 *   ITSM_ENOMEM, ITSM_ESTORE, ITSM_ECONFLICT, ITSM_EUSER
 */
ITSM_API int itsm_record_approve(itsm_record *rec, const char *level, const char *by, const char *comment);
/* Reject at a level, as itsm_record_approve approves (same arguments and
 * rules; a rejection decides the round). Errors as itsm_record_approve:
 * ITSM_EINVAL, ITSM_ELIMIT, ITSM_ENOTFOUND, ITSM_ESTATE, ITSM_ENOMEM,
 * ITSM_ESTORE, ITSM_ECONFLICT, ITSM_EUSER. */
ITSM_API int itsm_record_reject_approval(itsm_record *rec, const char *level, const char *by,
                                         const char *comment);
/*
 * Hand `by`'s vote at `level` to `to`, who then casts it with their own
 * decision. Only a level with named approvers can be delegated, only by
 * one of them who has neither decided nor delegated there and holds
 * nobody else's vote there (a delegated vote goes one hop), and not to
 * `by`, to someone who delegated their own vote there, or to the
 * requester or implementer. Errors as itsm_record_approve (ITSM_EINVAL
 * for a level open to anyone, a `by` holding another's vote, and each
 * refused `to`; ITSM_ELIMIT for a `to` over ITSM_MAX_SYMBOL bytes).
 */
ITSM_API int itsm_record_delegate_approval(itsm_record *rec, const char *level, const char *by,
                                           const char *to, const char *comment);

/* ---- reading ------------------------------------------------------------ */

typedef enum itsm_approval_status {
    ITSM_APPROVAL_NONE        = 0,   /* no rule applies: nothing to approve */
    ITSM_APPROVAL_NOT_STARTED = 1,   /* the round has not opened yet */
    ITSM_APPROVAL_PENDING     = 2,
    ITSM_APPROVAL_APPROVED    = 3,   /* every required level approved */
    ITSM_APPROVAL_REJECTED    = 4    /* a required level rejected */
} itsm_approval_status;

/* "none", "not_started", "pending", "approved", "rejected"; NULL if unknown. */
ITSM_API const char *itsm_approval_status_name(itsm_approval_status status);

typedef struct itsm_approval_info {
    size_t               size;          /* sizeof(itsm_approval_info), set by the caller (common.h) */
    itsm_approval_status status;
    const char          *rule;          /* the rule that applies now; NULL: none (borrowed) */
    size_t               levels;        /* the rule's levels */
    size_t               current;       /* 1-based: the first required level not approved; 0: none */
    itsm_time            requested_at;  /* the round's start; ITSM_TIME_NONE: not open */
    itsm_time            decided_at;    /* the decision that approved or rejected it; else NONE */
} itsm_approval_info;

/* The record's approval as of its current fields. ITSM_EINVAL for NULL
 * or a bad size (common.h). */
ITSM_API int itsm_record_approval(itsm_approval_info *out, const itsm_record *rec);

typedef enum itsm_level_status {
    ITSM_LEVEL_PENDING  = 1,
    ITSM_LEVEL_APPROVED = 2,
    ITSM_LEVEL_REJECTED = 3
} itsm_level_status;

typedef struct itsm_approval_level {
    size_t             size;       /* sizeof(itsm_approval_level), set by the caller (common.h) */
    const char        *name;       /* borrowed from the engine's policy */
    itsm_approval_mode mode;
    itsm_level_status  status;
    size_t             approvals;  /* votes counted for and against, this round */
    size_t             rejections;
    size_t             needed;     /* approvals the level needs */
    size_t             voters;     /* named approvers separation of duties leaves; 0: open to anyone */
    int                exception;
} itsm_approval_level;

/* Level `index` (0-based) of the rule that applies. ITSM_ENOTFOUND when
 * no rule applies (an answer, not a failure: the engine's message is left
 * as it was, as itsm_record_approval's rule is NULL then); ITSM_EINVAL for
 * NULL, a bad size or an index out of range (the engine's message says
 * which). */
ITSM_API int itsm_record_approval_level(itsm_approval_level *out, const itsm_record *rec, size_t index);

typedef enum itsm_approval_verdict {
    ITSM_VERDICT_APPROVE  = 1,
    ITSM_VERDICT_REJECT   = 2,
    ITSM_VERDICT_DELEGATE = 3
} itsm_approval_verdict;

/* "approve", "reject", "delegate"; NULL if unknown. */
ITSM_API const char *itsm_approval_verdict_name(itsm_approval_verdict verdict);

/* One decision of the current round; strings borrowed, valid while the
 * engine lives (until the round restarts for the comment). */
typedef struct itsm_approval_decision {
    size_t                size;     /* sizeof(itsm_approval_decision), set by the caller (common.h) */
    itsm_approval_verdict verdict;
    const char           *rule;     /* the rule that applied when it was taken */
    const char           *level;
    const char           *by;
    const char           *to;       /* delegate: who got the vote; else NULL */
    const char           *comment;  /* NULL when none */
    itsm_time             at;
} itsm_approval_decision;

/* Decisions of the current round, in order. 0 for NULL. */
ITSM_API size_t itsm_record_approval_count(const itsm_record *rec);
/* ITSM_EINVAL for NULL, a bad size or an index out of range. */
ITSM_API int    itsm_record_approval_at(itsm_approval_decision *out, const itsm_record *rec, size_t index);

#ifdef __cplusplus
}
#endif
#endif
