/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Groups (itsm_engine_begin .. _commit) on libitsm-sqlite without the
 * pipeline:
 * - a group holds the write lock until it ends (itsm/engine.h, docs/
 *   hosts.md: "SQLite's other writers wait"): the other writer waits its
 *   busy_timeout_ms and is then refused with nothing changed - neither its
 *   engine nor the file - and once the group is committed it catches up
 *   and goes on;
 * - an INSERT that fails inside a group refuses that append alone
 *   (itsm/stores/sqlite.h, pipeline: "without it only that append is
 *   refused"): the call changes nothing, even a link whose second event
 *   failed, and the commit keeps the rest of the group.
 */
#define _POSIX_C_SOURCE 200809L /* mkdtemp, clock_gettime */
#include "sqlite_host.h"

#include <sqlite3.h>

#include <string.h>
#include <time.h>

static void host_open(host *h, int busy_timeout_ms)
{
    itsm_sqlite_opts so = ITSM_SQLITE_OPTS_INIT;
    so.busy_timeout_ms = busy_timeout_ms;
    sqlite_host_open(h, &so, T0, 1);
}

static int open_incident(host *h, const char *id)
{
    return store_open_incident(h->eng, id);
}

static int note(host *h, const char *id, const char *text)
{
    return store_note(h->eng, id, text);
}

static uint64_t stored(host *h)
{
    uint64_t n = 0;
    assert_ok(itsm_sqlite_count(h->db, &n));
    return n;
}

static double seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* busy_timeout_ms < 0 does not wait, a positive one waits that long; either
 * way the refused call changes nothing, and after the commit the second
 * writer catches up with the group and goes on. */
static void a_writer_beside_an_open_group_waits_then_is_refused_unchanged(void **state)
{
    (void)state;
    const int timeouts[] = { -1, 300 };
    for (size_t t = 0; t < sizeof timeouts / sizeof *timeouts; t++) {
        setup(NULL);
        host a, b;
        host_open(&a, -1);
        assert_ok(open_incident(&a, "INC-1"));
        host_open(&b, timeouts[t]);
        assert_int_equal(itsm_engine_record_count(b.eng), 1);
        uint64_t before = stored(&b);

        assert_ok(itsm_engine_begin(a.eng));
        assert_ok(note(&a, "INC-1", "in the group"));
        assert_ok(open_incident(&a, "INC-2"));

        double t0 = seconds();
        int rc = open_incident(&b, "INC-3");
        double waited = seconds() - t0;
        if (rc != ITSM_ESTORE)
            fail_msg("busy_timeout_ms %d: a writer beside the group got %s (%s)", timeouts[t], itsm_errname(rc),
                     itsm_errmsg(b.eng));
        if (timeouts[t] > 0)
            assert_true(waited >= 0.25);   /* it waited (about) its timeout first */
        assert_int_equal(itsm_engine_record_count(b.eng), 1);
        itsm_record *r;
        assert_int_equal(itsm_record_find(&r, b.eng, "INC-3"), ITSM_ENOTFOUND);
        assert_int_equal(stored(&b), before);   /* nothing of the group visible, nothing of its own */

        assert_ok(itsm_engine_commit(a.eng));
        assert_int_equal(stored(&b), before + 2);
        size_t nread = 0;
        assert_ok(itsm_sqlite_catch_up(b.db, b.eng, &nread));
        assert_int_equal(nread, 2);
        assert_ok(itsm_record_find(&r, b.eng, "INC-1"));
        assert_int_equal(itsm_record_revision(r), 2);
        assert_ok(open_incident(&b, "INC-3"));   /* the lock is free again */
        assert_int_equal(stored(&b), before + 3);
        host_close(&b);
        host_close(&a);
    }
}

/* The failing disk as a trigger on the handle's own connection: every
 * INSERT of a `link` event of INC-2 fails (the second event of a link
 * from INC-1 to INC-2). */
static void a_failed_insert_in_a_group_refuses_that_call_alone(void **state)
{
    (void)state;
    host a;
    host_open(&a, -1);
    assert_ok(open_incident(&a, "INC-1"));
    assert_ok(open_incident(&a, "INC-2"));
    char *why = NULL;
    if (sqlite3_exec(itsm_sqlite_db(a.db),
                     "CREATE TEMP TRIGGER no_links BEFORE INSERT ON main.itsm_events"
                     " WHEN NEW.record = 'INC-2' AND NEW.type = 'link' BEGIN SELECT RAISE(ABORT, 'disk on fire'); END",
                     NULL, NULL, &why) != SQLITE_OK)
        fail_msg("trigger: %s", why);
    uint64_t before = stored(&a);

    assert_ok(itsm_engine_begin(a.eng));
    assert_ok(note(&a, "INC-1", "kept"));
    itsm_record *one, *two;
    assert_ok(itsm_record_find(&one, a.eng, "INC-1"));
    assert_ok(itsm_record_find(&two, a.eng, "INC-2"));
    assert_int_equal(itsm_record_link(one, ITSM_LINK_RELATED, two), ITSM_ESTORE);
    assert_non_null(strstr(itsm_sqlite_errmsg(a.db), "disk on fire"));
    assert_int_equal(itsm_record_revision(one), 2);   /* the note, not the link's half */
    assert_int_equal(itsm_record_revision(two), 1);
    assert_int_equal(itsm_record_link_count(one), 0);
    assert_int_equal(itsm_record_link_count(two), 0);
    assert_int_equal(itsm_engine_group_events(a.eng), 1);
    assert_ok(note(&a, "INC-2", "also kept"));   /* the group goes on */
    assert_ok(itsm_engine_commit(a.eng));
    assert_int_equal(stored(&a), before + 2);

    host b;   /* the file holds the group without the refused link */
    host_open(&b, -1);
    assert_ok(itsm_record_find(&one, b.eng, "INC-1"));
    assert_ok(itsm_record_find(&two, b.eng, "INC-2"));
    assert_int_equal(itsm_record_revision(one), 2);
    assert_int_equal(itsm_record_revision(two), 2);
    assert_int_equal(itsm_record_link_count(one), 0);
    host_close(&b);
    host_close(&a);
}

int main(void)
{
    if (sqlite_tmpdir_make("/tmp/itsm-shared-writers.XXXXXX"))
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_writer_beside_an_open_group_waits_then_is_refused_unchanged),
        cmocka_unit_test_setup(a_failed_insert_in_a_group_refuses_that_call_alone, setup),
    };
    return sqlite_tmpdir_remove(cmocka_run_group_tests(tests, NULL, NULL));
}
