/* SPDX-License-Identifier: Apache-2.0 */
/* The change schedule (itsm/change.h): planned windows, blackouts and
 * maintenance windows on calendars, the emergency exception, collisions
 * as findings, the forward schedule of change, and a window guard on a
 * kind that is never planned. */
#include "change_policy.h"

#include <stdlib.h>
#include <string.h>

#define N_(a) (sizeof(a) / sizeof((a)[0]))

static int schedule(itsm_record *r) { return itsm_record_fire(r, "schedule", NULL, 0); }

static void scheduling_needs_a_planned_window(void **state)
{
    (void)state;
    fixture f;
    change_fixture_open(&f, NULL, NULL, NULL);
    itsm_record *r = change_authorized(&f, "CHG1", "mail", "relay01");
    itsm_time s, e;
    assert_int_equal(itsm_change_planned(&s, &e, r), ITSM_ENOTFOUND);
    assert_int_equal(s, ITSM_TIME_NONE);
    assert_fails(f.eng, schedule(r), ITSM_EGUARD,
                 "transition 'schedule' from 'authorized' needs a planned window (itsm_change_plan)");
    change_plan(r, "2026-04-01T10:00:00Z", "2026-04-01T12:00:00Z");
    assert_ok(itsm_change_planned(&s, &e, r));
    assert_int_equal(s, at_utc("2026-04-01T10:00:00Z"));
    assert_int_equal(e, at_utc("2026-04-01T12:00:00Z"));
    assert_false(itsm_change_on_schedule(r));
    assert_ok(schedule(r));
    assert_true(itsm_change_on_schedule(r));
    event_drop_pv(f.store.events[f.store.n - 2]);   /* the policy version: test_versions.c */
    assert_non_null(strstr(f.store.events[f.store.n - 2],
                           "\"type\":\"change_plan\",\"record\":\"CHG1\",\"kind\":\"change\",\"rev\":10,"
                           "\"at\":\"2026-03-02T09:00:00Z\",\"plan\":{\"start\":\"2026-04-01T10:00:00Z\","
                           "\"end\":\"2026-04-01T12:00:00Z\"},\"hash\":\""));   /* its chain link last */
    char *d1 = engine_dump(f.eng), *d2 = change_replay_dump(&f.store);
    assert_string_equal(d1, d2);
    free(d1);
    free(d2);
    fixture_close(&f);
}

static void a_window_in_a_blackout_is_refused_naming_it(void **state)
{
    (void)state;
    fixture f;
    change_fixture_open(&f, NULL, NULL, NULL);
    itsm_record *r = change_authorized(&f, "CHG1", "mail", "relay01");
    change_plan(r, "2026-12-20T22:00:00Z", "2026-12-20T23:00:00Z");
    size_t stored = f.store.n;
    assert_fails(f.eng, schedule(r), ITSM_EGUARD,
                 "transition 'schedule' from 'authorized' needs a window the change schedule allows: "
                 "2026-12-20T22:00:00Z..2026-12-20T23:00:00Z falls in blackout 'year_end' "
                 "(2026-12-15T00:00:00Z..2027-01-05T00:00:00Z)");
    assert_int_equal(f.store.n, stored);
    assert_string_equal(itsm_record_state(r), "authorized");
    /* Touching the blackout's end is outside it. */
    change_plan(r, "2027-01-05T00:00:00Z", "2027-01-05T02:00:00Z");
    assert_ok(schedule(r));
    fixture_close(&f);
}

static void a_calendar_blackout_holds_for_its_services_only(void **state)
{
    (void)state;
    fixture f;
    change_fixture_open(&f, NULL, NULL, NULL);
    itsm_record *pay = change_authorized(&f, "PAY1", "payments", "gw01");
    itsm_record *mail = change_authorized(&f, "MAIL1", "mail", "relay01");
    change_plan(pay, "2026-04-06T17:30:00Z", "2026-04-06T19:00:00Z");   /* a Monday, trading until 18:00 */
    change_plan(mail, "2026-04-06T17:30:00Z", "2026-04-06T19:00:00Z");
    assert_fails(f.eng, schedule(pay), ITSM_EGUARD,
                 "2026-04-06T17:30:00Z..2026-04-06T19:00:00Z falls in blackout 'trading_hours' (the working time of "
                 "calendar 'trading')");
    assert_ok(schedule(mail));
    change_plan(pay, "2026-04-06T18:00:00Z", "2026-04-06T19:00:00Z");
    assert_ok(schedule(pay));
    fixture_close(&f);
}

