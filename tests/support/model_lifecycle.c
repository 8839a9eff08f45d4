/* SPDX-License-Identifier: Apache-2.0 */
/* The reference model's lifecycles (model_parts.h): the five default
 * lifecycles as tables copied from docs/lifecycles.md, the guards in the
 * documents' notation, and what taking a transition stamps and clears. */
#include "model_parts.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the default lifecycles (docs/lifecycles.md) ---- */

typedef struct mlc {
    const char *const *states;   /* the first is initial */
    const char *closed;          /* the closed states, space-separated */
    const mtrans *tr;
    const char *const *events;
} mlc;

static const char *const inc_states[] = { "new", "assigned", "in_progress", "on_hold", "resolved", "closed",
                                          "canceled", NULL };
static const mtrans inc_tr[] = {
    { "new", "assign", "assigned", "assignment_group", "" },
    { "new", "start", "in_progress", "assignment_group assignee", "responded_at?" },
    { "assigned", "start", "in_progress", "assignee", "responded_at?" },
    { "in_progress", "hold", "on_hold", "hold_reason", "" },
    { "on_hold", "resume", "in_progress", "assignee", "clear" },
    { "in_progress", "resolve", "resolved", "resolution_code resolution_notes", "resolved_at" },
    { "on_hold", "resolve", "resolved", "resolution_code resolution_notes", "resolved_at clear" },
    { "resolved", "reopen", "in_progress", "assignee", "reopen" },
    { "resolved", "confirm", "closed", "category resolution_code resolution_notes assignee knowledge_decision",
      "closed_at" },
    { "resolved", "auto_close", "closed",
      "category resolution_code resolution_notes assignee knowledge_decision major=0", "closed_at" },
    { "*", "cancel", "canceled", "", "closed_at" },
    { "new,assigned,in_progress", "parent_resolved", "resolved", "resolution_code resolution_notes",
      "resolved_at" },
    { "on_hold", "parent_resolved", "resolved", "resolution_code resolution_notes", "resolved_at clear" },
    { NULL, NULL, NULL, NULL, NULL }
};
static const char *const inc_events[] = { "assign", "start", "hold", "resume", "resolve", "reopen", "confirm",
                                          "auto_close", "cancel", "parent_resolved", NULL };

static const char *const req_states[] = { "new", "awaiting_approval", "approved", "rejected", "fulfilling",
                                          "fulfilled", "closed", "canceled", NULL };
static const mtrans req_tr[] = {
    { "new", "submit", "awaiting_approval", "caller service", "" },
    { "awaiting_approval", "approve", "approved", "approved:all", "" },
    { "awaiting_approval", "reject", "rejected", "resolution_notes", "closed_at" },
    { "approved", "fulfil", "fulfilling", "assignment_group", "responded_at?" },
    { "fulfilling", "complete", "fulfilled", "resolution_notes", "resolved_at" },
    { "fulfilled", "close", "closed", "", "closed_at" },
    { "*", "cancel", "canceled", "", "closed_at" },
    { NULL, NULL, NULL, NULL, NULL }
};
static const char *const req_events[] = { "submit", "approve", "reject", "fulfil", "complete", "close", "cancel",
                                          NULL };

static const char *const prb_states[] = { "new", "assessed", "root_cause_analysis", "known_error",
                                          "fix_pending_change", "resolved", "closed", NULL };
static const mtrans prb_tr[] = {
    { "new", "assess", "assessed", "assignee category", "responded_at?" },
    { "assessed", "analyse", "root_cause_analysis", "", "" },
    { "root_cause_analysis", "identify", "known_error", "cause workaround|no_workaround", "" },
    { "known_error", "request_change", "fix_pending_change", "link:change", "" },
    { "known_error", "resolve", "resolved", "resolution_code resolution_notes review:owned", "resolved_at" },
    { "fix_pending_change", "resolve", "resolved", "resolution_code resolution_notes review:owned", "resolved_at" },
    { "resolved", "close", "closed", "review:owned", "closed_at" },
    { "*", "close_without_fix", "closed", "resolution_code close_justification review:owned", "closed_at" },
    { NULL, NULL, NULL, NULL, NULL }
};
static const char *const prb_events[] = { "assess", "analyse", "identify", "request_change", "resolve", "close",
                                          "close_without_fix", NULL };

static const char *const chg_states[] = { "new", "assessed", "authorized", "rejected", "scheduled",
                                          "implementing", "backed_out", "review", "closed", NULL };
