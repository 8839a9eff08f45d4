/* SPDX-License-Identifier: Apache-2.0 */
/* Running a major incident once it is proposed (DESIGN sections 5 and 9,
 * seed 001): what each step tells the log (proposal, decision, groups,
 * missed deadlines, with their exact times), what a proposal not yet
 * accepted - or rejected - owes, deadlines met late, a shift handover
 * between incident managers, what a child takes from its parent,
 * reopening, the desk's packet as the log holds it, and these rules set
 * from the policy document. */
#include "sla/sla_support.h"
#include "pm_helpers.h"

#define DUE_COMM 0
#define DUE_GROUPS 1

/* The last stored event of `type` on record `id`; fails if none. */
static const char *last_event(const memstore *s, const char *type, const char *id)
{
    char t[80], r[80];
    snprintf(t, sizeof t, "\"type\":\"%s\"", type);
    snprintf(r, sizeof r, "\"record\":\"%s\"", id);
    for (size_t i = s->n; i-- > 0;)
        if (strstr(s->events[i], t) && strstr(s->events[i], r))
            return s->events[i];
    fail_msg("no %s event on %s", type, id);
    return NULL;
}

static void has(const char *ev, const char *member)
{
    if (!strstr(ev, member))
        fail_msg("%s not in %s", member, ev);
}

static void deadline(const itsm_record *r, int which, itsm_time want_due, int want_done, int want_missed)
{
    itsm_time due;
    int done, missed;
    assert_ok(itsm_record_major_deadline(&due, &done, &missed, r, which));
    assert_int_equal(due, want_due);
    assert_int_equal(done, want_done);
    assert_int_equal(missed, want_missed);
}

static void engage(itsm_record *r)
{
    const char *g[] = { "network", "database" };
    assert_ok(itsm_major_engage_groups(r, g, 2));
}

/* A P1 on Payments accepted as a major incident by its manager and taken
 * into work: where most stories of the first phase begin. */
static itsm_record *major_in_work(fixture *f)
{
    itsm_record *r = open_inc(f, 1, 1, "Payments");
    assert_ok(itsm_major_decide(r, 1, "maria"));
    start_work(r);
    return r;
}

/* Restored with the closure checklist complete: only the confirmation is
 * left. */
static void resolve_with_checklist(itsm_record *r)
{
    itsm_change res[4] = { { ITSM_F_RESOLUTION_CODE, "config_fix", 0 },
                           { ITSM_F_RESOLUTION_NOTES, "gateway certificate renewed", 0 },
                           { ITSM_F_CATEGORY, "application", 0 },
                           { ITSM_F_KNOWLEDGE_DECISION, "not_needed", 0 } };
    assert_ok(itsm_record_fire(r, "resolve", res, 4));
}

/* ---- what the log says ---------------------------------------------------- */

/* DESIGN 5: proposed by rule or by hand. The event says which - "priority",
 * "breadth" or "manual" - and carries the why: the proposer's words, or the
 * breadth rule's count of open incidents on the service. */
static void a_proposal_event_says_by_what_and_why(void **state)
{
    (void)state;
    itsm_policy *pol;
    assert_ok(itsm_policy_new_default(&pol, NULL));
    itsm_major_policy m = ITSM_MAJOR_POLICY_INIT;
    m.breadth_threshold = 3;
    assert_ok(itsm_policy_set_major(pol, &m));
    fixture f;
    fixture_open_policy(&f, pol);
    itsm_record *hand = open_inc(&f, 2, 2, "Payments");
    assert_ok(itsm_major_propose(hand, "payments failing for all stores"));
    const char *ev = last_event(&f.store, "major_proposed", itsm_record_id(hand));
    has(ev, "\"reason\":\"manual\"");
    has(ev, "\"note\":\"payments failing for all stores\"");

    itsm_record *rule = open_inc(&f, 1, 1, "Web");
    has(last_event(&f.store, "major_proposed", itsm_record_id(rule)), "\"reason\":\"priority\"");

    itsm_record *first = open_inc(&f, 3, 3, "Mail");
    open_inc(&f, 3, 3, "Mail");
    open_inc(&f, 3, 3, "Mail");
    ev = last_event(&f.store, "major_proposed", itsm_record_id(first));
    has(ev, "\"reason\":\"breadth\"");
    has(ev, "\"note\":\"3 open incidents on Mail\"");
    assert_int_equal(count_events(&f.store, "major_proposed"), 3);
    assert_replay_same(&f, pol, T0);
    fixture_close(&f);
    itsm_policy_free(pol);
}

/* DESIGN 5: accepted or rejected by the major incident manager. The
 * decision names the manager and the verdict; only an acceptance sets the
 * record's major field. */
static void the_decision_event_names_the_manager_and_only_acceptance_sets_major(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *yes = open_inc(&f, 1, 1, "Payments");
    itsm_record *no = open_inc(&f, 1, 1, "Print");
    assert_ok(itsm_major_decide(yes, 1, "mim_on_duty"));
    assert_ok(itsm_major_decide(no, 0, "mim_on_duty"));
    const char *ev = last_event(&f.store, "major_decided", itsm_record_id(yes));
    has(ev, "\"accepted\":true");
    has(ev, "\"manager\":\"mim_on_duty\"");
    has(ev, "\"major\":true");
    ev = last_event(&f.store, "major_decided", itsm_record_id(no));
    has(ev, "\"accepted\":false");
    has(ev, "\"manager\":\"mim_on_duty\"");
    assert_null(strstr(ev, "\"major\":true"));
    assert_int_equal(itsm_record_int(yes, ITSM_F_MAJOR), 1);
    assert_int_equal(itsm_record_int(no, ITSM_F_MAJOR), 0);
    assert_replay_same(&f, NULL, T0);
    fixture_close(&f);
}

/* Seed 001: the initial phase engages the technical resolving groups; the
 * event names each group, in the order given, so the log shows who was
 * brought in and when. */
static void the_engagement_event_names_every_group_in_order(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *r = open_inc(&f, 1, 1, "Payments");
    assert_ok(itsm_major_decide(r, 1, "mim"));
    f.clock.now = T0 + 4 * MIN;
    const char *g[] = { "payments-l2", "network", "database", "vendor-acme" };
    assert_ok(itsm_major_engage_groups(r, g, 4));
    const char *ev = last_event(&f.store, "major_groups_engaged", itsm_record_id(r));
    has(ev, "\"groups\":[\"payments-l2\",\"network\",\"database\",\"vendor-acme\"]");
    has(ev, "\"at\":\"2026-03-02T09:04:00Z\"");
    deadline(r, DUE_GROUPS, T0 + 15 * MIN, 1, 0);
    assert_replay_same(&f, NULL, T0 + 4 * MIN);
    fixture_close(&f);
}