static void a_change_outside_its_services_maintenance_window_is_refused(void **state)
{
    (void)state;
    fixture f;
    change_fixture_open(&f, NULL, NULL, NULL);
    itsm_record *r = change_authorized(&f, "CHG1", "payroll", "db01");
    /* Sunday 8 March: 01:00-05:00 Paris is 00:00-04:00Z (winter time). */
    change_plan(r, "2026-03-08T03:00:00Z", "2026-03-08T05:00:00Z");
    assert_fails(f.eng, schedule(r), ITSM_EGUARD,
                 "2026-03-08T03:00:00Z..2026-03-08T05:00:00Z is outside the maintenance window of service 'payroll' "
                 "(calendar 'payroll_maintenance')");
    /* Sunday 29 March, when the clocks go forward at 02:00: the window is
     * 01:00-02:00 and 03:00-05:00 local, 00:00-03:00Z without a gap. */
    change_plan(r, "2026-03-29T00:00:00Z", "2026-03-29T03:00:00Z");
    assert_ok(schedule(r));
    fixture_close(&f);
}

static void an_emergency_change_goes_outside_its_windows_with_the_exception_level(void **state)
{
    (void)state;
    fixture f;
    change_fixture_open(&f, NULL, NULL, NULL);
    itsm_record *n = change_authorized(&f, "CHG1", "payroll", "db01");
    itsm_record *e = change_open(&f, "ECHG1", "emergency", "payroll", "db01");
    assert_ok(itsm_record_fire(e, "assess", NULL, 0));
    change_assess(e, "high");
    assert_ok(itsm_record_approve(e, NULL, "eve", "payroll run at risk"));
    itsm_change a = { ITSM_F_ASSIGNEE, "ivan", 0 };
    assert_ok(itsm_record_fire(e, "authorize", &a, 1));
    change_plan(n, "2026-03-04T10:00:00Z", "2026-03-04T11:00:00Z");   /* a Wednesday: no maintenance */
    change_plan(e, "2026-03-04T10:00:00Z", "2026-03-04T11:00:00Z");
    assert_fails(f.eng, schedule(n), ITSM_EGUARD, "is outside the maintenance window of service 'payroll' "
                 "(calendar 'payroll_maintenance')");
    assert_null(strstr(itsm_errmsg(f.eng), "exception"));
    assert_fails(f.eng, schedule(e), ITSM_EGUARD,
                 "outside the maintenance window of service 'payroll' (calendar 'payroll_maintenance'); as an "
                 "emergency change it may go there once level 'window_exception' of approval rule "
                 "'emergency_change' is approved");
    assert_fails(f.eng, itsm_record_approve(e, "window_exception", "eve", NULL), ITSM_EINVAL,
                 "eve is not an approver at level 'window_exception'");
    assert_ok(itsm_record_approve(e, "window_exception", "cio", "approved by phone"));
    assert_ok(schedule(e));
    assert_fails(f.eng, schedule(n), ITSM_EGUARD, "outside the maintenance window");
    fixture_close(&f);
}

static void replanning_a_scheduled_change_is_checked_too(void **state)
{
    (void)state;
    fixture f;
    change_fixture_open(&f, NULL, NULL, NULL);
    itsm_record *r = change_authorized(&f, "CHG1", "mail", "relay01");
    change_plan(r, "2026-04-01T10:00:00Z", "2026-04-01T12:00:00Z");
    assert_ok(schedule(r));
    size_t stored = f.store.n;
    assert_fails(f.eng, itsm_change_plan(r, at_utc("2026-12-24T10:00:00Z"), at_utc("2026-12-24T11:00:00Z")),
                 ITSM_EGUARD, "cannot re-plan CHG1: 2026-12-24T10:00:00Z..2026-12-24T11:00:00Z falls in blackout "
                 "'year_end'");
    assert_fails(f.eng, itsm_change_plan(r, ITSM_TIME_NONE, ITSM_TIME_NONE), ITSM_ESTATE,
                 "CHG1 is on the change schedule (scheduled): re-plan it, or move it off the schedule before "
                 "removing its plan");
    assert_int_equal(f.store.n, stored);
    change_plan(r, "2026-04-02T10:00:00Z", "2026-04-02T12:00:00Z");
    fixture_close(&f);
}

