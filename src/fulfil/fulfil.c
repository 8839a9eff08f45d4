/* SPDX-License-Identifier: Apache-2.0 */
/* Request fulfilment (itsm/request.h): a request's catalogue item, the
 * tasks it generates as events, their steps, the guard "tasks:done", and
 * the request moving on when its last task closes. */
#include "fulfil/fulfil_int.h"
#include "core/abi.h"
#include "itsm/approval.h"
#include "kit/json.h"
#include "kit/names.h"
#include "kit/value.h"

#include <stdio.h>
#include <string.h>

static void rec_free(itsm_engine *eng, void *entry)
{
    ff_rec *fr = entry;
    itsm__free(&eng->alloc, fr->t);
    itsm__free(&eng->alloc, fr);
}

static int  engine_init(itsm_engine *eng) { return itsm__cap_map_init(eng, ITSM__CAP_FULFILMENT); }
static void engine_free(itsm_engine *eng) { itsm__cap_map_free(eng, ITSM__CAP_FULFILMENT, rec_free); }

const char *itsm_task_state_name(itsm_task_state s)
{
    static const char *const names[] = { "waiting", "open", "done", "canceled" };
    return (unsigned)s < 4 ? names[s] : NULL;
}

/* ---- open tasks as a step would leave them ---- */

/* The tasks of `r` not closed once the batch being built applies: the
 * record's, plus any the batch generates, less the ones it closes (a
 * guard is asked before the step applies, and the request's completion
 * is fired in the step that closes its last task). */
