/* SPDX-License-Identifier: Apache-2.0 */
/* The problem-record decision at its exact figures (seed 000, DESIGN
 * section 8, itsm/problem.h): the default rule's wording, the rules'
 * ranges at both ends, the order the reasons come in, problem reasons
 * winning over a change, and the recurrence count's edges. */
#include "pm_helpers.h"

#define DAY ((itsm_time)86400)

/* An engine over the default policy with these problem rules. */
static void open_with_rules(fixture *f, const itsm_problem_rules *rules)
{
    itsm_policy *p;
    assert_ok(itsm_policy_new_default(&p, NULL));
    assert_ok(itsm_policy_set_problem_rules(p, rules));
    fixture_open_with(f, p, NULL);
    itsm_policy_free(p);
}

/* The default rule says its figures as the practitioner set them: three
 * incidents within 30 days, the window in days. */
static void the_default_recurrence_reason_names_three_incidents_within_thirty_days(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    pm_resolved_at(&f, T0, "print", "hardware");
    pm_resolved_at(&f, T0 + 12 * DAY, "print", "hardware");
    itsm_record *third = pm_resolved_at(&f, T0 + 29 * DAY, "print", "hardware");
    itsm_decision d = pm_decide(third, ITSM_ANSWER_YES, ITSM_ANSWER_NO, ITSM_ANSWER_NO);
    assert_int_equal(d.verdict, ITSM_VERDICT_TO_PROBLEM);
    assert_true(d.problem_proposed);
    assert_int_equal(d.recurrence, 3);
    const char *text = pm_reason_text(&d, ITSM_REASON_RECURRENCE);
    assert_non_null(text);
    assert_non_null(strstr(text, "3 incidents on print/hardware within 30 days (threshold 3)"));
    fixture_close(&f);
}

/* N is 2..ITSM_PROBLEM_PROPOSAL_MAX or 0 (off); the window 1 second..ITSM_PROBLEM_MAX_WINDOW:
 * both ends of each range are taken and read back. */
static void the_problem_rules_take_both_ends_of_their_ranges(void **state)
{
    (void)state;
    itsm_policy *p;
    assert_ok(itsm_policy_new_default(&p, NULL));
    const struct { int count; int64_t window; } ok[] = {
        { 2, 1 }, { ITSM_PROBLEM_PROPOSAL_MAX, ITSM_PROBLEM_MAX_WINDOW }, { 0, ITSM_PROBLEM_DEFAULT_WINDOW },
    };
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        itsm_problem_rules r = ITSM_PROBLEM_RULES_INIT;
        r.recurrence_count = ok[i].count;
        r.recurrence_window = ok[i].window;
        assert_ok(itsm_policy_set_problem_rules(p, &r));
        itsm_problem_rules back = ITSM_PROBLEM_RULES_INIT;
        assert_ok(itsm_policy_problem_rules(&back, p));
        assert_int_equal(back.recurrence_count, ok[i].count);
        assert_int_equal(back.recurrence_window, ok[i].window);
    }
    /* one past each end is refused and leaves the rules as they were */
    itsm_problem_rules r = ITSM_PROBLEM_RULES_INIT;
    r.recurrence_count = 1;
    assert_int_equal(itsm_policy_set_problem_rules(p, &r), ITSM_EINVAL);
    r.recurrence_count = ITSM_PROBLEM_PROPOSAL_MAX + 1;
    assert_int_equal(itsm_policy_set_problem_rules(p, &r), ITSM_EINVAL);
    r = (itsm_problem_rules)ITSM_PROBLEM_RULES_INIT;
    r.recurrence_window = ITSM_PROBLEM_MAX_WINDOW + 1;
    assert_int_equal(itsm_policy_set_problem_rules(p, &r), ITSM_EINVAL);
    itsm_problem_rules back = ITSM_PROBLEM_RULES_INIT;
    assert_ok(itsm_policy_problem_rules(&back, p));
    assert_int_equal(back.recurrence_count, 0);
    itsm_policy_free(p);
}

/* N = 0 switches the rule off: no count, no reason, no proposal - however
 * many incidents recur. */
static void a_count_of_zero_switches_recurrence_off(void **state)
{
    (void)state;
    itsm_problem_rules rules = ITSM_PROBLEM_RULES_INIT;
    rules.recurrence_count = 0;
    fixture f;
    open_with_rules(&f, &rules);
    itsm_record *last = NULL;
    for (int i = 0; i < 5; i++)
        last = pm_resolved_at(&f, T0 + i * DAY, "print", "hardware");
    itsm_decision d = pm_decide(last, ITSM_ANSWER_YES, ITSM_ANSWER_NO, ITSM_ANSWER_NO);
    assert_int_equal(d.verdict, ITSM_VERDICT_CLOSE);
    assert_false(d.problem_proposed);
    assert_int_equal(d.recurrence, 0);
    assert_null(pm_reason_text(&d, ITSM_REASON_RECURRENCE));
    assert_int_equal(itsm_engine_problem_proposal_count(f.eng), 0);
    fixture_close(&f);
}

