/* SPDX-License-Identifier: Apache-2.0 */
/* The one error buffer (kit/err.h). */
#include "kit/err.h"

#include <stdio.h>
#include <string.h>

int itsm__errbuf_vset(itsm__errbuf *e, int code, const char *fmt, va_list ap)
{
    vsnprintf(e->msg, sizeof e->msg, fmt, ap);
    e->code = code;
    return code;
}

int itsm__errbuf_set(itsm__errbuf *e, int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    itsm__errbuf_vset(e, code, fmt, ap);
    va_end(ap);
    return code;
}

int itsm__errbuf_prefix(itsm__errbuf *e, int code, const char *prefix)
{
    char inner[ITSM__ERRMSG];
    memcpy(inner, e->msg, sizeof inner);
    return itsm__errbuf_set(e, code, "%s%.300s", prefix, inner);
}

int itsm__errbuf_copy(itsm__errbuf *dst, const itsm__errbuf *src)
{
    if (dst != src)
        memcpy(dst, src, sizeof *dst);
    return dst->code;
}

int itsm__errbuf_oom(itsm__errbuf *e)
{
    static const char msg[] = "out of memory";
    memcpy(e->msg, msg, sizeof msg);
    e->code = ITSM_ENOMEM;
    return ITSM_ENOMEM;
}

void itsm__errbuf_clear(itsm__errbuf *e)
{
    e->code = ITSM_OK;
    e->msg[0] = '\0';
}
