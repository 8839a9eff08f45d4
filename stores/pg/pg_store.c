/* SPDX-License-Identifier: Apache-2.0 */
/* pg_store.c - libitsm-pg: the handle, the store callbacks, catching up and
 * waiting (include/itsm/stores/pg.h). */
#define _POSIX_C_SOURCE 200809L /* poll, nanosleep */
#include "pg_int.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Events read per query while catching up: memory stays bounded however
 * long the log is. */
#define PAGE 10000
#define PAGE_TEXT "10000"

struct itsm_pg {
    PGconn   *conn;
    char      schema[64];
    int       listen;
    uint64_t  pos;          /* seq of the newest event the engine is known to hold */
    store_buf json;         /* one event's JSON, reused */
    store_buf arr[7];       /* the append's array parameters, reused */
    int       grouped;      /* inside a group: one transaction, appends are savepoints */
    int       group_lost;   /* the group's connection broke: nothing of it is kept */
    uint64_t  group_pos;    /* the position when the group began */
    char      errmsg[1024];
};

/* One statement: take the next sequence numbers under itsm_head's row lock
 * (held to commit: appends commit in sequence order), insert the batch, and
 * notify the listeners of this schema. */
static const char append_sql[] =
    "WITH head AS ("
    " UPDATE itsm_head SET seq = seq + $1::int8 WHERE id = 1 RETURNING seq - $1::int8 AS base),"
    " ins AS ("
    " INSERT INTO itsm_events (seq, record, rev, kind, type, at, actor, json)"
    " SELECT head.base + e.n, e.record, e.rev, e.kind, e.type, e.at, e.actor, e.json"
    " FROM head, unnest($2::text[], $3::int8[], $4::text[], $5::text[], $6::int8[], $7::text[], $8::text[])"
    " WITH ORDINALITY AS e(record, rev, kind, type, at, actor, json, n)"
    " RETURNING seq)"
    " SELECT max(seq), pg_notify('itsm_events', current_schema()) FROM ins";

int itsm_pg_opts_init(itsm_pg_opts *opts, unsigned version)
{
    if (!opts || version != ITSM_PG_OPTS_VERSION)
        return ITSM_EINVAL;
    itsm_pg_opts d = ITSM_PG_OPTS_INIT;
    *opts = d;
    return ITSM_OK;
}

static int command(itsm_pg *pg, PGresult *r, ExecStatusType want, const char *what)
{
    int good = PQresultStatus(r) == want;
    if (!good)
        store_msg(pg->errmsg, sizeof pg->errmsg, "%s: %s", what, PQresultErrorMessage(r));
    PQclear(r);
    return good ? 0 : -1;
}

/* Everything a connection needs, at open and after a reset: the schema on
 * the search path, the tables, the prepared statements, LISTEN. */
