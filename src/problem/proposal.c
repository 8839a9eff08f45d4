/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Problem proposals (itsm/problem.h, "recurrence pushes"): the capability
 * that applies the recurrence rule on every incident opened or resolved,
 * proposes a problem once per cluster as a "problem_proposed" event, and
 * records the host's decision ("problem_proposal_decided").
 *
 * Engine state (eng->cap[ITSM__CAP_PROPOSALS]): the proposals in the order
 * they were applied, and the incidents claimed by one, found by record
 * through the kit's pointer map. A proposal is the payload of its event:
 * applying the event hands it to the engine, so nothing is copied. The
 * candidates of a cluster come from the problems capability's recurrence
 * index (problem/problem_int.h), so no second index is kept.
 */
#include "problem/problem_int.h"
#include "core/abi.h"
#include "kit/json.h"
#include "kit/ptrmap.h"
#include "kit/value.h"
#include "sla/sla_int.h"

#include <string.h>

#define SLOT(f) (itsm__fields[f].slot)

typedef struct claim {
    const itsm_record *rec;   /* the key (kit/ptrmap.h) */
    size_t             prop;  /* the proposal's position */
} claim;

typedef struct prop {
    itsm_record *rec;                    /* the incident that completed the cluster */
    itsm_time    at;
    const char  *service, *category, *ci;   /* interned; ci NULL: any */
    int64_t      window;
    claim       *members;                /* owned; the map points into it once applied */
    size_t       n;
    int          status;                 /* itsm_proposal_status */
    itsm_record *problem;
    char        *reason;                 /* owned */
    itsm_time    decided_at;
    int          kept;                   /* applied: the engine owns it */
} prop;

typedef struct decision {
    int          accepted;
    itsm_record *problem;
    char        *reason;                 /* owned until applied */
    const char  *shown;                  /* after apply: the proposal's copy */
} decision;

typedef struct itsm__prop_eng {
    prop       **v;
    size_t       n, cap;
    itsm__ptrmap claims;                 /* incident -> claim */
    const itsm_record **pending;         /* claimed by proposals of the batch being extended */
    size_t       npending, cpending;
} itsm__prop_eng;

static itsm__prop_eng *pe_of(const itsm_engine *eng)
{
    return (itsm__prop_eng *)eng->cap[ITSM__CAP_PROPOSALS];
}

static void prop_free(itsm_engine *eng, prop *p)
{
    if (!p)
        return;
    itsm__free(&eng->alloc, p->members);
    itsm__free(&eng->alloc, p->reason);
    itsm__free(&eng->alloc, p);
}

static int engine_init(itsm_engine *eng)
{
    itsm__prop_eng *pe = itsm__calloc(&eng->alloc, 1, sizeof *pe);
    if (!pe)
        return ITSM_ENOMEM;
    itsm__ptrmap_init(&pe->claims);
    eng->cap[ITSM__CAP_PROPOSALS] = pe;
    return ITSM_OK;
}

static void engine_free(itsm_engine *eng)
{
    itsm__prop_eng *pe = pe_of(eng);
    if (!pe)
        return;
    for (size_t i = 0; i < pe->n; i++)
        prop_free(eng, pe->v[i]);
    itsm__free(&eng->alloc, pe->v);
    itsm__free(&eng->alloc, pe->pending);
    itsm__ptrmap_free(&pe->claims, &eng->alloc);
    itsm__free(&eng->alloc, pe);
    eng->cap[ITSM__CAP_PROPOSALS] = NULL;
}

static const claim *claim_of(const itsm_engine *eng, const itsm_record *r)
{
    const itsm__prop_eng *pe = pe_of(eng);
    return pe ? itsm__ptrmap_get(&pe->claims, r) : NULL;
}

/* ---- the events ---- */

static const char *const proposed_keys[] = { "proposal", NULL };
static const char *const decided_keys[] = { "decision", NULL };

static void proposed_write(const itsm_event *ev, itsm__jw *w)
{
    const prop *p = ev->ext;
    itsm__jw_key(w, "proposal");
    itsm__jw_obj_begin(w);
    itsm__jw_key(w, "service");
    itsm__jw_str(w, p->service);
    itsm__jw_key(w, "category");
    itsm__jw_str(w, p->category);
    itsm__jw_key(w, "ci");
    itsm__jw_str(w, p->ci);
    itsm__jw_key(w, "window");
    itsm__jw_int(w, p->window);
    itsm__jw_key(w, "incidents");
    itsm__jw_arr_begin(w);
    for (size_t i = 0; i < p->n; i++)
        itsm__jw_str(w, p->members[i].rec->id);
    itsm__jw_arr_end(w);
    itsm__jw_obj_end(w);
}

