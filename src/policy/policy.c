/* SPDX-License-Identifier: Apache-2.0 */
/* The policy object: lifecycles as data, built through the API. */
#include "policy/policy_int.h"
#include "core/abi.h"
#include "kit/opts.h"
#include "kit/alloc.h"
#include "core/fields.h"
#include "sla/sla_int.h"
#include "itsm/errors.h"
#include "kit/json.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

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

const itsm__guard_kind *itsm__guard_kind_find(const char *name, size_t n)
{
    for (size_t i = 0; i < itsm__ncapabilities; i++)
        for (const itsm__guard_kind *const *g = itsm__capabilities[i]->guards; g && *g; g++)
            if (strlen((*g)->name) == n && memcmp((*g)->name, name, n) == 0)
                return *g;
    return NULL;
}

static int kind_ok(itsm_kind k) { return (int)k >= 1 && (int)k <= ITSM_KIND_COUNT; }

/* Names of states and events: 1..63 bytes of [a-z0-9_], so they are safe in
 * messages, JSON and scenario scripts without quoting rules. */
static int name_ok(const char *s)
{
    if (!s || !*s)
        return 0;
    size_t n = 0;
    for (; s[n]; n++) {
        char c = s[n];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'))
            return 0;
    }
    return n <= ITSM__NAME_MAX;
}

static const int default_prio[3][3] = { { 1, 2, 3 }, { 2, 3, 4 }, { 3, 4, 5 } };

int itsm_policy_new_empty(itsm_policy **out, const itsm_allocator *alloc)
{
    itsm_allocator a;
    if (!out)
        return ITSM_EINVAL;
    *out = NULL;
    if (itsm__alloc_resolve(&a, alloc) != ITSM_OK)
        return ITSM_EINVAL;
    itsm_policy *p = itsm__calloc(&a, 1, sizeof *p);
    if (!p)
        return ITSM_ENOMEM;
    p->alloc = a;
    memcpy(p->prio, default_prio, sizeof p->prio);
    p->reassign = ITSM_REASSIGN_GROUP;
    /* Each capability's section, holding its defaults. */
    for (size_t i = 0; i < itsm__ncapabilities; i++)
        if (itsm__capabilities[i]->policy_new && itsm__capabilities[i]->policy_new(&p->sect[i], &a) != ITSM_OK) {
            itsm_policy_free(p);
            return ITSM_ENOMEM;
        }
    *out = p;
    return ITSM_OK;
}

static void free_transition(const itsm_allocator *a, itsm__transition *t)
{
    for (size_t i = 0; i < t->nterms; i++) {
        itsm__free(a, t->terms[i].value);
        itsm__free(a, t->terms[i].text);
    }
    itsm__free(a, t->terms);
    itsm__free(a, t->guard_text);
    itsm__free(a, t->stamp_text);
    itsm__free(a, t->clear_text);
}

static void lifecycle_free(const itsm_allocator *a, itsm__lifecycle *lc)
{
    for (size_t i = 0; i < lc->nstates; i++)
        itsm__free(a, lc->states[i]);
    for (size_t i = 0; i < lc->nevents; i++)
        itsm__free(a, lc->events[i]);
    for (size_t i = 0; i < lc->ntrans; i++)
        free_transition(a, &lc->trans[i]);
    itsm__free(a, lc->states);
    itsm__free(a, lc->state_flags);
    itsm__free(a, lc->events);
    itsm__free(a, lc->trans);
    memset(lc, 0, sizeof *lc);
}

static void findings_clear(itsm_policy *p)
{
    for (size_t i = 0; i < p->nfindings; i++)
        itsm__free(&p->alloc, p->findings[i]);
    p->nfindings = 0;
}

void itsm_policy_free(itsm_policy *p)
{
    if (!p)
        return;
    itsm_allocator a = p->alloc;
    for (int k = 1; k <= ITSM_KIND_COUNT; k++)
        lifecycle_free(&a, &p->lc[k]);
    findings_clear(p);
    itsm__free(&a, p->findings);
    for (size_t i = 0; i < itsm__ncapabilities; i++)
        if (itsm__capabilities[i]->policy_free && p->sect[i])
            itsm__capabilities[i]->policy_free(p->sect[i], &a);
    for (int k = 0; k <= ITSM_KIND_COUNT; k++)
        for (int r = 0; r < ITSM_ROLE_COUNT; r++)
            itsm__free(&a, p->roles[k][r]);
    itsm__cfields_free(p);
    itsm__free(&a, p->name);
    itsm__free(&a, p);
}

