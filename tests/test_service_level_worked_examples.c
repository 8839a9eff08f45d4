/* SPDX-License-Identifier: Apache-2.0 */
/* Service levels worked out by hand (DESIGN.md sections 4 and 5): targets
 * on office-hours calendars with a UTC offset, weekends and holidays;
 * pauses by reason and paused time carried over a priority or SLA change;
 * every timer read on its own; SLA beside OLA as groups and escalations
 * move the record; warnings to whoever holds it; breaches climbing a
 * ladder that runs out; children stopping their clocks with the parent.
 * Black-box: the public API and the stored events only; each figure is
 * derived in the comment above its test. */
#include "sla/sla_support.h"

/* Days from T0 (Monday 2026-03-02 09:00Z). */
#define FRI (4 * DAY)
#define NEXT_MON (7 * DAY)

/* A Monday-to-Friday 09:00-17:00 calendar at a fixed offset. */
static void set_office_calendar(itsm_policy *p, const char *name, int32_t utc_offset, const char *const *hol,
                                size_t nhol)
{
    itsm_calendar_def d = ITSM_CALENDAR_DEF_INIT;
    d.name = name;
    d.utc_offset = utc_offset;
    for (int i = 0; i < 5; i++) {
        d.start[i] = 9 * HOUR;
        d.end[i] = 17 * HOUR;
    }
    d.holidays = hol;
    d.nholidays = nhol;
    assert_ok(itsm_policy_set_calendar(p, &d));
}

/* The default policy with `calendar` (Mon-Fri 09:00-17:00 at utc_offset,
 * with the holidays given) and a default SLA "office" keeping every target
 * on it: response 4 h and resolution 40 h, but for the P2 and P3 figures
 * given. */
static itsm_policy *office_policy(const char *calendar, int32_t utc_offset, const char *const *hol, size_t nhol,
                                  uint32_t p2_response, uint32_t p2_resolution, uint32_t p3_resolution)
{
    itsm_policy *p;
    assert_ok(itsm_policy_new_default(&p, NULL));
    set_office_calendar(p, calendar, utc_offset, hol, nhol);
    itsm_sla_def s = ITSM_SLA_DEF_INIT;
    s.name = "office";
    for (int i = 0; i < 5; i++) {
        s.response[i] = 4 * HOUR;
        s.resolution[i] = 40 * HOUR;
        s.calendar[i] = calendar;
    }
    s.response[1] = p2_response;
    s.resolution[1] = p2_resolution;
    s.resolution[2] = p3_resolution;
    assert_ok(itsm_policy_set_sla(p, &s));
    assert_ok(itsm_policy_set_default_sla(p, "office"));
    return p;
}

/* A P2 incident logged Friday 15:00 local on a 09:00-17:00 Mon-Fri
 * calendar at UTC+1, with Monday 2026-03-09 a holiday. Its 16 working
 * hours: Friday 15-17 (2 h), nothing over the weekend or on the holiday,
 * Tuesday 8 h (10 h), Wednesday 09:00-15:00 (16 h): due Wednesday 15:00
 * local = 14:00Z. The 75% warning (12 h) falls Wednesday 11:00 local. */
static void a_p2_resolution_on_office_hours_skips_the_weekend_and_a_holiday(void **state)
{
    (void)state;
    const char *hol[] = { "2026-03-09" };
    itsm_policy *p = office_policy("paris_office", 3600, hol, 1, 2 * HOUR, 16 * HOUR, 24 * HOUR);
    fixture f;
    fixture_open_policy(&f, p);
    itsm_time fri15 = T0 + FRI + 5 * HOUR;   /* Friday 14:00Z = 15:00 local */
    f.clock.now = fri15;
    itsm_record *r = open_inc(&f, 1, 2, NULL);
    assert_int_equal(itsm_record_int(r, ITSM_F_PRIORITY), 2);
    assert_string_equal(itsm_record_sla(r), "office");

    itsm_timer_info resp = timer(r, ITSM_TIMER_RESPONSE, fri15);
    assert_int_equal(resp.target, 2 * HOUR);
    assert_int_equal(resp.due, fri15 + 2 * HOUR);   /* Friday 17:00 local, the day's last minute */
    itsm_time wed15 = T0 + 9 * DAY + 5 * HOUR;      /* Wednesday 14:00Z = 15:00 local */
    itsm_timer_info res = timer(r, ITSM_TIMER_RESOLUTION, fri15);
    assert_string_equal(res.calendar, "paris_office");
    assert_int_equal(res.target, 16 * HOUR);
    assert_int_equal(res.due, wed15);
    start_work(r);

    /* Saturday and the holiday Monday count nothing */
    res = timer(r, ITSM_TIMER_RESOLUTION, T0 + 5 * DAY + 3 * HOUR);
    assert_int_equal(res.elapsed, 2 * HOUR);
    assert_int_equal(res.remaining, 14 * HOUR);
    res = timer(r, ITSM_TIMER_RESOLUTION, T0 + NEXT_MON + 3 * HOUR);
    assert_int_equal(res.elapsed, 2 * HOUR);
    assert_int_equal(res.due, wed15);
    /* Tuesday 12:00 local: 2 h + 3 h */
    res = timer(r, ITSM_TIMER_RESOLUTION, T0 + 8 * DAY + 2 * HOUR);
    assert_int_equal(res.elapsed, 5 * HOUR);
    assert_int_equal(res.remaining, 11 * HOUR);
    assert_int_equal(res.status, ITSM_TIMER_RUNNING);

    itsm_time warn = T0 + 9 * DAY + HOUR;   /* Wednesday 10:00Z = 11:00 local */
    sla_tick(&f, warn - 1);
    assert_int_equal(count_with(&f.store, "sla_warning", "\"timer\":\"resolution\""), 0);
    sla_tick(&f, warn);
    assert_int_equal(count_with(&f.store, "sla_warning", "\"timer\":\"resolution\""), 1);
    assert_non_null(strstr(last_of(&f.store, "sla_warning"), "\"audience\":[\"ann\",\"Desk\"]"));
    assert_int_equal(timer(r, ITSM_TIMER_RESOLUTION, warn).warnings, 1);

    sla_tick(&f, wed15 - 1);
    assert_int_equal(count_with(&f.store, "sla_breach", "\"timer\":\"resolution\""), 0);
    assert_int_equal(count_events(&f.store, "escalation_step"), 0);
    sla_tick(&f, wed15);
    assert_int_equal(count_with(&f.store, "sla_breach", "\"timer\":\"resolution\""), 1);
    assert_non_null(strstr(last_of(&f.store, "escalation_step"), "\"audience\":\"team_lead\""));
    assert_int_equal(itsm_record_int(r, ITSM_F_HIERARCHICAL_LEVEL), 1);
    assert_true(timer(r, ITSM_TIMER_RESOLUTION, wed15).breached);
    assert_replay_same(&f, p, wed15 + HOUR);
    fixture_close(&f);
    itsm_policy_free(p);
}

