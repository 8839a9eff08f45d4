/* SPDX-License-Identifier: Apache-2.0 */
/* Robustness of the public API (include/itsm/ headers): policies. NULL for
 * each pointer argument, out-of-range enums and integers, and for strings an
 * over-long one, invalid UTF-8 and "": a negative code the header documents,
 * a fresh engine message naming the argument, every record (and the policy
 * or packet given) exactly as it was (support/api_check.h). */
#define _GNU_SOURCE 1   /* strcasestr */
#include "api_check.h"

static int w_policy(const void *o, char *b, size_t c, size_t *l) { return itsm_policy_to_json(o, b, c, l); }

/* ---- policy ---- */
static void test_policy(void **state)
{
    (void)state;
    world_open();
    itsm_policy *pol = W.pol, *p2 = (itsm_policy *)&W;
    itsm_allocator half = { NULL, NULL, NULL, NULL };
    failalloc fa = { 0, 0, 0, 0 };
    half = failalloc_make(&fa);
    half.realloc_fn = NULL;

    BAD_N(itsm_policy_new_default(NULL, NULL), ITSM_EINVAL);
    BAD_N(itsm_policy_new_default(&p2, &half), ITSM_EINVAL);
    EXPECT(p2 == NULL);
    p2 = (itsm_policy *)&W;
    BAD_N(itsm_policy_new_empty(NULL, NULL), ITSM_EINVAL);
    BAD_N(itsm_policy_new_empty(&p2, &half), ITSM_EINVAL);
    EXPECT(p2 == NULL);
    BAD_N(itsm_policy_clone(NULL, pol), ITSM_EINVAL);
    BAD_N(itsm_policy_clone(&p2, NULL), ITSM_EINVAL);
    EXPECT(p2 == NULL);

    EXPECT(itsm_policy_errmsg(NULL) != NULL);
    EXPECT(itsm_policy_check(NULL) == 0);
    EXPECT(itsm_policy_finding(NULL, 0) == NULL);
    EXPECT(itsm_policy_finding(pol, 0) == NULL);
    EXPECT(itsm_policy_finding(pol, SIZE_MAX) == NULL);
    EXPECT(itsm_policy_priority(NULL, 1, 1) == 0);
    EXPECT(itsm_policy_priority(pol, 0, 1) == 0);
    EXPECT(itsm_policy_priority(pol, 1, 4) == 0);
    EXPECT(itsm_policy_priority(pol, INT_MIN, INT_MAX) == 0);
    EXPECT(itsm_policy_reassignment_rule(NULL) == ITSM_REASSIGN_GROUP);
    EXPECT(itsm_policy_route(NULL, "c", "s") == NULL);
    EXPECT(itsm_policy_route(pol, LONG_STR, BADUTF8) == NULL);

    /* lifecycles */
    BAD_N(itsm_policy_lifecycle_clear(NULL, ITSM_KIND_INCIDENT), ITSM_EINVAL);
    BAD_P(pol, "kind", itsm_policy_lifecycle_clear(pol, (itsm_kind)0), ITSM_EINVAL);
    BAD_P(pol, "kind", itsm_policy_lifecycle_clear(pol, (itsm_kind)6), ITSM_EINVAL);
    BAD_N(itsm_policy_add_state(NULL, ITSM_KIND_INCIDENT, "x", 0), ITSM_EINVAL);
    BAD_P(pol, "kind", itsm_policy_add_state(pol, (itsm_kind)0, "x", 0), ITSM_EINVAL);
    BAD_P(pol, "state", itsm_policy_add_state(pol, ITSM_KIND_INCIDENT, NULL, 0), ITSM_EINVAL);
    BAD_P(pol, "state", itsm_policy_add_state(pol, ITSM_KIND_INCIDENT, EMPTY, 0), ITSM_EINVAL);
    BAD_P(pol, "state", itsm_policy_add_state(pol, ITSM_KIND_INCIDENT, LONG_STR, 0), ITSM_EINVAL);
    BAD_P(pol, "state", itsm_policy_add_state(pol, ITSM_KIND_INCIDENT, BADUTF8, 0), ITSM_EINVAL);
    BAD_P(pol, "new", itsm_policy_add_state(pol, ITSM_KIND_INCIDENT, "new", 0), ITSM_EEXISTS);
    BAD_P(pol, "initial", itsm_policy_add_state(pol, ITSM_KIND_INCIDENT, "second", ITSM_STATE_INITIAL),
          ITSM_EINVAL);
    BAD_P(pol, "flags", itsm_policy_add_state(pol, ITSM_KIND_INCIDENT, "odd", 0x80u), ITSM_EINVAL);
    BAD_N(itsm_policy_add_event(NULL, ITSM_KIND_INCIDENT, "x"), ITSM_EINVAL);
    BAD_P(pol, "kind", itsm_policy_add_event(pol, (itsm_kind)99, "x"), ITSM_EINVAL);
    BAD_P(pol, "event", itsm_policy_add_event(pol, ITSM_KIND_INCIDENT, NULL), ITSM_EINVAL);
    BAD_P(pol, "event", itsm_policy_add_event(pol, ITSM_KIND_INCIDENT, EMPTY), ITSM_EINVAL);
    BAD_P(pol, "event", itsm_policy_add_event(pol, ITSM_KIND_INCIDENT, LONG_STR), ITSM_EINVAL);
    BAD_P(pol, "event", itsm_policy_add_event(pol, ITSM_KIND_INCIDENT, BADUTF8), ITSM_EINVAL);
    BAD_P(pol, "assign", itsm_policy_add_event(pol, ITSM_KIND_INCIDENT, "assign"), ITSM_EEXISTS);

    itsm_transition_def td = ITSM_TRANSITION_DEF_INIT;
    td.from = "new";
    td.event = "assign";
    td.to = "assigned";
    BAD_N(itsm_policy_add_transition(NULL, ITSM_KIND_INCIDENT, &td), ITSM_EINVAL);
    BAD_P(pol, "kind", itsm_policy_add_transition(pol, (itsm_kind)0, &td), ITSM_EINVAL);
    BAD_P(pol, "transition", itsm_policy_add_transition(pol, ITSM_KIND_INCIDENT, NULL), ITSM_EINVAL);
    td.version = 2;
    BAD_P(pol, "version", itsm_policy_add_transition(pol, ITSM_KIND_INCIDENT, &td), ITSM_EINVAL);
    td.version = ITSM_TRANSITION_DEF_VERSION;
    BAD_P(pol, "assign", itsm_policy_add_transition(pol, ITSM_KIND_INCIDENT, &td), ITSM_EEXISTS);
    {
        struct { const char *from, *event, *to, *guard, *stamp, *clear; const char *needle; int code; } bad[] = {
            { NULL, "assign", "assigned", NULL, NULL, NULL, "from", ITSM_EINVAL },
            { "new", NULL, "assigned", NULL, NULL, NULL, "event", ITSM_EINVAL },
            { "new", "assign", NULL, NULL, NULL, NULL, "to", ITSM_EINVAL },
            { "nowhere", "assign", "assigned", NULL, NULL, NULL, "nowhere", ITSM_ENOTFOUND },
            { "new", "fly", "assigned", NULL, NULL, NULL, "fly", ITSM_ENOTFOUND },
            { "new", "assign", "moon", NULL, NULL, NULL, "moon", ITSM_ENOTFOUND },
            { EMPTY, "assign", "assigned", NULL, NULL, NULL, "from", ITSM_ENOTFOUND, },
            { BADUTF8, "assign", "assigned", NULL, NULL, NULL, "state", ITSM_ENOTFOUND },
            { "assigned", "resolve", "resolved", "nofield", NULL, NULL, "nofield", ITSM_ENOTFOUND },
            { "assigned", "resolve", "resolved", "a=", NULL, NULL, "'a'", ITSM_ENOTFOUND },
            { "assigned", "resolve", "resolved", "summary=", NULL, NULL, "guard", ITSM_EINVAL },
            { "assigned", "resolve", "resolved", BADUTF8, NULL, NULL, "field", ITSM_ENOTFOUND },
            { "assigned", "resolve", "resolved", NULL, "summary", NULL, "summary", ITSM_EINVAL },
            { "assigned", "resolve", "resolved", NULL, NULL, "opened_at", "opened_at", ITSM_EINVAL },
        };
        for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
            itsm_transition_def d = ITSM_TRANSITION_DEF_INIT;
            d.from = bad[i].from;
            d.event = bad[i].event;
            d.to = bad[i].to;
            d.guard = bad[i].guard;
            d.stamp = bad[i].stamp;
            d.clear = bad[i].clear;
            BAD_P(pol, bad[i].needle, itsm_policy_add_transition(pol, ITSM_KIND_INCIDENT, &d), bad[i].code,
                  ITSM_EINVAL);
        }
        itsm_transition_def d = ITSM_TRANSITION_DEF_INIT;
        d.from = "assigned";
        d.event = "resolve";
        d.to = "resolved";
        d.guard = LONG_STR;
        BAD_P(pol, "field", itsm_policy_add_transition(pol, ITSM_KIND_INCIDENT, &d), ITSM_EINVAL,
              ITSM_ELIMIT, ITSM_ENOTFOUND);
    }

    /* priority matrix */
    BAD_N(itsm_policy_set_priority(NULL, 1, 1, 1), ITSM_EINVAL);
    BAD_P(pol, "impact", itsm_policy_set_priority(pol, 0, 1, 1), ITSM_EINVAL);
    BAD_P(pol, "urgency", itsm_policy_set_priority(pol, 1, 4, 1), ITSM_EINVAL);
    BAD_P(pol, "priority", itsm_policy_set_priority(pol, 1, 1, 0), ITSM_EINVAL);
    BAD_P(pol, "priority", itsm_policy_set_priority(pol, 1, 1, 6), ITSM_EINVAL);

    /* reassignment rule */
    BAD_N(itsm_policy_set_reassignment_rule(NULL, ITSM_REASSIGN_GROUP), ITSM_EINVAL);
    BAD_P(pol, "reassignment rule", itsm_policy_set_reassignment_rule(pol, (itsm_reassign_rule)3), ITSM_EINVAL);
    BAD_P(pol, "reassignment rule", itsm_policy_set_reassignment_rule(pol, (itsm_reassign_rule)-1), ITSM_EINVAL);

    /* documents */
    itsm_parse_error pe;
    const char *docs[] = { "{", "", "\"\xff\"", "[]", "{\"version\":1,\"version\":1}", "nul" };
    for (size_t i = 0; i < sizeof docs / sizeof docs[0]; i++) {
        p2 = (itsm_policy *)&W;
        memset(&pe, 0, sizeof pe);
        BAD_N(itsm_policy_from_json(&p2, docs[i], strlen(docs[i]), NULL, NULL, &pe), ITSM_EPARSE);
        EXPECT(p2 == NULL && pe.code == ITSM_EPARSE && pe.text[0] && pe.line >= 1);
        p2 = (itsm_policy *)&W;
        BAD_N(itsm_policy_parse_json(&p2, docs[i], strlen(docs[i]), NULL, NULL, NULL), ITSM_EPARSE);
        EXPECT(p2 == NULL);
    }
    {
        char deep[300];
        memset(deep, '[', sizeof deep);
        p2 = (itsm_policy *)&W;
        BAD_N(itsm_policy_from_json(&p2, deep, sizeof deep, NULL, NULL, &pe), ITSM_ELIMIT, ITSM_EPARSE);
        EXPECT(p2 == NULL);
        itsm_json_limits lim = { 4, 0, 0 };
        BAD_N(itsm_policy_from_json(&p2, "{}    ", 6, NULL, &lim, &pe), ITSM_ELIMIT);
        EXPECT(pe.code == ITSM_ELIMIT);
        BAD_N(itsm_policy_parse_json(&p2, "{}    ", 6, &half, NULL, &pe), ITSM_EINVAL);
    }
    BAD_N(itsm_policy_from_json(NULL, "{}", 2, NULL, NULL, &pe), ITSM_EINVAL);
    BAD_N(itsm_policy_from_json(&p2, NULL, 2, NULL, NULL, &pe), ITSM_EINVAL);
    BAD_N(itsm_policy_parse_json(NULL, "{}", 2, NULL, NULL, &pe), ITSM_EINVAL);
    BAD_N(itsm_policy_parse_json(&p2, NULL, 2, NULL, NULL, &pe), ITSM_EINVAL);
    size_t len = 0;
    BAD_N(itsm_policy_to_json(NULL, NULL, 0, &len), ITSM_EINVAL);
    BAD_N(itsm_policy_to_json(pol, NULL, 0, NULL), ITSM_EINVAL);
    BAD_N(itsm_policy_to_json(pol, NULL, 10, &len), ITSM_EINVAL);
    check_writer(__LINE__, "itsm_policy_to_json", w_policy, pol);

    world_close();
    assert_int_equal(failures, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_policy, reset),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
