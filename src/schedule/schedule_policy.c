/* SPDX-License-Identifier: Apache-2.0 */
/* The change schedule section of the policy: schedule states, exception
 * types, maintenance windows and blackouts - defaults, builders, copy,
 * check, and the "change_schedule" member of the policy document
 * (docs/policy.md). */
#include "schedule/schedule_int.h"
#include "core/abi.h"
#include "itsm/sla.h"
#include "kit/json.h"
#include "kit/names.h"
#include "kit/opts.h"
#include "kit/value.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* Calendar names are policy names, plus the built-in "24x7". */
static int calendar_name_ok(const char *s)
{
    return s && (itsm__pname_ok(s) || strcmp(s, "24x7") == 0);
}

/* A service is a record's field value: a symbol. */
static int service_ok(itsm__errbuf *e, const char *s)
{
    return itsm__check_symbol_z(e, "service", NULL, s);
}

/* ---- lifetime ---- */

static void names_free(const itsm_allocator *a, char **v, size_t *n)
{
    for (size_t i = 0; i < *n; i++)
        itsm__free(a, v[i]);
    *n = 0;
}

static void blackout_free(const itsm_allocator *a, itsm__sc_blackout *b)
{
    itsm__free(a, b->name);
    itsm__free(a, b->calendar);
    itsm__strv_free(a, b->services, b->nservices);
    memset(b, 0, sizeof *b);
}

void itsm__sc_policy_free(void *sect, const itsm_allocator *a)
{
    itsm__sc_policy *sp = sect;
    if (!sp)
        return;
    names_free(a, sp->states, &sp->nstates);
    names_free(a, sp->exception_types, &sp->nexception_types);
    for (size_t i = 0; i < sp->nwindows; i++) {
        itsm__free(a, sp->windows[i].service);
        itsm__free(a, sp->windows[i].calendar);
    }
    for (size_t i = 0; i < sp->nblackouts; i++)
        blackout_free(a, &sp->blackouts[i]);
    itsm__free(a, sp->windows);
    itsm__free(a, sp->blackouts);
    itsm__free(a, sp);
}

/* ---- builders (one path for the API, the document, defaults and copies) ---- */

ITSM__DEFINE_INIT(itsm_blackout_def_init, itsm_blackout_def, ITSM_BLACKOUT_DEF_VERSION, ITSM_BLACKOUT_DEF_INIT)
ITSM__DEFINE_INIT(itsm_schedule_rules_init, itsm_schedule_rules, ITSM_SCHEDULE_RULES_VERSION,
                  ITSM_SCHEDULE_RULES_INIT)

/* Copy n names into a fixed array, replacing what it held; all or nothing. */
static int set_names(char **dst, size_t *ndst, const itsm_allocator *a, itsm__errbuf *e, const char *what,
                     const char *const *v, size_t n, int symbols)
{
    if (n > ITSM_SCHEDULE_MAX_NAMES)
        return itsm__errbuf_set(e, ITSM_ELIMIT, "%zu %s; the limit is %d", n, what, ITSM_SCHEDULE_MAX_NAMES);
    if (n && !v)
        return itsm__errbuf_set(e, ITSM_EINVAL, "%s: the list is NULL but its count is %zu", what, n);
    for (size_t i = 0; i < n; i++) {
        if (symbols ? itsm__check_symbol_z(e, what, NULL, v[i]) != ITSM_OK : !itsm__pname_ok(v[i]))
            return symbols ? e->code : itsm__errbuf_set(e, ITSM_EINVAL, "%s must be 1..63 characters of a-z, 0-9 and _", what);
        for (size_t j = 0; j < i; j++)
            if (strcmp(v[i], v[j]) == 0)
                return itsm__errbuf_set(e, ITSM_EINVAL, "%s: '%.60s' is given twice", what, v[i]);
    }
    char *copy[ITSM_SCHEDULE_MAX_NAMES];
    for (size_t i = 0; i < n; i++)
        if (!(copy[i] = itsm__strdup(a, v[i]))) {
            while (i-- > 0)
                itsm__free(a, copy[i]);
            return itsm__errbuf_oom(e);
        }
    names_free(a, dst, ndst);
    for (size_t i = 0; i < n; i++)
        dst[i] = copy[i];
    *ndst = n;
    return ITSM_OK;
}

