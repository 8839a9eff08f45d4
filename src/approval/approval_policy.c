/* SPDX-License-Identifier: Apache-2.0 */
/* The approvals section of the policy: approver groups and rules -
 * defaults, builders, copy, check, and the "approvals" member of the
 * policy document (docs/policy.md). */
#include "approval/approval_int.h"
#include "core/abi.h"
#include "risk/risk_int.h"
#include "kit/json.h"
#include "kit/names.h"
#include "kit/opts.h"
#include "kit/value.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

const char *itsm_approval_mode_name(itsm_approval_mode m)
{
    switch (m) {
    case ITSM_APPROVAL_ANY: return "any";
    case ITSM_APPROVAL_ALL: return "all";
    case ITSM_APPROVAL_QUORUM: return "quorum";
    }
    return NULL;
}

/* ---- lifetime ---- */

static void level_free(const itsm_allocator *a, itsm__ap_level *l)
{
    itsm__free(a, l->name);
    itsm__strv_free(a, l->people, l->npeople);
    itsm__free(a, l->group);
    memset(l, 0, sizeof *l);
}

static void rule_free(const itsm_allocator *a, itsm__ap_rule *r)
{
    itsm__free(a, r->name);
    itsm__strv_free(a, r->change_types, r->nchange_types);
    itsm__strv_free(a, r->risks, r->nrisks);
    itsm__free(a, r->state);
    for (size_t i = 0; i < r->nlevels; i++)
        level_free(a, &r->levels[i]);
    memset(r, 0, sizeof *r);
}

static void group_free(const itsm_allocator *a, itsm__ap_group *g)
{
    itsm__free(a, g->name);
    itsm__strv_free(a, g->members, g->n);
}

void itsm__ap_policy_free(void *sect, const itsm_allocator *a)
{
    itsm__ap_policy *ap = sect;
    if (!ap)
        return;
    for (size_t i = 0; i < ap->nrules; i++)
        rule_free(a, &ap->rules[i]);
    for (size_t i = 0; i < ap->ngroups; i++)
        group_free(a, &ap->groups[i]);
    itsm__free(a, ap->rules);
    itsm__free(a, ap->groups);
    itsm__free(a, ap);
}

const itsm__ap_group *itsm__ap_group_find(const itsm__ap_policy *ap, const char *name)
{
    for (size_t i = 0; i < ap->ngroups; i++)
        if (strcmp(ap->groups[i].name, name) == 0)
            return &ap->groups[i];
    return NULL;
}

int itsm__ap_kind_has_rules(const itsm__ap_policy *ap, int kind)
{
    for (size_t i = 0; i < ap->nrules; i++)
        if (ap->rules[i].kind == kind)
            return 1;
    return 0;
}

/* ---- building a rule (one path for the API, the document and copies) ---- */

ITSM__DEFINE_INIT(itsm_approval_level_def_init, itsm_approval_level_def, ITSM_APPROVAL_LEVEL_DEF_VERSION,
                  ITSM_APPROVAL_LEVEL_DEF_INIT)
ITSM__DEFINE_INIT(itsm_approval_rule_def_init, itsm_approval_rule_def, ITSM_APPROVAL_RULE_DEF_VERSION,
                  ITSM_APPROVAL_RULE_DEF_INIT)

static int check_names(itsm__errbuf *e, const char *what, const char *const *v, size_t n, int symbols)
{
    if (n && !v)
        return itsm__errbuf_set(e, ITSM_EINVAL, "%s is NULL but its count is %zu", what, n);
    for (size_t i = 0; i < n; i++) {
        if (symbols ? itsm__check_symbol_z(e, what, NULL, v[i]) != ITSM_OK : !itsm__pname_ok(v[i]))
            return symbols ? e->code
                           : itsm__errbuf_set(e, ITSM_EINVAL, "%s must be 1..63 characters of a-z, 0-9 and _", what);
        for (size_t j = 0; j < i; j++)
            if (strcmp(v[i], v[j]) == 0)
                return itsm__errbuf_set(e, ITSM_EINVAL, "%s '%.60s' is given twice", what, v[i]);
    }
    return ITSM_OK;
}

