/* SPDX-License-Identifier: Apache-2.0 */
/* The migration check: what a candidate policy would do to the open
 * records (itsm/migration.h). */
#include "sla/sla_support.h"

static void trans(itsm_policy *p, const char *from, const char *event, const char *to, const char *guard,
                  const char *stamp)
{
    itsm_transition_def d = ITSM_TRANSITION_DEF_INIT;
    d.from = from;
    d.event = event;
    d.to = to;
    d.guard = guard;
    d.stamp = stamp;
    assert_ok(itsm_policy_add_transition(p, ITSM_KIND_INCIDENT, &d));
}

/* The default policy with a smaller incident lifecycle: no "assigned", no
 * "on_hold"; starting needs a category too. */
static itsm_policy *smaller_lifecycle(void)
{
    itsm_policy *p;
    assert_ok(itsm_policy_new_default(&p, NULL));
    assert_ok(itsm_policy_lifecycle_clear(p, ITSM_KIND_INCIDENT));
    assert_ok(itsm_policy_add_state(p, ITSM_KIND_INCIDENT, "new", ITSM_STATE_INITIAL));
    assert_ok(itsm_policy_add_state(p, ITSM_KIND_INCIDENT, "in_progress", 0));
    assert_ok(itsm_policy_add_state(p, ITSM_KIND_INCIDENT, "resolved", 0));
    assert_ok(itsm_policy_add_state(p, ITSM_KIND_INCIDENT, "closed", ITSM_STATE_CLOSED));
    assert_ok(itsm_policy_add_state(p, ITSM_KIND_INCIDENT, "canceled", ITSM_STATE_CLOSED));
    const char *events[] = { "start", "resolve", "reopen", "confirm", "auto_close", "cancel", "parent_resolved" };
    for (size_t i = 0; i < sizeof events / sizeof *events; i++)
        assert_ok(itsm_policy_add_event(p, ITSM_KIND_INCIDENT, events[i]));
    trans(p, "new", "start", "in_progress", "assignment_group assignee category", "responded_at?");
    trans(p, "in_progress", "resolve", "resolved", "resolution_code resolution_notes", "resolved_at");
    trans(p, "resolved", "reopen", "in_progress", "assignee", NULL);
    trans(p, "resolved", "confirm", "closed", NULL, "closed_at");
    trans(p, "resolved", "auto_close", "closed", NULL, "closed_at");
    trans(p, "*", "cancel", "canceled", NULL, "closed_at");
    trans(p, "in_progress", "parent_resolved", "resolved", "resolution_code resolution_notes", "resolved_at");
    return p;
}

static itsm_migration_finding finding(const itsm_migration *m, size_t i)
{
    itsm_migration_finding f = { .size = sizeof f };
    assert_ok(itsm_migration_at(m, i, &f));
    return f;
}

static void the_policy_against_itself_changes_nothing(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *a = open_inc(&f, 1, 2, NULL);
    open_inc(&f, 2, 2, NULL);
    f.clock.now = T0 + HOUR;
    start_work(a);
    itsm_migration *m;
    assert_ok(itsm_engine_migration_check(&m, f.eng, itsm_engine_policy(f.eng)));
    assert_int_equal(itsm_migration_records(m), 2);
    assert_int_equal(itsm_migration_count(m), 0);
    assert_int_equal(itsm_migration_now(m), T0 + HOUR);
    itsm_migration_free(m);
    fixture_close(&f);
}

