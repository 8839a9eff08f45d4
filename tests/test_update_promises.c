/* SPDX-License-Identifier: Apache-2.0 */
/* What a promise to the customer (a customer update, an outage notice)
 * owes while the record goes on changing: a priority change, a
 * reassignment, a hold and resume re-plan the record's clocks but not the
 * time the customer was told; a reopening drops what was owed before the
 * resolution; the expected restoration counts only while still ahead
 * (DESIGN.md section 6, seed 002). Black-box: public API and stored events. */
#include "sla/sla_support.h"

static int customer_update(itsm_record *r, itsm_time eta, itsm_time next)
{
    return sla_customer_update(r, "engineer on site, replacing the switch", eta, next);
}

static itsm_time next_due(const itsm_record *r, itsm_time now)
{
    return timer(r, ITSM_TIMER_NEXT_UPDATE, now).due;
}

/* Seed 002: the customer is told when service should be back; if that
 * time cannot be met they are owed a proactive update. A P3 told at 09:10
 * "back by 10:00, next update at 12:00" is owed an update at 10:00. Raising
 * it to P1, moving it to another group, holding it for the supplier and
 * resuming it re-plan its service levels but change nothing the customer
 * was told: the update stays owed at 10:00 and is reported missed at
 * 10:00:01, once, to the audience of the priority it has then. */
static void replanning_keeps_the_update_owed_at_the_expected_restoration(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *r = open_inc(&f, 2, 2, "Mail");   /* P3: cadence 4 h of business time */
    start_work(r);
    f.clock.now = T0 + 10 * MIN;
    assert_ok(customer_update(r, T0 + HOUR, T0 + 3 * HOUR));
    assert_int_equal(next_due(r, f.clock.now), T0 + HOUR);
    f.clock.now = T0 + 15 * MIN;
    itsm_change up[2] = { { ITSM_F_IMPACT, NULL, 1 }, { ITSM_F_URGENCY, NULL, 1 } };
    assert_ok(itsm_record_update(r, up, 2));
    assert_int_equal(itsm_record_int(r, ITSM_F_PRIORITY), 1);
    assert_int_equal(next_due(r, f.clock.now), T0 + HOUR);
    f.clock.now = T0 + 20 * MIN;
    assert_ok(itsm_record_set_str(r, ITSM_F_ASSIGNMENT_GROUP, "Network"));
    assert_int_equal(next_due(r, f.clock.now), T0 + HOUR);
    f.clock.now = T0 + 25 * MIN;
    hold(r, "awaiting_supplier");
    assert_int_equal(next_due(r, f.clock.now), T0 + HOUR);
    f.clock.now = T0 + 35 * MIN;
    assert_ok(itsm_record_fire(r, "resume", NULL, 0));
    assert_int_equal(next_due(r, f.clock.now), T0 + HOUR);
    assert_int_equal(sla_tick(&f, T0 + HOUR), 0);
    assert_int_equal(sla_tick(&f, T0 + HOUR + 1), 1);
    assert_int_equal(count_events(&f.store, "update_overdue"), 1);
    const char *ev = last_of(&f.store, "update_overdue");
    assert_non_null(strstr(ev, "\"due\":\"2026-03-02T10:00:00Z\""));
    assert_non_null(strstr(ev, "\"audience\":\"broadcast\""));
    assert_replay_same(&f, NULL, T0 + 2 * HOUR);
    fixture_close(&f);
}

/* The same while the record waits on the customer: a hold pauses the
 * resolution clock, never the communication owed (the customer still
 * waits for the service), so a promise made on hold is due on hold. */
static void a_promise_made_on_hold_is_due_on_hold(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *r = open_inc(&f, 2, 2, "Mail");
    start_work(r);
    f.clock.now = T0 + 5 * MIN;
    hold(r, "awaiting_customer");
    assert_int_equal(timer(r, ITSM_TIMER_RESOLUTION, f.clock.now).status, ITSM_TIMER_PAUSED);
    f.clock.now = T0 + 10 * MIN;
    assert_ok(customer_update(r, T0 + 5 * HOUR, T0 + 30 * MIN));
    itsm_timer_info t = timer(r, ITSM_TIMER_NEXT_UPDATE, f.clock.now);
    assert_int_equal(t.status, ITSM_TIMER_RUNNING);
    assert_int_equal(t.due, T0 + 30 * MIN);
    assert_int_equal(sla_tick(&f, T0 + 30 * MIN + 1), 1);
    assert_string_equal(itsm_record_state(r), "on_hold");
    assert_non_null(strstr(last_of(&f.store, "update_overdue"), "\"audience\":\"callers\""));
    assert_replay_same(&f, NULL, T0 + HOUR);
    fixture_close(&f);
}

/* "Still ahead" is strict: an expected restoration at the very second of
 * the update is not ahead, so only the promised next update is owed; one
 * second later it is, and the update is due at it. A next update at the
 * update's own second promises nothing and is refused, nothing stored. */
