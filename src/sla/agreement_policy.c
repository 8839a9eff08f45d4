/* SPDX-License-Identifier: Apache-2.0 */
/* Agreements in the policy: the builder (every condition compiled and
 * checked against the policy's names), copy and free, and the document's
 * "agreements" section with condition errors placed at their line and
 * column in the document. */
#include "sla/agreement.h"
#include "core/abi.h"
#include "core/cond_record.h"
#include "sla/sla_int.h"
#include "policy/policy_int.h"
#include "core/fields.h"
#include "core/capability.h"
#include "kit/opts.h"
#include "kit/json.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

const char *const itsm__agreement_cond_names[ITSM__AC_COUNT] = { "applies", "start", "pause", "stop", "reset" };
static const char *const type_names[4] = { NULL, "sla", "ola", "uc" };

static int perr(itsm_policy *p, int code, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
static int perr(itsm_policy *p, int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    itsm__errbuf_vset(&p->err, code, fmt, ap);
    va_end(ap);
    return code;
}

static int name_ok(const char *s)
{
    size_t n = 0;
    if (!s)
        return 0;
    for (; s[n]; n++)
        if (!((s[n] >= 'a' && s[n] <= 'z') || (s[n] >= '0' && s[n] <= '9') || s[n] == '_'))
            return 0;
    return n >= 1 && n <= ITSM__NAME_MAX;
}

void itsm__agreement_clear(itsm__agreement *g, const itsm_allocator *a)
{
    itsm__free(a, g->name);
    g->name = NULL;
    for (int k = 0; k < ITSM__AC_COUNT; k++) {
        itsm__free(a, g->src[k]);
        itsm__cond_free(g->cond[k], a);
        g->src[k] = NULL;
        g->cond[k] = NULL;
    }
}

/* The target of priority prio (its own, else the default): an index, -1. */
static int target_scan(const itsm__agreement *g, int prio)
{
    int any = -1;
    for (size_t i = 0; i < g->ntargets; i++) {
        if (prio && g->target[i].priority == prio)
            return (int)i;
        if (!g->target[i].priority)
            any = (int)i;
    }
    return any;
}

const itsm__agr_target *itsm__agreement_target(const itsm__agreement *g, int prio)
{
    int i = g->tix[prio >= 1 && prio <= 5 ? prio : 0];   /* every event asks, for every instance */
    return i >= 0 ? &g->target[i] : NULL;
}

/* Compile every condition of g (sources set) and note what each reads. */
static int compile_all(itsm__agreement *g, const itsm_policy *p, const itsm_allocator *a, int *which,
                       itsm_parse_error *err)
{
    g->any_fields = 0;
    g->any_reads = 0;
    g->state_ok = 0;
    for (int k = 0; k < ITSM__AC_COUNT; k++) {
        *which = k;
        g->fields[k] = 0;
        g->reads[k] = 0;
        if (!g->src[k])
            continue;
        int rc = itsm__cond_compile(&g->cond[k], g->src[k], strlen(g->src[k]), itsm__cond_record_lookup,
                                    (void *)p, a, err);
        if (rc)
            return rc;
        size_t n;
        const int *ids = itsm__cond_vars(g->cond[k], &n);
        for (size_t i = 0; i < n; i++) {
            if (ids[i] == ITSM_F_UPDATED_AT)
                g->reads[k] |= ITSM__AR_EVERY;   /* every event sets it, no change names it */
            else if (ids[i] >= 0 && ids[i] < 63 && ids[i] < (int)ITSM_F__COUNT)
                g->fields[k] |= (uint64_t)1 << (unsigned)ids[i];
            else if (ids[i] == ITSM__CID_STATE || ids[i] == ITSM__CID_OPEN)
                g->reads[k] |= ITSM__AR_STATE;
            else if (ids[i] == ITSM__CID_EVENT)
                g->reads[k] |= ITSM__AR_EVENT;
            else if (ids[i] != ITSM__CID_KIND)
                g->fields[k] |= ITSM__FSET_CUSTOM;   /* a custom field (or a built-in one past bit 62) */
        }
        g->any_fields |= g->fields[k];
        g->any_reads |= g->reads[k];
    }
    return ITSM_OK;
}

int itsm__agreement_copy(itsm__agreement *dst, const itsm__agreement *src, const itsm_allocator *a)
{
    *dst = *src;
    dst->state_ok = 0;   /* made by the engine that adopts the copy */
    dst->name = NULL;
    memset(dst->src, 0, sizeof dst->src);
    memset(dst->cond, 0, sizeof dst->cond);
    int rc = (dst->name = itsm__strdup(a, src->name)) ? ITSM_OK : ITSM_ENOMEM;
    for (int k = 0; k < ITSM__AC_COUNT && !rc; k++)
        if (src->src[k] && (!(dst->src[k] = itsm__strdup(a, src->src[k])) ||
                            itsm__cond_copy(&dst->cond[k], src->cond[k], a)))
            rc = ITSM_ENOMEM;
    if (rc)
        itsm__agreement_clear(dst, a);
    return rc;
}

ITSM__DEFINE_INIT(itsm_agreement_def_init, itsm_agreement_def, ITSM_AGREEMENT_DEF_VERSION, ITSM_AGREEMENT_DEF_INIT)

static int fractions(itsm_policy *p, const char *nm, const char *what, const unsigned *v, size_t n, unsigned lo,
                     unsigned hi, unsigned *out, size_t *nout)
{
    if (n > ITSM_AGREEMENT_MAX_LEVELS || (n && !v))
        return perr(p, ITSM_EINVAL, "agreement '%s': %s must be at most %d fractions", nm, what,
                    ITSM_AGREEMENT_MAX_LEVELS);
    for (size_t i = 0; i < n; i++) {
        if (v[i] < lo || v[i] > hi || (i && v[i] <= v[i - 1]))
            return perr(p, ITSM_EINVAL, "agreement '%s': %s must be ascending permille %u..%u", nm, what, lo, hi);
        out[i] = v[i];
    }
    *nout = n;
    return ITSM_OK;
}

/* itsm_policy_set_agreement; *which gets the condition refused (when err
 * has a code). */
static int set_agreement(itsm_policy *p, const itsm_agreement_def *def, itsm_parse_error *err, int *which)
{
    if (err)
        memset(err, 0, sizeof *err);
    if (!p)
        return ITSM_EINVAL;
    if (!def)
        return perr(p, ITSM_EINVAL, "agreement definition is NULL");
    char vmsg[192];   /* a newer version names both (common.h) */
    if (itsm__version_check(def->version, ITSM_AGREEMENT_DEF_VERSION, "agreement definition", vmsg, sizeof vmsg))
        return perr(p, ITSM_EINVAL, "%s", vmsg);
    if (!name_ok(def->name))
        return perr(p, ITSM_EINVAL, "agreement name must be 1..63 characters of a-z, 0-9 and _");
    const char *nm = def->name;
    if (def->type < ITSM_AGREEMENT_SLA || def->type > ITSM_AGREEMENT_UC)
        return perr(p, ITSM_EINVAL, "agreement '%s': type %d is not sla, ola or uc", nm, (int)def->type);
    if (!def->stop)
        return perr(p, ITSM_EINVAL, "agreement '%s' needs a stop condition", nm);
    itsm__slapol *sp = itsm__sl(p);
    itsm__agreement g;
    memset(&g, 0, sizeof g);
    g.type = (int)def->type;
    g.climb = def->climb != 0;
    if (!def->ntargets || def->ntargets > ITSM_AGREEMENT_MAX_TARGETS || !def->targets)
        return perr(p, ITSM_EINVAL, "agreement '%s' needs 1..%d targets", nm, ITSM_AGREEMENT_MAX_TARGETS);
    for (size_t i = 0; i < def->ntargets; i++) {
        const itsm_agreement_target *t = &def->targets[i];
        if (t->priority < 0 || t->priority > 5 || !t->seconds || t->seconds > 315360000)
            return perr(p, ITSM_EINVAL, "agreement '%s': target %zu needs priority 0..5 and 1..315360000 seconds",
                        nm, i);
        for (size_t j = 0; j < i; j++)
            if (g.target[j].priority == t->priority)
                return perr(p, ITSM_EINVAL, "agreement '%s': two targets for priority %d", nm, t->priority);
        const char *cn = t->calendar ? t->calendar : "24x7";
        int cal = itsm__cal_find(sp, cn);
        if (cal < 0)
            return perr(p, ITSM_ENOTFOUND, "agreement '%s': unknown calendar '%.63s'", nm, cn);
        g.target[i].priority = (uint8_t)t->priority;
        g.target[i].seconds = t->seconds;
        g.target[i].cal = cal;
    }
    g.ntargets = def->ntargets;
    for (int prio = 0; prio <= 5; prio++)
        g.tix[prio] = (int8_t)target_scan(&g, prio);
    int rc;
    if ((rc = fractions(p, nm, "warnings", def->warnings, def->nwarnings, 1, 999, g.warn, &g.nwarn)) ||
        (rc = fractions(p, nm, "breaches", def->breaches, def->nbreaches, 1000, 10000, g.breach, &g.nbreach)))
        return rc;
    if (!g.nbreach)
        g.breach[g.nbreach++] = 1000;
    const char *src[ITSM__AC_COUNT] = { def->applies, def->start, def->pause, def->stop, def->reset };
    int at = -1;
    for (size_t i = 0; i < sp->nagrs; i++)
        if (strcmp(sp->agrs[i].name, nm) == 0)
            at = (int)i;
    if (at < 0 && sp->nagrs == ITSM_MAX_AGREEMENTS)
        return perr(p, ITSM_ELIMIT, "a policy holds at most %d agreements", ITSM_MAX_AGREEMENTS);
    rc = (g.name = itsm__strdup(&p->alloc, nm)) ? ITSM_OK : ITSM_ENOMEM;
    for (int k = 0; k < ITSM__AC_COUNT && !rc; k++)
        if (src[k] && !(g.src[k] = itsm__strdup(&p->alloc, src[k])))
            rc = ITSM_ENOMEM;
    itsm_parse_error ce;
    if (!rc && (rc = compile_all(&g, p, &p->alloc, which, &ce)) != ITSM_OK && rc != ITSM_ENOMEM) {
        perr(p, rc, "agreement '%s': %s condition, line %zu, column %zu: %s", nm,
             itsm__agreement_cond_names[*which], ce.line, ce.column, ce.text);
        if (err) {   /* name the condition */
            *err = ce;
            snprintf(err->text, sizeof err->text, "%s: %.150s", itsm__agreement_cond_names[*which], ce.text);
        }
    }
    if (!rc && at < 0 && itsm__grow(&p->alloc, (void **)&sp->agrs, &sp->cagrs, sp->nagrs + 1, sizeof *sp->agrs))
        rc = ITSM_ENOMEM;
    if (rc) {
        itsm__agreement_clear(&g, &p->alloc);
        return rc == ITSM_ENOMEM ? perr(p, rc, "out of memory") : rc;
    }
    if (at >= 0) {
        itsm__agreement_clear(&sp->agrs[at], &p->alloc);
        sp->agrs[at] = g;
    } else {
        sp->agrs[sp->nagrs++] = g;
    }
    itsm__errbuf_clear(&p->err);
    return ITSM_OK;
}

int itsm_policy_set_agreement(itsm_policy *p, const itsm_agreement_def *def, itsm_parse_error *err)
{
    int which;
    return set_agreement(p, def, err, &which);
}

int itsm_policy_remove_agreement(itsm_policy *p, const char *name)
{
    if (!p || !name)
        return ITSM_EINVAL;
    itsm__slapol *sp = itsm__sl(p);
    for (size_t i = 0; i < sp->nagrs; i++)
        if (strcmp(sp->agrs[i].name, name) == 0) {
            itsm__agreement_clear(&sp->agrs[i], &p->alloc);
            memmove(&sp->agrs[i], &sp->agrs[i + 1], (sp->nagrs - i - 1) * sizeof *sp->agrs);
            sp->nagrs--;
            return ITSM_OK;
        }
    return perr(p, ITSM_ENOTFOUND, "no agreement '%.63s'", name);
}

size_t itsm_policy_agreement_count(const itsm_policy *p) { return p ? itsm__sl(p)->nagrs : 0; }

const char *itsm_policy_agreement_name(const itsm_policy *p, size_t index)
{
    return p && index < itsm__sl(p)->nagrs ? itsm__sl(p)->agrs[index].name : NULL;
}

void itsm__agreements_check(itsm_policy *p)
{
    itsm__slapol *sp = itsm__sl(p);
    for (size_t i = 0; i < sp->nagrs; i++) {
        itsm__agreement *g = &sp->agrs[i];
        for (int k = 0; k < ITSM__AC_COUNT; k++) {
            itsm__cond *c;
            itsm_parse_error e;
            if (!g->src[k] ||
                itsm__cond_compile(&c, g->src[k], strlen(g->src[k]), itsm__cond_record_lookup, p, &p->alloc, &e) ==
                    ITSM_ENOMEM)
                continue;
            if (e.code == 0 || e.code == ITSM_OK) {
                itsm__cond_free(c, &p->alloc);
                continue;
            }
            itsm__finding(p, "agreements: '%s' %s, line %zu, column %zu: %s", g->name,
                          itsm__agreement_cond_names[k], e.line, e.column, e.text);
        }
    }
}

/* ---- the document ---- */

/* The bytes of the first `n` bytes of s as the writer spells them. */
static size_t writer_len(const char *s, size_t n)
{
    size_t raw = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (ch == '"' || ch == '\\' || ch == '\n' || ch == '\r' || ch == '\t' || ch == '\b' || ch == '\f')
            raw += 2;
        else if (ch < 0x20)
            raw += 6;
        else
            raw += 1;
    }
    return raw;
}

