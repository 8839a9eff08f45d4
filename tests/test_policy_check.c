/* SPDX-License-Identifier: Apache-2.0 */
/* The lifecycle check: every defect found and named (a state nothing can
 * reach, an open state with no way out - no transition leaves it, or none
 * of its paths reaches a closed state -, no closed state, a closed initial
 * state, a guard on a field no step sets before it or that the kind does
 * not have, an unused event, no initial state), every finding of every
 * lifecycle listed, and the default policy clean. */
#include "policy_check.h"

/* ---- lifecycle defects --------------------------------------------------------- */

/* Check `p` finds exactly `want` (in order), that an engine refuses it,
 * and that its document is refused by itsm_policy_from_json but accepted
 * by itsm_policy_parse_json, whose check lists the same findings. */
static void expect_findings(itsm_policy *p, const char *const *want)
{
    size_t nwant = 0;
    while (want[nwant])
        nwant++;
    size_t n = itsm_policy_check(p);
    for (size_t i = 0; i < n || i < nwant; i++) {
        const char *got = itsm_policy_finding(p, i);
        if (i >= n || i >= nwant || strcmp(got, want[i]) != 0)
            fail_msg("finding %zu: got \"%s\", wanted \"%s\"", i, got ? got : "(none)",
                     i < nwant ? want[i] : "(none)");
    }
    assert_int_equal(n, nwant);
    assert_null(itsm_policy_finding(p, n));
    assert_null(itsm_policy_finding(NULL, 0));
    /* Checking twice gives the same report. */
    assert_int_equal(itsm_policy_check(p), n);
    assert_string_equal(itsm_policy_finding(p, 0), want[0]);

    itsm_engine *eng = (itsm_engine *)&eng;
    itsm_engine_opts o = ITSM_ENGINE_OPTS_INIT;
    o.policy = p;
    assert_int_equal(itsm_engine_new(&eng, &o), ITSM_EPOLICY);
    assert_null(eng);

    char *doc = to_json(p);
    itsm_policy *q = (itsm_policy *)&q;
    itsm_parse_error err;
    assert_int_equal(itsm_policy_from_json(&q, doc, strlen(doc), NULL, NULL, &err), ITSM_EPOLICY);
    assert_null(q);
    assert_int_equal(err.code, ITSM_EPOLICY);
    assert_non_null(strstr(err.text, want[0]));
    if (nwant > 1) {
        char more[32];
        snprintf(more, sizeof more, "(and %zu more)", nwant - 1);
        assert_non_null(strstr(err.text, more));
    }
    assert_ok(itsm_policy_parse_json(&q, doc, strlen(doc), NULL, NULL, &err));
    assert_int_equal(itsm_policy_check(q), nwant);
    for (size_t i = 0; i < nwant; i++)
        assert_string_equal(itsm_policy_finding(q, i), want[i]);
    itsm_policy_free(q);
    free(doc);
}

static void check_finds_a_state_nothing_can_reach(void **state)
{
    (void)state;
    itsm_policy *p = small_policy();
    assert_ok(itsm_policy_add_state(p, ITSM_KIND_INCIDENT, "limbo", 0));
    assert_ok(add_tr(p, ITSM_KIND_INCIDENT, "limbo", "finish", "done", NULL, NULL, NULL));
    const char *want[] = { "incident: state 'limbo' is unreachable from 'new'", NULL };
    expect_findings(p, want);
    /* Reachable only from a closed state is still reachable. */
    assert_ok(itsm_policy_add_event(p, ITSM_KIND_INCIDENT, "revive"));
    assert_ok(add_tr(p, ITSM_KIND_INCIDENT, "done", "revive", "limbo", NULL, NULL, NULL));
    assert_int_equal(itsm_policy_check(p), 0);
    itsm_policy_free(p);

    /* An unreachable closed state, and a chain of them. */
    p = small_policy();
    assert_ok(itsm_policy_add_state(p, ITSM_KIND_INCIDENT, "orphan", 0));
    assert_ok(itsm_policy_add_state(p, ITSM_KIND_INCIDENT, "archived", ITSM_STATE_CLOSED));
    assert_ok(add_tr(p, ITSM_KIND_INCIDENT, "orphan", "finish", "archived", NULL, NULL, NULL));
    const char *want2[] = { "incident: state 'orphan' is unreachable from 'new'",
                            "incident: state 'archived' is unreachable from 'new'", NULL };
    expect_findings(p, want2);
    itsm_policy_free(p);
}

