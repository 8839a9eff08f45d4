/* SPDX-License-Identifier: Apache-2.0 */
/* The change schedule (itsm/change.h): planned windows as events, the
 * guard "window:allowed", collisions as findings on the newcomer, and the
 * forward schedule of change. */
#include "schedule/schedule_int.h"
#include "approval/approval_int.h"
#include "core/abi.h"
#include "itsm/sla.h"
#include "kit/json.h"
#include "kit/names.h"
#include "kit/opts.h"
#include "kit/value.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct sc_rec {
    const itsm_record *rec;        /* the key (kit/ptrmap.h) */
    itsm_time          start, end; /* ITSM_TIME_NONE: not planned */
    size_t             findings;
} sc_rec;

/* The engine state: record -> sc_rec, in the order first planned. */
static itsm__ptrmap *recs_of(const itsm_engine *eng) { return (itsm__ptrmap *)eng->cap[ITSM__CAP_SCHEDULE]; }

static int  engine_init(itsm_engine *eng) { return itsm__cap_map_init(eng, ITSM__CAP_SCHEDULE); }
static void engine_free(itsm_engine *eng) { itsm__cap_map_free(eng, ITSM__CAP_SCHEDULE, NULL); }

static sc_rec *rec_of(const itsm_engine *eng, const itsm_record *r)
{
    const itsm__ptrmap *recs = recs_of(eng);
    return recs && r ? itsm__ptrmap_get(recs, r) : NULL;
}

/* The record's entry, made now if it has none (the record exists, so the
 * entry may outlive a step that fails). NULL on ENOMEM. */
static sc_rec *rec_reserve(itsm_engine *eng, const itsm_record *r)
{
    itsm__ptrmap *recs = recs_of(eng);
    sc_rec *sr = itsm__ptrmap_get(recs, r);
    if (sr)
        return sr;
    if (itsm__ptrmap_reserve(recs, &eng->alloc, 1) || !(sr = itsm__calloc(&eng->alloc, 1, sizeof *sr)))
        return NULL;
    sr->rec = r;
    sr->start = sr->end = ITSM_TIME_NONE;
    itsm__ptrmap_put(recs, sr);
    return sr;
}

/* ---- who is on the schedule ---- */

static int schedule_state(const itsm_engine *eng, int kind, int state)
{
    const itsm__sc_policy *sp = itsm__sc_policy_of(eng->policy);
    const itsm__lifecycle *lc = itsm__lifecycle_of(eng, kind);
    if (state < 0 || itsm__lc_is_closed(lc, state))
        return 0;
    for (size_t i = 0; i < sp->nstates; i++)
        if (strcmp(sp->states[i], lc->states[state]) == 0)
            return 1;
    return 0;
}

static int on_schedule(const itsm_engine *eng, const sc_rec *sr)
{
    return sr && sr->start != ITSM_TIME_NONE && schedule_state(eng, sr->rec->kind, sr->rec->state);
}

int itsm_change_on_schedule(const itsm_record *r)
{
    return r && on_schedule(r->eng, rec_of(r->eng, r));
}

/* ---- the windows ---- */

static const char *window_calendar(const itsm__sc_policy *sp, const char *service)
{
    for (size_t i = 0; service && i < sp->nwindows; i++)
        if (strcmp(sp->windows[i].service, service) == 0)
            return sp->windows[i].calendar;
    return NULL;
}

static int64_t work(const itsm_engine *eng, const char *calendar, itsm_time from, itsm_time to)
{
    int64_t w = 0;
    return itsm_calendar_work(&w, eng->policy, calendar, from, to) == ITSM_OK ? w : 0;
}

/* Why [start, end) is not allowed for `r` as step `ev` leaves it, into
 * why[]: 1, or 0 when it is allowed. The exception is not considered. */
