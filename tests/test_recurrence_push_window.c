/* SPDX-License-Identifier: Apache-2.0 */
/* The recurrence push under the default policy's rule (3 incidents on a
 * service and category within 30 days): the window's far edge is in, a
 * second before it is out - the same edge itsm_problem_decide uses - and
 * the configuration item does not split a cluster unless the policy says. */
#include "support.h"

#include <string.h>

#define DAY ((itsm_time)86400)

static itsm_record *incident_at(fixture *f, itsm_time at, const char *ci)
{
    f->clock.now = at;
    itsm_change c[4] = { { ITSM_F_SUMMARY, "Print queue stuck", 0 }, { ITSM_F_SERVICE, "print", 0 },
                         { ITSM_F_CATEGORY, "hardware", 0 }, { ITSM_F_CI, ci, 0 } };
    itsm_record_opts o = ITSM_RECORD_OPTS_INIT;
    o.fields = c;
    o.nfields = ci ? 4 : 3;
    itsm_record *r;
    assert_ok(itsm_record_open(&r, f->eng, &o));
    return r;
}

static void the_default_window_is_thirty_days_with_its_edge_in(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    incident_at(&f, T0, NULL);   /* exactly 30 days before the third */
    incident_at(&f, T0 + 10 * DAY, NULL);
    itsm_record *third = incident_at(&f, T0 + 30 * DAY, NULL);
    assert_int_equal(itsm_engine_problem_proposal_count(f.eng), 1);
    itsm_problem_proposal p = { .size = sizeof p };
    assert_ok(itsm_engine_problem_proposal_at(&p, f.eng, 0));
    assert_string_equal(p.record, itsm_record_id(third));
    assert_int_equal(p.window, 30 * DAY);
    assert_int_equal(p.incidents, 3);
    assert_string_equal(p.service, "print");
    assert_string_equal(p.category, "hardware");
    assert_null(p.ci);
    assert_int_equal(p.at, T0 + 30 * DAY);
    fixture_close(&f);

    fixture_open(&f);
    incident_at(&f, T0 - 1, NULL);   /* a second too early */
    incident_at(&f, T0 + 10 * DAY, NULL);
    incident_at(&f, T0 + 30 * DAY, NULL);
    assert_int_equal(itsm_engine_problem_proposal_count(f.eng), 0);
    fixture_close(&f);
}

static void by_default_the_configuration_item_does_not_split_a_cluster(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    incident_at(&f, T0, "printer01");
    incident_at(&f, T0 + DAY, "printer02");
    incident_at(&f, T0 + 2 * DAY, NULL);
    assert_int_equal(itsm_engine_problem_proposal_count(f.eng), 1);
    fixture_close(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_default_window_is_thirty_days_with_its_edge_in),
        cmocka_unit_test(by_default_the_configuration_item_does_not_split_a_cluster),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
