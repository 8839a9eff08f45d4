/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The conformance report (itsm/conformance.h): a store written under a
 * permissive process, checked against the default incident lifecycle.
 */
#include "support.h"
#include "kit/json.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A permissive incident process: every state from any open state, no
 * guards, a way out of closed, and a state the default does not know. */
static itsm_policy *permissive(void)
{
    static const char *const states[] = { "new", "triage", "assigned", "in_progress", "on_hold",
                                          "resolved", "closed", "canceled" };
    itsm_policy *p;
    assert_ok(itsm_policy_new_empty(&p, NULL));
    for (size_t i = 0; i < 8; i++)
        assert_ok(itsm_policy_add_state(p, ITSM_KIND_INCIDENT, states[i],
                                        i == 0 ? ITSM_STATE_INITIAL : i >= 6 ? ITSM_STATE_CLOSED : 0));
    for (size_t i = 1; i < 8; i++) {
        char ev[32];
        snprintf(ev, sizeof ev, "to_%s", states[i]);
        assert_ok(itsm_policy_add_event(p, ITSM_KIND_INCIDENT, ev));
        itsm_transition_def d = ITSM_TRANSITION_DEF_INIT;
        d.from = "*";
        d.event = ev;
        d.to = states[i];
        assert_ok(itsm_policy_add_transition(p, ITSM_KIND_INCIDENT, &d));
    }
    assert_ok(itsm_policy_add_event(p, ITSM_KIND_INCIDENT, "revive"));
    itsm_transition_def d = ITSM_TRANSITION_DEF_INIT;
    d.from = "closed";
    d.event = "revive";
    d.to = "in_progress";
    assert_ok(itsm_policy_add_transition(p, ITSM_KIND_INCIDENT, &d));
    return p;
}

typedef struct world {
    vclock       clock;
    memstore     store;
    itsm_policy *loose, *ref;
    itsm_engine *eng;
} world;

static void world_open(world *w)
{
    memset(w, 0, sizeof *w);
    w->clock.now = T0;
    memstore_init(&w->store);
    w->loose = permissive();
    assert_ok(itsm_policy_new_default(&w->ref, NULL));
    w->eng = engine_over(&w->store, &w->clock, w->loose);
}

static void world_close(world *w)
{
    itsm_engine_free(w->eng);
    itsm_policy_free(w->loose);
    itsm_policy_free(w->ref);
    memstore_free(&w->store);
}

static itsm_record *incident(world *w, const char *id)
{
    itsm_record_opts o = ITSM_RECORD_OPTS_INIT;
    o.id = id;
    itsm_record *r;
    assert_ok(itsm_record_open(&r, w->eng, &o));
    return r;
}

static void go(world *w, itsm_record *r, const char *to, const itsm_change *ch, size_t n)
{
    char ev[32];
    snprintf(ev, sizeof ev, strcmp(to, "in_progress") || strcmp(itsm_record_state(r), "closed") ? "to_%s" : "revive",
             to);
    w->clock.now += 60;
    assert_ok(itsm_record_fire(r, ev, ch, n));
}

/* The story every test checks:
 *   INC-A  new -> assigned -> in_progress -> resolved -> closed, every guard met
 *   INC-B  new -> on_hold: no such step, but new -> in_progress -> on_hold is
 *          (skipped "in_progress"); then on_hold -> triage: a state the
 *          reference does not know
 *   INC-C  new -> in_progress (group and assignee) -> resolved without a
 *          resolution code: the rule fits, its guard fails
 *   INC-D  new -> closed: no such step, but new -> resolved (the engine's
 *          parent_resolved) -> closed is (skipped "resolved"); then closed ->
 *          in_progress: nothing leads out of closed in the reference */
static void story(world *w)
{
    itsm_change grp = { ITSM_F_ASSIGNMENT_GROUP, "desk", 0 }, who = { ITSM_F_ASSIGNEE, "ann", 0 };
    itsm_change done[] = { { ITSM_F_RESOLUTION_CODE, "fixed", 0 }, { ITSM_F_RESOLUTION_NOTES, "ok", 0 } };
    itsm_change closing[] = { { ITSM_F_CATEGORY, "mail", 0 }, { ITSM_F_KNOWLEDGE_DECISION, "not_needed", 0 } };
    itsm_record *a = incident(w, "INC-A");
    go(w, a, "assigned", &grp, 1);
    go(w, a, "in_progress", &who, 1);
    go(w, a, "resolved", done, 2);
    go(w, a, "closed", closing, 2);

    itsm_record *b = incident(w, "INC-B");
    go(w, b, "on_hold", NULL, 0);
    go(w, b, "triage", NULL, 0);

    itsm_record *c = incident(w, "INC-C");
    itsm_change gw[] = { grp, who };
    go(w, c, "in_progress", gw, 2);
    go(w, c, "resolved", NULL, 0);

    itsm_record *d = incident(w, "INC-D");
    go(w, d, "closed", NULL, 0);
    go(w, d, "in_progress", NULL, 0);
}