static void moving_a_scheduled_change_to_another_service_meets_its_windows(void **state)
{
    (void)state;
    fixture f;
    change_fixture_open(&f, NULL, NULL, NULL);
    itsm_record *r = change_authorized(&f, "CHG1", "mail", "relay01");
    change_plan(r, "2026-04-06T17:30:00Z", "2026-04-06T19:00:00Z");   /* a Monday, payments trade until 18:00 */
    itsm_change to_payments = { ITSM_F_SERVICE, "payments", 0 };
    itsm_change to_mail = { ITSM_F_SERVICE, "mail", 0 };
    /* Off the schedule a move is free: the schedule step checks. */
    assert_ok(itsm_record_update(r, &to_payments, 1));
    assert_ok(itsm_record_update(r, &to_mail, 1));
    assert_ok(schedule(r));
    size_t stored = f.store.n;
    assert_fails(f.eng, itsm_record_update(r, &to_payments, 1), ITSM_EGUARD,
                 "cannot move CHG1 to service 'payments': 2026-04-06T17:30:00Z..2026-04-06T19:00:00Z falls in "
                 "blackout 'trading_hours' (the working time of calendar 'trading')");
    assert_int_equal(f.store.n, stored);
    assert_string_equal(itsm_record_str(r, ITSM_F_SERVICE), "mail");
    itsm_change to_payroll = { ITSM_F_SERVICE, "payroll", 0 };
    assert_fails(f.eng, itsm_record_update(r, &to_payroll, 1), ITSM_EGUARD,
                 "cannot move CHG1 to service 'payroll': 2026-04-06T17:30:00Z..2026-04-06T19:00:00Z is outside the "
                 "maintenance window of service 'payroll' (calendar 'payroll_maintenance')");
    /* Where the window is allowed, the move goes through. */
    change_plan(r, "2026-04-06T18:00:00Z", "2026-04-06T19:00:00Z");
    assert_ok(itsm_record_update(r, &to_payments, 1));
    /* A blackout on payments added since: giving the service the change
     * already has (a form that sends every field) moves nothing. */
    itsm_policy *p = change_policy();
    const char *const payments[] = { "payments" };
    itsm_blackout_def b = ITSM_BLACKOUT_DEF_INIT;
    b.name = "payments_freeze";
    b.from = at_utc("2026-04-01T00:00:00Z");
    b.to = at_utc("2026-04-30T00:00:00Z");
    b.services = payments;
    b.nservices = 1;
    assert_ok(itsm_policy_set_blackout(p, &b));
    assert_ok(itsm_engine_adopt_policy(f.eng, p));
    itsm_policy_free(p);
    itsm_change same[2] = { { ITSM_F_SERVICE, "payments", 0 }, { ITSM_F_DESCRIPTION, "swap the gateway", 0 } };
    assert_ok(itsm_record_update(r, same, 2));
    fixture_close(&f);
}

