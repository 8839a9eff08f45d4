/* SPDX-License-Identifier: Apache-2.0 */
/* The service-level section of the policy: calendars, SLAs and OLAs, pause
 * rules, warnings, the escalation ladder, routing, major-incident, cadence
 * and closure settings - defaults, builders, copy, and the JSON document
 * sections (docs/service-levels.md). */
#include "sla/sla_int.h"
#include "core/abi.h"
#include "kit/opts.h"
#include "policy/policy_int.h"
#include "core/core.h"
#include "kit/json.h"
#include "kit/value.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static int serr(itsm_policy *p, int code, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
static int serr(itsm_policy *p, int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    itsm__errbuf_vset(&p->err, code, fmt, ap);
    va_end(ap);
    return code;
}

static int pname_ok(const char *s)
{
    if (!s || !*s)
        return 0;
    size_t n = 0;
    for (; s[n]; n++)
        if (!((s[n] >= 'a' && s[n] <= 'z') || (s[n] >= '0' && s[n] <= '9') || s[n] == '_'))
            return 0;
    return n <= ITSM__NAME_MAX;
}

/* A symbol value (service, group, category, reason): it becomes a
 * record's field value, so it is checked as every symbol value is
 * (kit/value.h), or a record could be stamped with a value its own stored
 * event cannot replay. */
static int sym_ok(const char *s)
{
    itsm__errbuf e;
    return s && itsm__check_symbol(&e, "value", NULL, s, strlen(s)) == ITSM_OK;
}

/* ---- lifetime ---- */

void itsm__slapol_free(void *sect, const itsm_allocator *a)
{
    itsm__slapol *sp = sect;
    if (!sp)
        return;
    for (size_t i = 0; i < sp->ncals; i++)
        itsm__cal_clear(&sp->cals[i], a);
    for (size_t i = 0; i < sp->nagrs; i++)
        itsm__agreement_clear(&sp->agrs[i], a);
    itsm__free(a, sp->agrs);
    for (size_t i = 0; i < sp->nslas; i++)
        itsm__free(a, sp->slas[i].name);
    for (size_t i = 0; i < sp->nsvc; i++)
        itsm__free(a, sp->svc[i].service);
    for (size_t i = 0; i < sp->nolas; i++)
        itsm__free(a, sp->olas[i].group);
    for (size_t i = 0; i < sp->npauses; i++)
        itsm__free(a, sp->pauses[i].reason);
    for (size_t i = 0; i < sp->nstop; i++)
        itsm__free(a, sp->stop[i]);
    for (size_t i = 0; i < sp->nladder; i++)
        itsm__free(a, sp->ladder[i]);
    for (size_t i = 0; i < sp->nroutes; i++) {
        itsm__free(a, sp->routes[i].category);
        itsm__free(a, sp->routes[i].service);
        itsm__free(a, sp->routes[i].group);
    }
    itsm__free(a, sp->cals);
    itsm__free(a, sp->slas);
    itsm__free(a, sp->svc);
    itsm__free(a, sp->olas);
    itsm__free(a, sp->pauses);
    itsm__free(a, sp->routes);
    itsm__whens_free(sp->wroutes, sp->nwroutes, a);
    itsm__whens_free(sp->rules, sp->nrules, a);
    itsm__free(a, sp);
}

int itsm__cal_find(const itsm__slapol *sp, const char *name)
{
    for (size_t i = 0; i < sp->ncals; i++)
        if (strcmp(sp->cals[i].name, name) == 0)
            return (int)i;
    return -1;
}

int itsm__sla_find(const itsm__slapol *sp, const char *name)
{
    for (size_t i = 0; i < sp->nslas; i++)
        if (strcmp(sp->slas[i].name, name) == 0)
            return (int)i;
    return -1;
}

/* Built through the public builders on a throw-away policy view, so the
 * defaults obey every rule a custom section does. */
