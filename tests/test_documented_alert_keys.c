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

static const char *const primary[] = { "alice" };

static itsm_policy *alert_policy(unsigned window)
{
    itsm_policy *p;
    assert_ok(itsm_policy_new_default(&p, NULL));
    itsm_oncall_step steps[1] = { { primary, 1, 15 } };
    itsm_oncall_def d = ITSM_ONCALL_DEF_INIT;
    d.name = "everything";
    d.steps = steps;
    d.nsteps = 1;
    assert_ok(itsm_policy_add_oncall(p, &d));
    assert_ok(itsm_policy_set_alert_window(p, window));
    return p;
}

static int ingest(fixture *f, itsm_record **out, itsm_alert_outcome *how, const char *key)
{
    itsm_change c[4] = { { ITSM_F_SUMMARY, "Disk full", 0 }, { ITSM_F_IMPACT, NULL, 2 },
                         { ITSM_F_URGENCY, NULL, 2 }, { ITSM_F_SERVICE, "database", 0 } };
    itsm_alert a = ITSM_ALERT_INIT;
    a.dedup_key = key;
    a.fields = c;
    a.nfields = 4;
    return itsm_alert_ingest(out, how, f->eng, &a);
}

static void a_canceled_incident_takes_no_more_alerts(void **state)
{
    (void)state;
    itsm_policy *p = alert_policy(60);
    fixture f;
    fixture_open_policy(&f, p);
    itsm_record *r, *r2;
    itsm_alert_outcome how;
    assert_ok(ingest(&f, &r, &how, "db1/disk"));
    assert_int_equal(how, ITSM_ALERT_OPENED);
    f.clock.now = T0 + MIN;
    assert_ok(itsm_record_fire(r, "cancel", NULL, 0));
    assert_ok(ingest(&f, &r2, &how, "db1/disk"));             /* not a duplicate */
    assert_int_equal(how, ITSM_ALERT_OPENED);
    assert_ptr_not_equal(r2, r);
    f.clock.now = T0 + 2 * MIN;
    itsm_record *r3;
    assert_ok(ingest(&f, &r3, &how, "db1/cpu"));              /* groups under the new one, not the canceled */
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
    assert_ok(ingest(&f, &r, &how, "db1/disk"));
    f.clock.now = T0 + 5 * MIN;
    start_work(r);
    resolve(r);
    f.clock.now = T0 + 10 * MIN;
    assert_ok(itsm_record_fire(r, "reopen", NULL, 0));
    assert_string_equal(itsm_record_state(r), "in_progress");
    assert_ok(ingest(&f, &r2, &how, "db1/disk"));             /* open and unresolved again: a duplicate */
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
    assert_ok(ingest(&f, &r, &how, "db1/disk"));
    f.clock.now = T0 + 5 * MIN;
    start_work(r);
    resolve(r);
    assert_ok(ingest(&f, &r2, &how, "db1/disk"));
    assert_int_equal(how, ITSM_ALERT_OPENED);
    f.clock.now = T0 + 10 * MIN;
    assert_ok(itsm_record_fire(r, "reopen", NULL, 0));
    assert_ok(ingest(&f, &r3, &how, "db1/disk"));
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
