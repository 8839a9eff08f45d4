/* SPDX-License-Identifier: Apache-2.0 */
/* Policies beyond the default: the ServiceNow-style incident example
 * (tests/data/policy/servicenow_incident.json) parses, checks and drives a
 * record; a field stamped twice replays. */
#include "policy_check.h"

/* ---- the ServiceNow-style example ----------------------------------------------- */

static void servicenow_style_incident_policy_parses_checks_and_drives_a_record(void **state)
{
    (void)state;
    size_t len;
    char *doc = read_file(ITSM_TEST_DATA "/policy/servicenow_incident.json", &len);
    assert_non_null(doc);
    itsm_policy *p;
    itsm_parse_error err;
    int rc = itsm_policy_from_json(&p, doc, len, NULL, NULL, &err);
    if (rc)
        fail_msg("%s at %zu:%zu: %s", itsm_errname(rc), err.line, err.column, err.text);
    assert_int_equal(itsm_policy_check(p), 0);
    /* It round-trips like any policy. */
    char *a = to_json(p);
    itsm_policy *q;
    assert_ok(itsm_policy_from_json(&q, a, strlen(a), NULL, NULL, NULL));
    char *b = to_json(q);
    assert_string_equal(a, b);
    itsm_policy_free(q);
    free(a);
    free(b);

    fixture f;
    fixture_open_with(&f, p, NULL);
    itsm_record *r;
    itsm_change init[] = { { ITSM_F_SUMMARY, "Cannot print", 0 }, { ITSM_F_CALLER, "frank", 0 },
                           { ITSM_F_IMPACT, NULL, 3 }, { ITSM_F_URGENCY, NULL, 2 } };
    itsm_record_opts o = ITSM_RECORD_OPTS_INIT;
    o.fields = init;
    o.nfields = 4;
    assert_ok(itsm_record_open(&r, f.eng, &o));
    assert_string_equal(itsm_record_state(r), "new");
    assert_int_equal(itsm_record_int(r, ITSM_F_PRIORITY), 4);
    assert_fails(f.eng, itsm_record_fire(r, "start", NULL, 0), ITSM_EGUARD,
                 "transition 'start' from 'new' needs fields 'assignment_group', 'assignee'");
    itsm_change s[] = { { ITSM_F_ASSIGNMENT_GROUP, "desk", 0 }, { ITSM_F_ASSIGNEE, "gina", 0 } };
    f.clock.now += 300;
    assert_ok(itsm_record_fire(r, "start", s, 2));
    assert_string_equal(itsm_record_state(r), "active");
    assert_int_equal(itsm_record_int(r, ITSM_F_RESPONDED_AT), T0 + 300);
    const char *waits[][2] = { { "await_user_info", "awaiting_user_info" },
                               { "await_vendor", "awaiting_vendor" },
                               { "await_problem", "awaiting_problem" },
                               { "await_evidence", "awaiting_evidence" } };
    for (size_t i = 0; i < 4; i++) {
        itsm_change why = { ITSM_F_HOLD_REASON, "waiting", 0 };
        if (strcmp(waits[i][0], "await_vendor") == 0) {
            assert_fails(f.eng, itsm_record_fire(r, waits[i][0], &why, 1), ITSM_EGUARD,
                         "transition 'await_vendor' from 'active' needs field 'ci'");
            assert_ok(itsm_record_set_str(r, ITSM_F_CI, "printer-7"));
        }
        assert_ok(itsm_record_fire(r, waits[i][0], &why, 1));
        assert_string_equal(itsm_record_state(r), waits[i][1]);
        assert_fails(f.eng, itsm_record_fire(r, "close", NULL, 0), ITSM_ETRANSITION, "no transition 'close'");
        assert_ok(itsm_record_fire(r, "resume", NULL, 0));
        assert_string_equal(itsm_record_state(r), "active");
        assert_false(itsm_record_has(r, ITSM_F_HOLD_REASON));
    }
    itsm_change res[] = { { ITSM_F_RESOLUTION_CODE, "solved_permanently", 0 },
                          { ITSM_F_RESOLUTION_NOTES, "driver reinstalled", 0 } };
    f.clock.now += 300;
    assert_ok(itsm_record_fire(r, "resolve", res, 2));
    assert_string_equal(itsm_record_state(r), "resolved");
    assert_int_equal(itsm_record_int(r, ITSM_F_RESOLVED_AT), T0 + 600);
    assert_ok(itsm_record_fire(r, "reopen", NULL, 0));
    assert_int_equal(itsm_record_int(r, ITSM_F_REOPENS), 1);
    assert_ok(itsm_record_fire(r, "resolve", NULL, 0));
    assert_fails(f.eng, itsm_record_fire(r, "close", NULL, 0), ITSM_EGUARD,
                 "transition 'close' from 'resolved' needs field 'category'");
    itsm_change cat = { ITSM_F_CATEGORY, "hardware", 0 };
    f.clock.now += 300;
    assert_ok(itsm_record_fire(r, "close", &cat, 1));
    assert_string_equal(itsm_record_state(r), "closed");
    assert_false(itsm_record_is_open(r));
    assert_int_equal(itsm_record_int(r, ITSM_F_CLOSED_AT), T0 + 900);
    assert_fails(f.eng, itsm_record_fire(r, "cancel", NULL, 0), ITSM_ETRANSITION,
                 "no transition 'cancel' from 'closed'");
    /* Cancel from an open state. */
    assert_ok(itsm_record_open(&r, f.eng, &o));
    assert_ok(itsm_record_fire(r, "cancel", NULL, 0));
    assert_string_equal(itsm_record_state(r), "canceled");
    /* The document holds only an incident lifecycle. */
    o.kind = ITSM_KIND_PROBLEM;
    o.fields = NULL;
    o.nfields = 0;
    assert_fails(f.eng, itsm_record_open(&r, f.eng, &o), ITSM_ENOTFOUND, "no lifecycle for problem");
    fixture_close(&f);
    itsm_policy_free(p);
    free(doc);
}

