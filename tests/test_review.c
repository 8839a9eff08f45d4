/* SPDX-License-Identifier: Apache-2.0 */
/* The post-incident review of a major incident: every step is one event
 * with a stable form that replays byte for byte; every refusal names its
 * reason and changes nothing; an open action past its due time fires once
 * through the tick, a done one never, a tick backwards never; the review
 * completes only with a cause and every action owned; the major's problem
 * is not closed while an action has no owner; the timeline excerpt keeps
 * the key moments. */
#include "sla/sla_support.h"

#define ITSM_DUE(days) (T0 + (days) * DAY)
#define N_(a) (sizeof(a) / sizeof((a)[0]))

/* An accepted major incident. */
static itsm_record *major(fixture *f)
{
    itsm_record *r = open_inc(f, 1, 1, "payments");
    assert_ok(itsm_major_decide(r, 1, "mim_max"));
    return r;
}

/* Every review step once, the timer too (opened at T0). */
static void story(fixture *f, itsm_record *r)
{
    assert_ok(itsm_review_open(r));
    assert_ok(itsm_review_add_cause(r, "The disk filled: \"logs\"\nrotated weekly"));
    assert_ok(itsm_review_add_action(r, "alarm", "Alert on disk space", NULL, ITSM_DUE(2)));
    assert_ok(itsm_review_add_action(r, "runbook", "Write the restart runbook", "ops_olga", ITSM_DUE(7)));
    assert_ok(itsm_review_assign_action(r, "alarm", "ops_bob"));
    /* the major incident's own timers fire too: count the review's */
    assert_ok(itsm_engine_tick(f->eng, ITSM_DUE(3), NULL));
    assert_int_equal(count_events(&f->store, "review_action_overdue"), 1);
    f->clock.now = ITSM_DUE(3) + 3600;
    assert_ok(itsm_review_action_done(r, "alarm", "Alert at 80%"));
    assert_ok(itsm_review_complete(r));
}

static const char *find_event(const memstore *s, const char *needle)
{
    for (size_t i = 0; i < s->n; i++)
        if (strstr(s->events[i], needle))
            return s->events[i];
    fail_msg("no stored event contains %s", needle);
    return NULL;
}

