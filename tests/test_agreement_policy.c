/* SPDX-License-Identifier: Apache-2.0 */
/* Agreements in the policy: definitions by conditions, checked when they
 * are set or read, refused with the condition's line and column, and
 * written back byte for byte. */
#include "sla/sla_support.h"
#include "sla/sla_int.h"

static const itsm_agreement_target p12[] = { { 1, 4 * HOUR, NULL }, { 2, 8 * HOUR, "business" } };

static itsm_agreement_def gold(void)
{
    itsm_agreement_def d = ITSM_AGREEMENT_DEF_INIT;
    d.name = "gold_resolution";
    d.applies = "kind == 'incident' and priority <= 2 and service == 'Payroll'";
    d.start = "assignment_group != null";
    d.pause = "hold_reason == 'awaiting_customer'";
    d.stop = "state in ('resolved', 'closed')";
    d.reset = "event == 'reopen'";
    d.targets = p12;
    d.ntargets = 2;
    return d;
}

static void an_agreement_is_set_listed_and_removed(void **state)
{
    (void)state;
    itsm_policy *p;
    assert_ok(itsm_policy_new_default(&p, NULL));
    assert_int_equal(itsm_policy_agreement_count(p), 0);
    itsm_agreement_def d = gold();
    assert_ok(itsm_policy_set_agreement(p, &d, NULL));
    d.name = "network_ola";
    d.type = ITSM_AGREEMENT_OLA;
    d.applies = NULL;
    assert_ok(itsm_policy_set_agreement(p, &d, NULL));
    assert_ok(itsm_policy_set_agreement(p, &d, NULL));   /* replaced, not added */
    assert_int_equal(itsm_policy_agreement_count(p), 2);
    assert_string_equal(itsm_policy_agreement_name(p, 1), "network_ola");
    assert_null(itsm_policy_agreement_name(p, 2));
    assert_ok(itsm_policy_remove_agreement(p, "gold_resolution"));
    assert_int_equal(itsm_policy_remove_agreement(p, "gold_resolution"), ITSM_ENOTFOUND);
    assert_string_equal(itsm_policy_agreement_name(p, 0), "network_ola");
    /* an engine copies them */
    itsm_engine *eng;
    itsm_engine_opts o = ITSM_ENGINE_OPTS_INIT;
    o.policy = p;
    assert_ok(itsm_engine_new(&eng, &o));
    assert_int_equal(itsm_policy_agreement_count(itsm_engine_policy(eng)), 1);
    itsm_engine_free(eng);
    itsm_policy_free(p);
}

static void refused_definitions_name_the_reason(void **state)
{
    (void)state;
    itsm_policy *p;
    assert_ok(itsm_policy_new_default(&p, NULL));
    itsm_parse_error err;
    itsm_agreement_def d = gold();
    d.stop = "stat == 'resolved'";
    assert_int_equal(itsm_policy_set_agreement(p, &d, &err), ITSM_EPARSE);
    assert_int_equal(err.line, 1);
    assert_int_equal(err.column, 1);
    assert_string_equal(err.text, "stop: unknown name 'stat'");
    assert_non_null(strstr(itsm_policy_errmsg(p), "agreement 'gold_resolution': stop condition, line 1, column 1"));
    d = gold();
    d.pause = "hold_reason == 'awaiting_customer' and\n priority == 'high'";
    assert_int_equal(itsm_policy_set_agreement(p, &d, &err), ITSM_EPARSE);
    assert_int_equal(err.line, 2);
    assert_int_equal(err.column, 14);
    assert_non_null(strstr(err.text, "pause: priority is an int"));
    d = gold();
    d.reset = "event == 'reopne'";
    assert_int_equal(itsm_policy_set_agreement(p, &d, &err), ITSM_EPARSE);
    assert_non_null(strstr(err.text, "'reopne' is not an event of the policy's lifecycles"));
    static const struct { int what; int code; const char *needle; } bad[] = {
        { 0, ITSM_EINVAL, "needs a stop" }, { 1, ITSM_EINVAL, "type 7" }, { 2, ITSM_EINVAL, "1..6 targets" },
        { 3, ITSM_EINVAL, "two targets for priority 1" }, { 4, ITSM_ENOTFOUND, "unknown calendar 'nope'" },
        { 5, ITSM_EINVAL, "warnings must be ascending" }, { 6, ITSM_EINVAL, "breaches must be ascending" },
        { 7, ITSM_EINVAL, "name" }, { 8, ITSM_EINVAL, "priority 0..5" }, { 9, ITSM_EINVAL, "version" },
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        d = gold();
        itsm_agreement_target t[2] = { { 1, HOUR, NULL }, { 1, HOUR, NULL } };
        static const unsigned w_bad[] = { 750, 500 }, b_bad[] = { 999 };
        switch (bad[i].what) {
        case 0: d.stop = NULL; break;
        case 1: d.type = (itsm_agreement_type)7; break;
        case 2: d.ntargets = 0; break;
        case 3: d.targets = t; break;
        case 4: t[0].calendar = "nope"; d.targets = t; d.ntargets = 1; break;
        case 5: d.warnings = w_bad; d.nwarnings = 2; break;
        case 6: d.breaches = b_bad; d.nbreaches = 1; break;
        case 7: d.name = "Gold"; break;
        case 8: t[0].priority = 6; d.targets = t; d.ntargets = 1; break;
        case 9: d.version = 2; break;
        }
        int rc = itsm_policy_set_agreement(p, &d, &err);
        if (rc != bad[i].code || !strstr(itsm_policy_errmsg(p), bad[i].needle))
            fail_msg("case %zu: %s '%s'", i, itsm_errname(rc), itsm_policy_errmsg(p));
    }
    assert_int_equal(itsm_policy_agreement_count(p), 0);
    assert_int_equal(itsm_policy_set_agreement(NULL, &d, &err), ITSM_EINVAL);
    /* at most 64 */
    d = gold();
    char names[ITSM_MAX_AGREEMENTS + 1][16];
    for (int i = 0; i <= ITSM_MAX_AGREEMENTS; i++) {
        snprintf(names[i], sizeof names[i], "a%d", i);
        d.name = names[i];
        assert_int_equal(itsm_policy_set_agreement(p, &d, NULL), i < ITSM_MAX_AGREEMENTS ? ITSM_OK : ITSM_ELIMIT);
    }
    itsm_policy_free(p);
}

