/* SPDX-License-Identifier: Apache-2.0 */
/* Handover packets (DESIGN section 9): prefill, completeness, the
 * two-party handover, never-kick-back and its exception report, the
 * service-transition gate, failures while acknowledging, and replay. */
#include "pm_helpers.h"

static itsm_record *busy_incident(fixture *f)
{
    itsm_record *r = pm_incident(f, "payroll", "batch", "payroll run fails");
    itsm_change ch[3] = { { ITSM_F_DESCRIPTION, "step 3 aborts with code 12", 0 },
                          { ITSM_F_CI, "batch01", 0 },
                          { ITSM_F_CONTACT_VERIFIED, NULL, 1 } };
    assert_ok(itsm_record_update(r, ch, 3));
    pm_work(r, "desk", "ann");
    itsm_note_opts n = ITSM_NOTE_OPTS_INIT;
    n.text = "restarted the scheduler";
    assert_ok(itsm_record_add_note(r, &n));
    f->clock.now += 600;
    n.kind = ITSM_NOTE_CUSTOMER;
    n.text = "we restarted the scheduler; rerun pending";
    n.expected_restoration = f->clock.now + 3600;
    n.next_update = f->clock.now + 1800;
    assert_ok(itsm_record_add_note(r, &n));
    return r;
}

static void prefill_carries_fields_and_timeline_for_every_kind(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *r = busy_incident(&f);
    for (int k = ITSM_PACKET_SHIFT; k <= ITSM_PACKET_TO_OPERATIONS; k++) {
        itsm_packet *p;
        assert_ok(itsm_packet_new(&p, r, (itsm_packet_kind)k));
        assert_int_equal(itsm_packet_kind_of(p), k);
        assert_int_equal(itsm_packet_state_of(p), ITSM_PACKET_DRAFT);
        assert_string_equal(itsm_packet_record_id(p), itsm_record_id(r));
        assert_string_equal(itsm_packet_text_of(p, ITSM_PT_OBJECT), "payroll run fails");
        assert_string_equal(itsm_packet_text_of(p, ITSM_PT_DEFECT), "step 3 aborts with code 12");
        assert_non_null(strstr(itsm_packet_text_of(p, ITSM_PT_WHERE_IS), "payroll"));
        assert_non_null(strstr(itsm_packet_text_of(p, ITSM_PT_WHERE_IS), "batch01"));
        assert_non_null(strstr(itsm_packet_text_of(p, ITSM_PT_WHAT_IS), "batch"));
        assert_non_null(strstr(itsm_packet_text_of(p, ITSM_PT_WHEN_IS), "2026-03-02T09:00:00Z"));
        assert_non_null(strstr(itsm_packet_text_of(p, ITSM_PT_EXTENT_IS), "impact 2"));
        assert_string_equal(itsm_packet_text_of(p, ITSM_PT_STATUS), "in_progress");
        assert_string_equal(itsm_packet_text_of(p, ITSM_PT_SENDER), "ann");
        assert_string_equal(itsm_packet_text_of(p, ITSM_PT_SENDER_GROUP), "desk");
        assert_null(itsm_packet_text_of(p, ITSM_PT_RECEIVER));
        assert_int_equal(itsm_packet_count(p, ITSM_PL_ACTIONS), 1);
        assert_int_equal(itsm_packet_count(p, ITSM_PL_COMMUNICATIONS), 1);
        assert_int_equal(itsm_packet_count(p, ITSM_PL_ENGAGED_GROUPS), 1);
        itsm_packet_entry e = { .size = sizeof e };
        assert_ok(itsm_packet_at(p, ITSM_PL_COMMUNICATIONS, 0, &e));
        assert_string_equal(e.text, "we restarted the scheduler; rerun pending");
        assert_int_equal(e.at, T0 + 600);
        assert_int_equal(itsm_packet_next_update(p), T0 + 600 + 1800);
        assert_int_equal(itsm_packet_contact_verified(p), 1);
        assert_int_equal(itsm_packet_created_at(p), T0 + 600);
        itsm_packet_free(p);
    }
    fixture_close(&f);
}

/* "Current status and next update due" (DESIGN sections 6 and 9): a packet
 * carries the next update the engine tracks - the cadence from the first
 * response before any customer update, the promise of the last one after -
 * so a worked incident's receiver knows when the customer expects news. */
static void prefill_carries_the_next_update_due_the_engine_tracks(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *r = pm_incident(&f, "payroll", "batch", "payroll run fails");
    itsm_change u = { ITSM_F_URGENCY, NULL, 1 };   /* impact 2, urgency 1: P2, an update every hour */
    assert_ok(itsm_record_update(r, &u, 1));
    itsm_packet *p;
    assert_ok(itsm_packet_new(&p, r, ITSM_PACKET_SHIFT));
    assert_int_equal(itsm_packet_next_update(p), ITSM_TIME_NONE);   /* nobody responded yet */
    itsm_packet_free(p);
    f.clock.now += 300;
    pm_work(r, "desk", "ann");
    itsm_timer_info t = { .size = sizeof t };
    assert_ok(itsm_record_timer(&t, r, ITSM_TIMER_NEXT_UPDATE, f.clock.now));
    assert_int_equal(t.due, T0 + 300 + 3600);
    assert_ok(itsm_packet_new(&p, r, ITSM_PACKET_SHIFT));
    assert_int_equal(itsm_packet_next_update(p), T0 + 300 + 3600);
    int score;
    char missing[512];
    assert_ok(itsm_packet_completeness(&score, p, itsm_engine_policy(f.eng), missing, sizeof missing));
    assert_null(strstr(missing, "next_update"));
    itsm_packet_free(p);
    /* a customer update's promise replaces the cadence */
    itsm_note_opts n = ITSM_NOTE_OPTS_INIT;
    n.kind = ITSM_NOTE_CUSTOMER;
    n.text = "rerun scheduled";
    n.expected_restoration = f.clock.now + 7200;
    n.next_update = f.clock.now + 5400;
    assert_ok(itsm_record_add_note(r, &n));
    assert_ok(itsm_packet_new(&p, r, ITSM_PACKET_SHIFT));
    assert_int_equal(itsm_packet_next_update(p), T0 + 300 + 5400);
    itsm_packet_free(p);
    fixture_close(&f);
}

