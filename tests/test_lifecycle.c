/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The five default lifecycles, checked against DESIGN.md section 3.
 *
 * The expected lifecycles are written out below as data, independently of
 * src/policy/policy_default.c, and the engine's behaviour is compared with them:
 *
 *   - every expected transition is allowed, from every state it leaves
 *     ("*" = every open state), with exactly the expected guard fields set,
 *     and has the expected effects (state, open/closed, stamps, clears,
 *     reopen counter, one stored event, replay gives the same records);
 *   - every guard field, missing, refuses the step with ITSM_EGUARD and a
 *     message naming the state, the event and the field;
 *   - every (state, event) pair the expectation does not allow is refused
 *     with ITSM_ETRANSITION naming the event and the state, and so is an
 *     unknown event in every state;
 *   - a refused step leaves the record exactly as it was and stores nothing;
 *   - closed records refuse updates and notes (ITSM_ESTATE);
 *   - the default policy declares exactly the expected states, events and
 *     transitions (read from its own JSON document).
 *
 * The generated cases get names that state their rule, e.g.
 * "incident_resolve_from_on_hold_needs_resolution_code".
 */
#include "support.h"
#include "kit/json.h"   /* src/kit/json.h: the reader, to inspect the default document */
#include "kit/sha256.h" /* the chain link of an event the test stores itself */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---- the expected lifecycles (DESIGN.md section 3) ----------------------- */

enum {
    X_RESPONDED   = 1u << 0,   /* stamps responded_at, only if still unset */
    X_RESOLVED    = 1u << 1,   /* stamps resolved_at */
    X_CLOSED      = 1u << 2,   /* stamps closed_at */
    X_CLEARS_HOLD = 1u << 3,   /* clears hold_reason */
    X_REOPEN      = 1u << 4    /* counts a reopen */
};

typedef struct xstate { const char *name; int initial, closed; } xstate;

typedef struct xrow {
    const char *from, *event, *to;   /* from "*": every open state */
    const char *needs[6];            /* each of these must be set */
    const char *any[4];              /* at least one of these must be set */
    const char *eq_field;            /* eq_field must equal eq_value ... */
    const char *eq_value;
    const char *eq_wrong;            /* ... and this value of it is refused */
    itsm_kind   link;                /* a related link to a record of this kind; 0: none */
    unsigned    fx;
    const char *terms[4];            /* capability guard terms (approved:all, risk:assessed, ...) */
} xrow;

typedef struct xlifecycle {
    itsm_kind           kind;
    const xstate       *states;
    const char *const  *events;
    const xrow         *rows;
} xlifecycle;

#define T(f, e, t) .from = f, .event = e, .to = t
#define CLOSURE_CHECKLIST "category", "resolution_code", "resolution_notes", "assignee", "knowledge_decision"

/* Incident: new -> assigned -> in_progress <-> on_hold -> resolved -> closed;
 * resolved -> in_progress (reopen, counted); any open state -> canceled.
 * assigned needs a group, in_progress an assignee (on every way in),
 * resolved a resolution code and notes, closed the confirmation or the
 * auto-close timer (never for a major incident) and the closure checklist. */
static const xstate incident_states[] = {
    { "new", 1, 0 }, { "assigned", 0, 0 }, { "in_progress", 0, 0 }, { "on_hold", 0, 0 },
    { "resolved", 0, 0 }, { "closed", 0, 1 }, { "canceled", 0, 1 }, { NULL, 0, 0 }
};
static const char *const incident_events[] = {
    "assign", "start", "hold", "resume", "resolve", "reopen", "confirm", "auto_close", "cancel",
    "parent_resolved", NULL
};
static const xrow incident_rows[] = {
    { T("new", "assign", "assigned"), .needs = { "assignment_group" } },
    { T("new", "start", "in_progress"), .needs = { "assignment_group", "assignee" }, .fx = X_RESPONDED },
    { T("assigned", "start", "in_progress"), .needs = { "assignee" }, .fx = X_RESPONDED },
    { T("in_progress", "hold", "on_hold"), .needs = { "hold_reason" } },
    { T("on_hold", "resume", "in_progress"), .needs = { "assignee" }, .fx = X_CLEARS_HOLD },
    { T("in_progress", "resolve", "resolved"), .needs = { "resolution_code", "resolution_notes" },
      .fx = X_RESOLVED },
    { T("on_hold", "resolve", "resolved"), .needs = { "resolution_code", "resolution_notes" },
      .fx = X_RESOLVED | X_CLEARS_HOLD },
    { T("resolved", "reopen", "in_progress"), .needs = { "assignee" }, .fx = X_REOPEN },
    { T("resolved", "confirm", "closed"), .needs = { CLOSURE_CHECKLIST }, .fx = X_CLOSED },
    { T("resolved", "auto_close", "closed"), .needs = { CLOSURE_CHECKLIST },
      .eq_field = "major", .eq_value = "0", .eq_wrong = "1", .fx = X_CLOSED },
    { T("*", "cancel", "canceled"), .fx = X_CLOSED },
    /* DESIGN 5: resolving a major incident resolves its children with its
     * resolution, from whatever open state each child is in. */
    { T("new", "parent_resolved", "resolved"), .needs = { "resolution_code", "resolution_notes" },
      .fx = X_RESOLVED },
    { T("assigned", "parent_resolved", "resolved"), .needs = { "resolution_code", "resolution_notes" },
      .fx = X_RESOLVED },
    { T("in_progress", "parent_resolved", "resolved"), .needs = { "resolution_code", "resolution_notes" },
      .fx = X_RESOLVED },
    { T("on_hold", "parent_resolved", "resolved"), .needs = { "resolution_code", "resolution_notes" },
      .fx = X_RESOLVED | X_CLEARS_HOLD },
    { NULL, NULL, NULL, { NULL }, { NULL }, NULL, NULL, NULL, 0, 0, { NULL } }
};

/* Service request: new -> awaiting_approval -> approved | rejected ->
 * fulfilling -> fulfilled -> closed; canceled. */
static const xstate request_states[] = {
    { "new", 1, 0 }, { "awaiting_approval", 0, 0 }, { "approved", 0, 0 }, { "rejected", 0, 1 },
    { "fulfilling", 0, 0 }, { "fulfilled", 0, 0 }, { "closed", 0, 1 }, { "canceled", 0, 1 },
    { NULL, 0, 0 }
};
static const char *const request_events[] = {
    "submit", "approve", "reject", "fulfil", "complete", "close", "cancel", NULL
};
static const xrow request_rows[] = {
    { T("new", "submit", "awaiting_approval"), .needs = { "caller", "service" } },
    /* Approved by someone other than the requester (itsm/approval.h). */
    { T("awaiting_approval", "approve", "approved"), .terms = { "approved:all" } },
    { T("awaiting_approval", "reject", "rejected"), .needs = { "resolution_notes" }, .fx = X_CLOSED },
    { T("approved", "fulfil", "fulfilling"), .needs = { "assignment_group" }, .fx = X_RESPONDED },
    /* Not while a task of its catalogue item is open (itsm/request.h). */
    { T("fulfilling", "complete", "fulfilled"), .needs = { "resolution_notes" }, .terms = { "tasks:done" },
      .fx = X_RESOLVED },
    { T("fulfilled", "close", "closed"), .terms = { "tasks:done" }, .fx = X_CLOSED },
    { T("*", "cancel", "canceled"), .fx = X_CLOSED },
    { NULL, NULL, NULL, { NULL }, { NULL }, NULL, NULL, NULL, 0, 0, { NULL } }
};

/* Problem: new -> assessed -> root_cause_analysis -> known_error (cause and a
 * workaround, or an explicit "no workaround") -> fix_pending_change (needs a
 * linked change) -> resolved -> closed; closed without a fix, from any open
 * state, with the justification. */
static const xstate problem_states[] = {
    { "new", 1, 0 }, { "assessed", 0, 0 }, { "root_cause_analysis", 0, 0 }, { "known_error", 0, 0 },
    { "fix_pending_change", 0, 0 }, { "resolved", 0, 0 }, { "closed", 0, 1 }, { NULL, 0, 0 }
};
static const char *const problem_events[] = {
    "assess", "analyse", "identify", "request_change", "resolve", "close", "close_without_fix", NULL
};
static const xrow problem_rows[] = {
    { T("new", "assess", "assessed"), .needs = { "assignee", "category" }, .fx = X_RESPONDED },
    { T("assessed", "analyse", "root_cause_analysis") },
    { T("root_cause_analysis", "identify", "known_error"), .needs = { "cause" },
      .any = { "workaround", "no_workaround" } },
    { T("known_error", "request_change", "fix_pending_change"), .link = ITSM_KIND_CHANGE },
    { T("known_error", "resolve", "resolved"), .needs = { "resolution_code", "resolution_notes" },
      .fx = X_RESOLVED, .terms = { "review:owned" } },
    { T("fix_pending_change", "resolve", "resolved"), .needs = { "resolution_code", "resolution_notes" },
      .fx = X_RESOLVED, .terms = { "review:owned" } },
    { T("resolved", "close", "closed"), .fx = X_CLOSED, .terms = { "review:owned" } },
    { T("*", "close_without_fix", "closed"), .needs = { "resolution_code", "close_justification" },
      .fx = X_CLOSED, .terms = { "review:owned" } },
    { NULL, NULL, NULL, { NULL }, { NULL }, NULL, NULL, NULL, 0, 0, { NULL } }
};

/* Change: new -> assessed -> authorized | rejected -> scheduled ->
 * implementing -> review -> closed; implementing -> backed_out -> review.
 * A standard change is pre-authorized: it skips assessment. Authorizing
 * needs the risk assessment and the approvals, scheduling a planned window
 * the change schedule allows, going live a gate that is not shut. */
