/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_pg_soak [--nodes N] [--seconds S] - several nodes on one PostgreSQL
 * database, for real: N node processes (default 4), each with its own
 * engine and connection, do random operations on a dozen shared incidents
 * (open, note, update, the next lifecycle step, link) for S seconds
 * (default 8). A conflict is caught up (itsm_pg_catch_up) and retried once;
 * between operations a node looks for other nodes' appends (itsm_pg_wait).
 * Every call a node saw succeed is acknowledged to a file: "record rev".
 *
 * Part way through, node 1 is killed with SIGKILL (most likely inside an
 * append) and started again; it loads the database and carries on.
 *
 * At the end every node stops writing, catches up and writes its records
 * (tests/support engine_dump, records sorted by id); a fresh engine loads
 * the database. The test passes when
 *   - every node's records equal the fresh engine's, byte for byte, and
 *   - every acknowledged (record, rev) is in the database and was written
 *     by the node that acknowledged it (its actor).
 * Needs ITSM_PG_CONNINFO (tests/stores/with_postgres.sh).
 */
#define _POSIX_C_SOURCE 200809L /* fork, kill, sigaction, nanosleep, mkdtemp */
#include "support.h"

#include <itsm/stores/pg.h>
#include <libpq-fe.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define SCHEMA "soak"
#define RECORDS 12
#define MAXNODES 16

static const char *conninfo;
static char dir[] = "/tmp/itsm-soak.XXXXXX";

/* ---- a node ------------------------------------------------------------------ */

static volatile sig_atomic_t stop;
static void on_stop(int sig) { (void)sig; stop = 1; }

typedef struct node {
    int          no;
    itsm_pg     *pg;
    itsm_engine *eng;
    int          ackfd;
    unsigned     seed;
    long         ops, conflicts, caught_up;
} node;

static void die(node *n, const char *what, const char *why)
{
    fprintf(stderr, "node-%d: %s: %s\n", n->no, what, why);
    _exit(2);
}

static void catch_up(node *n)
{
    size_t got = 0;
    if (itsm_pg_catch_up(n->pg, n->eng, &got) != ITSM_OK)
        die(n, "catch-up", itsm_pg_errmsg(n->pg));
    n->caught_up += (long)got;
}

static unsigned next(node *n) { return n->seed = n->seed * 1103515245u + 12345u, (n->seed >> 8) & 0xffffff; }

static void ack(node *n, itsm_record *r)
{
    char line[96];
    int len = snprintf(line, sizeof line, "%s %llu\n", itsm_record_id(r), (unsigned long long)itsm_record_revision(r));
    if (write(n->ackfd, line, (size_t)len) != len)
        die(n, "ack", strerror(errno));
}

/* One random operation on incident `id` (and `other` for a link). */
static int operate(node *n, int op, const char *id, const char *other, itsm_record **touched)
{
    itsm_record *r = NULL, *o = NULL;
    char text[64];
    touched[0] = touched[1] = NULL;
    if (op == 0) {
        itsm_change f[] = { { ITSM_F_SUMMARY, "Shared drive is slow", 0 }, { ITSM_F_IMPACT, NULL, 3 } };
        itsm_record_opts ro = ITSM_RECORD_OPTS_INIT;
        ro.id = id;
        ro.fields = f;
        ro.nfields = 2;
        int rc = itsm_record_open(&r, n->eng, &ro);
        touched[0] = r;
        return rc;
    }
    int rc = itsm_record_find(&r, n->eng, id);
    if (rc != ITSM_OK)
        return rc;
    touched[0] = r;
    switch (op) {
    case 1: {
        itsm_note_opts no = ITSM_NOTE_OPTS_INIT;
        snprintf(text, sizeof text, "node-%d was here (%ld)", n->no, n->ops);
        no.text = text;
        return itsm_record_add_note(r, &no);
    }
    case 2:
        return itsm_record_set_str(r, ITSM_F_CATEGORY, next(n) % 2 ? "network" : "storage");
    case 3: {
        const char *st = itsm_record_state(r);
        snprintf(text, sizeof text, "node-%d", n->no);
        itsm_change c = { ITSM_F_ASSIGNMENT_GROUP, text, 0 };
        if (!strcmp(st, "assigned"))
            c.field = ITSM_F_ASSIGNEE;
        else if (!strcmp(st, "in_progress"))
            c = (itsm_change){ ITSM_F_HOLD_REASON, "awaiting_customer", 0 };
        const char *ev = !strcmp(st, "new") ? "assign" : !strcmp(st, "assigned") ? "start"
                       : !strcmp(st, "in_progress") ? "hold" : "resume";
        return itsm_record_fire(r, ev, &c, !strcmp(ev, "resume") ? 0 : 1);
    }
    case 4:
        if ((rc = itsm_record_find(&o, n->eng, other)) != ITSM_OK || o == r)
            return rc == ITSM_OK ? ITSM_EINVAL : rc;
        touched[1] = o;
        return itsm_record_link(r, ITSM_LINK_RELATED, o);
    default:
        snprintf(text, sizeof text, "seen by node-%d at op %ld", n->no, n->ops);
        return itsm_record_set_str(r, ITSM_F_DESCRIPTION, text);
    }
}

