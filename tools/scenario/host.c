/* SPDX-License-Identifier: Apache-2.0 */
/* itsm-scenario: the runner's own host, for --events and --faults: a store
 * that keeps every event's JSON in memory, and an allocator that counts
 * blocks; both count the calls made while armed (during an action) and can
 * fail one of them. */
#include "runner.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- allocator: a header before each block keeps the count honest ---- */

typedef struct blk { size_t size; size_t pad; } blk;

static int alloc_fails(run_host *h)
{
    if (!h->armed)
        return 0;
    h->calls++;
    if (h->fail_call && h->calls == h->fail_call) {
        h->failed_alloc = 1;
        return 1;
    }
    return 0;
}

static void *host_malloc(void *user, size_t size)
{
    run_host *h = user;
    if (alloc_fails(h))
        return NULL;
    blk *b = malloc(sizeof *b + size);
    if (!b)
        return NULL;
    b->size = size;
    h->live++;
    return b + 1;
}

static void *host_realloc(void *user, void *ptr, size_t size)
{
    run_host *h = user;
    if (!ptr)
        return host_malloc(user, size);
    if (alloc_fails(h))
        return NULL;
    blk *b = realloc((blk *)ptr - 1, sizeof *b + size);
    if (!b)
        return NULL;
    b->size = size;
    return b + 1;
}

static void host_free(void *user, void *ptr)
{
    run_host *h = user;
    h->live--;
    free((blk *)ptr - 1);
}

itsm_allocator run_host_alloc(run_host *h)
{
    itsm_allocator a = { host_malloc, host_realloc, host_free, h };
    return a;
}

/* ---- store ---- */

static int host_append(void *user, const itsm_event *const *evs, size_t n)
{
    run_host *h = user;
    if (h->armed) {
        h->appends++;
        if (h->fail_append && h->appends == h->fail_append) {
            h->failed_store = 1;
            return ITSM_ESTORE;
        }
    }
    if (h->nev + n > h->cev) {
        size_t cap = h->cev ? h->cev : 64;
        while (cap < h->nev + n)
            cap *= 2;
        char **ev = realloc(h->ev, cap * sizeof *ev);
        if (!ev)
            return ITSM_ESTORE;
        h->ev = ev;
        size_t *len = realloc(h->len, cap * sizeof *len);
        if (!len)
            return ITSM_ESTORE;
        h->len = len;
        h->cev = cap;
    }
    /* All or nothing: format every event before keeping any. */
    size_t done = 0;
    for (; done < n; done++) {
        size_t len = 0;
        itsm_event_to_json(evs[done], NULL, 0, &len);
        char *buf = malloc(len + 1);
        if (!buf || itsm_event_to_json(evs[done], buf, len + 1, &len) != ITSM_OK) {
            free(buf);
            break;
        }
        h->ev[h->nev + done] = buf;
        h->len[h->nev + done] = len;
    }
    if (done < n) {
        while (done--)
            free(h->ev[h->nev + done]);
        return ITSM_ESTORE;
    }
    h->nev += n;
    return ITSM_OK;
}

static int host_scan(void *user, itsm_store_emit_fn emit, void *ctx)
{
    run_host *h = user;
    for (size_t i = 0; i < h->nev; i++) {
        int rc = emit(ctx, h->ev[i], h->len[i]);
        if (rc)
            return rc;
    }
    return ITSM_OK;
}

const itsm_store run_host_store = { ITSM_STORE_VERSION, host_append, host_scan, NULL, NULL, NULL };

void run_host_clear_events(run_host *h)
{
    for (size_t i = 0; i < h->nev; i++)
        free(h->ev[i]);
    h->nev = 0;
}

void run_host_free(run_host *h)
{
    run_host_clear_events(h);
    free(h->ev);
    free(h->len);
    h->ev = NULL;
    h->len = NULL;
    h->cev = 0;
}
