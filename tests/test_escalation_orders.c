/* SPDX-License-Identifier: Apache-2.0 */
/* Functional and hierarchical escalation in unusual but legal orders
 * (DESIGN.md section 5; seed 003, "2.2 Diagnose" and "2.3 Escalate"):
 * an incident waiting on its supplier is referred to level 3 and keeps
 * waiting, a reopened incident keeps the levels it reached, level 3 is
 * the last however it is reached, a canceled incident goes nowhere.
 * Black-box: public API only. */
#include "sla/sla_support.h"

/* A refused call: its code and message, and neither the engine nor the
 * store changed (as tests/support/record_check.h's refuse). */
#define refuse(f, call, code, needle) do {                                  \
        char *b_ = engine_dump((f)->eng);                                   \
        size_t n_ = (f)->store.n;                                           \
        assert_fails((f)->eng, call, code, needle);                         \
        char *a_ = engine_dump((f)->eng);                                   \
        if (strcmp(a_, b_) != 0)                                            \
            fail_msg("%s changed the engine although it failed", #call);    \
        assert_int_equal((f)->store.n, n_);                                 \
        free(a_);                                                           \
        free(b_);                                                           \
    } while (0)

static int64_t flevel(const itsm_record *r) { return itsm_record_int(r, ITSM_F_FUNCTIONAL_LEVEL); }
static int64_t hlevel(const itsm_record *r) { return itsm_record_int(r, ITSM_F_HIERARCHICAL_LEVEL); }

static itsm_timer_info resolution_timer(const itsm_record *r, itsm_time now)
{
    itsm_timer_info t;
    memset(&t, 0, sizeof t);
    t.size = sizeof t;
    assert_ok(itsm_record_timer(&t, r, ITSM_TIMER_RESOLUTION, now));
    return t;
}

/* Seed 003: level 3 is "often a supplier external to your organisation".
 * An incident on hold for its customer is referred to the supplier's
 * group while it waits: it stays on hold with its reason, its resolution
 * clock stays paused (the hold, not the escalation, decides the pause),
 * and a manager can still be told of it - the work is still owed. */
static void a_held_incident_is_referred_to_level_three_and_stays_held(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *r = open_inc(&f, 2, 2, "Mail");
    start_work(r);
    f.clock.now = T0 + HOUR;
    hold(r, "awaiting_customer");
    itsm_timer_info before = resolution_timer(r, T0 + HOUR);
    assert_int_equal(before.status, ITSM_TIMER_PAUSED);
    f.clock.now = T0 + 2 * HOUR;
    assert_ok(itsm_record_escalate(r, 3, "Vendor", "reinstalled the client, the fault is in the product"));
    assert_int_equal(flevel(r), 3);
    assert_string_equal(itsm_record_str(r, ITSM_F_ASSIGNMENT_GROUP), "Vendor");
    assert_string_equal(itsm_record_state(r), "on_hold");
    assert_string_equal(itsm_record_str(r, ITSM_F_HOLD_REASON), "awaiting_customer");
    itsm_timer_info after = resolution_timer(r, T0 + 3 * HOUR);
    assert_int_equal(after.status, ITSM_TIMER_PAUSED);
    assert_int_equal(after.elapsed, before.elapsed);   /* nothing counted while it waits */
    assert_ok(itsm_record_escalate_hierarchical(r, "the customer waits on the supplier"));
    assert_int_equal(hlevel(r), 1);
    assert_string_equal(itsm_record_state(r), "on_hold");
    assert_replays_the_same(f.eng, &f.store);
    fixture_close(&f);
}

/* Escalation passes work on: a canceled incident has none, so neither a
 * support group nor a manager gets it (ITSM_ESTATE, nothing stored) -
 * whether it was canceled new or in work, escalated or not. */
static void a_canceled_incident_is_neither_passed_on_nor_escalated(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *fresh = open_inc(&f, 2, 2, "Mail");
    assert_ok(itsm_record_fire(fresh, "cancel", NULL, 0));
    refuse(&f, itsm_record_escalate(fresh, 0, "L2", "checked the queue"), ITSM_ESTATE, "INC-");
    refuse(&f, itsm_record_escalate_hierarchical(fresh, "the caller chases"), ITSM_ESTATE, "INC-");
    itsm_record *worked = open_inc(&f, 2, 2, "Mail");
    start_work(worked);
    assert_ok(itsm_record_escalate(worked, 0, "L2", "checked the queue"));
    assert_ok(itsm_record_escalate_hierarchical(worked, "the caller chases"));
    assert_ok(itsm_record_fire(worked, "cancel", NULL, 0));
    refuse(&f, itsm_record_escalate(worked, 0, "L3", "rebuilt the mailbox"), ITSM_ESTATE, "INC-");
    refuse(&f, itsm_record_escalate_hierarchical(worked, "the caller chases again"), ITSM_ESTATE, "INC-");
    assert_int_equal(flevel(worked), 2);
    assert_int_equal(hlevel(worked), 1);
    fixture_close(&f);
}

