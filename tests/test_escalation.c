/* SPDX-License-Identifier: Apache-2.0 */
/* Functional and hierarchical escalation, routing, first-contact
 * resolution (DESIGN.md section 5). */
#include "sla/sla_support.h"

static itsm_policy *routed_policy(void)
{
    itsm_policy *p;
    assert_ok(itsm_policy_new_default(&p, NULL));
    assert_ok(itsm_policy_add_route(p, "network", NULL, "Network"));
    assert_ok(itsm_policy_add_route(p, "network", "Mail", "Messaging-Net"));
    assert_ok(itsm_policy_add_route(p, NULL, "Mail", "Messaging"));
    return p;
}

static itsm_record *open_cat(fixture *f, const char *category, const char *service)
{
    itsm_record *r;
    /* impact and urgency: a priority, which dispatching needs (seed 002) */
    itsm_change init[5] = { { ITSM_F_SUMMARY, "x", 0 }, { ITSM_F_CATEGORY, category, 0 },
                            { ITSM_F_SERVICE, service, 0 }, { ITSM_F_IMPACT, NULL, 2 }, { ITSM_F_URGENCY, NULL, 2 } };
    itsm_record_opts o = ITSM_RECORD_OPTS_INIT;
    o.fields = init;
    o.nfields = 5;
    assert_ok(itsm_record_open(&r, f->eng, &o));
    return r;
}

static void routing_assigns_the_right_group_first_time(void **state)
{
    (void)state;
    itsm_policy *p = routed_policy();
    fixture f;
    fixture_open_policy(&f, p);
    assert_string_equal(itsm_record_str(open_cat(&f, "network", "Mail"), ITSM_F_ASSIGNMENT_GROUP), "Messaging-Net");
    assert_string_equal(itsm_record_str(open_cat(&f, "network", "Web"), ITSM_F_ASSIGNMENT_GROUP), "Network");
    assert_string_equal(itsm_record_str(open_cat(&f, "printing", "Mail"), ITSM_F_ASSIGNMENT_GROUP), "Messaging");
    assert_null(itsm_record_str(open_cat(&f, "printing", "Web"), ITSM_F_ASSIGNMENT_GROUP));
    assert_replay_same(&f, p, T0);
    fixture_close(&f);
    itsm_policy_free(p);
}

/* Seed 003: record, then categorise "so that we pass it to the right
 * person first time". An incident logged without a category is routed by
 * the step that categorises it, while it has no group; a group someone
 * set stays, and so does one the categorising step sets itself. */
