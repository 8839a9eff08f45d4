/* SPDX-License-Identifier: Apache-2.0 */
/* The post-incident review (itsm/review.h): its events, the engine state
 * they build, the overdue timers and the guard term "review:owned". The
 * calls that build the events are in review_api.c. */
#include "review/review_int.h"
#include "review/review_ext.h"
#include "kit/json.h"
#include "kit/value.h"

#include <stdio.h>
#include <string.h>

/* ---- engine state ---- */

static void review_free(itsm_engine *eng, itsm__review *rv)
{
    if (!rv)
        return;
    for (size_t i = 0; i < rv->ncauses; i++)
        itsm__free(&eng->alloc, rv->causes[i].text);
    for (size_t i = 0; i < rv->nacts; i++) {
        itsm__free(&eng->alloc, rv->acts[i].text);
        itsm__free(&eng->alloc, rv->acts[i].note);
    }
    itsm__free(&eng->alloc, rv->causes);
    itsm__free(&eng->alloc, rv->acts);
    itsm__free(&eng->alloc, rv);
}

static int engine_init(itsm_engine *eng)
{
    itsm__rveng *st = itsm__calloc(&eng->alloc, 1, sizeof *st);
    if (!st)
        return ITSM_ENOMEM;
    itsm__ptrmap_init(&st->reviews);
    eng->cap[ITSM__CAP_REVIEW] = st;
    return ITSM_OK;
}

static void engine_free(itsm_engine *eng)
{
    itsm__rveng *st = itsm__rv_of(eng);
    if (!st)
        return;
    for (size_t i = 0; i < st->reviews.n; i++)
        review_free(eng, st->reviews.v[i]);
    itsm__ptrmap_free(&st->reviews, &eng->alloc);
    itsm__free(&eng->alloc, st);
    eng->cap[ITSM__CAP_REVIEW] = NULL;
}

itsm__review *itsm__review_find(const itsm_engine *eng, const itsm_record *r)
{
    const itsm__rveng *st = itsm__rv_of(eng);
    return st && st->reviews.n ? itsm__ptrmap_get(&st->reviews, r) : NULL;
}

int itsm__review_action_ix(const itsm__review *rv, const char *id, size_t n)
{
    for (size_t i = 0; rv && i < rv->nacts; i++)
        if (strlen(rv->acts[i].id) == n && memcmp(rv->acts[i].id, id, n) == 0)
            return (int)i;
    return -1;
}

/* ---- the events ---- */

static int what_of(const itsm_event *ev)
{
    return (int)(ev->cls - itsm__rv_classes);
}

static const char *const no_keys[] = { NULL };
static const char *const cause_keys[] = { "cause", NULL };
static const char *const action_keys[] = { "action", NULL };

static void ev_write(const itsm_event *ev, itsm__jw *w)
{
    const itsm__rv_ext *x = ev->ext;
    /* Applying moved the text into the review; the sink writes it after. */
    const char *text = ev->applied ? x->shown : x->text;
    switch (x->what) {
    case ITSM__RV_CAUSE:
        itsm__jw_key(w, "cause");
        itsm__jw_str(w, text);
        return;
    case ITSM__RV_OPENED:
    case ITSM__RV_COMPLETED:
        return;
    default:
        break;
    }
    itsm__jw_key(w, "action");
    itsm__jw_obj_begin(w);
    itsm__jw_key(w, "id");
    itsm__jw_str(w, x->id);
    switch (x->what) {
    case ITSM__RV_ACTION:
        itsm__jw_key(w, "text");
        itsm__jw_str(w, text);
        itsm__jw_key(w, "owner");
        itsm__jw_str(w, x->owner);
        itsm__jw_key(w, "due");
        itsm__jw_time(w, x->due);
        break;
    case ITSM__RV_ASSIGNED:
        itsm__jw_key(w, "owner");
        itsm__jw_str(w, x->owner);
        break;
    case ITSM__RV_DONE:
        itsm__jw_key(w, "note");
        itsm__jw_str(w, text);
        break;
    default:   /* ITSM__RV_OVERDUE: who answers for it, and when it was due */
        itsm__jw_key(w, "owner");
        itsm__jw_str(w, x->owner);
        itsm__jw_key(w, "due");
        itsm__jw_time(w, x->due);
        break;
    }
    itsm__jw_obj_end(w);
}

