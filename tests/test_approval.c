/* SPDX-License-Identifier: Apache-2.0 */
/* Approvals (itsm/approval.h): rules by kind, type and risk, levels in
 * order, any/all/quorum, separation of duties, delegation, rounds, the
 * guard "approved:...", the policy section, and the lead time reported. */
#include "approval_read.h"
#include "change_policy.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define N_(a) (sizeof(a) / sizeof((a)[0]))

static itsm_record *request(fixture *f, const char *caller)
{
    itsm_change c[] = { { ITSM_F_SUMMARY, "A laptop", 0 }, { ITSM_F_CALLER, caller, 0 },
                        { ITSM_F_SERVICE, "hardware", 0 } };
    itsm_record_opts o = ITSM_RECORD_OPTS_INIT;
    o.kind = ITSM_KIND_SERVICE_REQUEST;
    o.fields = c;
    o.nfields = N_(c);
    itsm_record *r;
    assert_ok(itsm_record_open(&r, f->eng, &o));
    return r;
}

/* A normal change of the given risk, assessed (its round open). */
static itsm_record *assessed(fixture *f, const char *id, const char *risk)
{
    itsm_record *r = change_open(f, id, "normal", "mail", "relay01");
    assert_ok(itsm_record_fire(r, "assess", NULL, 0));
    change_assess(r, risk);
    return r;
}

static int authorize(itsm_record *r, const char *assignee)
{
    itsm_change c = { ITSM_F_ASSIGNEE, assignee, 0 };
    return itsm_record_fire(r, "authorize", &c, 1);
}

/* A fresh engine under `policy` that replays the fixture's store is the
 * same engine, dump for dump. */
static void assert_replay_rebuilds(fixture *f, const itsm_policy *policy)
{
    char *d1 = engine_dump(f->eng);
    itsm_engine *e;
    itsm_engine_opts o = ITSM_ENGINE_OPTS_INIT;
    o.policy = policy;
    assert_ok(itsm_engine_new(&e, &o));
    replay_store_into(e, &f->store);
    char *d2 = engine_dump(e);
    assert_string_equal(d1, d2);
    free(d1);
    free(d2);
    itsm_engine_free(e);
}

/* ---- separation of duties ---- */

static void a_requester_cannot_approve_their_own_request(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);   /* the default policy: anyone but the requester approves */
    itsm_record *r = request(&f, "bob");
    assert_ok(itsm_record_fire(r, "submit", NULL, 0));
    assert_fails(f.eng, itsm_record_fire(r, "approve", NULL, 0), ITSM_EGUARD,
                 "transition 'approve' from 'awaiting_approval' needs level 1 'approver' of approval rule "
                 "'service_request' approved: 0 of 1 approvals");
    size_t stored = f.store.n;
    assert_fails(f.eng, itsm_record_approve(r, NULL, "bob", "mine"), ITSM_EINVAL,
                 "bob cannot decide on REQ-000001 at level 'approver' of approval rule 'service_request': bob is "
                 "the requester (separation of duties)");
    assert_int_equal(f.store.n, stored);
    assert_int_equal(itsm_record_approval_count(r), 0);
    f.clock.now += 600;
    assert_ok(itsm_record_approve(r, NULL, "eve", "Within budget"));
    itsm_approval_decision d = { .size = sizeof d };
    assert_ok(itsm_record_approval_at(&d, r, 0));
    assert_int_equal(d.verdict, ITSM_VERDICT_APPROVE);
    assert_string_equal(d.by, "eve");
    assert_string_equal(d.level, "approver");
    assert_string_equal(d.rule, "service_request");
    assert_string_equal(d.comment, "Within budget");
    assert_int_equal(d.at, T0 + 600);
    itsm_approval_info ai = approval_of(r);
    assert_int_equal(ai.status, ITSM_APPROVAL_APPROVED);
    assert_int_equal(ai.requested_at, T0);
    assert_int_equal(ai.decided_at, T0 + 600);
    assert_ok(itsm_record_fire(r, "approve", NULL, 0));
    assert_string_equal(itsm_record_state(r), "approved");
    assert_replays_the_same(f.eng, &f.store);
    fixture_close(&f);
}

static void the_opener_is_the_requester_when_there_is_no_caller(void **state)
{
    (void)state;
    fixture f;
    change_fixture_open(&f, NULL, NULL, NULL);
    assert_ok(itsm_engine_set_actor(f.eng, "carl"));
    itsm_record *r = assessed(&f, "CHG1", "low");
    assert_fails(f.eng, itsm_record_approve(r, NULL, "carl", NULL), ITSM_EINVAL, "carl is the requester");
    assert_ok(itsm_record_approve(r, NULL, "cleo", NULL));
    fixture_close(&f);
}

static void a_decision_stops_counting_when_its_maker_becomes_the_implementer(void **state)
{
    (void)state;
    fixture f;
    change_fixture_open(&f, NULL, NULL, NULL);
    itsm_record *r = assessed(&f, "CHG1", "low");
    assert_ok(itsm_record_approve(r, NULL, "carl", "go"));
    assert_int_equal(approval_of(r).status, ITSM_APPROVAL_APPROVED);
    assert_fails(f.eng, authorize(r, "carl"), ITSM_EGUARD,
                 "transition 'authorize' from 'assessed' needs level 1 'change_manager' of approval rule 'change' "
                 "approved: 0 of 1 approvals; carl's decision does not count: carl is the implementer (separation "
                 "of duties)");
    assert_ok(authorize(r, "ivan"));
    fixture_close(&f);
}

/* ---- levels and voting rules ---- */

static void levels_are_decided_in_order(void **state)
{
    (void)state;
    fixture f;
    change_fixture_open(&f, NULL, NULL, NULL);
    itsm_record *r = assessed(&f, "CHG1", "high");
    itsm_approval_info ai = approval_of(r);
    assert_string_equal(ai.rule, "high_risk_change");
    assert_int_equal(ai.levels, 2);
    assert_int_equal(ai.current, 1);
    assert_fails(f.eng, itsm_record_approve(r, "cab", "ann", NULL), ITSM_ESTATE,
                 "level 2 'cab' of approval rule 'high_risk_change' waits for level 1 'change_manager'");
    assert_ok(itsm_record_approve(r, NULL, "carl", NULL));
    assert_int_equal(approval_of(r).current, 2);
    assert_fails(f.eng, itsm_record_approve(r, "change_manager", "carl", NULL), ITSM_ESTATE,
                 "level 'change_manager' of approval rule 'high_risk_change' is already approved");
    fixture_close(&f);
}

