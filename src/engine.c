/* SPDX-License-Identifier: Apache-2.0 */
/* The engine: creation, errors, the id index, symbol interning, the batch. */
#include "engine_int.h"
#include "abi.h"
#include "json.h"
#include "pm.h"
#include "sla_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

int itsm__err(itsm_engine *eng, int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(eng->errmsg, sizeof eng->errmsg, fmt, ap);
    va_end(ap);
    eng->errcode = code;
    return code;
}

int itsm__err_const(const itsm_engine *eng, int code, const char *fmt, ...)
{
    /* An engine is only ever created by itsm_engine_new, never as a const
     * object, so writing its message through a const handle is defined;
     * the message is the one mutable part a reading call may change. */
    itsm_engine *e = (itsm_engine *)(uintptr_t)eng;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->errmsg, sizeof e->errmsg, fmt, ap);
    va_end(ap);
    e->errcode = code;
    return code;
}

int itsm__oom(itsm_engine *eng)
{
    static const char msg[] = "out of memory";
    memcpy(eng->errmsg, msg, sizeof msg);
    eng->errcode = ITSM_ENOMEM;
    return ITSM_ENOMEM;
}

const char *itsm_errmsg(const itsm_engine *eng) { return eng ? eng->errmsg : "no engine"; }
int itsm_errcode(const itsm_engine *eng) { return eng ? eng->errcode : ITSM_EINVAL; }
const itsm_policy *itsm_engine_policy(const itsm_engine *eng) { return eng ? eng->policy : NULL; }

static itsm_time system_clock(void *user)
{
    (void)user;
    return (itsm_time)time(NULL);
}

static int index_transitions(itsm_engine *eng)
{
    for (int k = 1; k <= ITSM_KIND_COUNT; k++) {
        const itsm__lifecycle *lc = itsm__lifecycle_of(eng, k);
        size_t ne = lc->nevents, n = 0;
        uint16_t *ix = itsm__calloc(&eng->alloc, ne + 1 + lc->ntrans, sizeof *ix);
        if (!ix)
            return ITSM_ENOMEM;
        eng->tr_ix[k] = ix;
        for (size_t e = 0; e < ne; e++) {
            ix[e] = (uint16_t)n;   /* at most ITSM__MAX_TRANSITIONS */
            for (size_t i = 0; i < lc->ntrans; i++)
                if (lc->trans[i].event == (int)e)
                    ix[ne + 1 + n++] = (uint16_t)i;
        }
        ix[ne] = (uint16_t)n;
    }
    return ITSM_OK;
}

const itsm__transition *itsm__find_transition(const itsm_engine *eng, int kind, int from, int event)
{
    const itsm__lifecycle *lc = itsm__lifecycle_of(eng, kind);
    if (event < 0 || (size_t)event >= lc->nevents)
        return itsm__lc_find(lc, from, event);
    /* As itsm__lc_find, over event's transitions only. */
    const uint16_t *ix = eng->tr_ix[kind];
    const uint16_t *pos = ix + lc->nevents + 1;
    const itsm__transition *any = NULL;
    for (unsigned i = ix[event]; i < ix[event + 1]; i++) {
        const itsm__transition *t = &lc->trans[pos[i]];
        if (t->from == from)
            return t;
        if (t->from == ITSM__ANY_OPEN && !any)
            any = t;
    }
    if (any && !itsm__lc_is_closed(lc, from))
        return any;
    return NULL;
}

/* itsm_engine_new's failure, explained in the caller's errmsg buffer when
 * its options have one (version 2 on; a newer version keeps the member,
 * since members are only appended). */
static int new_failed(const itsm_engine_opts *opts, int code, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
static int new_failed(const itsm_engine_opts *opts, int code, const char *fmt, ...)
{
    if (opts && opts->version >= 2 && opts->errmsg && opts->errmsg_cap) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(opts->errmsg, opts->errmsg_cap, fmt, ap);
        va_end(ap);
    }
    return code;
}

