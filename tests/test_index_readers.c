/* SPDX-License-Identifier: Apache-2.0 */
/* Every indexed reader of the public headers answers an index at or past
 * its end the same way (README "Errors", itsm/errors.h): ITSM_EINVAL, never
 * ITSM_ENOTFOUND (kept for "there is none at all"), and where the object
 * keeps a message (the engine, a packet, a conformance report) that message
 * names the reader; readers answering a pointer give NULL. Each reader is
 * walked from 0 to its count (every index before the end reads), then one
 * past the end and at SIZE_MAX. */
#include "change_policy.h"
#include "sla/sla_support.h"

#include <stdint.h>

#define N_(a) (sizeof(a) / sizeof((a)[0]))

/* The objects the readers read. */
typedef struct world {
    fixture      f;
    itsm_policy *policy;
    itsm_record *inc, *change, *major, *request;
    itsm_packet *packet;
    itsm_conformance *conf;
    itsm_report *report;
    itsm_whatif *whatif;
    itsm_migration *migration;
    itsm_timeline *timeline;
} world;

typedef struct reader {
    const char *name;
    size_t (*count)(const world *w);
    int (*read)(const world *w, size_t index);
    const char *(*message)(const world *w);   /* NULL: the object keeps no message */
} reader;

static const char *eng_msg(const world *w) { return itsm_errmsg(w->f.eng); }
static const char *packet_msg(const world *w) { return itsm_packet_errmsg(w->packet); }
static const char *conf_msg(const world *w) { return itsm_conformance_errmsg(w->conf); }

/* ---- readers on a record (the engine's message) ---- */

static size_t n_agreement_steps(const world *w) { return itsm_record_agreement_steps(w->inc); }
static int rd_agreement_step(const world *w, size_t i)
{
    itsm_agreement_entry e = { .size = sizeof e };
    return itsm_record_agreement_step(&e, w->inc, i);
}
static size_t n_approval_levels(const world *w)
{
    itsm_approval_info p = { .size = sizeof p };
    assert_ok(itsm_record_approval(&p, w->change));
    return p.levels;
}
static int rd_approval_level(const world *w, size_t i)
{
    itsm_approval_level l = { .size = sizeof l };
    return itsm_record_approval_level(&l, w->change, i);
}
static size_t n_approvals(const world *w) { return itsm_record_approval_count(w->change); }
static int rd_approval(const world *w, size_t i)
{
    itsm_approval_decision d = { .size = sizeof d };
    return itsm_record_approval_at(&d, w->change, i);
}
static size_t n_risk_answers(const world *w) { return itsm_record_risk_answer_count(w->change); }
static int rd_risk_answer(const world *w, size_t i)
{
    itsm_risk_answer a = { .size = sizeof a };
    return itsm_record_risk_answer_at(&a, w->change, i);
}
static size_t n_allowed(const world *w) { return itsm_record_allowed_count(w->inc); }
static int rd_allowed(const world *w, size_t i)
{
    itsm_allowed_event a = { .size = sizeof a };
    return itsm_record_allowed_at(w->inc, i, &a);
}
/* The needs of the first allowed event that has one. */
static size_t first_needy(const world *w, size_t *misses)
{
    for (size_t i = 0; i < itsm_record_allowed_count(w->inc); i++) {
        itsm_allowed_event a = { .size = sizeof a };
        assert_ok(itsm_record_allowed_at(w->inc, i, &a));
        if (a.nmissing) {
            *misses = a.nmissing;
            return i;
        }
    }
    fail_msg("no allowed event of %s needs anything", itsm_record_id(w->inc));
    return 0;
}
static size_t n_allowed_needs(const world *w)
{
    size_t n = 0;
    first_needy(w, &n);
    return n;
}
static int rd_allowed_need(const world *w, size_t i)
{
    size_t n;
    itsm_guard_need g = { .size = sizeof g };
    return itsm_record_allowed_need_at(w->inc, first_needy(w, &n), i, &g);
}
static size_t n_notes(const world *w) { return itsm_record_timeline_count(w->inc); }
static int rd_note(const world *w, size_t i)
{
    itsm_timeline_entry e = { .size = sizeof e };
    return itsm_record_timeline_at(w->inc, i, &e);
}
static size_t n_links(const world *w) { return itsm_record_link_count(w->inc); }
static int rd_link(const world *w, size_t i)
{
    itsm_link l = { .size = sizeof l };
    return itsm_record_link_at(w->inc, i, &l);
}
static size_t n_tasks(const world *w) { return itsm_request_task_count(w->request); }
static int rd_task(const world *w, size_t i)
{
    itsm_task_info t = { .size = sizeof t };
    return itsm_request_task_at(&t, w->request, i);
}
static size_t n_causes(const world *w)
{
    itsm_review_info v = { .size = sizeof v };
    assert_ok(itsm_record_review(&v, w->major));
    return v.causes;
}
static int rd_cause(const world *w, size_t i)
{
    itsm_review_cause c = { .size = sizeof c };
    return itsm_review_cause_at(&c, w->major, i);
}
static size_t n_actions(const world *w)
{
    itsm_review_info v = { .size = sizeof v };
    assert_ok(itsm_record_review(&v, w->major));
    return v.actions;
}
static int rd_action(const world *w, size_t i)
{
    itsm_review_action a = { .size = sizeof a };
    return itsm_review_action_at(&a, w->major, i);
}

