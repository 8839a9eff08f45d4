/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bench_timer - the cost of one fired timer.
 *
 * n open P2 incidents (one a second; response target 30 min, warning at
 * 75 %) wait in the deadline queue. One itsm_engine_tick, 1,349 + 1,000
 * seconds after the first opening, fires the response warnings of the
 * first 1,000 incidents and the response breaches (with their escalation
 * step) of the first 550: 1,550 timers, each its own atomic step through
 * the discarding store - the event built, stored, applied and the record
 * re-planned. The operation is one fired timer.
 *
 * Usage: bench_timer [records...]   (default 1000; the full run of
 * scripts/bench-callgrind.sh adds 100000)
 */
#define _POSIX_C_SOURCE 200809L
#include "bench.h"
#include "bench_engine.h"

static void one(size_t n)
{
    itsm_engine *eng = bench_engine(NULL);
    bench_open_incidents(eng, n);
    size_t k = n < 1000 ? n : 1000, fired = 0;
    itsm_time at = BENCH_T0 + 1349 + (itsm_time)k;
    bench_vnow = at;
    char name[64];
    snprintf(name, sizeof name, "timer.fired.n%zu", n);
    bench_begin();
    int rc = itsm_engine_tick(eng, at, &fired);
    bench_end(name, (unsigned long long)fired, "timer");
    if (rc != ITSM_OK)
        bench_die(eng, "itsm_engine_tick");
    itsm_engine_free(eng);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        one(1000);
        return 0;
    }
    for (int i = 1; i < argc; i++) {
        size_t n = (size_t)strtoull(argv[i], NULL, 10);
        if (n == 0) {
            fprintf(stderr, "usage: bench_timer [records...]\n");
            return 2;
        }
        one(n);
    }
    return 0;
}