static const xstate change_states[] = {
    { "new", 1, 0 }, { "assessed", 0, 0 }, { "authorized", 0, 0 }, { "rejected", 0, 1 },
    { "scheduled", 0, 0 }, { "implementing", 0, 0 }, { "backed_out", 0, 0 }, { "review", 0, 0 },
    { "closed", 0, 1 }, { NULL, 0, 0 }
};
static const char *const change_events[] = {
    "assess", "authorize", "reject", "schedule", "implement", "complete", "back_out", "close", NULL
};
static const xrow change_rows[] = {
    { T("new", "assess", "assessed"), .needs = { "change_type" } },
    { T("new", "schedule", "scheduled"), .eq_field = "change_type", .eq_value = "standard",
      .eq_wrong = "normal", .terms = { "window:allowed" } },
    { T("assessed", "authorize", "authorized"), .needs = { "assignee" },
      .terms = { "risk:assessed", "approved:all" } },
    { T("assessed", "reject", "rejected"), .needs = { "resolution_notes" }, .fx = X_CLOSED },
    { T("authorized", "schedule", "scheduled"), .terms = { "window:allowed" } },
    /* Going live only through an open operations gate (seed 004). */
    { T("scheduled", "implement", "implementing"), .needs = { "assignee" }, .terms = { "gate:not_shut" } },
    { T("implementing", "complete", "review"), .fx = X_RESOLVED },
    { T("implementing", "back_out", "backed_out"), .needs = { "resolution_notes" } },
    { T("backed_out", "complete", "review") },
    { T("review", "close", "closed"), .needs = { "resolution_code" }, .fx = X_CLOSED },
    { NULL, NULL, NULL, { NULL }, { NULL }, NULL, NULL, NULL, 0, 0, { NULL } }
};

/* Knowledge article: draft -> review -> published -> retired. */
static const xstate knowledge_states[] = {
    { "draft", 1, 0 }, { "review", 0, 0 }, { "published", 0, 0 }, { "retired", 0, 1 }, { NULL, 0, 0 }
};
static const char *const knowledge_events[] = { "submit", "publish", "revise", "retire", NULL };
static const xrow knowledge_rows[] = {
    { T("draft", "submit", "review"), .needs = { "summary" } },
    { T("review", "publish", "published"), .needs = { "summary" },
      .any = { "workaround", "resolution_notes", "description" } },
    { T("review", "revise", "draft") },
    { T("published", "revise", "draft") },
    { T("published", "retire", "retired"), .fx = X_CLOSED },
    { NULL, NULL, NULL, { NULL }, { NULL }, NULL, NULL, NULL, 0, 0, { NULL } }
};

static const xlifecycle expected[] = {
    { ITSM_KIND_INCIDENT, incident_states, incident_events, incident_rows },
    { ITSM_KIND_SERVICE_REQUEST, request_states, request_events, request_rows },
    { ITSM_KIND_PROBLEM, problem_states, problem_events, problem_rows },
    { ITSM_KIND_CHANGE, change_states, change_events, change_rows },
    { ITSM_KIND_KNOWLEDGE, knowledge_states, knowledge_events, knowledge_rows },
};
#define NLC (sizeof expected / sizeof expected[0])

/* ---- helpers over the expectation ---------------------------------------- */

static const xstate *xstate_of(const xlifecycle *lc, const char *name)
{
    for (const xstate *s = lc->states; s->name; s++)
        if (strcmp(s->name, name) == 0)
            return s;
    fail_msg("expected %s lifecycle has no state '%s'", itsm_kind_name(lc->kind), name);
    return NULL;
}

static int row_leaves(const xlifecycle *lc, const xrow *row, const char *state)
{
    if (strcmp(row->from, "*") == 0)
        return !xstate_of(lc, state)->closed;
    return strcmp(row->from, state) == 0;
}

/* The expected transition for (state, event), exact rows before "*". */
static const xrow *xfind(const xlifecycle *lc, const char *state, const char *event)
{
    const xrow *any = NULL;
    for (const xrow *r = lc->rows; r->from; r++) {
        if (strcmp(r->event, event) != 0 || !row_leaves(lc, r, state))
            continue;
        if (strcmp(r->from, "*") != 0)
            return r;
        any = r;
    }
    return any;
}

static itsm_field field_of(const char *name)
{
    itsm_field f;
    if (itsm_field_from_name(&f, name) != ITSM_OK)
        fail_msg("no field '%s'", name);
    return f;
}

/* ---- change lists --------------------------------------------------------- */

typedef struct chg { itsm_change c[ITSM_F__COUNT]; size_t n; } chg;

static itsm_change *chg_slot(chg *l, itsm_field f)
{
    for (size_t i = 0; i < l->n; i++)
        if (l->c[i].field == f)
            return &l->c[i];
    assert_true(l->n < ITSM_F__COUNT);
    l->c[l->n].field = f;
    l->c[l->n].str = NULL;
    l->c[l->n].num = 0;
    return &l->c[l->n++];
}

/* A valid value for a field a guard needs. */
static void chg_fill(chg *l, const char *name)
{
    static const struct { const char *field, *value; } sym[] = {
        { "hold_reason", "awaiting_customer" }, { "change_type", "normal" },
        { "resolution_code", "fix_applied" }, { "knowledge_decision", "not_needed" },
        { "assignment_group", "service_desk" }, { "assignee", "alice" },
        { "category", "email" }, { "caller", "bob" }, { "service", "mail" },
    };
    itsm_field f = field_of(name);
    itsm_change *c = chg_slot(l, f);
    switch (itsm_field_type_of(f)) {
    case ITSM_TYPE_TEXT:
        c->str = "some text";
        break;
    case ITSM_TYPE_SYMBOL:
        c->str = "some_value";
        for (size_t i = 0; i < sizeof sym / sizeof sym[0]; i++)
            if (strcmp(sym[i].field, name) == 0)
                c->str = sym[i].value;
        break;
    case ITSM_TYPE_BOOL:
        c->num = 1;
        break;
    default:
        fail_msg("the expectation guards on field '%s' of an unexpected type", name);
    }
}

/* Unset a field in the same step: NULL for a string, 0 (false) for a bool. */
static void chg_unset(chg *l, const char *name)
{
    itsm_change *c = chg_slot(l, field_of(name));
    c->str = NULL;
    c->num = 0;
}

static void chg_value(chg *l, const char *name, const char *value)
{
    itsm_field f = field_of(name);
    itsm_change *c = chg_slot(l, f);
    if (itsm_field_type_of(f) == ITSM_TYPE_TEXT || itsm_field_type_of(f) == ITSM_TYPE_SYMBOL)
        c->str = value;
    else
        c->num = atoi(value);
}

/* Everything the row's guard needs (the first of an "any" group). */
static void chg_satisfy(chg *l, const xrow *row)
{
    for (int i = 0; row->needs[i]; i++)
        chg_fill(l, row->needs[i]);
    if (row->any[0])
        chg_fill(l, row->any[0]);
    if (row->eq_field)
        chg_value(l, row->eq_field, row->eq_value);
}

static int in_list(const char *const *list, const char *name)
{
    for (; *list; list++)
        if (strcmp(*list, name) == 0)
            return 1;
    return 0;
}

/* Unset every string and bool field the row's guard does not name, so a
 * step that needs more than expected is caught. */
static void chg_only(chg *l, const xrow *row)
{
    for (int f = 0; f < ITSM_F__COUNT; f++) {
        itsm_field_type t = itsm_field_type_of((itsm_field)f);
        const char *name = itsm_field_name((itsm_field)f);
        if (itsm_field_is_engine_owned((itsm_field)f) || t == ITSM_TYPE_INT || t == ITSM_TYPE_TIME)
            continue;
        if (in_list(row->needs, name) || in_list(row->any, name) ||
            (row->eq_field && strcmp(row->eq_field, name) == 0))
            continue;
        chg_unset(l, name);
    }
}

/* ---- driving a record ----------------------------------------------------- */

static itsm_record *open_kind(fixture *f, itsm_kind kind)
{
    itsm_record *r = NULL;
    itsm_record_opts o = ITSM_RECORD_OPTS_INIT;
    o.kind = kind;
    assert_ok(itsm_record_open(&r, f->eng, &o));
    return r;
}

static void link_kind(fixture *f, itsm_record *r, itsm_link_kind how, itsm_kind kind)
{
    itsm_record *other = open_kind(f, kind);
    assert_ok(itsm_record_link(r, how, other));
}

/* ---- capability guard terms ------------------------------------------------ */

/* Make every term of the row hold but `except` (NULL: all), before the
 * step fires: a low-risk assessment, an approval by someone who neither
 * asked for the record nor implements it; an operations gate that was
 * never asked for is not shut. */
static void satisfy_terms(fixture *f, itsm_record *r, const xrow *row, const char *except)
{
    static const char *const answers[][2] = { { "users", "few" }, { "backout", "tested" },
                                              { "experience", "often" }, { "outage", "none" },
                                              { "reach", "one" } };
    for (int i = 0; row->terms[i]; i++) {
        const char *t = row->terms[i];
        if (except && strcmp(t, except) == 0)
            continue;
        f->clock.now += 60;
        if (strcmp(t, "risk:assessed") == 0) {
            for (size_t k = 0; k < sizeof answers / sizeof answers[0]; k++)
                assert_ok(itsm_record_answer_risk(r, answers[k][0], answers[k][1]));
        } else if (strcmp(t, "approved:all") == 0) {
            if (itsm_record_approve(r, NULL, "erin", "fine") != ITSM_OK)
                fail_msg("approving %s: %s", itsm_record_id(r), itsm_errmsg(f->eng));
        } else if (strcmp(t, "window:allowed") == 0) {
            assert_ok(itsm_change_plan(r, f->clock.now + 86400, f->clock.now + 86400 + 7200));
        } else if (strcmp(t, "gate:not_shut") != 0 && strcmp(t, "tasks:done") != 0 &&
                   strcmp(t, "review:owned") != 0) {
            fail_msg("no way to satisfy guard term '%s'", t);
        }
    }
}

