/* SPDX-License-Identifier: Apache-2.0 */
/* The change events replay byte for byte: approval_approve,
 * approval_reject, approval_delegate, risk_answer, change_plan and
 * schedule_collision have a stable JSON form (docs/events.md), the sink
 * reads after apply exactly what the store kept before it, a replay
 * rebuilds the same records, and a replayed engine goes on exactly as the
 * live one; malformed events are refused with a position and change
 * nothing. */
#include "change_policy.h"

#include <stdlib.h>
#include <string.h>

#define N_(a) (sizeof(a) / sizeof((a)[0]))

/* Every change event type, in the order the story makes them. */
static void story(fixture *f)
{
    itsm_record *a = change_open(f, "CHG1", "normal", "mail", "relay01");
    itsm_record *b = change_open(f, "CHG2", "normal", "mail", "relay01");
    assert_ok(itsm_record_fire(a, "assess", NULL, 0));
    assert_ok(itsm_record_fire(b, "assess", NULL, 0));
    f->clock.now += 60;
    change_assess(a, "high");
    change_assess(b, "low");
    f->clock.now += 60;
    assert_ok(itsm_record_approve(a, NULL, "carl", "Back-out \"tested\" twice\n- ann"));
    assert_ok(itsm_record_delegate_approval(a, "cab", "ann", "zed", NULL));
    assert_ok(itsm_record_reject_approval(a, NULL, "bob", "Ünïcödé"));
    assert_ok(itsm_record_approve(a, NULL, "zed", NULL));
    assert_ok(itsm_record_approve(a, NULL, "cat", NULL));
    assert_ok(itsm_record_approve(b, NULL, "cleo", NULL));
    itsm_change who = { ITSM_F_ASSIGNEE, "ivan", 0 };
    assert_ok(itsm_record_fire(a, "authorize", &who, 1));
    assert_ok(itsm_record_fire(b, "authorize", &who, 1));
    assert_ok(itsm_change_plan(a, at_utc("2026-04-01T10:00:00Z"), at_utc("2026-04-01T12:00:00Z")));
    assert_ok(itsm_change_plan(b, at_utc("2026-04-01T09:00:00Z"), at_utc("2026-04-01T10:00:00Z")));
    assert_ok(itsm_change_plan(b, ITSM_TIME_NONE, ITSM_TIME_NONE));
    assert_ok(itsm_change_plan(b, at_utc("2026-04-01T11:00:00Z"), at_utc("2026-04-01T13:00:00Z")));
    assert_ok(itsm_record_fire(a, "schedule", NULL, 0));
    assert_ok(itsm_record_fire(b, "schedule", NULL, 0));
}

