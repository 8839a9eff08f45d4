/* SPDX-License-Identifier: Apache-2.0 */
/* Allocation failure injection: fail allocation 1, 2, ... N of engine
 * creation, the scenario of tests/support/scenario.c, policy parsing and
 * replay, until a run sees no failure. Every call returns ITSM_OK or
 * ITSM_ENOMEM, an ITSM_ENOMEM changes nothing, the retry succeeds and the
 * run ends where an unfailed run ends; freeing the engine frees every
 * block (failalloc.live == 0). */
#include "scenario.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void check_code(long fail_at, const char *what, int rc)
{
    if (rc != ITSM_OK && rc != ITSM_ENOMEM)
        fail_msg("fail_at=%ld %s: got %s, only ITSM_OK or ITSM_ENOMEM allowed", fail_at, what, itsm_errname(rc));
}

/* One run with allocation `fail_at` failing. Returns 1 if it failed one. */
static int scenario_with_failing_alloc(long fail_at, const itsm_policy *policy, const char *reference)
{
    failalloc fa = { 0, fail_at, 0, 0 };
    itsm_allocator a = failalloc_make(&fa);
    vclock clock = { T0 };
    memstore store;
    itsm_engine *eng = NULL;
    scenario s;
    memstore_init(&store);

    int rc = scenario_engine_new(&eng, &store, &clock, &a, policy);
    check_code(fail_at, "itsm_engine_new", rc);
    if (rc == ITSM_ENOMEM) {
        assert_null(eng);
        assert_int_equal(fa.live, 0);
        assert_ok(scenario_engine_new(&eng, &store, &clock, &a, policy));
    }
    scenario_init(&s, eng, &clock);
    for (size_t i = 0; i < scenario_nsteps; i++) {
        char *before = engine_dump(eng);
        size_t stored = store.n;
        rc = scenario_run_step(&s, i);
        check_code(fail_at, scenario_steps[i].name, rc);
        if (rc == ITSM_ENOMEM) {
            assert_int_equal(itsm_errcode(eng), ITSM_ENOMEM);
            assert_string_equal(itsm_errmsg(eng), "out of memory");
            assert_int_equal(store.n, stored);
            char *after = engine_dump(eng);
            if (strcmp(before, after) != 0)
                fail_msg("fail_at=%ld step %zu (%s): ENOMEM changed the engine\n--- before\n%s--- after\n%s",
                         fail_at, i, scenario_steps[i].name, before, after);
            free(after);
            rc = scenario_run_step(&s, i);
            if (rc != ITSM_OK)
                fail_msg("fail_at=%ld step %zu (%s): retry: %s: %s", fail_at, i, scenario_steps[i].name,
                         itsm_errname(rc), itsm_errmsg(eng));
        }
        free(before);
    }
    char *end = engine_dump(eng);
    assert_string_equal(end, reference);
    char *replayed = replay_dump(&store);
    assert_string_equal(replayed, end);
    free(replayed);
    free(end);
    itsm_engine_free(eng);
    if (fa.live != 0)
        fail_msg("fail_at=%ld: %ld blocks leaked", fail_at, fa.live);
    memstore_free(&store);
    return fa.failed;
}

static void scenario_under_allocation_failure_is_ok_or_enomem_and_unchanged(void **state)
{
    (void)state;
    char *reference = scenario_reference_dump();
    long fail_at = 1;
    while (scenario_with_failing_alloc(fail_at, NULL, reference))
        fail_at++;
    assert_true(fail_at > 50);   /* the loop really went through the story */
    free(reference);
}

/* The same with a policy passed in: the engine clones it with its own
 * allocator, so the clone's allocations fail too. */
static void engine_with_policy_under_allocation_failure(void **state)
{
    (void)state;
    char *reference = scenario_reference_dump();
    itsm_policy *p;
    assert_ok(itsm_policy_new_default(&p, NULL));
    long fail_at = 1;
    while (scenario_with_failing_alloc(fail_at, p, reference))
        fail_at++;
    itsm_policy_free(p);
    free(reference);
}

static char *default_policy_json(size_t *len)
{
    itsm_policy *p;
    assert_ok(itsm_policy_new_default(&p, NULL));
    assert_int_equal(itsm_policy_to_json(p, NULL, 0, len), ITSM_ELIMIT);
    char *buf = malloc(*len + 1);
    assert_ok(itsm_policy_to_json(p, buf, *len + 1, len));
    itsm_policy_free(p);
    return buf;
}

static void policy_from_json_under_allocation_failure(void **state)
{
    (void)state;
    size_t len;
    char *json = default_policy_json(&len);
    for (long fail_at = 1;; fail_at++) {
        failalloc fa = { 0, fail_at, 0, 0 };
        itsm_allocator a = failalloc_make(&fa);
        itsm_policy *p = (itsm_policy *)&fa;
        itsm_parse_error err;
        int rc = itsm_policy_from_json(&p, json, len, &a, NULL, &err);
        check_code(fail_at, "itsm_policy_from_json", rc);
        if (rc == ITSM_ENOMEM) {
            assert_null(p);
            assert_int_equal(fa.live, 0);
            continue;
        }
        /* Parsed back, it writes the same document. */
        size_t len2;
        char *again = malloc(len + 1);
        assert_ok(itsm_policy_to_json(p, again, len + 1, &len2));
        assert_int_equal(len2, len);
        assert_memory_equal(again, json, len);
        free(again);
        itsm_policy_free(p);
        assert_int_equal(fa.live, 0);
        if (!fa.failed)
            break;
    }
    free(json);
}

