/* SPDX-License-Identifier: Apache-2.0 */
/* An agreement's verdict and ladder (docs/service-levels.md, "How an
 * instance runs"): the stop condition stops the clock "with its verdict"
 * - met within the target, breached from its very second on - and the
 * instance, its history and the per-agreement report say the same; a
 * change made after the stop (the priority raised or lowered on the
 * resolved record) does not judge the stopped clock again, and the clock
 * that resumes at a reopening is judged afresh. On office hours a pause
 * over the weekend, the warning and each rung of the breach ladder fall
 * on working time, and a reset at the reopening runs the ladder again
 * from zero. Black-box: the public API only. */
#include "sla/sla_support.h"

/* P1 4 h, every other priority 8 h, on 24x7; stops at resolve. */
static itsm_policy *policy_by_priority(void)
{
    itsm_policy *p;
    assert_ok(itsm_policy_new_default(&p, NULL));
    static const itsm_agreement_target t[] = { { 1, 4 * HOUR, NULL }, { 0, 8 * HOUR, NULL } };
    itsm_agreement_def d = ITSM_AGREEMENT_DEF_INIT;
    d.name = "gold";
    d.stop = "state == 'resolved'";
    d.targets = t;
    d.ntargets = 2;
    assert_ok(itsm_policy_set_agreement(p, &d, NULL));
    return p;
}

static itsm_agreement_info agr(const itsm_record *r, itsm_time now)
{
    itsm_agreement_info i = { .size = sizeof i };
    assert_ok(itsm_record_agreement(&i, r, "gold", now));
    return i;
}

/* The verdict of the record's last "stopped" step. */
static itsm_agreement_verdict stopped_verdict(const itsm_record *r)
{
    for (size_t k = itsm_record_agreement_steps(r); k-- > 0;) {
        itsm_agreement_entry e = { .size = sizeof e };
        assert_ok(itsm_record_agreement_step(&e, r, k));
        if (e.step == ITSM_AGR_STOPPED)
            return e.verdict;
    }
    fail_msg("no stopped step");
    return ITSM_VERDICT_PENDING;
}

static itsm_agreement_report report(fixture *f)
{
    itsm_agreement_report rep = { .size = sizeof rep };
    assert_ok(itsm_engine_agreement_report(&rep, f->eng, "gold"));
    return rep;
}

/* Resolved in 5 h as a P2 (8 h): met. Raised to P1 (4 h) while it waits
 * for the customer's confirmation, it stays met everywhere; lowering a
 * P1 resolved late (5 h of 4) to P2 afterwards leaves it breached. */
static void a_stopped_clocks_verdict_stays_when_the_priority_changes_after(void **state)
{
    (void)state;
    itsm_policy *p = policy_by_priority();
    fixture f;
    fixture_open_policy(&f, p);
    itsm_record *met = open_inc(&f, 1, 2, NULL);    /* P2 */
    itsm_record *late = open_inc(&f, 1, 1, NULL);   /* P1 */
    start_work(met);
    start_work(late);
    f.clock.now = T0 + 5 * HOUR;
    resolve(met);
    resolve(late);
    assert_int_equal(agr(met, f.clock.now).verdict, ITSM_VERDICT_MET);
    assert_int_equal(agr(late, f.clock.now).verdict, ITSM_VERDICT_BREACHED);
    f.clock.now = T0 + 6 * HOUR;
    assert_ok(itsm_record_set_int(met, ITSM_F_URGENCY, 1));    /* now P1 */
    assert_ok(itsm_record_set_int(late, ITSM_F_URGENCY, 2));   /* now P2 */
    itsm_agreement_info m = agr(met, T0 + DAY), l = agr(late, T0 + DAY);
    assert_int_equal(m.status, ITSM_AGREEMENT_STOPPED);
    assert_int_equal(m.verdict, ITSM_VERDICT_MET);
    assert_int_equal(stopped_verdict(met), ITSM_VERDICT_MET);
    assert_int_equal(l.status, ITSM_AGREEMENT_STOPPED);
    assert_int_equal(l.verdict, ITSM_VERDICT_BREACHED);
    assert_int_equal(stopped_verdict(late), ITSM_VERDICT_BREACHED);
    itsm_agreement_report rep = report(&f);
    assert_int_equal(rep.met, 1);
    assert_int_equal(rep.breached, 1);
    assert_int_equal(rep.open, 0);
    char *before = agreement_dump(f.eng, T0 + DAY);
    itsm_engine *e2 = replay_into(&f.store, p);
    char *after = agreement_dump(e2, T0 + DAY);
    assert_string_equal(before, after);
    free(before);
    free(after);
    itsm_engine_free(e2);
    fixture_close(&f);
    itsm_policy_free(p);
}

