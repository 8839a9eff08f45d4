/* SPDX-License-Identifier: Apache-2.0 */
/* Helpers of the JSON tests (tests/test_json_*.c): error code names,
 * parsing that must succeed or fail, the expected-error check, and a small
 * seeded random generator. */
#ifndef ITSM_TEST_JSON_CHECK_H
#define ITSM_TEST_JSON_CHECK_H

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

static inline const char *code_name(int code)
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

static inline itsm__jdoc *parse_ok(const char *s)
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

static inline int parse_fail(const char *s, size_t len, const itsm_json_limits *lim, itsm_parse_error *e)
{
    itsm__jdoc *doc = (itsm__jdoc *)&doc;   /* must be reset to NULL */
    int rc = itsm__json_parse(&doc, s, len, NULL, lim, e);
    assert_int_not_equal(rc, ITSM_OK);
    assert_null(doc);
    return rc;
}

static inline void expect_error(const char *s, size_t len, const itsm_json_limits *lim, int code,
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

static uint64_t rng_state = 0x9E3779B97F4A7C15u;

static inline uint64_t rng(void)
{
    /* xorshift64*: deterministic, so a failure reproduces */
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 2685821657736338717u;
}

#endif