static const char agreements[] =
    "\"agreements\":[{\"name\":\"gold\",\"type\":\"sla\","
    "\"applies\":\"kind == 'incident' and priority <= 2\",\"start\":\"assignment_group != null\","
    "\"pause\":\"hold_reason == \\\"awaiting_customer\\\"\",\"stop\":\"state in ('resolved', 'closed')\","
    "\"reset\":\"event == 'reopen'\","
    "\"targets\":[{\"priority\":1,\"target\":14400,\"calendar\":\"24x7\"},{\"target\":28800,\"calendar\":\"business\"}],"
    "\"warnings\":[0.5,0.75],\"breaches\":[1,1.5,2],\"climb\":true},"
    "{\"name\":\"network_ola\",\"type\":\"ola\",\"start\":\"assignment_group == 'Network'\","
    "\"stop\":\"assignment_group != 'Network' or state == 'resolved'\","
    "\"targets\":[{\"priority\":1,\"target\":3600,\"calendar\":\"24x7\"},{\"priority\":2,\"target\":7200,\"calendar\":\"24x7\"}],"
    "\"warnings\":[],\"breaches\":[1],\"climb\":false}]";

static char *to_json(const itsm_policy *p)
{
    size_t len;
    assert_int_equal(itsm_policy_to_json(p, NULL, 0, &len), ITSM_ELIMIT);
    char *s = malloc(len + 1);
    assert_ok(itsm_policy_to_json(p, s, len + 1, &len));
    return s;
}

/* The default policy's document with `section` in place of its empty
 * agreements. Caller frees. */
static char *with_agreements(const char *section)
{
    itsm_policy *p;
    assert_ok(itsm_policy_new_default(&p, NULL));
    char *a = to_json(p);
    itsm_policy_free(p);
    char *at = strstr(a, "\"agreements\":[]");
    assert_non_null(at);
    size_t head = (size_t)(at - a), tail = strlen(at + 15);
    char *doc = malloc(head + strlen(section) + tail + 1);
    memcpy(doc, a, head);
    memcpy(doc + head, section, strlen(section));
    memcpy(doc + head + strlen(section), at + 15, tail + 1);
    free(a);
    return doc;
}

static void agreements_round_trip_through_the_document(void **state)
{
    (void)state;
    itsm_policy *p, *q;
    itsm_parse_error err;
    char *doc = with_agreements(agreements);
    if (itsm_policy_from_json(&p, doc, strlen(doc), NULL, NULL, &err) != ITSM_OK)
        fail_msg("%zu:%zu %s", err.line, err.column, err.text);
    assert_int_equal(itsm_policy_agreement_count(p), 2);
    char *a = to_json(p);
    assert_string_equal(a, doc);   /* written as read: the section is in the writer's order */
    assert_ok(itsm_policy_from_json(&q, a, strlen(a), NULL, NULL, &err));
    char *b = to_json(q);
    assert_string_equal(a, b);
    free(a);
    free(b);
    free(doc);
    itsm_policy_free(p);
    itsm_policy_free(q);
}

