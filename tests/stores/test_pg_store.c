/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libitsm-pg beyond the shared contract: waking on other nodes' appends,
 * surviving a lost connection, an append cut off mid-way, one log per
 * PostgreSQL schema, long logs read page by page, what open refuses.
 * Needs ITSM_PG_CONNINFO (tests/stores/with_postgres.sh).
 */
#define _POSIX_C_SOURCE 200809L /* fork, nanosleep */
#include "pg_node.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void node_open(node *n, const char *schema, int listen)
{
    itsm_pg_opts o = ITSM_PG_OPTS_INIT;
    o.schema = schema;
    o.listen = listen;
    assert_ok(pg_node_open_opts(n, &o));
}

static itsm_record *incident(node *n, const char *id)
{
    itsm_record_opts o = ITSM_RECORD_OPTS_INIT;
    o.id = id;
    itsm_record *r = NULL;
    assert_ok(itsm_record_open(&r, n->eng, &o));
    return r;
}

static int note(itsm_record *r)
{
    itsm_note_opts o = ITSM_NOTE_OPTS_INIT;
    o.text = "checked";
    return itsm_record_add_note(r, &o);
}

static void wait_wakes_on_another_nodes_append_only(void **state)
{
    (void)state;
    fresh("wake");
    node a, b;
    node_open(&a, "wake", 1);
    node_open(&b, "wake", 0);
    assert_int_equal(itsm_pg_wait(a.pg, 0), 0);
    incident(&a, "INC-W1");   /* its own append does not wake it */
    assert_int_equal(itsm_pg_wait(a.pg, 50), 0);
    incident(&b, "INC-W2");
    assert_int_equal(itsm_pg_wait(a.pg, 5000), 1);
    size_t got = 0;
    assert_ok(itsm_pg_catch_up(a.pg, a.eng, &got));
    /* b's copy of the version's document (it loaded before a wrote one)
     * and INC-W2's open */
    assert_int_equal(got, 2);
    assert_int_equal(itsm_engine_record_count(a.eng), 2);
    assert_int_equal(itsm_pg_wait(b.pg, 0), ITSM_EINVAL);   /* b does not listen */
    node_close(&a);
    node_close(&b);
}

static void schemas_are_separate_logs(void **state)
{
    (void)state;
    fresh("left_log");
    fresh("right_log");
    node l, r;
    node_open(&l, "left_log", 1);
    node_open(&r, "right_log", 1);
    incident(&l, "INC-1");
    incident(&r, "INC-1");   /* the same id in another log: no conflict */
    assert_int_equal(itsm_pg_wait(l.pg, 100), 0);   /* not woken by the other schema */
    uint64_t n = 0;
    assert_ok(itsm_pg_count(l.pg, &n));
    assert_int_equal(n, 2);   /* INC-1's open and its version's document */
    node_close(&l);
    node_close(&r);
}

static int backend_pid(itsm_pg *pg) { return PQbackendPID(itsm_pg_conn(pg)); }

static void terminate(int pid)
{
    char text[96];
    snprintf(text, sizeof text, "SELECT pg_terminate_backend(%d)", pid);
    sql(text);
    /* until the server has let it go */
    for (int i = 0; i < 500; i++) {
        snprintf(text, sizeof text, "SELECT 1 FROM pg_stat_activity WHERE pid = %d", pid);
        PGresult *res = PQexec(admin, text);
        int alive = PQntuples(res) > 0;
        PQclear(res);
        if (!alive)
            return;
        struct timespec ts = { 0, 10000000 };
        nanosleep(&ts, NULL);
    }
}

static void a_lost_connection_is_reestablished(void **state)
{
    (void)state;
    fresh("lost");
    node a;
    node_open(&a, "lost", 1);
    itsm_record *r = incident(&a, "INC-L");
    int before = backend_pid(a.pg);
    terminate(before);
    assert_ok(note(r));   /* reconnects, then appends */
    assert_int_not_equal(backend_pid(a.pg), before);
    assert_int_equal(itsm_record_revision(r), 2);
    size_t got = 9;
    assert_ok(itsm_pg_catch_up(a.pg, a.eng, &got));
    assert_int_equal(got, 0);
    assert_int_equal(itsm_pg_wait(a.pg, 0), 0);   /* listening again */
    node_close(&a);
}

/* A child that ends, `times` times, the connection of whatever session
 * sleeps in the trigger below (an append held by the server). */