static void routing_assigns_an_incident_categorised_after_logging(void **state)
{
    (void)state;
    itsm_policy *p = routed_policy();
    fixture f;
    fixture_open_policy(&f, p);
    itsm_record *r = open_cat(&f, NULL, "Web");
    assert_null(itsm_record_str(r, ITSM_F_ASSIGNMENT_GROUP));
    assert_ok(itsm_record_set_str(r, ITSM_F_CATEGORY, "network"));
    assert_non_null(itsm_record_str(r, ITSM_F_ASSIGNMENT_GROUP));
    assert_string_equal(itsm_record_str(r, ITSM_F_ASSIGNMENT_GROUP), "Network");
    assert_int_equal(itsm_record_int(r, ITSM_F_REASSIGNMENTS), 0);   /* a first group, not a move */
    /* moved onto another service: the group it has stays */
    assert_ok(itsm_record_set_str(r, ITSM_F_SERVICE, "Mail"));
    assert_string_equal(itsm_record_str(r, ITSM_F_ASSIGNMENT_GROUP), "Network");
    /* logged with a service no route knows, then given one that routes */
    itsm_record *m = open_cat(&f, NULL, "Web");
    assert_ok(itsm_record_set_str(m, ITSM_F_SERVICE, "Mail"));
    assert_string_equal(itsm_record_str(m, ITSM_F_ASSIGNMENT_GROUP), "Messaging");
    /* a group set by hand is never replaced */
    itsm_record *h = open_cat(&f, NULL, "Web");
    assert_ok(itsm_record_set_str(h, ITSM_F_ASSIGNMENT_GROUP, "Desk"));
    assert_ok(itsm_record_set_str(h, ITSM_F_CATEGORY, "network"));
    assert_string_equal(itsm_record_str(h, ITSM_F_ASSIGNMENT_GROUP), "Desk");
    /* nor the one the categorising step gives */
    itsm_record *g = open_cat(&f, NULL, "Web");
    itsm_change both[2] = { { ITSM_F_CATEGORY, "network", 0 }, { ITSM_F_ASSIGNMENT_GROUP, "Desk", 0 } };
    assert_ok(itsm_record_update(g, both, 2));
    assert_string_equal(itsm_record_str(g, ITSM_F_ASSIGNMENT_GROUP), "Desk");
    /* a resolved incident (here resolved with its major incident while
     * still new) is not dispatched by a later categorisation */
    itsm_record *done = open_cat(&f, NULL, "Web");
    itsm_change fix[2] = { { ITSM_F_RESOLUTION_CODE, "fixed", 0 }, { ITSM_F_RESOLUTION_NOTES, "restored", 0 } };
    assert_ok(itsm_record_fire(done, "parent_resolved", fix, 2));
    assert_ok(itsm_record_set_str(done, ITSM_F_CATEGORY, "network"));
    assert_null(itsm_record_str(done, ITSM_F_ASSIGNMENT_GROUP));
    assert_replay_same(&f, p, T0);
    fixture_close(&f);
    itsm_policy_free(p);
}

/* Seed 003 categorises "all incidents, whether general requests or issues
 * to be fixed" to pass each to the right person first time: a service
 * request is routed as an incident is, at opening or when categorised;
 * problems, changes and articles are not (their owners are chosen). */
static void routing_sends_a_service_request_to_the_right_group_first_time(void **state)
{
    (void)state;
    itsm_policy *p = routed_policy();
    fixture f;
    fixture_open_policy(&f, p);
    itsm_change init[3] = { { ITSM_F_SUMMARY, "x", 0 }, { ITSM_F_CATEGORY, "network", 0 },
                            { ITSM_F_SERVICE, "Mail", 0 } };
    itsm_record_opts o = ITSM_RECORD_OPTS_INIT;
    o.kind = ITSM_KIND_SERVICE_REQUEST;
    o.fields = init;
    o.nfields = 3;
    itsm_record *q;
    assert_ok(itsm_record_open(&q, f.eng, &o));
    assert_string_equal(itsm_record_str(q, ITSM_F_ASSIGNMENT_GROUP), "Messaging-Net");
    /* logged first, categorised later */
    o.nfields = 1;
    itsm_record *later;
    assert_ok(itsm_record_open(&later, f.eng, &o));
    assert_null(itsm_record_str(later, ITSM_F_ASSIGNMENT_GROUP));
    assert_ok(itsm_record_set_str(later, ITSM_F_CATEGORY, "network"));
    assert_string_equal(itsm_record_str(later, ITSM_F_ASSIGNMENT_GROUP), "Network");
    /* a problem's owner is chosen, not routed */
    o.kind = ITSM_KIND_PROBLEM;
    o.nfields = 3;
    itsm_record *prb;
    assert_ok(itsm_record_open(&prb, f.eng, &o));
    assert_null(itsm_record_str(prb, ITSM_F_ASSIGNMENT_GROUP));
    assert_replay_same(&f, p, T0);
    fixture_close(&f);
    itsm_policy_free(p);
}

