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

/* A varint read: where it ends (NULL: malformed) and its value,
 * returned together so that no position's address is taken. */
typedef struct rdv {
    const unsigned char *c;
    uint64_t u;
} rdv;

/* A varint of more than one byte (kit/bin_read.h). */
#if defined(__GNUC__)
__attribute__((noinline))
#endif
static rdv varint_long(const unsigned char *c, const unsigned char *end)
{
    size_t pos = 0;
    uint64_t u;
    if (itsm__bin_varint_long(c, (size_t)(end - c), &pos, &u))
        return (rdv){ NULL, 0 };
    return (rdv){ c + pos, u };
}

/* A varint at c (before end): mostly one byte. */
RB_STEP rdv varint(const unsigned char *c, const unsigned char *end)
{
    if (c < end && *c < 0x80)
        return (rdv){ c + 1, *c };
    return varint_long(c, end);
}

#define ONES 0x0101010101010101u
#define HIGHS 0x8080808080808080u

/* n bytes at c: in the input (`p` its first byte), within the limit,
 * UTF-8; and whether they hold a NUL, found in the same pass (eight bytes
 * a step, the last eight overlapping; a short string in one load when
 * eight bytes of the input end with it), so no later check reads them
 * again. Where they end, or NULL. */
RB_STEP const unsigned char *bytes(const unsigned char *p, size_t max_string, const unsigned char *c,
                                   const unsigned char *end, size_t n, unsigned char *nul)
{
    if (n > (size_t)(end - c) || n > max_string)
        return NULL;
    uint64_t high = 0, zero = 0, w;
    if (n >= 8) {
        for (size_t i = 0; i + 8 <= n; i += 8) {
            memcpy(&w, c + i, 8);
            high |= w;
            zero |= (w - ONES) & ~w;
        }
        memcpy(&w, c + n - 8, 8);
        high |= w;
        zero |= (w - ONES) & ~w;
    } else if (n) {
        /* the n bytes as a number, the bytes above them 0xFF (no NUL) */
        w = itsm__tail_bytes((const char *)c, n, (size_t)(c - p) + n >= 8);
        high = w;
        w |= ~(uint64_t)0 << (8 * n);
        zero = (w - ONES) & ~w;
    }
    /* (w - ONES) & ~w & HIGHS is not zero exactly when a byte of w is */
    if ((high & HIGHS) && itsm__bin_utf8_bad(c, n) != n)
        return NULL;
    *nul = (zero & HIGHS) != 0;
    return c + n;
}

int itsm__rb_check(const rbv *v)
{
    unsigned char nul;
    if (!v->unchecked)
        return v->nul;
    /* as the decoder checks a string (bytes() below, no byte before it read) */
    return bytes(v->s, SIZE_MAX, v->s, v->s + v->n, v->n, &nul) ? nul : -1;
}

/* The reading of one event: the input and the limit, kept in registers. */
typedef struct rd {
    const unsigned char *p, *end;
    size_t max_string;
    const unsigned char *end3;   /* end - 3: a common member's first three bytes are there when c <= end3 */
    unsigned short_max;          /* the longest string value_fast reads: 127, or max_string if less */
} rd;

/* A scalar at c: null, false, true, a whole number or a string; where it
 * ends, or NULL. Anything else (a double, a container) is no value the
 * fast path takes. */
RB_STEP const unsigned char *scalar(const rd *r, const unsigned char *c, rbv *v)
{
    if (c >= r->end)
        return NULL;
    unsigned char tag = *c++;
    v->tag = tag;
    rdv x;
    switch (tag) {
    case 0x00: case 0x01: case 0x02:
        return c;
    case 0x03:
        if (!(x = varint(c, r->end)).c)
            return NULL;
        v->i = (int64_t)(x.u >> 1) ^ -(int64_t)(x.u & 1);
        return x.c;
    case 0x05:
        if (!(x = varint(c, r->end)).c || x.u > (size_t)(r->end - x.c))
            return NULL;
        v->n = (size_t)x.u;
        v->s = x.c;
        v->unchecked = 0;
        return bytes(r->p, r->max_string, x.c, r->end, (size_t)x.u, &v->nul);
    default:
        return NULL;
    }
}

/* A key at *cp: its table entry (>= 0), or -2 for an inline one (its
 * bytes in *key, *klen), -3 at the object's end; -1 when malformed. */