static void check_finds_an_open_state_with_no_way_out(void **state)
{
    (void)state;
    itsm_policy *p = small_policy();
    assert_ok(itsm_policy_lifecycle_clear(p, ITSM_KIND_INCIDENT));
    assert_ok(itsm_policy_add_state(p, ITSM_KIND_INCIDENT, "new", ITSM_STATE_INITIAL));
    assert_ok(itsm_policy_add_state(p, ITSM_KIND_INCIDENT, "stuck", 0));
    assert_ok(itsm_policy_add_state(p, ITSM_KIND_INCIDENT, "done", ITSM_STATE_CLOSED));
    assert_ok(itsm_policy_add_event(p, ITSM_KIND_INCIDENT, "park"));
    assert_ok(itsm_policy_add_event(p, ITSM_KIND_INCIDENT, "finish"));
    assert_ok(add_tr(p, ITSM_KIND_INCIDENT, "new", "park", "stuck", NULL, NULL, NULL));
    assert_ok(add_tr(p, ITSM_KIND_INCIDENT, "new", "finish", "done", NULL, NULL, NULL));
    const char *want[] = { "incident: open state 'stuck' has no way out", NULL };
    expect_findings(p, want);
    /* A "*" transition is a way out of every open state. */
    assert_ok(itsm_policy_add_event(p, ITSM_KIND_INCIDENT, "drop"));
    assert_ok(add_tr(p, ITSM_KIND_INCIDENT, "*", "drop", "done", NULL, NULL, NULL));
    assert_int_equal(itsm_policy_check(p), 0);
    itsm_policy_free(p);

    /* A closed state needs no way out; an initial state does. */
    itsm_policy *q;
    assert_ok(itsm_policy_new_empty(&q, NULL));
    assert_ok(itsm_policy_add_state(q, ITSM_KIND_PROBLEM, "only", ITSM_STATE_INITIAL));
    assert_ok(itsm_policy_add_state(q, ITSM_KIND_PROBLEM, "done", ITSM_STATE_CLOSED));
    const char *want2[] = { "problem: state 'done' is unreachable from 'only'",
                            "problem: open state 'only' has no way out", NULL };
    expect_findings(q, want2);
    itsm_policy_free(q);
}

/* A lifecycle for the way-out checks: new --finish--> done (closed),
 * new --jam--> stuck. */
static itsm_policy *jam_policy(void)
{
    itsm_policy *p;
    assert_ok(itsm_policy_new_empty(&p, NULL));
    assert_ok(itsm_policy_add_state(p, ITSM_KIND_INCIDENT, "new", ITSM_STATE_INITIAL));
    assert_ok(itsm_policy_add_state(p, ITSM_KIND_INCIDENT, "stuck", 0));
    assert_ok(itsm_policy_add_state(p, ITSM_KIND_INCIDENT, "done", ITSM_STATE_CLOSED));
    assert_ok(itsm_policy_add_event(p, ITSM_KIND_INCIDENT, "finish"));
    assert_ok(itsm_policy_add_event(p, ITSM_KIND_INCIDENT, "jam"));
    assert_ok(add_tr(p, ITSM_KIND_INCIDENT, "new", "finish", "done", NULL, NULL, NULL));
    assert_ok(add_tr(p, ITSM_KIND_INCIDENT, "new", "jam", "stuck", NULL, NULL, NULL));
    return p;
}

