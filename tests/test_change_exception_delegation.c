/* SPDX-License-Identifier: Apache-2.0 */
/* An emergency change's window exception cast by a delegate (the cio away,
 * a deputy holding the vote): the deputy is no approver until the cio
 * delegates; the deputy's approval opens the blackout; while the change
 * sits there on that exception neither the deputy who cast it nor the cio
 * whose vote it was may become its implementer (separation of duties
 * holds for both ends of a delegated vote), while the ECAB member who
 * approved the change itself may, as approvals count at authorize only
 * (docs/change.md). */
#include "change_policy.h"
#include "record_check.h"

static void a_delegated_window_exception_binds_both_ends_of_the_vote(void **state)
{
    (void)state;
    fixture f;
    change_fixture_open(&f, NULL, NULL, NULL);
    itsm_record *e = change_open(&f, "ECHG1", "emergency", "mail", "relay01");
    assert_ok(itsm_record_fire(e, "assess", NULL, 0));
    change_assess(e, "low");
    assert_ok(itsm_record_approve(e, NULL, "fay", NULL));
    itsm_change ivan = { ITSM_F_ASSIGNEE, "ivan", 0 };
    assert_ok(itsm_record_fire(e, "authorize", &ivan, 1));
    change_plan(e, "2026-12-20T22:00:00Z", "2026-12-20T23:00:00Z");
    refuse(&f, itsm_record_approve(e, "window_exception", "deputy", NULL), ITSM_EINVAL, "deputy");
    assert_ok(itsm_record_delegate_approval(e, "window_exception", "cio", "deputy", "on leave"));
    refuse(&f, itsm_record_fire(e, "schedule", NULL, 0), ITSM_EGUARD, "blackout 'year_end'");
    assert_ok(itsm_record_approve(e, "window_exception", "deputy", "relay patch cannot wait"));
    assert_ok(itsm_record_fire(e, "schedule", NULL, 0));

    itsm_change deputy = { ITSM_F_ASSIGNEE, "deputy", 0 }, cio = { ITSM_F_ASSIGNEE, "cio", 0 };
    refuse(&f, itsm_record_update(e, &deputy, 1), ITSM_EGUARD,
           "cannot make deputy the implementer of ECHG1: its window exception would no longer count");
    refuse(&f, itsm_record_update(e, &cio, 1), ITSM_EGUARD,
           "cannot make cio the implementer of ECHG1: its window exception would no longer count");
    itsm_change caller = { ITSM_F_CALLER, "deputy", 0 };
    refuse(&f, itsm_record_update(e, &caller, 1), ITSM_EGUARD, "ECHG1");
    assert_string_equal(itsm_record_str(e, ITSM_F_ASSIGNEE), "ivan");

    itsm_change fay = { ITSM_F_ASSIGNEE, "fay", 0 };
    assert_ok(itsm_record_update(e, &fay, 1));
    assert_ok(itsm_record_fire(e, "implement", NULL, 0));
    assert_replays_the_same(f.eng, &f.store);
    fixture_close(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_delegated_window_exception_binds_both_ends_of_the_vote),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
