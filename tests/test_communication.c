/* SPDX-License-Identifier: Apache-2.0 */
/* Communication: next update due, overdue, cadence and audience by
 * priority, known outages (DESIGN.md section 6). */
#include "sla/sla_support.h"

static int customer_update(itsm_record *r, itsm_time next)
{
    itsm_note_opts n = ITSM_NOTE_OPTS_INIT;
    n.kind = ITSM_NOTE_CUSTOMER;
    n.text = "restarted the relay";
    n.expected_restoration = next + HOUR;
    n.next_update = next;
    return itsm_record_add_note(r, &n);
}

static void customer_update_must_carry_actions_eta_and_next_update(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *r = open_inc(&f, 1, 2, NULL);
    itsm_note_opts n = ITSM_NOTE_OPTS_INIT;
    n.kind = ITSM_NOTE_CUSTOMER;
    n.text = "looking";
    n.next_update = T0 + HOUR;
    assert_fails(f.eng, itsm_record_add_note(r, &n), ITSM_EINVAL, "expected restoration");
    n.expected_restoration = T0 + HOUR;
    n.next_update = ITSM_TIME_NONE;
    assert_fails(f.eng, itsm_record_add_note(r, &n), ITSM_EINVAL, "next update");
    assert_int_equal(itsm_record_timeline_count(r), 0);
    fixture_close(&f);
}

static void cadence_per_priority_starts_at_first_response(void **state)
{
    (void)state;
    static const struct { int i, u; int64_t cadence; } rows[] = {
        { 1, 1, 30 * MIN }, { 1, 2, HOUR }, { 2, 2, 4 * HOUR }, { 2, 3, 8 * HOUR }, { 3, 3, 8 * HOUR } };
    fixture f;
    fixture_open(&f);
    for (size_t k = 0; k < 5; k++) {
        itsm_record *r = open_inc(&f, rows[k].i, rows[k].u, NULL);
        assert_int_equal(timer(r, ITSM_TIMER_NEXT_UPDATE, T0).status, ITSM_TIMER_NONE);
        start_work(r);
        itsm_timer_info t = timer(r, ITSM_TIMER_NEXT_UPDATE, T0);
        assert_int_equal(t.status, ITSM_TIMER_RUNNING);
        /* P4/P5: one working day on the business calendar: Monday 09:00 -> 17:00 */
        assert_int_equal(t.due, T0 + rows[k].cadence);
    }
    fixture_close(&f);
}

/* Seed 002: "notification methods vary by priority" and the update
 * cadence per priority are the policy's (DESIGN 6 gives defaults): a
 * policy with other cadences owes the next update at its own, and one that
 * broadcasts only P1 sends a P2's overdue update to the callers. */
static void cadence_and_audience_follow_the_policy(void **state)
{
    (void)state;
    itsm_policy *p;
    assert_ok(itsm_policy_new_default(&p, NULL));
    static const uint32_t cad[5] = { 10 * MIN, 20 * MIN, 2 * HOUR, 3 * HOUR, 5 * HOUR };
    assert_ok(itsm_policy_set_cadence(p, cad, 1));
    fixture f;
    fixture_open_policy(&f, p);
    itsm_record *p1 = open_inc(&f, 1, 1, NULL), *p2 = open_inc(&f, 1, 2, NULL), *p3 = open_inc(&f, 2, 2, NULL);
    start_work(p1);
    start_work(p2);
    start_work(p3);
    assert_int_equal(timer(p1, ITSM_TIMER_NEXT_UPDATE, T0).due, T0 + 10 * MIN);
    assert_int_equal(timer(p2, ITSM_TIMER_NEXT_UPDATE, T0).due, T0 + 20 * MIN);
    assert_int_equal(timer(p3, ITSM_TIMER_NEXT_UPDATE, T0).due, T0 + 2 * HOUR);   /* business hours, Monday 09:00 */
    assert_int_equal(itsm_record_audience(p1), ITSM_AUDIENCE_BROADCAST);
    assert_int_equal(itsm_record_audience(p2), ITSM_AUDIENCE_CALLERS);
    assert_int_equal(sla_tick(&f, T0 + 10 * MIN + 1), 1);
    assert_non_null(strstr(f.store.events[f.store.n - 1], itsm_record_id(p1)));
    assert_non_null(strstr(f.store.events[f.store.n - 1], "\"audience\":\"broadcast\""));
    assert_int_equal(sla_tick(&f, T0 + 20 * MIN), 0);
    assert_int_equal(sla_tick(&f, T0 + 20 * MIN + 1), 1);
    assert_non_null(strstr(f.store.events[f.store.n - 1], itsm_record_id(p2)));
    assert_non_null(strstr(f.store.events[f.store.n - 1], "\"audience\":\"callers\""));
    assert_replay_same(&f, p, T0 + HOUR);
    fixture_close(&f);
    itsm_policy_free(p);
}

/* Found by the model-based test: after a first response, a record without
 * a priority reported its next-update timer as stopped, not none. */
