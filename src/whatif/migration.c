/* SPDX-License-Identifier: Apache-2.0 */
/* The migration check (itsm/migration.h): the engine's open records beside
 * the same records replayed under the candidate in a scratch engine. */
#include "whatif/migration_int.h"
#include "policy/policy_int.h"
#include "kit/json.h"
#include "itsm/agreement.h"
#include "itsm/sla.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A record whose events did not all replay under the candidate: the first
 * refusal's message. Kept in scan order (seq), sorted by id afterwards. */
typedef struct refusal { char *id, *why; size_t seq; } refusal;

typedef struct mctx {
    itsm_migration *m;
    itsm_engine    *scratch;
    refusal        *ref;  size_t nref, cref;
    int             oom;
} mctx;

static int scan_emit(void *ctx, const char *json, size_t len)
{
    mctx *c = ctx;
    int rc = itsm_engine_replay(c->scratch, json, len, NULL);
    if (rc == ITSM_OK)
        return ITSM_OK;
    if (rc == ITSM_ENOMEM) {
        c->oom = 1;
        return rc;
    }
    /* Only a refused event is read twice: for the record it belongs to. */
    itsm__jdoc *doc;
    if (itsm__event_parse(&doc, json, len, &c->m->alloc, &c->scratch->limits, NULL) != ITSM_OK) {
        /* The engine read it before, so only memory can fail here; skipping
         * it would report the record's next event as its first refusal. */
        c->oom = 1;
        return ITSM_ENOMEM;
    }
    const itsm__jval *id = itsm__json_get(itsm__jdoc_root(doc), "record");
    if (id && id->type == ITSM__JSTRING) {
        if (itsm__grow(&c->m->alloc, (void **)&c->ref, &c->cref, c->nref + 1, sizeof *c->ref)) {
            rc = ITSM_ENOMEM;
        } else {
            refusal *f = &c->ref[c->nref];
            f->id = itsm__strndup(&c->m->alloc, id->u.str.s, id->u.str.len);
            f->why = itsm__strdup(&c->m->alloc, itsm_errmsg(c->scratch));
            f->seq = c->nref;
            if (f->id && f->why)
                c->nref++;
            else {
                itsm__free(&c->m->alloc, f->id);
                itsm__free(&c->m->alloc, f->why);
                rc = ITSM_ENOMEM;
            }
        }
    }
    itsm__jdoc_free(doc);
    if (rc == ITSM_ENOMEM) {
        c->oom = 1;
        return rc;
    }
    return ITSM_OK;
}

static int cmp_refusal(const void *x, const void *y)
{
    const refusal *a = x, *b = y;
    int d = strcmp(a->id, b->id);
    return d ? d : (a->seq > b->seq) - (a->seq < b->seq);
}

/* The first refusal of a record, or NULL. */
static const refusal *refused(const mctx *c, const char *id)
{
    size_t lo = 0, hi = c->nref;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(c->ref[mid].id, id) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < c->nref && strcmp(c->ref[lo].id, id) == 0 ? &c->ref[lo] : NULL;
}

static itsm_migration_finding *add(itsm_migration *m, itsm_migration_kind kind, const itsm_record *r)
{
    if (itsm__grow(&m->alloc, (void **)&m->list, &m->clist, m->nlist + 1, sizeof *m->list))
        return NULL;
    itsm_migration_finding *f = &m->list[m->nlist];
    memset(f, 0, sizeof *f);
    f->size = sizeof *f;
    f->kind = kind;
    f->record_kind = (itsm_kind)r->kind;
    f->actual_due = f->candidate_due = ITSM_TIME_NONE;
    if (!(f->record = itsm__migration_keep(m, itsm_record_id(r))) ||
        !(f->state = itsm__migration_keep(m, itsm_record_state(r))))
        return NULL;
    m->nlist++;
    m->counts[kind - 1]++;
    return f;
}

/* The allowed event `name` of a record, or -1. */
static long allowed_index(const itsm_record *r, const char *name, itsm_allowed_event *out)
{
    size_t n = itsm_record_allowed_count(r);
    for (size_t i = 0; i < n; i++) {
        out->size = sizeof *out;
        if (itsm_record_allowed_at(r, i, out) == ITSM_OK && strcmp(out->event, name) == 0)
            return (long)i;
    }
    return -1;
}

static int transitions(itsm_migration *m, const itsm_record *ra, const itsm_record *rb)
{
    size_t n = itsm_record_allowed_count(ra);
    for (size_t i = 0; i < n; i++) {
        itsm_allowed_event a = { .size = sizeof a }, b;
        if (itsm_record_allowed_at(ra, i, &a) != ITSM_OK || a.nmissing)
            continue;   /* it cannot fire now anyway */
        long k = allowed_index(rb, a.event, &b);
        if (k >= 0 && !b.nmissing)
            continue;
        itsm_migration_finding *f =
            add(m, k < 0 ? ITSM_MIGRATION_TRANSITION_REMOVED : ITSM_MIGRATION_GUARD_FAILS, ra);
        if (!f || !(f->event = itsm__migration_keep(m, a.event)))
            return ITSM_ENOMEM;
        if (k < 0)
            continue;
        char why[512] = "";
        for (size_t t = 0; t < b.nmissing; t++) {
            itsm_guard_need need = { .size = sizeof need };
            if (itsm_record_allowed_need_at(rb, (size_t)k, t, &need) == ITSM_OK)
                snprintf(why + strlen(why), sizeof why - strlen(why), "%s%s", t ? ", " : "", need.term);
        }
        if (!(f->detail = itsm__migration_keep(m, why)))
            return ITSM_ENOMEM;
    }
    return ITSM_OK;
}

