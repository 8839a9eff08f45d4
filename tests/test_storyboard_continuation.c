/* SPDX-License-Identifier: Apache-2.0 */
/* The storyboard passed from lens to lens (seed 000, DESIGN section 9):
 * problem management takes it "directly from Incident's hands and
 * continue[s] building on the template", so no team re-asks what the last
 * one captured. What a problem's packet continues, in unusual orders: a
 * handover kicked back and sent again, a problem accepted from a
 * recurrence proposal, an incident related after its handover, the
 * problem's own cause already in the brain dump. */
#include "pm_helpers.h"

#define DAY ((itsm_time)86400)

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

static void add_plain(itsm_packet *p, itsm_packet_list l, const char *text)
{
    itsm_packet_entry e = { sizeof e, text, NULL, ITSM_TIME_NONE };
    assert_ok(itsm_packet_add(p, l, &e));
}

/* A to_problem packet about `inc` for pm_pat with one hypothesis. */
static itsm_packet *to_problem(itsm_record *inc, const char *hypothesis)
{
    itsm_packet *h;
    assert_ok(itsm_packet_new(&h, inc, ITSM_PACKET_TO_PROBLEM));
    assert_ok(itsm_packet_set_text(h, ITSM_PT_RECEIVER, "pm_pat"));
    add_plain(h, ITSM_PL_HYPOTHESES, hypothesis);
    return h;
}

/* Seed 001's "never kick back" is for the desk; problem management may
 * kick a to_problem packet back, and the incident team sends a better
 * one. What the problem continues is what it took over: the packet it
 * acknowledged, not the one it sent back. */
static void a_kicked_back_handover_gives_the_problem_nothing_its_resend_does(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *inc = pm_incident(&f, "payroll", "batch", "payroll run fails");
    pm_resolve(inc, "desk", "ann");
    itsm_packet *first = to_problem(inc, "the scheduler, probably");
    assert_ok(itsm_packet_propose(first, f.eng));
    assert_ok(itsm_packet_reject(first, f.eng, "pm_pat", "no is-not facts: which batches still run?"));
    itsm_packet *second = to_problem(inc, "the 08:30 patch changed the log path");
    assert_ok(itsm_packet_set_text(second, ITSM_PT_WHERE_IS_NOT, "batch02"));
    assert_ok(itsm_packet_propose(second, f.eng));
    assert_ok(itsm_packet_acknowledge(second, f.eng, "pm_pat"));

    itsm_record *prb;
    assert_ok(itsm_problem_open_from_incident(&prb, inc, NULL));
    itsm_packet *p;
    assert_ok(itsm_packet_new(&p, prb, ITSM_PACKET_TO_CHANGE));
    assert_int_equal(count_text(p, ITSM_PL_HYPOTHESES, "the 08:30 patch changed the log path"), 1);
    assert_int_equal(count_text(p, ITSM_PL_HYPOTHESES, "the scheduler, probably"), 0);
    assert_non_null(itsm_packet_text_of(p, ITSM_PT_WHERE_IS_NOT));
    assert_string_equal(itsm_packet_text_of(p, ITSM_PT_WHERE_IS_NOT), "batch02");
    itsm_packet_free(p);
    itsm_packet_free(first);
    itsm_packet_free(second);
    fixture_close(&f);
}

/* A problem accepted from the engine's recurrence proposal is related to
 * every incident of the cluster: it continues what the incident team
 * handed over on any of them, the earliest included, and its When is the
 * earliest incident's. */