/* A threshold of 2 in a one-second window: two incidents opened in the
 * same second recur, one second apart still (both ends included), two
 * seconds apart not. */
static void the_smallest_window_counts_both_of_its_ends(void **state)
{
    (void)state;
    itsm_problem_rules rules = ITSM_PROBLEM_RULES_INIT;
    rules.recurrence_count = 2;
    rules.recurrence_window = 1;
    rules.recurrence_push = 0;
    fixture f;
    open_with_rules(&f, &rules);
    pm_resolved_at(&f, T0, "print", "hardware");
    itsm_record *b = pm_resolved_at(&f, T0 + 1, "print", "hardware");
    itsm_decision d = pm_decide(b, ITSM_ANSWER_YES, ITSM_ANSWER_NO, ITSM_ANSWER_NO);
    assert_int_equal(d.recurrence, 2);
    assert_int_equal(d.verdict, ITSM_VERDICT_TO_PROBLEM);
    /* said as a person says it: one second, not "1 seconds" */
    assert_non_null(strstr(pm_reason_text(&d, ITSM_REASON_RECURRENCE),
                           "2 incidents on print/hardware within 1 second (threshold 2)"));

    pm_resolved_at(&f, T0 + 100, "scan", "hardware");
    itsm_record *c = pm_resolved_at(&f, T0 + 102, "scan", "hardware");
    d = pm_decide(c, ITSM_ANSWER_YES, ITSM_ANSWER_NO, ITSM_ANSWER_NO);
    assert_int_equal(d.recurrence, 1);
    assert_int_equal(d.verdict, ITSM_VERDICT_CLOSE);
    fixture_close(&f);
}

/* The reasons come in the order the rules ran (itsm/problem.h): the two
 * KT answers, the major-incident review, recurrence. */
static void reasons_come_in_the_order_the_rules_ran(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    pm_resolved_at(&f, T0, "mail", "outage");
    pm_resolved_at(&f, T0 + DAY, "mail", "outage");
    f.clock.now = T0 + 2 * DAY;
    itsm_record *r = pm_incident(&f, "mail", "outage", "mail down for everyone");
    assert_ok(itsm_record_set_int(r, ITSM_F_MAJOR, 1));
    pm_resolve(r, "desk", "ann");
    itsm_decision d = pm_decide(r, ITSM_ANSWER_NO, ITSM_ANSWER_YES, ITSM_ANSWER_NO);
    assert_int_equal(d.verdict, ITSM_VERDICT_TO_PROBLEM);
    const itsm_reason want[] = { ITSM_REASON_CAUSE_UNKNOWN, ITSM_REASON_ROOT_CAUSE_NEEDED,
                                 ITSM_REASON_MAJOR_REVIEW, ITSM_REASON_RECURRENCE };
    assert_int_equal(d.nreasons, 4);
    for (size_t i = 0; i < 4; i++) {
        assert_int_equal(d.reasons[i].code, want[i]);
        assert_true(d.reasons[i].text[0] != '\0');
    }
    fixture_close(&f);
}

/* Problem reasons win over to_change: a recurring incident whose known
 * cause needs a change goes to problem management (the problem reaches
 * change through its known error); without the recurrence the same
 * answers go straight to change, and no problem is proposed. */
static void recurrence_wins_over_a_fix_that_needs_a_change(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    pm_resolved_at(&f, T0, "print", "hardware");
    itsm_record *second = pm_resolved_at(&f, T0 + DAY, "print", "hardware");
    itsm_decision d = pm_decide(second, ITSM_ANSWER_YES, ITSM_ANSWER_NO, ITSM_ANSWER_YES);
    assert_int_equal(d.verdict, ITSM_VERDICT_TO_CHANGE);
    assert_false(d.problem_proposed);
    assert_non_null(pm_reason_text(&d, ITSM_REASON_FIX_NEEDS_CHANGE));
    assert_null(pm_reason_text(&d, ITSM_REASON_NO_FOLLOW_UP));
    assert_string_equal(itsm_verdict_name(d.verdict), "to_change");

    itsm_record *third = pm_resolved_at(&f, T0 + 2 * DAY, "print", "hardware");
    d = pm_decide(third, ITSM_ANSWER_YES, ITSM_ANSWER_NO, ITSM_ANSWER_YES);
    assert_int_equal(d.verdict, ITSM_VERDICT_TO_PROBLEM);
    assert_true(d.problem_proposed);
    assert_non_null(pm_reason_text(&d, ITSM_REASON_RECURRENCE));
    fixture_close(&f);
}

