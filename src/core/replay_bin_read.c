/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Replay from the binary form, first part: the bytes of one event into
 * its members (core/replay_bin_int.h), checked as the binary reader
 * checks them (kit/json_bin.c, with the same varint and UTF-8 readers,
 * kit/bin_read.h) in one pass over each value. Anything the fast path
 * does not take - a malformed byte, a repeated member, a double, a nested
 * container where none belongs - is -1: the tree path reads the event
 * again and says what it finds.
 *
 * The reading position is a local pointer (`c`, up to `end`), not a field
 * of the rb: the members are written through byte-typed fields, which the
 * compiler must assume may alias anything in memory, so a position kept
 * in memory would be loaded again after every member's store.
 */
#include "core/replay_bin_int.h"
#include "kit/bin_read.h"
#include "kit/hash.h"
#include "kit/json_bin.h"

#include <string.h>

/* The steps below are one loop's body: inlined, whatever the compiler's
 * estimate of their size. */
#if defined(__GNUC__)
#define RB_STEP static inline __attribute__((always_inline))
#else
#define RB_STEP static inline
#endif

/* A varint at *cp (before end), *cp moved past it; 0 or -1. */
RB_STEP int varint(const unsigned char **cp, const unsigned char *end, uint64_t *out)
{
    const unsigned char *c = *cp;
    if (c < end && *c < 0x80) {
        *out = *c;
        *cp = c + 1;
        return 0;
    }
    size_t pos = 0;
    if (itsm__bin_varint_long(c, (size_t)(end - c), &pos, out))
        return -1;
    *cp = c + pos;
    return 0;
}

#define ONES 0x0101010101010101u
#define HIGHS 0x8080808080808080u

/* n bytes at *cp: in the input, within the limit, UTF-8; and whether they
 * hold a NUL, found in the same pass (eight bytes a step, the last eight
 * overlapping; a short string in one load when eight bytes of the input
 * end with it), so no later check reads them again. */
RB_STEP int bytes(const rb *b, const unsigned char **cp, const unsigned char *end, size_t n,
                  const unsigned char **out, unsigned char *nul)
{
    const unsigned char *s = *cp;
    if (n > (size_t)(end - s) || n > b->max_string)
        return -1;
    uint64_t high = 0, zero = 0, w;
    if (n >= 8) {
        for (size_t i = 0; i + 8 <= n; i += 8) {
            memcpy(&w, s + i, 8);
            high |= w;
            zero |= (w - ONES) & ~w;
        }
        memcpy(&w, s + n - 8, 8);
        high |= w;
        zero |= (w - ONES) & ~w;
    } else if (n) {
        /* the n bytes as a number, the bytes above them 0xFF (no NUL) */
        w = itsm__tail_bytes((const char *)s, n, (size_t)(s - b->p) + n >= 8);
        high = w;
        w |= ~(uint64_t)0 << (8 * n);
        zero = (w - ONES) & ~w;
    }
    /* (w - ONES) & ~w & HIGHS is not zero exactly when a byte of w is */
    if ((high & HIGHS) && itsm__bin_utf8_bad(s, n) != n)
        return -1;
    *cp = s + n;
    *out = s;
    *nul = (zero & HIGHS) != 0;
    return 0;
}

/* A scalar: null, false, true, a whole number or a string. Anything else
 * (a double, a container) is no value the fast path takes. */
RB_STEP int scalar(const rb *b, const unsigned char **cp, const unsigned char *end, rbv *v)
{
    if (*cp >= end)
        return -1;
    uint64_t u;
    unsigned char tag = *(*cp)++;
    v->tag = tag;
    switch (tag) {
    case 0x00: case 0x01: case 0x02:
        return 0;
    case 0x03:
        if (varint(cp, end, &u))
            return -1;
        v->i = (int64_t)(u >> 1) ^ -(int64_t)(u & 1);
        return 0;
    case 0x05:
        if (varint(cp, end, &u) || u > (size_t)(end - *cp))
            return -1;
        v->n = (size_t)u;
        return bytes(b, cp, end, (size_t)u, &v->s, &v->nul);
    default:
        return -1;
    }
}

/* A key: its table entry (>= 0), or -2 for an inline one (its bytes in
 * *key, *klen), -3 at the object's end; -1 when malformed. */
RB_STEP int key(const rb *b, const unsigned char **cp, const unsigned char *end, const unsigned char **k,
                size_t *klen)
{
    uint64_t u;
    const unsigned char *c = *cp;
    if (c < end && *c < 0x80) {   /* a table key or the end: one byte */
        u = *c;
        *cp = c + 1;
        if (u >= 2)
            return u - 2 < ITSM__K_NKEYS ? (int)(u - 2) : -1;
        if (u == 0)
            return -3;
    } else {
        if (varint(cp, end, &u))
            return -1;
        if (u == 0)
            return -3;
        if (u >= 2)
            return u - 2 < ITSM__K_NKEYS ? (int)(u - 2) : -1;
    }
    unsigned char nul;
    if (varint(cp, end, &u) || u > (size_t)(end - *cp) || bytes(b, cp, end, (size_t)u, k, &nul))
        return -1;
    *klen = (size_t)u;
    /* "pv" and "hash", the inline keys of every event, are not in the
     * table; another table key written inline is not canonical */
    if ((u == 2 && !memcmp(*k, "pv", 2)) || (u == 4 && !memcmp(*k, "hash", 4)))
        return -2;
    return itsm__bin_key_entry((const char *)*k, *klen) >= 0 ? -1 : -2;
}

