/* SPDX-License-Identifier: Apache-2.0 */
/* The three handoff paths of a completed incident and the handovers
 * that carry them (DESIGN sections 8 and 9): which verdict a finished
 * incident gets from what its record says, and what a to_problem or
 * to_change handover carries and moves. */
#include "pm_helpers.h"

static int has_reason(const itsm_decision *d, itsm_reason code)
{
    for (size_t i = 0; i < d->nreasons; i++)
        if (d->reasons[i].code == code)
            return 1;
    return 0;
}

static itsm_record *open_kind(fixture *f, itsm_kind kind, const char *summary)
{
    itsm_change ch = { ITSM_F_SUMMARY, summary, 0 };
    itsm_record_opts o = ITSM_RECORD_OPTS_INIT;
    o.kind = kind;
    o.fields = &ch;
    o.nfields = 1;
    itsm_record *r = NULL;
    assert_ok(itsm_record_open(&r, f->eng, &o));
    return r;
}

/* A problem driven to known_error with `cause` and a workaround. */
static void to_known_error(itsm_record *p, const char *cause)
{
    itsm_change a[2] = { { ITSM_F_ASSIGNEE, "pat", 0 }, { ITSM_F_CATEGORY, "batch", 0 } };
    assert_ok(itsm_record_fire(p, "assess", a, 2));
    assert_ok(itsm_record_fire(p, "analyse", NULL, 0));
    itsm_change k[2] = { { ITSM_F_CAUSE, cause, 0 }, { ITSM_F_WORKAROUND, "rerun after 02:00", 0 } };
    assert_ok(itsm_record_fire(p, "identify", k, 2));
}

/* Seed 000, the third path: the cause is known and the fix needs a change
 * - the incident goes straight to change. Read from the record, a change
 * related to the incident is that fix; without one, close and move on. */
static void a_related_change_sends_a_known_cause_straight_to_change(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *with = pm_incident(&f, "payroll", "batch", "payroll run fails");
    itsm_record *without = pm_incident(&f, "mail", "queue", "mail stuck");
    assert_ok(itsm_record_set_str(with, ITSM_F_CAUSE, "the batch host disk is too small"));
    assert_ok(itsm_record_set_str(without, ITSM_F_CAUSE, "a stale lock file"));
    itsm_record *chg = open_kind(&f, ITSM_KIND_CHANGE, "grow the batch host disk");
    assert_ok(itsm_record_link(with, ITSM_LINK_RELATED, chg));
    pm_resolve(with, "desk", "ann");
    pm_resolve(without, "desk", "ann");

    itsm_decision d = { .size = sizeof d };
    assert_ok(itsm_problem_decide(&d, with, NULL));   /* every answer from the record */
    assert_int_equal(d.verdict, ITSM_VERDICT_TO_CHANGE);
    assert_false(d.problem_proposed);
    assert_true(has_reason(&d, ITSM_REASON_CAUSE_KNOWN));
    assert_true(has_reason(&d, ITSM_REASON_FIX_NEEDS_CHANGE));

    d = (itsm_decision){ .size = sizeof d };
    assert_ok(itsm_problem_decide(&d, without, NULL));
    assert_int_equal(d.verdict, ITSM_VERDICT_CLOSE);
    assert_true(has_reason(&d, ITSM_REASON_CAUSE_KNOWN));
    assert_true(has_reason(&d, ITSM_REASON_NO_FOLLOW_UP));
    assert_false(has_reason(&d, ITSM_REASON_FIX_NEEDS_CHANGE));
    fixture_close(&f);
}

/* DESIGN 8: problem reasons win over to_change - a major incident gets
 * its problem review even when its cause is known and a change will fix
 * it; the problem record reaches change through its known error. */