static int check_level(itsm__errbuf *e, const itsm_approval_level_def *l)
{
    if (!l)
        return itsm__errbuf_set(e, ITSM_EINVAL, "approval level definition is NULL");
    char vmsg[192];   /* a newer version names both (common.h) */
    if (itsm__version_check(l->version, ITSM_APPROVAL_LEVEL_DEF_VERSION, "approval level definition", vmsg, sizeof vmsg))
        return itsm__errbuf_set(e, ITSM_EINVAL, "%s", vmsg);
    if (!itsm__pname_ok(l->name))
        return itsm__errbuf_set(e, ITSM_EINVAL, "a level name must be 1..63 characters of a-z, 0-9 and _");
    if (l->npeople > ITSM_APPROVAL_MAX_PEOPLE)
        return itsm__errbuf_set(e, ITSM_ELIMIT, "level '%s' names %zu approvers; the limit is %d", l->name, l->npeople,
                    ITSM_APPROVAL_MAX_PEOPLE);
    int rc = check_names(e, "approver", l->people, l->npeople, 1);
    if (rc)
        {
        char pre[96];
        snprintf(pre, sizeof pre, "level '%s': ", l->name);
        return itsm__errbuf_prefix(e, rc, pre);
    }
    if (l->group && !itsm__pname_ok(l->group))
        return itsm__errbuf_set(e, ITSM_EINVAL, "level '%s': a group name must be 1..63 characters of a-z, 0-9 and _",
                    l->name);
    int anyone = l->npeople == 0 && !l->group;
    switch (l->mode) {
    case ITSM_APPROVAL_ANY:
    case ITSM_APPROVAL_ALL:
        if (l->quorum)
            return itsm__errbuf_set(e, ITSM_EINVAL, "level '%s': a quorum belongs to the rule 'quorum' only", l->name);
        if (l->mode == ITSM_APPROVAL_ALL && anyone)
            return itsm__errbuf_set(e, ITSM_EINVAL, "level '%s': 'all' needs named approvers or a group (anyone "
                        "cannot all approve)", l->name);
        break;
    case ITSM_APPROVAL_QUORUM:
        if (l->quorum < 1 || l->quorum > ITSM_APPROVAL_MAX_PEOPLE)
            return itsm__errbuf_set(e, ITSM_EINVAL, "level '%s': the quorum must be 1..%d (got %u)", l->name,
                        ITSM_APPROVAL_MAX_PEOPLE, l->quorum);
        if (!l->group && l->npeople && l->quorum > l->npeople)
            return itsm__errbuf_set(e, ITSM_EINVAL, "level '%s': a quorum of %u needs at least %u approvers (%zu named)",
                        l->name, l->quorum, l->quorum, l->npeople);
        break;
    default:
        return itsm__errbuf_set(e, ITSM_EINVAL, "level '%s': unknown rule %d (any, all or quorum)", l->name, (int)l->mode);
    }
    return ITSM_OK;
}

static int check_rule(itsm__errbuf *e, const itsm_approval_rule_def *d)
{
    if (!d)
        return itsm__errbuf_set(e, ITSM_EINVAL, "approval rule definition is NULL");
    char vmsg[192];   /* a newer version names both (common.h) */
    if (itsm__version_check(d->version, ITSM_APPROVAL_RULE_DEF_VERSION, "approval rule definition", vmsg, sizeof vmsg))
        return itsm__errbuf_set(e, ITSM_EINVAL, "%s", vmsg);
    if (!itsm__pname_ok(d->name))
        return itsm__errbuf_set(e, ITSM_EINVAL, "an approval rule name must be 1..63 characters of a-z, 0-9 and _");
    if (!itsm_kind_name(d->kind))
        return itsm__errbuf_set(e, ITSM_EINVAL, "approval rule '%s': unknown record kind %d", d->name, (int)d->kind);
    char pre[96];
    snprintf(pre, sizeof pre, "approval rule '%s': ", d->name);
    int rc;
    if ((rc = check_names(e, "change type", d->change_types, d->nchange_types, 1)) ||
        (rc = check_names(e, "risk level", d->risks, d->nrisks, 0)))
        return itsm__errbuf_prefix(e, rc, pre);
    if (d->state && !itsm__pname_ok(d->state))
        return itsm__errbuf_set(e, ITSM_EINVAL, "approval rule '%s': a state name must be 1..63 characters of a-z, 0-9 and _",
                    d->name);
    if (d->nlevels > ITSM_APPROVAL_MAX_LEVELS)
        return itsm__errbuf_set(e, ITSM_ELIMIT, "approval rule '%s' has %zu levels; the limit is %d", d->name, d->nlevels,
                    ITSM_APPROVAL_MAX_LEVELS);
    if (d->nlevels && !d->levels)
        return itsm__errbuf_set(e, ITSM_EINVAL, "approval rule '%s': levels is NULL but nlevels is %zu", d->name, d->nlevels);
    if (d->separation & ~(ITSM_APPROVAL_SOD_REQUESTER | ITSM_APPROVAL_SOD_IMPLEMENTER))
        return itsm__errbuf_set(e, ITSM_EINVAL, "approval rule '%s': unknown separation bits 0x%x", d->name, d->separation);
    int required = 0;
    for (size_t i = 0; i < d->nlevels; i++) {
        if ((rc = check_level(e, &d->levels[i])))
            return itsm__errbuf_prefix(e, rc, pre);
        required |= !d->levels[i].exception;
        for (size_t j = 0; j < i; j++)
            if (strcmp(d->levels[i].name, d->levels[j].name) == 0)
                return itsm__errbuf_set(e, ITSM_EINVAL, "approval rule '%s': two levels are named '%s'", d->name,
                            d->levels[i].name);
    }
    if (d->nlevels && !required)
        return itsm__errbuf_set(e, ITSM_EINVAL, "approval rule '%s': every level is an exception level; at least one "
                    "must be required", d->name);
    return ITSM_OK;
}