static pid_t cutter(int times)
{
    fflush(NULL);
    pid_t pid = fork();
    if (pid != 0)
        return pid;
    PGconn *c = PQconnectdb(conninfo);
    for (int done = 0, tries = 0; done < times && tries < 1000; tries++) {
        PGresult *r = PQexec(c, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE wait_event = 'PgSleep'");
        done += PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) > 0;
        PQclear(r);
        struct timespec ts = { 0, 10000000 };
        nanosleep(&ts, NULL);
    }
    PQfinish(c);
    _exit(0);
}

static long long notes_stored(void)
{
    PGresult *r = PQexec(admin, "SELECT count(*) FROM cut.itsm_events WHERE type = 'note'");
    long long n = atoll(PQgetvalue(r, 0, 0));
    PQclear(r);
    return n;
}

/* The server holds an append (a trigger sleeps) while another session ends
 * its connection: the server rolls it back; the store reconnects, reads the
 * outcome back, and sends the batch once more - kept once. Cut off twice,
 * the call fails with ITSM_ESTORE and nothing changed. */
static void an_append_cut_off_midway_is_read_back_and_sent_again(void **state)
{
    (void)state;
    fresh("cut");
    node a;
    node_open(&a, "cut", 0);
    itsm_record *r = incident(&a, "INC-C");
    sql("CREATE FUNCTION cut.slow() RETURNS trigger LANGUAGE plpgsql AS"
        " $$ BEGIN IF NEW.type = 'note' THEN PERFORM pg_sleep(0.5); END IF; RETURN NEW; END $$");
    sql("CREATE TRIGGER slow BEFORE INSERT ON cut.itsm_events FOR EACH ROW EXECUTE FUNCTION cut.slow()");

    pid_t k = cutter(1);
    assert_ok(note(r));
    waitpid(k, NULL, 0);
    assert_int_equal(itsm_record_revision(r), 2);
    assert_int_equal(notes_stored(), 1);

    k = cutter(2);
    assert_int_equal(note(r), ITSM_ESTORE);
    waitpid(k, NULL, 0);
    assert_non_null(strstr(itsm_pg_errmsg(a.pg), "the batch was not stored"));
    assert_int_equal(itsm_record_revision(r), 2);
    assert_int_equal(notes_stored(), 1);

    sql("DROP TRIGGER slow ON cut.itsm_events");
    assert_ok(note(r));
    assert_int_equal(itsm_record_revision(r), 3);
    assert_int_equal(notes_stored(), 2);
    node_close(&a);
}

/* More events than one page of the catch-up query: load and catch-up read
 * them all, in order. */
static void a_long_log_is_read_page_by_page(void **state)
{
    (void)state;
    fresh("long");
    node a, b;
    node_open(&a, "long", 0);
    node_open(&b, "long", 0);
    /* INC-1 and 10,500 notes on it written straight into the table, as a
     * node would - without the hash chain: a log from before it, read as
     * it is (a record whose events carried hashes may not lose them) */
    sql("INSERT INTO long.itsm_events (seq, record, rev, kind, type, at, actor, json) VALUES"
        " (1, 'INC-1', 1, 'incident', 'open', 1772442000, NULL, '{\"v\":1,\"type\":\"open\","
        "\"record\":\"INC-1\",\"kind\":\"incident\",\"rev\":1,\"at\":\"2026-03-02T09:00:00Z\","
        "\"state\":\"new\",\"set\":{\"opened_at\":\"2026-03-02T09:00:00Z\"}}')");
    sql("INSERT INTO long.itsm_events (seq, record, rev, kind, type, at, actor, json)"
        " SELECT g, 'INC-1', g, 'incident', 'note', 1772442000, NULL,"
        " format('{\"v\":1,\"type\":\"note\",\"record\":\"INC-1\",\"kind\":\"incident\",\"rev\":%s,"
        "\"at\":\"2026-03-02T09:00:00Z\",\"note\":{\"kind\":\"work\",\"text\":\"n%s\"}}', g, g)"
        " FROM generate_series(2, 10501) AS g");
    sql("UPDATE long.itsm_head SET seq = 10501");
    size_t got = 0;
    assert_ok(itsm_pg_catch_up(b.pg, b.eng, &got));
    assert_int_equal(got, 10501);
    itsm_record *r;
    assert_ok(itsm_record_find(&r, b.eng, "INC-1"));
    assert_int_equal(itsm_record_revision(r), 10501);
    assert_int_equal(itsm_pg_position(b.pg), 10501);
    node c;
    node_open(&c, "long", 0);   /* a whole load */
    assert_ok(itsm_record_find(&r, c.eng, "INC-1"));
    assert_int_equal(itsm_record_timeline_count(r), 10500);
    assert_ok(note(r));
    assert_int_equal(itsm_pg_position(c.pg), 10503);   /* the version's document, then the note */
    node_close(&a);
    node_close(&b);
    node_close(&c);
}

