/* SPDX-License-Identifier: Apache-2.0 */
/* The JSON reader's scanning half: the arena the tree lives in, UTF-8,
 * error positions, strings and numbers (kit/json_int.h). */
#include "kit/json_int.h"

/* ---- arena --------------------------------------------------------------- */


static size_t round_up(size_t n)
{
    return (n + (ARENA_ALIGN - 1)) & ~(ARENA_ALIGN - 1);
}

void *itsm__jp_arena_alloc(arena *ar, size_t size)
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
void itsm__jp_arena_shrink_last(arena *ar, void *p, size_t size)
{
    arena_block *b = ar->head;
    if (b == NULL || p != ar->last)
        return;
    b->used = (size_t)((unsigned char *)p - b->data) + round_up(size ? size : 1);
}

void itsm__jp_arena_free(const itsm_allocator *a, arena_block *b)
{
    while (b) {
        arena_block *next = b->next;
        itsm__free(a, b);
        b = next;
    }
}


/* ---- UTF-8 --------------------------------------------------------------- */


/* Length (2..4) of the valid multi-byte sequence at s (s[0] >= 0x80),
 * or 0 with the reason in *why. Ranges from RFC 3629 section 4. */
size_t itsm__jp_utf8_seq(const unsigned char *s, size_t avail, utf8_fault *why)
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

size_t itsm__utf8_prefix(const char *s, size_t max)
{
    size_t n = 0;
    while (n < max && s[n])
        n++;
    if (n == max)   /* cut: back to the start of the character at the cut */
        while (n > 0 && ((unsigned char)s[n] & 0xC0u) == 0x80u)
            n--;
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
        size_t k = itsm__jp_utf8_seq(p + i, n - i, &why);
        if (k == 0)
            return 0;
        i += k;
    }
    return 1;
}

#if defined(__GNUC__)
__attribute__((format(printf, 6, 0)))
#endif
void itsm__jp_set_error(itsm_parse_error *err, int code, size_t line, size_t column,
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
int itsm__jp_fail(parser *ps, int code, size_t off, const char *fmt, ...)
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
    itsm__jp_set_error(ps->err, code, line, off - line_start + 1, off, fmt, ap);
    va_end(ap);
    return code;
}

int itsm__jp_nomem(parser *ps)
{
    return itsm__jp_fail(ps, ITSM_ENOMEM, ps->pos, "out of memory");
}

void itsm__jp_skip_ws(parser *ps)
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

void itsm__jp_set_pos(const parser *ps, itsm__jval *v)
{
    v->line = ps->line;
    v->column = ps->pos - ps->line_start + 1;
    v->offset = ps->pos;
}

/* "unexpected character 'x'" or, for a byte that is not printable ASCII,
 * "unexpected byte 0xXX". */
