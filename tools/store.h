/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tools/store.h - the one place itsm-replay picks, opens and describes the
 * store its engine writes through, so another store (an installed one, a
 * batching one) is a change here only.
 *
 *   none     no store: the library alone (nothing to reload or scan)
 *   memory   every event kept as its JSON line in memory, in append order
 *            (scan gives them back): the library's history-based figures
 *            and the conformance report read it, like any store
 *   sqlite   libitsm-sqlite (<itsm/stores/sqlite.h>) into a file that must be
 *            new or empty
 */
#ifndef ITSM_TOOLS_STORE_H
#define ITSM_TOOLS_STORE_H

#include <itsm.h>
#include <stddef.h>

typedef struct rp_store rp_store;

enum { RP_STORE_NONE = 0, RP_STORE_MEMORY, RP_STORE_SQLITE };
enum { RP_SYNC_FULL = 0, RP_SYNC_NORMAL = 1 };
/* How the SQLite store keeps each event: its JSON text, or the binary form
 * (itsm_event_to_binary: smaller, and loaded without a JSON parse). The
 * events, the reload and the report are the same either way. */
enum { RP_FORM_JSON = 0, RP_FORM_BINARY = 1 };

/* Open a store of `kind` (path, sync and form: sqlite only). 0, or -1 and
 * err. */
int  rp_store_open(rp_store **out, int kind, const char *path, int sync, int form, char *err, size_t errcap);
/* Accepts NULL. Free the engine first. */
void rp_store_close(rp_store *s);
/* The callback table and user pointer for itsm_engine_opts; NULL for none. */
const itsm_store *rp_store_methods(const rp_store *s);
void *rp_store_user(rp_store *s);
/* 1 when the store can give its events back (scan). */
int   rp_store_scans(const rp_store *s);
long long rp_store_count(rp_store *s);
/* The store's last error ("" if none). */
const char *rp_store_errmsg(const rp_store *s);
/* One line for the report: "memory (...), N events". */
void  rp_store_describe(rp_store *s, char *buf, size_t cap);

#endif
