/* SPDX-License-Identifier: Apache-2.0 */
/*
 * itsm/stores/pg.h - libitsm-pg: an itsm_store that keeps events in a
 * PostgreSQL database, shared by several engines on several machines.
 *
 * An optional library beside libitsm over libpq, built and installed when
 * libpq is found: link it with `pkg-config --libs itsm-pg`, or in CMake with
 * find_package(itsm COMPONENTS pg) and the target itsm::pg.
 *
 * SEVERAL NODES. Every node (a process with one engine) opens its own handle
 * on the same database and loads the engine from it. Then:
 *
 *   - append() is one statement, so one transaction: the batch gets the
 *     next append sequence numbers and is kept whole or not at all. The
 *     table's unique (record, rev) and its (record, rev - 1) reference
 *     enforce the revision check of include/itsm/sys/store.h inside the
 *     database: a node whose record is stale gets ITSM_ECONFLICT and
 *     nothing changes.
 *   - Appends are serialised by one row lock (itsm_head), held until commit,
 *     so events become visible in sequence order without gaps: a node that
 *     read up to sequence number N has missed nothing before N.
 *   - itsm_pg_catch_up replays what other nodes appended since the handle's
 *     position; after ITSM_ECONFLICT, catch up and retry the call.
 *   - Each append notifies (NOTIFY itsm_events); a handle opened with
 *     `listen` set sleeps in itsm_pg_wait until another node appended.
 *   - An append is acknowledged (ITSM_OK) only after COMMIT returned, so a
 *     node killed at any moment loses nothing it acknowledged; a transaction
 *     cut off by the kill is rolled back by the server.
 *   - A connection lost during an append is re-established, the old server
 *     process ended, and the outcome read back: ITSM_OK if the batch was
 *     committed; if it was not, it is sent once more on the new connection
 *     (ITSM_ESTORE if that is cut off too). A connection lost between calls
 *     is re-established by the next one.
 *
 * The schema (docs/store-schema.md) is that of the SQLite store with the
 * additions above; opening creates it in an empty schema (a PostgreSQL
 * namespace) under an advisory lock, so nodes may start together.
 *
 * A handle owns one connection and is used by one thread at a time.
 */
#ifndef ITSM_STORES_PG_H
#define ITSM_STORES_PG_H

#include "../common.h"
#include "../engine.h"
#include "../sys/store.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The schema version this library writes (docs/store-schema.md). */
#define ITSM_PG_SCHEMA_VERSION 2

typedef struct itsm_pg itsm_pg;
struct pg_conn;

typedef struct itsm_pg_opts {
    unsigned    version;   /* ITSM_PG_OPTS_VERSION */
    /* The PostgreSQL schema (namespace) holding the tables, created if
     * missing: one event log per schema, so one database can hold several
     * (partitions, tests). NULL: "public". Copied. */
    const char *schema;
    /* Non-zero: LISTEN from the moment the handle opens, so that
     * itsm_pg_wait misses nothing appended after the open. Leave it 0 for a
     * handle that never waits (notifications would pile up unread). */
    int         listen;
} itsm_pg_opts;

#define ITSM_PG_OPTS_VERSION 1
#define ITSM_PG_OPTS_INIT { ITSM_PG_OPTS_VERSION, NULL, 0 }
/* For languages without macros. ITSM_EINVAL for NULL or an unknown version. */
ITSM_API int itsm_pg_opts_init(itsm_pg_opts *opts, unsigned version);

/*
 * Connect with the libpq connection string `conninfo` ("host=... dbname=...",
 * or a postgresql:// URI; "" takes everything from the PG* environment
 * variables), create or check the schema, and return a handle in *out.
 * `opts` may be NULL (the defaults). On failure *out is NULL and, when
 * `errbuf` is not NULL, up to `errcap` bytes of the reason go there.
 * Errors: ITSM_EINVAL (NULL out or conninfo, unknown opts version, a schema
 * name longer than 63 bytes), ITSM_ENOMEM, ITSM_ESTORE (cannot connect, a
 * table was written by a newer schema version or is not the schema's).
 * Owned: close with itsm_pg_close.
 */
ITSM_API int itsm_pg_open(itsm_pg **out, const char *conninfo, const itsm_pg_opts *opts,
                          char *errbuf, size_t errcap);

/* Disconnect. Free every engine using the handle first. Accepts NULL. */
ITSM_API void itsm_pg_close(itsm_pg *pg);

/* The store callbacks (append, scan and read_record; static storage). Give
 * the handle as itsm_engine_opts.store_user. scan emits every event in
 * sequence order and leaves the handle's position after the last one;
 * read_record reads one record's events, page by page. */
ITSM_API const itsm_store *itsm_pg_store(void);

/* Why the last failing call on this handle (or the store callback run
 * through it) failed, with PostgreSQL's own text; "" if none did. Borrowed,
 * valid until the next call. "no database" for NULL. */
ITSM_API const char *itsm_pg_errmsg(const itsm_pg *pg);

/*
 * Replay into `eng` every event stored after the handle's position, in
 * sequence order, and move the position past them. Events the engine
 * already has (its own) are skipped. *nread (may be NULL) gets the number
 * of events read. `eng` should be the engine whose store_user is this
 * handle.
 * Errors: ITSM_EINVAL (NULL pg or eng), ITSM_ESTORE (the query failed), or
 * the first failing itsm_engine_replay_json's code (its message on the
 * engine; the position stays on the last event replayed).
 */
ITSM_API int itsm_pg_catch_up(itsm_pg *pg, itsm_engine *eng, size_t *nread);

/*
 * Wait up to `timeout_ms` milliseconds (< 0: without limit, 0: only look)
 * for another node's append in this handle's schema. Returns 1 when there
 * was one (call itsm_pg_catch_up), 0 on timeout; notifications of the
 * handle's own appends do not count.
 * Errors: ITSM_EINVAL (NULL, or a handle opened without `listen`),
 * ITSM_ESTORE (the connection failed).
 */
ITSM_API int itsm_pg_wait(itsm_pg *pg, int timeout_ms);

/* The handle's position: the sequence number (column seq) of the newest
 * event this handle has replayed or knows its engine to hold; 0 before any.
 * 0 for NULL. */
ITSM_API uint64_t itsm_pg_position(const itsm_pg *pg);

/* The number of events stored, into *out. ITSM_EINVAL (NULL), ITSM_ESTORE. */
ITSM_API int itsm_pg_count(itsm_pg *pg, uint64_t *out);

/* The libpq connection, for the host's own queries. Borrowed, valid until
 * itsm_pg_close (a lost connection is reset in place). Do not close it,
 * change its search_path, or leave a transaction open across an append.
 * NULL for NULL. */
ITSM_API struct pg_conn *itsm_pg_conn(itsm_pg *pg);

#ifdef __cplusplus
}
#endif
#endif
