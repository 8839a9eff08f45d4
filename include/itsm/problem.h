/* SPDX-License-Identifier: Apache-2.0 */
/*
 * itsm/problem.h - when an incident needs a problem record, and acting on it.
 *
 * The decision follows Kepner-Tregoe (seed 000): open a problem record only
 * if the cause is still unknown AND the root cause is needed to act; both
 * must be yes. Beside it, two policy rules (DESIGN section 8):
 *   - a major incident always gets a problem review;
 *   - N incidents (default 3) on the same service and category within a
 *     window (default 30 days) propose a problem. An incident closed
 *     without a resolution (canceled: logged in error, a duplicate) is no
 *     occurrence: the rule's count, decisions and proposals leave it out;
 *     nor is a child of a major incident (ITSM_LINK_PARENT to an incident
 *     with 'major' set: another caller's report of that one outage, which
 *     its parent counts once).
 * The verdict for a finished incident is one of three handoff paths, always
 * with the reasons that produced it. Recurrence is answered from an index
 * the engine keeps per (service, category), never by scanning records.
 */
#ifndef ITSM_PROBLEM_H
#define ITSM_PROBLEM_H

#include "common.h"
#include "record.h"
#include "policy.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- policy rules ------------------------------------------------------- */

typedef struct itsm_problem_rules {
    unsigned version;            /* ITSM_PROBLEM_RULES_VERSION */
    int      recurrence_count;   /* N: 2..ITSM_PROBLEM_PROPOSAL_MAX (64), or 0 to switch the rule off (default 3) */
    int64_t  recurrence_window;  /* seconds, 1..ITSM_PROBLEM_MAX_WINDOW (default 30 days) */
    int      major_review;       /* 1: a major incident always gets a problem review (default 1) */
    /* Version 2. */
    int      recurrence_ci;      /* 1: the rule counts incidents on the same service, category
                                    AND configuration item (field 'ci'); 0: any CI (default 0) */
    int      recurrence_push;    /* 1: the engine proposes a problem when an incident completes a
                                    cluster (itsm_problem_proposal_* below); 0: only
                                    itsm_problem_decide applies the rule (default 1) */
} itsm_problem_rules;

#define ITSM_PROBLEM_RULES_VERSION 2
#define ITSM_PROBLEM_DEFAULT_WINDOW ((int64_t)30 * 86400)
#define ITSM_PROBLEM_MAX_WINDOW ((int64_t)3660 * 86400)
#define ITSM_PROBLEM_RULES_INIT { ITSM_PROBLEM_RULES_VERSION, 3, ITSM_PROBLEM_DEFAULT_WINDOW, 1, 0, 1 }
/* For languages without macros: sets *rules to ITSM_PROBLEM_RULES_INIT
 * (version 1: the members version 1 has). ITSM_EINVAL for NULL, version 0
 * or a version newer than ITSM_PROBLEM_RULES_VERSION. */
ITSM_API int itsm_problem_rules_init(itsm_problem_rules *rules, unsigned version);

/* Read a policy's problem rules (they are part of the policy document:
 * member "problem_rules", docs/policy.md). Writes the members of the
 * version `out->version` names (initialise `out` with
 * ITSM_PROBLEM_RULES_INIT or itsm_problem_rules_init first).
 * Errors: ITSM_EINVAL (NULL, version 0 or newer than this library's). */
ITSM_API int itsm_policy_problem_rules(itsm_problem_rules *out, const itsm_policy *policy);
/* Replace the policy's problem rules with a copy of *rules (checked first;
 * the policy is unchanged on error). An older version replaces the
 * members it has; the members it lacks keep what the policy says (a host
 * built against version 1 does not undo settings it cannot see).
 * ITSM_EINVAL for NULL, a version 0 or newer than this library's, or a
 * value out of range; itsm_policy_errmsg says which. */
ITSM_API int itsm_policy_set_problem_rules(itsm_policy *policy, const itsm_problem_rules *rules);

/* ---- the decision ------------------------------------------------------- */

typedef enum itsm_verdict {
    ITSM_VERDICT_CLOSE      = 1,  /* close the case and move on */
    ITSM_VERDICT_TO_PROBLEM = 2,  /* hand over to problem management */
    ITSM_VERDICT_TO_CHANGE  = 3   /* cause known, the fix needs a change: hand straight
                                     to change / continual improvement */
} itsm_verdict;

