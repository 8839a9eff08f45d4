/* SPDX-License-Identifier: Apache-2.0 */
/* sqlite_store.c - see sqlite_store.h. */
#include "sqlite_store.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct sqlite_store {
    sqlite3      *db;
    sqlite3_stmt *begin, *commit, *rollback, *maxrev, *insert, *scan, *count;
    char         *buf;     /* event JSON, reused */
    size_t        cap;
    char          errmsg[256];
    void        (*hook)(void *);
    void         *hook_user;
};

static const char schema[] =
    "CREATE TABLE IF NOT EXISTS itsm_events ("
    " seq INTEGER PRIMARY KEY,"
    " record TEXT NOT NULL,"
    " rev INTEGER NOT NULL,"
    " json TEXT NOT NULL,"
    " UNIQUE (record, rev));";

static void remember(sqlite_store *s, const char *what)
{
    snprintf(s->errmsg, sizeof s->errmsg, "%s: %s", what, sqlite3_errmsg(s->db));
}

static int prep(sqlite_store *s, sqlite3_stmt **st, const char *sql)
{
    if (sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, st, NULL) != SQLITE_OK) {
        remember(s, sql);
        return -1;
    }
    return 0;
}

int sqlite_store_open(sqlite_store **out, const char *path, int sync, char *err, size_t errcap)
{
    *out = NULL;
    sqlite_store *s = calloc(1, sizeof *s);
    if (!s) {
        snprintf(err, errcap, "out of memory");
        return -1;
    }
    if (sqlite3_open_v2(path, &s->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK) {
        snprintf(err, errcap, "%s: %s", path, s->db ? sqlite3_errmsg(s->db) : "cannot open");
        sqlite_store_close(s);
        return -1;
    }
    sqlite3_busy_timeout(s->db, 5000);
    char *msg = NULL;
    const char *pragmas = sync == SQLITE_STORE_SYNC_NORMAL
        ? "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
        : "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;";
    if (sqlite3_exec(s->db, pragmas, NULL, NULL, &msg) != SQLITE_OK ||
        sqlite3_exec(s->db, schema, NULL, NULL, &msg) != SQLITE_OK) {
        snprintf(err, errcap, "%s: %s", path, msg ? msg : sqlite3_errmsg(s->db));
        sqlite3_free(msg);
        sqlite_store_close(s);
        return -1;
    }
    if (prep(s, &s->begin, "BEGIN IMMEDIATE") || prep(s, &s->commit, "COMMIT") ||
        prep(s, &s->rollback, "ROLLBACK") ||
        prep(s, &s->maxrev, "SELECT max(rev) FROM itsm_events WHERE record = ?1") ||
        prep(s, &s->insert, "INSERT INTO itsm_events (record, rev, json) VALUES (?1, ?2, ?3)") ||
        prep(s, &s->scan, "SELECT json FROM itsm_events ORDER BY seq") ||
        prep(s, &s->count, "SELECT count(*) FROM itsm_events")) {
        snprintf(err, errcap, "%s: %s", path, s->errmsg);
        sqlite_store_close(s);
        return -1;
    }
    *out = s;
    return 0;
}

void sqlite_store_close(sqlite_store *s)
{
    if (!s)
        return;
    sqlite3_stmt *st[] = { s->begin, s->commit, s->rollback, s->maxrev, s->insert, s->scan, s->count };
    for (size_t i = 0; i < sizeof st / sizeof st[0]; i++)
        sqlite3_finalize(st[i]);
    sqlite3_close(s->db);
    free(s->buf);
    free(s);
}

const char *sqlite_store_errmsg(const sqlite_store *s) { return s->errmsg; }

void sqlite_store_set_precommit_hook(sqlite_store *s, void (*hook)(void *), void *user)
{
    s->hook = hook;
    s->hook_user = user;
}

long long sqlite_store_count(sqlite_store *s)
{
    long long n = -1;
    if (sqlite3_step(s->count) == SQLITE_ROW)
        n = sqlite3_column_int64(s->count, 0);
    sqlite3_reset(s->count);
    return n;
}

int sqlite_store_last_json(sqlite_store *s, char *buf, size_t cap)
{
    sqlite3_stmt *st;
    int found = 0;
    if (cap == 0 ||
        sqlite3_prepare_v2(s->db, "SELECT json FROM itsm_events ORDER BY seq DESC LIMIT 1", -1, &st, NULL) != SQLITE_OK)
        return -1;
    buf[0] = '\0';
    if (sqlite3_step(st) == SQLITE_ROW) {
        const unsigned char *j = sqlite3_column_text(st, 0);
        snprintf(buf, cap, "%s", j ? (const char *)j : "");
        found = 1;
    }
    sqlite3_finalize(st);
    return found;
}

static int step_done(sqlite_store *s, sqlite3_stmt *st, const char *what)
{
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        remember(s, what);
        return -1;
    }
    return 0;
}