/* A reopen says the fix did not hold; the incident goes back to whoever
 * had reached it: the functional and hierarchical levels it reached stay,
 * and the next escalation climbs on from them (level 3, the next rung),
 * not from the desk again. */
static void a_reopened_incident_keeps_the_levels_it_reached_and_climbs_on(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *r = open_inc(&f, 2, 2, "Mail");
    start_work(r);
    assert_ok(itsm_record_escalate(r, 0, "Messaging", "restarted the client"));
    assert_ok(itsm_record_escalate_hierarchical(r, "the caller is the CFO"));
    f.clock.now = T0 + HOUR;
    resolve(r);
    f.clock.now = T0 + 2 * HOUR;
    assert_ok(itsm_record_fire(r, "reopen", NULL, 0));
    assert_int_equal(flevel(r), 2);
    assert_int_equal(hlevel(r), 1);
    assert_string_equal(itsm_record_str(r, ITSM_F_ASSIGNMENT_GROUP), "Messaging");
    assert_ok(itsm_record_escalate(r, 0, "Vendor", "the fix did not hold"));
    assert_int_equal(flevel(r), 3);
    assert_ok(itsm_record_escalate_hierarchical(r, "reopened"));
    assert_int_equal(hlevel(r), 2);
    assert_string_equal(itsm_record_escalation_audience(r), "service_desk_manager");
    assert_false(itsm_record_first_contact_resolution(r));
    assert_replays_the_same(f.eng, &f.store);
    fixture_close(&f);
}

/* Seed 003: "If they can't fix things, they refer the incident to Level
 * 3" - the last level. Reached directly from the desk (one step, one
 * reassignment) or by way of level 2, nothing goes past it: the next
 * escalation is ITSM_ELIMIT and changes nothing, and a level above 3 is
 * no level at all. */
static void level_three_is_the_last_however_it_is_reached(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *direct = open_inc(&f, 2, 2, "Mail");
    start_work(direct);
    assert_ok(itsm_record_escalate(direct, 3, "Vendor", "the product itself fails"));
    assert_int_equal(flevel(direct), 3);
    assert_int_equal(itsm_record_int(direct, ITSM_F_REASSIGNMENTS), 1);
    refuse(&f, itsm_record_escalate(direct, 0, "Vendor2", "still failing"), ITSM_ELIMIT, "level 3");
    refuse(&f, itsm_record_escalate(direct, 4, "Vendor2", "still failing"), ITSM_EINVAL, "level");
    itsm_record *stepped = open_inc(&f, 2, 2, "Mail");
    start_work(stepped);
    assert_ok(itsm_record_escalate(stepped, 0, "Messaging", "restarted the client"));
    assert_ok(itsm_record_escalate(stepped, 0, "Vendor", "rebuilt the mailbox"));
    assert_int_equal(flevel(stepped), 3);
    assert_int_equal(itsm_record_int(stepped, ITSM_F_REASSIGNMENTS), 2);
    refuse(&f, itsm_record_escalate(stepped, 0, NULL, "still failing"), ITSM_ELIMIT, "level 3");
    fixture_close(&f);
}

/* "Regularly monitor how long requests are taking and chase up the slow
 * ones": an incident nobody has taken yet is the first to chase, so a
 * manager can be told of it while it is new - the first rung, with its
 * audience - and it still has no owner until someone takes it. */
static void a_new_incident_nobody_took_yet_can_be_chased_up(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *r = open_inc(&f, 2, 2, "Mail");
    assert_string_equal(itsm_record_state(r), "new");
    assert_ok(itsm_record_escalate_hierarchical(r, "nobody took it in an hour"));
    assert_int_equal(hlevel(r), 1);
    assert_string_equal(itsm_record_escalation_audience(r), "team_lead");
    assert_string_equal(itsm_record_state(r), "new");
    assert_null(itsm_record_str(r, ITSM_F_ASSIGNEE));
    fixture_close(&f);
}

/* Seed 003: the senior person "might make a call that this is a Major
 * Incident" - and the call, once made, stands. A proposal the manager
 * rejected is not proposed again by the priority rule when its priority
 * drops and comes back to 1 (nor does an accepted one get a second
 * proposal); a person may still propose it again by hand. */