static void a_cab_quorum_of_two_approves(void **state)
{
    (void)state;
    fixture f;
    change_fixture_open(&f, NULL, NULL, NULL);
    itsm_record *r = assessed(&f, "CHG1", "high");
    assert_ok(itsm_record_approve(r, NULL, "carl", NULL));
    assert_ok(itsm_record_approve(r, NULL, "ann", "fine"));
    itsm_approval_level l = level_of(r, 1);
    assert_string_equal(l.name, "cab");
    assert_int_equal(l.mode, ITSM_APPROVAL_QUORUM);
    assert_int_equal(l.status, ITSM_LEVEL_PENDING);
    assert_int_equal(l.approvals, 1);
    assert_int_equal(l.needed, 2);
    assert_int_equal(l.voters, 4);
    assert_fails(f.eng, authorize(r, "ivan"), ITSM_EGUARD, "needs level 2 'cab' of approval rule 'high_risk_change' "
                 "approved: 1 of 2 approvals");
    assert_fails(f.eng, itsm_record_approve(r, NULL, "ann", NULL), ITSM_ESTATE, "ann already approved at level 'cab'");
    assert_fails(f.eng, itsm_record_approve(r, NULL, "zed", NULL), ITSM_EINVAL,
                 "zed is not an approver at level 'cab' of approval rule 'high_risk_change' (group 'cab')");
    assert_ok(itsm_record_approve(r, NULL, "bob", NULL));
    assert_int_equal(level_of(r, 1).status, ITSM_LEVEL_APPROVED);
    assert_int_equal(approval_of(r).status, ITSM_APPROVAL_APPROVED);
    assert_fails(f.eng, itsm_record_approve(r, NULL, "cat", NULL), ITSM_ESTATE,
                 "every required level of approval rule 'high_risk_change' is approved");
    assert_ok(authorize(r, "ivan"));
    fixture_close(&f);
}

static void a_quorum_is_rejected_once_it_can_no_longer_be_reached(void **state)
{
    (void)state;
    fixture f;
    change_fixture_open(&f, NULL, NULL, NULL);
    itsm_record *r = assessed(&f, "CHG1", "high");
    assert_ok(itsm_record_approve(r, NULL, "carl", NULL));
    assert_ok(itsm_record_reject_approval(r, NULL, "ann", "no back-out"));
    assert_ok(itsm_record_reject_approval(r, NULL, "bob", NULL));
    assert_int_equal(level_of(r, 1).status, ITSM_LEVEL_PENDING);   /* cat and dan could still carry it */
    assert_ok(itsm_record_reject_approval(r, NULL, "cat", "too risky"));
    assert_int_equal(level_of(r, 1).status, ITSM_LEVEL_REJECTED);
    assert_int_equal(approval_of(r).status, ITSM_APPROVAL_REJECTED);
    assert_fails(f.eng, authorize(r, "ivan"), ITSM_EGUARD,
                 "needs level 2 'cab' of approval rule 'high_risk_change' approved, but cat rejected it: \"too risky\"");
    assert_fails(f.eng, itsm_record_approve(r, NULL, "dan", NULL), ITSM_ESTATE, "");
    itsm_change n = { ITSM_F_RESOLUTION_NOTES, "Rejected by the CAB", 0 };
    assert_ok(itsm_record_fire(r, "reject", &n, 1));
    fixture_close(&f);
}

static void any_of_named_approvers_is_rejected_only_when_all_reject(void **state)
{
    (void)state;
    fixture f;
    change_fixture_open(&f, NULL, NULL, NULL);
    itsm_record *r = assessed(&f, "CHG1", "medium");
    assert_ok(itsm_record_reject_approval(r, NULL, "carl", NULL));
    assert_int_equal(approval_of(r).status, ITSM_APPROVAL_PENDING);
    assert_ok(itsm_record_reject_approval(r, NULL, "cleo", NULL));
    assert_int_equal(approval_of(r).status, ITSM_APPROVAL_REJECTED);
    fixture_close(&f);
}

static void a_level_open_to_anyone_is_rejected_by_the_first_rejection(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *r = request(&f, "bob");
    assert_ok(itsm_record_fire(r, "submit", NULL, 0));
    assert_ok(itsm_record_reject_approval(r, NULL, "eve", "not in the catalogue"));
    assert_int_equal(approval_of(r).status, ITSM_APPROVAL_REJECTED);
    assert_int_equal(level_of(r, 0).voters, 0);
    fixture_close(&f);
}

static void all_mode_needs_every_eligible_approver_and_one_rejection_rejects(void **state)
{
    (void)state;
    itsm_policy *p = change_policy();
    static const char *const two[] = { "ann", "bob" };
    itsm_approval_level_def l = ITSM_APPROVAL_LEVEL_DEF_INIT;
    l.name = "owners";
    l.people = two;
    l.npeople = 2;
    l.mode = ITSM_APPROVAL_ALL;
    itsm_approval_rule_def d = ITSM_APPROVAL_RULE_DEF_INIT;
    d.name = "owners";
    d.kind = ITSM_KIND_PROBLEM;
    d.levels = &l;
    d.nlevels = 1;
    assert_ok(itsm_policy_add_approval_rule(p, &d));
    fixture f;
    change_fixture_open(&f, p, NULL, NULL);
    itsm_record_opts o = ITSM_RECORD_OPTS_INIT;
    o.kind = ITSM_KIND_PROBLEM;
    itsm_record *a, *b;
    assert_ok(itsm_record_open(&a, f.eng, &o));   /* no state: the round opens with the record */
    assert_ok(itsm_record_open(&b, f.eng, &o));
    assert_ok(itsm_record_approve(a, NULL, "ann", NULL));
    assert_int_equal(approval_of(a).status, ITSM_APPROVAL_PENDING);
    assert_ok(itsm_record_approve(a, NULL, "bob", NULL));
    assert_int_equal(approval_of(a).status, ITSM_APPROVAL_APPROVED);
    assert_ok(itsm_record_reject_approval(b, NULL, "bob", NULL));
    assert_int_equal(approval_of(b).status, ITSM_APPROVAL_REJECTED);
    fixture_close(&f);
    itsm_policy_free(p);
}

/* ---- delegation ---- */

