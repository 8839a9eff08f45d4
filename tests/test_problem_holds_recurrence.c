/* SPDX-License-Identifier: Apache-2.0 */
/* Which problem record holds an incident's recurrence (seed 000, DESIGN
 * section 8, itsm/problem.h): the one it is related to while that problem
 * is worked or a known error, so recurrence proposes no second problem for
 * it; and, once fixed, for the incidents that recurred before the fix -
 * also when they are decided, or resolved, only after it: they are the
 * occurrences the fix answered, not news that it failed. An incident that
 * began after the fix is such news, and recurrence hands it to problem
 * management. */
#include "pm_helpers.h"

#define DAY ((itsm_time)86400)

static void open_with_push(fixture *f, int push)
{
    itsm_policy *p;
    assert_ok(itsm_policy_new_default(&p, NULL));
    itsm_problem_rules r = ITSM_PROBLEM_RULES_INIT;
    r.recurrence_push = push;
    assert_ok(itsm_policy_set_problem_rules(p, &r));
    fixture_open_with(f, p, NULL);
    itsm_policy_free(p);
}

/* PRB-000001 on payroll/batch, taken to known error at T0. */
static itsm_record *ledger_known_error(fixture *f)
{
    f->clock.now = T0;
    return pm_ledger_known_error(f);
}

/* A payroll/batch incident opened at `at`, linked to `ke`, worked. */
static itsm_record *recurrence_at(fixture *f, itsm_time at, itsm_record *ke)
{
    f->clock.now = at;
    itsm_record *r = pm_incident(f, "payroll", "batch", "payroll run fails");
    assert_ok(itsm_record_link(r, ITSM_LINK_RELATED, ke));
    pm_work(r, "desk", "ann");
    return r;
}

static void resolve(itsm_record *r)
{
    itsm_change res[2] = { { ITSM_F_RESOLUTION_CODE, "fixed", 0 },
                           { ITSM_F_RESOLUTION_NOTES, "reran after 02:00", 0 } };
    assert_ok(itsm_record_fire(r, "resolve", res, 2));
}

/* Three recurrences while the known error stood, the third resolved
 * before the fix but decided only after it: the problem record that was
 * fixed holds them, so no new problem - whatever day the desk decides. */
static void a_recurrence_before_the_fix_decided_after_it_needs_no_new_problem(void **state)
{
    (void)state;
    fixture f;
    open_with_push(&f, 0);
    itsm_record *ke = ledger_known_error(&f);
    itsm_record *inc[3];
    for (int i = 0; i < 3; i++) {
        inc[i] = recurrence_at(&f, T0 + (i + 1) * DAY, ke);
        resolve(inc[i]);
    }
    itsm_decision before = pm_decide(inc[2], ITSM_ANSWER_FROM_RECORD, ITSM_ANSWER_NO, ITSM_ANSWER_NO);
    assert_int_equal(before.verdict, ITSM_VERDICT_CLOSE);

    f.clock.now = T0 + 4 * DAY;
    assert_ok(itsm_problem_close(ke, "fix_applied", "ledger index rebuilt"));
    f.clock.now = T0 + 5 * DAY;
    itsm_decision d = pm_decide(inc[2], ITSM_ANSWER_FROM_RECORD, ITSM_ANSWER_NO, ITSM_ANSWER_NO);
    assert_int_equal(d.verdict, ITSM_VERDICT_CLOSE);
    assert_false(d.problem_proposed);
    assert_int_equal(d.recurrence, 3);   /* the count is still reported */
    assert_non_null(pm_reason_text(&d, ITSM_REASON_CAUSE_KNOWN));
    const char *text = pm_reason_text(&d, ITSM_REASON_RECURRENCE);
    char want[160];
    snprintf(want, sizeof want, "%s recurred before problem PRB-000001 was fixed, which holds the recurrence: "
             "no new problem", itsm_record_id(inc[2]));
    assert_non_null(text);
    assert_string_equal(text, want);
    /* the problem closed after its fix holds them all the same */
    f.clock.now = T0 + 6 * DAY;
    assert_ok(itsm_record_fire(ke, "close", NULL, 0));
    d = pm_decide(inc[1], ITSM_ANSWER_FROM_RECORD, ITSM_ANSWER_NO, ITSM_ANSWER_NO);
    assert_int_equal(d.verdict, ITSM_VERDICT_CLOSE);
    assert_false(d.problem_proposed);
    fixture_close(&f);
}

/* The incidents waiting on the known error resume when its fix is
 * applied and are resolved after it: they recurred before the fix, so
 * neither the decision nor the push asks for a new problem for them. */
