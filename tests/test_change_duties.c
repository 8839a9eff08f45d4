/* SPDX-License-Identifier: Apache-2.0 */
/* Change and request rules a practitioner checks first: separation of
 * duties reaches the implementer, a delegate and a CAB's electorate; the
 * window exception follows the ECAB and opens even a blackout; a standard
 * change meets the blackouts too; a change that left the schedule collides
 * with nothing; an operations gate's deliverables are settled before the
 * packet is proposed. */
#include "change_policy.h"

#include <stdlib.h>
#include <string.h>

#define N_(a) (sizeof(a) / sizeof((a)[0]))

/* Separation of duties: a request's implementer (its assignee, given
 * ahead of fulfilment) decides nothing on it. */
static void the_implementer_cannot_approve_a_request(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_change c[] = { { ITSM_F_SUMMARY, "A laptop", 0 }, { ITSM_F_CALLER, "bob", 0 },
                        { ITSM_F_SERVICE, "hardware", 0 }, { ITSM_F_ASSIGNEE, "ivan", 0 } };
    itsm_record_opts o = ITSM_RECORD_OPTS_INIT;
    o.kind = ITSM_KIND_SERVICE_REQUEST;
    o.fields = c;
    o.nfields = N_(c);
    itsm_record *r;
    assert_ok(itsm_record_open(&r, f.eng, &o));
    assert_ok(itsm_record_fire(r, "submit", NULL, 0));
    size_t stored = f.store.n;
    assert_fails(f.eng, itsm_record_approve(r, NULL, "ivan", NULL), ITSM_EINVAL,
                 "ivan is the implementer (separation of duties)");
    assert_fails(f.eng, itsm_record_reject_approval(r, NULL, "ivan", "no"), ITSM_EINVAL,
                 "ivan is the implementer (separation of duties)");
    assert_int_equal(f.store.n, stored);
    assert_int_equal(itsm_record_approval_count(r), 0);
    assert_fails(f.eng, itsm_record_fire(r, "approve", NULL, 0), ITSM_EGUARD, "0 of 1 approvals");
    assert_ok(itsm_record_approve(r, NULL, "eve", NULL));
    assert_ok(itsm_record_fire(r, "approve", NULL, 0));
    fixture_close(&f);
}

/* A named approver cannot pass their vote to the change's implementer. */
static void a_vote_is_not_delegated_to_the_implementer(void **state)
{
    (void)state;
    fixture f;
    change_fixture_open(&f, NULL, NULL, NULL);
    itsm_record *r = change_open(&f, "CHG1", "normal", "mail", "relay01");
    itsm_change a = { ITSM_F_ASSIGNEE, "ivan", 0 };
    assert_ok(itsm_record_update(r, &a, 1));
    assert_ok(itsm_record_fire(r, "assess", NULL, 0));
    change_assess(r, "low");
    size_t stored = f.store.n;
    assert_fails(f.eng, itsm_record_delegate_approval(r, NULL, "carl", "ivan", NULL), ITSM_EINVAL,
                 "ivan is the implementer (separation of duties)");
    assert_int_equal(f.store.n, stored);
    assert_ok(itsm_record_delegate_approval(r, NULL, "carl", "dora", NULL));
    assert_ok(itsm_record_approve(r, NULL, "dora", "for carl"));
    assert_ok(itsm_record_fire(r, "authorize", NULL, 0));
    fixture_close(&f);
}

/* A delegate's decision stops counting, as anyone's does, once the
 * delegate becomes the implementer. */
static void a_delegates_decision_stops_counting_when_they_implement(void **state)
{
    (void)state;
    fixture f;
    change_fixture_open(&f, NULL, NULL, NULL);
    itsm_record *r = change_open(&f, "CHG1", "normal", "mail", "relay01");
    assert_ok(itsm_record_fire(r, "assess", NULL, 0));
    change_assess(r, "low");
    assert_ok(itsm_record_delegate_approval(r, NULL, "carl", "dora", "on leave"));
    assert_ok(itsm_record_approve(r, NULL, "dora", "for carl"));
    itsm_change a = { ITSM_F_ASSIGNEE, "dora", 0 };
    assert_fails(f.eng, itsm_record_fire(r, "authorize", &a, 1), ITSM_EGUARD,
                 "dora's decision does not count: dora is the implementer (separation of duties)");
    assert_string_equal(itsm_record_state(r), "assessed");
    a.str = "ivan";
    assert_ok(itsm_record_fire(r, "authorize", &a, 1));
    fixture_close(&f);
}

/* The requester and the implementer leave a CAB's electorate: with two of
 * four members excluded, one rejection leaves a quorum of two out of
 * reach, and the voters counted are the eligible ones. */