static void a_delegate_casts_the_delegated_vote(void **state)
{
    (void)state;
    fixture f;
    change_fixture_open(&f, NULL, NULL, NULL);
    itsm_record *r = assessed(&f, "CHG1", "high");
    assert_ok(itsm_record_approve(r, NULL, "carl", NULL));
    assert_fails(f.eng, itsm_record_delegate_approval(r, "cab", "zed", "yan", NULL), ITSM_EINVAL,
                 "zed is not an approver at level 'cab' of approval rule 'high_risk_change' and has no vote to "
                 "delegate");
    assert_fails(f.eng, itsm_record_delegate_approval(r, "cab", "ann", "ann", NULL), ITSM_EINVAL,
                 "ann cannot delegate to themself");
    assert_ok(itsm_record_delegate_approval(r, "cab", "ann", "zed", "on leave"));
    assert_fails(f.eng, itsm_record_approve(r, NULL, "ann", NULL), ITSM_ESTATE, "ann already delegated at level "
                 "'cab' of approval rule 'high_risk_change' to zed");
    assert_ok(itsm_record_delegate_approval(r, "cab", "bob", "cat", NULL));
    assert_fails(f.eng, itsm_record_delegate_approval(r, "cab", "dan", "bob", NULL), ITSM_EINVAL,
                 "bob delegated their own vote at level 'cab' and cannot hold another's");
    /* zed casts ann's vote; cat her own and bob's: two of a quorum of two. */
    assert_ok(itsm_record_approve(r, NULL, "zed", "for ann"));
    assert_int_equal(level_of(r, 1).approvals, 1);
    assert_ok(itsm_record_approve(r, NULL, "cat", NULL));
    itsm_approval_level l = level_of(r, 1);
    assert_int_equal(l.approvals, 3);
    assert_int_equal(l.status, ITSM_LEVEL_APPROVED);
    itsm_approval_decision d = { .size = sizeof d };
    assert_ok(itsm_record_approval_at(&d, r, 1));
    assert_int_equal(d.verdict, ITSM_VERDICT_DELEGATE);
    assert_string_equal(d.to, "zed");
    assert_string_equal(d.comment, "on leave");
    fixture_close(&f);
}

/* A delegated vote goes one hop: a named approver holding another's vote
 * cannot delegate (their own vote and the one they hold would both pass
 * to nobody: an "all" level could then never be decided). */
static void a_delegated_vote_goes_one_hop_and_its_holder_cannot_delegate(void **state)
{
    (void)state;
    itsm_policy *p = change_policy();
    static const char *const board[] = { "ann", "bob", "cat" };
    itsm_approval_level_def l = ITSM_APPROVAL_LEVEL_DEF_INIT;
    l.name = "board";
    l.people = board;
    l.npeople = N_(board);
    l.mode = ITSM_APPROVAL_ALL;
    itsm_approval_rule_def rd = ITSM_APPROVAL_RULE_DEF_INIT;
    rd.name = "problem_board";
    rd.kind = ITSM_KIND_PROBLEM;
    rd.levels = &l;
    rd.nlevels = 1;
    assert_ok(itsm_policy_add_approval_rule(p, &rd));
    fixture f;
    change_fixture_open(&f, p, NULL, NULL);
    itsm_policy_free(p);
    itsm_change c = { ITSM_F_SUMMARY, "Disk failures", 0 };
    itsm_record_opts o = ITSM_RECORD_OPTS_INIT;
    o.kind = ITSM_KIND_PROBLEM;
    o.fields = &c;
    o.nfields = 1;
    itsm_record *r;
    assert_ok(itsm_record_open(&r, f.eng, &o));
    assert_ok(itsm_record_delegate_approval(r, "board", "ann", "bob", NULL));
    size_t stored = f.store.n;
    assert_fails(f.eng, itsm_record_delegate_approval(r, "board", "bob", "cat", NULL), ITSM_EINVAL,
                 "bob holds ann's vote at level 'board' of approval rule 'problem_board' and cannot delegate: a "
                 "delegated vote goes one hop");
    assert_int_equal(f.store.n, stored);
    assert_int_equal(itsm_record_approval_count(r), 1);
    /* bob casts his vote and ann's; cat hers: every one of the three. */
    assert_ok(itsm_record_approve(r, "board", "bob", NULL));
    assert_ok(itsm_record_approve(r, "board", "cat", NULL));
    itsm_approval_level lv = level_of(r, 0);
    assert_int_equal(lv.approvals, 3);
    assert_int_equal(lv.status, ITSM_LEVEL_APPROVED);
    assert_int_equal(approval_of(r).status, ITSM_APPROVAL_APPROVED);
    fixture_close(&f);
}

static void delegation_is_refused_to_the_requester_and_at_open_levels(void **state)
{
    (void)state;
    fixture f;
    change_fixture_open(&f, NULL, NULL, NULL);
    itsm_change caller = { ITSM_F_CALLER, "pia", 0 };
    itsm_record *r = assessed(&f, "CHG1", "high");
    assert_ok(itsm_record_update(r, &caller, 1));
    assert_fails(f.eng, itsm_record_delegate_approval(r, NULL, "carl", "pia", NULL), ITSM_EINVAL,
                 "pia cannot hold a vote on CHG1 at level 'change_manager' of approval rule 'high_risk_change': pia "
                 "is the requester (separation of duties)");
    fixture_close(&f);
    fixture_open(&f);
    itsm_record *q = request(&f, "bob");
    assert_ok(itsm_record_fire(q, "submit", NULL, 0));
    assert_fails(f.eng, itsm_record_delegate_approval(q, NULL, "eve", "fay", NULL), ITSM_EINVAL,
                 "level 'approver' of approval rule 'service_request' takes anyone's decision: there is no vote to "
                 "delegate");
    fixture_close(&f);
}

/* ---- rules, rounds and refusals ---- */

static void the_risk_level_selects_the_rule(void **state)
{
    (void)state;
    fixture f;
    change_fixture_open(&f, NULL, NULL, NULL);
    itsm_record *r = assessed(&f, "CHG1", "medium");
    assert_string_equal(approval_of(r).rule, "change");
    assert_ok(itsm_record_approve(r, NULL, "cleo", NULL));
    assert_int_equal(approval_of(r).status, ITSM_APPROVAL_APPROVED);
    /* Re-assessed high: the CAB now has to approve too; cleo is no change
     * manager of the high-risk rule, so level 1 waits again. */
    assert_ok(itsm_record_answer_risk(r, "users", "organisation"));
    assert_ok(itsm_record_answer_risk(r, "backout", "none"));
    itsm_approval_info ai = approval_of(r);
    assert_string_equal(ai.rule, "high_risk_change");
    assert_int_equal(ai.status, ITSM_APPROVAL_PENDING);
    assert_int_equal(ai.current, 1);
    assert_int_equal(ai.decided_at, ITSM_TIME_NONE);
    fixture_close(&f);
}

/* Approval rules a policy adopted later brings watch the openings of
 * their kind from then on, also an opening that changes the same fields as
 * one opened before the rules came (the engine keeps which hooks openings
 * run: what it kept must not outlive the rules). */
