/* SPDX-License-Identifier: Apache-2.0 */
/* Escalation at its thresholds (DESIGN.md section 5, seeds 001 and 003):
 * which warnings and breaches climb a rung of the ladder and which never
 * do, a breach after a climb by hand, the routing table's precedence and
 * the routed group's OLA, and the initial 15 minutes of a major incident
 * that is put on hold or lowered in priority. Black-box: the public API and the stored
 * events only. */
#include "sla/sla_support.h"

static size_t timer_events(const memstore *s, const char *type, const char *which)
{
    char part[64];
    snprintf(part, sizeof part, "\"timer\":\"%s\"", which);
    return count_with(s, type, part);
}

static int level(const itsm_record *r) { return (int)itsm_record_int(r, ITSM_F_HIERARCHICAL_LEVEL); }

/* With warnings climbing the ladder, an OLA warning still never climbs
 * (docs/service-levels.md): the OLA's breach climbs, and the customer
 * resolution clock's warning climbs the next rung. */
static void an_ola_warning_never_climbs_even_when_warnings_climb(void **state)
{
    (void)state;
    itsm_policy *p;
    assert_ok(itsm_policy_new_default(&p, NULL));
    const char *ladder[] = { "team_lead", "service_desk_manager", "head_of_it_services" };
    assert_ok(itsm_policy_set_ladder(p, ladder, 3, 1, 1));
    assert_ok(itsm_policy_set_ola(p, "Desk", 4 * HOUR, NULL));
    fixture f;
    fixture_open_policy(&f, p);
    itsm_record *r = open_inc(&f, 2, 2, NULL);   /* P3: 24 office hours, warning at 18 */
    start_work(r);                              /* Desk, answered at once */
    sla_tick(&f, T0 + 3 * HOUR);
    assert_int_equal(timer_events(&f.store, "sla_warning", "ola"), 1);
    assert_int_equal(level(r), 0);
    assert_int_equal(count_events(&f.store, "escalation_step"), 0);
    sla_tick(&f, T0 + 4 * HOUR);
    assert_int_equal(timer_events(&f.store, "sla_breach", "ola"), 1);
    assert_int_equal(level(r), 1);
    /* 18 office hours: Mon 8, Tue 8, Wed 09:00-11:00 */
    sla_tick(&f, T0 + 2 * DAY + 2 * HOUR - 1);
    assert_int_equal(level(r), 1);
    sla_tick(&f, T0 + 2 * DAY + 2 * HOUR);
    assert_int_equal(timer_events(&f.store, "sla_warning", "resolution"), 1);
    assert_int_equal(level(r), 2);
    assert_string_equal(itsm_record_escalation_audience(r), "service_desk_manager");
    assert_non_null(strstr(last_of(&f.store, "escalation_step"), "\"reason\":\"warning\""));
    assert_replay_same(&f, p, T0 + 3 * DAY);
    fixture_close(&f);
    itsm_policy_free(p);
}

/* A rung climbed by hand is a rung climbed: the breach that follows takes
 * the next one (service desk manager), with the reason "breach". */
static void a_breach_after_a_climb_by_hand_takes_the_next_rung(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *r = open_inc(&f, 1, 1, NULL);   /* P1: 4 h */
    start_work(r);
    f.clock.now = T0 + HOUR;
    assert_ok(itsm_record_escalate_hierarchical(r, "the caller is the CFO"));
    assert_int_equal(level(r), 1);
    sla_tick(&f, T0 + 4 * HOUR - 1);
    assert_int_equal(level(r), 1);   /* the warning at 3 h does not climb */
    sla_tick(&f, T0 + 4 * HOUR);
    assert_int_equal(level(r), 2);
    assert_string_equal(itsm_record_escalation_audience(r), "service_desk_manager");
    const char *step = last_of(&f.store, "escalation_step");
    assert_non_null(strstr(step, "\"reason\":\"breach\""));
    assert_non_null(strstr(step, "\"audience\":\"service_desk_manager\""));
    assert_non_null(strstr(step, "\"level\":2"));
    assert_replay_same(&f, NULL, T0 + 4 * HOUR);
    fixture_close(&f);
}

