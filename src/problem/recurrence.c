/* SPDX-License-Identifier: Apache-2.0 */
/* The recurrence index (problem/problem_int.h): the problems capability's
 * engine state, its hooks, and the recurrence query. */
#include "problem/problem_int.h"
#include "kit/value.h"

#include <string.h>

#define SLOT(f) (itsm__fields[f].slot)

static int engine_init(itsm_engine *eng)
{
    itsm__prb *pm = itsm__calloc(&eng->alloc, 1, sizeof *pm);
    if (!pm)
        return ITSM_ENOMEM;
    itsm__htab_init(&pm->tab, itsm__hash_seed(pm));
    eng->cap[ITSM__CAP_PROBLEMS] = pm;
    return ITSM_OK;
}

static void engine_free(itsm_engine *eng)
{
    itsm__prb *pm = itsm__prb_of(eng);
    if (!pm)
        return;
    for (size_t i = 0; i < pm->nb; i++)
        itsm__free(&eng->alloc, pm->b[i].v);
    itsm__free(&eng->alloc, pm->b);
    itsm__htab_free(&pm->tab, &eng->alloc);
    itsm__free(&eng->alloc, pm);
    eng->cap[ITSM__CAP_PROBLEMS] = NULL;
}

static uint32_t key_hash(const itsm__prb *pm, const char *s, const char *c)
{
    /* Both interned: the pointers are the keys. */
    return (uint32_t)itsm__hash_u64(pm->tab.seed, (uint64_t)(uintptr_t)s * 31u ^ (uint64_t)(uintptr_t)c);
}

itsm__rbucket *itsm__prb_bucket(itsm__prb *pm, const char *service, const char *category)
{
    itsm__hprobe it = itsm__htab_probe(&pm->tab, key_hash(pm, service, category));
    for (long pos; (pos = itsm__htab_next(&pm->tab, &it)) >= 0;) {
        itsm__rbucket *b = &pm->b[pos];
        if (b->service == service && b->category == category)
            return b;
    }
    return NULL;
}

/* The bucket for a key, created if needed, with room for `extra` more. */
static itsm__rbucket *bucket_reserve(itsm_engine *eng, itsm__prb *pm, const char *s, const char *c, size_t extra)
{
    itsm__rbucket *b = itsm__prb_bucket(pm, s, c);
    if (!b) {
        if (itsm__htab_reserve(&pm->tab, &eng->alloc, pm->nb + 1) ||
            itsm__grow(&eng->alloc, (void **)&pm->b, &pm->cb, pm->nb + 1, sizeof *pm->b))
            return NULL;
        b = &pm->b[pm->nb];
        memset(b, 0, sizeof *b);
        b->service = s;
        b->category = c;
        itsm__htab_put(&pm->tab, key_hash(pm, s, c), pm->nb);
        pm->nb++;
    }
    if (itsm__grow(&eng->alloc, (void **)&b->v, &b->cap, b->n + extra, sizeof *b->v))
        return NULL;
    return b;
}

static void bucket_remove(itsm__rbucket *b, const itsm_record *r)
{
    for (size_t i = 0; i < b->n; i++)
        if (b->v[i].rec == r) {
            memmove(&b->v[i], &b->v[i + 1], (b->n - i - 1) * sizeof *b->v);
            b->n--;
            return;
        }
}

/* Insert keeping open times sorted (stable: equal times keep arrival order). */
static void bucket_insert(itsm__rbucket *b, itsm_time at, itsm_record *r)
{
    size_t lo = 0, hi = b->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (b->v[mid].at <= at)
            lo = mid + 1;
        else
            hi = mid;
    }
    memmove(&b->v[lo + 1], &b->v[lo], (b->n - lo) * sizeof *b->v);
    b->v[lo].at = at;
    b->v[lo].rec = r;
    b->n++;
}

/* The key an event leaves the record with. */
static const char *ev_sym(const itsm_event *ev, itsm_field f)
{
    const itsm__change *c = itsm__ev_find(ev, f);
    if (c)
        return c->str;
    return ev->type == ITSM__EV_OPEN ? NULL : itsm__rec_str(ev->rec, SLOT(f));
}

/* An opening on no service (its values are its event's) is in no bucket:
 * it moves none, whatever its category. */
