/* SPDX-License-Identifier: Apache-2.0 */
/* The engine: creation, errors, the clock, the id index, symbol interning
 * and the record list (the capabilities' hook lists: core/hooks.c). */
#include "core/core.h"
#include "core/abi.h"
#include "kit/json.h"
#include "kit/value.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

int itsm__err(itsm_engine *eng, int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    itsm__errbuf_vset(&eng->err, code, fmt, ap);
    va_end(ap);
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
    itsm__errbuf_vset(&e->err, code, fmt, ap);
    va_end(ap);
    return code;
}

int itsm__oom(itsm_engine *eng) { return itsm__errbuf_oom(&eng->err); }

const char *itsm_errmsg(const itsm_engine *eng) { return eng ? eng->err.msg : "no engine"; }
int itsm_errcode(const itsm_engine *eng) { return eng ? eng->err.code : ITSM_EINVAL; }
const itsm_policy *itsm_engine_policy(const itsm_engine *eng) { return eng ? eng->policy : NULL; }

static itsm_time system_clock(void *user)
{
    (void)user;
    return (itsm_time)time(NULL);
}

/* Resolve the policy's roles to indexes and interned values, once. */
static int index_roles(itsm_engine *eng)
{
    for (int k = 0; k <= ITSM_KIND_COUNT; k++)
        for (int r = 0; r < ITSM_ROLE_COUNT; r++) {
            eng->role_ix[k][r] = -1;
            eng->role_val[k][r] = NULL;
            const char *name = k ? itsm__role_of(eng->policy, k, r) : NULL;
            if (!name)
                continue;
            const itsm__lifecycle *lc = itsm__lifecycle_of(eng, k);
            switch (itsm__role_target(r)) {
            case ITSM__ROLE_STATE: eng->role_ix[k][r] = (int16_t)itsm__lc_state(lc, name); break;
            case ITSM__ROLE_EVENT: eng->role_ix[k][r] = (int16_t)itsm__lc_event(lc, name); break;
            default:
                if (!(eng->role_val[k][r] = itsm__intern(eng, name, strlen(name))))
                    return ITSM_ENOMEM;
                break;
            }
        }
    return ITSM_OK;
}

/* The records' blocks, once their records are freed. */
static void recblocks_free(itsm_engine *eng)
{
    while (eng->recblk) {
        struct itsm__recblock *b = eng->recblk;
        eng->recblk = b->next;
        itsm__free(&eng->alloc, b);
    }
}

static void engine_dispose(itsm_engine *eng)
{
    itsm_allocator a = eng->alloc;
    for (size_t i = itsm__ncapabilities; i-- > 0;)
        if (itsm__capabilities[i]->engine_free)
            itsm__capabilities[i]->engine_free(eng);
    if (eng->has_store && eng->store.destroy)
        eng->store.destroy(eng->store_user);
    for (size_t i = 0; i < eng->nrecs; i++)
        itsm__record_free(eng, eng->recs[i]);
    recblocks_free(eng);
    while (eng->symblk) {
        struct itsm__symblock *b = eng->symblk;
        eng->symblk = b->next;
        itsm__free(&a, b);
    }
    itsm__free(&a, eng->syms);
    itsm__free(&a, eng->symblk_at);
    itsm__htab_free(&eng->symtab, &a);
    itsm__free(&a, eng->recs);
    itsm__free(&a, eng->cxs);   /* the blocks went with their records */
    itsm__htab_free(&eng->ids, &a);
    itsm__free(&a, eng->batch);
    itsm__free(&a, eng->batch_ptrs);
    itsm__free(&a, eng->gev);
    itsm__free(&a, eng->gptr);
    itsm__free(&a, eng->gcut);
    for (int k = 0; k <= ITSM_KIND_COUNT; k++)
        itsm__free(&a, eng->tr_ix[k]);
    if (!eng->nvers)   /* else eng->policy is a version's */
        itsm_policy_free(eng->policy);
    itsm__versions_free(eng);
    itsm__free(&a, eng);
}

/* itsm_engine_new's failure, explained in the caller's errmsg buffer when
 * its options have one (version 2 on; a newer version keeps the member,
 * since members are only appended). */
static int new_failed(const itsm_engine_opts *opts, int code, const char *fmt, ...) ITSM__PRINTF(3, 4);
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
    eng->open_last = &eng->open_hooks[0];   /* kind 0: no opening's */
    uint64_t seed = itsm__hash_seed(eng);
    itsm__htab_init_dense(&eng->ids, seed);   /* an entry per record */
    itsm__htab_init(&eng->symtab, seed ^ 0x5bd1e9955bd1e995ull);
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
    }
    if (rc == ITSM_OK && (itsm__versions_init(eng) != ITSM_OK || itsm__tr_index_build(eng, eng->policy, eng->tr_ix) ||
                          index_roles(eng) != ITSM_OK))
        rc = ITSM_ENOMEM;
    for (int k = 1; k <= ITSM_KIND_COUNT && rc == ITSM_OK; k++) {   /* closed states: settled */
        const itsm__lifecycle *lc = itsm__lifecycle_of(eng, k);
        for (size_t st = 0; st < lc->nstates; st++)
            if (itsm__lc_is_closed(lc, (int)st))
                eng->settled[k][st / 64] |= (uint64_t)1 << (st % 64);
    }
    for (size_t i = 0; i < itsm__ncapabilities && rc == ITSM_OK; i++)
        if (itsm__capabilities[i]->engine_init)
            rc = itsm__capabilities[i]->engine_init(eng);
    if (rc != ITSM_OK) {
        if (rc == ITSM_ENOMEM)
            new_failed(given, rc, "out of memory");
        engine_dispose(eng);
        return rc;
    }
    itsm__index_hooks(eng, opts->store && (store.scan || store.read_record));
    for (int f = 0; f < (int)ITSM_F__COUNT && f < 63; f++)
        if (itsm__fields[f].type == ITSM_TYPE_TEXT)
            eng->text_fset |= (uint64_t)1 << f;
    if (eng->policy->cf_text)
        eng->text_fset |= ITSM__FSET_CUSTOM;   /* a custom text field's change owns its value */
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
    itsm__batch_abort(eng);
    if (eng->grouped) {   /* freed inside a group: the store keeps none of it */
        eng->grouped = 0;
        eng->store.group(eng->store_user, ITSM_STORE_GROUP_ABORT);
    }
    itsm__group_dispose(eng);
    engine_dispose(eng);
}

