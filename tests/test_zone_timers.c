/* SPDX-License-Identifier: Apache-2.0 */
/* Service-level clocks on calendars with daylight saving: the warning and
 * the breach of a record open over a change of the clocks fire at the
 * local hour (Paris in spring and autumn, Sydney in April), a hold over
 * the change pauses only working time, an agreement's target on a zoned
 * calendar does the same, and moving a calendar from a fixed offset to its
 * zone - the fix of the Paris example, 09:00-17:00 on a summer Monday - is
 * priced by the migration check and the what-if. Black-box: the public
 * API and the stored events; each figure is worked out beside it. */
#include "sla/sla_support.h"

#define PARIS  "CET-1CEST,M3.5.0,M10.5.0/3"
#define SYDNEY "AEST-10AEDT,M10.1.0,M4.1.0/3"

/* Seconds since 1970 of a UTC civil time (days from civil, H. Hinnant). */
static itsm_time utc(int y, int m, int d, int hh, int mm)
{
    y -= m <= 2;
    const int64_t era = (y >= 0 ? y : y - 399) / 400;
    const int64_t yoe = y - era * 400;
    const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return (era * 146097 + doe - 719468) * DAY + hh * HOUR + mm * MIN;
}

/* Monday..Friday 09:00-17:00 local: in `zone`, or at a fixed `utc_offset`
 * when zone is NULL. */
static void office_calendar(itsm_policy *p, const char *name, const char *zone, int32_t utc_offset)
{
    itsm_work_span s[5];
    for (int d = 0; d < 5; d++)
        s[d] = (itsm_work_span){ d, 9 * HOUR, 17 * HOUR };
    itsm_calendar_def def = ITSM_CALENDAR_DEF_INIT;
    def.name = name;
    def.zone = zone;
    def.utc_offset = zone ? 0 : utc_offset;
    def.spans = s;
    def.nspans = 5;
    assert_ok(itsm_policy_set_calendar(p, &def));
}

/* The default policy whose default SLA "office" keeps every target on the
 * calendar "local" (office hours in `zone`, or at `utc_offset`): response
 * 1 h, resolution 8 h, the default warning at 75 %. */
static itsm_policy *office_policy(const char *zone, int32_t utc_offset)
{
    itsm_policy *p;
    assert_ok(itsm_policy_new_default(&p, NULL));
    office_calendar(p, "local", zone, utc_offset);
    itsm_sla_def s = ITSM_SLA_DEF_INIT;
    s.name = "office";
    for (int i = 0; i < 5; i++) {
        s.response[i] = HOUR;
        s.resolution[i] = 8 * HOUR;
        s.calendar[i] = "local";
    }
    assert_ok(itsm_policy_set_sla(p, &s));
    assert_ok(itsm_policy_set_default_sla(p, "office"));
    return p;
}

static void tick(fixture *f, itsm_time now)
{
    f->clock.now = now;
    assert_ok(itsm_engine_tick(f->eng, now, NULL));
}

static void assert_at(const char *event, const char *iso)
{
    char needle[48];
    snprintf(needle, sizeof needle, "\"at\":\"%s\"", iso);
    if (!strstr(event, needle))
        fail_msg("expected %s in %s", needle, event);
}

/* A P3 incident opened and taken at `opened` on office hours in `zone`:
 * its 8 h resolution warns at 6 h (`warn`) and breaches at `due`, each
 * event stored at that instant and not a second before. */
