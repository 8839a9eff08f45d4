/* SPDX-License-Identifier: Apache-2.0 */
/* The problem-record decision (seed 000, DESIGN section 8): the
 * Kepner-Tregoe truth table, the major-incident review, recurrence through
 * the index, and the policy's problem rules / handover checklists. */
#include "pm_helpers.h"

#define DAY ((itsm_time)86400)
#define WINDOW (30 * DAY)

static int has_reason(const itsm_decision *d, itsm_reason code)
{
    return pm_reason_text(d, code) != NULL;
}

/* pm_decide, and every decision gives at least one reason, each with a
 * text. */
static itsm_decision decide(itsm_record *r, int cause_known, int root_needed, int needs_change)
{
    itsm_decision d = pm_decide(r, cause_known, root_needed, needs_change);
    assert_true(d.nreasons > 0);
    for (size_t i = 0; i < d.nreasons; i++)
        assert_true(d.reasons[i].text[0] != '\0');
    return d;
}

/* ---- the four rows of the Kepner-Tregoe table ---- */

static void kt_cause_unknown_and_root_cause_needed_goes_to_problem(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *r = pm_incident(&f, "payroll", "batch", "payroll run fails");
    pm_resolve(r, "desk", "ann");
    itsm_decision d = decide(r, ITSM_ANSWER_NO, ITSM_ANSWER_YES, ITSM_ANSWER_NO);
    assert_int_equal(d.verdict, ITSM_VERDICT_TO_PROBLEM);
    assert_true(d.problem_proposed);
    assert_true(has_reason(&d, ITSM_REASON_CAUSE_UNKNOWN));
    assert_true(has_reason(&d, ITSM_REASON_ROOT_CAUSE_NEEDED));
    assert_string_equal(itsm_verdict_name(d.verdict), "to_problem");
    fixture_close(&f);
}

static void kt_cause_unknown_but_root_cause_not_needed_closes(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *r = pm_incident(&f, "payroll", "batch", "payroll run fails");
    pm_resolve(r, "desk", "ann");
    itsm_decision d = decide(r, ITSM_ANSWER_NO, ITSM_ANSWER_NO, ITSM_ANSWER_NO);
    assert_int_equal(d.verdict, ITSM_VERDICT_CLOSE);
    assert_false(d.problem_proposed);
    assert_true(has_reason(&d, ITSM_REASON_CAUSE_UNKNOWN));
    assert_true(has_reason(&d, ITSM_REASON_ROOT_CAUSE_NOT_NEEDED));
    assert_true(has_reason(&d, ITSM_REASON_NO_FOLLOW_UP));
    fixture_close(&f);
}

static void kt_cause_known_and_root_cause_needed_does_not_open_a_problem(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *r = pm_incident(&f, "payroll", "batch", "payroll run fails");
    pm_resolve(r, "desk", "ann");
    itsm_decision d = decide(r, ITSM_ANSWER_YES, ITSM_ANSWER_YES, ITSM_ANSWER_NO);
    assert_int_equal(d.verdict, ITSM_VERDICT_CLOSE);
    assert_true(has_reason(&d, ITSM_REASON_CAUSE_KNOWN));
    assert_false(has_reason(&d, ITSM_REASON_ROOT_CAUSE_NEEDED));
    fixture_close(&f);
}

static void kt_cause_known_and_root_cause_not_needed_closes(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *r = pm_incident(&f, "payroll", "batch", "payroll run fails");
    pm_resolve(r, "desk", "ann");
    itsm_decision d = decide(r, ITSM_ANSWER_YES, ITSM_ANSWER_NO, ITSM_ANSWER_NO);
    assert_int_equal(d.verdict, ITSM_VERDICT_CLOSE);
    assert_true(has_reason(&d, ITSM_REASON_CAUSE_KNOWN));
    assert_true(has_reason(&d, ITSM_REASON_NO_FOLLOW_UP));
    fixture_close(&f);
}

static void cause_known_and_fix_needs_change_goes_straight_to_change(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *r = pm_incident(&f, "payroll", "batch", "payroll run fails");
    assert_ok(itsm_record_set_str(r, ITSM_F_CAUSE, "disk full on the batch host"));
    pm_resolve(r, "desk", "ann");
    /* cause taken from the record's 'cause' field */
    itsm_decision d = decide(r, ITSM_ANSWER_FROM_RECORD, ITSM_ANSWER_FROM_RECORD, ITSM_ANSWER_YES);
    assert_int_equal(d.verdict, ITSM_VERDICT_TO_CHANGE);
    assert_true(has_reason(&d, ITSM_REASON_CAUSE_KNOWN));
    assert_true(has_reason(&d, ITSM_REASON_FIX_NEEDS_CHANGE));
    assert_string_equal(itsm_reason_name(ITSM_REASON_FIX_NEEDS_CHANGE), "fix_needs_change");
    fixture_close(&f);
}

