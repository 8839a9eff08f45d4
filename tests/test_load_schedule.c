/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Loading a whole store (itsm_engine_load into an empty engine) plans each
 * record's service-level timers once, at the end of the load, instead of
 * after every event. The engine it leaves is the one an event-by-event
 * replay of the same store leaves: every record, every timer with its due
 * time, the aging lists, the next deadline - and the deadline queue
 * itself, which the tick then fires in the same order with the same
 * events - under the default policy and under one with an SLA chosen by
 * rule, an OLA and an agreement that pauses, stops and resets.
 */
#include "sla/sla_support.h"

/* A deterministic mix of what moves the timers: priorities, services,
 * holds (pausing and not), resumes, customer updates with a promised next
 * update, majors, resolutions, cancels and reopens, with ticks between
 * (warnings, breaches, missed updates, auto-close). */
static uint32_t rnd(uint32_t *s)
{
    *s = *s * 1664525u + 1013904223u;
    return *s >> 8;
}

static void act(fixture *f, itsm_record *r, uint32_t *seed)
{
    switch (rnd(seed) % 10) {
    case 0:
    case 1: {
        itsm_change c[2] = { { ITSM_F_ASSIGNMENT_GROUP, rnd(seed) % 2 ? "Desk" : "Network", 0 },
                             { ITSM_F_ASSIGNEE, "ann", 0 } };
        (void)itsm_record_fire(r, rnd(seed) % 3 ? "start" : "resume", c, 2);
        break;
    }
    case 2: {
        itsm_change c = { ITSM_F_HOLD_REASON, rnd(seed) % 3 ? "awaiting_customer" : "awaiting_vendor", 0 };
        (void)itsm_record_fire(r, "hold", &c, 1);
        break;
    }
    case 3: {
        itsm_note_opts o = ITSM_NOTE_OPTS_INIT;
        o.kind = ITSM_NOTE_CUSTOMER;
        o.text = "looked at the logs";
        o.expected_restoration = f->clock.now + 4 * HOUR;
        o.next_update = f->clock.now + (itsm_time)(30 * MIN + rnd(seed) % (3 * HOUR));
        (void)itsm_record_add_note(r, &o);
        break;
    }
    case 4: {
        itsm_change c = { ITSM_F_IMPACT, NULL, 1 + (int64_t)(rnd(seed) % 3) };
        (void)itsm_record_update(r, &c, 1);
        break;
    }
    case 5: {
        itsm_change c[5] = { { ITSM_F_RESOLUTION_CODE, "fixed", 0 }, { ITSM_F_RESOLUTION_NOTES, "restarted", 0 },
                             { ITSM_F_CATEGORY, "mail", 0 }, { ITSM_F_KNOWLEDGE_DECISION, "not_needed", 0 },
                             { ITSM_F_ASSIGNEE, "ann", 0 } };
        (void)itsm_record_fire(r, "resolve", c, 5);
        break;
    }
    case 6:
        (void)itsm_record_fire(r, rnd(seed) % 4 ? "reopen" : "cancel", NULL, 0);
        break;
    case 7: {
        itsm_change c = { ITSM_F_MAJOR, NULL, 1 };
        if (rnd(seed) % 4 == 0)
            (void)itsm_record_update(r, &c, 1);
        break;
    }
    default: {
        itsm_change c = { ITSM_F_SERVICE, rnd(seed) % 2 ? "mail" : "vpn", 0 };
        (void)itsm_record_update(r, &c, 1);
        break;
    }
    }
}

/* A store of `nrecs` incidents and `steps` steps over some days. */
static void make_store(fixture *f, size_t nrecs, size_t steps, uint32_t seed)
{
    itsm_record **recs = calloc(nrecs, sizeof *recs);
    size_t n = 0;
    for (size_t i = 0; i < steps; i++) {
        f->clock.now += (itsm_time)(rnd(&seed) % (40 * MIN));
        if (n < nrecs && (n == 0 || rnd(&seed) % 3 == 0)) {
            recs[n++] = open_inc(f, 1 + (int)(rnd(&seed) % 3), 1 + (int)(rnd(&seed) % 3),
                                 rnd(&seed) % 2 ? "mail" : NULL);
            continue;
        }
        if (rnd(&seed) % 7 == 0) {
            size_t fired;
            assert_ok(itsm_engine_tick(f->eng, f->clock.now, &fired));
            continue;
        }
        act(f, recs[rnd(&seed) % n], &seed);
    }
    free(recs);
}

static char *dup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    assert_non_null(d);
    return memcpy(d, s, n);
}

