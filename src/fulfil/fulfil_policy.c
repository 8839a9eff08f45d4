/* SPDX-License-Identifier: Apache-2.0 */
/* The request fulfilment section of the policy: the fulfilment state, the
 * completion event and the service catalogue - defaults, copy, the check
 * and the "fulfilment" member of the policy document (docs/policy.md). */
#include "fulfil/fulfil_int.h"
#include "kit/json.h"
#include "kit/names.h"
#include "kit/value.h"

#include <string.h>

/* ---- lifetime ---- */

static void item_free(const itsm_allocator *a, itsm__ff_item *it)
{
    for (size_t i = 0; i < it->n; i++) {
        itsm__free(a, it->t[i].name);
        itsm__free(a, it->t[i].group);
    }
    itsm__free(a, it->t);
    itsm__free(a, it->name);
    memset(it, 0, sizeof *it);
}

static void items_clear(const itsm_allocator *a, itsm__ff_policy *fp)
{
    for (size_t i = 0; i < fp->n; i++)
        item_free(a, &fp->items[i]);
    fp->n = 0;
}

void itsm__ff_policy_free(void *sect, const itsm_allocator *a)
{
    itsm__ff_policy *fp = sect;
    if (!fp)
        return;
    items_clear(a, fp);
    itsm__free(a, fp->items);
    itsm__free(a, fp->state);
    itsm__free(a, fp->complete);
    itsm__free(a, fp);
}

const itsm__ff_item *itsm__ff_item_find(const itsm__ff_policy *fp, const char *name)
{
    for (size_t i = 0; i < fp->n; i++)
        if (strcmp(fp->items[i].name, name) == 0)
            return &fp->items[i];
    return NULL;
}

/* Append a copy of `src` (checked by the caller). ITSM_OK or ITSM_ENOMEM
 * (the section as it was). */
static int item_add(itsm__ff_policy *fp, const itsm_allocator *a, const itsm__ff_item *src)
{
    itsm__ff_item it;
    memset(&it, 0, sizeof it);
    if (itsm__grow(a, (void **)&fp->items, &fp->c, fp->n + 1, sizeof *fp->items) ||
        !(it.name = itsm__strdup(a, src->name)) || !(it.t = itsm__calloc(a, src->n ? src->n : 1, sizeof *it.t))) {
        item_free(a, &it);
        return ITSM_ENOMEM;
    }
    for (size_t i = 0; i < src->n; i++) {
        it.t[i] = src->t[i];
        it.t[i].name = itsm__strdup(a, src->t[i].name);
        it.t[i].group = itsm__strdup(a, src->t[i].group);
        it.n = i + 1;
        if (!it.t[i].name || !it.t[i].group) {
            item_free(a, &it);
            return ITSM_ENOMEM;
        }
    }
    fp->items[fp->n++] = it;
    return ITSM_OK;
}

static int section_new(itsm__ff_policy **out, const itsm_allocator *a, const char *state, const char *complete)
{
    itsm__ff_policy *fp = itsm__calloc(a, 1, sizeof *fp);
    if (!fp || !(fp->state = itsm__strdup(a, state)) || !(fp->complete = itsm__strdup(a, complete))) {
        itsm__ff_policy_free(fp, a);
        return ITSM_ENOMEM;
    }
    *out = fp;
    return ITSM_OK;
}

/* The default: tasks are generated as the approved request goes into
 * fulfilment, the last one completes it, and the catalogue is empty (a
 * host lists its items). */
int itsm__ff_policy_new(void **sect, const itsm_allocator *a)
{
    itsm__ff_policy *fp;
    int rc = section_new(&fp, a, "fulfilling", "complete");
    if (!rc)
        *sect = fp;
    return rc;
}

int itsm__ff_policy_clone(void **out, const void *src, const itsm_allocator *a)
{
    const itsm__ff_policy *s = src;
    itsm__ff_policy *fp = NULL;
    if (section_new(&fp, a, s->state, s->complete))
        return ITSM_ENOMEM;
    for (size_t i = 0; i < s->n; i++)
        if (item_add(fp, a, &s->items[i])) {
            itsm__ff_policy_free(fp, a);
            return ITSM_ENOMEM;
        }
    *out = fp;
    return ITSM_OK;
}

/* ---- the document ---- */

