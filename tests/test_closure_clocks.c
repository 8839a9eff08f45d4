/* SPDX-License-Identifier: Apache-2.0 */
/* The clocks at the end of a record's life (DESIGN.md sections 3, 4, 7):
 * the auto-close period in calendar days, auto-close without service
 * levels, canceling, and a fulfilled request waiting to close. */
#include "sla/sla_support.h"

/* resolve with the whole closure checklist */
static void resolve_complete(itsm_record *r)
{
    itsm_change c[4] = { { ITSM_F_RESOLUTION_CODE, "fixed", 0 }, { ITSM_F_RESOLUTION_NOTES, "restarted", 0 },
                         { ITSM_F_CATEGORY, "mail", 0 }, { ITSM_F_KNOWLEDGE_DECISION, "not_needed", 0 } };
    assert_ok(itsm_record_fire(r, "resolve", c, 4));
}

/* Seed 002: "allow up to three days for the customer to contact the
 * Service Desk": the auto-close period is calendar time, not working
 * time, even for a record whose targets count business hours. Resolved
 * on a Friday afternoon, it closes on Monday afternoon. */
static void auto_close_counts_calendar_days_not_working_days(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_time fri16 = T0 + 4 * DAY + 7 * HOUR;
    f.clock.now = fri16 - HOUR;
    itsm_record *r = open_inc(&f, 2, 2, NULL);   /* P3: business calendar */
    start_work(r);
    f.clock.now = fri16;
    resolve_complete(r);
    assert_int_equal(itsm_record_auto_close_due(r), fri16 + 3 * DAY);
    sla_tick(&f, fri16 + 3 * DAY - 1);
    assert_string_equal(itsm_record_state(r), "resolved");
    sla_tick(&f, fri16 + 3 * DAY);
    assert_string_equal(itsm_record_state(r), "closed");
    assert_int_equal(itsm_record_int(r, ITSM_F_CLOSED_AT), fri16 + 3 * DAY);
    fixture_close(&f);
}

/* Seed 002: "if the customer doesn't respond, then the incident ticket is
 * auto-closed" - a closure rule, not a service level: an incident that
 * never got a priority (so has no clocks) is still asked to verify and
 * closed by the timer. */
static void an_incident_without_a_priority_is_auto_closed_too(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *r = NULL;
    itsm_change init = { ITSM_F_SUMMARY, "Printer jams", 0 };
    itsm_record_opts o = ITSM_RECORD_OPTS_INIT;
    o.fields = &init;
    o.nfields = 1;
    assert_ok(itsm_record_open(&r, f.eng, &o));
    assert_int_equal(itsm_record_int(r, ITSM_F_PRIORITY), 0);
    start_work(r);
    f.clock.now = T0 + HOUR;
    resolve_complete(r);
    assert_int_equal(itsm_record_auto_close_due(r), T0 + HOUR + 3 * DAY);
    sla_tick(&f, T0 + HOUR + 3 * DAY);
    assert_string_equal(itsm_record_state(r), "closed");
    assert_replay_same(&f, NULL, T0 + 4 * DAY);
    fixture_close(&f);
}

/* DESIGN 3: any open state -> canceled. A canceled incident owes nobody
 * anything: every clock stops, no warning, breach, ladder step or overdue
 * update fires for it afterwards, and it leaves the aging list. */
