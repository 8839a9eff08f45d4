/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libFuzzer target for handover packet parsing (itsm_packet_from_json),
 * see README.md section fuzz_packet.
 *
 * For every input:
 *   - a refusal is ITSM_EPARSE or ITSM_ELIMIT (the allocator here does not
 *     fail) with a position inside the input and a message, and no packet;
 *   - an accepted packet writes back (measured first, then for real; the
 *     lengths agree), the output parses again to an equal packet, and
 *     writing that gives the same bytes;
 *   - the packet's completeness against the default policy is 0..100, and
 *     cloning gives an equal packet.
 * A counting allocator checks that every block comes back.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <itsm.h>
#include "../support/failalloc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                                                            \
    do {                                                                       \
        if (!(cond)) {                                                         \
            fprintf(stderr, "fuzz_packet: check failed: %s (line %d)\n", #cond, \
                    __LINE__);                                                 \
            abort();                                                           \
        }                                                                      \
    } while (0)

static failalloc cnt;

static itsm_policy *policy;

static char *to_json(const itsm_packet *p, size_t *len)
{
    CHECK(itsm_packet_to_json(p, NULL, 0, len) == ITSM_ELIMIT);
    char *buf = malloc(*len + 1);
    size_t len2 = 0;
    CHECK(buf && itsm_packet_to_json(p, buf, *len + 1, &len2) == ITSM_OK && len2 == *len);
    CHECK(strlen(buf) == *len);
    return buf;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!policy)
        CHECK(itsm_policy_new_default(&policy, NULL) == ITSM_OK);
    itsm_allocator a = failalloc_make(&cnt);
    itsm_json_limits lim = { 1 << 16, 1 << 12, 16 };
    itsm_packet *p = NULL;
    itsm_parse_error err;
    cnt.live = 0;
    int rc = itsm_packet_from_json(&p, (const char *)data, size, &a, &lim, &err);
    if (rc != ITSM_OK) {
        CHECK(rc == ITSM_EPARSE || rc == ITSM_ELIMIT);
        CHECK(p == NULL && err.code == rc && err.text[0] != '\0');
        CHECK(err.line >= 1 && err.column >= 1 && err.offset <= size);
        CHECK(cnt.live == 0);
        return 0;
    }
    size_t len = 0, len2 = 0;
    char *out = to_json(p, &len);
    itsm_packet *q = NULL;
    CHECK(itsm_packet_from_json(&q, out, len, &a, NULL, &err) == ITSM_OK);
    CHECK(itsm_packet_equal(p, q));
    char *out2 = to_json(q, &len2);
    CHECK(len == len2 && memcmp(out, out2, len) == 0);
    int score = -1;
    char missing[512];
    CHECK(itsm_packet_completeness(&score, p, policy, missing, sizeof missing) == ITSM_OK);
    CHECK(score >= 0 && score <= 100);
    itsm_packet *c = NULL;
    CHECK(itsm_packet_clone(&c, p) == ITSM_OK && itsm_packet_equal(c, p));
    itsm_packet_free(c);
    itsm_packet_free(q);
    itsm_packet_free(p);
    free(out);
    free(out2);
    CHECK(cnt.live == 0);
    return 0;
}
