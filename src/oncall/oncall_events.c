/* SPDX-License-Identifier: Apache-2.0 */
/* The on-call capability's events (docs/events.md): "page",
 * "page_acknowledged", "oncall_exhausted" and "alert_received" - their
 * JSON, their checks on replay, and their payload's life. */
#include "oncall/oncall_int.h"
#include "kit/json.h"
#include "kit/value.h"

#include <string.h>


static const char *const outcome_names[] = { NULL, "opened", "duplicate", "grouped" };

itsm_event *itsm__oc_event(itsm_engine *eng, int cls, itsm_record *r, itsm_time at, itsm__ocev **payload)
{
    itsm__ocev *x = itsm__calloc(&eng->alloc, 1, sizeof *x);
    if (!x) {
        itsm__oom(eng);
        return NULL;
    }
    x->cls = cls;
    x->pol = -1;
    itsm_event *ev = itsm__batch_add(eng, ITSM__EV_EXT, r, at);
    if (!ev) {
        itsm__free(&eng->alloc, x);
        return NULL;
    }
    ev->cls = &itsm__occlasses[cls];
    ev->ext = x;
    *payload = x;
    return ev;
}

/* ---- writing ---- */

static void w_page(const itsm_event *ev, itsm__jw *w)
{
    const itsm__ocev *x = ev->ext;
    itsm__jw_key(w, "oncall");
    itsm__jw_obj_begin(w);
    itsm__jw_key(w, "policy");
    itsm__jw_str(w, x->polname);
    itsm__jw_key(w, "step");
    itsm__jw_int(w, x->step);
    itsm__jw_key(w, "round");
    itsm__jw_int(w, x->round);
    itsm__jw_key(w, "targets");
    itsm__jw_arr_begin(w);
    for (unsigned i = 0; i < x->ntargets; i++)
        itsm__jw_str(w, x->targets[i]);
    itsm__jw_arr_end(w);
    itsm__jw_key(w, "due");
    itsm__jw_time(w, x->due);
    itsm__jw_obj_end(w);
}

static void w_ack(const itsm_event *ev, itsm__jw *w)
{
    const itsm__ocev *x = ev->ext;
    itsm__jw_key(w, "oncall");
    itsm__jw_obj_begin(w);
    itsm__jw_key(w, "by");
    itsm__jw_str(w, x->by);
    itsm__jw_key(w, "step");
    itsm__jw_int(w, x->step);
    itsm__jw_key(w, "round");
    itsm__jw_int(w, x->round);
    itsm__jw_obj_end(w);
}

static void w_exhausted(const itsm_event *ev, itsm__jw *w)
{
    const itsm__ocev *x = ev->ext;
    itsm__jw_key(w, "oncall");
    itsm__jw_obj_begin(w);
    itsm__jw_key(w, "policy");
    itsm__jw_str(w, x->polname);
    itsm__jw_key(w, "rounds");
    itsm__jw_int(w, x->round);
    itsm__jw_obj_end(w);
}

static void w_alert(const itsm_event *ev, itsm__jw *w)
{
    const itsm__ocev *x = ev->ext;
    itsm__jw_key(w, "alert");
    itsm__jw_obj_begin(w);
    itsm__jw_key(w, "dedup_key");
    itsm__jw_str(w, x->key);
    itsm__jw_key(w, "group");
    itsm__jw_str(w, x->group);
    itsm__jw_key(w, "count");
    itsm__jw_int(w, x->count);
    itsm__jw_key(w, "outcome");
    itsm__jw_str(w, outcome_names[x->outcome]);
    itsm__jw_obj_end(w);
}

/* ---- reading (replay) ---- */

static int get_obj(const itsm__jval *root, const char *key, const char *const *keys, const char *what,
                   const itsm__jval **out, itsm_parse_error *err)
{
    const itsm__jval *o = itsm__json_get(root, key);
    if (!o || o->type != ITSM__JOBJECT)
        return itsm__json_schema_error(err, o ? o : root, "a %s event needs an '%s' object", what, key);
    *out = o;
    return itsm__json_only_keys(o, keys, key, err);
}

static int get_sym(itsm_engine *eng, const itsm__jval *o, const char *key, int may_be_null, const char **out,
                   itsm_parse_error *err)
{
    const itsm__jval *v = itsm__json_get(o, key);
    itsm__errbuf e;
    *out = NULL;
    if (may_be_null && (!v || v->type == ITSM__JNULL))
        return ITSM_OK;
    if (!v || v->type != ITSM__JSTRING || itsm__check_symbol(&e, key, NULL, v->u.str.s, v->u.str.len))
        return itsm__json_schema_error(err, v ? v : o, "'%s' must be a name", key);
    if (!(*out = itsm__intern(eng, v->u.str.s, v->u.str.len)))
        return ITSM_ENOMEM;
    return ITSM_OK;
}

