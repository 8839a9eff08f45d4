/* SPDX-License-Identifier: Apache-2.0 */
/* Conformance figures from observed moves (itsm/conformance.h:
 * "per-transition fitness, rule-by-rule agreement, and where people bypass
 * the process"): the shortest way round a skipped step, guards judged on
 * the fields a host gives, "*" rules, what counts as a bypass and what only
 * as a deviation, and the figures of a report fed nothing. */
#include "support.h"

#include <string.h>

static itsm_conformance *report(void)
{
    itsm_policy *ref;
    assert_ok(itsm_policy_new_default(&ref, NULL));
    itsm_conformance *c;
    assert_ok(itsm_conformance_new(&c, ref, NULL));
    itsm_policy_free(ref);
    return c;
}

static void observe(itsm_conformance *c, itsm_kind kind, const char *record, const char *from, const char *to,
                    const char *event, const itsm_record *fields)
{
    itsm_observed_move m = ITSM_OBSERVED_MOVE_INIT;
    m.kind = kind;
    m.record = record;
    m.from = from;
    m.to = to;
    m.event = event;
    m.fields = fields;
    assert_ok(itsm_conformance_observe(c, &m));
}

static itsm_conformance_move move_of(const itsm_conformance *c, itsm_kind kind, const char *from, const char *to)
{
    itsm_conformance_move m = { .size = sizeof m };
    for (size_t i = 0; i < itsm_conformance_move_count(c); i++) {
        assert_ok(itsm_conformance_move_at(c, i, &m));
        if (m.kind == kind && ((!from && !m.from) || (from && m.from && !strcmp(from, m.from))) &&
            !strcmp(to, m.to))
            return m;
    }
    fail_msg("no move %s -> %s", from ? from : "(open)", to);
    return m;
}

static itsm_conformance_rule rule_of(const itsm_conformance *c, itsm_kind kind, const char *from, const char *event)
{
    itsm_conformance_rule r = { .size = sizeof r };
    for (size_t i = 0; i < itsm_conformance_rule_count(c); i++) {
        assert_ok(itsm_conformance_rule_at(c, i, &r));
        if (r.kind == kind && !strcmp(r.from, from) && !strcmp(r.event, event))
            return r;
    }
    fail_msg("no rule %s --%s-->", from, event);
    return r;
}

/* Nothing fed: fitness 1 (nothing deviated), and every rule of the
 * reference is listed, unused, with agreement 1. */
static void a_report_fed_nothing_has_full_fitness_and_unused_rules(void **state)
{
    (void)state;
    itsm_conformance *c = report();
    itsm_conformance_summary s = { .size = sizeof s };
    assert_ok(itsm_conformance_summary_of(&s, c));
    assert_int_equal(s.records, 0);
    assert_int_equal(s.moves, 0);
    assert_true(s.fitness == 1.0);
    assert_int_equal(itsm_conformance_move_count(c), 0);
    assert_true(itsm_conformance_rule_count(c) > 0);
    for (size_t i = 0; i < itsm_conformance_rule_count(c); i++) {
        itsm_conformance_rule r = { .size = sizeof r };
        assert_ok(itsm_conformance_rule_at(c, i, &r));
        assert_int_equal(r.used, 0);
        assert_int_equal(r.guard_failed, 0);
        assert_true(r.agreement == 1.0);
    }
    /* the incident rules come in policy order, the first being new --assign--> assigned */
    itsm_conformance_rule r = { .size = sizeof r };
    size_t i = 0;
    for (; i < itsm_conformance_rule_count(c); i++) {
        assert_ok(itsm_conformance_rule_at(c, i, &r));
        if (r.kind == ITSM_KIND_INCIDENT)
            break;
    }
    assert_string_equal(r.from, "new");
    assert_string_equal(r.event, "assign");
    assert_string_equal(r.to, "assigned");
    assert_string_equal(r.guard, "assignment_group");
    itsm_conformance_free(c);
}

/* A problem taken straight from new to known_error skipped two steps: the
 * report names both, in the order of the shortest way round. */
