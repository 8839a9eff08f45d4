/* SPDX-License-Identifier: Apache-2.0 */
/* The report's JSON and CSV as text other programs read (itsm/report.h,
 * common.h): names a host chose - categories with quotes, backslashes and
 * non-ASCII letters (a symbol has no control characters, docs/events.md) -
 * come out escaped in JSON and quoted in CSV, byte for byte; the snprintf-style writers keep their contract at
 * the edges (a buffer of no room, of one byte). */
#include "record_check.h"
#include "report_text.h"

#include <itsm/report.h>
#include <stdlib.h>
#include <string.h>

static void open_cat(fixture *f, const char *id, const char *cat)
{
    itsm_change ch[2] = { { ITSM_F_SUMMARY, "s", 0 }, { ITSM_F_CATEGORY, cat, 0 } };
    itsm_record *r;
    assert_ok(open_into(&r, f, ITSM_KIND_INCIDENT, id, ch, 2));
}

/* JSON strings escape the quote and the backslash and keep UTF-8 as it
 * is; CSV quotes a field with a quote and doubles its quotes (RFC 4180),
 * and leaves a plain one bare. */
static void host_chosen_names_are_escaped_in_json_and_quoted_in_csv(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    open_cat(&f, "A", "say \"hi\"\\now");
    open_cat(&f, "B", "caf\xc3\xa9 r\xc3\xa9seau");
    itsm_report_opts o = ITSM_REPORT_OPTS_INIT;
    itsm_report *r;
    assert_ok(itsm_report_new(&r, f.eng, &o));

    char *j = report_json(r);
    HAS(j, "{\"category\":\"say \\\"hi\\\"\\\\now\",\"count\":1}");
    HAS(j, "{\"category\":\"caf\xc3\xa9 r\xc3\xa9seau\",\"count\":1}");
    for (const char *p = j; *p; p++)   /* no raw control character in the JSON */
        assert_true((unsigned char)*p >= 0x20);
    free(j);

    char *c = report_csv(r);
    HAS(c, "\r\nby_category,\"say \"\"hi\"\"\\now\",,1\r\n");
    HAS(c, "\r\nby_category,caf\xc3\xa9 r\xc3\xa9seau,,1\r\n");
    HAS(c, "\r\ntrend_opened,2026-03-02T00:00:00Z,\"say \"\"hi\"\"\\now\",1\r\n");
    free(c);
    itsm_report_free(r);
    fixture_close(&f);
}

/* A buffer with no room (cap 0, not NULL) gets nothing written and the
 * full length; with one byte it gets the empty string. */
static void writers_keep_the_snprintf_contract_at_the_edges(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    open_cat(&f, "A", "network");
    itsm_report_opts o = ITSM_REPORT_OPTS_INIT;
    itsm_report *r;
    assert_ok(itsm_report_new(&r, f.eng, &o));
    char *whole = report_json(r);
    size_t full = strlen(whole);

    char buf[4] = "xyz";
    size_t len = 0;
    assert_int_equal(itsm_report_to_json(r, buf, 0, &len), ITSM_ELIMIT);
    assert_int_equal(len, full);
    assert_string_equal(buf, "xyz");
    assert_int_equal(itsm_report_to_json(r, buf, 1, &len), ITSM_ELIMIT);
    assert_int_equal(buf[0], '\0');
    assert_int_equal(len, full);
    assert_int_equal(itsm_report_to_json(r, buf, sizeof buf, &len), ITSM_ELIMIT);
    assert_int_equal(strlen(buf), 3);
    assert_true(strncmp(buf, whole, 3) == 0);
    /* exactly the length: no room for the NUL, so it did not fit */
    char *exact = malloc(full);
    assert_int_equal(itsm_report_to_json(r, exact, full, &len), ITSM_ELIMIT);
    assert_int_equal(strlen(exact), full - 1);
    free(exact);
    assert_int_equal(itsm_report_to_json(r, NULL, 5, &len), ITSM_EINVAL);
    assert_int_equal(itsm_report_to_json(r, buf, sizeof buf, NULL), ITSM_EINVAL);
    assert_int_equal(itsm_report_to_csv(r, NULL, 5, &len), ITSM_EINVAL);
    assert_int_equal(itsm_report_to_csv(r, buf, sizeof buf, NULL), ITSM_EINVAL);
    char *csv = report_csv(r);
    assert_int_equal(itsm_report_to_csv(r, buf, 0, &len), ITSM_ELIMIT);
    assert_int_equal(len, strlen(csv));
    free(csv);
    free(whole);
    itsm_report_free(r);
    fixture_close(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(host_chosen_names_are_escaped_in_json_and_quoted_in_csv),
        cmocka_unit_test(writers_keep_the_snprintf_contract_at_the_edges),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