static int get_int(const itsm__jval *o, const char *key, int64_t lo, int64_t hi, int64_t *out, itsm_parse_error *err)
{
    const itsm__jval *v = itsm__json_get(o, key);
    if (!v || v->type != ITSM__JNUMBER || !v->u.num.is_int || v->u.num.i < lo || v->u.num.i > hi)
        return itsm__json_schema_error(err, v ? v : o, "'%s' must be a whole number %lld..%lld", key, (long long)lo,
                                       (long long)hi);
    *out = v->u.num.i;
    return ITSM_OK;
}

static int get_policy(itsm_engine *eng, const itsm__jval *o, itsm__ocev *x, itsm_parse_error *err)
{
    int *pol = &x->pol;
    const itsm__jval *v = itsm__json_get(o, "policy");
    if (!v || v->type != ITSM__JSTRING)
        return itsm__json_schema_error(err, v ? v : o, "'policy' must be the name of an escalation policy");
    *pol = strlen(v->u.str.s) == v->u.str.len ? itsm__oc_find(itsm__ocs(eng->policy), v->u.str.s) : -1;
    if (*pol < 0)
        return itsm__json_schema_error(err, v, "the policy has no escalation policy '%.64s'", v->u.str.s);
    if (!(x->polname = itsm__intern(eng, v->u.str.s, v->u.str.len)))
        return ITSM_ENOMEM;
    return ITSM_OK;
}

static itsm__ocev *payload(itsm_engine *eng, itsm_event *ev, int cls)
{
    itsm__ocev *x = itsm__calloc(&eng->alloc, 1, sizeof *x);
    if (x) {
        x->cls = cls;
        x->pol = -1;
        ev->ext = x;
    }
    return x;
}

static int incident_only(const itsm_event *ev, const itsm__jval *root, itsm_parse_error *err)
{
    if (ev->rec->kind != ITSM_KIND_INCIDENT)
        return itsm__json_schema_error(err, root, "only incidents are paged or take in alerts");
    return ITSM_OK;
}

static int r_page(itsm_engine *eng, itsm_event *ev, const itsm__jval *root, itsm_parse_error *err)
{
    static const char *const keys[] = { "policy", "step", "round", "targets", "due", NULL };
    const itsm__jval *o = NULL, *v;
    int64_t n = 0;
    int rc;
    itsm__ocev *x;
    if ((rc = incident_only(ev, root, err)) || (rc = get_obj(root, "oncall", keys, "page", &o, err)))
        return rc;
    if (!(x = payload(eng, ev, ITSM__OC_PAGE)))
        return ITSM_ENOMEM;
    if ((rc = get_policy(eng, o, x, err)))
        return rc;
    const itsm__ocpol *pol = &itsm__ocs(eng->policy)->pols[x->pol];
    if ((rc = get_int(o, "step", 1, (int64_t)pol->nsteps, &n, err)))
        return rc;
    x->step = (unsigned)n;
    if ((rc = get_int(o, "round", 1, (int64_t)pol->repeat + 1, &n, err)))
        return rc;
    x->round = (unsigned)n;
    v = itsm__json_get(o, "targets");
    if (!v || v->type != ITSM__JARRAY || !v->u.arr.n || v->u.arr.n > ITSM_ONCALL_MAX_TARGETS)
        return itsm__json_schema_error(err, v ? v : o, "'targets' must be a list of 1..8 names");
    for (size_t i = 0; i < v->u.arr.n; i++) {
        const itsm__jval *e = &v->u.arr.items[i];
        itsm__errbuf eb;
        if (e->type != ITSM__JSTRING || itsm__check_symbol(&eb, "target", NULL, e->u.str.s, e->u.str.len))
            return itsm__json_schema_error(err, e, "'targets' must be a list of names");
        if (!(x->targets[x->ntargets++] = itsm__intern(eng, e->u.str.s, e->u.str.len)))
            return ITSM_ENOMEM;
    }
    v = itsm__json_get(o, "due");
    if (!v || v->type != ITSM__JSTRING || itsm__time_parse(v->u.str.s, v->u.str.len, &x->due) != ITSM_OK)
        return itsm__json_schema_error(err, v ? v : o, "'due' must be a time");
    return ITSM_OK;
}

/* The climb an acknowledgement or exhaustion ends must be running. */
static int climbing(itsm_engine *eng, const itsm_event *ev, const itsm__jval *root, int exhausted_ok,
                    itsm_parse_error *err)
{
    const itsm__ocrec *o = itsm__oc_rec(eng, ev->rec);
    if (!o || (o->status != ITSM_ONCALL_PAGING && !(exhausted_ok && o->status == ITSM_ONCALL_EXHAUSTED)))
        return itsm__json_schema_error(err, root, "%s has no page to %s", ev->rec->id,
                                       exhausted_ok ? "acknowledge" : "exhaust");
    return ITSM_OK;
}

