/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libFuzzer target: the conformance report's reading of stored events
 * (itsm_conformance_add_json, src/report/conformance.c over the history
 * reader) and its writers, against the default incident lifecycle.
 *
 * The input is fed whole, then line by line (a store's events, one per
 * line). For every call:
 *   - the code is ITSM_OK, ITSM_EPARSE or ITSM_ELIMIT (the allocator here
 *     does not fail); a refusal changes no figure and leaves a message;
 *   - the figures stay consistent: the summary's moves are the sum of the
 *     moves' counts, allowed moves the sum of theirs, fitness in [0, 1];
 *   - the JSON form parses back (the library's own reader) and measures as
 *     long as it writes; the CSV form measures as long as it writes.
 * Freeing the report gives back every block (a counting allocator).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <itsm.h>
#include "kit/json.h"
#include "../support/failalloc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                                                                  \
    do {                                                                             \
        if (!(cond)) {                                                               \
            fprintf(stderr, "fuzz_conformance: check failed: %s (line %d)\n", #cond, \
                    __LINE__);                                                       \
            abort();                                                                 \
        }                                                                            \
    } while (0)

static void consistent(const itsm_conformance *c)
{
    itsm_conformance_summary s = { .size = sizeof s };
    CHECK(itsm_conformance_summary_of(&s, c) == ITSM_OK);
    size_t moves = 0, allowed = 0;
    for (size_t i = 0; i < itsm_conformance_move_count(c); i++) {
        itsm_conformance_move m = { .size = sizeof m };
        CHECK(itsm_conformance_move_at(c, i, &m) == ITSM_OK);
        CHECK(m.to && m.count > 0 && m.allowed + m.guard_failed <= m.count);
        CHECK(m.fitness >= 0 && m.fitness <= 1);
        moves += m.count;
        allowed += m.allowed;
    }
    CHECK(moves == s.moves && allowed == s.allowed);
    CHECK(s.fitness >= 0 && s.fitness <= 1);
    CHECK(s.deviating_records <= s.records && s.bypass_records <= s.deviating_records);
}

static void write_both(const itsm_conformance *c)
{
    size_t len = 0, len2 = 0;
    CHECK(itsm_conformance_to_json(c, NULL, 0, &len) == ITSM_ELIMIT);
    char *buf = malloc(len + 1);
    CHECK(buf && itsm_conformance_to_json(c, buf, len + 1, &len2) == ITSM_OK && len2 == len);
    itsm__jdoc *doc = NULL;   /* the library's strict reader takes it back */
    itsm_json_limits big = { (size_t)1 << 30, (size_t)1 << 20, 64 };
    CHECK(itsm__json_parse(&doc, buf, len, NULL, &big, NULL) == ITSM_OK);
    itsm__jdoc_free(doc);
    free(buf);
    CHECK(itsm_conformance_to_csv(c, NULL, 0, &len) == ITSM_ELIMIT);
    buf = malloc(len + 1);
    CHECK(buf && itsm_conformance_to_csv(c, buf, len + 1, &len2) == ITSM_OK && len2 == len);
    free(buf);
}

static void feed(itsm_conformance *c, const char *s, size_t n)
{
    itsm_conformance_summary before = { .size = sizeof before }, after = { .size = sizeof after };
    CHECK(itsm_conformance_summary_of(&before, c) == ITSM_OK);
    itsm_parse_error err;
    int rc = itsm_conformance_add_json(c, s, n, &err);
    CHECK(rc == ITSM_OK || rc == ITSM_EPARSE || rc == ITSM_ELIMIT);
    if (rc != ITSM_OK) {
        CHECK(itsm_conformance_errmsg(c)[0] != '\0');
        CHECK(itsm_conformance_summary_of(&after, c) == ITSM_OK);
        CHECK(after.moves == before.moves && after.allowed == before.allowed);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 64 * 1024)
        return 0;
    failalloc cnt = { 0 };
    itsm_allocator a = failalloc_make(&cnt);
    /* made once (the report copies it): the default incident lifecycle
     * alone, so the writers stay cheap and the time goes to the reader */
    static itsm_policy *pol;
    if (!pol) {
        CHECK(itsm_policy_new_default(&pol, NULL) == ITSM_OK);
        for (int k = ITSM_KIND_SERVICE_REQUEST; k <= ITSM_KIND_KNOWLEDGE; k++)
            CHECK(itsm_policy_lifecycle_clear(pol, (itsm_kind)k) == ITSM_OK);
    }
    itsm_conformance *c;
    CHECK(itsm_conformance_new(&c, pol, &a) == ITSM_OK);
    const char *text = (const char *)data;
    feed(c, text, size);
    for (size_t start = 0; start < size;) {
        const char *nl = memchr(text + start, '\n', size - start);
        size_t end = nl ? (size_t)(nl - text) : size;
        feed(c, text + start, end - start);
        start = end + 1;
    }
    consistent(c);
    write_both(c);
    itsm_conformance_free(c);
    CHECK(cnt.live == 0);
    return 0;
}
