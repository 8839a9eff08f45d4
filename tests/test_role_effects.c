/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What the engine does through roles (policy.h "roles", docs/policy.md
 * "Roles"): each role applies to the kinds its table names and no other;
 * the auto-close timer fires whatever event the auto_close role names, on
 * incidents and service requests, and a lifecycle without one has no
 * auto-close timer at all; the check names role and lifecycle for an
 * event role that nothing can fire and for close_without_fix leading to an
 * open state.
 */
#include "policy_check.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define K(k) (1u << (k))

static const struct {
    itsm_role   role;
    const char *name;
    unsigned    kinds;
} roles[ITSM_ROLE_COUNT] = {
    { ITSM_ROLE_RESOLVE, "resolve", K(ITSM_KIND_PROBLEM) },
    { ITSM_ROLE_CLOSE_WITHOUT_FIX, "close_without_fix", K(ITSM_KIND_PROBLEM) },
    { ITSM_ROLE_KNOWN_ERROR, "known_error", K(ITSM_KIND_PROBLEM) },
    { ITSM_ROLE_WAITS_ON_CHANGE, "waits_on_change", K(ITSM_KIND_PROBLEM) },
    { ITSM_ROLE_RESUME, "resume", K(ITSM_KIND_INCIDENT) },
    { ITSM_ROLE_AUTO_CLOSE, "auto_close", K(ITSM_KIND_INCIDENT) | K(ITSM_KIND_SERVICE_REQUEST) },
    { ITSM_ROLE_PARENT_RESOLVED, "parent_resolved", K(ITSM_KIND_INCIDENT) },
    { ITSM_ROLE_PUBLISHED, "published", K(ITSM_KIND_KNOWLEDGE) },
    { ITSM_ROLE_FIX_APPLIED, "fix_applied", K(ITSM_KIND_PROBLEM) },
    { ITSM_ROLE_AWAITING_CHANGE, "awaiting_change", K(ITSM_KIND_INCIDENT) },
    { ITSM_ROLE_AWAITING_PROBLEM, "awaiting_problem", K(ITSM_KIND_INCIDENT) },
};

/* Each of the 11 roles has its name both ways, and may be set on exactly
 * the kinds the table gives it. */
static void each_role_has_its_name_and_applies_to_its_kinds_only(void **state)
{
    (void)state;
    assert_int_equal(ITSM_ROLE_COUNT, 11);
    itsm_policy *p;
    assert_ok(itsm_policy_new_default(&p, NULL));
    for (int i = 0; i < ITSM_ROLE_COUNT; i++) {
        assert_string_equal(itsm_role_name(roles[i].role), roles[i].name);
        itsm_role back = (itsm_role)99;
        assert_ok(itsm_role_from_name(&back, roles[i].name));
        assert_int_equal(back, roles[i].role);
        for (int k = 1; k <= ITSM_KIND_COUNT; k++) {
            int rc = itsm_policy_set_role(p, (itsm_kind)k, roles[i].role, "some_name");
            if (roles[i].kinds & K(k)) {
                if (rc != ITSM_OK)
                    fail_msg("role %s on %s: %s", roles[i].name, itsm_kind_name((itsm_kind)k), itsm_policy_errmsg(p));
                assert_string_equal(itsm_policy_role(p, (itsm_kind)k, roles[i].role), "some_name");
                assert_ok(itsm_policy_set_role(p, (itsm_kind)k, roles[i].role, NULL));
            } else {
                if (rc != ITSM_EINVAL)
                    fail_msg("role %s on %s: got %s", roles[i].name, itsm_kind_name((itsm_kind)k), itsm_errname(rc));
                assert_null(itsm_policy_role(p, (itsm_kind)k, roles[i].role));
            }
        }
    }
    assert_null(itsm_role_name((itsm_role)-1));
    itsm_role r;
    assert_int_equal(itsm_role_from_name(NULL, "resolve"), ITSM_EINVAL);
    assert_int_equal(itsm_role_from_name(&r, NULL), ITSM_EINVAL);
    assert_int_equal(itsm_role_from_name(&r, "Resolve"), ITSM_ENOTFOUND);
    assert_int_equal(itsm_policy_set_role(p, (itsm_kind)0, ITSM_ROLE_RESOLVE, "x"), ITSM_EINVAL);
    assert_int_equal(itsm_policy_set_role(p, (itsm_kind)(ITSM_KIND_COUNT + 1), ITSM_ROLE_RESOLVE, "x"), ITSM_EINVAL);
    /* every explicit role was set back: the document carries none */
    size_t len = 0;
    itsm_policy_to_json(p, NULL, 0, &len);
    char *doc = malloc(len + 1);
    assert_ok(itsm_policy_to_json(p, doc, len + 1, &len));
    assert_null(strstr(doc, "\"roles\""));
    free(doc);
    itsm_policy_free(p);
}