static void without_a_priority_there_is_no_next_update_timer(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *r = NULL;
    itsm_record_opts o = ITSM_RECORD_OPTS_INIT;
    assert_ok(itsm_record_open(&r, f.eng, &o));
    start_work(r);
    assert_int_not_equal(itsm_record_int(r, ITSM_F_RESPONDED_AT), ITSM_TIME_NONE);
    for (int t = ITSM_TIMER_RESPONSE; t <= ITSM_TIMER_NEXT_UPDATE; t++)
        assert_int_equal(timer(r, (itsm_timer)t, T0 + HOUR).status, ITSM_TIMER_NONE);
    /* a priority now: the cadence counts from the first response */
    assert_ok(itsm_record_set_int(r, ITSM_F_IMPACT, 2));
    assert_ok(itsm_record_set_int(r, ITSM_F_URGENCY, 2));
    itsm_timer_info t = timer(r, ITSM_TIMER_NEXT_UPDATE, T0);
    assert_int_equal(t.status, ITSM_TIMER_RUNNING);
    assert_int_equal(t.due, T0 + 4 * HOUR);
    fixture_close(&f);
}

/* A promise made to the customer is kept with no priority set: only the
 * cadence needs a priority. The next update is due at the promised time
 * and the tick reports it overdue just after. */
static void a_promised_update_is_tracked_without_a_priority(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *r = NULL;
    itsm_record_opts o = ITSM_RECORD_OPTS_INIT;
    assert_ok(itsm_record_open(&r, f.eng, &o));
    f.clock.now = T0 + 5 * MIN;
    assert_ok(customer_update(r, T0 + 20 * MIN));
    itsm_timer_info t = timer(r, ITSM_TIMER_NEXT_UPDATE, T0 + 10 * MIN);
    assert_int_equal(t.status, ITSM_TIMER_RUNNING);
    assert_int_equal(t.due, T0 + 20 * MIN);
    assert_false(t.breached);
    assert_int_equal(sla_tick(&f, T0 + 20 * MIN), 0);
    assert_int_equal(sla_tick(&f, T0 + 20 * MIN + 1), 1);
    assert_int_equal(count_events(&f.store, "update_overdue"), 1);
    /* with no priority there is no broadcast: the overdue update is owed
     * to the callers who were promised it, not to everyone on a service */
    assert_int_equal(itsm_record_audience(r), ITSM_AUDIENCE_NONE);
    assert_non_null(strstr(f.store.events[f.store.n - 1], "\"audience\":\"callers\""));
    assert_true(timer(r, ITSM_TIMER_NEXT_UPDATE, T0 + HOUR).breached);
    /* the response and resolution clocks still need a priority */
    assert_int_equal(timer(r, ITSM_TIMER_RESOLUTION, T0 + HOUR).status, ITSM_TIMER_NONE);
    assert_replay_same(&f, NULL, T0 + 2 * HOUR);
    fixture_close(&f);
}

static void overdue_fires_after_the_promised_time_and_an_update_rearms_it(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *r = open_inc(&f, 1, 2, NULL);   /* P2: 1 h */
    start_work(r);
    f.clock.now = T0 + 20 * MIN;
    assert_ok(customer_update(r, T0 + 45 * MIN));
    assert_int_equal(timer(r, ITSM_TIMER_NEXT_UPDATE, T0).due, T0 + 45 * MIN);
    assert_int_equal(sla_tick(&f, T0 + 45 * MIN), 0);
    assert_int_equal(sla_tick(&f, T0 + 45 * MIN + 1), 1);
    assert_int_equal(count_events(&f.store, "update_overdue"), 1);
    assert_non_null(strstr(f.store.events[f.store.n - 1], "\"audience\":\"broadcast\""));
    assert_true(timer(r, ITSM_TIMER_NEXT_UPDATE, T0 + HOUR).breached);
    assert_int_equal(sla_tick(&f, T0 + 2 * HOUR), 0);   /* once per promise */
    f.clock.now = T0 + 2 * HOUR;
    assert_ok(customer_update(r, T0 + 3 * HOUR));
    assert_false(timer(r, ITSM_TIMER_NEXT_UPDATE, T0 + 2 * HOUR).breached);
    assert_int_equal(sla_tick(&f, T0 + 3 * HOUR + 1), 1);
    assert_int_equal(count_events(&f.store, "update_overdue"), 2);
    /* resolving stops it */
    f.clock.now = T0 + 3 * HOUR + 2;
    resolve(r);
    assert_int_equal(timer(r, ITSM_TIMER_NEXT_UPDATE, T0 + 9 * HOUR).status, ITSM_TIMER_STOPPED);
    assert_replay_same(&f, NULL, T0 + 4 * HOUR);
    fixture_close(&f);
}

/* A reopened incident owes its next update at the cadence from the
 * reopening: the due time from before it was resolved is stale (no update
 * was owed while it stood resolved), so it is neither overdue at once nor
 * fired by the next tick. A promise made before the resolution is stale
 * too. */
