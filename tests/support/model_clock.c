/* SPDX-License-Identifier: Apache-2.0 */
/* The reference model's service-level clocks (model_parts.h): the targets
 * of the default document, working time counted second by second on the
 * 24x7 and business calendars, the timers following a record's state, and
 * the tick firing what is due in deadline order. */
#include "model_parts.h"

#include <string.h>

/* ---- policy values (docs/service-levels.md, the default document) ---- */

static const uint32_t response_target[5] = { 900, 1800, 14400, 28800, 57600 };
static const uint32_t resolution_target[5] = { 14400, 28800, 86400, 144000, 288000 };
static const uint32_t cadence[5] = { 1800, 3600, 14400, 28800, 28800 };
#define LADDER 3
#define AUTO_CLOSE_AFTER 259200

/* ---- working time: 24x7, or Monday to Friday 09:00-17:00 UTC ---- */

static int64_t day_of(itsm_time t) { return t >= 0 ? t / 86400 : (t - 86399) / 86400; }

/* Working seconds of the business calendar from a Monday long ago up to t:
 * five 8-hour days a week, plus the part of t's own day. */
static int64_t business_before(itsm_time t)
{
    int64_t d = day_of(t), m = d + 3;   /* 1970-01-01 was a Thursday: m % 7 == 0 is a Monday */
    int64_t weeks = m >= 0 ? m / 7 : (m - 6) / 7, dow = m - weeks * 7;
    int64_t sum = (weeks * 5 + (dow < 5 ? dow : 5)) * 8 * 3600;
    if (dow < 5) {
        int64_t into = t - (d * 86400 + 9 * 3600);
        sum += into < 0 ? 0 : into > 8 * 3600 ? 8 * 3600 : into;
    }
    return sum;
}

static int64_t work(int business, itsm_time a, itsm_time b)
{
    if (b <= a)
        return 0;
    return business ? business_before(b) - business_before(a) : b - a;
}

/* The first instant x >= t with work(t, x) == secs (a search: the model
 * prefers obvious to fast). */
static itsm_time work_add(int business, itsm_time t, int64_t secs)
{
    if (secs <= 0 || !business)
        return t + (secs > 0 ? secs : 0);
    itsm_time lo = t, hi = t + secs * 4 + 7 * 86400;
    while (lo < hi) {
        itsm_time mid = lo + (hi - lo) / 2;
        if (work(1, t, mid) >= secs)
            hi = mid;
        else
            lo = mid + 1;
    }
    return lo;
}

/* ---- timers ---- */

static int64_t elapsed_at(const model_timer *t, itsm_time now)
{
    if (!t->on)
        return 0;
    int64_t e = t->elapsed;
    if (!t->stopped && !t->paused && now > t->mark)
        e += work(t->business, t->mark, now);
    return e;
}

/* Bring the count up to `now` (before anything about the timer changes). */
static void timer_sync(model_timer *t, itsm_time now)
{
    if (t->on && !t->stopped && !t->paused && now > t->mark)
        t->elapsed += work(t->business, t->mark, now);
    if (now > t->mark)
        t->mark = now;
}

/* A clock that stops takes its verdict under the target it stops with (a
 * settled record keeps its verdicts); one that runs again drops it. */
static void timer_set_running(model_timer *t, itsm_time now, int stopped, int paused)
{
    timer_sync(t, now);
    if (stopped && !t->stopped)
        t->late = t->elapsed >= (int64_t)t->target;
    else if (!stopped)
        t->late = -1;
    t->stopped = stopped;
    t->paused = paused;
}

/* The working second at which a running timer reaches its target. */
static itsm_time due_of(const model_timer *t)
{
    int64_t left = (int64_t)t->target - t->elapsed;
    /* Planned at the last change; a target already passed then is due then. */
    return left >= 0 ? work_add(t->business, t->mark, left) : t->mark;
}