static void a_bypass_names_every_state_on_the_shortest_way_round(void **state)
{
    (void)state;
    itsm_conformance *c = report();
    observe(c, ITSM_KIND_PROBLEM, "PRB-1", NULL, "new", NULL, NULL);
    observe(c, ITSM_KIND_PROBLEM, "PRB-1", "new", "known_error", NULL, NULL);
    itsm_conformance_move m = move_of(c, ITSM_KIND_PROBLEM, "new", "known_error");
    assert_int_equal(m.deviation, ITSM_DEVIATION_SKIP);
    assert_string_equal(m.skipped, "assessed root_cause_analysis");
    assert_int_equal(m.allowed, 0);
    itsm_conformance_summary s = { .size = sizeof s };
    assert_ok(itsm_conformance_summary_of(&s, c));
    assert_int_equal(s.moves, 2);
    assert_int_equal(s.allowed, 1);
    assert_true(s.fitness == 0.5);
    assert_int_equal(s.deviating_records, 1);
    assert_int_equal(s.bypass_records, 1);
    itsm_conformance_free(c);
}

/* Guards are judged on the fields the host gives with the move: the same
 * in_progress -> resolved is a guard failure without a resolution code and
 * allowed with one; the rule's agreement is 1 of 2. */
static void guards_are_judged_on_the_fields_given_with_the_move(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_change bare[] = { { ITSM_F_SUMMARY, "mail down", 0 } };
    itsm_record_opts o = ITSM_RECORD_OPTS_INIT;
    o.fields = bare;
    o.nfields = 1;
    itsm_record *without, *with;
    assert_ok(itsm_record_open(&without, f.eng, &o));
    itsm_change done[] = { { ITSM_F_SUMMARY, "mail down", 0 }, { ITSM_F_RESOLUTION_CODE, "fixed", 0 },
                           { ITSM_F_RESOLUTION_NOTES, "restarted the relay", 0 } };
    o.fields = done;
    o.nfields = 3;
    assert_ok(itsm_record_open(&with, f.eng, &o));

    itsm_conformance *c = report();
    observe(c, ITSM_KIND_INCIDENT, "I1", "in_progress", "resolved", "resolve", without);
    observe(c, ITSM_KIND_INCIDENT, "I2", "in_progress", "resolved", "resolve", with);
    itsm_conformance_move m = move_of(c, ITSM_KIND_INCIDENT, "in_progress", "resolved");
    assert_int_equal(m.count, 2);
    assert_int_equal(m.allowed, 1);
    assert_int_equal(m.guard_failed, 1);
    assert_true(m.fitness == 0.5);
    assert_int_equal(m.deviation, ITSM_DEVIATION_GUARD);
    itsm_conformance_rule r = rule_of(c, ITSM_KIND_INCIDENT, "in_progress", "resolve");
    assert_int_equal(r.used, 1);
    assert_int_equal(r.guard_failed, 1);
    assert_true(r.agreement == 0.5);
    itsm_conformance_summary s = { .size = sizeof s };
    assert_ok(itsm_conformance_summary_of(&s, c));
    assert_int_equal(s.records, 2);
    assert_int_equal(s.bypass_records, 1);   /* a guard skipped is a bypass */
    assert_int_equal(s.deviating_records, 1);
    itsm_conformance_free(c);
    fixture_close(&f);
}

/* "*" leads from any open state: canceling an assigned incident is
 * allowed by the cancel rule; nothing leads out of closed, so a cancel
 * after closing is unforeseen - a deviation, but no bypass (no way round
 * was skipped). */
static void a_star_rule_allows_from_open_states_only(void **state)
{
    (void)state;
    itsm_conformance *c = report();
    observe(c, ITSM_KIND_INCIDENT, "I1", "assigned", "canceled", NULL, NULL);
    observe(c, ITSM_KIND_INCIDENT, "I2", "on_hold", "canceled", NULL, NULL);
    observe(c, ITSM_KIND_INCIDENT, "I3", "closed", "canceled", NULL, NULL);
    observe(c, ITSM_KIND_INCIDENT, "I4", "in_progress", "resolved", NULL, NULL);   /* no fields: allowed */
    itsm_conformance_move m = move_of(c, ITSM_KIND_INCIDENT, "assigned", "canceled");
    assert_int_equal(m.allowed, 1);
    assert_int_equal(m.deviation, ITSM_DEVIATION_NONE);
    m = move_of(c, ITSM_KIND_INCIDENT, "closed", "canceled");
    assert_int_equal(m.allowed, 0);
    assert_int_equal(m.deviation, ITSM_DEVIATION_UNFORESEEN);
    assert_null(m.skipped);
    itsm_conformance_rule r = rule_of(c, ITSM_KIND_INCIDENT, "*", "cancel");
    assert_int_equal(r.used, 2);
    itsm_conformance_summary s = { .size = sizeof s };
    assert_ok(itsm_conformance_summary_of(&s, c));
    assert_int_equal(s.moves, 4);
    assert_int_equal(s.allowed, 3);
    assert_true(s.fitness == 0.75);
    assert_int_equal(s.deviating_records, 1);
    assert_int_equal(s.bypass_records, 0);
    itsm_conformance_free(c);
}

