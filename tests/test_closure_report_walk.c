/* SPDX-License-Identifier: Apache-2.0 */
/* Resolution, closure and the report under random but legal orders
 * (seeds 002 and 003; DESIGN 7 and 10). Incidents of every priority are
 * taken up, held, escalated, reassigned, re-prioritised, resolved with or
 * without the closure checklist complete, reopened, confirmed, canceled
 * and ticked at random times. Whatever the order:
 *   - the timer closes a record exactly at its last resolution plus the
 *     auto-close period (3 days), whenever the tick comes, and only with
 *     the checklist complete; otherwise auto_close_blocked names what is
 *     missing, once per resolution;
 *   - every figure of the report is the one the records' own getters
 *     give: volume by kind, state and priority, resolved, first-contact
 *     resolution (itsm_record_first_contact_resolution), reassignments,
 *     reopens, SLA met and breached (itsm_record_timer as of the report's
 *     now), time to respond and to resolve, aging, surveys sent, trends
 *     by week and category, and the process figures of the stored history
 *     (functional escalations, first line, group moves);
 *   - the aging lists (seed 003: "chase up the slow ones") hold every open
 *     record oldest first, and every running, paused or breached
 *     resolution clock least time left first, with the timer's own figure;
 *   - a replay of the store rebuilds every record and timer.
 * Black-box: the public API and the stored events. */
#include "sla/sla_support.h"
#include <math.h>

typedef struct { uint64_t s; } walk_rng;
static uint32_t next_u32(walk_rng *r)
{
    r->s ^= r->s << 13;
    r->s ^= r->s >> 7;
    r->s ^= r->s << 17;
    return (uint32_t)(r->s >> 11);
}

#define NREC 6

/* Resolved as the report counts it: resolved_at set, unless a reopen
 * undid it - the record back in work (open, not resolved) - or a cancel
 * did, whatever resolved_at still says (every step of a walk is at or
 * before `now`). */
static int resolved_now(const itsm_record *x)
{
    return itsm_record_int(x, ITSM_F_RESOLVED_AT) != ITSM_TIME_NONE && strcmp(itsm_record_state(x), "canceled") != 0 &&
           !(itsm_record_int(x, ITSM_F_REOPENS) > 0 && itsm_record_is_open(x) &&
             strcmp(itsm_record_state(x), "resolved") != 0);
}

