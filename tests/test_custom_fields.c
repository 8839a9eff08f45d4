/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fields declared by the policy: a name, a type (enum with its values, int
 * with its range, time, ...), the kinds they apply to, required at open.
 * They work wherever a built-in field does - changes, guards (the closure
 * checklist too), routing and SLA rules by condition, report group-by and
 * filter, events, their JSON and replay - and a value of the wrong type or
 * out of range is refused with a message naming the field.
 */
#include "policy_check.h"
#include "byte_count.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- a policy with three custom fields ---- */

static const char *const tiers[] = { "gold", "silver" };

static itsm_field tier, seats, due;

/* Replace the first `from` in the heap string *s with `to`. */
static void replace(char **s, const char *from, const char *to)
{
    char *at = strstr(*s, from);
    assert_non_null(at);
    size_t n = strlen(*s) - strlen(from) + strlen(to) + 1;
    char *out = malloc(n);
    assert_non_null(out);
    snprintf(out, n, "%.*s%s%s", (int)(at - *s), *s, to, at + strlen(from));
    free(*s);
    *s = out;
}

/* The default policy, plus: tier (enum, incidents only, required when an
 * incident opens), seats (int 1..500), due (time); an "expedite" step
 * guarded by tier=gold; the closure checklist (confirm) asking for seats;
 * a gold SLA for gold incidents; gold incidents with 100 seats or more
 * routed to the gold desk. */
static itsm_policy *custom_policy(void)
{
    itsm_policy *p;
    assert_ok(itsm_policy_new_default(&p, NULL));
    /* The fields and the checklist through the document (a step's guard is
     * set once); the rest through the API. */
    char *doc = policy_doc(p);
    itsm_policy_free(p);
    replace(&doc, "\"lifecycles\":",
            "\"fields\":[{\"name\":\"tier\",\"type\":\"enum\",\"values\":[\"gold\",\"silver\"],"
            "\"kinds\":[\"incident\"],\"required\":[\"incident\"]},"
            "{\"name\":\"seats\",\"type\":\"int\",\"min\":1,\"max\":500},"
            "{\"name\":\"due\",\"type\":\"time\"}],\"lifecycles\":");
    replace(&doc, "\"event\":\"confirm\",\"to\":\"closed\",\"guard\":\"category resolution_code resolution_notes "
                  "assignee knowledge_decision\"",
            "\"event\":\"confirm\",\"to\":\"closed\",\"guard\":\"category resolution_code resolution_notes "
            "assignee knowledge_decision seats\"");
    itsm_parse_error err;
    if (itsm_policy_from_json(&p, doc, strlen(doc), NULL, NULL, &err))
        fail_msg("custom policy: %s", err.text);
    free(doc);
    assert_ok(itsm_policy_field(&tier, p, "tier"));
    assert_ok(itsm_policy_field(&seats, p, "seats"));
    assert_ok(itsm_policy_field(&due, p, "due"));

    assert_ok(itsm_policy_add_event(p, ITSM_KIND_INCIDENT, "expedite"));
    itsm_transition_def x = ITSM_TRANSITION_DEF_INIT;
    x.from = "assigned";
    x.event = "expedite";
    x.to = "in_progress";
    x.guard = "assignee tier=gold";
    x.stamp = "responded_at?";
    assert_ok(itsm_policy_add_transition(p, ITSM_KIND_INCIDENT, &x));

    itsm_sla_def g = ITSM_SLA_DEF_INIT;
    g.name = "gold";
    for (int i = 0; i < 5; i++) {
        g.response[i] = 600;
        g.resolution[i] = 3600;
    }
    assert_ok(itsm_policy_set_sla(p, &g));
    assert_ok(itsm_policy_add_sla_rule(p, "tier == 'gold'", "gold"));
    assert_ok(itsm_policy_add_route_when(p, "tier == 'gold' and seats >= 100", "gold_desk"));
    assert_int_equal(itsm_policy_check(p), 0);
    return p;
}

static itsm_record *open_incident(fixture *f, const char *id, const char *t, int64_t n)
{
    itsm_change ch[] = {
        { ITSM_F_SUMMARY, "Mail is down", 0 },
        { tier, t, 0 },
        { seats, NULL, n },
    };
    itsm_record_opts o = ITSM_RECORD_OPTS_INIT;
    o.kind = ITSM_KIND_INCIDENT;
    o.id = id;
    o.fields = ch;
    o.nfields = n ? 3 : 2;
    itsm_record *r;
    assert_ok(itsm_record_open(&r, f->eng, &o));
    return r;
}