/* A member that is a symbol (null allowed with null_ok), interned. */
static int read_sym(itsm_engine *eng, const itsm__jval *obj, const char *key, int null_ok, const char **out,
                    itsm_parse_error *err)
{
    const itsm__jval *v = itsm__json_get(obj, key);
    itsm__errbuf why;
    *out = NULL;
    if (null_ok && v && v->type == ITSM__JNULL)
        return ITSM_OK;
    if (!v || v->type != ITSM__JSTRING || itsm__check_symbol(&why, key, NULL, v->u.str.s, v->u.str.len))
        return itsm__json_schema_error(err, v ? v : obj, "'%s' must be a name%s", key, null_ok ? " or null" : "");
    return (*out = itsm__intern(eng, v->u.str.s, v->u.str.len)) ? ITSM_OK : ITSM_ENOMEM;
}

/* A member that is text (null allowed with null_ok), copied. */
static int read_text(itsm_engine *eng, const itsm__jval *obj, const char *key, int null_ok, char **out,
                     itsm_parse_error *err)
{
    const itsm__jval *v = itsm__json_get(obj, key);
    *out = NULL;
    if (null_ok && v && v->type == ITSM__JNULL)
        return ITSM_OK;
    if (!v || v->type != ITSM__JSTRING || !v->u.str.len || v->u.str.len > ITSM_MAX_TEXT ||
        !itsm__utf8_valid(v->u.str.s, v->u.str.len))
        return itsm__json_schema_error(err, v ? v : obj, "'%s' must be %s1..%d bytes of UTF-8", key,
                                       null_ok ? "null or " : "", ITSM_MAX_TEXT);
    return (*out = itsm__strndup(&eng->alloc, v->u.str.s, v->u.str.len)) ? ITSM_OK : ITSM_ENOMEM;
}

static int read_due(const itsm__jval *obj, itsm_time *out, itsm_parse_error *err)
{
    const itsm__jval *v = itsm__json_get(obj, "due");
    if (!v || v->type != ITSM__JSTRING || itsm__time_parse(v->u.str.s, v->u.str.len, out) != ITSM_OK)
        return itsm__json_schema_error(err, v ? v : obj, "'due' must be a time \"YYYY-MM-DDTHH:MM:SSZ\"");
    return ITSM_OK;
}

/* Replay: the member's form, and the review as the earlier events left it
 * (the stored event is the truth for everything else). */
static int ev_read(itsm_engine *eng, itsm_event *ev, const itsm__jval *root, itsm_parse_error *err)
{
    int what = what_of(ev), rc;
    const itsm_record *r = ev->rec;
    if (r->kind != ITSM_KIND_INCIDENT)
        return itsm__json_schema_error(err, root, "only a major incident has a post-incident review");
    itsm__review *rv = itsm__review_find(eng, r);
    if (what == ITSM__RV_OPENED ? rv != NULL : rv == NULL)
        return itsm__json_schema_error(err, root, what == ITSM__RV_OPENED ? "%s has a review already"
                                                                          : "%s has no review", r->id);
    itsm__rv_ext *x = itsm__calloc(&eng->alloc, 1, sizeof *x);
    if (!x)
        return ITSM_ENOMEM;
    ev->ext = x;
    x->what = what;
    x->due = ITSM_TIME_NONE;
    if (what == ITSM__RV_OPENED) {
        if (!(x->rv = itsm__calloc(&eng->alloc, 1, sizeof *x->rv)))
            return ITSM_ENOMEM;
        x->rv->rec = r;
        return ITSM_OK;
    }
    if (rv->complete && (what == ITSM__RV_CAUSE || what == ITSM__RV_ACTION || what == ITSM__RV_COMPLETED))
        return itsm__json_schema_error(err, root, "the review of %s is complete", r->id);
    if (what == ITSM__RV_COMPLETED)
        return ITSM_OK;
    if (what == ITSM__RV_CAUSE) {
        if (rv->ncauses >= ITSM_REVIEW_MAX_ITEMS)
            return itsm__json_schema_error(err, root, "a review has at most %d causes", ITSM_REVIEW_MAX_ITEMS);
        return read_text(eng, root, "cause", 0, &x->text, err);
    }
    static const char *const keys[][5] = {
        [ITSM__RV_ACTION] = { "id", "text", "owner", "due", NULL },
        [ITSM__RV_ASSIGNED] = { "id", "owner", NULL },
        [ITSM__RV_DONE] = { "id", "note", NULL },
        [ITSM__RV_OVERDUE] = { "id", "owner", "due", NULL },
    };
    const itsm__jval *a = itsm__json_get(root, "action");
    if (!a || a->type != ITSM__JOBJECT)
        return itsm__json_schema_error(err, a ? a : root, "a %s event needs an 'action' object", ev->cls->name);
    if ((rc = itsm__json_only_keys(a, keys[what], "action", err)) || (rc = read_sym(eng, a, "id", 0, &x->id, err)))
        return rc;
    int ix = itsm__review_action_ix(rv, x->id, strlen(x->id));
    if (what == ITSM__RV_ACTION) {
        if (ix >= 0)
            return itsm__json_schema_error(err, a, "the review of %s has an action '%s' already", r->id, x->id);
        if (rv->nacts >= ITSM_REVIEW_MAX_ITEMS)
            return itsm__json_schema_error(err, a, "a review has at most %d actions", ITSM_REVIEW_MAX_ITEMS);
        if ((rc = read_text(eng, a, "text", 0, &x->text, err)) || (rc = read_sym(eng, a, "owner", 1, &x->owner, err)))
            return rc;
        return read_due(a, &x->due, err);
    }
    if (ix < 0)
        return itsm__json_schema_error(err, a, "the review of %s has no action '%s'", r->id, x->id);
    const itsm__rv_action *act = &rv->acts[ix];
    x->ix = ix;
    if (act->done)
        return itsm__json_schema_error(err, a, "action '%s' of %s is done", x->id, r->id);
    switch (what) {
    case ITSM__RV_ASSIGNED:
        return read_sym(eng, a, "owner", 0, &x->owner, err);
    case ITSM__RV_DONE:
        if (!act->owner)
            return itsm__json_schema_error(err, a, "action '%s' of %s has no owner", x->id, r->id);
        return read_text(eng, a, "note", 1, &x->text, err);
    default:   /* overdue: once, at the action's own due time */
        if (act->overdue)
            return itsm__json_schema_error(err, a, "action '%s' of %s is overdue already", x->id, r->id);
        if ((rc = read_sym(eng, a, "owner", 1, &x->owner, err)) || (rc = read_due(a, &x->due, err)))
            return rc;
        if (x->due != act->due)
            return itsm__json_schema_error(err, a, "action '%s' of %s is due at another time", x->id, r->id);
        return ITSM_OK;
    }
}

