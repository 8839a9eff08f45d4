/* SPDX-License-Identifier: Apache-2.0 */
/*
 * pg_nodes: three service desks - three node processes, each with its own
 * engine - working the same incidents through one PostgreSQL database
 * (libitsm-pg, <itsm/stores/pg.h>).
 *
 *   pg_nodes [CONNINFO]        default: the ITSM_PG_CONNINFO environment variable
 *
 * Each desk opens two incidents, then works every incident of every desk:
 * assign it if nobody has, note what it did, recategorise. Desks race for
 * the same records; the loser of a race gets ITSM_ECONFLICT, catches up
 * (itsm_pg_catch_up: only what the others appended since) and retries.
 * Between steps a desk sleeps in itsm_pg_wait until another desk appends
 * (LISTEN/NOTIFY), then catches up, so it works on fresh records.
 *
 * When all three are done, each catches up a last time and prints a
 * fingerprint of its records; so does a fresh engine loaded from the
 * database. All four must be equal: every desk holds exactly what the
 * database holds. The tables live in the PostgreSQL schema
 * itsm_example_nodes, dropped first. ctest runs it in a throwaway server
 * (tests/stores/with_postgres.sh).
 */
#define _POSIX_C_SOURCE 200809L /* fork */
#include <itsm.h>
#include <itsm/stores/pg.h>
#include <libpq-fe.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define DESKS 3
#define SCHEMA "itsm_example_nodes"

static const char *conninfo;

/* Every record's id, state, revision and fields, hashed (FNV-1a) and
 * summed: the order records were opened in differs from desk to desk (each
 * saw its own first), the records themselves must not. */
static unsigned long long fingerprint(const itsm_engine *eng)
{
    unsigned long long sum = 0;
    char line[1024];
    for (size_t i = 0; i < itsm_engine_record_count(eng); i++) {
        unsigned long long h = 1469598103934665603ULL;
        itsm_record *r;
        itsm_engine_record_at(&r, eng, i);
        int n = snprintf(line, sizeof line, "%s %s %llu", itsm_record_id(r), itsm_record_state(r),
                         (unsigned long long)itsm_record_revision(r));
        for (int f = 0; f < ITSM_F__COUNT; f++) {
            const char *s = itsm_record_str(r, (itsm_field)f);
            if (itsm_record_has(r, (itsm_field)f) && n < (int)sizeof line)
                n += snprintf(line + n, sizeof line - (size_t)n, " %d=%s/%lld", f, s ? s : "",
                              (long long)itsm_record_int(r, (itsm_field)f));
        }
        for (const char *p = line; *p; p++)
            h = (h ^ (unsigned char)*p) * 1099511628211ULL;
        sum += h;
    }
    return sum;
}

typedef struct desk {
    int          no;
    itsm_pg     *pg;
    itsm_engine *eng;
    long         conflicts, caught_up;
} desk;

static void catch_up(desk *d)
{
    size_t n = 0;
    if (itsm_pg_catch_up(d->pg, d->eng, &n) != ITSM_OK) {
        fprintf(stderr, "desk-%d: catch-up: %s\n", d->no, itsm_pg_errmsg(d->pg));
        exit(1);
    }
    d->caught_up += (long)n;
}

/* One step on incident `id`: assign it if it is new, note, recategorise.
 * Returns the library's code. */
static int step(desk *d, const char *id, int round)
{
    itsm_record *r;
    int rc = itsm_record_find(&r, d->eng, id);
    if (rc != ITSM_OK)
        return rc;
    char text[96];
    if (!strcmp(itsm_record_state(r), "new")) {
        snprintf(text, sizeof text, "desk-%d", d->no);
        itsm_change g = { ITSM_F_ASSIGNMENT_GROUP, text, 0 };
        return itsm_record_fire(r, "assign", &g, 1);
    }
    if (round % 2) {
        itsm_note_opts n = ITSM_NOTE_OPTS_INIT;
        snprintf(text, sizeof text, "desk-%d looked at it (round %d)", d->no, round);
        n.text = text;
        return itsm_record_add_note(r, &n);
    }
    return itsm_record_set_str(r, ITSM_F_CATEGORY, d->no % 2 ? "network" : "hardware");
}

/* Run a step; on a conflict catch up and try again (a step that no longer
 * applies - the incident was assigned meanwhile - is simply done). */
static void work(desk *d, const char *id, int round)
{
    for (;;) {
        int rc = step(d, id, round);
        if (rc == ITSM_OK || rc == ITSM_ETRANSITION || rc == ITSM_ENOTFOUND)
            return;
        if (rc != ITSM_ECONFLICT) {
            fprintf(stderr, "desk-%d: %s: %s\n", d->no, id, itsm_errmsg(d->eng));
            exit(1);
        }
        d->conflicts++;
        printf("desk-%d: %s changed by another desk first; catching up and retrying\n", d->no, id);
        catch_up(d);
    }
}

