/* SPDX-License-Identifier: Apache-2.0 */
/* The customer's verification window after a restoration (DESIGN.md
 * section 7, seed 002: "allow up to three days for the customer to
 * contact the Service Desk ... If the customer doesn't respond, then the
 * incident ticket is auto-closed"): a reopen within the window, a reopen
 * after a blocked auto-close, the window after the timer closed the record,
 * the closure checklist's refusals naming everything missing, and the
 * survey sample drawn by the record id alone. Black-box. */
#include "sla/sla_support.h"

static void resolve_complete(itsm_record *r)
{
    itsm_change c[4] = { { ITSM_F_RESOLUTION_CODE, "fixed", 0 }, { ITSM_F_RESOLUTION_NOTES, "replaced the relay", 0 },
                         { ITSM_F_CATEGORY, "mail", 0 }, { ITSM_F_KNOWLEDGE_DECISION, "not_needed", 0 } };
    assert_ok(itsm_record_fire(r, "resolve", c, 4));
}

/* The customer rejects the restoration on day two: the first window is
 * gone with the resolution it belonged to. Resolved again, the customer
 * gets three full days from the second resolution - the tick at the first
 * window's end closes nothing. */
static void a_reopen_within_the_window_gives_the_next_resolution_a_full_window(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *r = open_inc(&f, 2, 2, "Mail");
    start_work(r);
    f.clock.now = T0 + HOUR;
    resolve_complete(r);
    f.clock.now = T0 + 2 * DAY;
    assert_ok(itsm_record_fire(r, "reopen", NULL, 0));
    assert_int_equal(itsm_record_auto_close_due(r), ITSM_TIME_NONE);
    f.clock.now = T0 + 2 * DAY + 3 * HOUR;
    resolve_complete(r);
    assert_int_equal(itsm_record_auto_close_due(r), T0 + 5 * DAY + 3 * HOUR);
    assert_int_equal(itsm_record_int(r, ITSM_F_RESOLVED_AT), T0 + 2 * DAY + 3 * HOUR);
    assert_int_equal(sla_tick(&f, T0 + HOUR + 3 * DAY), 0);
    assert_string_equal(itsm_record_state(r), "resolved");
    assert_int_equal(sla_tick(&f, T0 + 5 * DAY + 3 * HOUR - 1), 0);
    assert_int_equal(sla_tick(&f, T0 + 5 * DAY + 3 * HOUR), 1);
    assert_string_equal(itsm_record_state(r), "closed");
    assert_int_equal(itsm_record_int(r, ITSM_F_CLOSED_AT), T0 + 5 * DAY + 3 * HOUR);
    assert_int_equal(itsm_record_int(r, ITSM_F_REOPENS), 1);
    assert_replay_same(&f, NULL, T0 + 6 * DAY);
    fixture_close(&f);
}

/* Once the timer has closed the record the window is over: the customer
 * can no longer reject the restoration (nor confirm it), nor is an update
 * added to it (ITSM_ESTATE); the refusals store nothing and count no
 * reopen. */
static void after_the_timer_closed_the_record_it_cannot_be_reopened(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *r = open_inc(&f, 2, 2, "Mail");
    start_work(r);
    resolve_complete(r);
    assert_int_equal(sla_tick(&f, T0 + 3 * DAY), 1);
    assert_string_equal(itsm_record_state(r), "closed");
    size_t stored = f.store.n;
    uint64_t rev = itsm_record_revision(r);
    f.clock.now = T0 + 3 * DAY + MIN;
    assert_int_equal(itsm_record_fire(r, "reopen", NULL, 0), ITSM_ETRANSITION);
    assert_int_equal(itsm_record_fire(r, "confirm", NULL, 0), ITSM_ETRANSITION);
    /* nor take a note: a closed record's timeline is final */
    itsm_note_opts n = ITSM_NOTE_OPTS_INIT;
    n.kind = ITSM_NOTE_CUSTOMER;
    n.text = "still broken";
    n.expected_restoration = T0 + 4 * DAY;
    n.next_update = T0 + 4 * DAY;
    assert_int_equal(itsm_record_add_note(r, &n), ITSM_ESTATE);
    assert_non_null(strstr(itsm_errmsg(f.eng), "closed"));
    assert_int_equal(timer(r, ITSM_TIMER_NEXT_UPDATE, f.clock.now).status, ITSM_TIMER_STOPPED);
    assert_int_equal(f.store.n, stored);
    assert_int_equal(itsm_record_revision(r), rev);
    assert_int_equal(itsm_record_int(r, ITSM_F_REOPENS), 0);
    assert_int_equal(itsm_record_auto_close_due(r), ITSM_TIME_NONE);
    fixture_close(&f);
}

/* The timer found the checklist incomplete and left the record resolved.
 * The customer may still come back: the reopen is accepted and counted,
 * and the next resolution - checklist complete - waits its own three days
 * rather than closing at once as a timer already overdue would. */
