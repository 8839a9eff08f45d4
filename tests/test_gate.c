/* SPDX-License-Identifier: Apache-2.0 */
/* The operations gate guards the lifecycle (seed 004): a to_operations
 * packet must have something to check, a shut gate names everything it
 * waits for, and going live needs a gate that is not shut. */
#include "change_policy.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A change ready to go live (scheduled) under the default policy. */
static itsm_record *scheduled(fixture *f, const char *id)
{
    itsm_change c[] = { { ITSM_F_SUMMARY, "New manufacturing system", 0 }, { ITSM_F_CHANGE_TYPE, "standard", 0 } };
    itsm_record_opts o = ITSM_RECORD_OPTS_INIT;
    o.kind = ITSM_KIND_CHANGE;
    o.id = id;
    o.fields = c;
    o.nfields = 2;
    itsm_record *r;
    assert_ok(itsm_record_open(&r, f->eng, &o));
    assert_ok(itsm_change_plan(r, f->clock.now + 86400, f->clock.now + 90000));
    assert_ok(itsm_record_fire(r, "schedule", NULL, 0));
    return r;
}

static itsm_packet *gate_packet(itsm_record *r, int approve_all)
{
    itsm_packet *p;
    assert_ok(itsm_packet_new(&p, r, ITSM_PACKET_TO_OPERATIONS));
    assert_ok(itsm_packet_set_text(p, ITSM_PT_RECEIVER, "sm_sven"));
    assert_ok(itsm_packet_add_deliverable(p, "knowledge documents", "pm_paula", "desk_lead", 1));
    assert_ok(itsm_packet_add_deliverable(p, "monitoring", "ops_otto", "ops_lead", 1));
    assert_ok(itsm_packet_add_deliverable(p, "retrospective", "pm_paula", "pmo", 0));
    assert_ok(itsm_packet_set_deliverable_status(p, "monitoring", ITSM_DELIVERABLE_DELIVERED, "ops_otto"));
    if (approve_all) {
        assert_ok(itsm_packet_set_deliverable_status(p, "knowledge documents", ITSM_DELIVERABLE_APPROVED, "desk_lead"));
        assert_ok(itsm_packet_set_deliverable_status(p, "monitoring", ITSM_DELIVERABLE_APPROVED, "ops_lead"));
    }
    return p;
}

static int implement(itsm_record *r)
{
    itsm_change a = { ITSM_F_ASSIGNEE, "pm_paula", 0 };
    return itsm_record_fire(r, "implement", &a, 1);
}

static void a_to_operations_packet_needs_a_required_deliverable(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *r = scheduled(&f, "CHG1");
    itsm_packet *p;
    assert_ok(itsm_packet_new(&p, r, ITSM_PACKET_TO_OPERATIONS));
    size_t stored = f.store.n;
    assert_fails(f.eng, itsm_packet_propose(p, f.eng), ITSM_EINVAL,
                 "a to_operations packet needs at least one required deliverable: its gate would open with nothing "
                 "to check");
    assert_ok(itsm_packet_add_deliverable(p, "retrospective", "pm_paula", "pmo", 0));
    assert_fails(f.eng, itsm_packet_propose(p, f.eng), ITSM_EINVAL, "needs at least one required deliverable");
    assert_int_equal(f.store.n, stored);
    assert_int_equal(itsm_packet_state_of(p), ITSM_PACKET_DRAFT);
    assert_int_equal(itsm_engine_handover_count(f.eng), 0);
    itsm_packet_free(p);
    fixture_close(&f);
}

static void a_shut_gate_names_every_outstanding_deliverable(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *r = scheduled(&f, "CHG1");
    itsm_packet *p = gate_packet(r, 0);
    assert_ok(itsm_packet_propose(p, f.eng));
    assert_fails(f.eng, itsm_packet_acknowledge(p, f.eng, "sm_sven"), ITSM_ESTATE,
                 "the operations gate stays shut: 2 required deliverables are not approved: 'knowledge documents' "
                 "(pending, approver 'desk_lead'), 'monitoring' (delivered, approver 'ops_lead')");
    assert_fails(f.eng, implement(r), ITSM_EGUARD,
                 "transition 'implement' from 'scheduled' needs the operations gate open, but handover 1 of CHG1 has "
                 "2 required deliverables not approved: 'knowledge documents' (pending, approver 'desk_lead'), "
                 "'monitoring' (delivered, approver 'ops_lead')");
    itsm_packet_free(p);
    fixture_close(&f);
}