/* ---- readers on the engine ---- */

static size_t n_records(const world *w) { return itsm_engine_record_count(w->f.eng); }
static int rd_record(const world *w, size_t i)
{
    itsm_record *r = NULL;
    return itsm_engine_record_at(&r, w->f.eng, i);
}
static size_t n_handovers(const world *w) { return itsm_engine_handover_count(w->f.eng); }
static int rd_handover(const world *w, size_t i)
{
    itsm_packet *p = NULL;
    return itsm_engine_handover_at(&p, w->f.eng, i);
}
static size_t n_quality(const world *w) { return itsm_quality_log_count(w->f.eng); }
static int rd_quality(const world *w, size_t i)
{
    itsm_quality_entry q = { .size = sizeof q };
    return itsm_quality_log_at(w->f.eng, i, &q);
}
static size_t n_proposals(const world *w) { return itsm_engine_problem_proposal_count(w->f.eng); }
static int rd_proposal(const world *w, size_t i)
{
    itsm_problem_proposal p = { .size = sizeof p };
    return itsm_engine_problem_proposal_at(&p, w->f.eng, i);
}

/* ---- readers on a packet (its own message) ---- */

static size_t n_entries(const world *w) { return itsm_packet_count(w->packet, ITSM_PL_ACTIONS); }
static int rd_entry(const world *w, size_t i)
{
    itsm_packet_entry e = { .size = sizeof e };
    return itsm_packet_at(w->packet, ITSM_PL_ACTIONS, i, &e);
}
static size_t n_deliverables(const world *w) { return itsm_packet_deliverable_count(w->packet); }
static int rd_deliverable(const world *w, size_t i)
{
    itsm_deliverable d = { .size = sizeof d };
    return itsm_packet_deliverable_at(w->packet, i, &d);
}

/* ---- readers on a conformance report (its own message) ---- */

static size_t n_moves(const world *w) { return itsm_conformance_move_count(w->conf); }
static int rd_move(const world *w, size_t i)
{
    itsm_conformance_move m = { .size = sizeof m };
    return itsm_conformance_move_at(w->conf, i, &m);
}
static size_t n_rules(const world *w) { return itsm_conformance_rule_count(w->conf); }
static int rd_rule(const world *w, size_t i)
{
    itsm_conformance_rule r = { .size = sizeof r };
    return itsm_conformance_rule_at(w->conf, i, &r);
}
static size_t n_states(const world *w) { return itsm_conformance_state_count(w->conf, ITSM_KIND_INCIDENT); }
static int rd_state(const world *w, size_t i)
{
    const char *name = NULL;
    return itsm_conformance_state_at(w->conf, ITSM_KIND_INCIDENT, i, &name, NULL);
}