static void reopening_rearms_the_next_update_from_the_reopening(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *r = open_inc(&f, 1, 2, NULL);   /* P2: every hour on 24x7 */
    start_work(r);
    f.clock.now = T0 + 10 * MIN;
    assert_ok(customer_update(r, T0 + 40 * MIN));
    f.clock.now = T0 + 30 * MIN;
    resolve(r);
    f.clock.now = T0 + 5 * HOUR;
    assert_ok(itsm_record_fire(r, "reopen", NULL, 0));
    itsm_timer_info t = timer(r, ITSM_TIMER_NEXT_UPDATE, T0 + 5 * HOUR);
    assert_int_equal(t.status, ITSM_TIMER_RUNNING);
    assert_int_equal(t.due, T0 + 6 * HOUR);
    assert_false(t.breached);
    assert_int_equal(sla_tick(&f, T0 + 6 * HOUR), 0);
    assert_int_equal(count_events(&f.store, "update_overdue"), 0);
    assert_int_equal(sla_tick(&f, T0 + 6 * HOUR + 1), 1);
    assert_int_equal(count_events(&f.store, "update_overdue"), 1);
    assert_non_null(strstr(f.store.events[f.store.n - 1], "\"due\":\"2026-03-02T15:00:00Z\""));
    assert_replay_same(&f, NULL, T0 + 7 * HOUR);
    fixture_close(&f);
}

static void audience_depends_on_priority(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    assert_int_equal(itsm_record_audience(open_inc(&f, 1, 1, NULL)), ITSM_AUDIENCE_BROADCAST);
    assert_int_equal(itsm_record_audience(open_inc(&f, 1, 2, NULL)), ITSM_AUDIENCE_BROADCAST);
    itsm_record *p3 = open_inc(&f, 2, 2, NULL);
    assert_int_equal(itsm_record_audience(p3), ITSM_AUDIENCE_CALLERS);
    start_work(p3);
    sla_tick(&f, T0 + DAY);
    int callers = 0;
    for (size_t i = 0; i < f.store.n; i++)
        callers += strstr(f.store.events[i], "update_overdue") && strstr(f.store.events[i], itsm_record_id(p3)) &&
                   strstr(f.store.events[i], "\"audience\":\"callers\"");
    assert_int_equal(callers, 1);
    fixture_close(&f);
}

/* Seed 002: "notification methods vary by priority"; the policy says up to
 * which priority updates broadcast. The audience goes with the cadence it
 * paces, under the record's policy version (docs/policy.md, Versions): a
 * P2 opened under a version that broadcasts up to P2 still broadcasts
 * after a version broadcasting only P1 is adopted, and its overdue update
 * goes out as a broadcast; the event that fires moves it to the new
 * version, which reaches the callers. An engine loaded from the store
 * after a restart under the new version agrees. */
static void the_audience_is_the_one_of_the_records_policy_version(void **state)
{
    (void)state;
    static const uint32_t cad[5] = { 30 * MIN, HOUR, 4 * HOUR, 8 * HOUR, 8 * HOUR };
    itsm_policy *two, *one;
    assert_ok(itsm_policy_new_default(&two, NULL));
    assert_ok(itsm_policy_new_default(&one, NULL));
    assert_ok(itsm_policy_set_cadence(one, cad, 1));
    fixture f;
    fixture_open_policy(&f, two);
    itsm_record *r = open_inc(&f, 1, 2, NULL);
    start_work(r);
    assert_int_equal(itsm_record_audience(r), ITSM_AUDIENCE_BROADCAST);
    f.clock.now = T0 + MIN;
    assert_ok(itsm_engine_adopt_policy(f.eng, one));
    assert_int_equal(itsm_record_audience(r), ITSM_AUDIENCE_BROADCAST);
    assert_int_equal(timer(r, ITSM_TIMER_NEXT_UPDATE, T0 + MIN).due, T0 + HOUR);
    /* loaded after a restart under the new version: the same */
    vclock c2 = { T0 + 2 * MIN };
    itsm_engine *e2 = engine_over(&f.store, &c2, one);
    assert_ok(itsm_engine_load(e2));
    itsm_record *r2;
    assert_ok(itsm_record_find(&r2, e2, itsm_record_id(r)));
    assert_int_equal(itsm_record_audience(r2), ITSM_AUDIENCE_BROADCAST);
    itsm_engine_free(e2);
    sla_tick(&f, T0 + HOUR + 1);
    assert_int_equal(count_events(&f.store, "update_overdue"), 1);
    const char *ev = NULL;
    for (size_t i = 0; i < f.store.n; i++)
        if (strstr(f.store.events[i], "\"type\":\"update_overdue\""))
            ev = f.store.events[i];
    assert_non_null(strstr(ev, "\"audience\":\"broadcast\""));
    assert_int_equal(itsm_record_audience(r), ITSM_AUDIENCE_CALLERS);   /* moved at that event */
    fixture_close(&f);
    itsm_policy_free(two);
    itsm_policy_free(one);
}

