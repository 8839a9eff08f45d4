/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bench_reload [--runs N] [--limit CASES] [--form json|binary|load] - reloading a
 * whole store through the library:
 * the UCI log's events (129,961 of them, tools/servicenow_policy.json) are
 * made once by replaying the log (not timed) and kept in memory in both
 * forms; then, best of N runs each (default 5), a fresh engine replays all
 * of them - itsm_engine_replay_json for the JSON form, itsm_engine_replay
 * for the binary form - as itsm_engine_load does from a store's scan, minus
 * the store's own reading. Then the whole load as a host runs it:
 * itsm_engine_load from a store (in memory) that keeps the binary form
 * with its hash chain, as a readable store's events carry it - the chain
 * verified at every event, the service levels planned once per record at
 * the end. Prints events per second and bytes per event. --form runs one
 * of the three only (for a profiler: `perf record` of the binary reload).
 * Goal (bench/RESULTS-stores.md): the binary form reloads at >= 5 M events/s.
 */
#define _POSIX_C_SOURCE 200809L
#include "bench.h"
#include "logs.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#ifndef ITSM_SOURCE_DIR
#define ITSM_SOURCE_DIR "."
#endif

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

typedef struct kept {
    char  *json, *bin;          /* every event, packed */
    size_t njson, nbin, cjson, cbin;
    size_t *jend, *bend;        /* where each event ends */
    size_t n, cap;
} kept;

static void grow(char **p, size_t *cap, size_t need)
{
    if (need <= *cap)
        return;
    while (*cap < need)
        *cap = *cap ? 2 * *cap : 1 << 20;
    *p = realloc(*p, *cap);
    if (!*p)
        exit(1);
}

/* The replay's store: keeps both forms of every event. */
static int keep(void *user, const itsm_event *const *evs, size_t n)
{
    kept *k = user;
    for (size_t i = 0; i < n; i++) {
        size_t jl = 0, bl = 0;
        itsm_event_to_json(evs[i], NULL, 0, &jl);
        itsm_event_to_binary(evs[i], NULL, 0, &bl);
        grow(&k->json, &k->cjson, k->njson + jl + 1);
        grow(&k->bin, &k->cbin, k->nbin + bl);
        itsm_event_to_json(evs[i], k->json + k->njson, jl + 1, &jl);
        itsm_event_to_binary(evs[i], k->bin + k->nbin, bl, &bl);
        if (k->n == k->cap) {
            k->cap = k->cap ? 2 * k->cap : 1 << 16;
            k->jend = realloc(k->jend, k->cap * sizeof *k->jend);
            k->bend = realloc(k->bend, k->cap * sizeof *k->bend);
            if (!k->jend || !k->bend)
                exit(1);
        }
        k->njson += jl;
        k->nbin += bl;
        k->jend[k->n] = k->njson;
        k->bend[k->n] = k->nbin;
        k->n++;
    }
    return ITSM_OK;
}

/* A store that gives its events back (a scan): its events carry their
 * hash chain. The scan of the store being made is never called. */
static int scan_none(void *user, itsm_store_emit_fn emit, void *ctx)
{
    (void)user, (void)emit, (void)ctx;
    return ITSM_OK;
}

static int scan_kept(void *user, itsm_store_emit_fn emit, void *ctx)
{
    const kept *k = user;
    size_t from = 0;
    for (size_t i = 0; i < k->n; i++) {
        int rc = emit(ctx, k->bin + from, k->bend[i] - from);
        if (rc)
            return rc;
        from = k->bend[i];
    }
    return ITSM_OK;
}

static int refuse(void *user, const itsm_event *const *evs, size_t n)
{
    (void)user, (void)evs, (void)n;
    return ITSM_EINVAL;
}

static itsm_policy *load_policy(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *doc = malloc(1 << 20);
    size_t n = doc ? fread(doc, 1, 1 << 20, f) : 0;
    fclose(f);
    itsm_policy *p = NULL;
    if (!doc || itsm_policy_from_json(&p, doc, n, NULL, NULL, NULL) != ITSM_OK)
        p = NULL;
    free(doc);
    return p;
}

/* One reload of every kept event in one form: seconds. Under callgrind
 * (scripts/bench-callgrind.sh) the reload is the counted case
 * reload.uci.<form>.cases<limit>, per event. */
static long cases;

static double reload(const itsm_policy *pol, const kept *k, int binary)
{
    itsm_engine_opts o = ITSM_ENGINE_OPTS_INIT;
    o.policy = pol;
    itsm_engine *eng;
    if (itsm_engine_new(&eng, &o) != ITSM_OK)
        exit(1);
    const char *base = binary ? k->bin : k->json;
    const size_t *end = binary ? k->bend : k->jend;
    double t0 = now_s();
    if (bench_under_valgrind())
        bench_begin();
    size_t from = 0;
    for (size_t i = 0; i < k->n; i++) {
        int rc = binary ? itsm_engine_replay(eng, base + from, end[i] - from, NULL)
                        : itsm_engine_replay_json(eng, base + from, end[i] - from, NULL);
        if (rc != ITSM_OK) {
            fprintf(stderr, "bench_reload: event %zu: %s (%s)\n", i, itsm_errname(rc), itsm_errmsg(eng));
            exit(1);
        }
        from = end[i];
    }
    if (bench_under_valgrind()) {
        char name[64];
        snprintf(name, sizeof name, "reload.uci.%s.cases%ld", binary ? "binary" : "json", cases);
        bench_end(name, k->n, "event");
    }
    double secs = now_s() - t0;
    itsm_engine_free(eng);
    return secs;
}

