/* SPDX-License-Identifier: Apache-2.0 */
/* Service transition to operations (seed 004), as a practitioner walks
 * it through the public API: the checklist says what is delivered by whom
 * and who approved it, the service manager's acceptance is a dated
 * two-party step that changes nothing when refused, the latest
 * to_operations handover of a change - and only of that change - decides
 * its gate, and the gate survives a JSON hand-off and a replay; the
 * handover events keep the form docs/events.md shows, and replay takes
 * only a proposal about the record it is stored on. */
#include "pm_helpers.h"

/* A standard change for the new manufacturing system, scheduled to go live. */
static itsm_record *scheduled(fixture *f, const char *id)
{
    itsm_change c[] = { { ITSM_F_SUMMARY, "Introduce the core manufacturing system", 0 },
                        { ITSM_F_CHANGE_TYPE, "standard", 0 },
                        { ITSM_F_ASSIGNMENT_GROUP, "mes_project", 0 } };
    itsm_record_opts o = ITSM_RECORD_OPTS_INIT;
    o.kind = ITSM_KIND_CHANGE;
    o.id = id;
    o.fields = c;
    o.nfields = 3;
    itsm_record *r;
    assert_ok(itsm_record_open(&r, f->eng, &o));
    assert_ok(itsm_change_plan(r, f->clock.now + 86400, f->clock.now + 90000));
    assert_ok(itsm_record_fire(r, "schedule", NULL, 0));
    return r;
}

static int go_live(itsm_record *r)
{
    itsm_change a = { ITSM_F_ASSIGNEE, "pm_paula", 0 };
    return itsm_record_fire(r, "implement", &a, 1);
}

/* The checklist of the seed: knowledge documents for the service desk and
 * monitoring are required, the retrospective is not. With `approved` the
 * appointed approvers have approved both required ones. */
static itsm_packet *checklist(itsm_record *r, int approved)
{
    itsm_packet *p;
    assert_ok(itsm_packet_new(&p, r, ITSM_PACKET_TO_OPERATIONS));
    assert_ok(itsm_packet_set_text(p, ITSM_PT_SENDER, "pm_paula"));
    assert_ok(itsm_packet_set_text(p, ITSM_PT_RECEIVER, "sm_sven"));
    assert_ok(itsm_packet_add_deliverable(p, "service desk knowledge documents", "pm_paula", "desk_lead", 1));
    assert_ok(itsm_packet_add_deliverable(p, "monitoring", "ops_otto", "ops_lead", 1));
    assert_ok(itsm_packet_add_deliverable(p, "retrospective", "pm_paula", "pmo", 0));
    if (approved) {
        assert_ok(itsm_packet_set_deliverable_status(p, "service desk knowledge documents",
                                                     ITSM_DELIVERABLE_APPROVED, "desk_lead"));
        assert_ok(itsm_packet_set_deliverable_status(p, "monitoring", ITSM_DELIVERABLE_APPROVED, "ops_lead"));
    }
    return p;
}

static void read_deliverable(const itsm_packet *p, size_t i, itsm_deliverable *d)
{
    memset(d, 0, sizeof *d);
    d->size = sizeof *d;
    assert_ok(itsm_packet_deliverable_at(p, i, d));
}

/* "A checklist that describes what needs to be delivered by whom" with
 * "appointed approvers": each deliverable reads back with its owner,
 * approver and whether the gate waits for it, starts pending, and names
 * who approved it only while it is approved. */
