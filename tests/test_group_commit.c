/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Group commit (itsm_engine_begin / _commit / _rollback): what the engine
 * refuses, what a failure inside a group leaves, and what a reload that
 * cannot happen does. The behaviour over every real store is the store
 * contract's (tests/stores/contract_engine_group.c).
 */
#include "support.h"
#include "group_store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static size_t heard;
static void count_sink(void *user, const itsm_event *const *evs, size_t n)
{
    (void)user;
    (void)evs;
    heard += n;
}

/* An engine over the group store at `clock`, on `alloc` (NULL: the
 * default) and telling `sink` (NULL: none). */
static itsm_engine *engine_with(gstore *s, vclock *clock, const itsm_allocator *alloc, itsm_event_sink_fn sink)
{
    itsm_engine_opts o = ITSM_ENGINE_OPTS_INIT;
    o.store = &gmethods;
    o.store_user = s;
    o.clock = vclock_read;
    o.clock_user = clock;
    if (alloc)
        o.alloc = *alloc;
    o.sink = sink;
    itsm_engine *eng;
    assert_ok(itsm_engine_new(&eng, &o));
    return eng;
}

/* An engine over the group store; with an allocator, a sink too (the
 * group keeps events for it: more to allocate). */
static itsm_engine *engine_on(gstore *s, vclock *clock, const itsm_allocator *alloc)
{
    return engine_with(s, clock, alloc, alloc ? count_sink : NULL);
}

static itsm_record *incident(itsm_engine *eng, const char *id)
{
    itsm_record_opts o = ITSM_RECORD_OPTS_INIT;
    o.id = id;
    itsm_record *r = NULL;
    assert_ok(itsm_record_open(&r, eng, &o));
    return r;
}

static void a_group_needs_a_store_with_groups_and_scan(void **state)
{
    (void)state;
    assert_int_equal(itsm_engine_begin(NULL), ITSM_EINVAL);
    assert_int_equal(itsm_engine_commit(NULL), ITSM_EINVAL);
    assert_int_equal(itsm_engine_rollback(NULL), ITSM_EINVAL);
    assert_int_equal(itsm_engine_group_events(NULL), 0);
    itsm_engine *eng;
    assert_ok(itsm_engine_new(&eng, NULL));
    assert_fails(eng, itsm_engine_begin(eng), ITSM_EINVAL, "no store");
    itsm_engine_free(eng);

    memstore m;
    memstore_init(&m);
    itsm_engine_opts o = ITSM_ENGINE_OPTS_INIT;
    o.store = &memstore_methods;   /* no group slot */
    o.store_user = &m;
    assert_ok(itsm_engine_new(&eng, &o));
    assert_fails(eng, itsm_engine_begin(eng), ITSM_EINVAL, "no group slot");
    itsm_engine_free(eng);
    memstore_free(&m);

    gstore s = { 0 };
    itsm_store noscan = gmethods;
    noscan.scan = NULL;
    o.store = &noscan;
    o.store_user = &s;
    assert_ok(itsm_engine_new(&eng, &o));
    assert_fails(eng, itsm_engine_begin(eng), ITSM_EINVAL, "no scan");
    itsm_engine_free(eng);
}

static void groups_do_not_nest_and_end_once(void **state)
{
    (void)state;
    gstore s = { 0 };
    vclock c = { T0 };
    itsm_engine *eng = engine_on(&s, &c, NULL);
    assert_fails(eng, itsm_engine_commit(eng), ITSM_ESTATE, "no group is open");
    assert_fails(eng, itsm_engine_rollback(eng), ITSM_ESTATE, "no group is open");
    assert_ok(itsm_engine_begin(eng));
    assert_fails(eng, itsm_engine_begin(eng), ITSM_ESTATE, "a group is open already");
    incident(eng, "INC-1");
    assert_int_equal(itsm_engine_group_events(eng), 1);
    assert_ok(itsm_engine_commit(eng));
    assert_int_equal(s.commits, 1);
    assert_fails(eng, itsm_engine_commit(eng), ITSM_ESTATE, "no group is open");
    itsm_engine_free(eng);
    gstore_free(&s);
}

static itsm_engine *reentry;   /* the engine the sink calls back into */
static int reentered;
static void sink_reenters(void *user, const itsm_event *const *evs, size_t n)
{
    (void)user;
    (void)evs;
    (void)n;
    reentered = itsm_engine_begin(reentry) == ITSM_ESTATE && itsm_engine_commit(reentry) == ITSM_ESTATE &&
                itsm_engine_rollback(reentry) == ITSM_ESTATE;
}