/* ---- declaring ---- */

static void a_field_is_declared_once_and_found_by_name(void **state)
{
    (void)state;
    itsm_policy *p = custom_policy();
    assert_int_equal(itsm_policy_field_count(p), 3);
    assert_int_equal(tier, ITSM_F_CUSTOM_FIRST);
    assert_int_equal(due, ITSM_F_CUSTOM_FIRST + 2);
    itsm_field f;
    assert_ok(itsm_policy_field(&f, p, "seats"));
    assert_int_equal(f, seats);
    assert_ok(itsm_policy_field(&f, p, "priority"));   /* built-in fields too */
    assert_int_equal(f, ITSM_F_PRIORITY);
    assert_int_equal(itsm_policy_field(&f, p, "seat"), ITSM_ENOTFOUND);
    assert_string_equal(itsm_policy_field_name(p, due), "due");
    assert_int_equal(itsm_policy_field_type(p, tier), ITSM_TYPE_ENUM);
    assert_int_equal(itsm_policy_field_type(p, ITSM_F_IMPACT), ITSM_TYPE_INT);
    assert_null(itsm_policy_field_name(p, (itsm_field)(ITSM_F_CUSTOM_FIRST + 3)));
    itsm_field_def d = ITSM_FIELD_DEF_INIT;
    assert_ok(itsm_policy_field_def(&d, p, seats));
    assert_int_equal(d.min, 1);
    assert_int_equal(d.max, 500);
    assert_int_equal(itsm_policy_field_def(&d, p, ITSM_F_IMPACT), ITSM_EINVAL);

    /* Refusals name the problem. */
    itsm_field_def bad = ITSM_FIELD_DEF_INIT;
    bad.name = "priority";
    bad.type = ITSM_TYPE_TEXT;
    assert_int_equal(itsm_policy_add_field(p, &bad, NULL), ITSM_EEXISTS);
    assert_non_null(strstr(itsm_policy_errmsg(p), "'priority' already exists"));
    bad.name = "Tier 2";
    assert_int_equal(itsm_policy_add_field(p, &bad, NULL), ITSM_EINVAL);
    bad.name = "band";
    bad.type = ITSM_TYPE_INT;
    bad.min = 5;
    bad.max = 1;
    assert_int_equal(itsm_policy_add_field(p, &bad, NULL), ITSM_EINVAL);
    assert_non_null(strstr(itsm_policy_errmsg(p), "range 5..1 is empty"));
    bad.type = ITSM_TYPE_ENUM;
    assert_int_equal(itsm_policy_add_field(p, &bad, NULL), ITSM_EINVAL);
    assert_non_null(strstr(itsm_policy_errmsg(p), "an enum has 1..64 values"));
    bad.type = ITSM_TYPE_TEXT;
    bad.kinds = ITSM_REPORT_KIND(ITSM_KIND_PROBLEM);
    bad.required = ITSM_REPORT_KIND(ITSM_KIND_INCIDENT);
    assert_int_equal(itsm_policy_add_field(p, &bad, NULL), ITSM_EINVAL);
    assert_int_equal(itsm_policy_field_count(p), 3);

    /* An engine resolves the same names to the same handles. */
    fixture fx;
    fixture_open_with(&fx, p, NULL);
    assert_ok(itsm_engine_field(&f, fx.eng, "due"));
    assert_int_equal(f, due);
    assert_ok(itsm_engine_field(&f, fx.eng, "summary"));
    assert_int_equal(f, ITSM_F_SUMMARY);
    assert_int_equal(itsm_engine_field(&f, fx.eng, "nope"), ITSM_ENOTFOUND);
    fixture_close(&fx);
    itsm_policy_free(p);
}

