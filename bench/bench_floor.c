/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bench_floor - the floor the replay benchmark is compared with: a minimal
 * hand-written replay of the same parsed rows of the UCI log, with none of
 * the library's rules.
 *
 * The rows are parsed exactly as bench_replay parses them (tools/uci.c:
 * strings interned, so equal strings are the same pointer). The counted loop
 * then does per row what any replay must: find the incident by its number
 * in a pointer-keyed open-addressing hash (insert it on its first row), note
 * which of its fields changed, keep its current values, and append one
 * small event (incident, time, state, a bitmap of changed fields) to an
 * in-memory log. No validation, no guards, no service levels, no strings
 * copied. The operation is one row.
 *
 * Usage: bench_floor [--input FILE] [--rows N]   (the same log and row
 * prefix as bench_replay)
 */
#define _POSIX_C_SOURCE 200809L
#include "uci.h"
#include "logs.h"
#include "bench.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#ifndef ITSM_SOURCE_DIR
#define ITSM_SOURCE_DIR "."
#endif

typedef struct incident {
    const char *number;                 /* interned: the key */
    const char *group, *assignee, *category, *ci;
    itsm_time   opened, last;
    int         state, priority;
} incident;

typedef struct event {                   /* 16 bytes */
    uint32_t  incident;
    uint8_t   state;
    uint8_t   pad;
    uint16_t  changed;                  /* bit per field that changed */
    itsm_time at;
} event;

typedef struct floor_replay {
    incident *inc;   size_t ninc, cinc;
    uint32_t *slot;  size_t mask;        /* index+1 into inc, 0: empty */
    event    *ev;    size_t nev, cev;
} floor_replay;

static void *grow(void *p, size_t *cap, size_t elem)
{
    *cap = *cap ? *cap * 2 : 1024;
    void *q = realloc(p, *cap * elem);
    if (!q) {
        fprintf(stderr, "bench_floor: out of memory\n");
        exit(1);
    }
    return q;
}

static size_t hash_ptr(const void *p)
{
    uint64_t x = (uint64_t)(uintptr_t)p;
    x ^= x >> 29;
    x *= 0xbf58476d1ce4e5b9ull;
    return (size_t)(x ^ (x >> 32));
}

static void rehash(floor_replay *f)
{
    size_t cap = f->mask ? (f->mask + 1) * 2 : 4096;
    free(f->slot);
    f->slot = calloc(cap, sizeof *f->slot);
    if (!f->slot)
        exit(1);
    f->mask = cap - 1;
    for (size_t i = 0; i < f->ninc; i++) {
        size_t h = hash_ptr(f->inc[i].number) & f->mask;
        while (f->slot[h])
            h = (h + 1) & f->mask;
        f->slot[h] = (uint32_t)(i + 1);
    }
}

static void apply(floor_replay *f, const uci_row *w)
{
    if (w->bad)
        return;
    size_t h = hash_ptr(w->number) & f->mask;
    incident *in = NULL;
    for (uint32_t s; (s = f->slot[h]); h = (h + 1) & f->mask)
        if (f->inc[s - 1].number == w->number) {
            in = &f->inc[s - 1];
            break;
        }
    uint16_t changed = 0;
    if (!in) {
        if (f->ninc == f->cinc)
            f->inc = grow(f->inc, &f->cinc, sizeof *f->inc);
        in = &f->inc[f->ninc++];
        *in = (incident){ w->number, w->group, w->assignee, w->category, w->ci,
                          w->opened_at, w->updated_at, (int)w->state, w->priority };
        if (2 * f->ninc > f->mask) {
            rehash(f);
        } else {
            f->slot[h] = (uint32_t)f->ninc;
        }
        changed = 0xffff;
    } else {
        changed = (uint16_t)((in->group != w->group) | (in->assignee != w->assignee) << 1 |
                             (in->category != w->category) << 2 | (in->ci != w->ci) << 3 |
                             (in->priority != w->priority) << 4 | (in->state != (int)w->state) << 5);
        in->group = w->group;
        in->assignee = w->assignee;
        in->category = w->category;
        in->ci = w->ci;
        in->priority = w->priority;
        in->state = (int)w->state;
        in->last = w->updated_at > in->last ? w->updated_at : in->last;
    }
    if (f->nev == f->cev)
        f->ev = grow(f->ev, &f->cev, sizeof *f->ev);
    f->ev[f->nev++] = (event){ (uint32_t)(in - f->inc), (uint8_t)w->state, 0, changed, in->last };
}

int main(int argc, char **argv)
{
    const char *input = ITSM_SOURCE_DIR "/data/uci-incident-event-log/incident_event_log.csv.gz";
    size_t max_rows = 0;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!strcmp(argv[i], "--input"))
            input = argv[i + 1];
        else if (!strcmp(argv[i], "--rows"))
            max_rows = (size_t)strtoull(argv[i + 1], NULL, 10);
        else {
            fprintf(stderr, "usage: bench_floor [--input FILE] [--rows N]\n");
            return 2;
        }
    }
    /* read and parse everything first (tools/logs.h), in file order */
    rp_pool *pool = rp_pool_new();
    rp_input in;
    char err[512];
    if (!pool || rp_load(&in, rp_mapper_find("uci"), &input, 1, 0, pool, err, sizeof err)) {
        fprintf(stderr, "bench_floor: %s\n", pool ? err : "out of memory");
        return 1;
    }
    size_t n = max_rows && max_rows < in.n ? max_rows : in.n;
    const uci_row *rows = (const uci_row *)(const void *)in.rows;

    floor_replay f = { 0 };
    rehash(&f);
    char name[64];
    if (max_rows)
        snprintf(name, sizeof name, "floor.uci.rows%zu", n);
    else
        snprintf(name, sizeof name, "floor.uci.all");
    bench_begin();
    for (size_t i = 0; i < n; i++)
        apply(&f, &rows[i]);
    bench_end(name, (unsigned long long)n, "row");
    printf("floor: %zu rows, %zu incidents, %zu events\n", n, f.ninc, f.nev);
    free(f.inc);
    free(f.slot);
    free(f.ev);
    rp_input_free(&in);
    rp_pool_free(pool);
    return 0;
}
