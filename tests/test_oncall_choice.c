/* SPDX-License-Identifier: Apache-2.0 */
/* On-call, the rules docs/oncall.md states beyond the climb itself: the
 * first escalation policy in order that takes an incident is its policy
 * (no priority counts as 5), a policy hidden behind one that takes every
 * incident is a finding of the policy check, a reopened incident is not
 * paged again by itself, a climb with no repeat ends after one round, and
 * at one instant the service-level timers of an incident fire before its
 * acknowledge deadline; paging and acknowledging refuse a clock behind
 * the record. Black-box: the public API and the stored events. */
#include "sla/sla_support.h"
#include "itsm/oncall.h"

static const char *const alice[] = { "alice" };
static const char *const bob[] = { "bob" };
static const char *const database[] = { "database" };

static void add(itsm_policy *p, const char *name, const char *const *services, size_t nservices, int max_priority,
                unsigned repeat, unsigned timeout)
{
    itsm_oncall_step steps[2] = { { alice, 1, timeout }, { bob, 1, timeout } };
    itsm_oncall_def d = ITSM_ONCALL_DEF_INIT;
    d.name = name;
    d.steps = steps;
    d.nsteps = 2;
    d.repeat = repeat;
    d.services = services;
    d.nservices = nservices;
    d.max_priority = max_priority;
    if (itsm_policy_add_oncall(p, &d) != ITSM_OK)
        fail_msg("%s: %s", name, itsm_policy_errmsg(p));
}

static const char *policy_of(const itsm_record *r)
{
    itsm_oncall_info i = { .size = sizeof i };
    if (itsm_record_oncall(&i, r) == ITSM_ENOTFOUND)
        return NULL;
    return i.policy;
}

static itsm_oncall_info info(const itsm_record *r)
{
    itsm_oncall_info i = { .size = sizeof i };
    assert_ok(itsm_record_oncall(&i, r));
    return i;
}

static itsm_record *open_without_priority(fixture *f, const char *service)
{
    itsm_record *r = NULL;
    itsm_change init[2] = { { ITSM_F_SUMMARY, "Replica lag", 0 }, { ITSM_F_SERVICE, service, 0 } };
    itsm_record_opts o = ITSM_RECORD_OPTS_INIT;
    o.fields = init;
    o.nfields = 2;
    assert_ok(itsm_record_open(&r, f->eng, &o));
    assert_int_equal(itsm_record_int(r, ITSM_F_PRIORITY), 0);
    return r;
}

/* db_urgent (database, P1-P2), db_p4 (database, up to P4), db_any
 * (database, any), then catch_all (any service, any priority). */
static void the_first_policy_that_takes_the_incident_is_its_policy(void **state)
{
    (void)state;
    itsm_policy *p;
    assert_ok(itsm_policy_new_default(&p, NULL));
    add(p, "db_urgent", database, 1, 2, 0, 15);
    add(p, "db_p4", database, 1, 4, 0, 15);
    add(p, "db_any", database, 1, 5, 0, 15);
    add(p, "catch_all", NULL, 0, 5, 0, 15);
    assert_int_equal(itsm_policy_check(p), 0);
    fixture f;
    fixture_open_policy(&f, p);
    assert_string_equal(policy_of(open_inc(&f, 1, 1, "database")), "db_urgent");   /* P1: all four take it */
    assert_string_equal(policy_of(open_inc(&f, 2, 2, "database")), "db_p4");       /* P3 */
    assert_string_equal(policy_of(open_inc(&f, 3, 3, "database")), "db_any");      /* P5 */
    /* no priority counts as 5: not db_p4's, db_any's */
    assert_string_equal(policy_of(open_without_priority(&f, "database")), "db_any");
    assert_string_equal(policy_of(open_inc(&f, 1, 1, "mail")), "catch_all");
    assert_string_equal(policy_of(open_without_priority(&f, "mail")), "catch_all");
    assert_int_equal(count_events(&f.store, "page"), 6);
    fixture_close(&f);
    itsm_policy_free(p);

    /* without a policy for every priority, an incident with none is not paged */
    assert_ok(itsm_policy_new_default(&p, NULL));
    add(p, "db_p4", database, 1, 4, 0, 15);
    fixture_open_policy(&f, p);
    assert_null(policy_of(open_without_priority(&f, "database")));
    assert_string_equal(policy_of(open_inc(&f, 2, 3, "database")), "db_p4");   /* P4 */
    assert_int_equal(count_events(&f.store, "page"), 1);
    fixture_close(&f);
    itsm_policy_free(p);
}

