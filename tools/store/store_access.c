/* SPDX-License-Identifier: Apache-2.0 */
/* store_access.c - see store_access.h. PostgreSQL is there when libitsm-pg
 * was built (ITSM_STORE_TOOL_PG). */
#include "store_access.h"

#include <itsm/stores/sqlite.h>
#include <sqlite3.h>
#ifdef ITSM_STORE_TOOL_PG
#include <itsm/stores/pg.h>
#include <libpq-fe.h>
#endif

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct sa_store {
    char         name[512];
    itsm_sqlite *sq;
#ifdef ITSM_STORE_TOOL_PG
    itsm_pg     *pg;
#endif
    char         errmsg[1024];
};

/* One event row of docs/store-schema.md. */
typedef struct sa_row {
    long long   seq, rev, at;
    const char *record, *kind, *type, *actor, *json;
} sa_row;

static int is_pg(const char *where)
{
    return !strncmp(where, "postgresql://", 13) || !strncmp(where, "postgres://", 11);
}

sa_store *sa_open(const char *where, const char *schema, char *err, size_t cap)
{
    sa_store *st = calloc(1, sizeof *st);
    if (!st) {
        snprintf(err, cap, "out of memory");
        return NULL;
    }
    int rc;
    if (is_pg(where)) {
#ifdef ITSM_STORE_TOOL_PG
        itsm_pg_opts o = ITSM_PG_OPTS_INIT;
        o.schema = schema;
        rc = itsm_pg_open(&st->pg, where, &o, err, cap);
        snprintf(st->name, sizeof st->name, "PostgreSQL schema %s", schema ? schema : "public");
#else
        snprintf(err, cap, "%s: this itsm-store was built without libitsm-pg (libpq)", where);
        rc = ITSM_EINVAL;
#endif
    } else if (schema) {
        snprintf(err, cap, "%s: --schema is for PostgreSQL stores", where);
        rc = ITSM_EINVAL;
    } else {
        rc = itsm_sqlite_open(&st->sq, where, NULL, err, cap);
        snprintf(st->name, sizeof st->name, "%s", where);
    }
    if (rc != ITSM_OK) {
        free(st);
        return NULL;
    }
    return st;
}

void sa_close(sa_store *st)
{
    if (!st)
        return;
    itsm_sqlite_close(st->sq);
#ifdef ITSM_STORE_TOOL_PG
    itsm_pg_close(st->pg);
#endif
    free(st);
}

const char *sa_name(const sa_store *st) { return st->name; }
void       *sa_handle(const sa_store *st)
{
#ifdef ITSM_STORE_TOOL_PG
    if (st->pg)
        return st->pg;
#endif
    return st->sq;
}

const itsm_store *sa_methods(const sa_store *st)
{
#ifdef ITSM_STORE_TOOL_PG
    if (st->pg)
        return itsm_pg_store();
#endif
    (void)st;
    return itsm_sqlite_store();
}

int sa_found(const sa_store *st)
{
#ifdef ITSM_STORE_TOOL_PG
    if (st->pg)
        return ITSM_PG_SCHEMA_VERSION;   /* created if missing, else it matched */
#endif
    return itsm_sqlite_schema_found(st->sq);
}

const char *sa_errmsg(const sa_store *st)
{
    if (st->errmsg[0])
        return st->errmsg;
#ifdef ITSM_STORE_TOOL_PG
    if (st->pg)
        return itsm_pg_errmsg(st->pg);
#endif
    return itsm_sqlite_errmsg(st->sq);
}

int sa_count(sa_store *st, long long *events)
{
    uint64_t n = 0;
    int rc;
#ifdef ITSM_STORE_TOOL_PG
    if (st->pg)
        rc = itsm_pg_count(st->pg, &n);
    else
#endif
        rc = itsm_sqlite_count(st->sq, &n);
    *events = (long long)n;
    return rc == ITSM_OK ? 0 : -1;
}

/* ---- SQLite ------------------------------------------------------------------ */

static long long sq_int(sa_store *st, const char *sql, int *failed)
{
    sqlite3_stmt *q;
    long long v = 0;
    if (sqlite3_prepare_v2(itsm_sqlite_db(st->sq), sql, -1, &q, NULL) != SQLITE_OK) {
        snprintf(st->errmsg, sizeof st->errmsg, "%s: %s", sql, sqlite3_errmsg(itsm_sqlite_db(st->sq)));
        *failed = 1;
        return 0;
    }
    if (sqlite3_step(q) == SQLITE_ROW)
        v = sqlite3_column_int64(q, 0);
    sqlite3_finalize(q);
    return v;
}

