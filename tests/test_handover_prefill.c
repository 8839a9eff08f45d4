/* SPDX-License-Identifier: Apache-2.0 */
/* What a packet is prefilled with (itsm/handover.h itsm_packet_new; seed
 * 000: the receiver takes the storyboard "directly from Incident's
 * hands"): the status names the hold reason, the actions are the work
 * notes with their author and time, the hypotheses the cause, What the
 * category and subcategory, and the sender the engine's actor before the
 * assignee. */
#include "pm_helpers.h"

static void an_on_hold_status_names_the_reason_it_waits(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *r = pm_incident(&f, "payroll", "batch", "payroll run fails");
    pm_work(r, "desk", "ann");
    itsm_change h = { ITSM_F_HOLD_REASON, "awaiting_supplier", 0 };
    f.clock.now += 60;
    assert_ok(itsm_record_fire(r, "hold", &h, 1));
    itsm_packet *p;
    assert_ok(itsm_packet_new(&p, r, ITSM_PACKET_SHIFT));
    const char *status = itsm_packet_text_of(p, ITSM_PT_STATUS);
    assert_non_null(status);
    assert_non_null(strstr(status, "on_hold"));
    assert_non_null(strstr(status, "awaiting_supplier"));
    itsm_packet_free(p);
    fixture_close(&f);
}

static void actions_hypotheses_and_what_come_from_the_record(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *r = pm_incident(&f, "payroll", "batch", "payroll run fails");
    itsm_change ch[2] = { { ITSM_F_SUBCATEGORY, "scheduler", 0 }, { ITSM_F_CAUSE, "the 08:30 patch", 0 } };
    assert_ok(itsm_record_update(r, ch, 2));
    pm_work(r, "desk", "ann");
    f.clock.now += 300;
    assert_ok(itsm_engine_set_actor(f.eng, "bob"));
    itsm_note_opts n = ITSM_NOTE_OPTS_INIT;
    n.text = "restarted the scheduler";
    assert_ok(itsm_record_add_note(r, &n));
    f.clock.now += 300;
    n.text = "rerun of step 3 started";
    assert_ok(itsm_record_add_note(r, &n));

    itsm_packet *p;
    assert_ok(itsm_packet_new(&p, r, ITSM_PACKET_TO_PROBLEM));
    assert_int_equal(itsm_packet_count(p, ITSM_PL_ACTIONS), 2);
    itsm_packet_entry e = { .size = sizeof e };
    assert_ok(itsm_packet_at(p, ITSM_PL_ACTIONS, 0, &e));
    assert_string_equal(e.text, "restarted the scheduler");
    assert_string_equal(e.who, "bob");
    assert_int_equal(e.at, T0 + 300);
    assert_ok(itsm_packet_at(p, ITSM_PL_ACTIONS, 1, &e));
    assert_string_equal(e.text, "rerun of step 3 started");
    assert_int_equal(e.at, T0 + 600);
    assert_int_equal(itsm_packet_count(p, ITSM_PL_HYPOTHESES), 1);
    assert_ok(itsm_packet_at(p, ITSM_PL_HYPOTHESES, 0, &e));
    assert_string_equal(e.text, "the 08:30 patch");
    const char *what = itsm_packet_text_of(p, ITSM_PT_WHAT_IS);
    assert_non_null(strstr(what, "batch"));
    assert_non_null(strstr(what, "scheduler"));
    /* the engine's actor hands over, not the assignee */
    assert_string_equal(itsm_packet_text_of(p, ITSM_PT_SENDER), "bob");
    itsm_packet_free(p);

    /* without an actor, the assignee */
    assert_ok(itsm_engine_set_actor(f.eng, NULL));
    assert_ok(itsm_packet_new(&p, r, ITSM_PACKET_TO_PROBLEM));
    assert_string_equal(itsm_packet_text_of(p, ITSM_PT_SENDER), "ann");
    itsm_packet_free(p);
    fixture_close(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(an_on_hold_status_names_the_reason_it_waits),
        cmocka_unit_test(actions_hypotheses_and_what_come_from_the_record),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