static void functional_escalation_needs_a_note_and_counts_a_reassignment(void **state)
{
    (void)state;
    itsm_policy *p = routed_policy();
    fixture f;
    fixture_open_policy(&f, p);
    itsm_record *r = open_cat(&f, "printing", "Web");
    start_work(r);
    uint64_t rev = itsm_record_revision(r);
    assert_fails(f.eng, itsm_record_escalate(r, 0, "Printing-L2", NULL), ITSM_EINVAL, "what was tried");
    assert_fails(f.eng, itsm_record_escalate(r, 0, "Printing-L2", ""), ITSM_EINVAL, "what was tried");
    assert_fails(f.eng, itsm_record_escalate(r, 0, "Printing-L2", " \n\t"), ITSM_EINVAL, "blank text says nothing");
    assert_fails(f.eng, itsm_record_escalate(r, 1, "Printing-L2", "rebooted"), ITSM_EINVAL, "must rise");
    assert_int_equal(itsm_record_revision(r), rev);
    assert_ok(itsm_record_escalate(r, 0, "Printing-L2", "rebooted the spooler"));
    assert_int_equal(itsm_record_int(r, ITSM_F_FUNCTIONAL_LEVEL), 2);
    assert_string_equal(itsm_record_str(r, ITSM_F_ASSIGNMENT_GROUP), "Printing-L2");
    assert_int_equal(itsm_record_int(r, ITSM_F_REASSIGNMENTS), 1);
    assert_non_null(strstr(f.store.events[f.store.n - 1], "\"tried\":\"rebooted the spooler\""));
    assert_ok(itsm_record_escalate(r, 3, "Vendor", "replaced the driver"));
    assert_int_equal(itsm_record_int(r, ITSM_F_REASSIGNMENTS), 2);
    assert_fails(f.eng, itsm_record_escalate(r, 0, NULL, "more"), ITSM_ELIMIT, "level 3");
    /* no group given: the routing table's */
    itsm_record *m = open_cat(&f, "printing", "Mail");
    assert_ok(itsm_record_escalate(m, 0, NULL, "checked the queue"));
    assert_string_equal(itsm_record_str(m, ITSM_F_ASSIGNMENT_GROUP), "Messaging");
    assert_replay_same(&f, p, T0);
    fixture_close(&f);
    itsm_policy_free(p);
}

/* DESIGN 5: escalating "counts a reassignment" - the record passes to
 * the next support level even when the group stays (the specialists sit
 * in the same group, or the routing table gives the group it has), or
 * when it gets its first group. Once per step, under every counter rule. */
static void escalating_counts_a_reassignment_even_when_the_group_stays(void **state)
{
    (void)state;
    static const itsm_reassign_rule rules[] = { ITSM_REASSIGN_GROUP, ITSM_REASSIGN_GROUP_OR_ASSIGNEE,
                                                ITSM_REASSIGN_GROUP_CHANGE };
    for (size_t i = 0; i < sizeof rules / sizeof rules[0]; i++) {
        itsm_policy *p = routed_policy();
        assert_ok(itsm_policy_set_reassignment_rule(p, rules[i]));
        fixture f;
        fixture_open_policy(&f, p);
        itsm_record *r = open_inc(&f, 2, 2, NULL);
        start_work(r);   /* Desk, no route; "group_change" counts this first group */
        int64_t before = itsm_record_int(r, ITSM_F_REASSIGNMENTS);
        assert_ok(itsm_record_escalate(r, 0, NULL, "checked the mail queue"));
        assert_string_equal(itsm_record_str(r, ITSM_F_ASSIGNMENT_GROUP), "Desk");
        assert_int_equal(itsm_record_int(r, ITSM_F_FUNCTIONAL_LEVEL), 2);
        assert_int_equal(itsm_record_int(r, ITSM_F_REASSIGNMENTS), before + 1);
        assert_non_null(strstr(f.store.events[f.store.n - 1], "\"reassignments\":"));
        /* a move of group in the same step still counts once */
        assert_ok(itsm_record_escalate(r, 3, "Vendor", "replaced the disk"));
        assert_int_equal(itsm_record_int(r, ITSM_F_REASSIGNMENTS), before + 2);
        /* the routing table's group, which the record already has */
        itsm_record *m = open_cat(&f, "printing", "Mail");
        assert_string_equal(itsm_record_str(m, ITSM_F_ASSIGNMENT_GROUP), "Messaging");
        assert_ok(itsm_record_escalate(m, 0, NULL, "restarted the spooler"));
        assert_string_equal(itsm_record_str(m, ITSM_F_ASSIGNMENT_GROUP), "Messaging");
        assert_int_equal(itsm_record_int(m, ITSM_F_REASSIGNMENTS), 1);
        /* a first group given by the escalation */
        itsm_record *n = open_cat(&f, "printing", "Web");
        assert_null(itsm_record_str(n, ITSM_F_ASSIGNMENT_GROUP));
        assert_ok(itsm_record_escalate(n, 0, "Printing-L2", "power-cycled the printer"));
        assert_int_equal(itsm_record_int(n, ITSM_F_REASSIGNMENTS), 1);
        itsm_change who = { ITSM_F_ASSIGNEE, "sam", 0 };
        assert_ok(itsm_record_fire(m, "start", &who, 1));
        resolve(m);
        assert_int_equal(itsm_record_int(m, ITSM_F_REASSIGNMENTS), 1);
        assert_false(itsm_record_first_contact_resolution(m));
        assert_replay_same(&f, p, T0);
        fixture_close(&f);
        itsm_policy_free(p);
    }
}

