/* SPDX-License-Identifier: Apache-2.0 */
/* The JSON writer: compact output, the full length when the buffer is short,
 * escapes, UTF-8 passed through or replaced, shortest round-tripping
 * doubles, NaN and infinity, int64 extremes, deep nesting and times; and the
 * ISO time helpers (the range, leap days, the one accepted form, round
 * trips, civil days). */
#include "json_check.h"

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

int main(void)
{
    const struct CMUnitTest tests[] = {
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