static void a_major_incident_goes_to_problem_even_with_a_fix_that_needs_a_change(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *r = pm_incident(&f, "payroll", "batch", "payroll down for everyone");
    assert_ok(itsm_major_propose(r, "every payslip blocked"));
    assert_ok(itsm_major_decide(r, 1, "mim_maria"));
    assert_ok(itsm_record_set_str(r, ITSM_F_CAUSE, "the batch host disk is too small"));
    pm_resolve(r, "desk", "ann");
    itsm_decision d = { .size = sizeof d };
    itsm_decision_opts o = ITSM_DECISION_OPTS_INIT;
    o.cause_known = ITSM_ANSWER_YES;
    o.root_cause_needed = ITSM_ANSWER_NO;
    o.fix_needs_change = ITSM_ANSWER_YES;
    assert_ok(itsm_problem_decide(&d, r, &o));
    assert_int_equal(d.verdict, ITSM_VERDICT_TO_PROBLEM);
    assert_true(d.problem_proposed);
    assert_true(has_reason(&d, ITSM_REASON_MAJOR_REVIEW));
    fixture_close(&f);
}

/* "For an incident that is complete, there are three paths": a closed
 * incident (resolved, then confirmed) still gets its verdict; one canceled
 * without ever being resolved is no completed incident and gets none. */
static void a_closed_incident_gets_a_verdict_and_a_canceled_one_none(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *done = pm_incident(&f, "payroll", "batch", "payroll run fails");
    pm_resolve(done, "desk", "ann");
    const char *kd = NULL;
    assert_ok(itsm_knowledge_decide(&kd, done));
    assert_ok(itsm_record_fire(done, "confirm", NULL, 0));
    assert_string_equal(itsm_record_state(done), "closed");
    itsm_decision d = { .size = sizeof d };
    itsm_decision_opts o = ITSM_DECISION_OPTS_INIT;
    o.root_cause_needed = ITSM_ANSWER_YES;
    assert_ok(itsm_problem_decide(&d, done, &o));
    assert_int_equal(d.verdict, ITSM_VERDICT_TO_PROBLEM);

    itsm_record *dup = pm_incident(&f, "payroll", "batch", "logged twice");
    assert_ok(itsm_record_fire(dup, "cancel", NULL, 0));
    d = (itsm_decision){ .size = sizeof d };
    assert_fails(f.eng, itsm_problem_decide(&d, dup, &o), ITSM_ESTATE, itsm_record_id(dup));
    fixture_close(&f);
}

/* Seed 000: Problem Management takes the storyboard from Incident's hands;
 * taking it over is not taking the incident: the incident keeps its owner
 * and group, and the engine records who took the handover. */
static void acknowledging_a_to_problem_handover_leaves_the_incident_with_its_owner(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *r = pm_incident(&f, "payroll", "batch", "payroll run fails");
    pm_resolve(r, "desk", "ann");
    itsm_packet *p;
    assert_ok(itsm_packet_new(&p, r, ITSM_PACKET_TO_PROBLEM));
    assert_ok(itsm_packet_set_text(p, ITSM_PT_RECEIVER, "pm_pat"));
    assert_ok(itsm_packet_set_text(p, ITSM_PT_RECEIVER_GROUP, "problem_mgmt"));
    assert_ok(itsm_packet_propose(p, f.eng));
    f.clock.now += 120;
    assert_fails(f.eng, itsm_packet_acknowledge(p, f.eng, "someone_else"), ITSM_EINVAL, "pm_pat");
    assert_ok(itsm_packet_acknowledge(p, f.eng, "pm_pat"));
    assert_int_equal(itsm_packet_state_of(p), ITSM_PACKET_ACKNOWLEDGED);
    assert_string_equal(itsm_packet_decided_by(p), "pm_pat");
    assert_int_equal(itsm_packet_decided_at(p), T0 + 120);
    assert_string_equal(itsm_record_str(r, ITSM_F_ASSIGNEE), "ann");
    assert_string_equal(itsm_record_str(r, ITSM_F_ASSIGNMENT_GROUP), "desk");
    assert_string_equal(itsm_record_state(r), "resolved");
    itsm_packet_free(p);
    assert_replays_the_same(f.eng, &f.store);
    fixture_close(&f);
}

/* Seed 000: the incident team's "brain dump" - its thoughts on the cause,
 * where else there could be problems, identical things that need the same
 * fix - is what a to_problem packet is scored on: a packet prefilled from
 * the incident carries the stated cause as a hypothesis, and lacks the
 * other two until the team adds them. */
