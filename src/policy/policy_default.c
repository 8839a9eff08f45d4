/* SPDX-License-Identifier: Apache-2.0 */
/* The default lifecycles of DESIGN.md section 3, as data tables fed through
 * the same builders a host uses, so the defaults obey every rule a custom
 * policy does. */
#include "policy/policy_int.h"
#include "itsm/errors.h"

typedef struct state_row { const char *name; unsigned flags; } state_row;
typedef struct trans_row {
    const char *from, *event, *to, *guard, *stamp, *clear;
    int counts_reopen;
} trans_row;
typedef struct lifecycle_table {
    itsm_kind kind;
    const state_row *states;
    const char *const *events;
    const trans_row *trans;
} lifecycle_table;

#define I ITSM_STATE_INITIAL
#define C ITSM_STATE_CLOSED

/* Closure checklist (seed 002/003): category, resolution documented, owner,
 * knowledge decision. Major incidents are never closed by the timer. */
#define CLOSURE "category resolution_code resolution_notes assignee knowledge_decision"
/* A request's resolution is documented by its notes (`complete` needs them):
 * a fulfilled request has no resolution code to give. */
#define REQUEST_CLOSURE "category resolution_notes assignee knowledge_decision"

static const state_row incident_states[] = {
    { "new", I }, { "assigned", 0 }, { "in_progress", 0 }, { "on_hold", 0 },
    { "resolved", 0 }, { "closed", C }, { "canceled", C }, { NULL, 0 }
};
static const char *const incident_events[] = {
    "assign", "start", "hold", "resume", "resolve", "reopen", "confirm",
    "auto_close", "cancel", "parent_resolved", NULL
};
/* in_progress needs an assignee on every way in (start, resume, reopen). */
static const trans_row incident_trans[] = {
    { "new", "assign", "assigned", "assignment_group", NULL, NULL, 0 },
    { "new", "start", "in_progress", "assignment_group assignee", "responded_at?", NULL, 0 },
    { "assigned", "start", "in_progress", "assignee", "responded_at?", NULL, 0 },
    { "in_progress", "hold", "on_hold", "hold_reason", NULL, NULL, 0 },
    { "on_hold", "resume", "in_progress", "assignee", NULL, "hold_reason", 0 },
    { "in_progress", "resolve", "resolved", "resolution_code resolution_notes", "resolved_at", NULL, 0 },
    { "on_hold", "resolve", "resolved", "resolution_code resolution_notes", "resolved_at", "hold_reason", 0 },
    { "resolved", "reopen", "in_progress", "assignee", NULL, NULL, 1 },
    { "resolved", "confirm", "closed", CLOSURE, "closed_at", NULL, 0 },
    { "resolved", "auto_close", "closed", CLOSURE " major=0", "closed_at", NULL, 0 },
    { "*", "cancel", "canceled", NULL, "closed_at", NULL, 0 },
    /* Resolving a major incident resolves its children with its resolution
     * (DESIGN 5), whatever open state a child is in: the engine fires this
     * event on each child in the parent's step. */
    { "new", "parent_resolved", "resolved", "resolution_code resolution_notes", "resolved_at", NULL, 0 },
    { "assigned", "parent_resolved", "resolved", "resolution_code resolution_notes", "resolved_at", NULL, 0 },
    { "in_progress", "parent_resolved", "resolved", "resolution_code resolution_notes", "resolved_at", NULL, 0 },
    { "on_hold", "parent_resolved", "resolved", "resolution_code resolution_notes", "resolved_at", "hold_reason", 0 },
    { NULL, NULL, NULL, NULL, NULL, NULL, 0 }
};

static const state_row request_states[] = {
    { "new", I }, { "awaiting_approval", 0 }, { "approved", 0 }, { "rejected", C },
    { "fulfilling", 0 }, { "fulfilled", 0 }, { "closed", C }, { "canceled", C }, { NULL, 0 }
};
static const char *const request_events[] = {
    "submit", "approve", "reject", "fulfil", "complete", "close", "cancel", NULL
};
static const trans_row request_trans[] = {
    { "new", "submit", "awaiting_approval", "caller service", NULL, NULL, 0 },
    /* Approved by someone other than the requester (itsm/approval.h). */
    { "awaiting_approval", "approve", "approved", "approved:all", NULL, NULL, 0 },
    { "awaiting_approval", "reject", "rejected", "resolution_notes", "closed_at", NULL, 0 },
    /* Someone owns every request before it is worked (seed 003). */
    { "approved", "fulfil", "fulfilling", "assignment_group assignee", "responded_at?", NULL, 0 },
    /* Not while a task of its catalogue item is open (itsm/request.h):
     * the last task to close fires `complete` itself. */
    { "fulfilling", "complete", "fulfilled", "resolution_notes tasks:done", "resolved_at", NULL, 0 },
    /* The closure checklist "applies to all Incidents and Requests" (seed
     * 003): category, resolution documented, owner, knowledge decision. */
    { "fulfilled", "close", "closed", REQUEST_CLOSURE " tasks:done", "closed_at", NULL, 0 },
    { "*", "cancel", "canceled", NULL, "closed_at", NULL, 0 },
    { NULL, NULL, NULL, NULL, NULL, NULL, 0 }
};

