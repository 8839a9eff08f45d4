/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Tamper evidence (itsm/integrity.h, docs/events.md "The hash chain"): each
 * event's link is SHA-256(previous link || the event's canonical binary
 * form); a carried link written by the earlier rule, over the canonical
 * JSON, is accepted too, so stores written before stay verifiable. A
 * capability of its own: its reserve hook runs after every other's, when
 * a step's events are final and before the store sees them - it computes
 * the links of a live step, and checks those a replayed event carries
 * (refusing it with ITSM_ETAMPER, nothing applied); after_apply moves the
 * record's head on. The heads live in this capability's state, by record
 * position; engines whose store cannot give events back run none of this.
 *
 * Beside each head it keeps the fingerprint of the record's newest
 * revision (64 bits of its canonical binary form, 8 bytes a record): a
 * stale duplicate is compared with what was applied (duplicates.c).
 */
#include "core/capability.h"
#include "core/core.h"
#include "capabilities.h"
#include "kit/hash.h"
#include "kit/json.h"
#include "kit/sha256.h"
#include "integrity/chain_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "itsm/integrity.h"

chainst *itsm__chain_state(const itsm_engine *eng) { return eng->cap[ITSM__CAP_INTEGRITY]; }
#define state_of itsm__chain_state

static int engine_init(itsm_engine *eng)
{
    chainst *cs = itsm__calloc(&eng->alloc, 1, sizeof *cs);
    if (!cs)
        return ITSM_ENOMEM;
    cs->accel = itsm__sha256_accel();
    cs->cday.day = -1;
    cs->rd_pos = SIZE_MAX;
    eng->cap[ITSM__CAP_INTEGRITY] = cs;
    return ITSM_OK;
}

static void engine_free(itsm_engine *eng)
{
    chainst *cs = state_of(eng);
    if (!cs)
        return;
    itsm__free(&eng->alloc, cs->head);
    itsm__free(&eng->alloc, cs->known);
    itsm__free(&eng->alloc, cs->bstate);
    itsm__free(&eng->alloc, cs->scratch);
    itsm__free(&eng->alloc, cs->last);
    itsm__dup_free(eng, cs);
    itsm__free(&eng->alloc, cs->bfp);
    itsm__free(&eng->alloc, cs->bpos);
    itsm__free(&eng->alloc, cs->bin);
    itsm__free(&eng->alloc, cs->arena);
    itsm__free(&eng->alloc, cs->boff);
    itsm__free(&eng->alloc, cs);
    eng->cap[ITSM__CAP_INTEGRITY] = NULL;
}

/* The record's position in eng->recs (records are never removed). */
size_t itsm__chain_position(const itsm_engine *eng, const itsm_record *r)
{
    itsm__hprobe it = itsm__htab_probe(&eng->ids, itsm__htab_hash(&eng->ids, r->id, strlen(r->id)));
    for (long p; (p = itsm__htab_next(&eng->ids, &it)) >= 0;)
        if (eng->recs[p] == r)
            return (size_t)p;
    return SIZE_MAX;
}

/* Room for `need` heads; new entries are unknown. */
static int reserve_heads(itsm_engine *eng, chainst *cs, size_t need)
{
    if (need <= cs->cap)
        return ITSM_OK;
    size_t cap = cs->cap ? cs->cap : 64;
    while (cap < need)
        cap *= 2;
    void *h = itsm__realloc(&eng->alloc, cs->head, cap * sizeof *cs->head);
    if (!h)
        return itsm__oom(eng);
    cs->head = h;
    unsigned char *k = itsm__realloc(&eng->alloc, cs->known, cap);
    if (!k)
        return itsm__oom(eng);
    memset(k + cs->cap, CH_UNKNOWN, cap - cs->cap);
    cs->known = k;
    uint64_t *f = itsm__realloc(&eng->alloc, cs->last, cap * sizeof *f);
    if (!f)
        return itsm__oom(eng);
    cs->last = f;
    cs->cap = cap;
    return ITSM_OK;
}

/* 64 bits of a byte string, eight bytes a step: a fingerprint to tell
 * two events apart, kept in memory only (never stored). */