static const mtrans chg_tr[] = {
    { "new", "assess", "assessed", "change_type", "" },
    { "new", "schedule", "scheduled", "change_type=standard window:allowed", "" },
    { "assessed", "authorize", "authorized", "assignee risk:assessed approved:all", "" },
    { "assessed", "reject", "rejected", "resolution_notes", "closed_at" },
    { "authorized", "schedule", "scheduled", "window:allowed", "" },
    { "scheduled", "implement", "implementing", "assignee gate:not_shut", "" },
    { "implementing", "complete", "review", "", "resolved_at" },
    { "implementing", "back_out", "backed_out", "resolution_notes", "" },
    { "backed_out", "complete", "review", "", "" },
    { "review", "close", "closed", "resolution_code", "closed_at" },
    { NULL, NULL, NULL, NULL, NULL }
};
static const char *const chg_events[] = { "assess", "schedule", "authorize", "reject", "implement", "complete",
                                          "back_out", "close", NULL };

static const char *const kb_states[] = { "draft", "review", "published", "retired", NULL };
static const mtrans kb_tr[] = {
    { "draft", "submit", "review", "summary", "" },
    { "review", "publish", "published", "summary workaround|resolution_notes|description", "" },
    { "review", "revise", "draft", "", "" },
    { "published", "revise", "draft", "", "" },
    { "published", "retire", "retired", "", "closed_at" },
    { NULL, NULL, NULL, NULL, NULL }
};
static const char *const kb_events[] = { "submit", "publish", "revise", "retire", NULL };

static const mlc lifecycles[ITSM_KIND_COUNT + 1] = {
    { NULL, NULL, NULL, NULL },
    { inc_states, "closed canceled", inc_tr, inc_events },
    { req_states, "rejected closed canceled", req_tr, req_events },
    { prb_states, "closed", prb_tr, prb_events },
    { chg_states, "rejected closed", chg_tr, chg_events },
    { kb_states, "retired", kb_tr, kb_events },
};

const char *const *model_events_of(itsm_kind kind) { return lifecycles[kind].events; }

const char *model_guard(const model *m, int rec, const char *event)
{
    const mtrans *t = model__find_transition(m, rec, event);
    return t ? t->guard : NULL;
}

/* Is `word` one of the space- or comma-separated words of `list`? */
int model__in_list(const char *list, const char *word)
{
    size_t n = strlen(word);
    for (const char *p = list; *p;) {
        size_t k = strcspn(p, " ,");
        if (k == n && !strncmp(p, word, n))
            return 1;
        p += k;
        while (*p == ' ' || *p == ',')
            p++;
    }
    return 0;
}

static int state_index(const mlc *lc, const char *name)
{
    for (int i = 0; lc->states[i]; i++)
        if (!strcmp(lc->states[i], name))
            return i;
    return -1;
}

const char *model_state(const model *m, int rec) { return lifecycles[m->r[rec].kind].states[m->r[rec].state]; }

int model_is_open(const model *m, int rec)
{
    return !model__in_list(lifecycles[m->r[rec].kind].closed, model_state(m, rec));
}

/* ---- guards, in the documents' notation ---- */

static int linked_to(const model *m, int rec, itsm_kind kind)
{
    for (size_t i = 0; i < m->r[rec].nlinks; i++)
        if (m->r[m->r[rec].links[i]].kind == kind)
            return 1;
    return 0;
}

static int guard_term(const model *m, int rec, const model_rec *r, const char *term, size_t len)
{
    char buf[64];
    snprintf(buf, sizeof buf, "%.*s", (int)len, term);
    if (!strcmp(buf, "link:change"))
        return linked_to(m, rec, ITSM_KIND_CHANGE);
    /* The change terms (docs/lifecycles.md). The model takes no approvals,
     * risk answers, plans or handovers, so each holds only where there is
     * nothing to ask for: a standard change needs no approval, only changes
     * are assessed for risk, and no handover means no shut gate. */
    if (!strcmp(buf, "approved:all"))
        return r->kind == ITSM_KIND_CHANGE && r->f[ITSM_F_CHANGE_TYPE].set &&
               !strcmp(r->f[ITSM_F_CHANGE_TYPE].str, "standard");
    if (!strcmp(buf, "risk:assessed"))
        return r->kind != ITSM_KIND_CHANGE;
    if (!strcmp(buf, "window:allowed"))
        return 0;
    if (!strcmp(buf, "gate:not_shut"))
        return 1;
    /* The model opens no post-incident reviews: no action lacks an owner. */
    if (!strcmp(buf, "review:owned"))
        return 1;
    char *alt = buf;
    for (;;) {
        char *bar = strchr(alt, '|');
        if (bar)
            *bar = '\0';
        char *eq = strchr(alt, '=');
        if (eq)
            *eq = '\0';
        itsm_field f;
        if (itsm_field_from_name(&f, alt) == ITSM_OK) {
            const model_value *v = &r->f[f];
            if (!eq && v->set)
                return 1;
            if (eq) {
                itsm_field_type t = itsm_field_type_of(f);
                if (t == ITSM_TYPE_BOOL || t == ITSM_TYPE_INT) {
                    if ((v->set ? v->num : 0) == (int64_t)strtol(eq + 1, NULL, 10))
                        return 1;
                } else if (v->set && !strcmp(v->str, eq + 1)) {
                    return 1;
                }
            }
        }
        if (!bar)
            return 0;
        alt = bar + 1;
    }
}

