/* SPDX-License-Identifier: Apache-2.0 */
/* Shift handovers of incidents that wait or are restored (DESIGN.md
 * section 9: the receiver's acknowledgement moves the owner; seed 004:
 * "before handing over to the next shift"). Black-box. */
#include "sla/sla_support.h"

static itsm_record *worked_incident(fixture *f)
{
    itsm_record *r = open_inc(f, 2, 2, "Manufacturing");
    start_work(r);   /* Desk, ann */
    return r;
}

static itsm_packet *shift_to(itsm_record *r, const char *sender, const char *receiver)
{
    itsm_packet *p;
    assert_ok(itsm_packet_new(&p, r, ITSM_PACKET_SHIFT));
    assert_ok(itsm_packet_set_text(p, ITSM_PT_SENDER, sender));
    assert_ok(itsm_packet_set_text(p, ITSM_PT_RECEIVER, receiver));
    return p;
}

static const char *owner(const itsm_record *r) { return itsm_record_str(r, ITSM_F_ASSIGNEE); }

/* Handing over moves the owner, not the work's state: an incident on hold
 * for its customer stays on hold with its reason and its resolution clock
 * paused; a resolved one stays resolved, its verification window as it
 * was. */
static void a_shift_handover_moves_the_owner_and_leaves_the_state(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *r = worked_incident(&f);
    f.clock.now = T0 + HOUR;
    hold(r, "awaiting_customer");
    itsm_packet *p = shift_to(r, "ann", "bob");
    f.clock.now = T0 + 2 * HOUR;
    assert_ok(itsm_packet_propose(p, f.eng));
    assert_ok(itsm_packet_acknowledge(p, f.eng, "bob"));
    assert_string_equal(owner(r), "bob");
    assert_string_equal(itsm_record_state(r), "on_hold");
    assert_string_equal(itsm_record_str(r, ITSM_F_HOLD_REASON), "awaiting_customer");
    itsm_timer_info t;
    memset(&t, 0, sizeof t);
    t.size = sizeof t;
    assert_ok(itsm_record_timer(&t, r, ITSM_TIMER_RESOLUTION, T0 + 3 * HOUR));
    assert_int_equal(t.status, ITSM_TIMER_PAUSED);
    assert_int_equal(t.elapsed, HOUR);

    itsm_record *s = worked_incident(&f);
    resolve(s);
    itsm_time close_due = itsm_record_auto_close_due(s);
    itsm_packet *q = shift_to(s, "ann", "bob");
    f.clock.now = T0 + 3 * HOUR;
    assert_ok(itsm_packet_propose(q, f.eng));
    assert_ok(itsm_packet_acknowledge(q, f.eng, "bob"));
    assert_string_equal(owner(s), "bob");
    assert_string_equal(itsm_record_state(s), "resolved");
    assert_int_equal(itsm_record_auto_close_due(s), close_due);
    itsm_packet_free(p);
    itsm_packet_free(q);
    assert_replays_the_same(f.eng, &f.store);
    fixture_close(&f);
}

/* A shift handover that names a receiver group hands the record to that
 * group: it counts a reassignment and the group's OLA starts at the
 * acknowledgement (the time the group holds the record), not at the
 * proposal nor at the opening; the group the record left owes nothing
 * more. Kicked back, it moves neither. */
static void a_shift_handover_to_another_group_starts_its_ola_at_the_acknowledgement(void **state)
{
    (void)state;
    itsm_policy *pol;
    assert_ok(itsm_policy_new_default(&pol, NULL));
    assert_ok(itsm_policy_set_ola(pol, "Desk", 2 * HOUR, NULL));
    assert_ok(itsm_policy_set_ola(pol, "Night", HOUR, NULL));
    fixture f;
    fixture_open_with(&f, pol, NULL);
    itsm_record *r = worked_incident(&f);
    itsm_packet *back = shift_to(r, "ann", "bob");
    assert_ok(itsm_packet_set_text(back, ITSM_PT_RECEIVER_GROUP, "Night"));
    f.clock.now = T0 + 30 * MIN;
    assert_ok(itsm_packet_propose(back, f.eng));
    assert_ok(itsm_packet_reject(back, f.eng, "bob", "the status says nothing"));
    assert_string_equal(itsm_record_str(r, ITSM_F_ASSIGNMENT_GROUP), "Desk");
    assert_int_equal(itsm_record_int(r, ITSM_F_REASSIGNMENTS), 0);
    itsm_packet *p = shift_to(r, "ann", "bob");
    assert_ok(itsm_packet_set_text(p, ITSM_PT_RECEIVER_GROUP, "Night"));
    f.clock.now = T0 + 40 * MIN;
    assert_ok(itsm_packet_propose(p, f.eng));
    f.clock.now = T0 + 50 * MIN;
    assert_ok(itsm_packet_acknowledge(p, f.eng, "bob"));
    assert_string_equal(itsm_record_str(r, ITSM_F_ASSIGNMENT_GROUP), "Night");
    assert_int_equal(itsm_record_int(r, ITSM_F_REASSIGNMENTS), 1);
    itsm_timer_info o;
    memset(&o, 0, sizeof o);
    o.size = sizeof o;
    assert_ok(itsm_record_timer(&o, r, ITSM_TIMER_OLA, T0 + 50 * MIN));
    assert_int_equal(o.status, ITSM_TIMER_RUNNING);
    assert_int_equal(o.target, HOUR);
    assert_int_equal(o.elapsed, 0);
    assert_int_equal(o.due, T0 + 50 * MIN + HOUR);
    /* the Desk's two hours would have ended at T0 + 2 h: nothing then */
    sla_tick(&f, T0 + 50 * MIN + HOUR - 1);
    assert_int_equal(count_with(&f.store, "sla_breach", "\"timer\":\"ola\""), 0);
    sla_tick(&f, T0 + 50 * MIN + HOUR);
    assert_int_equal(count_with(&f.store, "sla_breach", "\"timer\":\"ola\""), 1);
    sla_tick(&f, T0 + 3 * HOUR);
    assert_int_equal(count_with(&f.store, "sla_breach", "\"timer\":\"ola\""), 1);
    itsm_packet_free(back);
    itsm_packet_free(p);
    assert_replays_the_same(f.eng, &f.store);
    fixture_close(&f);
    itsm_policy_free(pol);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_shift_handover_moves_the_owner_and_leaves_the_state),
        cmocka_unit_test(a_shift_handover_to_another_group_starts_its_ola_at_the_acknowledgement),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