static void unknown_cause_needs_an_answer_and_open_incidents_have_no_verdict(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *r = pm_incident(&f, "payroll", "batch", "payroll run fails");
    itsm_decision d = { .size = sizeof d };
    assert_fails(f.eng, itsm_problem_decide(&d, r, NULL), ITSM_ESTATE, "not finished");
    pm_resolve(r, "desk", "ann");
    assert_fails(f.eng, itsm_problem_decide(&d, r, NULL), ITSM_EINVAL, "answer whether the root cause is needed");
    itsm_record_opts o = ITSM_RECORD_OPTS_INIT;
    o.kind = ITSM_KIND_PROBLEM;
    itsm_record *p;
    assert_ok(itsm_record_open(&p, f.eng, &o));
    assert_fails(f.eng, itsm_problem_decide(&d, p, NULL), ITSM_EINVAL, "for incidents");
    fixture_close(&f);
}

/* KT question 1 read from the record: a cause of only blanks says nothing,
 * as a guard and itsm_record_has see it. The cause is still unknown, so
 * question 2 must be answered and decides (seed 000: both questions). */
static void kt_a_blank_cause_is_still_unknown(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *r = pm_incident(&f, "payroll", "batch", "payroll run fails");
    assert_ok(itsm_record_set_str(r, ITSM_F_CAUSE, " \t\n "));
    assert_false(itsm_record_has(r, ITSM_F_CAUSE));
    pm_resolve(r, "desk", "ann");
    itsm_decision d = { .size = sizeof d };
    assert_fails(f.eng, itsm_problem_decide(&d, r, NULL), ITSM_EINVAL, "answer whether the root cause is needed");
    d = decide(r, ITSM_ANSWER_FROM_RECORD, ITSM_ANSWER_YES, ITSM_ANSWER_FROM_RECORD);
    assert_int_equal(d.verdict, ITSM_VERDICT_TO_PROBLEM);
    assert_true(has_reason(&d, ITSM_REASON_CAUSE_UNKNOWN));
    assert_false(has_reason(&d, ITSM_REASON_CAUSE_KNOWN));
    fixture_close(&f);
}

/* KT question 1 from the record: an incident linked to a problem that
 * knows the cause (the known error diagnose matched, whose workaround
 * restored the service) has a known cause - it is not handed to problem
 * management again as "cause unknown". A linked problem still looking for
 * the cause says nothing. */
static void kt_an_incident_linked_to_a_known_error_has_a_known_cause(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *r = pm_incident(&f, "payroll", "batch", "payroll run fails");
    itsm_record *p;
    assert_ok(itsm_problem_open_from_incident(&p, r, NULL));   /* linked, no cause yet */
    pm_resolve(r, "desk", "ann");
    itsm_decision d = { .size = sizeof d };
    assert_fails(f.eng, itsm_problem_decide(&d, r, NULL), ITSM_EINVAL, "answer whether the root cause is needed");
    itsm_change a[2] = { { ITSM_F_ASSIGNEE, "pat", 0 }, { ITSM_F_CATEGORY, "batch", 0 } };
    assert_ok(itsm_record_fire(p, "assess", a, 2));
    assert_ok(itsm_record_fire(p, "analyse", NULL, 0));
    itsm_change k[2] = { { ITSM_F_CAUSE, "lock timeout on the ledger table", 0 },
                         { ITSM_F_WORKAROUND, "rerun after 02:00", 0 } };
    assert_ok(itsm_record_fire(p, "identify", k, 2));
    assert_null(itsm_record_str(r, ITSM_F_CAUSE));
    d = decide(r, ITSM_ANSWER_FROM_RECORD, ITSM_ANSWER_YES, ITSM_ANSWER_NO);
    assert_int_equal(d.verdict, ITSM_VERDICT_CLOSE);
    assert_true(has_reason(&d, ITSM_REASON_CAUSE_KNOWN));
    assert_false(has_reason(&d, ITSM_REASON_CAUSE_UNKNOWN));
    assert_non_null(strstr(d.reasons[0].text, itsm_record_id(p)));
    /* the host's own answer still wins */
    d = decide(r, ITSM_ANSWER_NO, ITSM_ANSWER_YES, ITSM_ANSWER_NO);
    assert_int_equal(d.verdict, ITSM_VERDICT_TO_PROBLEM);
    fixture_close(&f);
}