/* DESIGN 6: audience by priority - P1 and P2 broadcast to the service, P3,
 * P4 and P5 reach the affected callers only; it follows a priority change. */
static void p1_p2_broadcast_and_p3_to_p5_reach_only_the_callers(void **state)
{
    (void)state;
    static const struct { int i, u, prio; itsm_audience a; } rows[] = {
        { 1, 1, 1, ITSM_AUDIENCE_BROADCAST }, { 1, 2, 2, ITSM_AUDIENCE_BROADCAST },
        { 2, 2, 3, ITSM_AUDIENCE_CALLERS },   { 2, 3, 4, ITSM_AUDIENCE_CALLERS },
        { 3, 3, 5, ITSM_AUDIENCE_CALLERS } };
    fixture f;
    fixture_open(&f);
    for (size_t k = 0; k < 5; k++) {
        itsm_record *r = open_inc(&f, rows[k].i, rows[k].u, NULL);
        assert_int_equal(itsm_record_int(r, ITSM_F_PRIORITY), rows[k].prio);
        assert_int_equal(itsm_record_audience(r), rows[k].a);
    }
    itsm_record *r = open_inc(&f, 3, 3, NULL);
    assert_ok(itsm_record_set_int(r, ITSM_F_PRIORITY, 2));
    assert_int_equal(itsm_record_audience(r), ITSM_AUDIENCE_BROADCAST);
    fixture_close(&f);
}

/* Seed 002: "The broadcast message must communicate the outage, the
 * expected time for restoration and next update." A notice without either
 * is refused naming what it lacks, as a customer update is; nothing
 * changes. */
static void an_outage_notice_needs_its_expected_restoration_and_next_update(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *o = open_inc(&f, 1, 2, "Mail");
    uint64_t rev = itsm_record_revision(o);
    size_t n = f.store.n;
    assert_fails(f.eng, itsm_outage_declare(o, ITSM_TIME_NONE, T0 + 30 * MIN), ITSM_EINVAL,
                 "a known outage's notice needs the expected restoration time");
    assert_fails(f.eng, itsm_outage_declare(o, T0 + 2 * HOUR, ITSM_TIME_NONE), ITSM_EINVAL,
                 "a known outage's notice needs the next update time");
    assert_null(itsm_engine_outage(f.eng, "Mail"));
    assert_int_equal(itsm_record_revision(o), rev);
    assert_int_equal(f.store.n, n);
    fixture_close(&f);
}

static void a_known_outage_links_new_incidents_on_its_service(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *o = open_inc(&f, 1, 2, "Mail");
    assert_fails(f.eng, itsm_outage_declare(o, T0 + 2 * HOUR, T0), ITSM_EINVAL, "next update");
    assert_ok(itsm_outage_declare(o, T0 + 2 * HOUR, T0 + 30 * MIN));
    assert_ptr_equal(itsm_engine_outage(f.eng, "Mail"), o);
    assert_fails(f.eng, itsm_outage_declare(o, T0 + 2 * HOUR, T0 + 30 * MIN), ITSM_EEXISTS, "Mail");
    itsm_record *a = open_inc(&f, 2, 2, "Mail"), *b = open_inc(&f, 2, 2, "Web");
    assert_int_equal(itsm_record_link_count(a), 1);
    itsm_link l = { .size = sizeof l };
    assert_ok(itsm_record_link_at(a, 0, &l));
    assert_string_equal(l.target_id, itsm_record_id(o));
    assert_int_equal(itsm_record_link_count(b), 0);
    assert_int_equal(itsm_record_link_count(o), 1);
    /* A P1 opened on the service: its open, the outage link and the
     * extension event after it are one step, planned once at its end
     * (the re-plan check of the debug build watches the events between). */
    itsm_record *p1 = open_inc(&f, 1, 1, "Mail");
    assert_int_equal(itsm_record_link_count(p1), 1);
    assert_int_equal(itsm_record_link_count(o), 2);
    assert_ok(itsm_outage_end(o));
    assert_null(itsm_engine_outage(f.eng, "Mail"));
    itsm_record *c = open_inc(&f, 2, 2, "Mail");
    assert_int_equal(itsm_record_link_count(c), 0);
    assert_fails(f.eng, itsm_outage_end(o), ITSM_ESTATE, "not a declared outage");
    itsm_record *nosvc = open_inc(&f, 2, 2, NULL);
    assert_fails(f.eng, itsm_outage_declare(nosvc, T0 + HOUR, T0 + HOUR), ITSM_EINVAL, "no service");
    /* replay rebuilds the outage table and the links */
    assert_ok(itsm_outage_declare(o, T0 + 2 * HOUR, T0 + 30 * MIN));
    itsm_engine *e2 = replay_into(&f.store, NULL);
    itsm_record *o2;
    assert_ok(itsm_record_find(&o2, e2, itsm_record_id(o)));
    assert_ptr_equal(itsm_engine_outage(e2, "Mail"), o2);
    itsm_engine_free(e2);
    assert_replay_same(&f, NULL, T0);
    fixture_close(&f);
}

