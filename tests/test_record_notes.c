/* SPDX-License-Identifier: Apache-2.0 */
/* Notes and the timeline: work notes with time and author, customer updates
 * with actions, restoration and next update, refused note kinds, closed
 * records, order, and the actor's name. */
#include "record_check.h"

/* ---- notes and the timeline --------------------------------------------- */

static void work_note_is_added_with_time_and_author(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *r = open_inc(&f);
    assert_ok(itsm_engine_set_actor(f.eng, "alice"));
    f.clock.now = T0 + 30;
    assert_ok(add_note(r, ITSM_NOTE_WORK, "Rebooted the switch.", ITSM_TIME_NONE, ITSM_TIME_NONE));
    assert_int_equal(itsm_record_timeline_count(r), 1);
    assert_int_equal(itsm_record_revision(r), 2);
    assert_int_equal(itsm_record_int(r, ITSM_F_UPDATED_AT), T0 + 30);
    itsm_timeline_entry e = { .size = sizeof e };
    assert_ok(itsm_record_timeline_at(r, 0, &e));
    assert_int_equal(e.kind, ITSM_NOTE_WORK);
    assert_int_equal(e.at, T0 + 30);
    assert_string_equal(e.author, "alice");
    assert_string_equal(e.text, "Rebooted the switch.");
    assert_int_equal(e.expected_restoration, ITSM_TIME_NONE);
    assert_int_equal(e.next_update, ITSM_TIME_NONE);
    /* A work note ignores the customer-update times it was given. */
    assert_ok(add_note(r, ITSM_NOTE_WORK, "x", T0 + 100, T0 + 200));
    assert_ok(itsm_record_timeline_at(r, 1, &e));
    assert_int_equal(e.expected_restoration, ITSM_TIME_NONE);
    assert_int_equal(e.next_update, ITSM_TIME_NONE);
    fixture_close(&f);
}

static void customer_update_needs_actions_restoration_and_next_update(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *r = open_inc(&f);
    const itsm_time now = T0 + 600;
    f.clock.now = now;
    refuse(&f, add_note(r, ITSM_NOTE_CUSTOMER, NULL, now + 3600, now + 1800), ITSM_EINVAL,
           "a customer update needs its text (the actions taken)");
    refuse(&f, add_note(r, ITSM_NOTE_CUSTOMER, "", now + 3600, now + 1800), ITSM_EINVAL, "the actions taken");
    refuse(&f, add_note(r, ITSM_NOTE_CUSTOMER, "Restarted", ITSM_TIME_NONE, now + 1800), ITSM_EINVAL,
           "needs the expected restoration time");
    refuse(&f, add_note(r, ITSM_NOTE_CUSTOMER, "Restarted", now + 3600, ITSM_TIME_NONE), ITSM_EINVAL,
           "needs the next update time");
    refuse(&f, add_note(r, ITSM_NOTE_CUSTOMER, "Restarted", now + 3600, now), ITSM_EINVAL,
           "next update time must be after");
    refuse(&f, add_note(r, ITSM_NOTE_CUSTOMER, "Restarted", now + 3600, now - 60), ITSM_EINVAL,
           "next update time must be after");
    refuse(&f, add_note(r, ITSM_NOTE_CUSTOMER, "Restarted", -5, now + 60), ITSM_EINVAL,
           "expected restoration time -5 is outside");
    refuse(&f, add_note(r, ITSM_NOTE_CUSTOMER, "Restarted", now, ITSM_TIME_MAX + 1), ITSM_EINVAL,
           "next update time");
    refuse(&f, add_note(r, ITSM_NOTE_WORK, NULL, ITSM_TIME_NONE, ITSM_TIME_NONE), ITSM_EINVAL,
           "a work note needs its text");
    assert_ok(add_note(r, ITSM_NOTE_CUSTOMER, "Restarted the relay", now + 3600, now + 1));
    itsm_timeline_entry e = { .size = sizeof e };
    assert_ok(itsm_record_timeline_at(r, 0, &e));
    assert_int_equal(e.kind, ITSM_NOTE_CUSTOMER);
    assert_string_equal(e.text, "Restarted the relay");
    assert_int_equal(e.expected_restoration, now + 3600);
    assert_int_equal(e.next_update, now + 1);
    /* Restoration may already have happened (it is the customer's view). */
    assert_ok(add_note(r, ITSM_NOTE_CUSTOMER, "Restored at 09:05", T0 + 300, now + 60));
    assert_replays_the_same(f.eng, &f.store);
    fixture_close(&f);
}

/* Seed 002: "Updates must include actions being taken": a customer update
 * of blank text tells the customer nothing, and a blank work note records
 * nothing - both refused as blank guard notes are, nothing changed. */
static void a_blank_customer_update_or_work_note_is_refused(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *r = open_inc(&f);
    const itsm_time now = T0 + 600;
    f.clock.now = now;
    uint64_t rev = itsm_record_revision(r);
    refuse(&f, add_note(r, ITSM_NOTE_CUSTOMER, " \t\r\n ", now + 3600, now + 1800), ITSM_EINVAL,
           "a customer update needs its text (the actions taken): blank text says nothing");
    refuse(&f, add_note(r, ITSM_NOTE_WORK, "   ", ITSM_TIME_NONE, ITSM_TIME_NONE), ITSM_EINVAL,
           "a work note needs its text: blank text says nothing");
    assert_int_equal(itsm_record_timeline_count(r), 0);
    assert_int_equal(itsm_record_revision(r), rev);
    /* text around blanks says something */
    assert_ok(add_note(r, ITSM_NOTE_CUSTOMER, "  Restarted the relay\n", now + 3600, now + 1800));
    assert_int_equal(itsm_record_timeline_count(r), 1);
    assert_replays_the_same(f.eng, &f.store);
    fixture_close(&f);
}