uint64_t itsm__fp64(const unsigned char *p, size_t n)
{
    const uint64_t m = 0xff51afd7ed558ccdu;
    uint64_t h = 0x9e3779b97f4a7c15u ^ (uint64_t)n, w;
    for (; n >= 8; p += 8, n -= 8) {
        memcpy(&w, p, 8);
        h = (h ^ w) * m;
        h ^= h >> 32;
    }
    w = 0;
    memcpy(&w, p, n);
    h = (h ^ w) * m;
    h ^= h >> 29;
    h *= 0xc4ceb9fe1a85ec53u;
    return h ^ (h >> 32);
}

/* The canonical binary form (no "hash") written by `put` into cs->bin;
 * its length in *len. */
int itsm__chain_canonical(itsm_engine *eng, chainst *cs, put_fn put, const void *what, size_t *len)
{
    for (;;) {
        itsm__jw w;
        itsm__jw_init_bin(&w, cs->bin, cs->cbin);
        put(&w, what);
        if (itsm__jw_finish(&w, len) == ITSM_OK)
            return ITSM_OK;
        unsigned char *b = itsm__realloc(&eng->alloc, cs->bin, *len + 1);
        if (!b)
            return itsm__oom(eng);
        cs->bin = b;
        cs->cbin = *len + 1;
    }
}

/* The link of the event whose canonical binary form is `bytes`:
 * SHA-256(prev || those bytes). */
void itsm__chain_link_bin(const chainst *cs, const unsigned char prev[32], const unsigned char *bytes, size_t len,
                          unsigned char out[32])
{
    itsm__sha256 s;
    itsm__sha256_init(&s);
    s.accel = cs->accel;
    itsm__sha256_update(&s, prev, 32);
    itsm__sha256_update(&s, bytes, len);
    itsm__sha256_final(&s, out);
}

/* Room for `need` more bytes in the arena of the batch's forms. */
static int arena_room(itsm_engine *eng, chainst *cs, size_t need)
{
    if (cs->narena + need <= cs->carena)
        return ITSM_OK;
    size_t cap = cs->carena ? cs->carena : 4096;
    while (cap < cs->narena + need)
        cap *= 2;
    unsigned char *a = itsm__realloc(&eng->alloc, cs->arena, cap);
    if (!a)
        return itsm__oom(eng);
    cs->arena = a;
    cs->carena = cap;
    return ITSM_OK;
}

/* Room the common events' writer gets in the arena before it declines
 * (and the generic writer, which grows its buffer, writes the event). */
#define FAST_ROOM 1024

static void put_event(itsm__jw *w, const void *ev);

/* Event i's canonical binary form, written once and kept in the arena
 * for the step: its bytes in *bytes (valid until the next event's form),
 * its length in *len. */
static int write_form(itsm_engine *eng, chainst *cs, size_t i, const unsigned char **bytes, size_t *len)
{
    itsm_event *ev = &eng->batch[i];
    int rc = arena_room(eng, cs, FAST_ROOM);
    if (rc)
        return rc;
    if (!itsm__canon_fast(ev, &cs->cday, cs->arena + cs->narena, cs->carena - cs->narena, len)) {
        if ((rc = itsm__chain_canonical(eng, cs, put_event, ev, len)) || (rc = arena_room(eng, cs, *len)))
            return rc;
        memcpy(cs->arena + cs->narena, cs->bin, *len);
    }
    cs->boff[i] = cs->narena;
    ev->ncanon = *len;
    *bytes = cs->arena + cs->narena;
    cs->narena += *len;
    return ITSM_OK;
}

/* A replayed event's link checked over the bytes the store keeps
 * (eng->replay_body): 1 when they are the form it links - they go in
 * the arena as event i's, unwritten - or 0, the arena as it was, when
 * they are not (another writer's bytes, a link by the JSON rule, a
 * change): the form is then written and judged as always. */
static int kept_form(itsm_engine *eng, chainst *cs, size_t i, const unsigned char prev[32], int *rc)
{
    size_t len = eng->replay_nbody + 1;
    if ((*rc = arena_room(eng, cs, len)))
        return 0;
    unsigned char *form = cs->arena + cs->narena, link[32];
    memcpy(form, eng->replay_body, len - 1);
    form[len - 1] = 0x00;   /* the object's end */
    itsm__chain_link_bin(cs, prev, form, len, link);
    itsm_event *ev = &eng->batch[i];
    if (memcmp(link, ev->chain, 32) != 0)
        return 0;
    cs->boff[i] = cs->narena;
    ev->ncanon = len;
    cs->bfp[i] = itsm__fp64(form, len);
    cs->narena += len;
    return 1;
}

