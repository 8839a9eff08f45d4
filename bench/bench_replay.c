/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bench_replay: the whole UCI incident event log through the library.
 *
 *   bench_replay [--input FILE] [--rows N] [--runs N] [--sqlite-dir DIR] [--sync normal|full|both|none]
 *
 * Every row is parsed into memory first (tools/uci.c); only the replay is
 * timed: uci_apply per row, i.e. the library calls (find/read/open/update/
 * fire, and itsm_engine_tick to the row's time before it: the SLA breaches
 * fire as events) plus the few comparisons that turn a row into a change.
 *   1. library alone: no store; best of N runs, each on a fresh engine;
 *   2. end to end: the same through libitsm-sqlite into a new
 *      SQLite file (WAL, synchronous NORMAL by default); the time spent
 *      inside the store's append is measured too, so the library's share
 *      is (end-to-end - store) / end-to-end.
 * --rows N replays only the log's first N rows (the CI variant: the
 * instruction count per event is checked against bench/baseline.txt).
 * Under valgrind (scripts/bench-callgrind.sh) one library-alone run is
 * made, its loop counted as the case replay.uci.<rows>, and SQLite is
 * skipped.
 * Results: bench/RESULTS-replay.md.
 */
#define _POSIX_C_SOURCE 200809L
#include "uci.h"
#include "logs.h"
#include <itsm/stores/sqlite.h>
#include "bench.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#ifndef ITSM_SOURCE_DIR
#define ITSM_SOURCE_DIR "."
#endif

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 1 << 16;
    char *b = malloc(cap);
    *len = fread(b, 1, cap, f);
    fclose(f);
    return b;
}

/* The SQLite store, timed. */
typedef struct timed { itsm_sqlite *s; double in_store; } timed;
static int timed_append(void *user, const itsm_event *const *evs, size_t n)
{
    timed *t = user;
    double t0 = now_s();
    int rc = itsm_sqlite_store()->append(t->s, evs, n);
    t->in_store += now_s() - t0;
    return rc;
}
static const itsm_store timed_methods = { ITSM_STORE_VERSION, timed_append, NULL, NULL, NULL, NULL };

typedef struct result { double secs, in_store; unsigned long long events; long refused; } result;

static result run(const itsm_policy *pol, rp_pool *pool, const uci_row *rows, size_t n, size_t ncases, const char *db,
                  int sync, const char *counted)
{
    /* the pool the rows were read into, as itsm-replay's rp_run has it */
    replay rp;
    rp_init(&rp, pool);
    timed t = { NULL, 0 };
    char err[512];
    if (db) {
        unlink(db);
        char side[600];
        snprintf(side, sizeof side, "%s-wal", db);
        unlink(side);
        snprintf(side, sizeof side, "%s-shm", db);
        unlink(side);
        itsm_sqlite_opts so = ITSM_SQLITE_OPTS_INIT;
        so.sync = sync;
        if (itsm_sqlite_open(&t.s, db, &so, err, sizeof err) != ITSM_OK) {
            fprintf(stderr, "bench_replay: %s\n", err);
            exit(1);
        }
    }
    itsm_engine_opts o = ITSM_ENGINE_OPTS_INIT;
    o.policy = pol;
    o.store = db ? &timed_methods : NULL;
    o.store_user = &t;
    o.clock = rp_clock;
    o.clock_user = &rp.now;
    o.sink = rp_sink;
    o.sink_user = &rp;
    if (itsm_engine_new(&rp.eng, &o) != ITSM_OK)
        exit(1);
    uci_begin(&rp);
    rp_reserve_cases(&rp, ncases);   /* as rp_run does */
    double t0 = now_s();
    if (counted)
        bench_begin();
    uci_apply_rows(&rp, rows, n);   /* as rp_run does: the mapper's loop over a run of rows */
    rp_finish(&rp);
    if (counted)
        bench_end(counted, rp.events, "event");
    result r = { now_s() - t0, t.in_store, rp.events, rp.refused };
    itsm_engine_free(rp.eng);
    itsm_sqlite_close(t.s);
    rp_free(&rp);
    return r;
}