/* A checked definition as the section's own rule. */
static int rule_build(itsm__ap_rule *r, const itsm_approval_rule_def *d, const itsm_allocator *a)
{
    memset(r, 0, sizeof *r);
    r->kind = (int)d->kind;
    r->separation = d->separation;
    r->nlevels = d->nlevels;
    if (!(r->name = itsm__strdup(a, d->name)) ||
        itsm__strv_dup(&r->change_types, a, d->change_types, d->nchange_types) ||
        (r->nchange_types = d->nchange_types, 0) || itsm__strv_dup(&r->risks, a, d->risks, d->nrisks) ||
        (r->nrisks = d->nrisks, 0) || (d->state && !(r->state = itsm__strdup(a, d->state))))
        goto oom;
    for (size_t i = 0; i < d->nlevels; i++) {
        const itsm_approval_level_def *l = &d->levels[i];
        itsm__ap_level *o = &r->levels[i];
        o->mode = (int)l->mode;
        o->quorum = l->quorum;
        o->exception = l->exception ? 1 : 0;
        if (!(o->name = itsm__strdup(a, l->name)) || itsm__strv_dup(&o->people, a, l->people, l->npeople) ||
            (o->npeople = l->npeople, 0) || (l->group && !(o->group = itsm__strdup(a, l->group))))
            goto oom;
    }
    return ITSM_OK;
oom:
    rule_free(a, r);
    return ITSM_ENOMEM;
}

static int add_rule(itsm__ap_policy *ap, const itsm_allocator *a, itsm__errbuf *e, const itsm_approval_rule_def *d)
{
    int rc = check_rule(e, d);
    if (rc)
        return rc;
    for (size_t i = 0; i < ap->nrules; i++)
        if (strcmp(ap->rules[i].name, d->name) == 0)
            return itsm__errbuf_set(e, ITSM_EEXISTS, "approval rule '%s' exists already", d->name);
    if (ap->nrules >= ITSM_APPROVAL_MAX_RULES)
        return itsm__errbuf_set(e, ITSM_ELIMIT, "a policy holds at most %d approval rules", ITSM_APPROVAL_MAX_RULES);
    if (itsm__grow(a, (void **)&ap->rules, &ap->crules, ap->nrules + 1, sizeof *ap->rules) ||
        rule_build(&ap->rules[ap->nrules], d, a))
        return itsm__errbuf_oom(e);
    ap->nrules++;
    return ITSM_OK;
}

static int set_group(itsm__ap_policy *ap, const itsm_allocator *a, itsm__errbuf *e, const char *name,
                     const char *const *members, size_t n)
{
    if (!itsm__pname_ok(name))
        return itsm__errbuf_set(e, ITSM_EINVAL, "an approver group name must be 1..63 characters of a-z, 0-9 and _");
    if (n > ITSM_APPROVAL_MAX_PEOPLE)
        return itsm__errbuf_set(e, ITSM_ELIMIT, "approver group '%s' has %zu members; the limit is %d", name, n,
                    ITSM_APPROVAL_MAX_PEOPLE);
    int rc = check_names(e, "group member", members, n, 1);
    if (rc)
    {
        char pre[96];
        snprintf(pre, sizeof pre, "approver group '%s': ", name);
        return itsm__errbuf_prefix(e, rc, pre);
    }
    size_t at = ap->ngroups;
    for (size_t i = 0; i < ap->ngroups; i++)
        if (strcmp(ap->groups[i].name, name) == 0)
            at = i;
    if (n == 0) {
        if (at < ap->ngroups) {
            group_free(a, &ap->groups[at]);
            memmove(&ap->groups[at], &ap->groups[at + 1], (ap->ngroups - at - 1) * sizeof *ap->groups);
            ap->ngroups--;
        }
        return ITSM_OK;
    }
    if (at == ap->ngroups && ap->ngroups >= ITSM_APPROVAL_MAX_GROUPS)
        return itsm__errbuf_set(e, ITSM_ELIMIT, "a policy holds at most %d approver groups", ITSM_APPROVAL_MAX_GROUPS);
    char **v = NULL, *nm = NULL;
    if (itsm__strv_dup(&v, a, members, n) || (at == ap->ngroups && !(nm = itsm__strdup(a, name))) ||
        (at == ap->ngroups && itsm__grow(a, (void **)&ap->groups, &ap->cgroups, ap->ngroups + 1, sizeof *ap->groups))) {
        itsm__strv_free(a, v, n);
        itsm__free(a, nm);
        return itsm__errbuf_oom(e);
    }
    if (at == ap->ngroups) {
        ap->groups[at].name = nm;
        ap->ngroups++;
    } else {
        itsm__strv_free(a, ap->groups[at].members, ap->groups[at].n);
    }
    ap->groups[at].members = v;
    ap->groups[at].n = n;
    return ITSM_OK;
}

