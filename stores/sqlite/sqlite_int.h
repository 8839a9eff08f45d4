/* SPDX-License-Identifier: Apache-2.0 */
/* sqlite_int.h - what the files of libitsm-sqlite share. */
#ifndef ITSM_SQLITE_INT_H
#define ITSM_SQLITE_INT_H

#include <itsm/stores/sqlite.h>
#include <sqlite3.h>

#include "store_util.h"

/* Create the current schema in an empty file or migrate an older one, in
 * one transaction. *found gets the version the file had (0: none).
 * 0, or -1 with the reason in msg (and the file unchanged). */
int sqlite_schema_prepare(sqlite3 *db, int *found, char *msg, size_t cap);

#endif