static int defaults(itsm_policy *p)
{
    static const char *const ladder[] = { "team_lead", "service_desk_manager", "head_of_it_services" };
    static const unsigned warn[] = { 750 };
    static const uint32_t cadence[5] = { 1800, 3600, 14400, 28800, 28800 };
    itsm__slapol *sp = itsm__sl(p);
    itsm_calendar_def all = ITSM_CALENDAR_DEF_INIT, biz = ITSM_CALENDAR_DEF_INIT;
    all.name = "24x7";
    biz.name = "business";
    for (int d = 0; d < 7; d++) {
        all.end[d] = 86400;
        if (d < 5) {
            biz.start[d] = 9 * 3600;
            biz.end[d] = 17 * 3600;
        }
    }
    itsm_sla_def s = ITSM_SLA_DEF_INIT;
    static const uint32_t resp[5] = { 900, 1800, 14400, 28800, 57600 };
    static const uint32_t res[5] = { 14400, 28800, 86400, 144000, 288000 };
    s.name = "standard";
    for (int i = 0; i < 5; i++) {
        s.response[i] = resp[i];
        s.resolution[i] = res[i];
        s.calendar[i] = i < 2 ? "24x7" : "business";
    }
    int rc;
    if ((rc = itsm_policy_set_calendar(p, &all)) || (rc = itsm_policy_set_calendar(p, &biz)) ||
        (rc = itsm_policy_set_sla(p, &s)) || (rc = itsm_policy_set_default_sla(p, "standard")) ||
        (rc = itsm_policy_set_pause(p, "awaiting_customer", ITSM_TIMER_BIT(ITSM_TIMER_RESOLUTION))) ||
        (rc = itsm_policy_set_warnings(p, warn, 1)) ||
        (rc = itsm_policy_set_ladder(p, ladder, 3, 1, 0)) ||
        (rc = itsm_policy_set_cadence(p, cadence, 2)) ||
        (rc = itsm_policy_set_closure(p, 259200, 100, 1)))
        return rc;
    sp->climb_on_ola_breach = 1;
    /* Where each default lifecycle restores the service (stamps
     * resolved_at): an incident's resolved, a request's fulfilled. */
    static const char *const stop[] = { "resolved", "fulfilled" };
    if ((rc = itsm_policy_set_sla_stop_states(p, stop, 2)))
        return rc;
    itsm_major_policy m = ITSM_MAJOR_POLICY_INIT;
    return itsm_policy_set_major(p, &m);
}

int itsm__slapol_new(void **out, const itsm_allocator *a)
{
    *out = NULL;
    itsm_policy view;   /* the builders below work on a policy */
    memset(&view, 0, sizeof view);
    view.alloc = *a;
    itsm__slapol *sp = itsm__calloc(a, 1, sizeof *sp);
    if (!sp)
        return ITSM_ENOMEM;
    view.sect[ITSM__CAP_SERVICE_LEVELS] = sp;
    int rc = defaults(&view);
    if (rc) {
        itsm__slapol_free(sp, a);
        return rc;
    }
    *out = sp;
    return ITSM_OK;
}

static int dup_into(char **dst, const itsm_allocator *a, const char *s)
{
    *dst = NULL;
    if (!s)
        return ITSM_OK;
    return (*dst = itsm__strdup(a, s)) ? ITSM_OK : ITSM_ENOMEM;
}

