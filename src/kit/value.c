/* SPDX-License-Identifier: Apache-2.0 */
/* The one value checker (kit/value.h). */
#include "kit/value.h"
#include "kit/json.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* Set the message "<what> '<name>' <rest>" (or "<what> <rest>"). */
static int fail(itsm__errbuf *e, int code, const char *what, const char *name, const char *fmt, ...)
    ITSM__PRINTF(5, 6);
static int fail(itsm__errbuf *e, int code, const char *what, const char *name, const char *fmt, ...)
{
    char rest[ITSM__ERRMSG];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(rest, sizeof rest, fmt, ap);
    va_end(ap);
    if (name)
        return itsm__errbuf_set(e, code, "%s '%s' %s", what, name, rest);
    return itsm__errbuf_set(e, code, "%s %s", what, rest);
}

int itsm__check_text(itsm__errbuf *e, const char *what, const char *name, const char *s, size_t n)
{
    if (n > ITSM_MAX_TEXT)
        return fail(e, ITSM_ELIMIT, what, name, "is %zu bytes; the limit is %d", n, ITSM_MAX_TEXT);
    if (!itsm__printable_ascii(s, n) && !itsm__utf8_valid(s, n))
        return fail(e, ITSM_EINVAL, what, name, "is not valid UTF-8");
    return ITSM_OK;
}

int itsm__check_symbol(itsm__errbuf *e, const char *what, const char *name, const char *s, size_t n)
{
    if (n > ITSM_MAX_SYMBOL)
        return fail(e, ITSM_ELIMIT, what, name, "is %zu bytes; the limit is %d", n, ITSM_MAX_SYMBOL);
    if (n && itsm__printable_ascii(s, n)) {
        /* A symbol names someone or something (an owner, a group, a
         * category): only spaces name nothing, and would meet a guard or
         * the closure checklist's "owner set" (seed 003). */
        if (s[0] == ' ') {
            size_t i = 1;
            while (i < n && s[i] == ' ')
                i++;
            if (i == n)
                return fail(e, ITSM_EINVAL, what, name, "cannot be blank: it names someone or something");
        }
        return ITSM_OK;
    }
    if (!itsm__utf8_valid(s, n))
        return fail(e, ITSM_EINVAL, what, name, "is not valid UTF-8");
    if (n == 0)
        return fail(e, ITSM_EINVAL, what, name, "cannot be empty (use NULL to clear it)");
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
            return fail(e, ITSM_EINVAL, what, name, "contains a control character");
    return ITSM_OK;
}

int itsm__check_symbol_z(itsm__errbuf *e, const char *what, const char *name, const char *s)
{
    if (!s)
        return fail(e, ITSM_EINVAL, what, name, "is required");
    return itsm__check_symbol(e, what, name, s, strlen(s));
}

int itsm__check_int(itsm__errbuf *e, const char *what, const char *name, int64_t v, int64_t min, int64_t max)
{
    if (v < min || v > max)
        return fail(e, ITSM_EINVAL, what, name, "must be %lld..%lld (got %lld)", (long long)min,
                                (long long)max, (long long)v);
    return ITSM_OK;
}

int itsm__check_timeval(itsm__errbuf *e, const char *what, const char *name, int64_t v)
{
    if (v != ITSM_TIME_NONE && (v < ITSM_TIME_MIN || v > ITSM_TIME_MAX))
        return fail(e, ITSM_EINVAL, what, name, "time %lld is outside 1970..9999", (long long)v);
    return ITSM_OK;
}

int itsm__enum_index(const itsm__vtype *t, const char *s, size_t n)
{
    for (uint32_t i = 0; i < t->nvalues; i++)
        if (strlen(t->values[i]) == n && memcmp(t->values[i], s, n) == 0)
            return (int)i;
    return -1;
}

int itsm__check_str(itsm__errbuf *e, const char *what, const char *name, const itsm__vtype *t, const char *s, size_t n)
{
    int rc;
    switch (t->type) {
    case ITSM_TYPE_TEXT:
        return itsm__check_text(e, what, name, s, n);
    case ITSM_TYPE_SYMBOL:
        return itsm__check_symbol(e, what, name, s, n);
    case ITSM_TYPE_ENUM:
        if ((rc = itsm__check_symbol(e, what, name, s, n)))
            return rc;
        if (itsm__enum_index(t, s, n) < 0)
            return fail(e, ITSM_EINVAL, what, name, "must be one of its values, not '%.*s'",
                                    (int)(n > 64 ? 64 : n), s);
        return ITSM_OK;
    default:
        return fail(e, ITSM_EINVAL, what, name, "is not a text, symbol or enum field");
    }
}

int itsm__check_num(itsm__errbuf *e, const char *what, const char *name, const itsm__vtype *t, int64_t v)
{
    switch (t->type) {
    case ITSM_TYPE_INT:
        return itsm__check_int(e, what, name, v, t->min, t->max);
    case ITSM_TYPE_BOOL:
        return itsm__check_int(e, what, name, v, 0, 1);
    case ITSM_TYPE_TIME:
        return itsm__check_timeval(e, what, name, v);
    default:
        return fail(e, ITSM_EINVAL, what, name, "is not a number, bool or time field");
    }
}