static int set_rules(itsm__sc_policy *sp, const itsm_allocator *a, itsm__errbuf *e, const itsm_schedule_rules *r)
{
    if (!r)
        return itsm__errbuf_set(e, ITSM_EINVAL, "schedule rules are NULL");
    char vmsg[192];   /* a newer version names both (common.h) */
    if (itsm__version_check(r->version, ITSM_SCHEDULE_RULES_VERSION, "schedule rules", vmsg, sizeof vmsg))
        return itsm__errbuf_set(e, ITSM_EINVAL, "%s", vmsg);
    if (!r->nstates)
        return itsm__errbuf_set(e, ITSM_EINVAL, "the schedule needs at least one state that puts a change on it");
    /* Checked whole before anything changes. */
    char *tmp[ITSM_SCHEDULE_MAX_NAMES];
    size_t ntmp = 0;
    int rc = set_names(tmp, &ntmp, a, e, "exception change type", r->exception_types, r->nexception_types, 1);
    if (rc)
        return rc;
    if ((rc = set_names(sp->states, &sp->nstates, a, e, "schedule state", r->states, r->nstates, 0))) {
        names_free(a, tmp, &ntmp);
        return rc;
    }
    names_free(a, sp->exception_types, &sp->nexception_types);
    memcpy(sp->exception_types, tmp, ntmp * sizeof *tmp);
    sp->nexception_types = ntmp;
    return ITSM_OK;
}

static int set_window(itsm__sc_policy *sp, const itsm_allocator *a, itsm__errbuf *e, const char *service,
                      const char *calendar)
{
    int rc = service_ok(e, service);
    if (rc)
        return rc;
    if (calendar && !calendar_name_ok(calendar))
        return itsm__errbuf_set(e, ITSM_EINVAL, "maintenance window of '%.60s': a calendar name must be 1..63 characters of "
                    "a-z, 0-9 and _ (or 24x7)", service);
    size_t at = sp->nwindows;
    for (size_t i = 0; i < sp->nwindows; i++)
        if (strcmp(sp->windows[i].service, service) == 0)
            at = i;
    if (!calendar) {
        if (at < sp->nwindows) {
            itsm__free(a, sp->windows[at].service);
            itsm__free(a, sp->windows[at].calendar);
            memmove(&sp->windows[at], &sp->windows[at + 1], (sp->nwindows - at - 1) * sizeof *sp->windows);
            sp->nwindows--;
        }
        return ITSM_OK;
    }
    if (at == sp->nwindows && sp->nwindows >= ITSM_SCHEDULE_MAX_WINDOWS)
        return itsm__errbuf_set(e, ITSM_ELIMIT, "at most %d services have a maintenance window", ITSM_SCHEDULE_MAX_WINDOWS);
    char *cal = itsm__strdup(a, calendar), *svc = NULL;
    if (!cal || (at == sp->nwindows && (!(svc = itsm__strdup(a, service)) ||
                                        itsm__grow(a, (void **)&sp->windows, &sp->cwindows, sp->nwindows + 1,
                                                   sizeof *sp->windows)))) {
        itsm__free(a, cal);
        itsm__free(a, svc);
        return itsm__errbuf_oom(e);
    }
    if (at == sp->nwindows) {
        sp->windows[at].service = svc;
        sp->nwindows++;
    } else {
        itsm__free(a, sp->windows[at].calendar);
    }
    sp->windows[at].calendar = cal;
    return ITSM_OK;
}

