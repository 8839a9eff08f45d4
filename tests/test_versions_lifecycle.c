/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What a policy version may change in a lifecycle (docs/policy.md,
 * "Versions"): it may add states and events after the existing ones and
 * add or remove transitions; it keeps every state (name, position, flags),
 * every event and the roles. Adoption, a version read from the store and
 * the migration check agree on it, and replay crosses the change.
 */
#include "sla/sla_support.h"
#include "itsm/migration.h"

/* `p` written out, the first `from` replaced by `to` (then the first
 * `from2` by `to2` when given), read back. */
static char *replaced(char *doc, const char *from, const char *to)
{
    char *at = strstr(doc, from);
    if (!at)
        fail_msg("the policy document has no %s", from);
    char *out = malloc(strlen(doc) + strlen(to) + 1);
    size_t head = (size_t)(at - doc);
    memcpy(out, doc, head);
    strcpy(out + head, to);
    strcat(out, at + strlen(from));
    free(doc);
    return out;
}

static itsm_policy *edited2(const itsm_policy *p, const char *from, const char *to, const char *from2,
                            const char *to2)
{
    size_t len = 0;
    assert_int_equal(itsm_policy_to_json(p, NULL, 0, &len), ITSM_ELIMIT);
    char *doc = malloc(len + 1);
    assert_ok(itsm_policy_to_json(p, doc, len + 1, &len));
    char *out = replaced(doc, from, to);
    if (from2)
        out = replaced(out, from2, to2);
    itsm_policy *q;
    itsm_parse_error err;
    if (itsm_policy_from_json(&q, out, strlen(out), NULL, NULL, &err) != ITSM_OK)
        fail_msg("edited policy: %s", err.text);
    assert_int_equal(itsm_policy_check(q), 0);
    free(out);
    return q;
}

static itsm_policy *edited(const itsm_policy *p, const char *from, const char *to)
{
    return edited2(p, from, to, NULL, NULL);
}

static itsm_transition_def transition(const char *from, const char *event, const char *to)
{
    itsm_transition_def t = { ITSM_TRANSITION_DEF_VERSION, from, event, to, NULL, NULL, NULL, 0 };
    return t;
}

/* The default policy and the state the practitioner wants: incidents wait
 * for a vendor, and come back from it. */
static itsm_policy *with_vendor_wait(const itsm_policy *base)
{
    itsm_policy *p;
    assert_ok(itsm_policy_clone(&p, base));
    assert_ok(itsm_policy_add_state(p, ITSM_KIND_INCIDENT, "awaiting_vendor", 0));
    assert_ok(itsm_policy_add_event(p, ITSM_KIND_INCIDENT, "await_vendor"));
    itsm_transition_def a = transition("in_progress", "await_vendor", "awaiting_vendor"),
                        b = transition("awaiting_vendor", "resume", "in_progress");
    assert_ok(itsm_policy_add_transition(p, ITSM_KIND_INCIDENT, &a));
    assert_ok(itsm_policy_add_transition(p, ITSM_KIND_INCIDENT, &b));
    assert_ok(itsm_policy_set_name(p, "vendor-wait"));
    assert_int_equal(itsm_policy_check(p), 0);
    return p;
}

static itsm_record *find(itsm_engine *eng, const char *id)
{
    itsm_record *r;
    assert_ok(itsm_record_find(&r, eng, id));
    return r;
}

static size_t migration_count(itsm_engine *eng, const itsm_policy *cand, itsm_migration_kind kind)
{
    itsm_migration *m;
    assert_ok(itsm_engine_migration_check(&m, eng, cand));
    size_t n = itsm_migration_count_of(m, kind);
    itsm_migration_free(m);
    return n;
}

/* ---- accepted ---- */

