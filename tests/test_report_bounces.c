/* SPDX-License-Identifier: Apache-2.0 */
/* The analyst's process figures at their edges ("how many
 * incidents bounced between teams (a team handling the same incident
 * twice, non-contiguously)", team changes, pushes to a higher line;
 * itsm/report.h "process"): what is and is not a bounce, a change and a
 * push. */
#include "record_check.h"

#include <string.h>

static itsm_record *open_in(fixture *f, const char *id, const char *group)
{
    itsm_change ch[2] = { { ITSM_F_SUMMARY, "mail", 0 }, { ITSM_F_ASSIGNMENT_GROUP, group, 0 } };
    itsm_record *r;
    assert_ok(open_into(&r, f, ITSM_KIND_INCIDENT, id, ch, 2));
    return r;
}

static void set_group(fixture *f, itsm_record *r, const char *group)
{
    itsm_change ch = { ITSM_F_ASSIGNMENT_GROUP, group, 0 };
    f->clock.now += 60;
    assert_ok(itsm_record_update(r, &ch, 1));
}

static void set_level(fixture *f, itsm_record *r, int level)
{
    itsm_change ch = { ITSM_F_FUNCTIONAL_LEVEL, NULL, level };
    f->clock.now += 60;
    assert_ok(itsm_record_update(r, &ch, 1));
}

static itsm_report_process process_of(fixture *f)
{
    itsm_report *rep;
    itsm_report_opts o = ITSM_REPORT_OPTS_INIT;
    assert_ok(itsm_report_new(&rep, f->eng, &o));
    assert_int_equal(itsm_report_process_available(rep), 1);
    itsm_report_process p = { .size = sizeof p };
    assert_ok(itsm_report_process_of(&p, rep));
    itsm_report_free(rep);
    return p;
}

/* A team that gets the incident back after another team bounced it: A -> B
 * -> A -> B is three changes, one record, two returns (A once, B once). */
static void each_return_to_a_team_after_another_is_a_bounce(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *r = open_in(&f, "R1", "desk");
    set_group(&f, r, "network");
    set_group(&f, r, "desk");
    set_group(&f, r, "network");
    itsm_report_process p = process_of(&f);
    assert_int_equal(p.group_changes, 3);
    assert_int_equal(p.ping_pong_records, 1);
    assert_int_equal(p.ping_pong_returns, 2);
    fixture_close(&f);
}

/* Handling it twice contiguously is no bounce: the group cleared and set
 * again, or set to the group it has, is no change and no return. */
static void the_same_team_again_without_another_between_is_no_bounce(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *r = open_in(&f, "R1", "desk");
    set_group(&f, r, NULL);
    set_group(&f, r, "desk");
    set_group(&f, r, "desk");
    itsm_record *s = open_in(&f, "R2", "desk");
    set_group(&f, s, "network");
    set_group(&f, s, "storage");   /* three teams, none twice */
    itsm_report_process p = process_of(&f);
    assert_int_equal(p.group_changes, 2);
    assert_int_equal(p.ping_pong_records, 0);
    assert_int_equal(p.ping_pong_returns, 0);
    fixture_close(&f);
}

/* Pushes to a higher line are the steps that raise the level: 1 -> 2 ->
 * 1 -> 2 is two pushes (the step down is none), 1 -> 3 one. */
static void only_steps_up_are_pushes_to_a_higher_line(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *r = open_in(&f, "R1", "desk");
    set_level(&f, r, 1);
    set_level(&f, r, 2);
    set_level(&f, r, 1);
    set_level(&f, r, 2);
    itsm_record *s = open_in(&f, "R2", "desk");
    set_level(&f, s, 1);
    set_level(&f, s, 3);
    itsm_report_process p = process_of(&f);
    assert_int_equal(p.functional_escalations, 3);
    assert_int_equal(p.escalated_records, 2);
    assert_int_equal(p.completed, 0);
    assert_int_equal(p.stayed_first_line, 0);
    fixture_close(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(each_return_to_a_team_after_another_is_a_bounce),
        cmocka_unit_test(the_same_team_again_without_another_between_is_no_bounce),
        cmocka_unit_test(only_steps_up_are_pushes_to_a_higher_line),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
