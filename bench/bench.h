/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bench/bench.h - what every benchmark shares: one way to mark the measured
 * loop and report it.
 *
 *   bench_begin();
 *   for (...) the operation;
 *   bench_end("transition.hold_resume.n1000", ops, "transition");
 *
 * Run natively, bench_end prints the wall time per operation (noisy on a
 * shared machine: read it as an order of magnitude). Run under
 *   valgrind --tool=callgrind --instr-atstart=no --collect-atstart=no
 * (scripts/bench-callgrind.sh does), bench_begin switches instrumentation
 * and collection on and bench_end switches them off and dumps the counts
 * under the case's name, so each dump holds the measured loop alone: the
 * script divides its instructions by `ops`. Setup (opening thousands of
 * records, parsing a log) runs uninstrumented, which keeps the callgrind
 * run short.
 *
 * Every line a benchmark prints for the script starts with "case " (an
 * instruction-counted loop) or "metric " (a figure measured natively, such
 * as bytes per record); anything else is commentary.
 */
#ifndef ITSM_BENCH_H
#define ITSM_BENCH_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#ifdef ITSM_HAVE_CALLGRIND_H
#include <valgrind/callgrind.h>
#else
/* Without valgrind's headers the benchmarks still run natively. */
#define RUNNING_ON_VALGRIND 0
#define CALLGRIND_START_INSTRUMENTATION ((void)0)
#define CALLGRIND_STOP_INSTRUMENTATION ((void)0)
#define CALLGRIND_ZERO_STATS ((void)0)
#define CALLGRIND_TOGGLE_COLLECT ((void)0)
#define CALLGRIND_DUMP_STATS_AT(name) ((void)(name))
#endif

static double bench_t0;

static inline double bench_now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

/* 1 under valgrind: the benchmark may then pick fewer repetitions, since
 * instruction counts need no averaging. */
static inline int bench_under_valgrind(void)
{
    return RUNNING_ON_VALGRIND ? 1 : 0;
}

/* The clock is read outside the collected span, so it never counts. */
static inline void bench_begin(void)
{
    if (RUNNING_ON_VALGRIND) {
        CALLGRIND_START_INSTRUMENTATION;
        CALLGRIND_ZERO_STATS;
    }
    bench_t0 = bench_now_ns();
    if (RUNNING_ON_VALGRIND)
        CALLGRIND_TOGGLE_COLLECT;
}

/* Close the measured loop of `ops` operations named `name` (letters, digits,
 * '.', '_': it is a key of bench/baseline.txt) and report it. */
static inline void bench_end(const char *base, unsigned long long ops, const char *unit)
{
    if (RUNNING_ON_VALGRIND)
        CALLGRIND_TOGGLE_COLLECT;
    double ns = bench_now_ns() - bench_t0;
    /* Run with conditions in use (bench_engine.h): its own case name. */
    const char *cond = getenv("ITSM_BENCH_CONDITIONS");
    char name[128];
    snprintf(name, sizeof name, "%s%s",
             !cond                                ? ""
             : strcmp(cond, "1") == 0             ? "conditions."
             : strcmp(cond, "same_clocks") == 0   ? "conditions.same_clocks."
                                                  : "",
             base);
    if (RUNNING_ON_VALGRIND) {
        CALLGRIND_DUMP_STATS_AT(name);
        CALLGRIND_STOP_INSTRUMENTATION;
    }
    printf("case %s ops=%llu unit=%s wall_ns_per_op=%.1f\n", name, ops, unit,
           ops ? ns / (double)ops : 0.0);
    fflush(stdout);
}

/* A figure measured natively (not an instruction count). */
static inline void bench_metric(const char *name, double value, const char *unit)
{
    printf("metric %s %.1f %s\n", name, value, unit);
    fflush(stdout);
}

#endif
