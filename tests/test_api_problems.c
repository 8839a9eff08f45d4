/* SPDX-License-Identifier: Apache-2.0 */
/* Robustness of the public API (include/itsm/ headers): problems, knowledge,
 * communication and closure. NULL for each pointer argument, out-of-range
 * enums and integers, and for strings an over-long one, invalid UTF-8 and
 * "": a negative code the header documents, a fresh engine message naming
 * the argument, every record (and the policy or packet given) exactly as it
 * was (support/api_check.h). */
#define _GNU_SOURCE 1   /* strcasestr */
#include "api_check.h"

/* ---- problems ---- */
static void test_problem(void **state)
{
    (void)state;
    world_open();
    itsm_engine *eng = W.f.eng;
    itsm_policy *pol = W.pol;
    itsm_record *inc = W.inc, *prb = W.prb;

    itsm_problem_rules pr = ITSM_PROBLEM_RULES_INIT;
    BAD_N(itsm_policy_problem_rules(NULL, pol), ITSM_EINVAL);
    BAD_N(itsm_policy_problem_rules(&pr, NULL), ITSM_EINVAL);
    BAD_N(itsm_policy_set_problem_rules(NULL, &pr), ITSM_EINVAL);
    BAD_P(pol, "rules", itsm_policy_set_problem_rules(pol, NULL), ITSM_EINVAL);
    {
        struct { int what; const char *needle; } bad[] = {
            { 0, "version" }, { 1, "recurrence_count" }, { 2, "recurrence_count" }, { 3, "recurrence_count" },
            { 4, "recurrence_window" }, { 5, "recurrence_window" }, { 6, "major_review" },
            { 7, "recurrence_ci" }, { 8, "recurrence_push" },
        };
        for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
            itsm_problem_rules r = ITSM_PROBLEM_RULES_INIT;
            switch (bad[i].what) {
            case 0: r.version = ITSM_PROBLEM_RULES_VERSION + 1; break;
            case 1: r.recurrence_count = 1; break;
            case 2: r.recurrence_count = ITSM_PROBLEM_PROPOSAL_MAX + 1; break;
            case 3: r.recurrence_count = -1; break;
            case 4: r.recurrence_window = 0; break;
            case 5: r.recurrence_window = ITSM_PROBLEM_MAX_WINDOW + 1; break;
            case 6: r.major_review = 2; break;
            case 7: r.recurrence_ci = 2; break;
            case 8: r.recurrence_push = -1; break;
            }
            BAD_P(pol, bad[i].needle, itsm_policy_set_problem_rules(pol, &r), ITSM_EINVAL);
        }
    }

    itsm_decision d = { .size = sizeof d };
    itsm_decision_opts dopt = ITSM_DECISION_OPTS_INIT;
    BAD_E(eng, "out", itsm_problem_decide(NULL, inc, &dopt), ITSM_EINVAL);
    BAD_N(itsm_problem_decide(&d, NULL, &dopt), ITSM_EINVAL);
    BAD_E(eng, "incident", itsm_problem_decide(&d, prb, NULL), ITSM_EINVAL);
    BAD_E(eng, "INC-1", itsm_problem_decide(&d, inc, NULL), ITSM_ESTATE);
    dopt.version = 2;
    BAD_E(eng, "version", itsm_problem_decide(&d, inc, &dopt), ITSM_EINVAL);
    dopt.version = ITSM_DECISION_OPTS_VERSION;
    dopt.cause_known = 5;
    BAD_E(eng, "cause_known", itsm_problem_decide(&d, inc, &dopt), ITSM_EINVAL);
    dopt.cause_known = ITSM_ANSWER_FROM_RECORD;
    dopt.fix_needs_change = -2;
    BAD_E(eng, "fix_needs_change", itsm_problem_decide(&d, inc, &dopt), ITSM_EINVAL);

    size_t cnt = 0;
    BAD_N(itsm_problem_recurrence(&cnt, NULL, "mail", "network", T0), ITSM_EINVAL);
    BAD_E(eng, "count", itsm_problem_recurrence(NULL, eng, "mail", "network", T0), ITSM_EINVAL);
    BAD_E(eng, "service", itsm_problem_recurrence(&cnt, eng, NULL, "network", T0), ITSM_EINVAL);
    BAD_E(eng, "category", itsm_problem_recurrence(&cnt, eng, "mail", NULL, T0), ITSM_EINVAL);
    BAD_E(eng, "1970", itsm_problem_recurrence(&cnt, eng, "mail", "network", -1), ITSM_EINVAL);

    itsm_record *out = NULL;
    itsm_problem_open_opts po = ITSM_PROBLEM_OPEN_OPTS_INIT;
    BAD_E(eng, "out", itsm_problem_open_from_incident(NULL, inc, &po), ITSM_EINVAL);
    BAD_N(itsm_problem_open_from_incident(&out, NULL, &po), ITSM_EINVAL);
    BAD_E(eng, "incident", itsm_problem_open_from_incident(&out, prb, &po), ITSM_EINVAL);
    po.version = 2;
    BAD_E(eng, "version", itsm_problem_open_from_incident(&out, inc, &po), ITSM_EINVAL);
    po.version = ITSM_PROBLEM_OPEN_OPTS_VERSION;
    po.id = "bad id";
    BAD_E(eng, "id", itsm_problem_open_from_incident(&out, inc, &po), ITSM_EINVAL);
    po.id = "PRB-1";
    BAD_E(eng, "PRB-1", itsm_problem_open_from_incident(&out, inc, &po), ITSM_EEXISTS);
    po.id = NULL;
    itsm_change badc = { ITSM_F_IMPACT, NULL, 9 };
    po.fields = &badc;
    po.nfields = 1;
    BAD_E(eng, "impact", itsm_problem_open_from_incident(&out, inc, &po), ITSM_EINVAL);
    po.fields = NULL;
    BAD_E(eng, "fields", itsm_problem_open_from_incident(&out, inc, &po), ITSM_EINVAL);
    po.nfields = 0;
    BAD_E(eng, "out", itsm_change_open_from_problem(NULL, prb, &po), ITSM_EINVAL);
    BAD_N(itsm_change_open_from_problem(&out, NULL, &po), ITSM_EINVAL);
    BAD_E(eng, "problem", itsm_change_open_from_problem(&out, inc, &po), ITSM_EINVAL);
    BAD_E(eng, "known error", itsm_change_open_from_problem(&out, prb, &po), ITSM_ESTATE);
    po.version = 0;
    BAD_E(eng, NULL, itsm_change_open_from_problem(&out, prb, &po), ITSM_EINVAL, ITSM_ESTATE);

    BAD_N(itsm_problem_close(NULL, "fix_applied", "patched"), ITSM_EINVAL);
    BAD_E(eng, "code", itsm_problem_close(prb, NULL, "patched"), ITSM_EINVAL);
    BAD_E(eng, "code", itsm_problem_close(prb, EMPTY, "patched"), ITSM_EINVAL);
    BAD_E(eng, "code", itsm_problem_close(prb, "bogus", "patched"), ITSM_EINVAL);
    BAD_E(eng, "code", itsm_problem_close(prb, LONG_STR, "patched"), ITSM_EINVAL);
    BAD_E(eng, "code", itsm_problem_close(prb, BADUTF8, "patched"), ITSM_EINVAL);
    BAD_E(eng, "notes", itsm_problem_close(prb, "fix_applied", NULL), ITSM_EINVAL);
    BAD_E(eng, "notes", itsm_problem_close(prb, "fix_applied", EMPTY), ITSM_EINVAL);
    BAD_E(eng, "close_justification", itsm_problem_close(prb, "risk_accepted", LONG_STR), ITSM_ELIMIT);
    BAD_E(eng, "close_justification", itsm_problem_close(prb, "risk_accepted", BADUTF8), ITSM_EINVAL);
    BAD_E(eng, "problem", itsm_problem_close(inc, "fix_applied", "patched"), ITSM_EINVAL);
    BAD_E(eng, NULL, itsm_problem_close(prb, "fix_applied", "patched"), ITSM_ETRANSITION, ITSM_EGUARD);

    world_close();
    assert_int_equal(failures, 0);
}