static void every_review_step_is_one_event_in_a_stable_form(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    assert_ok(itsm_engine_set_actor(f.eng, "mim_max"));
    itsm_record *r = major(&f);
    size_t n0 = f.store.n;
    story(&f, r);
    size_t nreview = 0;
    for (size_t i = n0; i < f.store.n; i++)
        nreview += strstr(f.store.events[i], "\"type\":\"review_") != NULL;
    assert_int_equal(nreview, 8);
    const char *head = "{\"v\":1,\"type\":";
    char want[1024];
#define EXPECT(type, rev, at, rest)                                                                             \
    do {                                                                                                        \
        snprintf(want, sizeof want, "%s\"%s\",\"record\":\"INC-000001\",\"kind\":\"incident\",\"rev\":%d,"       \
                 "\"at\":\"%s\",\"actor\":\"mim_max\"%s}", head, type, rev, at, rest);                          \
        assert_string_equal(unchained(find_event(&f.store, "\"" type "\"")), want);                             \
    } while (0)
    EXPECT("review_opened", 4, "2026-03-02T09:00:00Z", "");
    EXPECT("review_cause_added", 5, "2026-03-02T09:00:00Z",
           ",\"cause\":\"The disk filled: \\\"logs\\\"\\nrotated weekly\"");
    assert_string_equal(unchained(f.store.events[n0 + 2]),
        "{\"v\":1,\"type\":\"review_action_added\",\"record\":\"INC-000001\",\"kind\":\"incident\",\"rev\":6,"
        "\"at\":\"2026-03-02T09:00:00Z\",\"actor\":\"mim_max\",\"action\":{\"id\":\"alarm\","
        "\"text\":\"Alert on disk space\",\"owner\":null,\"due\":\"2026-03-04T09:00:00Z\"}}");
    assert_string_equal(unchained(f.store.events[n0 + 3]),
        "{\"v\":1,\"type\":\"review_action_added\",\"record\":\"INC-000001\",\"kind\":\"incident\",\"rev\":7,"
        "\"at\":\"2026-03-02T09:00:00Z\",\"actor\":\"mim_max\",\"action\":{\"id\":\"runbook\","
        "\"text\":\"Write the restart runbook\",\"owner\":\"ops_olga\",\"due\":\"2026-03-09T09:00:00Z\"}}");
    EXPECT("review_action_assigned", 8, "2026-03-02T09:00:00Z", ",\"action\":{\"id\":\"alarm\",\"owner\":\"ops_bob\"}");
    /* fired one second past its due time, by the tick (the engine's actor),
     * after the major incident's own missed deadlines and breaches */
    EXPECT("review_action_overdue", 17, "2026-03-04T09:00:01Z",
           ",\"action\":{\"id\":\"alarm\",\"owner\":\"ops_bob\",\"due\":\"2026-03-04T09:00:00Z\"}");
    EXPECT("review_action_done", 18, "2026-03-05T10:00:00Z", ",\"action\":{\"id\":\"alarm\",\"note\":\"Alert at 80%\"}");
    EXPECT("review_completed", 19, "2026-03-05T10:00:00Z", "");
#undef EXPECT

    itsm_review_info ri = { .size = sizeof ri };
    assert_ok(itsm_record_review(&ri, r));
    assert_int_equal(ri.opened_at, T0);
    assert_string_equal(ri.opened_by, "mim_max");
    assert_int_equal(ri.complete, 1);
    assert_int_equal(ri.completed_at, ITSM_DUE(3) + 3600);
    assert_int_equal(ri.causes, 1);
    assert_int_equal(ri.actions, 2);
    assert_int_equal(ri.open_actions, 1);
    assert_int_equal(ri.unowned_actions, 0);
    assert_int_equal(ri.overdue_actions, 0);
    itsm_review_action a = { .size = sizeof a };
    assert_ok(itsm_review_action_at(&a, r, 0));
    assert_string_equal(a.id, "alarm");
    assert_string_equal(a.owner, "ops_bob");
    assert_int_equal(a.done, 1);
    assert_int_equal(a.overdue, 1);
    assert_string_equal(a.note, "Alert at 80%");
    assert_string_equal(a.done_by, "mim_max");
    assert_ok(itsm_review_action_at(&a, r, 1));
    assert_string_equal(a.id, "runbook");
    assert_int_equal(a.done, 0);
    assert_null(a.note);
    assert_int_equal(a.done_at, ITSM_TIME_NONE);
    itsm_review_cause c = { .size = sizeof c };
    assert_ok(itsm_review_cause_at(&c, r, 0));
    assert_string_equal(c.text, "The disk filled: \"logs\"\nrotated weekly");
    assert_string_equal(c.by, "mim_max");
    assert_replay_same(&f, NULL, ITSM_DUE(4));
    fixture_close(&f);
}

/* The sink is told of each review event as the store kept it: the
 * cause, the action's text and the done note are moved into the review
 * when the event applies, after the store took it and before the sink
 * hears of it. */
static void the_sink_hears_each_review_event_as_stored(void **state)
{
    (void)state;
    evcapture cap = { 0 };
    fixture f;
    fixture_open_sink(&f, NULL, evcapture_sink, &cap);
    itsm_record *r = major(&f);
    story(&f, r);
    assert_sink_saw_the_store(&cap, &f.store);
    evcapture_free(&cap);
    fixture_close(&f);
}

