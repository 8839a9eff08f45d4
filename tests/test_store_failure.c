/* SPDX-License-Identifier: Apache-2.0 */
/* Store failure injection: the scenario of tests/support/scenario.c is run
 * with the memstore failing its 1st, 2nd, ... Nth append. After each
 * failure the engine is exactly as before the call, the store holds only
 * what it accepted, replaying the store gives the engine's state, and
 * retrying the call carries the story to the same end as an unfailed run. */
#include "scenario.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Run the scenario with append number `fail_at` failing with `fail_code`.
 * Returns 1 if a failure was injected, 0 if the scenario has fewer appends. */
static int run_with_failure(int fail_at, int fail_code, int expect_code, const char *reference)
{
    vclock clock = { T0 };
    memstore store;
    itsm_engine *eng;
    scenario s;
    int injected = 0;
    memstore_init(&store);
    store.fail_at = fail_at;
    store.fail_code = fail_code;
    assert_int_equal(scenario_engine_new(&eng, &store, &clock, NULL, NULL), ITSM_OK);
    scenario_init(&s, eng, &clock);
    for (size_t i = 0; i < scenario_nsteps; i++) {
        char *before = engine_dump(eng);
        size_t stored = store.n;
        int appends = store.appends;
        int rc = scenario_run_step(&s, i);
        if (rc != ITSM_OK) {
            if (injected || store.appends != fail_at)
                fail_msg("fail_at=%d step %zu (%s): unexpected %s: %s", fail_at, i, scenario_steps[i].name,
                         itsm_errname(rc), itsm_errmsg(eng));
            injected = 1;
            if (rc != expect_code)
                fail_msg("fail_at=%d step %zu (%s): got %s, wanted %s", fail_at, i, scenario_steps[i].name,
                         itsm_errname(rc), itsm_errname(expect_code));
            assert_int_equal(itsm_errcode(eng), expect_code);
            if (!strstr(itsm_errmsg(eng), "store append"))
                fail_msg("fail_at=%d: message does not name the store append: %s", fail_at, itsm_errmsg(eng));
            assert_int_equal(store.appends, appends + 1);
            assert_int_equal(store.n, stored);
            char *after = engine_dump(eng);
            if (strcmp(before, after) != 0)
                fail_msg("fail_at=%d step %zu (%s): the engine changed although the store refused\n"
                         "--- before\n%s--- after\n%s",
                         fail_at, i, scenario_steps[i].name, before, after);
            char *replayed = replay_dump(&store);
            assert_string_equal(replayed, after);
            free(replayed);
            free(after);
            /* The same call again: the store accepts it this time. */
            rc = scenario_run_step(&s, i);
            if (rc != ITSM_OK)
                fail_msg("fail_at=%d step %zu (%s): retry failed: %s: %s", fail_at, i, scenario_steps[i].name,
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
    memstore_free(&store);
    return injected;
}

static int count_appends(void)
{
    vclock clock = { T0 };
    memstore store;
    itsm_engine *eng;
    scenario s;
    memstore_init(&store);
    assert_int_equal(scenario_engine_new(&eng, &store, &clock, NULL, NULL), ITSM_OK);
    scenario_init(&s, eng, &clock);
    for (size_t i = 0; i < scenario_nsteps; i++)
        assert_int_equal(scenario_run_step(&s, i), ITSM_OK);
    int n = store.appends;
    itsm_engine_free(eng);
    memstore_free(&store);
    return n;
}

static void failing_loop(int fail_code, int expect_code)
{
    char *reference = scenario_reference_dump();
    int appends = count_appends();
    int fail_at = 1;
    while (run_with_failure(fail_at, fail_code, expect_code, reference))
        fail_at++;
    /* Every append of the story was failed once, then no more failures. */
    assert_int_equal(fail_at, appends + 1);
    assert_true(appends >= 25);
    free(reference);
}

static void store_failure_at_every_append_changes_nothing_and_replays_equal(void **state)
{
    (void)state;
    failing_loop(ITSM_ESTORE, ITSM_ESTORE);
}

static void store_euser_passes_through_unchanged(void **state)
{
    (void)state;
    failing_loop(ITSM_EUSER, ITSM_EUSER);
}

static void store_econflict_passes_through_unchanged(void **state)
{
    (void)state;
    failing_loop(ITSM_ECONFLICT, ITSM_ECONFLICT);
}

/* Any other code a store returns (even a nonsensical one) is reported as
 * ITSM_ESTORE, so hosts get one code for "the store failed". */
static void other_store_codes_become_estore(void **state)
{
    (void)state;
    char *reference = scenario_reference_dump();
    const int codes[] = { ITSM_ENOMEM, ITSM_EINVAL, ITSM_EPARSE, 7, -1000 };
    for (size_t c = 0; c < sizeof codes / sizeof codes[0]; c++) {
        assert_true(run_with_failure(2, codes[c], ITSM_ESTORE, reference));
        assert_true(run_with_failure(15, codes[c], ITSM_ESTORE, reference));
    }
    free(reference);
}

/* The message says which store call failed, for which record and revision,
 * and what the store returned. */
static void store_failure_message_names_append_record_and_revision(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *r;
    itsm_record_opts o = ITSM_RECORD_OPTS_INIT;
    assert_ok(itsm_record_open(&r, f.eng, &o));
    f.store.fail_at = 2;
    f.store.fail_code = ITSM_EUSER;
    assert_fails(f.eng, itsm_record_set_str(r, ITSM_F_SUMMARY, "x"), ITSM_EUSER, "store append");
    assert_non_null(strstr(itsm_errmsg(f.eng), "INC-000001"));
    assert_non_null(strstr(itsm_errmsg(f.eng), "revision 2"));
    assert_non_null(strstr(itsm_errmsg(f.eng), "ITSM_EUSER"));
    assert_int_equal(itsm_record_revision(r), 1);
    assert_null(itsm_record_str(r, ITSM_F_SUMMARY));
    fixture_close(&f);
}

/* A refused open leaves no record behind and does not use up the generated
 * id: the retry gets the same id. */
static void refused_open_leaves_no_record_and_keeps_the_id(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *r = (itsm_record *)&f;   /* must be reset to NULL */
    itsm_record_opts o = ITSM_RECORD_OPTS_INIT;
    f.store.fail_at = 1;
    assert_fails(f.eng, itsm_record_open(&r, f.eng, &o), ITSM_ESTORE, "store append");
    assert_null(r);
    assert_int_equal(itsm_engine_record_count(f.eng), 0);
    assert_int_equal(itsm_record_find(&r, f.eng, "INC-000001"), ITSM_ENOTFOUND);
    assert_ok(itsm_record_open(&r, f.eng, &o));
    assert_string_equal(itsm_record_id(r), "INC-000001");
    fixture_close(&f);
}

/* A link is two events in one append: a refusal keeps neither side. */
static void refused_link_changes_neither_record(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *a, *b;
    itsm_record_opts o = ITSM_RECORD_OPTS_INIT;
    assert_ok(itsm_record_open(&a, f.eng, &o));
    o.kind = ITSM_KIND_PROBLEM;
    assert_ok(itsm_record_open(&b, f.eng, &o));
    f.store.fail_at = 3;
    assert_fails(f.eng, itsm_record_link(a, ITSM_LINK_RELATED, b), ITSM_ESTORE, "store append");
    assert_int_equal(itsm_record_link_count(a), 0);
    assert_int_equal(itsm_record_link_count(b), 0);
    assert_int_equal(itsm_record_revision(a), 1);
    assert_int_equal(itsm_record_revision(b), 1);
    assert_int_equal(f.store.n, 2);
    assert_ok(itsm_record_link(a, ITSM_LINK_RELATED, b));
    assert_int_equal(f.store.n, 4);
    fixture_close(&f);
}

static int sink_calls;
static void count_sink(void *user, const itsm_event *const *evs, size_t n)
{
    (void)user;
    (void)evs;
    sink_calls += (int)n;
}

/* A refused change is never announced. */
static void refused_change_is_not_told_to_the_sink(void **state)
{
    (void)state;
    vclock clock = { T0 };
    memstore store;
    memstore_init(&store);
    itsm_engine *eng = engine_over_sink(&store, &clock, NULL, count_sink, NULL);
    itsm_record *r;
    itsm_record_opts ro = ITSM_RECORD_OPTS_INIT;
    sink_calls = 0;
    assert_ok(itsm_record_open(&r, eng, &ro));
    assert_int_equal(sink_calls, 1);
    store.fail_at = 2;
    assert_int_equal(itsm_record_set_str(r, ITSM_F_SUMMARY, "x"), ITSM_ESTORE);
    assert_int_equal(sink_calls, 1);
    itsm_engine_free(eng);
    memstore_free(&store);
}

/* No store: the engine keeps records in memory only, and the whole story
 * runs to the same end. */
static void without_a_store_the_engine_works_in_memory(void **state)
{
    (void)state;
    char *reference = scenario_reference_dump();
    vclock clock = { T0 };
    itsm_engine *eng;
    scenario s;
    assert_ok(scenario_engine_new(&eng, NULL, &clock, NULL, NULL));
    scenario_init(&s, eng, &clock);
    for (size_t i = 0; i < scenario_nsteps; i++) {
        int rc = scenario_run_step(&s, i);
        if (rc != ITSM_OK)
            fail_msg("step %zu (%s): %s: %s", i, scenario_steps[i].name, itsm_errname(rc), itsm_errmsg(eng));
    }
    char *d = engine_dump(eng);
    assert_string_equal(d, reference);
    /* Loading needs a store with scan. */
    assert_fails(eng, itsm_engine_load(eng), ITSM_EINVAL, "scan");
    free(d);
    free(reference);
    itsm_engine_free(eng);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(store_failure_at_every_append_changes_nothing_and_replays_equal),
        cmocka_unit_test(store_euser_passes_through_unchanged),
        cmocka_unit_test(store_econflict_passes_through_unchanged),
        cmocka_unit_test(other_store_codes_become_estore),
        cmocka_unit_test(store_failure_message_names_append_record_and_revision),
        cmocka_unit_test(refused_open_leaves_no_record_and_keeps_the_id),
        cmocka_unit_test(refused_link_changes_neither_record),
        cmocka_unit_test(refused_change_is_not_told_to_the_sink),
        cmocka_unit_test(without_a_store_the_engine_works_in_memory),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
