/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libFuzzer target: the policy document parser.
 * Any bytes: itsm_policy_parse_json must return a code, never crash or leak.
 * A document it accepts must write back (itsm_policy_to_json) to text that
 * parses again and writes back to the same bytes.
 */
#include <itsm.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static char *write_policy(const itsm_policy *p, size_t *len)
{
    if (itsm_policy_to_json(p, NULL, 0, len) != ITSM_ELIMIT && *len != 0)
        abort();
    char *buf = malloc(*len + 1);
    if (!buf || itsm_policy_to_json(p, buf, *len + 1, len) != ITSM_OK)
        abort();
    return buf;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    itsm_json_limits limits = { 64 * 1024, 4096, 32 };
    itsm_parse_error err;
    itsm_policy *p = NULL;
    int rc = itsm_policy_parse_json(&p, (const char *)data, size, NULL, &limits, &err);
    if (rc != ITSM_OK) {
        if (p || err.code != rc)
            abort();
        return 0;
    }
    (void)itsm_policy_check(p);
    size_t n1, n2;
    char *a = write_policy(p, &n1);
    itsm_policy *q = NULL;
    if (itsm_policy_parse_json(&q, a, n1, NULL, NULL, &err) != ITSM_OK)
        abort();
    char *b = write_policy(q, &n2);
    if (n1 != n2 || memcmp(a, b, n1) != 0)
        abort();
    free(a);
    free(b);
    itsm_policy_free(q);
    itsm_policy_free(p);
    return 0;
}
