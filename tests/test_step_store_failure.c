/* SPDX-License-Identifier: Apache-2.0 */
/* A store that fails is bad input to every step, not only to the calls
 * of the scenario test_store_failure.c runs: the major-incident, outage,
 * escalation, SLA and review steps each give ITSM_ESTORE naming the store
 * append, leave every record and the store as they were (no outage is
 * held, no major state moves), and go through when called again. */
#include "pm_helpers.h"
#include "record_check.h"

/* The next append fails: the call is ITSM_ESTORE with a message naming
 * the store append, nothing changed; then the same call goes through. */
#define store_fails_then_ok(f, call) do {                                        \
        (f)->store.fail_at = (f)->store.appends + 1;                             \
        refuse(f, call, ITSM_ESTORE, "store append");                            \
        assert_ok(call);                                                         \
    } while (0)

static void major_incident_steps_change_nothing_when_the_store_fails(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *p = pm_incident(&f, "mail", "network", "mail down");
    itsm_record *c = pm_incident(&f, "mail", "network", "cannot send");

    f.store.fail_at = f.store.appends + 1;
    assert_int_equal(itsm_major_propose(p, "everyone"), ITSM_ESTORE);
    assert_int_equal(itsm_record_major_state(p), ITSM_MAJOR_NONE);
    assert_ok(itsm_major_propose(p, "everyone"));

    f.store.fail_at = f.store.appends + 1;
    assert_int_equal(itsm_major_decide(p, 1, "mim"), ITSM_ESTORE);
    assert_int_equal(itsm_record_major_state(p), ITSM_MAJOR_PROPOSED);
    assert_false(itsm_record_int(p, ITSM_F_MAJOR));
    assert_ok(itsm_major_decide(p, 1, "mim"));
    assert_int_equal(itsm_record_major_state(p), ITSM_MAJOR_ACCEPTED);

    store_fails_then_ok(&f, itsm_major_communication_issued(p));
    const char *groups[] = { "network", "mail" };
    store_fails_then_ok(&f, itsm_major_engage_groups(p, groups, 2));
    store_fails_then_ok(&f, itsm_major_attach(p, c));
    store_fails_then_ok(&f, itsm_review_open(p));
    store_fails_then_ok(&f, itsm_review_add_cause(p, "a full queue"));
    store_fails_then_ok(&f, itsm_review_add_action(p, "a1", "alert on queue depth", "ops", T0 + 86400));
    store_fails_then_ok(&f, itsm_review_action_done(p, "a1", "alert added"));
    store_fails_then_ok(&f, itsm_review_complete(p));
    assert_replays_the_same(f.eng, &f.store);
    fixture_close(&f);
}

static void outage_escalation_and_sla_steps_change_nothing_when_the_store_fails(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *r = pm_incident(&f, "mail", "network", "mail down");
    pm_work(r, "desk", "ann");
    pm_prioritise(r, 2, 2);

    f.store.fail_at = f.store.appends + 1;
    assert_int_equal(itsm_outage_declare(r, T0 + 7200, T0 + 3600), ITSM_ESTORE);
    assert_null(itsm_engine_outage(f.eng, "mail"));
    assert_ok(itsm_outage_declare(r, T0 + 7200, T0 + 3600));
    assert_ptr_equal(itsm_engine_outage(f.eng, "mail"), r);

    f.clock.now = T0 + 600;
    store_fails_then_ok(&f, itsm_record_escalate(r, 0, NULL, "restarted the relay twice"));
    store_fails_then_ok(&f, itsm_record_escalate_hierarchical(r, "the customer asks for a manager"));
    store_fails_then_ok(&f, itsm_record_set_sla(r, NULL));

    f.store.fail_at = f.store.appends + 1;
    assert_int_equal(itsm_outage_end(r), ITSM_ESTORE);
    assert_ptr_equal(itsm_engine_outage(f.eng, "mail"), r);
    assert_ok(itsm_outage_end(r));
    assert_null(itsm_engine_outage(f.eng, "mail"));
    assert_replays_the_same(f.eng, &f.store);
    fixture_close(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(major_incident_steps_change_nothing_when_the_store_fails),
        cmocka_unit_test(outage_escalation_and_sla_steps_change_nothing_when_the_store_fails),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