/* A state the reference lacks is its own class, whichever side it is on. */
static void a_state_the_reference_lacks_is_an_unknown_state(void **state)
{
    (void)state;
    itsm_conformance *c = report();
    observe(c, ITSM_KIND_INCIDENT, "I1", "new", "triage", NULL, NULL);
    observe(c, ITSM_KIND_INCIDENT, "I1", "triage", "assigned", NULL, NULL);
    assert_int_equal(move_of(c, ITSM_KIND_INCIDENT, "new", "triage").deviation, ITSM_DEVIATION_UNKNOWN_STATE);
    assert_int_equal(move_of(c, ITSM_KIND_INCIDENT, "triage", "assigned").deviation,
                     ITSM_DEVIATION_UNKNOWN_STATE);
    itsm_conformance_summary s = { .size = sizeof s };
    assert_ok(itsm_conformance_summary_of(&s, c));
    assert_int_equal(s.allowed, 0);
    assert_true(s.fitness == 0.0);
    assert_int_equal(s.deviating_records, 1);
    assert_int_equal(s.bypass_records, 0);
    itsm_conformance_free(c);
}

/* Where several rules fit, the one the move names is tried first and the
 * first whose guard holds allows it: a major incident closed "by the
 * auto-close timer" fails that rule's major=0, but the customer's confirm
 * fits the same move, so the closure is allowed, on confirm. */
static void the_first_fitting_rule_whose_guard_holds_allows_the_move(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_change ch[] = { { ITSM_F_SUMMARY, "mail down", 0 }, { ITSM_F_CATEGORY, "mail", 0 },
                         { ITSM_F_RESOLUTION_CODE, "fixed", 0 }, { ITSM_F_RESOLUTION_NOTES, "relay restarted", 0 },
                         { ITSM_F_ASSIGNEE, "ann", 0 }, { ITSM_F_KNOWLEDGE_DECISION, "not_needed", 0 } };
    itsm_record_opts o = ITSM_RECORD_OPTS_INIT;
    o.fields = ch;
    o.nfields = sizeof ch / sizeof ch[0];
    itsm_record *r;
    assert_ok(itsm_record_open(&r, f.eng, &o));
    assert_ok(itsm_record_set_int(r, ITSM_F_MAJOR, 1));

    itsm_conformance *c = report();
    observe(c, ITSM_KIND_INCIDENT, "I1", "resolved", "closed", "auto_close", r);
    itsm_conformance_move m = move_of(c, ITSM_KIND_INCIDENT, "resolved", "closed");
    assert_int_equal(m.allowed, 1);
    assert_int_equal(m.deviation, ITSM_DEVIATION_NONE);
    assert_int_equal(rule_of(c, ITSM_KIND_INCIDENT, "resolved", "confirm").used, 1);
    assert_int_equal(rule_of(c, ITSM_KIND_INCIDENT, "resolved", "auto_close").used, 0);
    itsm_conformance_free(c);
    fixture_close(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_report_fed_nothing_has_full_fitness_and_unused_rules),
        cmocka_unit_test(a_bypass_names_every_state_on_the_shortest_way_round),
        cmocka_unit_test(guards_are_judged_on_the_fields_given_with_the_move),
        cmocka_unit_test(a_star_rule_allows_from_open_states_only),
        cmocka_unit_test(a_state_the_reference_lacks_is_an_unknown_state),
        cmocka_unit_test(the_first_fitting_rule_whose_guard_holds_allows_the_move),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
