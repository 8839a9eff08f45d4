/* SPDX-License-Identifier: Apache-2.0 */
/* docs/change.md, "Risk assessment": the default levels are "low up to 3,
 * medium up to 7, high above", and "the risk level selects the approval
 * rule" - by the defaults (docs/change.md, "Defaults"), a normal change
 * needs a change manager, a high-risk one also a CAB quorum of two. Each
 * boundary total is read from both sides, with the rule it selects. */
#include "change_policy.h"

#include <stdio.h>
#include <string.h>

typedef struct answers { const char *users, *backout, *experience, *outage, *reach; } answers;

static void assess(itsm_record *r, answers a)
{
    assert_ok(itsm_record_answer_risk(r, "users", a.users));
    assert_ok(itsm_record_answer_risk(r, "backout", a.backout));
    assert_ok(itsm_record_answer_risk(r, "experience", a.experience));
    assert_ok(itsm_record_answer_risk(r, "outage", a.outage));
    assert_ok(itsm_record_answer_risk(r, "reach", a.reach));
}

static void the_default_levels_hold_at_their_boundaries(void **state)
{
    (void)state;
    static const struct { answers a; int64_t total; const char *level, *rule; size_t levels; } rows[] = {
        /* experience never: 3 */
        { { "few", "tested", "never", "none", "one" }, 3, "low", "change", 1 },
        /* users organisation: 4 */
        { { "organisation", "tested", "often", "none", "one" }, 4, "medium", "change", 1 },
        /* 4 + 3 */
        { { "organisation", "tested", "never", "none", "one" }, 7, "medium", "change", 1 },
        /* 4 + 3 + 1 */
        { { "organisation", "tested", "never", "none", "several" }, 8, "high", "high_risk_change", 2 },
        { { "few", "tested", "often", "none", "one" }, 0, "low", "change", 1 },
    };
    fixture f;
    fixture_open(&f);
    for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
        char id[16];
        snprintf(id, sizeof id, "CHG%zu", i + 1);
        itsm_record *r = change_open(&f, id, "normal", "mail", NULL);
        assert_ok(itsm_record_fire(r, "assess", NULL, 0));
        assess(r, rows[i].a);
        itsm_risk_info ri = { .size = sizeof ri };
        assert_ok(itsm_record_risk(&ri, r));
        assert_int_equal(ri.score, rows[i].total);
        if (!ri.level || strcmp(ri.level, rows[i].level) != 0)
            fail_msg("total %lld: level %s, wanted %s", (long long)rows[i].total, ri.level ? ri.level : "(none)",
                     rows[i].level);
        itsm_approval_info ai = { .size = sizeof ai };
        assert_ok(itsm_record_approval(&ai, r));
        assert_non_null(ai.rule);
        assert_string_equal(ai.rule, rows[i].rule);
        assert_int_equal(ai.levels, rows[i].levels);
    }
    fixture_close(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_default_levels_hold_at_their_boundaries),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
