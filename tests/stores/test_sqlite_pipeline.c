/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libitsm-sqlite's pipelined groups (itsm_sqlite_opts.pipeline): the
 * writer thread writes exactly the rows a plain group writes, in the same
 * order; reads inside a group see every append; an INSERT that fails in
 * the thread loses the whole group and leaves the store and the engine at
 * the last commit; the option is checked and read only from version 3;
 * the WAL is checkpointed beside the commits and still starts again.
 * The store contract runs pipelined too (store_contract_sqlite_pipelined).
 */
#define _POSIX_C_SOURCE 200809L /* mkdtemp, sigtimedwait */
#include "support.h"

#include <itsm/stores/sqlite.h>
#include <pthread.h>
#include <sqlite3.h>

#include <signal.h>
#include <stdio.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static char dir[] = "/tmp/itsm-pipeline.XXXXXX";

typedef struct host {
    itsm_sqlite *s;
    itsm_engine *eng;
    itsm_time    now;
} host;

static itsm_time host_clock(void *u) { return ((host *)u)->now; }

static void host_open_at(host *h, const char *p, int pipeline);

static void host_open(host *h, const char *name, int pipeline)
{
    char p[256];
    snprintf(p, sizeof p, "%s/%s.db", dir, name);
    host_open_at(h, p, pipeline);
}

static void host_open_at(host *h, const char *p, int pipeline)
{
    itsm_sqlite_opts o = ITSM_SQLITE_OPTS_INIT;
    o.sync = ITSM_SQLITE_SYNC_NORMAL;
    o.form = ITSM_SQLITE_FORM_BINARY;
    o.pipeline = pipeline;
    char err[256] = "";
    if (itsm_sqlite_open(&h->s, p, &o, err, sizeof err) != ITSM_OK)
        fail_msg("open %s: %s", p, err);
    h->now = 1767225600;   /* 2026-01-01 */
    itsm_engine_opts eo = ITSM_ENGINE_OPTS_INIT;
    eo.store = itsm_sqlite_store();
    eo.store_user = h->s;
    eo.clock = host_clock;
    eo.clock_user = h;
    assert_ok(itsm_engine_new(&h->eng, &eo));
}

static void host_close(host *h)
{
    itsm_engine_free(h->eng);
    itsm_sqlite_close(h->s);
}

/* Open incident <prefix><i, 3 digits> with nothing else: its code. */
static int open_numbered(itsm_engine *eng, const char *prefix, int i)
{
    char id[32];
    snprintf(id, sizeof id, "%s%03d", prefix, i);
    itsm_record_opts ro = ITSM_RECORD_OPTS_INIT;
    ro.id = id;
    itsm_record *r;
    return itsm_record_open(&r, eng, &ro);
}

/* Every row of the file but its sequence numbers' values: the order is the
 * rows' order. */
static char *rows_of(itsm_sqlite *s)
{
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(itsm_sqlite_db(s),
                                        "SELECT record, rev, kind, type, at, ifnull(actor, '-'), hex(json)"
                                        " FROM itsm_events ORDER BY seq", -1, &st, NULL),
                     SQLITE_OK);
    size_t cap = 1 << 16, len = 0;
    char *out = malloc(cap);
    out[0] = '\0';
    while (sqlite3_step(st) == SQLITE_ROW) {
        for (int c = 0; c < 7; c++) {
            const char *v = (const char *)sqlite3_column_text(st, c);
            size_t n = strlen(v ? v : "") + 2;
            while (cap - len < n + 1)
                out = realloc(out, cap *= 2);
            len += (size_t)snprintf(out + len, cap - len, "%s%c", v ? v : "", c == 6 ? '\n' : '|');
        }
    }
    sqlite3_finalize(st);
    return out;
}

/* A day of work in groups of `group` events: incidents opened, assigned
 * and noted, then noted again; a group commit every `group` events. */