static int read_task(itsm__ff_task_def *t, const itsm__jval *v, int prev_step, itsm_parse_error *err)
{
    static const char *const keys[] = { "name", "group", "step", "priority", "ola_minutes", NULL };
    if (v->type != ITSM__JOBJECT)
        return itsm__json_schema_error(err, v, "a catalogue task must be an object");
    int rc = itsm__json_only_keys(v, keys, "catalogue task", err);
    if (rc)
        return rc;
    const itsm__jval *nm = itsm__json_get(v, "name"), *gr = itsm__json_get(v, "group");
    const itsm__jval *st = itsm__json_get(v, "step"), *pr = itsm__json_get(v, "priority");
    const itsm__jval *ola = itsm__json_get(v, "ola_minutes");
    if (!nm || nm->type != ITSM__JSTRING || !itsm__pname_okn(nm->u.str.s, nm->u.str.len))
        return itsm__json_schema_error(err, nm ? nm : v, "a catalogue task needs a 'name' of 1..63 characters "
                                       "of a-z, 0-9 and _");
    itsm__errbuf e;
    if (!gr || gr->type != ITSM__JSTRING || itsm__check_symbol(&e, "group", NULL, gr->u.str.s, gr->u.str.len))
        return itsm__json_schema_error(err, gr ? gr : v, "catalogue task '%s' needs a 'group' (a name without "
                                       "control characters)", nm->u.str.s);
    /* Steps: absent, the task follows the one before (a sequence); the
     * same number as the one before, it runs beside it (in parallel). */
    int step = prev_step + 1;
    if (st && st->type != ITSM__JNULL) {
        if (st->type != ITSM__JNUMBER || !st->u.num.is_int || st->u.num.i < 1 ||
            (st->u.num.i != prev_step && st->u.num.i != prev_step + 1))
            return itsm__json_schema_error(err, st, "catalogue task '%s': 'step' must be the step before it (%d, "
                                           "in parallel) or the next (%d, in sequence)",
                                           nm->u.str.s, prev_step ? prev_step : 1, prev_step + 1);
        step = (int)st->u.num.i;
    }
    int priority = 0;
    if (pr && pr->type != ITSM__JNULL) {
        if (pr->type != ITSM__JNUMBER || !pr->u.num.is_int || pr->u.num.i < 1 || pr->u.num.i > 5)
            return itsm__json_schema_error(err, pr, "catalogue task '%s': 'priority' must be 1..5 or null",
                                           nm->u.str.s);
        priority = (int)pr->u.num.i;
    }
    int64_t minutes = 0;
    if (ola && ola->type != ITSM__JNULL) {
        if (ola->type != ITSM__JNUMBER || !ola->u.num.is_int || ola->u.num.i < 1 ||
            ola->u.num.i > ITSM_TASK_MAX_OLA_MINUTES)
            return itsm__json_schema_error(err, ola, "catalogue task '%s': 'ola_minutes' must be 1..%d or null",
                                           nm->u.str.s, ITSM_TASK_MAX_OLA_MINUTES);
        minutes = ola->u.num.i;
    }
    t->name = (char *)(uintptr_t)nm->u.str.s;   /* borrowed from the document until item_add copies */
    t->group = (char *)(uintptr_t)gr->u.str.s;
    t->step = step;
    t->priority = priority;
    t->ola = minutes;
    return ITSM_OK;
}

static int read_item(itsm__ff_policy *fp, const itsm_allocator *a, const itsm__jval *v, itsm_parse_error *err)
{
    static const char *const keys[] = { "name", "tasks", NULL };
    if (v->type != ITSM__JOBJECT)
        return itsm__json_schema_error(err, v, "a catalogue item must be an object");
    int rc = itsm__json_only_keys(v, keys, "catalogue item", err);
    if (rc)
        return rc;
    const itsm__jval *nm = itsm__json_get(v, "name"), *ts = itsm__json_get(v, "tasks");
    if (!nm || nm->type != ITSM__JSTRING || !itsm__pname_okn(nm->u.str.s, nm->u.str.len))
        return itsm__json_schema_error(err, nm ? nm : v, "a catalogue item needs a 'name' of 1..63 characters "
                                       "of a-z, 0-9 and _");
    if (itsm__ff_item_find(fp, nm->u.str.s))
        return itsm__json_schema_error(err, nm, "catalogue item '%s' is given twice", nm->u.str.s);
    if (!ts || ts->type != ITSM__JARRAY || !ts->u.arr.n || ts->u.arr.n > ITSM_CATALOGUE_MAX_TASKS)
        return itsm__json_schema_error(err, ts ? ts : v, "catalogue item '%s' needs 'tasks': an array of 1..%d "
                                       "tasks", nm->u.str.s, ITSM_CATALOGUE_MAX_TASKS);
    itsm__ff_task_def t[ITSM_CATALOGUE_MAX_TASKS];
    for (size_t i = 0; i < ts->u.arr.n; i++) {
        if ((rc = read_task(&t[i], &ts->u.arr.items[i], i ? t[i - 1].step : 0, err)))
            return rc;
        for (size_t j = 0; j < i; j++)
            if (strcmp(t[i].name, t[j].name) == 0)
                return itsm__json_schema_error(err, &ts->u.arr.items[i], "catalogue item '%s': task '%s' is "
                                               "given twice", nm->u.str.s, t[i].name);
    }
    itsm__ff_item it = { (char *)(uintptr_t)nm->u.str.s, t, ts->u.arr.n };
    return item_add(fp, a, &it);
}