static int read_sym(itsm_engine *eng, const itsm__jval *obj, const char *key, int nullable, const char **out,
                    itsm_parse_error *err)
{
    const itsm__jval *v = itsm__json_get(obj, key);
    itsm__errbuf why;
    *out = NULL;
    if (nullable && v && v->type == ITSM__JNULL)
        return ITSM_OK;
    if (!v || v->type != ITSM__JSTRING || itsm__check_symbol(&why, key, NULL, v->u.str.s, v->u.str.len))
        return itsm__json_schema_error(err, v ? v : obj, "'%s' must be a name%s", key, nullable ? " or null" : "");
    return (*out = itsm__intern(eng, v->u.str.s, v->u.str.len)) ? ITSM_OK : ITSM_ENOMEM;
}

static int proposed_read(itsm_engine *eng, itsm_event *ev, const itsm__jval *root, itsm_parse_error *err)
{
    static const char *const keys[] = { "service", "category", "ci", "window", "incidents", NULL };
    const itsm__jval *o = itsm__json_get(root, "proposal");
    if (!o || o->type != ITSM__JOBJECT)
        return itsm__json_schema_error(err, o ? o : root, "a problem_proposed event needs a 'proposal' object");
    int rc = itsm__json_only_keys(o, keys, "proposal", err);
    if (rc)
        return rc;
    if (ev->rec->kind != ITSM_KIND_INCIDENT)
        return itsm__json_schema_error(err, root, "problems are proposed on incidents only");
    prop *p = itsm__calloc(&eng->alloc, 1, sizeof *p);
    if (!p)
        return ITSM_ENOMEM;
    ev->ext = p;
    p->rec = ev->rec;
    p->at = ev->at;
    p->status = ITSM_PROPOSAL_PENDING;
    p->decided_at = ITSM_TIME_NONE;
    if ((rc = read_sym(eng, o, "service", 0, &p->service, err)) ||
        (rc = read_sym(eng, o, "category", 0, &p->category, err)) || (rc = read_sym(eng, o, "ci", 1, &p->ci, err)))
        return rc;
    const itsm__jval *w = itsm__json_get(o, "window"), *list = itsm__json_get(o, "incidents");
    if (!w || w->type != ITSM__JNUMBER || !w->u.num.is_int || w->u.num.i < 1 || w->u.num.i > ITSM_PROBLEM_MAX_WINDOW)
        return itsm__json_schema_error(err, w ? w : o, "'window' must be a whole number of seconds 1..%lld",
                                       (long long)ITSM_PROBLEM_MAX_WINDOW);
    p->window = w->u.num.i;
    if (!list || list->type != ITSM__JARRAY || !list->u.arr.n || list->u.arr.n > ITSM_PROBLEM_PROPOSAL_MAX)
        return itsm__json_schema_error(err, list ? list : o, "'incidents' must list 1..%d incident ids",
                                       ITSM_PROBLEM_PROPOSAL_MAX);
    if (!(p->members = itsm__calloc(&eng->alloc, list->u.arr.n, sizeof *p->members)))
        return ITSM_ENOMEM;
    int self = 0;
    for (size_t i = 0; i < list->u.arr.n; i++) {
        const itsm__jval *x = &list->u.arr.items[i];
        itsm_record *m = x->type == ITSM__JSTRING ? itsm__find(eng, x->u.str.s, x->u.str.len) : NULL;
        if (!m || m->kind != ITSM_KIND_INCIDENT)
            return itsm__json_schema_error(err, x, "'incidents' must name incidents the engine holds");
        if (claim_of(eng, m))
            return itsm__json_schema_error(err, x, "%s is in a problem proposal already", m->id);
        for (size_t k = 0; k < p->n; k++)
            if (p->members[k].rec == m)
                return itsm__json_schema_error(err, x, "%s is listed twice", m->id);
        self |= m == ev->rec;
        p->members[p->n].rec = m;
        p->n++;
    }
    if (!self)
        return itsm__json_schema_error(err, list, "'incidents' must include %s, the event's record", ev->rec->id);
    return ITSM_OK;
}

