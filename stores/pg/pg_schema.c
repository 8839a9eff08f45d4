/* SPDX-License-Identifier: Apache-2.0 */
/*
 * pg_schema.c - the schema of docs/store-schema.md in PostgreSQL: the
 * SQLite store's tables with PostgreSQL types, plus what several writers
 * need (itsm_head: the sequence counter whose row lock orders appends; the
 * (record, rev - 1) reference that refuses a gap). A PostgreSQL event log
 * starts at version 2; later versions migrate forward here.
 */
#include "pg_int.h"

#include <stdlib.h>
#include <string.h>

static const char create_tables[] =
    "CREATE TABLE itsm_schema ("
    " version integer PRIMARY KEY,"
    " applied_at text NOT NULL,"
    " what text NOT NULL);"
    "CREATE TABLE itsm_events ("
    " seq bigint PRIMARY KEY,"
    " record text NOT NULL,"
    " rev bigint NOT NULL CHECK (rev >= 1),"
    " kind text NOT NULL,"
    " type text NOT NULL,"
    " at bigint NOT NULL,"
    " actor text,"
    " json text NOT NULL,"
    " prev bigint GENERATED ALWAYS AS (CASE WHEN rev > 1 THEN rev - 1 END) STORED,"
    " UNIQUE (record, rev),"
    " FOREIGN KEY (record, prev) REFERENCES itsm_events (record, rev));"
    "CREATE TABLE itsm_head ("
    " id integer PRIMARY KEY CHECK (id = 1),"
    " seq bigint NOT NULL);"
    "INSERT INTO itsm_head VALUES (1, 0);"
    "INSERT INTO itsm_schema VALUES (2,"
    " to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), 'created')";

static int ok(PGresult *r, ExecStatusType want, char *msg, size_t cap, const char *what)
{
    int good = PQresultStatus(r) == want;
    if (!good)
        store_msg(msg, cap, "%s: %s", what, PQresultErrorMessage(r));
    PQclear(r);
    return good;
}

static int exec(PGconn *c, const char *sql, char *msg, size_t cap, const char *what)
{
    return ok(PQexec(c, sql), PGRES_COMMAND_OK, msg, cap, what) ? 0 : -1;
}

static int prepare(PGconn *c, const char *schema, char *msg, size_t cap)
{
    const char *key = schema;
    PGresult *r = PQexecParams(c, "SELECT pg_advisory_xact_lock(hashtext('itsm_schema:' || $1))", 1, NULL, &key,
                               NULL, NULL, 0);
    if (!ok(r, PGRES_TUPLES_OK, msg, cap, "locking the schema"))
        return -1;
    r = PQexec(c, "SELECT to_regclass('itsm_schema') IS NOT NULL, to_regclass('itsm_events') IS NOT NULL");
    if (PQresultStatus(r) != PGRES_TUPLES_OK) {
        store_msg(msg, cap, "looking for the tables: %s", PQresultErrorMessage(r));
        PQclear(r);
        return -1;
    }
    int has_schema = !strcmp(PQgetvalue(r, 0, 0), "t"), has_events = !strcmp(PQgetvalue(r, 0, 1), "t");
    PQclear(r);
    if (!has_schema && has_events) {
        store_msg(msg, cap, "schema %s holds a table itsm_events but no itsm_schema: not an itsm event log", schema);
        return -1;
    }
    if (!has_schema)
        return exec(c, create_tables, msg, cap, "creating the tables");
    r = PQexec(c, "SELECT max(version) FROM itsm_schema");
    if (PQresultStatus(r) != PGRES_TUPLES_OK) {
        store_msg(msg, cap, "reading the schema version: %s", PQresultErrorMessage(r));
        PQclear(r);
        return -1;
    }
    long version = PQgetisnull(r, 0, 0) ? 0 : strtol(PQgetvalue(r, 0, 0), NULL, 10);
    PQclear(r);
    if (version != ITSM_PG_SCHEMA_VERSION) {
        store_msg(msg, cap, "schema %s has version %ld; this library knows version %d%s", schema, version,
                  ITSM_PG_SCHEMA_VERSION, version > ITSM_PG_SCHEMA_VERSION ? " (written by a newer itsm)" : "");
        return -1;
    }
    return 0;
}

int pg_schema_prepare(PGconn *c, const char *schema, char *msg, size_t cap)
{
    if (exec(c, "BEGIN", msg, cap, "starting the schema transaction"))
        return -1;
    if (prepare(c, schema, msg, cap)) {
        PQclear(PQexec(c, "ROLLBACK"));
        return -1;
    }
    return exec(c, "COMMIT", msg, cap, "committing the schema");
}
