/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bench_tick - the cost of itsm_engine_tick when nothing is due, with
 * 1,000 / 100,000 / 1,000,000 open incidents holding response, resolution
 * and next-update timers in the one deadline queue: the tick compares the
 * time with the top of the queue and returns, whatever the count.
 *
 * A fired timer is bench_timer's; bytes per incident bench_memory's.
 *
 * Usage: bench_tick [max_records]   (default 1000000)
 */
#define _POSIX_C_SOURCE 200809L
#include "bench.h"
#include "bench_engine.h"

int main(int argc, char **argv)
{
    size_t max = argc > 1 ? (size_t)strtoull(argv[1], NULL, 10) : 1000000;
    static const size_t sizes[] = { 1000, 100000, 1000000 };
    const int reps = bench_under_valgrind() ? 10000 : 2000000;
    for (size_t s = 0; s < 3 && sizes[s] <= max; s++) {
        size_t n = sizes[s];
        itsm_engine *eng = bench_engine(NULL);
        bench_open_incidents(eng, n);
        /* the first timer (response warning, 22.5 min after the first
         * opening) is still ahead */
        itsm_time t = BENCH_T0 + 60;
        size_t fired = 0;
        char name[64];
        snprintf(name, sizeof name, "tick.nothing_due.n%zu", n);
        bench_begin();
        for (int i = 0; i < reps; i++)
            itsm_engine_tick(eng, t, &fired);
        bench_end(name, (unsigned long long)reps, "tick");
        itsm_engine_free(eng);
    }
    return 0;
}