static int window_refused(const itsm_engine *eng, const itsm_record *r, const itsm_event *ev, itsm_time start,
                          itsm_time end, char *why, size_t cap)
{
    const itsm__sc_policy *sp = itsm__sc_policy_of(eng->policy);
    const char *service = itsm__view_str(r, ev, ITSM_F_SERVICE);
    char s[21], e[21], bs[21], be[21];
    itsm__time_format(start, s);
    itsm__time_format(end, e);
    for (size_t i = 0; i < sp->nblackouts; i++) {
        const itsm__sc_blackout *b = &sp->blackouts[i];
        if (b->nservices && (!service || itsm__strv_find(b->services, b->nservices, service) < 0))
            continue;
        if (b->calendar) {
            if (work(eng, b->calendar, start, end) > 0) {
                snprintf(why, cap, "%s..%s falls in blackout '%s' (the working time of calendar '%s')", s, e, b->name,
                         b->calendar);
                return 1;
            }
        } else if (start < b->to && b->from < end) {
            itsm__time_format(b->from, bs);
            itsm__time_format(b->to, be);
            snprintf(why, cap, "%s..%s falls in blackout '%s' (%s..%s)", s, e, b->name, bs, be);
            return 1;
        }
    }
    const char *cal = window_calendar(sp, service);
    if (cal && work(eng, cal, start, end) < end - start) {
        snprintf(why, cap, "%s..%s is outside the maintenance window of service '%.60s' (calendar '%s')", s, e,
                 service, cal);
        return 1;
    }
    return 0;
}

/* 1 when the window is allowed (or the exception holds); else 0, with
 * "<why><how to get an exception>" in msg[0..cap) when msg is not NULL. */
static int window_ok(const itsm_engine *eng, const itsm_record *r, const itsm_event *ev, itsm_time start,
                     itsm_time end, char *msg, size_t cap)
{
    char why[300];
    if (!window_refused(eng, r, ev, start, end, why, sizeof why))
        return 1;
    const itsm__sc_policy *sp = itsm__sc_policy_of(eng->policy);
    const char *ct = itsm__view_str(r, ev, ITSM_F_CHANGE_TYPE);
    const char *rule = NULL, *level = NULL;
    int exception_type = ct && itsm__strv_find((char *const *)sp->exception_types, sp->nexception_types, ct) >= 0;
    if (exception_type && itsm__ap_exception_approved(eng, r, ev, &rule, &level))
        return 1;
    if (!msg)
        return 0;
    char how[200] = "";
    if (exception_type && level)
        snprintf(how, sizeof how, "; as a%s %s change it may go there once level '%s' of approval rule '%s' is "
                 "approved", strchr("aeiou", ct[0]) ? "n" : "", ct, level, rule);
    else if (exception_type)
        snprintf(how, sizeof how, "; the approval rule of this %s change has no exception level to allow it", ct);
    snprintf(msg, cap, "%s%s", why, how);
    return 0;
}

/* ---- events: change_plan and schedule_collision ---- */

typedef struct plan_ext {
    itsm_time start, end;
} plan_ext;

typedef struct coll_ext {
    const itsm_record *with;
    int                on;      /* itsm_collision_on */
    const char        *value;   /* interned */
    itsm_time          from, to;
} coll_ext;

static void write_plan(const itsm_event *ev, itsm__jw *w)
{
    const plan_ext *x = ev->ext;
    itsm__jw_key(w, "plan");
    itsm__jw_obj_begin(w);
    itsm__jw_key(w, "start");
    itsm__jw_time(w, x->start);
    itsm__jw_key(w, "end");
    itsm__jw_time(w, x->end);
    itsm__jw_obj_end(w);
}

static const char *const on_names[] = { NULL, "ci", "service" };

static void write_collision(const itsm_event *ev, itsm__jw *w)
{
    const coll_ext *x = ev->ext;
    itsm__jw_key(w, "collision");
    itsm__jw_obj_begin(w);
    itsm__jw_key(w, "with");
    itsm__jw_str(w, x->with->id);
    itsm__jw_key(w, "on");
    itsm__jw_str(w, on_names[x->on]);
    itsm__jw_key(w, "value");
    itsm__jw_str(w, x->value);
    itsm__jw_key(w, "from");
    itsm__jw_time(w, x->from);
    itsm__jw_key(w, "to");
    itsm__jw_time(w, x->to);
    itsm__jw_obj_end(w);
}

