/* SPDX-License-Identifier: Apache-2.0 */
/* Alert intake: a repeat of a key whose incident is open attaches to it
 * with a count; a new key of the same service within the grouping window
 * groups under the incident; outside it, or once the incident is
 * resolved, a new incident opens; an incident an alert opens pages under
 * its escalation policy; refusals change nothing; it all replays. */
#include "sla/sla_support.h"
#include "alert_story.h"

static void a_repeat_alert_attaches_with_a_count(void **state)
{
    (void)state;
    itsm_policy *p = alert_policy(0);
    fixture f;
    fixture_open_policy(&f, p);
    itsm_record *r, *r2;
    itsm_alert_outcome how;
    assert_ok(ingest(&f, &r, &how, "db1/disk", "database", NULL));
    assert_int_equal(how, ITSM_ALERT_OPENED);
    assert_string_equal(itsm_record_id(r), "INC-000001");
    assert_int_equal(itsm_record_alert_count(r), 1);
    assert_non_null(strstr(f.store.events[1], "\"type\":\"alert_received\""));
    assert_non_null(strstr(f.store.events[1], "\"alert\":{\"dedup_key\":\"db1/disk\",\"group\":\"database\","
                                              "\"count\":1,\"outcome\":\"opened\"}"));
    assert_int_equal(count_events(&f.store, "page"), 1);   /* paged under its policy */
    f.clock.now = T0 + 5 * MIN;
    assert_ok(ingest(&f, &r2, &how, "db1/disk", "database", NULL));
    assert_ptr_equal(r2, r);
    assert_int_equal(how, ITSM_ALERT_DUPLICATE);
    f.clock.now = T0 + 6 * MIN;
    assert_ok(ingest(&f, &r2, NULL, "db1/disk", "database", NULL));
    assert_int_equal(itsm_record_alert_count(r), 3);
    assert_non_null(strstr(f.store.events[f.store.n - 1], "\"count\":3,\"outcome\":\"duplicate\""));
    assert_int_equal(itsm_engine_record_count(f.eng), 1);
    assert_int_equal(count_events(&f.store, "page"), 1);   /* a repeat pages nobody again */
    /* no grouping window: another key opens its own incident */
    assert_ok(ingest(&f, &r2, &how, "db1/cpu", "database", NULL));
    assert_int_equal(how, ITSM_ALERT_OPENED);
    assert_ptr_not_equal(r2, r);
    assert_replay_same(&f, p, f.clock.now);
    fixture_close(&f);
    itsm_policy_free(p);
}

/* A repeat arriving at a time before its incident's last event (a host
 * replaying a log case by case, its clock going back between cases) is not
 * refused: it attaches at that event's time, never before it. */
static void a_repeat_dated_before_the_incident_attaches_at_its_last_event(void **state)
{
    (void)state;
    itsm_policy *p = alert_policy(0);
    fixture f;
    fixture_open_policy(&f, p);
    itsm_record *r, *r2;
    itsm_alert_outcome how;
    assert_ok(ingest(&f, &r, &how, "db1/disk", "database", NULL));
    f.clock.now = T0 + DAY;
    assert_ok(itsm_record_set_str(r, ITSM_F_DESCRIPTION, "volume at 99%"));
    f.clock.now = T0 + HOUR;   /* earlier than the incident's last event */
    assert_ok(ingest(&f, &r2, &how, "db1/disk", "database", NULL));
    assert_ptr_equal(r2, r);
    assert_int_equal(how, ITSM_ALERT_DUPLICATE);
    assert_int_equal(itsm_record_alert_count(r), 2);
    assert_int_equal(itsm_record_int(r, ITSM_F_UPDATED_AT), T0 + DAY);
    assert_replay_same(&f, p, T0 + DAY);
    fixture_close(&f);
    itsm_policy_free(p);
}