static void excluded_members_leave_the_quorum_electorate(void **state)
{
    (void)state;
    fixture f;
    change_fixture_open(&f, NULL, NULL, NULL);
    itsm_record *r = change_open(&f, "CHG1", "normal", "mail", "relay01");
    itsm_change who[2] = { { ITSM_F_CALLER, "ann", 0 }, { ITSM_F_ASSIGNEE, "bob", 0 } };
    assert_ok(itsm_record_update(r, who, 2));
    assert_ok(itsm_record_fire(r, "assess", NULL, 0));
    change_assess(r, "high");
    assert_ok(itsm_record_approve(r, NULL, "carl", NULL));
    itsm_approval_level l = { .size = sizeof l };
    assert_ok(itsm_record_approval_level(&l, r, 1));
    assert_string_equal(l.name, "cab");
    assert_int_equal(l.voters, 2);
    assert_int_equal(l.needed, 2);
    assert_fails(f.eng, itsm_record_approve(r, NULL, "ann", NULL), ITSM_EINVAL, "ann is the requester");
    assert_ok(itsm_record_reject_approval(r, NULL, "cat", "no back-out plan"));
    assert_ok(itsm_record_approval_level(&l, r, 1));
    assert_int_equal(l.status, ITSM_LEVEL_REJECTED);
    itsm_approval_info ai = { .size = sizeof ai };
    assert_ok(itsm_record_approval(&ai, r));
    assert_int_equal(ai.status, ITSM_APPROVAL_REJECTED);
    fixture_close(&f);
}

/* The exception level lets an emergency change leave its windows, a
 * blackout included; it is not the ECAB's approval of the change itself,
 * and comes after it. */
static void the_window_exception_follows_the_ecab_and_opens_even_a_blackout(void **state)
{
    (void)state;
    fixture f;
    change_fixture_open(&f, NULL, NULL, NULL);
    itsm_record *e = change_open(&f, "ECHG1", "emergency", "payroll", "db01");
    assert_ok(itsm_record_fire(e, "assess", NULL, 0));
    change_assess(e, "high");
    assert_fails(f.eng, itsm_record_approve(e, "window_exception", "cio", NULL), ITSM_ESTATE, "level 2 'window_exception' of approval rule 'emergency_change' waits for level 1 'ecab'");
    itsm_change a = { ITSM_F_ASSIGNEE, "ivan", 0 };
    assert_fails(f.eng, itsm_record_fire(e, "authorize", &a, 1), ITSM_EGUARD, "ecab");
    assert_string_equal(itsm_record_state(e), "assessed");
    assert_ok(itsm_record_approve(e, NULL, "fay", NULL));
    assert_ok(itsm_record_fire(e, "authorize", &a, 1));
    /* Authorized but without the exception: no blackout for it either. */
    change_plan(e, "2026-12-20T22:00:00Z", "2026-12-20T23:00:00Z");   /* year_end, a Sunday outside 01:00-05:00 */
    assert_fails(f.eng, itsm_record_fire(e, "schedule", NULL, 0), ITSM_EGUARD,
                 "falls in blackout 'year_end'");
    assert_non_null(strstr(itsm_errmsg(f.eng), "once level 'window_exception' of approval rule 'emergency_change' "
                                               "is approved"));
    assert_ok(itsm_record_approve(e, "window_exception", "cio", "payroll at risk over year end"));
    assert_ok(itsm_record_fire(e, "schedule", NULL, 0));
    fixture_close(&f);
}

/* Pre-authorized is not exempt from the schedule: a standard change
 * scheduled straight from new still meets every blackout. */
static void a_standard_change_meets_the_blackouts(void **state)
{
    (void)state;
    fixture f;
    change_fixture_open(&f, NULL, NULL, NULL);
    itsm_record *s = change_open(&f, "SCHG1", "standard", "mail", "relay01");
    change_plan(s, "2026-12-20T22:00:00Z", "2026-12-20T23:00:00Z");   /* in year_end */
    assert_fails(f.eng, itsm_record_fire(s, "schedule", NULL, 0), ITSM_EGUARD, "blackout 'year_end'");
    assert_string_equal(itsm_record_state(s), "new");
    change_plan(s, "2026-12-10T22:00:00Z", "2026-12-10T23:00:00Z");
    assert_ok(itsm_record_fire(s, "schedule", NULL, 0));
    fixture_close(&f);
}

/* Only changes on the schedule collide: one that has been implemented and
 * gone to review no longer holds its window. */