static void planning_refuses_what_is_no_window(void **state)
{
    (void)state;
    fixture f;
    change_fixture_open(&f, NULL, NULL, NULL);
    itsm_record *r = change_open(&f, "CHG1", "normal", "mail", NULL);
    itsm_time t = at_utc("2026-04-01T10:00:00Z");
    assert_fails(f.eng, itsm_change_plan(r, t, t), ITSM_EINVAL, "the planned start of CHG1 must be before its end");
    assert_fails(f.eng, itsm_change_plan(r, t, ITSM_TIME_NONE), ITSM_EINVAL, "planned end");
    assert_fails(f.eng, itsm_change_plan(r, -5, t), ITSM_EINVAL, "planned start");
    assert_int_equal(itsm_change_plan(NULL, t, t + 1), ITSM_EINVAL);
    itsm_record *inc;
    itsm_record_opts o = ITSM_RECORD_OPTS_INIT;
    assert_ok(itsm_record_open(&inc, f.eng, &o));
    assert_fails(f.eng, itsm_change_plan(inc, t, t + 1), ITSM_EINVAL, "only changes are planned; INC-000001 is an "
                 "incident");
    assert_ok(itsm_change_plan(r, t, t + 60));
    assert_ok(itsm_change_plan(r, ITSM_TIME_NONE, ITSM_TIME_NONE));   /* off the plan again */
    itsm_time s, e;
    assert_int_equal(itsm_change_planned(&s, &e, r), ITSM_ENOTFOUND);
    assert_int_equal(itsm_change_planned(NULL, &e, r), ITSM_EINVAL);
    itsm_change n = { ITSM_F_RESOLUTION_NOTES, "Withdrawn", 0 };
    assert_ok(itsm_record_fire(r, "assess", NULL, 0));
    assert_ok(itsm_record_fire(r, "reject", &n, 1));
    assert_fails(f.eng, itsm_change_plan(r, t, t + 60), ITSM_ESTATE, "cannot plan CHG1: it is rejected");
    fixture_close(&f);
}

static size_t collisions_of(const itsm_record *r, itsm_collision *c, size_t max)
{
    size_t n = 99;
    c[0].size = sizeof c[0];
    assert_ok(itsm_change_collisions(c, max, &n, r));
    return n;
}

static void collisions_raise_a_finding_on_the_newcomer(void **state)
{
    (void)state;
    fixture f;
    change_fixture_open(&f, NULL, NULL, NULL);
    itsm_record *c1 = change_authorized(&f, "CHG1", "mail", "relay01");
    itsm_record *c2 = change_authorized(&f, "CHG2", "mail", "relay01");
    itsm_record *c3 = change_authorized(&f, "CHG3", "mail", "relay02");
    itsm_record *c4 = change_authorized(&f, "CHG4", "web", "relay01");
    change_plan(c1, "2026-04-01T10:00:00Z", "2026-04-01T12:00:00Z");
    change_plan(c2, "2026-04-01T11:00:00Z", "2026-04-01T13:00:00Z");
    change_plan(c3, "2026-04-01T12:30:00Z", "2026-04-01T14:00:00Z");
    change_plan(c4, "2026-04-01T13:00:00Z", "2026-04-01T14:00:00Z");
    assert_ok(schedule(c1));
    assert_int_equal(itsm_change_findings(c1), 0);
    size_t stored = f.store.n;
    assert_ok(schedule(c2));
    assert_int_equal(f.store.n, stored + 2);   /* the step and one finding, in one append */
    char *last = f.store.events[f.store.n - 1];
    event_drop_pv(last);   /* the policy version: test_versions.c */   /* then its chain link (test_chain.c) */
    assert_ptr_equal(strstr(last,
                            "{\"v\":1,\"type\":\"schedule_collision\",\"record\":\"CHG2\",\"kind\":\"change\",\"rev\":12,"
                            "\"at\":\"2026-03-02T09:00:00Z\",\"collision\":{\"with\":\"CHG1\",\"on\":\"ci\",\"value\":"
                            "\"relay01\",\"from\":\"2026-04-01T11:00:00Z\",\"to\":\"2026-04-01T12:00:00Z\"},\"hash\":\""),
                     last);
    assert_int_equal(itsm_change_findings(c2), 1);
    assert_int_equal(itsm_change_findings(c1), 0);
    /* CHG3 shares the service with CHG2 (12:30-13:00); CHG4 only touches
     * CHG2's end and shares CHG3's start: no overlap with either item. */
    assert_ok(schedule(c3));
    assert_int_equal(itsm_change_findings(c3), 1);
    assert_ok(schedule(c4));
    assert_int_equal(itsm_change_findings(c4), 0);
    itsm_collision c[8];
    assert_int_equal(collisions_of(c2, c, 8), 2);
    assert_ptr_equal(c[0].with, c1);
    assert_int_equal(c[0].on, ITSM_COLLISION_CI);
    assert_string_equal(c[0].value, "relay01");
    assert_int_equal(c[0].from, at_utc("2026-04-01T11:00:00Z"));
    assert_int_equal(c[0].to, at_utc("2026-04-01T12:00:00Z"));
    assert_ptr_equal(c[1].with, c3);
    assert_int_equal(c[1].on, ITSM_COLLISION_SERVICE);
    assert_string_equal(c[1].value, "mail");
    assert_int_equal(collisions_of(c2, c, 1), 1);
    assert_int_equal(collisions_of(c4, c, 8), 0);
    /* Moves on the schedule are checked: a re-plan, a new item. */
    change_plan(c4, "2026-04-01T11:30:00Z", "2026-04-01T14:00:00Z");
    assert_int_equal(itsm_change_findings(c4), 2);   /* CHG1 and CHG2 on relay01 */
    itsm_change ci = { ITSM_F_CI, "relay01", 0 };
    assert_ok(itsm_record_update(c3, &ci, 1));
    assert_int_equal(itsm_change_findings(c3), 3);   /* + CHG2 and CHG4 on relay01 now */
    char *d1 = engine_dump(f.eng), *d2 = change_replay_dump(&f.store);
    assert_string_equal(d1, d2);
    free(d1);
    free(d2);
    /* Findings are part of the record's state: a replay counts them too. */
    fixture_close(&f);
}