/* A known outage holds while its record's clocks run: resolving ends it
 * (communication.h). So a resolved record cannot take an outage notice:
 * ITSM_ESTATE and nothing changes (it was accepted, stored an
 * outage_declared event, and held no outage). Reopened, it can. */
static void a_resolved_record_cannot_declare_an_outage(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *o = open_inc(&f, 1, 2, "Mail");
    start_work(o);
    resolve(o);
    uint64_t rev = itsm_record_revision(o);
    size_t stored = f.store.n;
    assert_fails(f.eng, itsm_outage_declare(o, T0 + 2 * HOUR, T0 + 30 * MIN), ITSM_ESTATE, "unresolved");
    assert_int_equal(itsm_record_revision(o), rev);
    assert_int_equal(f.store.n, stored);
    assert_null(itsm_engine_outage(f.eng, "Mail"));
    assert_int_equal(itsm_record_link_count(open_inc(&f, 2, 2, "Mail")), 0);
    assert_ok(itsm_record_fire(o, "reopen", NULL, 0));
    assert_ok(itsm_outage_declare(o, T0 + 2 * HOUR, T0 + 30 * MIN));
    assert_ptr_equal(itsm_engine_outage(f.eng, "Mail"), o);
    assert_replay_same(&f, NULL, T0);
    fixture_close(&f);
}

/* The outage notice is a customer communication (seed 002: "the broadcast
 * message must communicate the outage, the expected time for restoration
 * and next update"): the engine tracks the next update it promised, as it
 * does a customer update's, and fires update_overdue when it passes. */
static void an_outage_notice_promises_the_next_update(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *o = open_inc(&f, 1, 2, "Mail");   /* P2, nobody responded yet */
    assert_ok(itsm_outage_declare(o, T0 + 2 * HOUR, T0 + 20 * MIN));
    itsm_timer_info t = timer(o, ITSM_TIMER_NEXT_UPDATE, T0);
    assert_int_equal(t.status, ITSM_TIMER_RUNNING);
    assert_int_equal(t.due, T0 + 20 * MIN);
    /* the first response does not move the promise back to the cadence */
    f.clock.now = T0 + 5 * MIN;
    start_work(o);
    assert_int_equal(timer(o, ITSM_TIMER_NEXT_UPDATE, T0 + 5 * MIN).due, T0 + 20 * MIN);
    assert_int_equal(sla_tick(&f, T0 + 20 * MIN), 0);
    assert_int_equal(sla_tick(&f, T0 + 20 * MIN + 1), 1);
    assert_int_equal(count_events(&f.store, "update_overdue"), 1);
    assert_non_null(strstr(f.store.events[f.store.n - 1], "\"audience\":\"broadcast\""));
    /* a customer update re-arms it, as always */
    f.clock.now = T0 + 30 * MIN;
    assert_ok(customer_update(o, T0 + HOUR));
    assert_int_equal(timer(o, ITSM_TIMER_NEXT_UPDATE, T0 + 30 * MIN).due, T0 + HOUR);
    assert_replay_same(&f, NULL, T0 + 40 * MIN);
    fixture_close(&f);
}

/* Seed 002: "if the IT organization is unable to meet the expected time
 * frame for restoration of service, proactive status updates ... should
 * communicate the necessary information". An expected restoration that
 * comes before the promised next update makes the update due at it: missed,
 * the tick reports the update overdue; restored in time, nothing is owed.
 * An expected restoration after the promise (or already past when said)
 * leaves the promise as it is. */
static void a_missed_expected_restoration_owes_the_customer_an_update(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *late = open_inc(&f, 1, 2, NULL);
    itsm_record *kept = open_inc(&f, 1, 2, NULL);
    itsm_record *later = open_inc(&f, 1, 2, NULL);
    start_work(late);
    start_work(kept);
    start_work(later);
    itsm_note_opts n = ITSM_NOTE_OPTS_INIT;
    n.kind = ITSM_NOTE_CUSTOMER;
    n.text = "replacing the switch";
    n.expected_restoration = T0 + 40 * MIN;
    n.next_update = T0 + 2 * HOUR;
    f.clock.now = T0 + 10 * MIN;
    assert_ok(itsm_record_add_note(late, &n));
    assert_ok(itsm_record_add_note(kept, &n));
    n.expected_restoration = T0 + 3 * HOUR;
    assert_ok(itsm_record_add_note(later, &n));
    assert_int_equal(timer(late, ITSM_TIMER_NEXT_UPDATE, T0 + 10 * MIN).due, T0 + 40 * MIN);
    assert_int_equal(timer(later, ITSM_TIMER_NEXT_UPDATE, T0 + 10 * MIN).due, T0 + 2 * HOUR);
    f.clock.now = T0 + 30 * MIN;
    resolve(kept);
    assert_int_equal(sla_tick(&f, T0 + 40 * MIN), 0);
    assert_int_equal(sla_tick(&f, T0 + 40 * MIN + 1), 1);
    assert_int_equal(count_events(&f.store, "update_overdue"), 1);
    assert_non_null(strstr(f.store.events[f.store.n - 1], itsm_record_id(late)));
    assert_true(timer(late, ITSM_TIMER_NEXT_UPDATE, T0 + HOUR).breached);
    assert_false(timer(later, ITSM_TIMER_NEXT_UPDATE, T0 + HOUR).breached);
    /* an update that says restoration has already passed promises only
     * its next update */
    f.clock.now = T0 + HOUR;
    n.expected_restoration = T0 + 50 * MIN;
    n.next_update = T0 + 90 * MIN;
    assert_ok(itsm_record_add_note(late, &n));
    assert_int_equal(timer(late, ITSM_TIMER_NEXT_UPDATE, T0 + HOUR).due, T0 + 90 * MIN);
    assert_replay_same(&f, NULL, T0 + 2 * HOUR);
    fixture_close(&f);
}