/* One itsm_engine_load of the chained store: seconds. */
static double load_store(const itsm_policy *pol, const kept *k)
{
    static const itsm_store store = { ITSM_STORE_VERSION, refuse, scan_kept, NULL, NULL, NULL };
    itsm_engine_opts o = ITSM_ENGINE_OPTS_INIT;
    o.policy = pol;
    o.store = &store;
    o.store_user = (void *)(uintptr_t)k;
    itsm_engine *eng;
    if (itsm_engine_new(&eng, &o) != ITSM_OK)
        exit(1);
    double t0 = now_s();
    if (bench_under_valgrind())
        bench_begin();
    int rc = itsm_engine_load(eng);
    if (rc != ITSM_OK) {
        fprintf(stderr, "bench_reload: load: %s (%s)\n", itsm_errname(rc), itsm_errmsg(eng));
        exit(1);
    }
    if (bench_under_valgrind()) {
        char name[64];
        snprintf(name, sizeof name, "reload.uci.load.cases%ld", cases);
        bench_end(name, k->n, "event");
    }
    double secs = now_s() - t0;
    itsm_engine_free(eng);
    return secs;
}

/* The events of the log, made once by replaying it into `store`. */
static int make(const itsm_policy *pol, rp_pool *pool, rp_input *in, const itsm_store *store, kept *k)
{
    replay rp;
    rp_init(&rp, pool);
    itsm_engine_opts o = ITSM_ENGINE_OPTS_INIT;
    o.policy = pol;
    o.store = store;
    o.store_user = k;
    o.clock = rp_clock;
    o.clock_user = &rp.now;
    o.sink = rp_sink;
    o.sink_user = &rp;
    if (itsm_engine_new(&rp.eng, &o) != ITSM_OK || rp_run(&rp, in, NULL, NULL))
        return -1;
    itsm_engine_free(rp.eng);
    rp_free(&rp);
    return 0;
}

int main(int argc, char **argv)
{
    int runs = 5;
    long limit = 0;
    int only = -1;   /* every form, or the one of what[] below */
    static const char *const forms[] = { "json", "binary", "load" };
    for (int i = 1; i < argc; i += 2) {
        if (i + 1 < argc && !strcmp(argv[i], "--runs"))
            runs = atoi(argv[i + 1]);
        else if (i + 1 < argc && !strcmp(argv[i], "--limit"))
            limit = atol(argv[i + 1]);
        else if (i + 1 < argc && !strcmp(argv[i], "--form") && only < 0) {
            for (int f = 0; f < 3; f++)
                if (!strcmp(argv[i + 1], forms[f]))
                    only = f;
            if (only < 0)
                goto usage;
        } else {
        usage:
            fprintf(stderr, "usage: bench_reload [--runs N] [--limit CASES] [--form json|binary|load]\n");
            return 2;
        }
    }
    cases = limit;
    if (bench_under_valgrind())
        runs = 1;
    itsm_policy *pol = load_policy(ITSM_SOURCE_DIR "/tools/servicenow_policy.json");
    const rp_mapper *m = rp_mapper_find("uci");
    char input[1024];
    snprintf(input, sizeof input, "%s/data/%s", ITSM_SOURCE_DIR, m->inputs[0]);
    const char *inputs[1] = { input };
    rp_pool *pool = rp_pool_new();
    rp_input in;
    char err[512];
    if (!pol || !pool || rp_load(&in, m, inputs, 1, limit, pool, err, sizeof err)) {
        fprintf(stderr, "bench_reload: cannot read the UCI log or its policy\n");
        return 1;
    }
    /* the events, made once: as a store that keeps nothing to read has
     * them, and with their hash chain, as a readable store has them */
    kept k = { 0 }, kc = { 0 };
    static const itsm_store keeping = { ITSM_STORE_VERSION, keep, NULL, NULL, NULL, NULL };
    static const itsm_store chaining = { ITSM_STORE_VERSION, keep, scan_none, NULL, NULL, NULL };
    if (make(pol, pool, &in, &keeping, &k) || make(pol, pool, &in, &chaining, &kc))
        return 1;
    printf("the UCI store: %zu events; JSON %.0f bytes/event, binary %.0f bytes/event (%.0f with the chain)\n", k.n,
           (double)k.njson / (double)k.n, (double)k.nbin / (double)k.n, (double)kc.nbin / (double)kc.n);
    double best[3] = { 1e30, 1e30, 1e30 };
    for (int r = 0; r < runs; r++)
        for (int b = 0; b < 3; b++) {
            if (only >= 0 && b != only)
                continue;
            double s = b < 2 ? reload(pol, &k, b) : load_store(pol, &kc);
            if (s < best[b])
                best[b] = s;
        }
    static const char *const what[] = { "reload, JSON  ", "reload, binary", "load, binary + chain" };
    for (int b = 0; b < 3; b++)
        if (only < 0 || b == only)
            printf("%s  best of %d: %.4f s = %.2f M events/s (%.0f ns/event)\n", what[b], runs, best[b],
               (double)k.n / best[b] / 1e6, best[b] * 1e9 / (double)k.n);
    kept *ks[] = { &k, &kc };
    for (int i = 0; i < 2; i++) {
        free(ks[i]->json);
        free(ks[i]->bin);
        free(ks[i]->jend);
        free(ks[i]->bend);
    }
    rp_input_free(&in);
    rp_pool_free(pool);
    itsm_policy_free(pol);
    return 0;
}
