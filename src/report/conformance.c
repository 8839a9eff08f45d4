/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The conformance report (include/itsm/conformance.h): moves checked
 * against a reference policy as they are fed, from stored events (read back
 * through src/history.c) or from a host's observations.
 *
 * Each (kind, from, to) is one entry whose deviation class and detour are
 * worked out once, when first seen not allowed; each record keeps only its
 * state and the fields the reference's guards read.
 */
#include "report/conformance_int.h"
#include "kit/alloc.h"
#include "core/fields.h"
#include "itsm/errors.h"
#include "core/abi.h"
#include "kit/opts.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
static int fail(itsm_conformance *c, int rc, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->errmsg, sizeof c->errmsg, fmt, ap);
    va_end(ap);
    return rc;
}

static int oom(itsm_conformance *c) { return fail(c, ITSM_ENOMEM, "out of memory"); }

const char *itsm_conformance_errmsg(const itsm_conformance *c) { return c ? c->errmsg : ""; }

const char *itsm_deviation_name(itsm_deviation d)
{
    static const char *const names[] = { "none", "guard", "skip", "unforeseen", "unknown_state" };
    return (unsigned)d <= ITSM_DEVIATION_UNKNOWN_STATE ? names[d] : NULL;
}

ITSM__DEFINE_INIT(itsm_observed_move_init, itsm_observed_move, ITSM_OBSERVED_MOVE_VERSION,
                  ITSM_OBSERVED_MOVE_INIT)

static const itsm__lifecycle *lc_of(const itsm_conformance *c, itsm_kind kind)
{
    return (int)kind >= 1 && (int)kind <= ITSM_KIND_COUNT ? &c->pol->lc[kind] : NULL;
}

/* ---- lifetime ---- */

int itsm_conformance_new(itsm_conformance **out, const itsm_policy *policy, const itsm_allocator *alloc)
{
    if (out)
        *out = NULL;
    itsm_allocator a;
    if (!out || !policy || itsm__alloc_resolve(&a, alloc))
        return ITSM_EINVAL;
    itsm_conformance *c = itsm__calloc(&a, 1, sizeof *c);
    if (!c)
        return ITSM_ENOMEM;
    c->alloc = a;
    itsm__strmap_init(&c->names, &a);
    itsm__strmap_init(&c->recmap, &a);
    itsm__strmap_init(&c->movemap, &a);
    int rc = itsm__policy_clone(&c->pol, policy, &a);
    size_t n = 0;
    for (int k = 1; !rc && k <= ITSM_KIND_COUNT; k++)
        n += c->pol->lc[k].ntrans;
    if (!rc && n && !(c->rules = itsm__calloc(&a, n, sizeof *c->rules)))
        rc = ITSM_ENOMEM;
    for (int f = 0; f < ITSM_F__COUNT; f++)
        c->eq_slot[f] = -1;
    for (int k = 1; !rc && k <= ITSM_KIND_COUNT; k++) {
        const itsm__lifecycle *lc = &c->pol->lc[k];
        c->rule0[k] = c->nrules;
        for (size_t t = 0; t < lc->ntrans; t++) {
            c->rules[c->nrules++] = (itsm__crule){ (itsm_kind)k, t, 0, 0 };
            for (size_t i = 0; i < lc->trans[t].nterms; i++) {
                const itsm__gterm *g = &lc->trans[t].terms[i];
                if (g->op == ITSM__G_EQ && !itsm__field_custom((int)g->fields[0]) && c->eq_slot[g->fields[0]] < 0)
                    c->eq_slot[g->fields[0]] = (int)c->neq++;
            }
        }
    }
    c->rule0[ITSM_KIND_COUNT + 1] = c->nrules;
    if (rc) {
        itsm_conformance_free(c);
        return rc == ITSM_ENOMEM ? ITSM_ENOMEM : ITSM_EINVAL;
    }
    c->sum.size = sizeof c->sum;
    c->sum.fitness = 1;
    *out = c;
    return ITSM_OK;
}

void itsm_conformance_free(itsm_conformance *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->nrec; i++)
        itsm__free(&c->alloc, c->rec[i].eq);
    itsm__free(&c->alloc, c->rec);
    itsm__free(&c->alloc, c->moves);
    itsm__free(&c->alloc, c->rules);
    itsm__strmap_free(&c->names);
    itsm__strmap_free(&c->recmap);
    itsm__strmap_free(&c->movemap);
    itsm_policy_free(c->pol);
    itsm_allocator a = c->alloc;
    itsm__free(&a, c);
}