/* A linked problem knows the cause only as a known error or once fixed:
 * a cause typed in as a hypothesis during root cause analysis, or kept on
 * a problem closed without a fix ("not a problem after all"), is no known
 * cause for Kepner-Tregoe's first question. */
static void kt_a_cause_under_analysis_or_closed_without_a_fix_is_not_known(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *r = pm_incident(&f, "payroll", "batch", "payroll run fails");
    itsm_record *p;
    assert_ok(itsm_problem_open_from_incident(&p, r, NULL));
    pm_resolve(r, "desk", "ann");
    itsm_change a[2] = { { ITSM_F_ASSIGNEE, "pat", 0 }, { ITSM_F_CATEGORY, "batch", 0 } };
    assert_ok(itsm_record_fire(p, "assess", a, 2));
    assert_ok(itsm_record_fire(p, "analyse", NULL, 0));
    itsm_change guess = { ITSM_F_CAUSE, "maybe the ledger lock", 0 };
    assert_ok(itsm_record_update(p, &guess, 1));
    itsm_decision d = decide(r, ITSM_ANSWER_FROM_RECORD, ITSM_ANSWER_YES, ITSM_ANSWER_NO);
    assert_int_equal(d.verdict, ITSM_VERDICT_TO_PROBLEM);
    assert_true(has_reason(&d, ITSM_REASON_CAUSE_UNKNOWN));
    assert_ok(itsm_problem_close(p, "canceled", "not a problem after all"));
    d = decide(r, ITSM_ANSWER_FROM_RECORD, ITSM_ANSWER_YES, ITSM_ANSWER_NO);
    assert_int_equal(d.verdict, ITSM_VERDICT_TO_PROBLEM);
    assert_false(has_reason(&d, ITSM_REASON_CAUSE_KNOWN));
    fixture_close(&f);
}

/* A known error closed without a fix because the risk is accepted found
 * its cause all the same (seed 000: the fix is not worth it, not the
 * cause unknown): an incident related to it has a known cause, as it had
 * while the problem was a known error - read from the problem's history,
 * the record keeping no trace of the state it left. Without the history
 * (a store whose read fails, or has no read_record) it stays unknown, as
 * a problem closed before its cause was known does. */
static void kt_a_known_error_closed_with_its_risk_accepted_keeps_its_cause_known(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *r = pm_incident(&f, "payroll", "batch", "payroll run fails");
    itsm_record *p;
    assert_ok(itsm_problem_open_from_incident(&p, r, NULL));
    pm_resolve(r, "desk", "ann");
    itsm_change a[2] = { { ITSM_F_ASSIGNEE, "pat", 0 }, { ITSM_F_CATEGORY, "batch", 0 } };
    assert_ok(itsm_record_fire(p, "assess", a, 2));
    assert_ok(itsm_record_fire(p, "analyse", NULL, 0));
    itsm_change k[2] = { { ITSM_F_CAUSE, "lock timeout on the ledger table", 0 },
                         { ITSM_F_NO_WORKAROUND, NULL, 1 } };
    assert_ok(itsm_record_fire(p, "identify", k, 2));
    assert_ok(itsm_problem_close(p, "risk_accepted", "the ledger is replaced next quarter"));
    assert_string_equal(itsm_record_state(p), "closed");
    itsm_decision d = decide(r, ITSM_ANSWER_FROM_RECORD, ITSM_ANSWER_YES, ITSM_ANSWER_NO);
    assert_int_equal(d.verdict, ITSM_VERDICT_CLOSE);
    assert_true(has_reason(&d, ITSM_REASON_CAUSE_KNOWN));
    assert_false(has_reason(&d, ITSM_REASON_CAUSE_UNKNOWN));
    assert_non_null(strstr(d.reasons[0].text, itsm_record_id(p)));
    /* a store that cannot give the history: the record alone cannot tell */
    f.store.fail_read = ITSM_ESTORE;
    d = decide(r, ITSM_ANSWER_FROM_RECORD, ITSM_ANSWER_YES, ITSM_ANSWER_NO);
    assert_int_equal(d.verdict, ITSM_VERDICT_TO_PROBLEM);
    fixture_close(&f);
}

/* "The verdict for a finished incident": one reopened is back in work,
 * though it keeps the time it was first resolved. */