/* Room was reserved (reserve): applying cannot fail. */
static void ev_apply(itsm_engine *eng, itsm_event *ev)
{
    itsm__rveng *st = itsm__rv_of(eng);
    itsm__rv_ext *x = ev->ext;
    itsm__review *rv = x->what == ITSM__RV_OPENED ? x->rv : itsm__review_find(eng, ev->rec);
    itsm__rv_action *act = x->what > ITSM__RV_ACTION && x->what != ITSM__RV_COMPLETED ? &rv->acts[x->ix] : NULL;
    switch (x->what) {
    case ITSM__RV_OPENED:
        rv->opened_at = ev->at;
        rv->opened_by = ev->actor;
        rv->completed_at = ITSM_TIME_NONE;
        rv->kept = 1;
        x->rv = NULL;
        itsm__ptrmap_put(&st->reviews, rv);
        break;
    case ITSM__RV_CAUSE: {
        itsm__rv_cause *c = &rv->causes[rv->ncauses++];
        c->text = x->text;
        c->by = ev->actor;
        c->at = ev->at;
        x->shown = x->text;
        x->text = NULL;
        break;
    }
    case ITSM__RV_ACTION:
        act = &rv->acts[rv->nacts++];
        memset(act, 0, sizeof *act);
        act->id = x->id;
        act->text = x->text;
        act->owner = x->owner;
        act->due = x->due;
        act->added_at = ev->at;
        act->added_by = ev->actor;
        act->done_at = ITSM_TIME_NONE;
        x->shown = x->text;
        x->text = NULL;
        st->open++;
        st->timers++;
        st->unowned += !act->owner;
        break;
    case ITSM__RV_ASSIGNED:
        st->unowned -= !act->owner;
        act->owner = x->owner;
        break;
    case ITSM__RV_DONE:
        act->done = 1;
        act->done_at = ev->at;
        act->done_by = ev->actor;
        act->note = x->text;
        x->shown = x->text;
        x->text = NULL;
        st->open--;
        if (act->overdue)
            st->overdue--;
        else
            st->timers--;
        break;
    case ITSM__RV_OVERDUE:
        act->overdue = 1;
        st->overdue++;
        st->timers--;
        break;
    default:   /* ITSM__RV_COMPLETED */
        rv->complete = 1;
        rv->completed_at = ev->at;
        rv->completed_by = ev->actor;
        break;
    }
}