/* Seed 004: the service manager accepts. A packet that names nobody would
 * let anyone - the change's implementer too - open the gate. */
static void a_to_operations_packet_needs_the_service_manager_as_receiver(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *r = scheduled(&f, "CHG1");
    itsm_packet *p = gate_packet(r, 1);
    assert_ok(itsm_packet_set_text(p, ITSM_PT_RECEIVER, NULL));
    assert_int_equal(itsm_packet_set_text(p, ITSM_PT_RECEIVER, "   "), ITSM_EINVAL);
    assert_non_null(strstr(itsm_packet_errmsg(p), "receiver cannot be blank"));
    size_t stored = f.store.n;
    assert_fails(f.eng, itsm_packet_propose(p, f.eng), ITSM_EINVAL,
                 "a to_operations packet needs its receiver, the service manager who accepts it into operations");
    assert_int_equal(f.store.n, stored);
    assert_int_equal(itsm_packet_state_of(p), ITSM_PACKET_DRAFT);
    assert_int_equal(itsm_engine_handover_count(f.eng), 0);
    assert_ok(itsm_packet_set_text(p, ITSM_PT_RECEIVER, "sm_sven"));
    assert_ok(itsm_packet_propose(p, f.eng));
    assert_fails(f.eng, itsm_packet_acknowledge(p, f.eng, "pm_paula"), ITSM_EINVAL,
                 "handover 1 is for 'sm_sven'; 'pm_paula' cannot answer it");
    assert_false(itsm_packet_gate_open(p));
    itsm_packet_free(p);
    fixture_close(&f);
}

/* More outstanding deliverables than a message holds: the refusal names
 * whole ones and counts the rest; the deliverables themselves are the
 * full list. */
static void a_shut_gate_names_whole_deliverables_and_counts_the_rest(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *r = scheduled(&f, "CHG1");
    itsm_packet *p;
    assert_ok(itsm_packet_new(&p, r, ITSM_PACKET_TO_OPERATIONS));
    assert_ok(itsm_packet_set_text(p, ITSM_PT_RECEIVER, "sm_sven"));
    for (int i = 0; i < 12; i++) {
        char name[80];
        snprintf(name, sizeof name, "deliverable %02d with a fairly long descriptive name, complete", i);
        assert_ok(itsm_packet_add_deliverable(p, name, "pm_paula", "ops_lead_with_a_long_name", 1));
    }
    assert_ok(itsm_packet_propose(p, f.eng));
    const char *checks[2];
    assert_fails(f.eng, itsm_packet_acknowledge(p, f.eng, "sm_sven"), ITSM_ESTATE,
                 "the operations gate stays shut: 12 required deliverables are not approved: 'deliverable 00 with "
                 "a fairly long descriptive name, complete' (pending, approver 'ops_lead_with_a_long_name'), ");
    char ack[1024];
    snprintf(ack, sizeof ack, "%s", itsm_errmsg(f.eng));
    assert_fails(f.eng, implement(r), ITSM_EGUARD,
                 "needs the operations gate open, but handover 1 of CHG1 has 12 required deliverables not approved: "
                 "'deliverable 00 with a fairly long descriptive name, complete' (pending, approver ");
    checks[0] = ack;
    checks[1] = itsm_errmsg(f.eng);
    for (int c = 0; c < 2; c++) {
        const char *m = checks[c];
        /* every entry named is whole, and the tail counts the others */
        size_t named = 0;
        for (const char *s = m; (s = strstr(s, ", complete' (pending, approver 'ops_lead_with_a_long_name')"));
             s++)
            named++;
        assert_true(named >= 2 && named < 12);
        char tail[64];
        snprintf(tail, sizeof tail, "'ops_lead_with_a_long_name'), ... and %zu more", 12 - named);
        size_t ml = strlen(m), tl = strlen(tail);
        assert_true(ml > tl);
        assert_string_equal(m + ml - tl, tail);
    }
    size_t outstanding = 0;
    for (size_t i = 0; i < itsm_packet_deliverable_count(p); i++) {
        itsm_deliverable d = { .size = sizeof d };
        assert_ok(itsm_packet_deliverable_at(p, i, &d));
        outstanding += d.required && d.status != ITSM_DELIVERABLE_APPROVED;
    }
    assert_int_equal(outstanding, 12);
    itsm_packet_free(p);
    fixture_close(&f);
}