/* A host that ticks late still gets each missed deadline dated when it was
 * missed - one second after its own due time, not at the tick - with the
 * due time and which deadline it was, in deadline order. */
static void a_late_tick_dates_each_missed_deadline_one_second_after_its_due(void **state)
{
    (void)state;
    itsm_policy *pol;
    assert_ok(itsm_policy_new_default(&pol, NULL));
    itsm_major_policy m = ITSM_MAJOR_POLICY_INIT;
    m.communication_due = 10 * MIN;
    m.groups_due = 20 * MIN;
    assert_ok(itsm_policy_set_major(pol, &m));
    fixture f;
    fixture_open_policy(&f, pol);
    itsm_record *r = open_inc(&f, 1, 1, "Payments");
    assert_ok(itsm_major_decide(r, 1, "mim"));
    size_t before = f.store.n;
    sla_tick(&f, T0 + 2 * HOUR);
    assert_int_equal(count_events(&f.store, "major_deadline_missed"), 2);
    const char *comm = NULL, *groups = NULL;
    for (size_t i = before; i < f.store.n; i++) {
        if (!strstr(f.store.events[i], "\"type\":\"major_deadline_missed\""))
            continue;
        if (strstr(f.store.events[i], "\"deadline\":\"communication\""))
            comm = f.store.events[i];
        else if (strstr(f.store.events[i], "\"deadline\":\"groups\""))
            groups = f.store.events[i];
    }
    assert_non_null(comm);
    assert_non_null(groups);
    has(comm, "\"at\":\"2026-03-02T09:10:01Z\"");
    has(comm, "\"due\":\"2026-03-02T09:10:00Z\"");
    has(groups, "\"at\":\"2026-03-02T09:20:01Z\"");
    has(groups, "\"due\":\"2026-03-02T09:20:00Z\"");
    /* the communication's deadline came first, and so does its event */
    const char *first = NULL;
    for (size_t i = before; i < f.store.n && !first; i++)
        if (strstr(f.store.events[i], "\"type\":\"major_deadline_missed\""))
            first = f.store.events[i];
    assert_ptr_equal(first, comm);
    deadline(r, DUE_COMM, T0 + 10 * MIN, 0, 1);
    deadline(r, DUE_GROUPS, T0 + 20 * MIN, 0, 1);
    assert_replay_same(&f, pol, T0 + 2 * HOUR);
    fixture_close(&f);
    itsm_policy_free(pol);
}

/* Seed 001: the first phase is 15 minutes of the crisis, not of office
 * hours. A priority 3 incident on a business-hours calendar, accepted as a
 * major incident on a Saturday night, owes its communication and groups
 * 15 wall-clock minutes later, not on Monday morning. */
static void the_fifteen_minutes_are_wall_clock_minutes_on_any_calendar(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_time sat = T0 + 5 * DAY + 14 * HOUR;   /* Saturday 2026-03-07 23:00 */
    f.clock.now = sat;
    itsm_record *r = open_inc(&f, 2, 2, "Payments");
    assert_int_equal(itsm_record_int(r, ITSM_F_PRIORITY), 3);
    /* its service levels wait for Monday's business hours */
    assert_true(timer(r, ITSM_TIMER_RESPONSE, sat).due > T0 + 7 * DAY);
    assert_ok(itsm_major_propose(r, "card payments failing in every store"));
    f.clock.now = sat + 2 * MIN;
    assert_ok(itsm_major_decide(r, 1, "night_mim"));
    deadline(r, DUE_COMM, sat + 17 * MIN, 0, 0);
    deadline(r, DUE_GROUPS, sat + 17 * MIN, 0, 0);
    sla_tick(&f, sat + 17 * MIN + 1);
    assert_int_equal(count_events(&f.store, "major_deadline_missed"), 2);
    has(last_event(&f.store, "major_deadline_missed", itsm_record_id(r)), "\"at\":\"2026-03-07T23:17:01Z\"");
    assert_replay_same(&f, NULL, sat + HOUR);
    fixture_close(&f);
}

/* ---- proposed, rejected --------------------------------------------------- */

/* DESIGN 5: the initial 15 minutes start when the manager accepts. A
 * proposal waiting for its decision - even a priority 1 proposed by rule -
 * owes no deadlines, has no phase, takes no children and engages no
 * groups; a rejected one neither. Accepted hours later, the 15 minutes run
 * from then. */
static void only_an_accepted_major_incident_runs_the_initial_phase(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *r = open_inc(&f, 1, 1, "Payments");
    itsm_record *child = open_inc(&f, 3, 3, "Payments");
    itsm_record *no = open_inc(&f, 2, 2, "Print");
    assert_ok(itsm_major_propose(no, "all printers"));
    assert_ok(itsm_major_decide(no, 0, "mim"));
    assert_int_equal(itsm_record_major_state(r), ITSM_MAJOR_PROPOSED);
    itsm_record *waiting[] = { r, no };
    for (size_t i = 0; i < 2; i++) {
        itsm_record *w = waiting[i];
        assert_int_equal(itsm_record_major_phase(w), ITSM_PHASE_NONE);
        assert_int_equal(itsm_record_int(w, ITSM_F_MAJOR), 0);
        itsm_time due;
        int done, missed;
        assert_fails(f.eng, itsm_record_major_deadline(&due, &done, &missed, w, DUE_COMM), ITSM_ESTATE, "");
        const char *g[] = { "network" };
        assert_fails(f.eng, itsm_major_engage_groups(w, g, 1), ITSM_ESTATE, "");
        assert_fails(f.eng, itsm_major_communication_issued(w), ITSM_ESTATE, "");
        assert_fails(f.eng, itsm_major_attach(w, child), ITSM_ESTATE, "not an accepted major incident");
    }
    /* the decision is taken once */
    assert_fails(f.eng, itsm_major_decide(no, 1, "mim"), ITSM_ESTATE, "not proposed");
    sla_tick(&f, T0 + 3 * HOUR);
    assert_int_equal(count_events(&f.store, "major_deadline_missed"), 0);
    f.clock.now = T0 + 3 * HOUR;
    assert_ok(itsm_major_decide(r, 1, "mim"));
    assert_fails(f.eng, itsm_major_decide(r, 0, "mim"), ITSM_ESTATE, "not proposed");
    assert_fails(f.eng, itsm_major_propose(r, "again"), ITSM_EEXISTS, "");
    assert_int_equal(itsm_record_major_phase(r), ITSM_PHASE_INITIAL);
    deadline(r, DUE_COMM, T0 + 3 * HOUR + 15 * MIN, 0, 0);
    deadline(r, DUE_GROUPS, T0 + 3 * HOUR + 15 * MIN, 0, 0);
    assert_ok(itsm_major_attach(r, child));
    sla_tick(&f, T0 + 3 * HOUR + 15 * MIN);
    assert_int_equal(count_events(&f.store, "major_deadline_missed"), 0);
    sla_tick(&f, T0 + 3 * HOUR + 15 * MIN + 1);
    assert_int_equal(count_events(&f.store, "major_deadline_missed"), 2);
    assert_replay_same(&f, NULL, T0 + 4 * HOUR);
    fixture_close(&f);
}