static size_t forward(itsm_engine *eng, itsm_schedule_query *q, itsm_schedule_entry *e, size_t max)
{
    size_t n = 99;
    e[0].size = sizeof e[0];
    int rc = itsm_change_schedule(e, max, &n, eng, q);
    if (rc)
        fail_msg("itsm_change_schedule: %s", itsm_errmsg(eng));
    return n;
}

static void the_forward_schedule_lists_by_period_service_and_item(void **state)
{
    (void)state;
    fixture f;
    change_fixture_open(&f, NULL, NULL, NULL);
    itsm_record *a = change_authorized(&f, "CHG-A", "mail", "relay01");
    itsm_record *b = change_authorized(&f, "CHG-B", "web", "web01");
    itsm_record *c = change_authorized(&f, "CHG-C", "mail", "relay02");
    itsm_record *d = change_open(&f, "CHG-D", "normal", "mail", "relay01");   /* planned, not scheduled */
    change_plan(a, "2026-04-02T10:00:00Z", "2026-04-02T11:00:00Z");
    change_plan(b, "2026-04-01T10:00:00Z", "2026-04-01T11:00:00Z");
    change_plan(c, "2026-04-02T10:00:00Z", "2026-04-02T10:30:00Z");
    change_plan(d, "2026-04-03T10:00:00Z", "2026-04-03T11:00:00Z");
    assert_ok(schedule(a));
    assert_ok(schedule(b));
    assert_ok(schedule(c));
    itsm_schedule_query q = ITSM_SCHEDULE_QUERY_INIT;
    itsm_schedule_entry e[8];
    assert_int_equal(forward(f.eng, &q, e, 8), 3);
    assert_ptr_equal(e[0].rec, b);   /* by start, then end, then id */
    assert_ptr_equal(e[1].rec, c);
    assert_ptr_equal(e[2].rec, a);
    assert_int_equal(e[1].collisions, 1);   /* CHG-A on the same service */
    assert_int_equal(e[0].collisions, 0);
    q.service = "mail";
    assert_int_equal(forward(f.eng, &q, e, 8), 2);
    q.ci = "relay01";
    assert_int_equal(forward(f.eng, &q, e, 8), 1);
    assert_ptr_equal(e[0].rec, a);
    q.planned = 1;
    assert_int_equal(forward(f.eng, &q, e, 8), 2);
    assert_ptr_equal(e[1].rec, d);
    q = (itsm_schedule_query)ITSM_SCHEDULE_QUERY_INIT;
    q.from = at_utc("2026-04-01T11:00:00Z");   /* CHG-B ends as the period starts */
    q.to = at_utc("2026-04-02T10:00:00Z");
    assert_int_equal(forward(f.eng, &q, e, 8), 0);
    q.to = at_utc("2026-04-02T10:00:01Z");
    assert_int_equal(forward(f.eng, &q, e, 1), 1);
    q.from = q.to;
    size_t n;
    assert_fails(f.eng, itsm_change_schedule(e, 8, &n, f.eng, &q), ITSM_EINVAL, "the schedule period must start "
                 "before it ends");
    q.from = -3;
    assert_fails(f.eng, itsm_change_schedule(e, 8, &n, f.eng, &q), ITSM_EINVAL, "schedule period start");
    q.version = 9;
    assert_fails(f.eng, itsm_change_schedule(e, 8, &n, f.eng, &q), ITSM_EINVAL, "schedule query version 9 is newer");
    assert_int_equal(itsm_change_schedule(e, 8, NULL, f.eng, &q), ITSM_EINVAL);
    q = (itsm_schedule_query)ITSM_SCHEDULE_QUERY_INIT;
    e[0].size = 3;
    assert_fails(f.eng, itsm_change_schedule(e, 8, &n, f.eng, &q), ITSM_EINVAL, "itsm_schedule_entry.size is 3");
    /* A change that leaves the schedule leaves the list. */
    assert_ok(itsm_record_fire(c, "implement", NULL, 0));
    assert_ok(itsm_record_fire(c, "complete", NULL, 0));
    q = (itsm_schedule_query)ITSM_SCHEDULE_QUERY_INIT;
    assert_int_equal(forward(f.eng, &q, e, 8), 2);
    fixture_close(&f);
}