static void a_policy_behind_one_that_takes_every_incident_is_a_finding(void **state)
{
    (void)state;
    itsm_policy *p;
    assert_ok(itsm_policy_new_default(&p, NULL));
    add(p, "catch_all", NULL, 0, 5, 0, 15);
    add(p, "db_urgent", database, 1, 2, 0, 15);
    size_t n = itsm_policy_check(p);
    assert_true(n >= 1);
    int named = 0;
    for (size_t i = 0; i < n; i++) {
        const char *text = itsm_policy_finding(p, i);
        if (text && strstr(text, "'db_urgent'") && strstr(text, "'catch_all'"))
            named = 1;
    }
    if (!named)
        fail_msg("no finding names db_urgent behind catch_all (first: %s)", itsm_policy_finding(p, 0));
    itsm_policy_free(p);
}

/* Paged, resolved (the climb stops), reopened: no page by itself, and the
 * tick pages nobody; paging it by hand starts a new climb. */
static void a_reopened_incident_is_not_paged_again_by_itself(void **state)
{
    (void)state;
    itsm_policy *p;
    assert_ok(itsm_policy_new_default(&p, NULL));
    add(p, "db_any", database, 1, 5, 0, 15);
    fixture f;
    fixture_open_policy(&f, p);
    itsm_record *r = open_inc(&f, 2, 2, "database");
    f.clock.now = T0 + 5 * MIN;
    start_work(r);
    resolve(r);
    assert_int_equal(info(r).status, ITSM_ONCALL_STOPPED);
    f.clock.now = T0 + 10 * MIN;
    assert_ok(itsm_record_fire(r, "reopen", NULL, 0));
    assert_string_equal(itsm_record_state(r), "in_progress");
    assert_int_equal(info(r).status, ITSM_ONCALL_STOPPED);
    assert_int_equal(info(r).due, ITSM_TIME_NONE);
    f.clock.now = T0 + 2 * HOUR;
    assert_ok(itsm_engine_tick(f.eng, f.clock.now, NULL));
    assert_int_equal(count_events(&f.store, "page"), 1);
    assert_ok(itsm_oncall_page(r, "db_any"));
    itsm_oncall_info i = info(r);
    assert_int_equal(i.status, ITSM_ONCALL_PAGING);
    assert_int_equal(i.step, 1);
    assert_int_equal(i.round, 1);
    assert_int_equal(i.due, T0 + 2 * HOUR + 15 * MIN);
    assert_int_equal(count_events(&f.store, "page"), 2);
    assert_replay_same(&f, p, T0 + 3 * HOUR);
    fixture_close(&f);
    itsm_policy_free(p);
}

/* repeat 0: alice at T0, bob at T0 + 10 min, exhausted at T0 + 20 min. */
static void with_no_repeat_the_climb_ends_after_one_round(void **state)
{
    (void)state;
    itsm_policy *p;
    assert_ok(itsm_policy_new_default(&p, NULL));
    add(p, "once", NULL, 0, 5, 0, 10);
    fixture f;
    fixture_open_policy(&f, p);
    itsm_record *r = open_inc(&f, 2, 2, "database");
    assert_ok(itsm_engine_tick(f.eng, T0 + 10 * MIN - 1, NULL));
    assert_int_equal(count_events(&f.store, "page"), 1);
    assert_ok(itsm_engine_tick(f.eng, T0 + 10 * MIN, NULL));
    assert_int_equal(count_events(&f.store, "page"), 2);
    assert_int_equal(info(r).step, 2);
    assert_int_equal(info(r).due, T0 + 20 * MIN);
    assert_ok(itsm_engine_tick(f.eng, T0 + 20 * MIN, NULL));
    assert_int_equal(count_events(&f.store, "page"), 2);
    assert_int_equal(count_events(&f.store, "oncall_exhausted"), 1);
    itsm_oncall_info i = info(r);
    assert_int_equal(i.status, ITSM_ONCALL_EXHAUSTED);
    assert_int_equal(i.round, 1);
    assert_int_equal(i.pages, 2);
    assert_int_equal(i.due, ITSM_TIME_NONE);
    assert_ok(itsm_engine_tick(f.eng, T0 + DAY, NULL));
    assert_int_equal(count_events(&f.store, "oncall_exhausted"), 1);
    fixture_close(&f);
    itsm_policy_free(p);
}