static void a_deliverable_names_its_approval_only_while_approved(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *r = scheduled(&f, "CHG1");
    itsm_packet *p = checklist(r, 0);
    assert_int_equal(itsm_packet_deliverable_count(p), 3);
    static const char *const names[3] = { "service desk knowledge documents", "monitoring", "retrospective" };
    static const char *const owners[3] = { "pm_paula", "ops_otto", "pm_paula" };
    static const char *const approvers[3] = { "desk_lead", "ops_lead", "pmo" };
    for (size_t i = 0; i < 3; i++) {
        itsm_deliverable d;
        read_deliverable(p, i, &d);
        assert_string_equal(d.name, names[i]);
        assert_string_equal(d.owner, owners[i]);
        assert_string_equal(d.approver, approvers[i]);
        assert_int_equal(d.status, ITSM_DELIVERABLE_PENDING);
        assert_null(d.approved_by);
        assert_int_equal(d.required, i < 2);
    }
    itsm_deliverable d;
    assert_ok(itsm_packet_set_deliverable_status(p, "monitoring", ITSM_DELIVERABLE_DELIVERED, NULL));
    read_deliverable(p, 1, &d);
    assert_int_equal(d.status, ITSM_DELIVERABLE_DELIVERED);
    assert_string_equal(itsm_deliverable_status_name(d.status), "delivered");
    assert_null(d.approved_by);
    assert_ok(itsm_packet_set_deliverable_status(p, "monitoring", ITSM_DELIVERABLE_APPROVED, "ops_lead"));
    read_deliverable(p, 1, &d);
    assert_int_equal(d.status, ITSM_DELIVERABLE_APPROVED);
    assert_string_equal(d.approved_by, "ops_lead");
    /* The approver takes the approval back: no one approved it any more. */
    assert_ok(itsm_packet_set_deliverable_status(p, "monitoring", ITSM_DELIVERABLE_REJECTED, "ops_lead"));
    read_deliverable(p, 1, &d);
    assert_int_equal(d.status, ITSM_DELIVERABLE_REJECTED);
    assert_null(d.approved_by);
    char *json = pm_packet_json(p);
    assert_non_null(strstr(json, "{\"name\":\"monitoring\",\"owner\":\"ops_otto\",\"approver\":\"ops_lead\","
                                 "\"status\":\"rejected\",\"approved_by\":null,\"required\":true}"));
    free(json);
    /* An optional deliverable has an appointed approver too. */
    assert_int_equal(itsm_packet_set_deliverable_status(p, "retrospective", ITSM_DELIVERABLE_APPROVED, "pm_paula"),
                     ITSM_EINVAL);
    read_deliverable(p, 2, &d);
    assert_int_equal(d.status, ITSM_DELIVERABLE_PENDING);
    itsm_packet_free(p);
    fixture_close(&f);
}

/* The service manager accepts a day after the project proposed: both are
 * timestamped events on the change, the acceptance names who took the
 * service over, and the gate opens on the caller's packet, the engine's
 * copy and a clone alike. An optional deliverable still pending holds
 * nothing up. */
static void the_service_managers_acceptance_is_a_dated_second_step(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *r = scheduled(&f, "CHG1");
    itsm_packet *p = checklist(r, 1);
    uint64_t rev = itsm_record_revision(r);
    itsm_time proposed = f.clock.now;
    assert_ok(itsm_packet_propose(p, f.eng));
    assert_int_equal(itsm_packet_proposed_at(p), proposed);
    assert_int_equal(itsm_record_revision(r), rev + 1);
    assert_null(itsm_packet_decided_by(p));
    assert_int_equal(itsm_packet_decided_at(p), ITSM_TIME_NONE);
    assert_false(itsm_packet_gate_open(p));
    const char *ev = f.store.events[f.store.n - 1];
    assert_non_null(strstr(ev, "\"type\":\"handover_propose\""));
    assert_non_null(strstr(ev, "\"kind\":\"to_operations\""));
    assert_non_null(strstr(ev, "\"name\":\"service desk knowledge documents\""));

    f.clock.now += 86400;
    assert_ok(itsm_packet_acknowledge(p, f.eng, "sm_sven"));
    assert_int_equal(itsm_packet_state_of(p), ITSM_PACKET_ACKNOWLEDGED);
    assert_string_equal(itsm_packet_decided_by(p), "sm_sven");
    assert_int_equal(itsm_packet_decided_at(p), proposed + 86400);
    assert_int_equal(itsm_packet_proposed_at(p), proposed);
    assert_int_equal(itsm_record_revision(r), rev + 2);
    ev = f.store.events[f.store.n - 1];
    assert_non_null(strstr(ev, "\"type\":\"handover_acknowledge\""));
    assert_non_null(strstr(ev, "\"by\":\"sm_sven\""));
    assert_true(itsm_packet_gate_open(p));

    itsm_packet *mine;
    assert_ok(itsm_engine_handover_find(&mine, f.eng, itsm_packet_seq(p)));
    assert_true(itsm_packet_gate_open(mine));
    assert_string_equal(itsm_packet_decided_by(mine), "sm_sven");
    itsm_packet *copy;
    assert_ok(itsm_packet_clone(&copy, p));
    assert_int_equal(itsm_packet_state_of(copy), ITSM_PACKET_ACKNOWLEDGED);
    assert_true(itsm_packet_gate_open(copy));
    assert_true(itsm_packet_equal(copy, p));
    itsm_packet_free(copy);

    /* Accepted is final: not accepted again, not kicked back afterwards. */
    size_t stored = f.store.n;
    assert_fails(f.eng, itsm_packet_acknowledge(p, f.eng, "sm_sven"), ITSM_ESTATE, "already");
    assert_fails(f.eng, itsm_packet_reject(p, f.eng, "sm_sven", "changed my mind"), ITSM_ESTATE, "already");
    assert_int_equal(f.store.n, stored);
    assert_true(itsm_packet_gate_open(p));
    assert_ok(go_live(r));
    itsm_packet_free(p);
    fixture_close(&f);
}