/* ---- deadlines met late --------------------------------------------------- */

/* Seed 001: the 15 minutes can turn into 30. What was done late is done -
 * the phase moves on to updates at the cadence once both are - and stays
 * missed: the report of the miss is not taken back, nor made again. */
static void a_deadline_met_late_is_done_and_stays_missed(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *r = open_inc(&f, 1, 1, "Payments");
    assert_ok(itsm_major_decide(r, 1, "mim"));
    sla_tick(&f, T0 + 15 * MIN + 1);
    assert_int_equal(count_events(&f.store, "major_deadline_missed"), 2);
    f.clock.now = T0 + 22 * MIN;
    engage(r);
    deadline(r, DUE_GROUPS, T0 + 15 * MIN, 1, 1);
    assert_int_equal(itsm_record_major_phase(r), ITSM_PHASE_INITIAL);
    f.clock.now = T0 + 31 * MIN;
    assert_ok(itsm_major_communication_issued(r));
    deadline(r, DUE_COMM, T0 + 15 * MIN, 1, 1);
    assert_int_equal(itsm_record_major_phase(r), ITSM_PHASE_POST);
    sla_tick(&f, T0 + 2 * HOUR);
    assert_int_equal(count_events(&f.store, "major_deadline_missed"), 2);
    assert_replay_same(&f, NULL, T0 + 2 * HOUR);
    fixture_close(&f);
}

/* The same when the host did not tick between the deadline and the late
 * step: engaging the groups 20 minutes in missed their deadline all the
 * same (the seed's ">30 minute phase" is what the exception reporting is
 * for), and reading it says so - as a clock stopped late reads breached.
 * The event is the tick's: a host that wants it ticks before the step
 * (docs/service-levels.md), and a tick after finds nothing more due. An
 * outage notice after the communication deadline is a late communication
 * alike; a second engagement does not make an on-time one late. */
static void a_deadline_met_late_without_a_tick_between_is_missed(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *r = open_inc(&f, 1, 1, "Payments");
    assert_ok(itsm_major_decide(r, 1, "mim"));
    f.clock.now = T0 + 5 * MIN;
    assert_ok(itsm_major_communication_issued(r));
    f.clock.now = T0 + 20 * MIN;
    engage(r);
    deadline(r, DUE_COMM, T0 + 15 * MIN, 1, 0);
    deadline(r, DUE_GROUPS, T0 + 15 * MIN, 1, 1);
    assert_int_equal(itsm_record_major_phase(r), ITSM_PHASE_POST);
    sla_tick(&f, T0 + HOUR);
    assert_int_equal(count_events(&f.store, "major_deadline_missed"), 0);
    deadline(r, DUE_GROUPS, T0 + 15 * MIN, 1, 1);
    assert_replay_same(&f, NULL, T0 + HOUR);

    itsm_record *q = open_inc(&f, 1, 1, "Mail");
    assert_ok(itsm_major_decide(q, 1, "mim"));
    f.clock.now = T0 + HOUR + 10 * MIN;
    engage(q);
    f.clock.now = T0 + HOUR + 20 * MIN;
    assert_ok(itsm_outage_declare(q, T0 + 3 * HOUR, T0 + HOUR + 50 * MIN));
    engage(q);
    deadline(q, DUE_COMM, T0 + HOUR + 15 * MIN, 1, 1);
    deadline(q, DUE_GROUPS, T0 + HOUR + 15 * MIN, 1, 0);
    assert_replay_same(&f, NULL, T0 + 2 * HOUR);
    fixture_close(&f);
}

/* Seed 001: "we cannot simply fix the issue and not ... let them know
 * about the major incident". Restored and confirmed closed by the caller
 * inside the 15 minutes, the initial communication is still owed: left
 * out, its deadline is missed; closing does not excuse it any more than
 * restoring does. A false alarm canceled unrestored owes nothing. */
static void closing_inside_the_fifteen_minutes_still_owes_the_initial_communication(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *r = major_in_work(&f);
    f.clock.now = T0 + 3 * MIN;
    engage(r);
    f.clock.now = T0 + 5 * MIN;
    resolve_with_checklist(r);
    f.clock.now = T0 + 8 * MIN;
    assert_ok(itsm_record_fire(r, "confirm", NULL, 0));
    assert_string_equal(itsm_record_state(r), "closed");
    itsm_record *alarm = open_inc(&f, 1, 1, "Mail");
    assert_ok(itsm_major_decide(alarm, 1, "maria"));
    assert_ok(itsm_record_fire(alarm, "cancel", NULL, 0));
    sla_tick(&f, T0 + 15 * MIN + 1);
    assert_int_equal(count_events(&f.store, "major_deadline_missed"), 1);
    has(last_event(&f.store, "major_deadline_missed", itsm_record_id(r)), "\"deadline\":\"communication\"");
    deadline(r, DUE_COMM, T0 + 15 * MIN, 0, 1);
    deadline(r, DUE_GROUPS, T0 + 15 * MIN, 1, 0);
    assert_replay_same(&f, NULL, T0 + HOUR);
    fixture_close(&f);
}

/* A closed major incident keeps the policy version it settled under: its
 * deadlines read as they were judged, not under a version adopted later
 * with longer ones (policy.md, Versions). */
static void a_settled_major_incidents_deadlines_read_under_its_own_version(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *r = major_in_work(&f);
    f.clock.now = T0 + 20 * MIN;
    engage(r);   /* 5 minutes late */
    resolve_with_checklist(r);
    assert_ok(itsm_record_fire(r, "confirm", NULL, 0));
    deadline(r, DUE_GROUPS, T0 + 15 * MIN, 1, 1);
    itsm_policy *longer;
    assert_ok(itsm_policy_new_default(&longer, NULL));
    itsm_major_policy m = ITSM_MAJOR_POLICY_INIT;
    m.communication_due = m.groups_due = 30 * 60;
    assert_ok(itsm_policy_set_major(longer, &m));
    f.clock.now = T0 + HOUR;
    assert_ok(itsm_engine_adopt_policy(f.eng, longer));
    deadline(r, DUE_GROUPS, T0 + 15 * MIN, 1, 1);
    itsm_policy_free(longer);
    fixture_close(&f);
}

