/* SPDX-License-Identifier: Apache-2.0 */
/* Conditions: the expression language of the policy (docs/conditions.md) -
 * what it accepts and means, what it refuses and where, and how it reads a
 * record. */
#include "sla/sla_support.h"
#include "kit/cond.h"
#include "core/cond_record.h"

/* ---- a toy schema ---- */

enum { V_PRIO, V_SERVICE, V_MAJOR, V_TIER, V_OPENED, V_NOTE, V_GROUP, V_OWNER };

static int tier_ok(const void *ctx, const char *v)
{
    (void)ctx;
    return !strcmp(v, "gold") || !strcmp(v, "silver") || !strcmp(v, "bronze");
}

static int toy_lookup(void *user, const char *name, size_t len, itsm__cvar *out)
{
    (void)user;
    static const struct { const char *n; int id, type; } names[] = {
        { "priority", V_PRIO, ITSM__CT_INT }, { "service", V_SERVICE, ITSM__CT_SYMBOL },
        { "major", V_MAJOR, ITSM__CT_BOOL }, { "tier", V_TIER, ITSM__CT_ENUM },
        { "opened_at", V_OPENED, ITSM__CT_TIME }, { "note", V_NOTE, ITSM__CT_TEXT },
        { "group", V_GROUP, ITSM__CT_SYMBOL }, { "owner_group", V_OWNER, ITSM__CT_SYMBOL },
    };
    memset(out, 0, sizeof *out);
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strlen(names[i].n) == len && !memcmp(names[i].n, name, len)) {
            out->id = names[i].id;
            out->type = names[i].type;
            out->min = 1;
            out->max = 5;
            if (names[i].id == V_TIER) {
                out->accepts = tier_ok;
                out->what = "a tier (gold, silver, bronze)";
            }
            return 0;
        }
    return -1;
}

typedef struct toy { itsm__cval v[8]; int reads; } toy;

static void toy_get(void *user, int id, itsm__cval *out)
{
    toy *t = user;
    t->reads++;
    *out = t->v[id];
}

static toy a_record(void)
{
    toy t;
    memset(&t, 0, sizeof t);
    t.v[V_PRIO].i = 2;
    t.v[V_SERVICE].s = "Payroll";
    t.v[V_MAJOR].i = 0;
    t.v[V_TIER].s = "gold";
    t.v[V_OPENED].i = T0;
    t.v[V_NOTE].null = 1;
    t.v[V_GROUP].s = "Network";
    t.v[V_OWNER].s = "Network";
    return t;
}

static itsm_allocator libc;

static int holds(const char *src, toy *t)
{
    itsm__cond *c;
    itsm_parse_error err;
    itsm__alloc_resolve(&libc, NULL);
    int rc = itsm__cond_compile(&c, src, strlen(src), toy_lookup, NULL, &libc, &err);
    if (rc != ITSM_OK)
        fail_msg("'%s' refused at %zu:%zu: %s", src, err.line, err.column, err.text);
    int r = itsm__cond_eval(c, toy_get, t);
    itsm__cond_free(c, &libc);
    return r;
}

/* The text of a public header with its comment continuations (" * " at
 * a line's start) joined, so an example broken over two lines reads as
 * one. Caller frees. */
static char *header_text(const char *name)
{
    char path[512];
    snprintf(path, sizeof path, "%s/../../include/itsm/%s", ITSM_TEST_DATA, name);
    FILE *fp = fopen(path, "rb");
    assert_non_null(fp);
    char *raw = malloc(1 << 20), *out = malloc(1 << 20);
    assert_non_null(raw);
    assert_non_null(out);
    size_t n = fread(raw, 1, (1 << 20) - 1, fp), o = 0;
    fclose(fp);
    raw[n] = 0;
    for (size_t i = 0; i < n; i++) {
        if (raw[i] == '\n') {
            size_t j = i + 1;
            while (raw[j] == ' ')
                j++;
            if (raw[j] == '*' && raw[j + 1] != '/') {
                out[o++] = ' ';
                i = j + (raw[j + 1] == ' ');
                continue;
            }
        }
        out[o++] = raw[i];
    }
    out[o] = 0;
    free(raw);
    return out;
}

/* Every condition the public headers quote as an example compiles: the
 * documents' {"when": "..."} members and the report's CSV filter line
 * (they read "tier = 'gold'", which the language refuses: "compare with
 * '==', not '='"). */
