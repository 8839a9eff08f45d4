/* SPDX-License-Identifier: Apache-2.0 */
/* Risk assessment (itsm/change.h): the questionnaire in the policy, answers
 * as events, the level they give, the guard "risk:assessed". */
#include "change_policy.h"

#include <stdlib.h>
#include <string.h>

#define N_(a) (sizeof(a) / sizeof((a)[0]))

static itsm_risk_info risk_of(const itsm_record *r)
{
    itsm_risk_info ri = { .size = sizeof ri };
    assert_ok(itsm_record_risk(&ri, r));
    return ri;
}

static void answers_give_the_level_once_every_question_is_answered(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    assert_ok(itsm_engine_set_actor(f.eng, "pia"));
    itsm_record *r = change_open(&f, "CHG1", "normal", "mail", NULL);
    itsm_risk_info ri = risk_of(r);
    assert_null(ri.level);
    assert_int_equal(ri.questions, 5);
    assert_int_equal(ri.answered, 0);
    f.clock.now += 60;
    assert_ok(itsm_record_answer_risk(r, "users", "organisation"));
    assert_ok(itsm_record_answer_risk(r, "backout", "none"));
    ri = risk_of(r);
    assert_null(ri.level);   /* not assessed until every question is answered */
    assert_int_equal(ri.score, 8);
    assert_int_equal(ri.answered, 2);
    assert_ok(itsm_record_answer_risk(r, "experience", "often"));
    assert_ok(itsm_record_answer_risk(r, "outage", "none"));
    assert_ok(itsm_record_answer_risk(r, "reach", "one"));
    ri = risk_of(r);
    assert_string_equal(ri.level, "high");
    assert_int_equal(ri.score, 8);
    /* A second answer replaces the first: the plan was tested after all. */
    assert_ok(itsm_record_answer_risk(r, "backout", "tested"));
    ri = risk_of(r);
    assert_string_equal(ri.level, "medium");
    assert_int_equal(ri.score, 4);
    assert_int_equal(itsm_record_risk_answer_count(r), 5);
    itsm_risk_answer a = { .size = sizeof a };
    assert_ok(itsm_record_risk_answer_at(&a, r, 1));
    assert_string_equal(a.question, "backout");
    assert_string_equal(a.answer, "tested");
    assert_int_equal(a.score, 0);
    assert_string_equal(a.by, "pia");
    assert_int_equal(a.at, T0 + 60);
    assert_fails(f.eng, itsm_record_risk_answer_at(&a, r, 5), ITSM_EINVAL, "risk answer 5 is out of range (CHG1 has 5)");
    /* Each answer is an event carrying the total and the level it gave. */
    assert_non_null(strstr(f.store.events[f.store.n - 1], "\"risk\":{\"question\":\"backout\",\"answer\":\"tested\","
                                                             "\"score\":0,\"total\":4,\"level\":\"medium\"}"));
    assert_non_null(strstr(f.store.events[1], "\"total\":4,\"level\":null}"));
    assert_replays_the_same(f.eng, &f.store);
    fixture_close(&f);
}

static void unknown_questions_and_answers_are_refused_naming_the_choices(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *r = change_open(&f, "CHG1", "normal", "mail", NULL);
    size_t stored = f.store.n;
    assert_fails(f.eng, itsm_record_answer_risk(r, "cost", "low"), ITSM_ENOTFOUND,
                 "the risk questionnaire has no question 'cost'");
    assert_fails(f.eng, itsm_record_answer_risk(r, "backout", "maybe"), ITSM_ENOTFOUND,
                 "risk question 'backout' has no answer 'maybe' (answers: tested, untested, none)");
    assert_fails(f.eng, itsm_record_answer_risk(r, "backout", NULL), ITSM_EINVAL,
                 "a risk answer needs the question and the answer");
    assert_int_equal(itsm_record_answer_risk(NULL, "backout", "none"), ITSM_EINVAL);
    itsm_record *inc;
    itsm_record_opts o = ITSM_RECORD_OPTS_INIT;
    assert_ok(itsm_record_open(&inc, f.eng, &o));
    stored = f.store.n;
    assert_fails(f.eng, itsm_record_answer_risk(inc, "backout", "none"), ITSM_ESTATE,
                 "the policy assesses no incident records for risk");
    itsm_change n = { ITSM_F_RESOLUTION_NOTES, "Withdrawn", 0 };
    assert_ok(itsm_record_fire(r, "assess", NULL, 0));
    assert_ok(itsm_record_fire(r, "reject", &n, 1));
    stored = f.store.n;
    assert_fails(f.eng, itsm_record_answer_risk(r, "backout", "none"), ITSM_ESTATE, "cannot assess CHG1: it is rejected");
    assert_int_equal(f.store.n, stored);
    itsm_risk_info ri = { .size = sizeof ri };
    assert_ok(itsm_record_risk(&ri, inc));
    assert_int_equal(ri.questions, 0);   /* incidents are not assessed */
    ri.size = 3;
    assert_fails(f.eng, itsm_record_risk(&ri, r), ITSM_EINVAL, "itsm_risk_info.size is 3");
    fixture_close(&f);
}