static int set_blackout(itsm__sc_policy *sp, const itsm_allocator *a, itsm__errbuf *e, const itsm_blackout_def *d)
{
    if (!d)
        return itsm__errbuf_set(e, ITSM_EINVAL, "blackout definition is NULL");
    char vmsg[192];   /* a newer version names both (common.h) */
    if (itsm__version_check(d->version, ITSM_BLACKOUT_DEF_VERSION, "blackout definition", vmsg, sizeof vmsg))
        return itsm__errbuf_set(e, ITSM_EINVAL, "%s", vmsg);
    if (!itsm__pname_ok(d->name))
        return itsm__errbuf_set(e, ITSM_EINVAL, "a blackout name must be 1..63 characters of a-z, 0-9 and _");
    int period = d->from != ITSM_TIME_NONE || d->to != ITSM_TIME_NONE;
    if (period == (d->calendar != NULL))
        return itsm__errbuf_set(e, ITSM_EINVAL, "blackout '%s' needs either a period (from, to) or a calendar", d->name);
    if (d->calendar && !calendar_name_ok(d->calendar))
        return itsm__errbuf_set(e, ITSM_EINVAL, "blackout '%s': a calendar name must be 1..63 characters of a-z, 0-9 and _",
                    d->name);
    if (period && (d->from < ITSM_TIME_MIN || d->from > ITSM_TIME_MAX || d->to < ITSM_TIME_MIN ||
                   d->to > ITSM_TIME_MAX || d->from >= d->to))
        return itsm__errbuf_set(e, ITSM_EINVAL, "blackout '%s': the period must be from < to, within 1970..9999", d->name);
    if (d->nservices > ITSM_SCHEDULE_MAX_NAMES)
        return itsm__errbuf_set(e, ITSM_ELIMIT, "blackout '%s' names %zu services; the limit is %d", d->name, d->nservices,
                    ITSM_SCHEDULE_MAX_NAMES);
    if (d->nservices && !d->services)
        return itsm__errbuf_set(e, ITSM_EINVAL, "blackout '%s': services is NULL but nservices is %zu", d->name, d->nservices);
    for (size_t i = 0; i < d->nservices; i++) {
        int rc = service_ok(e, d->services[i]);
        if (rc)
        {
            char pre[96];
            snprintf(pre, sizeof pre, "blackout '%s': ", d->name);
            return itsm__errbuf_prefix(e, rc, pre);
        }
        for (size_t j = 0; j < i; j++)
            if (strcmp(d->services[i], d->services[j]) == 0)
                return itsm__errbuf_set(e, ITSM_EINVAL, "blackout '%s': service '%.60s' is given twice", d->name, d->services[i]);
    }
    size_t at = sp->nblackouts;
    for (size_t i = 0; i < sp->nblackouts; i++)
        if (strcmp(sp->blackouts[i].name, d->name) == 0)
            at = i;
    if (at == sp->nblackouts && sp->nblackouts >= ITSM_SCHEDULE_MAX_BLACKOUTS)
        return itsm__errbuf_set(e, ITSM_ELIMIT, "a policy holds at most %d blackouts", ITSM_SCHEDULE_MAX_BLACKOUTS);
    itsm__sc_blackout b;
    memset(&b, 0, sizeof b);
    b.from = period ? d->from : ITSM_TIME_NONE;
    b.to = period ? d->to : ITSM_TIME_NONE;
    if (!(b.name = itsm__strdup(a, d->name)) || (d->calendar && !(b.calendar = itsm__strdup(a, d->calendar))) ||
        itsm__strv_dup(&b.services, a, d->services, d->nservices) ||
        (at == sp->nblackouts &&
         itsm__grow(a, (void **)&sp->blackouts, &sp->cblackouts, sp->nblackouts + 1, sizeof *sp->blackouts))) {
        b.nservices = b.services ? d->nservices : 0;
        blackout_free(a, &b);
        return itsm__errbuf_oom(e);
    }
    b.nservices = d->nservices;
    if (at < sp->nblackouts)
        blackout_free(a, &sp->blackouts[at]);
    else
        sp->nblackouts++;
    sp->blackouts[at] = b;
    return ITSM_OK;
}

