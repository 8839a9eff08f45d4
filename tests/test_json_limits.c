/* SPDX-License-Identifier: Apache-2.0 */
/* The strict JSON reader's limits (depth, document, string bytes) and API
 * (NULL arguments, the error struct, the allocator, allocation failure at
 * every step, member lookup, schema errors, UTF-8 validity, whole-key member
 * checks), and the data-driven cases of tests/data/json:
 * invalid/<case>/input with invalid/<case>/error ("<line> <column>
 * <code-name> <text substring>") and an optional invalid/<case>/limits
 * ("max_document max_string max_depth"); valid/<case>.json must parse and
 * round-trip through the writer. */
#include "json_check.h"

/* Counts live blocks and fails the allocation numbered `fail_at` (0-based). */
typedef struct counting_alloc {
    long calls;
    long fail_at;   /* -1: never */
    long live;
} counting_alloc;

static void *ca_malloc(void *user, size_t size)
{
    counting_alloc *c = user;
    if (c->calls++ == c->fail_at)
        return NULL;
    void *p = malloc(size);
    if (p)
        c->live++;
    return p;
}

static void *ca_realloc(void *user, void *ptr, size_t size)
{
    counting_alloc *c = user;
    if (c->calls++ == c->fail_at)
        return NULL;
    void *p = realloc(ptr, size);
    if (p && ptr == NULL)
        c->live++;
    return p;
}

static void ca_free(void *user, void *ptr)
{
    counting_alloc *c = user;
    assert_non_null(ptr);   /* the contract: free is never called with NULL */
    c->live--;
    free(ptr);
}

static itsm_allocator counting_allocator(counting_alloc *c)
{
    itsm_allocator a = { ca_malloc, ca_realloc, ca_free, c };
    return a;
}

/* The tree as compact JSON, the way the library's *_to_json functions do it. */
static void write_value(itsm__jw *w, const itsm__jval *v)
{
    switch (v->type) {
    case ITSM__JNULL: itsm__jw_null(w); break;
    case ITSM__JFALSE: itsm__jw_bool(w, 0); break;
    case ITSM__JTRUE: itsm__jw_bool(w, 1); break;
    case ITSM__JNUMBER:
        if (v->u.num.is_int)
            itsm__jw_int(w, v->u.num.i);
        else
            itsm__jw_double(w, v->u.num.d);
        break;
    case ITSM__JSTRING: itsm__jw_strn(w, v->u.str.s, v->u.str.len); break;
    case ITSM__JARRAY:
        itsm__jw_arr_begin(w);
        for (size_t i = 0; i < v->u.arr.n; i++)
            write_value(w, &v->u.arr.items[i]);
        itsm__jw_arr_end(w);
        break;
    case ITSM__JOBJECT:
        itsm__jw_obj_begin(w);
        for (size_t i = 0; i < v->u.obj.n; i++) {
            /* jw_key takes a C string: the data has no key holding NUL */
            const itsm__jmember *m = &v->u.obj.members[i];
            assert_null(memchr(m->key, 0, m->klen));
            itsm__jw_key(w, m->key);
            write_value(w, &m->val);
        }
        itsm__jw_obj_end(w);
        break;
    }
}

/* Compact JSON of the tree in a fresh malloc'd buffer. */
static char *to_json(const itsm__jval *v, size_t *len)
{
    itsm__jw w;
    itsm__jw_init(&w, NULL, 0);
    write_value(&w, v);
    size_t n;
    assert_int_equal(itsm__jw_finish(&w, &n), ITSM_ELIMIT);
    char *buf = malloc(n + 1);
    assert_non_null(buf);
    itsm__jw_init(&w, buf, n + 1);
    write_value(&w, v);
    size_t n2;
    assert_int_equal(itsm__jw_finish(&w, &n2), ITSM_OK);
    assert_int_equal(n, n2);
    assert_int_equal(strlen(buf), n);
    *len = n;
    return buf;
}

