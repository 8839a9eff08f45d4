/* SPDX-License-Identifier: Apache-2.0 */
/* docs/oncall.md, "The climb": an acknowledge deadline is one more timer of
 * the one deadline queue, "the tick fires it in deadline order with the
 * service-level timers (on one incident at the same instant, those go
 * first)", and "a late tick still records when each step timed out". A P1
 * incident's response target (15 minutes) and its first step's acknowledge
 * timeout (15 minutes) fall due at the same second: the breach is stored
 * before the page of step 2, whether the tick comes at that second or an
 * hour later. And an incident on hold is still open and unresolved: its
 * climb goes on (only leaving the open, clock-running states stops it). */
#include "sla/sla_support.h"

#include <string.h>

static itsm_policy *paging_policy(void)
{
    static const char *const first[] = { "alice" };
    static const char *const second[] = { "bob" };
    itsm_policy *p;
    assert_ok(itsm_policy_new_default(&p, NULL));
    itsm_oncall_step steps[2] = { { first, 1, 15 }, { second, 1, 30 } };
    itsm_oncall_def d = ITSM_ONCALL_DEF_INIT;
    d.name = "everything";
    d.steps = steps;
    d.nsteps = 2;
    assert_ok(itsm_policy_add_oncall(p, &d));
    return p;
}

/* The position in the store of the first event of `type` containing `part`. */
static size_t position(const memstore *s, const char *type, const char *part)
{
    char t[64];
    snprintf(t, sizeof t, "\"type\":\"%s\"", type);
    for (size_t i = 0; i < s->n; i++)
        if (strstr(s->events[i], t) && strstr(s->events[i], part))
            return i;
    fail_msg("no %s event with %s", type, part);
    return 0;
}

static void check_order(itsm_time tick_at)
{
    itsm_policy *p = paging_policy();
    fixture f;
    fixture_open_policy(&f, p);
    itsm_record *r = open_inc(&f, 1, 1, NULL);               /* P1: response 15 min; paged at once */
    assert_int_equal(count_events(&f.store, "page"), 1);
    sla_tick(&f, tick_at);
    size_t breach = position(&f.store, "sla_breach", "\"timer\":\"response\"");
    size_t page = position(&f.store, "page", "\"step\":2");
    assert_true(breach < page);
    /* both dated at their own deadline, 09:15:00 */
    assert_non_null(strstr(f.store.events[breach], "\"at\":\"2026-03-02T09:15:00Z\""));
    assert_non_null(strstr(f.store.events[page], "\"at\":\"2026-03-02T09:15:00Z\""));
    itsm_oncall_info oi = { .size = sizeof oi };
    assert_ok(itsm_record_oncall(&oi, r));
    assert_int_equal(oi.step, 2);
    assert_replay_same(&f, p, tick_at);
    fixture_close(&f);
    itsm_policy_free(p);
}

static void at_the_same_instant_the_service_level_timer_fires_before_the_page(void **state)
{
    (void)state;
    check_order(T0 + 15 * MIN);
}

static void a_late_tick_keeps_that_order_and_each_deadline_as_its_time(void **state)
{
    (void)state;
    check_order(T0 + 40 * MIN);   /* before step 2 times out (09:45) */
}

static void an_incident_on_hold_is_still_paged_up_the_steps(void **state)
{
    (void)state;
    itsm_policy *p = paging_policy();
    fixture f;
    fixture_open_policy(&f, p);
    itsm_record *r = open_inc(&f, 2, 2, NULL);               /* P3 */
    start_work(r);
    f.clock.now = T0 + 5 * MIN;
    hold(r, "awaiting_customer");
    sla_tick(&f, T0 + 15 * MIN);
    itsm_oncall_info oi = { .size = sizeof oi };
    assert_ok(itsm_record_oncall(&oi, r));
    assert_int_equal(oi.status, ITSM_ONCALL_PAGING);
    assert_int_equal(oi.step, 2);
    assert_int_equal(count_events(&f.store, "page"), 2);
    fixture_close(&f);
    itsm_policy_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(at_the_same_instant_the_service_level_timer_fires_before_the_page),
        cmocka_unit_test(a_late_tick_keeps_that_order_and_each_deadline_as_its_time),
        cmocka_unit_test(an_incident_on_hold_is_still_paged_up_the_steps),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
