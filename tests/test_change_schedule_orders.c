/* SPDX-License-Identifier: Apache-2.0 */
/* The change schedule over a change's whole life and at its edges (the
 * practitioner's policy of change_policy.h): a change with no service
 * still meets the blackouts for every change, and two such changes share
 * nothing to collide on; a shared configuration item is a collision even
 * across services, down to a one-second overlap; a change stays on the
 * schedule through implementing and backed_out (re-plans checked,
 * collisions counted) and leaves it at review, where its finding stays
 * but the collision is gone; moving to the service of an overlapping
 * change raises the finding on the mover; a planned change previews its
 * collisions before it is scheduled; a standard change fills its maintenance
 * window to the second and not one second more. */
#include "change_policy.h"

#include <string.h>

static int schedule(itsm_record *r)
{
    return itsm_record_fire(r, "schedule", NULL, 0);
}

static size_t collisions_of(const itsm_record *r, itsm_collision *c, size_t max)
{
    c[0].size = sizeof c[0];
    size_t n = 0;
    assert_ok(itsm_change_collisions(c, max, &n, r));
    return n;
}

static void a_change_with_no_service_meets_every_changes_blackouts_and_shares_nothing(void **state)
{
    (void)state;
    fixture f;
    change_fixture_open(&f, NULL, NULL, NULL);
    itsm_record *a = change_authorized(&f, "CHG1", NULL, NULL);
    itsm_record *b = change_authorized(&f, "CHG2", NULL, NULL);
    change_plan(a, "2026-12-20T22:00:00Z", "2026-12-20T23:00:00Z");
    assert_fails(f.eng, schedule(a), ITSM_EGUARD, "falls in blackout 'year_end'");
    change_plan(a, "2026-04-01T10:00:00Z", "2026-04-01T12:00:00Z");
    change_plan(b, "2026-04-01T11:00:00Z", "2026-04-01T13:00:00Z");
    assert_ok(schedule(a));
    assert_ok(schedule(b));
    itsm_collision c[4];
    assert_int_equal(itsm_change_findings(b), 0);   /* no item or service in common */
    assert_int_equal(collisions_of(b, c, 4), 0);
    assert_int_equal(collisions_of(a, c, 4), 0);
    fixture_close(&f);
}

static void a_shared_item_collides_across_services_down_to_one_second(void **state)
{
    (void)state;
    fixture f;
    change_fixture_open(&f, NULL, NULL, NULL);
    itsm_record *c = change_authorized(&f, "CHG1", "mail", "shared01");
    itsm_record *d = change_authorized(&f, "CHG2", "web", "shared01");
    change_plan(c, "2026-04-02T10:00:00Z", "2026-04-02T12:00:00Z");
    change_plan(d, "2026-04-02T11:59:59Z", "2026-04-02T13:00:00Z");
    assert_ok(schedule(c));
    assert_ok(schedule(d));
    assert_int_equal(itsm_change_findings(d), 1);   /* on the later one */
    assert_int_equal(itsm_change_findings(c), 0);
    itsm_collision col[4];
    assert_int_equal(collisions_of(d, col, 4), 1);
    assert_ptr_equal(col[0].with, c);
    assert_int_equal(col[0].on, ITSM_COLLISION_CI);
    assert_string_equal(col[0].value, "shared01");
    assert_int_equal(col[0].from, at_utc("2026-04-02T11:59:59Z"));
    assert_int_equal(col[0].to, at_utc("2026-04-02T12:00:00Z"));
    /* moved a second later, the windows only touch */
    assert_ok(itsm_change_plan(d, at_utc("2026-04-02T12:00:00Z"), at_utc("2026-04-02T13:00:00Z")));
    assert_int_equal(collisions_of(d, col, 4), 0);
    assert_int_equal(itsm_change_findings(d), 1);   /* the finding raised stays */
    fixture_close(&f);
}

static void a_change_stays_on_the_schedule_until_its_review(void **state)
{
    (void)state;
    fixture f;
    change_fixture_open(&f, NULL, NULL, NULL);
    itsm_record *c = change_authorized(&f, "CHG1", "mail", "relay01");
    itsm_record *d = change_authorized(&f, "CHG2", "mail", "relay01");
    change_plan(c, "2026-04-02T10:00:00Z", "2026-04-02T12:00:00Z");
    change_plan(d, "2026-04-02T11:00:00Z", "2026-04-02T13:00:00Z");
    assert_ok(schedule(c));
    assert_ok(schedule(d));
    itsm_collision col[4];
    const itsm_time bs = at_utc("2026-12-20T22:00:00Z"), be = at_utc("2026-12-20T23:00:00Z");
    assert_ok(itsm_record_fire(c, "implement", NULL, 0));
    assert_true(itsm_change_on_schedule(c));
    assert_fails(f.eng, itsm_change_plan(c, bs, be), ITSM_EGUARD, "cannot re-plan CHG1: ");
    itsm_change notes = { ITSM_F_RESOLUTION_NOTES, "relay did not come back", 0 };
    assert_ok(itsm_record_fire(c, "back_out", &notes, 1));
    assert_true(itsm_change_on_schedule(c));
    assert_int_equal(collisions_of(d, col, 4), 1);
    assert_fails(f.eng, itsm_change_plan(c, bs, be), ITSM_EGUARD, "falls in blackout 'year_end'");
    assert_fails(f.eng, itsm_change_plan(c, ITSM_TIME_NONE, ITSM_TIME_NONE), ITSM_ESTATE, "");
    itsm_time s, e;
    assert_ok(itsm_change_planned(&s, &e, c));
    assert_int_equal(s, at_utc("2026-04-02T10:00:00Z"));
    /* in review it is off the schedule: no collision, the finding stays */
    assert_ok(itsm_record_fire(c, "complete", NULL, 0));
    assert_false(itsm_change_on_schedule(c));
    assert_int_equal(collisions_of(d, col, 4), 0);
    assert_int_equal(itsm_change_findings(d), 1);
    assert_ok(itsm_change_plan(c, bs, be));   /* off the schedule: planning is free */
    assert_ok(itsm_change_plan(c, ITSM_TIME_NONE, ITSM_TIME_NONE));
    assert_replays_the_same(f.eng, &f.store);
    fixture_close(&f);
}

