/* SPDX-License-Identifier: Apache-2.0 */
/*
 * contract_engine_group.c - the store contract (contract.h): the engine's group commit over the
 * store (itsm_engine_begin): one write with the same events, rollback to
 * the last commit, a commit the store did not keep reloads the last one.
 */
#include "contract_int.h"

#include "scenario.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The same story with and without a group leaves the same store; inside
 * the group later calls see earlier ones, another engine sees nothing and
 * the sink hears nothing until the commit, then every step in order. */
void engine_group_is_one_write_with_the_same_events(void **state)
{
    (void)state;
    drv->wipe("eg-plain");
    drv->wipe("eg-group");
    recording plain = { NULL, 0 }, grouped = { NULL, 0 };
    node a, b;
    node_open(&a, "eg-plain", record_sink, &plain);
    node_open(&b, "eg-group", record_sink, &grouped);
    scenario sa, sb;
    scenario_init(&sa, a.eng, &a.clock);
    scenario_init(&sb, b.eng, &b.clock);
    assert_ok(itsm_engine_begin(b.eng));
    for (size_t i = 0; i < scenario_nsteps; i++) {
        a.clock.now = b.clock.now = scenario_clock(i);
        assert_ok(scenario_run_step(&sa, i));
        int rc = scenario_run_step(&sb, i);
        if (rc != ITSM_OK)
            fail_msg("step %zu in a group: %s (%s)", i, itsm_errname(rc), itsm_errmsg(b.eng));
    }
    assert_int_equal(itsm_engine_group_events(b.eng), plain.n);
    assert_int_equal(grouped.n, 0);   /* the sink waits for the commit */
    void *other = open_handle("eg-group");
    assert_int_equal(count_of(other), 0);
    char *da = engine_dump(a.eng), *db = engine_dump(b.eng);
    assert_same(da, db, "reads inside the group and without one");
    assert_ok(itsm_engine_commit(b.eng));
    assert_int_equal(itsm_engine_group_events(b.eng), 0);
    assert_int_equal(count_of(other), plain.n + 1);   /* and the version's document */
    assert_int_equal(grouped.n, plain.n);
    for (size_t i = 0; i < plain.n; i++)
        assert_string_equal(grouped.json[i], plain.json[i]);
    char *ka = dump_of_store("eg-plain"), *kb = dump_of_store("eg-group");
    assert_same(ka, kb, "the stores written with and without a group");
    scanned s = { &plain, 0, 0, 0, 0 };
    assert_ok(drv->methods()->scan(other, scan_emit, &s));
    assert_false(s.mismatch);
    assert_int_equal(s.npolicy, 1);
    free(da), free(db), free(ka), free(kb);
    drv->close(other);
    node_close(&a);
    node_close(&b);
    for (size_t i = 0; i < plain.n; i++) {
        free(plain.json[i]);
        free(grouped.json[i]);
    }
    free(plain.json);
    free(grouped.json);
}

/* Rollback: the store keeps none of the group, the sink hears none of it,
 * and the engine is back at the last commit (reloaded from the store). */
void engine_rollback_goes_back_to_the_last_commit(void **state)
{
    (void)state;
    drv->wipe("eg-rollback");
    recording heard = { NULL, 0 };
    node a;
    node_open(&a, "eg-rollback", record_sink, &heard);
    open_incident(&a, "INC-B0");
    assert_ok(work_note(find(&a, "INC-B0"), "committed"));
    char *before = engine_dump(a.eng);
    size_t heard_before = heard.n;
    assert_ok(itsm_engine_begin(a.eng));
    open_incident(&a, "INC-B1");
    assert_ok(work_note(find(&a, "INC-B0"), "rolled back"));
    assert_int_equal(itsm_engine_record_count(a.eng), 2);
    assert_ok(itsm_engine_rollback(a.eng));
    char *after = engine_dump(a.eng), *kept = dump_of_store("eg-rollback");
    assert_same(before, after, "the engine before the group and after its rollback");
    assert_same(before, kept, "the engine and the store after the rollback");
    assert_int_equal(heard.n, heard_before);
    /* and it carries on, in a group or not */
    assert_ok(work_note(find(&a, "INC-B0"), "after the rollback"));
    assert_ok(itsm_engine_begin(a.eng));
    open_incident(&a, "INC-B1");
    assert_ok(itsm_engine_commit(a.eng));
    char *end = engine_dump(a.eng), *end_kept = dump_of_store("eg-rollback");
    assert_same(end, end_kept, "the engine and the store at the end");
    free(before), free(after), free(kept), free(end), free(end_kept);
    node_close(&a);
    for (size_t i = 0; i < heard.n; i++)
        free(heard.json[i]);
    free(heard.json);
}

/* The driver's store with a commit that fails: the store's group is
 * aborted and ITSM_ESTORE returned, as a store whose disk fails would. */
static void *failing_inner;
static int fail_append(void *u, const itsm_event *const *e, size_t n)
{
    (void)u;
    return drv->methods()->append(failing_inner, e, n);
}
static int fail_scan(void *u, itsm_store_emit_fn emit, void *ctx)
{
    (void)u;
    return drv->methods()->scan(failing_inner, emit, ctx);
}
static int fail_group(void *u, int op)
{
    (void)u;
    if (op != ITSM_STORE_GROUP_COMMIT)
        return drv->methods()->group(failing_inner, op);
    drv->methods()->group(failing_inner, ITSM_STORE_GROUP_ABORT);
    return ITSM_ESTORE;
}
static const itsm_store failing_commit = { ITSM_STORE_VERSION, fail_append, fail_scan, NULL, NULL, fail_group };

void engine_group_not_kept_reloads_the_last_commit(void **state)
{
    (void)state;
    drv->wipe("eg-failed");
    failing_inner = open_handle("eg-failed");
    recording heard = { NULL, 0 };
    vclock clock = { T0 };
    itsm_engine_opts o = ITSM_ENGINE_OPTS_INIT;
    o.store = &failing_commit;
    o.clock = vclock_read;
    o.clock_user = &clock;
    o.sink = record_sink;
    o.sink_user = &heard;
    itsm_engine *eng;
    assert_ok(itsm_engine_new(&eng, &o));
    node shim = { failing_inner, eng, { T0 } };
    open_incident(&shim, "INC-F0");
    char *before = engine_dump(eng);
    assert_ok(itsm_engine_begin(eng));
    open_incident(&shim, "INC-F1");
    assert_ok(work_note(find(&shim, "INC-F0"), "lost"));
    assert_fails(eng, itsm_engine_commit(eng), ITSM_ESTORE, "the engine was reloaded from the store");
    char *after = engine_dump(eng);
    assert_same(before, after, "the engine before the group and after its failed commit");
    assert_int_equal(heard.n, 1);   /* the open before the group, nothing of it */
    assert_int_equal(count_of(failing_inner), 2);   /* and the version's document before it */
    assert_ok(work_note(find(&shim, "INC-F0"), "carries on"));
    itsm_engine_free(eng);
    drv->close(failing_inner);
    free(before), free(after);
    for (size_t i = 0; i < heard.n; i++)
        free(heard.json[i]);
    free(heard.json);
}