static size_t open_after(const itsm_engine *eng, const itsm_record *r, const ff_rec *fr)
{
    size_t n = 0;
    for (size_t i = 0; fr && i < fr->n; i++)
        n += !itsm__ff_closed(fr->t[i].state);
    for (size_t i = 0; i < eng->nbatch; i++) {
        const itsm_event *ev = &eng->batch[i];
        if (ev->rec != r || ev->applied || ev->type != ITSM__EV_EXT)
            continue;
        if (ev->cls == &itsm__ff_evc_tasks)
            n += ((const ff_tasks_ext *)ev->ext)->n;
        else if (ev->cls == &itsm__ff_evc_task && ((const ff_task_ext *)ev->ext)->action != FF_ACT_ASSIGN && n)
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
    return open_after(eng, r, itsm__ff_rec_of(eng, r)) == 0;
}

static void guard_describe(const itsm_engine *eng, const itsm_record *r, const itsm_event *ev, const char *arg,
                           int64_t num, char *out, size_t cap)
{
    (void)ev;
    (void)arg;
    (void)num;
    const ff_rec *fr = itsm__ff_rec_of(eng, r);
    char list[300];
    size_t off = 0;
    list[0] = '\0';
    for (size_t i = 0; fr && i < fr->n && off < sizeof list; i++) {
        const ff_task *t = &fr->t[i];
        if (!itsm__ff_closed(t->state))
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
    const ff_rec *fr = itsm__ff_rec_of(eng, r);
    if (fr && fr->n)
        return itsm__err(eng, ITSM_ESTATE, "%s's tasks for catalogue item '%s' are generated already", r->id,
                         fr->item);
    /* The approvers approved the item the request named: another one
     * would have its tasks generated under their approval. */
    const char *had = itsm_request_item(r);
    itsm_approval_info ap = { .size = sizeof ap };
    if (had && strcmp(had, it->name) != 0 && itsm_record_approval(&ap, r) == ITSM_OK &&
        ap.status == ITSM_APPROVAL_APPROVED)
        return itsm__err(eng, ITSM_ESTATE,
                         "%s was approved for catalogue item '%s': choosing '%.63s' instead would go around its "
                         "approval (raise a new request)", r->id, had, it->name);
    itsm_time at = 0;
    if ((rc = itsm__now(eng, &at)))
        return rc;
    const char *name = itsm__ff_rec_reserve(eng, r) ? itsm__intern(eng, it->name, strlen(it->name)) : NULL;
    ff_item_ext *x = name ? itsm__calloc(&eng->alloc, 1, sizeof *x) : NULL;
    if (!x)
        return itsm__oom(eng);
    x->item = name;
    itsm__batch_begin(eng);
    itsm_event *ev = itsm__batch_add(eng, ITSM__EV_EXT, r, at);
    if (!ev) {
        itsm__free(&eng->alloc, x);
        return ITSM_ENOMEM;
    }
    ev->cls = &itsm__ff_evc_item;
    ev->ext = x;
    return itsm__batch_commit(eng);
}

const char *itsm_request_item(const itsm_record *r)
{
    const ff_rec *fr = r ? itsm__ff_rec_of(r->eng, r) : NULL;
    return fr ? fr->item : NULL;
}

/* The task `name` of r, or an ITSM_ENOTFOUND naming the tasks there are. */
static int task_arg(itsm_record *r, const char *name, ff_task **out)
{
    itsm_engine *eng = r->eng;
    if (!name)
        return itsm__err(eng, ITSM_EINVAL, "a task name is required");
    const ff_rec *fr = itsm__ff_rec_of(eng, r);
    if ((*out = itsm__pname_ok(name) ? itsm__ff_task_find(fr, name) : NULL))
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
    ff_task_ext *x = itsm__calloc(&eng->alloc, 1, sizeof *x);
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
        itsm__ff_evc_task.dispose(eng, &(itsm_event){ .ext = x });
        return ITSM_ENOMEM;
    }
    ev->cls = &itsm__ff_evc_task;
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
    if (itsm__ff_closed(t->state))
        return itsm__err(eng, ITSM_ESTATE, "task '%s' of %s is %s already", t->name, r->id,
                         itsm_task_state_name(t->state));
    return task_step(r, t, FF_ACT_ASSIGN, who, NULL);
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
    if (note && !*note)
        note = NULL;   /* optional: "" is no note, as for approvals and reviews */
    if (note && (rc = itsm__text_arg(eng, note, "task note")))
        return rc;
    if (itsm__ff_closed(t->state))
        return itsm__err(eng, ITSM_ESTATE, "task '%s' of %s is %s already", t->name, r->id,
                         itsm_task_state_name(t->state));
    if (state == ITSM_TASK_DONE && t->state == ITSM_TASK_WAITING) {
        const ff_rec *fr = itsm__ff_rec_of(eng, r);
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
    return task_step(r, t, state == ITSM_TASK_DONE ? FF_ACT_DONE : FF_ACT_CANCEL, NULL, note);
}

/* ---- derived: tasks generated, canceled with the request, completion ---- */

static int add_tasks(itsm_engine *eng, itsm_record *r, const char *item, itsm_time at)
{
    const itsm__ff_item *it = itsm__ff_item_find(itsm__ff_policy_of(eng->policy), item);
    if (!it)
        return ITSM_OK;   /* chosen under another policy: nothing to generate */
    ff_tasks_ext *x = itsm__ff_rec_reserve(eng, r) ? itsm__calloc(&eng->alloc, 1, sizeof *x) : NULL;
    if (!x || !(x->t = itsm__calloc(&eng->alloc, it->n, sizeof *x->t)) ||
        !(x->own = itsm__calloc(&eng->alloc, it->n, sizeof *x->own))) {
        if (x)
            itsm__ff_evc_tasks.dispose(eng, &(itsm_event){ .ext = x });
        return itsm__oom(eng);
    }
    x->item = item;
    for (size_t i = 0; i < it->n; i++) {
        ff_task *t = &x->t[i];
        const itsm__ff_task_def *d = &it->t[i];
        if (!(t->name = itsm__intern(eng, d->name, strlen(d->name))) ||
            !(t->group = itsm__intern(eng, d->group, strlen(d->group)))) {
            itsm__ff_evc_tasks.dispose(eng, &(itsm_event){ .ext = x });
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
        itsm__ff_evc_tasks.dispose(eng, &(itsm_event){ .ext = x });
        return ITSM_ENOMEM;
    }
    ev->cls = &itsm__ff_evc_tasks;
    ev->ext = x;
    return ITSM_OK;
}

static int cancel_tasks(itsm_engine *eng, itsm_record *r, const ff_rec *fr, itsm_time at)
{
    for (size_t i = 0; fr && i < fr->n; i++) {
        if (itsm__ff_closed(fr->t[i].state))
            continue;
        ff_task_ext *x = itsm__calloc(&eng->alloc, 1, sizeof *x);
        if (!x)
            return itsm__oom(eng);
        x->name = fr->t[i].name;
        x->action = FF_ACT_CANCEL;
        itsm_event *ev = itsm__batch_add(eng, ITSM__EV_EXT, r, at);
        if (!ev) {
            itsm__free(&eng->alloc, x);
            return ITSM_ENOMEM;
        }
        ev->cls = &itsm__ff_evc_task;
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

/* Whether a task of the request is done once the batch applies: when
 * every task was canceled nothing was delivered, and the request is not
 * fulfilled by the engine (the host cancels it, or completes it itself). */
static int done_after(const itsm_engine *eng, const itsm_record *r, const ff_rec *fr)
{
    for (size_t i = 0; fr && i < fr->n; i++)
        if (fr->t[i].state == ITSM_TASK_DONE)
            return 1;
    for (size_t i = 0; i < eng->nbatch; i++) {
        const itsm_event *ev = &eng->batch[i];
        if (ev->rec == r && !ev->applied && ev->type == ITSM__EV_EXT && ev->cls == &itsm__ff_evc_task &&
            ((const ff_task_ext *)ev->ext)->action == FF_ACT_DONE)
            return 1;
    }
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
        if ((miss >> i & 1) && names_notes(&t->terms[i]) && !itsm__rec_str(r, itsm__fields[ITSM_F_RESOLUTION_NOTES].slot)) {
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
        const ff_rec *fr = itsm__ff_rec_of(eng, r);
        itsm_time at = ev->at;
        int rc = ITSM_OK;
        if (ev->type == ITSM__EV_TRANSITION) {
            int to = ev->to_state;
            int s = itsm__lc_state(lc, fp->state);
            if (to == s && r->state != s && fr && fr->item && !fr->n)
                rc = add_tasks(eng, r, fr->item, at);
            else if (itsm__lc_is_closed(lc, to) && open_after(eng, r, fr))
                rc = cancel_tasks(eng, r, fr, at);
        } else if (ev->cls == &itsm__ff_evc_item) {
            if (r->state == itsm__lc_state(lc, fp->state))
                rc = add_tasks(eng, r, ((const ff_item_ext *)ev->ext)->item, at);
        } else if (ev->cls == &itsm__ff_evc_task && ((const ff_task_ext *)ev->ext)->action != FF_ACT_ASSIGN) {
            if (fr && fr->n && !open_after(eng, r, fr) && done_after(eng, r, fr))
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
    if (!itsm__ff_recs(eng)->n)
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
    const ff_rec *fr = r ? itsm__ff_rec_of(r->eng, r) : NULL;
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
    const ff_rec *fr = itsm__ff_rec_of(eng, r);
    size_t n = fr ? fr->n : 0;
    if (index >= n)
        return itsm__err_const(eng, ITSM_EINVAL,
                               "itsm_request_task_at: task %zu is out of range (%s has %zu)", index, r->id, n);
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
    full.breached = itsm__ff_closed(t->state) && t->due != ITSM_TIME_NONE && t->closed_at > t->due;
    itsm__sized_put(out, out->size, &full);
    return ITSM_OK;
}

/* ---- the capability ---- */

static const char *const policy_keys[] = { "fulfilment", NULL };
static const itsm__evclass *const classes[] = { &itsm__ff_evc_item, &itsm__ff_evc_tasks, &itsm__ff_evc_task, NULL };
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
    .extend_kinds = 1u << ITSM_KIND_SERVICE_REQUEST,
    .extend = extend,
    .classes = classes,
    .guards = guards,
};