/* The report's figures, each against the sum of the records' getters. */
static void assert_report_matches_the_records(fixture *f, itsm_record *const *r, itsm_time now, uint64_t seed)
{
    itsm_report *rep;
    itsm_report_opts o = ITSM_REPORT_OPTS_INIT;
    o.now = now;
    assert_ok(itsm_report_new(&rep, f->eng, &o));
    size_t resolved = 0, fcr = 0, reassign = 0, reassigned = 0, reopens = 0, reopened = 0, ever = 0;
    size_t met = 0, breached = 0, tracked = 0, responded = 0, sent = 0, by_prio[6] = { 0 }, aging[5] = { 0 };
    double resolve_sum = 0, respond_sum = 0;
    for (int i = 0; i < NREC; i++) {
        const itsm_record *x = r[i];
        itsm_time opened = itsm_record_int(x, ITSM_F_OPENED_AT), res = itsm_record_int(x, ITSM_F_RESOLVED_AT);
        itsm_time resp = itsm_record_int(x, ITSM_F_RESPONDED_AT);
        int64_t ra = itsm_record_int(x, ITSM_F_REASSIGNMENTS), ro = itsm_record_int(x, ITSM_F_REOPENS);
        by_prio[itsm_record_int(x, ITSM_F_PRIORITY)]++;
        if (resolved_now(x)) {
            resolved++;
            fcr += (size_t)itsm_record_first_contact_resolution(x);
            resolve_sum += (double)(res - opened);
        }
        if (resp != ITSM_TIME_NONE) {
            responded++;
            respond_sum += (double)(resp - opened);
        }
        reassign += (size_t)ra;
        reassigned += ra > 0;
        reopens += (size_t)ro;
        reopened += ro > 0;
        ever += res != ITSM_TIME_NONE || ro > 0;
        itsm_timer_info t = timer(x, ITSM_TIMER_RESOLUTION, now);
        if (t.status != ITSM_TIMER_NONE) {
            tracked++;
            if (t.breached)
                breached++;
            else if (t.status == ITSM_TIMER_STOPPED && resolved_now(x))
                met++;
        }
        if (itsm_record_is_open(x)) {
            int64_t age = now - opened;
            size_t b = 0;
            while (b + 1 < ITSM_REPORT_AGING_BUCKETS && age >= itsm_report_aging_bound(b + 1))
                b++;
            aging[b]++;
        }
        /* surveyed: closed with a resolution no cancel undid (satisfaction.h) */
        if (!itsm_record_is_open(x) && resolved_now(x) && itsm_record_survey_sampled(x))
            sent++;
    }
    itsm_report_figures g = { .size = sizeof g };
    assert_ok(itsm_report_figures_of(&g, rep));
    itsm_report_sla_figures s = { .size = sizeof s };
    assert_ok(itsm_report_sla(&s, rep));
    if (g.resolved != resolved || g.first_contact != fcr || g.reassignments != reassign ||
        g.reassigned_records != reassigned || g.reopens != reopens || g.reopened_records != reopened ||
        g.ever_resolved != ever)
        fail_msg("seed %llu: figures resolved %zu/%zu fcr %zu/%zu reassign %zu/%zu %zu/%zu reopens %zu/%zu %zu/%zu ever %zu/%zu",
                 (unsigned long long)seed, g.resolved, resolved, g.first_contact, fcr, g.reassignments, reassign,
                 g.reassigned_records, reassigned, g.reopens, reopens, g.reopened_records, reopened, g.ever_resolved, ever);
    if (s.tracked != tracked || s.met != met || s.breached != breached)
        fail_msg("seed %llu: sla tracked %zu/%zu met %zu/%zu breached %zu/%zu", (unsigned long long)seed, s.tracked, tracked,
                 s.met, met, s.breached, breached);
    assert_int_equal(itsm_report_total(rep), NREC);
    assert_int_equal(itsm_report_by_kind(rep, ITSM_KIND_INCIDENT), NREC);
    for (int p = 0; p <= 5; p++)
        assert_int_equal(itsm_report_by_priority(rep, p), by_prio[p]);
    size_t states = 0;
    for (size_t i = 0; i < itsm_report_state_count(rep); i++) {
        itsm_report_row row = { .size = sizeof row };
        assert_ok(itsm_report_state_at(rep, i, &row));
        size_t n = 0;
        for (int j = 0; j < NREC; j++)
            n += strcmp(itsm_record_state(r[j]), row.name) == 0;
        if (row.count != n)
            fail_msg("seed %llu: %zu records %s, the report says %zu", (unsigned long long)seed, n, row.name, row.count);
        states += row.count;
    }
    assert_int_equal(states, NREC);
    for (size_t b = 0; b < ITSM_REPORT_AGING_BUCKETS; b++)
        if (itsm_report_aging(rep, b) != aging[b])
            fail_msg("seed %llu: aging bucket %zu has %zu, the records %zu", (unsigned long long)seed, b,
                     itsm_report_aging(rep, b), aging[b]);
    itsm_report_stat d = { .size = sizeof d };
    assert_ok(itsm_report_duration(&d, rep, ITSM_MEASURE_RESOLVE_WALL));
    assert_int_equal(d.count, resolved);
    if (resolved && fabs(d.mean - resolve_sum / (double)resolved) > 1e-6)
        fail_msg("seed %llu: mean time to resolve %f, the records %f", (unsigned long long)seed, d.mean,
                 resolve_sum / (double)resolved);
    assert_ok(itsm_report_duration(&d, rep, ITSM_MEASURE_RESPOND_WALL));
    assert_int_equal(d.count, responded);
    if (responded && fabs(d.mean - respond_sum / (double)responded) > 1e-6)
        fail_msg("seed %llu: mean time to respond %f, the records %f", (unsigned long long)seed, d.mean,
                 respond_sum / (double)responded);
    itsm_report_survey sv = { .size = sizeof sv };
    assert_ok(itsm_report_survey_at(rep, 0, &sv));
    assert_int_equal(sv.by, ITSM_SURVEY_ALL);
    if (sv.sent != sent)
        fail_msg("seed %llu: %zu surveys sent, the records %zu", (unsigned long long)seed, sv.sent, sent);
    /* trends: the openings by week and category, and each resolution in
     * the week of its resolved_at under the record's category now */
    const itsm_time week0 = T0 - 9 * HOUR;   /* Monday 2026-03-02 00:00 UTC */
    size_t opened = 0, resolved_rows = 0;
    for (size_t i = 0; i < itsm_report_trend_count(rep); i++) {
        itsm_report_trend t = { .size = sizeof t };
        assert_ok(itsm_report_trend_at(rep, i, &t));
        opened += t.opened;
        resolved_rows += t.resolved;
        size_t want_opened = 0, want_resolved = 0;
        for (int j = 0; j < NREC; j++) {
            const char *c = itsm_record_str(r[j], ITSM_F_CATEGORY);
            if (!(c == t.category || (c && t.category && !strcmp(c, t.category))))
                continue;
            want_opened += t.week == week0;
            itsm_time res = itsm_record_int(r[j], ITSM_F_RESOLVED_AT);
            want_resolved += resolved_now(r[j]) && week0 + (res - week0) / (7 * DAY) * (7 * DAY) == t.week;
        }
        if (t.opened != want_opened || t.resolved != want_resolved)
            fail_msg("seed %llu: trend week %lld %s opened %zu/%zu resolved %zu/%zu", (unsigned long long)seed,
                     (long long)t.week, t.category ? t.category : "-", t.opened, want_opened, t.resolved, want_resolved);
    }
    assert_int_equal(opened, NREC);
    assert_int_equal(resolved_rows, resolved);
    /* the process figures, from the stored history: every functional
     * escalation (each raises the level), the records pushed, those
     * completed (resolved or closed) and of them the ones that stayed at
     * the first line, and every move from one group to another */
    size_t escalations = 0, escalated = 0, completed = 0, first_line = 0, moves = 0;
    for (int i = 0; i < NREC; i++) {
        char needle[40];
        snprintf(needle, sizeof needle, "\"record\":\"%s\"", itsm_record_id(r[i]));
        size_t mine = 0;
        char group[32] = "";
        for (size_t e = 0; e < f->store.n; e++) {
            const char *ev = f->store.events[e];
            if (!strstr(ev, needle))
                continue;
            mine += strstr(ev, "\"type\":\"functional_escalation\"") != NULL;
            const char *g = strstr(ev, "\"assignment_group\":\"");
            if (g) {
                g += 20;
                size_t len = (size_t)(strchr(g, '"') - g);
                if (group[0] && (strlen(group) != len || strncmp(group, g, len)))
                    moves++;
                memcpy(group, g, len);
                group[len] = 0;
            }
        }
        escalations += mine;
        escalated += mine > 0;
        if (resolved_now(r[i]) || !itsm_record_is_open(r[i])) {
            completed++;
            first_line += mine == 0;
        }
    }
    assert_true(itsm_report_process_available(rep));
    itsm_report_process pr = { .size = sizeof pr };
    assert_ok(itsm_report_process_of(&pr, rep));
    if (pr.functional_escalations != escalations || pr.escalated_records != escalated || pr.completed != completed ||
        pr.stayed_first_line != first_line || pr.group_changes != moves)
        fail_msg("seed %llu: process escalations %zu/%zu escalated %zu/%zu completed %zu/%zu first line %zu/%zu moves %zu/%zu",
                 (unsigned long long)seed, pr.functional_escalations, escalations, pr.escalated_records, escalated,
                 pr.completed, completed, pr.stayed_first_line, first_line, pr.group_changes, moves);
    itsm_report_free(rep);
}