/* ---- the public builders ---- */

int itsm_policy_set_maintenance_window(itsm_policy *p, const char *service, const char *calendar)
{
    if (!p)
        return ITSM_EINVAL;
    int rc = set_window(itsm__sc_policy_of(p), &p->alloc, &p->err, service, calendar);
    if (!rc)
        itsm__errbuf_clear(&p->err);
    return rc;
}

int itsm_policy_set_blackout(itsm_policy *p, const itsm_blackout_def *def)
{
    if (!p)
        return ITSM_EINVAL;
    int rc = set_blackout(itsm__sc_policy_of(p), &p->alloc, &p->err, def);
    if (!rc)
        itsm__errbuf_clear(&p->err);
    return rc;
}

int itsm_policy_remove_blackout(itsm_policy *p, const char *name)
{
    if (!p)
        return ITSM_EINVAL;
    if (!name)
        return itsm__errbuf_set(&p->err, ITSM_EINVAL, "a blackout name is required");
    itsm__sc_policy *sp = itsm__sc_policy_of(p);
    for (size_t i = 0; i < sp->nblackouts; i++)
        if (strcmp(sp->blackouts[i].name, name) == 0) {
            blackout_free(&p->alloc, &sp->blackouts[i]);
            memmove(&sp->blackouts[i], &sp->blackouts[i + 1], (sp->nblackouts - i - 1) * sizeof *sp->blackouts);
            sp->nblackouts--;
            itsm__errbuf_clear(&p->err);
            return ITSM_OK;
        }
    return itsm__errbuf_set(&p->err, ITSM_ENOTFOUND, "no blackout '%.63s'", itsm__pname_ok(name) ? name : "?");
}

int itsm_policy_set_schedule_rules(itsm_policy *p, const itsm_schedule_rules *rules)
{
    if (!p)
        return ITSM_EINVAL;
    int rc = set_rules(itsm__sc_policy_of(p), &p->alloc, &p->err, rules);
    if (!rc)
        itsm__errbuf_clear(&p->err);
    return rc;
}

/* ---- defaults and copies ---- */

int itsm__sc_policy_new(void **sect, const itsm_allocator *a)
{
    static const char *const states[] = { "scheduled", "implementing", "backed_out" };
    static const char *const types[] = { "emergency" };
    const itsm_schedule_rules r = { ITSM_SCHEDULE_RULES_VERSION, states, 3, types, 1 };
    itsm__sc_policy *sp = itsm__calloc(a, 1, sizeof *sp);
    itsm__errbuf e;
    if (!sp)
        return ITSM_ENOMEM;
    if (set_rules(sp, a, &e, &r)) {
        itsm__sc_policy_free(sp, a);
        return ITSM_ENOMEM;
    }
    *sect = sp;
    return ITSM_OK;
}

int itsm__sc_policy_clone(void **out, const void *src, const itsm_allocator *a)
{
    const itsm__sc_policy *s = src;
    itsm__sc_policy *sp = itsm__calloc(a, 1, sizeof *sp);
    if (!sp)
        return ITSM_ENOMEM;
    itsm__errbuf e;
    const itsm_schedule_rules r = { ITSM_SCHEDULE_RULES_VERSION, (const char *const *)s->states, s->nstates,
                                    (const char *const *)s->exception_types, s->nexception_types };
    int rc = set_rules(sp, a, &e, &r);
    for (size_t i = 0; i < s->nwindows && !rc; i++)
        rc = set_window(sp, a, &e, s->windows[i].service, s->windows[i].calendar);
    for (size_t i = 0; i < s->nblackouts && !rc; i++) {
        const itsm__sc_blackout *b = &s->blackouts[i];
        itsm_blackout_def d = { ITSM_BLACKOUT_DEF_VERSION, b->name, b->from, b->to, b->calendar,
                                (const char *const *)b->services, b->nservices };
        rc = set_blackout(sp, a, &e, &d);
    }
    if (rc) {
        itsm__sc_policy_free(sp, a);
        return ITSM_ENOMEM;
    }
    *out = sp;
    return ITSM_OK;
}

