/* SPDX-License-Identifier: Apache-2.0 */
/* Priority derived from impact and urgency (the default and a custom matrix)
 * and the reassignment count (group moves, or group and assignee moves by
 * rule; its setter, JSON and clone). */
#include "record_check.h"

/* ---- priority ----------------------------------------------------------- */

static void priority_is_derived_from_impact_and_urgency(void **state)
{
    (void)state;
    static const int matrix[3][3] = { { 1, 2, 3 }, { 2, 3, 4 }, { 3, 4, 5 } };
    fixture f;
    fixture_open(&f);
    for (int i = 1; i <= 3; i++)
        for (int u = 1; u <= 3; u++) {
            itsm_change c[] = { { ITSM_F_IMPACT, NULL, i }, { ITSM_F_URGENCY, NULL, u } };
            itsm_record *r = open_kind(&f, ITSM_KIND_INCIDENT, NULL, c, 2);
            assert_int_equal(itsm_record_int(r, ITSM_F_PRIORITY), matrix[i - 1][u - 1]);
        }
    /* Only one of the two: no priority yet; the second derives it. */
    itsm_change imp = { ITSM_F_IMPACT, NULL, 1 };
    itsm_record *r = open_kind(&f, ITSM_KIND_INCIDENT, NULL, &imp, 1);
    assert_int_equal(itsm_record_has(r, ITSM_F_PRIORITY), 0);
    assert_ok(itsm_record_set_int(r, ITSM_F_URGENCY, 3));
    assert_int_equal(itsm_record_int(r, ITSM_F_PRIORITY), 3);
    /* Changing either re-derives. */
    assert_ok(itsm_record_set_int(r, ITSM_F_IMPACT, 3));
    assert_int_equal(itsm_record_int(r, ITSM_F_PRIORITY), 5);
    assert_ok(itsm_record_set_int(r, ITSM_F_URGENCY, 1));
    assert_int_equal(itsm_record_int(r, ITSM_F_PRIORITY), 3);
    /* A priority given with them wins; set by hand it stays until impact
     * or urgency change again. */
    itsm_change both[] = { { ITSM_F_IMPACT, NULL, 1 }, { ITSM_F_PRIORITY, NULL, 4 } };
    assert_ok(itsm_record_update(r, both, 2));
    assert_int_equal(itsm_record_int(r, ITSM_F_PRIORITY), 4);
    assert_ok(itsm_record_set_int(r, ITSM_F_PRIORITY, 2));
    assert_ok(itsm_record_set_str(r, ITSM_F_SUMMARY, "x"));
    assert_int_equal(itsm_record_int(r, ITSM_F_PRIORITY), 2);
    assert_ok(itsm_record_set_int(r, ITSM_F_URGENCY, 1));
    assert_int_equal(itsm_record_int(r, ITSM_F_PRIORITY), 1);
    /* Derived in a transition's changes too. */
    itsm_change g[] = { { ITSM_F_ASSIGNMENT_GROUP, "desk", 0 }, { ITSM_F_URGENCY, NULL, 3 } };
    assert_ok(itsm_record_fire(r, "assign", g, 2));
    assert_int_equal(itsm_record_int(r, ITSM_F_PRIORITY), 3);
    /* The derived value is in the event, so replay needs no policy maths. */
    assert_non_null(strstr(f.store.events[f.store.n - 1], "\"priority\":3"));
    assert_replays_the_same(f.eng, &f.store);
    fixture_close(&f);
}

static void priority_follows_a_custom_matrix(void **state)
{
    (void)state;
    itsm_policy *p;
    assert_ok(itsm_policy_new_default(&p, NULL));
    assert_ok(itsm_policy_set_priority(p, 3, 3, 1));
    vclock clock = { T0 };
    itsm_engine_opts o = ITSM_ENGINE_OPTS_INIT;
    o.policy = p;
    o.clock = vclock_read;
    o.clock_user = &clock;
    itsm_engine *eng;
    assert_ok(itsm_engine_new(&eng, &o));
    itsm_policy_free(p);   /* the engine has its own copy */
    itsm_change c[] = { { ITSM_F_IMPACT, NULL, 3 }, { ITSM_F_URGENCY, NULL, 3 } };
    itsm_record_opts ro = ITSM_RECORD_OPTS_INIT;
    ro.fields = c;
    ro.nfields = 2;
    itsm_record *r;
    assert_ok(itsm_record_open(&r, eng, &ro));
    assert_int_equal(itsm_record_int(r, ITSM_F_PRIORITY), 1);
    itsm_engine_free(eng);
}

