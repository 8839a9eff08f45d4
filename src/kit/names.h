/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Internal: policy names and owned string vectors, for the policy sections
 * that hold lists of names (approvals, risk, the change schedule).
 */
#ifndef ITSM_SRC_KIT_NAMES_H
#define ITSM_SRC_KIT_NAMES_H

#include <stddef.h>

#include "itsm/common.h"

/* A policy name: 1..63 bytes of [a-z0-9_] (safe in messages, JSON and
 * scenario scripts without quoting). */
int itsm__pname_okn(const char *s, size_t n);
static inline int itsm__pname_ok(const char *s)
{
    size_t n = 0;
    if (!s)
        return 0;
    while (n < 64 && s[n])
        n++;
    return itsm__pname_okn(s, n) && !s[n];
}

/* A copy of n strings (each copied); NULL with n == 0 is an empty vector.
 * ITSM_OK or ITSM_ENOMEM (nothing allocated). */
int  itsm__strv_dup(char ***out, const itsm_allocator *a, const char *const *v, size_t n);
void itsm__strv_free(const itsm_allocator *a, char **v, size_t n);   /* NULL ok */
/* The position of s in v, or -1. */
long itsm__strv_find(char *const *v, size_t n, const char *s);

#endif