static int read_time(const itsm__jval *v, const char *what, int null_ok, itsm_time *out, itsm_parse_error *err)
{
    if (v && v->type == ITSM__JNULL && null_ok) {
        *out = ITSM_TIME_NONE;
        return ITSM_OK;
    }
    if (!v || v->type != ITSM__JSTRING || itsm__time_parse(v->u.str.s, v->u.str.len, out) != ITSM_OK)
        return itsm__json_schema_error(err, v, "'%s' must be a time \"YYYY-MM-DDTHH:MM:SSZ\"%s", what,
                                       null_ok ? " or null" : "");
    return ITSM_OK;
}

static int read_plan(itsm_engine *eng, itsm_event *ev, const itsm__jval *root, itsm_parse_error *err)
{
    static const char *const keys[] = { "start", "end", NULL };
    const itsm__jval *v = itsm__json_get(root, "plan");
    if (!v || v->type != ITSM__JOBJECT)
        return itsm__json_schema_error(err, v ? v : root, "a change_plan event needs a 'plan' object");
    int rc = itsm__json_only_keys(v, keys, "plan", err);
    if (rc)
        return rc;
    plan_ext *x = itsm__calloc(&eng->alloc, 1, sizeof *x);
    if (!x)
        return ITSM_ENOMEM;
    ev->ext = x;
    const itsm__jval *s = itsm__json_get(v, "start"), *e = itsm__json_get(v, "end");
    if ((rc = read_time(s ? s : v, "start", 1, &x->start, err)) || (rc = read_time(e ? e : v, "end", 1, &x->end, err)))
        return rc;
    if ((x->start == ITSM_TIME_NONE) != (x->end == ITSM_TIME_NONE) ||
        (x->start != ITSM_TIME_NONE && x->start >= x->end))
        return itsm__json_schema_error(err, v, "a plan is start < end, or both null");
    return rec_reserve(eng, ev->rec) ? ITSM_OK : ITSM_ENOMEM;
}

static int read_collision(itsm_engine *eng, itsm_event *ev, const itsm__jval *root, itsm_parse_error *err)
{
    static const char *const keys[] = { "with", "on", "value", "from", "to", NULL };
    const itsm__jval *v = itsm__json_get(root, "collision");
    if (!v || v->type != ITSM__JOBJECT)
        return itsm__json_schema_error(err, v ? v : root, "a schedule_collision event needs a 'collision' object");
    int rc = itsm__json_only_keys(v, keys, "collision", err);
    if (rc)
        return rc;
    coll_ext *x = itsm__calloc(&eng->alloc, 1, sizeof *x);
    if (!x)
        return ITSM_ENOMEM;
    ev->ext = x;
    const itsm__jval *with = itsm__json_get(v, "with"), *on = itsm__json_get(v, "on");
    const itsm__jval *val = itsm__json_get(v, "value");
    if (!with || with->type != ITSM__JSTRING ||
        !(x->with = itsm__find(eng, with->u.str.s, with->u.str.len)) || x->with == ev->rec)
        return itsm__json_schema_error(err, with ? with : v, "'with' must name another record the engine holds");
    for (int k = ITSM_COLLISION_CI; k <= ITSM_COLLISION_SERVICE && on && on->type == ITSM__JSTRING; k++)
        if (strcmp(on->u.str.s, on_names[k]) == 0)
            x->on = k;
    if (!x->on)
        return itsm__json_schema_error(err, on ? on : v, "'on' must be \"ci\" or \"service\"");
    itsm__errbuf e;
    if (!val || val->type != ITSM__JSTRING || itsm__check_symbol(&e, "value", NULL, val->u.str.s, val->u.str.len))
        return itsm__json_schema_error(err, val ? val : v, "'value' must be the item or service shared");
    if (!(x->value = itsm__intern(eng, val->u.str.s, val->u.str.len)))
        return ITSM_ENOMEM;
    if ((rc = read_time(itsm__json_get(v, "from"), "from", 0, &x->from, err)) ||
        (rc = read_time(itsm__json_get(v, "to"), "to", 0, &x->to, err)))
        return rc;
    return rec_reserve(eng, ev->rec) ? ITSM_OK : ITSM_ENOMEM;
}

static void apply_plan(itsm_engine *eng, itsm_event *ev)
{
    const plan_ext *x = ev->ext;
    sc_rec *sr = rec_of(eng, ev->rec);
    sr->start = x->start;
    sr->end = x->end;
}