static int sla_change(itsm_migration *m, const itsm_record *r, itsm_migration_kind kind, const char *name, int agr)
{
    itsm_migration_finding *f = add(m, kind, r);
    if (!f || !(f->name = itsm__migration_keep(m, name)))
        return ITSM_ENOMEM;
    f->agreement = agr;
    return ITSM_OK;
}

static int applies(itsm_agreement_status s)
{
    return s != ITSM_AGREEMENT_NONE && s != ITSM_AGREEMENT_CANCELLED;
}

/* A clock of both sides: its target, due time and whether it runs. */
typedef struct clk { const char *name; uint32_t target; itsm_time due; int live; } clk;

static clk timer_of(const itsm_record *r, itsm_timer t, itsm_time now)
{
    clk c = { itsm_record_sla(r), 0, ITSM_TIME_NONE, 0 };
    itsm_timer_info in = { .size = sizeof in };
    if (itsm_record_timer(&in, r, t, now) != ITSM_OK || !in.target)
        return c;
    c.target = in.target;
    c.due = in.due;
    c.live = in.status == ITSM_TIMER_RUNNING || in.status == ITSM_TIMER_PAUSED;
    return c;
}

static clk agreement_of(const itsm_record *r, const char *name, itsm_time now, itsm_agreement_status *st)
{
    clk c = { name, 0, ITSM_TIME_NONE, 0 };
    itsm_agreement_info in = { .size = sizeof in };
    *st = ITSM_AGREEMENT_NONE;
    if (itsm_record_agreement(&in, r, name, now) != ITSM_OK)
        return c;
    *st = in.status;
    c.target = in.target;
    c.due = in.due;
    c.live = in.target && (in.status == ITSM_AGREEMENT_RUNNING || in.status == ITSM_AGREEMENT_PAUSED);
    return c;
}

static int timer_change(itsm_migration *m, const itsm_record *r, itsm_whatif_clock clock, int agr, clk a, clk b)
{
    if (!a.live && !b.live)
        return ITSM_OK;   /* stopped, or not started on either side: nothing moves */
    if (a.target == b.target && a.due == b.due)
        return ITSM_OK;
    itsm_migration_finding *f = add(m, ITSM_MIGRATION_TIMER_MOVES, r);
    if (!f || !(f->name = itsm__migration_keep(m, b.name ? b.name : a.name)))
        return ITSM_ENOMEM;
    f->agreement = agr;
    f->clock = clock;
    f->actual_target = a.target;
    f->candidate_target = b.target;
    f->actual_due = a.due;
    f->candidate_due = b.due;
    f->delta = a.due != ITSM_TIME_NONE && b.due != ITSM_TIME_NONE ? b.due - a.due : 0;
    return ITSM_OK;
}

static int service_levels(itsm_migration *m, const itsm_record *ra, const itsm_record *rb, const char *const *agrs,
                          size_t nagrs, itsm_time now)
{
    int rc = ITSM_OK;
    const char *sa = itsm_record_sla(ra), *sb = itsm_record_sla(rb);
    if (!(sa == sb || (sa && sb && strcmp(sa, sb) == 0))) {
        if (sa)
            rc = sla_change(m, ra, ITSM_MIGRATION_SLA_STOPS, sa, 0);
        if (!rc && sb)
            rc = sla_change(m, ra, ITSM_MIGRATION_SLA_STARTS, sb, 0);
    }
    itsm_agreement_status st[2];
    for (size_t k = 0; k < nagrs && !rc; k++) {
        agreement_of(ra, agrs[k], now, &st[0]);
        agreement_of(rb, agrs[k], now, &st[1]);
        if (applies(st[0]) != applies(st[1]))
            rc = sla_change(m, ra, applies(st[0]) ? ITSM_MIGRATION_SLA_STOPS : ITSM_MIGRATION_SLA_STARTS, agrs[k], 1);
    }
    if (!rc)
        rc = timer_change(m, ra, ITSM_WHATIF_RESPONSE, 0, timer_of(ra, ITSM_TIMER_RESPONSE, now),
                          timer_of(rb, ITSM_TIMER_RESPONSE, now));
    if (!rc)
        rc = timer_change(m, ra, ITSM_WHATIF_RESOLUTION, 0, timer_of(ra, ITSM_TIMER_RESOLUTION, now),
                          timer_of(rb, ITSM_TIMER_RESOLUTION, now));
    for (size_t k = 0; k < nagrs && !rc; k++)
        rc = timer_change(m, ra, ITSM_WHATIF_AGREEMENT, 1, agreement_of(ra, agrs[k], now, &st[0]),
                          agreement_of(rb, agrs[k], now, &st[1]));
    return rc;
}