/* The child: a desk. `ctl` tells it when the others are done too. */
static int desk_main(int no, int done_fd, int ctl_fd, int fp_fd)
{
    desk d = { no, NULL, NULL, 0, 0 };
    char err[512], who[16];
    itsm_pg_opts po = ITSM_PG_OPTS_INIT;
    po.schema = SCHEMA;
    po.listen = 1;
    if (itsm_pg_open(&d.pg, conninfo, &po, err, sizeof err) != ITSM_OK) {
        fprintf(stderr, "desk-%d: %s\n", no, err);
        return 1;
    }
    itsm_engine_opts o = ITSM_ENGINE_OPTS_INIT;
    o.store = itsm_pg_store();
    o.store_user = d.pg;
    if (itsm_engine_new(&d.eng, &o) != ITSM_OK || itsm_engine_load(d.eng) != ITSM_OK)
        return 1;
    snprintf(who, sizeof who, "desk-%d", no);
    itsm_engine_set_actor(d.eng, who);

    for (int k = 0; k < 2; k++) {   /* my two incidents */
        char id[16];
        snprintf(id, sizeof id, "INC-%d", no * 2 + k + 1);
        itsm_change f[] = { { ITSM_F_SUMMARY, "VPN drops every hour", 0 }, { ITSM_F_IMPACT, NULL, 2 } };
        itsm_record_opts ro = ITSM_RECORD_OPTS_INIT;
        ro.id = id;
        ro.fields = f;
        ro.nfields = 2;
        itsm_record *r;
        if (itsm_record_open(&r, d.eng, &ro) != ITSM_OK) {
            fprintf(stderr, "desk-%d: opening %s: %s\n", no, id, itsm_errmsg(d.eng));
            return 1;
        }
    }
    for (int round = 0; round < 4; round++)
        for (int i = 0; i < 2 * DESKS; i++) {
            /* wake-ups from the other desks: catch up before touching a record */
            if (itsm_pg_wait(d.pg, round == 0 ? 20 : 0) == 1)
                catch_up(&d);
            char id[16];
            snprintf(id, sizeof id, "INC-%d", (i + no) % (2 * DESKS) + 1);
            work(&d, id, round);
        }
    if (write(done_fd, "d", 1) != 1)
        return 1;
    char go;
    if (read(ctl_fd, &go, 1) != 1)   /* every desk has finished writing */
        return 1;
    catch_up(&d);
    unsigned long long fp = fingerprint(d.eng);
    printf("desk-%d: %zu records, %ld conflicts retried, %ld events caught up; fingerprint %016llx\n", no,
           itsm_engine_record_count(d.eng), d.conflicts, d.caught_up, fp);
    fflush(stdout);
    if (write(fp_fd, &fp, sizeof fp) != (ssize_t)sizeof fp)
        return 1;
    itsm_engine_free(d.eng);
    itsm_pg_close(d.pg);
    return 0;
}

int main(int argc, char **argv)
{
    conninfo = argc > 1 ? argv[1] : getenv("ITSM_PG_CONNINFO");
    if (!conninfo) {
        fprintf(stderr, "usage: pg_nodes CONNINFO (or set ITSM_PG_CONNINFO)\n");
        return 2;
    }
    PGconn *c = PQconnectdb(conninfo);
    PGresult *res = PQexec(c, "DROP SCHEMA IF EXISTS " SCHEMA " CASCADE");
    if (PQresultStatus(res) != PGRES_COMMAND_OK) {
        fprintf(stderr, "pg_nodes: %s", PQerrorMessage(c));
        return 1;
    }
    PQclear(res);
    PQfinish(c);

    int done[2], ctl[2], fps[2];
    if (pipe(done) || pipe(ctl) || pipe(fps))
        return 1;
    fflush(stdout);
    pid_t pids[DESKS];
    for (int i = 0; i < DESKS; i++)
        if ((pids[i] = fork()) == 0)
            _exit(desk_main(i, done[1], ctl[0], fps[1]));
    char buf[DESKS];
    for (int got = 0; got < DESKS;) {   /* all desks done writing */
        ssize_t k = read(done[0], buf, sizeof buf);
        if (k <= 0)
            break;
        got += (int)k;
    }
    if (write(ctl[1], "gggg", DESKS) != DESKS)
        return 1;
    int status = 0;
    for (int i = 0; i < DESKS; i++) {
        int st;
        waitpid(pids[i], &st, 0);
        if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
            status = 1;
    }

    /* What the database holds, loaded by a fresh engine. */
    itsm_pg *pg;
    itsm_engine *eng;
    char err[512];
    itsm_pg_opts po = ITSM_PG_OPTS_INIT;
    po.schema = SCHEMA;
    itsm_engine_opts o = ITSM_ENGINE_OPTS_INIT;
    if (itsm_pg_open(&pg, conninfo, &po, err, sizeof err) != ITSM_OK) {
        fprintf(stderr, "pg_nodes: %s\n", err);
        return 1;
    }
    o.store = itsm_pg_store();
    o.store_user = pg;
    uint64_t events = 0;
    if (itsm_engine_new(&eng, &o) != ITSM_OK || itsm_engine_load(eng) != ITSM_OK ||
        itsm_pg_count(pg, &events) != ITSM_OK)
        return 1;
    unsigned long long want = fingerprint(eng), got[DESKS];
    printf("database: %zu records, %llu events; fingerprint %016llx\n", itsm_engine_record_count(eng),
           (unsigned long long)events, want);
    for (int i = 0; i < DESKS; i++)
        if (status == 0 && (read(fps[0], &got[i], sizeof got[i]) != (ssize_t)sizeof got[i] || got[i] != want)) {
            printf("a desk differs from the database\n");
            status = 1;
        }
    if (status == 0)
        printf("every desk holds exactly what the database holds\n");
    itsm_engine_free(eng);
    itsm_pg_close(pg);
    return status;
}
