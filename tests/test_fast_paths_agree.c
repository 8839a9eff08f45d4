/* SPDX-License-Identifier: Apache-2.0 */
/* The one-event commits of an opening, an update and a step (the hooks a
 * capability says would do nothing skipped, the hooks openings run kept
 * by kind and fields) do what the whole batch path does, also when the
 * policy in force changes between two steps alike: a policy adopted later
 * with escalation policies pages, with routes routes, with another major
 * threshold proposes; a step carrying a priority or a service goes through
 * the major incidents' rules. Black-box: the public API and the stored
 * events only. */
#include "sla/sla_support.h"
#include "itsm/oncall.h"

static const char *const primary[] = { "alice" };

/* One escalation policy for every incident: alice, 15 minutes. */
static itsm_policy *paging_policy(void)
{
    itsm_policy *p;
    assert_ok(itsm_policy_new_default(&p, NULL));
    itsm_oncall_step steps[1] = { { primary, 1, 15 } };
    itsm_oncall_def d = ITSM_ONCALL_DEF_INIT;
    d.name = "everyone";
    d.steps = steps;
    d.nsteps = 1;
    assert_ok(itsm_policy_add_oncall(p, &d));
    return p;
}

static itsm_policy *proposing_at(int priority, uint32_t breadth)
{
    itsm_policy *p;
    assert_ok(itsm_policy_new_default(&p, NULL));
    itsm_major_policy m = ITSM_MAJOR_POLICY_INIT;
    m.propose_at_priority = priority;
    m.breadth_threshold = breadth;
    assert_ok(itsm_policy_set_major(p, &m));
    return p;
}

static int paged(const itsm_record *r)
{
    itsm_oncall_info i = { .size = sizeof i };
    return itsm_record_oncall(&i, r) == ITSM_OK && i.status == ITSM_ONCALL_PAGING;
}

static itsm_record *open_cat(fixture *f, const char *category)
{
    itsm_record *r = NULL;
    itsm_change c[2] = { { ITSM_F_SUMMARY, "Printer jam", 0 }, { ITSM_F_CATEGORY, category, 0 } };
    itsm_record_opts o = ITSM_RECORD_OPTS_INIT;
    o.fields = c;
    o.nfields = 2;
    assert_ok(itsm_record_open(&r, f->eng, &o));
    return r;
}

/* Escalation policies a policy adopted later page the incidents opened
 * from then on, also one opened with the same fields as one before them;
 * adopting a policy without any again pages none. */
static void escalation_policies_adopted_later_page_the_next_opening(void **state)
{
    (void)state;
    itsm_policy *none, *pages;
    assert_ok(itsm_policy_new_default(&none, NULL));
    pages = paging_policy();
    fixture f;
    fixture_open_with(&f, none, NULL);
    itsm_record *before = open_inc(&f, 2, 2, "mail");
    assert_false(paged(before));
    assert_ok(itsm_engine_adopt_policy(f.eng, pages));
    itsm_record *after = open_inc(&f, 2, 2, "mail");
    assert_true(paged(after));
    assert_int_equal(count_events(&f.store, "page"), 1);
    assert_ok(itsm_engine_adopt_policy(f.eng, none));
    itsm_record *again = open_inc(&f, 2, 2, "mail");
    assert_false(paged(again));
    assert_int_equal(count_events(&f.store, "page"), 1);
    fixture_close(&f);
    itsm_policy_free(none);
    itsm_policy_free(pages);
}

/* Routes a policy adopted later assign the incidents opened from then
 * on, also one opened with the same fields as one before them. */
static void routes_adopted_later_route_the_next_opening(void **state)
{
    (void)state;
    itsm_policy *none, *routes;
    assert_ok(itsm_policy_new_default(&none, NULL));
    assert_ok(itsm_policy_new_default(&routes, NULL));
    assert_ok(itsm_policy_add_route(routes, "hardware", NULL, "field_service"));
    fixture f;
    fixture_open_with(&f, none, NULL);
    itsm_record *before = open_cat(&f, "hardware");
    assert_null(itsm_record_str(before, ITSM_F_ASSIGNMENT_GROUP));
    assert_ok(itsm_engine_adopt_policy(f.eng, routes));
    itsm_record *after = open_cat(&f, "hardware");
    assert_non_null(itsm_record_str(after, ITSM_F_ASSIGNMENT_GROUP));
    assert_string_equal(itsm_record_str(after, ITSM_F_ASSIGNMENT_GROUP), "field_service");
    fixture_close(&f);
    itsm_policy_free(none);
    itsm_policy_free(routes);
}

/* A major threshold a policy adopted later proposes the openings and the
 * updates that reach it from then on: a P2 opened as one before it was
 * not, and an update raising a P3 to P2 through its urgency. */