/* A fixed offset west of UTC: 09:00-17:00 in New York standard time is
 * 14:00-22:00Z. A P3 of 8 working hours logged Monday 23:00Z (18:00
 * local, after hours) starts counting Tuesday 14:00Z and is due Tuesday
 * 22:00Z; one logged Friday 20:00Z (15:00 local) has 2 h that day and
 * is due Monday 15:00 local = 20:00Z. */
static void working_hours_are_local_to_the_calendars_utc_offset(void **state)
{
    (void)state;
    itsm_policy *p = office_policy("new_york", -5 * 3600, NULL, 0, 2 * HOUR, 8 * HOUR, 8 * HOUR);
    fixture f;
    fixture_open_policy(&f, p);
    itsm_time mon23z = T0 + 14 * HOUR;
    f.clock.now = mon23z;
    itsm_record *late = open_inc(&f, 2, 2, NULL);
    itsm_timer_info t = timer(late, ITSM_TIMER_RESOLUTION, mon23z);
    assert_int_equal(t.due, T0 + DAY + 13 * HOUR);
    /* at 13:59Z Tuesday (08:59 local) nothing has counted yet */
    assert_int_equal(timer(late, ITSM_TIMER_RESOLUTION, T0 + DAY + 5 * HOUR - 1).elapsed, 0);
    assert_int_equal(timer(late, ITSM_TIMER_RESOLUTION, T0 + DAY + 6 * HOUR).elapsed, HOUR);

    itsm_time fri20z = T0 + FRI + 11 * HOUR;
    f.clock.now = fri20z;
    itsm_record *fri = open_inc(&f, 2, 2, NULL);
    t = timer(fri, ITSM_TIMER_RESOLUTION, fri20z);
    assert_int_equal(t.due, T0 + NEXT_MON + 11 * HOUR);
    assert_int_equal(timer(fri, ITSM_TIMER_RESOLUTION, T0 + NEXT_MON).elapsed, 2 * HOUR);
    fixture_close(&f);
    itsm_policy_free(p);
}

/* A P3 (24 h on the 09:00-17:00 business calendar) worked Monday 09:00,
 * on hold awaiting the customer from Monday 13:00 to Tuesday 11:00 (4 h
 * + 2 h paused), then lowered to P4 (40 h) at Tuesday 12:00 by its
 * urgency. Elapsed 5 h and paused 6 h carry over: 35 h left from Tuesday
 * 12:00 is Tuesday 5, Wednesday 8, Thursday 8, Friday 8, next Monday
 * 09:00-15:00. The 75% warning (30 h) falls Friday 13:00, not where the
 * P3 plan put it (18 h: Wednesday 17:00). Resolving stops the clock with
 * both counts still readable. */
static void paused_time_carries_over_a_priority_change_on_office_hours(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *r = open_inc(&f, 2, 2, NULL);
    assert_int_equal(itsm_record_int(r, ITSM_F_PRIORITY), 3);
    start_work(r);
    f.clock.now = T0 + 4 * HOUR;
    hold(r, "awaiting_customer");
    f.clock.now = T0 + DAY + 2 * HOUR;
    itsm_timer_info t = timer(r, ITSM_TIMER_RESOLUTION, f.clock.now);
    assert_int_equal(t.status, ITSM_TIMER_PAUSED);
    assert_int_equal(t.elapsed, 4 * HOUR);
    assert_int_equal(t.paused, 6 * HOUR);
    assert_ok(itsm_record_fire(r, "resume", NULL, 0));

    itsm_time tue12 = T0 + DAY + 3 * HOUR;
    f.clock.now = tue12;
    assert_ok(itsm_record_set_int(r, ITSM_F_URGENCY, 3));
    assert_int_equal(itsm_record_int(r, ITSM_F_PRIORITY), 4);
    t = timer(r, ITSM_TIMER_RESOLUTION, tue12);
    assert_int_equal(t.status, ITSM_TIMER_RUNNING);
    assert_int_equal(t.target, 40 * HOUR);
    assert_int_equal(t.elapsed, 5 * HOUR);
    assert_int_equal(t.paused, 6 * HOUR);
    assert_int_equal(t.remaining, 35 * HOUR);
    assert_int_equal(t.due, T0 + NEXT_MON + 6 * HOUR);

    sla_tick(&f, T0 + 2 * DAY + 8 * HOUR);   /* Wednesday 17:00: the old P3 warning time */
    assert_int_equal(count_with(&f.store, "sla_warning", "\"timer\":\"resolution\""), 0);
    itsm_time fri13 = T0 + FRI + 4 * HOUR;
    sla_tick(&f, fri13 - 1);
    assert_int_equal(count_with(&f.store, "sla_warning", "\"timer\":\"resolution\""), 0);
    sla_tick(&f, fri13);
    assert_int_equal(count_with(&f.store, "sla_warning", "\"timer\":\"resolution\""), 1);

    f.clock.now = fri13 + 2 * HOUR;
    resolve(r);
    t = timer(r, ITSM_TIMER_RESOLUTION, T0 + 20 * DAY);
    assert_int_equal(t.status, ITSM_TIMER_STOPPED);
    assert_int_equal(t.elapsed, 32 * HOUR);
    assert_int_equal(t.paused, 6 * HOUR);
    assert_int_equal(t.breached, 0);
    assert_int_equal(t.due, ITSM_TIME_NONE);
    assert_replay_same(&f, NULL, T0 + 20 * DAY);
    fixture_close(&f);
}

