/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Roles: what the engine needs to find in a lifecycle (the resolve event,
 * the known-error state, the auto-close event, ...) comes from the policy,
 * by meaning, not from names in C. Defaults map each role to its own name;
 * a role set explicitly must resolve and be honoured (itsm_policy_check).
 */
#include "support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Does any finding contain `needle`? */
static int finds(itsm_policy *p, const char *needle)
{
    size_t n = itsm_policy_check(p);
    for (size_t i = 0; i < n; i++)
        if (strstr(itsm_policy_finding(p, i), needle))
            return 1;
    return 0;
}

static void the_default_roles_are_the_default_names(void **state)
{
    (void)state;
    itsm_policy *p;
    assert_ok(itsm_policy_new_default(&p, NULL));
    assert_string_equal(itsm_policy_role(p, ITSM_KIND_PROBLEM, ITSM_ROLE_RESOLVE), "resolve");
    assert_string_equal(itsm_policy_role(p, ITSM_KIND_PROBLEM, ITSM_ROLE_KNOWN_ERROR), "known_error");
    assert_string_equal(itsm_policy_role(p, ITSM_KIND_PROBLEM, ITSM_ROLE_WAITS_ON_CHANGE), "fix_pending_change");
    assert_string_equal(itsm_policy_role(p, ITSM_KIND_INCIDENT, ITSM_ROLE_AUTO_CLOSE), "auto_close");
    assert_string_equal(itsm_policy_role(p, ITSM_KIND_INCIDENT, ITSM_ROLE_RESUME), "resume");
    assert_string_equal(itsm_policy_role(p, ITSM_KIND_KNOWLEDGE, ITSM_ROLE_PUBLISHED), "published");
    assert_string_equal(itsm_policy_role(p, ITSM_KIND_PROBLEM, ITSM_ROLE_FIX_APPLIED), "fix_applied");
    /* The default request lifecycle has no auto_close event: unset. */
    assert_null(itsm_policy_role(p, ITSM_KIND_SERVICE_REQUEST, ITSM_ROLE_AUTO_CLOSE));
    /* A role that does not apply to the kind. */
    assert_null(itsm_policy_role(p, ITSM_KIND_CHANGE, ITSM_ROLE_RESOLVE));
    itsm_role r;
    assert_ok(itsm_role_from_name(&r, "waits_on_change"));
    assert_int_equal(r, ITSM_ROLE_WAITS_ON_CHANGE);
    assert_int_equal(itsm_role_from_name(&r, "nope"), ITSM_ENOTFOUND);
    assert_string_equal(itsm_role_name(ITSM_ROLE_PARENT_RESOLVED), "parent_resolved");
    assert_null(itsm_role_name((itsm_role)ITSM_ROLE_COUNT));
    /* The default policy's document carries no roles: they are defaults. */
    size_t len = 0;
    itsm_policy_to_json(p, NULL, 0, &len);
    char *doc = malloc(len + 1);
    assert_ok(itsm_policy_to_json(p, doc, len + 1, &len));
    assert_null(strstr(doc, "\"roles\""));
    free(doc);
    itsm_policy_free(p);
}

static void setting_a_role_checks_the_kind_and_the_name(void **state)
{
    (void)state;
    itsm_policy *p;
    assert_ok(itsm_policy_new_default(&p, NULL));
    assert_int_equal(itsm_policy_set_role(NULL, ITSM_KIND_PROBLEM, ITSM_ROLE_RESOLVE, "x"), ITSM_EINVAL);
    assert_int_equal(itsm_policy_set_role(p, ITSM_KIND_CHANGE, ITSM_ROLE_RESOLVE, "x"), ITSM_EINVAL);
    assert_non_null(strstr(itsm_policy_errmsg(p), "does not apply to change"));
    assert_int_equal(itsm_policy_set_role(p, ITSM_KIND_PROBLEM, (itsm_role)99, "x"), ITSM_EINVAL);
    assert_int_equal(itsm_policy_set_role(p, ITSM_KIND_PROBLEM, ITSM_ROLE_RESOLVE, "Fix It"), ITSM_EINVAL);
    assert_int_equal(itsm_policy_set_role(p, ITSM_KIND_PROBLEM, ITSM_ROLE_FIX_APPLIED, "fix\x7f"), ITSM_EINVAL);
    assert_ok(itsm_policy_set_role(p, ITSM_KIND_PROBLEM, ITSM_ROLE_FIX_APPLIED, "Fixed for good"));
    assert_string_equal(itsm_policy_role(p, ITSM_KIND_PROBLEM, ITSM_ROLE_FIX_APPLIED), "Fixed for good");
    assert_ok(itsm_policy_set_role(p, ITSM_KIND_PROBLEM, ITSM_ROLE_FIX_APPLIED, NULL));   /* back to the default */
    assert_string_equal(itsm_policy_role(p, ITSM_KIND_PROBLEM, ITSM_ROLE_FIX_APPLIED), "fix_applied");
    itsm_policy_free(p);
}

/* A role that names what the lifecycle lacks, or what it cannot honour, is
 * a finding naming the role and the lifecycle; an engine refuses it. */