static void rules_adopted_later_open_rounds_for_later_openings(void **state)
{
    (void)state;
    itsm_policy *none, *rules;
    assert_ok(itsm_policy_new_default(&none, NULL));
    assert_ok(itsm_policy_clear_approval_rules(none));
    assert_ok(itsm_policy_new_default(&rules, NULL));
    fixture f;
    fixture_open_with(&f, none, NULL);
    itsm_record *before = request(&f, "bob");
    assert_ok(itsm_record_fire(before, "submit", NULL, 0));
    assert_int_equal(approval_of(before).status, ITSM_APPROVAL_NONE);
    assert_ok(itsm_engine_adopt_policy(f.eng, rules));
    itsm_record *after = request(&f, "bob");
    assert_ok(itsm_record_fire(after, "submit", NULL, 0));
    assert_int_equal(approval_of(after).status, ITSM_APPROVAL_PENDING);
    assert_fails(f.eng, itsm_record_fire(after, "approve", NULL, 0), ITSM_EGUARD,
                 "transition 'approve' from 'awaiting_approval' needs level 1 'approver' of approval rule "
                 "'service_request' approved: 0 of 1 approvals");
    assert_ok(itsm_record_approve(after, NULL, "eve", NULL));
    assert_ok(itsm_record_fire(after, "approve", NULL, 0));
    fixture_close(&f);
    itsm_policy_free(none);
    itsm_policy_free(rules);
}

static void records_no_rule_covers_need_no_approval(void **state)
{
    (void)state;
    fixture f;
    change_fixture_open(&f, NULL, NULL, NULL);
    itsm_record *s = change_open(&f, "STD1", "standard", "mail", NULL);
    assert_ok(itsm_record_fire(s, "assess", NULL, 0));
    assert_int_equal(approval_of(s).status, ITSM_APPROVAL_NONE);
    assert_string_equal(approval_of(s).rule, "standard_change");
    assert_fails(f.eng, itsm_record_approve(s, NULL, "carl", NULL), ITSM_ENOTFOUND,
                 "STD1 needs no approval: approval rule 'standard_change' has no levels");
    itsm_record *inc;
    itsm_record_opts o = ITSM_RECORD_OPTS_INIT;
    assert_ok(itsm_record_open(&inc, f.eng, &o));
    assert_fails(f.eng, itsm_record_approve(inc, NULL, "carl", NULL), ITSM_ENOTFOUND,
                 "no approval rule applies to incident INC-000001");
    assert_int_equal(approval_of(inc).status, ITSM_APPROVAL_NONE);
    itsm_approval_level l = { .size = sizeof l };
    /* "No rule, so no level" is an answer: the refusal's message stays. */
    assert_int_equal(itsm_record_approval_level(&l, inc, 0), ITSM_ENOTFOUND);
    assert_string_equal(itsm_errmsg(f.eng), "no approval rule applies to incident INC-000001");
    fixture_close(&f);
}

static void decisions_wait_for_the_round_and_a_closed_record_takes_none(void **state)
{
    (void)state;
    fixture f;
    change_fixture_open(&f, NULL, NULL, NULL);
    itsm_record *r = change_open(&f, "CHG1", "normal", "mail", NULL);
    assert_int_equal(approval_of(r).status, ITSM_APPROVAL_NOT_STARTED);
    assert_fails(f.eng, itsm_record_approve(r, NULL, "carl", NULL), ITSM_ESTATE,
                 "approvals for CHG1 open when it enters 'assessed' (approval rule 'change')");
    assert_ok(itsm_record_fire(r, "assess", NULL, 0));
    assert_fails(f.eng, itsm_record_approve(r, "nosuch", "carl", NULL), ITSM_ENOTFOUND,
                 "approval rule 'change' has no level 'nosuch'");
    assert_fails(f.eng, itsm_record_approve(r, NULL, NULL, NULL), ITSM_EINVAL, "'by' (who decides) is required");
    assert_fails(f.eng, itsm_record_approve(r, NULL, "car\tl", NULL), ITSM_EINVAL, "control character");
    assert_fails(f.eng, itsm_record_approve(r, NULL, "carl", "\xff"), ITSM_EINVAL, "not valid UTF-8");
    assert_fails(f.eng, itsm_record_approve(NULL, NULL, "carl", NULL), ITSM_EINVAL, "");
    itsm_change n = { ITSM_F_RESOLUTION_NOTES, "Withdrawn", 0 };
    assert_ok(itsm_record_fire(r, "reject", &n, 1));
    assert_fails(f.eng, itsm_record_approve(r, NULL, "carl", NULL), ITSM_ESTATE, "cannot decide on CHG1: it is rejected");
    fixture_close(&f);
}

static void entering_the_rounds_state_again_starts_a_new_round(void **state)
{
    (void)state;
    itsm_policy *p = change_policy();
    assert_ok(itsm_policy_add_event(p, ITSM_KIND_CHANGE, "reassess"));
    itsm_transition_def t = ITSM_TRANSITION_DEF_INIT;
    t.from = "authorized";
    t.event = "reassess";
    t.to = "assessed";
    assert_ok(itsm_policy_add_transition(p, ITSM_KIND_CHANGE, &t));
    fixture f;
    change_fixture_open(&f, p, NULL, NULL);
    itsm_record *r = assessed(&f, "CHG1", "low");
    f.clock.now += 100;
    assert_ok(itsm_record_approve(r, NULL, "carl", NULL));
    assert_ok(authorize(r, "ivan"));
    f.clock.now += 100;
    assert_ok(itsm_record_fire(r, "reassess", NULL, 0));
    itsm_approval_info ai = approval_of(r);
    assert_int_equal(ai.status, ITSM_APPROVAL_PENDING);
    assert_int_equal(ai.requested_at, T0 + 200);
    assert_int_equal(itsm_record_approval_count(r), 0);
    /* The replay rebuilds the rounds from the transitions. */
    assert_replay_rebuilds(&f, p);
    fixture_close(&f);
    itsm_policy_free(p);
}

/* A standard change is pre-authorized from the start: a change that needed
 * approval cannot become standard once it left `new` (authorize with
 * change_type=standard skipped its change manager). Refused, nothing
 * changes; while new it may, and the other way (standard to normal, which
 * picks up approval) is always allowed. */
