/* SPDX-License-Identifier: Apache-2.0 */
/* An agreement's deadlines stay in the record's schedule through the
 * short re-plans: an event that changes nothing the timers read, a step
 * between open states, a fired warning. When the agreement's instance
 * takes a step at such an event (paused, resumed, cancelled), the
 * schedule is planned again and the next deadline moves; when it takes
 * none, the deadline stands. Each test would see a stale deadline (or,
 * in the debug build, trap) if the short forms ignored the agreement. */
#include "sla/sla_support.h"

static itsm_policy *policy_with(const itsm_agreement_def *d, itsm_field *custom)
{
    itsm_policy *p;
    assert_ok(itsm_policy_new_default(&p, NULL));
    if (custom) {
        itsm_field_def fd = ITSM_FIELD_DEF_INIT;
        fd.name = "vendor_case";
        assert_ok(itsm_policy_add_field(p, &fd, custom));
    }
    itsm_parse_error err;
    if (itsm_policy_set_agreement(p, d, &err) != ITSM_OK)
        fail_msg("%s: %s", d->name, itsm_policy_errmsg(p));
    return p;
}

static void set(itsm_record *r, itsm_field f, const char *s)
{
    itsm_change c = { f, s, 0 };
    assert_ok(itsm_record_update(r, &c, 1));
}

static const itsm_agreement_target one_hour[] = { { 0, HOUR, NULL } };

/* An incident at work whose own timers (its next customer update first)
 * are due hours away: the agreement's breach is its next deadline. */
static itsm_record *at_work(fixture *f)
{
    itsm_record *r = open_inc(f, 3, 3, "Mail");
    start_work(r);
    return r;
}

static void a_field_the_clocks_do_not_read_pauses_the_agreement_and_moves_the_deadline(void **state)
{
    (void)state;
    itsm_agreement_def d = ITSM_AGREEMENT_DEF_INIT;
    d.name = "vendor_hour";
    d.pause = "vendor_case != null";
    d.stop = "state == 'resolved'";
    d.targets = one_hour;
    d.ntargets = 1;
    itsm_field vendor;
    itsm_policy *p = policy_with(&d, &vendor);
    fixture f;
    fixture_open_policy(&f, p);
    itsm_record *r = at_work(&f);
    assert_int_equal(itsm_engine_next_deadline(f.eng), T0 + HOUR);
    /* a field nobody reads: the deadline stands */
    f.clock.now = T0 + 5 * MIN;
    set(r, ITSM_F_DESCRIPTION, "users report bounces");
    assert_int_equal(itsm_engine_next_deadline(f.eng), T0 + HOUR);
    /* a field only the agreement reads: paused, no agreement deadline */
    f.clock.now = T0 + 10 * MIN;
    set(r, vendor, "V-1");
    assert_true(itsm_engine_next_deadline(f.eng) > T0 + 2 * HOUR);
    /* released 20 minutes later: due 20 minutes later */
    f.clock.now = T0 + 30 * MIN;
    set(r, vendor, NULL);
    assert_int_equal(itsm_engine_next_deadline(f.eng), T0 + HOUR + 20 * MIN);
    size_t fired = 0;
    assert_ok(itsm_engine_tick(f.eng, T0 + HOUR + 10 * MIN, &fired));
    assert_int_equal(fired, 0);
    assert_ok(itsm_engine_tick(f.eng, T0 + HOUR + 20 * MIN, &fired));
    assert_int_equal(fired, 1);
    assert_int_equal(count_events(&f.store, "agreement_breach"), 1);
    fixture_close(&f);
    itsm_policy_free(p);
}

static void a_hold_that_pauses_only_the_agreement_moves_the_deadline(void **state)
{
    (void)state;
    itsm_agreement_def d = ITSM_AGREEMENT_DEF_INIT;
    d.name = "hands_on";
    d.pause = "state == 'on_hold'";
    d.stop = "state == 'resolved'";
    d.targets = one_hour;
    d.ntargets = 1;
    itsm_policy *p = policy_with(&d, NULL);
    fixture f;
    fixture_open_policy(&f, p);
    itsm_record *r = at_work(&f);
    itsm_time own = timer(r, ITSM_TIMER_RESOLUTION, T0).due;
    assert_int_equal(itsm_engine_next_deadline(f.eng), T0 + HOUR);
    /* a hold whose reason pauses none of the record's own clocks */
    f.clock.now = T0 + 15 * MIN;
    hold(r, "awaiting_vendor");
    assert_int_equal(timer(r, ITSM_TIMER_RESOLUTION, T0 + 15 * MIN).due, own);
    assert_true(itsm_engine_next_deadline(f.eng) > T0 + 2 * HOUR);
    f.clock.now = T0 + 45 * MIN;
    assert_ok(itsm_record_fire(r, "resume", NULL, 0));
    assert_int_equal(itsm_engine_next_deadline(f.eng), T0 + HOUR + 30 * MIN);
    fixture_close(&f);
    itsm_policy_free(p);
}

static void a_step_the_agreement_does_not_see_keeps_its_deadline(void **state)
{
    (void)state;
    itsm_agreement_def d = ITSM_AGREEMENT_DEF_INIT;
    d.name = "any_work";
    d.stop = "state == 'resolved'";
    d.targets = one_hour;
    d.ntargets = 1;
    itsm_policy *p = policy_with(&d, NULL);
    fixture f;
    fixture_open_policy(&f, p);
    itsm_record *r = at_work(&f);
    f.clock.now = T0 + 15 * MIN;
    hold(r, "awaiting_vendor");
    f.clock.now = T0 + 25 * MIN;
    assert_ok(itsm_record_fire(r, "resume", NULL, 0));
    assert_int_equal(itsm_engine_next_deadline(f.eng), T0 + HOUR);
    fixture_close(&f);
    itsm_policy_free(p);
}

static void a_fired_agreement_warning_plans_its_breach_next(void **state)
{
    (void)state;
    static const unsigned warn[] = { 500 };
    itsm_agreement_def d = ITSM_AGREEMENT_DEF_INIT;
    d.name = "half_time";
    d.stop = "state == 'resolved'";
    d.targets = one_hour;
    d.ntargets = 1;
    d.warnings = warn;
    d.nwarnings = 1;
    itsm_policy *p = policy_with(&d, NULL);
    fixture f;
    fixture_open_policy(&f, p);
    (void)at_work(&f);
    assert_int_equal(itsm_engine_next_deadline(f.eng), T0 + 30 * MIN);
    size_t fired = 0;
    assert_ok(itsm_engine_tick(f.eng, T0 + 30 * MIN, &fired));
    assert_int_equal(fired, 1);
    assert_int_equal(count_events(&f.store, "agreement_warning"), 1);
    assert_int_equal(itsm_engine_next_deadline(f.eng), T0 + HOUR);
    assert_ok(itsm_engine_tick(f.eng, T0 + HOUR, &fired));
    assert_int_equal(fired, 1);
    assert_int_equal(count_events(&f.store, "agreement_breach"), 1);
    fixture_close(&f);
    itsm_policy_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_field_the_clocks_do_not_read_pauses_the_agreement_and_moves_the_deadline),
        cmocka_unit_test(a_hold_that_pauses_only_the_agreement_moves_the_deadline),
        cmocka_unit_test(a_step_the_agreement_does_not_see_keeps_its_deadline),
        cmocka_unit_test(a_fired_agreement_warning_plans_its_breach_next),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
