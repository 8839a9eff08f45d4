/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sqlite_schema.c - create the schema of docs/store-schema.md in a new file,
 * or migrate an older one forward, one version at a time (1 -> 2 -> 3). The Python binding's
 * itsm/stores.py carries the same statements, character for character
 * (tests/stores/test_schema_shared.py compares what both create).
 */
#include "sqlite_int.h"

#include <stdio.h>
#include <string.h>

/* The tables of version 2 (version 3 has the same tables). */
static const char create_schema_table[] =
    "CREATE TABLE itsm_schema ("
    " version INTEGER PRIMARY KEY,"
    " applied_at TEXT NOT NULL,"
    " what TEXT NOT NULL)";

static const char create_events_table[] =
    "CREATE TABLE itsm_events ("
    " seq INTEGER PRIMARY KEY,"
    " record TEXT NOT NULL,"
    " rev INTEGER NOT NULL,"
    " kind TEXT NOT NULL,"
    " type TEXT NOT NULL,"
    " at INTEGER NOT NULL,"
    " actor TEXT,"
    " json TEXT NOT NULL,"
    " UNIQUE (record, rev))";

/* The two unversioned layouts of itsm 0.1 are both version 1: the C example
 * store's (seq, record, rev, json) and the Python store's (seq, record_id,
 * revision, type, kind, at, actor, json). */
enum { LAYOUT_NONE, LAYOUT_C, LAYOUT_PYTHON, LAYOUT_UNKNOWN };

static int exec(sqlite3 *db, const char *sql, char *msg, size_t cap, const char *what)
{
    char *err = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &err) == SQLITE_OK)
        return 0;
    store_msg(msg, cap, "%s: %s", what, err ? err : sqlite3_errmsg(db));
    sqlite3_free(err);
    return -1;
}

/* Run `sql` and read one integer column of its first row into *out
 * (unchanged when there is no row or the value is NULL). */
static int query_int(sqlite3 *db, const char *sql, long long *out, char *msg, size_t cap)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
        store_msg(msg, cap, "%s: %s", sql, sqlite3_errmsg(db));
        return -1;
    }
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL)
        *out = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
        store_msg(msg, cap, "%s: %s", sql, sqlite3_errmsg(db));
        return -1;
    }
    return 0;
}

static int table_exists(sqlite3 *db, const char *name, int *out, char *msg, size_t cap)
{
    char sql[160];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = '%s'", name);
    long long n = 0;
    if (query_int(db, sql, &n, msg, cap))
        return -1;
    *out = n > 0;
    return 0;
}

/* Which 0.1 layout an unversioned itsm_events table has. */
static int layout_of(sqlite3 *db, int *out, char *msg, size_t cap)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, "SELECT name FROM pragma_table_info('itsm_events') ORDER BY cid", -1, &st, NULL)
        != SQLITE_OK) {
        store_msg(msg, cap, "reading the columns of itsm_events: %s", sqlite3_errmsg(db));
        return -1;
    }
    char cols[256] = "";
    size_t n = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *c = (const char *)sqlite3_column_text(st, 0);
        int k = snprintf(cols + n, sizeof cols - n, "%s%s", n ? "," : "", c ? c : "");
        n = k < 0 || (size_t)k >= sizeof cols - n ? sizeof cols - 1 : n + (size_t)k;
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        store_msg(msg, cap, "reading the columns of itsm_events: %s", sqlite3_errmsg(db));
        return -1;
    }
    if (!strcmp(cols, "seq,record,rev,json"))
        *out = LAYOUT_C;
    else if (!strcmp(cols, "seq,record_id,revision,type,kind,at,actor,json"))
        *out = LAYOUT_PYTHON;
    else {
        *out = LAYOUT_UNKNOWN;
        store_msg(msg, cap, "a table itsm_events with columns (%s) that no schema version describes", cols);
    }
    return 0;
}

static int record_version(sqlite3 *db, int version, const char *what, char *msg, size_t cap)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db,
                           "INSERT INTO itsm_schema (version, applied_at, what)"
                           " VALUES (?1, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), ?2)",
                           -1, &st, NULL) != SQLITE_OK) {
        store_msg(msg, cap, "recording schema version %d: %s", version, sqlite3_errmsg(db));
        return -1;
    }
    sqlite3_bind_int(st, 1, version);
    sqlite3_bind_text(st, 2, what, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        store_msg(msg, cap, "recording schema version %d: %s", version, sqlite3_errmsg(db));
        return -1;
    }
    return 0;
}

