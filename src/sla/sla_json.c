/* SPDX-License-Identifier: Apache-2.0 */
/* The policy document's service-level sections: "calendars",
 * "service_levels", "escalation", "major_incident", "communication",
 * "closure" (docs/service-levels.md). Every section is optional; what a
 * document leaves out keeps its default. Written in a fixed order so a
 * policy round-trips byte for byte. */
#include "sla/sla_int.h"
#include "policy/policy_int.h"
#include "kit/json.h"

#include <stdio.h>
#include <string.h>

const char *const itsm__slapol_json_keys[] = {
    "calendars", "service_levels", "agreements", "escalation", "major_incident", "communication", "closure", NULL
};

static const char *const timer_names[3] = { "response", "resolution", "ola" };

typedef struct sj { itsm_policy *p; itsm_parse_error *err; } sj;

static int bad0(sj *c, const itsm__jval *v, const char *text)
{
    itsm__json_schema_error(c->err, v, "%s", text);
    return ITSM_EPARSE;
}

static int bad(sj *c, const itsm__jval *v, const char *fmt, const char *arg)
{
    char text[ITSM_PARSE_ERROR_TEXT];
#if defined(__GNUC__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
#endif
    snprintf(text, sizeof text, fmt, arg);
#if defined(__GNUC__)
#pragma GCC diagnostic pop
#endif
    return bad0(c, v, text);
}

static int built(sj *c, const itsm__jval *v, int rc)
{
    if (rc == ITSM_ENOMEM) {
        if (c->err) {
            c->err->code = ITSM_ENOMEM;
            snprintf(c->err->text, sizeof c->err->text, "out of memory");
        }
        return rc;
    }
    itsm__json_schema_error(c->err, v, "%s", c->p->err.msg);
    if (c->err && rc == ITSM_ELIMIT)
        c->err->code = ITSM_ELIMIT;
    return rc == ITSM_ELIMIT ? ITSM_ELIMIT : ITSM_EPARSE;
}

static int keys_only(sj *c, const itsm__jval *obj, const char *const *allowed, const char *where)
{
    if (obj->type != ITSM__JOBJECT)
        return bad(c, obj, "%s must be an object", where);
    return itsm__json_only_keys(obj, allowed, where, c->err);
}

static int get_str(sj *c, const itsm__jval *obj, const char *key, const char **out, int required)
{
    const itsm__jval *v = itsm__json_get(obj, key);
    *out = NULL;
    if (!v || v->type == ITSM__JNULL)
        return required ? bad(c, obj, "missing string member '%s'", key) : ITSM_OK;
    if (v->type != ITSM__JSTRING || strlen(v->u.str.s) != v->u.str.len)
        return bad(c, v, "'%s' must be a string without NUL characters", key);
    *out = v->u.str.s;
    return ITSM_OK;
}

static int get_int(sj *c, const itsm__jval *obj, const char *key, int64_t lo, int64_t hi, int64_t *out)
{
    const itsm__jval *v = itsm__json_get(obj, key);
    if (!v)
        return ITSM_OK;
    if (v->type != ITSM__JNUMBER || !v->u.num.is_int || v->u.num.i < lo || v->u.num.i > hi) {
        itsm__json_schema_error(c->err, v, "'%s' must be a whole number %lld..%lld", key, (long long)lo,
                                (long long)hi);
        return ITSM_EPARSE;
    }
    *out = v->u.num.i;
    return ITSM_OK;
}

static int get_bool(sj *c, const itsm__jval *obj, const char *key, int *out)
{
    const itsm__jval *v = itsm__json_get(obj, key);
    if (!v)
        return ITSM_OK;
    if (v->type != ITSM__JTRUE && v->type != ITSM__JFALSE)
        return bad(c, v, "'%s' must be true or false", key);
    *out = v->type == ITSM__JTRUE;
    return ITSM_OK;
}

static int get_fraction(sj *c, const itsm__jval *v, unsigned *out)
{
    if (v->type != ITSM__JNUMBER || v->u.num.d < 0 || v->u.num.d > 1)
        return bad0(c, v, "a fraction must be a number 0..1");
    double pm = v->u.num.d * 1000.0;
    unsigned r = (unsigned)(pm + 0.5);
    if ((double)r - pm > 1e-6 || pm - (double)r > 1e-6)
        return bad0(c, v, "a fraction must be whole thousandths (0.75, 0.9, ...)");
    *out = r;
    return ITSM_OK;
}

