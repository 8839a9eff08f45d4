/* SPDX-License-Identifier: Apache-2.0 */
/* The service desk's handover to the major incident team (DESIGN sections
 * 5 and 9): when the initial 15 minutes start and what later handovers do
 * to them. */
#include "sla/sla_support.h"

#define DUE_COMM 0
#define DUE_GROUPS 1

static size_t tick(fixture *f, itsm_time now)
{
    size_t n = 0;
    f->clock.now = now;
    assert_ok(itsm_engine_tick(f->eng, now, &n));
    return n;
}

static void deadline(const itsm_record *r, int which, itsm_time want_due, int want_done, int want_missed)
{
    itsm_time due;
    int done, missed;
    assert_ok(itsm_record_major_deadline(&due, &done, &missed, r, which));
    assert_int_equal(due, want_due);
    assert_int_equal(done, want_done);
    assert_int_equal(missed, want_missed);
}

/* A desk_to_major packet of `r` to maria, proposed at the engine's clock. */
static itsm_packet *propose_desk(fixture *f, itsm_record *r)
{
    itsm_packet *p;
    assert_ok(itsm_packet_new(&p, r, ITSM_PACKET_DESK_TO_MAJOR));
    /* the desk agent sends: once maria owns the incident the prefilled
     * sender (the assignee) would be maria herself */
    assert_ok(itsm_packet_set_text(p, ITSM_PT_SENDER, "ann"));
    assert_ok(itsm_packet_set_text(p, ITSM_PT_RECEIVER, "maria"));
    assert_ok(itsm_packet_propose(p, f->eng));
    return p;
}

static void ack_desk(fixture *f, itsm_record *r, itsm_time at)
{
    f->clock.now = at - MIN;
    itsm_packet *p = propose_desk(f, r);
    f->clock.now = at;
    assert_ok(itsm_packet_acknowledge(p, f->eng, "maria"));
    itsm_packet_free(p);
}

static void engage(itsm_record *r)
{
    const char *g[] = { "network", "database" };
    assert_ok(itsm_major_engage_groups(r, g, 2));
}

/* Seed 001: the 15 minutes run from the moment the major incident team
 * receives the service desk's handover. A second desk handover on the same
 * incident (more facts sent on) is not a new start: the team has had the
 * incident since the first, and the deadlines stay where it put them. */
static void a_second_desk_handover_does_not_restart_the_fifteen_minutes(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    f.clock.now = T0 - 10 * MIN;
    itsm_record *r = open_inc(&f, 2, 1, "payroll");   /* P2: proposed by hand */
    assert_ok(itsm_major_propose(r, "payroll down for every site"));
    f.clock.now = T0;
    assert_ok(itsm_major_decide(r, 1, "maria"));
    ack_desk(&f, r, T0 + 2 * MIN);
    deadline(r, DUE_COMM, T0 + 17 * MIN, 0, 0);
    deadline(r, DUE_GROUPS, T0 + 17 * MIN, 0, 0);
    ack_desk(&f, r, T0 + 8 * MIN);
    deadline(r, DUE_COMM, T0 + 17 * MIN, 0, 0);
    deadline(r, DUE_GROUPS, T0 + 17 * MIN, 0, 0);
    tick(&f, T0 + 17 * MIN + 1);
    assert_int_equal(count_events(&f.store, "major_deadline_missed"), 2);
    assert_replay_same(&f, NULL, T0 + 30 * MIN);
    fixture_close(&f);
}

/* Communication issued and groups engaged before the desk's handover was
 * accepted: the first phase is over, and accepting the handover afterwards
 * neither reopens it nor arms deadlines that were met. */
static void a_handover_accepted_after_the_first_phase_leaves_it_done(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *r = open_inc(&f, 1, 1, "payroll");   /* P1: proposed by rule */
    assert_int_equal(itsm_record_major_state(r), ITSM_MAJOR_PROPOSED);
    assert_ok(itsm_major_decide(r, 1, "maria"));
    f.clock.now = T0 + 3 * MIN;
    assert_ok(itsm_major_communication_issued(r));
    assert_int_equal(itsm_record_major_phase(r), ITSM_PHASE_INITIAL);   /* groups still to engage */
    f.clock.now = T0 + 4 * MIN;
    engage(r);
    assert_int_equal(itsm_record_major_phase(r), ITSM_PHASE_POST);
    ack_desk(&f, r, T0 + 10 * MIN);
    assert_int_equal(itsm_record_major_phase(r), ITSM_PHASE_POST);
    itsm_time due;
    int done, missed;
    for (int which = 0; which < 2; which++) {
        assert_ok(itsm_record_major_deadline(&due, &done, &missed, r, which));
        assert_true(done);
        assert_false(missed);
    }
    tick(&f, T0 + 2 * HOUR);
    assert_int_equal(count_events(&f.store, "major_deadline_missed"), 0);
    assert_replay_same(&f, NULL, T0 + 2 * HOUR);
    fixture_close(&f);
}

/* Only the communication was issued before the handover came in: the
 * acceptance moves the start of the 15 minutes, the met deadline stays
 * met, and only the groups can still be missed - at the new time. */
static void a_deadline_met_before_the_handover_acceptance_stays_met(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *r = open_inc(&f, 1, 1, "payroll");
    assert_ok(itsm_major_decide(r, 1, "maria"));
    f.clock.now = T0 + 3 * MIN;
    assert_ok(itsm_major_communication_issued(r));
    ack_desk(&f, r, T0 + 10 * MIN);
    assert_int_equal(itsm_record_major_phase(r), ITSM_PHASE_INITIAL);
    deadline(r, DUE_GROUPS, T0 + 25 * MIN, 0, 0);
    itsm_time due;
    int done, missed;
    assert_ok(itsm_record_major_deadline(&due, &done, &missed, r, DUE_COMM));
    assert_true(done);
    assert_false(missed);
    tick(&f, T0 + 25 * MIN);
    assert_int_equal(count_events(&f.store, "major_deadline_missed"), 0);
    tick(&f, T0 + 25 * MIN + 1);
    assert_int_equal(count_events(&f.store, "major_deadline_missed"), 1);
    assert_non_null(strstr(memstore_find(&f.store, "major_deadline_missed"), "\"deadline\":\"groups\""));
    assert_replay_same(&f, NULL, T0 + HOUR);
    fixture_close(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_second_desk_handover_does_not_restart_the_fifteen_minutes),
        cmocka_unit_test(a_handover_accepted_after_the_first_phase_leaves_it_done),
        cmocka_unit_test(a_deadline_met_before_the_handover_acceptance_stays_met),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