/* Build the scenario's store once, for the replay loops. */
static void reference_store(memstore *store)
{
    vclock clock = { T0 };
    itsm_engine *eng;
    scenario s;
    memstore_init(store);
    assert_ok(scenario_engine_new(&eng, store, &clock, NULL, NULL));
    scenario_init(&s, eng, &clock);
    for (size_t i = 0; i < scenario_nsteps; i++)
        assert_ok(scenario_run_step(&s, i));
    itsm_engine_free(eng);
}

static void replay_json_under_allocation_failure(void **state)
{
    (void)state;
    memstore store;
    reference_store(&store);
    char *reference = replay_dump(&store);
    for (long fail_at = 1;; fail_at++) {
        failalloc fa = { 0, fail_at, 0, 0 };
        itsm_allocator a = failalloc_make(&fa);
        vclock clock = { T0 };
        itsm_engine *eng = NULL;
        int rc = scenario_engine_new(&eng, NULL, &clock, &a, NULL);
        check_code(fail_at, "itsm_engine_new", rc);
        if (rc == ITSM_ENOMEM) {
            assert_int_equal(fa.live, 0);
            continue;
        }
        for (size_t i = 0; i < store.n; i++) {
            char *before = engine_dump(eng);
            itsm_parse_error err;
            size_t n = strlen(store.events[i]);
            rc = itsm_engine_replay_json(eng, store.events[i], n, &err);
            check_code(fail_at, "itsm_engine_replay_json", rc);
            if (rc == ITSM_ENOMEM) {
                char *after = engine_dump(eng);
                if (strcmp(before, after) != 0)
                    fail_msg("fail_at=%ld event %zu: ENOMEM changed the engine\n%s", fail_at, i, store.events[i]);
                free(after);
                rc = itsm_engine_replay_json(eng, store.events[i], n, &err);
                if (rc != ITSM_OK)
                    fail_msg("fail_at=%ld event %zu: retry: %s: %s", fail_at, i, itsm_errname(rc), itsm_errmsg(eng));
            }
            free(before);
        }
        char *end = engine_dump(eng);
        assert_string_equal(end, reference);
        free(end);
        itsm_engine_free(eng);
        if (fa.live != 0)
            fail_msg("fail_at=%ld: %ld blocks leaked", fail_at, fa.live);
        if (!fa.failed)
            break;
    }
    free(reference);
    memstore_free(&store);
}

/* itsm_engine_load stops at the first failing event; calling it again
 * skips what was already applied and finishes the job. */
static void load_under_allocation_failure_resumes(void **state)
{
    (void)state;
    memstore store;
    reference_store(&store);
    char *reference = replay_dump(&store);
    size_t nstored = store.n;
    for (long fail_at = 1;; fail_at++) {
        failalloc fa = { 0, fail_at, 0, 0 };
        itsm_allocator a = failalloc_make(&fa);
        vclock clock = { T0 };
        itsm_engine *eng = NULL;
        int rc = scenario_engine_new(&eng, &store, &clock, &a, NULL);
        if (rc == ITSM_ENOMEM) {
            assert_int_equal(fa.live, 0);
            continue;
        }
        assert_ok(rc);
        rc = itsm_engine_load(eng);
        check_code(fail_at, "itsm_engine_load", rc);
        if (rc == ITSM_ENOMEM) {
            assert_int_equal(itsm_errcode(eng), ITSM_ENOMEM);
            assert_ok(itsm_engine_load(eng));
        }
        char *end = engine_dump(eng);
        assert_string_equal(end, reference);
        free(end);
        assert_int_equal(store.n, nstored);   /* loading appends nothing */
        itsm_engine_free(eng);
        if (fa.live != 0)
            fail_msg("fail_at=%ld: %ld blocks leaked", fail_at, fa.live);
        if (!fa.failed)
            break;
    }
    free(reference);
    memstore_free(&store);
}

static void set_actor_under_allocation_failure(void **state)
{
    (void)state;
    for (long fail_at = 1;; fail_at++) {
        failalloc fa = { 0, 0, 0, 0 };
        itsm_allocator a = failalloc_make(&fa);
        vclock clock = { T0 };
        itsm_engine *eng;
        assert_ok(scenario_engine_new(&eng, NULL, &clock, &a, NULL));
        fa.fail_at = fa.calls + fail_at;
        int rc = itsm_engine_set_actor(eng, "alice");
        check_code(fail_at, "itsm_engine_set_actor", rc);
        fa.fail_at = 0;
        itsm_record *r;
        itsm_record_opts o = ITSM_RECORD_OPTS_INIT;
        if (rc == ITSM_OK) {
            assert_ok(itsm_record_open(&r, eng, &o));
            itsm_timeline_entry e = { .size = sizeof e };
            itsm_note_opts n = ITSM_NOTE_OPTS_INIT;
            n.text = "x";
            assert_ok(itsm_record_add_note(r, &n));
            assert_ok(itsm_record_timeline_at(r, 0, &e));
            assert_string_equal(e.author, "alice");
        }
        itsm_engine_free(eng);
        assert_int_equal(fa.live, 0);
        if (!fa.failed)
            break;
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(scenario_under_allocation_failure_is_ok_or_enomem_and_unchanged),
        cmocka_unit_test(engine_with_policy_under_allocation_failure),
        cmocka_unit_test(policy_from_json_under_allocation_failure),
        cmocka_unit_test(replay_json_under_allocation_failure),
        cmocka_unit_test(load_under_allocation_failure_resumes),
        cmocka_unit_test(set_actor_under_allocation_failure),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
