/* SPDX-License-Identifier: Apache-2.0 */
/*
 * itsm/sla.h - service levels: calendars, targets, timers, the tick, aging.
 *
 * Targets (DESIGN.md section 4) live in the policy: an SLA gives, per
 * priority 1..5, a response and a resolution target in seconds of working
 * time on a calendar; an OLA gives a target per support group for the time
 * the group holds the record. Calendars count only working time: weekly
 * hours (several spans a day), a zone (a fixed UTC offset or a POSIX TZ
 * rule with daylight saving, applied by the library itself), holiday dates
 * and yearly holidays. "24x7" is a calendar too.
 * The policy document sections are described in docs/service-levels.md.
 *
 * Timers are a pure function of a record's applied events: clocks advance
 * only at event times, so replaying a store rebuilds them exactly. Time
 * moves forward only through events; itsm_engine_tick turns every timer
 * that is due into events (warnings, breaches, escalation steps, overdue
 * updates, auto-close, missed major-incident deadlines), each timer as its
 * own atomic batch through the store.
 *
 * Timers run for incidents and service requests that have a priority.
 */
#ifndef ITSM_SLA_H
#define ITSM_SLA_H

#include "common.h"
#include "record.h"
#include "policy.h"

#include <string.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct itsm_engine itsm_engine;

/* ---- calendars (policy) ------------------------------------------------- */

/* One working span of a weekday, in local wall-clock time. */
typedef struct itsm_work_span {
    int      day;           /* Monday = 0 .. Sunday = 6 */
    int32_t  start, end;    /* seconds from local midnight, 0 <= start < end <= 86400 */
} itsm_work_span;

typedef struct itsm_calendar_def {
    unsigned     version;       /* ITSM_CALENDAR_DEF_VERSION (1 is accepted: no zone, no spans) */
    const char  *name;          /* 1..63 bytes of [a-z0-9_] (plus "24x7") */
    int32_t      utc_offset;    /* seconds east of UTC, -50400..50400; 0 when `zone` is given */
    /* Working hours per weekday, Monday = 0: seconds from local midnight,
     * start < end <= 86400; start == end == 0: no working time that day.
     * All zero when `spans` is given. */
    int32_t      start[7], end[7];
    /* Holidays, each a local date "YYYY-MM-DD" or a yearly rule: a date
     * "Dec 25" (never "Feb 29"), or a weekday of a month "4th Thu Nov",
     * "last Mon May" (1st, 2nd, 3rd, 4th, last). At most 4096 in all, at
     * most 32 yearly rules. May be NULL when nholidays is 0. */
    const char *const *holidays;
    size_t       nholidays;
    /* Version 2. */
    /* The zone as a POSIX TZ rule, e.g. "CET-1CEST,M3.5.0,M10.5.0/3" (std
     * name, offset WEST of UTC, daylight name [offset], start and end as
     * Mm.w.d, Jn or n [/time]; times may be negative or up to 167 h as
     * RFC 8536 allows). NULL: the fixed utc_offset. Working hours are local
     * wall-clock time: a spring-forward hour holds no work, a fall-back
     * hour counts twice. The rule applies to every year: for an IANA zone
     * give its current rule (itsm_zone_from_tzif). Copied. */
    const char  *zone;
    /* Several spans a day: when nspans > 0 these replace start/end. At
     * most 8 a day, not overlapping (touching is fine), in any order. */
    const itsm_work_span *spans;
    size_t       nspans;
} itsm_calendar_def;

#define ITSM_CALENDAR_DEF_VERSION 2
#define ITSM_CALENDAR_DEF_INIT { ITSM_CALENDAR_DEF_VERSION, NULL, 0, { 0 }, { 0 }, NULL, 0, NULL, NULL, 0 }
/* For languages without macros: sets *def to ITSM_CALENDAR_DEF_INIT for
 * `version` (1 or 2; an older version gets only its own members, written).
 * ITSM_EINVAL for NULL, 0 or a version newer than this library's. */
ITSM_API int itsm_calendar_def_init(itsm_calendar_def *def, unsigned version);

