/* SPDX-License-Identifier: Apache-2.0 */
/* tools/store.c - itsm-replay's store (see store.h). */
#include "store.h"
#include <itsm/stores/sqlite.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct rp_store {
    int           kind;
    itsm_sqlite  *sql;
    int           sync;
    int           form;       /* RP_FORM_*: how the SQLite store keeps each event */
    char          path[512];
    /* memory: JSON lines packed in one growing buffer, with their ends */
    char         *text;
    size_t        ntext, ctext;
    size_t       *end;
    size_t        nev, cev;
    char          err[128];
};

static int mem_append(void *user, const itsm_event *const *evs, size_t n)
{
    rp_store *s = user;
    size_t ntext = s->ntext, nev = s->nev;   /* all or nothing */
    for (size_t i = 0; i < n; i++) {
        size_t len;
        if (s->ctext - s->ntext < 1024) {
            size_t c = s->ctext ? 2 * s->ctext : 1 << 20;
            char *t = realloc(s->text, c);
            if (!t)
                goto fail;
            s->text = t;
            s->ctext = c;
        }
        int rc = itsm_event_to_json(evs[i], s->text + s->ntext, s->ctext - s->ntext, &len);
        if (rc == ITSM_ELIMIT) {
            size_t c = s->ctext + len + (1 << 20);
            char *t = realloc(s->text, c);
            if (!t)
                goto fail;
            s->text = t;
            s->ctext = c;
            rc = itsm_event_to_json(evs[i], s->text + s->ntext, s->ctext - s->ntext, &len);
        }
        if (rc != ITSM_OK)
            goto fail;
        if (s->nev == s->cev) {
            size_t c = s->cev ? 2 * s->cev : 1 << 14;
            size_t *e = realloc(s->end, c * sizeof *e);
            if (!e)
                goto fail;
            s->end = e;
            s->cev = c;
        }
        s->ntext += len;
        s->end[s->nev++] = s->ntext;
    }
    return ITSM_OK;
fail:
    s->ntext = ntext;
    s->nev = nev;
    snprintf(s->err, sizeof s->err, "out of memory keeping the events");
    return ITSM_ESTORE;
}

static int mem_scan(void *user, itsm_store_emit_fn emit, void *ctx)
{
    rp_store *s = user;
    size_t start = 0;
    for (size_t i = 0; i < s->nev; i++) {
        int rc = emit(ctx, s->text + start, s->end[i] - start);
        if (rc != ITSM_OK)
            return rc;
        start = s->end[i];
    }
    return ITSM_OK;
}

static const itsm_store mem_methods = { ITSM_STORE_VERSION, mem_append, mem_scan, NULL, NULL, NULL };

int rp_store_open(rp_store **out, int kind, const char *path, int sync, int form, char *err, size_t errcap)
{
    rp_store *s = calloc(1, sizeof *s);
    *out = NULL;
    if (!s) {
        snprintf(err, errcap, "out of memory");
        return -1;
    }
    s->kind = kind;
    s->sync = sync;
    s->form = form;
    if (kind == RP_STORE_SQLITE) {
        snprintf(s->path, sizeof s->path, "%s", path);
        itsm_sqlite_opts so = ITSM_SQLITE_OPTS_INIT;
        so.sync = sync == RP_SYNC_NORMAL ? ITSM_SQLITE_SYNC_NORMAL : ITSM_SQLITE_SYNC_FULL;
        so.form = form == RP_FORM_BINARY ? ITSM_SQLITE_FORM_BINARY : ITSM_SQLITE_FORM_JSON;
        /* groups (--group) are written by the store's thread while the
         * replay goes on: a failed write loses the group, and the replay
         * stops at its commit anyway */
        so.pipeline = 1;
        if (itsm_sqlite_open(&s->sql, path, &so, err, errcap) != ITSM_OK) {
            free(s);
            return -1;
        }
        uint64_t n = 0;
        if (itsm_sqlite_count(s->sql, &n) != ITSM_OK || n != 0) {
            snprintf(err, errcap, "%s already holds events; give a new file", path);
            itsm_sqlite_close(s->sql);
            free(s);
            return -1;
        }
    }
    *out = s;
    return 0;
}

void rp_store_close(rp_store *s)
{
    if (!s)
        return;
    itsm_sqlite_close(s->sql);
    free(s->text);
    free(s->end);
    free(s);
}

const itsm_store *rp_store_methods(const rp_store *s)
{
    if (!s)
        return NULL;
    return s->kind == RP_STORE_SQLITE ? itsm_sqlite_store() : s->kind == RP_STORE_MEMORY ? &mem_methods : NULL;
}

void *rp_store_user(rp_store *s)
{
    if (!s)
        return NULL;
    return s->kind == RP_STORE_SQLITE ? (void *)s->sql : s->kind == RP_STORE_MEMORY ? (void *)s : NULL;
}

int rp_store_scans(const rp_store *s) { return s && s->kind != RP_STORE_NONE; }

long long rp_store_count(rp_store *s)
{
    if (!s)
        return 0;
    if (s->kind != RP_STORE_SQLITE)
        return (long long)s->nev;
    uint64_t n = 0;
    itsm_sqlite_count(s->sql, &n);
    return (long long)n;
}

const char *rp_store_errmsg(const rp_store *s)
{
    if (!s)
        return "";
    return s->kind == RP_STORE_SQLITE ? itsm_sqlite_errmsg(s->sql) : s->err;
}

void rp_store_describe(rp_store *s, char *buf, size_t cap)
{
    if (!s || s->kind == RP_STORE_NONE)
        snprintf(buf, cap, "none (no store: the library alone)");
    else if (s->kind == RP_STORE_MEMORY)
        snprintf(buf, cap, "memory (every event's JSON kept in memory), %lld events", rp_store_count(s));
    else
        snprintf(buf, cap, "sqlite %s (synchronous=%s%s), %lld events", s->path,
                 s->sync == RP_SYNC_NORMAL ? "NORMAL" : "FULL", s->form == RP_FORM_BINARY ? ", binary form" : "",
                 rp_store_count(s));
}