static void going_live_needs_a_gate_that_is_not_shut(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    /* A change that hands nothing over has no gate to pass. */
    itsm_record *plain = scheduled(&f, "CHG0");
    assert_ok(implement(plain));

    itsm_record *r = scheduled(&f, "CHG1");
    itsm_packet *p = gate_packet(r, 1);
    assert_ok(itsm_packet_propose(p, f.eng));
    size_t stored = f.store.n;
    assert_fails(f.eng, implement(r), ITSM_EGUARD,
                 "transition 'implement' from 'scheduled' needs the operations gate open, but handover 1 of CHG1 "
                 "waits for acknowledgement by 'sm_sven'");
    assert_int_equal(f.store.n, stored);
    assert_ok(itsm_packet_reject(p, f.eng, "sm_sven", "no support contacts"));
    assert_fails(f.eng, implement(r), ITSM_EGUARD,
                 "needs the operations gate open, but handover 1 of CHG1 was rejected by 'sm_sven': no support "
                 "contacts");
    itsm_packet_free(p);
    p = gate_packet(r, 1);
    assert_ok(itsm_packet_propose(p, f.eng));
    assert_ok(itsm_packet_acknowledge(p, f.eng, "sm_sven"));
    assert_true(itsm_packet_gate_open(p));
    assert_ok(implement(r));
    assert_string_equal(itsm_record_state(r), "implementing");
    itsm_packet_free(p);
    assert_replays_the_same(f.eng, &f.store);
    fixture_close(&f);
}

static void gate_open_needs_an_acknowledged_handover_and_the_latest_counts(void **state)
{
    (void)state;
    itsm_policy *pol;
    assert_ok(itsm_policy_new_default(&pol, NULL));
    assert_ok(itsm_policy_add_event(pol, ITSM_KIND_CHANGE, "go_live"));
    itsm_transition_def t = ITSM_TRANSITION_DEF_INIT;
    t.from = "implementing";
    t.event = "go_live";
    t.to = "review";
    t.guard = "gate:open";
    assert_ok(itsm_policy_add_transition(pol, ITSM_KIND_CHANGE, &t));
    t.from = "review";
    t.guard = "gate:closed";
    assert_int_equal(itsm_policy_add_transition(pol, ITSM_KIND_CHANGE, &t), ITSM_EINVAL);
    assert_non_null(strstr(itsm_policy_errmsg(pol), "guard term 'gate:closed': 'gate:' takes 'open' (an acknowledged "
                                                    "to_operations handover) or 'not_shut'"));
    fixture f;
    change_fixture_open(&f, pol, NULL, NULL);
    itsm_record *r = scheduled(&f, "CHG1");
    assert_ok(implement(r));
    assert_fails(f.eng, itsm_record_fire(r, "go_live", NULL, 0), ITSM_EGUARD,
                 "transition 'go_live' from 'implementing' needs the operations gate open, but no to_operations "
                 "handover was proposed for CHG1");
    itsm_packet *p = gate_packet(r, 1);
    assert_ok(itsm_packet_propose(p, f.eng));
    assert_ok(itsm_packet_acknowledge(p, f.eng, "sm_sven"));
    itsm_packet_free(p);
    /* A newer handover supersedes the acknowledged one until answered. */
    p = gate_packet(r, 1);
    assert_ok(itsm_packet_propose(p, f.eng));
    assert_fails(f.eng, itsm_record_fire(r, "go_live", NULL, 0), ITSM_EGUARD, "handover 2 of CHG1 waits for "
                 "acknowledgement");
    assert_ok(itsm_packet_acknowledge(p, f.eng, "sm_sven"));
    assert_ok(itsm_record_fire(r, "go_live", NULL, 0));
    itsm_packet_free(p);
    fixture_close(&f);
    itsm_policy_free(pol);
}