static void a_policy_with_custom_fields_round_trips_through_json_byte_for_byte(void **state)
{
    (void)state;
    itsm_policy *p = custom_policy();
    char *doc = policy_doc(p);
    assert_non_null(strstr(doc, "\"fields\":[{\"name\":\"tier\",\"type\":\"enum\",\"values\":[\"gold\",\"silver\"],"
                                "\"kinds\":[\"incident\"],\"required\":[\"incident\"]},{\"name\":\"seats\",\"type\":"
                                "\"int\",\"min\":1,\"max\":500},{\"name\":\"due\",\"type\":\"time\"}]"));
    assert_non_null(strstr(doc, "\"rules\":[{\"when\":\"tier == 'gold'\",\"sla\":\"gold\"}]"));
    assert_non_null(strstr(doc, "{\"when\":\"tier == 'gold' and seats >= 100\",\"group\":\"gold_desk\"}"));
    itsm_policy *q;
    itsm_parse_error err;
    assert_ok(itsm_policy_from_json(&q, doc, strlen(doc), NULL, NULL, &err));
    char *again = policy_doc(q);
    assert_string_equal(doc, again);
    /* and a copy */
    itsm_policy *c;
    assert_ok(itsm_policy_clone(&c, q));
    char *copy = policy_doc(c);
    assert_string_equal(doc, copy);
    free(copy);
    itsm_policy_free(c);
    free(again);
    itsm_policy_free(q);
    free(doc);
    /* The default policy's document has no "fields" and no rules by condition. */
    assert_ok(itsm_policy_new_default(&q, NULL));
    doc = policy_doc(q);
    assert_null(strstr(doc, "\"fields\""));
    assert_null(strstr(doc, "\"when\""));
    free(doc);
    itsm_policy_free(q);
    itsm_policy_free(p);
}

static int parse_fails(const char *doc, const char *needle)
{
    itsm_policy *q = NULL;
    itsm_parse_error err;
    memset(&err, 0, sizeof err);
    int rc = itsm_policy_from_json(&q, doc, strlen(doc), NULL, NULL, &err);
    itsm_policy_free(q);
    if (rc == ITSM_OK || !strstr(err.text, needle))
        fail_msg("%s: got %s \"%s\", wanted a failure containing \"%s\"", doc, itsm_errname(rc), err.text, needle);
    return rc;
}

static void a_document_with_a_bad_field_is_refused_where_it_is_wrong(void **state)
{
    (void)state;
    assert_int_equal(parse_fails("{\"itsm_policy\":1,\"fields\":[{\"name\":\"tier\",\"type\":\"colour\"}]}",
                                 "'type' must be text, symbol, int, bool, time or enum"),
                     ITSM_EPARSE);
    parse_fails("{\"itsm_policy\":1,\"fields\":[{\"name\":\"seats\",\"type\":\"int\",\"min\":9,\"max\":1}]}",
                "range 9..1 is empty");
    parse_fails("{\"itsm_policy\":1,\"fields\":[{\"name\":\"seats\",\"type\":\"int\"}]}",
                "needs whole numbers 'min' and 'max'");
    parse_fails("{\"itsm_policy\":1,\"fields\":[{\"name\":\"t\",\"type\":\"text\",\"values\":[\"a\"]}]}",
                "only an enum field has 'values'");
    parse_fails("{\"itsm_policy\":1,\"fields\":[{\"name\":\"t\",\"type\":\"text\",\"kinds\":[\"ticket\"]}]}",
                "'kinds' must list record kinds");
    /* A condition naming an undeclared field, or a value an enum lacks. */
    parse_fails("{\"itsm_policy\":1,\"escalation\":{\"routing\":[{\"when\":\"tier == 'gold'\",\"group\":\"g\"}]}}",
                "tier");
    parse_fails("{\"itsm_policy\":1,\"fields\":[{\"name\":\"tier\",\"type\":\"enum\",\"values\":[\"gold\"]}],"
                "\"escalation\":{\"routing\":[{\"when\":\"tier == 'bronze'\",\"group\":\"g\"}]}}",
                "one of the field's values");
    parse_fails("{\"itsm_policy\":1,\"escalation\":{\"routing\":[{\"when\":\"priority == 1\",\"category\":\"x\","
                "\"group\":\"g\"}]}}",
                "not both");
}

/* ---- values ---- */

