/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A libitsm-pg node's position (itsm_pg_position) when its own appends land
 * after another node's: catching up afterwards still reads the other
 * node's events, whether the own appends were plain or one group.
 * Needs ITSM_PG_CONNINFO (tests/stores/with_postgres.sh, which skips when
 * no PostgreSQL server is installed).
 */
#include "pg_node.h"

#include <stdio.h>

static void node_open(node *n, const char *schema)
{
    assert_ok(pg_node_open(n, schema));
}

static void incident(node *n, const char *id)
{
    assert_ok(store_open_incident(n->eng, id));
}

static void note(node *n, const char *id)
{
    assert_ok(store_note(n->eng, id, "noted"));
}

static uint64_t revision(node *n, const char *id)
{
    itsm_record *r;
    if (itsm_record_find(&r, n->eng, id) != ITSM_OK)
        return 0;
    return itsm_record_revision(r);
}

static void own_appends_after_anothers_do_not_move_the_position_past_them(void **state)
{
    (void)state;
    static const char *const schemas[] = { "pos_plain", "pos_group" };
    for (int grouped = 0; grouped < 2; grouped++) {
        char text[128];
        snprintf(text, sizeof text, "DROP SCHEMA IF EXISTS %s CASCADE", schemas[grouped]);
        PQclear(PQexec(admin, text));
        node a, b;
        node_open(&a, schemas[grouped]);
        incident(&a, "INC-A");
        node_open(&b, schemas[grouped]);
        incident(&b, "INC-B");   /* a does not know these two yet */
        note(&b, "INC-B");
        if (grouped)
            assert_ok(itsm_engine_begin(a.eng));
        note(&a, "INC-A");
        note(&a, "INC-A");
        if (grouped)
            assert_ok(itsm_engine_commit(a.eng));
        size_t nread = 0;
        assert_ok(itsm_pg_catch_up(a.pg, a.eng, &nread));
        if (revision(&a, "INC-B") != 2)
            fail_msg("%s: catching up after its own appends missed the other node's (read %zu)", schemas[grouped],
                     nread);
        assert_int_equal(revision(&a, "INC-A"), 3);
        uint64_t n = 0;
        assert_ok(itsm_pg_count(a.pg, &n));
        assert_int_equal(itsm_pg_position(a.pg), n);
        nread = 1;
        assert_ok(itsm_pg_catch_up(a.pg, a.eng, &nread));
        assert_int_equal(nread, 0);
        node_close(&b);
        node_close(&a);
    }
}

int main(void)
{
    if (pg_admin_connect())
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(own_appends_after_anothers_do_not_move_the_position_past_them),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    PQfinish(admin);
    return rc;
}
