/* SPDX-License-Identifier: Apache-2.0 */
/* Threads: the library has no global state, so engines on different
 * threads never touch the same memory, a const policy may be read by all
 * of them at once, and an engine may move between threads as long as the
 * host serialises the calls. Built with -fsanitize=thread
 * (scripts/tsan.sh, run by CI) ThreadSanitizer checks every access; in the
 * other builds the results are checked as usual. */
#include "scenario.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define THREADS 4
#define ROUNDS 6

typedef struct worker {
    pthread_t          th;
    int                index;
    const itsm_policy *policy;       /* shared by every thread, read only */
    const char        *reference;    /* the story's end, as engine_dump prints it */
    itsm_engine       *shared;       /* one engine for all, behind `lock` */
    pthread_mutex_t   *lock;
    int                failures;
    char               why[256];
} worker;

static void failed(worker *w, const char *what)
{
    if (!w->failures++)
        snprintf(w->why, sizeof w->why, "thread %d: %s", w->index, what);
}

/* The whole story of tests/support/scenario.c on an engine of its own, its
 * store replayed into another, a tick; then a few steps on the shared one. */
static void *work(void *arg)
{
    worker *w = arg;
    for (int round = 0; round < ROUNDS; round++) {
        vclock clock = { T0 };
        memstore store;
        memstore_init(&store);
        itsm_engine *eng = NULL;
        if (scenario_engine_new(&eng, &store, &clock, NULL, round & 1 ? w->policy : NULL) != ITSM_OK) {
            failed(w, "engine_new");
            memstore_free(&store);
            continue;
        }
        scenario s;
        scenario_init(&s, eng, &clock);
        for (size_t i = 0; i < scenario_nsteps; i++)
            if (scenario_run_step(&s, i) != ITSM_OK)
                failed(w, scenario_steps[i].name);
        char *d = engine_dump(eng);
        if (strcmp(d, w->reference) != 0)
            failed(w, "the story ended elsewhere");
        char *r = replay_dump(&store);
        if (strcmp(r, d) != 0)
            failed(w, "the replay differs");
        free(r);
        free(d);
        size_t fired = 0;
        if (itsm_engine_tick(eng, T0 + 30 * 86400, &fired) != ITSM_OK)
            failed(w, "tick");
        itsm_engine_free(eng);
        memstore_free(&store);

        /* The shared engine: the host's lock makes the calls one at a time. */
        pthread_mutex_lock(w->lock);
        itsm_record *rec = NULL;
        itsm_change ch[3] = { { ITSM_F_SUMMARY, "shared", 0 }, { ITSM_F_IMPACT, NULL, 2 },
                              { ITSM_F_URGENCY, NULL, 2 } };
        itsm_record_opts o = ITSM_RECORD_OPTS_INIT;
        o.fields = ch;
        o.nfields = 3;
        if (itsm_record_open(&rec, w->shared, &o) != ITSM_OK)
            failed(w, "open on the shared engine");
        itsm_change g = { ITSM_F_ASSIGNMENT_GROUP, w->index & 1 ? "odd" : "even", 0 };
        if (rec && itsm_record_fire(rec, "assign", &g, 1) != ITSM_OK)
            failed(w, "assign on the shared engine");
        pthread_mutex_unlock(w->lock);
    }
    return NULL;
}

static void engines_on_several_threads_share_nothing(void **state)
{
    (void)state;
    char *reference = scenario_reference_dump();
    itsm_policy *policy = NULL;
    assert_ok(itsm_policy_new_default(&policy, NULL));
    itsm_engine *shared = NULL;
    assert_ok(itsm_engine_new(&shared, NULL));
    pthread_mutex_t lock;
    pthread_mutex_init(&lock, NULL);
    worker w[THREADS];
    for (int i = 0; i < THREADS; i++) {
        memset(&w[i], 0, sizeof w[i]);
        w[i].index = i;
        w[i].policy = policy;
        w[i].reference = reference;
        w[i].shared = shared;
        w[i].lock = &lock;
        assert_int_equal(pthread_create(&w[i].th, NULL, work, &w[i]), 0);
    }
    for (int i = 0; i < THREADS; i++)
        assert_int_equal(pthread_join(w[i].th, NULL), 0);
    for (int i = 0; i < THREADS; i++)
        if (w[i].failures)
            fail_msg("%s (%d failures)", w[i].why, w[i].failures);
    assert_int_equal(itsm_engine_record_count(shared), THREADS * ROUNDS);
    for (size_t i = 0; i < itsm_engine_record_count(shared); i++) {
        itsm_record *r;
        assert_ok(itsm_engine_record_at(&r, shared, i));
        assert_string_equal(itsm_record_state(r), "assigned");
        assert_int_equal(itsm_record_revision(r), 2);
    }
    pthread_mutex_destroy(&lock);
    itsm_engine_free(shared);
    itsm_policy_free(policy);
    free(reference);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(engines_on_several_threads_share_nothing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