static void a_bad_condition_in_the_document_points_into_its_string(void **state)
{
    (void)state;
    /* the column is the offending token's in the document (escapes before
     * it count as they are written) */
    static const struct { const char *doc; const char *at; const char *needle; } cases[] = {
        { "{\"itsm_policy\":1,\"agreements\":[{\"name\":\"g\",\"targets\":[{\"target\":60}],"
          "\"stop\":\"open and stat == 'x'\"}]}",
          "stat", "agreement 'g' stop: unknown name 'stat'" },
        { "{\"itsm_policy\":1,\"agreements\":[{\"name\":\"g\",\"targets\":[{\"target\":60}],"
          "\"stop\":\"service == \\\"a\\\" and\\n priority == 'x'\"}]}",
          "'x'", "stop: priority is an int; 'x' is a string" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        itsm_policy *p = NULL;
        itsm_parse_error err;
        int rc = itsm_policy_from_json(&p, cases[i].doc, strlen(cases[i].doc), NULL, NULL, &err);
        size_t want = (size_t)(strstr(cases[i].doc, cases[i].at) - cases[i].doc);
        if (rc != ITSM_EPARSE || err.line != 1 || err.column != want + 1 || err.offset != want ||
            !strstr(err.text, cases[i].needle))
            fail_msg("case %zu: %s at %zu:%zu (offset %zu) '%s'", i, itsm_errname(rc), err.line, err.column,
                     err.offset, err.text);
        assert_null(p);
    }
    /* states are known once the lifecycles are read, wherever they stand */
    char *doc = with_agreements("\"agreements\":[{\"name\":\"g\",\"targets\":[{\"target\":60}],"
                                "\"stop\":\"state == 'resolved'\",\"applies\":\"state == 'limbo'\"}]");
    itsm_policy *lp = NULL;
    itsm_parse_error lerr;
    assert_int_equal(itsm_policy_from_json(&lp, doc, strlen(doc), NULL, NULL, &lerr), ITSM_EPARSE);
    assert_int_equal(lerr.offset, (size_t)(strstr(doc, "'limbo'") - doc));
    assert_non_null(strstr(lerr.text, "applies: 'limbo' is not a state"));
    free(doc);
    static const struct { const char *doc; const char *needle; } schema[] = {
        { "{\"itsm_policy\":1,\"agreements\":{}}", "'agreements' must be an array" },
        { "{\"itsm_policy\":1,\"agreements\":[{\"name\":\"g\",\"targets\":[{\"target\":60}]}]}", "needs a 'stop'" },
        { "{\"itsm_policy\":1,\"agreements\":[{\"name\":\"g\",\"stop\":\"open\"}]}", "needs 'targets'" },
        { "{\"itsm_policy\":1,\"agreements\":[{\"name\":\"g\",\"stop\":5,\"targets\":[{\"target\":60}]}]}",
          "'stop' must be a condition" },
        { "{\"itsm_policy\":1,\"agreements\":[{\"name\":\"g\",\"stop\":\"open\",\"type\":\"xla\",\"targets\":[{\"target\":60}]}]}",
          "'type' must be" },
        { "{\"itsm_policy\":1,\"agreements\":[{\"name\":\"g\",\"stop\":\"open\",\"targets\":[{\"target\":60,\"priority\":0}]}]}",
          "'priority' must be 1..5" },
        { "{\"itsm_policy\":1,\"agreements\":[{\"name\":\"g\",\"stop\":\"open\",\"targets\":[{\"target\":60}],\"warnings\":[1.5]}]}",
          "whole thousandths 0.001..0.999" },
        { "{\"itsm_policy\":1,\"agreements\":[{\"name\":\"g\",\"stop\":\"open\",\"targets\":[{\"target\":60}],\"breaches\":[0.5]}]}",
          "whole thousandths 1..10" },
        { "{\"itsm_policy\":1,\"agreements\":[{\"name\":\"g\",\"stop\":\"open\",\"targets\":[{\"target\":60}],\"due\":1}]}",
          "unknown member 'due'" },
        { "{\"itsm_policy\":1,\"agreements\":[{\"name\":\"g\",\"stop\":\"open\",\"targets\":[{\"target\":60},{\"target\":70}]}]}",
          "two targets for priority 0" },
    };
    for (size_t i = 0; i < sizeof schema / sizeof schema[0]; i++) {
        itsm_policy *p = NULL;
        itsm_parse_error err;
        int rc = itsm_policy_from_json(&p, schema[i].doc, strlen(schema[i].doc), NULL, NULL, &err);
        if (rc != ITSM_EPARSE || !strstr(err.text, schema[i].needle))
            fail_msg("schema case %zu: %s '%s'", i, itsm_errname(rc), err.text);
    }
}

/* A document written by hand or by another tool spells strings its own
 * way: \uXXXX for any character (Python's json.dumps does so for every
 * non-ASCII one), "\/" for a slash. The place of a bad condition counts
 * each escape as it stands in the document, not as the library's writer
 * would spell the character. */
static void escapes_the_writer_does_not_use_count_as_written(void **state)
{
    (void)state;
    static const char *const docs[] = {
        "{\"itsm_policy\":1,\"agreements\":[{\"name\":\"g\",\"targets\":[{\"target\":60}],"
        "\"stop\":\"summary == \\\"caf\\u00e9\\\" and stat == 1\"}]}",
        "{\"itsm_policy\":1,\"agreements\":[{\"name\":\"g\",\"targets\":[{\"target\":60}],"
        "\"stop\":\"service == 'a\\/b' and stat == 1\"}]}",
        "{\"itsm_policy\":1,\"agreements\":[{\"name\":\"g\",\"targets\":[{\"target\":60}],"
        "\"stop\":\"summary == '\\u0041\\ud83d\\ude00\\u20ac' and stat == 1\"}]}",
        "{\"itsm_policy\":1,\"agreements\":[{\"name\":\"g\",\"targets\":[{\"target\":60}],"
        "\"stop\":\"summary == 'caf\xc3\xa9' and stat == 1\"}]}",
    };
    for (size_t i = 0; i < sizeof docs / sizeof docs[0]; i++) {
        itsm_policy *p = NULL;
        itsm_parse_error err;
        int rc = itsm_policy_from_json(&p, docs[i], strlen(docs[i]), NULL, NULL, &err);
        size_t want = (size_t)(strstr(docs[i], "stat ==") - docs[i]);
        if (rc != ITSM_EPARSE || err.line != 1 || err.column != want + 1 || err.offset != want ||
            !strstr(err.text, "unknown name 'stat'"))
            fail_msg("case %zu: %s at %zu:%zu (offset %zu, want %zu) '%s'", i, itsm_errname(rc), err.line,
                     err.column, err.offset, want, err.text);
        assert_null(p);
    }
}

static void a_lifecycle_change_after_the_fact_is_a_finding(void **state)
{
    (void)state;
    itsm_policy *p;
    assert_ok(itsm_policy_new_default(&p, NULL));
    itsm_agreement_def d = gold();
    assert_ok(itsm_policy_set_agreement(p, &d, NULL));
    assert_int_equal(itsm_policy_check(p), 0);
    /* the incident lifecycle loses its 'reopen' event: the reset condition
     * no longer compiles */
    assert_ok(itsm_policy_lifecycle_clear(p, ITSM_KIND_INCIDENT));
    assert_ok(itsm_policy_lifecycle_clear(p, ITSM_KIND_SERVICE_REQUEST));
    size_t n = itsm_policy_check(p);
    int found = 0;
    for (size_t i = 0; i < n; i++)
        found |= strstr(itsm_policy_finding(p, i), "agreements: 'gold_resolution' reset, line 1, column 10") != NULL;
    assert_true(found);
    itsm_policy_free(p);
}

static void setting_under_allocation_failure_changes_nothing(void **state)
{
    (void)state;
    for (long k = 1;; k++) {
        failalloc fa = { 0, 0, 0, 0 };
        itsm_allocator a = failalloc_make(&fa);
        itsm_policy *p;
        assert_ok(itsm_policy_new_default(&p, &a));
        fa.fail_at = fa.calls + k;
        itsm_agreement_def d = gold();
        int rc = itsm_policy_set_agreement(p, &d, NULL);
        if (rc == ITSM_OK) {
            assert_int_equal(itsm_policy_agreement_count(p), 1);
            itsm_policy *q;
            fa.fail_at = 0;
            assert_ok(itsm_policy_clone(&q, p));
            itsm_policy_free(q);
            itsm_policy_free(p);
            assert_int_equal(fa.live, 0);
            break;
        }
        assert_int_equal(rc, ITSM_ENOMEM);
        assert_int_equal(itsm_policy_agreement_count(p), 0);
        itsm_policy_free(p);
        assert_int_equal(fa.live, 0);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(an_agreement_is_set_listed_and_removed),
        cmocka_unit_test(refused_definitions_name_the_reason),
        cmocka_unit_test(agreements_round_trip_through_the_document),
        cmocka_unit_test(a_bad_condition_in_the_document_points_into_its_string),
        cmocka_unit_test(escapes_the_writer_does_not_use_count_as_written),
        cmocka_unit_test(a_lifecycle_change_after_the_fact_is_a_finding),
        cmocka_unit_test(setting_under_allocation_failure_changes_nothing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
