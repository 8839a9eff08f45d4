/* SPDX-License-Identifier: Apache-2.0 */
/* An agreement's verdict is given where its clock stops (docs/service-
 * levels.md, "How an instance runs": the stop condition stops the clock
 * "with its verdict"): the instance, its history and the per-agreement
 * report say the same, and a change made after the stop (the priority
 * raised or lowered on the resolved record, another target) does not
 * judge the stopped clock again; the clock that resumes at a reopening
 * is judged afresh. Black-box: the public API only. */
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_stopped_clocks_verdict_stays_when_the_priority_changes_after),
        cmocka_unit_test(a_resumed_clock_is_judged_again_under_its_target_now),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
