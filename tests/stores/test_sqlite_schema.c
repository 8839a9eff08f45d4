/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libitsm-sqlite's schema (docs/store-schema.md): a new file gets the
 * current version; files written by earlier versions (both layouts of
 * itsm 0.1, tests/data/stores/v1_*.sql; version 2 before the binary form,
 * v2.sql) migrate forward and load into the same records as their events
 * replayed straight; what cannot be trusted
 * is refused with the file left as it was; arguments are checked, and
 * options of every version are read.
 */
#define _POSIX_C_SOURCE 200809L /* mkdtemp */
#include "sqlite_host.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char *slurp(const char *file)
{
    FILE *f = fopen(file, "rb");
    if (!f)
        fail_msg("cannot read %s", file);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    rewind(f);
    char *b = malloc((size_t)n + 1);
    assert_int_equal(fread(b, 1, (size_t)n, f), (size_t)n);
    b[n] = '\0';
    fclose(f);
    return b;
}

/* One text column of a query's rows, joined with newlines. */
static char *column(const char *sql)
{
    sqlite3 *db;
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        fail_msg("%s: %s", sql, sqlite3_errmsg(db));
    size_t n = 0, cap = 1024;
    char *out = malloc(cap);
    out[0] = '\0';
    while (sqlite3_step(st) == SQLITE_ROW) {
        const char *t = (const char *)sqlite3_column_text(st, 0);
        size_t k = strlen(t ? t : "") + 2;
        while (n + k >= cap)
            out = realloc(out, cap *= 2);
        n += (size_t)snprintf(out + n, cap - n, "%s\n", t ? t : "");
    }
    sqlite3_finalize(st);
    sqlite3_close(db);
    return out;
}

/* The dump of an engine that replays the JSON lines straight. */
static char *replayed(const char *lines)
{
    itsm_engine *eng;
    assert_ok(itsm_engine_new(&eng, NULL));
    for (const char *p = lines; *p;) {
        const char *e = strchr(p, '\n');
        assert_ok(itsm_engine_replay_json(eng, p, (size_t)(e - p), NULL));
        p = e + 1;
    }
    char *d = engine_dump(eng);
    itsm_engine_free(eng);
    return d;
}

static char *loaded(itsm_sqlite *s)
{
    itsm_engine *eng;
    itsm_engine_opts o = ITSM_ENGINE_OPTS_INIT;
    o.store = itsm_sqlite_store();
    o.store_user = s;
    assert_ok(itsm_engine_new(&eng, &o));
    assert_ok(itsm_engine_load(eng));
    char *d = engine_dump(eng);
    itsm_engine_free(eng);
    return d;
}

static void opens_version_1(const char *fixture)
{
    char file[512];
    snprintf(file, sizeof file, "%s/stores/%s", ITSM_TEST_DATA, fixture);
    char *sql = slurp(file);
    exec_raw(sql);
    char *json = column("SELECT json FROM itsm_events ORDER BY seq");
    char *want = replayed(json);

    itsm_sqlite *s;
    char err[512];
    if (itsm_sqlite_open(&s, path, NULL, err, sizeof err) != ITSM_OK)
        fail_msg("%s", err);
    assert_int_equal(itsm_sqlite_schema_found(s), 1);
    char *got = loaded(s);
    assert_string_equal(got, want);
    itsm_sqlite_close(s);

    char *versions = column("SELECT version FROM itsm_schema ORDER BY version");
    assert_string_equal(versions, "1\n2\n3\n");
    char *after = column("SELECT json FROM itsm_events ORDER BY seq");
    assert_string_equal(after, json);   /* every event kept byte for byte, in order */
    /* the typed columns come from each event's JSON */
    char *typed = column("SELECT count(*) FROM itsm_events WHERE kind = json_extract(json, '$.kind')"
                         " AND type = json_extract(json, '$.type') AND rev = json_extract(json, '$.rev')"
                         " AND record = json_extract(json, '$.record') AND actor IS json_extract(json, '$.actor')"
                         " AND at = CAST(strftime('%s', json_extract(json, '$.at')) AS INTEGER)");
    char *all = column("SELECT count(*) FROM itsm_events");
    assert_string_equal(typed, all);
    /* opened again: nothing left to migrate */
    assert_ok(itsm_sqlite_open(&s, path, NULL, NULL, 0));
    assert_int_equal(itsm_sqlite_schema_found(s), ITSM_SQLITE_SCHEMA_VERSION);
    itsm_sqlite_close(s);
    free(sql), free(json), free(want), free(got), free(versions), free(after), free(typed), free(all);
}