static int create_current(sqlite3 *db, char *msg, size_t cap)
{
    if (exec(db, create_schema_table, msg, cap, "creating itsm_schema") ||
        exec(db, create_events_table, msg, cap, "creating itsm_events"))
        return -1;
    return record_version(db, ITSM_SQLITE_SCHEMA_VERSION, "created", msg, cap);
}

/* 2 -> 3: the json column may hold an event's binary form (a BLOB): no
 * change to the tables, but a file that may hold one must not open in a
 * library that cannot read it, so it says version 3. */
static int migrate_2_to_3(sqlite3 *db, char *msg, size_t cap)
{
    return record_version(db, 3, "the json column may hold an event's binary form (a BLOB)", msg, cap);
}

/* 1 -> 2: rebuild itsm_events with typed columns taken from each event's
 * JSON (the JSON is kept byte for byte, seq too), add itsm_schema. */
static int migrate_1_to_2(sqlite3 *db, int layout, char *msg, size_t cap)
{
    const char *rec = layout == LAYOUT_C ? "record" : "record_id";
    const char *rev = layout == LAYOUT_C ? "rev" : "revision";
    char copy[640];
    snprintf(copy, sizeof copy,
             "INSERT INTO itsm_events (seq, record, rev, kind, type, at, actor, json)"
             " SELECT seq, %s, %s, json_extract(json, '$.kind'), json_extract(json, '$.type'),"
             " CAST(strftime('%%s', json_extract(json, '$.at')) AS INTEGER), json_extract(json, '$.actor'), json"
             " FROM itsm_events_v1 ORDER BY seq",
             rec, rev);
    if (exec(db, create_schema_table, msg, cap, "migration 1 to 2: creating itsm_schema") ||
        record_version(db, 1, layout == LAYOUT_C ? "itsm 0.1 layout of the C example store"
                                                 : "itsm 0.1 layout of the Python SQLiteStore",
                       msg, cap) ||
        exec(db, "ALTER TABLE itsm_events RENAME TO itsm_events_v1", msg, cap, "migration 1 to 2: renaming") ||
        exec(db, create_events_table, msg, cap, "migration 1 to 2: creating itsm_events") ||
        exec(db, copy, msg, cap, "migration 1 to 2: copying the events") ||
        exec(db, "DROP TABLE itsm_events_v1", msg, cap, "migration 1 to 2: dropping the old table"))
        return -1;
    return record_version(db, 2, "typed columns beside the JSON; the schema table", msg, cap);
}

int sqlite_schema_prepare(sqlite3 *db, int *found, char *msg, size_t cap)
{
    /* A file of the current version needs no write: read it without the
     * write lock, so opening does not wait for a writer's long group. */
    int has_schema = 0;
    long long now = 0;
    if (!table_exists(db, "itsm_schema", &has_schema, msg, cap) && has_schema &&
        !query_int(db, "SELECT max(version) FROM itsm_schema", &now, msg, cap) && now == ITSM_SQLITE_SCHEMA_VERSION) {
        *found = (int)now;
        return 0;
    }
    /* Else one write transaction: two processes opening an old file at once
     * migrate it once, and a failed migration leaves the file as it was. */
    if (exec(db, "BEGIN IMMEDIATE", msg, cap, "starting the schema transaction"))
        return -1;
    int has_events = 0, layout = LAYOUT_NONE;
    long long version = 0;
    int rc = table_exists(db, "itsm_schema", &has_schema, msg, cap);
    if (!rc && has_schema)
        rc = query_int(db, "SELECT max(version) FROM itsm_schema", &version, msg, cap);
    else if (!rc) {
        rc = table_exists(db, "itsm_events", &has_events, msg, cap);
        if (!rc && has_events) {
            rc = layout_of(db, &layout, msg, cap);
            if (!rc && layout == LAYOUT_UNKNOWN)
                rc = -1;
            version = 1;
        }
    }
    *found = (int)version;
    if (!rc && version > ITSM_SQLITE_SCHEMA_VERSION) {
        store_msg(msg, cap, "the file has schema version %lld, written by a newer itsm; this library knows "
                  "versions up to %d", version, ITSM_SQLITE_SCHEMA_VERSION);
        rc = -1;
    }
    if (!rc && version == 0)
        rc = create_current(db, msg, cap);
    if (!rc && version == 1)
        rc = migrate_1_to_2(db, layout, msg, cap);
    if (!rc && version >= 1 && version <= 2)
        rc = migrate_2_to_3(db, msg, cap);
    if (rc) {
        sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
        return -1;
    }
    return exec(db, "COMMIT", msg, cap, "committing the schema");
}
