/* SPDX-License-Identifier: Apache-2.0 */
/* Agreements on records: each clock condition (start, pause, stop, reset
 * on reopen), applicability and its cancellation, several agreements on
 * one record, OLAs by priority, warnings and the breach ladder from the
 * tick, the per-agreement report, and replay rebuilding every instance
 * and history step exactly. */
#include "sla/sla_support.h"

static const itsm_agreement_target t_gold[] = { { 1, 4 * HOUR, NULL }, { 2, 8 * HOUR, NULL } };

/* P1-P2 incidents on Payroll: starts at assignment, pauses while awaiting
 * the customer, stops at resolve, resets on reopen. */
static itsm_agreement_def gold(void)
{
    itsm_agreement_def d = ITSM_AGREEMENT_DEF_INIT;
    d.name = "gold";
    d.applies = "kind == 'incident' and priority <= 2 and service == 'Payroll'";
    d.start = "assignment_group != null";
    d.pause = "hold_reason == 'awaiting_customer'";
    d.stop = "state == 'resolved'";
    d.reset = "event == 'reopen'";
    d.targets = t_gold;
    d.ntargets = 2;
    return d;
}

static itsm_policy *policy_with(const itsm_agreement_def *defs, size_t n)
{
    itsm_policy *p;
    assert_ok(itsm_policy_new_default(&p, NULL));
    for (size_t i = 0; i < n; i++) {
        itsm_parse_error err;
        if (itsm_policy_set_agreement(p, &defs[i], &err) != ITSM_OK)
            fail_msg("%s: %s", defs[i].name, itsm_policy_errmsg(p));
    }
    return p;
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

static void assert_step(const itsm_record *r, size_t k, const char *agreement, itsm_agreement_step s, itsm_time at)
{
    itsm_agreement_entry e = { .size = sizeof e };
    assert_ok(itsm_record_agreement_step(&e, r, k));
    if (strcmp(e.agreement, agreement) || e.step != s || e.at != at)
        fail_msg("step %zu: %s %s at %lld, expected %s %s at %lld", k, e.agreement, itsm_agreement_step_name(e.step),
                 (long long)e.at, agreement, itsm_agreement_step_name(s), (long long)at);
}

static void the_clock_starts_when_the_start_condition_holds(void **state)
{
    (void)state;
    itsm_agreement_def d = gold();
    itsm_policy *p = policy_with(&d, 1);
    fixture f;
    fixture_open_policy(&f, p);
    itsm_record *r = open_inc(&f, 1, 1, "Payroll");
    itsm_agreement_info a = agr(r, "gold", T0 + HOUR);
    assert_int_equal(a.status, ITSM_AGREEMENT_PENDING);
    assert_int_equal(a.elapsed, 0);
    assert_int_equal(a.target, 4 * HOUR);
    assert_int_equal(a.due, ITSM_TIME_NONE);
    /* assigned 30 minutes later: the clock starts there */
    f.clock.now = T0 + 30 * MIN;
    start_work(r);
    a = agr(r, "gold", T0 + HOUR);
    assert_int_equal(a.status, ITSM_AGREEMENT_RUNNING);
    assert_int_equal(a.elapsed, 30 * MIN);
    assert_int_equal(a.started_at, T0 + 30 * MIN);
    assert_int_equal(a.due, T0 + 30 * MIN + 4 * HOUR);
    assert_int_equal(a.verdict, ITSM_VERDICT_PENDING);
    assert_string_equal(a.calendar, "24x7");
    assert_int_equal(itsm_record_agreement_steps(r), 2);
    assert_step(r, 0, "gold", ITSM_AGR_APPLIED, T0);
    assert_step(r, 1, "gold", ITSM_AGR_STARTED, T0 + 30 * MIN);
    /* the next deadline is the agreement's breach */
    assert_int_equal(itsm_engine_next_deadline(f.eng) <= T0 + 30 * MIN + 4 * HOUR, 1);
    fixture_close(&f);
    itsm_policy_free(p);
}

static void the_clock_pauses_while_the_pause_condition_holds(void **state)
{
    (void)state;
    itsm_agreement_def d = gold();
    itsm_policy *p = policy_with(&d, 1);
    fixture f;
    fixture_open_policy(&f, p);
    itsm_record *r = open_inc(&f, 1, 1, "Payroll");
    start_work(r);
    f.clock.now = T0 + HOUR;
    hold(r, "awaiting_customer");
    itsm_agreement_info a = agr(r, "gold", T0 + 3 * HOUR);
    assert_int_equal(a.status, ITSM_AGREEMENT_PAUSED);
    assert_int_equal(a.elapsed, HOUR);
    assert_int_equal(a.paused, 2 * HOUR);
    assert_int_equal(a.due, ITSM_TIME_NONE);
    /* another hold reason does not pause this agreement */
    f.clock.now = T0 + 3 * HOUR;
    assert_ok(itsm_record_fire(r, "resume", NULL, 0));
    a = agr(r, "gold", T0 + 3 * HOUR);
    assert_int_equal(a.status, ITSM_AGREEMENT_RUNNING);
    assert_int_equal(a.due, T0 + 6 * HOUR);
    f.clock.now = T0 + 4 * HOUR;
    hold(r, "awaiting_supplier");
    assert_int_equal(agr(r, "gold", T0 + 5 * HOUR).status, ITSM_AGREEMENT_RUNNING);
    assert_int_equal(agr(r, "gold", T0 + 5 * HOUR).elapsed, 3 * HOUR);
    assert_step(r, 2, "gold", ITSM_AGR_PAUSED, T0 + HOUR);
    assert_step(r, 3, "gold", ITSM_AGR_RESUMED, T0 + 3 * HOUR);
    assert_int_equal(itsm_record_agreement_steps(r), 4);
    fixture_close(&f);
    itsm_policy_free(p);
}

static void the_stop_condition_gives_the_verdict(void **state)
{
    (void)state;
    itsm_agreement_def d = gold();
    itsm_policy *p = policy_with(&d, 1);
    fixture f;
    fixture_open_policy(&f, p);
    itsm_record *in_time = open_inc(&f, 1, 1, "Payroll"), *late = open_inc(&f, 1, 1, "Payroll");
    start_work(in_time);
    start_work(late);
    f.clock.now = T0 + 3 * HOUR;
    resolve(in_time);
    itsm_agreement_info a = agr(in_time, "gold", T0 + 9 * HOUR);
    assert_int_equal(a.status, ITSM_AGREEMENT_STOPPED);
    assert_int_equal(a.verdict, ITSM_VERDICT_MET);
    assert_int_equal(a.elapsed, 3 * HOUR);
    assert_int_equal(a.stopped_at, T0 + 3 * HOUR);
    assert_int_equal(a.remaining, HOUR);
    /* resolved after 5 hours with no tick in between: breached all the same */
    f.clock.now = T0 + 5 * HOUR;
    resolve(late);
    a = agr(late, "gold", T0 + 9 * HOUR);
    assert_int_equal(a.verdict, ITSM_VERDICT_BREACHED);
    itsm_agreement_entry e = { .size = sizeof e };
    assert_ok(itsm_record_agreement_step(&e, late, itsm_record_agreement_steps(late) - 1));
    assert_int_equal(e.step, ITSM_AGR_STOPPED);
    assert_int_equal(e.verdict, ITSM_VERDICT_BREACHED);
    itsm_agreement_report rep = { .size = sizeof rep };
    assert_ok(itsm_engine_agreement_report(&rep, f.eng, "gold"));
    assert_int_equal(rep.applied, 2);
    assert_int_equal(rep.met, 1);
    assert_int_equal(rep.breached, 1);
    assert_int_equal(rep.open, 0);
    fixture_close(&f);
    itsm_policy_free(p);
}

static void reopening_resets_the_clock_when_the_reset_condition_says_so(void **state)
{
    (void)state;
    itsm_agreement_def with = gold(), without = gold();
    without.name = "carry_over";
    without.reset = NULL;
    itsm_agreement_def defs[2] = { with, without };
    itsm_policy *p = policy_with(defs, 2);
    fixture f;
    fixture_open_policy(&f, p);
    itsm_record *r = open_inc(&f, 2, 1, "Payroll");
    start_work(r);
    f.clock.now = T0 + 3 * HOUR;
    resolve(r);
    f.clock.now = T0 + 10 * HOUR;
    assert_ok(itsm_record_fire(r, "reopen", NULL, 0));
    /* reset: back to zero and started again (the group is still set) */
    itsm_agreement_info a = agr(r, "gold", T0 + 11 * HOUR);
    assert_int_equal(a.status, ITSM_AGREEMENT_RUNNING);
    assert_int_equal(a.elapsed, HOUR);
    assert_int_equal(a.started_at, T0 + 10 * HOUR);
    assert_int_equal(a.due, T0 + 18 * HOUR);
    /* no reset: the clock resumes with the three hours before */
    itsm_agreement_info c = agr(r, "carry_over", T0 + 11 * HOUR);
    assert_int_equal(c.status, ITSM_AGREEMENT_RUNNING);
    assert_int_equal(c.elapsed, 4 * HOUR);
    assert_int_equal(c.due, T0 + 15 * HOUR);
    /* the history: applied, started (both), stopped (both), then reset and
     * started for gold, resumed for carry_over */
    size_t n = itsm_record_agreement_steps(r);
    assert_int_equal(n, 9);
    assert_step(r, 6, "gold", ITSM_AGR_RESET, T0 + 10 * HOUR);
    assert_step(r, 7, "gold", ITSM_AGR_STARTED, T0 + 10 * HOUR);
    assert_step(r, 8, "carry_over", ITSM_AGR_RESUMED, T0 + 10 * HOUR);
    fixture_close(&f);
    itsm_policy_free(p);
}

static void an_agreement_that_stops_applying_is_cancelled_with_its_history(void **state)
{
    (void)state;
    itsm_agreement_def d = gold();
    itsm_policy *p = policy_with(&d, 1);
    fixture f;
    fixture_open_policy(&f, p);
    itsm_record *r = open_inc(&f, 1, 1, "Payroll"), *other = open_inc(&f, 1, 1, "Mail");
    start_work(r);
    f.clock.now = T0 + HOUR;
    /* priority drops to 3: the agreement no longer applies */
    set(r, ITSM_F_IMPACT, NULL, 3);
    itsm_agreement_info a = agr(r, "gold", T0 + 5 * HOUR);
    assert_int_equal(a.status, ITSM_AGREEMENT_CANCELLED);
    assert_int_equal(a.elapsed, HOUR);   /* kept, counts no more */
    assert_step(r, 2, "gold", ITSM_AGR_CANCELLED, T0 + HOUR);
    /* never applied to another service's incident */
    assert_int_equal(agr(other, "gold", T0).status, ITSM_AGREEMENT_NONE);
    assert_int_equal(itsm_record_agreement_steps(other), 0);
    /* a tick past the old target fires nothing for it */
    size_t fired = 99;
    assert_ok(itsm_engine_tick(f.eng, T0 + 4 * HOUR, &fired));
    assert_int_equal(count_events(&f.store, "agreement_breach"), 0);
    itsm_agreement_report rep = { .size = sizeof rep };
    assert_ok(itsm_engine_agreement_report(&rep, f.eng, "gold"));
    assert_int_equal(rep.cancelled, 1);
    assert_int_equal(rep.applied, 0);
    /* back to priority 1: a fresh instance */
    f.clock.now = T0 + 5 * HOUR;
    set(r, ITSM_F_IMPACT, NULL, 1);
    a = agr(r, "gold", T0 + 6 * HOUR);
    assert_int_equal(a.status, ITSM_AGREEMENT_RUNNING);
    assert_int_equal(a.elapsed, HOUR);
    fixture_close(&f);
    itsm_policy_free(p);
}

/* A record canceled before its target was owed nothing: its instance is
 * cancelled, neither met nor breached, as the SLA report counts such a
 * record. One canceled past its target keeps its breach; one closed where
 * the stop condition holds gets the verdict of its stop. */
static void a_record_canceled_before_its_target_cancels_its_instance(void **state)
{
    (void)state;
    itsm_agreement_def d = gold();
    itsm_agreement_def any = gold();
    any.name = "any_close";
    any.stop = "not open";   /* a host that judges every closing */
    itsm_agreement_def both[2] = { d, any };
    itsm_policy *p = policy_with(both, 2);
    fixture f;
    fixture_open_policy(&f, p);
    itsm_record *early = open_inc(&f, 1, 1, "Payroll"), *late = open_inc(&f, 1, 1, "Payroll"),
                *unstarted = open_inc(&f, 1, 1, "Payroll");
    start_work(early);
    start_work(late);
    f.clock.now = T0 + HOUR;
    assert_ok(itsm_record_fire(early, "cancel", NULL, 0));
    itsm_agreement_info a = agr(early, "gold", T0 + 9 * HOUR);
    assert_int_equal(a.status, ITSM_AGREEMENT_CANCELLED);
    assert_int_equal(a.verdict, ITSM_VERDICT_PENDING);
    assert_int_equal(a.elapsed, HOUR);
    assert_step(early, 4, "gold", ITSM_AGR_CANCELLED, T0 + HOUR);
    /* the stop condition "not open" holds on the canceled record: met */
    a = agr(early, "any_close", T0 + 9 * HOUR);
    assert_int_equal(a.status, ITSM_AGREEMENT_STOPPED);
    assert_int_equal(a.verdict, ITSM_VERDICT_MET);
    /* never started: cancelled too, no longer counted open */
    assert_ok(itsm_record_fire(unstarted, "cancel", NULL, 0));
    assert_int_equal(agr(unstarted, "gold", T0 + 9 * HOUR).status, ITSM_AGREEMENT_CANCELLED);
    /* canceled one second past its target, before a tick: the breach stands */
    f.clock.now = T0 + 4 * HOUR + 1;
    assert_ok(itsm_record_fire(late, "cancel", NULL, 0));
    a = agr(late, "gold", T0 + 9 * HOUR);
    assert_int_equal(a.status, ITSM_AGREEMENT_STOPPED);
    assert_int_equal(a.verdict, ITSM_VERDICT_BREACHED);
    itsm_agreement_report rep = { .size = sizeof rep };
    assert_ok(itsm_engine_agreement_report(&rep, f.eng, "gold"));
    assert_int_equal(rep.met, 0);
    assert_int_equal(rep.open, 0);
    assert_int_equal(rep.breached, 1);
    assert_int_equal(rep.cancelled, 2);
    /* a canceled record's instance fires nothing later */
    assert_ok(itsm_engine_tick(f.eng, T0 + 9 * HOUR, NULL));
    assert_int_equal(count_with(&f.store, "agreement_breach", "gold"), 0);
    /* a replay rebuilds the same */
    itsm_engine *e2 = replay_into(&f.store, p);
    itsm_agreement_report back = { .size = sizeof back };
    assert_ok(itsm_engine_agreement_report(&back, e2, "gold"));
    assert_memory_equal(&back, &rep, sizeof rep);
    itsm_engine_free(e2);
    fixture_close(&f);
    itsm_policy_free(p);
}

/* The report attributes breaches per instance: an instance
 * that breached and was then cancelled (the priority dropped back) keeps
 * its breach in the report, as in its history, and so does the instance
 * before a fresh one on the same record; lowering the priority after a
 * breach does not take the breach back. */
static void a_breach_stays_in_the_report_after_the_agreement_stops_applying(void **state)
{
    (void)state;
    itsm_agreement_def d = gold();
    itsm_policy *p = policy_with(&d, 1);
    fixture f;
    fixture_open_policy(&f, p);
    itsm_record *r = open_inc(&f, 1, 1, "Payroll"), *s = open_inc(&f, 1, 1, "Payroll");
    start_work(r);
    start_work(s);
    assert_ok(itsm_engine_tick(f.eng, T0 + 5 * HOUR, NULL));   /* both breach at 4 h */
    assert_int_equal(count_events(&f.store, "agreement_breach"), 2);
    f.clock.now = T0 + 5 * HOUR;
    set(r, ITSM_F_IMPACT, NULL, 3);   /* P3: gold applies no more */
    set(s, ITSM_F_IMPACT, NULL, 3);
    assert_int_equal(agr(r, "gold", f.clock.now).status, ITSM_AGREEMENT_CANCELLED);
    itsm_agreement_report rep = { .size = sizeof rep };
    assert_ok(itsm_engine_agreement_report(&rep, f.eng, "gold"));
    assert_int_equal(rep.applied, 0);
    assert_int_equal(rep.cancelled, 2);
    assert_int_equal(rep.breached, 2);
    /* back to P1 on one of them: a fresh instance, met; the first one's
     * breach stays */
    f.clock.now = T0 + 6 * HOUR;
    set(s, ITSM_F_IMPACT, NULL, 1);
    f.clock.now = T0 + 7 * HOUR;
    resolve(s);
    assert_int_equal(agr(s, "gold", f.clock.now).verdict, ITSM_VERDICT_MET);
    assert_ok(itsm_engine_agreement_report(&rep, f.eng, "gold"));
    assert_int_equal(rep.applied, 1);
    assert_int_equal(rep.met, 1);
    assert_int_equal(rep.open, 0);
    assert_int_equal(rep.cancelled, 1);
    assert_int_equal(rep.breached, 2);
    /* a replay counts the same */
    itsm_engine *e2 = replay_into(&f.store, p);
    itsm_agreement_report back = { .size = sizeof back };
    assert_ok(itsm_engine_agreement_report(&back, e2, "gold"));
    assert_memory_equal(&back, &rep, sizeof rep);
    itsm_engine_free(e2);
    fixture_close(&f);
    itsm_policy_free(p);
}

/* An OLA of the Network group with a target per priority: starts when the
 * group has the record, stops when it hands it on or resolves. */
static const itsm_agreement_target t_ola[] = { { 1, HOUR, NULL }, { 2, 2 * HOUR, NULL }, { 0, 8 * HOUR, "business" } };

static itsm_agreement_def network_ola(void)
{
    itsm_agreement_def d = ITSM_AGREEMENT_DEF_INIT;
    d.name = "network_ola";
    d.type = ITSM_AGREEMENT_OLA;
    d.start = "assignment_group == 'Network'";
    d.stop = "assignment_group != 'Network' or state == 'resolved'";
    d.targets = t_ola;
    d.ntargets = 3;
    return d;
}

static void an_ola_has_a_target_per_priority(void **state)
{
    (void)state;
    itsm_agreement_def d = network_ola();
    itsm_policy *p = policy_with(&d, 1);
    fixture f;
    fixture_open_policy(&f, p);
    itsm_record *p1 = open_inc(&f, 1, 1, NULL), *p2 = open_inc(&f, 1, 2, NULL), *p4 = open_inc(&f, 3, 2, NULL);
    set(p1, ITSM_F_ASSIGNMENT_GROUP, "Network", 0);
    set(p2, ITSM_F_ASSIGNMENT_GROUP, "Network", 0);
    set(p4, ITSM_F_ASSIGNMENT_GROUP, "Network", 0);
    itsm_agreement_info a1 = agr(p1, "network_ola", T0), a2 = agr(p2, "network_ola", T0),
                        a4 = agr(p4, "network_ola", T0);
    assert_int_equal(a1.type, ITSM_AGREEMENT_OLA);
    assert_int_equal(a1.target, HOUR);
    assert_int_equal(a1.due, T0 + HOUR);
    assert_int_equal(a2.target, 2 * HOUR);
    assert_int_equal(a2.due, T0 + 2 * HOUR);
    /* P4 falls back to the default target, in business hours */
    assert_int_equal(a4.target, 8 * HOUR);
    assert_string_equal(a4.calendar, "business");
    assert_int_equal(a4.due, T0 + 8 * HOUR);
    /* a priority change re-plans: P2 raised to P1 is due an hour after start */
    f.clock.now = T0 + 30 * MIN;
    set(p2, ITSM_F_URGENCY, NULL, 1);
    assert_int_equal(agr(p2, "network_ola", T0 + 30 * MIN).due, T0 + HOUR);
    /* handed on to another group: the OLA stops, met */
    set(p1, ITSM_F_ASSIGNMENT_GROUP, "Desk", 0);
    a1 = agr(p1, "network_ola", T0 + 2 * HOUR);
    assert_int_equal(a1.status, ITSM_AGREEMENT_STOPPED);
    assert_int_equal(a1.verdict, ITSM_VERDICT_MET);
    fixture_close(&f);
    itsm_policy_free(p);
}

static const unsigned warn_half[] = { 500 }, ladder[] = { 1000, 1500, 2000 };

static void a_record_carries_several_agreements_each_with_its_timers(void **state)
{
    (void)state;
    itsm_agreement_def defs[3] = { gold(), network_ola(), gold() };
    defs[0].warnings = warn_half;
    defs[0].nwarnings = 1;
    defs[0].breaches = ladder;
    defs[0].nbreaches = 3;
    defs[0].climb = 1;
    static const itsm_agreement_target t_uc[] = { { 0, 2 * HOUR, NULL } };
    defs[2].name = "supplier_uc";
    defs[2].type = ITSM_AGREEMENT_UC;
    defs[2].applies = "service == 'Payroll'";
    defs[2].start = "hold_reason == 'awaiting_supplier'";
    defs[2].stop = "state == 'resolved' or (hold_reason != 'awaiting_supplier' and open)";
    defs[2].reset = NULL;
    defs[2].pause = NULL;
    defs[2].targets = t_uc;
    defs[2].ntargets = 1;
    itsm_policy *p = policy_with(defs, 3);
    fixture f;
    fixture_open_policy(&f, p);
    itsm_record *r = open_inc(&f, 1, 1, "Payroll");
    start_work(r);                                   /* gold starts */
    f.clock.now = T0 + 30 * MIN;
    set(r, ITSM_F_ASSIGNMENT_GROUP, "Network", 0);   /* the OLA starts */
    f.clock.now = T0 + 45 * MIN;
    hold(r, "awaiting_supplier");                    /* the supplier's clock starts */
    assert_int_equal(agr(r, "gold", T0 + HOUR).status, ITSM_AGREEMENT_RUNNING);
    assert_int_equal(agr(r, "network_ola", T0 + HOUR).status, ITSM_AGREEMENT_RUNNING);
    assert_int_equal(agr(r, "supplier_uc", T0 + HOUR).status, ITSM_AGREEMENT_RUNNING);
    assert_int_equal(agr(r, "network_ola", T0 + HOUR).elapsed, 30 * MIN);
    assert_int_equal(agr(r, "supplier_uc", T0 + HOUR).elapsed, 15 * MIN);
    /* the tick fires each agreement's timers, in deadline order: the OLA
     * breaches at 01:30, gold warns at 02:00, the UC breaches at 02:45,
     * gold breaches at 04:00, 06:00 and 08:00 (a ladder), climbing */
    size_t fired = 0;
    assert_ok(itsm_engine_tick(f.eng, T0 + 9 * HOUR, &fired));
    assert_int_equal(count_events(&f.store, "agreement_warning"), 1);
    assert_int_equal(count_events(&f.store, "agreement_breach"), 5);
    assert_int_equal(count_events(&f.store, "escalation_step") >= 3, 1);
    itsm_agreement_info g = agr(r, "gold", T0 + 9 * HOUR);
    assert_int_equal(g.warnings, 1);
    assert_int_equal(g.breaches, 3);
    assert_int_equal(g.verdict, ITSM_VERDICT_BREACHED);
    assert_int_equal(g.due, ITSM_TIME_NONE);
    assert_int_equal(g.remaining, 4 * HOUR - g.elapsed);
    assert_int_equal(agr(r, "network_ola", T0 + 9 * HOUR).breaches, 1);
    assert_int_equal(agr(r, "supplier_uc", T0 + 9 * HOUR).breaches, 1);
    /* the events name their agreement, level and due time */
    int seen = 0;
    for (size_t i = 0; i < f.store.n; i++)
        if (strstr(f.store.events[i], "\"type\":\"agreement_breach\"") &&
            strstr(f.store.events[i], "\"agreement\":\"gold\",\"level\":3,\"due\":\"2026-03-02T17:00:00Z\""))
            seen++;
    assert_int_equal(seen, 1);
    /* the history lists them in order */
    char *dump = agreement_dump(f.eng, T0 + 9 * HOUR);
    const char *order[] = { "network_ola breached 1", "gold warning 1", "supplier_uc breached 1",
                            "gold breached 1", "gold breached 2", "gold breached 3" };
    const char *at = dump;
    for (size_t i = 0; i < sizeof order / sizeof order[0]; i++) {
        const char *hit = strstr(at, order[i]);
        if (!hit)
            fail_msg("'%s' missing or out of order in\n%s", order[i], dump);
        at = hit;
    }
    free(dump);
    fixture_close(&f);
    itsm_policy_free(p);
}

static void replay_rebuilds_every_instance_and_step(void **state)
{
    (void)state;
    itsm_agreement_def defs[2] = { gold(), network_ola() };
    defs[0].warnings = warn_half;
    defs[0].nwarnings = 1;
    defs[0].breaches = ladder;
    defs[0].nbreaches = 3;
    itsm_policy *p = policy_with(defs, 2);
    fixture f;
    fixture_open_policy(&f, p);
    itsm_record *r = open_inc(&f, 1, 1, "Payroll"), *s = open_inc(&f, 2, 1, "Payroll");
    start_work(r);
    start_work(s);
    f.clock.now = T0 + HOUR;
    hold(r, "awaiting_customer");
    set(s, ITSM_F_ASSIGNMENT_GROUP, "Network", 0);
    assert_ok(itsm_engine_tick(f.eng, T0 + 3 * HOUR, NULL));
    f.clock.now = T0 + 3 * HOUR;
    assert_ok(itsm_record_fire(r, "resume", NULL, 0));
    resolve(s);
    f.clock.now = T0 + 4 * HOUR;
    assert_ok(itsm_record_fire(s, "reopen", NULL, 0));
    assert_ok(itsm_engine_tick(f.eng, T0 + 12 * HOUR, NULL));
    f.clock.now = T0 + 12 * HOUR;
    resolve(r);
    itsm_engine *e2 = replay_into(&f.store, p);
    char *a = agreement_dump(f.eng, T0 + 13 * HOUR), *b = agreement_dump(e2, T0 + 13 * HOUR);
    assert_string_equal(a, b);
    free(a);
    free(b);
    a = timer_dump(f.eng, T0 + 13 * HOUR);
    b = timer_dump(e2, T0 + 13 * HOUR);
    assert_string_equal(a, b);
    free(a);
    free(b);
    assert_int_equal(itsm_engine_next_deadline(f.eng), itsm_engine_next_deadline(e2));
    itsm_engine_free(e2);
    fixture_close(&f);
    itsm_policy_free(p);
}

static void a_stored_event_of_an_unknown_agreement_is_refused(void **state)
{
    (void)state;
    itsm_agreement_def d = gold();
    itsm_policy *p = policy_with(&d, 1);
    fixture f;
    fixture_open_policy(&f, p);
    itsm_record *r = open_inc(&f, 1, 1, "Payroll");
    start_work(r);
    assert_ok(itsm_engine_tick(f.eng, T0 + 5 * HOUR, NULL));
    assert_int_equal(count_events(&f.store, "agreement_breach"), 1);
    /* the same events, as a store from before policy versions holds them
     * (no "pv": the engine's own policy), under a policy without the
     * agreement */
    itsm_engine *e2;
    itsm_engine_opts o = ITSM_ENGINE_OPTS_INIT;
    assert_ok(itsm_engine_new(&e2, &o));
    int refused = 0;
    for (size_t i = 0; i < f.store.n; i++) {
        itsm_parse_error err;
        char *old = event_without_pv(f.store.events[i]);
        int rc = itsm_engine_replay_json(e2, old, strlen(old), &err);
        free(old);
        if (rc != ITSM_OK) {
            assert_int_equal(rc, ITSM_EPARSE);
            assert_non_null(strstr(err.text, "the policy has no agreement 'gold'"));
            refused = 1;
        }
    }
    assert_true(refused);
    itsm_engine_free(e2);
    fixture_close(&f);
    itsm_policy_free(p);
}

static void the_getters_refuse_bad_arguments(void **state)
{
    (void)state;
    itsm_agreement_def d = gold();
    itsm_policy *p = policy_with(&d, 1);
    fixture f;
    fixture_open_policy(&f, p);
    itsm_record *r = open_inc(&f, 1, 1, "Payroll");
    itsm_agreement_info a = { .size = sizeof a };
    assert_int_equal(itsm_record_agreement(&a, NULL, "gold", T0), ITSM_EINVAL);
    assert_fails(f.eng, itsm_record_agreement(NULL, r, "gold", T0), ITSM_EINVAL, "out is NULL");
    assert_fails(f.eng, itsm_record_agreement(&a, r, "silver", T0), ITSM_ENOTFOUND, "no agreement 'silver'");
    assert_fails(f.eng, itsm_record_agreement(&a, r, "gold", -5), ITSM_EINVAL, "outside 1970..9999");
    a.size = 3;
    assert_int_equal(itsm_record_agreement(&a, r, "gold", T0), ITSM_EINVAL);
    itsm_agreement_entry e = { .size = sizeof e };
    assert_fails(f.eng, itsm_record_agreement_step(&e, r, 5), ITSM_EINVAL,
                 "itsm_record_agreement_step: step 5 is out of range (INC-000001 has 1)");
    assert_int_equal(itsm_record_agreement_step(&e, NULL, 0), ITSM_EINVAL);
    assert_int_equal(itsm_record_agreement_steps(NULL), 0);
    assert_null(itsm_agreement_step_name((itsm_agreement_step)0));
    assert_string_equal(itsm_agreement_step_name(ITSM_AGR_CANCELLED), "cancelled");
    itsm_agreement_report rep = { .size = sizeof rep };
    assert_fails(f.eng, itsm_engine_agreement_report(&rep, f.eng, "silver"), ITSM_ENOTFOUND, "silver");
    assert_int_equal(itsm_engine_agreement_report(&rep, NULL, "gold"), ITSM_EINVAL);
    fixture_close(&f);
    itsm_policy_free(p);
}

static void a_policy_without_agreements_keeps_no_instances(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *r = open_inc(&f, 1, 1, "Payroll");
    start_work(r);
    assert_int_equal(itsm_record_agreement_steps(r), 0);
    itsm_agreement_info a = { .size = sizeof a };
    assert_int_equal(itsm_record_agreement(&a, r, "gold", T0), ITSM_ENOTFOUND);
    fixture_close(&f);
}

/* Every step of a story under failing allocations: a failed step changes
 * nothing (no instance, no history step), and the retried story ends as
 * the clean one. */
static void a_failed_allocation_leaves_the_instances_as_they_were(void **state)
{
    (void)state;
    itsm_agreement_def defs[2] = { gold(), network_ola() };
    itsm_policy *p = policy_with(defs, 2);
    char *clean = NULL;
    for (long k = 0;; k++) {
        failalloc fa = { 0, 0, 0, 0 };
        vclock clock = { T0 };
        memstore st;
        memstore_init(&st);
        itsm_engine *eng = engine_over_failing(&st, &clock, p, &fa);
        fa.fail_at = k ? fa.calls + k : 0;
        int failed = 0;
        itsm_record *r = NULL;
        itsm_change init[4] = { { ITSM_F_SUMMARY, "Pay run", 0 }, { ITSM_F_IMPACT, NULL, 1 },
                                { ITSM_F_URGENCY, NULL, 1 }, { ITSM_F_SERVICE, "Payroll", 0 } };
        itsm_record_opts ro = ITSM_RECORD_OPTS_INIT;
        ro.fields = init;
        ro.nfields = 4;
        int rc = itsm_record_open(&r, eng, &ro);
        if (rc) {
            assert_int_equal(rc, ITSM_ENOMEM);
            assert_int_equal(itsm_engine_record_count(eng), 0);
            failed = 1;
        } else {
            char *before = agreement_dump(eng, T0 + HOUR);
            itsm_change c[2] = { { ITSM_F_ASSIGNMENT_GROUP, "Network", 0 }, { ITSM_F_ASSIGNEE, "ann", 0 } };
            rc = itsm_record_fire(r, "start", c, 2);
            if (rc == ITSM_OK)
                rc = itsm_engine_tick(eng, T0 + 5 * HOUR, NULL);
            if (rc) {
                assert_int_equal(rc, ITSM_ENOMEM);
                failed = 1;
                if (itsm_record_agreement_steps(r) == 2) {
                    /* the fire failed: nothing of it */
                    char *after = agreement_dump(eng, T0 + HOUR);
                    assert_string_equal(before, after);
                    free(after);
                }
            }
            free(before);
        }
        fa.fail_at = 0;
        if (!failed) {
            char *d = agreement_dump(eng, T0 + 6 * HOUR);
            if (!clean)
                clean = d;
            else
                free(d);
        }
        itsm_engine_free(eng);
        memstore_free(&st);
        assert_int_equal(fa.live, 0);
        if (k && !fa.failed)
            break;
    }
    assert_non_null(strstr(clean, "network_ola breached"));
    free(clean);
    itsm_policy_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_clock_starts_when_the_start_condition_holds),
        cmocka_unit_test(the_clock_pauses_while_the_pause_condition_holds),
        cmocka_unit_test(the_stop_condition_gives_the_verdict),
        cmocka_unit_test(reopening_resets_the_clock_when_the_reset_condition_says_so),
        cmocka_unit_test(an_agreement_that_stops_applying_is_cancelled_with_its_history),
        cmocka_unit_test(a_record_canceled_before_its_target_cancels_its_instance),
        cmocka_unit_test(a_breach_stays_in_the_report_after_the_agreement_stops_applying),
        cmocka_unit_test(an_ola_has_a_target_per_priority),
        cmocka_unit_test(a_record_carries_several_agreements_each_with_its_timers),
        cmocka_unit_test(replay_rebuilds_every_instance_and_step),
        cmocka_unit_test(a_stored_event_of_an_unknown_agreement_is_refused),
        cmocka_unit_test(the_getters_refuse_bad_arguments),
        cmocka_unit_test(a_policy_without_agreements_keeps_no_instances),
        cmocka_unit_test(a_failed_allocation_leaves_the_instances_as_they_were),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