/* ---- check ---- */

static int calendar_known(const itsm_policy *p, const char *cal)
{
    int64_t w;
    return itsm_calendar_work(&w, p, cal, ITSM_TIME_MIN, ITSM_TIME_MIN) != ITSM_ENOTFOUND;
}

/* Only a lifecycle that asks for a window ("window:") depends on the
 * schedule states naming its states. */
static int asks_window(const itsm__lifecycle *lc)
{
    for (size_t i = 0; i < lc->ntrans; i++)
        for (size_t g = 0; g < lc->trans[i].nterms; g++)
            if (lc->trans[i].terms[g].op == ITSM__G_KIND && strcmp(lc->trans[i].terms[g].gk->name, "window") == 0)
                return 1;
    return 0;
}

/* Only changes are planned (itsm_change_plan), so a "window:" term on any
 * other kind never holds: the step it guards is never taken. */
static void window_on_other_kinds(itsm_policy *p)
{
    for (int k = 1; k <= ITSM_KIND_COUNT; k++) {
        const itsm__lifecycle *lc = &p->lc[k];
        for (size_t i = 0; i < lc->ntrans && k != ITSM_KIND_CHANGE; i++) {
            const itsm__transition *t = &lc->trans[i];
            for (size_t g = 0; g < t->nterms; g++)
                if (t->terms[g].op == ITSM__G_KIND && strcmp(t->terms[g].gk->name, "window") == 0)
                    itsm__finding(p, "%s: state '%s': guard of '%s' needs '%s', which only a change can meet "
                                  "(only changes are planned)", itsm_kind_name((itsm_kind)k),
                                  t->from == ITSM__ANY_OPEN ? "*" : lc->states[t->from], lc->events[t->event],
                                  t->terms[g].text);
        }
    }
}

void itsm__sc_policy_check(itsm_policy *p)
{
    const itsm__sc_policy *sp = itsm__sc_policy_of(p);
    window_on_other_kinds(p);
    const itsm__lifecycle *lc = &p->lc[ITSM_KIND_CHANGE];
    if (asks_window(lc))
        for (size_t i = 0; i < sp->nstates; i++)
            if (itsm__lc_state(lc, sp->states[i]) < 0)
                itsm__finding(p, "change_schedule: the change lifecycle has no schedule state '%s'", sp->states[i]);
    for (size_t i = 0; i < sp->nwindows; i++)
        if (!calendar_known(p, sp->windows[i].calendar))
            itsm__finding(p, "change_schedule: the maintenance window of service '%.60s' names unknown calendar "
                          "'%s'", sp->windows[i].service, sp->windows[i].calendar);
    for (size_t i = 0; i < sp->nblackouts; i++)
        if (sp->blackouts[i].calendar && !calendar_known(p, sp->blackouts[i].calendar))
            itsm__finding(p, "change_schedule: blackout '%s' names unknown calendar '%s'", sp->blackouts[i].name,
                          sp->blackouts[i].calendar);
}

/* ---- the document ---- */

static int read_names(const itsm__jval *v, const char *what, const char **out, size_t *n, itsm_parse_error *err)
{
    *n = 0;
    if (v->type != ITSM__JARRAY || v->u.arr.n > ITSM_SCHEDULE_MAX_NAMES)
        return itsm__json_schema_error(err, v, "'%s' must be an array of at most %d names", what,
                                       ITSM_SCHEDULE_MAX_NAMES);
    for (size_t i = 0; i < v->u.arr.n; i++) {
        const itsm__jval *s = &v->u.arr.items[i];
        if (s->type != ITSM__JSTRING || strlen(s->u.str.s) != s->u.str.len)
            return itsm__json_schema_error(err, s, "'%s' must hold names", what);
        out[i] = s->u.str.s;
    }
    *n = v->u.arr.n;
    return ITSM_OK;
}