int itsm__slapol_clone(void **out, const void *srcv, const itsm_allocator *a)
{
    const itsm__slapol *src = srcv;
    *out = NULL;
    itsm__slapol *sp = itsm__calloc(a, 1, sizeof *sp);
    if (!sp)
        return ITSM_ENOMEM;
    int rc = ITSM_OK;
    *sp = *src;
    /* Own nothing yet: fill the arrays one by one so a failure frees only
     * what was copied. */
    sp->cals = NULL; sp->ncals = sp->ccals = 0;
    sp->slas = NULL; sp->nslas = sp->cslas = 0;
    sp->svc = NULL; sp->nsvc = sp->csvc = 0;
    sp->olas = NULL; sp->nolas = sp->colas = 0;
    sp->pauses = NULL; sp->npauses = sp->cpauses = 0;
    sp->routes = NULL; sp->nroutes = sp->croutes = 0;
    sp->wroutes = NULL; sp->nwroutes = sp->cwroutes = 0;
    sp->rules = NULL; sp->nrules = sp->crules = 0;
    sp->nstop = sp->nladder = 0;
    sp->agrs = NULL; sp->nagrs = sp->cagrs = 0;
    if (src->ncals && !(sp->cals = itsm__calloc(a, src->ncals, sizeof *sp->cals)))
        rc = ITSM_ENOMEM;
    for (size_t i = 0; i < src->ncals && !rc; i++)
        if (!(rc = itsm__cal_copy(&sp->cals[i], &src->cals[i], a)))
            sp->ncals++;
    sp->ccals = sp->ncals;
    if (!rc && src->nslas && !(sp->slas = itsm__calloc(a, src->nslas, sizeof *sp->slas)))
        rc = ITSM_ENOMEM;
    for (size_t i = 0; i < src->nslas && !rc; i++) {
        sp->slas[i] = src->slas[i];
        if (!(rc = dup_into(&sp->slas[i].name, a, src->slas[i].name)))
            sp->nslas++;
    }
    sp->cslas = sp->nslas;
    if (!rc && src->nsvc && !(sp->svc = itsm__calloc(a, src->nsvc, sizeof *sp->svc)))
        rc = ITSM_ENOMEM;
    for (size_t i = 0; i < src->nsvc && !rc; i++) {
        sp->svc[i] = src->svc[i];
        if (!(rc = dup_into(&sp->svc[i].service, a, src->svc[i].service)))
            sp->nsvc++;
    }
    sp->csvc = sp->nsvc;
    if (!rc && src->nolas && !(sp->olas = itsm__calloc(a, src->nolas, sizeof *sp->olas)))
        rc = ITSM_ENOMEM;
    for (size_t i = 0; i < src->nolas && !rc; i++) {
        sp->olas[i] = src->olas[i];
        if (!(rc = dup_into(&sp->olas[i].group, a, src->olas[i].group)))
            sp->nolas++;
    }
    sp->colas = sp->nolas;
    if (!rc && src->npauses && !(sp->pauses = itsm__calloc(a, src->npauses, sizeof *sp->pauses)))
        rc = ITSM_ENOMEM;
    for (size_t i = 0; i < src->npauses && !rc; i++) {
        sp->pauses[i] = src->pauses[i];
        if (!(rc = dup_into(&sp->pauses[i].reason, a, src->pauses[i].reason)))
            sp->npauses++;
    }
    sp->cpauses = sp->npauses;
    if (!rc && src->nroutes && !(sp->routes = itsm__calloc(a, src->nroutes, sizeof *sp->routes)))
        rc = ITSM_ENOMEM;
    for (size_t i = 0; i < src->nroutes && !rc; i++) {
        itsm__route *r = &sp->routes[i];
        const itsm__route *s = &src->routes[i];
        if ((rc = dup_into(&r->category, a, s->category)) || (rc = dup_into(&r->service, a, s->service)) ||
            (rc = dup_into(&r->group, a, s->group))) {
            itsm__free(a, r->category);
            itsm__free(a, r->service);
            itsm__free(a, r->group);
            break;
        }
        sp->nroutes++;
    }
    sp->croutes = sp->nroutes;
    if (!rc && (rc = itsm__whens_clone(&sp->wroutes, &sp->nwroutes, src->wroutes, src->nwroutes, a)) == ITSM_OK)
        rc = itsm__whens_clone(&sp->rules, &sp->nrules, src->rules, src->nrules, a);
    sp->cwroutes = sp->nwroutes;
    sp->crules = sp->nrules;
    if (!rc && src->nagrs && !(sp->agrs = itsm__calloc(a, src->nagrs, sizeof *sp->agrs)))
        rc = ITSM_ENOMEM;
    for (size_t i = 0; i < src->nagrs && !rc; i++)
        if (!(rc = itsm__agreement_copy(&sp->agrs[i], &src->agrs[i], a)))
            sp->nagrs++;
    sp->cagrs = sp->nagrs;
    for (size_t i = 0; i < src->nstop && !rc; i++)
        if (!(rc = dup_into(&sp->stop[i], a, src->stop[i])))
            sp->nstop++;
    for (size_t i = 0; i < src->nladder && !rc; i++)
        if (!(rc = dup_into(&sp->ladder[i], a, src->ladder[i])))
            sp->nladder++;
    if (rc) {
        itsm__slapol_free(sp, a);
        return rc;
    }
    *out = sp;
    return ITSM_OK;
}

