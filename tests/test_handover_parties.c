/* SPDX-License-Identifier: Apache-2.0 */
/* Who and what a handover is between (DESIGN section 9, seed 001): a
 * desk_to_major handover is about an incident, the only kind of record
 * that becomes a major incident. */
#include "pm_helpers.h"

/* An incident the service desk works on: desk_ann of service_desk. */
static itsm_record *desk_incident(fixture *f)
{
    itsm_record *r = pm_incident(f, "payroll", "application", "payroll portal down");
    pm_work(r, "service_desk", "desk_ann");
    return r;
}

/* Only incidents become major incidents (DESIGN 5): a desk_to_major
 * handover of a change, a problem or a request would hand it to the major
 * incident team and start a major incident's phases on it. */
static void a_desk_to_major_handover_is_about_an_incident(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    static const struct { itsm_kind kind; const char *name; } others[] = {
        { ITSM_KIND_SERVICE_REQUEST, "service_request" }, { ITSM_KIND_PROBLEM, "problem" },
        { ITSM_KIND_CHANGE, "change" },
    };
    for (size_t i = 0; i < sizeof others / sizeof others[0]; i++) {
        itsm_record_opts o = ITSM_RECORD_OPTS_INIT;
        o.kind = others[i].kind;
        itsm_change s = { ITSM_F_SUMMARY, "payroll portal", 0 };
        o.fields = &s;
        o.nfields = 1;
        itsm_record *r;
        assert_ok(itsm_record_open(&r, f.eng, &o));
        itsm_packet *p;
        assert_ok(itsm_packet_new(&p, r, ITSM_PACKET_DESK_TO_MAJOR));
        size_t stored = f.store.n;
        char want[128];
        snprintf(want, sizeof want, "only incidents can be major incidents: a desk_to_major handover is about an "
                 "incident, and %s is a %s", itsm_record_id(r), others[i].name);
        assert_fails(f.eng, itsm_packet_propose(p, f.eng), ITSM_EINVAL, want);
        assert_int_equal(f.store.n, stored);
        assert_int_equal(itsm_packet_state_of(p), ITSM_PACKET_DRAFT);
        itsm_packet_free(p);
    }
    assert_int_equal(itsm_engine_handover_count(f.eng), 0);
    /* an incident's is proposed */
    itsm_record *r = desk_incident(&f);
    itsm_packet *p;
    assert_ok(itsm_packet_new(&p, r, ITSM_PACKET_DESK_TO_MAJOR));
    assert_ok(itsm_packet_propose(p, f.eng));
    assert_ok(itsm_packet_acknowledge(p, f.eng, "mim_maria"));
    itsm_packet_free(p);
    fixture_close(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_desk_to_major_handover_is_about_an_incident),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