static void opens_a_file_of_the_0_1_c_example_store(void **state)
{
    (void)state;
    opens_version_1("v1_c_example.sql");
}

static void opens_a_file_of_the_0_1_python_store(void **state)
{
    (void)state;
    opens_version_1("v1_python.sql");
}

/* A file of version 2 (JSON text only) opens in a library that keeps the
 * binary form: every old row is kept as it was, new rows are BLOBs, and a
 * reload reads both into the same records. */
static void opens_a_file_of_schema_version_2_and_adds_binary_events(void **state)
{
    (void)state;
    char file[512];
    snprintf(file, sizeof file, "%s/stores/v2.sql", ITSM_TEST_DATA);
    char *sql = slurp(file);
    exec_raw(sql);
    char *json = column("SELECT json FROM itsm_events ORDER BY seq");
    char *want = replayed(json);

    itsm_sqlite_opts so = ITSM_SQLITE_OPTS_INIT;
    so.form = ITSM_SQLITE_FORM_BINARY;
    itsm_sqlite *s;
    char err[512];
    if (itsm_sqlite_open(&s, path, &so, err, sizeof err) != ITSM_OK)
        fail_msg("%s", err);
    assert_int_equal(itsm_sqlite_schema_found(s), 2);
    itsm_engine *eng;
    itsm_engine_opts o = ITSM_ENGINE_OPTS_INIT;
    o.store = itsm_sqlite_store();
    o.store_user = s;
    assert_ok(itsm_engine_new(&eng, &o));
    assert_ok(itsm_engine_load(eng));
    char *got = engine_dump(eng);
    assert_string_equal(got, want);
    char *versions = column("SELECT version FROM itsm_schema ORDER BY version");
    assert_string_equal(versions, "2\n3\n");
    char *after = column("SELECT json FROM itsm_events ORDER BY seq");
    assert_string_equal(after, json);   /* every event kept byte for byte, in order */

    /* carry on in the binary form */
    itsm_record *r;
    assert_ok(itsm_record_find(&r, eng, "INC-000001"));
    itsm_note_opts no = ITSM_NOTE_OPTS_INIT;
    no.text = "kept as a BLOB";
    assert_ok(itsm_record_add_note(r, &no));
    itsm_record_opts ro = ITSM_RECORD_OPTS_INIT;
    assert_ok(itsm_record_open(&r, eng, &ro));
    char *live = engine_dump(eng);
    itsm_engine_free(eng);
    itsm_sqlite_close(s);
    char *forms = column("SELECT typeof(json) || ' ' || count(*) FROM itsm_events GROUP BY typeof(json) ORDER BY 1");
    assert_string_equal(forms, "blob 3\ntext 18\n");   /* the version's document, the note, the open */
    char *types = column("SELECT type FROM itsm_events WHERE typeof(json) = 'blob' ORDER BY seq");
    assert_string_equal(types, "policy\nnote\nopen\n");

    /* reopened (nothing to migrate), in the default JSON form: both forms load */
    assert_ok(itsm_sqlite_open(&s, path, NULL, NULL, 0));
    assert_int_equal(itsm_sqlite_schema_found(s), ITSM_SQLITE_SCHEMA_VERSION);
    char *again = loaded(s);
    assert_string_equal(again, live);
    itsm_sqlite_close(s);
    free(sql), free(json), free(want), free(got), free(versions), free(after), free(live), free(forms), free(again);
    free(types);
}

static void a_new_file_gets_the_current_version(void **state)
{
    (void)state;
    itsm_sqlite *s;
    assert_ok(itsm_sqlite_open(&s, path, NULL, NULL, 0));
    assert_int_equal(itsm_sqlite_schema_found(s), 0);
    uint64_t n = 99;
    assert_ok(itsm_sqlite_count(s, &n));
    assert_int_equal(n, 0);
    itsm_sqlite_close(s);
    char *v = column("SELECT version || ' ' || what FROM itsm_schema");
    assert_string_equal(v, "3 created\n");
    free(v);
}