static void first_contact_resolution_is_derived(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *a = open_inc(&f, 2, 2, NULL), *b = open_inc(&f, 2, 2, NULL);
    start_work(a);
    start_work(b);
    assert_false(itsm_record_first_contact_resolution(a));
    resolve(a);
    assert_true(itsm_record_first_contact_resolution(a));
    assert_ok(itsm_record_escalate(b, 0, "L2", "tried a restart"));
    resolve(b);
    assert_false(itsm_record_first_contact_resolution(b));
    fixture_close(&f);
}

/* Escalating hands the work to the next support level: a resolved record
 * has none until it is reopened, so it is refused and changes nothing (its
 * first-contact resolution stands); reopened, it escalates. */
static void a_resolved_record_is_reopened_before_it_escalates(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *r = open_inc(&f, 2, 2, NULL);
    start_work(r);
    resolve(r);
    assert_true(itsm_record_first_contact_resolution(r));
    uint64_t rev = itsm_record_revision(r);
    size_t stored = f.store.n;
    assert_fails(f.eng, itsm_record_escalate(r, 0, "L2", "tried a restart"), ITSM_ESTATE, "reopen it");
    assert_int_equal(itsm_record_revision(r), rev);
    assert_int_equal(f.store.n, stored);
    assert_true(itsm_record_first_contact_resolution(r));
    assert_int_equal(itsm_record_int(r, ITSM_F_REASSIGNMENTS), 0);
    assert_ok(itsm_record_fire(r, "reopen", NULL, 0));
    assert_ok(itsm_record_escalate(r, 0, "L2", "tried a restart"));
    assert_int_equal(itsm_record_int(r, ITSM_F_FUNCTIONAL_LEVEL), 2);
    fixture_close(&f);
}

static void hierarchical_steps_by_hand_name_their_audience(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *r = open_inc(&f, 2, 2, NULL);
    assert_null(itsm_record_escalation_audience(r));
    assert_fails(f.eng, itsm_record_escalate_hierarchical(r, NULL), ITSM_EINVAL, "reason");
    assert_ok(itsm_record_escalate_hierarchical(r, "customer is a director"));
    assert_string_equal(itsm_record_escalation_audience(r), "team_lead");
    assert_non_null(strstr(f.store.events[f.store.n - 1], "\"reason\":\"manual\""));
    assert_ok(itsm_record_escalate_hierarchical(r, "still waiting"));
    assert_ok(itsm_record_escalate_hierarchical(r, "board asks"));
    assert_string_equal(itsm_record_escalation_audience(r), "head_of_it_services");
    uint64_t rev = itsm_record_revision(r);
    assert_fails(f.eng, itsm_record_escalate_hierarchical(r, "more"), ITSM_ELIMIT, "top of the escalation ladder");
    assert_int_equal(itsm_record_revision(r), rev);
    assert_replay_same(&f, NULL, T0);
    fixture_close(&f);
}

