/* SPDX-License-Identifier: Apache-2.0 */
/* A request's tasks in three steps (one task, two in parallel, one): a
 * step opens when the last task before it closes, each task is due its
 * OLA after its own step opened and is late only when closed after that;
 * a task assigned ahead keeps its assignee; a later task canceled ahead
 * leaves the request to complete when the last open one is done. */
#include "record_check.h"
#include "catalogue_policy.h"

#include <stdlib.h>
#include <string.h>

#define MIN ((itsm_time)60)

/* The default policy with one catalogue item, "onboarding". */
static itsm_policy *onboarding_policy(void)
{
    itsm_policy *def;
    assert_ok(itsm_policy_new_default(&def, NULL));
    return policy_with_catalogue(def,
                                 "\"catalogue\":[{\"name\":\"onboarding\",\"tasks\":["
                                 "{\"name\":\"create_account\",\"group\":\"identity\",\"step\":1,\"ola_minutes\":60},"
                                 "{\"name\":\"order_laptop\",\"group\":\"procurement\",\"step\":2,\"ola_minutes\":120},"
                                 "{\"name\":\"order_phone\",\"group\":\"telecom\",\"step\":2,\"ola_minutes\":120},"
                                 "{\"name\":\"hand_over\",\"group\":\"desk\",\"step\":3,\"ola_minutes\":30}]}]");
}

static void open_fixture(fixture *f)
{
    itsm_policy *p = onboarding_policy();
    fixture_open_sink(f, p, NULL, NULL);
    itsm_policy_free(p);
}

/* REQ1 for onboarding, approved by mia and put into fulfilment at T0. */
static itsm_record *in_fulfilment(fixture *f)
{
    itsm_change c[] = { { ITSM_F_SUMMARY, "a new starter", 0 }, { ITSM_F_CALLER, "pia", 0 },
                        { ITSM_F_SERVICE, "workplace", 0 } };
    itsm_record *r = open_kind(f, ITSM_KIND_SERVICE_REQUEST, "REQ1", c, N_(c));
    assert_ok(itsm_request_choose_item(r, "onboarding"));
    assert_ok(itsm_record_fire(r, "submit", NULL, 0));
    assert_ok(itsm_record_approve(r, NULL, "mia", NULL));
    assert_ok(itsm_record_fire(r, "approve", NULL, 0));
    itsm_change g[2] = { { ITSM_F_ASSIGNMENT_GROUP, "service_desk", 0 }, { ITSM_F_ASSIGNEE, "fay", 0 } };
    assert_ok(itsm_record_fire(r, "fulfil", g, 2));
    assert_int_equal(itsm_request_task_count(r), 4);
    return r;
}

static itsm_task_info task(const itsm_record *r, size_t i)
{
    itsm_task_info t = { .size = sizeof t };
    assert_ok(itsm_request_task_at(&t, r, i));
    return t;
}

enum { ACCOUNT, LAPTOP, PHONE, HAND_OVER };

static void each_task_is_due_its_ola_after_its_own_step_opens(void **state)
{
    (void)state;
    fixture f;
    open_fixture(&f);
    itsm_record *r = in_fulfilment(&f);
    itsm_task_info t = task(r, ACCOUNT);
    assert_int_equal(t.state, ITSM_TASK_OPEN);
    assert_int_equal(t.ola_minutes, 60);
    assert_int_equal(t.due, T0 + 60 * MIN);
    for (size_t i = LAPTOP; i <= HAND_OVER; i++) {
        t = task(r, i);
        assert_int_equal(t.state, ITSM_TASK_WAITING);
        assert_int_equal(t.due, ITSM_TIME_NONE);   /* its OLA runs from its own step */
    }

    /* Closed exactly at its due time: on time. Step 2 opens then, both tasks. */
    f.clock.now = T0 + 60 * MIN;
    assert_ok(itsm_request_task_close(r, "create_account", ITSM_TASK_DONE, NULL));
    t = task(r, ACCOUNT);
    assert_int_equal(t.closed_at, T0 + 60 * MIN);
    assert_int_equal(t.breached, 0);
    for (size_t i = LAPTOP; i <= PHONE; i++) {
        t = task(r, i);
        assert_int_equal(t.state, ITSM_TASK_OPEN);
        assert_int_equal(t.opened_at, T0 + 60 * MIN);
        assert_int_equal(t.due, T0 + 180 * MIN);
    }
    assert_int_equal(task(r, HAND_OVER).state, ITSM_TASK_WAITING);

    /* One of two parallel tasks closed: step 3 still waits for the other. */
    f.clock.now = T0 + 120 * MIN;
    assert_ok(itsm_request_task_close(r, "order_phone", ITSM_TASK_DONE, NULL));
    assert_int_equal(task(r, HAND_OVER).state, ITSM_TASK_WAITING);
    assert_fails(f.eng, itsm_request_task_close(r, "hand_over", ITSM_TASK_DONE, NULL), ITSM_ESTATE,
                 "task 'hand_over' of REQ1 waits for step 2 ('order_laptop' open)");

    /* A second past due: late. Step 3 opens at that close, its OLA from then. */
    f.clock.now = T0 + 180 * MIN + 1;
    assert_ok(itsm_request_task_close(r, "order_laptop", ITSM_TASK_DONE, "Back-ordered"));
    assert_int_equal(task(r, LAPTOP).breached, 1);
    assert_int_equal(task(r, PHONE).breached, 0);
    t = task(r, HAND_OVER);
    assert_int_equal(t.state, ITSM_TASK_OPEN);
    assert_int_equal(t.opened_at, T0 + 180 * MIN + 1);
    assert_int_equal(t.due, T0 + 210 * MIN + 1);
    assert_string_equal(itsm_record_state(r), "fulfilling");

    f.clock.now += 10 * MIN;
    assert_ok(itsm_request_task_close(r, "hand_over", ITSM_TASK_DONE, NULL));
    assert_int_equal(task(r, HAND_OVER).breached, 0);
    assert_string_equal(itsm_record_state(r), "fulfilled");
    assert_int_equal(itsm_record_int(r, ITSM_F_RESOLVED_AT), T0 + 190 * MIN + 1);
    fixture_close(&f);
}