static int numbers_equal(const itsm__jval *a, const itsm__jval *b)
{
    if (a->u.num.is_int)
        return b->u.num.is_int && a->u.num.i == b->u.num.i;
    return a->u.num.d == b->u.num.d;
}

static int trees_equal(const itsm__jval *a, const itsm__jval *b)
{
    if (a->type == ITSM__JNUMBER && b->type == ITSM__JNUMBER)
        return numbers_equal(a, b);
    if (a->type != b->type)
        return 0;
    switch (a->type) {
    case ITSM__JSTRING:
        return a->u.str.len == b->u.str.len &&
               memcmp(a->u.str.s, b->u.str.s, a->u.str.len) == 0;
    case ITSM__JARRAY:
        if (a->u.arr.n != b->u.arr.n)
            return 0;
        for (size_t i = 0; i < a->u.arr.n; i++)
            if (!trees_equal(&a->u.arr.items[i], &b->u.arr.items[i]))
                return 0;
        return 1;
    case ITSM__JOBJECT:
        if (a->u.obj.n != b->u.obj.n)
            return 0;
        for (size_t i = 0; i < a->u.obj.n; i++) {
            const itsm__jmember *x = &a->u.obj.members[i], *y = &b->u.obj.members[i];
            if (x->klen != y->klen || memcmp(x->key, y->key, x->klen) != 0 ||
                !trees_equal(&x->val, &y->val))
                return 0;
        }
        return 1;
    default:
        return 1;
    }
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return NULL;
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap);
    assert_non_null(buf);
    for (;;) {
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (n < cap)
            break;
        cap *= 2;
        buf = realloc(buf, cap);
        assert_non_null(buf);
    }
    fclose(f);
    buf[n < cap ? n : cap - 1] = '\0';
    *len = n;
    return buf;
}

/* ---- reader: limits ------------------------------------------------------ */

static void parser_enforces_depth_limit_at_the_offending_bracket(void **state)
{
    (void)state;
    itsm_json_limits lim = { 0, 0, 3 };
    itsm__jdoc *doc = NULL;
    assert_int_equal(itsm__json_parse(&doc, "[[[1]]]", 7, NULL, &lim, NULL), ITSM_OK);
    itsm__jdoc_free(doc);
    expect_error("[[[[1]]]]", 9, &lim, ITSM_ELIMIT, 1, 4, "nesting deeper than 3");
    expect_error("{\"a\":[{\"b\":[]}]}", 16, &lim, ITSM_ELIMIT, 1, 12, "nesting deeper than 3");
}

static void parser_defaults_zero_limits(void **state)
{
    (void)state;
    itsm_json_limits lim = { 0, 0, 0 };
    char buf[200];
    memset(buf, '[', 64);
    memset(buf + 64, ']', 64);
    itsm__jdoc *doc = NULL;
    assert_int_equal(itsm__json_parse(&doc, buf, 128, NULL, &lim, NULL), ITSM_OK);
    itsm__jdoc_free(doc);
    memset(buf, '[', 65);
    memset(buf + 65, ']', 65);
    expect_error(buf, 130, &lim, ITSM_ELIMIT, 1, 65, "nesting deeper than 64");
    expect_error(buf, 130, NULL, ITSM_ELIMIT, 1, 65, "nesting deeper than 64");

    size_t n = ITSM_JSON_DEFAULT_MAX_STRING + 3;
    char *s = malloc(n);
    assert_non_null(s);
    memset(s, 'a', n);
    s[0] = '"';
    s[n - 2] = '"';
    assert_int_equal(itsm__json_parse(&doc, s, n - 1, NULL, &lim, NULL), ITSM_OK);
    assert_int_equal(itsm__jdoc_root(doc)->u.str.len, ITSM_JSON_DEFAULT_MAX_STRING);
    itsm__jdoc_free(doc);
    s[n - 2] = 'a';
    s[n - 1] = '"';
    expect_error(s, n, &lim, ITSM_ELIMIT, 1, 1, "string longer than 1048576 bytes");
    free(s);
}