/* With several warning fractions and warnings climbing, each warning
 * climbs one rung at its own instant and the breach the next: 50% at
 * 4 h, 75% at 6 h, the breach at 8 h reaches the top. */
static void each_warning_fraction_climbs_a_rung_at_its_instant(void **state)
{
    (void)state;
    itsm_policy *p;
    assert_ok(itsm_policy_new_default(&p, NULL));
    const char *ladder[] = { "team_lead", "service_desk_manager", "head_of_it_services" };
    assert_ok(itsm_policy_set_ladder(p, ladder, 3, 1, 1));
    const unsigned w[] = { 500, 750 };
    assert_ok(itsm_policy_set_warnings(p, w, 2));
    fixture f;
    fixture_open_policy(&f, p);
    itsm_record *r = open_inc(&f, 1, 2, NULL);   /* P2: 8 h */
    start_work(r);
    const itsm_time at[] = { 4 * HOUR, 6 * HOUR, 8 * HOUR };
    for (int k = 0; k < 3; k++) {
        sla_tick(&f, T0 + at[k] - 1);
        assert_int_equal(level(r), k);
        sla_tick(&f, T0 + at[k]);
        assert_int_equal(level(r), k + 1);
        assert_string_equal(itsm_record_escalation_audience(r), ladder[k]);
    }
    assert_non_null(strstr(last_of(&f.store, "escalation_step"), "\"reason\":\"breach\""));
    sla_tick(&f, T0 + 30 * DAY);
    assert_int_equal(count_events(&f.store, "escalation_step"), 3);
    assert_replay_same(&f, p, T0 + 30 * DAY);
    fixture_close(&f);
    itsm_policy_free(p);
}

/* Seed 001: the first 15 minutes are for the initial communication and
 * engaging the resolving groups. Putting the major incident on hold
 * (awaiting the customer, which pauses its resolution clock) does not
 * pause them: both deadlines are missed one second after 15 minutes. */
static void a_major_incident_on_hold_still_owes_its_fifteen_minutes(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *r = open_inc(&f, 1, 1, NULL);
    assert_ok(itsm_major_decide(r, 1, "mim"));
    f.clock.now = T0 + MIN;
    start_work(r);
    f.clock.now = T0 + 2 * MIN;
    hold(r, "awaiting_customer");
    assert_int_equal(timer(r, ITSM_TIMER_RESOLUTION, T0 + 10 * MIN).status, ITSM_TIMER_PAUSED);
    sla_tick(&f, T0 + 15 * MIN);
    assert_int_equal(count_events(&f.store, "major_deadline_missed"), 0);
    sla_tick(&f, T0 + 15 * MIN + 1);
    assert_int_equal(count_events(&f.store, "major_deadline_missed"), 2);
    assert_int_equal(count_with(&f.store, "major_deadline_missed", "\"at\":\"2026-03-02T09:15:01Z\""), 2);
    itsm_time due;
    int done, missed;
    for (int which = 0; which < 2; which++) {
        assert_ok(itsm_record_major_deadline(&due, &done, &missed, r, which));
        assert_int_equal(due, T0 + 15 * MIN);
        assert_false(done);
        assert_true(missed);
    }
    assert_replay_same(&f, NULL, T0 + 20 * MIN);
    fixture_close(&f);
}

/* The major incident manager's acceptance, not the priority, makes a
 * major incident: lowered to P3 right after the acceptance it stays
 * accepted, in its first phase, and its two deadlines stand. */
