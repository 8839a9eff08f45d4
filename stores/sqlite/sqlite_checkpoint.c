/* SPDX-License-Identifier: Apache-2.0 */
/* sqlite_checkpoint.c - a pipelined handle's WAL checkpoints, on a thread
 * and a connection of their own.
 *
 * Why: SQLite checkpoints in the thread that commits, once the WAL holds
 * 1,000 pages - it copies the pages into the database file and syncs both,
 * and the commit returns only after. For a group commit that is the
 * largest share of the committing thread's time left (bench/RESULTS-
 * stores.md); a commit's durability never depended on it (the WAL is as
 * durable as the file). Here the same passive checkpoint, at the same
 * threshold, runs beside the commits: a passive checkpoint takes no lock
 * a writer needs, and copies only what no reader still needs.
 *
 * Its connection is used by this thread alone; the handle's connection
 * asks from its WAL hook (wal_committed in sqlite_store.c, which also
 * sees to it that the WAL file starts again from its beginning). */
#define _POSIX_C_SOURCE 200809L
#include "sqlite_int.h"

#include <stdlib.h>

struct sqlite_ckpt {
    sqlite_worker   w;
    pthread_cond_t  ended;   /* a pass ran to its end */
    int             asked, running;
    long            passes;   /* checkpoints run to their end */
    int             copied;   /* WAL frames in the database after the last one */
    sqlite3        *db;
};

static void *checkpointer(void *arg)
{
    sqlite_ckpt *c = arg;
    pthread_mutex_lock(&c->w.mu);
    for (;;) {
        while (!c->asked && !c->w.stop)
            pthread_cond_wait(&c->w.wake, &c->w.mu);
        if (c->w.stop)
            break;   /* one asked for and not run is left to the next connection's or the close's */
        c->asked = 0;
        c->running = 1;
        pthread_mutex_unlock(&c->w.mu);
        /* A failure is ignored, as SQLite ignores its automatic
         * checkpoint's: the pages stay in the WAL for the next one. */
        int log = 0, copied = 0;
        if (sqlite3_wal_checkpoint_v2(c->db, NULL, SQLITE_CHECKPOINT_PASSIVE, &log, &copied) != SQLITE_OK)
            copied = 0;
        pthread_mutex_lock(&c->w.mu);
        c->running = 0;
        c->passes++;
        c->copied = copied;
        pthread_cond_broadcast(&c->ended);
    }
    pthread_mutex_unlock(&c->w.mu);
    return NULL;
}

int sqlite_ckpt_new(sqlite_ckpt **out, const char *path, int sync)
{
    *out = NULL;
    sqlite_ckpt *c = calloc(1, sizeof *c);
    if (!c)
        return -1;
    /* the handle's synchronous: it decides the checkpoint's syncs */
    const char *pragma = sync == ITSM_SQLITE_SYNC_NORMAL ? "PRAGMA synchronous=NORMAL" : "PRAGMA synchronous=FULL";
    if (sqlite3_open_v2(path, &c->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK ||
        sqlite3_exec(c->db, pragma, NULL, NULL, NULL) != SQLITE_OK)
        goto no_db;
    if (pthread_cond_init(&c->ended, NULL))
        goto no_db;
    if (sqlite_worker_start(&c->w, checkpointer, c) == 0) {
        *out = c;
        return 0;
    }
    pthread_cond_destroy(&c->ended);
no_db:
    sqlite3_close(c->db);
    free(c);
    return -1;
}

void sqlite_ckpt_ask(sqlite_ckpt *c)
{
    pthread_mutex_lock(&c->w.mu);
    c->asked = 1;
    pthread_cond_signal(&c->w.wake);
    pthread_mutex_unlock(&c->w.mu);
}

int sqlite_ckpt_busy(sqlite_ckpt *c, long *passes, int *copied)
{
    pthread_mutex_lock(&c->w.mu);
    int busy = c->asked || c->running;
    *passes = c->passes;
    *copied = c->copied;
    pthread_mutex_unlock(&c->w.mu);
    return busy;
}

void sqlite_ckpt_wait(sqlite_ckpt *c, long *passes, int *copied)
{
    pthread_mutex_lock(&c->w.mu);
    while (c->asked || c->running)
        pthread_cond_wait(&c->ended, &c->w.mu);
    *passes = c->passes;
    *copied = c->copied;
    pthread_mutex_unlock(&c->w.mu);
}

void sqlite_ckpt_free(sqlite_ckpt *c)
{
    if (!c)
        return;
    sqlite_worker_stop(&c->w);   /* a pass under way finishes */
    pthread_cond_destroy(&c->ended);
    sqlite3_close(c->db);
    free(c);
}