static void apply_collision(itsm_engine *eng, itsm_event *ev)
{
    rec_of(eng, ev->rec)->findings++;
}

static const char *const plan_keys[] = { "plan", NULL };
static const char *const coll_keys[] = { "collision", NULL };
static const itsm__evclass evc_plan = { "change_plan", plan_keys, write_plan, read_plan, apply_plan,
                                        itsm__evclass_free_ext, NULL };
static const itsm__evclass evc_collision = { "schedule_collision", coll_keys, write_collision, read_collision,
                                             apply_collision, itsm__evclass_free_ext, NULL };

/* ---- planning ---- */

int itsm_change_plan(itsm_record *r, itsm_time start, itsm_time end)
{
    if (!r)
        return ITSM_EINVAL;
    itsm_engine *eng = r->eng;
    int rc = itsm__check_entry(eng);
    if (rc)
        return rc;
    if (r->kind != ITSM_KIND_CHANGE)
        return itsm__err(eng, ITSM_EINVAL, "only changes are planned; %s is a%s %s", r->id,
                         r->kind == ITSM_KIND_INCIDENT ? "n" : "", itsm_kind_name((itsm_kind)r->kind));
    const itsm__lifecycle *lc = itsm__lifecycle_of(eng, r->kind);
    if (itsm__lc_is_closed(lc, r->state))
        return itsm__err(eng, ITSM_ESTATE, "cannot plan %s: it is %s", r->id, lc->states[r->state]);
    int clear = start == ITSM_TIME_NONE && end == ITSM_TIME_NONE;
    if (!clear) {
        if ((rc = itsm__check_time(eng, start, "planned start")) || (rc = itsm__check_time(eng, end, "planned end")))
            return rc;
        if (start >= end)
            return itsm__err(eng, ITSM_EINVAL, "the planned start of %s must be before its end", r->id);
    }
    sc_rec *sr = rec_of(eng, r);
    if (on_schedule(eng, sr)) {
        static const itsm_event none;
        if (clear)
            return itsm__err(eng, ITSM_ESTATE, "%s is on the change schedule (%s): re-plan it, or move it off the "
                             "schedule before removing its plan", r->id, lc->states[r->state]);
        char why[ITSM__ERRMSG];
        if (!window_ok(eng, r, &none, start, end, why, sizeof why))
            return itsm__err(eng, ITSM_EGUARD, "cannot re-plan %s: %s", r->id, why);
    }
    itsm_time at = 0;
    if ((rc = itsm__now(eng, &at)))
        return rc;
    if (!rec_reserve(eng, r))
        return itsm__oom(eng);
    plan_ext *x = itsm__calloc(&eng->alloc, 1, sizeof *x);
    if (!x)
        return itsm__oom(eng);
    x->start = start;
    x->end = end;
    itsm__batch_begin(eng);
    itsm_event *ev = itsm__batch_add(eng, ITSM__EV_EXT, r, at);
    if (!ev) {
        itsm__free(&eng->alloc, x);
        return ITSM_ENOMEM;
    }
    ev->cls = &evc_plan;
    ev->ext = x;
    return itsm__batch_commit(eng);
}

int itsm_change_planned(itsm_time *start, itsm_time *end, const itsm_record *r)
{
    if (!start || !end || !r)
        return ITSM_EINVAL;
    const sc_rec *sr = rec_of(r->eng, r);
    *start = sr ? sr->start : ITSM_TIME_NONE;
    *end = sr ? sr->end : ITSM_TIME_NONE;
    if (*start == ITSM_TIME_NONE)   /* an answer, not a failure: the engine's message stays */
        return ITSM_ENOTFOUND;
    return ITSM_OK;
}

size_t itsm_change_findings(const itsm_record *r)
{
    const sc_rec *sr = r ? rec_of(r->eng, r) : NULL;
    return sr ? sr->findings : 0;
}

/* ---- collisions ---- */

/* How `a` (with window s..e, service and ci as given) collides with the
 * change of `o`: its kind and the shared value, or 0. */