static void a_replayed_engine_goes_on_exactly_as_the_live_one(void **state)
{
    (void)state;
    fixture live, replayed;
    fixture_open(&live);
    itsm_record *r = major(&live);
    story(&live, r);
    fixture_open(&replayed);
    replayed.store.check_revisions = 0;
    replayed.clock.now = live.clock.now;
    for (int twice = 0; twice < 2; twice++)   /* twice is harmless */
        for (size_t i = 0; i < live.store.n; i++)
            assert_ok(itsm_engine_replay_json(replayed.eng, live.store.events[i], strlen(live.store.events[i]),
                                              NULL));
    char *d1 = engine_dump(live.eng), *d2 = engine_dump(replayed.eng);
    assert_string_equal(d1, d2);
    free(d1);
    free(d2);
    /* The same next steps on both: the runbook goes overdue, then is done,
     * in the same bytes (the chain links included). */
    size_t n0 = live.store.n, r0 = replayed.store.n;
    itsm_engine *engines[] = { live.eng, replayed.eng };
    live.clock.now = replayed.clock.now = ITSM_DUE(8) + 60;
    for (int k = 0; k < 2; k++) {
        itsm_record *x;
        assert_ok(itsm_record_find(&x, engines[k], "INC-000001"));
        assert_ok(itsm_engine_tick(engines[k], ITSM_DUE(8), NULL));
        assert_ok(itsm_review_action_done(x, "runbook", NULL));
    }
    assert_int_equal(live.store.n - n0, replayed.store.n - r0);
    for (size_t i = 0; i < live.store.n - n0; i++)
        assert_string_equal(live.store.events[n0 + i], replayed.store.events[r0 + i]);
    assert_non_null(strstr(live.store.events[live.store.n - 2], "\"type\":\"review_action_overdue\""));
    assert_non_null(strstr(live.store.events[live.store.n - 1], "\"action\":{\"id\":\"runbook\",\"note\":null}"));
    fixture_close(&live);
    fixture_close(&replayed);
}

/* Call, expect the refusal, and check that nothing changed or was stored. */
#define REFUSED(f, call, code, needle)                                                                          \
    do {                                                                                                        \
        char *before_ = engine_dump((f)->eng);                                                                  \
        size_t n_ = (f)->store.n;                                                                               \
        assert_fails((f)->eng, call, code, needle);                                                             \
        char *after_ = engine_dump((f)->eng);                                                                   \
        assert_string_equal(before_, after_);                                                                   \
        assert_int_equal((f)->store.n, n_);                                                                     \
        free(before_);                                                                                          \
        free(after_);                                                                                           \
    } while (0)