/* Room was reserved: the proposal joins the engine's, its incidents are
 * claimed. */
static void proposed_apply(itsm_engine *eng, itsm_event *ev)
{
    itsm__prop_eng *pe = pe_of(eng);
    prop *p = ev->ext;
    p->kept = 1;
    for (size_t i = 0; i < p->n; i++) {
        p->members[i].prop = pe->n;
        itsm__ptrmap_put(&pe->claims, &p->members[i]);
    }
    pe->v[pe->n++] = p;
}

static void proposed_dispose(itsm_engine *eng, itsm_event *ev)
{
    prop *p = ev->ext;
    if (p && !p->kept)
        prop_free(eng, p);
    ev->ext = NULL;
}

static void decided_write(const itsm_event *ev, itsm__jw *w)
{
    const decision *d = ev->ext;
    itsm__jw_key(w, "decision");
    itsm__jw_obj_begin(w);
    itsm__jw_key(w, "accepted");
    itsm__jw_bool(w, d->accepted);
    itsm__jw_key(w, "problem");
    itsm__jw_str(w, d->problem ? d->problem->id : NULL);
    itsm__jw_key(w, "reason");
    itsm__jw_str(w, ev->applied ? d->shown : d->reason);
    itsm__jw_obj_end(w);
}

/* The proposal `r` completed, pending; NULL with a message otherwise. */
static prop *pending_of(itsm_engine *eng, const itsm_record *r, int *rc)
{
    const claim *c = claim_of(eng, r);
    prop *p = c ? pe_of(eng)->v[c->prop] : NULL;
    if (!p) {
        *rc = itsm__err(eng, ITSM_ENOTFOUND, "%s is in no problem proposal", r->id);
        return NULL;
    }
    if (p->status != ITSM_PROPOSAL_PENDING) {
        *rc = p->status == ITSM_PROPOSAL_ACCEPTED
                  ? itsm__err(eng, ITSM_ESTATE, "the problem proposal of %s was accepted already (%s)", p->rec->id,
                              p->problem ? p->problem->id : "?")
                  : itsm__err(eng, ITSM_ESTATE, "the problem proposal of %s was dismissed already", p->rec->id);
        return NULL;
    }
    return p;
}

static int decided_read(itsm_engine *eng, itsm_event *ev, const itsm__jval *root, itsm_parse_error *err)
{
    static const char *const keys[] = { "accepted", "problem", "reason", NULL };
    const itsm__jval *o = itsm__json_get(root, "decision");
    if (!o || o->type != ITSM__JOBJECT)
        return itsm__json_schema_error(err, o ? o : root, "a problem_proposal_decided event needs a 'decision' object");
    int rc = itsm__json_only_keys(o, keys, "decision", err);
    if (rc)
        return rc;
    const claim *c = claim_of(eng, ev->rec);
    const prop *p = c ? pe_of(eng)->v[c->prop] : NULL;
    if (!p || p->rec != ev->rec || p->status != ITSM_PROPOSAL_PENDING)
        return itsm__json_schema_error(err, root, "%s completed no pending problem proposal", ev->rec->id);
    decision *d = itsm__calloc(&eng->alloc, 1, sizeof *d);
    if (!d)
        return ITSM_ENOMEM;
    ev->ext = d;
    const itsm__jval *a = itsm__json_get(o, "accepted"), *pv = itsm__json_get(o, "problem"),
                     *rv = itsm__json_get(o, "reason");
    if (!a || (a->type != ITSM__JTRUE && a->type != ITSM__JFALSE))
        return itsm__json_schema_error(err, a ? a : o, "'accepted' must be true or false");
    d->accepted = a->type == ITSM__JTRUE;
    if (d->accepted) {
        d->problem = pv && pv->type == ITSM__JSTRING ? itsm__find(eng, pv->u.str.s, pv->u.str.len) : NULL;
        if (!d->problem || d->problem->kind != ITSM_KIND_PROBLEM)
            return itsm__json_schema_error(err, pv ? pv : o, "'problem' must name a problem record the engine holds");
    } else if (pv && pv->type != ITSM__JNULL) {
        return itsm__json_schema_error(err, pv, "a dismissed proposal names no problem");
    }
    if (rv && rv->type != ITSM__JNULL) {
        if (rv->type != ITSM__JSTRING || !rv->u.str.len || rv->u.str.len > ITSM_MAX_TEXT ||
            !itsm__utf8_valid(rv->u.str.s, rv->u.str.len))
            return itsm__json_schema_error(err, rv, "'reason' must be null or 1..%d bytes of UTF-8", ITSM_MAX_TEXT);
        if (!(d->reason = itsm__strndup(&eng->alloc, rv->u.str.s, rv->u.str.len)))
            return ITSM_ENOMEM;
    } else if (!d->accepted) {
        return itsm__json_schema_error(err, o, "a dismissed proposal needs its 'reason'");
    }
    return ITSM_OK;
}