/* Make term `t` fail; the message the refusal must carry. */
static const char *break_term(fixture *f, itsm_record *r, const char *t)
{
    if (strcmp(t, "tasks:done") == 0) {
        /* The default catalogue is empty: a stored task list (the event
         * is the truth) gives the request a task that is open. */
        char ev[512], at[32];
        time_t secs = (time_t)f->clock.now;
        strftime(at, sizeof at, "%Y-%m-%dT%H:%M:%SZ", gmtime(&secs));
        snprintf(ev, sizeof ev, "{\"v\":1,\"type\":\"request_tasks\",\"record\":\"%s\",\"kind\":\"service_request\","
                 "\"rev\":%llu,\"at\":\"%s\",\"tasks\":{\"item\":\"laptop\",\"list\":[{\"name\":\"order\","
                 "\"group\":\"procurement\",\"step\":1,\"priority\":0,\"ola_minutes\":0}]}}",
                 itsm_record_id(r), (unsigned long long)itsm_record_revision(r) + 1, at);
        /* The record keeps a hash chain (itsm/integrity.h): the event
         * carries its link, SHA-256(the head || the event as written). */
        char head[65];
        if (itsm_record_chain_head(r, head) == ITSM_OK) {
            unsigned char prev[32], link[32];
            char hex[65];
            assert_ok(itsm__unhex32(head, 64, prev));
            itsm__sha256 h;
            itsm__sha256_init(&h);
            itsm__sha256_update(&h, prev, 32);
            itsm__sha256_update(&h, ev, strlen(ev));
            itsm__sha256_final(&h, link);
            itsm__hex32(link, hex);
            snprintf(ev + strlen(ev) - 1, sizeof ev - strlen(ev) + 1, ",\"hash\":\"%s\"}", hex);
        }
        assert_ok(itsm_engine_replay_json(f->eng, ev, strlen(ev), NULL));
        return "every task closed: 1 of 1 tasks of";
    }
    if (strcmp(t, "gate:not_shut") == 0) {
        itsm_packet *p;
        assert_ok(itsm_packet_new(&p, r, ITSM_PACKET_TO_OPERATIONS));
        assert_ok(itsm_packet_add_deliverable(p, "runbook", "project", "ops_lead", 1));
        assert_ok(itsm_packet_propose(p, f->eng));
        itsm_packet_free(p);
        return "needs the operations gate open, but handover 1 of";
    }
    if (strcmp(t, "review:owned") == 0) {
        /* A major incident linked to the problem, whose post-incident
         * review has an action nobody owns yet. */
        itsm_record *inc = NULL;
        itsm_change c[3] = { { ITSM_F_SUMMARY, "Payments down", 0 }, { ITSM_F_IMPACT, NULL, 1 },
                             { ITSM_F_URGENCY, NULL, 1 } };
        itsm_record_opts o = ITSM_RECORD_OPTS_INIT;
        o.fields = c;
        o.nfields = 3;
        assert_ok(itsm_record_open(&inc, f->eng, &o));
        assert_ok(itsm_major_decide(inc, 1, "mim"));
        assert_ok(itsm_review_open(inc));
        assert_ok(itsm_review_add_action(inc, "alarm", "Alert on disk space", NULL, f->clock.now + 7 * 86400));
        assert_ok(itsm_record_link(r, ITSM_LINK_RELATED, inc));
        return "every review action owned: action 'alarm' (Alert on disk space) of the review of INC-";
    }
    if (strcmp(t, "window:allowed") == 0)
        return "needs a planned window";
    if (strcmp(t, "risk:assessed") == 0)
        return "needs the risk assessment: 5 of 5 questions unanswered";
    if (strcmp(t, "approved:all") == 0)
        return "approved: 0 of 1 approvals";
    fail_msg("no way to break guard term '%s'", t);
    return NULL;
}

static void fire_row(fixture *f, itsm_record *r, const xrow *row)
{
    chg l = { .n = 0 };
    chg_satisfy(&l, row);
    satisfy_terms(f, r, row, NULL);
    if (row->link)
        link_kind(f, r, ITSM_LINK_RELATED, row->link);
    f->clock.now += 60;
    int rc = itsm_record_fire(r, row->event, l.c, l.n);
    if (rc != ITSM_OK)
        fail_msg("driving %s: %s --%s--> %s: %s \"%s\"", itsm_record_id(r), row->from, row->event,
                 row->to, itsm_errname(rc), itsm_errmsg(f->eng));
    assert_string_equal(itsm_record_state(r), row->to);
}

/* Walk a fresh record to `target` along a shortest expected path. */
static void drive(fixture *f, itsm_record *r, const xlifecycle *lc, const char *target)
{
    enum { MAXS = 16 };
    const char *names[MAXS];
    const xrow *via[MAXS];
    int prev[MAXS], seen[MAXS], ns = 0, init = -1;
    for (const xstate *s = lc->states; s->name; s++) {
        assert_true(ns < MAXS);
        if (s->initial)
            init = ns;
        names[ns++] = s->name;
    }
    assert_true(init >= 0);
    assert_string_equal(itsm_record_state(r), names[init]);
    memset(seen, 0, sizeof seen);
    int queue[MAXS], qh = 0, qt = 0, goal = -1;
    seen[init] = 1;
    prev[init] = -1;
    queue[qt++] = init;
    while (qh < qt && goal < 0) {
        int s = queue[qh++];
        if (strcmp(names[s], target) == 0) {
            goal = s;
            break;
        }
        for (const xrow *row = lc->rows; row->from; row++) {
            if (!row_leaves(lc, row, names[s]))
                continue;
            int to = -1;
            for (int i = 0; i < ns; i++)
                if (strcmp(names[i], row->to) == 0)
                    to = i;
            assert_true(to >= 0);
            if (seen[to])
                continue;
            seen[to] = 1;
            prev[to] = s;
            via[to] = row;
            queue[qt++] = to;
        }
    }
    if (goal < 0)
        fail_msg("no expected path to %s '%s'", itsm_kind_name(lc->kind), target);
    const xrow *path[MAXS];
    int np = 0;
    for (int s = goal; prev[s] >= 0; s = prev[s])
        path[np++] = via[s];
    while (np > 0)
        fire_row(f, r, path[--np]);
}

/* ---- generated cases ------------------------------------------------------ */

enum mode { M_ALLOWED, M_GUARD_FIELD, M_GUARD_ANY, M_GUARD_EQ, M_GUARD_LINK, M_GUARD_TERM, M_REFUSED,
            M_UNKNOWN_EVENT, M_CLOSED, M_OFFERED };

typedef struct tcase {
    enum mode          mode;
    const xlifecycle  *lc;
    const xrow        *row;     /* M_ALLOWED, M_GUARD_* */
    const char        *state;   /* the state the record is driven to */
    const char        *event;   /* M_REFUSED */
    const char        *field;   /* M_GUARD_FIELD: the missing field; M_GUARD_TERM: the term */
} tcase;

/* Fire and expect a refusal that changes nothing and stores nothing. */
static void expect_refusal(fixture *f, itsm_record *r, const char *event, const chg *l, int code,
                           const char *needle)
{
    char *before = engine_dump(f->eng);
    size_t stored = f->store.n;
    int appends = f->store.appends;
    uint64_t rev = itsm_record_revision(r);
    f->clock.now += 60;
    assert_fails(f->eng, itsm_record_fire(r, event, l ? l->c : NULL, l ? l->n : 0), code, needle);
    assert_int_equal(itsm_errcode(f->eng), code);
    char *after = engine_dump(f->eng);
    assert_string_equal(before, after);
    assert_int_equal(f->store.n, stored);
    assert_int_equal(f->store.appends, appends);
    assert_int_equal(itsm_record_revision(r), rev);
    free(before);
    free(after);
}

static void run_allowed(const tcase *tc)
{
    const xrow *row = tc->row;
    const xstate *to = xstate_of(tc->lc, row->to);

    /* 1. With exactly what the guard needs: the effects. */
    fixture f;
    fixture_open(&f);
    itsm_record *r = open_kind(&f, tc->lc->kind);
    drive(&f, r, tc->lc, tc->state);
    if (row->link)
        link_kind(&f, r, ITSM_LINK_RELATED, row->link);
    satisfy_terms(&f, r, row, NULL);
    itsm_time responded = itsm_record_int(r, ITSM_F_RESPONDED_AT);
    itsm_time resolved = itsm_record_int(r, ITSM_F_RESOLVED_AT);
    itsm_time closed = itsm_record_int(r, ITSM_F_CLOSED_AT);
    itsm_time opened = itsm_record_int(r, ITSM_F_OPENED_AT);
    int64_t reopens = itsm_record_int(r, ITSM_F_REOPENS);
    int held = itsm_record_has(r, ITSM_F_HOLD_REASON);
    uint64_t rev = itsm_record_revision(r);
    size_t stored = f.store.n;

    chg l = { .n = 0 };
    chg_satisfy(&l, row);
    f.clock.now += 3600;
    itsm_time at = f.clock.now;
    int rc = itsm_record_fire(r, row->event, l.c, l.n);
    if (rc != ITSM_OK)
        fail_msg("%s: %s --%s--> %s refused: %s \"%s\"", itsm_kind_name(tc->lc->kind), tc->state,
                 row->event, row->to, itsm_errname(rc), itsm_errmsg(f.eng));
    assert_string_equal(itsm_record_state(r), row->to);
    assert_int_equal(itsm_record_is_open(r), !to->closed);
    assert_int_equal(itsm_record_revision(r), rev + 1);
    assert_int_equal(f.store.n, stored + 1);
    assert_int_equal(itsm_record_int(r, ITSM_F_UPDATED_AT), at);
    assert_int_equal(itsm_record_int(r, ITSM_F_OPENED_AT), opened);

    itsm_time want_responded = (row->fx & X_RESPONDED) && responded == ITSM_TIME_NONE ? at : responded;
    assert_int_equal(itsm_record_int(r, ITSM_F_RESPONDED_AT), want_responded);
    assert_int_equal(itsm_record_int(r, ITSM_F_RESOLVED_AT), (row->fx & X_RESOLVED) ? at : resolved);
    assert_int_equal(itsm_record_int(r, ITSM_F_CLOSED_AT), (row->fx & X_CLOSED) ? at : closed);
    assert_int_equal(itsm_record_int(r, ITSM_F_REOPENS), reopens + ((row->fx & X_REOPEN) ? 1 : 0));
    if (row->fx & X_CLEARS_HOLD)
        assert_false(itsm_record_has(r, ITSM_F_HOLD_REASON));
    else if (in_list(row->needs, "hold_reason"))
        assert_string_equal(itsm_record_str(r, ITSM_F_HOLD_REASON), "awaiting_customer");
    else
        assert_int_equal(itsm_record_has(r, ITSM_F_HOLD_REASON), held);
    /* The guard fields given with the event were applied with it. */
    for (size_t i = 0; i < l.n; i++)
        if (l.c[i].str)
            assert_string_equal(itsm_record_str(r, l.c[i].field), l.c[i].str);
        else
            assert_int_equal(itsm_record_int(r, l.c[i].field), l.c[i].num);

    char *d = engine_dump(f.eng), *d2 = replay_dump(&f.store);
    assert_string_equal(d, d2);
    free(d);
    free(d2);
    fixture_close(&f);

    /* 2. With every other string and bool field unset: the guard asks for
     * nothing more than expected. Each member of an "any" group alone is
     * enough. */
    int nany = 0;
    while (row->any[nany])
        nany++;
    for (int alt = 0; alt < (nany ? nany : 1); alt++) {
        fixture g;
        fixture_open(&g);
        r = open_kind(&g, tc->lc->kind);
        drive(&g, r, tc->lc, tc->state);
        if (row->link)
            link_kind(&g, r, ITSM_LINK_RELATED, row->link);
        satisfy_terms(&g, r, row, NULL);
        chg m = { .n = 0 };
        chg_only(&m, row);
        chg_satisfy(&m, row);
        if (nany) {
            for (int i = 0; i < nany; i++)
                chg_unset(&m, row->any[i]);
            chg_fill(&m, row->any[alt]);
        }
        rc = itsm_record_fire(r, row->event, m.c, m.n);
        if (rc != ITSM_OK)
            fail_msg("%s: %s --%s--> %s with only its guard fields%s%s: %s \"%s\"",
                     itsm_kind_name(tc->lc->kind), tc->state, row->event, row->to,
                     nany ? " and " : "", nany ? row->any[alt] : "", itsm_errname(rc), itsm_errmsg(g.eng));
        assert_string_equal(itsm_record_state(r), row->to);
        fixture_close(&g);
    }
}