/* DESIGN 5: first-contact resolution = resolved at level 1 AND with no
 * reassignment; either one alone is not first contact. */
static void first_contact_resolution_needs_level_one_and_no_reassignment(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *lvl2 = open_inc(&f, 2, 2, NULL), *moved = open_inc(&f, 2, 2, NULL),
                *plain = open_inc(&f, 2, 2, NULL);
    start_work(lvl2);
    start_work(moved);
    start_work(plain);
    /* level 2 without any reassignment */
    assert_ok(itsm_record_set_int(lvl2, ITSM_F_FUNCTIONAL_LEVEL, 2));
    assert_int_equal(itsm_record_int(lvl2, ITSM_F_REASSIGNMENTS), 0);
    /* reassigned, still at level 1 */
    assert_ok(itsm_record_set_str(moved, ITSM_F_ASSIGNMENT_GROUP, "Desk-North"));
    assert_int_equal(itsm_record_int(moved, ITSM_F_REASSIGNMENTS), 1);
    assert_true(itsm_record_int(moved, ITSM_F_FUNCTIONAL_LEVEL) <= 1);   /* none counts as level 1 */
    resolve(lvl2);
    resolve(moved);
    assert_false(itsm_record_first_contact_resolution(lvl2));
    assert_false(itsm_record_first_contact_resolution(moved));
    /* an unresolved record is not a first-contact resolution yet */
    assert_false(itsm_record_first_contact_resolution(plain));
    resolve(plain);
    assert_true(itsm_record_first_contact_resolution(plain));
    fixture_close(&f);
}

/* DESIGN 5: the default ladder is team lead, service desk manager, head of
 * IT services; each step is an event naming its audience. */
static void default_ladder_steps_are_events_naming_each_rung(void **state)
{
    (void)state;
    static const char *const rungs[] = { "team_lead", "service_desk_manager", "head_of_it_services" };
    fixture f;
    fixture_open(&f);
    itsm_record *r = open_inc(&f, 2, 2, NULL);
    for (int i = 0; i < 3; i++) {
        size_t before = f.store.n;
        assert_ok(itsm_record_escalate_hierarchical(r, "customer chases"));
        assert_int_equal(f.store.n, before + 1);
        const char *ev = f.store.events[before];
        assert_non_null(strstr(ev, "\"escalation_step\""));
        char want[64];
        snprintf(want, sizeof want, "\"audience\":\"%s\"", rungs[i]);
        if (!strstr(ev, want))
            fail_msg("step %d: %s lacks %s", i + 1, ev, want);
        assert_string_equal(itsm_record_escalation_audience(r), rungs[i]);
        assert_int_equal(itsm_record_int(r, ITSM_F_HIERARCHICAL_LEVEL), i + 1);
    }
    assert_replay_same(&f, NULL, T0);
    fixture_close(&f);
}