static void group_calls_are_refused_from_inside_a_callback(void **state)
{
    (void)state;
    gstore s = { 0 };
    vclock c = { T0 };
    reentry = engine_with(&s, &c, NULL, sink_reenters);
    reentered = 0;
    incident(reentry, "INC-1");   /* the sink runs after the step */
    assert_true(reentered);
    assert_ok(itsm_engine_begin(reentry));
    incident(reentry, "INC-2");
    reentered = 0;
    assert_ok(itsm_engine_commit(reentry));   /* ... and at the commit */
    assert_true(reentered);
    itsm_engine_free(reentry);
    gstore_free(&s);
}

/* A refused append inside a group changes nothing and the group goes on. */
static void a_refused_step_inside_a_group_leaves_it_open(void **state)
{
    (void)state;
    gstore s = { 0 };
    vclock c = { T0 };
    itsm_engine *eng = engine_on(&s, &c, NULL);
    assert_ok(itsm_engine_begin(eng));
    itsm_record *r = incident(eng, "INC-1");
    s.fail_append_at = s.appends + 1;
    char *before = engine_dump(eng);
    assert_int_equal(itsm_record_set_str(r, ITSM_F_CATEGORY, "network"), ITSM_ESTORE);
    char *after = engine_dump(eng);
    assert_string_equal(before, after);
    assert_ok(itsm_record_set_str(r, ITSM_F_CATEGORY, "network"));
    assert_int_equal(itsm_engine_group_events(eng), 2);
    assert_ok(itsm_engine_commit(eng));
    assert_int_equal(s.n, 3);   /* the version's document, the open and the one update */
    assert_true(event_is_policy(s.ev[0]));
    assert_int_equal(count_record_events(s.ev, s.n), 2);
    free(before), free(after);
    itsm_engine_free(eng);
    gstore_free(&s);
}

/* Freeing an engine inside a group drops the store's group. */
static void freeing_the_engine_inside_a_group_aborts_it(void **state)
{
    (void)state;
    gstore s = { 0 };
    vclock c = { T0 };
    itsm_engine *eng = engine_on(&s, &c, NULL);
    incident(eng, "INC-1");
    assert_ok(itsm_engine_begin(eng));
    incident(eng, "INC-2");
    itsm_engine_free(eng);
    assert_int_equal(s.aborts, 1);
    assert_int_equal(s.n, 2);   /* the version's document and INC-1's open */
    assert_int_equal(count_record_events(s.ev, s.n), 1);
    gstore_free(&s);
}

/* If the engine cannot reload after a rollback (the store cannot be read),
 * it says so and refuses every further change. */
static void a_reload_that_fails_leaves_an_engine_that_refuses_changes(void **state)
{
    (void)state;
    gstore s = { 0 };
    vclock c = { T0 };
    itsm_engine *eng = engine_on(&s, &c, NULL);
    incident(eng, "INC-1");
    assert_ok(itsm_engine_begin(eng));
    incident(eng, "INC-2");
    s.fail_scan = 1;
    assert_fails(eng, itsm_engine_rollback(eng), ITSM_ESTORE, "could not go back to the last commit");
    itsm_record *r = NULL;
    itsm_record_opts o = ITSM_RECORD_OPTS_INIT;
    assert_fails(eng, itsm_record_open(&r, eng, &o), ITSM_ESTATE, "free it");
    assert_fails(eng, itsm_engine_begin(eng), ITSM_ESTATE, "free it");
    itsm_engine_free(eng);
    gstore_free(&s);
}

/* Allocation failures inside a group: each failing call changes nothing
 * (not even the group), and the group commits what succeeded. */
static void allocation_failures_inside_a_group_change_nothing(void **state)
{
    (void)state;
    for (long fail_at = 1;; fail_at++) {
        gstore s = { 0 };
        vclock c = { T0 };
        failalloc fa = { 0 };
        itsm_allocator a = failalloc_make(&fa);
        itsm_engine *eng = engine_on(&s, &c, &a);
        assert_ok(itsm_engine_begin(eng));
        itsm_record *r = incident(eng, "INC-1");
        char *before = engine_dump(eng);
        size_t appended = s.n;
        fa.fail_at = fa.calls + fail_at;
        itsm_note_opts no = ITSM_NOTE_OPTS_INIT;
        no.text = "a note that needs memory";
        int rc = itsm_record_add_note(r, &no);
        fa.fail_at = 0;
        if (rc == ITSM_ENOMEM) {
            char *after = engine_dump(eng);
            assert_string_equal(before, after);
            assert_int_equal(s.n, appended);
            free(after);
        } else {
            assert_ok(rc);
        }
        heard = 0;
        assert_ok(itsm_engine_commit(eng));
        /* the sink hears exactly the records' events the store kept (not
         * the version's document) */
        assert_int_equal(heard, count_record_events(s.ev, s.n));
        assert_int_equal(s.n - heard, 1);
        free(before);
        itsm_engine_free(eng);
        assert_int_equal(fa.live, 0);
        gstore_free(&s);
        if (rc == ITSM_OK)
            break;
    }
}

