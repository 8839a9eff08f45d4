/* SPDX-License-Identifier: Apache-2.0 */
/* The reference model (model.h): the default policy as the documents
 * describe it, in the most direct form - tables copied from
 * docs/lifecycles.md, clocks counted second by second of working time. */
#include "model.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the default lifecycles (docs/lifecycles.md) ---- */

typedef struct mtrans {
    const char *from;      /* a state, "a,b,c", or "*" (any open state) */
    const char *event;
    const char *to;
    const char *guard;     /* docs' notation: "a b", "a|b", "f=v", "link:change" */
    const char *effects;   /* "responded_at?", "resolved_at", "closed_at", "clear", "reopen" */
} mtrans;

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

static const mtrans *find_transition(const model *m, int rec, const char *event);

const char *model_guard(const model *m, int rec, const char *event)
{
    const mtrans *t = find_transition(m, rec, event);
    return t ? t->guard : NULL;
}

/* Is `word` one of the space- or comma-separated words of `list`? */
static int in_list(const char *list, const char *word)
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
    return !in_list(lifecycles[m->r[rec].kind].closed, model_state(m, rec));
}

/* ---- policy values (docs/service-levels.md, the default document) ---- */

static const int matrix[3][3] = { { 1, 2, 3 }, { 2, 3, 4 }, { 3, 4, 5 } };
static const uint32_t response_target[5] = { 900, 1800, 14400, 28800, 57600 };
static const uint32_t resolution_target[5] = { 14400, 28800, 86400, 144000, 288000 };
static const uint32_t cadence[5] = { 1800, 3600, 14400, 28800, 28800 };
#define LADDER 3
#define AUTO_CLOSE_AFTER 259200

/* ---- working time: 24x7, or Monday to Friday 09:00-17:00 UTC ---- */

static int64_t day_of(itsm_time t) { return t >= 0 ? t / 86400 : (t - 86399) / 86400; }

/* Working seconds of the business calendar from a Monday long ago up to t:
 * five 8-hour days a week, plus the part of t's own day. */
static int64_t business_before(itsm_time t)
{
    int64_t d = day_of(t), m = d + 3;   /* 1970-01-01 was a Thursday: m % 7 == 0 is a Monday */
    int64_t weeks = m >= 0 ? m / 7 : (m - 6) / 7, dow = m - weeks * 7;
    int64_t sum = (weeks * 5 + (dow < 5 ? dow : 5)) * 8 * 3600;
    if (dow < 5) {
        int64_t into = t - (d * 86400 + 9 * 3600);
        sum += into < 0 ? 0 : into > 8 * 3600 ? 8 * 3600 : into;
    }
    return sum;
}

static int64_t work(int business, itsm_time a, itsm_time b)
{
    if (b <= a)
        return 0;
    return business ? business_before(b) - business_before(a) : b - a;
}

/* The first instant x >= t with work(t, x) == secs (a search: the model
 * prefers obvious to fast). */
static itsm_time work_add(int business, itsm_time t, int64_t secs)
{
    if (secs <= 0 || !business)
        return t + (secs > 0 ? secs : 0);
    itsm_time lo = t, hi = t + secs * 4 + 7 * 86400;
    while (lo < hi) {
        itsm_time mid = lo + (hi - lo) / 2;
        if (work(1, t, mid) >= secs)
            hi = mid;
        else
            lo = mid + 1;
    }
    return lo;
}

/* ---- timers ---- */

static int64_t elapsed_at(const model_timer *t, itsm_time now)
{
    if (!t->on)
        return 0;
    int64_t e = t->elapsed;
    if (!t->stopped && !t->paused && now > t->mark)
        e += work(t->business, t->mark, now);
    return e;
}

/* Bring the count up to `now` (before anything about the timer changes). */
static void timer_sync(model_timer *t, itsm_time now)
{
    if (t->on && !t->stopped && !t->paused && now > t->mark)
        t->elapsed += work(t->business, t->mark, now);
    if (now > t->mark)
        t->mark = now;
}

static void timer_set_running(model_timer *t, itsm_time now, int stopped, int paused)
{
    timer_sync(t, now);
    t->stopped = stopped;
    t->paused = paused;
}

/* The working second at which a running timer reaches its target. */
static itsm_time due_of(const model_timer *t)
{
    int64_t left = (int64_t)t->target - t->elapsed;
    /* Planned at the last change; a target already passed then is due then. */
    return left >= 0 ? work_add(t->business, t->mark, left) : t->mark;
}