static int setup(itsm_pg *pg)
{
    PGconn *c = pg->conn;
    char *ident = PQescapeIdentifier(c, pg->schema, strlen(pg->schema));
    if (!ident) {
        store_msg(pg->errmsg, sizeof pg->errmsg, "quoting the schema name: %s", PQerrorMessage(c));
        return -1;
    }
    char sql[256];
    snprintf(sql, sizeof sql, "CREATE SCHEMA IF NOT EXISTS %s", ident);
    char path[200];
    snprintf(path, sizeof path, "SET search_path TO %s", ident);
    PQfreemem(ident);
    if (command(pg, PQexec(c, "SET client_encoding TO 'UTF8'"), PGRES_COMMAND_OK, "client_encoding") ||
        command(pg, PQexec(c, "SET client_min_messages TO warning"), PGRES_COMMAND_OK, "client_min_messages") ||
        command(pg, PQexec(c, path), PGRES_COMMAND_OK, "search_path"))
        return -1;
    /* CREATE SCHEMA IF NOT EXISTS can still race another node's: under
     * the lock of the schema transaction only the first one creates. */
    PGresult *r = PQexec(c, "SELECT 1 FROM pg_namespace WHERE nspname = current_schema()");
    int exists = PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1;
    PQclear(r);
    if (!exists) {
        const char *key = pg->schema;
        if (command(pg, PQexec(c, "BEGIN"), PGRES_COMMAND_OK, "BEGIN") ||
            command(pg, PQexecParams(c, "SELECT pg_advisory_xact_lock(hashtext('itsm_schema:' || $1))", 1, NULL,
                                     &key, NULL, NULL, 0),
                    PGRES_TUPLES_OK, "locking the schema") ||
            command(pg, PQexec(c, sql), PGRES_COMMAND_OK, "creating the schema") ||
            command(pg, PQexec(c, "COMMIT"), PGRES_COMMAND_OK, "COMMIT")) {
            PQclear(PQexec(c, "ROLLBACK"));
            return -1;
        }
    }
    char why[512];
    if (pg_schema_prepare(c, pg->schema, why, sizeof why)) {
        store_msg(pg->errmsg, sizeof pg->errmsg, "%s", why);
        return -1;
    }
    if (command(pg, PQprepare(c, "itsm_append", append_sql, 8, NULL), PGRES_COMMAND_OK, "preparing the append") ||
        command(pg, PQprepare(c, "itsm_after", "SELECT seq, json FROM itsm_events WHERE seq > $1::int8 ORDER BY seq"
                                               " LIMIT " PAGE_TEXT, 1, NULL),
                PGRES_COMMAND_OK, "preparing the catch-up") ||
        command(pg, PQprepare(c, "itsm_probe", "SELECT json FROM itsm_events WHERE record = $1 AND rev = $2::int8",
                              2, NULL),
                PGRES_COMMAND_OK, "preparing the probe") ||
        command(pg, PQprepare(c, "itsm_history", "SELECT rev, json FROM itsm_events WHERE record = $1 AND rev > $2::int8"
                                                 " ORDER BY rev LIMIT " PAGE_TEXT, 2, NULL),
                PGRES_COMMAND_OK, "preparing the record read"))
        return -1;
    if (pg->listen && command(pg, PQexec(c, "LISTEN itsm_events"), PGRES_COMMAND_OK, "LISTEN"))
        return -1;
    return 0;
}

void itsm_pg_close(itsm_pg *pg)
{
    if (!pg)
        return;
    PQfinish(pg->conn);
    store_buf_free(&pg->json);
    for (size_t i = 0; i < sizeof pg->arr / sizeof pg->arr[0]; i++)
        store_buf_free(&pg->arr[i]);
    free(pg);
}

int itsm_pg_open(itsm_pg **out, const char *conninfo, const itsm_pg_opts *opts, char *errbuf, size_t errcap)
{
    if (out)
        *out = NULL;
    itsm_pg_opts o = ITSM_PG_OPTS_INIT;
    if (opts)
        o = *opts;
    if (!out || !conninfo) {
        store_open_msg(errbuf, errcap, "itsm_pg_open: NULL %s", out ? "conninfo" : "out");
        return ITSM_EINVAL;
    }
    const char *schema = o.schema ? o.schema : "public";
    if (o.version != ITSM_PG_OPTS_VERSION || !*schema || strlen(schema) > 63) {
        store_open_msg(errbuf, errcap, "itsm_pg_open: %s",
                       o.version != ITSM_PG_OPTS_VERSION ? "unknown opts version" : "the schema name must be 1..63 bytes");
        return ITSM_EINVAL;
    }
    itsm_pg *pg = calloc(1, sizeof *pg);
    if (!pg) {
        store_open_msg(errbuf, errcap, "out of memory");
        return ITSM_ENOMEM;
    }
    snprintf(pg->schema, sizeof pg->schema, "%s", schema);
    pg->listen = o.listen != 0;
    pg->conn = PQconnectdb(conninfo);
    if (!pg->conn) {
        store_open_msg(errbuf, errcap, "out of memory");
        free(pg);
        return ITSM_ENOMEM;
    }
    if (PQstatus(pg->conn) != CONNECTION_OK) {
        store_open_msg(errbuf, errcap, "connecting: %s", PQerrorMessage(pg->conn));
        itsm_pg_close(pg);
        return ITSM_ESTORE;
    }
    if (setup(pg)) {
        store_open_msg(errbuf, errcap, "%s", pg->errmsg);
        itsm_pg_close(pg);
        return ITSM_ESTORE;
    }
    *out = pg;
    return ITSM_OK;
}