/* ---- builders ---- */

ITSM__DEFINE_INIT(itsm_sla_def_init, itsm_sla_def, ITSM_SLA_DEF_VERSION, ITSM_SLA_DEF_INIT)

int itsm_policy_set_sla(itsm_policy *p, const itsm_sla_def *def)
{
    if (!p)
        return ITSM_EINVAL;
    char vmsg[192];
    if (!def)
        return serr(p, ITSM_EINVAL, "SLA definition is NULL");
    if (itsm__version_check(def->version, ITSM_SLA_DEF_VERSION, "SLA definition", vmsg, sizeof vmsg))
        return serr(p, ITSM_EINVAL, "%s", vmsg);
    if (!pname_ok(def->name))
        return serr(p, ITSM_EINVAL, "SLA name must be 1..63 characters of a-z, 0-9 and _");
    itsm__slapol *sp = itsm__sl(p);
    itsm__sla s;
    memset(&s, 0, sizeof s);
    for (int i = 0; i < 5; i++) {
        const char *cn = def->calendar[i] ? def->calendar[i] : "24x7";
        s.cal[i] = itsm__cal_find(sp, cn);
        if (s.cal[i] < 0)
            return serr(p, ITSM_ENOTFOUND, "SLA '%s': unknown calendar '%.63s' for priority %d", def->name, cn,
                        i + 1);
        if (def->response[i] > 31536000u * 10 || def->resolution[i] > 31536000u * 10)
            return serr(p, ITSM_EINVAL, "SLA '%s': a target over ten years for priority %d", def->name, i + 1);
        s.response[i] = def->response[i];
        s.resolution[i] = def->resolution[i];
    }
    int at = itsm__sla_find(sp, def->name);
    if (at >= 0) {
        s.name = sp->slas[at].name;
        sp->slas[at] = s;
    } else {
        /* A record's hand-set SLA is one byte of its timer state, which
         * keeps an open incident under 512 bytes. */
        if (sp->nslas >= ITSM_MAX_SLAS)
            return serr(p, ITSM_ELIMIT, "SLA '%s': a policy holds at most %d SLAs", def->name, ITSM_MAX_SLAS);
        if (!(s.name = itsm__strdup(&p->alloc, def->name)) ||
            itsm__grow(&p->alloc, (void **)&sp->slas, &sp->cslas, sp->nslas + 1, sizeof *sp->slas)) {
            itsm__free(&p->alloc, s.name);
            return serr(p, ITSM_ENOMEM, "out of memory");
        }
        sp->slas[sp->nslas++] = s;
    }
    itsm__errbuf_clear(&p->err);
    return ITSM_OK;
}

int itsm_policy_set_default_sla(itsm_policy *p, const char *sla)
{
    if (!p)
        return ITSM_EINVAL;
    int i = sla ? itsm__sla_find(itsm__sl(p), sla) : -1;
    if (i < 0)
        return serr(p, ITSM_ENOTFOUND, "unknown SLA '%.63s'", sla ? sla : "(null)");
    itsm__sl(p)->default_sla = i;
    itsm__errbuf_clear(&p->err);
    return ITSM_OK;
}

