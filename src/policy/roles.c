/* SPDX-License-Identifier: Apache-2.0 */
/* Roles: what the engine needs to find in a lifecycle, by meaning
 * (include/itsm/policy.h "roles"): the table of roles, the builders, and
 * the check that a policy's roles can be honoured. */
#include "policy/policy_int.h"
#include "kit/alloc.h"
#include "kit/value.h"

#include <string.h>

#define K(k) (1u << (k))

typedef struct role_def {
    const char *name;
    int         target;       /* ITSM__ROLE_STATE, _EVENT or _VALUE */
    unsigned    kinds;        /* bit 1u << kind where the role applies */
    itsm_field  field;        /* a value role: the field it is a value of */
} role_def;

static const role_def roles[ITSM_ROLE_COUNT] = {
    [ITSM_ROLE_RESOLVE]           = { "resolve", ITSM__ROLE_EVENT, K(ITSM_KIND_PROBLEM), ITSM_F_SUMMARY },
    [ITSM_ROLE_CLOSE_WITHOUT_FIX] = { "close_without_fix", ITSM__ROLE_EVENT, K(ITSM_KIND_PROBLEM), ITSM_F_SUMMARY },
    [ITSM_ROLE_KNOWN_ERROR]       = { "known_error", ITSM__ROLE_STATE, K(ITSM_KIND_PROBLEM), ITSM_F_SUMMARY },
    [ITSM_ROLE_WAITS_ON_CHANGE]   = { "waits_on_change", ITSM__ROLE_STATE, K(ITSM_KIND_PROBLEM), ITSM_F_SUMMARY },
    [ITSM_ROLE_RESUME]            = { "resume", ITSM__ROLE_EVENT, K(ITSM_KIND_INCIDENT), ITSM_F_SUMMARY },
    [ITSM_ROLE_AUTO_CLOSE]        = { "auto_close", ITSM__ROLE_EVENT,
                                      K(ITSM_KIND_INCIDENT) | K(ITSM_KIND_SERVICE_REQUEST), ITSM_F_SUMMARY },
    [ITSM_ROLE_PARENT_RESOLVED]   = { "parent_resolved", ITSM__ROLE_EVENT, K(ITSM_KIND_INCIDENT), ITSM_F_SUMMARY },
    [ITSM_ROLE_PUBLISHED]         = { "published", ITSM__ROLE_STATE, K(ITSM_KIND_KNOWLEDGE), ITSM_F_SUMMARY },
    [ITSM_ROLE_FIX_APPLIED]       = { "fix_applied", ITSM__ROLE_VALUE, K(ITSM_KIND_PROBLEM), ITSM_F_RESOLUTION_CODE },
    [ITSM_ROLE_AWAITING_CHANGE]   = { "awaiting_change", ITSM__ROLE_VALUE, K(ITSM_KIND_INCIDENT), ITSM_F_HOLD_REASON },
    [ITSM_ROLE_AWAITING_PROBLEM]  = { "awaiting_problem", ITSM__ROLE_VALUE, K(ITSM_KIND_INCIDENT), ITSM_F_HOLD_REASON },
};

/* The default name of every role is its own name, except this one: a
 * problem waiting on a change is in the default lifecycle's
 * fix_pending_change. */
static const char *default_name(int role)
{
    return role == ITSM_ROLE_WAITS_ON_CHANGE ? "fix_pending_change" : roles[role].name;
}

const char *itsm_role_name(itsm_role role)
{
    return (unsigned)role < ITSM_ROLE_COUNT ? roles[role].name : NULL;
}

int itsm_role_from_name(itsm_role *out, const char *name)
{
    if (!out || !name)
        return ITSM_EINVAL;
    for (int i = 0; i < ITSM_ROLE_COUNT; i++)
        if (strcmp(roles[i].name, name) == 0) {
            *out = (itsm_role)i;
            return ITSM_OK;
        }
    return ITSM_ENOTFOUND;
}

int itsm__role_target(int role) { return roles[role].target; }

int itsm__role_applies(int kind, int role)
{
    return kind >= 1 && kind <= ITSM_KIND_COUNT && role >= 0 && role < ITSM_ROLE_COUNT &&
           (roles[role].kinds & K(kind)) != 0;
}

const char *itsm__role_of(const itsm_policy *p, int kind, int role)
{
    if (!itsm__role_applies(kind, role))
        return NULL;
    if (p->roles[kind][role])
        return p->roles[kind][role];
    const char *d = default_name(role);
    const itsm__lifecycle *lc = &p->lc[kind];
    switch (roles[role].target) {
    case ITSM__ROLE_STATE: return itsm__lc_state(lc, d) >= 0 ? d : NULL;
    case ITSM__ROLE_EVENT: return itsm__lc_event(lc, d) >= 0 ? d : NULL;
    default: return d;
    }
}