/* A version name is a symbol (1..64 bytes, no control characters, valid
 * UTF-8): it goes into messages and the policy document as it is. */
int itsm_policy_set_name(itsm_policy *p, const char *name)
{
    if (!p)
        return ITSM_EINVAL;
    char *copy = NULL;
    if (name) {
        size_t n = strlen(name);
        if (n == 0 || n > ITSM__POLICY_NAME_MAX)
            return perr(p, ITSM_EINVAL, "a policy name must be 1..%d bytes", ITSM__POLICY_NAME_MAX);
        for (size_t i = 0; i < n; i++)
            if ((unsigned char)name[i] < 0x20 || name[i] == 0x7f)
                return perr(p, ITSM_EINVAL, "a policy name must not hold control characters");
        if (!itsm__utf8_valid(name, n))
            return perr(p, ITSM_EINVAL, "a policy name must be valid UTF-8");
        if (!(copy = itsm__strndup(&p->alloc, name, n)))
            return perr(p, ITSM_ENOMEM, "out of memory");
    }
    itsm__free(&p->alloc, p->name);
    p->name = copy;
    return ITSM_OK;
}

const char *itsm_policy_name(const itsm_policy *p) { return p ? p->name : NULL; }

const char *itsm_policy_errmsg(const itsm_policy *p)
{
    return p ? p->err.msg : "";
}

int itsm_policy_lifecycle_clear(itsm_policy *p, itsm_kind kind)
{
    if (!p)
        return ITSM_EINVAL;
    if (!kind_ok(kind))
        return perr(p, ITSM_EINVAL, "unknown record kind %d", (int)kind);
    lifecycle_free(&p->alloc, &p->lc[kind]);
    itsm__errbuf_clear(&p->err);
    return ITSM_OK;
}

int itsm__lc_state(const itsm__lifecycle *lc, const char *name)
{
    for (size_t i = 0; i < lc->nstates; i++)
        if (strcmp(lc->states[i], name) == 0)
            return (int)i;
    return -1;
}

int itsm__lc_event(const itsm__lifecycle *lc, const char *name)
{
    /* The first byte rejects most names without a call (every fire looks
     * its event up by name). */
    for (size_t i = 0; i < lc->nevents; i++)
        if (lc->events[i][0] == name[0] && strcmp(lc->events[i], name) == 0)
            return (int)i;
    return -1;
}

const itsm__transition *itsm__lc_find(const itsm__lifecycle *lc, int from, int event)
{
    const itsm__transition *any = NULL;
    for (size_t i = 0; i < lc->ntrans; i++) {
        const itsm__transition *t = &lc->trans[i];
        if (t->event != event)
            continue;
        if (t->from == from)
            return t;
        if (t->from == ITSM__ANY_OPEN && !any)
            any = t;
    }
    if (any && !itsm__lc_is_closed(lc, from))
        return any;
    return NULL;
}