static void run_guard(const tcase *tc)
{
    const xrow *row = tc->row;
    fixture f;
    fixture_open(&f);
    itsm_record *r = open_kind(&f, tc->lc->kind);
    drive(&f, r, tc->lc, tc->state);
    if (row->link && tc->mode != M_GUARD_LINK)
        link_kind(&f, r, ITSM_LINK_RELATED, row->link);
    satisfy_terms(&f, r, row, tc->mode == M_GUARD_TERM ? tc->field : NULL);
    chg l = { .n = 0 };
    chg_satisfy(&l, row);
    char needle[256];
    int off;
    switch (tc->mode) {
    case M_GUARD_TERM: {
        const char *why = break_term(&f, r, tc->field);
        snprintf(needle, sizeof needle, "transition '%s' from '%s' needs ", row->event, tc->state);
        expect_refusal(&f, r, row->event, &l, ITSM_EGUARD, needle);
        expect_refusal(&f, r, row->event, &l, ITSM_EGUARD, why);
        break;
    }
    case M_GUARD_FIELD:
        chg_unset(&l, tc->field);
        snprintf(needle, sizeof needle, "transition '%s' from '%s' needs field '%s'", row->event,
                 tc->state, tc->field);
        expect_refusal(&f, r, row->event, &l, ITSM_EGUARD, needle);
        break;
    case M_GUARD_ANY:
        off = snprintf(needle, sizeof needle, "transition '%s' from '%s' needs field ", row->event,
                       tc->state);
        for (int i = 0; row->any[i]; i++) {
            chg_unset(&l, row->any[i]);
            off += snprintf(needle + off, sizeof needle - (size_t)off, "%s'%s'", i ? " or " : "",
                            row->any[i]);
        }
        expect_refusal(&f, r, row->event, &l, ITSM_EGUARD, needle);
        break;
    case M_GUARD_EQ: {
        itsm_field_type t = itsm_field_type_of(field_of(row->eq_field));
        int is_str = t == ITSM_TYPE_TEXT || t == ITSM_TYPE_SYMBOL;
        if (is_str)
            snprintf(needle, sizeof needle, "transition '%s' from '%s' needs field '%s' = '%s'",
                     row->event, tc->state, row->eq_field, row->eq_value);
        else
            snprintf(needle, sizeof needle, "transition '%s' from '%s' needs field '%s' = %s",
                     row->event, tc->state, row->eq_field, row->eq_value);
        chg_value(&l, row->eq_field, row->eq_wrong);
        expect_refusal(&f, r, row->event, &l, ITSM_EGUARD, needle);
        if (is_str) {   /* unset is no match either */
            chg_unset(&l, row->eq_field);
            expect_refusal(&f, r, row->event, &l, ITSM_EGUARD, needle);
        }
        break;
    }
    case M_GUARD_LINK:
        snprintf(needle, sizeof needle, "transition '%s' from '%s' needs a linked %s", row->event,
                 tc->state, itsm_kind_name(row->link));
        expect_refusal(&f, r, row->event, &l, ITSM_EGUARD, needle);
        /* A link to a record of another kind does not count. */
        link_kind(&f, r, ITSM_LINK_RELATED, row->link == ITSM_KIND_INCIDENT ? ITSM_KIND_PROBLEM
                                                                            : ITSM_KIND_INCIDENT);
        expect_refusal(&f, r, row->event, &l, ITSM_EGUARD, needle);
        break;
    default:
        fail();
    }
    fixture_close(&f);
}

static void run_refused(const tcase *tc)
{
    fixture f;
    fixture_open(&f);
    itsm_record *r = open_kind(&f, tc->lc->kind);
    drive(&f, r, tc->lc, tc->state);
    char needle[256];
    if (tc->mode == M_UNKNOWN_EVENT) {
        /* An event no lifecycle knows, and one the other lifecycles know. */
        snprintf(needle, sizeof needle, "no transition 'no_such_event' from '%s'", tc->state);
        expect_refusal(&f, r, "no_such_event", NULL, ITSM_ETRANSITION, needle);
        const char *foreign = tc->lc->kind == ITSM_KIND_INCIDENT ? "approve" : "hold";
        snprintf(needle, sizeof needle, "no transition '%s' from '%s'", foreign, tc->state);
        expect_refusal(&f, r, foreign, NULL, ITSM_ETRANSITION, needle);
    } else {
        /* Refused even with every field a guard could want. */
        chg l = { .n = 0 };
        for (const xrow *row = tc->lc->rows; row->from; row++)
            if (strcmp(row->event, tc->event) == 0)
                chg_satisfy(&l, row);
        snprintf(needle, sizeof needle, "no transition '%s' from '%s'", tc->event, tc->state);
        expect_refusal(&f, r, tc->event, &l, ITSM_ETRANSITION, needle);
    }
    fixture_close(&f);
}

static void run_closed(const tcase *tc)
{
    fixture f;
    fixture_open(&f);
    itsm_record *r = open_kind(&f, tc->lc->kind);
    drive(&f, r, tc->lc, tc->state);
    assert_false(itsm_record_is_open(r));
    char *before = engine_dump(f.eng);
    size_t stored = f.store.n;
    char needle[128];
    snprintf(needle, sizeof needle, "it is %s", tc->state);
    assert_fails(f.eng, itsm_record_set_str(r, ITSM_F_SUMMARY, "late edit"), ITSM_ESTATE, needle);
    assert_fails(f.eng, itsm_record_set_int(r, ITSM_F_IMPACT, 1), ITSM_ESTATE, needle);
    itsm_note_opts n = ITSM_NOTE_OPTS_INIT;
    n.text = "late note";
    assert_fails(f.eng, itsm_record_add_note(r, &n), ITSM_ESTATE, needle);
    n.kind = ITSM_NOTE_CUSTOMER;
    n.expected_restoration = f.clock.now + 3600;
    n.next_update = f.clock.now + 3600;
    assert_fails(f.eng, itsm_record_add_note(r, &n), ITSM_ESTATE, needle);
    char *after = engine_dump(f.eng);
    assert_string_equal(before, after);
    assert_int_equal(f.store.n, stored);
    free(before);
    free(after);
    fixture_close(&f);
}

/* ---- what can fire now --------------------------------------------------- */

static int has_related(const itsm_record *r, itsm_kind kind)
{
    for (size_t i = 0; i < itsm_record_link_count(r); i++) {
        itsm_link l = { .size = sizeof l };
        assert_ok(itsm_record_link_at(r, i, &l));
        if (l.kind == ITSM_LINK_RELATED && l.target_kind == kind)
            return 1;
    }
    return 0;
}

/* The terms of row's guard the record misses as it is, written as the
 * policy writes them ("a", "a|b", "f=v", "link:kind"), space-separated. */
/* Whether a capability term holds, read through the public API (the
 * records here have no handover: no gate is shut). */
static int term_holds(const itsm_record *r, const char *term)
{
    if (!strcmp(term, "approved:all")) {
        itsm_approval_info ai = { .size = sizeof ai };
        assert_ok(itsm_record_approval(&ai, r));
        return ai.status == ITSM_APPROVAL_APPROVED || ai.status == ITSM_APPROVAL_NONE;
    }
    if (!strcmp(term, "risk:assessed")) {
        itsm_risk_info ri = { .size = sizeof ri };
        assert_ok(itsm_record_risk(&ri, r));
        return !ri.questions || ri.level;
    }
    if (!strcmp(term, "window:allowed")) {
        itsm_time s, e;
        return itsm_change_planned(&s, &e, r) == ITSM_OK;
    }
    if (!strcmp(term, "tasks:done")) {
        for (size_t i = 0; i < itsm_request_task_count(r); i++) {
            itsm_task_info t = { .size = sizeof t };
            assert_ok(itsm_request_task_at(&t, r, i));
            if (t.state == ITSM_TASK_WAITING || t.state == ITSM_TASK_OPEN)
                return 0;
        }
        return 1;
    }
    if (!strcmp(term, "review:owned")) {
        /* the reviews of the record and of the records linked to it */
        for (size_t l = 0; l <= itsm_record_link_count(r); l++) {
            itsm_record *t = (itsm_record *)r;
            if (l) {
                itsm_link k = { .size = sizeof k };
                assert_ok(itsm_record_link_at(r, l - 1, &k));
                assert_ok(itsm_record_find(&t, itsm_record_engine(r), k.target_id));
            }
            itsm_review_info ri = { .size = sizeof ri };
            if (itsm_record_review(&ri, t) == ITSM_OK && ri.unowned_actions)
                return 0;
        }
        return 1;
    }
    return !strcmp(term, "gate:not_shut");
}