static void ev_dispose(itsm_engine *eng, itsm_event *ev)
{
    itsm__rv_ext *x = ev->ext;
    if (x) {
        review_free(eng, x->rv);
        itsm__free(&eng->alloc, x->text);
        itsm__free(&eng->alloc, x);
    }
    ev->ext = NULL;
}

const itsm__evclass itsm__rv_classes[ITSM__RV_COUNT] = {
    [ITSM__RV_OPENED] = { "review_opened", no_keys, ev_write, ev_read, ev_apply, ev_dispose, NULL },
    [ITSM__RV_CAUSE] = { "review_cause_added", cause_keys, ev_write, ev_read, ev_apply, ev_dispose, NULL },
    [ITSM__RV_ACTION] = { "review_action_added", action_keys, ev_write, ev_read, ev_apply, ev_dispose, NULL },
    [ITSM__RV_ASSIGNED] = { "review_action_assigned", action_keys, ev_write, ev_read, ev_apply, ev_dispose, NULL },
    [ITSM__RV_DONE] = { "review_action_done", action_keys, ev_write, ev_read, ev_apply, ev_dispose, NULL },
    [ITSM__RV_OVERDUE] = { "review_action_overdue", action_keys, ev_write, ev_read, ev_apply, ev_dispose, NULL },
    [ITSM__RV_COMPLETED] = { "review_completed", no_keys, ev_write, ev_read, ev_apply, ev_dispose, NULL },
};

static int is_review_event(const itsm_event *ev)
{
    if (ev->type != ITSM__EV_EXT)
        return 0;
    /* One of ours: its offset into the table (as integers: other classes
     * are other objects), then equality with that entry. */
    uintptr_t off = (uintptr_t)ev->cls - (uintptr_t)&itsm__rv_classes[0];
    return off < sizeof itsm__rv_classes && ev->cls == &itsm__rv_classes[off / sizeof itsm__rv_classes[0]];
}

/* Everything applying the batch's review events needs: room in the map
 * for new reviews, and for each cause and action in its review. */
static int reserve(itsm_engine *eng)
{
    itsm__rveng *st = itsm__rv_of(eng);
    size_t opened = 0;
    for (size_t i = 0; i < eng->nbatch; i++) {
        const itsm_event *ev = &eng->batch[i];
        if (!is_review_event(ev))
            continue;
        const itsm__rv_ext *x = ev->ext;
        if (x->what == ITSM__RV_OPENED) {
            opened++;
            continue;
        }
        if (x->what != ITSM__RV_CAUSE && x->what != ITSM__RV_ACTION)
            continue;
        /* The review this event adds to, and how many of the batch's
         * events before it add to the same list. */
        itsm__review *rv = itsm__review_find(eng, ev->rec);
        for (size_t k = 0; !rv && k < i; k++)
            if (is_review_event(&eng->batch[k]) && eng->batch[k].rec == ev->rec &&
                ((const itsm__rv_ext *)eng->batch[k].ext)->what == ITSM__RV_OPENED)
                rv = ((const itsm__rv_ext *)eng->batch[k].ext)->rv;
        if (!rv)
            continue;   /* the call or replay refused it before */
        size_t before = 0;
        for (size_t k = 0; k < i; k++)
            before += is_review_event(&eng->batch[k]) && eng->batch[k].rec == ev->rec &&
                      ((const itsm__rv_ext *)eng->batch[k].ext)->what == x->what;
        int rc = x->what == ITSM__RV_CAUSE
                     ? itsm__grow(&eng->alloc, (void **)&rv->causes, &rv->ccauses, rv->ncauses + before + 1,
                                  sizeof *rv->causes)
                     : itsm__grow(&eng->alloc, (void **)&rv->acts, &rv->cacts, rv->nacts + before + 1,
                                  sizeof *rv->acts);
        if (rc)
            return itsm__oom(eng);
    }
    if (opened && itsm__ptrmap_reserve(&st->reviews, &eng->alloc, opened))
        return itsm__oom(eng);
    return ITSM_OK;
}

/* ---- the overdue timers (fired by the service-level tick) ---- */

itsm_time itsm__review_next_due(const itsm_engine *eng, const itsm_record *r, int *action)
{
    const itsm__review *rv = itsm__review_find(eng, r);
    itsm_time best = ITSM_TIME_NONE;
    *action = -1;
    for (size_t i = 0; rv && i < rv->nacts; i++) {
        const itsm__rv_action *a = &rv->acts[i];
        if (a->done || a->overdue)
            continue;
        /* Missed deadlines fire one second past their due time: an
         * action done at its due time is on time. */
        itsm_time at = a->due < ITSM_TIME_MAX ? a->due + 1 : a->due;
        if (best == ITSM_TIME_NONE || at < best) {
            best = at;
            *action = (int)i;
        }
    }
    return best;
}