static int collides(const sc_rec *o, itsm_time s, itsm_time e, const char *service, const char *ci, const char **value)
{
    if (o->start == ITSM_TIME_NONE || !(s < o->end && o->start < e))
        return 0;
    const char *oci = itsm__rec_str(o->rec, itsm__fields[ITSM_F_CI].slot);
    const char *osvc = itsm__rec_str(o->rec, itsm__fields[ITSM_F_SERVICE].slot);
    /* Symbols are interned: pointer equality is value equality. */
    if (ci && oci == ci) {
        *value = ci;
        return ITSM_COLLISION_CI;
    }
    if (service && osvc == service) {
        *value = service;
        return ITSM_COLLISION_SERVICE;
    }
    return 0;
}

/* A step that brings a change onto the schedule, re-plans it there, or
 * moves it to another item or service there raises a finding for every
 * change on the schedule it now collides with (docs: "the later one"). */
#if defined(__GNUC__)
__attribute__((noinline))
#endif
static int find_collisions(itsm_engine *eng, size_t n0);

/* Every step passes here: with no change planned yet nothing can collide
 * (planning makes the change's entry before its step commits). */
static int extend(itsm_engine *eng, size_t n0)
{
    return recs_of(eng)->n ? find_collisions(eng, n0) : ITSM_OK;
}

static int find_collisions(itsm_engine *eng, size_t n0)
{
    const itsm__ptrmap *recs = recs_of(eng);
    for (size_t i = 0; i < n0; i++) {
        itsm_event *ev = &eng->batch[i];
        itsm_record *r = ev->rec;
        if (!r || r->kind != ITSM_KIND_CHANGE || ev->type == ITSM__EV_OPEN)
            continue;
        int after = ev->type == ITSM__EV_TRANSITION ? ev->to_state : r->state;
        const sc_rec *sr = rec_of(eng, r);
        itsm_time s = sr ? sr->start : ITSM_TIME_NONE, e = sr ? sr->end : ITSM_TIME_NONE;
        int plan = ev->type == ITSM__EV_EXT && ev->cls == &evc_plan;
        if (plan) {
            s = ((const plan_ext *)ev->ext)->start;
            e = ((const plan_ext *)ev->ext)->end;
        }
        if (s == ITSM_TIME_NONE || !schedule_state(eng, r->kind, after))
            continue;
        int arrives = ev->type == ITSM__EV_TRANSITION && !schedule_state(eng, r->kind, r->state);
        int fields = ev->type == ITSM__EV_UPDATE || ev->type == ITSM__EV_TRANSITION;
        int moves = fields && (itsm__ev_has(ev, ITSM_F_SERVICE) || itsm__ev_has(ev, ITSM_F_CI));
        /* Reclassified on the schedule: an emergency change that went into
         * a blackout on its window exception is no longer one. */
        const char *type = itsm__view_str(r, ev, ITSM_F_CHANGE_TYPE);
        int retypes = fields && !arrives && itsm__ev_has(ev, ITSM_F_CHANGE_TYPE) &&
                      type != itsm__rec_str(r, itsm__fields[ITSM_F_CHANGE_TYPE].slot);
        /* A new implementer or requester on the schedule: a decision of
         * theirs stops counting (separation of duties), the window
         * exception's included, so the change must not stay in a blackout
         * on an exception that no longer holds. Any step that sets them,
         * whatever its type; the same person moves nothing (interned). */
        int new_impl = 0, new_req = 0;
        const char *impl = itsm__view_str(r, ev, ITSM_F_ASSIGNEE), *req = itsm__view_str(r, ev, ITSM_F_CALLER);
        if (!arrives && !plan) {
            new_impl = itsm__ev_has(ev, ITSM_F_ASSIGNEE) && impl != itsm__rec_str(r, itsm__fields[ITSM_F_ASSIGNEE].slot);
            new_req = itsm__ev_has(ev, ITSM_F_CALLER) && req != itsm__rec_str(r, itsm__fields[ITSM_F_CALLER].slot);
        }
        if (new_impl || new_req) {
            static const itsm_event none;
            char why[ITSM__ERRMSG], whom[200];
            /* Only a lapse this step causes: a window refused already is
             * the re-plan's business, not the assignment's. */
            if (window_ok(eng, r, &none, s, e, NULL, 0) && !window_ok(eng, r, ev, s, e, why, sizeof why)) {
                if (new_impl && new_req)
                    snprintf(whom, sizeof whom, "%.60s the implementer and %.60s the requester",
                             impl ? impl : "(nobody)", req ? req : "(nobody)");
                else
                    snprintf(whom, sizeof whom, "%.60s the %s", new_impl ? (impl ? impl : "(nobody)")
                             : (req ? req : "(nobody)"), new_impl ? "implementer" : "requester");
                return itsm__err(eng, ITSM_EGUARD, "cannot make %s of %s: its window exception would no longer "
                                 "count (separation of duties): %s", whom, r->id, why);
            }
        }
        if (!arrives && !plan && !moves && !retypes)
            continue;
        const char *service = itsm__view_str(r, ev, ITSM_F_SERVICE), *ci = itsm__view_str(r, ev, ITSM_F_CI);
        /* A change on the schedule moved to another service meets that
         * service's blackouts and maintenance window: checked as a re-plan
         * is (itsm_change_plan), since arriving was checked by its guard.
         * A step that gives the service it has (a host's form sends every
         * field) moves nothing (symbols are interned: pointers compare).
         * A new change type is checked the same way: the window exception
         * belongs to the exception types. */
        if (!arrives && !plan && (moves || retypes)) {
            int moved = itsm__ev_has(ev, ITSM_F_SERVICE) &&
                        service != itsm__rec_str(r, itsm__fields[ITSM_F_SERVICE].slot);
            char why[ITSM__ERRMSG];
            if ((moved || retypes) && !window_ok(eng, r, ev, s, e, why, sizeof why)) {
                if (moved)
                    return itsm__err(eng, ITSM_EGUARD, "cannot move %s to service '%.60s': %s", r->id,
                                     service ? service : "(none)", why);
                return itsm__err(eng, ITSM_EGUARD, "cannot reclassify %s as change type '%.60s': %s", r->id,
                                 type ? type : "(none)", why);
            }
        }
        if (!arrives && !plan && !moves)
            continue;   /* a new type alone moves nothing: no new collision */
        itsm_time at = ev->at;
        for (size_t k = 0; k < recs->n; k++) {
            const sc_rec *o = recs->v[k];
            const char *value = NULL;
            int on;
            if (o->rec == r || !on_schedule(eng, o) || !(on = collides(o, s, e, service, ci, &value)))
                continue;
            coll_ext *x = itsm__calloc(&eng->alloc, 1, sizeof *x);
            if (!x || !rec_reserve(eng, r)) {
                itsm__free(&eng->alloc, x);
                return itsm__oom(eng);
            }
            itsm_event *f = itsm__batch_add(eng, ITSM__EV_EXT, r, at);   /* ev may move: not used after */
            if (!f) {
                itsm__free(&eng->alloc, x);
                return ITSM_ENOMEM;
            }
            x->with = o->rec;
            x->on = on;
            x->value = value;
            x->from = s > o->start ? s : o->start;
            x->to = e < o->end ? e : o->end;
            f->cls = &evc_collision;
            f->ext = x;
        }
    }
    return ITSM_OK;
}