static void every_refusal_names_its_reason_and_changes_nothing(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *r = major(&f);
    itsm_record *plain = open_inc(&f, 3, 3, "mail");
    itsm_record *prb = NULL;
    itsm_record_opts o = ITSM_RECORD_OPTS_INIT;
    o.kind = ITSM_KIND_PROBLEM;
    assert_ok(itsm_record_open(&prb, f.eng, &o));

    assert_int_equal(itsm_review_open(NULL), ITSM_EINVAL);
    assert_int_equal(itsm_review_add_cause(NULL, "x"), ITSM_EINVAL);
    assert_int_equal(itsm_review_add_action(NULL, "a", "x", NULL, ITSM_DUE(1)), ITSM_EINVAL);
    assert_int_equal(itsm_review_assign_action(NULL, "a", "bob"), ITSM_EINVAL);
    assert_int_equal(itsm_review_action_done(NULL, "a", NULL), ITSM_EINVAL);
    assert_int_equal(itsm_review_complete(NULL), ITSM_EINVAL);
    REFUSED(&f, itsm_review_open(plain), ITSM_EINVAL,
            "INC-000002 is not an accepted major incident: only a major incident has a post-incident review");
    REFUSED(&f, itsm_review_open(prb), ITSM_EINVAL, "PRB-000001 is not an accepted major incident");
    /* a proposed major incident is not one yet */
    itsm_record *proposed = open_inc(&f, 1, 1, "payments");
    REFUSED(&f, itsm_review_open(proposed), ITSM_EINVAL, "INC-000003 is not an accepted major incident");
    REFUSED(&f, itsm_review_add_cause(r, "x"), ITSM_ENOTFOUND,
            "INC-000001 has no post-incident review (itsm_review_open)");
    REFUSED(&f, itsm_review_add_action(r, "a", "x", NULL, ITSM_DUE(1)), ITSM_ENOTFOUND, "has no post-incident review");
    REFUSED(&f, itsm_review_complete(r), ITSM_ENOTFOUND, "has no post-incident review");
    /* a failing store: nothing changed */
    f.store.fail_at = f.store.appends + 1;
    REFUSED(&f, itsm_review_open(r), ITSM_ESTORE, "");
    assert_ok(itsm_review_open(r));
    REFUSED(&f, itsm_review_open(r), ITSM_EEXISTS, "INC-000001 has a post-incident review already");

    /* causes */
    REFUSED(&f, itsm_review_add_cause(r, NULL), ITSM_EINVAL, "the cause is required");
    REFUSED(&f, itsm_review_add_cause(r, ""), ITSM_EINVAL, "the cause is required");
    REFUSED(&f, itsm_review_add_cause(r, "bad \xff utf-8"), ITSM_EINVAL, "the cause");
    char *big = malloc(ITSM_MAX_TEXT + 2);
    memset(big, 'x', ITSM_MAX_TEXT + 1);
    big[ITSM_MAX_TEXT + 1] = '\0';
    REFUSED(&f, itsm_review_add_cause(r, big), ITSM_ELIMIT, "the cause");

    /* actions */
    REFUSED(&f, itsm_review_add_action(r, NULL, "x", NULL, ITSM_DUE(1)), ITSM_EINVAL, "the action's id is required");
    REFUSED(&f, itsm_review_add_action(r, "bad\tid", "x", NULL, ITSM_DUE(1)), ITSM_EINVAL, "the action's id");
    REFUSED(&f, itsm_review_add_action(r, "a1", NULL, NULL, ITSM_DUE(1)), ITSM_EINVAL, "the action's text is required");
    REFUSED(&f, itsm_review_add_action(r, "a1", big, NULL, ITSM_DUE(1)), ITSM_ELIMIT, "the action's text");
    REFUSED(&f, itsm_review_add_action(r, "a1", "x", "", ITSM_DUE(1)), ITSM_EINVAL, "the action's owner is required");
    REFUSED(&f, itsm_review_add_action(r, "a1", "x", "bad\nname", ITSM_DUE(1)), ITSM_EINVAL, "the action's owner");
    REFUSED(&f, itsm_review_add_action(r, "a1", "x", NULL, ITSM_TIME_NONE), ITSM_EINVAL, "the action's due time");
    REFUSED(&f, itsm_review_add_action(r, "a1", "x", NULL, T0 - DAY), ITSM_EINVAL,
            "action 'a1' is due 2026-03-01T09:00:00Z, not after now (2026-03-02T09:00:00Z)");
    REFUSED(&f, itsm_review_add_action(r, "a1", "x", NULL, T0), ITSM_EINVAL, "not after now");
    free(big);
    assert_ok(itsm_review_add_action(r, "a1", "Alert on disk space", NULL, ITSM_DUE(2)));
    REFUSED(&f, itsm_review_add_action(r, "a1", "again", NULL, ITSM_DUE(2)), ITSM_EEXISTS,
            "the review of INC-000001 has an action 'a1' already");

    /* assigning, doing */
    REFUSED(&f, itsm_review_assign_action(r, "a1", NULL), ITSM_EINVAL, "the action's owner is required");
    REFUSED(&f, itsm_review_assign_action(r, NULL, "bob"), ITSM_EINVAL, "the action's id is required");
    REFUSED(&f, itsm_review_assign_action(r, "a9", "bob"), ITSM_ENOTFOUND,
            "the review of INC-000001 has no action 'a9' (it has 'a1')");
    REFUSED(&f, itsm_review_action_done(r, "a9", NULL), ITSM_ENOTFOUND, "has no action 'a9'");
    REFUSED(&f, itsm_review_action_done(r, "a1", NULL), ITSM_ESTATE,
            "action 'a1' of the review of INC-000001 has no owner: assign it before it is done");
    assert_ok(itsm_review_assign_action(r, "a1", "bob"));
    REFUSED(&f, itsm_review_assign_action(r, "a1", "bob"), ITSM_ESTATE,
            "action 'a1' of the review of INC-000001 is owned by bob already");
    REFUSED(&f, itsm_review_action_done(r, "a1", "bad \xff note"), ITSM_EINVAL, "the note");
    f.store.fail_at = f.store.appends + 1;
    REFUSED(&f, itsm_review_action_done(r, "a1", "fine"), ITSM_ESTORE, "");
    assert_ok(itsm_review_action_done(r, "a1", "fine"));
    REFUSED(&f, itsm_review_action_done(r, "a1", NULL), ITSM_ESTATE,
            "action 'a1' of the review of INC-000001 is done already");
    REFUSED(&f, itsm_review_assign_action(r, "a1", "carl"), ITSM_ESTATE,
            "action 'a1' of the review of INC-000001 is done");

    /* completing */
    REFUSED(&f, itsm_review_complete(r), ITSM_ESTATE,
            "the review of INC-000001 cannot be complete: no contributing cause is recorded");
    assert_ok(itsm_review_add_cause(r, "A full disk"));
    assert_ok(itsm_review_add_action(r, "a2", "Rotate the logs daily", NULL, ITSM_DUE(5)));
    REFUSED(&f, itsm_review_complete(r), ITSM_ESTATE,
            "the review of INC-000001 cannot be complete: action 'a2' (Rotate the logs daily) has no owner");
    assert_ok(itsm_review_assign_action(r, "a2", "ops_olga"));
    assert_ok(itsm_review_complete(r));
    REFUSED(&f, itsm_review_complete(r), ITSM_ESTATE, "the review of INC-000001 is complete already");
    REFUSED(&f, itsm_review_add_cause(r, "late"), ITSM_ESTATE,
            "the review of INC-000001 is complete: no cause can be added");
    REFUSED(&f, itsm_review_add_action(r, "a3", "late", "bob", ITSM_DUE(5)), ITSM_ESTATE,
            "the review of INC-000001 is complete: no action can be added");
    /* the open action is still tracked: reassigned and done after */
    assert_ok(itsm_review_assign_action(r, "a2", "ops_pete"));
    assert_ok(itsm_review_action_done(r, "a2", NULL));

    /* readers */
    itsm_review_info ri = { .size = sizeof ri };
    assert_int_equal(itsm_record_review(&ri, plain), ITSM_ENOTFOUND);
    assert_int_equal(itsm_record_review(NULL, r), ITSM_EINVAL);
    assert_int_equal(itsm_record_review(&ri, NULL), ITSM_EINVAL);
    ri.size = 4;
    assert_fails(f.eng, itsm_record_review(&ri, r), ITSM_EINVAL, "itsm_review_info");
    itsm_review_action a = { .size = sizeof a };
    assert_fails(f.eng, itsm_review_action_at(&a, r, 2), ITSM_EINVAL, "index 2 is out of range (2)");
    /* No review is an answer, as itsm_record_review's: the message stays. */
    assert_int_equal(itsm_review_action_at(&a, plain, 0), ITSM_ENOTFOUND);
    assert_int_equal(itsm_review_cause_at(&(itsm_review_cause){ .size = sizeof(itsm_review_cause) }, plain, 0),
                     ITSM_ENOTFOUND);
    assert_non_null(strstr(itsm_errmsg(f.eng), "index 2 is out of range (2)"));
    assert_fails(f.eng, itsm_review_action_at(NULL, r, 0), ITSM_EINVAL, "out is NULL");
    itsm_review_cause c = { .size = sizeof c };
    assert_fails(f.eng, itsm_review_cause_at(&c, r, 1), ITSM_EINVAL, "index 1 is out of range (1)");
    c.size = 3;
    assert_fails(f.eng, itsm_review_cause_at(&c, r, 0), ITSM_EINVAL, "itsm_review_cause");
    assert_int_equal(itsm_engine_review_actions(NULL, NULL, NULL, NULL), ITSM_EINVAL);
    assert_replay_same(&f, NULL, ITSM_DUE(9));
    fixture_close(&f);
}