const char     *itsm_pg_errmsg(const itsm_pg *pg) { return pg ? pg->errmsg : "no database"; }
uint64_t        itsm_pg_position(const itsm_pg *pg) { return pg ? pg->pos : 0; }
struct pg_conn *itsm_pg_conn(itsm_pg *pg) { return pg ? pg->conn : NULL; }

/* A lost connection: reset it and set it up again. 0 when it is back. */
static int reconnect(itsm_pg *pg)
{
    if (PQstatus(pg->conn) == CONNECTION_OK)
        return 0;
    if (pg->grouped)
        pg->group_lost = 1;   /* the server rolled the group back */
    PQreset(pg->conn);
    if (PQstatus(pg->conn) != CONNECTION_OK) {
        store_msg(pg->errmsg, sizeof pg->errmsg, "reconnecting: %s", PQerrorMessage(pg->conn));
        return -1;
    }
    return setup(pg);
}

int itsm_pg_count(itsm_pg *pg, uint64_t *out)
{
    if (!pg || !out)
        return ITSM_EINVAL;
    if (reconnect(pg))
        return ITSM_ESTORE;
    PGresult *r = PQexec(pg->conn, "SELECT count(*) FROM itsm_events");
    int good = PQresultStatus(r) == PGRES_TUPLES_OK;
    if (good)
        *out = strtoull(PQgetvalue(r, 0, 0), NULL, 10);
    else
        store_msg(pg->errmsg, sizeof pg->errmsg, "counting the events: %s", PQresultErrorMessage(r));
    PQclear(r);
    return good ? ITSM_OK : ITSM_ESTORE;
}

/* ---- append ---------------------------------------------------------------- */

/* Array literals ({"a","b"}, {1,2}) for the append's parameters. */
static int put(store_buf *b, size_t *len, const char *s, size_t n)
{
    if (*len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 1024;
        while (*len + n + 1 > cap)
            cap *= 2;
        char *p = realloc(b->p, cap);
        if (!p)
            return -1;
        b->p = p;
        b->cap = cap;
    }
    memcpy(b->p + *len, s, n);
    *len += n;
    b->p[*len] = '\0';
    return 0;
}

static int put_text(store_buf *b, size_t *len, const char *s, size_t n)
{
    if (!s)
        return put(b, len, "NULL", 4);
    if (put(b, len, "\"", 1))
        return -1;
    size_t from = 0;
    for (size_t i = 0; i < n; i++)
        if (s[i] == '"' || s[i] == '\\') {
            if (put(b, len, s + from, i - from) || put(b, len, "\\", 1))
                return -1;
            from = i;
        }
    return put(b, len, s + from, n - from) || put(b, len, "\"", 1) ? -1 : 0;
}

static int put_int(store_buf *b, size_t *len, long long v)
{
    char num[24];
    int k = snprintf(num, sizeof num, "%lld", v);
    return put(b, len, num, (size_t)k);
}

/* The batch as the seven arrays of append_sql. */
static int build_arrays(itsm_pg *pg, const itsm_event *const *evs, size_t n)
{
    size_t len[7] = { 0 };
    for (int a = 0; a < 7; a++)
        if (put(&pg->arr[a], &len[a], "{", 1))
            return -1;
    for (size_t i = 0; i < n; i++) {
        store_row row;
        if (store_row_of(&row, &pg->json, evs[i]))
            return -1;
        const char *sep = i ? "," : "";
        for (int a = 0; a < 7; a++)
            if (put(&pg->arr[a], &len[a], sep, i ? 1 : 0))
                return -1;
        if (put_text(&pg->arr[0], &len[0], row.record, strlen(row.record)) ||
            put_int(&pg->arr[1], &len[1], (long long)row.rev) ||
            put_text(&pg->arr[2], &len[2], row.kind, strlen(row.kind)) ||
            put_text(&pg->arr[3], &len[3], row.type, strlen(row.type)) ||
            put_int(&pg->arr[4], &len[4], (long long)row.at) ||
            put_text(&pg->arr[5], &len[5], row.actor, row.actor ? strlen(row.actor) : 0) ||
            put_text(&pg->arr[6], &len[6], row.json, row.json_len))
            return -1;
    }
    for (int a = 0; a < 7; a++)
        if (put(&pg->arr[a], &len[a], "}", 1))
            return -1;
    return 0;
}

