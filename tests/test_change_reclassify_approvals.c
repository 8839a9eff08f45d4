/* SPDX-License-Identifier: Apache-2.0 */
/* Approvals after a change is reclassified or re-assessed in `assessed`
 * (the practitioner's policy of change_policy.h): the rule that applies is
 * the one the record matches now, so a normal change made an emergency one
 * needs its ECAB and not its change manager, and the other way round; the
 * round keeps its start (no new state was entered), so the lead time runs
 * from the assessment; a decision taken under the old rule stays in the
 * round's list with the rule it was taken under. */
#include "approval_read.h"
#include "change_policy.h"
#include "record_check.h"

#include <string.h>

static int authorize(itsm_record *r, const char *who)
{
    itsm_change c = { ITSM_F_ASSIGNEE, who, 0 };
    return itsm_record_fire(r, "authorize", &c, 1);
}

static itsm_record *assessed(fixture *f, const char *id, const char *type, const char *risk)
{
    itsm_record *r = change_open(f, id, type, "mail", "relay01");
    assert_ok(itsm_record_fire(r, "assess", NULL, 0));
    change_assess(r, risk);
    return r;
}

static void a_normal_change_made_emergency_needs_its_ecab_not_its_change_manager(void **state)
{
    (void)state;
    fixture f;
    change_fixture_open(&f, NULL, NULL, NULL);
    itsm_record *r = assessed(&f, "CHG1", "normal", "low");
    itsm_time opened = approval_of(r).requested_at;
    f.clock.now += 600;
    assert_ok(itsm_record_approve(r, NULL, "carl", "routine"));
    assert_int_equal(approval_of(r).status, ITSM_APPROVAL_APPROVED);
    f.clock.now += 600;
    assert_ok(itsm_record_set_str(r, ITSM_F_CHANGE_TYPE, "emergency"));
    itsm_approval_info ai = approval_of(r);
    assert_string_equal(ai.rule, "emergency_change");
    assert_int_equal(ai.status, ITSM_APPROVAL_PENDING);
    assert_int_equal(ai.current, 1);
    assert_int_equal(ai.requested_at, opened);   /* same round: no state was entered */
    assert_int_equal(ai.decided_at, ITSM_TIME_NONE);
    assert_fails(f.eng, authorize(r, "ivan"), ITSM_EGUARD, "'ecab'");
    assert_string_equal(itsm_record_state(r), "assessed");
    /* carl is no ECAB member; the decision under the old rule stays listed */
    assert_fails(f.eng, itsm_record_approve(r, NULL, "carl", NULL), ITSM_EINVAL, "carl");
    assert_int_equal(itsm_record_approval_count(r), 1);
    itsm_approval_decision d = { .size = sizeof d };
    assert_ok(itsm_record_approval_at(&d, r, 0));
    assert_string_equal(d.rule, "change");
    assert_string_equal(d.by, "carl");
    f.clock.now += 600;
    assert_ok(itsm_record_approve(r, NULL, "eve", NULL));
    ai = approval_of(r);
    assert_int_equal(ai.status, ITSM_APPROVAL_APPROVED);   /* window_exception is not needed */
    assert_int_equal(ai.decided_at, f.clock.now);
    assert_ok(authorize(r, "ivan"));
    assert_replays_the_same(f.eng, &f.store);
    fixture_close(&f);
}

static void an_emergency_change_made_normal_needs_its_change_manager(void **state)
{
    (void)state;
    fixture f;
    change_fixture_open(&f, NULL, NULL, NULL);
    itsm_record *r = assessed(&f, "ECHG1", "emergency", "low");
    assert_ok(itsm_record_approve(r, NULL, "fay", NULL));
    assert_int_equal(approval_of(r).status, ITSM_APPROVAL_APPROVED);
    assert_ok(itsm_record_set_str(r, ITSM_F_CHANGE_TYPE, "normal"));
    itsm_approval_info ai = approval_of(r);
    assert_string_equal(ai.rule, "change");
    assert_int_equal(ai.status, ITSM_APPROVAL_PENDING);
    assert_fails(f.eng, authorize(r, "ivan"), ITSM_EGUARD, "'change_manager'");
    /* a window exception is no level of the normal rule */
    assert_fails(f.eng, itsm_record_approve(r, "window_exception", "cio", NULL), ITSM_ENOTFOUND, "window_exception");
    assert_ok(itsm_record_approve(r, NULL, "cleo", NULL));
    assert_ok(authorize(r, "ivan"));
    assert_replays_the_same(f.eng, &f.store);
    fixture_close(&f);
}