/* A stamp naming a field twice ("resolved_at resolved_at") puts it once
 * into the step's event, whose JSON then replays (a duplicate key would
 * not). */
static void a_field_stamped_twice_replays(void **state)
{
    (void)state;
    itsm_policy *pol = small_incident_policy("resolved_at resolved_at", "closed");
    fixture f;
    fixture_open_with(&f, pol, NULL);
    itsm_policy_free(pol);
    itsm_record_opts o = ITSM_RECORD_OPTS_INIT;
    itsm_record *r;
    assert_ok(itsm_record_open(&r, f.eng, &o));
    f.clock.now += 60;
    assert_ok(itsm_record_fire(r, "resolve", NULL, 0));
    assert_int_equal(itsm_record_int(r, ITSM_F_RESOLVED_AT), T0 + 60);
    itsm_engine *e2;
    itsm_engine_opts eo = ITSM_ENGINE_OPTS_INIT;
    eo.policy = itsm_engine_policy(f.eng);
    assert_ok(itsm_engine_new(&e2, &eo));
    for (size_t i = 0; i < f.store.n; i++) {
        itsm_parse_error err;
        int rc = itsm_engine_replay_json(e2, f.store.events[i], strlen(f.store.events[i]), &err);
        if (rc)
            fail_msg("replay of %s: %s", f.store.events[i], itsm_errmsg(e2));
    }
    char *a = engine_dump(f.eng), *b = engine_dump(e2);
    assert_string_equal(a, b);
    free(a);
    free(b);
    itsm_engine_free(e2);
    fixture_close(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_field_stamped_twice_replays),
        cmocka_unit_test(servicenow_style_incident_policy_parses_checks_and_drives_a_record),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