static void decided_apply(itsm_engine *eng, itsm_event *ev)
{
    decision *d = ev->ext;
    prop *p = pe_of(eng)->v[claim_of(eng, ev->rec)->prop];
    p->status = d->accepted ? ITSM_PROPOSAL_ACCEPTED : ITSM_PROPOSAL_DISMISSED;
    p->problem = d->problem;
    p->reason = d->reason;   /* the proposal owns it now */
    p->decided_at = ev->at;
    d->shown = d->reason;
    d->reason = NULL;
}

static void decided_dispose(itsm_engine *eng, itsm_event *ev)
{
    decision *d = ev->ext;
    if (d) {
        itsm__free(&eng->alloc, d->reason);
        itsm__free(&eng->alloc, d);
    }
    ev->ext = NULL;
}

static const itsm__evclass problem_proposed = { "problem_proposed", proposed_keys, proposed_write, proposed_read,
                                                proposed_apply, proposed_dispose, NULL };
static const itsm__evclass proposal_decided = { "problem_proposal_decided", decided_keys, decided_write,
                                                decided_read, decided_apply, decided_dispose, NULL };

static int reserve(itsm_engine *eng)
{
    itsm__prop_eng *pe = pe_of(eng);
    size_t k = 0, members = 0;
    for (size_t i = 0; i < eng->nbatch; i++)
        if (eng->batch[i].cls == &problem_proposed) {
            k++;
            members += ((const prop *)eng->batch[i].ext)->n;
        }
    if (k && (itsm__grow(&eng->alloc, (void **)&pe->v, &pe->cap, pe->n + k, sizeof *pe->v) ||
              itsm__ptrmap_reserve(&pe->claims, &eng->alloc, members)))
        return itsm__oom(eng);
    return ITSM_OK;
}

/* ---- the push: a cluster completed by a step ---- */

static int pending_has(const itsm__prop_eng *pe, const itsm_record *r)
{
    for (size_t i = 0; i < pe->npending; i++)
        if (pe->pending[i] == r)
            return 1;
    return 0;
}

/* Related to a problem record still worked (neither resolved nor closed):
 * problem management has the incident already. */
static int with_open_problem(const itsm_engine *eng, const itsm_record *r)
{
    for (uint32_t i = 0; i < r->x->nlinks; i++) {
        const itsm_record *t = r->x->links[i].target;
        if (r->x->links[i].kind == ITSM_LINK_RELATED && t->kind == ITSM_KIND_PROBLEM &&
            itsm__state_is_live(eng, t, t->state))
            return 1;
    }
    return 0;
}

/* In no proposal yet, and not linked to a known error nor to a problem
 * still worked: that problem record already holds its recurrence, and
 * accepting a proposal would relate the incident to a second problem. */
static int free_to_join(const itsm_engine *eng, const itsm_record *r)
{
    return !claim_of(eng, r) && !pending_has(pe_of(eng), r) && !itsm__prb_known_error_of(eng, r) &&
           !with_open_problem(eng, r);
}

/* Whether incident m of r's bucket joins r's cluster: another incident,
 * on r's CI too when the rule counts by CI, free to join (in no proposal
 * yet, not on a known error nor an open problem), and an occurrence (not
 * canceled). */
static int joins(const itsm_engine *eng, const itsm_record *m, const itsm_record *r, const char *ci)
{
    return m != r && (!ci || itsm__rec_str(m, SLOT(ITSM_F_CI)) == ci) && free_to_join(eng, m) &&
           itsm__prb_occurrence(eng, m);
}

/* Event i opens or resolves incident r: propose a problem when r
 * completes a cluster on its key. */