/* ---- the public builders ---- */

int itsm_policy_add_approval_rule(itsm_policy *p, const itsm_approval_rule_def *def)
{
    if (!p)
        return ITSM_EINVAL;
    int rc = add_rule(itsm__ap_policy_of(p), &p->alloc, &p->err, def);
    if (!rc)
        itsm__errbuf_clear(&p->err);
    return rc;
}

int itsm_policy_clear_approval_rules(itsm_policy *p)
{
    if (!p)
        return ITSM_EINVAL;
    itsm__ap_policy *ap = itsm__ap_policy_of(p);
    for (size_t i = 0; i < ap->nrules; i++)
        rule_free(&p->alloc, &ap->rules[i]);
    ap->nrules = 0;
    itsm__errbuf_clear(&p->err);
    return ITSM_OK;
}

int itsm_policy_set_approver_group(itsm_policy *p, const char *group, const char *const *members, size_t n)
{
    if (!p)
        return ITSM_EINVAL;
    int rc = set_group(itsm__ap_policy_of(p), &p->alloc, &p->err, group, members, n);
    if (!rc)
        itsm__errbuf_clear(&p->err);
    return rc;
}

size_t itsm_policy_approval_rule_count(const itsm_policy *p)
{
    return p ? itsm__ap_policy_of(p)->nrules : 0;
}

/* ---- defaults ---- */

/* Nobody named: any person separation of duties leaves. A host names its
 * change managers, CAB and ECAB in its own policy document. */
#define LEVEL(nm, md, q, ex) { ITSM_APPROVAL_LEVEL_DEF_VERSION, nm, NULL, 0, NULL, md, q, ex }
#define SOD (ITSM_APPROVAL_SOD_REQUESTER | ITSM_APPROVAL_SOD_IMPLEMENTER)

static int add_defaults(itsm__ap_policy *ap, const itsm_allocator *a)
{
    static const char *const standard[] = { "standard" };
    static const char *const emergency[] = { "emergency" };
    static const char *const high[] = { "high" };
    static const itsm_approval_level_def request_levels[] = { LEVEL("approver", ITSM_APPROVAL_ANY, 0, 0) };
    static const itsm_approval_level_def emergency_levels[] = {
        LEVEL("ecab", ITSM_APPROVAL_ANY, 0, 0),
        /* The extra level that lets an emergency change go outside its
         * windows (the change schedule's exception). */
        LEVEL("window_exception", ITSM_APPROVAL_ANY, 0, 1),
    };
    static const itsm_approval_level_def high_levels[] = {
        LEVEL("change_manager", ITSM_APPROVAL_ANY, 0, 0),
        LEVEL("cab", ITSM_APPROVAL_QUORUM, 2, 0),
    };
    static const itsm_approval_level_def normal_levels[] = { LEVEL("change_manager", ITSM_APPROVAL_ANY, 0, 0) };
    const itsm_approval_rule_def rules[] = {
        { ITSM_APPROVAL_RULE_DEF_VERSION, "service_request", ITSM_KIND_SERVICE_REQUEST, NULL, 0, NULL, 0,
          "awaiting_approval", request_levels, 1, SOD },
        /* Pre-authorized: nothing to approve. */
        { ITSM_APPROVAL_RULE_DEF_VERSION, "standard_change", ITSM_KIND_CHANGE, standard, 1, NULL, 0, "assessed",
          NULL, 0, SOD },
        { ITSM_APPROVAL_RULE_DEF_VERSION, "emergency_change", ITSM_KIND_CHANGE, emergency, 1, NULL, 0, "assessed",
          emergency_levels, 2, SOD },
        { ITSM_APPROVAL_RULE_DEF_VERSION, "high_risk_change", ITSM_KIND_CHANGE, NULL, 0, high, 1, "assessed",
          high_levels, 2, SOD },
        { ITSM_APPROVAL_RULE_DEF_VERSION, "change", ITSM_KIND_CHANGE, NULL, 0, NULL, 0, "assessed",
          normal_levels, 1, SOD },
    };
    itsm__errbuf e;
    for (size_t i = 0; i < sizeof rules / sizeof *rules; i++) {
        int rc = add_rule(ap, a, &e, &rules[i]);
        if (rc)
            return rc;
    }
    return ITSM_OK;
}