static void work(host *h, size_t group, int incidents)
{
    assert_ok(itsm_engine_begin(h->eng));
    for (int i = 0; i < incidents; i++) {
        char id[32];
        snprintf(id, sizeof id, "INC%04d", i);
        itsm_change f[] = { { ITSM_F_IMPACT, NULL, 1 + i % 3 }, { ITSM_F_URGENCY, NULL, 1 + i % 2 },
                            { ITSM_F_SUMMARY, "printer on fire", 0 } };
        itsm_record_opts ro = ITSM_RECORD_OPTS_INIT;
        ro.id = id;
        ro.fields = f;
        ro.nfields = 3;
        itsm_record *r;
        h->now += 60;
        assert_ok(itsm_record_open(&r, h->eng, &ro));
        itsm_change g = { ITSM_F_ASSIGNMENT_GROUP, i % 2 ? "network" : "desk", 0 };
        h->now += 60;
        assert_ok(itsm_record_fire(r, "assign", &g, 1));
        itsm_note_opts no = ITSM_NOTE_OPTS_INIT;
        no.text = "looked at it";
        assert_ok(itsm_record_add_note(r, &no));
        if (itsm_engine_group_events(h->eng) >= group) {
            assert_ok(itsm_engine_commit(h->eng));
            assert_ok(itsm_engine_begin(h->eng));
        }
    }
    /* a second look at each, in the order they came: the handle's cache of
     * revisions has moved on since (the small-cache build empties it) */
    for (int i = 0; i < incidents; i++) {
        char id[32];
        snprintf(id, sizeof id, "INC%04d", i);
        itsm_record *r;
        assert_ok(itsm_record_find(&r, h->eng, id));
        itsm_note_opts no = ITSM_NOTE_OPTS_INIT;
        no.text = "second look";
        h->now += 10;
        assert_ok(itsm_record_add_note(r, &no));
        if (itsm_engine_group_events(h->eng) >= group) {
            assert_ok(itsm_engine_commit(h->eng));
            assert_ok(itsm_engine_begin(h->eng));
        }
    }
    /* reads inside the group see every append */
    uint64_t n = 0;
    assert_ok(itsm_sqlite_count(h->s, &n));
    assert_true(n >= (uint64_t)incidents * 4);
    assert_ok(itsm_engine_commit(h->eng));
}

/* From now on an INSERT of `record`'s events fails as a failing disk
 * would: a temporary trigger named `name` that raises `raise` ("ABORT,
 * 'why'" or "ROLLBACK, 'why'"). */
static void fail_inserts(host *h, const char *name, const char *record, const char *raise)
{
    char sql[256];
    snprintf(sql, sizeof sql,
             "CREATE TEMP TRIGGER %s BEFORE INSERT ON main.itsm_events WHEN NEW.record = '%s'"
             " BEGIN SELECT RAISE(%s); END", name, record, raise);
    assert_int_equal(sqlite3_exec(itsm_sqlite_db(h->s), sql, NULL, NULL, NULL), SQLITE_OK);
}

static void a_pipelined_group_writes_the_rows_a_plain_group_writes(void **state)
{
    (void)state;
    static const size_t groups[] = { 1, 7, 100, 1000 };
    for (size_t g = 0; g < sizeof groups / sizeof *groups; g++) {
        host plain, piped;
        char a[32], b[32];
        snprintf(a, sizeof a, "plain%zu", g);
        snprintf(b, sizeof b, "piped%zu", g);
        host_open(&plain, a, 0);
        host_open(&piped, b, 1);
        work(&plain, groups[g], 300);
        work(&piped, groups[g], 300);
        char *x = rows_of(plain.s), *y = rows_of(piped.s);
        assert_string_equal(x, y);
        assert_true(strlen(x) > 300 * 4 * 20);
        assert_int_equal(itsm_sqlite_position(plain.s), itsm_sqlite_position(piped.s));
        char *dx = engine_dump(plain.eng), *dy = engine_dump(piped.eng);
        assert_string_equal(dx, dy);
        free(x), free(y), free(dx), free(dy);
        host_close(&plain);
        host_close(&piped);
    }
}