/* DESIGN 9: a packet lists the engaged groups, so the next incident
 * manager never has to ask who is working on it. A major incident's
 * technical groups (engaged once each, in order) follow its own group; a
 * reload rebuilds them; an engagement the store refused lists nothing. */
static void a_shift_packet_lists_the_groups_the_major_incident_engaged(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *r = major_in_work(&f);
    f.clock.now = T0 + 5 * MIN;
    f.store.fail_at = f.store.appends + 1;
    const char *refused[] = { "storage" };
    assert_int_equal(itsm_major_engage_groups(r, refused, 1), ITSM_ESTORE);
    engage(r);   /* network, database */
    const char *more[] = { "database", "vendor_acme", "Desk" };
    assert_ok(itsm_major_engage_groups(r, more, 3));
    static const char *const want[] = { "Desk", "network", "database", "vendor_acme" };
    for (int pass = 0; pass < 2; pass++) {
        itsm_engine *eng = f.eng;
        vclock c = { T0 + HOUR };
        itsm_record *rec = r;
        if (pass) {   /* the same from a reload of the store */
            eng = engine_over(&f.store, &c, NULL);
            assert_ok(itsm_engine_load(eng));
            assert_ok(itsm_record_find(&rec, eng, itsm_record_id(r)));
        }
        itsm_packet *p;
        assert_ok(itsm_packet_new(&p, rec, ITSM_PACKET_SHIFT));
        assert_int_equal(itsm_packet_count(p, ITSM_PL_ENGAGED_GROUPS), 4);
        for (size_t i = 0; i < 4; i++) {
            itsm_packet_entry e = { .size = sizeof e };
            assert_ok(itsm_packet_at(p, ITSM_PL_ENGAGED_GROUPS, i, &e));
            assert_string_equal(e.text, want[i]);
        }
        itsm_packet_free(p);
        if (pass)
            itsm_engine_free(eng);
    }
    fixture_close(&f);
}

/* ---- shift handover between incident managers ----------------------------- */

/* DESIGN 9: a shift packet hands the incident-manager role on - at shift
 * end, or to a more experienced facilitator. Ownership moves only when the
 * next manager acknowledges. It is no desk handover: the initial 15 minutes
 * stay where the desk's handover put them, and a thin shift packet is not
 * the service desk's to answer for in the quality log. */
static void a_shift_handover_moves_the_manager_role_but_not_the_fifteen_minutes(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *r = open_inc(&f, 1, 1, "Payments");
    assert_ok(itsm_major_decide(r, 1, "maria"));
    itsm_packet *desk;
    assert_ok(itsm_packet_new(&desk, r, ITSM_PACKET_DESK_TO_MAJOR));
    assert_ok(itsm_packet_set_text(desk, ITSM_PT_SENDER, "ann"));
    assert_ok(itsm_packet_set_text(desk, ITSM_PT_SENDER_GROUP, "service_desk"));
    assert_ok(itsm_packet_set_text(desk, ITSM_PT_RECEIVER, "maria"));
    f.clock.now = T0 + MIN;
    assert_ok(itsm_packet_propose(desk, f.eng));
    f.clock.now = T0 + 2 * MIN;
    assert_ok(itsm_packet_acknowledge(desk, f.eng, "maria"));
    itsm_packet_free(desk);
    deadline(r, DUE_COMM, T0 + 17 * MIN, 0, 0);
    size_t logged = itsm_quality_log_count(f.eng);

    /* maria's shift ends: she hands over to omar, the night manager */
    f.clock.now = T0 + 5 * MIN;
    itsm_packet *shift;
    assert_ok(itsm_packet_new(&shift, r, ITSM_PACKET_SHIFT));
    assert_ok(itsm_packet_set_text(shift, ITSM_PT_SENDER, "maria"));
    assert_ok(itsm_packet_set_text(shift, ITSM_PT_RECEIVER, "omar"));
    assert_ok(itsm_packet_set_text(shift, ITSM_PT_RECEIVER_GROUP, "major_incident_team"));
    assert_ok(itsm_packet_propose(shift, f.eng));
    assert_string_equal(itsm_record_str(r, ITSM_F_ASSIGNEE), "maria");
    assert_fails(f.eng, itsm_packet_acknowledge(shift, f.eng, "maria"), ITSM_EINVAL, "");
    f.clock.now = T0 + 8 * MIN;
    assert_ok(itsm_packet_acknowledge(shift, f.eng, "omar"));
    assert_string_equal(itsm_record_str(r, ITSM_F_ASSIGNEE), "omar");
    assert_string_equal(itsm_record_str(r, ITSM_F_ASSIGNMENT_GROUP), "major_incident_team");
    itsm_packet_free(shift);

    assert_int_equal(itsm_quality_log_count(f.eng), logged);
    assert_int_equal(itsm_record_major_state(r), ITSM_MAJOR_ACCEPTED);
    assert_int_equal(itsm_record_major_phase(r), ITSM_PHASE_INITIAL);
    deadline(r, DUE_COMM, T0 + 17 * MIN, 0, 0);
    deadline(r, DUE_GROUPS, T0 + 17 * MIN, 0, 0);
    sla_tick(&f, T0 + 17 * MIN);
    assert_int_equal(count_events(&f.store, "major_deadline_missed"), 0);
    sla_tick(&f, T0 + 17 * MIN + 1);
    assert_int_equal(count_events(&f.store, "major_deadline_missed"), 2);

    /* with no desk handover the phase ran from the decision; the first
     * handover acknowledged being a shift one does not restart it */
    f.clock.now = T0 + HOUR;
    itsm_record *q = open_inc(&f, 1, 1, "Mail");
    assert_ok(itsm_major_decide(q, 1, "maria"));
    f.clock.now = T0 + HOUR + 5 * MIN;
    assert_ok(itsm_packet_new(&shift, q, ITSM_PACKET_SHIFT));
    assert_ok(itsm_packet_set_text(shift, ITSM_PT_SENDER, "maria"));
    assert_ok(itsm_packet_set_text(shift, ITSM_PT_RECEIVER, "omar"));
    assert_ok(itsm_packet_propose(shift, f.eng));
    f.clock.now = T0 + HOUR + 8 * MIN;
    assert_ok(itsm_packet_acknowledge(shift, f.eng, "omar"));
    itsm_packet_free(shift);
    deadline(q, DUE_COMM, T0 + HOUR + 15 * MIN, 0, 0);
    deadline(q, DUE_GROUPS, T0 + HOUR + 15 * MIN, 0, 0);
    sla_tick(&f, T0 + HOUR + 15 * MIN + 1);
    assert_int_equal(count_events(&f.store, "major_deadline_missed"), 4);
    assert_replay_same(&f, NULL, T0 + 2 * HOUR);
    fixture_close(&f);
}