/* Each of the four timers reads on its own at one instant, not only the
 * nearest. A P2 (response 30 min, resolution 8 h on 24x7, update every
 * hour) answered at +10 min and handed to Network (OLA 3 h) at +1 h, read
 * at +65 min: response met after 10 min; resolution 65 min in, due +8 h;
 * Network's OLA 5 min in, due +4 h; next update due an hour after the
 * response, +70 min - the nearest, the one the queue holds. */
static void every_timer_reads_on_its_own_at_the_same_instant(void **state)
{
    (void)state;
    itsm_policy *p;
    assert_ok(itsm_policy_new_default(&p, NULL));
    assert_ok(itsm_policy_set_ola(p, "Network", 3 * HOUR, NULL));
    fixture f;
    fixture_open_policy(&f, p);
    itsm_record *r = open_inc(&f, 1, 2, NULL);
    f.clock.now = T0 + 10 * MIN;
    start_work(r);
    f.clock.now = T0 + HOUR;
    assert_ok(itsm_record_set_str(r, ITSM_F_ASSIGNMENT_GROUP, "Network"));
    itsm_time now = T0 + 65 * MIN;

    itsm_timer_info resp = timer(r, ITSM_TIMER_RESPONSE, now);
    assert_int_equal(resp.status, ITSM_TIMER_STOPPED);
    assert_int_equal(resp.target, 30 * MIN);
    assert_int_equal(resp.elapsed, 10 * MIN);
    assert_int_equal(resp.breached, 0);

    itsm_timer_info res = timer(r, ITSM_TIMER_RESOLUTION, now);
    assert_int_equal(res.status, ITSM_TIMER_RUNNING);
    assert_int_equal(res.target, 8 * HOUR);
    assert_int_equal(res.elapsed, 65 * MIN);
    assert_int_equal(res.due, T0 + 8 * HOUR);
    assert_int_equal(res.remaining, 8 * HOUR - 65 * MIN);

    itsm_timer_info ola = timer(r, ITSM_TIMER_OLA, now);
    assert_int_equal(ola.status, ITSM_TIMER_RUNNING);
    assert_int_equal(ola.target, 3 * HOUR);
    assert_int_equal(ola.elapsed, 5 * MIN);
    assert_int_equal(ola.due, T0 + 4 * HOUR);
    assert_int_equal(ola.remaining, 3 * HOUR - 5 * MIN);

    itsm_timer_info upd = timer(r, ITSM_TIMER_NEXT_UPDATE, now);
    assert_int_equal(upd.status, ITSM_TIMER_RUNNING);
    assert_int_equal(upd.target, 0);
    assert_int_equal(upd.due, T0 + 70 * MIN);
    assert_int_equal(upd.remaining, 5 * MIN);

    /* the queue holds the nearest: the missed update fires a second after */
    assert_int_equal(itsm_engine_next_deadline(f.eng), T0 + 70 * MIN + 1);
    fixture_close(&f);
    itsm_policy_free(p);
}

/* A breach climbs one rung; once the ladder has no rung left, a later
 * breach is still recorded but climbs nowhere: the tick neither fails
 * nor invents a level. Ladder of one rung; a P2 never answered breaches
 * its response at +30 min (climbs to duty_manager) and its resolution at
 * +8 h (stays there). */
static void a_breach_past_the_top_of_the_ladder_is_recorded_without_a_step(void **state)
{
    (void)state;
    itsm_policy *p;
    assert_ok(itsm_policy_new_default(&p, NULL));
    const char *ladder[] = { "duty_manager" };
    assert_ok(itsm_policy_set_ladder(p, ladder, 1, 1, 0));
    fixture f;
    fixture_open_policy(&f, p);
    itsm_record *r = open_inc(&f, 1, 2, NULL);
    sla_tick(&f, T0 + 30 * MIN);
    assert_int_equal(count_with(&f.store, "sla_breach", "\"timer\":\"response\""), 1);
    assert_int_equal(count_events(&f.store, "escalation_step"), 1);
    assert_non_null(strstr(last_of(&f.store, "escalation_step"), "\"audience\":\"duty_manager\""));
    assert_int_equal(itsm_record_int(r, ITSM_F_HIERARCHICAL_LEVEL), 1);
    sla_tick(&f, T0 + 8 * HOUR);
    assert_int_equal(count_with(&f.store, "sla_breach", "\"timer\":\"resolution\""), 1);
    assert_int_equal(count_events(&f.store, "escalation_step"), 1);
    assert_int_equal(itsm_record_int(r, ITSM_F_HIERARCHICAL_LEVEL), 1);
    assert_string_equal(itsm_record_escalation_audience(r), "duty_manager");
    assert_int_equal(sla_tick(&f, T0 + 30 * DAY), 0);
    assert_replay_same(&f, p, T0 + 30 * DAY);
    fixture_close(&f);
    itsm_policy_free(p);
}