/* ---- the guard "window:allowed" ---- */

static int guard_parse(const char *arg, size_t n, int64_t *num, itsm__errbuf *e)
{
    (void)num;
    if (n == 7 && memcmp(arg, "allowed", 7) == 0)
        return ITSM_OK;
    return itsm__errbuf_set(e, ITSM_EINVAL, "'window:' takes 'allowed' (a planned window the change schedule "
                            "allows)");
}

static int guard_met(const itsm_engine *eng, const itsm_record *r, const itsm_event *ev, const char *arg, int64_t num)
{
    (void)arg;
    (void)num;
    const sc_rec *sr = rec_of(eng, r);
    return sr && sr->start != ITSM_TIME_NONE && window_ok(eng, r, ev, sr->start, sr->end, NULL, 0);
}

static void guard_describe(const itsm_engine *eng, const itsm_record *r, const itsm_event *ev, const char *arg,
                           int64_t num, char *out, size_t cap)
{
    (void)arg;
    (void)num;
    const sc_rec *sr = rec_of(eng, r);
    char why[300];
    if (!sr || sr->start == ITSM_TIME_NONE)
        snprintf(out, cap, "a planned window (itsm_change_plan)");
    else if (!window_ok(eng, r, ev, sr->start, sr->end, why, sizeof why))
        snprintf(out, cap, "a window the change schedule allows: %s", why);
    else if (cap)
        out[0] = '\0';
}