/* ---- reassignment ------------------------------------------------------- */

static void reassignment_counts_only_moves_from_one_group_to_another(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *r = open_inc(&f);
    /* First assignment (through a transition): not a reassignment. */
    itsm_change g = { ITSM_F_ASSIGNMENT_GROUP, "desk", 0 };
    assert_ok(itsm_record_fire(r, "assign", &g, 1));
    assert_int_equal(itsm_record_int(r, ITSM_F_REASSIGNMENTS), 0);
    /* Unchanged: not counted, still an event. */
    uint64_t rev = itsm_record_revision(r);
    assert_ok(itsm_record_set_str(r, ITSM_F_ASSIGNMENT_GROUP, "desk"));
    assert_int_equal(itsm_record_int(r, ITSM_F_REASSIGNMENTS), 0);
    assert_int_equal(itsm_record_revision(r), rev + 1);
    /* Other fields: not counted. */
    assert_ok(itsm_record_set_str(r, ITSM_F_ASSIGNEE, "bob"));
    assert_int_equal(itsm_record_int(r, ITSM_F_REASSIGNMENTS), 0);
    /* A move: counted, once per move. */
    assert_ok(itsm_record_set_str(r, ITSM_F_ASSIGNMENT_GROUP, "network"));
    assert_int_equal(itsm_record_int(r, ITSM_F_REASSIGNMENTS), 1);
    assert_ok(itsm_record_set_str(r, ITSM_F_ASSIGNMENT_GROUP, "desk"));
    assert_int_equal(itsm_record_int(r, ITSM_F_REASSIGNMENTS), 2);
    /* In a transition's changes too. */
    g.str = "servers";
    itsm_change s2[] = { g, { ITSM_F_ASSIGNEE, "carol", 0 } };
    assert_ok(itsm_record_fire(r, "start", s2, 2));
    assert_int_equal(itsm_record_int(r, ITSM_F_REASSIGNMENTS), 3);
    /* Clearing the group is not a move to another group. */
    assert_ok(itsm_record_set_str(r, ITSM_F_ASSIGNMENT_GROUP, NULL));
    assert_int_equal(itsm_record_int(r, ITSM_F_REASSIGNMENTS), 3);
    /* A record opened with a group starts at 0. */
    itsm_change og = { ITSM_F_ASSIGNMENT_GROUP, "desk", 0 };
    itsm_record *r2 = open_kind(&f, ITSM_KIND_INCIDENT, NULL, &og, 1);
    assert_int_equal(itsm_record_int(r2, ITSM_F_REASSIGNMENTS), 0);
    assert_replays_the_same(f.eng, &f.store);
    fixture_close(&f);
}

/* The same steps under each reassignment rule (policy.h): the counter after
 * each step. Under group and group_or_assignee a first value (from none) and
 * a clear never count; under group_change any change of the group does. A
 * value the field already has never counts; a step counts at most once. */
