/* SPDX-License-Identifier: Apache-2.0 */
/* Escalation policies and the alert grouping window: the on-call
 * capability's policy section (the defaults, the builders, the "oncall"
 * member of the policy document, docs/policy.md, and its check). */
#include "oncall/oncall_int.h"
#include "core/abi.h"
#include "kit/json.h"
#include "kit/opts.h"
#include "kit/value.h"

#include <stdio.h>
#include <string.h>

const char *const itsm__oc_policy_keys[] = { "oncall", NULL };

static void pol_free(itsm__ocpol *p, const itsm_allocator *a)
{
    itsm__free(a, p->name);
    for (size_t s = 0; s < p->nsteps; s++)
        for (size_t t = 0; t < p->steps[s].ntargets; t++)
            itsm__free(a, p->steps[s].targets[t]);
    for (size_t i = 0; i < p->nservices; i++)
        itsm__free(a, p->services[i]);
    memset(p, 0, sizeof *p);
}

int itsm__oc_policy_new(void **sect, const itsm_allocator *a)
{
    itsm__ocsect *s = itsm__calloc(a, 1, sizeof *s);
    if (!s)
        return ITSM_ENOMEM;
    *sect = s;
    return ITSM_OK;
}

void itsm__oc_policy_free(void *sect, const itsm_allocator *a)
{
    itsm__ocsect *s = sect;
    if (!s)
        return;
    for (size_t i = 0; i < s->n; i++)
        pol_free(&s->pols[i], a);
    itsm__free(a, s->pols);
    itsm__free(a, s);
}

/* A deep copy of one policy into `d` (zeroed); ITSM_ENOMEM leaves what it
 * copied for pol_free. */
static int pol_copy(itsm__ocpol *d, const itsm__ocpol *p, const itsm_allocator *a)
{
    d->repeat = p->repeat;
    d->max_priority = p->max_priority;
    if (!(d->name = itsm__strdup(a, p->name)))
        return ITSM_ENOMEM;
    for (size_t s = 0; s < p->nsteps; s++, d->nsteps++) {
        d->steps[s].timeout = p->steps[s].timeout;
        for (size_t t = 0; t < p->steps[s].ntargets; t++, d->steps[s].ntargets++)
            if (!(d->steps[s].targets[t] = itsm__strdup(a, p->steps[s].targets[t])))
                return ITSM_ENOMEM;
    }
    for (size_t i = 0; i < p->nservices; i++, d->nservices++)
        if (!(d->services[i] = itsm__strdup(a, p->services[i])))
            return ITSM_ENOMEM;
    return ITSM_OK;
}

int itsm__oc_policy_clone(void **out, const void *src, const itsm_allocator *a)
{
    const itsm__ocsect *s = src;
    itsm__ocsect *d = itsm__calloc(a, 1, sizeof *d);
    if (!d)
        return ITSM_ENOMEM;
    d->window = s->window;
    if (s->n && !(d->pols = itsm__calloc(a, s->n, sizeof *d->pols))) {
        itsm__free(a, d);
        return ITSM_ENOMEM;
    }
    d->cap = s->n;
    for (size_t i = 0; i < s->n; i++) {
        d->n++;
        if (pol_copy(&d->pols[i], &s->pols[i], a)) {
            itsm__oc_policy_free(d, a);
            return ITSM_ENOMEM;
        }
    }
    *out = d;
    return ITSM_OK;
}

int itsm__oc_find(const itsm__ocsect *s, const char *name)
{
    for (size_t i = 0; i < s->n; i++)
        if (strcmp(s->pols[i].name, name) == 0)
            return (int)i;
    return -1;
}

int itsm__oc_is_target(const itsm__ocpol *pol, const char *name)
{
    for (size_t s = 0; s < pol->nsteps; s++)
        for (size_t t = 0; t < pol->steps[s].ntargets; t++)
            if (strcmp(pol->steps[s].targets[t], name) == 0)
                return 1;
    return 0;
}

/* ---- builders ---- */

ITSM__DEFINE_INIT(itsm_oncall_def_init, itsm_oncall_def, ITSM_ONCALL_DEF_VERSION, ITSM_ONCALL_DEF_INIT)

#define PERR(code, ...) itsm__errbuf_set(&p->err, (code), __VA_ARGS__)