static void resolution_fires_at(const char *zone, itsm_time opened, itsm_time warn, const char *warn_iso,
                                itsm_time due, const char *due_iso)
{
    itsm_policy *p = office_policy(zone, 0);
    fixture f;
    fixture_open_policy(&f, p);
    f.clock.now = opened;
    itsm_record *r = open_inc(&f, 2, 2, NULL);
    start_work(r);
    itsm_timer_info ti = timer(r, ITSM_TIMER_RESOLUTION, opened);
    assert_string_equal(ti.calendar, "local");
    assert_int_equal(ti.due, due);
    tick(&f, warn - 1);
    assert_int_equal(count_with(&f.store, "sla_warning", "\"timer\":\"resolution\""), 0);
    tick(&f, warn);
    assert_int_equal(count_with(&f.store, "sla_warning", "\"timer\":\"resolution\""), 1);
    assert_at(last_of(&f.store, "sla_warning"), warn_iso);
    assert_int_equal(timer(r, ITSM_TIMER_RESOLUTION, warn).elapsed, 6 * HOUR);
    tick(&f, due - 1);
    assert_int_equal(count_with(&f.store, "sla_breach", "\"timer\":\"resolution\""), 0);
    /* a late tick still records the breach at its due time */
    tick(&f, due + 3 * HOUR);
    assert_int_equal(count_with(&f.store, "sla_breach", "\"timer\":\"resolution\""), 1);
    assert_at(last_of(&f.store, "sla_breach"), due_iso);
    assert_true(timer(r, ITSM_TIMER_RESOLUTION, due).breached);
    assert_replay_same(&f, p, due + 3 * HOUR);
    fixture_close(&f);
    itsm_policy_free(p);
}

/* Paris, spring: the clocks go forward on Sunday 29 March 2026. Opened
 * Friday 27 March 16:00 CET (15:00Z): Friday 16-17 is 1 h; Monday from
 * 09:00 CEST (07:00Z). 6 h at Monday 14:00 CEST = 12:00Z, 8 h at 16:00
 * CEST = 14:00Z. */
static void a_breach_after_the_spring_change_fires_at_the_local_hour(void **state)
{
    (void)state;
    resolution_fires_at(PARIS, utc(2026, 3, 27, 15, 0), utc(2026, 3, 30, 12, 0), "2026-03-30T12:00:00Z",
                        utc(2026, 3, 30, 14, 0), "2026-03-30T14:00:00Z");
}

/* Paris, autumn: back on Sunday 25 October 2026. Opened Friday 23 October
 * 16:00 CEST (14:00Z): 1 h on Friday, Monday from 09:00 CET (08:00Z): 6 h
 * at 14:00 CET = 13:00Z, 8 h at 16:00 CET = 15:00Z. */
static void a_breach_after_the_autumn_change_fires_at_the_local_hour(void **state)
{
    (void)state;
    resolution_fires_at(PARIS, utc(2026, 10, 23, 14, 0), utc(2026, 10, 26, 13, 0), "2026-10-26T13:00:00Z",
                        utc(2026, 10, 26, 15, 0), "2026-10-26T15:00:00Z");
}

/* Sydney, southern hemisphere: daylight time ends Sunday 5 April 2026.
 * Opened Friday 3 April 16:00 AEDT (05:00Z): 1 h on Friday, Monday from
 * 09:00 AEST (Sunday 23:00Z): 6 h at 14:00 AEST = 04:00Z, 8 h at 16:00
 * AEST = 06:00Z. */
static void a_breach_after_daylight_time_ends_in_sydney_fires_at_the_local_hour(void **state)
{
    (void)state;
    resolution_fires_at(SYDNEY, utc(2026, 4, 3, 5, 0), utc(2026, 4, 6, 4, 0), "2026-04-06T04:00:00Z",
                        utc(2026, 4, 6, 6, 0), "2026-04-06T06:00:00Z");
}

/* Paris, autumn. Opened and taken Friday 23 October 16:00 CEST (14:00Z),
 * on hold awaiting the customer from 16:30 CEST (14:30Z) to Monday 11:00
 * CET (10:00Z). Counted: 30 min. Paused: Friday 30 min, Monday 09-11 CET
 * 2 h: 2.5 h; the weekend and the repeated hour are not working time. Left
 * 7.5 h from Monday 11:00 CET: Monday 6 h, Tuesday 09:00-10:30 CET,
 * 09:30Z. */
