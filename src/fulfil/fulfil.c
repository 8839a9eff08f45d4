/* SPDX-License-Identifier: Apache-2.0 */
/* Request fulfilment (itsm/request.h): a request's catalogue item, the
 * tasks it generates as events, their steps, the guard "tasks:done", and
 * the request moving on when its last task closes. */
#include "fulfil/fulfil_int.h"
#include "core/abi.h"
#include "kit/json.h"
#include "kit/names.h"
#include "kit/value.h"

#include <stdio.h>
#include <string.h>

typedef struct ff_task {
    const char     *name, *group, *assignee;   /* interned; assignee NULL: none */
    int             step, priority;
    int64_t         ola;                       /* minutes; 0: none */
    itsm_task_state state;
    itsm_time       opened_at, due, closed_at;
} ff_task;

typedef struct ff_rec {
    const itsm_record *rec;    /* the key (kit/ptrmap.h) */
    const char        *item;   /* interned; NULL: none chosen */
    ff_task           *t;      /* NULL until generated */
    size_t             n;
} ff_rec;

typedef struct ff_state {
    itsm__ptrmap recs;         /* record -> ff_rec */
} ff_state;

static ff_state *state_of(const itsm_engine *eng) { return (ff_state *)eng->cap[ITSM__CAP_FULFILMENT]; }

static int engine_init(itsm_engine *eng)
{
    ff_state *st = itsm__calloc(&eng->alloc, 1, sizeof *st);
    if (!st)
        return ITSM_ENOMEM;
    itsm__ptrmap_init(&st->recs);
    eng->cap[ITSM__CAP_FULFILMENT] = st;
    return ITSM_OK;
}

static void engine_free(itsm_engine *eng)
{
    ff_state *st = state_of(eng);
    if (!st)
        return;
    for (size_t i = 0; i < st->recs.n; i++) {
        ff_rec *fr = st->recs.v[i];
        itsm__free(&eng->alloc, fr->t);
        itsm__free(&eng->alloc, fr);
    }
    itsm__ptrmap_free(&st->recs, &eng->alloc);
    itsm__free(&eng->alloc, st);
    eng->cap[ITSM__CAP_FULFILMENT] = NULL;
}

static ff_rec *rec_of(const itsm_engine *eng, const itsm_record *r)
{
    const ff_state *st = state_of(eng);
    return st ? itsm__ptrmap_get(&st->recs, r) : NULL;
}

/* The record's state, made if need be before the step commits (an empty
 * one means what none does). NULL on ENOMEM. */
static ff_rec *rec_reserve(itsm_engine *eng, const itsm_record *r)
{
    ff_state *st = state_of(eng);
    ff_rec *fr = itsm__ptrmap_get(&st->recs, r);
    if (!fr) {
        if (itsm__ptrmap_reserve(&st->recs, &eng->alloc, 1) || !(fr = itsm__calloc(&eng->alloc, 1, sizeof *fr)))
            return NULL;
        fr->rec = r;
        itsm__ptrmap_put(&st->recs, fr);
    }
    return fr;
}

static int closed(itsm_task_state s) { return s == ITSM_TASK_DONE || s == ITSM_TASK_CANCELED; }

static ff_task *task_find(const ff_rec *fr, const char *name)
{
    for (size_t i = 0; fr && i < fr->n; i++)
        if (strcmp(fr->t[i].name, name) == 0)
            return &fr->t[i];
    return NULL;
}

/* Open the first step that is not closed, at `at`: its waiting tasks
 * become open and due their OLA target later. */
static void open_step(ff_rec *fr, itsm_time at)
{
    int step = 0;
    for (size_t i = 0; i < fr->n; i++)
        if (!closed(fr->t[i].state) && (!step || fr->t[i].step < step))
            step = fr->t[i].step;
    for (size_t i = 0; step && i < fr->n; i++) {
        ff_task *t = &fr->t[i];
        if (t->step != step || t->state != ITSM_TASK_WAITING)
            continue;
        t->state = ITSM_TASK_OPEN;
        t->opened_at = at;
        t->due = t->ola ? at + t->ola * 60 : ITSM_TIME_NONE;
    }
}

const char *itsm_task_state_name(itsm_task_state s)
{
    static const char *const names[] = { "waiting", "open", "done", "canceled" };
    return (unsigned)s < 4 ? names[s] : NULL;
}

/* ---- the events ---- */

enum { ACT_ASSIGN = 0, ACT_DONE, ACT_CANCEL };
static const char *const act_names[] = { "assign", "done", "cancel" };

typedef struct item_ext { const char *item; } item_ext;
/* The event keeps its list for the sink (which reads it after apply);
 * apply moves `own`, a copy made when the event was built, into the
 * record. */
