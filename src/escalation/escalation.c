/* SPDX-License-Identifier: Apache-2.0 */
/* Functional and hierarchical escalation, major incidents, SLA override,
 * communication audience, known outages and closure helpers
 * (DESIGN.md sections 5-7). Each mutation is one atomic batch. */
#include "sla/sla_int.h"
#include "core/core.h"
#include "kit/json.h"

#include <string.h>

#define SLOT(f) (itsm__fields[f].slot)
#define NUM(r, f) ((r)->num[SLOT(f)])
#define STR(r, f) ((r)->str[SLOT(f)])

int itsm__add_step(itsm_engine *eng, itsm_record *r, itsm_time at, const char *reason, const char *note);

/* Entry checks shared by every call: a tracked, open record. */
static int begin(itsm_record *r, itsm_time *at, const char *what)
{
    itsm_engine *eng = r->eng;
    int rc;
    if ((rc = itsm__check_entry(eng)))
        return rc;
    if (!r->sla)
        return itsm__err(eng, ITSM_ESTATE, "cannot %s %s: only incidents and requests have service levels", what,
                         r->id);
    const itsm__lifecycle *lc = itsm__lifecycle_of(eng, r->kind);
    if (itsm__lc_is_closed(lc, r->state))
        return itsm__err(eng, ITSM_ESTATE, "cannot %s %s: it is %s", what, r->id, lc->states[r->state]);
    return itsm__now(eng, at);
}

static int text_ok(itsm_engine *eng, const char *s, const char *what)
{
    if (!s || !*s)
        return itsm__err(eng, ITSM_EINVAL, "%s is required", what);
    size_t n = strlen(s);
    if (n > ITSM_MAX_TEXT)
        return itsm__err(eng, ITSM_ELIMIT, "%s is %zu bytes; the limit is %d", what, n, ITSM_MAX_TEXT);
    if (!itsm__utf8_valid(s, n))
        return itsm__err(eng, ITSM_EINVAL, "%s is not valid UTF-8", what);
    return ITSM_OK;
}

static int sym(itsm_engine *eng, const char *s, const char *what, const char **out)
{
    if (!s || !*s)
        return itsm__err(eng, ITSM_EINVAL, "%s is required", what);
    size_t n = strlen(s);
    if (n > ITSM_MAX_SYMBOL)
        return itsm__err(eng, ITSM_ELIMIT, "%s is %zu bytes; the limit is %d", what, n, ITSM_MAX_SYMBOL);
    if (!itsm__utf8_valid(s, n))
        return itsm__err(eng, ITSM_EINVAL, "%s is not valid UTF-8", what);
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] < 0x20)
            return itsm__err(eng, ITSM_EINVAL, "%s contains a control character", what);
    if (!(*out = itsm__intern(eng, s, n)))
        return itsm__oom(eng);
    return ITSM_OK;
}

/* Build a one-event batch of class `cls`; the caller fills the payload and
 * commits. */
static int one(itsm_record *r, int cls, itsm_time at, itsm_event **ev, itsm__xev **x)
{
    itsm__batch_begin(r->eng);
    *ev = itsm__xev_add(r->eng, cls, r, at, x);
    return *ev ? ITSM_OK : ITSM_ENOMEM;
}

static int fail(itsm_engine *eng, int rc)
{
    itsm__batch_abort(eng);
    return rc;
}

/* ---- SLA override ---- */

int itsm_record_set_sla(itsm_record *r, const char *sla)
{
    if (!r)
        return ITSM_EINVAL;
    itsm_engine *eng = r->eng;
    itsm_time at;
    int rc = begin(r, &at, "change the SLA of");
    if (rc)
        return rc;
    const char *name = NULL;
    if (sla) {
        if (itsm__sla_find(eng->policy->sl, sla) < 0)
            return itsm__err(eng, ITSM_ENOTFOUND, "the policy has no SLA '%.63s'", sla);
        if ((rc = sym(eng, sla, "SLA name", &name)))
            return rc;
    }
    itsm_event *ev;
    itsm__xev *x;
    if ((rc = one(r, ITSM__X_SLA_SET, at, &ev, &x)))
        return rc;
    x->sym[0] = name;
    return itsm__batch_commit(eng);
}

/* ---- functional ---- */