/* The same for an outage notice: the broadcast's expected restoration,
 * missed, owes the service's customers an update. */
static void a_missed_outage_restoration_owes_a_broadcast_update(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *o = open_inc(&f, 1, 2, "Mail");
    assert_ok(itsm_outage_declare(o, T0 + 45 * MIN, T0 + 2 * HOUR));
    assert_int_equal(timer(o, ITSM_TIMER_NEXT_UPDATE, T0).due, T0 + 45 * MIN);
    sla_tick(&f, T0 + 45 * MIN);
    assert_int_equal(count_events(&f.store, "update_overdue"), 0);
    sla_tick(&f, T0 + 45 * MIN + 1);
    assert_int_equal(count_events(&f.store, "update_overdue"), 1);
    assert_non_null(strstr(last_of(&f.store, "update_overdue"), "\"audience\":\"broadcast\""));
    assert_replay_same(&f, NULL, T0 + HOUR);
    fixture_close(&f);
}

/* Seed 002: service availability shown to customers "must be dynamic and
 * reliable". Restoring the service (resolving the outage record) ends the
 * known outage in the same step, as closing (canceling) it does: the
 * service no longer reports one and a new incident on it is not linked.
 * Reopening does not bring the old notice back - its expected restoration
 * has passed; a fresh notice carries new times. A replay agrees. */
static void resolving_or_closing_the_outage_record_ends_the_known_outage(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *o = open_inc(&f, 1, 2, "Mail");
    assert_ok(itsm_outage_declare(o, T0 + 2 * HOUR, T0 + 30 * MIN));
    itsm_record *a = open_inc(&f, 2, 2, "Mail");
    assert_int_equal(itsm_record_link_count(a), 1);
    start_work(o);
    f.clock.now = T0 + HOUR;
    resolve(o);
    assert_null(itsm_engine_outage(f.eng, "Mail"));
    itsm_record *b = open_inc(&f, 2, 2, "Mail");
    assert_int_equal(itsm_record_link_count(b), 0);
    assert_int_equal(itsm_record_link_count(o), 1);   /* a only */
    assert_fails(f.eng, itsm_outage_end(o), ITSM_ESTATE, "not a declared outage");
    f.clock.now = T0 + 2 * HOUR;
    assert_ok(itsm_record_fire(o, "reopen", NULL, 0));
    assert_null(itsm_engine_outage(f.eng, "Mail"));
    assert_int_equal(itsm_record_link_count(open_inc(&f, 2, 2, "Mail")), 0);
    /* canceled: a closed record holds no outage either */
    itsm_record *w = open_inc(&f, 1, 2, "Web");
    assert_ok(itsm_outage_declare(w, T0 + 4 * HOUR, T0 + 3 * HOUR));
    assert_ptr_equal(itsm_engine_outage(f.eng, "Web"), w);
    assert_ok(itsm_record_fire(w, "cancel", NULL, 0));
    assert_null(itsm_engine_outage(f.eng, "Web"));
    assert_int_equal(itsm_record_link_count(open_inc(&f, 2, 2, "Web")), 0);
    itsm_engine *e2 = replay_into(&f.store, NULL);
    assert_null(itsm_engine_outage(e2, "Mail"));
    assert_null(itsm_engine_outage(e2, "Web"));
    itsm_engine_free(e2);
    assert_replay_same(&f, NULL, T0 + 3 * HOUR);
    fixture_close(&f);
}

/* An opening dated before the outage record's last event (a host replaying
 * a log case by case, its clock going back between cases) is not refused
 * and does not link: the link would put an event on the outage record
 * before its time. A later opening on the service links. */
