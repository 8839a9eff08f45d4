/* SPDX-License-Identifier: Apache-2.0 */
/*
 * itsm/stores/sqlite.h - libitsm-sqlite: an itsm_store that keeps events in
 * a SQLite database.
 *
 * An optional library beside libitsm, built and installed when SQLite is
 * found: link it with `pkg-config --libs itsm-sqlite`, or in CMake with
 * find_package(itsm COMPONENTS sqlite) and the target itsm::sqlite.
 *
 *   itsm_sqlite *db;
 *   char why[256];
 *   if (itsm_sqlite_open(&db, "itsm.db", NULL, why, sizeof why) != ITSM_OK) ...
 *   itsm_engine_opts o = ITSM_ENGINE_OPTS_INIT;
 *   o.store = itsm_sqlite_store();
 *   o.store_user = db;
 *   itsm_engine_new(&eng, &o);
 *   itsm_engine_load(eng);              rebuild every record from the file
 *   ...                                 every change is in the file first
 *   itsm_engine_free(eng);
 *   itsm_sqlite_close(db);              after the engine
 *
 * THE SCHEMA is the one documented in docs/store-schema.md and shared with
 * the Python binding's itsm.stores.SQLiteStore: a database written by one
 * opens in the other. Opening creates it in an empty file and migrates an
 * older version forward (in one transaction); a file written by a newer
 * schema than this library knows is refused.
 *
 * append() is one transaction (BEGIN IMMEDIATE ... COMMIT) per batch and
 * checks revisions as include/itsm/sys/store.h asks (the newest stored
 * revision of each event's record must be its revision - 1), so several
 * engines, threads with their own handle or processes, may share one file:
 * the loser of a race gets ITSM_ECONFLICT, catches up with
 * itsm_sqlite_catch_up and retries. The file is in WAL mode.
 *
 * A handle is used by one thread at a time (it owns one connection; with
 * opts.pipeline on a file it has two threads of its own - a writer that
 * shares that connection behind the handle's calls, and a checkpointer
 * with a connection of its own - and a read-only connection).
 */
#ifndef ITSM_STORES_SQLITE_H
#define ITSM_STORES_SQLITE_H

#include "../common.h"
#include "../engine.h"
#include "../sys/store.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The schema version this library writes (docs/store-schema.md). */
#define ITSM_SQLITE_SCHEMA_VERSION 3

typedef struct itsm_sqlite itsm_sqlite;
struct sqlite3;

/* Durability of a committed append (PRAGMA synchronous, in WAL mode). */
typedef enum itsm_sqlite_sync {
    /* fsync at every commit: an acknowledged append survives a process
     * crash and a power loss. */
    ITSM_SQLITE_SYNC_FULL = 0,
    /* fsync at checkpoints only: an acknowledged append survives a process
     * crash; a power loss may take the newest ones (never a part of one). */
    ITSM_SQLITE_SYNC_NORMAL = 1
} itsm_sqlite_sync;

/* The form appends keep each event in (column json): reading takes either. */
typedef enum itsm_sqlite_form {
    ITSM_SQLITE_FORM_JSON = 0,     /* JSON text: readable with any SQL tool */
    ITSM_SQLITE_FORM_BINARY = 1    /* the binary form (a BLOB, itsm_event_to_binary):
                                      smaller, faster to write and to load */
} itsm_sqlite_form;

/* Versioned as every options struct (itsm/common.h): members are only
 * appended, each with the version that added it; a program built against
 * an older header passes its older version and gets the defaults of the
 * members it lacks. */
typedef struct itsm_sqlite_opts {
    unsigned version;          /* ITSM_SQLITE_OPTS_VERSION */
    int      sync;             /* an itsm_sqlite_sync; default FULL */
    int      busy_timeout_ms;  /* wait for another writer this long; 0: 5000, < 0: do not wait */
    /* version 2 on */
    int      form;             /* an itsm_sqlite_form; default JSON */
    /* version 3 on */
    /* 1: inside a group (itsm_engine_begin .. itsm_engine_commit), a thread
     * of the handle runs the appends' INSERTs while the host goes on. An
     * append still checks its revisions before it returns (a stale one is
     * ITSM_ECONFLICT and the group goes on) and nothing is kept before the
     * commit, as without it. What differs: an INSERT that fails in the
     * thread (a full or failing disk) loses the whole group - the later
     * appends and the commit return ITSM_ESTORE - where without it only
     * that append is refused. On two cores a bulk import or replay runs
     * the process logic and SQLite side by side (bench/RESULTS-stores.md).
     * Appends outside a group are not affected. A handle on a file also
     * checkpoints the WAL on a thread and connection of its own, where
     * SQLite would in the committing thread once the WAL holds 1,000
     * pages; the committing thread copies only what the checkpointer's
     * passes left, and by the time the WAL holds about 4,000 pages (16 MB
     * with 4 KiB pages: four times SQLite's own) it waits for a pass under
     * way, copies the rest, and the WAL starts again. With
     * ITSM_SQLITE_SYNC_NORMAL, what a power loss may take is what the WAL
     * holds since its last sync (at a checkpoint): up to those 4,000
     * pages. Closing the handle waits for a pass under way. The handle's
     * connection has a WAL hook for this (PRAGMA wal_autocheckpoint reads
     * 0): a host that sets PRAGMA wal_autocheckpoint on itsm_sqlite_db's
     * connection gives the checkpoints back to the committing thread, and
     * one that sets its own WAL hook takes them over (a hook that does not
     * checkpoint turns them off).
     * Default 0. */
    int      pipeline;
} itsm_sqlite_opts;