static void the_guard_names_every_unanswered_question(void **state)
{
    (void)state;
    fixture f;
    change_fixture_open(&f, NULL, NULL, NULL);
    itsm_record *r = change_open(&f, "CHG1", "normal", "mail", NULL);
    assert_ok(itsm_record_fire(r, "assess", NULL, 0));
    assert_ok(itsm_record_answer_risk(r, "users", "few"));
    assert_ok(itsm_record_answer_risk(r, "reach", "one"));
    assert_ok(itsm_record_approve(r, NULL, "carl", NULL));
    itsm_change c = { ITSM_F_ASSIGNEE, "ivan", 0 };
    assert_fails(f.eng, itsm_record_fire(r, "authorize", &c, 1), ITSM_EGUARD,
                 "transition 'authorize' from 'assessed' needs the risk assessment: 3 of 5 questions unanswered "
                 "('backout', 'experience', 'outage')");
    fixture_close(&f);
}

static void the_questionnaire_is_policy(void **state)
{
    (void)state;
    itsm_policy *p;
    assert_ok(itsm_policy_new_default(&p, NULL));
    assert_int_equal(itsm_policy_risk_question_count(p), 5);
    static const char *const yn[] = { "yes", "no" }, *const one[] = { "yes" }, *const dup[] = { "yes", "yes" };
    static const char *const bad_name[] = { "Yes", "no" };
    static const int s01[] = { 0, 1 }, s_neg[] = { -1, 1 }, s_big[] = { 0, 1001 };
    static const struct { const char *name; const char *const *answers; const int *scores; size_t n; int rc;
                          const char *needle; } bad[] = {
        { "Q", yn, s01, 2, ITSM_EINVAL, "a risk question name must be 1..63 characters" },
        { "q", one, s01, 1, ITSM_EINVAL, "risk question 'q' needs 2..16 answers, each with a score" },
        { "q", dup, s01, 2, ITSM_EINVAL, "risk question 'q': answer 'yes' is given twice" },
        { "q", bad_name, s01, 2, ITSM_EINVAL, "risk question 'q': an answer must be 1..63 characters" },
        { "q", yn, s_neg, 2, ITSM_EINVAL, "risk question 'q': answer 'yes' scores -1, outside 0..1000" },
        { "q", yn, s_big, 2, ITSM_EINVAL, "answer 'no' scores 1001" },
        { "q", yn, s01, 17, ITSM_ELIMIT, "risk question 'q' has 17 answers; the limit is 16" },
    };
    for (size_t i = 0; i < N_(bad); i++) {
        itsm_risk_question_def d = { ITSM_RISK_QUESTION_DEF_VERSION, bad[i].name, NULL, bad[i].answers, bad[i].scores,
                                     bad[i].n };
        int rc = itsm_policy_set_risk_question(p, &d);
        if (rc != bad[i].rc || !strstr(itsm_policy_errmsg(p), bad[i].needle))
            fail_msg("case %zu: got %s \"%s\"", i, itsm_errname(rc), itsm_policy_errmsg(p));
    }
    itsm_risk_question_def d = { ITSM_RISK_QUESTION_DEF_VERSION, "q", "Is it \xff?", yn, s01, 2 };
    assert_int_equal(itsm_policy_set_risk_question(p, &d), ITSM_EINVAL);
    assert_non_null(strstr(itsm_policy_errmsg(p), "risk question 'q': risk question text is not valid UTF-8"));
    assert_int_equal(itsm_policy_risk_question_count(p), 5);
    d.text = "Does it need a reboot?";
    assert_ok(itsm_policy_set_risk_question(p, &d));
    assert_int_equal(itsm_policy_risk_question_count(p), 6);
    static const char *const lv[] = { "small", "big" }, *const lvnone[] = { "none" }, *const lvdup[] = { "a", "a" };
    static const int up[] = { 2, 0 }, down[] = { 5, 3, 0 };
    static const char *const three[] = { "a", "b", "c" };
    assert_int_equal(itsm_policy_set_risk_levels(p, lvnone, up, 1), ITSM_EINVAL);
    assert_non_null(strstr(itsm_policy_errmsg(p), "and not \"none\""));
    assert_int_equal(itsm_policy_set_risk_levels(p, lvdup, up, 2), ITSM_EINVAL);
    assert_int_equal(itsm_policy_set_risk_levels(p, three, down, 3), ITSM_EINVAL);
    assert_non_null(strstr(itsm_policy_errmsg(p), "ascending"));
    assert_int_equal(itsm_policy_set_risk_levels(p, lv, up, 0), ITSM_EINVAL);
    assert_ok(itsm_policy_set_risk_levels(p, lv, up, 2));
    /* The default approval rule for high-risk changes names 'high', which
     * these levels lack: the check would report it. */
    assert_int_equal(itsm_policy_check(p), 1);
    assert_ok(itsm_policy_clear_approval_rules(p));
    assert_int_equal(itsm_policy_set_risk_kinds(p, 1u), ITSM_EINVAL);
    assert_int_equal(itsm_policy_set_risk_kinds(p, 0), ITSM_EINVAL);
    assert_ok(itsm_policy_set_risk_kinds(p, (1u << ITSM_KIND_CHANGE) | (1u << ITSM_KIND_SERVICE_REQUEST)));

    size_t len;
    assert_int_equal(itsm_policy_to_json(p, NULL, 0, &len), ITSM_ELIMIT);
    char *a = malloc(len + 1);
    assert_ok(itsm_policy_to_json(p, a, len + 1, &len));
    assert_non_null(strstr(a, "\"risk_assessment\":{\"kinds\":[\"service_request\",\"change\"],\"questions\":[{\"name\":"
                              "\"users\",\"text\":\"How many users does the change disturb if it goes wrong?\","
                              "\"answers\":{\"few\":0,\"department\":2,\"organisation\":4}}"));
    assert_non_null(strstr(a, "\"levels\":[{\"name\":\"small\",\"up_to\":2},{\"name\":\"big\",\"up_to\":null}]}"));
    itsm_policy *q;
    assert_ok(itsm_policy_from_json(&q, a, len, NULL, NULL, NULL));
    size_t len2;
    char *b = malloc(len + 1);
    assert_ok(itsm_policy_to_json(q, b, len + 1, &len2));
    assert_string_equal(a, b);
    free(a);
    free(b);
    itsm_policy_free(q);
    assert_ok(itsm_policy_clear_risk_questions(p));
    assert_int_equal(itsm_policy_risk_question_count(p), 0);
    itsm_policy_free(p);

    static const struct { const char *doc; const char *needle; } docs[] = {
        { "{\"itsm_policy\":1,\"risk_assessment\":{\"kinds\":[]}}", "'kinds' must be a non-empty array" },
        { "{\"itsm_policy\":1,\"risk_assessment\":{\"kinds\":[\"change\",\"change\"]}}", "each once" },
        { "{\"itsm_policy\":1,\"risk_assessment\":{\"questions\":[{\"name\":\"q\",\"answers\":{\"a\":1,\"b\":2000}}]}}",
          "a score must be a whole number 0..1000" },
        { "{\"itsm_policy\":1,\"risk_assessment\":{\"questions\":[{\"name\":\"q\",\"answers\":{\"a\":1}}]}}",
          "risk question 'q' needs 2..16 answers" },
        { "{\"itsm_policy\":1,\"risk_assessment\":{\"questions\":[{\"name\":\"q\",\"answers\":{\"a\":1,\"b\":2}},"
          "{\"name\":\"q\",\"answers\":{\"a\":1,\"b\":2}}]}}", "risk question 'q' is given twice" },
        { "{\"itsm_policy\":1,\"risk_assessment\":{\"levels\":[{\"name\":\"a\",\"up_to\":3}]}}",
          "the last risk level holds every higher total: its 'up_to' is null" },
        { "{\"itsm_policy\":1,\"risk_assessment\":{\"levels\":[{\"name\":\"a\"},{\"name\":\"b\"}]}}",
          "'up_to' must be the level's highest total" },
        { "{\"itsm_policy\":1,\"risk_assessment\":{\"level\":[]}}", "unknown member 'level' in risk_assessment" },
    };
    for (size_t i = 0; i < N_(docs); i++) {
        itsm_parse_error err;
        int rc = itsm_policy_from_json(&q, docs[i].doc, strlen(docs[i].doc), NULL, NULL, &err);
        if (rc != ITSM_EPARSE || !strstr(err.text, docs[i].needle) || !err.column)
            fail_msg("%s: got %s \"%s\"", docs[i].doc, itsm_errname(rc), err.text);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(answers_give_the_level_once_every_question_is_answered),
        cmocka_unit_test(unknown_questions_and_answers_are_refused_naming_the_choices),
        cmocka_unit_test(the_guard_names_every_unanswered_question),
        cmocka_unit_test(the_questionnaire_is_policy),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