/* "close", "to_problem", "to_change"; NULL if unknown. */
ITSM_API const char *itsm_verdict_name(itsm_verdict verdict);

typedef enum itsm_reason {
    ITSM_REASON_CAUSE_UNKNOWN      = 1,  /* KT question 1: yes */
    ITSM_REASON_CAUSE_KNOWN        = 2,  /* KT question 1: no */
    ITSM_REASON_ROOT_CAUSE_NEEDED  = 3,  /* KT question 2: yes */
    ITSM_REASON_ROOT_CAUSE_NOT_NEEDED = 4,/* KT question 2: no */
    ITSM_REASON_MAJOR_REVIEW       = 5,  /* a major incident always gets a problem review */
    ITSM_REASON_RECURRENCE         = 6,  /* N incidents on the service and category in the window */
    ITSM_REASON_FIX_NEEDS_CHANGE   = 7,  /* the cause is known and the fix needs a change */
    ITSM_REASON_NO_FOLLOW_UP       = 8   /* nothing calls for more work: close and move on */
} itsm_reason;

/* "cause_unknown", "cause_known", "root_cause_needed", "root_cause_not_needed",
 * "major_review", "recurrence", "fix_needs_change", "no_follow_up"; NULL if unknown. */
ITSM_API const char *itsm_reason_name(itsm_reason reason);

/* Answers the caller gives; ITSM_ANSWER_FROM_RECORD takes it from the record. */
#define ITSM_ANSWER_NO 0
#define ITSM_ANSWER_YES 1
#define ITSM_ANSWER_FROM_RECORD (-1)

typedef struct itsm_decision_opts {
    unsigned version;           /* ITSM_DECISION_OPTS_VERSION */
    int cause_known;            /* YES/NO, or FROM_RECORD (default): known when 'cause' is set
                                   to text that says something (blank is unknown), or
                                   when a related problem's 'cause' is and that problem is
                                   a known error or fixed, or was a known error before
                                   it settled without a fix (risk accepted: its history,
                                   read through the store's read_record, says so; a store
                                   without it cannot tell) - not a hypothesis under
                                   analysis, nor closed without a fix before the cause
                                   was known -, or - for a
                                   child of a major incident, one caller's report of
                                   its outage - when the parent says so either way */
    int root_cause_needed;      /* YES/NO: KT question 2. Required when the cause is unknown
                                   (FROM_RECORD is then ITSM_EINVAL: only a person can say) */
    int fix_needs_change;       /* YES/NO, or FROM_RECORD (default): yes when the incident
                                   has a related change still to be carried out (its
                                   resolved_at unset: one completed is the fix done,
                                   one backed out still needs a change) */
} itsm_decision_opts;

#define ITSM_DECISION_OPTS_VERSION 1
#define ITSM_DECISION_OPTS_INIT { ITSM_DECISION_OPTS_VERSION, ITSM_ANSWER_FROM_RECORD, \
                                  ITSM_ANSWER_FROM_RECORD, ITSM_ANSWER_FROM_RECORD }
/* For languages without macros: sets *opts to ITSM_DECISION_OPTS_INIT.
 * ITSM_EINVAL for NULL or a version other than ITSM_DECISION_OPTS_VERSION. */
ITSM_API int itsm_decision_opts_init(itsm_decision_opts *opts, unsigned version);

#define ITSM_DECISION_MAX_REASONS 8
#define ITSM_REASON_TEXT 160

typedef struct itsm_decision_reason {
    itsm_reason code;
    char        text[ITSM_REASON_TEXT];   /* e.g. "3 incidents on payroll/network within 30 days" */
} itsm_decision_reason;

typedef struct itsm_decision {
    size_t       size;              /* sizeof(itsm_decision), set by the caller (common.h) */
    itsm_verdict verdict;
    int          problem_proposed;  /* 1 when any rule asks for a problem record */
    size_t       recurrence;        /* incidents counted by the recurrence rule (0 when off,
                                       service/category unset, or - with recurrence_ci -
                                       the incident has no CI) */
    size_t       nreasons;
    itsm_decision_reason reasons[ITSM_DECISION_MAX_REASONS];  /* in the order the rules ran */
} itsm_decision;

