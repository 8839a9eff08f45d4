/* SPDX-License-Identifier: Apache-2.0 */
/* A clock that reads before a record's last event is bad input to every
 * call that changes records (errors.h, ITSM_ECLOCK), not only to fire,
 * update, note and link (test_record_time.c): the problem, major-incident
 * and review steps, each of which touches one or two records in one atomic
 * step, refuse it with ITSM_ECLOCK and a message naming the record, and
 * leave every record and the store exactly as they were. */
#include "pm_helpers.h"
#include "record_check.h"

#define HOUR 3600

/* The call fails with ITSM_ECLOCK naming `id`, and changes neither the
 * engine's records nor the store. */
#define refuse_clock(f, call, id) do {                                           \
        refuse(f, call, ITSM_ECLOCK, "before the record's last event");          \
        assert_non_null(strstr(itsm_errmsg((f)->eng), (id)));                    \
    } while (0)

static void problem_steps_refuse_a_clock_behind_the_record(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *inc = pm_incident(&f, "payroll", "batch", "payroll run fails");
    f.clock.now = T0 + HOUR;
    pm_resolve(inc, "desk", "ann");
    itsm_record *prb;
    f.clock.now = T0 + 2 * HOUR;
    assert_ok(itsm_problem_open_from_incident(&prb, inc, NULL));
    pm_known_error(prb, "pat", "log partition fills up", "purge old logs");

    /* the host clock slipped back before both records' last events */
    f.clock.now = T0 + HOUR - 1;
    itsm_record *out = NULL;
    refuse_clock(&f, itsm_problem_open_from_incident(&out, inc, NULL), itsm_record_id(inc));
    refuse_clock(&f, itsm_change_open_from_problem(&out, prb, NULL), itsm_record_id(prb));
    refuse_clock(&f, itsm_problem_close(prb, "risk_accepted", "not worth a change"), itsm_record_id(prb));
    refuse_clock(&f, itsm_problem_close(prb, "fix_applied", "partition grown"), itsm_record_id(prb));

    /* the clock back in step: the same calls go through */
    f.clock.now = T0 + 2 * HOUR;
    assert_ok(itsm_change_open_from_problem(&out, prb, NULL));
    fixture_close(&f);
}

static void major_incident_steps_refuse_a_clock_behind_the_record(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *r = pm_incident(&f, "mail", "network", "mail down for everyone");
    itsm_record *child = pm_incident(&f, "mail", "network", "cannot send mail");
    f.clock.now = T0 + HOUR;
    assert_ok(add_note(r, ITSM_NOTE_WORK, "whole floor affected", ITSM_TIME_NONE, ITSM_TIME_NONE));
    f.clock.now = T0 + HOUR - 1;
    refuse_clock(&f, itsm_major_propose(r, "whole floor"), itsm_record_id(r));

    f.clock.now = T0 + HOUR;
    assert_ok(itsm_major_propose(r, "whole floor"));
    f.clock.now = T0 + HOUR - 1;
    refuse_clock(&f, itsm_major_decide(r, 1, "mim"), itsm_record_id(r));
    refuse_clock(&f, itsm_major_decide(r, 0, "mim"), itsm_record_id(r));

    f.clock.now = T0 + HOUR;
    assert_ok(itsm_major_decide(r, 1, "mim"));
    f.clock.now = T0 + 2 * HOUR;
    assert_ok(add_note(r, ITSM_NOTE_WORK, "vendor engaged", ITSM_TIME_NONE, ITSM_TIME_NONE));
    f.clock.now = T0 + HOUR;
    const char *groups[] = { "network", "mail" };
    refuse_clock(&f, itsm_major_communication_issued(r), itsm_record_id(r));
    refuse_clock(&f, itsm_major_engage_groups(r, groups, 2), itsm_record_id(r));
    refuse_clock(&f, itsm_major_attach(r, child), itsm_record_id(r));
    refuse_clock(&f, itsm_review_open(r), itsm_record_id(r));

    /* a child whose last event is later than the clock refuses the attach too */
    f.clock.now = T0 + 3 * HOUR;
    assert_ok(add_note(child, ITSM_NOTE_WORK, "still failing", ITSM_TIME_NONE, ITSM_TIME_NONE));
    f.clock.now = T0 + 2 * HOUR;
    refuse_clock(&f, itsm_major_attach(r, child), itsm_record_id(child));

    f.clock.now = T0 + 3 * HOUR;
    assert_ok(itsm_major_attach(r, child));
    assert_ok(itsm_review_open(r));
    f.clock.now = T0 + 4 * HOUR;
    assert_ok(itsm_review_add_cause(r, "a full queue"));
    f.clock.now = T0 + 3 * HOUR;
    refuse_clock(&f, itsm_review_add_cause(r, "no alert on the queue"), itsm_record_id(r));
    refuse_clock(&f, itsm_review_add_action(r, "a1", "alert on queue depth", "ops", T0 + 100 * HOUR),
                 itsm_record_id(r));
    fixture_close(&f);
}

static void service_desk_steps_refuse_a_clock_behind_the_record(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *r = pm_incident(&f, "mail", "network", "mail down");
    pm_work(r, "desk", "ann");
    pm_prioritise(r, 2, 2);
    f.clock.now = T0 + 2 * HOUR;
    assert_ok(add_note(r, ITSM_NOTE_WORK, "queue still growing", ITSM_TIME_NONE, ITSM_TIME_NONE));
    f.clock.now = T0 + HOUR;
    refuse_clock(&f, itsm_record_escalate(r, 0, NULL, "restarted the relay twice"), itsm_record_id(r));
    refuse_clock(&f, itsm_record_escalate_hierarchical(r, "the customer asks for a manager"), itsm_record_id(r));
    refuse_clock(&f, itsm_outage_declare(r, T0 + 5 * HOUR, T0 + 3 * HOUR), itsm_record_id(r));
    refuse_clock(&f, itsm_record_set_sla(r, NULL), itsm_record_id(r));

    /* a handover: the packet stays as it was too */
    f.clock.now = T0 + 2 * HOUR;
    itsm_packet *p;
    assert_ok(itsm_packet_new(&p, r, ITSM_PACKET_SHIFT));
    assert_ok(itsm_packet_set_text(p, ITSM_PT_SENDER, "ann"));
    assert_ok(itsm_packet_set_text(p, ITSM_PT_RECEIVER, "bob"));
    f.clock.now = T0 + HOUR;
    itsm_packet_state ps = itsm_packet_state_of(p);
    refuse_clock(&f, itsm_packet_propose(p, f.eng), itsm_record_id(r));
    assert_int_equal(itsm_packet_state_of(p), ps);
    f.clock.now = T0 + 2 * HOUR;
    assert_ok(itsm_packet_propose(p, f.eng));
    f.clock.now = T0 + HOUR;
    ps = itsm_packet_state_of(p);
    refuse_clock(&f, itsm_packet_acknowledge(p, f.eng, "bob"), itsm_record_id(r));
    assert_int_equal(itsm_packet_state_of(p), ps);
    assert_string_equal(itsm_record_str(r, ITSM_F_ASSIGNEE), "ann");
    f.clock.now = T0 + 2 * HOUR;
    assert_ok(itsm_packet_acknowledge(p, f.eng, "bob"));
    assert_string_equal(itsm_record_str(r, ITSM_F_ASSIGNEE), "bob");
    itsm_packet_free(p);
    fixture_close(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(problem_steps_refuse_a_clock_behind_the_record),
        cmocka_unit_test(major_incident_steps_refuse_a_clock_behind_the_record),
        cmocka_unit_test(service_desk_steps_refuse_a_clock_behind_the_record),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