static int node_main(int no, unsigned seed, int done_fd, int ctl_fd)
{
    node n = { no, NULL, NULL, -1, seed, 0, 0, 0 };
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_stop;
    sigaction(SIGUSR1, &sa, NULL);
    char path[256], err[512], actor[16];
    snprintf(path, sizeof path, "%s/acks-%d", dir, no);
    if ((n.ackfd = open(path, O_WRONLY | O_CREAT | O_APPEND, 0644)) < 0)
        die(&n, path, strerror(errno));
    itsm_pg_opts po = ITSM_PG_OPTS_INIT;
    po.schema = SCHEMA;
    po.listen = 1;
    if (itsm_pg_open(&n.pg, conninfo, &po, err, sizeof err) != ITSM_OK)
        die(&n, "open", err);
    itsm_engine_opts o = ITSM_ENGINE_OPTS_INIT;
    o.store = itsm_pg_store();
    o.store_user = n.pg;
    if (itsm_engine_new(&n.eng, &o) != ITSM_OK || itsm_engine_load(n.eng) != ITSM_OK)
        die(&n, "load", itsm_pg_errmsg(n.pg));
    snprintf(actor, sizeof actor, "node-%d", no);
    itsm_engine_set_actor(n.eng, actor);

    while (!stop) {
        if (itsm_pg_wait(n.pg, 0) == 1)
            catch_up(&n);
        char id[16], other[16];
        snprintf(id, sizeof id, "INC-S%02u", next(&n) % RECORDS + 1);
        snprintf(other, sizeof other, "INC-S%02u", next(&n) % RECORDS + 1);
        int op = (int)(next(&n) % 6);
        itsm_record *t[2];
        int rc = operate(&n, op, id, other, t);
        if (rc == ITSM_ECONFLICT) {   /* someone got there first: catch up, retry once */
            n.conflicts++;
            catch_up(&n);
            rc = operate(&n, op, id, other, t);
            if (rc == ITSM_ECONFLICT)
                n.conflicts++;
        }
        if (rc == ITSM_OK) {
            for (int k = 0; k < 2; k++)
                if (t[k])
                    ack(&n, t[k]);
        } else if (rc == ITSM_ESTORE || rc == ITSM_ENOMEM || rc == ITSM_EUSER) {
            die(&n, "operation", itsm_errmsg(n.eng));
        }
        n.ops++;
        struct timespec ts = { 0, (long)(next(&n) % 500) * 1000 };
        nanosleep(&ts, NULL);
    }
    /* stopped: say so, wait until every node has, then the last catch-up */
    if (write(done_fd, "s", 1) != 1)
        die(&n, "done", strerror(errno));
    char go;
    while (read(ctl_fd, &go, 1) < 0 && errno == EINTR)
        ;
    catch_up(&n);
    char *d = engine_dump(n.eng);
    snprintf(path, sizeof path, "%s/dump-%d", dir, no);
    FILE *f = fopen(path, "w");
    if (!f || fputs(d, f) < 0 || fclose(f))
        die(&n, path, strerror(errno));
    printf("node-%d: %ld operations, %ld conflicts, %ld events caught up, %zu records\n", no, n.ops, n.conflicts,
           n.caught_up, itsm_engine_record_count(n.eng));
    fflush(stdout);
    free(d);
    itsm_engine_free(n.eng);
    itsm_pg_close(n.pg);
    return 0;
}