/* Seed 004: "appointed approvers for all deliverables", and the receivers
 * approve what the project delivers - a deliverable its own owner approves
 * is no approval. Refused when added, and when a packet read from JSON is
 * proposed; nothing is stored. */
static void a_deliverable_is_approved_by_someone_other_than_its_owner(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *r = scheduled(&f, "CHG1");
    itsm_packet *p;
    assert_ok(itsm_packet_new(&p, r, ITSM_PACKET_TO_OPERATIONS));
    assert_int_equal(itsm_packet_add_deliverable(p, "runbook", "pm_paula", "pm_paula", 1), ITSM_EINVAL);
    assert_string_equal(itsm_packet_errmsg(p), "deliverable 'runbook': its approver must be someone other than its "
                        "owner 'pm_paula' (the receivers approve what the project delivers)");
    assert_int_equal(itsm_packet_deliverable_count(p), 0);
    assert_ok(itsm_packet_add_deliverable(p, "runbook", "pm_paula", "ops_lead", 1));
    itsm_packet_free(p);

    static const char doc[] =
        "{\"itsm_packet\":1,\"kind\":\"to_operations\",\"record\":{\"id\":\"CHG1\",\"kind\":\"change\"},"
        "\"receiver\":\"sm_sven\",\"deliverables\":[{\"name\":\"runbook\",\"owner\":\"pm_paula\","
        "\"approver\":\"pm_paula\",\"status\":\"approved\",\"approved_by\":\"pm_paula\",\"required\":true}]}";
    assert_ok(itsm_packet_from_json(&p, doc, sizeof doc - 1, NULL, NULL, NULL));
    size_t stored = f.store.n;
    assert_fails(f.eng, itsm_packet_propose(p, f.eng), ITSM_EINVAL,
                 "deliverable 'runbook': its approver must be someone other than its owner 'pm_paula'");
    assert_int_equal(f.store.n, stored);
    assert_int_equal(itsm_packet_state_of(p), ITSM_PACKET_DRAFT);
    assert_int_equal(itsm_engine_handover_count(f.eng), 0);
    itsm_packet_free(p);
    fixture_close(&f);
}

/* Seed 004: the receivers approve what the project delivers. The sender
 * hands the service over for the project; a deliverable she is the
 * appointed approver of - even one operations owns - would be the project
 * approving its own transition. Refused when proposed (the sender may be
 * set after the deliverable); nothing is stored. */
static void a_deliverable_is_not_approved_by_the_sender_of_its_handover(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *r = scheduled(&f, "CHG1");
    itsm_packet *p;
    assert_ok(itsm_packet_new(&p, r, ITSM_PACKET_TO_OPERATIONS));
    assert_ok(itsm_packet_set_text(p, ITSM_PT_RECEIVER, "sm_sven"));
    assert_ok(itsm_packet_add_deliverable(p, "knowledge documents", "pm_paula", "desk_lead", 1));
    assert_ok(itsm_packet_add_deliverable(p, "monitoring", "ops_otto", "pm_paula", 1));
    assert_ok(itsm_packet_set_deliverable_status(p, "knowledge documents", ITSM_DELIVERABLE_APPROVED, "desk_lead"));
    assert_ok(itsm_packet_set_deliverable_status(p, "monitoring", ITSM_DELIVERABLE_APPROVED, "pm_paula"));
    assert_ok(itsm_packet_set_text(p, ITSM_PT_SENDER, "pm_paula"));
    size_t stored = f.store.n;
    assert_fails(f.eng, itsm_packet_propose(p, f.eng), ITSM_EINVAL,
                 "deliverable 'monitoring': its approver 'pm_paula' is the packet's sender (the receivers approve "
                 "what the project delivers)");
    assert_int_equal(f.store.n, stored);
    assert_int_equal(itsm_packet_state_of(p), ITSM_PACKET_DRAFT);
    assert_int_equal(itsm_engine_handover_count(f.eng), 0);
    itsm_packet_free(p);

    /* The same checklist from its receivers proposes and opens the gate. */
    assert_ok(itsm_packet_new(&p, r, ITSM_PACKET_TO_OPERATIONS));
    assert_ok(itsm_packet_set_text(p, ITSM_PT_SENDER, "pm_paula"));
    assert_ok(itsm_packet_set_text(p, ITSM_PT_RECEIVER, "sm_sven"));
    assert_ok(itsm_packet_add_deliverable(p, "monitoring", "ops_otto", "ops_lead", 1));
    assert_ok(itsm_packet_set_deliverable_status(p, "monitoring", ITSM_DELIVERABLE_APPROVED, "ops_lead"));
    assert_ok(itsm_packet_propose(p, f.eng));
    assert_ok(itsm_packet_acknowledge(p, f.eng, "sm_sven"));
    assert_true(itsm_packet_gate_open(p));
    itsm_packet_free(p);
    assert_replays_the_same(f.eng, &f.store);
    fixture_close(&f);
}