/* ---- names and records ---- */

static const char *intern(itsm_conformance *c, const char *s, size_t n)
{
    const char *stored = itsm__strmap_key(&c->names, s, n);
    if (stored || itsm__strmap_put(&c->names, s, n, 0, &stored))
        return stored;
    return stored;
}

/* The record of `kind` and id, made on first sight; NULL when out of memory. */
static itsm__crec *record(itsm_conformance *c, itsm_kind kind, const char *id, size_t n)
{
    char key[80];
    if (n > 64)
        return NULL;
    int kl = snprintf(key, sizeof key, "%d:", (int)kind);
    memcpy(key + kl, id, n);
    size_t klen = (size_t)kl + n, idx;
    if (itsm__strmap_get(&c->recmap, key, klen, &idx))
        return &c->rec[idx];
    void *items = c->rec;
    int rc = itsm__grow(&c->alloc, &items, &c->crec, c->nrec + 1, sizeof *c->rec);
    c->rec = items;
    if (rc)
        return NULL;
    itsm__crec *r = &c->rec[c->nrec];
    memset(r, 0, sizeof *r);
    r->kind = (unsigned char)kind;
    if (c->neq && !(r->eq = itsm__calloc(&c->alloc, c->neq, sizeof *r->eq)))
        return NULL;
    if (itsm__strmap_put(&c->recmap, key, klen, c->nrec, NULL)) {
        itsm__free(&c->alloc, r->eq);
        return NULL;
    }
    c->nrec++;
    c->sum.records = c->nrec;
    return r;
}

/* ---- guards: on what the report knows of a record, or on a live record ---- */

typedef struct view { itsm_conformance *c; const itsm__crec *cr; const itsm_record *live; } view;

static int v_has(const view *v, itsm_field f)
{
    if (v->live)
        return itsm_record_has(v->live, f);
    if (itsm__field_custom((int)f))
        return 1;   /* stored events' custom values are not followed: the benefit of the doubt */
    return (int)((v->cr->has >> f) & 1u);
}

static int v_link(const view *v, itsm_kind k)
{
    if (v->live) {
        itsm_link l;
        for (size_t i = 0; i < itsm_record_link_count(v->live); i++)
            if (!itsm_record_link_at(v->live, i, &l) && l.kind == ITSM_LINK_RELATED && l.target_kind == k)
                return 1;
        return 0;
    }
    return (int)((v->cr->links >> (unsigned)k) & 1u);
}

static int term_holds(const view *v, const itsm__gterm *g)
{
    switch (g->op) {
    case ITSM__G_SET:
        return v_has(v, g->fields[0]);
    case ITSM__G_ANY:
        for (unsigned f = 0; f < g->nfields; f++)
            if (v_has(v, g->fields[f]))
                return 1;
        return 0;
    case ITSM__G_EQ:
        if (!v->live && itsm__field_custom((int)g->fields[0]))
            return 1;   /* as v_has */
        if (g->value) {
            const char *s;
            if (v->live)
                s = itsm_record_str(v->live, g->fields[0]);
            else
                s = (const char *)(uintptr_t)v->cr->eq[v->c->eq_slot[g->fields[0]]];
            return s && !strcmp(s, g->value);
        }
        if (v->live)
            return itsm_record_int(v->live, g->fields[0]) == g->num;
        return v->cr->eq[v->c->eq_slot[g->fields[0]]] == g->num;
    case ITSM__G_LINK:
        return v_link(v, g->link_kind);
    case ITSM__G_KIND:
        return 1;   /* a capability's guard (approvals, gate, ...): given the benefit of the doubt */
    }
    return 0;
}

static int guard_holds(const view *v, const itsm__transition *t)
{
    if (!v->cr && !v->live)
        return 1;   /* fields unknown: the rule is given the benefit of the doubt */
    for (size_t i = 0; i < t->nterms; i++)
        if (!term_holds(v, &t->terms[i]))
            return 0;
    return 1;
}

/* ---- moves ---- */

/* The states strictly between `from` and `to` on a shortest way through
 * the lifecycle's transitions ('*' from open states), space-separated, into
 * buf. from < 0: the way starts at the initial state, which is included.
 * 1 when there is a way. */
