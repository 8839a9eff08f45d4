/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Replay from the binary form, first part: the bytes of one event into
 * its members (core/replay_bin_int.h), checked as the binary reader
 * checks them (kit/json_bin.c, with the same varint and UTF-8 readers,
 * kit/bin_read.h) in one pass over each value. Anything the fast path
 * does not take - a malformed byte, a repeated member, a double, a nested
 * container where none belongs - is -1: the tree path reads the event
 * again and says what it finds.
 */
#include "core/replay_bin_int.h"
#include "kit/bin_read.h"
#include "kit/json_bin.h"

#include <string.h>

/* The steps below are one loop's body: inlined, whatever the compiler's
 * estimate of their size. */
#if defined(__GNUC__)
#define RB_STEP static inline __attribute__((always_inline))
#else
#define RB_STEP static inline
#endif

RB_STEP int varint(rb *b, uint64_t *out)
{
    return itsm__bin_varint(b->p, b->n, &b->pos, out) ? -1 : 0;
}

#define ONES 0x0101010101010101u
#define HIGHS 0x8080808080808080u

/* n bytes at the position: in the input, within the limit, UTF-8; and
 * whether they hold a NUL, found in the same pass (eight bytes a step,
 * the last eight overlapping), so no later check reads them again. */
RB_STEP int bytes(rb *b, size_t n, const unsigned char **out, unsigned char *nul)
{
    if (n > b->n - b->pos || n > b->max_string)
        return -1;
    const unsigned char *s = b->p + b->pos;
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
        high &= HIGHS;
        zero &= HIGHS;
    } else {
        for (size_t i = 0; i < n; i++) {
            high |= s[i];
            zero |= s[i] == 0;
        }
        high &= 0x80;
    }
    /* (w - ONES) & ~w & HIGHS is not zero exactly when a byte of w is */
    if (high && itsm__bin_utf8_bad(s, n) != n)
        return -1;
    b->pos += n;
    *out = s;
    *nul = zero != 0;
    return 0;
}

/* A scalar: null, false, true, a whole number or a string. Anything else
 * (a double, a container) is no value the fast path takes. */
RB_STEP int scalar(rb *b, rbv *v)
{
    if (b->pos >= b->n)
        return -1;
    uint64_t u;
    v->tag = b->p[b->pos++];
    switch (v->tag) {
    case 0x00: case 0x01: case 0x02:
        return 0;
    case 0x03:
        if (varint(b, &u))
            return -1;
        v->i = (int64_t)(u >> 1) ^ -(int64_t)(u & 1);
        return 0;
    case 0x05:
        if (varint(b, &u) || u > b->n - b->pos)
            return -1;
        v->n = (size_t)u;
        return bytes(b, v->n, &v->s, &v->nul);
    default:
        return -1;
    }
}

/* A key: its table entry (>= 0), or -2 for an inline one (its bytes in
 * *key, *klen), -3 at the object's end; -1 when malformed. */
RB_STEP int key(rb *b, const unsigned char **k, size_t *klen)
{
    uint64_t u;
    if (varint(b, &u))
        return -1;
    if (u == 0)
        return -3;
    if (u >= 2)
        return u - 2 < ITSM__K_NKEYS ? (int)(u - 2) : -1;
    unsigned char nul;
    if (varint(b, &u) || u > b->n - b->pos || bytes(b, (size_t)u, k, &nul))
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
static int inner(rb *b, int *first, int *count)
{
    uint64_t seen[2] = { 0, 0 };
    int start = *first = b->nin;
    for (;;) {
        const unsigned char *k = NULL;
        size_t kl = 0;
        int e = key(b, &k, &kl);
        if (e == -3)
            break;
        if (e == -1 || b->nin == RB_INNER || repeated(b->in + start, b->nin - start, e, k, kl, seen))
            return -1;
        rbm *m = &b->in[b->nin++];
        m->key = k;
        m->klen = kl;
        m->entry = e;
        if (scalar(b, &m->val))
            return -1;
    }
    *count = b->nin - start;
    return 0;
}

int itsm__rb_decode(rb *b)
{
    if (b->n < 3 || b->p[0] != ITSM__BIN_MAGIC || b->p[1] != ITSM__BIN_VERSION || b->p[2] != 0x07)
        return -1;
    b->pos = 3;
    b->set = b->note = b->link = -1;
    uint64_t xseen[2] = { 0, 0 };
    /* pv and hash met: a null leaves a value's tag 0, as if absent, so a
     * member's presence is kept apart from its tag */
    unsigned inline_seen = 0;
    for (;;) {
        const unsigned char *k = NULL;
        size_t kl = 0;
        int e = key(b, &k, &kl);
        if (e == -3)
            break;
        if (e == -1 || b->ntop == RB_TOP)
            return -1;
        rbv *v;
        int own = 0;   /* a class's member */
        if (e >= 0 && e < ITSM__K_FIELD0) {
            if (b->topmask & (1u << e))
                return -1;   /* twice */
            v = &b->top[e];
            b->topmask |= 1u << e;
        } else if (e == -2 && kl == 2 && !memcmp(k, "pv", 2)) {
            if (inline_seen & 1u)
                return -1;
            inline_seen |= 1u;
            v = &b->pv;
        } else if (e == -2 && kl == 4 && !memcmp(k, "hash", 4)) {
            if (inline_seen & 2u)
                return -1;
            inline_seen |= 2u;
            v = &b->hash;
        } else {   /* an extension class's member, or unknown */
            if (repeated(b->xm, b->nx, e, k, kl, xseen))
                return -1;
            rbm *m = &b->xm[b->nx++];
            m->key = k;
            m->klen = kl;
            m->entry = e;
            v = &m->val;
            v->tag = 0;
            own = 1;
        }
        b->order[b->ntop++] = v;
        if (b->pos >= b->n)
            return -1;
        unsigned char tag = b->p[b->pos];
        if (own && tag == 0x06) {
            /* a class's array of scalars (the groups engaged): its items
             * in in[], from v->i, v->n of them */
            b->pos++;
            v->tag = 0x06;
            v->i = b->nin;
            while (b->pos < b->n && b->p[b->pos] != 0x08) {
                if (b->nin == RB_INNER || scalar(b, &b->in[b->nin].val))
                    return -1;
                b->in[b->nin++].entry = -1;
            }
            if (b->pos++ >= b->n)
                return -1;
            v->n = (size_t)(b->nin - v->i);
            continue;
        }
        if (tag == 0x07 && (e == ITSM__K_SET || e == ITSM__K_NOTE || e == ITSM__K_LINK)) {
            b->pos++;
            v->tag = 0x07;
            int rc = e == ITSM__K_SET    ? inner(b, &b->set, &b->nset)
                     : e == ITSM__K_NOTE ? inner(b, &b->note, &b->nnote)
                                         : inner(b, &b->link, &b->nlink);
            if (rc)
                return -1;
            continue;
        }
        if (scalar(b, v))
            return -1;
    }
    return b->pos == b->n ? 0 : -1;
}
