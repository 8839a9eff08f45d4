/* SPDX-License-Identifier: Apache-2.0 */
/* The customer's updates under random but legal orders (seed 002: "keep
 * incidents from falling into a black hole"; DESIGN 6). Incidents on
 * three services, every priority, are taken up, held and resumed,
 * reassigned, re-prioritised, given customer updates and outage notices,
 * resolved, reopened, confirmed and canceled at random times, with ticks
 * between. Whatever the order:
 *   - a missed update fires after its due time, once per due time, never
 *     on a restored or closed record and never when a customer update
 *     answered it in time;
 *   - a tick is done at once: the same tick again fires nothing, and the
 *     next deadline is after it;
 *   - no incident in work goes more than three days and a working day
 *     past its last customer contact (response, update, notice, reopening
 *     or priority change) without an update_overdue or a next-update
 *     timer that reads overdue;
 *   - a replay of the store rebuilds every record and timer.
 * Black-box: the public API and the stored events. */
#include "sla/sla_support.h"

typedef struct { uint64_t s; } walk_rng;
static uint32_t next_u32(walk_rng *r)
{
    r->s ^= r->s << 13;
    r->s ^= r->s >> 7;
    r->s ^= r->s << 17;
    return (uint32_t)(r->s >> 11);
}

/* "YYYY-MM-DDTHH:MM:SSZ" of member `key` in a stored event, as seconds. */
static itsm_time member_time(const char *ev, const char *key)
{
    char needle[32];
    snprintf(needle, sizeof needle, "\"%s\":\"", key);
    const char *p = strstr(ev, needle);
    if (!p)
        return ITSM_TIME_NONE;
    int y, mo, d, h, mi, s;
    if (sscanf(p + strlen(needle), "%d-%d-%dT%d:%d:%dZ", &y, &mo, &d, &h, &mi, &s) != 6)
        return ITSM_TIME_NONE;
    /* days from civil (proleptic Gregorian), as the library's own dates */
    y -= mo <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (mo + (mo > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return (era * 146097 + doe - 719468) * DAY + h * HOUR + mi * MIN + s;
}

/* The record a stored event is about, as an index into `ids` (added when new). */
static int record_slot(char ids[][16], const char *ev)
{
    const char *p = strstr(ev, "\"record\":\"");
    if (!p)
        return -1;
    p += 10;
    size_t len = (size_t)(strchr(p, '"') - p);
    int k = 0;
    for (; k < 8 && ids[k][0]; k++)
        if (strlen(ids[k]) == len && strncmp(ids[k], p, len) == 0)
            return k;
    assert_true(k < 8 && len < 16);
    memcpy(ids[k], p, len);
    ids[k][len] = 0;
    return k;
}

/* Every update_overdue in the store against the record's state and last
 * customer update at that point of the store. */
static void assert_overdue_events_are_owed(const memstore *s, uint64_t seed)
{
    char ids[8][16] = { { 0 } }, states[8][24] = { { 0 } };
    itsm_time last_update[8];
    for (int k = 0; k < 8; k++)
        last_update[k] = ITSM_TIME_NONE;
    for (size_t i = 0; i < s->n; i++) {
        const char *ev = s->events[i];
        int k = record_slot(ids, ev);
        if (k < 0)
            continue;
        if (strstr(ev, "\"type\":\"transition\"")) {
            const char *to = strstr(ev, "\"to\":\"") + 6;
            size_t len = (size_t)(strchr(to, '"') - to);
            memcpy(states[k], to, len);
            states[k][len] = 0;
        } else if (strstr(ev, "\"type\":\"note\"") && strstr(ev, "\"kind\":\"customer\"")) {
            last_update[k] = member_time(ev, "at");
        } else if (strstr(ev, "\"type\":\"update_overdue\"")) {
            itsm_time at = member_time(ev, "at"), due = member_time(ev, "due");
            if (!(at > due))
                fail_msg("seed %llu: missed update dated at or before its due time: %s", (unsigned long long)seed, ev);
            if (!strcmp(states[k], "resolved") || !strcmp(states[k], "closed") || !strcmp(states[k], "canceled"))
                fail_msg("seed %llu: missed update on a %s record: %s", (unsigned long long)seed, states[k], ev);
            if (last_update[k] != ITSM_TIME_NONE && last_update[k] >= due)
                fail_msg("seed %llu: missed update answered in time (customer update at %lld): %s",
                         (unsigned long long)seed, (long long)last_update[k], ev);
            for (size_t j = i + 1; j < s->n; j++)
                if (strstr(s->events[j], "\"type\":\"update_overdue\"") && record_slot(ids, s->events[j]) == k &&
                    member_time(s->events[j], "due") == due)
                    fail_msg("seed %llu: two missed updates for one due time:\n%s\n%s", (unsigned long long)seed, ev,
                             s->events[j]);
        }
    }
}

/* Whether `rec` got an update_overdue dated after `since`. */
static int overdue_since(const memstore *s, const itsm_record *rec, itsm_time since)
{
    char needle[40];
    snprintf(needle, sizeof needle, "\"record\":\"%s\"", itsm_record_id(rec));
    for (size_t i = 0; i < s->n; i++)
        if (strstr(s->events[i], "\"type\":\"update_overdue\"") && strstr(s->events[i], needle) &&
            member_time(s->events[i], "at") > since)
            return 1;
    return 0;
}

static void customer_updates_stay_owed_and_reported_once_in_any_order(void **state)
{
    (void)state;
    static const char *const services[4] = { "Mail", "Mail", "Web", "VPN" };
    static const char *const groups[2] = { "Desk", "Network" };
    for (uint64_t seed = 1; seed <= 150; seed++) {
        walk_rng rng = { seed * 0x9e3779b97f4a7c15ull };
        fixture f;
        fixture_open(&f);
        itsm_record *r[4];
        itsm_time contact[4];   /* last customer contact; NONE before the first response */
        for (int i = 0; i < 4; i++) {
            r[i] = open_inc(&f, 1 + (int)(next_u32(&rng) % 3), 1 + (int)(next_u32(&rng) % 3), services[i]);
            contact[i] = ITSM_TIME_NONE;
        }
        itsm_time now = T0;
        for (int step = 0; step < 160; step++) {
            now += (itsm_time)(next_u32(&rng) % (3 * HOUR));
            f.clock.now = now;
            int k = (int)(next_u32(&rng) % 4);
            itsm_record *x = r[k];
            int op = (int)(next_u32(&rng) % 12), ok = 0;
            if (!itsm_record_is_open(x))
                op = 11;
            switch (op) {
            case 0: {
                itsm_change c[2] = { { ITSM_F_ASSIGNMENT_GROUP, groups[next_u32(&rng) % 2], 0 }, { ITSM_F_ASSIGNEE, "ann", 0 } };
                if (itsm_record_fire(x, "start", c, 2) == ITSM_OK && contact[k] == ITSM_TIME_NONE)
                    contact[k] = now;
                break;
            }
            case 1: {
                itsm_change c = { ITSM_F_HOLD_REASON, next_u32(&rng) % 2 ? "awaiting_customer" : "awaiting_supplier", 0 };
                itsm_record_fire(x, "hold", &c, 1);
                break;
            }
            case 2:
                itsm_record_fire(x, "resume", NULL, 0);
                break;
            case 3: {
                itsm_change c[4] = { { ITSM_F_RESOLUTION_CODE, "fixed", 0 }, { ITSM_F_RESOLUTION_NOTES, "restarted", 0 },
                                     { ITSM_F_CATEGORY, "mail", 0 }, { ITSM_F_KNOWLEDGE_DECISION, "not_needed", 0 } };
                itsm_record_fire(x, "resolve", c, 4);
                break;
            }
            case 4:
                ok = itsm_record_fire(x, "reopen", NULL, 0) == ITSM_OK;
                break;
            case 5: {
                /* an expected restoration may be behind, ahead of or after the next update */
                itsm_time eta = now + (itsm_time)(next_u32(&rng) % (4 * HOUR)) - HOUR;
                ok = sla_customer_update(x, "status", eta, now + 1 + (itsm_time)(next_u32(&rng) % (3 * HOUR))) == ITSM_OK;
                break;
            }
            case 6: {
                itsm_change c[2] = { { ITSM_F_IMPACT, NULL, 1 + (int)(next_u32(&rng) % 3) },
                                     { ITSM_F_URGENCY, NULL, 1 + (int)(next_u32(&rng) % 3) } };
                ok = itsm_record_update(x, c, 2) == ITSM_OK && contact[k] != ITSM_TIME_NONE;
                break;
            }
            case 7:
                ok = itsm_outage_declare(x, now + (itsm_time)(next_u32(&rng) % (4 * HOUR)),
                                         now + 1 + (itsm_time)(next_u32(&rng) % (2 * HOUR))) == ITSM_OK;
                break;
            case 8:
                itsm_record_set_str(x, ITSM_F_ASSIGNMENT_GROUP, groups[next_u32(&rng) % 2]);
                break;
            case 9:
                if (next_u32(&rng) % 4 == 0)
                    itsm_record_fire(x, "cancel", NULL, 0);
                break;
            case 10:
                itsm_record_fire(x, "confirm", NULL, 0);
                break;
            default: {
                size_t again = 0;
                sla_tick(&f, now);
                assert_ok(itsm_engine_tick(f.eng, now, &again));
                if (again)
                    fail_msg("seed %llu: the same tick fired %zu timers again", (unsigned long long)seed, again);
                itsm_time next = itsm_engine_next_deadline(f.eng);
                if (next != ITSM_TIME_NONE && next <= now)
                    fail_msg("seed %llu: next deadline %lld is not after the tick", (unsigned long long)seed, (long long)next);
                for (int j = 0; j < 4; j++) {
                    if (!itsm_record_is_open(r[j]) || !strcmp(itsm_record_state(r[j]), "resolved") ||
                        contact[j] == ITSM_TIME_NONE || now - contact[j] <= 3 * DAY + 8 * HOUR)
                        continue;
                    itsm_timer_info t = timer(r[j], ITSM_TIMER_NEXT_UPDATE, now);
                    if (!(t.status == ITSM_TIMER_RUNNING && t.remaining < 0) && !overdue_since(&f.store, r[j], contact[j]))
                        fail_msg("seed %llu: %s (%s) owes the customer nothing since %lld", (unsigned long long)seed,
                                 itsm_record_id(r[j]), itsm_record_state(r[j]), (long long)contact[j]);
                }
                break;
            }
            }
            if (ok)
                contact[k] = now;
        }
        assert_overdue_events_are_owed(&f.store, seed);
        assert_replay_same(&f, NULL, now + DAY);
        fixture_close(&f);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(customer_updates_stay_owed_and_reported_once_in_any_order),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
