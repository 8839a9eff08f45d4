/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A libitsm-sqlite file edited by hand with SQL (docs/store-schema.md: hosts
 * must not write the itsm_ tables; itsm/integrity.h: a store edited by hand
 * is detected, not trusted). In either event form, an event changed,
 * removed from the middle or moved (its seq swapped) is ITSM_ETAMPER at
 * the load, naming the first broken link's record and revision, and the
 * engine stays empty; catching up over an edited row changes nothing; the
 * newest event removed loads but shows in the chain head and the audit.
 */
#define _POSIX_C_SOURCE 200809L /* mkdtemp */
#include "sqlite_host.h"

#include <itsm/integrity.h>
#include <sqlite3.h>

#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* Not loaded: the tests load it themselves, or see the load refused. */
static void host_open(host *h, int form)
{
    itsm_sqlite_opts so = ITSM_SQLITE_OPTS_INIT;
    so.form = form;
    sqlite_host_open(h, &so, T0 + 3600, 0);
}

static int note(itsm_engine *eng, const char *id, const char *text)
{
    return store_note(eng, id, text);
}

static void open_incident(itsm_engine *eng, const char *id)
{
    assert_ok(store_open_incident(eng, id));
}

/* INC-1 at revision 4 (notes "alpha", "bravo", "charlie"), INC-2 at 2. */
static void write_story(int form)
{
    host h;
    host_open(&h, form);
    open_incident(h.eng, "INC-1");
    open_incident(h.eng, "INC-2");
    assert_ok(note(h.eng, "INC-1", "alpha"));
    assert_ok(note(h.eng, "INC-2", "delta"));
    assert_ok(note(h.eng, "INC-1", "bravo"));
    assert_ok(note(h.eng, "INC-1", "charlie"));
    host_close(&h);
}

static long long seq_of(const char *record, int rev)
{
    sqlite3 *db;
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT seq FROM itsm_events WHERE record = ?1 AND rev = ?2", -1, &st,
                                        NULL),
                     SQLITE_OK);
    sqlite3_bind_text(st, 1, record, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 2, rev);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    long long seq = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return seq;
}

/* Replace `from` by `to` in the event (record, rev), whichever form the row
 * holds: a BLOB goes through its JSON and back, as a forger would. */