int itsm_record_escalate(itsm_record *r, int level, const char *group, const char *tried)
{
    if (!r)
        return ITSM_EINVAL;
    itsm_engine *eng = r->eng;
    itsm_time at;
    int rc = begin(r, &at, "escalate");
    if (rc || (rc = text_ok(eng, tried, "a note of what was tried")))
        return rc;
    int64_t cur = NUM(r, ITSM_F_FUNCTIONAL_LEVEL);
    if (cur < 1)
        cur = 1;
    if (!level && cur >= 3)
        return itsm__err(eng, ITSM_ELIMIT, "%s is already at functional level 3", r->id);
    int64_t to = level ? level : cur + 1;
    if (to <= cur || to > 3)
        return itsm__err(eng, ITSM_EINVAL, "functional level must rise from %lld to at most 3 (got %d)",
                         (long long)cur, level);
    const char *g = NULL;
    if (group) {
        if ((rc = sym(eng, group, "group", &g)))
            return rc;
    } else {
        const char *routed = itsm_policy_route(eng->policy, STR(r, ITSM_F_CATEGORY), STR(r, ITSM_F_SERVICE));
        if (routed && !(g = itsm__intern(eng, routed, strlen(routed))))
            return itsm__oom(eng);
        if (!g)
            g = STR(r, ITSM_F_ASSIGNMENT_GROUP);
    }
    if (!g)
        return itsm__err(eng, ITSM_EINVAL, "escalating %s needs a group: none given, routed or assigned", r->id);
    itsm_event *ev;
    itsm__xev *x;
    if ((rc = one(r, ITSM__X_FUNCTIONAL, at, &ev, &x)))
        return rc;
    x->num = to;
    x->sym[0] = g;
    if (!(x->text = itsm__strdup(&eng->alloc, tried)))
        return fail(eng, itsm__oom(eng));
    itsm__change *c1 = itsm__ev_change(ev, ITSM_F_FUNCTIONAL_LEVEL);
    itsm__change *c2 = itsm__ev_change(ev, ITSM_F_ASSIGNMENT_GROUP);
    itsm__change *c3 = itsm__ev_change(ev, ITSM_F_REASSIGNMENTS);
    c1->num = to;
    c2->str = g;
    c3->num = NUM(r, ITSM_F_REASSIGNMENTS) + 1;
    return itsm__batch_commit(eng);
}

int itsm_record_first_contact_resolution(const itsm_record *r)
{
    if (!r || NUM(r, ITSM_F_RESOLVED_AT) == ITSM_TIME_NONE)
        return 0;
    return NUM(r, ITSM_F_FUNCTIONAL_LEVEL) <= 1 && NUM(r, ITSM_F_REASSIGNMENTS) == 0;
}

/* ---- hierarchical ---- */

int itsm_record_escalate_hierarchical(itsm_record *r, const char *reason)
{
    if (!r)
        return ITSM_EINVAL;
    itsm_engine *eng = r->eng;
    itsm_time at;
    int rc = begin(r, &at, "escalate");
    if (rc || (rc = text_ok(eng, reason, "the reason for escalating")))
        return rc;
    if (!itsm__ladder_audience(eng, (int)NUM(r, ITSM_F_HIERARCHICAL_LEVEL) + 1))
        return itsm__err(eng, ITSM_ELIMIT, "%s is already at the top of the escalation ladder", r->id);
    itsm__batch_begin(eng);
    if ((rc = itsm__add_step(eng, r, at, "manual", reason)))
        return fail(eng, rc);
    return itsm__batch_commit(eng);
}

const char *itsm_record_escalation_audience(const itsm_record *r)
{
    return r ? itsm__ladder_audience(r->eng, (int)NUM(r, ITSM_F_HIERARCHICAL_LEVEL)) : NULL;
}

/* ---- major incidents ---- */

itsm_major_state itsm_record_major_state(const itsm_record *r)
{
    if (!r)
        return ITSM_MAJOR_NONE;
    if (NUM(r, ITSM_F_MAJOR))
        return ITSM_MAJOR_ACCEPTED;
    if (!r->sla)
        return ITSM_MAJOR_NONE;
    if (r->sla->flags & ITSM__SF_MAJ_PROPOSED)
        return ITSM_MAJOR_PROPOSED;
    if (r->sla->flags & ITSM__SF_MAJ_REJECTED)
        return ITSM_MAJOR_REJECTED;
    return ITSM_MAJOR_NONE;
}

itsm_major_phase itsm_record_major_phase(const itsm_record *r)
{
    if (!r || !r->sla || !NUM(r, ITSM_F_MAJOR) || r->sla->major_at == ITSM_TIME_NONE)
        return ITSM_PHASE_NONE;
    const itsm_engine *eng = r->eng;
    if (itsm__lc_is_closed(itsm__lifecycle_of(eng, r->kind), r->state) || itsm__state_is_stop(eng, r, r->state))
        return ITSM_PHASE_RESOLUTION;
    uint16_t both = ITSM__SF_MAJ_COMMS | ITSM__SF_MAJ_GROUPS;
    return (r->sla->flags & both) == both ? ITSM_PHASE_POST : ITSM_PHASE_INITIAL;
}