/* ---- readers on objects that keep no message: the code only ---- */

static size_t n_rep_states(const world *w) { return itsm_report_state_count(w->report); }
static int rd_rep_state(const world *w, size_t i)
{
    itsm_report_row r = { .size = sizeof r };
    return itsm_report_state_at(w->report, i, &r);
}
static size_t n_rep_cats(const world *w) { return itsm_report_category_count(w->report); }
static int rd_rep_cat(const world *w, size_t i)
{
    itsm_report_row r = { .size = sizeof r };
    return itsm_report_category_at(w->report, i, &r);
}
static size_t n_rep_groups(const world *w) { return itsm_report_group_count(w->report); }
static int rd_rep_group(const world *w, size_t i)
{
    itsm_report_group g = { .size = sizeof g };
    return itsm_report_group_at(w->report, i, &g);
}
static size_t n_rep_senders(const world *w) { return itsm_report_sender_count(w->report); }
static int rd_rep_sender(const world *w, size_t i)
{
    itsm_report_sender s = { .size = sizeof s };
    return itsm_report_sender_at(w->report, i, &s);
}
static size_t n_rep_trends(const world *w) { return itsm_report_trend_count(w->report); }
static int rd_rep_trend(const world *w, size_t i)
{
    itsm_report_trend t = { .size = sizeof t };
    return itsm_report_trend_at(w->report, i, &t);
}
static size_t n_rep_surveys(const world *w) { return itsm_report_survey_count(w->report); }
static int rd_rep_survey(const world *w, size_t i)
{
    itsm_report_survey s = { .size = sizeof s };
    return itsm_report_survey_at(w->report, i, &s);
}
static size_t n_flips(const world *w) { return itsm_whatif_flip_count(w->whatif); }
static int rd_flip(const world *w, size_t i)
{
    itsm_whatif_flip f = { .size = sizeof f };
    return itsm_whatif_flip_at(w->whatif, i, &f);
}
static size_t n_wi_slas(const world *w) { return itsm_whatif_sla_count(w->whatif); }
static int rd_wi_sla(const world *w, size_t i)
{
    itsm_whatif_sla s = { .size = sizeof s };
    return itsm_whatif_sla_at(w->whatif, i, &s);
}
static size_t n_wi_groups(const world *w) { return itsm_whatif_group_count(w->whatif); }
static int rd_wi_group(const world *w, size_t i)
{
    itsm_whatif_group g = { .size = sizeof g };
    return itsm_whatif_group_at(w->whatif, i, &g);
}
static size_t n_findings(const world *w) { return itsm_migration_count(w->migration); }
static int rd_finding(const world *w, size_t i)
{
    itsm_migration_finding m = { .size = sizeof m };
    return itsm_migration_at(w->migration, i, &m);
}
static size_t n_tl(const world *w) { return itsm_timeline_count(w->timeline); }
static int rd_tl(const world *w, size_t i)
{
    itsm_timeline_entry e = { .size = sizeof e };
    return itsm_timeline_at(w->timeline, i, &e);
}
/* The changes of the timeline's first entry that has some. */
static size_t first_changed(const world *w, size_t *nchanges)
{
    for (size_t i = 0; i < itsm_timeline_count(w->timeline); i++) {
        itsm_timeline_entry e = { .size = sizeof e };
        assert_ok(itsm_timeline_at(w->timeline, i, &e));
        if (e.nchanges) {
            *nchanges = e.nchanges;
            return i;
        }
    }
    fail_msg("no timeline entry sets a field");
    return 0;
}
static size_t n_tl_changes(const world *w)
{
    size_t n = 0;
    first_changed(w, &n);
    return n;
}
static int rd_tl_change(const world *w, size_t i)
{
    size_t n;
    itsm_field_change c = { .size = sizeof c };
    return itsm_timeline_change_at(w->timeline, first_changed(w, &n), i, &c);
}