int itsm_policy_add_state(itsm_policy *p, itsm_kind kind, const char *state, unsigned flags)
{
    if (!p)
        return ITSM_EINVAL;
    if (!kind_ok(kind))
        return perr(p, ITSM_EINVAL, "unknown record kind %d", (int)kind);
    if (!name_ok(state))
        return perr(p, ITSM_EINVAL, "state name must be 1..63 characters of a-z, 0-9 and _");
    if (flags & ~(ITSM_STATE_INITIAL | ITSM_STATE_CLOSED))
        return perr(p, ITSM_EINVAL, "unknown state flags 0x%x", flags);
    itsm__lifecycle *lc = &p->lc[kind];
    if (lc->nstates >= ITSM__MAX_STATES)
        return perr(p, ITSM_ELIMIT, "%s: more than %d states", itsm_kind_name(kind), ITSM__MAX_STATES);
    if (itsm__lc_state(lc, state) >= 0)
        return perr(p, ITSM_EEXISTS, "%s: state '%s' already exists", itsm_kind_name(kind), state);
    if ((flags & ITSM_STATE_INITIAL) && itsm__lc_initial(lc) >= 0)
        return perr(p, ITSM_EINVAL, "%s: state '%s' cannot be initial: '%s' already is",
                    itsm_kind_name(kind), state, lc->states[itsm__lc_initial(lc)]);
    size_t cap = lc->cstates;
    if (itsm__grow(&p->alloc, (void **)&lc->states, &cap, lc->nstates + 1, sizeof *lc->states))
        return perr(p, ITSM_ENOMEM, "out of memory");
    size_t cap2 = lc->cstates;
    if (itsm__grow(&p->alloc, (void **)&lc->state_flags, &cap2, lc->nstates + 1, sizeof *lc->state_flags))
        return perr(p, ITSM_ENOMEM, "out of memory");
    /* Both arrays grew to the same capacity (same start, same rule). */
    lc->cstates = cap < cap2 ? cap : cap2;
    char *copy = itsm__strdup(&p->alloc, state);
    if (!copy)
        return perr(p, ITSM_ENOMEM, "out of memory");
    lc->states[lc->nstates] = copy;
    lc->state_flags[lc->nstates] = flags;
    lc->nstates++;
    itsm__errbuf_clear(&p->err);
    return ITSM_OK;
}

int itsm_policy_add_event(itsm_policy *p, itsm_kind kind, const char *event)
{
    if (!p)
        return ITSM_EINVAL;
    if (!kind_ok(kind))
        return perr(p, ITSM_EINVAL, "unknown record kind %d", (int)kind);
    if (!name_ok(event))
        return perr(p, ITSM_EINVAL, "event name must be 1..63 characters of a-z, 0-9 and _");
    itsm__lifecycle *lc = &p->lc[kind];
    if (lc->nevents >= ITSM__MAX_EVENTS)
        return perr(p, ITSM_ELIMIT, "%s: more than %d events", itsm_kind_name(kind), ITSM__MAX_EVENTS);
    if (itsm__lc_event(lc, event) >= 0)
        return perr(p, ITSM_EEXISTS, "%s: event '%s' already exists", itsm_kind_name(kind), event);
    if (itsm__grow(&p->alloc, (void **)&lc->events, &lc->cevents, lc->nevents + 1, sizeof *lc->events))
        return perr(p, ITSM_ENOMEM, "out of memory");
    char *copy = itsm__strdup(&p->alloc, event);
    if (!copy)
        return perr(p, ITSM_ENOMEM, "out of memory");
    lc->events[lc->nevents++] = copy;
    itsm__errbuf_clear(&p->err);
    return ITSM_OK;
}

ITSM__DEFINE_INIT(itsm_transition_def_init, itsm_transition_def, ITSM_TRANSITION_DEF_VERSION, ITSM_TRANSITION_DEF_INIT)

/* Split `s` on spaces; call fn for each word. Stops at the first error. */
typedef int (*word_fn)(itsm_policy *p, void *ctx, const char *w, size_t n);
static int each_word(itsm_policy *p, const char *s, word_fn fn, void *ctx)
{
    while (s && *s) {
        while (*s == ' ')
            s++;
        size_t n = 0;
        while (s[n] && s[n] != ' ')
            n++;
        if (n) {
            int rc = fn(p, ctx, s, n);
            if (rc)
                return rc;
        }
        s += n;
    }
    return ITSM_OK;
}

typedef struct term_ctx { itsm__gterm *terms; size_t n, cap; itsm_kind kind; } term_ctx;

static int field_word(itsm_policy *p, const char *w, size_t n, itsm_field *out)
{
    int f = itsm__policy_field_lookup(p, w, n);   /* built-in or declared before */
    if (f < 0)
        return perr(p, ITSM_ENOTFOUND, "unknown field '%.*s' in guard", (int)n, w);
    *out = (itsm_field)f;
    return ITSM_OK;
}

