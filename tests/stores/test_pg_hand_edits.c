/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A libitsm-pg event log edited by hand with SQL (itsm/integrity.h: a store
 * edited by hand is detected, not trusted): an event changed, or two moved
 * in append order, is ITSM_ETAMPER for a node loading the log, naming the
 * first broken link, and that node stays empty; a node catching up over
 * an edited event refuses it and keeps its records as they were.
 * Needs ITSM_PG_CONNINFO (tests/stores/with_postgres.sh, which skips when
 * no PostgreSQL server is installed).
 */
#include "pg_node.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int node_open(node *n, const char *schema)
{
    return pg_node_open(n, schema);
}

static void incident(node *n, const char *id)
{
    assert_ok(store_open_incident(n->eng, id));
}

static void note(node *n, const char *id, const char *text)
{
    assert_ok(store_note(n->eng, id, text));
}

/* INC-1 at revision 4 (notes alpha, bravo, charlie), INC-2 at 1. */
static void write_story(const char *schema)
{
    fresh(schema);
    node a;
    assert_ok(node_open(&a, schema));
    incident(&a, "INC-1");
    incident(&a, "INC-2");
    note(&a, "INC-1", "alpha");
    note(&a, "INC-1", "bravo");
    note(&a, "INC-1", "charlie");
    node_close(&a);
}

static void expect_tampered(const char *schema, const char *because)
{
    node b;
    int rc = node_open(&b, schema);
    if (rc != ITSM_ETAMPER || !strstr(itsm_errmsg(b.eng), because))
        fail_msg("load gave %s (%s), not ITSM_ETAMPER saying '%s'", itsm_errname(rc), itsm_errmsg(b.eng), because);
    assert_int_equal(itsm_engine_record_count(b.eng), 0);
    node_close(&b);
}

static void an_event_edited_in_the_database_is_tampering_at_its_revision(void **state)
{
    (void)state;
    write_story("edited");
    sql("UPDATE edited.itsm_events SET json = replace(json, 'bravo', 'BRAVO') WHERE record = 'INC-1' AND rev = 3");
    expect_tampered("edited", "record INC-1 revision 3 does not match its hash");
}

static long long seq_of(const char *schema, const char *record, int rev)
{
    char text[256];
    snprintf(text, sizeof text, "SELECT seq FROM %s.itsm_events WHERE record = '%s' AND rev = %d", schema, record,
             rev);
    PGresult *r = PQexec(admin, text);
    if (PQresultStatus(r) != PGRES_TUPLES_OK || PQntuples(r) != 1)
        fail_msg("%s: %s", text, PQerrorMessage(admin));
    long long seq = atoll(PQgetvalue(r, 0, 0));
    PQclear(r);
    return seq;
}

/* Two events of a record swapped in append order (their seq exchanged):
 * the log gives revision 3 before 2. */
static void events_moved_in_append_order_are_tampering(void **state)
{
    (void)state;
    write_story("moved");
    long long s2 = seq_of("moved", "INC-1", 2), s3 = seq_of("moved", "INC-1", 3);
    char text[512];
    snprintf(text, sizeof text,
             "BEGIN; UPDATE moved.itsm_events SET seq = -1 WHERE seq = %lld;"
             " UPDATE moved.itsm_events SET seq = %lld WHERE seq = %lld;"
             " UPDATE moved.itsm_events SET seq = %lld WHERE seq = -1; COMMIT",
             s2, s2, s3, s3);
    sql(text);
    expect_tampered("moved", "record INC-1 revision 3 comes where revision 2 should");
}

static void catching_up_over_an_edited_event_changes_nothing(void **state)
{
    (void)state;
    write_story("followed");
    node follower, writer;
    assert_ok(node_open(&follower, "followed"));
    assert_ok(node_open(&writer, "followed"));
    note(&writer, "INC-2", "echo");
    node_close(&writer);
    sql("UPDATE followed.itsm_events SET json = replace(json, 'echo', 'ECHO') WHERE record = 'INC-2' AND rev = 2");
    assert_fails(follower.eng, itsm_pg_catch_up(follower.pg, follower.eng, NULL), ITSM_ETAMPER,
                 "record INC-2 revision 2 does not match its hash");
    itsm_record *r;
    assert_ok(itsm_record_find(&r, follower.eng, "INC-2"));
    assert_int_equal(itsm_record_revision(r), 1);
    node_close(&follower);
}

int main(void)
{
    if (pg_admin_connect())
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(an_event_edited_in_the_database_is_tampering_at_its_revision),
        cmocka_unit_test(events_moved_in_append_order_are_tampering),
        cmocka_unit_test(catching_up_over_an_edited_event_changes_nothing),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    PQfinish(admin);
    return rc;
}