static void a_problem_from_a_recurrence_proposal_continues_every_incidents_handover(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *a = pm_resolved_at(&f, T0, "payroll", "batch");
    itsm_packet *h = to_problem(a, "the ledger table locks at month end");
    add_plain(h, ITSM_PL_IDENTICAL_THINGS, "the pension ledger has the same lock");
    assert_ok(itsm_packet_propose(h, f.eng));
    assert_ok(itsm_packet_acknowledge(h, f.eng, "pm_pat"));
    pm_resolved_at(&f, T0 + DAY, "payroll", "batch");
    itsm_record *c = pm_resolved_at(&f, T0 + 2 * DAY, "payroll", "batch");
    assert_int_equal(itsm_engine_problem_proposal_count(f.eng), 1);
    itsm_record *prb;
    assert_ok(itsm_problem_proposal_accept(&prb, c, NULL));
    itsm_packet *p;
    assert_ok(itsm_packet_new(&p, prb, ITSM_PACKET_TO_CHANGE));
    assert_int_equal(count_text(p, ITSM_PL_HYPOTHESES, "the ledger table locks at month end"), 1);
    assert_int_equal(count_text(p, ITSM_PL_IDENTICAL_THINGS, "the pension ledger has the same lock"), 1);
    assert_string_equal(itsm_packet_text_of(p, ITSM_PT_WHEN_IS), "since 2026-03-02T09:00:00Z");
    itsm_packet_free(p);
    itsm_packet_free(h);
    fixture_close(&f);
}

/* The incident team's handover is captured on the incident: an incident
 * the problem team relates to its problem later (it recognised the
 * symptom) brings what was handed over on it, and the problem's own cause,
 * the hypothesis the team confirmed, is listed once, not twice. */
static void an_incident_related_later_brings_its_handover_and_a_confirmed_hypothesis_is_listed_once(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *first = pm_incident(&f, "payroll", "batch", "payroll run fails");
    pm_resolve(first, "desk", "ann");
    itsm_record *prb;
    assert_ok(itsm_problem_open_from_incident(&prb, first, NULL));
    f.clock.now += DAY;
    itsm_record *later = pm_incident(&f, "payroll", "batch", "payslips missing");
    pm_resolve(later, "desk", "bob");
    itsm_packet *h = to_problem(later, "the 08:30 patch changed the log path");
    assert_ok(itsm_packet_set_text(h, ITSM_PT_EXTENT_IS_NOT, "the online screens"));
    add_plain(h, ITSM_PL_OTHER_PLACES, "the pension batch uses the same scheduler");
    assert_ok(itsm_packet_propose(h, f.eng));
    assert_ok(itsm_packet_acknowledge(h, f.eng, "pm_pat"));

    itsm_packet *p;
    assert_ok(itsm_packet_new(&p, prb, ITSM_PACKET_TO_CHANGE));
    assert_int_equal(itsm_packet_count(p, ITSM_PL_OTHER_PLACES), 0);   /* not related yet */
    itsm_packet_free(p);

    assert_ok(itsm_record_link(later, ITSM_LINK_RELATED, prb));
    pm_known_error(prb, "pat", "the 08:30 patch changed the log path", "point the job at the old path");
    assert_ok(itsm_packet_new(&p, prb, ITSM_PACKET_TO_CHANGE));
    assert_int_equal(count_text(p, ITSM_PL_HYPOTHESES, "the 08:30 patch changed the log path"), 1);
    assert_int_equal(count_text(p, ITSM_PL_OTHER_PLACES, "the pension batch uses the same scheduler"), 1);
    assert_non_null(itsm_packet_text_of(p, ITSM_PT_EXTENT_IS_NOT));
    assert_string_equal(itsm_packet_text_of(p, ITSM_PT_EXTENT_IS_NOT), "the online screens");
    itsm_packet_free(p);
    itsm_packet_free(h);
    fixture_close(&f);
}

/* Two incidents handed over with different is-not facts: the problem's
 * packet takes the first handed over (proposing order), whichever was
 * taken over first, and every distinct hypothesis once. */