static void every_content_field_can_be_set_and_read(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *r = pm_incident(&f, "mail", "outage", "mail down");
    itsm_packet *p;
    assert_ok(itsm_packet_new(&p, r, ITSM_PACKET_TO_PROBLEM));
    for (int s = 0; s < ITSM_PT__COUNT; s++) {
        char v[32];
        snprintf(v, sizeof v, "slot %d", s);
        assert_ok(itsm_packet_set_text(p, (itsm_packet_text)s, v));
        assert_string_equal(itsm_packet_text_of(p, (itsm_packet_text)s), v);
    }
    assert_ok(itsm_packet_set_text(p, ITSM_PT_WHAT_IS_NOT, NULL));
    assert_null(itsm_packet_text_of(p, ITSM_PT_WHAT_IS_NOT));
    assert_int_equal(itsm_packet_set_text(p, ITSM_PT__COUNT, "x"), ITSM_EINVAL);
    assert_int_equal(itsm_packet_set_text(p, ITSM_PT_OBJECT, "bad \xff utf8"), ITSM_EINVAL);
    itsm_packet_entry plain = { sizeof(itsm_packet_entry), "the relay in rack 4", NULL, ITSM_TIME_NONE };
    assert_ok(itsm_packet_add(p, ITSM_PL_HYPOTHESES, &plain));
    assert_ok(itsm_packet_add(p, ITSM_PL_OTHER_PLACES, &plain));
    assert_ok(itsm_packet_add(p, ITSM_PL_IDENTICAL_THINGS, &plain));
    itsm_packet_entry bad = { sizeof(itsm_packet_entry), "x", "someone", ITSM_TIME_NONE };
    assert_int_equal(itsm_packet_add(p, ITSM_PL_HYPOTHESES, &bad), ITSM_EINVAL);
    itsm_packet_entry ownerless = { sizeof(itsm_packet_entry), "replace relay", NULL, ITSM_TIME_NONE };
    assert_int_equal(itsm_packet_add(p, ITSM_PL_OPEN_ACTIONS, &ownerless), ITSM_EINVAL);
    assert_non_null(strstr(itsm_packet_errmsg(p), "owner"));
    itsm_packet_entry act = { sizeof(itsm_packet_entry), "replace relay", "facilities", T0 + 86400 };
    assert_ok(itsm_packet_add(p, ITSM_PL_OPEN_ACTIONS, &act));
    itsm_packet_entry got = { .size = sizeof got };
    assert_ok(itsm_packet_at(p, ITSM_PL_OPEN_ACTIONS, 0, &got));
    assert_string_equal(got.who, "facilities");
    assert_int_equal(got.at, T0 + 86400);
    assert_ok(itsm_packet_clear(p, ITSM_PL_OPEN_ACTIONS));
    assert_int_equal(itsm_packet_count(p, ITSM_PL_OPEN_ACTIONS), 0);
    assert_ok(itsm_packet_set_next_update(p, T0 + 99));
    assert_int_equal(itsm_packet_next_update(p), T0 + 99);
    assert_ok(itsm_packet_set_contact_verified(p, 1));
    assert_int_equal(itsm_packet_contact_verified(p), 1);
    itsm_packet *c;
    assert_ok(itsm_packet_clone(&c, p));
    assert_true(itsm_packet_equal(p, c));
    assert_ok(itsm_packet_set_contact_verified(c, 0));
    assert_false(itsm_packet_equal(p, c));
    itsm_packet_free(c);
    itsm_packet_free(p);
    itsm_packet_free(NULL);
    fixture_close(&f);
}

