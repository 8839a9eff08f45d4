/* SPDX-License-Identifier: Apache-2.0 */
#include "kit/alloc.h"
#include "itsm/errors.h"

#include <stdlib.h>
#include <string.h>

static void *libc_malloc(void *user, size_t size) { (void)user; return malloc(size); }
static void *libc_realloc(void *user, void *ptr, size_t size) { (void)user; return realloc(ptr, size); }
static void  libc_free(void *user, void *ptr) { (void)user; free(ptr); }

int itsm__alloc_resolve(itsm_allocator *dst, const itsm_allocator *src)
{
    if (src == NULL || (!src->malloc_fn && !src->realloc_fn && !src->free_fn)) {
        dst->malloc_fn = libc_malloc;
        dst->realloc_fn = libc_realloc;
        dst->free_fn = libc_free;
        dst->user = NULL;
        return ITSM_OK;
    }
    if (!src->malloc_fn || !src->realloc_fn || !src->free_fn)
        return ITSM_EINVAL;
    *dst = *src;
    return ITSM_OK;
}

void *itsm__malloc(const itsm_allocator *a, size_t size)
{
    return a->malloc_fn(a->user, size ? size : 1);
}

void *itsm__calloc(const itsm_allocator *a, size_t n, size_t size)
{
    if (size && n > SIZE_MAX / size)
        return NULL;
    void *p = itsm__malloc(a, n * size);
    if (p)
        memset(p, 0, n * size);
    return p;
}

void *itsm__realloc(const itsm_allocator *a, void *ptr, size_t size)
{
    return a->realloc_fn(a->user, ptr, size ? size : 1);
}

void itsm__free(const itsm_allocator *a, void *ptr)
{
    if (ptr)
        a->free_fn(a->user, ptr);
}

char *itsm__strndup(const itsm_allocator *a, const char *s, size_t n)
{
    char *p = itsm__malloc(a, n + 1);
    if (p) {
        memcpy(p, s, n);
        p[n] = '\0';
    }
    return p;
}

char *itsm__strdup(const itsm_allocator *a, const char *s)
{
    return s ? itsm__strndup(a, s, strlen(s)) : NULL;
}

int itsm__grow_slow(const itsm_allocator *a, void **items, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return ITSM_OK;
    size_t ncap = *cap ? *cap : 4;
    while (ncap < need) {
        if (ncap > SIZE_MAX / 2 / size)
            return ITSM_ENOMEM;
        ncap *= 2;
    }
    void *p = itsm__realloc(a, *items, ncap * size);
    if (!p)
        return ITSM_ENOMEM;
    *items = p;
    *cap = ncap;
    return ITSM_OK;
}