static void the_check_refuses_roles_the_lifecycle_cannot_honour(void **state)
{
    (void)state;
    itsm_policy *p;
    assert_ok(itsm_policy_new_default(&p, NULL));
    assert_ok(itsm_policy_set_role(p, ITSM_KIND_PROBLEM, ITSM_ROLE_RESOLVE, "fix"));
    assert_true(finds(p, "problem: role 'resolve' names event 'fix', which the lifecycle does not declare"));
    assert_ok(itsm_policy_set_role(p, ITSM_KIND_PROBLEM, ITSM_ROLE_RESOLVE, NULL));
    assert_ok(itsm_policy_set_role(p, ITSM_KIND_PROBLEM, ITSM_ROLE_KNOWN_ERROR, "limbo"));
    assert_true(finds(p, "problem: role 'known_error' names state 'limbo', which the lifecycle does not declare"));
    assert_ok(itsm_policy_set_role(p, ITSM_KIND_PROBLEM, ITSM_ROLE_KNOWN_ERROR, "closed"));
    assert_true(finds(p, "problem: role 'known_error' names state 'closed', which is closed"));
    assert_ok(itsm_policy_set_role(p, ITSM_KIND_PROBLEM, ITSM_ROLE_KNOWN_ERROR, NULL));
    /* auto_close must close; resume must not */
    assert_ok(itsm_policy_set_role(p, ITSM_KIND_INCIDENT, ITSM_ROLE_AUTO_CLOSE, "reopen"));
    assert_true(finds(p, "incident: role 'auto_close' event 'reopen' leads to 'in_progress', which is not a closed state"));
    assert_ok(itsm_policy_set_role(p, ITSM_KIND_INCIDENT, ITSM_ROLE_AUTO_CLOSE, NULL));
    assert_ok(itsm_policy_set_role(p, ITSM_KIND_INCIDENT, ITSM_ROLE_RESUME, "cancel"));
    assert_true(finds(p, "incident: role 'resume' event 'cancel' leads to 'canceled', which is a closed state"));
    fixture f;
    memset(&f, 0, sizeof f);
    itsm_engine_opts o = ITSM_ENGINE_OPTS_INIT;
    o.policy = p;
    itsm_engine *eng = NULL;
    assert_int_equal(itsm_engine_new(&eng, &o), ITSM_EPOLICY);
    assert_null(eng);
    assert_ok(itsm_policy_set_role(p, ITSM_KIND_INCIDENT, ITSM_ROLE_RESUME, NULL));
    assert_int_equal(itsm_policy_check(p), 0);
    itsm_policy_free(p);
}

/* Roles in the document: written when set, read back, the same bytes. */
static void roles_round_trip_through_the_document(void **state)
{
    (void)state;
    itsm_policy *p, *q;
    assert_ok(itsm_policy_new_default(&p, NULL));
    assert_ok(itsm_policy_set_role(p, ITSM_KIND_PROBLEM, ITSM_ROLE_FIX_APPLIED, "fixed"));
    assert_ok(itsm_policy_set_role(p, ITSM_KIND_INCIDENT, ITSM_ROLE_AWAITING_CHANGE, "change_pending"));
    size_t len = 0, len2 = 0;
    itsm_policy_to_json(p, NULL, 0, &len);
    char *a = malloc(len + 1), *b;
    assert_ok(itsm_policy_to_json(p, a, len + 1, &len));
    assert_non_null(strstr(a, "\"roles\":{\"fix_applied\":\"fixed\"}"));
    itsm_parse_error err;
    assert_ok(itsm_policy_from_json(&q, a, len, NULL, NULL, &err));
    itsm_policy_to_json(q, NULL, 0, &len2);
    b = malloc(len2 + 1);
    assert_ok(itsm_policy_to_json(q, b, len2 + 1, &len2));
    assert_string_equal(a, b);
    assert_string_equal(itsm_policy_role(q, ITSM_KIND_INCIDENT, ITSM_ROLE_AWAITING_CHANGE), "change_pending");
    free(b);
    /* An unknown role, a role that does not apply, a non-string. */
    const char *bad[] = {
        "{\"itsm_policy\":1,\"lifecycles\":{\"problem\":{\"states\":[],\"events\":[],\"transitions\":[],"
        "\"roles\":{\"fixit\":\"x\"}}}}",
        "{\"itsm_policy\":1,\"lifecycles\":{\"change\":{\"states\":[],\"events\":[],\"transitions\":[],"
        "\"roles\":{\"resolve\":\"x\"}}}}",
        "{\"itsm_policy\":1,\"lifecycles\":{\"problem\":{\"states\":[],\"events\":[],\"transitions\":[],"
        "\"roles\":{\"resolve\":7}}}}",
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        itsm_policy *r = NULL;
        assert_int_equal(itsm_policy_parse_json(&r, bad[i], strlen(bad[i]), NULL, NULL, &err), ITSM_EPARSE);
        assert_null(r);
    }
    free(a);
    itsm_policy_free(q);
    itsm_policy_free(p);
}

