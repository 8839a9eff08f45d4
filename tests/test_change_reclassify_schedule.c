/* SPDX-License-Identifier: Apache-2.0 */
/* Reclassifying a change that is on the schedule meets its windows as a
 * re-plan or a move does: an emergency change that went into a blackout
 * on its window exception cannot become a normal change there (neither by
 * an update nor within a step), and nothing changes; a change whose window
 * needs no exception, or one that has left the schedule, is reclassified
 * freely. */
#include "change_policy.h"

#include <stdlib.h>
#include <string.h>

static void an_emergency_change_in_a_blackout_cannot_become_a_normal_one_there(void **state)
{
    (void)state;
    fixture f;
    change_fixture_open(&f, NULL, NULL, NULL);
    itsm_record *e = change_emergency_in_blackout(&f);
    size_t stored = f.store.n;
    itsm_change normal = { ITSM_F_CHANGE_TYPE, "normal", 0 };
    assert_fails(f.eng, itsm_record_update(e, &normal, 1), ITSM_EGUARD,
                 "cannot reclassify ECHG1 as change type 'normal': 2026-12-20T22:00:00Z..2026-12-20T23:00:00Z falls "
                 "in blackout 'year_end' (2026-12-15T00:00:00Z..2027-01-05T00:00:00Z)");
    assert_fails(f.eng, itsm_record_fire(e, "implement", &normal, 1), ITSM_EGUARD,
                 "cannot reclassify ECHG1 as change type 'normal'");
    assert_int_equal(f.store.n, stored);
    assert_string_equal(itsm_record_str(e, ITSM_F_CHANGE_TYPE), "emergency");
    assert_string_equal(itsm_record_state(e), "scheduled");
    /* Giving the type it has is no reclassification. */
    itsm_change same = { ITSM_F_CHANGE_TYPE, "emergency", 0 };
    assert_ok(itsm_record_fire(e, "implement", &same, 1));
    assert_string_equal(itsm_record_state(e), "implementing");
    fixture_close(&f);
}

static void a_change_whose_window_needs_no_exception_is_reclassified_freely(void **state)
{
    (void)state;
    fixture f;
    change_fixture_open(&f, NULL, NULL, NULL);
    itsm_record *r = change_authorized(&f, "CHG1", "mail", "relay01");
    change_plan(r, "2026-04-01T10:00:00Z", "2026-04-01T11:00:00Z");
    assert_ok(itsm_record_fire(r, "schedule", NULL, 0));
    itsm_change emergency = { ITSM_F_CHANGE_TYPE, "emergency", 0 };
    assert_ok(itsm_record_update(r, &emergency, 1));
    itsm_change normal = { ITSM_F_CHANGE_TYPE, "normal", 0 };
    assert_ok(itsm_record_update(r, &normal, 1));
    assert_int_equal(itsm_change_findings(r), 0);   /* a new type moves nothing: no new collision */
    fixture_close(&f);
}

static void a_change_off_the_schedule_is_reclassified_freely(void **state)
{
    (void)state;
    fixture f;
    change_fixture_open(&f, NULL, NULL, NULL);
    itsm_record *e = change_emergency_in_blackout(&f);
    assert_ok(itsm_record_fire(e, "implement", NULL, 0));
    assert_ok(itsm_record_fire(e, "complete", NULL, 0));   /* in review: off the schedule */
    assert_false(itsm_change_on_schedule(e));
    itsm_change normal = { ITSM_F_CHANGE_TYPE, "normal", 0 };
    assert_ok(itsm_record_update(e, &normal, 1));
    char *live = engine_dump(f.eng), *replayed = change_replay_dump(&f.store);
    assert_string_equal(live, replayed);
    free(live);
    free(replayed);
    fixture_close(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(an_emergency_change_in_a_blackout_cannot_become_a_normal_one_there),
        cmocka_unit_test(a_change_whose_window_needs_no_exception_is_reclassified_freely),
        cmocka_unit_test(a_change_off_the_schedule_is_reclassified_freely),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
