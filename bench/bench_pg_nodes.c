/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bench_pg_nodes [--seconds S] [--nodes LIST] [--shared] - throughput of
 * several nodes on one PostgreSQL database (libitsm-pg).
 *
 * For each node count in LIST (default 1,2,4): that many node processes,
 * each with its own engine and connection, open 20 incidents and then add
 * work notes to them round-robin for S seconds (default 5): one mutation,
 * one event, one append, one commit each. With --shared every node works
 * on the same 20 incidents instead (conflicts caught up and retried), so
 * the figure includes the cost of contention. Prints appended events per
 * second in total and per node, and conflicts.
 *
 * Needs ITSM_PG_CONNINFO: run it inside a throwaway server with
 *   ITSM_PG_DURABLE=1 tests/stores/with_postgres.sh build/bench/bench_pg_nodes
 * (ITSM_PG_DURABLE=1 keeps the server's fsync on). Results: bench/RESULTS-stores.md.
 */
#define _POSIX_C_SOURCE 200809L /* fork, clock_gettime */
#include <itsm.h>
#include <itsm/stores/pg.h>
#include <libpq-fe.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define RECORDS 20

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

typedef struct tally { long events, conflicts; double secs; } tally;

static tally node(const char *conninfo, const char *schema, int no, int shared, double seconds)
{
    tally t = { 0, 0, 0 };
    itsm_pg *pg;
    itsm_engine *eng;
    char err[512];
    itsm_pg_opts po = ITSM_PG_OPTS_INIT;
    po.schema = schema;
    if (itsm_pg_open(&pg, conninfo, &po, err, sizeof err) != ITSM_OK) {
        fprintf(stderr, "node %d: %s\n", no, err);
        exit(1);
    }
    itsm_engine_opts o = ITSM_ENGINE_OPTS_INIT;
    o.store = itsm_pg_store();
    o.store_user = pg;
    if (itsm_engine_new(&eng, &o) != ITSM_OK || itsm_engine_load(eng) != ITSM_OK)
        exit(1);
    char id[32];
    for (int i = 0; i < RECORDS; i++) {
        snprintf(id, sizeof id, shared ? "INC-%d" : "INC-%d-%d", shared ? i : no, i);
        itsm_record *r;
        itsm_record_opts ro = ITSM_RECORD_OPTS_INIT;
        ro.id = id;
        int rc = itsm_record_open(&r, eng, &ro);
        if (rc == ITSM_ECONFLICT)   /* shared: another node opened it */
            rc = itsm_pg_catch_up(pg, eng, NULL);
        if (rc != ITSM_OK && rc != ITSM_EEXISTS) {   /* EEXISTS: caught up already */
            fprintf(stderr, "node %d: %s\n", no, itsm_errmsg(eng));
            exit(1);
        }
    }
    itsm_note_opts no_ = ITSM_NOTE_OPTS_INIT;
    no_.text = "checked the logs again";
    double t0 = now_s(), end = t0 + seconds;
    for (long k = 0; now_s() < end; k++) {
        snprintf(id, sizeof id, shared ? "INC-%d" : "INC-%d-%d", shared ? (int)(k % RECORDS) : no,
                 (int)(k % RECORDS));
        itsm_record *r;
        if (itsm_record_find(&r, eng, id) != ITSM_OK)
            exit(1);
        int rc = itsm_record_add_note(r, &no_);
        if (rc == ITSM_ECONFLICT) {
            t.conflicts++;
            if (itsm_pg_catch_up(pg, eng, NULL) != ITSM_OK)
                exit(1);
            continue;
        }
        if (rc != ITSM_OK) {
            fprintf(stderr, "node %d: %s\n", no, itsm_errmsg(eng));
            exit(1);
        }
        t.events++;
    }
    t.secs = now_s() - t0;
    itsm_engine_free(eng);
    itsm_pg_close(pg);
    return t;
}

static void run(const char *conninfo, int nodes, int shared, double seconds)
{
    char schema[32];
    snprintf(schema, sizeof schema, "bench_%d_%s", nodes, shared ? "shared" : "own");
    PGconn *c = PQconnectdb(conninfo);
    PQclear(PQexec(c, "SET client_min_messages TO warning"));
    char sql[96];
    snprintf(sql, sizeof sql, "DROP SCHEMA IF EXISTS %s CASCADE", schema);
    PQclear(PQexec(c, sql));
    PQfinish(c);
    int fds[2];
    if (pipe(fds))
        exit(1);
    fflush(stdout);
    for (int i = 0; i < nodes; i++)
        if (fork() == 0) {
            tally t = node(conninfo, schema, i, shared, seconds);
            if (write(fds[1], &t, sizeof t) != (ssize_t)sizeof t)
                _exit(1);
            _exit(0);
        }
    close(fds[1]);   /* a node that dies ends the read below */
    tally sum = { 0, 0, 0 };
    for (int i = 0; i < nodes; i++) {
        tally t;
        if (read(fds[0], &t, sizeof t) != (ssize_t)sizeof t) {
            fprintf(stderr, "a node failed\n");
            exit(1);
        }
        sum.events += t.events;
        sum.conflicts += t.conflicts;
        if (t.secs > sum.secs)
            sum.secs = t.secs;
    }
    while (wait(NULL) > 0)
        ;
    close(fds[0]);
    printf("%5d  %-7s %10.0f %10.0f %10ld\n", nodes, shared ? "shared" : "own", (double)sum.events / sum.secs,
           (double)sum.events / sum.secs / nodes, sum.conflicts);
    fflush(stdout);
}

int main(int argc, char **argv)
{
    double seconds = 5;
    const char *list = "1,2,4";
    int shared = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--seconds") && i + 1 < argc)
            seconds = atof(argv[++i]);
        else if (!strcmp(argv[i], "--nodes") && i + 1 < argc)
            list = argv[++i];
        else if (!strcmp(argv[i], "--shared"))
            shared = 1;
        else {
            fprintf(stderr, "usage: bench_pg_nodes [--seconds S] [--nodes 1,2,4] [--shared]\n");
            return 2;
        }
    }
    const char *conninfo = getenv("ITSM_PG_CONNINFO");
    if (!conninfo) {
        fprintf(stderr, "bench_pg_nodes: set ITSM_PG_CONNINFO (or run it through tests/stores/with_postgres.sh)\n");
        return 2;
    }
    printf("nodes  records  events/s  per node  conflicts   (%.0f s each; one event per append)\n", seconds);
    for (const char *p = list; *p;) {
        int n = atoi(p);
        if (n < 1 || n > 64)
            return 2;
        run(conninfo, n, shared, seconds);
        p = strchr(p, ',');
        if (!p)
            break;
        p++;
    }
    return 0;
}
