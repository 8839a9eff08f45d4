/* SPDX-License-Identifier: Apache-2.0 */
/* sqlite_int.h - what the files of libitsm-sqlite share. */
#ifndef ITSM_SQLITE_INT_H
#define ITSM_SQLITE_INT_H

#include <itsm/stores/sqlite.h>
#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>

#include "store_util.h"

/* Create the current schema in an empty file or migrate an older one, in
 * one transaction. *found gets the version the file had (0: none).
 * 0, or -1 with the reason in msg (and the file unchanged). */
int sqlite_schema_prepare(sqlite3 *db, int *found, char *msg, size_t cap);

/* The newest stored revision of records this handle wrote or checked
 * (sqlite_revs.c): valid only while no other connection committed. */
typedef struct sqlite_rev {
    uint64_t hash;   /* of id: compared before the ids are */
    uint64_t rev;
    char    *id;     /* NULL: an empty slot */
} sqlite_rev;
typedef struct sqlite_revs {
    sqlite_rev *e;
    size_t      cap, n;
} sqlite_revs;

/* 1 and *rev if `id` is known, else 0. */
int  sqlite_revs_get(const sqlite_revs *c, const char *id, uint64_t *rev);
/* The entry of `id` and *rev if it is known, else SIZE_MAX: the entry
 * stays valid until the next put or clear (sqlite_revs_set). */
size_t sqlite_revs_find(const sqlite_revs *c, const char *id, uint64_t *rev);
static inline void sqlite_revs_set(sqlite_revs *c, size_t entry, uint64_t rev) { c->e[entry].rev = rev; }
/* Remember (copies id); on out of memory it just does not. */
void sqlite_revs_put(sqlite_revs *c, const char *id, uint64_t rev);
void sqlite_revs_clear(sqlite_revs *c);

#endif