static void system_notes_and_unknown_note_kinds_are_refused(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *r = open_inc(&f);
    refuse(&f, add_note(r, ITSM_NOTE_SYSTEM, "I am the engine", ITSM_TIME_NONE, ITSM_TIME_NONE), ITSM_EINVAL,
           "note kind must be work or customer");
    refuse(&f, add_note(r, (itsm_note_kind)0, "x", ITSM_TIME_NONE, ITSM_TIME_NONE), ITSM_EINVAL, "note kind");
    refuse(&f, add_note(r, (itsm_note_kind)4, "x", ITSM_TIME_NONE, ITSM_TIME_NONE), ITSM_EINVAL, "note kind");
    refuse(&f, itsm_record_add_note(r, NULL), ITSM_EINVAL, "note options");
    itsm_note_opts o = ITSM_NOTE_OPTS_INIT;
    o.text = "x";
    o.version = 99;
    refuse(&f, itsm_record_add_note(r, &o), ITSM_EINVAL, "version 99 is newer than this library's 1");
    assert_int_equal(itsm_record_add_note(NULL, &o), ITSM_EINVAL);
    assert_int_equal(itsm_note_opts_init(&o, 99), ITSM_EINVAL);
    assert_ok(itsm_note_opts_init(&o, ITSM_NOTE_OPTS_VERSION));
    assert_int_equal(o.kind, ITSM_NOTE_WORK);
    assert_int_equal(o.expected_restoration, ITSM_TIME_NONE);
    fixture_close(&f);
}

static void a_closed_record_takes_no_notes_or_updates(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *r = open_inc(&f);
    assert_ok(itsm_record_fire(r, "cancel", NULL, 0));
    assert_int_equal(itsm_record_is_open(r), 0);
    refuse(&f, add_note(r, ITSM_NOTE_WORK, "late", ITSM_TIME_NONE, ITSM_TIME_NONE), ITSM_ESTATE, "canceled");
    refuse(&f, itsm_record_set_str(r, ITSM_F_SUMMARY, "late"), ITSM_ESTATE, "cannot update INC-000001");
    refuse(&f, itsm_record_fire(r, "assign", NULL, 0), ITSM_ETRANSITION, "canceled");
    fixture_close(&f);
}

static void timeline_keeps_order_times_and_authors(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *r = open_inc(&f);
    static const char *const who[] = { "alice", "bob", NULL, "jürgen" };
    for (int i = 0; i < 8; i++) {
        f.clock.now = T0 + 10 * i;
        assert_ok(itsm_engine_set_actor(f.eng, who[i % 4]));
        char text[32];
        snprintf(text, sizeof text, "note %d", i);
        if (i % 3 == 2)
            assert_ok(add_note(r, ITSM_NOTE_CUSTOMER, text, T0 + 7200, f.clock.now + 900));
        else
            assert_ok(add_note(r, ITSM_NOTE_WORK, text, ITSM_TIME_NONE, ITSM_TIME_NONE));
    }
    assert_int_equal(itsm_record_timeline_count(r), 8);
    for (int i = 0; i < 8; i++) {
        itsm_timeline_entry e = { .size = sizeof e };
        char text[32];
        snprintf(text, sizeof text, "note %d", i);
        assert_ok(itsm_record_timeline_at(r, (size_t)i, &e));
        assert_string_equal(e.text, text);
        assert_int_equal(e.at, T0 + 10 * i);
        assert_int_equal(e.kind, i % 3 == 2 ? ITSM_NOTE_CUSTOMER : ITSM_NOTE_WORK);
        if (who[i % 4])
            assert_string_equal(e.author, who[i % 4]);
        else
            assert_null(e.author);
    }
    /* The event carries the author; without one there is no actor member. */
    assert_non_null(strstr(f.store.events[1], "\"actor\":\"alice\""));
    assert_null(strstr(f.store.events[3], "\"actor\""));
    assert_replays_the_same(f.eng, &f.store);
    fixture_close(&f);
}

static void set_actor_validates_the_name(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    char *longest = repeat('a', ITSM_MAX_SYMBOL);
    char *too_long = repeat('a', ITSM_MAX_SYMBOL + 1);
    assert_fails(f.eng, itsm_engine_set_actor(f.eng, ""), ITSM_EINVAL, "actor must be");
    assert_fails(f.eng, itsm_engine_set_actor(f.eng, too_long), ITSM_ELIMIT, "actor must be");
    assert_ok(itsm_engine_set_actor(f.eng, longest));
    itsm_record *r = open_inc(&f);
    /* A refused name keeps the previous actor. */
    assert_int_equal(itsm_engine_set_actor(f.eng, ""), ITSM_EINVAL);
    assert_ok(add_note(r, ITSM_NOTE_WORK, "x", ITSM_TIME_NONE, ITSM_TIME_NONE));
    itsm_timeline_entry e = { .size = sizeof e };
    assert_ok(itsm_record_timeline_at(r, 0, &e));
    assert_string_equal(e.author, longest);
    assert_ok(itsm_engine_set_actor(f.eng, NULL));
    assert_int_equal(itsm_engine_set_actor(NULL, "x"), ITSM_EINVAL);
    free(longest);
    free(too_long);
    fixture_close(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(work_note_is_added_with_time_and_author),
        cmocka_unit_test(customer_update_needs_actions_restoration_and_next_update),
        cmocka_unit_test(a_blank_customer_update_or_work_note_is_refused),
        cmocka_unit_test(system_notes_and_unknown_note_kinds_are_refused),
        cmocka_unit_test(a_closed_record_takes_no_notes_or_updates),
        cmocka_unit_test(timeline_keeps_order_times_and_authors),
        cmocka_unit_test(set_actor_validates_the_name),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