static void put_event(itsm__jw *w, const void *ev) { itsm__event_json(ev, w, 0); }

/* A stored event's tree as the library writes it, without its "hash":
 * the bytes put_event gives for the event it was written from. */
void itsm__chain_put_tree(itsm__jw *w, const void *root_)
{
    const itsm__jval *root = root_;
    itsm__jw_obj_begin(w);
    for (size_t i = 0; i < root->u.obj.n; i++) {
        const itsm__jmember *m = &root->u.obj.members[i];
        if (m->klen == 4 && !memcmp(m->key, "hash", 4))
            continue;
        itsm__jw_keyn(w, m->key, m->klen);
        itsm__jw_value(w, &m->val);
    }
    itsm__jw_obj_end(w);
}

/* The JSON rule (links written before the binary rule, and events
 * stored without a hash): SHA-256(prev || the canonical JSON `put`
 * writes). */
int itsm__chain_link_json(itsm_engine *eng, chainst *cs, put_fn put, const void *what,
                          const unsigned char prev[32], unsigned char out[32])
{
    for (;;) {
        itsm__jw w;
        size_t len = 0;
        itsm__jw_init(&w, cs->scratch, cs->cscratch);
        put(&w, what);
        if (itsm__jw_finish(&w, &len) == ITSM_OK) {
            itsm__sha256 s;
            itsm__sha256_init(&s);
            s.accel = cs->accel;
            itsm__sha256_update(&s, prev, 32);
            itsm__sha256_update(&s, cs->scratch, len);
            itsm__sha256_final(&s, out);
            return ITSM_OK;
        }
        char *b = itsm__realloc(&eng->alloc, cs->scratch, len + 1);
        if (!b)
            return itsm__oom(eng);
        cs->scratch = b;
        cs->cscratch = len + 1;
    }
}

static int link_json(itsm_engine *eng, chainst *cs, const itsm_event *ev, const unsigned char prev[32],
                     unsigned char out[32])
{
    return itsm__chain_link_json(eng, cs, put_event, ev, prev, out);
}

int itsm__tampered(itsm_engine *eng, const char *id, uint64_t rev, const char *why)
{
    return itsm__err(eng, ITSM_ETAMPER, "the store was changed outside the library: record %s revision %llu %s", id,
                     (unsigned long long)rev, why);
}

static int tampered(itsm_engine *eng, const itsm_event *ev, const char *why)
{
    char full[128];
    snprintf(full, sizeof full, "%s (the first broken link of its hash chain)", why);
    return itsm__tampered(eng, ev->rec->id, ev->rev, full);
}

/* The hooks run only for an engine whose store gives its events back
 * (ITSM__CAP_NEEDS_READABLE_STORE): one that keeps nothing to read has
 * nothing to verify, and the others (a discarding store, none) pay
 * nothing for the chain. */
