/* SPDX-License-Identifier: Apache-2.0 */
/* sqlite_worker.c - what libitsm-sqlite's threads (the pipelined writer,
 * the checkpointer) share: a thread, the mutex that guards its state, the
 * condition that wakes it, and how it is started and stopped. */
#define _POSIX_C_SOURCE 200809L
#include "sqlite_int.h"

#include <signal.h>

int sqlite_worker_start(sqlite_worker *w, void *(*fn)(void *), void *arg)
{
    w->stop = 0;
    if (pthread_mutex_init(&w->mu, NULL))
        return -1;
    if (pthread_cond_init(&w->wake, NULL)) {
        pthread_mutex_destroy(&w->mu);
        return -1;
    }
    /* The thread takes no signal: a host that blocks SIGTERM and waits for
     * it in a thread of its own must not have it delivered here (its
     * default action would end the process). */
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    int failed = pthread_create(&w->thread, NULL, fn, arg);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (!failed)
        return 0;
    pthread_cond_destroy(&w->wake);
    pthread_mutex_destroy(&w->mu);
    return -1;
}

void sqlite_worker_stop(sqlite_worker *w)
{
    pthread_mutex_lock(&w->mu);
    w->stop = 1;
    pthread_cond_signal(&w->wake);
    pthread_mutex_unlock(&w->mu);
    pthread_join(w->thread, NULL);
    pthread_cond_destroy(&w->wake);
    pthread_mutex_destroy(&w->mu);
}
