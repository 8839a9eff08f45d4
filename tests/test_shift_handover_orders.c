/* SPDX-License-Identifier: Apache-2.0 */
/* Shift handovers in unusual but legal orders (DESIGN.md section 9: the
 * sender proposes, the receiver acknowledges, and ownership moves only
 * then, never silently; seed 004: "before handing over to the next
 * shift"). Black-box: public API and the stored events. */
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

/* Ann hands her incident to bob, then - bob not answering - to carl, who
 * takes it over. Bob acknowledging the older packet afterwards is taken
 * as received (it does not stay proposed) but moves nothing: carl has the
 * incident and never handed it over. Answered in proposing order, or with
 * the newer kicked back, the older still hands the record over. */
static void an_older_shift_packet_answered_late_takes_nothing_from_the_newer_receiver(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *r = worked_incident(&f);
    itsm_packet *older = shift_to(r, "ann", "bob"), *newer = shift_to(r, "ann", "carl");
    f.clock.now = T0 + 60;
    assert_ok(itsm_packet_propose(older, f.eng));
    f.clock.now = T0 + 120;
    assert_ok(itsm_packet_propose(newer, f.eng));
    f.clock.now = T0 + 180;
    assert_ok(itsm_packet_acknowledge(newer, f.eng, "carl"));
    assert_string_equal(owner(r), "carl");
    f.clock.now = T0 + 240;
    assert_ok(itsm_packet_acknowledge(older, f.eng, "bob"));
    assert_int_equal(itsm_packet_state_of(older), ITSM_PACKET_ACKNOWLEDGED);
    assert_string_equal(itsm_packet_decided_by(older), "bob");
    assert_string_equal(owner(r), "carl");
    assert_null(strstr(f.store.events[f.store.n - 1], "\"assignee\":\"bob\""));
    assert_replays_the_same(f.eng, &f.store);
    itsm_packet_free(older);
    itsm_packet_free(newer);

    /* answered in proposing order: the newer receiver has it last */
    itsm_record *s = worked_incident(&f);
    older = shift_to(s, "ann", "bob");
    newer = shift_to(s, "ann", "carl");
    assert_ok(itsm_packet_propose(older, f.eng));
    assert_ok(itsm_packet_propose(newer, f.eng));
    assert_ok(itsm_packet_acknowledge(older, f.eng, "bob"));
    assert_string_equal(owner(s), "bob");
    assert_ok(itsm_packet_acknowledge(newer, f.eng, "carl"));
    assert_string_equal(owner(s), "carl");
    itsm_packet_free(older);
    itsm_packet_free(newer);

    /* the newer kicked back: the older is the handover that stands */
    itsm_record *t = worked_incident(&f);
    older = shift_to(t, "ann", "bob");
    newer = shift_to(t, "ann", "carl");
    assert_ok(itsm_packet_propose(older, f.eng));
    assert_ok(itsm_packet_propose(newer, f.eng));
    assert_ok(itsm_packet_reject(newer, f.eng, "carl", "I am not on shift tonight"));
    assert_ok(itsm_packet_acknowledge(older, f.eng, "bob"));
    assert_string_equal(owner(t), "bob");
    itsm_packet_free(older);
    itsm_packet_free(newer);
    assert_replays_the_same(f.eng, &f.store);
    fixture_close(&f);
}

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
        cmocka_unit_test(an_older_shift_packet_answered_late_takes_nothing_from_the_newer_receiver),
        cmocka_unit_test(a_shift_handover_moves_the_owner_and_leaves_the_state),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