static void completeness_scores_each_kind_against_its_checklist(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *bare = pm_incident(&f, "mail", "outage", "mail down");
    const itsm_policy *pol = itsm_engine_policy(f.eng);
    for (int k = ITSM_PACKET_SHIFT; k <= ITSM_PACKET_TO_OPERATIONS; k++) {
        itsm_packet *p;
        assert_ok(itsm_packet_new(&p, bare, (itsm_packet_kind)k));
        int score = -1;
        char missing[512];
        assert_ok(itsm_packet_completeness(&score, p, pol, missing, sizeof missing));
        assert_true(score >= 0 && score < 100);
        assert_true(strlen(missing) > 0);
        /* fill everything a checklist can ask for */
        for (int s = 0; s < ITSM_PT__COUNT; s++)
            if (!itsm_packet_text_of(p, (itsm_packet_text)s))
                assert_ok(itsm_packet_set_text(p, (itsm_packet_text)s, "filled"));
        itsm_packet_entry e = { sizeof(itsm_packet_entry), "x", NULL, ITSM_TIME_NONE }, o = { sizeof(itsm_packet_entry), "x", "owner", ITSM_TIME_NONE };
        for (int l = 0; l < ITSM_PL__COUNT; l++)
            assert_ok(itsm_packet_add(p, (itsm_packet_list)l, l == ITSM_PL_OPEN_ACTIONS ? &o : &e));
        assert_ok(itsm_packet_set_next_update(p, T0 + 60));
        assert_ok(itsm_packet_set_contact_verified(p, 1));
        assert_ok(itsm_packet_add_deliverable(p, "runbook", "proj", "ops", 1));
        assert_ok(itsm_packet_completeness(&score, p, pol, missing, sizeof missing));
        assert_int_equal(score, 100);
        assert_string_equal(missing, "");
        itsm_packet_free(p);
    }
    /* desk_to_major: exactly the listed gaps, and the score they leave */
    itsm_packet *p;
    assert_ok(itsm_packet_new(&p, bare, ITSM_PACKET_DESK_TO_MAJOR));
    int score;
    char missing[512];
    assert_ok(itsm_packet_completeness(&score, p, pol, missing, sizeof missing));
    assert_string_equal(missing, "defect actions engaged_groups contact_verified sender_group");
    assert_int_equal(score, 50);   /* 5 of 10: object, what_is, where_is, when_is, extent_is */
    itsm_packet_free(p);
    fixture_close(&f);
}

/* A text item counts only when it says something: blank text is the gap
 * the receiver would have to ask about (seed 001). */
static void blank_text_is_a_missing_checklist_item(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *bare = pm_incident(&f, "mail", "outage", "mail down");
    const itsm_policy *pol = itsm_engine_policy(f.eng);
    itsm_packet *p;
    assert_ok(itsm_packet_new(&p, bare, ITSM_PACKET_DESK_TO_MAJOR));
    int score;
    char missing[512];
    assert_ok(itsm_packet_set_text(p, ITSM_PT_DEFECT, ""));
    assert_ok(itsm_packet_set_text(p, ITSM_PT_WHAT_IS, " \t\n"));
    assert_ok(itsm_packet_completeness(&score, p, pol, missing, sizeof missing));
    assert_string_equal(missing, "defect what_is actions engaged_groups contact_verified sender_group");
    assert_int_equal(score, 40);   /* 4 of 10 */
    assert_ok(itsm_packet_set_text(p, ITSM_PT_DEFECT, " queue stuck "));
    assert_ok(itsm_packet_completeness(&score, p, pol, missing, sizeof missing));
    assert_string_equal(missing, "what_is actions engaged_groups contact_verified sender_group");
    assert_int_equal(score, 50);
    itsm_packet_free(p);
    fixture_close(&f);
}

static itsm_packet *to_change_from_json(const char *members)
{
    char doc[1024];
    snprintf(doc, sizeof doc, "{\"itsm_packet\":1,\"kind\":\"to_change\",\"record\":{\"id\":\"P1\",\"kind\":"
             "\"problem\"}%s%s}", *members ? "," : "", members);
    itsm_packet *p = NULL;
    itsm_parse_error err;
    int rc = itsm_packet_from_json(&p, doc, strlen(doc), NULL, NULL, &err);
    if (rc)
        fail_msg("%s: %s %s", doc, itsm_errname(rc), err.text);
    return p;
}

static const char *missing_of(itsm_policy *pol, const char *checklist, const char *members, char *buf, size_t cap)
{
    assert_ok(itsm_policy_set_handover_checklist(pol, ITSM_PACKET_TO_CHANGE, checklist));
    itsm_packet *p = to_change_from_json(members);
    int score = -1;
    assert_ok(itsm_packet_completeness(&score, p, pol, buf, cap));
    assert_int_equal(score, *buf ? 0 : 100);
    itsm_packet_free(p);
    return buf;
}

/* A list of blanks is as empty as none; so is an open action owned by
 * nobody in particular. */
static void blank_list_entries_are_missing_checklist_items(void **state)
{
    (void)state;
    itsm_policy *pol;
    assert_ok(itsm_policy_new_default(&pol, NULL));
    char m[ITSM_HANDOVER_ITEMS_MAX];
    static const char *const blanks[][2] = {
        { "hypotheses", "\"hypotheses\":[\" \\t\"]" },
        { "other_places", "\"other_places\":[\"\\n\"]" },
        { "identical_things", "\"identical_things\":[\"  \"]" },
        { "engaged_groups", "\"engaged_groups\":[\" \"]" },
        { "actions", "\"actions\":[{\"text\":\" \",\"by\":\"ann\"}]" },
        { "communications", "\"communications\":[{\"text\":\"\\r\\n\"}]" },
        { "open_actions", "\"open_actions\":[{\"text\":\" \",\"owner\":\"ops\"}]" },
        { "status", "\"status\":{\"current\":\" \"}" },
    };
    for (size_t i = 0; i < sizeof blanks / sizeof *blanks; i++)
        assert_string_equal(missing_of(pol, blanks[i][0], blanks[i][1], m, sizeof m), blanks[i][0]);
    /* one entry that says something is enough */
    assert_string_equal(missing_of(pol, "hypotheses engaged_groups", "\"hypotheses\":[\" \",\"the patch\"],"
                                   "\"engaged_groups\":[\"\\t\",\"ops\"]", m, sizeof m), "");
    itsm_policy_free(pol);
}

/* Names name someone: a blank receiver, sending group, deliverable owner
 * or approver, open action owner or answerer is refused wherever it is
 * given, so nothing blank is filed or matched as an identity. */
