/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The strict JSON reader, the writer and the ISO time helpers.
 *
 * Data-driven cases live in tests/data/json: invalid/<case>/input with
 * invalid/<case>/error ("<line> <column> <code-name> <text substring>") and
 * an optional invalid/<case>/limits ("max_document max_string max_depth");
 * valid/<case>.json must parse and round-trip through the writer.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <float.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kit/json.h"
#include "itsm/errors.h"

#ifndef ITSM_TEST_DATA
#error "ITSM_TEST_DATA must name the tests/data directory"
#endif

/* ---- helpers ------------------------------------------------------------- */

static const char *code_name(int code)
{
    switch (code) {
    case ITSM_OK: return "ITSM_OK";
    case ITSM_ENOMEM: return "ITSM_ENOMEM";
    case ITSM_EINVAL: return "ITSM_EINVAL";
    case ITSM_EPARSE: return "ITSM_EPARSE";
    case ITSM_ELIMIT: return "ITSM_ELIMIT";
    default: return "ITSM_EUNKNOWN";
    }
}

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

static itsm__jdoc *parse_ok(const char *s)
{
    itsm__jdoc *doc = NULL;
    itsm_parse_error e;
    int rc = itsm__json_parse(&doc, s, strlen(s), NULL, NULL, &e);
    if (rc != ITSM_OK)
        print_error("unexpected parse error %d at %zu:%zu: %s\n", rc, e.line, e.column, e.text);
    assert_int_equal(rc, ITSM_OK);
    assert_non_null(doc);
    return doc;
}

static int parse_fail(const char *s, size_t len, const itsm_json_limits *lim, itsm_parse_error *e)
{
    itsm__jdoc *doc = (itsm__jdoc *)&doc;   /* must be reset to NULL */
    int rc = itsm__json_parse(&doc, s, len, NULL, lim, e);
    assert_int_not_equal(rc, ITSM_OK);
    assert_null(doc);
    return rc;
}