/* Failing allocation N, for N = 1.. until the step succeeds: every failure
 * leaves the engine as it was. */
static void a_failing_allocator_changes_nothing(void **state)
{
    (void)state;
    for (int step = 0; step < 4; step++) {
        int done = 0;
        for (long n = 1; !done && n < 200; n++) {
            failalloc fa = { 0 };
            fixture f;
            fixture_open_with(&f, NULL, &fa);
            itsm_record *r = major(&f);
            if (step > 0)
                assert_ok(itsm_review_open(r));
            if (step > 2)
                assert_ok(itsm_review_add_action(r, "a1", "Alert on disk space", NULL, ITSM_DUE(1)));
            char *before = engine_dump(f.eng);
            size_t n0 = f.store.n;
            fa.fail_at = fa.calls + n;
            int rc = step == 0 ? itsm_review_open(r)
                   : step == 1 ? itsm_review_add_cause(r, "A full disk")
                   : step == 2 ? itsm_review_add_action(r, "a1", "Alert on disk space", "bob", ITSM_DUE(1))
                               : itsm_review_assign_action(r, "a1", "bob");
            fa.fail_at = 0;
            if (rc == ITSM_OK) {
                done = 1;
            } else {
                assert_int_equal(rc, ITSM_ENOMEM);
                char *after = engine_dump(f.eng);
                assert_string_equal(before, after);
                free(after);
                assert_int_equal(f.store.n, n0);
            }
            free(before);
            itsm_engine_free(f.eng);
            memstore_free(&f.store);
        }
        assert_true(done);
    }
}