/* An incident lifecycle new --resolve--> resolved --close--> closed, plus
 * resolved --`expire`--> closed when `expire` is not NULL; auto_close
 * mapped to it when `map` is set. */
static itsm_policy *lapse_policy(itsm_kind kind, const char *stop, const char *expire, int map)
{
    itsm_policy *p;
    assert_ok(itsm_policy_new_default(&p, NULL));
    assert_ok(itsm_policy_lifecycle_clear(p, kind));
    assert_ok(itsm_policy_add_state(p, kind, "new", ITSM_STATE_INITIAL));
    assert_ok(itsm_policy_add_state(p, kind, stop, 0));
    assert_ok(itsm_policy_add_state(p, kind, "closed", ITSM_STATE_CLOSED));
    assert_ok(itsm_policy_add_event(p, kind, "finish"));
    assert_ok(itsm_policy_add_event(p, kind, "close"));
    assert_ok(add_tr(p, kind, "new", "finish", stop, NULL, "resolved_at", NULL));
    assert_ok(add_tr(p, kind, stop, "close", "closed", NULL, "closed_at", NULL));
    if (expire) {
        assert_ok(itsm_policy_add_event(p, kind, expire));
        assert_ok(add_tr(p, kind, stop, expire, "closed", NULL, "closed_at", NULL));
    }
    if (map)
        assert_ok(itsm_policy_set_role(p, kind, ITSM_ROLE_AUTO_CLOSE, expire));
    if (itsm_policy_check(p))
        fail_msg("lapse policy: %s", itsm_policy_finding(p, 0));
    return p;
}

static itsm_record *open_and_finish(fixture *f, itsm_kind kind)
{
    itsm_record_opts o = ITSM_RECORD_OPTS_INIT;
    o.kind = kind;
    itsm_record *r;
    assert_ok(itsm_record_open(&r, f->eng, &o));
    assert_ok(itsm_record_fire(r, "finish", NULL, 0));
    return r;
}

/* The default period is 3 days (259200 s) after entering the stop state;
 * the timer fires the event the role names, at exactly that instant. */
static void auto_close_fires_the_event_its_role_names(void **state)
{
    (void)state;
    const itsm_kind kinds[] = { ITSM_KIND_INCIDENT, ITSM_KIND_SERVICE_REQUEST };
    const char *stops[] = { "resolved", "fulfilled" };
    for (size_t i = 0; i < 2; i++) {
        itsm_policy *p = lapse_policy(kinds[i], stops[i], "lapse", 1);
        assert_string_equal(itsm_policy_role(p, kinds[i], ITSM_ROLE_AUTO_CLOSE), "lapse");
        fixture f;
        fixture_open_with(&f, p, NULL);
        itsm_record *r = open_and_finish(&f, kinds[i]);
        assert_int_equal(itsm_engine_next_deadline(f.eng), T0 + 259200);
        size_t fired = 99;
        assert_ok(itsm_engine_tick(f.eng, T0 + 259199, &fired));
        assert_int_equal(fired, 0);
        assert_string_equal(itsm_record_state(r), stops[i]);
        assert_ok(itsm_engine_tick(f.eng, T0 + 259200, &fired));
        assert_int_equal(fired, 1);
        assert_string_equal(itsm_record_state(r), "closed");
        assert_int_equal(itsm_record_int(r, ITSM_F_CLOSED_AT), T0 + 259200);
        const char *ev = memstore_find(&f.store, "\"event\":\"lapse\"");
        assert_non_null(strstr(ev, "\"type\":\"transition\""));
        fixture_close(&f);
        itsm_policy_free(p);
    }
}

/* Without an auto_close role (no event of that name, none mapped) the
 * record stays in its stop state however long: nothing is scheduled. The
 * same event name not mapped is not the role either. */