static size_t expected_missing(const itsm_record *r, const xrow *row, char *out, size_t cap)
{
    size_t n = 0, off = 0;
    out[0] = '\0';
#define MISS(...) (n++, off += (size_t)snprintf(out + off, cap - off, __VA_ARGS__))
    for (int i = 0; row->needs[i]; i++)
        if (!itsm_record_has(r, field_of(row->needs[i])))
            MISS(" %s", row->needs[i]);
    if (row->any[0]) {
        int any = 0;
        for (int i = 0; row->any[i]; i++)
            any |= itsm_record_has(r, field_of(row->any[i]));
        if (!any) {
            MISS(" ");
            for (int i = 0; row->any[i]; i++)
                off += (size_t)snprintf(out + off, cap - off, "%s%s", i ? "|" : "", row->any[i]);
        }
    }
    if (row->eq_field) {
        itsm_field f = field_of(row->eq_field);
        itsm_field_type t = itsm_field_type_of(f);
        int met = t == ITSM_TYPE_TEXT || t == ITSM_TYPE_SYMBOL
                      ? itsm_record_str(r, f) && !strcmp(itsm_record_str(r, f), row->eq_value)
                      : itsm_record_int(r, f) == atoll(row->eq_value);
        if (!met)
            MISS(" %s=%s", row->eq_field, row->eq_value);
    }
    if (row->link && !has_related(r, row->link))
        MISS(" link:%s", itsm_kind_name(row->link));
    for (int i = 0; row->terms[i]; i++)
        if (!term_holds(r, row->terms[i]))
            MISS(" %s", row->terms[i]);
#undef MISS
    return n;
}

static int same_need(const itsm_guard_need *a, const itsm_guard_need *b)
{
    return a->kind == b->kind && a->term == b->term && a->field == b->field && a->value == b->value &&
           a->link_kind == b->link_kind;
}

/* In every state: the events offered are exactly the expected transitions
 * from it, each with exactly the guard terms the record misses; firing one
 * that misses terms fails naming all of them, with the same terms as data;
 * one that misses none fires. */
static void run_offered(const tcase *tc)
{
    fixture f;
    fixture_open(&f);
    itsm_record *r = open_kind(&f, tc->lc->kind);
    drive(&f, r, tc->lc, tc->state);
    size_t want = 0;
    for (const char *const *ev = tc->lc->events; *ev; ev++)
        want += xfind(tc->lc, tc->state, *ev) != NULL;
    size_t n = itsm_record_allowed_count(r);
    assert_int_equal(n, want);
    for (size_t i = 0; i < n; i++) {
        itsm_allowed_event a = { .size = sizeof a };
        assert_ok(itsm_record_allowed_at(r, i, &a));
        const xrow *row = xfind(tc->lc, tc->state, a.event);
        if (!row)
            fail_msg("%s in %s offers '%s', which the lifecycle does not allow", itsm_kind_name(tc->lc->kind),
                     tc->state, a.event);
        assert_string_equal(a.to_state, row->to);
        char miss[512], got[512] = "";
        size_t nmiss = expected_missing(r, row, miss, sizeof miss), off = 0;
        assert_int_equal(a.nmissing, nmiss);
        for (size_t j = 0; j < a.nmissing; j++) {
            itsm_guard_need need = { .size = sizeof need };
            assert_ok(itsm_record_allowed_need_at(r, i, j, &need));
            off += (size_t)snprintf(got + off, sizeof got - off, " %s", need.term);
            char word[160];
            snprintf(word, sizeof word, " %s ", need.term);
            char padded[520];
            snprintf(padded, sizeof padded, "%s ", miss);
            if (!strstr(padded, word))
                fail_msg("%s --%s-->: need '%s' is not among the expected ones:%s", tc->state, a.event,
                         need.term, miss);
            switch (need.kind) {
            case ITSM_NEED_FIELD: assert_string_equal(need.field, need.term); break;
            case ITSM_NEED_ANY_OF: assert_non_null(strchr(need.term, '|')); break;
            case ITSM_NEED_VALUE: assert_string_equal(need.value, strchr(need.term, '=') + 1); break;
            case ITSM_NEED_LINK: assert_int_equal(need.link_kind, row->link); assert_null(need.field); break;
            case ITSM_NEED_TERM:
                assert_true(!strncmp(need.term, need.field, strlen(need.field)) && need.term[strlen(need.field)] == ':');
                assert_string_equal(need.value, need.term + strlen(need.field) + 1);
                break;
            default: fail_msg("need kind %d", (int)need.kind);
            }
        }
        itsm_guard_need none = { .size = sizeof none };
        assert_int_equal(itsm_record_allowed_need_at(r, i, a.nmissing, &none), ITSM_EINVAL);
        if (a.nmissing) {
            /* Firing it as it is names every term, and gives them as data. */
            char *before = engine_dump(f.eng);
            assert_int_equal(itsm_record_fire(r, a.event, NULL, 0), ITSM_EGUARD);
            char *after = engine_dump(f.eng);
            assert_string_equal(before, after);
            free(before), free(after);
            assert_int_equal(itsm_guard_missing_count(f.eng), a.nmissing);
            for (size_t j = 0; j < a.nmissing; j++) {
                itsm_guard_need x = { .size = sizeof x }, y = { .size = sizeof y };
                assert_ok(itsm_guard_missing_at(f.eng, j, &x));
                assert_ok(itsm_record_allowed_need_at(r, i, j, &y));
                assert_true(same_need(&x, &y));
                const char *name = x.kind == ITSM_NEED_LINK ? itsm_kind_name(x.link_kind) : x.field;
                if (!strstr(itsm_errmsg(f.eng), name))
                    fail_msg("\"%s\" does not name %s", itsm_errmsg(f.eng), name);
            }
        } else {
            /* Nothing missing: it fires as the record is. */
            fixture g;
            fixture_open(&g);
            itsm_record *q = open_kind(&g, tc->lc->kind);
            drive(&g, q, tc->lc, tc->state);
            g.clock.now += 60;
            int rc = itsm_record_fire(q, a.event, NULL, 0);
            if (rc != ITSM_OK)
                fail_msg("%s --%s--> offered as ready: %s \"%s\"", tc->state, a.event, itsm_errname(rc),
                         itsm_errmsg(g.eng));
            assert_string_equal(itsm_record_state(q), row->to);
            fixture_close(&g);
        }
    }
    itsm_allowed_event beyond = { .size = sizeof beyond };
    assert_int_equal(itsm_record_allowed_at(r, n, &beyond), ITSM_EINVAL);
    fixture_close(&f);
}

static void generated(void **state)
{
    const tcase *tc = *state;
    switch (tc->mode) {
    case M_ALLOWED: run_allowed(tc); break;
    case M_GUARD_FIELD:
    case M_GUARD_ANY:
    case M_GUARD_EQ:
    case M_GUARD_LINK:
    case M_GUARD_TERM: run_guard(tc); break;
    case M_REFUSED:
    case M_UNKNOWN_EVENT: run_refused(tc); break;
    case M_CLOSED: run_closed(tc); break;
    case M_OFFERED: run_offered(tc); break;
    }
}

/* ---- the default policy declares exactly the expected lifecycles ---------- */

static const itsm__jval *member(const itsm__jval *obj, const char *key)
{
    const itsm__jval *v = itsm__json_get(obj, key);
    if (!v)
        fail_msg("policy document lacks '%s'", key);
    return v;
}

static const char *str_member(const itsm__jval *obj, const char *key)
{
    const itsm__jval *v = itsm__json_get(obj, key);
    return v && v->type == ITSM__JSTRING ? v->u.str.s : NULL;
}

static int true_member(const itsm__jval *obj, const char *key)
{
    const itsm__jval *v = itsm__json_get(obj, key);
    return v && v->type == ITSM__JTRUE;
}

/* The guard text as a sorted word list, for an order-free comparison. */
static void words_of_guard(const xrow *row, char *out, size_t cap)
{
    const char *w[16];
    char eq[64], any[128];
    int n = 0;
    for (int i = 0; row->needs[i]; i++)
        w[n++] = row->needs[i];
    if (row->any[0]) {
        size_t off = 0;
        for (int i = 0; row->any[i]; i++)
            off += (size_t)snprintf(any + off, sizeof any - off, "%s%s", i ? "|" : "", row->any[i]);
        w[n++] = any;
    }
    if (row->eq_field) {
        snprintf(eq, sizeof eq, "%s=%s", row->eq_field, row->eq_value);
        w[n++] = eq;
    }
    if (row->link) {
        static char lk[32];
        snprintf(lk, sizeof lk, "link:%s", itsm_kind_name(row->link));
        w[n++] = lk;
    }
    for (int i = 0; row->terms[i]; i++)
        w[n++] = row->terms[i];
    for (int i = 1; i < n; i++)
        for (int j = i; j > 0 && strcmp(w[j - 1], w[j]) > 0; j--) {
            const char *t = w[j];
            w[j] = w[j - 1];
            w[j - 1] = t;
        }
    size_t off = 0;
    out[0] = '\0';
    for (int i = 0; i < n; i++)
        off += (size_t)snprintf(out + off, cap - off, "%s%s", i ? " " : "", w[i]);
}

static void sort_words(const char *in, char *out, size_t cap)
{
    char buf[512];
    const char *w[32];
    int n = 0;
    snprintf(buf, sizeof buf, "%s", in ? in : "");
    for (char *tok = strtok(buf, " "); tok && n < 32; tok = strtok(NULL, " "))
        w[n++] = tok;
    for (int i = 1; i < n; i++)
        for (int j = i; j > 0 && strcmp(w[j - 1], w[j]) > 0; j--) {
            const char *t = w[j];
            w[j] = w[j - 1];
            w[j - 1] = t;
        }
    size_t off = 0;
    out[0] = '\0';
    for (int i = 0; i < n; i++)
        off += (size_t)snprintf(out + off, cap - off, "%s%s", i ? " " : "", w[i]);
}