int itsm_engine_new(itsm_engine **out, const itsm_engine_opts *given)
{
    itsm_engine_opts opts_v, *opts = &opts_v;
    itsm_store store;
    itsm_allocator a;
    char msg[192];
    if (!out)
        return new_failed(given, ITSM_EINVAL, "out is NULL");
    *out = NULL;
    if (itsm__engine_opts_read(opts, given, msg, sizeof msg) != ITSM_OK)
        return new_failed(given, ITSM_EINVAL, "%s", msg);
    if (opts->errmsg && opts->errmsg_cap)
        opts->errmsg[0] = '\0';
    if (itsm__alloc_resolve(&a, &opts->alloc) != ITSM_OK)
        return new_failed(given, ITSM_EINVAL, "the allocator's three functions must all be set, or all NULL");
    if (opts->store) {
        if (itsm__store_read(&store, opts->store, msg, sizeof msg) != ITSM_OK)
            return new_failed(given, ITSM_EINVAL, "%s", msg);
        if (!store.append)
            return new_failed(given, ITSM_EINVAL, "the store table has no append");
    }

    itsm_engine *eng = itsm__calloc(&a, 1, sizeof *eng);
    if (!eng)
        return new_failed(given, ITSM_ENOMEM, "out of memory");
    eng->alloc = a;
    int rc;
    if (opts->policy) {
        /* The copy uses the engine's allocator, so its memory is the engine's. */
        rc = itsm__policy_clone(&eng->policy, opts->policy, &a);
    } else {
        rc = itsm_policy_new_default(&eng->policy, &a);
    }
    size_t nf = rc == ITSM_OK ? itsm_policy_check(eng->policy) : 0;
    if (nf) {
        const char *first = itsm_policy_finding(eng->policy, 0);
        rc = new_failed(given, ITSM_EPOLICY, "the policy has %zu finding%s: %s", nf, nf == 1 ? "" : "s",
                        first ? first : itsm_policy_errmsg(eng->policy));
    } else if (rc == ITSM_ENOMEM) {
        new_failed(given, rc, "out of memory");
    }
    if (rc != ITSM_OK) {
        itsm_policy_free(eng->policy);
        itsm__free(&a, eng);
        return rc;
    }
    if (index_transitions(eng) != ITSM_OK) {
        for (int k = 0; k <= ITSM_KIND_COUNT; k++)
            itsm__free(&a, eng->tr_ix[k]);
        itsm_policy_free(eng->policy);
        itsm__free(&a, eng);
        return new_failed(given, ITSM_ENOMEM, "out of memory");
    }
    itsm__sla_index_policy(eng);
    for (int f = 0; f < (int)ITSM_F__COUNT && f < 64; f++)
        if (itsm__fields[f].type == ITSM_TYPE_TEXT)
            eng->text_fset |= (uint64_t)1 << f;
    if (opts->store) {
        eng->store = store;
        eng->store_user = opts->store_user;
        eng->has_store = 1;
    }
    eng->clock = opts->clock ? opts->clock : system_clock;
    eng->clock_user = opts->clock_user;
    eng->sink = opts->sink;
    eng->sink_user = opts->sink_user;
    eng->limits = opts->limits;
    if (!eng->limits.max_document) eng->limits.max_document = ITSM_JSON_DEFAULT_MAX_DOCUMENT;
    if (!eng->limits.max_string) eng->limits.max_string = ITSM_JSON_DEFAULT_MAX_STRING;
    if (!eng->limits.max_depth) eng->limits.max_depth = ITSM_JSON_DEFAULT_MAX_DEPTH;
    *out = eng;
    return ITSM_OK;
}

void itsm_engine_free(itsm_engine *eng)
{
    if (!eng)
        return;
    itsm_allocator a = eng->alloc;
    itsm__batch_abort(eng);
    itsm__pm_free(eng);
    itsm__sla_engine_free(eng);   /* src/sla.c */
    if (eng->has_store && eng->store.destroy)
        eng->store.destroy(eng->store_user);
    for (size_t i = 0; i < eng->nrecs; i++)
        itsm__record_free(eng, eng->recs[i]);
    while (eng->symblk) {
        struct itsm__symblock *b = eng->symblk;
        eng->symblk = b->next;
        itsm__free(&a, b);
    }
    itsm__free(&a, eng->syms);
    itsm__free(&a, eng->recs);
    itsm__free(&a, eng->idx);
    itsm__free(&a, eng->batch);
    itsm__free(&a, eng->batch_ptrs);
    for (int k = 0; k <= ITSM_KIND_COUNT; k++)
        itsm__free(&a, eng->tr_ix[k]);
    itsm_policy_free(eng->policy);
    itsm__free(&a, eng);
}