/* Bytes the first `n` bytes of a decoded JSON string took in the document:
 * counted in the document itself when the policy is read from its text
 * (escapes as written: "\u00e9", "\/"), else as the writer spells them
 * (a stored policy event's document, parsed with its event). A column
 * within the string's line. */
static size_t raw_len(const itsm_policy *p, const itsm__jval *v, size_t n)
{
    size_t raw = p->doc ? itsm__json_raw_span(p->doc, p->doc_len, v->offset, n) : SIZE_MAX;
    if (raw != SIZE_MAX)
        return raw;
    return writer_len(v->u.str.s, n);
}

static int schema(itsm_parse_error *err, const itsm__jval *v, const char *text)
{
    return itsm__json_schema_error(err, v, "%s", text);
}

/* `what` names the member, so the refusal says which list it is. */
static int get_fracs(const itsm__jval *x, const char *what, unsigned lo, unsigned hi, unsigned *out, size_t *n,
                     itsm_parse_error *err)
{
    if (x->type != ITSM__JARRAY || x->u.arr.n > ITSM_AGREEMENT_MAX_LEVELS)
        return itsm__json_schema_error(err, x, "'%s' must be an array of at most 8 fractions", what);
    for (size_t i = 0; i < x->u.arr.n; i++) {
        const itsm__jval *e = &x->u.arr.items[i];
        double pm = e->type == ITSM__JNUMBER ? e->u.num.d * 1000.0 : -1.0;
        unsigned r = pm >= 0 && pm <= 1e7 ? (unsigned)(pm + 0.5) : 0;
        if (e->type != ITSM__JNUMBER || pm < lo - 1e-6 || pm > hi + 1e-6 || (double)r - pm > 1e-6 ||
            pm - (double)r > 1e-6)
            return itsm__json_schema_error(err, e, "a fraction of '%s' must be whole thousandths %g..%g", what,
                                           lo / 1000.0, hi / 1000.0);
        out[i] = r;
    }
    *n = x->u.arr.n;
    return ITSM_OK;
}