static void a_to_problem_packet_asks_for_the_brain_dump(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *r = pm_incident(&f, "payroll", "batch", "payroll run fails");
    assert_ok(itsm_record_set_str(r, ITSM_F_CAUSE, "the 08:30 patch changed the log path"));
    pm_work(r, "desk", "ann");
    itsm_packet *p;
    assert_ok(itsm_packet_new(&p, r, ITSM_PACKET_TO_PROBLEM));
    assert_int_equal(itsm_packet_count(p, ITSM_PL_HYPOTHESES), 1);
    itsm_packet_entry e = { .size = sizeof e };
    assert_ok(itsm_packet_at(p, ITSM_PL_HYPOTHESES, 0, &e));
    assert_string_equal(e.text, "the 08:30 patch changed the log path");
    const itsm_policy *pol = itsm_engine_policy(f.eng);
    int before, after;
    char missing[ITSM_HANDOVER_ITEMS_MAX];
    assert_ok(itsm_packet_completeness(&before, p, pol, missing, sizeof missing));
    assert_null(strstr(missing, "hypotheses"));
    assert_non_null(strstr(missing, "other_places"));
    assert_non_null(strstr(missing, "identical_things"));
    itsm_packet_entry other = { sizeof other, "the pension batch uses the same scheduler", NULL, ITSM_TIME_NONE };
    itsm_packet_entry same = { sizeof same, "batch02 has the same patch queued", NULL, ITSM_TIME_NONE };
    assert_ok(itsm_packet_add(p, ITSM_PL_OTHER_PLACES, &other));
    assert_ok(itsm_packet_add(p, ITSM_PL_IDENTICAL_THINGS, &same));
    assert_ok(itsm_packet_completeness(&after, p, pol, missing, sizeof missing));
    assert_null(strstr(missing, "other_places"));
    assert_null(strstr(missing, "identical_things"));
    assert_true(after > before);
    itsm_packet_free(p);
    fixture_close(&f);
}

/* Seed 000, lens 2 to lens 3: a known error handed to change carries its
 * cause, and change taking it over leaves the problem with its owner. */
static void a_to_change_handover_from_a_known_error_carries_its_cause(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *inc = pm_incident(&f, "payroll", "batch", "payroll run fails");
    itsm_record *prb;
    assert_ok(itsm_problem_open_from_incident(&prb, inc, NULL));
    to_known_error(prb, "lock timeout on the ledger table");
    itsm_packet *p;
    assert_ok(itsm_packet_new(&p, prb, ITSM_PACKET_TO_CHANGE));
    assert_int_equal(itsm_packet_record_kind(p), ITSM_KIND_PROBLEM);
    assert_string_equal(itsm_packet_text_of(p, ITSM_PT_OBJECT), "payroll run fails");
    itsm_packet_entry e = { .size = sizeof e };
    assert_int_equal(itsm_packet_count(p, ITSM_PL_HYPOTHESES), 1);
    assert_ok(itsm_packet_at(p, ITSM_PL_HYPOTHESES, 0, &e));
    assert_string_equal(e.text, "lock timeout on the ledger table");
    assert_ok(itsm_packet_set_text(p, ITSM_PT_RECEIVER, "cab_carl"));
    assert_ok(itsm_packet_propose(p, f.eng));
    assert_ok(itsm_packet_acknowledge(p, f.eng, "cab_carl"));
    assert_string_equal(itsm_record_str(prb, ITSM_F_ASSIGNEE), "pat");
    assert_string_equal(itsm_record_state(prb), "known_error");
    itsm_packet_free(p);
    fixture_close(&f);
}

/* Seed 000: the facts separate what is known from what is not. Extent
 * states the impact and priority the record has; one it lacks (no
 * urgency yet, so no priority) reads as unknown, never as 0, which is no
 * impact or priority at all. */