static void reassignment_rule_group_or_assignee_also_counts_assignee_moves(void **state)
{
    (void)state;
#define G(v) { ITSM_F_ASSIGNMENT_GROUP, v, 0 }
#define A(v) { ITSM_F_ASSIGNEE, v, 0 }
    static const struct {
        const char *event;   /* NULL: an update */
        itsm_change c[2];
        size_t      n;
        int         group, either, change;   /* the counter under each rule */
    } steps[] = {
        { "assign", { G("desk"), A("bob") }, 2, 0, 0, 1 },     /* first assignment of both */
        { NULL, { A("bob") }, 1, 0, 0, 1 },                    /* unchanged */
        { NULL, { G("desk"), A("bob") }, 2, 0, 0, 1 },         /* unchanged, both */
        { NULL, { A("carol") }, 1, 0, 1, 1 },                  /* another person, same group */
        { NULL, { G("network"), A("dave") }, 2, 1, 2, 2 },     /* both move: once */
        { NULL, { G("desk") }, 1, 2, 3, 3 },                   /* the group alone */
        { NULL, { A(NULL) }, 1, 2, 3, 3 },                     /* cleared */
        { NULL, { A("erin") }, 1, 2, 3, 3 },                   /* from none */
        { NULL, { G(NULL) }, 1, 2, 3, 4 },                     /* group cleared */
        { NULL, { G("desk"), A("frank") }, 2, 2, 3, 5 },       /* group from none: not the same group */
        { NULL, { A("gina"), { ITSM_F_SUMMARY, "x", 0 } }, 2, 2, 4, 5 },
        { "start", { A("hank") }, 1, 2, 5, 5 },                /* with a transition */
    };
#undef G
#undef A
    for (int rule = ITSM_REASSIGN_GROUP; rule <= ITSM_REASSIGN_GROUP_CHANGE; rule++) {
        itsm_policy *p;
        assert_ok(itsm_policy_new_default(&p, NULL));
        assert_ok(itsm_policy_set_reassignment_rule(p, (itsm_reassign_rule)rule));
        fixture f;
        fixture_open_with(&f, p, NULL);
        itsm_policy_free(p);   /* the engine has its own copy */
        assert_int_equal(itsm_policy_reassignment_rule(itsm_engine_policy(f.eng)), rule);
        itsm_record *r = open_inc(&f);
        for (size_t i = 0; i < N_(steps); i++) {
            if (steps[i].event)
                assert_ok(itsm_record_fire(r, steps[i].event, steps[i].c, steps[i].n));
            else
                assert_ok(itsm_record_update(r, steps[i].c, steps[i].n));
            int want = rule == ITSM_REASSIGN_GROUP ? steps[i].group
                     : rule == ITSM_REASSIGN_GROUP_OR_ASSIGNEE ? steps[i].either : steps[i].change;
            if (itsm_record_int(r, ITSM_F_REASSIGNMENTS) != want)
                fail_msg("rule %d, step %zu: %lld reassignments, wanted %d", rule, i,
                         (long long)itsm_record_int(r, ITSM_F_REASSIGNMENTS), want);
        }
        /* Opened with both: 0. */
        itsm_change both[] = { { ITSM_F_ASSIGNMENT_GROUP, "desk", 0 }, { ITSM_F_ASSIGNEE, "bob", 0 } };
        itsm_record *r2 = open_kind(&f, ITSM_KIND_INCIDENT, NULL, both, 2);
        assert_int_equal(itsm_record_int(r2, ITSM_F_REASSIGNMENTS), 0);
        /* The count is in the events: a replay under the default policy,
         * whatever the rule, rebuilds the same records. */
        assert_replays_the_same(f.eng, &f.store);
        fixture_close(&f);
    }
}

