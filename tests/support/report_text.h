/* SPDX-License-Identifier: Apache-2.0 */
/* Helpers of the report tests (tests/test_report_*.c): a report written
 * whole as JSON or CSV, through the snprintf-style writers' contract (the
 * size asked with no buffer is ITSM_ELIMIT and exact), and a text that
 * must hold a part. */
#ifndef ITSM_TEST_REPORT_TEXT_H
#define ITSM_TEST_REPORT_TEXT_H

#include "support.h"

#include <itsm/report.h>
#include <stdlib.h>
#include <string.h>

static inline char *report_text(const itsm_report *r, int csv)
{
    size_t len = 0;
    int rc = csv ? itsm_report_to_csv(r, NULL, 0, &len) : itsm_report_to_json(r, NULL, 0, &len);
    assert_int_equal(rc, ITSM_ELIMIT);
    char *buf = malloc(len + 1);
    assert_non_null(buf);
    rc = csv ? itsm_report_to_csv(r, buf, len + 1, &len) : itsm_report_to_json(r, buf, len + 1, &len);
    assert_ok(rc);
    assert_int_equal(strlen(buf), len);
    return buf;
}

/* The report's JSON, malloc'd. */
static inline char *report_json(const itsm_report *r) { return report_text(r, 0); }

/* The report's CSV, malloc'd. */
static inline char *report_csv(const itsm_report *r) { return report_text(r, 1); }

/* `buf` holds `text`, or the test fails showing `buf`. */
#define HAS(buf, text) do {                                                   \
        if (!strstr((buf), (text)))                                           \
            fail_msg("missing %s in\n%s", (text), (buf));                     \
    } while (0)

#endif