static int parse_term(itsm_policy *p, void *vctx, const char *w, size_t n)
{
    term_ctx *ctx = vctx;
    itsm__gterm t;
    memset(&t, 0, sizeof t);
    const char *eq = memchr(w, '=', n);
    const char *bar = memchr(w, '|', n);
    const char *colon = memchr(w, ':', n);
    if (colon && !(n >= 5 && memcmp(w, "link:", 5) == 0)) {
        /* A capability's guard kind: NAME:ARG. */
        size_t kn = (size_t)(colon - w), an = n - kn - 1;
        t.gk = itsm__guard_kind_find(w, kn);
        if (!t.gk)
            return perr(p, ITSM_ENOTFOUND, "unknown guard kind '%.*s' in guard term '%.*s'", (int)kn, w, (int)n, w);
        itsm__errbuf why;
        itsm__errbuf_clear(&why);
        if (t.gk->parse && t.gk->parse(colon + 1, an, &t.num, &why) != ITSM_OK)
            return perr(p, ITSM_EINVAL, "guard term '%.*s': %s", (int)n, w, why.msg);
        if (!(t.value = itsm__strndup(&p->alloc, colon + 1, an)))
            return perr(p, ITSM_ENOMEM, "out of memory");
        t.op = ITSM__G_KIND;
    } else if (n > 5 && memcmp(w, "link:", 5) == 0) {
        char kname[32];
        if (n - 5 >= sizeof kname)
            return perr(p, ITSM_EINVAL, "malformed guard term '%.*s'", (int)n, w);
        memcpy(kname, w + 5, n - 5);
        kname[n - 5] = '\0';
        if (itsm_kind_from_name(&t.link_kind, kname) != ITSM_OK)
            return perr(p, ITSM_EINVAL, "guard term '%.*s' names no record kind", (int)n, w);
        t.op = ITSM__G_LINK;
    } else if (eq) {
        if (bar)
            return perr(p, ITSM_EINVAL, "guard term '%.*s' mixes '|' and '='", (int)n, w);
        int rc = field_word(p, w, (size_t)(eq - w), &t.fields[0]);
        if (rc)
            return rc;
        t.nfields = 1;
        t.op = ITSM__G_EQ;
        const char *v = eq + 1;
        size_t vn = n - (size_t)(v - w);
        if (vn == 0)
            return perr(p, ITSM_EINVAL, "guard term '%.*s' has no value", (int)n, w);
        const itsm__field_info *fi = itsm__finfo(p, (int)t.fields[0]);
        if (fi->type == ITSM_TYPE_ENUM) {
            const itsm__cfield *cf = itsm__cfield_of(p, (int)t.fields[0]);
            int known = 0;
            for (uint32_t k = 0; k < cf->nvalues && !known; k++)
                known = strlen(cf->values[k]) == vn && memcmp(cf->values[k], v, vn) == 0;
            if (!known)
                return perr(p, ITSM_EINVAL, "guard term '%.*s': '%.*s' is not a value of field '%s'", (int)n, w,
                            (int)vn, v, fi->name);
        }
        if (fi->type == ITSM_TYPE_TEXT || fi->type == ITSM_TYPE_SYMBOL || fi->type == ITSM_TYPE_ENUM) {
            t.value = itsm__strndup(&p->alloc, v, vn);
            if (!t.value)
                return perr(p, ITSM_ENOMEM, "out of memory");
        } else if (fi->type == ITSM_TYPE_TIME) {
            return perr(p, ITSM_EINVAL, "guard term '%.*s' compares a time field", (int)n, w);
        } else {
            int64_t num = 0;
            for (size_t i = 0; i < vn; i++) {
                if (v[i] < '0' || v[i] > '9' || i > 9)
                    return perr(p, ITSM_EINVAL, "guard term '%.*s' needs a whole number", (int)n, w);
                num = num * 10 + (v[i] - '0');
            }
            /* As an enum's unknown value above: a value the field cannot
             * hold makes a guard that never holds. 0 is what an unset int
             * or bool reads as, so it may be compared with. */
            if (num != 0 && (num < fi->min || num > fi->max))
                return perr(p, ITSM_EINVAL, "guard term '%.*s': %lld is not a value of field '%s' (%lld..%lld)", (int)n,
                            w, (long long)num, fi->name, (long long)fi->min, (long long)fi->max);
            t.num = num;
        }
    } else {
        t.op = bar ? ITSM__G_ANY : ITSM__G_SET;
        const char *s = w, *end = w + n;
        while (s < end) {
            const char *e = memchr(s, '|', (size_t)(end - s));
            if (!e)
                e = end;
            if (e == s || t.nfields == ITSM__TERM_FIELDS)
                return perr(p, ITSM_EINVAL, "malformed guard term '%.*s'", (int)n, w);
            int rc = field_word(p, s, (size_t)(e - s), &t.fields[t.nfields]);
            if (rc)
                return rc;
            t.nfields++;
            s = e + 1;
            if (e < end && s == end)
                return perr(p, ITSM_EINVAL, "malformed guard term '%.*s'", (int)n, w);
        }
    }
    if (ctx->n == ITSM__MAX_GUARD_TERMS) {
        itsm__free(&p->alloc, t.value);
        return perr(p, ITSM_ELIMIT, "a guard has at most %d terms", ITSM__MAX_GUARD_TERMS);
    }
    if (!(t.text = itsm__strndup(&p->alloc, w, n)) ||
        itsm__grow(&p->alloc, (void **)&ctx->terms, &ctx->cap, ctx->n + 1, sizeof t)) {
        itsm__free(&p->alloc, t.value);
        itsm__free(&p->alloc, t.text);
        return perr(p, ITSM_ENOMEM, "out of memory");
    }
    ctx->terms[ctx->n++] = t;
    return ITSM_OK;
}