int itsm_record_major_deadline(itsm_time *due, int *done, int *missed, const itsm_record *r, int which)
{
    if (!r)
        return ITSM_EINVAL;
    if (!due || !done || !missed)
        return itsm__err_const(r->eng, ITSM_EINVAL, "itsm_record_major_deadline: %s is NULL",
                               !due ? "due" : !done ? "done" : "missed");
    if (which != 0 && which != 1)
        return itsm__err_const(r->eng, ITSM_EINVAL, "deadline 'which' must be 0 (communication) or 1 (groups), not %d",
                               which);
    if (!r->sla || !NUM(r, ITSM_F_MAJOR) || r->sla->major_at == ITSM_TIME_NONE)
        return itsm__err_const(r->eng, ITSM_ESTATE, "%s is not an accepted major incident", r->id);
    const itsm__slapol *sp = r->eng->policy->sl;
    *due = r->sla->major_at + (which ? sp->major_groups_due : sp->major_comms_due);
    *done = (r->sla->flags & (which ? ITSM__SF_MAJ_GROUPS : ITSM__SF_MAJ_COMMS)) != 0;
    *missed = (r->sla->flags & (which ? ITSM__SF_MAJ_GROUPS_MISSED : ITSM__SF_MAJ_COMMS_MISSED)) != 0;
    return ITSM_OK;
}

int itsm_major_propose(itsm_record *r, const char *reason)
{
    if (!r)
        return ITSM_EINVAL;
    itsm_engine *eng = r->eng;
    itsm_time at;
    int rc = begin(r, &at, "propose");
    if (rc)
        return rc;
    itsm_major_state st = itsm_record_major_state(r);
    if (st == ITSM_MAJOR_PROPOSED || st == ITSM_MAJOR_ACCEPTED)
        return itsm__err(eng, ITSM_EEXISTS, "%s is already %s as a major incident", r->id,
                         st == ITSM_MAJOR_PROPOSED ? "proposed" : "accepted");
    if (reason && (rc = text_ok(eng, reason, "the reason")))
        return rc;
    itsm_event *ev;
    itsm__xev *x;
    if ((rc = one(r, ITSM__X_MAJ_PROPOSED, at, &ev, &x)))
        return rc;
    if (!(x->sym[0] = itsm__intern(eng, "manual", 6)) || (reason && !(x->text = itsm__strdup(&eng->alloc, reason))))
        return fail(eng, itsm__oom(eng));
    return itsm__batch_commit(eng);
}

int itsm_major_decide(itsm_record *r, int accept, const char *manager)
{
    if (!r)
        return ITSM_EINVAL;
    itsm_engine *eng = r->eng;
    itsm_time at;
    int rc = begin(r, &at, "decide on");
    if (rc)
        return rc;
    const char *m;
    if ((rc = sym(eng, manager, "the major incident manager", &m)))   /* arguments before state */
        return rc;
    if (itsm_record_major_state(r) != ITSM_MAJOR_PROPOSED)
        return itsm__err(eng, ITSM_ESTATE, "%s is not proposed as a major incident", r->id);
    itsm_event *ev;
    itsm__xev *x;
    if ((rc = one(r, ITSM__X_MAJ_DECIDED, at, &ev, &x)))
        return rc;
    x->num = accept ? 1 : 0;
    x->sym[0] = m;
    if (accept)
        itsm__ev_change(ev, ITSM_F_MAJOR)->num = 1;
    return itsm__batch_commit(eng);
}

static int accepted(itsm_record *r, itsm_time *at, const char *what)
{
    int rc = begin(r, at, what);
    if (rc)
        return rc;
    if (!NUM(r, ITSM_F_MAJOR) || r->sla->major_at == ITSM_TIME_NONE)
        return itsm__err(r->eng, ITSM_ESTATE, "%s is not an accepted major incident", r->id);
    return ITSM_OK;
}

int itsm_major_communication_issued(itsm_record *r)
{
    if (!r)
        return ITSM_EINVAL;
    itsm_time at;
    itsm_event *ev;
    itsm__xev *x;
    int rc;
    if ((rc = accepted(r, &at, "issue communication for")) || (rc = one(r, ITSM__X_MAJ_COMMS, at, &ev, &x)))
        return rc;
    return itsm__batch_commit(r->eng);
}