/* Reopened without a reset, the clock resumes with its 5 hours and is
 * judged again under the target it has now: raised to P1 while resolved,
 * it is past its 4 hours, breached. */
static void a_resumed_clock_is_judged_again_under_its_target_now(void **state)
{
    (void)state;
    itsm_policy *p = policy_by_priority();
    fixture f;
    fixture_open_policy(&f, p);
    itsm_record *r = open_inc(&f, 1, 2, NULL);   /* P2 */
    start_work(r);
    f.clock.now = T0 + 5 * HOUR;
    resolve(r);
    f.clock.now = T0 + 6 * HOUR;
    assert_ok(itsm_record_set_int(r, ITSM_F_URGENCY, 1));
    assert_int_equal(agr(r, f.clock.now).verdict, ITSM_VERDICT_MET);
    f.clock.now = T0 + 7 * HOUR;
    assert_ok(itsm_record_fire(r, "reopen", NULL, 0));
    itsm_agreement_info i = agr(r, f.clock.now);
    assert_int_equal(i.status, ITSM_AGREEMENT_RUNNING);
    assert_int_equal(i.elapsed, 5 * HOUR);
    assert_int_equal(i.verdict, ITSM_VERDICT_BREACHED);
    assert_int_equal(report(&f).breached, 1);
    fixture_close(&f);
    itsm_policy_free(p);
}

/* Stopped one second before its target: met; at the target's second:
 * breached, the same as when a tick fired the breach at that second
 * first. */
static void a_clock_stopped_at_its_targets_second_is_breached(void **state)
{
    (void)state;
    itsm_policy *p = policy_by_priority();
    fixture f;
    fixture_open_policy(&f, p);
    itsm_record *early = open_inc(&f, 1, 2, NULL), *at = open_inc(&f, 1, 2, NULL), *ticked = open_inc(&f, 1, 2, NULL);
    start_work(early);
    start_work(at);
    start_work(ticked);
    f.clock.now = T0 + 8 * HOUR - 1;
    resolve(early);
    f.clock.now = T0 + 8 * HOUR;
    resolve(at);
    sla_tick(&f, T0 + 8 * HOUR);
    resolve(ticked);
    assert_int_equal(agr(early, T0 + DAY).verdict, ITSM_VERDICT_MET);
    assert_int_equal(agr(at, T0 + DAY).verdict, ITSM_VERDICT_BREACHED);
    assert_int_equal(agr(ticked, T0 + DAY).verdict, ITSM_VERDICT_BREACHED);
    assert_int_equal(stopped_verdict(at), ITSM_VERDICT_BREACHED);
    itsm_agreement_report rep = report(&f);
    assert_int_equal(rep.met, 1);
    assert_int_equal(rep.breached, 2);
    fixture_close(&f);
    itsm_policy_free(p);
}

static void assert_step(const itsm_record *r, size_t k, itsm_agreement_step s, itsm_time at, unsigned level)
{
    itsm_agreement_entry e = { .size = sizeof e };
    assert_ok(itsm_record_agreement_step(&e, r, k));
    if (e.step != s || e.at != at || e.level != level)
        fail_msg("step %zu: %s at %lld level %u, expected %s at %lld level %u", k, itsm_agreement_step_name(e.step),
                 (long long)(e.at - T0), e.level, itsm_agreement_step_name(s), (long long)(at - T0), level);
}

/* A 10-hour agreement on office hours (09:00-17:00), warning at half,
 * breaches at 1 and 1.5, climbing; it pauses while awaiting the customer
 * and resets at a reopening. Opened Friday 15:00, held 16:00 to Monday
 * 10:00 (2 working hours paused), the warning falls Monday 14:00, the
 * breach Tuesday 11:00, the second rung Tuesday 16:00 (two ladder
 * steps). Reopened on Wednesday 09:00, the clock starts from zero: the
 * warning again at 14:00, the breach Thursday 11:00. */
