/* SPDX-License-Identifier: Apache-2.0 */
/* Robustness of the public API (include/itsm/ headers): service levels,
 * escalation and major incidents. NULL for each pointer argument,
 * out-of-range enums and integers, and for strings an over-long one, invalid
 * UTF-8 and "": a negative code the header documents, a fresh engine message
 * naming the argument, every record (and the policy or packet given) exactly
 * as it was (support/api_check.h). */
#define _GNU_SOURCE 1   /* strcasestr */
#include "api_check.h"

/* ---- service levels ---- */
static void test_sla(void **state)
{
    (void)state;
    world_open();
    itsm_engine *eng = W.f.eng;
    itsm_policy *pol = W.pol;
    itsm_record *inc = W.inc;

    itsm_calendar_def cd = ITSM_CALENDAR_DEF_INIT;
    cd.name = "office";
    for (int d = 0; d < 5; d++) {
        cd.start[d] = 9 * 3600;
        cd.end[d] = 17 * 3600;
    }
    BAD_N(itsm_policy_set_calendar(NULL, &cd), ITSM_EINVAL);
    BAD_P(pol, "calendar", itsm_policy_set_calendar(pol, NULL), ITSM_EINVAL);
    {
        const char *hol_bad[] = { "2026-13-01" };
        const char *hol_null[] = { NULL };
        struct { int what; const char *needle; int code; } bad[] = {
            { 0, "version", ITSM_EINVAL }, { 1, "name", ITSM_EINVAL }, { 2, "name", ITSM_EINVAL },
            { 3, "name", ITSM_EINVAL }, { 4, "name", ITSM_EINVAL }, { 5, "offset", ITSM_EINVAL },
            { 6, "offset", ITSM_EINVAL }, { 7, "day 0", ITSM_EINVAL }, { 8, "day 0", ITSM_EINVAL },
            { 9, "2026-13-01", ITSM_EINVAL }, { 10, "holiday", ITSM_EINVAL }, { 11, "holidays", ITSM_EINVAL },
            { 12, "holiday", ITSM_ELIMIT }, { 13, "working", ITSM_EINVAL }, { 14, "day 0", ITSM_EINVAL },
        };
        for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
            itsm_calendar_def c = cd;
            switch (bad[i].what) {
            case 0: c.version = ITSM_CALENDAR_DEF_VERSION + 1; break;
            case 1: c.name = NULL; break;
            case 2: c.name = EMPTY; break;
            case 3: c.name = LONG_STR; break;
            case 4: c.name = BADUTF8; break;
            case 5: c.utc_offset = 50401; break;
            case 6: c.utc_offset = INT32_MIN; break;
            case 7: c.start[0] = 18 * 3600; break;
            case 8: c.end[0] = 86401; break;
            case 9: c.holidays = hol_bad; c.nholidays = 1; break;
            case 10: c.holidays = hol_null; c.nholidays = 1; break;
            case 11: c.holidays = NULL; c.nholidays = 3; break;
            case 12: c.holidays = hol_null; c.nholidays = 5000; break;
            case 13: memset(c.start, 0, sizeof c.start); memset(c.end, 0, sizeof c.end); break;
            case 14: c.start[0] = -1; break;
            }
            BAD_P(pol, bad[i].needle, itsm_policy_set_calendar(pol, &c), bad[i].code);
        }
    }
    int64_t work = 0;
    itsm_time due = 0;
    BAD_N(itsm_calendar_work(NULL, pol, "24x7", T0, T0 + 1), ITSM_EINVAL);
    BAD_N(itsm_calendar_work(&work, NULL, "24x7", T0, T0 + 1), ITSM_EINVAL);
    BAD_N(itsm_calendar_work(&work, pol, NULL, T0, T0 + 1), ITSM_EINVAL);
    BAD_N(itsm_calendar_work(&work, pol, "nosuch", T0, T0 + 1), ITSM_ENOTFOUND);
    BAD_N(itsm_calendar_work(&work, pol, LONG_STR, T0, T0 + 1), ITSM_ENOTFOUND, ITSM_EINVAL);
    BAD_N(itsm_calendar_work(&work, pol, BADUTF8, T0, T0 + 1), ITSM_ENOTFOUND, ITSM_EINVAL);
    BAD_N(itsm_calendar_work(&work, pol, "24x7", -1, T0), ITSM_EINVAL);
    BAD_N(itsm_calendar_work(&work, pol, "24x7", T0, ITSM_TIME_MAX + 1), ITSM_EINVAL);
    BAD_N(itsm_calendar_add(NULL, pol, "24x7", T0, 1), ITSM_EINVAL);
    BAD_N(itsm_calendar_add(&due, NULL, "24x7", T0, 1), ITSM_EINVAL);
    BAD_N(itsm_calendar_add(&due, pol, NULL, T0, 1), ITSM_EINVAL);
    BAD_N(itsm_calendar_add(&due, pol, "nosuch", T0, 1), ITSM_ENOTFOUND);
    BAD_N(itsm_calendar_add(&due, pol, "24x7", ITSM_TIME_MAX + 1, 1), ITSM_EINVAL);
    BAD_N(itsm_calendar_add(&due, pol, "24x7", T0, -1), ITSM_EINVAL);
    /* documented: a result past 9999 saturates */
    EXPECT(itsm_calendar_add(&due, pol, "24x7", T0, INT64_MAX) == ITSM_OK && due == ITSM_TIME_MAX);

    itsm_sla_def sd = ITSM_SLA_DEF_INIT;
    sd.name = "gold";
    BAD_N(itsm_policy_set_sla(NULL, &sd), ITSM_EINVAL);
    BAD_P(pol, "sla", itsm_policy_set_sla(pol, NULL), ITSM_EINVAL);
    sd.version = 9;
    BAD_P(pol, "version", itsm_policy_set_sla(pol, &sd), ITSM_EINVAL);
    sd.version = ITSM_SLA_DEF_VERSION;
    const char *bad_names[] = { NULL, EMPTY, LONG_STR, BADUTF8, "Gold" };
    for (size_t i = 0; i < sizeof bad_names / sizeof bad_names[0]; i++) {
        sd.name = bad_names[i];
        BAD_P(pol, "name", itsm_policy_set_sla(pol, &sd), ITSM_EINVAL);
    }
    sd.name = "gold";
    sd.calendar[2] = "nosuch";
    BAD_P(pol, "nosuch", itsm_policy_set_sla(pol, &sd), ITSM_ENOTFOUND);
    sd.calendar[2] = BADUTF8;
    BAD_P(pol, "calendar", itsm_policy_set_sla(pol, &sd), ITSM_ENOTFOUND, ITSM_EINVAL);

    BAD_N(itsm_policy_set_default_sla(NULL, "standard"), ITSM_EINVAL);
    BAD_P(pol, "sla", itsm_policy_set_default_sla(pol, NULL), ITSM_EINVAL, ITSM_ENOTFOUND);
    BAD_P(pol, "nosuch", itsm_policy_set_default_sla(pol, "nosuch"), ITSM_ENOTFOUND);
    BAD_P(pol, "sla", itsm_policy_set_default_sla(pol, EMPTY), ITSM_ENOTFOUND, ITSM_EINVAL);
    BAD_P(pol, "sla", itsm_policy_set_default_sla(pol, LONG_STR), ITSM_ENOTFOUND, ITSM_EINVAL);
    BAD_N(itsm_policy_set_service_sla(NULL, "mail", "standard"), ITSM_EINVAL);
    BAD_P(pol, "service", itsm_policy_set_service_sla(pol, NULL, "standard"), ITSM_EINVAL);
    BAD_P(pol, "service", itsm_policy_set_service_sla(pol, EMPTY, "standard"), ITSM_EINVAL);
    BAD_P(pol, "service", itsm_policy_set_service_sla(pol, LONG_STR, "standard"), ITSM_EINVAL);
    BAD_P(pol, "service", itsm_policy_set_service_sla(pol, BADUTF8, "standard"), ITSM_EINVAL);
    BAD_P(pol, "nosuch", itsm_policy_set_service_sla(pol, "mail", "nosuch"), ITSM_ENOTFOUND);
    BAD_N(itsm_policy_set_ola(NULL, "desk", 60, NULL), ITSM_EINVAL);
    BAD_P(pol, "group", itsm_policy_set_ola(pol, NULL, 60, NULL), ITSM_EINVAL);
    BAD_P(pol, "group", itsm_policy_set_ola(pol, EMPTY, 60, NULL), ITSM_EINVAL);
    BAD_P(pol, "group", itsm_policy_set_ola(pol, LONG_STR, 60, NULL), ITSM_EINVAL);
    BAD_P(pol, "group", itsm_policy_set_ola(pol, BADUTF8, 60, NULL), ITSM_EINVAL);
    BAD_P(pol, "nosuch", itsm_policy_set_ola(pol, "desk", 60, "nosuch"), ITSM_ENOTFOUND);
    BAD_N(itsm_policy_set_pause(NULL, "awaiting_customer", 1), ITSM_EINVAL);
    BAD_P(pol, "reason", itsm_policy_set_pause(pol, NULL, 1), ITSM_EINVAL);
    BAD_P(pol, "reason", itsm_policy_set_pause(pol, EMPTY, 1), ITSM_EINVAL);
    BAD_P(pol, "reason", itsm_policy_set_pause(pol, LONG_STR, 1), ITSM_EINVAL);
    BAD_P(pol, "reason", itsm_policy_set_pause(pol, BADUTF8, 1), ITSM_EINVAL);
    BAD_P(pol, "mask", itsm_policy_set_pause(pol, "awaiting_customer", 0x100u), ITSM_EINVAL);
    BAD_P(pol, "mask", itsm_policy_set_pause(pol, "awaiting_customer", ITSM_TIMER_BIT(ITSM_TIMER_NEXT_UPDATE)),
          ITSM_EINVAL);
    {
        unsigned w0[] = { 0 }, w1000[] = { 1000 }, wdesc[] = { 500, 400 }, wdup[] = { 500, 500 };
        unsigned w9[] = { 1, 2, 3, 4, 5, 6, 7, 8, 9 };
        BAD_N(itsm_policy_set_warnings(NULL, w9, 1), ITSM_EINVAL);
        BAD_P(pol, "warning", itsm_policy_set_warnings(pol, NULL, 1), ITSM_EINVAL);
        BAD_P(pol, "warning", itsm_policy_set_warnings(pol, w0, 1), ITSM_EINVAL);
        BAD_P(pol, "warning", itsm_policy_set_warnings(pol, w1000, 1), ITSM_EINVAL);
        BAD_P(pol, "warning", itsm_policy_set_warnings(pol, wdesc, 2), ITSM_EINVAL);
        BAD_P(pol, "warning", itsm_policy_set_warnings(pol, wdup, 2), ITSM_EINVAL);
        BAD_P(pol, "warning", itsm_policy_set_warnings(pol, w9, 9), ITSM_EINVAL);
        BAD_P(pol, "warning", itsm_policy_set_warnings(pol, w9, SIZE_MAX), ITSM_EINVAL);
    }
    {
        const char *s9[] = { "a", "b", "c", "d", "e", "f", "g", "h", "i" };
        const char *sdup[] = { "resolved", "resolved" };
        const char *sbad[] = { NULL }, *sempty[] = { EMPTY }, *slong[] = { LONG_STR }, *sutf[] = { BADUTF8 };
        BAD_N(itsm_policy_set_sla_stop_states(NULL, s9, 1), ITSM_EINVAL);
        BAD_P(pol, "states", itsm_policy_set_sla_stop_states(pol, NULL, 1), ITSM_EINVAL);
        BAD_P(pol, "stop state", itsm_policy_set_sla_stop_states(pol, s9, 9), ITSM_EINVAL);
        BAD_P(pol, "resolved", itsm_policy_set_sla_stop_states(pol, sdup, 2), ITSM_EINVAL);
        BAD_P(pol, "stop state", itsm_policy_set_sla_stop_states(pol, sbad, 1), ITSM_EINVAL);
        BAD_P(pol, "stop state", itsm_policy_set_sla_stop_states(pol, sempty, 1), ITSM_EINVAL);
        BAD_P(pol, "stop state", itsm_policy_set_sla_stop_states(pol, slong, 1), ITSM_EINVAL);
        BAD_P(pol, "stop state", itsm_policy_set_sla_stop_states(pol, sutf, 1), ITSM_EINVAL);
    }

    /* timers */
    itsm_timer_info ti = { .size = sizeof ti };
    BAD_N(itsm_record_timer(&ti, NULL, ITSM_TIMER_RESPONSE, T0), ITSM_EINVAL);
    BAD_E(eng, "out", itsm_record_timer(NULL, inc, ITSM_TIMER_RESPONSE, T0), ITSM_EINVAL);
    BAD_E(eng, "timer", itsm_record_timer(&ti, inc, (itsm_timer)4, T0), ITSM_EINVAL);
    BAD_E(eng, "timer", itsm_record_timer(&ti, inc, (itsm_timer)-1, T0), ITSM_EINVAL);
    BAD_E(eng, "1970", itsm_record_timer(&ti, inc, ITSM_TIMER_RESPONSE, -5), ITSM_EINVAL);
    EXPECT(itsm_record_sla(NULL) == NULL);
    BAD_N(itsm_record_set_sla(NULL, "standard"), ITSM_EINVAL);
    BAD_E(eng, "nosuch", itsm_record_set_sla(inc, "nosuch"), ITSM_ENOTFOUND);
    BAD_E(eng, "sla", itsm_record_set_sla(inc, EMPTY), ITSM_ENOTFOUND, ITSM_EINVAL);
    BAD_E(eng, "sla", itsm_record_set_sla(inc, LONG_STR), ITSM_ENOTFOUND, ITSM_EINVAL);
    BAD_E(eng, "sla", itsm_record_set_sla(inc, BADUTF8), ITSM_ENOTFOUND, ITSM_EINVAL);
    BAD_E(eng, "PRB-1", itsm_record_set_sla(W.prb, NULL), ITSM_ESTATE);

    world_close();
    assert_int_equal(failures, 0);
}