static void a_lowered_priority_keeps_the_major_incidents_fifteen_minutes(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *r = open_inc(&f, 1, 1, NULL);
    assert_ok(itsm_major_decide(r, 1, "mim"));
    f.clock.now = T0 + MIN;
    assert_ok(itsm_record_set_int(r, ITSM_F_URGENCY, 3));
    assert_int_equal(itsm_record_int(r, ITSM_F_PRIORITY), 3);
    assert_int_equal(itsm_record_major_state(r), ITSM_MAJOR_ACCEPTED);
    assert_int_equal(itsm_record_major_phase(r), ITSM_PHASE_INITIAL);
    f.clock.now = T0 + 15 * MIN;
    const char *g[] = { "Network" };
    assert_ok(itsm_major_engage_groups(r, g, 1));   /* at the last second: on time */
    sla_tick(&f, T0 + 15 * MIN + 1);
    assert_int_equal(count_events(&f.store, "major_deadline_missed"), 1);
    assert_non_null(strstr(last_of(&f.store, "major_deadline_missed"), "\"deadline\":\"communication\""));
    assert_replay_same(&f, NULL, T0 + 20 * MIN);
    fixture_close(&f);
}

/* Seed 003, "pass it to the right person first time": of a rule for the
 * category and one for the service, the category's is the more specific
 * (both, then category, then service). The routed group holds the
 * incident from its opening, so its OLA counts from there. */
static void the_category_route_wins_and_the_routed_group_owns_the_ola_from_the_opening(void **state)
{
    (void)state;
    itsm_policy *p;
    assert_ok(itsm_policy_new_default(&p, NULL));
    assert_ok(itsm_policy_add_route(p, NULL, "Mail", "Messaging"));
    assert_ok(itsm_policy_add_route(p, "network", NULL, "Network"));
    assert_ok(itsm_policy_set_ola(p, "Network", HOUR, NULL));
    assert_string_equal(itsm_policy_route(p, "network", "Mail"), "Network");
    assert_string_equal(itsm_policy_route(p, "printing", "Mail"), "Messaging");
    fixture f;
    fixture_open_policy(&f, p);
    itsm_record *r = NULL;
    itsm_change init[5] = { { ITSM_F_SUMMARY, "Mail relay unreachable", 0 }, { ITSM_F_IMPACT, NULL, 2 },
                            { ITSM_F_URGENCY, NULL, 2 }, { ITSM_F_SERVICE, "Mail", 0 },
                            { ITSM_F_CATEGORY, "network", 0 } };
    itsm_record_opts o = ITSM_RECORD_OPTS_INIT;
    o.fields = init;
    o.nfields = 5;
    assert_ok(itsm_record_open(&r, f.eng, &o));
    assert_string_equal(itsm_record_str(r, ITSM_F_ASSIGNMENT_GROUP), "Network");
    itsm_timer_info t = timer(r, ITSM_TIMER_OLA, T0 + 30 * MIN);
    assert_int_equal(t.status, ITSM_TIMER_RUNNING);
    assert_int_equal(t.elapsed, 30 * MIN);
    assert_int_equal(t.due, T0 + HOUR);
    sla_tick(&f, T0 + HOUR - 1);
    assert_int_equal(timer_events(&f.store, "sla_breach", "ola"), 0);
    sla_tick(&f, T0 + HOUR);
    assert_int_equal(timer_events(&f.store, "sla_breach", "ola"), 1);
    assert_non_null(strstr(last_of(&f.store, "sla_breach"), "\"audience\":[\"Network\"]"));
    assert_int_equal(level(r), 1);
    assert_replay_same(&f, p, T0 + HOUR);
    fixture_close(&f);
    itsm_policy_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(an_ola_warning_never_climbs_even_when_warnings_climb),
        cmocka_unit_test(a_breach_after_a_climb_by_hand_takes_the_next_rung),
        cmocka_unit_test(each_warning_fraction_climbs_a_rung_at_its_instant),
        cmocka_unit_test(the_category_route_wins_and_the_routed_group_owns_the_ola_from_the_opening),
        cmocka_unit_test(a_major_incident_on_hold_still_owes_its_fifteen_minutes),
        cmocka_unit_test(a_lowered_priority_keeps_the_major_incidents_fifteen_minutes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
