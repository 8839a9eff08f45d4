/* SPDX-License-Identifier: Apache-2.0 */
/* Separation of duties holds for the window exception while the change is
 * on the schedule: the approver of an emergency change's window exception
 * made its implementer (or requester) would take the exception away - their
 * decision stops counting - and leave the change in a blackout nobody
 * allowed. Such an assignment is refused, as a re-plan, a move or a new
 * change type there is, and nothing changes; anyone else may implement it,
 * and a change whose window needs no exception takes its approver freely
 * (approvals count at authorize only, docs/change.md). */
#include "change_policy.h"
#include "record_check.h"

static void the_window_exceptions_approver_cannot_become_the_implementer_on_the_schedule(void **state)
{
    (void)state;
    fixture f;
    change_fixture_open(&f, NULL, NULL, NULL);
    itsm_record *e = change_emergency_in_blackout(&f);
    itsm_change cio = { ITSM_F_ASSIGNEE, "cio", 0 };
    refuse(&f, itsm_record_update(e, &cio, 1), ITSM_EGUARD,
           "cannot make cio the implementer of ECHG1: its window exception would no longer count (separation of "
           "duties): 2026-12-20T22:00:00Z..2026-12-20T23:00:00Z falls in blackout 'year_end' "
           "(2026-12-15T00:00:00Z..2027-01-05T00:00:00Z); as an emergency change it may go there once level "
           "'window_exception' of approval rule 'emergency_change' is approved");
    /* Within a step too, and in implementing (still on the schedule). */
    refuse(&f, itsm_record_fire(e, "implement", &cio, 1), ITSM_EGUARD, "cannot make cio the implementer of ECHG1");
    assert_ok(itsm_record_fire(e, "implement", NULL, 0));
    refuse(&f, itsm_record_update(e, &cio, 1), ITSM_EGUARD, "cannot make cio the implementer of ECHG1");
    assert_string_equal(itsm_record_str(e, ITSM_F_ASSIGNEE), "ivan");
    /* Giving the implementer it has is no new implementer; anyone else may
     * implement it: the exception still holds. */
    itsm_change ivan = { ITSM_F_ASSIGNEE, "ivan", 0 }, jo = { ITSM_F_ASSIGNEE, "jo", 0 };
    assert_ok(itsm_record_update(e, &ivan, 1));
    assert_ok(itsm_record_update(e, &jo, 1));
    assert_string_equal(itsm_record_str(e, ITSM_F_ASSIGNEE), "jo");
    fixture_close(&f);
}

static void the_window_exceptions_approver_cannot_become_the_requester_on_the_schedule(void **state)
{
    (void)state;
    fixture f;
    change_fixture_open(&f, NULL, NULL, NULL);
    itsm_record *e = change_emergency_in_blackout(&f);
    itsm_change cio = { ITSM_F_CALLER, "cio", 0 };
    refuse(&f, itsm_record_update(e, &cio, 1), ITSM_EGUARD,
           "cannot make cio the requester of ECHG1: its window exception would no longer count");
    itsm_change both[] = { { ITSM_F_ASSIGNEE, "cio", 0 }, { ITSM_F_CALLER, "cio", 0 } };
    refuse(&f, itsm_record_update(e, both, N_(both)), ITSM_EGUARD,
           "cannot make cio the implementer and cio the requester of ECHG1");
    itsm_change pat = { ITSM_F_CALLER, "pat", 0 };
    assert_ok(itsm_record_update(e, &pat, 1));
    fixture_close(&f);
}

static void an_approver_may_implement_a_change_that_needs_no_exception_or_is_off_the_schedule(void **state)
{
    (void)state;
    fixture f;
    change_fixture_open(&f, NULL, NULL, NULL);
    /* carl approved it; its window needs no exception. */
    itsm_record *r = change_authorized(&f, "CHG1", "mail", "relay01");
    change_plan(r, "2026-04-01T10:00:00Z", "2026-04-01T11:00:00Z");
    assert_ok(itsm_record_fire(r, "schedule", NULL, 0));
    itsm_change carl = { ITSM_F_ASSIGNEE, "carl", 0 };
    assert_ok(itsm_record_update(r, &carl, 1));
    /* Off the schedule (in review) the window is no longer checked. */
    itsm_record *e = change_emergency_in_blackout(&f);
    assert_ok(itsm_record_fire(e, "implement", NULL, 0));
    assert_ok(itsm_record_fire(e, "complete", NULL, 0));
    assert_false(itsm_change_on_schedule(e));
    itsm_change cio = { ITSM_F_ASSIGNEE, "cio", 0 };
    assert_ok(itsm_record_update(e, &cio, 1));
    char *live = engine_dump(f.eng), *replayed = change_replay_dump(&f.store);
    assert_string_equal(live, replayed);
    free(live);
    free(replayed);
    fixture_close(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_window_exceptions_approver_cannot_become_the_implementer_on_the_schedule),
        cmocka_unit_test(the_window_exceptions_approver_cannot_become_the_requester_on_the_schedule),
        cmocka_unit_test(an_approver_may_implement_a_change_that_needs_no_exception_or_is_off_the_schedule),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