static void a_hold_over_the_change_pauses_only_working_time(void **state)
{
    (void)state;
    itsm_policy *p = office_policy(PARIS, 0);
    fixture f;
    fixture_open_policy(&f, p);
    f.clock.now = utc(2026, 10, 23, 14, 0);
    itsm_record *r = open_inc(&f, 2, 2, NULL);
    start_work(r);
    f.clock.now = utc(2026, 10, 23, 14, 30);
    hold(r, "awaiting_customer");
    /* Monday 10:00 CET, still on hold */
    itsm_timer_info ti = timer(r, ITSM_TIMER_RESOLUTION, utc(2026, 10, 26, 9, 0));
    assert_int_equal(ti.status, ITSM_TIMER_PAUSED);
    assert_int_equal(ti.elapsed, 30 * MIN);
    assert_int_equal(ti.paused, 90 * MIN);
    assert_int_equal(ti.due, ITSM_TIME_NONE);
    f.clock.now = utc(2026, 10, 26, 10, 0);
    assert_ok(itsm_record_fire(r, "resume", NULL, 0));
    ti = timer(r, ITSM_TIMER_RESOLUTION, f.clock.now);
    assert_int_equal(ti.status, ITSM_TIMER_RUNNING);
    assert_int_equal(ti.elapsed, 30 * MIN);
    assert_int_equal(ti.paused, 150 * MIN);
    assert_int_equal(ti.due, utc(2026, 10, 27, 9, 30));
    tick(&f, utc(2026, 10, 27, 9, 30) - 1);
    assert_int_equal(count_with(&f.store, "sla_breach", "\"timer\":\"resolution\""), 0);
    tick(&f, utc(2026, 10, 27, 9, 30));
    assert_int_equal(count_with(&f.store, "sla_breach", "\"timer\":\"resolution\""), 1);
    assert_at(last_of(&f.store, "sla_breach"), "2026-10-27T09:30:00Z");
    assert_replay_same(&f, p, utc(2026, 10, 28, 0, 0));
    fixture_close(&f);
    itsm_policy_free(p);
}

/* An agreement (P1-P3 incidents, stopped at resolve) with a 4 h target
 * on Paris office hours and a warning at half of it. Opened Friday 27
 * March 2026 16:00 CET (15:00Z): 1 h on Friday, then Monday from 09:00
 * CEST (07:00Z). 2 h at Monday 10:00 CEST = 08:00Z; 4 h at 12:00 CEST =
 * 10:00Z. */
static void an_agreement_on_a_zoned_calendar_fires_at_the_local_hour(void **state)
{
    (void)state;
    itsm_policy *p = office_policy(PARIS, 0);
    itsm_agreement_target t = { 0, 4 * HOUR, "local" };
    unsigned half = 500;
    itsm_agreement_def d = ITSM_AGREEMENT_DEF_INIT;
    d.name = "gold";
    d.applies = "kind == 'incident' and priority <= 3";
    d.stop = "state == 'resolved'";
    d.targets = &t;
    d.ntargets = 1;
    d.warnings = &half;
    d.nwarnings = 1;
    assert_ok(itsm_policy_set_agreement(p, &d, NULL));
    fixture f;
    fixture_open_policy(&f, p);
    f.clock.now = utc(2026, 3, 27, 15, 0);
    itsm_record *r = open_inc(&f, 2, 2, NULL);
    itsm_agreement_info a = { .size = sizeof a };
    assert_ok(itsm_record_agreement(&a, r, "gold", f.clock.now));
    assert_int_equal(a.status, ITSM_AGREEMENT_RUNNING);
    assert_string_equal(a.calendar, "local");
    assert_int_equal(a.due, utc(2026, 3, 30, 10, 0));
    tick(&f, utc(2026, 3, 30, 8, 0) - 1);
    assert_int_equal(count_with(&f.store, "agreement_warning", "gold"), 0);
    tick(&f, utc(2026, 3, 30, 8, 0));
    assert_int_equal(count_with(&f.store, "agreement_warning", "gold"), 1);
    assert_at(last_of(&f.store, "agreement_warning"), "2026-03-30T08:00:00Z");
    tick(&f, utc(2026, 3, 30, 10, 0) - 1);
    assert_int_equal(count_with(&f.store, "agreement_breach", "gold"), 0);
    tick(&f, utc(2026, 3, 30, 10, 0));
    assert_int_equal(count_with(&f.store, "agreement_breach", "gold"), 1);
    assert_at(last_of(&f.store, "agreement_breach"), "2026-03-30T10:00:00Z");
    assert_ok(itsm_record_agreement(&a, r, "gold", f.clock.now));
    assert_int_equal(a.verdict, ITSM_VERDICT_BREACHED);
    assert_int_equal(a.elapsed, 4 * HOUR);
    assert_replay_same(&f, p, utc(2026, 3, 31, 0, 0));
    fixture_close(&f);
    itsm_policy_free(p);
}