static int consider(itsm_engine *eng, size_t i)
{
    const itsm__prb_policy *pp = itsm__prb_policy_of(eng->policy);
    itsm__prop_eng *pe = pe_of(eng);
    itsm_event *ev = &eng->batch[i];
    itsm_record *r = ev->rec;
    /* the key's service first: an incident without one (a log with no
     * service column) needs none of the other reads */
    const char *s = itsm__view_str(r, ev, ITSM_F_SERVICE);
    if (!s)
        return ITSM_OK;
    const char *c = itsm__view_str(r, ev, ITSM_F_CATEGORY);
    const char *ci = pp->recurrence_ci ? itsm__view_str(r, ev, ITSM_F_CI) : NULL;
    itsm_time opened = itsm__view_num(r, ev, ITSM_F_OPENED_AT), t = ev->at, from = t - pp->recurrence_window;
    if (from < ITSM_TIME_MIN)
        from = ITSM_TIME_MIN;
    if (!s || !c || (pp->recurrence_ci && !ci) || opened < from || opened > t || !free_to_join(eng, r) ||
        itsm__prb_major_child(r))
        return ITSM_OK;
    int rc = itsm__prb_index_ready(eng);
    if (rc)
        return rc;
    const itsm__rbucket *b = itsm__prb_bucket(itsm__prb_of(eng), s, c);
    size_t first = b ? itsm__prb_first_at(b, from) : 0, count = 1;
    for (size_t k = first; b && k < b->n && b->v[k].at <= t; k++)
        count += (size_t)joins(eng, b->v[k].rec, r, ci);
    if (count < (size_t)pp->recurrence_count)
        return ITSM_OK;
    /* The cluster, oldest first, the newest ITSM_PROBLEM_PROPOSAL_MAX of it. */
    size_t n = count < ITSM_PROBLEM_PROPOSAL_MAX ? count : ITSM_PROBLEM_PROPOSAL_MAX, skip = count - n, seen = 0;
    prop *p = itsm__calloc(&eng->alloc, 1, sizeof *p);
    if (!p || !(p->members = itsm__calloc(&eng->alloc, n, sizeof *p->members)) ||
        itsm__grow(&eng->alloc, (void **)&pe->pending, &pe->cpending, pe->npending + n, sizeof *pe->pending)) {
        prop_free(eng, p);
        return itsm__oom(eng);
    }
    int placed = 0;
    for (size_t k = first; b && k < b->n && b->v[k].at <= t; k++) {
        itsm_record *m = b->v[k].rec;
        if (!placed && b->v[k].at > opened) {
            if (seen++ >= skip)
                p->members[p->n++].rec = r;
            placed = 1;
        }
        if (!joins(eng, m, r, ci))
            continue;
        if (seen++ >= skip)
            p->members[p->n++].rec = m;
    }
    if (!placed)
        p->members[p->n++].rec = r;
    p->rec = r;
    p->at = t;
    p->service = s;
    p->category = c;
    p->ci = ci;
    p->window = pp->recurrence_window;
    p->status = ITSM_PROPOSAL_PENDING;
    p->decided_at = ITSM_TIME_NONE;
    for (size_t k = 0; k < p->n; k++)
        pe->pending[pe->npending++] = p->members[k].rec;
    itsm_event *x = itsm__batch_add(eng, ITSM__EV_EXT, r, t);
    if (!x) {
        prop_free(eng, p);
        return ITSM_ENOMEM;
    }
    x->cls = &problem_proposed;
    x->ext = p;
    return ITSM_OK;
}

/* No push under the policy, or the usual call: a batch of one resolving
 * step `ev` of a record without a service, which joins no cluster
 * (consider). extend_idle, and extend's early return. */
static int extend_idle(const itsm_engine *eng, const itsm_event *ev)
{
    const itsm__prb_policy *pp = itsm__prb_policy_of(eng->policy);
    if (!pp->recurrence_push || pp->recurrence_count < 2)
        return 1;
    if (ev->type != ITSM__EV_TRANSITION)
        return 0;
    /* whether the step leaves a service (itsm__view_str's answer, not
     * NULL): a symbol's id, not its text, which the test never reads */
    _Static_assert(ITSM__SLOT_SERVICE >= ITSM__NTEXT, "the service is a symbol");
    const itsm__change *c = itsm__ev_find(ev, ITSM_F_SERVICE);
    return c ? !c->str : !ev->rec->sym[ITSM__SLOT_SERVICE - ITSM__NTEXT];
}

