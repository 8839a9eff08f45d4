/* SPDX-License-Identifier: Apache-2.0 */
/* The change authority a new user gets from the default policy, before
 * naming anyone: the questionnaire's risk levels break at totals 3 and 7;
 * low and medium risk need a change manager, high risk also a CAB quorum
 * of two different people; an emergency change is approved by its ECAB
 * alone and needs the window exception only to leave its windows; a
 * standard change is pre-authorized and goes straight onto the schedule. */
#include "approval_read.h"
#include "change_policy.h"

#include <stdio.h>
#include <string.h>

static itsm_risk_info risk_of(const itsm_record *r)
{
    itsm_risk_info ri = { .size = sizeof ri };
    assert_ok(itsm_record_risk(&ri, r));
    return ri;
}

/* Answer the default questionnaire (users, backout, experience, outage,
 * reach) with these answers. */
static void answer_all(itsm_record *r, const char *const a[5])
{
    static const char *const q[] = { "users", "backout", "experience", "outage", "reach" };
    for (int i = 0; i < 5; i++)
        assert_ok(itsm_record_answer_risk(r, q[i], a[i]));
}

static void the_default_risk_levels_break_at_three_and_seven(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    static const struct {
        const char *answers[5];
        int64_t     total;
        const char *level, *rule;
        size_t      levels;
    } cases[] = {
        { { "few", "tested", "often", "none", "one" }, 0, "low", "change", 1 },
        { { "department", "tested", "rarely", "none", "one" }, 3, "low", "change", 1 },
        { { "organisation", "tested", "often", "none", "one" }, 4, "medium", "change", 1 },
        { { "organisation", "tested", "never", "none", "one" }, 7, "medium", "change", 1 },
        { { "organisation", "none", "often", "none", "one" }, 8, "high", "high_risk_change", 2 },
        { { "organisation", "none", "never", "beyond_window", "many" }, 17, "high", "high_risk_change", 2 },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char id[8];
        snprintf(id, sizeof id, "CHG%zu", i + 1);
        itsm_record *r = change_open(&f, id, "normal", "mail", NULL);
        /* Not assessed: no level, and the normal change's rule applies. */
        assert_null(risk_of(r).level);
        assert_string_equal(approval_of(r).rule, "change");
        answer_all(r, cases[i].answers);
        itsm_risk_info ri = risk_of(r);
        if (ri.score != cases[i].total || strcmp(ri.level, cases[i].level))
            fail_msg("%s: total %lld level %s, wanted %lld %s", id, (long long)ri.score, ri.level,
                     (long long)cases[i].total, cases[i].level);
        itsm_approval_info ai = approval_of(r);
        assert_string_equal(ai.rule, cases[i].rule);
        assert_int_equal(ai.levels, cases[i].levels);
    }
    fixture_close(&f);
}

static void a_default_high_risk_change_needs_a_change_manager_and_two_cab_votes(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    assert_ok(itsm_engine_set_actor(f.eng, "pia"));   /* pia opens it: the requester */
    itsm_record *r = change_open(&f, "CHG1", "normal", "mail", NULL);
    assert_ok(itsm_record_fire(r, "assess", NULL, 0));
    change_assess(r, "high");
    itsm_approval_info ai = approval_of(r);
    assert_string_equal(ai.rule, "high_risk_change");
    assert_int_equal(ai.status, ITSM_APPROVAL_PENDING);
    assert_int_equal(ai.current, 1);
    itsm_approval_level cab = level_of(r, 1);
    assert_string_equal(cab.name, "cab");
    assert_int_equal(cab.mode, ITSM_APPROVAL_QUORUM);
    assert_int_equal(cab.needed, 2);
    assert_int_equal(cab.voters, 0);   /* the default names nobody: open to anyone */

    size_t stored = f.store.n;
    assert_fails(f.eng, itsm_record_approve(r, NULL, "pia", NULL), ITSM_EINVAL,
                 "pia cannot decide on CHG1 at level 'change_manager' of approval rule 'high_risk_change': pia is "
                 "the requester (separation of duties)");
    assert_fails(f.eng, itsm_record_approve(r, "cab", "ann", NULL), ITSM_ESTATE,
                 "waits for level 1 'change_manager'");
    assert_int_equal(f.store.n, stored);

    f.clock.now += 600;
    assert_ok(itsm_record_approve(r, NULL, "carl", "Plan reviewed"));
    assert_int_equal(approval_of(r).current, 2);
    assert_ok(itsm_record_approve(r, "cab", "ann", NULL));
    cab = level_of(r, 1);
    assert_int_equal(cab.status, ITSM_LEVEL_PENDING);
    assert_int_equal(cab.approvals, 1);
    /* One person is one vote: the quorum needs a second CAB member. */
    assert_fails(f.eng, itsm_record_approve(r, "cab", "ann", NULL), ITSM_ESTATE, "ann already approved at level 'cab'");
    itsm_change impl = { ITSM_F_ASSIGNEE, "ivan", 0 };
    assert_fails(f.eng, itsm_record_fire(r, "authorize", &impl, 1), ITSM_EGUARD, "'cab'");
    assert_string_equal(itsm_record_state(r), "assessed");

    f.clock.now += 600;
    assert_ok(itsm_record_approve(r, "cab", "bob", NULL));
    ai = approval_of(r);
    assert_int_equal(ai.status, ITSM_APPROVAL_APPROVED);
    assert_int_equal(ai.current, 0);
    assert_int_equal(ai.decided_at, T0 + 1200);
    assert_int_equal(level_of(r, 1).status, ITSM_LEVEL_APPROVED);
    assert_ok(itsm_record_fire(r, "authorize", &impl, 1));
    assert_string_equal(itsm_record_state(r), "authorized");
    assert_int_equal(itsm_record_approval_count(r), 3);
    assert_replays_the_same(f.eng, &f.store);
    fixture_close(&f);
}

