/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The fuzz targets' counting allocator: a target hands it to the library
 * and checks that freeing what it made gives every block back (live 0).
 * Each block carries a header before the bytes the library sees, so a
 * block the library took from the host's allocator but gave to libc's
 * free() (or the other way round) is an invalid free the sanitizers
 * report. The test suite has its own in tests/support, which needs cmocka
 * and so is not linked into the fuzz targets.
 */
#ifndef ITSM_TESTS_FUZZ_COUNTING_ALLOC_H
#define ITSM_TESTS_FUZZ_COUNTING_ALLOC_H

#include "itsm/common.h"

#include <stddef.h>
#include <stdlib.h>

typedef struct fuzz_counter { long live; } fuzz_counter;

/* the header keeps the block aligned as malloc's (the library asks no less) */
typedef union fuzz_blk { size_t n; max_align_t align; } fuzz_blk;

static inline void *fuzz_count_malloc(void *user, size_t n)
{
    fuzz_blk *b = malloc(sizeof *b + n);
    if (!b)
        return NULL;
    b->n = n;
    ((fuzz_counter *)user)->live++;
    return b + 1;
}

static inline void *fuzz_count_realloc(void *user, void *p, size_t n)
{
    if (!p)
        return fuzz_count_malloc(user, n);
    fuzz_blk *b = realloc((fuzz_blk *)p - 1, sizeof *b + n);
    if (!b)
        return NULL;
    b->n = n;
    return b + 1;
}

static inline void fuzz_count_free(void *user, void *p)
{
    if (!p)
        return;
    ((fuzz_counter *)user)->live--;
    free((fuzz_blk *)p - 1);
}

static inline itsm_allocator fuzz_counting_allocator(fuzz_counter *c)
{
    itsm_allocator a = { fuzz_count_malloc, fuzz_count_realloc, fuzz_count_free, c };
    return a;
}

#endif
