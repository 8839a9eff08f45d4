/* SPDX-License-Identifier: Apache-2.0 */
/* What each lens hands the next (seed 000: the problem team "should not
 * have to ping the customer again"; itsm/problem.h): every fact a problem
 * opened from an incident carries, every fact a change opened from a known
 * error carries, and the caller's fields overriding them. */
#include "pm_helpers.h"

/* summary, description, caller, service, ci, category, subcategory,
 * impact, urgency, priority, cause and workaround all go over. */
static void a_problem_carries_every_fact_of_its_incident(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_change ch[] = { { ITSM_F_SUMMARY, "payroll run fails", 0 }, { ITSM_F_DESCRIPTION, "step 3 aborts", 0 },
                         { ITSM_F_CALLER, "carla", 0 }, { ITSM_F_SERVICE, "payroll", 0 },
                         { ITSM_F_CI, "batch01", 0 }, { ITSM_F_CATEGORY, "batch", 0 },
                         { ITSM_F_SUBCATEGORY, "scheduler", 0 }, { ITSM_F_IMPACT, NULL, 1 },
                         { ITSM_F_URGENCY, NULL, 2 }, { ITSM_F_CAUSE, "suspected: the 08:30 patch", 0 },
                         { ITSM_F_WORKAROUND, "rerun step 3 by hand", 0 } };
    itsm_record_opts o = ITSM_RECORD_OPTS_INIT;
    o.fields = ch;
    o.nfields = sizeof ch / sizeof ch[0];
    itsm_record *inc;
    assert_ok(itsm_record_open(&inc, f.eng, &o));
    pm_resolve(inc, "desk", "ann");
    itsm_record *prb;
    assert_ok(itsm_problem_open_from_incident(&prb, inc, NULL));
    static const itsm_field strs[] = { ITSM_F_SUMMARY, ITSM_F_DESCRIPTION, ITSM_F_CALLER, ITSM_F_SERVICE,
                                       ITSM_F_CI, ITSM_F_CATEGORY, ITSM_F_SUBCATEGORY, ITSM_F_CAUSE,
                                       ITSM_F_WORKAROUND };
    for (size_t i = 0; i < sizeof strs / sizeof strs[0]; i++) {
        const char *want = itsm_record_str(inc, strs[i]);
        assert_non_null(want);
        const char *got = itsm_record_str(prb, strs[i]);
        if (!got || strcmp(got, want))
            fail_msg("field %s: %s, want %s", itsm_field_name(strs[i]), got ? got : "(unset)", want);
    }
    assert_int_equal(itsm_record_int(prb, ITSM_F_IMPACT), 1);
    assert_int_equal(itsm_record_int(prb, ITSM_F_URGENCY), 2);
    assert_int_equal(itsm_record_int(prb, ITSM_F_PRIORITY), itsm_record_int(inc, ITSM_F_PRIORITY));
    /* the incident's own handling is not the problem's: no assignee, no resolution */
    assert_null(itsm_record_str(prb, ITSM_F_ASSIGNEE));
    assert_null(itsm_record_str(prb, ITSM_F_RESOLUTION_CODE));
    fixture_close(&f);
}

/* A known error with no description of its own hands the change its cause
 * and workaround in the description; the change carries the service,
 * CI, category, impact, urgency and priority; the caller's fields win. */