typedef struct tasks_ext { const char *item; ff_task *t, *own; size_t n; } tasks_ext;
typedef struct task_ext {
    const char *name, *assignee;   /* interned */
    int         action;
    char       *note;              /* owned; NULL: none */
} task_ext;

static void item_dispose(itsm_engine *eng, itsm_event *ev)
{
    itsm__free(&eng->alloc, ev->ext);
    ev->ext = NULL;
}

static void tasks_dispose(itsm_engine *eng, itsm_event *ev)
{
    tasks_ext *x = ev->ext;
    if (x) {
        itsm__free(&eng->alloc, x->t);
        itsm__free(&eng->alloc, x->own);   /* NULL once applied: the record has it */
    }
    itsm__free(&eng->alloc, x);
    ev->ext = NULL;
}

static void task_dispose(itsm_engine *eng, itsm_event *ev)
{
    task_ext *x = ev->ext;
    if (x)
        itsm__free(&eng->alloc, x->note);
    itsm__free(&eng->alloc, x);
    ev->ext = NULL;
}

static void item_write(const itsm_event *ev, itsm__jw *w)
{
    itsm__jw_key(w, "item");
    itsm__jw_str(w, ((const item_ext *)ev->ext)->item);
}

static void tasks_write(const itsm_event *ev, itsm__jw *w)
{
    const tasks_ext *x = ev->ext;
    itsm__jw_key(w, "tasks");
    itsm__jw_obj_begin(w);
    itsm__jw_key(w, "item");
    itsm__jw_str(w, x->item);
    itsm__jw_key(w, "list");
    itsm__jw_arr_begin(w);
    for (size_t i = 0; i < x->n; i++) {
        const ff_task *t = &x->t[i];
        itsm__jw_obj_begin(w);
        itsm__jw_key(w, "name");
        itsm__jw_str(w, t->name);
        itsm__jw_key(w, "group");
        itsm__jw_str(w, t->group);
        itsm__jw_key(w, "step");
        itsm__jw_int(w, t->step);
        itsm__jw_key(w, "priority");
        itsm__jw_int(w, t->priority);
        itsm__jw_key(w, "ola_minutes");
        itsm__jw_int(w, t->ola);
        itsm__jw_obj_end(w);
    }
    itsm__jw_arr_end(w);
    itsm__jw_obj_end(w);
}

static void task_write(const itsm_event *ev, itsm__jw *w)
{
    const task_ext *x = ev->ext;
    itsm__jw_key(w, "task");
    itsm__jw_obj_begin(w);
    itsm__jw_key(w, "name");
    itsm__jw_str(w, x->name);
    itsm__jw_key(w, "action");
    itsm__jw_str(w, act_names[x->action]);
    itsm__jw_key(w, "assignee");
    itsm__jw_str(w, x->assignee);
    itsm__jw_key(w, "note");
    itsm__jw_str(w, x->note);
    itsm__jw_obj_end(w);
}

/* A policy name member of `obj` interned into *out. */
static int read_pname(itsm_engine *eng, const itsm__jval *obj, const char *key, const char **out,
                      itsm_parse_error *err)
{
    const itsm__jval *s = itsm__json_get(obj, key);
    if (!s || s->type != ITSM__JSTRING || !itsm__pname_okn(s->u.str.s, s->u.str.len))
        return itsm__json_schema_error(err, s ? s : obj, "'%s' must be a policy name (1..63 characters of a-z, "
                                       "0-9 and _)", key);
    return (*out = itsm__intern(eng, s->u.str.s, s->u.str.len)) ? ITSM_OK : ITSM_ENOMEM;
}

static int read_int(const itsm__jval *obj, const char *key, int64_t min, int64_t max, int64_t *out,
                    itsm_parse_error *err)
{
    const itsm__jval *v = itsm__json_get(obj, key);
    if (!v || v->type != ITSM__JNUMBER || !v->u.num.is_int || v->u.num.i < min || v->u.num.i > max)
        return itsm__json_schema_error(err, v ? v : obj, "'%s' must be a whole number %lld..%lld", key,
                                       (long long)min, (long long)max);
    *out = v->u.num.i;
    return ITSM_OK;
}

static int not_request(const itsm_event *ev, const itsm__jval *root, itsm_parse_error *err)
{
    if (ev->rec->kind == ITSM_KIND_SERVICE_REQUEST)
        return ITSM_OK;
    return itsm__json_schema_error(err, root, "%s is not a service request: it has no catalogue item or tasks",
                                   ev->rec->id);
}

