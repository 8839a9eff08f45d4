/* SPDX-License-Identifier: Apache-2.0 */
/* The one hash table (kit/hash.h). */
#include "kit/hash.h"
#include "kit/alloc.h"

uint64_t itsm__hash_seed(const void *obj)
{
    int local = 0;
    uintptr_t s = (uintptr_t)obj ^ ((uintptr_t)&local << 16);
    return itsm__hash_mix((uint64_t)s * 0x9e3779b97f4a7c15ull + 1);
}

void itsm__htab_init(itsm__htab *t, uint64_t seed)
{
    t->slot = NULL;
    t->cap = t->n = 0;
    t->seed = seed;
    t->dense = 0;
}

void itsm__htab_init_dense(itsm__htab *t, uint64_t seed)
{
    itsm__htab_init(t, seed);
    t->dense = 1;
}

/* Whether `cap` slots hold n entries within the table's load (as
 * itsm__htab_holds for the table's own). */
static int fits(const itsm__htab *t, size_t n, size_t cap)
{
    return t->dense ? n * 4 <= cap * 3 : n * 2 <= cap;
}

void itsm__htab_free(itsm__htab *t, const itsm_allocator *a)
{
    itsm__free(a, t->slot);
    t->slot = NULL;
    t->cap = t->n = 0;
}

void itsm__htab_clear(itsm__htab *t)
{
    if (t->slot)
        memset(t->slot, 0, t->cap * sizeof *t->slot);
    t->n = 0;
}

int itsm__htab_grow(itsm__htab *t, const itsm_allocator *a, size_t n)
{
    if (fits(t, n, t->cap))
        return ITSM_OK;
    if (n >= ((size_t)1 << 31))
        return ITSM_ELIMIT;
    size_t cap = t->cap ? t->cap : 16;
    while (!fits(t, n, cap))
        cap *= 2;
    itsm__hslot *slot = itsm__calloc(a, cap, sizeof *slot);
    if (!slot)
        return ITSM_ENOMEM;
    size_t mask = cap - 1;
    for (size_t i = 0; i < t->cap; i++) {
        if (!t->slot[i].pos1)
            continue;
        size_t j = t->slot[i].hash & mask;
        while (slot[j].pos1)
            j = (j + 1) & mask;
        slot[j] = t->slot[i];
    }
    itsm__free(a, t->slot);
    t->slot = slot;
    t->cap = cap;
    return ITSM_OK;
}