const char *itsm_policy_role(const itsm_policy *p, itsm_kind kind, itsm_role role)
{
    return p ? itsm__role_of(p, (int)kind, (int)role) : NULL;
}

int itsm__role_name_ok(int role, const char *name, itsm__errbuf *e)
{
    if (roles[role].target == ITSM__ROLE_VALUE)
        return itsm__check_symbol_z(e, "a role's value", NULL, name);
    size_t n = 0;
    for (; name[n]; n++)
        if (!((name[n] >= 'a' && name[n] <= 'z') || (name[n] >= '0' && name[n] <= '9') || name[n] == '_'))
            break;
    if (!n || name[n] || n > ITSM__NAME_MAX)
        return itsm__errbuf_set(e, ITSM_EINVAL, "role '%s' must name a %s: 1..63 characters of a-z, 0-9 and _",
                                roles[role].name, roles[role].target == ITSM__ROLE_STATE ? "state" : "event");
    return ITSM_OK;
}

int itsm_policy_set_role(itsm_policy *p, itsm_kind kind, itsm_role role, const char *name)
{
    if (!p)
        return ITSM_EINVAL;
    if ((int)kind < 1 || (int)kind > ITSM_KIND_COUNT || (unsigned)role >= ITSM_ROLE_COUNT)
        return itsm__errbuf_set(&p->err, ITSM_EINVAL, "unknown record kind %d or role %d", (int)kind, (int)role);
    if (!itsm__role_applies((int)kind, (int)role))
        return itsm__errbuf_set(&p->err, ITSM_EINVAL, "role '%s' does not apply to %s records", roles[role].name,
                                itsm_kind_name(kind));
    char *copy = NULL;
    int rc;
    if (name) {
        if ((rc = itsm__role_name_ok((int)role, name, &p->err)))
            return rc;
        if (!(copy = itsm__strdup(&p->alloc, name)))
            return itsm__errbuf_oom(&p->err);
    }
    itsm__free(&p->alloc, p->roles[kind][role]);
    p->roles[kind][role] = copy;
    itsm__errbuf_clear(&p->err);
    return ITSM_OK;
}

/* ---- the check ---- */

/* Whether every transition on event `e` ends in a state that is closed
 * (want_closed) or open (!want_closed); a finding names the first that
 * does not. */
static void leads(itsm_policy *p, int kind, int role, int e, int want_closed)
{
    const itsm__lifecycle *lc = &p->lc[kind];
    for (size_t i = 0; i < lc->ntrans; i++) {
        const itsm__transition *t = &lc->trans[i];
        if (t->event == e && itsm__lc_is_closed(lc, t->to) != want_closed) {
            itsm__finding(p, "%s: role '%s' event '%s' leads to '%s', which is %s", itsm_kind_name((itsm_kind)kind),
                          roles[role].name, lc->events[e], lc->states[t->to],
                          want_closed ? "not a closed state" : "a closed state");
            return;
        }
    }
}

void itsm__roles_check(itsm_policy *p)
{
    for (int k = 1; k <= ITSM_KIND_COUNT; k++) {
        const itsm__lifecycle *lc = &p->lc[k];
        const char *kn = itsm_kind_name((itsm_kind)k);
        for (int r = 0; r < ITSM_ROLE_COUNT; r++) {
            const char *name = p->roles[k][r];
            if (!name || roles[r].target == ITSM__ROLE_VALUE)
                continue;   /* only roles set explicitly must resolve; values were checked when set */
            if (roles[r].target == ITSM__ROLE_STATE) {
                int s = itsm__lc_state(lc, name);
                if (s < 0)
                    itsm__finding(p, "%s: role '%s' names state '%s', which the lifecycle does not declare", kn,
                                  roles[r].name, name);
                else if (itsm__lc_is_closed(lc, s))   /* the engine looks for open records there */
                    itsm__finding(p, "%s: role '%s' names state '%s', which is closed", kn, roles[r].name, name);
                continue;
            }
            int e = itsm__lc_event(lc, name);
            if (e < 0) {
                itsm__finding(p, "%s: role '%s' names event '%s', which the lifecycle does not declare", kn,
                              roles[r].name, name);
                continue;
            }
            int used = 0;
            for (size_t i = 0; i < lc->ntrans && !used; i++)
                used = lc->trans[i].event == e;
            if (!used) {
                itsm__finding(p, "%s: role '%s' event '%s' has no transition, so the engine cannot fire it", kn,
                              roles[r].name, name);
                continue;
            }
            if (r == ITSM_ROLE_AUTO_CLOSE || r == ITSM_ROLE_CLOSE_WITHOUT_FIX)
                leads(p, k, r, e, 1);   /* they close the record */
            else if (r == ITSM_ROLE_RESUME)
                leads(p, k, r, e, 0);   /* work goes on */
        }
    }
}