static void a_change_is_standard_from_the_start_or_not_at_all(void **state)
{
    (void)state;
    fixture f;
    change_fixture_open(&f, NULL, NULL, NULL);
    itsm_record *r = assessed(&f, "CHG1", "low");
    assert_int_equal(approval_of(r).status, ITSM_APPROVAL_PENDING);
    uint64_t rev = itsm_record_revision(r);
    size_t stored = f.store.n;
    itsm_change c[2] = { { ITSM_F_ASSIGNEE, "ivan", 0 }, { ITSM_F_CHANGE_TYPE, "standard", 0 } };
    assert_fails(f.eng, itsm_record_fire(r, "authorize", c, 2), ITSM_ESTATE, "would skip the approval rule");
    assert_fails(f.eng, itsm_record_set_str(r, ITSM_F_CHANGE_TYPE, "standard"), ITSM_ESTATE, "'normal' to 'standard'");
    assert_int_equal(itsm_record_revision(r), rev);
    assert_int_equal(f.store.n, stored);
    assert_string_equal(itsm_record_str(r, ITSM_F_CHANGE_TYPE), "normal");
    assert_string_equal(itsm_record_state(r), "assessed");
    /* approved, it is authorized as a normal change */
    assert_ok(itsm_record_approve(r, NULL, "carl", NULL));
    assert_ok(authorize(r, "ivan"));
    /* while new, the type may still be anything */
    itsm_record *n = change_open(&f, "CHG2", "normal", "mail", "relay01");
    assert_ok(itsm_record_set_str(n, ITSM_F_CHANGE_TYPE, "standard"));
    assert_ok(itsm_record_set_str(n, ITSM_F_CHANGE_TYPE, "normal"));
    /* standard to normal in assessed: it picks up the approval */
    itsm_record *s = change_open(&f, "CHG3", "standard", "mail", "relay01");
    assert_ok(itsm_record_fire(s, "assess", NULL, 0));
    assert_ok(itsm_record_set_str(s, ITSM_F_CHANGE_TYPE, "normal"));
    fixture_close(&f);
}

/* The rule is chosen as the record is now, so the one that applies in the
 * round's state may only be known after the record entered it: a rule for
 * medium and high risks (none for an unassessed change) applies once the
 * questions are answered in `assessed`, a standard change reclassified as
 * normal there picks up the normal rule. Entering the state opened their
 * round all the same, so they can be approved. */
static void a_round_opens_on_entering_the_state_before_the_rule_is_known(void **state)
{
    (void)state;
    itsm_policy *p = change_policy();
    assert_ok(itsm_policy_clear_approval_rules(p));
    static const char *const risky[] = { "medium", "high" };
    itsm_approval_level_def l = ITSM_APPROVAL_LEVEL_DEF_INIT;
    l.name = "change_manager";
    itsm_approval_rule_def rd = ITSM_APPROVAL_RULE_DEF_INIT;
    rd.name = "risky_change";
    rd.risks = risky;
    rd.nrisks = N_(risky);
    rd.state = "assessed";
    rd.levels = &l;
    rd.nlevels = 1;
    assert_ok(itsm_policy_add_approval_rule(p, &rd));
    fixture f;
    change_fixture_open(&f, p, NULL, NULL);
    itsm_record *r = change_open(&f, "CHG1", "normal", "mail", "relay01");
    assert_ok(itsm_record_fire(r, "assess", NULL, 0));
    assert_int_equal(approval_of(r).status, ITSM_APPROVAL_NONE);   /* no rule for an unassessed change */
    f.clock.now += 300;
    change_assess(r, "high");
    itsm_approval_info ai = approval_of(r);
    assert_string_equal(ai.rule, "risky_change");
    assert_int_equal(ai.status, ITSM_APPROVAL_PENDING);
    assert_int_equal(ai.requested_at, T0);   /* the round opened on entering 'assessed' */
    assert_ok(itsm_record_approve(r, NULL, "carl", NULL));
    assert_ok(authorize(r, "ivan"));
    assert_replay_rebuilds(&f, p);
    fixture_close(&f);
    itsm_policy_free(p);

    change_fixture_open(&f, NULL, NULL, NULL);
    itsm_record *s = change_open(&f, "CHG2", "standard", "mail", "relay01");
    assert_ok(itsm_record_fire(s, "assess", NULL, 0));
    itsm_change normal = { ITSM_F_CHANGE_TYPE, "normal", 0 };
    assert_ok(itsm_record_update(s, &normal, 1));
    change_assess(s, "low");
    assert_int_equal(approval_of(s).status, ITSM_APPROVAL_PENDING);
    assert_ok(itsm_record_approve(s, NULL, "carl", NULL));
    assert_ok(authorize(s, "ivan"));
    fixture_close(&f);
}

/* ---- the guard ---- */

static void guard_terms_approved_by_number_and_by_name(void **state)
{
    (void)state;
    itsm_policy *p = change_policy();
    static const struct { const char *guard; int rc; const char *needle; } bad[] = {
        { "approved:9", ITSM_EINVAL, "'approved:' takes all, a level number 1..8 or a level name" },
        { "approved:", ITSM_EINVAL, "'approved:' takes all" },
        { "approved:Cab", ITSM_EINVAL, "'approved:' takes all" },
        { "approval:all", ITSM_ENOTFOUND, "unknown guard kind 'approval' in guard term 'approval:all'" },
    };
    assert_ok(itsm_policy_add_event(p, ITSM_KIND_CHANGE, "poke"));
    for (size_t i = 0; i < N_(bad); i++) {
        itsm_transition_def t = ITSM_TRANSITION_DEF_INIT;
        t.from = "assessed";
        t.event = "poke";
        t.to = "assessed";
        t.guard = bad[i].guard;
        int rc = itsm_policy_add_transition(p, ITSM_KIND_CHANGE, &t);
        if (rc != bad[i].rc || !strstr(itsm_policy_errmsg(p), bad[i].needle))
            fail_msg("%s: got %s \"%s\"", bad[i].guard, itsm_errname(rc), itsm_policy_errmsg(p));
    }
    const char *guards[] = { "approved:1", "approved:cab", "approved:nosuch" };
    const char *events[] = { "first", "named", "nosuch" };
    for (size_t i = 0; i < 3; i++) {
        assert_ok(itsm_policy_add_event(p, ITSM_KIND_CHANGE, events[i]));
        itsm_transition_def t = ITSM_TRANSITION_DEF_INIT;
        t.from = "assessed";
        t.event = events[i];
        t.to = "assessed";
        t.guard = guards[i];
        assert_ok(itsm_policy_add_transition(p, ITSM_KIND_CHANGE, &t));
    }
    itsm_transition_def t = ITSM_TRANSITION_DEF_INIT;
    t.from = "assessed";
    t.event = "poke";
    t.to = "assessed";
    assert_ok(itsm_policy_add_transition(p, ITSM_KIND_CHANGE, &t));
    fixture f;
    change_fixture_open(&f, p, NULL, NULL);
    itsm_record *r = assessed(&f, "CHG1", "high");
    assert_fails(f.eng, itsm_record_fire(r, "first", NULL, 0), ITSM_EGUARD,
                 "transition 'first' from 'assessed' needs level 1 'change_manager'");
    assert_fails(f.eng, itsm_record_fire(r, "nosuch", NULL, 0), ITSM_EGUARD,
                 "needs level 'nosuch' approved, but approval rule 'high_risk_change' has no such level");
    assert_ok(itsm_record_approve(r, NULL, "carl", NULL));
    assert_ok(itsm_record_fire(r, "first", NULL, 0));
    assert_fails(f.eng, itsm_record_fire(r, "named", NULL, 0), ITSM_EGUARD, "needs level 2 'cab'");
    fixture_close(&f);
    itsm_policy_free(p);
}

