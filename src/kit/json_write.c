/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The JSON writer: snprintf-style into a caller buffer, never allocates.
 *
 * Decisions a caller may need:
 * - Strings: '"', '\\' and control characters are escaped (\n \t \r \b \f
 *   short, others \u00XX); valid UTF-8 passes through unchanged; each byte
 *   that is not part of a valid UTF-8 sequence becomes \ufffd, so the output
 *   is always accepted by the reader.
 * - Doubles: the shortest of %.15g/%.16g/%.17g that reads back equal, with
 *   '.' as decimal point whatever the locale; NaN and infinities are written
 *   as null (JSON has no spelling for them).
 * - Times outside ITSM_TIME_MIN..ITSM_TIME_MAX (ITSM_TIME_NONE included)
 *   are written as null.
 * - Nesting deeper than ITSM__JW_MAX_DEPTH is fine: a comma is needed after
 *   a container exactly when one is needed after any value, so the levels
 *   beyond the array can share its last slot.
 */
#include "kit/json.h"
#include "kit/json_bin.h"
#include "itsm/errors.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void put(itsm__jw *w, const char *s, size_t n)
{
    if (w->cap > 0 && w->len < w->cap - 1) {
        size_t room = w->cap - 1 - w->len;
        memcpy(w->buf + w->len, s, n < room ? n : room);
    }
    w->len = n > SIZE_MAX - w->len ? SIZE_MAX : w->len + n;
}

static void putc1(itsm__jw *w, char c)
{
    put(w, &c, 1);
}

static unsigned char *slot(itsm__jw *w)
{
    int d = w->depth;
    if (d < 0)
        d = 0;
    if (d >= ITSM__JW_MAX_DEPTH)
        d = ITSM__JW_MAX_DEPTH - 1;
    return &w->need_comma[d];
}

static void before_value(itsm__jw *w)
{
    if (*slot(w))
        putc1(w, ',');
}

static void after_value(itsm__jw *w)
{
    *slot(w) = 1;
}

void itsm__jw_init(itsm__jw *w, char *buf, size_t cap)
{
    memset(w, 0, sizeof *w);
    w->buf = buf;
    w->cap = buf ? cap : 0;
    if (w->cap > 0)
        buf[0] = '\0';
}

static void begin(itsm__jw *w, char c)
{
    before_value(w);
    putc1(w, c);
    w->depth++;
    *slot(w) = 0;
}

static void end(itsm__jw *w, char c)
{
    if (w->depth > 0)
        w->depth--;
    putc1(w, c);
    after_value(w);
}

void itsm__jw_obj_begin(itsm__jw *w) { if (w->bin) itsm__jwb_open(w, 1); else begin(w, '{'); }
void itsm__jw_obj_end(itsm__jw *w)   { if (w->bin) itsm__jwb_close(w); else end(w, '}'); }
void itsm__jw_arr_begin(itsm__jw *w) { if (w->bin) itsm__jwb_open(w, 0); else begin(w, '['); }
void itsm__jw_arr_end(itsm__jw *w)   { if (w->bin) itsm__jwb_close(w); else end(w, ']'); }

/* The quoted, escaped form of s[0..n). */
static void put_quoted(itsm__jw *w, const char *s, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0, run = 0;   /* p[run..i) is pending verbatim output */

    putc1(w, '"');
    while (i < n) {
        unsigned char c = p[i];
        const char *esc = NULL;
        char ubuf[7];
        size_t adv = 1;

        if (c >= 0x80) {
            size_t k = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
            if (c >= 0xC2 && c <= 0xF4 && k <= n - i && itsm__utf8_valid(s + i, k)) {
                i += k;   /* valid sequence: verbatim */
                continue;
            }
            esc = "\\ufffd";
        } else if (c == '"') {
            esc = "\\\"";
        } else if (c == '\\') {
            esc = "\\\\";
        } else if (c < 0x20) {
            switch (c) {
            case '\n': esc = "\\n"; break;
            case '\t': esc = "\\t"; break;
            case '\r': esc = "\\r"; break;
            case '\b': esc = "\\b"; break;
            case '\f': esc = "\\f"; break;
            default:
                memcpy(ubuf, "\\u00", 4);
                ubuf[4] = hex[c >> 4];
                ubuf[5] = hex[c & 15];
                ubuf[6] = '\0';
                esc = ubuf;
            }
        } else {
            i++;
            continue;
        }
        put(w, s + run, i - run);
        put(w, esc, strlen(esc));
        i += adv;
        run = i;
    }
    put(w, s + run, i - run);
    putc1(w, '"');
}

void itsm__jw_key(itsm__jw *w, const char *key)
{
    itsm__jw_keyn(w, key ? key : "", key ? strlen(key) : 0);
}