int itsm__review_fire(itsm_engine *eng, itsm_record *r, int action, itsm_time at)
{
    const itsm__review *rv = itsm__review_find(eng, r);
    const itsm__rv_action *a = &rv->acts[action];
    itsm__rv_ext *x;
    if (!itsm__rv_add(eng, r, ITSM__RV_OVERDUE, at, &x))
        return ITSM_ENOMEM;
    x->id = a->id;
    x->ix = action;
    x->owner = a->owner;
    x->due = a->due;
    return ITSM_OK;
}

itsm_event *itsm__rv_add(itsm_engine *eng, itsm_record *r, int what, itsm_time at, itsm__rv_ext **out)
{
    itsm__rv_ext *x = itsm__calloc(&eng->alloc, 1, sizeof *x);
    if (!x) {
        itsm__oom(eng);
        return NULL;
    }
    itsm_event *ev = itsm__batch_add(eng, ITSM__EV_EXT, r, at);
    if (!ev) {
        itsm__free(&eng->alloc, x);
        return NULL;
    }
    x->what = what;
    x->due = ITSM_TIME_NONE;
    ev->cls = &itsm__rv_classes[what];
    ev->ext = x;
    *out = x;
    return ev;
}

/* ---- the guard term "review:owned" ---- */

/* The first action without an owner of the reviews of `r` and of the
 * records linked to it; NULL when every action is owned. */
static const itsm__rv_action *first_unowned(const itsm_engine *eng, const itsm_record *r, const itsm_record **of)
{
    const itsm__rveng *st = itsm__rv_of(eng);
    if (!st || !st->unowned)
        return NULL;
    for (uint32_t l = 0; l <= r->x->nlinks; l++) {
        const itsm_record *t = l == 0 ? r : r->x->links[l - 1].target;
        const itsm__review *rv = itsm__review_find(eng, t);
        for (size_t i = 0; rv && i < rv->nacts; i++)
            if (!rv->acts[i].owner && !rv->acts[i].done) {
                *of = t;
                return &rv->acts[i];
            }
    }
    return NULL;
}

static int guard_parse(const char *arg, size_t n, int64_t *num, itsm__errbuf *e)
{
    (void)num;
    if (n == 5 && memcmp(arg, "owned", 5) == 0)
        return ITSM_OK;
    return itsm__errbuf_set(e, ITSM_EINVAL,
                            "'review:' takes 'owned' (every action of the post-incident reviews of the record and "
                            "of the records linked to it has an owner)");
}

static int guard_met(const itsm_engine *eng, const itsm_record *r, const itsm_event *ev, const char *arg,
                     int64_t num)
{
    (void)ev;
    (void)arg;
    (void)num;
    const itsm_record *of;
    return first_unowned(eng, r, &of) == NULL;
}

static void guard_describe(const itsm_engine *eng, const itsm_record *r, const itsm_event *ev, const char *arg,
                          int64_t num, char *out, size_t cap)
{
    (void)ev;
    (void)arg;
    (void)num;
    const itsm_record *of = r;
    const itsm__rv_action *a = first_unowned(eng, r, &of);
    if (!a)
        return;
    snprintf(out, cap, "every review action owned: action '%s' (%.80s) of the review of %s has no owner", a->id,
             a->text, of->id);
}

static const itsm__guard_kind guard_review = { "review", guard_parse, guard_met, guard_describe };

/* ---- the capability ---- */

static const itsm__evclass *const classes[] = {
    &itsm__rv_classes[ITSM__RV_OPENED], &itsm__rv_classes[ITSM__RV_CAUSE], &itsm__rv_classes[ITSM__RV_ACTION],
    &itsm__rv_classes[ITSM__RV_ASSIGNED], &itsm__rv_classes[ITSM__RV_DONE], &itsm__rv_classes[ITSM__RV_OVERDUE],
    &itsm__rv_classes[ITSM__RV_COMPLETED], NULL
};
static const itsm__guard_kind *const guards[] = { &guard_review, NULL };

const itsm__capability itsm__cap_review = {
    .name = "review",
    .engine_init = engine_init,
    .engine_free = engine_free,
    .watch_types = 1u << ITSM__EV_EXT,
    .reserve_own_classes = 1,
    .reserve = reserve,
    .classes = classes,
    .guards = guards,
};