int itsm_policy_set_service_sla(itsm_policy *p, const char *service, const char *sla)
{
    if (!p)
        return ITSM_EINVAL;
    if (!sym_ok(service))
        return serr(p, ITSM_EINVAL, "a service must be 1..255 bytes of UTF-8 without control characters");
    itsm__slapol *sp = itsm__sl(p);
    int i = -1;
    if (sla && (i = itsm__sla_find(sp, sla)) < 0)
        return serr(p, ITSM_ENOTFOUND, "unknown SLA '%.63s'", sla);
    for (size_t k = 0; k < sp->nsvc; k++)
        if (strcmp(sp->svc[k].service, service) == 0) {
            if (sla) {
                sp->svc[k].sla = i;
            } else {
                itsm__free(&p->alloc, sp->svc[k].service);
                memmove(&sp->svc[k], &sp->svc[k + 1], (sp->nsvc - k - 1) * sizeof *sp->svc);
                sp->nsvc--;
            }
            itsm__errbuf_clear(&p->err);
            return ITSM_OK;
        }
    if (!sla)
        return ITSM_OK;
    char *copy = itsm__strdup(&p->alloc, service);
    if (!copy || itsm__grow(&p->alloc, (void **)&sp->svc, &sp->csvc, sp->nsvc + 1, sizeof *sp->svc)) {
        itsm__free(&p->alloc, copy);
        return serr(p, ITSM_ENOMEM, "out of memory");
    }
    sp->svc[sp->nsvc].service = copy;
    sp->svc[sp->nsvc++].sla = i;
    itsm__errbuf_clear(&p->err);
    return ITSM_OK;
}

int itsm_policy_set_ola(itsm_policy *p, const char *group, uint32_t seconds, const char *calendar)
{
    if (!p)
        return ITSM_EINVAL;
    if (!sym_ok(group))
        return serr(p, ITSM_EINVAL, "a group must be 1..255 bytes of UTF-8 without control characters");
    itsm__slapol *sp = itsm__sl(p);
    const char *cn = calendar ? calendar : "24x7";
    int cal = itsm__cal_find(sp, cn);
    if (cal < 0)
        return serr(p, ITSM_ENOTFOUND, "OLA for '%.63s': unknown calendar '%.63s'", group, cn);
    if (seconds > 31536000u * 10)
        return serr(p, ITSM_EINVAL, "OLA for '%.63s': a target over ten years", group);
    for (size_t k = 0; k < sp->nolas; k++)
        if (strcmp(sp->olas[k].group, group) == 0) {
            if (seconds) {
                sp->olas[k].target = seconds;
                sp->olas[k].cal = cal;
            } else {
                itsm__free(&p->alloc, sp->olas[k].group);
                memmove(&sp->olas[k], &sp->olas[k + 1], (sp->nolas - k - 1) * sizeof *sp->olas);
                sp->nolas--;
            }
            itsm__errbuf_clear(&p->err);
            return ITSM_OK;
        }
    if (!seconds)
        return ITSM_OK;
    char *copy = itsm__strdup(&p->alloc, group);
    if (!copy || itsm__grow(&p->alloc, (void **)&sp->olas, &sp->colas, sp->nolas + 1, sizeof *sp->olas)) {
        itsm__free(&p->alloc, copy);
        return serr(p, ITSM_ENOMEM, "out of memory");
    }
    sp->olas[sp->nolas].group = copy;
    sp->olas[sp->nolas].target = seconds;
    sp->olas[sp->nolas++].cal = cal;
    itsm__errbuf_clear(&p->err);
    return ITSM_OK;
}