static void conditions_quoted_in_the_public_headers_compile(void **state)
{
    (void)state;
    static const struct { const char *header, *before, *end; } quotes[] = {
        { "escalation.h", "{\"when\": \"", "\"" },
        { "sla.h", "{\"when\": \"", "\"" },
        { "report.h", "period,filter,,", "  " },
    };
    itsm__alloc_resolve(&libc, NULL);
    for (size_t q = 0; q < sizeof quotes / sizeof quotes[0]; q++) {
        char *text = header_text(quotes[q].header);
        size_t found = 0;
        for (const char *p = strstr(text, quotes[q].before); p; p = strstr(p, quotes[q].before)) {
            p += strlen(quotes[q].before);
            const char *e = strstr(p, quotes[q].end);
            assert_non_null(e);
            char src[256];
            assert_true((size_t)(e - p) < sizeof src);
            memcpy(src, p, (size_t)(e - p));
            src[e - p] = 0;
            itsm__cond *c;
            itsm_parse_error err;
            if (itsm__cond_compile(&c, src, strlen(src), toy_lookup, NULL, &libc, &err) != ITSM_OK)
                fail_msg("%s quotes '%s', refused at %zu:%zu: %s", quotes[q].header, src, err.line, err.column,
                         err.text);
            itsm__cond_free(c, &libc);
            found++;
        }
        if (!found)
            fail_msg("%s quotes no condition after '%s'", quotes[q].header, quotes[q].before);
        free(text);
    }
}