static void a_version_may_add_states_events_and_transitions(void **state)
{
    (void)state;
    itsm_policy *a;
    assert_ok(itsm_policy_new_default(&a, NULL));
    itsm_policy *b = with_vendor_wait(a);
    fixture f;
    fixture_open_policy(&f, a);
    itsm_record *r = open_inc(&f, 2, 2, NULL);
    f.clock.now += HOUR;
    start_work(r);
    assert_fails(f.eng, itsm_record_fire(r, "await_vendor", NULL, 0), ITSM_ETRANSITION, "no event 'await_vendor'");
    /* The migration check agrees: nothing removed, nothing refused. */
    assert_int_equal(migration_count(f.eng, b, ITSM_MIGRATION_STATE_REMOVED), 0);
    assert_int_equal(migration_count(f.eng, b, ITSM_MIGRATION_NOT_REPLAYED), 0);
    assert_ok(itsm_engine_adopt_policy(f.eng, b));
    /* The open record takes the new step at its next event, under B. */
    f.clock.now += HOUR;
    assert_ok(itsm_record_fire(r, "await_vendor", NULL, 0));
    assert_string_equal(itsm_record_state(r), "awaiting_vendor");
    assert_string_equal(itsm_record_policy_version(r), itsm_engine_policy_version(f.eng));
    itsm_record *r2 = open_inc(&f, 3, 3, NULL);
    f.clock.now += HOUR;
    start_work(r2);
    assert_ok(itsm_record_fire(r2, "await_vendor", NULL, 0));
    f.clock.now += HOUR;
    assert_ok(itsm_record_fire(r, "resume", NULL, 0));
    resolve(r);
    char *live = engine_dump(f.eng);

    /* Replay across the change, into an engine made with either... */
    const itsm_policy *as[2] = { b, a };
    for (int i = 0; i < 2; i++) {
        vclock c2 = { f.clock.now };
        itsm_engine *e2 = engine_over(&f.store, &c2, as[i]);
        if (i == 1) {
            /* ...but one made with A does not have B's state: refused,
             * saying what to do. */
            assert_fails(e2, itsm_engine_load(e2), ITSM_EPOLICY, "lacks state 'awaiting_vendor'");
            assert_non_null(strstr(itsm_errmsg(e2), "policy version"));
            assert_int_equal(itsm_engine_record_count(e2), 0);   /* nothing of A's period either */
            itsm_engine_free(e2);
            continue;
        }
        assert_ok(itsm_engine_load(e2));
        char *back = engine_dump(e2);
        assert_string_equal(back, live);
        free(back);
        assert_string_equal(itsm_record_state(find(e2, itsm_record_id(r2))), "awaiting_vendor");
        itsm_engine_free(e2);
    }
    free(live);
    fixture_close(&f);
    itsm_policy_free(a), itsm_policy_free(b);
}

static void a_version_may_remove_a_transition(void **state)
{
    (void)state;
    itsm_policy *a;
    assert_ok(itsm_policy_new_default(&a, NULL));
    /* B: an incident is assigned before work starts (no new -> start). */
    itsm_policy *b = edited(a, "{\"from\":\"new\",\"event\":\"start\",\"to\":\"in_progress\","
                               "\"guard\":\"assignment_group assignee\",\"stamp\":\"responded_at?\"},", "");
    fixture f;
    fixture_open_policy(&f, a);
    itsm_record *started = open_inc(&f, 2, 2, NULL), *waiting = open_inc(&f, 2, 2, NULL);
    f.clock.now += HOUR;
    start_work(started);   /* under A, from new */
    assert_ok(itsm_record_set_str(waiting, ITSM_F_ASSIGNMENT_GROUP, "Desk"));
    assert_ok(itsm_record_set_str(waiting, ITSM_F_ASSIGNEE, "ann"));
    /* The migration check names the step the waiting record loses. */
    assert_int_equal(migration_count(f.eng, b, ITSM_MIGRATION_TRANSITION_REMOVED), 1);
    assert_ok(itsm_engine_adopt_policy(f.eng, b));
    itsm_change c[2] = { { ITSM_F_ASSIGNMENT_GROUP, "Desk", 0 }, { ITSM_F_ASSIGNEE, "ann", 0 } };
    assert_fails(f.eng, itsm_record_fire(waiting, "start", c, 2), ITSM_ETRANSITION, "start");
    assert_ok(itsm_record_fire(waiting, "assign", NULL, 0));
    assert_ok(itsm_record_fire(waiting, "start", NULL, 0));
    char *live = engine_dump(f.eng);
    /* The store is the truth: the start from new under A replays under an
     * engine made with B. */
    vclock c2 = { f.clock.now };
    itsm_engine *e2 = engine_over(&f.store, &c2, b);
    assert_ok(itsm_engine_load(e2));
    char *back = engine_dump(e2);
    assert_string_equal(back, live);
    free(back), free(live);
    itsm_engine_free(e2);
    fixture_close(&f);
    itsm_policy_free(a), itsm_policy_free(b);
}

/* ---- refused, naming what differs ---- */