static void check_finds_an_open_state_whose_only_transition_loops_back(void **state)
{
    (void)state;
    itsm_policy *p = jam_policy();
    assert_ok(itsm_policy_add_event(p, ITSM_KIND_INCIDENT, "spin"));
    assert_ok(add_tr(p, ITSM_KIND_INCIDENT, "stuck", "spin", "stuck", NULL, NULL, NULL));
    const char *want[] = { "incident: open state 'stuck' has no way out: no path from it reaches a closed state",
                           NULL };
    expect_findings(p, want);
    /* A "*" transition into itself is no way out either. */
    assert_ok(itsm_policy_add_event(p, ITSM_KIND_INCIDENT, "park"));
    assert_ok(add_tr(p, ITSM_KIND_INCIDENT, "*", "park", "stuck", NULL, NULL, NULL));
    expect_findings(p, want);
    /* One step to a closed state is. */
    assert_ok(add_tr(p, ITSM_KIND_INCIDENT, "stuck", "finish", "done", NULL, NULL, NULL));
    assert_int_equal(itsm_policy_check(p), 0);
    itsm_policy_free(p);
}

static void check_finds_a_cycle_of_open_states_that_reaches_no_closed_state(void **state)
{
    (void)state;
    itsm_policy *p = jam_policy();
    assert_ok(itsm_policy_add_state(p, ITSM_KIND_INCIDENT, "other", 0));
    assert_ok(itsm_policy_add_event(p, ITSM_KIND_INCIDENT, "swap"));
    assert_ok(add_tr(p, ITSM_KIND_INCIDENT, "stuck", "swap", "other", NULL, NULL, NULL));
    assert_ok(add_tr(p, ITSM_KIND_INCIDENT, "other", "swap", "stuck", NULL, NULL, NULL));
    const char *want[] = { "incident: open state 'stuck' has no way out: no path from it reaches a closed state",
                           "incident: open state 'other' has no way out: no path from it reaches a closed state",
                           NULL };
    expect_findings(p, want);
    /* A way out of one state of the cycle frees both; a "*" one, every open state. */
    assert_ok(add_tr(p, ITSM_KIND_INCIDENT, "other", "finish", "done", NULL, NULL, NULL));
    assert_int_equal(itsm_policy_check(p), 0);
    itsm_policy_free(p);
    p = jam_policy();
    assert_ok(itsm_policy_add_state(p, ITSM_KIND_INCIDENT, "other", 0));
    assert_ok(itsm_policy_add_event(p, ITSM_KIND_INCIDENT, "swap"));
    assert_ok(itsm_policy_add_event(p, ITSM_KIND_INCIDENT, "drop"));
    assert_ok(add_tr(p, ITSM_KIND_INCIDENT, "stuck", "swap", "other", NULL, NULL, NULL));
    assert_ok(add_tr(p, ITSM_KIND_INCIDENT, "other", "swap", "stuck", NULL, NULL, NULL));
    assert_ok(add_tr(p, ITSM_KIND_INCIDENT, "*", "drop", "done", NULL, NULL, NULL));
    assert_int_equal(itsm_policy_check(p), 0);
    itsm_policy_free(p);
}

static void check_finds_a_lifecycle_without_a_closed_state(void **state)
{
    (void)state;
    itsm_policy *p;
    assert_ok(itsm_policy_new_empty(&p, NULL));
    assert_ok(itsm_policy_add_state(p, ITSM_KIND_CHANGE, "new", ITSM_STATE_INITIAL));
    assert_ok(itsm_policy_add_state(p, ITSM_KIND_CHANGE, "live", 0));
    assert_ok(itsm_policy_add_event(p, ITSM_KIND_CHANGE, "go"));
    assert_ok(itsm_policy_add_event(p, ITSM_KIND_CHANGE, "back"));
    assert_ok(add_tr(p, ITSM_KIND_CHANGE, "new", "go", "live", NULL, NULL, NULL));
    assert_ok(add_tr(p, ITSM_KIND_CHANGE, "live", "back", "new", NULL, NULL, NULL));
    /* One finding for the cause, not one per open state. */
    const char *want[] = { "change: no closed state", NULL };
    expect_findings(p, want);
    itsm_policy_free(p);
}