/* Add a calendar, or replace the one of that name (SLAs keep pointing at
 * it). ITSM_EINVAL for a bad name, offset, zone (the message names the
 * reason and the character), span or holiday (named in
 * itsm_policy_errmsg), spans that overlap, both spans and start/end, both
 * a zone and a utc_offset, or a week with no working time; ITSM_ELIMIT
 * over 4096 holidays, 32 yearly rules or 8 spans a day; ITSM_ENOMEM. */
ITSM_API int itsm_policy_set_calendar(itsm_policy *policy, const itsm_calendar_def *def);

/* Working seconds between two instants on a policy calendar (0 when `to`
 * is at or before `from`: never negative), and the
 * instant `seconds` of working time after `from` (the earliest one: a due
 * time that ends exactly when a working day ends is that end, not the next
 * morning). Exact across daylight-saving transitions. ITSM_ENOTFOUND for
 * an unknown calendar, ITSM_EINVAL for a NULL argument, a time outside
 * 1970..9999 or negative seconds. A due time past 9999 saturates to
 * ITSM_TIME_MAX. Neither sets the policy's message.
 * Cost: constant per stretch between two transitions of the zone (the
 * week's cumulative working seconds give any number of whole weeks at
 * once) plus one step per holiday crossed; never one step per day. */
ITSM_API int itsm_calendar_work(int64_t *out, const itsm_policy *policy, const char *calendar,
                                itsm_time from, itsm_time to);
/* The instant `seconds` of working time after `from` on `calendar`, as
 * described above. ITSM_ENOTFOUND (unknown calendar), ITSM_EINVAL (NULL, a
 * time outside 1970..9999, negative seconds). */
ITSM_API int itsm_calendar_add(itsm_time *out, const itsm_policy *policy, const char *calendar,
                               itsm_time from, int64_t seconds);
/* The calendar's offset from UTC (seconds east) in effect at `at`, e.g.
 * 7200 for Paris in summer. ITSM_ENOTFOUND, ITSM_EINVAL as above. */
ITSM_API int itsm_calendar_utc_offset(int32_t *out, const itsm_policy *policy, const char *calendar,
                                      itsm_time at);

/* The current rule of an IANA zone, from the bytes of its TZif file
 * (RFC 8536 version 2 or later, e.g. /usr/share/zoneinfo/Europe/Paris,
 * read by the host): the POSIX TZ footer that governs the times after the
 * file's last transition, "CET-1CEST,M3.5.0,M10.5.0/3". The library reads
 * no files itself; the last line of such a file is the same text.
 * Historical rules (before the current one took effect) are not applied.
 * ITSM_OK with the NUL-terminated rule in out; ITSM_EINVAL (NULL, cap 0);
 * ITSM_EPARSE (not TZif v2+, truncated, or a rule this library cannot
 * apply); ITSM_ENOTFOUND (the file has no rule: an empty footer);
 * ITSM_ELIMIT (cap too small: 128 bytes always suffice). */
ITSM_API int itsm_zone_from_tzif(char *out, size_t cap, const void *tzif, size_t len);

/* ---- targets (policy) --------------------------------------------------- */

typedef struct itsm_sla_def {
    unsigned     version;        /* ITSM_SLA_DEF_VERSION */
    const char  *name;           /* [a-z0-9_], 1..63 bytes */
    /* Index 0..4 = priority 1..5. Seconds of working time; 0: no target. */
    uint32_t     response[5];
    uint32_t     resolution[5];
    const char  *calendar[5];    /* NULL: "24x7" */
} itsm_sla_def;

#define ITSM_SLA_DEF_VERSION 1
#define ITSM_SLA_DEF_INIT { ITSM_SLA_DEF_VERSION, NULL, { 0 }, { 0 }, { NULL } }
/* For languages without macros: sets *def to ITSM_SLA_DEF_INIT.
 * ITSM_EINVAL for NULL or a version other than ITSM_SLA_DEF_VERSION. */
ITSM_API int itsm_sla_def_init(itsm_sla_def *def, unsigned version);