/* ---- the policy section ---- */

static char *policy_json(const itsm_policy *p)
{
    size_t len;
    assert_int_equal(itsm_policy_to_json(p, NULL, 0, &len), ITSM_ELIMIT);
    char *s = malloc(len + 1);
    assert_ok(itsm_policy_to_json(p, s, len + 1, &len));
    return s;
}

static void the_schedule_is_policy(void **state)
{
    (void)state;
    itsm_policy *p = change_policy(), *q;
    char *a = policy_json(p);
    assert_non_null(strstr(a, "\"change_schedule\":{\"states\":[\"scheduled\",\"implementing\",\"backed_out\"],"
                              "\"exception_types\":[\"emergency\"],\"maintenance_windows\":{\"payroll\":"
                              "\"payroll_maintenance\"},\"blackouts\":[{\"name\":\"year_end\",\"from\":"
                              "\"2026-12-15T00:00:00Z\",\"to\":\"2027-01-05T00:00:00Z\",\"calendar\":null,\"services\":"
                              "[]},{\"name\":\"trading_hours\",\"from\":null,\"to\":null,\"calendar\":\"trading\","
                              "\"services\":[\"payments\"]}]}"));
    assert_ok(itsm_policy_from_json(&q, a, strlen(a), NULL, NULL, NULL));
    char *b = policy_json(q);
    assert_string_equal(a, b);
    free(a);
    free(b);
    itsm_policy_free(q);

    itsm_blackout_def d = ITSM_BLACKOUT_DEF_INIT;
    static const char *const twice[] = { "a", "a" };
    d.name = "x";
    assert_int_equal(itsm_policy_set_blackout(p, &d), ITSM_EINVAL);
    assert_non_null(strstr(itsm_policy_errmsg(p), "blackout 'x' needs either a period (from, to) or a calendar"));
    d.calendar = "trading";
    d.from = 5;
    d.to = 10;
    assert_int_equal(itsm_policy_set_blackout(p, &d), ITSM_EINVAL);
    d.calendar = NULL;
    d.from = 10;
    d.to = 5;
    assert_int_equal(itsm_policy_set_blackout(p, &d), ITSM_EINVAL);
    assert_non_null(strstr(itsm_policy_errmsg(p), "the period must be from < to"));
    d.to = 20;
    d.services = twice;
    d.nservices = 2;
    assert_int_equal(itsm_policy_set_blackout(p, &d), ITSM_EINVAL);
    assert_non_null(strstr(itsm_policy_errmsg(p), "blackout 'x': service 'a' is given twice"));
    d.nservices = 17;
    assert_int_equal(itsm_policy_set_blackout(p, &d), ITSM_ELIMIT);
    d.nservices = 1;
    d.name = "X";
    assert_int_equal(itsm_policy_set_blackout(p, &d), ITSM_EINVAL);
    d.name = "x";
    assert_ok(itsm_policy_set_blackout(p, &d));
    d.to = 30;
    assert_ok(itsm_policy_set_blackout(p, &d));   /* replaced */
    assert_ok(itsm_policy_remove_blackout(p, "x"));
    assert_int_equal(itsm_policy_remove_blackout(p, "x"), ITSM_ENOTFOUND);
    assert_non_null(strstr(itsm_policy_errmsg(p), "no blackout 'x'"));
    assert_int_equal(itsm_policy_set_maintenance_window(p, "pay\nroll", "trading"), ITSM_EINVAL);
    assert_int_equal(itsm_policy_set_maintenance_window(p, "payroll", "Nope"), ITSM_EINVAL);
    assert_ok(itsm_policy_set_maintenance_window(p, "payroll", NULL));   /* removed */
    itsm_schedule_rules r = ITSM_SCHEDULE_RULES_INIT;
    assert_int_equal(itsm_policy_set_schedule_rules(p, &r), ITSM_EINVAL);
    assert_non_null(strstr(itsm_policy_errmsg(p), "at least one state"));
    static const char *const states[] = { "scheduled", "review" }, *const types[] = { "emergency", "expedited" };
    r.states = states;
    r.nstates = 2;
    r.exception_types = twice;
    r.nexception_types = 2;
    assert_int_equal(itsm_policy_set_schedule_rules(p, &r), ITSM_EINVAL);
    r.exception_types = types;
    assert_ok(itsm_policy_set_schedule_rules(p, &r));
    assert_int_equal(itsm_policy_check(p), 0);
    /* Defects only the check sees: unknown calendars, a schedule state the
     * lifecycle lacks. */
    assert_ok(itsm_policy_set_maintenance_window(p, "mail", "nosuch"));
    static const char *const bad_states[] = { "scheduled", "live" };
    r.states = bad_states;
    assert_ok(itsm_policy_set_schedule_rules(p, &r));
    itsm_blackout_def cb = ITSM_BLACKOUT_DEF_INIT;
    cb.name = "board";
    cb.calendar = "board_meetings";
    assert_ok(itsm_policy_set_blackout(p, &cb));
    assert_int_equal(itsm_policy_check(p), 3);
    assert_string_equal(itsm_policy_finding(p, 0), "change_schedule: the change lifecycle has no schedule state 'live'");
    assert_string_equal(itsm_policy_finding(p, 1), "change_schedule: the maintenance window of service 'mail' names "
                        "unknown calendar 'nosuch'");
    assert_string_equal(itsm_policy_finding(p, 2), "change_schedule: blackout 'board' names unknown calendar "
                        "'board_meetings'");
    itsm_policy_free(p);

    static const struct { const char *doc; const char *needle; } docs[] = {
        { "{\"itsm_policy\":1,\"change_schedule\":{\"states\":[]}}", "at least one state" },
        { "{\"itsm_policy\":1,\"change_schedule\":{\"maintenance_windows\":{\"payroll\":7}}}",
          "a maintenance window is a calendar name" },
        { "{\"itsm_policy\":1,\"change_schedule\":{\"blackouts\":[{\"name\":\"b\",\"from\":\"2026-01-01\"}]}}",
          "'from' must be a time" },
        { "{\"itsm_policy\":1,\"change_schedule\":{\"blackouts\":[{\"name\":\"b\",\"calendar\":\"trading\"},"
          "{\"name\":\"b\",\"calendar\":\"trading\"}]}}", "blackout 'b' is given twice" },
        { "{\"itsm_policy\":1,\"change_schedule\":{\"blackouts\":[{\"name\":\"b\",\"color\":1}]}}",
          "unknown member 'color' in blackout" },
    };
    for (size_t i = 0; i < N_(docs); i++) {
        itsm_parse_error err;
        int rc = itsm_policy_from_json(&q, docs[i].doc, strlen(docs[i].doc), NULL, NULL, &err);
        if (rc != ITSM_EPARSE || !strstr(err.text, docs[i].needle) || !err.column)
            fail_msg("%s: got %s \"%s\"", docs[i].doc, itsm_errname(rc), err.text);
    }
}