static void an_office_hours_ladder_runs_on_working_time_and_again_after_a_reset(void **state)
{
    (void)state;
    itsm_policy *p;
    assert_ok(itsm_policy_new_default(&p, NULL));
    static const itsm_agreement_target t[] = { { 0, 10 * HOUR, "business" } };
    static const unsigned warn[] = { 500 }, ladder[] = { 1000, 1500 };
    itsm_agreement_def d = ITSM_AGREEMENT_DEF_INIT;
    d.name = "gold";
    d.stop = "state == 'resolved'";
    d.pause = "hold_reason == 'awaiting_customer'";
    d.reset = "event == 'reopen'";
    d.targets = t;
    d.ntargets = 1;
    d.warnings = warn;
    d.nwarnings = 1;
    d.breaches = ladder;
    d.nbreaches = 2;
    d.climb = 1;
    assert_ok(itsm_policy_set_agreement(p, &d, NULL));
    fixture f;
    fixture_open_policy(&f, p);
    itsm_time fri = T0 + 4 * DAY + 6 * HOUR;   /* Friday 6 March, 15:00 */
    f.clock.now = fri;
    itsm_record *r = open_inc(&f, 2, 3, NULL);   /* P4: nothing else climbs soon */
    start_work(r);
    f.clock.now = fri + HOUR;
    hold(r, "awaiting_customer");
    itsm_time mon = T0 + 7 * DAY, tue = T0 + 8 * DAY, wed = T0 + 9 * DAY, thu = T0 + 10 * DAY;   /* 09:00 */
    f.clock.now = mon + HOUR;
    assert_ok(itsm_record_fire(r, "resume", NULL, 0));
    itsm_agreement_info i = agr(r, mon + HOUR);
    assert_int_equal(i.elapsed, HOUR);
    assert_int_equal(i.paused, 2 * HOUR);
    assert_int_equal(i.due, tue + 2 * HOUR);
    sla_tick(&f, tue + 7 * HOUR);
    assert_int_equal(itsm_record_int(r, ITSM_F_HIERARCHICAL_LEVEL), 2);
    /* each rung climbs, the step naming the agreement that breached */
    assert_int_equal(count_with(&f.store, "escalation_step", "\"note\":\"gold\""), 2);
    const char *step = last_of(&f.store, "escalation_step");
    assert_non_null(strstr(step, "\"reason\":\"breach\""));
    assert_non_null(strstr(step, "\"audience\":\"service_desk_manager\""));
    assert_non_null(strstr(step, "\"at\":\"2026-03-10T16:00:00Z\""));
    f.clock.now = tue + 7 * HOUR;
    resolve(r);
    f.clock.now = wed;
    assert_ok(itsm_record_fire(r, "reopen", NULL, 0));
    i = agr(r, wed);
    assert_int_equal(i.status, ITSM_AGREEMENT_RUNNING);
    assert_int_equal(i.elapsed, 0);
    assert_int_equal(i.warnings, 0);
    assert_int_equal(i.breaches, 0);
    assert_int_equal(i.due, thu + 2 * HOUR);
    sla_tick(&f, thu + 2 * HOUR);
    static const struct { itsm_agreement_step s; unsigned level; } want[] = {
        { ITSM_AGR_APPLIED, 0 },  { ITSM_AGR_STARTED, 0 },  { ITSM_AGR_PAUSED, 0 },  { ITSM_AGR_RESUMED, 0 },
        { ITSM_AGR_WARNING, 1 },  { ITSM_AGR_BREACHED, 1 }, { ITSM_AGR_BREACHED, 2 }, { ITSM_AGR_STOPPED, 0 },
        { ITSM_AGR_RESET, 0 },    { ITSM_AGR_STARTED, 0 },  { ITSM_AGR_WARNING, 1 },  { ITSM_AGR_BREACHED, 1 },
    };
    const itsm_time at[] = { fri, fri, fri + HOUR, mon + HOUR, mon + 5 * HOUR, tue + 2 * HOUR,
                             tue + 7 * HOUR, tue + 7 * HOUR, wed, wed, wed + 5 * HOUR, thu + 2 * HOUR };
    assert_int_equal(itsm_record_agreement_steps(r), 12);
    for (size_t k = 0; k < 12; k++)
        assert_step(r, k, want[k].s, at[k], want[k].level);
    assert_int_equal(stopped_verdict(r), ITSM_VERDICT_BREACHED);
    char *before = agreement_dump(f.eng, thu + 3 * HOUR);
    itsm_engine *e2 = replay_into(&f.store, p);
    char *after = agreement_dump(e2, thu + 3 * HOUR);
    assert_string_equal(before, after);
    free(before);
    free(after);
    itsm_engine_free(e2);
    fixture_close(&f);
    itsm_policy_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_stopped_clocks_verdict_stays_when_the_priority_changes_after),
        cmocka_unit_test(a_resumed_clock_is_judged_again_under_its_target_now),
        cmocka_unit_test(a_clock_stopped_at_its_targets_second_is_breached),
        cmocka_unit_test(an_office_hours_ladder_runs_on_working_time_and_again_after_a_reset),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