void model_timer_at(const model *m, int rec, int timer, itsm_time now, itsm_timer_info *out)
{
    const model_timer *t = &m->r[rec].t[timer];
    memset(out, 0, sizeof *out);
    out->due = ITSM_TIME_NONE;
    if (!t->on) {
        out->status = ITSM_TIMER_NONE;
        out->remaining = INT64_MAX;
        return;
    }
    int64_t e = elapsed_at(t, now);
    /* The next update is a due time, not a count: no target, no elapsed. */
    out->elapsed = timer == MT_NEXT_UPDATE ? 0 : e;
    out->target = timer == MT_NEXT_UPDATE ? 0 : t->target;
    out->status = t->stopped ? ITSM_TIMER_STOPPED : t->paused ? ITSM_TIMER_PAUSED : ITSM_TIMER_RUNNING;
    out->remaining = (int64_t)t->target - e;
    out->warnings = (unsigned)t->warned;
    if (timer == MT_NEXT_UPDATE) {
        /* Due a cadence of working time after it started; missed once past. */
        itsm_time due = work_add(t->business, t->start, t->target);
        out->breached = out->status == ITSM_TIMER_RUNNING && (t->breach_fired || now > due);
        if (out->status == ITSM_TIMER_RUNNING)
            out->due = due;
        return;
    }
    out->breached = t->breach_fired || e >= (int64_t)t->target;
    if (out->status == ITSM_TIMER_RUNNING)
        out->due = due_of(t);
}

/* ---- steps ---- */

static model_value *fv(model_rec *r, itsm_field f) { return &r->f[f]; }

static void emit(model_events *out, const char *type, int rec, const char *name)
{
    if (out->n < MODEL_MAX_EVENTS) {
        out->ev[out->n].type = type;
        out->ev[out->n].rec = rec;
        out->ev[out->n].name = name;
        out->n++;
    }
}

static int priority_of(const model_rec *r)
{
    return r->f[ITSM_F_PRIORITY].set ? (int)r->f[ITSM_F_PRIORITY].num : 0;
}

static int has_timers(const model_rec *r)
{
    return (r->kind == ITSM_KIND_INCIDENT || r->kind == ITSM_KIND_SERVICE_REQUEST) && priority_of(r) != 0;
}

static int in_stop_state(const model *m, int rec) { return !strcmp(model_state(m, rec), "resolved"); }

static int pausing(const model_rec *r)
{
    return r->f[ITSM_F_HOLD_REASON].set && !strcmp(r->f[ITSM_F_HOLD_REASON].str, "awaiting_customer");
}

/* After a step at `now`: every timer follows the record's state. */
static void timers_follow(model *m, int rec, itsm_time now)
{
    model_rec *r = &m->r[rec];
    int open = model_is_open(m, rec), stop = in_stop_state(m, rec);
    if (!has_timers(r)) {
        for (int i = 0; i < MT__COUNT; i++)
            timer_sync(&r->t[i], now);
        return;
    }
    int p = priority_of(r) - 1;
    int business = p >= 2;
    uint32_t targets[MT__COUNT] = { response_target[p], resolution_target[p], cadence[p] };
    for (int i = 0; i < MT__COUNT; i++) {
        model_timer *t = &r->t[i];
        timer_sync(t, now);
        if (!t->on && i != MT_NEXT_UPDATE) {
            /* Started when the record first has a priority (the library
             * counts from then; the documents say "from opening"). */
            t->on = 1;
            t->elapsed = 0;
            t->mark = now;
            t->business = business;
        } else if (t->on && t->business != business) {
            /* Re-planned on another calendar: the history counted again. */
            t->business = business;
        }
        t->target = targets[i];
    }
    int responded = r->f[ITSM_F_RESPONDED_AT].set;
    /* The library also stops the response clock in a stop state (the
     * documents name only responded_at). */
    timer_set_running(&r->t[MT_RESPONSE], now, responded || !open || stop, 0);
    timer_set_running(&r->t[MT_RESOLUTION], now, stop || !open, pausing(r));
    model_timer *nu = &r->t[MT_NEXT_UPDATE];
    if (!nu->on && responded) {
        nu->on = 1;
        nu->elapsed = 0;
        nu->mark = now;
        nu->start = r->f[ITSM_F_RESPONDED_AT].num;   /* the first response, even before a priority */
        nu->business = business;
        nu->target = cadence[p];
    }
    if (nu->on)
        timer_set_running(nu, now, stop || !open, 0);
}