static void reassignment_rule_setter_json_and_clone(void **state)
{
    (void)state;
    itsm_policy *p, *q, *c;
    assert_ok(itsm_policy_new_default(&p, NULL));
    assert_int_equal(itsm_policy_reassignment_rule(p), ITSM_REASSIGN_GROUP);
    assert_int_equal(itsm_policy_reassignment_rule(NULL), ITSM_REASSIGN_GROUP);
    assert_int_equal(itsm_policy_set_reassignment_rule(NULL, ITSM_REASSIGN_GROUP), ITSM_EINVAL);
    assert_int_equal(itsm_policy_set_reassignment_rule(p, (itsm_reassign_rule)3), ITSM_EINVAL);
    assert_non_null(strstr(itsm_policy_errmsg(p), "unknown reassignment rule 3"));
    assert_int_equal(itsm_policy_set_reassignment_rule(p, (itsm_reassign_rule)-1), ITSM_EINVAL);
    assert_int_equal(itsm_policy_reassignment_rule(p), ITSM_REASSIGN_GROUP);   /* kept */
    size_t len;
    char buf[16384];
    assert_ok(itsm_policy_to_json(p, buf, sizeof buf, &len));
    assert_non_null(strstr(buf, "\"priority_matrix\":[[1,2,3],[2,3,4],[3,4,5]],"
                                "\"counters\":{\"reassignment\":\"group\"},\"lifecycles\":"));
    assert_ok(itsm_policy_set_reassignment_rule(p, ITSM_REASSIGN_GROUP_OR_ASSIGNEE));
    assert_string_equal(itsm_policy_errmsg(p), "");
    assert_int_equal(itsm_policy_reassignment_rule(p), ITSM_REASSIGN_GROUP_OR_ASSIGNEE);
    assert_ok(itsm_policy_to_json(p, buf, sizeof buf, &len));
    assert_non_null(strstr(buf, "\"counters\":{\"reassignment\":\"group_or_assignee\"}"));
    /* Round trip, byte for byte; a clone keeps the rule. */
    itsm_parse_error err;
    assert_ok(itsm_policy_from_json(&q, buf, len, NULL, NULL, &err));
    assert_int_equal(itsm_policy_reassignment_rule(q), ITSM_REASSIGN_GROUP_OR_ASSIGNEE);
    char buf2[16384];
    size_t len2;
    assert_ok(itsm_policy_to_json(q, buf2, sizeof buf2, &len2));
    assert_string_equal(buf, buf2);
    assert_ok(itsm_policy_clone(&c, q));
    assert_int_equal(itsm_policy_reassignment_rule(c), ITSM_REASSIGN_GROUP_OR_ASSIGNEE);
    assert_ok(itsm_policy_to_json(c, buf2, sizeof buf2, &len2));
    assert_string_equal(buf, buf2);
    itsm_policy_free(c);
    itsm_policy_free(q);
    itsm_policy_free(p);
    /* The member is optional, and so is its one key: the default then. */
    static const char *const ok[] = {
        "{\"itsm_policy\":1}",
        "{\"itsm_policy\":1,\"counters\":{}}",
        "{\"itsm_policy\":1,\"counters\":{\"reassignment\":\"group\"}}",
    };
    for (size_t i = 0; i < N_(ok); i++) {
        assert_ok(itsm_policy_parse_json(&q, ok[i], strlen(ok[i]), NULL, NULL, &err));
        assert_int_equal(itsm_policy_reassignment_rule(q), ITSM_REASSIGN_GROUP);
        itsm_policy_free(q);
    }
    /* Refused at the offending value. */
    static const struct { const char *doc; size_t column; const char *text; } bad[] = {
        { "{\"itsm_policy\":1,\"counters\":[]}", 29, "'counters' must be an object" },
        { "{\"itsm_policy\":1,\"counters\":{\"reassign\":\"group\"}}", 41, "unknown member 'reassign' in counters" },
        { "{\"itsm_policy\":1,\"counters\":{\"reassignment\":\"assignee\"}}", 45,
          "'reassignment' must be \"group\", \"group_or_assignee\" or \"group_change\"" },
        { "{\"itsm_policy\":1,\"counters\":{\"reassignment\":1}}", 45, "'reassignment' must be" },
        { "{\"itsm_policy\":1,\"counters\":{\"reassignment\":\"group\\u0000\"}}", 45, "'reassignment' must be" },
    };
    for (size_t i = 0; i < N_(bad); i++) {
        q = (itsm_policy *)&err;
        assert_int_equal(itsm_policy_parse_json(&q, bad[i].doc, strlen(bad[i].doc), NULL, NULL, &err),
                         ITSM_EPARSE);
        assert_null(q);
        if (err.line != 1 || err.column != bad[i].column || !strstr(err.text, bad[i].text))
            fail_msg("%s: %zu:%zu %s", bad[i].doc, err.line, err.column, err.text);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(priority_is_derived_from_impact_and_urgency),
        cmocka_unit_test(priority_follows_a_custom_matrix),
        cmocka_unit_test(reassignment_counts_only_moves_from_one_group_to_another),
        cmocka_unit_test(reassignment_rule_group_or_assignee_also_counts_assignee_moves),
        cmocka_unit_test(reassignment_rule_setter_json_and_clone),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