static size_t index_of(const memstore *s, const char *type, const char *extra, size_t from)
{
    char needle[64];
    snprintf(needle, sizeof needle, "\"type\":\"%s\"", type);
    for (size_t i = from; i < s->n; i++)
        if (strstr(s->events[i], needle) && (!extra || strstr(s->events[i], extra)))
            return i;
    fail_msg("no %s event from %zu", type, from);
    return 0;
}

/* A P1 has a 15-minute response target (the default SLA) and alice 15
 * minutes to acknowledge: at T0 + 15 min the response breach is stored
 * before bob's page. */
static void at_one_instant_the_service_level_timers_fire_before_the_page(void **state)
{
    (void)state;
    itsm_policy *p;
    assert_ok(itsm_policy_new_default(&p, NULL));
    add(p, "db_any", database, 1, 5, 0, 15);
    fixture f;
    fixture_open_policy(&f, p);
    itsm_record *r = open_inc(&f, 1, 1, "database");
    assert_int_equal(timer(r, ITSM_TIMER_RESPONSE, T0).due, T0 + 15 * MIN);
    assert_int_equal(info(r).due, T0 + 15 * MIN);
    size_t fired = 0;
    assert_ok(itsm_engine_tick(f.eng, T0 + 15 * MIN, &fired));
    size_t breach = index_of(&f.store, "sla_breach", "\"timer\":\"response\"", 0);
    size_t page2 = index_of(&f.store, "page", "\"step\":2", 0);
    assert_true(breach < page2);
    assert_non_null(strstr(f.store.events[page2], "\"at\":\"2026-03-02T09:15:00Z\""));
    fixture_close(&f);
    itsm_policy_free(p);
}

/* Paging and acknowledging change the record: with the host clock behind
 * its last event both are refused with ITSM_ECLOCK naming both times
 * (a record's time never goes back), and nothing is stored. */
static void paging_and_acknowledging_refuse_a_clock_behind_the_record(void **state)
{
    (void)state;
    itsm_policy *p;
    assert_ok(itsm_policy_new_default(&p, NULL));
    add(p, "db_any", database, 1, 5, 0, 15);
    fixture f;
    fixture_open_policy(&f, p);
    f.clock.now = T0 + HOUR;
    itsm_record *r = open_inc(&f, 2, 2, "database");
    size_t n = f.store.n;
    f.clock.now = T0;
    assert_int_equal(itsm_oncall_acknowledge(r, "alice"), ITSM_ECLOCK);
    assert_non_null(strstr(itsm_errmsg(f.eng), "2026-03-02T09:00:00Z"));
    assert_non_null(strstr(itsm_errmsg(f.eng), "2026-03-02T10:00:00Z"));
    assert_int_equal(f.store.n, n);
    assert_int_equal(info(r).status, ITSM_ONCALL_PAGING);
    f.clock.now = T0 + 2 * HOUR;
    assert_ok(itsm_oncall_acknowledge(r, "alice"));
    n = f.store.n;
    f.clock.now = T0 + HOUR;
    assert_int_equal(itsm_oncall_page(r, "db_any"), ITSM_ECLOCK);
    assert_non_null(strstr(itsm_errmsg(f.eng), "2026-03-02T11:00:00Z"));
    assert_int_equal(f.store.n, n);
    assert_int_equal(info(r).status, ITSM_ONCALL_ACKNOWLEDGED);
    fixture_close(&f);
    itsm_policy_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_first_policy_that_takes_the_incident_is_its_policy),
        cmocka_unit_test(a_policy_behind_one_that_takes_every_incident_is_a_finding),
        cmocka_unit_test(a_reopened_incident_is_not_paged_again_by_itself),
        cmocka_unit_test(with_no_repeat_the_climb_ends_after_one_round),
        cmocka_unit_test(at_one_instant_the_service_level_timers_fire_before_the_page),
        cmocka_unit_test(paging_and_acknowledging_refuse_a_clock_behind_the_record),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