/* "approved:N" needs the required levels among the first N and level N
 * itself: a rule with fewer levels has no level N, so its exception level
 * (the emergency change's window_exception, level 2) is not needed by
 * "approved:3" - as by "approved:all" - while "approved:2" names it. */
static void approved_n_past_a_rules_last_level_needs_no_exception_level(void **state)
{
    (void)state;
    itsm_policy *p = change_policy();
    const char *guards[] = { "approved:3", "approved:2" };
    const char *events[] = { "third", "second" };
    for (size_t i = 0; i < 2; i++) {
        assert_ok(itsm_policy_add_event(p, ITSM_KIND_CHANGE, events[i]));
        itsm_transition_def t = ITSM_TRANSITION_DEF_INIT;
        t.from = "assessed";
        t.event = events[i];
        t.to = "assessed";
        t.guard = guards[i];
        assert_ok(itsm_policy_add_transition(p, ITSM_KIND_CHANGE, &t));
    }
    fixture f;
    change_fixture_open(&f, p, NULL, NULL);
    itsm_record *r = change_open(&f, "CHG1", "emergency", "mail", "relay01");
    assert_ok(itsm_record_fire(r, "assess", NULL, 0));
    assert_fails(f.eng, itsm_record_fire(r, "third", NULL, 0), ITSM_EGUARD, "needs level 1 'ecab'");
    assert_ok(itsm_record_approve(r, NULL, "eve", NULL));
    assert_int_equal(approval_of(r).status, ITSM_APPROVAL_APPROVED);
    assert_ok(itsm_record_fire(r, "third", NULL, 0));
    assert_fails(f.eng, itsm_record_fire(r, "second", NULL, 0), ITSM_EGUARD, "needs level 2 'window_exception'");
    assert_ok(itsm_record_approve(r, "window_exception", "cio", NULL));
    assert_ok(itsm_record_fire(r, "second", NULL, 0));
    fixture_close(&f);
    itsm_policy_free(p);
}

/* ---- the policy section ---- */

static void rule_definitions_are_checked_whole(void **state)
{
    (void)state;
    itsm_policy *p;
    assert_ok(itsm_policy_new_default(&p, NULL));
    size_t before = itsm_policy_approval_rule_count(p);
    static const char *const twice[] = { "ann", "ann" }, *const ctl[] = { "a\x01" };
    itsm_approval_level_def ok = ITSM_APPROVAL_LEVEL_DEF_INIT, lv[2];
    ok.name = "lvl";
    itsm_approval_rule_def d = ITSM_APPROVAL_RULE_DEF_INIT;
#define TRY(code, needle) do {                                                          \
        int rc_ = itsm_policy_add_approval_rule(p, &d);                                 \
        if (rc_ != (code) || !strstr(itsm_policy_errmsg(p), (needle)))                  \
            fail_msg("line %d: got %s \"%s\"", __LINE__, itsm_errname(rc_), itsm_policy_errmsg(p)); \
        d = base;                                                                       \
        lv[0] = ok;                                                                     \
        lv[1] = ok;                                                                     \
        lv[1].name = "two";                                                             \
    } while (0)
    lv[0] = ok;
    lv[1] = ok;
    lv[1].name = "two";
    d.name = "r";
    d.levels = lv;
    d.nlevels = 1;
    const itsm_approval_rule_def base = d;
    d.name = "R!";
    TRY(ITSM_EINVAL, "an approval rule name must be 1..63 characters of a-z, 0-9 and _");
    d.kind = (itsm_kind)9;
    TRY(ITSM_EINVAL, "approval rule 'r': unknown record kind 9");
    d.change_types = ctl;
    d.nchange_types = 1;
    TRY(ITSM_EINVAL, "approval rule 'r': change type contains a control character");
    d.risks = twice;
    d.nrisks = 2;
    TRY(ITSM_EINVAL, "approval rule 'r': risk level 'ann' is given twice");
    d.state = "Assessed";
    TRY(ITSM_EINVAL, "a state name must be 1..63 characters");
    d.nlevels = 9;
    TRY(ITSM_ELIMIT, "approval rule 'r' has 9 levels; the limit is 8");
    d.separation = 4;
    TRY(ITSM_EINVAL, "unknown separation bits 0x4");
    lv[0].exception = 1;
    TRY(ITSM_EINVAL, "every level is an exception level");
    lv[1].name = "lvl";
    d.nlevels = 2;
    TRY(ITSM_EINVAL, "two levels are named 'lvl'");
    lv[0].version = 7;
    TRY(ITSM_EINVAL, "approval level definition version 7 is newer than this library's 1");
    lv[0].people = twice;
    lv[0].npeople = 2;
    TRY(ITSM_EINVAL, "level 'lvl': approver 'ann' is given twice");
    lv[0].mode = ITSM_APPROVAL_ALL;
    TRY(ITSM_EINVAL, "level 'lvl': 'all' needs named approvers or a group");
    lv[0].quorum = 2;
    TRY(ITSM_EINVAL, "level 'lvl': a quorum belongs to the rule 'quorum' only");
    lv[0].mode = ITSM_APPROVAL_QUORUM;
    TRY(ITSM_EINVAL, "level 'lvl': the quorum must be 1..256 (got 0)");
    lv[0].mode = ITSM_APPROVAL_QUORUM;
    lv[0].quorum = 3;
    lv[0].people = twice;
    lv[0].npeople = 1;
    TRY(ITSM_EINVAL, "a quorum of 3 needs at least 3 approvers (1 named)");
    lv[0].mode = (itsm_approval_mode)7;
    TRY(ITSM_EINVAL, "unknown rule 7");
    lv[0].group = "Cab";
    TRY(ITSM_EINVAL, "level 'lvl': a group name must be 1..63 characters");
    d.name = "change";
    TRY(ITSM_EEXISTS, "approval rule 'change' exists already");
    assert_int_equal(itsm_policy_approval_rule_count(p), before);
    assert_int_equal(itsm_policy_add_approval_rule(p, NULL), ITSM_EINVAL);
    assert_int_equal(itsm_policy_add_approval_rule(NULL, &d), ITSM_EINVAL);
    assert_ok(itsm_policy_add_approval_rule(p, &d));
    assert_int_equal(itsm_policy_approval_rule_count(p), before + 1);
    assert_int_equal(itsm_policy_set_approver_group(p, "G", NULL, 0), ITSM_EINVAL);
    assert_int_equal(itsm_policy_set_approver_group(p, "g", twice, 2), ITSM_EINVAL);
    assert_non_null(strstr(itsm_policy_errmsg(p), "approver group 'g': group member 'ann' is given twice"));
    assert_ok(itsm_policy_set_approver_group(p, "g", twice, 1));
    assert_ok(itsm_policy_set_approver_group(p, "g", NULL, 0));   /* removed */
    assert_ok(itsm_policy_clear_approval_rules(p));
    assert_int_equal(itsm_policy_approval_rule_count(p), 0);
    assert_int_equal(itsm_policy_approval_rule_count(NULL), 0);
    itsm_policy_free(p);