typedef struct stamp_ctx { itsm__transition *t; int clear; } stamp_ctx;

static int parse_stamp(itsm_policy *p, void *vctx, const char *w, size_t n)
{
    stamp_ctx *ctx = vctx;
    itsm__transition *t = ctx->t;
    int once = !ctx->clear && n > 1 && w[n - 1] == '?';
    itsm_field f = ITSM_F_SUMMARY;
    int rc = field_word(p, w, once ? n - 1 : n, &f);
    if (rc)
        return perr(p, rc, "unknown field '%.*s' in %s", (int)(once ? n - 1 : n), w,
                    ctx->clear ? "clear" : "stamp");
    if (ctx->clear) {
        if (itsm__finfo(p, (int)f)->engine_owned)
            return perr(p, ITSM_EINVAL, "field '%s' is maintained by the engine and cannot be cleared",
                        itsm__finfo(p, (int)f)->name);
        if (t->nclears == ITSM__TERM_FIELDS)
            return perr(p, ITSM_ELIMIT, "too many fields in clear");
        t->clears[t->nclears++] = f;
        return ITSM_OK;
    }
    if (itsm__field_custom((int)f) || itsm__fields[f].type != ITSM_TYPE_TIME || !itsm__fields[f].engine_owned ||
        f == ITSM_F_OPENED_AT || f == ITSM_F_UPDATED_AT)
        return perr(p, ITSM_EINVAL, "stamp '%s' must be responded_at, resolved_at or closed_at",
                    itsm__finfo(p, (int)f)->name);
    if (t->nstamps == ITSM__STAMPS)
        return perr(p, ITSM_ELIMIT, "too many fields in stamp");
    t->stamp_once[t->nstamps] = (unsigned char)once;
    _Static_assert(ITSM__NTIME <= 256, "a time's place fits a byte");
    t->stamp_tm[t->nstamps] = (unsigned char)(itsm__fields[f].slot - ITSM__NSMALL);
    t->stamps[t->nstamps++] = f;
    return ITSM_OK;
}