static int read_sla(sj *c, const itsm__jval *v)
{
    static const char *const keys[] = { "name", "targets", NULL };
    static const char *const tkeys[] = { "priority", "response", "resolution", "calendar", NULL };
    int rc;
    if ((rc = keys_only(c, v, keys, "an SLA")))
        return rc;
    itsm_sla_def d = ITSM_SLA_DEF_INIT;
    if ((rc = get_str(c, v, "name", &d.name, 1)))
        return rc;
    const itsm__jval *t = itsm__json_get(v, "targets");
    if (!t || t->type != ITSM__JARRAY)
        return bad0(c, t ? t : v, "an SLA needs a 'targets' array");
    unsigned seen = 0;   /* priorities given so far: a second target for one is refused, not taken over the first */
    for (size_t i = 0; i < t->u.arr.n; i++) {
        const itsm__jval *e = &t->u.arr.items[i];
        int64_t prio = 0, resp = 0, res = 0;
        const char *cal = NULL;
        if ((rc = keys_only(c, e, tkeys, "a target")) || (rc = get_int(c, e, "priority", 1, 5, &prio)) ||
            (rc = get_int(c, e, "response", 0, 315360000, &resp)) ||
            (rc = get_int(c, e, "resolution", 0, 315360000, &res)) || (rc = get_str(c, e, "calendar", &cal, 0)))
            return rc;
        if (!prio)
            return bad0(c, e, "a target needs its 'priority'");
        if (seen & 1u << prio) {
            char num[2] = { (char)('0' + prio), '\0' };
            return bad(c, e, "two targets for priority %s", num);
        }
        seen |= 1u << prio;
        d.response[prio - 1] = (uint32_t)resp;
        d.resolution[prio - 1] = (uint32_t)res;
        d.calendar[prio - 1] = cal;
    }
    rc = itsm_policy_set_sla(c->p, &d);
    return rc ? built(c, v, rc) : ITSM_OK;
}

static int timer_mask(sj *c, const itsm__jval *v, unsigned *mask)
{
    *mask = 0;
    if (v->type != ITSM__JARRAY)
        return bad0(c, v, "a pause rule is an array of timers (response, resolution, ola)");
    for (size_t i = 0; i < v->u.arr.n; i++) {
        const itsm__jval *e = &v->u.arr.items[i];
        int k = -1;
        for (int t = 0; t < 3 && e->type == ITSM__JSTRING; t++)
            if (strcmp(e->u.str.s, timer_names[t]) == 0)
                k = t;
        if (k < 0)
            return bad0(c, e, "unknown timer (response, resolution, ola)");
        *mask |= 1u << k;
    }
    return ITSM_OK;
}

static void clear_list(itsm_policy *p, char **items, size_t *n)
{
    for (size_t i = 0; i < *n; i++)
        itsm__free(&p->alloc, items[i]);
    *n = 0;
}