static const reader readers[] = {
    { "itsm_record_agreement_step", n_agreement_steps, rd_agreement_step, eng_msg },
    { "itsm_record_approval_level", n_approval_levels, rd_approval_level, eng_msg },
    { "itsm_record_approval_at", n_approvals, rd_approval, eng_msg },
    { "itsm_record_risk_answer_at", n_risk_answers, rd_risk_answer, eng_msg },
    { "itsm_record_allowed_at", n_allowed, rd_allowed, eng_msg },
    { "itsm_record_allowed_need_at", n_allowed_needs, rd_allowed_need, eng_msg },
    { "itsm_record_timeline_at", n_notes, rd_note, eng_msg },
    { "itsm_record_link_at", n_links, rd_link, eng_msg },
    { "itsm_request_task_at", n_tasks, rd_task, eng_msg },
    { "itsm_review_cause_at", n_causes, rd_cause, eng_msg },
    { "itsm_review_action_at", n_actions, rd_action, eng_msg },
    { "itsm_engine_record_at", n_records, rd_record, eng_msg },
    { "itsm_engine_handover_at", n_handovers, rd_handover, eng_msg },
    { "itsm_quality_log_at", n_quality, rd_quality, eng_msg },
    { "itsm_engine_problem_proposal_at", n_proposals, rd_proposal, eng_msg },
    { "itsm_packet_at", n_entries, rd_entry, packet_msg },
    { "itsm_packet_deliverable_at", n_deliverables, rd_deliverable, packet_msg },
    { "itsm_conformance_move_at", n_moves, rd_move, conf_msg },
    { "itsm_conformance_rule_at", n_rules, rd_rule, conf_msg },
    { "itsm_conformance_state_at", n_states, rd_state, conf_msg },
    { "itsm_report_state_at", n_rep_states, rd_rep_state, NULL },
    { "itsm_report_category_at", n_rep_cats, rd_rep_cat, NULL },
    { "itsm_report_group_at", n_rep_groups, rd_rep_group, NULL },
    { "itsm_report_sender_at", n_rep_senders, rd_rep_sender, NULL },
    { "itsm_report_trend_at", n_rep_trends, rd_rep_trend, NULL },
    { "itsm_report_survey_at", n_rep_surveys, rd_rep_survey, NULL },
    { "itsm_whatif_flip_at", n_flips, rd_flip, NULL },
    { "itsm_whatif_sla_at", n_wi_slas, rd_wi_sla, NULL },
    { "itsm_whatif_group_at", n_wi_groups, rd_wi_group, NULL },
    { "itsm_migration_at", n_findings, rd_finding, NULL },
    { "itsm_timeline_at", n_tl, rd_tl, NULL },
    { "itsm_timeline_change_at", n_tl_changes, rd_tl_change, NULL },
};

/* A record of `kind` opened with `fields`. */
static itsm_record *open_with(world *w, itsm_kind kind, const itsm_change *fields, size_t n)
{
    itsm_record *r = NULL;
    itsm_record_opts o = ITSM_RECORD_OPTS_INIT;
    o.kind = kind;
    o.fields = fields;
    o.nfields = n;
    assert_ok(itsm_record_open(&r, w->f.eng, &o));
    return r;
}

/* An engine over the change policy with one agreement, holding: an
 * incident with agreement steps, a work note, a link and a guarded event;
 * a change with answers and a decision; a major incident with a review; a
 * service request; a cluster proposing a problem; a proposed handover;
 * and a report, a what-if, a migration check, a timeline and a
 * conformance report over it. */