static int detour(const itsm__lifecycle *lc, int from, int to, char *buf, size_t cap)
{
    int prev[ITSM__MAX_STATES + 1], queue[ITSM__MAX_STATES + 1];
    size_t ns = lc->nstates, head = 0, tail = 0;
    int start = from < 0 ? itsm__lc_initial(lc) : from;
    if (start < 0)
        return 0;
    for (size_t i = 0; i < ns; i++)
        prev[i] = -2;
    prev[start] = -1;
    queue[tail++] = start;
    while (head < tail && prev[to] == -2) {
        int s = queue[head++];
        for (size_t t = 0; t < lc->ntrans; t++) {
            const itsm__transition *tr = &lc->trans[t];
            int fits = tr->from == s || (tr->from == ITSM__ANY_OPEN && !itsm__lc_is_closed(lc, s));
            if (fits && prev[tr->to] == -2) {
                prev[tr->to] = s;
                queue[tail++] = tr->to;
            }
        }
    }
    if (prev[to] == -2 && to != start)
        return 0;
    /* walk back from `to`, then write the inner states in order */
    int path[ITSM__MAX_STATES + 1];
    size_t np = 0;
    for (int s = prev[to]; s >= 0 && (s != start || from < 0); s = prev[s]) {
        path[np++] = s;
        if (s == start)
            break;
    }
    size_t off = 0;
    buf[0] = '\0';
    while (np-- > 0 && off < cap) {
        int w = snprintf(buf + off, cap - off, "%s%s", off ? " " : "", lc->states[path[np]]);
        off += w > 0 ? (size_t)w : 0;
    }
    return 1;
}

static itsm__cmove *move_entry(itsm_conformance *c, itsm_kind kind, const char *from, const char *to)
{
    char key[160];
    int kl = snprintf(key, sizeof key, "%d\n%s\n%s", (int)kind, from ? from : "", to);
    if (kl < 0 || (size_t)kl >= sizeof key)
        return NULL;
    size_t idx;
    if (itsm__strmap_get(&c->movemap, key, (size_t)kl, &idx))
        return &c->moves[idx];
    const char *f = from ? intern(c, from, strlen(from)) : NULL, *t = intern(c, to, strlen(to));
    if ((from && !f) || !t)
        return NULL;
    void *items = c->moves;
    int rc = itsm__grow(&c->alloc, &items, &c->cmoves, c->nmoves + 1, sizeof *c->moves);
    c->moves = items;
    if (rc || itsm__strmap_put(&c->movemap, key, (size_t)kl, c->nmoves, NULL))
        return NULL;
    itsm__cmove *m = &c->moves[c->nmoves++];
    memset(m, 0, sizeof *m);
    m->m.size = sizeof m->m;
    m->m.kind = kind;
    m->m.from = f;
    m->m.to = t;
    return m;
}

