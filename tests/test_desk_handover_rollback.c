/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A desk handover's acknowledgement that the store did not keep (a group
 * rolled back): the major incident team never took it over, so it left no
 * quality-log entry, did not start the initial 15 minutes and moved no
 * ownership; taken over again later, it counts from then, once.
 */
#include "support.h"
#include "group_store.h"

#include <stdlib.h>
#include <string.h>

#define MIN 60

static itsm_record *find(itsm_engine *eng)
{
    itsm_record *r;
    assert_ok(itsm_record_find(&r, eng, "INC1"));
    return r;
}

static void comm_due(const itsm_record *r, itsm_time want)
{
    itsm_time due;
    int done, missed;
    assert_ok(itsm_record_major_deadline(&due, &done, &missed, r, 0));
    assert_int_equal(due, want);
}

static size_t missed_events(const gstore *s)
{
    size_t n = 0;
    for (size_t i = 0; i < s->n; i++)
        n += strstr(s->ev[i], "\"major_deadline_missed\"") != NULL;
    return n;
}

static void a_rolled_back_desk_acknowledgement_logs_and_starts_nothing(void **state)
{
    (void)state;
    gstore s;
    memset(&s, 0, sizeof s);
    vclock clock = { T0 };
    itsm_engine *eng = gstore_engine(&s, &clock);
    itsm_change c[] = { { ITSM_F_SUMMARY, "payroll down", 0 }, { ITSM_F_ASSIGNMENT_GROUP, "service_desk", 0 },
                        { ITSM_F_ASSIGNEE, "ann", 0 } };
    itsm_record_opts o = ITSM_RECORD_OPTS_INIT;
    o.id = "INC1";
    o.fields = c;
    o.nfields = 3;
    itsm_record *r;
    assert_ok(itsm_record_open(&r, eng, &o));
    assert_ok(itsm_major_propose(r, "payroll down for every site"));
    assert_ok(itsm_major_decide(r, 1, "maria"));
    clock.now = T0 + MIN;
    itsm_packet *p;
    assert_ok(itsm_packet_new(&p, r, ITSM_PACKET_DESK_TO_MAJOR));
    assert_ok(itsm_packet_set_text(p, ITSM_PT_RECEIVER, "maria"));
    assert_ok(itsm_packet_set_text(p, ITSM_PT_RECEIVER_GROUP, "major_incident"));
    assert_ok(itsm_packet_propose(p, eng));
    uint32_t seq = itsm_packet_seq(p);
    itsm_packet_free(p);

    clock.now = T0 + 5 * MIN;
    assert_ok(itsm_engine_begin(eng));
    itsm_packet *mine;
    assert_ok(itsm_engine_handover_find(&mine, eng, seq));
    assert_ok(itsm_packet_acknowledge(mine, eng, "maria"));
    assert_int_equal(itsm_quality_log_count(eng), 1);
    comm_due(r, T0 + 20 * MIN);
    assert_ok(itsm_engine_rollback(eng));

    r = find(eng);
    assert_int_equal(itsm_quality_log_count(eng), 0);
    comm_due(r, T0 + 15 * MIN);
    assert_string_equal(itsm_record_str(r, ITSM_F_ASSIGNEE), "ann");
    assert_string_equal(itsm_record_str(r, ITSM_F_ASSIGNMENT_GROUP), "service_desk");
    assert_ok(itsm_engine_handover_find(&mine, eng, seq));
    assert_int_equal(itsm_packet_state_of(mine), ITSM_PACKET_PROPOSED);

    clock.now = T0 + 8 * MIN;
    assert_ok(itsm_packet_acknowledge(mine, eng, "maria"));
    assert_int_equal(itsm_quality_log_count(eng), 1);
    itsm_quality_entry q = { .size = sizeof q };
    assert_ok(itsm_quality_log_at(eng, 0, &q));
    assert_int_equal(q.at, T0 + 8 * MIN);
    assert_string_equal(q.sender_group, "service_desk");
    comm_due(r, T0 + 23 * MIN);
    /* the deadlines the rolled-back acknowledgement set are gone: only the
     * ones from the kept acknowledgement fire */
    size_t fired;
    assert_ok(itsm_engine_tick(eng, T0 + 23 * MIN, &fired));
    assert_int_equal(missed_events(&s), 0);
    assert_ok(itsm_engine_tick(eng, T0 + 23 * MIN + 1, &fired));
    assert_int_equal(missed_events(&s), 2);
    assert_string_equal(itsm_record_str(r, ITSM_F_ASSIGNEE), "maria");
    assert_string_equal(itsm_record_str(r, ITSM_F_ASSIGNMENT_GROUP), "major_incident");

    itsm_engine_free(eng);
    for (size_t i = 0; i < s.n; i++)
        free(s.ev[i]);
    free(s.ev);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_rolled_back_desk_acknowledgement_logs_and_starts_nothing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
