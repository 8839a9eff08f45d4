/* SPDX-License-Identifier: Apache-2.0 */
/* Separation of duties is the rule's to choose: a rule separating only the
 * requester lets the implementer approve, one separating only the
 * implementer lets the requester approve, one separating neither lets
 * either; the policy document says the same with "separation". */
#include "change_policy.h"

#include <stdlib.h>
#include <string.h>

/* The default policy with one rule for changes: a level "manager" open to
 * anyone, separating `separation`. */
static itsm_policy *rule_policy(unsigned separation)
{
    itsm_policy *p;
    assert_ok(itsm_policy_new_default(&p, NULL));
    assert_ok(itsm_policy_clear_approval_rules(p));
    itsm_approval_level_def l = ITSM_APPROVAL_LEVEL_DEF_INIT;
    l.name = "manager";
    itsm_approval_rule_def r = ITSM_APPROVAL_RULE_DEF_INIT;
    r.name = "change";
    r.state = "assessed";
    r.levels = &l;
    r.nlevels = 1;
    r.separation = separation;
    assert_ok(itsm_policy_add_approval_rule(p, &r));
    return p;
}

/* CHG1 raised by pia (the requester), assessed, to be implemented by ivan. */
static itsm_record *raised(fixture *f, const itsm_policy *p)
{
    fixture_open_with(f, p, NULL);
    assert_ok(itsm_engine_set_actor(f->eng, "pia"));
    itsm_record *r = change_open(f, "CHG1", "normal", "mail", NULL);
    itsm_change a = { ITSM_F_ASSIGNEE, "ivan", 0 };
    assert_ok(itsm_record_update(r, &a, 1));
    assert_ok(itsm_record_fire(r, "assess", NULL, 0));
    change_assess(r, "low");
    return r;
}

static void separating_the_requester_only_lets_the_implementer_approve(void **state)
{
    (void)state;
    itsm_policy *p = rule_policy(ITSM_APPROVAL_SOD_REQUESTER);
    fixture f;
    itsm_record *r = raised(&f, p);
    assert_fails(f.eng, itsm_record_approve(r, NULL, "pia", NULL), ITSM_EINVAL,
                 "pia is the requester (separation of duties)");
    assert_ok(itsm_record_approve(r, NULL, "ivan", NULL));
    assert_ok(itsm_record_fire(r, "authorize", NULL, 0));
    fixture_close(&f);
    itsm_policy_free(p);
}

static void separating_the_implementer_only_lets_the_requester_approve(void **state)
{
    (void)state;
    itsm_policy *p = rule_policy(ITSM_APPROVAL_SOD_IMPLEMENTER);
    fixture f;
    itsm_record *r = raised(&f, p);
    assert_fails(f.eng, itsm_record_approve(r, NULL, "ivan", NULL), ITSM_EINVAL,
                 "ivan is the implementer (separation of duties)");
    assert_ok(itsm_record_approve(r, NULL, "pia", NULL));
    assert_ok(itsm_record_fire(r, "authorize", NULL, 0));
    fixture_close(&f);
    itsm_policy_free(p);
}

static void a_rule_separating_neither_lets_the_requester_approve(void **state)
{
    (void)state;
    itsm_policy *p = rule_policy(0);
    fixture f;
    itsm_record *r = raised(&f, p);
    assert_ok(itsm_record_approve(r, NULL, "pia", "my own change, by policy"));
    assert_ok(itsm_record_fire(r, "authorize", NULL, 0));
    fixture_close(&f);
    itsm_policy_free(p);
}

static void the_document_names_what_a_rule_separates(void **state)
{
    (void)state;
    itsm_policy *p = rule_policy(ITSM_APPROVAL_SOD_IMPLEMENTER);
    size_t len = 0;
    assert_int_equal(itsm_policy_to_json(p, NULL, 0, &len), ITSM_ELIMIT);
    char *doc = malloc(len + 1);
    assert_ok(itsm_policy_to_json(p, doc, len + 1, &len));
    assert_non_null(strstr(doc, "\"separation\":[\"implementer\"]"));
    itsm_policy_free(p);
    /* Read back, the rule separates the implementer only. */
    itsm_parse_error err;
    assert_ok(itsm_policy_from_json(&p, doc, len, NULL, NULL, &err));
    free(doc);
    fixture f;
    itsm_record *r = raised(&f, p);
    assert_fails(f.eng, itsm_record_approve(r, NULL, "ivan", NULL), ITSM_EINVAL, "ivan is the implementer");
    assert_ok(itsm_record_approve(r, NULL, "pia", NULL));
    fixture_close(&f);
    itsm_policy_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(separating_the_requester_only_lets_the_implementer_approve),
        cmocka_unit_test(separating_the_implementer_only_lets_the_requester_approve),
        cmocka_unit_test(a_rule_separating_neither_lets_the_requester_approve),
        cmocka_unit_test(the_document_names_what_a_rule_separates),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
