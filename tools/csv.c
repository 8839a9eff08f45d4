/* SPDX-License-Identifier: Apache-2.0 */
/* tools/csv.c - lines, fields and timestamps of the logs (see csv.h). */
#include "csv.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

/* ---- lines ---- */

struct rp_lines {
    gzFile f;
    char  *buf;
    size_t cap, pos, fill;   /* unread bytes are buf[pos..fill) */
    int    eof;
    char   err[256];
};

enum { CHUNK = 1 << 18 };

rp_lines *rp_lines_open(const char *path)
{
    gzFile f = gzopen(path, "rb");
    if (!f)
        return NULL;
    rp_lines *l = calloc(1, sizeof *l);
    if (l)
        l->buf = malloc(l->cap = 2 * CHUNK);
    if (!l || !l->buf) {
        free(l);
        gzclose(f);
        errno = ENOMEM;
        return NULL;
    }
    l->f = f;
    return l;
}

/* Read more input after the unread bytes (moved to the front first).
 * 0 at the end of the input or on an error (l->eof set). */
static int refill(rp_lines *l)
{
    if (l->eof)
        return 0;
    if (l->pos) {
        memmove(l->buf, l->buf + l->pos, l->fill - l->pos);
        l->fill -= l->pos;
        l->pos = 0;
    }
    if (l->cap - l->fill < CHUNK) {   /* a line longer than the buffer */
        char *b = realloc(l->buf, l->cap * 2);
        if (!b) {
            snprintf(l->err, sizeof l->err, "out of memory");
            l->eof = 1;
            return 0;
        }
        l->buf = b;
        l->cap *= 2;
    }
    int n = gzread(l->f, l->buf + l->fill, (unsigned)(l->cap - l->fill - 1));
    if (n > 0) {
        l->fill += (size_t)n;
        return 1;
    }
    l->eof = 1;
    int zerr = Z_OK;
    const char *m = gzerror(l->f, &zerr);
    if (n < 0 || zerr != Z_OK) {
        /* zlib says Z_BUF_ERROR when the stream stops before its end
         * (cut mid-file, or only the trailer missing), Z_DATA_ERROR when
         * the data or its check is wrong. */
        const char *what = zerr == Z_BUF_ERROR ? "gzip stream ends early, the file is truncated"
                                               : "gzip data is damaged";
        const char *colon = m ? strrchr(m, ':') : NULL;
        snprintf(l->err, sizeof l->err, "%s (zlib: %s)", what, colon ? colon + 2 : m ? m : "?");
    }
    return 0;
}

char *rp_lines_next(rp_lines *l, size_t *len, int *cut)
{
    size_t scanned = l->pos;
    for (;;) {
        char *nl = memchr(l->buf + scanned, '\n', l->fill - scanned);
        if (nl) {
            char *s = l->buf + l->pos;
            size_t n = (size_t)(nl - s);
            l->pos += n + 1;
            if (n && s[n - 1] == '\r')
                n--;
            s[n] = '\0';
            *len = n;
            if (cut)
                *cut = 0;
            return s;
        }
        size_t off = l->fill - l->pos;   /* bytes already scanned, relative to pos */
        if (!refill(l)) {
            if (l->pos == l->fill)
                return NULL;
            /* the input ends without a line end: the last line may be cut */
            char *s = l->buf + l->pos;
            size_t n = l->fill - l->pos;
            l->pos = l->fill;
            if (n && s[n - 1] == '\r')
                n--;
            s[n] = '\0';
            *len = n;
            if (cut)
                *cut = 1;
            return s;
        }
        scanned = l->pos + off;
    }
}

const char *rp_lines_error(const rp_lines *l) { return l->err[0] ? l->err : NULL; }

void rp_lines_close(rp_lines *l)
{
    if (!l)
        return;
    gzclose(l->f);
    free(l->buf);
    free(l);
}

/* ---- fields ---- */

#if !defined(__SSE2__) && defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
/* The bytes of w equal to zero, as their top bits: exact, no false hits
 * (the usual (x - 0x01..) trick flags bytes above a real zero too). */
static inline uint64_t zero_bytes(uint64_t w)
{
    const uint64_t lo7 = 0x7f7f7f7f7f7f7f7full;
    return ~(((w & lo7) + lo7) | w | lo7);
}
#endif

static inline void field(rp_fields *f, int n, char *p, char *q)
{
    if (n < RP_MAX_FIELDS) {
        f->p[n] = p;
        f->len[n] = (uint32_t)(q - p);
    }
}

void rp_split(rp_fields *f, char *line, size_t len, char sep)
{
    char *p = line, *start = line, *end = line + len;
    int n = 0;
#if defined(__SSE2__)
    /* sixteen bytes at a time: one compare finds every separator in them */
    const __m128i pat = _mm_set1_epi8(sep);
    for (; end - p >= 16; p += 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
        for (unsigned m = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, pat)); m; m &= m - 1) {
            char *q = p + __builtin_ctz(m);
            field(f, n++, start, q);
            *q = '\0';
            start = q + 1;
        }
    }