/* Whether an inline key is among ms[0..n) already. */
static int repeated_inline(const rbm *ms, int n, const unsigned char *k, size_t kl)
{
    for (int j = 0; j < n; j++)
        if (ms[j].entry < 0 && ms[j].klen == kl && !memcmp(ms[j].key, k, kl))
            return 1;
    return 0;
}

/* Whether the key was seen: table keys by their bit in seen[]. */
RB_STEP int repeated(const rbm *ms, int n, int e, const unsigned char *k, size_t kl, uint64_t seen[2])
{
    if (e >= 0) {
        uint64_t bit = (uint64_t)1 << (e & 63);
        if (seen[e >> 6] & bit)
            return 1;
        seen[e >> 6] |= bit;
        return 0;
    }
    return repeated_inline(ms, n, k, kl);
}

/* The members of "set", "note" or "link": scalars, each key once. */
static int inner(rb *b, const unsigned char **cp, const unsigned char *end, int *first, int *count)
{
    uint64_t seen[2] = { 0, 0 };
    int start = b->nin, nin = start;
    *first = start;
    for (;;) {
        const unsigned char *k = NULL;
        size_t kl = 0;
        int e = key(b, cp, end, &k, &kl);
        if (e == -3)
            break;
        if (e == -1 || nin == RB_INNER || repeated(b->in + start, nin - start, e, k, kl, seen))
            return -1;
        rbm *m = &b->in[nin++];
        m->key = k;
        m->klen = kl;
        m->entry = e;
        if (scalar(b, cp, end, &m->val))
            return -1;
    }
    b->nin = nin;
    *count = nin - start;
    return 0;
}

int itsm__rb_decode(rb *b)
{
    if (b->n < 3 || b->p[0] != ITSM__BIN_MAGIC || b->p[1] != ITSM__BIN_VERSION || b->p[2] != 0x07)
        return -1;
    const unsigned char *c = b->p + 3, *const end = b->p + b->n;
    b->set = b->note = b->link = -1;
    uint64_t xseen[2] = { 0, 0 };
    /* pv and hash met: a null leaves a value's tag 0, as if absent, so a
     * member's presence is kept apart from its tag */
    unsigned inline_seen = 0;
    uint32_t topmask = b->topmask;
    int ntop = b->ntop;
    int rc = -1;
    for (;;) {
        const unsigned char *k = NULL;
        size_t kl = 0;
        int e = key(b, &c, end, &k, &kl);
        if (e == -3)
            break;
        if (e == -1 || ntop == RB_TOP)
            goto out;
        rbv *v;
        int own = 0;   /* a class's member */
        if (e >= 0 && e < ITSM__K_FIELD0) {
            if (topmask & (1u << e))
                goto out;   /* twice */
            v = &b->top[e];
            topmask |= 1u << e;
        } else if (e == -2 && kl == 2 && !memcmp(k, "pv", 2)) {
            if (inline_seen & 1u)
                goto out;
            inline_seen |= 1u;
            v = &b->pv;
        } else if (e == -2 && kl == 4 && !memcmp(k, "hash", 4)) {
            if (inline_seen & 2u)
                goto out;
            inline_seen |= 2u;
            v = &b->hash;
        } else {   /* an extension class's member, or unknown */
            if (repeated(b->xm, b->nx, e, k, kl, xseen))
                goto out;
            rbm *m = &b->xm[b->nx++];
            m->key = k;
            m->klen = kl;
            m->entry = e;
            v = &m->val;
            v->tag = 0;
            own = 1;
        }
        b->order[ntop++] = v;
        if (c >= end)
            goto out;
        unsigned char tag = *c;
        if (own && tag == 0x06) {
            /* a class's array of scalars (the groups engaged): its items
             * in in[], from v->i, v->n of them */
            c++;
            v->tag = 0x06;
            v->i = b->nin;
            while (c < end && *c != 0x08) {
                if (b->nin == RB_INNER || scalar(b, &c, end, &b->in[b->nin].val))
                    goto out;
                b->in[b->nin++].entry = -1;
            }
            if (c++ >= end)
                goto out;
            v->n = (size_t)(b->nin - v->i);
            continue;
        }
        if (tag == 0x07 && (e == ITSM__K_SET || e == ITSM__K_NOTE || e == ITSM__K_LINK)) {
            c++;
            v->tag = 0x07;
            int bad = e == ITSM__K_SET    ? inner(b, &c, end, &b->set, &b->nset)
                      : e == ITSM__K_NOTE ? inner(b, &c, end, &b->note, &b->nnote)
                                          : inner(b, &c, end, &b->link, &b->nlink);
            if (bad)
                goto out;
            continue;
        }
        if (scalar(b, &c, end, v))
            goto out;
    }
    rc = c == end ? 0 : -1;
out:
    b->topmask = topmask;
    b->ntop = ntop;
    b->pos = (size_t)(c - b->p);
    return rc;
}
