/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The strict, bounded JSON reader (RFC 8259).
 *
 * Design notes, for callers:
 * - The parser is iterative: nesting is tracked on a heap stack, so no input
 *   can exhaust the C stack. Depth is still capped at JSON_DEPTH_CAP (10000)
 *   whatever max_depth the caller passes, because code that walks the tree
 *   recursively relies on it.
 * - The document-size limit is checked before any byte is read and is
 *   reported at line 1, column 1, offset 0.
 * - A string over max_string (decoded bytes, keys too) is reported at its
 *   opening quote; a container over max_depth at its opening bracket.
 * - A number whose magnitude is too large for a double (1e400) is refused
 *   with ITSM_ELIMIT (RFC 8259 section 9 allows range limits): a tree never
 *   holds an infinity.
 * - The tree lives in an arena of a few big blocks, freed by itsm__jdoc_free.
 */
#include "kit/json.h"
#include "kit/alloc.h"
#include "itsm/errors.h"

#include <math.h>
#include <stdalign.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define JSON_DEPTH_CAP ((size_t)10000)
/* Objects up to this many members are checked for duplicates linearly;
 * bigger ones get a hash table so a huge object stays O(n). */
#define JSON_LINEAR_KEYS ((size_t)16)
/* Significant digits handed to strtod: enough for correct rounding of any
 * binary64 value (767 are needed) once a sticky digit marks the rest. */
#define JSON_MAX_SIG_DIGITS 780

/* ---- arena --------------------------------------------------------------- */

typedef struct arena_block {
    struct arena_block *next;
    size_t cap, used;
    alignas(max_align_t) unsigned char data[];
} arena_block;

typedef struct arena {
    const itsm_allocator *a;
    arena_block *head;         /* newest block first */
    size_t next_size;
    void *last;                /* most recent allocation, so it can shrink */
} arena;

#define ARENA_ALIGN (alignof(max_align_t))
#define ARENA_MAX_BLOCK ((size_t)4 * 1024 * 1024)

static size_t round_up(size_t n)
{
    return (n + (ARENA_ALIGN - 1)) & ~(ARENA_ALIGN - 1);
}

static void *arena_alloc(arena *ar, size_t size)
{
    if (size > SIZE_MAX / 2)
        return NULL;
    size = round_up(size ? size : 1);
    arena_block *b = ar->head;
    if (b == NULL || b->cap - b->used < size) {
        size_t cap = ar->next_size > size ? ar->next_size : size;
        b = itsm__malloc(ar->a, sizeof(arena_block) + cap);
        if (b == NULL)
            return NULL;
        b->next = ar->head;
        b->cap = cap;
        b->used = 0;
        ar->head = b;
        if (ar->next_size < ARENA_MAX_BLOCK)
            ar->next_size *= 2;
    }
    void *p = b->data + b->used;
    b->used += size;
    ar->last = p;
    return p;
}

/* Give back the unused tail of the most recent allocation: strings are
 * allocated at their raw length and shrink to their decoded length. */
static void arena_shrink_last(arena *ar, void *p, size_t size)
{
    arena_block *b = ar->head;
    if (b == NULL || p != ar->last)
        return;
    b->used = (size_t)((unsigned char *)p - b->data) + round_up(size ? size : 1);
}

static void arena_free(const itsm_allocator *a, arena_block *b)
{
    while (b) {
        arena_block *next = b->next;
        itsm__free(a, b);
        b = next;
    }
}

struct itsm__jdoc {
    itsm_allocator alloc;
    arena_block *blocks;
    itsm__jval root;
};

/* ---- UTF-8 --------------------------------------------------------------- */

typedef enum utf8_fault {
    UTF8_OK = 0,
    UTF8_BAD_LEAD,       /* 0x80..0xC1, 0xF5..0xFF */
    UTF8_TRUNCATED,      /* a continuation byte is missing */
    UTF8_OVERLONG,
    UTF8_SURROGATE,
    UTF8_TOO_BIG
} utf8_fault;

/* Length (2..4) of the valid multi-byte sequence at s (s[0] >= 0x80),
 * or 0 with the reason in *why. Ranges from RFC 3629 section 4. */
static size_t utf8_seq(const unsigned char *s, size_t avail, utf8_fault *why)
{
    unsigned char c = s[0];
    size_t n;
    unsigned char lo = 0x80, hi = 0xBF;   /* allowed range of the 2nd byte */
    utf8_fault range_fault = UTF8_OK;

    if (c >= 0xC2 && c <= 0xDF) {
        n = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
        n = 3;
        if (c == 0xE0) { lo = 0xA0; range_fault = UTF8_OVERLONG; }
        if (c == 0xED) { hi = 0x9F; range_fault = UTF8_SURROGATE; }
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4;
        if (c == 0xF0) { lo = 0x90; range_fault = UTF8_OVERLONG; }
        if (c == 0xF4) { hi = 0x8F; range_fault = UTF8_TOO_BIG; }
    } else {
        *why = UTF8_BAD_LEAD;
        return 0;
    }
    for (size_t k = 1; k < n; k++) {
        if (k >= avail || (s[k] & 0xC0) != 0x80) {
            *why = UTF8_TRUNCATED;
            return 0;
        }
    }
    if (s[1] < lo || s[1] > hi) {
        *why = range_fault;
        return 0;
    }
    *why = UTF8_OK;
    return n;
}

