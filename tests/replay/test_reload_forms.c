/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The UCI sample's events in both forms reload to the same engine: the
 * binary form a store gets (the chain's canonical bytes with the hash
 * appended) is byte for byte the binary form of the event's JSON, and
 * replaying either form - event by event, or loading a store that keeps
 * it (the chain verified) - gives engines whose dumps are identical.
 */
#define _POSIX_C_SOURCE 200809L
#include "logs.h"
#include "support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef ITSM_SOURCE_DIR
#define ITSM_SOURCE_DIR "."
#endif

typedef struct kept {
    char         **json;
    unsigned char **bin;
    size_t        *nbin;
    size_t         n;
    int            scan_binary;   /* the form scan gives back */
} kept;

static int keep(void *user, const itsm_event *const *evs, size_t n)
{
    kept *k = user;
    for (size_t i = 0; i < n; i++) {
        size_t jl = 0, bl = 0;
        itsm_event_to_json(evs[i], NULL, 0, &jl);
        itsm_event_to_binary(evs[i], NULL, 0, &bl);
        k->json = realloc(k->json, (k->n + 1) * sizeof *k->json);
        k->bin = realloc(k->bin, (k->n + 1) * sizeof *k->bin);
        k->nbin = realloc(k->nbin, (k->n + 1) * sizeof *k->nbin);
        k->json[k->n] = malloc(jl + 1);
        k->bin[k->n] = malloc(bl);
        assert_int_equal(itsm_event_to_json(evs[i], k->json[k->n], jl + 1, &jl), ITSM_OK);
        assert_int_equal(itsm_event_to_binary(evs[i], k->bin[k->n], bl, &bl), ITSM_OK);
        k->nbin[k->n] = bl;
        k->n++;
    }
    return ITSM_OK;
}

static int scan(void *user, itsm_store_emit_fn emit, void *ctx)
{
    kept *k = user;
    for (size_t i = 0; i < k->n; i++) {
        int rc = k->scan_binary ? emit(ctx, (const char *)k->bin[i], k->nbin[i])
                                : emit(ctx, k->json[i], strlen(k->json[i]));
        if (rc)
            return rc;
    }
    return ITSM_OK;
}

/* A store that gives events back, so the engine keeps the hash chain. */
static const itsm_store keeping = { ITSM_STORE_VERSION, keep, scan, NULL, NULL, NULL };

static itsm_policy *policy(void)
{
    FILE *f = fopen(ITSM_SOURCE_DIR "/tools/servicenow_policy.json", "rb");
    assert_non_null(f);
    char *doc = malloc(1 << 20);
    size_t n = fread(doc, 1, 1 << 20, f);
    fclose(f);
    itsm_policy *p = NULL;
    assert_int_equal(itsm_policy_from_json(&p, doc, n, NULL, NULL, NULL), ITSM_OK);
    free(doc);
    return p;
}

/* The UCI sample replayed through the library into `k`. */
static void uci_sample(kept *k, const itsm_policy *pol)
{
    const char *paths[1] = { ITSM_SOURCE_DIR "/tests/data/replay/uci-first-200.csv.gz" };
    rp_pool *pool = rp_pool_new();
    rp_input in;
    char msg[512];
    assert_int_equal(rp_load(&in, rp_mapper_find("uci"), paths, 1, 0, pool, msg, sizeof msg), 0);
    replay rp;
    rp_init(&rp, pool);
    itsm_engine_opts o = ITSM_ENGINE_OPTS_INIT;
    o.policy = pol;
    o.store = &keeping;
    o.store_user = k;
    o.clock = rp_clock;
    o.clock_user = &rp.now;
    o.sink = rp_sink;
    o.sink_user = &rp;
    assert_int_equal(itsm_engine_new(&rp.eng, &o), ITSM_OK);
    assert_int_equal(rp_run(&rp, &in, NULL, NULL), 0);
    itsm_engine_free(rp.eng);
    rp_free(&rp);
    rp_input_free(&in);
    rp_pool_free(pool);
    assert_true(k->n > 500);
}