static int read_service_levels(sj *c, const itsm__jval *v)
{
    static const char *const keys[] = { "default_sla", "slas", "services", "rules", "olas", "pause", "warnings",
                                        "stop_states", NULL };
    static const char *const okeys[] = { "group", "target", "calendar", NULL };
    static const char *const rkeys[] = { "when", "sla", NULL };
    itsm_policy *p = c->p;
    itsm__slapol *sp = itsm__sl(p);
    int rc;
    if ((rc = keys_only(c, v, keys, "service_levels")))
        return rc;
    const itsm__jval *x;
    if ((x = itsm__json_get(v, "slas"))) {
        if (x->type != ITSM__JARRAY)
            return bad0(c, x, "'slas' must be an array");
        for (size_t i = 0; i < x->u.arr.n; i++)
            if ((rc = read_sla(c, &x->u.arr.items[i])))
                return rc;
    }
    const char *def = NULL;
    if ((rc = get_str(c, v, "default_sla", &def, 0)))
        return rc;
    if (def && (rc = itsm_policy_set_default_sla(p, def)))
        return built(c, itsm__json_get(v, "default_sla"), rc);
    if ((x = itsm__json_get(v, "services"))) {
        if (x->type != ITSM__JOBJECT)
            return bad0(c, x, "'services' must map service names to SLA names");
        for (size_t i = 0; i < x->u.obj.n; i++) {
            const itsm__jmember *m = &x->u.obj.members[i];
            if (m->val.type != ITSM__JSTRING || strlen(m->key) != m->klen)
                return bad0(c, &m->val, "a service maps to an SLA name");
            if ((rc = itsm_policy_set_service_sla(p, m->key, m->val.u.str.s)))
                return built(c, &m->val, rc);
        }
    }
    if ((x = itsm__json_get(v, "rules"))) {
        if (x->type != ITSM__JARRAY)
            return bad0(c, x, "'rules' must be an array");
        for (size_t i = 0; i < x->u.arr.n; i++) {
            const itsm__jval *e = &x->u.arr.items[i];
            const char *when = NULL, *sla = NULL;
            if ((rc = keys_only(c, e, rkeys, "an SLA rule")) || (rc = get_str(c, e, "when", &when, 1)) ||
                (rc = get_str(c, e, "sla", &sla, 1)))
                return rc;
            /* a refused condition is placed at its string, an unknown SLA at its name */
            if ((rc = itsm_policy_add_sla_rule(p, when, sla)))
                return built(c, rc == ITSM_EPARSE ? itsm__json_get(e, "when")
                                : rc == ITSM_ENOTFOUND ? itsm__json_get(e, "sla") : e, rc);
        }
    }
    if ((x = itsm__json_get(v, "olas"))) {
        if (x->type != ITSM__JARRAY)
            return bad0(c, x, "'olas' must be an array");
        for (size_t i = 0; i < x->u.arr.n; i++) {
            const itsm__jval *e = &x->u.arr.items[i];
            const char *g = NULL, *cal = NULL;
            int64_t target = 0;
            if ((rc = keys_only(c, e, okeys, "an OLA")) || (rc = get_str(c, e, "group", &g, 1)) ||
                (rc = get_int(c, e, "target", 1, 315360000, &target)) || (rc = get_str(c, e, "calendar", &cal, 0)))
                return rc;
            if (!target)
                return bad0(c, e, "an OLA needs its 'target'");
            if ((rc = itsm_policy_set_ola(p, g, (uint32_t)target, cal)))
                return built(c, e, rc);
        }
    }
    if ((x = itsm__json_get(v, "pause"))) {
        if (x->type != ITSM__JOBJECT)
            return bad0(c, x, "'pause' must map hold reasons to timers");
        while (sp->npauses)
            itsm_policy_set_pause(p, sp->pauses[0].reason, 0);
        for (size_t i = 0; i < x->u.obj.n; i++) {
            const itsm__jmember *m = &x->u.obj.members[i];
            unsigned mask;
            if ((rc = timer_mask(c, &m->val, &mask)))
                return rc;
            if (strlen(m->key) != m->klen || (mask && (rc = itsm_policy_set_pause(p, m->key, mask))))
                return built(c, &m->val, rc ? rc : ITSM_EINVAL);
        }
    }
    if ((x = itsm__json_get(v, "warnings"))) {
        unsigned w[ITSM__MAX_WARN];
        if (x->type != ITSM__JARRAY || x->u.arr.n > ITSM__MAX_WARN)
            return bad0(c, x, "'warnings' must be an array of at most 8 fractions");
        for (size_t i = 0; i < x->u.arr.n; i++)
            if ((rc = get_fraction(c, &x->u.arr.items[i], &w[i])))
                return rc;
        if ((rc = itsm_policy_set_warnings(p, w, x->u.arr.n)))
            return built(c, x, rc);
    }
    if ((x = itsm__json_get(v, "stop_states"))) {
        if (x->type != ITSM__JARRAY || x->u.arr.n > ITSM__MAX_STOP)
            return bad0(c, x, "'stop_states' must be an array of at most 8 state names");
        char *copy[ITSM__MAX_STOP];
        for (size_t i = 0; i < x->u.arr.n; i++) {
            const itsm__jval *e = &x->u.arr.items[i];
            if (e->type != ITSM__JSTRING || strlen(e->u.str.s) != e->u.str.len || !e->u.str.len ||
                e->u.str.len > ITSM__NAME_MAX) {
                clear_list(p, copy, &i);
                return bad0(c, e, "a stop state must be a state name");
            }
            /* as itsm_policy_set_sla_stop_states refuses it */
            for (size_t j = 0; j < i; j++)
                if (strcmp(copy[j], e->u.str.s) == 0) {
                    clear_list(p, copy, &i);
                    return bad(c, e, "stop state '%.63s' given twice", e->u.str.s);
                }
            if (!(copy[i] = itsm__strdup(&p->alloc, e->u.str.s))) {
                clear_list(p, copy, &i);
                return built(c, e, ITSM_ENOMEM);
            }
        }
        clear_list(p, sp->stop, &sp->nstop);
        for (size_t i = 0; i < x->u.arr.n; i++)
            sp->stop[i] = copy[i];
        sp->nstop = x->u.arr.n;
    }
    return ITSM_OK;
}