int itsm__engine_reset(itsm_engine *eng)
{
    /* The capabilities' new state first, beside the old: when memory runs
     * out there, the engine keeps every record and all of its state (and
     * refuses changes, "free it"); never a mix of freed and missing state
     * that its reads would trip on. */
    void *old[ITSM__CAP_MAX];
    memcpy(old, eng->cap, sizeof old);
    memset(eng->cap, 0, sizeof eng->cap);
    int rc = ITSM_OK;
    for (size_t i = 0; i < itsm__ncapabilities && rc == ITSM_OK; i++)
        if (itsm__capabilities[i]->engine_init)
            rc = itsm__capabilities[i]->engine_init(eng);
    if (rc != ITSM_OK) {
        for (size_t i = itsm__ncapabilities; i-- > 0;)
            if (itsm__capabilities[i]->engine_free)
                itsm__capabilities[i]->engine_free(eng);
        memcpy(eng->cap, old, sizeof old);
        eng->broken = 1;
        return rc;
    }
    void *fresh[ITSM__CAP_MAX];
    memcpy(fresh, eng->cap, sizeof fresh);
    memcpy(eng->cap, old, sizeof old);
    for (size_t i = itsm__ncapabilities; i-- > 0;)
        if (itsm__capabilities[i]->engine_free)
            itsm__capabilities[i]->engine_free(eng);
    for (size_t i = 0; i < eng->nrecs; i++)
        itsm__record_free(eng, eng->recs[i]);
    recblocks_free(eng);
    eng->nrecs = 0;
    eng->replay_nid = 0;   /* the binary replay's last record (replay_bin.c) is gone */
    itsm__htab_free(&eng->ids, &eng->alloc);
    itsm__htab_init_dense(&eng->ids, itsm__hash_seed(eng));
    eng->rec_room = 0;   /* the index holds none now */
    memset(eng->seq, 0, sizeof eng->seq);
    itsm__versions_unstore(eng);   /* the load says again what the store holds */
    memcpy(eng->cap, fresh, sizeof fresh);
    return ITSM_OK;
}

/* Every public mutation starts here: no re-entry from a callback, and one
 * reading of the clock (during a tick, the tick's own time). */
int itsm__entry_refused(itsm_engine *eng)
{
    if (eng->broken)
        return itsm__err(eng, ITSM_ESTATE, "the engine could not go back to its store's last commit: free it");
    return itsm__err(eng, ITSM_ESTATE, "the engine cannot be called from inside its own callback");
}

int itsm__clock_refused(itsm_engine *eng, itsm_time t)
{
    return itsm__err(eng, ITSM_EINVAL, "the clock returned %lld, outside 1970..9999", (long long)t);
}

itsm_time itsm_engine_now(const itsm_engine *eng)
{
    return eng ? eng->clock(eng->clock_user) : ITSM_TIME_NONE;
}

int itsm__time_refused(itsm_engine *eng, itsm_time t, const char *what)
{
    return itsm__err(eng, ITSM_EINVAL, "%s %lld is outside 1970..9999", what, (long long)t);
}

int itsm_engine_field(itsm_field *out, const itsm_engine *eng, const char *name)
{
    return eng ? itsm_policy_field(out, eng->policy, name) : ITSM_EINVAL;
}

/* itsm__symbol_arg after its cache lookup missed: the public entry points
 * that make that lookup themselves come here, so a new symbol is not
 * looked up by address twice. */
static int symbol_uncached_n(itsm_engine *eng, const char *s, size_t n, const char *what, const char **out);
static int symbol_uncached(itsm_engine *eng, const char *s, const char *what, const char **out)
{
    *out = NULL;
    if (!s || !*s)
        return itsm__err(eng, ITSM_EINVAL, "%s is required", what);
    return symbol_uncached_n(eng, s, strlen(s), what, out);
}

ITSM__ALWAYS_INLINE const char *intern_probe(const itsm_engine *eng, const char *s, size_t n, uint32_t h);

/* itsm__htab_hash of the symbol table for n (1..ITSM_MAX_SYMBOL) bytes,
 * and in the same pass over them itsm__printable_ascii's test (*bad 0:
 * printable ASCII): a new symbol's bytes read once, not once to hash and
 * again to check. The words are itsm__hash_bytes's (its steps, hash.h),
 * each tested as read;
 * a short symbol's missing high bytes are tested as spaces. */