/* Unlike the desk's handover, a shift handover between incident managers
 * may be kicked back: the outgoing manager must not leave mid-incident
 * with a thin handover, and the role stays with her until one is taken. */
static void a_shift_handover_can_be_kicked_back_and_the_role_stays(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *r = major_in_work(&f);
    itsm_change a = { ITSM_F_ASSIGNEE, "maria", 0 };
    assert_ok(itsm_record_update(r, &a, 1));
    f.clock.now = T0 + 5 * MIN;
    itsm_packet *shift;
    assert_ok(itsm_packet_new(&shift, r, ITSM_PACKET_SHIFT));
    assert_ok(itsm_packet_set_text(shift, ITSM_PT_RECEIVER, "omar"));
    assert_ok(itsm_packet_propose(shift, f.eng));
    f.clock.now = T0 + 6 * MIN;
    assert_ok(itsm_packet_reject(shift, f.eng, "omar", "no open actions listed"));
    assert_int_equal(itsm_packet_state_of(shift), ITSM_PACKET_REJECTED);
    assert_string_equal(itsm_record_str(r, ITSM_F_ASSIGNEE), "maria");
    assert_int_equal(itsm_quality_log_count(f.eng), 0);
    itsm_packet_free(shift);
    assert_replay_same(&f, NULL, T0 + 6 * MIN);
    fixture_close(&f);
}

/* ---- children ------------------------------------------------------------- */

/* DESIGN 5: related incidents attach as children and resolve with the
 * parent's resolution. That is all a child takes: it does not become a
 * major incident (no phase, no deadlines of its own), and keeps its own
 * priority, owner and group. */
static void a_child_takes_only_the_resolution_from_its_parent(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *p = major_in_work(&f);
    itsm_record *c = open_inc(&f, 3, 3, "Payments");
    itsm_change w[2] = { { ITSM_F_ASSIGNMENT_GROUP, "store_support", 0 }, { ITSM_F_ASSIGNEE, "sam", 0 } };
    assert_ok(itsm_record_fire(c, "start", w, 2));
    int prio = (int)itsm_record_int(c, ITSM_F_PRIORITY);
    f.clock.now = T0 + 5 * MIN;
    assert_ok(itsm_major_attach(p, c));
    /* linked both ways */
    itsm_link l = { .size = sizeof l };
    assert_int_equal(itsm_record_link_count(c), 1);
    assert_ok(itsm_record_link_at(c, 0, &l));
    assert_int_equal(l.kind, ITSM_LINK_PARENT);
    assert_string_equal(l.target_id, itsm_record_id(p));
    assert_int_equal(itsm_record_link_count(p), 1);
    assert_ok(itsm_record_link_at(p, 0, &l));
    assert_int_equal(l.kind, ITSM_LINK_CHILD);
    assert_string_equal(l.target_id, itsm_record_id(c));
    /* a child is no major incident */
    assert_int_equal(itsm_record_major_state(c), ITSM_MAJOR_NONE);
    assert_int_equal(itsm_record_major_phase(c), ITSM_PHASE_NONE);
    assert_int_equal(itsm_record_int(c, ITSM_F_MAJOR), 0);
    itsm_time due;
    int done, missed;
    assert_fails(f.eng, itsm_record_major_deadline(&due, &done, &missed, c, DUE_COMM), ITSM_ESTATE, "");
    sla_tick(&f, T0 + 15 * MIN + 1);
    assert_int_equal(count_events(&f.store, "major_deadline_missed"), 2);   /* the parent's only */
    assert_null(strstr(last_event(&f.store, "major_deadline_missed", itsm_record_id(p)), itsm_record_id(c)));

    f.clock.now = T0 + HOUR;
    itsm_change res[2] = { { ITSM_F_RESOLUTION_CODE, "config_fix", 0 },
                           { ITSM_F_RESOLUTION_NOTES, "payment gateway certificate renewed", 0 } };
    assert_ok(itsm_record_fire(p, "resolve", res, 2));
    assert_string_equal(itsm_record_state(c), "resolved");
    assert_string_equal(itsm_record_str(c, ITSM_F_RESOLUTION_CODE), "config_fix");
    assert_string_equal(itsm_record_str(c, ITSM_F_RESOLUTION_NOTES), "payment gateway certificate renewed");
    assert_int_equal(itsm_record_int(c, ITSM_F_RESOLVED_AT), T0 + HOUR);
    assert_int_equal(itsm_record_int(c, ITSM_F_PRIORITY), prio);
    assert_string_equal(itsm_record_str(c, ITSM_F_ASSIGNEE), "sam");
    assert_string_equal(itsm_record_str(c, ITSM_F_ASSIGNMENT_GROUP), "store_support");
    assert_int_equal(itsm_record_major_state(c), ITSM_MAJOR_NONE);
    assert_replay_same(&f, NULL, T0 + HOUR);
    fixture_close(&f);
}

/* DESIGN 5: a child is an open incident of one major incident, and not a
 * major incident itself (attaching one is refused). The other way round
 * too: an incident attached to a running major incident is handled there -
 * proposing it by hand is refused, raising it to priority 1 proposes
 * nothing (the rule would page the manager for every call the outage
 * brings), and a proposal attached before its decision can only be
 * rejected. Were it accepted, resolving the parent would resolve a major
 * incident with another's resolution. Once the parent is restored the
 * child is on its own again. */