static void a_failed_insert_in_the_writer_loses_the_group_and_keeps_the_last_commit(void **state)
{
    (void)state;
    host h;
    host_open(&h, "lost", 1);
    work(&h, 50, 40);   /* committed */
    uint64_t before = 0;
    assert_ok(itsm_sqlite_count(h.s, &before));
    char *kept = rows_of(h.s), *dump = engine_dump(h.eng);
    fail_inserts(&h, "no_cancels", "INC9000", "ABORT, 'disk on fire'");
    assert_ok(itsm_engine_begin(h.eng));
    itsm_record_opts ro = ITSM_RECORD_OPTS_INIT;
    ro.id = "INC9000";
    itsm_record *r;
    /* the revision check passes: the call returns before the INSERT runs */
    assert_ok(itsm_record_open(&r, h.eng, &ro));
    /* later calls learn of it once the writer met it; none is kept */
    for (int i = 1; i <= 100; i++) {
        int rc = open_numbered(h.eng, "INC9", i);
        assert_true(rc == ITSM_OK || rc == ITSM_ESTORE);
    }
    uint64_t n = 0;
    assert_ok(itsm_sqlite_count(h.s, &n));   /* waits for the writer */
    ro.id = "INC9999";
    assert_int_equal(itsm_record_open(&r, h.eng, &ro), ITSM_ESTORE);
    assert_non_null(strstr(itsm_sqlite_errmsg(h.s), "disk on fire"));
    assert_non_null(strstr(itsm_sqlite_errmsg(h.s), "the group is lost"));
    assert_int_equal(itsm_record_find(&r, h.eng, "INC9999"), ITSM_ENOTFOUND);
    assert_int_equal(itsm_engine_commit(h.eng), ITSM_ESTORE);
    assert_non_null(strstr(itsm_sqlite_errmsg(h.s), "the group was not kept"));
    assert_non_null(strstr(itsm_sqlite_errmsg(h.s), "disk on fire"));
    /* the store and the engine are at the last commit */
    uint64_t after = 0;
    assert_ok(itsm_sqlite_count(h.s, &after));
    assert_int_equal(after, before);
    char *kept2 = rows_of(h.s), *dump2 = engine_dump(h.eng);
    assert_string_equal(kept, kept2);
    assert_string_equal(dump, dump2);
    assert_int_equal(itsm_record_find(&r, h.eng, "INC9000"), ITSM_ENOTFOUND);
    /* and the next group is written */
    assert_int_equal(sqlite3_exec(itsm_sqlite_db(h.s), "DROP TRIGGER no_cancels", NULL, NULL, NULL), SQLITE_OK);
    assert_ok(itsm_engine_begin(h.eng));
    ro.id = "INC9000";
    assert_ok(itsm_record_open(&r, h.eng, &ro));
    assert_ok(itsm_engine_commit(h.eng));
    assert_ok(itsm_sqlite_count(h.s, &after));
    assert_int_equal(after, before + 1);
    free(kept), free(kept2), free(dump), free(dump2);
    host_close(&h);
}

/* Another node took the id first: the stale node's open in its pipelined
 * group is refused there and then (the reader connection sees the other's
 * commit; the cache knows nothing of the record), and its group goes on. */
static void a_taken_id_in_a_pipelined_group_is_a_conflict_for_that_call_alone(void **state)
{
    (void)state;
    host a, b;
    host_open(&a, "taken", 1);
    host_open(&b, "taken", 1);
    itsm_record *r;
    itsm_record_opts ro = ITSM_RECORD_OPTS_INIT;
    ro.id = "INC-TAKEN";
    assert_ok(itsm_record_open(&r, a.eng, &ro));   /* committed: not in a group */
    assert_ok(itsm_engine_begin(b.eng));
    for (int i = 0; i < 150; i++)   /* the writer has rows to write */
        assert_ok(open_numbered(b.eng, "INC-B", i));
    ro.id = "INC-TAKEN";
    assert_int_equal(itsm_record_open(&r, b.eng, &ro), ITSM_ECONFLICT);
    assert_non_null(strstr(itsm_sqlite_errmsg(b.s), "INC-TAKEN: the store holds revision 1"));
    ro.id = "INC-B150";
    assert_ok(itsm_record_open(&r, b.eng, &ro));   /* the group goes on */
    assert_ok(itsm_engine_commit(b.eng));
    uint64_t n = 0;
    assert_ok(itsm_sqlite_count(b.s, &n));
    assert_int_equal(n, 3 + 151);   /* each engine's version document, INC-TAKEN, b's 151 */
    /* a handle opened on a file that holds records knows none of them */
    host c;
    host_open(&c, "taken", 1);
    assert_ok(itsm_engine_begin(c.eng));
    ro.id = "INC-TAKEN";
    assert_int_equal(itsm_record_open(&r, c.eng, &ro), ITSM_ECONFLICT);
    ro.id = "INC-C";
    assert_ok(itsm_record_open(&r, c.eng, &ro));
    assert_ok(itsm_engine_commit(c.eng));
    host_close(&c);
    host_close(&a);
    host_close(&b);
}