/* The default questionnaire's medium level holds totals up to 7: at 7 the
 * change manager alone authorizes; one point more (8) is high risk and
 * the CAB's quorum is needed on top of the approval already given; one
 * point back and it is not. */
static void one_risk_point_over_medium_adds_the_cab(void **state)
{
    (void)state;
    fixture f;
    change_fixture_open(&f, NULL, NULL, NULL);
    itsm_record *r = assessed(&f, "CHG1", "normal", "medium");   /* 2+2+1+1+1 = 7 */
    itsm_risk_info ri = { .size = sizeof ri };
    assert_ok(itsm_record_risk(&ri, r));
    assert_int_equal(ri.score, 7);
    assert_string_equal(ri.level, "medium");
    assert_ok(itsm_record_approve(r, NULL, "carl", NULL));
    assert_int_equal(approval_of(r).status, ITSM_APPROVAL_APPROVED);
    assert_ok(itsm_record_answer_risk(r, "experience", "never"));   /* +2 */
    assert_ok(itsm_record_answer_risk(r, "reach", "one"));          /* -1: 8 */
    assert_ok(itsm_record_risk(&ri, r));
    assert_int_equal(ri.score, 8);
    assert_string_equal(ri.level, "high");
    itsm_approval_info ai = approval_of(r);
    assert_string_equal(ai.rule, "high_risk_change");
    assert_int_equal(ai.status, ITSM_APPROVAL_PENDING);
    assert_int_equal(ai.current, 2);
    assert_fails(f.eng, authorize(r, "ivan"), ITSM_EGUARD, "'cab'");
    assert_ok(itsm_record_approve(r, "cab", "ann", NULL));   /* one of the two */
    assert_ok(itsm_record_answer_risk(r, "reach", "several"));   /* 9 */
    assert_ok(itsm_record_answer_risk(r, "outage", "none"));     /* 8 */
    assert_int_equal(approval_of(r).status, ITSM_APPROVAL_PENDING);
    assert_ok(itsm_record_answer_risk(r, "users", "few"));       /* 6: medium again */
    assert_ok(itsm_record_risk(&ri, r));
    assert_string_equal(ri.level, "medium");
    ai = approval_of(r);
    assert_string_equal(ai.rule, "change");
    assert_int_equal(ai.status, ITSM_APPROVAL_APPROVED);
    assert_ok(authorize(r, "ivan"));
    assert_replays_the_same(f.eng, &f.store);
    fixture_close(&f);
}

/* A window exception is no part of the change's approval: the cio
 * rejecting it leaves the ECAB's approval standing, so the emergency change
 * is authorized and scheduled inside its windows, but it cannot go into a
 * blackout, on the schedule or off it. */
static void a_rejected_window_exception_keeps_the_change_approved_but_out_of_blackouts(void **state)
{
    (void)state;
    fixture f;
    change_fixture_open(&f, NULL, NULL, NULL);
    itsm_record *r = assessed(&f, "ECHG1", "emergency", "low");
    assert_ok(itsm_record_approve(r, NULL, "fay", NULL));
    assert_ok(itsm_record_reject_approval(r, "window_exception", "cio", "not for the year end"));
    itsm_approval_level l = { .size = sizeof l };
    assert_ok(itsm_record_approval_level(&l, r, 1));
    assert_string_equal(l.name, "window_exception");
    assert_int_equal(l.status, ITSM_LEVEL_REJECTED);
    itsm_approval_info ai = approval_of(r);
    assert_int_equal(ai.status, ITSM_APPROVAL_APPROVED);
    assert_ok(authorize(r, "ivan"));
    change_plan(r, "2026-12-20T22:00:00Z", "2026-12-20T23:00:00Z");
    assert_fails(f.eng, itsm_record_fire(r, "schedule", NULL, 0), ITSM_EGUARD, "blackout 'year_end'");
    assert_fails(f.eng, itsm_record_approve(r, "window_exception", "cio", NULL), ITSM_ESTATE, "");
    change_plan(r, "2026-12-14T22:00:00Z", "2026-12-15T00:00:00Z");   /* ends as the blackout starts */
    assert_ok(itsm_record_fire(r, "schedule", NULL, 0));
    assert_fails(f.eng, itsm_change_plan(r, at_utc("2026-12-14T22:00:00Z"), at_utc("2026-12-15T00:00:01Z")),
                 ITSM_EGUARD, "blackout 'year_end'");
    assert_replays_the_same(f.eng, &f.store);
    fixture_close(&f);
}