static int check_record(itsm_migration *m, const mctx *c, const itsm_record *ra, const char *const *agrs,
                        size_t nagrs)
{
    const itsm__lifecycle *lb = itsm__lifecycle_of(c->scratch, ra->kind);
    if (itsm__lc_state(lb, itsm_record_state(ra)) < 0)
        return add(m, ITSM_MIGRATION_STATE_REMOVED, ra) ? ITSM_OK : ITSM_ENOMEM;
    const refusal *why = refused(c, itsm_record_id(ra));
    const itsm_record *rb = itsm__find(c->scratch, itsm_record_id(ra), strlen(itsm_record_id(ra)));
    if (why || !rb) {
        itsm_migration_finding *f = add(m, ITSM_MIGRATION_NOT_REPLAYED, ra);
        if (!f || !(f->detail = itsm__migration_keep(m, why ? why->why : "the store holds none of its events")))
            return ITSM_ENOMEM;
        return ITSM_OK;
    }
    int rc = transitions(m, ra, rb);
    if (!rc)
        rc = service_levels(m, ra, rb, agrs, nagrs, m->now);
    return rc;
}

/* The agreements of either policy, by name (borrowed from the policies). */
static const char **agreement_names(const itsm_allocator *a, const itsm_policy *pa, const itsm_policy *pb, size_t *n)
{
    size_t na = itsm_policy_agreement_count(pa), nb = itsm_policy_agreement_count(pb);
    const char **names = itsm__calloc(a, na + nb + 1, sizeof *names);
    *n = 0;
    for (size_t i = 0; names && i < na + nb; i++) {
        const char *s = i < na ? itsm_policy_agreement_name(pa, i) : itsm_policy_agreement_name(pb, i - na);
        int dup = 0;
        for (size_t k = 0; k < *n && !dup; k++)
            dup = strcmp(names[k], s) == 0;
        if (!dup)
            names[(*n)++] = s;
    }
    return names;
}

static int run(itsm_migration *m, itsm_engine *eng, mctx *c)
{
    eng->in_callback = 1;   /* the store may not call the engine while it scans */
    int rc = eng->store.scan(eng->store_user, scan_emit, c);
    eng->in_callback = 0;
    if (c->oom)
        return itsm__oom(eng);
    if (rc != ITSM_OK)
        return itsm__err(eng, rc, "the store's scan failed (%s)", itsm_errname(rc));
    if (c->nref)
        qsort(c->ref, c->nref, sizeof *c->ref, cmp_refusal);
    size_t nagrs;
    const char **agrs = agreement_names(&m->alloc, eng->policy, c->scratch->policy, &nagrs);
    if (!agrs)
        return itsm__oom(eng);
    for (size_t i = 0; i < eng->nrecs && rc == ITSM_OK; i++) {
        const itsm_record *r = eng->recs[i];
        if (itsm__lc_is_closed(itsm__lifecycle_of(eng, r->kind), r->state))
            continue;
        m->records++;
        rc = check_record(m, c, r, agrs, nagrs);
    }
    itsm__free(&m->alloc, (void *)agrs);
    return rc == ITSM_OK ? ITSM_OK : itsm__oom(eng);
}

int itsm_engine_migration_check(itsm_migration **out, itsm_engine *eng, const itsm_policy *candidate)
{
    if (out)
        *out = NULL;
    if (!eng)
        return ITSM_EINVAL;
    int rc = itsm__check_entry(eng);
    if (rc)
        return rc;
    if (!out || !candidate)
        return itsm__err(eng, ITSM_EINVAL, "itsm_engine_migration_check: %s is NULL", !out ? "out" : "candidate");
    if (!eng->has_store || !eng->store.scan)
        return itsm__err(eng, ITSM_EINVAL,
                         "itsm_engine_migration_check: the engine's store has no scan callback to read its events from");
    itsm_time now;
    if ((rc = itsm__now(eng, &now)) != ITSM_OK)
        return rc;
    itsm_migration *m = itsm__calloc(&eng->alloc, 1, sizeof *m);
    if (!m)
        return itsm__oom(eng);
    m->alloc = eng->alloc;
    m->now = now;
    mctx c;
    memset(&c, 0, sizeof c);
    c.m = m;
    char why[ITSM__ERRMSG];
    if ((rc = itsm__whatif_scratch(&c.scratch, candidate, &eng->alloc, &eng->limits, &m->now, why, sizeof why)) !=
        ITSM_OK)
        itsm__err(eng, rc, "candidate policy: %s", why);
    else
        rc = run(m, eng, &c);
    for (size_t i = 0; i < c.nref; i++) {
        itsm__free(&m->alloc, c.ref[i].id);
        itsm__free(&m->alloc, c.ref[i].why);
    }
    itsm__free(&m->alloc, c.ref);
    itsm_engine_free(c.scratch);
    if (rc != ITSM_OK) {
        itsm_migration_free(m);
        return rc;
    }
    *out = m;
    return ITSM_OK;
}