/* A private database has no reader connection: a stale node's open of a
 * taken id is looked up on the writer's connection, after the writer
 * caught up, and refused there and then. */
static void a_taken_id_on_a_private_database_is_a_conflict_for_that_call_alone(void **state)
{
    (void)state;
    host a;
    host_open_at(&a, ":memory:", 1);
    itsm_engine *b;   /* a second engine on the same handle, never caught up */
    itsm_engine_opts eo = ITSM_ENGINE_OPTS_INIT;
    eo.store = itsm_sqlite_store();
    eo.store_user = a.s;
    eo.clock = host_clock;
    eo.clock_user = &a;
    assert_ok(itsm_engine_new(&b, &eo));
    itsm_record *r;
    itsm_record_opts ro = ITSM_RECORD_OPTS_INIT;
    ro.id = "INC1";
    assert_ok(itsm_record_open(&r, a.eng, &ro));
    assert_int_equal(itsm_record_open(&r, b, &ro), ITSM_ECONFLICT);   /* outside a group; the cache is dropped */
    assert_ok(itsm_engine_begin(b));
    assert_int_equal(itsm_record_open(&r, b, &ro), ITSM_ECONFLICT);
    ro.id = "INC2";
    assert_ok(itsm_record_open(&r, b, &ro));
    assert_ok(itsm_engine_commit(b));
    itsm_engine_free(b);
    host_close(&a);
}

/* SQLite may end a group's whole transaction on an error (here a trigger's
 * RAISE(ROLLBACK), as a full disk can): the later appends are refused, not
 * kept in autocommit, and the commit fails - with or without the pipeline. */
static void a_transaction_sqlite_rolled_back_loses_the_group(void **state)
{
    (void)state;
    for (int pipeline = 0; pipeline < 2; pipeline++) {
        host h;
        char name[32];
        snprintf(name, sizeof name, "gone%d", pipeline);
        host_open(&h, name, pipeline);
        itsm_record *r;
        itsm_record_opts ro = ITSM_RECORD_OPTS_INIT;
        ro.id = "INC-KEPT";
        assert_ok(itsm_record_open(&r, h.eng, &ro));
        uint64_t before = 0, after = 0;
        assert_ok(itsm_sqlite_count(h.s, &before));
        fail_inserts(&h, "gone", "INC-X", "ROLLBACK, 'disk full'");
        assert_ok(itsm_engine_begin(h.eng));
        ro.id = "INC-A";
        assert_ok(itsm_record_open(&r, h.eng, &ro));
        ro.id = "INC-X";
        int rc = itsm_record_open(&r, h.eng, &ro);   /* refused here, or (pipelined) found by the writer */
        assert_true(rc == ITSM_ESTORE || (pipeline && rc == ITSM_OK));
        ro.id = "INC-B";
        assert_int_equal(itsm_record_open(&r, h.eng, &ro), ITSM_ESTORE);
        assert_int_equal(itsm_engine_commit(h.eng), ITSM_ESTORE);
        assert_ok(itsm_sqlite_count(h.s, &after));
        assert_int_equal(after, before);   /* nothing of the group, not INC-B in autocommit */
        assert_int_equal(itsm_record_find(&r, h.eng, "INC-B"), ITSM_ENOTFOUND);
        host_close(&h);
    }
}

/* Once the host holds the raw connection (itsm_sqlite_db), a pipelined
 * append's rows are written before the call returns: between two calls
 * the connection is the host's, and its hooks never run beside it. */
