/* SPDX-License-Identifier: Apache-2.0 */
/* pg_int.h - what the files of libitsm-pg share. */
#ifndef ITSM_PG_INT_H
#define ITSM_PG_INT_H

#include <itsm/stores/pg.h>
#include <libpq-fe.h>

#include "store_util.h"

/* With search_path already on the handle's schema: create the schema's
 * tables if missing or check their version, in one transaction under an
 * advisory lock (nodes starting together create them once).
 * `schema` is the plain name (the lock key). 0, or -1 with the reason. */
int pg_schema_prepare(PGconn *conn, const char *schema, char *msg, size_t cap);

#endif
