/* SPDX-License-Identifier: Apache-2.0 */
/* Agreements and SLA rules follow every change their conditions read: a
 * record keeps each condition's verdict (an agreement's) and the SLA the
 * rules chose until an event changes one of their inputs (a field named -
 * built in, derived or custom -, the state, the event, updated_at). Each
 * test changes one kind of input mid-life and checks the choice is made
 * again; the debug build (ITSM_CHECK_REPLAN) also evaluates every kept
 * verdict and choice again. */
#include "sla/sla_support.h"

/* Each test's world: an engine under its own policy. */
typedef struct world {
    fixture      f;
    itsm_policy *p;
} world;

/* One agreement: its conditions (NULL: none) and one target for every
 * priority. */
typedef struct agreement_spec {
    const char *name;
    const char *applies, *start, *pause, *stop, *reset;
    uint32_t    target;
} agreement_spec;

/* Add the agreement to `p` (NULL: a default policy) and open the world's
 * engine under it. */
static void world_open(world *w, itsm_policy *p, const agreement_spec *a)
{
    if (!p)
        assert_ok(itsm_policy_new_default(&p, NULL));
    if (a) {
        itsm_agreement_target t[] = { { 0, a->target, NULL } };
        itsm_agreement_def d = ITSM_AGREEMENT_DEF_INIT;
        d.name = a->name;
        d.applies = a->applies;
        d.start = a->start;
        d.pause = a->pause;
        d.stop = a->stop;
        d.reset = a->reset;
        d.targets = t;
        d.ntargets = 1;
        itsm_parse_error err;
        if (itsm_policy_set_agreement(p, &d, &err) != ITSM_OK)
            fail_msg("%s: %s", d.name, itsm_policy_errmsg(p));
    }
    w->p = p;
    fixture_open_policy(&w->f, p);
}

static void world_close(world *w)
{
    fixture_close(&w->f);
    itsm_policy_free(w->p);
}

/* Declare the custom enum field "tier" (gold, silver) on `p`. */
static itsm_field add_tier(itsm_policy *p)
{
    static const char *const tiers[] = { "gold", "silver" };
    itsm_field_def fd = ITSM_FIELD_DEF_INIT;
    itsm_field tier;
    fd.name = "tier";
    fd.type = ITSM_TYPE_ENUM;
    fd.values = tiers;
    fd.nvalues = 2;
    assert_ok(itsm_policy_add_field(p, &fd, &tier));
    return tier;
}

static itsm_agreement_info agr(const itsm_record *r, const char *name, itsm_time now)
{
    itsm_agreement_info i = { .size = sizeof i };
    assert_ok(itsm_record_agreement(&i, r, name, now));
    return i;
}

static void set(itsm_record *r, itsm_field f, const char *s, int64_t n)
{
    itsm_change c = { f, s, n };
    assert_ok(itsm_record_update(r, &c, 1));
}

/* The record's agreement history as "step@minutes-after-T0 ..." */
static const char *steps(const itsm_record *r)
{
    static char b[1024];
    size_t len = 0;
    b[0] = 0;
    for (size_t k = 0; k < itsm_record_agreement_steps(r); k++) {
        itsm_agreement_entry e = { .size = sizeof e };
        assert_ok(itsm_record_agreement_step(&e, r, k));
        len += (size_t)snprintf(b + len, sizeof b - len, "%s%s@%lld", k ? " " : "", itsm_agreement_step_name(e.step),
                                (long long)(e.at - T0) / MIN);
    }
    return b;
}

/* Replaying the store gives the same history (verdicts rebuilt from the
 * events alone). */
static void assert_replay_steps(fixture *f, const itsm_policy *p, const itsm_record *r)
{
    char want[1024];
    snprintf(want, sizeof want, "%s", steps(r));
    itsm_engine *e2 = replay_into(&f->store, p);
    itsm_record *q;
    assert_ok(itsm_record_find(&q, e2, itsm_record_id(r)));
    assert_string_equal(steps(q), want);
    itsm_engine_free(e2);
}

