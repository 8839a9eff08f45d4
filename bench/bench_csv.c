/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bench_csv: the replay tool's reading of a log, alone - every line read,
 * split into fields and parsed into a row (tools/logs.h rp_load: no sscanf,
 * no allocation per line or field), no library call.
 *
 *   bench_csv [--log uci|bpi|helpdesk|bpi-problems] [--input FILE]
 *
 * It prints the rows read and the wall time. The figure that does not
 * depend on the machine's load is the instruction count per row, under
 * callgrind, counted inside rp_load only:
 *
 *   valgrind --tool=callgrind --toggle-collect=rp_load --callgrind-out-file=/tmp/cg.out \
 *       build-bench/bench/bench_csv --input /tmp/incident_event_log.csv
 *   callgrind_annotate /tmp/cg.out | head    # Ir total / rows
 *
 * scripts/bench_csv.sh does both runs (a plain copy of the input, and the
 * .gz as shipped, whose figure includes zlib's inflate) and prints the
 * figures; bench/RESULTS-csv.md records them.
 */
#define _POSIX_C_SOURCE 200809L
#include "logs.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#ifndef ITSM_SOURCE_DIR
#define ITSM_SOURCE_DIR "."
#endif

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    const char *log = "uci", *input[4];
    int ninput = 0;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!strcmp(argv[i], "--log"))
            log = argv[i + 1];
        else if (!strcmp(argv[i], "--input") && ninput < 4)
            input[ninput++] = argv[i + 1];
        else {
            fprintf(stderr, "usage: bench_csv [--log %s] [--input FILE]...\n", rp_mapper_names());
            return 2;
        }
    }
    const rp_mapper *m = rp_mapper_find(log);
    if (!m) {
        fprintf(stderr, "bench_csv: unknown log '%s'\n", log);
        return 2;
    }
    char def[4][1024];
    if (!ninput)
        for (; m->inputs[ninput]; ninput++) {
            snprintf(def[ninput], sizeof def[ninput], "%s/data/%s", ITSM_SOURCE_DIR, m->inputs[ninput]);
            input[ninput] = def[ninput];
        }
    rp_pool *pool = rp_pool_new();
    rp_input in;
    char err[512];
    double t0 = now_s();
    if (!pool || rp_load(&in, m, input, ninput, 0, pool, err, sizeof err)) {
        fprintf(stderr, "bench_csv: %s\n", pool ? err : "out of memory");
        return 1;
    }
    double secs = now_s() - t0;
    printf("rows %zu\nseconds %.4f\nns_per_row %.1f\n", in.n, secs, secs * 1e9 / (double)(in.n ? in.n : 1));
    if (in.error)
        printf("input_error %s\n", in.error);
    rp_input_free(&in);
    rp_pool_free(pool);
    return 0;
}