ITSM__ALWAYS_INLINE uint32_t hash_printable(const itsm_engine *eng, const char *s, size_t n, uint64_t *bad)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    uint64_t h = itsm__hash_start(eng->symtab.seed, n), x = 0, w;
    size_t left = n;
    for (; left >= 8; s += 8, left -= 8) {
        memcpy(&w, s, 8);
        x |= itsm__unprintable_bits(w);
        h = itsm__hash_word(h, w);
    }
    if (left) {
        if (n >= 8) {   /* the last 8 bytes, some read again (itsm__tail_bytes) */
            memcpy(&w, s + left - 8, 8);
            x |= itsm__unprintable_bits(w);
            w >>= 8 * (8 - left);
        } else {
            w = itsm__tail_bytes(s, left, 0);
            x |= itsm__unprintable_bits(w | 0x2020202020202020ull << (8 * left));
        }
        h = itsm__hash_word(h, w);
    }
    *bad = x;
    return (uint32_t)itsm__hash_mix(h);
#else
    *bad = !itsm__printable_ascii(s, n);
    return itsm__htab_hash(&eng->symtab, s, n);
#endif
}

ITSM__ALWAYS_INLINE const char *intern_add_in(itsm_engine *eng, const char *s, size_t n, uint32_t h);

/* symbol_uncached of a non-empty `s` whose length n the caller measured.
 * Inline in itsm_engine_symbol (its usual caller, with each new symbol),
 * out of line for the others (symbol_uncached_n). */
ITSM__ALWAYS_INLINE int symbol_uncached_in(itsm_engine *eng, const char *s, size_t n, const char *what,
                                           const char **out, int remember)
{
    int rc;
    *out = NULL;
    if (n - 1 < ITSM_MAX_SYMBOL) {   /* the usual symbol: itsm__symbol_ok's quick test as it is hashed */
        uint64_t bad;
        uint32_t hash = hash_printable(eng, s, n, &bad);
        if (!(*out = intern_probe(eng, s, n, hash))) {   /* interned already: checked when it was */
            if ((bad || s[0] == ' ') && (rc = itsm__check_symbol(&eng->err, what, NULL, s, n)))
                return rc;
            if (!(*out = intern_add_in(eng, s, n, hash)))
                return itsm__oom(eng);
        }
    } else {
        uint32_t hash = 0;
        if (!(*out = itsm__intern_find(eng, s, n, &hash))) {
            if ((rc = itsm__symbol_ok(&eng->err, what, NULL, s, n)))
                return rc;
            if (!(*out = itsm__intern_add(eng, s, n, hash)))
                return itsm__oom(eng);
        }
    }
    if (remember)
        itsm__symbol_remember(eng, s, *out, n);
    return ITSM_OK;
}

static int symbol_uncached_n(itsm_engine *eng, const char *s, size_t n, const char *what, const char **out)
{
    return symbol_uncached_in(eng, s, n, what, out, 1);
}

int itsm__symbol_arg(itsm_engine *eng, const char *s, const char *what, const char **out)
{
    size_t n;
    if ((*out = itsm__symbol_cached(eng, s, &n)))
        return ITSM_OK;
    return symbol_uncached(eng, s, what, out);
}

int itsm__text_arg(itsm_engine *eng, const char *s, const char *what)
{
    if (!s || !*s)
        return itsm__err(eng, ITSM_EINVAL, "%s is required", what);
    int rc = itsm__check_text(&eng->err, what, NULL, s, strlen(s));
    if (!rc && !itsm__text_present(s))
        return itsm__err(eng, ITSM_EINVAL, "%s is required: blank text says nothing", what);
    return rc;
}

/* Room for `need` symbols in all in the symbol list and its table, and
 * eng->sym_room what both hold then: a new symbol's one test
 * (intern_add_in) instead of one per array. */
static int sym_reserve(itsm_engine *eng, size_t need)
{
    if (itsm__grow(&eng->alloc, (void **)&eng->syms, &eng->csyms, need, sizeof *eng->syms) ||
        itsm__htab_reserve(&eng->symtab, &eng->alloc, need))
        return ITSM_ENOMEM;
    size_t in_table = itsm__htab_room(&eng->symtab);
    eng->sym_room = eng->csyms < in_table ? eng->csyms : in_table;
    return ITSM_OK;
}

/* ---- the id index ---- */

itsm_record *itsm__find(const itsm_engine *eng, const char *id, size_t n)
{
    return itsm__find_hashed(eng, id, n, itsm__id_hash(eng, id, n));
}

/* Make room for `extra` more records in both the list and the index, so that
 * inserting during apply cannot fail. */
static int reserve_records(itsm_engine *eng, size_t extra)
{
    size_t need = eng->nrecs + extra;
    if (need >= UINT32_MAX)   /* positions are 32-bit (the index, the timer queue) */
        return itsm__err(eng, ITSM_ELIMIT, "too many records");
    if (itsm__grow(&eng->alloc, (void **)&eng->recs, &eng->crecs, need, sizeof *eng->recs))
        return itsm__oom(eng);
    int rc = itsm__htab_reserve(&eng->ids, &eng->alloc, need);
    if (rc == ITSM_ELIMIT)
        return itsm__err(eng, ITSM_ELIMIT, "too many records");
    if (rc)
        return itsm__oom(eng);
    size_t room = itsm__htab_room(&eng->ids);
    room = eng->crecs < room ? eng->crecs : room;
    eng->rec_room = room < UINT32_MAX - 1 ? room : UINT32_MAX - 1;
    return ITSM_OK;
}

int itsm__reserve_record_grow(itsm_engine *eng)
{
    int rc = reserve_records(eng, eng->reserve_recs + 1);
    if (rc == ITSM_OK)
        eng->reserve_recs++;
    return rc;
}