/* ---- the soak ----------------------------------------------------------------- */

/* engine_dump's records sorted by id: engines hold records in the order
 * they saw them opened, which differs from node to node. */
static int by_text(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static char *sorted(const char *dump)
{
    size_t n = 0, cap = 16, len = strlen(dump);
    char **blocks = malloc(cap * sizeof *blocks);
    for (const char *p = dump; *p;) {
        const char *e = p;
        do {   /* a block: a record line and its indented lines */
            e = strchr(e, '\n');
            e = e ? e + 1 : dump + len;
        } while (*e == ' ');
        if (n == cap)
            blocks = realloc(blocks, (cap *= 2) * sizeof *blocks);
        blocks[n] = malloc((size_t)(e - p) + 1);
        memcpy(blocks[n], p, (size_t)(e - p));
        blocks[n++][e - p] = '\0';
        p = e;
    }
    qsort(blocks, n, sizeof *blocks, by_text);
    char *out = malloc(len + 1);
    out[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        strcat(out, blocks[i]);
        free(blocks[i]);
    }
    free(blocks);
    return out;
}

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    rewind(f);
    char *b = malloc((size_t)n + 1);
    size_t got = fread(b, 1, (size_t)n, f);
    b[got] = '\0';
    fclose(f);
    return b;
}

typedef struct child { pid_t pid; int done_fd, ctl_fd; } child;

static child spawn(int no, unsigned seed)
{
    int done[2], ctl[2];
    if (pipe(done) || pipe(ctl)) {
        perror("pipe");
        exit(1);
    }
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        close(done[0]);
        close(ctl[1]);
        _exit(node_main(no, seed, done[1], ctl[0]));
    }
    close(done[1]);
    close(ctl[0]);
    child c = { pid, done[0], ctl[1] };
    return c;
}

static void sleep_ms(long ms)
{
    struct timespec ts = { ms / 1000, (ms % 1000) * 1000000 };
    while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
        ;
}

static int exec_sql(PGconn *c, const char *sql)
{
    PGresult *r = PQexec(c, sql);
    int ok = PQresultStatus(r) == PGRES_COMMAND_OK;
    if (!ok)
        fprintf(stderr, "%s: %s", sql, PQerrorMessage(c));
    PQclear(r);
    return ok;
}

/* Every acknowledged (record, rev) of node `no` is stored with its actor. */
static long check_acks(PGconn *c, int no, int *bad)
{
    char path[256], actor[16];
    snprintf(path, sizeof path, "%s/acks-%d", dir, no);
    snprintf(actor, sizeof actor, "node-%d", no);
    FILE *f = fopen(path, "r");
    if (!f)
        return 0;
    char id[64], rev[32];
    long n = 0;
    while (fscanf(f, "%63s %31s", id, rev) == 2) {
        const char *params[2] = { id, rev };
        PGresult *r = PQexecParams(c, "SELECT actor FROM " SCHEMA ".itsm_events WHERE record = $1 AND rev = $2::int8",
                                   2, NULL, params, NULL, NULL, 0);
        if (PQresultStatus(r) != PGRES_TUPLES_OK || PQntuples(r) != 1 || strcmp(PQgetvalue(r, 0, 0), actor)) {
            if (*bad < 10)
                fprintf(stderr, "FAIL: node-%d acknowledged %s revision %s, the database has %s\n", no, id, rev,
                        PQresultStatus(r) != PGRES_TUPLES_OK ? PQerrorMessage(c)
                        : PQntuples(r) ? PQgetvalue(r, 0, 0) : "no such event");
            (*bad)++;
        }
        PQclear(r);
        n++;
    }
    fclose(f);
    return n;
}