int itsm__jp_fail_unexpected(parser *ps, const char *expected)
{
    if (ps->pos >= ps->len)
        return itsm__jp_fail(ps, ITSM_EPARSE, ps->pos, "unexpected end of input, expected %s", expected);
    unsigned char c = ps->p[ps->pos];
    if (c > 0x20 && c < 0x7F)
        return itsm__jp_fail(ps, ITSM_EPARSE, ps->pos, "unexpected character '%c', expected %s",
                    (char)c, expected);
    return itsm__jp_fail(ps, ITSM_EPARSE, ps->pos, "unexpected byte 0x%02X, expected %s",
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

/* The bytes of `doc` that the first `n` decoded bytes of the string whose
 * opening quote is doc[at] take, each escape as written: a place inside a
 * string read back from the text it came from (kit/json.h). SIZE_MAX when
 * doc[at] does not start a string that long. */
size_t itsm__json_raw_span(const char *doc, size_t len, size_t at, size_t n)
{
    const unsigned char *p = (const unsigned char *)doc;
    if (!doc || at >= len || p[at] != '"')
        return SIZE_MAX;
    size_t i = at + 1, dec = 0;
    unsigned char enc[4];
    while (dec < n) {
        if (i >= len || p[i] == '"')
            return SIZE_MAX;
        if (p[i] != '\\') {
            i++;
            dec++;
        } else if (len - i < 2) {
            return SIZE_MAX;
        } else if (p[i + 1] != 'u') {
            i += 2;
            dec++;
        } else {
            long cp = hex4(p, i + 2, len), lo = -1;
            if (cp < 0)
                return SIZE_MAX;
            size_t adv = 6;
            if (cp >= 0xD800 && cp <= 0xDBFF && len - i >= 12 && p[i + 6] == '\\' && p[i + 7] == 'u' &&
                (lo = hex4(p, i + 8, len)) >= 0xDC00 && lo <= 0xDFFF) {
                cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                adv = 12;
            }
            i += adv;
            dec += utf8_encode((unsigned long)cp, enc);
        }
    }
    return i - (at + 1);
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
                return itsm__jp_fail(ps, ITSM_EPARSE, q, "unterminated string");
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
                        return itsm__jp_fail(ps, ITSM_EPARSE, q, "unterminated string");
                    return itsm__jp_fail(ps, ITSM_EPARSE, i, "invalid \\u escape: expected 4 hex digits");
                }
                adv = 6;
                if (cp >= 0xDC00 && cp <= 0xDFFF)
                    return itsm__jp_fail(ps, ITSM_EPARSE, i, "unpaired surrogate \\u%04lX", (unsigned long)cp);
                if (cp >= 0xD800 && cp <= 0xDBFF) {
                    long lo = -1;
                    if (end - i >= 12 && p[i + 6] == '\\' && p[i + 7] == 'u')
                        lo = hex4(p, i + 8, end);
                    if (lo < 0xDC00 || lo > 0xDFFF) {
                        if (!terminated && end - i < 12)
                            return itsm__jp_fail(ps, ITSM_EPARSE, q, "unterminated string");
                        return itsm__jp_fail(ps, ITSM_EPARSE, i, "unpaired surrogate \\u%04lX",
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
                    return itsm__jp_fail(ps, ITSM_EPARSE, i, "invalid escape '\\%c'", (char)e);
                return itsm__jp_fail(ps, ITSM_EPARSE, i, "invalid escape: byte 0x%02X after '\\'",
                            (unsigned)e);
            }
        } else if (c < 0x20) {
            return itsm__jp_fail(ps, ITSM_EPARSE, i, "unescaped control character 0x%02X in string",
                        (unsigned)c);
        } else if (c < 0x80) {
            src = p + i;
            k = adv = 1;
        } else {
            utf8_fault why;
            k = adv = itsm__jp_utf8_seq(p + i, end - i, &why);
            src = p + i;
            if (k == 0) {
                switch (why) {
                case UTF8_TRUNCATED:
                    return itsm__jp_fail(ps, ITSM_EPARSE, i, "truncated UTF-8 sequence at byte 0x%02X",
                                (unsigned)c);
                case UTF8_OVERLONG:
                    return itsm__jp_fail(ps, ITSM_EPARSE, i, "overlong UTF-8 sequence at byte 0x%02X",
                                (unsigned)c);
                case UTF8_SURROGATE:
                    return itsm__jp_fail(ps, ITSM_EPARSE, i, "UTF-16 surrogate encoded in UTF-8 at byte 0x%02X",
                                (unsigned)c);
                case UTF8_TOO_BIG:
                    return itsm__jp_fail(ps, ITSM_EPARSE, i, "UTF-8 code point above U+10FFFF at byte 0x%02X",
                                (unsigned)c);
                default:
                    return itsm__jp_fail(ps, ITSM_EPARSE, i, "invalid UTF-8 byte 0x%02X", (unsigned)c);
                }
            }
        }
        if (k > ps->max_string - n)
            return itsm__jp_fail(ps, ITSM_ELIMIT, q, "string longer than %zu bytes", ps->max_string);
        if (dst)
            memcpy(dst + n, src, k);
        n += k;
        i += adv;
    }
    *out_len = n;
    return ITSM_OK;
}

/* The string whose opening quote is at ps->pos, decoded into the arena. */
int itsm__jp_parse_string(parser *ps, char **out, size_t *out_len)
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
        return itsm__jp_fail(ps, ITSM_EPARSE, q, "unterminated string");
    }
    size_t raw = end - begin;
    size_t cap = raw < ps->max_string ? raw : ps->max_string;
    unsigned char *dst = itsm__jp_arena_alloc(&ps->ar, cap + 1);
    if (dst == NULL)
        return itsm__jp_nomem(ps);
    int rc = decode_string(ps, q, begin, end, 1, dst, &n);
    if (rc != ITSM_OK)
        return rc;
    dst[n] = '\0';
    itsm__jp_arena_shrink_last(&ps->ar, dst, n + 1);
    *out = (char *)dst;
    *out_len = n;
    ps->pos = end + 1;
    return ITSM_OK;
}

/* ---- numbers ------------------------------------------------------------- */

int itsm__jp_is_digit(unsigned char c)
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

int itsm__jp_parse_number(parser *ps, itsm__jval *v)
{
    const unsigned char *p = ps->p;
    size_t n = ps->len, start = ps->pos, i = start;
    int neg = 0;

    if (p[i] == '-') {
        neg = 1;
        i++;
    }
    if (i >= n || !itsm__jp_is_digit(p[i])) {
        ps->pos = i;
        return itsm__jp_fail(ps, ITSM_EPARSE, i, "expected a digit after '-'");
    }
    size_t int_b = i;
    if (p[i] == '0') {
        i++;
        if (i < n && itsm__jp_is_digit(p[i]))
            return itsm__jp_fail(ps, ITSM_EPARSE, start, "leading zeros are not allowed");
    } else {
        while (i < n && itsm__jp_is_digit(p[i]))
            i++;
    }
    size_t int_e = i, frac_b = i, frac_e = i;
    int simple = 1;
    if (i < n && p[i] == '.') {
        i++;
        if (i >= n || !itsm__jp_is_digit(p[i]))
            return itsm__jp_fail(ps, ITSM_EPARSE, i, "expected a digit after the decimal point");
        frac_b = i;
        while (i < n && itsm__jp_is_digit(p[i]))
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
        if (i >= n || !itsm__jp_is_digit(p[i]))
            return itsm__jp_fail(ps, ITSM_EPARSE, i, "expected a digit in the exponent");
        while (i < n && itsm__jp_is_digit(p[i])) {
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
        return itsm__jp_fail(ps, ITSM_ELIMIT, start, "number out of range of a double");
    v->u.num.d = d;
    ps->pos = i;
    return ITSM_OK;
}