static void a_reopened_incident_has_no_verdict_until_it_resolves_again(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *r = pm_incident(&f, "payroll", "batch", "payroll run fails");
    pm_resolve(r, "desk", "ann");
    assert_ok(itsm_record_fire(r, "reopen", NULL, 0));
    itsm_decision d = { .size = sizeof d };
    itsm_decision_opts o = ITSM_DECISION_OPTS_INIT;
    o.cause_known = ITSM_ANSWER_NO;
    o.root_cause_needed = ITSM_ANSWER_YES;
    assert_fails(f.eng, itsm_problem_decide(&d, r, &o), ITSM_ESTATE, "not finished (state 'in_progress')");
    itsm_change c[2] = { { ITSM_F_RESOLUTION_CODE, "config_fix", 0 }, { ITSM_F_RESOLUTION_NOTES, "again", 0 } };
    assert_ok(itsm_record_fire(r, "resolve", c, 2));
    assert_ok(itsm_problem_decide(&d, r, &o));
    assert_int_equal(d.verdict, ITSM_VERDICT_TO_PROBLEM);
    fixture_close(&f);
}

/* ---- major incident review ---- */

static void major_incident_always_gets_a_problem_review(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *r = pm_incident(&f, "mail", "outage", "mail down for everyone");
    assert_ok(itsm_record_set_int(r, ITSM_F_MAJOR, 1));
    assert_ok(itsm_record_set_str(r, ITSM_F_CAUSE, "expired certificate"));
    pm_resolve(r, "desk", "ann");
    /* KT alone would close: cause known, root cause not needed */
    itsm_decision d = decide(r, ITSM_ANSWER_FROM_RECORD, ITSM_ANSWER_NO, ITSM_ANSWER_NO);
    assert_int_equal(d.verdict, ITSM_VERDICT_TO_PROBLEM);
    assert_true(has_reason(&d, ITSM_REASON_MAJOR_REVIEW));
    assert_true(has_reason(&d, ITSM_REASON_CAUSE_KNOWN));
    fixture_close(&f);

    /* the policy can switch the rule off */
    itsm_policy *p;
    assert_ok(itsm_policy_new_default(&p, NULL));
    itsm_problem_rules rules = ITSM_PROBLEM_RULES_INIT;
    rules.major_review = 0;
    assert_ok(itsm_policy_set_problem_rules(p, &rules));
    vclock clk = { T0 };
    itsm_engine_opts eo = ITSM_ENGINE_OPTS_INIT;
    eo.policy = p;
    eo.clock = vclock_read;
    eo.clock_user = &clk;
    fixture g;
    memset(&g, 0, sizeof g);
    assert_ok(itsm_engine_new(&g.eng, &eo));
    itsm_policy_free(p);
    r = pm_incident(&g, "mail", "outage", "mail down");
    assert_ok(itsm_record_set_int(r, ITSM_F_MAJOR, 1));
    pm_resolve(r, "desk", "ann");
    d = decide(r, ITSM_ANSWER_YES, ITSM_ANSWER_NO, ITSM_ANSWER_NO);
    assert_int_equal(d.verdict, ITSM_VERDICT_CLOSE);
    assert_false(has_reason(&d, ITSM_REASON_MAJOR_REVIEW));
    itsm_engine_free(g.eng);
}

/* ---- recurrence ---- */

static void recurrence_proposes_a_problem_at_n_not_at_n_minus_1(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    pm_resolved_at(&f, T0, "print", "hardware");
    pm_resolved_at(&f, T0 + DAY, "other", "hardware");   /* another service: not counted */
    itsm_record *second = pm_resolved_at(&f, T0 + 2 * DAY, "print", "hardware");
    itsm_decision d = decide(second, ITSM_ANSWER_YES, ITSM_ANSWER_NO, ITSM_ANSWER_NO);
    assert_int_equal(d.recurrence, 2);
    assert_int_equal(d.verdict, ITSM_VERDICT_CLOSE);
    assert_false(has_reason(&d, ITSM_REASON_RECURRENCE));

    itsm_record *third = pm_resolved_at(&f, T0 + 3 * DAY, "print", "hardware");
    d = decide(third, ITSM_ANSWER_YES, ITSM_ANSWER_NO, ITSM_ANSWER_NO);
    assert_int_equal(d.recurrence, 3);
    assert_int_equal(d.verdict, ITSM_VERDICT_TO_PROBLEM);
    assert_true(has_reason(&d, ITSM_REASON_RECURRENCE));

    size_t n = 0;
    assert_ok(itsm_problem_recurrence(&n, f.eng, "print", "hardware", T0 + 3 * DAY));
    assert_int_equal(n, 3);
    assert_ok(itsm_problem_recurrence(&n, f.eng, "print", "hardware", T0 + DAY));
    assert_int_equal(n, 1);
    assert_ok(itsm_problem_recurrence(&n, f.eng, "print", "nothing", T0 + DAY));
    assert_int_equal(n, 0);
    fixture_close(&f);
}