static void a_value_of_the_wrong_type_or_out_of_range_is_refused_naming_the_field(void **state)
{
    (void)state;
    itsm_policy *p = custom_policy();
    fixture f;
    fixture_open_with(&f, p, NULL);
    itsm_record_opts o = ITSM_RECORD_OPTS_INIT;
    o.kind = ITSM_KIND_INCIDENT;
    itsm_record *r;
    assert_fails(f.eng, itsm_record_open(&r, f.eng, &o), ITSM_EINVAL, "'tier' is required");   /* at open */
    r = open_incident(&f, "INC1", "silver", 40);
    uint64_t rev = itsm_record_revision(r);

    assert_fails(f.eng, itsm_record_set_int(r, seats, 501), ITSM_EINVAL, "seats");
    assert_fails(f.eng, itsm_record_set_int(r, seats, 0), ITSM_EINVAL, "seats");
    assert_fails(f.eng, itsm_record_set_str(r, seats, "many"), ITSM_EINVAL, "seats");
    assert_fails(f.eng, itsm_record_set_str(r, tier, "bronze"), ITSM_EINVAL, "tier");
    assert_fails(f.eng, itsm_record_set_int(r, tier, 1), ITSM_EINVAL, "tier");
    assert_fails(f.eng, itsm_record_set_int(r, due, (int64_t)1 << 50), ITSM_EINVAL, "due");
    assert_fails(f.eng, itsm_record_set_str(r, (itsm_field)(ITSM_F_CUSTOM_FIRST + 7), "x"), ITSM_EINVAL, "field");
    assert_int_equal(itsm_record_revision(r), rev);
    assert_int_equal(itsm_record_int(r, seats), 40);
    assert_string_equal(itsm_record_str(r, tier), "silver");

    /* tier applies to incidents only */
    itsm_change ch[] = { { ITSM_F_SUMMARY, "Recurring mail outages", 0 }, { tier, "gold", 0 } };
    o.kind = ITSM_KIND_PROBLEM;
    o.fields = ch;
    o.nfields = 2;
    assert_fails(f.eng, itsm_record_open(&r, f.eng, &o), ITSM_EINVAL, "tier");
    o.nfields = 1;
    assert_ok(itsm_record_open(&r, f.eng, &o));   /* and is not required there */
    assert_null(itsm_record_str(r, tier));
    assert_false(itsm_record_has(r, tier));
    fixture_close(&f);
    itsm_policy_free(p);
}

static void custom_fields_drive_a_guard_a_route_an_sla_and_the_closure_checklist(void **state)
{
    (void)state;
    itsm_policy *p = custom_policy();
    fixture f;
    fixture_open_with(&f, p, NULL);
    itsm_record *gold = open_incident(&f, "INC1", "gold", 250);
    itsm_record *small = open_incident(&f, "INC2", "gold", 20);
    itsm_record *silver = open_incident(&f, "INC3", "silver", 250);

    /* the route: gold with 100 seats or more */
    assert_string_equal(itsm_record_str(gold, ITSM_F_ASSIGNMENT_GROUP), "gold_desk");
    assert_null(itsm_record_str(small, ITSM_F_ASSIGNMENT_GROUP));
    assert_null(itsm_record_str(silver, ITSM_F_ASSIGNMENT_GROUP));

    /* the SLA: gold, chosen again when the tier changes */
    assert_string_equal(itsm_record_sla(gold), "gold");
    assert_string_equal(itsm_record_sla(small), "gold");
    assert_string_equal(itsm_record_sla(silver), "standard");
    assert_ok(itsm_record_set_str(silver, tier, "gold"));
    assert_string_equal(itsm_record_sla(silver), "gold");
    assert_ok(itsm_record_set_str(silver, tier, "silver"));
    assert_string_equal(itsm_record_sla(silver), "standard");

    /* the guard: only gold is expedited */
    itsm_change asg[] = { { ITSM_F_ASSIGNMENT_GROUP, "desk", 0 }, { ITSM_F_ASSIGNEE, "ana", 0 } };
    assert_ok(itsm_record_fire(silver, "assign", asg, 2));
    assert_fails(f.eng, itsm_record_fire(silver, "expedite", NULL, 0), ITSM_EGUARD, "tier");
    assert_ok(itsm_record_fire(small, "assign", asg, 2));
    assert_ok(itsm_record_fire(small, "expedite", NULL, 0));
    assert_string_equal(itsm_record_state(small), "in_progress");

    /* the closure checklist: confirm asks for seats */
    itsm_record *none = open_incident(&f, "INC4", "silver", 0);
    itsm_change res[] = { { ITSM_F_RESOLUTION_CODE, "fixed", 0 }, { ITSM_F_RESOLUTION_NOTES, "restarted", 0 },
                          { ITSM_F_CATEGORY, "email", 0 }, { ITSM_F_KNOWLEDGE_DECISION, "none_needed", 0 } };
    assert_ok(itsm_record_fire(none, "start", asg, 2));
    assert_ok(itsm_record_fire(none, "resolve", res, 4));
    assert_fails(f.eng, itsm_record_fire(none, "confirm", NULL, 0), ITSM_EGUARD, "seats");
    itsm_change s[] = { { seats, NULL, 3 } };
    assert_ok(itsm_record_fire(none, "confirm", s, 1));
    assert_string_equal(itsm_record_state(none), "closed");

    /* a condition on a record reads them too */
    int yes = 0;
    itsm_parse_error err;
    const char *c = "tier == 'gold' and seats > 100 and due == null";
    assert_ok(itsm_record_condition(&yes, gold, c, strlen(c), &err));
    assert_true(yes);
    fixture_close(&f);
    itsm_policy_free(p);
}