static void a_custom_field_change_turns_a_customer_agreement_on_and_off_mid_life(void **state)
{
    (void)state;
    itsm_policy *p;
    assert_ok(itsm_policy_new_default(&p, NULL));
    itsm_field tier = add_tier(p), region;
    itsm_field_def rd = ITSM_FIELD_DEF_INIT;
    rd.name = "region";
    assert_ok(itsm_policy_add_field(p, &rd, &region));
    world w;
    world_open(&w, p,
               &(agreement_spec){ .name = "gold_customer", .applies = "tier == 'gold'",
                                  .stop = "state == 'resolved'", .target = 4 * HOUR });
    itsm_record *r = open_inc(&w.f, 2, 2, "Mail");
    start_work(r);
    assert_string_equal(steps(r), "");
    w.f.clock.now = T0 + 10 * MIN;
    set(r, tier, "gold", 0);
    assert_string_equal(steps(r), "applied@10 started@10");
    /* changes it does not read (another custom field among them) leave it */
    w.f.clock.now = T0 + 20 * MIN;
    set(r, region, "emea", 0);
    set(r, ITSM_F_SUMMARY, "Mail slow", 0);
    assert_string_equal(steps(r), "applied@10 started@10");
    assert_int_equal(agr(r, "gold_customer", T0 + 30 * MIN).elapsed, 20 * MIN);
    w.f.clock.now = T0 + 30 * MIN;
    set(r, tier, "silver", 0);
    assert_string_equal(steps(r), "applied@10 started@10 cancelled@30");
    assert_int_equal(agr(r, "gold_customer", T0 + HOUR).status, ITSM_AGREEMENT_CANCELLED);
    w.f.clock.now = T0 + 40 * MIN;
    set(r, region, "apac", 0);
    set(r, tier, "gold", 0);
    assert_string_equal(steps(r), "applied@10 started@10 cancelled@30 applied@40 started@40");
    itsm_agreement_info a = agr(r, "gold_customer", T0 + HOUR);
    assert_int_equal(a.status, ITSM_AGREEMENT_RUNNING);
    assert_int_equal(a.elapsed, 20 * MIN);   /* a new instance: counted from 40 */
    /* unset: the condition no longer holds */
    w.f.clock.now = T0 + 50 * MIN;
    set(r, tier, NULL, 0);
    assert_string_equal(steps(r), "applied@10 started@10 cancelled@30 applied@40 started@40 cancelled@50");
    assert_replay_steps(&w.f, w.p, r);
    world_close(&w);
}

static void a_state_condition_follows_each_state_change(void **state)
{
    (void)state;
    world w;
    world_open(&w, NULL,
               &(agreement_spec){ .name = "work", .start = "state == 'in_progress'", .pause = "state == 'on_hold'",
                                  .stop = "state in ('resolved')", .target = 8 * HOUR });
    itsm_record *r = open_inc(&w.f, 3, 3, "Mail");
    w.f.clock.now = T0 + 5 * MIN;
    set(r, ITSM_F_SUMMARY, "Mail slow", 0);   /* no state change: nothing */
    assert_string_equal(steps(r), "applied@0");
    w.f.clock.now = T0 + 10 * MIN;
    start_work(r);
    w.f.clock.now = T0 + 20 * MIN;
    hold(r, "awaiting_vendor");
    w.f.clock.now = T0 + 25 * MIN;
    set(r, ITSM_F_DESCRIPTION, "vendor called", 0);   /* still on hold */
    w.f.clock.now = T0 + 30 * MIN;
    assert_ok(itsm_record_fire(r, "resume", NULL, 0));
    w.f.clock.now = T0 + 40 * MIN;
    resolve(r);
    w.f.clock.now = T0 + 50 * MIN;
    assert_ok(itsm_record_fire(r, "reopen", NULL, 0));
    assert_string_equal(steps(r), "applied@0 started@10 paused@20 resumed@30 stopped@40 resumed@50");
    itsm_agreement_info a = agr(r, "work", T0 + HOUR);
    assert_int_equal(a.status, ITSM_AGREEMENT_RUNNING);
    assert_int_equal(a.elapsed, 30 * MIN);   /* 10..20, 30..40, 50..60 */
    assert_int_equal(a.paused, 10 * MIN);
    assert_replay_steps(&w.f, w.p, r);
    world_close(&w);
}