static void a_lifecycle_without_the_auto_close_role_has_no_auto_close_timer(void **state)
{
    (void)state;
    const char *names[] = { NULL, "lapse" };
    for (size_t i = 0; i < 2; i++) {
        itsm_policy *p = lapse_policy(ITSM_KIND_INCIDENT, "resolved", names[i], 0);
        assert_null(itsm_policy_role(p, ITSM_KIND_INCIDENT, ITSM_ROLE_AUTO_CLOSE));
        fixture f;
        fixture_open_with(&f, p, NULL);
        itsm_record *r = open_and_finish(&f, ITSM_KIND_INCIDENT);
        size_t stored = f.store.n;
        assert_int_equal(itsm_engine_next_deadline(f.eng), ITSM_TIME_NONE);
        size_t fired = 99;
        assert_ok(itsm_engine_tick(f.eng, T0 + 10 * 365 * 86400LL, &fired));
        assert_int_equal(fired, 0);
        assert_string_equal(itsm_record_state(r), "resolved");
        assert_int_equal(f.store.n, stored);
        fixture_close(&f);
        itsm_policy_free(p);
    }
    /* A lifecycle whose event is called auto_close has the role by default. */
    itsm_policy *p = lapse_policy(ITSM_KIND_INCIDENT, "resolved", "auto_close", 0);
    assert_string_equal(itsm_policy_role(p, ITSM_KIND_INCIDENT, ITSM_ROLE_AUTO_CLOSE), "auto_close");
    fixture f;
    fixture_open_with(&f, p, NULL);
    itsm_record *r = open_and_finish(&f, ITSM_KIND_INCIDENT);
    assert_ok(itsm_engine_tick(f.eng, T0 + 259200, NULL));
    assert_string_equal(itsm_record_state(r), "closed");
    fixture_close(&f);
    itsm_policy_free(p);
}

static int finds(itsm_policy *p, const char *a, const char *b)
{
    size_t n = itsm_policy_check(p);
    for (size_t i = 0; i < n; i++) {
        const char *f = itsm_policy_finding(p, i);
        if (strstr(f, a) && (!b || strstr(f, b)))
            return 1;
    }
    return 0;
}

/* The check names lifecycle and role: an event role nothing can fire (no
 * transition uses the event), and close_without_fix leading to an open
 * state (it must close the problem). */
static void the_check_names_roles_the_engine_could_not_honour(void **state)
{
    (void)state;
    itsm_policy *p = lapse_policy(ITSM_KIND_INCIDENT, "resolved", NULL, 0);
    assert_ok(itsm_policy_add_event(p, ITSM_KIND_INCIDENT, "lapse"));   /* declared, no transition */
    assert_ok(itsm_policy_set_role(p, ITSM_KIND_INCIDENT, ITSM_ROLE_AUTO_CLOSE, "lapse"));
    assert_true(finds(p, "incident: role 'auto_close'", "'lapse'"));
    itsm_engine_opts o = ITSM_ENGINE_OPTS_INIT;
    o.policy = p;
    itsm_engine *eng = NULL;
    assert_int_equal(itsm_engine_new(&eng, &o), ITSM_EPOLICY);
    assert_null(eng);
    itsm_policy_free(p);

    assert_ok(itsm_policy_new_default(&p, NULL));
    assert_int_equal(itsm_policy_check(p), 0);
    /* the problem's identify step leads to known_error, an open state */
    assert_ok(itsm_policy_set_role(p, ITSM_KIND_PROBLEM, ITSM_ROLE_CLOSE_WITHOUT_FIX, "identify"));
    assert_true(finds(p, "problem: role 'close_without_fix'", "'known_error'"));
    assert_ok(itsm_policy_set_role(p, ITSM_KIND_PROBLEM, ITSM_ROLE_CLOSE_WITHOUT_FIX, NULL));
    /* the published role on a closed knowledge state */
    assert_ok(itsm_policy_set_role(p, ITSM_KIND_KNOWLEDGE, ITSM_ROLE_PUBLISHED, "nowhere"));
    assert_true(finds(p, "knowledge: role 'published' names state 'nowhere', which the lifecycle does not declare",
                      NULL));
    assert_ok(itsm_policy_set_role(p, ITSM_KIND_KNOWLEDGE, ITSM_ROLE_PUBLISHED, NULL));
    assert_int_equal(itsm_policy_check(p), 0);
    itsm_policy_free(p);
}

/* The incident roles that wait on a problem, renamed: an incident on hold
 * for the mapped awaiting_change value resumes through the mapped resume
 * event when its problem is fixed; one on hold for the default name, no
 * longer the role's value, stays on hold and is not told. */