static void change_events_have_one_stable_form(void **state)
{
    (void)state;
    evcapture cap = { 0 };
    fixture f;
    change_fixture_open(&f, NULL, evcapture_sink, &cap);
    assert_ok(itsm_engine_set_actor(f.eng, "cm_clara"));
    story(&f);
    /* The sink reads after apply exactly what the store kept before it. */
    assert_sink_saw_the_store(&cap, &f.store);
    /* docs/events.md shows these, without the chain link each ends with
     * (test_chain.c checks the links). */
    memstore_unchain(&f.store);
    assert_string_equal(memstore_find(&f.store, "\"approval_approve\",\"record\":\"CHG1\""),
        "{\"v\":1,\"type\":\"approval_approve\",\"record\":\"CHG1\",\"kind\":\"change\",\"rev\":8,"
        "\"at\":\"2026-03-02T09:02:00Z\",\"actor\":\"cm_clara\",\"approval\":{\"rule\":\"high_risk_change\","
        "\"level\":\"change_manager\",\"by\":\"carl\",\"comment\":\"Back-out \\\"tested\\\" twice\\n- ann\"}}");
    assert_string_equal(memstore_find(&f.store, "\"approval_delegate\""),
        "{\"v\":1,\"type\":\"approval_delegate\",\"record\":\"CHG1\",\"kind\":\"change\",\"rev\":9,"
        "\"at\":\"2026-03-02T09:02:00Z\",\"actor\":\"cm_clara\",\"approval\":{\"rule\":\"high_risk_change\","
        "\"level\":\"cab\",\"by\":\"ann\",\"to\":\"zed\",\"comment\":null}}");
    assert_string_equal(memstore_find(&f.store, "\"approval_reject\""),
        "{\"v\":1,\"type\":\"approval_reject\",\"record\":\"CHG1\",\"kind\":\"change\",\"rev\":10,"
        "\"at\":\"2026-03-02T09:02:00Z\",\"actor\":\"cm_clara\",\"approval\":{\"rule\":\"high_risk_change\","
        "\"level\":\"cab\",\"by\":\"bob\",\"comment\":\"Ünïcödé\"}}");
    assert_string_equal(memstore_find(&f.store, "\"question\":\"users\""),
        "{\"v\":1,\"type\":\"risk_answer\",\"record\":\"CHG1\",\"kind\":\"change\",\"rev\":3,"
        "\"at\":\"2026-03-02T09:01:00Z\",\"actor\":\"cm_clara\",\"risk\":{\"question\":\"users\","
        "\"answer\":\"organisation\",\"score\":4,\"total\":4,\"level\":null}}");
    assert_string_equal(memstore_find(&f.store, "\"plan\":{\"start\":null"),
        "{\"v\":1,\"type\":\"change_plan\",\"record\":\"CHG2\",\"kind\":\"change\",\"rev\":11,"
        "\"at\":\"2026-03-02T09:02:00Z\",\"actor\":\"cm_clara\",\"plan\":{\"start\":null,\"end\":null}}");
    assert_string_equal(f.store.events[f.store.n - 1],
        "{\"v\":1,\"type\":\"schedule_collision\",\"record\":\"CHG2\",\"kind\":\"change\",\"rev\":14,"
        "\"at\":\"2026-03-02T09:02:00Z\",\"actor\":\"cm_clara\",\"collision\":{\"with\":\"CHG1\",\"on\":\"ci\","
        "\"value\":\"relay01\",\"from\":\"2026-04-01T11:00:00Z\",\"to\":\"2026-04-01T12:00:00Z\"}}");
    evcapture_free(&cap);
    fixture_close(&f);
}

static void a_replayed_engine_goes_on_exactly_as_the_live_one(void **state)
{
    (void)state;
    fixture live, replayed;
    change_fixture_open(&live, NULL, NULL, NULL);
    story(&live);
    change_fixture_open(&replayed, NULL, NULL, NULL);
    replayed.store.check_revisions = 0;
    replayed.clock.now = live.clock.now;   /* it starts empty: the records are the live store's */
    replay_store_into(replayed.eng, &live.store);
    replay_store_into(replayed.eng, &live.store);   /* twice is harmless */
    char *d1 = engine_dump(live.eng), *d2 = engine_dump(replayed.eng);
    assert_string_equal(d1, d2);
    free(d1);
    free(d2);
    /* The same next calls on both: the same events, byte for byte (the
     * rounds, answers, plans and schedule were rebuilt, not only dumped). */
    size_t n0 = live.store.n, r0 = replayed.store.n;
    itsm_engine *engines[] = { live.eng, replayed.eng };
    for (int k = 0; k < 2; k++) {
        itsm_record *b, *c;
        assert_ok(itsm_record_find(&b, engines[k], "CHG2"));
        assert_ok(itsm_record_answer_risk(b, "reach", "many"));
        assert_ok(itsm_change_plan(b, at_utc("2026-04-01T10:30:00Z"), at_utc("2026-04-01T11:30:00Z")));
        assert_ok(itsm_record_find(&c, engines[k], "CHG1"));
        assert_ok(itsm_record_fire(c, "implement", NULL, 0));
    }
    assert_same_new_events(&live.store, n0, &replayed.store, r0);
    fixture_close(&live);
    fixture_close(&replayed);
}