static int r_ack(itsm_engine *eng, itsm_event *ev, const itsm__jval *root, itsm_parse_error *err)
{
    static const char *const keys[] = { "by", "step", "round", NULL };
    const itsm__jval *o = NULL;
    int64_t n = 0;
    int rc;
    itsm__ocev *x;
    if ((rc = incident_only(ev, root, err)) || (rc = get_obj(root, "oncall", keys, "page_acknowledged", &o, err)) ||
        (rc = climbing(eng, ev, root, 1, err)))
        return rc;
    if (!(x = payload(eng, ev, ITSM__OC_ACK)))
        return ITSM_ENOMEM;
    if ((rc = get_sym(eng, o, "by", 0, &x->by, err)) || (rc = get_int(o, "step", 1, ITSM_ONCALL_MAX_STEPS, &n, err)))
        return rc;
    x->step = (unsigned)n;
    if ((rc = get_int(o, "round", 1, ITSM_ONCALL_MAX_REPEAT + 1, &n, err)))
        return rc;
    x->round = (unsigned)n;
    return ITSM_OK;
}

static int r_exhausted(itsm_engine *eng, itsm_event *ev, const itsm__jval *root, itsm_parse_error *err)
{
    static const char *const keys[] = { "policy", "rounds", NULL };
    const itsm__jval *o = NULL;
    int64_t n = 0;
    int rc;
    itsm__ocev *x;
    if ((rc = incident_only(ev, root, err)) || (rc = get_obj(root, "oncall", keys, "oncall_exhausted", &o, err)) ||
        (rc = climbing(eng, ev, root, 0, err)))
        return rc;
    if (!(x = payload(eng, ev, ITSM__OC_EXHAUSTED)))
        return ITSM_ENOMEM;
    if ((rc = get_policy(eng, o, x, err)) ||
        (rc = get_int(o, "rounds", 1, ITSM_ONCALL_MAX_REPEAT + 1, &n, err)))
        return rc;
    x->round = (unsigned)n;
    return ITSM_OK;
}

static int r_alert(itsm_engine *eng, itsm_event *ev, const itsm__jval *root, itsm_parse_error *err)
{
    static const char *const keys[] = { "dedup_key", "group", "count", "outcome", NULL };
    const itsm__jval *o = NULL, *v;
    int64_t n = 0;
    int rc;
    itsm__ocev *x;
    if ((rc = incident_only(ev, root, err)) || (rc = get_obj(root, "alert", keys, "alert_received", &o, err)))
        return rc;
    if (!(x = payload(eng, ev, ITSM__OC_ALERT)))
        return ITSM_ENOMEM;
    if ((rc = get_sym(eng, o, "dedup_key", 0, &x->key, err)) || (rc = get_sym(eng, o, "group", 1, &x->group, err)) ||
        (rc = get_int(o, "count", 1, UINT32_MAX, &n, err)))
        return rc;
    x->count = (uint32_t)n;
    v = itsm__json_get(o, "outcome");
    for (int i = 1; i <= 3 && v && v->type == ITSM__JSTRING; i++)
        if (strcmp(v->u.str.s, outcome_names[i]) == 0)
            x->outcome = i;
    if (!x->outcome)
        return itsm__json_schema_error(err, v ? v : o, "'outcome' must be \"opened\", \"duplicate\" or \"grouped\"");
    return ITSM_OK;
}

static void dispose(itsm_engine *eng, itsm_event *ev)
{
    itsm__ocev *x = ev->ext;
    if (!x)
        return;
    itsm__free(&eng->alloc, x->fresh);
    itsm__free(&eng->alloc, x->fresh_key);
    itsm__free(&eng->alloc, x->fresh_group);
    itsm__free(&eng->alloc, x);
    ev->ext = NULL;
}

static const char *const oncall_keys[] = { "oncall", NULL };
static const char *const alert_keys[] = { "alert", NULL };

const itsm__evclass itsm__occlasses[ITSM__OC_COUNT] = {
    [ITSM__OC_PAGE] = { "page", oncall_keys, w_page, r_page, itsm__oc_apply, dispose, NULL },
    [ITSM__OC_ACK] = { "page_acknowledged", oncall_keys, w_ack, r_ack, itsm__oc_apply, dispose, NULL },
    [ITSM__OC_EXHAUSTED] = { "oncall_exhausted", oncall_keys, w_exhausted, r_exhausted, itsm__oc_apply, dispose, NULL },
    [ITSM__OC_ALERT] = { "alert_received", alert_keys, w_alert, r_alert, itsm__oc_apply, dispose, NULL },
};