static int extend(itsm_engine *eng, size_t n0)
{
    (void)n0;   /* children resolved with their major incident count too: every event so far */
    const itsm__prb_policy *pp = itsm__prb_policy_of(eng->policy);
    if (!pp->recurrence_push || pp->recurrence_count < 2)
        return ITSM_OK;
    pe_of(eng)->npending = 0;
    if (eng->nbatch == 1 && extend_idle(eng, &eng->batch[0]))
        return ITSM_OK;
    int rc = ITSM_OK;
    for (size_t i = 0, n = eng->nbatch; i < n && !rc; i++) {
        const itsm_event *ev = &eng->batch[i];
        if (!ev->rec || ev->rec->kind != ITSM_KIND_INCIDENT || ev->type == ITSM__EV_EXT)
            continue;
        const itsm__change *res = itsm__ev_find(ev, ITSM_F_RESOLVED_AT);
        if (ev->type == ITSM__EV_OPEN || (res && res->num != ITSM_TIME_NONE))
            rc = consider(eng, i);
    }
    return rc;
}

/* ---- the host's decision ---- */

static int decide_begin(itsm_record *incident, prop **p, itsm_time *at)
{
    itsm_engine *eng = incident->eng;
    int rc = itsm__check_entry(eng);
    if (rc)
        return rc;
    if (incident->kind != ITSM_KIND_INCIDENT)
        return itsm__err(eng, ITSM_EINVAL, "%s is a %s: problems are proposed on incidents", incident->id,
                         itsm_kind_name((itsm_kind)incident->kind));
    if (!(*p = pending_of(eng, incident, &rc)) || (rc = itsm__now(eng, at)))
        return rc;
    /* The decision touches the cluster's incidents (the decision, the
     * links): never before one's last event (a log replayed case by case,
     * the clock going back between cases), else the host's step would be
     * refused for a record it did not name. */
    for (size_t i = 0; i < (*p)->n; i++) {
        itsm_time last = itsm__rec_num((*p)->members[i].rec, SLOT(ITSM_F_UPDATED_AT));
        if (last > *at)
            *at = last;
    }
    itsm_time last = itsm__rec_num((*p)->rec, SLOT(ITSM_F_UPDATED_AT));
    if (last > *at)
        *at = last;
    return ITSM_OK;
}

static itsm_event *add_decision(itsm_engine *eng, prop *p, itsm_time at, int accepted, itsm_record *problem,
                                const char *reason)
{
    decision *d = itsm__calloc(&eng->alloc, 1, sizeof *d);
    if (!d || (reason && !(d->reason = itsm__strdup(&eng->alloc, reason)))) {
        itsm__free(&eng->alloc, d);
        itsm__oom(eng);
        return NULL;
    }
    d->accepted = accepted;
    d->problem = problem;
    itsm_event *ev = itsm__batch_add(eng, ITSM__EV_EXT, p->rec, at);
    if (!ev) {
        itsm__free(&eng->alloc, d->reason);
        itsm__free(&eng->alloc, d);
        return NULL;
    }
    ev->cls = &proposal_decided;
    ev->ext = d;
    return ev;
}

int itsm_problem_proposal_accept(itsm_record **out, itsm_record *incident, const itsm_problem_open_opts *opts)
{
    if (!incident)
        return ITSM_EINVAL;
    itsm_engine *eng = incident->eng;
    if (!out)
        return itsm__err(eng, ITSM_EINVAL, "out is NULL");
    *out = NULL;
    itsm_problem_open_opts defaults = ITSM_PROBLEM_OPEN_OPTS_INIT;
    if (!opts)
        opts = &defaults;
    prop *p;
    itsm_time at;
    char idbuf[32];
    const char *id;
    size_t idn;
    uint64_t seq;
    int rc = decide_begin(incident, &p, &at);
    if (rc || (rc = itsm__problem_prepare(eng, opts, idbuf, &id, &idn, &seq)))
        return rc;
    itsm__batch_begin(eng);
    itsm_record *prb = NULL;
    rc = itsm__problem_build(&prb, p->rec, opts, id, idn, at);
    for (size_t i = 0; i < p->n && !rc; i++)
        rc = itsm__batch_link(eng, (itsm_record *)(uintptr_t)p->members[i].rec, ITSM_LINK_RELATED, prb, at);
    if (!rc && !add_decision(eng, p, at, 1, prb, NULL))
        rc = eng->err.code;
    if (rc) {
        itsm__batch_abort(eng);
        return rc;
    }
    if ((rc = itsm__batch_commit(eng)))
        return rc;
    itsm__remember_id(eng, ITSM_KIND_PROBLEM, opts->id != NULL, prb, seq);
    *out = prb;
    return ITSM_OK;
}