/* A normal change scheduled in an allowed window may become an emergency
 * change there (its window needs no exception), but that gives it no
 * window exception: re-planning it into a blackout needs the ECAB first
 * (the exception level waits for it), then the cio; the round that opened
 * at assessment is still the one deciding. */
static void a_normal_change_made_emergency_on_the_schedule_earns_its_exception_in_order(void **state)
{
    (void)state;
    fixture f;
    change_fixture_open(&f, NULL, NULL, NULL);
    itsm_record *r = change_authorized(&f, "CHG1", "mail", "relay01");
    change_plan(r, "2026-12-14T22:00:00Z", "2026-12-15T00:00:00Z");
    assert_ok(itsm_record_fire(r, "schedule", NULL, 0));
    assert_ok(itsm_record_set_str(r, ITSM_F_CHANGE_TYPE, "emergency"));
    assert_fails(f.eng, itsm_change_plan(r, at_utc("2026-12-20T22:00:00Z"), at_utc("2026-12-20T23:00:00Z")),
                 ITSM_EGUARD, "once level 'window_exception' of approval rule 'emergency_change' is approved");
    assert_fails(f.eng, itsm_record_approve(r, "window_exception", "cio", NULL), ITSM_ESTATE,
                 "waits for level 1 'ecab'");
    assert_ok(itsm_record_approve(r, "ecab", "eve", NULL));
    assert_ok(itsm_record_approve(r, "window_exception", "cio", "relay patch"));
    change_plan(r, "2026-12-20T22:00:00Z", "2026-12-20T23:00:00Z");
    assert_true(itsm_change_on_schedule(r));
    itsm_time s, e;
    assert_ok(itsm_change_planned(&s, &e, r));
    assert_int_equal(s, at_utc("2026-12-20T22:00:00Z"));
    assert_replays_the_same(f.eng, &f.store);
    fixture_close(&f);
}

/* The approval lead time runs from the round's opening to the decision
 * that approved it as the record is now: a change manager's approval that
 * a reclassification made insufficient is not the end of it, the ECAB's
 * later approval is; and an approval that stops counting is not either. */
static void the_lead_time_ends_at_the_decision_that_approved_the_record_as_it_is(void **state)
{
    (void)state;
    fixture f;
    change_fixture_open(&f, NULL, NULL, NULL);
    itsm_record *a = assessed(&f, "CHG1", "normal", "low");   /* rounds open at T0 */
    itsm_record *b = assessed(&f, "CHG2", "normal", "low");
    f.clock.now = T0 + 3600;
    assert_ok(itsm_record_approve(a, NULL, "carl", NULL));
    assert_ok(itsm_record_approve(b, NULL, "carl", NULL));
    f.clock.now = T0 + 2 * 3600;
    assert_ok(itsm_record_set_str(a, ITSM_F_CHANGE_TYPE, "emergency"));
    assert_ok(itsm_record_set_str(b, ITSM_F_CALLER, "carl"));   /* carl's own change after all */
    assert_int_equal(approval_of(a).decided_at, ITSM_TIME_NONE);
    assert_int_equal(approval_of(b).decided_at, ITSM_TIME_NONE);
    f.clock.now = T0 + 3 * 3600;
    assert_ok(itsm_record_approve(a, NULL, "eve", NULL));
    f.clock.now = T0 + 5 * 3600;
    assert_ok(itsm_record_approve(b, NULL, "cleo", NULL));
    assert_int_equal(approval_of(a).decided_at, T0 + 3 * 3600);
    assert_int_equal(approval_of(b).decided_at, T0 + 5 * 3600);
    itsm_report_opts o = ITSM_REPORT_OPTS_INIT;
    itsm_report *rep;
    assert_ok(itsm_report_new(&rep, f.eng, &o));
    itsm_report_stat st = { .size = sizeof st };
    assert_ok(itsm_report_duration(&st, rep, ITSM_MEASURE_APPROVAL_WALL));
    assert_int_equal(st.count, 2);
    assert_int_equal(st.min, 3 * 3600);
    assert_int_equal(st.max, 5 * 3600);
    itsm_report_free(rep);
    fixture_close(&f);
}

/* Standard to normal picks up the approval rule only where a round can
 * still decide it before the change goes on: in `new`, or in `assessed`
 * with the round open. A standard change already scheduled (or authorized)
 * never enters `assessed` again, no round would open and `implement` would
 * put an unapproved normal change live: refused with the rule and the
 * state named, nothing changes. */
