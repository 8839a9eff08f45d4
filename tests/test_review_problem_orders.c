/* SPDX-License-Identifier: Apache-2.0 */
/* A major incident's problem review in unusual but legal orders (the
 * guard review:owned, docs/reviews.md): a problem linked to the major
 * incident before its review exists is held by an unowned action added
 * later; a link made from the major incident's side counts as one made
 * from the problem's; a problem linked to two major incidents waits for
 * the actions of both; an unowned action added after the problem was
 * resolved holds its closure. */
#include "sla/sla_support.h"

#define ITSM_DUE(days) (T0 + (days) * DAY)

static itsm_record *major(fixture *f, const char *service)
{
    itsm_record *r = open_inc(f, 1, 1, service);
    assert_ok(itsm_major_decide(r, 1, "mim_max"));
    return r;
}

static itsm_record *problem(fixture *f)
{
    itsm_record *p = NULL;
    itsm_record_opts o = ITSM_RECORD_OPTS_INIT;
    o.kind = ITSM_KIND_PROBLEM;
    assert_ok(itsm_record_open(&p, f->eng, &o));
    return p;
}

static int close_without_fix(itsm_record *p)
{
    itsm_change c[2] = { { ITSM_F_RESOLUTION_CODE, "risk_accepted", 0 },
                         { ITSM_F_CLOSE_JUSTIFICATION, "not worth digging", 0 } };
    return itsm_record_fire(p, "close_without_fix", c, 2);
}

static void a_problem_linked_before_the_review_waits_for_its_later_actions(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *m = major(&f, "payments");
    itsm_record *p = problem(&f);
    assert_ok(itsm_record_link(p, ITSM_LINK_RELATED, m));
    assert_ok(itsm_review_open(m));
    assert_ok(itsm_review_add_action(m, "alarm", "Alert on disk space", NULL, ITSM_DUE(7)));
    assert_fails(f.eng, close_without_fix(p), ITSM_EGUARD,
                 "needs every review action owned: action 'alarm' (Alert on disk space) of the review of INC-000001 "
                 "has no owner");
    assert_string_equal(itsm_record_state(p), "new");
    assert_ok(itsm_review_assign_action(m, "alarm", "ops_bob"));
    assert_ok(close_without_fix(p));
    fixture_close(&f);
}

static void a_problem_linked_to_two_majors_waits_for_both_reviews(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *m1 = major(&f, "payments");
    itsm_record *m2 = major(&f, "mail");
    itsm_record *p = problem(&f);
    assert_ok(itsm_record_link(p, ITSM_LINK_RELATED, m1));
    assert_ok(itsm_record_link(m2, ITSM_LINK_RELATED, p));   /* from the major's side */
    assert_ok(itsm_review_open(m1));
    assert_ok(itsm_review_open(m2));
    assert_ok(itsm_review_add_action(m1, "alarm", "Alert on disk space", "ops_bob", ITSM_DUE(7)));
    assert_ok(itsm_review_add_action(m2, "dns", "Fix DNS", NULL, ITSM_DUE(7)));
    assert_fails(f.eng, close_without_fix(p), ITSM_EGUARD, "action 'dns' (Fix DNS) of the review of INC-000002");
    assert_ok(itsm_review_assign_action(m2, "dns", "net_ann"));
    assert_ok(close_without_fix(p));
    fixture_close(&f);
}

static void an_action_added_after_the_resolution_holds_the_closure(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *m = major(&f, "payments");
    assert_ok(itsm_review_open(m));
    itsm_record *p = NULL;
    assert_ok(itsm_problem_open_from_incident(&p, m, NULL));
    itsm_change a[2] = { { ITSM_F_ASSIGNEE, "pm_paula", 0 }, { ITSM_F_CATEGORY, "storage", 0 } };
    assert_ok(itsm_record_fire(p, "assess", a, 2));
    assert_ok(itsm_record_fire(p, "analyse", NULL, 0));
    itsm_change k[2] = { { ITSM_F_CAUSE, "a full disk", 0 }, { ITSM_F_NO_WORKAROUND, NULL, 1 } };
    assert_ok(itsm_record_fire(p, "identify", k, 2));
    itsm_change r[2] = { { ITSM_F_RESOLUTION_CODE, "fix_applied", 0 }, { ITSM_F_RESOLUTION_NOTES, "disk grown", 0 } };
    assert_ok(itsm_record_fire(p, "resolve", r, 2));
    f.clock.now += 3600;
    assert_ok(itsm_review_add_action(m, "alarm", "Alert on disk space", NULL, ITSM_DUE(7)));
    assert_fails(f.eng, itsm_record_fire(p, "close", NULL, 0), ITSM_EGUARD, "action 'alarm'");
    assert_string_equal(itsm_record_state(p), "resolved");
    assert_ok(itsm_review_assign_action(m, "alarm", "ops_bob"));
    assert_ok(itsm_record_fire(p, "close", NULL, 0));
    fixture_close(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_problem_linked_before_the_review_waits_for_its_later_actions),
        cmocka_unit_test(a_problem_linked_to_two_majors_waits_for_both_reviews),
        cmocka_unit_test(an_action_added_after_the_resolution_holds_the_closure),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