static int def_check(itsm_policy *p, const itsm_oncall_def *d)
{
    int rc;
    if ((rc = itsm__check_symbol_z(&p->err, "escalation policy name", NULL, d->name)))
        return rc;
    const char *nm = d->name;
    if (!d->nsteps || !d->steps)
        return PERR(ITSM_EINVAL, "escalation policy '%.64s' needs at least one step", nm);
    if (d->nsteps > ITSM_ONCALL_MAX_STEPS)
        return PERR(ITSM_ELIMIT, "escalation policy '%.64s' has more than %d steps", nm, ITSM_ONCALL_MAX_STEPS);
    for (size_t s = 0; s < d->nsteps; s++) {
        const itsm_oncall_step *st = &d->steps[s];
        if (!st->ntargets || !st->targets)
            return PERR(ITSM_EINVAL, "escalation policy '%.64s': step %zu needs at least one target", nm, s + 1);
        if (st->ntargets > ITSM_ONCALL_MAX_TARGETS)
            return PERR(ITSM_ELIMIT, "escalation policy '%.64s': step %zu has more than %d targets", nm, s + 1,
                        ITSM_ONCALL_MAX_TARGETS);
        if (st->ack_timeout < 1 || st->ack_timeout > ITSM_ONCALL_MAX_MINUTES)
            return PERR(ITSM_EINVAL,
                        "escalation policy '%.64s': step %zu's acknowledge timeout must be 1..%d minutes (got %u)",
                        nm, s + 1, ITSM_ONCALL_MAX_MINUTES, st->ack_timeout);
        for (size_t t = 0; t < st->ntargets; t++)
            if ((rc = itsm__check_symbol_z(&p->err, "an escalation target", NULL, st->targets[t])))
                return rc;
    }
    if (d->repeat > ITSM_ONCALL_MAX_REPEAT)
        return PERR(ITSM_EINVAL, "escalation policy '%.64s': repeat must be 0..%d (got %u)", nm,
                    ITSM_ONCALL_MAX_REPEAT, d->repeat);
    if (d->nservices > ITSM_ONCALL_MAX_SERVICES)
        return PERR(ITSM_ELIMIT, "escalation policy '%.64s' names more than %d services", nm,
                    ITSM_ONCALL_MAX_SERVICES);
    if (d->nservices && !d->services)
        return PERR(ITSM_EINVAL, "escalation policy '%.64s': services is NULL", nm);
    for (size_t i = 0; i < d->nservices; i++)
        if ((rc = itsm__check_symbol_z(&p->err, "a service of an escalation policy", NULL, d->services[i])))
            return rc;
    if (d->max_priority < 1 || d->max_priority > 5)
        return PERR(ITSM_EINVAL, "escalation policy '%.64s': max_priority must be 1..5 (got %d)", nm,
                    d->max_priority);
    if (itsm__oc_find(itsm__ocs(p), nm) >= 0)
        return PERR(ITSM_EEXISTS, "the policy has an escalation policy '%.64s' already", nm);
    if (itsm__ocs(p)->n >= ITSM_ONCALL_MAX_POLICIES)
        return PERR(ITSM_ELIMIT, "a policy holds at most %d escalation policies", ITSM_ONCALL_MAX_POLICIES);
    return ITSM_OK;
}

int itsm_policy_add_oncall(itsm_policy *policy, const itsm_oncall_def *def)
{
    if (!policy)
        return ITSM_EINVAL;
    if (!def)
        return itsm__errbuf_set(&policy->err, ITSM_EINVAL, "the escalation policy definition is NULL");
    if (itsm__version_check(def->version, ITSM_ONCALL_DEF_VERSION, "escalation policy definition",
                            policy->err.msg, sizeof policy->err.msg)) {
        policy->err.code = ITSM_EINVAL;
        return ITSM_EINVAL;
    }
    int rc = def_check(policy, def);
    if (rc)
        return rc;
    itsm__ocsect *s = itsm__ocs(policy);
    const itsm_allocator *a = &policy->alloc;
    if (itsm__grow(a, (void **)&s->pols, &s->cap, s->n + 1, sizeof *s->pols))
        return itsm__errbuf_oom(&policy->err);
    itsm__ocpol *d = &s->pols[s->n];
    memset(d, 0, sizeof *d);
    d->repeat = def->repeat;
    d->max_priority = def->max_priority;
    d->name = itsm__strdup(a, def->name);
    rc = d->name ? ITSM_OK : ITSM_ENOMEM;
    for (size_t i = 0; !rc && i < def->nsteps; i++, d->nsteps++) {
        d->steps[i].timeout = def->steps[i].ack_timeout * 60u;
        for (size_t t = 0; !rc && t < def->steps[i].ntargets; t++, d->steps[i].ntargets++)
            if (!(d->steps[i].targets[t] = itsm__strdup(a, def->steps[i].targets[t])))
                rc = ITSM_ENOMEM;
    }
    for (size_t i = 0; !rc && i < def->nservices; i++, d->nservices++)
        if (!(d->services[i] = itsm__strdup(a, def->services[i])))
            rc = ITSM_ENOMEM;
    if (rc) {
        pol_free(d, a);
        return itsm__errbuf_oom(&policy->err);
    }
    s->n++;
    itsm__errbuf_clear(&policy->err);
    return ITSM_OK;
}