/* What became of an append whose connection broke. */
enum { KEPT, TAKEN, ABSENT, UNKNOWN };

/*
 * The connection broke during the append: did the batch commit? Reconnect,
 * terminate the old server process (it may still be committing), wait until
 * it is gone, then look for the batch's first event: KEPT (there, with our
 * content), TAKEN (another node's is), ABSENT, or UNKNOWN (no answer).
 */
static int settle(itsm_pg *pg, int old_pid, const itsm_event *first, char *lost, size_t cap)
{
    store_msg(lost, cap, "%s", pg->errmsg);
    if (reconnect(pg))
        return UNKNOWN;
    char pid[16];
    snprintf(pid, sizeof pid, "%d", old_pid);
    const char *p1 = pid;
    PQclear(PQexecParams(pg->conn, "SELECT pg_terminate_backend($1::int)", 1, NULL, &p1, NULL, NULL, 0));
    for (int tries = 0; tries < 500; tries++) {   /* up to 5 s */
        PGresult *r = PQexecParams(pg->conn, "SELECT 1 FROM pg_stat_activity WHERE pid = $1::int", 1, NULL, &p1,
                                   NULL, NULL, 0);
        int alive = PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) > 0;
        PQclear(r);
        if (!alive)
            break;
        struct timespec ts = { 0, 10 * 1000 * 1000 };
        nanosleep(&ts, NULL);
    }
    store_row row;
    if (store_row_of(&row, &pg->json, first)) {
        store_msg(pg->errmsg, sizeof pg->errmsg, "%s; out of memory reading the outcome back", lost);
        return UNKNOWN;
    }
    char rev[24];
    snprintf(rev, sizeof rev, "%llu", (unsigned long long)row.rev);
    const char *params[2] = { row.record, rev };
    PGresult *r = PQexecPrepared(pg->conn, "itsm_probe", 2, params, NULL, NULL, 0);
    int out;
    if (PQresultStatus(r) != PGRES_TUPLES_OK) {
        store_msg(pg->errmsg, sizeof pg->errmsg, "%s; reading the outcome back: %s", lost, PQresultErrorMessage(r));
        out = UNKNOWN;
    } else if (PQntuples(r) == 0) {
        out = ABSENT;
    } else if ((size_t)PQgetlength(r, 0, 0) == row.json_len && !memcmp(PQgetvalue(r, 0, 0), row.json, row.json_len)) {
        out = KEPT;
    } else {
        store_msg(pg->errmsg, sizeof pg->errmsg, "%s: another node stored revision %s first", row.record, rev);
        out = TAKEN;
    }
    PQclear(r);
    return out;
}

/* Run the prepared append once: ITSM_OK (with *last), ITSM_ECONFLICT, or
 * ITSM_ESTORE with the reason in errmsg. */
static int run_append(itsm_pg *pg, const char *const *params, size_t n, uint64_t *last)
{
    PGresult *r = PQexecPrepared(pg->conn, "itsm_append", 8, params, NULL, NULL, 0);
    if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1 && !PQgetisnull(r, 0, 0)) {
        *last = strtoull(PQgetvalue(r, 0, 0), NULL, 10);
        PQclear(r);
        return ITSM_OK;
    }
    const char *state = PQresultErrorField(r, PG_DIAG_SQLSTATE);
    const char *detail = PQresultErrorField(r, PG_DIAG_MESSAGE_DETAIL);
    int rc = ITSM_ESTORE;
    if (state && (!strcmp(state, "23505") || !strcmp(state, "23503"))) {
        /* unique (record, rev): the revision is taken; the reference to
         * (record, rev - 1): the revision before it is not stored. */
        store_msg(pg->errmsg, sizeof pg->errmsg, "%s: %s",
                  !strcmp(state, "23505") ? "another node stored that revision first"
                                          : "the store lacks the revision before",
                  detail ? detail : PQresultErrorMessage(r));
        rc = ITSM_ECONFLICT;
    } else {
        store_msg(pg->errmsg, sizeof pg->errmsg, "appending %zu events: %s", n,
                  PQresultStatus(r) == PGRES_TUPLES_OK ? "no row returned" : PQresultErrorMessage(r));
    }
    PQclear(r);
    return rc;
}