int itsm_problem_proposal_dismiss(itsm_record *incident, const char *reason)
{
    if (!incident)
        return ITSM_EINVAL;
    itsm_engine *eng = incident->eng;
    int rc = itsm__check_entry(eng);
    if (rc || (rc = itsm__text_arg(eng, reason, "the reason for dismissing a problem proposal")))
        return rc;
    prop *p;
    itsm_time at;
    if ((rc = decide_begin(incident, &p, &at)))
        return rc;
    itsm__batch_begin(eng);
    if (!add_decision(eng, p, at, 0, NULL, reason)) {
        itsm__batch_abort(eng);
        return eng->err.code;
    }
    return itsm__batch_commit(eng);
}

/* ---- reading ---- */

const char *itsm_proposal_status_name(itsm_proposal_status s)
{
    static const char *const names[] = { NULL, "pending", "accepted", "dismissed" };
    return s >= ITSM_PROPOSAL_PENDING && s <= ITSM_PROPOSAL_DISMISSED ? names[s] : NULL;
}

size_t itsm_engine_problem_proposal_count(const itsm_engine *eng)
{
    return eng && pe_of(eng) ? pe_of(eng)->n : 0;
}

int itsm_engine_problem_proposal_at(itsm_problem_proposal *out, const itsm_engine *eng, size_t index)
{
    if (!eng)
        return ITSM_EINVAL;
    if (!out)
        return itsm__err_const(eng, ITSM_EINVAL, "itsm_engine_problem_proposal_at: out is NULL");
    int rc = ITSM__SIZED(eng, out, itsm_problem_proposal, decided_at);
    if (rc)
        return rc;
    const itsm__prop_eng *pe = pe_of(eng);
    if (index >= pe->n)
        return itsm__err_const(eng, ITSM_EINVAL,
                               "itsm_engine_problem_proposal_at: proposal %zu is out of range (the engine holds %zu)",
                               index, pe->n);
    const prop *p = pe->v[index];
    itsm_problem_proposal full = { sizeof full, p->rec->id, p->at, (itsm_proposal_status)p->status, p->service,
                                   p->category, p->ci, p->window, p->n, p->problem ? p->problem->id : NULL,
                                   p->reason, p->decided_at };
    itsm__sized_put(out, out->size, &full);
    return ITSM_OK;
}

const char *itsm_engine_problem_proposal_incident(const itsm_engine *eng, size_t index, size_t i)
{
    const itsm__prop_eng *pe = eng ? pe_of(eng) : NULL;
    if (!pe || index >= pe->n || i >= pe->v[index]->n)
        return NULL;
    return pe->v[index]->members[i].rec->id;
}

int itsm_record_problem_proposal(size_t *index, const itsm_record *incident)
{
    if (!incident)
        return ITSM_EINVAL;
    if (!index)
        return itsm__err_const(incident->eng, ITSM_EINVAL, "itsm_record_problem_proposal: index is NULL");
    const claim *c = claim_of(incident->eng, incident);
    if (!c)   /* an answer, not a failure: the engine's message stays */
        return ITSM_ENOTFOUND;
    *index = c->prop;
    return ITSM_OK;
}

/* ---- the capability ---- */

static const itsm__evclass *const classes[] = { &problem_proposed, &proposal_decided, NULL };

const itsm__capability itsm__cap_proposals = {
    .name = "problem_proposals",
    .engine_init = engine_init,
    .engine_free = engine_free,
    /* an incident opened on a service (one opened on none joins no
     * cluster), a resolution (resolved_at, stamped by a transition) */
    .extend_open_fields = (uint64_t)1 << ITSM_F_SERVICE,
    .extend_fields = (uint64_t)1 << ITSM_F_RESOLVED_AT,
    .extend = extend,
    .extend_idle = extend_idle,
    .extend_idle_unset = (uint64_t)1 << ITSM_F_SERVICE,   /* extend_idle's 1 for a step leaving no service */
    .watch_types = 1u << ITSM__EV_EXT,
    .reserve_own_classes = 1,
    .reserve = reserve,
    .classes = classes,
};