static void a_report_groups_and_filters_by_custom_fields(void **state)
{
    (void)state;
    itsm_policy *p = custom_policy();
    fixture f;
    fixture_open_with(&f, p, NULL);
    open_incident(&f, "INC1", "gold", 250);
    open_incident(&f, "INC2", "gold", 20);
    open_incident(&f, "INC3", "silver", 250);
    itsm_record *r = open_incident(&f, "INC4", "silver", 0);
    assert_ok(itsm_record_set_int(r, due, T0 + 86400));
    itsm_record_opts o = ITSM_RECORD_OPTS_INIT;
    o.kind = ITSM_KIND_PROBLEM;
    itsm_change ch[] = { { ITSM_F_SUMMARY, "Recurring", 0 } };
    o.fields = ch;
    o.nfields = 1;
    assert_ok(itsm_record_open(&r, f.eng, &o));

    itsm_report_opts ro = ITSM_REPORT_OPTS_INIT;
    ro.group_by = "tier";
    itsm_report *rep;
    assert_ok(itsm_report_new(&rep, f.eng, &ro));
    assert_string_equal(itsm_report_group_by(rep), "tier");
    assert_int_equal(itsm_report_group_count(rep), 3);
    itsm_report_group g = { .size = sizeof g };
    assert_ok(itsm_report_group_at(rep, 0, &g));
    assert_null(g.value);                 /* the problem: unset first */
    assert_int_equal(g.count, 1);
    assert_ok(itsm_report_group_at(rep, 1, &g));
    assert_string_equal(g.value, "gold");
    assert_int_equal(g.count, 2);
    assert_ok(itsm_report_group_at(rep, 2, &g));
    assert_string_equal(g.value, "silver");
    assert_int_equal(g.count, 2);
    size_t len = 0;
    itsm_report_to_json(rep, NULL, 0, &len);
    char *json = malloc(len + 1);
    assert_ok(itsm_report_to_json(rep, json, len + 1, &len));
    assert_non_null(strstr(json, "\"groups\":{\"field\":\"tier\",\"rows\":[{\"value\":null,\"count\":1,"));
    free(json);
    itsm_report_to_csv(rep, NULL, 0, &len);
    char *csv = malloc(len + 1);
    assert_ok(itsm_report_to_csv(rep, csv, len + 1, &len));
    assert_non_null(strstr(csv, "group_by,tier,,\r\ngroup,,count,1\r\n"));
    assert_non_null(strstr(csv, "group,gold,count,2\r\n"));
    free(csv);
    itsm_report_free(rep);

    /* filtered by one custom field, grouped by another (numbers by value) */
    ro.filter = "seats >= 20";
    ro.group_by = "seats";
    assert_ok(itsm_report_new(&rep, f.eng, &ro));
    assert_string_equal(itsm_report_filter(rep), "seats >= 20");
    assert_int_equal(itsm_report_total(rep), 3);
    assert_int_equal(itsm_report_group_count(rep), 2);
    assert_ok(itsm_report_group_at(rep, 0, &g));
    assert_string_equal(g.value, "20");
    assert_ok(itsm_report_group_at(rep, 1, &g));
    assert_string_equal(g.value, "250");
    assert_int_equal(g.count, 2);
    itsm_report_free(rep);

    ro.filter = NULL;
    ro.group_by = "due";
    assert_ok(itsm_report_new(&rep, f.eng, &ro));
    assert_int_equal(itsm_report_group_count(rep), 2);
    assert_ok(itsm_report_group_at(rep, 1, &g));
    assert_string_equal(g.value, "2026-03-03T09:00:00Z");
    itsm_report_free(rep);

    /* bad options: the message says what is wrong */
    ro.group_by = "colour";
    assert_fails(f.eng, itsm_report_new(&rep, f.eng, &ro), ITSM_ENOTFOUND, "colour");
    ro.group_by = NULL;
    ro.filter = "tier == 'bronze'";
    assert_fails(f.eng, itsm_report_new(&rep, f.eng, &ro), ITSM_EPARSE, "filter");
    /* options of version 1 have neither */
    itsm_report_opts v1;
    assert_ok(itsm_report_opts_init(&v1, 1));
    assert_ok(itsm_report_new(&rep, f.eng, &v1));
    assert_int_equal(itsm_report_group_count(rep), 0);
    assert_null(itsm_report_group_by(rep));
    itsm_report_free(rep);
    fixture_close(&f);
    itsm_policy_free(p);
}

