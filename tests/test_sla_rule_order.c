/* SPDX-License-Identifier: Apache-2.0 */
/* Which SLA applies (itsm/sla.h, itsm_policy_add_sla_rule): an SLA set by
 * hand first, then the rules by condition in the order added (the first
 * that holds wins), then the service mapping, then the default; and what
 * adding a rule refuses; a rule a candidate policy adds, in the migration
 * check and the what-if. Black-box: the public API only. */
#include "sla/sla_support.h"

static void sla(itsm_policy *p, const char *name, uint32_t resolution)
{
    itsm_sla_def d = ITSM_SLA_DEF_INIT;
    d.name = name;
    for (int i = 0; i < 5; i++) {
        d.response[i] = 600;
        d.resolution[i] = resolution;
    }
    assert_ok(itsm_policy_set_sla(p, &d));
}

/* SLAs "p1p2" (1 h), "mail" (2 h), "mapped" (3 h), "by_hand" (4 h) and
 * "default_one" (5 h), all on 24x7;
 * rules "priority <= 2" -> p1p2, then "service == 'Mail'" -> mail; the
 * services Payroll and Mail mapped to "mapped". */
static itsm_policy *ordered_policy(void)
{
    itsm_policy *p;
    assert_ok(itsm_policy_new_default(&p, NULL));
    sla(p, "p1p2", HOUR);
    sla(p, "mail", 2 * HOUR);
    sla(p, "mapped", 3 * HOUR);
    sla(p, "by_hand", 4 * HOUR);
    sla(p, "default_one", 5 * HOUR);
    assert_ok(itsm_policy_add_sla_rule(p, "priority <= 2", "p1p2"));
    assert_ok(itsm_policy_add_sla_rule(p, "service == 'Mail'", "mail"));
    assert_ok(itsm_policy_set_service_sla(p, "Payroll", "mapped"));
    assert_ok(itsm_policy_set_service_sla(p, "Mail", "mapped"));
    assert_ok(itsm_policy_set_default_sla(p, "default_one"));
    return p;
}

static void the_first_rule_that_holds_wins_over_the_mapping_and_the_default(void **state)
{
    (void)state;
    itsm_policy *p = ordered_policy();
    fixture f;
    fixture_open_policy(&f, p);
    /* P2 on Mail: both rules hold, the first added wins */
    itsm_record *a = open_inc(&f, 1, 2, "Mail");
    assert_string_equal(itsm_record_sla(a), "p1p2");
    assert_int_equal(timer(a, ITSM_TIMER_RESOLUTION, T0).target, HOUR);
    /* P3 on Mail: the second rule, before Mail's mapping */
    itsm_record *b = open_inc(&f, 2, 2, "Mail");
    assert_string_equal(itsm_record_sla(b), "mail");
    /* P3 on Payroll: no rule holds, the mapping */
    itsm_record *c = open_inc(&f, 2, 2, "Payroll");
    assert_string_equal(itsm_record_sla(c), "mapped");
    /* P3 with no service: the default */
    itsm_record *d = open_inc(&f, 2, 2, NULL);
    assert_string_equal(itsm_record_sla(d), "default_one");
    assert_int_equal(timer(d, ITSM_TIMER_RESOLUTION, T0).target, 5 * HOUR);
    assert_replay_same(&f, p, T0 + HOUR);
    fixture_close(&f);
    itsm_policy_free(p);
}

/* An SLA set by hand comes before every rule, and taking it back (NULL)
 * returns the record to the rules, the elapsed time carried over. */
static void an_sla_set_by_hand_comes_before_the_rules(void **state)
{
    (void)state;
    itsm_policy *p = ordered_policy();
    fixture f;
    fixture_open_policy(&f, p);
    itsm_record *r = open_inc(&f, 1, 2, "Mail");
    start_work(r);
    f.clock.now = T0 + 10 * MIN;
    assert_ok(itsm_record_set_sla(r, "by_hand"));
    assert_string_equal(itsm_record_sla(r), "by_hand");
    itsm_timer_info t = timer(r, ITSM_TIMER_RESOLUTION, T0 + 20 * MIN);
    assert_int_equal(t.target, 4 * HOUR);
    assert_int_equal(t.elapsed, 20 * MIN);
    assert_int_equal(t.due, T0 + 4 * HOUR);
    /* a change that makes another rule hold does not move it */
    f.clock.now = T0 + 20 * MIN;
    itsm_change c[2] = { { ITSM_F_IMPACT, NULL, 2 }, { ITSM_F_URGENCY, NULL, 2 } };
    assert_ok(itsm_record_update(r, c, 2));
    assert_int_equal(itsm_record_int(r, ITSM_F_PRIORITY), 3);
    assert_string_equal(itsm_record_sla(r), "by_hand");
    /* taken back: the rules choose again (P3 on Mail: "mail", 2 h) */
    f.clock.now = T0 + 30 * MIN;
    assert_ok(itsm_record_set_sla(r, NULL));
    assert_string_equal(itsm_record_sla(r), "mail");
    t = timer(r, ITSM_TIMER_RESOLUTION, T0 + 30 * MIN);
    assert_int_equal(t.target, 2 * HOUR);
    assert_int_equal(t.elapsed, 30 * MIN);
    assert_int_equal(t.due, T0 + 2 * HOUR);
    assert_replay_same(&f, p, T0 + HOUR);
    fixture_close(&f);
    itsm_policy_free(p);
}

