/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Internal: the one error buffer. Every handle that reports why a call
 * failed (an engine, a policy, a handover packet) owns one itsm__errbuf and
 * writes it through these functions, so messages are formatted, truncated
 * and cleared the same way everywhere, and an out-of-memory message never
 * allocates. The public getters (itsm_errmsg, itsm_policy_errmsg,
 * itsm_packet_errmsg) return errbuf.msg.
 */
#ifndef ITSM_SRC_KIT_ERR_H
#define ITSM_SRC_KIT_ERR_H

#include <stdarg.h>

#include "itsm/errors.h"

/* Long enough for a message naming a state, an event, a field and a value
 * (symbols are at most 255 bytes); longer messages are cut, never lost. */
#define ITSM__ERRMSG 512

typedef struct itsm__errbuf {
    int  code;                 /* the code of the last failure, ITSM_OK when cleared */
    char msg[ITSM__ERRMSG];    /* NUL-terminated; "" when cleared */
} itsm__errbuf;

#if defined(__GNUC__)
#define ITSM__PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define ITSM__PRINTF(a, b)
#endif

/* Set code and message; returns code, so `return itsm__errbuf_set(...)`. */
int  itsm__errbuf_set(itsm__errbuf *e, int code, const char *fmt, ...) ITSM__PRINTF(3, 4);
int  itsm__errbuf_vset(itsm__errbuf *e, int code, const char *fmt, va_list ap) ITSM__PRINTF(3, 0);
/* Copy another buffer's message and code (e.g. a checker's into a handle's). */
int  itsm__errbuf_copy(itsm__errbuf *dst, const itsm__errbuf *src);
/* Put `prefix` before the message `e` holds, with a new code (the message is
 * copied first: it cannot be formatted into itself). Returns code. */
int  itsm__errbuf_prefix(itsm__errbuf *e, int code, const char *prefix);
/* ITSM_ENOMEM with a static message: never allocates, never formats. */
int  itsm__errbuf_oom(itsm__errbuf *e);
void itsm__errbuf_clear(itsm__errbuf *e);

#endif