static void parser_caps_huge_max_depth_at_10000(void **state)
{
    (void)state;
    itsm_json_limits lim = { 0, 0, SIZE_MAX };
    char *buf = malloc(20002);
    assert_non_null(buf);
    memset(buf, '[', 10000);
    memset(buf + 10000, ']', 10000);
    itsm__jdoc *doc = NULL;
    assert_int_equal(itsm__json_parse(&doc, buf, 20000, NULL, &lim, NULL), ITSM_OK);
    itsm__jdoc_free(doc);
    memset(buf, '[', 10001);
    memset(buf + 10001, ']', 10001);
    expect_error(buf, 20002, &lim, ITSM_ELIMIT, 1, 10001, "nesting deeper than 10000");
    /* an unclosed million brackets costs no stack */
    lim.max_depth = 0;
    free(buf);
    buf = malloc(1000000);
    assert_non_null(buf);
    memset(buf, '[', 1000000);
    expect_error(buf, 1000000, &lim, ITSM_ELIMIT, 1, 65, "nesting");
    free(buf);
}

static void parser_checks_document_limit_before_reading(void **state)
{
    (void)state;
    itsm_json_limits lim = { 10, 0, 0 };
    itsm__jdoc *doc = NULL;
    assert_int_equal(itsm__json_parse(&doc, "[1,2,3,45]", 10, NULL, &lim, NULL), ITSM_OK);
    itsm__jdoc_free(doc);
    itsm_parse_error e;
    /* reported at 1:1 even though the text is broken further on */
    expect_error("[1,2,3,4,x]", 11, &lim, ITSM_ELIMIT, 1, 1, "over the limit of 10");
    parse_fail("[1,2,3,4,x]", 11, &lim, &e);
    assert_int_equal(e.offset, 0);
}

static void parser_limits_decoded_string_bytes_for_keys_and_values(void **state)
{
    (void)state;
    itsm_json_limits lim = { 0, 3, 0 };
    itsm__jdoc *doc = NULL;
    assert_int_equal(itsm__json_parse(&doc, "{\"abc\":\"xyz\"}", 13, NULL, &lim, NULL), ITSM_OK);
    itsm__jdoc_free(doc);
    /* the limit counts decoded bytes: 18 raw bytes, 3 decoded */
    static const char esc[] = "\"\\u0041\\u0042\\u0043\"";
    assert_int_equal(itsm__json_parse(&doc, esc, sizeof esc - 1, NULL, &lim, NULL), ITSM_OK);
    assert_string_equal(itsm__jdoc_root(doc)->u.str.s, "ABC");
    itsm__jdoc_free(doc);
    expect_error("[\"abcd\"]", 8, &lim, ITSM_ELIMIT, 1, 2, "string longer than 3 bytes");
    expect_error("{\"abcd\":1}", 10, &lim, ITSM_ELIMIT, 1, 2, "string longer than 3 bytes");
    expect_error("[\"\xC3\xA9\xC3\xA9\"]", 8, &lim, ITSM_ELIMIT, 1, 2, "string longer");
    expect_error("[\"\\u00e9\\u00e9\"]", 16, &lim, ITSM_ELIMIT, 1, 2, "string longer");
}

/* ---- reader: API --------------------------------------------------------- */