static void a_derived_priority_change_selects_the_agreement_again(void **state)
{
    (void)state;
    world w;
    world_open(&w, NULL,
               &(agreement_spec){ .name = "urgent", .applies = "priority <= 2", .stop = "state == 'resolved'",
                                  .target = 4 * HOUR });
    itsm_record *r = open_inc(&w.f, 1, 1, "Mail");
    assert_string_equal(steps(r), "applied@0 started@0");
    /* the event names urgency only; priority is derived from it */
    w.f.clock.now = T0 + 10 * MIN;
    set(r, ITSM_F_URGENCY, NULL, 3);
    assert_true(itsm_record_int(r, ITSM_F_PRIORITY) > 2);
    assert_string_equal(steps(r), "applied@0 started@0 cancelled@10");
    w.f.clock.now = T0 + 20 * MIN;
    set(r, ITSM_F_URGENCY, NULL, 1);
    assert_string_equal(steps(r), "applied@0 started@0 cancelled@10 applied@20 started@20");
    assert_replay_steps(&w.f, w.p, r);
    world_close(&w);
}

static void a_condition_on_updated_at_sees_every_event(void **state)
{
    (void)state;
    world w;
    world_open(&w, NULL,
               &(agreement_spec){ .name = "stale", .applies = "updated_at >= '2026-03-02T10:00:00Z'", /* T0 + 1 h */
                                  .stop = "state == 'resolved'", .target = 4 * HOUR });
    itsm_record *r = open_inc(&w.f, 3, 3, "Mail");
    w.f.clock.now = T0 + 30 * MIN;
    start_work(r);
    assert_string_equal(steps(r), "");
    /* a transition changing no field the condition names: updated_at moves */
    w.f.clock.now = T0 + 2 * HOUR;
    hold(r, "awaiting_vendor");
    assert_string_equal(steps(r), "applied@120 started@120");
    assert_replay_steps(&w.f, w.p, r);
    world_close(&w);
}

static void a_reset_that_keeps_holding_resets_at_every_event(void **state)
{
    (void)state;
    world w;
    world_open(&w, NULL,
               &(agreement_spec){ .name = "restart", .stop = "state == 'resolved'",
                                  .reset = "hold_reason == 'awaiting_customer'", .target = 4 * HOUR });
    itsm_record *r = open_inc(&w.f, 3, 3, "Mail");
    w.f.clock.now = T0 + 10 * MIN;
    start_work(r);
    w.f.clock.now = T0 + 20 * MIN;
    hold(r, "awaiting_customer");
    /* an event changing nothing the reset reads: it still holds, and
     * resets again (as at every event while it holds) */
    w.f.clock.now = T0 + 30 * MIN;
    set(r, ITSM_F_SUMMARY, "Mail slow", 0);
    assert_string_equal(steps(r), "applied@0 started@0 reset@20 started@20 reset@30 started@30");
    assert_int_equal(agr(r, "restart", T0 + 40 * MIN).elapsed, 10 * MIN);
    assert_replay_steps(&w.f, w.p, r);
    world_close(&w);
}

static void a_state_condition_of_a_service_request_follows_its_lifecycle(void **state)
{
    (void)state;
    world w;
    world_open(&w, NULL,
               &(agreement_spec){ .name = "request", .applies = "kind == 'service_request'",
                                  .pause = "state == 'awaiting_approval' and open",
                                  .stop = "state in ('fulfilled')", .target = 8 * HOUR });
    itsm_change c[] = { { ITSM_F_SUMMARY, "a laptop", 0 }, { ITSM_F_CALLER, "pia", 0 },
                        { ITSM_F_SERVICE, "workplace", 0 } };
    itsm_record_opts o = ITSM_RECORD_OPTS_INIT;
    o.kind = ITSM_KIND_SERVICE_REQUEST;
    o.fields = c;
    o.nfields = 3;
    itsm_record *r = NULL;
    assert_ok(itsm_record_open(&r, w.f.eng, &o));
    itsm_record *inc = open_inc(&w.f, 3, 3, "Mail");   /* not a request: never applies */
    w.f.clock.now = T0 + 10 * MIN;
    assert_ok(itsm_record_fire(r, "submit", NULL, 0));
    set(r, ITSM_F_DESCRIPTION, "a 14-inch one", 0);   /* still awaiting approval */
    w.f.clock.now = T0 + 20 * MIN;
    assert_ok(itsm_record_fire(r, "cancel", NULL, 0));
    /* canceled before its target, its stop never held: owed nothing */
    assert_string_equal(steps(r), "applied@0 started@0 paused@10 cancelled@20");
    itsm_agreement_info a = agr(r, "request", T0 + HOUR);
    assert_int_equal(a.elapsed, 10 * MIN);
    assert_int_equal(a.paused, 10 * MIN);
    assert_string_equal(steps(inc), "");
    assert_replay_steps(&w.f, w.p, r);
    world_close(&w);
}