static void expect_refused(const char *needle)
{
    itsm_sqlite *s = (itsm_sqlite *)1;
    char err[512] = "";
    assert_int_equal(itsm_sqlite_open(&s, path, NULL, err, sizeof err), ITSM_ESTORE);
    assert_null(s);
    if (!strstr(err, needle))
        fail_msg("message \"%s\" lacks \"%s\"", err, needle);
}

static void a_newer_version_is_refused_and_left_alone(void **state)
{
    (void)state;
    itsm_sqlite *s;
    assert_ok(itsm_sqlite_open(&s, path, NULL, NULL, 0));
    itsm_sqlite_close(s);
    exec_raw("INSERT INTO itsm_schema VALUES (4, '2031-01-01T00:00:00Z', 'from the future')");
    expect_refused("schema version 4, written by a newer itsm");
    char *v = column("SELECT version FROM itsm_schema ORDER BY version");
    assert_string_equal(v, "3\n4\n");
    free(v);
}

static void an_unknown_events_table_is_refused(void **state)
{
    (void)state;
    exec_raw("CREATE TABLE itsm_events (id INTEGER, payload BLOB)");
    expect_refused("a table itsm_events with columns (id,payload) that no schema version describes");
}

static void a_failed_migration_leaves_the_file_as_it_was(void **state)
{
    (void)state;
    /* a 0.1 row whose JSON has no kind: the typed column cannot be filled */
    exec_raw("CREATE TABLE itsm_events ( seq INTEGER PRIMARY KEY, record TEXT NOT NULL, rev INTEGER NOT NULL,"
             " json TEXT NOT NULL, UNIQUE (record, rev));"
             "INSERT INTO itsm_events VALUES (1, 'INC-1', 1, '{\"type\":\"open\"}')");
    expect_refused("migration 1 to 2");
    char *tables = column("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name");
    assert_string_equal(tables, "itsm_events\n");
    char *rows = column("SELECT json FROM itsm_events");
    assert_string_equal(rows, "{\"type\":\"open\"}\n");
    free(tables), free(rows);
}

static void not_a_database_is_refused(void **state)
{
    (void)state;
    FILE *f = fopen(path, "wb");
    fputs("this is not a SQLite file, not even close: it is a plain text file of some length", f);
    fclose(f);
    expect_refused("not a database");
}

static void bad_arguments_are_refused(void **state)
{
    (void)state;
    itsm_sqlite *s = (itsm_sqlite *)1;
    char err[256];
    assert_int_equal(itsm_sqlite_open(NULL, path, NULL, err, sizeof err), ITSM_EINVAL);
    assert_int_equal(itsm_sqlite_open(&s, NULL, NULL, err, sizeof err), ITSM_EINVAL);
    assert_null(s);
    assert_string_equal(err, "itsm_sqlite_open: NULL path");
    itsm_sqlite_opts o = ITSM_SQLITE_OPTS_INIT;
    o.sync = 7;
    assert_int_equal(itsm_sqlite_open(&s, path, &o, err, sizeof err), ITSM_EINVAL);
    assert_string_equal(err, "itsm_sqlite_open: unknown sync mode 7");
    o.sync = ITSM_SQLITE_SYNC_FULL;
    o.form = 5;
    assert_int_equal(itsm_sqlite_open(&s, path, &o, err, sizeof err), ITSM_EINVAL);
    assert_string_equal(err, "itsm_sqlite_open: unknown form 5");
    o.form = ITSM_SQLITE_FORM_JSON;
    o.version = 99;
    assert_int_equal(itsm_sqlite_open(&s, path, &o, err, sizeof err), ITSM_EINVAL);
    assert_string_equal(err, "itsm_sqlite_open: SQLite store options version 99 is newer than this library's 3 "
                             "(itsm " ITSM_VERSION_STRING ")");
    o.version = 0;
    assert_int_equal(itsm_sqlite_open(&s, path, &o, err, sizeof err), ITSM_EINVAL);
    assert_null(s);
    assert_int_equal(itsm_sqlite_opts_init(NULL, ITSM_SQLITE_OPTS_VERSION), ITSM_EINVAL);
    assert_int_equal(itsm_sqlite_opts_init(&o, 0), ITSM_EINVAL);
    assert_int_equal(itsm_sqlite_opts_init(&o, ITSM_SQLITE_OPTS_VERSION + 1), ITSM_EINVAL);
    assert_int_equal(o.version, 0);   /* refused: untouched */
    assert_ok(itsm_sqlite_opts_init(&o, ITSM_SQLITE_OPTS_VERSION));
    assert_int_equal(o.version, ITSM_SQLITE_OPTS_VERSION);
    assert_int_equal(o.sync, ITSM_SQLITE_SYNC_FULL);
    assert_int_equal(o.form, ITSM_SQLITE_FORM_JSON);
    /* NULL handles */
    itsm_sqlite_close(NULL);
    assert_string_equal(itsm_sqlite_errmsg(NULL), "no database");
    assert_int_equal(itsm_sqlite_position(NULL), 0);
    assert_int_equal(itsm_sqlite_schema_found(NULL), -1);
    assert_null(itsm_sqlite_db(NULL));
    uint64_t n;
    assert_int_equal(itsm_sqlite_count(NULL, &n), ITSM_EINVAL);
    size_t got = 5;
    assert_int_equal(itsm_sqlite_catch_up(NULL, NULL, &got), ITSM_EINVAL);
    assert_int_equal(got, 0);
    assert_non_null(itsm_sqlite_store()->append);
    assert_non_null(itsm_sqlite_store()->scan);
}