static void a_reopen_after_a_blocked_auto_close_waits_a_fresh_window(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *r = open_inc(&f, 2, 2, "Mail");
    start_work(r);
    resolve(r);   /* no category */
    assert_int_equal(sla_tick(&f, T0 + 3 * DAY), 1);
    assert_int_equal(count_events(&f.store, "auto_close_blocked"), 1);
    assert_string_equal(itsm_record_state(r), "resolved");
    f.clock.now = T0 + 4 * DAY;
    assert_ok(itsm_record_fire(r, "reopen", NULL, 0));
    assert_int_equal(itsm_record_int(r, ITSM_F_REOPENS), 1);
    f.clock.now = T0 + 4 * DAY + HOUR;
    resolve_complete(r);
    assert_int_equal(itsm_record_auto_close_due(r), T0 + 7 * DAY + HOUR);
    assert_int_equal(sla_tick(&f, T0 + 4 * DAY + HOUR), 0);
    assert_int_equal(sla_tick(&f, T0 + 7 * DAY + HOUR - 1), 0);
    assert_string_equal(itsm_record_state(r), "resolved");
    assert_int_equal(sla_tick(&f, T0 + 7 * DAY + HOUR), 1);
    assert_string_equal(itsm_record_state(r), "closed");
    assert_int_equal(count_events(&f.store, "auto_close_blocked"), 1);
    assert_replay_same(&f, NULL, T0 + 8 * DAY);
    fixture_close(&f);
}

/* Seed 003 "before you close the ticket make sure": category set,
 * resolution documented, owner set, knowledge decision made. With several
 * missing, the customer's confirmation is refused naming every one of
 * them (message and data), the owner included, and the timer's
 * auto_close_blocked names the same - never an item that is in place. */
static void the_checklist_refusal_names_everything_missing_and_nothing_present(void **state)
{
    (void)state;
    itsm_policy *p;
    assert_ok(itsm_policy_new_default(&p, NULL));
    assert_ok(itsm_policy_set_closure(p, 259200, 100, 0));   /* no automatic knowledge decision */
    fixture f;
    fixture_open_policy(&f, p);
    itsm_policy_free(p);
    itsm_record *r = open_inc(&f, 2, 2, "Mail");
    start_work(r);
    resolve(r);
    assert_ok(itsm_record_set_str(r, ITSM_F_ASSIGNEE, NULL));   /* the owner left */
    size_t stored = f.store.n;
    assert_int_equal(itsm_record_fire(r, "confirm", NULL, 0), ITSM_EGUARD);
    const char *msg = itsm_errmsg(f.eng);
    assert_non_null(strstr(msg, "category"));
    assert_non_null(strstr(msg, "assignee"));
    assert_non_null(strstr(msg, "knowledge_decision"));
    assert_null(strstr(msg, "resolution"));
    assert_int_equal(itsm_guard_missing_count(f.eng), 3);
    int seen = 0;
    for (size_t i = 0; i < 3; i++) {
        itsm_guard_need n = { .size = sizeof n };
        assert_ok(itsm_guard_missing_at(f.eng, i, &n));
        assert_int_equal(n.kind, ITSM_NEED_FIELD);
        seen |= !strcmp(n.field, "category") ? 1 : !strcmp(n.field, "assignee") ? 2
              : !strcmp(n.field, "knowledge_decision") ? 4 : 8;
    }
    assert_int_equal(seen, 7);
    assert_int_equal(f.store.n, stored);
    assert_int_equal(sla_tick(&f, T0 + 3 * DAY), 1);
    const char *ev = last_of(&f.store, "auto_close_blocked");
    assert_non_null(strstr(ev, "category"));
    assert_non_null(strstr(ev, "assignee"));
    assert_non_null(strstr(ev, "knowledge_decision"));
    assert_null(strstr(ev, "resolution_code"));
    assert_string_equal(itsm_record_state(r), "resolved");
    /* the checklist completed, the customer's confirmation closes it */
    f.clock.now = T0 + 3 * DAY + HOUR;
    itsm_change c[3] = { { ITSM_F_CATEGORY, "mail", 0 }, { ITSM_F_ASSIGNEE, "bob", 0 },
                         { ITSM_F_KNOWLEDGE_DECISION, "not_needed", 0 } };
    assert_ok(itsm_record_fire(r, "confirm", c, 3));
    assert_string_equal(itsm_record_state(r), "closed");
    fixture_close(&f);
}

/* "The same record always gets the same answer": the sample is drawn from
 * the record id alone, so the same ids opened in the opposite order, among
 * other records, in another engine, fall in or out of the sample alike. */
