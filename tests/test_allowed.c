/* SPDX-License-Identifier: Apache-2.0 */
/* What a screen can offer: the events that can fire from a record's state
 * with what each guard still misses (itsm_record_allowed_*), and a failed
 * guard naming every missing term, in its message and as data
 * (itsm_guard_missing_*). Every default lifecycle, state by state, is in
 * test_lifecycle.c; these are the forms and the edges. */
#include "support.h"

#include <stdio.h>
#include <string.h>

static itsm_guard_need need_at(const itsm_engine *eng, size_t i)
{
    itsm_guard_need n = { .size = sizeof n };
    assert_ok(itsm_guard_missing_at(eng, i, &n));
    return n;
}

static void a_failed_guard_names_every_missing_field(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *r;
    itsm_record_opts o = ITSM_RECORD_OPTS_INIT;
    assert_ok(itsm_record_open(&r, f.eng, &o));
    assert_fails(f.eng, itsm_record_fire(r, "start", NULL, 0), ITSM_EGUARD,
                 "transition 'start' from 'new' needs fields 'assignment_group', 'assignee'");
    itsm_change c[2] = { { ITSM_F_ASSIGNMENT_GROUP, "desk", 0 }, { ITSM_F_ASSIGNEE, "ann", 0 } };
    assert_ok(itsm_record_fire(r, "start", c, 2));
    assert_fails(f.eng, itsm_record_fire(r, "resolve", NULL, 0), ITSM_EGUARD,
                 "transition 'resolve' from 'in_progress' needs fields 'resolution_code', 'resolution_notes'");
    assert_int_equal(itsm_guard_missing_count(f.eng), 2);
    itsm_guard_need n = need_at(f.eng, 0);
    assert_int_equal(n.kind, ITSM_NEED_FIELD);
    assert_string_equal(n.field, "resolution_code");
    assert_string_equal(n.term, "resolution_code");
    assert_null(n.value);
    assert_int_equal(n.link_kind, 0);
    assert_string_equal(need_at(f.eng, 1).field, "resolution_notes");
    /* given one, the other is named alone, as before */
    itsm_change code = { ITSM_F_RESOLUTION_CODE, "fixed", 0 };
    assert_fails(f.eng, itsm_record_fire(r, "resolve", &code, 1), ITSM_EGUARD,
                 "transition 'resolve' from 'in_progress' needs field 'resolution_notes'");
    assert_int_equal(itsm_guard_missing_count(f.eng), 1);
    assert_string_equal(need_at(f.eng, 0).field, "resolution_notes");
    assert_int_equal(itsm_record_revision(r), 2);

    /* the list belongs to that failure: another failure takes it away */
    assert_fails(f.eng, itsm_record_set_int(r, ITSM_F_IMPACT, 9), ITSM_EINVAL, "impact");
    assert_int_equal(itsm_guard_missing_count(f.eng), 0);
    itsm_guard_need x = { .size = sizeof x };
    assert_int_equal(itsm_guard_missing_at(f.eng, 0, &x), ITSM_EINVAL);
    fixture_close(&f);
}

/* A guard with every kind of term. */
static itsm_policy *mixed_policy(void)
{
    itsm_policy *p;
    assert_ok(itsm_policy_new_default(&p, NULL));
    assert_ok(itsm_policy_lifecycle_clear(p, ITSM_KIND_INCIDENT));
    assert_ok(itsm_policy_add_state(p, ITSM_KIND_INCIDENT, "open", ITSM_STATE_INITIAL));
    assert_ok(itsm_policy_add_state(p, ITSM_KIND_INCIDENT, "done", ITSM_STATE_CLOSED));
    assert_ok(itsm_policy_add_event(p, ITSM_KIND_INCIDENT, "finish"));
    assert_ok(itsm_policy_add_event(p, ITSM_KIND_INCIDENT, "drop"));
    itsm_transition_def d = ITSM_TRANSITION_DEF_INIT;
    d.from = "open";
    d.event = "finish";
    d.to = "done";
    d.guard = "caller cause|workaround impact=1 service link:change category";
    d.stamp = "closed_at";
    assert_ok(itsm_policy_add_transition(p, ITSM_KIND_INCIDENT, &d));
    d.from = "*";
    d.event = "drop";
    d.guard = NULL;
    assert_ok(itsm_policy_add_transition(p, ITSM_KIND_INCIDENT, &d));
    d.event = "finish";
    d.guard = "summary";
    assert_ok(itsm_policy_add_transition(p, ITSM_KIND_INCIDENT, &d));   /* shadowed by the exact one */
    return p;
}

