/* SPDX-License-Identifier: Apache-2.0 */
/* sqlite_pipe.c - libitsm-sqlite's writer thread for the appends of a group
 * (itsm_sqlite_opts.pipeline).
 *
 * Why a thread: inside a group an append is durable only at the group's
 * commit, so its INSERTs need not be done before the call returns - only
 * the revision check must be (a conflict is refused there and then). The
 * host's thread checks, encodes and copies each row into a buffer; this
 * thread runs the INSERTs of the previous buffer meanwhile. On two cores
 * the process logic and SQLite's B-tree work overlap instead of adding up.
 *
 * Two buffers change hands under one mutex: the host fills one while the
 * writer empties the other, and a full buffer waits only while the writer
 * is still busy with the last one (so memory stays bounded). The
 * connection is the writer's only while it holds a buffer: every other use
 * of the handle drains the pipe first (sqlite_pipe_drain), and the mutex
 * orders the two threads' use of it. */
#define _POSIX_C_SOURCE 200809L
#include "sqlite_int.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

/* A row in a buffer: this header, then record, kind, type and actor (each
 * with its NUL) and the payload, padded to 8 bytes. */
typedef struct pipe_hdr {
    uint64_t rev;
    int64_t  at;
    uint32_t len[4];        /* record, kind, type, actor (the strings' lengths) */
    uint32_t payload_len;
    uint8_t  has_actor, binary, first, last;
} pipe_hdr;

typedef struct pipe_buf {
    unsigned char *p;
    size_t len, cap, rows;
} pipe_buf;

struct sqlite_pipe {
    sqlite_worker   w;
    pthread_cond_t  idle;
    pipe_buf        buf[2];
    int             prod;        /* the host's buffer; the writer's is the other */
    int             has_work;    /* the writer holds buf[1 - prod] */
    /* The first ITSM_E* a row met (0: none), written under mu after msg;
     * atomic so that an append can look without taking mu. */
    atomic_int      failed;
    char            msg[512];    /* and why */
    sqlite_pipe_row_fn fn;
    void           *ctx;
};

static size_t pad8(size_t n) { return (n + 7u) & ~(size_t)7u; }

/* Run every row of b through fn until one fails. */
static int run(sqlite_pipe *p, const pipe_buf *b, char *msg, size_t cap)
{
    size_t off = 0;
    for (size_t i = 0; i < b->rows; i++) {
        pipe_hdr h;
        memcpy(&h, b->p + off, sizeof h);
        const char *s = (const char *)b->p + off + sizeof h;
        store_row row;
        row.record = s;
        s += h.len[0] + 1;
        row.kind = s;
        s += h.len[1] + 1;
        row.type = s;
        s += h.len[2] + 1;
        row.actor = h.has_actor ? s : NULL;
        s += h.len[3] + 1;
        row.json = s;
        row.json_len = h.payload_len;
        row.binary = h.binary;
        row.rev = h.rev;
        row.at = h.at;
        int rc = p->fn(p->ctx, &row, h.first, h.last, msg, cap);
        if (rc)
            return rc;
        off += pad8(sizeof h + h.len[0] + h.len[1] + h.len[2] + h.len[3] + 4 + h.payload_len);
    }
    return 0;
}

static void *writer(void *arg)
{
    sqlite_pipe *p = arg;
    char msg[sizeof p->msg];
    pthread_mutex_lock(&p->w.mu);
    for (;;) {
        while (!p->has_work && !p->w.stop)
            pthread_cond_wait(&p->w.wake, &p->w.mu);
        if (!p->has_work)
            break;   /* stopped with nothing left */
        pipe_buf *b = &p->buf[1 - p->prod];
        int skip = p->failed;   /* the group is lost already: its rows are not written */
        pthread_mutex_unlock(&p->w.mu);
        msg[0] = '\0';
        int rc = skip ? 0 : run(p, b, msg, sizeof msg);
        pthread_mutex_lock(&p->w.mu);
        if (rc && !p->failed) {
            memcpy(p->msg, msg, sizeof msg);
            atomic_store_explicit(&p->failed, rc, memory_order_release);
        }
        b->len = b->rows = 0;
        p->has_work = 0;
        pthread_cond_broadcast(&p->idle);
    }
    pthread_mutex_unlock(&p->w.mu);
    return NULL;
}

int sqlite_pipe_new(sqlite_pipe **out, sqlite_pipe_row_fn fn, void *ctx)
{
    *out = NULL;
    sqlite_pipe *p = calloc(1, sizeof *p);
    if (!p)
        return -1;
    p->fn = fn;
    p->ctx = ctx;
    if (pthread_cond_init(&p->idle, NULL)) {
        free(p);
        return -1;
    }
    if (sqlite_worker_start(&p->w, writer, p)) {
        pthread_cond_destroy(&p->idle);
        free(p);
        return -1;
    }
    *out = p;
    return 0;
}