static void related_alerts_group_within_the_window(void **state)
{
    (void)state;
    itsm_policy *p = alert_policy(10);
    fixture f;
    fixture_open_policy(&f, p);
    itsm_record *r, *r2;
    itsm_alert_outcome how;
    assert_ok(ingest(&f, &r, &how, "db1/disk", "database", NULL));
    f.clock.now = T0 + 10 * MIN;
    assert_ok(ingest(&f, &r2, &how, "db1/cpu", "database", NULL));
    assert_int_equal(how, ITSM_ALERT_GROUPED);
    assert_ptr_equal(r2, r);
    assert_non_null(strstr(f.store.events[f.store.n - 1], "\"alert\":{\"dedup_key\":\"db1/cpu\","
                                                          "\"group\":\"database\",\"count\":2,\"outcome\":\"grouped\"}"));
    /* past the window (from the alert that opened it): a new incident */
    f.clock.now = T0 + 10 * MIN + 1;
    assert_ok(ingest(&f, &r2, &how, "db2/disk", "database", NULL));
    assert_int_equal(how, ITSM_ALERT_OPENED);
    assert_ptr_not_equal(r2, r);
    /* the grouped key is the incident's too */
    f.clock.now = T0 + 20 * MIN;
    assert_ok(ingest(&f, &r2, &how, "db1/cpu", "database", NULL));
    assert_int_equal(how, ITSM_ALERT_DUPLICATE);
    assert_ptr_equal(r2, r);
    /* another service never groups; the alert's own group key overrides the service */
    itsm_record *m, *m2;
    assert_ok(ingest(&f, &m, &how, "mx1/queue", "mail", NULL));
    assert_int_equal(how, ITSM_ALERT_OPENED);
    assert_ok(ingest(&f, &m2, &how, "mx1/tls", "mail_edge", "rack7"));
    assert_int_equal(how, ITSM_ALERT_OPENED);
    assert_ok(ingest(&f, &m, &how, "mx2/tls", "mail", "rack7"));
    assert_int_equal(how, ITSM_ALERT_GROUPED);
    assert_ptr_equal(m, m2);
    assert_int_equal(itsm_record_alert_count(r), 3);
    assert_int_equal(itsm_record_alert_count(m2), 2);
    assert_replay_same(&f, p, f.clock.now);
    fixture_close(&f);
    itsm_policy_free(p);
}

static void after_resolution_the_same_key_opens_a_new_incident(void **state)
{
    (void)state;
    itsm_policy *p = alert_policy(60);
    fixture f;
    fixture_open_policy(&f, p);
    itsm_record *r, *r2;
    itsm_alert_outcome how;
    assert_ok(ingest(&f, &r, &how, "db1/disk", "database", NULL));
    f.clock.now = T0 + 5 * MIN;
    start_work(r);
    resolve(r);
    assert_ok(ingest(&f, &r2, &how, "db1/disk", "database", NULL));
    assert_int_equal(how, ITSM_ALERT_OPENED);
    assert_ptr_not_equal(r2, r);
    assert_int_equal(itsm_record_alert_count(r), 1);
    assert_int_equal(itsm_record_alert_count(r2), 1);
    /* and its group's window starts again with it */
    f.clock.now = T0 + 6 * MIN;
    itsm_record *r3;
    assert_ok(ingest(&f, &r3, &how, "db1/cpu", "database", NULL));
    assert_int_equal(how, ITSM_ALERT_GROUPED);
    assert_ptr_equal(r3, r2);
    assert_replay_same(&f, p, f.clock.now);
    fixture_close(&f);
    itsm_policy_free(p);
}