static void a_version_keeps_every_state_event_and_flag_in_place(void **state)
{
    (void)state;
    itsm_policy *a;
    assert_ok(itsm_policy_new_default(&a, NULL));
    fixture f;
    fixture_open_policy(&f, a);
    open_inc(&f, 2, 2, NULL);
    const char *before = itsm_engine_policy_version(f.eng);
    struct { const char *from, *to, *from2, *to2, *why; } cases[] = {
        /* two states swapped: each record's state would mean another */
        { "{\"name\":\"assigned\"},{\"name\":\"in_progress\"}", "{\"name\":\"in_progress\"},{\"name\":\"assigned\"}",
          NULL, NULL, "lacks state 'assigned' of version" },
        /* a state added before the existing ones' end */
        { "{\"name\":\"on_hold\"}", "{\"name\":\"triage\"},{\"name\":\"on_hold\"}", "\"transitions\":[",
          "\"transitions\":[{\"from\":\"new\",\"event\":\"hold\",\"to\":\"triage\"},"
          "{\"from\":\"triage\",\"event\":\"cancel\",\"to\":\"canceled\"},",
          "lacks state 'on_hold' of version" },
        /* a closed state made open (one a way out still leaves: cancel) */
        { "{\"name\":\"closed\",\"closed\":true}", "{\"name\":\"closed\"}", NULL, NULL,
          "the incident state 'closed' has other flags" },
        /* two events swapped */
        { "\"hold\",\"resume\"", "\"resume\",\"hold\"", NULL, NULL, "lacks event 'hold' of version" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        itsm_policy *b = edited2(a, cases[i].from, cases[i].to, cases[i].from2, cases[i].to2);
        assert_fails(f.eng, itsm_engine_adopt_policy(f.eng, b), ITSM_EPOLICY, cases[i].why);
        assert_non_null(strstr(itsm_errmsg(f.eng), "may add states and events after them"));
        assert_string_equal(itsm_engine_policy_version(f.eng), before);
        itsm_policy_free(b);
    }
    /* A role moved to another event. */
    itsm_policy *b;
    assert_ok(itsm_policy_clone(&b, a));
    assert_ok(itsm_policy_set_role(b, ITSM_KIND_INCIDENT, ITSM_ROLE_RESUME, "start"));
    assert_int_equal(itsm_policy_check(b), 0);
    assert_fails(f.eng, itsm_engine_adopt_policy(f.eng, b), ITSM_EPOLICY, "the incident lifecycle's roles differ");
    assert_string_equal(itsm_engine_policy_version(f.eng), before);
    itsm_policy_free(b);
    fixture_close(&f);
    itsm_policy_free(a);
}

/* Removing a state is refused even when no record is in it: a closed
 * record in it never moves and keeps it, and replay reads every stored
 * state under the current version. The migration check lists the open
 * records in it; adoption refuses the version whether or not it lists
 * any. Going back to a version without a state added since is the same. */
static void a_version_may_not_remove_a_state(void **state)
{
    (void)state;
    itsm_policy *a;
    assert_ok(itsm_policy_new_default(&a, NULL));
    itsm_policy *b = with_vendor_wait(a);
    fixture f;
    fixture_open_policy(&f, b);
    itsm_record *r = open_inc(&f, 2, 2, NULL);
    f.clock.now += HOUR;
    const char *vb = itsm_engine_policy_version(f.eng);
    /* nobody waits for a vendor: nothing listed, still refused */
    assert_int_equal(migration_count(f.eng, a, ITSM_MIGRATION_STATE_REMOVED), 0);
    assert_fails(f.eng, itsm_engine_adopt_policy(f.eng, a), ITSM_EPOLICY, "lacks state 'awaiting_vendor' of version");
    start_work(r);
    assert_ok(itsm_record_fire(r, "await_vendor", NULL, 0));
    assert_int_equal(migration_count(f.eng, a, ITSM_MIGRATION_STATE_REMOVED), 1);
    assert_fails(f.eng, itsm_engine_adopt_policy(f.eng, a), ITSM_EPOLICY, "lacks state 'awaiting_vendor' of version");
    assert_string_equal(itsm_engine_policy_version(f.eng), vb);
    fixture_close(&f);

    /* An engine made with A adopts B, then cannot go back to A. */
    fixture_open_policy(&f, a);
    const char *va = itsm_engine_policy_version(f.eng);
    char ida[17];
    snprintf(ida, sizeof ida, "%s", va);
    assert_ok(itsm_engine_adopt_policy(f.eng, b));
    assert_fails(f.eng, itsm_engine_adopt_policy(f.eng, a), ITSM_EPOLICY, "lacks state 'awaiting_vendor' of version");
    assert_string_not_equal(itsm_engine_policy_version(f.eng), ida);
    fixture_close(&f);
    itsm_policy_free(a), itsm_policy_free(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_version_may_add_states_events_and_transitions),
        cmocka_unit_test(a_version_may_remove_a_transition),
        cmocka_unit_test(a_version_keeps_every_state_event_and_flag_in_place),
        cmocka_unit_test(a_version_may_not_remove_a_state),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