/* The packet as JSON, malloc'd: a refused edit leaves it byte for byte. */
static char *packet_text(const itsm_packet *p)
{
    size_t len = 0;
    assert_int_equal(itsm_packet_to_json(p, NULL, 0, &len), ITSM_ELIMIT);
    char *buf = malloc(len + 1);
    assert_ok(itsm_packet_to_json(p, buf, len + 1, &len));
    return buf;
}

/* Seed 004: the checklist "describes what needs to be delivered by whom",
 * with "appointed approvers for all deliverables": the receivers approve
 * what the project delivers. Each status is the act of one party: the
 * owner delivers; the appointed approver approves or rejects; either takes
 * it back to pending (the owner to rework it, the approver to withdraw a
 * verdict). Anyone else, or no one named, is ITSM_EINVAL naming who may,
 * and the packet is unchanged. */
static void a_deliverable_is_delivered_by_its_owner_and_judged_by_its_approver(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *r = scheduled(&f, "CHG1");
    itsm_packet *p;
    assert_ok(itsm_packet_new(&p, r, ITSM_PACKET_TO_OPERATIONS));
    assert_ok(itsm_packet_set_text(p, ITSM_PT_SENDER, "pm_paula"));
    assert_ok(itsm_packet_set_text(p, ITSM_PT_RECEIVER, "sm_sven"));
    assert_ok(itsm_packet_add_deliverable(p, "monitoring", "ops_otto", "ops_lead", 1));
    static const struct {
        itsm_deliverable_status status;
        const char *by, *needle;
    } bad[] = {
        { ITSM_DELIVERABLE_DELIVERED, "ops_lead", "'monitoring' can only be delivered by its owner 'ops_otto'" },
        { ITSM_DELIVERABLE_DELIVERED, "pm_paula", "can only be delivered by its owner 'ops_otto'" },
        { ITSM_DELIVERABLE_REJECTED, "ops_otto", "'monitoring' can only be rejected by its appointed approver 'ops_lead'" },
        { ITSM_DELIVERABLE_REJECTED, "sm_sven", "can only be rejected by its appointed approver 'ops_lead'" },
        { ITSM_DELIVERABLE_APPROVED, "ops_otto", "can only be approved by its appointed approver 'ops_lead'" },
        { ITSM_DELIVERABLE_APPROVED, NULL, "can only be approved by its appointed approver 'ops_lead'" },
        { ITSM_DELIVERABLE_PENDING, "sm_sven",
          "'monitoring' can only be reset to pending by its owner 'ops_otto' or its appointed approver 'ops_lead'" },
    };
    /* refused from every status it can be in */
    static const struct { itsm_deliverable_status status; const char *by; } walk[] = {
        { ITSM_DELIVERABLE_DELIVERED, "ops_otto" }, { ITSM_DELIVERABLE_REJECTED, "ops_lead" },
        { ITSM_DELIVERABLE_PENDING, "ops_otto" },   { ITSM_DELIVERABLE_DELIVERED, "ops_otto" },
        { ITSM_DELIVERABLE_APPROVED, "ops_lead" },  { ITSM_DELIVERABLE_PENDING, "ops_lead" },
        { ITSM_DELIVERABLE_DELIVERED, "ops_otto" }, { ITSM_DELIVERABLE_APPROVED, "ops_lead" } };
    for (size_t w = 0; w <= sizeof walk / sizeof walk[0]; w++) {
        for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
            char *before = packet_text(p);
            int rc = itsm_packet_set_deliverable_status(p, "monitoring", bad[i].status, bad[i].by);
            if (rc != ITSM_EINVAL || !strstr(itsm_packet_errmsg(p), bad[i].needle))
                fail_msg("step %zu, bad %zu: got %s \"%s\", wanted ITSM_EINVAL containing \"%s\"", w, i,
                         itsm_errname(rc), itsm_packet_errmsg(p), bad[i].needle);
            char *after = packet_text(p);
            assert_string_equal(after, before);
            free(before);
            free(after);
        }
        if (w < sizeof walk / sizeof walk[0]) {
            assert_ok(itsm_packet_set_deliverable_status(p, "monitoring", walk[w].status, walk[w].by));
            itsm_deliverable d = { .size = sizeof d };
            assert_ok(itsm_packet_deliverable_at(p, 0, &d));
            assert_int_equal(d.status, walk[w].status);
        }
    }
    /* With no `by` the host records a status itself: all but approval,
     * whose approver the gate counts. */
    assert_ok(itsm_packet_set_deliverable_status(p, "monitoring", ITSM_DELIVERABLE_PENDING, NULL));
    assert_ok(itsm_packet_set_deliverable_status(p, "monitoring", ITSM_DELIVERABLE_DELIVERED, NULL));
    assert_ok(itsm_packet_set_deliverable_status(p, "monitoring", ITSM_DELIVERABLE_APPROVED, "ops_lead"));
    assert_ok(itsm_packet_propose(p, f.eng));
    assert_ok(itsm_packet_acknowledge(p, f.eng, "sm_sven"));
    assert_true(itsm_packet_gate_open(p));
    itsm_packet_free(p);
    fixture_close(&f);
}