int model__guard_ok(const model *m, int rec, const model_rec *r, const char *guard)
{
    for (const char *p = guard; *p;) {
        size_t k = strcspn(p, " ");
        if (k && !guard_term(m, rec, r, p, k))
            return 0;
        p += k;
        while (*p == ' ')
            p++;
    }
    return 1;
}

int model__state_needs_owner(const model *m, int rec)
{
    const mlc *lc = &lifecycles[m->r[rec].kind];
    const char *state = model_state(m, rec);
    int ways = 0;
    for (const mtrans *t = lc->tr; t->from; t++) {
        if (strcmp(t->to, state) != 0)
            continue;
        if (!t->guard || !model__in_list(t->guard, "assignee"))
            return 0;
        ways++;
    }
    return ways > 0;
}

const mtrans *model__find_transition(const model *m, int rec, const char *event)
{
    const mlc *lc = &lifecycles[m->r[rec].kind];
    const char *state = model_state(m, rec);
    const mtrans *any = NULL;
    for (const mtrans *t = lc->tr; t->from; t++) {
        if (strcmp(t->event, event) != 0)
            continue;
        if (model__in_list(t->from, state))
            return t;
        if (!strcmp(t->from, "*") && model_is_open(m, rec))
            any = t;
    }
    return any;
}

/* ---- taking a transition ---- */

static void stamp(model_rec *r, itsm_field f, itsm_time now, int only_first)
{
    if (only_first && r->f[f].set)
        return;
    r->f[f].set = 1;
    r->f[f].num = now;
}

/* Apply transition `t` (the changes are in `r` already). */
void model__take(model *m, int rec, const mtrans *t, const model_rec *before, int caller_hold, itsm_time at)
{
    model_rec *r = &m->r[rec];
    const mlc *lc = &lifecycles[r->kind];
    r->state = state_index(lc, t->to);
    if (model__in_list(t->effects, "responded_at?"))
        stamp(r, ITSM_F_RESPONDED_AT, at, 1);
    if (model__in_list(t->effects, "resolved_at"))
        stamp(r, ITSM_F_RESOLVED_AT, at, 0);
    if (model__in_list(t->effects, "closed_at"))
        stamp(r, ITSM_F_CLOSED_AT, at, 0);
    if (model__in_list(t->effects, "clear") && !caller_hold)
        r->f[ITSM_F_HOLD_REASON].set = 0;
    if (model__in_list(t->effects, "reopen")) {
        r->f[ITSM_F_REOPENS].num++;
    }
    /* An incident resolved without a knowledge decision gets one; a
     * reopened one still a candidate is decided again. */
    if (r->kind == ITSM_KIND_INCIDENT && !strcmp(t->to, "resolved") &&
        (!r->f[ITSM_F_KNOWLEDGE_DECISION].set ||
         (r->f[ITSM_F_REOPENS].num > 0 && !strcmp(r->f[ITSM_F_KNOWLEDGE_DECISION].str, "candidate")))) {
        r->f[ITSM_F_KNOWLEDGE_DECISION].set = 1;
        r->f[ITSM_F_KNOWLEDGE_DECISION].str = linked_to(m, rec, ITSM_KIND_KNOWLEDGE) ? "linked" : "candidate";
    }
    int was_stop = !strcmp(lc->states[before->state], "resolved") || !strcmp(lc->states[before->state], "fulfilled");
    int now_stop = model__in_stop_state(m, rec);
    if (now_stop && !was_stop) {
        r->stop_at = at;
        r->auto_close_done = 0;
    } else if (!now_stop) {
        r->stop_at = ITSM_TIME_NONE;
    }
    /* Back from a stop state after a response (a reopen): the next update
     * is owed at the cadence from now. */
    if (was_stop && !now_stop && model_is_open(m, rec) && r->f[ITSM_F_RESPONDED_AT].set) {
        r->nu_from = at;
        r->t[MT_NEXT_UPDATE].start = at;
        r->t[MT_NEXT_UPDATE].breach_fired = 0;
    }
}