static void recurrence_window_edge_is_inclusive(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    pm_resolved_at(&f, T0, "print", "hardware");             /* exactly one window before the third */
    pm_resolved_at(&f, T0 + 10 * DAY, "print", "hardware");
    itsm_record *third = pm_resolved_at(&f, T0 + WINDOW, "print", "hardware");
    itsm_decision d = decide(third, ITSM_ANSWER_YES, ITSM_ANSWER_NO, ITSM_ANSWER_NO);
    assert_int_equal(d.recurrence, 3);
    assert_int_equal(d.verdict, ITSM_VERDICT_TO_PROBLEM);
    fixture_close(&f);

    fixture_open(&f);
    pm_resolved_at(&f, T0 - 1, "print", "hardware");         /* one second too early */
    pm_resolved_at(&f, T0 + 10 * DAY, "print", "hardware");
    third = pm_resolved_at(&f, T0 + WINDOW, "print", "hardware");
    d = decide(third, ITSM_ANSWER_YES, ITSM_ANSWER_NO, ITSM_ANSWER_NO);
    assert_int_equal(d.recurrence, 2);
    assert_int_equal(d.verdict, ITSM_VERDICT_CLOSE);
    fixture_close(&f);
}

static void recurrence_index_follows_category_changes_and_replay(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *a = pm_resolved_at(&f, T0, "print", "hardware");
    pm_resolved_at(&f, T0 + DAY, "print", "hardware");
    f.clock.now = T0 + 2 * DAY;
    itsm_record *c = pm_incident(&f, "print", "software", "driver crash");
    size_t n = 0;
    assert_ok(itsm_problem_recurrence(&n, f.eng, "print", "hardware", T0 + 2 * DAY));
    assert_int_equal(n, 2);
    assert_ok(itsm_record_set_str(c, ITSM_F_CATEGORY, "hardware"));   /* reclassified */
    assert_ok(itsm_problem_recurrence(&n, f.eng, "print", "hardware", T0 + 2 * DAY));
    assert_int_equal(n, 3);
    assert_ok(itsm_problem_recurrence(&n, f.eng, "print", "software", T0 + 2 * DAY));
    assert_int_equal(n, 0);
    (void)a;

    /* A replayed engine answers the same. */
    itsm_engine *e2 = pm_replay(&f.store);
    assert_ok(itsm_problem_recurrence(&n, e2, "print", "hardware", T0 + 2 * DAY));
    assert_int_equal(n, 3);
    itsm_engine_free(e2);

    /* An engine loaded from the store answers the same too. */
    itsm_engine_opts o = ITSM_ENGINE_OPTS_INIT;
    o.store = &memstore_methods;
    o.store_user = &f.store;
    itsm_engine *e3;
    assert_ok(itsm_engine_new(&e3, &o));
    assert_ok(itsm_engine_load(e3));
    assert_ok(itsm_problem_recurrence(&n, e3, "print", "hardware", T0 + 2 * DAY));
    assert_int_equal(n, 3);
    itsm_engine_free(e3);
    fixture_close(&f);
}

static void recurrence_rule_reads_the_policy(void **state)
{
    (void)state;
    itsm_policy *p;
    assert_ok(itsm_policy_new_default(&p, NULL));
    itsm_problem_rules r = ITSM_PROBLEM_RULES_INIT;
    assert_ok(itsm_policy_problem_rules(&r, p));
    assert_int_equal(r.recurrence_count, 3);
    assert_int_equal(r.recurrence_window, WINDOW);
    r.recurrence_count = 1;
    assert_int_equal(itsm_policy_set_problem_rules(p, &r), ITSM_EINVAL);
    assert_non_null(strstr(itsm_policy_errmsg(p), "recurrence_count"));
    r.recurrence_count = 2;
    r.recurrence_window = 36 * 3600;   /* said in hours: not "1 days" */
    assert_ok(itsm_policy_set_problem_rules(p, &r));

    vclock clk = { T0 };
    itsm_engine_opts eo = ITSM_ENGINE_OPTS_INIT;
    eo.policy = p;
    eo.clock = vclock_read;
    eo.clock_user = &clk;
    fixture g;
    memset(&g, 0, sizeof g);
    assert_ok(itsm_engine_new(&g.eng, &eo));
    itsm_policy_free(p);
    g.clock.now = T0;
    clk.now = T0;
    itsm_record *x = pm_incident(&g, "vpn", "access", "vpn drops");
    pm_resolve(x, "desk", "ann");
    clk.now = T0 + DAY;
    itsm_record *y = pm_incident(&g, "vpn", "access", "vpn drops again");
    pm_resolve(y, "desk", "ann");
    itsm_decision d = decide(y, ITSM_ANSWER_YES, ITSM_ANSWER_NO, ITSM_ANSWER_NO);
    assert_int_equal(d.recurrence, 2);
    assert_int_equal(d.verdict, ITSM_VERDICT_TO_PROBLEM);
    const char *text = NULL;
    for (size_t i = 0; i < d.nreasons; i++)
        if (d.reasons[i].code == ITSM_REASON_RECURRENCE)
            text = d.reasons[i].text;
    assert_non_null(text);
    assert_non_null(strstr(text, "2 incidents on vpn/access within 36 hours (threshold 2)"));
    itsm_engine_free(g.eng);
}