/* Values a user may give (docs/policy.md, field names). */
static int user_field(itsm_field f)
{
    return f >= 0 && f < ITSM_F__COUNT && !itsm_field_is_engine_owned(f);
}

static int valid_change(const itsm_change *c)
{
    if (!user_field(c->field))
        return 0;
    switch (c->field) {
    case ITSM_F_IMPACT:
    case ITSM_F_URGENCY:
        return c->num >= 1 && c->num <= 3;
    case ITSM_F_PRIORITY:
        return c->num >= 1 && c->num <= 5;
    default:
        return 1;
    }
}

static void set_change(model_rec *r, const itsm_change *c)
{
    model_value *v = fv(r, c->field);
    itsm_field_type t = itsm_field_type_of(c->field);
    if (t == ITSM_TYPE_TEXT || t == ITSM_TYPE_SYMBOL) {
        v->set = c->str != NULL;
        v->str = c->str;
        v->num = 0;
    } else if (t == ITSM_TYPE_BOOL) {
        v->set = c->num != 0;
        v->num = c->num != 0;
    } else {
        v->set = 1;
        v->num = c->num;
    }
}

int model_mutant = MODEL_MUTANT_NONE;

static void derive_priority(model_rec *r)
{
    if (r->f[ITSM_F_IMPACT].set && r->f[ITSM_F_URGENCY].set) {
        int64_t i = r->f[ITSM_F_IMPACT].num, u = r->f[ITSM_F_URGENCY].num;
        r->f[ITSM_F_PRIORITY].set = 1;
        r->f[ITSM_F_PRIORITY].num = matrix[i - 1][u - 1];
        if (model_mutant == MODEL_MUTANT_PRIORITY && i == 1 && u == 2)
            r->f[ITSM_F_PRIORITY].num = 3;
    }
}

/* Under the "group" rule: from one group to another. */
static int reassigned(const model_rec *old, const model_rec *now)
{
    const model_value *a = &old->f[ITSM_F_ASSIGNMENT_GROUP], *b = &now->f[ITSM_F_ASSIGNMENT_GROUP];
    return a->set && b->set && strcmp(a->str, b->str) != 0;
}

/* A step's common end: counters, stamps, revision, derived events. */
static void step_done(model *m, int rec, const model_rec *before, model_events *out)
{
    model_rec *r = &m->r[rec];
    derive_priority(r);
    if (reassigned(before, r)) {
        r->f[ITSM_F_REASSIGNMENTS].set = 1;
        r->f[ITSM_F_REASSIGNMENTS].num++;
    }
    r->f[ITSM_F_UPDATED_AT].set = 1;
    r->f[ITSM_F_UPDATED_AT].num = m->now;
    r->rev++;
    timers_follow(m, rec, m->now);
    /* A blocked auto-close is tried again after any change (the library's
     * behaviour; the documents do not say). */
    r->auto_close_done = 0;
    /* The rule looks at a step that brings the priority to 1. */
    if (r->kind == ITSM_KIND_INCIDENT && priority_of(r) == 1 && priority_of(before) != 1 && !r->major_proposed &&
        !r->f[ITSM_F_MAJOR].set &&
        model_is_open(m, rec)) {
        r->major_proposed = 1;
        r->rev++;
        emit(out, "major_proposed", rec, NULL);
    }
}

static int same_str(const model_value *a, const model_value *b)
{
    return a->set && b->set && !strcmp(a->str, b->str);
}

/* docs/policy.md, problem_rules (the push): an incident opened or resolved that
 * completes a cluster - 3 incidents on its service and category opened in
 * the last 30 days, none in an earlier proposal - gets a problem_proposed
 * event, and the cluster's incidents are in a proposal from then on. */