/* A shut gate refuses the service manager's acceptance and changes
 * nothing: no event, the packet still proposed and undecided, its content
 * frozen (the service manager must get what was sent). He kicks it back
 * instead, and a kicked-back packet is not accepted later. */
static void a_refused_acceptance_changes_nothing_and_the_packet_can_only_go_back(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *r = scheduled(&f, "CHG1");
    itsm_packet *p = checklist(r, 0);
    assert_ok(itsm_packet_set_deliverable_status(p, "monitoring", ITSM_DELIVERABLE_APPROVED, "ops_lead"));
    assert_ok(itsm_packet_propose(p, f.eng));
    size_t stored = f.store.n;
    uint64_t rev = itsm_record_revision(r);
    f.clock.now += 3600;
    assert_fails(f.eng, itsm_packet_acknowledge(p, f.eng, "sm_sven"), ITSM_ESTATE,
                 "1 required deliverable is not approved: 'service desk knowledge documents' (pending, approver "
                 "'desk_lead')");
    assert_int_equal(f.store.n, stored);
    assert_int_equal(itsm_record_revision(r), rev);
    assert_int_equal(itsm_packet_state_of(p), ITSM_PACKET_PROPOSED);
    assert_null(itsm_packet_decided_by(p));
    assert_int_equal(itsm_packet_decided_at(p), ITSM_TIME_NONE);
    assert_false(itsm_packet_gate_open(p));

    /* The proposal is what the service manager judges: the checklist is frozen. */
    assert_int_equal(itsm_packet_set_deliverable_status(p, "service desk knowledge documents",
                                                        ITSM_DELIVERABLE_APPROVED, "desk_lead"),
                     ITSM_ESTATE);
    assert_int_equal(itsm_packet_add_deliverable(p, "support contacts", "pm_paula", "sm_sven", 1), ITSM_ESTATE);
    assert_int_equal(itsm_packet_set_text(p, ITSM_PT_RECEIVER, "someone_else"), ITSM_ESTATE);
    assert_int_equal(itsm_packet_deliverable_count(p), 3);
    itsm_deliverable d;
    read_deliverable(p, 0, &d);
    assert_int_equal(d.status, ITSM_DELIVERABLE_PENDING);

    assert_ok(itsm_packet_reject(p, f.eng, "sm_sven", "no knowledge documents for the service desk"));
    assert_int_equal(itsm_packet_state_of(p), ITSM_PACKET_REJECTED);
    assert_string_equal(itsm_packet_reason(p), "no knowledge documents for the service desk");
    assert_string_equal(itsm_packet_decided_by(p), "sm_sven");
    assert_int_equal(itsm_packet_decided_at(p), f.clock.now);
    assert_non_null(strstr(f.store.events[f.store.n - 1], "\"type\":\"handover_reject\""));
    stored = f.store.n;
    assert_fails(f.eng, itsm_packet_acknowledge(p, f.eng, "sm_sven"), ITSM_ESTATE, "rejected");
    assert_int_equal(f.store.n, stored);
    assert_false(itsm_packet_gate_open(p));
    assert_fails(f.eng, go_live(r), ITSM_EGUARD, "was rejected by 'sm_sven'");
    itsm_packet_free(p);
    fixture_close(&f);
}

/* The gate follows the change's latest to_operations handover: an
 * accepted one is superseded by a newer one the service manager kicks
 * back, and an accepted newer one opens it again. */
static void a_newer_rejected_handover_shuts_a_gate_an_older_one_opened(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *r = scheduled(&f, "CHG1");
    itsm_packet *p = checklist(r, 1);
    assert_ok(itsm_packet_propose(p, f.eng));
    assert_ok(itsm_packet_acknowledge(p, f.eng, "sm_sven"));
    itsm_packet *q = checklist(r, 1);
    assert_ok(itsm_packet_propose(q, f.eng));
    assert_ok(itsm_packet_reject(q, f.eng, "sm_sven", "the support contacts changed"));
    assert_true(itsm_packet_gate_open(p));   /* the older packet itself stays accepted */
    size_t stored = f.store.n;
    assert_fails(f.eng, go_live(r), ITSM_EGUARD,
                 "needs the operations gate open, but handover 2 of CHG1 was rejected by 'sm_sven': the support "
                 "contacts changed");
    assert_int_equal(f.store.n, stored);
    assert_string_equal(itsm_record_state(r), "scheduled");
    itsm_packet *s = checklist(r, 1);
    assert_ok(itsm_packet_propose(s, f.eng));
    assert_ok(itsm_packet_acknowledge(s, f.eng, "sm_sven"));
    assert_ok(go_live(r));
    assert_string_equal(itsm_record_state(r), "implementing");
    itsm_packet_free(p);
    itsm_packet_free(q);
    itsm_packet_free(s);
    assert_replays_the_same(f.eng, &f.store);
    fixture_close(&f);
}