/* ---- knowledge, communication, closure ---- */
static void test_knowledge_comm(void **state)
{
    (void)state;
    world_open();
    itsm_engine *eng = W.f.eng;
    itsm_policy *pol = W.pol;
    itsm_record *inc = W.inc;

    itsm_match m[4] = { { .size = sizeof(itsm_match) } };
    size_t n = 0;
    itsm_knowledge_query q = ITSM_KNOWLEDGE_QUERY_INIT;
    BAD_N(itsm_knowledge_search(m, 4, &n, NULL, &q), ITSM_EINVAL);
    BAD_E(eng, "n", itsm_knowledge_search(m, 4, NULL, eng, &q), ITSM_EINVAL);
    BAD_E(eng, "query", itsm_knowledge_search(m, 4, &n, eng, NULL), ITSM_EINVAL);
    BAD_E(eng, "out", itsm_knowledge_search(NULL, 4, &n, eng, &q), ITSM_EINVAL);
    q.version = 2;
    BAD_E(eng, "version", itsm_knowledge_search(m, 4, &n, eng, &q), ITSM_EINVAL);
    q.version = ITSM_KNOWLEDGE_QUERY_VERSION;
    q.words = BADUTF8;
    BAD_E(eng, "words", itsm_knowledge_search(m, 4, &n, eng, &q), ITSM_EINVAL);
    q.words = LONG_STR;
    BAD_E(eng, "words", itsm_knowledge_search(m, 4, &n, eng, &q), ITSM_ELIMIT, ITSM_EINVAL);
    q.words = NULL;
    q.service = BADUTF8;
    BAD_E(eng, "service", itsm_knowledge_search(m, 4, &n, eng, &q), ITSM_EINVAL);
    q.service = NULL;
    q.category = LONG_STR;
    BAD_E(eng, "category", itsm_knowledge_search(m, 4, &n, eng, &q), ITSM_EINVAL, ITSM_ELIMIT);
    q.category = NULL;
    BAD_N(itsm_diagnose(m, 4, &n, NULL), ITSM_EINVAL);
    BAD_E(eng, "n", itsm_diagnose(m, 4, NULL, inc), ITSM_EINVAL);
    BAD_E(eng, "out", itsm_diagnose(NULL, 4, &n, inc), ITSM_EINVAL);
    const char *dec = NULL;
    BAD_N(itsm_knowledge_decide(&dec, NULL), ITSM_EINVAL);

    /* policy */
    uint32_t cad[5] = { 1800, 3600, 14400, 28800, 28800 };
    uint32_t cad0[5] = { 1800, 0, 14400, 28800, 28800 };
    BAD_N(itsm_policy_set_cadence(NULL, cad, 2), ITSM_EINVAL);
    BAD_P(pol, "cadence", itsm_policy_set_cadence(pol, NULL, 2), ITSM_EINVAL);
    BAD_P(pol, "cadence", itsm_policy_set_cadence(pol, cad0, 2), ITSM_EINVAL);
    BAD_P(pol, "priority", itsm_policy_set_cadence(pol, cad, -1), ITSM_EINVAL);
    BAD_P(pol, "priority", itsm_policy_set_cadence(pol, cad, 6), ITSM_EINVAL);
    BAD_N(itsm_policy_set_closure(NULL, 100, 100, 1), ITSM_EINVAL);
    BAD_P(pol, "survey", itsm_policy_set_closure(pol, 100, 1001, 1), ITSM_EINVAL);

    /* communication */
    EXPECT(itsm_record_audience(NULL) == ITSM_AUDIENCE_NONE);
    EXPECT(itsm_record_survey_sampled(NULL) == 0);
    EXPECT(itsm_record_knowledge_candidate(NULL) == 0);
    EXPECT(itsm_record_auto_close_due(NULL) == ITSM_TIME_NONE);
    BAD_N(itsm_outage_declare(NULL, T0 + 3600, T0 + 1800), ITSM_EINVAL);
    BAD_E(eng, "service", itsm_outage_declare(W.inc2, T0 + 3600, T0 + 1800), ITSM_EINVAL);
    BAD_E(eng, "restoration", itsm_outage_declare(inc, -5, T0 + 1800), ITSM_EINVAL);
    BAD_E(eng, "next update", itsm_outage_declare(inc, T0 + 3600, ITSM_TIME_MAX + 1), ITSM_EINVAL);
    BAD_E(eng, "next update", itsm_outage_declare(inc, T0 + 3600, ITSM_TIME_NONE), ITSM_EINVAL);
    BAD_E(eng, "next update", itsm_outage_declare(inc, T0 + 3600, T0 - 100), ITSM_EINVAL);
    BAD_N(itsm_outage_end(NULL), ITSM_EINVAL);
    BAD_E(eng, "outage", itsm_outage_end(inc), ITSM_ESTATE, ITSM_ENOTFOUND);

    world_close();
    assert_int_equal(failures, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_problem, reset),
        cmocka_unit_test_setup(test_knowledge_comm, reset),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