static void a_shorter_target_moves_the_running_clock_by_the_difference(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *a = open_inc(&f, 1, 2, NULL), *b = open_inc(&f, 1, 2, NULL), *c = open_inc(&f, 1, 2, NULL);
    f.clock.now = T0 + 10 * MIN;
    start_work(a);
    start_work(b);
    start_work(c);
    f.clock.now = T0 + HOUR;
    resolve(b);                                            /* stopped: does not move */
    assert_ok(itsm_record_fire(c, "cancel", NULL, 0));     /* closed: not checked */
    char *before = engine_dump(f.eng);
    size_t events = f.store.n;
    f.clock.now = T0 + 2 * HOUR;
    itsm_policy *cand = policy_with_p2_resolution(4 * HOUR);
    itsm_migration *m;
    assert_ok(itsm_engine_migration_check(&m, f.eng, cand));
    itsm_policy_free(cand);
    char *after = engine_dump(f.eng);
    assert_string_equal(before, after);
    assert_int_equal(f.store.n, events);
    free(before);
    free(after);

    assert_int_equal(itsm_migration_records(m), 2);
    assert_int_equal(itsm_migration_count(m), 1);
    assert_int_equal(itsm_migration_count_of(m, ITSM_MIGRATION_TIMER_MOVES), 1);
    itsm_migration_finding x = finding(m, 0);
    assert_int_equal(x.kind, ITSM_MIGRATION_TIMER_MOVES);
    assert_string_equal(x.record, "INC-000001");
    assert_int_equal(x.record_kind, ITSM_KIND_INCIDENT);
    assert_string_equal(x.state, "in_progress");
    assert_int_equal(x.clock, ITSM_WHATIF_RESOLUTION);
    assert_string_equal(x.name, "standard");
    assert_int_equal(x.agreement, 0);
    assert_int_equal(x.actual_target, 8 * HOUR);
    assert_int_equal(x.candidate_target, 4 * HOUR);
    assert_int_equal(x.actual_due, T0 + 8 * HOUR);
    assert_int_equal(x.candidate_due, T0 + 4 * HOUR);
    assert_int_equal(x.delta, -4 * HOUR);
    assert_null(x.event);
    assert_null(x.detail);

    size_t len;
    assert_int_equal(itsm_migration_to_json(m, NULL, 0, &len), ITSM_ELIMIT);
    char *buf = malloc(len + 1);
    assert_ok(itsm_migration_to_json(m, buf, len + 1, &len));
    assert_string_equal(buf,
        "{\"version\":1,\"now\":\"2026-03-02T11:00:00Z\",\"records\":2,\"findings\":1,"
        "\"counts\":{\"state_removed\":0,\"transition_removed\":0,\"guard_fails\":0,\"sla_starts\":0,"
        "\"sla_stops\":0,\"timer_moves\":1,\"not_replayed\":0},"
        "\"list\":[{\"kind\":\"timer_moves\",\"record\":\"INC-000001\",\"record_kind\":\"incident\","
        "\"state\":\"in_progress\",\"name\":\"standard\",\"agreement\":false,\"clock\":\"resolution\","
        "\"actual_target\":28800,\"candidate_target\":14400,\"actual_due\":\"2026-03-02T17:00:00Z\","
        "\"candidate_due\":\"2026-03-02T13:00:00Z\",\"delta\":-14400}]}");
    free(buf);
    itsm_migration_free(m);
    fixture_close(&f);
}

static void removed_states_transitions_and_failing_guards_are_listed(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *held = open_inc(&f, 2, 2, NULL);
    start_work(held);
    hold(held, "awaiting_customer");
    /* new, with a group and an assignee: "assign" and "start" can fire now */
    itsm_record *fresh = NULL;
    itsm_change init[5] = { { ITSM_F_SUMMARY, "VPN", 0 }, { ITSM_F_IMPACT, NULL, 2 }, { ITSM_F_URGENCY, NULL, 2 },
                            { ITSM_F_ASSIGNMENT_GROUP, "Desk", 0 }, { ITSM_F_ASSIGNEE, "ann", 0 } };
    itsm_record_opts o = ITSM_RECORD_OPTS_INIT;
    o.fields = init;
    o.nfields = 5;
    assert_ok(itsm_record_open(&fresh, f.eng, &o));
    itsm_policy *cand = smaller_lifecycle();
    itsm_migration *m;
    assert_ok(itsm_engine_migration_check(&m, f.eng, cand));
    itsm_policy_free(cand);
    assert_int_equal(itsm_migration_records(m), 2);
    assert_int_equal(itsm_migration_count(m), 3);
    itsm_migration_finding x = finding(m, 0);
    assert_int_equal(x.kind, ITSM_MIGRATION_STATE_REMOVED);
    assert_string_equal(x.record, "INC-000001");
    assert_string_equal(x.state, "on_hold");
    x = finding(m, 1);
    assert_int_equal(x.kind, ITSM_MIGRATION_TRANSITION_REMOVED);
    assert_string_equal(x.record, "INC-000002");
    assert_string_equal(x.event, "assign");
    x = finding(m, 2);
    assert_int_equal(x.kind, ITSM_MIGRATION_GUARD_FAILS);
    assert_string_equal(x.event, "start");
    assert_string_equal(x.detail, "category");
    assert_int_equal(itsm_migration_count_of(m, ITSM_MIGRATION_GUARD_FAILS), 1);
    itsm_migration_free(m);
    fixture_close(&f);
}