static void a_default_emergency_change_is_approved_by_its_ecab_alone(void **state)
{
    (void)state;
    itsm_policy *p;
    assert_ok(itsm_policy_new_default(&p, NULL));
    itsm_blackout_def b = ITSM_BLACKOUT_DEF_INIT;
    b.name = "year_end";
    b.from = at_utc("2026-12-15T00:00:00Z");
    b.to = at_utc("2027-01-05T00:00:00Z");
    assert_ok(itsm_policy_set_blackout(p, &b));
    fixture f;
    fixture_open_with(&f, p, NULL);
    itsm_policy_free(p);
    assert_ok(itsm_engine_set_actor(f.eng, "pia"));
    itsm_record *r = change_open(&f, "CHG1", "emergency", "mail", NULL);
    assert_ok(itsm_record_fire(r, "assess", NULL, 0));
    change_assess(r, "high");   /* the type's rule comes first, whatever the risk */
    itsm_approval_info ai = approval_of(r);
    assert_string_equal(ai.rule, "emergency_change");
    assert_int_equal(ai.levels, 2);
    assert_string_equal(level_of(r, 0).name, "ecab");
    itsm_approval_level exc = level_of(r, 1);
    assert_string_equal(exc.name, "window_exception");
    assert_true(exc.exception);

    assert_ok(itsm_record_approve(r, NULL, "eve", "Outage in progress"));
    ai = approval_of(r);
    assert_int_equal(ai.status, ITSM_APPROVAL_APPROVED);   /* the exception level is not needed */
    itsm_change impl = { ITSM_F_ASSIGNEE, "ivan", 0 };
    assert_ok(itsm_record_fire(r, "authorize", &impl, 1));

    /* In the blackout, only with the exception level approved. */
    change_plan(r, "2026-12-20T22:00:00Z", "2026-12-20T23:00:00Z");
    assert_fails(f.eng, itsm_record_fire(r, "schedule", NULL, 0), ITSM_EGUARD,
                 "as an emergency change it may go there once level 'window_exception' of approval rule "
                 "'emergency_change' is approved");
    assert_string_equal(itsm_record_state(r), "authorized");
    assert_ok(itsm_record_approve(r, "window_exception", "cio", NULL));
    assert_ok(itsm_record_fire(r, "schedule", NULL, 0));
    assert_string_equal(itsm_record_state(r), "scheduled");
    assert_true(itsm_change_on_schedule(r));
    fixture_close(&f);
}

static void a_default_standard_change_is_pre_authorized(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *r = change_open(&f, "CHG1", "standard", "mail", NULL);
    itsm_approval_info ai = approval_of(r);
    assert_int_equal(ai.status, ITSM_APPROVAL_NONE);
    assert_int_equal(ai.levels, 0);
    size_t stored = f.store.n;
    assert_int_equal(itsm_record_approve(r, NULL, "carl", NULL), ITSM_ENOTFOUND);
    assert_int_equal(f.store.n, stored);
    /* Straight from new onto the schedule, unassessed - once planned. */
    assert_int_equal(itsm_record_fire(r, "schedule", NULL, 0), ITSM_EGUARD);
    change_plan(r, "2026-04-01T10:00:00Z", "2026-04-01T11:00:00Z");
    assert_ok(itsm_record_fire(r, "schedule", NULL, 0));
    assert_string_equal(itsm_record_state(r), "scheduled");
    assert_true(itsm_change_on_schedule(r));

    /* That shortcut is for standard changes only. */
    itsm_record *n = change_open(&f, "CHG2", "normal", "mail", NULL);
    change_plan(n, "2026-04-02T10:00:00Z", "2026-04-02T11:00:00Z");
    assert_fails(f.eng, itsm_record_fire(n, "schedule", NULL, 0), ITSM_EGUARD, "change_type");
    assert_string_equal(itsm_record_state(n), "new");
    assert_false(itsm_change_on_schedule(n));
    fixture_close(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_default_risk_levels_break_at_three_and_seven),
        cmocka_unit_test(a_default_high_risk_change_needs_a_change_manager_and_two_cab_votes),
        cmocka_unit_test(a_default_emergency_change_is_approved_by_its_ecab_alone),
        cmocka_unit_test(a_default_standard_change_is_pre_authorized),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