static void the_extent_fact_states_no_priority_the_record_lacks(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *r = pm_incident(&f, "payroll", "batch", "payroll run fails");   /* impact 2, no urgency */
    assert_false(itsm_record_has(r, ITSM_F_PRIORITY));
    itsm_packet *p;
    assert_ok(itsm_packet_new(&p, r, ITSM_PACKET_TO_PROBLEM));
    assert_string_equal(itsm_packet_text_of(p, ITSM_PT_EXTENT_IS), "impact 2, priority -");
    itsm_packet_free(p);
    assert_ok(itsm_record_set_int(r, ITSM_F_URGENCY, 1));
    assert_int_equal(itsm_record_int(r, ITSM_F_PRIORITY), 2);
    assert_ok(itsm_packet_new(&p, r, ITSM_PACKET_TO_PROBLEM));
    assert_string_equal(itsm_packet_text_of(p, ITSM_PT_EXTENT_IS), "impact 2, priority 2");
    itsm_packet_free(p);
    /* neither known: no extent at all, a gap the checklist names */
    itsm_record_opts o = ITSM_RECORD_OPTS_INIT;
    itsm_record *bare;
    assert_ok(itsm_record_open(&bare, f.eng, &o));
    assert_ok(itsm_packet_new(&p, bare, ITSM_PACKET_TO_PROBLEM));
    assert_null(itsm_packet_text_of(p, ITSM_PT_EXTENT_IS));
    int score;
    char missing[ITSM_HANDOVER_ITEMS_MAX];
    assert_ok(itsm_packet_completeness(&score, p, itsm_engine_policy(f.eng), missing, sizeof missing));
    assert_non_null(strstr(missing, "extent_is"));
    itsm_packet_free(p);
    fixture_close(&f);
}

/* Seed 000: Problem Management continues the incident team's storyboard
 * rather than redoing it. When the defect was seen is a fact of the
 * incidents: a problem opened a day later, and handed on to change, says
 * "since" its earliest related incident, not since the problem record. */
static void a_problems_when_fact_is_its_earliest_incidents(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *first = pm_incident(&f, "payroll", "batch", "payroll run fails");
    f.clock.now = T0 + 3600;
    itsm_record *second = pm_incident(&f, "payroll", "batch", "payroll run fails again");
    pm_resolve(first, "desk", "ann");
    pm_resolve(second, "desk", "ann");
    f.clock.now = T0 + 86400;
    itsm_record *prb;
    assert_ok(itsm_problem_open_from_incident(&prb, second, NULL));
    assert_int_equal(itsm_record_int(prb, ITSM_F_OPENED_AT), T0 + 86400);
    itsm_packet *p;
    assert_ok(itsm_packet_new(&p, prb, ITSM_PACKET_TO_CHANGE));
    assert_string_equal(itsm_packet_text_of(p, ITSM_PT_WHEN_IS), "since 2026-03-02T10:00:00Z");
    itsm_packet_free(p);
    assert_ok(itsm_record_link(first, ITSM_LINK_RELATED, prb));
    assert_ok(itsm_packet_new(&p, prb, ITSM_PACKET_TO_CHANGE));
    assert_string_equal(itsm_packet_text_of(p, ITSM_PT_WHEN_IS), "since 2026-03-02T09:00:00Z");
    itsm_packet_free(p);
    /* a problem logged on its own has only its own opening */
    itsm_record *alone = open_kind(&f, ITSM_KIND_PROBLEM, "ledger locks");
    assert_ok(itsm_packet_new(&p, alone, ITSM_PACKET_TO_CHANGE));
    assert_string_equal(itsm_packet_text_of(p, ITSM_PT_WHEN_IS), "since 2026-03-03T09:00:00Z");
    itsm_packet_free(p);
    fixture_close(&f);
}

static size_t count_text(const itsm_packet *p, itsm_packet_list l, const char *text)
{
    size_t n = 0;
    for (size_t i = 0; i < itsm_packet_count(p, l); i++) {
        itsm_packet_entry e = { .size = sizeof e };
        assert_ok(itsm_packet_at(p, l, i, &e));
        n += strcmp(e.text, text) == 0;
    }
    return n;
}

/* Seed 000: the problem team takes the storyboard from the incident's
 * hands and continues building on it - it does not re-do the incident
 * team's work. A problem's packet (to change, lens 3) carries the brain
 * dump and the is-not facts of the to_problem handovers acknowledged on
 * its incidents, once each; a handover not yet acknowledged, or on an
 * incident not related to the problem, gives nothing. */