/* Whether every byte sequence of s is a whole UTF-8 character. */
static int whole_utf8(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        int len = *p < 0x80 ? 1 : (*p & 0xE0) == 0xC0 ? 2 : (*p & 0xF0) == 0xE0 ? 3 : (*p & 0xF8) == 0xF0 ? 4 : 0;
        if (!len)
            return 0;
        for (int i = 1; i < len; i++)
            if ((p[i] & 0xC0) != 0x80)
                return 0;
        p += len;
    }
    return 1;
}

/* A reason names the service and category cut to fit, at a character
 * boundary: its text stays UTF-8 for every binding and JSON writer. */
static void a_reason_cut_to_fit_stays_whole_utf8(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    char svc[80] = "a";
    for (int i = 0; i < 30; i++)
        strcat(svc, "\xc3\xa9");   /* e-acute: byte 50 falls inside one */
    itsm_record *last = NULL;
    for (int i = 0; i < 3; i++)
        last = pm_resolved_at(&f, T0 + i * DAY, svc, "batch");
    itsm_decision d = decide(last, ITSM_ANSWER_YES, ITSM_ANSWER_NO, ITSM_ANSWER_NO);
    assert_true(has_reason(&d, ITSM_REASON_RECURRENCE));
    for (size_t i = 0; i < d.nreasons; i++)
        assert_true(whole_utf8(d.reasons[i].text));
    fixture_close(&f);
}

/* The engine's own recurrence proposal names every incident of the
 * cluster: the first of them is handed to problem management too, not
 * told "nothing calls for more work" because it came first. */
static void an_incident_of_a_proposed_cluster_goes_to_problem_management(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *first = pm_resolved_at(&f, T0, "payroll", "batch");
    pm_resolved_at(&f, T0 + 15 * DAY, "payroll", "batch");
    pm_resolved_at(&f, T0 + 30 * DAY, "payroll", "batch");
    size_t idx;
    assert_ok(itsm_record_problem_proposal(&idx, first));
    itsm_decision d = decide(first, ITSM_ANSWER_YES, ITSM_ANSWER_NO, ITSM_ANSWER_NO);
    assert_int_equal(d.recurrence, 1);   /* the count is still of those before it */
    assert_int_equal(d.verdict, ITSM_VERDICT_TO_PROBLEM);
    assert_true(has_reason(&d, ITSM_REASON_RECURRENCE));
    assert_false(has_reason(&d, ITSM_REASON_NO_FOLLOW_UP));
    /* dismissed by problem management: the proposal no longer speaks */
    assert_ok(itsm_problem_proposal_dismiss(first, "a known batch window"));
    d = decide(first, ITSM_ANSWER_YES, ITSM_ANSWER_NO, ITSM_ANSWER_NO);
    assert_int_equal(d.verdict, ITSM_VERDICT_CLOSE);
    fixture_close(&f);
}

/* Seed 000: a problem record is for a cause still unknown. An incident
 * already linked to the known error it recurs on has its problem record:
 * the recurrence rule, and the proposal it is a member of, ask for no
 * new one, and the Kepner-Tregoe answers decide its path (the known
 * error's cause makes it "known"). One not yet linked still goes to
 * problem management, whatever the answers. */