#define ITSM_SQLITE_OPTS_VERSION 3
#define ITSM_SQLITE_OPTS_INIT { ITSM_SQLITE_OPTS_VERSION, ITSM_SQLITE_SYNC_FULL, 0, ITSM_SQLITE_FORM_JSON, 0 }
/* For languages without macros: the INIT values for `version` (1 writes
 * only the members version 1 has, so a version-1 struct is not written
 * past its end; likewise 2). ITSM_EINVAL for NULL, 0 or a version newer than
 * ITSM_SQLITE_OPTS_VERSION, the struct untouched. */
ITSM_API int itsm_sqlite_opts_init(itsm_sqlite_opts *opts, unsigned version);

/*
 * Open (or create) the database at `path` ("" or ":memory:" for a private
 * database in memory), create or migrate its schema, and return a handle in
 * *out. `opts` may be NULL (the defaults). On failure *out is NULL and, when
 * `errbuf` is not NULL, up to `errcap` bytes of the reason (NUL-terminated)
 * go there.
 * Options of any version from 1 to ITSM_SQLITE_OPTS_VERSION are read (a
 * version-1 struct has no `form`: JSON; one before 3 has no `pipeline`: 0).
 * Errors: ITSM_EINVAL (NULL out or path; an opts version of 0 or newer
 * than this library's, the message naming both; an unknown sync or form;
 * a pipeline other than 0 or 1), ITSM_ENOMEM (also: no thread for the
 * pipelined writer), ITSM_ESTORE (the file cannot be opened, is not a SQLite
 * database, holds a table named itsm_events that no schema version
 * describes, was written by a newer schema version, or a migration failed:
 * the file is then unchanged).
 * Owned: close with itsm_sqlite_close.
 */
ITSM_API int itsm_sqlite_open(itsm_sqlite **out, const char *path, const itsm_sqlite_opts *opts,
                              char *errbuf, size_t errcap);

/* Close the database. Free every engine using the handle first (the store
 * table has no destroy: the engine does not own the handle). Accepts NULL. */
ITSM_API void itsm_sqlite_close(itsm_sqlite *db);

/* The store callbacks (append, scan and read_record; static storage). Give
 * the handle as itsm_engine_opts.store_user. scan emits every event in
 * append order and leaves the handle's position (itsm_sqlite_position)
 * after the last one; read_record reads one range of the (record, rev)
 * index. */
ITSM_API const itsm_store *itsm_sqlite_store(void);

/* Why the last failing call on this handle (or the store callback run
 * through it) failed; "" if none did. Borrowed, valid until the next call.
 * "no database" for NULL. */
ITSM_API const char *itsm_sqlite_errmsg(const itsm_sqlite *db);

/*
 * Replay into `eng` every event stored after the handle's position, in
 * append order, and move the position past them: how an engine sharing the
 * file with other engines catches up (after ITSM_ECONFLICT, or before a
 * read that must be current). Events the engine already has are skipped,
 * its own included. *nread (may be NULL) gets the number of events read.
 * `eng` should be the engine whose store_user is this handle (or a fresh
 * engine following the file read-only).
 * Errors: ITSM_EINVAL (NULL db or eng), ITSM_ESTORE (SQLite failed), or the
 * first failing itsm_engine_replay_json's code (its message on the engine;
 * the position stays on the last event replayed).
 */
ITSM_API int itsm_sqlite_catch_up(itsm_sqlite *db, itsm_engine *eng, size_t *nread);

/* The handle's position: the append sequence number (docs/store-schema.md,
 * column seq) of the newest event this handle has replayed or knows the
 * engine to hold; 0 before any. 0 for NULL. */
ITSM_API uint64_t itsm_sqlite_position(const itsm_sqlite *db);

/* The number of events stored, into *out.
 * Errors: ITSM_EINVAL (NULL), ITSM_ESTORE. */
ITSM_API int itsm_sqlite_count(itsm_sqlite *db, uint64_t *out);

/* The schema version the file had when it was opened: 0 for a new file,
 * 1 for the unversioned layouts of itsm 0.1, 2 for a file of itsm 0.2
 * before the binary form, ITSM_SQLITE_SCHEMA_VERSION when nothing needed
 * migrating. -1 for NULL. */
ITSM_API int itsm_sqlite_schema_found(const itsm_sqlite *db);

/* The SQLite connection, for the host's own queries, backups or hooks
 * (sqlite3_commit_hook). Borrowed, valid until itsm_sqlite_close. Do not
 * close it, change its journal mode, or write to the itsm_ tables; do not
 * leave a transaction open across an append. NULL for NULL.
 * With opts.pipeline: from the first call on, a group's appends are
 * written before each append returns (between two calls the connection
 * is the host's, so the pipeline gains nothing), and SQLite runs the
 * connection's hooks for them on the handle's writer thread while the
 * append waits. */
ITSM_API struct sqlite3 *itsm_sqlite_db(itsm_sqlite *db);

#ifdef __cplusplus
}
#endif
#endif