static void check_finds_an_initial_state_that_is_closed(void **state)
{
    (void)state;
    itsm_policy *p;
    assert_ok(itsm_policy_new_empty(&p, NULL));
    assert_ok(itsm_policy_add_state(p, ITSM_KIND_INCIDENT, "new", ITSM_STATE_INITIAL | ITSM_STATE_CLOSED));
    assert_ok(itsm_policy_add_state(p, ITSM_KIND_INCIDENT, "work", 0));
    assert_ok(itsm_policy_add_event(p, ITSM_KIND_INCIDENT, "go"));
    assert_ok(add_tr(p, ITSM_KIND_INCIDENT, "new", "go", "work", NULL, NULL, NULL));
    assert_ok(add_tr(p, ITSM_KIND_INCIDENT, "work", "go", "new", NULL, NULL, NULL));
    const char *want[] = { "incident: initial state 'new' is closed", NULL };
    expect_findings(p, want);
    itsm_policy_free(p);
}

static void check_finds_a_guard_on_a_field_no_step_sets(void **state)
{
    (void)state;
    itsm_policy *p;
    assert_ok(itsm_policy_new_empty(&p, NULL));
    const itsm_kind k = ITSM_KIND_SERVICE_REQUEST;
    assert_ok(itsm_policy_add_state(p, k, "new", ITSM_STATE_INITIAL));
    assert_ok(itsm_policy_add_state(p, k, "done", ITSM_STATE_CLOSED));
    assert_ok(itsm_policy_add_event(p, k, "close"));
    assert_ok(itsm_policy_add_event(p, k, "redo"));
    assert_ok(add_tr(p, k, "new", "close", "done", "resolved_at", "closed_at", NULL));
    assert_ok(add_tr(p, k, "done", "redo", "new", "reopens responded_at|closed_at", NULL, NULL));
    const char *want[] = {
        "service_request: state 'new': guard of 'close' needs field 'resolved_at', which no step sets",
        "service_request: state 'done': guard of 'redo' needs field 'reopens', which no step sets",
        NULL
    };
    expect_findings(p, want);
    itsm_policy_free(p);

    /* Once a step stamps resolved_at and one counts reopens, both guards
     * can hold; "a|b" needs only one settable field. The engine's own
     * fields opened_at, updated_at and reassignments always count. */
    assert_ok(itsm_policy_new_empty(&p, NULL));
    assert_ok(itsm_policy_add_state(p, k, "new", ITSM_STATE_INITIAL));
    assert_ok(itsm_policy_add_state(p, k, "solved", 0));
    assert_ok(itsm_policy_add_state(p, k, "done", ITSM_STATE_CLOSED));
    assert_ok(itsm_policy_add_event(p, k, "solve"));
    assert_ok(itsm_policy_add_event(p, k, "close"));
    assert_ok(itsm_policy_add_event(p, k, "reopen"));
    assert_ok(itsm_policy_add_event(p, k, "redo"));
    assert_ok(add_tr(p, k, "new", "solve", "solved", "opened_at updated_at reassignments", "resolved_at", NULL));
    assert_ok(add_tr(p, k, "solved", "close", "done", "resolved_at", "closed_at", NULL));
    itsm_transition_def d = ITSM_TRANSITION_DEF_INIT;
    d.from = "done";
    d.event = "reopen";
    d.to = "solved";
    d.counts_reopen = 1;
    assert_ok(itsm_policy_add_transition(p, k, &d));
    assert_ok(add_tr(p, k, "done", "redo", "new", "reopens|responded_at closed_at", NULL, NULL));
    assert_int_equal(itsm_policy_check(p), 0);
    itsm_policy_free(p);
}

/* A step's stamps and its reopen count follow its guard: a guard on a
 * field only that step sets never holds. */
