/* SPDX-License-Identifier: Apache-2.0 */
/* A policy with a service catalogue, for the request tests: the catalogue
 * is set through the policy document (docs/requests.md), the way a host
 * writes one. */
#ifndef ITSM_TEST_CATALOGUE_POLICY_H
#define ITSM_TEST_CATALOGUE_POLICY_H

#include "support.h"

#include <stdlib.h>
#include <string.h>

/* `base` (taken: freed here) with its empty catalogue replaced by
 * `catalogue`, a document member such as "\"catalogue\":[{...}]". */
static inline itsm_policy *policy_with_catalogue(itsm_policy *base, const char *catalogue)
{
    size_t len = 0;
    assert_int_equal(itsm_policy_to_json(base, NULL, 0, &len), ITSM_ELIMIT);
    char *doc = malloc(len + 1);
    assert_ok(itsm_policy_to_json(base, doc, len + 1, &len));
    itsm_policy_free(base);
    static const char empty[] = "\"catalogue\":[]";
    char *at = strstr(doc, empty);
    assert_non_null(at);
    char *out = malloc(len + strlen(catalogue) + 1);
    memcpy(out, doc, (size_t)(at - doc));
    strcpy(out + (at - doc), catalogue);
    strcat(out, at + strlen(empty));
    free(doc);
    itsm_policy *p = NULL;
    itsm_parse_error err;
    int rc = itsm_policy_from_json(&p, out, strlen(out), NULL, NULL, &err);
    if (rc)
        fail_msg("catalogue policy: %s %s", itsm_errname(rc), err.text);
    free(out);
    return p;
}

#endif