static void the_survey_sample_follows_the_id_not_the_order_of_opening(void **state)
{
    (void)state;
    itsm_policy *p;
    assert_ok(itsm_policy_new_default(&p, NULL));
    assert_ok(itsm_policy_set_closure(p, 259200, 500, 1));
    fixture a, b;
    fixture_open_policy(&a, p);
    fixture_open_policy(&b, p);
    enum { N = 40 };
    int in_a[N], sampled = 0;
    char id[32];
    for (int i = 0; i < N; i++) {
        itsm_record *r = NULL;
        itsm_record_opts o = ITSM_RECORD_OPTS_INIT;
        snprintf(id, sizeof id, "CALL-%d", i);
        o.id = id;
        assert_ok(itsm_record_open(&r, a.eng, &o));
        in_a[i] = itsm_record_survey_sampled(r);
        sampled += in_a[i];
    }
    assert_true(sampled > 0 && sampled < N);   /* half, give or take: both answers occur */
    for (int i = N; i-- > 0;) {
        open_inc(&b, 3, 3, NULL);   /* engine-numbered records in between */
        itsm_record *r = NULL;
        itsm_record_opts o = ITSM_RECORD_OPTS_INIT;
        snprintf(id, sizeof id, "CALL-%d", i);
        o.id = id;
        assert_ok(itsm_record_open(&r, b.eng, &o));
        assert_int_equal(itsm_record_survey_sampled(r), in_a[i]);
    }
    fixture_close(&a);
    fixture_close(&b);
    itsm_policy_free(p);
}

/* The window is the customer's, in wall time from the restoration: work
 * on the resolved record - a new priority, another group, a restoration
 * notice - re-plans its service levels but neither moves nor restarts it. */
static void work_on_a_resolved_record_does_not_move_its_window(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *r = open_inc(&f, 2, 2, "Mail");   /* P3 */
    start_work(r);
    f.clock.now = T0 + HOUR;
    resolve_complete(r);
    f.clock.now = T0 + 2 * HOUR;
    itsm_change up[2] = { { ITSM_F_IMPACT, NULL, 1 }, { ITSM_F_URGENCY, NULL, 1 } };
    assert_ok(itsm_record_update(r, up, 2));
    f.clock.now = T0 + DAY;
    assert_ok(itsm_record_set_str(r, ITSM_F_ASSIGNMENT_GROUP, "Messaging"));
    f.clock.now = T0 + 2 * DAY;
    itsm_note_opts n = ITSM_NOTE_OPTS_INIT;
    n.kind = ITSM_NOTE_CUSTOMER;
    n.text = "mail flows again, please confirm";
    n.expected_restoration = T0 + HOUR;
    n.next_update = T0 + 4 * DAY;
    assert_ok(itsm_record_add_note(r, &n));
    assert_int_equal(itsm_record_auto_close_due(r), T0 + HOUR + 3 * DAY);
    assert_int_equal(sla_tick(&f, T0 + HOUR + 3 * DAY - 1), 0);
    assert_int_equal(sla_tick(&f, T0 + HOUR + 3 * DAY), 1);
    assert_string_equal(itsm_record_state(r), "closed");
    assert_replay_same(&f, NULL, T0 + 5 * DAY);
    fixture_close(&f);
}

/* A desk that ticks only when it opens again still closes the record as of
 * the end of the customer's three days: resolved on Friday at 16:00 (a P4
 * on the business calendar), ticked first on Tuesday at 10:00, the record
 * is closed at Monday 16:00 - the weekend counted, the late tick not. */
static void a_late_tick_closes_at_the_end_of_the_window(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *r = open_inc(&f, 2, 3, NULL);   /* P4 */
    start_work(r);
    const itsm_time friday_1600 = T0 + 4 * DAY + 7 * HOUR;
    f.clock.now = friday_1600;
    resolve_complete(r);
    assert_int_equal(itsm_record_auto_close_due(r), friday_1600 + 3 * DAY);
    assert_int_equal(sla_tick(&f, T0 + 8 * DAY + HOUR), 1);   /* Tuesday 10:00 */
    assert_string_equal(itsm_record_state(r), "closed");
    assert_int_equal(itsm_record_int(r, ITSM_F_CLOSED_AT), friday_1600 + 3 * DAY);
    assert_non_null(strstr(f.store.events[f.store.n - 1], "\"at\":\"2026-03-09T16:00:00Z\""));
    assert_replay_same(&f, NULL, T0 + 9 * DAY);
    fixture_close(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_reopen_within_the_window_gives_the_next_resolution_a_full_window),
        cmocka_unit_test(after_the_timer_closed_the_record_it_cannot_be_reopened),
        cmocka_unit_test(a_reopen_after_a_blocked_auto_close_waits_a_fresh_window),
        cmocka_unit_test(the_checklist_refusal_names_everything_missing_and_nothing_present),
        cmocka_unit_test(the_survey_sample_follows_the_id_not_the_order_of_opening),
        cmocka_unit_test(work_on_a_resolved_record_does_not_move_its_window),
        cmocka_unit_test(a_late_tick_closes_at_the_end_of_the_window),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
