/* SPDX-License-Identifier: Apache-2.0 */
/* Internal: allocation through the per-engine allocator. */
#ifndef ITSM_SRC_ALLOC_H
#define ITSM_SRC_ALLOC_H

#include "itsm/common.h"
#include "itsm/errors.h"

/* Fill `dst` from `src`, libc when `src` is NULL or all-NULL.
 * ITSM_EINVAL when `src` is half set. */
int   itsm__alloc_resolve(itsm_allocator *dst, const itsm_allocator *src);
void *itsm__malloc(const itsm_allocator *a, size_t size);
void *itsm__calloc(const itsm_allocator *a, size_t n, size_t size);
void *itsm__realloc(const itsm_allocator *a, void *ptr, size_t size);
void  itsm__free(const itsm_allocator *a, void *ptr);            /* NULL ok */
char *itsm__strndup(const itsm_allocator *a, const char *s, size_t n);
char *itsm__strdup(const itsm_allocator *a, const char *s);       /* NULL -> NULL */
/* Grow *items (of `size` bytes each) so it can hold at least `need`;
 * geometric growth; ITSM_OK or ITSM_ENOMEM (nothing changed). */
int   itsm__grow_slow(const itsm_allocator *a, void **items, size_t *cap, size_t need, size_t size);
/* Inline when there is room already, as on nearly every call. */
static inline int itsm__grow(const itsm_allocator *a, void **items, size_t *cap, size_t need, size_t size)
{
    return need <= *cap ? ITSM_OK : itsm__grow_slow(a, items, cap, need, size);
}

#endif