static void incidents_resumed_by_the_fix_are_held_by_the_fixed_problem(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);   /* the push is on by default */
    itsm_record *ke = ledger_known_error(&f);
    itsm_record *inc[3];
    for (int i = 0; i < 3; i++) {
        inc[i] = recurrence_at(&f, T0 + (i + 1) * DAY, ke);
        itsm_change h = { ITSM_F_HOLD_REASON, "awaiting_problem", 0 };
        assert_ok(itsm_record_fire(inc[i], "hold", &h, 1));
    }
    assert_int_equal(itsm_engine_problem_proposal_count(f.eng), 0);
    f.clock.now = T0 + 4 * DAY;
    assert_ok(itsm_problem_close(ke, "fix_applied", "ledger index rebuilt"));
    for (int i = 0; i < 3; i++) {
        assert_string_equal(itsm_record_state(inc[i]), "in_progress");
        f.clock.now += 60;
        resolve(inc[i]);
    }
    assert_int_equal(itsm_engine_problem_proposal_count(f.eng), 0);
    for (int i = 0; i < 3; i++) {
        itsm_decision d = pm_decide(inc[i], ITSM_ANSWER_FROM_RECORD, ITSM_ANSWER_NO, ITSM_ANSWER_NO);
        assert_int_equal(d.verdict, ITSM_VERDICT_CLOSE);
        assert_false(d.problem_proposed);
    }
    fixture_close(&f);
}

/* The line is the fix's time: an incident opened one second before the
 * fix is held by the problem; one opened one second after it means the
 * fix did not hold, and recurrence (the earlier occurrences counted)
 * hands it to problem management. */
static void the_fixs_time_divides_held_recurrences_from_new_ones(void **state)
{
    (void)state;
    fixture f;
    open_with_push(&f, 0);
    itsm_record *ke = ledger_known_error(&f);
    const itsm_time fix = T0 + 4 * DAY;
    recurrence_at(&f, T0 + 1 * DAY, ke);
    recurrence_at(&f, T0 + 2 * DAY, ke);
    itsm_record *just_before = recurrence_at(&f, fix - 1, ke);
    f.clock.now = fix;
    assert_ok(itsm_problem_close(ke, "fix_applied", "ledger index rebuilt"));
    itsm_record *just_after = recurrence_at(&f, fix + 1, ke);
    f.clock.now = fix + 60;
    resolve(just_before);
    resolve(just_after);
    itsm_decision d = pm_decide(just_before, ITSM_ANSWER_FROM_RECORD, ITSM_ANSWER_NO, ITSM_ANSWER_NO);
    assert_int_equal(d.verdict, ITSM_VERDICT_CLOSE);
    assert_int_equal(d.recurrence, 3);
    d = pm_decide(just_after, ITSM_ANSWER_FROM_RECORD, ITSM_ANSWER_NO, ITSM_ANSWER_NO);
    assert_int_equal(d.verdict, ITSM_VERDICT_TO_PROBLEM);
    assert_true(d.problem_proposed);
    assert_int_equal(d.recurrence, 4);
    fixture_close(&f);
}

/* Incidents the desk related to a problem still under analysis are with
 * problem management already: the third one on the key proposes no second
 * problem for them (the count still has them). Incidents not related to it
 * are free, and three of them make a cluster of their own. */
static void incidents_on_a_problem_under_analysis_are_proposed_no_second_problem(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *first = pm_incident(&f, "payroll", "batch", "payroll run fails");
    itsm_record *prb;
    assert_ok(itsm_problem_open_from_incident(&prb, first, NULL));   /* related to it */
    itsm_change a = { ITSM_F_ASSIGNEE, "pat", 0 };
    assert_ok(itsm_record_fire(prb, "assess", &a, 1));
    assert_ok(itsm_record_fire(prb, "analyse", NULL, 0));
    for (int i = 0; i < 2; i++) {
        f.clock.now += DAY;
        itsm_record *r = pm_incident(&f, "payroll", "batch", "payroll run fails");
        assert_ok(itsm_record_link(r, ITSM_LINK_RELATED, prb));
        f.clock.now += 60;
        pm_resolve(r, "desk", "ann");
    }
    assert_int_equal(itsm_engine_problem_proposal_count(f.eng), 0);
    size_t n = 0;
    assert_ok(itsm_problem_recurrence(&n, f.eng, "payroll", "batch", f.clock.now));
    assert_int_equal(n, 3);
    itsm_record *fresh[3];
    for (int i = 0; i < 3; i++) {
        f.clock.now += 60;
        fresh[i] = pm_incident(&f, "payroll", "batch", "payroll run fails");
    }
    assert_int_equal(itsm_engine_problem_proposal_count(f.eng), 1);
    for (size_t i = 0; i < 3; i++)
        assert_string_equal(itsm_engine_problem_proposal_incident(f.eng, 0, i), itsm_record_id(fresh[i]));
    assert_null(itsm_engine_problem_proposal_incident(f.eng, 0, 3));
    size_t idx;
    assert_int_equal(itsm_record_problem_proposal(&idx, first), ITSM_ENOTFOUND);
    fixture_close(&f);
}

/* The engine's proposal accepted into a problem: while that problem is
 * analysed the cluster's incidents go to problem management with it; once
 * it is fixed they are the occurrences its fix answered, and close. */