static void blank_names_are_refused_where_they_name_someone(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *r = pm_incident(&f, "mail", "outage", "mail down");
    itsm_packet *p;
    assert_ok(itsm_packet_new(&p, r, ITSM_PACKET_DESK_TO_MAJOR));
    static const itsm_packet_text names[] = { ITSM_PT_SENDER, ITSM_PT_SENDER_GROUP, ITSM_PT_RECEIVER,
                                              ITSM_PT_RECEIVER_GROUP };
    for (size_t i = 0; i < 4; i++) {
        assert_int_equal(itsm_packet_set_text(p, names[i], "  "), ITSM_EINVAL);
        assert_non_null(strstr(itsm_packet_errmsg(p), "cannot be blank: it names someone"));
        assert_null(itsm_packet_text_of(p, names[i]));
    }
    itsm_packet_entry o = { sizeof o, "check batch02", "  ", ITSM_TIME_NONE };
    assert_int_equal(itsm_packet_add(p, ITSM_PL_OPEN_ACTIONS, &o), ITSM_EINVAL);
    assert_int_equal(itsm_packet_count(p, ITSM_PL_OPEN_ACTIONS), 0);
    assert_int_equal(itsm_packet_add_deliverable(p, "runbook", "proj", " ", 1), ITSM_EINVAL);
    assert_int_equal(itsm_packet_add_deliverable(p, " ", "proj", "ops", 1), ITSM_EINVAL);
    assert_int_equal(itsm_packet_add_deliverable(p, "runbook", "  ", "ops", 1), ITSM_EINVAL);
    assert_int_equal(itsm_packet_deliverable_count(p), 0);

    /* the reader refuses what the setters do */
    static const char *const docs[] = {
        "\"receiver\":\" \"",
        "\"sender_group\":\"  \"",
        "\"open_actions\":[{\"text\":\"x\",\"owner\":\" \"}]",
        "\"deliverables\":[{\"name\":\"runbook\",\"owner\":\"p\",\"approver\":\" \",\"status\":\"pending\"}]",
    };
    for (size_t i = 0; i < 4; i++) {
        char doc[512];
        snprintf(doc, sizeof doc, "{\"itsm_packet\":1,\"kind\":\"to_change\",\"record\":{\"id\":\"P1\",\"kind\":"
                 "\"problem\"},%s}", docs[i]);
        itsm_packet *q = NULL;
        itsm_parse_error err;
        assert_int_equal(itsm_packet_from_json(&q, doc, strlen(doc), NULL, NULL, &err), ITSM_EPARSE);
        assert_non_null(strstr(err.text, "blank"));
        assert_null(q);
    }

    /* a blank answerer: refused, nothing filed under a blank name */
    assert_ok(itsm_packet_set_text(p, ITSM_PT_SENDER_GROUP, "desk"));
    assert_ok(itsm_packet_propose(p, f.eng));
    size_t stored = f.store.n;
    assert_fails(f.eng, itsm_packet_acknowledge(p, f.eng, "   "), ITSM_EINVAL, "'by' (who answers) cannot be blank");
    assert_int_equal(f.store.n, stored);
    assert_int_equal(itsm_quality_log_count(f.eng), 0);
    assert_int_equal(itsm_packet_state_of(p), ITSM_PACKET_PROPOSED);
    itsm_packet_free(p);
    fixture_close(&f);
}

/* A record refuses a blank assignee or group (a name of only spaces names
 * nobody), so a packet is never prefilled with a sender or sending group
 * the store could not replay: the refused update stores nothing. */
static void prefill_leaves_out_blank_names(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *r = pm_incident(&f, "mail", "outage", "mail down");
    size_t stored = f.store.n;
    itsm_change c[2] = { { ITSM_F_ASSIGNMENT_GROUP, " ", 0 }, { ITSM_F_ASSIGNEE, "  ", 0 } };
    assert_fails(f.eng, itsm_record_update(r, c, 2), ITSM_EINVAL, "cannot be blank");
    assert_int_equal(f.store.n, stored);
    itsm_packet *p;
    assert_ok(itsm_packet_new(&p, r, ITSM_PACKET_DESK_TO_MAJOR));
    const char *sender = itsm_packet_text_of(p, ITSM_PT_SENDER);
    assert_true(sender == NULL || sender[0] != ' ');
    assert_ok(itsm_packet_propose(p, f.eng));
    itsm_engine *e2 = pm_replay(&f.store);
    assert_int_equal(itsm_engine_handover_count(e2), 1);
    itsm_engine_free(e2);
    itsm_packet_free(p);
    fixture_close(&f);
}

/* snprintf-style (common.h): a missing list cut to the buffer is
 * ITSM_ELIMIT, never a cut name passed off as the list. */
