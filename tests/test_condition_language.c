/* SPDX-License-Identifier: Apache-2.0 */
/* The condition language as docs/conditions.md states it, through the
 * public API on the default policy's real names: the documented refusals
 * (reason, line and column), the documented examples, how an unset value
 * compares, constants on the left, precedence, and the limits. */
#include "sla/sla_support.h"

static int check(const itsm_policy *p, const char *text, itsm_parse_error *err)
{
    return itsm_policy_check_condition(p, text, strlen(text), err);
}

static int holds(const itsm_record *r, const char *text)
{
    int out = -1;
    itsm_parse_error err;
    if (itsm_record_condition(&out, r, text, strlen(text), &err) != ITSM_OK)
        fail_msg("'%s' refused at %zu:%zu: %s", text, err.line, err.column, err.text);
    return out;
}

/* The table "Refusals" of docs/conditions.md, row by row; the column is
 * that of the offending token. */
static void the_documented_refusals_point_at_the_offending_token(void **state)
{
    (void)state;
    static const struct { const char *text; size_t column; const char *why; } rows[] = {
        { "prioritty <= 2", 1, "unknown name 'prioritty'" },
        { "priority <= 'high'", 13, "priority is an int; 'high' is a string" },
        { "service < 'M'", 9, "'<' orders numbers and times; service is a symbol" },
        { "priority == 7", 13, "priority is 1..5; 7 is never equal" },
        { "state == 'resovled'", 10, "'resovled' is not a state of the policy's lifecycles" },
        { "priority", 1, "priority is an int, not a condition: compare it (==, <, in ...)" },
        { "'priority' == 2", 1, "compares two constants (is a name quoted?)" },
        { "priority = 2", 10, "compare with '==', not '='" },
        { "major && open", 7, "use the words and, or, not" },
        { "opened_at < '2026-03-02'", 13, "opened_at is a time: write \"YYYY-MM-DDTHH:MM:SSZ\"" },
    };
    itsm_policy *p;
    assert_ok(itsm_policy_new_default(&p, NULL));
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        itsm_parse_error err;
        int rc = check(p, rows[i].text, &err);
        if (rc != ITSM_EPARSE || err.line != 1 || err.column != rows[i].column ||
            err.offset != rows[i].column - 1 || !strstr(err.text, rows[i].why))
            fail_msg("'%s': %s at %zu:%zu '%s'; wanted 1:%zu '%s'", rows[i].text, itsm_errname(rc), err.line,
                     err.column, err.text, rows[i].column, rows[i].why);
    }
    /* on a later line, the column counts from that line's start */
    itsm_parse_error err;
    assert_int_equal(check(p, "kind == 'incident' and\n    prioritty <= 2", &err), ITSM_EPARSE);
    assert_int_equal(err.line, 2);
    assert_int_equal(err.column, 5);
    assert_non_null(strstr(err.text, "unknown name 'prioritty'"));
    itsm_policy_free(p);
}

/* The examples at the head of docs/conditions.md and in itsm/condition.h
 * compile against the default policy. */
static void the_documented_examples_compile(void **state)
{
    (void)state;
    static const char *const examples[] = {
        "kind == 'incident' and priority <= 2 and service in ('Payroll', 'Mail')",
        "state != 'resolved' and not major and hold_reason == null",
        "hold_reason in ('awaiting_customer', 'awaiting_supplier')",
        "(priority == 1 or major) and assignment_group == 'Network'",
        "opened_at >= '2026-07-01T00:00:00Z' and reassignments < 3",
        "assignee == caller",
        "2 >= priority",
        "event == 'reopen'",
    };
    itsm_policy *p;
    assert_ok(itsm_policy_new_default(&p, NULL));
    for (size_t i = 0; i < sizeof examples / sizeof examples[0]; i++) {
        itsm_parse_error err;
        if (check(p, examples[i], &err) != ITSM_OK)
            fail_msg("'%s' refused at %zu:%zu: %s", examples[i], err.line, err.column, err.text);
    }
    itsm_policy_free(p);
}

/* "Unset values" of docs/conditions.md on a record with no priority, no
 * service and no hold reason, but a group. */
static void unset_values_compare_as_documented(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *r = NULL;
    itsm_change init[2] = { { ITSM_F_SUMMARY, "Printer jam", 0 }, { ITSM_F_ASSIGNMENT_GROUP, "Desk", 0 } };
    itsm_record_opts o = ITSM_RECORD_OPTS_INIT;
    o.fields = init;
    o.nfields = 2;
    assert_ok(itsm_record_open(&r, f.eng, &o));
    assert_int_equal(itsm_record_int(r, ITSM_F_PRIORITY), 0);
    /* no priority: every test false, their negations true */
    assert_int_equal(holds(r, "priority == null"), 1);
    assert_int_equal(holds(r, "priority <= 2"), 0);
    assert_int_equal(holds(r, "priority > 2"), 0);
    assert_int_equal(holds(r, "priority in (1, 2)"), 0);
    assert_int_equal(holds(r, "priority != 3"), 1);
    assert_int_equal(holds(r, "priority not in (1, 2)"), 1);
    assert_int_equal(holds(r, "impact == null and urgency == null"), 1);
    /* a group and no service: not equal; two unset names: equal */
    assert_int_equal(holds(r, "assignment_group == service"), 0);
    assert_int_equal(holds(r, "assignment_group != service"), 1);
    assert_int_equal(holds(r, "service == hold_reason"), 1);
    assert_int_equal(holds(r, "service != hold_reason"), 0);
    assert_int_equal(holds(r, "service == null and service != 'Mail'"), 1);
    /* a bool unset is false; a counter always has a value */
    assert_int_equal(holds(r, "major == false and not major"), 1);
    assert_int_equal(holds(r, "major == null"), 0);
    assert_int_equal(holds(r, "reassignments == 0 and reopens == 0"), 1);
    assert_int_equal(holds(r, "reassignments == null"), 0);
    /* times: set at opening, unset until stamped */
    assert_int_equal(holds(r, "opened_at == '2026-03-02T09:00:00Z' and responded_at == null"), 1);
    assert_int_equal(holds(r, "resolved_at < '2030-01-01T00:00:00Z'"), 0);
    assert_int_equal(holds(r, "resolved_at >= '2030-01-01T00:00:00Z'"), 0);
    fixture_close(&f);
}