/* A world whose policy has the field "tier" and SLA "fast" (resolution
 * 1 h at every priority) chosen by `rule`. */
static void rule_world(world *w, const char *rule, itsm_field *tier)
{
    itsm_policy *p;
    assert_ok(itsm_policy_new_default(&p, NULL));
    *tier = add_tier(p);
    itsm_sla_def g = ITSM_SLA_DEF_INIT;
    g.name = "fast";
    for (int i = 0; i < 5; i++) {
        g.response[i] = 600;
        g.resolution[i] = HOUR;
    }
    assert_ok(itsm_policy_set_sla(p, &g));
    assert_ok(itsm_policy_add_sla_rule(p, rule, "fast"));
    world_open(w, p, NULL);
}

static void an_sla_rule_on_a_custom_field_switches_the_sla_mid_life(void **state)
{
    (void)state;
    world w;
    itsm_field tier;
    rule_world(&w, "tier == 'gold' and priority <= 4", &tier);
    itsm_record *r = open_inc(&w.f, 2, 2, "Mail");
    start_work(r);
    assert_string_equal(itsm_record_sla(r), "standard");
    w.f.clock.now = T0 + 10 * MIN;
    set(r, tier, "gold", 0);
    assert_string_equal(itsm_record_sla(r), "fast");
    assert_int_equal(timer(r, ITSM_TIMER_RESOLUTION, T0 + 20 * MIN).target, HOUR);
    set(r, ITSM_F_SUMMARY, "Mail slow", 0);
    assert_string_equal(itsm_record_sla(r), "fast");
    w.f.clock.now = T0 + 20 * MIN;
    set(r, tier, "silver", 0);
    assert_string_equal(itsm_record_sla(r), "standard");
    set(r, tier, "gold", 0);
    assert_string_equal(itsm_record_sla(r), "fast");
    /* a derived priority change: P5 is outside the rule */
    set(r, ITSM_F_IMPACT, NULL, 3);
    set(r, ITSM_F_URGENCY, NULL, 3);
    assert_int_equal(itsm_record_int(r, ITSM_F_PRIORITY), 5);
    assert_string_equal(itsm_record_sla(r), "standard");
    itsm_engine *e2 = replay_into(&w.f.store, w.p);
    itsm_record *q;
    assert_ok(itsm_record_find(&q, e2, itsm_record_id(r)));
    assert_string_equal(itsm_record_sla(q), "standard");
    itsm_engine_free(e2);
    assert_replay_same(&w.f, w.p, T0 + HOUR);
    world_close(&w);
}

/* The SLA a rule chooses counts in its own calendar even where every other
 * SLA of the policy is 24x7 (the clocks' 24x7 shortcut must not apply). */