static void a_proposed_clusters_incidents_close_once_their_problem_is_fixed(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *inc[3];
    for (int i = 0; i < 3; i++) {
        f.clock.now = T0 + i * DAY;
        inc[i] = pm_incident(&f, "payroll", "batch", "payroll run fails");
        pm_resolve(inc[i], "desk", "ann");
    }
    assert_int_equal(itsm_engine_problem_proposal_count(f.eng), 1);
    itsm_record *prb;
    f.clock.now += 60;
    assert_ok(itsm_problem_proposal_accept(&prb, inc[2], NULL));
    itsm_decision d = pm_decide(inc[0], ITSM_ANSWER_FROM_RECORD, ITSM_ANSWER_NO, ITSM_ANSWER_NO);
    assert_int_equal(d.verdict, ITSM_VERDICT_TO_PROBLEM);   /* cause unknown: answered "no" */

    f.clock.now += DAY;
    pm_known_error(prb, "pat", "lock timeout on the ledger table", "rerun after 02:00");
    f.clock.now += DAY;
    assert_ok(itsm_problem_close(prb, "fix_applied", "ledger index rebuilt"));
    for (int i = 0; i < 3; i++) {
        d = pm_decide(inc[i], ITSM_ANSWER_FROM_RECORD, ITSM_ANSWER_NO, ITSM_ANSWER_NO);
        assert_int_equal(d.verdict, ITSM_VERDICT_CLOSE);
        assert_false(d.problem_proposed);
        char want[160];
        snprintf(want, sizeof want, "%s recurred before problem %s was fixed, which holds the recurrence: "
                 "no new problem", itsm_record_id(inc[i]), itsm_record_id(prb));
        assert_string_equal(pm_reason_text(&d, ITSM_REASON_RECURRENCE), want);
    }
    fixture_close(&f);
}

/* A known error closed with its risk accepted still holds the recurrence
 * of the incidents related to it, before and after the acceptance (seed
 * 003: whether "the inconvenience is outweighed by the ongoing cost of
 * recurring incidents" is "a management call", and accepting the risk is
 * that call; seed 000: the cause is known, so a new problem record would
 * dig for nothing): the recurrence rule proposes no new problem, and says
 * which problem holds it. The cause-known answer already read it from the
 * problem's history; without the history neither can tell. */
static void a_known_error_closed_with_its_risk_accepted_holds_the_recurrence(void **state)
{
    (void)state;
    fixture f;
    open_with_push(&f, 0);
    itsm_record *ke = ledger_known_error(&f);
    itsm_record *before = NULL;
    for (int i = 0; i < 2; i++) {
        before = recurrence_at(&f, T0 + (i + 1) * DAY, ke);
        resolve(before);
    }
    f.clock.now = T0 + 3 * DAY;
    assert_ok(itsm_problem_close(ke, "risk_accepted", "the ledger is replaced next quarter"));
    assert_string_equal(itsm_record_state(ke), "closed");
    itsm_record *after = recurrence_at(&f, T0 + 4 * DAY, ke);
    resolve(after);
    itsm_record *const decided[2] = { before, after };
    for (int i = 0; i < 2; i++) {
        itsm_decision d = pm_decide(decided[i], ITSM_ANSWER_FROM_RECORD, ITSM_ANSWER_NO, ITSM_ANSWER_NO);
        assert_int_equal(d.recurrence, i == 0 ? 2 : 3);
        assert_int_equal(d.verdict, ITSM_VERDICT_CLOSE);
        assert_false(d.problem_proposed);
        assert_non_null(pm_reason_text(&d, ITSM_REASON_CAUSE_KNOWN));
    }
    itsm_decision d = pm_decide(after, ITSM_ANSWER_FROM_RECORD, ITSM_ANSWER_NO, ITSM_ANSWER_NO);
    char want[200];
    snprintf(want, sizeof want, "%s recurs on known error PRB-000001, closed with its risk accepted, which holds "
             "the recurrence: no new problem", itsm_record_id(after));
    const char *text = pm_reason_text(&d, ITSM_REASON_RECURRENCE);
    assert_non_null(text);
    assert_string_equal(text, want);
    /* the host's answers still decide: a manager who wants the cause dug
     * out after all says so */
    d = pm_decide(after, ITSM_ANSWER_NO, ITSM_ANSWER_YES, ITSM_ANSWER_NO);
    assert_int_equal(d.verdict, ITSM_VERDICT_TO_PROBLEM);
    /* a store that cannot give the history: the record cannot tell */
    f.store.fail_read = ITSM_ESTORE;
    d = pm_decide(after, ITSM_ANSWER_NO, ITSM_ANSWER_NO, ITSM_ANSWER_NO);
    assert_int_equal(d.verdict, ITSM_VERDICT_TO_PROBLEM);
    fixture_close(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_recurrence_before_the_fix_decided_after_it_needs_no_new_problem),
        cmocka_unit_test(incidents_resumed_by_the_fix_are_held_by_the_fixed_problem),
        cmocka_unit_test(the_fixs_time_divides_held_recurrences_from_new_ones),
        cmocka_unit_test(incidents_on_a_problem_under_analysis_are_proposed_no_second_problem),
        cmocka_unit_test(a_proposed_clusters_incidents_close_once_their_problem_is_fixed),
        cmocka_unit_test(a_known_error_closed_with_its_risk_accepted_holds_the_recurrence),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
