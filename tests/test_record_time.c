/* SPDX-License-Identifier: Apache-2.0 */
/* Record time only moves forward: a change whose clock reading is before
 * the record's last event is refused (ITSM_ECLOCK) and changes nothing;
 * stored events replay whatever their times. */
#include "sla/sla_support.h"

static void a_clock_behind_the_last_event_is_refused_naming_both_times(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *r = open_inc(&f, 2, 2, "Mail");
    f.clock.now = T0 + HOUR;
    start_work(r);
    char *before = engine_dump(f.eng);
    size_t stored = f.store.n;
    f.clock.now = T0 + HOUR - 1;   /* the host clock slipped back a second */
    assert_fails(f.eng, itsm_record_set_str(r, ITSM_F_DESCRIPTION, "late"), ITSM_ECLOCK,
                 "INC-000001: the clock reads 2026-03-02T09:59:59Z, before the record's last event at "
                 "2026-03-02T10:00:00Z");
    itsm_change c[2] = { { ITSM_F_RESOLUTION_CODE, "fixed", 0 }, { ITSM_F_RESOLUTION_NOTES, "done", 0 } };
    assert_fails(f.eng, itsm_record_fire(r, "resolve", c, 2), ITSM_ECLOCK, "before the record's last event");
    itsm_note_opts n = ITSM_NOTE_OPTS_INIT;
    n.text = "called the user";
    assert_fails(f.eng, itsm_record_add_note(r, &n), ITSM_ECLOCK, "2026-03-02T10:00:00Z");
    char *after = engine_dump(f.eng);
    assert_string_equal(before, after);
    assert_int_equal(f.store.n, stored);
    free(before);
    free(after);
    /* the same second as the last event is fine */
    f.clock.now = T0 + HOUR;
    assert_ok(itsm_record_fire(r, "resolve", c, 2));
    assert_true(itsm_record_int(r, ITSM_F_RESOLVED_AT) >= itsm_record_int(r, ITSM_F_OPENED_AT));
    assert_string_equal(itsm_errname(ITSM_ECLOCK), "ITSM_ECLOCK");
    assert_non_null(strstr(itsm_errstr(ITSM_ECLOCK), "clock"));
    fixture_close(&f);
}

static void a_step_touching_a_record_with_a_later_event_is_refused_whole(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *a = open_inc(&f, 3, 3, NULL);
    f.clock.now = T0 + DAY;
    itsm_record *b = open_inc(&f, 3, 3, NULL);
    f.clock.now = T0 + HOUR;   /* later than a's last event, earlier than b's */
    size_t stored = f.store.n;
    assert_fails(f.eng, itsm_record_link(a, ITSM_LINK_RELATED, b), ITSM_ECLOCK, "INC-000002");
    assert_int_equal(f.store.n, stored);
    assert_int_equal(itsm_record_revision(a), 1);
    assert_int_equal(itsm_record_revision(b), 1);
    f.clock.now = T0 + DAY;
    assert_ok(itsm_record_link(a, ITSM_LINK_RELATED, b));
    fixture_close(&f);
}

static void timers_fire_at_or_after_the_last_event(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *r = open_inc(&f, 1, 1, NULL);   /* P1: response 15 min */
    f.clock.now = T0 + HOUR;
    itsm_note_opts n = ITSM_NOTE_OPTS_INIT;
    n.text = "still looking";
    assert_ok(itsm_record_add_note(r, &n));
    /* the response warning and breach were due before the note: a late
     * tick stamps them at the record's last event, never before it */
    size_t fired;
    assert_ok(itsm_engine_tick(f.eng, T0 + 2 * HOUR, &fired));
    assert_true(fired >= 2);
    assert_int_equal(itsm_record_int(r, ITSM_F_UPDATED_AT), T0 + HOUR);
    fixture_close(&f);
}

static void stored_events_replay_whatever_their_times(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *r = open_inc(&f, 3, 3, NULL);
    f.clock.now = T0 + HOUR;
    assert_ok(itsm_record_set_str(r, ITSM_F_DESCRIPTION, "one"));
    assert_ok(itsm_record_set_str(r, ITSM_F_DESCRIPTION, "two"));
    /* a store written before the rule: the third event is stamped before the second */
    char *ev = f.store.events[2], *at = strstr(ev, "\"at\":\"2026-03-02T10:00:00Z\"");
    assert_non_null(at);
    memcpy(at + 6, "2026-03-02T09:30:00Z", 20);
    itsm_engine *e2 = replay_into(&f.store, NULL);
    itsm_record *r2;
    assert_ok(itsm_record_find(&r2, e2, "INC-000001"));
    assert_string_equal(itsm_record_str(r2, ITSM_F_DESCRIPTION), "two");
    assert_int_equal(itsm_record_int(r2, ITSM_F_UPDATED_AT), T0 + 30 * MIN);
    itsm_engine_free(e2);
    fixture_close(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_clock_behind_the_last_event_is_refused_naming_both_times),
        cmocka_unit_test(a_step_touching_a_record_with_a_later_event_is_refused_whole),
        cmocka_unit_test(timers_fire_at_or_after_the_last_event),
        cmocka_unit_test(stored_events_replay_whatever_their_times),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
