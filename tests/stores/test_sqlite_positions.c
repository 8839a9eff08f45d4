/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A libitsm-sqlite handle's position (itsm_sqlite_position: "the newest
 * event this handle has replayed or knows the engine to hold") when its
 * own appends land after another writer's: catching up afterwards still
 * reads the other writer's events, whether the own appends were plain,
 * grouped, or grouped through the pipeline.
 */
#define _POSIX_C_SOURCE 200809L /* mkdtemp */
#include "sqlite_host.h"

#include <stdio.h>

static void host_open(host *h, int pipeline)
{
    itsm_sqlite_opts so = ITSM_SQLITE_OPTS_INIT;
    so.pipeline = pipeline;
    sqlite_host_open(h, &so, T0, 1);
}

static void open_incident(host *h, const char *id)
{
    assert_ok(store_open_incident(h->eng, id));
}

static uint64_t revision(host *h, const char *id)
{
    itsm_record *r;
    assert_ok(itsm_record_find(&r, h->eng, id));
    return itsm_record_revision(r);
}

static void note(host *h, const char *id)
{
    assert_ok(store_note(h->eng, id, "noted"));
}

/* mode 0: plain appends; 1: a group; 2: a pipelined group. */
static void own_appends_after_anothers_do_not_move_the_position_past_them(void **state)
{
    (void)state;
    for (int mode = 0; mode < 3; mode++) {
        snprintf(path, sizeof path, "%s/m%d.db", store_dir, mode);
        host a, b;
        host_open(&a, mode == 2);
        open_incident(&a, "INC-A");
        host_open(&b, 0);
        assert_int_equal(itsm_sqlite_position(b.db), itsm_sqlite_position(a.db));
        open_incident(&b, "INC-B");   /* a does not know these two yet */
        note(&b, "INC-B");

        if (mode)
            assert_ok(itsm_engine_begin(a.eng));
        note(&a, "INC-A");   /* lands after b's, on another record: no conflict */
        note(&a, "INC-A");
        if (mode)
            assert_ok(itsm_engine_commit(a.eng));

        size_t nread = 0;
        assert_ok(itsm_sqlite_catch_up(a.db, a.eng, &nread));
        itsm_record *r;
        if (itsm_record_find(&r, a.eng, "INC-B") != ITSM_OK)
            fail_msg("mode %d: catching up after its own appends missed the other writer's (read %zu)", mode, nread);
        assert_int_equal(revision(&a, "INC-B"), 2);
        assert_int_equal(revision(&a, "INC-A"), 3);
        uint64_t n = 0;
        assert_ok(itsm_sqlite_count(a.db, &n));
        assert_int_equal(itsm_sqlite_position(a.db), n);   /* now it has every event */
        nread = 1;
        assert_ok(itsm_sqlite_catch_up(a.db, a.eng, &nread));
        assert_int_equal(nread, 0);
        host_close(&b);
        host_close(&a);
    }
}

int main(void)
{
    if (sqlite_tmpdir_make("/tmp/itsm-positions.XXXXXX"))
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(own_appends_after_anothers_do_not_move_the_position_past_them),
    };
    return sqlite_tmpdir_remove(cmocka_run_group_tests(tests, NULL, NULL));
}