/* Refusals of itsm_policy_add_sla_rule, each leaving the rules as they were. */
static void adding_a_rule_refuses_with_the_reason(void **state)
{
    (void)state;
    itsm_policy *p = ordered_policy();
    assert_int_equal(itsm_policy_add_sla_rule(NULL, "open", "mail"), ITSM_EINVAL);
    assert_int_equal(itsm_policy_add_sla_rule(p, NULL, "mail"), ITSM_EINVAL);
    assert_int_equal(itsm_policy_add_sla_rule(p, "open", NULL), ITSM_EINVAL);
    assert_int_equal(itsm_policy_add_sla_rule(p, "open", "no_such_sla"), ITSM_ENOTFOUND);
    assert_int_equal(itsm_policy_add_sla_rule(p, "priority <= 'high'", "mail"), ITSM_EPARSE);
    assert_non_null(strstr(itsm_policy_errmsg(p), "priority is an int; 'high' is a string"));
    assert_int_equal(itsm_policy_add_sla_rule(p, "tier == 'gold'", "mail"), ITSM_EPARSE);
    assert_non_null(strstr(itsm_policy_errmsg(p), "unknown name 'tier'"));
    /* the place is the offending token's line and column within the text
     * (docs/conditions.md, "Refusals"), on a later line too */
    assert_int_equal(itsm_policy_add_sla_rule(p, "priority <= 2 and\n  servce == 'Mail'", "mail"), ITSM_EPARSE);
    assert_non_null(strstr(itsm_policy_errmsg(p), "line 2, column 3: unknown name 'servce'"));
    assert_int_equal(itsm_policy_add_route_when(p, "open and\n\n priority = 2", "Desk"), ITSM_EPARSE);
    assert_non_null(strstr(itsm_policy_errmsg(p), "line 3, column 11: compare with '=='"));
    /* 64 rules at most: two are there, 62 more fit */
    for (int i = 0; i < 62; i++)
        assert_ok(itsm_policy_add_sla_rule(p, "major", "mail"));
    assert_int_equal(itsm_policy_add_sla_rule(p, "major", "mail"), ITSM_ELIMIT);
    /* none of the refusals added a rule: a P3 on Payroll is still mapped */
    fixture f;
    fixture_open_policy(&f, p);
    assert_string_equal(itsm_record_sla(open_inc(&f, 2, 2, "Payroll")), "mapped");
    fixture_close(&f);
    itsm_policy_free(p);
}

/* A candidate that adds a rule: the default policy plus SLA "fast" (P2
 * response 10 min, resolution 4 h) for "priority <= 2". A P2 on
 * "standard" (8 h) opened at T0 and taken at 5 min: asked at 1 h, the
 * migration check lists "standard" stopping, "fast" starting and the
 * resolution clock moving from T0 + 8 h to T0 + 4 h; a P3 the rule does
 * not take is not listed. Resolved at 5 h, the what-if flips its
 * resolution from met under "standard" to breached under "fast". */
