/* SPDX-License-Identifier: Apache-2.0 */
/* Internal: time zones as POSIX TZ rules ("CET-1CEST,M3.5.0,M10.5.0/3"),
 * parsed and applied here - no tz database, no global state, no
 * localtime - so a calendar's working hours follow daylight saving the
 * same way on every host, and replay rebuilds the same due times. */
#ifndef ITSM_SRC_TZ_H
#define ITSM_SRC_TZ_H

#include "itsm/common.h"
#include "itsm/errors.h"

#include <stddef.h>
#include <stdint.h>

/* The longest rule accepted (IANA's footers are under 50 bytes). */
#define ITSM__TZ_MAX 127

enum { ITSM__TZ_JULIAN = 1,   /* Jn: day 1..365, February 29 never counted */
       ITSM__TZ_ZERO   = 2,   /* n: day 0..365, February 29 counted */
       ITSM__TZ_MONTH  = 3 }; /* Mm.w.d: weekday d (0 = Sunday) of week w (5 = last) of month m */

typedef struct itsm__tzrule {
    uint8_t  kind;
    uint8_t  month, week, wday;
    uint16_t day;
    int32_t  time;     /* seconds after local midnight of that day, -167h..167h */
} itsm__tzrule;

typedef struct itsm__tz {
    int32_t      std, dst;   /* seconds east of UTC */
    int          has_dst;
    itsm__tzrule start, end; /* start: std -> dst (local standard time); end: dst -> std (local daylight time) */
} itsm__tz;

/* A fixed offset, no daylight saving. */
void itsm__tz_fixed(itsm__tz *z, int32_t east);

/* Parse a POSIX TZ rule of `len` bytes: std offset [dst [offset]
 * [,start[/time],end[/time]]], names alphabetic (3+) or quoted <...>,
 * offsets [+-]hh[:mm[:ss]] west of UTC (hh 0..24), transition times
 * [+-]hh[:mm[:ss]] (hh 0..167, as RFC 8536 allows). A zone with daylight
 * saving must give its rules. ITSM_OK, or ITSM_EINVAL with *pos the byte
 * where it went wrong and *why a static reason. */
int itsm__tz_parse(itsm__tz *out, const char *s, size_t len, size_t *pos, const char **why);

/* The offset (seconds east) in effect at instant t. *next (may be NULL)
 * gets the first instant after t where it may change, INT64_MAX when it
 * never does. Constant time. */
int32_t itsm__tz_offset(const itsm__tz *z, int64_t t, int64_t *next);

/* Day number (days since 1970-01-01) of a rule's day in year y. */
int64_t itsm__tz_rule_day(const itsm__tzrule *r, int64_t y);
/* Day number of weekday `wday` (0 = Sunday) in week `week` (1..4, 5 =
 * last) of month `month` of year y. */
int64_t itsm__nth_weekday(int64_t y, unsigned month, unsigned week, unsigned wday);

/* The POSIX TZ footer of a TZif file (RFC 8536, version 2 or later): the
 * rule after the last transition, which a host feeds as a calendar zone.
 * ITSM_OK with out[0..cap) NUL-terminated, ITSM_EPARSE (not TZif v2+,
 * truncated, a footer that is not a rule this library applies),
 * ITSM_ENOTFOUND (the file has no rule: an empty footer), ITSM_ELIMIT
 * (cap too small). */
int itsm__tzif_footer(char *out, size_t cap, const unsigned char *data, size_t len);

#endif