static void parser_rejects_null_arguments_with_einval(void **state)
{
    (void)state;
    itsm__jdoc *doc = NULL;
    itsm_parse_error e;
    assert_int_equal(itsm__json_parse(NULL, "1", 1, NULL, NULL, &e), ITSM_EINVAL);
    assert_int_equal(e.code, ITSM_EINVAL);
    assert_int_equal(itsm__json_parse(&doc, NULL, 1, NULL, NULL, &e), ITSM_EINVAL);
    assert_null(doc);
    counting_alloc c = { 0, -1, 0 };
    itsm_allocator half = { ca_malloc, NULL, ca_free, &c };
    assert_int_equal(itsm__json_parse(&doc, "1", 1, &half, NULL, NULL), ITSM_EINVAL);
    assert_null(doc);
    assert_int_equal(c.calls, 0);
    /* an all-NULL allocator means libc */
    itsm_allocator none = { NULL, NULL, NULL, NULL };
    assert_int_equal(itsm__json_parse(&doc, "1", 1, &none, NULL, NULL), ITSM_OK);
    itsm__jdoc_free(doc);
    itsm__jdoc_free(NULL);
    assert_null(itsm__jdoc_root(NULL));
}

static void parser_accepts_null_err_and_clears_err_on_success(void **state)
{
    (void)state;
    itsm__jdoc *doc = NULL;
    assert_int_equal(itsm__json_parse(&doc, "[1,", 3, NULL, NULL, NULL), ITSM_EPARSE);
    assert_int_equal(itsm__json_parse(&doc, "[1]", 3, NULL, NULL, NULL), ITSM_OK);
    itsm__jdoc_free(doc);
    itsm_parse_error e;
    memset(&e, 'x', sizeof e);
    assert_int_equal(itsm__json_parse(&doc, "[1]", 3, NULL, NULL, &e), ITSM_OK);
    assert_int_equal(e.code, ITSM_OK);
    assert_string_equal(e.text, "");
    itsm__jdoc_free(doc);
}

static void parser_uses_only_the_given_allocator(void **state)
{
    (void)state;
    counting_alloc c = { 0, -1, 0 };
    itsm_allocator a = counting_allocator(&c);
    itsm__jdoc *doc = NULL;
    assert_int_equal(itsm__json_parse(&doc, "{\"a\":[1,2,{\"b\":\"c\"}]}", 21, &a, NULL, NULL), ITSM_OK);
    assert_true(c.calls > 0);
    assert_true(c.live > 0);
    itsm__jdoc_free(doc);
    assert_int_equal(c.live, 0);
}

/* Fails allocation 0, 1, 2, ... until a run completes; returns how many
 * allocations the complete run made. */
static long run_alloc_failures(const char *text, size_t len, int want_final)
{
    long n;
    for (n = 0; n < 100000; n++) {
        counting_alloc c = { 0, n, 0 };
        itsm_allocator a = counting_allocator(&c);
        itsm__jdoc *doc = NULL;
        itsm_parse_error e;
        int rc = itsm__json_parse(&doc, text, len, &a, NULL, &e);
        if (c.calls <= n) {
            /* the Nth allocation never happened: the run was complete */
            assert_int_equal(rc, want_final);
            itsm__jdoc_free(doc);
            assert_int_equal(c.live, 0);
            break;
        }
        if (rc != ITSM_ENOMEM)
            print_error("failing allocation %ld gave %s\n", n, code_name(rc));
        assert_int_equal(rc, ITSM_ENOMEM);
        assert_int_equal(e.code, ITSM_ENOMEM);
        assert_null(doc);
        assert_int_equal(c.live, 0);
    }
    return n;
}