static void every_kind_of_term_is_named_and_given_as_data(void **state)
{
    (void)state;
    itsm_policy *p = mixed_policy();
    vclock clock = { T0 };
    itsm_engine_opts o = ITSM_ENGINE_OPTS_INIT;
    o.policy = p;
    o.clock = vclock_read;
    o.clock_user = &clock;
    itsm_engine *eng;
    assert_ok(itsm_engine_new(&eng, &o));
    itsm_policy_free(p);
    itsm_record *r;
    itsm_change init[2] = { { ITSM_F_SERVICE, "mail", 0 }, { ITSM_F_IMPACT, NULL, 2 } };
    itsm_record_opts ro = ITSM_RECORD_OPTS_INIT;
    ro.fields = init;
    ro.nfields = 2;
    assert_ok(itsm_record_open(&r, eng, &ro));

    /* offered: finish (exact row, not "*"), then drop; in event order */
    assert_int_equal(itsm_record_allowed_count(r), 2);
    itsm_allowed_event a = { .size = sizeof a };
    assert_ok(itsm_record_allowed_at(r, 0, &a));
    assert_string_equal(a.event, "finish");
    assert_string_equal(a.to_state, "done");
    assert_int_equal(a.nmissing, 5);
    assert_ok(itsm_record_allowed_at(r, 1, &a));
    assert_string_equal(a.event, "drop");
    assert_int_equal(a.nmissing, 0);

    assert_fails(eng, itsm_record_fire(r, "finish", NULL, 0), ITSM_EGUARD,
                 "transition 'finish' from 'open' needs fields 'caller', 'category', field 'cause' or "
                 "'workaround', field 'impact' = 1, a linked change");
    assert_int_equal(itsm_guard_missing_count(eng), 5);
    static const struct { itsm_need_kind kind; const char *field, *value, *term; itsm_kind link; } want[] = {
        { ITSM_NEED_FIELD, "caller", NULL, "caller", 0 },
        { ITSM_NEED_ANY_OF, "cause", NULL, "cause|workaround", 0 },
        { ITSM_NEED_VALUE, "impact", "1", "impact=1", 0 },
        { ITSM_NEED_LINK, NULL, NULL, "link:change", ITSM_KIND_CHANGE },
        { ITSM_NEED_FIELD, "category", NULL, "category", 0 },
    };
    for (size_t i = 0; i < 5; i++) {
        itsm_guard_need n = need_at(eng, i), m = { .size = sizeof m };
        assert_int_equal(n.kind, want[i].kind);
        if (want[i].field)
            assert_string_equal(n.field, want[i].field);
        else
            assert_null(n.field);
        if (want[i].value)
            assert_string_equal(n.value, want[i].value);
        else
            assert_null(n.value);
        assert_string_equal(n.term, want[i].term);
        assert_int_equal(n.link_kind, want[i].link);
        /* the query gives the same terms before anything is tried */
        assert_ok(itsm_record_allowed_need_at(r, 0, i, &m));
        assert_string_equal(m.term, n.term);
    }

    /* meeting some: the rest stay */
    itsm_change some[2] = { { ITSM_F_CALLER, "ann", 0 }, { ITSM_F_WORKAROUND, "restart", 0 } };
    assert_ok(itsm_record_update(r, some, 2));
    assert_ok(itsm_record_allowed_at(r, 0, &a));
    assert_int_equal(a.nmissing, 3);
    itsm_change wrong = { ITSM_F_IMPACT, NULL, 3 };
    assert_fails(eng, itsm_record_fire(r, "finish", &wrong, 1), ITSM_EGUARD,
                 "needs field 'category', field 'impact' = 1, a linked change");
    itsm_engine_free(eng);
}

