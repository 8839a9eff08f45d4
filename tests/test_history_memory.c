/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The record's history is read back from the host's store
 * (itsm_record_timeline through the store's read_record), so an open
 * incident's memory does not grow with its history: a record changed two
 * thousand times holds what it held after two hundred changes, and its
 * whole history is still there to show. (The first steps may fill working
 * arrays up to a size set by the number of records - the deadline queue
 * keeps re-planned timers until it compacts them - so the measure starts
 * once they are warm.)
 */
#include "support.h"
#include "byte_count.h"

#include <stdlib.h>
#include <string.h>

/* One step of the record's working life: the group, assignee, impact and
 * a text field move between two values each. */
static void churn(itsm_record *r, int i)
{
    itsm_change ch[] = {
        { ITSM_F_ASSIGNMENT_GROUP, i % 2 ? "network" : "messaging", 0 },
        { ITSM_F_ASSIGNEE, i % 2 ? "bob" : "carol", 0 },
        { ITSM_F_IMPACT, NULL, 1 + i % 3 },
        { ITSM_F_DESCRIPTION, i % 2 ? "relay restarted, watching" : "relay down again, looking", 0 },
    };
    assert_ok(itsm_record_update(r, ch, 4));
}

static void an_open_incidents_memory_does_not_grow_with_its_history(void **state)
{
    (void)state;
    bytecount b = { 0 };
    memstore ms;
    memstore_init(&ms);
    vclock clock = { T0 };
    itsm_engine_opts o = ITSM_ENGINE_OPTS_INIT;
    o.store = &memstore_methods;
    o.store_user = &ms;
    o.clock = vclock_read;
    o.clock_user = &clock;
    o.alloc = bytecount_allocator(&b);
    itsm_engine *eng;
    assert_ok(itsm_engine_new(&eng, &o));
    assert_ok(itsm_engine_set_actor(eng, "alice"));
    itsm_change init[] = { { ITSM_F_SUMMARY, "Mail is down", 0 }, { ITSM_F_URGENCY, NULL, 2 } };
    itsm_record_opts ro = ITSM_RECORD_OPTS_INIT;
    ro.fields = init;
    ro.nfields = 2;
    itsm_record *r;
    assert_ok(itsm_record_open(&r, eng, &ro));
    int i = 0;
    for (; i < 200; i++) {
        clock.now += 60;
        churn(r, i);
    }
    size_t warm = b.live;
    for (; i < 2000; i++) {
        clock.now += 60;
        churn(r, i);
    }
    assert_int_equal(b.live, warm);
    assert_int_equal(itsm_record_revision(r), 2001);

    /* the history is the store's: all of it, in order */
    itsm_timeline *tl;
    assert_ok(itsm_record_timeline(&tl, r));
    assert_int_equal(itsm_timeline_complete(tl), 1);
    assert_int_equal(itsm_timeline_count(tl), 2001);
    itsm_timeline_entry e = { .size = sizeof e };
    assert_ok(itsm_timeline_at(tl, 2000, &e));
    assert_int_equal(e.revision, 2001);
    assert_int_equal(e.at, T0 + 2000 * 60);
    itsm_field_change c = { .size = sizeof c };
    assert_ok(itsm_timeline_change_at(tl, 2000, 0, &c));
    assert_string_equal(c.field, "assignment_group");
    assert_string_equal(c.old_value, "messaging");
    assert_string_equal(c.new_value, "network");
    itsm_timeline_free(tl);
    assert_int_equal(b.live, warm);   /* the snapshot is freed whole */
    itsm_engine_free(eng);
    assert_int_equal(b.live, 0);
    memstore_free(&ms);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(an_open_incidents_memory_does_not_grow_with_its_history),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