static void copy_store(memstore *to, const memstore *from)
{
    memstore_init(to);
    to->events = calloc(from->n + 1, sizeof *to->events);
    for (size_t i = 0; i < from->n; i++)
        to->events[i] = dup(from->events[i]);
    to->n = to->cap = from->n;
    to->policies = calloc(from->npolicies + 1, sizeof *to->policies);
    to->policy_at = calloc(from->npolicies + 1, sizeof *to->policy_at);
    for (size_t i = 0; i < from->npolicies; i++) {
        to->policies[i] = dup(from->policies[i]);
        to->policy_at[i] = from->policy_at[i];
    }
    to->npolicies = to->cpolicies = from->npolicies;
    to->policies_inline = from->policies_inline;
    to->check_revisions = 0;   /* its revision map is the original's: the engines check revisions */
}

/* What the aging query lists, in order. */
static char *aging_dump(itsm_engine *eng, itsm_time now)
{
    size_t cap = 1 << 16, len = 0;
    char *b = malloc(cap);
    b[0] = 0;
    itsm_aging_entry out[512];
    out[0].size = sizeof out[0];
    for (int order = ITSM_AGING_BY_AGE; order <= ITSM_AGING_BY_BREACH; order++) {
        size_t n = 0;
        assert_ok(itsm_engine_aging(out, 512, &n, eng, (itsm_aging_order)order, now));
        for (size_t i = 0; i < n; i++) {
            if (len + 128 > cap)
                b = realloc(b, cap *= 2);
            len += (size_t)snprintf(b + len, cap - len, "%d %s age=%lld left=%lld\n", order,
                                    itsm_record_id(out[i].rec), (long long)out[i].age, (long long)out[i].time_left);
        }
    }
    return b;
}

static void assert_same_engines(itsm_engine *a, itsm_engine *b, itsm_time now)
{
    char *x = engine_dump(a), *y = engine_dump(b);
    assert_string_equal(x, y);
    free(x), free(y);
    x = agreement_dump(a, now), y = agreement_dump(b, now);
    assert_string_equal(x, y);
    free(x), free(y);
    for (itsm_time t = now; t <= now + 3 * DAY; t += 7 * HOUR + 13 * MIN) {
        x = timer_dump(a, t), y = timer_dump(b, t);
        assert_string_equal(x, y);
        free(x), free(y);
        x = aging_dump(a, t), y = aging_dump(b, t);
        assert_string_equal(x, y);
        free(x), free(y);
    }
    assert_int_equal(itsm_engine_next_deadline(a), itsm_engine_next_deadline(b));
}

/* The default policy with what else moves the timers: an SLA of short
 * targets chosen by rule (service vpn), so clocks breach within the
 * stored history; an OLA for the Network group; and an agreement on
 * P1-P2 incidents that starts at assignment, pauses while awaiting the
 * customer, stops at resolve and resets on reopen. */
static itsm_policy *policy_with_rules_and_agreement(void)
{
    itsm_policy *p;
    assert_ok(itsm_policy_new_default(&p, NULL));
    itsm_sla_def fast = ITSM_SLA_DEF_INIT;
    fast.name = "fast";
    for (int i = 0; i < 5; i++) {
        fast.response[i] = (uint32_t)(10 * MIN);
        fast.resolution[i] = (uint32_t)(2 * HOUR);
    }
    assert_ok(itsm_policy_set_sla(p, &fast));
    assert_ok(itsm_policy_add_sla_rule(p, "service == 'vpn'", "fast"));
    assert_ok(itsm_policy_set_ola(p, "Network", (uint32_t)(3 * HOUR), NULL));
    static const itsm_agreement_target targets[] = { { 1, 4 * HOUR, NULL }, { 2, 8 * HOUR, NULL } };
    itsm_agreement_def d = ITSM_AGREEMENT_DEF_INIT;
    d.name = "gold";
    d.applies = "kind == 'incident' and priority <= 2";
    d.start = "assignment_group != null";
    d.pause = "hold_reason == 'awaiting_customer'";
    d.stop = "state == 'resolved'";
    d.reset = "event == 'reopen'";
    d.targets = targets;
    d.ntargets = 2;
    itsm_parse_error err;
    if (itsm_policy_set_agreement(p, &d, &err) != ITSM_OK)
        fail_msg("gold: %s", itsm_policy_errmsg(p));
    return p;
}

