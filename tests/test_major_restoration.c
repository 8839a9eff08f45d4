/* SPDX-License-Identifier: Apache-2.0 */
/* Restoration of a major incident that is also its service's known
 * outage (DESIGN.md sections 5-7, seeds 002 and 003): what each record
 * still owes the customer once the parent is restored, and how each
 * closes. Black-box: public API and stored events. */
#include "sla/sla_support.h"

static int customer_update(itsm_record *r, itsm_time eta, itsm_time next)
{
    return sla_customer_update(r, "the relay is being replaced", eta, next);
}

/* An accepted major incident in work, its first-phase duties done (groups
 * engaged, the initial communication issued), so that only what the
 * customers are owed is left to fire. */
static itsm_record *major_in_work(fixture *f)
{
    itsm_record *p = open_inc(f, 1, 1, "Mail");
    assert_ok(itsm_major_decide(p, 1, "mim"));
    start_work(p);
    const char *groups[] = { "Messaging" };
    assert_ok(itsm_major_engage_groups(p, groups, 1));
    assert_ok(itsm_major_communication_issued(p));
    return p;
}

static itsm_record *child_on(fixture *f, itsm_record *parent)
{
    itsm_record *c = open_inc(f, 2, 2, "Mail");
    itsm_change cat = { ITSM_F_CATEGORY, "mail", 0 };
    assert_ok(itsm_record_update(c, &cat, 1));
    start_work(c);
    assert_ok(itsm_major_attach(parent, c));
    return c;
}

/* A major incident declared as Mail's known outage, with two children: one
 * worked, one on hold for the supplier with a promise whose expected
 * restoration lies after the fix. Restoring the parent ends the outage,
 * resolves both children with its resolution (the one on hold too), and
 * stops what they owed: no update is reported missed at the child's
 * promise. The children's callers get their three days from that
 * restoration and are closed by the timer; the major incident itself is
 * never closed by it and waits for its review. */
static void restoring_a_major_outage_stops_the_updates_and_starts_the_childrens_windows(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *p = major_in_work(&f);
    f.clock.now = T0 + 5 * MIN;
    assert_ok(itsm_outage_declare(p, T0 + 2 * HOUR, T0 + 30 * MIN));
    f.clock.now = T0 + 10 * MIN;
    itsm_record *worked = child_on(&f, p);
    itsm_record *held = child_on(&f, p);
    f.clock.now = T0 + 15 * MIN;
    hold(held, "awaiting_supplier");
    assert_ok(customer_update(held, T0 + 3 * HOUR, T0 + 4 * HOUR));
    assert_int_equal(timer(held, ITSM_TIMER_NEXT_UPDATE, f.clock.now).due, T0 + 3 * HOUR);
    f.clock.now = T0 + 20 * MIN;
    assert_ok(customer_update(p, T0 + 2 * HOUR, T0 + 50 * MIN));
    f.clock.now = T0 + 40 * MIN;
    itsm_change fix[4] = { { ITSM_F_RESOLUTION_CODE, "config_fix", 0 }, { ITSM_F_RESOLUTION_NOTES, "rolled back the relay", 0 },
                           { ITSM_F_CATEGORY, "mail", 0 }, { ITSM_F_KNOWLEDGE_DECISION, "not_needed", 0 } };
    assert_ok(itsm_record_fire(p, "resolve", fix, 4));
    assert_null(itsm_engine_outage(f.eng, "Mail"));
    assert_int_equal(count_events(&f.store, "outage_ended"), 1);
    itsm_record *all[3] = { p, worked, held };
    for (int i = 0; i < 3; i++) {
        assert_string_equal(itsm_record_state(all[i]), "resolved");
        assert_int_equal(timer(all[i], ITSM_TIMER_NEXT_UPDATE, T0 + 5 * HOUR).status, ITSM_TIMER_STOPPED);
    }
    assert_null(itsm_record_str(held, ITSM_F_HOLD_REASON));
    assert_string_equal(itsm_record_str(held, ITSM_F_RESOLUTION_CODE), "config_fix");
    assert_int_equal(itsm_record_auto_close_due(p), ITSM_TIME_NONE);
    assert_int_equal(itsm_record_auto_close_due(worked), T0 + 40 * MIN + 3 * DAY);
    assert_int_equal(itsm_record_auto_close_due(held), T0 + 40 * MIN + 3 * DAY);
    assert_int_equal(sla_tick(&f, T0 + 5 * HOUR), 0);
    assert_int_equal(count_events(&f.store, "update_overdue"), 0);
    assert_int_equal(sla_tick(&f, T0 + 40 * MIN + 3 * DAY), 2);
    assert_string_equal(itsm_record_state(worked), "closed");
    assert_string_equal(itsm_record_state(held), "closed");
    assert_string_equal(itsm_record_state(p), "resolved");
    assert_int_equal(sla_tick(&f, T0 + 30 * DAY), 0);
    assert_string_equal(itsm_record_state(p), "resolved");
    assert_int_equal(count_events(&f.store, "update_overdue"), 0);
    assert_replay_same(&f, NULL, T0 + 31 * DAY);
    fixture_close(&f);
}

/* A child's caller rejects the restoration within the window: the child is
 * reopened on its own (counted), the parent stays restored, and the reopened
 * child owes its caller an update a cadence after the reopening - at its
 * own priority (P3: callers only, 4 working hours). */
static void a_child_reopened_by_its_caller_owes_its_own_update(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *p = major_in_work(&f);
    itsm_record *c = child_on(&f, p);
    f.clock.now = T0 + 30 * MIN;
    itsm_change fix[2] = { { ITSM_F_RESOLUTION_CODE, "config_fix", 0 }, { ITSM_F_RESOLUTION_NOTES, "rolled back", 0 } };
    assert_ok(itsm_record_fire(p, "resolve", fix, 2));
    assert_string_equal(itsm_record_state(c), "resolved");
    f.clock.now = T0 + HOUR;
    assert_ok(itsm_record_fire(c, "reopen", NULL, 0));
    assert_int_equal(itsm_record_int(c, ITSM_F_REOPENS), 1);
    assert_int_equal(itsm_record_int(p, ITSM_F_REOPENS), 0);
    assert_string_equal(itsm_record_state(p), "resolved");
    assert_int_equal(itsm_record_auto_close_due(c), ITSM_TIME_NONE);
    assert_int_equal(timer(c, ITSM_TIMER_NEXT_UPDATE, f.clock.now).due, T0 + 5 * HOUR);
    assert_int_equal(sla_tick(&f, T0 + 5 * HOUR + 1), 1);
    const char *ev = last_of(&f.store, "update_overdue");
    assert_non_null(strstr(ev, itsm_record_id(c)));
    assert_non_null(strstr(ev, "\"audience\":\"callers\""));
    assert_replay_same(&f, NULL, T0 + 6 * HOUR);
    fixture_close(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(restoring_a_major_outage_stops_the_updates_and_starts_the_childrens_windows),
        cmocka_unit_test(a_child_reopened_by_its_caller_owes_its_own_update),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