static int item_read(itsm_engine *eng, itsm_event *ev, const itsm__jval *root, itsm_parse_error *err)
{
    int rc = not_request(ev, root, err);
    if (rc)
        return rc;
    const ff_rec *fr = rec_of(eng, ev->rec);
    if (fr && fr->n)
        return itsm__json_schema_error(err, root, "%s's tasks are generated already", ev->rec->id);
    item_ext *x = itsm__calloc(&eng->alloc, 1, sizeof *x);
    if (!x)
        return ITSM_ENOMEM;
    ev->ext = x;
    if ((rc = read_pname(eng, root, "item", &x->item, err)))
        return rc;
    return rec_reserve(eng, ev->rec) ? ITSM_OK : ITSM_ENOMEM;
}

static int tasks_read(itsm_engine *eng, itsm_event *ev, const itsm__jval *root, itsm_parse_error *err)
{
    static const char *const keys[] = { "item", "list", NULL };
    static const char *const tkeys[] = { "name", "group", "step", "priority", "ola_minutes", NULL };
    int rc = not_request(ev, root, err);
    if (rc)
        return rc;
    const ff_rec *fr = rec_of(eng, ev->rec);
    if (fr && fr->n)
        return itsm__json_schema_error(err, root, "%s's tasks are generated already", ev->rec->id);
    const itsm__jval *v = itsm__json_get(root, "tasks");
    if (!v || v->type != ITSM__JOBJECT)
        return itsm__json_schema_error(err, v ? v : root, "a request_tasks event needs a 'tasks' object");
    if ((rc = itsm__json_only_keys(v, keys, "tasks", err)))
        return rc;
    const itsm__jval *list = itsm__json_get(v, "list");
    if (!list || list->type != ITSM__JARRAY || !list->u.arr.n || list->u.arr.n > ITSM_CATALOGUE_MAX_TASKS)
        return itsm__json_schema_error(err, list ? list : v, "'list' must be an array of 1..%d tasks",
                                       ITSM_CATALOGUE_MAX_TASKS);
    tasks_ext *x = itsm__calloc(&eng->alloc, 1, sizeof *x);
    if (!x)
        return ITSM_ENOMEM;
    ev->ext = x;
    if ((rc = read_pname(eng, v, "item", &x->item, err)))
        return rc;
    if (!(x->t = itsm__calloc(&eng->alloc, list->u.arr.n, sizeof *x->t)) ||
        !(x->own = itsm__calloc(&eng->alloc, list->u.arr.n, sizeof *x->own)))
        return ITSM_ENOMEM;
    for (size_t i = 0; i < list->u.arr.n; i++) {
        const itsm__jval *e = &list->u.arr.items[i];
        ff_task *t = &x->t[i];
        int64_t step = 0, prio = 0, ola = 0;   /* set by read_int, or it fails */
        if (e->type != ITSM__JOBJECT)
            return itsm__json_schema_error(err, e, "a task must be an object");
        if ((rc = itsm__json_only_keys(e, tkeys, "task", err)) || (rc = read_pname(eng, e, "name", &t->name, err)))
            return rc;
        const itsm__jval *g = itsm__json_get(e, "group");
        itsm__errbuf why;
        if (!g || g->type != ITSM__JSTRING || itsm__check_symbol(&why, "group", NULL, g->u.str.s, g->u.str.len))
            return itsm__json_schema_error(err, g ? g : e, "'group' must be a name without control characters");
        if (!(t->group = itsm__intern(eng, g->u.str.s, g->u.str.len)))
            return ITSM_ENOMEM;
        int prev = i ? x->t[i - 1].step : 0;
        if ((rc = read_int(e, "step", i ? prev : 1, prev + 1, &step, err)) ||
            (rc = read_int(e, "priority", 0, 5, &prio, err)) ||
            (rc = read_int(e, "ola_minutes", 0, ITSM_TASK_MAX_OLA_MINUTES, &ola, err)))
            return rc;
        for (size_t j = 0; j < i; j++)
            if (x->t[j].name == t->name)   /* interned */
                return itsm__json_schema_error(err, e, "task '%s' is given twice", t->name);
        t->step = (int)step;
        t->priority = (int)prio;
        t->ola = ola;
        t->state = ITSM_TASK_WAITING;
        t->opened_at = t->due = t->closed_at = ITSM_TIME_NONE;
        x->n = i + 1;
    }
    return rec_reserve(eng, ev->rec) ? ITSM_OK : ITSM_ENOMEM;
}