/* Every public mutation starts here: no re-entry from a callback, and one
 * reading of the clock (during a tick, the tick's own time). */
int itsm__entry_refused(itsm_engine *eng)
{
    return itsm__err(eng, ITSM_ESTATE, "the engine cannot be called from inside its own callback");
}

int itsm__now(itsm_engine *eng, itsm_time *out)
{
    itsm_time t = eng->sla && eng->sla->in_tick ? eng->sla->tick_now : eng->clock(eng->clock_user);
    if (t < ITSM_TIME_MIN || t > ITSM_TIME_MAX)
        return itsm__err(eng, ITSM_EINVAL, "the clock returned %lld, outside 1970..9999", (long long)t);
    *out = t;
    return ITSM_OK;
}

itsm_time itsm_engine_now(const itsm_engine *eng)
{
    return eng ? eng->clock(eng->clock_user) : ITSM_TIME_NONE;
}

int itsm__time_refused(itsm_engine *eng, itsm_time t, const char *what)
{
    return itsm__err(eng, ITSM_EINVAL, "%s %lld is outside 1970..9999", what, (long long)t);
}

/* ---- hashing: 8 bytes a step, then a 64-bit finalizer (murmur3's): every
 * id and symbol a mutation names is hashed, so a byte-at-a-time hash showed
 * in profiles. Only table positions depend on it, nothing observable. ---- */
/* The last n (1..7) bytes at s as a little-endian number. `back`: at least
 * 8 bytes end at s + n, so one load covers them. */
static uint64_t tail_bytes(const char *s, size_t n, int back)
{
    uint64_t w = 0;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    /* Overlapping loads instead of a byte loop: the same number. */
    if (back) {
        memcpy(&w, s + n - 8, 8);
        return w >> (8 * (8 - n));
    }
    if (n >= 4) {
        uint32_t lo, hi;
        memcpy(&lo, s, 4);
        memcpy(&hi, s + n - 4, 4);
        return (uint64_t)lo | (uint64_t)hi << (8 * (n - 4));
    }
    if (n >= 2) {
        uint16_t lo, hi;
        memcpy(&lo, s, 2);
        memcpy(&hi, s + n - 2, 2);
        return (uint64_t)lo | (uint64_t)hi << (8 * (n - 2));
    }
    return (unsigned char)s[0];
#else
    (void)back;
    for (size_t i = 0; i < n; i++)
        w |= (uint64_t)(unsigned char)s[i] << (8 * i);
    return w;
#endif
}

/* memcmp(a, b, n) == 0 without the call: symbols are short, and every
 * intern confirms its hash match with one. */
static int bytes_eq(const char *a, const char *b, size_t n)
{
    if (n < 8)
        return !n || tail_bytes(a, n, 0) == tail_bytes(b, n, 0);
    for (size_t k = 0; k + 8 <= n; k += 8) {
        uint64_t x, y;
        memcpy(&x, a + k, 8);
        memcpy(&y, b + k, 8);
        if (x != y)
            return 0;
    }
    return n % 8 == 0 || tail_bytes(a + n - n % 8, n % 8, 1) == tail_bytes(b + n - n % 8, n % 8, 1);
}

static uint64_t hash_bytes(const char *s, size_t n)
{
    uint64_t h = 0x9e3779b97f4a7c15ull ^ (uint64_t)n;
    int back = n >= 8;
    for (; n >= 8; s += 8, n -= 8) {
        uint64_t w;
        memcpy(&w, s, 8);
        h = (h ^ w) * 0xbf58476d1ce4e5b9ull;
        h ^= h >> 31;
    }
    if (n) {
        h = (h ^ tail_bytes(s, n, back)) * 0xbf58476d1ce4e5b9ull;
        h ^= h >> 31;
    }
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdull;
    h ^= h >> 33;
    return h;
}

static int str_eq(const char *a, const char *b, size_t n)
{
    /* `a` is NUL-terminated and may be shorter than n: strncmp stops at its
     * end, where memcmp could read past it. `b` has no NUL in its n bytes. */
    return strncmp(a, b, n) == 0 && a[n] == '\0';
}