static void expect_error(const char *s, size_t len, const itsm_json_limits *lim, int code,
                         size_t line, size_t column, const char *text)
{
    itsm_parse_error e;
    memset(&e, 0x5a, sizeof e);
    int rc = parse_fail(s, len, lim, &e);
    if (rc != code || e.code != code || e.line != line || e.column != column ||
        strstr(e.text, text) == NULL)
        print_error("input %.40s: got %s %zu:%zu '%s', want %s %zu:%zu '%s'\n", s,
                    code_name(rc), e.line, e.column, e.text, code_name(code), line, column, text);
    assert_int_equal(rc, code);
    assert_int_equal(e.code, code);
    assert_int_equal(e.line, line);
    assert_int_equal(e.column, column);
    assert_non_null(strstr(e.text, text));
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

static uint64_t rng_state = 0x9E3779B97F4A7C15u;

static uint64_t rng(void)
{
    /* xorshift64*: deterministic, so a failure reproduces */
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 2685821657736338717u;
}

/* ---- reader: values ------------------------------------------------------ */

static void parser_accepts_every_value_type(void **state)
{
    (void)state;
    itsm__jdoc *doc = parse_ok(" {\"n\":null,\"f\":false,\"t\":true,\"i\":-12,\"d\":2.5,"
                               "\"s\":\"x\",\"a\":[1,[]],\"o\":{}} \r\n\t");
    const itsm__jval *r = itsm__jdoc_root(doc);
    assert_int_equal(r->type, ITSM__JOBJECT);
    assert_int_equal(r->u.obj.n, 8);
    assert_int_equal(itsm__json_get(r, "n")->type, ITSM__JNULL);
    assert_int_equal(itsm__json_get(r, "f")->type, ITSM__JFALSE);
    assert_int_equal(itsm__json_get(r, "t")->type, ITSM__JTRUE);
    const itsm__jval *i = itsm__json_get(r, "i");
    assert_int_equal(i->type, ITSM__JNUMBER);
    assert_true(i->u.num.is_int);
    assert_true(i->u.num.i == -12);
    assert_true(i->u.num.d == -12.0);
    const itsm__jval *d = itsm__json_get(r, "d");
    assert_false(d->u.num.is_int);
    assert_true(d->u.num.d == 2.5);
    const itsm__jval *s = itsm__json_get(r, "s");
    assert_string_equal(s->u.str.s, "x");
    assert_int_equal(s->u.str.len, 1);
    const itsm__jval *a = itsm__json_get(r, "a");
    assert_int_equal(a->u.arr.n, 2);
    assert_int_equal(a->u.arr.items[1].type, ITSM__JARRAY);
    assert_int_equal(a->u.arr.items[1].u.arr.n, 0);
    assert_int_equal(itsm__json_get(r, "o")->u.obj.n, 0);
    /* members stay in document order */
    assert_string_equal(r->u.obj.members[0].key, "n");
    assert_string_equal(r->u.obj.members[7].key, "o");
    itsm__jdoc_free(doc);
}

static void parser_accepts_any_value_at_top_level(void **state)
{
    (void)state;
    static const char *const docs[] = { "1", "\"s\"", "null", "true", "false", "[]", "{}", " -0.5e-3 " };
    for (size_t k = 0; k < sizeof docs / sizeof docs[0]; k++)
        itsm__jdoc_free(parse_ok(docs[k]));
}

static void parser_records_value_and_key_positions(void **state)
{
    (void)state;
    itsm__jdoc *doc = parse_ok("{\n \"a\": [1, \"x\"],\n\t\"b\": {}\n}");
    const itsm__jval *r = itsm__jdoc_root(doc);
    assert_int_equal(r->line, 1);
    assert_int_equal(r->column, 1);
    assert_int_equal(r->offset, 0);
    const itsm__jmember *ma = &r->u.obj.members[0];
    assert_int_equal(ma->line, 2);
    assert_int_equal(ma->column, 2);
    assert_int_equal(ma->val.line, 2);
    assert_int_equal(ma->val.column, 7);
    assert_int_equal(ma->val.u.arr.items[1].column, 11);
    assert_int_equal(ma->val.u.arr.items[1].offset, 12);
    const itsm__jmember *mb = &r->u.obj.members[1];
    assert_int_equal(mb->line, 3);
    assert_int_equal(mb->column, 2);
    assert_int_equal(mb->val.column, 7);
    itsm__jdoc_free(doc);
}

static void parser_decodes_escapes_and_surrogate_pairs(void **state)
{
    (void)state;
    itsm__jdoc *doc = parse_ok("\"\\\"\\\\\\/\\b\\f\\n\\r\\t\\u0041\\u00e9\\u20AC\\ud83d\\ude00\"");
    const itsm__jval *r = itsm__jdoc_root(doc);
    static const char want[] = "\"\\/\b\f\n\r\tA\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80";
    assert_int_equal(r->u.str.len, sizeof want - 1);
    assert_memory_equal(r->u.str.s, want, sizeof want);   /* NUL included */
    itsm__jdoc_free(doc);
}

static void parser_keeps_u0000_as_a_nul_byte_inside_the_string(void **state)
{
    (void)state;
    itsm__jdoc *doc = parse_ok("{\"a\\u0000b\":\"x\\u0000\"}");
    const itsm__jval *r = itsm__jdoc_root(doc);
    const itsm__jmember *m = &r->u.obj.members[0];
    assert_int_equal(m->klen, 3);
    assert_memory_equal(m->key, "a\0b", 4);
    assert_int_equal(m->val.u.str.len, 2);
    assert_memory_equal(m->val.u.str.s, "x\0", 3);
    itsm__jdoc_free(doc);
}

static void parser_passes_valid_utf8_and_del_through(void **state)
{
    (void)state;
    static const char s[] = "\"\x7F\xC3\xA9\xE2\x82\xAC\xEF\xBF\xBF\xF0\x9F\x98\x80\xF4\x8F\xBF\xBF\"";
    itsm__jdoc *doc = parse_ok(s);
    const itsm__jval *r = itsm__jdoc_root(doc);
    assert_int_equal(r->u.str.len, sizeof s - 3);
    assert_memory_equal(r->u.str.s, s + 1, sizeof s - 3);
    itsm__jdoc_free(doc);
}

static void parser_sets_is_int_only_for_plain_literals_that_fit_int64(void **state)
{
    (void)state;
    static const struct { const char *text; int is_int; int64_t i; double d; } cases[] = {
        { "0", 1, 0, 0.0 },
        { "-0", 1, 0, 0.0 },
        { "42", 1, 42, 42.0 },
        { "9223372036854775807", 1, INT64_MAX, 9223372036854775807.0 },
        { "-9223372036854775808", 1, INT64_MIN, -9223372036854775808.0 },
        { "9223372036854775808", 0, 0, 9223372036854775808.0 },
        { "-9223372036854775809", 0, 0, -9223372036854775809.0 },
        { "123456789012345678901234567890", 0, 0, 123456789012345678901234567890.0 },
        { "1.0", 0, 0, 1.0 },
        { "1e2", 0, 0, 100.0 },
        { "1E+2", 0, 0, 100.0 },
        { "1e-2", 0, 0, 0.01 },
        { "0.1", 0, 0, 0.1 },
        { "-0.0", 0, 0, -0.0 },
        { "0e0", 0, 0, 0.0 },
        { "1e-400", 0, 0, 0.0 },   /* underflow is fine: no infinity involved */
        { "1.7976931348623157e308", 0, 0, DBL_MAX },
        { "4.9406564584124654e-324", 0, 0, 4.9406564584124654e-324 },
        { "0.00000000000000000000000000000000000001e38", 0, 0, 1.0 },
        { "100000000000000000000000000000000000000e-38", 0, 0, 1.0 },
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        itsm__jdoc *doc = parse_ok(cases[k].text);
        const itsm__jval *r = itsm__jdoc_root(doc);
        assert_int_equal(r->type, ITSM__JNUMBER);
        if (r->u.num.is_int != cases[k].is_int || r->u.num.d != cases[k].d)
            print_error("%s: is_int %d d %.17g\n", cases[k].text, r->u.num.is_int, r->u.num.d);
        assert_int_equal(r->u.num.is_int, cases[k].is_int);
        if (cases[k].is_int) {
            assert_true(r->u.num.i == cases[k].i);
            assert_true(r->u.num.d == (double)cases[k].i);
        }
        assert_true(r->u.num.d == cases[k].d);
        assert_int_equal(signbit(r->u.num.d) != 0, signbit(cases[k].d) != 0);
        itsm__jdoc_free(doc);
    }
}

/* 2^-1075 is exactly half the smallest subnormal: its 752 significant
 * digits are 5^1075. Ties round to even (0); anything above rounds up. This
 * needs more digits than the reader hands strtod, so it checks the sticky
 * digit that stands for the cut tail. */
static void parser_rounds_long_mantissas_correctly(void **state)
{
    (void)state;
    unsigned char dig[800];
    size_t nd = 1;
    dig[0] = 1;   /* little-endian decimal digits of 5^1075 */
    for (int k = 0; k < 1075; k++) {
        unsigned carry = 0;
        for (size_t i = 0; i < nd; i++) {
            unsigned v = dig[i] * 5u + carry;
            dig[i] = (unsigned char)(v % 10);
            carry = v / 10;
        }
        while (carry) {
            dig[nd++] = (unsigned char)(carry % 10);
            carry /= 10;
        }
    }
    assert_int_equal(nd, 752);
    char text[2000];
    size_t n = 0;
    for (size_t i = nd; i-- > 0;)
        text[n++] = (char)('0' + dig[i]);
    size_t digits_end = n;

    /* exactly the tie: rounds to even, which is 0 */
    snprintf(text + digits_end, sizeof text - digits_end, "e-1075");
    itsm__jdoc *doc = parse_ok(text);
    assert_true(itsm__jdoc_root(doc)->u.num.d == 0.0);
    itsm__jdoc_free(doc);

    /* the tie plus a 1 far beyond 780 digits: rounds up */
    n = digits_end;
    for (int k = 0; k < 100; k++)
        text[n++] = '0';
    text[n++] = '1';
    snprintf(text + n, sizeof text - n, "e-1176");
    doc = parse_ok(text);
    assert_true(itsm__jdoc_root(doc)->u.num.d == 4.9406564584124654e-324);
    itsm__jdoc_free(doc);

    /* the tie plus trailing zeros is still the tie */
    n = digits_end;
    for (int k = 0; k < 100; k++)
        text[n++] = '0';
    snprintf(text + n, sizeof text - n, "e-1175");
    doc = parse_ok(text);
    assert_true(itsm__jdoc_root(doc)->u.num.d == 0.0);
    itsm__jdoc_free(doc);

    /* same digits written with a decimal point and leading zeros */
    n = 0;
    memcpy(text, "0.", 2);
    n = 2;
    for (int k = 0; k < 323; k++)
        text[n++] = '0';
    for (size_t i = nd; i-- > 0;)
        text[n++] = (char)('0' + dig[i]);
    text[n++] = '1';
    text[n] = '\0';
    doc = parse_ok(text);
    assert_true(itsm__jdoc_root(doc)->u.num.d == 4.9406564584124654e-324);
    itsm__jdoc_free(doc);
}

static void parser_agrees_with_strtod_on_random_decimals(void **state)
{
    (void)state;
    /* The test runs in the C locale, so strtod of the literal is the oracle. */
    for (int k = 0; k < 20000; k++) {
        char text[64];
        uint64_t r = rng();
        int digits = 1 + (int)(r % 19);
        int point = (int)((r >> 8) % (uint64_t)(digits + 1));
        int exp = (int)((r >> 16) % 700) - 350;
        size_t n = 0;
        if (r >> 63)
            text[n++] = '-';
        for (int i = 0; i < digits; i++) {
            if (i == point && i > 0)
                text[n++] = '.';
            int dgt = (int)(rng() % 10);
            if (i == 0 && dgt == 0)
                dgt = 1;
            text[n++] = (char)('0' + dgt);
        }
        snprintf(text + n, sizeof text - n, "e%d", exp);
        double want = strtod(text, NULL);
        itsm__jdoc *doc = NULL;
        int rc = itsm__json_parse(&doc, text, strlen(text), NULL, NULL, NULL);
        if (isinf(want)) {
            assert_int_equal(rc, ITSM_ELIMIT);
            continue;
        }
        assert_int_equal(rc, ITSM_OK);
        if (itsm__jdoc_root(doc)->u.num.d != want)
            print_error("%s: got %.17g want %.17g\n", text, itsm__jdoc_root(doc)->u.num.d, want);
        assert_true(itsm__jdoc_root(doc)->u.num.d == want);
        itsm__jdoc_free(doc);
    }
}

static void parser_refuses_numbers_beyond_double_range_with_elimit(void **state)
{
    (void)state;
    expect_error("[1e400]", 7, NULL, ITSM_ELIMIT, 1, 2, "out of range");
    expect_error("[-1e400]", 8, NULL, ITSM_ELIMIT, 1, 2, "out of range");
    expect_error("1.7976931348623159e308", 22, NULL, ITSM_ELIMIT, 1, 1, "out of range");
    expect_error("1e99999999999999999999999", 25, NULL, ITSM_ELIMIT, 1, 1, "out of range");
    /* but big integers are fine numbers */
    itsm__jdoc *doc = parse_ok("99999999999999999999999999999999999999999999");
    assert_false(itsm__jdoc_root(doc)->u.num.is_int);
    itsm__jdoc_free(doc);
}

/* Only the other locale's decimal comma could break strtod/snprintf. */
static int switch_to_comma_locale(void)
{
    static const char *const names[] = { "de_DE.UTF-8", "de_DE.utf8", "de_DE", "fr_FR.UTF-8",
                                         "fr_FR.utf8", "nl_NL.UTF-8", "ru_RU.UTF-8" };
    for (size_t k = 0; k < sizeof names / sizeof names[0]; k++)
        if (setlocale(LC_NUMERIC, names[k]) && localeconv()->decimal_point[0] != '.')
            return 1;
    setlocale(LC_NUMERIC, "C");
    return 0;
}

static void numbers_ignore_a_decimal_comma_locale(void **state)
{
    (void)state;
    if (!switch_to_comma_locale())
        skip();   /* no such locale installed here */
    itsm__jdoc *doc = parse_ok("[2.5, 1.25e1, 0.1]");
    const itsm__jval *r = itsm__jdoc_root(doc);
    int ok = r->u.arr.items[0].u.num.d == 2.5 && r->u.arr.items[1].u.num.d == 12.5 &&
             r->u.arr.items[2].u.num.d == 0.1;
    itsm__jdoc_free(doc);
    char buf[64];
    itsm__jw w;
    itsm__jw_init(&w, buf, sizeof buf);
    itsm__jw_arr_begin(&w);
    itsm__jw_double(&w, 2.5);
    itsm__jw_double(&w, 0.1);
    itsm__jw_double(&w, -1.5e-7);
    itsm__jw_arr_end(&w);
    assert_int_equal(itsm__jw_finish(&w, NULL), ITSM_OK);
    setlocale(LC_NUMERIC, "C");
    assert_true(ok);
    assert_string_equal(buf, "[2.5,0.1,-1.5e-07]");
}

/* ---- reader: errors ------------------------------------------------------ */

static void parser_rejects_duplicate_keys_with_position(void **state)
{
    (void)state;
    static const char doc[] = "{\n  \"state\": \"new\",\n  \"state\": \"open\"\n}";
    expect_error(doc, sizeof doc - 1, NULL, ITSM_EPARSE, 3, 3, "duplicate key 'state'");
    /* escapes are compared decoded */
    static const char esc[] = "{\"ab\":1,\"a\\u0062\":2}";
    expect_error(esc, sizeof esc - 1, NULL, ITSM_EPARSE, 1, 9, "duplicate key 'ab'");
    /* a NUL in the name is shown escaped */
    static const char nul[] = "{\"a\\u0000\":1,\"a\\u0000\":2}";
    expect_error(nul, sizeof nul - 1, NULL, ITSM_EPARSE, 1, 14, "duplicate key 'a\\u0000'");
    /* a long name is cut, never mid-character */
    char big[600];
    char name[200];
    memset(name, 'k', 150);
    memcpy(name + 74, "\xC3\xA9\xC3\xA9", 4);   /* straddles the cut */
    name[150] = '\0';
    int n = snprintf(big, sizeof big, "{\"%s\":1,\"%s\":2}", name, name);
    itsm_parse_error e;
    parse_fail(big, (size_t)n, NULL, &e);
    assert_non_null(strstr(e.text, "duplicate key 'kkkk"));
    assert_non_null(strstr(e.text, "...'"));
    assert_true(strlen(e.text) < 100);
    assert_true(itsm__utf8_valid(e.text, strlen(e.text)));
}

static void parser_detects_duplicates_in_large_objects(void **state)
{
    (void)state;
    /* Past 16 members the check uses a hash table: same answers. */
    char *doc = malloc(200000);
    assert_non_null(doc);
    size_t n = 0;
    doc[n++] = '{';
    for (int k = 0; k < 5000; k++)
        n += (size_t)sprintf(doc + n, "%s\"key%d\":%d", k ? "," : "", k, k);
    size_t before_dup = n;
    n += (size_t)sprintf(doc + n, ",\"key4242\":1}");
    expect_error(doc, n, NULL, ITSM_EPARSE, 1, before_dup + 2, "duplicate key 'key4242'");

    /* without the duplicate it parses, and every key can be found */
    n = before_dup;
    doc[n++] = '}';
    doc[n] = '\0';
    itsm__jdoc *d = parse_ok(doc);
    const itsm__jval *r = itsm__jdoc_root(d);
    assert_int_equal(r->u.obj.n, 5000);
    for (int k = 0; k < 5000; k += 97) {
        char key[16];
        sprintf(key, "key%d", k);
        const itsm__jval *v = itsm__json_get(r, key);
        assert_non_null(v);
        assert_true(v->u.num.i == k);
    }
    itsm__jdoc_free(d);
    free(doc);
}

static void parser_allows_one_key_in_different_objects(void **state)
{
    (void)state;
    itsm__jdoc *doc = parse_ok("{\"a\":{\"a\":1},\"b\":{\"a\":2},\"c\":[{\"a\":1},{\"a\":2}]}");
    itsm__jdoc_free(doc);
    /* an outer object past the hash threshold, inner ones with the same keys */
    char buf[4096];
    size_t n = 0;
    n += (size_t)sprintf(buf + n, "{");
    for (int k = 0; k < 20; k++)
        n += (size_t)sprintf(buf + n, "\"k%d\":%d,", k, k);
    n += (size_t)sprintf(buf + n, "\"inner\":{");
    for (int k = 0; k < 20; k++)
        n += (size_t)sprintf(buf + n, "%s\"k%d\":%d", k ? "," : "", k, k);
    n += (size_t)sprintf(buf + n, "},\"after\":{");
    for (int k = 0; k < 20; k++)
        n += (size_t)sprintf(buf + n, "%s\"k%d\":%d", k ? "," : "", k, k);
    n += (size_t)sprintf(buf + n, "}}");
    doc = parse_ok(buf);
    const itsm__jval *r = itsm__jdoc_root(doc);
    assert_int_equal(r->u.obj.n, 22);
    assert_int_equal(itsm__json_get(r, "inner")->u.obj.n, 20);
    itsm__jdoc_free(doc);
    /* and a duplicate in the outer object after the inner one closed */
    buf[n - 1] = ',';
    n += (size_t)sprintf(buf + n, "\"k3\":0}");   /* ...},"k3":0} */
    expect_error(buf, strlen(buf), NULL, ITSM_EPARSE, 1, strlen(buf) - 6, "duplicate key 'k3'");
}

static void parser_reports_line_and_byte_column_across_lines(void **state)
{
    (void)state;
    expect_error("[\n  1,\n  x]", 11, NULL, ITSM_EPARSE, 3, 3, "unexpected character 'x'");
    /* a lone CR is not a new line, CRLF is one */
    expect_error("[1,\r\r x]", 8, NULL, ITSM_EPARSE, 1, 7, "unexpected character 'x'");
    expect_error("[1,\r\n x]", 8, NULL, ITSM_EPARSE, 2, 2, "unexpected character 'x'");
    /* columns count bytes, not characters */
    expect_error("[\"\xC3\xA9\xC3\xA9\", x]", 11, NULL, ITSM_EPARSE, 1, 10, "unexpected character 'x'");
    itsm_parse_error e;
    parse_fail("{\n\"a\":1,\n\"a\":2}", 14, NULL, &e);
    assert_int_equal(e.offset, 9);
}

static void parser_rejects_malformed_utf8_in_strings(void **state)
{
    (void)state;
    static const struct { const char *bytes; const char *text; } cases[] = {
        { "\xC0\xAF", "invalid UTF-8 byte 0xC0" },
        { "\xC1\xBF", "invalid UTF-8 byte 0xC1" },
        { "\x80", "invalid UTF-8 byte 0x80" },
        { "\xBF", "invalid UTF-8 byte 0xBF" },
        { "\xF5\x80\x80\x80", "invalid UTF-8 byte 0xF5" },
        { "\xFF", "invalid UTF-8 byte 0xFF" },
        { "\xE0\x80\xAF", "overlong" },
        { "\xE0\x9F\xBF", "overlong" },
        { "\xF0\x80\x80\xAF", "overlong" },
        { "\xF0\x8F\xBF\xBF", "overlong" },
        { "\xED\xA0\x80", "surrogate" },
        { "\xED\xBF\xBF", "surrogate" },
        { "\xF4\x90\x80\x80", "above U+10FFFF" },
        { "\xC3", "truncated" },
        { "\xE2\x82", "truncated" },
        { "\xF0\x9F\x98", "truncated" },
        { "\xE2\x28\xA1", "truncated" },
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        char doc[32];
        int n = snprintf(doc, sizeof doc, "[\"%s\"]", cases[k].bytes);
        expect_error(doc, (size_t)n, NULL, ITSM_EPARSE, 1, 3, cases[k].text);
        /* at the end of input the bad byte still wins over "unterminated" */
        expect_error(doc, (size_t)n - 2, NULL, ITSM_EPARSE, 1, 3, cases[k].text);
        assert_false(itsm__utf8_valid(cases[k].bytes, strlen(cases[k].bytes)));
    }
    /* and outside strings any non-ASCII byte is refused */
    expect_error("[\xC3\xA9]", 4, NULL, ITSM_EPARSE, 1, 2, "unexpected byte 0xC3");
}

static void parser_rejects_bad_escapes_and_unpaired_surrogates(void **state)
{
    (void)state;
    expect_error("\"\\x\"", 4, NULL, ITSM_EPARSE, 1, 2, "invalid escape '\\x'");
    expect_error("\"\\u12G4\"", 8, NULL, ITSM_EPARSE, 1, 2, "invalid \\u escape");
    expect_error("\"\\u12\"", 6, NULL, ITSM_EPARSE, 1, 2, "invalid \\u escape");
    expect_error("\"\\uD800\"", 8, NULL, ITSM_EPARSE, 1, 2, "unpaired surrogate \\uD800");
    expect_error("\"\\uDC00\"", 8, NULL, ITSM_EPARSE, 1, 2, "unpaired surrogate \\uDC00");
    expect_error("\"a\\uD83D\\u0041\"", 15, NULL, ITSM_EPARSE, 1, 3, "unpaired surrogate");
    expect_error("\"\\uD83D\\uD83D\"", 14, NULL, ITSM_EPARSE, 1, 2, "unpaired surrogate");
    expect_error("\"\\uDE00\\uD83D\"", 14, NULL, ITSM_EPARSE, 1, 2, "unpaired surrogate \\uDE00");
    expect_error("\"\\uD83Dx\"", 9, NULL, ITSM_EPARSE, 1, 2, "unpaired surrogate");
    expect_error("\"\\\x01\"", 4, NULL, ITSM_EPARSE, 1, 2, "invalid escape");
    expect_error("\"a\tb\"", 5, NULL, ITSM_EPARSE, 1, 3, "unescaped control character 0x09");
    expect_error("\"abc", 4, NULL, ITSM_EPARSE, 1, 1, "unterminated string");
    expect_error("\"abc\\", 5, NULL, ITSM_EPARSE, 1, 1, "unterminated string");
    expect_error("\"abc\\\"", 6, NULL, ITSM_EPARSE, 1, 1, "unterminated string");
    expect_error("\"\\u00", 5, NULL, ITSM_EPARSE, 1, 1, "unterminated string");
}

static void parser_rejects_empty_bom_and_trailing_input(void **state)
{
    (void)state;
    expect_error("", 0, NULL, ITSM_EPARSE, 1, 1, "empty document");
    expect_error(" \n ", 3, NULL, ITSM_EPARSE, 2, 2, "unexpected end of input");
    expect_error("\xEF\xBB\xBF{}", 5, NULL, ITSM_EPARSE, 1, 1, "byte order mark");
    expect_error("{} x", 4, NULL, ITSM_EPARSE, 1, 4, "trailing characters after the document");
    expect_error("1 2", 3, NULL, ITSM_EPARSE, 1, 3, "trailing characters after the document");
    expect_error("{}\0", 3, NULL, ITSM_EPARSE, 1, 3, "trailing characters after the document");
}

static void parser_does_not_read_past_len(void **state)
{
    (void)state;
    static const char buf[] = "[1,2]xyz";
    itsm__jdoc *doc = NULL;
    assert_int_equal(itsm__json_parse(&doc, buf, 5, NULL, NULL, NULL), ITSM_OK);
    itsm__jdoc_free(doc);
    expect_error("true", 3, NULL, ITSM_EPARSE, 1, 1, "invalid literal");
    assert_int_equal(itsm__json_parse(&doc, "12", 1, NULL, NULL, NULL), ITSM_OK);
    assert_true(itsm__jdoc_root(doc)->u.num.i == 1);
    itsm__jdoc_free(doc);
    /* a heap copy without NUL, so ASan sees any overread */
    static const char *const docs[] = { "\"abc\"", "123.5e7", "{\"a\":[true]}", "\"\\u00e9\"" };
    for (size_t k = 0; k < sizeof docs / sizeof docs[0]; k++) {
        size_t n = strlen(docs[k]);
        char *p = malloc(n);
        assert_non_null(p);
        memcpy(p, docs[k], n);
        for (size_t cut = 0; cut <= n; cut++) {
            doc = NULL;
            int rc = itsm__json_parse(&doc, p, cut, NULL, NULL, NULL);
            /* every prefix of the number but "123." and "123.5e" is a number too */
            int whole = cut == n || (k == 1 && cut > 0 && cut != 4 && cut != 6);
            assert_int_equal(rc, whole ? ITSM_OK : ITSM_EPARSE);
            itsm__jdoc_free(doc);
        }
        free(p);
    }
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

/* ---- writer -------------------------------------------------------------- */

static void writer_produces_compact_json_with_commas_in_place(void **state)
{
    (void)state;
    char buf[128];
    itsm__jw w;
    itsm__jw_init(&w, buf, sizeof buf);
    itsm__jw_obj_begin(&w);
    itsm__jw_key(&w, "a");
    itsm__jw_int(&w, 1);
    itsm__jw_key(&w, "b");
    itsm__jw_arr_begin(&w);
    itsm__jw_int(&w, 1);
    itsm__jw_str(&w, "x");
    itsm__jw_null(&w);
    itsm__jw_bool(&w, 1);
    itsm__jw_bool(&w, 0);
    itsm__jw_obj_begin(&w);
    itsm__jw_obj_end(&w);
    itsm__jw_arr_begin(&w);
    itsm__jw_arr_end(&w);
    itsm__jw_str(&w, NULL);
    itsm__jw_arr_end(&w);
    itsm__jw_key(&w, "c\"");
    itsm__jw_double(&w, 0.5);
    itsm__jw_key(&w, "t");
    itsm__jw_time(&w, 0);
    itsm__jw_obj_end(&w);
    size_t len;
    assert_int_equal(itsm__jw_finish(&w, &len), ITSM_OK);
    static const char want[] =
        "{\"a\":1,\"b\":[1,\"x\",null,true,false,{},[],null],\"c\\\"\":0.5,\"t\":\"1970-01-01T00:00:00Z\"}";
    assert_string_equal(buf, want);
    assert_int_equal(len, sizeof want - 1);
}

static void write_sample(itsm__jw *w)
{
    itsm__jw_obj_begin(w);
    itsm__jw_key(w, "a");
    itsm__jw_int(w, 1);
    itsm__jw_obj_end(w);   /* {"a":1} : 7 bytes */
}

static void writer_counts_full_length_when_buffer_is_short(void **state)
{
    (void)state;
    char buf[16];
    itsm__jw w;
    size_t len = 0;

    itsm__jw_init(&w, NULL, 0);
    write_sample(&w);
    assert_int_equal(itsm__jw_finish(&w, &len), ITSM_ELIMIT);
    assert_int_equal(len, 7);

    memset(buf, '#', sizeof buf);
    itsm__jw_init(&w, buf, 5);
    write_sample(&w);
    assert_int_equal(itsm__jw_finish(&w, &len), ITSM_ELIMIT);
    assert_int_equal(len, 7);
    assert_string_equal(buf, "{\"a\"");
    assert_int_equal(buf[5], '#');   /* nothing written past cap */

    itsm__jw_init(&w, buf, 7);
    write_sample(&w);
    assert_int_equal(itsm__jw_finish(&w, &len), ITSM_ELIMIT);
    assert_string_equal(buf, "{\"a\":1");

    itsm__jw_init(&w, buf, 8);
    write_sample(&w);
    assert_int_equal(itsm__jw_finish(&w, &len), ITSM_OK);
    assert_string_equal(buf, "{\"a\":1}");

    itsm__jw_init(&w, buf, 1);
    write_sample(&w);
    assert_int_equal(itsm__jw_finish(&w, NULL), ITSM_ELIMIT);
    assert_string_equal(buf, "");
}

static char *write_str(const char *s, size_t n, char *buf, size_t cap)
{
    itsm__jw w;
    itsm__jw_init(&w, buf, cap);
    itsm__jw_strn(&w, s, n);
    assert_int_equal(itsm__jw_finish(&w, NULL), ITSM_OK);
    return buf;
}

static void writer_escapes_quotes_backslashes_and_control_characters(void **state)
{
    (void)state;
    char buf[128];
    static const char s[] = "a\"b\\c\n\t\r\b\f\x01\x1f/\x7f\0z";
    assert_string_equal(write_str(s, sizeof s - 1, buf, sizeof buf),
                        "\"a\\\"b\\\\c\\n\\t\\r\\b\\f\\u0001\\u001f/\x7f\\u0000z\"");
}

static void writer_passes_valid_utf8_through_unchanged(void **state)
{
    (void)state;
    char buf[64];
    static const char s[] = "\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80\xF4\x8F\xBF\xBF\xEF\xBF\xBF";
    itsm__jw w;
    itsm__jw_init(&w, buf, sizeof buf);
    itsm__jw_str(&w, s);
    assert_int_equal(itsm__jw_finish(&w, NULL), ITSM_OK);
    assert_int_equal(strlen(buf), sizeof s + 1);
    assert_memory_equal(buf + 1, s, sizeof s - 1);
}

static void writer_replaces_invalid_utf8_with_u_fffd(void **state)
{
    (void)state;
    char buf[128];
    static const char s[] = "\xC0\xAFx\xED\xA0\x80y\xE2\x82";
    assert_string_equal(write_str(s, sizeof s - 1, buf, sizeof buf),
                        "\"\\ufffd\\ufffdx\\ufffd\\ufffd\\ufffdy\\ufffd\\ufffd\"");
}

static void writer_output_of_any_bytes_is_accepted_by_the_reader(void **state)
{
    (void)state;
    for (int k = 0; k < 20000; k++) {
        char s[24], buf[256];
        size_t n = (size_t)(rng() % sizeof s);
        for (size_t i = 0; i < n; i++) {
            uint64_t r = rng();
            /* bias towards the interesting bytes */
            s[i] = (char)(r % 4 == 0 ? (unsigned char)(0x80 + (r >> 8) % 0x80)
                                     : r % 4 == 1 ? (unsigned char)((r >> 8) % 0x20)
                                                  : (unsigned char)((r >> 8) % 256));
        }
        write_str(s, n, buf, sizeof buf);
        itsm__jdoc *doc = NULL;
        itsm_parse_error e;
        int rc = itsm__json_parse(&doc, buf, strlen(buf), NULL, NULL, &e);
        if (rc != ITSM_OK)
            print_error("writer output refused: %s (%s)\n", buf, e.text);
        assert_int_equal(rc, ITSM_OK);
        const itsm__jval *r = itsm__jdoc_root(doc);
        /* valid UTF-8 (NULs allowed) comes back byte for byte */
        int valid = 1;
        for (size_t i = 0, j; i < n; i = j + 1) {
            j = i;
            while (j < n && s[j] != '\0')
                j++;
            if (!itsm__utf8_valid(s + i, j - i))
                valid = 0;
        }
        if (valid) {
            assert_int_equal(r->u.str.len, n);
            assert_memory_equal(r->u.str.s, s, n);
        }
        itsm__jdoc_free(doc);
    }
}

static const char *write_double(double v, char *buf, size_t cap)
{
    itsm__jw w;
    itsm__jw_init(&w, buf, cap);
    itsm__jw_double(&w, v);
    assert_int_equal(itsm__jw_finish(&w, NULL), ITSM_OK);
    return buf;
}

static void writer_writes_shortest_round_tripping_doubles(void **state)
{
    (void)state;
    char buf[64];
    assert_string_equal(write_double(0.1, buf, sizeof buf), "0.1");
    assert_string_equal(write_double(1.0 / 3, buf, sizeof buf), "0.3333333333333333");
    assert_string_equal(write_double(0.1 + 0.2, buf, sizeof buf), "0.30000000000000004");
    assert_string_equal(write_double(1e300, buf, sizeof buf), "1e+300");
    assert_string_equal(write_double(-2.5, buf, sizeof buf), "-2.5");
    assert_string_equal(write_double(100.0, buf, sizeof buf), "100");
    assert_string_equal(write_double(0.0, buf, sizeof buf), "0");
    assert_string_equal(write_double(DBL_MAX, buf, sizeof buf), "1.7976931348623157e+308");
    assert_string_equal(write_double(5e-324, buf, sizeof buf), "4.94065645841247e-324");   /* any nearby text reads back as the one subnormal */
}

static void writer_doubles_read_back_bit_exact(void **state)
{
    (void)state;
    for (int k = 0; k < 50000; k++) {
        uint64_t bits = rng();
        double v;
        memcpy(&v, &bits, sizeof v);
        if (isnan(v) || isinf(v))
            continue;
        char buf[64];
        write_double(v, buf, sizeof buf);
        itsm__jdoc *doc = NULL;
        assert_int_equal(itsm__json_parse(&doc, buf, strlen(buf), NULL, NULL, NULL), ITSM_OK);
        double got = itsm__jdoc_root(doc)->u.num.d;
        if (got != v)
            print_error("%.17g written as %s read back as %.17g\n", v, buf, got);
        assert_true(got == v);
        itsm__jdoc_free(doc);
    }
}

static void writer_writes_null_for_nan_and_infinity(void **state)
{
    (void)state;
    char buf[64];
    assert_string_equal(write_double(NAN, buf, sizeof buf), "null");
    assert_string_equal(write_double(INFINITY, buf, sizeof buf), "null");
    assert_string_equal(write_double(-INFINITY, buf, sizeof buf), "null");
}

static void writer_writes_int64_extremes_exactly(void **state)
{
    (void)state;
    char buf[128];
    itsm__jw w;
    itsm__jw_init(&w, buf, sizeof buf);
    itsm__jw_arr_begin(&w);
    itsm__jw_int(&w, INT64_MIN);
    itsm__jw_int(&w, INT64_MAX);
    itsm__jw_int(&w, 0);
    itsm__jw_int(&w, -1);
    itsm__jw_arr_end(&w);
    assert_int_equal(itsm__jw_finish(&w, NULL), ITSM_OK);
    assert_string_equal(buf, "[-9223372036854775808,9223372036854775807,0,-1]");
}

static void writer_nests_deeper_than_its_comma_stack(void **state)
{
    (void)state;
    /* level d is [d,<level d+1>,true]; the innermost is [d] */
    enum { DEPTH = 2 * ITSM__JW_MAX_DEPTH };
    char buf[1024], want[1024];
    size_t m = 0;
    itsm__jw w;
    itsm__jw_init(&w, buf, sizeof buf);
    for (int d = 0; d < DEPTH; d++) {
        itsm__jw_arr_begin(&w);
        itsm__jw_int(&w, d);
        m += (size_t)sprintf(want + m, "[%d%s", d, d + 1 < DEPTH ? "," : "");
    }
    for (int d = 0; d < DEPTH; d++) {
        itsm__jw_arr_end(&w);
        if (d + 1 < DEPTH)
            itsm__jw_bool(&w, 1);
        m += (size_t)sprintf(want + m, "]%s", d + 1 < DEPTH ? ",true" : "");
    }
    assert_int_equal(itsm__jw_finish(&w, NULL), ITSM_OK);
    assert_string_equal(buf, want);
    itsm__jdoc *doc = NULL;
    itsm_json_limits lim = { 0, 0, 100 };
    assert_int_equal(itsm__json_parse(&doc, buf, strlen(buf), NULL, &lim, NULL), ITSM_OK);
    itsm__jdoc_free(doc);
}

static void writer_writes_time_or_null(void **state)
{
    (void)state;
    char buf[128];
    itsm__jw w;
    itsm__jw_init(&w, buf, sizeof buf);
    itsm__jw_arr_begin(&w);
    itsm__jw_time(&w, 0);
    itsm__jw_time(&w, ITSM_TIME_MAX);
    itsm__jw_time(&w, ITSM_TIME_NONE);
    itsm__jw_time(&w, ITSM_TIME_MAX + 1);
    itsm__jw_arr_end(&w);
    assert_int_equal(itsm__jw_finish(&w, NULL), ITSM_OK);
    assert_string_equal(buf, "[\"1970-01-01T00:00:00Z\",\"9999-12-31T23:59:59Z\",null,null]");
}

/* ---- time ---------------------------------------------------------------- */

static itsm_time parse_time_ok(const char *s)
{
    itsm_time t = -42;
    assert_int_equal(itsm__time_parse(s, strlen(s), &t), ITSM_OK);
    return t;
}

static void time_epoch_is_zero_and_max_is_year_9999(void **state)
{
    (void)state;
    assert_true(parse_time_ok("1970-01-01T00:00:00Z") == 0);
    assert_true(parse_time_ok("9999-12-31T23:59:59Z") == ITSM_TIME_MAX);
    assert_true(parse_time_ok("2000-03-01T00:00:00Z") == 951868800);
    assert_true(parse_time_ok("2038-01-19T03:14:08Z") == 2147483648);
    char out[21];
    itsm__time_format(0, out);
    assert_string_equal(out, "1970-01-01T00:00:00Z");
    itsm__time_format(ITSM_TIME_MAX, out);
    assert_string_equal(out, "9999-12-31T23:59:59Z");
    itsm__time_format(1234567890, out);
    assert_string_equal(out, "2009-02-13T23:31:30Z");
}

static void time_accepts_leap_days_only_in_leap_years(void **state)
{
    (void)state;
    itsm_time t = parse_time_ok("2016-02-29T12:00:00Z");
    assert_true(t == 1456747200);
    char out[21];
    itsm__time_format(t, out);
    assert_string_equal(out, "2016-02-29T12:00:00Z");
    parse_time_ok("2000-02-29T00:00:00Z");    /* divisible by 400 */
    parse_time_ok("2016-12-31T23:59:59Z");
    static const char *const bad[] = {
        "2017-02-29T00:00:00Z", "1900-02-29T00:00:00Z", "2100-02-29T00:00:00Z",
        "2016-02-30T00:00:00Z", "2016-04-31T00:00:00Z", "2016-06-31T00:00:00Z",
        "2016-09-31T00:00:00Z", "2016-11-31T00:00:00Z", "2016-01-32T00:00:00Z",
    };
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++)
        assert_int_equal(itsm__time_parse(bad[k], 20, NULL), ITSM_EPARSE);
}

static void time_parse_accepts_only_the_exact_form(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "2016-01-01T24:00:00Z", "2016-01-01T23:60:00Z", "2016-01-01T23:59:60Z",
        "2016-13-01T00:00:00Z", "2016-00-01T00:00:00Z", "2016-01-00T00:00:00Z",
        "1969-12-31T23:59:59Z", "0000-01-01T00:00:00Z", "2016-01-01t00:00:00Z",
        "2016-01-01T00:00:00z", "2016-01-01 00:00:00Z", "2016/01/01T00:00:00Z",
        "2016-01-01T00:00:00+", "+016-01-01T00:00:00Z", "2016-1-01T00:00:00ZZ",
        "2016-01-01T00:00:0aZ", "2016-01-01T-1:00:00Z", "20160101T000000Z    ",
    };
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
        itsm_time t = 77;
        if (itsm__time_parse(bad[k], strlen(bad[k]), &t) != ITSM_EPARSE)
            print_error("accepted %s\n", bad[k]);
        assert_int_equal(itsm__time_parse(bad[k], strlen(bad[k]), &t), ITSM_EPARSE);
        assert_true(t == 77);   /* untouched on failure */
    }
    assert_int_equal(itsm__time_parse("2016-01-01T00:00:00Z", 19, NULL), ITSM_EPARSE);
    assert_int_equal(itsm__time_parse("2016-01-01T00:00:00Z.", 21, NULL), ITSM_EPARSE);
    assert_int_equal(itsm__time_parse("2016-01-01T00:00:00.5Z", 22, NULL), ITSM_EPARSE);
    assert_int_equal(itsm__time_parse("2016-01-01T00:00:00+00:00", 25, NULL), ITSM_EPARSE);
    assert_int_equal(itsm__time_parse(NULL, 20, NULL), ITSM_EPARSE);
}