/* The example. Office hours at a fixed UTC+1 count a summer Monday
 * from 08:00Z; in the Paris zone from 07:00Z (09:00 CEST). A P3 opened and
 * taken Monday 1 June 2026 at 07:00Z, asked at 10:00Z: under UTC+1 it has
 * counted 2 h and is due at 16:00Z; under the zone it has counted 3 h
 * (the elapsed time itself is counted again) and is due at 15:00Z: the
 * clock moves an hour earlier. A winter record is not moved. */
static void moving_a_calendar_to_its_zone_moves_summer_clocks_an_hour_earlier(void **state)
{
    (void)state;
    itsm_policy *fixed = office_policy(NULL, 3600), *zoned = office_policy(PARIS, 0);
    fixture f;
    fixture_open_policy(&f, fixed);
    f.clock.now = utc(2026, 6, 1, 7, 0);
    itsm_record *r = open_inc(&f, 2, 2, NULL);
    start_work(r);
    f.clock.now = utc(2026, 6, 1, 10, 0);
    itsm_timer_info ti = timer(r, ITSM_TIMER_RESOLUTION, f.clock.now);
    assert_int_equal(ti.elapsed, 2 * HOUR);
    assert_int_equal(ti.due, utc(2026, 6, 1, 16, 0));

    itsm_migration *m;
    assert_ok(itsm_engine_migration_check(&m, f.eng, zoned));
    assert_int_equal(itsm_migration_records(m), 1);
    size_t moves = 0;
    for (size_t i = 0; i < itsm_migration_count(m); i++) {
        itsm_migration_finding x = { .size = sizeof x };
        assert_ok(itsm_migration_at(m, i, &x));
        assert_int_equal(x.kind, ITSM_MIGRATION_TIMER_MOVES);
        if (x.clock != ITSM_WHATIF_RESOLUTION)
            continue;
        moves++;
        assert_string_equal(x.record, itsm_record_id(r));
        assert_string_equal(x.name, "office");
        assert_int_equal(x.actual_target, 8 * HOUR);
        assert_int_equal(x.candidate_target, 8 * HOUR);
        assert_int_equal(x.actual_due, utc(2026, 6, 1, 16, 0));
        assert_int_equal(x.candidate_due, utc(2026, 6, 1, 15, 0));
        assert_int_equal(x.delta, -HOUR);
    }
    assert_int_equal(moves, 1);
    itsm_migration_free(m);
    fixture_close(&f);

    /* Winter: Monday 5 January 2026 at 08:00Z is 09:00 under both. */
    fixture_open_policy(&f, fixed);
    f.clock.now = utc(2026, 1, 5, 8, 0);
    start_work(open_inc(&f, 2, 2, NULL));
    f.clock.now = utc(2026, 1, 5, 10, 0);
    assert_ok(itsm_engine_migration_check(&m, f.eng, zoned));
    assert_int_equal(itsm_migration_records(m), 1);
    assert_int_equal(itsm_migration_count(m), 0);
    itsm_migration_free(m);
    fixture_close(&f);
    itsm_policy_free(fixed);
    itsm_policy_free(zoned);
}

