/* SPDX-License-Identifier: Apache-2.0 */
/* sqlite_int.h - what the files of libitsm-sqlite share. */
#ifndef ITSM_SQLITE_INT_H
#define ITSM_SQLITE_INT_H

#include <itsm/stores/sqlite.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>

#include "store_util.h"

/* Create the current schema in an empty file or migrate an older one, in
 * one transaction. *found gets the version the file had (0: none).
 * 0, or -1 with the reason in msg (and the file unchanged). */
int sqlite_schema_prepare(sqlite3 *db, int *found, char *msg, size_t cap);

/* The newest stored revision of records this handle wrote or checked
 * (sqlite_revs.c): valid only while no other connection committed. */
typedef struct sqlite_rev {
    uint64_t hash;   /* of id: compared before the ids are */
    uint64_t rev;
    char    *id;     /* NULL: an empty slot */
} sqlite_rev;
typedef struct sqlite_revs {
    sqlite_rev *e;
    size_t      cap, n;
} sqlite_revs;

/* 1 and *rev if `id` is known, else 0. */
int  sqlite_revs_get(const sqlite_revs *c, const char *id, uint64_t *rev);
/* The entry of `id` and *rev if it is known, else SIZE_MAX: the entry
 * stays valid until the next put or clear (sqlite_revs_set). */
size_t sqlite_revs_find(const sqlite_revs *c, const char *id, uint64_t *rev);
static inline void sqlite_revs_set(sqlite_revs *c, size_t entry, uint64_t rev) { c->e[entry].rev = rev; }
/* Remember (copies id): 0, or -1 out of memory (not remembered: the check
 * queries instead). */
int  sqlite_revs_put(sqlite_revs *c, const char *id, uint64_t rev);
/* Empty the table once it holds its limit of entries: 1 if it did. */
int  sqlite_revs_trim(sqlite_revs *c);
void sqlite_revs_clear(sqlite_revs *c);

/* A thread of the handle (sqlite_worker.c): `mu` guards its state and
 * `stop`; `wake` is signalled when there is work or it must stop. */
typedef struct sqlite_worker {
    pthread_t       thread;
    pthread_mutex_t mu;
    pthread_cond_t  wake;
    int             stop;
} sqlite_worker;
/* Start fn(arg) with every signal blocked: 0, or -1 (nothing is left). */
int  sqlite_worker_start(sqlite_worker *w, void *(*fn)(void *), void *arg);
/* Set stop, wake the thread, join it and destroy mu and wake. */
void sqlite_worker_stop(sqlite_worker *w);

/* The writer thread of a pipelined handle (sqlite_pipe.c). The host's
 * thread puts rows; the writer calls fn on each, in order, and keeps the
 * first failure (an ITSM_E* with why in msg) for the drain to report. */
typedef struct sqlite_pipe sqlite_pipe;
typedef int (*sqlite_pipe_row_fn)(void *ctx, const store_row *row, int first_of_append, int last_of_append,
                                  char *msg, size_t cap);
/* 0, or -1 when memory or a thread could not be had. */
int    sqlite_pipe_new(sqlite_pipe **out, sqlite_pipe_row_fn fn, void *ctx);
/* Stops and joins the writer (it finishes the buffer it holds). */
void   sqlite_pipe_free(sqlite_pipe *p);
/* Copy a row into the host's buffer: 0, or -1 out of memory. */
int    sqlite_pipe_put(sqlite_pipe *p, const store_row *row, int first_of_append, int last_of_append);
/* Where the host's buffer stands, to take back an append's rows with cut. */
size_t sqlite_pipe_mark(const sqlite_pipe *p);
size_t sqlite_pipe_rows(const sqlite_pipe *p);
void   sqlite_pipe_cut(sqlite_pipe *p, size_t mark, size_t rows);
/* Hand the host's buffer over once it holds `batch` rows, if the writer is
 * free; wait for the writer once it holds `limit`. */
void   sqlite_pipe_push(sqlite_pipe *p, size_t batch, size_t limit);
/* Hand everything over and wait until it is written: then the connection
 * is the host thread's. Returns the first failure (0: none) and its why. */
int    sqlite_pipe_drain(sqlite_pipe *p, char *msg, size_t cap);
/* The first failure so far without waiting (0: none). */
int    sqlite_pipe_failed(sqlite_pipe *p, char *msg, size_t cap);
/* After a group ended (drained): forget its failure and unsent rows. */
void   sqlite_pipe_reset(sqlite_pipe *p);

/* A pipelined handle's checkpointer (sqlite_checkpoint.c): a thread with a
 * connection of its own to the file at path that runs a passive WAL
 * checkpoint when asked. 0, or -1 (no connection, memory or thread). */
typedef struct sqlite_ckpt sqlite_ckpt;
int  sqlite_ckpt_new(sqlite_ckpt **out, const char *path, int sync);
/* Ask for a checkpoint (asks made before it starts count once); does not
 * wait. */
void sqlite_ckpt_ask(sqlite_ckpt *c);
/* 1 while a checkpoint is asked for or under way, else 0; *passes: how
 * many have run to their end, *copied: how many WAL frames the last one
 * left in the database (0 if it failed). */
int  sqlite_ckpt_busy(sqlite_ckpt *c, long *passes, int *copied);
/* Wait until no checkpoint is asked for or under way; then as busy. */
void sqlite_ckpt_wait(sqlite_ckpt *c, long *passes, int *copied);
/* Stops and joins the thread (a checkpoint under way finishes) and closes
 * its connection. Accepts NULL. */
void sqlite_ckpt_free(sqlite_ckpt *c);

#endif