/* Seed 004: the transition checklist says what is delivered by whom and
 * who accepts it. The default policy scores a to_operations packet on its
 * deliverables (each with owner and approver), its receiver (the service
 * manager), the engaged groups and the open actions. */
static void the_default_transition_checklist_asks_for_deliverables_and_the_service_manager(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    const itsm_policy *pol = itsm_engine_policy(f.eng);
    char buf[ITSM_HANDOVER_ITEMS_MAX];
    size_t len = 0;
    assert_ok(itsm_policy_handover_checklist(pol, ITSM_PACKET_TO_OPERATIONS, buf, sizeof buf, &len));
    assert_string_equal(buf, "engaged_groups open_actions deliverables receiver");
    itsm_record *r = scheduled(&f, "CHG1");
    itsm_packet *p;
    assert_ok(itsm_packet_new(&p, r, ITSM_PACKET_TO_OPERATIONS));
    int score = -1;
    char missing[ITSM_HANDOVER_ITEMS_MAX];
    assert_ok(itsm_packet_completeness(&score, p, pol, missing, sizeof missing));
    assert_string_equal(missing, "engaged_groups open_actions deliverables receiver");
    assert_int_equal(score, 0);
    assert_ok(itsm_packet_add_deliverable(p, "knowledge documents", "pm_paula", "desk_lead", 1));
    assert_ok(itsm_packet_set_text(p, ITSM_PT_RECEIVER, "sm_sven"));
    assert_ok(itsm_packet_completeness(&score, p, pol, missing, sizeof missing));
    assert_string_equal(missing, "engaged_groups open_actions");
    assert_int_equal(score, 50);
    itsm_packet_free(p);
    fixture_close(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_to_operations_packet_needs_a_required_deliverable),
        cmocka_unit_test(a_shut_gate_names_every_outstanding_deliverable),
        cmocka_unit_test(a_to_operations_packet_needs_the_service_manager_as_receiver),
        cmocka_unit_test(a_shut_gate_names_whole_deliverables_and_counts_the_rest),
        cmocka_unit_test(going_live_needs_a_gate_that_is_not_shut),
        cmocka_unit_test(gate_open_needs_an_acknowledged_handover_and_the_latest_counts),
        cmocka_unit_test(a_deliverable_is_approved_by_someone_other_than_its_owner),
        cmocka_unit_test(a_deliverable_is_not_approved_by_the_sender_of_its_handover),
        cmocka_unit_test(a_deliverable_is_delivered_by_its_owner_and_judged_by_its_approver),
        cmocka_unit_test(the_default_transition_checklist_asks_for_deliverables_and_the_service_manager),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