static int sq_summarise(sa_store *st, sa_summary *s)
{
    int failed = 0;
    s->schema_version = (int)sq_int(st, "SELECT max(version) FROM itsm_schema", &failed);
    s->events = sq_int(st, "SELECT count(*) FROM itsm_events", &failed);
    /* a policy event (a version's document) is rev 1 of no record */
    s->records = sq_int(st, "SELECT count(*) FROM itsm_events WHERE rev = 1 AND kind <> 'policy'", &failed);
    s->first_at = sq_int(st, "SELECT min(at) FROM itsm_events", &failed);
    s->last_at = sq_int(st, "SELECT max(at) FROM itsm_events", &failed);
    sqlite3_stmt *q;
    if (failed || sqlite3_prepare_v2(itsm_sqlite_db(st->sq),
                                     "SELECT type, count(*) FROM itsm_events GROUP BY type ORDER BY 2 DESC", -1, &q,
                                     NULL) != SQLITE_OK)
        return -1;
    while (s->ntypes < 16 && sqlite3_step(q) == SQLITE_ROW) {
        snprintf(s->types[s->ntypes].name, sizeof s->types[0].name, "%s", (const char *)sqlite3_column_text(q, 0));
        s->types[s->ntypes++].count = sqlite3_column_int64(q, 1);
    }
    sqlite3_finalize(q);
    return 0;
}

typedef int (*row_fn)(void *ctx, const sa_row *row);

static int sq_rows(sa_store *st, row_fn fn, void *ctx)
{
    sqlite3 *db = itsm_sqlite_db(st->sq);
    sqlite3_stmt *q;
    if (sqlite3_prepare_v2(db, "SELECT seq, record, rev, kind, type, at, actor, json FROM itsm_events ORDER BY seq",
                           -1, &q, NULL) != SQLITE_OK) {
        snprintf(st->errmsg, sizeof st->errmsg, "reading the events: %s", sqlite3_errmsg(db));
        return -1;
    }
    int rc, out = 0;
    while (out == 0 && (rc = sqlite3_step(q)) == SQLITE_ROW) {
        sa_row r = { sqlite3_column_int64(q, 0), sqlite3_column_int64(q, 2), sqlite3_column_int64(q, 5),
                     (const char *)sqlite3_column_text(q, 1), (const char *)sqlite3_column_text(q, 3),
                     (const char *)sqlite3_column_text(q, 4), (const char *)sqlite3_column_text(q, 6),
                     (const char *)sqlite3_column_text(q, 7) };
        out = fn(ctx, &r);
    }
    if (out == 0 && rc != SQLITE_DONE) {
        snprintf(st->errmsg, sizeof st->errmsg, "reading the events: %s", sqlite3_errmsg(db));
        out = -1;
    }
    sqlite3_finalize(q);
    return out;
}

typedef struct sq_writer { sa_store *st; sqlite3_stmt *ins; long long n; } sq_writer;