/* The same fix priced on history. Resolved Monday 1 June 2026 at 15:30Z:
 * under UTC+1 it counted 08:00-15:30Z, 7.5 h of 8, met; under the zone
 * the whole working day, 07:00-15:00Z (17:00 CEST; 15:30Z is after
 * hours), 8 h: the target was reached before the resolve, breached. Resolved in winter, Monday 5 January at
 * 15:30Z (16:30 CET under both): 7.5 h, met on both sides. */
static void the_what_if_of_the_zone_flips_a_summer_verdict_only(void **state)
{
    (void)state;
    itsm_policy *fixed = office_policy(NULL, 3600), *zoned = office_policy(PARIS, 0);
    fixture f;
    fixture_open_policy(&f, fixed);
    f.clock.now = utc(2026, 1, 5, 8, 0);
    itsm_record *winter = open_inc(&f, 2, 2, NULL);
    start_work(winter);
    f.clock.now = utc(2026, 1, 5, 15, 30);
    resolve(winter);
    f.clock.now = utc(2026, 6, 1, 7, 0);
    itsm_record *summer = open_inc(&f, 2, 2, NULL);
    start_work(summer);
    f.clock.now = utc(2026, 6, 1, 15, 30);
    resolve(summer);
    assert_false(timer(summer, ITSM_TIMER_RESOLUTION, f.clock.now).breached);

    itsm_whatif *w;
    assert_ok(itsm_whatif_new(&w, f.eng, zoned, NULL));
    itsm_whatif_summary s = { .size = sizeof s };
    assert_ok(itsm_whatif_summary_of(&s, w));
    assert_int_equal(s.records, 2);
    assert_int_equal(s.flips, 1);
    assert_int_equal(s.to_breached, 1);
    assert_int_equal(s.to_met, 0);
    assert_int_equal(s.actual_breached, 0);
    assert_int_equal(s.candidate_breached, 1);
    itsm_whatif_flip x = { .size = sizeof x };
    assert_ok(itsm_whatif_flip_at(w, 0, &x));
    assert_string_equal(x.record, itsm_record_id(summer));
    assert_int_equal(x.clock, ITSM_WHATIF_RESOLUTION);
    assert_int_equal(x.actual, ITSM_WHATIF_MET);
    assert_int_equal(x.candidate, ITSM_WHATIF_BREACHED);
    assert_int_equal(x.actual_elapsed, 7 * HOUR + 30 * MIN);
    assert_int_equal(x.candidate_elapsed, 8 * HOUR);
    /* working time to resolve: one record half an hour longer, wall time alike */
    itsm_whatif_duration d = { .size = sizeof d };
    assert_ok(itsm_whatif_duration_of(&d, w, ITSM_WHATIF_RESOLVE_WORK));
    assert_int_equal(d.count, 2);
    assert_int_equal(d.changed, 1);
    assert_int_equal(d.max_delta, 30 * MIN);
    assert_ok(itsm_whatif_duration_of(&d, w, ITSM_WHATIF_RESOLVE_WALL));
    assert_int_equal(d.changed, 0);
    itsm_whatif_free(w);
    fixture_close(&f);
    itsm_policy_free(fixed);
    itsm_policy_free(zoned);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_breach_after_the_spring_change_fires_at_the_local_hour),
        cmocka_unit_test(a_breach_after_the_autumn_change_fires_at_the_local_hour),
        cmocka_unit_test(a_breach_after_daylight_time_ends_in_sydney_fires_at_the_local_hour),
        cmocka_unit_test(a_hold_over_the_change_pauses_only_working_time),
        cmocka_unit_test(an_agreement_on_a_zoned_calendar_fires_at_the_local_hour),
        cmocka_unit_test(moving_a_calendar_to_its_zone_moves_summer_clocks_an_hour_earlier),
        cmocka_unit_test(the_what_if_of_the_zone_flips_a_summer_verdict_only),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
