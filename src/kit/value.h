/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Internal: the one value checker. Every reader of a field value (the API,
 * the policy document, packet JSON, event JSON and replay) checks it here,
 * by type, so a value the API accepts always replays and a value it refuses
 * is refused everywhere:
 *
 *   text    UTF-8 without NUL, at most ITSM_MAX_TEXT bytes (may be empty)
 *   symbol  1..ITSM_MAX_SYMBOL bytes of UTF-8 without control characters
 *           (no byte below 0x20, no 0x7F), not only spaces: a name that
 *           repeats across records
 *   int     a whole number within the type's range
 *   bool    0 or 1
 *   time    ITSM_TIME_MIN..ITSM_TIME_MAX, or ITSM_TIME_NONE (unset)
 *   enum    one of the type's values (a symbol from a closed list)
 *
 * Each check writes its message into an error buffer naming the value as
 * `what` and, when not NULL, `name` ("field 'summary'"; "route group") and
 * returns ITSM_OK, ITSM_EINVAL or ITSM_ELIMIT (over-long: never truncated).
 * The subject is formatted only when a check fails.
 */
#ifndef ITSM_SRC_KIT_VALUE_H
#define ITSM_SRC_KIT_VALUE_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "itsm/record.h"
#include "kit/err.h"

/* A value type: the field type and, by type, its range or its values. */
typedef struct itsm__vtype {
    itsm_field_type    type;
    int64_t            min, max;     /* int */
    const char *const *values;       /* enum: its names, interned or owned by the policy */
    uint32_t           nvalues;
} itsm__vtype;

int itsm__check_text(itsm__errbuf *e, const char *what, const char *name, const char *s, size_t n);
int itsm__check_symbol(itsm__errbuf *e, const char *what, const char *name, const char *s, size_t n);
/* A NUL-terminated symbol (or a policy name given as a C string). */
int itsm__check_symbol_z(itsm__errbuf *e, const char *what, const char *name, const char *s);
int itsm__check_int(itsm__errbuf *e, const char *what, const char *name, int64_t v, int64_t min, int64_t max);
int itsm__check_timeval(itsm__errbuf *e, const char *what, const char *name, int64_t v);

/* A string value of a text, symbol or enum type (n bytes, no NUL needed). */
int itsm__check_str(itsm__errbuf *e, const char *what, const char *name, const itsm__vtype *t, const char *s, size_t n);
/* A number value of an int, bool or time type. */
int itsm__check_num(itsm__errbuf *e, const char *what, const char *name, const itsm__vtype *t, int64_t v);
/* The position of s in an enum's values, or -1. */
int itsm__enum_index(const itsm__vtype *t, const char *s, size_t n);

/* The word w's bytes that are not printable ASCII (below 0x20, 0x7f, or
 * with the high bit), as a mask of their high bits: 0 when all 8 are
 * printable. A caller that reads words for something else ORs the masks
 * and tests once at the end. */
static inline uint64_t itsm__unprintable_bits(uint64_t w)
{
    const uint64_t ones = 0x0101010101010101ull, high = 0x8080808080808080ull;
    uint64_t d = w ^ (0x7f * ones);
    return (w | ((w - 0x20 * ones) & ~w) | ((d - ones) & ~d)) & high;
}
static inline int itsm__printable_word(const char *s)
{
    uint64_t w;
    memcpy(&w, s, 8);
    return !itsm__unprintable_bits(w);
}
/* Printable ASCII only (no byte below 0x20, none from 0x7F), 8 bytes a
 * step: the common case of every string value, which then needs no UTF-8
 * or control-character scan. Inline: every value a step carries is
 * checked. */
static inline int itsm__printable_ascii(const char *s, size_t n)
{
    size_t k = 0;
    for (; k + 8 <= n; k += 8)
        if (!itsm__printable_word(s + k))
            return 0;
    if (k == n)
        return 1;
    /* The tail of a string of 8 bytes or more: its last 8 bytes, some
     * checked again, instead of one byte a step (most symbols are
     * "Group 56", "Resolver 149": 8 to 16 bytes). */
    if (n >= 8)
        return itsm__printable_word(s + n - 8);
    for (; k < n; k++)
        if ((unsigned char)s[k] < 0x20 || (unsigned char)s[k] >= 0x7f)
            return 0;
    return 1;
}

/* The checks of a symbol and of a text, inline for the common case
 * (short printable ASCII), the full check out of line. */
static inline int itsm__symbol_ok(itsm__errbuf *e, const char *what, const char *name, const char *s, size_t n)
{
    /* One leading space sends it to the full check, which refuses a
     * symbol of only spaces. */
    if (n - 1 < ITSM_MAX_SYMBOL && s[0] != ' ' && itsm__printable_ascii(s, n))
        return ITSM_OK;
    return itsm__check_symbol(e, what, name, s, n);
}
static inline int itsm__text_ok(itsm__errbuf *e, const char *what, const char *name, const char *s, size_t n)
{
    if (n <= ITSM_MAX_TEXT && itsm__printable_ascii(s, n))
        return ITSM_OK;
    return itsm__check_text(e, what, name, s, n);
}

#endif