static void a_missing_list_that_does_not_fit_is_a_limit_error(void **state)
{
    (void)state;
    itsm_policy *pol;
    assert_ok(itsm_policy_new_default(&pol, NULL));
    assert_ok(itsm_policy_set_handover_checklist(pol, ITSM_PACKET_TO_CHANGE,
        "object defect what_is what_is_not where_is where_is_not when_is when_is_not extent_is extent_is_not "
        "status next_update actions communications hypotheses other_places identical_things engaged_groups "
        "open_actions contact_verified deliverables sender_group receiver"));
    itsm_packet *p = to_change_from_json("");
    int score = -1;
    char m[ITSM_HANDOVER_ITEMS_MAX];
    assert_ok(itsm_packet_completeness(&score, p, pol, m, sizeof m));   /* every item missing: it fits */
    assert_int_equal(score, 0);
    assert_int_equal(strlen(m), ITSM_HANDOVER_ITEMS_MAX - 1);
    assert_int_equal(itsm_packet_completeness(&score, p, pol, m, sizeof m - 1), ITSM_ELIMIT);
    assert_int_equal(strlen(m), ITSM_HANDOVER_ITEMS_MAX - 2);
    score = -1;
    assert_int_equal(itsm_packet_completeness(&score, p, pol, m, 4), ITSM_ELIMIT);
    assert_int_equal(score, 0);
    assert_string_equal(m, "obj");
    assert_ok(itsm_packet_completeness(&score, p, pol, NULL, 0));   /* the score only */
    /* an empty list fits in one byte */
    assert_ok(itsm_policy_set_handover_checklist(pol, ITSM_PACKET_TO_CHANGE, ""));
    assert_ok(itsm_packet_completeness(&score, p, pol, m, 1));
    assert_string_equal(m, "");
    assert_int_equal(score, 100);
    itsm_packet_free(p);
    itsm_policy_free(pol);
}

static void shift_handover_moves_ownership_only_when_acknowledged(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *r = busy_incident(&f);
    itsm_packet *p;
    assert_ok(itsm_packet_new(&p, r, ITSM_PACKET_SHIFT));
    assert_ok(itsm_packet_set_text(p, ITSM_PT_RECEIVER, "bob"));
    assert_ok(itsm_packet_set_text(p, ITSM_PT_RECEIVER_GROUP, "major"));
    uint64_t rev = itsm_record_revision(r);
    f.clock.now += 60;
    assert_ok(itsm_packet_propose(p, f.eng));
    assert_int_equal(itsm_packet_state_of(p), ITSM_PACKET_PROPOSED);
    assert_int_equal(itsm_packet_seq(p), 1);
    assert_int_equal(itsm_packet_proposed_at(p), f.clock.now);
    assert_int_equal(itsm_record_revision(r), rev + 1);
    assert_string_equal(itsm_record_str(r, ITSM_F_ASSIGNEE), "ann");   /* not yet */
    assert_int_equal(itsm_packet_set_text(p, ITSM_PT_STATUS, "changed"), ITSM_ESTATE);
    assert_fails(f.eng, itsm_packet_propose(p, f.eng), ITSM_ESTATE, "proposed already");
    assert_fails(f.eng, itsm_packet_acknowledge(p, f.eng, "carl"), ITSM_EINVAL, "is for 'bob'");
    assert_string_equal(itsm_record_str(r, ITSM_F_ASSIGNEE), "ann");
    f.clock.now += 120;
    assert_ok(itsm_packet_acknowledge(p, f.eng, "bob"));
    assert_int_equal(itsm_packet_state_of(p), ITSM_PACKET_ACKNOWLEDGED);
    assert_string_equal(itsm_packet_decided_by(p), "bob");
    assert_int_equal(itsm_packet_decided_at(p), f.clock.now);
    assert_string_equal(itsm_record_str(r, ITSM_F_ASSIGNEE), "bob");
    assert_string_equal(itsm_record_str(r, ITSM_F_ASSIGNMENT_GROUP), "major");
    assert_int_equal(itsm_record_int(r, ITSM_F_REASSIGNMENTS), 1);
    assert_fails(f.eng, itsm_packet_acknowledge(p, f.eng, "bob"), ITSM_ESTATE, "already acknowledged");
    /* both steps are timestamped events in the store */
    const char *last = f.store.events[f.store.n - 1], *prev = f.store.events[f.store.n - 2];
    assert_non_null(strstr(prev, "\"type\":\"handover_propose\""));
    assert_non_null(strstr(last, "\"type\":\"handover_acknowledge\""));
    assert_non_null(strstr(last, "\"assignee\":\"bob\""));
    /* the engine's copy */
    itsm_packet *mine;
    assert_ok(itsm_engine_handover_find(&mine, f.eng, 1));
    assert_int_equal(itsm_packet_state_of(mine), ITSM_PACKET_ACKNOWLEDGED);
    assert_true(itsm_packet_equal(mine, p));
    itsm_packet_free(p);

    /* the engine's own handle can be acknowledged too (receiver elsewhere) */
    assert_ok(itsm_packet_new(&p, r, ITSM_PACKET_SHIFT));
    assert_ok(itsm_packet_propose(p, f.eng));
    itsm_packet *theirs;
    assert_ok(itsm_engine_handover_at(&theirs, f.eng, 1));
    assert_ok(itsm_packet_acknowledge(theirs, f.eng, "dora"));
    assert_string_equal(itsm_record_str(r, ITSM_F_ASSIGNEE), "dora");
    assert_int_equal(itsm_packet_state_of(p), ITSM_PACKET_PROPOSED);   /* the caller's copy is not told */
    assert_fails(f.eng, itsm_packet_acknowledge(p, f.eng, "dora"), ITSM_ESTATE, "already");
    itsm_packet_free(p);

    /* replay gives the same records and the same proposals */
    char *live = engine_dump(f.eng), *rep = replay_dump(&f.store);
    assert_string_equal(live, rep);
    itsm_engine *e2 = pm_replay(&f.store);
    char *a = pm_registry_dump(f.eng), *b = pm_registry_dump(e2);
    assert_string_equal(a, b);
    free(a);
    free(b);
    free(live);
    free(rep);
    itsm_engine_free(e2);
    fixture_close(&f);
}