static void canceling_stops_every_clock(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *r = open_inc(&f, 1, 1, NULL);   /* P1: 15 min / 4 h, cadence 30 min */
    start_work(r);
    f.clock.now = T0 + 10 * MIN;
    assert_ok(itsm_record_fire(r, "cancel", NULL, 0));
    assert_string_equal(itsm_record_state(r), "canceled");
    size_t before = f.store.n;
    sla_tick(&f, T0 + 30 * DAY);
    assert_int_equal(f.store.n, before);
    for (int t = ITSM_TIMER_RESPONSE; t <= ITSM_TIMER_NEXT_UPDATE; t++) {
        itsm_timer_info ti = timer(r, (itsm_timer)t, T0 + 30 * DAY);
        assert_true(ti.status == ITSM_TIMER_STOPPED || ti.status == ITSM_TIMER_NONE);
        assert_false(ti.breached);
    }
    assert_int_equal(itsm_record_auto_close_due(r), ITSM_TIME_NONE);
    itsm_aging_entry a[4] = { { .size = sizeof a[0] } };
    size_t n = 9;
    assert_ok(itsm_engine_aging(a, 4, &n, f.eng, ITSM_AGING_BY_AGE, T0 + 30 * DAY));
    assert_int_equal(n, 0);
    assert_ok(itsm_engine_aging(a, 4, &n, f.eng, ITSM_AGING_BY_BREACH, T0 + 30 * DAY));
    assert_int_equal(n, 0);
    fixture_close(&f);
}

/* A request taken through fulfilment to fulfilled. */
static itsm_record *fulfilled_request(fixture *f)
{
    itsm_record *q = NULL;
    itsm_change init[3] = { { ITSM_F_SUMMARY, "New laptop", 0 }, { ITSM_F_IMPACT, NULL, 1 },
                            { ITSM_F_URGENCY, NULL, 2 } };
    itsm_record_opts o = ITSM_RECORD_OPTS_INIT;
    o.kind = ITSM_KIND_SERVICE_REQUEST;
    o.fields = init;
    o.nfields = 3;
    assert_ok(itsm_record_open(&q, f->eng, &o));
    itsm_change sub[2] = { { ITSM_F_CALLER, "carl", 0 }, { ITSM_F_SERVICE, "Laptops", 0 } };
    assert_ok(itsm_record_fire(q, "submit", sub, 2));
    assert_ok(itsm_record_approve(q, NULL, "mgr", "budget ok"));
    assert_ok(itsm_record_fire(q, "approve", NULL, 0));
    itsm_change g[2] = { { ITSM_F_ASSIGNMENT_GROUP, "Desk", 0 }, { ITSM_F_ASSIGNEE, "fay", 0 } };
    assert_ok(itsm_record_fire(q, "fulfil", g, 2));
    itsm_change done = { ITSM_F_RESOLUTION_NOTES, "delivered", 0 };
    assert_ok(itsm_record_fire(q, "complete", &done, 1));
    assert_string_equal(itsm_record_state(q), "fulfilled");
    return q;
}

/* Seed 003, 2.5 Close "applies to all Incidents and Requests": a
 * fulfilled request closes with the checklist, naming everything still
 * missing at once; a tick in the meantime neither closes it past its
 * checklist nor fails. */
static void a_fulfilled_request_closes_only_with_the_checklist(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *q = fulfilled_request(&f);
    sla_tick(&f, T0 + 10 * DAY);
    assert_string_equal(itsm_record_state(q), "fulfilled");
    assert_fails(f.eng, itsm_record_fire(q, "close", NULL, 0), ITSM_EGUARD, "category");
    assert_non_null(strstr(itsm_errmsg(f.eng), "knowledge_decision"));
    assert_int_equal(itsm_guard_missing_count(f.eng), 2);
    itsm_change c[2] = { { ITSM_F_CATEGORY, "hardware", 0 }, { ITSM_F_KNOWLEDGE_DECISION, "not_needed", 0 } };
    assert_ok(itsm_record_fire(q, "close", c, 2));
    assert_string_equal(itsm_record_state(q), "closed");
    assert_replay_same(&f, NULL, T0 + 10 * DAY);
    fixture_close(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(auto_close_counts_calendar_days_not_working_days),
        cmocka_unit_test(an_incident_without_a_priority_is_auto_closed_too),
        cmocka_unit_test(canceling_stops_every_clock),
        cmocka_unit_test(a_fulfilled_request_closes_only_with_the_checklist),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