static void a_standard_change_fills_its_maintenance_window_to_the_second(void **state)
{
    (void)state;
    fixture f;
    change_fixture_open(&f, NULL, NULL, NULL);
    /* Sunday 01:00-05:00 Paris in summer time: 23:00Z Saturday to 03:00Z. */
    itsm_record *s = change_open(&f, "CHG1", "standard", "payroll", "db01");
    change_plan(s, "2026-04-11T23:00:00Z", "2026-04-12T03:00:01Z");
    assert_fails(f.eng, schedule(s), ITSM_EGUARD, "is outside the maintenance window of service 'payroll'");
    change_plan(s, "2026-04-11T22:59:59Z", "2026-04-12T03:00:00Z");
    assert_fails(f.eng, schedule(s), ITSM_EGUARD, "is outside the maintenance window of service 'payroll'");
    assert_string_equal(itsm_record_state(s), "new");
    change_plan(s, "2026-04-11T23:00:00Z", "2026-04-12T03:00:00Z");
    assert_ok(schedule(s));
    assert_string_equal(itsm_record_state(s), "scheduled");
    fixture_close(&f);
}

/* Moving a change on the schedule to the service of another it overlaps
 * raises the finding on the mover, on that service, naming the other. */
static void a_move_to_a_busy_service_raises_a_finding_on_the_mover(void **state)
{
    (void)state;
    fixture f;
    change_fixture_open(&f, NULL, NULL, NULL);
    itsm_record *c = change_authorized(&f, "CHG1", "mail", "relay01");
    itsm_record *d = change_authorized(&f, "CHG2", "web", "web01");
    change_plan(c, "2026-04-02T10:00:00Z", "2026-04-02T12:00:00Z");
    change_plan(d, "2026-04-02T11:00:00Z", "2026-04-02T13:00:00Z");
    assert_ok(schedule(c));
    assert_ok(schedule(d));
    assert_int_equal(itsm_change_findings(d), 0);
    assert_ok(itsm_record_set_str(d, ITSM_F_SERVICE, "mail"));
    assert_int_equal(itsm_change_findings(d), 1);
    assert_int_equal(itsm_change_findings(c), 0);
    itsm_collision col[4];
    assert_int_equal(collisions_of(d, col, 4), 1);
    assert_int_equal(col[0].on, ITSM_COLLISION_SERVICE);
    assert_string_equal(col[0].value, "mail");
    assert_int_equal(col[0].from, at_utc("2026-04-02T11:00:00Z"));
    assert_int_equal(col[0].to, at_utc("2026-04-02T12:00:00Z"));
    const char *ev = memstore_find(&f.store, "\"schedule_collision\"");
    assert_non_null(ev);
    assert_non_null(strstr(ev, "\"record\":\"CHG2\""));
    assert_non_null(strstr(ev, "\"collision\":{\"with\":\"CHG1\",\"on\":\"service\",\"value\":\"mail\""));
    assert_replays_the_same(f.eng, &f.store);
    fixture_close(&f);
}

/* A change not yet on the schedule previews its collisions (the query
 * needs no schedule state of its own) but raises no finding and is nobody
 * else's collision until it comes onto the schedule. */
static void a_planned_change_previews_its_collisions_before_it_is_scheduled(void **state)
{
    (void)state;
    fixture f;
    change_fixture_open(&f, NULL, NULL, NULL);
    itsm_record *a = change_authorized(&f, "CHG1", "mail", "relay01");
    itsm_record *d = change_authorized(&f, "CHG2", "mail", "relay01");
    change_plan(a, "2026-04-02T10:00:00Z", "2026-04-02T12:00:00Z");
    assert_ok(schedule(a));
    change_plan(d, "2026-04-02T11:00:00Z", "2026-04-02T13:00:00Z");
    itsm_collision col[4];
    assert_int_equal(collisions_of(d, col, 4), 1);
    assert_ptr_equal(col[0].with, a);
    assert_int_equal(itsm_change_findings(d), 0);
    assert_int_equal(collisions_of(a, col, 4), 0);
    itsm_schedule_query q = ITSM_SCHEDULE_QUERY_INIT;
    q.planned = 1;
    itsm_schedule_entry e[4];
    e[0].size = sizeof e[0];
    size_t n = 0;
    assert_ok(itsm_change_schedule(e, 4, &n, f.eng, &q));
    assert_int_equal(n, 2);
    assert_ptr_equal(e[1].rec, d);
    assert_int_equal(e[1].collisions, 1);
    assert_int_equal(e[0].collisions, 0);
    assert_ok(schedule(d));
    assert_int_equal(itsm_change_findings(d), 1);
    assert_int_equal(collisions_of(a, col, 4), 1);
    fixture_close(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_change_with_no_service_meets_every_changes_blackouts_and_shares_nothing),
        cmocka_unit_test(a_shared_item_collides_across_services_down_to_one_second),
        cmocka_unit_test(a_change_stays_on_the_schedule_until_its_review),
        cmocka_unit_test(a_move_to_a_busy_service_raises_a_finding_on_the_mover),
        cmocka_unit_test(a_planned_change_previews_its_collisions_before_it_is_scheduled),
        cmocka_unit_test(a_standard_change_fills_its_maintenance_window_to_the_second),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