int itsm_engine_reserve(itsm_engine *eng, size_t records, size_t symbols)
{
    if (!eng)
        return ITSM_EINVAL;
    int rc = itsm__check_entry(eng);   /* as every call that changes the engine */
    if (rc)
        return rc;
    const size_t most = (size_t)1 << 31;   /* a table's limit (kit/hash.h) */
    if (records >= most || symbols >= most || eng->nsyms + symbols >= most)
        return itsm__err(eng, ITSM_ELIMIT, "too many records or symbols to reserve");
    /* beside the records a batch under way has reserved already */
    rc = records ? reserve_records(eng, eng->reserve_recs + records) : ITSM_OK;
    if (rc || !symbols)
        return rc;
    return sym_reserve(eng, eng->nsyms + symbols) ? itsm__oom(eng) : ITSM_OK;
}

/* Room was reserved (itsm__reserve_record); `hash` is the id's
 * (itsm__id_hash, found when the OPEN event was made). */
void itsm__insert_record(itsm_engine *eng, itsm_record *r, uint32_t hash);
void itsm__insert_record(itsm_engine *eng, itsm_record *r, uint32_t hash)
{
#ifdef ITSM_CHECK_REPLAN
    /* the sanitizer suite's build: every path that opens set it */
    if (hash != itsm__htab_hash(&eng->ids, r->id, strlen(r->id)))
        __builtin_trap();
#endif
    itsm__htab_put(&eng->ids, hash, eng->nrecs);
    eng->recs[eng->nrecs++] = r;
}

/* ---- symbols ---- */

const char *itsm__intern_find(const itsm_engine *eng, const char *s, size_t n, uint32_t *hash)
{
    if (n > ITSM_MAX_SYMBOL)
        return NULL;
    return intern_probe(eng, s, n, *hash = itsm__htab_hash(&eng->symtab, s, n));
}

/* The interned symbol of the n bytes at s, whose hash is h, or NULL.
 * Inline in its two callers: a new symbol misses it, a short walk. */
ITSM__ALWAYS_INLINE const char *intern_probe(const itsm_engine *eng, const char *s, size_t n, uint32_t h)
{
    itsm__hprobe it = itsm__htab_probe(&eng->symtab, h);
    for (long pos; (pos = itsm__htab_next(&eng->symtab, &it)) >= 0;) {
        const struct itsm__sym *e = &eng->syms[pos];
        /* Equal lengths: the comparison reads within both strings. */
        if (e->n == n && itsm__bytes_eq(e->s, s, n))
            return e->s;
    }
    return NULL;
}

const char *itsm__symbol_handle(itsm_engine *eng, const char *s, size_t *n)
{
    /* Known by its address: a pointer into no symbol block is never read
     * here (it may be any string of the host's). Within one, past a
     * block's first 4 bytes and before its end, the 4 bytes before it
     * are the block's, a symbol's id when s is that symbol (else some
     * other symbol's bytes, an id that names no symbol at s). */
    if (!s)
        return NULL;
    uintptr_t a = (uintptr_t)s;
    size_t lo = 0, hi = eng->nsymblk;   /* the last block starting at or before s: symblk_at[lo - 1] */
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if ((uintptr_t)eng->symblk_at[mid]->data <= a)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (!lo)
        return NULL;
    const struct itsm__symblock *b = eng->symblk_at[lo - 1];
    uintptr_t off = a - (uintptr_t)b->data;
    if (off < sizeof(uint32_t) || off >= b->used)
        return NULL;
    uint32_t id = itsm__sym_id(s);
    if (id - 1 >= eng->nsyms || eng->syms[id - 1].s != s)
        return NULL;
    *n = eng->syms[id - 1].n;
    itsm__symbol_remember(eng, s, s, *n);
    return s;
}

/* A new symbol block `nb` in eng->symblk_at, by its address; room was
 * made. */
static void sym_block_place(itsm_engine *eng, struct itsm__symblock *nb)
{
    size_t i = eng->nsymblk;
    while (i > 0 && (uintptr_t)eng->symblk_at[i - 1] > (uintptr_t)nb) {
        eng->symblk_at[i] = eng->symblk_at[i - 1];
        i--;
    }
    eng->symblk_at[i] = nb;
    eng->nsymblk++;
}

int itsm__event_ix_slow(itsm_engine *eng, int kind, const char *name)
{
    int e = itsm__lc_event(itsm__lifecycle_of(eng, kind), name);
    if (e >= 0) {
        uint64_t h = (uint64_t)(uintptr_t)name * UINT64_C(0x9e3779b97f4a7c15) + (uint64_t)kind;
        struct itsm__evhit *c = &eng->evcache[h >> 58 & (ITSM__EVCACHE - 1)];
        c->key = name;
        c->kind = kind;
        c->ix = e;
        itsm__bytes_at_set(&c->at, name, itsm__lifecycle_of(eng, kind)->events[e]);
    }
    return e;
}

const char *itsm__intern_stable(itsm_engine *eng, const char *s)
{
    size_t n;
    const char *sym = itsm__symbol_cached(eng, s, &n);
    if (sym)
        return sym;
    n = strlen(s);
    if (!(sym = itsm__intern(eng, s, n)))
        return NULL;
    itsm__symbol_remember(eng, s, sym, n);
    return sym;
}