static int task_read(itsm_engine *eng, itsm_event *ev, const itsm__jval *root, itsm_parse_error *err)
{
    static const char *const keys[] = { "name", "action", "assignee", "note", NULL };
    const itsm__jval *v = itsm__json_get(root, "task");
    if (!v || v->type != ITSM__JOBJECT)
        return itsm__json_schema_error(err, v ? v : root, "a request_task event needs a 'task' object");
    int rc = itsm__json_only_keys(v, keys, "task", err);
    if (rc)
        return rc;
    task_ext *x = itsm__calloc(&eng->alloc, 1, sizeof *x);
    if (!x)
        return ITSM_ENOMEM;
    ev->ext = x;
    if ((rc = read_pname(eng, v, "name", &x->name, err)))
        return rc;
    const itsm__jval *a = itsm__json_get(v, "action"), *who = itsm__json_get(v, "assignee");
    const itsm__jval *note = itsm__json_get(v, "note");
    x->action = -1;
    for (int k = 0; a && a->type == ITSM__JSTRING && k < 3; k++)
        if (strcmp(a->u.str.s, act_names[k]) == 0 && strlen(act_names[k]) == a->u.str.len)
            x->action = k;
    if (x->action < 0)
        return itsm__json_schema_error(err, a ? a : v, "'action' must be \"assign\", \"done\" or \"cancel\"");
    itsm__errbuf why;
    if (who && who->type != ITSM__JNULL) {
        if (who->type != ITSM__JSTRING || itsm__check_symbol(&why, "assignee", NULL, who->u.str.s, who->u.str.len))
            return itsm__json_schema_error(err, who, "'assignee' must be a name or null");
        if (!(x->assignee = itsm__intern(eng, who->u.str.s, who->u.str.len)))
            return ITSM_ENOMEM;
    }
    if ((x->action == ACT_ASSIGN) != (x->assignee != NULL))
        return itsm__json_schema_error(err, who ? who : v, "'assignee' is given with \"assign\" and only then");
    if (note && note->type != ITSM__JNULL) {
        if (note->type != ITSM__JSTRING || !note->u.str.len ||
            itsm__check_text(&why, "note", NULL, note->u.str.s, note->u.str.len))
            return itsm__json_schema_error(err, note, "'note' must be text or null");
        if (!(x->note = itsm__strndup(&eng->alloc, note->u.str.s, note->u.str.len)))
            return ITSM_ENOMEM;
    }
    /* The record as the earlier events left it must have the task, not
     * closed (and open, to be done): apply then cannot go wrong. */
    const ff_task *t = task_find(rec_of(eng, ev->rec), x->name);
    if (!t || closed(t->state) || (x->action == ACT_DONE && t->state != ITSM_TASK_OPEN))
        return itsm__json_schema_error(err, v, "%s has no %s task '%s'", ev->rec->id,
                                       x->action == ACT_DONE ? "open" : "unclosed", x->name);
    return ITSM_OK;
}

static void item_apply(itsm_engine *eng, itsm_event *ev)
{
    rec_of(eng, ev->rec)->item = ((const item_ext *)ev->ext)->item;   /* reserved */
}

static void tasks_apply(itsm_engine *eng, itsm_event *ev)
{
    tasks_ext *x = ev->ext;
    ff_rec *fr = rec_of(eng, ev->rec);   /* reserved */
    fr->item = x->item;
    memcpy(x->own, x->t, x->n * sizeof *x->t);
    fr->t = x->own;
    fr->n = x->n;
    x->own = NULL;
    open_step(fr, ev->at);
}

static void task_apply(itsm_engine *eng, itsm_event *ev)
{
    const task_ext *x = ev->ext;
    ff_rec *fr = rec_of(eng, ev->rec);
    ff_task *t = task_find(fr, x->name);   /* checked when built or read */
    if (!t)
        return;
    if (x->action == ACT_ASSIGN) {
        t->assignee = x->assignee;
        return;
    }
    t->state = x->action == ACT_DONE ? ITSM_TASK_DONE : ITSM_TASK_CANCELED;
    t->closed_at = ev->at;
    open_step(fr, ev->at);
}

static const char *const item_keys[] = { "item", NULL };
static const char *const tasks_keys[] = { "tasks", NULL };
static const char *const task_keys[] = { "task", NULL };
static const itsm__evclass evc_item = { "request_item", item_keys, item_write, item_read, item_apply, item_dispose };
static const itsm__evclass evc_tasks = { "request_tasks", tasks_keys, tasks_write, tasks_read, tasks_apply,
                                         tasks_dispose };
static const itsm__evclass evc_task = { "request_task", task_keys, task_write, task_read, task_apply, task_dispose };

/* ---- open tasks as a step would leave them ---- */

/* The tasks of `r` not closed once the batch being built applies: the
 * record's, plus any the batch generates, less the ones it closes (a
 * guard is asked before the step applies, and the request's completion
 * is fired in the step that closes its last task). */