static void recurrence_asks_no_new_problem_for_an_incident_linked_to_its_known_error(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    f.clock.now = T0;
    itsm_record *first = pm_incident(&f, "payroll", "batch", "payroll run fails");
    itsm_record *ke;
    assert_ok(itsm_problem_open_from_incident(&ke, first, NULL));
    itsm_change a[2] = { { ITSM_F_ASSIGNEE, "pat", 0 }, { ITSM_F_CATEGORY, "batch", 0 } };
    assert_ok(itsm_record_fire(ke, "assess", a, 2));
    assert_ok(itsm_record_fire(ke, "analyse", NULL, 0));
    itsm_change k[2] = { { ITSM_F_CAUSE, "lock timeout on the ledger table", 0 },
                         { ITSM_F_WORKAROUND, "rerun after 02:00", 0 } };
    assert_ok(itsm_record_fire(ke, "identify", k, 2));
    pm_resolve(first, "desk", "ann");
    itsm_record *second = pm_resolved_at(&f, T0 + DAY, "payroll", "batch");
    itsm_record *third = pm_resolved_at(&f, T0 + 2 * DAY, "payroll", "batch");
    f.clock.now = T0 + 3 * DAY;
    itsm_record *fourth = pm_incident(&f, "payroll", "batch", "payroll run fails again");
    assert_ok(itsm_record_link(fourth, ITSM_LINK_RELATED, ke));   /* diagnosed: the known error */
    pm_resolve(fourth, "desk", "ann");

    itsm_decision d = decide(fourth, ITSM_ANSWER_FROM_RECORD, ITSM_ANSWER_NO, ITSM_ANSWER_NO);
    assert_int_equal(d.recurrence, 4);
    assert_int_equal(d.verdict, ITSM_VERDICT_CLOSE);
    assert_false(d.problem_proposed);
    assert_true(has_reason(&d, ITSM_REASON_CAUSE_KNOWN));
    assert_true(has_reason(&d, ITSM_REASON_NO_FOLLOW_UP));
    const char *why = NULL;
    for (size_t i = 0; i < d.nreasons; i++)
        if (d.reasons[i].code == ITSM_REASON_RECURRENCE)
            why = d.reasons[i].text;
    assert_non_null(why);
    assert_non_null(strstr(why, "recurs on known error"));
    assert_non_null(strstr(why, itsm_record_id(ke)));
    /* the host's answers still decide: cause known, fix needs a change */
    d = decide(fourth, ITSM_ANSWER_YES, ITSM_ANSWER_NO, ITSM_ANSWER_YES);
    assert_int_equal(d.verdict, ITSM_VERDICT_TO_CHANGE);
    d = decide(fourth, ITSM_ANSWER_NO, ITSM_ANSWER_YES, ITSM_ANSWER_NO);
    assert_int_equal(d.verdict, ITSM_VERDICT_TO_PROBLEM);

    /* not yet linked: recurrence outranks the answers */
    d = decide(third, ITSM_ANSWER_YES, ITSM_ANSWER_NO, ITSM_ANSWER_NO);
    assert_int_equal(d.recurrence, 3);
    assert_int_equal(d.verdict, ITSM_VERDICT_TO_PROBLEM);
    /* an earlier incident of a proposed cluster, once linked to the known
     * error, needs no problem either */
    size_t idx;
    assert_ok(itsm_record_problem_proposal(&idx, second));
    d = decide(second, ITSM_ANSWER_YES, ITSM_ANSWER_NO, ITSM_ANSWER_NO);
    assert_int_equal(d.verdict, ITSM_VERDICT_TO_PROBLEM);
    assert_ok(itsm_record_link(second, ITSM_LINK_RELATED, ke));
    d = decide(second, ITSM_ANSWER_YES, ITSM_ANSWER_NO, ITSM_ANSWER_NO);
    assert_int_equal(d.verdict, ITSM_VERDICT_CLOSE);
    assert_false(d.problem_proposed);
    assert_true(has_reason(&d, ITSM_REASON_RECURRENCE));
    fixture_close(&f);
}

/* ---- the policy document ---- */

static char *policy_json(const itsm_policy *p)
{
    size_t len = 0;
    itsm_policy_to_json(p, NULL, 0, &len);
    char *buf = malloc(len + 1);
    assert_ok(itsm_policy_to_json(p, buf, len + 1, &len));
    return buf;
}

static void policy_document_round_trips_problem_rules_and_checklists(void **state)
{
    (void)state;
    itsm_policy *p;
    assert_ok(itsm_policy_new_default(&p, NULL));
    itsm_problem_rules r = ITSM_PROBLEM_RULES_INIT;
    r.recurrence_count = 5;
    r.recurrence_window = 7 * DAY;
    r.major_review = 0;
    assert_ok(itsm_policy_set_problem_rules(p, &r));
    assert_ok(itsm_policy_set_handover_checklist(p, ITSM_PACKET_SHIFT, "status  next_update object"));
    assert_int_equal(itsm_policy_set_handover_checklist(p, ITSM_PACKET_SHIFT, "status bogus"), ITSM_ENOTFOUND);
    assert_non_null(strstr(itsm_policy_errmsg(p), "'bogus'"));
    char buf[256];
    size_t len;
    assert_ok(itsm_policy_handover_checklist(p, ITSM_PACKET_SHIFT, buf, sizeof buf, &len));
    assert_string_equal(buf, "object status next_update");

    char *a = policy_json(p);
    assert_non_null(strstr(a, "\"problem_rules\":{\"recurrence_count\":5,\"recurrence_window\":604800,\"major_review\":false,"
                              "\"recurrence_ci\":false,\"recurrence_push\":true}"));
    assert_non_null(strstr(a, "\"shift\":[\"object\",\"status\",\"next_update\"]"));
    itsm_policy *q;
    itsm_parse_error err;
    assert_ok(itsm_policy_from_json(&q, a, strlen(a), NULL, NULL, &err));
    char *b = policy_json(q);
    assert_string_equal(a, b);
    itsm_problem_rules r2 = ITSM_PROBLEM_RULES_INIT;
    assert_ok(itsm_policy_problem_rules(&r2, q));
    assert_int_equal(r2.recurrence_count, 5);
    assert_int_equal(r2.major_review, 0);
    free(a);
    free(b);
    itsm_policy_free(q);

    /* the default policy round-trips too */
    itsm_policy_free(p);
    assert_ok(itsm_policy_new_default(&p, NULL));
    a = policy_json(p);
    assert_ok(itsm_policy_from_json(&q, a, strlen(a), NULL, NULL, &err));
    b = policy_json(q);
    assert_string_equal(a, b);
    free(a);
    free(b);
    itsm_policy_free(q);
    itsm_policy_free(p);
}