static void an_sla_rule_choosing_office_hours_counts_only_working_time(void **state)
{
    (void)state;
    itsm_policy *p;
    assert_ok(itsm_policy_new_default(&p, NULL));
    itsm_calendar_def c = ITSM_CALENDAR_DEF_INIT;
    c.name = "office";
    for (int d = 0; d < 5; d++) {
        c.start[d] = 9 * HOUR;
        c.end[d] = 17 * HOUR;
    }
    assert_ok(itsm_policy_set_calendar(p, &c));
    itsm_sla_def all_day = ITSM_SLA_DEF_INIT, office = ITSM_SLA_DEF_INIT;
    all_day.name = "all_day";
    office.name = "office_hours";
    for (int i = 0; i < 5; i++) {
        all_day.response[i] = office.response[i] = 40 * HOUR;
        all_day.resolution[i] = office.resolution[i] = 80 * HOUR;
        office.calendar[i] = "office";
    }
    assert_ok(itsm_policy_set_sla(p, &all_day));
    assert_ok(itsm_policy_set_sla(p, &office));
    assert_ok(itsm_policy_set_default_sla(p, "all_day"));
    assert_ok(itsm_policy_add_sla_rule(p, "service == 'Mail'", "office_hours"));
    fixture f;
    fixture_open_policy(&f, p);
    itsm_record *r = open_inc(&f, 3, 3, "Mail");   /* Monday 09:00 */
    assert_string_equal(itsm_record_sla(r), "office_hours");
    f.clock.now = T0 + DAY;
    set(r, ITSM_F_SUMMARY, "Mail slow", 0);
    assert_int_equal(timer(r, ITSM_TIMER_RESOLUTION, T0 + DAY).elapsed, 8 * HOUR);
    f.clock.now = T0 + 2 * DAY;
    set(r, ITSM_F_DESCRIPTION, "still slow", 0);
    assert_int_equal(timer(r, ITSM_TIMER_RESOLUTION, T0 + 2 * DAY).elapsed, 16 * HOUR);
    assert_replay_same(&f, p, T0 + 2 * DAY);
    fixture_close(&f);
    itsm_policy_free(p);
}

static void an_sla_rule_on_the_state_follows_each_transition(void **state)
{
    (void)state;
    world w;
    itsm_field tier;
    rule_world(&w, "state == 'on_hold'", &tier);
    itsm_record *r = open_inc(&w.f, 3, 3, "Mail");
    start_work(r);
    assert_string_equal(itsm_record_sla(r), "standard");
    w.f.clock.now = T0 + 10 * MIN;
    hold(r, "awaiting_vendor");
    assert_string_equal(itsm_record_sla(r), "fast");
    set(r, ITSM_F_SUMMARY, "Mail slow", 0);
    assert_string_equal(itsm_record_sla(r), "fast");
    w.f.clock.now = T0 + 20 * MIN;
    assert_ok(itsm_record_fire(r, "resume", NULL, 0));
    assert_string_equal(itsm_record_sla(r), "standard");
    assert_replay_same(&w.f, w.p, T0 + HOUR);
    world_close(&w);
}

static void an_sla_rule_on_updated_at_sees_every_event(void **state)
{
    (void)state;
    world w;
    itsm_field tier;
    rule_world(&w, "updated_at >= '2026-03-02T10:00:00Z'", &tier);
    itsm_record *r = open_inc(&w.f, 3, 3, "Mail");
    start_work(r);
    assert_string_equal(itsm_record_sla(r), "standard");
    /* a transition changing no field the rule names: updated_at moves */
    w.f.clock.now = T0 + 2 * HOUR;
    hold(r, "awaiting_vendor");
    assert_string_equal(itsm_record_sla(r), "fast");
    assert_int_equal(timer(r, ITSM_TIMER_RESOLUTION, T0 + 2 * HOUR).target, HOUR);
    assert_replay_same(&w.f, w.p, T0 + 3 * HOUR);
    world_close(&w);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_custom_field_change_turns_a_customer_agreement_on_and_off_mid_life),
        cmocka_unit_test(a_state_condition_follows_each_state_change),
        cmocka_unit_test(a_state_condition_of_a_service_request_follows_its_lifecycle),
        cmocka_unit_test(a_derived_priority_change_selects_the_agreement_again),
        cmocka_unit_test(a_condition_on_updated_at_sees_every_event),
        cmocka_unit_test(a_reset_that_keeps_holding_resets_at_every_event),
        cmocka_unit_test(an_sla_rule_on_a_custom_field_switches_the_sla_mid_life),
        cmocka_unit_test(an_sla_rule_choosing_office_hours_counts_only_working_time),
        cmocka_unit_test(an_sla_rule_on_the_state_follows_each_transition),
        cmocka_unit_test(an_sla_rule_on_updated_at_sees_every_event),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
