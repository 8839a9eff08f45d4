/* SPDX-License-Identifier: Apache-2.0 */
/*
 * itsm/condition.h - conditions: the policy's small expression language.
 *
 * A condition is a line of text such as
 *
 *     kind == 'incident' and priority <= 2 and service in ('Payroll', 'Mail')
 *     state != 'resolved' and not major and hold_reason == null
 *
 * over the names of a record (every field, plus state, kind and open),
 * comparing them with constants (==, !=, <, <=, >, >=, in, not in) and
 * joining the tests with and, or, not and parentheses. It is compiled and
 * type-checked once: an unknown name, a type mismatch ("priority is an
 * int; 'high' is a string"), a constant a name can never equal (priority
 * 7, a state no lifecycle has) are refused with the line and column.
 * The language, its types and how an unset field compares are described in
 * docs/conditions.md.
 */
#ifndef ITSM_CONDITION_H
#define ITSM_CONDITION_H

#include "common.h"
#include "json.h"
#include "record.h"
#include "policy.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Check `len` bytes of condition text against the names of `policy`'s
 * records. ITSM_OK; ITSM_EPARSE or ITSM_ELIMIT with `err` (may be NULL)
 * filled: 1-based line and column within the text, byte offset, reason;
 * ITSM_EINVAL (NULL policy or text; err not filled); ITSM_ENOMEM. */
ITSM_API int itsm_policy_check_condition(const itsm_policy *policy, const char *text, size_t len,
                                         itsm_parse_error *err);

/* Evaluate a condition on a record as it stands now: *out gets 1 when it
 * holds, else 0. The text is compiled against the record's engine policy
 * on each call. ITSM_EINVAL (NULL argument; err not filled); ITSM_EPARSE,
 * ITSM_ELIMIT (err filled, as itsm_policy_check_condition); ITSM_ENOMEM. */
ITSM_API int itsm_record_condition(int *out, const itsm_record *rec, const char *text, size_t len,
                                   itsm_parse_error *err);

#ifdef __cplusplus
}
#endif
#endif
