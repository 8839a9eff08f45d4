/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Internal: a map from a pointer (a record) to an entry the caller
 * allocates, for capabilities whose per-record state is sparse (only some
 * kinds carry it), on the kit's hash table. An entry's first member is its
 * key: `const void *key`.
 */
#ifndef ITSM_SRC_KIT_PTRMAP_H
#define ITSM_SRC_KIT_PTRMAP_H

#include "kit/alloc.h"
#include "kit/hash.h"

typedef struct itsm__ptrmap {
    void     **v;        /* the entries, in insertion order */
    size_t     n, cap;
    itsm__htab ix;       /* key -> position in v */
} itsm__ptrmap;

void itsm__ptrmap_init(itsm__ptrmap *m);
/* Free the map's own memory (not the entries). */
void itsm__ptrmap_free(itsm__ptrmap *m, const itsm_allocator *a);
/* The entry of `key`, or NULL. */
void *itsm__ptrmap_get(const itsm__ptrmap *m, const void *key);
/* Room for `k` more entries, so that itsm__ptrmap_put cannot fail.
 * ITSM_OK or ITSM_ENOMEM (nothing changed). */
int   itsm__ptrmap_reserve(itsm__ptrmap *m, const itsm_allocator *a, size_t k);
/* Add an entry whose key is not in the map yet; room was reserved. */
void  itsm__ptrmap_put(itsm__ptrmap *m, void *entry);

#endif