static void a_scheduled_standard_change_cannot_become_normal(void **state)
{
    (void)state;
    fixture f;
    change_fixture_open(&f, NULL, NULL, NULL);
    itsm_record *r = change_open(&f, "SCHG1", "standard", "mail", "relay01");
    change_plan(r, "2026-12-14T22:00:00Z", "2026-12-15T00:00:00Z");
    assert_ok(itsm_record_fire(r, "schedule", NULL, 0));
    refuse(&f, itsm_record_set_str(r, ITSM_F_CHANGE_TYPE, "normal"), ITSM_ESTATE,
           "SCHG1 is 'scheduled': reclassified from change type 'standard' to 'normal' it needs approval rule "
           "'change', whose round opens when it enters 'assessed'");
    itsm_change c[2] = { { ITSM_F_ASSIGNEE, "ivan", 0 }, { ITSM_F_CHANGE_TYPE, "emergency", 0 } };
    refuse(&f, itsm_record_fire(r, "implement", c, 2), ITSM_ESTATE, "'emergency_change'");
    itsm_change untyped = { ITSM_F_CHANGE_TYPE, NULL, 0 };   /* no type: the default rule 'change' */
    refuse(&f, itsm_record_update(r, &untyped, 1), ITSM_ESTATE, "to 'none' it needs approval rule 'change'");
    assert_string_equal(itsm_record_str(r, ITSM_F_CHANGE_TYPE), "standard");
    /* assessed as a standard change and authorized: past its round too */
    itsm_record *a = change_open(&f, "SCHG2", "standard", "mail", "relay01");
    assert_ok(itsm_record_fire(a, "assess", NULL, 0));
    change_assess(a, "low");
    itsm_change iv = { ITSM_F_ASSIGNEE, "ivan", 0 };
    assert_ok(itsm_record_fire(a, "authorize", &iv, 1));
    refuse(&f, itsm_record_set_str(a, ITSM_F_CHANGE_TYPE, "normal"), ITSM_ESTATE, "'authorized'");
    /* in new and in assessed it may: the round decides it before authorize */
    itsm_record *n = change_open(&f, "SCHG3", "standard", "mail", "relay01");
    assert_ok(itsm_record_set_str(n, ITSM_F_CHANGE_TYPE, "normal"));
    itsm_record *s = change_open(&f, "SCHG4", "standard", "mail", "relay01");
    assert_ok(itsm_record_fire(s, "assess", NULL, 0));
    change_assess(s, "low");
    assert_ok(itsm_record_set_str(s, ITSM_F_CHANGE_TYPE, "normal"));
    assert_int_equal(approval_of(s).status, ITSM_APPROVAL_PENDING);
    assert_fails(f.eng, authorize(s, "ivan"), ITSM_EGUARD, "'change_manager'");
    assert_replays_the_same(f.eng, &f.store);
    fixture_close(&f);
}

/* A rejection stays until a new round: both change managers rejecting a
 * normal change is not escaped by making it an emergency change, which
 * would need only the ECAB (decisions carry over between rules by level
 * name, and the emergency rule has no 'change_manager' level). Its status
 * stays rejected, nobody decides in the round any more, `authorize` is
 * refused naming the rejection; `reject` closes it. */
static void a_rejected_change_stays_rejected_when_reclassified(void **state)
{
    (void)state;
    fixture f;
    change_fixture_open(&f, NULL, NULL, NULL);
    itsm_record *r = assessed(&f, "CHG1", "normal", "low");
    assert_ok(itsm_record_reject_approval(r, NULL, "carl", "no back-out plan"));
    assert_ok(itsm_record_reject_approval(r, NULL, "cleo", NULL));
    itsm_approval_info ai = approval_of(r);
    assert_int_equal(ai.status, ITSM_APPROVAL_REJECTED);
    itsm_time decided = ai.decided_at;
    f.clock.now += 600;
    assert_ok(itsm_record_set_str(r, ITSM_F_CHANGE_TYPE, "emergency"));
    ai = approval_of(r);
    assert_string_equal(ai.rule, "emergency_change");
    assert_int_equal(ai.status, ITSM_APPROVAL_REJECTED);
    assert_int_equal(ai.decided_at, decided);
    refuse(&f, itsm_record_approve(r, NULL, "eve", NULL), ITSM_ESTATE,
           "rejected CHG1 at level 'change_manager' of approval rule 'change': the round stays rejected under "
           "approval rule 'emergency_change' until CHG1 enters 'assessed' again");
    refuse(&f, itsm_record_approve(r, "window_exception", "cio", NULL), ITSM_ESTATE, "stays rejected");
    refuse(&f, authorize(r, "ivan"), ITSM_EGUARD, "of approval rule 'change'");
    /* back to normal: rejected by its own rule, as before */
    assert_ok(itsm_record_set_str(r, ITSM_F_CHANGE_TYPE, "normal"));
    refuse(&f, authorize(r, "ivan"), ITSM_EGUARD, "rejected it");
    itsm_change why = { ITSM_F_RESOLUTION_NOTES, "rejected by the change managers", 0 };
    assert_ok(itsm_record_fire(r, "reject", &why, 1));
    assert_replays_the_same(f.eng, &f.store);
    fixture_close(&f);
}