static void default_policy_declares_exactly_the_expected_lifecycles(void **state)
{
    (void)state;
    itsm_policy *p;
    assert_ok(itsm_policy_new_default(&p, NULL));
    assert_int_equal(itsm_policy_check(p), 0);
    size_t len;
    assert_int_equal(itsm_policy_to_json(p, NULL, 0, &len), ITSM_ELIMIT);
    char *text = malloc(len + 1);
    assert_ok(itsm_policy_to_json(p, text, len + 1, &len));
    itsm__jdoc *doc;
    itsm_parse_error err;
    assert_ok(itsm__json_parse(&doc, text, len, NULL, NULL, &err));
    const itsm__jval *lcs = member(itsm__jdoc_root(doc), "lifecycles");
    assert_int_equal(lcs->u.obj.n, NLC);
    for (size_t k = 0; k < NLC; k++) {
        const xlifecycle *lc = &expected[k];
        const char *kn = itsm_kind_name(lc->kind);
        const itsm__jval *jl = member(lcs, kn);
        const itsm__jval *states = member(jl, "states");
        const itsm__jval *events = member(jl, "events");
        const itsm__jval *trans = member(jl, "transitions");

        size_t ns = 0;
        for (const xstate *s = lc->states; s->name; s++, ns++) {
            int found = 0;
            for (size_t i = 0; i < states->u.arr.n; i++) {
                const itsm__jval *js = &states->u.arr.items[i];
                if (strcmp(str_member(js, "name"), s->name) != 0)
                    continue;
                found = 1;
                if (true_member(js, "initial") != s->initial || true_member(js, "closed") != s->closed)
                    fail_msg("%s: state '%s' has the wrong initial/closed flags", kn, s->name);
            }
            if (!found)
                fail_msg("%s: the default policy lacks state '%s'", kn, s->name);
        }
        if (states->u.arr.n != ns)
            fail_msg("%s: the default policy has %zu states, DESIGN.md has %zu", kn, states->u.arr.n, ns);

        size_t ne = 0;
        for (const char *const *e = lc->events; *e; e++, ne++) {
            int found = 0;
            for (size_t i = 0; i < events->u.arr.n; i++)
                found |= strcmp(events->u.arr.items[i].u.str.s, *e) == 0;
            if (!found)
                fail_msg("%s: the default policy lacks event '%s'", kn, *e);
        }
        if (events->u.arr.n != ne)
            fail_msg("%s: the default policy has %zu events, expected %zu", kn, events->u.arr.n, ne);

        size_t nr = 0;
        for (const xrow *row = lc->rows; row->from; row++, nr++) {
            const itsm__jval *jt = NULL;
            for (size_t i = 0; i < trans->u.arr.n; i++) {
                const itsm__jval *c = &trans->u.arr.items[i];
                if (strcmp(str_member(c, "from"), row->from) == 0 &&
                    strcmp(str_member(c, "event"), row->event) == 0)
                    jt = c;
            }
            if (!jt)
                fail_msg("%s: the default policy lacks %s --%s-->", kn, row->from, row->event);
            if (strcmp(str_member(jt, "to"), row->to) != 0)
                fail_msg("%s: %s --%s--> goes to '%s', expected '%s'", kn, row->from, row->event,
                         str_member(jt, "to"), row->to);
            char want[512], got[512];
            words_of_guard(row, want, sizeof want);
            sort_words(str_member(jt, "guard"), got, sizeof got);
            if (strcmp(want, got) != 0)
                fail_msg("%s: %s --%s--> guard is \"%s\", expected \"%s\"", kn, row->from, row->event,
                         got, want);
            /* Effects: "?" keeps responded_at to the first response. */
            snprintf(want, sizeof want, "%s%s%s", (row->fx & X_RESPONDED) ? "responded_at? " : "",
                     (row->fx & X_RESOLVED) ? "resolved_at " : "", (row->fx & X_CLOSED) ? "closed_at " : "");
            sort_words(want, want, sizeof want);
            sort_words(str_member(jt, "stamp"), got, sizeof got);
            if (strcmp(want, got) != 0)
                fail_msg("%s: %s --%s--> stamps \"%s\", expected \"%s\"", kn, row->from, row->event, got,
                         want);
            sort_words(str_member(jt, "clear"), got, sizeof got);
            assert_string_equal(got, (row->fx & X_CLEARS_HOLD) ? "hold_reason" : "");
            assert_int_equal(true_member(jt, "counts_reopen"), (row->fx & X_REOPEN) != 0);
        }
        if (trans->u.arr.n != nr)
            fail_msg("%s: the default policy has %zu transitions, expected %zu", kn, trans->u.arr.n, nr);
    }
    itsm__jdoc_free(doc);
    free(text);
    itsm_policy_free(p);
}

/* ---- rules stated by hand ------------------------------------------------- */

static itsm_record *open_incident(fixture *f)
{
    itsm_change init[] = { { ITSM_F_SUMMARY, "Mail down", 0 }, { ITSM_F_CATEGORY, "email", 0 } };
    itsm_record_opts o = ITSM_RECORD_OPTS_INIT;
    o.fields = init;
    o.nfields = 2;
    itsm_record *r;
    assert_ok(itsm_record_open(&r, f->eng, &o));
    return r;
}

static void fire1(fixture *f, itsm_record *r, const char *event, itsm_field field, const char *value)
{
    itsm_change c = { field, value, 0 };
    f->clock.now += 600;
    assert_ok(itsm_record_fire(r, event, &c, 1));
}

static void fire2(fixture *f, itsm_record *r, const char *event)
{
    itsm_change c[] = { { ITSM_F_RESOLUTION_CODE, "fixed", 0 }, { ITSM_F_RESOLUTION_NOTES, "restarted", 0 } };
    f->clock.now += 600;
    assert_ok(itsm_record_fire(r, event, c, 2));
}

static void incident_responded_at_is_stamped_once_resolved_at_on_every_resolve(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *r = open_incident(&f);
    assert_int_equal(itsm_record_int(r, ITSM_F_RESPONDED_AT), ITSM_TIME_NONE);
    fire1(&f, r, "assign", ITSM_F_ASSIGNMENT_GROUP, "service_desk");
    assert_int_equal(itsm_record_int(r, ITSM_F_RESPONDED_AT), ITSM_TIME_NONE);
    fire1(&f, r, "start", ITSM_F_ASSIGNEE, "alice");
    itsm_time first = f.clock.now;
    assert_int_equal(itsm_record_int(r, ITSM_F_RESPONDED_AT), first);
    fire1(&f, r, "hold", ITSM_F_HOLD_REASON, "awaiting_customer");
    assert_ok(itsm_record_fire(r, "resume", NULL, 0));
    fire2(&f, r, "resolve");
    itsm_time resolved1 = f.clock.now;
    assert_int_equal(itsm_record_int(r, ITSM_F_RESOLVED_AT), resolved1);
    f.clock.now += 600;
    assert_ok(itsm_record_fire(r, "reopen", NULL, 0));
    assert_int_equal(itsm_record_int(r, ITSM_F_REOPENS), 1);
    assert_int_equal(itsm_record_int(r, ITSM_F_RESOLVED_AT), resolved1);   /* history kept */
    fire2(&f, r, "resolve");
    assert_int_equal(itsm_record_int(r, ITSM_F_RESOLVED_AT), f.clock.now);
    f.clock.now += 600;
    assert_ok(itsm_record_fire(r, "reopen", NULL, 0));
    assert_int_equal(itsm_record_int(r, ITSM_F_REOPENS), 2);
    fire2(&f, r, "resolve");
    assert_int_equal(itsm_record_int(r, ITSM_F_RESPONDED_AT), first);
    assert_int_equal(itsm_record_int(r, ITSM_F_CLOSED_AT), ITSM_TIME_NONE);
    fire1(&f, r, "confirm", ITSM_F_KNOWLEDGE_DECISION, "not_needed");
    assert_string_equal(itsm_record_state(r), "closed");
    assert_int_equal(itsm_record_int(r, ITSM_F_CLOSED_AT), f.clock.now);
    assert_int_equal(itsm_record_int(r, ITSM_F_RESPONDED_AT), first);
    assert_int_equal(itsm_record_int(r, ITSM_F_REOPENS), 2);
    char *d = engine_dump(f.eng), *d2 = replay_dump(&f.store);
    assert_string_equal(d, d2);
    free(d);
    free(d2);
    fixture_close(&f);
}

static void stamp_with_question_mark_is_set_only_while_unset(void **state)
{
    (void)state;
    itsm_policy *p;
    assert_ok(itsm_policy_new_default(&p, NULL));
    assert_ok(itsm_policy_lifecycle_clear(p, ITSM_KIND_KNOWLEDGE));
    assert_ok(itsm_policy_add_state(p, ITSM_KIND_KNOWLEDGE, "draft", ITSM_STATE_INITIAL));
    assert_ok(itsm_policy_add_state(p, ITSM_KIND_KNOWLEDGE, "gone", ITSM_STATE_CLOSED));
    assert_ok(itsm_policy_add_event(p, ITSM_KIND_KNOWLEDGE, "touch"));
    assert_ok(itsm_policy_add_event(p, ITSM_KIND_KNOWLEDGE, "drop"));
    itsm_transition_def d = ITSM_TRANSITION_DEF_INIT;
    d.from = "draft";
    d.event = "touch";
    d.to = "draft";
    d.stamp = "responded_at? resolved_at";
    assert_ok(itsm_policy_add_transition(p, ITSM_KIND_KNOWLEDGE, &d));
    d.event = "drop";
    d.to = "gone";
    d.stamp = "closed_at";
    assert_ok(itsm_policy_add_transition(p, ITSM_KIND_KNOWLEDGE, &d));

    vclock clock = { T0 };
    itsm_engine_opts o = ITSM_ENGINE_OPTS_INIT;
    o.policy = p;
    o.clock = vclock_read;
    o.clock_user = &clock;
    itsm_engine *eng;
    assert_ok(itsm_engine_new(&eng, &o));
    itsm_record_opts ro = ITSM_RECORD_OPTS_INIT;
    ro.kind = ITSM_KIND_KNOWLEDGE;
    itsm_record *r;
    assert_ok(itsm_record_open(&r, eng, &ro));
    clock.now = T0 + 10;
    assert_ok(itsm_record_fire(r, "touch", NULL, 0));
    assert_int_equal(itsm_record_int(r, ITSM_F_RESPONDED_AT), T0 + 10);
    assert_int_equal(itsm_record_int(r, ITSM_F_RESOLVED_AT), T0 + 10);
    clock.now = T0 + 20;
    assert_ok(itsm_record_fire(r, "touch", NULL, 0));
    assert_int_equal(itsm_record_int(r, ITSM_F_RESPONDED_AT), T0 + 10);
    assert_int_equal(itsm_record_int(r, ITSM_F_RESOLVED_AT), T0 + 20);
    clock.now = T0 + 30;
    assert_ok(itsm_record_fire(r, "drop", NULL, 0));
    assert_int_equal(itsm_record_int(r, ITSM_F_CLOSED_AT), T0 + 30);
    itsm_engine_free(eng);
    itsm_policy_free(p);
}