static void two_incidents_handovers_merge_in_proposing_order(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *a = pm_incident(&f, "payroll", "batch", "payroll run fails");
    itsm_record *b = pm_incident(&f, "payroll", "batch", "payslips missing");
    pm_resolve(a, "desk", "ann");
    pm_resolve(b, "desk", "bob");
    itsm_packet *ha = to_problem(a, "the 08:30 patch");
    assert_ok(itsm_packet_set_text(ha, ITSM_PT_WHAT_IS_NOT, "the online screens"));
    itsm_packet *hb = to_problem(b, "the ledger lock");
    add_plain(hb, ITSM_PL_HYPOTHESES, "the 08:30 patch");
    assert_ok(itsm_packet_set_text(hb, ITSM_PT_WHAT_IS_NOT, "the pension batch"));
    assert_ok(itsm_packet_propose(ha, f.eng));
    assert_ok(itsm_packet_propose(hb, f.eng));
    assert_ok(itsm_packet_acknowledge(hb, f.eng, "pm_pat"));
    assert_ok(itsm_packet_acknowledge(ha, f.eng, "pm_pat"));
    itsm_record *prb;
    assert_ok(itsm_problem_open_from_incident(&prb, b, NULL));
    assert_ok(itsm_record_link(a, ITSM_LINK_RELATED, prb));
    itsm_packet *p;
    assert_ok(itsm_packet_new(&p, prb, ITSM_PACKET_TO_CHANGE));
    assert_string_equal(itsm_packet_text_of(p, ITSM_PT_WHAT_IS_NOT), "the online screens");
    assert_int_equal(count_text(p, ITSM_PL_HYPOTHESES, "the 08:30 patch"), 1);
    assert_int_equal(count_text(p, ITSM_PL_HYPOTHESES, "the ledger lock"), 1);
    itsm_packet_entry e = { .size = sizeof e };
    assert_ok(itsm_packet_at(p, ITSM_PL_HYPOTHESES, 0, &e));
    assert_string_equal(e.text, "the 08:30 patch");
    itsm_packet_free(p);
    itsm_packet_free(ha);
    itsm_packet_free(hb);
    fixture_close(&f);
}

/* "Regardless of whether one Incident Manager is handing off to another
 * [or] the Incident team is passing the baton to Problem Management ...
 * the output should be data captured": what an incident manager captured
 * at a shift handover (is-not facts, the brain dump) is part of the
 * incident's storyboard, so the incident's to_problem packet starts from
 * it - the incident team does not type it again. */
static void an_incidents_to_problem_packet_continues_its_shift_handovers(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *inc = pm_incident(&f, "payroll", "batch", "payroll run fails");
    pm_work(inc, "desk", "ann");
    itsm_packet *s;
    assert_ok(itsm_packet_new(&s, inc, ITSM_PACKET_SHIFT));
    assert_ok(itsm_packet_set_text(s, ITSM_PT_RECEIVER, "bob"));
    assert_ok(itsm_packet_set_text(s, ITSM_PT_WHERE_IS_NOT, "batch02"));
    add_plain(s, ITSM_PL_HYPOTHESES, "the 08:30 patch changed the log path");
    add_plain(s, ITSM_PL_OTHER_PLACES, "the pension batch uses the same scheduler");
    assert_ok(itsm_packet_propose(s, f.eng));
    assert_ok(itsm_packet_acknowledge(s, f.eng, "bob"));
    itsm_change res[2] = { { ITSM_F_RESOLUTION_CODE, "fixed", 0 }, { ITSM_F_RESOLUTION_NOTES, "reran the job", 0 } };
    assert_ok(itsm_record_fire(inc, "resolve", res, 2));

    itsm_packet *p;
    assert_ok(itsm_packet_new(&p, inc, ITSM_PACKET_TO_PROBLEM));
    assert_non_null(itsm_packet_text_of(p, ITSM_PT_WHERE_IS_NOT));
    assert_string_equal(itsm_packet_text_of(p, ITSM_PT_WHERE_IS_NOT), "batch02");
    assert_int_equal(count_text(p, ITSM_PL_HYPOTHESES, "the 08:30 patch changed the log path"), 1);
    assert_int_equal(count_text(p, ITSM_PL_OTHER_PLACES, "the pension batch uses the same scheduler"), 1);
    itsm_packet_free(p);
    itsm_packet_free(s);
    fixture_close(&f);
}

/* The problem team continues the incidents' storyboard also when no
 * to_problem packet was sent: a problem accepted from a recurrence
 * proposal goes on from a shift handover taken over on one of its
 * incidents. */