static int read_name(char **slot, const itsm_allocator *a, const itsm__jval *v, const char *what,
                     itsm_parse_error *err)
{
    if (!v)
        return ITSM_OK;
    if (v->type != ITSM__JSTRING || !itsm__pname_okn(v->u.str.s, v->u.str.len))
        return itsm__json_schema_error(err, v, "'%s' must be %s name: 1..63 characters of a-z, 0-9 and _", what,
                                       strcmp(what, "state") == 0 ? "a state" : "an event");
    char *copy = itsm__strdup(a, v->u.str.s);
    if (!copy)
        return ITSM_ENOMEM;
    itsm__free(a, *slot);
    *slot = copy;
    return ITSM_OK;
}

int itsm__ff_policy_read(itsm_policy *p, const itsm__jval *root, itsm_parse_error *err)
{
    static const char *const keys[] = { "state", "complete", "catalogue", NULL };
    const itsm__jval *v = itsm__json_get(root, "fulfilment");
    if (!v)
        return ITSM_OK;
    if (v->type != ITSM__JOBJECT)
        return itsm__json_schema_error(err, v, "'fulfilment' must be an object");
    int rc = itsm__json_only_keys(v, keys, "fulfilment", err);
    if (rc)
        return rc;
    itsm__ff_policy *fp = itsm__ff_policy_of(p);
    if ((rc = read_name(&fp->state, &p->alloc, itsm__json_get(v, "state"), "state", err)) ||
        (rc = read_name(&fp->complete, &p->alloc, itsm__json_get(v, "complete"), "complete", err)))
        return rc;
    const itsm__jval *cat = itsm__json_get(v, "catalogue");
    if (!cat)
        return ITSM_OK;
    if (cat->type != ITSM__JARRAY || cat->u.arr.n > ITSM_CATALOGUE_MAX_ITEMS)
        return itsm__json_schema_error(err, cat, "'catalogue' must be an array of at most %d items",
                                       ITSM_CATALOGUE_MAX_ITEMS);
    items_clear(&p->alloc, fp);   /* the document's catalogue replaces the default */
    for (size_t i = 0; i < cat->u.arr.n; i++)
        if ((rc = read_item(fp, &p->alloc, &cat->u.arr.items[i], err)))
            return rc;
    return ITSM_OK;
}

void itsm__ff_policy_write(const itsm_policy *p, itsm__jw *w)
{
    const itsm__ff_policy *fp = itsm__ff_policy_of(p);
    itsm__jw_key(w, "fulfilment");
    itsm__jw_obj_begin(w);
    itsm__jw_key(w, "state");
    itsm__jw_str(w, fp->state);
    itsm__jw_key(w, "complete");
    itsm__jw_str(w, fp->complete);
    itsm__jw_key(w, "catalogue");
    itsm__jw_arr_begin(w);
    for (size_t i = 0; i < fp->n; i++) {
        const itsm__ff_item *it = &fp->items[i];
        itsm__jw_obj_begin(w);
        itsm__jw_key(w, "name");
        itsm__jw_str(w, it->name);
        itsm__jw_key(w, "tasks");
        itsm__jw_arr_begin(w);
        for (size_t k = 0; k < it->n; k++) {
            const itsm__ff_task_def *t = &it->t[k];
            itsm__jw_obj_begin(w);
            itsm__jw_key(w, "name");
            itsm__jw_str(w, t->name);
            itsm__jw_key(w, "group");
            itsm__jw_str(w, t->group);
            itsm__jw_key(w, "step");
            itsm__jw_int(w, t->step);
            itsm__jw_key(w, "priority");
            if (t->priority)
                itsm__jw_int(w, t->priority);
            else
                itsm__jw_null(w);
            itsm__jw_key(w, "ola_minutes");
            if (t->ola)
                itsm__jw_int(w, t->ola);
            else
                itsm__jw_null(w);
            itsm__jw_obj_end(w);
        }
        itsm__jw_arr_end(w);
        itsm__jw_obj_end(w);
    }
    itsm__jw_arr_end(w);
    itsm__jw_obj_end(w);
}

/* With a catalogue, the service request lifecycle must have the state
 * that generates the tasks (an open one) and the event the last task
 * fires. An empty catalogue names nothing that could fail. */
void itsm__ff_policy_check(itsm_policy *p)
{
    const itsm__ff_policy *fp = itsm__ff_policy_of(p);
    const itsm__lifecycle *lc = &p->lc[ITSM_KIND_SERVICE_REQUEST];
    if (!fp->n)
        return;
    if (!lc->nstates) {
        itsm__finding(p, "fulfilment: the policy has a service catalogue but no service_request lifecycle");
        return;
    }
    int s = itsm__lc_state(lc, fp->state);
    if (s < 0)
        itsm__finding(p, "fulfilment: the service_request lifecycle has no state '%s' to generate tasks in",
                      fp->state);
    else if (itsm__lc_is_closed(lc, s))
        itsm__finding(p, "fulfilment: state '%s' generates tasks but is a closed state", fp->state);
    if (itsm__lc_event(lc, fp->complete) < 0)
        itsm__finding(p, "fulfilment: the service_request lifecycle has no event '%s' for the last task to fire",
                      fp->complete);
}