const char *itsm__intern_literal(itsm_engine *eng, const char *s)
{
    /* The cache's entry for this pointer was made from these very bytes,
     * which never change: no comparison (itsm__symbol_cached makes one, a
     * host's buffer or a freed policy's name may hold other bytes now). */
    const struct itsm__symhit *h = &eng->symcache[((uintptr_t)s >> 2) & (ITSM__SYMCACHE - 1)];
    return h->key == s ? h->sym : itsm__intern_stable(eng, s);
}

const char *itsm__intern(itsm_engine *eng, const char *s, size_t n)
{
    if (n >= UINT32_MAX)   /* unreachable: callers hold symbols to ITSM_MAX_SYMBOL */
        return NULL;
    uint32_t h = itsm__htab_hash(&eng->symtab, s, n);
    itsm__hprobe it = itsm__htab_probe(&eng->symtab, h);
    for (long pos; (pos = itsm__htab_next(&eng->symtab, &it)) >= 0;) {
        const struct itsm__sym *e = &eng->syms[pos];
        /* Equal lengths: the comparison reads within both strings. */
        if (e->n == n && itsm__bytes_eq(e->s, s, n))
            return e->s;
    }
    return itsm__intern_add(eng, s, n, h);
}

const char *itsm__intern_add(itsm_engine *eng, const char *s, size_t n, uint32_t h)
{
    return intern_add_in(eng, s, n, h);
}

/* memcpy(d, s, n) for a symbol's 1..ITSM_MAX_SYMBOL bytes, by words
 * (the last one over the one before it), not a call: most symbols are
 * a word or two. */
ITSM__ALWAYS_INLINE void bytes_copy(char *d, const char *s, size_t n)
{
    uint64_t w;
    if (n >= 8) {
        for (size_t k = 8; k < n; k += 8) {
            memcpy(&w, s + k - 8, 8);
            memcpy(d + k - 8, &w, 8);
        }
        memcpy(&w, s + n - 8, 8);
        memcpy(d + n - 8, &w, 8);
    } else if (n >= 4) {
        uint32_t lo, hi;
        memcpy(&lo, s, 4);
        memcpy(&hi, s + n - 4, 4);
        memcpy(d, &lo, 4);
        memcpy(d + n - 4, &hi, 4);
    } else {
        d[0] = s[0];
        d[n / 2] = s[n / 2];
        d[n - 1] = s[n - 1];
    }
}

/* itsm__intern_add; inline in symbol_uncached_in, a new symbol's path. */
ITSM__ALWAYS_INLINE const char *intern_add_in(itsm_engine *eng, const char *s, size_t n, uint32_t h)
{
    if (n >= UINT32_MAX)   /* unreachable: callers hold symbols to ITSM_MAX_SYMBOL */
        return NULL;
    if (eng->nsyms >= eng->sym_room && sym_reserve(eng, eng->nsyms + 1))
        return NULL;
    /* Each symbol's id (its position + 1) goes before its bytes: a record
     * stores the id (itsm__sym_id), 4 bytes instead of a pointer. */
    uint32_t id = (uint32_t)eng->nsyms + 1;
    size_t need = sizeof id + n + 1;
    struct itsm__symblock *b = eng->symblk;
    if (!b || b->cap - b->used < need) {
        /* 256 bytes first (an engine with a few symbols stays small), then
         * doubling to 64 KiB; a longer symbol gets a block of its own size. */
        size_t cap = b ? (b->cap < 65536 ? b->cap * 2 : b->cap) : 256;
        if (cap < need)
            cap = need;
        struct itsm__symblock *nb;
        if (itsm__grow(&eng->alloc, (void **)&eng->symblk_at, &eng->csymblk, eng->nsymblk + 1,
                       sizeof *eng->symblk_at) ||
            !(nb = itsm__malloc(&eng->alloc, sizeof *nb + cap)))
            return NULL;
        nb->next = b;
        nb->used = 0;
        nb->cap = cap;
        eng->symblk = b = nb;
        sym_block_place(eng, nb);
    }
    char *copy = b->data + b->used + sizeof id;
    memcpy(copy - sizeof id, &id, sizeof id);
    bytes_copy(copy, s, n);
    copy[n] = '\0';
    b->used += need;
    eng->syms[eng->nsyms].s = copy;
    eng->syms[eng->nsyms].n = (uint32_t)n;
    itsm__htab_put(&eng->symtab, h, eng->nsyms);
    eng->nsyms++;
    return copy;
}

int itsm_engine_symbol(itsm_engine *eng, const char *symbol, const char **out)
{
    if (!eng)
        return ITSM_EINVAL;
    if (!out)
        return itsm__err(eng, ITSM_EINVAL, "out is NULL");
    *out = NULL;
    /* The symbol cache, then the table by the bytes: not the lookup by
     * address of itsm__symbol_cached, which a new symbol (the usual call)
     * misses, while a handle the cache lost is found by its bytes as well,
     * the same interned pointer. */
    size_t n;
    const struct itsm__symhit *h = &eng->symcache[((uintptr_t)symbol >> 2) & (ITSM__SYMCACHE - 1)];
    const char *s = h->key == symbol && (h->sym == symbol || strcmp(h->sym, symbol) == 0) ? h->sym : NULL;
    if (s) {
        n = h->n;
    } else {
        n = symbol ? strlen(symbol) : 0;
        if (n > ITSM_MAX_SYMBOL)
            return itsm__err(eng, ITSM_ELIMIT, "symbol must be 1..%d bytes", ITSM_MAX_SYMBOL);
        /* the length measured once */
        /* the handle remembered below, not the host's string: a host
         * asks for a handle to pass it, and its string's entry would
         * only push a handle out of the cache */
        int rc = n ? symbol_uncached_in(eng, symbol, n, "symbol", &s, 0) : symbol_uncached(eng, symbol, "symbol", &s);
        if (rc)
            return rc;
    }
    /* the handle is its own key: known by address from now on */
    itsm__symbol_remember(eng, s, s, n);
    *out = s;
    return ITSM_OK;
}