itsm_record *itsm__find(const itsm_engine *eng, const char *id, size_t n)
{
    if (!eng->idx_cap)
        return NULL;
    size_t mask = eng->idx_cap - 1;
    uint32_t h = (uint32_t)hash_bytes(id, n);
    for (size_t i = h & mask;; i = (i + 1) & mask) {
        const struct itsm__idslot *e = &eng->idx[i];
        if (!e->pos1)
            return NULL;
        if (e->hash == h) {
            itsm_record *r = eng->recs[e->pos1 - 1];
            if (str_eq(r->id, id, n))
                return r;
        }
    }
}

static void idx_put(struct itsm__idslot *tab, size_t cap, uint32_t hash, uint32_t pos1)
{
    size_t mask = cap - 1;
    size_t i = hash & mask;
    while (tab[i].pos1)
        i = (i + 1) & mask;
    tab[i].hash = hash;
    tab[i].pos1 = pos1;
}

/* Make room for `extra` more records in both the list and the index, so that
 * inserting during apply cannot fail. */
static int reserve_records(itsm_engine *eng, size_t extra)
{
    size_t need = eng->nrecs + extra;
    if (need >= UINT32_MAX)   /* positions are 32-bit (the index, src/sla_int.h) */
        return itsm__err(eng, ITSM_ELIMIT, "too many records");
    if (itsm__grow(&eng->alloc, (void **)&eng->recs, &eng->crecs, need, sizeof *eng->recs))
        return itsm__oom(eng);
    if (need * 2 > eng->idx_cap) {
        size_t cap = eng->idx_cap ? eng->idx_cap : 64;
        while (need * 2 > cap)
            cap *= 2;
        struct itsm__idslot *tab = itsm__calloc(&eng->alloc, cap, sizeof *tab);
        if (!tab)
            return itsm__oom(eng);
        for (size_t i = 0; i < eng->idx_cap; i++)
            if (eng->idx[i].pos1)
                idx_put(tab, cap, eng->idx[i].hash, eng->idx[i].pos1);
        itsm__free(&eng->alloc, eng->idx);
        eng->idx = tab;
        eng->idx_cap = cap;
    }
    return ITSM_OK;
}

int itsm__reserve_record(itsm_engine *eng)
{
    int rc = reserve_records(eng, eng->reserve_recs + 1);
    if (rc == ITSM_OK)
        eng->reserve_recs++;
    return rc;
}

static void insert_record(itsm_engine *eng, itsm_record *r)
{
    eng->recs[eng->nrecs++] = r;
    idx_put(eng->idx, eng->idx_cap, (uint32_t)hash_bytes(r->id, strlen(r->id)), (uint32_t)eng->nrecs);
}

const char *itsm__intern(itsm_engine *eng, const char *s, size_t n)
{
    if (n >= UINT32_MAX)   /* unreachable: callers hold symbols to ITSM_MAX_SYMBOL */
        return NULL;
    if (eng->nsyms * 2 + 2 > eng->sym_cap) {
        size_t cap = eng->sym_cap ? eng->sym_cap * 2 : 256;
        struct itsm__sym *tab = itsm__calloc(&eng->alloc, cap, sizeof *tab);
        if (!tab)
            return NULL;
        for (size_t i = 0; i < eng->sym_cap; i++) {
            if (!eng->syms[i].s)
                continue;
            size_t j = eng->syms[i].hash & (cap - 1);
            while (tab[j].s)
                j = (j + 1) & (cap - 1);
            tab[j] = eng->syms[i];
        }
        itsm__free(&eng->alloc, eng->syms);
        eng->syms = tab;
        eng->sym_cap = cap;
    }
    size_t mask = eng->sym_cap - 1;
    uint32_t h = (uint32_t)hash_bytes(s, n);
    size_t i = h & mask;
    for (; eng->syms[i].s; i = (i + 1) & mask) {
        const struct itsm__sym *e = &eng->syms[i];
        /* Equal lengths: memcmp reads within both strings. */
        if (e->hash == h && e->n == n && bytes_eq(e->s, s, n))
            return e->s;
    }
    struct itsm__symblock *b = eng->symblk;
    if (!b || b->cap - b->used < n + 1) {
        /* 256 bytes first (an engine with a few symbols stays small), then
         * doubling to 64 KiB; a longer symbol gets a block of its own size. */
        size_t cap = b ? (b->cap < 65536 ? b->cap * 2 : b->cap) : 256;
        if (cap < n + 1)
            cap = n + 1;
        struct itsm__symblock *nb = itsm__malloc(&eng->alloc, sizeof *nb + cap);
        if (!nb)
            return NULL;
        nb->next = b;
        nb->used = 0;
        nb->cap = cap;
        eng->symblk = b = nb;
    }
    char *copy = b->data + b->used;
    memcpy(copy, s, n);
    copy[n] = '\0';
    b->used += n + 1;
    eng->syms[i].s = copy;
    eng->syms[i].hash = h;
    eng->syms[i].n = (uint32_t)n;
    eng->nsyms++;
    return copy;
}