static void the_managers_call_stands_against_the_priority_rule(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *r = open_inc(&f, 1, 1, "Mail");
    assert_int_equal(itsm_record_major_state(r), ITSM_MAJOR_PROPOSED);
    assert_ok(itsm_major_decide(r, 0, "mim"));
    assert_ok(itsm_record_set_int(r, ITSM_F_URGENCY, 2));
    assert_ok(itsm_record_set_int(r, ITSM_F_URGENCY, 1));
    assert_int_equal(itsm_record_int(r, ITSM_F_PRIORITY), 1);
    assert_int_equal(itsm_record_major_state(r), ITSM_MAJOR_REJECTED);
    itsm_record *a = open_inc(&f, 1, 1, "Web");
    assert_ok(itsm_major_decide(a, 1, "mim"));
    assert_ok(itsm_record_set_int(a, ITSM_F_URGENCY, 3));
    assert_ok(itsm_record_set_int(a, ITSM_F_URGENCY, 1));
    assert_int_equal(itsm_record_major_state(a), ITSM_MAJOR_ACCEPTED);
    assert_int_equal(count_events(&f.store, "major_proposed"), 2);
    assert_ok(itsm_major_propose(r, "the whole floor is down now"));
    assert_int_equal(itsm_record_major_state(r), ITSM_MAJOR_PROPOSED);
    assert_int_equal(count_events(&f.store, "major_proposed"), 3);
    assert_replays_the_same(f.eng, &f.store);
    fixture_close(&f);
}

static itsm_record *open_kind(fixture *f, itsm_kind kind, const itsm_change *fields, size_t n)
{
    itsm_record_opts o = ITSM_RECORD_OPTS_INIT;
    o.kind = kind;
    o.fields = fields;
    o.nfields = n;
    itsm_record *r = NULL;
    assert_ok(itsm_record_open(&r, f->eng, &o));
    return r;
}

/* Seed 003: "Everything we talked about last time regarding Requests
 * still applies" - pass requests to someone else, chase up the slow ones.
 * A service request climbs the support levels and the ladder as an
 * incident does; a problem, a change and an article have no service
 * level to escalate (ITSM_ESTATE, nothing stored): their owners are
 * chosen. */
static void a_request_is_passed_on_and_chased_up_as_an_incident_is(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    const itsm_change rq[3] = { { ITSM_F_SUMMARY, "new laptop", 0 }, { ITSM_F_CALLER, "anna", 0 },
                                { ITSM_F_SERVICE, "Workplace", 0 } };
    itsm_record *req = open_kind(&f, ITSM_KIND_SERVICE_REQUEST, rq, 3);
    assert_ok(itsm_record_escalate(req, 0, "Procurement", "no laptop in stock at the desk"));
    assert_int_equal(flevel(req), 2);
    assert_string_equal(itsm_record_str(req, ITSM_F_ASSIGNMENT_GROUP), "Procurement");
    assert_int_equal(itsm_record_int(req, ITSM_F_REASSIGNMENTS), 1);
    assert_ok(itsm_record_escalate_hierarchical(req, "waiting for a week"));
    assert_int_equal(hlevel(req), 1);
    const itsm_change ch[2] = { { ITSM_F_SUMMARY, "upgrade the MES", 0 }, { ITSM_F_CHANGE_TYPE, "normal", 0 } };
    const itsm_change one[1] = { { ITSM_F_SUMMARY, "MES login fails", 0 } };
    itsm_record *others[3] = { open_kind(&f, ITSM_KIND_CHANGE, ch, 2), open_kind(&f, ITSM_KIND_PROBLEM, one, 1),
                               open_kind(&f, ITSM_KIND_KNOWLEDGE, one, 1) };
    for (size_t i = 0; i < 3; i++) {
        refuse(&f, itsm_record_escalate(others[i], 0, "L2", "looked at it"), ITSM_ESTATE,
               "only incidents and requests");
        refuse(&f, itsm_record_escalate_hierarchical(others[i], "nobody moves"), ITSM_ESTATE,
               "only incidents and requests");
    }
    assert_replays_the_same(f.eng, &f.store);
    fixture_close(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_held_incident_is_referred_to_level_three_and_stays_held),
        cmocka_unit_test(a_canceled_incident_is_neither_passed_on_nor_escalated),
        cmocka_unit_test(a_reopened_incident_keeps_the_levels_it_reached_and_climbs_on),
        cmocka_unit_test(level_three_is_the_last_however_it_is_reached),
        cmocka_unit_test(a_new_incident_nobody_took_yet_can_be_chased_up),
        cmocka_unit_test(the_managers_call_stands_against_the_priority_rule),
        cmocka_unit_test(a_request_is_passed_on_and_chased_up_as_an_incident_is),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