int itsm__ap_policy_new(void **sect, const itsm_allocator *a)
{
    itsm__ap_policy *ap = itsm__calloc(a, 1, sizeof *ap);
    if (!ap)
        return ITSM_ENOMEM;
    if (add_defaults(ap, a)) {
        itsm__ap_policy_free(ap, a);
        return ITSM_ENOMEM;
    }
    *sect = ap;
    return ITSM_OK;
}

/* A rule as a definition (borrowing its strings), to rebuild it. */
static void rule_as_def(const itsm__ap_rule *r, itsm_approval_rule_def *d, itsm_approval_level_def *lv)
{
    itsm_approval_rule_def init = ITSM_APPROVAL_RULE_DEF_INIT;
    *d = init;
    d->name = r->name;
    d->kind = (itsm_kind)r->kind;
    d->change_types = (const char *const *)r->change_types;
    d->nchange_types = r->nchange_types;
    d->risks = (const char *const *)r->risks;
    d->nrisks = r->nrisks;
    d->state = r->state;
    d->separation = r->separation;
    for (size_t i = 0; i < r->nlevels; i++) {
        const itsm__ap_level *l = &r->levels[i];
        itsm_approval_level_def li = ITSM_APPROVAL_LEVEL_DEF_INIT;
        li.name = l->name;
        li.people = (const char *const *)l->people;
        li.npeople = l->npeople;
        li.group = l->group;
        li.mode = (itsm_approval_mode)l->mode;
        li.quorum = l->quorum;
        li.exception = l->exception;
        lv[i] = li;
    }
    d->levels = lv;
    d->nlevels = r->nlevels;
}

int itsm__ap_policy_clone(void **out, const void *src, const itsm_allocator *a)
{
    const itsm__ap_policy *s = src;
    itsm__ap_policy *ap = itsm__calloc(a, 1, sizeof *ap);
    if (!ap)
        return ITSM_ENOMEM;
    itsm__errbuf e;
    int rc = ITSM_OK;
    for (size_t i = 0; i < s->ngroups && !rc; i++)
        rc = set_group(ap, a, &e, s->groups[i].name, (const char *const *)s->groups[i].members, s->groups[i].n);
    for (size_t i = 0; i < s->nrules && !rc; i++) {
        itsm_approval_rule_def d;
        itsm_approval_level_def lv[ITSM_APPROVAL_MAX_LEVELS];
        rule_as_def(&s->rules[i], &d, lv);
        rc = add_rule(ap, a, &e, &d);
    }
    if (rc) {
        itsm__ap_policy_free(ap, a);
        return ITSM_ENOMEM;
    }
    *out = ap;
    return ITSM_OK;
}

/* ---- check ---- */

static size_t level_voters(const itsm__ap_policy *ap, const itsm__ap_level *l)
{
    size_t n = l->npeople;
    const itsm__ap_group *g = l->group ? itsm__ap_group_find(ap, l->group) : NULL;
    for (size_t i = 0; g && i < g->n; i++)
        if (itsm__strv_find(l->people, l->npeople, g->members[i]) < 0)
            n++;
    return n;
}

/* Whether a transition of the lifecycle needs an approval ("approved:"):
 * only then can a rule's stale state strand a record. */
static int asks_approval(const itsm__lifecycle *lc)
{
    for (size_t i = 0; i < lc->ntrans; i++)
        for (size_t g = 0; g < lc->trans[i].nterms; g++)
            if (lc->trans[i].terms[g].op == ITSM__G_KIND && strcmp(lc->trans[i].terms[g].gk->name, "approved") == 0)
                return 1;
    return 0;
}

/* A rule's risk levels: a level the questionnaire lacks, or any level on
 * a kind it does not assess, never matches (the record's level is "none"
 * or another name), so the rule would silently never apply. */
static void check_risks(itsm_policy *p, const itsm__ap_rule *r)
{
    const itsm__rk_policy *rp = itsm__rk_policy_of(p);
    for (size_t k = 0; k < r->nrisks; k++) {
        if (strcmp(r->risks[k], "none") == 0)
            continue;
        if (!(rp->kinds >> r->kind & 1u)) {
            itsm__finding(p, "approvals: rule '%s' names risk level '%s', but the risk assessment does not assess "
                          "%s records", r->name, r->risks[k], itsm_kind_name((itsm_kind)r->kind));
            return;
        }
        if (itsm__strv_find(rp->levels, rp->nlevels, r->risks[k]) >= 0)
            continue;
        char list[ITSM_RISK_MAX_LEVELS * 66];
        size_t off = 0;
        list[0] = '\0';
        for (size_t i = 0; i < rp->nlevels; i++)
            off += (size_t)snprintf(list + off, sizeof list - off, "%s%s", i ? ", " : "", rp->levels[i]);
        itsm__finding(p, "approvals: rule '%s' names unknown risk level '%s' (levels: %s, or none)", r->name,
                      r->risks[k], list);
    }
}