static void a_warning_climbs_when_the_policy_says_so(void **state)
{
    (void)state;
    itsm_policy *p;
    assert_ok(itsm_policy_new_default(&p, NULL));
    const char *ladder[] = { "duty_manager", "cio" };
    assert_ok(itsm_policy_set_ladder(p, ladder, 2, 1, 1));
    fixture f;
    fixture_open_policy(&f, p);
    itsm_record *r = open_inc(&f, 1, 2, NULL);
    size_t n;
    f.clock.now = T0 + DAY;
    assert_ok(itsm_engine_tick(f.eng, T0 + DAY, &n));
    /* response warning, response breach, resolution warning climb; the top stops the rest */
    assert_int_equal(itsm_record_int(r, ITSM_F_HIERARCHICAL_LEVEL), 2);
    assert_string_equal(itsm_record_escalation_audience(r), "cio");
    assert_int_equal(count_events(&f.store, "escalation_step"), 2);
    assert_replay_same(&f, p, T0 + DAY);
    fixture_close(&f);
    itsm_policy_free(p);
}

/* An OLA breach climbs a step like an SLA breach (policy flag, default on). */
static void an_ola_breach_climbs_the_ladder(void **state)
{
    (void)state;
    for (int on = 1; on >= 0; on--) {
        itsm_policy *p;
        assert_ok(itsm_policy_new_default(&p, NULL));
        assert_ok(itsm_policy_set_ola(p, "Desk", 30 * MIN, NULL));
        if (!on)
            assert_ok(itsm_policy_set_ola_climb(p, 0));
        fixture f;
        fixture_open_policy(&f, p);
        itsm_record *r = open_inc(&f, 2, 2, NULL);   /* P3 business: nothing else due soon */
        start_work(r);
        size_t n;
        assert_ok(itsm_engine_tick(f.eng, T0 + 29 * MIN, &n));
        assert_int_equal(itsm_record_int(r, ITSM_F_HIERARCHICAL_LEVEL), 0);   /* an OLA warning never climbs */
        assert_ok(itsm_engine_tick(f.eng, T0 + 30 * MIN, &n));
        assert_int_equal(count_events(&f.store, "sla_breach"), 1);
        assert_int_equal(itsm_record_int(r, ITSM_F_HIERARCHICAL_LEVEL), on ? 1 : 0);
        assert_int_equal(count_events(&f.store, "escalation_step"), on ? 1 : 0);
        if (on) {
            assert_string_equal(itsm_record_escalation_audience(r), "team_lead");
            assert_non_null(strstr(f.store.events[f.store.n - 1], "\"reason\":\"breach\""));
        }
        assert_replay_same(&f, p, T0 + HOUR);
        fixture_close(&f);
        /* the policy document carries the flag both ways */
        char buf[16384];
        size_t len;
        assert_ok(itsm_policy_to_json(p, buf, sizeof buf, &len));
        assert_non_null(strstr(buf, on ? "\"climb_on_ola_breach\":true" : "\"climb_on_ola_breach\":false"));
        itsm_policy *q;
        assert_ok(itsm_policy_from_json(&q, buf, len, NULL, NULL, NULL));
        char buf2[16384];
        size_t len2;
        assert_ok(itsm_policy_to_json(q, buf2, sizeof buf2, &len2));
        assert_string_equal(buf, buf2);
        itsm_policy_free(q);
        itsm_policy_free(p);
    }
}

/* Whether escalation has routes is asked once per policy in force
 * (core/batch.c, itsm__policy_idle): a policy adopted later routes the
 * openings and categorisations after it, and one without routes again
 * routes none. */
static void a_policy_adopted_later_changes_the_routing(void **state)
{
    (void)state;
    itsm_policy *plain, *p = routed_policy();
    assert_ok(itsm_policy_new_default(&plain, NULL));
    fixture f;
    fixture_open_policy(&f, plain);
    assert_null(itsm_record_str(open_cat(&f, "network", "Web"), ITSM_F_ASSIGNMENT_GROUP));
    itsm_record *u = open_cat(&f, NULL, "Web");
    assert_ok(itsm_engine_adopt_policy(f.eng, p));
    assert_string_equal(itsm_record_str(open_cat(&f, "network", "Web"), ITSM_F_ASSIGNMENT_GROUP), "Network");
    assert_ok(itsm_record_set_str(u, ITSM_F_CATEGORY, "network"));
    assert_string_equal(itsm_record_str(u, ITSM_F_ASSIGNMENT_GROUP), "Network");
    assert_ok(itsm_engine_adopt_policy(f.eng, plain));
    assert_null(itsm_record_str(open_cat(&f, "network", "Web"), ITSM_F_ASSIGNMENT_GROUP));
    /* back to a version the engine knows (no capability hears of it) */
    assert_ok(itsm_engine_adopt_policy(f.eng, p));
    assert_string_equal(itsm_record_str(open_cat(&f, "network", "Web"), ITSM_F_ASSIGNMENT_GROUP), "Network");
    fixture_close(&f);
    itsm_policy_free(p);
    itsm_policy_free(plain);
}