int itsm_policy_set_alert_window(itsm_policy *policy, unsigned minutes)
{
    if (!policy)
        return ITSM_EINVAL;
    if (minutes > ITSM_ONCALL_MAX_MINUTES)
        return itsm__errbuf_set(&policy->err, ITSM_EINVAL, "the alert grouping window must be 0..1440 minutes (got %u)",
                                minutes);
    itsm__ocs(policy)->window = minutes * 60u;
    itsm__errbuf_clear(&policy->err);
    return ITSM_OK;
}

/* ---- the document ---- */

static int schema(itsm_parse_error *err, const itsm__jval *v, const char *text)
{
    return itsm__json_schema_error(err, v, "%s", text);
}

/* An array of 1..max names (or 0..max when `may_be_empty`) into out[]. */
static int names_of(const itsm__jval *x, const char **out, size_t max, size_t *n, int may_be_empty, const char *what,
                    itsm_parse_error *err)
{
    if (x->type != ITSM__JARRAY || (!may_be_empty && !x->u.arr.n) || x->u.arr.n > max)
        return itsm__json_schema_error(err, x, "'%s' must be an array of %d..%zu names", what, may_be_empty ? 0 : 1,
                                       max);
    for (size_t i = 0; i < x->u.arr.n; i++) {
        const itsm__jval *e = &x->u.arr.items[i];
        if (e->type != ITSM__JSTRING || strlen(e->u.str.s) != e->u.str.len)
            return itsm__json_schema_error(err, e, "'%s' must hold names (strings)", what);
        out[i] = e->u.str.s;
    }
    *n = x->u.arr.n;
    return ITSM_OK;
}

static int whole(const itsm__jval *x, int64_t lo, int64_t hi, const char *what, int64_t *out, itsm_parse_error *err)
{
    if (x->type != ITSM__JNUMBER || !x->u.num.is_int || x->u.num.i < lo || x->u.num.i > hi)
        return itsm__json_schema_error(err, x, "'%s' must be a whole number %lld..%lld", what, (long long)lo,
                                       (long long)hi);
    *out = x->u.num.i;
    return ITSM_OK;
}

static int read_one(itsm_policy *p, const itsm__jval *v, itsm_parse_error *err)
{
    static const char *const keys[] = { "name", "services", "max_priority", "repeat", "steps", NULL };
    static const char *const skeys[] = { "targets", "ack_timeout", NULL };
    int rc;
    if (v->type != ITSM__JOBJECT)
        return schema(err, v, "an escalation policy must be an object");
    if ((rc = itsm__json_only_keys(v, keys, "an escalation policy", err)))
        return rc;
    itsm_oncall_def d = ITSM_ONCALL_DEF_INIT;
    const itsm__jval *x = itsm__json_get(v, "name");
    if (!x || x->type != ITSM__JSTRING || strlen(x->u.str.s) != x->u.str.len)
        return schema(err, x ? x : v, "an escalation policy needs a string 'name'");
    d.name = x->u.str.s;
    const char *services[ITSM_ONCALL_MAX_SERVICES];
    if ((x = itsm__json_get(v, "services"))) {
        if ((rc = names_of(x, services, ITSM_ONCALL_MAX_SERVICES, &d.nservices, 1, "services", err)))
            return rc;
        d.services = services;
    }
    int64_t n = 0;
    if ((x = itsm__json_get(v, "max_priority"))) {
        if ((rc = whole(x, 1, 5, "max_priority", &n, err)))
            return rc;
        d.max_priority = (int)n;
    }
    if ((x = itsm__json_get(v, "repeat"))) {
        if ((rc = whole(x, 0, ITSM_ONCALL_MAX_REPEAT, "repeat", &n, err)))
            return rc;
        d.repeat = (unsigned)n;
    }
    x = itsm__json_get(v, "steps");
    if (!x || x->type != ITSM__JARRAY || !x->u.arr.n || x->u.arr.n > ITSM_ONCALL_MAX_STEPS)
        return schema(err, x ? x : v, "an escalation policy needs 'steps': an array of 1..8 steps");
    itsm_oncall_step steps[ITSM_ONCALL_MAX_STEPS];
    const char *targets[ITSM_ONCALL_MAX_STEPS][ITSM_ONCALL_MAX_TARGETS];
    for (size_t i = 0; i < x->u.arr.n; i++) {
        const itsm__jval *e = &x->u.arr.items[i], *m;
        if ((rc = e->type == ITSM__JOBJECT ? itsm__json_only_keys(e, skeys, "an escalation step", err)
                                            : schema(err, e, "an escalation step must be an object")))
            return rc;
        if (!(m = itsm__json_get(e, "targets")))
            return schema(err, e, "an escalation step needs 'targets'");
        if ((rc = names_of(m, targets[i], ITSM_ONCALL_MAX_TARGETS, &steps[i].ntargets, 0, "targets", err)))
            return rc;
        steps[i].targets = targets[i];
        if (!(m = itsm__json_get(e, "ack_timeout")))
            return schema(err, e, "an escalation step needs 'ack_timeout' (minutes)");
        if ((rc = whole(m, 1, ITSM_ONCALL_MAX_MINUTES, "ack_timeout", &n, err)))
            return rc;
        steps[i].ack_timeout = (unsigned)n;
    }
    d.steps = steps;
    d.nsteps = x->u.arr.n;
    rc = itsm_policy_add_oncall(p, &d);
    if (rc == ITSM_ENOMEM) {
        if (err) {
            err->code = ITSM_ENOMEM;
            snprintf(err->text, sizeof err->text, "out of memory");
        }
        return rc;
    }
    if (rc) {
        itsm__json_schema_error(err, v, "%s", p->err.msg);
        return ITSM_EPARSE;
    }
    return ITSM_OK;
}