static void bad_arguments_are_refused_and_a_reading_keeps_the_failure(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *r;
    itsm_record_opts o = ITSM_RECORD_OPTS_INIT;
    assert_ok(itsm_record_open(&r, f.eng, &o));
    itsm_allowed_event a = { .size = sizeof a };
    itsm_guard_need n = { .size = sizeof n };
    assert_int_equal(itsm_record_allowed_count(NULL), 0);
    assert_int_equal(itsm_record_allowed_at(NULL, 0, &a), ITSM_EINVAL);
    assert_fails(f.eng, itsm_record_allowed_at(r, 0, NULL), ITSM_EINVAL, "out is NULL");
    assert_fails(f.eng, itsm_record_allowed_at(r, 99, &a), ITSM_EINVAL, "allowed event index 99 is out of range");
    a.size = 1;
    assert_fails(f.eng, itsm_record_allowed_at(r, 0, &a), ITSM_EINVAL, "itsm_allowed_event.size is 1");
    assert_fails(f.eng, itsm_record_allowed_need_at(r, 0, 9, &n), ITSM_EINVAL, "need index 9 is out of range");
    assert_fails(f.eng, itsm_record_allowed_need_at(r, 42, 0, &n), ITSM_EINVAL, "allowed event index 42");
    assert_int_equal(itsm_record_allowed_need_at(NULL, 0, 0, &n), ITSM_EINVAL);
    assert_int_equal(itsm_guard_missing_count(NULL), 0);
    assert_int_equal(itsm_guard_missing_at(NULL, 0, &n), ITSM_EINVAL);

    assert_int_equal(itsm_record_fire(r, "assign", NULL, 0), ITSM_EGUARD);
    char msg[512];
    snprintf(msg, sizeof msg, "%s", itsm_errmsg(f.eng));
    n.size = sizeof n + 1;
    assert_int_equal(itsm_guard_missing_at(f.eng, 0, &n), ITSM_EINVAL);
    assert_int_equal(itsm_guard_missing_at(f.eng, 1, NULL), ITSM_EINVAL);
    n.size = sizeof n;
    assert_int_equal(itsm_guard_missing_at(f.eng, 1, &n), ITSM_EINVAL);
    assert_string_equal(itsm_errmsg(f.eng), msg);   /* still the guard's failure */
    assert_int_equal(itsm_guard_missing_count(f.eng), 1);
    assert_ok(itsm_guard_missing_at(f.eng, 0, &n));
    assert_string_equal(n.field, "assignment_group");

    /* a closed record offers nothing the default lifecycles have */
    assert_ok(itsm_record_fire(r, "cancel", NULL, 0));
    assert_int_equal(itsm_record_allowed_count(r), 0);
    fixture_close(&f);
}

static void a_guard_holds_at_most_64_terms(void **state)
{
    (void)state;
    itsm_policy *p;
    assert_ok(itsm_policy_new_default(&p, NULL));
    assert_ok(itsm_policy_add_event(p, ITSM_KIND_INCIDENT, "audit"));
    char guard[65 * 10] = "";
    for (int i = 0; i < 65; i++)
        strcat(guard, i ? " summary" : "summary");
    itsm_transition_def d = ITSM_TRANSITION_DEF_INIT;
    d.from = "new";
    d.event = "audit";
    d.to = "assigned";
    d.guard = guard;
    assert_int_equal(itsm_policy_add_transition(p, ITSM_KIND_INCIDENT, &d), ITSM_ELIMIT);
    assert_non_null(strstr(itsm_policy_errmsg(p), "at most 64 terms"));
    guard[strlen(guard) - strlen(" summary")] = '\0';   /* 64 */
    assert_ok(itsm_policy_add_transition(p, ITSM_KIND_INCIDENT, &d));
    itsm_policy_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_failed_guard_names_every_missing_field),
        cmocka_unit_test(every_kind_of_term_is_named_and_given_as_data),
        cmocka_unit_test(bad_arguments_are_refused_and_a_reading_keeps_the_failure),
        cmocka_unit_test(a_guard_holds_at_most_64_terms),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