/* An append inside a group: a savepoint of the group's transaction, so a
 * refused one leaves the group open. A broken connection ends the group
 * (the server rolled it back): this and every later call of it fail. */
static int group_append(itsm_pg *pg, const char *const *params, size_t n)
{
    if (pg->group_lost || PQstatus(pg->conn) != CONNECTION_OK) {
        pg->group_lost = 1;
        store_msg(pg->errmsg, sizeof pg->errmsg, "the connection of the group was lost; nothing of it was kept");
        return ITSM_ESTORE;
    }
    if (command(pg, PQexec(pg->conn, "SAVEPOINT itsm_append"), PGRES_COMMAND_OK, "SAVEPOINT"))
        return ITSM_ESTORE;
    uint64_t last = 0;
    int rc = run_append(pg, params, n, &last);
    char keep[512];
    store_msg(keep, sizeof keep, "%s", pg->errmsg);
    if (command(pg, PQexec(pg->conn, rc == ITSM_OK ? "RELEASE SAVEPOINT itsm_append" : "ROLLBACK TO SAVEPOINT itsm_append"),
                PGRES_COMMAND_OK, "ending the savepoint")) {
        pg->group_lost = PQstatus(pg->conn) != CONNECTION_OK;
        return ITSM_ESTORE;
    }
    if (rc != ITSM_OK) {
        store_msg(pg->errmsg, sizeof pg->errmsg, "%s", keep);
        return rc;
    }
    if (last - n == pg->pos)
        pg->pos = last;
    return ITSM_OK;
}

static int pg_append(void *user, const itsm_event *const *evs, size_t n)
{
    itsm_pg *pg = user;
    if (n == 0)
        return ITSM_OK;
    if (!pg->grouped && reconnect(pg))
        return ITSM_ESTORE;
    if (build_arrays(pg, evs, n)) {
        store_msg(pg->errmsg, sizeof pg->errmsg, "out of memory for the batch of %zu events", n);
        return ITSM_ESTORE;
    }
    char count[24];
    snprintf(count, sizeof count, "%zu", n);
    const char *params[8] = { count };
    for (int a = 0; a < 7; a++)
        params[a + 1] = pg->arr[a].p;
    if (pg->grouped)
        return group_append(pg, params, n);
    for (int attempt = 0;; attempt++) {
        int pid = PQbackendPID(pg->conn);
        uint64_t last = 0;
        int rc = run_append(pg, params, n, &last);
        if (rc == ITSM_OK) {
            /* Nobody appended between the newest event this handle knew and
             * this batch: the engine holds everything up to its end. */
            if (last - n == pg->pos)
                pg->pos = last;
            return ITSM_OK;
        }
        if (rc != ITSM_ESTORE || PQstatus(pg->conn) == CONNECTION_OK)
            return rc;
        /* The connection broke: the outcome is read back, and a batch the
         * server did not keep is sent once more on the new connection. */
        char lost[512];
        switch (settle(pg, pid, evs[0], lost, sizeof lost)) {
        case KEPT:
            return ITSM_OK;
        case TAKEN:
            return ITSM_ECONFLICT;
        case ABSENT:
            if (attempt == 0)
                continue;
            store_msg(pg->errmsg, sizeof pg->errmsg, "%s; the batch was not stored", lost);
            return ITSM_ESTORE;
        default:
            return ITSM_ESTORE;
        }
    }
}

/* ---- reading --------------------------------------------------------------- */

typedef int (*row_fn)(void *ctx, const char *json, size_t len);

/* Every event after the position, page by page; the position follows each
 * event `fn` accepts. */