static void incident_hold_after_resume_needs_a_fresh_reason(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *r = open_incident(&f);
    itsm_change s[] = { { ITSM_F_ASSIGNMENT_GROUP, "service_desk", 0 }, { ITSM_F_ASSIGNEE, "alice", 0 } };
    assert_ok(itsm_record_fire(r, "start", s, 2));
    fire1(&f, r, "hold", ITSM_F_HOLD_REASON, "awaiting_supplier");
    assert_string_equal(itsm_record_str(r, ITSM_F_HOLD_REASON), "awaiting_supplier");
    assert_ok(itsm_record_fire(r, "resume", NULL, 0));
    assert_null(itsm_record_str(r, ITSM_F_HOLD_REASON));
    expect_refusal(&f, r, "hold", NULL, ITSM_EGUARD,
                   "transition 'hold' from 'in_progress' needs field 'hold_reason'");
    fire1(&f, r, "hold", ITSM_F_HOLD_REASON, "awaiting_change");
    assert_string_equal(itsm_record_state(r), "on_hold");
    fixture_close(&f);
}

/* A field the caller sets in the same step wins over the step's clear. */
static void incident_resume_keeps_a_reason_given_in_the_same_step(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *r = open_incident(&f);
    itsm_change s[] = { { ITSM_F_ASSIGNMENT_GROUP, "service_desk", 0 }, { ITSM_F_ASSIGNEE, "alice", 0 } };
    assert_ok(itsm_record_fire(r, "start", s, 2));
    fire1(&f, r, "hold", ITSM_F_HOLD_REASON, "awaiting_customer");
    fire1(&f, r, "resume", ITSM_F_HOLD_REASON, "awaiting_supplier");
    assert_string_equal(itsm_record_state(r), "in_progress");
    assert_string_equal(itsm_record_str(r, ITSM_F_HOLD_REASON), "awaiting_supplier");
    fixture_close(&f);
}

static void walk_incident_to_resolved(fixture *f, itsm_record *r)
{
    itsm_change s[] = { { ITSM_F_ASSIGNMENT_GROUP, "service_desk", 0 }, { ITSM_F_ASSIGNEE, "alice", 0 } };
    assert_ok(itsm_record_fire(r, "start", s, 2));
    fire2(f, r, "resolve");
    assert_ok(itsm_record_set_str(r, ITSM_F_KNOWLEDGE_DECISION, "not_needed"));
}

static void incident_auto_close_is_refused_for_a_major_incident(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *r = open_incident(&f);
    walk_incident_to_resolved(&f, r);
    assert_ok(itsm_record_set_int(r, ITSM_F_MAJOR, 1));
    expect_refusal(&f, r, "auto_close", NULL, ITSM_EGUARD,
                   "transition 'auto_close' from 'resolved' needs field 'major' = 0");
    /* The customer's confirmation still closes it. */
    assert_ok(itsm_record_fire(r, "confirm", NULL, 0));
    assert_string_equal(itsm_record_state(r), "closed");
    fixture_close(&f);

    /* An incident that is not (or no longer) major closes by the timer. */
    fixture_open(&f);
    r = open_incident(&f);
    walk_incident_to_resolved(&f, r);
    assert_ok(itsm_record_set_int(r, ITSM_F_MAJOR, 1));
    assert_ok(itsm_record_set_int(r, ITSM_F_MAJOR, 0));
    assert_ok(itsm_record_fire(r, "auto_close", NULL, 0));
    assert_string_equal(itsm_record_state(r), "closed");
    fixture_close(&f);
}

static void incident_close_needs_the_whole_closure_checklist(void **state)
{
    (void)state;
    fixture f;
    /* With knowledge candidates on (the default), resolving records the
     * knowledge decision in the resolve step itself (DESIGN.md section 7), so
     * the guard is exercised with them off. */
    itsm_policy *p;
    assert_ok(itsm_policy_new_default(&p, NULL));
    assert_ok(itsm_policy_set_closure(p, 259200, 100, 0));
    memset(&f, 0, sizeof f);
    f.clock.now = T0;
    memstore_init(&f.store);
    itsm_engine_opts o = ITSM_ENGINE_OPTS_INIT;
    o.policy = p;
    o.store = &memstore_methods;
    o.store_user = &f.store;
    o.clock = vclock_read;
    o.clock_user = &f.clock;
    assert_ok(itsm_engine_new(&f.eng, &o));
    itsm_policy_free(p);
    itsm_record *r = open_incident(&f);
    itsm_change s[] = { { ITSM_F_ASSIGNMENT_GROUP, "service_desk", 0 }, { ITSM_F_ASSIGNEE, "alice", 0 } };
    assert_ok(itsm_record_fire(r, "start", s, 2));
    fire2(&f, r, "resolve");
    assert_null(itsm_record_str(r, ITSM_F_KNOWLEDGE_DECISION));
    expect_refusal(&f, r, "confirm", NULL, ITSM_EGUARD,
                   "transition 'confirm' from 'resolved' needs field 'knowledge_decision'");
    expect_refusal(&f, r, "auto_close", NULL, ITSM_EGUARD,
                   "transition 'auto_close' from 'resolved' needs field 'knowledge_decision'");
    fire1(&f, r, "confirm", ITSM_F_KNOWLEDGE_DECISION, "candidate");
    assert_string_equal(itsm_record_state(r), "closed");
    fixture_close(&f);
}

static itsm_record *open_change(fixture *f, const char *type)
{
    itsm_change init[] = { { ITSM_F_CHANGE_TYPE, type, 0 } };
    itsm_record_opts o = ITSM_RECORD_OPTS_INIT;
    o.kind = ITSM_KIND_CHANGE;
    o.fields = type ? init : NULL;
    o.nfields = type ? 1 : 0;
    itsm_record *r;
    assert_ok(itsm_record_open(&r, f->eng, &o));
    return r;
}

static void change_standard_change_skips_assessment(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *r = open_change(&f, "standard");
    assert_ok(itsm_change_plan(r, f.clock.now + 3600, f.clock.now + 7200));
    assert_ok(itsm_record_fire(r, "schedule", NULL, 0));
    assert_string_equal(itsm_record_state(r), "scheduled");
    /* Given in the same step, the type counts too. */
    r = open_change(&f, NULL);
    assert_ok(itsm_change_plan(r, f.clock.now + 3600, f.clock.now + 7200));
    itsm_change t = { ITSM_F_CHANGE_TYPE, "standard", 0 };
    assert_ok(itsm_record_fire(r, "schedule", &t, 1));
    assert_string_equal(itsm_record_state(r), "scheduled");
    fixture_close(&f);
}

static void change_normal_and_emergency_changes_cannot_skip_assessment(void **state)
{
    (void)state;
    const char *types[] = { "normal", "emergency", NULL };
    for (int i = 0; i < 3; i++) {
        fixture f;
        fixture_open(&f);
        itsm_record *r = open_change(&f, types[i]);
        expect_refusal(&f, r, "schedule", NULL, ITSM_EGUARD,
                       "transition 'schedule' from 'new' needs field 'change_type' = 'standard'");
        if (types[i]) {
            assert_ok(itsm_record_fire(r, "assess", NULL, 0));
            assert_string_equal(itsm_record_state(r), "assessed");
        } else {
            expect_refusal(&f, r, "assess", NULL, ITSM_EGUARD,
                           "transition 'assess' from 'new' needs field 'change_type'");
        }
        fixture_close(&f);
    }
}

static itsm_record *problem_at_known_error(fixture *f, itsm_change *extra, size_t nextra, int *rc)
{
    itsm_change init[] = { { ITSM_F_ASSIGNEE, "carol", 0 }, { ITSM_F_CATEGORY, "email", 0 },
                           { ITSM_F_CAUSE, "expired certificate", 0 } };
    itsm_record_opts o = ITSM_RECORD_OPTS_INIT;
    o.kind = ITSM_KIND_PROBLEM;
    o.fields = init;
    o.nfields = 3;
    itsm_record *r;
    assert_ok(itsm_record_open(&r, f->eng, &o));
    assert_ok(itsm_record_fire(r, "assess", NULL, 0));
    assert_ok(itsm_record_fire(r, "analyse", NULL, 0));
    *rc = itsm_record_fire(r, "identify", extra, nextra);
    return r;
}

static void problem_known_error_needs_a_workaround_or_an_explicit_none(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    int rc;
    itsm_change wa = { ITSM_F_WORKAROUND, "restart the relay", 0 };
    itsm_record *r = problem_at_known_error(&f, &wa, 1, &rc);
    assert_int_equal(rc, ITSM_OK);
    assert_string_equal(itsm_record_state(r), "known_error");

    itsm_change none = { ITSM_F_NO_WORKAROUND, NULL, 1 };
    r = problem_at_known_error(&f, &none, 1, &rc);
    assert_int_equal(rc, ITSM_OK);
    assert_string_equal(itsm_record_state(r), "known_error");

    /* An explicit "no workaround" must be true; false is not a decision. */
    itsm_change no = { ITSM_F_NO_WORKAROUND, NULL, 0 };
    r = problem_at_known_error(&f, &no, 1, &rc);
    assert_int_equal(rc, ITSM_EGUARD);
    assert_non_null(strstr(itsm_errmsg(f.eng),
                           "transition 'identify' from 'root_cause_analysis' needs field 'workaround' or 'no_workaround'"));
    assert_string_equal(itsm_record_state(r), "root_cause_analysis");
    assert_false(itsm_record_has(r, ITSM_F_NO_WORKAROUND));
    fixture_close(&f);
}

