/* SPDX-License-Identifier: Apache-2.0 */
/* Request fulfilment's events: a request's catalogue item, the tasks it
 * generates and each task's steps - written, read back strictly (replay),
 * applied and disposed of - and the task state they move. */
#include "fulfil/fulfil_int.h"
#include "kit/json.h"
#include "kit/names.h"
#include "kit/value.h"

#include <string.h>

ff_rec *itsm__ff_rec_of(const itsm_engine *eng, const itsm_record *r)
{
    const itsm__ptrmap *recs = itsm__ff_recs(eng);
    return recs ? itsm__ptrmap_get(recs, r) : NULL;
}

ff_rec *itsm__ff_rec_reserve(itsm_engine *eng, const itsm_record *r)
{
    itsm__ptrmap *recs = itsm__ff_recs(eng);
    ff_rec *fr = itsm__ptrmap_get(recs, r);
    if (!fr) {
        if (itsm__ptrmap_reserve(recs, &eng->alloc, 1) || !(fr = itsm__calloc(&eng->alloc, 1, sizeof *fr)))
            return NULL;
        fr->rec = r;
        itsm__ptrmap_put(recs, fr);
    }
    return fr;
}

ff_task *itsm__ff_task_find(const ff_rec *fr, const char *name)
{
    for (size_t i = 0; fr && i < fr->n; i++)
        if (strcmp(fr->t[i].name, name) == 0)
            return &fr->t[i];
    return NULL;
}

void itsm__ff_open_step(ff_rec *fr, itsm_time at)
{
    int step = 0;
    for (size_t i = 0; i < fr->n; i++)
        if (!itsm__ff_closed(fr->t[i].state) && (!step || fr->t[i].step < step))
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

static const char *const act_names[] = { "assign", "done", "cancel" };

static void tasks_dispose(itsm_engine *eng, itsm_event *ev)
{
    ff_tasks_ext *x = ev->ext;
    if (x) {
        itsm__free(&eng->alloc, x->t);
        itsm__free(&eng->alloc, x->own);   /* NULL once applied: the record has it */
    }
    itsm__free(&eng->alloc, x);
    ev->ext = NULL;
}

static void task_dispose(itsm_engine *eng, itsm_event *ev)
{
    ff_task_ext *x = ev->ext;
    if (x)
        itsm__free(&eng->alloc, x->note);
    itsm__free(&eng->alloc, x);
    ev->ext = NULL;
}

static void item_write(const itsm_event *ev, itsm__jw *w)
{
    itsm__jw_key(w, "item");
    itsm__jw_str(w, ((const ff_item_ext *)ev->ext)->item);
}

static void tasks_write(const itsm_event *ev, itsm__jw *w)
{
    const ff_tasks_ext *x = ev->ext;
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
    const ff_task_ext *x = ev->ext;
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
    const ff_rec *fr = itsm__ff_rec_of(eng, ev->rec);
    if (fr && fr->n)
        return itsm__json_schema_error(err, root, "%s's tasks are generated already", ev->rec->id);
    ff_item_ext *x = itsm__calloc(&eng->alloc, 1, sizeof *x);
    if (!x)
        return ITSM_ENOMEM;
    ev->ext = x;
    if ((rc = read_pname(eng, root, "item", &x->item, err)))
        return rc;
    return itsm__ff_rec_reserve(eng, ev->rec) ? ITSM_OK : ITSM_ENOMEM;
}

static int tasks_read(itsm_engine *eng, itsm_event *ev, const itsm__jval *root, itsm_parse_error *err)
{
    static const char *const keys[] = { "item", "list", NULL };
    static const char *const tkeys[] = { "name", "group", "step", "priority", "ola_minutes", NULL };
    int rc = not_request(ev, root, err);
    if (rc)
        return rc;
    const ff_rec *fr = itsm__ff_rec_of(eng, ev->rec);
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
    ff_tasks_ext *x = itsm__calloc(&eng->alloc, 1, sizeof *x);
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
    return itsm__ff_rec_reserve(eng, ev->rec) ? ITSM_OK : ITSM_ENOMEM;
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
    ff_task_ext *x = itsm__calloc(&eng->alloc, 1, sizeof *x);
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
    if ((x->action == FF_ACT_ASSIGN) != (x->assignee != NULL))
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
    const ff_task *t = itsm__ff_task_find(itsm__ff_rec_of(eng, ev->rec), x->name);
    if (!t || itsm__ff_closed(t->state) || (x->action == FF_ACT_DONE && t->state != ITSM_TASK_OPEN))
        return itsm__json_schema_error(err, v, "%s has no %s task '%s'", ev->rec->id,
                                       x->action == FF_ACT_DONE ? "open" : "unclosed", x->name);
    return ITSM_OK;
}

static void item_apply(itsm_engine *eng, itsm_event *ev)
{
    itsm__ff_rec_of(eng, ev->rec)->item = ((const ff_item_ext *)ev->ext)->item;   /* reserved */
}

static void tasks_apply(itsm_engine *eng, itsm_event *ev)
{
    ff_tasks_ext *x = ev->ext;
    ff_rec *fr = itsm__ff_rec_of(eng, ev->rec);   /* reserved */
    fr->item = x->item;
    memcpy(x->own, x->t, x->n * sizeof *x->t);
    fr->t = x->own;
    fr->n = x->n;
    x->own = NULL;
    itsm__ff_open_step(fr, ev->at);
}

static void task_apply(itsm_engine *eng, itsm_event *ev)
{
    const ff_task_ext *x = ev->ext;
    ff_rec *fr = itsm__ff_rec_of(eng, ev->rec);
    ff_task *t = itsm__ff_task_find(fr, x->name);   /* checked when built or read */
    if (!t)
        return;
    if (x->action == FF_ACT_ASSIGN) {
        t->assignee = x->assignee;
        return;
    }
    t->state = x->action == FF_ACT_DONE ? ITSM_TASK_DONE : ITSM_TASK_CANCELED;
    t->closed_at = ev->at;
    itsm__ff_open_step(fr, ev->at);
}

static const char *const item_keys[] = { "item", NULL };
static const char *const tasks_keys[] = { "tasks", NULL };
static const char *const task_keys[] = { "task", NULL };
const itsm__evclass itsm__ff_evc_item = { "request_item", item_keys, item_write, item_read, item_apply,
                                         itsm__evclass_free_ext, NULL };
const itsm__evclass itsm__ff_evc_tasks = { "request_tasks", tasks_keys, tasks_write, tasks_read, tasks_apply,
                                         tasks_dispose, NULL };
const itsm__evclass itsm__ff_evc_task = { "request_task", task_keys, task_write, task_read, task_apply, task_dispose, NULL };