void sqlite_pipe_free(sqlite_pipe *p)
{
    if (!p)
        return;
    sqlite_worker_stop(&p->w);   /* the writer finishes the buffer it holds */
    pthread_cond_destroy(&p->idle);
    free(p->buf[0].p);
    free(p->buf[1].p);
    free(p);
}

size_t sqlite_pipe_mark(const sqlite_pipe *p)
{
    return p->buf[p->prod].len;   /* the host's own buffer: no lock */
}

void sqlite_pipe_cut(sqlite_pipe *p, size_t mark, size_t rows)
{
    pipe_buf *b = &p->buf[p->prod];
    b->len = mark;
    b->rows = rows;
}

size_t sqlite_pipe_rows(const sqlite_pipe *p) { return p->buf[p->prod].rows; }

int sqlite_pipe_put(sqlite_pipe *p, const store_row *row, int first, int last)
{
    pipe_hdr h;
    memset(&h, 0, sizeof h);
    size_t l[4] = { strlen(row->record), strlen(row->kind), strlen(row->type),
                    row->actor ? strlen(row->actor) : 0 };
    for (int i = 0; i < 4; i++) {
        if (l[i] > UINT32_MAX)
            return -1;
        h.len[i] = (uint32_t)l[i];
    }
    if (row->json_len > UINT32_MAX)
        return -1;
    h.rev = row->rev;
    h.at = row->at;
    h.payload_len = (uint32_t)row->json_len;
    h.has_actor = row->actor != NULL;
    h.binary = (uint8_t)(row->binary != 0);
    h.first = (uint8_t)(first != 0);
    h.last = (uint8_t)(last != 0);
    size_t need = pad8(sizeof h + l[0] + l[1] + l[2] + l[3] + 4 + row->json_len);
    pipe_buf *b = &p->buf[p->prod];
    if (b->cap - b->len < need) {
        size_t cap = b->cap ? b->cap : 1u << 16;
        while (cap - b->len < need)
            cap *= 2;
        unsigned char *np = realloc(b->p, cap);
        if (!np)
            return -1;
        b->p = np;
        b->cap = cap;
    }
    unsigned char *d = b->p + b->len;
    memcpy(d, &h, sizeof h);
    d += sizeof h;
    const char *src[4] = { row->record, row->kind, row->type, row->actor ? row->actor : "" };
    for (int i = 0; i < 4; i++) {
        memcpy(d, src[i], l[i] + 1);
        d += l[i] + 1;
    }
    if (row->json_len)
        memcpy(d, row->json, row->json_len);
    b->len += need;
    b->rows++;
    return 0;
}

/* Give the host's buffer to the writer. When the writer is still busy with
 * the last one: wait for it if `wait`, else keep filling (return 0). */
static void hand_over(sqlite_pipe *p, int wait)
{
    if (!p->buf[p->prod].rows)
        return;
    pthread_mutex_lock(&p->w.mu);
    while (p->has_work && wait)
        pthread_cond_wait(&p->idle, &p->w.mu);
    if (!p->has_work) {
        p->prod = 1 - p->prod;   /* the writer emptied the other one */
        p->has_work = 1;
        pthread_cond_signal(&p->w.wake);
    }
    pthread_mutex_unlock(&p->w.mu);
}

/* After an append: a buffer of `batch` rows or more goes to the writer if
 * it is free; one of `limit` rows or more waits for it. */
void sqlite_pipe_push(sqlite_pipe *p, size_t batch, size_t limit)
{
    size_t rows = p->buf[p->prod].rows;
    if (rows >= batch)
        hand_over(p, rows >= limit);
}

int sqlite_pipe_drain(sqlite_pipe *p, char *msg, size_t cap)
{
    hand_over(p, 1);
    pthread_mutex_lock(&p->w.mu);
    while (p->has_work)
        pthread_cond_wait(&p->idle, &p->w.mu);
    pthread_mutex_unlock(&p->w.mu);
    return sqlite_pipe_failed(p, msg, cap);
}

int sqlite_pipe_failed(sqlite_pipe *p, char *msg, size_t cap)
{
    if (!atomic_load_explicit(&p->failed, memory_order_acquire))
        return 0;   /* every append asks: no lock while all is well */
    pthread_mutex_lock(&p->w.mu);
    int rc = p->failed;
    if (rc && msg)
        store_msg(msg, cap, "%s", p->msg);
    pthread_mutex_unlock(&p->w.mu);
    return rc;
}

void sqlite_pipe_reset(sqlite_pipe *p)
{
    /* drained: the writer holds nothing */
    pthread_mutex_lock(&p->w.mu);
    p->failed = 0;
    p->msg[0] = '\0';
    pthread_mutex_unlock(&p->w.mu);
    p->buf[p->prod].len = p->buf[p->prod].rows = 0;
}