static void a_problem_continues_a_shift_handover_on_a_related_incident(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    f.clock.now = T0;
    itsm_record *a = pm_incident(&f, "payroll", "batch", "payroll run fails");
    pm_work(a, "desk", "ann");
    itsm_packet *s;
    assert_ok(itsm_packet_new(&s, a, ITSM_PACKET_SHIFT));
    assert_ok(itsm_packet_set_text(s, ITSM_PT_RECEIVER, "bob"));
    assert_ok(itsm_packet_set_text(s, ITSM_PT_WHEN_IS_NOT, "before the 08:30 patch"));
    add_plain(s, ITSM_PL_IDENTICAL_THINGS, "batch02 has the same patch queued");
    assert_ok(itsm_packet_propose(s, f.eng));
    itsm_packet *p;
    assert_ok(itsm_packet_new(&p, a, ITSM_PACKET_SHIFT));   /* not taken over yet: nothing */
    assert_null(itsm_packet_text_of(p, ITSM_PT_WHEN_IS_NOT));
    itsm_packet_free(p);
    assert_ok(itsm_packet_acknowledge(s, f.eng, "bob"));
    assert_ok(itsm_packet_new(&p, a, ITSM_PACKET_SHIFT));   /* the next shift starts from it */
    assert_string_equal(itsm_packet_text_of(p, ITSM_PT_WHEN_IS_NOT), "before the 08:30 patch");
    itsm_packet_free(p);
    itsm_change res[2] = { { ITSM_F_RESOLUTION_CODE, "fixed", 0 }, { ITSM_F_RESOLUTION_NOTES, "reran the job", 0 } };
    assert_ok(itsm_record_fire(a, "resolve", res, 2));
    pm_resolved_at(&f, T0 + DAY, "payroll", "batch");
    itsm_record *c = pm_resolved_at(&f, T0 + 2 * DAY, "payroll", "batch");
    itsm_record *prb;
    assert_ok(itsm_problem_proposal_accept(&prb, c, NULL));
    assert_ok(itsm_packet_new(&p, prb, ITSM_PACKET_TO_CHANGE));
    assert_non_null(itsm_packet_text_of(p, ITSM_PT_WHEN_IS_NOT));
    assert_string_equal(itsm_packet_text_of(p, ITSM_PT_WHEN_IS_NOT), "before the 08:30 patch");
    assert_int_equal(count_text(p, ITSM_PL_IDENTICAL_THINGS, "batch02 has the same patch queued"), 1);
    itsm_packet_free(p);
    itsm_packet_free(s);
    fixture_close(&f);
}

/* The storyboard is data captured in the store (each proposal carries its
 * packet): an engine loaded from the store later builds the same packet
 * for the problem - the brain dump and the is-not facts the incident team
 * handed over survive a restart, byte for byte. */
static void the_continued_storyboard_survives_a_reload(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *inc = pm_incident(&f, "payroll", "batch", "payroll run fails");
    pm_work(inc, "desk", "ann");
    itsm_packet *s;
    assert_ok(itsm_packet_new(&s, inc, ITSM_PACKET_SHIFT));
    assert_ok(itsm_packet_set_text(s, ITSM_PT_RECEIVER, "bob"));
    assert_ok(itsm_packet_set_text(s, ITSM_PT_WHAT_IS_NOT, "the online screens"));
    add_plain(s, ITSM_PL_OTHER_PLACES, "the pension batch uses the same scheduler");
    assert_ok(itsm_packet_propose(s, f.eng));
    assert_ok(itsm_packet_acknowledge(s, f.eng, "bob"));
    itsm_change res[2] = { { ITSM_F_RESOLUTION_CODE, "fixed", 0 }, { ITSM_F_RESOLUTION_NOTES, "reran the job", 0 } };
    assert_ok(itsm_record_fire(inc, "resolve", res, 2));
    itsm_packet *h = to_problem(inc, "the 08:30 patch changed the log path");
    assert_ok(itsm_packet_propose(h, f.eng));
    assert_ok(itsm_packet_acknowledge(h, f.eng, "pm_pat"));
    itsm_record *prb;
    assert_ok(itsm_problem_open_from_incident(&prb, inc, NULL));
    itsm_packet *live;
    assert_ok(itsm_packet_new(&live, prb, ITSM_PACKET_TO_CHANGE));
    assert_string_equal(itsm_packet_text_of(live, ITSM_PT_WHAT_IS_NOT), "the online screens");
    assert_int_equal(count_text(live, ITSM_PL_OTHER_PLACES, "the pension batch uses the same scheduler"), 1);
    assert_int_equal(count_text(live, ITSM_PL_HYPOTHESES, "the 08:30 patch changed the log path"), 1);
    char *want = pm_packet_json(live);

    itsm_engine *again = engine_over(&f.store, &f.clock, NULL);
    assert_ok(itsm_engine_load(again));
    itsm_record *back;
    assert_ok(itsm_record_find(&back, again, itsm_record_id(prb)));
    itsm_packet *reloaded;
    assert_ok(itsm_packet_new(&reloaded, back, ITSM_PACKET_TO_CHANGE));
    char *got = pm_packet_json(reloaded);
    assert_string_equal(got, want);
    free(got);
    free(want);
    itsm_packet_free(reloaded);
    itsm_engine_free(again);
    itsm_packet_free(live);
    itsm_packet_free(h);
    itsm_packet_free(s);
    fixture_close(&f);
}