void itsm__jw_keyn(itsm__jw *w, const char *key, size_t n)
{
    if (w->bin) {
        itsm__jwb_key(w, key, n);
        return;
    }
    before_value(w);
    put_quoted(w, key, n);
    putc1(w, ':');
    *slot(w) = 0;   /* the value that follows needs no comma */
}

void itsm__jw_key_untabled(itsm__jw *w, const char *key, size_t n)
{
    if (w->bin) {
        itsm__jwb_key_untabled(w, key, n);
        return;
    }
    itsm__jw_keyn(w, key, n);
}

void itsm__jw_keyc(itsm__jw *w, int entry)
{
    if (w->bin) {
        itsm__jwb_byte(w, (unsigned char)(entry + 2));   /* entries < 126: one byte */
        return;
    }
    const char *k = itsm__jwb_keyname(entry);
    itsm__jw_keyn(w, k, strlen(k));
}

void itsm__jw_ascii(itsm__jw *w, const char *s, size_t n)
{
    if (w->bin) {
        itsm__jwb_ascii(w, s, n);
        return;
    }
    itsm__jw_strn(w, s, n);
}

void itsm__jw_strn(itsm__jw *w, const char *s, size_t n)
{
    if (s == NULL) {
        itsm__jw_null(w);
        return;
    }
    if (w->bin) {
        itsm__jwb_str(w, s, n);
        return;
    }
    before_value(w);
    put_quoted(w, s, n);
    after_value(w);
}

void itsm__jw_str(itsm__jw *w, const char *s)
{
    itsm__jw_strn(w, s, s ? strlen(s) : 0);
}

void itsm__jw_int(itsm__jw *w, int64_t v)
{
    if (w->bin) {
        itsm__jwb_int(w, v);
        return;
    }
    char buf[24];
    size_t i = sizeof buf;
    /* Work on the magnitude as unsigned so INT64_MIN needs no special case. */
    uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    do {
        buf[--i] = (char)('0' + (int)(u % 10));
        u /= 10;
    } while (u);
    if (v < 0)
        buf[--i] = '-';
    before_value(w);
    put(w, buf + i, sizeof buf - i);
    after_value(w);
}

void itsm__jw_double(itsm__jw *w, double v)
{
    if (isnan(v) || isinf(v)) {
        itsm__jw_null(w);
        return;
    }
    if (w->bin) {
        itsm__jwb_double(w, v);
        return;
    }
    char buf[40];
    for (int prec = 15; prec <= 17; prec++) {
        snprintf(buf, sizeof buf, "%.*g", prec, v);
        /* strtod reads the same locale snprintf wrote in. */
        if (strtod(buf, NULL) == v)
            break;
    }
    /* %g output holds only digits, '-', '+', 'e' and the locale's decimal
     * point (maybe several bytes): turn the latter into '.'. */
    char out[40];
    size_t o = 0;
    for (size_t i = 0; buf[i];) {
        char c = buf[i];
        if ((c >= '0' && c <= '9') || c == '-' || c == '+' || c == 'e' || c == 'E') {
            out[o++] = c;
            i++;
        } else {
            out[o++] = '.';
            while (buf[i] && !((buf[i] >= '0' && buf[i] <= '9') || buf[i] == 'e'))
                i++;
        }
    }
    before_value(w);
    put(w, out, o);
    after_value(w);
}

void itsm__jw_bool(itsm__jw *w, int v)
{
    if (w->bin) {
        itsm__jwb_byte(w, v ? 0x02 : 0x01);
        return;
    }
    before_value(w);
    if (v)
        put(w, "true", 4);
    else
        put(w, "false", 5);
    after_value(w);
}

void itsm__jw_null(itsm__jw *w)
{
    if (w->bin) {
        itsm__jwb_byte(w, 0x00);
        return;
    }
    before_value(w);
    put(w, "null", 4);
    after_value(w);
}

void itsm__jw_time(itsm__jw *w, itsm_time t)
{
    if (t < ITSM_TIME_MIN || t > ITSM_TIME_MAX) {
        itsm__jw_null(w);
        return;
    }
    char buf[21];
    itsm__time_format(t, buf);
    if (w->bin) {
        itsm__jw_ascii(w, buf, 20);
        return;
    }
    before_value(w);
    putc1(w, '"');
    put(w, buf, 20);
    putc1(w, '"');
    after_value(w);
}

int itsm__jw_finish(itsm__jw *w, size_t *len)
{
    if (w->bin)
        return itsm__jwb_finish(w, len);
    if (w->cap > 0)
        w->buf[w->len < w->cap ? w->len : w->cap - 1] = '\0';
    if (len)
        *len = w->len;
    return w->len < w->cap ? ITSM_OK : ITSM_ELIMIT;
}