#define PAUSABLE (ITSM_TIMER_BIT(ITSM_TIMER_RESPONSE) | ITSM_TIMER_BIT(ITSM_TIMER_RESOLUTION) | \
                  ITSM_TIMER_BIT(ITSM_TIMER_OLA))

int itsm_policy_set_pause(itsm_policy *p, const char *reason, unsigned mask)
{
    if (!p)
        return ITSM_EINVAL;
    if (!sym_ok(reason))
        return serr(p, ITSM_EINVAL, "a hold reason must be 1..255 bytes of UTF-8 without control characters");
    if (mask & ~PAUSABLE)
        return serr(p, ITSM_EINVAL, "pause mask 0x%x: only response, resolution and OLA can pause", mask);
    itsm__slapol *sp = itsm__sl(p);
    for (size_t k = 0; k < sp->npauses; k++)
        if (strcmp(sp->pauses[k].reason, reason) == 0) {
            if (mask) {
                sp->pauses[k].mask = mask;
            } else {
                itsm__free(&p->alloc, sp->pauses[k].reason);
                memmove(&sp->pauses[k], &sp->pauses[k + 1], (sp->npauses - k - 1) * sizeof *sp->pauses);
                sp->npauses--;
            }
            itsm__errbuf_clear(&p->err);
            return ITSM_OK;
        }
    if (!mask)
        return ITSM_OK;
    char *copy = itsm__strdup(&p->alloc, reason);
    if (!copy || itsm__grow(&p->alloc, (void **)&sp->pauses, &sp->cpauses, sp->npauses + 1, sizeof *sp->pauses)) {
        itsm__free(&p->alloc, copy);
        return serr(p, ITSM_ENOMEM, "out of memory");
    }
    sp->pauses[sp->npauses].reason = copy;
    sp->pauses[sp->npauses++].mask = mask;
    itsm__errbuf_clear(&p->err);
    return ITSM_OK;
}

int itsm_policy_set_warnings(itsm_policy *p, const unsigned *permille, size_t n)
{
    if (!p)
        return ITSM_EINVAL;
    if (n > ITSM__MAX_WARN || (n && !permille))
        return serr(p, ITSM_EINVAL, "at most %d warnings", ITSM__MAX_WARN);
    for (size_t i = 0; i < n; i++)
        if (permille[i] < 1 || permille[i] > 999 || (i && permille[i] <= permille[i - 1]))
            return serr(p, ITSM_EINVAL, "warnings must be ascending fractions 0.001..0.999");
    for (size_t i = 0; i < n; i++)
        itsm__sl(p)->warn[i] = permille[i];
    itsm__sl(p)->nwarn = n;
    itsm__errbuf_clear(&p->err);
    return ITSM_OK;
}

int itsm_policy_set_ladder(itsm_policy *p, const char *const *roles, size_t n, int climb_on_breach,
                           int climb_on_warning)
{
    if (!p)
        return ITSM_EINVAL;
    if (n < 1 || n > ITSM__MAX_LADDER || !roles)
        return serr(p, ITSM_EINVAL, "the ladder needs 1..%d roles", ITSM__MAX_LADDER);
    char *copy[ITSM__MAX_LADDER];
    for (size_t i = 0; i < n; i++)
        if (!pname_ok(roles[i]))
            return serr(p, ITSM_EINVAL, "ladder role %zu must be 1..63 characters of a-z, 0-9 and _", i + 1);
    for (size_t i = 0; i < n; i++)
        if (!(copy[i] = itsm__strdup(&p->alloc, roles[i]))) {
            while (i--)
                itsm__free(&p->alloc, copy[i]);
            return serr(p, ITSM_ENOMEM, "out of memory");
        }
    itsm__slapol *sp = itsm__sl(p);
    for (size_t i = 0; i < sp->nladder; i++)
        itsm__free(&p->alloc, sp->ladder[i]);
    for (size_t i = 0; i < n; i++)
        sp->ladder[i] = copy[i];
    sp->nladder = n;
    sp->climb_on_breach = climb_on_breach ? 1 : 0;
    sp->climb_on_warning = climb_on_warning ? 1 : 0;
    itsm__errbuf_clear(&p->err);
    return ITSM_OK;
}