/* Only a to_operations handover is the operations gate: a shift handover
 * on the same change, accepted after it, neither opens a shut gate nor
 * shuts an open one. */
static void other_handovers_on_the_change_leave_its_gate_alone(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *r = scheduled(&f, "CHG1");
    itsm_packet *gate = checklist(r, 1);
    assert_ok(itsm_packet_propose(gate, f.eng));
    itsm_packet *shift;
    assert_ok(itsm_packet_new(&shift, r, ITSM_PACKET_SHIFT));
    assert_ok(itsm_packet_set_text(shift, ITSM_PT_RECEIVER, "pm_pete"));
    assert_ok(itsm_packet_propose(shift, f.eng));
    assert_ok(itsm_packet_acknowledge(shift, f.eng, "pm_pete"));
    itsm_change a = { ITSM_F_ASSIGNEE, "pm_pete", 0 };
    assert_fails(f.eng, itsm_record_fire(r, "implement", &a, 1), ITSM_EGUARD,
                 "handover 1 of CHG1 waits for acknowledgement by 'sm_sven'");
    assert_ok(itsm_packet_acknowledge(gate, f.eng, "sm_sven"));
    itsm_packet_free(shift);
    assert_ok(itsm_packet_new(&shift, r, ITSM_PACKET_SHIFT));
    assert_ok(itsm_packet_set_text(shift, ITSM_PT_RECEIVER, "pm_paula"));
    assert_ok(itsm_packet_propose(shift, f.eng));
    assert_ok(itsm_packet_acknowledge(shift, f.eng, "pm_paula"));
    assert_ok(go_live(r));
    itsm_packet_free(shift);
    itsm_packet_free(gate);
    fixture_close(&f);
}

/* Each service passes its own gate: the service manager accepting one
 * change's service opens nothing for another change's. */
static void one_changes_accepted_handover_opens_no_other_gate(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *mes = scheduled(&f, "CHG1");
    itsm_record *wms = scheduled(&f, "CHG2");
    itsm_packet *a = checklist(mes, 1);
    itsm_packet *b = checklist(wms, 0);
    assert_ok(itsm_packet_propose(a, f.eng));
    assert_ok(itsm_packet_propose(b, f.eng));
    assert_ok(itsm_packet_acknowledge(a, f.eng, "sm_sven"));
    assert_fails(f.eng, go_live(wms), ITSM_EGUARD,
                 "handover 2 of CHG2 has 2 required deliverables not approved: 'service desk knowledge documents' "
                 "(pending, approver 'desk_lead'), 'monitoring' (pending, approver 'ops_lead')");
    assert_fails(f.eng, itsm_packet_acknowledge(b, f.eng, "sm_sven"), ITSM_ESTATE,
                 "2 required deliverables are not approved");
    assert_string_equal(itsm_record_state(wms), "scheduled");
    assert_ok(go_live(mes));
    itsm_packet_free(a);
    itsm_packet_free(b);
    fixture_close(&f);
}

/* The project fills the checklist in its own tool and sends it as JSON;
 * operations reads it back - every deliverable with owner, approver,
 * status and approval, in order - proposes it for the change and the
 * service manager's acceptance opens the gate. */