static const itsm__guard_kind guard_window = { "window", guard_parse, guard_met, guard_describe };

/* ---- the forward schedule of change ---- */

ITSM__DEFINE_INIT(itsm_schedule_query_init, itsm_schedule_query, ITSM_SCHEDULE_QUERY_VERSION,
                  ITSM_SCHEDULE_QUERY_INIT)

static int by_window(const void *a, const void *b)
{
    const sc_rec *x = *(const sc_rec *const *)a, *y = *(const sc_rec *const *)b;
    if (x->start != y->start)
        return x->start < y->start ? -1 : 1;
    if (x->end != y->end)
        return x->end < y->end ? -1 : 1;
    return strcmp(x->rec->id, y->rec->id);
}

static size_t count_collisions(const itsm_engine *eng, const sc_rec *sr)
{
    const itsm__ptrmap *recs = recs_of(eng);
    const char *service = itsm__rec_str(sr->rec, itsm__fields[ITSM_F_SERVICE].slot);
    const char *ci = itsm__rec_str(sr->rec, itsm__fields[ITSM_F_CI].slot);
    size_t n = 0;
    for (size_t k = 0; k < recs->n; k++) {
        const sc_rec *o = recs->v[k];
        const char *value;
        n += o != sr && on_schedule(eng, o) && collides(o, sr->start, sr->end, service, ci, &value);
    }
    return n;
}

/* The entries matching `keep`, sorted by window; *k of them. NULL: ENOMEM. */
static const sc_rec **select_recs(itsm_engine *eng, size_t *k, int (*keep)(const itsm_engine *, const sc_rec *,
                                                                           const void *), const void *ctx)
{
    const itsm__ptrmap *recs = recs_of(eng);
    const sc_rec **v = itsm__malloc(&eng->alloc, (recs->n ? recs->n : 1) * sizeof *v);
    if (!v)
        return NULL;
    *k = 0;
    for (size_t i = 0; i < recs->n; i++)
        if (keep(eng, recs->v[i], ctx))
            v[(*k)++] = recs->v[i];
    qsort(v, *k, sizeof *v, by_window);
    return v;
}

static int keep_query(const itsm_engine *eng, const sc_rec *sr, const void *ctx)
{
    const itsm_schedule_query *q = ctx;
    const itsm_record *r = sr->rec;
    if (sr->start == ITSM_TIME_NONE || !(sr->start < q->to && q->from < sr->end))
        return 0;
    if (q->planned ? itsm__lc_is_closed(itsm__lifecycle_of(eng, r->kind), r->state) : !on_schedule(eng, sr))
        return 0;
    const char *service = itsm__rec_str(r, itsm__fields[ITSM_F_SERVICE].slot), *ci = itsm__rec_str(r, itsm__fields[ITSM_F_CI].slot);
    return (!q->service || (service && strcmp(service, q->service) == 0)) &&
           (!q->ci || (ci && strcmp(ci, q->ci) == 0));
}

int itsm_change_schedule(itsm_schedule_entry *out, size_t max, size_t *n, itsm_engine *eng,
                         const itsm_schedule_query *q)
{
    if (!eng)
        return ITSM_EINVAL;
    if (!n || (!out && max) || !q)
        return itsm__err(eng, ITSM_EINVAL, "out, n and the query must not be NULL");
    *n = 0;
    int rc;
    if ((rc = itsm__version_out(eng, q->version, ITSM_SCHEDULE_QUERY_VERSION, "schedule query")))
        return rc;
    if (max && (rc = ITSM__SIZED(eng, out, itsm_schedule_entry, collisions)))
        return rc;
    if ((rc = itsm__check_time(eng, q->from, "schedule period start")) ||
        (rc = itsm__check_time(eng, q->to, "schedule period end")))
        return rc;
    if (q->from >= q->to)
        return itsm__err(eng, ITSM_EINVAL, "the schedule period must start before it ends");
    if (!max)
        return ITSM_OK;
    size_t k = 0;
    const sc_rec **v = select_recs(eng, &k, keep_query, q);
    if (!v)
        return itsm__oom(eng);
    k = k < max ? k : max;
    size_t stride = out[0].size;
    itsm_schedule_entry *full = k ? itsm__sized_array_begin(&eng->alloc, out, stride, sizeof *full, k) : out;
    if (!full) {
        itsm__free(&eng->alloc, v);
        return itsm__oom(eng);
    }
    for (size_t i = 0; i < k; i++) {
        full[i].size = sizeof *full;
        full[i].rec = (itsm_record *)(uintptr_t)v[i]->rec;
        full[i].start = v[i]->start;
        full[i].end = v[i]->end;
        full[i].collisions = count_collisions(eng, v[i]);
    }
    if (k)
        itsm__sized_array_end(&eng->alloc, out, stride, full, sizeof *full, k);
    itsm__free(&eng->alloc, v);
    *n = k;
    return ITSM_OK;
}