/* The options struct of the first release (version 1) ended before
 * `form`: a program built against it passes version 1 and a struct that
 * small; the library reads no byte past it and keeps events as JSON. */
typedef struct sqlite_opts_v1 {
    unsigned version;
    int      sync;
    int      busy_timeout_ms;
} sqlite_opts_v1;

static void version_1_options_are_read_without_the_form(void **state)
{
    (void)state;
    /* The version-1 struct sits at the end of a buffer whose next bytes
     * would be an invalid form: read, they would be refused. */
    union { itsm_sqlite_opts full; unsigned char bytes[sizeof(itsm_sqlite_opts)]; } buf;
    memset(buf.bytes, 0x5A, sizeof buf.bytes);
    sqlite_opts_v1 v1 = { 1, ITSM_SQLITE_SYNC_NORMAL, 0 };
    memcpy(buf.bytes, &v1, sizeof v1);
    itsm_sqlite *s;
    char err[256] = "";
    assert_int_equal(itsm_sqlite_open(&s, path, &buf.full, err, sizeof err), ITSM_OK);
    assert_string_equal(err, "");
    itsm_engine *eng;
    itsm_engine_opts eo = ITSM_ENGINE_OPTS_INIT;
    eo.store = itsm_sqlite_store();
    eo.store_user = s;
    assert_ok(itsm_engine_new(&eng, &eo));
    itsm_record *r;
    itsm_record_opts ro = ITSM_RECORD_OPTS_INIT;
    assert_ok(itsm_record_open(&r, eng, &ro));
    /* The default form: JSON text in the column. */
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(itsm_sqlite_db(s), "SELECT typeof(json) FROM itsm_events", -1, &st, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(st, 0), "text");
    sqlite3_finalize(st);
    itsm_engine_free(eng);
    itsm_sqlite_close(s);
    /* itsm_sqlite_opts_init for version 1 writes only version 1's members. */
    memset(buf.bytes, 0x5A, sizeof buf.bytes);
    assert_ok(itsm_sqlite_opts_init(&buf.full, 1));
    assert_int_equal(buf.full.version, 1);
    assert_int_equal(buf.full.sync, ITSM_SQLITE_SYNC_FULL);
    assert_int_equal(buf.full.busy_timeout_ms, 0);
    for (size_t i = sizeof v1; i < sizeof buf.bytes; i++)
        assert_int_equal(buf.bytes[i], 0x5A);
}