int itsm_policy_set_ola_climb(itsm_policy *p, int climb_on_ola_breach)
{
    if (!p)
        return ITSM_EINVAL;
    itsm__sl(p)->climb_on_ola_breach = climb_on_ola_breach ? 1 : 0;
    itsm__errbuf_clear(&p->err);
    return ITSM_OK;
}

int itsm_policy_set_sla_stop_states(itsm_policy *p, const char *const *states, size_t n)
{
    if (!p)
        return ITSM_EINVAL;
    if (n > ITSM__MAX_STOP || (n && !states))
        return serr(p, ITSM_EINVAL, "at most %d stop states", ITSM__MAX_STOP);
    for (size_t i = 0; i < n; i++) {
        size_t len = states[i] ? strlen(states[i]) : 0;
        if (!len || len > ITSM__NAME_MAX || !itsm__utf8_valid(states[i], len))
            return serr(p, ITSM_EINVAL, "stop state %zu must be a state name of 1..63 bytes of UTF-8", i + 1);
        for (size_t j = 0; j < i; j++)
            if (strcmp(states[i], states[j]) == 0)
                return serr(p, ITSM_EINVAL, "stop state '%.63s' given twice", states[i]);
    }
    char *copy[ITSM__MAX_STOP];
    for (size_t i = 0; i < n; i++)
        if (!(copy[i] = itsm__strdup(&p->alloc, states[i]))) {
            while (i--)
                itsm__free(&p->alloc, copy[i]);
            return serr(p, ITSM_ENOMEM, "out of memory");
        }
    itsm__slapol *sp = itsm__sl(p);
    for (size_t i = 0; i < sp->nstop; i++)
        itsm__free(&p->alloc, sp->stop[i]);
    for (size_t i = 0; i < n; i++)
        sp->stop[i] = copy[i];
    sp->nstop = n;
    itsm__errbuf_clear(&p->err);
    return ITSM_OK;
}

int itsm_policy_add_route(itsm_policy *p, const char *category, const char *service, const char *group)
{
    if (!p)
        return ITSM_EINVAL;
    if ((category && !sym_ok(category)) || (service && !sym_ok(service)) || !sym_ok(group))
        return serr(p, ITSM_EINVAL, "route %s: a route needs a group, and names of 1..255 bytes of UTF-8",
                    !sym_ok(group) ? "group" : (category && !sym_ok(category)) ? "category" : "service");
    itsm__slapol *sp = itsm__sl(p);
    char *g = itsm__strdup(&p->alloc, group);
    if (!g)
        return serr(p, ITSM_ENOMEM, "out of memory");
    for (size_t k = 0; k < sp->nroutes; k++) {
        itsm__route *r = &sp->routes[k];
        if ((!r->category) == (!category) && (!category || strcmp(r->category, category) == 0) &&
            (!r->service) == (!service) && (!service || strcmp(r->service, service) == 0)) {
            itsm__free(&p->alloc, r->group);
            r->group = g;
            itsm__errbuf_clear(&p->err);
            return ITSM_OK;
        }
    }
    itsm__route r = { NULL, NULL, g };
    if ((category && !(r.category = itsm__strdup(&p->alloc, category))) ||
        (service && !(r.service = itsm__strdup(&p->alloc, service))) ||
        itsm__grow(&p->alloc, (void **)&sp->routes, &sp->croutes, sp->nroutes + 1, sizeof *sp->routes)) {
        itsm__free(&p->alloc, r.category);
        itsm__free(&p->alloc, r.service);
        itsm__free(&p->alloc, g);
        return serr(p, ITSM_ENOMEM, "out of memory");
    }
    sp->routes[sp->nroutes++] = r;
    itsm__errbuf_clear(&p->err);
    return ITSM_OK;
}