void model_timer_at(const model *m, int rec, int timer, itsm_time now, itsm_timer_info *out)
{
    const model_timer *t = &m->r[rec].t[timer];
    memset(out, 0, sizeof *out);
    out->due = ITSM_TIME_NONE;
    if (!t->on) {
        out->status = ITSM_TIMER_NONE;
        out->remaining = INT64_MAX;
        return;
    }
    int64_t e = elapsed_at(t, now);
    /* The next update is a due time, not a count: no target, no elapsed. */
    out->elapsed = timer == MT_NEXT_UPDATE ? 0 : e;
    out->target = timer == MT_NEXT_UPDATE ? 0 : t->target;
    out->status = t->stopped ? ITSM_TIMER_STOPPED : t->paused ? ITSM_TIMER_PAUSED : ITSM_TIMER_RUNNING;
    out->remaining = (int64_t)t->target - e;
    out->warnings = (unsigned)t->warned;
    if (timer == MT_NEXT_UPDATE) {
        /* Due a cadence of working time after it started; missed once past. */
        itsm_time due = work_add(t->business, t->start, t->target);
        out->breached = out->status == ITSM_TIMER_RUNNING && (t->breach_fired || now > due);
        if (out->status == ITSM_TIMER_RUNNING)
            out->due = due;
        return;
    }
    if (t->stopped && t->late >= 0)
        out->breached = t->breach_fired || t->late;
    else
        out->breached = t->breach_fired || e >= (int64_t)t->target;
    if (out->status == ITSM_TIMER_RUNNING)
        out->due = due_of(t);
}

/* ---- a record's timers follow its state ---- */

static int has_timers(const model_rec *r)
{
    return (r->kind == ITSM_KIND_INCIDENT || r->kind == ITSM_KIND_SERVICE_REQUEST) && model__priority_of(r) != 0;
}

static int pausing(const model_rec *r)
{
    return r->f[ITSM_F_HOLD_REASON].set && !strcmp(r->f[ITSM_F_HOLD_REASON].str, "awaiting_customer");
}

/* After a step at `now`: every timer follows the record's state. */
void model__timers_follow(model *m, int rec, itsm_time now)
{
    model_rec *r = &m->r[rec];
    int open = model_is_open(m, rec), stop = model__in_stop_state(m, rec);
    if (!has_timers(r)) {
        for (int i = 0; i < MT__COUNT; i++)
            timer_sync(&r->t[i], now);
        return;
    }
    int p = model__priority_of(r) - 1;
    int business = p >= 2;
    uint32_t targets[MT__COUNT] = { response_target[p], resolution_target[p], cadence[p] };
    for (int i = 0; i < MT__COUNT; i++) {
        model_timer *t = &r->t[i];
        timer_sync(t, now);
        if (!t->on && i != MT_NEXT_UPDATE) {
            /* Started when the record first has a priority (the library
             * counts from then; the documents say "from opening"). */
            t->on = 1;
            t->elapsed = 0;
            t->mark = now;
            t->business = business;
        } else if (t->on && t->business != business) {
            /* Re-planned on another calendar: the history counted again. */
            t->business = business;
        }
        t->target = targets[i];
    }
    int responded = r->f[ITSM_F_RESPONDED_AT].set;
    /* The library also stops the response clock in a stop state (the
     * documents name only responded_at). */
    timer_set_running(&r->t[MT_RESPONSE], now, responded || !open || stop, 0);
    timer_set_running(&r->t[MT_RESOLUTION], now, stop || !open, pausing(r));
    model_timer *nu = &r->t[MT_NEXT_UPDATE];
    if (!nu->on && responded) {
        nu->on = 1;
        nu->elapsed = 0;
        nu->mark = now;
        /* the first response, the last reopen after it - or the priority,
         * when it came later: the time before it is not counted (DESIGN 4) */
        nu->start = r->nu_from ? r->nu_from : r->f[ITSM_F_RESPONDED_AT].num;
        if (nu->start < now)
            nu->start = now;
        nu->business = business;
        nu->target = cadence[p];
    }
    if (nu->on)
        timer_set_running(nu, now, stop || !open, 0);
}

/* ---- the tick: every due timer in deadline order, one batch each ---- */

enum { F_WARNING, F_BREACH, F_OVERDUE, F_AUTO_CLOSE };