static void a_checklist_sent_as_json_opens_the_gate_once_accepted(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *r = scheduled(&f, "CHG1");
    itsm_packet *sent = checklist(r, 1);
    assert_ok(itsm_packet_set_deliverable_status(sent, "retrospective", ITSM_DELIVERABLE_DELIVERED, NULL));
    itsm_packet_entry support = { sizeof(itsm_packet_entry), "post go-live support for two weeks", "mes_project",
                                  f.clock.now + 14 * 86400 };
    assert_ok(itsm_packet_add(sent, ITSM_PL_OPEN_ACTIONS, &support));
    char *json = pm_packet_json(sent);
    itsm_packet *got = NULL;
    itsm_parse_error err;
    assert_ok(itsm_packet_from_json(&got, json, strlen(json), NULL, NULL, &err));
    assert_true(itsm_packet_equal(sent, got));
    assert_int_equal(itsm_packet_kind_of(got), ITSM_PACKET_TO_OPERATIONS);
    assert_string_equal(itsm_packet_record_id(got), "CHG1");
    assert_int_equal(itsm_packet_state_of(got), ITSM_PACKET_DRAFT);
    assert_int_equal(itsm_packet_deliverable_count(got), 3);
    for (size_t i = 0; i < 3; i++) {
        itsm_deliverable x, y;
        read_deliverable(sent, i, &x);
        read_deliverable(got, i, &y);
        assert_string_equal(x.name, y.name);
        assert_string_equal(x.owner, y.owner);
        assert_string_equal(x.approver, y.approver);
        assert_int_equal(x.status, y.status);
        assert_int_equal(x.required, y.required);
        if (x.approved_by)
            assert_string_equal(x.approved_by, y.approved_by);
        else
            assert_null(y.approved_by);
    }
    itsm_deliverable d;
    read_deliverable(got, 0, &d);
    assert_string_equal(d.approved_by, "desk_lead");
    read_deliverable(got, 2, &d);
    assert_int_equal(d.status, ITSM_DELIVERABLE_DELIVERED);
    itsm_packet_entry e = { .size = sizeof e };
    assert_ok(itsm_packet_at(got, ITSM_PL_OPEN_ACTIONS, itsm_packet_count(got, ITSM_PL_OPEN_ACTIONS) - 1, &e));
    assert_string_equal(e.who, "mes_project");
    assert_int_equal(e.at, f.clock.now + 14 * 86400);

    assert_ok(itsm_packet_propose(got, f.eng));
    assert_fails(f.eng, itsm_packet_acknowledge(got, f.eng, "pm_paula"), ITSM_EINVAL, "sm_sven");
    assert_ok(itsm_packet_acknowledge(got, f.eng, "sm_sven"));
    assert_true(itsm_packet_gate_open(got));
    assert_ok(go_live(r));
    free(json);
    itsm_packet_free(sent);
    itsm_packet_free(got);
    fixture_close(&f);
}

/* The default checklist asks who is engaged and what is still open: a
 * packet from a change with an assignment group, with an owned open
 * action for post go-live support, scores full. */
static void a_transition_packet_with_support_after_go_live_is_complete(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *r = scheduled(&f, "CHG1");
    itsm_packet *p = checklist(r, 0);
    int score = -1;
    char missing[ITSM_HANDOVER_ITEMS_MAX];
    assert_ok(itsm_packet_completeness(&score, p, itsm_engine_policy(f.eng), missing, sizeof missing));
    assert_string_equal(missing, "open_actions");
    assert_int_equal(score, 75);
    /* an open action nobody owns is none */
    itsm_packet_entry orphan = { sizeof(itsm_packet_entry), "post go-live support", NULL, ITSM_TIME_NONE };
    assert_int_equal(itsm_packet_add(p, ITSM_PL_OPEN_ACTIONS, &orphan), ITSM_EINVAL);
    itsm_packet_entry support = { sizeof(itsm_packet_entry), "post go-live support", "mes_project", ITSM_TIME_NONE };
    assert_ok(itsm_packet_add(p, ITSM_PL_OPEN_ACTIONS, &support));
    assert_ok(itsm_packet_completeness(&score, p, itsm_engine_policy(f.eng), missing, sizeof missing));
    assert_string_equal(missing, "");
    assert_int_equal(score, 100);
    itsm_packet_free(p);
    fixture_close(&f);
}

/* Another helpdesk node that replays the store sees the gate where it
 * was: shut while the handover waits, open once the service manager
 * accepted - and lets the change go live only then. */
static void a_replayed_store_keeps_the_gate_where_it_was(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *r = scheduled(&f, "CHG1");
    itsm_packet *p = checklist(r, 1);
    assert_ok(itsm_packet_propose(p, f.eng));

    for (int accepted = 0; accepted < 2; accepted++) {
        if (accepted) {
            f.clock.now += 600;
            assert_ok(itsm_packet_acknowledge(p, f.eng, "sm_sven"));
        }
        /* a second node on the same store */
        vclock c2 = f.clock;
        itsm_engine *e2 = engine_over(&f.store, &c2, NULL);
        replay_store_into(e2, &f.store);
        assert_int_equal(itsm_engine_handover_count(e2), 1);
        itsm_packet *seen;
        assert_ok(itsm_engine_handover_at(&seen, e2, 0));
        assert_int_equal(itsm_packet_kind_of(seen), ITSM_PACKET_TO_OPERATIONS);
        assert_true(itsm_packet_equal(seen, p));
        assert_int_equal(itsm_packet_gate_open(seen), accepted);
        assert_int_equal(itsm_packet_state_of(seen), accepted ? ITSM_PACKET_ACKNOWLEDGED : ITSM_PACKET_PROPOSED);
        itsm_record *there;
        assert_ok(itsm_record_find(&there, e2, "CHG1"));
        if (accepted) {
            assert_string_equal(itsm_packet_decided_by(seen), "sm_sven");
            assert_int_equal(itsm_packet_decided_at(seen), f.clock.now);
            assert_ok(go_live(there));
        } else {
            assert_fails(e2, go_live(there), ITSM_EGUARD, "handover 1 of CHG1 waits for acknowledgement by 'sm_sven'");
        }
        itsm_engine_free(e2);
    }
    itsm_packet_free(p);
    fixture_close(&f);
}

