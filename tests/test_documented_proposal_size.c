/* SPDX-License-Identifier: Apache-2.0 */
/* docs/recurrence.md, "The push": a proposal's event "names the cluster's
 * incidents (the newest 64 of them, oldest first)" (ITSM_PROBLEM_PROPOSAL_MAX),
 * and "each incident belongs to at most one proposal, so a cluster is
 * proposed once". A rule of 70 incidents makes a cluster larger than the
 * list: the 70th incident proposes, naming INC-000007..INC-000070. */
#include "sla/sla_support.h"

#include <string.h>

static itsm_record *incident(fixture *f)
{
    itsm_record *r = NULL;
    itsm_change init[3] = { { ITSM_F_SUMMARY, "Mail bounces", 0 }, { ITSM_F_SERVICE, "mail", 0 },
                            { ITSM_F_CATEGORY, "software", 0 } };
    itsm_record_opts o = ITSM_RECORD_OPTS_INIT;
    o.fields = init;
    o.nfields = 3;
    assert_ok(itsm_record_open(&r, f->eng, &o));
    return r;
}

static void a_cluster_larger_than_the_list_names_its_newest_64(void **state)
{
    (void)state;
    itsm_policy *p;
    assert_ok(itsm_policy_new_default(&p, NULL));
    itsm_problem_rules r = ITSM_PROBLEM_RULES_INIT;
    assert_ok(itsm_policy_problem_rules(&r, p));
    r.recurrence_count = 70;
    assert_ok(itsm_policy_set_problem_rules(p, &r));
    fixture f;
    fixture_open_policy(&f, p);
    for (int i = 0; i < 70; i++) {
        f.clock.now = T0 + i * MIN;
        incident(&f);
        assert_int_equal(itsm_engine_problem_proposal_count(f.eng), i == 69 ? 1 : 0);
    }
    itsm_problem_proposal pp = { .size = sizeof pp };
    assert_ok(itsm_engine_problem_proposal_at(&pp, f.eng, 0));
    assert_string_equal(pp.record, "INC-000070");
    assert_int_equal(pp.incidents, ITSM_PROBLEM_PROPOSAL_MAX);   /* the ones named */
    assert_string_equal(itsm_engine_problem_proposal_incident(f.eng, 0, 0), "INC-000007");
    assert_string_equal(itsm_engine_problem_proposal_incident(f.eng, 0, 63), "INC-000070");
    assert_null(itsm_engine_problem_proposal_incident(f.eng, 0, 64));
    fixture_close(&f);
    itsm_policy_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_cluster_larger_than_the_list_names_its_newest_64),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