int itsm_engine_symbol_n(itsm_engine *eng, const char *symbol, size_t n, const char **out)
{
    if (!eng)
        return ITSM_EINVAL;
    if (!out)
        return itsm__err(eng, ITSM_EINVAL, "out is NULL");
    *out = NULL;
    if (!symbol || !n)
        return itsm__err(eng, ITSM_EINVAL, "symbol is required");
    if (n > ITSM_MAX_SYMBOL)
        return itsm__err(eng, ITSM_ELIMIT, "symbol must be 1..%d bytes", ITSM_MAX_SYMBOL);
    /* the bytes are the host's, with no NUL after them: not the symbol
     * cache's test by the string (itsm_engine_symbol), the table by the
     * bytes; a NUL among them is a control byte, refused as a symbol */
    const char *s;
    int rc = symbol_uncached_in(eng, symbol, n, "symbol", &s, 0);
    if (rc)
        return rc;
    itsm__symbol_remember(eng, s, s, n);   /* the handle is its own key, as itsm_engine_symbol's */
    *out = s;
    return ITSM_OK;
}

/* itsm_engine_set_actor for a string the symbol cache does not hold as a
 * handle. */
#if defined(__GNUC__)
__attribute__((noinline))
#endif
static int set_actor_slow(itsm_engine *eng, const char *actor)
{
    const char *s;
    size_t n;
    /* Most often a handle the cache lost (the host passes its handles):
     * found by its address first, without itsm__symbol_cached's second
     * test of the entry set_actor tested. A live handle's entry, if any,
     * holds the handle itself, so the order changes nothing. */
    if ((s = itsm__symbol_handle(eng, actor, &n))) {
        eng->actor = s;
        return ITSM_OK;
    }
    const struct itsm__symhit *h = &eng->symcache[((uintptr_t)actor >> 2) & (ITSM__SYMCACHE - 1)];
    if (h->key == actor && strcmp(h->sym, actor) == 0) {   /* a host string the cache holds */
        eng->actor = h->sym;
        return ITSM_OK;
    }
    n = strlen(actor);
    if (n == 0 || n > ITSM_MAX_SYMBOL)
        return itsm__err(eng, n ? ITSM_ELIMIT : ITSM_EINVAL, "actor must be 1..%d bytes", ITSM_MAX_SYMBOL);
    int rc = symbol_uncached_n(eng, actor, n, "actor", &s);
    if (rc)
        return rc;
    eng->actor = s;
    return ITSM_OK;
}

/* Hosts set the actor before each call, most often to a string the symbol
 * cache holds: that test alone here, a frameless leaf, the rest in
 * set_actor_slow (a tail call). */
int itsm_engine_set_actor(itsm_engine *eng, const char *actor)
{
    if (!eng)
        return ITSM_EINVAL;
    if (!actor) {
        eng->actor = NULL;
        return ITSM_OK;
    }
    const struct itsm__symhit *h = &eng->symcache[((uintptr_t)actor >> 2) & (ITSM__SYMCACHE - 1)];
    if (h->key == actor && h->sym == actor) {   /* the handle itself (itsm__symbol_cached) */
        eng->actor = actor;
        return ITSM_OK;
    }
    return set_actor_slow(eng, actor);
}

size_t itsm_engine_record_count(const itsm_engine *eng) { return eng ? eng->nrecs : 0; }

int itsm_engine_record_at(itsm_record **out, const itsm_engine *eng, size_t index)
{
    if (!eng)
        return ITSM_EINVAL;
    if (!out)
        return itsm__err_const(eng, ITSM_EINVAL, "itsm_engine_record_at: out is NULL");
    if (index >= eng->nrecs)
        return itsm__err_const(eng, ITSM_EINVAL,
                               "itsm_engine_record_at: record index %zu is out of range (the engine has %zu)",
                               index, eng->nrecs);
    *out = eng->recs[index];
    return ITSM_OK;
}

/* ---- records ---- */

_Static_assert(ITSM__NSMALL % 2 == 0, "small numeric slots pair up in bytes");
_Static_assert(sizeof(itsm_record) % 8 == 0, "the capabilities' record state follows the record, 8-byte aligned");
/* itsm__record_alloc_room writes the members up to tm and zeroes the rest:
 * no member may sit between them unwritten. */
_Static_assert(offsetof(itsm_record, text) == offsetof(itsm_record, x) + sizeof(itsm__recx *) &&
               offsetof(itsm_record, tm) == offsetof(itsm_record, text) + sizeof(char *[ITSM__NTEXT]) &&
               offsetof(itsm_record, sym) == offsetof(itsm_record, tm) + sizeof(int64_t[ITSM__NTIME]),
               "a record's members up to sym are written one by one");

/* A record's block is carved 8-byte aligned (its members and the
 * capabilities' state need no more) from blocks of about a page: a malloc
 * per some ten records instead of one each, and no chunk header or
 * 16-byte rounding per record. A block holds a whole number of records of
 * the size of the last one made before it, its texts' room grown
 * (eng->rec_last; most are alike: ids of one form, the same capabilities'
 * state, texts of one kind), so that alike records fill it to the end. */
