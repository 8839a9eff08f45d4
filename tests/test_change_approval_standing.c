/* SPDX-License-Identifier: Apache-2.0 */
/* Whether a decision still stands after the record changes: a change
 * manager's approval carries into the high-risk rule a re-assessment
 * selects (only the CAB is left to decide); an approval stops counting
 * when its maker becomes the requester, and a rejection when its maker
 * becomes the implementer (separation of duties holds for every vote),
 * and so does a vote delegated by someone who becomes the implementer. A
 * requester who is a level's only approver cannot delegate their vote
 * away, and the guard says that nobody is left to decide. */
#include "approval_read.h"
#include "change_policy.h"

#include <string.h>

static void a_change_managers_approval_carries_into_the_high_risk_rule(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);   /* the default rules: anyone but the requester and implementer */
    assert_ok(itsm_engine_set_actor(f.eng, "pia"));
    itsm_record *r = change_open(&f, "CHG1", "normal", "mail", NULL);
    assert_ok(itsm_record_fire(r, "assess", NULL, 0));
    change_assess(r, "medium");
    assert_ok(itsm_record_approve(r, NULL, "carl", NULL));
    itsm_approval_info ai = approval_of(r);
    assert_string_equal(ai.rule, "change");
    assert_int_equal(ai.status, ITSM_APPROVAL_APPROVED);
    /* Re-assessed: no back-out plan, the whole organisation at stake. */
    assert_ok(itsm_record_answer_risk(r, "backout", "none"));
    assert_ok(itsm_record_answer_risk(r, "users", "organisation"));
    ai = approval_of(r);
    assert_string_equal(ai.rule, "high_risk_change");
    assert_int_equal(ai.status, ITSM_APPROVAL_PENDING);
    assert_int_equal(ai.current, 2);   /* the change manager's level stands; the CAB's is new */
    assert_int_equal(ai.decided_at, ITSM_TIME_NONE);
    itsm_change impl = { ITSM_F_ASSIGNEE, "ivan", 0 };
    assert_fails(f.eng, itsm_record_fire(r, "authorize", &impl, 1), ITSM_EGUARD, "'cab'");
    assert_ok(itsm_record_approve(r, "cab", "ann", NULL));
    assert_ok(itsm_record_approve(r, "cab", "bob", NULL));
    assert_ok(itsm_record_fire(r, "authorize", &impl, 1));
    assert_replays_the_same(f.eng, &f.store);   /* the carried approval too */
    fixture_close(&f);
}

static void an_approval_stops_counting_when_its_maker_becomes_the_requester(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_change c[] = { { ITSM_F_SUMMARY, "A laptop", 0 }, { ITSM_F_CALLER, "pia", 0 },
                        { ITSM_F_SERVICE, "workplace", 0 } };
    itsm_record_opts o = ITSM_RECORD_OPTS_INIT;
    o.kind = ITSM_KIND_SERVICE_REQUEST;
    o.id = "REQ1";
    o.fields = c;
    o.nfields = sizeof c / sizeof c[0];
    itsm_record *r;
    assert_ok(itsm_record_open(&r, f.eng, &o));
    assert_ok(itsm_record_fire(r, "submit", NULL, 0));
    assert_ok(itsm_record_approve(r, NULL, "mia", NULL));
    assert_int_equal(approval_of(r).status, ITSM_APPROVAL_APPROVED);
    /* The request turns out to be mia's own. */
    itsm_change mine = { ITSM_F_CALLER, "mia", 0 };
    assert_ok(itsm_record_update(r, &mine, 1));
    assert_int_equal(approval_of(r).status, ITSM_APPROVAL_PENDING);
    assert_fails(f.eng, itsm_record_fire(r, "approve", NULL, 0), ITSM_EGUARD,
                 "mia's decision does not count: mia is the requester (separation of duties)");
    assert_string_equal(itsm_record_state(r), "awaiting_approval");
    assert_ok(itsm_record_approve(r, NULL, "pia", NULL));   /* no longer the requester */
    assert_ok(itsm_record_fire(r, "approve", NULL, 0));
    assert_replays_the_same(f.eng, &f.store);
    fixture_close(&f);
}

static void a_rejection_stops_counting_when_its_maker_becomes_the_implementer(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    assert_ok(itsm_engine_set_actor(f.eng, "pia"));
    itsm_record *r = change_open(&f, "CHG1", "normal", "mail", NULL);
    assert_ok(itsm_record_fire(r, "assess", NULL, 0));
    change_assess(r, "low");
    assert_ok(itsm_record_reject_approval(r, NULL, "carl", "No back-out plan"));
    itsm_approval_info ai = approval_of(r);
    assert_int_equal(ai.status, ITSM_APPROVAL_REJECTED);
    assert_int_equal(ai.decided_at, T0);
    /* carl is to implement it himself: his vote, against too, no longer counts. */
    itsm_change impl = { ITSM_F_ASSIGNEE, "carl", 0 };
    assert_ok(itsm_record_update(r, &impl, 1));
    ai = approval_of(r);
    assert_int_equal(ai.status, ITSM_APPROVAL_PENDING);
    assert_int_equal(ai.decided_at, ITSM_TIME_NONE);
    f.clock.now += 300;
    assert_ok(itsm_record_approve(r, NULL, "cleo", NULL));
    ai = approval_of(r);
    assert_int_equal(ai.status, ITSM_APPROVAL_APPROVED);
    assert_int_equal(ai.decided_at, T0 + 300);
    assert_ok(itsm_record_fire(r, "authorize", NULL, 0));
    assert_string_equal(itsm_record_state(r), "authorized");
    assert_replays_the_same(f.eng, &f.store);
    fixture_close(&f);
}