int itsm_policy_add_transition(itsm_policy *p, itsm_kind kind, const itsm_transition_def *def)
{
    if (!p)
        return ITSM_EINVAL;
    char vmsg[192];
    if (!def)
        return perr(p, ITSM_EINVAL, "transition definition is NULL");
    if (itsm__version_check(def->version, ITSM_TRANSITION_DEF_VERSION, "transition definition", vmsg, sizeof vmsg))
        return perr(p, ITSM_EINVAL, "%s", vmsg);
    if (!kind_ok(kind))
        return perr(p, ITSM_EINVAL, "unknown record kind %d", (int)kind);
    if (!def->from || !def->event || !def->to)
        return perr(p, ITSM_EINVAL, "a transition needs from, event and to");
    itsm__lifecycle *lc = &p->lc[kind];
    const char *kn = itsm_kind_name(kind);
    itsm__transition t;
    memset(&t, 0, sizeof t);
    t.from = strcmp(def->from, "*") == 0 ? ITSM__ANY_OPEN : itsm__lc_state(lc, def->from);
    if (t.from == -1 && strcmp(def->from, "*") != 0)
        return perr(p, ITSM_ENOTFOUND, "%s: transition from unknown state '%s'", kn, def->from);
    t.to = itsm__lc_state(lc, def->to);
    if (t.to < 0)
        return perr(p, ITSM_ENOTFOUND, "%s: transition to unknown state '%s'", kn, def->to);
    t.event = itsm__lc_event(lc, def->event);
    if (t.event < 0)
        return perr(p, ITSM_ENOTFOUND, "%s: transition on undeclared event '%s'", kn, def->event);
    for (size_t i = 0; i < lc->ntrans; i++)
        if (lc->trans[i].from == t.from && lc->trans[i].event == t.event)
            return perr(p, ITSM_EEXISTS, "%s: '%s' already has a transition on '%s'", kn,
                        def->from, def->event);
    if (lc->ntrans >= ITSM__MAX_TRANSITIONS)
        return perr(p, ITSM_ELIMIT, "%s: more than %d transitions", kn, ITSM__MAX_TRANSITIONS);
    t.counts_reopen = def->counts_reopen ? 1 : 0;

    term_ctx tc = { NULL, 0, 0, kind };
    stamp_ctx sc = { &t, 0 }, cc = { &t, 1 };
    int rc = each_word(p, def->guard, parse_term, &tc);
    t.terms = tc.terms;
    t.nterms = tc.n;
    if (!rc)
        rc = each_word(p, def->stamp, parse_stamp, &sc);
    if (!rc)
        rc = each_word(p, def->clear, parse_stamp, &cc);
    if (!rc && itsm__grow(&p->alloc, (void **)&lc->trans, &lc->ctrans, lc->ntrans + 1, sizeof t))
        rc = perr(p, ITSM_ENOMEM, "out of memory");
    if (!rc && def->guard && *def->guard && !(t.guard_text = itsm__strdup(&p->alloc, def->guard)))
        rc = perr(p, ITSM_ENOMEM, "out of memory");
    if (!rc && def->stamp && *def->stamp && !(t.stamp_text = itsm__strdup(&p->alloc, def->stamp)))
        rc = perr(p, ITSM_ENOMEM, "out of memory");
    if (!rc && def->clear && *def->clear && !(t.clear_text = itsm__strdup(&p->alloc, def->clear)))
        rc = perr(p, ITSM_ENOMEM, "out of memory");
    if (rc) {
        if (rc == ITSM_ENOTFOUND || rc == ITSM_EINVAL || rc == ITSM_ELIMIT) {
            char inner[sizeof p->err.msg];
            memcpy(inner, p->err.msg, sizeof inner);
            perr(p, rc, "%s: transition %s --%s--> %s: %s", kn, def->from, def->event, def->to, inner);
        }
        free_transition(&p->alloc, &t);
        return rc;
    }
    t.ev_name = lc->events[t.event];
    t.to_name = lc->states[t.to];
    lc->trans[lc->ntrans++] = t;
    itsm__errbuf_clear(&p->err);
    return ITSM_OK;
}

int itsm_policy_set_priority(itsm_policy *p, int impact, int urgency, int priority)
{
    if (!p)
        return ITSM_EINVAL;
    if (impact < 1 || impact > 3 || urgency < 1 || urgency > 3)
        return perr(p, ITSM_EINVAL, "impact and urgency must be 1..3 (got %d, %d)", impact, urgency);
    if (priority < 1 || priority > 5)
        return perr(p, ITSM_EINVAL, "priority must be 1..5 (got %d)", priority);
    p->prio[impact - 1][urgency - 1] = priority;
    itsm__errbuf_clear(&p->err);
    return ITSM_OK;
}