RB_STEP int key(const rd *r, const unsigned char **cp, const unsigned char **k, size_t *klen)
{
    const unsigned char *c = *cp;
    uint64_t u;
    if (c < r->end && *c < 0x80) {   /* a table key or the end: one byte */
        u = *c++;
    } else {
        rdv x = varint(c, r->end);
        if (!x.c)
            return -1;
        u = x.u;
        c = x.c;
    }
    *cp = c;
    if (u == 0)
        return -3;
    if (u >= 2)
        return u - 2 < ITSM__K_NKEYS ? (int)(u - 2) : -1;
    unsigned char nul;
    rdv x = varint(c, r->end);
    if (!x.c || x.u > (size_t)(r->end - x.c) || !(c = bytes(r->p, r->max_string, x.c, r->end, (size_t)x.u, &nul)))
        return -1;
    *cp = c;
    *k = x.c;
    *klen = (size_t)x.u;
    /* "pv" and "hash", the inline keys of every event, are not in the
     * table; another table key written inline is not canonical */
    if ((x.u == 2 && !memcmp(*k, "pv", 2)) || (x.u == 4 && !memcmp(*k, "hash", 4)))
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

/* The common value, read in one step: a string with a one-byte length
 * (`unchecked`: its bytes not checked yet), a whole number of one byte,
 * or (`small`) null, false or true; `tag` at c[-1]. Into *v, and where it
 * ends; NULL to read it the general way (then *v is as it was). */
RB_STEP const unsigned char *value_fast(const rd *r, const unsigned char *c, unsigned tag, rbv *v, int small,
                                        int unchecked)
{
    if (tag == 0x05) {
        size_t n = c[0];
        unsigned char nul = 0;
        const unsigned char *after;
        /* a one-byte length within the limit (short_max <= 127), then
         * the bytes within the input */
        if (n > r->short_max ||
            !(after = unchecked ? (n <= (size_t)(r->end - (c + 1)) ? c + 1 + n : NULL)
                                : bytes(r->p, r->max_string, c + 1, r->end, n, &nul)))
            return NULL;
        v->s = c + 1;
        v->n = n;
        v->nul = nul;
        v->unchecked = (unsigned char)unchecked;
        v->tag = 0x05;
        return after;
    }
    if (tag == 0x03) {
        unsigned u = c[0];
        if (u & 0x80)
            return NULL;
        v->i = (int64_t)(u >> 1) ^ -(int64_t)(u & 1);
        v->tag = 0x03;
        return c + 1;
    }
    if (small && tag <= 0x02) {
        v->tag = (unsigned char)tag;
        return c;
    }
    return NULL;
}

/* The members of "set", "note" or "link" at c: scalars, each key once,
 * into b->in from *first, *count of them (`unchecked`: the common step's
 * strings not checked yet). Where they end, or NULL. */
RB_STEP const unsigned char *inner(rb *b, const rd *r, const unsigned char *c, int *first, int *count, int unchecked)
{
    uint64_t seen[2] = { 0, 0 };
    int start = b->nin, nin = start;
    for (;;) {
        /* the common member first: a field's table key, a value of
         * value_fast's (three bytes of the input at least) */
        unsigned f = c <= r->end3 ? (unsigned)c[0] - 2u : ITSM__K_NKEYS;
        if (f < ITSM__K_NKEYS && !(seen[f >> 6] >> (f & 63) & 1u) && nin < RB_INNER) {
            const unsigned char *after = value_fast(r, c + 2, c[1], &b->in[nin].val, 1, unchecked);
            if (after) {
                seen[f >> 6] |= (uint64_t)1 << (f & 63);
                /* a table key's member: its key and klen are read only
                 * for an inline key (entry < 0), so not written */
                b->in[nin++].entry = (int)f;
                c = after;
                continue;
            }
        }
        const unsigned char *k = NULL;
        size_t kl = 0;
        int e = key(r, &c, &k, &kl);
        if (e == -3)
            break;
        if (e == -1 || nin == RB_INNER || repeated(b->in + start, nin - start, e, k, kl, seen))
            return NULL;
        rbm *m = &b->in[nin++];
        m->key = k;
        m->klen = kl;
        m->entry = e;
        if (!(c = scalar(r, c, &m->val)))
            return NULL;
    }
    b->nin = nin;
    *first = start;
    *count = nin - start;
    return c;
}

/* The reading of itsm__rb_decode and itsm__rb_decode_replay
 * (`unchecked`), each with its own copy. */
RB_STEP int decode(rb *b, int unchecked)
{
    if (b->n < 3 || b->p[0] != ITSM__BIN_MAGIC || b->p[1] != ITSM__BIN_VERSION || b->p[2] != 0x07)
        return -1;
    const rd r = { b->p, b->p + b->n, b->max_string, b->p + b->n - 3,
                   b->max_string < 127 ? (unsigned)b->max_string : 127u };
    const unsigned char *c = b->p + 3;
    b->set = b->note = b->link = -1;
    uint64_t xseen[2] = { 0, 0 };
    /* pv and hash met: a null leaves a value's tag 0, as if absent, so a
     * member's presence is kept apart from its tag */
    unsigned inline_seen = 0;
    uint32_t topmask = b->topmask;
    for (;;) {
        /* the common member first: a top key of the table, a value of
         * value_fast's (three bytes of the input at least) */
        unsigned t = c <= r.end3 ? (unsigned)c[0] - 2u : ITSM__K_FIELD0;
        if (t < ITSM__K_FIELD0 && !(topmask >> t & 1u)) {
            const unsigned char *after = value_fast(&r, c + 2, c[1], &b->top[t], 0, unchecked);
            if (after) {
                topmask |= 1u << t;
                c = after;
                continue;
            }
            if (t == ITSM__K_SET && c[1] == 0x07) {   /* "set" and its object's tag: read at once */
                topmask |= 1u << t;
                c++;
                goto set_object;
            }
        }
        /* "pv" and "hash", the inline keys that end the library's events,
         * with a value of value_fast's: in one step too */
        if (r.end - c >= 8 && c[0] == 0x01) {
            rbv *v = NULL;
            unsigned bit = 0, at = 0;
            if (c[1] == 2 && c[2] == 'p' && c[3] == 'v')
                v = &b->pv, bit = 1, at = 5;
            else if (c[1] == 4 && c[2] == 'h' && c[3] == 'a' && c[4] == 's' && c[5] == 'h')
                v = &b->hash, bit = 2, at = 7;
            const unsigned char *after;
            if (v && !(inline_seen & bit) && (after = value_fast(&r, c + at, c[at - 1], v, 0, unchecked))) {
                inline_seen |= bit;
                c = after;
                continue;
            }
        }
        const unsigned char *k = NULL;
        size_t kl = 0;
        int e = key(&r, &c, &k, &kl);
        if (e == -3)
            break;
        if (e == -1)
            goto fail;
        rbv *v;
        int own = 0;   /* a class's member */
        if (e >= 0 && e < ITSM__K_FIELD0) {
            if (topmask & (1u << e))
                goto fail;   /* twice */
            v = &b->top[e];
            topmask |= 1u << e;
        } else if (e == -2 && kl == 2 && !memcmp(k, "pv", 2)) {
            if (inline_seen & 1u)
                goto fail;
            inline_seen |= 1u;
            v = &b->pv;
        } else if (e == -2 && kl == 4 && !memcmp(k, "hash", 4)) {
            if (inline_seen & 2u)
                goto fail;
            inline_seen |= 2u;
            v = &b->hash;
        } else {   /* an extension class's member, or unknown */
            if (b->nx == RB_TOP || repeated(b->xm, b->nx, e, k, kl, xseen))
                goto fail;
            rbm *m = &b->xm[b->nx++];
            m->key = k;
            m->klen = kl;
            m->entry = e;
            v = &m->val;
            v->tag = 0;
            own = 1;
        }
        if (c >= r.end)
            goto fail;
        unsigned char tag = *c;
        if (own && tag == 0x06) {
            /* a class's array of scalars (the groups engaged): its items
             * in in[], from v->i, v->n of them */
            c++;
            v->tag = 0x06;
            v->i = b->nin;
            while (c < r.end && *c != 0x08) {
                if (b->nin == RB_INNER || !(c = scalar(&r, c, &b->in[b->nin].val)))
                    goto fail;
                b->in[b->nin++].entry = -1;
            }
            if (c++ >= r.end)
                goto fail;
            v->n = (size_t)(b->nin - v->i);
            continue;
        }
        if (tag == 0x07 && (e == ITSM__K_SET || e == ITSM__K_NOTE || e == ITSM__K_LINK)) {
            /* "set" (nearly every event's) in a copy of its own, whether
             * its strings are checked known when it is compiled; c at its
             * object's tag */
            if (e == ITSM__K_SET) {
            set_object:
                b->top[ITSM__K_SET].tag = 0x07;
                c = inner(b, &r, c + 1, &b->set, &b->nset, unchecked);
            } else {
                v->tag = 0x07;
                c = inner(b, &r, c + 1, e == ITSM__K_NOTE ? &b->note : &b->link,
                          e == ITSM__K_NOTE ? &b->nnote : &b->nlink, 0);
            }
            if (!c)
                goto fail;
            continue;
        }
        if (!(c = scalar(&r, c, v)))
            goto fail;
    }
    b->topmask = topmask;
    b->inl = (unsigned char)inline_seen;
    b->pos = (size_t)(c - b->p);
    return c == r.end ? 0 : -1;
fail:   /* the tags written so far are the present members' (history.c clears them) */
    b->topmask = topmask;
    return -1;
}

int itsm__rb_decode(rb *b)
{
    return decode(b, 0);
}

int itsm__rb_decode_replay(rb *b)
{
    return decode(b, 1);
}