#define RECBLOCK (4096 - sizeof(struct itsm__recblock) - 16)
_Static_assert(_Alignof(itsm_record) <= 8, "records are carved 8-byte aligned");
_Static_assert(offsetof(struct itsm__recblock, data) % 8 == 0, "a block's data is 8-byte aligned");

/* A new block for a record of `size` (rounded), eng->recblk's next. */
static struct itsm__recblock *rec_block(itsm_engine *eng, size_t size)
{
    size_t like = eng->rec_last > size ? eng->rec_last : size;
    size_t cap = like > RECBLOCK ? like : RECBLOCK / like * like;
    struct itsm__recblock *nb = itsm__malloc(&eng->alloc, sizeof *nb + cap);
    if (!nb)
        return NULL;
    nb->next = eng->recblk;
    nb->used = 0;
    nb->cap = cap;
    eng->recblk = nb;
    return nb;
}

/* `size` bytes (rounded) carved from the newest block, which has them. */
static inline itsm_record *rec_carve(itsm_engine *eng, struct itsm__recblock *b, size_t size)
{
    itsm_record *r = (itsm_record *)(void *)(b->data + b->used);
    b->used += size;
    eng->rec_last = size;
    return r;
}

/* A record's bytes back to its block when it is the block's newest (an
 * aborted opening); else they stay until the engine's records go. */
static void rec_uncarve(itsm_engine *eng, itsm_record *r)
{
    struct itsm__recblock *b = eng->recblk;
    if (!b)
        return;
    uintptr_t start = (uintptr_t)b->data, at = (uintptr_t)r;
    uintptr_t end = ((uintptr_t)r->id + strlen(r->id) + 1 - start + 7) & ~(uintptr_t)7;
    if (at >= start && at - start < b->used && end == b->used)
        b->used = at - start;
}

/* An id of other than 8..16 bytes copied to `copy` and ended: out of
 * line, so that no value of record_init_block's is kept across its call
 * (a frame of fewer saved registers for the usual id). */
#if defined(__GNUC__)
__attribute__((noinline))
#endif
static char *id_copy(char *copy, const char *id, size_t n)
{
    memcpy(copy, id, n);
    copy[n] = '\0';
    return copy;
}

/* A record in block `r` (the record, the capabilities' state of its kind,
 * `room` bytes for its opening texts, its id of n <= 64 bytes: ids are
 * checked before; the texts are written when proposed). */
ITSM__ALWAYS_INLINE itsm_record *record_init_block(itsm_engine *eng, itsm_record *r, const char *id, size_t n, int kind,
                                        size_t room)
{
    size_t extra = eng->rec_extra[kind];
    /* Zeroed: what starts as zero (unset fields, counters, the
     * capabilities' state but what their record_init sets); written: the
     * rest. The room and the id are written as they are filled. */
    char *copy = (char *)(r + 1) + extra + room;
    if (n - 8 <= 8) {   /* 8..16 bytes, the usual id: two words, the second over the first's end */
        uint64_t lo, hi;
        memcpy(&lo, id, 8);
        memcpy(&hi, id + n - 8, 8);
        memcpy(copy, &lo, 8);
        memcpy(copy + n - 8, &hi, 8);
        copy[n] = '\0';
    } else {
        copy = id_copy(copy, id, n);
    }
    r->eng = eng;
    r->id = copy;
    r->rev = 0;
    r->x = (itsm__recx *)(uintptr_t)&itsm__recx_none;
    memset(r->text, 0, sizeof r->text);
    for (int i = 0; i < ITSM__NTIME; i++)   /* every time slot holds a time field (core/fields.h) */
        r->tm[i] = ITSM_TIME_NONE;
    /* the record's own bytes: a constant size, stored inline, no call */
    memset(r->sym, 0, sizeof *r - offsetof(itsm_record, sym));
    r->kind = (unsigned char)kind;
    /* a part with a record_init sets its whole state (capability.h: the
     * SLA's, the one there is, stores its own constants over no zeroing
     * of the core's); the others are zeroed here */
    for (unsigned i = 0, np = eng->nrec_part[kind]; i < np; i++) {
        const struct itsm__recpart *p = &eng->rec_part[kind][i];
        r->xoff[p->slot] = (uint16_t)(sizeof *r + p->off);
        if (p->init)
            p->init(eng, r);
        else
            memset((char *)(r + 1) + p->off, 0, (i + 1 < np ? p[1].off : extra) - p->off);
    }
    return r;
}

itsm_record *itsm__record_alloc(itsm_engine *eng, const char *id, size_t n, int kind)
{
    itsm_record *r = itsm__malloc(&eng->alloc, sizeof *r + eng->rec_extra[kind] + n + 1);
    return r ? record_init_block(eng, r, id, n, kind, 0) : NULL;
}

/* itsm__record_alloc_room when the newest block lacks the bytes (one
 * record in some ten): a new block, then the usual carve. Out of line:
 * inlined, its values kept across the malloc made every record's frame
 * save six registers. */
#if defined(__GNUC__)
__attribute__((noinline))
#endif
static itsm_record *record_alloc_block(itsm_engine *eng, const char *id, size_t n, int kind, size_t room,
                                       size_t size)
{
    struct itsm__recblock *b = rec_block(eng, size);
    return b ? record_init_block(eng, rec_carve(eng, b, size), id, n, kind, room) : NULL;
}

itsm_record *itsm__record_alloc_room(itsm_engine *eng, const char *id, size_t n, int kind, size_t room)
{
    size_t size = (sizeof(itsm_record) + eng->rec_extra[kind] + room + n + 1 + 7) & ~(size_t)7;
    struct itsm__recblock *b = eng->recblk;
    if (!b || b->cap - b->used < size)
        return record_alloc_block(eng, id, n, kind, room, size);
    return record_init_block(eng, rec_carve(eng, b, size), id, n, kind, room);
}