static void an_open_action_past_due_fires_once_and_a_done_one_never(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *r = major(&f);
    assert_ok(itsm_review_open(r));
    assert_ok(itsm_review_add_action(r, "late", "Fix the alarm", "bob", ITSM_DUE(2)));
    assert_ok(itsm_review_add_action(r, "early", "Rotate logs", "ann", ITSM_DUE(1)));
    assert_ok(itsm_review_add_action(r, "done", "Add a disk", "cat", ITSM_DUE(1)));
    assert_ok(itsm_review_action_done(r, "done", NULL));
    /* the major incident's own timers fire too: count the review's */
    assert_ok(itsm_engine_tick(f.eng, ITSM_DUE(1), NULL));
    assert_int_equal(count_events(&f.store, "review_action_overdue"), 0);   /* at its due time: on time */
    assert_int_equal(itsm_engine_next_deadline(f.eng), ITSM_DUE(1) + 1);
    /* the earliest first, each once, at its own time */
    assert_ok(itsm_engine_tick(f.eng, ITSM_DUE(5), NULL));
    assert_int_equal(count_events(&f.store, "review_action_overdue"), 2);
    const char *first = find_event(&f.store, "review_action_overdue");
    assert_non_null(strstr(first, "\"at\":\"2026-03-03T09:00:01Z\""));
    assert_non_null(strstr(first, "\"id\":\"early\""));
    assert_non_null(strstr(f.store.events[f.store.n - 1], "\"at\":\"2026-03-04T09:00:01Z\""));
    assert_ok(itsm_engine_tick(f.eng, ITSM_DUE(9), NULL));
    assert_int_equal(count_events(&f.store, "review_action_overdue"), 2);
    /* a tick backwards fires nothing */
    size_t fired = 9;
    assert_ok(itsm_engine_tick(f.eng, ITSM_DUE(1), &fired));
    assert_int_equal(fired, 0);
    assert_int_equal(count_events(&f.store, "review_action_overdue"), 2);
    size_t open, overdue, unowned;
    assert_ok(itsm_engine_review_actions(f.eng, &open, &overdue, &unowned));
    assert_int_equal(open, 2);
    assert_int_equal(overdue, 2);
    assert_int_equal(unowned, 0);
    itsm_review_info ri = { .size = sizeof ri };
    assert_ok(itsm_record_review(&ri, r));
    assert_int_equal(ri.overdue_actions, 2);
    /* done late: no longer counted */
    f.clock.now = ITSM_DUE(6);
    assert_ok(itsm_review_action_done(r, "late", NULL));
    assert_ok(itsm_engine_review_actions(f.eng, &open, &overdue, NULL));
    assert_int_equal(open, 1);
    assert_int_equal(overdue, 1);
    /* a closed major incident's actions still fire */
    itsm_record *m2 = major(&f);
    assert_ok(itsm_review_open(m2));
    assert_ok(itsm_review_add_action(m2, "x", "Check backups", NULL, ITSM_DUE(8)));
    assert_ok(itsm_record_fire(m2, "cancel", NULL, 0));
    assert_ok(itsm_engine_tick(f.eng, ITSM_DUE(9), NULL));
    assert_int_equal(count_events(&f.store, "review_action_overdue"), 3);
    assert_non_null(find_event(&f.store, "\"action\":{\"id\":\"x\",\"owner\":null,"));
    assert_replay_same(&f, NULL, ITSM_DUE(10));
    fixture_close(&f);
}