static int reserve(itsm_engine *eng)
{
    chainst *cs = state_of(eng);
    cs->active = 1;
    size_t opens = 0;
    for (size_t i = 0; i < eng->nbatch; i++)
        opens += eng->batch[i].type == ITSM__EV_OPEN;
    int rc = reserve_heads(eng, cs, eng->nrecs + opens);
    if (rc)
        return rc;
    if (eng->nbatch > cs->cbstate) {
        unsigned char *b = itsm__realloc(&eng->alloc, cs->bstate, eng->nbatch);
        if (!b)
            return itsm__oom(eng);
        cs->bstate = b;
        uint64_t *f = itsm__realloc(&eng->alloc, cs->bfp, eng->nbatch * sizeof *f);
        if (!f)
            return itsm__oom(eng);
        cs->bfp = f;
        size_t *ps = itsm__realloc(&eng->alloc, cs->bpos, eng->nbatch * sizeof *ps);
        if (!ps)
            return itsm__oom(eng);
        cs->bpos = ps;
        size_t *os = itsm__realloc(&eng->alloc, cs->boff, eng->nbatch * sizeof *os);
        if (!os)
            return itsm__oom(eng);
        cs->boff = os;
        cs->cbstate = eng->nbatch;
    }
    static const unsigned char zero[32];
    size_t opened = 0;
    cs->narena = 0;
    for (size_t i = 0; i < eng->nbatch; i++) {
        itsm_event *ev = &eng->batch[i];
        cs->boff[i] = SIZE_MAX;
        /* The record's position, and the link before this event: the
         * link of its event just before in this batch, or the record's
         * head, or zero for a new record. */
        const unsigned char *prev = zero;
        int known = CH_KNOWN;
        size_t pos = SIZE_MAX;
        if (ev->type == ITSM__EV_OPEN) {
            pos = eng->nrecs + opened++;   /* records are inserted in batch order */
        } else {
            size_t j = i;
            while (j-- > 0 && eng->batch[j].rec != ev->rec)
                ;
            if (j != SIZE_MAX) {
                pos = cs->bpos[j];
                prev = eng->batch[j].chain;
                known = cs->bstate[j];
            } else {
                pos = itsm__chain_position(eng, ev->rec);
                known = pos < cs->cap ? cs->known[pos] : CH_UNKNOWN;
                if (known != CH_UNKNOWN)
                    prev = cs->head[pos];
            }
        }
        cs->bpos[i] = pos;
        if (pos >= cs->cap) {   /* not found: cannot happen (records are never removed) */
            if (!ev->replayed)
                ev->chained = 0;
            cs->bstate[i] = ev->chained ? CH_SEALED : CH_UNKNOWN;
            continue;
        }
        /* A load's event linked over the bytes the store keeps: the
         * same check without writing the form again. */
        if (i == 0 && ev->replayed && ev->chained && known != CH_UNKNOWN && eng->replay_body) {
            if (kept_form(eng, cs, i, prev, &rc)) {
                cs->bstate[i] = CH_SEALED;
                continue;
            }
            if (rc)
                return rc;
        }
        /* The canonical binary form, once: fingerprint and link. */
        size_t len;
        const unsigned char *form;
        if ((rc = write_form(eng, cs, i, &form, &len)))
            return rc;
        cs->bfp[i] = itsm__fp64(form, len);
        unsigned char link[32];
        if (!ev->replayed) {
            /* Live: chained only when a store will keep it. */
            ev->chained = 0;
            if (known == CH_UNKNOWN) {
                cs->bstate[i] = CH_UNKNOWN;
                continue;
            }
            itsm__chain_link_bin(cs, prev, form, len, ev->chain);
            ev->chained = 1;
            cs->bstate[i] = CH_SEALED;
            continue;
        }
        if (known == CH_UNKNOWN) {
            /* Nothing to check against: the chain goes on from what it carries. */
            cs->bstate[i] = ev->chained ? CH_SEALED : CH_UNKNOWN;
            continue;
        }
        if (ev->chained) {
            /* Either rule: links written before the binary rule hash the JSON. */
            itsm__chain_link_bin(cs, prev, form, len, link);
            if (memcmp(link, ev->chain, 32) != 0) {
                if ((rc = link_json(eng, cs, ev, prev, link)))
                    return rc;
                if (memcmp(link, ev->chain, 32) != 0)
                    return tampered(eng, ev, "does not match its hash");
            }
            cs->bstate[i] = CH_SEALED;
        } else {
            if (known == CH_SEALED)
                return tampered(eng, ev, "carries no hash, but the record's earlier events did");
            /* An event from before the chain: linked by the JSON rule, as
             * the engines that first chained onto such logs did. */
            if ((rc = link_json(eng, cs, ev, prev, ev->chain)))
                return rc;
            cs->bstate[i] = CH_KNOWN;
        }
    }
    /* The forms are final now (the arena no longer moves): the store's
     * and the sink's itsm_event_to_binary copy them. */
    for (size_t i = 0; i < eng->nbatch; i++)
        if (cs->boff[i] != SIZE_MAX)
            eng->batch[i].canon = cs->arena + cs->boff[i];
    return ITSM_OK;
}

static void after_apply(itsm_engine *eng, itsm_event *ev)
{
    chainst *cs = state_of(eng);
    size_t i = (size_t)(ev - eng->batch);
    if (i >= cs->cbstate)
        return;   /* reserve saw to it; this is only a guard */
    size_t pos = cs->bpos[i];
    if (pos >= cs->cap)
        return;
    cs->last[pos] = cs->bfp[i];
    cs->known[pos] = cs->bstate[i];
    if (cs->bstate[i] != CH_UNKNOWN)
        memcpy(cs->head[pos], ev->chain, 32);
}