int itsm_policy_priority(const itsm_policy *p, int impact, int urgency)
{
    return p ? itsm__priority_of(p, impact, urgency) : 0;
}

int itsm_policy_set_reassignment_rule(itsm_policy *p, itsm_reassign_rule rule)
{
    if (!p)
        return ITSM_EINVAL;
    if (rule != ITSM_REASSIGN_GROUP && rule != ITSM_REASSIGN_GROUP_OR_ASSIGNEE && rule != ITSM_REASSIGN_GROUP_CHANGE)
        return perr(p, ITSM_EINVAL, "unknown reassignment rule %d", (int)rule);
    p->reassign = rule;
    itsm__errbuf_clear(&p->err);
    return ITSM_OK;
}

itsm_reassign_rule itsm_policy_reassignment_rule(const itsm_policy *p)
{
    return p ? p->reassign : ITSM_REASSIGN_GROUP;
}

/* Rebuild through the public builders: one code path for every policy,
 * however it was made, and a clone is checked exactly like the original. */
int itsm_policy_clone(itsm_policy **out, const itsm_policy *src)
{
    return itsm__policy_clone(out, src, src ? &src->alloc : NULL);
}

int itsm__policy_clone(itsm_policy **out, const itsm_policy *src, const itsm_allocator *alloc)
{
    if (!out || !src)
        return ITSM_EINVAL;
    *out = NULL;
    itsm_policy *p;
    int rc = itsm_policy_new_empty(&p, alloc);
    if (rc)
        return rc;
    memcpy(p->prio, src->prio, sizeof p->prio);
    p->reassign = src->reassign;
    if (src->name && !(p->name = itsm__strndup(&p->alloc, src->name, strlen(src->name))))
        rc = ITSM_ENOMEM;
    /* Each capability's section: a deep copy. */
    for (size_t i = 0; i < itsm__ncapabilities && !rc; i++) {
        const itsm__capability *c = itsm__capabilities[i];
        if (!c->policy_clone)
            continue;
        if (c->policy_free)
            c->policy_free(p->sect[i], &p->alloc);
        p->sect[i] = NULL;
        if (c->policy_clone(&p->sect[i], src->sect[i], &p->alloc) != ITSM_OK)
            rc = ITSM_ENOMEM;
    }
    if (!rc)
        rc = itsm__cfields_clone(p, src);   /* before the guards that name them */
    for (int k = 1; k <= ITSM_KIND_COUNT && !rc; k++)
        for (int r = 0; r < ITSM_ROLE_COUNT && !rc; r++)
            if (src->roles[k][r])
                rc = itsm_policy_set_role(p, (itsm_kind)k, (itsm_role)r, src->roles[k][r]);
    for (int k = 1; k <= ITSM_KIND_COUNT && !rc; k++) {
        const itsm__lifecycle *lc = &src->lc[k];
        for (size_t i = 0; i < lc->nstates && !rc; i++)
            rc = itsm_policy_add_state(p, (itsm_kind)k, lc->states[i], lc->state_flags[i]);
        for (size_t i = 0; i < lc->nevents && !rc; i++)
            rc = itsm_policy_add_event(p, (itsm_kind)k, lc->events[i]);
        for (size_t i = 0; i < lc->ntrans && !rc; i++) {
            const itsm__transition *t = &lc->trans[i];
            itsm_transition_def d = ITSM_TRANSITION_DEF_INIT;
            d.from = t->from == ITSM__ANY_OPEN ? "*" : lc->states[t->from];
            d.event = lc->events[t->event];
            d.to = lc->states[t->to];
            d.guard = t->guard_text;
            d.stamp = t->stamp_text;
            d.clear = t->clear_text;
            d.counts_reopen = t->counts_reopen;
            rc = itsm_policy_add_transition(p, (itsm_kind)k, &d);
        }
    }
    if (rc) {
        itsm_policy_free(p);
        return rc;
    }
    *out = p;
    return ITSM_OK;
}