static int hooked;
static void count_insert(void *u, int op, const char *db, const char *table, sqlite3_int64 row)
{
    (void)u, (void)db, (void)row;
    if (op == SQLITE_INSERT && strcmp(table, "itsm_events") == 0)
        hooked++;
}

static void a_lent_connection_has_every_append_written_when_the_call_returns(void **state)
{
    (void)state;
    host h;
    host_open(&h, "lent", 1);
    sqlite3_update_hook(itsm_sqlite_db(h.s), count_insert, NULL);
    hooked = 0;
    int offset = 0;
    assert_ok(itsm_engine_begin(h.eng));
    for (int i = 0; i < 200; i++) {
        assert_ok(open_numbered(h.eng, "INC-L", i));
        if (i == 0)   /* the engine's first append also stored its policy version's document */
            offset = hooked - (int)itsm_engine_group_events(h.eng);
        assert_int_equal(hooked, (int)itsm_engine_group_events(h.eng) + offset);
    }
    assert_true(offset == 0 || offset == 1);
    assert_ok(itsm_engine_commit(h.eng));
    host_close(&h);
}

/* The writer thread takes no signal: a host that blocks one and waits for
 * it (sigwait) gets it; delivered to the writer, SIGUSR1's default action
 * would end the process. */
static void the_writer_thread_takes_no_signal(void **state)
{
    (void)state;
    sigset_t usr1, old;
    sigemptyset(&usr1);
    sigaddset(&usr1, SIGUSR1);
    host h;
    host_open(&h, "signal", 1);   /* the writer starts while SIGUSR1 is open to every thread */
    assert_int_equal(pthread_sigmask(SIG_BLOCK, &usr1, &old), 0);   /* then the host waits for it */
    assert_ok(itsm_engine_begin(h.eng));
    for (int i = 0; i < 100; i++)
        assert_ok(open_numbered(h.eng, "INC-S", i));
    assert_int_equal(kill(getpid(), SIGUSR1), 0);   /* process-directed: any thread not blocking it */
    struct timespec wait = { 2, 0 };
    assert_int_equal(sigtimedwait(&usr1, NULL, &wait), SIGUSR1);
    assert_ok(itsm_engine_commit(h.eng));
    assert_int_equal(pthread_sigmask(SIG_SETMASK, &old, NULL), 0);
    host_close(&h);
}

static long long file_size(const char *p)
{
    struct stat sb;
    return stat(p, &sb) == 0 ? (long long)sb.st_size : -1;
}

/* `n` notes of `text` on INC-W000..049 in turn, a group commit every
 * `group` events. */
static void noted(host *h, int n, int group, const char *text)
{
    assert_ok(itsm_engine_begin(h->eng));
    for (int i = 0; i < n; i++) {
        char id[32];
        snprintf(id, sizeof id, "INC-W%03d", i % 50);
        itsm_record *r;
        if (itsm_record_find(&r, h->eng, id) == ITSM_ENOTFOUND)
            assert_ok(open_numbered(h->eng, "INC-W", i % 50));
        assert_ok(itsm_record_find(&r, h->eng, id));
        itsm_note_opts no = ITSM_NOTE_OPTS_INIT;
        no.text = text;
        h->now += 1;
        assert_ok(itsm_record_add_note(r, &no));
        if ((int)itsm_engine_group_events(h->eng) >= group) {
            assert_ok(itsm_engine_commit(h->eng));
            assert_ok(itsm_engine_begin(h->eng));
        }
    }
    assert_ok(itsm_engine_commit(h->eng));
}

/* A pipelined handle checkpoints on a thread of its own, in place of
 * SQLite's automatic checkpoint in the committing thread. Checkpoints
 * there would never let the WAL start again under a steady stream of
 * commits (each adds pages behind them): the handle sees to it that it
 * does by the time the WAL holds 4,000 pages, however slow the passes -
 * so the WAL's file (never made smaller while the handle is open) ends
 * at about that, where without a new start it would hold every page
 * written. The file has 512-byte pages (a WAL frame is 536 bytes), so
 * that 4,000 pages are a few hundred events. */