static void sync_modes_reach_sqlite(void **state)
{
    (void)state;
    static const int want[] = { 2, 1 };   /* PRAGMA synchronous: FULL 2, NORMAL 1 */
    for (int mode = 0; mode < 2; mode++) {
        itsm_sqlite_opts o = ITSM_SQLITE_OPTS_INIT;
        o.sync = mode;
        itsm_sqlite *s;
        assert_ok(itsm_sqlite_open(&s, path, &o, NULL, 0));
        sqlite3_stmt *st;
        assert_int_equal(sqlite3_prepare_v2(itsm_sqlite_db(s), "PRAGMA synchronous", -1, &st, NULL), SQLITE_OK);
        assert_int_equal(sqlite3_step(st), SQLITE_ROW);
        assert_int_equal(sqlite3_column_int(st, 0), want[mode]);
        sqlite3_finalize(st);
        assert_int_equal(sqlite3_prepare_v2(itsm_sqlite_db(s), "PRAGMA journal_mode", -1, &st, NULL), SQLITE_OK);
        assert_int_equal(sqlite3_step(st), SQLITE_ROW);
        assert_string_equal((const char *)sqlite3_column_text(st, 0), "wal");
        sqlite3_finalize(st);
        itsm_sqlite_close(s);
    }
}

/* The store's own failure reaches the caller as ITSM_ESTORE with SQLite's
 * reason, and the engine keeps nothing (a trigger refuses the insert). */
static void a_failing_insert_is_a_store_error_and_keeps_nothing(void **state)
{
    (void)state;
    itsm_sqlite *s;
    assert_ok(itsm_sqlite_open(&s, path, NULL, NULL, 0));
    char *e = NULL;
    assert_int_equal(sqlite3_exec(itsm_sqlite_db(s),
                                  "CREATE TRIGGER no_notes BEFORE INSERT ON itsm_events WHEN NEW.type = 'note'"
                                  " BEGIN SELECT RAISE(ABORT, 'disk on fire'); END",
                                  NULL, NULL, &e),
                     SQLITE_OK);
    itsm_engine *eng;
    itsm_engine_opts o = ITSM_ENGINE_OPTS_INIT;
    o.store = itsm_sqlite_store();
    o.store_user = s;
    assert_ok(itsm_engine_new(&eng, &o));
    itsm_record *r;
    itsm_record_opts ro = ITSM_RECORD_OPTS_INIT;
    assert_ok(itsm_record_open(&r, eng, &ro));
    itsm_note_opts no = ITSM_NOTE_OPTS_INIT;
    no.text = "hello";
    assert_int_equal(itsm_record_add_note(r, &no), ITSM_ESTORE);
    assert_non_null(strstr(itsm_sqlite_errmsg(s), "disk on fire"));
    assert_int_equal(itsm_record_revision(r), 1);
    uint64_t n = 0;
    assert_ok(itsm_sqlite_count(s, &n));
    assert_int_equal(n, 2);   /* the open and its version's document before it */
    itsm_engine_free(eng);
    itsm_sqlite_close(s);
}

int main(void)
{
    if (sqlite_tmpdir_make("/tmp/itsm-schema.XXXXXX")) {
        perror("mkdtemp");
        return 1;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(opens_a_file_of_the_0_1_c_example_store, setup),
        cmocka_unit_test_setup(opens_a_file_of_the_0_1_python_store, setup),
        cmocka_unit_test_setup(opens_a_file_of_schema_version_2_and_adds_binary_events, setup),
        cmocka_unit_test_setup(a_new_file_gets_the_current_version, setup),
        cmocka_unit_test_setup(a_newer_version_is_refused_and_left_alone, setup),
        cmocka_unit_test_setup(an_unknown_events_table_is_refused, setup),
        cmocka_unit_test_setup(a_failed_migration_leaves_the_file_as_it_was, setup),
        cmocka_unit_test_setup(not_a_database_is_refused, setup),
        cmocka_unit_test_setup(bad_arguments_are_refused, setup),
        cmocka_unit_test_setup(version_1_options_are_read_without_the_form, setup),
        cmocka_unit_test_setup(sync_modes_reach_sqlite, setup),
        cmocka_unit_test_setup(a_failing_insert_is_a_store_error_and_keeps_nothing, setup),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", store_dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", store_dir);
    return rc;
}