static int sq_put(void *ctx, const sa_row *r)
{
    sq_writer *w = ctx;
    sqlite3_stmt *q = w->ins;
    sqlite3_bind_int64(q, 1, r->seq);
    sqlite3_bind_text(q, 2, r->record, -1, SQLITE_STATIC);
    sqlite3_bind_int64(q, 3, r->rev);
    sqlite3_bind_text(q, 4, r->kind, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 5, r->type, -1, SQLITE_STATIC);
    sqlite3_bind_int64(q, 6, r->at);
    if (r->actor)
        sqlite3_bind_text(q, 7, r->actor, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(q, 7);
    sqlite3_bind_text(q, 8, r->json, -1, SQLITE_STATIC);
    int rc = sqlite3_step(q);
    sqlite3_reset(q);
    if (rc != SQLITE_DONE) {
        snprintf(w->st->errmsg, sizeof w->st->errmsg, "writing seq %lld: %s", r->seq,
                 sqlite3_errmsg(itsm_sqlite_db(w->st->sq)));
        return -1;
    }
    w->n++;
    return 0;
}

/* ---- PostgreSQL --------------------------------------------------------------- */

#ifdef ITSM_STORE_TOOL_PG
static PGresult *pg_q(sa_store *st, const char *sql, int nparams, const char *const *params)
{
    PGresult *r = PQexecParams(itsm_pg_conn(st->pg), sql, nparams, NULL, params, NULL, NULL, 0);
    ExecStatusType s = PQresultStatus(r);
    if (s != PGRES_TUPLES_OK && s != PGRES_COMMAND_OK) {
        snprintf(st->errmsg, sizeof st->errmsg, "%s: %s", sql, PQresultErrorMessage(r));
        PQclear(r);
        return NULL;
    }
    return r;
}

static int pg_summarise(sa_store *st, sa_summary *s)
{
    PGresult *r = pg_q(st, "SELECT (SELECT max(version) FROM itsm_schema), count(*),"
                           " count(*) FILTER (WHERE rev = 1 AND kind <> 'policy'),"
                           " coalesce(min(at), 0), coalesce(max(at), 0) FROM itsm_events", 0, NULL);
    if (!r)
        return -1;
    s->schema_version = atoi(PQgetvalue(r, 0, 0));
    s->events = atoll(PQgetvalue(r, 0, 1));
    s->records = atoll(PQgetvalue(r, 0, 2));
    s->first_at = atoll(PQgetvalue(r, 0, 3));
    s->last_at = atoll(PQgetvalue(r, 0, 4));
    PQclear(r);
    if (!(r = pg_q(st, "SELECT type, count(*) FROM itsm_events GROUP BY type ORDER BY 2 DESC", 0, NULL)))
        return -1;
    for (int i = 0; i < PQntuples(r) && s->ntypes < 16; i++) {
        snprintf(s->types[s->ntypes].name, sizeof s->types[0].name, "%s", PQgetvalue(r, i, 0));
        s->types[s->ntypes++].count = atoll(PQgetvalue(r, i, 1));
    }
    PQclear(r);
    return 0;
}

static int pg_rows(sa_store *st, row_fn fn, void *ctx)
{
    char after[32] = "0";
    for (;;) {
        const char *p[1] = { after };
        PGresult *r = pg_q(st, "SELECT seq, record, rev, kind, type, at, actor, json FROM itsm_events"
                               " WHERE seq > $1::int8 ORDER BY seq LIMIT 10000", 1, p);
        if (!r)
            return -1;
        int n = PQntuples(r);
        for (int i = 0; i < n; i++) {
            sa_row row = { atoll(PQgetvalue(r, i, 0)), atoll(PQgetvalue(r, i, 2)), atoll(PQgetvalue(r, i, 5)),
                           PQgetvalue(r, i, 1), PQgetvalue(r, i, 3), PQgetvalue(r, i, 4),
                           PQgetisnull(r, i, 6) ? NULL : PQgetvalue(r, i, 6), PQgetvalue(r, i, 7) };
            if (fn(ctx, &row)) {
                PQclear(r);
                return -1;
            }
        }
        if (n > 0)
            snprintf(after, sizeof after, "%s", PQgetvalue(r, n - 1, 0));
        PQclear(r);
        if (n < 10000)
            return 0;
    }
}

typedef struct pg_writer { sa_store *st; long long n, last; } pg_writer;

static int pg_put(void *ctx, const sa_row *row)
{
    pg_writer *w = ctx;
    char seq[24], rev[24], at[24];
    snprintf(seq, sizeof seq, "%lld", row->seq);
    snprintf(rev, sizeof rev, "%lld", row->rev);
    snprintf(at, sizeof at, "%lld", row->at);
    const char *p[8] = { seq, row->record, rev, row->kind, row->type, at, row->actor, row->json };
    PGresult *r = pg_q(w->st, "INSERT INTO itsm_events (seq, record, rev, kind, type, at, actor, json)"
                              " VALUES ($1::int8, $2, $3::int8, $4, $5, $6::int8, $7, $8)", 8, p);
    if (!r)
        return -1;
    PQclear(r);
    w->n++;
    w->last = row->seq;
    return 0;
}
#endif

/* ---- both ---------------------------------------------------------------------- */

int sa_summarise(sa_store *st, sa_summary *out)
{
    memset(out, 0, sizeof *out);
#ifdef ITSM_STORE_TOOL_PG
    if (st->pg)
        return pg_summarise(st, out);
#endif
    return sq_summarise(st, out);
}

static int rows(sa_store *st, row_fn fn, void *ctx)
{
#ifdef ITSM_STORE_TOOL_PG
    if (st->pg)
        return pg_rows(st, fn, ctx);
#endif
    return sq_rows(st, fn, ctx);
}

int sa_copy(sa_store *from, sa_store *to, long long *n)
{
    *n = 0;
#ifdef ITSM_STORE_TOOL_PG
    if (to->pg) {
        pg_writer w = { to, 0, 0 };
        PGresult *r = pg_q(to, "BEGIN", 0, NULL);
        if (!r)
            return -1;
        PQclear(r);
        int rc = rows(from, pg_put, &w);
        char last[24];
        snprintf(last, sizeof last, "%lld", w.last);
        const char *p[1] = { last };
        if (rc == 0 && (r = pg_q(to, "UPDATE itsm_head SET seq = $1::int8", 1, p)))
            PQclear(r);
        else
            rc = -1;
        if (rc == 0 && (r = pg_q(to, "COMMIT", 0, NULL)))
            PQclear(r);
        else {
            PQclear(PQexec(itsm_pg_conn(to->pg), "ROLLBACK"));
            return -1;
        }
        *n = w.n;
        return 0;
    }
#endif
    sqlite3 *db = itsm_sqlite_db(to->sq);
    sq_writer w = { to, NULL, 0 };
    if (sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db, "INSERT INTO itsm_events (seq, record, rev, kind, type, at, actor, json)"
                               " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)", -1, &w.ins, NULL) != SQLITE_OK) {
        snprintf(to->errmsg, sizeof to->errmsg, "%s", sqlite3_errmsg(db));
        sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
        return -1;
    }
    int rc = rows(from, sq_put, &w);
    sqlite3_finalize(w.ins);
    if (rc == 0 && sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
        snprintf(to->errmsg, sizeof to->errmsg, "COMMIT: %s", sqlite3_errmsg(db));
        rc = -1;
    }
    if (rc)
        sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
    else
        *n = w.n;
    return rc;
}