static int read_time(const itsm__jval *v, const char *what, itsm_time *out, itsm_parse_error *err)
{
    if (!v || v->type == ITSM__JNULL) {
        *out = ITSM_TIME_NONE;
        return ITSM_OK;
    }
    if (v->type != ITSM__JSTRING || itsm__time_parse(v->u.str.s, v->u.str.len, out) != ITSM_OK)
        return itsm__json_schema_error(err, v, "'%s' must be a time \"YYYY-MM-DDTHH:MM:SSZ\" or null", what);
    return ITSM_OK;
}

static int builder_error(int rc, const itsm__jval *v, const itsm__errbuf *e, itsm_parse_error *err)
{
    if (rc == ITSM_ENOMEM)
        return rc;
    return rc ? itsm__json_schema_error(err, v, "%s", e->msg) : ITSM_OK;
}

int itsm__sc_policy_read(itsm_policy *p, const itsm__jval *root, itsm_parse_error *err)
{
    static const char *const keys[] = { "states", "exception_types", "maintenance_windows", "blackouts", NULL };
    static const char *const bkeys[] = { "name", "from", "to", "calendar", "services", NULL };
    const itsm__jval *v = itsm__json_get(root, "change_schedule");
    if (!v)
        return ITSM_OK;
    if (v->type != ITSM__JOBJECT)
        return itsm__json_schema_error(err, v, "'change_schedule' must be an object");
    int rc = itsm__json_only_keys(v, keys, "change_schedule", err);
    if (rc)
        return rc;
    itsm__sc_policy *sp = itsm__sc_policy_of(p);
    itsm__errbuf e;
    const itsm__jval *st = itsm__json_get(v, "states"), *ex = itsm__json_get(v, "exception_types");
    const itsm__jval *mw = itsm__json_get(v, "maintenance_windows"), *bo = itsm__json_get(v, "blackouts");
    if (st || ex) {
        const char *states[ITSM_SCHEDULE_MAX_NAMES], *types[ITSM_SCHEDULE_MAX_NAMES];
        itsm_schedule_rules r = { ITSM_SCHEDULE_RULES_VERSION, (const char *const *)sp->states, sp->nstates,
                                  (const char *const *)sp->exception_types, sp->nexception_types };
        if (st && (rc = read_names(st, "states", states, &r.nstates, err)))
            return rc;
        if (ex && (rc = read_names(ex, "exception_types", types, &r.nexception_types, err)))
            return rc;
        if (st)
            r.states = states;
        if (ex)
            r.exception_types = types;
        /* set_rules copies before it frees: the section's own names may be the source. */
        if ((rc = builder_error(set_rules(sp, &p->alloc, &e, &r), v, &e, err)))
            return rc;
    }
    if (mw) {
        if (mw->type != ITSM__JOBJECT)
            return itsm__json_schema_error(err, mw, "'maintenance_windows' must be an object of service: calendar");
        for (size_t i = 0; i < mw->u.obj.n; i++) {
            const itsm__jmember *m = &mw->u.obj.members[i];
            if (m->val.type != ITSM__JSTRING || strlen(m->key) != m->klen ||
                strlen(m->val.u.str.s) != m->val.u.str.len)
                return itsm__json_schema_error(err, &m->val, "a maintenance window is a calendar name");
            if ((rc = builder_error(set_window(sp, &p->alloc, &e, m->key, m->val.u.str.s), &m->val, &e, err)))
                return rc;
        }
    }
    if (bo) {
        if (bo->type != ITSM__JARRAY || bo->u.arr.n > ITSM_SCHEDULE_MAX_BLACKOUTS)
            return itsm__json_schema_error(err, bo, "'blackouts' must be an array of at most %d blackouts",
                                           ITSM_SCHEDULE_MAX_BLACKOUTS);
        for (size_t i = 0; i < bo->u.arr.n; i++) {
            const itsm__jval *b = &bo->u.arr.items[i];
            if (b->type != ITSM__JOBJECT)
                return itsm__json_schema_error(err, b, "a blackout must be an object");
            if ((rc = itsm__json_only_keys(b, bkeys, "blackout", err)))
                return rc;
            itsm_blackout_def d = ITSM_BLACKOUT_DEF_INIT;
            const itsm__jval *nm = itsm__json_get(b, "name"), *cal = itsm__json_get(b, "calendar");
            const itsm__jval *svc = itsm__json_get(b, "services");
            const char *services[ITSM_SCHEDULE_MAX_NAMES];
            if (!nm || nm->type != ITSM__JSTRING)
                return itsm__json_schema_error(err, nm ? nm : b, "a blackout needs a 'name'");
            d.name = nm->u.str.s;
            for (size_t j = 0; j < sp->nblackouts; j++)
                if (strcmp(sp->blackouts[j].name, d.name) == 0)
                    return itsm__json_schema_error(err, nm, "blackout '%.60s' is given twice", d.name);
            if ((rc = read_time(itsm__json_get(b, "from"), "from", &d.from, err)) ||
                (rc = read_time(itsm__json_get(b, "to"), "to", &d.to, err)))
                return rc;
            if (cal && cal->type != ITSM__JNULL) {
                if (cal->type != ITSM__JSTRING)
                    return itsm__json_schema_error(err, cal, "'calendar' must be a calendar name or null");
                d.calendar = cal->u.str.s;
            }
            if (svc && (rc = read_names(svc, "services", services, &d.nservices, err)))
                return rc;
            d.services = services;
            if ((rc = builder_error(set_blackout(sp, &p->alloc, &e, &d), b, &e, err)))
                return rc;
        }
    }
    return ITSM_OK;
}