static itsm_time fire_at(const model *m, int rec, int timer, int what)
{
    const model_rec *r = &m->r[rec];
    if (what == F_AUTO_CLOSE) {
        /* "never for a major incident" (docs/service-levels.md): no timer at all. */
        if (r->kind != ITSM_KIND_INCIDENT || r->stop_at == ITSM_TIME_NONE || r->auto_close_done ||
            r->f[ITSM_F_MAJOR].set)
            return ITSM_TIME_NONE;
        return r->stop_at + AUTO_CLOSE_AFTER;
    }
    const model_timer *t = &r->t[timer];
    if (!t->on || t->stopped || t->paused)
        return ITSM_TIME_NONE;
    int64_t at;
    if (what == F_WARNING) {
        if (t->warned || timer == MT_NEXT_UPDATE)
            return ITSM_TIME_NONE;
        at = (int64_t)t->target * 750 / 1000;
    } else {
        if (t->breach_fired)
            return ITSM_TIME_NONE;
        at = t->target;
    }
    if (what == F_OVERDUE)
        return work_add(t->business, t->start, t->target) + 1;
    itsm_time due = work_add(t->business, t->mark, at - t->elapsed > 0 ? at - t->elapsed : 0);
    if (at - t->elapsed < 0)
        due = t->mark;   /* passed before the last change: fires now */
    return due;
}

int model_tick(model *m, itsm_time now, model_events *out)
{
    out->n = 0;
    for (;;) {
        int best_rec = -1, best_timer = 0, best_what = 0;
        itsm_time best = ITSM_TIME_NONE;
        for (size_t i = 0; i < m->n; i++) {
            for (int t = 0; t < MT__COUNT; t++) {
                for (int w = F_WARNING; w <= F_BREACH; w++) {
                    int what = t == MT_NEXT_UPDATE ? (w == F_BREACH ? F_OVERDUE : -1) : w;
                    if (what < 0)
                        continue;
                    itsm_time at = fire_at(m, (int)i, t, what);
                    if (at != ITSM_TIME_NONE && at <= now && (best == ITSM_TIME_NONE || at < best)) {
                        best = at;
                        best_rec = (int)i;
                        best_timer = t;
                        best_what = what;
                    }
                }
            }
            itsm_time at = fire_at(m, (int)i, 0, F_AUTO_CLOSE);
            if (at != ITSM_TIME_NONE && at <= now && (best == ITSM_TIME_NONE || at < best)) {
                best = at;
                best_rec = (int)i;
                best_what = F_AUTO_CLOSE;
            }
        }
        if (best_rec < 0)
            return ITSM_OK;
        model_rec *r = &m->r[best_rec];
        itsm_time at = best;
        if (r->f[ITSM_F_UPDATED_AT].set && r->f[ITSM_F_UPDATED_AT].num > at)
            at = r->f[ITSM_F_UPDATED_AT].num;
        static const char *const names[MT__COUNT] = { "response", "resolution", "next_update" };
        itsm_time saved = m->now;
        m->now = at;
        for (int t = 0; t < MT__COUNT; t++)
            timer_sync(&r->t[t], at);
        if (best_what == F_WARNING) {
            r->t[best_timer].warned = 1;
            r->rev++;
            model__emit(out, "sla_warning", best_rec, names[best_timer]);
        } else if (best_what == F_BREACH) {
            r->t[best_timer].breach_fired = 1;
            r->t[best_timer].warned = 1;
            r->rev++;
            model__emit(out, "sla_breach", best_rec, names[best_timer]);
            int64_t lvl = r->f[ITSM_F_HIERARCHICAL_LEVEL].set ? r->f[ITSM_F_HIERARCHICAL_LEVEL].num : 0;
            if (lvl < LADDER) {
                r->f[ITSM_F_HIERARCHICAL_LEVEL].set = 1;
                r->f[ITSM_F_HIERARCHICAL_LEVEL].num = lvl + 1;
                r->rev++;
                model__emit(out, "escalation_step", best_rec, NULL);
            }
        } else if (best_what == F_OVERDUE) {
            r->t[MT_NEXT_UPDATE].breach_fired = 1;
            r->rev++;
            model__emit(out, "update_overdue", best_rec, NULL);
        } else {
            r->auto_close_done = 1;
            const mtrans *t = model__find_transition(m, best_rec, "auto_close");
            model_rec before = *r;
            if (t && model__guard_ok(m, best_rec, r, t->guard)) {
                model__take(m, best_rec, t, &before, 0, at);
                r->rev++;
                model__emit(out, "transition", best_rec, "auto_close");
                model__timers_follow(m, best_rec, at);
            } else {
                r->rev++;
                model__emit(out, "auto_close_blocked", best_rec, NULL);
            }
        }
        r->f[ITSM_F_UPDATED_AT].set = 1;
        r->f[ITSM_F_UPDATED_AT].num = at;
        m->now = saved;
    }
}