#define ITSM_MAX_SLAS 255
/* Add or replace an SLA (copied). A policy holds at most ITSM_MAX_SLAS of
 * them. ITSM_EINVAL (NULL, unknown version, bad name), ITSM_ENOTFOUND
 * (calendar), ITSM_ELIMIT (one SLA too many), ITSM_ENOMEM. */
ITSM_API int itsm_policy_set_sla(itsm_policy *policy, const itsm_sla_def *def);
/* The SLA of records with no service mapping. ITSM_EINVAL (NULL),
 * ITSM_ENOTFOUND. */
ITSM_API int itsm_policy_set_default_sla(itsm_policy *policy, const char *sla);
/* Records on `service` get `sla` (NULL removes the mapping). ITSM_ENOTFOUND,
 * ITSM_EINVAL, ITSM_ENOMEM. */
ITSM_API int itsm_policy_set_service_sla(itsm_policy *policy, const char *service, const char *sla);
/* SLA by condition: records for which `when` holds (a condition of
 * docs/conditions.md over any field, built in or declared by the policy,
 * the state or the kind) get `sla`. Rules are tried in the order added,
 * after an SLA set by hand and before the service mapping and the
 * default; the first that holds wins, chosen afresh whenever the record
 * changes, as the service mapping is. ITSM_EINVAL (NULL), ITSM_ENOTFOUND
 * (no such SLA), ITSM_EPARSE (the condition; the reason, with the line
 * and column within `when`, in itsm_policy_errmsg), ITSM_ELIMIT (64 rules, or the condition's own
 * limits), ITSM_ENOMEM. Document: "service_levels": {"rules": [{"when":
 * "tier == 'gold'", "sla": "gold"}]}. */
ITSM_API int itsm_policy_add_sla_rule(itsm_policy *policy, const char *when, const char *sla);
/* OLA: the target for the time `group` holds a record (0 removes it).
 * `calendar` NULL: "24x7". ITSM_ENOTFOUND, ITSM_EINVAL, ITSM_ENOMEM. */
ITSM_API int itsm_policy_set_ola(itsm_policy *policy, const char *group, uint32_t seconds,
                                 const char *calendar);

/* Timers, as bits for pause masks. */
typedef enum itsm_timer {
    ITSM_TIMER_RESPONSE    = 0,   /* first response (responded_at) */
    ITSM_TIMER_RESOLUTION  = 1,   /* service restored (leaving the stop states) */
    ITSM_TIMER_OLA         = 2,   /* the current group's own target */
    ITSM_TIMER_NEXT_UPDATE = 3    /* customer communication cadence */
} itsm_timer;
#define ITSM_TIMER_BIT(t) (1u << (t))

/* While a record's hold_reason is `reason`, the timers in `mask`
 * (ITSM_TIMER_BIT of response, resolution, OLA) stop counting; 0 removes
 * the rule. Default: awaiting_customer pauses the resolution clock.
 * ITSM_EINVAL (NULL, a bad reason name, bits other than those three),
 * ITSM_ENOMEM. */
ITSM_API int itsm_policy_set_pause(itsm_policy *policy, const char *reason, unsigned mask);
/* Warnings at these fractions of each target, in permille, strictly
 * ascending, 1..999, at most 8 (default: one at 750). n = 0: none.
 * ITSM_EINVAL otherwise (or NULL permille with n > 0). */
ITSM_API int itsm_policy_set_warnings(itsm_policy *policy, const unsigned *permille, size_t n);
/* The states that stop the resolution clock (and start auto-close), by
 * name, at most 8 (default: "resolved" and "fulfilled", where the
 * default incident and request lifecycles stamp resolved_at); they
 * replace the current list;
 * n = 0: none. Names are not checked against the lifecycles. ITSM_EINVAL
 * for a NULL policy, more than 8, NULL states with n > 0, a name that is
 * empty, over 63 bytes or not UTF-8, or a name given twice; ITSM_ENOMEM (the policy
 * is unchanged). Policy document: service_levels.stop_states. */
ITSM_API int itsm_policy_set_sla_stop_states(itsm_policy *policy, const char *const *states, size_t n);

/* ---- timers ------------------------------------------------------------- */