static void malformed_change_events_are_refused_and_change_nothing(void **state)
{
    (void)state;
    fixture f;
    change_fixture_open(&f, NULL, NULL, NULL);
    story(&f);
    itsm_record *c1;
    assert_ok(itsm_record_find(&c1, f.eng, "CHG1"));
    assert_int_equal(itsm_record_revision(c1), 15);   /* the events below are its next */
    char *before = engine_dump(f.eng);
#define EV(type, rev, body) "{\"v\":1,\"type\":\"" type "\",\"record\":\"CHG1\",\"kind\":\"change\",\"rev\":" \
                            rev ",\"at\":\"2026-03-02T10:00:00Z\"," body "}"
    static const struct { const char *json; const char *needle; } bad[] = {
        { EV("approval_approve", "16", "\"approval\":[]"), "an approval event needs an 'approval' object" },
        { EV("approval_approve", "16", "\"approval\":{\"rule\":\"r\",\"level\":\"l\",\"by\":\"x\",\"to\":\"y\"}"),
          "unknown member 'to' in approval" },
        { EV("approval_approve", "16", "\"approval\":{\"rule\":\"R\",\"level\":\"l\",\"by\":\"x\"}"),
          "'rule' must be a policy name" },
        { EV("approval_reject", "16", "\"approval\":{\"rule\":\"r\",\"level\":\"l\",\"by\":\"\"}"),
          "'by' must be a person's name" },
        { EV("approval_delegate", "16", "\"approval\":{\"rule\":\"r\",\"level\":\"l\",\"by\":\"x\"}"),
          "'to' must be a person's name" },
        { EV("approval_approve", "16", "\"approval\":{\"rule\":\"r\",\"level\":\"l\",\"by\":\"x\",\"comment\":\"\"}"),
          "'comment' must be null or 1..65536 bytes of UTF-8" },
        { EV("risk_answer", "16", "\"risk\":{\"question\":\"q\",\"answer\":\"a\",\"score\":-1,\"total\":0,"
             "\"level\":null}"), "'score' must be a whole number 0..1000" },
        { EV("risk_answer", "16", "\"risk\":{\"question\":\"q\",\"answer\":\"a\",\"score\":1,\"total\":0}"),
          "'level' must be a policy name or null" },
        { EV("change_plan", "16", "\"plan\":{\"start\":\"2026-04-01T10:00:00Z\",\"end\":null}"),
          "a plan is start < end, or both null" },
        { EV("change_plan", "16", "\"plan\":{\"start\":\"2026-04-01\",\"end\":null}"), "'start' must be a time" },
        { EV("schedule_collision", "16", "\"collision\":{\"with\":\"CHG1\",\"on\":\"ci\",\"value\":\"x\","
             "\"from\":\"2026-04-01T10:00:00Z\",\"to\":\"2026-04-01T11:00:00Z\"}"),
          "'with' must name another record the engine holds" },
        { EV("schedule_collision", "16", "\"collision\":{\"with\":\"CHG2\",\"on\":\"room\",\"value\":\"x\","
             "\"from\":\"2026-04-01T10:00:00Z\",\"to\":\"2026-04-01T11:00:00Z\"}"),
          "'on' must be \"ci\" or \"service\"" },
        { EV("schedule_collision", "16", "\"collision\":{\"with\":\"CHG2\",\"on\":\"ci\",\"value\":\"x\"}"),
          "'from' must be a time" },
    };
#undef EV
    for (size_t i = 0; i < N_(bad); i++) {
        itsm_parse_error err;
        int rc = itsm_engine_replay_json(f.eng, bad[i].json, strlen(bad[i].json), &err);
        if (rc != ITSM_EPARSE || !strstr(err.text, bad[i].needle) || err.line != 1 || !err.column)
            fail_msg("%s: got %s %zu:%zu \"%s\"", bad[i].json, itsm_errname(rc), err.line, err.column, err.text);
        char *after = engine_dump(f.eng);
        assert_string_equal(before, after);
        free(after);
    }
    free(before);
    fixture_close(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(change_events_have_one_stable_form),
        cmocka_unit_test(a_replayed_engine_goes_on_exactly_as_the_live_one),
        cmocka_unit_test(malformed_change_events_are_refused_and_change_nothing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