static int read_after(itsm_pg *pg, row_fn fn, void *ctx, size_t *nread)
{
    size_t total = 0;
    int out = ITSM_OK;
    if (reconnect(pg))
        out = ITSM_ESTORE;
    for (int more = 1; out == ITSM_OK && more;) {
        char pos[24];
        snprintf(pos, sizeof pos, "%llu", (unsigned long long)pg->pos);
        const char *params[1] = { pos };
        PGresult *r = PQexecPrepared(pg->conn, "itsm_after", 1, params, NULL, NULL, 0);
        if (PQresultStatus(r) != PGRES_TUPLES_OK) {
            store_msg(pg->errmsg, sizeof pg->errmsg, "reading the events: %s", PQresultErrorMessage(r));
            PQclear(r);
            out = ITSM_ESTORE;
            break;
        }
        int rows = PQntuples(r);
        for (int i = 0; i < rows; i++) {
            uint64_t seq = strtoull(PQgetvalue(r, i, 0), NULL, 10);
            if ((out = fn(ctx, PQgetvalue(r, i, 1), (size_t)PQgetlength(r, i, 1))) != ITSM_OK) {
                store_msg(pg->errmsg, sizeof pg->errmsg, "the event at seq %llu was refused: %s",
                          (unsigned long long)seq, itsm_errname(out));
                break;
            }
            pg->pos = seq;
            total++;
        }
        PQclear(r);
        more = rows == PAGE;
    }
    if (nread)
        *nread = total;
    return out;
}

static int pg_scan(void *user, itsm_store_emit_fn emit, void *ctx)
{
    itsm_pg *pg = user;
    pg->pos = 0;   /* a scan is the whole log, whatever was read before */
    return read_after(pg, emit, ctx, NULL);
}

static int replay_one(void *ctx, const char *json, size_t len)
{
    return itsm_engine_replay(ctx, json, len, NULL);
}

int itsm_pg_catch_up(itsm_pg *pg, itsm_engine *eng, size_t *nread)
{
    if (nread)
        *nread = 0;
    if (!pg || !eng)
        return ITSM_EINVAL;
    return read_after(pg, replay_one, eng, nread);
}

/* ---- waiting --------------------------------------------------------------- */

/* Take the notifications libpq has read: 1 if one came from another node
 * appending to this schema. */
static int drain(itsm_pg *pg)
{
    int got = 0, self = PQbackendPID(pg->conn);
    PGnotify *n;
    while ((n = PQnotifies(pg->conn))) {
        if (n->be_pid != self && n->extra && !strcmp(n->extra, pg->schema))
            got = 1;
        PQfreemem(n);
    }
    return got;
}

int itsm_pg_wait(itsm_pg *pg, int timeout_ms)
{
    if (!pg || !pg->listen)
        return ITSM_EINVAL;
    if (reconnect(pg))
        return ITSM_ESTORE;
    if (PQconsumeInput(pg->conn) == 0) {
        store_msg(pg->errmsg, sizeof pg->errmsg, "waiting: %s", PQerrorMessage(pg->conn));
        return ITSM_ESTORE;
    }
    if (drain(pg))
        return 1;
    struct timespec start;
    clock_gettime(CLOCK_MONOTONIC, &start);
    for (;;) {
        int left = timeout_ms;
        if (timeout_ms > 0) {
            struct timespec now;
            clock_gettime(CLOCK_MONOTONIC, &now);
            long spent = (now.tv_sec - start.tv_sec) * 1000 + (now.tv_nsec - start.tv_nsec) / 1000000;
            if (spent >= timeout_ms)
                return 0;
            left = timeout_ms - (int)spent;
        }
        struct pollfd p = { PQsocket(pg->conn), POLLIN, 0 };
        int k = poll(&p, 1, left);
        if (k < 0 && errno == EINTR)
            continue;
        if (k < 0) {
            store_msg(pg->errmsg, sizeof pg->errmsg, "waiting: %s", strerror(errno));
            return ITSM_ESTORE;
        }
        if (k == 0)
            return 0;
        if (PQconsumeInput(pg->conn) == 0) {
            store_msg(pg->errmsg, sizeof pg->errmsg, "waiting: %s", PQerrorMessage(pg->conn));
            return ITSM_ESTORE;
        }
        if (drain(pg))
            return 1;
        if (timeout_ms == 0)
            return 0;
    }
}