/* The store holds the transition as docs/events.md shows it: the proposal
 * carries the whole packet (its JSON form, which reads back equal), the
 * service manager's acceptance names him and moves nothing, a kick-back
 * names its reason. */
static void a_transition_is_stored_as_proposal_acceptance_and_kick_back(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    assert_ok(itsm_engine_set_actor(f.eng, "pm_paula"));
    itsm_change c = { ITSM_F_SUMMARY, "Introduce the core manufacturing system", 0 };
    itsm_record_opts o = ITSM_RECORD_OPTS_INIT;
    o.kind = ITSM_KIND_CHANGE;
    o.id = "CHG1";
    o.fields = &c;
    o.nfields = 1;
    itsm_record *r;
    assert_ok(itsm_record_open(&r, f.eng, &o));
    itsm_packet *p;
    assert_ok(itsm_packet_new(&p, r, ITSM_PACKET_TO_OPERATIONS));
    assert_ok(itsm_packet_set_text(p, ITSM_PT_RECEIVER, "sm_sven"));
    assert_ok(itsm_packet_add_deliverable(p, "service desk knowledge documents", "pm_paula", "desk_lead", 1));
    assert_ok(itsm_packet_set_deliverable_status(p, "service desk knowledge documents", ITSM_DELIVERABLE_APPROVED,
                                                 "desk_lead"));
    f.clock.now += 60;
    assert_ok(itsm_packet_propose(p, f.eng));
    f.clock.now += 86400;
    assert_ok(itsm_engine_set_actor(f.eng, "sm_sven"));
    assert_ok(itsm_packet_acknowledge(p, f.eng, "sm_sven"));
    itsm_packet *q;
    assert_ok(itsm_engine_set_actor(f.eng, "pm_paula"));
    assert_ok(itsm_packet_new(&q, r, ITSM_PACKET_TO_OPERATIONS));
    assert_ok(itsm_packet_set_text(q, ITSM_PT_RECEIVER, "sm_sven"));
    assert_ok(itsm_packet_add_deliverable(q, "monitoring", "ops_otto", "ops_lead", 1));
    assert_ok(itsm_packet_propose(q, f.eng));
    assert_ok(itsm_engine_set_actor(f.eng, "sm_sven"));
    assert_ok(itsm_packet_reject(q, f.eng, "sm_sven", "monitoring is not approved"));

    memstore_unchain(&f.store);
    const char *prop = memstore_find(&f.store, "\"type\":\"handover_propose\"");
    assert_string_equal(prop,
        "{\"v\":1,\"type\":\"handover_propose\",\"record\":\"CHG1\",\"kind\":\"change\",\"rev\":2,"
        "\"at\":\"2026-03-02T09:01:00Z\",\"actor\":\"pm_paula\",\"handover\":{\"seq\":1,\"score\":50,"
        "\"missing\":[\"engaged_groups\",\"open_actions\"],\"packet\":{\"itsm_packet\":1,\"kind\":\"to_operations\","
        "\"record\":{\"id\":\"CHG1\",\"kind\":\"change\"},\"created_at\":\"2026-03-02T09:00:00Z\","
        "\"sender\":\"pm_paula\",\"sender_group\":null,\"receiver\":\"sm_sven\",\"receiver_group\":null,"
        "\"problem_statement\":{\"object\":\"Introduce the core manufacturing system\",\"defect\":null},"
        "\"facts\":{\"what\":{\"is\":null,\"is_not\":null},\"where\":{\"is\":null,\"is_not\":null},"
        "\"when\":{\"is\":\"since 2026-03-02T09:00:00Z\",\"is_not\":null},\"extent\":{\"is\":null,\"is_not\":null}},"
        "\"status\":{\"current\":\"new\",\"next_update_due\":null},\"actions\":[],\"communications\":[],"
        "\"hypotheses\":[],\"other_places\":[],\"identical_things\":[],\"engaged_groups\":[],\"open_actions\":[],"
        "\"contact_verified\":false,\"deliverables\":[{\"name\":\"service desk knowledge documents\","
        "\"owner\":\"pm_paula\",\"approver\":\"desk_lead\",\"status\":\"approved\",\"approved_by\":\"desk_lead\","
        "\"required\":true}]}}}");
    assert_string_equal(memstore_find(&f.store, "\"type\":\"handover_acknowledge\""),
        "{\"v\":1,\"type\":\"handover_acknowledge\",\"record\":\"CHG1\",\"kind\":\"change\",\"rev\":3,"
        "\"at\":\"2026-03-03T09:01:00Z\",\"actor\":\"sm_sven\",\"handover\":{\"seq\":1,\"by\":\"sm_sven\"}}");
    assert_string_equal(memstore_find(&f.store, "\"type\":\"handover_reject\""),
        "{\"v\":1,\"type\":\"handover_reject\",\"record\":\"CHG1\",\"kind\":\"change\",\"rev\":5,"
        "\"at\":\"2026-03-03T09:01:00Z\",\"actor\":\"sm_sven\",\"handover\":{\"seq\":2,\"by\":\"sm_sven\","
        "\"reason\":\"monitoring is not approved\"}}");
    /* the proposal's packet is the packet's own JSON: it reads back equal */
    const char *pk = strstr(prop, "\"packet\":") + strlen("\"packet\":");
    size_t pklen = strlen(pk) - 2;   /* the handover's and the event's closing braces */
    char *own = pm_packet_json(p);
    assert_int_equal(pklen, strlen(own));
    assert_memory_equal(pk, own, pklen);
    itsm_packet *back;
    assert_ok(itsm_packet_from_json(&back, pk, pklen, NULL, NULL, NULL));
    assert_true(itsm_packet_equal(back, p));
    free(own);
    itsm_packet_free(back);
    itsm_packet_free(p);
    itsm_packet_free(q);
    fixture_close(&f);
}

