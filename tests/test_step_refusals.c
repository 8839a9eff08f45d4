/* SPDX-License-Identifier: Apache-2.0 */
/* Steps a record's state or kind rules out, refused with a code and a
 * message that say why, the record and the store unchanged: a manager is
 * not told of a resolved or closed incident (DESIGN 5: the ladder climbs
 * for work still owed), and a known outage belongs to an incident (DESIGN
 * 6: a service down), not to a service request. Black-box. */
#include "record_check.h"

static const itsm_change resolution[2] = { { ITSM_F_RESOLUTION_CODE, "fixed", 0 },
                                           { ITSM_F_RESOLUTION_NOTES, "restarted the mail relay", 0 } };

static itsm_record *incident_in_work(fixture *f, const char *id)
{
    const itsm_change fields[4] = { { ITSM_F_SUMMARY, "Mail down", 0 }, { ITSM_F_SERVICE, "Mail", 0 },
                                    { ITSM_F_IMPACT, NULL, 2 }, { ITSM_F_URGENCY, NULL, 2 } };
    itsm_record *r = open_kind(f, ITSM_KIND_INCIDENT, id, fields, 4);
    const itsm_change owner[2] = { { ITSM_F_ASSIGNMENT_GROUP, "Desk", 0 }, { ITSM_F_ASSIGNEE, "ann", 0 } };
    assert_ok(itsm_record_fire(r, "start", owner, 2));
    return r;
}

/* Resolved, the incident owes no work to escalate: refused until it is
 * reopened, and a closed one for good; the level stays where it was. */
static void hierarchical_escalation_is_refused_on_a_resolved_or_closed_incident(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *r = incident_in_work(&f, "INC-1");
    assert_ok(itsm_record_escalate_hierarchical(r, "the caller is the CFO"));
    assert_int_equal(itsm_record_int(r, ITSM_F_HIERARCHICAL_LEVEL), 1);
    f.clock.now = T0 + 600;
    const itsm_change done[4] = { resolution[0], resolution[1], { ITSM_F_CATEGORY, "email", 0 },
                                  { ITSM_F_KNOWLEDGE_DECISION, "not_needed", 0 } };
    assert_ok(itsm_record_fire(r, "resolve", done, 4));
    refuse(&f, itsm_record_escalate_hierarchical(r, "the caller chases"), ITSM_ESTATE, "reopen it");
    assert_int_equal(itsm_record_int(r, ITSM_F_HIERARCHICAL_LEVEL), 1);
    /* back in work, the ladder is open again */
    assert_ok(itsm_record_fire(r, "reopen", NULL, 0));
    assert_ok(itsm_record_escalate_hierarchical(r, "the caller chases"));
    assert_int_equal(itsm_record_int(r, ITSM_F_HIERARCHICAL_LEVEL), 2);
    assert_ok(itsm_record_fire(r, "resolve", resolution, 2));
    assert_ok(itsm_record_fire(r, "confirm", NULL, 0));
    assert_string_equal(itsm_record_state(r), "closed");
    refuse(&f, itsm_record_escalate_hierarchical(r, "the caller chases"), ITSM_ESTATE, "closed");
    assert_int_equal(itsm_record_int(r, ITSM_F_HIERARCHICAL_LEVEL), 2);
    fixture_close(&f);
}

/* A service request on the service cannot declare its outage: refused,
 * the service has none, and an incident opened on it is not linked to the
 * request; the incident itself declares it. */
static void a_known_outage_is_declared_by_an_incident_only(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    const itsm_change fields[2] = { { ITSM_F_SUMMARY, "New mailbox", 0 }, { ITSM_F_SERVICE, "Mail", 0 } };
    itsm_record *req = open_kind(&f, ITSM_KIND_SERVICE_REQUEST, "REQ-1", fields, 2);
    refuse(&f, itsm_outage_declare(req, T0 + 3600, T0 + 1800), ITSM_ESTATE, "only an incident");
    assert_null(itsm_engine_outage(f.eng, "Mail"));
    itsm_record *inc = incident_in_work(&f, "INC-1");
    assert_int_equal(itsm_record_link_count(inc), 0);
    assert_ok(itsm_outage_declare(inc, T0 + 3600, T0 + 1800));
    assert_ptr_equal(itsm_engine_outage(f.eng, "Mail"), inc);
    fixture_close(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(hierarchical_escalation_is_refused_on_a_resolved_or_closed_incident),
        cmocka_unit_test(a_known_outage_is_declared_by_an_incident_only),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