static const itsm_conformance_move *find_move(const itsm_conformance *c, const char *from, const char *to,
                                              itsm_conformance_move *m)
{
    for (size_t i = 0; i < itsm_conformance_move_count(c); i++) {
        assert_ok(itsm_conformance_move_at(c, i, m));
        if (((!from && !m->from) || (from && m->from && !strcmp(from, m->from))) && !strcmp(to, m->to))
            return m;
    }
    fail_msg("no move %s -> %s", from ? from : "(open)", to);
    return NULL;
}

static const itsm_conformance_rule *find_rule(const itsm_conformance *c, const char *from, const char *event,
                                              itsm_conformance_rule *r)
{
    for (size_t i = 0; i < itsm_conformance_rule_count(c); i++) {
        assert_ok(itsm_conformance_rule_at(c, i, r));
        if (r->kind == ITSM_KIND_INCIDENT && !strcmp(r->from, from) && !strcmp(r->event, event))
            return r;
    }
    fail_msg("no rule %s --%s-->", from, event);
    return NULL;
}

static void check_story(const itsm_conformance *c)
{
    itsm_conformance_summary s = { .size = sizeof s };
    assert_ok(itsm_conformance_summary_of(&s, c));
    assert_int_equal(s.records, 4);
    /* 4 openings + 4 (A) + 2 (B) + 2 (C) + 2 (D) */
    assert_int_equal(s.moves, 14);
    /* openings, A's four, C's start */
    assert_int_equal(s.allowed, 9);
    assert_int_equal(s.guard_failed, 1);
    assert_true(s.fitness > 0.64 && s.fitness < 0.65);
    assert_int_equal(s.deviating_records, 3);   /* B, C, D */
    assert_int_equal(s.bypass_records, 3);      /* B and D skipped steps, C a guard */

    itsm_conformance_move m = { .size = sizeof m };
    find_move(c, NULL, "new", &m);
    assert_int_equal(m.count, 4);
    assert_int_equal(m.allowed, 4);
    find_move(c, "new", "on_hold", &m);
    assert_int_equal(m.deviation, ITSM_DEVIATION_SKIP);
    assert_string_equal(m.skipped, "in_progress");
    assert_true(m.fitness == 0.0);
    find_move(c, "on_hold", "triage", &m);
    assert_int_equal(m.deviation, ITSM_DEVIATION_UNKNOWN_STATE);
    find_move(c, "in_progress", "resolved", &m);
    assert_int_equal(m.count, 2);
    assert_int_equal(m.allowed, 1);
    assert_int_equal(m.guard_failed, 1);
    assert_int_equal(m.deviation, ITSM_DEVIATION_GUARD);
    assert_true(m.fitness == 0.5);
    find_move(c, "closed", "in_progress", &m);
    assert_int_equal(m.deviation, ITSM_DEVIATION_UNFORESEEN);
    assert_null(m.skipped);
    find_move(c, "new", "closed", &m);
    assert_int_equal(m.deviation, ITSM_DEVIATION_SKIP);
    assert_string_equal(m.skipped, "resolved");

    itsm_conformance_rule r = { .size = sizeof r };
    find_rule(c, "in_progress", "resolve", &r);
    assert_int_equal(r.used, 1);
    assert_int_equal(r.guard_failed, 1);
    assert_true(r.agreement == 0.5);
    assert_string_equal(r.guard, "resolution_code resolution_notes");
    find_rule(c, "resolved", "confirm", &r);
    assert_int_equal(r.used, 1);
    find_rule(c, "resolved", "reopen", &r);
    assert_int_equal(r.used, 0);
    assert_true(r.agreement == 1.0);
}

static void store_scan_checks_every_move_against_the_reference(void **state)
{
    (void)state;
    world w;
    world_open(&w);
    story(&w);
    itsm_conformance *c;
    assert_ok(itsm_conformance_new(&c, w.ref, NULL));
    assert_ok(itsm_conformance_scan(c, &memstore_methods, &w.store));
    check_story(c);
    itsm_conformance_free(c);
    world_close(&w);
}