/* Only changes are planned, so "window:allowed" on another kind's
 * lifecycle never holds: the check names the lifecycle and the step. */
static void a_window_guard_on_a_kind_that_is_never_planned_is_a_finding(void **state)
{
    (void)state;
    itsm_policy *p = change_policy();
    assert_int_equal(itsm_policy_check(p), 0);   /* the change lifecycle asks for windows */
    assert_ok(itsm_policy_add_event(p, ITSM_KIND_INCIDENT, "fix_in_window"));
    itsm_transition_def d = ITSM_TRANSITION_DEF_INIT;
    d.from = "in_progress";
    d.event = "fix_in_window";
    d.to = "resolved";
    d.guard = "resolution_code window:allowed";
    d.stamp = "resolved_at";
    assert_ok(itsm_policy_add_transition(p, ITSM_KIND_INCIDENT, &d));
    assert_int_equal(itsm_policy_check(p), 1);
    assert_string_equal(itsm_policy_finding(p, 0), "incident: state 'in_progress': guard of 'fix_in_window' needs "
                        "'window:allowed', which only a change can meet (only changes are planned)");
    itsm_engine *eng = NULL;
    itsm_engine_opts o = ITSM_ENGINE_OPTS_INIT;
    o.policy = p;
    assert_int_equal(itsm_engine_new(&eng, &o), ITSM_EPOLICY);
    itsm_policy_free(p);
}

