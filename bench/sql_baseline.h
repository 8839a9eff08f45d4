/* SPDX-License-Identifier: Apache-2.0 */
/* sql_baseline.h - the plain-SQL baseline (bench/sql_baseline.c). */
#ifndef ITSM_BENCH_SQL_BASELINE_H
#define ITSM_BENCH_SQL_BASELINE_H

#include <stddef.h>

typedef struct sql_row {
    char     *record, *kind, *type, *actor, *json;
    size_t    json_len;   /* bytes of json (the event: text, or a BLOB in the binary form) */
    int       blob;       /* json is a BLOB: inserted as one */
    long long rev, at;
} sql_row;

typedef struct sql_rows {
    sql_row *row;
    size_t   n;
    char    *schema;   /* the CREATE TABLE of itsm_events the rows came from */
} sql_rows;

/* Every row of a store's itsm_events, in seq order, into memory. 0 or -1. */
int    sql_rows_read(sql_rows *out, const char *path);
void   sql_rows_free(sql_rows *r);
/* Insert the rows by hand into a new file (WAL, synchronous=NORMAL, the
 * same table), all in one transaction (group 0) or committing every
 * `group` rows: the seconds it took, -1 on error. */
double sql_baseline(const sql_rows *rows, const char *path, size_t group, double *cpu);   /* wall seconds; CPU seconds in *cpu */

#endif
