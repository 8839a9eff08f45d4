/* SPDX-License-Identifier: Apache-2.0 */
/* The store contract against libitsm-pg: one PostgreSQL schema per name
 * in the database of ITSM_PG_CONNINFO (tests/stores/with_postgres.sh
 * starts a server and sets it). */
#include "contract.h"

#include <itsm/stores/pg.h>
#include <libpq-fe.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *conninfo;

static void schema_of(char *buf, size_t cap, const char *where)
{
    snprintf(buf, cap, "contract_%s", where);
    for (char *p = buf; *p; p++)
        if (*p == '-')
            *p = '_';
}

static void pg_wipe(const char *where)
{
    char schema[64], sql[160];
    schema_of(schema, sizeof schema, where);
    snprintf(sql, sizeof sql, "DROP SCHEMA IF EXISTS %s CASCADE", schema);
    PGconn *c = PQconnectdb(conninfo);
    PGresult *r = PQexec(c, sql);
    if (PQresultStatus(r) != PGRES_COMMAND_OK)
        fprintf(stderr, "%s: %s", sql, PQerrorMessage(c));
    PQclear(r);
    PQfinish(c);
}

static int pg_open(void **out, const char *where)
{
    char schema[64], err[1024];
    schema_of(schema, sizeof schema, where);
    itsm_pg_opts o = ITSM_PG_OPTS_INIT;
    o.schema = schema;
    int rc = itsm_pg_open((itsm_pg **)out, conninfo, &o, err, sizeof err);
    if (rc != ITSM_OK)
        fprintf(stderr, "%s\n", err);
    return rc;
}

static void pg_close(void *h) { itsm_pg_close(h); }
static int pg_catch_up(void *h, itsm_engine *eng, size_t *n) { return itsm_pg_catch_up(h, eng, n); }
static int pg_count(void *h, uint64_t *n) { return itsm_pg_count(h, n); }
static const char *pg_errmsg(void *h) { return itsm_pg_errmsg(h); }

int main(void)
{
    conninfo = getenv("ITSM_PG_CONNINFO");
    if (!conninfo) {
        fprintf(stderr, "ITSM_PG_CONNINFO is not set: run through tests/stores/with_postgres.sh\n");
        return 1;
    }
    static const contract_driver d = { "libitsm-pg", 1, pg_wipe, pg_open, pg_close, itsm_pg_store,
                                       pg_catch_up, pg_count, pg_errmsg };
    return contract_run(&d, ITSM_CONTRACT_CASES);
}