/* A warning goes to whoever holds the record: with a group and no
 * assignee yet, the group alone. A P2 assigned to Desk (response 30 min)
 * warns Desk at 75%, 22 min 30 s, and breaches at 30 min, climbing to the
 * team lead; a policy that does not climb on breach records the breach
 * and takes no step. */
static void a_warning_before_anyone_is_assigned_goes_to_the_group(void **state)
{
    (void)state;
    for (int climb = 1; climb >= 0; climb--) {
        itsm_policy *p;
        assert_ok(itsm_policy_new_default(&p, NULL));
        const char *ladder[] = { "team_lead", "service_desk_manager", "head_of_it_services" };
        assert_ok(itsm_policy_set_ladder(p, ladder, 3, climb, 0));
        fixture f;
        fixture_open_policy(&f, p);
        itsm_record *r = open_inc(&f, 1, 2, NULL);
        itsm_change g = { ITSM_F_ASSIGNMENT_GROUP, "Desk", 0 };
        assert_ok(itsm_record_fire(r, "assign", &g, 1));
        assert_string_equal(itsm_record_state(r), "assigned");
        sla_tick(&f, T0 + 1350 - 1);
        assert_int_equal(count_with(&f.store, "sla_warning", "\"timer\":\"response\""), 0);
        sla_tick(&f, T0 + 1350);
        assert_int_equal(count_with(&f.store, "sla_warning", "\"timer\":\"response\""), 1);
        assert_non_null(strstr(last_of(&f.store, "sla_warning"), "\"audience\":[\"Desk\"]"));
        sla_tick(&f, T0 + 30 * MIN);
        assert_int_equal(count_with(&f.store, "sla_breach", "\"timer\":\"response\""), 1);
        assert_int_equal(count_events(&f.store, "escalation_step"), (size_t)climb);
        assert_int_equal(itsm_record_int(r, ITSM_F_HIERARCHICAL_LEVEL), climb);
        assert_true(timer(r, ITSM_TIMER_RESPONSE, T0 + 30 * MIN).breached);
        fixture_close(&f);
        itsm_policy_free(p);
    }
}

/* SLA and OLA run side by side on their own calendars. A P2 (8 h on
 * 24x7) opened Friday 16:00Z and handed at once to Network, whose OLA is
 * 4 working hours on the business calendar: the SLA is due Saturday
 * 00:00Z, the OLA Monday 12:00Z (Friday 1 h, Monday 09:00-12:00), with
 * its 75% warning Monday 11:00Z to Network. Handed back to Desk, which has
 * no OLA, the record has no OLA clock; the SLA keeps its own. */
static void sla_and_ola_count_on_their_own_calendars(void **state)
{
    (void)state;
    itsm_policy *p;
    assert_ok(itsm_policy_new_default(&p, NULL));
    assert_ok(itsm_policy_set_ola(p, "Network", 4 * HOUR, "business"));
    fixture f;
    fixture_open_policy(&f, p);
    itsm_time fri16 = T0 + FRI + 7 * HOUR;
    f.clock.now = fri16;
    itsm_record *r = open_inc(&f, 1, 2, NULL);
    itsm_change c[2] = { { ITSM_F_ASSIGNMENT_GROUP, "Network", 0 }, { ITSM_F_ASSIGNEE, "bob", 0 } };
    assert_ok(itsm_record_fire(r, "start", c, 2));
    itsm_timer_info res = timer(r, ITSM_TIMER_RESOLUTION, fri16);
    itsm_timer_info ola = timer(r, ITSM_TIMER_OLA, fri16);
    assert_int_equal(res.due, fri16 + 8 * HOUR);
    assert_string_equal(ola.calendar, "business");
    assert_int_equal(ola.target, 4 * HOUR);
    itsm_time mon12 = T0 + NEXT_MON + 3 * HOUR;
    assert_int_equal(ola.due, mon12);
    /* Sunday: the SLA breached long ago, the OLA has counted Friday's hour */
    itsm_time sun = T0 + 6 * DAY;
    assert_int_equal(timer(r, ITSM_TIMER_OLA, sun).elapsed, HOUR);
    assert_true(timer(r, ITSM_TIMER_RESOLUTION, sun).remaining < 0);

    sla_tick(&f, mon12 - HOUR - 1);
    assert_int_equal(count_with(&f.store, "sla_warning", "\"timer\":\"ola\""), 0);
    sla_tick(&f, mon12 - HOUR);
    assert_int_equal(count_with(&f.store, "sla_warning", "\"timer\":\"ola\""), 1);
    assert_non_null(strstr(last_of(&f.store, "sla_warning"), "\"audience\":[\"bob\",\"Network\"]"));
    assert_int_equal(count_with(&f.store, "sla_breach", "\"timer\":\"resolution\""), 1);

    f.clock.now = mon12 - 30 * MIN;
    assert_ok(itsm_record_set_str(r, ITSM_F_ASSIGNMENT_GROUP, "Desk"));
    assert_int_equal(timer(r, ITSM_TIMER_OLA, mon12).status, ITSM_TIMER_NONE);
    sla_tick(&f, mon12 + DAY);
    assert_int_equal(count_with(&f.store, "sla_breach", "\"timer\":\"ola\""), 0);
    res = timer(r, ITSM_TIMER_RESOLUTION, mon12);
    assert_int_equal(res.status, ITSM_TIMER_RUNNING);
    assert_int_equal(res.elapsed, mon12 - fri16);
    assert_replay_same(&f, p, mon12 + DAY);
    fixture_close(&f);
    itsm_policy_free(p);
}