int main(int argc, char **argv)
{
    int nodes = 4;
    double seconds = 8;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!strcmp(argv[i], "--nodes"))
            nodes = atoi(argv[i + 1]);
        else if (!strcmp(argv[i], "--seconds"))
            seconds = atof(argv[i + 1]);
    }
    conninfo = getenv("ITSM_PG_CONNINFO");
    if (!conninfo || nodes < 2 || nodes > MAXNODES || seconds <= 0) {
        fprintf(stderr, "usage: ITSM_PG_CONNINFO=... test_pg_soak [--nodes 2..16] [--seconds S]\n");
        return 2;
    }
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 1;
    }
    PGconn *c = PQconnectdb(conninfo);
    if (PQstatus(c) != CONNECTION_OK || !exec_sql(c, "DROP SCHEMA IF EXISTS " SCHEMA " CASCADE"))
        return 1;

    child kids[MAXNODES];
    for (int i = 0; i < nodes; i++)
        kids[i] = spawn(i, 1000u + (unsigned)i);
    long total_ms = (long)(seconds * 1000);
    sleep_ms(total_ms * 2 / 5);
    /* kill -9 node 1 mid-run, and start it again */
    kill(kids[1].pid, SIGKILL);
    int st = 0;
    waitpid(kids[1].pid, &st, 0);
    close(kids[1].done_fd);
    close(kids[1].ctl_fd);
    int status = 0;
    if (!WIFSIGNALED(st) || WTERMSIG(st) != SIGKILL) {
        fprintf(stderr, "FAIL: node-1 was not killed by SIGKILL (status %d)\n", st);
        status = 1;
    }
    printf("node-1 killed with SIGKILL after %ld ms; started again\n", total_ms * 2 / 5);
    kids[1] = spawn(1, 2000u);
    sleep_ms(total_ms * 3 / 5);

    for (int i = 0; i < nodes; i++)
        kill(kids[i].pid, SIGUSR1);
    for (int i = 0; i < nodes; i++) {
        char s;
        if (read(kids[i].done_fd, &s, 1) != 1) {
            fprintf(stderr, "FAIL: node-%d ended before it was told to stop\n", i);
            status = 1;
        }
    }
    for (int i = 0; i < nodes; i++)
        if (write(kids[i].ctl_fd, "g", 1) != 1)
            status = 1;
    for (int i = 0; i < nodes; i++) {
        waitpid(kids[i].pid, &st, 0);
        if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
            fprintf(stderr, "FAIL: node-%d exited with status %d\n", i, st);
            status = 1;
        }
    }

    /* a fresh replay of the database */
    itsm_pg *pg;
    itsm_engine *eng;
    char err[512];
    itsm_pg_opts po = ITSM_PG_OPTS_INIT;
    po.schema = SCHEMA;
    if (itsm_pg_open(&pg, conninfo, &po, err, sizeof err) != ITSM_OK) {
        fprintf(stderr, "%s\n", err);
        return 1;
    }
    itsm_engine_opts o = ITSM_ENGINE_OPTS_INIT;
    o.store = itsm_pg_store();
    o.store_user = pg;
    uint64_t events = 0;
    if (itsm_engine_new(&eng, &o) != ITSM_OK || itsm_engine_load(eng) != ITSM_OK ||
        itsm_pg_count(pg, &events) != ITSM_OK) {
        fprintf(stderr, "FAIL: reloading the database: %s\n", itsm_pg_errmsg(pg));
        return 1;
    }
    char *raw = engine_dump(eng), *want = sorted(raw);
    for (int i = 0; i < nodes; i++) {
        char path[256];
        snprintf(path, sizeof path, "%s/dump-%d", dir, i);
        char *d = slurp(path), *got = d ? sorted(d) : NULL;
        if (!got || strcmp(got, want)) {
            fprintf(stderr, "FAIL: node-%d's records differ from a fresh replay of the database (%s)\n", i, path);
            status = 1;
        }
        free(d);
        free(got);
    }
    int bad = 0;
    long acks = 0;
    for (int i = 0; i < nodes; i++)
        acks += check_acks(c, i, &bad);
    if (bad)
        status = 1;
    printf("%d nodes, %.1f s: %llu events in the database, %zu records; %ld acknowledged changes, %d missing; "
           "every node %s a fresh replay\n",
           nodes, seconds, (unsigned long long)events, itsm_engine_record_count(eng), acks, bad,
           status ? "does NOT equal" : "equals");
    free(raw);
    free(want);
    itsm_engine_free(eng);
    itsm_pg_close(pg);
    PQfinish(c);
    if (status == 0) {
        char cmd[300];
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
        if (system(cmd) != 0)
            fprintf(stderr, "could not remove %s\n", dir);
    } else {
        fprintf(stderr, "kept %s\n", dir);
    }
    return status;
}
