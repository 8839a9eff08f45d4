/* SPDX-License-Identifier: Apache-2.0 */
#include "kit/ptrmap.h"

static uint32_t key_hash(const itsm__ptrmap *m, const void *key)
{
    return (uint32_t)itsm__hash_u64(m->ix.seed, (uint64_t)(uintptr_t)key);
}

static const void *key_of(const void *entry)
{
    return *(const void *const *)entry;
}

void itsm__ptrmap_init(itsm__ptrmap *m)
{
    m->v = NULL;
    m->n = m->cap = 0;
    itsm__htab_init(&m->ix, itsm__hash_seed(m));
}

void itsm__ptrmap_free(itsm__ptrmap *m, const itsm_allocator *a)
{
    itsm__free(a, m->v);
    itsm__htab_free(&m->ix, a);
    m->v = NULL;
    m->n = m->cap = 0;
}

void *itsm__ptrmap_get(const itsm__ptrmap *m, const void *key)
{
    itsm__hprobe it = itsm__htab_probe(&m->ix, key_hash(m, key));
    for (long pos; (pos = itsm__htab_next(&m->ix, &it)) >= 0;)
        if (key_of(m->v[pos]) == key)
            return m->v[pos];
    return NULL;
}

int itsm__ptrmap_reserve(itsm__ptrmap *m, const itsm_allocator *a, size_t k)
{
    if (itsm__grow(a, (void **)&m->v, &m->cap, m->n + k, sizeof *m->v) ||
        itsm__htab_reserve(&m->ix, a, m->n + k))
        return ITSM_ENOMEM;
    return ITSM_OK;
}

void itsm__ptrmap_put(itsm__ptrmap *m, void *entry)
{
    itsm__htab_put(&m->ix, key_hash(m, key_of(entry)), m->n);
    m->v[m->n++] = entry;
}