static void an_opening_dated_before_the_outage_record_opens_unlinked(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *o = open_inc(&f, 1, 2, "Mail");
    assert_ok(itsm_outage_declare(o, T0 + 2 * HOUR, T0 + 30 * MIN));
    f.clock.now = T0 + DAY;
    assert_ok(itsm_record_set_str(o, ITSM_F_DESCRIPTION, "relay down"));
    f.clock.now = T0 + HOUR;   /* the next case of the log starts earlier */
    itsm_record *a = open_inc(&f, 2, 2, "Mail");
    assert_non_null(a);
    assert_int_equal(itsm_record_link_count(a), 0);
    assert_int_equal(itsm_record_link_count(o), 0);
    assert_int_equal(itsm_record_int(o, ITSM_F_UPDATED_AT), T0 + DAY);
    f.clock.now = T0 + 2 * DAY;
    itsm_record *b = open_inc(&f, 2, 2, "Mail");
    assert_int_equal(itsm_record_link_count(b), 1);
    assert_int_equal(itsm_record_link_count(o), 1);
    assert_replay_same(&f, NULL, T0 + 2 * DAY);
    fixture_close(&f);
}

/* "Links new incidents on that service": also one logged first and given
 * the service later, or moved onto it from another service - once, and
 * not one already resolved. */
static void an_incident_given_the_outage_service_later_is_linked_too(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *o = open_inc(&f, 1, 2, "VPN");
    assert_ok(itsm_outage_declare(o, T0 + 2 * HOUR, T0 + 30 * MIN));
    itsm_record *later = open_inc(&f, 2, 2, NULL);
    itsm_record *moved = open_inc(&f, 2, 2, "Mail");
    itsm_record *done = open_inc(&f, 2, 2, "Mail");
    start_work(done);
    resolve(done);
    assert_int_equal(itsm_record_link_count(later), 0);
    f.clock.now = T0 + MIN;
    assert_ok(itsm_record_set_str(later, ITSM_F_SERVICE, "VPN"));
    assert_ok(itsm_record_set_str(moved, ITSM_F_SERVICE, "VPN"));
    assert_ok(itsm_record_set_str(done, ITSM_F_SERVICE, "VPN"));
    assert_int_equal(itsm_record_link_count(later), 1);
    assert_int_equal(itsm_record_link_count(moved), 1);
    assert_int_equal(itsm_record_link_count(done), 0);   /* resolved: no longer affected */
    assert_int_equal(itsm_record_link_count(o), 2);
    /* away and back again: still the one link */
    assert_ok(itsm_record_set_str(moved, ITSM_F_SERVICE, "Mail"));
    assert_ok(itsm_record_set_str(moved, ITSM_F_SERVICE, "VPN"));
    assert_int_equal(itsm_record_link_count(moved), 1);
    assert_replay_same(&f, NULL, T0 + HOUR);
    fixture_close(&f);
}

/* DESIGN 6: the cadence is working time on the record's calendar (a
 * "1 working day" P4/P5, business hours for P3), so a first response late
 * on a Friday owes its next update on Monday, not over the weekend; P1
 * runs on 24x7 and owes it the same evening. */
static void cadence_counts_working_time_on_the_records_calendar(void **state)
{
    (void)state;
    static const struct { int i, u; int64_t respond, due; } rows[] = {
        { 1, 1, 4 * DAY + 7 * HOUR + 50 * MIN, 4 * DAY + 8 * HOUR + 20 * MIN },   /* P1: Fri 16:50 -> 17:20 */
        { 2, 2, 4 * DAY + 6 * HOUR, 7 * DAY + 2 * HOUR },                         /* P3 4 h: Fri 15:00 -> Mon 11:00 */
        { 2, 3, 4 * DAY + 6 * HOUR, 7 * DAY + 6 * HOUR },                         /* P4 8 h: Fri 15:00 -> Mon 15:00 */
    };
    fixture f;
    fixture_open(&f);
    itsm_record *r[3];
    for (size_t k = 0; k < 3; k++) {
        f.clock.now = T0 + rows[k].respond;
        r[k] = open_inc(&f, rows[k].i, rows[k].u, NULL);
        start_work(r[k]);
        assert_int_equal(timer(r[k], ITSM_TIMER_NEXT_UPDATE, f.clock.now).due, T0 + rows[k].due);
    }
    /* nothing is overdue over the weekend for the business-hours records */
    sla_tick(&f, T0 + 7 * DAY + 2 * HOUR);
    assert_int_equal(count_events(&f.store, "update_overdue"), 1);
    assert_non_null(strstr(f.store.events[f.store.n - 1], itsm_record_id(r[0])));
    sla_tick(&f, T0 + 7 * DAY + 2 * HOUR + 1);
    assert_int_equal(count_events(&f.store, "update_overdue"), 2);
    assert_non_null(strstr(f.store.events[f.store.n - 1], itsm_record_id(r[1])));
    assert_non_null(strstr(f.store.events[f.store.n - 1], "\"audience\":\"callers\""));
    assert_replay_same(&f, NULL, T0 + 7 * DAY + 3 * HOUR);
    fixture_close(&f);
}

/* DESIGN 6: a known outage "links new incidents on that service to it".
 * Only incidents: a service request for a new mailbox, or the change
 * raised to fix the outage, is no report of it and stays unlinked. */
