/* SPDX-License-Identifier: Apache-2.0 */
/* itsm-scenario: the tokenizer and the value parsers. */
#include "runner.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int run_fail(runner *r, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->err, sizeof r->err, fmt, ap);
    va_end(ap);
    return -1;
}

static int is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

/*
 * Tokens are separated by blanks. A token is a bare word, a "quoted string"
 * (escapes \" \\ \n \t), or key=value where value is a bare word or a quoted
 * string. '#' outside quotes at the start of a token begins a comment.
 * Unescaping happens in place: the output never grows.
 */
int run_tokenize(runner *r, char *line, tok *out, size_t max)
{
    size_t n = 0;
    char *p = line;
    for (;;) {
        while (is_space(*p))
            p++;
        if (!*p || *p == '#')
            break;
        if (n == max)
            return run_fail(r, "too many words on one line (at most %zu)", max);
        tok *t = &out[n++];
        t->key = NULL;
        t->quoted = 0;
        char *w = p;          /* write position */
        t->text = p;
        int value_start = 1;  /* at the start of the token or just after key= */
        while (*p && !is_space(*p)) {
            if (*p == '"') {
                if (!value_start)
                    return run_fail(r, "unexpected '\"' inside a word");
                t->quoted = 1;
                p++;
                for (;;) {
                    if (!*p || *p == '\n' || *p == '\r')
                        return run_fail(r, "unterminated quoted string");
                    if (*p == '"')
                        break;
                    if (*p == '\\') {
                        p++;
                        switch (*p) {
                        case '"': *w++ = '"'; break;
                        case '\\': *w++ = '\\'; break;
                        case 'n': *w++ = '\n'; break;
                        case 't': *w++ = '\t'; break;
                        default:
                            return run_fail(r, "unknown escape '\\%c' in a quoted string",
                                            *p ? *p : ' ');
                        }
                        p++;
                        continue;
                    }
                    *w++ = *p++;
                }
                p++;   /* the closing quote */
                if (*p && !is_space(*p))
                    return run_fail(r, "a quoted string must be followed by a blank");
                break;
            }
            if (*p == '=' && !t->key && !t->quoted) {
                *w++ = '\0';
                t->key = t->text;
                t->text = w;
                p++;
                value_start = 1;
                continue;
            }
            value_start = 0;
            *w++ = *p++;
        }
        int end = *p != '\0';
        *w = '\0';
        if (end)
            p++;
        if (t->key && !*t->key)
            return run_fail(r, "'=' without a name before it");
        if (!end)
            break;
    }
    return (int)n;
}

int run_parse_int(runner *r, const char *s, int64_t *out, const char *what)
{
    char *end;
    if (!*s)
        return run_fail(r, "%s: expected a number, got nothing", what);
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (*end)
        return run_fail(r, "%s: '%s' is not a whole number", what, s);
    if (errno == ERANGE)   /* not clamped to the largest number in silence */
        return run_fail(r, "%s: '%s' is out of range", what, s);
    *out = v;
    return 0;
}

/* 90s, 15m, 2h, 1d, 1w, and sums of them: 1h30m. */
int run_parse_duration(runner *r, const char *s, int64_t *out, const char *what)
{
    int64_t total = 0;
    const char *p = s;
    if (!*p)
        return run_fail(r, "%s: expected a duration like 15m", what);
    while (*p) {
        if (*p < '0' || *p > '9')
            return run_fail(r, "%s: '%s' is not a duration (e.g. 90s, 15m, 2h, 1d, 1h30m)", what, s);
        int64_t v = 0;
        while (*p >= '0' && *p <= '9') {
            v = v * 10 + (*p - '0');
            if (v > 1000000000)
                return run_fail(r, "%s: '%s' is too long", what, s);
            p++;
        }
        int64_t unit;
        switch (*p) {
        case 's': unit = 1; break;
        case 'm': unit = 60; break;
        case 'h': unit = 3600; break;
        case 'd': unit = 86400; break;
        case 'w': unit = 7 * 86400; break;
        default:
            return run_fail(r, "%s: '%s' needs a unit s, m, h, d or w", what, s);
        }
        p++;
        total += v * unit;
    }
    *out = total;
    return 0;
}

static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t mp = m > 2 ? (int64_t)m - 3 : (int64_t)m + 9;
    int64_t doy = (153 * mp + 2) / 5 + (int64_t)d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

void run_format_time(itsm_time t, char out[32])
{
    if (t == ITSM_TIME_NONE) {
        snprintf(out, 32, "none");
        return;
    }
    int64_t z = t / 86400 + 719468, secs = t % 86400;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    int64_t d = doy - (153 * mp + 2) / 5 + 1;
    int64_t m = mp < 10 ? mp + 3 : mp - 9;
    int64_t y = yoe + era * 400 + (m <= 2);
    char tmp[128];
    snprintf(tmp, sizeof tmp, "%04lld-%02lld-%02lldT%02lld:%02lld:%02lldZ", (long long)y,
             (long long)m, (long long)d, (long long)(secs / 3600), (long long)(secs / 60 % 60),
             (long long)(secs % 60));
    memcpy(out, tmp, 31);
    out[31] = '\0';
}

/* The days of month `m` (1..12) of year `y`: a date past them (30 Feb,
 * 31 Apr) is no date, not the next month's first days. */
static unsigned month_days(unsigned y, unsigned m)
{
    static const unsigned char days[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return days[m - 1] + (m == 2 && leap);
}

int run_parse_time(runner *r, const char *s, itsm_time *out, const char *what)
{
    if (!strcmp(s, "now")) {
        *out = r->now;
        return 0;
    }
    if (*s == '+' || *s == '-') {
        int64_t d;
        if (run_parse_duration(r, s + 1, &d, what))
            return -1;
        *out = r->now + (*s == '+' ? d : -d);
        return 0;
    }
    unsigned y, mo, d, h, mi, se;
    char z = 0, extra;
    if (strlen(s) != 20 ||
        sscanf(s, "%4u-%2u-%2uT%2u:%2u:%2u%c%c", &y, &mo, &d, &h, &mi, &se, &z, &extra) != 7 ||
        z != 'Z' || mo < 1 || mo > 12 || d < 1 || d > month_days(y, mo) || h > 23 || mi > 59 || se > 59 ||
        y < 1970)
        return run_fail(r, "%s: '%s' is not a time (YYYY-MM-DDTHH:MM:SSZ, now, +15m or -1h)", what, s);
    *out = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + se;
    return 0;
}

int run_parse_bool(runner *r, const char *s, int *out, const char *what)
{
    if (!strcmp(s, "true") || !strcmp(s, "yes") || !strcmp(s, "1"))
        *out = 1;
    else if (!strcmp(s, "false") || !strcmp(s, "no") || !strcmp(s, "0"))
        *out = 0;
    else
        return run_fail(r, "%s: '%s' is not true or false", what, s);
    return 0;
}