void itsm__ap_policy_check(itsm_policy *p)
{
    const itsm__ap_policy *ap = itsm__ap_policy_of(p);
    for (size_t i = 0; i < ap->nrules; i++) {
        const itsm__ap_rule *r = &ap->rules[i];
        check_risks(p, r);
        const itsm__lifecycle *lc = &p->lc[r->kind];
        if (r->state && r->nlevels && asks_approval(lc) && itsm__lc_state(lc, r->state) < 0)
            itsm__finding(p, "approvals: rule '%s': the %s lifecycle has no state '%s' to open its rounds",
                          r->name, itsm_kind_name((itsm_kind)r->kind), r->state);
        for (size_t k = 0; k < r->nlevels; k++) {
            const itsm__ap_level *l = &r->levels[k];
            if (l->group && !itsm__ap_group_find(ap, l->group)) {
                itsm__finding(p, "approvals: rule '%s': level '%s' names unknown approver group '%s'", r->name,
                              l->name, l->group);
                continue;
            }
            size_t nv = level_voters(ap, l);
            if (l->mode == ITSM_APPROVAL_QUORUM && nv && l->quorum > nv)
                itsm__finding(p, "approvals: rule '%s': level '%s' needs a quorum of %u but has %zu approvers",
                              r->name, l->name, l->quorum, nv);
        }
    }
}

/* ---- the document ---- */

/* An array of strings: names (policy names) or people (symbols). */
static int read_strv(const itsm__jval *v, const char *what, int symbols, const char **buf, size_t cap, size_t *n,
                     itsm_parse_error *err)
{
    *n = 0;
    if (!v || v->type == ITSM__JNULL)
        return ITSM_OK;
    if (v->type != ITSM__JARRAY)
        return itsm__json_schema_error(err, v, "'%s' must be an array of names", what);
    if (v->u.arr.n > cap)
        return itsm__json_schema_error(err, v, "'%s' holds more than %zu names", what, cap);
    for (size_t i = 0; i < v->u.arr.n; i++) {
        const itsm__jval *s = &v->u.arr.items[i];
        itsm__errbuf e;
        if (s->type != ITSM__JSTRING || strlen(s->u.str.s) != s->u.str.len ||
            (symbols ? itsm__check_symbol(&e, "name", NULL, s->u.str.s, s->u.str.len) != ITSM_OK
                     : !itsm__pname_okn(s->u.str.s, s->u.str.len)))
            return itsm__json_schema_error(err, s, "'%s' must hold %s", what,
                                           symbols ? "names (no control characters)"
                                                   : "names of 1..63 characters of a-z, 0-9 and _");
        buf[i] = s->u.str.s;
    }
    *n = v->u.arr.n;
    return ITSM_OK;
}

static int read_level(const itsm__jval *v, itsm_approval_level_def *l, const char **people, itsm_parse_error *err)
{
    static const char *const keys[] = { "name", "approvers", "group", "rule", "quorum", "exception", NULL };
    if (v->type != ITSM__JOBJECT)
        return itsm__json_schema_error(err, v, "a level must be an object");
    int rc = itsm__json_only_keys(v, keys, "level", err);
    if (rc)
        return rc;
    itsm_approval_level_def init = ITSM_APPROVAL_LEVEL_DEF_INIT;
    *l = init;
    const itsm__jval *nm = itsm__json_get(v, "name"), *g = itsm__json_get(v, "group");
    const itsm__jval *md = itsm__json_get(v, "rule"), *q = itsm__json_get(v, "quorum");
    const itsm__jval *ex = itsm__json_get(v, "exception");
    if (!nm || nm->type != ITSM__JSTRING)
        return itsm__json_schema_error(err, nm ? nm : v, "a level needs a 'name'");
    l->name = nm->u.str.s;
    if ((rc = read_strv(itsm__json_get(v, "approvers"), "approvers", 1, people, ITSM_APPROVAL_MAX_PEOPLE,
                        &l->npeople, err)))
        return rc;
    l->people = people;
    if (g && g->type != ITSM__JNULL) {
        if (g->type != ITSM__JSTRING)
            return itsm__json_schema_error(err, g, "'group' must be a group name or null");
        l->group = g->u.str.s;
    }
    l->mode = ITSM_APPROVAL_ANY;
    if (md) {
        int m = 0;
        for (int k = ITSM_APPROVAL_ANY; k <= ITSM_APPROVAL_QUORUM && md->type == ITSM__JSTRING; k++)
            if (strcmp(md->u.str.s, itsm_approval_mode_name((itsm_approval_mode)k)) == 0)
                m = k;
        if (!m)
            return itsm__json_schema_error(err, md, "'rule' must be \"any\", \"all\" or \"quorum\"");
        l->mode = (itsm_approval_mode)m;
    }
    if (q) {
        if (q->type != ITSM__JNUMBER || !q->u.num.is_int || q->u.num.i < 1 || q->u.num.i > ITSM_APPROVAL_MAX_PEOPLE)
            return itsm__json_schema_error(err, q, "'quorum' must be a whole number 1..%d", ITSM_APPROVAL_MAX_PEOPLE);
        l->quorum = (unsigned)q->u.num.i;
    }
    if (ex) {
        if (ex->type != ITSM__JTRUE && ex->type != ITSM__JFALSE)
            return itsm__json_schema_error(err, ex, "'exception' must be true or false");
        l->exception = ex->type == ITSM__JTRUE;
    }
    return ITSM_OK;
}