void itsm__record_free(itsm_engine *eng, itsm_record *r)
{
    if (!r)
        return;
    for (int i = 0; i < ITSM__NTEXT; i++)
        if (!itsm__rec_inline(r, r->text[i]))
            itsm__free(&eng->alloc, r->text[i]);
    for (unsigned i = 0; i < eng->nhk_record_free; i++)
        eng->hk_record_free[i](eng, r);
    itsm__recx *x = r->x;
    if (x != &itsm__recx_none) {
        for (uint32_t i = 0; i < x->nnotes; i++)
            itsm__free(&eng->alloc, x->notes[i].text);
        itsm__free(&eng->alloc, x->notes);
        itsm__free(&eng->alloc, x->links);
        if (x->cx) {
            itsm__cxv *b = eng->cxs[x->cx - 1];
            for (uint32_t f = 0; f < eng->policy->ncf; f++)
                if (eng->policy->cf[f].info.type == ITSM_TYPE_TEXT)
                    itsm__free(&eng->alloc, (void *)(uintptr_t)b[f].s);
            itsm__free(&eng->alloc, b);
            eng->cxs[x->cx - 1] = NULL;
        }
        itsm__free(&eng->alloc, x);
    }
    rec_uncarve(eng, r);
}

/* The room of a record's notes or links array holding n: itsm__grow
 * makes room in powers of two from 4, and apply never writes past the
 * room reserved, so the smallest such power not below n is never more
 * than the array has (and 0 for none makes the first reserve allocate).
 * The record keeps no capacity of its own: 8 bytes less per record. */
static size_t room_of(uint32_t n)
{
    size_t cap = n ? 4 : 0;
    while (cap < n)
        cap *= 2;
    return cap;
}

/* Room for `need` more bytes at `at` in r's block, r an opening's record
 * carved without room for its texts (itsm_record_open counts none
 * before it proposes them): when r is the newest record of the newest
 * block and the block has the bytes, its id moves up past them. The room
 * stays within ITSM__TEXT_INLINE, so a record's texts go inside it as
 * the room counted up front placed them: in the order proposed, each
 * that fits with the ones before. */
static int room_grow(itsm_engine *eng, itsm_record *r, const char *room, char *at, size_t need)
{
    struct itsm__recblock *b = eng->recblk;
    if (!b || (size_t)(at - room) + need > ITSM__TEXT_INLINE)
        return 0;
    size_t idn = strlen(r->id);
    uintptr_t start = (uintptr_t)b->data;
    uintptr_t end = ((uintptr_t)r->id + idn + 1 - start + 7) & ~(uintptr_t)7;
    if ((uintptr_t)r < start || end != b->used)   /* not the block's newest record */
        return 0;
    char *id = at + need;
    size_t used = ((uintptr_t)id + idn + 1 - start + 7) & ~(uintptr_t)7;
    if (used > b->cap)
        return 0;
    memmove(id, r->id, idn + 1);
    r->id = id;
    b->used = used;
    eng->rec_last = used - ((uintptr_t)r - start);
    return 1;
}

char *itsm__text_inline(itsm_engine *eng, itsm_event *ev, const char *s, size_t n)
{
    itsm_record *r = ev->rec;
    if (ev->type != ITSM__EV_OPEN || !ev->owns_rec)
        return NULL;
    /* The room is filled in the order the texts are proposed: the next
     * free byte is past the last inline text of the event. */
    char *room = (char *)(r + 1) + eng->rec_extra[r->kind], *at = room;
    for (unsigned i = 0; i < ev->nchanges; i++) {
        char *t = ev->changes[i].owned;
        if (t && itsm__rec_inline(r, t) && t + strlen(t) + 1 > at)
            at = t + strlen(t) + 1;
    }
    if (n + 1 > (size_t)(r->id - at) && !room_grow(eng, r, room, at, n + 1))
        return NULL;
    memcpy(at, s, n);
    at[n] = '\0';
    return at;
}

const itsm__recx itsm__recx_none = { NULL, NULL, 0, 0, 0 };

int itsm__rec_extras(itsm_engine *eng, itsm_record *r)
{
    if (r->x != &itsm__recx_none)
        return ITSM_OK;
    itsm__recx *x = itsm__calloc(&eng->alloc, 1, sizeof *x);
    if (!x)
        return itsm__oom(eng);
    r->x = x;
    return ITSM_OK;
}

int itsm__reserve_note(itsm_engine *eng, itsm_record *r)
{
    if (itsm__rec_extras(eng, r))
        return ITSM_ENOMEM;
    size_t cap = room_of(r->x->nnotes);
    if (itsm__grow(&eng->alloc, (void **)&r->x->notes, &cap, (size_t)r->x->nnotes + r->pending + 1,
                   sizeof *r->x->notes))
        return itsm__oom(eng);
    return ITSM_OK;
}

int itsm__reserve_link(itsm_engine *eng, itsm_record *r)
{
    if (itsm__rec_extras(eng, r))
        return ITSM_ENOMEM;
    size_t cap = room_of(r->x->nlinks);
    if (itsm__grow(&eng->alloc, (void **)&r->x->links, &cap, (size_t)r->x->nlinks + r->pending + 1,
                   sizeof *r->x->links))
        return itsm__oom(eng);
    return ITSM_OK;
}