static void a_loaded_store_is_the_event_by_event_replay_and_ticks_the_same(const itsm_policy *policy, uint32_t seed,
                                                                           size_t nrecs, size_t steps)
{
    fixture f;
    fixture_open_policy(&f, policy);
    make_store(&f, nrecs, steps, seed);
    /* the stored history holds what the load must not plan differently */
    assert_true(count_events(&f.store, "sla_breach") > 0);
    if (policy && itsm_policy_agreement_count(policy))
        assert_true(count_events(&f.store, "agreement_breach") > 0);
    itsm_time now = f.clock.now;
    memstore sa, sb;
    copy_store(&sa, &f.store);
    copy_store(&sb, &f.store);
    vclock ca = { now }, cb = { now };
    itsm_engine *loaded = engine_over(&sa, &ca, policy);
    itsm_engine *replayed = engine_over(&sb, &cb, policy);
    assert_ok(itsm_engine_load(loaded));
    replay_store_into(replayed, &sb);   /* one itsm_engine_replay_json per event: no load */
    assert_same_engines(loaded, replayed, now);
    assert_same_engines(loaded, f.eng, now);
    /* the deadline queue: the same timers fire in the same order */
    size_t a0 = sa.n, b0 = sb.n;
    for (itsm_time t = now; t <= now + 12 * DAY; t += 3 * HOUR + 17 * MIN) {
        size_t fa = 0, fb = 0;
        ca.now = cb.now = t;
        assert_ok(itsm_engine_tick(loaded, t, &fa));
        assert_ok(itsm_engine_tick(replayed, t, &fb));
        assert_int_equal(fa, fb);
    }
    assert_true(sa.n > a0);
    assert_same_new_events(&sa, a0, &sb, b0);
    assert_same_engines(loaded, replayed, now + 12 * DAY);
    itsm_engine_free(loaded);
    itsm_engine_free(replayed);
    memstore_free(&sa);
    memstore_free(&sb);
    fixture_close(&f);
}

static void a_loaded_store_plans_every_timer_as_an_event_by_event_replay(void **state)
{
    (void)state;
    a_loaded_store_is_the_event_by_event_replay_and_ticks_the_same(NULL, 1, 40, 400);
    a_loaded_store_is_the_event_by_event_replay_and_ticks_the_same(NULL, 7, 120, 1500);
    a_loaded_store_is_the_event_by_event_replay_and_ticks_the_same(NULL, 2026, 300, 3000);
}

static void a_loaded_store_with_sla_rules_olas_and_agreements_is_the_event_by_event_replay(void **state)
{
    (void)state;
    itsm_policy *p = policy_with_rules_and_agreement();
    a_loaded_store_is_the_event_by_event_replay_and_ticks_the_same(p, 3, 40, 400);
    a_loaded_store_is_the_event_by_event_replay_and_ticks_the_same(p, 11, 120, 1500);
    a_loaded_store_is_the_event_by_event_replay_and_ticks_the_same(p, 2027, 300, 3000);
    itsm_policy_free(p);
}

/* A load that fails half-way (the store's scan fails) still leaves each
 * record it loaded with its timers planned, as an event-by-event replay
 * of the same events would. */
static int refuse(void *user, const itsm_event *const *evs, size_t n)
{
    (void)user, (void)evs, (void)n;
    return ITSM_ESTORE;
}

static int failing_scan_n;
static memstore *failing_scan_store;
static int failing_scan(void *user, itsm_store_emit_fn emit, void *ctx)
{
    (void)user;
    const memstore *s = failing_scan_store;
    for (size_t i = 0; i < s->n; i++) {
        if ((int)i == failing_scan_n)
            return ITSM_ESTORE;
        int rc = emit(ctx, s->events[i], strlen(s->events[i]));
        if (rc)
            return rc;
    }
    return ITSM_OK;
}

static void load_cut_short_is_the_replay_of_what_it_loaded(const itsm_policy *policy, uint32_t seed)
{
    fixture f;
    fixture_open_policy(&f, policy);
    make_store(&f, 30, 300, seed);
    failing_scan_store = &f.store;
    failing_scan_n = (int)(f.store.n / 2);
    static const itsm_store failing = { ITSM_STORE_VERSION, refuse, failing_scan, NULL, NULL, NULL };
    itsm_engine_opts o = ITSM_ENGINE_OPTS_INIT;
    o.store = &failing;
    o.policy = policy;
    itsm_engine *loaded, *replayed;
    assert_ok(itsm_engine_new(&loaded, &o));
    assert_int_equal(itsm_engine_load(loaded), ITSM_ESTORE);
    itsm_engine_opts ro = ITSM_ENGINE_OPTS_INIT;
    ro.policy = policy;
    assert_ok(itsm_engine_new(&replayed, &ro));
    for (int i = 0; i < failing_scan_n; i++)
        assert_ok(itsm_engine_replay_json(replayed, f.store.events[i], strlen(f.store.events[i]), NULL));
    assert_true(itsm_engine_record_count(loaded) > 0);
    assert_same_engines(loaded, replayed, f.clock.now);
    itsm_engine_free(loaded);
    itsm_engine_free(replayed);
    fixture_close(&f);
}

static void a_load_cut_short_by_the_store_still_plans_what_it_loaded(void **state)
{
    (void)state;
    load_cut_short_is_the_replay_of_what_it_loaded(NULL, 99);
    itsm_policy *p = policy_with_rules_and_agreement();
    load_cut_short_is_the_replay_of_what_it_loaded(p, 100);
    itsm_policy_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_loaded_store_plans_every_timer_as_an_event_by_event_replay),
        cmocka_unit_test(a_loaded_store_with_sla_rules_olas_and_agreements_is_the_event_by_event_replay),
        cmocka_unit_test(a_load_cut_short_by_the_store_still_plans_what_it_loaded),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