/* Seed 002: "If a problem cannot be resolved at the Service Desk, it must
 * then be dispatched to the appropriate technical support partner. Prior
 * to disconnecting the customer, the Service Desk must assign the
 * appropriate priority to the incident": dispatching an incident with no
 * priority to level 2 is refused (ITSM_ESTATE naming it, nothing stored,
 * the level and group as they were); given impact and urgency, it goes. */
static void dispatching_an_incident_needs_its_priority_first(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_change init[2] = { { ITSM_F_SUMMARY, "payroll run fails", 0 }, { ITSM_F_ASSIGNMENT_GROUP, "Desk", 0 } };
    itsm_record_opts o = ITSM_RECORD_OPTS_INIT;
    o.fields = init;
    o.nfields = 2;
    itsm_record *r;
    assert_ok(itsm_record_open(&r, f.eng, &o));
    assert_int_equal(itsm_record_int(r, ITSM_F_PRIORITY), 0);
    size_t n = f.store.n;
    uint64_t rev = itsm_record_revision(r);
    assert_fails(f.eng, itsm_record_escalate(r, 0, "Payroll-L2", "restarted the scheduler"), ITSM_ESTATE,
                 "has no priority");
    assert_int_equal(f.store.n, n);
    assert_int_equal(itsm_record_revision(r), rev);
    assert_string_equal(itsm_record_str(r, ITSM_F_ASSIGNMENT_GROUP), "Desk");
    assert_true(itsm_record_int(r, ITSM_F_FUNCTIONAL_LEVEL) <= 1);
    itsm_change pr[2] = { { ITSM_F_IMPACT, NULL, 2 }, { ITSM_F_URGENCY, NULL, 1 } };
    assert_ok(itsm_record_update(r, pr, 2));
    assert_ok(itsm_record_escalate(r, 0, "Payroll-L2", "restarted the scheduler"));
    assert_int_equal(itsm_record_int(r, ITSM_F_FUNCTIONAL_LEVEL), 2);
    fixture_close(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(routing_assigns_the_right_group_first_time),
        cmocka_unit_test(dispatching_an_incident_needs_its_priority_first),
        cmocka_unit_test(routing_assigns_an_incident_categorised_after_logging),
        cmocka_unit_test(routing_sends_a_service_request_to_the_right_group_first_time),
        cmocka_unit_test(functional_escalation_needs_a_note_and_counts_a_reassignment),
        cmocka_unit_test(escalating_counts_a_reassignment_even_when_the_group_stays),
        cmocka_unit_test(first_contact_resolution_is_derived),
        cmocka_unit_test(a_resolved_record_is_reopened_before_it_escalates),
        cmocka_unit_test(hierarchical_steps_by_hand_name_their_audience),
        cmocka_unit_test(a_warning_climbs_when_the_policy_says_so),
        cmocka_unit_test(an_ola_breach_climbs_the_ladder),
        cmocka_unit_test(first_contact_resolution_needs_level_one_and_no_reassignment),
        cmocka_unit_test(default_ladder_steps_are_events_naming_each_rung),
        cmocka_unit_test(a_policy_adopted_later_changes_the_routing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