static size_t open_after(const itsm_engine *eng, const itsm_record *r, const ff_rec *fr)
{
    size_t n = 0;
    for (size_t i = 0; fr && i < fr->n; i++)
        n += !closed(fr->t[i].state);
    for (size_t i = 0; i < eng->nbatch; i++) {
        const itsm_event *ev = &eng->batch[i];
        if (ev->rec != r || ev->applied || ev->type != ITSM__EV_EXT)
            continue;
        if (ev->cls == &evc_tasks)
            n += ((const tasks_ext *)ev->ext)->n;
        else if (ev->cls == &evc_task && ((const task_ext *)ev->ext)->action != ACT_ASSIGN && n)
            n--;
    }
    return n;
}

/* ---- the guard "tasks:done" ---- */

static int guard_parse(const char *arg, size_t n, int64_t *num, itsm__errbuf *e)
{
    (void)num;
    if (n == 4 && memcmp(arg, "done", 4) == 0)
        return ITSM_OK;
    return itsm__errbuf_set(e, ITSM_EINVAL, "'tasks:' takes 'done' (every task of the request closed)");
}

static int guard_met(const itsm_engine *eng, const itsm_record *r, const itsm_event *ev, const char *arg, int64_t num)
{
    (void)ev;
    (void)arg;
    (void)num;
    return open_after(eng, r, rec_of(eng, r)) == 0;
}

static void guard_describe(const itsm_engine *eng, const itsm_record *r, const itsm_event *ev, const char *arg,
                           int64_t num, char *out, size_t cap)
{
    (void)ev;
    (void)arg;
    (void)num;
    const ff_rec *fr = rec_of(eng, r);
    char list[300];
    size_t off = 0;
    list[0] = '\0';
    for (size_t i = 0; fr && i < fr->n && off < sizeof list; i++) {
        const ff_task *t = &fr->t[i];
        if (!closed(t->state))
            off += (size_t)snprintf(list + off, sizeof list - off, "%s'%s' (%s, %s)", off ? ", " : "", t->name,
                                    t->group, itsm_task_state_name(t->state));
    }
    snprintf(out, cap, "every task closed: %zu of %zu tasks of %s open (%s)", open_after(eng, r, fr),
             fr ? fr->n : 0, r->id, list);
}

static const itsm__guard_kind guard_tasks = { "tasks", guard_parse, guard_met, guard_describe };

/* ---- steps ---- */

/* The checks every call of a request's fulfilment starts with. */
static int request_entry(itsm_record *r, const char *what)
{
    itsm_engine *eng = r->eng;
    int rc = itsm__check_entry(eng);
    if (rc)
        return rc;
    if (r->kind != ITSM_KIND_SERVICE_REQUEST)
        return itsm__err(eng, ITSM_EINVAL, "%s: %s is not a service request (its kind is %s)", what, r->id,
                         itsm_kind_name((itsm_kind)r->kind));
    const itsm__lifecycle *lc = itsm__lifecycle_of(eng, r->kind);
    if (itsm__lc_is_closed(lc, r->state))
        return itsm__err(eng, ITSM_ESTATE, "%s: %s is %s", what, r->id, lc->states[r->state]);
    return ITSM_OK;
}

int itsm_request_choose_item(itsm_record *r, const char *item)
{
    if (!r)
        return ITSM_EINVAL;
    itsm_engine *eng = r->eng;
    int rc = request_entry(r, "cannot choose a catalogue item");
    if (rc)
        return rc;
    if (!item)
        return itsm__err(eng, ITSM_EINVAL, "a catalogue item is required");
    const itsm__ff_policy *fp = itsm__ff_policy_of(eng->policy);
    const itsm__ff_item *it = itsm__pname_ok(item) ? itsm__ff_item_find(fp, item) : NULL;
    if (!it) {
        char list[400];
        size_t off = 0;
        list[0] = '\0';
        for (size_t i = 0; i < fp->n && off < sizeof list; i++)
            off += (size_t)snprintf(list + off, sizeof list - off, "%s%s", i ? ", " : "", fp->items[i].name);
        return itsm__err(eng, ITSM_ENOTFOUND, "the service catalogue has no item '%.63s' (items: %s)",
                         itsm__pname_ok(item) ? item : "?", fp->n ? list : "none");
    }
    const ff_rec *fr = rec_of(eng, r);
    if (fr && fr->n)
        return itsm__err(eng, ITSM_ESTATE, "%s's tasks for catalogue item '%s' are generated already", r->id,
                         fr->item);
    itsm_time at = 0;
    if ((rc = itsm__now(eng, &at)))
        return rc;
    const char *name = rec_reserve(eng, r) ? itsm__intern(eng, it->name, strlen(it->name)) : NULL;
    item_ext *x = name ? itsm__calloc(&eng->alloc, 1, sizeof *x) : NULL;
    if (!x)
        return itsm__oom(eng);
    x->item = name;
    itsm__batch_begin(eng);
    itsm_event *ev = itsm__batch_add(eng, ITSM__EV_EXT, r, at);
    if (!ev) {
        itsm__free(&eng->alloc, x);
        return ITSM_ENOMEM;
    }
    ev->cls = &evc_item;
    ev->ext = x;
    return itsm__batch_commit(eng);
}