int itsm__utf8_valid(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    if (p == NULL)
        return n == 0;
    size_t i = 0;
    /* Eight bytes at a time while they are all ASCII and none is NUL: the
     * usual symbol or text goes through here alone. */
    for (; i + 8 <= n; i += 8) {
        uint64_t w;
        memcpy(&w, p + i, 8);
        if ((w & 0x8080808080808080ull) || ((w - 0x0101010101010101ull) & ~w & 0x8080808080808080ull))
            break;
    }
    while (i < n) {
        if (p[i] == 0)
            return 0;
        if (p[i] < 0x80) {
            i++;
            continue;
        }
        utf8_fault why;
        size_t k = utf8_seq(p + i, n - i, &why);
        if (k == 0)
            return 0;
        i += k;
    }
    return 1;
}

/* ---- parser state -------------------------------------------------------- */

/* A key of an open object, waiting for its value. */
typedef struct pkey {
    char *key;
    size_t klen, line, column;
} pkey;

typedef struct frame {
    size_t start;              /* first pending value on the value stack */
    size_t kstart;             /* first pending key on the key stack (objects) */
    int is_obj;
    size_t line, column, offset;
    size_t *tab;               /* duplicate-key hash: member index + 1, 0 = empty */
    size_t tcap;               /* power of two, or 0 */
} frame;

typedef struct parser {
    const unsigned char *p;
    size_t len, pos;
    size_t line, line_start;   /* newlines occur only in white space */
    const itsm_allocator *a;
    size_t max_string, max_depth;
    uint64_t seed;             /* per-parse hash seed against crafted collisions */
    arena ar;
    /* Children of open containers wait here until their container closes
     * and its exact size is known; keys apart, so arrays cost less. */
    itsm__jval *vals;
    size_t nvals, capvals;
    pkey *keys;
    size_t nkeys, capkeys;
    frame *fr;
    size_t nfr, capfr;
    itsm_parse_error *err;
} parser;

#if defined(__GNUC__)
__attribute__((format(printf, 6, 0)))
#endif
static void set_error(itsm_parse_error *err, int code, size_t line, size_t column,
                      size_t offset, const char *fmt, va_list ap)
{
    if (err == NULL)
        return;
    err->code = code;
    err->line = line;
    err->column = column;
    err->offset = offset;
    vsnprintf(err->text, sizeof err->text, fmt, ap);
}

#if defined(__GNUC__)
__attribute__((format(printf, 4, 5)))
#endif
static int fail(parser *ps, int code, size_t off, const char *fmt, ...)
{
    if (ps->err == NULL)
        return code;
    size_t line = ps->line, line_start = ps->line_start;
    if (off < line_start) {
        /* Not expected (errors are reported on the current line), but
         * stay correct: recount from the start. */
        line = 1;
        line_start = 0;
        for (size_t i = 0; i < off; i++) {
            if (ps->p[i] == '\n') {
                line++;
                line_start = i + 1;
            }
        }
    }
    va_list ap;
    va_start(ap, fmt);
    set_error(ps->err, code, line, off - line_start + 1, off, fmt, ap);
    va_end(ap);
    return code;
}

static int nomem(parser *ps)
{
    return fail(ps, ITSM_ENOMEM, ps->pos, "out of memory");
}

static void skip_ws(parser *ps)
{
    const unsigned char *p = ps->p;
    size_t i = ps->pos, n = ps->len;
    while (i < n) {
        unsigned char c = p[i];
        if (c == ' ' || c == '\t' || c == '\r') {
            i++;
        } else if (c == '\n') {
            i++;
            ps->line++;
            ps->line_start = i;
        } else {
            break;
        }
    }
    ps->pos = i;
}

static void set_pos(const parser *ps, itsm__jval *v)
{
    v->line = ps->line;
    v->column = ps->pos - ps->line_start + 1;
    v->offset = ps->pos;
}

/* "unexpected character 'x'" or, for a byte that is not printable ASCII,
 * "unexpected byte 0xXX". */
static int fail_unexpected(parser *ps, const char *expected)
{
    if (ps->pos >= ps->len)
        return fail(ps, ITSM_EPARSE, ps->pos, "unexpected end of input, expected %s", expected);
    unsigned char c = ps->p[ps->pos];
    if (c > 0x20 && c < 0x7F)
        return fail(ps, ITSM_EPARSE, ps->pos, "unexpected character '%c', expected %s",
                    (char)c, expected);
    return fail(ps, ITSM_EPARSE, ps->pos, "unexpected byte 0x%02X, expected %s",
                (unsigned)c, expected);
}

