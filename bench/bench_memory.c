/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bench_memory - bytes per open incident with short fields (summary
 * "VPN down", impact, urgency, service "VPN"; the default policy's
 * service-level timers), at 10^3, 10^4, 10^5 and 10^6 records.
 *
 *   in_use     heap actually in use, malloc's own overhead counted: the
 *              growth of glibc's mallinfo2() (arena bytes in use plus
 *              mmapped blocks) across the openings, per record. This is what
 *              a host pays: the record, its id, its timer state, its share
 *              of the record list, id index, deadline queue and symbol
 *              table, each rounded up to malloc's chunk size.
 *   requested  bytes the engine asked its allocator for, per record (a
 *              counting allocator): the same without malloc's overhead.
 *
 * Both are deterministic for a given libc, so scripts/bench-callgrind.sh
 * runs this natively (not under valgrind, whose malloc is its own) and
 * checks the figures against bench/baseline.txt like the instruction
 * counts.
 *
 * Usage: bench_memory [max_records]   (default 1000000)
 */
#define _GNU_SOURCE
#include "bench.h"
#include "bench_engine.h"

#include <malloc.h>

typedef struct counter { size_t live; } counter;
typedef struct hdr { size_t size; size_t pad; } hdr;

static void *c_malloc(void *u, size_t n)
{
    counter *c = u;
    hdr *h = malloc(sizeof *h + n);
    if (!h)
        return NULL;
    h->size = n;
    c->live += n;
    return h + 1;
}
static void c_free(void *u, void *p)
{
    counter *c = u;
    hdr *h = (hdr *)p - 1;
    c->live -= h->size;
    free(h);
}
static void *c_realloc(void *u, void *p, size_t n)
{
    counter *c = u;
    if (!p)
        return c_malloc(u, n);
    hdr *h = (hdr *)p - 1;
    size_t old = h->size;
    hdr *nh = realloc(h, sizeof *nh + n);
    if (!nh)
        return NULL;
    nh->size = n;
    c->live = c->live - old + n;
    return nh + 1;
}

#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 33))
#define HAVE_MALLINFO2 1
static size_t heap_in_use(void)
{
    struct mallinfo2 mi = mallinfo2();
    return mi.uordblks + mi.hblkhd;
}
#endif

int main(int argc, char **argv)
{
    size_t max = argc > 1 ? (size_t)strtoull(argv[1], NULL, 10) : 1000000;
    for (size_t n = 1000; n <= max; n *= 10) {
        char name[64];
#ifdef HAVE_MALLINFO2
        {
            itsm_engine *eng = bench_engine(NULL);
            size_t before = heap_in_use();
            bench_open_incidents(eng, n);
            size_t after = heap_in_use();
            snprintf(name, sizeof name, "memory.open_incident.in_use.n%zu", n);
            bench_metric(name, (double)(after - before) / (double)n, "B");
            itsm_engine_free(eng);
        }
#endif
        {
            counter c = { 0 };
            itsm_allocator a = { c_malloc, c_realloc, c_free, &c };
            itsm_engine *eng = bench_engine(&a);
            size_t before = c.live;
            bench_open_incidents(eng, n);
            snprintf(name, sizeof name, "memory.open_incident.requested.n%zu", n);
            bench_metric(name, (double)(c.live - before) / (double)n, "B");
            itsm_engine_free(eng);
        }
    }
#ifndef HAVE_MALLINFO2
    printf("note: no mallinfo2 (glibc 2.33 or later): heap in use not measured\n");
#endif
    return 0;
}
