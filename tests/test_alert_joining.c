/* SPDX-License-Identifier: Apache-2.0 */
/* Alert intake, what joining an incident means (docs/oncall.md, "Alert
 * intake"): an alert that attaches or groups changes none of the
 * incident's fields (they are used only when an alert opens one); only an
 * incident an alert opened gathers a group, not one opened by hand on the
 * same service; an incident on hold is still open and unresolved, so a
 * repeat attaches to it. Black-box: the public API and the stored events. */
#include "sla/sla_support.h"
#include "itsm/oncall.h"

/* Grouping within 10 minutes; no escalation policy. */
static itsm_policy *window_policy(void)
{
    itsm_policy *p;
    assert_ok(itsm_policy_new_default(&p, NULL));
    assert_ok(itsm_policy_set_alert_window(p, 10));
    return p;
}

static itsm_alert_outcome ingest(fixture *f, itsm_record **out, const char *key, const char *summary, int impact,
                                 int urgency)
{
    itsm_change c[4] = { { ITSM_F_SUMMARY, summary, 0 }, { ITSM_F_IMPACT, NULL, impact },
                         { ITSM_F_URGENCY, NULL, urgency }, { ITSM_F_SERVICE, "database", 0 } };
    itsm_alert a = ITSM_ALERT_INIT;
    a.dedup_key = key;
    a.fields = c;
    a.nfields = 4;
    itsm_alert_outcome how = 0;
    assert_ok(itsm_alert_ingest(out, &how, f->eng, &a));
    return how;
}

static void an_alert_that_joins_changes_no_field_of_the_incident(void **state)
{
    (void)state;
    itsm_policy *p = window_policy();
    fixture f;
    fixture_open_policy(&f, p);
    itsm_record *r, *j;
    assert_int_equal(ingest(&f, &r, "db1/disk", "Disk full on db1", 3, 3), ITSM_ALERT_OPENED);
    assert_int_equal(itsm_record_int(r, ITSM_F_PRIORITY), 5);
    f.clock.now = T0 + 2 * MIN;
    assert_int_equal(ingest(&f, &j, "db1/disk", "Disk full on db1 - CRITICAL", 1, 1), ITSM_ALERT_DUPLICATE);
    assert_ptr_equal(j, r);
    f.clock.now = T0 + 4 * MIN;
    assert_int_equal(ingest(&f, &j, "db1/cpu", "CPU saturated on db1", 1, 1), ITSM_ALERT_GROUPED);
    assert_ptr_equal(j, r);
    assert_int_equal(itsm_record_alert_count(r), 3);
    assert_string_equal(itsm_record_str(r, ITSM_F_SUMMARY), "Disk full on db1");
    assert_int_equal(itsm_record_int(r, ITSM_F_IMPACT), 3);
    assert_int_equal(itsm_record_int(r, ITSM_F_URGENCY), 3);
    assert_int_equal(itsm_record_int(r, ITSM_F_PRIORITY), 5);
    /* the joining events set nothing */
    for (size_t i = 2; i < f.store.n; i++)
        if (strstr(f.store.events[i], "\"type\":\"alert_received\""))
            assert_null(strstr(f.store.events[i], "\"set\""));
    assert_replay_same(&f, p, f.clock.now);
    fixture_close(&f);
    itsm_policy_free(p);
}

static void only_an_incident_an_alert_opened_gathers_a_group(void **state)
{
    (void)state;
    itsm_policy *p = window_policy();
    fixture f;
    fixture_open_policy(&f, p);
    itsm_record *by_hand = open_inc(&f, 2, 2, "database"), *r;
    f.clock.now = T0 + MIN;
    assert_int_equal(ingest(&f, &r, "db1/disk", "Disk full on db1", 2, 2), ITSM_ALERT_OPENED);
    assert_ptr_not_equal(r, by_hand);
    assert_int_equal(itsm_record_alert_count(by_hand), 0);
    /* the next new key of the group joins the incident the alert opened */
    itsm_record *j;
    f.clock.now = T0 + 2 * MIN;
    assert_int_equal(ingest(&f, &j, "db1/cpu", "CPU saturated on db1", 2, 2), ITSM_ALERT_GROUPED);
    assert_ptr_equal(j, r);
    assert_int_equal(itsm_engine_record_count(f.eng), 2);
    fixture_close(&f);
    itsm_policy_free(p);
}

static void a_repeat_attaches_to_an_incident_on_hold(void **state)
{
    (void)state;
    itsm_policy *p = window_policy();
    fixture f;
    fixture_open_policy(&f, p);
    itsm_record *r, *j;
    assert_int_equal(ingest(&f, &r, "db1/disk", "Disk full on db1", 2, 2), ITSM_ALERT_OPENED);
    f.clock.now = T0 + MIN;
    start_work(r);
    hold(r, "awaiting_supplier");
    /* a day later, far past the grouping window: the key still names it */
    f.clock.now = T0 + DAY;
    assert_int_equal(ingest(&f, &j, "db1/disk", "Disk full on db1", 2, 2), ITSM_ALERT_DUPLICATE);
    assert_ptr_equal(j, r);
    assert_int_equal(itsm_record_alert_count(r), 2);
    assert_string_equal(itsm_record_state(r), "on_hold");
    /* but a new key of the group, past the window, opens its own */
    assert_int_equal(ingest(&f, &j, "db1/cpu", "CPU saturated on db1", 2, 2), ITSM_ALERT_OPENED);
    assert_ptr_not_equal(j, r);
    assert_replay_same(&f, p, f.clock.now);
    fixture_close(&f);
    itsm_policy_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(an_alert_that_joins_changes_no_field_of_the_incident),
        cmocka_unit_test(only_an_incident_an_alert_opened_gathers_a_group),
        cmocka_unit_test(a_repeat_attaches_to_an_incident_on_hold),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