/* A store is the truth: replay takes an acceptance as stored. Even so the
 * gate opens only over a proposed checklist whose required deliverables
 * are all approved; and an answer to a proposal that waits for none is
 * refused, with its position. */
static void a_replayed_acceptance_opens_no_gate_over_unapproved_deliverables(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *r = scheduled(&f, "CHG1");
    itsm_packet *p = checklist(r, 0);
    assert_ok(itsm_packet_propose(p, f.eng));
    char ack[512];
    snprintf(ack, sizeof ack,
             "{\"v\":1,\"type\":\"handover_acknowledge\",\"record\":\"CHG1\",\"kind\":\"change\",\"rev\":%llu,"
             "\"at\":\"2026-03-03T09:00:00Z\",\"actor\":\"sm_sven\",\"handover\":{\"seq\":1,\"by\":\"sm_sven\"}}",
             (unsigned long long)itsm_record_revision(r) + 1);
    itsm_engine *e2;
    assert_ok(itsm_engine_new(&e2, NULL));
    for (size_t i = 0; i < f.store.n; i++)
        assert_ok(itsm_engine_replay_json(e2, f.store.events[i], strlen(f.store.events[i]), NULL));
    itsm_parse_error err;
    assert_ok(itsm_engine_replay_json(e2, ack, strlen(ack), &err));
    itsm_packet *seen;
    assert_ok(itsm_engine_handover_at(&seen, e2, 0));
    assert_int_equal(itsm_packet_state_of(seen), ITSM_PACKET_ACKNOWLEDGED);
    assert_string_equal(itsm_packet_decided_by(seen), "sm_sven");
    assert_false(itsm_packet_gate_open(seen));
    itsm_record *there;
    assert_ok(itsm_record_find(&there, e2, "CHG1"));
    assert_fails(e2, go_live(there), ITSM_EGUARD,
                 "handover 1 of CHG1 has 2 required deliverables not approved: 'service desk knowledge documents' "
                 "(pending, approver 'desk_lead')");
    /* answered once: a second answer waits for nothing */
    char rej[512];
    snprintf(rej, sizeof rej,
             "{\"v\":1,\"type\":\"handover_reject\",\"record\":\"CHG1\",\"kind\":\"change\",\"rev\":%llu,"
             "\"at\":\"2026-03-03T09:00:00Z\",\"actor\":\"sm_sven\",\"handover\":{\"seq\":1,\"by\":\"sm_sven\","
             "\"reason\":\"late\"}}",
             (unsigned long long)itsm_record_revision(there) + 1);
    memset(&err, 0, sizeof err);
    assert_int_equal(itsm_engine_replay_json(e2, rej, strlen(rej), &err), ITSM_EPARSE);
    assert_non_null(strstr(err.text, "handover 1 of CHG1 is not waiting for an answer"));
    assert_int_equal(err.line, 1);
    assert_int_equal(err.column, (size_t)(strstr(rej, "\"seq\":1") - rej) + 7);
    assert_int_equal(itsm_packet_state_of(seen), ITSM_PACKET_ACKNOWLEDGED);
    itsm_engine_free(e2);
    itsm_packet_free(p);
    fixture_close(&f);
}

/* A proposal stored about a change carries a packet about that change:
 * replay refuses one whose packet names the record with another kind, as
 * proposing it would have been refused. */