static void kept_free(kept *k)
{
    for (size_t i = 0; i < k->n; i++) {
        free(k->json[i]);
        free(k->bin[i]);
    }
    free(k->json);
    free(k->bin);
    free(k->nbin);
}

static void the_binary_form_a_store_gets_is_that_of_the_events_json(void **state)
{
    (void)state;
    itsm_policy *pol = policy();
    kept k = { 0 };
    uci_sample(&k, pol);
    unsigned char buf[16384];
    for (size_t i = 0; i < k.n; i++) {
        size_t bl = 0;
        /* a record's event is chained: its canonical bytes were kept (a
         * policy version's document belongs to no record's chain) */
        if (!strstr(k.json[i], "\"type\":\"policy\"") && !strstr(k.json[i], "\"hash\":\""))
            fail_msg("event %zu carries no hash:\n%.200s", i, k.json[i]);
        assert_int_equal(itsm_event_json_to_binary(k.json[i], strlen(k.json[i]), buf, sizeof buf, &bl, NULL), ITSM_OK);
        if (bl != k.nbin[i] || memcmp(buf, k.bin[i], bl) != 0)
            fail_msg("event %zu: its binary form is not that of its JSON:\n%s", i, k.json[i]);
    }
    kept_free(&k);
    itsm_policy_free(pol);
}

static char *replayed(const itsm_policy *pol, const kept *k, int binary)
{
    itsm_engine_opts o = ITSM_ENGINE_OPTS_INIT;
    o.policy = pol;
    itsm_engine *eng;
    assert_int_equal(itsm_engine_new(&eng, &o), ITSM_OK);
    for (size_t i = 0; i < k->n; i++) {
        int rc = binary ? itsm_engine_replay(eng, k->bin[i], k->nbin[i], NULL)
                        : itsm_engine_replay_json(eng, k->json[i], strlen(k->json[i]), NULL);
        if (rc != ITSM_OK)
            fail_msg("event %zu (%s): %s", i, binary ? "binary" : "JSON", itsm_errmsg(eng));
    }
    char *d = engine_dump(eng);
    itsm_engine_free(eng);
    return d;
}

static char *loaded(const itsm_policy *pol, kept *k, int binary)
{
    k->scan_binary = binary;
    itsm_engine_opts o = ITSM_ENGINE_OPTS_INIT;
    o.policy = pol;
    o.store = &keeping;
    o.store_user = k;
    itsm_engine *eng;
    assert_int_equal(itsm_engine_new(&eng, &o), ITSM_OK);
    if (itsm_engine_load(eng) != ITSM_OK)
        fail_msg("loading the %s store: %s", binary ? "binary" : "JSON", itsm_errmsg(eng));
    char *d = engine_dump(eng);
    itsm_engine_free(eng);
    return d;
}

static void either_form_reloads_the_uci_sample_to_the_same_engine(void **state)
{
    (void)state;
    itsm_policy *pol = policy();
    kept k = { 0 };
    uci_sample(&k, pol);
    size_t n = k.n;
    char *from_json = replayed(pol, &k, 0), *from_bin = replayed(pol, &k, 1);
    assert_string_equal(from_bin, from_json);
    char *load_json = loaded(pol, &k, 0), *load_bin = loaded(pol, &k, 1);
    assert_int_equal(k.n, n);   /* loading appended nothing */
    assert_string_equal(load_json, from_json);
    assert_string_equal(load_bin, from_json);
    free(from_json), free(from_bin), free(load_json), free(load_bin);
    kept_free(&k);
    itsm_policy_free(pol);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_binary_form_a_store_gets_is_that_of_the_events_json),
        cmocka_unit_test(either_form_reloads_the_uci_sample_to_the_same_engine),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