static void a_change_off_the_schedule_collides_with_nothing(void **state)
{
    (void)state;
    fixture f;
    change_fixture_open(&f, NULL, NULL, NULL);
    itsm_record *done = change_authorized(&f, "CHG1", "mail", "relay01");
    itsm_record *live = change_authorized(&f, "CHG2", "mail", "relay01");
    itsm_record *next = change_authorized(&f, "CHG3", "mail", "relay01");
    change_plan(done, "2026-04-01T10:00:00Z", "2026-04-01T12:00:00Z");
    change_plan(live, "2026-04-01T10:00:00Z", "2026-04-01T12:00:00Z");
    change_plan(next, "2026-04-01T11:00:00Z", "2026-04-01T13:00:00Z");
    assert_ok(itsm_record_fire(done, "schedule", NULL, 0));
    assert_ok(itsm_record_fire(done, "implement", NULL, 0));
    assert_ok(itsm_record_fire(done, "complete", NULL, 0));
    assert_false(itsm_change_on_schedule(done));
    assert_ok(itsm_record_fire(live, "schedule", NULL, 0));
    assert_int_equal(itsm_change_findings(live), 0);
    assert_ok(itsm_record_fire(next, "schedule", NULL, 0));
    assert_int_equal(itsm_change_findings(next), 1);   /* CHG2 only */
    itsm_collision c[4];
    size_t n = 0;
    c[0].size = sizeof c[0];
    assert_ok(itsm_change_collisions(c, 4, &n, next));
    assert_int_equal(n, 1);
    assert_ptr_equal(c[0].with, live);
    fixture_close(&f);
}

/* Seed 004: the appointed approvers settle the deliverables before the
 * packet goes to the service manager; a proposed packet's deliverables
 * are what the service manager accepts, and a deliverable rejected
 * after approval keeps the gate shut. */
static void deliverables_are_settled_before_the_proposal(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_change c[] = { { ITSM_F_SUMMARY, "Manufacturing system", 0 }, { ITSM_F_CHANGE_TYPE, "standard", 0 } };
    itsm_record_opts o = ITSM_RECORD_OPTS_INIT;
    o.kind = ITSM_KIND_CHANGE;
    o.id = "CHG1";
    o.fields = c;
    o.nfields = 2;
    itsm_record *r;
    assert_ok(itsm_record_open(&r, f.eng, &o));
    assert_ok(itsm_change_plan(r, f.clock.now + 86400, f.clock.now + 90000));
    assert_ok(itsm_record_fire(r, "schedule", NULL, 0));

    itsm_packet *p;
    assert_ok(itsm_packet_new(&p, r, ITSM_PACKET_TO_OPERATIONS));
    assert_ok(itsm_packet_set_text(p, ITSM_PT_RECEIVER, "sm_sven"));
    assert_ok(itsm_packet_add_deliverable(p, "knowledge documents", "pm_paula", "desk_lead", 1));
    assert_ok(itsm_packet_set_deliverable_status(p, "knowledge documents", ITSM_DELIVERABLE_APPROVED, "desk_lead"));
    assert_ok(itsm_packet_set_deliverable_status(p, "knowledge documents", ITSM_DELIVERABLE_REJECTED, "desk_lead"));
    assert_false(itsm_packet_gate_open(p));
    assert_ok(itsm_packet_propose(p, f.eng));
    assert_int_equal(itsm_packet_set_deliverable_status(p, "knowledge documents", ITSM_DELIVERABLE_APPROVED,
                                                        "desk_lead"),
                     ITSM_ESTATE);
    assert_fails(f.eng, itsm_packet_acknowledge(p, f.eng, "sm_sven"), ITSM_ESTATE,
                 "'knowledge documents' (rejected, approver 'desk_lead')");
    assert_false(itsm_packet_gate_open(p));
    itsm_change a = { ITSM_F_ASSIGNEE, "pm_paula", 0 };
    assert_fails(f.eng, itsm_record_fire(r, "implement", &a, 1), ITSM_EGUARD, "operations gate");
    itsm_packet_free(p);
    fixture_close(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_implementer_cannot_approve_a_request),
        cmocka_unit_test(a_vote_is_not_delegated_to_the_implementer),
        cmocka_unit_test(a_delegates_decision_stops_counting_when_they_implement),
        cmocka_unit_test(excluded_members_leave_the_quorum_electorate),
        cmocka_unit_test(the_window_exception_follows_the_ecab_and_opens_even_a_blackout),
        cmocka_unit_test(a_standard_change_meets_the_blackouts),
        cmocka_unit_test(a_change_off_the_schedule_collides_with_nothing),
        cmocka_unit_test(deliverables_are_settled_before_the_proposal),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