static void replay_refuses_a_proposal_whose_packet_names_another_kind_of_record(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *r = scheduled(&f, "CHG1");
    itsm_packet *p = checklist(r, 1);
    assert_ok(itsm_packet_propose(p, f.eng));
    memstore_unchain(&f.store);
    const char *ev = f.store.events[f.store.n - 1];
    static const char said[] = "\"record\":{\"id\":\"CHG1\",\"kind\":\"change\"}";
    const char *at = strstr(ev, said);
    assert_non_null(at);
    char *forged = malloc(strlen(ev) + 16);
    sprintf(forged, "%.*s\"record\":{\"id\":\"CHG1\",\"kind\":\"problem\"}%s", (int)(at - ev), ev,
            at + strlen(said));
    itsm_engine *e2;
    assert_ok(itsm_engine_new(&e2, NULL));
    for (size_t i = 0; i + 1 < f.store.n; i++)
        assert_ok(itsm_engine_replay_json(e2, f.store.events[i], strlen(f.store.events[i]), NULL));
    itsm_parse_error err;
    memset(&err, 0, sizeof err);
    assert_int_equal(itsm_engine_replay_json(e2, forged, strlen(forged), &err), ITSM_EPARSE);
    assert_string_equal(err.text, "the packet names CHG1 as kind 'problem', but it is kind 'change'");
    assert_int_equal(err.column, (size_t)(strstr(forged, "\"packet\":") - forged) + strlen("\"packet\":") + 1);
    assert_int_equal(itsm_engine_handover_count(e2), 0);
    /* the event as stored replays */
    assert_ok(itsm_engine_replay_json(e2, ev, strlen(ev), NULL));
    assert_int_equal(itsm_engine_handover_count(e2), 1);
    free(forged);
    itsm_engine_free(e2);
    itsm_packet_free(p);
    fixture_close(&f);
}

/* Service transition is "the process where a product is transformed into
 * a service" and handed to operations (seed 004): the to_operations packet
 * is about a change going live. One about an incident or a service request
 * is refused when proposed (ITSM_EINVAL naming the kind; nothing stored,
 * the packet still a draft), as a desk_to_major one about anything but an
 * incident is; the same checklist on the change is proposed. */
static void a_to_operations_handover_is_of_a_change_going_live(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *inc = pm_incident(&f, "mes", "application", "the manufacturing system is down");
    itsm_change rc[] = { { ITSM_F_SUMMARY, "a licence for the new system", 0 } };
    itsm_record_opts o = ITSM_RECORD_OPTS_INIT;
    o.kind = ITSM_KIND_SERVICE_REQUEST;
    o.fields = rc;
    o.nfields = 1;
    itsm_record *req;
    assert_ok(itsm_record_open(&req, f.eng, &o));
    itsm_record *const wrong[2] = { inc, req };
    const char *const kinds[2] = { "is of kind incident", "is of kind service_request" };
    for (int i = 0; i < 2; i++) {
        itsm_packet *p = checklist(wrong[i], 1);
        size_t n = f.store.n;
        assert_fails(f.eng, itsm_packet_propose(p, f.eng), ITSM_EINVAL, kinds[i]);
        assert_int_equal(f.store.n, n);
        assert_int_equal(itsm_packet_state_of(p), ITSM_PACKET_DRAFT);
        assert_int_equal(itsm_engine_handover_count(f.eng), 0);
        itsm_packet_free(p);
    }
    itsm_packet *p = checklist(scheduled(&f, "CHG-MES"), 1);
    assert_ok(itsm_packet_propose(p, f.eng));
    itsm_packet_free(p);
    fixture_close(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_deliverable_names_its_approval_only_while_approved),
        cmocka_unit_test(a_to_operations_handover_is_of_a_change_going_live),
        cmocka_unit_test(the_service_managers_acceptance_is_a_dated_second_step),
        cmocka_unit_test(a_refused_acceptance_changes_nothing_and_the_packet_can_only_go_back),
        cmocka_unit_test(a_newer_rejected_handover_shuts_a_gate_an_older_one_opened),
        cmocka_unit_test(other_handovers_on_the_change_leave_its_gate_alone),
        cmocka_unit_test(one_changes_accepted_handover_opens_no_other_gate),
        cmocka_unit_test(a_checklist_sent_as_json_opens_the_gate_once_accepted),
        cmocka_unit_test(a_transition_packet_with_support_after_go_live_is_complete),
        cmocka_unit_test(a_replayed_store_keeps_the_gate_where_it_was),
        cmocka_unit_test(a_transition_is_stored_as_proposal_acceptance_and_kick_back),
        cmocka_unit_test(a_replayed_acceptance_opens_no_gate_over_unapproved_deliverables),
        cmocka_unit_test(replay_refuses_a_proposal_whose_packet_names_another_kind_of_record),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