const char *itsm_request_item(const itsm_record *r)
{
    const ff_rec *fr = r ? rec_of(r->eng, r) : NULL;
    return fr ? fr->item : NULL;
}

/* The task `name` of r, or an ITSM_ENOTFOUND naming the tasks there are. */
static int task_arg(itsm_record *r, const char *name, ff_task **out)
{
    itsm_engine *eng = r->eng;
    if (!name)
        return itsm__err(eng, ITSM_EINVAL, "a task name is required");
    const ff_rec *fr = rec_of(eng, r);
    if ((*out = itsm__pname_ok(name) ? task_find(fr, name) : NULL))
        return ITSM_OK;
    char list[400];
    size_t off = 0;
    list[0] = '\0';
    for (size_t i = 0; fr && i < fr->n && off < sizeof list; i++)
        off += (size_t)snprintf(list + off, sizeof list - off, "%s%s", i ? ", " : "", fr->t[i].name);
    return itsm__err(eng, ITSM_ENOTFOUND, "%s has no task '%.63s' (tasks: %s)", r->id,
                     itsm__pname_ok(name) ? name : "?", off ? list : "none");
}

static int task_step(itsm_record *r, const ff_task *t, int action, const char *assignee, const char *note)
{
    itsm_engine *eng = r->eng;
    itsm_time at = 0;
    int rc = itsm__now(eng, &at);
    if (rc)
        return rc;
    task_ext *x = itsm__calloc(&eng->alloc, 1, sizeof *x);
    if (!x || (note && !(x->note = itsm__strdup(&eng->alloc, note)))) {
        itsm__free(&eng->alloc, x);
        return itsm__oom(eng);
    }
    x->name = t->name;   /* interned */
    x->action = action;
    x->assignee = assignee;
    itsm__batch_begin(eng);
    itsm_event *ev = itsm__batch_add(eng, ITSM__EV_EXT, r, at);
    if (!ev) {
        task_dispose(eng, &(itsm_event){ .ext = x });
        return ITSM_ENOMEM;
    }
    ev->cls = &evc_task;
    ev->ext = x;
    return itsm__batch_commit(eng);
}

int itsm_request_task_assign(itsm_record *r, const char *task, const char *assignee)
{
    if (!r)
        return ITSM_EINVAL;
    itsm_engine *eng = r->eng;
    int rc = request_entry(r, "cannot assign a task");
    ff_task *t;
    const char *who;
    if (rc || (rc = task_arg(r, task, &t)) || (rc = itsm__symbol_arg(eng, assignee, "assignee", &who)))
        return rc;
    if (closed(t->state))
        return itsm__err(eng, ITSM_ESTATE, "task '%s' of %s is %s already", t->name, r->id,
                         itsm_task_state_name(t->state));
    return task_step(r, t, ACT_ASSIGN, who, NULL);
}

int itsm_request_task_close(itsm_record *r, const char *task, itsm_task_state state, const char *note)
{
    if (!r)
        return ITSM_EINVAL;
    itsm_engine *eng = r->eng;
    int rc = request_entry(r, "cannot close a task");
    ff_task *t;
    if (rc || (rc = task_arg(r, task, &t)))
        return rc;
    if (state != ITSM_TASK_DONE && state != ITSM_TASK_CANCELED)
        return itsm__err(eng, ITSM_EINVAL, "a task closes as done or canceled, not as state %d", (int)state);
    if (note && (rc = itsm__text_arg(eng, note, "task note")))
        return rc;
    if (closed(t->state))
        return itsm__err(eng, ITSM_ESTATE, "task '%s' of %s is %s already", t->name, r->id,
                         itsm_task_state_name(t->state));
    if (state == ITSM_TASK_DONE && t->state == ITSM_TASK_WAITING) {
        const ff_rec *fr = rec_of(eng, r);
        char list[300];
        size_t off = 0;
        int step = 0;
        list[0] = '\0';
        for (size_t i = 0; i < fr->n; i++)
            if (fr->t[i].state == ITSM_TASK_OPEN && off < sizeof list) {
                step = fr->t[i].step;
                off += (size_t)snprintf(list + off, sizeof list - off, "%s'%s'", off ? ", " : "", fr->t[i].name);
            }
        return itsm__err(eng, ITSM_ESTATE, "task '%s' of %s waits for step %d (%s open)", t->name, r->id, step,
                         list);
    }
    return task_step(r, t, state == ITSM_TASK_DONE ? ACT_DONE : ACT_CANCEL, NULL, note);
}