static void recurrence_push(model *m, int rec, model_events *out)
{
    model_rec *r = &m->r[rec];
    const int64_t window = (int64_t)30 * 86400;
    if (r->kind != ITSM_KIND_INCIDENT || r->in_proposal || !r->f[ITSM_F_SERVICE].set ||
        !r->f[ITSM_F_CATEGORY].set || r->f[ITSM_F_OPENED_AT].num < m->now - window)
        return;
    size_t count = 0;
    for (size_t j = 0; j < m->n; j++) {
        const model_rec *o = &m->r[j];
        count += o->kind == ITSM_KIND_INCIDENT && !o->in_proposal && same_str(&o->f[ITSM_F_SERVICE], &r->f[ITSM_F_SERVICE]) &&
                 same_str(&o->f[ITSM_F_CATEGORY], &r->f[ITSM_F_CATEGORY]) &&
                 o->f[ITSM_F_OPENED_AT].num >= m->now - window && o->f[ITSM_F_OPENED_AT].num <= m->now;
    }
    if (count < 3)
        return;
    for (size_t j = 0; j < m->n; j++) {
        model_rec *o = &m->r[j];
        if (o->kind == ITSM_KIND_INCIDENT && same_str(&o->f[ITSM_F_SERVICE], &r->f[ITSM_F_SERVICE]) &&
            same_str(&o->f[ITSM_F_CATEGORY], &r->f[ITSM_F_CATEGORY]) &&
            o->f[ITSM_F_OPENED_AT].num >= m->now - window && o->f[ITSM_F_OPENED_AT].num <= m->now)
            o->in_proposal = 1;
    }
    r->rev++;
    emit(out, "problem_proposed", rec, NULL);
}

void model_init(model *m, itsm_time now)
{
    memset(m, 0, sizeof *m);
    m->now = now;
}

int model_open(model *m, itsm_kind kind, const char *id, const itsm_change *ch, size_t n, model_events *out)
{
    out->n = 0;
    if (kind < 1 || kind > ITSM_KIND_COUNT || m->n == MODEL_MAX_RECS)
        return ITSM_EINVAL;
    for (size_t i = 0; i < n; i++)
        if (!valid_change(&ch[i]))
            return ITSM_EINVAL;
    for (size_t i = 0; i < m->n; i++)
        if (!strcmp(m->r[i].id, id))
            return ITSM_EEXISTS;
    int rec = (int)m->n++;
    model_rec *r = &m->r[rec];
    memset(r, 0, sizeof *r);
    strncpy(r->id, id, sizeof r->id - 1);
    r->kind = kind;
    r->state = 0;
    for (size_t i = 0; i < n; i++)
        set_change(r, &ch[i]);
    r->f[ITSM_F_OPENED_AT].set = 1;
    r->f[ITSM_F_OPENED_AT].num = m->now;
    r->f[ITSM_F_REASSIGNMENTS].set = 1;
    r->f[ITSM_F_REOPENS].set = 1;
    for (int i = 0; i < MT__COUNT; i++)
        r->t[i].mark = m->now;
    r->stop_at = ITSM_TIME_NONE;
    model_rec before = *r;
    emit(out, "open", rec, NULL);
    step_done(m, rec, &before, out);
    recurrence_push(m, rec, out);
    return ITSM_OK;
}

int model_update(model *m, int rec, const itsm_change *ch, size_t n, model_events *out)
{
    out->n = 0;
    model_rec *r = &m->r[rec];
    if (!model_is_open(m, rec))
        return ITSM_ESTATE;
    for (size_t i = 0; i < n; i++)
        if (!valid_change(&ch[i]))
            return ITSM_EINVAL;
    model_rec before = *r;
    for (size_t i = 0; i < n; i++)
        set_change(r, &ch[i]);
    emit(out, "update", rec, NULL);
    step_done(m, rec, &before, out);
    return ITSM_OK;
}

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

static int guard_ok(const model *m, int rec, const model_rec *r, const char *guard)
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

static const mtrans *find_transition(const model *m, int rec, const char *event)
{
    const mlc *lc = &lifecycles[m->r[rec].kind];
    const char *state = model_state(m, rec);
    const mtrans *any = NULL;
    for (const mtrans *t = lc->tr; t->from; t++) {
        if (strcmp(t->event, event) != 0)
            continue;
        if (in_list(t->from, state))
            return t;
        if (!strcmp(t->from, "*") && model_is_open(m, rec))
            any = t;
    }
    return any;
}

static void stamp(model_rec *r, itsm_field f, itsm_time now, int only_first)
{
    if (only_first && r->f[f].set)
        return;
    r->f[f].set = 1;
    r->f[f].num = now;
}