static void check_finds_a_guard_on_a_field_only_its_own_step_sets(void **state)
{
    (void)state;
    itsm_policy *p = jam_policy();
    assert_ok(itsm_policy_add_event(p, ITSM_KIND_INCIDENT, "seal"));
    assert_ok(add_tr(p, ITSM_KIND_INCIDENT, "stuck", "seal", "done", "closed_at", "closed_at", NULL));
    itsm_transition_def d = ITSM_TRANSITION_DEF_INIT;
    d.from = "done";
    d.event = "jam";
    d.to = "stuck";
    d.guard = "reopens";
    d.counts_reopen = 1;
    assert_ok(itsm_policy_add_transition(p, ITSM_KIND_INCIDENT, &d));
    const char *want[] = {
        "incident: state 'stuck': guard of 'seal' needs field 'closed_at', which only that step sets, after its guard",
        "incident: state 'done': guard of 'jam' needs field 'reopens', which only that step sets, after its guard",
        NULL
    };
    expect_findings(p, want);
    itsm_policy_free(p);
    /* Another step that stamps it makes the guard sound. */
    p = jam_policy();
    assert_ok(itsm_policy_add_event(p, ITSM_KIND_INCIDENT, "seal"));
    assert_ok(itsm_policy_add_event(p, ITSM_KIND_INCIDENT, "drop"));
    assert_ok(add_tr(p, ITSM_KIND_INCIDENT, "stuck", "seal", "done", "closed_at", "closed_at", NULL));
    assert_ok(add_tr(p, ITSM_KIND_INCIDENT, "*", "drop", "done", NULL, "closed_at", NULL));
    assert_int_equal(itsm_policy_check(p), 0);
    itsm_policy_free(p);
}

/* A custom field applies to the kinds it names: records of another kind
 * can never be given it (ITSM_EINVAL), so a guard of their lifecycle on it
 * never holds; "a|b" is sound when one of them applies. */
static void check_finds_a_guard_on_a_custom_field_of_another_kind(void **state)
{
    (void)state;
    itsm_policy *p;
    assert_ok(itsm_policy_new_empty(&p, NULL));
    static const char *const tiers[] = { "gold", "silver" };
    itsm_field_def fd = ITSM_FIELD_DEF_INIT;
    fd.name = "tier";
    fd.type = ITSM_TYPE_ENUM;
    fd.values = tiers;
    fd.nvalues = 2;
    fd.kinds = 1u << ITSM_KIND_PROBLEM;
    assert_ok(itsm_policy_add_field(p, &fd, NULL));
    fd.name = "seats";
    fd.type = ITSM_TYPE_INT;
    fd.values = NULL;
    fd.nvalues = 0;
    fd.min = 1;
    fd.max = 10;
    fd.kinds = 1u << ITSM_KIND_PROBLEM | 1u << ITSM_KIND_INCIDENT;
    assert_ok(itsm_policy_add_field(p, &fd, NULL));
    const itsm_kind kinds[] = { ITSM_KIND_INCIDENT, ITSM_KIND_PROBLEM };
    for (size_t i = 0; i < 2; i++) {
        assert_ok(itsm_policy_add_state(p, kinds[i], "new", ITSM_STATE_INITIAL));
        assert_ok(itsm_policy_add_state(p, kinds[i], "done", ITSM_STATE_CLOSED));
        assert_ok(itsm_policy_add_event(p, kinds[i], "finish"));
        assert_ok(itsm_policy_add_event(p, kinds[i], "rate"));
        assert_ok(add_tr(p, kinds[i], "new", "finish", "done", "tier seats tier|seats", NULL, NULL));
        assert_ok(add_tr(p, kinds[i], "*", "rate", "done", "tier=gold", NULL, NULL));
    }
    const char *want[] = {
        "incident: state 'new': guard of 'finish' needs field 'tier', which does not apply to incident records",
        "incident: state '*': guard of 'rate' needs field 'tier', which does not apply to incident records",
        NULL
    };
    expect_findings(p, want);
    itsm_policy_free(p);
}

static void check_finds_an_event_no_transition_uses(void **state)
{
    (void)state;
    itsm_policy *p = small_policy();
    assert_ok(itsm_policy_add_event(p, ITSM_KIND_INCIDENT, "ping"));
    const char *want[] = { "incident: event 'ping' is used by no transition", NULL };
    expect_findings(p, want);
    itsm_policy_free(p);
}