#undef TRY
}

static char *policy_json(const itsm_policy *p)
{
    size_t len;
    assert_int_equal(itsm_policy_to_json(p, NULL, 0, &len), ITSM_ELIMIT);
    char *s = malloc(len + 1);
    assert_ok(itsm_policy_to_json(p, s, len + 1, &len));
    return s;
}

static void the_policy_document_round_trips_and_is_checked(void **state)
{
    (void)state;
    itsm_policy *p = change_policy(), *q;
    char *a = policy_json(p);
    assert_non_null(strstr(a, "\"approvals\":{\"groups\":{\"cab\":[\"ann\",\"bob\",\"cat\",\"dan\"],\"ecab\":"
                              "[\"eve\",\"fay\"]},\"rules\":[{\"name\":\"standard_change\",\"kind\":\"change\","
                              "\"change_types\":[\"standard\"],\"risks\":[],\"state\":\"assessed\",\"separation\":"
                              "[\"requester\",\"implementer\"],\"levels\":[]}"));
    assert_non_null(strstr(a, "{\"name\":\"cab\",\"approvers\":[],\"group\":\"cab\",\"rule\":\"quorum\",\"quorum\":2,"
                              "\"exception\":false}"));
    assert_ok(itsm_policy_from_json(&q, a, strlen(a), NULL, NULL, NULL));
    char *b = policy_json(q);
    assert_string_equal(a, b);
    itsm_policy_free(q);
    free(a);
    free(b);
    itsm_policy_free(p);

    static const struct { const char *doc; const char *needle; } bad[] = {
        { "{\"itsm_policy\":1,\"approvals\":[]}", "'approvals' must be an object" },
        { "{\"itsm_policy\":1,\"approvals\":{\"rule\":[]}}", "unknown member 'rule' in approvals" },
        { "{\"itsm_policy\":1,\"approvals\":{\"groups\":{\"g\":[]}}}", "approver group 'g' has no members" },
        { "{\"itsm_policy\":1,\"approvals\":{\"rules\":[{\"name\":\"r\",\"kind\":\"change\",\"levels\":"
          "[{\"name\":\"l\",\"rule\":\"most\"}]}]}}", "'rule' must be \"any\", \"all\" or \"quorum\"" },
        { "{\"itsm_policy\":1,\"approvals\":{\"rules\":[{\"name\":\"r\",\"kind\":\"change\",\"separation\":"
          "[\"boss\"]}]}}", "'separation' holds \"requester\" and \"implementer\"" },
        { "{\"itsm_policy\":1,\"approvals\":{\"rules\":[{\"name\":\"r\",\"kind\":\"change\",\"levels\":"
          "[{\"name\":\"l\",\"quorum\":2}]}]}}", "a quorum belongs to the rule 'quorum' only" },
        { "{\"itsm_policy\":1,\"approvals\":{\"rules\":[{\"name\":\"r\",\"kind\":\"nope\"}]}}",
          "an approval rule needs a record 'kind'" },
    };
    for (size_t i = 0; i < N_(bad); i++) {
        itsm_parse_error err;
        int rc = itsm_policy_from_json(&q, bad[i].doc, strlen(bad[i].doc), NULL, NULL, &err);
        if (rc != ITSM_EPARSE || !strstr(err.text, bad[i].needle) || err.line != 1 || !err.column)
            fail_msg("%s: got %s %zu:%zu \"%s\"", bad[i].doc, itsm_errname(rc), err.line, err.column, err.text);
    }
    /* Defects only the check sees. */
    static const char doc[] = "{\"itsm_policy\":1,\"lifecycles\":{\"change\":{\"states\":[{\"name\":\"new\","
        "\"initial\":true},{\"name\":\"done\",\"closed\":true}],\"events\":[\"finish\"],\"transitions\":[{\"from\":"
        "\"new\",\"event\":\"finish\",\"to\":\"done\",\"guard\":\"approved:all\"}]}},\"approvals\":{\"groups\":{\"cab\":"
        "[\"ann\"]},\"rules\":[{\"name\":\"r\",\"kind\":\"change\",\"state\":\"assessed\",\"levels\":[{\"name\":\"l\","
        "\"group\":\"nope\"},{\"name\":\"m\",\"group\":\"cab\",\"rule\":\"quorum\",\"quorum\":2}]}]}}";
    assert_ok(itsm_policy_parse_json(&q, doc, strlen(doc), NULL, NULL, NULL));
    assert_int_equal(itsm_policy_check(q), 3);
    assert_string_equal(itsm_policy_finding(q, 0), "approvals: rule 'r': the change lifecycle has no state "
                        "'assessed' to open its rounds");
    assert_string_equal(itsm_policy_finding(q, 1), "approvals: rule 'r': level 'l' names unknown approver group "
                        "'nope'");
    assert_string_equal(itsm_policy_finding(q, 2), "approvals: rule 'r': level 'm' needs a quorum of 2 but has 1 "
                        "approvers");
    itsm_policy_free(q);
}

/* A rule's risk levels must be ones the questionnaire gives the rule's
 * kind: a misspelt level (or one on a kind nobody assesses) never matches,
 * and the changes it was meant for would silently fall to a rule with
 * fewer levels. */
static void a_rule_naming_a_risk_level_no_record_can_have_is_a_finding(void **state)
{
    (void)state;
    static const char doc[] = "{\"itsm_policy\":1,\"approvals\":{\"rules\":["
        "{\"name\":\"typo\",\"kind\":\"change\",\"risks\":[\"none\",\"hgih\"],\"state\":\"assessed\","
        "\"levels\":[{\"name\":\"cab\"}]},"
        "{\"name\":\"big_request\",\"kind\":\"service_request\",\"risks\":[\"high\"],"
        "\"state\":\"awaiting_approval\",\"levels\":[{\"name\":\"boss\"}]},"
        "{\"name\":\"change\",\"kind\":\"change\",\"risks\":[\"none\",\"low\",\"medium\",\"high\"],"
        "\"state\":\"assessed\",\"levels\":[{\"name\":\"change_manager\"}]}]}}";
    itsm_policy *q;
    itsm_parse_error err;
    assert_int_equal(itsm_policy_from_json(&q, doc, strlen(doc), NULL, NULL, &err), ITSM_EPOLICY);
    assert_ok(itsm_policy_parse_json(&q, doc, strlen(doc), NULL, NULL, NULL));
    assert_int_equal(itsm_policy_check(q), 2);
    assert_string_equal(itsm_policy_finding(q, 0), "approvals: rule 'typo' names unknown risk level 'hgih' "
                        "(levels: low, medium, high, or none)");
    assert_string_equal(itsm_policy_finding(q, 1), "approvals: rule 'big_request' names risk level 'high', but the "
                        "risk assessment does not assess service_request records");
    itsm_policy_free(q);
    /* The builders: the same check, whichever is set first. */
    itsm_policy *p = change_policy();
    static const char *const names[] = { "minor", "major" };
    static const int up_to[] = { 5, 0 };
    assert_ok(itsm_policy_set_risk_levels(p, names, up_to, 2));
    assert_int_equal(itsm_policy_check(p), 1);   /* high_risk_change names 'high' */
    assert_non_null(strstr(itsm_policy_finding(p, 0), "rule 'high_risk_change' names unknown risk level 'high'"));
    itsm_policy_free(p);
}