/* ---- escalation and major incidents ---- */
static void test_escalation(void **state)
{
    (void)state;
    world_open();
    itsm_engine *eng = W.f.eng;
    itsm_policy *pol = W.pol;
    itsm_record *inc = W.inc;

    BAD_N(itsm_policy_add_route(NULL, "c", "s", "g"), ITSM_EINVAL);
    BAD_P(pol, "group", itsm_policy_add_route(pol, "c", "s", NULL), ITSM_EINVAL);
    BAD_P(pol, "group", itsm_policy_add_route(pol, "c", "s", EMPTY), ITSM_EINVAL);
    BAD_P(pol, "group", itsm_policy_add_route(pol, "c", "s", LONG_STR), ITSM_EINVAL);
    BAD_P(pol, "group", itsm_policy_add_route(pol, "c", "s", BADUTF8), ITSM_EINVAL);
    BAD_P(pol, "category", itsm_policy_add_route(pol, BADUTF8, "s", "g"), ITSM_EINVAL);
    BAD_P(pol, "category", itsm_policy_add_route(pol, EMPTY, "s", "g"), ITSM_EINVAL);
    BAD_P(pol, "service", itsm_policy_add_route(pol, "c", LONG_STR, "g"), ITSM_EINVAL);
    {
        const char *roles[] = { "lead", "manager" };
        const char *bad1[] = { NULL }, *bad2[] = { EMPTY }, *bad3[] = { LONG_STR }, *bad4[] = { BADUTF8 },
                   *bad5[] = { "Lead" };
        const char *r10[10] = { "a", "b", "c", "d", "e", "f", "g", "h", "i", "j" };
        BAD_N(itsm_policy_set_ladder(NULL, roles, 2, 1, 0), ITSM_EINVAL);
        BAD_P(pol, "roles", itsm_policy_set_ladder(pol, NULL, 2, 1, 0), ITSM_EINVAL);
        BAD_P(pol, "role", itsm_policy_set_ladder(pol, roles, 0, 1, 0), ITSM_EINVAL);
        BAD_P(pol, "role", itsm_policy_set_ladder(pol, r10, 10, 1, 0), ITSM_EINVAL);
        BAD_P(pol, "role", itsm_policy_set_ladder(pol, bad1, 1, 1, 0), ITSM_EINVAL);
        BAD_P(pol, "role", itsm_policy_set_ladder(pol, bad2, 1, 1, 0), ITSM_EINVAL);
        BAD_P(pol, "role", itsm_policy_set_ladder(pol, bad3, 1, 1, 0), ITSM_EINVAL);
        BAD_P(pol, "role", itsm_policy_set_ladder(pol, bad4, 1, 1, 0), ITSM_EINVAL);
        BAD_P(pol, "role", itsm_policy_set_ladder(pol, bad5, 1, 1, 0), ITSM_EINVAL);
    }
    BAD_N(itsm_policy_set_ola_climb(NULL, 1), ITSM_EINVAL);
    itsm_major_policy mp = ITSM_MAJOR_POLICY_INIT;
    BAD_N(itsm_policy_set_major(NULL, &mp), ITSM_EINVAL);
    BAD_P(pol, "major", itsm_policy_set_major(pol, NULL), ITSM_EINVAL);
    mp.version = 2;
    BAD_P(pol, "version", itsm_policy_set_major(pol, &mp), ITSM_EINVAL);
    mp.version = ITSM_MAJOR_POLICY_VERSION;
    mp.propose_at_priority = 6;
    BAD_P(pol, "priority", itsm_policy_set_major(pol, &mp), ITSM_EINVAL);
    mp.propose_at_priority = -1;
    BAD_P(pol, "priority", itsm_policy_set_major(pol, &mp), ITSM_EINVAL);
    mp.propose_at_priority = 1;
    mp.communication_due = 0;
    BAD_P(pol, "communication_due", itsm_policy_set_major(pol, &mp), ITSM_EINVAL);
    mp.communication_due = 900;
    mp.groups_due = 0;
    BAD_P(pol, "groups_due", itsm_policy_set_major(pol, &mp), ITSM_EINVAL);

    /* functional */
    BAD_N(itsm_record_escalate(NULL, 0, NULL, "tried a reboot"), ITSM_EINVAL);
    BAD_E(eng, "tried", itsm_record_escalate(inc, 0, NULL, NULL), ITSM_EINVAL);
    BAD_E(eng, "tried", itsm_record_escalate(inc, 0, NULL, EMPTY), ITSM_EINVAL);
    BAD_E(eng, "tried", itsm_record_escalate(inc, 0, NULL, LONG_STR), ITSM_ELIMIT);
    BAD_E(eng, "tried", itsm_record_escalate(inc, 0, NULL, BADUTF8), ITSM_EINVAL);
    BAD_E(eng, "level", itsm_record_escalate(inc, -1, NULL, "x"), ITSM_EINVAL);
    BAD_E(eng, "level", itsm_record_escalate(inc, 4, NULL, "x"), ITSM_EINVAL);
    BAD_E(eng, "level", itsm_record_escalate(inc, INT_MIN, NULL, "x"), ITSM_EINVAL);
    BAD_E(eng, "group", itsm_record_escalate(inc, 0, EMPTY, "x"), ITSM_EINVAL);
    BAD_E(eng, "group", itsm_record_escalate(inc, 0, LONG_STR, "x"), ITSM_EINVAL, ITSM_ELIMIT);
    BAD_E(eng, "group", itsm_record_escalate(inc, 0, BADUTF8, "x"), ITSM_EINVAL);
    EXPECT(itsm_record_first_contact_resolution(NULL) == 0);

    /* hierarchical */
    BAD_N(itsm_record_escalate_hierarchical(NULL, "slow"), ITSM_EINVAL);
    BAD_E(eng, "reason", itsm_record_escalate_hierarchical(inc, NULL), ITSM_EINVAL);
    BAD_E(eng, "reason", itsm_record_escalate_hierarchical(inc, EMPTY), ITSM_EINVAL);
    BAD_E(eng, "reason", itsm_record_escalate_hierarchical(inc, LONG_STR), ITSM_ELIMIT);
    BAD_E(eng, "reason", itsm_record_escalate_hierarchical(inc, BADUTF8), ITSM_EINVAL);
    EXPECT(itsm_record_escalation_audience(NULL) == NULL);

    /* major incidents */
    BAD_N(itsm_major_propose(NULL, "big"), ITSM_EINVAL);
    BAD_E(eng, "reason", itsm_major_propose(inc, LONG_STR), ITSM_ELIMIT, ITSM_EINVAL);
    BAD_E(eng, "reason", itsm_major_propose(inc, BADUTF8), ITSM_EINVAL);
    BAD_E(eng, "reason", itsm_major_propose(inc, EMPTY), ITSM_EINVAL);
    BAD_E(eng, "PRB-1", itsm_major_propose(W.prb, "big"), ITSM_EINVAL, ITSM_ESTATE);
    BAD_N(itsm_major_decide(NULL, 1, "mim"), ITSM_EINVAL);
    BAD_E(eng, "propos", itsm_major_decide(inc, 1, "mim"), ITSM_ESTATE);
    BAD_E(eng, "manager", itsm_major_decide(inc, 1, NULL), ITSM_EINVAL, ITSM_ESTATE);
    BAD_N(itsm_major_communication_issued(NULL), ITSM_EINVAL);
    BAD_E(eng, "major", itsm_major_communication_issued(inc), ITSM_ESTATE);
    {
        const char *g[] = { "net", "db", "apps", "infra", "sec" };
        BAD_N(itsm_major_engage_groups(NULL, g, 1), ITSM_EINVAL);
        BAD_E(eng, NULL, itsm_major_engage_groups(inc, NULL, 1), ITSM_EINVAL, ITSM_ESTATE);
        BAD_E(eng, NULL, itsm_major_engage_groups(inc, g, 0), ITSM_EINVAL, ITSM_ESTATE);
        BAD_E(eng, NULL, itsm_major_engage_groups(inc, g, 5), ITSM_EINVAL, ITSM_ESTATE);
    }
    BAD_N(itsm_major_attach(NULL, inc), ITSM_EINVAL);
    BAD_E(eng, "child", itsm_major_attach(inc, NULL), ITSM_EINVAL);
    BAD_E(eng, NULL, itsm_major_attach(inc, inc), ITSM_EINVAL, ITSM_ESTATE);
    BAD_E(eng, NULL, itsm_major_attach(inc, W.inc2), ITSM_ESTATE);
    BAD_E(eng, NULL, itsm_major_attach(inc, W.alien), ITSM_EINVAL, ITSM_ESTATE);
    EXPECT(itsm_record_major_state(NULL) == ITSM_MAJOR_NONE);
    EXPECT(itsm_record_major_phase(NULL) == ITSM_PHASE_NONE);
    itsm_time due;
    int done, missed;
    BAD_N(itsm_record_major_deadline(&due, &done, &missed, NULL, 0), ITSM_EINVAL);
    BAD_E(eng, "due", itsm_record_major_deadline(NULL, &done, &missed, inc, 0), ITSM_EINVAL);
    BAD_E(eng, "done", itsm_record_major_deadline(&due, NULL, &missed, inc, 0), ITSM_EINVAL);
    BAD_E(eng, "missed", itsm_record_major_deadline(&due, &done, NULL, inc, 0), ITSM_EINVAL);
    BAD_E(eng, "which", itsm_record_major_deadline(&due, &done, &missed, inc, 2), ITSM_EINVAL, ITSM_ESTATE);
    BAD_E(eng, "major", itsm_record_major_deadline(&due, &done, &missed, inc, 0), ITSM_ESTATE);

    world_close();
    assert_int_equal(failures, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_sla, reset),
        cmocka_unit_test_setup(test_escalation, reset),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