static void world_open(world *w)
{
    memset(w, 0, sizeof *w);
    w->policy = change_policy();
    static const itsm_agreement_target t[] = { { 0, 4 * HOUR, NULL } };
    itsm_agreement_def d = ITSM_AGREEMENT_DEF_INIT;
    d.name = "work";
    d.start = "state == 'in_progress'";
    d.pause = "state == 'on_hold'";
    d.stop = "state == 'resolved'";
    d.targets = t;
    d.ntargets = 1;
    itsm_parse_error err;
    if (itsm_policy_set_agreement(w->policy, &d, &err) != ITSM_OK)
        fail_msg("%s", itsm_policy_errmsg(w->policy));
    change_fixture_open(&w->f, w->policy, NULL, NULL);

    w->inc = open_inc(&w->f, 3, 3, "mail");
    w->f.clock.now = T0 + 10 * MIN;
    start_work(w->inc);
    w->f.clock.now = T0 + 20 * MIN;
    hold(w->inc, "awaiting_vendor");
    itsm_note_opts no = ITSM_NOTE_OPTS_INIT;
    no.text = "vendor called";
    assert_ok(itsm_record_add_note(w->inc, &no));
    w->change = change_open(&w->f, "CHG1", "normal", "mail", "relay01");
    assert_ok(itsm_record_fire(w->change, "assess", NULL, 0));
    change_assess(w->change, "low");
    assert_ok(itsm_record_link(w->inc, ITSM_LINK_RELATED, w->change));
    assert_ok(itsm_record_approve(w->change, NULL, "cleo", "looks fine"));

    w->major = open_inc(&w->f, 1, 1, "payments");
    assert_ok(itsm_major_decide(w->major, 1, "mim_max"));
    assert_ok(itsm_review_open(w->major));
    assert_ok(itsm_review_add_cause(w->major, "The disk filled"));
    assert_ok(itsm_review_add_action(w->major, "alarm", "Alert on disk space", NULL, T0 + 2 * DAY));

    static const itsm_change rq[] = { { ITSM_F_SUMMARY, "a laptop", 0 }, { ITSM_F_CALLER, "pia", 0 } };
    w->request = open_with(w, ITSM_KIND_SERVICE_REQUEST, rq, N_(rq));
    static const itsm_change c[] = { { ITSM_F_SUMMARY, "Mail bounces", 0 }, { ITSM_F_SERVICE, "email", 0 },
                                     { ITSM_F_CATEGORY, "bounce", 0 } };
    for (int i = 0; i < 3; i++)   /* a cluster: a problem proposal */
        open_with(w, ITSM_KIND_INCIDENT, c, N_(c));

    assert_ok(itsm_packet_new(&w->packet, w->inc, ITSM_PACKET_SHIFT));
    itsm_packet_entry e = { sizeof e, "restart the relay", "ann", ITSM_TIME_NONE };
    assert_ok(itsm_packet_add(w->packet, ITSM_PL_ACTIONS, &e));
    assert_ok(itsm_packet_add_deliverable(w->packet, "runbook", "ann", "bob", 1));
    assert_ok(itsm_packet_propose(w->packet, w->f.eng));

    itsm_report_opts ro = ITSM_REPORT_OPTS_INIT;
    ro.group_by = "service";
    assert_ok(itsm_report_new(&w->report, w->f.eng, &ro));
    assert_ok(itsm_whatif_new(&w->whatif, w->f.eng, w->policy, NULL));
    assert_ok(itsm_engine_migration_check(&w->migration, w->f.eng, w->policy));
    assert_ok(itsm_record_timeline(&w->timeline, w->inc));
    assert_ok(itsm_conformance_new(&w->conf, w->policy, NULL));
}

static void world_close(world *w)
{
    itsm_conformance_free(w->conf);
    itsm_timeline_free(w->timeline);
    itsm_migration_free(w->migration);
    itsm_whatif_free(w->whatif);
    itsm_report_free(w->report);
    itsm_packet_free(w->packet);
    fixture_close(&w->f);
    itsm_policy_free(w->policy);
}

/* Every test reads a world of its own (cmocka's set-up and tear-down). */
static int world_setup(void **state)
{
    world *w = malloc(sizeof *w);
    if (!w)
        return -1;
    world_open(w);
    *state = w;
    return 0;
}

static int world_teardown(void **state)
{
    world_close(*state);
    free(*state);
    return 0;
}

/* One index past the end: ITSM_EINVAL, and the object's message (if it
 * keeps one) names the reader. */
static void assert_past_the_end(const world *w, const reader *r, size_t index)
{
    int rc = r->read(w, index);
    if (rc != ITSM_EINVAL)
        fail_msg("%s at %zu (count %zu): %s, wanted ITSM_EINVAL", r->name, index, r->count(w), itsm_errname(rc));
    if (r->message && !strstr(r->message(w), r->name))
        fail_msg("%s at %zu: the message \"%s\" does not name the reader", r->name, index, r->message(w));
}