static void write_names(itsm__jw *w, char *const *v, size_t n)
{
    itsm__jw_arr_begin(w);
    for (size_t i = 0; i < n; i++)
        itsm__jw_str(w, v[i]);
    itsm__jw_arr_end(w);
}

void itsm__sc_policy_write(const itsm_policy *p, itsm__jw *w)
{
    const itsm__sc_policy *sp = itsm__sc_policy_of(p);
    itsm__jw_key(w, "change_schedule");
    itsm__jw_obj_begin(w);
    itsm__jw_key(w, "states");
    write_names(w, sp->states, sp->nstates);
    itsm__jw_key(w, "exception_types");
    write_names(w, sp->exception_types, sp->nexception_types);
    itsm__jw_key(w, "maintenance_windows");
    itsm__jw_obj_begin(w);
    for (size_t i = 0; i < sp->nwindows; i++) {
        itsm__jw_key(w, sp->windows[i].service);
        itsm__jw_str(w, sp->windows[i].calendar);
    }
    itsm__jw_obj_end(w);
    itsm__jw_key(w, "blackouts");
    itsm__jw_arr_begin(w);
    for (size_t i = 0; i < sp->nblackouts; i++) {
        const itsm__sc_blackout *b = &sp->blackouts[i];
        itsm__jw_obj_begin(w);
        itsm__jw_key(w, "name");
        itsm__jw_str(w, b->name);
        itsm__jw_key(w, "from");
        itsm__jw_time(w, b->from);
        itsm__jw_key(w, "to");
        itsm__jw_time(w, b->to);
        itsm__jw_key(w, "calendar");
        itsm__jw_str(w, b->calendar);
        itsm__jw_key(w, "services");
        write_names(w, b->services, b->nservices);
        itsm__jw_obj_end(w);
    }
    itsm__jw_arr_end(w);
    itsm__jw_obj_end(w);
}