static void agreements_that_start_or_stop_applying_are_listed(void **state)
{
    (void)state;
    itsm_policy *actual = policy_with_agreement("silver", 6 * HOUR);
    fixture f;
    fixture_open_policy(&f, actual);
    open_inc(&f, 1, 2, NULL);
    f.clock.now = T0 + HOUR;
    itsm_policy *cand = policy_with_agreement("gold", 6 * HOUR);
    itsm_migration *m;
    assert_ok(itsm_engine_migration_check(&m, f.eng, cand));
    assert_int_equal(itsm_migration_count_of(m, ITSM_MIGRATION_SLA_STOPS), 1);
    assert_int_equal(itsm_migration_count_of(m, ITSM_MIGRATION_SLA_STARTS), 1);
    assert_int_equal(itsm_migration_count_of(m, ITSM_MIGRATION_TIMER_MOVES), 2);
    itsm_migration_finding x = finding(m, 0);
    assert_int_equal(x.kind, ITSM_MIGRATION_SLA_STOPS);
    assert_string_equal(x.name, "silver");
    assert_int_equal(x.agreement, 1);
    x = finding(m, 1);
    assert_int_equal(x.kind, ITSM_MIGRATION_SLA_STARTS);
    assert_string_equal(x.name, "gold");
    x = finding(m, 2);   /* silver's clock stops running */
    assert_int_equal(x.kind, ITSM_MIGRATION_TIMER_MOVES);
    assert_int_equal(x.clock, ITSM_WHATIF_AGREEMENT);
    assert_string_equal(x.name, "silver");
    assert_int_equal(x.actual_due, T0 + 6 * HOUR);
    assert_int_equal(x.candidate_due, ITSM_TIME_NONE);
    assert_int_equal(x.delta, 0);
    itsm_migration_free(m);
    itsm_policy_free(cand);
    fixture_close(&f);
    itsm_policy_free(actual);
}

static void a_record_that_does_not_replay_is_a_finding(void **state)
{
    (void)state;
    itsm_policy *actual;
    assert_ok(itsm_policy_new_default(&actual, NULL));
    itsm_field_def fd = ITSM_FIELD_DEF_INIT;
    fd.name = "tier";
    fd.type = ITSM_TYPE_SYMBOL;
    assert_ok(itsm_policy_add_field(actual, &fd, NULL));
    fixture f;
    fixture_open_policy(&f, actual);
    itsm_field tier;
    assert_ok(itsm_engine_field(&tier, f.eng, "tier"));
    itsm_record *r = open_inc(&f, 1, 2, NULL);
    open_inc(&f, 1, 2, NULL);
    assert_ok(itsm_record_set_str(r, tier, "gold"));
    itsm_policy *cand;
    assert_ok(itsm_policy_new_default(&cand, NULL));
    itsm_migration *m;
    assert_ok(itsm_engine_migration_check(&m, f.eng, cand));
    assert_int_equal(itsm_migration_count(m), 1);
    itsm_migration_finding x = finding(m, 0);
    assert_int_equal(x.kind, ITSM_MIGRATION_NOT_REPLAYED);
    assert_string_equal(x.record, "INC-000001");
    assert_non_null(strstr(x.detail, "unknown field tier"));
    itsm_migration_free(m);
    itsm_policy_free(cand);
    fixture_close(&f);
    itsm_policy_free(actual);
}