static void time_format_and_parse_round_trip(void **state)
{
    (void)state;
    for (int k = 0; k < 200000; k++) {
        itsm_time t = (itsm_time)(rng() % (uint64_t)(ITSM_TIME_MAX + 1));
        if (k < 1000)
            t = k * 86399;   /* dense near the epoch */
        char out[21];
        itsm__time_format(t, out);
        assert_int_equal(strlen(out), 20);
        itsm_time back = -1;
        assert_int_equal(itsm__time_parse(out, 20, &back), ITSM_OK);
        assert_true(back == t);
    }
}

static void days_from_civil_and_back_agree(void **state)
{
    (void)state;
    assert_true(itsm__days_from_civil(1970, 1, 1) == 0);
    assert_true(itsm__days_from_civil(1969, 12, 31) == -1);
    assert_true(itsm__days_from_civil(2000, 3, 1) == 11017);
    assert_true(itsm__days_from_civil(0, 3, 1) == -719468);
    assert_true(itsm__days_from_civil(-1, 12, 31) == -719529);
    /* every day from -2^21 to 2^21, stepping through dates by hand */
    int64_t y = 0;
    unsigned m = 0, d = 0;
    itsm__civil_from_days(-2097152, &y, &m, &d);
    for (int64_t z = -2097152; z <= 2097152; z++) {
        int64_t y2;
        unsigned m2, d2;
        itsm__civil_from_days(z, &y2, &m2, &d2);
        assert_true(y2 == y && m2 == m && d2 == d);
        assert_true(itsm__days_from_civil(y, m, d) == z);
        /* next date */
        int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
        static const unsigned dim[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
        unsigned last = dim[m - 1] + (m == 2 && leap ? 1u : 0u);
        if (++d > last) {
            d = 1;
            if (++m > 12) {
                m = 1;
                y++;
            }
        }
    }
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
        cmocka_unit_test(parser_accepts_every_value_type),
        cmocka_unit_test(only_keys_refuses_unknown_and_nul_embedded_keys_at_the_value),
        cmocka_unit_test(parser_accepts_any_value_at_top_level),
        cmocka_unit_test(parser_records_value_and_key_positions),
        cmocka_unit_test(parser_decodes_escapes_and_surrogate_pairs),
        cmocka_unit_test(parser_keeps_u0000_as_a_nul_byte_inside_the_string),
        cmocka_unit_test(parser_passes_valid_utf8_and_del_through),
        cmocka_unit_test(parser_sets_is_int_only_for_plain_literals_that_fit_int64),
        cmocka_unit_test(parser_rounds_long_mantissas_correctly),
        cmocka_unit_test(parser_agrees_with_strtod_on_random_decimals),
        cmocka_unit_test(parser_refuses_numbers_beyond_double_range_with_elimit),
        cmocka_unit_test(numbers_ignore_a_decimal_comma_locale),
        cmocka_unit_test(parser_rejects_duplicate_keys_with_position),
        cmocka_unit_test(parser_detects_duplicates_in_large_objects),
        cmocka_unit_test(parser_allows_one_key_in_different_objects),
        cmocka_unit_test(parser_reports_line_and_byte_column_across_lines),
        cmocka_unit_test(parser_rejects_malformed_utf8_in_strings),
        cmocka_unit_test(parser_rejects_bad_escapes_and_unpaired_surrogates),
        cmocka_unit_test(parser_rejects_empty_bom_and_trailing_input),
        cmocka_unit_test(parser_does_not_read_past_len),
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
        cmocka_unit_test(writer_produces_compact_json_with_commas_in_place),
        cmocka_unit_test(writer_counts_full_length_when_buffer_is_short),
        cmocka_unit_test(writer_escapes_quotes_backslashes_and_control_characters),
        cmocka_unit_test(writer_passes_valid_utf8_through_unchanged),
        cmocka_unit_test(writer_replaces_invalid_utf8_with_u_fffd),
        cmocka_unit_test(writer_output_of_any_bytes_is_accepted_by_the_reader),
        cmocka_unit_test(writer_writes_shortest_round_tripping_doubles),
        cmocka_unit_test(writer_doubles_read_back_bit_exact),
        cmocka_unit_test(writer_writes_null_for_nan_and_infinity),
        cmocka_unit_test(writer_writes_int64_extremes_exactly),
        cmocka_unit_test(writer_nests_deeper_than_its_comma_stack),
        cmocka_unit_test(writer_writes_time_or_null),
        cmocka_unit_test(time_epoch_is_zero_and_max_is_year_9999),
        cmocka_unit_test(time_accepts_leap_days_only_in_leap_years),
        cmocka_unit_test(time_parse_accepts_only_the_exact_form),
        cmocka_unit_test(time_format_and_parse_round_trip),
        cmocka_unit_test(days_from_civil_and_back_agree),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