static void sink(void *user, const itsm_event *const *evs, size_t n)
{
    for (size_t i = 0; i < n; i++)
        assert_ok(itsm_conformance_add_event(user, evs[i]));
}

/* The same report from the live events of the sink. */
static void live_events_give_the_same_report(void **state)
{
    (void)state;
    world w;
    memset(&w, 0, sizeof w);
    w.clock.now = T0;
    w.loose = permissive();
    assert_ok(itsm_policy_new_default(&w.ref, NULL));
    itsm_conformance *c;
    assert_ok(itsm_conformance_new(&c, w.ref, NULL));
    itsm_engine_opts o = ITSM_ENGINE_OPTS_INIT;
    o.policy = w.loose;
    o.clock = vclock_read;
    o.clock_user = &w.clock;
    o.sink = sink;
    o.sink_user = c;
    memstore_init(&w.store);
    assert_ok(itsm_engine_new(&w.eng, &o));
    story(&w);
    check_story(c);
    itsm_conformance_free(c);
    world_close(&w);
}

/* Moves a host saw that no event records: a refused row of a log. */
static void observed_moves_count_with_the_refused_ones(void **state)
{
    (void)state;
    itsm_policy *ref;
    assert_ok(itsm_policy_new_default(&ref, NULL));
    itsm_conformance *c;
    assert_ok(itsm_conformance_new(&c, ref, NULL));
    itsm_observed_move m = ITSM_OBSERVED_MOVE_INIT;
    m.record = "X1";
    m.to = "new";
    assert_ok(itsm_conformance_observe(c, &m));
    m.from = "new";
    m.to = "resolved";
    m.event = "resolve";
    m.refused = 1;
    assert_ok(itsm_conformance_observe(c, &m));
    m.to = "assigned";   /* guards unknown (no fields): given the benefit of the doubt */
    m.event = NULL;
    m.refused = 0;
    assert_ok(itsm_conformance_observe(c, &m));
    itsm_conformance_summary s = { .size = sizeof s };
    assert_ok(itsm_conformance_summary_of(&s, c));
    assert_int_equal(s.moves, 3);
    assert_int_equal(s.allowed, 3);   /* new -> resolved: parent_resolved fits */
    assert_int_equal(s.refused, 1);
    itsm_conformance_move mv = { .size = sizeof mv };
    find_move(c, "new", "resolved", &mv);
    assert_int_equal(mv.refused, 1);

    /* bad observations change nothing */
    itsm_observed_move bad = m;
    bad.to = "In Progress";
    assert_int_equal(itsm_conformance_observe(c, &bad), ITSM_EINVAL);
    assert_non_null(strstr(itsm_conformance_errmsg(c), "[a-z0-9_]"));
    bad = m;
    bad.record = "";
    assert_int_equal(itsm_conformance_observe(c, &bad), ITSM_EINVAL);
    bad = m;
    bad.kind = (itsm_kind)9;
    assert_int_equal(itsm_conformance_observe(c, &bad), ITSM_EINVAL);
    bad = m;
    bad.version = 7;
    assert_int_equal(itsm_conformance_observe(c, &bad), ITSM_EINVAL);
    assert_int_equal(itsm_conformance_observe(c, NULL), ITSM_EINVAL);
    assert_ok(itsm_conformance_summary_of(&s, c));
    assert_int_equal(s.moves, 3);
    itsm_conformance_free(c);
    itsm_policy_free(ref);
}