static void refusals_name_the_reason(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    open_inc(&f, 1, 2, NULL);
    itsm_policy *cand = policy_with_p2_resolution(4 * HOUR);
    itsm_migration *m = (itsm_migration *)&m;
    assert_int_equal(itsm_engine_migration_check(&m, NULL, cand), ITSM_EINVAL);
    assert_null(m);
    assert_fails(f.eng, itsm_engine_migration_check(NULL, f.eng, cand), ITSM_EINVAL, "out is NULL");
    assert_fails(f.eng, itsm_engine_migration_check(&m, f.eng, NULL), ITSM_EINVAL, "candidate is NULL");
    itsm_policy *bad = policy_with_p2_resolution(4 * HOUR);
    assert_ok(itsm_policy_add_state(bad, ITSM_KIND_INCIDENT, "limbo", 0));
    assert_fails(f.eng, itsm_engine_migration_check(&m, f.eng, bad), ITSM_EPOLICY,
                 "candidate policy: the policy has 1 finding: incident: state 'limbo'");
    assert_null(m);
    itsm_policy_free(bad);
    itsm_engine *bare;
    assert_ok(itsm_engine_new(&bare, NULL));
    assert_fails(bare, itsm_engine_migration_check(&m, bare, cand), ITSM_EINVAL, "no scan callback");
    itsm_engine_free(bare);

    assert_ok(itsm_engine_migration_check(&m, f.eng, cand));
    itsm_migration_finding x = { .size = 8 };
    assert_int_equal(itsm_migration_at(m, 0, &x), ITSM_EINVAL);
    x.size = sizeof x;
    assert_int_equal(itsm_migration_at(m, itsm_migration_count(m), &x), ITSM_EINVAL);
    assert_int_equal(itsm_migration_at(NULL, 0, &x), ITSM_EINVAL);
    assert_int_equal(itsm_migration_at(m, 0, NULL), ITSM_EINVAL);
    size_t len;
    assert_int_equal(itsm_migration_to_json(NULL, NULL, 0, &len), ITSM_EINVAL);
    assert_int_equal(itsm_migration_to_json(m, NULL, 4, &len), ITSM_EINVAL);
    assert_int_equal(itsm_migration_to_json(m, NULL, 0, NULL), ITSM_EINVAL);
    assert_int_equal(itsm_migration_count_of(m, (itsm_migration_kind)0), 0);
    assert_int_equal(itsm_migration_count_of(m, (itsm_migration_kind)8), 0);
    assert_int_equal(itsm_migration_count(NULL), 0);
    assert_int_equal(itsm_migration_records(NULL), 0);
    assert_int_equal(itsm_migration_now(NULL), ITSM_TIME_NONE);
    assert_null(itsm_migration_kind_name((itsm_migration_kind)0));
    assert_string_equal(itsm_migration_kind_name(ITSM_MIGRATION_NOT_REPLAYED), "not_replayed");
    itsm_migration_free(m);
    itsm_migration_free(NULL);
    itsm_policy_free(cand);
    fixture_close(&f);
}

static void out_of_memory_at_any_step_fails_cleanly(void **state)
{
    (void)state;
    int ok = 0;
    for (long n = 1; !ok && n < 20000; n++) {
        failalloc fa = { 0, 0, 0, 0 };
        memstore s;
        memstore_init(&s);
        vclock clk = { T0 };
        itsm_engine *eng = engine_over_failing(&s, &clk, NULL, &fa);
        itsm_record *r = NULL;
        itsm_change init[3] = { { ITSM_F_SUMMARY, "Mail", 0 }, { ITSM_F_IMPACT, NULL, 1 }, { ITSM_F_URGENCY, NULL, 2 } };
        itsm_record_opts ro = ITSM_RECORD_OPTS_INIT;
        ro.fields = init;
        ro.nfields = 3;
        assert_ok(itsm_record_open(&r, eng, &ro));
        itsm_policy *cand = policy_with_p2_resolution(4 * HOUR);
        fa.fail_at = fa.calls + n;
        itsm_migration *m;
        int rc = itsm_engine_migration_check(&m, eng, cand);
        if (rc == ITSM_OK) {
            assert_int_equal(itsm_migration_count_of(m, ITSM_MIGRATION_TIMER_MOVES), 1);
            itsm_migration_free(m);
            ok = 1;
        } else {
            assert_int_equal(rc, ITSM_ENOMEM);
            assert_null(m);
        }
        itsm_policy_free(cand);
        itsm_engine_free(eng);
        assert_int_equal(fa.live, 0);
        memstore_free(&s);
    }
    assert_true(ok);
}

