/* SPDX-License-Identifier: Apache-2.0 */
/*
 * contract_append.c - the store contract (contract.h): appends. A batch is kept whole or not at
 * all, scan gives every event back in append order, and a stale revision,
 * a taken id or a gap is a conflict that changes nothing.
 */
#include "contract_int.h"

#include "scenario.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A link writes one event on each record in one append. When the second
 * event's record is stale, the first must not be kept either. Both orders
 * are tried, so the refused event is once the first and once the second. */
void append_keeps_a_whole_batch_or_nothing(void **state)
{
    (void)state;
    for (int stale_second = 0; stale_second < 2; stale_second++) {
        drv->wipe("batch");
        node a, b;
        node_open(&a, "batch", NULL, NULL);
        node_open(&b, "batch", NULL, NULL);
        itsm_record *x = open_incident(&a, "INC-X");
        itsm_record *y = open_incident(&a, "INC-Y");
        catch_up(&b);
        /* b moves one of the two records on; a's link then conflicts on it */
        assert_ok(work_note(find(&b, stale_second ? "INC-Y" : "INC-X"), "moved on by b"));
        char *before = engine_dump(a.eng);
        uint64_t n = stored(&a);
        assert_int_equal(itsm_record_link(x, ITSM_LINK_RELATED, y), ITSM_ECONFLICT);
        char *after = engine_dump(a.eng);
        assert_same(before, after, "engine before and after the refused batch");
        assert_int_equal(stored(&a), n);
        char *kept = dump_of_store("batch"), *bs = engine_dump(b.eng);
        assert_same(bs, kept, "the store and the engine that wrote it");
        /* caught up, the same link goes through whole */
        catch_up(&a);
        assert_ok(itsm_record_link(find(&a, "INC-X"), ITSM_LINK_RELATED, find(&a, "INC-Y")));
        assert_int_equal(stored(&a), n + 2);
        free(before), free(after), free(kept), free(bs);
        node_close(&a);
        node_close(&b);
    }
}

/* The whole test story (every record kind, links, notes, actors): scan
 * gives back exactly the events accepted, byte for byte, in the order
 * they were accepted, after the document of the version they name. */
void scan_gives_every_event_in_append_order(void **state)
{
    (void)state;
    drv->wipe("scan");
    recording rec = { NULL, 0 };
    node a;
    node_open(&a, "scan", record_sink, &rec);
    scenario sc;
    scenario_init(&sc, a.eng, &a.clock);
    for (size_t i = 0; i < scenario_nsteps; i++) {
        a.clock.now = scenario_clock(i);
        int rc = scenario_run_step(&sc, i);
        if (rc != ITSM_OK)
            fail_msg("step %zu (%s): %s (%s)", i, scenario_steps[i].name, itsm_errname(rc), itsm_errmsg(a.eng));
    }
    assert_true(rec.n > 30);
    void *h = open_handle("scan");
    scanned s = { &rec, 0, 0, 0, 0 };
    assert_ok(drv->methods()->scan(h, scan_emit, &s));
    assert_int_equal(s.n, rec.n);
    assert_false(s.mismatch);
    assert_int_equal(s.npolicy, 1);
    assert_int_equal(s.policy_at, 0);
    drv->close(h);
    node_close(&a);
    for (size_t i = 0; i < rec.n; i++)
        free(rec.json[i]);
    free(rec.json);
}

/* Two engines on one store: the one holding an old revision is refused,
 * changes nothing, catches up and then succeeds. */
void stale_revision_is_a_conflict_and_changes_nothing(void **state)
{
    (void)state;
    drv->wipe("stale");
    node a, b;
    node_open(&a, "stale", NULL, NULL);
    node_open(&b, "stale", NULL, NULL);
    open_incident(&a, "INC-S");
    catch_up(&b);
    assert_ok(itsm_record_set_str(find(&a, "INC-S"), ITSM_F_CATEGORY, "hardware"));
    char *before = engine_dump(b.eng);
    uint64_t n = stored(&b);
    assert_fails(b.eng, itsm_record_set_str(find(&b, "INC-S"), ITSM_F_CATEGORY, "network"), ITSM_ECONFLICT,
                 "another engine changed the record first");
    char *after = engine_dump(b.eng);
    assert_same(before, after, "the stale engine before and after its refused change");
    assert_int_equal(stored(&b), n);
    assert_int_equal(catch_up(&b) >= 1, 1);
    assert_ok(itsm_record_set_str(find(&b, "INC-S"), ITSM_F_CATEGORY, "network"));
    catch_up(&a);
    char *da = engine_dump(a.eng), *db = engine_dump(b.eng), *ds = dump_of_store("stale");
    assert_same(da, db, "the two engines after catching up");
    assert_same(da, ds, "an engine and the store");
    assert_int_equal(itsm_record_revision(find(&a, "INC-S")), 3);
    free(before), free(after), free(da), free(db), free(ds);
    node_close(&a);
    node_close(&b);
}

/* Opening a record whose id another engine already stored is a conflict
 * too (its "open" event is revision 1, and the store holds one). */
void open_of_a_taken_id_is_a_conflict(void **state)
{
    (void)state;
    drv->wipe("taken");
    node a, b;
    node_open(&a, "taken", NULL, NULL);
    node_open(&b, "taken", NULL, NULL);
    open_incident(&a, "INC-T");
    itsm_change f = { ITSM_F_SUMMARY, "the same id", 0 };
    itsm_record_opts o = ITSM_RECORD_OPTS_INIT;
    o.id = "INC-T";
    o.fields = &f;
    o.nfields = 1;
    itsm_record *r = NULL;
    assert_fails(b.eng, itsm_record_open(&r, b.eng, &o), ITSM_ECONFLICT, "another engine opened a record");
    assert_int_equal(itsm_engine_record_count(b.eng), 0);
    assert_int_equal(stored(&b), 2);   /* a's open and its version's document, nothing of b's */
    node_close(&a);
    node_close(&b);
}

typedef struct copy_ctx { itsm_engine *into; } copy_ctx;

static int copy_emit(void *ctx, const char *doc, size_t len)
{
    return itsm_engine_replay(((copy_ctx *)ctx)->into, doc, len, NULL);   /* either form */
}

/* An engine whose record is ahead of the store (the store lost events, or
 * is another store): its next event would leave a gap, and is refused. */
void append_after_a_gap_is_a_conflict(void **state)
{
    (void)state;
    drv->wipe("gap-full");
    drv->wipe("gap-empty");
    node a, b;
    node_open(&a, "gap-full", NULL, NULL);
    itsm_record *r = open_incident(&a, "INC-G");
    assert_ok(work_note(r, "one"));
    assert_ok(work_note(r, "two"));
    node_open(&b, "gap-empty", NULL, NULL);
    copy_ctx cc = { b.eng };
    assert_ok(drv->methods()->scan(a.h, copy_emit, &cc));   /* b holds revision 3, its store nothing */
    assert_int_equal(itsm_record_revision(find(&b, "INC-G")), 3);
    assert_int_equal(work_note(find(&b, "INC-G"), "three"), ITSM_ECONFLICT);
    assert_int_equal(itsm_record_revision(find(&b, "INC-G")), 3);
    assert_int_equal(stored(&b), 0);
    node_close(&a);
    node_close(&b);
}