static int read_rule(itsm_policy *p, itsm__ap_policy *ap, const itsm__jval *v, itsm_parse_error *err)
{
    static const char *const keys[] = { "name", "kind", "change_types", "risks", "state", "separation", "levels",
                                        NULL };
    if (v->type != ITSM__JOBJECT)
        return itsm__json_schema_error(err, v, "an approval rule must be an object");
    int rc = itsm__json_only_keys(v, keys, "approval rule", err);
    if (rc)
        return rc;
    itsm_approval_rule_def d = ITSM_APPROVAL_RULE_DEF_INIT;
    const itsm__jval *nm = itsm__json_get(v, "name"), *kd = itsm__json_get(v, "kind");
    const itsm__jval *st = itsm__json_get(v, "state"), *sep = itsm__json_get(v, "separation");
    const itsm__jval *lv = itsm__json_get(v, "levels");
    if (!nm || nm->type != ITSM__JSTRING)
        return itsm__json_schema_error(err, nm ? nm : v, "an approval rule needs a 'name'");
    d.name = nm->u.str.s;
    if (!kd || kd->type != ITSM__JSTRING || itsm_kind_from_name(&d.kind, kd->u.str.s) != ITSM_OK)
        return itsm__json_schema_error(err, kd ? kd : v, "an approval rule needs a record 'kind'");
    const char *types[ITSM_APPROVAL_MAX_PEOPLE], *risks[ITSM_APPROVAL_MAX_PEOPLE];
    if ((rc = read_strv(itsm__json_get(v, "change_types"), "change_types", 1, types, ITSM_APPROVAL_MAX_PEOPLE,
                        &d.nchange_types, err)) ||
        (rc = read_strv(itsm__json_get(v, "risks"), "risks", 0, risks, ITSM_APPROVAL_MAX_PEOPLE, &d.nrisks, err)))
        return rc;
    d.change_types = types;
    d.risks = risks;
    if (st && st->type != ITSM__JNULL) {
        if (st->type != ITSM__JSTRING)
            return itsm__json_schema_error(err, st, "'state' must be a state name or null");
        d.state = st->u.str.s;
    }
    if (sep) {
        const char *sv[2];
        size_t ns = 0;
        if ((rc = read_strv(sep, "separation", 0, sv, 2, &ns, err)))
            return rc;
        d.separation = 0;
        for (size_t i = 0; i < ns; i++) {
            if (strcmp(sv[i], "requester") == 0)
                d.separation |= ITSM_APPROVAL_SOD_REQUESTER;
            else if (strcmp(sv[i], "implementer") == 0)
                d.separation |= ITSM_APPROVAL_SOD_IMPLEMENTER;
            else
                return itsm__json_schema_error(err, &sep->u.arr.items[i],
                                               "'separation' holds \"requester\" and \"implementer\"");
        }
    }
    itsm_approval_level_def levels[ITSM_APPROVAL_MAX_LEVELS];
    const char *people[ITSM_APPROVAL_MAX_LEVELS][ITSM_APPROVAL_MAX_PEOPLE];
    if (lv && lv->type != ITSM__JNULL) {
        if (lv->type != ITSM__JARRAY || lv->u.arr.n > ITSM_APPROVAL_MAX_LEVELS)
            return itsm__json_schema_error(err, lv, "'levels' must be an array of at most %d levels",
                                           ITSM_APPROVAL_MAX_LEVELS);
        for (size_t i = 0; i < lv->u.arr.n; i++)
            if ((rc = read_level(&lv->u.arr.items[i], &levels[i], people[i], err)))
                return rc;
        d.levels = levels;
        d.nlevels = lv->u.arr.n;
    }
    itsm__errbuf e;
    if ((rc = add_rule(ap, &p->alloc, &e, &d)) == ITSM_ENOMEM)
        return rc;
    if (rc)
        return itsm__json_schema_error(err, v, "%s", e.msg);
    return ITSM_OK;
}

