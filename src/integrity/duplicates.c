/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Stale duplicates (docs/events.md, "Duplicates"): an event for a revision
 * a record already has, met while catching up, is compared with the event
 * applied at that revision - skipped when the same, refused with
 * ITSM_ETAMPER when its content differs. What is compared, without keeping
 * anything per event:
 *
 *   - the record's newest revision: the fingerprint of the event applied
 *     there (64 bits of its canonical binary form, 8 bytes a record, kept
 *     by chain.c);
 *   - an older revision, outside itsm_engine_load: the store's own copy,
 *     read back through read_record (one record's events, cached until
 *     another record's are read), when the store holds revisions 1 to the
 *     record's and they lead to its chain head - so the copy is the event
 *     that was applied;
 *   - otherwise (during a load, whose scan the store cannot interrupt; a
 *     store without read_record; events applied by replay, which the
 *     engine's own store never saw): the chain recomputed over the
 *     record's duplicates met from revision 1 on, in order - each must
 *     match the hash it carries (an event changed in place is refused at
 *     its revision), and the one of the record's newest revision must
 *     lead to its head (hashes recomputed by whoever changed an earlier
 *     one are refused there). 40 bytes a record while such a walk is
 *     unfinished.
 *
 * An older revision that is neither - met out of order, with no readable
 * copy of the record in the store - is skipped unchecked.
 */
#include "core/core.h"
#include "integrity/chain_int.h"
#include "kit/json.h"
#include "kit/sha256.h"

#include <string.h>

static const unsigned char zero[32];

static int differs(itsm_engine *eng, const itsm_record *r, uint64_t rev)
{
    return itsm__tampered(eng, r->id, rev,
                          "comes again with other content than the event applied at that revision "
                          "(a stale duplicate that differs)");
}

void itsm__dup_free(itsm_engine *eng, chainst *cs)
{
    itsm__free(&eng->alloc, cs->rd_fp);
    itsm__free(&eng->alloc, cs->walk_rev);
    itsm__free(&eng->alloc, cs->walk_link);
    cs->rd_fp = NULL;
    cs->walk_rev = NULL;
    cs->walk_link = NULL;
    cs->rd_n = cs->rd_cap = cs->walk_cap = 0;
    cs->rd_pos = SIZE_MAX;
}

/* The link of a stored event (its tree, its canonical binary form in
 * cs->bin[0..len)) after `prev`: the hash it carries when that is the
 * link by either rule, else *match = 0; for an event without a hash, the
 * link by the earlier rule (as chain.c links such events). */
static int tree_link(itsm_engine *eng, chainst *cs, const itsm__jval *root, size_t len,
                     const unsigned char prev[32], unsigned char out[32], int *match)
{
    const itsm__jval *hash = itsm__json_get(root, "hash");
    *match = 1;
    if (!hash)
        return itsm__chain_link_json(eng, cs, itsm__chain_put_tree, root, prev, out);
    unsigned char carried[32];
    if (hash->type != ITSM__JSTRING || itsm__unhex32(hash->u.str.s, hash->u.str.len, carried)) {
        *match = 0;
        return ITSM_OK;
    }
    itsm__chain_link_bin(cs, prev, cs->bin, len, out);
    if (memcmp(out, carried, 32) == 0)
        return ITSM_OK;
    int rc = itsm__chain_link_json(eng, cs, itsm__chain_put_tree, root, prev, out);
    if (rc == ITSM_OK && memcmp(out, carried, 32) != 0)
        *match = 0;
    return rc;
}

/* ---- the chain over the duplicates ---- */

static void walks_free(itsm_engine *eng, chainst *cs)
{
    itsm__free(&eng->alloc, cs->walk_rev);
    itsm__free(&eng->alloc, cs->walk_link);
    cs->walk_rev = NULL;
    cs->walk_link = NULL;
    cs->walk_cap = 0;
    cs->nwalks = 0;
}

void itsm__chain_load(itsm_engine *eng, int on)
{
    chainst *cs = itsm__chain_state(eng);
    if (!cs)
        return;
    cs->loading = on;
    walks_free(eng, cs);   /* a load's walks are finished or abandoned with it */
}

static int walk_room(itsm_engine *eng, chainst *cs)
{
    if (cs->walk_cap >= cs->cap)
        return ITSM_OK;
    uint64_t *r = itsm__realloc(&eng->alloc, cs->walk_rev, cs->cap * sizeof *r);
    if (!r)
        return itsm__oom(eng);
    memset(r + cs->walk_cap, 0, (cs->cap - cs->walk_cap) * sizeof *r);
    cs->walk_rev = r;
    void *l = itsm__realloc(&eng->alloc, cs->walk_link, cs->cap * sizeof *cs->walk_link);
    if (!l)
        return itsm__oom(eng);
    cs->walk_link = l;
    cs->walk_cap = cs->cap;
    return ITSM_OK;
}

static int walk(itsm_engine *eng, chainst *cs, const itsm_record *r, size_t pos, uint64_t rev,
                const itsm__jval *root, size_t len)
{
    int rc = walk_room(eng, cs);
    if (rc)
        return rc;
    const unsigned char *prev = zero;
    if (rev > 1 && cs->walk_rev[pos] != rev - 1)
        return ITSM_OK;   /* not met from revision 1 on, in order: nothing to chain from */
    if (rev > 1)
        prev = cs->walk_link[pos];
    unsigned char link[32];
    int match;
    if ((rc = tree_link(eng, cs, root, len, prev, link, &match)))
        return rc;
    if (!match)
        return differs(eng, r, rev);
    if (rev == r->rev && cs->known[pos] != CH_UNKNOWN && memcmp(link, cs->head[pos], 32) != 0)
        return itsm__tampered(eng, r->id, rev,
                              "comes again ending another chain than the events applied (an earlier "
                              "revision given again differs, its hashes recomputed)");
    int was = cs->walk_rev[pos] != 0;
    if (rev == r->rev) {   /* done: the record's duplicates are the events applied */
        cs->walk_rev[pos] = 0;
        cs->nwalks -= (size_t)was;
        if (!cs->nwalks && !cs->loading)
            walks_free(eng, cs);
        return ITSM_OK;
    }
    cs->nwalks += (size_t)!was;
    cs->walk_rev[pos] = rev;
    memcpy(cs->walk_link[pos], link, 32);
    return ITSM_OK;
}

/* ---- an older revision otherwise: the store's copy ---- */

typedef struct rdback {
    itsm_engine        *eng;
    chainst            *cs;
    const itsm_record  *r;
    unsigned char       link[32];
    uint64_t            bad;   /* the first revision that is not what was applied (0: none) */
    int                 rc;
} rdback;

static int on_stored(void *ctx, const char *data, size_t n)
{
    rdback *b = ctx;
    itsm_engine *eng = b->eng;
    chainst *cs = b->cs;
    uint64_t rev = cs->rd_n + 1;
    if (b->bad || rev > b->r->rev)
        return ITSM_OK;   /* past what the engine applied (another engine's, or after a difference) */
    itsm__jdoc *doc;
    int rc = itsm__event_parse(&doc, data, n, &eng->alloc, &eng->limits, NULL);
    if (rc) {
        b->bad = rev;
        return ITSM_OK;
    }
    const itsm__jval *root = itsm__jdoc_root(doc);
    const itsm__jval *rv = itsm__json_get(root, "rev");
    size_t len = 0;
    int match = 0;
    if (!rv || rv->type != ITSM__JNUMBER || !rv->u.num.is_int || (uint64_t)rv->u.num.i != rev)
        b->bad = rev;
    else if ((rc = itsm__chain_canonical(eng, cs, itsm__chain_put_tree, root, &len)) == ITSM_OK &&
             (rc = tree_link(eng, cs, root, len, b->link, b->link, &match)) == ITSM_OK && !match)
        b->bad = rev;
    if (rc == ITSM_OK && !b->bad) {
        if (cs->rd_n == cs->rd_cap) {
            size_t cap = cs->rd_cap ? cs->rd_cap * 2 : 16;
            uint64_t *f = itsm__realloc(&eng->alloc, cs->rd_fp, cap * sizeof *f);
            if (!f)
                rc = ITSM_ENOMEM;
            else {
                cs->rd_fp = f;
                cs->rd_cap = cap;
            }
        }
        if (rc == ITSM_OK)
            cs->rd_fp[cs->rd_n++] = itsm__fp64(cs->bin, len);
    }
    itsm__jdoc_free(doc);
    b->rc = rc;
    return rc;
}

/* Read the record's stored events back into the cache, and check that
 * they are the events applied: revisions 1.. in order, each matching the
 * hash it carries, the newest leading to the record's head. *usable 0
 * when they are not (the engine applied them by replay, or the store
 * changed): then the chain over the duplicates decides. */
static int read_back(itsm_engine *eng, chainst *cs, const itsm_record *r, size_t pos, int *usable)
{
    rdback b = { .eng = eng, .cs = cs, .r = r };
    memcpy(b.link, zero, 32);
    cs->rd_pos = SIZE_MAX;
    cs->rd_n = 0;
    *usable = 0;
    int was = eng->in_callback;
    eng->in_callback = 1;   /* the store must not call the engine while it reads */
    int rc = eng->store.read_record(eng->store_user, r->id, on_stored, &b);
    eng->in_callback = was;
    if (b.rc == ITSM_ENOMEM)
        return itsm__oom(eng);
    if (rc)
        return itsm__err(eng, ITSM_ESTORE, "reading the stored events of %s back to compare a duplicate: %s",
                         r->id, itsm_errname(rc));
    if (!b.bad && cs->rd_n < r->rev)
        b.bad = cs->rd_n + 1;
    if (!b.bad && cs->known[pos] != CH_UNKNOWN && memcmp(b.link, cs->head[pos], 32) != 0)
        b.bad = r->rev;
    *usable = !b.bad && cs->known[pos] != CH_UNKNOWN;
    if (!*usable) {
        cs->rd_n = 0;
        return ITSM_OK;
    }
    cs->rd_pos = pos;
    return ITSM_OK;
}

int itsm__chain_same(itsm_engine *eng, const itsm_record *r, uint64_t rev, const itsm__jval *root)
{
    chainst *cs = itsm__chain_state(eng);
    if (!cs || !cs->active || rev < 1 || rev > r->rev)
        return ITSM_OK;   /* no chain kept: nothing to compare with */
    size_t pos = itsm__chain_position(eng, r);
    if (pos >= cs->cap)
        return ITSM_OK;
    size_t len;
    int rc = itsm__chain_canonical(eng, cs, itsm__chain_put_tree, root, &len);
    if (rc)
        return rc;
    uint64_t fp = itsm__fp64(cs->bin, len);
    if (rev < r->rev && !cs->loading && eng->has_store && eng->store.read_record) {
        int usable = cs->rd_pos == pos && rev <= cs->rd_n;
        if (!usable && (rc = read_back(eng, cs, r, pos, &usable)))
            return rc;
        if (usable)
            return cs->rd_fp[rev - 1] == fp ? ITSM_OK : differs(eng, r, rev);
    }
    if ((rc = walk(eng, cs, r, pos, rev, root, len)))
        return rc;
    if (rev == r->rev && fp != cs->last[pos])
        return differs(eng, r, rev);
    return ITSM_OK;
}