static void an_expected_restoration_at_the_update_itself_is_not_ahead(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *a = open_inc(&f, 2, 2, NULL);
    itsm_record *b = open_inc(&f, 2, 2, NULL);
    start_work(a);
    start_work(b);
    f.clock.now = T0 + 10 * MIN;
    assert_ok(customer_update(a, T0 + 10 * MIN, T0 + HOUR));
    assert_int_equal(next_due(a, f.clock.now), T0 + HOUR);
    assert_ok(customer_update(b, T0 + 10 * MIN + 1, T0 + HOUR));
    assert_int_equal(next_due(b, f.clock.now), T0 + 10 * MIN + 1);
    size_t stored = f.store.n;
    uint64_t rev = itsm_record_revision(a);
    assert_int_equal(customer_update(a, T0 + 2 * HOUR, T0 + 10 * MIN), ITSM_EINVAL);
    assert_int_equal(f.store.n, stored);
    assert_int_equal(itsm_record_revision(a), rev);
    assert_int_equal(next_due(a, f.clock.now), T0 + HOUR);
    assert_replay_same(&f, NULL, T0 + 20 * MIN);
    fixture_close(&f);
}

/* Reopened after the customer rejected the restoration: what the update
 * before the resolution promised (its expected restoration included) is
 * not owed again - the next update is a cadence after the reopening, and a
 * new update made then owes its own, earlier, expected restoration. */
static void a_reopening_drops_the_restoration_promised_before_it(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *r = open_inc(&f, 1, 2, "Mail");   /* P2: cadence 1 h */
    start_work(r);
    f.clock.now = T0 + 10 * MIN;
    assert_ok(customer_update(r, T0 + 5 * HOUR, T0 + 6 * HOUR));
    f.clock.now = T0 + 20 * MIN;
    resolve(r);
    f.clock.now = T0 + 4 * HOUR;
    assert_ok(itsm_record_fire(r, "reopen", NULL, 0));
    assert_int_equal(itsm_record_int(r, ITSM_F_REOPENS), 1);
    assert_int_equal(next_due(r, f.clock.now), T0 + 5 * HOUR);   /* cadence from the reopening */
    f.clock.now = T0 + 4 * HOUR + 10 * MIN;
    assert_ok(customer_update(r, T0 + 4 * HOUR + 30 * MIN, T0 + 6 * HOUR));
    assert_int_equal(next_due(r, f.clock.now), T0 + 4 * HOUR + 30 * MIN);
    assert_int_equal(sla_tick(&f, T0 + 4 * HOUR + 30 * MIN + 1), 1);
    assert_non_null(strstr(last_of(&f.store, "update_overdue"), "\"due\":\"2026-03-02T13:30:00Z\""));
    assert_replay_same(&f, NULL, T0 + 5 * HOUR);
    fixture_close(&f);
}

/* A known outage outlives the work on its record: the outage record
 * reassigned, re-prioritised and put on hold is still the service's known
 * outage, new incidents on the service still link to it, and its notice's
 * expected restoration is still when the broadcast update is owed. */
static void the_outage_notice_holds_through_reassignment_priority_and_hold(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *o = open_inc(&f, 1, 2, "Mail");
    start_work(o);
    f.clock.now = T0 + 5 * MIN;
    assert_ok(itsm_outage_declare(o, T0 + HOUR, T0 + 2 * HOUR));
    assert_int_equal(next_due(o, f.clock.now), T0 + HOUR);
    f.clock.now = T0 + 10 * MIN;
    assert_ok(itsm_record_set_str(o, ITSM_F_ASSIGNMENT_GROUP, "Messaging"));
    f.clock.now = T0 + 15 * MIN;
    assert_ok(itsm_record_set_int(o, ITSM_F_URGENCY, 1));
    assert_int_equal(itsm_record_int(o, ITSM_F_PRIORITY), 1);
    f.clock.now = T0 + 20 * MIN;
    hold(o, "awaiting_supplier");
    assert_ptr_equal(itsm_engine_outage(f.eng, "Mail"), o);
    assert_int_equal(next_due(o, f.clock.now), T0 + HOUR);
    f.clock.now = T0 + 30 * MIN;
    itsm_record *c = open_inc(&f, 3, 3, "Mail");
    assert_int_equal(itsm_record_link_count(c), 1);
    itsm_link l = { .size = sizeof l };
    assert_ok(itsm_record_link_at(c, 0, &l));
    assert_int_equal(l.kind, ITSM_LINK_RELATED);
    assert_string_equal(l.target_id, itsm_record_id(o));
    assert_int_equal(sla_tick(&f, T0 + HOUR + 1), 1);
    const char *ev = last_of(&f.store, "update_overdue");
    assert_non_null(strstr(ev, itsm_record_id(o)));
    assert_non_null(strstr(ev, "\"audience\":\"broadcast\""));
    assert_replay_same(&f, NULL, T0 + 2 * HOUR);
    fixture_close(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(replanning_keeps_the_update_owed_at_the_expected_restoration),
        cmocka_unit_test(a_promise_made_on_hold_is_due_on_hold),
        cmocka_unit_test(an_expected_restoration_at_the_update_itself_is_not_ahead),
        cmocka_unit_test(a_reopening_drops_the_restoration_promised_before_it),
        cmocka_unit_test(the_outage_notice_holds_through_reassignment_priority_and_hold),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