const itsm__capability itsm__cap_integrity = {
    .name = "integrity",
    .engine_init = engine_init,
    .engine_free = engine_free,
    .reserve = reserve,
    .after_apply = after_apply,
    .needs = ITSM__CAP_NEEDS_READABLE_STORE,
};

/* ---- the public calls ---- */

int itsm_event_chain(const itsm_event *ev, char hex[65])
{
    if (!ev || !hex)
        return ITSM_EINVAL;
    if (!ev->chained)
        return ITSM_ENOTFOUND;
    itsm__hex32(ev->chain, hex);
    return ITSM_OK;
}

static const unsigned char *head_of(const itsm_engine *eng, const itsm_record *r)
{
    const chainst *cs = state_of(eng);
    if (!cs || !cs->active)
        return NULL;
    size_t pos = itsm__chain_position(eng, r);
    return pos < cs->cap && cs->known[pos] != CH_UNKNOWN ? cs->head[pos] : NULL;
}

int itsm_record_chain_head(const itsm_record *rec, char hex[65])
{
    if (!rec || !hex)
        return ITSM_EINVAL;
    const unsigned char *h = head_of(rec->eng, rec);
    if (!h)
        return itsm__err_const(rec->eng, ITSM_ENOTFOUND,
                               "the chain head of %s is not known: the engine's store does not give events back, "
                               "so it keeps no chain",
                               rec->id);
    itsm__hex32(h, hex);
    return ITSM_OK;
}

static int by_id(const void *a, const void *b)
{
    return strcmp((*(const itsm_record *const *)a)->id, (*(const itsm_record *const *)b)->id);
}

int itsm_engine_audit_to_json(const itsm_engine *eng, char *buf, size_t cap, size_t *len)
{
    if (!eng || !len || (!buf && cap))
        return ITSM_EINVAL;
    size_t n = eng->nrecs;
    itsm_record **sorted = n ? itsm__malloc(&eng->alloc, n * sizeof *sorted) : NULL;
    if (n && !sorted)
        return itsm__err_const(eng, ITSM_ENOMEM, "out of memory");
    if (n) {
        memcpy(sorted, eng->recs, n * sizeof *sorted);
        qsort(sorted, n, sizeof *sorted, by_id);
    }
    /* The digest first: one line per record, in id order. */
    itsm__sha256 s;
    itsm__sha256_init(&s);
    for (size_t i = 0; i < n; i++) {
        const unsigned char *h = head_of(eng, sorted[i]);
        char line[64 + 64 + 32 + 4], hex[65];
        if (h)
            itsm__hex32(h, hex);
        int k = snprintf(line, sizeof line, "%s %llu %s\n", sorted[i]->id, (unsigned long long)sorted[i]->rev,
                         h ? hex : "-");
        itsm__sha256_update(&s, line, (size_t)k);
    }
    unsigned char digest[32];
    char dhex[65];
    itsm__sha256_final(&s, digest);
    itsm__hex32(digest, dhex);
    itsm__jw w;
    itsm__jw_init(&w, buf, cap);
    itsm__jw_obj_begin(&w);
    itsm__jw_key(&w, "itsm_audit");
    itsm__jw_int(&w, 1);
    itsm__jw_key(&w, "records");
    itsm__jw_int(&w, (int64_t)n);
    itsm__jw_key(&w, "digest");
    itsm__jw_str(&w, dhex);
    itsm__jw_key(&w, "heads");
    itsm__jw_arr_begin(&w);
    for (size_t i = 0; i < n; i++) {
        const unsigned char *h = head_of(eng, sorted[i]);
        char hex[65];
        itsm__jw_obj_begin(&w);
        itsm__jw_key(&w, "record");
        itsm__jw_str(&w, sorted[i]->id);
        itsm__jw_key(&w, "rev");
        itsm__jw_int(&w, (int64_t)sorted[i]->rev);
        itsm__jw_key(&w, "hash");
        if (h) {
            itsm__hex32(h, hex);
            itsm__jw_str(&w, hex);
        } else {
            itsm__jw_null(&w);
        }
        itsm__jw_obj_end(&w);
    }
    itsm__jw_arr_end(&w);
    itsm__jw_obj_end(&w);
    itsm__free(&eng->alloc, sorted);
    return itsm__jw_finish(&w, len);
}