int itsm_engine_set_actor(itsm_engine *eng, const char *actor)
{
    if (!eng)
        return ITSM_EINVAL;
    if (!actor) {
        eng->actor = NULL;
        return ITSM_OK;
    }
    size_t n = strlen(actor);
    if (n == 0 || n > ITSM_MAX_SYMBOL)
        return itsm__err(eng, n ? ITSM_ELIMIT : ITSM_EINVAL, "actor must be 1..%d bytes", ITSM_MAX_SYMBOL);
    if (!itsm__utf8_valid(actor, n))
        return itsm__err(eng, ITSM_EINVAL, "actor is not valid UTF-8");
    const char *s = itsm__intern(eng, actor, n);
    if (!s)
        return itsm__oom(eng);
    eng->actor = s;
    return ITSM_OK;
}

size_t itsm_engine_record_count(const itsm_engine *eng) { return eng ? eng->nrecs : 0; }

int itsm_engine_record_at(itsm_record **out, const itsm_engine *eng, size_t index)
{
    if (!eng)
        return ITSM_EINVAL;
    if (!out)
        return itsm__err_const(eng, ITSM_EINVAL, "itsm_engine_record_at: out is NULL");
    if (index >= eng->nrecs)
        return itsm__err_const(eng, ITSM_EINVAL, "record index %zu is out of range (the engine has %zu)",
                               index, eng->nrecs);
    *out = eng->recs[index];
    return ITSM_OK;
}

/* ---- records ---- */

itsm_record *itsm__record_alloc(itsm_engine *eng, const char *id, size_t n, int kind)
{
    itsm_record *r = itsm__calloc(&eng->alloc, 1, sizeof *r);
    if (!r)
        return NULL;
    r->id = itsm__strndup(&eng->alloc, id, n);
    if (!r->id) {
        itsm__free(&eng->alloc, r);
        return NULL;
    }
    r->eng = eng;
    r->kind = (unsigned char)kind;
    for (int f = 0; f < (int)ITSM_F__COUNT; f++)
        if (itsm__fields[f].type == ITSM_TYPE_TIME)
            r->num[itsm__fields[f].slot] = ITSM_TIME_NONE;
    return r;
}

void itsm__record_free(itsm_engine *eng, itsm_record *r)
{
    if (!r)
        return;
    for (int f = 0; f < (int)ITSM_F__COUNT; f++)
        if (itsm__fields[f].type == ITSM_TYPE_TEXT)
            itsm__free(&eng->alloc, (void *)(uintptr_t)r->str[itsm__fields[f].slot]);
    for (uint32_t i = 0; i < r->nnotes; i++)
        itsm__free(&eng->alloc, r->notes[i].text);
    itsm__free(&eng->alloc, r->notes);
    itsm__free(&eng->alloc, r->links);
    itsm__free(&eng->alloc, r->id);
    itsm__sla_record_free(eng, r);   /* src/sla.c */
    itsm__free(&eng->alloc, r);
}

int itsm__reserve_note(itsm_engine *eng, itsm_record *r)
{
    size_t cap = r->cnotes;
    if (itsm__grow(&eng->alloc, (void **)&r->notes, &cap, (size_t)r->nnotes + r->pending + 1,
                   sizeof *r->notes))
        return itsm__oom(eng);
    r->cnotes = (uint32_t)cap;
    return ITSM_OK;
}

int itsm__reserve_link(itsm_engine *eng, itsm_record *r)
{
    size_t cap = r->clinks;
    if (itsm__grow(&eng->alloc, (void **)&r->links, &cap, (size_t)r->nlinks + r->pending + 1,
                   sizeof *r->links))
        return itsm__oom(eng);
    r->clinks = (uint32_t)cap;
    return ITSM_OK;
}

