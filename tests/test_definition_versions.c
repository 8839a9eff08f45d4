/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Every versioned definition a policy takes follows the one ABI rule of
 * common.h: a version newer than the library's is ITSM_EINVAL with a
 * message naming both versions and the library's release ("... version 2
 * is newer than this library's 1 (itsm 0.2.0)"), version 0 is not a
 * version, and the policy is left as it was. A host built against a later
 * itsm learns from the message which library it actually runs with.
 */
#include "policy_check.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The call failed with ITSM_EINVAL naming `what` at `got` against
 * `mine`, and the policy's document did not change. */
static void newer_refused(itsm_policy *p, const char *before, int rc, const char *what, unsigned got, unsigned mine)
{
    char want[192];
    snprintf(want, sizeof want, "%s version %u is newer than this library's %u (itsm %s)", what, got, mine,
             ITSM_VERSION_STRING);
    if (rc != ITSM_EINVAL || !strstr(itsm_policy_errmsg(p), want))
        fail_msg("%s: got %s \"%s\", wanted \"%s\"", what, itsm_errname(rc), itsm_policy_errmsg(p), want);
    char *after = policy_doc(p);
    assert_string_equal(before, after);
    free(after);
}

static void zero_refused(itsm_policy *p, int rc, const char *what)
{
    char want[128];
    snprintf(want, sizeof want, "%s version 0 is not a version", what);
    if (rc != ITSM_EINVAL || !strstr(itsm_policy_errmsg(p), want))
        fail_msg("%s: got %s \"%s\", wanted \"%s\"", what, itsm_errname(rc), itsm_policy_errmsg(p), want);
}

static void every_newer_policy_definition_is_refused_naming_both_versions(void **state)
{
    (void)state;
    itsm_policy *p;
    assert_ok(itsm_policy_new_default(&p, NULL));
    char *before = policy_doc(p);

    itsm_field_def fd = ITSM_FIELD_DEF_INIT;
    fd.name = "site";
    fd.version = ITSM_FIELD_DEF_VERSION + 1;
    newer_refused(p, before, itsm_policy_add_field(p, &fd, NULL), "field definition", fd.version,
                  ITSM_FIELD_DEF_VERSION);
    fd.version = 0;
    zero_refused(p, itsm_policy_add_field(p, &fd, NULL), "field definition");

    itsm_risk_question_def rq = ITSM_RISK_QUESTION_DEF_INIT;
    rq.name = "blast_radius";
    rq.version = ITSM_RISK_QUESTION_DEF_VERSION + 1;
    newer_refused(p, before, itsm_policy_set_risk_question(p, &rq), "risk question definition", rq.version,
                  ITSM_RISK_QUESTION_DEF_VERSION);
    rq.version = 0;
    zero_refused(p, itsm_policy_set_risk_question(p, &rq), "risk question definition");

    itsm_blackout_def bd = ITSM_BLACKOUT_DEF_INIT;
    bd.name = "year_end";
    bd.version = ITSM_BLACKOUT_DEF_VERSION + 1;
    newer_refused(p, before, itsm_policy_set_blackout(p, &bd), "blackout definition", bd.version,
                  ITSM_BLACKOUT_DEF_VERSION);
    bd.version = 0;
    zero_refused(p, itsm_policy_set_blackout(p, &bd), "blackout definition");

    itsm_schedule_rules sr = ITSM_SCHEDULE_RULES_INIT;
    sr.version = ITSM_SCHEDULE_RULES_VERSION + 1;
    newer_refused(p, before, itsm_policy_set_schedule_rules(p, &sr), "schedule rules", sr.version,
                  ITSM_SCHEDULE_RULES_VERSION);

    itsm_approval_level_def lv = ITSM_APPROVAL_LEVEL_DEF_INIT;
    const char *people[] = { "cab_chair" };
    lv.name = "cab";
    lv.people = people;
    lv.npeople = 1;
    itsm_approval_rule_def ar = ITSM_APPROVAL_RULE_DEF_INIT;
    ar.name = "normal_changes";
    ar.levels = &lv;
    ar.nlevels = 1;
    ar.version = ITSM_APPROVAL_RULE_DEF_VERSION + 1;
    newer_refused(p, before, itsm_policy_add_approval_rule(p, &ar), "approval rule definition", ar.version,
                  ITSM_APPROVAL_RULE_DEF_VERSION);
    ar.version = ITSM_APPROVAL_RULE_DEF_VERSION;
    lv.version = ITSM_APPROVAL_LEVEL_DEF_VERSION + 1;
    newer_refused(p, before, itsm_policy_add_approval_rule(p, &ar), "approval level definition", lv.version,
                  ITSM_APPROVAL_LEVEL_DEF_VERSION);

    itsm_agreement_def ag = ITSM_AGREEMENT_DEF_INIT;
    ag.name = "gold_contract";
    ag.version = ITSM_AGREEMENT_DEF_VERSION + 1;
    newer_refused(p, before, itsm_policy_set_agreement(p, &ag, NULL), "agreement definition", ag.version,
                  ITSM_AGREEMENT_DEF_VERSION);
    ag.version = 0;
    zero_refused(p, itsm_policy_set_agreement(p, &ag, NULL), "agreement definition");

    /* NULL is named as NULL, not as a version */
    assert_int_equal(itsm_policy_add_field(p, NULL, NULL), ITSM_EINVAL);
    assert_non_null(strstr(itsm_policy_errmsg(p), "NULL"));
    free(before);
    itsm_policy_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_newer_policy_definition_is_refused_naming_both_versions),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
