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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_shift_handover_moves_the_owner_and_leaves_the_state),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
