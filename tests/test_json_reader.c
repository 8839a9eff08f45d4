/* SPDX-License-Identifier: Apache-2.0 */
/* The strict JSON reader: every value type, positions, escapes and surrogate
 * pairs, UTF-8, integers and correctly rounded doubles, and its errors
 * (duplicate keys, malformed UTF-8, bad escapes, trailing input, reading
 * past the length), each with its position. */
#include "json_check.h"

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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(parser_accepts_every_value_type),
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
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
