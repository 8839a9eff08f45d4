/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The tests' allocator: it counts the blocks the library holds and can fail
 * one chosen allocation. Header-only and free of cmocka, so the test
 * programs (tests/support) and the fuzz targets (tests/fuzz, built by
 * scripts/fuzz.sh without cmocka) share one copy.
 *
 * Each block carries a header before the bytes the library sees, so a block
 * the library took from the host's allocator but gave to libc's free() (or
 * the other way round) is an invalid free the sanitizers report.
 */
#ifndef ITSM_TESTS_FAILALLOC_H
#define ITSM_TESTS_FAILALLOC_H

#include "itsm/common.h"

#include <stddef.h>
#include <stdlib.h>

typedef struct failalloc {
    long calls;     /* allocations (malloc and realloc) so far */
    long fail_at;   /* fail this 1-based allocation, once (then 0); 0: never */
    long live;      /* blocks the library holds now */
    int  failed;    /* set when a failure was injected; the caller resets it */
} failalloc;

/* the header keeps the block aligned as malloc's (the library asks no less) */
typedef union failalloc_hdr { size_t n; max_align_t align; } failalloc_hdr;

static inline int failalloc_fails_now(failalloc *fa)
{
    fa->calls++;
    if (fa->fail_at && fa->calls == fa->fail_at) {
        fa->failed = 1;
        fa->fail_at = 0;
        return 1;
    }
    return 0;
}

static inline void *failalloc_malloc(void *user, size_t n)
{
    failalloc *fa = user;
    if (failalloc_fails_now(fa))
        return NULL;
    failalloc_hdr *h = malloc(sizeof *h + n);
    if (!h)
        return NULL;
    h->n = n;
    fa->live++;
    return h + 1;
}

static inline void *failalloc_realloc(void *user, void *p, size_t n)
{
    if (!p)
        return failalloc_malloc(user, n);
    if (failalloc_fails_now(user))
        return NULL;
    failalloc_hdr *h = realloc((failalloc_hdr *)p - 1, sizeof *h + n);
    if (!h)
        return NULL;
    h->n = n;
    return h + 1;
}

static inline void failalloc_free(void *user, void *p)
{
    if (!p)
        return;
    ((failalloc *)user)->live--;
    free((failalloc_hdr *)p - 1);
}

static inline itsm_allocator failalloc_make(failalloc *fa)
{
    itsm_allocator a = { failalloc_malloc, failalloc_realloc, failalloc_free, fa };
    return a;
}

#endif
