/* SPDX-License-Identifier: Apache-2.0 */
/* The five default lifecycles as DESIGN.md section 3 states them, written
 * out as data independently of src/policy/policy_default.c, with the helpers
 * the lifecycle tests (tests/test_lifecycle*.c) share: finding a row,
 * filling and breaking a step's guard fields and terms, driving a record to
 * a state, and checking that a refused step leaves it exactly as it was. */
#ifndef ITSM_TEST_LIFECYCLE_EXPECTED_H
#define ITSM_TEST_LIFECYCLE_EXPECTED_H

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
 * fulfilling -> fulfilled -> closed; canceled. fulfilling needs an owner,
 * closed the closure checklist (category, notes, owner, knowledge). */
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
    /* Someone owns every request before it is worked (seed 003). */
    { T("approved", "fulfil", "fulfilling"), .needs = { "assignment_group", "assignee" }, .fx = X_RESPONDED },
    /* Not while a task of its catalogue item is open (itsm/request.h). */
    { T("fulfilling", "complete", "fulfilled"), .needs = { "resolution_notes" }, .terms = { "tasks:done" },
      .fx = X_RESOLVED },
    /* The closure checklist applies to requests too (seed 003); their
     * resolution is documented by the notes. */
    { T("fulfilled", "close", "closed"), .needs = { "category", "resolution_notes", "assignee", "knowledge_decision" },
      .terms = { "tasks:done" }, .fx = X_CLOSED },
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

static inline const xstate *xstate_of(const xlifecycle *lc, const char *name)
{
    for (const xstate *s = lc->states; s->name; s++)
        if (strcmp(s->name, name) == 0)
            return s;
    fail_msg("expected %s lifecycle has no state '%s'", itsm_kind_name(lc->kind), name);
    return NULL;
}

static inline int row_leaves(const xlifecycle *lc, const xrow *row, const char *state)
{
    if (strcmp(row->from, "*") == 0)
        return !xstate_of(lc, state)->closed;
    return strcmp(row->from, state) == 0;
}

static inline itsm_field field_of(const char *name)
{
    itsm_field f;
    if (itsm_field_from_name(&f, name) != ITSM_OK)
        fail_msg("no field '%s'", name);
    return f;
}

/* ---- change lists --------------------------------------------------------- */

typedef struct chg { itsm_change c[ITSM_F__COUNT]; size_t n; } chg;

static inline itsm_change *chg_slot(chg *l, itsm_field f)
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
static inline void chg_fill(chg *l, const char *name)
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

static inline void chg_value(chg *l, const char *name, const char *value)
{
    itsm_field f = field_of(name);
    itsm_change *c = chg_slot(l, f);
    if (itsm_field_type_of(f) == ITSM_TYPE_TEXT || itsm_field_type_of(f) == ITSM_TYPE_SYMBOL)
        c->str = value;
    else
        c->num = atoi(value);
}

/* Everything the row's guard needs (the first of an "any" group). */
static inline void chg_satisfy(chg *l, const xrow *row)
{
    for (int i = 0; row->needs[i]; i++)
        chg_fill(l, row->needs[i]);
    if (row->any[0])
        chg_fill(l, row->any[0]);
    if (row->eq_field)
        chg_value(l, row->eq_field, row->eq_value);
}

/* ---- driving a record ----------------------------------------------------- */

static inline itsm_record *open_kind(fixture *f, itsm_kind kind)
{
    itsm_record *r = NULL;
    itsm_record_opts o = ITSM_RECORD_OPTS_INIT;
    o.kind = kind;
    assert_ok(itsm_record_open(&r, f->eng, &o));
    return r;
}

static inline void link_kind(fixture *f, itsm_record *r, itsm_link_kind how, itsm_kind kind)
{
    itsm_record *other = open_kind(f, kind);
    assert_ok(itsm_record_link(r, how, other));
}

/* ---- capability guard terms ------------------------------------------------ */

/* Make every term of the row hold but `except` (NULL: all), before the
 * step fires: a low-risk assessment, an approval by someone who neither
 * asked for the record nor implements it; an operations gate that was
 * never asked for is not shut. */
static inline void satisfy_terms(fixture *f, itsm_record *r, const xrow *row, const char *except)
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
static inline const char *break_term(fixture *f, itsm_record *r, const char *t)
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
        assert_ok(itsm_packet_set_text(p, ITSM_PT_RECEIVER, "service_manager"));
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

static inline void fire_row(fixture *f, itsm_record *r, const xrow *row)
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
static inline void drive(fixture *f, itsm_record *r, const xlifecycle *lc, const char *target)
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

/* Fire and expect a refusal that changes nothing and stores nothing. */
static inline void expect_refusal(fixture *f, itsm_record *r, const char *event, const chg *l, int code,
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

#endif
