/* SPDX-License-Identifier: Apache-2.0 */
/* docs/oncall.md, "Alert intake": a key is a duplicate only while "the key
 * belongs to an incident that is still open and unresolved", and "once an
 * incident is resolved its keys and its group's window no longer point at
 * it: the same key opens a new incident". The other ways out of "open and
 * unresolved": a canceled incident (closed without a resolution) takes no
 * more alerts; a resolved incident reopened is open and unresolved again
 * and takes its keys back - unless a key opened a newer incident while it
 * was resolved, which keeps it. */
#include "sla/sla_support.h"
#include "alert_story.h"

static void a_canceled_incident_takes_no_more_alerts(void **state)
{
    (void)state;
    itsm_policy *p = alert_policy(60);
    fixture f;
    fixture_open_policy(&f, p);
    itsm_record *r, *r2;
    itsm_alert_outcome how;
    assert_ok(ingest(&f, &r, &how, "db1/disk", "database", NULL));
    assert_int_equal(how, ITSM_ALERT_OPENED);
    f.clock.now = T0 + MIN;
    assert_ok(itsm_record_fire(r, "cancel", NULL, 0));
    assert_ok(ingest(&f, &r2, &how, "db1/disk", "database", NULL));   /* not a duplicate */
    assert_int_equal(how, ITSM_ALERT_OPENED);
    assert_ptr_not_equal(r2, r);
    f.clock.now = T0 + 2 * MIN;
    itsm_record *r3;
    /* groups under the new one, not the canceled */
    assert_ok(ingest(&f, &r3, &how, "db1/cpu", "database", NULL));
    assert_int_equal(how, ITSM_ALERT_GROUPED);
    assert_ptr_equal(r3, r2);
    assert_int_equal(itsm_record_alert_count(r), 1);
    assert_replay_same(&f, p, f.clock.now);
    fixture_close(&f);
    itsm_policy_free(p);
}

static void a_reopened_incident_takes_its_keys_back(void **state)
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
    f.clock.now = T0 + 10 * MIN;
    assert_ok(itsm_record_fire(r, "reopen", NULL, 0));
    assert_string_equal(itsm_record_state(r), "in_progress");
    assert_ok(ingest(&f, &r2, &how, "db1/disk", "database", NULL));   /* open and unresolved again: a duplicate */
    assert_int_equal(how, ITSM_ALERT_DUPLICATE);
    assert_ptr_equal(r2, r);
    assert_int_equal(itsm_record_alert_count(r), 2);
    assert_replay_same(&f, p, f.clock.now);
    fixture_close(&f);
    itsm_policy_free(p);
}

/* Resolved, its key opened a new incident; reopened afterwards, the key
 * stays with the new one. */
static void a_key_that_moved_on_stays_with_the_newer_incident(void **state)
{
    (void)state;
    itsm_policy *p = alert_policy(60);
    fixture f;
    fixture_open_policy(&f, p);
    itsm_record *r, *r2, *r3;
    itsm_alert_outcome how;
    assert_ok(ingest(&f, &r, &how, "db1/disk", "database", NULL));
    f.clock.now = T0 + 5 * MIN;
    start_work(r);
    resolve(r);
    assert_ok(ingest(&f, &r2, &how, "db1/disk", "database", NULL));
    assert_int_equal(how, ITSM_ALERT_OPENED);
    f.clock.now = T0 + 10 * MIN;
    assert_ok(itsm_record_fire(r, "reopen", NULL, 0));
    assert_ok(ingest(&f, &r3, &how, "db1/disk", "database", NULL));
    assert_int_equal(how, ITSM_ALERT_DUPLICATE);
    assert_ptr_equal(r3, r2);
    assert_int_equal(itsm_record_alert_count(r), 1);
    assert_int_equal(itsm_record_alert_count(r2), 2);
    assert_replay_same(&f, p, f.clock.now);
    fixture_close(&f);
    itsm_policy_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_canceled_incident_takes_no_more_alerts),
        cmocka_unit_test(a_reopened_incident_takes_its_keys_back),
        cmocka_unit_test(a_key_that_moved_on_stays_with_the_newer_incident),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