const char *itsm_policy_route(const itsm_policy *p, const char *category, const char *service)
{
    if (!p)
        return NULL;
    const char *best = NULL;
    int score = -1;
    for (size_t k = 0; k < itsm__sl(p)->nroutes; k++) {
        const itsm__route *r = &itsm__sl(p)->routes[k];
        if (r->category && (!category || strcmp(r->category, category) != 0))
            continue;
        if (r->service && (!service || strcmp(r->service, service) != 0))
            continue;
        int s = (r->category ? 2 : 0) + (r->service ? 1 : 0);
        if (s > score) {
            score = s;
            best = r->group;
        }
    }
    return best;
}

int itsm_policy_set_major(itsm_policy *p, const itsm_major_policy *m)
{
    if (!p)
        return ITSM_EINVAL;
    char vmsg[192];
    if (!m)
        return serr(p, ITSM_EINVAL, "major-incident policy is NULL");
    if (itsm__version_check(m->version, ITSM_MAJOR_POLICY_VERSION, "major-incident policy", vmsg, sizeof vmsg))
        return serr(p, ITSM_EINVAL, "%s", vmsg);
    if (m->propose_at_priority < 0 || m->propose_at_priority > 5)
        return serr(p, ITSM_EINVAL, "propose_at_priority must be 0..5");
    if (m->communication_due == 0 || m->groups_due == 0 || m->communication_due > 604800 ||
        m->groups_due > 604800)
        return serr(p, ITSM_EINVAL, "major-incident deadlines must be 1 second..7 days (%s is %u)",
                    m->communication_due == 0 || m->communication_due > 604800 ? "communication_due" : "groups_due",
                    (unsigned)(m->communication_due == 0 || m->communication_due > 604800 ? m->communication_due
                                                                                          : m->groups_due));
    itsm__sl(p)->major_priority = m->propose_at_priority;
    itsm__sl(p)->major_breadth = m->breadth_threshold;
    itsm__sl(p)->major_comms_due = m->communication_due;
    itsm__sl(p)->major_groups_due = m->groups_due;
    itsm__errbuf_clear(&p->err);
    return ITSM_OK;
}

int itsm_policy_set_cadence(itsm_policy *p, const uint32_t cadence[5], int broadcast_max_priority)
{
    if (!p)
        return ITSM_EINVAL;
    if (!cadence || broadcast_max_priority < 0 || broadcast_max_priority > 5)
        return serr(p, ITSM_EINVAL, "cadence needs 5 values and broadcast_up_to_priority 0..5");
    for (int i = 0; i < 5; i++)
        if (cadence[i] == 0 || cadence[i] > 31536000u)
            return serr(p, ITSM_EINVAL, "cadence for priority %d must be 1 second..1 year", i + 1);
    memcpy(itsm__sl(p)->cadence, cadence, sizeof itsm__sl(p)->cadence);
    itsm__sl(p)->broadcast_max_priority = broadcast_max_priority;
    itsm__errbuf_clear(&p->err);
    return ITSM_OK;
}

int itsm_policy_set_closure(itsm_policy *p, uint32_t auto_close_after, unsigned survey_permille,
                            int knowledge_candidate)
{
    if (!p)
        return ITSM_EINVAL;
    if (survey_permille > 1000)
        return serr(p, ITSM_EINVAL, "survey rate must be 0..1");
    if (auto_close_after > 31536000u)
        return serr(p, ITSM_EINVAL, "auto_close_after must be at most a year");
    itsm__sl(p)->auto_close_after = auto_close_after;
    itsm__sl(p)->survey_permille = survey_permille;
    itsm__sl(p)->knowledge_candidate = knowledge_candidate ? 1 : 0;
    itsm__errbuf_clear(&p->err);
    return ITSM_OK;
}