static int moves_key(const itsm_event *ev)
{
    return ev->rec && ev->rec->kind == ITSM_KIND_INCIDENT &&
           (itsm__ev_has(ev, ITSM_F_SERVICE) || (ev->type != ITSM__EV_OPEN && itsm__ev_has(ev, ITSM_F_CATEGORY)));
}

static int reserve(itsm_engine *eng)
{
    itsm__prb *pm = itsm__prb_of(eng);
    if (pm->stale)
        return ITSM_OK;   /* rebuilt when read */
    for (size_t i = 0; i < eng->nbatch; i++) {
        const itsm_event *ev = &eng->batch[i];
        if (!moves_key(ev))
            continue;
        const char *s = ev_sym(ev, ITSM_F_SERVICE), *c = s ? ev_sym(ev, ITSM_F_CATEGORY) : NULL;
        if (s && c && !bucket_reserve(eng, pm, s, c, eng->nbatch))
            return itsm__oom(eng);
    }
    return ITSM_OK;
}

static void before_apply(itsm_engine *eng, itsm_event *ev)
{
    itsm__prb *pm = itsm__prb_of(eng);
    if (pm->stale || !moves_key(ev))
        return;
    itsm_record *r = ev->rec;
    const char *os = NULL, *oc = NULL;
    if (ev->type != ITSM__EV_OPEN) {
        os = itsm__rec_str(r, SLOT(ITSM_F_SERVICE));
        oc = itsm__rec_str(r, SLOT(ITSM_F_CATEGORY));
    }
    const char *ns = ev_sym(ev, ITSM_F_SERVICE);
    if (ev->type == ITSM__EV_OPEN && !ns)
        return;   /* opened on no service: in no bucket, and joins none */
    const char *nc = ev_sym(ev, ITSM_F_CATEGORY);
    if (ev->type != ITSM__EV_OPEN && os == ns && oc == nc)
        return;
    if (os && oc) {
        itsm__rbucket *b = itsm__prb_bucket(pm, os, oc);
        if (b)
            bucket_remove(b, r);
    }
    if (!ns || !nc)
        return;
    const itsm__change *oa = itsm__ev_find(ev, ITSM_F_OPENED_AT);
    itsm_time at = oa ? oa->num : itsm__rec_num(r, SLOT(ITSM_F_OPENED_AT));
    itsm__rbucket *b = itsm__prb_bucket(pm, ns, nc);
    if (!b || b->n == b->cap) {   /* reserve made room: defensive only */
        pm->stale = 1;
        return;
    }
    bucket_insert(b, at, r);
}

int itsm__prb_index_ready(itsm_engine *eng)
{
    itsm__prb *pm = itsm__prb_of(eng);
    if (!pm->stale)
        return ITSM_OK;
    for (size_t i = 0; i < pm->nb; i++)
        pm->b[i].n = 0;
    for (size_t i = 0; i < eng->nrecs; i++) {
        itsm_record *r = eng->recs[i];
        const char *s = itsm__rec_str(r, SLOT(ITSM_F_SERVICE)), *c = itsm__rec_str(r, SLOT(ITSM_F_CATEGORY));
        if (r->kind != ITSM_KIND_INCIDENT || !s || !c)
            continue;
        itsm__rbucket *b = bucket_reserve(eng, pm, s, c, 1);
        if (!b)
            return itsm__oom(eng);
        bucket_insert(b, itsm__rec_num(r, SLOT(ITSM_F_OPENED_AT)), r);
    }
    pm->stale = 0;
    return ITSM_OK;
}

/* ---- the query ---- */

/* Whether problem t's fix (its resolution code the fix_applied role's)
 * came at or after `opened`: a fix has a time, resolved_at. */
static int fixed_since(const itsm_engine *eng, const itsm_record *t, itsm_time opened)
{
    const char *fixed = itsm__role_value(eng, ITSM_KIND_PROBLEM, ITSM_ROLE_FIX_APPLIED);
    const char *code = itsm__rec_str(t, SLOT(ITSM_F_RESOLUTION_CODE));
    itsm_time at = itsm__rec_num(t, SLOT(ITSM_F_RESOLVED_AT));
    return fixed && code && strcmp(code, fixed) == 0 && at != ITSM_TIME_NONE && opened <= at;
}