static void the_majors_problem_is_not_closed_while_an_action_has_no_owner(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *r = major(&f);
    assert_ok(itsm_review_open(r));
    assert_ok(itsm_review_add_action(r, "alarm", "Alert on disk space", NULL, ITSM_DUE(7)));
    itsm_record *prb = NULL;
    assert_ok(itsm_problem_open_from_incident(&prb, r, NULL));
    itsm_change c[2] = { { ITSM_F_RESOLUTION_CODE, "risk_accepted", 0 },
                         { ITSM_F_CLOSE_JUSTIFICATION, "not worth digging", 0 } };
    REFUSED(&f, itsm_record_fire(prb, "close_without_fix", c, 2), ITSM_EGUARD,
            "needs every review action owned: action 'alarm' (Alert on disk space) of the review of INC-000001 has "
            "no owner");
    assert_int_equal(itsm_guard_missing_count(f.eng), 1);
    assert_ok(itsm_review_assign_action(r, "alarm", "ops_bob"));
    assert_ok(itsm_record_fire(prb, "close_without_fix", c, 2));
    assert_string_equal(itsm_record_state(prb), "closed");
    /* the guard term is checked when a policy is built */
    itsm_policy *p;
    assert_ok(itsm_policy_new_default(&p, NULL));
    assert_ok(itsm_policy_add_event(p, ITSM_KIND_PROBLEM, "review_checked"));
    itsm_transition_def t = ITSM_TRANSITION_DEF_INIT;
    t.from = "new";
    t.event = "review_checked";
    t.to = "assessed";
    t.guard = "review:all";
    assert_int_equal(itsm_policy_add_transition(p, ITSM_KIND_PROBLEM, &t), ITSM_EINVAL);
    assert_non_null(strstr(itsm_policy_errmsg(p), "'review:' takes 'owned'"));
    itsm_policy_free(p);
    fixture_close(&f);
}

static void the_timeline_excerpt_keeps_the_key_moments(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    assert_ok(itsm_engine_set_actor(f.eng, "mim_max"));
    itsm_record *r = major(&f);
    itsm_change d = { ITSM_F_DESCRIPTION, "more detail", 0 };
    assert_ok(itsm_record_update(r, &d, 1));
    itsm_note_opts n = ITSM_NOTE_OPTS_INIT;
    n.text = "looking at the database";
    assert_ok(itsm_record_add_note(r, &n));
    start_work(r);
    assert_ok(itsm_review_open(r));
    itsm_timeline *full, *ex;
    assert_ok(itsm_record_timeline(&full, r));
    assert_ok(itsm_review_timeline(&ex, r));
    assert_int_equal(itsm_timeline_complete(ex), 1);
    const char *want[] = { "open", "major_proposed", "major_decided", "transition", "review_opened" };
    assert_int_equal(itsm_timeline_count(ex), N_(want));
    for (size_t i = 0; i < N_(want); i++) {
        itsm_timeline_entry e = { .size = sizeof e };
        assert_ok(itsm_timeline_at(ex, i, &e));
        assert_string_equal(e.type, want[i]);
    }
    itsm_timeline_entry e = { .size = sizeof e };
    assert_ok(itsm_timeline_at(ex, 3, &e));
    assert_string_equal(e.event, "start");
    assert_true(itsm_timeline_count(full) > itsm_timeline_count(ex));
    itsm_timeline_free(full);
    itsm_timeline_free(ex);
    assert_int_equal(itsm_review_timeline(NULL, r), ITSM_EINVAL);
    assert_int_equal(itsm_review_timeline(&ex, NULL), ITSM_EINVAL);
    assert_null(ex);
    fixture_close(&f);
}

