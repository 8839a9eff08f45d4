/* SPDX-License-Identifier: Apache-2.0 */
/* Two ways to state one rule must agree (DESIGN 4: the resolution clock
 * pauses while awaiting the customer, stops at restoration, resumes with
 * its time on a reopen, and is re-planned with elapsed and paused time
 * carried over when the priority changes). An agreement written to mirror
 * the default SLA's resolution targets - applies to incidents, pauses on
 * awaiting_customer, stops when resolved, the same target and calendar
 * per priority - is driven beside it through random but legal orders of
 * take-up, holds, hold-reason changes, reassignment, priority changes,
 * resolution, reopening, cancel and ticks; after every step both read
 * the same elapsed and paused working time, the same time left, the same
 * due time and the same verdict. Black-box: the public API only. */
#include "sla/sla_support.h"

typedef struct { uint64_t s; } walk_rng;
static uint32_t next_u32(walk_rng *r)
{
    r->s ^= r->s << 13;
    r->s ^= r->s >> 7;
    r->s ^= r->s << 17;
    return (uint32_t)(r->s >> 11);
}

/* The default policy with an agreement stating its SLA's resolution clock. */
static itsm_policy *mirror_policy(void)
{
    itsm_policy *p;
    assert_ok(itsm_policy_new_default(&p, NULL));
    static const uint32_t resolution[5] = { 14400, 28800, 86400, 144000, 288000 };   /* docs/service-levels.md */
    itsm_agreement_target t[5];
    for (int i = 0; i < 5; i++) {
        t[i].priority = i + 1;
        t[i].seconds = resolution[i];
        t[i].calendar = i < 2 ? "24x7" : "business";
    }
    itsm_agreement_def d = ITSM_AGREEMENT_DEF_INIT;
    d.name = "mirror";
    d.applies = "kind == 'incident'";
    d.pause = "hold_reason == 'awaiting_customer'";
    d.stop = "state == 'resolved'";
    d.targets = t;
    d.ntargets = 5;
    assert_ok(itsm_policy_set_agreement(p, &d, NULL));
    return p;
}

static void assert_same_clock(const itsm_record *r, itsm_time now, uint64_t seed)
{
    itsm_timer_info t = timer(r, ITSM_TIMER_RESOLUTION, now);
    itsm_agreement_info a = { .size = sizeof a };
    assert_ok(itsm_record_agreement(&a, r, "mirror", now));
    /* the agreement gives no due time once past its target */
    int due_differs = t.status == ITSM_TIMER_RUNNING && t.remaining > 0 && t.due != a.due;
    if (t.elapsed != a.elapsed || t.paused != a.paused || (t.status != ITSM_TIMER_STOPPED && t.remaining != a.remaining) ||
        due_differs || t.breached != (a.verdict == ITSM_VERDICT_BREACHED))
        fail_msg("seed %llu %s at %lld: SLA status %d elapsed %lld paused %lld left %lld due %lld breached %d; "
                 "agreement status %d elapsed %lld paused %lld left %lld due %lld verdict %d",
                 (unsigned long long)seed, itsm_record_id(r), (long long)(now - T0), t.status, (long long)t.elapsed,
                 (long long)t.paused, (long long)t.remaining, (long long)t.due, t.breached, a.status, (long long)a.elapsed,
                 (long long)a.paused, (long long)a.remaining, (long long)a.due, a.verdict);
}

static void an_agreement_mirroring_the_sla_reads_the_same_clock_in_any_order(void **state)
{
    (void)state;
    itsm_policy *p = mirror_policy();
    static const char *const reasons[2] = { "awaiting_customer", "awaiting_supplier" };
    for (uint64_t seed = 1; seed <= 150; seed++) {
        walk_rng rng = { seed * 0x9e3779b97f4a7c15ull + 3 };
        fixture f;
        fixture_open_policy(&f, p);
        itsm_record *r[3];
        for (int i = 0; i < 3; i++)
            r[i] = open_inc(&f, 1 + (int)(next_u32(&rng) % 3), 1 + (int)(next_u32(&rng) % 3), "Mail");
        itsm_time now = T0;
        for (int step = 0; step < 60; step++) {
            now += (itsm_time)(next_u32(&rng) % (6 * HOUR));
            f.clock.now = now;
            itsm_record *x = r[next_u32(&rng) % 3];
            if (!itsm_record_is_open(x))
                continue;
            itsm_change owner[2] = { { ITSM_F_ASSIGNMENT_GROUP, "Desk", 0 }, { ITSM_F_ASSIGNEE, "ann", 0 } };
            itsm_change reason = { ITSM_F_HOLD_REASON, reasons[next_u32(&rng) % 2], 0 };
            itsm_change fix[2] = { { ITSM_F_RESOLUTION_CODE, "fixed", 0 }, { ITSM_F_RESOLUTION_NOTES, "restarted", 0 } };
            itsm_change prio[2] = { { ITSM_F_IMPACT, NULL, 1 + (int)(next_u32(&rng) % 3) },
                                    { ITSM_F_URGENCY, NULL, 1 + (int)(next_u32(&rng) % 3) } };
            switch (next_u32(&rng) % 10) {
            case 0:
                itsm_record_fire(x, "start", owner, 2);
                break;
            case 1:
                itsm_record_fire(x, "hold", &reason, 1);
                break;
            case 2:
                itsm_record_fire(x, "resume", NULL, 0);
                break;
            case 3:   /* the reason changed while on hold */
                if (!strcmp(itsm_record_state(x), "on_hold"))
                    itsm_record_update(x, &reason, 1);
                break;
            case 4:
                itsm_record_fire(x, "resolve", fix, 2);
                break;
            case 5:
                itsm_record_fire(x, "reopen", NULL, 0);
                break;
            case 6:
                itsm_record_update(x, prio, 2);
                break;
            case 7:
                itsm_record_set_str(x, ITSM_F_ASSIGNMENT_GROUP, next_u32(&rng) % 2 ? "Network" : "Desk");
                break;
            case 8:
                if (next_u32(&rng) % 6 == 0)
                    itsm_record_fire(x, "cancel", NULL, 0);
                break;
            default:
                sla_tick(&f, now);
                break;
            }
            for (int i = 0; i < 3; i++)
                assert_same_clock(r[i], now, seed);
        }
        for (int i = 0; i < 3; i++)
            assert_same_clock(r[i], now + 30 * DAY, seed);
        fixture_close(&f);
    }
    itsm_policy_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(an_agreement_mirroring_the_sla_reads_the_same_clock_in_any_order),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