typedef struct coll_ctx {
    const sc_rec *me;
    const char   *service, *ci;
} coll_ctx;

static int keep_collision(const itsm_engine *eng, const sc_rec *o, const void *vctx)
{
    const coll_ctx *c = vctx;
    const char *value;
    return o != c->me && on_schedule(eng, o) && collides(o, c->me->start, c->me->end, c->service, c->ci, &value);
}

int itsm_change_collisions(itsm_collision *out, size_t max, size_t *n, const itsm_record *r)
{
    if (!r)
        return ITSM_EINVAL;
    itsm_engine *eng = r->eng;
    if (!n || (!out && max))
        return itsm__err(eng, ITSM_EINVAL, "out and n must not be NULL");
    *n = 0;
    int rc;
    if (max && (rc = ITSM__SIZED(eng, out, itsm_collision, to)))
        return rc;
    const sc_rec *me = rec_of(eng, r);
    if (!max || !me || me->start == ITSM_TIME_NONE)
        return ITSM_OK;
    coll_ctx c = { me, itsm__rec_str(r, itsm__fields[ITSM_F_SERVICE].slot), itsm__rec_str(r, itsm__fields[ITSM_F_CI].slot) };
    size_t k = 0;
    const sc_rec **v = select_recs(eng, &k, keep_collision, &c);
    if (!v)
        return itsm__oom(eng);
    k = k < max ? k : max;
    size_t stride = out[0].size;
    itsm_collision *full = k ? itsm__sized_array_begin(&eng->alloc, out, stride, sizeof *full, k) : out;
    if (!full) {
        itsm__free(&eng->alloc, v);
        return itsm__oom(eng);
    }
    for (size_t i = 0; i < k; i++) {
        const sc_rec *o = v[i];
        full[i].size = sizeof *full;
        full[i].with = (itsm_record *)(uintptr_t)o->rec;
        full[i].on = (itsm_collision_on)collides(o, me->start, me->end, c.service, c.ci, &full[i].value);
        full[i].from = me->start > o->start ? me->start : o->start;
        full[i].to = me->end < o->end ? me->end : o->end;
    }
    if (k)
        itsm__sized_array_end(&eng->alloc, out, stride, full, sizeof *full, k);
    itsm__free(&eng->alloc, v);
    *n = k;
    return ITSM_OK;
}

/* ---- the capability ---- */

static const char *const policy_keys[] = { "change_schedule", NULL };
static const itsm__evclass *const classes[] = { &evc_plan, &evc_collision, NULL };
static const itsm__guard_kind *const guards[] = { &guard_window, NULL };

const itsm__capability itsm__cap_schedule = {
    .name = "schedule",
    .policy_keys = policy_keys,
    .policy_new = itsm__sc_policy_new,
    .policy_free = itsm__sc_policy_free,
    .policy_clone = itsm__sc_policy_clone,
    .policy_read = itsm__sc_policy_read,
    .policy_write = itsm__sc_policy_write,
    .policy_check = itsm__sc_policy_check,
    .engine_init = engine_init,
    .engine_free = engine_free,
    .extend_kinds = 1u << ITSM_KIND_CHANGE,   /* collisions are between changes */
    .extend = extend,
    .classes = classes,
    .guards = guards,
};