static void every_refusal_names_its_reason_and_changes_nothing(void **state)
{
    (void)state;
    itsm_policy *p = alert_policy(10);
    fixture f;
    fixture_open_policy(&f, p);
    itsm_record *r = NULL;
    assert_ok(ingest(&f, &r, NULL, "db1/disk", "database", NULL));
    char *before = engine_dump(f.eng);
    size_t n = f.store.n;
    itsm_alert a = ITSM_ALERT_INIT;
    itsm_alert_outcome how = ITSM_ALERT_OPENED;
    assert_int_equal(itsm_alert_ingest(&r, NULL, NULL, &a), ITSM_EINVAL);
    assert_fails(f.eng, itsm_alert_ingest(NULL, NULL, f.eng, &a), ITSM_EINVAL, "out is NULL");
    assert_fails(f.eng, itsm_alert_ingest(&r, &how, f.eng, NULL), ITSM_EINVAL, "the alert is NULL");
    assert_null(r);
    assert_int_equal(how, 0);
    a.version = 7;
    assert_fails(f.eng, itsm_alert_ingest(&r, NULL, f.eng, &a), ITSM_EINVAL, "alert version 7");
    a.version = ITSM_ALERT_VERSION;
    assert_fails(f.eng, itsm_alert_ingest(&r, NULL, f.eng, &a), ITSM_EINVAL, "the alert's dedup key is required");
    a.dedup_key = "bad\nkey";
    assert_fails(f.eng, itsm_alert_ingest(&r, NULL, f.eng, &a), ITSM_EINVAL,
                 "the alert's dedup key contains a control character");
    char big[300];
    memset(big, 'k', sizeof big - 1);
    big[sizeof big - 1] = 0;
    a.dedup_key = big;
    assert_fails(f.eng, itsm_alert_ingest(&r, NULL, f.eng, &a), ITSM_ELIMIT,
                 "the alert's dedup key is 299 bytes; the limit is 255");
    a.dedup_key = "db9/disk";
    a.group = "";
    assert_fails(f.eng, itsm_alert_ingest(&r, NULL, f.eng, &a), ITSM_EINVAL, "the alert's group is required");
    a.group = NULL;
    a.nfields = 2;
    assert_fails(f.eng, itsm_alert_ingest(&r, NULL, f.eng, &a), ITSM_EINVAL, "the alert's fields are NULL");
    /* the incident's fields, as itsm_record_open checks them */
    itsm_change c = { ITSM_F_IMPACT, NULL, 9 };
    a.fields = &c;
    a.nfields = 1;
    assert_fails(f.eng, itsm_alert_ingest(&r, NULL, f.eng, &a), ITSM_EINVAL, "impact");
    /* a store that refuses */
    f.store.fail_at = f.store.appends + 1;
    assert_int_equal(ingest(&f, &r, NULL, "db1/disk", "database", NULL), ITSM_ESTORE);
    f.store.fail_at = f.store.appends + 1;
    assert_int_equal(ingest(&f, &r, NULL, "web1/5xx", "web", NULL), ITSM_ESTORE);
    char *after = engine_dump(f.eng);
    assert_string_equal(before, after);
    assert_int_equal(f.store.n, n);
    free(after);
    free(before);
    assert_ok(ingest(&f, &r, NULL, "db1/disk", "database", NULL));
    assert_int_equal(itsm_record_alert_count(r), 2);
    fixture_close(&f);
    itsm_policy_free(p);
}

static void intake_survives_every_allocation_failure(void **state)
{
    (void)state;
    itsm_policy *p = alert_policy(10);
    for (int which = 0; which < 3; which++)
        for (long k = 1;; k++) {
            failalloc fa = { 0 };
            fixture f;
            fixture_open_with(&f, p, &fa);
            itsm_record *r;
            if (which)
                assert_ok(ingest(&f, &r, NULL, "db1/disk", "database", NULL));
            char *before = engine_dump(f.eng);
            fa.fail_at = fa.calls + k;
            /* opened, duplicate, grouped */
            int rc = ingest(&f, &r, NULL, which == 2 ? "db1/cpu" : "db1/disk", "database", NULL);
            fa.fail_at = 0;
            char *after = engine_dump(f.eng);
            if (rc == ITSM_ENOMEM)
                assert_string_equal(before, after);
            else
                assert_ok(rc);
            free(before);
            free(after);
            fixture_close(&f);
            assert_int_equal(fa.live, 0);
            if (rc == ITSM_OK)
                break;
        }
    itsm_policy_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_repeat_alert_attaches_with_a_count),
        cmocka_unit_test(a_repeat_dated_before_the_incident_attaches_at_its_last_event),
        cmocka_unit_test(related_alerts_group_within_the_window),
        cmocka_unit_test(after_resolution_the_same_key_opens_a_new_incident),
        cmocka_unit_test(every_refusal_names_its_reason_and_changes_nothing),
        cmocka_unit_test(intake_survives_every_allocation_failure),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
