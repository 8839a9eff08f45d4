/* SPDX-License-Identifier: Apache-2.0 */
/* The reference model (model.h): the default policy as the documents
 * describe it, in the most direct form - tables copied from
 * docs/lifecycles.md (model_lifecycle.c), clocks counted second by second
 * of working time (model_clock.c). This file is the steps a caller takes:
 * open, update, fire, link, and what every step does to a record. */
#include "model_parts.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the priority matrix (docs/service-levels.md, the default document) ---- */

static const int matrix[3][3] = { { 1, 2, 3 }, { 2, 3, 4 }, { 3, 4, 5 } };

/* ---- steps ---- */

static model_value *fv(model_rec *r, itsm_field f) { return &r->f[f]; }

void model__emit(model_events *out, const char *type, int rec, const char *name)
{
    if (out->n < MODEL_MAX_EVENTS) {
        out->ev[out->n].type = type;
        out->ev[out->n].rec = rec;
        out->ev[out->n].name = name;
        out->n++;
    }
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
    model__timers_follow(m, rec, m->now);
    /* A blocked auto-close is tried again after any change (the library's
     * behaviour; the documents do not say). */
    r->auto_close_done = 0;
    /* The rule looks at a step that brings the priority to 1. */
    if (r->kind == ITSM_KIND_INCIDENT && model__priority_of(r) == 1 && model__priority_of(before) != 1 && !r->major_proposed &&
        !r->f[ITSM_F_MAJOR].set &&
        model_is_open(m, rec)) {
        r->major_proposed = 1;
        r->rev++;
        model__emit(out, "major_proposed", rec, NULL);
    }
}

static int same_str(const model_value *a, const model_value *b)
{
    return a->set && b->set && !strcmp(a->str, b->str);
}

/* docs/recurrence.md: an incident related to a problem that holds its
 * recurrence is in no cluster: a known error (known_error,
 * fix_pending_change), a problem still worked (new, assessed,
 * root_cause_analysis), or one fixed (fix_applied) at or after the
 * incident's opening. */
static int held_by_problem(const model *m, const model_rec *r)
{
    for (size_t k = 0; k < r->nlinks; k++) {
        int t = r->links[k];
        if (m->r[t].kind != ITSM_KIND_PROBLEM)
            continue;
        const char *st = model_state(m, t);
        const model_value *code = &m->r[t].f[ITSM_F_RESOLUTION_CODE], *fixed = &m->r[t].f[ITSM_F_RESOLVED_AT];
        if (strcmp(st, "resolved") && strcmp(st, "closed"))
            return 1;
        if (code->set && !strcmp(code->str, "fix_applied") && fixed->set &&
            r->f[ITSM_F_OPENED_AT].num <= fixed->num)
            return 1;
    }
    return 0;
}

/* docs/policy.md, problem_rules (the push): an incident opened or resolved that
 * completes a cluster - 3 incidents on its service and category opened in
 * the last 30 days, none in an earlier proposal, canceled or held by a
 * problem - gets a problem_proposed event, and the cluster's incidents are in
 * a proposal from then on. */
static void recurrence_push(model *m, int rec, model_events *out)
{
    model_rec *r = &m->r[rec];
    const int64_t window = (int64_t)30 * 86400;
    if (r->kind != ITSM_KIND_INCIDENT || r->in_proposal || held_by_problem(m, r) ||
        !r->f[ITSM_F_SERVICE].set || !r->f[ITSM_F_CATEGORY].set || r->f[ITSM_F_OPENED_AT].num < m->now - window)
        return;
    size_t count = 0;
    for (size_t j = 0; j < m->n; j++) {
        const model_rec *o = &m->r[j];
        int canceled = !model_is_open(m, (int)j) && !o->f[ITSM_F_RESOLVED_AT].set;   /* no occurrence */
        count += o->kind == ITSM_KIND_INCIDENT && !o->in_proposal && !canceled && !held_by_problem(m, o) &&
                 same_str(&o->f[ITSM_F_SERVICE], &r->f[ITSM_F_SERVICE]) &&
                 same_str(&o->f[ITSM_F_CATEGORY], &r->f[ITSM_F_CATEGORY]) &&
                 o->f[ITSM_F_OPENED_AT].num >= m->now - window && o->f[ITSM_F_OPENED_AT].num <= m->now;
    }
    if (count < 3)
        return;
    for (size_t j = 0; j < m->n; j++) {
        model_rec *o = &m->r[j];
        if (o->kind == ITSM_KIND_INCIDENT && !held_by_problem(m, o) &&
            same_str(&o->f[ITSM_F_SERVICE], &r->f[ITSM_F_SERVICE]) &&
            same_str(&o->f[ITSM_F_CATEGORY], &r->f[ITSM_F_CATEGORY]) &&
            o->f[ITSM_F_OPENED_AT].num >= m->now - window && o->f[ITSM_F_OPENED_AT].num <= m->now)
            o->in_proposal = 1;
    }
    r->rev++;
    model__emit(out, "problem_proposed", rec, NULL);
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
    model__emit(out, "open", rec, NULL);
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
    for (size_t i = 0; i < n; i++)
        if (ch[i].field == ITSM_F_ASSIGNEE && !ch[i].str && r->f[ITSM_F_ASSIGNEE].set &&
            model__state_needs_owner(m, rec))
            return ITSM_ESTATE;
    model_rec before = *r;
    for (size_t i = 0; i < n; i++)
        set_change(r, &ch[i]);
    model__emit(out, "update", rec, NULL);
    step_done(m, rec, &before, out);
    return ITSM_OK;
}

int model_fire(model *m, int rec, const char *event, const itsm_change *ch, size_t n, model_events *out)
{
    out->n = 0;
    for (size_t i = 0; i < n; i++)
        if (!valid_change(&ch[i]))
            return ITSM_EINVAL;
    const mtrans *t = model__find_transition(m, rec, event);
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
    if (!model__guard_ok(m, rec, r, t->guard)) {
        *r = before;
        return ITSM_EGUARD;
    }
    model__take(m, rec, t, &before, caller_hold, m->now);
    model__emit(out, "transition", rec, t->event);
    step_done(m, rec, &before, out);
    if (model__in_list(t->effects, "resolved_at"))
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
        model__timers_follow(m, i ? b : a, m->now);
        r->auto_close_done = 0;
    }
    model__emit(out, "link", a, NULL);
    model__emit(out, "link", b, NULL);
    return ITSM_OK;
}
