/* SPDX-License-Identifier: Apache-2.0 */
/* Helpers shared by the libitsm-pg tests (tests/stores/test_pg_*.c), run
 * through tests/stores/with_postgres.sh: the server named by
 * ITSM_PG_CONNINFO, an admin connection for SQL of the test's own, and a
 * node - a libitsm-pg handle on one schema with an engine over it. */
#ifndef ITSM_TEST_PG_NODE_H
#define ITSM_TEST_PG_NODE_H

#include "store_records.h"

#include <itsm/stores/pg.h>
#include <libpq-fe.h>

#include <stdio.h>
#include <stdlib.h>

static const char *conninfo;
static PGconn *admin;

/* main()'s start: connects `admin` to ITSM_PG_CONNINFO, quiet about
 * notices; 0, or 1 (said on stderr) when it cannot. The end is
 * PQfinish(admin). */
static inline int pg_admin_connect(void)
{
    conninfo = getenv("ITSM_PG_CONNINFO");
    if (!conninfo) {
        fprintf(stderr, "ITSM_PG_CONNINFO is not set: run through tests/stores/with_postgres.sh\n");
        return 1;
    }
    admin = PQconnectdb(conninfo);
    if (PQstatus(admin) != CONNECTION_OK) {
        fprintf(stderr, "%s", PQerrorMessage(admin));
        return 1;
    }
    PQclear(PQexec(admin, "SET client_min_messages TO warning"));
    return 0;
}

/* Runs `text` on the admin connection; it must succeed. */
static inline void sql(const char *text)
{
    PGresult *r = PQexec(admin, text);
    if (PQresultStatus(r) != PGRES_COMMAND_OK && PQresultStatus(r) != PGRES_TUPLES_OK)
        fail_msg("%s: %s", text, PQerrorMessage(admin));
    PQclear(r);
}

/* Drops `schema` and the log in it. */
static inline void fresh(const char *schema)
{
    char text[160];
    snprintf(text, sizeof text, "DROP SCHEMA IF EXISTS %s CASCADE", schema);
    sql(text);
}

typedef struct node { itsm_pg *pg; itsm_engine *eng; } node;

/* Opens a handle with `o` and an engine over it; what loading it gave. */
static inline int pg_node_open_opts(node *n, const itsm_pg_opts *o)
{
    char err[512];
    if (itsm_pg_open(&n->pg, conninfo, o, err, sizeof err) != ITSM_OK)
        fail_msg("%s", err);
    itsm_engine_opts eo = ITSM_ENGINE_OPTS_INIT;
    eo.store = itsm_pg_store();
    eo.store_user = n->pg;
    assert_ok(itsm_engine_new(&n->eng, &eo));
    return itsm_engine_load(n->eng);
}

/* The same on `schema`, the other options their defaults. */
static inline int pg_node_open(node *n, const char *schema)
{
    itsm_pg_opts o = ITSM_PG_OPTS_INIT;
    o.schema = schema;
    return pg_node_open_opts(n, &o);
}

static inline void node_close(node *n)
{
    itsm_engine_free(n->eng);
    itsm_pg_close(n->pg);
}

#endif