/* ---- failures change nothing ---- */

static void scheduling_with_findings_is_all_or_nothing_under_allocation_failure(void **state)
{
    (void)state;
    for (long n = 1;; n++) {
        failalloc fa = { 0, 0, 0, 0 };
        fixture f;
        itsm_policy *p = change_policy();
        fixture_open_with(&f, p, &fa);
        itsm_policy_free(p);
        itsm_record *a = change_authorized(&f, "CHG1", "mail", "relay01");
        itsm_record *b = change_authorized(&f, "CHG2", "mail", "relay01");
        itsm_record *c = change_authorized(&f, "CHG3", "mail", "relay02");
        change_plan(a, "2026-04-01T10:00:00Z", "2026-04-01T12:00:00Z");
        change_plan(b, "2026-04-01T11:00:00Z", "2026-04-01T13:00:00Z");
        assert_ok(schedule(a));
        assert_ok(schedule(b));
        char *before = engine_dump(f.eng);
        size_t stored = f.store.n;
        fa.fail_at = fa.calls + n;
        /* A first plan of one change, then the scheduling of it: findings
         * against both changes on the schedule come with the step. */
        int rc = itsm_change_plan(c, at_utc("2026-04-01T09:00:00Z"), at_utc("2026-04-01T14:00:00Z"));
        if (!rc)
            rc = schedule(c);
        fa.fail_at = 0;
        int failed = fa.failed;
        char *after = engine_dump(f.eng);
        if (rc) {
            assert_int_equal(rc, ITSM_ENOMEM);
            if (f.store.n == stored)
                assert_string_equal(before, after);
        } else {
            assert_int_equal(itsm_change_findings(c), 2);
        }
        char *re = change_replay_dump(&f.store);
        assert_string_equal(after, re);
        free(re);
        free(before);
        free(after);
        itsm_engine_free(f.eng);
        memstore_free(&f.store);
        assert_int_equal(fa.live, 0);
        if (!failed)
            break;
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(scheduling_needs_a_planned_window),
        cmocka_unit_test(a_window_in_a_blackout_is_refused_naming_it),
        cmocka_unit_test(a_calendar_blackout_holds_for_its_services_only),
        cmocka_unit_test(a_change_outside_its_services_maintenance_window_is_refused),
        cmocka_unit_test(an_emergency_change_goes_outside_its_windows_with_the_exception_level),
        cmocka_unit_test(replanning_a_scheduled_change_is_checked_too),
        cmocka_unit_test(moving_a_scheduled_change_to_another_service_meets_its_windows),
        cmocka_unit_test(planning_refuses_what_is_no_window),
        cmocka_unit_test(collisions_raise_a_finding_on_the_newcomer),
        cmocka_unit_test(the_forward_schedule_lists_by_period_service_and_item),
        cmocka_unit_test(the_schedule_is_policy),
        cmocka_unit_test(a_window_guard_on_a_kind_that_is_never_planned_is_a_finding),
        cmocka_unit_test(scheduling_with_findings_is_all_or_nothing_under_allocation_failure),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