static const state_row problem_states[] = {
    { "new", I }, { "assessed", 0 }, { "root_cause_analysis", 0 }, { "known_error", 0 },
    { "fix_pending_change", 0 }, { "resolved", 0 }, { "closed", C }, { NULL, 0 }
};
static const char *const problem_events[] = {
    "assess", "analyse", "identify", "request_change", "resolve", "close",
    "close_without_fix", NULL
};
static const trans_row problem_trans[] = {
    { "new", "assess", "assessed", "assignee category", "responded_at?", NULL, 0 },
    { "assessed", "analyse", "root_cause_analysis", NULL, NULL, NULL, 0 },
    /* Known error: the cause, and a workaround or an explicit "none". */
    { "root_cause_analysis", "identify", "known_error", "cause workaround|no_workaround", NULL, NULL, 0 },
    { "known_error", "request_change", "fix_pending_change", "link:change", NULL, NULL, 0 },
    /* A major incident's problem review is not complete until the actions
     * of its post-incident review have owners (itsm/review.h). */
    { "known_error", "resolve", "resolved", "resolution_code resolution_notes review:owned", "resolved_at", NULL, 0 },
    { "fix_pending_change", "resolve", "resolved", "resolution_code resolution_notes review:owned", "resolved_at",
      NULL, 0 },
    { "resolved", "close", "closed", "review:owned", "closed_at", NULL, 0 },
    /* Closed without a fix when the effort is not worth it (seed 000). */
    { "*", "close_without_fix", "closed", "resolution_code close_justification review:owned", "closed_at", NULL, 0 },
    { NULL, NULL, NULL, NULL, NULL, NULL, 0 }
};

static const state_row change_states[] = {
    { "new", I }, { "assessed", 0 }, { "authorized", 0 }, { "rejected", C },
    { "scheduled", 0 }, { "implementing", 0 }, { "backed_out", 0 }, { "review", 0 },
    { "closed", C }, { NULL, 0 }
};
static const char *const change_events[] = {
    "assess", "authorize", "reject", "schedule", "implement", "complete", "back_out",
    "close", NULL
};
static const trans_row change_trans[] = {
    { "new", "assess", "assessed", "change_type", NULL, NULL, 0 },
    /* A standard change is pre-authorized: it skips assessment. */
    { "new", "schedule", "scheduled", "change_type=standard window:allowed", NULL, NULL, 0 },
    /* Authorized once the risk is assessed and every approval level its
     * type and risk ask for is approved (itsm/approval.h, itsm/change.h). */
    { "assessed", "authorize", "authorized", "assignee risk:assessed approved:all", NULL, NULL, 0 },
    { "assessed", "reject", "rejected", "resolution_notes", "closed_at", NULL, 0 },
    /* Scheduled into a planned window the change schedule allows: no
     * blackout, inside the service's maintenance window (itsm/change.h). */
    { "authorized", "schedule", "scheduled", "window:allowed", NULL, NULL, 0 },
    /* Going live: a service handed over to operations (to_operations)
     * goes into operation only through an open gate (seed 004). */
    { "scheduled", "implement", "implementing", "assignee gate:not_shut", NULL, NULL, 0 },
    { "implementing", "complete", "review", NULL, "resolved_at", NULL, 0 },
    { "implementing", "back_out", "backed_out", "resolution_notes", NULL, NULL, 0 },
    { "backed_out", "complete", "review", NULL, NULL, NULL, 0 },
    { "review", "close", "closed", "resolution_code", "closed_at", NULL, 0 },
    { NULL, NULL, NULL, NULL, NULL, NULL, 0 }
};

static const state_row knowledge_states[] = {
    { "draft", I }, { "review", 0 }, { "published", 0 }, { "retired", C }, { NULL, 0 }
};
static const char *const knowledge_events[] = { "submit", "publish", "revise", "retire", NULL };
static const trans_row knowledge_trans[] = {
    { "draft", "submit", "review", "summary", NULL, NULL, 0 },
    { "review", "publish", "published", "summary workaround|resolution_notes|description", NULL, NULL, 0 },
    { "review", "revise", "draft", NULL, NULL, NULL, 0 },
    { "published", "revise", "draft", NULL, NULL, NULL, 0 },
    { "published", "retire", "retired", NULL, "closed_at", NULL, 0 },
    { NULL, NULL, NULL, NULL, NULL, NULL, 0 }
};

#undef I
#undef C

static const lifecycle_table tables[] = {
    { ITSM_KIND_INCIDENT, incident_states, incident_events, incident_trans },
    { ITSM_KIND_SERVICE_REQUEST, request_states, request_events, request_trans },
    { ITSM_KIND_PROBLEM, problem_states, problem_events, problem_trans },
    { ITSM_KIND_CHANGE, change_states, change_events, change_trans },
    { ITSM_KIND_KNOWLEDGE, knowledge_states, knowledge_events, knowledge_trans },
};

static int load_table(itsm_policy *p, const lifecycle_table *t)
{
    int rc = ITSM_OK;
    for (const state_row *s = t->states; s->name && !rc; s++)
        rc = itsm_policy_add_state(p, t->kind, s->name, s->flags);
    for (const char *const *e = t->events; *e && !rc; e++)
        rc = itsm_policy_add_event(p, t->kind, *e);
    for (const trans_row *r = t->trans; r->from && !rc; r++) {
        itsm_transition_def d = ITSM_TRANSITION_DEF_INIT;
        d.from = r->from;
        d.event = r->event;
        d.to = r->to;
        d.guard = r->guard;
        d.stamp = r->stamp;
        d.clear = r->clear;
        d.counts_reopen = r->counts_reopen;
        rc = itsm_policy_add_transition(p, t->kind, &d);
    }
    return rc;
}

int itsm_policy_new_default(itsm_policy **out, const itsm_allocator *alloc)
{
    itsm_policy *p;
    if (!out)
        return ITSM_EINVAL;
    *out = NULL;
    int rc = itsm_policy_new_empty(&p, alloc);
    if (rc)
        return rc;
    for (size_t i = 0; i < sizeof tables / sizeof tables[0] && !rc; i++)
        rc = load_table(p, &tables[i]);
    if (rc) {
        itsm_policy_free(p);
        *out = NULL;
        return rc;
    }
    *out = p;
    return ITSM_OK;
}