/* Functional escalation hands the record to a group, and with it that
 * group's own OLA from the moment it takes over; the SLA runs on. A P2
 * worked by Desk from 09:00 is escalated at 10:00 to Network (OLA 2 h on
 * 24x7): at 10:30 Network's OLA is 30 min in, due 12:00, while the
 * resolution clock is 90 min in, due 17:00. */
static void a_functional_escalation_starts_the_new_groups_ola(void **state)
{
    (void)state;
    itsm_policy *p;
    assert_ok(itsm_policy_new_default(&p, NULL));
    assert_ok(itsm_policy_set_ola(p, "Network", 2 * HOUR, NULL));
    fixture f;
    fixture_open_policy(&f, p);
    itsm_record *r = open_inc(&f, 1, 2, NULL);
    start_work(r);
    assert_int_equal(timer(r, ITSM_TIMER_OLA, T0 + HOUR).status, ITSM_TIMER_NONE);
    f.clock.now = T0 + HOUR;
    assert_ok(itsm_record_escalate(r, 0, "Network", "restarted the relay, no change"));
    assert_int_equal(itsm_record_int(r, ITSM_F_FUNCTIONAL_LEVEL), 2);
    assert_int_equal(itsm_record_int(r, ITSM_F_REASSIGNMENTS), 1);
    itsm_timer_info ola = timer(r, ITSM_TIMER_OLA, T0 + 90 * MIN);
    assert_int_equal(ola.status, ITSM_TIMER_RUNNING);
    assert_int_equal(ola.elapsed, 30 * MIN);
    assert_int_equal(ola.due, T0 + 3 * HOUR);
    itsm_timer_info res = timer(r, ITSM_TIMER_RESOLUTION, T0 + 90 * MIN);
    assert_int_equal(res.elapsed, 90 * MIN);
    assert_int_equal(res.due, T0 + 8 * HOUR);
    fixture_close(&f);
    itsm_policy_free(p);
}

/* Children resolved with their major incident are resolved at the
 * parent's instant: their resolution clocks stop there, met or late by
 * their own targets. Parent P1 accepted at 09:00; a P2 child opened 09:30
 * and a P3 child (business) opened 09:00; the parent resolved 13:00: the
 * P2 child stopped after 3 h 30, the P3 child after 4 working hours. */
static void children_resolved_with_the_parent_stop_their_clocks_at_its_resolution(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *p = open_inc(&f, 1, 1, "Mail");
    assert_ok(itsm_major_decide(p, 1, "mim"));
    itsm_record *c3 = open_inc(&f, 2, 2, "Mail");
    f.clock.now = T0 + 30 * MIN;
    itsm_record *c2 = open_inc(&f, 1, 2, "Mail");
    assert_ok(itsm_major_attach(p, c2));
    assert_ok(itsm_major_attach(p, c3));
    start_work(p);
    f.clock.now = T0 + 4 * HOUR;
    resolve(p);
    assert_string_equal(itsm_record_state(c2), "resolved");
    assert_string_equal(itsm_record_state(c3), "resolved");
    assert_int_equal(itsm_record_int(c2, ITSM_F_RESOLVED_AT), T0 + 4 * HOUR);
    itsm_timer_info t = timer(c2, ITSM_TIMER_RESOLUTION, T0 + DAY);
    assert_int_equal(t.status, ITSM_TIMER_STOPPED);
    assert_int_equal(t.elapsed, 3 * HOUR + 30 * MIN);
    assert_int_equal(t.breached, 0);
    t = timer(c3, ITSM_TIMER_RESOLUTION, T0 + DAY);
    assert_int_equal(t.status, ITSM_TIMER_STOPPED);
    assert_int_equal(t.elapsed, 4 * HOUR);
    /* nothing of theirs is left to breach */
    sla_tick(&f, T0 + 2 * DAY);
    assert_int_equal(count_with(&f.store, "sla_breach", "\"timer\":\"resolution\""), 0);
    assert_replay_same(&f, NULL, T0 + 2 * DAY);
    fixture_close(&f);
}

/* A paused clock does not breach, even when a priority change while it
 * is paused leaves it past its new target; it breaches when it runs
 * again. A P3 (24 h business) worked Monday 09:00 to Tuesday 11:00 (10 h)
 * goes on hold awaiting the customer, then is raised to P2 (8 h on 24x7)
 * at Tuesday 12:00: paused with 10 h elapsed, 2 h over. No breach while
 * it waits; resumed Tuesday 15:00, it breaches at that instant. */
