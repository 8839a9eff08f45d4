/* SPDX-License-Identifier: Apache-2.0 */
/*
 * An allocator for itsm_engine_opts.alloc that counts the bytes the
 * library holds (failalloc.h counts blocks): for the tests that measure an
 * engine's memory. Each block carries its size in a header aligned as
 * malloc's.
 */
#ifndef ITSM_TESTS_BYTE_COUNT_H
#define ITSM_TESTS_BYTE_COUNT_H

#include "itsm/common.h"

#include <stddef.h>
#include <stdlib.h>

typedef struct bytecount { size_t live; } bytecount;   /* bytes held now */

static inline void *bytecount_malloc(void *u, size_t n)
{
    size_t *h = malloc(n + sizeof(max_align_t));
    if (!h)
        return NULL;
    *h = n;
    ((bytecount *)u)->live += n;
    return (char *)h + sizeof(max_align_t);
}

static inline void bytecount_free(void *u, void *ptr)
{
    if (!ptr)
        return;
    size_t *h = (size_t *)(void *)((char *)ptr - sizeof(max_align_t));
    ((bytecount *)u)->live -= *h;
    free(h);
}

static inline void *bytecount_realloc(void *u, void *ptr, size_t n)
{
    if (!ptr)
        return bytecount_malloc(u, n);
    size_t *h = (size_t *)(void *)((char *)ptr - sizeof(max_align_t));
    size_t old = *h;
    size_t *nh = realloc(h, n + sizeof(max_align_t));
    if (!nh)
        return NULL;
    *nh = n;
    ((bytecount *)u)->live = ((bytecount *)u)->live - old + n;
    return (char *)nh + sizeof(max_align_t);
}

/* The allocator counting into `b`. */
static inline itsm_allocator bytecount_allocator(bytecount *b)
{
    return (itsm_allocator){ bytecount_malloc, bytecount_realloc, bytecount_free, b };
}

#endif
