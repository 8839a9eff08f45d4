/* SPDX-License-Identifier: Apache-2.0 */
/* Who votes at a level that names people and a group: each person once,
 * whether named, a member, or both; "all" waits for every one of them;
 * a member of the group votes as a named person does, and someone in
 * neither is no approver. */
#include "change_policy.h"

#include <string.h>

static itsm_approval_level level0(const itsm_record *r)
{
    itsm_approval_level l = { .size = sizeof l };
    assert_ok(itsm_record_approval_level(&l, r, 0));
    return l;
}

static void each_person_votes_once_whether_named_or_a_member(void **state)
{
    (void)state;
    itsm_policy *p = change_policy();   /* group cab: ann bob cat dan */
    assert_ok(itsm_policy_clear_approval_rules(p));
    static const char *const named[] = { "ann", "carl" };   /* ann is in the cab as well */
    itsm_approval_level_def l = ITSM_APPROVAL_LEVEL_DEF_INIT;
    l.name = "board";
    l.people = named;
    l.npeople = 2;
    l.group = "cab";
    l.mode = ITSM_APPROVAL_ALL;
    itsm_approval_rule_def r = ITSM_APPROVAL_RULE_DEF_INIT;
    r.name = "change";
    r.state = "assessed";
    r.levels = &l;
    r.nlevels = 1;
    assert_ok(itsm_policy_add_approval_rule(p, &r));
    fixture f;
    change_fixture_open(&f, p, NULL, NULL);
    itsm_policy_free(p);
    itsm_record *c = change_open(&f, "CHG1", "normal", "mail", NULL);
    assert_ok(itsm_record_fire(c, "assess", NULL, 0));
    change_assess(c, "low");
    itsm_approval_level lv = level0(c);
    assert_int_equal(lv.voters, 5);   /* ann, carl, bob, cat, dan */
    assert_int_equal(lv.needed, 5);
    assert_fails(f.eng, itsm_record_approve(c, NULL, "zed", NULL), ITSM_EINVAL,
                 "zed is not an approver at level 'board' of approval rule 'change'");
    static const char *const who[] = { "ann", "carl", "bob", "cat" };
    for (size_t i = 0; i < 4; i++)
        assert_ok(itsm_record_approve(c, NULL, who[i], NULL));
    assert_fails(f.eng, itsm_record_approve(c, NULL, "ann", NULL), ITSM_ESTATE, "ann already approved");
    lv = level0(c);
    assert_int_equal(lv.approvals, 4);
    assert_int_equal(lv.status, ITSM_LEVEL_PENDING);
    itsm_change impl = { ITSM_F_ASSIGNEE, "ivan", 0 };
    assert_fails(f.eng, itsm_record_fire(c, "authorize", &impl, 1), ITSM_EGUARD, "4 of 5 approvals");
    assert_ok(itsm_record_approve(c, NULL, "dan", NULL));
    assert_int_equal(level0(c).status, ITSM_LEVEL_APPROVED);
    assert_ok(itsm_record_fire(c, "authorize", &impl, 1));
    fixture_close(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(each_person_votes_once_whether_named_or_a_member),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