static int read_one(itsm_policy *p, const itsm__jval *v, itsm_parse_error *err)
{
    static const char *const keys[] = { "name", "type", "applies", "start", "pause", "stop", "reset", "targets",
                                        "warnings", "breaches", "climb", NULL };
    static const char *const tkeys[] = { "priority", "target", "calendar", NULL };
    int rc;
    if (v->type != ITSM__JOBJECT)
        return schema(err, v, "an agreement must be an object");
    if ((rc = itsm__json_only_keys(v, keys, "an agreement", err)))
        return rc;
    itsm_agreement_def d = ITSM_AGREEMENT_DEF_INIT;
    const itsm__jval *x = itsm__json_get(v, "name"), *cv[ITSM__AC_COUNT];
    if (!x || x->type != ITSM__JSTRING)
        return schema(err, x ? x : v, "an agreement needs a string 'name'");
    d.name = x->u.str.s;
    if ((x = itsm__json_get(v, "type"))) {
        d.type = 0;
        for (int t = 1; t <= 3; t++)
            if (x->type == ITSM__JSTRING && strcmp(x->u.str.s, type_names[t]) == 0)
                d.type = (itsm_agreement_type)t;
        if (!d.type)
            return schema(err, x, "'type' must be \"sla\", \"ola\" or \"uc\"");
    }
    const char **slot[ITSM__AC_COUNT] = { &d.applies, &d.start, &d.pause, &d.stop, &d.reset };
    for (int k = 0; k < ITSM__AC_COUNT; k++) {
        cv[k] = itsm__json_get(v, itsm__agreement_cond_names[k]);
        if (!cv[k])
            continue;
        if (cv[k]->type != ITSM__JSTRING || strlen(cv[k]->u.str.s) != cv[k]->u.str.len)
            return itsm__json_schema_error(err, cv[k], "'%s' must be a condition (a string)",
                                           itsm__agreement_cond_names[k]);
        *slot[k] = cv[k]->u.str.s;
    }
    if (!d.stop)
        return schema(err, v, "an agreement needs a 'stop' condition");
    itsm_agreement_target t[ITSM_AGREEMENT_MAX_TARGETS];
    x = itsm__json_get(v, "targets");
    if (!x || x->type != ITSM__JARRAY || !x->u.arr.n || x->u.arr.n > ITSM_AGREEMENT_MAX_TARGETS)
        return schema(err, x ? x : v, "an agreement needs 'targets': an array of 1..6 targets");
    for (size_t i = 0; i < x->u.arr.n; i++) {
        const itsm__jval *e = &x->u.arr.items[i], *m;
        if ((rc = e->type == ITSM__JOBJECT ? itsm__json_only_keys(e, tkeys, "a target", err)
                                            : schema(err, e, "a target must be an object")))
            return rc;
        memset(&t[i], 0, sizeof t[i]);
        if ((m = itsm__json_get(e, "priority"))) {
            if (m->type != ITSM__JNUMBER || !m->u.num.is_int || m->u.num.i < 1 || m->u.num.i > 5)
                return schema(err, m, "'priority' must be 1..5 (leave it out for any priority)");
            t[i].priority = (int)m->u.num.i;
        }
        m = itsm__json_get(e, "target");
        if (!m || m->type != ITSM__JNUMBER || !m->u.num.is_int || m->u.num.i < 1 || m->u.num.i > 315360000)
            return schema(err, m ? m : e, "a target needs 'target': whole seconds 1..315360000");
        t[i].seconds = (uint32_t)m->u.num.i;
        if ((m = itsm__json_get(e, "calendar"))) {
            if (m->type != ITSM__JSTRING)
                return schema(err, m, "'calendar' must be a calendar name");
            t[i].calendar = m->u.str.s;
        }
    }
    d.targets = t;
    d.ntargets = x->u.arr.n;
    unsigned w[ITSM_AGREEMENT_MAX_LEVELS], b[ITSM_AGREEMENT_MAX_LEVELS];
    if ((x = itsm__json_get(v, "warnings"))) {
        if ((rc = get_fracs(x, "warnings", 1, 999, w, &d.nwarnings, err)))
            return rc;
        d.warnings = w;
    }
    if ((x = itsm__json_get(v, "breaches"))) {
        if ((rc = get_fracs(x, "breaches", 1000, 10000, b, &d.nbreaches, err)))
            return rc;
        d.breaches = b;
    }
    if ((x = itsm__json_get(v, "climb"))) {
        if (x->type != ITSM__JTRUE && x->type != ITSM__JFALSE)
            return schema(err, x, "'climb' must be true or false");
        d.climb = x->type == ITSM__JTRUE;
    }
    itsm_parse_error ce;
    int k = 0;
    rc = set_agreement(p, &d, &ce, &k);
    if (rc == ITSM_ENOMEM) {
        if (err) {
            err->code = ITSM_ENOMEM;
            snprintf(err->text, sizeof err->text, "out of memory");
        }
        return rc;
    }
    if (rc && ce.code) {   /* a condition: its place in the document (a string is one line there) */
        const itsm__jval *s = cv[k];
        if (err) {
            *err = ce;
            err->line = s->line;
            size_t raw = raw_len(p, s, ce.offset);
            err->column = s->column + 1 + raw;
            err->offset = s->offset + 1 + raw;
            char text[sizeof err->text];
            snprintf(text, sizeof text, "agreement '%.40s' %.100s", d.name, ce.text);
            memcpy(err->text, text, sizeof text);
        }
        return ce.code == ITSM_ELIMIT ? ITSM_ELIMIT : ITSM_EPARSE;
    }
    if (rc) {
        itsm__json_schema_error(err, v, "%s", p->err.msg);
        if (err && rc == ITSM_ELIMIT)
            err->code = ITSM_ELIMIT;
        return rc == ITSM_ELIMIT ? ITSM_ELIMIT : ITSM_EPARSE;
    }
    return ITSM_OK;
}

