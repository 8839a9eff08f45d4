/* SPDX-License-Identifier: Apache-2.0 */
/* The engine's transition table (core/transitions.c) answers every step's
 * lookup in one read: for every kind, state and event it must name the
 * transition the policy's own rule names (itsm__lc_find: a transition from
 * the state itself first, else the first from every open state, never
 * from a closed state), for the engine's policy and for one it adopts. */
#include "support.h"
#include "core/core.h"

static void assert_table_is_the_rule(const itsm_engine *eng)
{
    for (int k = 1; k <= ITSM_KIND_COUNT; k++) {
        const itsm__lifecycle *lc = itsm__lifecycle_of(eng, k);
        for (size_t s = 0; s < lc->nstates; s++)
            for (size_t e = 0; e < lc->nevents; e++)
                assert_ptr_equal(itsm__find_transition(eng, k, (int)s, (int)e), itsm__lc_find(lc, (int)s, (int)e));
        assert_null(itsm__find_transition(eng, k, 0, -1));
        assert_null(itsm__find_transition(eng, k, 0, (int)lc->nevents));
    }
}

static void add(itsm_policy *p, const char *from, const char *event, const char *to)
{
    itsm_transition_def d = ITSM_TRANSITION_DEF_INIT;
    d.from = from;
    d.event = event;
    d.to = to;
    assert_ok(itsm_policy_add_transition(p, ITSM_KIND_INCIDENT, &d));
}

/* Rows from every open state before and after exact rows, and a closed
 * state they must not leave. */
static itsm_policy *shadowing_policy(void)
{
    itsm_policy *p;
    assert_ok(itsm_policy_new_default(&p, NULL));
    assert_ok(itsm_policy_lifecycle_clear(p, ITSM_KIND_INCIDENT));
    assert_ok(itsm_policy_add_state(p, ITSM_KIND_INCIDENT, "open", ITSM_STATE_INITIAL));
    assert_ok(itsm_policy_add_state(p, ITSM_KIND_INCIDENT, "busy", 0));
    assert_ok(itsm_policy_add_state(p, ITSM_KIND_INCIDENT, "done", ITSM_STATE_CLOSED));
    assert_ok(itsm_policy_add_event(p, ITSM_KIND_INCIDENT, "work"));
    assert_ok(itsm_policy_add_event(p, ITSM_KIND_INCIDENT, "finish"));
    assert_ok(itsm_policy_add_event(p, ITSM_KIND_INCIDENT, "drop"));
    add(p, "*", "finish", "done");
    add(p, "open", "work", "busy");
    add(p, "busy", "finish", "done");
    add(p, "*", "drop", "done");
    add(p, "busy", "drop", "open");
    add(p, "done", "work", "busy");
    return p;
}

static void the_table_names_what_the_policy_rule_names(void **state)
{
    (void)state;
    itsm_engine *eng;
    assert_ok(itsm_engine_new(&eng, NULL));
    assert_table_is_the_rule(eng);

    itsm_policy *p = shadowing_policy();
    itsm_engine_opts o = ITSM_ENGINE_OPTS_INIT;
    o.policy = p;
    itsm_engine *eng2;
    assert_ok(itsm_engine_new(&eng2, &o));
    assert_table_is_the_rule(eng2);
    const itsm__lifecycle *lc = itsm__lifecycle_of(eng2, ITSM_KIND_INCIDENT);
    /* busy: its own row for finish, not the earlier one from every state */
    const itsm__transition *t = itsm__find_transition(eng2, ITSM_KIND_INCIDENT, 1, 1);
    assert_non_null(t);
    assert_int_equal(t->from, 1);
    /* drop: the row from every open state, but busy's own from busy;
     * none from done */
    t = itsm__find_transition(eng2, ITSM_KIND_INCIDENT, 0, 2);
    assert_non_null(t);
    assert_string_equal(lc->states[t->to], "done");
    t = itsm__find_transition(eng2, ITSM_KIND_INCIDENT, 1, 2);
    assert_non_null(t);
    assert_string_equal(lc->states[t->to], "open");
    assert_null(itsm__find_transition(eng2, ITSM_KIND_INCIDENT, 2, 2));
    assert_non_null(itsm__find_transition(eng2, ITSM_KIND_INCIDENT, 2, 0));   /* an exact row from done */
    assert_null(itsm__find_transition(eng2, ITSM_KIND_INCIDENT, 1, 0));   /* no row at all */

    itsm_engine_free(eng2);
    itsm_policy_free(p);
    itsm_engine_free(eng);
}

static void an_adopted_policy_brings_its_own_table(void **state)
{
    (void)state;
    itsm_policy *p;
    assert_ok(itsm_policy_new_default(&p, NULL));
    itsm_engine_opts o = ITSM_ENGINE_OPTS_INIT;
    o.policy = p;
    itsm_engine *eng;
    assert_ok(itsm_engine_new(&eng, &o));
    itsm_transition_def d = ITSM_TRANSITION_DEF_INIT;
    d.from = "*";
    d.event = "assign";
    d.to = "assigned";
    assert_ok(itsm_policy_add_transition(p, ITSM_KIND_INCIDENT, &d));
    assert_ok(itsm_engine_adopt_policy(eng, p));
    const itsm__transition *t = itsm__find_transition(eng, ITSM_KIND_INCIDENT, 0, 0);
    assert_non_null(t);
    assert_table_is_the_rule(eng);
    itsm_engine_free(eng);
    itsm_policy_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_table_names_what_the_policy_rule_names),
        cmocka_unit_test(an_adopted_policy_brings_its_own_table),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