static void desk_to_major_is_never_kicked_back_and_gaps_go_to_the_quality_log(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    const struct { const char *group; int complete; } sends[] = {
        { "desk-b", 0 }, { "desk-a", 0 }, { "desk-a", 1 }, { NULL, 0 },
    };
    for (size_t i = 0; i < 4; i++) {
        itsm_record *r = sends[i].complete ? busy_incident(&f) : pm_incident(&f, "mail", "outage", "mail down");
        itsm_packet *p;
        assert_ok(itsm_packet_new(&p, r, ITSM_PACKET_DESK_TO_MAJOR));
        assert_ok(itsm_packet_set_text(p, ITSM_PT_SENDER_GROUP, sends[i].group));
        if (sends[i].complete) {
            itsm_packet_entry e = { sizeof(itsm_packet_entry), "latency at the gateway", NULL, ITSM_TIME_NONE };
            assert_ok(itsm_packet_add(p, ITSM_PL_ENGAGED_GROUPS, &e));
            assert_ok(itsm_packet_set_text(p, ITSM_PT_EXTENT_IS, "all users"));
        }
        f.clock.now += 60;
        assert_ok(itsm_packet_propose(p, f.eng));
        assert_fails(f.eng, itsm_packet_reject(p, f.eng, "mim", "incomplete"), ITSM_ESTATE, "never kicked back");
        assert_int_equal(itsm_packet_state_of(p), ITSM_PACKET_PROPOSED);
        assert_ok(itsm_packet_acknowledge(p, f.eng, "mim"));
        assert_string_equal(itsm_record_str(r, ITSM_F_ASSIGNEE), "mim");
        itsm_packet_free(p);
    }
    assert_int_equal(itsm_quality_log_count(f.eng), 3);
    itsm_quality_entry q = { .size = sizeof q };
    assert_ok(itsm_quality_log_at(f.eng, 0, &q));
    assert_string_equal(q.sender_group, "desk-b");
    assert_int_equal(q.seq, 1);
    assert_true(q.score < 100);
    assert_non_null(strstr(q.missing, "contact_verified"));
    assert_int_equal(itsm_quality_log_at(f.eng, 3, &q), ITSM_EINVAL);

    char *rep = pm_report(f.eng, T0, T0 + 86400);
    /* groups by name (no group first), counts, missing items and the poor handovers */
    const char *nul = strstr(rep, "{\"group\":null,\"handovers\":1,\"poor\":1");
    const char *a = strstr(rep, "{\"group\":\"desk-a\",\"handovers\":2,\"poor\":1");
    const char *b = strstr(rep, "{\"group\":\"desk-b\",\"handovers\":1,\"poor\":1");
    if (!nul || !a || !b || !(nul < a && a < b))
        fail_msg("report: %s", rep);
    assert_non_null(strstr(rep, "\"record\":\"INC-000001\",\"seq\":1"));
    assert_non_null(strstr(rep, "\"contact_verified\":1"));
    free(rep);
    /* a period before the handovers is empty */
    rep = pm_report(f.eng, T0 - 100, T0 - 1);
    assert_non_null(strstr(rep, "\"groups\":[]"));
    free(rep);

    /* other kinds can be kicked back, with a reason */
    itsm_record *r = pm_incident(&f, "mail", "outage", "mail slow");
    itsm_packet *p;
    assert_ok(itsm_packet_new(&p, r, ITSM_PACKET_TO_PROBLEM));
    assert_ok(itsm_packet_propose(p, f.eng));
    assert_fails(f.eng, itsm_packet_reject(p, f.eng, "pm", ""), ITSM_EINVAL, "reason");
    assert_ok(itsm_packet_reject(p, f.eng, "pm", "no facts on where it is not"));
    assert_int_equal(itsm_packet_state_of(p), ITSM_PACKET_REJECTED);
    assert_int_equal(itsm_quality_log_count(f.eng), 3);
    itsm_packet_free(p);

    itsm_engine *e2 = pm_replay(&f.store);
    char *x = pm_registry_dump(f.eng), *y = pm_registry_dump(e2);
    assert_string_equal(x, y);
    assert_int_equal(itsm_quality_log_count(e2), 3);
    free(x);
    free(y);
    itsm_engine_free(e2);
    fixture_close(&f);
}

static itsm_packet *transition_packet(itsm_record *chg, int approve_mask)
{
    static const char *const names[3] = { "service desk knowledge documents", "monitoring", "training" };
    static const char *const approvers[3] = { "desk-lead", "ops-lead", "hr" };
    itsm_packet *p;
    assert_ok(itsm_packet_new(&p, chg, ITSM_PACKET_TO_OPERATIONS));
    assert_ok(itsm_packet_set_text(p, ITSM_PT_RECEIVER, "svc-manager"));
    for (int i = 0; i < 3; i++) {
        assert_ok(itsm_packet_add_deliverable(p, names[i], "project", approvers[i], i < 2));
        if (approve_mask & (1 << i))
            assert_ok(itsm_packet_set_deliverable_status(p, names[i], ITSM_DELIVERABLE_APPROVED, approvers[i]));
        else
            assert_ok(itsm_packet_set_deliverable_status(p, names[i], ITSM_DELIVERABLE_DELIVERED, "project"));
    }
    return p;
}