static void a_child_of_a_running_major_incident_is_not_made_one_itself(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *p = open_inc(&f, 1, 1, "Mail");
    assert_ok(itsm_major_decide(p, 1, "maria"));
    start_work(p);
    itsm_record *c = open_inc(&f, 3, 3, "Mail");
    assert_ok(itsm_major_attach(p, c));
    size_t stored = f.store.n;
    assert_fails(f.eng, itsm_major_propose(c, "users say it is big"), ITSM_ESTATE,
                 "INC-000002 is a child of major incident INC-000001");
    assert_int_equal(f.store.n, stored);
    assert_ok(itsm_record_set_int(c, ITSM_F_IMPACT, 1));
    assert_ok(itsm_record_set_int(c, ITSM_F_URGENCY, 1));
    assert_int_equal(itsm_record_int(c, ITSM_F_PRIORITY), 1);
    assert_int_equal(itsm_record_major_state(c), ITSM_MAJOR_NONE);
    assert_int_equal(count_events(&f.store, "major_proposed"), 1);   /* the parent's own */

    itsm_record *q = open_inc(&f, 2, 2, "Mail");
    assert_ok(itsm_major_propose(q, "mail slow for the sales floor"));
    assert_ok(itsm_major_attach(p, q));
    stored = f.store.n;
    assert_fails(f.eng, itsm_major_decide(q, 1, "maria"), ITSM_ESTATE,
                 "INC-000003 is a child of major incident INC-000001");
    assert_int_equal(f.store.n, stored);
    assert_ok(itsm_major_decide(q, 0, "maria"));
    assert_int_equal(itsm_record_major_state(q), ITSM_MAJOR_REJECTED);

    /* restored: the children resolved with it; one reopened is on its own */
    f.clock.now = T0 + HOUR;
    resolve(p);
    assert_string_equal(itsm_record_state(c), "resolved");
    f.clock.now = T0 + 2 * HOUR;
    itsm_change who = { ITSM_F_ASSIGNEE, "sam", 0 };
    assert_ok(itsm_record_fire(c, "reopen", &who, 1));
    assert_ok(itsm_major_propose(c, "back, and only for this site"));
    assert_int_equal(itsm_record_major_state(c), ITSM_MAJOR_PROPOSED);
    assert_replay_same(&f, NULL, T0 + 2 * HOUR);
    fixture_close(&f);
}

/* ---- reopening ------------------------------------------------------------ */

/* Restored, then the outage comes back: a reopened major incident is back
 * to "updates at the cadence until restored" (post 15 minutes), not to the
 * initial 15 minutes - the team has it, the groups are engaged, the
 * stakeholders were told - so nothing of the first phase is owed again.
 * It takes children again, and resolving it again resolves them with the
 * new resolution. */
static void a_reopened_major_incident_is_back_in_the_post_phase(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *p = major_in_work(&f);
    f.clock.now = T0 + 5 * MIN;
    assert_ok(itsm_major_communication_issued(p));
    engage(p);
    f.clock.now = T0 + HOUR;
    resolve(p);
    assert_int_equal(itsm_record_major_phase(p), ITSM_PHASE_RESOLUTION);
    f.clock.now = T0 + 2 * HOUR;
    assert_ok(itsm_record_fire(p, "reopen", NULL, 0));
    assert_int_equal(itsm_record_major_state(p), ITSM_MAJOR_ACCEPTED);
    assert_int_equal(itsm_record_int(p, ITSM_F_MAJOR), 1);
    assert_int_equal(itsm_record_major_phase(p), ITSM_PHASE_POST);
    deadline(p, DUE_COMM, T0 + 15 * MIN, 1, 0);
    deadline(p, DUE_GROUPS, T0 + 15 * MIN, 1, 0);
    itsm_record *late = open_inc(&f, 3, 3, "Payments");
    assert_ok(itsm_major_attach(p, late));
    sla_tick(&f, T0 + 2 * HOUR + 20 * MIN);
    assert_int_equal(count_events(&f.store, "major_deadline_missed"), 0);
    f.clock.now = T0 + 3 * HOUR;
    itsm_change res[2] = { { ITSM_F_RESOLUTION_CODE, "hardware_replaced" , 0 },
                           { ITSM_F_RESOLUTION_NOTES, "gateway node swapped", 0 } };
    assert_ok(itsm_record_fire(p, "resolve", res, 2));
    assert_int_equal(itsm_record_major_phase(p), ITSM_PHASE_RESOLUTION);
    assert_string_equal(itsm_record_state(late), "resolved");
    assert_string_equal(itsm_record_str(late, ITSM_F_RESOLUTION_CODE), "hardware_replaced");
    assert_replay_same(&f, NULL, T0 + 3 * HOUR);
    fixture_close(&f);
}

/* ---- the desk's packet as JSON -------------------------------------------- */

/* DESIGN 9: packets serialize to JSON and parse back equal. The desk's
 * handover the major incident team received is the one in the log: the
 * proposal event's packet reads back equal to what the desk sent, its
 * score and gaps are the packet's completeness, and a replayed engine holds
 * the same packet, acknowledged by the same manager. */
static void the_desk_handover_in_the_log_is_the_packet_the_desk_sent(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *r = pm_incident(&f, "payroll", "application", "payroll portal down");
    pm_work(r, "service_desk", "ann");
    itsm_packet *p;
    assert_ok(itsm_packet_new(&p, r, ITSM_PACKET_DESK_TO_MAJOR));
    assert_ok(itsm_packet_set_text(p, ITSM_PT_RECEIVER, "maria"));
    assert_ok(itsm_packet_set_text(p, ITSM_PT_DEFECT, "login page returns 502 for every user"));
    assert_ok(itsm_packet_set_text(p, ITSM_PT_WHERE_IS_NOT, "the mobile app still works"));
    itsm_packet_entry act = { sizeof act, "restarted the portal pool", "ann", T0 + 2 };
    assert_ok(itsm_packet_add(p, ITSM_PL_ACTIONS, &act));
    itsm_packet_entry h = { sizeof h, "the 08:30 certificate rotation", NULL, ITSM_TIME_NONE };
    assert_ok(itsm_packet_add(p, ITSM_PL_HYPOTHESES, &h));
    f.clock.now = T0 + MIN;
    assert_ok(itsm_packet_propose(p, f.eng));
    int score;
    char missing[ITSM_HANDOVER_ITEMS_MAX];
    assert_ok(itsm_packet_completeness(&score, p, itsm_engine_policy(f.eng), missing, sizeof missing));
    assert_true(score < 100);   /* contact not verified */
    f.clock.now = T0 + 2 * MIN;
    assert_ok(itsm_packet_acknowledge(p, f.eng, "maria"));

    const char *prop = last_event(&f.store, "handover_propose", itsm_record_id(r));
    char want[64];
    snprintf(want, sizeof want, "\"score\":%d", score);
    has(prop, want);
    has(prop, "\"contact_verified\"]");   /* the last gap of the list */
    const char *pk = strstr(prop, "\"packet\":");
    assert_non_null(pk);
    pk += strlen("\"packet\":");
    char *own = pm_packet_json(p);
    assert_memory_equal(pk, own, strlen(own));
    itsm_packet *back;
    itsm_parse_error err;
    assert_ok(itsm_packet_from_json(&back, pk, strlen(own), NULL, NULL, &err));
    assert_true(itsm_packet_equal(back, p));
    assert_string_equal(itsm_packet_text_of(back, ITSM_PT_WHERE_IS_NOT), "the mobile app still works");
    itsm_packet_free(back);
    free(own);

    itsm_engine *e2 = pm_replay(&f.store);
    itsm_packet *mine;
    assert_ok(itsm_engine_handover_find(&mine, e2, itsm_packet_seq(p)));
    assert_true(itsm_packet_equal(mine, p));
    assert_int_equal(itsm_packet_state_of(mine), ITSM_PACKET_ACKNOWLEDGED);
    assert_string_equal(itsm_packet_decided_by(mine), "maria");
    assert_int_equal(itsm_packet_decided_at(mine), T0 + 2 * MIN);
    assert_int_equal(itsm_packet_proposed_at(mine), T0 + MIN);
    itsm_engine_free(e2);
    itsm_packet_free(p);
    fixture_close(&f);
}