const itsm_record *itsm__prb_known_error_of(const itsm_engine *eng, const itsm_record *r)
{
    itsm_time opened = itsm__rec_num(r, SLOT(ITSM_F_OPENED_AT));
    for (uint32_t i = 0; i < r->x->nlinks; i++) {
        const itsm_record *t = r->x->links[i].target;
        if (r->x->links[i].kind == ITSM_LINK_RELATED && t->kind == ITSM_KIND_PROBLEM &&
            (itsm__prb_is_known_error(eng, t) || fixed_since(eng, t, opened)))
            return t;
    }
    return NULL;
}

size_t itsm__prb_first_at(const itsm__rbucket *b, itsm_time from)
{
    size_t lo = 0, hi = b->n;
    while (lo < hi) {   /* first slot with at >= from */
        size_t mid = lo + (hi - lo) / 2;
        if (b->v[mid].at < from)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* The slots in the window one by one: each is asked whether it counts
 * (its CI, whether it was canceled); a decision asks this once. */
static size_t count_in(const itsm_engine *eng, const itsm__rbucket *b, itsm_time from, itsm_time to,
                       const char *ci)
{
    size_t n = 0;
    for (size_t k = itsm__prb_first_at(b, from); k < b->n && b->v[k].at <= to; k++) {
        const itsm_record *r = b->v[k].rec;
        n += (!ci || itsm__rec_str(r, SLOT(ITSM_F_CI)) == ci) && itsm__prb_occurrence(eng, r);   /* interned */
    }
    return n;
}

int itsm__prb_recurrence(size_t *count, itsm_engine *eng, const char *s, const char *c, const char *ci,
                         itsm_time at)
{
    int rc = itsm__prb_index_ready(eng);
    if (rc)
        return rc;
    *count = 0;
    itsm__rbucket *b = itsm__prb_bucket(itsm__prb_of(eng), s, c);
    if (b) {
        itsm_time from = at - itsm__prb_policy_of(eng->policy)->recurrence_window;
        *count = count_in(eng, b, from < ITSM_TIME_MIN ? ITSM_TIME_MIN : from, at, ci);
    }
    return ITSM_OK;
}

int itsm_problem_recurrence(size_t *count, itsm_engine *eng, const char *service, const char *category,
                            itsm_time at)
{
    if (!eng)
        return ITSM_EINVAL;
    if (!count || !service || !category)
        return itsm__err(eng, ITSM_EINVAL, "count, service and category must not be NULL");
    int rc = itsm__check_time(eng, at, "recurrence time");
    if (rc)
        return rc;
    const char *s, *c;
    if ((rc = itsm__symbol_arg(eng, service, "service", &s)) || (rc = itsm__symbol_arg(eng, category, "category", &c)))
        return rc;
    return itsm__prb_recurrence(count, eng, s, c, NULL, at);
}

/* ---- the capability ---- */

int  itsm__prb_policy_new(void **sect, const itsm_allocator *a);
void itsm__prb_policy_free(void *sect, const itsm_allocator *a);
int  itsm__prb_policy_clone(void **out, const void *src, const itsm_allocator *a);
int  itsm__prb_policy_read(itsm_policy *p, const struct itsm__jval *root, itsm_parse_error *err);
void itsm__prb_policy_write(const itsm_policy *p, struct itsm__jw *w);

static const char *const policy_keys[] = { "problem_rules", NULL };

const itsm__capability itsm__cap_problems = {
    .name = "problems",
    .policy_keys = policy_keys,
    .policy_new = itsm__prb_policy_new,
    .policy_free = itsm__prb_policy_free,
    .policy_clone = itsm__prb_policy_clone,
    .policy_read = itsm__prb_policy_read,
    .policy_write = itsm__prb_policy_write,
    .engine_init = engine_init,
    .engine_free = engine_free,
    /* the index moves only when an incident opens on a key or changes it
     * (one opened on no service is in no bucket, whatever its category) */
    .watch_fields = ((uint64_t)1 << ITSM_F_SERVICE) | ((uint64_t)1 << ITSM_F_CATEGORY),
    .watch_open_fields = (uint64_t)1 << ITSM_F_SERVICE,
    .reserve = reserve,
    .before_apply = before_apply,
};