/* ---- events and replay ---- */

static itsm_engine *replayed(const memstore *s, const itsm_policy *p, memstore *into, vclock *clock)
{
    itsm_engine *eng = engine_over(into, clock, p);
    for (size_t i = 0; i < s->n; i++) {
        itsm_parse_error err;
        int rc = itsm_engine_replay_json(eng, s->events[i], strlen(s->events[i]), &err);
        if (rc)
            fail_msg("replay of %s: %s (%s)", s->events[i], itsm_errname(rc), itsm_errmsg(eng));
    }
    return eng;
}

static void custom_values_replay_byte_for_byte(void **state)
{
    (void)state;
    itsm_policy *p = custom_policy();
    fixture f;
    fixture_open_with(&f, p, NULL);
    itsm_record *r = open_incident(&f, "INC1", "gold", 250);
    f.clock.now += 60;
    assert_ok(itsm_record_set_int(r, due, T0 + 7200));
    f.clock.now += 60;
    assert_ok(itsm_record_set_str(r, tier, NULL));
    assert_ok(itsm_record_set_str(r, tier, "silver"));
    assert_non_null(strstr(f.store.events[0], "\"tier\":\"gold\""));
    assert_non_null(strstr(f.store.events[0], "\"seats\":250"));
    assert_non_null(strstr(f.store.events[1], "\"due\":\"2026-03-02T11:00:00Z\""));

    memstore again;
    memstore_init(&again);
    again.check_revisions = 0;   /* it starts empty: the replayed history is not in it */
    vclock clock = f.clock;
    itsm_engine *eng = replayed(&f.store, p, &again, &clock);
    char *live = engine_dump(f.eng), *back = engine_dump(eng);
    assert_string_equal(live, back);
    assert_non_null(strstr(live, "tier=\"silver\""));
    assert_non_null(strstr(live, "seats=250"));
    /* The next step of both engines writes the same bytes. */
    itsm_record *b;
    assert_ok(itsm_record_find(&b, eng, "INC1"));
    f.clock.now += 60;
    clock.now = f.clock.now;
    assert_ok(itsm_record_set_int(r, seats, 7));
    assert_ok(itsm_record_set_int(b, seats, 7));
    assert_int_equal(again.n, 1);
    assert_string_equal(again.events[0], f.store.events[f.store.n - 1]);
    free(live);
    free(back);
    itsm_engine_free(eng);
    memstore_free(&again);

    /* A stored value the policy refuses is refused on replay, naming it. */
    static const struct { const char *from, *to, *needle; } bad[] = {
        { "\"seats\":250", "\"seats\":501", "seats" },
        { "\"seats\":250", "\"seats\":\"many\"", "seats" },
        { "\"tier\":\"gold\"", "\"tier\":\"bronze\"", "tier" },
    };
    const char *ev = f.store.events[0];
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
        const char *at = strstr(ev, bad[k].from);
        assert_non_null(at);
        char doc[8192];
        snprintf(doc, sizeof doc, "%.*s%s%s", (int)(at - ev), ev, bad[k].to, at + strlen(bad[k].from));
        itsm_engine_opts o = ITSM_ENGINE_OPTS_INIT;
        o.policy = p;
        assert_ok(itsm_engine_new(&eng, &o));
        itsm_parse_error err;
        int rc = itsm_engine_replay_json(eng, doc, strlen(doc), &err);
        if (rc != ITSM_EPARSE || !strstr(err.text, bad[k].needle))
            fail_msg("%s: %s \"%s\"", doc, itsm_errname(rc), err.text);
        assert_int_equal(itsm_engine_record_count(eng), 0);
        itsm_engine_free(eng);
    }
    fixture_close(&f);
    itsm_policy_free(p);
}