/* DESIGN 9: a packet parses back from its JSON - so a desk tool may send
 * the documented form (docs/handover.md) and the library takes it as it
 * takes one built in memory: proposed, acknowledged by the named manager,
 * who then owns the incident in the receiving group, and judged against
 * the desk checklist for the quality log. A document that says the record
 * is an incident when the engine's record of that id is not one is not a
 * desk handover. */
static void a_desk_handover_read_from_its_json_is_handed_over_as_one_built_in_memory(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *r = pm_incident(&f, "payroll", "application", "payroll batch aborts");
    pm_work(r, "service-desk", "ann");
    itsm_record *prb = NULL;
    itsm_record_opts o = ITSM_RECORD_OPTS_INIT;
    o.kind = ITSM_KIND_PROBLEM;
    assert_ok(itsm_record_open(&prb, f.eng, &o));
    static const char doc[] =
        "{\"itsm_packet\":1,\"kind\":\"desk_to_major\",\"record\":{\"id\":\"INC-000001\",\"kind\":\"incident\"},"
        "\"created_at\":\"2026-03-02T09:00:00Z\",\"sender\":\"ann\",\"sender_group\":\"service-desk\","
        "\"receiver\":\"maria\",\"receiver_group\":\"major-incident\","
        "\"problem_statement\":{\"object\":\"payroll batch\",\"defect\":\"aborts at step 3\"},"
        "\"facts\":{\"what\":{\"is\":\"batch job PAY-3\",\"is_not\":\"the online screens\"},"
        "\"where\":{\"is\":\"service payroll\",\"is_not\":\"batch02\"},"
        "\"when\":{\"is\":\"since 2026-03-02T08:55:00Z\",\"is_not\":null},"
        "\"extent\":{\"is\":\"all 4000 payslips\",\"is_not\":null}},"
        "\"actions\":[{\"text\":\"restarted the scheduler\",\"by\":\"ann\",\"at\":\"2026-03-02T08:58:00Z\"}],"
        "\"engaged_groups\":[\"service-desk\",\"batch-ops\"],\"contact_verified\":false}";
    itsm_packet *p = NULL;
    itsm_parse_error err;
    assert_ok(itsm_packet_from_json(&p, doc, strlen(doc), NULL, NULL, &err));
    assert_int_equal(itsm_packet_kind_of(p), ITSM_PACKET_DESK_TO_MAJOR);
    assert_int_equal(itsm_packet_state_of(p), ITSM_PACKET_DRAFT);
    f.clock.now = T0 + MIN;
    assert_ok(itsm_packet_propose(p, f.eng));
    f.clock.now = T0 + 2 * MIN;
    assert_ok(itsm_packet_acknowledge(p, f.eng, "maria"));
    assert_string_equal(itsm_record_str(r, ITSM_F_ASSIGNEE), "maria");
    assert_string_equal(itsm_record_str(r, ITSM_F_ASSIGNMENT_GROUP), "major-incident");
    itsm_quality_entry q = { .size = sizeof q };
    assert_int_equal(itsm_quality_log_count(f.eng), 1);
    assert_ok(itsm_quality_log_at(f.eng, 0, &q));
    assert_string_equal(q.sender_group, "service-desk");
    assert_string_equal(q.missing, "contact_verified");
    itsm_packet_free(p);

    /* the same document about the problem, claiming it is an incident */
    char forged[sizeof doc];
    strcpy(forged, doc);
    memcpy(strstr(forged, "INC-000001"), "PRB-000001", 10);
    assert_ok(itsm_packet_from_json(&p, forged, strlen(forged), NULL, NULL, &err));
    size_t stored = f.store.n;
    assert_fails(f.eng, itsm_packet_propose(p, f.eng), ITSM_ENOTFOUND, "no incident 'PRB-000001'");
    assert_int_equal(f.store.n, stored);
    assert_int_equal(itsm_packet_state_of(p), ITSM_PACKET_DRAFT);
    itsm_packet_free(p);
    assert_replay_same(&f, NULL, T0 + HOUR);
    fixture_close(&f);
}

/* ---- the rules from the policy document ---------------------------------- */

/* Replace, in the document `doc` (malloc'd), the member that starts
 * `from` - up to its first closing brace or bracket - with `to`. */
static char *replace_member(char *doc, const char *from, const char *to)
{
    char *at = strstr(doc, from);
    assert_non_null(at);
    char *end = strpbrk(at + strlen(from), "}]");
    assert_non_null(end);
    size_t head = (size_t)(at - doc);
    char *out = malloc(head + strlen(to) + strlen(end + 1) + 1);
    memcpy(out, doc, head);
    strcpy(out + head, to);
    strcat(out, end + 1);
    free(doc);
    return out;
}

/* The default policy's document with the major_incident member `major`
 * and, when not NULL, the desk_to_major checklist `desk`, read back. */
static itsm_policy *policy_doc(const char *major, const char *desk)
{
    itsm_policy *def;
    assert_ok(itsm_policy_new_default(&def, NULL));
    size_t len = 0;
    assert_int_equal(itsm_policy_to_json(def, NULL, 0, &len), ITSM_ELIMIT);
    char *doc = malloc(len + 1);
    assert_ok(itsm_policy_to_json(def, doc, len + 1, &len));
    itsm_policy_free(def);
    doc = replace_member(doc, "\"major_incident\":", major);
    if (desk)
        doc = replace_member(doc, "\"desk_to_major\":", desk);
    itsm_policy *p = NULL;
    itsm_parse_error err;
    int rc = itsm_policy_from_json(&p, doc, strlen(doc), NULL, NULL, &err);
    if (rc)
        fail_msg("%s at %zu:%zu: %s", itsm_errname(rc), err.line, err.column, err.text);
    free(doc);
    return p;
}