static void expect_refused(const char *schema, const char *needle)
{
    itsm_pg *pg = (itsm_pg *)1;
    itsm_pg_opts o = ITSM_PG_OPTS_INIT;
    o.schema = schema;
    char err[512] = "";
    assert_int_equal(itsm_pg_open(&pg, conninfo, &o, err, sizeof err), ITSM_ESTORE);
    assert_null(pg);
    if (!strstr(err, needle))
        fail_msg("message \"%s\" lacks \"%s\"", err, needle);
}

static void what_open_refuses(void **state)
{
    (void)state;
    fresh("future");
    node a;
    node_open(&a, "future", 0);
    node_close(&a);
    sql("INSERT INTO future.itsm_schema VALUES (3, '2031-01-01T00:00:00Z', 'from the future')");
    expect_refused("future", "has version 3; this library knows version 2 (written by a newer itsm)");
        sql("CREATE SCHEMA foreign_log");
    sql("CREATE TABLE foreign_log.itsm_events (id int)");
    expect_refused("foreign_log", "holds a table itsm_events but no itsm_schema");
    sql("DROP SCHEMA foreign_log CASCADE");

    itsm_pg *pg = (itsm_pg *)1;
    char err[256];
    assert_int_equal(itsm_pg_open(&pg, NULL, NULL, err, sizeof err), ITSM_EINVAL);
    assert_null(pg);
    assert_string_equal(err, "itsm_pg_open: NULL conninfo");
    assert_int_equal(itsm_pg_open(NULL, conninfo, NULL, NULL, 0), ITSM_EINVAL);
    itsm_pg_opts o = ITSM_PG_OPTS_INIT;
    o.schema = "";
    assert_int_equal(itsm_pg_open(&pg, conninfo, &o, err, sizeof err), ITSM_EINVAL);
    assert_string_equal(err, "itsm_pg_open: the schema name must be 1..63 bytes");
    o.schema = NULL;
    o.version = 7;
    assert_int_equal(itsm_pg_open(&pg, conninfo, &o, NULL, 0), ITSM_EINVAL);
    assert_int_equal(itsm_pg_open(&pg, "host=127.0.0.1 port=1 connect_timeout=2", NULL, err, sizeof err),
                     ITSM_ESTORE);
    assert_non_null(strstr(err, "connecting: "));
    assert_int_equal(itsm_pg_opts_init(NULL, ITSM_PG_OPTS_VERSION), ITSM_EINVAL);
    assert_int_equal(itsm_pg_opts_init(&o, 2), ITSM_EINVAL);
    itsm_pg_close(NULL);
    assert_string_equal(itsm_pg_errmsg(NULL), "no database");
    assert_int_equal(itsm_pg_position(NULL), 0);
    assert_null(itsm_pg_conn(NULL));
    uint64_t n;
    assert_int_equal(itsm_pg_count(NULL, &n), ITSM_EINVAL);
    assert_int_equal(itsm_pg_wait(NULL, 0), ITSM_EINVAL);
    assert_int_equal(itsm_pg_catch_up(NULL, NULL, NULL), ITSM_EINVAL);
}

/* A mixed-case schema name is one identifier, quoted, and its
 * notifications carry that exact name. */
static void a_quoted_schema_name_works(void **state)
{
    (void)state;
    sql("DROP SCHEMA IF EXISTS \"Desk Two\" CASCADE");
    node a, b;
    node_open(&a, "Desk Two", 1);
    node_open(&b, "Desk Two", 0);
    incident(&b, "INC-Q");
    assert_int_equal(itsm_pg_wait(a.pg, 5000), 1);
    size_t got = 0;
    assert_ok(itsm_pg_catch_up(a.pg, a.eng, &got));
    assert_int_equal(got, 2);   /* INC-Q's open and its version's document */
    node_close(&a);
    node_close(&b);
}

int main(void)
{
    if (pg_admin_connect())
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(wait_wakes_on_another_nodes_append_only),
        cmocka_unit_test(schemas_are_separate_logs),
        cmocka_unit_test(a_lost_connection_is_reestablished),
        cmocka_unit_test(an_append_cut_off_midway_is_read_back_and_sent_again),
        cmocka_unit_test(a_long_log_is_read_page_by_page),
        cmocka_unit_test(what_open_refuses),
        cmocka_unit_test(a_quoted_schema_name_works),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    PQfinish(admin);
    return rc;
}