/* One record's events in revision order, page by page (one range of the
 * (record, rev) index each). */
static int pg_read_record(void *user, const char *record, itsm_store_emit_fn emit, void *ctx)
{
    itsm_pg *pg = user;
    if (reconnect(pg))
        return ITSM_ESTORE;
    char after[24] = "0";
    for (;;) {
        const char *params[2] = { record, after };
        PGresult *r = PQexecPrepared(pg->conn, "itsm_history", 2, params, NULL, NULL, 0);
        if (PQresultStatus(r) != PGRES_TUPLES_OK) {
            store_msg(pg->errmsg, sizeof pg->errmsg, "reading the events of %s: %s", record, PQresultErrorMessage(r));
            PQclear(r);
            return ITSM_ESTORE;
        }
        int rows = PQntuples(r);
        for (int i = 0; i < rows; i++) {
            int rc = emit(ctx, PQgetvalue(r, i, 1), (size_t)PQgetlength(r, i, 1));
            if (rc != ITSM_OK) {
                PQclear(r);
                return rc;
            }
        }
        if (rows > 0)
            snprintf(after, sizeof after, "%s", PQgetvalue(r, rows - 1, 0));
        PQclear(r);
        if (rows < PAGE)
            return ITSM_OK;
    }
}

/* A group is one transaction: the first append takes itsm_head's row lock
 * and holds it to the group's COMMIT, so other nodes' appends wait for the
 * whole group; the notifications go out at COMMIT. */
static int pg_group(void *user, int op)
{
    itsm_pg *pg = user;
    switch (op) {
    case ITSM_STORE_GROUP_BEGIN:
        if (pg->grouped) {
            store_msg(pg->errmsg, sizeof pg->errmsg, "a group is open already");
            return ITSM_ESTATE;
        }
        if (reconnect(pg) || command(pg, PQexec(pg->conn, "BEGIN"), PGRES_COMMAND_OK, "BEGIN"))
            return ITSM_ESTORE;
        pg->grouped = 1;
        pg->group_lost = 0;
        pg->group_pos = pg->pos;
        return ITSM_OK;
    case ITSM_STORE_GROUP_COMMIT:
    case ITSM_STORE_GROUP_ABORT: {
        if (!pg->grouped) {
            store_msg(pg->errmsg, sizeof pg->errmsg, "no group is open");
            return ITSM_ESTATE;
        }
        pg->grouped = 0;
        int rc = ITSM_ESTORE;
        if (op == ITSM_STORE_GROUP_COMMIT && !pg->group_lost) {
            /* COMMIT of a transaction that failed reports ROLLBACK as its
             * command tag: only "COMMIT" means kept. */
            PGresult *r = PQexec(pg->conn, "COMMIT");
            if (PQresultStatus(r) == PGRES_COMMAND_OK && !strcmp(PQcmdStatus(r), "COMMIT"))
                rc = ITSM_OK;
            else
                store_msg(pg->errmsg, sizeof pg->errmsg, "COMMIT of the group: %s",
                          PQresultStatus(r) == PGRES_COMMAND_OK ? "rolled back" : PQresultErrorMessage(r));
            PQclear(r);
        } else if (op == ITSM_STORE_GROUP_ABORT) {
            rc = ITSM_OK;
        } else {
            store_msg(pg->errmsg, sizeof pg->errmsg, "the connection of the group was lost; nothing of it was kept");
        }
        if (rc != ITSM_OK || op == ITSM_STORE_GROUP_ABORT) {
            if (PQstatus(pg->conn) == CONNECTION_OK && PQtransactionStatus(pg->conn) != PQTRANS_IDLE)
                PQclear(PQexec(pg->conn, "ROLLBACK"));
            pg->pos = pg->group_pos;
        }
        return rc;
    }
    default:
        store_msg(pg->errmsg, sizeof pg->errmsg, "unknown group operation %d", op);
        return ITSM_EINVAL;
    }
}

static const itsm_store methods = { ITSM_STORE_VERSION, pg_append, pg_scan, NULL, pg_read_record, pg_group };

const itsm_store *itsm_pg_store(void) { return &methods; }