int main(int argc, char **argv)
{
    const char *input = ITSM_SOURCE_DIR "/data/uci-incident-event-log/incident_event_log.csv.gz";
    const char *dir = "/tmp", *sync = "normal";
    int runs = 5;
    size_t max_rows = 0;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!strcmp(argv[i], "--input"))
            input = argv[i + 1];
        else if (!strcmp(argv[i], "--rows"))
            max_rows = (size_t)strtoull(argv[i + 1], NULL, 10);
        else if (!strcmp(argv[i], "--runs"))
            runs = atoi(argv[i + 1]);
        else if (!strcmp(argv[i], "--sqlite-dir"))
            dir = argv[i + 1];
        else if (!strcmp(argv[i], "--sync"))
            sync = argv[i + 1];
        else {
            fprintf(stderr, "usage: bench_replay [--input FILE] [--rows N] [--runs N] [--sqlite-dir DIR] "
                            "[--sync normal|full|both|none]\n");
            return 2;
        }
    }
    if (runs < 1 || bench_under_valgrind())
        runs = 1;
    if (bench_under_valgrind())
        sync = "none";
    size_t plen;
    char *doc = slurp(ITSM_SOURCE_DIR "/tools/servicenow_policy.json", &plen);
    itsm_policy *pol;
    if (!doc || itsm_policy_from_json(&pol, doc, plen, NULL, NULL, NULL) != ITSM_OK) {
        fprintf(stderr, "bench_replay: cannot load tools/servicenow_policy.json\n");
        return 1;
    }
    free(doc);

    /* read and parse everything first (tools/logs.h), in file order */
    double tp = now_s();
    rp_pool *pool = rp_pool_new();
    rp_input in;
    char err[512];
    if (!pool || rp_load(&in, rp_mapper_find("uci"), &input, 1, 0, pool, err, sizeof err)) {
        fprintf(stderr, "%s: %s\n", "bench_replay", pool ? err : "out of memory");
        return 1;
    }
    size_t n = max_rows && max_rows < in.n ? max_rows : in.n;
    size_t ncases = rp_count_cases(in.keys, n);
    const uci_row *rows = (const uci_row *)(const void *)in.rows;
    printf("parsed %zu rows in %.3f s (not timed below)\n", n, now_s() - tp);

    char counted[64];
    if (max_rows)
        snprintf(counted, sizeof counted, "replay.uci.rows%zu", n);
    else
        snprintf(counted, sizeof counted, "replay.uci.all");
    result best = { 1e9, 0, 0, 0 };
    for (int i = 0; i < runs; i++) {
        /* the first run is the counted case (natively: its wall time) */
        result r = run(pol, pool, rows, n, ncases, NULL, 0, i == 0 ? counted : NULL);
        if (r.secs < best.secs)
            best = r;
    }
    printf("library alone:   %llu events, %ld rows refused, best of %d runs %.4f s = %.2f M events/s (%.0f ns/event)\n",
           best.events, best.refused, runs, best.secs, (double)best.events / best.secs / 1e6,
           best.secs * 1e9 / (double)best.events);

    for (int s = 0; s < 2; s++) {
        int mode = s == 0 ? ITSM_SQLITE_SYNC_NORMAL : ITSM_SQLITE_SYNC_FULL;
        if (strcmp(sync, "both") && strcmp(sync, s == 0 ? "normal" : "full"))
            continue;
        char db[512];
        snprintf(db, sizeof db, "%s/bench_replay.%ld.db", dir, (long)getpid());
        result r = run(pol, pool, rows, n, ncases, db, mode, NULL);
        unlink(db);
        double lib = r.secs - r.in_store;
        printf("with SQLite (%s): %llu events in %.3f s = %.0f events/s; in the store %.3f s, "
               "the rest %.4f s = library share %.2f%% (library-alone time / end-to-end: %.2f%%)\n",
               mode == ITSM_SQLITE_SYNC_FULL ? "synchronous=FULL" : "synchronous=NORMAL", r.events, r.secs,
               (double)r.events / r.secs, r.in_store, lib, 100.0 * lib / r.secs, 100.0 * best.secs / r.secs);
    }
    itsm_policy_free(pol);
    rp_input_free(&in);
    rp_pool_free(pool);
    return 0;
}