static void a_rule_a_candidate_adds_is_priced_by_the_migration_check_and_the_what_if(void **state)
{
    (void)state;
    itsm_policy *cand;
    assert_ok(itsm_policy_new_default(&cand, NULL));
    itsm_sla_def d = ITSM_SLA_DEF_INIT;
    d.name = "fast";
    for (int i = 0; i < 5; i++) {
        d.response[i] = 600;
        d.resolution[i] = 4 * HOUR;
    }
    assert_ok(itsm_policy_set_sla(cand, &d));
    assert_ok(itsm_policy_add_sla_rule(cand, "priority <= 2", "fast"));
    fixture f;
    fixture_open(&f);
    itsm_record *p2 = open_inc(&f, 1, 2, NULL), *p3 = open_inc(&f, 2, 2, NULL);
    f.clock.now = T0 + 5 * MIN;
    start_work(p2);
    start_work(p3);
    assert_string_equal(itsm_record_sla(p2), "standard");
    f.clock.now = T0 + HOUR;
    itsm_migration *m;
    assert_ok(itsm_engine_migration_check(&m, f.eng, cand));
    assert_int_equal(itsm_migration_records(m), 2);
    assert_int_equal(itsm_migration_count(m), 3);
    itsm_migration_finding x = { .size = sizeof x };
    assert_ok(itsm_migration_at(m, 0, &x));
    assert_int_equal(x.kind, ITSM_MIGRATION_SLA_STOPS);
    assert_string_equal(x.record, itsm_record_id(p2));
    assert_string_equal(x.name, "standard");
    assert_int_equal(x.agreement, 0);
    assert_ok(itsm_migration_at(m, 1, &x));
    assert_int_equal(x.kind, ITSM_MIGRATION_SLA_STARTS);
    assert_string_equal(x.name, "fast");
    assert_int_equal(x.agreement, 0);
    assert_ok(itsm_migration_at(m, 2, &x));
    assert_int_equal(x.kind, ITSM_MIGRATION_TIMER_MOVES);
    assert_int_equal(x.clock, ITSM_WHATIF_RESOLUTION);
    assert_string_equal(x.name, "fast");
    assert_int_equal(x.actual_target, 8 * HOUR);
    assert_int_equal(x.candidate_target, 4 * HOUR);
    assert_int_equal(x.actual_due, T0 + 8 * HOUR);
    assert_int_equal(x.candidate_due, T0 + 4 * HOUR);
    assert_int_equal(x.delta, -4 * HOUR);
    itsm_migration_free(m);

    f.clock.now = T0 + 5 * HOUR;
    resolve(p2);
    itsm_whatif *w;
    assert_ok(itsm_whatif_new(&w, f.eng, cand, NULL));
    assert_int_equal(itsm_whatif_flip_count(w), 1);
    itsm_whatif_flip fl = { .size = sizeof fl };
    assert_ok(itsm_whatif_flip_at(w, 0, &fl));
    assert_string_equal(fl.record, itsm_record_id(p2));
    assert_int_equal(fl.clock, ITSM_WHATIF_RESOLUTION);
    assert_string_equal(fl.actual_sla, "standard");
    assert_string_equal(fl.candidate_sla, "fast");
    assert_int_equal(fl.actual, ITSM_WHATIF_MET);
    assert_int_equal(fl.candidate, ITSM_WHATIF_BREACHED);
    itsm_whatif_free(w);
    fixture_close(&f);
    itsm_policy_free(cand);
}

/* In the policy document a refused rule is placed at its condition's
 * string (docs/conditions.md, "Refusals"), with the line and column of the
 * offending token within the condition in the text; an unknown SLA at
 * its name. Routes by condition are placed the same way. */
static void a_refused_rule_in_the_document_points_at_its_condition(void **state)
{
    (void)state;
    static const struct { const char *doc, *at, *why; } cases[] = {
        { "{\"itsm_policy\":1,\"service_levels\":{\"rules\":[{\"when\":\"priority <= 'high'\",\"sla\":\"standard\"}]}}",
          "\"priority", "line 1, column 13: priority is an int; 'high' is a string" },
        { "{\"itsm_policy\":1,\"service_levels\":{\"rules\":[{\"sla\":\"standard\",\"when\":\"open and\\n tier == 'x'\"}]}}",
          "\"open", "line 2, column 2: unknown name 'tier'" },
        { "{\"itsm_policy\":1,\"service_levels\":{\"rules\":[{\"when\":\"open\",\"sla\":\"nope\"}]}}",
          "\"nope", "no SLA 'nope'" },
        { "{\"itsm_policy\":1,\"escalation\":{\"routing\":[{\"group\":\"Desk\",\"when\":\"servce == 'Mail'\"}]}}",
          "\"servce", "line 1, column 1: unknown name 'servce'" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        itsm_policy *p = NULL;
        itsm_parse_error err;
        int rc = itsm_policy_from_json(&p, cases[i].doc, strlen(cases[i].doc), NULL, NULL, &err);
        size_t want = (size_t)(strstr(cases[i].doc, cases[i].at) - cases[i].doc);
        if (rc != ITSM_EPARSE || err.line != 1 || err.offset != want || err.column != want + 1 ||
            !strstr(err.text, cases[i].why))
            fail_msg("case %zu: %s at %zu:%zu (offset %zu, wanted %zu) '%s'", i, itsm_errname(rc), err.line,
                     err.column, err.offset, want, err.text);
        assert_null(p);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_first_rule_that_holds_wins_over_the_mapping_and_the_default),
        cmocka_unit_test(an_sla_set_by_hand_comes_before_the_rules),
        cmocka_unit_test(adding_a_rule_refuses_with_the_reason),
        cmocka_unit_test(a_refused_rule_in_the_document_points_at_its_condition),
        cmocka_unit_test(a_rule_a_candidate_adds_is_priced_by_the_migration_check_and_the_what_if),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