#elif defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    /* eight bytes at a time: one load finds every separator in them */
    const uint64_t pat = 0x0101010101010101ull * (unsigned char)sep;
    for (; end - p >= 8; p += 8) {
        uint64_t w;
        memcpy(&w, p, 8);
        for (uint64_t m = zero_bytes(w ^ pat); m; m &= m - 1) {
            char *q = p + (__builtin_ctzll(m) >> 3);
            field(f, n++, start, q);
            *q = '\0';
            start = q + 1;
        }
    }
#endif
    for (; p < end; p++)
        if (*p == sep) {
            field(f, n++, start, p);
            *p = '\0';
            start = p + 1;
        }
    field(f, n++, start, end);
    f->n = n;
}

/* ---- time ---- */

static int leap(long long y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

unsigned rp_days_in_month(long long y, unsigned m)
{
    static const unsigned char dm[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    if (m < 1 || m > 12)
        return 0;
    return dm[m - 1] + (m == 2 && leap(y));
}

long long rp_days_from_civil(long long y, unsigned m, unsigned d)
{
    y -= m <= 2;
    long long era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (153 * (m + (m > 2 ? (unsigned)-3 : 9)) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (long long)doe - 719468;
}

/* Exactly `w` digits at s: their value, or -1. */
static int digits(const char *s, int w)
{
    int v = 0;
    for (int i = 0; i < w; i++) {
        unsigned c = (unsigned)(unsigned char)s[i] - '0';
        if (c > 9)
            return -1;
        v = v * 10 + (int)c;
    }
    return v;
}

/* 1 or 2 digits at *s, advancing; -1 if none. */
static int digits12(const char **s, const char *end)
{
    const char *p = *s;
    if (p >= end || (unsigned)(unsigned char)*p - '0' > 9)
        return -1;
    int v = *p++ - '0';
    if (p < end && (unsigned)(unsigned char)*p - '0' <= 9)
        v = v * 10 + (*p++ - '0');
    *s = p;
    return v;
}

static itsm_time civil(int y, int mo, int d, int h, int mi, int se)
{
    if (y < 1970 || mo < 1 || mo > 12 || d < 1 || (unsigned)d > rp_days_in_month(y, (unsigned)mo) || h > 23 ||
        mi > 59 || se > 59)
        return ITSM_TIME_NONE;
    return (itsm_time)rp_days_from_civil(y, (unsigned)mo, (unsigned)d) * 86400 + h * 3600 + mi * 60 + se;
}

itsm_time rp_time_dmy(const char *s, size_t n)
{
    const char *p = s, *end = s + n;
    int d = digits12(&p, end);
    if (d < 0 || p >= end || *p++ != '/')
        return ITSM_TIME_NONE;
    int mo = digits12(&p, end);
    if (mo < 0 || p >= end || *p++ != '/')
        return ITSM_TIME_NONE;
    /* "YYYY HH:MM" */
    if (end - p != 10 || p[4] != ' ' || p[7] != ':')
        return ITSM_TIME_NONE;
    int y = digits(p, 4), h = digits(p + 5, 2), mi = digits(p + 8, 2);
    if (y < 0 || h < 0 || mi < 0)
        return ITSM_TIME_NONE;
    return civil(y, mo, d, h, mi, 0);
}

itsm_time rp_time_iso(const char *s, size_t n)
{
    /* 2010-03-31T15:59:42+01:00 (25) or 2010-03-31T15:59:42Z (20) */
    if ((n != 25 && n != 20) || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':')
        return ITSM_TIME_NONE;
    int y = digits(s, 4), mo = digits(s + 5, 2), d = digits(s + 8, 2);
    int h = digits(s + 11, 2), mi = digits(s + 14, 2), se = digits(s + 17, 2);
    if (y < 0 || mo < 0 || d < 0 || h < 0 || mi < 0 || se < 0)
        return ITSM_TIME_NONE;
    itsm_time t = civil(y, mo, d, h, mi, se);
    if (t == ITSM_TIME_NONE)
        return t;
    if (n == 20)
        return s[19] == 'Z' ? t : ITSM_TIME_NONE;
    int oh = digits(s + 20, 2), om = digits(s + 23, 2);
    if ((s[19] != '+' && s[19] != '-') || s[22] != ':' || oh < 0 || om < 0 || oh > 23 || om > 59)
        return ITSM_TIME_NONE;
    itsm_time off = (itsm_time)(oh * 3600 + om * 60);
    return s[19] == '+' ? t - off : t + off;
}

/* ---- text ---- */

size_t rp_latin1_to_utf8(const char *in, size_t n, char *out, size_t cap)
{
    size_t o = 0;
    for (size_t i = 0; i < n && o + 3 < cap; i++) {
        unsigned char c = (unsigned char)in[i];
        if (c < 0x80) {
            out[o++] = (char)c;
        } else {
            out[o++] = (char)(0xC0 | (c >> 6));
            out[o++] = (char)(0x80 | (c & 0x3F));
        }
    }
    out[o] = '\0';
    return o;
}