static void a_clock_paused_past_its_new_target_breaches_when_it_resumes(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *r = open_inc(&f, 2, 2, NULL);
    start_work(r);
    f.clock.now = T0 + DAY + 2 * HOUR;
    hold(r, "awaiting_customer");
    f.clock.now = T0 + DAY + 3 * HOUR;
    assert_ok(itsm_record_set_int(r, ITSM_F_IMPACT, 1));   /* I1U2: P2 */
    assert_int_equal(itsm_record_int(r, ITSM_F_PRIORITY), 2);
    itsm_timer_info t = timer(r, ITSM_TIMER_RESOLUTION, T0 + DAY + 4 * HOUR);
    assert_int_equal(t.status, ITSM_TIMER_PAUSED);
    assert_int_equal(t.target, 8 * HOUR);
    assert_int_equal(t.elapsed, 10 * HOUR);
    assert_int_equal(t.remaining, -2 * HOUR);
    assert_int_equal(t.due, ITSM_TIME_NONE);
    itsm_time resume_at = T0 + DAY + 6 * HOUR;
    sla_tick(&f, resume_at - 1);
    assert_int_equal(count_with(&f.store, "sla_breach", "\"timer\":\"resolution\""), 0);
    f.clock.now = resume_at;
    assert_ok(itsm_record_fire(r, "resume", NULL, 0));
    sla_tick(&f, resume_at);
    assert_int_equal(count_with(&f.store, "sla_breach", "\"timer\":\"resolution\""), 1);
    assert_non_null(strstr(last_of(&f.store, "sla_breach"), "\"at\":\"2026-03-03T15:00:00Z\""));
    assert_true(timer(r, ITSM_TIMER_RESOLUTION, resume_at).breached);
    assert_replay_same(&f, NULL, resume_at + HOUR);
    fixture_close(&f);
}

/* A holiday is a local date. At UTC+10, Monday 2026-03-09 runs from
 * Sunday 14:00Z to Monday 14:00Z and its working hours 09:00-17:00 local
 * are Sunday 23:00Z to Monday 07:00Z. A P3 of 8 working hours logged
 * Friday 16:00 local (06:00Z) has 1 h that day, none on the holiday, and
 * 7 h on Tuesday: due Tuesday 16:00 local = 06:00Z. */
static void a_holiday_is_the_calendars_local_date(void **state)
{
    (void)state;
    const char *hol[] = { "2026-03-09" };
    itsm_policy *p = office_policy("sydney_office", 10 * 3600, hol, 1, 2 * HOUR, 8 * HOUR, 8 * HOUR);
    fixture f;
    fixture_open_policy(&f, p);
    itsm_time fri06z = T0 + FRI - 3 * HOUR;
    f.clock.now = fri06z;
    itsm_record *r = open_inc(&f, 2, 2, NULL);
    itsm_timer_info t = timer(r, ITSM_TIMER_RESOLUTION, fri06z);
    assert_int_equal(t.due, T0 + 8 * DAY - 3 * HOUR);
    /* Monday 06:00Z is 16:00 on the local holiday: still 1 h */
    assert_int_equal(timer(r, ITSM_TIMER_RESOLUTION, T0 + NEXT_MON - 3 * HOUR).elapsed, HOUR);
    fixture_close(&f);
    itsm_policy_free(p);
}

/* Which hold reason stops which timer is the policy's. Here awaiting the
 * customer stops the OLA as well as the resolution clock; awaiting a
 * supplier, with no rule, stops nothing. A P2 handed to Network (OLA 2 h), on hold awaiting the
 * customer from +30 min to +90 min: both clocks keep 30 min elapsed and
 * 60 min paused. */
static void a_pause_rule_can_stop_the_ola_with_the_resolution_clock(void **state)
{
    (void)state;
    itsm_policy *p;
    assert_ok(itsm_policy_new_default(&p, NULL));
    assert_ok(itsm_policy_set_ola(p, "Network", 2 * HOUR, NULL));
    assert_ok(itsm_policy_set_pause(p, "awaiting_customer",
                                    ITSM_TIMER_BIT(ITSM_TIMER_RESOLUTION) | ITSM_TIMER_BIT(ITSM_TIMER_OLA)));
    fixture f;
    fixture_open_policy(&f, p);
    itsm_record *r = open_inc(&f, 1, 2, NULL);
    itsm_change c[2] = { { ITSM_F_ASSIGNMENT_GROUP, "Network", 0 }, { ITSM_F_ASSIGNEE, "bob", 0 } };
    assert_ok(itsm_record_fire(r, "start", c, 2));
    f.clock.now = T0 + 30 * MIN;
    hold(r, "awaiting_customer");
    f.clock.now = T0 + 90 * MIN;
    assert_ok(itsm_record_fire(r, "resume", NULL, 0));
    itsm_timer_info ola = timer(r, ITSM_TIMER_OLA, T0 + 90 * MIN);
    itsm_timer_info res = timer(r, ITSM_TIMER_RESOLUTION, T0 + 90 * MIN);
    assert_int_equal(ola.elapsed, 30 * MIN);
    assert_int_equal(ola.paused, HOUR);
    assert_int_equal(ola.due, T0 + 3 * HOUR);
    assert_int_equal(res.elapsed, 30 * MIN);
    assert_int_equal(res.paused, HOUR);
    assert_int_equal(res.due, T0 + 9 * HOUR);
    /* awaiting a supplier pauses nothing */
    hold(r, "awaiting_supplier");
    ola = timer(r, ITSM_TIMER_OLA, T0 + 2 * HOUR);
    assert_int_equal(ola.status, ITSM_TIMER_RUNNING);
    assert_int_equal(ola.elapsed, 60 * MIN);
    fixture_close(&f);
    itsm_policy_free(p);
}

/* An SLA set by hand and taken back: each time the due time is planned
 * again from the time already counted. A P3 (24 h business) worked from
 * Monday 09:00 is put on "rush" (P3: 4 h on 24x7) at 11:00 - due 13:00 -
 * and back on its service's SLA at 12:00: 3 working hours counted, due
 * Wednesday 17:00 as before. */