static void a_known_outage_links_incidents_only(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *o = open_inc(&f, 1, 2, "Mail");
    assert_ok(itsm_outage_declare(o, T0 + 2 * HOUR, T0 + 30 * MIN));
    static const itsm_kind kinds[] = { ITSM_KIND_SERVICE_REQUEST, ITSM_KIND_CHANGE, ITSM_KIND_PROBLEM };
    for (size_t k = 0; k < 3; k++) {
        itsm_record *r = NULL;
        itsm_change init[2] = { { ITSM_F_SUMMARY, "on Mail", 0 }, { ITSM_F_SERVICE, "Mail", 0 } };
        itsm_record_opts op = ITSM_RECORD_OPTS_INIT;
        op.kind = kinds[k];
        op.fields = init;
        op.nfields = 2;
        assert_ok(itsm_record_open(&r, f.eng, &op));
        if (itsm_record_link_count(r) != 0)
            fail_msg("a %s opened on the outage service was linked to it", itsm_kind_name(kinds[k]));
    }
    assert_int_equal(itsm_record_link_count(o), 0);
    assert_int_equal(itsm_record_link_count(open_inc(&f, 2, 2, "Mail")), 1);
    fixture_close(&f);
}

/* DESIGN 4: a record worked before it had a priority has no clocks until
 * it gets one, and "the time before it is not counted" - the update
 * cadence included. Answered at 09:00 without a priority and given P2 (an
 * update every hour) at 11:00, it owes its customers an update at 12:00,
 * not one already overdue since 10:00. */
static void the_cadence_of_a_record_answered_before_its_priority_starts_at_the_priority(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *r = NULL;
    itsm_change init = { ITSM_F_SUMMARY, "Mail down", 0 };
    itsm_record_opts o = ITSM_RECORD_OPTS_INIT;
    o.fields = &init;
    o.nfields = 1;
    assert_ok(itsm_record_open(&r, f.eng, &o));
    start_work(r);                               /* the first response, no priority */
    assert_int_equal(timer(r, ITSM_TIMER_NEXT_UPDATE, T0 + HOUR).status, ITSM_TIMER_NONE);
    f.clock.now = T0 + 2 * HOUR;
    itsm_change c[2] = { { ITSM_F_IMPACT, NULL, 1 }, { ITSM_F_URGENCY, NULL, 2 } };
    assert_ok(itsm_record_update(r, c, 2));      /* P2: every hour */
    itsm_timer_info t = timer(r, ITSM_TIMER_NEXT_UPDATE, T0 + 2 * HOUR);
    assert_int_equal(t.status, ITSM_TIMER_RUNNING);
    assert_int_equal(t.due, T0 + 3 * HOUR);
    assert_false(t.breached);
    assert_int_equal(sla_tick(&f, T0 + 3 * HOUR), 0);
    assert_int_equal(sla_tick(&f, T0 + 3 * HOUR + 1), 1);
    assert_int_equal(count_events(&f.store, "update_overdue"), 1);
    assert_non_null(strstr(f.store.events[f.store.n - 1], "\"due\":\"2026-03-02T12:00:00Z\""));
    assert_replay_same(&f, NULL, T0 + 4 * HOUR);
    fixture_close(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(customer_update_must_carry_actions_eta_and_next_update),
        cmocka_unit_test(cadence_per_priority_starts_at_first_response),
        cmocka_unit_test(cadence_and_audience_follow_the_policy),
        cmocka_unit_test(overdue_fires_after_the_promised_time_and_an_update_rearms_it),
        cmocka_unit_test(reopening_rearms_the_next_update_from_the_reopening),
        cmocka_unit_test(without_a_priority_there_is_no_next_update_timer),
        cmocka_unit_test(a_promised_update_is_tracked_without_a_priority),
        cmocka_unit_test(audience_depends_on_priority),
        cmocka_unit_test(the_audience_is_the_one_of_the_records_policy_version),
        cmocka_unit_test(an_outage_notice_needs_its_expected_restoration_and_next_update),
        cmocka_unit_test(a_known_outage_links_new_incidents_on_its_service),
        cmocka_unit_test(a_resolved_record_cannot_declare_an_outage),
        cmocka_unit_test(an_outage_notice_promises_the_next_update),
        cmocka_unit_test(a_missed_expected_restoration_owes_the_customer_an_update),
        cmocka_unit_test(a_missed_outage_restoration_owes_a_broadcast_update),
        cmocka_unit_test(resolving_or_closing_the_outage_record_ends_the_known_outage),
        cmocka_unit_test(an_opening_dated_before_the_outage_record_opens_unlinked),
        cmocka_unit_test(an_incident_given_the_outage_service_later_is_linked_too),
        cmocka_unit_test(p1_p2_broadcast_and_p3_to_p5_reach_only_the_callers),
        cmocka_unit_test(cadence_counts_working_time_on_the_records_calendar),
        cmocka_unit_test(a_known_outage_links_incidents_only),
        cmocka_unit_test(the_cadence_of_a_record_answered_before_its_priority_starts_at_the_priority),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
