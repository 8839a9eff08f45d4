/* SPDX-License-Identifier: Apache-2.0 */
/* Calendars in the policy: building one from its public definition
 * (working spans, a zone, dated and yearly holidays), copying and freeing
 * it, the policy builder, and the zone helpers hosts call. */
#include "sla/calendar.h"
#include "core/abi.h"
#include "sla/sla_int.h"
#include "kit/opts.h"
#include "policy/policy_int.h"
#include "kit/json.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DAY 86400

static int msgf(char *msg, size_t cap, int code, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;
static int msgf(char *msg, size_t cap, int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, cap, fmt, ap);
    va_end(ap);
    return code;
}

/* strlen, but at most max (C11 has no strnlen). */
static size_t bounded_len(const char *s, size_t max)
{
    size_t n = 0;
    while (n < max && s[n])
        n++;
    return n;
}

/* ---- yearly holiday rules ---- */

static const char *const months[12] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                        "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
static const char *const wdays[7] = { "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun" };
static const char *const nths[5] = { "1st", "2nd", "3rd", "4th", "last" };
static const unsigned char mdays[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

/* The index of the word at *s among `words` (followed by a space or the
 * end), advancing *s past it; -1 if none. */
static int word(const char **s, const char *const *words, int n)
{
    for (int i = 0; i < n; i++) {
        size_t k = strlen(words[i]);
        if (strncmp(*s, words[i], k) == 0 && ((*s)[k] == ' ' || (*s)[k] == '\0')) {
            *s += k;
            return i;
        }
    }
    return -1;
}

int itsm__holrule_parse(itsm__holrule *out, const char *s)
{
    itsm__holrule r = { 0, 0, 0, 0 };
    int m = word(&s, months, 12);
    if (m >= 0) {   /* "Dec 25" */
        if (*s++ != ' ' || *s < '1' || *s > '9')
            return ITSM_EINVAL;
        unsigned d = (unsigned)(*s++ - '0');
        if (*s >= '0' && *s <= '9')
            d = d * 10 + (unsigned)(*s++ - '0');
        if (*s || d > mdays[m])
            return ITSM_EINVAL;   /* February 29 is not every year: give the dates */
        r.month = (uint8_t)(m + 1);
        r.day = (uint8_t)d;
        *out = r;
        return ITSM_OK;
    }
    int n = word(&s, nths, 5);   /* "4th Thu Nov", "last Mon May" */
    if (n < 0 || *s++ != ' ')
        return ITSM_EINVAL;
    int w = word(&s, wdays, 7);
    if (w < 0 || *s++ != ' ')
        return ITSM_EINVAL;
    m = word(&s, months, 12);
    if (m < 0 || *s)
        return ITSM_EINVAL;
    r.month = (uint8_t)(m + 1);
    r.nth = (uint8_t)(n + 1);
    r.wday = (uint8_t)w;
    *out = r;
    return ITSM_OK;
}

void itsm__holrule_format(const itsm__holrule *r, char out[16])
{
    if (r->day)
        snprintf(out, 16, "%s %u", months[r->month - 1], (unsigned)r->day);
    else
        snprintf(out, 16, "%s %s %s", nths[r->nth - 1], wdays[r->wday], months[r->month - 1]);
}

/* ---- building ---- */

static int parse_date(const char *s, int64_t *day)
{
    itsm_time t;
    char buf[24];
    if (strlen(s) != 10)
        return ITSM_EINVAL;
    snprintf(buf, sizeof buf, "%sT00:00:00Z", s);
    if (itsm__time_parse(buf, strlen(buf), &t) != ITSM_OK)
        return ITSM_EINVAL;
    *day = t / DAY;
    return ITSM_OK;
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

typedef struct span { int day; int32_t s, e; } span;

static int cmp_span(const void *a, const void *b)
{
    const span *x = a, *y = b;
    if (x->day != y->day)
        return x->day - y->day;
    return (x->s > y->s) - (x->s < y->s);
}

/* The weekly pattern: spans ordered in the week, their running total. */
static int build_spans(itsm__cal *c, const itsm_calendar_def *def, const itsm_work_span *in, size_t nin,
                       char *msg, size_t cap)
{
    span sp[ITSM__MAX_SPANS];
    size_t n = 0;
    if (nin) {
        for (int d = 0; d < 7; d++)
            if (def->start[d] || def->end[d])
                return msgf(msg, cap, ITSM_EINVAL, "calendar '%s' gives both spans and start/end hours",
                            def->name);
        if (!in)
            return msgf(msg, cap, ITSM_EINVAL, "calendar '%s': spans is NULL", def->name);
        if (nin > ITSM__MAX_SPANS)
            return msgf(msg, cap, ITSM_ELIMIT, "calendar '%s': more than %d working spans", def->name,
                        ITSM__MAX_SPANS);
        for (size_t i = 0; i < nin; i++) {
            if (in[i].day < 0 || in[i].day > 6)
                return msgf(msg, cap, ITSM_EINVAL, "calendar '%s': span %zu has day %d, not 0 (Monday)..6",
                            def->name, i, in[i].day);
            if (in[i].start < 0 || in[i].end > DAY || in[i].start >= in[i].end)
                return msgf(msg, cap, ITSM_EINVAL,
                            "calendar '%s': day %d hours %d..%d are not 0 <= start < end <= 86400", def->name,
                            in[i].day, (int)in[i].start, (int)in[i].end);
            sp[n++] = (span){ in[i].day, in[i].start, in[i].end };
        }
        qsort(sp, n, sizeof *sp, cmp_span);
    } else {
        for (int d = 0; d < 7; d++) {
            if (def->start[d] < 0 || def->end[d] > DAY || def->start[d] > def->end[d] ||
                (def->start[d] == def->end[d] && def->start[d] != 0))
                return msgf(msg, cap, ITSM_EINVAL,
                            "calendar '%s': day %d hours %d..%d are not 0 <= start < end <= 86400", def->name, d,
                            (int)def->start[d], (int)def->end[d]);
            if (def->start[d] < def->end[d])
                sp[n++] = (span){ d, def->start[d], def->end[d] };
        }
    }
    int per_day[7] = { 0 };
    c->nspans = 0;
    c->cum[0] = 0;
    for (size_t i = 0; i < n; i++) {
        if (i > 0 && sp[i].day == sp[i - 1].day && sp[i].s < sp[i - 1].e)
            return msgf(msg, cap, ITSM_EINVAL, "calendar '%s': working spans overlap on day %d", def->name,
                        sp[i].day);
        if (++per_day[sp[i].day] > ITSM__MAX_DAY_SPANS)
            return msgf(msg, cap, ITSM_ELIMIT, "calendar '%s': more than %d working spans on day %d",
                        def->name, ITSM__MAX_DAY_SPANS, sp[i].day);
        c->s[i] = sp[i].day * DAY + sp[i].s;
        c->e[i] = sp[i].day * DAY + sp[i].e;
        c->cum[i + 1] = c->cum[i] + (c->e[i] - c->s[i]);
        c->nspans++;
    }
    for (int d = 0, i = 0; d <= 7; d++) {
        while (i < (int)n && sp[i].day < d)
            i++;
        c->day_first[d] = (uint8_t)i;
    }
    c->week = c->cum[n];
    if (c->week == 0)
        return msgf(msg, cap, ITSM_EINVAL, "calendar '%s' has no working time in the week", def->name);
    return ITSM_OK;
}

static int build_holidays(itsm__cal *c, const itsm_calendar_def *def, const itsm_allocator *a, char *msg,
                          size_t cap)
{
    if (def->nholidays > ITSM__MAX_HOLIDAYS)
        return msgf(msg, cap, ITSM_ELIMIT, "calendar '%s': more than %d holidays", def->name,
                    ITSM__MAX_HOLIDAYS);
    if (def->nholidays && !def->holidays)
        return msgf(msg, cap, ITSM_EINVAL, "calendar '%s': holidays is NULL", def->name);
    itsm__holrule rules[ITSM__MAX_HOLRULES];
    size_t nrules = 0;
    if (def->nholidays && !(c->hol = itsm__malloc(a, def->nholidays * sizeof *c->hol)))
        return msgf(msg, cap, ITSM_ENOMEM, "out of memory");
    for (size_t i = 0; i < def->nholidays; i++) {
        const char *h = def->holidays[i];
        itsm__holrule r;
        if (h && parse_date(h, &c->hol[c->nhol]) == ITSM_OK) {
            c->nhol++;
        } else if (h && itsm__holrule_parse(&r, h) == ITSM_OK) {
            size_t k = 0;
            while (k < nrules && memcmp(&rules[k], &r, sizeof r) != 0)
                k++;
            if (k < nrules)
                continue;
            if (nrules == ITSM__MAX_HOLRULES)
                return msgf(msg, cap, ITSM_ELIMIT, "calendar '%s': more than %d yearly holidays", def->name,
                            ITSM__MAX_HOLRULES);
            rules[nrules++] = r;
        } else {
            return msgf(msg, cap, ITSM_EINVAL,
                        "calendar '%s': holiday '%.20s' is not a date YYYY-MM-DD or a yearly rule "
                        "(\"Dec 25\", \"4th Thu Nov\", \"last Mon May\")",
                        def->name, h ? h : "(null)");
        }
    }
    if (c->nhol) {
        qsort(c->hol, c->nhol, sizeof *c->hol, cmp_i64);
        size_t u = 0;
        for (size_t i = 0; i < c->nhol; i++)
            if (u == 0 || c->hol[u - 1] != c->hol[i])
                c->hol[u++] = c->hol[i];
        c->nhol = u;
    } else {
        itsm__free(a, c->hol);
        c->hol = NULL;
    }
    if (nrules) {
        if (!(c->rules = itsm__malloc(a, nrules * sizeof *c->rules)))
            return msgf(msg, cap, ITSM_ENOMEM, "out of memory");
        memcpy(c->rules, rules, nrules * sizeof *rules);
        c->nrules = nrules;
    }
    return ITSM_OK;
}

int itsm__cal_build(itsm__cal *out, const itsm_calendar_def *def, const itsm_allocator *a, char *msg,
                    size_t cap)
{
    itsm__cal c;
    memset(&c, 0, sizeof c);
    memset(out, 0, sizeof *out);
    const char *zone = def->version >= 2 ? def->zone : NULL;
    const itsm_work_span *spans = def->version >= 2 ? def->spans : NULL;
    size_t nspans = def->version >= 2 ? def->nspans : 0;
    if (def->utc_offset < -50400 || def->utc_offset > 50400)
        return msgf(msg, cap, ITSM_EINVAL, "calendar '%s': utc_offset %d is outside -14:00..+14:00", def->name,
                    (int)def->utc_offset);
    c.offset = def->utc_offset;
    itsm__tz_fixed(&c.zone, def->utc_offset);
    if (zone) {
        size_t pos;
        const char *why;
        if (def->utc_offset)
            return msgf(msg, cap, ITSM_EINVAL, "calendar '%s' gives both a zone and a utc_offset", def->name);
        if (itsm__tz_parse(&c.zone, zone, bounded_len(zone, ITSM__TZ_MAX + 1), &pos, &why) != ITSM_OK)
            return msgf(msg, cap, ITSM_EINVAL,
                        "calendar '%s': zone '%.40s' is not a POSIX TZ rule: %s (at character %zu)", def->name,
                        itsm__utf8_valid(zone, bounded_len(zone, 40)) ? zone : "?", why, pos + 1);
    }
    int rc = build_spans(&c, def, spans, nspans, msg, cap);
    if (!rc)
        rc = build_holidays(&c, def, a, msg, cap);
    if (!rc && zone && !(c.zone_text = itsm__strdup(a, zone)))
        rc = msgf(msg, cap, ITSM_ENOMEM, "out of memory");
    if (rc) {
        itsm__cal_clear(&c, a);
        return rc;
    }
    c.always = c.week == 7 * DAY && !c.nhol && !c.nrules;
    *out = c;
    return ITSM_OK;
}

void itsm__cal_clear(itsm__cal *c, const itsm_allocator *a)
{
    itsm__free(a, c->name);
    itsm__free(a, c->zone_text);
    itsm__free(a, c->hol);
    itsm__free(a, c->rules);
    c->name = c->zone_text = NULL;
    c->hol = NULL;
    c->rules = NULL;
    c->nhol = c->nrules = 0;
}

int itsm__cal_copy(itsm__cal *dst, const itsm__cal *src, const itsm_allocator *a)
{
    *dst = *src;
    dst->name = dst->zone_text = NULL;
    dst->hol = NULL;
    dst->rules = NULL;
    if ((src->name && !(dst->name = itsm__strdup(a, src->name))) ||
        (src->zone_text && !(dst->zone_text = itsm__strdup(a, src->zone_text))) ||
        (src->nhol && !(dst->hol = itsm__malloc(a, src->nhol * sizeof *dst->hol))) ||
        (src->nrules && !(dst->rules = itsm__malloc(a, src->nrules * sizeof *dst->rules)))) {
        itsm__cal_clear(dst, a);
        return ITSM_ENOMEM;
    }
    if (src->nhol)
        memcpy(dst->hol, src->hol, src->nhol * sizeof *dst->hol);
    if (src->nrules)
        memcpy(dst->rules, src->rules, src->nrules * sizeof *dst->rules);
    return ITSM_OK;
}

/* ---- public ---- */

ITSM__DEFINE_INIT_SIZED(itsm_calendar_def_init, itsm_calendar_def, ITSM_CALENDAR_DEF_VERSION, ITSM_CALENDAR_DEF_INIT,
                        version == 1 ? ITSM__END(itsm_calendar_def, nholidays) : sizeof(itsm_calendar_def))

static int name_ok(const char *s)
{
    if (!s || !*s)
        return 0;
    size_t n = 0;
    for (; s[n]; n++)
        if (!((s[n] >= 'a' && s[n] <= 'z') || (s[n] >= '0' && s[n] <= '9') || s[n] == '_'))
            return 0;
    return n <= ITSM__NAME_MAX;
}

int itsm_policy_set_calendar(itsm_policy *p, const itsm_calendar_def *def)
{
    if (!p)
        return ITSM_EINVAL;
    /* Version 1 callers have no zone or spans: those members are not read. */
    if (!def)
        return msgf(p->err.msg, sizeof p->err.msg, ITSM_EINVAL, "calendar definition is NULL");
    if (itsm__version_check(def->version, ITSM_CALENDAR_DEF_VERSION, "calendar definition", p->err.msg,
                            sizeof p->err.msg))
        return ITSM_EINVAL;
    if (!name_ok(def->name))
        return msgf(p->err.msg, sizeof p->err.msg, ITSM_EINVAL,
                    "calendar name must be 1..63 characters of a-z, 0-9 and _");
    itsm__cal c;
    int rc = itsm__cal_build(&c, def, &p->alloc, p->err.msg, sizeof p->err.msg);
    if (rc)
        return rc;
    itsm__slapol *sp = itsm__sl(p);
    int at = itsm__cal_find(sp, def->name);
    if (at >= 0) {   /* keep the name: SLAs point at the index */
        c.name = sp->cals[at].name;
        sp->cals[at].name = NULL;
        itsm__cal_clear(&sp->cals[at], &p->alloc);
        sp->cals[at] = c;
        itsm__errbuf_clear(&p->err);
        return ITSM_OK;
    }
    if (!(c.name = itsm__strdup(&p->alloc, def->name)) ||
        itsm__grow(&p->alloc, (void **)&sp->cals, &sp->ccals, sp->ncals + 1, sizeof *sp->cals)) {
        itsm__cal_clear(&c, &p->alloc);
        return msgf(p->err.msg, sizeof p->err.msg, ITSM_ENOMEM, "out of memory");
    }
    sp->cals[sp->ncals++] = c;
    itsm__errbuf_clear(&p->err);
    return ITSM_OK;
}

int itsm_zone_from_tzif(char *out, size_t cap, const void *tzif, size_t len)
{
    if (!out || !tzif || cap == 0)
        return ITSM_EINVAL;
    out[0] = '\0';
    return itsm__tzif_footer(out, cap, tzif, len);
}