/* ---- derived: tasks generated, canceled with the request, completion ---- */

static int add_tasks(itsm_engine *eng, itsm_record *r, const char *item, itsm_time at)
{
    const itsm__ff_item *it = itsm__ff_item_find(itsm__ff_policy_of(eng->policy), item);
    if (!it)
        return ITSM_OK;   /* chosen under another policy: nothing to generate */
    tasks_ext *x = rec_reserve(eng, r) ? itsm__calloc(&eng->alloc, 1, sizeof *x) : NULL;
    if (!x || !(x->t = itsm__calloc(&eng->alloc, it->n, sizeof *x->t)) ||
        !(x->own = itsm__calloc(&eng->alloc, it->n, sizeof *x->own))) {
        if (x)
            tasks_dispose(eng, &(itsm_event){ .ext = x });
        return itsm__oom(eng);
    }
    x->item = item;
    for (size_t i = 0; i < it->n; i++) {
        ff_task *t = &x->t[i];
        const itsm__ff_task_def *d = &it->t[i];
        if (!(t->name = itsm__intern(eng, d->name, strlen(d->name))) ||
            !(t->group = itsm__intern(eng, d->group, strlen(d->group)))) {
            tasks_dispose(eng, &(itsm_event){ .ext = x });
            return itsm__oom(eng);
        }
        t->step = d->step;
        t->priority = d->priority;
        t->ola = d->ola;
        t->state = ITSM_TASK_WAITING;
        t->opened_at = t->due = t->closed_at = ITSM_TIME_NONE;
    }
    x->n = it->n;
    itsm_event *ev = itsm__batch_add(eng, ITSM__EV_EXT, r, at);
    if (!ev) {
        tasks_dispose(eng, &(itsm_event){ .ext = x });
        return ITSM_ENOMEM;
    }
    ev->cls = &evc_tasks;
    ev->ext = x;
    return ITSM_OK;
}

static int cancel_tasks(itsm_engine *eng, itsm_record *r, const ff_rec *fr, itsm_time at)
{
    for (size_t i = 0; fr && i < fr->n; i++) {
        if (closed(fr->t[i].state))
            continue;
        task_ext *x = itsm__calloc(&eng->alloc, 1, sizeof *x);
        if (!x)
            return itsm__oom(eng);
        x->name = fr->t[i].name;
        x->action = ACT_CANCEL;
        itsm_event *ev = itsm__batch_add(eng, ITSM__EV_EXT, r, at);
        if (!ev) {
            itsm__free(&eng->alloc, x);
            return ITSM_ENOMEM;
        }
        ev->cls = &evc_task;
        ev->ext = x;
    }
    return ITSM_OK;
}

/* Whether term `g` would hold once the resolution notes are given. */
static int names_notes(const itsm__gterm *g)
{
    for (unsigned f = 0; (g->op == ITSM__G_SET || g->op == ITSM__G_ANY) && f < g->nfields; f++)
        if (g->fields[f] == ITSM_F_RESOLUTION_NOTES)
            return 1;
    return 0;
}

/* The last task closed: fire the policy's completion event when the
 * request can take it, with resolution notes if its guard asks for them
 * and the request has none; otherwise leave it to the host. */
static int complete(itsm_engine *eng, itsm_record *r, const ff_rec *fr, itsm_time at)
{
    const itsm__ff_policy *fp = itsm__ff_policy_of(eng->policy);
    const itsm__lifecycle *lc = itsm__lifecycle_of(eng, r->kind);
    int e = itsm__lc_event(lc, fp->complete);
    const itsm__transition *t = e < 0 ? NULL : itsm__find_transition(eng, r->kind, r->state, e);
    if (!t)
        return ITSM_OK;
    static const itsm_event none;
    uint64_t miss = itsm__guard_missing(r, &none, t);
    int give_notes = 0;
    for (size_t i = 0; i < t->nterms; i++)
        if ((miss >> i & 1) && names_notes(&t->terms[i]) && !r->str[itsm__fields[ITSM_F_RESOLUTION_NOTES].slot]) {
            miss &= ~((uint64_t)1 << i);
            give_notes = 1;
        }
    if (miss)
        return ITSM_OK;
    char notes[200];
    snprintf(notes, sizeof notes, "Fulfilled: every task of catalogue item '%s' closed (%zu tasks)", fr->item, fr->n);
    itsm_change c = { ITSM_F_RESOLUTION_NOTES, notes, 0 };
    return itsm__batch_fire(r, fp->complete, &c, give_notes ? 1 : 0, at);
}