/*
 * The verdict for a finished incident (resolved or closed). The rules, in
 * order (each adds its reasons):
 *   1. Kepner-Tregoe: cause unknown AND root cause needed -> to_problem
 *      (read from the record, the cause is known when the incident or a
 *      problem related to it states it, that problem a known error,
 *      fixed, or settled without a fix after it was a known error: "the
 *      cause of INC-000004 is known: problem PRB-000001"; a
 *      child of a major incident has the outage's cause, the one its
 *      parent states or knows that way: "the cause of INC-000005 is
 *      known: major incident INC-000004");
 *   2. major incident (field 'major') and the policy's major_review -> to_problem;
 *   3. recurrence: at least N incidents on the incident's service and
 *      category (and CI, when the rules' recurrence_ci is on) opened within
 *      [opened_at - window, opened_at] (both ends included; the incident
 *      itself counts) -> to_problem; so does an incident of a cluster the
 *      engine proposed (itsm_record_problem_proposal: pending or accepted,
 *      not dismissed), the earlier ones of the cluster included - also
 *      after the incident was put on another service or category (it
 *      stays in the cluster it was proposed with). Neither applies to an
 *      incident related to a known error (a problem in its known_error or
 *      fix_pending_change state): that problem record holds the
 *      recurrence, so the reason says so ("INC-000004 recurs on known
 *      error PRB-000001, which holds the recurrence: no new problem") and
 *      the other rules decide; the recurrence count is still reported.
 *      The problem keeps holding it once fixed (resolution code
 *      fix_applied) when the incident was opened at or before the fix's
 *      resolved_at ("INC-000003 recurred before problem PRB-000001 was
 *      fixed, ..."); one opened after the fix counts as a recurrence;
 *      a known error closed with its risk accepted (resolution code
 *      risk_accepted, its known_error state read from its history as for
 *      question 1) holds it whenever the incident was opened - recurring
 *      is the risk accepted ("INC-000004 recurs on known error
 *      PRB-000001, closed with its risk accepted, which holds the
 *      recurrence: no new problem"); without the history it holds none.
 *      (The engine's own proposals, below, do not read histories: they
 *      may still propose such incidents, and the decision says why not.)
 *   4. otherwise, cause known and the fix needs a change -> to_change;
 *   5. otherwise -> close (reason no_follow_up).
 * Problem reasons win over to_change: the problem record then reaches
 * change through its known error (itsm_change_open_from_problem).
 * Errors: ITSM_EINVAL (NULL, not an incident, bad answers - checked before
 * the state), ITSM_ESTATE
 * (the incident is not resolved or closed - never resolved, canceled
 * unresolved, or back in work after a reopen), ITSM_ENOMEM
 * (rebuilding a stale index).
 */
ITSM_API int itsm_problem_decide(itsm_decision *out, itsm_record *incident,
                                 const itsm_decision_opts *opts);

/* The recurrence rule on its own: *count = incidents on (service, category)
 * opened within [at - window, at], whatever their CI, incidents canceled
 * unresolved and children of a major incident left out. ITSM_EINVAL for NULL arguments or a bad time; ITSM_ENOMEM. */
ITSM_API int itsm_problem_recurrence(size_t *count, itsm_engine *eng, const char *service,
                                     const char *category, itsm_time at);

/* ---- acting on the verdict --------------------------------------------- */

typedef struct itsm_problem_open_opts {
    unsigned           version;   /* ITSM_PROBLEM_OPEN_OPTS_VERSION */
    const char        *id;        /* NULL: generated ("PRB-000001") */
    const itsm_change *fields;    /* extra or overriding fields for the new record */
    size_t             nfields;
} itsm_problem_open_opts;

#define ITSM_PROBLEM_OPEN_OPTS_VERSION 1
#define ITSM_PROBLEM_OPEN_OPTS_INIT { ITSM_PROBLEM_OPEN_OPTS_VERSION, NULL, NULL, 0 }
/* For languages without macros: sets *opts to ITSM_PROBLEM_OPEN_OPTS_INIT.
 * ITSM_EINVAL for NULL or a version other than ITSM_PROBLEM_OPEN_OPTS_VERSION. */
