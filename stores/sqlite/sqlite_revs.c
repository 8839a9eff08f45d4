/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sqlite_revs.c - the newest stored revision of the records a handle wrote
 * or checked, so the revision check of an append needs no query for them.
 *
 * It is only a cache of what the file says: the append drops it whenever
 * another connection committed since this handle's last transaction
 * (PRAGMA data_version), and after any failed append. An open-addressing
 * table of record ids (copied), their hashes and revisions, one slot
 * beside the other: a probe compares hashes and reads an id only when
 * they match (each id is its own allocation, elsewhere in memory; a
 * record's first event probes until an empty slot). Past its size limit
 * it is emptied (sqlite_revs_trim, between appends: never inside a
 * pipelined group, which needs its own rows in it) and refilled by the
 * queries it saves.
 */
#include "sqlite_int.h"

#include <stdlib.h>
#include <string.h>

/* Entries before the table is emptied (a test build makes it small, to
 * empty it often: tests/stores.cmake). */
#ifndef ITSM_SQLITE_REVS_LIMIT
#define ITSM_SQLITE_REVS_LIMIT (1u << 18)
#endif
#define LIMIT ITSM_SQLITE_REVS_LIMIT

static uint64_t hash(const char *s)
{
    uint64_t h = 1469598103934665603ULL;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h;
}

void sqlite_revs_clear(sqlite_revs *c)
{
    for (size_t i = 0; i < c->cap; i++)
        free(c->e[i].id);
    free(c->e);
    memset(c, 0, sizeof *c);
}

/* The slot of `id` (hash h), or the empty slot where it would go. */
static size_t slot(const sqlite_revs *c, const char *id, uint64_t h)
{
    size_t mask = c->cap - 1, i = (size_t)h & mask;
    while (c->e[i].id && (c->e[i].hash != h || strcmp(c->e[i].id, id)))
        i = (i + 1) & mask;
    return i;
}

int sqlite_revs_get(const sqlite_revs *c, const char *id, uint64_t *rev)
{
    return sqlite_revs_find(c, id, rev) != SIZE_MAX;
}

size_t sqlite_revs_find(const sqlite_revs *c, const char *id, uint64_t *rev)
{
    if (!c->cap)
        return SIZE_MAX;
    size_t i = slot(c, id, hash(id));
    if (!c->e[i].id)
        return SIZE_MAX;
    *rev = c->e[i].rev;
    return i;
}

static int grow(sqlite_revs *c)
{
    size_t cap = c->cap ? 2 * c->cap : 1024;
    sqlite_revs big = { calloc(cap, sizeof *big.e), cap, 0 };
    if (!big.e)
        return -1;
    for (size_t i = 0; i < c->cap; i++)
        if (c->e[i].id) {
            big.e[slot(&big, c->e[i].id, c->e[i].hash)] = c->e[i];
            big.n++;
        }
    free(c->e);
    *c = big;
    return 0;
}

int sqlite_revs_trim(sqlite_revs *c)
{
    if (c->n < LIMIT)
        return 0;
    sqlite_revs_clear(c);
    return 1;
}

int sqlite_revs_put(sqlite_revs *c, const char *id, uint64_t rev)
{
    if ((c->n + 1) * 4 > c->cap * 3 && grow(c))
        return -1;   /* out of memory: the check queries instead */
    uint64_t h = hash(id);
    size_t i = slot(c, id, h);
    if (!c->e[i].id) {
        size_t len = strlen(id) + 1;
        if (!(c->e[i].id = malloc(len)))
            return -1;
        memcpy(c->e[i].id, id, len);
        c->e[i].hash = h;
        c->n++;
    }
    c->e[i].rev = rev;
    return 0;
}