int itsm__oc_policy_read(itsm_policy *p, const itsm__jval *root, itsm_parse_error *err)
{
    static const char *const keys[] = { "group_window", "policies", NULL };
    const itsm__jval *s = itsm__json_get(root, "oncall"), *x;
    if (!s)
        return ITSM_OK;
    if (s->type != ITSM__JOBJECT)
        return schema(err, s, "'oncall' must be an object");
    int rc = itsm__json_only_keys(s, keys, "oncall", err);
    if (rc)
        return rc;
    if ((x = itsm__json_get(s, "group_window"))) {
        int64_t n = 0;
        if ((rc = whole(x, 0, ITSM_ONCALL_MAX_MINUTES, "group_window", &n, err)))
            return rc;
        itsm__ocs(p)->window = (uint32_t)n * 60u;
    }
    if ((x = itsm__json_get(s, "policies"))) {
        if (x->type != ITSM__JARRAY)
            return schema(err, x, "'policies' must be an array of escalation policies");
        for (size_t i = 0; i < x->u.arr.n; i++)
            if ((rc = read_one(p, &x->u.arr.items[i], err)))
                return rc;
    }
    return ITSM_OK;
}

void itsm__oc_policy_write(const itsm_policy *p, itsm__jw *w)
{
    const itsm__ocsect *s = itsm__ocs(p);
    itsm__jw_key(w, "oncall");
    itsm__jw_obj_begin(w);
    itsm__jw_key(w, "group_window");
    itsm__jw_int(w, s->window / 60);
    itsm__jw_key(w, "policies");
    itsm__jw_arr_begin(w);
    for (size_t i = 0; i < s->n; i++) {
        const itsm__ocpol *o = &s->pols[i];
        itsm__jw_obj_begin(w);
        itsm__jw_key(w, "name");
        itsm__jw_str(w, o->name);
        itsm__jw_key(w, "services");
        itsm__jw_arr_begin(w);
        for (size_t k = 0; k < o->nservices; k++)
            itsm__jw_str(w, o->services[k]);
        itsm__jw_arr_end(w);
        itsm__jw_key(w, "max_priority");
        itsm__jw_int(w, o->max_priority);
        itsm__jw_key(w, "repeat");
        itsm__jw_int(w, o->repeat);
        itsm__jw_key(w, "steps");
        itsm__jw_arr_begin(w);
        for (size_t k = 0; k < o->nsteps; k++) {
            itsm__jw_obj_begin(w);
            itsm__jw_key(w, "targets");
            itsm__jw_arr_begin(w);
            for (size_t t = 0; t < o->steps[k].ntargets; t++)
                itsm__jw_str(w, o->steps[k].targets[t]);
            itsm__jw_arr_end(w);
            itsm__jw_key(w, "ack_timeout");
            itsm__jw_int(w, o->steps[k].timeout / 60);
            itsm__jw_obj_end(w);
        }
        itsm__jw_arr_end(w);
        itsm__jw_obj_end(w);
    }
    itsm__jw_arr_end(w);
    itsm__jw_obj_end(w);
}

/* A policy that takes every incident (no services, every priority) hides
 * the ones after it: they are never chosen. */
void itsm__oc_policy_check(itsm_policy *p)
{
    const itsm__ocsect *s = itsm__ocs(p);
    for (size_t i = 0; i < s->n; i++) {
        const itsm__ocpol *o = &s->pols[i];
        if (o->nservices || o->max_priority < 5)
            continue;
        for (size_t k = i + 1; k < s->n; k++)
            itsm__finding(p, "oncall: escalation policy '%s' is never chosen: '%s' before it takes every incident",
                          s->pols[k].name, o->name);
        break;
    }
}