/* Nor by re-assessing: a high-risk change the CAB rejected (three of four:
 * a quorum of two can no longer be reached) whose risk answers are changed
 * to medium would be authorized by the change manager's earlier approval
 * alone. It stays rejected, naming the CAB's rejection. */
static void a_cab_rejection_stays_when_the_risk_is_lowered(void **state)
{
    (void)state;
    fixture f;
    change_fixture_open(&f, NULL, NULL, NULL);
    itsm_record *r = assessed(&f, "CHG1", "normal", "high");
    assert_ok(itsm_record_approve(r, NULL, "carl", NULL));
    assert_ok(itsm_record_reject_approval(r, "cab", "ann", NULL));
    assert_ok(itsm_record_reject_approval(r, "cab", "bob", NULL));
    assert_ok(itsm_record_reject_approval(r, "cab", "cat", "too wide"));
    assert_int_equal(approval_of(r).status, ITSM_APPROVAL_REJECTED);
    change_assess(r, "medium");
    itsm_approval_info ai = approval_of(r);
    assert_string_equal(ai.rule, "change");
    assert_int_equal(ai.status, ITSM_APPROVAL_REJECTED);
    refuse(&f, authorize(r, "ivan"), ITSM_EGUARD, "at level 'cab' of approval rule 'high_risk_change'");
    refuse(&f, itsm_record_approve(r, NULL, "cleo", NULL), ITSM_ESTATE, "stays rejected");
    assert_replays_the_same(f.eng, &f.store);
    fixture_close(&f);
}

/* The kept rejection is re-tallied, not remembered: rejecters who became
 * requester and implementer stop counting (separation of duties) under the
 * rule they decided in as under the one that applies now, so the ECAB
 * decides the emergency change. */
static void a_kept_rejection_stops_counting_when_its_makers_take_the_change(void **state)
{
    (void)state;
    fixture f;
    change_fixture_open(&f, NULL, NULL, NULL);
    itsm_record *r = assessed(&f, "CHG1", "normal", "low");
    assert_ok(itsm_record_reject_approval(r, NULL, "carl", NULL));
    assert_ok(itsm_record_reject_approval(r, NULL, "cleo", NULL));
    assert_ok(itsm_record_set_str(r, ITSM_F_CHANGE_TYPE, "emergency"));
    assert_int_equal(approval_of(r).status, ITSM_APPROVAL_REJECTED);
    assert_ok(itsm_record_set_str(r, ITSM_F_CALLER, "carl"));
    assert_ok(itsm_record_set_str(r, ITSM_F_ASSIGNEE, "cleo"));
    assert_int_equal(approval_of(r).status, ITSM_APPROVAL_PENDING);
    assert_ok(itsm_record_approve(r, NULL, "eve", NULL));
    assert_int_equal(approval_of(r).status, ITSM_APPROVAL_APPROVED);
    assert_ok(authorize(r, "cleo"));
    assert_replays_the_same(f.eng, &f.store);
    fixture_close(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_normal_change_made_emergency_needs_its_ecab_not_its_change_manager),
        cmocka_unit_test(an_emergency_change_made_normal_needs_its_change_manager),
        cmocka_unit_test(the_lead_time_ends_at_the_decision_that_approved_the_record_as_it_is),
        cmocka_unit_test(one_risk_point_over_medium_adds_the_cab),
        cmocka_unit_test(a_rejected_window_exception_keeps_the_change_approved_but_out_of_blackouts),
        cmocka_unit_test(a_normal_change_made_emergency_on_the_schedule_earns_its_exception_in_order),
        cmocka_unit_test(a_scheduled_standard_change_cannot_become_normal),
        cmocka_unit_test(a_rejected_change_stays_rejected_when_reclassified),
        cmocka_unit_test(a_cab_rejection_stays_when_the_risk_is_lowered),
        cmocka_unit_test(a_kept_rejection_stops_counting_when_its_makers_take_the_change),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