static void check_finds_a_lifecycle_without_an_initial_state(void **state)
{
    (void)state;
    itsm_policy *p;
    assert_ok(itsm_policy_new_default(&p, NULL));
    assert_ok(itsm_policy_lifecycle_clear(p, ITSM_KIND_KNOWLEDGE));
    assert_ok(itsm_policy_add_state(p, ITSM_KIND_KNOWLEDGE, "draft", 0));
    assert_ok(itsm_policy_add_state(p, ITSM_KIND_KNOWLEDGE, "gone", ITSM_STATE_CLOSED));
    assert_ok(itsm_policy_add_event(p, ITSM_KIND_KNOWLEDGE, "retire"));
    assert_ok(add_tr(p, ITSM_KIND_KNOWLEDGE, "draft", "retire", "gone", NULL, NULL, NULL));
    const char *want[] = { "knowledge: no initial state", NULL };
    expect_findings(p, want);
    itsm_policy_free(p);

    /* Events alone make a lifecycle too. */
    assert_ok(itsm_policy_new_empty(&p, NULL));
    assert_ok(itsm_policy_add_event(p, ITSM_KIND_CHANGE, "go"));
    const char *want2[] = { "change: no initial state", NULL };
    expect_findings(p, want2);
    itsm_policy_free(p);
}

static void check_lists_every_finding_of_every_lifecycle(void **state)
{
    (void)state;
    itsm_policy *p = small_policy();
    assert_ok(itsm_policy_add_state(p, ITSM_KIND_INCIDENT, "limbo", 0));        /* unreachable */
    assert_ok(itsm_policy_add_event(p, ITSM_KIND_INCIDENT, "ping"));            /* unused */
    assert_ok(itsm_policy_add_event(p, ITSM_KIND_INCIDENT, "seal"));
    assert_ok(add_tr(p, ITSM_KIND_INCIDENT, "done", "seal", "done", "closed_at reopens", NULL, NULL));
    assert_ok(itsm_policy_add_state(p, ITSM_KIND_PROBLEM, "new", ITSM_STATE_INITIAL));
    assert_ok(itsm_policy_add_state(p, ITSM_KIND_PROBLEM, "stuck", 0));         /* no way out */
    assert_ok(itsm_policy_add_state(p, ITSM_KIND_PROBLEM, "done", ITSM_STATE_CLOSED));
    assert_ok(itsm_policy_add_event(p, ITSM_KIND_PROBLEM, "go"));
    assert_ok(itsm_policy_add_event(p, ITSM_KIND_PROBLEM, "fix"));
    assert_ok(add_tr(p, ITSM_KIND_PROBLEM, "new", "go", "stuck", NULL, NULL, NULL));
    assert_ok(add_tr(p, ITSM_KIND_PROBLEM, "new", "fix", "done", NULL, NULL, NULL));
    assert_ok(itsm_policy_add_state(p, ITSM_KIND_CHANGE, "new", 0));            /* no initial */
    const char *want[] = {
        "incident: state 'limbo' is unreachable from 'new'",
        "incident: state 'done': guard of 'seal' needs field 'reopens', which no step sets",
        "incident: event 'ping' is used by no transition",
        "problem: open state 'stuck' has no way out",
        "change: no initial state",
        NULL
    };
    expect_findings(p, want);
    itsm_policy_free(p);
}

static void the_default_policy_checks_clean(void **state)
{
    (void)state;
    itsm_policy *p;
    assert_ok(itsm_policy_new_default(&p, NULL));
    assert_int_equal(itsm_policy_check(p), 0);
    assert_null(itsm_policy_finding(p, 0));
    assert_int_equal(itsm_policy_check(NULL), 0);
    itsm_policy_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(check_finds_a_state_nothing_can_reach),
        cmocka_unit_test(check_finds_an_open_state_with_no_way_out),
        cmocka_unit_test(check_finds_an_open_state_whose_only_transition_loops_back),
        cmocka_unit_test(check_finds_a_cycle_of_open_states_that_reaches_no_closed_state),
        cmocka_unit_test(check_finds_a_lifecycle_without_a_closed_state),
        cmocka_unit_test(check_finds_an_initial_state_that_is_closed),
        cmocka_unit_test(check_finds_a_guard_on_a_field_no_step_sets),
        cmocka_unit_test(check_finds_a_guard_on_a_field_only_its_own_step_sets),
        cmocka_unit_test(check_finds_a_guard_on_a_custom_field_of_another_kind),
        cmocka_unit_test(check_finds_an_event_no_transition_uses),
        cmocka_unit_test(check_finds_a_lifecycle_without_an_initial_state),
        cmocka_unit_test(check_lists_every_finding_of_every_lifecycle),
        cmocka_unit_test(the_default_policy_checks_clean),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