static void json_and_csv_forms(void **state)
{
    (void)state;
    world w;
    world_open(&w);
    story(&w);
    itsm_conformance *c;
    assert_ok(itsm_conformance_new(&c, w.ref, NULL));
    assert_ok(itsm_conformance_scan(c, &memstore_methods, &w.store));
    size_t len, len2;
    assert_int_equal(itsm_conformance_to_json(c, NULL, 0, &len), ITSM_ELIMIT);
    char *buf = malloc(len + 1);
    assert_ok(itsm_conformance_to_json(c, buf, len + 1, &len2));
    assert_int_equal(len, len2);
    itsm__jdoc *doc;
    assert_ok(itsm__json_parse(&doc, buf, len, NULL, NULL, NULL));
    itsm__jdoc_free(doc);
    assert_non_null(strstr(buf, "\"moves\":14,\"allowed\":9,"));
    assert_non_null(strstr(buf, "{\"kind\":\"incident\",\"from\":\"new\",\"to\":\"on_hold\",\"count\":1,\"allowed\":0,"
                                "\"guard_failed\":0,\"refused\":0,\"fitness\":0,\"deviation\":\"skip\","
                                "\"skipped\":\"in_progress\"}"));
    assert_non_null(strstr(buf, "{\"kind\":\"incident\",\"from\":null,\"to\":\"new\",\"count\":4,"));
    free(buf);
    assert_int_equal(itsm_conformance_to_csv(c, NULL, 0, &len), ITSM_ELIMIT);
    buf = malloc(len + 1);
    assert_ok(itsm_conformance_to_csv(c, buf, len + 1, &len2));
    assert_int_equal(len, len2);
    static const char head[] = "section,kind,from,event,to,measure,value\r\nsummary,,,,,records,4\r\n";
    assert_memory_equal(buf, head, sizeof head - 1);
    assert_non_null(strstr(buf, "\r\nmove,incident,new,,on_hold,skipped,in_progress\r\n"));
    assert_non_null(strstr(buf, "\r\nmove,incident,,,new,count,4\r\n"));
    assert_non_null(strstr(buf, "\r\nrule,incident,in_progress,resolve,resolved,agreement,0.5\r\n"));
    free(buf);
    /* the same report always gives the same bytes; a short buffer is ITSM_ELIMIT */
    char small[16];
    assert_int_equal(itsm_conformance_to_json(c, small, sizeof small, &len), ITSM_ELIMIT);
    assert_int_equal(small[15], '\0');
    itsm_conformance_free(c);
    world_close(&w);
}

static void states_of_the_reference_for_a_map(void **state)
{
    (void)state;
    itsm_policy *ref;
    assert_ok(itsm_policy_new_default(&ref, NULL));
    itsm_conformance *c;
    assert_ok(itsm_conformance_new(&c, ref, NULL));
    itsm_policy_free(ref);   /* the report has its own copy */
    assert_int_equal(itsm_conformance_state_count(c, ITSM_KIND_INCIDENT), 7);
    const char *name;
    unsigned flags;
    assert_ok(itsm_conformance_state_at(c, ITSM_KIND_INCIDENT, 0, &name, &flags));
    assert_string_equal(name, "new");
    assert_int_equal(flags, ITSM_STATE_INITIAL);
    assert_ok(itsm_conformance_state_at(c, ITSM_KIND_INCIDENT, 5, &name, &flags));
    assert_string_equal(name, "closed");
    assert_int_equal(flags, ITSM_STATE_CLOSED);
    assert_int_equal(itsm_conformance_state_at(c, ITSM_KIND_INCIDENT, 7, &name, &flags), ITSM_EINVAL);
    assert_int_equal(itsm_conformance_state_count(c, (itsm_kind)0), 0);
    itsm_conformance_free(c);
}

static int bad_scan(void *user, itsm_store_emit_fn emit, void *ctx)
{
    (void)user;
    static const char ok[] = "{\"v\":1,\"type\":\"open\",\"record\":\"I1\",\"kind\":\"incident\",\"rev\":1,"
                             "\"at\":\"2026-03-02T09:00:00Z\",\"state\":\"new\"}";
    int rc = emit(ctx, ok, sizeof ok - 1);
    return rc ? rc : emit(ctx, "{\"v\":1,\"type\":\"open\"}", 21);
}