/* ---- strings ------------------------------------------------------------- */

static int hexval(unsigned char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* The 4 hex digits at p[i..i+4) below `end`, or -1. */
static long hex4(const unsigned char *p, size_t i, size_t end)
{
    if (end - i < 4)
        return -1;
    long v = 0;
    for (size_t k = 0; k < 4; k++) {
        int h = hexval(p[i + k]);
        if (h < 0)
            return -1;
        v = v * 16 + h;
    }
    return v;
}

static size_t utf8_encode(unsigned long cp, unsigned char out[4])
{
    if (cp < 0x80) {
        out[0] = (unsigned char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (unsigned char)(0xC0 | (cp >> 6));
        out[1] = (unsigned char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (unsigned char)(0xE0 | (cp >> 12));
        out[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (unsigned char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (unsigned char)(0xF0 | (cp >> 18));
    out[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
    out[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
    out[3] = (unsigned char)(0x80 | (cp & 0x3F));
    return 4;
}

/* Validate and decode the string body p[begin..end). `q` is the opening
 * quote (for limit and "unterminated" errors). dst may be NULL (validate
 * only); it has room for min(end-begin, max_string) bytes. */
static int decode_string(parser *ps, size_t q, size_t begin, size_t end, int terminated,
                         unsigned char *dst, size_t *out_len)
{
    const unsigned char *p = ps->p;
    size_t i = begin, n = 0;
    unsigned char enc[4];

    while (i < end) {
        unsigned char c = p[i];
        const unsigned char *src;
        size_t k, adv;

        if (c == '\\') {
            if (end - i < 2)
                return fail(ps, ITSM_EPARSE, q, "unterminated string");
            unsigned char e = p[i + 1];
            adv = 2;
            src = enc;
            k = 1;
            switch (e) {
            case '"':  enc[0] = '"'; break;
            case '\\': enc[0] = '\\'; break;
            case '/':  enc[0] = '/'; break;
            case 'b':  enc[0] = '\b'; break;
            case 'f':  enc[0] = '\f'; break;
            case 'n':  enc[0] = '\n'; break;
            case 'r':  enc[0] = '\r'; break;
            case 't':  enc[0] = '\t'; break;
            case 'u': {
                long cp = hex4(p, i + 2, end);
                if (cp < 0) {
                    if (!terminated && end - i < 6)
                        return fail(ps, ITSM_EPARSE, q, "unterminated string");
                    return fail(ps, ITSM_EPARSE, i, "invalid \\u escape: expected 4 hex digits");
                }
                adv = 6;
                if (cp >= 0xDC00 && cp <= 0xDFFF)
                    return fail(ps, ITSM_EPARSE, i, "unpaired surrogate \\u%04lX", (unsigned long)cp);
                if (cp >= 0xD800 && cp <= 0xDBFF) {
                    long lo = -1;
                    if (end - i >= 12 && p[i + 6] == '\\' && p[i + 7] == 'u')
                        lo = hex4(p, i + 8, end);
                    if (lo < 0xDC00 || lo > 0xDFFF) {
                        if (!terminated && end - i < 12)
                            return fail(ps, ITSM_EPARSE, q, "unterminated string");
                        return fail(ps, ITSM_EPARSE, i, "unpaired surrogate \\u%04lX",
                                    (unsigned long)cp);
                    }
                    cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                    adv = 12;
                }
                k = utf8_encode((unsigned long)cp, enc);
                break;
            }
            default:
                if (e > 0x20 && e < 0x7F)
                    return fail(ps, ITSM_EPARSE, i, "invalid escape '\\%c'", (char)e);
                return fail(ps, ITSM_EPARSE, i, "invalid escape: byte 0x%02X after '\\'",
                            (unsigned)e);
            }
        } else if (c < 0x20) {
            return fail(ps, ITSM_EPARSE, i, "unescaped control character 0x%02X in string",
                        (unsigned)c);
        } else if (c < 0x80) {
            src = p + i;
            k = adv = 1;
        } else {
            utf8_fault why;
            k = adv = utf8_seq(p + i, end - i, &why);
            src = p + i;
            if (k == 0) {
                switch (why) {
                case UTF8_TRUNCATED:
                    return fail(ps, ITSM_EPARSE, i, "truncated UTF-8 sequence at byte 0x%02X",
                                (unsigned)c);
                case UTF8_OVERLONG:
                    return fail(ps, ITSM_EPARSE, i, "overlong UTF-8 sequence at byte 0x%02X",
                                (unsigned)c);
                case UTF8_SURROGATE:
                    return fail(ps, ITSM_EPARSE, i, "UTF-16 surrogate encoded in UTF-8 at byte 0x%02X",
                                (unsigned)c);
                case UTF8_TOO_BIG:
                    return fail(ps, ITSM_EPARSE, i, "UTF-8 code point above U+10FFFF at byte 0x%02X",
                                (unsigned)c);
                default:
                    return fail(ps, ITSM_EPARSE, i, "invalid UTF-8 byte 0x%02X", (unsigned)c);
                }
            }
        }
        if (k > ps->max_string - n)
            return fail(ps, ITSM_ELIMIT, q, "string longer than %zu bytes", ps->max_string);
        if (dst)
            memcpy(dst + n, src, k);
        n += k;
        i += adv;
    }
    *out_len = n;
    return ITSM_OK;
}

/* The string whose opening quote is at ps->pos, decoded into the arena. */
static int parse_string(parser *ps, char **out, size_t *out_len)
{
    const unsigned char *p = ps->p;
    size_t q = ps->pos, begin = q + 1, end = begin;
    int terminated = 0;

    /* First find the extent, so the buffer can be sized once. */
    while (end < ps->len) {
        unsigned char c = p[end];
        if (c == '"') {
            terminated = 1;
            break;
        }
        end += c == '\\' ? 2 : 1;
    }
    if (end > ps->len)
        end = ps->len;

    size_t n;
    if (!terminated) {
        int rc = decode_string(ps, q, begin, end, 0, NULL, &n);
        if (rc != ITSM_OK)
            return rc;
        return fail(ps, ITSM_EPARSE, q, "unterminated string");
    }
    size_t raw = end - begin;
    size_t cap = raw < ps->max_string ? raw : ps->max_string;
    unsigned char *dst = arena_alloc(&ps->ar, cap + 1);
    if (dst == NULL)
        return nomem(ps);
    int rc = decode_string(ps, q, begin, end, 1, dst, &n);
    if (rc != ITSM_OK)
        return rc;
    dst[n] = '\0';
    arena_shrink_last(&ps->ar, dst, n + 1);
    *out = (char *)dst;
    *out_len = n;
    ps->pos = end + 1;
    return ITSM_OK;
}

/* ---- numbers ------------------------------------------------------------- */

static int is_digit(unsigned char c)
{
    return c >= '0' && c <= '9';
}

/* Convert a validated literal to double without ever showing strtod a
 * decimal point (whose spelling depends on the locale): the digits of
 * integer and fraction are joined and the exponent adjusted. */
static double to_double(const unsigned char *p, int neg, size_t int_b, size_t int_e,
                        size_t frac_b, size_t frac_e, int64_t exp10)
{
    char buf[JSON_MAX_SIG_DIGITS + 32];
    size_t nd = (int_e - int_b) + (frac_e - frac_b);
    size_t first = 0, last = nd;   /* significant digits are [first, last) */

#define DIGIT_AT(k) ((k) < int_e - int_b ? p[int_b + (k)] : p[frac_b + (k) - (int_e - int_b)])
    while (first < last && DIGIT_AT(first) == '0')
        first++;
    if (first == last)
        return neg ? -0.0 : 0.0;
    while (DIGIT_AT(last - 1) == '0')
        last--;

    /* value = digits[first, last) * 10^e */
    int64_t e = exp10 - (int64_t)(frac_e - frac_b) + (int64_t)(nd - last);
    size_t len = 0;
    if (neg)
        buf[len++] = '-';
    size_t count = last - first;
    if (count > JSON_MAX_SIG_DIGITS) {
        /* The dropped tail is non-zero (trailing zeros are gone): a sticky
         * '1' keeps every rounding decision the same. */
        for (size_t k = 0; k < JSON_MAX_SIG_DIGITS; k++)
            buf[len++] = (char)DIGIT_AT(first + k);
        buf[len++] = '1';
        e += (int64_t)(count - JSON_MAX_SIG_DIGITS - 1);
    } else {
        for (size_t k = first; k < last; k++)
            buf[len++] = (char)DIGIT_AT(k);
    }
#undef DIGIT_AT
    /* Beyond +-99999 the result is inf or 0 for any mantissa we pass. */
    if (e > 99999) e = 99999;
    if (e < -99999) e = -99999;
    snprintf(buf + len, sizeof buf - len, "e%ld", (long)e);
    return strtod(buf, NULL);
}

static int parse_number(parser *ps, itsm__jval *v)
{
    const unsigned char *p = ps->p;
    size_t n = ps->len, start = ps->pos, i = start;
    int neg = 0;

    if (p[i] == '-') {
        neg = 1;
        i++;
    }
    if (i >= n || !is_digit(p[i])) {
        ps->pos = i;
        return fail(ps, ITSM_EPARSE, i, "expected a digit after '-'");
    }
    size_t int_b = i;
    if (p[i] == '0') {
        i++;
        if (i < n && is_digit(p[i]))
            return fail(ps, ITSM_EPARSE, start, "leading zeros are not allowed");
    } else {
        while (i < n && is_digit(p[i]))
            i++;
    }
    size_t int_e = i, frac_b = i, frac_e = i;
    int simple = 1;
    if (i < n && p[i] == '.') {
        i++;
        if (i >= n || !is_digit(p[i]))
            return fail(ps, ITSM_EPARSE, i, "expected a digit after the decimal point");
        frac_b = i;
        while (i < n && is_digit(p[i]))
            i++;
        frac_e = i;
        simple = 0;
    }
    int64_t exp10 = 0;
    if (i < n && (p[i] == 'e' || p[i] == 'E')) {
        int eneg = 0;
        i++;
        if (i < n && (p[i] == '+' || p[i] == '-')) {
            eneg = p[i] == '-';
            i++;
        }
        if (i >= n || !is_digit(p[i]))
            return fail(ps, ITSM_EPARSE, i, "expected a digit in the exponent");
        while (i < n && is_digit(p[i])) {
            /* Saturate: any exponent this big over- or underflows. */
            if (exp10 < 1000000000000000)
                exp10 = exp10 * 10 + (p[i] - '0');
            i++;
        }
        if (eneg)
            exp10 = -exp10;
        simple = 0;
    }

    v->type = ITSM__JNUMBER;
    v->u.num.is_int = 0;
    v->u.num.i = 0;
    if (simple) {
        uint64_t u = 0, lim = neg ? (uint64_t)INT64_MAX + 1u : (uint64_t)INT64_MAX;
        int fits = 1;
        for (size_t k = int_b; k < int_e; k++) {
            unsigned dgt = (unsigned)(p[k] - '0');
            if (u > (lim - dgt) / 10) {
                fits = 0;
                break;
            }
            u = u * 10 + dgt;
        }
        if (fits) {
            int64_t iv;
            if (neg)
                iv = u == (uint64_t)INT64_MAX + 1u ? INT64_MIN : -(int64_t)u;
            else
                iv = (int64_t)u;
            v->u.num.is_int = 1;
            v->u.num.i = iv;
            v->u.num.d = (double)iv;
            ps->pos = i;
            return ITSM_OK;
        }
    }
    double d = to_double(p, neg, int_b, int_e, frac_b, frac_e, exp10);
    if (isinf(d))
        return fail(ps, ITSM_ELIMIT, start, "number out of range of a double");
    v->u.num.d = d;
    ps->pos = i;
    return ITSM_OK;
}

/* ---- objects: duplicate keys --------------------------------------------- */

static uint64_t hash_key(const parser *ps, const char *k, size_t n)
{
    uint64_t h = 14695981039346656037u ^ ps->seed;   /* FNV-1a, seeded */
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)k[i];
        h *= 1099511628211u;
    }
    h ^= h >> 29;   /* FNV's low bits mix poorly; we index by them */
    h *= 0xbf58476d1ce4e5b9u;
    h ^= h >> 32;
    return h;
}

static int key_eq(const char *key, size_t klen, const char *k, size_t n)
{
    return klen == n && memcmp(key, k, n) == 0;
}

static void tab_insert(const parser *ps, frame *f, size_t idx)
{
    const pkey *m = &ps->keys[idx];
    size_t mask = f->tcap - 1;
    size_t h = (size_t)hash_key(ps, m->key, m->klen) & mask;
    while (f->tab[h] != 0)
        h = (h + 1) & mask;
    f->tab[h] = idx + 1;
}

/* Index of an earlier member of the open object `f` named k, SIZE_MAX if
 * none. Called before the new key is pushed at index ps->nkeys; may
 * build or grow the frame's table (ITSM_ENOMEM in *rc). */
static size_t find_dup(parser *ps, frame *f, const char *k, size_t n, int *rc)
{
    size_t count = ps->nkeys - f->kstart;
    *rc = ITSM_OK;
    if (f->tab == NULL && count < JSON_LINEAR_KEYS) {
        for (size_t i = f->kstart; i < ps->nkeys; i++)
            if (key_eq(ps->keys[i].key, ps->keys[i].klen, k, n))
                return i;
        return SIZE_MAX;
    }
    if (f->tab == NULL || (count + 1) * 2 > f->tcap) {
        size_t cap = 64;
        while (cap < (count + 1) * 4) {
            if (cap > SIZE_MAX / 2 / sizeof(size_t)) {
                *rc = nomem(ps);
                return SIZE_MAX;
            }
            cap *= 2;
        }
        size_t *tab = itsm__calloc(ps->a, cap, sizeof(size_t));
        if (tab == NULL) {
            *rc = nomem(ps);
            return SIZE_MAX;
        }
        itsm__free(ps->a, f->tab);
        f->tab = tab;
        f->tcap = cap;
        for (size_t i = f->kstart; i < ps->nkeys; i++)
            tab_insert(ps, f, i);
    }
    size_t mask = f->tcap - 1;
    size_t h = (size_t)hash_key(ps, k, n) & mask;
    while (f->tab[h] != 0) {
        size_t idx = f->tab[h] - 1;
        if (key_eq(ps->keys[idx].key, ps->keys[idx].klen, k, n))
            return idx;
        h = (h + 1) & mask;
    }
    f->tab[h] = ps->nkeys + 1;   /* the key about to be pushed */
    return SIZE_MAX;
}

/* A key for an error message: printable ASCII and whole UTF-8 sequences as
 * they are, other bytes as \u00XX, cut at ~64 bytes. */
static void describe_key(const char *k, size_t n, char *out, size_t cap)
{
    size_t o = 0;
    for (size_t i = 0; i < n;) {
        unsigned char c = (unsigned char)k[i];
        size_t need = c < 0x20 ? 6 : c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
        if (o + need + 4 > cap) {
            memcpy(out + o, "...", 3);
            o += 3;
            break;
        }
        if (c < 0x20) {
            snprintf(out + o, cap - o, "\\u%04X", (unsigned)c);
        } else {
            if (i + need > n)   /* cannot happen: keys are valid UTF-8 */
                need = n - i;
            memcpy(out + o, k + i, need);
        }
        o += need;
        i += c < 0x20 ? 1 : need;
    }
    out[o] = '\0';
}

/* ---- the parser ---------------------------------------------------------- */

static int push_value(parser *ps, const itsm__jval *v)
{
    if (itsm__grow(ps->a, (void **)&ps->vals, &ps->capvals, ps->nvals + 1, sizeof *ps->vals) != ITSM_OK)
        return nomem(ps);
    ps->vals[ps->nvals++] = *v;
    return ITSM_OK;
}

static int push_key(parser *ps, const pkey *k)
{
    if (itsm__grow(ps->a, (void **)&ps->keys, &ps->capkeys, ps->nkeys + 1, sizeof *ps->keys) != ITSM_OK)
        return nomem(ps);
    ps->keys[ps->nkeys++] = *k;
    return ITSM_OK;
}

static int open_container(parser *ps, int is_obj)
{
    if (ps->nfr >= ps->max_depth)
        return fail(ps, ITSM_ELIMIT, ps->pos, "nesting deeper than %zu", ps->max_depth);
    if (itsm__grow(ps->a, (void **)&ps->fr, &ps->capfr, ps->nfr + 1, sizeof *ps->fr) != ITSM_OK)
        return nomem(ps);
    frame *f = &ps->fr[ps->nfr++];
    f->start = ps->nvals;
    f->kstart = ps->nkeys;
    f->is_obj = is_obj;
    f->line = ps->line;
    f->column = ps->pos - ps->line_start + 1;
    f->offset = ps->pos;
    f->tab = NULL;
    f->tcap = 0;
    ps->pos++;
    return ITSM_OK;
}

/* Pop the innermost container into *v, its children copied to the arena. */
static int close_container(parser *ps, itsm__jval *v)
{
    frame *f = &ps->fr[ps->nfr - 1];
    size_t n = ps->nvals - f->start;

    memset(v, 0, sizeof *v);
    v->line = f->line;
    v->column = f->column;
    v->offset = f->offset;
    if (f->is_obj) {
        v->type = ITSM__JOBJECT;
        if (n) {
            itsm__jmember *mem = arena_alloc(&ps->ar, n * sizeof *mem);
            if (mem == NULL)
                return nomem(ps);
            for (size_t i = 0; i < n; i++) {
                const pkey *k = &ps->keys[f->kstart + i];
                mem[i].key = k->key;
                mem[i].klen = k->klen;
                mem[i].line = k->line;
                mem[i].column = k->column;
                mem[i].val = ps->vals[f->start + i];
            }
            v->u.obj.members = mem;
        }
        v->u.obj.n = n;
    } else {
        v->type = ITSM__JARRAY;
        if (n) {
            itsm__jval *items = arena_alloc(&ps->ar, n * sizeof *items);
            if (items == NULL)
                return nomem(ps);
            memcpy(items, ps->vals + f->start, n * sizeof *items);
            v->u.arr.items = items;
        }
        v->u.arr.n = n;
    }
    itsm__free(ps->a, f->tab);
    ps->nvals = f->start;
    ps->nkeys = f->kstart;
    ps->nfr--;
    return ITSM_OK;
}

static int parse_literal(parser *ps, itsm__jval *v)
{
    static const struct { const char *word; size_t len; itsm__jtype type; } lits[] = {
        { "true", 4, ITSM__JTRUE }, { "false", 5, ITSM__JFALSE }, { "null", 4, ITSM__JNULL },
    };
    for (size_t k = 0; k < sizeof lits / sizeof lits[0]; k++) {
        if (ps->p[ps->pos] != (unsigned char)lits[k].word[0])
            continue;
        if (ps->len - ps->pos < lits[k].len ||
            memcmp(ps->p + ps->pos, lits[k].word, lits[k].len) != 0)
            return fail(ps, ITSM_EPARSE, ps->pos, "invalid literal, expected '%s'", lits[k].word);
        v->type = lits[k].type;
        ps->pos += lits[k].len;
        return ITSM_OK;
    }
    return fail_unexpected(ps, "a value");
}

/* Parse a key at ps->pos (after white space) and push it as a pending
 * member of the innermost object. */
static int parse_key(parser *ps)
{
    if (ps->pos >= ps->len || ps->p[ps->pos] != '"')
        return fail_unexpected(ps, "a string key");
    pkey m;
    m.line = ps->line;
    m.column = ps->pos - ps->line_start + 1;
    size_t key_pos = ps->pos;
    int rc = parse_string(ps, &m.key, &m.klen);
    if (rc != ITSM_OK)
        return rc;
    frame *f = &ps->fr[ps->nfr - 1];
    if (find_dup(ps, f, m.key, m.klen, &rc) != SIZE_MAX) {
        char name[80];
        describe_key(m.key, m.klen, name, sizeof name);
        return fail(ps, ITSM_EPARSE, key_pos, "duplicate key '%s'", name);
    }
    if (rc != ITSM_OK)
        return rc;
    return push_key(ps, &m);
}

typedef enum pstate { ST_VALUE, ST_KEY, ST_AFTER_VALUE } pstate;

static int parse_document(parser *ps, itsm__jval *root)
{
    itsm__jval v;
    pstate st = ST_VALUE;
    int rc;

    for (;;) {
        if (st == ST_KEY) {
            /* at a key; white space already skipped */
            rc = parse_key(ps);
            if (rc != ITSM_OK)
                return rc;
            skip_ws(ps);
            if (ps->pos >= ps->len || ps->p[ps->pos] != ':')
                return fail(ps, ITSM_EPARSE, ps->pos, "expected ':' after object key");
            ps->pos++;
            st = ST_VALUE;
            continue;
        }
        if (st == ST_VALUE) {
            skip_ws(ps);
            if (ps->pos >= ps->len)
                return fail(ps, ITSM_EPARSE, ps->pos, "unexpected end of input, expected a value");
            memset(&v, 0, sizeof v);
            set_pos(ps, &v);
            unsigned char c = ps->p[ps->pos];
            if (c == '{' || c == '[') {
                int is_obj = c == '{';
                rc = open_container(ps, is_obj);
                if (rc != ITSM_OK)
                    return rc;
                skip_ws(ps);
                if (ps->pos < ps->len && ps->p[ps->pos] == (is_obj ? '}' : ']')) {
                    ps->pos++;
                    rc = close_container(ps, &v);
                    if (rc != ITSM_OK)
                        return rc;
                    st = ST_AFTER_VALUE;
                } else {
                    st = is_obj ? ST_KEY : ST_VALUE;
                    continue;
                }
            } else if (c == '"') {
                v.type = ITSM__JSTRING;
                rc = parse_string(ps, &v.u.str.s, &v.u.str.len);
                if (rc != ITSM_OK)
                    return rc;
            } else if (c == '-' || is_digit(c)) {
                rc = parse_number(ps, &v);
                if (rc != ITSM_OK)
                    return rc;
            } else {
                rc = parse_literal(ps, &v);
                if (rc != ITSM_OK)
                    return rc;
            }
        }

        /* ST_AFTER_VALUE: v is complete */
        for (;;) {
            if (ps->nfr == 0) {
                *root = v;
                skip_ws(ps);
                if (ps->pos < ps->len)
                    return fail(ps, ITSM_EPARSE, ps->pos, "trailing characters after the document");
                return ITSM_OK;
            }
            rc = push_value(ps, &v);
            if (rc != ITSM_OK)
                return rc;
            frame *f = &ps->fr[ps->nfr - 1];
            skip_ws(ps);
            unsigned char close = f->is_obj ? '}' : ']';
            if (ps->pos < ps->len && ps->p[ps->pos] == ',') {
                ps->pos++;
                skip_ws(ps);
                st = f->is_obj ? ST_KEY : ST_VALUE;
                break;
            }
            if (ps->pos < ps->len && ps->p[ps->pos] == close) {
                ps->pos++;
                rc = close_container(ps, &v);
                if (rc != ITSM_OK)
                    return rc;
                continue;   /* the container is itself a completed value */
            }
            return fail_unexpected(ps, f->is_obj ? "',' or '}' after object member"
                                                 : "',' or ']' after array element");
        }
    }
}

int itsm__json_parse(itsm__jdoc **out, const char *text, size_t len,
                     const itsm_allocator *alloc, const itsm_json_limits *limits,
                     itsm_parse_error *err)
{
    parser ps;
    itsm_allocator a;

    memset(&ps, 0, sizeof ps);
    ps.err = err;
    ps.line = 1;
    if (out)
        *out = NULL;
    if (out == NULL || text == NULL || itsm__alloc_resolve(&a, alloc) != ITSM_OK)
        return fail(&ps, ITSM_EINVAL, 0, "invalid argument");
    ps.p = (const unsigned char *)text;
    ps.len = len;
    ps.a = &a;

    size_t max_doc = ITSM_JSON_DEFAULT_MAX_DOCUMENT;
    ps.max_string = ITSM_JSON_DEFAULT_MAX_STRING;
    ps.max_depth = ITSM_JSON_DEFAULT_MAX_DEPTH;
    if (limits) {
        if (limits->max_document) max_doc = limits->max_document;
        if (limits->max_string) ps.max_string = limits->max_string;
        if (limits->max_depth) ps.max_depth = limits->max_depth;
    }
    if (ps.max_depth > JSON_DEPTH_CAP)
        ps.max_depth = JSON_DEPTH_CAP;

    if (len > max_doc)
        return fail(&ps, ITSM_ELIMIT, 0, "document is %zu bytes, over the limit of %zu",
                    len, max_doc);
    if (len == 0)
        return fail(&ps, ITSM_EPARSE, 0, "empty document");
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
        return fail(&ps, ITSM_EPARSE, 0, "byte order mark is not allowed");

    {
        /* Addresses vary per run (ASLR), which is all the seed needs:
         * key order and results never depend on it. */
        uintptr_t s = (uintptr_t)&ps ^ ((uintptr_t)text << 16);
        ps.seed = (uint64_t)s * 0x9E3779B97F4A7C15u;
    }

    ps.ar.a = &a;
    /* The tree usually takes a few times the text; start near that. */
    ps.ar.next_size = len < 16384 ? 1024 + len * 4 : 65536;

    itsm__jdoc *doc = arena_alloc(&ps.ar, sizeof *doc);
    int rc;
    if (doc == NULL)
        rc = nomem(&ps);
    else
        rc = parse_document(&ps, &doc->root);

    for (size_t i = 0; i < ps.nfr; i++)
        itsm__free(&a, ps.fr[i].tab);
    itsm__free(&a, ps.fr);
    itsm__free(&a, ps.vals);
    itsm__free(&a, ps.keys);
    if (rc != ITSM_OK) {
        arena_free(&a, ps.ar.head);
        return rc;
    }
    doc->alloc = a;
    doc->blocks = ps.ar.head;
    *out = doc;
    if (err) {
        err->code = ITSM_OK;
        err->line = err->column = err->offset = 0;
        err->text[0] = '\0';
    }
    return ITSM_OK;
}

const itsm__jval *itsm__jdoc_root(const itsm__jdoc *doc)
{
    return doc ? &doc->root : NULL;
}

void itsm__jdoc_free(itsm__jdoc *doc)
{
    if (doc == NULL)
        return;
    /* The doc lives in one of its own blocks: copy what we need first. */
    itsm_allocator a = doc->alloc;
    arena_free(&a, doc->blocks);
}

const itsm__jval *itsm__json_get(const itsm__jval *obj, const char *key)
{
    if (obj == NULL || key == NULL || obj->type != ITSM__JOBJECT)
        return NULL;
    size_t n = strlen(key);
    for (size_t i = 0; i < obj->u.obj.n; i++) {
        const itsm__jmember *m = &obj->u.obj.members[i];
        if (key_eq(m->key, m->klen, key, n))
            return &m->val;
    }
    return NULL;
}

int itsm__json_schema_error(itsm_parse_error *err, const itsm__jval *v, const char *fmt, ...)
{
    if (err == NULL)
        return ITSM_EPARSE;
    va_list ap;
    va_start(ap, fmt);
    set_error(err, ITSM_EPARSE, v ? v->line : 1, v ? v->column : 1, v ? v->offset : 0, fmt, ap);
    va_end(ap);
    return ITSM_EPARSE;
}

int itsm__json_only_keys(const itsm__jval *obj, const char *const *keys, const char *where,
                         itsm_parse_error *err)
{
    for (size_t i = 0; i < obj->u.obj.n; i++) {
        const itsm__jmember *m = &obj->u.obj.members[i];
        int ok = 0;
        for (const char *const *k = keys; *k && !ok; k++)
            ok = strlen(*k) == m->klen && memcmp(*k, m->key, m->klen) == 0;
        if (!ok)
            return itsm__json_schema_error(err, &m->val, "unknown member '%.60s' in %s", m->key, where);
    }
    return ITSM_OK;
}
