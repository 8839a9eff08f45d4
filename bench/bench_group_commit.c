/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bench_group_commit [--groups G,...] [--runs N] [--limit CASES] [--dir DIR] [--form json|binary]
 *                    [--by-hand one|grouped] [--pipeline on|off]
 *
 * The SQLite host with group commit against the same SQLite work done by
 * hand, side by side in one run. For each group size G (default 1000;
 * 0 = every step its own transaction):
 *
 *   library   the whole UCI log replayed through the library into a new
 *             SQLite file (libitsm-sqlite, WAL, synchronous=NORMAL), as
 *             itsm-replay --sqlite --sync normal --group G does: the rows are
 *             read first (not timed); timed is the replay (rp_run: the
 *             library's calls, each step's append into the store, a commit
 *             every G events or more), and a checkpoint of what the WAL
 *             still holds, so that both runs end with every row in the
 *             database file (the plain SQL's commit checkpoints its WAL);
 *   by hand   the rows that run stored (read back, not timed), inserted by
 *             plain SQL into a new file with the same table, WAL,
 *             synchronous=NORMAL, all in ONE transaction (bench/sql_baseline.c).
 *
 * --form: the form the store keeps events in (ITSM_SQLITE_FORM_BINARY by
 * default, or JSON); the plain SQL inserts the same rows, the same bytes.
 *
 * --pipeline: the store's writer thread runs a group's INSERTs while the
 * library goes on (itsm_sqlite_opts.pipeline, on by default as in
 * itsm-replay); off: each append's INSERTs run in the call.
 *
 * --by-hand grouped: the plain SQL commits every G rows too, as the
 * library does, instead of once: what SQLite itself pays for the commits
 * of a group size, apart from the library's work.
 *
 * Prints rows (events) per second for both and their ratio; best of N runs
 * each (default 3), the two alternating. Also the ratio of the CPU time the
 * process spent (CLOCK_PROCESS_CPUTIME_ID): on a machine shared with other
 * work, the wall ratio swings with the load, the CPU ratio much less (with
 * synchronous=NORMAL in WAL mode no commit waits for the disk). Goal (bench/RESULTS-stores.md):
 * library >= 0.8 x by hand with groups of >= 1,000 events.
 */
#define _POSIX_C_SOURCE 200809L
#include "logs.h"
#include "sql_baseline.h"

#include <itsm/stores/sqlite.h>
#include <sqlite3.h>

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

static double cpu_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void remove_db(const char *path)
{
    char side[600];
    unlink(path);
    snprintf(side, sizeof side, "%s-wal", path);
    unlink(side);
    snprintf(side, sizeof side, "%s-shm", path);
    unlink(side);
}

static itsm_policy *load_policy(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *doc = malloc(1 << 20);
    size_t n = doc ? fread(doc, 1, 1 << 20, f) : 0;
    fclose(f);
    itsm_policy *p = NULL;
    if (!doc || itsm_policy_from_json(&p, doc, n, NULL, NULL, NULL) != ITSM_OK)
        p = NULL;
    free(doc);
    return p;
}

/* The library end to end: seconds of rp_run (CPU seconds in *cpu),
 * events stored into *events. */
static double library(const itsm_policy *pol, const rp_input *in, const char *db, size_t group, int form,
                      int pipeline, long long *events, double *cpu)
{
    remove_db(db);
    itsm_sqlite *st;
    itsm_sqlite_opts so = ITSM_SQLITE_OPTS_INIT;
    so.sync = ITSM_SQLITE_SYNC_NORMAL;
    so.form = form;
    so.pipeline = pipeline && group > 0;
    char err[512];
    if (itsm_sqlite_open(&st, db, &so, err, sizeof err) != ITSM_OK) {
        fprintf(stderr, "bench_group_commit: %s\n", err);
        exit(1);
    }
    rp_pool *pool = rp_pool_new();
    replay rp;
    rp_init(&rp, pool);
    itsm_engine_opts o = ITSM_ENGINE_OPTS_INIT;
    o.policy = pol;
    o.store = itsm_sqlite_store();
    o.store_user = st;
    o.clock = rp_clock;
    o.clock_user = &rp.now;
    o.sink = rp_sink;
    o.sink_user = &rp;
    if (itsm_engine_new(&rp.eng, &o) != ITSM_OK)
        exit(1);
    rp.group = group;
    double t0 = now_s(), c0 = cpu_s();
    if (rp_run(&rp, in, NULL, NULL) || rp.store_error) {
        fprintf(stderr, "bench_group_commit: %s\n", rp.store_error ? rp.store_error : "out of memory");
        exit(1);
    }
    /* the pages the WAL still holds, copied as the plain SQL's commit copies
     * its own (SQLite's automatic checkpoint): the same end state */
    int ck;   /* busy while the store's own checkpointer runs a pass */
    while ((ck = sqlite3_wal_checkpoint_v2(itsm_sqlite_db(st), NULL, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL)) ==
           SQLITE_BUSY)
        nanosleep(&(struct timespec){ 0, 100000 }, NULL);
    if (ck != SQLITE_OK) {
        fprintf(stderr, "bench_group_commit: checkpoint: %s\n", sqlite3_errmsg(itsm_sqlite_db(st)));
        exit(1);
    }
    double secs = now_s() - t0;
    *cpu = cpu_s() - c0;
    uint64_t n = 0;
    itsm_sqlite_count(st, &n);
    *events = (long long)n;
    itsm_engine_free(rp.eng);
    itsm_sqlite_close(st);
    rp_free(&rp);
    rp_pool_free(pool);
    return secs;
}

int main(int argc, char **argv)
{
    const char *groups = "1000", *dir = "/tmp";
    int runs = 3;
    int form = ITSM_SQLITE_FORM_BINARY;
    long limit = 0;
    int hand_grouped = 0, pipeline = 1;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!strcmp(argv[i], "--groups"))
            groups = argv[i + 1];
        else if (!strcmp(argv[i], "--runs"))
            runs = atoi(argv[i + 1]);
        else if (!strcmp(argv[i], "--limit"))
            limit = atol(argv[i + 1]);
        else if (!strcmp(argv[i], "--dir"))
            dir = argv[i + 1];
        else if (!strcmp(argv[i], "--form") && (!strcmp(argv[i + 1], "json") || !strcmp(argv[i + 1], "binary")))
            form = !strcmp(argv[i + 1], "json") ? ITSM_SQLITE_FORM_JSON : ITSM_SQLITE_FORM_BINARY;
        else if (!strcmp(argv[i], "--by-hand") && (!strcmp(argv[i + 1], "one") || !strcmp(argv[i + 1], "grouped")))
            hand_grouped = !strcmp(argv[i + 1], "grouped");
        else if (!strcmp(argv[i], "--pipeline") && (!strcmp(argv[i + 1], "on") || !strcmp(argv[i + 1], "off")))
            pipeline = !strcmp(argv[i + 1], "on");
        else {
            fprintf(stderr, "usage: bench_group_commit [--groups G,...] [--runs N] [--limit CASES] [--dir DIR] "
                            "[--form json|binary] [--by-hand one|grouped] [--pipeline on|off]\n");
            return 2;
        }
    }
    if (runs < 1)
        runs = 1;
    itsm_policy *pol = load_policy(ITSM_SOURCE_DIR "/tools/servicenow_policy.json");
    const rp_mapper *m = rp_mapper_find("uci");
    char input[1024];
    snprintf(input, sizeof input, "%s/data/%s", ITSM_SOURCE_DIR, m->inputs[0]);
    const char *inputs[1] = { input };
    rp_pool *pool = rp_pool_new();
    rp_input in;
    char err[512];
    if (!pol || !pool || rp_load(&in, m, inputs, 1, limit, pool, err, sizeof err)) {
        fprintf(stderr, "bench_group_commit: cannot read the UCI log or its policy: %s\n", err);
        return 1;
    }
    char lib_db[512], hand_db[512];
    snprintf(lib_db, sizeof lib_db, "%s/bench_group_library.db", dir);
    snprintf(hand_db, sizeof hand_db, "%s/bench_group_by_hand.db", dir);
    printf("UCI log: %zu rows; WAL, synchronous=NORMAL; events kept as %s; groups %s; by hand %s; best of %d runs\n",
           in.n, form == ITSM_SQLITE_FORM_JSON ? "JSON" : "binary", pipeline ? "pipelined" : "written in each call",
           hand_grouped ? "committing every G rows" : "in one transaction", runs);
    printf("%8s %10s %14s %14s %8s %10s\n", "group", "events", "library ev/s", "by hand ev/s", "ratio", "CPU ratio");
    for (const char *g = groups; g && *g;) {
        size_t group = (size_t)strtoul(g, NULL, 10);
        double best_lib = 1e30, best_hand = 1e30, cpu_lib = 1e30, cpu_hand = 1e30;
        long long events = 0;
        for (int r = 0; r < runs; r++) {
            double c;
            double t = library(pol, &in, lib_db, group, form, pipeline, &events, &c);
            if (t < best_lib)
                best_lib = t;
            if (c < cpu_lib)
                cpu_lib = c;
            sql_rows rows;
            if (sql_rows_read(&rows, lib_db))
                return 1;
            remove_db(hand_db);
            double h = sql_baseline(&rows, hand_db, hand_grouped ? group : 0, &c);
            sql_rows_free(&rows);
            if (h < 0)
                return 1;
            if (h < best_hand)
                best_hand = h;
            if (c < cpu_hand)
                cpu_hand = c;
        }
        double lib = (double)events / best_lib, hand = (double)events / best_hand;
        printf("%8zu %10lld %14.0f %14.0f %8.2f %10.2f\n", group, events, lib, hand, lib / hand, cpu_hand / cpu_lib);
        fflush(stdout);
        g = strchr(g, ',');
        if (g)
            g++;
    }
    remove_db(lib_db);
    remove_db(hand_db);
    rp_input_free(&in);
    rp_pool_free(pool);
    itsm_policy_free(pol);
    return 0;
}