static void a_handover_packet_carries_the_custom_values(void **state)
{
    (void)state;
    itsm_policy *p = custom_policy();
    fixture f;
    fixture_open_with(&f, p, NULL);
    itsm_record *r = open_incident(&f, "INC1", "gold", 250);
    itsm_packet *pk;
    assert_ok(itsm_packet_new(&pk, r, ITSM_PACKET_DESK_TO_MAJOR));
    assert_string_equal(itsm_packet_text_of(pk, ITSM_PT_STATUS), "new; tier gold, seats 250");
    itsm_packet_free(pk);
    fixture_close(&f);
    itsm_policy_free(p);
}

/* ---- memory ---- */

/* Bytes 200 incidents take in an engine under `p`. */
static size_t bytes_for_records(const itsm_policy *p, int with_values)
{
    bytecount b = { 0 };
    itsm_allocator a = bytecount_allocator(&b);
    itsm_engine_opts o = ITSM_ENGINE_OPTS_INIT;
    o.policy = p;
    o.alloc = a;
    itsm_engine *eng;
    assert_ok(itsm_engine_new(&eng, &o));
    size_t before = b.live;
    for (int i = 0; i < 200; i++) {
        itsm_change ch[] = { { ITSM_F_SUMMARY, "Printer jam", 0 }, { ITSM_F_CATEGORY, "hardware", 0 },
                             { (itsm_field)(ITSM_F_CUSTOM_FIRST + 0), "gold", 0 } };
        itsm_record_opts ro = ITSM_RECORD_OPTS_INIT;
        ro.kind = ITSM_KIND_INCIDENT;
        ro.fields = ch;
        ro.nfields = with_values ? 3 : 2;
        itsm_record *r;
        assert_ok(itsm_record_open(&r, eng, &ro));
    }
    size_t used = b.live - before;
    itsm_engine_free(eng);
    assert_int_equal(b.live, 0);
    return used;
}

static void records_that_use_no_custom_field_take_no_more_memory(void **state)
{
    (void)state;
    itsm_policy *plain, *declared;
    assert_ok(itsm_policy_new_default(&plain, NULL));
    assert_ok(itsm_policy_new_default(&declared, NULL));
    itsm_field_def d = ITSM_FIELD_DEF_INIT;
    d.name = "tier";
    d.type = ITSM_TYPE_ENUM;
    d.values = tiers;
    d.nvalues = 2;
    assert_ok(itsm_policy_add_field(declared, &d, NULL));
    size_t a = bytes_for_records(plain, 0), b = bytes_for_records(declared, 0);
    assert_int_equal(a, b);
    /* Records that do use one pay for their values. */
    assert_true(bytes_for_records(declared, 1) > b);
    itsm_policy_free(plain);
    itsm_policy_free(declared);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_field_is_declared_once_and_found_by_name),
        cmocka_unit_test(a_policy_with_custom_fields_round_trips_through_json_byte_for_byte),
        cmocka_unit_test(a_document_with_a_bad_field_is_refused_where_it_is_wrong),
        cmocka_unit_test(a_value_of_the_wrong_type_or_out_of_range_is_refused_naming_the_field),
        cmocka_unit_test(custom_fields_drive_a_guard_a_route_an_sla_and_the_closure_checklist),
        cmocka_unit_test(a_report_groups_and_filters_by_custom_fields),
        cmocka_unit_test(custom_values_replay_byte_for_byte),
        cmocka_unit_test(a_handover_packet_carries_the_custom_values),
        cmocka_unit_test(records_that_use_no_custom_field_take_no_more_memory),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
