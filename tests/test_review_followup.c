/* SPDX-License-Identifier: Apache-2.0 */
/* After the post-incident review: its actions are carried out later, by
 * others. An open action past due fires once, whoever owns it; completing
 * the review does not stop the timer, and a new owner does not re-arm it. */
#include "sla/sla_support.h"

#define ITSM_DUE(days) (T0 + (days) * DAY)

static void an_overdue_action_fires_once_across_owners_and_completion(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *r = open_inc(&f, 1, 1, "payments");
    assert_ok(itsm_major_decide(r, 1, "mim_max"));
    assert_ok(itsm_review_open(r));
    assert_ok(itsm_review_add_cause(r, "The disk filled"));
    assert_ok(itsm_review_add_action(r, "alarm", "Alert on disk space", "ops_bob", ITSM_DUE(2)));
    assert_ok(itsm_review_complete(r));
    /* handed on after completion: still tracked */
    assert_ok(itsm_review_assign_action(r, "alarm", "ops_olga"));
    assert_ok(itsm_engine_tick(f.eng, ITSM_DUE(3), NULL));
    assert_int_equal(count_events(&f.store, "review_action_overdue"), 1);
    f.clock.now = ITSM_DUE(3) + 60;
    assert_ok(itsm_review_assign_action(r, "alarm", "ops_bob"));
    assert_ok(itsm_engine_tick(f.eng, ITSM_DUE(9), NULL));
    assert_int_equal(count_events(&f.store, "review_action_overdue"), 1);
    itsm_review_info ri = { .size = sizeof ri };
    assert_ok(itsm_record_review(&ri, r));
    assert_int_equal(ri.overdue_actions, 1);
    fixture_close(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(an_overdue_action_fires_once_across_owners_and_completion),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