static void bad_input_is_refused_cleanly(void **state)
{
    (void)state;
    itsm_policy *ref;
    assert_ok(itsm_policy_new_default(&ref, NULL));
    itsm_conformance *c;
    assert_int_equal(itsm_conformance_new(NULL, ref, NULL), ITSM_EINVAL);
    assert_int_equal(itsm_conformance_new(&c, NULL, NULL), ITSM_EINVAL);
    assert_null(c);
    failalloc fa = { 0 };
    itsm_allocator half = failalloc_make(&fa);
    half.realloc_fn = NULL;   /* half set */
    assert_int_equal(itsm_conformance_new(&c, ref, &half), ITSM_EINVAL);
    assert_ok(itsm_conformance_new(&c, ref, NULL));
    itsm_parse_error err;
    assert_int_equal(itsm_conformance_add_json(c, "{", 1, &err), ITSM_EPARSE);
    assert_int_equal(itsm_conformance_add_json(c, "{\"type\":\"open\"}", 15, &err), ITSM_EPARSE);
    assert_non_null(strstr(itsm_conformance_errmsg(c), "'record'"));
    assert_int_equal(itsm_conformance_add_json(c, NULL, 0, &err), ITSM_EINVAL);
    /* a state name longer than any policy's is a bad document, not an
     * out-of-memory: it names no state (found by fuzz_conformance) */
    char longer[600];
    snprintf(longer, sizeof longer,
             "{\"v\":1,\"type\":\"transition\",\"record\":\"I2\",\"kind\":\"incident\",\"rev\":3,"
             "\"at\":\"2026-03-02T09:20:00Z\",\"event\":\"y\",\"from\":\"%0200d\",\"to\":\"resolved\"}", 7);
    assert_int_equal(itsm_conformance_add_json(c, longer, strlen(longer), &err), ITSM_EPARSE);
    assert_non_null(strstr(itsm_conformance_errmsg(c), "a state name is at most 63 bytes"));
    assert_int_equal(itsm_conformance_add_event(c, NULL), ITSM_EINVAL);
    itsm_store noscan = { ITSM_STORE_VERSION, NULL, NULL, NULL, NULL, NULL };
    assert_int_equal(itsm_conformance_scan(c, &noscan, NULL), ITSM_EINVAL);
    itsm_store bad = { ITSM_STORE_VERSION, NULL, bad_scan, NULL, NULL, NULL };
    assert_int_equal(itsm_conformance_scan(c, &bad, NULL), ITSM_EPARSE);
    assert_non_null(strstr(itsm_conformance_errmsg(c), "stored event 2:"));
    itsm_conformance_summary s = { .size = sizeof s };
    assert_ok(itsm_conformance_summary_of(&s, c));
    assert_int_equal(s.moves, 1);   /* the first event counted, the bad one nothing */
    assert_int_equal(itsm_conformance_summary_of(NULL, c), ITSM_EINVAL);
    itsm_conformance_summary small = { .size = sizeof(size_t) };   /* older than any release */
    assert_int_equal(itsm_conformance_summary_of(&small, c), ITSM_EINVAL);
    assert_non_null(strstr(itsm_conformance_errmsg(c), "itsm_conformance_summary"));
    assert_int_equal(small.records, 0);
    itsm_conformance_move m = { .size = sizeof m };
    assert_int_equal(itsm_conformance_move_at(c, 1, &m), ITSM_EINVAL);
    assert_int_equal(itsm_conformance_move_count(NULL), 0);
    assert_int_equal(itsm_conformance_rule_at(c, 9999, NULL), ITSM_EINVAL);
    size_t len;
    assert_int_equal(itsm_conformance_to_json(NULL, NULL, 0, &len), ITSM_EINVAL);
    assert_int_equal(itsm_conformance_to_csv(c, NULL, 5, &len), ITSM_EINVAL);
    assert_string_equal(itsm_conformance_errmsg(NULL), "");
    assert_null(itsm_deviation_name((itsm_deviation)9));
    assert_string_equal(itsm_deviation_name(ITSM_DEVIATION_SKIP), "skip");
    itsm_conformance_free(c);
    itsm_conformance_free(NULL);
    itsm_policy_free(ref);
}

/* Every allocation may fail: each failure is ITSM_ENOMEM and nothing leaks. */
static void allocation_failures_are_clean(void **state)
{
    (void)state;
    world w;
    world_open(&w);
    story(&w);
    int done = 0;
    for (long n = 1; !done && n < 10000; n++) {
        failalloc fa = { 0 };
        fa.fail_at = n;
        itsm_allocator a = failalloc_make(&fa);
        itsm_conformance *c = NULL;
        int rc = itsm_conformance_new(&c, w.ref, &a);
        if (rc == ITSM_OK)
            rc = itsm_conformance_scan(c, &memstore_methods, &w.store);
        assert_true(rc == ITSM_OK || rc == ITSM_ENOMEM);
        if (rc == ITSM_OK) {
            check_story(c);
            done = !fa.failed;
        }
        itsm_conformance_free(c);
        assert_int_equal(fa.live, 0);
    }
    assert_true(done);
    world_close(&w);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(store_scan_checks_every_move_against_the_reference),
        cmocka_unit_test(live_events_give_the_same_report),
        cmocka_unit_test(observed_moves_count_with_the_refused_ones),
        cmocka_unit_test(json_and_csv_forms),
        cmocka_unit_test(states_of_the_reference_for_a_map),
        cmocka_unit_test(bad_input_is_refused_cleanly),
        cmocka_unit_test(allocation_failures_are_clean),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