static void a_major_threshold_adopted_later_proposes_openings_and_updates(void **state)
{
    (void)state;
    itsm_policy *one = proposing_at(1, 0), *two = proposing_at(2, 0);
    fixture f;
    fixture_open_with(&f, one, NULL);
    itsm_record *before = open_inc(&f, 1, 2, NULL), *p3 = open_inc(&f, 2, 2, NULL);
    assert_int_equal(itsm_record_int(before, ITSM_F_PRIORITY), 2);
    assert_int_equal(itsm_record_major_state(before), ITSM_MAJOR_NONE);
    assert_int_equal(itsm_record_int(p3, ITSM_F_PRIORITY), 3);
    assert_ok(itsm_engine_adopt_policy(f.eng, two));
    itsm_record *after = open_inc(&f, 1, 2, NULL);
    assert_int_equal(itsm_record_major_state(after), ITSM_MAJOR_PROPOSED);
    assert_ok(itsm_record_set_int(p3, ITSM_F_URGENCY, 1));
    assert_int_equal(itsm_record_int(p3, ITSM_F_PRIORITY), 2);
    assert_int_equal(itsm_record_major_state(p3), ITSM_MAJOR_PROPOSED);
    assert_int_equal(count_events(&f.store, "major_proposed"), 2);
    fixture_close(&f);
    itsm_policy_free(one);
    itsm_policy_free(two);
}

/* A lifecycle step that raises the priority to the threshold (its
 * urgency given with the step) proposes the incident, as an update
 * would; one that leaves it below proposes nothing. */
static void a_step_raising_the_priority_proposes_a_major_incident(void **state)
{
    (void)state;
    itsm_policy *p = proposing_at(2, 0);
    fixture f;
    fixture_open_with(&f, p, NULL);
    itsm_record *low = open_inc(&f, 3, 3, NULL), *raised = open_inc(&f, 2, 3, NULL);
    itsm_change keep[3] = { { ITSM_F_ASSIGNMENT_GROUP, "Desk", 0 }, { ITSM_F_ASSIGNEE, "ann", 0 },
                            { ITSM_F_URGENCY, NULL, 2 } };
    assert_ok(itsm_record_fire(low, "start", keep, 3));
    assert_int_equal(itsm_record_major_state(low), ITSM_MAJOR_NONE);
    itsm_change up[3] = { { ITSM_F_ASSIGNMENT_GROUP, "Desk", 0 }, { ITSM_F_ASSIGNEE, "ann", 0 },
                          { ITSM_F_URGENCY, NULL, 1 } };
    assert_ok(itsm_record_fire(raised, "start", up, 3));
    assert_int_equal(itsm_record_int(raised, ITSM_F_PRIORITY), 2);
    assert_int_equal(itsm_record_major_state(raised), ITSM_MAJOR_PROPOSED);
    assert_int_equal(count_events(&f.store, "major_proposed"), 1);
    assert_replay_same(&f, p, f.clock.now);
    fixture_close(&f);
    itsm_policy_free(p);
}

/* A lifecycle step moving an incident onto a service whose open incidents
 * then reach the breadth threshold proposes the first of them, though
 * the step's priority proposes nothing. */
static void a_step_moving_onto_a_busy_service_proposes_by_breadth(void **state)
{
    (void)state;
    itsm_policy *p = proposing_at(0, 2);
    fixture f;
    fixture_open_with(&f, p, NULL);
    itsm_record *first = open_inc(&f, 3, 3, "mail"), *moved = open_inc(&f, 3, 3, NULL);
    assert_int_equal(itsm_record_major_state(first), ITSM_MAJOR_NONE);
    itsm_change c[3] = { { ITSM_F_ASSIGNMENT_GROUP, "Desk", 0 }, { ITSM_F_ASSIGNEE, "ann", 0 },
                         { ITSM_F_SERVICE, "mail", 0 } };
    assert_ok(itsm_record_fire(moved, "start", c, 3));
    assert_int_equal(itsm_record_major_state(first), ITSM_MAJOR_PROPOSED);
    assert_int_equal(count_events(&f.store, "major_proposed"), 1);
    assert_replay_same(&f, p, f.clock.now);
    fixture_close(&f);
    itsm_policy_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(escalation_policies_adopted_later_page_the_next_opening),
        cmocka_unit_test(routes_adopted_later_route_the_next_opening),
        cmocka_unit_test(a_major_threshold_adopted_later_proposes_openings_and_updates),
        cmocka_unit_test(a_step_raising_the_priority_proposes_a_major_incident),
        cmocka_unit_test(a_step_moving_onto_a_busy_service_proposes_by_breadth),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