/* The recurrence count looks back from `at`: an incident opened after it
 * is not counted, one opened exactly at it is. */
static void the_recurrence_count_looks_back_from_its_time(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    pm_resolved_at(&f, T0, "print", "hardware");
    pm_resolved_at(&f, T0 + 5 * DAY, "print", "hardware");
    pm_resolved_at(&f, T0 + 40 * DAY, "print", "hardware");
    size_t n = 99;
    assert_ok(itsm_problem_recurrence(&n, f.eng, "print", "hardware", T0 + 5 * DAY));
    assert_int_equal(n, 2);
    assert_ok(itsm_problem_recurrence(&n, f.eng, "print", "hardware", T0 + 5 * DAY - 1));
    assert_int_equal(n, 1);
    assert_ok(itsm_problem_recurrence(&n, f.eng, "print", "hardware", T0 + 30 * DAY));
    assert_int_equal(n, 2);
    assert_ok(itsm_problem_recurrence(&n, f.eng, "print", "hardware", T0 + 30 * DAY + 1));
    assert_int_equal(n, 1);
    assert_ok(itsm_problem_recurrence(&n, f.eng, "print", "hardware", T0 + 40 * DAY));
    assert_int_equal(n, 1);
    fixture_close(&f);
}

/* With recurrence_ci the rule counts incidents on the same CI; an
 * incident without a CI counts nothing (reported as 0). */
static void per_ci_recurrence_counts_nothing_for_an_incident_without_a_ci(void **state)
{
    (void)state;
    itsm_problem_rules rules = ITSM_PROBLEM_RULES_INIT;
    rules.recurrence_ci = 1;
    rules.recurrence_push = 0;
    fixture f;
    open_with_rules(&f, &rules);
    itsm_record *r[4];
    for (int i = 0; i < 4; i++) {
        f.clock.now = T0 + i * DAY;
        r[i] = pm_incident(&f, "print", "hardware", "printer jams");
        if (i < 3)
            assert_ok(itsm_record_set_str(r[i], ITSM_F_CI, i == 1 ? "PRN-2" : "PRN-1"));
        pm_resolve(r[i], "desk", "ann");
    }
    /* PRN-1 twice, PRN-2 once: below three on either CI */
    itsm_decision d = pm_decide(r[2], ITSM_ANSWER_YES, ITSM_ANSWER_NO, ITSM_ANSWER_NO);
    assert_int_equal(d.recurrence, 2);
    assert_int_equal(d.verdict, ITSM_VERDICT_CLOSE);
    d = pm_decide(r[3], ITSM_ANSWER_YES, ITSM_ANSWER_NO, ITSM_ANSWER_NO);
    assert_int_equal(d.recurrence, 0);
    assert_int_equal(d.verdict, ITSM_VERDICT_CLOSE);
    /* the rule on its own counts whatever the CI */
    size_t n = 0;
    assert_ok(itsm_problem_recurrence(&n, f.eng, "print", "hardware", T0 + 3 * DAY));
    assert_int_equal(n, 4);
    fixture_close(&f);
}

/* The names of the verdicts, reasons and proposal states, as a host's
 * screen or log shows them. */
static void verdicts_reasons_and_proposal_states_have_their_names(void **state)
{
    (void)state;
    assert_string_equal(itsm_verdict_name(ITSM_VERDICT_CLOSE), "close");
    assert_string_equal(itsm_verdict_name(ITSM_VERDICT_TO_PROBLEM), "to_problem");
    assert_string_equal(itsm_verdict_name(ITSM_VERDICT_TO_CHANGE), "to_change");
    assert_null(itsm_verdict_name((itsm_verdict)0));
    assert_null(itsm_verdict_name((itsm_verdict)4));
    const char *const names[] = { "cause_unknown", "cause_known", "root_cause_needed", "root_cause_not_needed",
                                  "major_review", "recurrence", "fix_needs_change", "no_follow_up" };
    for (int i = 0; i < 8; i++)
        assert_string_equal(itsm_reason_name((itsm_reason)(i + 1)), names[i]);
    assert_null(itsm_reason_name((itsm_reason)0));
    assert_null(itsm_reason_name((itsm_reason)9));
    assert_string_equal(itsm_proposal_status_name(ITSM_PROPOSAL_PENDING), "pending");
    assert_string_equal(itsm_proposal_status_name(ITSM_PROPOSAL_ACCEPTED), "accepted");
    assert_string_equal(itsm_proposal_status_name(ITSM_PROPOSAL_DISMISSED), "dismissed");
    assert_null(itsm_proposal_status_name((itsm_proposal_status)4));
}