/* "2 >= priority" is "priority <= 2"; not binds tightest, then and, then or. */
static void constants_on_the_left_turn_round_and_not_binds_tightest(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *p2 = open_inc(&f, 1, 2, "Mail"), *p3 = open_inc(&f, 2, 2, "Mail");
    assert_int_equal(itsm_record_int(p2, ITSM_F_PRIORITY), 2);
    assert_int_equal(itsm_record_int(p3, ITSM_F_PRIORITY), 3);
    assert_int_equal(holds(p2, "2 >= priority"), 1);
    assert_int_equal(holds(p3, "2 >= priority"), 0);
    assert_int_equal(holds(p3, "3 == priority and 'Mail' == service"), 1);
    /* a or b and c = a or (b and c): true or (false and ...) */
    assert_int_equal(holds(p2, "priority == 2 or major and open"), 1);
    /* (a or b) and c: (true or ...) and false */
    assert_int_equal(holds(p2, "(priority == 2 or open) and major"), 0);
    /* not a and b = (not a) and b */
    assert_int_equal(holds(p2, "not major and priority == 2"), 1);
    assert_int_equal(holds(p2, "not (major or priority == 2)"), 0);
    assert_int_equal(holds(p2, "not not open"), 1);
    /* text compares byte for byte: case counts */
    assert_int_equal(holds(p2, "service == 'mail'"), 0);
    assert_int_equal(holds(p2, "service in ('Mail')"), 1);
    /* both quotes; spaces and line breaks anywhere */
    assert_int_equal(holds(p2, "service == \"Mail\"\n\tand\tpriority\n<=\n2"), 1);
    fixture_close(&f);
}

/* The limits of docs/conditions.md: 4096 bytes of text, 32 levels of not
 * and parentheses, 64 constants in a list, 32 distinct names; one past
 * each is ITSM_ELIMIT, each limit itself is accepted. The names are the
 * 32 custom int fields a policy may declare, c00..c31, then priority. */
static void the_documented_limits_hold_at_the_limit_and_refuse_past_it(void **state)
{
    (void)state;
    itsm_policy *p;
    assert_ok(itsm_policy_new_default(&p, NULL));
    for (int i = 0; i < ITSM_MAX_CUSTOM_FIELDS; i++) {
        char name[8];
        snprintf(name, sizeof name, "c%02d", i);
        itsm_field_def d = ITSM_FIELD_DEF_INIT;
        d.name = name;
        d.type = ITSM_TYPE_INT;
        d.min = 0;
        d.max = 1000;
        assert_ok(itsm_policy_add_field(p, &d, NULL));
    }
    static char text[8192];
    itsm_parse_error err;
    /* 32 distinct names, then 33 */
    for (int n = 32; n <= 33; n++) {
        text[0] = 0;
        for (int i = 0; i < 32; i++)
            snprintf(text + strlen(text), sizeof text - strlen(text), "%sc%02d == 1", i ? " or " : "", i);
        if (n == 33)
            strcat(text, " or priority == 1");
        assert_int_equal(check(p, text, &err), n == 32 ? ITSM_OK : ITSM_ELIMIT);
    }
    /* 64 constants in a list, then 65 */
    for (int n = 64; n <= 65; n++) {
        strcpy(text, "c00 in (");
        for (int i = 0; i < n; i++)
            snprintf(text + strlen(text), sizeof text - strlen(text), "%s%d", i ? ", " : "", i);
        strcat(text, ")");
        assert_int_equal(check(p, text, &err), n == 64 ? ITSM_OK : ITSM_ELIMIT);
    }
    /* 32 levels of not and parentheses, then 33 */
    for (int n = 32; n <= 33; n++) {
        text[0] = 0;
        for (int i = 0; i < n; i++)
            strcat(text, i % 2 ? "(" : "not ");
        strcat(text, "open");
        for (int i = 0; i < n; i++)
            if (i % 2)
                strcat(text, ")");
        assert_int_equal(check(p, text, &err), n == 32 ? ITSM_OK : ITSM_ELIMIT);
    }
    /* 4096 bytes, then 4097: "open" padded with spaces */
    for (size_t n = 4096; n <= 4097; n++) {
        memset(text, ' ', n);
        memcpy(text, "open", 4);
        text[n] = 0;
        assert_int_equal(itsm_policy_check_condition(p, text, n, &err), n == 4096 ? ITSM_OK : ITSM_ELIMIT);
    }
    itsm_policy_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_documented_refusals_point_at_the_offending_token),
        cmocka_unit_test(the_documented_examples_compile),
        cmocka_unit_test(unset_values_compare_as_documented),
        cmocka_unit_test(constants_on_the_left_turn_round_and_not_binds_tightest),
        cmocka_unit_test(the_documented_limits_hold_at_the_limit_and_refuse_past_it),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