int itsm__ap_policy_read(itsm_policy *p, const itsm__jval *root, itsm_parse_error *err)
{
    static const char *const keys[] = { "groups", "rules", NULL };
    const itsm__jval *v = itsm__json_get(root, "approvals");
    if (!v)
        return ITSM_OK;
    if (v->type != ITSM__JOBJECT)
        return itsm__json_schema_error(err, v, "'approvals' must be an object");
    int rc = itsm__json_only_keys(v, keys, "approvals", err);
    if (rc)
        return rc;
    itsm__ap_policy *ap = itsm__ap_policy_of(p);
    const itsm__jval *groups = itsm__json_get(v, "groups"), *rules = itsm__json_get(v, "rules");
    if (groups) {
        if (groups->type != ITSM__JOBJECT)
            return itsm__json_schema_error(err, groups, "'groups' must be an object of group: [members]");
        for (size_t i = 0; i < groups->u.obj.n; i++) {
            const itsm__jmember *m = &groups->u.obj.members[i];
            const char *members[ITSM_APPROVAL_MAX_PEOPLE];
            size_t n = 0;
            if ((rc = read_strv(&m->val, "members", 1, members, ITSM_APPROVAL_MAX_PEOPLE, &n, err)))
                return rc;
            if (n == 0)
                return itsm__json_schema_error(err, &m->val, "approver group '%.60s' has no members", m->key);
            itsm__errbuf e;
            if ((rc = set_group(ap, &p->alloc, &e, m->key, members, n)) == ITSM_ENOMEM)
                return rc;
            if (rc)
                return itsm__json_schema_error(err, &m->val, "%s", e.msg);
        }
    }
    if (rules) {
        if (rules->type != ITSM__JARRAY)
            return itsm__json_schema_error(err, rules, "'rules' must be an array");
        /* The document's rules replace the defaults. */
        for (size_t i = 0; i < ap->nrules; i++)
            rule_free(&p->alloc, &ap->rules[i]);
        ap->nrules = 0;
        for (size_t i = 0; i < rules->u.arr.n; i++)
            if ((rc = read_rule(p, ap, &rules->u.arr.items[i], err)))
                return rc;
    }
    return ITSM_OK;
}

static void write_strv(itsm__jw *w, char *const *v, size_t n)
{
    itsm__jw_arr_begin(w);
    for (size_t i = 0; i < n; i++)
        itsm__jw_str(w, v[i]);
    itsm__jw_arr_end(w);
}

void itsm__ap_policy_write(const itsm_policy *p, itsm__jw *w)
{
    const itsm__ap_policy *ap = itsm__ap_policy_of(p);
    itsm__jw_key(w, "approvals");
    itsm__jw_obj_begin(w);
    itsm__jw_key(w, "groups");
    itsm__jw_obj_begin(w);
    for (size_t i = 0; i < ap->ngroups; i++) {
        itsm__jw_key(w, ap->groups[i].name);
        write_strv(w, ap->groups[i].members, ap->groups[i].n);
    }
    itsm__jw_obj_end(w);
    itsm__jw_key(w, "rules");
    itsm__jw_arr_begin(w);
    for (size_t i = 0; i < ap->nrules; i++) {
        const itsm__ap_rule *r = &ap->rules[i];
        itsm__jw_obj_begin(w);
        itsm__jw_key(w, "name");
        itsm__jw_str(w, r->name);
        itsm__jw_key(w, "kind");
        itsm__jw_str(w, itsm_kind_name((itsm_kind)r->kind));
        itsm__jw_key(w, "change_types");
        write_strv(w, r->change_types, r->nchange_types);
        itsm__jw_key(w, "risks");
        write_strv(w, r->risks, r->nrisks);
        itsm__jw_key(w, "state");
        itsm__jw_str(w, r->state);
        itsm__jw_key(w, "separation");
        itsm__jw_arr_begin(w);
        if (r->separation & ITSM_APPROVAL_SOD_REQUESTER)
            itsm__jw_str(w, "requester");
        if (r->separation & ITSM_APPROVAL_SOD_IMPLEMENTER)
            itsm__jw_str(w, "implementer");
        itsm__jw_arr_end(w);
        itsm__jw_key(w, "levels");
        itsm__jw_arr_begin(w);
        for (size_t k = 0; k < r->nlevels; k++) {
            const itsm__ap_level *l = &r->levels[k];
            itsm__jw_obj_begin(w);
            itsm__jw_key(w, "name");
            itsm__jw_str(w, l->name);
            itsm__jw_key(w, "approvers");
            write_strv(w, l->people, l->npeople);
            itsm__jw_key(w, "group");
            itsm__jw_str(w, l->group);
            itsm__jw_key(w, "rule");
            itsm__jw_str(w, itsm_approval_mode_name((itsm_approval_mode)l->mode));
            if (l->mode == ITSM_APPROVAL_QUORUM) {
                itsm__jw_key(w, "quorum");
                itsm__jw_int(w, l->quorum);
            }
            itsm__jw_key(w, "exception");
            itsm__jw_bool(w, l->exception);
            itsm__jw_obj_end(w);
        }
        itsm__jw_arr_end(w);
        itsm__jw_obj_end(w);
    }
    itsm__jw_arr_end(w);
    itsm__jw_obj_end(w);
}