/* Check one move and count it. `v` says which fields the guards read. */
static int check_move(itsm_conformance *c, itsm__crec *r, itsm_kind kind, const char *from, const char *to,
                      const char *event, int refused, const view *v)
{
    itsm__cmove *e = move_entry(c, kind, from, to);
    if (!e)
        return oom(c);
    const itsm__lifecycle *lc = lc_of(c, kind);
    int fi = from ? itsm__lc_state(lc, from) : -1, ti = itsm__lc_state(lc, to);
    itsm_deviation d = ITSM_DEVIATION_NONE;
    if ((from && fi < 0) || ti < 0) {
        d = ITSM_DEVIATION_UNKNOWN_STATE;
    } else if (!from) {
        if (ti != itsm__lc_initial(lc))
            d = ITSM_DEVIATION_SKIP;   /* opened past its initial state */
    } else {
        /* the transitions that fit: named event first, exact from before '*' */
        int ev = event ? itsm__lc_event(lc, event) : -1;
        const itsm__transition *first = NULL, *ok = NULL;
        for (int pass = 0; pass < 3 && !ok; pass++)
            for (size_t t = 0; t < lc->ntrans && !ok; t++) {
                const itsm__transition *tr = &lc->trans[t];
                int exact = tr->from == fi, any = tr->from == ITSM__ANY_OPEN && !itsm__lc_is_closed(lc, fi);
                if (tr->to != ti || !(exact || any))
                    continue;
                if ((pass == 0 && tr->event != ev) || (pass == 1 && (tr->event == ev || !exact)) ||
                    (pass == 2 && (tr->event == ev || exact)))
                    continue;
                if (!first)
                    first = tr;
                if (guard_holds(v, tr))
                    ok = tr;
            }
        if (ok) {
            c->rules[c->rule0[kind] + (size_t)(ok - lc->trans)].used++;
        } else if (first) {
            d = ITSM_DEVIATION_GUARD;
            c->rules[c->rule0[kind] + (size_t)(first - lc->trans)].guard_failed++;
        } else if (fi == ti) {
            d = ITSM_DEVIATION_UNFORESEEN;   /* a step to where it is, which no rule takes */
        } else {
            if (!e->classified) {
                char way[256];
                e->classified = 1;
                if (detour(lc, fi, ti, way, sizeof way) && !(e->m.skipped = intern(c, way, strlen(way))))
                    return oom(c);
            }
            d = e->m.skipped ? ITSM_DEVIATION_SKIP : ITSM_DEVIATION_UNFORESEEN;
        }
    }
    if (!from && d == ITSM_DEVIATION_SKIP) {
        if (!e->classified) {
            char way[256];
            e->classified = 1;
            if (detour(lc, -1, ti, way, sizeof way) && !(e->m.skipped = intern(c, way, strlen(way))))
                return oom(c);
        }
        if (!e->m.skipped)
            d = ITSM_DEVIATION_UNFORESEEN;
    }
    e->m.count++;
    e->m.refused += (size_t)(refused != 0);
    if (d == ITSM_DEVIATION_NONE)
        e->m.allowed++;
    if (d == ITSM_DEVIATION_GUARD)
        e->m.guard_failed++;
    if (d > e->m.deviation)
        e->m.deviation = d;
    e->m.fitness = (double)e->m.allowed / (double)e->m.count;
    c->sum.moves++;
    c->sum.allowed += d == ITSM_DEVIATION_NONE;
    c->sum.guard_failed += d == ITSM_DEVIATION_GUARD;
    c->sum.refused += (size_t)(refused != 0);
    c->sum.fitness = (double)c->sum.allowed / (double)c->sum.moves;
    if (d != ITSM_DEVIATION_NONE && !r->deviated) {
        r->deviated = 1;
        c->sum.deviating_records++;
    }
    if ((d == ITSM_DEVIATION_SKIP || d == ITSM_DEVIATION_GUARD) && !r->bypassed) {
        r->bypassed = 1;
        c->sum.bypass_records++;
    }
    if (!refused)
        r->state = e->m.to;
    else if (!r->state && from)
        r->state = e->m.from;
    return ITSM_OK;
}

/* ---- stored events ---- */

/* What a "set" object says about the fields the guards read. */
static int apply_set(itsm_conformance *c, itsm__crec *r, const itsm__jval *set)
{
    if (!set)
        return ITSM_OK;
    for (size_t i = 0; i < set->u.obj.n; i++) {
        const itsm__jmember *m = &set->u.obj.members[i];
        int f = itsm__field_lookup(m->key, m->klen);
        if (f < 0)
            continue;   /* a field this build does not know: no guard reads it */
        const itsm__jval *v = &m->val;
        uint64_t bit = (uint64_t)1 << f;
        int has = v->type == ITSM__JSTRING || v->type == ITSM__JNUMBER || v->type == ITSM__JTRUE;
        r->has = has ? r->has | bit : r->has & ~bit;
        int slot = c->eq_slot[f];
        if (slot < 0)
            continue;
        if (v->type == ITSM__JSTRING) {
            const char *s = intern(c, v->u.str.s, v->u.str.len);
            if (!s)
                return ITSM_ENOMEM;
            r->eq[slot] = (int64_t)(uintptr_t)s;
        } else if (v->type == ITSM__JNUMBER) {
            r->eq[slot] = v->u.num.i;
        } else {
            r->eq[slot] = v->type == ITSM__JTRUE;
        }
    }
    return ITSM_OK;
}

