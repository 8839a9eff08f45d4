/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bench_tick - the cost of itsm_engine_tick and the memory of an open
 * incident (issue 3).
 *
 *   tick, nothing due   with 1,000 / 100,000 / 1,000,000 open incidents
 *   tick, k timers due  cost per fired timer (no-op store)
 *   memory              bytes per open incident with short fields, counted
 *                       through the engine's allocator (requested bytes)
 *
 * Usage: bench_tick [max_records]   (default 1000000)
 */
#define _POSIX_C_SOURCE 200809L
#include <itsm.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define T0 ((itsm_time)1772442000)   /* 2026-03-02T09:00:00Z, a Monday */

typedef struct counter { size_t live, peak; } counter;
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

static int noop_append(void *u, const itsm_event *const *evs, size_t n)
{
    (void)u;
    (void)evs;
    (void)n;
    return ITSM_OK;
}
static const itsm_store noop_store = { ITSM_STORE_VERSION, noop_append, NULL, NULL, NULL };

static itsm_time vnow;
static itsm_time vclock(void *u)
{
    (void)u;
    return vnow;
}

static double now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static itsm_engine *engine(counter *c)
{
    itsm_engine_opts o = ITSM_ENGINE_OPTS_INIT;
    itsm_allocator a = { c_malloc, c_realloc, c_free, c };
    o.alloc = a;
    o.store = &noop_store;
    o.clock = vclock;
    itsm_engine *eng;
    if (itsm_engine_new(&eng, &o) != ITSM_OK) {
        fprintf(stderr, "engine_new failed\n");
        exit(1);
    }
    return eng;
}

/* Open n P2 incidents (24x7, response 30 min), one per second from T0,
 * with short fields. */
static void fill(itsm_engine *eng, size_t n)
{
    itsm_change init[4] = { { ITSM_F_SUMMARY, "VPN down", 0 }, { ITSM_F_IMPACT, NULL, 1 },
                            { ITSM_F_URGENCY, NULL, 2 }, { ITSM_F_SERVICE, "VPN", 0 } };
    itsm_record_opts o = ITSM_RECORD_OPTS_INIT;
    o.fields = init;
    o.nfields = 4;
    for (size_t i = 0; i < n; i++) {
        itsm_record *r;
        vnow = T0 + (itsm_time)i;
        if (itsm_record_open(&r, eng, &o) != ITSM_OK) {
            fprintf(stderr, "open failed: %s\n", itsm_errmsg(eng));
            exit(1);
        }
    }
}

int main(int argc, char **argv)
{
    size_t max = argc > 1 ? (size_t)strtoull(argv[1], NULL, 10) : 1000000;
    static const size_t sizes[] = { 1000, 100000, 1000000 };
    printf("%-34s %12s %14s\n", "case", "records", "result");
    for (size_t s = 0; s < 3 && sizes[s] <= max; s++) {
        size_t n = sizes[s];
        counter c = { 0, 0 };
        size_t base;
        itsm_engine *eng = engine(&c);
        base = c.live;
        fill(eng, n);
        double bytes = (double)(c.live - base) / (double)n;
        /* nothing due: the first timer (response warning, 22.5 min after
         * the first opening) is still ahead */
        itsm_time t = T0 + 60;
        size_t fired = 0;
        const int reps = 2000000;
        double t0 = now_ns();
        for (int i = 0; i < reps; i++)
            itsm_engine_tick(eng, t, &fired);
        double idle = (now_ns() - t0) / reps;
        printf("%-34s %12zu %11.1f ns\n", "tick, nothing due", n, idle);
        printf("%-34s %12zu %11.0f B\n", "memory per open incident", n, bytes);
        /* k due: the first k response warnings (one per second of opening) */
        size_t ks[] = { 1000, n < 100000 ? n : 100000 };
        itsm_time at = T0 + 1350 - 1;   /* 75% of 30 min after the first opening */
        size_t done = 0;
        for (int j = 0; j < (n > 1000 ? 2 : 1); j++) {
            size_t k = ks[j] - done;
            at += (itsm_time)k;
            t0 = now_ns();
            itsm_engine_tick(eng, at, &fired);
            double el = now_ns() - t0;
            done += fired;
            char label[64];
            snprintf(label, sizeof label, "tick, %zu timers due (per timer)", fired);
            printf("%-34s %12zu %11.0f ns\n", label, n, fired ? el / (double)fired : 0.0);
        }
        itsm_engine_free(eng);
    }
    return 0;
}