static void allocation_failure_at_every_step_returns_enomem_without_leak(void **state)
{
    (void)state;
    /* big enough for several arena blocks, stack growth, a hash table and deep nesting */
    size_t cap = 100000, n = 0;
    char *doc = malloc(cap);
    assert_non_null(doc);
    n += (size_t)sprintf(doc + n, "{");
    for (int k = 0; k < 40; k++)
        n += (size_t)sprintf(doc + n, "\"key%d\":\"value %d \\u00e9\",", k, k);
    n += (size_t)sprintf(doc + n, "\"arr\":[");
    for (int k = 0; k < 3000; k++)
        n += (size_t)sprintf(doc + n, "%s%d", k ? "," : "", k);
    n += (size_t)sprintf(doc + n, "],\"deep\":");
    for (int k = 0; k < 30; k++)
        n += (size_t)sprintf(doc + n, "[{\"x\":");
    n += (size_t)sprintf(doc + n, "1.5");
    for (int k = 0; k < 30; k++)
        n += (size_t)sprintf(doc + n, "}]");
    n += (size_t)sprintf(doc + n, "}");
    /* several arena blocks, stack growth, a hash table */
    assert_true(run_alloc_failures(doc, n, ITSM_OK) > 10);
    /* a document that fails late frees everything too */
    doc[n - 1] = ',';
    assert_true(run_alloc_failures(doc, n, ITSM_EPARSE) > 10);
    assert_true(run_alloc_failures("[1]", 3, ITSM_OK) >= 1);
    assert_true(run_alloc_failures("\"\\u00e9\"", 8, ITSM_OK) >= 1);
    free(doc);
}

static void json_get_finds_members_and_ignores_non_objects(void **state)
{
    (void)state;
    itsm__jdoc *doc = parse_ok("{\"a\":1,\"b\":[2],\"\":3,\"ab\":4}");
    const itsm__jval *r = itsm__jdoc_root(doc);
    assert_true(itsm__json_get(r, "a")->u.num.i == 1);
    assert_true(itsm__json_get(r, "ab")->u.num.i == 4);
    assert_true(itsm__json_get(r, "")->u.num.i == 3);
    assert_null(itsm__json_get(r, "c"));
    assert_null(itsm__json_get(r, "A"));
    assert_null(itsm__json_get(itsm__json_get(r, "b"), "a"));
    assert_null(itsm__json_get(NULL, "a"));
    assert_null(itsm__json_get(r, NULL));
    itsm__jdoc_free(doc);
}

