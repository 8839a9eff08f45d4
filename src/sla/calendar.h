/* SPDX-License-Identifier: Apache-2.0 */
/* Internal: working-time calendars - weekly working spans in local time,
 * a zone (a fixed offset or a POSIX TZ rule with daylight saving), dated
 * and yearly holidays - and the two questions the service levels ask of
 * them: how much working time lies between two instants, and when a given
 * amount of working time has passed. */
#ifndef ITSM_SRC_CALENDAR_H
#define ITSM_SRC_CALENDAR_H

#include "itsm/sla.h"
#include "kit/alloc.h"
#include "kit/tz.h"

#define ITSM__MAX_DAY_SPANS 8
#define ITSM__MAX_SPANS     (7 * ITSM__MAX_DAY_SPANS)
#define ITSM__MAX_HOLIDAYS  4096
/* Yearly rules: fewer than a year's occurrences of any weekday, so every
 * year keeps some working time and a due time is always found. */
#define ITSM__MAX_HOLRULES  32

/* A holiday every year: a fixed date (day > 0) or the nth weekday of a
 * month (day == 0). */
typedef struct itsm__holrule {
    uint8_t month;   /* 1..12 */
    uint8_t day;     /* 1..31 (never February 29); 0: a weekday rule */
    uint8_t nth;     /* 1..4, 5 = last */
    uint8_t wday;    /* Monday = 0 */
} itsm__holrule;

typedef struct itsm__cal {
    char    *name;
    char    *zone_text;          /* the POSIX TZ rule as given; NULL: the fixed offset */
    itsm__tz zone;               /* fixed when zone_text is NULL */
    int32_t  offset;             /* the fixed offset, seconds east of UTC */
    int32_t  week;               /* working seconds in a week without holidays */
    uint8_t  nspans;
    uint8_t  day_first[8];       /* spans of weekday d: [day_first[d], day_first[d + 1]) */
    int32_t  s[ITSM__MAX_SPANS], e[ITSM__MAX_SPANS];   /* seconds from local Monday 00:00, ascending */
    int32_t  cum[ITSM__MAX_SPANS + 1];   /* working seconds of the week before span i */
    int64_t *hol;                /* dated holidays: local day numbers, sorted, unique */
    size_t   nhol;
    itsm__holrule *rules;        /* yearly holidays, as given (duplicates dropped) */
    size_t   nrules;
    int      always;             /* every second counts (24x7, no holidays) */
} itsm__cal;

/* Build a calendar from its public definition. ITSM_OK, ITSM_EINVAL or
 * ITSM_ELIMIT with the reason in msg (naming the calendar), ITSM_ENOMEM.
 * On failure nothing is owned. */
int  itsm__cal_build(itsm__cal *out, const itsm_calendar_def *def, const itsm_allocator *a, char *msg,
                     size_t msgcap);
int  itsm__cal_copy(itsm__cal *dst, const itsm__cal *src, const itsm_allocator *a);
void itsm__cal_clear(itsm__cal *c, const itsm_allocator *a);

/* Working seconds in [a, b) (0 when b <= a). */
int64_t   itsm__cal_work(const itsm__cal *c, itsm_time a, itsm_time b);
/* The earliest t >= a with work(a, t) == w. ITSM_TIME_MAX when out of range. */
itsm_time itsm__cal_add(const itsm__cal *c, itsm_time a, int64_t w);
/* The same, inline for a 24x7 calendar (the common one): its work is wall
 * time. */
static inline itsm_time itsm__cal_add_q(const itsm__cal *c, itsm_time a, int64_t w)
{
    if (c->always && w > 0 && c->week && a <= ITSM_TIME_MAX - w)
        return a + w;
    return itsm__cal_add(c, a, w);
}
/* The calendar's UTC offset (seconds east) at instant t. */
int32_t   itsm__cal_offset(const itsm__cal *c, itsm_time t);

/* Yearly holiday rules as text: "Dec 25", "4th Thu Nov", "last Mon May".
 * Parse: ITSM_OK or ITSM_EINVAL. Format: into out (at least 16 bytes). */
int  itsm__holrule_parse(itsm__holrule *out, const char *s);
void itsm__holrule_format(const itsm__holrule *r, char out[16]);

struct itsm__jval;
struct itsm__jw;
/* One calendar object of the policy document into a definition and
 * itsm_policy_set_calendar (calendar_json.c); and back. */
int  itsm__cal_read_json(itsm_policy *p, const struct itsm__jval *v, itsm_parse_error *err);
void itsm__cal_write_json(const itsm__cal *c, struct itsm__jw *w);

#endif