static int fail(sqlite_store *s, int code)
{
    sqlite3_step(s->rollback);
    sqlite3_reset(s->rollback);
    return code;
}

static int event_json(sqlite_store *s, const itsm_event *ev, size_t *len)
{
    if (itsm_event_to_json(ev, s->buf, s->cap, len) == ITSM_OK)
        return 0;
    size_t cap = *len + 1 > 2 * s->cap ? *len + 1 : 2 * s->cap;
    char *b = realloc(s->buf, cap);
    if (!b)
        return -1;
    s->buf = b;
    s->cap = cap;
    return itsm_event_to_json(ev, s->buf, s->cap, len) == ITSM_OK ? 0 : -1;
}

static int sq_append(void *user, const itsm_event *const *evs, size_t n)
{
    sqlite_store *s = user;
    if (step_done(s, s->begin, "BEGIN IMMEDIATE"))
        return ITSM_ESTORE;
    for (size_t i = 0; i < n; i++) {
        const char *id = itsm_event_record_id(evs[i]);
        sqlite3_int64 rev = (sqlite3_int64)itsm_event_revision(evs[i]);
        /* The revision check: the newest stored revision must be rev - 1.
         * Earlier events of this batch are already inserted, so a batch
         * with several events for one record checks out too. */
        sqlite3_bind_text(s->maxrev, 1, id, -1, SQLITE_STATIC);
        int rc = sqlite3_step(s->maxrev);
        sqlite3_int64 have = rc == SQLITE_ROW ? sqlite3_column_int64(s->maxrev, 0) : -1;
        sqlite3_reset(s->maxrev);
        sqlite3_clear_bindings(s->maxrev);
        if (rc != SQLITE_ROW) {
            remember(s, "SELECT max(rev)");
            return fail(s, ITSM_ESTORE);
        }
        if (have != rev - 1) {
            snprintf(s->errmsg, sizeof s->errmsg, "%s: stored revision %lld, event revision %lld",
                     id, (long long)have, (long long)rev);
            return fail(s, ITSM_ECONFLICT);
        }
        size_t len;
        if (event_json(s, evs[i], &len)) {
            snprintf(s->errmsg, sizeof s->errmsg, "out of memory for the event JSON");
            return fail(s, ITSM_ESTORE);
        }
        sqlite3_bind_text(s->insert, 1, id, -1, SQLITE_STATIC);
        sqlite3_bind_int64(s->insert, 2, rev);
        sqlite3_bind_text(s->insert, 3, s->buf, (int)len, SQLITE_STATIC);
        rc = step_done(s, s->insert, "INSERT");
        sqlite3_clear_bindings(s->insert);
        if (rc)
            return fail(s, ITSM_ESTORE);
    }
    if (s->hook)
        s->hook(s->hook_user);
    if (step_done(s, s->commit, "COMMIT"))
        return fail(s, ITSM_ESTORE);
    return ITSM_OK;
}

static int sq_scan(void *user, itsm_store_emit_fn emit, void *ctx)
{
    sqlite_store *s = user;
    int rc, out = ITSM_OK;
    while ((rc = sqlite3_step(s->scan)) == SQLITE_ROW) {
        const char *json = (const char *)sqlite3_column_text(s->scan, 0);
        size_t len = (size_t)sqlite3_column_bytes(s->scan, 0);
        if ((out = emit(ctx, json ? json : "", len)) != ITSM_OK)
            break;
    }
    if (out == ITSM_OK && rc != SQLITE_DONE) {
        remember(s, "SELECT json");
        out = ITSM_ESTORE;
    }
    sqlite3_reset(s->scan);
    return out;
}

const itsm_store sqlite_store_methods = { ITSM_STORE_VERSION, sq_append, sq_scan, NULL, NULL };