/* What the sink heard: one entry per call, the events' record and
 * revision joined ("INC-1/2 INC-2/2" for a link's two events). */
static char heard_calls[8][64];
static size_t ncalls;
static void call_sink(void *user, const itsm_event *const *evs, size_t n)
{
    (void)user;
    if (ncalls == 8)
        return;
    char *out = heard_calls[ncalls++];
    out[0] = '\0';
    for (size_t i = 0; i < n; i++)
        snprintf(out + strlen(out), 64 - strlen(out), "%s%s/%llu", i ? " " : "", itsm_event_record_id(evs[i]),
                 (unsigned long long)itsm_event_revision(evs[i]));
}

static int note(itsm_record *r, const char *text)
{
    itsm_note_opts o = ITSM_NOTE_OPTS_INIT;
    o.text = text;
    return itsm_record_add_note(r, &o);
}

/* engine.h: the sink hears nothing until the commit, then "every change of
 * the group, one call per mutation, in order" - a link's two events come
 * in one call, as without a group. The group counts the events appended;
 * a refused call adds none. */
static void the_sink_hears_each_mutation_of_a_group_as_one_call_at_the_commit(void **state)
{
    (void)state;
    gstore s = { 0 };
    vclock c = { T0 };
    itsm_engine *eng = engine_with(&s, &c, NULL, call_sink);
    itsm_record *a = incident(eng, "INC-1");   /* before the group: heard at once */
    assert_int_equal(ncalls, 1);
    ncalls = 0;
    assert_ok(itsm_engine_begin(eng));
    itsm_record *b = incident(eng, "INC-2");
    assert_ok(note(a, "first"));
    assert_ok(itsm_record_link(a, ITSM_LINK_RELATED, b));
    assert_int_equal(itsm_engine_group_events(eng), 4);
    assert_fails(eng, note(a, "   "), ITSM_EINVAL, "text");   /* refused: nothing appended */
    assert_int_equal(itsm_engine_group_events(eng), 4);
    assert_ok(note(b, "last"));
    assert_int_equal(itsm_engine_group_events(eng), 5);
    assert_int_equal(ncalls, 0);
    assert_ok(itsm_engine_commit(eng));
    assert_int_equal(ncalls, 4);
    assert_string_equal(heard_calls[0], "INC-2/1");
    assert_string_equal(heard_calls[1], "INC-1/2");
    assert_string_equal(heard_calls[2], "INC-1/3 INC-2/2");
    assert_string_equal(heard_calls[3], "INC-2/3");
    assert_int_equal(itsm_engine_group_events(eng), 0);
    itsm_engine_free(eng);
    gstore_free(&s);
}

/* An adoption inside a group is part of it (engine.h): a group not kept -
 * rolled back, or a commit the store refuses - leaves the engine under the
 * version in force at itsm_engine_begin, as a reload of the store does,
 * and the next event names that version, not the dropped one. */
static void a_group_not_kept_undoes_an_adoption_inside_it(void **state)
{
    (void)state;
    itsm_policy *two;
    assert_ok(itsm_policy_new_default(&two, NULL));
    assert_ok(itsm_policy_set_name(two, "two"));
    char h[65];
    assert_ok(itsm_policy_hash(two, h));
    for (int failing_commit = 0; failing_commit <= 1; failing_commit++) {
        gstore s = { 0 };
        vclock clock = { T0 };
        itsm_engine *eng = engine_on(&s, &clock, NULL);
        incident(eng, "INC-1");
        char v0[17];
        snprintf(v0, sizeof v0, "%s", itsm_engine_policy_version(eng));
        size_t stored = s.n;
        assert_ok(itsm_engine_begin(eng));
        assert_ok(itsm_engine_adopt_policy(eng, two));
        assert_int_equal(strncmp(itsm_engine_policy_version(eng), h, 16), 0);
        incident(eng, "INC-2");
        if (failing_commit) {
            s.fail_commit = 1;
            assert_int_equal(itsm_engine_commit(eng), ITSM_ESTORE);
            s.fail_commit = 0;
        } else {
            assert_ok(itsm_engine_rollback(eng));
        }
        assert_int_equal(s.n, stored);
        assert_string_equal(itsm_engine_policy_version(eng), v0);
        /* the next record is under the version the store holds */
        itsm_record *r = incident(eng, "INC-3");
        assert_string_equal(itsm_record_policy_version(r), v0);
        assert_int_equal(s.n, stored + 1);
        itsm_engine_free(eng);
        /* and an engine loading the store sees the same */
        itsm_engine *again = engine_on(&s, &clock, NULL);
        assert_ok(itsm_engine_load(again));
        assert_string_equal(itsm_engine_policy_version(again), v0);
        itsm_engine_free(again);
        gstore_free(&s);
    }
    itsm_policy_free(two);
}

