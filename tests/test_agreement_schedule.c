/* SPDX-License-Identifier: Apache-2.0 */
/* An agreement's deadlines stay in the record's schedule through the
 * short re-plans: an event that changes nothing the timers read, a step
 * between open states, a fired warning. When the agreement's instance
 * takes a step at such an event (paused, resumed, cancelled), the
 * schedule is planned again and the next deadline moves; when it takes
 * none, the deadline stands. Each test would see a stale deadline (or,
 * in the debug build, trap) if the short forms ignored the agreement. */
#include "sla/sla_support.h"

static void set(itsm_record *r, itsm_field f, const char *s)
{
    itsm_change c = { f, s, 0 };
    assert_ok(itsm_record_update(r, &c, 1));
}

static const itsm_agreement_target one_hour[] = { { 0, HOUR, NULL } };

/* An agreement `name` due an hour after it starts, stopped by resolving. */
static itsm_agreement_def one_hour_def(const char *name)
{
    itsm_agreement_def d = ITSM_AGREEMENT_DEF_INIT;
    d.name = name;
    d.stop = "state == 'resolved'";
    d.targets = one_hour;
    d.ntargets = 1;
    return d;
}

/* An engine over the default policy with agreement `d` (and, when
 * `custom` is given, a custom field "vendor_case" it names), holding an
 * incident at work whose own timers (its next customer update first) are
 * due hours away: the agreement's breach is its next deadline. */
typedef struct agr_case {
    fixture      f;
    itsm_policy *p;
    itsm_record *r;
} agr_case;

static void case_open(agr_case *c, const itsm_agreement_def *d, itsm_field *custom)
{
    assert_ok(itsm_policy_new_default(&c->p, NULL));
    if (custom) {
        itsm_field_def fd = ITSM_FIELD_DEF_INIT;
        fd.name = "vendor_case";
        assert_ok(itsm_policy_add_field(c->p, &fd, custom));
    }
    itsm_parse_error err;
    if (itsm_policy_set_agreement(c->p, d, &err) != ITSM_OK)
        fail_msg("%s: %s", d->name, itsm_policy_errmsg(c->p));
    fixture_open_policy(&c->f, c->p);
    c->r = open_inc(&c->f, 3, 3, "Mail");
    start_work(c->r);
}

static void case_close(agr_case *c)
{
    fixture_close(&c->f);
    itsm_policy_free(c->p);
}

static void a_field_the_clocks_do_not_read_pauses_the_agreement_and_moves_the_deadline(void **state)
{
    (void)state;
    itsm_agreement_def d = one_hour_def("vendor_hour");
    d.pause = "vendor_case != null";
    itsm_field vendor;
    agr_case c;
    case_open(&c, &d, &vendor);
    fixture *f = &c.f;
    itsm_record *r = c.r;
    assert_int_equal(itsm_engine_next_deadline(f->eng), T0 + HOUR);
    /* a field nobody reads: the deadline stands */
    f->clock.now = T0 + 5 * MIN;
    set(r, ITSM_F_DESCRIPTION, "users report bounces");
    assert_int_equal(itsm_engine_next_deadline(f->eng), T0 + HOUR);
    /* a field only the agreement reads: paused, no agreement deadline */
    f->clock.now = T0 + 10 * MIN;
    set(r, vendor, "V-1");
    assert_true(itsm_engine_next_deadline(f->eng) > T0 + 2 * HOUR);
    /* released 20 minutes later: due 20 minutes later */
    f->clock.now = T0 + 30 * MIN;
    set(r, vendor, NULL);
    assert_int_equal(itsm_engine_next_deadline(f->eng), T0 + HOUR + 20 * MIN);
    size_t fired = 0;
    assert_ok(itsm_engine_tick(f->eng, T0 + HOUR + 10 * MIN, &fired));
    assert_int_equal(fired, 0);
    assert_ok(itsm_engine_tick(f->eng, T0 + HOUR + 20 * MIN, &fired));
    assert_int_equal(fired, 1);
    assert_int_equal(count_events(&f->store, "agreement_breach"), 1);
    case_close(&c);
}

static void a_hold_that_pauses_only_the_agreement_moves_the_deadline(void **state)
{
    (void)state;
    itsm_agreement_def d = one_hour_def("hands_on");
    d.pause = "state == 'on_hold'";
    agr_case c;
    case_open(&c, &d, NULL);
    fixture *f = &c.f;
    itsm_record *r = c.r;
    itsm_time own = timer(r, ITSM_TIMER_RESOLUTION, T0).due;
    assert_int_equal(itsm_engine_next_deadline(f->eng), T0 + HOUR);
    /* a hold whose reason pauses none of the record's own clocks */
    f->clock.now = T0 + 15 * MIN;
    hold(r, "awaiting_vendor");
    assert_int_equal(timer(r, ITSM_TIMER_RESOLUTION, T0 + 15 * MIN).due, own);
    assert_true(itsm_engine_next_deadline(f->eng) > T0 + 2 * HOUR);
    f->clock.now = T0 + 45 * MIN;
    assert_ok(itsm_record_fire(r, "resume", NULL, 0));
    assert_int_equal(itsm_engine_next_deadline(f->eng), T0 + HOUR + 30 * MIN);
    case_close(&c);
}

static void a_step_the_agreement_does_not_see_keeps_its_deadline(void **state)
{
    (void)state;
    itsm_agreement_def d = one_hour_def("any_work");
    agr_case c;
    case_open(&c, &d, NULL);
    fixture *f = &c.f;
    itsm_record *r = c.r;
    f->clock.now = T0 + 15 * MIN;
    hold(r, "awaiting_vendor");
    f->clock.now = T0 + 25 * MIN;
    assert_ok(itsm_record_fire(r, "resume", NULL, 0));
    assert_int_equal(itsm_engine_next_deadline(f->eng), T0 + HOUR);
    case_close(&c);
}

static void a_fired_agreement_warning_plans_its_breach_next(void **state)
{
    (void)state;
    static const unsigned warn[] = { 500 };
    itsm_agreement_def d = one_hour_def("half_time");
    d.warnings = warn;
    d.nwarnings = 1;
    agr_case c;
    case_open(&c, &d, NULL);
    fixture *f = &c.f;
    assert_int_equal(itsm_engine_next_deadline(f->eng), T0 + 30 * MIN);
    size_t fired = 0;
    assert_ok(itsm_engine_tick(f->eng, T0 + 30 * MIN, &fired));
    assert_int_equal(fired, 1);
    assert_int_equal(count_events(&f->store, "agreement_warning"), 1);
    assert_int_equal(itsm_engine_next_deadline(f->eng), T0 + HOUR);
    assert_ok(itsm_engine_tick(f->eng, T0 + HOUR, &fired));
    assert_int_equal(fired, 1);
    assert_int_equal(count_events(&f->store, "agreement_breach"), 1);
    case_close(&c);
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