/* Apply transition `t` (the changes are in `r` already). */
static void take(model *m, int rec, const mtrans *t, const model_rec *before, int caller_hold, itsm_time at)
{
    model_rec *r = &m->r[rec];
    const mlc *lc = &lifecycles[r->kind];
    r->state = state_index(lc, t->to);
    if (in_list(t->effects, "responded_at?"))
        stamp(r, ITSM_F_RESPONDED_AT, at, 1);
    if (in_list(t->effects, "resolved_at"))
        stamp(r, ITSM_F_RESOLVED_AT, at, 0);
    if (in_list(t->effects, "closed_at"))
        stamp(r, ITSM_F_CLOSED_AT, at, 0);
    if (in_list(t->effects, "clear") && !caller_hold)
        r->f[ITSM_F_HOLD_REASON].set = 0;
    if (in_list(t->effects, "reopen")) {
        r->f[ITSM_F_REOPENS].num++;
    }
    /* An incident resolved without a knowledge decision gets one. */
    if (r->kind == ITSM_KIND_INCIDENT && !strcmp(t->to, "resolved") && !r->f[ITSM_F_KNOWLEDGE_DECISION].set) {
        r->f[ITSM_F_KNOWLEDGE_DECISION].set = 1;
        r->f[ITSM_F_KNOWLEDGE_DECISION].str = linked_to(m, rec, ITSM_KIND_KNOWLEDGE) ? "linked" : "candidate";
    }
    int was_stop = !strcmp(lc->states[before->state], "resolved");
    int now_stop = in_stop_state(m, rec);
    if (now_stop && !was_stop) {
        r->stop_at = at;
        r->auto_close_done = 0;
    } else if (!now_stop) {
        r->stop_at = ITSM_TIME_NONE;
    }
}

int model_fire(model *m, int rec, const char *event, const itsm_change *ch, size_t n, model_events *out)
{
    out->n = 0;
    for (size_t i = 0; i < n; i++)
        if (!valid_change(&ch[i]))
            return ITSM_EINVAL;
    const mtrans *t = find_transition(m, rec, event);
    if (!t)
        return ITSM_ETRANSITION;
    model_rec *r = &m->r[rec];
    model_rec before = *r;
    int caller_hold = 0;
    for (size_t i = 0; i < n; i++) {
        set_change(r, &ch[i]);
        caller_hold |= ch[i].field == ITSM_F_HOLD_REASON;
    }
    derive_priority(r);
    if (!guard_ok(m, rec, r, t->guard)) {
        *r = before;
        return ITSM_EGUARD;
    }
    take(m, rec, t, &before, caller_hold, m->now);
    emit(out, "transition", rec, t->event);
    step_done(m, rec, &before, out);
    if (in_list(t->effects, "resolved_at"))
        recurrence_push(m, rec, out);
    return ITSM_OK;
}

int model_link(model *m, int a, int b, model_events *out)
{
    out->n = 0;
    if (a == b)
        return ITSM_EINVAL;
    for (size_t i = 0; i < m->r[a].nlinks; i++)
        if (m->r[a].links[i] == b)
            return ITSM_EEXISTS;
    if (m->r[a].nlinks == MODEL_MAX_LINKS || m->r[b].nlinks == MODEL_MAX_LINKS)
        return ITSM_EINVAL;
    m->r[a].links[m->r[a].nlinks++] = b;
    m->r[b].links[m->r[b].nlinks++] = a;
    m->r[a].rev++;
    m->r[b].rev++;
    for (int i = 0; i < 2; i++) {
        model_rec *r = &m->r[i ? b : a];
        r->f[ITSM_F_UPDATED_AT].set = 1;
        r->f[ITSM_F_UPDATED_AT].num = m->now;
        timers_follow(m, i ? b : a, m->now);
        r->auto_close_done = 0;
    }
    emit(out, "link", a, NULL);
    emit(out, "link", b, NULL);
    return ITSM_OK;
}

/* ---- the tick: every due timer in deadline order, one batch each ---- */

enum { F_WARNING, F_BREACH, F_OVERDUE, F_AUTO_CLOSE };