/* The engine's answers under the policy in force (whether escalation has
 * routes, core/batch.c's itsm__policy_idle) follow a rollback too: an
 * adoption undone brings back the routing of the version restored. */
static void a_rollback_restores_the_routing_of_the_version_in_force(void **state)
{
    (void)state;
    itsm_policy *plain, *routed;
    assert_ok(itsm_policy_new_default(&plain, NULL));
    assert_ok(itsm_policy_new_default(&routed, NULL));
    assert_ok(itsm_policy_add_route(routed, "network", NULL, "Network"));
    gstore s = { 0 };
    vclock clock = { T0 };
    itsm_engine *eng = engine_on(&s, &clock, NULL);
    assert_ok(itsm_engine_adopt_policy(eng, routed));
    itsm_change cat[1] = { { ITSM_F_CATEGORY, "network", 0 } };
    itsm_record_opts o = ITSM_RECORD_OPTS_INIT;
    o.fields = cat;
    o.nfields = 1;
    itsm_record *r = NULL;
    assert_ok(itsm_record_open(&r, eng, &o));
    assert_string_equal(itsm_record_str(r, ITSM_F_ASSIGNMENT_GROUP), "Network");
    assert_ok(itsm_engine_begin(eng));
    assert_ok(itsm_engine_adopt_policy(eng, plain));   /* a version the engine knows */
    assert_ok(itsm_record_open(&r, eng, &o));
    assert_null(itsm_record_str(r, ITSM_F_ASSIGNMENT_GROUP));
    assert_ok(itsm_engine_rollback(eng));
    assert_ok(itsm_record_open(&r, eng, &o));
    assert_string_equal(itsm_record_str(r, ITSM_F_ASSIGNMENT_GROUP), "Network");
    itsm_engine_free(eng);
    gstore_free(&s);
    itsm_policy_free(routed);
    itsm_policy_free(plain);
}

/* A committed adoption stays (the control of the test above). */
static void a_committed_adoption_stays(void **state)
{
    (void)state;
    itsm_policy *two;
    assert_ok(itsm_policy_new_default(&two, NULL));
    assert_ok(itsm_policy_set_name(two, "two"));
    gstore s = { 0 };
    vclock clock = { T0 };
    itsm_engine *eng = engine_on(&s, &clock, NULL);
    incident(eng, "INC-1");
    assert_ok(itsm_engine_begin(eng));
    assert_ok(itsm_engine_adopt_policy(eng, two));
    assert_ok(itsm_engine_commit(eng));
    char h[65];
    assert_ok(itsm_policy_hash(two, h));
    assert_int_equal(strncmp(itsm_engine_policy_version(eng), h, 16), 0);
    assert_int_equal(strncmp(itsm_record_policy_version(incident(eng, "INC-2")), h, 16), 0);
    itsm_engine_free(eng);
    gstore_free(&s);
    itsm_policy_free(two);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_group_needs_a_store_with_groups_and_scan),
        cmocka_unit_test(groups_do_not_nest_and_end_once),
        cmocka_unit_test(group_calls_are_refused_from_inside_a_callback),
        cmocka_unit_test(a_refused_step_inside_a_group_leaves_it_open),
        cmocka_unit_test(freeing_the_engine_inside_a_group_aborts_it),
        cmocka_unit_test(a_reload_that_fails_leaves_an_engine_that_refuses_changes),
        cmocka_unit_test(allocation_failures_inside_a_group_change_nothing),
        cmocka_unit_test(the_sink_hears_each_mutation_of_a_group_as_one_call_at_the_commit),
        cmocka_unit_test(a_group_not_kept_undoes_an_adoption_inside_it),
        cmocka_unit_test(a_committed_adoption_stays),
        cmocka_unit_test(a_rollback_restores_the_routing_of_the_version_in_force),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