/* ---- the batch ---- */

void itsm__batch_begin(itsm_engine *eng)
{
    eng->nbatch = 0;
    eng->reserve_recs = 0;
}

itsm_event *itsm__batch_add(itsm_engine *eng, int type, itsm_record *rec, itsm_time at)
{
    if (eng->nbatch == eng->cbatch) {
        size_t cap = eng->cbatch, cap2 = eng->cbatch;
        int grown = !itsm__grow(&eng->alloc, (void **)&eng->batch, &cap, eng->nbatch + 1, sizeof *eng->batch) &&
                    !itsm__grow(&eng->alloc, (void **)&eng->batch_ptrs, &cap2, eng->nbatch + 1,
                                sizeof *eng->batch_ptrs);
        /* Keep the smaller capacity: both arrays must hold every entry. */
        eng->cbatch = cap < cap2 ? cap : cap2;
        /* The events may have moved (even if the second array failed to
         * grow): batch_ptrs always points at them, so commit need not. */
        for (size_t i = 0; i < eng->nbatch; i++)
            eng->batch_ptrs[i] = &eng->batch[i];
        if (!grown) {
            itsm__oom(eng);
            return NULL;
        }
    }
    itsm_event *ev = &eng->batch[eng->nbatch];
    ev->type = type;
    ev->applied = 0;
    ev->rec = rec;
    ev->owns_rec = 0;
    ev->rev = rec ? rec->rev + rec->pending + 1 : 1;
    ev->at = at;
    ev->actor = eng->actor;
    ev->ev_name = ev->from_name = ev->to_name = NULL;
    ev->to_state = -1;
    ev->nchanges = 0;
    ev->fset = 0;
    memset(&ev->note, 0, sizeof ev->note);
    ev->note_owned = 0;
    ev->link_kind = 0;
    ev->target = NULL;
    ev->cls = NULL;
    ev->ext = NULL;
    if (rec)
        rec->pending++;
    eng->batch_ptrs[eng->nbatch] = ev;
    eng->nbatch++;
    return ev;
}

itsm__change *itsm__ev_change(itsm_event *ev, itsm_field f)
{
    if (ev->nchanges == ITSM__MAX_CHANGES)
        return NULL;
    itsm__change *c = &ev->changes[ev->nchanges++];
    if ((unsigned)f < 64)
        ev->fset |= (uint64_t)1 << (unsigned)f;
    c->field = f;
    c->str = NULL;
    c->num = 0;
    c->owned = NULL;
    return c;
}

static void dispose(itsm_engine *eng)
{
    int owns = 0;
    for (size_t i = 0; i < eng->nbatch; i++) {
        itsm_event *ev = &eng->batch[i];
        if (ev->fset & eng->text_fset)   /* symbols and numbers own nothing */
            for (unsigned c = 0; c < ev->nchanges; c++)
                if (ev->changes[c].owned)
                    itsm__free(&eng->alloc, ev->changes[c].owned);
        ev->nchanges = 0;
        ev->fset = 0;
        if (ev->note_owned)
            itsm__free(&eng->alloc, ev->note.text);
        ev->note.text = NULL;
        ev->note_owned = 0;
        if (ev->cls && ev->cls->dispose)
            ev->cls->dispose(eng, ev);
        ev->cls = NULL;
        ev->ext = NULL;
        if (ev->rec)
            ev->rec->pending = 0;
        owns |= ev->owns_rec;
    }
    /* A second pass: a later event of the batch may point at a record an
     * earlier OPEN event owns (open + link in one step). */
    for (size_t i = 0; owns && i < eng->nbatch; i++) {
        itsm_event *ev = &eng->batch[i];
        if (ev->owns_rec)
            itsm__record_free(eng, ev->rec);
        ev->owns_rec = 0;
    }
    eng->nbatch = 0;
    eng->reserve_recs = 0;
}

void itsm__batch_abort(itsm_engine *eng) { dispose(eng); }