static void an_index_past_the_end_is_einval_and_the_message_names_the_reader(void **state)
{
    world *w = *state;
    size_t read_some = 0;
    for (size_t k = 0; k < N_(readers); k++) {
        const reader *r = &readers[k];
        size_t n = r->count(w);
        for (size_t i = 0; i < n; i++)
            if (r->read(w, i) != ITSM_OK)
                fail_msg("%s at %zu of %zu: %s", r->name, i, n, itsm_errname(r->read(w, i)));
        read_some += n > 0;
        assert_past_the_end(w, r, n);
        assert_past_the_end(w, r, SIZE_MAX);
    }
    /* the world gives most readers something to walk before their end */
    if (read_some < N_(readers) * 3 / 4)
        fail_msg("only %zu of %zu readers had entries", read_some, N_(readers));
}

/* The readers answering a pointer or a count give NULL or 0 past the end. */
static void a_pointer_reader_gives_null_past_the_end(void **state)
{
    world *w = *state;
    size_t n = itsm_policy_agreement_count(w->policy);
    assert_int_equal(n, 1);
    assert_string_equal(itsm_policy_agreement_name(w->policy, 0), "work");
    assert_null(itsm_policy_agreement_name(w->policy, n));
    assert_null(itsm_policy_agreement_name(w->policy, SIZE_MAX));
    assert_int_equal(itsm_policy_check(w->policy), 0);
    assert_null(itsm_policy_finding(w->policy, 0));
    assert_null(itsm_policy_finding(w->policy, SIZE_MAX));
    itsm_problem_proposal p = { .size = sizeof p };
    assert_int_equal(itsm_engine_problem_proposal_count(w->f.eng), 1);
    assert_ok(itsm_engine_problem_proposal_at(&p, w->f.eng, 0));
    assert_non_null(itsm_engine_problem_proposal_incident(w->f.eng, 0, p.incidents - 1));
    assert_null(itsm_engine_problem_proposal_incident(w->f.eng, 0, p.incidents));
    assert_null(itsm_engine_problem_proposal_incident(w->f.eng, 1, 0));
    assert_int_equal(itsm_report_aging(w->report, ITSM_REPORT_AGING_BUCKETS), 0);
    assert_int_equal(itsm_report_aging(w->report, SIZE_MAX), 0);
}

/* Past the end of the missing terms of the last refused guard: EINVAL, and
 * the refusal's message stays (the reader reads it: itsm/record.h). */
static void the_guard_reader_keeps_the_refusal_past_the_end(void **state)
{
    world *w = *state;
    assert_ok(itsm_record_fire(w->inc, "resume", NULL, 0));
    int rc = itsm_record_fire(w->inc, "resolve", NULL, 0);
    assert_int_equal(rc, ITSM_EGUARD);
    char before[512];
    snprintf(before, sizeof before, "%s", itsm_errmsg(w->f.eng));
    size_t n = itsm_guard_missing_count(w->f.eng);
    assert_true(n > 0);
    itsm_guard_need g = { .size = sizeof g };
    for (size_t i = 0; i < n; i++)
        assert_ok(itsm_guard_missing_at(w->f.eng, i, &g));
    assert_int_equal(itsm_guard_missing_at(w->f.eng, n, &g), ITSM_EINVAL);
    assert_int_equal(itsm_guard_missing_at(w->f.eng, SIZE_MAX, &g), ITSM_EINVAL);
    assert_string_equal(itsm_errmsg(w->f.eng), before);
}

#define WITH_WORLD(test) cmocka_unit_test_setup_teardown(test, world_setup, world_teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        WITH_WORLD(an_index_past_the_end_is_einval_and_the_message_names_the_reader),
        WITH_WORLD(a_pointer_reader_gives_null_past_the_end),
        WITH_WORLD(the_guard_reader_keeps_the_refusal_past_the_end),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