static void schema_error_reports_value_position_and_formatted_text(void **state)
{
    (void)state;
    itsm__jdoc *doc = parse_ok("{\n  \"state\": 7\n}");
    const itsm__jval *v = itsm__json_get(itsm__jdoc_root(doc), "state");
    itsm_parse_error e;
    assert_int_equal(itsm__json_schema_error(&e, v, "field '%s' must be a string", "state"), ITSM_EPARSE);
    assert_int_equal(e.code, ITSM_EPARSE);
    assert_int_equal(e.line, 2);
    assert_int_equal(e.column, 12);
    assert_int_equal(e.offset, 13);
    assert_string_equal(e.text, "field 'state' must be a string");
    assert_int_equal(itsm__json_schema_error(NULL, v, "x"), ITSM_EPARSE);
    /* long texts are cut, still NUL-terminated */
    char big[400];
    memset(big, 'z', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    itsm__json_schema_error(&e, v, "%s", big);
    assert_int_equal(strlen(e.text), ITSM_PARSE_ERROR_TEXT - 1);
    itsm__jdoc_free(doc);
}

static void utf8_valid_accepts_rfc3629_and_rejects_nul(void **state)
{
    (void)state;
    assert_true(itsm__utf8_valid(NULL, 0));
    assert_false(itsm__utf8_valid(NULL, 1));
    assert_true(itsm__utf8_valid("", 0));
    assert_true(itsm__utf8_valid("abc\x7F", 4));
    assert_true(itsm__utf8_valid("\xC2\x80\xDF\xBF", 4));
    assert_true(itsm__utf8_valid("\xE0\xA0\x80\xED\x9F\xBF\xEE\x80\x80\xEF\xBF\xBF", 12));
    assert_true(itsm__utf8_valid("\xF0\x90\x80\x80\xF4\x8F\xBF\xBF", 8));
    assert_false(itsm__utf8_valid("a\0b", 3));
    assert_false(itsm__utf8_valid("\xE2\x82\xAC", 2));   /* truncated by n */
}

/* ---- data-driven cases --------------------------------------------------- */

static int code_from_name(const char *name)
{
    static const int codes[] = { ITSM_EPARSE, ITSM_ELIMIT, ITSM_ENOMEM, ITSM_EINVAL };
    for (size_t k = 0; k < sizeof codes / sizeof codes[0]; k++)
        if (strcmp(name, code_name(codes[k])) == 0)
            return codes[k];
    return 1;
}

static void invalid_documents_report_code_position_and_text(void **state)
{
    (void)state;
    const char *root = ITSM_TEST_DATA "/json/invalid";
    DIR *dir = opendir(root);
    assert_non_null(dir);
    int cases = 0, failures = 0;
    struct dirent *de;
    while ((de = readdir(dir)) != NULL) {
        if (de->d_name[0] == '.')
            continue;
        char path[1024];
        size_t len, elen, llen;
        snprintf(path, sizeof path, "%s/%s/input", root, de->d_name);
        char *input = slurp(path, &len);
        snprintf(path, sizeof path, "%s/%s/error", root, de->d_name);
        char *want = slurp(path, &elen);
        if (input == NULL || want == NULL) {
            print_error("case %s: missing input or error file\n", de->d_name);
            failures++;
            free(input);
            free(want);
            continue;
        }
        itsm_json_limits lim = { 0, 0, 0 };
        snprintf(path, sizeof path, "%s/%s/limits", root, de->d_name);
        char *limits = slurp(path, &llen);
        if (limits) {
            unsigned long long a = 0, b = 0, c = 0;
            if (sscanf(limits, "%llu %llu %llu", &a, &b, &c) != 3) {
                print_error("case %s: bad limits file\n", de->d_name);
                failures++;
            }
            lim.max_document = (size_t)a;
            lim.max_string = (size_t)b;
            lim.max_depth = (size_t)c;
            free(limits);
        }
        size_t wline = 0, wcol = 0;
        char wcode[32];
        int consumed = 0;
        want[strcspn(want, "\r\n")] = '\0';
        if (sscanf(want, "%zu %zu %31s %n", &wline, &wcol, wcode, &consumed) < 3 || consumed == 0) {
            print_error("case %s: bad error file '%s'\n", de->d_name, want);
            failures++;
        } else {
            const char *wtext = want + consumed;
            itsm__jdoc *doc = NULL;
            itsm_parse_error e;
            memset(&e, 0, sizeof e);
            int rc = itsm__json_parse(&doc, input, len, NULL, &lim, &e);
            itsm__jdoc_free(doc);
            if (rc != code_from_name(wcode) || e.code != rc || e.line != wline ||
                e.column != wcol || strstr(e.text, wtext) == NULL) {
                print_error("case %s: got %zu %zu %s '%s', want %zu %zu %s '%s'\n", de->d_name,
                            e.line, e.column, code_name(rc), e.text, wline, wcol, wcode, wtext);
                failures++;
            }
        }
        cases++;
        free(input);
        free(want);
    }
    closedir(dir);
    assert_int_equal(failures, 0);
    assert_true(cases >= 30);
}

static void valid_documents_parse_and_round_trip_through_writer(void **state)
{
    (void)state;
    const char *root = ITSM_TEST_DATA "/json/valid";
    DIR *dir = opendir(root);
    assert_non_null(dir);
    int cases = 0;
    struct dirent *de;
    while ((de = readdir(dir)) != NULL) {
        size_t nl = strlen(de->d_name);
        if (nl < 6 || strcmp(de->d_name + nl - 5, ".json") != 0)
            continue;
        char path[1024];
        size_t len;
        snprintf(path, sizeof path, "%s/%s", root, de->d_name);
        char *input = slurp(path, &len);
        assert_non_null(input);
        itsm__jdoc *doc = NULL;
        itsm_parse_error e;
        int rc = itsm__json_parse(&doc, input, len, NULL, NULL, &e);
        if (rc != ITSM_OK)
            print_error("valid/%s: %s at %zu:%zu: %s\n", de->d_name, code_name(rc), e.line, e.column, e.text);
        assert_int_equal(rc, ITSM_OK);
        size_t olen;
        char *out = to_json(itsm__jdoc_root(doc), &olen);
        itsm__jdoc *doc2 = NULL;
        rc = itsm__json_parse(&doc2, out, olen, NULL, NULL, &e);
        if (rc != ITSM_OK)
            print_error("valid/%s rewritten: %s at %zu:%zu: %s\n%s\n", de->d_name, code_name(rc),
                        e.line, e.column, e.text, out);
        assert_int_equal(rc, ITSM_OK);
        if (!trees_equal(itsm__jdoc_root(doc), itsm__jdoc_root(doc2)))
            print_error("valid/%s: round trip differs:\n%s\n", de->d_name, out);
        assert_true(trees_equal(itsm__jdoc_root(doc), itsm__jdoc_root(doc2)));
        /* and the writer is a fixed point on its own output */
        size_t olen2;
        char *out2 = to_json(itsm__jdoc_root(doc2), &olen2);
        assert_string_equal(out, out2);
        free(out2);
        itsm__jdoc_free(doc2);
        itsm__jdoc_free(doc);
        free(out);
        free(input);
        cases++;
    }
    closedir(dir);
    assert_true(cases >= 5);
}

/* The one "only these members" check of every schema reader: whole keys
 * only, so "kind\u0000x" is not "kind"; the error points at the value. */
static void only_keys_refuses_unknown_and_nul_embedded_keys_at_the_value(void **state)
{
    (void)state;
    static const char *const keys[] = { "kind", "text", NULL };
    const char *docs[] = { "{\"kind\":1,\"text\":2}", "{\"kind\":1,\"other\":2}",
                           "{\"text\":1,\"kind\\u0000x\":2}" };
    const int want[] = { ITSM_OK, ITSM_EPARSE, ITSM_EPARSE };
    const size_t col[] = { 0, 19, 25 };
    for (size_t i = 0; i < 3; i++) {
        itsm__jdoc *doc;
        itsm_parse_error err;
        assert_int_equal(itsm__json_parse(&doc, docs[i], strlen(docs[i]), NULL, NULL, &err), ITSM_OK);
        memset(&err, 0, sizeof err);
        int rc = itsm__json_only_keys(itsm__jdoc_root(doc), keys, "a note", &err);
        assert_int_equal(rc, want[i]);
        if (rc) {
            assert_int_equal(err.column, col[i]);
            assert_non_null(strstr(err.text, "unknown member"));
            assert_non_null(strstr(err.text, "in a note"));
        }
        itsm__jdoc_free(doc);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(only_keys_refuses_unknown_and_nul_embedded_keys_at_the_value),
        cmocka_unit_test(parser_enforces_depth_limit_at_the_offending_bracket),
        cmocka_unit_test(parser_defaults_zero_limits),
        cmocka_unit_test(parser_caps_huge_max_depth_at_10000),
        cmocka_unit_test(parser_checks_document_limit_before_reading),
        cmocka_unit_test(parser_limits_decoded_string_bytes_for_keys_and_values),
        cmocka_unit_test(parser_rejects_null_arguments_with_einval),
        cmocka_unit_test(parser_accepts_null_err_and_clears_err_on_success),
        cmocka_unit_test(parser_uses_only_the_given_allocator),
        cmocka_unit_test(allocation_failure_at_every_step_returns_enomem_without_leak),
        cmocka_unit_test(json_get_finds_members_and_ignores_non_objects),
        cmocka_unit_test(schema_error_reports_value_position_and_formatted_text),
        cmocka_unit_test(utf8_valid_accepts_rfc3629_and_rejects_nul),
        cmocka_unit_test(invalid_documents_report_code_position_and_text),
        cmocka_unit_test(valid_documents_parse_and_round_trip_through_writer),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