static void a_task_assigned_ahead_keeps_its_assignee_when_its_step_opens(void **state)
{
    (void)state;
    fixture f;
    open_fixture(&f);
    itsm_record *r = in_fulfilment(&f);
    assert_ok(itsm_request_task_assign(r, "hand_over", "ida"));
    itsm_task_info t = task(r, HAND_OVER);
    assert_int_equal(t.state, ITSM_TASK_WAITING);
    assert_string_equal(t.assignee, "ida");
    assert_string_equal(t.group, "desk");   /* assigning a person leaves the task's group */
    assert_ok(itsm_request_task_close(r, "create_account", ITSM_TASK_DONE, NULL));
    assert_ok(itsm_request_task_close(r, "order_laptop", ITSM_TASK_DONE, NULL));
    assert_ok(itsm_request_task_close(r, "order_phone", ITSM_TASK_DONE, NULL));
    t = task(r, HAND_OVER);
    assert_int_equal(t.state, ITSM_TASK_OPEN);
    assert_string_equal(t.assignee, "ida");
    /* A new assignee replaces the first. */
    assert_ok(itsm_request_task_assign(r, "hand_over", "dan"));
    assert_string_equal(task(r, HAND_OVER).assignee, "dan");
    fixture_close(&f);
}

static void a_later_task_canceled_ahead_lets_the_last_open_one_complete_the_request(void **state)
{
    (void)state;
    fixture f;
    open_fixture(&f);
    itsm_record *r = in_fulfilment(&f);
    /* The starter brings their own phone and collects the laptop themselves. */
    assert_ok(itsm_request_task_close(r, "order_phone", ITSM_TASK_CANCELED, "Own phone"));
    assert_ok(itsm_request_task_close(r, "hand_over", ITSM_TASK_CANCELED, "Collects it"));
    assert_int_equal(task(r, ACCOUNT).state, ITSM_TASK_OPEN);
    assert_int_equal(task(r, LAPTOP).state, ITSM_TASK_WAITING);
    itsm_change notes = { ITSM_F_RESOLUTION_NOTES, "Handed over", 0 };
    assert_fails(f.eng, itsm_record_fire(r, "complete", &notes, 1), ITSM_EGUARD,
                 "2 of 4 tasks of REQ1 open");
    assert_ok(itsm_request_task_close(r, "create_account", ITSM_TASK_DONE, NULL));
    assert_int_equal(task(r, LAPTOP).state, ITSM_TASK_OPEN);
    assert_string_equal(itsm_record_state(r), "fulfilling");
    assert_ok(itsm_request_task_close(r, "order_laptop", ITSM_TASK_DONE, NULL));
    assert_string_equal(itsm_record_state(r), "fulfilled");
    assert_string_equal(itsm_record_str(r, ITSM_F_RESOLUTION_NOTES),
                        "Fulfilled: every task of catalogue item 'onboarding' closed (4 tasks)");
    fixture_close(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(each_task_is_due_its_ola_after_its_own_step_opens),
        cmocka_unit_test(a_task_assigned_ahead_keeps_its_assignee_when_its_step_opens),
        cmocka_unit_test(a_later_task_canceled_ahead_lets_the_last_open_one_complete_the_request),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