static void a_change_carries_the_known_errors_cause_and_workaround(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_change ch[] = { { ITSM_F_SUMMARY, "log partition fills", 0 }, { ITSM_F_SERVICE, "payroll", 0 },
                         { ITSM_F_CI, "batch01", 0 }, { ITSM_F_CATEGORY, "storage", 0 },
                         { ITSM_F_IMPACT, NULL, 2 }, { ITSM_F_URGENCY, NULL, 1 } };
    itsm_record_opts o = ITSM_RECORD_OPTS_INIT;
    o.kind = ITSM_KIND_PROBLEM;
    o.fields = ch;
    o.nfields = sizeof ch / sizeof ch[0];
    itsm_record *prb;
    assert_ok(itsm_record_open(&prb, f.eng, &o));
    pm_known_error(prb, "pat", "log rotation disabled by the patch", "purge old logs, rerun step 3");

    itsm_record *chg;
    assert_ok(itsm_change_open_from_problem(&chg, prb, NULL));
    assert_string_equal(itsm_record_str(chg, ITSM_F_SUMMARY), "log partition fills");
    const char *desc = itsm_record_str(chg, ITSM_F_DESCRIPTION);
    assert_non_null(desc);
    assert_non_null(strstr(desc, "log rotation disabled by the patch"));
    assert_non_null(strstr(desc, "purge old logs, rerun step 3"));
    assert_string_equal(itsm_record_str(chg, ITSM_F_SERVICE), "payroll");
    assert_string_equal(itsm_record_str(chg, ITSM_F_CI), "batch01");
    assert_string_equal(itsm_record_str(chg, ITSM_F_CATEGORY), "storage");
    assert_int_equal(itsm_record_int(chg, ITSM_F_IMPACT), 2);
    assert_int_equal(itsm_record_int(chg, ITSM_F_URGENCY), 1);
    assert_int_equal(itsm_record_int(chg, ITSM_F_PRIORITY), itsm_record_int(prb, ITSM_F_PRIORITY));
    assert_string_equal(itsm_record_str(chg, ITSM_F_CHANGE_TYPE), "normal");
    assert_string_equal(itsm_record_state(chg), "new");

    /* a second change, emergency and with its own description */
    itsm_change over[2] = { { ITSM_F_CHANGE_TYPE, "emergency", 0 },
                            { ITSM_F_DESCRIPTION, "enable rotation on batch01 tonight", 0 } };
    itsm_problem_open_opts po = ITSM_PROBLEM_OPEN_OPTS_INIT;
    po.id = "CHG-EMERG";
    po.fields = over;
    po.nfields = 2;
    itsm_record *chg2;
    assert_ok(itsm_change_open_from_problem(&chg2, prb, &po));
    assert_string_equal(itsm_record_id(chg2), "CHG-EMERG");
    assert_string_equal(itsm_record_str(chg2, ITSM_F_CHANGE_TYPE), "emergency");
    assert_string_equal(itsm_record_str(chg2, ITSM_F_DESCRIPTION), "enable rotation on batch01 tonight");
    fixture_close(&f);
}

/* A fix applied resolves the problem (the fix is documented); the other
 * three codes close it without a fix. */
static void a_fix_applied_resolves_and_the_other_codes_close(void **state)
{
    (void)state;
    static const struct { const char *code; const char *state; } want[] = {
        { "fix_applied", "resolved" }, { "risk_accepted", "closed" }, { "duplicate", "closed" },
        { "canceled", "closed" },
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        fixture f;
        fixture_open(&f);
        itsm_change ch[] = { { ITSM_F_SUMMARY, "disk fills", 0 } };
        itsm_record_opts o = ITSM_RECORD_OPTS_INIT;
        o.kind = ITSM_KIND_PROBLEM;
        o.fields = ch;
        o.nfields = 1;
        itsm_record *prb;
        assert_ok(itsm_record_open(&prb, f.eng, &o));
        itsm_change a[2] = { { ITSM_F_ASSIGNEE, "pat", 0 }, { ITSM_F_CATEGORY, "storage", 0 } };
        assert_ok(itsm_record_fire(prb, "assess", a, 2));
        assert_ok(itsm_record_fire(prb, "analyse", NULL, 0));
        itsm_change k[2] = { { ITSM_F_CAUSE, "no rotation", 0 }, { ITSM_F_WORKAROUND, "purge", 0 } };
        assert_ok(itsm_record_fire(prb, "identify", k, 2));
        assert_ok(itsm_problem_close(prb, want[i].code, "rotation switched on"));
        assert_string_equal(itsm_record_state(prb), want[i].state);
        assert_string_equal(itsm_record_str(prb, ITSM_F_RESOLUTION_CODE), want[i].code);
        fixture_close(&f);
    }
}

/* Seed 000's third path: an incident whose cause is known and whose fix
 * needs a change is handed "directly to Continuous Service
 * Improvement/Change Management" - a to_change packet from the incident,
 * carrying its cause as the hypothesis, acknowledged by change management,
 * who is recorded as having taken it; the incident stays with its owner. */