/* DESIGN 5 and 9: the organisation sets the rules - which priority a major
 * incident starts at, how long the first phase gives each deadline, and
 * the checklist the service desk works to (seed 001) - in its policy
 * document, and they hold as the C setters' do: a priority 2 proposed by
 * rule, deadlines at +10 and +20 minutes, a desk handover judged by that
 * checklist. The document written back carries them. */
static void the_policy_document_sets_the_major_incident_rules_and_the_desk_checklist(void **state)
{
    (void)state;
    itsm_policy *pol = policy_doc("\"major_incident\":{\"propose_at_priority\":2,\"breadth_threshold\":0,"
                                  "\"communication_due\":600,\"groups_due\":1200}",
                                  "\"desk_to_major\":[\"contact_verified\",\"engaged_groups\"]");
    fixture f;
    fixture_open_policy(&f, pol);
    itsm_record *p2 = open_inc(&f, 2, 1, "Payments");
    itsm_record *p3 = open_inc(&f, 2, 2, "Payments");
    assert_int_equal(itsm_record_int(p2, ITSM_F_PRIORITY), 2);
    assert_int_equal(itsm_record_major_state(p2), ITSM_MAJOR_PROPOSED);
    has(last_event(&f.store, "major_proposed", itsm_record_id(p2)), "\"reason\":\"priority\"");
    assert_int_equal(itsm_record_major_state(p3), ITSM_MAJOR_NONE);
    f.clock.now = T0 + MIN;
    assert_ok(itsm_major_decide(p2, 1, "maria"));
    deadline(p2, DUE_COMM, T0 + 11 * MIN, 0, 0);
    deadline(p2, DUE_GROUPS, T0 + 21 * MIN, 0, 0);

    itsm_packet *desk;
    assert_ok(itsm_packet_new(&desk, p2, ITSM_PACKET_DESK_TO_MAJOR));
    assert_ok(itsm_packet_set_text(desk, ITSM_PT_SENDER, "ann"));
    assert_ok(itsm_packet_set_text(desk, ITSM_PT_SENDER_GROUP, "service_desk"));
    assert_ok(itsm_packet_set_text(desk, ITSM_PT_RECEIVER, "maria"));
    itsm_packet_entry g = { sizeof g, "payments-l2", NULL, ITSM_TIME_NONE };
    assert_ok(itsm_packet_add(desk, ITSM_PL_ENGAGED_GROUPS, &g));
    assert_ok(itsm_packet_propose(desk, f.eng));
    assert_ok(itsm_packet_acknowledge(desk, f.eng, "maria"));
    itsm_packet_free(desk);
    itsm_quality_entry q = { .size = sizeof q };
    assert_int_equal(itsm_quality_log_count(f.eng), 1);
    assert_ok(itsm_quality_log_at(f.eng, 0, &q));
    assert_string_equal(q.missing, "contact_verified");
    assert_int_equal(q.score, 50);
    /* the acceptance at the same minute moves nothing */
    deadline(p2, DUE_GROUPS, T0 + 21 * MIN, 0, 0);
    sla_tick(&f, T0 + 11 * MIN + 1);
    assert_int_equal(count_events(&f.store, "major_deadline_missed"), 1);
    sla_tick(&f, T0 + 21 * MIN + 1);
    assert_int_equal(count_events(&f.store, "major_deadline_missed"), 2);
    assert_replay_same(&f, pol, T0 + HOUR);
    fixture_close(&f);

    size_t len = 0;
    assert_int_equal(itsm_policy_to_json(pol, NULL, 0, &len), ITSM_ELIMIT);
    char *doc = malloc(len + 1);
    assert_ok(itsm_policy_to_json(pol, doc, len + 1, &len));
    has(doc, "\"major_incident\":{\"propose_at_priority\":2,\"breadth_threshold\":0,"
             "\"communication_due\":600,\"groups_due\":1200}");
    has(doc, "\"desk_to_major\":[\"engaged_groups\",\"contact_verified\"]");
    free(doc);
    itsm_policy_free(pol);

    /* 0: no proposal by rule, not even a priority 1; by hand still */
    pol = policy_doc("\"major_incident\":{\"propose_at_priority\":0}", NULL);
    fixture_open_policy(&f, pol);
    itsm_record *p1 = open_inc(&f, 1, 1, "Payments");
    assert_int_equal(itsm_record_major_state(p1), ITSM_MAJOR_NONE);
    assert_int_equal(count_events(&f.store, "major_proposed"), 0);
    assert_ok(itsm_major_propose(p1, "payments down everywhere"));
    assert_int_equal(itsm_record_major_state(p1), ITSM_MAJOR_PROPOSED);
    fixture_close(&f);
    itsm_policy_free(pol);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_proposal_event_says_by_what_and_why),
        cmocka_unit_test(the_decision_event_names_the_manager_and_only_acceptance_sets_major),
        cmocka_unit_test(the_engagement_event_names_every_group_in_order),
        cmocka_unit_test(a_late_tick_dates_each_missed_deadline_one_second_after_its_due),
        cmocka_unit_test(the_fifteen_minutes_are_wall_clock_minutes_on_any_calendar),
        cmocka_unit_test(only_an_accepted_major_incident_runs_the_initial_phase),
        cmocka_unit_test(a_deadline_met_late_is_done_and_stays_missed),
        cmocka_unit_test(a_deadline_met_late_without_a_tick_between_is_missed),
        cmocka_unit_test(closing_inside_the_fifteen_minutes_still_owes_the_initial_communication),
        cmocka_unit_test(a_settled_major_incidents_deadlines_read_under_its_own_version),
        cmocka_unit_test(a_shift_packet_lists_the_groups_the_major_incident_engaged),
        cmocka_unit_test(a_shift_handover_moves_the_manager_role_but_not_the_fifteen_minutes),
        cmocka_unit_test(a_shift_handover_can_be_kicked_back_and_the_role_stays),
        cmocka_unit_test(a_child_takes_only_the_resolution_from_its_parent),
        cmocka_unit_test(a_child_of_a_running_major_incident_is_not_made_one_itself),
        cmocka_unit_test(a_reopened_major_incident_is_back_in_the_post_phase),
        cmocka_unit_test(the_desk_handover_in_the_log_is_the_packet_the_desk_sent),
        cmocka_unit_test(a_desk_handover_read_from_its_json_is_handed_over_as_one_built_in_memory),
        cmocka_unit_test(the_policy_document_sets_the_major_incident_rules_and_the_desk_checklist),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
