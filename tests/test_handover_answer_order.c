/* SPDX-License-Identifier: Apache-2.0 */
/* Shift handovers answered out of the order they were sent (seed 000: an
 * incident manager passes control of an ongoing incident to another team
 * member; docs/handover.md). Control passes from the one who holds it:
 * once a newer handover on the record has been taken over, an older one
 * acknowledged late is received, but moves nothing back. */
#include "pm_helpers.h"

static void add_plain(itsm_packet *p, itsm_packet_list l, const char *text)
{
    itsm_packet_entry e = { sizeof e, text, NULL, ITSM_TIME_NONE };
    assert_ok(itsm_packet_add(p, l, &e));
}

static itsm_packet *shift_to(fixture *f, itsm_record *inc, const char *receiver, const char *group,
                             const char *hypothesis)
{
    itsm_packet *s;
    assert_ok(itsm_packet_new(&s, inc, ITSM_PACKET_SHIFT));
    assert_ok(itsm_packet_set_text(s, ITSM_PT_RECEIVER, receiver));
    if (group)
        assert_ok(itsm_packet_set_text(s, ITSM_PT_RECEIVER_GROUP, group));
    assert_ok(itsm_packet_clear(s, ITSM_PL_HYPOTHESES));
    add_plain(s, ITSM_PL_HYPOTHESES, hypothesis);
    assert_ok(itsm_packet_propose(s, f->eng));
    f->clock.now += 60;
    return s;
}

/* ann sends the incident to bob, then - bob not answering - to carol, who
 * takes it over (into the night shift's group). bob's late acknowledgement
 * of ann's first packet is received (it does not stay proposed), but
 * carol keeps the incident and her group: she never handed it to bob.
 * The next packet continues carol's storyboard, and a replay of the store
 * gives the same record. */
static void an_older_handover_acknowledged_after_a_newer_one_moves_nothing(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *inc = pm_incident(&f, "payroll", "batch", "payroll run fails");
    pm_work(inc, "desk", "ann");
    itsm_packet *s1 = shift_to(&f, inc, "bob", "day-ops", "the scheduler");
    itsm_packet *s2 = shift_to(&f, inc, "carol", "night-ops", "the 08:30 patch");
    assert_ok(itsm_packet_acknowledge(s2, f.eng, "carol"));
    assert_string_equal(itsm_record_str(inc, ITSM_F_ASSIGNEE), "carol");
    assert_string_equal(itsm_record_str(inc, ITSM_F_ASSIGNMENT_GROUP), "night-ops");
    f.clock.now += 60;
    assert_ok(itsm_packet_acknowledge(s1, f.eng, "bob"));
    assert_int_equal(itsm_packet_state_of(s1), ITSM_PACKET_ACKNOWLEDGED);
    assert_string_equal(itsm_record_str(inc, ITSM_F_ASSIGNEE), "carol");
    assert_string_equal(itsm_record_str(inc, ITSM_F_ASSIGNMENT_GROUP), "night-ops");

    itsm_packet *next;
    assert_ok(itsm_packet_new(&next, inc, ITSM_PACKET_SHIFT));
    assert_string_equal(itsm_packet_text_of(next, ITSM_PT_SENDER), "carol");
    size_t n = itsm_packet_count(next, ITSM_PL_HYPOTHESES);
    int patch = 0, scheduler = 0;
    for (size_t i = 0; i < n; i++) {
        itsm_packet_entry e = { .size = sizeof e };
        assert_ok(itsm_packet_at(next, ITSM_PL_HYPOTHESES, i, &e));
        patch += strcmp(e.text, "the 08:30 patch") == 0;
        scheduler += strcmp(e.text, "the scheduler") == 0;
    }
    assert_int_equal(patch, 1);
    assert_int_equal(scheduler, 0);
    assert_replays_the_same(f.eng, &f.store);
    itsm_packet_free(next);
    itsm_packet_free(s1);
    itsm_packet_free(s2);
    fixture_close(&f);
}

/* In the order sent, each acknowledgement passes control on: bob takes
 * ann's first packet, then carol the one bob sends her. An older packet
 * answered while a newer one still waits moves control: nothing newer was
 * taken over yet. But that newer one, sent by ann too, then moves nothing:
 * ann no longer holds the incident, and bob never handed it to carol
 * (seed 000: control passes from whoever holds it). */
static void handovers_answered_in_the_order_sent_each_pass_control_on(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *inc = pm_incident(&f, "payroll", "batch", "payroll run fails");
    pm_work(inc, "desk", "ann");
    itsm_packet *s1 = shift_to(&f, inc, "bob", NULL, "the scheduler");
    itsm_packet *s2 = shift_to(&f, inc, "carol", NULL, "the 08:30 patch");
    assert_ok(itsm_packet_acknowledge(s1, f.eng, "bob"));
    assert_string_equal(itsm_record_str(inc, ITSM_F_ASSIGNEE), "bob");
    assert_ok(itsm_packet_acknowledge(s2, f.eng, "carol"));
    assert_int_equal(itsm_packet_state_of(s2), ITSM_PACKET_ACKNOWLEDGED);
    assert_string_equal(itsm_record_str(inc, ITSM_F_ASSIGNEE), "bob");
    itsm_packet *s2b = shift_to(&f, inc, "carol", NULL, "the 08:30 patch");
    assert_string_equal(itsm_packet_text_of(s2b, ITSM_PT_SENDER), "bob");
    assert_ok(itsm_packet_acknowledge(s2b, f.eng, "carol"));
    assert_string_equal(itsm_record_str(inc, ITSM_F_ASSIGNEE), "carol");
    /* a newer one kicked back leaves an older one's answer its effect */
    itsm_packet *s3 = shift_to(&f, inc, "dave", NULL, "the ledger");
    itsm_packet *s4 = shift_to(&f, inc, "erin", NULL, "the ledger");
    assert_ok(itsm_packet_reject(s4, f.eng, "erin", "not my service"));
    assert_ok(itsm_packet_acknowledge(s3, f.eng, "dave"));
    assert_string_equal(itsm_record_str(inc, ITSM_F_ASSIGNEE), "dave");
    assert_replays_the_same(f.eng, &f.store);
    itsm_packet_free(s1);
    itsm_packet_free(s2);
    itsm_packet_free(s2b);
    itsm_packet_free(s3);
    itsm_packet_free(s4);
    fixture_close(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(an_older_handover_acknowledged_after_a_newer_one_moves_nothing),
        cmocka_unit_test(handovers_answered_in_the_order_sent_each_pass_control_on),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