ITSM_API int itsm_problem_open_opts_init(itsm_problem_open_opts *opts, unsigned version);

/*
 * Open a problem record from an incident, in one atomic step: the new
 * problem carries the incident's facts (summary, description, caller,
 * service, ci, category, subcategory, impact, urgency, priority, cause,
 * workaround, and every custom field of the policy that applies to
 * problems: the data the desk gathered, seed 000), `opts->fields`
 * override or add to them, and the two are
 * linked both ways (related). *out is borrowed from the engine.
 * Errors: ITSM_EINVAL, ITSM_EEXISTS (id taken), ITSM_ELIMIT, ITSM_ENOMEM,
 * ITSM_ESTORE, ITSM_ECONFLICT, ITSM_EUSER, ITSM_ECLOCK.
 */
ITSM_API int itsm_problem_open_from_incident(itsm_record **out, itsm_record *incident,
                                             const itsm_problem_open_opts *opts);

/*
 * Open a change from a problem's known error (the problem must be in state
 * "known_error"), atomically, linked both ways. The change carries summary,
 * description, service, ci, category, impact, urgency and priority; the
 * known error's cause and workaround go into its description when it has
 * none. change_type defaults to "normal" (override through opts->fields).
 * Fire "request_change" on the problem afterwards to move it on.
 * Errors: as itsm_problem_open_from_incident, plus ITSM_ESTATE.
 */
ITSM_API int itsm_change_open_from_problem(itsm_record **out, itsm_record *problem,
                                           const itsm_problem_open_opts *opts);

/*
 * Close a problem with a resolution code, validated:
 *   "fix_applied"   fires "resolve" (needs `notes`: what was fixed), then
 *                   every open incident linked to the problem that is on hold
 *                   with hold_reason "awaiting_change" or "awaiting_problem"
 *                   is resumed (its lifecycle's "resume": back to work,
 *                   hold_reason cleared) and gets a system note naming the
 *                   problem - all in the same atomic step. An incident whose
 *                   resume guard fails (e.g. no assignee) stays on hold and
 *                   still gets the note, so its owner sees it may move on.
 *                   An incident whose last event is later than the step (a
 *                   log replayed case by case) resumes and gets its note at
 *                   that event's time, never before it.
 *   "risk_accepted", "duplicate", "canceled"
 *                   fire "close_without_fix" with `notes` as the
 *                   close_justification (seed 000: why the effort is not worth it);
 *                   every open incident linked to the problem and on hold for
 *                   it (the same hold reasons) gets a system note in the same
 *                   step ("problem PRB-000001 closed without a fix
 *                   (risk_accepted): no fix will come, resume it") and stays
 *                   on hold for its owner to restore otherwise.
 * Errors: ITSM_EINVAL (NULL, not a problem, unknown code, no notes or
 * blank ones),
 * ITSM_ETRANSITION / ITSM_EGUARD (from the lifecycle), ITSM_ELIMIT,
 * ITSM_ENOMEM, ITSM_ESTORE, ITSM_ECONFLICT, ITSM_EUSER, ITSM_ECLOCK.
 */
ITSM_API int itsm_problem_close(itsm_record *problem, const char *resolution_code, const char *notes);

/* ---- problem proposals (recurrence pushes) ------------------------------ */

/*
 * With the rules' recurrence_push on (the default), the engine applies the
 * recurrence rule itself whenever an incident is opened or resolved (a
 * step that stamps resolved_at): when the incident, as the step leaves it,
 * completes a cluster - at least N incidents on its service and category
 * (and CI, with recurrence_ci) opened within [t - window, t], t the step's
 * time, none of them in an earlier proposal nor related to a known error
 * nor to a problem still worked, neither resolved nor closed (its
 * problem record holds that recurrence; so does a fixed problem for an
 * incident opened before its fix), the incident itself among
 * them - the same atomic step carries a "problem_proposed" event on that
 * incident (docs/events.md) naming the cluster's incidents (the newest
 * ITSM_PROBLEM_PROPOSAL_MAX of them). Each incident belongs to at most one
 * proposal, so a cluster is proposed once; later incidents on the same key
 * start a new cluster. The sink sees the event, reports count proposals
 * (itsm/report.h), and the host decides: accept it into a problem record,
 * or dismiss it.
 */
