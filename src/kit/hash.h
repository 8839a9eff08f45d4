/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Internal: the one hash function and the one hash table of the library.
 *
 * The table is open addressing with linear probing over a power-of-two
 * array of {32-bit hash, position + 1} slots (0: empty), at most half
 * full (3/4 for a dense table). It stores positions, not keys: the caller keeps its entries in its
 * own array (records, symbols, buckets, packets, JSON members) and confirms
 * a hash match against it. Keeping the hash beside the position lets a
 * probe reject a non-match without following a pointer, and growing never
 * re-reads the keys.
 *
 * The hash is seeded per table (from addresses, which vary per run), so
 * crafted ids or keys cannot force collisions; only positions in the table
 * depend on it, never anything observable.
 */
#ifndef ITSM_SRC_KIT_HASH_H
#define ITSM_SRC_KIT_HASH_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "itsm/common.h"
#include "itsm/errors.h"

/* ---- hashing: 8 bytes a step, then murmur3's 64-bit finalizer ---- */

/* The last n (1..7) bytes at s as a little-endian number. `back`: at least
 * 8 bytes end at s + n, so one load covers them. */
static inline uint64_t itsm__tail_bytes(const char *s, size_t n, int back)
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

static inline uint64_t itsm__hash_mix(uint64_t h)
{
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdull;
    h ^= h >> 33;
    return h;
}

/* itsm__hash_bytes in steps, for a caller that reads the words for
 * something else as well (the symbol table's hash with its printable
 * check): the state for n bytes under `seed`, then each word in turn (the
 * tail as itsm__tail_bytes gives it), then itsm__hash_mix. */
static inline uint64_t itsm__hash_start(uint64_t seed, size_t n)
{
    return seed ^ 0x9e3779b97f4a7c15ull ^ (uint64_t)n;
}

static inline uint64_t itsm__hash_word(uint64_t h, uint64_t w)
{
    h = (h ^ w) * 0xbf58476d1ce4e5b9ull;
    return h ^ (h >> 31);
}

/* The n bytes at s, under `seed`. */
static inline uint64_t itsm__hash_bytes(uint64_t seed, const char *s, size_t n)
{
    uint64_t h = itsm__hash_start(seed, n);
    int back = n >= 8;
    for (; n >= 8; s += 8, n -= 8) {
        uint64_t w;
        memcpy(&w, s, 8);
        h = itsm__hash_word(h, w);
    }
    if (n)
        h = itsm__hash_word(h, itsm__tail_bytes(s, n, back));
    return itsm__hash_mix(h);
}

/* A 64-bit key (an interned pointer, a number), under `seed`. */
static inline uint64_t itsm__hash_u64(uint64_t seed, uint64_t x)
{
    return itsm__hash_mix((x ^ seed) * 0xbf58476d1ce4e5b9ull + 0x632be59bd9b4e019ull);
}

/* memcmp(a, b, n) == 0 without the call: keys are short. */
static inline int itsm__bytes_eq(const char *a, const char *b, size_t n)
{
    if (n < 8)
        return !n || itsm__tail_bytes(a, n, 0) == itsm__tail_bytes(b, n, 0);
    for (size_t k = 0; k + 8 <= n; k += 8) {
        uint64_t x, y;
        memcpy(&x, a + k, 8);
        memcpy(&y, b + k, 8);
        if (x != y)
            return 0;
    }
    return n % 8 == 0 ||
           itsm__tail_bytes(a + n - n % 8, n % 8, 1) == itsm__tail_bytes(b + n - n % 8, n % 8, 1);
}

/* A seed from the addresses of `obj` and of the caller's stack: they vary
 * per run (ASLR), which is all a seed needs. */
uint64_t itsm__hash_seed(const void *obj);

/* ---- the table ---- */

typedef struct itsm__hslot { uint32_t hash; uint32_t pos1; } itsm__hslot;

typedef struct itsm__htab {
    itsm__hslot *slot;    /* power-of-two size, NULL while empty */
    size_t       cap, n;
    uint64_t     seed;
    int          dense;   /* up to 3/4 full instead of 1/2 */
} itsm__htab;

void itsm__htab_init(itsm__htab *t, uint64_t seed);
/* A table that may be up to 3/4 full: for a table with an entry per
 * record (the id index), where memory per record counts more than the
 * probe or two a lookup may take more. */
void itsm__htab_init_dense(itsm__htab *t, uint64_t seed);
void itsm__htab_free(itsm__htab *t, const itsm_allocator *a);
/* Room for `n` entries in all (the table stays at most half full, or 3/4
 * when dense), so that
 * itsm__htab_put cannot fail. ITSM_OK, ITSM_ENOMEM (nothing changed) or
 * ITSM_ELIMIT (over 2^31 entries). Inline: the room is there on almost
 * every call (each new symbol, each opening reserves), and the check is
 * a comparison; growing is itsm__htab_grow. */
int  itsm__htab_grow(itsm__htab *t, const itsm_allocator *a, size_t n);
/* Whether the table holds n entries within its load as it is (then
 * itsm__htab_reserve has nothing to do). */
static inline int itsm__htab_holds(const itsm__htab *t, size_t n)
{
    return t->dense ? n * 4 <= t->cap * 3 : n * 2 <= t->cap;
}
/* The entries the table holds within its load as it is (itsm__htab_holds'
 * largest n: the size is 0 or a power of two from 16). */
static inline size_t itsm__htab_room(const itsm__htab *t)
{
    return t->dense ? t->cap / 4 * 3 : t->cap / 2;
}
static inline int itsm__htab_reserve(itsm__htab *t, const itsm_allocator *a, size_t n)
{
    return itsm__htab_holds(t, n) ? ITSM_OK : itsm__htab_grow(t, a, n);
}
/* Remove every entry, keeping the memory. */
void itsm__htab_clear(itsm__htab *t);

static inline uint32_t itsm__htab_hash(const itsm__htab *t, const char *s, size_t n)
{
    return (uint32_t)itsm__hash_bytes(t->seed, s, n);
}

/* Add position `pos` under `hash`; room was reserved. */
static inline void itsm__htab_put(itsm__htab *t, uint32_t hash, size_t pos)
{
    size_t mask = t->cap - 1;
    size_t i = hash & mask;
    while (t->slot[i].pos1)
        i = (i + 1) & mask;
    t->slot[i].hash = hash;
    t->slot[i].pos1 = (uint32_t)pos + 1;
    t->n++;
}

/* Probing: for (it = itsm__htab_probe(t, h); (pos = itsm__htab_next(t, &it)) >= 0;)
 * visits the positions stored under hash h (and, rarely, under another hash
 * that shares its 32 bits); the caller confirms each against its entry. */
typedef struct itsm__hprobe { size_t i; uint32_t hash; } itsm__hprobe;

static inline itsm__hprobe itsm__htab_probe(const itsm__htab *t, uint32_t hash)
{
    itsm__hprobe it = { t->cap ? hash & (t->cap - 1) : 0, hash };
    return it;
}

/* The next candidate position, or -1 when the probe reached an empty slot. */
static inline long itsm__htab_next(const itsm__htab *t, itsm__hprobe *it)
{
    if (!t->cap)
        return -1;
    size_t mask = t->cap - 1;
    for (;;) {
        const itsm__hslot *e = &t->slot[it->i];
        it->i = (it->i + 1) & mask;
        if (!e->pos1)
            return -1;
        if (e->hash == it->hash)
            return (long)e->pos1 - 1;
    }
}

#endif
