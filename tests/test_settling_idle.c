/* SPDX-License-Identifier: Apache-2.0 */
/* A lone settling step (a resolve, a close) whose extend hooks would all
 * return at once takes the one-event commit without asking them
 * (core/commit_one.h, itsm__idle_fast): closure's test there is an
 * engine count, its known outages (capability.h: extend_idle_zero),
 * valid under a policy that flags no knowledge candidates and learnt once
 * per policy. The rules kept: a known outage standing anywhere sends the
 * step to closure's own test, which ends the outage its record holds and
 * leaves any other step as it is; a policy adopted later that flags
 * candidates is the one the next settling step follows. Black-box: the
 * public API and the stored events. */
#include "sla/sla_support.h"

static itsm_policy *no_candidates(void)
{
    itsm_policy *p;
    assert_ok(itsm_policy_new_default(&p, NULL));
    assert_ok(itsm_policy_set_closure(p, 3 * DAY, 0, 0));
    return p;
}

/* No outage stands: a resolve decides nothing and is one event. One
 * declared on another record: a resolve still decides nothing and leaves
 * that outage standing; restoring the record that holds it ends it. */
static void a_settling_step_ends_only_the_outage_its_record_holds(void **state)
{
    (void)state;
    itsm_policy *p = no_candidates();
    fixture f;
    fixture_open_policy(&f, p);
    itsm_record *a = open_inc(&f, 2, 2, NULL), *b = open_inc(&f, 2, 2, NULL), *o = open_inc(&f, 1, 2, "Web");
    itsm_record *d = open_inc(&f, 2, 2, NULL), *e = open_inc(&f, 2, 2, NULL);
    start_work(a);
    start_work(b);
    start_work(o);
    size_t before = f.store.n;
    resolve(a);
    assert_int_equal(f.store.n, before + 1);
    assert_null(itsm_record_str(a, ITSM_F_KNOWLEDGE_DECISION));
    assert_false(itsm_record_knowledge_candidate(a));

    assert_ok(itsm_outage_declare(o, T0 + 2 * HOUR, T0 + 30 * MIN));
    f.clock.now = T0 + 10 * MIN;
    before = f.store.n;
    resolve(b);
    assert_int_equal(f.store.n, before + 1);
    assert_null(itsm_record_str(b, ITSM_F_KNOWLEDGE_DECISION));
    assert_ptr_equal(itsm_engine_outage(f.eng, "Web"), o);
    assert_int_equal(count_events(&f.store, "outage_ended"), 0);
    assert_ok(itsm_record_fire(d, "cancel", NULL, 0));
    assert_ptr_equal(itsm_engine_outage(f.eng, "Web"), o);

    f.clock.now = T0 + 20 * MIN;
    resolve(o);
    assert_null(itsm_engine_outage(f.eng, "Web"));
    assert_int_equal(count_events(&f.store, "outage_ended"), 1);
    assert_non_null(strstr(last_of(&f.store, "outage_ended"), "\"service\":\"Web\""));
    /* no outage left: the next settling step is one event again */
    before = f.store.n;
    assert_ok(itsm_record_fire(e, "cancel", NULL, 0));
    assert_int_equal(f.store.n, before + 1);
    assert_replay_same(&f, p, T0 + HOUR);
    fixture_close(&f);
    itsm_policy_free(p);
}

/* The count is the policy's form: learnt under a policy flagging no
 * candidates, forgotten when one that flags them is adopted (the next
 * resolve records its candidate), learnt again when the first comes
 * back. */
static void a_policy_adopted_later_decides_the_next_settling_step(void **state)
{
    (void)state;
    itsm_policy *p = no_candidates(), *kc;
    assert_ok(itsm_policy_new_default(&kc, NULL));
    fixture f;
    fixture_open_policy(&f, p);
    itsm_record *a = open_inc(&f, 2, 2, NULL), *b = open_inc(&f, 2, 2, NULL), *c = open_inc(&f, 2, 2, NULL);
    start_work(a);
    start_work(b);
    start_work(c);
    resolve(a);
    assert_false(itsm_record_knowledge_candidate(a));

    assert_ok(itsm_engine_adopt_policy(f.eng, kc));
    f.clock.now = T0 + 10 * MIN;
    resolve(b);
    assert_true(itsm_record_knowledge_candidate(b));
    assert_string_equal(itsm_record_str(b, ITSM_F_KNOWLEDGE_DECISION), "candidate");

    assert_ok(itsm_engine_adopt_policy(f.eng, p));
    f.clock.now = T0 + 20 * MIN;
    resolve(c);
    assert_false(itsm_record_knowledge_candidate(c));
    assert_null(itsm_record_str(c, ITSM_F_KNOWLEDGE_DECISION));
    fixture_close(&f);
    itsm_policy_free(kc);
    itsm_policy_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_settling_step_ends_only_the_outage_its_record_holds),
        cmocka_unit_test(a_policy_adopted_later_decides_the_next_settling_step),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