/* A refused event is read back for its record's id; memory failing there
 * is ITSM_ENOMEM, never a finding that names a later event instead. */
static void out_of_memory_while_reading_a_refusal_fails_cleanly(void **state)
{
    (void)state;
    itsm_policy *actual, *cand;
    assert_ok(itsm_policy_new_default(&actual, NULL));
    assert_ok(itsm_policy_new_default(&cand, NULL));
    itsm_field_def fd = ITSM_FIELD_DEF_INIT;
    fd.name = "tier";
    fd.type = ITSM_TYPE_SYMBOL;
    assert_ok(itsm_policy_add_field(actual, &fd, NULL));
    int ok = 0;
    for (long n = 1; !ok && n < 20000; n++) {
        failalloc fa = { 0, 0, 0, 0 };
        memstore s;
        memstore_init(&s);
        vclock clk = { T0 };
        itsm_engine *eng = engine_over_failing(&s, &clk, actual, &fa);
        itsm_field tier;
        assert_ok(itsm_engine_field(&tier, eng, "tier"));
        itsm_record *r = NULL;
        itsm_change init[3] = { { ITSM_F_SUMMARY, "Mail", 0 }, { ITSM_F_IMPACT, NULL, 1 }, { ITSM_F_URGENCY, NULL, 2 } };
        itsm_record_opts ro = ITSM_RECORD_OPTS_INIT;
        ro.fields = init;
        ro.nfields = 3;
        assert_ok(itsm_record_open(&r, eng, &ro));
        assert_ok(itsm_record_set_str(r, tier, "gold"));   /* refused under the candidate */
        itsm_change later = { ITSM_F_SUMMARY, "Mail slow", 0 };
        assert_ok(itsm_record_update(r, &later, 1));        /* then: a gap under the candidate */
        fa.fail_at = fa.calls + n;
        itsm_migration *m;
        int rc = itsm_engine_migration_check(&m, eng, cand);
        if (rc == ITSM_OK) {
            assert_int_equal(itsm_migration_count(m), 1);
            itsm_migration_finding x = finding(m, 0);
            assert_int_equal(x.kind, ITSM_MIGRATION_NOT_REPLAYED);
            assert_non_null(strstr(x.detail, "unknown field tier"));
            itsm_migration_free(m);
            ok = !fa.failed;   /* done once nothing failed */
        } else {
            assert_int_equal(rc, ITSM_ENOMEM);
            assert_null(m);
        }
        itsm_engine_free(eng);
        assert_int_equal(fa.live, 0);
        memstore_free(&s);
    }
    assert_true(ok);
    itsm_policy_free(cand);
    itsm_policy_free(actual);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_policy_against_itself_changes_nothing),
        cmocka_unit_test(a_shorter_target_moves_the_running_clock_by_the_difference),
        cmocka_unit_test(removed_states_transitions_and_failing_guards_are_listed),
        cmocka_unit_test(agreements_that_start_or_stop_applying_are_listed),
        cmocka_unit_test(a_record_that_does_not_replay_is_a_finding),
        cmocka_unit_test(refusals_name_the_reason),
        cmocka_unit_test(out_of_memory_at_any_step_fails_cleanly),
        cmocka_unit_test(out_of_memory_while_reading_a_refusal_fails_cleanly),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