#define ITSM_PROBLEM_PROPOSAL_MAX 64

typedef enum itsm_proposal_status {
    ITSM_PROPOSAL_PENDING   = 1,
    ITSM_PROPOSAL_ACCEPTED  = 2,
    ITSM_PROPOSAL_DISMISSED = 3
} itsm_proposal_status;

/* "pending", "accepted", "dismissed"; NULL if unknown. */
ITSM_API const char *itsm_proposal_status_name(itsm_proposal_status status);

typedef struct itsm_problem_proposal {
    size_t               size;        /* sizeof(itsm_problem_proposal), set by the caller (common.h) */
    const char          *record;      /* the incident whose step completed the cluster (borrowed) */
    itsm_time            at;          /* that step's time */
    itsm_proposal_status status;
    const char          *service;     /* the cluster's key (borrowed) */
    const char          *category;
    const char          *ci;          /* NULL: any CI (recurrence_ci off) */
    int64_t              window;      /* seconds */
    size_t               incidents;   /* in the cluster: itsm_engine_problem_proposal_incident */
    const char          *problem;     /* accepted: the problem record's id; else NULL */
    const char          *reason;      /* dismissed: why; else NULL */
    itsm_time            decided_at;  /* accepted or dismissed: when; else ITSM_TIME_NONE */
} itsm_problem_proposal;

/* The proposals the engine holds, in the order they were made (a replay
 * rebuilds them in that order). 0 for NULL. */
ITSM_API size_t itsm_engine_problem_proposal_count(const itsm_engine *eng);
/* Proposal `index`. ITSM_EINVAL for NULL, a size it cannot fill (common.h)
 * or an index out of range (the engine's message says which). */
ITSM_API int    itsm_engine_problem_proposal_at(itsm_problem_proposal *out, const itsm_engine *eng,
                                                size_t index);
/* The id of incident `i` of proposal `index`, oldest first; NULL out of
 * range. Borrowed, valid while the engine lives. */
ITSM_API const char *itsm_engine_problem_proposal_incident(const itsm_engine *eng, size_t index, size_t i);
/* The proposal `incident` belongs to: ITSM_OK and *index set, or
 * ITSM_ENOTFOUND (none; the engine's message is left as it was);
 * ITSM_EINVAL for NULL. */
ITSM_API int    itsm_record_problem_proposal(size_t *index, const itsm_record *incident);

/*
 * Accept the pending proposal `incident` belongs to, in one atomic step:
 * open a problem record carrying the facts of the incident that completed
 * the cluster (as itsm_problem_open_from_incident; `opts` may give an id
 * and fields, NULL for none), relate every incident of the cluster to it,
 * and record the decision ("problem_proposal_decided") on that incident.
 * The step is stamped no earlier than the last event of any incident of
 * the cluster (the clock of a log replayed case by case may read earlier).
 * *out is borrowed from the engine.
 * Errors: ITSM_EINVAL (NULL, not an incident, bad options), ITSM_ENOTFOUND
 * (the incident is in no proposal), ITSM_ESTATE (the proposal was decided
 * already: "the problem proposal of INC-000003 was accepted already (PRB-000001)"),
 * ITSM_EEXISTS (the id is taken), ITSM_ELIMIT, ITSM_ENOMEM, ITSM_ESTORE,
 * ITSM_ECONFLICT, ITSM_EUSER.
 */
ITSM_API int itsm_problem_proposal_accept(itsm_record **out, itsm_record *incident,
                                          const itsm_problem_open_opts *opts);
/*
 * Dismiss the pending proposal `incident` belongs to, with the reason
 * (required text; copied): one event on the incident that completed the
 * cluster, stamped as an acceptance is. Its incidents stay in it: the
 * cluster is not proposed again.
 * Errors: ITSM_EINVAL (NULL, not an incident, no reason), ITSM_ENOTFOUND,
 * ITSM_ESTATE (decided already), ITSM_ELIMIT, ITSM_ENOMEM, ITSM_ESTORE,
 * ITSM_ECONFLICT, ITSM_EUSER.
 */
ITSM_API int itsm_problem_proposal_dismiss(itsm_record *incident, const char *reason);

#ifdef __cplusplus
}
#endif
#endif