static itsm_time fire_at(const model *m, int rec, int timer, int what)
{
    const model_rec *r = &m->r[rec];
    if (what == F_AUTO_CLOSE) {
        /* "never for a major incident" (docs/service-levels.md): no timer at all. */
        if (r->kind != ITSM_KIND_INCIDENT || r->stop_at == ITSM_TIME_NONE || r->auto_close_done ||
            r->f[ITSM_F_MAJOR].set)
            return ITSM_TIME_NONE;
        return r->stop_at + AUTO_CLOSE_AFTER;
    }
    const model_timer *t = &r->t[timer];
    if (!t->on || t->stopped || t->paused)
        return ITSM_TIME_NONE;
    int64_t at;
    if (what == F_WARNING) {
        if (t->warned || timer == MT_NEXT_UPDATE)
            return ITSM_TIME_NONE;
        at = (int64_t)t->target * 750 / 1000;
    } else {
        if (t->breach_fired)
            return ITSM_TIME_NONE;
        at = t->target;
    }
    if (what == F_OVERDUE)
        return work_add(t->business, t->start, t->target) + 1;
    itsm_time due = work_add(t->business, t->mark, at - t->elapsed > 0 ? at - t->elapsed : 0);
    if (at - t->elapsed < 0)
        due = t->mark;   /* passed before the last change: fires now */
    return due;
}

int model_tick(model *m, itsm_time now, model_events *out)
{
    out->n = 0;
    for (;;) {
        int best_rec = -1, best_timer = 0, best_what = 0;
        itsm_time best = ITSM_TIME_NONE;
        for (size_t i = 0; i < m->n; i++) {
            for (int t = 0; t < MT__COUNT; t++) {
                for (int w = F_WARNING; w <= F_BREACH; w++) {
                    int what = t == MT_NEXT_UPDATE ? (w == F_BREACH ? F_OVERDUE : -1) : w;
                    if (what < 0)
                        continue;
                    itsm_time at = fire_at(m, (int)i, t, what);
                    if (at != ITSM_TIME_NONE && at <= now && (best == ITSM_TIME_NONE || at < best)) {
                        best = at;
                        best_rec = (int)i;
                        best_timer = t;
                        best_what = what;
                    }
                }
            }
            itsm_time at = fire_at(m, (int)i, 0, F_AUTO_CLOSE);
            if (at != ITSM_TIME_NONE && at <= now && (best == ITSM_TIME_NONE || at < best)) {
                best = at;
                best_rec = (int)i;
                best_what = F_AUTO_CLOSE;
            }
        }
        if (best_rec < 0)
            return ITSM_OK;
        model_rec *r = &m->r[best_rec];
        itsm_time at = best;
        if (r->f[ITSM_F_UPDATED_AT].set && r->f[ITSM_F_UPDATED_AT].num > at)
            at = r->f[ITSM_F_UPDATED_AT].num;
        static const char *const names[MT__COUNT] = { "response", "resolution", "next_update" };
        itsm_time saved = m->now;
        m->now = at;
        for (int t = 0; t < MT__COUNT; t++)
            timer_sync(&r->t[t], at);
        if (best_what == F_WARNING) {
            r->t[best_timer].warned = 1;
            r->rev++;
            emit(out, "sla_warning", best_rec, names[best_timer]);
        } else if (best_what == F_BREACH) {
            r->t[best_timer].breach_fired = 1;
            r->t[best_timer].warned = 1;
            r->rev++;
            emit(out, "sla_breach", best_rec, names[best_timer]);
            int64_t lvl = r->f[ITSM_F_HIERARCHICAL_LEVEL].set ? r->f[ITSM_F_HIERARCHICAL_LEVEL].num : 0;
            if (lvl < LADDER) {
                r->f[ITSM_F_HIERARCHICAL_LEVEL].set = 1;
                r->f[ITSM_F_HIERARCHICAL_LEVEL].num = lvl + 1;
                r->rev++;
                emit(out, "escalation_step", best_rec, NULL);
            }
        } else if (best_what == F_OVERDUE) {
            r->t[MT_NEXT_UPDATE].breach_fired = 1;
            r->rev++;
            emit(out, "update_overdue", best_rec, NULL);
        } else {
            r->auto_close_done = 1;
            const mtrans *t = find_transition(m, best_rec, "auto_close");
            model_rec before = *r;
            if (t && guard_ok(m, best_rec, r, t->guard)) {
                take(m, best_rec, t, &before, 0, at);
                r->rev++;
                emit(out, "transition", best_rec, "auto_close");
                timers_follow(m, best_rec, at);
            } else {
                r->rev++;
                emit(out, "auto_close_blocked", best_rec, NULL);
            }
        }
        r->f[ITSM_F_UPDATED_AT].set = 1;
        r->f[ITSM_F_UPDATED_AT].num = at;
        m->now = saved;
    }
}