/* A problem lifecycle whose names all differ from the default ones, with
 * its roles mapped: closing with the fix code fires the mapped resolve
 * event, resumes the incidents waiting on it (their hold reason is the
 * mapped awaiting_problem value), and a change comes from the mapped
 * known-error state; the same story replays. */
static void a_renamed_problem_lifecycle_works_through_its_roles(void **state)
{
    (void)state;
    itsm_policy *p;
    assert_ok(itsm_policy_new_default(&p, NULL));
    itsm_kind k = ITSM_KIND_PROBLEM;
    assert_ok(itsm_policy_lifecycle_clear(p, k));
    assert_ok(itsm_policy_add_state(p, k, "logged", ITSM_STATE_INITIAL));
    assert_ok(itsm_policy_add_state(p, k, "understood", 0));
    assert_ok(itsm_policy_add_state(p, k, "mended", 0));
    assert_ok(itsm_policy_add_state(p, k, "archived", ITSM_STATE_CLOSED));
    const char *events[] = { "explain", "mend", "drop", "archive" };
    for (int i = 0; i < 4; i++)
        assert_ok(itsm_policy_add_event(p, k, events[i]));
    const char *tr[][4] = { { "logged", "explain", "understood", "cause" },
                            { "understood", "mend", "mended", "resolution_code resolution_notes" },
                            { "*", "drop", "archived", "close_justification" },
                            { "mended", "archive", "archived", NULL } };
    for (int i = 0; i < 4; i++) {
        itsm_transition_def d = ITSM_TRANSITION_DEF_INIT;
        d.from = tr[i][0];
        d.event = tr[i][1];
        d.to = tr[i][2];
        d.guard = tr[i][3];
        assert_ok(itsm_policy_add_transition(p, k, &d));
    }
    assert_ok(itsm_policy_set_role(p, k, ITSM_ROLE_RESOLVE, "mend"));
    assert_ok(itsm_policy_set_role(p, k, ITSM_ROLE_CLOSE_WITHOUT_FIX, "drop"));
    assert_ok(itsm_policy_set_role(p, k, ITSM_ROLE_KNOWN_ERROR, "understood"));
    assert_ok(itsm_policy_set_role(p, k, ITSM_ROLE_FIX_APPLIED, "mended_for_good"));
    assert_ok(itsm_policy_set_role(p, ITSM_KIND_INCIDENT, ITSM_ROLE_AWAITING_PROBLEM, "waiting_for_root_cause"));
    assert_int_equal(itsm_policy_check(p), 0);
    fixture f;
    fixture_open_with(&f, p, NULL);
    /* an incident on hold waiting for the problem */
    itsm_record_opts o = ITSM_RECORD_OPTS_INIT;
    itsm_record *inc, *prb, *chg;
    assert_ok(itsm_record_open(&inc, f.eng, &o));
    itsm_change g = { ITSM_F_ASSIGNMENT_GROUP, "desk", 0 }, a = { ITSM_F_ASSIGNEE, "ann", 0 };
    itsm_change h = { ITSM_F_HOLD_REASON, "waiting_for_root_cause", 0 };
    assert_ok(itsm_record_fire(inc, "assign", &g, 1));
    assert_ok(itsm_record_fire(inc, "start", &a, 1));
    assert_ok(itsm_record_fire(inc, "hold", &h, 1));
    assert_ok(itsm_problem_open_from_incident(&prb, inc, NULL));
    assert_fails(f.eng, itsm_change_open_from_problem(&chg, prb, NULL), ITSM_ESTATE, "known error ('understood')");
    itsm_change cause = { ITSM_F_CAUSE, "a full disk", 0 };
    assert_ok(itsm_record_fire(prb, "explain", &cause, 1));
    assert_ok(itsm_change_open_from_problem(&chg, prb, NULL));
    assert_fails(f.eng, itsm_problem_close(prb, "fix_applied", "cleaned"), ITSM_EINVAL, "mended_for_good");
    assert_ok(itsm_problem_close(prb, "mended_for_good", "cleaned the disk"));
    assert_string_equal(itsm_record_state(prb), "mended");
    assert_string_equal(itsm_record_state(inc), "in_progress");   /* resumed */
    char *live = engine_dump(f.eng);
    itsm_engine *e2;
    itsm_engine_opts o2 = ITSM_ENGINE_OPTS_INIT;
    o2.policy = p;
    assert_ok(itsm_engine_new(&e2, &o2));
    for (size_t i = 0; i < f.store.n; i++) {
        itsm_parse_error err;
        assert_ok(itsm_engine_replay_json(e2, f.store.events[i], strlen(f.store.events[i]), &err));
    }
    char *rep = engine_dump(e2);
    assert_string_equal(live, rep);
    free(live);
    free(rep);
    itsm_engine_free(e2);
    fixture_close(&f);
    itsm_policy_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_default_roles_are_the_default_names),
        cmocka_unit_test(setting_a_role_checks_the_kind_and_the_name),
        cmocka_unit_test(the_check_refuses_roles_the_lifecycle_cannot_honour),
        cmocka_unit_test(roles_round_trip_through_the_document),
        cmocka_unit_test(a_renamed_problem_lifecycle_works_through_its_roles),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