static void transition_gate_opens_only_with_every_required_approval_and_acceptance(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record_opts o = ITSM_RECORD_OPTS_INIT;
    o.kind = ITSM_KIND_CHANGE;
    itsm_change s = { ITSM_F_SUMMARY, "go-live of the new MES", 0 };
    o.fields = &s;
    o.nfields = 1;
    itsm_record *chg;
    assert_ok(itsm_record_open(&chg, f.eng, &o));

    itsm_packet *p = transition_packet(chg, 0);
    assert_int_equal(itsm_packet_set_deliverable_status(p, "monitoring", ITSM_DELIVERABLE_APPROVED, "someone"),
                     ITSM_EINVAL);
    assert_non_null(strstr(itsm_packet_errmsg(p), "appointed approver 'ops-lead'"));
    assert_int_equal(itsm_packet_add_deliverable(p, "monitoring", "x", "y", 1), ITSM_EEXISTS);
    assert_int_equal(itsm_packet_add_deliverable(p, "backup", "x", NULL, 1), ITSM_EINVAL);
    itsm_deliverable d = { .size = sizeof d };
    assert_ok(itsm_packet_deliverable_at(p, 1, &d));
    assert_string_equal(d.approver, "ops-lead");
    assert_int_equal(d.status, ITSM_DELIVERABLE_DELIVERED);
    itsm_packet_free(p);

    /* each missing required approval keeps the gate shut */
    static const char *const need[2] = { "service desk knowledge documents", "monitoring" };
    for (int missing = 0; missing < 2; missing++) {
        p = transition_packet(chg, 0x7 & ~(1 << missing));
        assert_ok(itsm_packet_propose(p, f.eng));
        assert_fails(f.eng, itsm_packet_acknowledge(p, f.eng, "svc-manager"), ITSM_ESTATE, need[missing]);
        assert_int_equal(itsm_packet_state_of(p), ITSM_PACKET_PROPOSED);
        assert_false(itsm_packet_gate_open(p));
        itsm_packet_free(p);
    }
    /* required approved, the optional one not: only the service manager may accept */
    p = transition_packet(chg, 0x3);
    assert_ok(itsm_packet_propose(p, f.eng));
    assert_false(itsm_packet_gate_open(p));
    assert_fails(f.eng, itsm_packet_acknowledge(p, f.eng, "ops-lead"), ITSM_EINVAL, "svc-manager");
    assert_false(itsm_packet_gate_open(p));
    assert_ok(itsm_packet_acknowledge(p, f.eng, "svc-manager"));
    assert_true(itsm_packet_gate_open(p));
    assert_null(itsm_record_str(chg, ITSM_F_ASSIGNEE));   /* a transition does not reassign the change */
    itsm_packet *mine;
    assert_ok(itsm_engine_handover_find(&mine, f.eng, itsm_packet_seq(p)));
    assert_true(itsm_packet_gate_open(mine));
    itsm_packet_free(p);
    fixture_close(&f);
}

static void acknowledge_failures_leave_everything_as_it_was(void **state)
{
    (void)state;
    /* store failure */
    fixture f;
    fixture_open(&f);
    itsm_record *r = busy_incident(&f);
    itsm_packet *p;
    assert_ok(itsm_packet_new(&p, r, ITSM_PACKET_DESK_TO_MAJOR));
    f.store.fail_at = f.store.appends + 1;
    char *d0 = engine_dump(f.eng);
    assert_fails(f.eng, itsm_packet_propose(p, f.eng), ITSM_ESTORE, "store");
    assert_int_equal(itsm_packet_state_of(p), ITSM_PACKET_DRAFT);
    assert_int_equal(itsm_engine_handover_count(f.eng), 0);
    char *d1 = engine_dump(f.eng);
    assert_string_equal(d0, d1);
    free(d0);
    free(d1);
    f.store.fail_at = 0;
    assert_ok(itsm_packet_propose(p, f.eng));
    d0 = engine_dump(f.eng);
    char *g0 = pm_registry_dump(f.eng);
    f.store.fail_at = f.store.appends + 1;
    assert_fails(f.eng, itsm_packet_acknowledge(p, f.eng, "mim"), ITSM_ESTORE, "store");
    assert_int_equal(itsm_packet_state_of(p), ITSM_PACKET_PROPOSED);
    d1 = engine_dump(f.eng);
    char *g1 = pm_registry_dump(f.eng);
    assert_string_equal(d0, d1);
    assert_string_equal(g0, g1);
    assert_int_equal(itsm_quality_log_count(f.eng), 0);
    f.store.fail_at = 0;
    assert_ok(itsm_packet_acknowledge(p, f.eng, "mim"));
    free(d0);
    free(d1);
    free(g0);
    free(g1);
    itsm_packet_free(p);
    fixture_close(&f);

    /* allocation failure N = 1, 2, ... while accepting */
    for (long n = 1;; n++) {
        failalloc fa = { 0, 0, 0, 0 };
        memstore st;
        memstore_init(&st);
        fixture g;
        g.clock.now = T0;
        g.eng = engine_over_failing(&st, &g.clock, NULL, &fa);
        r = pm_incident(&g, "mail", "outage", "mail down");
        assert_ok(itsm_packet_new(&p, r, ITSM_PACKET_DESK_TO_MAJOR));
        assert_ok(itsm_packet_propose(p, g.eng));
        char *b0 = engine_dump(g.eng), *h0 = pm_registry_dump(g.eng);
        fa.fail_at = fa.calls + n;
        int rc = itsm_packet_acknowledge(p, g.eng, "mim");
        fa.fail_at = 0;
        char *b1 = engine_dump(g.eng), *h1 = pm_registry_dump(g.eng);
        int done = rc == ITSM_OK;
        if (!done) {
            assert_int_equal(rc, ITSM_ENOMEM);
            assert_string_equal(b0, b1);
            assert_string_equal(h0, h1);
            assert_int_equal(itsm_packet_state_of(p), ITSM_PACKET_PROPOSED);
            assert_int_equal(itsm_quality_log_count(g.eng), 0);
        } else {
            assert_int_equal(itsm_quality_log_count(g.eng), 1);
            assert_string_equal(itsm_record_str(r, ITSM_F_ASSIGNEE), "mim");
        }
        free(b0);
        free(b1);
        free(h0);
        free(h1);
        itsm_packet_free(p);
        itsm_engine_free(g.eng);
        memstore_free(&st);
        assert_int_equal(fa.live, 0);
        if (done)
            break;
        assert_true(n < 200);
    }
}

