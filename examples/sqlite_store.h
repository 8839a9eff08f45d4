/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sqlite_store.h - an itsm_store that keeps events in a SQLite file.
 *
 * Shared by examples/sqlite_host.c and tools/itsm-replay.c. Schema:
 *
 *   CREATE TABLE itsm_events (
 *       seq    INTEGER PRIMARY KEY,   -- append order
 *       record TEXT    NOT NULL,
 *       rev    INTEGER NOT NULL,      -- the record's revision after the event
 *       json   TEXT    NOT NULL,      -- itsm_event_to_json, replayed by scan
 *       UNIQUE (record, rev));
 *
 * append(): one transaction per batch (BEGIN IMMEDIATE ... COMMIT). For each
 * event the record's newest stored revision must be revision - 1 (0 for a
 * new record), else ROLLBACK and ITSM_ECONFLICT: the revision check of
 * include/itsm/sys/store.h, so several engines may share one file. Any
 * SQLite failure is ROLLBACK and ITSM_ESTORE.
 * scan(): every event in seq order.
 *
 * The file is in WAL mode. Durability:
 *   SQLITE_STORE_SYNC_FULL    synchronous=FULL: a committed append survives
 *                             a process crash and a power loss (the default).
 *   SQLITE_STORE_SYNC_NORMAL  synchronous=NORMAL: survives a process crash;
 *                             the last appends may be lost on power loss.
 */
#ifndef ITSM_EXAMPLE_SQLITE_STORE_H
#define ITSM_EXAMPLE_SQLITE_STORE_H

#include <itsm.h>
#include <stddef.h>

typedef struct sqlite_store sqlite_store;

enum { SQLITE_STORE_SYNC_FULL = 0, SQLITE_STORE_SYNC_NORMAL = 1 };

/* Open or create the file. 0 on success; on failure -1 and a message in
 * err (up to errcap bytes). */
int  sqlite_store_open(sqlite_store **out, const char *path, int sync, char *err, size_t errcap);
/* Accepts NULL. Not called by the engine (the table has no destroy): free
 * the engine first, then the store. */
void sqlite_store_close(sqlite_store *s);

/* The callback table; pass the sqlite_store as store_user. */
extern const itsm_store sqlite_store_methods;

/* Events stored so far. */
long long sqlite_store_count(sqlite_store *s);
/* The JSON of the newest stored event into buf (truncated to cap): 1 if
 * there is one, 0 if the store is empty, -1 on a SQLite error. */
int sqlite_store_last_json(sqlite_store *s, char *buf, size_t cap);
/* The last SQLite error message, "" if none. */
const char *sqlite_store_errmsg(const sqlite_store *s);

/* Test hook: called inside append after the events are inserted and
 * before COMMIT (the crash test exits there). NULL to remove. */
void sqlite_store_set_precommit_hook(sqlite_store *s, void (*hook)(void *), void *user);

#endif