/* The practitioner's policy with one more rule first: a board of three
 * named people, `mode` with `quorum`. */
static itsm_policy *board_policy(itsm_approval_mode mode, unsigned quorum, const char *const *people, size_t n)
{
    itsm_policy *p = change_policy();
    assert_ok(itsm_policy_clear_approval_rules(p));
    itsm_approval_level_def l = ITSM_APPROVAL_LEVEL_DEF_INIT;
    l.name = "board";
    l.people = people;
    l.npeople = n;
    l.mode = mode;
    l.quorum = quorum;
    itsm_approval_rule_def r = ITSM_APPROVAL_RULE_DEF_INIT;
    r.name = "change";
    r.state = "assessed";
    r.levels = &l;
    r.nlevels = 1;
    assert_ok(itsm_policy_add_approval_rule(p, &r));
    return p;
}

static void a_delegated_vote_stops_counting_when_its_delegator_becomes_the_implementer(void **state)
{
    (void)state;
    static const char *const board[] = { "ann", "bob", "cat" };
    itsm_policy *p = board_policy(ITSM_APPROVAL_QUORUM, 2, board, 3);
    fixture f;
    change_fixture_open(&f, p, NULL, NULL);
    itsm_policy_free(p);
    itsm_record *r = change_open(&f, "CHG1", "normal", "mail", NULL);
    assert_ok(itsm_record_fire(r, "assess", NULL, 0));
    change_assess(r, "low");
    assert_ok(itsm_record_delegate_approval(r, NULL, "ann", "zed", "on leave"));
    assert_ok(itsm_record_approve(r, NULL, "zed", NULL));
    assert_ok(itsm_record_approve(r, NULL, "bob", NULL));
    assert_int_equal(approval_of(r).status, ITSM_APPROVAL_APPROVED);
    /* ann is to implement it: the vote zed cast for her no longer counts. */
    itsm_change impl = { ITSM_F_ASSIGNEE, "ann", 0 };
    assert_fails(f.eng, itsm_record_fire(r, "authorize", &impl, 1), ITSM_EGUARD,
                 "needs level 1 'board' of approval rule 'change' approved: 1 of 2 approvals");
    assert_string_equal(itsm_record_state(r), "assessed");
    assert_ok(itsm_record_update(r, &impl, 1));
    assert_int_equal(approval_of(r).status, ITSM_APPROVAL_PENDING);
    itsm_approval_level l = { .size = sizeof l };
    assert_ok(itsm_record_approval_level(&l, r, 0));
    assert_int_equal(l.approvals, 1);   /* bob's; ann left the electorate with the vote zed held */
    assert_int_equal(l.voters, 2);
    assert_ok(itsm_record_approve(r, NULL, "cat", NULL));
    assert_ok(itsm_record_fire(r, "authorize", NULL, 0));
    fixture_close(&f);
}

static void a_requester_who_is_the_only_approver_leaves_nobody_to_decide(void **state)
{
    (void)state;
    static const char *const carl[] = { "carl" };
    itsm_policy *p = board_policy(ITSM_APPROVAL_ANY, 0, carl, 1);
    fixture f;
    change_fixture_open(&f, p, NULL, NULL);
    itsm_policy_free(p);
    assert_ok(itsm_engine_set_actor(f.eng, "carl"));   /* carl raises his own change */
    itsm_record *r = change_open(&f, "CHG1", "normal", "mail", NULL);
    assert_ok(itsm_record_fire(r, "assess", NULL, 0));
    change_assess(r, "low");
    size_t stored = f.store.n;
    assert_fails(f.eng, itsm_record_approve(r, NULL, "carl", NULL), ITSM_EINVAL,
                 "carl is the requester (separation of duties)");
    /* Nor can he pick his approver by handing his vote on. */
    assert_fails(f.eng, itsm_record_delegate_approval(r, NULL, "carl", "dan", NULL), ITSM_EINVAL,
                 "carl cannot decide on CHG1 at level 'board' of approval rule 'change': carl is the requester "
                 "(separation of duties)");
    assert_fails(f.eng, itsm_record_approve(r, NULL, "dan", NULL), ITSM_EINVAL,
                 "dan is not an approver at level 'board' of approval rule 'change'");
    assert_int_equal(f.store.n, stored);
    itsm_change impl = { ITSM_F_ASSIGNEE, "ivan", 0 };
    assert_fails(f.eng, itsm_record_fire(r, "authorize", &impl, 1), ITSM_EGUARD,
                 "transition 'authorize' from 'assessed' needs level 1 'board' of approval rule 'change' approved, "
                 "but only 0 of its approvers may decide on CHG1");
    assert_int_equal(approval_of(r).status, ITSM_APPROVAL_PENDING);
    fixture_close(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_change_managers_approval_carries_into_the_high_risk_rule),
        cmocka_unit_test(an_approval_stops_counting_when_its_maker_becomes_the_requester),
        cmocka_unit_test(a_rejection_stops_counting_when_its_maker_becomes_the_implementer),
        cmocka_unit_test(a_delegated_vote_stops_counting_when_its_delegator_becomes_the_implementer),
        cmocka_unit_test(a_requester_who_is_the_only_approver_leaves_nobody_to_decide),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