static void edit_event(int form, const char *record, int rev, const char *from, const char *to)
{
    sqlite3 *db;
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT json, typeof(json) FROM itsm_events WHERE record = ?1 AND rev = ?2",
                                        -1, &st, NULL),
                     SQLITE_OK);
    sqlite3_bind_text(st, 1, record, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 2, rev);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    int blob = strcmp((const char *)sqlite3_column_text(st, 1), "blob") == 0;
    assert_int_equal(blob, form == ITSM_SQLITE_FORM_BINARY);   /* the form the handle was asked to keep */
    char json[4096];
    size_t len;
    if (blob)
        assert_ok(itsm_event_binary_to_json(sqlite3_column_blob(st, 0), (size_t)sqlite3_column_bytes(st, 0), json,
                                            sizeof json, &len, NULL));
    else
        snprintf(json, sizeof json, "%s", (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    char *at = strstr(json, from);
    if (!at)
        fail_msg("%s revision %d has no '%s': %s", record, rev, from, json);
    char edited[4096];
    snprintf(edited, sizeof edited, "%.*s%s%s", (int)(at - json), json, to, at + strlen(from));
    unsigned char bin[4096];
    size_t blen = 0;
    if (blob)
        assert_ok(itsm_event_json_to_binary(edited, strlen(edited), bin, sizeof bin, &blen, NULL));
    assert_int_equal(sqlite3_prepare_v2(db, "UPDATE itsm_events SET json = ?1 WHERE record = ?2 AND rev = ?3", -1,
                                        &st, NULL),
                     SQLITE_OK);
    if (blob)
        sqlite3_bind_blob(st, 1, bin, (int)blen, SQLITE_TRANSIENT);
    else
        sqlite3_bind_text(st, 1, edited, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, record, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 3, rev);
    assert_int_equal(sqlite3_step(st), SQLITE_DONE);
    assert_int_equal(sqlite3_changes(db), 1);
    sqlite3_finalize(st);
    sqlite3_close(db);
}

/* A fresh engine loading the file: ITSM_ETAMPER saying `because`, and
 * nothing of the store kept. */
static void expect_tampered(int form, const char *because)
{
    host h;
    host_open(&h, form);
    int rc = itsm_engine_load(h.eng);
    if (rc != ITSM_ETAMPER || !strstr(itsm_errmsg(h.eng), because))
        fail_msg("load gave %s (%s), not ITSM_ETAMPER saying '%s'", itsm_errname(rc), itsm_errmsg(h.eng), because);
    assert_int_equal(itsm_engine_record_count(h.eng), 0);
    host_close(&h);
}

static void an_event_edited_in_the_file_is_tampering_at_its_revision(void **state)
{
    (void)state;
    for (int form = ITSM_SQLITE_FORM_JSON; form <= ITSM_SQLITE_FORM_BINARY; form++) {
        setup(NULL);
        write_story(form);
        edit_event(form, "INC-1", 3, "bravo", "BRAVO");
        expect_tampered(form, "record INC-1 revision 3 does not match its hash");
    }
}

static void an_event_deleted_from_the_middle_is_tampering_at_the_next_revision(void **state)
{
    (void)state;
    for (int form = ITSM_SQLITE_FORM_JSON; form <= ITSM_SQLITE_FORM_BINARY; form++) {
        setup(NULL);
        write_story(form);
        exec_raw("DELETE FROM itsm_events WHERE record = 'INC-1' AND rev = 2");
        expect_tampered(form, "record INC-1 revision 3 comes where revision 2 should");
    }
}

/* Two events of a record swapped in append order (their seq exchanged): the
 * store gives revision 3 before 2. */
static void events_reordered_in_the_file_are_tampering(void **state)
{
    (void)state;
    for (int form = ITSM_SQLITE_FORM_JSON; form <= ITSM_SQLITE_FORM_BINARY; form++) {
        setup(NULL);
        write_story(form);
        long long s2 = seq_of("INC-1", 2), s3 = seq_of("INC-1", 3);
        char sql[512];
        snprintf(sql, sizeof sql,
                 "BEGIN; UPDATE itsm_events SET seq = -1 WHERE seq = %lld;"
                 " UPDATE itsm_events SET seq = %lld WHERE seq = %lld;"
                 " UPDATE itsm_events SET seq = %lld WHERE seq = -1; COMMIT;",
                 s2, s2, s3, s3);
        exec_raw(sql);
        expect_tampered(form, "record INC-1 revision 3 comes where revision 2 should");
    }
}

/* An event edited by hand after another engine caught up to the file's
 * position: catching up refuses it, naming it, and the follower's records
 * stay as they were. */
static void catching_up_over_an_edited_event_changes_nothing(void **state)
{
    (void)state;
    write_story(ITSM_SQLITE_FORM_JSON);
    host follower;
    host_open(&follower, ITSM_SQLITE_FORM_JSON);
    assert_ok(itsm_engine_load(follower.eng));
    itsm_record *r;
    assert_ok(itsm_record_find(&r, follower.eng, "INC-2"));
    char head[65];
    assert_ok(itsm_record_chain_head(r, head));

    host writer;
    host_open(&writer, ITSM_SQLITE_FORM_JSON);
    assert_ok(itsm_engine_load(writer.eng));
    assert_ok(note(writer.eng, "INC-2", "echo"));
    host_close(&writer);
    edit_event(ITSM_SQLITE_FORM_JSON, "INC-2", 3, "echo", "ECHO");

    assert_fails(follower.eng, itsm_sqlite_catch_up(follower.db, follower.eng, NULL), ITSM_ETAMPER,
                 "record INC-2 revision 3 does not match its hash");
    assert_ok(itsm_record_find(&r, follower.eng, "INC-2"));
    assert_int_equal(itsm_record_revision(r), 2);
    char after[65];
    assert_ok(itsm_record_chain_head(r, after));
    assert_string_equal(head, after);
    host_close(&follower);
}

/* The newest event of a record removed leaves a consistent chain, which the
 * load cannot tell from an honest one: the head (and the audit digest) kept
 * elsewhere can. */
static void a_removed_newest_event_shows_in_the_chain_head_and_the_audit(void **state)
{
    (void)state;
    write_story(ITSM_SQLITE_FORM_BINARY);
    host h;
    host_open(&h, ITSM_SQLITE_FORM_BINARY);
    assert_ok(itsm_engine_load(h.eng));
    itsm_record *r;
    assert_ok(itsm_record_find(&r, h.eng, "INC-1"));
    char kept[65];
    assert_ok(itsm_record_chain_head(r, kept));
    char audit[1024];
    size_t len;
    assert_ok(itsm_engine_audit_to_json(h.eng, audit, sizeof audit, &len));
    host_close(&h);

    exec_raw("DELETE FROM itsm_events WHERE record = 'INC-1' AND rev = 4");
    host_open(&h, ITSM_SQLITE_FORM_BINARY);
    assert_ok(itsm_engine_load(h.eng));
    assert_ok(itsm_record_find(&r, h.eng, "INC-1"));
    assert_int_equal(itsm_record_revision(r), 3);
    char now[65];
    assert_ok(itsm_record_chain_head(r, now));
    assert_string_not_equal(kept, now);
    char audit2[1024];
    assert_ok(itsm_engine_audit_to_json(h.eng, audit2, sizeof audit2, &len));
    const char *digest = "\"digest\":\"";
    assert_int_not_equal(strncmp(strstr(audit, digest), strstr(audit2, digest), strlen(digest) + 64), 0);
    host_close(&h);
}

int main(void)
{
    if (sqlite_tmpdir_make("/tmp/itsm-hand-edits.XXXXXX"))
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(an_event_edited_in_the_file_is_tampering_at_its_revision),
        cmocka_unit_test(an_event_deleted_from_the_middle_is_tampering_at_the_next_revision),
        cmocka_unit_test(events_reordered_in_the_file_are_tampering),
        cmocka_unit_test_setup(catching_up_over_an_edited_event_changes_nothing, setup),
        cmocka_unit_test_setup(a_removed_newest_event_shows_in_the_chain_head_and_the_audit, setup),
    };
    return sqlite_tmpdir_remove(cmocka_run_group_tests(tests, NULL, NULL));
}