static int read_escalation(sj *c, const itsm__jval *v)
{
    static const char *const keys[] = { "ladder", "climb_on_breach", "climb_on_warning", "climb_on_ola_breach",
                                        "routing", NULL };
    static const char *const rkeys[] = { "category", "service", "when", "group", NULL };
    itsm__slapol *sp = itsm__sl(c->p);
    int rc;
    if ((rc = keys_only(c, v, keys, "escalation")))
        return rc;
    int cb = sp->climb_on_breach, cw = sp->climb_on_warning, co = sp->climb_on_ola_breach;
    if ((rc = get_bool(c, v, "climb_on_breach", &cb)) || (rc = get_bool(c, v, "climb_on_warning", &cw)) ||
        (rc = get_bool(c, v, "climb_on_ola_breach", &co)))
        return rc;
    sp->climb_on_ola_breach = co;
    const itsm__jval *x = itsm__json_get(v, "ladder");
    const char *roles[ITSM__MAX_LADDER];
    size_t n = sp->nladder;
    for (size_t i = 0; i < n; i++)
        roles[i] = sp->ladder[i];
    if (x) {
        if (x->type != ITSM__JARRAY || x->u.arr.n < 1 || x->u.arr.n > ITSM__MAX_LADDER)
            return bad0(c, x, "'ladder' must be an array of 1..9 role names");
        for (size_t i = 0; i < x->u.arr.n; i++) {
            if (x->u.arr.items[i].type != ITSM__JSTRING)
                return bad0(c, &x->u.arr.items[i], "a ladder role must be a string");
            roles[i] = x->u.arr.items[i].u.str.s;
        }
        n = x->u.arr.n;
    }
    if ((rc = itsm_policy_set_ladder(c->p, roles, n, cb, cw)))
        return built(c, x ? x : v, rc);
    if ((x = itsm__json_get(v, "routing"))) {
        if (x->type != ITSM__JARRAY)
            return bad0(c, x, "'routing' must be an array");
        for (size_t i = 0; i < x->u.arr.n; i++) {
            const itsm__jval *e = &x->u.arr.items[i];
            const char *cat = NULL, *svc = NULL, *when = NULL, *g = NULL;
            if ((rc = keys_only(c, e, rkeys, "a route")) || (rc = get_str(c, e, "category", &cat, 0)) ||
                (rc = get_str(c, e, "service", &svc, 0)) || (rc = get_str(c, e, "when", &when, 0)) ||
                (rc = get_str(c, e, "group", &g, 1)))
                return rc;
            if (when && (cat || svc))
                return bad0(c, e, "a route has a 'when' condition or a category and service, not both");
            if ((rc = when ? itsm_policy_add_route_when(c->p, when, g) : itsm_policy_add_route(c->p, cat, svc, g)))
                return built(c, when && rc == ITSM_EPARSE ? itsm__json_get(e, "when") : e, rc);
        }
    }
    return ITSM_OK;
}

