/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sql_baseline.c - the plain-SQL baseline of the group-commit benchmark
 * (bench/bench_group_commit.c, bench/RESULTS-stores.md): the same rows the
 * SQLite store wrote, inserted by hand, all in one transaction (or a commit
 * every G rows, to see what the commits alone cost SQLite), with no
 * library in the way. What a host writing its own SQL would do at best.
 */
#define _POSIX_C_SOURCE 200809L /* clock_gettime */
#include "sql_baseline.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double cpu_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void sql_rows_free(sql_rows *r)
{
    for (size_t i = 0; i < r->n; i++) {
        free(r->row[i].record);
        free(r->row[i].kind);
        free(r->row[i].type);
        free(r->row[i].actor);
        free(r->row[i].json);
    }
    free(r->row);
    free(r->schema);
    memset(r, 0, sizeof *r);
}

static char *dup_col(sqlite3_stmt *q, int col)
{
    const unsigned char *t = sqlite3_column_text(q, col);
    if (!t)
        return NULL;
    size_t n = (size_t)sqlite3_column_bytes(q, col);
    char *d = malloc(n + 1);
    if (d) {
        memcpy(d, t, n);
        d[n] = '\0';
    }
    return d;
}

int sql_rows_read(sql_rows *out, const char *path)
{
    memset(out, 0, sizeof *out);
    sqlite3 *db;
    sqlite3_stmt *q;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db, "SELECT record, rev, kind, type, at, actor, json FROM itsm_events ORDER BY seq", -1,
                           &q, NULL) != SQLITE_OK) {
        fprintf(stderr, "sql_baseline: %s: %s\n", path, sqlite3_errmsg(db));
        sqlite3_close(db);
        return -1;
    }
    sqlite3_stmt *ddl;
    if (sqlite3_prepare_v2(db, "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'itsm_events'", -1,
                           &ddl, NULL) == SQLITE_OK && sqlite3_step(ddl) == SQLITE_ROW)
        out->schema = dup_col(ddl, 0);
    sqlite3_finalize(ddl);
    size_t cap = 0;
    while (sqlite3_step(q) == SQLITE_ROW) {
        if (out->n == cap) {
            cap = cap ? 2 * cap : 1 << 14;
            sql_row *r = realloc(out->row, cap * sizeof *r);
            if (!r)
                break;
            out->row = r;
        }
        sql_row *r = &out->row[out->n++];
        r->record = dup_col(q, 0);
        r->rev = sqlite3_column_int64(q, 1);
        r->kind = dup_col(q, 2);
        r->type = dup_col(q, 3);
        r->at = sqlite3_column_int64(q, 4);
        r->actor = dup_col(q, 5);
        r->blob = sqlite3_column_type(q, 6) == SQLITE_BLOB;
        const void *b = r->blob ? sqlite3_column_blob(q, 6) : sqlite3_column_text(q, 6);
        r->json_len = (size_t)sqlite3_column_bytes(q, 6);
        r->json = malloc(r->json_len + 1);
        if (r->json) {
            memcpy(r->json, b, r->json_len);
            r->json[r->json_len] = '\0';
        }
    }
    sqlite3_finalize(q);
    sqlite3_close(db);
    return 0;
}

double sql_baseline(const sql_rows *rows, const char *path, size_t group, double *cpu)
{
    sqlite3 *db;
    sqlite3_stmt *ins;
    char *err = NULL;
    /* The store's connection mode: no connection mutex (one thread). */
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL) !=
            SQLITE_OK ||
        sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;", NULL, NULL, &err) != SQLITE_OK ||
        !rows->schema || sqlite3_exec(db, rows->schema, NULL, NULL, &err) != SQLITE_OK ||
        sqlite3_prepare_v2(db, "INSERT INTO itsm_events (record, rev, kind, type, at, actor, json)"
                               " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)", -1, &ins, NULL) != SQLITE_OK) {
        fprintf(stderr, "sql_baseline: %s: %s\n", path, err ? err : sqlite3_errmsg(db));
        sqlite3_free(err);
        sqlite3_close(db);
        return -1;
    }
    double t0 = now_s(), c0 = cpu_s();
    sqlite3_exec(db, "BEGIN", NULL, NULL, NULL);
    for (size_t i = 0; i < rows->n; i++) {
        const sql_row *r = &rows->row[i];
        sqlite3_bind_text(ins, 1, r->record, -1, SQLITE_STATIC);
        sqlite3_bind_int64(ins, 2, r->rev);
        sqlite3_bind_text(ins, 3, r->kind, -1, SQLITE_STATIC);
        sqlite3_bind_text(ins, 4, r->type, -1, SQLITE_STATIC);
        sqlite3_bind_int64(ins, 5, r->at);
        if (r->actor)
            sqlite3_bind_text(ins, 6, r->actor, -1, SQLITE_STATIC);
        else
            sqlite3_bind_null(ins, 6);
        if (r->blob)   /* the same rows as the library's store: its form, byte for byte */
            sqlite3_bind_blob(ins, 7, r->json, (int)r->json_len, SQLITE_STATIC);
        else
            sqlite3_bind_text(ins, 7, r->json, (int)r->json_len, SQLITE_STATIC);
        if (sqlite3_step(ins) != SQLITE_DONE) {
            fprintf(stderr, "sql_baseline: row %zu: %s\n", i, sqlite3_errmsg(db));
            break;
        }
        sqlite3_reset(ins);
        if (group && (i + 1) % group == 0 && i + 1 < rows->n &&
            (sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK ||
             sqlite3_exec(db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK))
            break;
    }
    int rc = sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
    double secs = now_s() - t0;
    *cpu = cpu_s() - c0;
    sqlite3_finalize(ins);
    sqlite3_close(db);
    return rc == SQLITE_OK ? secs : -1;
}