static void problem_fix_pending_change_needs_a_related_change(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    int rc;
    itsm_change wa = { ITSM_F_WORKAROUND, "restart the relay", 0 };
    itsm_record *r = problem_at_known_error(&f, &wa, 1, &rc);
    assert_int_equal(rc, ITSM_OK);
    const char *needle = "transition 'request_change' from 'known_error' needs a linked change";
    expect_refusal(&f, r, "request_change", NULL, ITSM_EGUARD, needle);
    link_kind(&f, r, ITSM_LINK_RELATED, ITSM_KIND_INCIDENT);
    expect_refusal(&f, r, "request_change", NULL, ITSM_EGUARD, needle);
    /* Parent and child links are not "related". */
    link_kind(&f, r, ITSM_LINK_CHILD, ITSM_KIND_CHANGE);
    link_kind(&f, r, ITSM_LINK_PARENT, ITSM_KIND_CHANGE);
    expect_refusal(&f, r, "request_change", NULL, ITSM_EGUARD, needle);
    /* Linked from the change's side, both ends are related. */
    itsm_record *chg = open_change(&f, "normal");
    assert_ok(itsm_record_link(chg, ITSM_LINK_RELATED, r));
    assert_ok(itsm_record_fire(r, "request_change", NULL, 0));
    assert_string_equal(itsm_record_state(r), "fix_pending_change");
    fixture_close(&f);
}

static void fields_given_with_a_refused_event_are_not_applied(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *r = open_incident(&f);
    itsm_change s[] = { { ITSM_F_ASSIGNMENT_GROUP, "service_desk", 0 }, { ITSM_F_ASSIGNEE, "alice", 0 } };
    assert_ok(itsm_record_fire(r, "start", s, 2));
    chg l = { .n = 0 };
    chg_fill(&l, "resolution_code");
    chg_fill(&l, "description");
    chg_value(&l, "impact", "1");   /* would derive a priority */
    expect_refusal(&f, r, "resolve", &l, ITSM_EGUARD,
                   "transition 'resolve' from 'in_progress' needs field 'resolution_notes'");
    assert_false(itsm_record_has(r, ITSM_F_RESOLUTION_CODE));
    assert_false(itsm_record_has(r, ITSM_F_PRIORITY));
    /* A transition that does not exist does not apply its fields either. */
    expect_refusal(&f, r, "assign", &l, ITSM_ETRANSITION, "no transition 'assign' from 'in_progress'");
    assert_false(itsm_record_has(r, ITSM_F_DESCRIPTION));
    fixture_close(&f);
}

static void fire_rejects_null_event_and_engine_owned_fields(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *r = open_incident(&f);
    char *before = engine_dump(f.eng);
    assert_fails(f.eng, itsm_record_fire(r, NULL, NULL, 0), ITSM_EINVAL, "event");
    itsm_change c[] = { { ITSM_F_ASSIGNMENT_GROUP, "service_desk", 0 }, { ITSM_F_RESOLVED_AT, NULL, T0 } };
    assert_fails(f.eng, itsm_record_fire(r, "assign", c, 2), ITSM_EINVAL, "resolved_at");
    assert_int_equal(itsm_record_fire(NULL, "assign", NULL, 0), ITSM_EINVAL);
    char *after = engine_dump(f.eng);
    assert_string_equal(before, after);
    assert_string_equal(itsm_record_state(r), "new");
    free(before);
    free(after);
    fixture_close(&f);
}

/* ---- main: build the generated cases -------------------------------------- */

typedef struct suite {
    struct CMUnitTest *tests;
    tcase **cases;
    char **names;
    size_t n, cap;
} suite;

static void add(suite *s, const char *name, CMUnitTestFunction fn, tcase *tc)
{
    if (s->n == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 256;
        s->tests = realloc(s->tests, s->cap * sizeof *s->tests);
        s->cases = realloc(s->cases, s->cap * sizeof *s->cases);
        s->names = realloc(s->names, s->cap * sizeof *s->names);
        if (!s->tests || !s->cases || !s->names)
            abort();
    }
    char *copy = malloc(strlen(name) + 1);
    if (!copy)
        abort();
    strcpy(copy, name);
    struct CMUnitTest t = { copy, fn, NULL, NULL, tc };
    s->tests[s->n] = t;
    s->cases[s->n] = tc;
    s->names[s->n] = copy;
    s->n++;
}

static tcase *mk(enum mode m, const xlifecycle *lc, const xrow *row, const char *st, const char *ev,
                 const char *field)
{
    tcase *tc = malloc(sizeof *tc);
    if (!tc)
        abort();
    tc->mode = m;
    tc->lc = lc;
    tc->row = row;
    tc->state = st;
    tc->event = ev;
    tc->field = field;
    return tc;
}

#define ADD_STATIC(s, fn) add(s, #fn, fn, NULL)

int main(void)
{
    suite s = { NULL, NULL, NULL, 0, 0 };
    char name[256];
    for (size_t k = 0; k < NLC; k++) {
        const xlifecycle *lc = &expected[k];
        const char *kn = itsm_kind_name(lc->kind);
        for (const xrow *row = lc->rows; row->from; row++) {
            for (const xstate *st = lc->states; st->name; st++) {
                if (!row_leaves(lc, row, st->name))
                    continue;
                /* An exact row for this state shadows "*". */
                if (xfind(lc, st->name, row->event) != row)
                    continue;
                snprintf(name, sizeof name, "%s_%s_from_%s_goes_to_%s", kn, row->event, st->name, row->to);
                add(&s, name, generated, mk(M_ALLOWED, lc, row, st->name, NULL, NULL));
                for (int i = 0; row->needs[i]; i++) {
                    snprintf(name, sizeof name, "%s_%s_from_%s_needs_%s", kn, row->event, st->name,
                             row->needs[i]);
                    add(&s, name, generated, mk(M_GUARD_FIELD, lc, row, st->name, NULL, row->needs[i]));
                }
                if (row->any[0]) {
                    int off = snprintf(name, sizeof name, "%s_%s_from_%s_needs", kn, row->event, st->name);
                    for (int i = 0; row->any[i]; i++)
                        off += snprintf(name + off, sizeof name - (size_t)off, "%s%s", i ? "_or_" : "_",
                                        row->any[i]);
                    add(&s, name, generated, mk(M_GUARD_ANY, lc, row, st->name, NULL, NULL));
                }
                if (row->eq_field) {
                    snprintf(name, sizeof name, "%s_%s_from_%s_needs_%s_%s", kn, row->event, st->name,
                             row->eq_field, row->eq_value);
                    add(&s, name, generated, mk(M_GUARD_EQ, lc, row, st->name, NULL, NULL));
                }
                if (row->link) {
                    snprintf(name, sizeof name, "%s_%s_from_%s_needs_a_linked_%s", kn, row->event,
                             st->name, itsm_kind_name(row->link));
                    add(&s, name, generated, mk(M_GUARD_LINK, lc, row, st->name, NULL, NULL));
                }
                for (int i = 0; row->terms[i]; i++) {
                    char term[64];
                    snprintf(term, sizeof term, "%s", row->terms[i]);
                    *strchr(term, ':') = '_';
                    snprintf(name, sizeof name, "%s_%s_from_%s_needs_%s", kn, row->event, st->name, term);
                    add(&s, name, generated, mk(M_GUARD_TERM, lc, row, st->name, NULL, row->terms[i]));
                }
            }
        }
        for (const xstate *st = lc->states; st->name; st++) {
            for (const char *const *ev = lc->events; *ev; ev++) {
                if (xfind(lc, st->name, *ev))
                    continue;
                snprintf(name, sizeof name, "%s_%s_refuses_%s", kn, st->name, *ev);
                add(&s, name, generated, mk(M_REFUSED, lc, NULL, st->name, *ev, NULL));
            }
            snprintf(name, sizeof name, "%s_%s_refuses_unknown_events", kn, st->name);
            add(&s, name, generated, mk(M_UNKNOWN_EVENT, lc, NULL, st->name, NULL, NULL));
            snprintf(name, sizeof name, "%s_%s_offers_its_transitions_with_what_each_misses", kn, st->name);
            add(&s, name, generated, mk(M_OFFERED, lc, NULL, st->name, NULL, NULL));
            if (st->closed) {
                snprintf(name, sizeof name, "%s_%s_is_closed_refusing_updates_and_notes", kn, st->name);
                add(&s, name, generated, mk(M_CLOSED, lc, NULL, st->name, NULL, NULL));
            }
        }
    }
    ADD_STATIC(&s, default_policy_declares_exactly_the_expected_lifecycles);
    ADD_STATIC(&s, incident_responded_at_is_stamped_once_resolved_at_on_every_resolve);
    ADD_STATIC(&s, stamp_with_question_mark_is_set_only_while_unset);
    ADD_STATIC(&s, incident_hold_after_resume_needs_a_fresh_reason);
    ADD_STATIC(&s, incident_resume_keeps_a_reason_given_in_the_same_step);
    ADD_STATIC(&s, incident_auto_close_is_refused_for_a_major_incident);
    ADD_STATIC(&s, incident_close_needs_the_whole_closure_checklist);
    ADD_STATIC(&s, change_standard_change_skips_assessment);
    ADD_STATIC(&s, change_normal_and_emergency_changes_cannot_skip_assessment);
    ADD_STATIC(&s, problem_known_error_needs_a_workaround_or_an_explicit_none);
    ADD_STATIC(&s, problem_fix_pending_change_needs_a_related_change);
    ADD_STATIC(&s, fields_given_with_a_refused_event_are_not_applied);
    ADD_STATIC(&s, fire_rejects_null_event_and_engine_owned_fields);

    int failed = _cmocka_run_group_tests("test_lifecycle", s.tests, s.n, NULL, NULL);
    for (size_t i = 0; i < s.n; i++) {
        free(s.cases[i]);
        free(s.names[i]);
    }
    free(s.tests);
    free(s.cases);
    free(s.names);
    return failed;
}
