/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A store table of an older version is read as that version (sys/store.h
 * "VERSIONS"): the slots it lacks count as NULL, whatever the bytes after
 * them hold. A version 1 table has no read_record, so a record's history
 * is its notes only; a version 2 table has read_record but no group, so
 * the whole history reads back and group commit is refused.
 */
#include "support.h"

#include <string.h>

static int slot_called;

/* Stands in a slot the table's version does not have: never to be called. */
static int never_read(void *user, const char *id, itsm_store_emit_fn emit, void *ctx)
{
    (void)user;
    (void)id;
    (void)emit;
    (void)ctx;
    slot_called++;
    return ITSM_ESTORE;
}

static int never_group(void *user, int op)
{
    (void)user;
    (void)op;
    slot_called++;
    return ITSM_ESTORE;
}

/* An engine over `st` and a fresh store; an incident with one note and
 * one change; then the history and a group as the table's version allows. */
static void run(itsm_store *st, int want_complete)
{
    memstore ms;
    memstore_init(&ms);
    vclock clock = { T0 };
    itsm_engine_opts o = ITSM_ENGINE_OPTS_INIT;
    o.store = st;
    o.store_user = &ms;
    o.clock = vclock_read;
    o.clock_user = &clock;
    itsm_engine *eng;
    assert_ok(itsm_engine_new(&eng, &o));
    itsm_record_opts ro = ITSM_RECORD_OPTS_INIT;
    itsm_record *r;
    assert_ok(itsm_record_open(&r, eng, &ro));
    itsm_note_opts no = ITSM_NOTE_OPTS_INIT;
    no.text = "called the user back";
    assert_ok(itsm_record_add_note(r, &no));
    assert_ok(itsm_record_set_str(r, ITSM_F_CATEGORY, "email"));

    itsm_timeline *tl;
    assert_ok(itsm_record_timeline(&tl, r));
    assert_int_equal(itsm_timeline_complete(tl), want_complete);
    assert_int_equal(itsm_timeline_count(tl), want_complete ? 3 : 1);
    itsm_timeline_free(tl);

    assert_fails(eng, itsm_engine_begin(eng), ITSM_EINVAL, "group");
    assert_int_equal(itsm_engine_group_events(eng), 0);
    assert_int_equal(slot_called, 0);
    itsm_engine_free(eng);
    memstore_free(&ms);
}

static void an_older_store_table_has_none_of_the_later_slots(void **state)
{
    (void)state;
    itsm_store st = memstore_methods;
    assert_non_null(st.read_record);
    /* version 1: read_record and group lie past its end */
    st.version = 1;
    st.read_record = never_read;
    st.group = never_group;
    run(&st, 0);
    /* version 2: read_record is its own, group is not */
    st = memstore_methods;
    st.version = 2;
    st.group = never_group;
    run(&st, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(an_older_store_table_has_none_of_the_later_slots),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
