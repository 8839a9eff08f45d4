/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The store contract against the tests' in-memory store (tests/support,
 * memstore), the reference every other store is held to. Handles on one
 * name share one memstore; each handle keeps its own position. A group
 * works as SQLite's does: the handle that opens it holds the store (other
 * handles' appends are refused, and they read only what was there before
 * the group) until its commit or abort; an abort cuts the events back.
 */
#define _POSIX_C_SOURCE 200809L /* strndup */
#include "contract.h"
#include "support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { NAMES = 48 };

typedef struct handle handle;
typedef struct named_store {
    char     name[32];
    memstore store;
    int      used;
    handle  *holder;   /* the handle whose group is open, if any */
    size_t   mark;     /* events when that group began */
} named_store;
static named_store named[NAMES];

struct handle { named_store *s; size_t pos, group_pos; };

static named_store *lookup(const char *where)
{
    for (int i = 0; i < NAMES; i++)
        if (named[i].used && !strcmp(named[i].name, where))
            return &named[i];
    for (int i = 0; i < NAMES; i++)
        if (!named[i].used) {
            named[i].used = 1;
            strncpy(named[i].name, where, sizeof named[i].name - 1);
            memstore_init(&named[i].store);
            named[i].store.policies_inline = 1;   /* every event in one sequence */
            return &named[i];
        }
    return NULL;
}

static void mem_wipe(const char *where)
{
    named_store *s = lookup(where);
    if (!s) {
        fprintf(stderr, "test_contract_memory: more than %d store names\n", NAMES);
        abort();
    }
    memstore_free(&s->store);
    memstore_init(&s->store);
    s->store.policies_inline = 1;
    s->holder = NULL;
}

static int mem_open(void **out, const char *where)
{
    handle *h = calloc(1, sizeof *h);
    if (!h)
        return ITSM_ENOMEM;
    h->s = lookup(where);
    *out = h;
    return h->s ? ITSM_OK : ITSM_ELIMIT;
}

/* The events of a group from `mark` on go; the revision map is rebuilt
 * from the events that stay. */
static void cut_back(named_store *s, size_t mark)
{
    memstore *m = &s->store;
    size_t keep = mark;
    char **events = m->events;
    size_t n = m->n;
    m->events = NULL;
    m->n = m->cap = 0;
    for (size_t i = 0; i < m->nids; i++)
        free(m->ids[i]);
    m->nids = 0;
    for (size_t i = 0; i < n; i++) {
        if (i >= keep) {
            free(events[i]);
            continue;
        }
        if (m->n == m->cap) {
            m->cap = m->cap ? 2 * m->cap : 64;
            m->events = realloc(m->events, m->cap * sizeof *m->events);
        }
        m->events[m->n++] = events[i];
        const char *rid = strstr(events[i], "\"record\":\"") + 10, *rv = strstr(events[i], "\"rev\":") + 6;
        size_t len = (size_t)(strchr(rid, '"') - rid), slot = m->nids;
        for (size_t k = 0; k < m->nids; k++)
            if (strlen(m->ids[k]) == len && !strncmp(m->ids[k], rid, len))
                slot = k;
        if (slot == m->nids) {
            if (m->nids == m->cids) {
                m->cids = m->cids ? 2 * m->cids : 16;
                m->ids = realloc(m->ids, m->cids * sizeof *m->ids);
                m->revs = realloc(m->revs, m->cids * sizeof *m->revs);
            }
            m->ids[slot] = strndup(rid, len);
            m->nids++;
        }
        m->revs[slot] = strtoull(rv, NULL, 10);
    }
    free(events);
}

static void mem_close(void *user)
{
    handle *h = user;
    if (h->s && h->s->holder == h) {   /* gone without a commit: the group is dropped */
        cut_back(h->s, h->s->mark);
        h->s->holder = NULL;
    }
    free(h);
}

/* What this handle may read: everything, unless another handle's group is
 * open, then what was there before it. */
static size_t visible(const handle *h)
{
    return h->s->holder && h->s->holder != h ? h->s->mark : h->s->store.n;
}

/* Forward to memstore_methods, and move the position as the SQL stores do
 * (past an append that followed it, past every event scanned). */
static int h_append(void *user, const itsm_event *const *evs, size_t n)
{
    handle *h = user;
    if (h->s->holder && h->s->holder != h)
        return ITSM_ESTORE;   /* another handle's group holds the store */
    size_t before = h->s->store.n;
    int rc = memstore_methods.append(&h->s->store, evs, n);
    if (rc == ITSM_OK && before == h->pos)
        h->pos = h->s->store.n;
    return rc;
}

static int h_scan(void *user, itsm_store_emit_fn emit, void *ctx)
{
    handle *h = user;
    size_t end = visible(h);
    for (h->pos = 0; h->pos < end; h->pos++) {
        int rc = emit(ctx, h->s->store.events[h->pos], strlen(h->s->store.events[h->pos]));
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
    for (size_t i = 0, end = visible(h); i < end; i++)
        if (strstr(h->s->store.events[i], key)) {
            int rc = emit(ctx, h->s->store.events[i], strlen(h->s->store.events[i]));
            if (rc != ITSM_OK)
                return rc;
        }
    return ITSM_OK;
}

static int h_group(void *user, int op)
{
    handle *h = user;
    named_store *s = h->s;
    if (op == ITSM_STORE_GROUP_BEGIN) {
        if (s->holder)
            return s->holder == h ? ITSM_ESTATE : ITSM_ESTORE;
        s->holder = h;
        s->mark = s->store.n;
        h->group_pos = h->pos;
        return ITSM_OK;
    }
    if (op != ITSM_STORE_GROUP_COMMIT && op != ITSM_STORE_GROUP_ABORT)
        return ITSM_EINVAL;
    if (s->holder != h)
        return ITSM_ESTATE;
    if (op == ITSM_STORE_GROUP_ABORT) {
        cut_back(s, s->mark);
        h->pos = h->group_pos;
    }
    s->holder = NULL;
    return ITSM_OK;
}

static const itsm_store methods = { ITSM_STORE_VERSION, h_append, h_scan, NULL, h_read_record, h_group };
static const itsm_store *mem_methods(void) { return &methods; }

static int mem_catch_up(void *user, itsm_engine *eng, size_t *nread)
{
    handle *h = user;
    *nread = 0;
    for (size_t end = visible(h); h->pos < end; h->pos++, (*nread)++) {
        int rc = itsm_engine_replay_json(eng, h->s->store.events[h->pos], strlen(h->s->store.events[h->pos]), NULL);
        if (rc != ITSM_OK)
            return rc;
    }
    return ITSM_OK;
}

static int mem_count(void *user, uint64_t *n)
{
    *n = visible(user);
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