static int read_major(sj *c, const itsm__jval *v)
{
    static const char *const keys[] = { "propose_at_priority", "breadth_threshold", "communication_due",
                                        "groups_due", NULL };
    itsm__slapol *sp = itsm__sl(c->p);
    int rc;
    if ((rc = keys_only(c, v, keys, "major_incident")))
        return rc;
    int64_t pr = sp->major_priority, br = sp->major_breadth, cd = sp->major_comms_due, gd = sp->major_groups_due;
    if ((rc = get_int(c, v, "propose_at_priority", 0, 5, &pr)) ||
        (rc = get_int(c, v, "breadth_threshold", 0, 1000000, &br)) ||
        (rc = get_int(c, v, "communication_due", 1, 604800, &cd)) ||
        (rc = get_int(c, v, "groups_due", 1, 604800, &gd)))
        return rc;
    itsm_major_policy m = ITSM_MAJOR_POLICY_INIT;
    m.propose_at_priority = (int)pr;
    m.breadth_threshold = (uint32_t)br;
    m.communication_due = (uint32_t)cd;
    m.groups_due = (uint32_t)gd;
    return (rc = itsm_policy_set_major(c->p, &m)) ? built(c, v, rc) : ITSM_OK;
}

static int read_communication(sj *c, const itsm__jval *v)
{
    static const char *const keys[] = { "cadence", "broadcast_up_to_priority", NULL };
    itsm__slapol *sp = itsm__sl(c->p);
    int rc;
    if ((rc = keys_only(c, v, keys, "communication")))
        return rc;
    uint32_t cad[5];
    memcpy(cad, sp->cadence, sizeof cad);
    int64_t bp = sp->broadcast_max_priority;
    const itsm__jval *x = itsm__json_get(v, "cadence");
    if (x) {
        if (x->type != ITSM__JARRAY || x->u.arr.n != 5)
            return bad0(c, x, "'cadence' must be 5 numbers of seconds (P1..P5)");
        for (int i = 0; i < 5; i++) {
            const itsm__jval *e = &x->u.arr.items[i];
            if (e->type != ITSM__JNUMBER || !e->u.num.is_int || e->u.num.i < 1 || e->u.num.i > 31536000)
                return bad0(c, e, "a cadence must be 1..31536000 seconds");
            cad[i] = (uint32_t)e->u.num.i;
        }
    }
    if ((rc = get_int(c, v, "broadcast_up_to_priority", 0, 5, &bp)))
        return rc;
    return (rc = itsm_policy_set_cadence(c->p, cad, (int)bp)) ? built(c, v, rc) : ITSM_OK;
}

static int read_closure(sj *c, const itsm__jval *v)
{
    static const char *const keys[] = { "auto_close_after", "survey_rate", "knowledge_candidate", NULL };
    itsm__slapol *sp = itsm__sl(c->p);
    int rc;
    if ((rc = keys_only(c, v, keys, "closure")))
        return rc;
    int64_t ac = sp->auto_close_after;
    unsigned rate = sp->survey_permille;
    int kc = sp->knowledge_candidate;
    const itsm__jval *x = itsm__json_get(v, "survey_rate");
    if ((rc = get_int(c, v, "auto_close_after", 0, 31536000, &ac)) || (x && (rc = get_fraction(c, x, &rate))) ||
        (rc = get_bool(c, v, "knowledge_candidate", &kc)))
        return rc;
    return (rc = itsm_policy_set_closure(c->p, (uint32_t)ac, rate, kc)) ? built(c, v, rc) : ITSM_OK;
}

int itsm__slapol_read_json(itsm_policy *p, const itsm__jval *root, itsm_parse_error *err)
{
    sj c = { p, err };
    const itsm__jval *x;
    int rc = ITSM_OK;
    if ((x = itsm__json_get(root, "calendars"))) {
        if (x->type != ITSM__JARRAY)
            return bad0(&c, x, "'calendars' must be an array");
        for (size_t i = 0; i < x->u.arr.n && !rc; i++)
            rc = itsm__cal_read_json(p, &x->u.arr.items[i], err);
    }
    if (!rc && (x = itsm__json_get(root, "service_levels")))
        rc = read_service_levels(&c, x);
    if (!rc && (x = itsm__json_get(root, "agreements")))   /* after the calendars (sla/agreement_policy.c) */
        rc = itsm__agreements_read_json(p, x, err);
    if (!rc && (x = itsm__json_get(root, "escalation")))
        rc = read_escalation(&c, x);
    if (!rc && (x = itsm__json_get(root, "major_incident")))
        rc = read_major(&c, x);
    if (!rc && (x = itsm__json_get(root, "communication")))
        rc = read_communication(&c, x);
    if (!rc && (x = itsm__json_get(root, "closure")))
        rc = read_closure(&c, x);
    return rc;
}

