/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bench/bench_engine.h - the engine the record benchmarks share: the
 * default policy, a store that discards what it is given (so only the
 * library's own work is counted), a virtual clock, and open P2 incidents
 * with short fields.
 */
#ifndef ITSM_BENCH_ENGINE_H
#define ITSM_BENCH_ENGINE_H

#include <itsm.h>

#include <stdio.h>
#include <stdlib.h>

#define BENCH_T0 ((itsm_time)1772442000)   /* 2026-03-02T09:00:00Z, a Monday */

static inline int bench_discard(void *u, const itsm_event *const *evs, size_t n)
{
    (void)u;
    (void)evs;
    (void)n;
    return ITSM_OK;
}

static itsm_time bench_vnow = BENCH_T0;
static inline itsm_time bench_vclock(void *u)
{
    (void)u;
    return bench_vnow;
}

static inline void bench_die(itsm_engine *eng, const char *what)
{
    fprintf(stderr, "bench: %s failed: %s\n", what, eng ? itsm_errmsg(eng) : "no engine");
    exit(1);
}

/* An engine on the default policy with the discarding store and the
 * virtual clock; `alloc` may be NULL (libc). */
static inline itsm_engine *bench_engine(const itsm_allocator *alloc)
{
    static const itsm_store discarding = { ITSM_STORE_VERSION, bench_discard, NULL, NULL, NULL, NULL };
    itsm_engine_opts o = ITSM_ENGINE_OPTS_INIT;
    if (alloc)
        o.alloc = *alloc;
    o.store = &discarding;
    o.clock = bench_vclock;
    itsm_engine *eng;
    if (itsm_engine_new(&eng, &o) != ITSM_OK)
        bench_die(NULL, "itsm_engine_new");
    return eng;
}

/* Open n P2 incidents (24x7 in the default policy, response 30 min), one a
 * second from BENCH_T0, with short fields: summary "VPN down", impact 1,
 * urgency 2, service "VPN". The clock is left at the last opening. */
static inline void bench_open_incidents(itsm_engine *eng, size_t n)
{
    itsm_change init[4] = { { ITSM_F_SUMMARY, "VPN down", 0 }, { ITSM_F_IMPACT, NULL, 1 },
                            { ITSM_F_URGENCY, NULL, 2 }, { ITSM_F_SERVICE, "VPN", 0 } };
    itsm_record_opts o = ITSM_RECORD_OPTS_INIT;
    o.fields = init;
    o.nfields = 4;
    for (size_t i = 0; i < n; i++) {
        itsm_record *r;
        bench_vnow = BENCH_T0 + (itsm_time)i;
        if (itsm_record_open(&r, eng, &o) != ITSM_OK)
            bench_die(eng, "itsm_record_open");
    }
}

#endif