static void a_to_change_verdict_hands_the_incident_straight_to_change(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *inc = pm_incident(&f, "payroll", "batch", "payroll run fails");
    assert_ok(itsm_record_set_str(inc, ITSM_F_CAUSE, "the batch host disk is too small"));
    pm_resolve(inc, "desk", "ann");
    itsm_decision d = { .size = sizeof d };
    itsm_decision_opts o = ITSM_DECISION_OPTS_INIT;
    o.fix_needs_change = ITSM_ANSWER_YES;
    assert_ok(itsm_problem_decide(&d, inc, &o));
    assert_int_equal(d.verdict, ITSM_VERDICT_TO_CHANGE);

    itsm_packet *p;
    assert_ok(itsm_packet_new(&p, inc, ITSM_PACKET_TO_CHANGE));
    assert_int_equal(itsm_packet_count(p, ITSM_PL_HYPOTHESES), 1);
    itsm_packet_entry e = { .size = sizeof e };
    assert_ok(itsm_packet_at(p, ITSM_PL_HYPOTHESES, 0, &e));
    assert_string_equal(e.text, "the batch host disk is too small");
    f.clock.now += 60;
    assert_ok(itsm_packet_propose(p, f.eng));
    f.clock.now += 60;
    assert_ok(itsm_packet_acknowledge(p, f.eng, "cab_chair"));
    assert_int_equal(itsm_packet_state_of(p), ITSM_PACKET_ACKNOWLEDGED);
    assert_string_equal(itsm_packet_decided_by(p), "cab_chair");
    assert_int_equal(itsm_packet_decided_at(p), f.clock.now);
    assert_string_equal(itsm_record_str(inc, ITSM_F_ASSIGNEE), "ann");
    assert_string_equal(itsm_record_str(inc, ITSM_F_ASSIGNMENT_GROUP), "desk");
    itsm_packet_free(p);
    fixture_close(&f);
}

/* "The Problem team should not have to ping the customer again to re-ask
 * data-gathering questions": the answers the desk recorded in the
 * policy's own fields travel with the facts into the problem record
 * opened from the incident, where the field applies to problems; a field
 * for incidents only stays on the incident. */
static void a_problem_carries_the_data_gathered_in_custom_fields(void **state)
{
    (void)state;
    itsm_policy *pol;
    assert_ok(itsm_policy_new_default(&pol, NULL));
    itsm_field_def def = ITSM_FIELD_DEF_INIT;
    itsm_field error_code, seats, desk_script;
    def.name = "error_code";
    assert_ok(itsm_policy_add_field(pol, &def, &error_code));
    def.name = "seats";
    def.type = ITSM_TYPE_INT;
    def.min = 1;
    def.max = 500;
    assert_ok(itsm_policy_add_field(pol, &def, &seats));
    itsm_field first_seen, remote;
    def.name = "first_seen";
    def.type = ITSM_TYPE_TIME;
    assert_ok(itsm_policy_add_field(pol, &def, &first_seen));
    def.name = "remote";
    def.type = ITSM_TYPE_BOOL;
    assert_ok(itsm_policy_add_field(pol, &def, &remote));
    itsm_field_def inc_only = ITSM_FIELD_DEF_INIT;
    inc_only.name = "desk_script";
    inc_only.kinds = 1u << ITSM_KIND_INCIDENT;
    assert_ok(itsm_policy_add_field(pol, &inc_only, &desk_script));
    fixture f;
    fixture_open_with(&f, pol, NULL);
    itsm_policy_free(pol);
    itsm_record *inc = pm_incident(&f, "payroll", "batch", "payroll run fails");
    itsm_change asked[5] = { { error_code, "PAY-0042 at step 3", 0 }, { seats, NULL, 40 },
                             { desk_script, "payroll-triage-v2", 0 }, { first_seen, NULL, T0 - 3600 },
                             { remote, NULL, 1 } };
    assert_ok(itsm_record_update(inc, asked, 5));
    pm_resolve(inc, "desk", "ann");
    itsm_record *prb;
    assert_ok(itsm_problem_open_from_incident(&prb, inc, NULL));
    assert_non_null(itsm_record_str(prb, error_code));
    assert_string_equal(itsm_record_str(prb, error_code), "PAY-0042 at step 3");
    assert_int_equal(itsm_record_int(prb, seats), 40);
    assert_int_equal(itsm_record_int(prb, first_seen), T0 - 3600);
    assert_int_equal(itsm_record_int(prb, remote), 1);
    assert_false(itsm_record_has(prb, desk_script));
    /* what the problem team gives when opening it wins */
    itsm_change mine = { seats, NULL, 400 };
    itsm_problem_open_opts o = ITSM_PROBLEM_OPEN_OPTS_INIT;
    o.fields = &mine;
    o.nfields = 1;
    itsm_record *second;
    assert_ok(itsm_problem_open_from_incident(&second, inc, &o));
    assert_int_equal(itsm_record_int(second, seats), 400);
    assert_string_equal(itsm_record_str(second, error_code), "PAY-0042 at step 3");
    fixture_close(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_problem_carries_every_fact_of_its_incident),
        cmocka_unit_test(a_change_carries_the_known_errors_cause_and_workaround),
        cmocka_unit_test(a_fix_applied_resolves_and_the_other_codes_close),
        cmocka_unit_test(a_to_change_verdict_hands_the_incident_straight_to_change),
        cmocka_unit_test(a_problem_carries_the_data_gathered_in_custom_fields),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