/* ---- writing ---- */

static void w_fraction(itsm__jw *w, unsigned permille)
{
    itsm__jw_double(w, (double)permille / 1000.0);
}

void itsm__slapol_write_json(const itsm_policy *p, itsm__jw *w)
{
    const itsm__slapol *sp = itsm__sl(p);
    itsm__jw_key(w, "calendars");
    itsm__jw_arr_begin(w);
    for (size_t i = 0; i < sp->ncals; i++)
        itsm__cal_write_json(&sp->cals[i], w);
    itsm__jw_arr_end(w);

    itsm__jw_key(w, "service_levels");
    itsm__jw_obj_begin(w);
    itsm__jw_key(w, "slas");
    itsm__jw_arr_begin(w);
    for (size_t i = 0; i < sp->nslas; i++) {
        const itsm__sla *s = &sp->slas[i];
        itsm__jw_obj_begin(w);
        itsm__jw_key(w, "name");
        itsm__jw_str(w, s->name);
        itsm__jw_key(w, "targets");
        itsm__jw_arr_begin(w);
        for (int k = 0; k < 5; k++) {
            itsm__jw_obj_begin(w);
            itsm__jw_key(w, "priority");
            itsm__jw_int(w, k + 1);
            itsm__jw_key(w, "response");
            itsm__jw_int(w, s->response[k]);
            itsm__jw_key(w, "resolution");
            itsm__jw_int(w, s->resolution[k]);
            itsm__jw_key(w, "calendar");
            itsm__jw_str(w, sp->cals[s->cal[k]].name);
            itsm__jw_obj_end(w);
        }
        itsm__jw_arr_end(w);
        itsm__jw_obj_end(w);
    }
    itsm__jw_arr_end(w);
    itsm__jw_key(w, "default_sla");
    itsm__jw_str(w, sp->slas[sp->default_sla].name);
    itsm__jw_key(w, "services");
    itsm__jw_obj_begin(w);
    for (size_t i = 0; i < sp->nsvc; i++) {
        itsm__jw_key(w, sp->svc[i].service);
        itsm__jw_str(w, sp->slas[sp->svc[i].sla].name);
    }
    itsm__jw_obj_end(w);
    if (sp->nrules) {   /* only when used: documents without rules stay as they were */
        itsm__jw_key(w, "rules");
        itsm__jw_arr_begin(w);
        for (size_t i = 0; i < sp->nrules; i++) {
            itsm__jw_obj_begin(w);
            itsm__jw_key(w, "when");
            itsm__jw_str(w, sp->rules[i].text);
            itsm__jw_key(w, "sla");
            itsm__jw_str(w, sp->slas[sp->rules[i].sla].name);
            itsm__jw_obj_end(w);
        }
        itsm__jw_arr_end(w);
    }
    itsm__jw_key(w, "olas");
    itsm__jw_arr_begin(w);
    for (size_t i = 0; i < sp->nolas; i++) {
        itsm__jw_obj_begin(w);
        itsm__jw_key(w, "group");
        itsm__jw_str(w, sp->olas[i].group);
        itsm__jw_key(w, "target");
        itsm__jw_int(w, sp->olas[i].target);
        itsm__jw_key(w, "calendar");
        itsm__jw_str(w, sp->cals[sp->olas[i].cal].name);
        itsm__jw_obj_end(w);
    }
    itsm__jw_arr_end(w);
    itsm__jw_key(w, "pause");
    itsm__jw_obj_begin(w);
    for (size_t i = 0; i < sp->npauses; i++) {
        itsm__jw_key(w, sp->pauses[i].reason);
        itsm__jw_arr_begin(w);
        for (int t = 0; t < 3; t++)
            if (sp->pauses[i].mask & (1u << t))
                itsm__jw_str(w, timer_names[t]);
        itsm__jw_arr_end(w);
    }
    itsm__jw_obj_end(w);
    itsm__jw_key(w, "warnings");
    itsm__jw_arr_begin(w);
    for (size_t i = 0; i < sp->nwarn; i++)
        w_fraction(w, sp->warn[i]);
    itsm__jw_arr_end(w);
    itsm__jw_key(w, "stop_states");
    itsm__jw_arr_begin(w);
    for (size_t i = 0; i < sp->nstop; i++)
        itsm__jw_str(w, sp->stop[i]);
    itsm__jw_arr_end(w);
    itsm__jw_obj_end(w);

    itsm__agreements_write_json(p, w);

    itsm__jw_key(w, "escalation");
    itsm__jw_obj_begin(w);
    itsm__jw_key(w, "ladder");
    itsm__jw_arr_begin(w);
    for (size_t i = 0; i < sp->nladder; i++)
        itsm__jw_str(w, sp->ladder[i]);
    itsm__jw_arr_end(w);
    itsm__jw_key(w, "climb_on_breach");
    itsm__jw_bool(w, sp->climb_on_breach);
    itsm__jw_key(w, "climb_on_warning");
    itsm__jw_bool(w, sp->climb_on_warning);
    itsm__jw_key(w, "climb_on_ola_breach");
    itsm__jw_bool(w, sp->climb_on_ola_breach);
    itsm__jw_key(w, "routing");
    itsm__jw_arr_begin(w);
    for (size_t i = 0; i < sp->nroutes; i++) {
        itsm__jw_obj_begin(w);
        if (sp->routes[i].category) {
            itsm__jw_key(w, "category");
            itsm__jw_str(w, sp->routes[i].category);
        }
        if (sp->routes[i].service) {
            itsm__jw_key(w, "service");
            itsm__jw_str(w, sp->routes[i].service);
        }
        itsm__jw_key(w, "group");
        itsm__jw_str(w, sp->routes[i].group);
        itsm__jw_obj_end(w);
    }
    for (size_t i = 0; i < sp->nwroutes; i++) {
        itsm__jw_obj_begin(w);
        itsm__jw_key(w, "when");
        itsm__jw_str(w, sp->wroutes[i].text);
        itsm__jw_key(w, "group");
        itsm__jw_str(w, sp->wroutes[i].group);
        itsm__jw_obj_end(w);
    }
    itsm__jw_arr_end(w);
    itsm__jw_obj_end(w);

    itsm__jw_key(w, "major_incident");
    itsm__jw_obj_begin(w);
    itsm__jw_key(w, "propose_at_priority");
    itsm__jw_int(w, sp->major_priority);
    itsm__jw_key(w, "breadth_threshold");
    itsm__jw_int(w, sp->major_breadth);
    itsm__jw_key(w, "communication_due");
    itsm__jw_int(w, sp->major_comms_due);
    itsm__jw_key(w, "groups_due");
    itsm__jw_int(w, sp->major_groups_due);
    itsm__jw_obj_end(w);

    itsm__jw_key(w, "communication");
    itsm__jw_obj_begin(w);
    itsm__jw_key(w, "cadence");
    itsm__jw_arr_begin(w);
    for (int i = 0; i < 5; i++)
        itsm__jw_int(w, sp->cadence[i]);
    itsm__jw_arr_end(w);
    itsm__jw_key(w, "broadcast_up_to_priority");
    itsm__jw_int(w, sp->broadcast_max_priority);
    itsm__jw_obj_end(w);

    itsm__jw_key(w, "closure");
    itsm__jw_obj_begin(w);
    itsm__jw_key(w, "auto_close_after");
    itsm__jw_int(w, sp->auto_close_after);
    itsm__jw_key(w, "survey_rate");
    w_fraction(w, sp->survey_permille);
    itsm__jw_key(w, "knowledge_candidate");
    itsm__jw_bool(w, sp->knowledge_candidate);
    itsm__jw_obj_end(w);
}