int itsm__agreements_read_json(itsm_policy *p, const itsm__jval *v, itsm_parse_error *err)
{
    if (v->type != ITSM__JARRAY)
        return schema(err, v, "'agreements' must be an array");
    for (size_t i = 0; i < v->u.arr.n; i++) {
        int rc = read_one(p, &v->u.arr.items[i], err);
        if (rc)
            return rc;
    }
    return ITSM_OK;
}

static void w_fracs(itsm__jw *w, const unsigned *v, size_t n)
{
    itsm__jw_arr_begin(w);
    for (size_t i = 0; i < n; i++)
        itsm__jw_double(w, (double)v[i] / 1000.0);
    itsm__jw_arr_end(w);
}

void itsm__agreements_write_json(const itsm_policy *p, itsm__jw *w)
{
    const itsm__slapol *sp = itsm__sl(p);
    itsm__jw_key(w, "agreements");
    itsm__jw_arr_begin(w);
    for (size_t i = 0; i < sp->nagrs; i++) {
        const itsm__agreement *g = &sp->agrs[i];
        itsm__jw_obj_begin(w);
        itsm__jw_key(w, "name");
        itsm__jw_str(w, g->name);
        itsm__jw_key(w, "type");
        itsm__jw_str(w, type_names[g->type]);
        for (int k = 0; k < ITSM__AC_COUNT; k++)
            if (g->src[k]) {
                itsm__jw_key(w, itsm__agreement_cond_names[k]);
                itsm__jw_str(w, g->src[k]);
            }
        itsm__jw_key(w, "targets");
        itsm__jw_arr_begin(w);
        for (size_t t = 0; t < g->ntargets; t++) {
            itsm__jw_obj_begin(w);
            if (g->target[t].priority) {
                itsm__jw_key(w, "priority");
                itsm__jw_int(w, g->target[t].priority);
            }
            itsm__jw_key(w, "target");
            itsm__jw_int(w, g->target[t].seconds);
            itsm__jw_key(w, "calendar");
            itsm__jw_str(w, sp->cals[g->target[t].cal].name);
            itsm__jw_obj_end(w);
        }
        itsm__jw_arr_end(w);
        itsm__jw_key(w, "warnings");
        w_fracs(w, g->warn, g->nwarn);
        itsm__jw_key(w, "breaches");
        w_fracs(w, g->breach, g->nbreach);
        itsm__jw_key(w, "climb");
        itsm__jw_bool(w, g->climb);
        itsm__jw_obj_end(w);
    }
    itsm__jw_arr_end(w);
}