typedef enum itsm_timer_status {
    ITSM_TIMER_NONE     = 0,   /* no target applies (no priority - but a promised next
                                  update runs without one -, no OLA, not started) */
    ITSM_TIMER_RUNNING  = 1,
    ITSM_TIMER_PAUSED   = 2,   /* on hold for a pausing reason */
    ITSM_TIMER_STOPPED  = 3    /* met (responded, resolved) or the record is closed */
} itsm_timer_status;

typedef struct itsm_timer_info {
    size_t    size;          /* sizeof(itsm_timer_info), set by the caller (common.h) */
    itsm_timer_status status;
    int       breached;      /* the breach fired (or, stopped, it was met late under the
                                target it stopped with: a priority changed afterwards does
                                not judge it again) */
    uint32_t  target;        /* seconds of working time; 0 for next_update */
    int64_t   elapsed;       /* working seconds counted up to `now` */
    int64_t   paused;        /* working seconds paused up to `now` */
    itsm_time due;           /* when it breaches if it keeps running; NONE if paused/stopped */
    int64_t   remaining;     /* working seconds left (negative: overdue) */
    unsigned  warnings;      /* warnings fired so far */
    const char *calendar;    /* borrowed from the engine's policy */
    int       priority;      /* the record's priority (1..5) the target is for; 0: none.
                                After calendar: a caller's struct of the older size gets
                                the members up to calendar */
} itsm_timer_info;

/* One timer of a record, as of `now` (the clock is not read).
 * ITSM_EINVAL for NULL or an unknown timer or bad time (the engine's
 * message says which). */
ITSM_API int itsm_record_timer(itsm_timer_info *out, const itsm_record *rec, itsm_timer timer,
                               itsm_time now);
/* The name of the SLA that applies to the record (by override, service or
 * the default); borrowed from the engine's policy. NULL when untracked. */
ITSM_API const char *itsm_record_sla(const itsm_record *rec);
/* Put the record on another SLA by hand (NULL: back to the service's).
 * Every due time is re-planned with elapsed and paused time carried over.
 * ITSM_EINVAL (NULL record), ITSM_ENOTFOUND, ITSM_ESTATE (closed or
 * untracked), store errors, ITSM_ECLOCK. */
ITSM_API int itsm_record_set_sla(itsm_record *rec, const char *sla);

/* ---- the tick ----------------------------------------------------------- */

/*
 * Fire every timer due at or before `now`, in deadline order, each as its
 * own atomic batch through the store. The cost is proportional to the
 * timers that fire. If the store (or an allocation) fails, that timer
 * stays queued, nothing of it changed, and the error is returned: the same
 * tick can be repeated. Each event carries the timer's own deadline (or
 * the record's last event time, if later), not `now`: a late tick still
 * records when a target breached. Deadlines that are "missed" (next update,
 * major-incident phases) fire one second after their due time; a breach
 * and auto-close fire at it.
 * *fired (may be NULL) gets the number of timers that fired.
 * Errors: ITSM_EINVAL (bad time), ITSM_ESTATE (inside a callback),
 * ITSM_ESTORE, ITSM_ECONFLICT, ITSM_EUSER, ITSM_ENOMEM.
 */
ITSM_API int itsm_engine_tick(itsm_engine *eng, itsm_time now, size_t *fired);
/* The earliest instant a timer is scheduled for; ITSM_TIME_NONE if none. */
ITSM_API itsm_time itsm_engine_next_deadline(itsm_engine *eng);

/*
 * Leaving out a tick with nothing due. A host that ticks before each of
 * its steps (a replay ticks at every row's time) pays a call per tick, and
 * most fire nothing. itsm_due_view_earliest reads, with no call, the time
 * the engine's deadline queue starts at: no timer is due before it.
 * itsm_engine_tick(eng, now, &fired) with `now` in ITSM_TIME_MIN ..
 * ITSM_TIME_MAX and earlier than it, made outside the engine's callbacks
 * (and while the engine works: not after a call refused ITSM_ESTATE because
 * it could not go back to its store's last commit), returns ITSM_OK, sets
 * *fired to 0 and changes nothing: the host may leave it out.
 * The reader reads the engine's memory as layout ITSM_DUE_LAYOUT lays it
 * out: use it only when itsm_due_layout() returns ITSM_DUE_LAYOUT (a host
 * asks once; a library laid out otherwise returns another number, and the
 * host ticks every time). The library's build checks its queue against it.
 */
