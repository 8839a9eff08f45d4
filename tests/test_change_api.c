/* SPDX-License-Identifier: Apache-2.0 */
/* Every call of itsm/approval.h and itsm/change.h given NULL or a bad size:
 * an error code or the documented neutral answer, never a crash, and
 * nothing changed. */
#include "change_policy.h"

#include <stdlib.h>
#include <string.h>

static void every_change_call_refuses_null_and_bad_sizes(void **state)
{
    (void)state;
    fixture f;
    change_fixture_open(&f, NULL, NULL, NULL);
    itsm_record *r = change_open(&f, "CHG1", "normal", "mail", "relay01");
    char *before = engine_dump(f.eng);
    size_t stored = f.store.n;

    /* policy builders */
    assert_int_equal(itsm_policy_add_approval_rule(NULL, NULL), ITSM_EINVAL);
    assert_int_equal(itsm_policy_clear_approval_rules(NULL), ITSM_EINVAL);
    assert_int_equal(itsm_policy_set_approver_group(NULL, "g", NULL, 0), ITSM_EINVAL);
    assert_int_equal(itsm_policy_approval_rule_count(NULL), 0);
    assert_int_equal(itsm_policy_set_risk_question(NULL, NULL), ITSM_EINVAL);
    assert_int_equal(itsm_policy_clear_risk_questions(NULL), ITSM_EINVAL);
    assert_int_equal(itsm_policy_set_risk_levels(NULL, NULL, NULL, 0), ITSM_EINVAL);
    assert_int_equal(itsm_policy_set_risk_kinds(NULL, 2), ITSM_EINVAL);
    assert_int_equal(itsm_policy_risk_question_count(NULL), 0);
    assert_int_equal(itsm_policy_set_maintenance_window(NULL, "s", "c"), ITSM_EINVAL);
    assert_int_equal(itsm_policy_set_blackout(NULL, NULL), ITSM_EINVAL);
    assert_int_equal(itsm_policy_remove_blackout(NULL, "b"), ITSM_EINVAL);
    assert_int_equal(itsm_policy_set_schedule_rules(NULL, NULL), ITSM_EINVAL);
    itsm_policy *p;
    assert_ok(itsm_policy_new_default(&p, NULL));
    assert_int_equal(itsm_policy_set_blackout(p, NULL), ITSM_EINVAL);
    assert_int_equal(itsm_policy_set_schedule_rules(p, NULL), ITSM_EINVAL);
    assert_int_equal(itsm_policy_set_risk_question(p, NULL), ITSM_EINVAL);
    assert_int_equal(itsm_policy_remove_blackout(p, NULL), ITSM_EINVAL);
    assert_int_equal(itsm_policy_set_maintenance_window(p, NULL, "c"), ITSM_EINVAL);
    itsm_policy_free(p);

    /* init functions */
    itsm_approval_level_def ld;
    itsm_approval_rule_def rd;
    itsm_risk_question_def qd;
    itsm_blackout_def bd;
    itsm_schedule_rules sr;
    itsm_schedule_query sq;
    assert_int_equal(itsm_approval_level_def_init(NULL, 1), ITSM_EINVAL);
    assert_int_equal(itsm_approval_level_def_init(&ld, 2), ITSM_EINVAL);
    assert_ok(itsm_approval_level_def_init(&ld, ITSM_APPROVAL_LEVEL_DEF_VERSION));
    assert_int_equal(itsm_approval_rule_def_init(&rd, 0), ITSM_EINVAL);
    assert_ok(itsm_approval_rule_def_init(&rd, ITSM_APPROVAL_RULE_DEF_VERSION));
    assert_int_equal(rd.separation, ITSM_APPROVAL_SOD_REQUESTER | ITSM_APPROVAL_SOD_IMPLEMENTER);
    assert_ok(itsm_risk_question_def_init(&qd, ITSM_RISK_QUESTION_DEF_VERSION));
    assert_int_equal(itsm_risk_question_def_init(NULL, 1), ITSM_EINVAL);
    assert_ok(itsm_blackout_def_init(&bd, ITSM_BLACKOUT_DEF_VERSION));
    assert_int_equal(bd.from, ITSM_TIME_NONE);
    assert_int_equal(itsm_blackout_def_init(&bd, 9), ITSM_EINVAL);
    assert_ok(itsm_schedule_rules_init(&sr, ITSM_SCHEDULE_RULES_VERSION));
    assert_int_equal(itsm_schedule_rules_init(NULL, 1), ITSM_EINVAL);
    assert_ok(itsm_schedule_query_init(&sq, ITSM_SCHEDULE_QUERY_VERSION));
    assert_int_equal(sq.to, ITSM_TIME_MAX);
    assert_int_equal(itsm_schedule_query_init(&sq, 2), ITSM_EINVAL);

    /* names */
    assert_null(itsm_approval_mode_name((itsm_approval_mode)0));
    assert_string_equal(itsm_approval_mode_name(ITSM_APPROVAL_QUORUM), "quorum");
    assert_null(itsm_approval_status_name((itsm_approval_status)9));
    assert_null(itsm_approval_verdict_name((itsm_approval_verdict)0));

    /* record calls */
    assert_int_equal(itsm_record_approve(NULL, NULL, "a", NULL), ITSM_EINVAL);
    assert_int_equal(itsm_record_reject_approval(NULL, NULL, "a", NULL), ITSM_EINVAL);
    assert_int_equal(itsm_record_delegate_approval(NULL, NULL, "a", "b", NULL), ITSM_EINVAL);
    assert_int_equal(itsm_record_delegate_approval(r, NULL, "a", NULL, NULL), ITSM_EINVAL);
    assert_int_equal(itsm_record_approval(NULL, r), ITSM_EINVAL);
    assert_int_equal(itsm_record_approval(NULL, NULL), ITSM_EINVAL);
    itsm_approval_info ai = { .size = 1 };
    assert_fails(f.eng, itsm_record_approval(&ai, r), ITSM_EINVAL, "itsm_approval_info.size is 1");
    ai.size = sizeof ai + 8;
    assert_fails(f.eng, itsm_record_approval(&ai, r), ITSM_EINVAL, "larger than this library's");
    itsm_approval_level al = { .size = sizeof al };
    assert_int_equal(itsm_record_approval_level(&al, NULL, 0), ITSM_EINVAL);
    assert_int_equal(itsm_record_approval_level(NULL, r, 0), ITSM_EINVAL);
    assert_fails(f.eng, itsm_record_approval_level(&al, r, 1), ITSM_EINVAL,
                 "approval level 1 is out of range (rule 'change' has 1)");
    assert_int_equal(itsm_record_approval_count(NULL), 0);
    itsm_approval_decision ad = { .size = sizeof ad };
    assert_int_equal(itsm_record_approval_at(&ad, NULL, 0), ITSM_EINVAL);
    assert_fails(f.eng, itsm_record_approval_at(&ad, r, 0), ITSM_EINVAL, "approval decision 0 is out of range");
    assert_int_equal(itsm_record_risk(NULL, r), ITSM_EINVAL);
    assert_int_equal(itsm_record_risk_answer_count(NULL), 0);
    itsm_risk_answer ra = { .size = sizeof ra };
    assert_int_equal(itsm_record_risk_answer_at(&ra, NULL, 0), ITSM_EINVAL);
    assert_int_equal(itsm_record_risk_answer_at(NULL, r, 0), ITSM_EINVAL);
    itsm_time s, e;
    assert_int_equal(itsm_change_planned(&s, NULL, r), ITSM_EINVAL);
    assert_int_equal(itsm_change_planned(&s, &e, NULL), ITSM_EINVAL);
    assert_int_equal(itsm_change_on_schedule(NULL), 0);
    assert_int_equal(itsm_change_findings(NULL), 0);
    size_t n = 7;
    itsm_collision c[2] = { { .size = sizeof c[0] } };
    assert_int_equal(itsm_change_collisions(c, 2, &n, NULL), ITSM_EINVAL);
    assert_int_equal(itsm_change_collisions(NULL, 2, &n, r), ITSM_EINVAL);
    assert_int_equal(itsm_change_collisions(c, 2, NULL, r), ITSM_EINVAL);
    assert_ok(itsm_change_collisions(NULL, 0, &n, r));
    assert_int_equal(n, 0);
    c[0].size = 2;
    assert_fails(f.eng, itsm_change_collisions(c, 2, &n, r), ITSM_EINVAL, "itsm_collision.size is 2");
    itsm_schedule_entry se[2] = { { .size = sizeof se[0] } };
    itsm_schedule_query q = ITSM_SCHEDULE_QUERY_INIT;
    assert_int_equal(itsm_change_schedule(se, 2, &n, NULL, &q), ITSM_EINVAL);
    assert_int_equal(itsm_change_schedule(se, 2, &n, f.eng, NULL), ITSM_EINVAL);
    assert_int_equal(itsm_change_schedule(NULL, 2, &n, f.eng, &q), ITSM_EINVAL);
    assert_ok(itsm_change_schedule(NULL, 0, &n, f.eng, &q));

    char *after = engine_dump(f.eng);
    assert_string_equal(before, after);
    assert_int_equal(f.store.n, stored);
    free(before);
    free(after);
    fixture_close(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_change_call_refuses_null_and_bad_sizes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