static void a_problems_packet_continues_the_storyboard_its_incidents_handed_over(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *inc = pm_incident(&f, "payroll", "batch", "payroll run fails");
    itsm_record *other = pm_incident(&f, "mail", "queue", "mail stuck");
    pm_resolve(inc, "desk", "ann");
    pm_resolve(other, "desk", "ann");
    itsm_packet *h;
    assert_ok(itsm_packet_new(&h, inc, ITSM_PACKET_TO_PROBLEM));
    assert_ok(itsm_packet_set_text(h, ITSM_PT_WHERE_IS_NOT, "batch02"));
    assert_ok(itsm_packet_set_text(h, ITSM_PT_WHEN_IS_NOT, "before the 08:30 patch"));
    itsm_packet_entry hyp = { sizeof hyp, "the 08:30 patch changed the log path", NULL, ITSM_TIME_NONE };
    itsm_packet_entry place = { sizeof place, "the pension batch uses the same scheduler", NULL, ITSM_TIME_NONE };
    itsm_packet_entry same = { sizeof same, "batch02 has the same patch queued", NULL, ITSM_TIME_NONE };
    assert_ok(itsm_packet_add(h, ITSM_PL_HYPOTHESES, &hyp));
    assert_ok(itsm_packet_add(h, ITSM_PL_OTHER_PLACES, &place));
    assert_ok(itsm_packet_add(h, ITSM_PL_IDENTICAL_THINGS, &same));
    assert_ok(itsm_packet_set_text(h, ITSM_PT_RECEIVER, "pm_pat"));
    itsm_packet *stray;   /* the same brain dump about an unrelated incident */
    assert_ok(itsm_packet_new(&stray, other, ITSM_PACKET_TO_PROBLEM));
    itsm_packet_entry wrong = { sizeof wrong, "the relay's disk is full", NULL, ITSM_TIME_NONE };
    assert_ok(itsm_packet_add(stray, ITSM_PL_HYPOTHESES, &wrong));
    assert_ok(itsm_packet_propose(stray, f.eng));
    assert_ok(itsm_packet_acknowledge(stray, f.eng, "pm_pat"));
    assert_ok(itsm_packet_propose(h, f.eng));

    itsm_record *prb;
    assert_ok(itsm_problem_open_from_incident(&prb, inc, NULL));
    itsm_packet *p;
    assert_ok(itsm_packet_new(&p, prb, ITSM_PACKET_TO_CHANGE));   /* proposed, not yet taken over */
    assert_int_equal(itsm_packet_count(p, ITSM_PL_OTHER_PLACES), 0);
    assert_null(itsm_packet_text_of(p, ITSM_PT_WHERE_IS_NOT));
    itsm_packet_free(p);

    assert_ok(itsm_packet_acknowledge(h, f.eng, "pm_pat"));
    itsm_change a[2] = { { ITSM_F_ASSIGNEE, "pat", 0 }, { ITSM_F_CATEGORY, "batch", 0 } };
    assert_ok(itsm_record_fire(prb, "assess", a, 2));
    assert_ok(itsm_record_fire(prb, "analyse", NULL, 0));
    itsm_change k[2] = { { ITSM_F_CAUSE, "the 08:30 patch changed the log path", 0 },
                         { ITSM_F_WORKAROUND, "point the job at the old path", 0 } };
    assert_ok(itsm_record_fire(prb, "identify", k, 2));
    assert_ok(itsm_packet_new(&p, prb, ITSM_PACKET_TO_CHANGE));
    assert_non_null(itsm_packet_text_of(p, ITSM_PT_WHERE_IS_NOT));
    assert_non_null(itsm_packet_text_of(p, ITSM_PT_WHEN_IS_NOT));
    assert_string_equal(itsm_packet_text_of(p, ITSM_PT_WHERE_IS_NOT), "batch02");
    assert_string_equal(itsm_packet_text_of(p, ITSM_PT_WHEN_IS_NOT), "before the 08:30 patch");
    assert_null(itsm_packet_text_of(p, ITSM_PT_WHAT_IS_NOT));
    assert_int_equal(count_text(p, ITSM_PL_HYPOTHESES, "the 08:30 patch changed the log path"), 1);
    assert_int_equal(count_text(p, ITSM_PL_HYPOTHESES, "the relay's disk is full"), 0);
    assert_int_equal(count_text(p, ITSM_PL_OTHER_PLACES, "the pension batch uses the same scheduler"), 1);
    assert_int_equal(count_text(p, ITSM_PL_IDENTICAL_THINGS, "batch02 has the same patch queued"), 1);
    /* the to_change checklist no longer asks for what the incident team gave */
    int score;
    char missing[ITSM_HANDOVER_ITEMS_MAX];
    assert_ok(itsm_packet_completeness(&score, p, itsm_engine_policy(f.eng), missing, sizeof missing));
    assert_null(strstr(missing, "identical_things"));
    assert_null(strstr(missing, "hypotheses"));
    itsm_packet_free(p);
    itsm_packet_free(h);
    itsm_packet_free(stray);
    fixture_close(&f);
}