int itsm_conformance_add_json(itsm_conformance *c, const char *json, size_t len, itsm_parse_error *err)
{
    if (!c || !json)
        return ITSM_EINVAL;
    itsm__jdoc *doc;
    itsm__hev ev;
    itsm_parse_error e;
    int rc = itsm__hev_read(&doc, &ev, json, len, &c->alloc, NULL, err ? err : &e);
    if (rc) {
        const itsm_parse_error *pe = err ? err : &e;
        return rc == ITSM_ENOMEM ? oom(c)
                                 : fail(c, rc, "event: %s (line %zu, column %zu)", pe->text, pe->line, pe->column);
    }
    if (ev.type == ITSM__H_POLICY) {   /* a policy version's document: no record's step */
        itsm__jdoc_free(doc);
        return ITSM_OK;
    }
    /* A state name longer than any policy's (63 bytes) names no state:
     * refused as the document it came in, not counted as a move. */
    if ((ev.state && strlen(ev.state) > 63) || (ev.from && strlen(ev.from) > 63) || (ev.to && strlen(ev.to) > 63)) {
        itsm__jdoc_free(doc);
        return fail(c, ITSM_EPARSE, "event: a state name is at most 63 bytes");
    }
    itsm__crec *r = record(c, ev.kind, ev.record, ev.nrecord);
    view v = { c, r, NULL };
    if (!r)
        rc = ev.nrecord > 64 ? fail(c, ITSM_EPARSE, "event: record id longer than 64 bytes") : oom(c);
    else if (apply_set(c, r, ev.set))
        rc = oom(c);
    else if (ev.type == ITSM__H_OPEN)
        rc = check_move(c, r, ev.kind, NULL, ev.state, NULL, 0, &v);
    else if (ev.type == ITSM__H_TRANSITION)
        rc = check_move(c, r, ev.kind, ev.from, ev.to, ev.event, 0, &v);
    else if (ev.type == ITSM__H_LINK && ev.link_kind == ITSM_LINK_RELATED)
        r->links |= 1u << (unsigned)ev.link_target_kind;
    itsm__jdoc_free(doc);
    return rc;
}

int itsm_conformance_add_event(itsm_conformance *c, const itsm_event *ev)
{
    if (!c || !ev)
        return ITSM_EINVAL;
    char small[2048];
    size_t len;
    int rc = itsm_event_to_json(ev, small, sizeof small, &len);
    if (rc == ITSM_OK)
        return itsm_conformance_add_json(c, small, len, NULL);
    if (rc != ITSM_ELIMIT)
        return fail(c, rc, "event: cannot write its JSON form");
    if (len > ITSM_MAX_TEXT + 65536)
        return fail(c, ITSM_ELIMIT, "event: its JSON form is %zu bytes", len);
    char *big = itsm__malloc(&c->alloc, len + 1);
    if (!big)
        return oom(c);
    rc = itsm_event_to_json(ev, big, len + 1, &len);
    if (rc == ITSM_OK)
        rc = itsm_conformance_add_json(c, big, len, NULL);
    itsm__free(&c->alloc, big);
    return rc;
}

typedef struct scanctx { itsm_conformance *c; size_t n; } scanctx;

static int scan_emit(void *ctx, const char *json, size_t len)
{
    scanctx *s = ctx;
    s->n++;
    int rc = itsm_conformance_add_json(s->c, json, len, NULL);
    if (rc && rc != ITSM_ENOMEM) {
        /* name the event: "stored event N: <the reason>" */
        char head[40];
        int hn = snprintf(head, sizeof head, "stored event %zu: ", s->n);
        size_t keep = sizeof s->c->errmsg - (size_t)hn - 1;
        memmove(s->c->errmsg + hn, s->c->errmsg, keep);
        s->c->errmsg[sizeof s->c->errmsg - 1] = '\0';
        memcpy(s->c->errmsg, head, (size_t)hn);
    }
    return rc;
}

int itsm_conformance_scan(itsm_conformance *c, const itsm_store *store, void *store_user)
{
    if (!c)
        return ITSM_EINVAL;
    if (!store || !store->scan)
        return fail(c, ITSM_EINVAL, "scan: %s", store ? "the store has no scan" : "store is NULL");
    scanctx s = { c, 0 };
    c->errmsg[0] = '\0';
    int rc = store->scan(store_user, scan_emit, &s);
    if (rc && !c->errmsg[0])
        fail(c, rc, "scan: the store's scan failed (%s)", itsm_errname(rc));
    return rc;
}

/* ---- observations ---- */

static int name_ok(const char *s)
{
    size_t n = 0;
    for (; s[n]; n++)
        if (!((s[n] >= 'a' && s[n] <= 'z') || (s[n] >= '0' && s[n] <= '9') || s[n] == '_') || n >= 63)
            return 0;
    return n > 0;
}