/* Lens 2 to lens 3: problem management "compil[es] a solution of action
 * items ... [and] transition[s] these action items over to the Change
 * Management and CSI functions". The action items of the major
 * incident's post-incident review still open, with their owners and due
 * dates, are the open actions of the problem's to_change packet, and the
 * review's contributing causes are in its brain dump; an action done is
 * not handed over, nor one nobody owns yet (a packet's open action has
 * an owner). The major incident's own to_problem packet lists them too. */
static void a_to_change_packet_hands_over_the_reviews_open_action_items(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *major = pm_incident(&f, "mail", "outage", "mail down for everyone");
    pm_work(major, "mim", "mia");
    assert_ok(itsm_major_propose(major, NULL));
    assert_ok(itsm_major_decide(major, 1, "mgr_max"));
    itsm_change res[2] = { { ITSM_F_RESOLUTION_CODE, "fixed", 0 },
                           { ITSM_F_RESOLUTION_NOTES, "renewed the certificate", 0 } };
    assert_ok(itsm_record_fire(major, "resolve", res, 2));
    itsm_record *prb;
    assert_ok(itsm_problem_open_from_incident(&prb, major, NULL));
    itsm_time due = T0 + 14 * DAY;
    assert_ok(itsm_review_open(major));
    assert_ok(itsm_review_add_cause(major, "certificate renewal was a manual step"));
    assert_ok(itsm_review_add_action(major, "a1", "automate certificate renewal", "ops_olga", due));
    assert_ok(itsm_review_add_action(major, "a2", "alert 30 days before expiry", "mon_max", due));
    assert_ok(itsm_review_add_action(major, "a3", "review the other relays", NULL, due));
    assert_ok(itsm_review_action_done(major, "a2", "alert configured"));

    itsm_packet *h;
    assert_ok(itsm_packet_new(&h, major, ITSM_PACKET_TO_PROBLEM));
    assert_int_equal(itsm_packet_count(h, ITSM_PL_OPEN_ACTIONS), 1);
    itsm_packet_free(h);

    assert_ok(itsm_review_assign_action(major, "a3", "net_nina"));
    pm_known_error(prb, "pat", "the relay's certificate expired", "none needed once renewed");
    itsm_packet *p;
    assert_ok(itsm_packet_new(&p, prb, ITSM_PACKET_TO_CHANGE));
    assert_int_equal(itsm_packet_count(p, ITSM_PL_OPEN_ACTIONS), 2);
    itsm_packet_entry e = { .size = sizeof e };
    assert_ok(itsm_packet_at(p, ITSM_PL_OPEN_ACTIONS, 0, &e));
    assert_string_equal(e.text, "automate certificate renewal");
    assert_string_equal(e.who, "ops_olga");
    assert_int_equal(e.at, due);
    assert_ok(itsm_packet_at(p, ITSM_PL_OPEN_ACTIONS, 1, &e));
    assert_string_equal(e.text, "review the other relays");
    assert_string_equal(e.who, "net_nina");
    assert_int_equal(count_text(p, ITSM_PL_HYPOTHESES, "certificate renewal was a manual step"), 1);
    int score;
    char missing[ITSM_HANDOVER_ITEMS_MAX];
    assert_ok(itsm_packet_completeness(&score, p, itsm_engine_policy(f.eng), missing, sizeof missing));
    assert_null(strstr(missing, "open_actions"));
    itsm_packet_free(p);
    fixture_close(&f);
}