static void a_fixed_problem_resumes_through_the_mapped_value_and_event(void **state)
{
    (void)state;
    itsm_policy *p;
    assert_ok(itsm_policy_new_default(&p, NULL));
    itsm_kind k = ITSM_KIND_PROBLEM;
    assert_ok(itsm_policy_lifecycle_clear(p, k));
    assert_ok(itsm_policy_add_state(p, k, "logged", ITSM_STATE_INITIAL));
    assert_ok(itsm_policy_add_state(p, k, "mended", 0));
    assert_ok(itsm_policy_add_state(p, k, "archived", ITSM_STATE_CLOSED));
    const char *evs[] = { "mend", "drop", "archive" };
    for (int i = 0; i < 3; i++)
        assert_ok(itsm_policy_add_event(p, k, evs[i]));
    assert_ok(add_tr(p, k, "logged", "mend", "mended", "resolution_code resolution_notes", NULL, NULL));
    assert_ok(add_tr(p, k, "*", "drop", "archived", NULL, NULL, NULL));
    assert_ok(add_tr(p, k, "mended", "archive", "archived", NULL, NULL, NULL));
    assert_ok(itsm_policy_set_role(p, k, ITSM_ROLE_RESOLVE, "mend"));
    assert_ok(itsm_policy_set_role(p, k, ITSM_ROLE_CLOSE_WITHOUT_FIX, "drop"));
    /* the incident side: a resume of its own that goes back to assigned */
    assert_ok(itsm_policy_add_event(p, ITSM_KIND_INCIDENT, "carry_on"));
    assert_ok(add_tr(p, ITSM_KIND_INCIDENT, "on_hold", "carry_on", "assigned", NULL, NULL, "hold_reason"));
    assert_ok(itsm_policy_set_role(p, ITSM_KIND_INCIDENT, ITSM_ROLE_RESUME, "carry_on"));
    assert_ok(itsm_policy_set_role(p, ITSM_KIND_INCIDENT, ITSM_ROLE_AWAITING_CHANGE, "change_pending"));
    if (itsm_policy_check(p))
        fail_msg("policy: %s", itsm_policy_finding(p, 0));

    fixture f;
    fixture_open_with(&f, p, NULL);
    itsm_record *inc[2], *prb;
    const char *reasons[] = { "change_pending", "awaiting_change" };
    for (int i = 0; i < 2; i++) {
        itsm_record_opts o = ITSM_RECORD_OPTS_INIT;
        assert_ok(itsm_record_open(&inc[i], f.eng, &o));
        itsm_change ga[] = { { ITSM_F_ASSIGNMENT_GROUP, "desk", 0 }, { ITSM_F_ASSIGNEE, "ann", 0 } };
        assert_ok(itsm_record_fire(inc[i], "start", ga, 2));
        itsm_change h = { ITSM_F_HOLD_REASON, reasons[i], 0 };
        assert_ok(itsm_record_fire(inc[i], "hold", &h, 1));
    }
    assert_ok(itsm_problem_open_from_incident(&prb, inc[0], NULL));
    assert_ok(itsm_record_link(inc[1], ITSM_LINK_RELATED, prb));
    size_t notes1 = itsm_record_timeline_count(inc[1]);
    assert_ok(itsm_problem_close(prb, "fix_applied", "patched the relay"));
    assert_string_equal(itsm_record_state(prb), "mended");
    assert_string_equal(itsm_record_state(inc[0]), "assigned");
    assert_null(itsm_record_str(inc[0], ITSM_F_HOLD_REASON));
    const char *ev = memstore_find(&f.store, "\"event\":\"carry_on\"");
    assert_non_null(strstr(ev, itsm_record_id(inc[0])));
    assert_string_equal(itsm_record_state(inc[1]), "on_hold");
    assert_int_equal(itsm_record_timeline_count(inc[1]), notes1);
    fixture_close(&f);
    itsm_policy_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(each_role_has_its_name_and_applies_to_its_kinds_only),
        cmocka_unit_test(auto_close_fires_the_event_its_role_names),
        cmocka_unit_test(a_lifecycle_without_the_auto_close_role_has_no_auto_close_timer),
        cmocka_unit_test(the_check_names_roles_the_engine_could_not_honour),
        cmocka_unit_test(a_fixed_problem_resumes_through_the_mapped_value_and_event),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