static void an_sla_set_by_hand_and_taken_back_keeps_the_time_counted(void **state)
{
    (void)state;
    itsm_policy *p;
    assert_ok(itsm_policy_new_default(&p, NULL));
    itsm_sla_def d = ITSM_SLA_DEF_INIT;
    d.name = "rush";
    for (int i = 0; i < 5; i++) {
        d.response[i] = HOUR;
        d.resolution[i] = 4 * HOUR;
    }
    assert_ok(itsm_policy_set_sla(p, &d));
    fixture f;
    fixture_open_policy(&f, p);
    itsm_record *r = open_inc(&f, 2, 2, NULL);
    start_work(r);
    itsm_time wed17 = T0 + 2 * DAY + 8 * HOUR;
    assert_int_equal(timer(r, ITSM_TIMER_RESOLUTION, T0).due, wed17);
    f.clock.now = T0 + 2 * HOUR;
    assert_ok(itsm_record_set_sla(r, "rush"));
    assert_string_equal(itsm_record_sla(r), "rush");
    itsm_timer_info t = timer(r, ITSM_TIMER_RESOLUTION, T0 + 2 * HOUR);
    assert_string_equal(t.calendar, "24x7");
    assert_int_equal(t.elapsed, 2 * HOUR);
    assert_int_equal(t.due, T0 + 4 * HOUR);
    f.clock.now = T0 + 3 * HOUR;
    assert_ok(itsm_record_set_sla(r, NULL));
    assert_string_equal(itsm_record_sla(r), "standard");
    assert_null(strstr(last_of(&f.store, "sla_assigned"), "\"sla\":"));
    t = timer(r, ITSM_TIMER_RESOLUTION, T0 + 3 * HOUR);
    assert_int_equal(t.elapsed, 3 * HOUR);
    assert_int_equal(t.due, wed17);
    sla_tick(&f, T0 + 5 * HOUR);
    assert_int_equal(count_with(&f.store, "sla_breach", "\"timer\":\"resolution\""), 0);
    assert_replay_same(&f, p, T0 + 5 * HOUR);
    fixture_close(&f);
    itsm_policy_free(p);
}

/* A hold after the warning moves the breach by the time paused and fires
 * no second warning. P2, 8 h on 24x7, worked from 09:00: warned at 15:00
 * (75%), on hold awaiting the customer 16:00-18:00, breached at 19:00. */
static void a_hold_after_the_warning_moves_the_breach_by_the_pause(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *r = open_inc(&f, 1, 2, NULL);
    start_work(r);
    sla_tick(&f, T0 + 6 * HOUR);
    assert_int_equal(count_with(&f.store, "sla_warning", "\"timer\":\"resolution\""), 1);
    f.clock.now = T0 + 7 * HOUR;
    hold(r, "awaiting_customer");
    sla_tick(&f, T0 + 8 * HOUR);
    assert_int_equal(count_with(&f.store, "sla_breach", "\"timer\":\"resolution\""), 0);
    f.clock.now = T0 + 9 * HOUR;
    assert_ok(itsm_record_fire(r, "resume", NULL, 0));
    itsm_timer_info t = timer(r, ITSM_TIMER_RESOLUTION, T0 + 9 * HOUR);
    assert_int_equal(t.due, T0 + 10 * HOUR);
    assert_int_equal(t.warnings, 1);
    sla_tick(&f, T0 + 10 * HOUR - 1);
    assert_int_equal(count_with(&f.store, "sla_breach", "\"timer\":\"resolution\""), 0);
    sla_tick(&f, T0 + 10 * HOUR);
    assert_int_equal(count_with(&f.store, "sla_breach", "\"timer\":\"resolution\""), 1);
    assert_int_equal(count_with(&f.store, "sla_warning", "\"timer\":\"resolution\""), 1);
    assert_int_equal(itsm_record_int(r, ITSM_F_HIERARCHICAL_LEVEL), 1);
    assert_replay_same(&f, NULL, T0 + 11 * HOUR);
    fixture_close(&f);
}

/* The response target counts working time too. A P3 (response 4 h on
 * the business calendar) logged Friday 16:00Z and not taken up: 1 h on
 * Friday, then Monday 09:00-12:00; warned at 3 h (Monday 11:00), breached
 * Monday 12:00 with a step to the team lead, and nothing over the
 * weekend. */
static void a_response_target_on_business_hours_waits_over_the_weekend(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_time fri16 = T0 + FRI + 7 * HOUR;
    f.clock.now = fri16;
    itsm_record *r = open_inc(&f, 2, 2, NULL);
    itsm_time mon12 = T0 + NEXT_MON + 3 * HOUR;
    itsm_timer_info t = timer(r, ITSM_TIMER_RESPONSE, fri16);
    assert_string_equal(t.calendar, "business");
    assert_int_equal(t.due, mon12);
    assert_int_equal(sla_tick(&f, T0 + NEXT_MON), 0);
    sla_tick(&f, mon12 - HOUR);
    assert_int_equal(count_with(&f.store, "sla_warning", "\"timer\":\"response\""), 1);
    sla_tick(&f, mon12);
    assert_int_equal(count_with(&f.store, "sla_breach", "\"timer\":\"response\""), 1);
    assert_non_null(strstr(last_of(&f.store, "escalation_step"), "\"audience\":\"team_lead\""));
    fixture_close(&f);
}

/* A warning whose share of working time ends exactly when a working day
 * ends fires at that end, not the next morning. A P3 of 32 working hours
 * on the business calendar from Monday 09:00: 75% is 24 h, reached
 * Wednesday 17:00; the breach is Thursday 17:00. */