/* Each handover builds on the one before it, so the storyboard is the
 * latest one taken over: a hypothesis the next incident manager ruled out
 * (cleared from her packet) does not come back in the to_problem packet
 * from an older shift's. */
static void a_hypothesis_ruled_out_at_a_later_shift_does_not_come_back(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *inc = pm_incident(&f, "payroll", "batch", "payroll run fails");
    pm_work(inc, "desk", "ann");
    itsm_packet *s1;
    assert_ok(itsm_packet_new(&s1, inc, ITSM_PACKET_SHIFT));
    assert_ok(itsm_packet_set_text(s1, ITSM_PT_RECEIVER, "bob"));
    assert_ok(itsm_packet_set_text(s1, ITSM_PT_WHERE_IS_NOT, "batch02"));
    add_plain(s1, ITSM_PL_HYPOTHESES, "the disk is full");
    assert_ok(itsm_packet_propose(s1, f.eng));
    assert_ok(itsm_packet_acknowledge(s1, f.eng, "bob"));
    f.clock.now += 8 * 3600;
    itsm_packet *s2;
    assert_ok(itsm_packet_new(&s2, inc, ITSM_PACKET_SHIFT));
    assert_int_equal(count_text(s2, ITSM_PL_HYPOTHESES, "the disk is full"), 1);
    assert_ok(itsm_packet_clear(s2, ITSM_PL_HYPOTHESES));   /* ruled out: 40% free */
    add_plain(s2, ITSM_PL_HYPOTHESES, "the 08:30 patch changed the log path");
    assert_ok(itsm_packet_set_text(s2, ITSM_PT_RECEIVER, "cy"));
    assert_ok(itsm_packet_propose(s2, f.eng));
    assert_ok(itsm_packet_acknowledge(s2, f.eng, "cy"));
    itsm_change res[2] = { { ITSM_F_RESOLUTION_CODE, "fixed", 0 }, { ITSM_F_RESOLUTION_NOTES, "reran the job", 0 } };
    assert_ok(itsm_record_fire(inc, "resolve", res, 2));

    itsm_packet *p;
    assert_ok(itsm_packet_new(&p, inc, ITSM_PACKET_TO_PROBLEM));
    assert_int_equal(count_text(p, ITSM_PL_HYPOTHESES, "the disk is full"), 0);
    assert_int_equal(count_text(p, ITSM_PL_HYPOTHESES, "the 08:30 patch changed the log path"), 1);
    assert_string_equal(itsm_packet_text_of(p, ITSM_PT_WHERE_IS_NOT), "batch02");   /* kept by the second */
    itsm_packet_free(p);
    itsm_packet_free(s1);
    itsm_packet_free(s2);
    fixture_close(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_kicked_back_handover_gives_the_problem_nothing_its_resend_does),
        cmocka_unit_test(a_problem_from_a_recurrence_proposal_continues_every_incidents_handover),
        cmocka_unit_test(an_incident_related_later_brings_its_handover_and_a_confirmed_hypothesis_is_listed_once),
        cmocka_unit_test(two_incidents_handovers_merge_in_proposing_order),
        cmocka_unit_test(an_incidents_to_problem_packet_continues_its_shift_handovers),
        cmocka_unit_test(a_hypothesis_ruled_out_at_a_later_shift_does_not_come_back),
        cmocka_unit_test(a_problem_continues_a_shift_handover_on_a_related_incident),
        cmocka_unit_test(the_continued_storyboard_survives_a_reload),
        cmocka_unit_test(a_to_change_packet_hands_over_the_reviews_open_action_items),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