/* Carrying the incidents' storyboard allocates: a failure at any
 * allocation is ITSM_ENOMEM with no packet and no leak, and the engine
 * goes on. */
static void a_problems_packet_survives_every_allocation_failure(void **state)
{
    (void)state;
    failalloc fa = { 0 };
    fixture f;
    fixture_open_with(&f, NULL, &fa);
    itsm_record *inc = pm_incident(&f, "payroll", "batch", "payroll run fails");
    itsm_packet *h;
    assert_ok(itsm_packet_new(&h, inc, ITSM_PACKET_TO_PROBLEM));
    assert_ok(itsm_packet_set_text(h, ITSM_PT_WHAT_IS_NOT, "the online screens"));
    itsm_packet_entry e = { sizeof e, "the 08:30 patch", NULL, ITSM_TIME_NONE };
    assert_ok(itsm_packet_add(h, ITSM_PL_HYPOTHESES, &e));
    assert_ok(itsm_packet_add(h, ITSM_PL_IDENTICAL_THINGS, &e));
    assert_ok(itsm_packet_propose(h, f.eng));
    assert_ok(itsm_packet_acknowledge(h, f.eng, "pm_pat"));
    itsm_packet_free(h);
    itsm_record *prb;
    assert_ok(itsm_problem_open_from_incident(&prb, inc, NULL));
    long live = fa.live;
    for (long n = 1;; n++) {
        itsm_packet *p = (itsm_packet *)&fa;
        fa.calls = 0;
        fa.fail_at = n;
        fa.failed = 0;
        int rc = itsm_packet_new(&p, prb, ITSM_PACKET_TO_CHANGE);
        fa.fail_at = 0;
        if (!fa.failed) {
            assert_ok(rc);
            assert_int_equal(itsm_packet_count(p, ITSM_PL_IDENTICAL_THINGS), 1);
            itsm_packet_free(p);
            assert_int_equal(fa.live, live);
            assert_true(n > 3);
            break;
        }
        assert_int_equal(rc, ITSM_ENOMEM);
        assert_null(p);
        assert_int_equal(fa.live, live);
    }
    fixture_close(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_related_change_sends_a_known_cause_straight_to_change),
        cmocka_unit_test(a_major_incident_goes_to_problem_even_with_a_fix_that_needs_a_change),
        cmocka_unit_test(a_closed_incident_gets_a_verdict_and_a_canceled_one_none),
        cmocka_unit_test(acknowledging_a_to_problem_handover_leaves_the_incident_with_its_owner),
        cmocka_unit_test(a_to_problem_packet_asks_for_the_brain_dump),
        cmocka_unit_test(a_to_change_handover_from_a_known_error_carries_its_cause),
        cmocka_unit_test(the_extent_fact_states_no_priority_the_record_lacks),
        cmocka_unit_test(a_problems_when_fact_is_its_earliest_incidents),
        cmocka_unit_test(a_problems_packet_continues_the_storyboard_its_incidents_handed_over),
        cmocka_unit_test(a_problems_packet_survives_every_allocation_failure),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