static void comparisons_read_their_names(void **state)
{
    (void)state;
    toy t = a_record();
    static const struct { const char *src; int want; } cases[] = {
        { "priority == 2", 1 }, { "priority != 2", 0 }, { "priority <= 2", 1 }, { "priority < 2", 0 },
        { "priority >= 3", 0 }, { "priority > 1", 1 }, { "2 >= priority", 1 }, { "3 < priority", 0 },
        { "priority in (1, 2)", 1 }, { "priority not in (1, 2)", 0 }, { "priority in (3)", 0 },
        { "service == 'Payroll'", 1 }, { "service == \"Payroll\"", 1 }, { "service == 'payroll'", 0 },
        { "service in ('Mail', 'Payroll')", 1 }, { "service != 'Mail'", 1 },
        { "major", 0 }, { "not major", 1 }, { "major == false", 1 }, { "major != true", 1 },
        { "tier == 'gold'", 1 }, { "tier in ('silver', 'bronze')", 0 },
        { "opened_at == '2026-03-02T09:00:00Z'", 1 }, { "opened_at < '2026-03-02T09:00:01Z'", 1 },
        { "opened_at >= '2027-01-01T00:00:00Z'", 0 },
        { "group == owner_group", 1 }, { "group != owner_group", 0 }, { "group == service", 0 },
        { "true", 1 }, { "false", 0 }, { "not false", 1 },
        { "service == 'it\\'s'", 0 }, { "service == ''", 0 }, { "service != ''", 1 }, { "note == \"a \\\"b\\\" \\\\\"", 0 },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        if (holds(cases[i].src, &t) != cases[i].want)
            fail_msg("'%s' should be %s", cases[i].src, cases[i].want ? "true" : "false");
}

static void and_binds_tighter_than_or_and_not_tightest(void **state)
{
    (void)state;
    toy t = a_record();
    assert_int_equal(holds("priority == 1 or priority == 2 and major", &t), 0);
    assert_int_equal(holds("(priority == 1 or priority == 2) and not major", &t), 1);
    assert_int_equal(holds("true or false and false", &t), 1);
    assert_int_equal(holds("not major and priority == 3", &t), 0);
    assert_int_equal(holds("not (major or priority == 3)", &t), 1);
    assert_int_equal(holds("not not major", &t), 0);
    assert_int_equal(holds("\n  priority == 2\n  and\tservice == 'Payroll'\r\n", &t), 1);
}

static void and_and_or_stop_at_the_first_answer(void **state)
{
    (void)state;
    toy t = a_record();
    t.reads = 0;
    assert_int_equal(holds("priority == 3 and service == 'Payroll' and tier == 'gold'", &t), 0);
    assert_int_equal(t.reads, 1);
    t.reads = 0;
    assert_int_equal(holds("priority == 2 or service == 'Mail'", &t), 1);
    assert_int_equal(t.reads, 1);
}

static void an_unset_name_equals_only_null(void **state)
{
    (void)state;
    toy t = a_record();
    t.v[V_PRIO].null = 1;
    t.v[V_SERVICE].null = 1;
    t.v[V_SERVICE].s = NULL;
    static const struct { const char *src; int want; } cases[] = {
        { "priority == null", 1 }, { "priority != null", 0 }, { "priority <= 2", 0 }, { "priority > 2", 0 },
        { "priority == 2", 0 }, { "priority != 2", 1 }, { "priority in (1, 2, 3, 4, 5)", 0 },
        { "priority not in (1, 2)", 1 }, { "service == null", 1 }, { "service != 'Mail'", 1 },
        { "service in ('Mail')", 0 }, { "note == null", 1 }, { "group == service", 0 },
        { "service == note", 1 }, { "not (priority <= 2) and not (priority > 2)", 1 },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        if (holds(cases[i].src, &t) != cases[i].want)
            fail_msg("'%s' should be %s", cases[i].src, cases[i].want ? "true" : "false");
}

static void bad_conditions_are_refused_with_line_and_column(void **state)
{
    (void)state;
    static const struct { const char *src; int code; size_t line, column; const char *needle; } cases[] = {
        { "prioritty <= 2", ITSM_EPARSE, 1, 1, "unknown name 'prioritty'" },
        { "priority <= 'high'", ITSM_EPARSE, 1, 13, "priority is an int; 'high' is a string" },
        { "service == 3", ITSM_EPARSE, 1, 12, "service is a symbol; 3 is a number" },
        { "service < 'M'", ITSM_EPARSE, 1, 9, "'<' orders numbers and times; service is a symbol" },
        { "major == 1", ITSM_EPARSE, 1, 10, "major is a bool; 1 is a number" },
        { "tier == 'gld'", ITSM_EPARSE, 1, 9, "'gld' is not a tier (gold, silver, bronze)" },
        { "tier in ('gold', 'tin')", ITSM_EPARSE, 1, 18, "'tin' is not a tier" },
        { "priority == 7", ITSM_EPARSE, 1, 13, "priority is 1..5; 7 is never equal" },
        { "priority", ITSM_EPARSE, 1, 1, "priority is an int, not a condition" },
        { "'priority' == 2", ITSM_EPARSE, 1, 1, "compares two constants" },
        { "3", ITSM_EPARSE, 1, 1, "a number is not a condition" },
        { "priority = 2", ITSM_EPARSE, 1, 10, "compare with '=='" },
        { "major && true", ITSM_EPARSE, 1, 7, "use the words and, or, not" },
        { "service == 'Mail", ITSM_EPARSE, 1, 12, "a string is not closed" },
        { "(priority == 2", ITSM_EPARSE, 1, 15, "')' was expected, not the end" },
        { "priority == 2 priority", ITSM_EPARSE, 1, 15, "'and', 'or' or the end was expected" },
        { "", ITSM_EPARSE, 1, 1, "a condition is empty" },
        { "  \n ", ITSM_EPARSE, 1, 1, "a condition is empty" },
        { "priority == 2 and\n  servce == 'Mail'", ITSM_EPARSE, 2, 3, "unknown name 'servce'" },
        { "Priority == 2", ITSM_EPARSE, 1, 1, "unexpected" },
        { "priOrity == 2", ITSM_EPARSE, 1, 4, "lower case" },
        { "priority == 99999999999999999999", ITSM_EPARSE, 1, 13, "too large" },
        { "priority == 2x", ITSM_EPARSE, 1, 14, "runs into a name" },
        { "priority in 1, 2", ITSM_EPARSE, 1, 13, "takes a list" },
        { "priority in (1 2)", ITSM_EPARSE, 1, 16, "',' or ')' was expected" },
        { "priority in (major)", ITSM_EPARSE, 1, 14, "a list holds constants" },
        { "2 in (1, 2)", ITSM_EPARSE, 1, 1, "tests a name" },
        { "major in (true)", ITSM_EPARSE, 1, 7, "is a bool" },
        { "priority not 2", ITSM_EPARSE, 1, 14, "must be 'not in'" },
        { "priority < null", ITSM_EPARSE, 1, 12, "null is compared only with == and !=" },
        { "opened_at < '2026-03-02'", ITSM_EPARSE, 1, 13, "YYYY-MM-DDTHH:MM:SSZ" },
        { "group == major", ITSM_EPARSE, 1, 10, "group is a symbol; major is a bool" },
        { "service == 'a\\nb'", ITSM_EPARSE, 1, 14, "escapes only" },
        { "service == 'a\tb'", ITSM_EPARSE, 1, 14, "no control characters" },
        { "service == '\xff'", ITSM_EPARSE, 1, 12, "UTF-8" },
        { "service == \xc3\xa9", ITSM_EPARSE, 1, 12, "unexpected that character" },
        { "and", ITSM_EPARSE, 1, 1, "a name or a constant was expected, not 'and'" },
        { "not", ITSM_EPARSE, 1, 4, "not the end" },
        { "priority ==", ITSM_EPARSE, 1, 12, "not the end" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        itsm__cond *c = (itsm__cond *)1;
        itsm_parse_error err;
        int rc = itsm__cond_compile(&c, cases[i].src, strlen(cases[i].src), toy_lookup, NULL, &libc, &err);
        if (rc != cases[i].code || err.code != rc || err.line != cases[i].line || err.column != cases[i].column ||
            !strstr(err.text, cases[i].needle) || c != NULL)
            fail_msg("'%s': %s at %zu:%zu '%s'; wanted %zu:%zu '%s'", cases[i].src, itsm_errname(rc), err.line,
                     err.column, err.text, cases[i].line, cases[i].column, cases[i].needle);
    }
}

static void limits_are_elimit(void **state)
{
    (void)state;
    char buf[ITSM__COND_MAX_LEN + 64];
    itsm__cond *c;
    itsm_parse_error err;
    /* too deep */
    size_t n = 0;
    for (int i = 0; i < ITSM__COND_MAX_DEPTH + 1; i++)
        buf[n++] = '(';
    memcpy(buf + n, "major", 5);
    n += 5;
    for (int i = 0; i < ITSM__COND_MAX_DEPTH + 1; i++)
        buf[n++] = ')';
    assert_int_equal(itsm__cond_compile(&c, buf, n, toy_lookup, NULL, &libc, &err), ITSM_ELIMIT);
    assert_non_null(strstr(err.text, "nests at most"));
    /* deep but within the limit */
    assert_ok(itsm__cond_compile(&c, buf + 2, n - 4, toy_lookup, NULL, &libc, &err));
    itsm__cond_free(c, &libc);
    /* too long */
    memset(buf, ' ', sizeof buf);
    memcpy(buf, "major", 5);
    assert_int_equal(itsm__cond_compile(&c, buf, ITSM__COND_MAX_LEN + 1, toy_lookup, NULL, &libc, &err), ITSM_ELIMIT);
    assert_ok(itsm__cond_compile(&c, buf, ITSM__COND_MAX_LEN, toy_lookup, NULL, &libc, &err));
    itsm__cond_free(c, &libc);
    /* a list of 65 */
    n = (size_t)snprintf(buf, sizeof buf, "priority in (1");
    for (int i = 0; i < ITSM__COND_MAX_LIST; i++)
        n += (size_t)snprintf(buf + n, sizeof buf - n, ", %d", 1 + i % 5);
    buf[n++] = ')';
    assert_int_equal(itsm__cond_compile(&c, buf, n, toy_lookup, NULL, &libc, &err), ITSM_ELIMIT);
    assert_non_null(strstr(err.text, "at most 64 values"));
    /* a long chain of and is not nesting */
    n = 0;
    for (int i = 0; i < 200; i++)
        n += (size_t)snprintf(buf + n, sizeof buf - n, "%spriority != 4", i ? " and " : "");
    toy t = a_record();
    assert_ok(itsm__cond_compile(&c, buf, n, toy_lookup, NULL, &libc, &err));
    assert_int_equal(itsm__cond_eval(c, toy_get, &t), 1);
    size_t nv;
    const int *ids = itsm__cond_vars(c, &nv);
    assert_int_equal(nv, 1);
    assert_int_equal(ids[0], V_PRIO);
    itsm__cond_free(c, &libc);
}

static void names_read_are_listed_once(void **state)
{
    (void)state;
    itsm__cond *c;
    itsm_parse_error err;
    const char *src = "tier == 'gold' and (priority <= 2 or tier == 'silver') and group == owner_group";
    assert_ok(itsm__cond_compile(&c, src, strlen(src), toy_lookup, NULL, &libc, &err));
    size_t n;
    const int *ids = itsm__cond_vars(c, &n);
    assert_int_equal(n, 4);
    assert_int_equal(ids[0], V_TIER);
    assert_int_equal(ids[1], V_PRIO);
    assert_int_equal(ids[2], V_GROUP);
    assert_int_equal(ids[3], V_OWNER);
    itsm__cond_free(c, &libc);
}

static void compiling_under_allocation_failure_leaks_nothing(void **state)
{
    (void)state;
    const char *src = "tier in ('gold', 'silver') and (priority <= 2 or service == 'Payroll') and not major";
    toy t = a_record();
    for (long k = 1;; k++) {
        failalloc fa = { 0, k, 0, 0 };
        itsm_allocator a = failalloc_make(&fa);
        itsm__cond *c;
        itsm_parse_error err;
        int rc = itsm__cond_compile(&c, src, strlen(src), toy_lookup, NULL, &a, &err);
        if (rc == ITSM_OK) {
            assert_int_equal(itsm__cond_eval(c, toy_get, &t), 1);
            itsm__cond_free(c, &a);
            assert_int_equal(fa.live, 0);
            break;
        }
        assert_int_equal(rc, ITSM_ENOMEM);
        assert_int_equal(err.code, ITSM_ENOMEM);
        assert_null(c);
        assert_int_equal(fa.live, 0);
    }
}

/* ---- on records ---- */

static int rec_holds(itsm_record *r, const char *src)
{
    int out = -1;
    itsm_parse_error err;
    if (itsm_record_condition(&out, r, src, strlen(src), &err) != ITSM_OK)
        fail_msg("'%s' refused at %zu:%zu: %s", src, err.line, err.column, err.text);
    return out;
}

static void a_record_answers_by_its_fields_state_and_kind(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *r = open_inc(&f, 1, 2, "Payroll");   /* priority 2 */
    assert_int_equal(rec_holds(r, "kind == 'incident' and priority <= 2 and service in ('Payroll', 'Mail')"), 1);
    assert_int_equal(rec_holds(r, "state == 'new' and open and not major"), 1);
    assert_int_equal(rec_holds(r, "assignment_group == null and hold_reason == null"), 1);
    assert_int_equal(rec_holds(r, "opened_at == '2026-03-02T09:00:00Z' and responded_at == null"), 1);
    assert_int_equal(rec_holds(r, "reassignments == 0 and impact == 1 and urgency == 2"), 1);
    assert_int_equal(rec_holds(r, "functional_level == null or functional_level >= 1"), 1);
    start_work(r);
    hold(r, "awaiting_customer");
    assert_int_equal(rec_holds(r, "hold_reason == 'awaiting_customer' and assignment_group == 'Desk'"), 1);
    assert_int_equal(rec_holds(r, "state == 'new'"), 0);
    assert_int_equal(rec_holds(r, "kind in ('problem', 'change')"), 0);
    fixture_close(&f);
}

static void the_policy_refuses_states_and_kinds_it_does_not_have(void **state)
{
    (void)state;
    itsm_policy *p;
    assert_ok(itsm_policy_new_default(&p, NULL));
    itsm_parse_error err;
    const char *bad = "state == 'resovled'";
    assert_int_equal(itsm_policy_check_condition(p, bad, strlen(bad), &err), ITSM_EPARSE);
    assert_int_equal(err.column, 10);
    assert_non_null(strstr(err.text, "'resovled' is not a state of the policy's lifecycles"));
    bad = "kind == 'incidnet'";
    assert_int_equal(itsm_policy_check_condition(p, bad, strlen(bad), &err), ITSM_EPARSE);
    assert_non_null(strstr(err.text, "is not a record kind"));
    bad = "priority == 6";
    assert_int_equal(itsm_policy_check_condition(p, bad, strlen(bad), &err), ITSM_EPARSE);
    assert_non_null(strstr(err.text, "priority is 1..5"));
    const char *good = "state in ('resolved', 'closed') or kind == 'problem' and state == 'known_error'";
    assert_ok(itsm_policy_check_condition(p, good, strlen(good), &err));
    assert_int_equal(itsm_policy_check_condition(NULL, good, strlen(good), &err), ITSM_EINVAL);
    assert_int_equal(itsm_policy_check_condition(p, NULL, 0, &err), ITSM_EINVAL);
    assert_ok(itsm_policy_check_condition(p, good, strlen(good), NULL));
    int out;
    assert_int_equal(itsm_record_condition(&out, NULL, good, strlen(good), &err), ITSM_EINVAL);
    itsm_policy_free(p);
}

int main(void)
{
    itsm__alloc_resolve(&libc, NULL);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(comparisons_read_their_names),
        cmocka_unit_test(and_binds_tighter_than_or_and_not_tightest),
        cmocka_unit_test(and_and_or_stop_at_the_first_answer),
        cmocka_unit_test(an_unset_name_equals_only_null),
        cmocka_unit_test(bad_conditions_are_refused_with_line_and_column),
        cmocka_unit_test(conditions_quoted_in_the_public_headers_compile),
        cmocka_unit_test(limits_are_elimit),
        cmocka_unit_test(names_read_are_listed_once),
        cmocka_unit_test(compiling_under_allocation_failure_leaks_nothing),
        cmocka_unit_test(a_record_answers_by_its_fields_state_and_kind),
        cmocka_unit_test(the_policy_refuses_states_and_kinds_it_does_not_have),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