int itsm_major_engage_groups(itsm_record *r, const char *const *groups, size_t n)
{
    if (!r)
        return ITSM_EINVAL;
    itsm_engine *eng = r->eng;
    itsm_time at;
    int rc;
    if ((rc = accepted(r, &at, "engage groups for")))
        return rc;
    if (!groups || n < 1 || n > ITSM__XSYMS - 2)
        return itsm__err(eng, ITSM_EINVAL, "engage 1..%d groups at a time", ITSM__XSYMS - 2);
    const char *g[ITSM__XSYMS];
    for (size_t i = 0; i < n; i++)
        if ((rc = sym(eng, groups[i], "a group", &g[i])))
            return rc;
    itsm_event *ev;
    itsm__xev *x;
    if ((rc = one(r, ITSM__X_MAJ_GROUPS, at, &ev, &x)))
        return rc;
    for (size_t i = 0; i < n; i++)
        x->sym[2 + x->nsym++] = g[i];
    return itsm__batch_commit(eng);
}

int itsm_major_attach(itsm_record *parent, itsm_record *child)
{
    if (!parent)
        return ITSM_EINVAL;
    itsm_time at;
    int rc;
    if (!child || child->eng != parent->eng)   /* arguments before state */
        return itsm__err(parent->eng, ITSM_EINVAL, "the child is NULL or belongs to another engine");
    if ((rc = accepted(parent, &at, "attach to")))
        return rc;
    return itsm_record_link(parent, ITSM_LINK_CHILD, child);
}

/* ---- communication ---- */

itsm_audience itsm_record_audience(const itsm_record *r)
{
    if (!r)
        return ITSM_AUDIENCE_NONE;
    int64_t p = NUM(r, ITSM_F_PRIORITY);
    if (p < 1 || p > 5)
        return ITSM_AUDIENCE_NONE;
    return p <= r->eng->policy->sl->broadcast_max_priority ? ITSM_AUDIENCE_BROADCAST : ITSM_AUDIENCE_CALLERS;
}

itsm_record *itsm_engine_outage(itsm_engine *eng, const char *service)
{
    if (!eng || !eng->sla || !service)
        return NULL;
    for (size_t i = 0; i < eng->sla->noutages; i++)
        if (strcmp(eng->sla->outages[i].service, service) == 0)
            return eng->sla->outages[i].rec;
    return NULL;
}

int itsm_outage_declare(itsm_record *r, itsm_time eta, itsm_time next_update)
{
    if (!r)
        return ITSM_EINVAL;
    itsm_engine *eng = r->eng;
    itsm_time at;
    int rc = begin(r, &at, "declare an outage on");
    if (rc)
        return rc;
    const char *svc = STR(r, ITSM_F_SERVICE);
    if (!svc)
        return itsm__err(eng, ITSM_EINVAL, "%s has no service to declare an outage on", r->id);
    if ((rc = itsm__check_time(eng, eta, "expected restoration time")) ||
        (rc = itsm__check_time(eng, next_update, "next update time")))
        return rc;
    if (next_update <= at)
        return itsm__err(eng, ITSM_EINVAL, "the next update time must be after the notice itself");
    if (itsm_engine_outage(eng, svc))
        return itsm__err(eng, ITSM_EEXISTS, "service '%s' already has a known outage", svc);
    itsm_event *ev;
    itsm__xev *x;
    if ((rc = one(r, ITSM__X_OUTAGE, at, &ev, &x)))
        return rc;
    x->sym[0] = svc;
    x->t1 = eta;
    x->t2 = next_update;
    return itsm__batch_commit(eng);
}

int itsm_outage_end(itsm_record *r)
{
    if (!r)
        return ITSM_EINVAL;
    itsm_time at;
    int rc = begin(r, &at, "end the outage of");
    if (rc)
        return rc;
    if (!(r->sla->flags & ITSM__SF_OUTAGE))
        return itsm__err(r->eng, ITSM_ESTATE, "%s is not a declared outage", r->id);
    itsm_event *ev;
    itsm__xev *x;
    if ((rc = one(r, ITSM__X_OUTAGE_END, at, &ev, &x)))
        return rc;
    x->sym[0] = STR(r, ITSM_F_SERVICE);
    return itsm__batch_commit(r->eng);
}

/* ---- closure ---- */

int itsm_record_knowledge_candidate(const itsm_record *r)
{
    if (!r || !r->sla || !(r->sla->flags & ITSM__SF_KB_CANDIDATE))
        return 0;
    const char *kd = STR(r, ITSM_F_KNOWLEDGE_DECISION);
    return !kd || strcmp(kd, "candidate") == 0;
}

int itsm_record_survey_sampled(const itsm_record *r)
{
    if (!r)
        return 0;
    uint64_t h = 1469598103934665603ull;
    for (const char *s = r->id; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 1099511628211ull;
    }
    h ^= h >> 29;   /* FNV's low digits alone are weak: mix the high bits in */
    return (unsigned)(h % 1000u) < r->eng->policy->sl->survey_permille;
}