#define ITSM_DUE_LAYOUT 1
typedef struct itsm_due_view itsm_due_view;

/* The due layout of this library: ITSM_DUE_LAYOUT when
 * itsm_due_view_earliest may read its engines (see above). Never fails. */
ITSM_API int itsm_due_layout(void);
/* The engine's deadline queue for itsm_due_view_earliest, valid as long as
 * the engine (through itsm_engine_load and a group's rollback too); NULL for
 * NULL. */
ITSM_API const itsm_due_view *itsm_engine_due_view(const itsm_engine *eng);

/* The time the deadline queue starts at, read with no call (layout
 * ITSM_DUE_LAYOUT: see above): a tick earlier than it fires nothing. It may
 * be earlier than itsm_engine_next_deadline (a timer planned again, or
 * stopped, leaves its old entry until a tick drops it: a tick at it may
 * fire nothing); later than ITSM_TIME_MAX when nothing is queued. Read it
 * between calls, not during one (nor from another thread meanwhile). */
static inline itsm_time itsm_due_view_earliest(const itsm_due_view *v)
{
    /* the view is where the engine keeps its queue's state, whose first
     * member is the queue's array, whose first entry begins with its time */
    const void *const *state = *(const void *const *const *)(const void *)v;
    itsm_time t;
    memcpy(&t, *state, sizeof t);
    return t;
}

/* ---- aging -------------------------------------------------------------- */

typedef enum itsm_aging_order {
    ITSM_AGING_BY_AGE    = 1,   /* oldest open record first (the open list) */
    ITSM_AGING_BY_BREACH = 2    /* least time left to the resolution breach first */
} itsm_aging_order;

typedef struct itsm_aging_entry {
    size_t       size;         /* out[0].size = sizeof(itsm_aging_entry) (common.h) */
    itsm_record *rec;          /* borrowed */
    int64_t      age;          /* now - opened_at, seconds */
    int64_t      time_left;    /* working seconds to the resolution breach: negative once
                                  breached (overdue), frozen while paused; INT64_MAX: none */
} itsm_aging_entry;

/*
 * At most `max` open records, oldest first or least time left first:
 * the incidents and service requests, the kinds the service levels follow
 * (problems and changes have no clocks: itsm_engine_record_at walks every
 * record, with its opened_at). By age lists them by opened_at, ties in
 * record id order, whatever order they reached the engine in; it walks an
 * index of open records (cost ~ max), sorted once (n log n) after a record
 * opened before the newest joined it (another node's, caught up on). By breach orders records with a running, paused or
 * breached resolution clock by time_left: breached ones first (most overdue first), paused ones with
 * their frozen time left; records whose resolution clock is stopped or has
 * no target are left out. It walks the deadline queue in order for running
 * clocks (cost ~ max log max, plus records whose next deadline is not their
 * resolution clock, plus - when calendars differ - the records due before
 * the least working time any calendar counts reaches the worst kept: time
 * left is working time, so a business-hours record due Monday may have
 * less left than a 24x7 one due tonight) and an index of paused and
 * breached records (cost ~ their number). Ties on time left go in record id order (strcmp), so a
 * live engine and a replay of its store list the same records in the same
 * order. *n gets the number of entries written (at most max).
 * `now` is the time the ages and times left are taken at (not
 * ITSM_TIME_NONE: pass the engine's clock for "now").
 * ITSM_EINVAL for NULL arguments, an unknown order or a time outside
 * 1970..9999; ITSM_ENOMEM.
 */
ITSM_API int itsm_engine_aging(itsm_aging_entry *out, size_t max, size_t *n, itsm_engine *eng,
                               itsm_aging_order order, itsm_time now);

#ifdef __cplusplus
}
#endif
#endif