int itsm_conformance_observe(itsm_conformance *c, const itsm_observed_move *m)
{
    if (!c)
        return ITSM_EINVAL;
    if (!m)
        return fail(c, ITSM_EINVAL, "observe: move is NULL");
    char vmsg[192];   /* a newer version names both (common.h) */
    if (itsm__version_check((long)m->version, ITSM_OBSERVED_MOVE_VERSION, "observed move", vmsg, sizeof vmsg))
        return fail(c, ITSM_EINVAL, "%s", vmsg);
    if ((int)m->kind < 1 || (int)m->kind > ITSM_KIND_COUNT)
        return fail(c, ITSM_EINVAL, "observe: unknown kind %d", (int)m->kind);
    size_t idn = m->record ? strlen(m->record) : 0;
    if (idn == 0 || idn > 64)
        return fail(c, ITSM_EINVAL, "observe: the record id must be 1..64 bytes");
    if (!m->to || !name_ok(m->to) || (m->from && !name_ok(m->from)) || (m->event && !name_ok(m->event)))
        return fail(c, ITSM_EINVAL, "observe: states and events are 1..63 bytes of [a-z0-9_]");
    itsm__crec *r = record(c, m->kind, m->record, idn);
    if (!r)
        return oom(c);
    view v = { c, NULL, m->fields };
    return check_move(c, r, m->kind, m->from, m->to, m->event, m->refused, &v);
}

/* ---- reading ---- */

/* A caller's result struct must be one this library can fill (common.h).
 * The reason goes to the report's message, as for the engine's reading
 * calls on a const engine (the report itself is never const memory). */
#define SIZED(c, out, type, first_last) \
    ITSM__SIZED_MSG(out, type, first_last, (char *)(uintptr_t)(c)->errmsg, sizeof (c)->errmsg)

int itsm_conformance_summary_of(itsm_conformance_summary *out, const itsm_conformance *c)
{
    if (!out || !c)
        return ITSM_EINVAL;
    if (SIZED(c, out, itsm_conformance_summary, bypass_records))
        return ITSM_EINVAL;
    itsm__sized_put(out, out->size, &c->sum);
    return ITSM_OK;
}

size_t itsm_conformance_move_count(const itsm_conformance *c) { return c ? c->nmoves : 0; }

/* An index at or past a list's end: the report's message names the reader
 * (as the engine's indexed readers do, README "Errors"). */
static int out_of_range(const itsm_conformance *c, const char *reader, size_t i, size_t n)
{
    return fail((itsm_conformance *)(uintptr_t)c, ITSM_EINVAL, "%s: index %zu is out of range (the report has %zu)",
                reader, i, n);
}

int itsm_conformance_move_at(const itsm_conformance *c, size_t i, itsm_conformance_move *out)
{
    if (!c || !out)
        return ITSM_EINVAL;
    if (i >= c->nmoves)
        return out_of_range(c, "itsm_conformance_move_at", i, c->nmoves);
    if (SIZED(c, out, itsm_conformance_move, skipped))
        return ITSM_EINVAL;
    itsm__sized_put(out, out->size, &c->moves[i].m);
    return ITSM_OK;
}

size_t itsm_conformance_rule_count(const itsm_conformance *c) { return c ? c->nrules : 0; }

int itsm_conformance_rule_at(const itsm_conformance *c, size_t i, itsm_conformance_rule *out)
{
    if (!c || !out)
        return ITSM_EINVAL;
    if (i >= c->nrules)
        return out_of_range(c, "itsm_conformance_rule_at", i, c->nrules);
    if (SIZED(c, out, itsm_conformance_rule, agreement))
        return ITSM_EINVAL;
    const itsm__crule *r = &c->rules[i];
    const itsm__lifecycle *lc = lc_of(c, r->kind);
    const itsm__transition *t = &lc->trans[r->t];
    itsm_conformance_rule full;
    full.size = sizeof full;
    full.kind = r->kind;
    full.from = t->from == ITSM__ANY_OPEN ? "*" : lc->states[t->from];
    full.event = lc->events[t->event];
    full.to = lc->states[t->to];
    full.guard = t->guard_text ? t->guard_text : "";
    full.used = r->used;
    full.guard_failed = r->guard_failed;
    full.agreement = r->used + r->guard_failed ? (double)r->used / (double)(r->used + r->guard_failed) : 1.0;
    itsm__sized_put(out, out->size, &full);
    return ITSM_OK;
}

size_t itsm_conformance_state_count(const itsm_conformance *c, itsm_kind kind)
{
    const itsm__lifecycle *lc = c ? lc_of(c, kind) : NULL;
    return lc ? lc->nstates : 0;
}

int itsm_conformance_state_at(const itsm_conformance *c, itsm_kind kind, size_t i, const char **name,
                              unsigned *flags)
{
    const itsm__lifecycle *lc = c ? lc_of(c, kind) : NULL;
    if (!lc || !name)
        return ITSM_EINVAL;
    if (i >= lc->nstates)
        return out_of_range(c, "itsm_conformance_state_at", i, lc->nstates);
    *name = lc->states[i];
    if (flags)
        *flags = lc->state_flags[i];
    return ITSM_OK;
}
