/* SPDX-License-Identifier: Apache-2.0 */
/* A record's approval status and one of its levels, read as values: the
 * approval tests assert on their members. */
#ifndef ITSM_TEST_APPROVAL_READ_H
#define ITSM_TEST_APPROVAL_READ_H

#include "support.h"

static inline itsm_approval_info approval_of(const itsm_record *r)
{
    itsm_approval_info ai = { .size = sizeof ai };
    assert_ok(itsm_record_approval(&ai, r));
    return ai;
}

static inline itsm_approval_level level_of(const itsm_record *r, size_t i)
{
    itsm_approval_level l = { .size = sizeof l };
    assert_ok(itsm_record_approval_level(&l, r, i));
    return l;
}

#endif
