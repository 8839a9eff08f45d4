/* SPDX-License-Identifier: Apache-2.0 */
/*
 * An opening reserves its record's place in the record list and the id
 * index with one test, against the room both hold as they are
 * (core/mutate.c: reserve_opening, eng->rec_room, measured again each
 * time they grow and emptied with the index when the engine is reset).
 * The room never says more than there is: every record opened across
 * the list's and the index's growth, a size hint, and a rollback that
 * empties and reloads the engine is found by its id and its position.
 * The checked build (ITSM_CHECK_REPLAN) compares the one test with the
 * three it stands for at every opening.
 */
#include "support.h"
#include "group_store.h"

#include <stdio.h>
#include <string.h>

static void open_id(itsm_engine *eng, const char *id)
{
    itsm_change ch[] = { { ITSM_F_SUMMARY, "Mail relay down", 0 }, { ITSM_F_IMPACT, NULL, 2 } };
    itsm_record_opts o = ITSM_RECORD_OPTS_INIT;
    o.id = id;
    o.fields = ch;
    o.nfields = 2;
    itsm_record *r = NULL;
    assert_ok(itsm_record_open(&r, eng, &o));
    assert_string_equal(itsm_record_id(r), id);
}

/* Records 0..n-1 of prefix `pfx` are there, at positions from `at`. */
static void all_found(itsm_engine *eng, const char *pfx, int n, size_t at)
{
    char id[32];
    for (int i = 0; i < n; i++) {
        snprintf(id, sizeof id, "%s%05d", pfx, i);
        itsm_record *r = NULL, *q = NULL;
        assert_ok(itsm_record_find(&r, eng, id));
        assert_ok(itsm_engine_record_at(&q, eng, at + (size_t)i));
        assert_ptr_equal(r, q);
    }
}

static void openings_across_the_growth_of_the_list_and_the_index_are_all_found(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    char id[32];
    for (int i = 0; i < 3000; i++) {
        if (i == 700)   /* a size hint in between: room made ahead */
            assert_ok(itsm_engine_reserve(f.eng, 1000, 0));
        snprintf(id, sizeof id, "ROOM%05d", i);
        open_id(f.eng, id);
    }
    assert_int_equal(itsm_engine_record_count(f.eng), 3000);
    all_found(f.eng, "ROOM", 3000, 0);
    itsm_record *r = NULL;
    itsm_record_opts o = ITSM_RECORD_OPTS_INIT;
    o.id = "ROOM00042";
    assert_fails(f.eng, itsm_record_open(&r, f.eng, &o), ITSM_EEXISTS, "already exists");
    fixture_close(&f);
}

/* `kept` records committed, 40 more rolled back: the engine emptied
 * (its index too) and loaded again, then 300 openings. */
static void roll_back_and_open(int kept)
{
    gstore s = { 0 };
    vclock c = { T0 };
    itsm_engine_opts o = ITSM_ENGINE_OPTS_INIT;
    o.store = &gmethods;
    o.store_user = &s;
    o.clock = vclock_read;
    o.clock_user = &c;
    itsm_engine *eng = NULL;
    assert_ok(itsm_engine_new(&eng, &o));
    char id[32];
    for (int i = 0; i < kept; i++) {
        snprintf(id, sizeof id, "KEPT%05d", i);
        open_id(eng, id);
    }
    assert_ok(itsm_engine_begin(eng));
    for (int i = 0; i < 40; i++) {
        snprintf(id, sizeof id, "GONE%05d", i);
        open_id(eng, id);
    }
    assert_ok(itsm_engine_rollback(eng));
    assert_int_equal(itsm_engine_record_count(eng), (size_t)kept);
    for (int i = 0; i < 300; i++) {
        snprintf(id, sizeof id, "NEXT%05d", i);
        open_id(eng, id);
    }
    assert_int_equal(itsm_engine_record_count(eng), (size_t)kept + 300);
    all_found(eng, "KEPT", kept, 0);
    all_found(eng, "NEXT", 300, (size_t)kept);
    itsm_record *r = NULL;
    assert_int_equal(itsm_record_find(&r, eng, "GONE00001"), ITSM_ENOTFOUND);
    itsm_engine_free(eng);
    gstore_free(&s);
}

/* With no record to load again, the emptied index holds none: the room
 * the openings before the rollback had made is not taken for it. */
static void after_a_rollback_reloads_the_engine_openings_find_their_room_again(void **state)
{
    (void)state;
    roll_back_and_open(0);
    roll_back_and_open(40);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(openings_across_the_growth_of_the_list_and_the_index_are_all_found),
        cmocka_unit_test(after_a_rollback_reloads_the_engine_openings_find_their_room_again),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