#if defined(__GNUC__)
__attribute__((noinline))
#endif
static int derive(itsm_engine *eng, size_t n0)
{
    const itsm__ff_policy *fp = itsm__ff_policy_of(eng->policy);
    for (size_t i = 0; i < n0; i++) {
        itsm_event *ev = &eng->batch[i];   /* read before adding: the batch may move */
        itsm_record *r = ev->rec;
        if (!r || r->kind != ITSM_KIND_SERVICE_REQUEST || ev->type == ITSM__EV_OPEN)
            continue;
        const itsm__lifecycle *lc = itsm__lifecycle_of(eng, r->kind);
        const ff_rec *fr = rec_of(eng, r);
        itsm_time at = ev->at;
        int rc = ITSM_OK;
        if (ev->type == ITSM__EV_TRANSITION) {
            int to = ev->to_state;
            int s = itsm__lc_state(lc, fp->state);
            if (to == s && r->state != s && fr && fr->item && !fr->n)
                rc = add_tasks(eng, r, fr->item, at);
            else if (itsm__lc_is_closed(lc, to) && open_after(eng, r, fr))
                rc = cancel_tasks(eng, r, fr, at);
        } else if (ev->cls == &evc_item) {
            if (r->state == itsm__lc_state(lc, fp->state))
                rc = add_tasks(eng, r, ((const item_ext *)ev->ext)->item, at);
        } else if (ev->cls == &evc_task && ((const task_ext *)ev->ext)->action != ACT_ASSIGN) {
            if (fr && fr->n && !open_after(eng, r, fr))
                rc = complete(eng, r, fr, at);
        }
        if (rc)
            return rc;
    }
    return ITSM_OK;
}

/* Every step with a transition or an extension event comes here: a few
 * instructions unless a service request with an item or tasks takes part
 * (choosing an item makes its record's state before the step commits, so
 * an engine where no request has one has nothing to derive). */
static int extend(itsm_engine *eng, size_t n0)
{
    if (!state_of(eng)->recs.n)
        return ITSM_OK;
    for (size_t i = 0; i < n0; i++) {
        const itsm_record *r = eng->batch[i].rec;
        if (r && r->kind == ITSM_KIND_SERVICE_REQUEST)
            return derive(eng, n0);
    }
    return ITSM_OK;
}

/* ---- reading ---- */

size_t itsm_request_task_count(const itsm_record *r)
{
    const ff_rec *fr = r ? rec_of(r->eng, r) : NULL;
    return fr ? fr->n : 0;
}

int itsm_request_task_at(itsm_task_info *out, const itsm_record *r, size_t index)
{
    if (!r)
        return ITSM_EINVAL;
    const itsm_engine *eng = r->eng;
    if (!out)
        return itsm__err_const(eng, ITSM_EINVAL, "itsm_request_task_at: out is NULL");
    int rc = ITSM__SIZED(eng, out, itsm_task_info, breached);
    if (rc)
        return rc;
    const ff_rec *fr = rec_of(eng, r);
    size_t n = fr ? fr->n : 0;
    if (index >= n)
        return itsm__err_const(eng, ITSM_EINVAL, "task %zu is out of range (%s has %zu)", index, r->id, n);
    const ff_task *t = &fr->t[index];
    itsm_task_info full;
    memset(&full, 0, sizeof full);
    full.name = t->name;
    full.group = t->group;
    full.assignee = t->assignee;
    full.step = t->step;
    full.priority = t->priority;
    full.ola_minutes = t->ola;
    full.state = t->state;
    full.opened_at = t->opened_at;
    full.due = t->due;
    full.closed_at = t->closed_at;
    full.breached = closed(t->state) && t->due != ITSM_TIME_NONE && t->closed_at > t->due;
    itsm__sized_put(out, out->size, &full);
    return ITSM_OK;
}

/* ---- the capability ---- */

static const char *const policy_keys[] = { "fulfilment", NULL };
static const itsm__evclass *const classes[] = { &evc_item, &evc_tasks, &evc_task, NULL };
static const itsm__guard_kind *const guards[] = { &guard_tasks, NULL };

const itsm__capability itsm__cap_fulfilment = {
    .name = "fulfilment",
    .policy_keys = policy_keys,
    .policy_new = itsm__ff_policy_new,
    .policy_free = itsm__ff_policy_free,
    .policy_clone = itsm__ff_policy_clone,
    .policy_read = itsm__ff_policy_read,
    .policy_write = itsm__ff_policy_write,
    .policy_check = itsm__ff_policy_check,
    .engine_init = engine_init,
    .engine_free = engine_free,
    .extend_types = (1u << ITSM__EV_TRANSITION) | (1u << ITSM__EV_EXT),
    .extend = extend,
    .classes = classes,
    .guards = guards,
};