static void apply_changes(itsm_record *r, itsm_event *ev)
{
    for (unsigned i = 0; i < ev->nchanges; i++) {
        itsm__change *c = &ev->changes[i];
        const itsm__field_info *fi = &itsm__fields[c->field];
        if (fi->type == ITSM_TYPE_TEXT) {
            /* Move the new text in; keep the old one on the event to free. */
            char *old = (char *)(uintptr_t)r->str[fi->slot];
            r->str[fi->slot] = c->owned;
            c->str = c->owned;
            c->owned = old;
        } else if (fi->type == ITSM_TYPE_SYMBOL) {
            r->str[fi->slot] = c->str;
        } else {
            r->num[fi->slot] = c->num;
        }
    }
}

/* Apply one prepared event. Everything it needs was reserved while the
 * event was built, so it cannot fail: the store already has the event. */
static void apply(itsm_engine *eng, itsm_event *ev)
{
    itsm_record *r = ev->rec;
    itsm__pm_observe(eng, ev);   /* indexes that follow records (src/pm.h) */
    itsm__sla_before_apply(eng, ev);   /* clocks advance to the event time (src/sla.c) */
    switch (ev->type) {
    case ITSM__EV_OPEN: {
        insert_record(eng, r);
        ev->owns_rec = 0;
        r->state = (unsigned char)ev->to_state;
        apply_changes(r, ev);
        break;
    }
    case ITSM__EV_TRANSITION:
        r->state = (unsigned char)ev->to_state;
        apply_changes(r, ev);
        break;
    case ITSM__EV_UPDATE:
        apply_changes(r, ev);
        break;
    case ITSM__EV_NOTE:
        /* The record owns the text now; the event keeps a borrowed view
         * for the sink. */
        r->notes[r->nnotes++] = ev->note;
        ev->note_owned = 0;
        break;
    case ITSM__EV_LINK: {
        itsm__link *l = &r->links[r->nlinks++];
        l->target = ev->target;
        l->kind = (unsigned char)ev->link_kind;
        break;
    }
    case ITSM__EV_EXT:
        apply_changes(r, ev);
        if (ev->cls->apply)
            ev->cls->apply(eng, ev);
        break;
    default:
        break;
    }
    r->rev = ev->rev;
    r->num[itsm__fields[ITSM_F_UPDATED_AT].slot] = ev->at;
    ev->applied = 1;
    itsm__sla_after_apply(eng, ev);   /* timers re-planned from the new state (src/sla.c) */
}

void itsm__batch_apply_only(itsm_engine *eng)
{
    (void)itsm__pm_prepare(eng);   /* on failure the index goes stale, rebuilt when read */
    for (size_t i = 0; i < eng->nbatch; i++)
        apply(eng, &eng->batch[i]);
    dispose(eng);
}

int itsm__batch_commit(itsm_engine *eng)
{
    int xrc = itsm__sla_extend(eng);   /* derived events + reserve (src/sla_events.c) */
    if (xrc != ITSM_OK) {
        dispose(eng);
        return xrc;
    }
    if (itsm__pm_prepare(eng) != ITSM_OK) {   /* reserve so apply cannot fail (src/pm.h) */
        dispose(eng);
        return itsm__oom(eng);
    }
    if (eng->has_store) {
        eng->in_callback = 1;
        int rc = eng->store.append(eng->store_user, eng->batch_ptrs, eng->nbatch);
        eng->in_callback = 0;
        if (rc != ITSM_OK) {
            const itsm_event *ev = &eng->batch[0];
            int code = (rc == ITSM_ECONFLICT || rc == ITSM_EUSER) ? rc : ITSM_ESTORE;
            itsm__err(eng, code, "store append refused %s event for %s at revision %llu (store returned %s)%s",
                      itsm_event_type(ev), ev->rec->id, (unsigned long long)ev->rev, itsm_errname(rc),
                      code != ITSM_ECONFLICT ? ""
                      : ev->type == ITSM__EV_OPEN ? ": another engine opened a record with that id first"
                                                  : ": another engine changed the record first");
            dispose(eng);
            return code;
        }
    }
    for (size_t i = 0; i < eng->nbatch; i++)
        apply(eng, &eng->batch[i]);
    if (eng->sink) {
        eng->in_callback = 1;
        eng->sink(eng->sink_user, eng->batch_ptrs, eng->nbatch);
        eng->in_callback = 0;
    }
    dispose(eng);
    return ITSM_OK;
}