/* Question 2 is a person's answer: with the cause unknown, asking the
 * record for it is refused, whatever else is set. */
static void only_a_person_says_whether_the_root_cause_is_needed(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *r = pm_resolved_at(&f, T0, "print", "hardware");
    itsm_decision d = { .size = sizeof d };
    itsm_decision_opts o = ITSM_DECISION_OPTS_INIT;   /* everything from the record */
    assert_int_equal(itsm_problem_decide(&d, r, &o), ITSM_EINVAL);
    /* with a stated cause the record answers question 1, and question 2 is not asked */
    f.clock.now += 60;
    assert_ok(itsm_record_set_str(r, ITSM_F_CAUSE, "worn roller"));
    assert_ok(itsm_problem_decide(&d, r, &o));
    assert_int_equal(d.verdict, ITSM_VERDICT_CLOSE);
    assert_non_null(pm_reason_text(&d, ITSM_REASON_CAUSE_KNOWN));
    assert_non_null(pm_reason_text(&d, ITSM_REASON_NO_FOLLOW_UP));
    fixture_close(&f);
}

/* A problem in known_error holds the recurrence of the incidents related
 * to it, said in the header's words; once its fix is applied it holds
 * nothing any more: an incident recurring after the fix means the fix did
 * not hold, and recurrence goes to problem management. */
static void a_fixed_problem_no_longer_holds_the_recurrence(void **state)
{
    (void)state;
    itsm_problem_rules rules = ITSM_PROBLEM_RULES_INIT;
    rules.recurrence_push = 0;
    fixture f;
    open_with_rules(&f, &rules);
    itsm_record *ke = pm_ledger_known_error(&f);

    itsm_record *inc[3];
    for (int i = 0; i < 3; i++) {
        f.clock.now = T0 + (i + 1) * DAY;
        inc[i] = pm_incident(&f, "payroll", "batch", "payroll run fails");
        assert_ok(itsm_record_link(inc[i], ITSM_LINK_RELATED, ke));
        pm_resolve(inc[i], "desk", "ann");
    }
    itsm_decision d = pm_decide(inc[2], ITSM_ANSWER_YES, ITSM_ANSWER_NO, ITSM_ANSWER_NO);
    assert_int_equal(d.verdict, ITSM_VERDICT_CLOSE);
    assert_int_equal(d.recurrence, 3);
    const char *text = pm_reason_text(&d, ITSM_REASON_RECURRENCE);
    assert_non_null(text);
    char want[160];
    snprintf(want, sizeof want, "%s recurs on known error PRB-000001, which holds the recurrence: no new problem",
             itsm_record_id(inc[2]));
    assert_string_equal(text, want);

    f.clock.now = T0 + 4 * DAY;
    assert_ok(itsm_problem_close(ke, "fix_applied", "ledger index rebuilt"));
    f.clock.now = T0 + 5 * DAY;
    itsm_record *again = pm_incident(&f, "payroll", "batch", "payroll run fails");
    assert_ok(itsm_record_link(again, ITSM_LINK_RELATED, ke));
    pm_resolve(again, "desk", "ann");
    d = pm_decide(again, ITSM_ANSWER_FROM_RECORD, ITSM_ANSWER_NO, ITSM_ANSWER_NO);
    assert_int_equal(d.recurrence, 4);
    assert_int_equal(d.verdict, ITSM_VERDICT_TO_PROBLEM);
    assert_true(d.problem_proposed);
    assert_non_null(pm_reason_text(&d, ITSM_REASON_CAUSE_KNOWN));   /* the fixed problem states it */
    fixture_close(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_default_recurrence_reason_names_three_incidents_within_thirty_days),
        cmocka_unit_test(the_problem_rules_take_both_ends_of_their_ranges),
        cmocka_unit_test(a_count_of_zero_switches_recurrence_off),
        cmocka_unit_test(the_smallest_window_counts_both_of_its_ends),
        cmocka_unit_test(reasons_come_in_the_order_the_rules_ran),
        cmocka_unit_test(recurrence_wins_over_a_fix_that_needs_a_change),
        cmocka_unit_test(the_recurrence_count_looks_back_from_its_time),
        cmocka_unit_test(per_ci_recurrence_counts_nothing_for_an_incident_without_a_ci),
        cmocka_unit_test(verdicts_reasons_and_proposal_states_have_their_names),
        cmocka_unit_test(only_a_person_says_whether_the_root_cause_is_needed),
        cmocka_unit_test(a_fixed_problem_no_longer_holds_the_recurrence),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
