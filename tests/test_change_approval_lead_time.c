/* SPDX-License-Identifier: Apache-2.0 */
/* The approval lead time of the reports, in working time and by kind: a
 * change assessed late on a Friday and approved on Monday morning waited
 * 65 hours on the wall but 3 working hours on the trading calendar; a
 * service request's round counts with its kind; a round still pending
 * counts in neither. */
#include "change_policy.h"

#include <string.h>

#define HOUR ((int64_t)3600)

static itsm_report_stat lead_time(itsm_engine *eng, itsm_report_measure m, unsigned kinds, const char *calendar)
{
    itsm_report_opts o = ITSM_REPORT_OPTS_INIT;
    o.kinds = kinds;
    o.calendar = calendar;
    itsm_report *rep;
    assert_ok(itsm_report_new(&rep, eng, &o));
    itsm_report_stat s = { .size = sizeof s };
    assert_ok(itsm_report_duration(&s, rep, m));
    itsm_report_free(rep);
    return s;
}

static void the_lead_time_is_counted_in_working_time_and_by_kind(void **state)
{
    (void)state;
    fixture f;
    change_fixture_open(&f, NULL, NULL, NULL);
    /* Friday 6 March 17:00Z: the change is assessed, its round opens. */
    f.clock.now = at_utc("2026-03-06T17:00:00Z");
    itsm_record *c = change_open(&f, "CHG1", "normal", "mail", "relay01");
    assert_ok(itsm_record_fire(c, "assess", NULL, 0));
    change_assess(c, "low");
    itsm_record *waiting = change_open(&f, "CHG2", "normal", "mail", "relay01");
    assert_ok(itsm_record_fire(waiting, "assess", NULL, 0));
    change_assess(waiting, "low");

    itsm_change rc[] = { { ITSM_F_SUMMARY, "A laptop", 0 }, { ITSM_F_CALLER, "pia", 0 },
                         { ITSM_F_SERVICE, "workplace", 0 } };
    itsm_record_opts o = ITSM_RECORD_OPTS_INIT;
    o.kind = ITSM_KIND_SERVICE_REQUEST;
    o.id = "REQ1";
    o.fields = rc;
    o.nfields = sizeof rc / sizeof rc[0];
    itsm_record *req;
    assert_ok(itsm_record_open(&req, f.eng, &o));
    assert_ok(itsm_record_fire(req, "submit", NULL, 0));
    f.clock.now += 30 * 60;
    assert_ok(itsm_record_approve(req, NULL, "mia", NULL));

    /* Monday 9 March 10:00Z: the change manager approves. */
    f.clock.now = at_utc("2026-03-09T10:00:00Z");
    assert_ok(itsm_record_approve(c, NULL, "carl", NULL));

    unsigned changes = ITSM_REPORT_KIND(ITSM_KIND_CHANGE);
    itsm_report_stat wall = lead_time(f.eng, ITSM_MEASURE_APPROVAL_WALL, changes, "trading");
    assert_int_equal(wall.count, 1);   /* CHG2 is still pending */
    assert_int_equal(wall.max, 65 * HOUR);
    itsm_report_stat work = lead_time(f.eng, ITSM_MEASURE_APPROVAL_WORK, changes, "trading");
    assert_int_equal(work.count, 1);
    assert_int_equal(work.max, 3 * HOUR);   /* Friday 17-18, Monday 08-10 */
    /* Around the clock, working time is wall time. */
    assert_int_equal(lead_time(f.eng, ITSM_MEASURE_APPROVAL_WORK, changes, NULL).max, 65 * HOUR);

    unsigned requests = ITSM_REPORT_KIND(ITSM_KIND_SERVICE_REQUEST);
    wall = lead_time(f.eng, ITSM_MEASURE_APPROVAL_WALL, requests, NULL);
    assert_int_equal(wall.count, 1);
    assert_int_equal(wall.max, 30 * 60);
    wall = lead_time(f.eng, ITSM_MEASURE_APPROVAL_WALL, 0, NULL);
    assert_int_equal(wall.count, 2);
    assert_int_equal(wall.min, 30 * 60);
    assert_int_equal(wall.max, 65 * HOUR);
    fixture_close(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_lead_time_is_counted_in_working_time_and_by_kind),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
