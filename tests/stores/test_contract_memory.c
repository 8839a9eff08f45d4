/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The store contract against the tests' in-memory store (tests/support,
 * memstore), the reference every other store is held to. Handles on one
 * name share one memstore; each handle keeps its own position.
 */
#include "contract.h"
#include "support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { NAMES = 16 };
static struct { char name[32]; memstore store; int used; } named[NAMES];

typedef struct handle { memstore *m; size_t pos; } handle;

static memstore *lookup(const char *where)
{
    for (int i = 0; i < NAMES; i++)
        if (named[i].used && !strcmp(named[i].name, where))
            return &named[i].store;
    for (int i = 0; i < NAMES; i++)
        if (!named[i].used) {
            named[i].used = 1;
            strncpy(named[i].name, where, sizeof named[i].name - 1);
            memstore_init(&named[i].store);
            return &named[i].store;
        }
    return NULL;
}

static void mem_wipe(const char *where)
{
    memstore *m = lookup(where);
    memstore_free(m);
    memstore_init(m);
}

static int mem_open(void **out, const char *where)
{
    handle *h = calloc(1, sizeof *h);
    if (!h)
        return ITSM_ENOMEM;
    h->m = lookup(where);
    *out = h;
    return h->m ? ITSM_OK : ITSM_ELIMIT;
}

static void mem_close(void *h) { free(h); }

/* The handle is not the memstore: forward to memstore_methods, and move
 * the position as the SQL stores do (past an append that followed it,
 * past every event scanned). */
static int h_append(void *user, const itsm_event *const *evs, size_t n)
{
    handle *h = user;
    size_t before = h->m->n;
    int rc = memstore_methods.append(h->m, evs, n);
    if (rc == ITSM_OK && before == h->pos)
        h->pos = h->m->n;
    return rc;
}

typedef struct scan_ctx { handle *h; itsm_store_emit_fn emit; void *ctx; } scan_ctx;

static int h_scan(void *user, itsm_store_emit_fn emit, void *ctx)
{
    handle *h = user;
    h->pos = 0;
    for (; h->pos < h->m->n; h->pos++) {
        int rc = emit(ctx, h->m->events[h->pos], strlen(h->m->events[h->pos]));
        if (rc != ITSM_OK)
            return rc;
    }
    return ITSM_OK;
}

/* One record's events: the memstore keeps no index, so look at each
 * event's "record" member. */
static int h_read_record(void *user, const char *id, itsm_store_emit_fn emit, void *ctx)
{
    handle *h = user;
    char key[96];
    snprintf(key, sizeof key, "\"record\":\"%s\"", id);
    for (size_t i = 0; i < h->m->n; i++)
        if (strstr(h->m->events[i], key)) {
            int rc = emit(ctx, h->m->events[i], strlen(h->m->events[i]));
            if (rc != ITSM_OK)
                return rc;
        }
    return ITSM_OK;
}

static const itsm_store methods = { ITSM_STORE_VERSION, h_append, h_scan, NULL, h_read_record };
static const itsm_store *mem_methods(void) { return &methods; }

static int mem_catch_up(void *user, itsm_engine *eng, size_t *nread)
{
    handle *h = user;
    *nread = 0;
    for (; h->pos < h->m->n; h->pos++, (*nread)++) {
        int rc = itsm_engine_replay_json(eng, h->m->events[h->pos], strlen(h->m->events[h->pos]), NULL);
        if (rc != ITSM_OK)
            return rc;
    }
    return ITSM_OK;
}

static int mem_count(void *user, uint64_t *n)
{
    *n = ((handle *)user)->m->n;
    return ITSM_OK;
}

static const char *mem_errmsg(void *user)
{
    (void)user;
    return "";
}

int main(void)
{
    static const contract_driver d = { "memory (tests/support memstore)", 0, mem_wipe, mem_open, mem_close,
                                       mem_methods, mem_catch_up, mem_count, mem_errmsg };
    int rc = contract_run(&d, ITSM_CONTRACT_CASES);
    for (int i = 0; i < NAMES; i++)
        if (named[i].used)
            memstore_free(&named[i].store);
    return rc;
}