static void policy_document_errors_point_at_the_value(void **state)
{
    (void)state;
    static const struct { const char *doc; size_t line, col; const char *text; } cases[] = {
        { "{\"itsm_policy\":1,\n \"handover\":{\"shift\":[\"object\",\"bogus\"]}}", 2, 32, "unknown handover checklist item" },
        { "{\"itsm_policy\":1,\n \"handover\":{\"lunch\":[]}}", 2, 22, "unknown packet kind" },
        { "{\"itsm_policy\":1,\n \"problem_rules\":{\"recurrence_count\":1}}", 2, 38, "recurrence_count" },
        { "{\"itsm_policy\":1,\n \"problem_rules\":{\"recurrence_window\":0}}", 2, 39, "recurrence_window" },
        { "{\"itsm_policy\":1,\n \"problem_rules\":{\"n\":3}}", 2, 23, "unknown member 'n'" },
        { "{\"itsm_policy\":1,\n \"handover\":{\"shift\":[\"object\",\"object\"]}}", 2, 32, "listed twice" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        itsm_policy *p = NULL;
        itsm_parse_error err;
        int rc = itsm_policy_from_json(&p, cases[i].doc, strlen(cases[i].doc), NULL, NULL, &err);
        if (rc != ITSM_EPARSE || err.line != cases[i].line || err.column != cases[i].col ||
            !strstr(err.text, cases[i].text))
            fail_msg("case %zu: got %s %zu:%zu '%s'", i, itsm_errname(rc), err.line, err.column, err.text);
        assert_null(p);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(kt_cause_unknown_and_root_cause_needed_goes_to_problem),
        cmocka_unit_test(kt_cause_unknown_but_root_cause_not_needed_closes),
        cmocka_unit_test(kt_cause_known_and_root_cause_needed_does_not_open_a_problem),
        cmocka_unit_test(kt_cause_known_and_root_cause_not_needed_closes),
        cmocka_unit_test(cause_known_and_fix_needs_change_goes_straight_to_change),
        cmocka_unit_test(unknown_cause_needs_an_answer_and_open_incidents_have_no_verdict),
        cmocka_unit_test(kt_a_blank_cause_is_still_unknown),
        cmocka_unit_test(kt_an_incident_linked_to_a_known_error_has_a_known_cause),
        cmocka_unit_test(kt_a_cause_under_analysis_or_closed_without_a_fix_is_not_known),
        cmocka_unit_test(kt_a_known_error_closed_with_its_risk_accepted_keeps_its_cause_known),
        cmocka_unit_test(a_reopened_incident_has_no_verdict_until_it_resolves_again),
        cmocka_unit_test(major_incident_always_gets_a_problem_review),
        cmocka_unit_test(recurrence_proposes_a_problem_at_n_not_at_n_minus_1),
        cmocka_unit_test(recurrence_window_edge_is_inclusive),
        cmocka_unit_test(recurrence_index_follows_category_changes_and_replay),
        cmocka_unit_test(recurrence_rule_reads_the_policy),
        cmocka_unit_test(a_reason_cut_to_fit_stays_whole_utf8),
        cmocka_unit_test(an_incident_of_a_proposed_cluster_goes_to_problem_management),
        cmocka_unit_test(recurrence_asks_no_new_problem_for_an_incident_linked_to_its_known_error),
        cmocka_unit_test(policy_document_round_trips_problem_rules_and_checklists),
        cmocka_unit_test(policy_document_errors_point_at_the_value),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
