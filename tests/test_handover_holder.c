/* SPDX-License-Identifier: Apache-2.0 */
/* Who hands a record over, and from whom an acknowledgement takes it
 * (seed 000: an incident manager "may need to pass control of an ongoing
 * incident to another team member" - control passes from whoever holds
 * it; DESIGN 9: ownership moves only on acknowledgement, never silently;
 * docs/handover.md). A shift or desk_to_major packet is sent by the one
 * who holds its record, its assignee: a former owner naming herself is
 * refused, the prefill names the holder (not a supervisor at the
 * keyboard). */
#include "pm_helpers.h"

/* ann works the incident in the day shift's group. */
static itsm_record *anns_incident(fixture *f)
{
    itsm_record *r = pm_incident(f, "payroll", "batch", "payroll run fails");
    pm_work(r, "day-ops", "ann");
    return r;
}

/* A packet of `kind` on `r` for `receiver` (into `group` when given),
 * proposed; its sender is the prefill's. */
static itsm_packet *send_to(fixture *f, itsm_record *r, itsm_packet_kind kind, const char *receiver,
                            const char *group)
{
    itsm_packet *p;
    assert_ok(itsm_packet_new(&p, r, kind));
    assert_ok(itsm_packet_set_text(p, ITSM_PT_RECEIVER, receiver));
    if (group)
        assert_ok(itsm_packet_set_text(p, ITSM_PT_RECEIVER_GROUP, group));
    assert_ok(itsm_packet_propose(p, f->eng));
    f->clock.now += 60;
    return p;
}

/* ann handed the incident to bob, who took it over. ann can no longer
 * hand it over by naming herself as sender - shift or desk_to_major: it
 * is bob's to pass on. Refused when proposed (ITSM_EINVAL naming who
 * holds it): nothing stored, no proposal, every record as it was, the
 * packet still a draft. bob's own packet passes control on. */
static void a_former_owner_cannot_hand_over_a_record_she_no_longer_holds(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *r = anns_incident(&f);
    itsm_packet *s1 = send_to(&f, r, ITSM_PACKET_SHIFT, "bob", NULL);
    assert_string_equal(itsm_packet_text_of(s1, ITSM_PT_SENDER), "ann");
    assert_ok(itsm_packet_acknowledge(s1, f.eng, "bob"));
    assert_string_equal(itsm_record_str(r, ITSM_F_ASSIGNEE), "bob");

    for (int k = ITSM_PACKET_SHIFT; k <= ITSM_PACKET_DESK_TO_MAJOR; k++) {
        itsm_packet *p;
        assert_ok(itsm_packet_new(&p, r, (itsm_packet_kind)k));
        assert_ok(itsm_packet_set_text(p, ITSM_PT_SENDER, "ann"));
        assert_ok(itsm_packet_set_text(p, ITSM_PT_RECEIVER, "carol"));
        size_t stored = f.store.n, proposals = itsm_engine_handover_count(f.eng);
        char *before = engine_dump(f.eng);
        assert_fails(f.eng, itsm_packet_propose(p, f.eng), ITSM_EINVAL, "'ann' cannot hand");
        assert_non_null(strstr(itsm_errmsg(f.eng), "'bob' holds it"));
        char *after = engine_dump(f.eng);
        assert_string_equal(before, after);
        free(before);
        free(after);
        assert_int_equal(f.store.n, stored);
        assert_int_equal(itsm_engine_handover_count(f.eng), proposals);
        assert_int_equal(itsm_packet_state_of(p), ITSM_PACKET_DRAFT);
        assert_int_equal(itsm_packet_seq(p), 0);
        itsm_packet_free(p);
    }

    /* bob, who holds it, passes it on */
    itsm_packet *s2 = send_to(&f, r, ITSM_PACKET_SHIFT, "carol", "night-ops");
    assert_string_equal(itsm_packet_text_of(s2, ITSM_PT_SENDER), "bob");
    assert_ok(itsm_packet_acknowledge(s2, f.eng, "carol"));
    assert_string_equal(itsm_record_str(r, ITSM_F_ASSIGNEE), "carol");
    assert_string_equal(itsm_record_str(r, ITSM_F_ASSIGNMENT_GROUP), "night-ops");
    assert_replays_the_same(f.eng, &f.store);
    itsm_packet_free(s1);
    itsm_packet_free(s2);
    fixture_close(&f);
}

/* Seed 000: the outgoing person hands over what she holds. With a
 * supervisor at the keyboard (the engine's actor), a shift or
 * desk_to_major packet still names its holder, the assignee, as sender -
 * and proposing it is not refused; a record no one person holds (no
 * assignee) is sent by the actor. The other kinds keep the actor first:
 * who decides an incident goes to problem management sends it. */
static void a_shift_packet_names_the_holder_as_sender_not_the_actor(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *r = anns_incident(&f);
    assert_ok(itsm_engine_set_actor(f.eng, "sup_sam"));
    for (int k = ITSM_PACKET_SHIFT; k <= ITSM_PACKET_TO_PROBLEM; k++) {
        itsm_packet *p;
        assert_ok(itsm_packet_new(&p, r, (itsm_packet_kind)k));
        assert_string_equal(itsm_packet_text_of(p, ITSM_PT_SENDER),
                            k == ITSM_PACKET_TO_PROBLEM ? "sup_sam" : "ann");
        itsm_packet_free(p);
    }
    itsm_packet *p = send_to(&f, r, ITSM_PACKET_SHIFT, "bob", NULL);
    assert_ok(itsm_packet_acknowledge(p, f.eng, "bob"));
    assert_string_equal(itsm_record_str(r, ITSM_F_ASSIGNEE), "bob");
    itsm_packet_free(p);

    /* in the group's queue, no one person holds it: the actor sends it */
    itsm_record *q = pm_incident(&f, "payroll", "batch", "payslips late");
    assert_ok(itsm_record_fire(q, "assign", &(itsm_change){ ITSM_F_ASSIGNMENT_GROUP, "day-ops", 0 }, 1));
    assert_null(itsm_record_str(q, ITSM_F_ASSIGNEE));
    assert_ok(itsm_packet_new(&p, q, ITSM_PACKET_SHIFT));
    assert_string_equal(itsm_packet_text_of(p, ITSM_PT_SENDER), "sup_sam");
    assert_ok(itsm_packet_set_text(p, ITSM_PT_RECEIVER, "carol"));
    assert_ok(itsm_packet_propose(p, f.eng));
    assert_ok(itsm_packet_acknowledge(p, f.eng, "carol"));
    assert_string_equal(itsm_record_str(q, ITSM_F_ASSIGNEE), "carol");
    itsm_packet_free(p);
    assert_replays_the_same(f.eng, &f.store);
    fixture_close(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_former_owner_cannot_hand_over_a_record_she_no_longer_holds),
        cmocka_unit_test(a_shift_packet_names_the_holder_as_sender_not_the_actor),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