static void a_pipelined_handle_checkpoints_beside_the_commits_and_its_wal_starts_again(void **state)
{
    (void)state;
    char p[256], wal[270];
    snprintf(p, sizeof p, "%s/checkpoints.db", dir);
    snprintf(wal, sizeof wal, "%s-wal", p);
    sqlite3 *raw;
    assert_int_equal(sqlite3_open(p, &raw), SQLITE_OK);
    assert_int_equal(sqlite3_exec(raw, "PRAGMA page_size=512; CREATE TABLE made_small(x); DROP TABLE made_small;",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    sqlite3_close(raw);
    char text[1801];
    memset(text, 'w', sizeof text - 1);
    text[sizeof text - 1] = '\0';
    host h;
    host_open_at(&h, p, 1);
    noted(&h, 3000, 20, text);   /* about 100 pages a commit, 15,000 in all */
    long long most = file_size(wal);
    assert_true(most > 1000LL * 536);              /* a checkpoint's worth at least */
    assert_true(most <= (4000LL + 1000) * 536);    /* 4,000 pages and a few commits' */
    host_close(&h);
    /* every event is in the file, and the file is whole */
    host_open_at(&h, p, 0);
    uint64_t n = 0;
    assert_ok(itsm_sqlite_count(h.s, &n));
    assert_int_equal(n, 1 + 50 + 3000);   /* the version document, the opens, the notes */
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(itsm_sqlite_db(h.s), "PRAGMA integrity_check", -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(st, 0), "ok");
    sqlite3_finalize(st);
    host_close(&h);
}

/* A version-2 struct ends before `pipeline`; an unknown value is refused. */
typedef struct sqlite_opts_v2 {
    unsigned version;
    int      sync, busy_timeout_ms, form;
} sqlite_opts_v2;

static void the_pipeline_option_is_checked_and_read_from_version_3(void **state)
{
    (void)state;
    char p[256], err[256] = "";
    snprintf(p, sizeof p, "%s/opts.db", dir);
    itsm_sqlite *s = NULL;
    itsm_sqlite_opts o = ITSM_SQLITE_OPTS_INIT;
    assert_int_equal(o.pipeline, 0);
    o.pipeline = 2;
    assert_int_equal(itsm_sqlite_open(&s, p, &o, err, sizeof err), ITSM_EINVAL);
    assert_null(s);
    assert_string_equal(err, "itsm_sqlite_open: pipeline must be 0 or 1 (got 2)");
    union { itsm_sqlite_opts full; unsigned char bytes[sizeof(itsm_sqlite_opts)]; } buf;
    memset(buf.bytes, 0x5A, sizeof buf.bytes);   /* a pipeline of 0x5A5A5A5A: refused if read */
    sqlite_opts_v2 v2 = { 2, ITSM_SQLITE_SYNC_NORMAL, 0, ITSM_SQLITE_FORM_BINARY };
    memcpy(buf.bytes, &v2, sizeof v2);
    assert_int_equal(itsm_sqlite_open(&s, p, &buf.full, err, sizeof err), ITSM_OK);
    itsm_sqlite_close(s);
    memset(buf.bytes, 0x5A, sizeof buf.bytes);
    assert_ok(itsm_sqlite_opts_init(&buf.full, 2));
    for (size_t i = sizeof v2; i < sizeof buf.bytes; i++)
        assert_int_equal(buf.bytes[i], 0x5A);
}

int main(void)
{
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 1;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_pipelined_group_writes_the_rows_a_plain_group_writes),
        cmocka_unit_test(a_failed_insert_in_the_writer_loses_the_group_and_keeps_the_last_commit),
        cmocka_unit_test(a_taken_id_in_a_pipelined_group_is_a_conflict_for_that_call_alone),
        cmocka_unit_test(a_taken_id_on_a_private_database_is_a_conflict_for_that_call_alone),
        cmocka_unit_test(a_transaction_sqlite_rolled_back_loses_the_group),
        cmocka_unit_test(a_lent_connection_has_every_append_written_when_the_call_returns),
        cmocka_unit_test(the_writer_thread_takes_no_signal),
        cmocka_unit_test(the_pipeline_option_is_checked_and_read_from_version_3),
        cmocka_unit_test(a_pipelined_handle_checkpoints_beside_the_commits_and_its_wal_starts_again),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", dir);
    return rc;
}