/* ---- the report ---- */

static void the_report_gives_the_approval_lead_time(void **state)
{
    (void)state;
    fixture f;
    change_fixture_open(&f, NULL, NULL, NULL);
    itsm_record *a = assessed(&f, "CHG1", "low");    /* round opens at T0 */
    itsm_record *b = assessed(&f, "CHG2", "low");
    itsm_record *c = assessed(&f, "CHG3", "low");
    (void)c;
    f.clock.now = T0 + 3600;
    assert_ok(itsm_record_approve(a, NULL, "carl", NULL));
    f.clock.now = T0 + 3 * 3600;
    assert_ok(itsm_record_reject_approval(b, NULL, "carl", NULL));
    assert_ok(itsm_record_reject_approval(b, NULL, "cleo", NULL));
    itsm_report_opts o = ITSM_REPORT_OPTS_INIT;
    itsm_report *rep;
    assert_ok(itsm_report_new(&rep, f.eng, &o));
    itsm_report_stat s = { .size = sizeof s };
    assert_ok(itsm_report_duration(&s, rep, ITSM_MEASURE_APPROVAL_WALL));
    assert_int_equal(s.count, 2);   /* CHG3 is still waiting */
    assert_int_equal(s.min, 3600);
    assert_int_equal(s.max, 3 * 3600);
    assert_string_equal(itsm_report_measure_name(ITSM_MEASURE_APPROVAL_WORK), "approval_work");
    size_t len;
    assert_int_equal(itsm_report_to_json(rep, NULL, 0, &len), ITSM_ELIMIT);
    char *j = malloc(len + 1);
    assert_ok(itsm_report_to_json(rep, j, len + 1, &len));
    assert_non_null(strstr(j, "\"approval_wall\":{\"count\":2,\"mean\":7200,\"min\":3600,\"max\":10800"));
    free(j);
    itsm_report_free(rep);
    fixture_close(&f);
}

/* ---- failures change nothing ---- */

static void every_failed_allocation_of_a_decision_changes_nothing(void **state)
{
    (void)state;
    for (int verdict = ITSM_VERDICT_APPROVE; verdict <= ITSM_VERDICT_DELEGATE; verdict++) {
        for (long n = 1;; n++) {
            failalloc fa = { 0, 0, 0, 0 };
            fixture f;
            itsm_policy *p = change_policy();
            fixture_open_with(&f, p, &fa);
            itsm_policy_free(p);
            itsm_record *r = assessed(&f, "CHG1", "high");
            assert_ok(itsm_record_approve(r, NULL, "carl", NULL));
            char *before = engine_dump(f.eng);
            size_t stored = f.store.n;
            fa.fail_at = fa.calls + n;
            int rc = verdict == ITSM_VERDICT_APPROVE ? itsm_record_approve(r, "cab", "ann", "a comment")
                   : verdict == ITSM_VERDICT_REJECT ? itsm_record_reject_approval(r, "cab", "ann", "a comment")
                                                    : itsm_record_delegate_approval(r, "cab", "ann", "zed", "away");
            fa.fail_at = 0;
            int failed = fa.failed;
            char *after = engine_dump(f.eng);
            if (rc) {
                assert_int_equal(rc, ITSM_ENOMEM);
                assert_string_equal(before, after);
                assert_int_equal(f.store.n, stored);
            } else {
                assert_int_equal(f.store.n, stored + 1);
                char *re = change_replay_dump(&f.store);
                assert_string_equal(after, re);
                free(re);
            }
            free(before);
            free(after);
            itsm_engine_free(f.eng);
            memstore_free(&f.store);
            assert_int_equal(fa.live, 0);
            if (!failed)
                break;
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_requester_cannot_approve_their_own_request),
        cmocka_unit_test(the_opener_is_the_requester_when_there_is_no_caller),
        cmocka_unit_test(a_decision_stops_counting_when_its_maker_becomes_the_implementer),
        cmocka_unit_test(levels_are_decided_in_order),
        cmocka_unit_test(a_cab_quorum_of_two_approves),
        cmocka_unit_test(a_quorum_is_rejected_once_it_can_no_longer_be_reached),
        cmocka_unit_test(any_of_named_approvers_is_rejected_only_when_all_reject),
        cmocka_unit_test(a_level_open_to_anyone_is_rejected_by_the_first_rejection),
        cmocka_unit_test(all_mode_needs_every_eligible_approver_and_one_rejection_rejects),
        cmocka_unit_test(a_delegate_casts_the_delegated_vote),
        cmocka_unit_test(a_delegated_vote_goes_one_hop_and_its_holder_cannot_delegate),
        cmocka_unit_test(delegation_is_refused_to_the_requester_and_at_open_levels),
        cmocka_unit_test(the_risk_level_selects_the_rule),
        cmocka_unit_test(rules_adopted_later_open_rounds_for_later_openings),
        cmocka_unit_test(records_no_rule_covers_need_no_approval),
        cmocka_unit_test(decisions_wait_for_the_round_and_a_closed_record_takes_none),
        cmocka_unit_test(entering_the_rounds_state_again_starts_a_new_round),
        cmocka_unit_test(a_round_opens_on_entering_the_state_before_the_rule_is_known),
        cmocka_unit_test(a_change_is_standard_from_the_start_or_not_at_all),
        cmocka_unit_test(guard_terms_approved_by_number_and_by_name),
        cmocka_unit_test(approved_n_past_a_rules_last_level_needs_no_exception_level),
        cmocka_unit_test(rule_definitions_are_checked_whole),
        cmocka_unit_test(the_policy_document_round_trips_and_is_checked),
        cmocka_unit_test(a_rule_naming_a_risk_level_no_record_can_have_is_a_finding),
        cmocka_unit_test(the_report_gives_the_approval_lead_time),
        cmocka_unit_test(every_failed_allocation_of_a_decision_changes_nothing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