/* An acknowledgement that moves the owner is proposed as a change of
 * assignee (and group), so it counts reassignments exactly as the same
 * change by itsm_record_update would, under every reassignment rule. */
static void acknowledgement_counts_reassignments_as_an_update_does_under_every_rule(void **state)
{
    (void)state;
    static const itsm_reassign_rule rules[] = { ITSM_REASSIGN_GROUP, ITSM_REASSIGN_GROUP_OR_ASSIGNEE,
                                                ITSM_REASSIGN_GROUP_CHANGE };
    /* receiver group: another group, the same group, none */
    static const char *const groups[] = { "major", "desk", NULL };
    for (size_t ru = 0; ru < sizeof rules / sizeof *rules; ru++) {
        for (size_t g = 0; g < sizeof groups / sizeof *groups; g++) {
            itsm_policy *pol;
            assert_ok(itsm_policy_new_default(&pol, NULL));
            assert_ok(itsm_policy_set_reassignment_rule(pol, rules[ru]));
            fixture a, b;
            for (int k = 0; k < 2; k++) {
                fixture *f = k ? &b : &a;
                fixture_open_with(f, pol, NULL);
            }
            itsm_policy_free(pol);
            itsm_record *ra = pm_incident(&a, "mail", "outage", "mail down");
            itsm_record *rb = pm_incident(&b, "mail", "outage", "mail down");
            pm_work(ra, "desk", "ann");
            pm_work(rb, "desk", "ann");
            int64_t before = itsm_record_int(ra, ITSM_F_REASSIGNMENTS);
            /* by acknowledgement */
            itsm_packet *p;
            assert_ok(itsm_packet_new(&p, ra, ITSM_PACKET_SHIFT));
            if (groups[g])
                assert_ok(itsm_packet_set_text(p, ITSM_PT_RECEIVER_GROUP, groups[g]));
            assert_ok(itsm_packet_propose(p, a.eng));
            assert_ok(itsm_packet_acknowledge(p, a.eng, "bob"));
            itsm_packet_free(p);
            /* by update: the same change */
            itsm_change ch[2] = { { ITSM_F_ASSIGNEE, "bob", 0 }, { ITSM_F_ASSIGNMENT_GROUP, groups[g], 0 } };
            assert_ok(itsm_record_update(rb, ch, groups[g] ? 2 : 1));
            if (itsm_record_int(ra, ITSM_F_REASSIGNMENTS) != itsm_record_int(rb, ITSM_F_REASSIGNMENTS))
                fail_msg("rule %d, receiver group %s: acknowledgement counts %lld, update %lld", (int)rules[ru],
                         groups[g] ? groups[g] : "(none)", (long long)itsm_record_int(ra, ITSM_F_REASSIGNMENTS),
                         (long long)itsm_record_int(rb, ITSM_F_REASSIGNMENTS));
            assert_string_equal(itsm_record_str(ra, ITSM_F_ASSIGNMENT_GROUP), itsm_record_str(rb, ITSM_F_ASSIGNMENT_GROUP));
            /* a move to another group counts one under every rule */
            if (g == 0)
                assert_int_equal(itsm_record_int(ra, ITSM_F_REASSIGNMENTS), before + 1);
            assert_replays_the_same(a.eng, &a.store);
            fixture_close(&a);
            fixture_close(&b);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(acknowledgement_counts_reassignments_as_an_update_does_under_every_rule),
        cmocka_unit_test(prefill_carries_fields_and_timeline_for_every_kind),
        cmocka_unit_test(prefill_carries_the_next_update_due_the_engine_tracks),
        cmocka_unit_test(every_content_field_can_be_set_and_read),
        cmocka_unit_test(completeness_scores_each_kind_against_its_checklist),
        cmocka_unit_test(blank_text_is_a_missing_checklist_item),
        cmocka_unit_test(blank_list_entries_are_missing_checklist_items),
        cmocka_unit_test(blank_names_are_refused_where_they_name_someone),
        cmocka_unit_test(prefill_leaves_out_blank_names),
        cmocka_unit_test(a_missing_list_that_does_not_fit_is_a_limit_error),
        cmocka_unit_test(shift_handover_moves_ownership_only_when_acknowledged),
        cmocka_unit_test(desk_to_major_is_never_kicked_back_and_gaps_go_to_the_quality_log),
        cmocka_unit_test(transition_gate_opens_only_with_every_required_approval_and_acceptance),
        cmocka_unit_test(acknowledge_failures_leave_everything_as_it_was),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