/* "YYYY-MM-DDTHH:MM:SSZ" of member `key` in a stored event, as seconds. */
static itsm_time member_time(const char *ev, const char *key)
{
    char needle[32];
    snprintf(needle, sizeof needle, "\"%s\":\"", key);
    const char *p = strstr(ev, needle);
    int y, mo, d, h, mi, s;
    if (!p || sscanf(p + strlen(needle), "%d-%d-%dT%d:%d:%dZ", &y, &mo, &d, &h, &mi, &s) != 6)
        return ITSM_TIME_NONE;
    /* days from civil (proleptic Gregorian) */
    y -= mo <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400, yoe = y - era * 400;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + (153 * (mo + (mo > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    return (era * 146097 + doe - 719468) * DAY + h * HOUR + mi * MIN + s;
}

static int same_record(const char *a, const char *b)
{
    const char *ra = strstr(a, "\"record\":\""), *rb = strstr(b, "\"record\":\"");
    return ra && rb && strncmp(ra, rb, 22) == 0;
}

/* Every auto_close and auto_close_blocked in the store comes with no step
 * between the record's last resolution and it, dated at that resolution
 * plus 3 days - or at the record's last event, when the host changed it
 * after the window ended and before the tick (the tick dates an event no
 * earlier than the record's last one). Once blocked, the timer tries again
 * only after a change of the record (the checklist completed closes it),
 * dated at that change. */
static size_t timer_closes, timer_blocks;   /* over every walk: the checks are not vacuous */

static void assert_the_timer_closes_at_the_end_of_the_window(const memstore *s, uint64_t seed)
{
    for (size_t i = 0; i < s->n; i++) {
        const char *ev = s->events[i];
        int closes = strstr(ev, "\"event\":\"auto_close\"") != NULL;
        int blocked = strstr(ev, "\"type\":\"auto_close_blocked\"") != NULL;
        if (!closes && !blocked)
            continue;
        timer_closes += (size_t)closes;
        timer_blocks += (size_t)blocked;
        const char *resolved = NULL;
        size_t blocks = 0;
        itsm_time last = ITSM_TIME_NONE;
        for (size_t j = i; j-- > 0;) {
            if (!same_record(s->events[j], ev))
                continue;
            if (last == ITSM_TIME_NONE)
                last = member_time(s->events[j], "at");
            if (strstr(s->events[j], "\"type\":\"auto_close_blocked\""))
                blocks++;
            if (strstr(s->events[j], "\"to\":\"resolved\"")) {
                resolved = s->events[j];
                break;
            }
            if (strstr(s->events[j], "\"type\":\"transition\""))
                fail_msg("seed %llu: a step between the resolution and the timer:\n%s\n%s", (unsigned long long)seed,
                         s->events[j], ev);
        }
        if (!resolved)
            fail_msg("seed %llu: the timer closes a record never resolved: %s", (unsigned long long)seed, ev);
        itsm_time end = member_time(resolved, "at") + 3 * DAY, at = member_time(ev, "at");
        if (blocks) {
            /* blocked before: tried again only after a change of the record, at it */
            if (at < end || at != last)
                fail_msg("seed %llu: the timer tried again at %lld, not at a change (%lld): %s", (unsigned long long)seed,
                         (long long)at, (long long)last, ev);
            if (at < end)
                fail_msg("seed %llu: closed before the window ended: %s", (unsigned long long)seed, ev);
            continue;
        }
        if (at != (last > end ? last : end))
            fail_msg("seed %llu: the timer fired at %lld, the window ended at %lld (last event %lld): %s",
                     (unsigned long long)seed, (long long)at, (long long)end, (long long)last, ev);
    }
}

/* Seed 003: "chase up the slow ones". The aging lists are the records'
 * own getters in order: by age every open record, oldest first (ties by
 * id); by breach every record whose resolution clock runs, is paused or
 * breached, least time left first, with the timer's remaining time. */
static void assert_aging_lists_match_the_records(fixture *f, itsm_record *const *r, itsm_time now, uint64_t seed)
{
    itsm_aging_entry out[NREC + 1];
    out[0].size = sizeof out[0];
    size_t n = 0, open = 0, clocks = 0;
    for (int i = 0; i < NREC; i++) {
        open += (size_t)itsm_record_is_open(r[i]);
        itsm_timer_info t = timer(r[i], ITSM_TIMER_RESOLUTION, now);
        clocks += t.status == ITSM_TIMER_RUNNING || t.status == ITSM_TIMER_PAUSED ||
                  (t.breached && t.status != ITSM_TIMER_STOPPED);
    }
    assert_ok(itsm_engine_aging(out, NREC + 1, &n, f->eng, ITSM_AGING_BY_AGE, now));
    if (n != open)
        fail_msg("seed %llu: %zu records by age, %zu open", (unsigned long long)seed, n, open);
    for (size_t i = 0; i < n; i++) {
        assert_true(itsm_record_is_open(out[i].rec));
        assert_int_equal(out[i].age, now - itsm_record_int(out[i].rec, ITSM_F_OPENED_AT));
        if (i && (out[i].age > out[i - 1].age ||
                  (out[i].age == out[i - 1].age && strcmp(itsm_record_id(out[i - 1].rec), itsm_record_id(out[i].rec)) > 0)))
            fail_msg("seed %llu: by age out of order at %zu", (unsigned long long)seed, i);
    }
    assert_ok(itsm_engine_aging(out, NREC + 1, &n, f->eng, ITSM_AGING_BY_BREACH, now));
    if (n != clocks)
        fail_msg("seed %llu: %zu records by breach, %zu clocks running, paused or breached", (unsigned long long)seed, n, clocks);
    for (size_t i = 0; i < n; i++) {
        itsm_timer_info t = timer(out[i].rec, ITSM_TIMER_RESOLUTION, now);
        if (out[i].time_left != t.remaining)
            fail_msg("seed %llu: %s has %lld left by breach, its timer %lld", (unsigned long long)seed,
                     itsm_record_id(out[i].rec), (long long)out[i].time_left, (long long)t.remaining);
        if (i && out[i].time_left < out[i - 1].time_left)
            fail_msg("seed %llu: by breach out of order at %zu", (unsigned long long)seed, i);
    }
}

static void closure_and_the_report_agree_with_the_records_in_any_order(void **state)
{
    (void)state;
    static const char *const groups[3] = { "Desk", "Network", "Vendor" };
    for (uint64_t seed = 1; seed <= 120; seed++) {
        walk_rng rng = { seed * 0x2545f4914f6cdd1dull };
        fixture f;
        fixture_open(&f);
        itsm_record *r[NREC];
        for (int i = 0; i < NREC; i++)
            r[i] = open_inc(&f, 1 + (int)(next_u32(&rng) % 3), 1 + (int)(next_u32(&rng) % 3), i % 2 ? "Mail" : "Web");
        itsm_time now = T0;
        for (int step = 0; step < 120; step++) {
            now += (itsm_time)(next_u32(&rng) % (10 * HOUR));
            f.clock.now = now;
            itsm_record *x = r[next_u32(&rng) % NREC];
            int op = (int)(next_u32(&rng) % 11);
            if (!itsm_record_is_open(x))
                op = 10;
            switch (op) {
            case 0: {
                itsm_change c[2] = { { ITSM_F_ASSIGNMENT_GROUP, groups[next_u32(&rng) % 2], 0 }, { ITSM_F_ASSIGNEE, "ann", 0 } };
                itsm_record_fire(x, next_u32(&rng) % 3 ? "start" : "reopen", c, 2);
                break;
            }
            case 1: {
                itsm_change c = { ITSM_F_HOLD_REASON, next_u32(&rng) % 2 ? "awaiting_customer" : "awaiting_supplier", 0 };
                itsm_record_fire(x, next_u32(&rng) % 2 ? "hold" : "resume", &c, next_u32(&rng) % 2);
                break;
            }
            case 2:
                itsm_record_escalate(x, 0, groups[1 + next_u32(&rng) % 2], "restarted the relay, no change");
                break;
            case 3:
                itsm_record_set_str(x, ITSM_F_ASSIGNMENT_GROUP, groups[next_u32(&rng) % 3]);
                break;
            case 4: {
                itsm_change c[2] = { { ITSM_F_IMPACT, NULL, 1 + (int)(next_u32(&rng) % 3) },
                                     { ITSM_F_URGENCY, NULL, 1 + (int)(next_u32(&rng) % 3) } };
                itsm_record_update(x, c, 2);
                break;
            }
            case 5:
            case 6: {
                /* the checklist complete, or without its category */
                itsm_change c[4] = { { ITSM_F_RESOLUTION_CODE, "fixed", 0 }, { ITSM_F_RESOLUTION_NOTES, "restarted", 0 },
                                     { ITSM_F_KNOWLEDGE_DECISION, "not_needed", 0 }, { ITSM_F_CATEGORY, "mail", 0 } };
                itsm_record_fire(x, "resolve", c, op == 5 ? 4 : 3);
                break;
            }
            case 7:
                itsm_record_fire(x, next_u32(&rng) % 2 ? "confirm" : "reopen", NULL, 0);
                break;
            case 8:
                itsm_record_set_str(x, ITSM_F_CATEGORY, "mail");
                break;
            case 9:
                if (next_u32(&rng) % 5 == 0)
                    itsm_record_fire(x, "cancel", NULL, 0);
                break;
            default:
                sla_tick(&f, now);
                break;
            }
        }
        sla_tick(&f, now);
        assert_the_timer_closes_at_the_end_of_the_window(&f.store, seed);
        assert_report_matches_the_records(&f, r, now, seed);
        assert_aging_lists_match_the_records(&f, r, now, seed);
        assert_replay_same(&f, NULL, now);
        fixture_close(&f);
    }
    assert_true(timer_closes > 10 && timer_blocks > 10);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(closure_and_the_report_agree_with_the_records_in_any_order),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