static void a_warning_ending_with_the_working_day_fires_at_its_end(void **state)
{
    (void)state;
    itsm_policy *p = office_policy("office", 0, NULL, 0, 4 * HOUR, 16 * HOUR, 32 * HOUR);
    fixture f;
    fixture_open_policy(&f, p);
    itsm_record *r = open_inc(&f, 2, 2, NULL);
    start_work(r);
    itsm_time wed17 = T0 + 2 * DAY + 8 * HOUR;
    assert_int_equal(timer(r, ITSM_TIMER_RESOLUTION, T0).due, wed17 + DAY);
    sla_tick(&f, wed17 - 1);
    assert_int_equal(count_with(&f.store, "sla_warning", "\"timer\":\"resolution\""), 0);
    sla_tick(&f, wed17);
    assert_int_equal(count_with(&f.store, "sla_warning", "\"timer\":\"resolution\""), 1);
    assert_non_null(strstr(last_of(&f.store, "sla_warning"), "\"at\":\"2026-03-04T17:00:00Z\""));
    fixture_close(&f);
    itsm_policy_free(p);
}

/* A hold that starts and ends outside working hours pauses no working
 * time: a P3 (business) worked Friday 09:00-17:00, on hold awaiting the
 * customer from Saturday to Sunday, has 8 h elapsed and nothing paused,
 * and its due time (Tuesday 17:00) does not move. */
static void a_hold_over_the_weekend_pauses_no_working_time(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    f.clock.now = T0 + FRI;
    itsm_record *r = open_inc(&f, 2, 2, NULL);
    start_work(r);
    itsm_time tue17 = T0 + 8 * DAY + 8 * HOUR;
    assert_int_equal(timer(r, ITSM_TIMER_RESOLUTION, f.clock.now).due, tue17);
    f.clock.now = T0 + 5 * DAY;
    hold(r, "awaiting_customer");
    f.clock.now = T0 + 6 * DAY;
    assert_ok(itsm_record_fire(r, "resume", NULL, 0));
    itsm_timer_info t = timer(r, ITSM_TIMER_RESOLUTION, f.clock.now);
    assert_int_equal(t.elapsed, 8 * HOUR);
    assert_int_equal(t.paused, 0);
    assert_int_equal(t.due, tue17);
    fixture_close(&f);
}

/* A target of 0 is no target, and a policy with no warning fractions
 * warns of nothing: the breach alone fires. Here P2 has no response
 * target and an 8 h resolution on 24x7; an incident never taken up has
 * no response clock, no warning, and breaches its resolution at +8 h. */
static void no_target_means_no_clock_and_no_warnings_means_the_breach_alone(void **state)
{
    (void)state;
    itsm_policy *p;
    assert_ok(itsm_policy_new_default(&p, NULL));
    itsm_sla_def d = ITSM_SLA_DEF_INIT;
    d.name = "lean";
    for (int i = 0; i < 5; i++)
        d.resolution[i] = 8 * HOUR;
    assert_ok(itsm_policy_set_sla(p, &d));
    assert_ok(itsm_policy_set_default_sla(p, "lean"));
    assert_ok(itsm_policy_set_warnings(p, NULL, 0));
    fixture f;
    fixture_open_policy(&f, p);
    itsm_record *r = open_inc(&f, 1, 2, NULL);
    itsm_timer_info t = timer(r, ITSM_TIMER_RESPONSE, T0 + HOUR);
    assert_int_equal(t.status, ITSM_TIMER_NONE);
    assert_int_equal(t.target, 0);
    assert_int_equal(timer(r, ITSM_TIMER_RESOLUTION, T0).due, T0 + 8 * HOUR);
    sla_tick(&f, T0 + 8 * HOUR - 1);
    assert_int_equal(count_events(&f.store, "sla_warning"), 0);
    assert_int_equal(count_events(&f.store, "sla_breach"), 0);
    sla_tick(&f, T0 + 8 * HOUR);
    assert_int_equal(count_events(&f.store, "sla_warning"), 0);
    assert_int_equal(count_with(&f.store, "sla_breach", "\"timer\":\"resolution\""), 1);
    assert_int_equal(count_events(&f.store, "sla_breach"), 1);
    fixture_close(&f);
    itsm_policy_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_p2_resolution_on_office_hours_skips_the_weekend_and_a_holiday),
        cmocka_unit_test(working_hours_are_local_to_the_calendars_utc_offset),
        cmocka_unit_test(paused_time_carries_over_a_priority_change_on_office_hours),
        cmocka_unit_test(every_timer_reads_on_its_own_at_the_same_instant),
        cmocka_unit_test(a_breach_past_the_top_of_the_ladder_is_recorded_without_a_step),
        cmocka_unit_test(a_warning_before_anyone_is_assigned_goes_to_the_group),
        cmocka_unit_test(sla_and_ola_count_on_their_own_calendars),
        cmocka_unit_test(a_functional_escalation_starts_the_new_groups_ola),
        cmocka_unit_test(children_resolved_with_the_parent_stop_their_clocks_at_its_resolution),
        cmocka_unit_test(a_clock_paused_past_its_new_target_breaches_when_it_resumes),
        cmocka_unit_test(a_holiday_is_the_calendars_local_date),
        cmocka_unit_test(a_pause_rule_can_stop_the_ola_with_the_resolution_clock),
        cmocka_unit_test(an_sla_set_by_hand_and_taken_back_keeps_the_time_counted),
        cmocka_unit_test(a_hold_after_the_warning_moves_the_breach_by_the_pause),
        cmocka_unit_test(a_response_target_on_business_hours_waits_over_the_weekend),
        cmocka_unit_test(a_warning_ending_with_the_working_day_fires_at_its_end),
        cmocka_unit_test(a_hold_over_the_weekend_pauses_no_working_time),
        cmocka_unit_test(no_target_means_no_clock_and_no_warnings_means_the_breach_alone),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
