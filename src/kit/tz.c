/* SPDX-License-Identifier: Apache-2.0 */
/* POSIX TZ rules: the parser, the offset at an instant, and the footer of
 * a TZif file (src/tz.h). Pure integer arithmetic on proleptic Gregorian
 * dates: the same answer on every host, whatever its own zone. */
#include "kit/tz.h"
#include "kit/json.h"

#include <string.h>

#define DAY 86400

static int64_t floordiv(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

static int64_t floormod(int64_t a, int64_t b) { return a - floordiv(a, b) * b; }

void itsm__tz_fixed(itsm__tz *z, int32_t east)
{
    memset(z, 0, sizeof *z);
    z->std = z->dst = east;
}

/* ---- parser ---- */

typedef struct tzp {
    const char *s;
    size_t      len, i;
    const char *why;
} tzp;

static int fail(tzp *p, const char *why)
{
    p->why = why;
    return -1;
}

static int is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
static int is_digit(char c) { return c >= '0' && c <= '9'; }

static int name(tzp *p)
{
    size_t start;
    if (p->i < p->len && p->s[p->i] == '<') {
        start = ++p->i;
        while (p->i < p->len && p->s[p->i] != '>') {
            char c = p->s[p->i];
            if (!is_alpha(c) && !is_digit(c) && c != '+' && c != '-')
                return fail(p, "a quoted zone name holds only letters, digits, '+' and '-'");
            p->i++;
        }
        if (p->i == p->len)
            return fail(p, "a quoted zone name needs its closing '>'");
        if (p->i - start < 3) {
            p->i = start;
            return fail(p, "a zone name needs at least 3 characters");
        }
        p->i++;
        return 0;
    }
    start = p->i;
    while (p->i < p->len && is_alpha(p->s[p->i]))
        p->i++;
    if (p->i - start < 3) {
        p->i = start;
        return fail(p, "a zone name needs at least 3 letters (or <...>)");
    }
    return 0;
}

/* Up to `maxd` digits, value <= max. */
static int number(tzp *p, int maxd, long max, long *out)
{
    size_t start = p->i;
    long v = 0;
    while (p->i < p->len && is_digit(p->s[p->i]) && (int)(p->i - start) < maxd)
        v = v * 10 + (p->s[p->i++] - '0');
    if (p->i == start)
        return fail(p, "a number was expected");
    if ((p->i < p->len && is_digit(p->s[p->i])) || v > max) {
        p->i = start;
        return fail(p, "a number is out of range");
    }
    *out = v;
    return 0;
}

/* [+-]hh[:mm[:ss]] in seconds, hours at most `maxh`. */
static int hms(tzp *p, long maxh, int32_t *out)
{
    int neg = 0;
    long h, m = 0, sec = 0;
    if (p->i < p->len && (p->s[p->i] == '+' || p->s[p->i] == '-'))
        neg = p->s[p->i++] == '-';
    if (number(p, 3, maxh, &h))
        return -1;
    if (p->i < p->len && p->s[p->i] == ':') {
        p->i++;
        if (number(p, 2, 59, &m))
            return -1;
        if (p->i < p->len && p->s[p->i] == ':') {
            p->i++;
            if (number(p, 2, 59, &sec))
                return -1;
        }
    }
    long v = h * 3600 + m * 60 + sec;
    *out = (int32_t)(neg ? -v : v);
    return 0;
}

static int rule(tzp *p, itsm__tzrule *r)
{
    long a, b, c;
    memset(r, 0, sizeof *r);
    if (p->i < p->len && p->s[p->i] == 'J') {
        p->i++;
        if (number(p, 3, 365, &a))
            return -1;
        if (a < 1) {
            p->i--;
            return fail(p, "a Jn day is 1..365");
        }
        r->kind = ITSM__TZ_JULIAN;
        r->day = (uint16_t)a;
    } else if (p->i < p->len && p->s[p->i] == 'M') {
        p->i++;
        size_t at = p->i;
        if (number(p, 2, 12, &a))
            return -1;
        if (a < 1) {
            p->i = at;
            return fail(p, "a month is 1..12");
        }
        if (p->i >= p->len || p->s[p->i] != '.')
            return fail(p, "Mm.w.d needs '.' after the month");
        p->i++;
        at = p->i;
        if (number(p, 1, 5, &b))
            return -1;
        if (b < 1) {
            p->i = at;
            return fail(p, "a week is 1..5 (5: the last)");
        }
        if (p->i >= p->len || p->s[p->i] != '.')
            return fail(p, "Mm.w.d needs '.' after the week");
        p->i++;
        if (number(p, 1, 6, &c))
            return -1;
        r->kind = ITSM__TZ_MONTH;
        r->month = (uint8_t)a;
        r->week = (uint8_t)b;
        r->wday = (uint8_t)c;
    } else {
        if (number(p, 3, 365, &a))
            return -1;
        r->kind = ITSM__TZ_ZERO;
        r->day = (uint16_t)a;
    }
    r->time = 2 * 3600;   /* POSIX default: 02:00 */
    if (p->i < p->len && p->s[p->i] == '/') {
        p->i++;
        if (hms(p, 167, &r->time))
            return -1;
    }
    return 0;
}

static int parse(tzp *p, itsm__tz *z)
{
    int32_t west;
    memset(z, 0, sizeof *z);
    if (name(p) || hms(p, 24, &west))
        return -1;
    z->std = z->dst = -west;
    if (p->i == p->len)
        return 0;
    if (name(p))
        return -1;
    z->has_dst = 1;
    z->dst = z->std + 3600;
    if (p->i < p->len && (is_digit(p->s[p->i]) || p->s[p->i] == '+' || p->s[p->i] == '-')) {
        if (hms(p, 24, &west))
            return -1;
        z->dst = -west;
    }
    if (p->i == p->len)
        return fail(p, "a zone with daylight saving needs its rules: ,start[/time],end[/time]");
    if (p->s[p->i] != ',')
        return fail(p, "',' and the start rule were expected");
    p->i++;
    if (rule(p, &z->start))
        return -1;
    if (p->i >= p->len || p->s[p->i] != ',')
        return fail(p, "',' and the end rule were expected");
    p->i++;
    if (rule(p, &z->end))
        return -1;
    if (p->i != p->len)
        return fail(p, "unexpected characters after the end rule");
    return 0;
}

int itsm__tz_parse(itsm__tz *out, const char *s, size_t len, size_t *pos, const char **why)
{
    tzp p = { s, len, 0, NULL };
    itsm__tz z;
    if (!s || len == 0 || len > ITSM__TZ_MAX) {
        *pos = 0;
        *why = len > ITSM__TZ_MAX ? "a zone rule is at most 127 bytes" : "a zone rule is empty";
        return ITSM_EINVAL;
    }
    if (parse(&p, &z)) {
        *pos = p.i;
        *why = p.why;
        return ITSM_EINVAL;
    }
    *out = z;
    return ITSM_OK;
}

/* ---- dates ---- */

static int is_leap(int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int64_t itsm__nth_weekday(int64_t y, unsigned month, unsigned week, unsigned wday)
{
    int64_t first = itsm__days_from_civil(y, month, 1);
    int64_t d = first + floormod((int64_t)wday - floormod(first + 4, 7), 7) + (int64_t)(week - 1) * 7;
    if (week == 5) {
        int64_t next = month == 12 ? itsm__days_from_civil(y + 1, 1, 1) : itsm__days_from_civil(y, month + 1, 1);
        while (d >= next)
            d -= 7;
    }
    return d;
}

int64_t itsm__tz_rule_day(const itsm__tzrule *r, int64_t y)
{
    int64_t jan1 = itsm__days_from_civil(y, 1, 1);
    switch (r->kind) {
    case ITSM__TZ_JULIAN:
        return jan1 + r->day - 1 + (is_leap(y) && r->day >= 60 ? 1 : 0);
    case ITSM__TZ_ZERO:
        return jan1 + r->day;
    default:
        return itsm__nth_weekday(y, r->month, r->week, r->wday);
    }
}

/* ---- offsets ---- */

typedef struct tr { int64_t at; int start; } tr;

int32_t itsm__tz_offset(const itsm__tz *z, int64_t t, int64_t *next)
{
    if (!z->has_dst) {
        if (next)
            *next = INT64_MAX;
        return z->std;
    }
    /* The transitions of five years around t, in order (an end before a
     * start at the same instant, so a rule that is daylight all year stays
     * so): the last one at or before t decides. A transition lies within
     * a week of its year (times up to 167 h), so two years each side
     * always hold the one before t and the one after. */
    int64_t y;
    unsigned m, d;
    itsm__civil_from_days(floordiv(t + z->std, DAY), &y, &m, &d);
    tr list[10];
    int n = 0;
    for (int64_t yy = y - 2; yy <= y + 2; yy++) {
        tr s = { itsm__tz_rule_day(&z->start, yy) * DAY + z->start.time - z->std, 1 };
        tr e = { itsm__tz_rule_day(&z->end, yy) * DAY + z->end.time - z->dst, 0 };
        for (int k = 0; k < 2; k++) {
            tr x = k ? s : e;
            int j = n++;
            while (j > 0 && (list[j - 1].at > x.at || (list[j - 1].at == x.at && list[j - 1].start > x.start))) {
                list[j] = list[j - 1];
                j--;
            }
            list[j] = x;
        }
    }
    int dst = 0, i = 0;
    while (i < n && list[i].at <= t)
        dst = list[i++].start;
    if (next)
        *next = i < n ? list[i].at : INT64_MAX;
    return dst ? z->dst : z->std;
}

/* ---- TZif ---- */

static uint64_t be32(const unsigned char *p)
{
    return ((uint64_t)p[0] << 24) | ((uint64_t)p[1] << 16) | ((uint64_t)p[2] << 8) | (uint64_t)p[3];
}

/* Size of a TZif header plus its data block, 0 if it is not a header. */
static uint64_t block(const unsigned char *h, size_t avail, unsigned tsize)
{
    if (avail < 44 || memcmp(h, "TZif", 4) != 0)
        return 0;
    uint64_t isut = be32(h + 20), isstd = be32(h + 24), leap = be32(h + 28), time = be32(h + 32),
             type = be32(h + 36), chars = be32(h + 40);
    return 44 + time * (tsize + 1) + type * 6 + chars + leap * (tsize + 4) + isstd + isut;
}

int itsm__tzif_footer(char *out, size_t cap, const unsigned char *data, size_t len)
{
    uint64_t v1 = block(data, len, 4);
    if (v1 == 0 || data[4] < '2')
        return ITSM_EPARSE;   /* not TZif, or version 1 (no footer) */
    if (v1 > len)
        return ITSM_EPARSE;
    uint64_t v2 = block(data + v1, len - (size_t)v1, 8);
    if (v2 == 0 || v2 > len - v1)
        return ITSM_EPARSE;
    size_t at = (size_t)(v1 + v2);
    if (at >= len || data[at] != '\n')
        return ITSM_EPARSE;
    const unsigned char *f = data + at + 1, *nl = memchr(f, '\n', len - at - 1);
    if (!nl)
        return ITSM_EPARSE;
    size_t n = (size_t)(nl - f);
    if (n == 0)
        return ITSM_ENOTFOUND;
    itsm__tz z;
    size_t pos;
    const char *why;
    if (memchr(f, '\0', n) || itsm__tz_parse(&z, (const char *)f, n, &pos, &why) != ITSM_OK)
        return ITSM_EPARSE;
    if (cap <= n)
        return ITSM_ELIMIT;
    memcpy(out, f, n);
    out[n] = '\0';
    return ITSM_OK;
}