static void malformed_review_events_are_refused_and_change_nothing(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *r = major(&f);
    assert_ok(itsm_review_open(r));
    assert_ok(itsm_review_add_action(r, "a1", "Alert", NULL, ITSM_DUE(1)));
    itsm_engine *e2 = replay_into(&f.store, NULL);
    char *before = engine_dump(e2);
    static const struct { const char *tail, *why; } bad[] = {
        { "\"type\":\"review_opened\"", "has a review already" },
        { "\"type\":\"review_cause_added\",\"cause\":\"\"", "'cause' must be 1..65536 bytes of UTF-8" },
        { "\"type\":\"review_cause_added\",\"cause\":7", "'cause' must be" },
        { "\"type\":\"review_action_added\",\"action\":{\"id\":\"a1\",\"text\":\"x\",\"owner\":null,"
          "\"due\":\"2026-03-03T09:00:00Z\"}", "has an action 'a1' already" },
        { "\"type\":\"review_action_added\",\"action\":{\"id\":\"a2\",\"text\":\"x\",\"owner\":null,"
          "\"due\":\"tomorrow\"}", "'due' must be a time" },
        { "\"type\":\"review_action_added\",\"action\":{\"id\":\"\",\"text\":\"x\",\"owner\":null,"
          "\"due\":\"2026-03-03T09:00:00Z\"}", "'id' must be a name" },
        { "\"type\":\"review_action_added\",\"action\":{\"id\":\"a2\",\"text\":\"x\",\"owner\":null}",
          "'due' must be a time" },
        { "\"type\":\"review_action_added\",\"action\":{\"id\":\"a2\",\"text\":\"x\",\"owner\":null,"
          "\"due\":\"2026-03-03T09:00:00Z\",\"extra\":1}", "extra" },
        { "\"type\":\"review_action_added\",\"action\":[]", "needs an 'action' object" },
        { "\"type\":\"review_action_assigned\",\"action\":{\"id\":\"a9\",\"owner\":\"bob\"}", "has no action 'a9'" },
        { "\"type\":\"review_action_assigned\",\"action\":{\"id\":\"a1\",\"owner\":null}", "'owner' must be a name" },
        { "\"type\":\"review_action_done\",\"action\":{\"id\":\"a1\",\"note\":null}", "action 'a1' of INC-000001 has no owner" },
        { "\"type\":\"review_action_overdue\",\"action\":{\"id\":\"a1\",\"owner\":null,"
          "\"due\":\"2026-03-05T09:00:00Z\"}", "is due at another time" },
        { "\"type\":\"review_completed\",\"extra\":1", "extra" },
    };
    for (size_t i = 0; i < N_(bad); i++) {
        char ev[1024];
        snprintf(ev, sizeof ev, "{\"v\":1,%s,\"record\":\"INC-000001\",\"kind\":\"incident\",\"rev\":%llu,"
                 "\"at\":\"2026-03-02T10:00:00Z\"}", bad[i].tail,
                 (unsigned long long)itsm_record_revision(r) + 1);
        /* the type first, the rest after: the members' order is free */
        itsm_parse_error err;
        int rc = itsm_engine_replay_json(e2, ev, strlen(ev), &err);
        if (rc == ITSM_OK || (!strstr(err.text, bad[i].why) && !strstr(itsm_errmsg(e2), bad[i].why)))
            fail_msg("%s: got %s \"%s\" / \"%s\", wanted \"%s\"", ev, itsm_errname(rc), err.text,
                     itsm_errmsg(e2), bad[i].why);
        char *after = engine_dump(e2);
        assert_string_equal(before, after);
        free(after);
    }
    /* a review on a record that is not an incident */
    itsm_record *prb = NULL;
    itsm_record_opts o = ITSM_RECORD_OPTS_INIT;
    o.kind = ITSM_KIND_PROBLEM;
    assert_ok(itsm_record_open(&prb, f.eng, &o));
    char ev[512];
    snprintf(ev, sizeof ev, "{\"v\":1,\"type\":\"review_opened\",\"record\":\"PRB-000001\",\"kind\":\"problem\","
             "\"rev\":2,\"at\":\"2026-03-02T10:00:00Z\"}");
    itsm_engine *e3 = replay_into(&f.store, NULL);
    itsm_parse_error err;
    assert_int_equal(itsm_engine_replay_json(e3, ev, strlen(ev), &err), ITSM_EPARSE);
    assert_non_null(strstr(err.text, "only a major incident has a post-incident review"));
    itsm_engine_free(e3);
    free(before);
    itsm_engine_free(e2);
    fixture_close(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_review_step_is_one_event_in_a_stable_form),
        cmocka_unit_test(the_sink_hears_each_review_event_as_stored),
        cmocka_unit_test(a_replayed_engine_goes_on_exactly_as_the_live_one),
        cmocka_unit_test(every_refusal_names_its_reason_and_changes_nothing),
        cmocka_unit_test(a_failing_allocator_changes_nothing),
        cmocka_unit_test(an_open_action_past_due_fires_once_and_a_done_one_never),
        cmocka_unit_test(the_majors_problem_is_not_closed_while_an_action_has_no_owner),
        cmocka_unit_test(the_timeline_excerpt_keeps_the_key_moments),
        cmocka_unit_test(malformed_review_events_are_refused_and_change_nothing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
