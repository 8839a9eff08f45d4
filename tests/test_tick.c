/* SPDX-License-Identifier: Apache-2.0 */
/* The deadline queue and the tick: warnings, breaches, the ladder,
 * auto-close; store and allocation failure; replay after ticks. */
#include "sla/sla_support.h"


static void warning_at_75_percent_then_breach_climbs_the_ladder(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *r = open_inc(&f, 1, 2, NULL);   /* P2: response 30 min, resolution 8 h */
    start_work(r);                              /* responded at T0 */
    /* the first deadline: next update (P2 cadence 1 h) is missed after T0 + 1 h */
    assert_int_equal(itsm_engine_next_deadline(f.eng), T0 + HOUR + 1);
    assert_int_equal(sla_tick(&f, T0 + 6 * HOUR - 1), 1);
    assert_int_equal(count_events(&f.store, "update_overdue"), 1);
    assert_int_equal(count_events(&f.store, "sla_warning"), 0);
    assert_int_equal(sla_tick(&f, T0 + 6 * HOUR), 1);
    assert_int_equal(count_events(&f.store, "sla_warning"), 1);
    assert_non_null(strstr(f.store.events[f.store.n - 1], "\"audience\":[\"ann\",\"Desk\"]"));
    assert_int_equal(timer(r, ITSM_TIMER_RESOLUTION, T0 + 6 * HOUR).warnings, 1);
    assert_int_equal(itsm_record_int(r, ITSM_F_HIERARCHICAL_LEVEL), 0);
    assert_int_equal(sla_tick(&f, T0 + 8 * HOUR - 1), 0);
    assert_int_equal(sla_tick(&f, T0 + 8 * HOUR), 1);
    assert_int_equal(count_events(&f.store, "sla_breach"), 1);
    assert_int_equal(count_events(&f.store, "escalation_step"), 1);
    assert_non_null(strstr(f.store.events[f.store.n - 1], "\"audience\":\"team_lead\""));
    assert_int_equal(itsm_record_int(r, ITSM_F_HIERARCHICAL_LEVEL), 1);
    assert_string_equal(itsm_record_escalation_audience(r), "team_lead");
    assert_true(timer(r, ITSM_TIMER_RESOLUTION, T0 + 8 * HOUR).breached);
    /* nothing more to fire for it */
    assert_int_equal(sla_tick(&f, T0 + 30 * DAY), 0);
    assert_replay_same(&f, NULL, T0 + 9 * HOUR);
    fixture_close(&f);
}

static void a_late_tick_fires_everything_due_in_deadline_order(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *a = open_inc(&f, 1, 1, NULL);   /* P1: response 15 min, resolution 4 h */
    f.clock.now = T0 + 60;
    itsm_record *b = open_inc(&f, 1, 1, NULL);
    size_t before = f.store.n;
    /* response warning + breach and resolution warning + breach for both */
    assert_int_equal(sla_tick(&f, T0 + DAY), 8);
    assert_int_equal(count_events(&f.store, "sla_breach"), 4);
    /* in deadline order: a's response warning first, b's resolution breach last */
    assert_non_null(strstr(f.store.events[before], itsm_record_id(a)));
    assert_non_null(strstr(f.store.events[before], "sla_warning"));
    assert_non_null(strstr(f.store.events[f.store.n - 1], itsm_record_id(b)));
    /* two breaches each climb: team lead, then service desk manager */
    assert_int_equal(itsm_record_int(a, ITSM_F_HIERARCHICAL_LEVEL), 2);
    assert_string_equal(itsm_record_escalation_audience(b), "service_desk_manager");
    assert_replay_same(&f, NULL, T0 + DAY);
    fixture_close(&f);
}

static void paused_clock_does_not_fire(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *r = open_inc(&f, 1, 2, NULL);
    start_work(r);
    f.clock.now = T0 + HOUR;
    hold(r, "awaiting_customer");
    assert_int_equal(sla_tick(&f, T0 + 10 * DAY), 1);   /* only the missed update */
    assert_int_equal(count_events(&f.store, "update_overdue"), 1);
    f.clock.now = T0 + 10 * DAY;
    assert_ok(itsm_record_fire(r, "resume", NULL, 0));
    /* 7 h left: the warning at 6 h of work is 5 h after resuming */
    assert_int_equal(sla_tick(&f, T0 + 10 * DAY + 5 * HOUR - 1), 0);
    assert_int_equal(sla_tick(&f, T0 + 10 * DAY + 5 * HOUR), 1);
    fixture_close(&f);
}

static itsm_record *resolved_incident(fixture *f)
{
    itsm_record *r = open_inc(f, 2, 2, NULL);
    start_work(r);
    itsm_change c[4] = { { ITSM_F_RESOLUTION_CODE, "fixed", 0 }, { ITSM_F_RESOLUTION_NOTES, "restarted", 0 },
                         { ITSM_F_CATEGORY, "mail", 0 }, { ITSM_F_KNOWLEDGE_DECISION, "not_needed", 0 } };
    assert_ok(itsm_record_fire(r, "resolve", c, 4));
    return r;
}

static void auto_close_fires_at_exactly_the_period_and_not_a_second_before(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    f.clock.now = T0 + HOUR;
    itsm_record *r = resolved_incident(&f);
    itsm_time due = T0 + HOUR + 3 * DAY;
    assert_int_equal(itsm_record_auto_close_due(r), due);
    assert_int_equal(sla_tick(&f, due - 1), 0);
    assert_string_equal(itsm_record_state(r), "resolved");
    assert_int_equal(sla_tick(&f, due), 1);
    assert_string_equal(itsm_record_state(r), "closed");
    assert_int_equal(itsm_record_int(r, ITSM_F_CLOSED_AT), due);
    assert_int_equal(itsm_record_auto_close_due(r), ITSM_TIME_NONE);
    assert_replay_same(&f, NULL, due);
    fixture_close(&f);
}

static void auto_close_never_closes_a_major_incident(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *r = open_inc(&f, 2, 2, NULL);
    assert_ok(itsm_major_propose(r, "many users"));
    assert_ok(itsm_major_decide(r, 1, "mim"));
    start_work(r);
    assert_ok(itsm_major_communication_issued(r));
    const char *g[] = { "Network" };
    assert_ok(itsm_major_engage_groups(r, g, 1));
    itsm_change c[4] = { { ITSM_F_RESOLUTION_CODE, "fixed", 0 }, { ITSM_F_RESOLUTION_NOTES, "restarted", 0 },
                         { ITSM_F_CATEGORY, "mail", 0 }, { ITSM_F_KNOWLEDGE_DECISION, "not_needed", 0 } };
    assert_ok(itsm_record_fire(r, "resolve", c, 4));
    assert_int_equal(itsm_record_auto_close_due(r), ITSM_TIME_NONE);
    sla_tick(&f, T0 + 30 * DAY);
    assert_string_equal(itsm_record_state(r), "resolved");
    assert_int_equal(count_events(&f.store, "transition") - 2, 0);   /* start, resolve only */
    fixture_close(&f);
}

static void auto_close_with_an_incomplete_checklist_is_blocked_once(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *r = open_inc(&f, 2, 2, NULL);
    start_work(r);
    resolve(r);   /* no category, no knowledge decision */
    assert_int_equal(sla_tick(&f, T0 + 3 * DAY), 1);
    assert_string_equal(itsm_record_state(r), "resolved");
    assert_int_equal(count_events(&f.store, "auto_close_blocked"), 1);
    assert_non_null(strstr(f.store.events[f.store.n - 1], "category"));
    assert_int_equal(sla_tick(&f, T0 + 4 * DAY), 0);
    /* fixing the checklist re-arms the timer, which is already due */
    f.clock.now = T0 + 4 * DAY;
    itsm_change c[2] = { { ITSM_F_CATEGORY, "mail", 0 }, { ITSM_F_KNOWLEDGE_DECISION, "not_needed", 0 } };
    assert_ok(itsm_record_update(r, c, 2));
    assert_int_equal(sla_tick(&f, T0 + 4 * DAY), 1);
    assert_string_equal(itsm_record_state(r), "closed");
    fixture_close(&f);
}

static void store_failure_during_a_tick_changes_nothing_and_the_tick_repeats(void **state)
{
    (void)state;
    for (int k = 1; k <= 8; k++) {
        fixture f;
        fixture_open(&f);
        open_inc(&f, 1, 1, NULL);
        f.clock.now = T0 + 10;
        open_inc(&f, 1, 1, NULL);
        /* the k-th timer's append fails: the k - 1 before it are kept */
        f.store.fail_at = f.store.appends + k;
        char *before = engine_dump(f.eng), *tb = timer_dump(f.eng, T0 + DAY);
        size_t stored = f.store.n, n = 0;
        assert_int_equal(itsm_engine_tick(f.eng, T0 + DAY, &n), ITSM_ESTORE);
        assert_int_equal(n, (size_t)k - 1);
        if (k == 1) {
            char *after = engine_dump(f.eng), *ta = timer_dump(f.eng, T0 + DAY);
            assert_string_equal(before, after);
            assert_string_equal(tb, ta);
            assert_int_equal(f.store.n, stored);
            free(after);
            free(ta);
        }
        assert_replay_same(&f, NULL, T0 + DAY);
        f.store.fail_at = 0;
        assert_ok(itsm_engine_tick(f.eng, T0 + DAY, &n));
        assert_int_equal(n, 8 - ((size_t)k - 1));
        assert_int_equal(count_events(&f.store, "sla_breach"), 4);
        assert_int_equal(count_events(&f.store, "sla_warning"), 4);
        assert_replay_same(&f, NULL, T0 + DAY);
        free(before);
        free(tb);
        fixture_close(&f);
    }
}

static void allocation_failure_during_a_tick_changes_nothing(void **state)
{
    (void)state;
    for (long fail = 1;; fail++) {
        failalloc fa;
        memset(&fa, 0, sizeof fa);
        fixture f;
        fixture_open_with(&f, NULL, &fa);
        itsm_record *r = open_inc(&f, 1, 2, NULL);
        start_work(r);
        f.clock.now = T0 + 2 * DAY;
        resolved_incident(&f);
        char *before = engine_dump(f.eng), *tb = timer_dump(f.eng, T0 + 9 * DAY);
        fa.fail_at = fa.calls + fail;
        size_t n = 0;
        int rc = itsm_engine_tick(f.eng, T0 + 9 * DAY, &n);
        fa.fail_at = 0;
        if (rc == ITSM_ENOMEM && n == 0) {
            char *after = engine_dump(f.eng), *ta = timer_dump(f.eng, T0 + 9 * DAY);
            assert_string_equal(before, after);
            assert_string_equal(tb, ta);
            free(after);
            free(ta);
        } else if (rc != ITSM_ENOMEM) {
            assert_int_equal(rc, ITSM_OK);
        }
        /* repeating the same tick finishes the job */
        assert_ok(itsm_engine_tick(f.eng, T0 + 9 * DAY, &n));
        assert_int_equal(count_events(&f.store, "sla_breach"), 1);
        assert_int_equal(count_events(&f.store, "auto_close_blocked"), 0);
        itsm_record *second;
        assert_ok(itsm_engine_record_at(&second, f.eng, 1));
        assert_string_equal(itsm_record_state(second), "closed");
        assert_replay_same(&f, NULL, T0 + 9 * DAY);
        free(before);
        free(tb);
        int done = !fa.failed;
        itsm_engine_free(f.eng);
        memstore_free(&f.store);
        assert_int_equal(fa.live, 0);
        if (done)
            break;
    }
}

/* DESIGN 4: warnings at fractions of the target - the policy may list
 * several; each fires once, at its own fraction, as an event on tick. */
static void every_warning_fraction_in_the_policy_fires_once_at_its_fraction(void **state)
{
    (void)state;
    itsm_policy *p;
    assert_ok(itsm_policy_new_default(&p, NULL));
    const unsigned w[2] = { 500, 900 };
    assert_ok(itsm_policy_set_warnings(p, w, 2));
    fixture f;
    fixture_open_policy(&f, p);
    itsm_record *r = open_inc(&f, 1, 2, NULL);   /* P2: resolution 8 h on 24x7 */
    start_work(r);                              /* response met at T0 */
    sla_tick(&f, T0 + 4 * HOUR - 1);
    assert_int_equal(count_events(&f.store, "sla_warning"), 0);
    sla_tick(&f, T0 + 4 * HOUR);                    /* 50% */
    assert_int_equal(count_events(&f.store, "sla_warning"), 1);
    assert_int_equal(timer(r, ITSM_TIMER_RESOLUTION, T0 + 4 * HOUR).warnings, 1);
    sla_tick(&f, T0 + 6 * HOUR);                    /* the default 75% is not in this policy */
    assert_int_equal(count_events(&f.store, "sla_warning"), 1);
    sla_tick(&f, T0 + 7 * HOUR + 12 * MIN - 1);
    assert_int_equal(count_events(&f.store, "sla_warning"), 1);
    sla_tick(&f, T0 + 7 * HOUR + 12 * MIN);         /* 90% */
    assert_int_equal(count_events(&f.store, "sla_warning"), 2);
    assert_int_equal(timer(r, ITSM_TIMER_RESOLUTION, T0 + 8 * HOUR - 1).warnings, 2);
    assert_int_equal(count_events(&f.store, "sla_breach"), 0);
    sla_tick(&f, T0 + 8 * HOUR);
    assert_int_equal(count_events(&f.store, "sla_warning"), 2);
    assert_int_equal(count_events(&f.store, "sla_breach"), 1);
    assert_replay_same(&f, p, T0 + 8 * HOUR);
    fixture_close(&f);
    itsm_policy_free(p);
}

static void tick_refuses_bad_times_and_callbacks(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    assert_fails(f.eng, itsm_engine_tick(f.eng, -1, NULL), ITSM_EINVAL, "tick time");
    assert_int_equal(itsm_engine_tick(NULL, T0, NULL), ITSM_EINVAL);
    size_t n = 7;
    assert_ok(itsm_engine_tick(f.eng, T0, &n));
    assert_int_equal(n, 0);
    assert_int_equal(itsm_engine_next_deadline(f.eng), ITSM_TIME_NONE);
    fixture_close(&f);
}

static void aging_lists_oldest_first_and_soonest_breach_first(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *a = open_inc(&f, 2, 2, NULL);   /* P3 business: breach Wed 17:00 */
    f.clock.now = T0 + HOUR;
    itsm_record *b = open_inc(&f, 1, 2, NULL);   /* P2: breach T0 + 9 h */
    f.clock.now = T0 + 2 * HOUR;
    itsm_record *c = open_inc(&f, 1, 1, NULL);   /* P1: breach T0 + 6 h */
    itsm_aging_entry e[3] = { { .size = sizeof(itsm_aging_entry) } };
    size_t n;
    assert_ok(itsm_engine_aging(e, 3, &n, f.eng, ITSM_AGING_BY_AGE, T0 + 3 * HOUR));
    assert_int_equal(n, 3);
    assert_ptr_equal(e[0].rec, a);
    assert_int_equal(e[0].age, 3 * HOUR);
    assert_ptr_equal(e[2].rec, c);
    assert_ok(itsm_engine_aging(e, 2, &n, f.eng, ITSM_AGING_BY_BREACH, T0 + 3 * HOUR));
    assert_int_equal(n, 2);
    assert_ptr_equal(e[0].rec, c);
    assert_int_equal(e[0].time_left, 3 * HOUR);
    assert_ptr_equal(e[1].rec, b);
    /* closing drops a record from the index */
    f.clock.now = T0 + 3 * HOUR;
    assert_ok(itsm_record_fire(a, "cancel", NULL, 0));
    assert_ok(itsm_engine_aging(e, 3, &n, f.eng, ITSM_AGING_BY_AGE, T0 + 3 * HOUR));
    assert_int_equal(n, 2);
    assert_ptr_equal(e[0].rec, b);
    assert_int_equal(itsm_engine_aging(e, 3, &n, f.eng, (itsm_aging_order)7, T0), ITSM_EINVAL);
    fixture_close(&f);
}

/* Aging by age is by opened_at whatever order the records reached this
 * engine in: a record opened earlier elsewhere (another node caught up on,
 * a log replayed case by case) takes its place by time, not by arrival. */
static void aging_by_age_is_by_opened_at_not_by_arrival(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    f.clock.now = T0 + 2 * HOUR;
    itsm_record *late = open_inc(&f, 2, 2, NULL);
    f.clock.now = T0;
    itsm_record *early = open_inc(&f, 2, 2, NULL);
    f.clock.now = T0 + HOUR;
    itsm_record *mid = open_inc(&f, 2, 2, NULL);
    f.clock.now = T0 + 3 * HOUR;
    itsm_record *last = open_inc(&f, 2, 2, NULL);
    itsm_aging_entry e[4] = { { .size = sizeof(itsm_aging_entry) } };
    size_t n;
    assert_ok(itsm_engine_aging(e, 4, &n, f.eng, ITSM_AGING_BY_AGE, T0 + 4 * HOUR));
    assert_int_equal(n, 4);
    assert_ptr_equal(e[0].rec, early);
    assert_int_equal(e[0].age, 4 * HOUR);
    assert_ptr_equal(e[1].rec, mid);
    assert_ptr_equal(e[2].rec, late);
    assert_ptr_equal(e[3].rec, last);
    /* the oldest alone, and after one more opening in time order */
    assert_ok(itsm_engine_aging(e, 1, &n, f.eng, ITSM_AGING_BY_AGE, T0 + 4 * HOUR));
    assert_int_equal(n, 1);
    assert_ptr_equal(e[0].rec, early);
    f.clock.now = T0 + 4 * HOUR;
    itsm_record *newest = open_inc(&f, 2, 2, NULL);
    assert_ok(itsm_record_fire(mid, "cancel", NULL, 0));
    assert_ok(itsm_engine_aging(e, 4, &n, f.eng, ITSM_AGING_BY_AGE, T0 + 5 * HOUR));
    assert_int_equal(n, 4);
    assert_ptr_equal(e[0].rec, early);
    assert_ptr_equal(e[1].rec, late);
    assert_ptr_equal(e[2].rec, last);
    assert_ptr_equal(e[3].rec, newest);
    /* a replay of the store lists them alike */
    itsm_engine *rep = replay_into(&f.store, NULL);
    itsm_aging_entry g[4] = { { .size = sizeof(itsm_aging_entry) } };
    size_t m;
    assert_ok(itsm_engine_aging(g, 4, &m, rep, ITSM_AGING_BY_AGE, T0 + 5 * HOUR));
    assert_int_equal(m, n);
    for (size_t i = 0; i < n; i++)
        assert_string_equal(itsm_record_id(g[i].rec), itsm_record_id(e[i].rec));
    itsm_engine_free(rep);
    fixture_close(&f);
}

/* With two calendars (P1/P2 on 24x7, P3-P5 on business hours) the order
 * by time left is not the order of the due times: a business record with
 * an hour of working time left over a weekend falls due after a 24x7 one
 * with hours left. Whatever `max`, the list is the head of the full one. */
static void aging_by_breach_with_a_small_max_is_the_head_of_the_full_list(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    for (int i = 0; i < 6; i++) {
        f.clock.now = T0 + i * 17 * HOUR;          /* Mon 09:00 onwards */
        open_inc(&f, 2, 2, NULL);                 /* P3, business hours */
        f.clock.now = T0 + 4 * DAY + i * HOUR;     /* Fri 09:00 onwards */
        open_inc(&f, 1, 1, NULL);                 /* P1, 24x7 */
    }
    for (itsm_time q = T0 + 4 * DAY + 8 * HOUR; q <= T0 + 5 * DAY; q += 30 * MIN) {
        itsm_aging_entry all[12] = { { .size = sizeof(itsm_aging_entry) } };
        size_t n_all;
        assert_ok(itsm_engine_aging(all, 12, &n_all, f.eng, ITSM_AGING_BY_BREACH, q));
        for (size_t i = 1; i < n_all; i++)
            assert_true(all[i - 1].time_left <= all[i].time_left);
        for (size_t m = 1; m <= n_all; m++) {
            itsm_aging_entry head[12] = { { .size = sizeof(itsm_aging_entry) } };
            size_t n;
            assert_ok(itsm_engine_aging(head, m, &n, f.eng, ITSM_AGING_BY_BREACH, q));
            assert_int_equal(n, m);
            for (size_t i = 0; i < m; i++) {
                assert_ptr_equal(head[i].rec, all[i].rec);
                assert_int_equal(head[i].time_left, all[i].time_left);
            }
        }
    }
    fixture_close(&f);
}

/* By time left: breached records first (most overdue first), paused ones
 * with their frozen time left, each record once. */
static void aging_by_breach_includes_paused_and_breached_records(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *d = open_inc(&f, 1, 1, NULL);   /* P1: breach T0 + 4 h */
    start_work(d);
    itsm_record *a = open_inc(&f, 1, 2, NULL);   /* P2: breach T0 + 8 h */
    start_work(a);
    f.clock.now = T0 + HOUR;
    itsm_record *b = open_inc(&f, 1, 2, NULL);   /* P2 */
    start_work(b);
    f.clock.now = T0 + 2 * HOUR;
    hold(b, "awaiting_customer");                /* frozen: 7 h left */
    f.clock.now = T0 + 3 * HOUR;
    itsm_record *c = open_inc(&f, 1, 2, NULL);   /* P2: breach T0 + 11 h */
    size_t n;
    f.clock.now = T0 + 6 * HOUR;
    assert_ok(itsm_engine_tick(f.eng, T0 + 6 * HOUR, &n));
    assert_true(timer(d, ITSM_TIMER_RESOLUTION, T0 + 6 * HOUR).breached);
    itsm_aging_entry e[5] = { { .size = sizeof(itsm_aging_entry) } };
    assert_ok(itsm_engine_aging(e, 5, &n, f.eng, ITSM_AGING_BY_BREACH, T0 + 6 * HOUR));
    assert_int_equal(n, 4);
    assert_ptr_equal(e[0].rec, d);
    assert_int_equal(e[0].time_left, -2 * HOUR);
    assert_ptr_equal(e[1].rec, a);
    assert_int_equal(e[1].time_left, 2 * HOUR);
    assert_ptr_equal(e[2].rec, c);
    assert_int_equal(e[2].time_left, 5 * HOUR);
    assert_ptr_equal(e[3].rec, b);
    assert_int_equal(e[3].time_left, 7 * HOUR);
    assert_ok(itsm_engine_aging(e, 2, &n, f.eng, ITSM_AGING_BY_BREACH, T0 + 7 * HOUR));
    assert_int_equal(n, 2);
    assert_ptr_equal(e[0].rec, d);
    assert_int_equal(e[0].time_left, -3 * HOUR);
    assert_ptr_equal(e[1].rec, a);
    /* resumed, b runs again and comes from the deadline queue, once */
    f.clock.now = T0 + 7 * HOUR;
    assert_ok(itsm_record_fire(b, "resume", NULL, 0));
    assert_ok(itsm_engine_aging(e, 5, &n, f.eng, ITSM_AGING_BY_BREACH, T0 + 8 * HOUR));
    assert_int_equal(n, 4);
    assert_ptr_equal(e[0].rec, d);
    assert_ptr_equal(e[1].rec, a);
    assert_int_equal(e[1].time_left, 0);
    assert_ptr_equal(e[2].rec, c);
    assert_ptr_equal(e[3].rec, b);
    assert_int_equal(e[3].time_left, 6 * HOUR);
    /* resolved: its resolution clock stops and it leaves the list */
    resolve(d);
    assert_ok(itsm_engine_aging(e, 5, &n, f.eng, ITSM_AGING_BY_BREACH, T0 + 8 * HOUR));
    assert_int_equal(n, 3);
    assert_ptr_equal(e[0].rec, a);
    fixture_close(&f);
}

/* Ties on time left are ordered by record id, so the list does not depend
 * on what an earlier query compacted: a live engine that was asked while a
 * held record resumed, and a replay that was never asked, list the same. */
static void aging_ties_are_the_same_on_a_replay(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *r[8];
    for (int i = 0; i < 8; i++) {
        r[i] = open_inc(&f, 1, 2, NULL);   /* all P2, all at T0 */
        start_work(r[i]);
    }
    f.clock.now = T0 + 10 * MIN;
    for (int i = 0; i < 4; i++)
        hold(r[i], "awaiting_customer");   /* equal frozen time left */
    f.clock.now = T0 + 20 * MIN;
    assert_ok(itsm_record_fire(r[0], "resume", NULL, 0));
    itsm_aging_entry e[8] = { { .size = sizeof(itsm_aging_entry) } }, g[8] = { { .size = sizeof(itsm_aging_entry) } };
    size_t n, m;
    assert_ok(itsm_engine_aging(e, 8, &n, f.eng, ITSM_AGING_BY_BREACH, f.clock.now));   /* compacts */
    hold(r[0], "awaiting_customer");
    itsm_engine *rep = replay_into(&f.store, NULL);
    itsm_time now = T0 + 30 * MIN;
    for (size_t max = 1; max <= 8; max++) {
        assert_ok(itsm_engine_aging(e, max, &n, f.eng, ITSM_AGING_BY_BREACH, now));
        assert_ok(itsm_engine_aging(g, max, &m, rep, ITSM_AGING_BY_BREACH, now));
        assert_int_equal(n, max);
        assert_int_equal(m, n);
        for (size_t i = 0; i < n; i++) {
            assert_string_equal(itsm_record_id(e[i].rec), itsm_record_id(g[i].rec));
            assert_int_equal(e[i].time_left, g[i].time_left);
            if (i > 0)
                assert_true(e[i - 1].time_left < e[i].time_left ||
                            strcmp(itsm_record_id(e[i - 1].rec), itsm_record_id(e[i].rec)) < 0);
        }
    }
    /* running ones (less time left) first, by id; then the held ones, by id */
    assert_ok(itsm_engine_aging(e, 8, &n, f.eng, ITSM_AGING_BY_BREACH, now));
    for (int i = 0; i < 4; i++) {
        assert_ptr_equal(e[i].rec, r[4 + i]);
        assert_ptr_equal(e[4 + i].rec, r[i]);
    }
    itsm_engine_free(rep);
    fixture_close(&f);
}

/* An auto_close transition that stays in the same (stop) state would
 * leave the auto-close due time as it is: no timer then, so a tick fires
 * it at most once instead of again and again without end. */
static void auto_close_into_the_same_state_fires_once(void **state)
{
    (void)state;
    itsm_policy *pol = small_incident_policy(NULL, "resolved");
    assert_ok(itsm_policy_set_closure(pol, 3600, 0, 0));
    fixture f;
    fixture_open_policy(&f, pol);
    itsm_policy_free(pol);
    itsm_record_opts o = ITSM_RECORD_OPTS_INIT;
    itsm_record *r;
    assert_ok(itsm_record_open(&r, f.eng, &o));
    assert_ok(itsm_record_fire(r, "resolve", NULL, 0));
    size_t before = f.store.n, fired = 0;
    assert_ok(itsm_engine_tick(f.eng, T0 + 7200, &fired));
    assert_true(fired <= 1);
    assert_true(f.store.n <= before + 1);
    fixture_close(&f);
}

/* A huge `max` (a host passing "as many as there are") stays in bounds:
 * the by-breach scratch array holds at most one entry per record, so
 * max * 8 never wraps into a tiny block. */
static void aging_with_a_huge_max_stays_in_bounds(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    for (int i = 0; i < 6; i++) {
        itsm_change ch[2] = { { ITSM_F_IMPACT, NULL, 2 }, { ITSM_F_URGENCY, NULL, 2 } };
        itsm_record_opts o = ITSM_RECORD_OPTS_INIT;
        o.fields = ch;
        o.nfields = 2;
        itsm_record *r;
        f.clock.now += 60;
        assert_ok(itsm_record_open(&r, f.eng, &o));
    }
    itsm_aging_entry out[8] = { { .size = sizeof(itsm_aging_entry) } };
    size_t n = 0;
    assert_ok(itsm_engine_aging(out, SIZE_MAX / 8 + 3, &n, f.eng, ITSM_AGING_BY_BREACH, f.clock.now));
    assert_int_equal(n, 6);
    assert_ok(itsm_engine_aging(out, SIZE_MAX / 32, &n, f.eng, ITSM_AGING_BY_BREACH, f.clock.now));
    assert_int_equal(n, 6);
    for (size_t i = 1; i < n; i++)
        assert_true(out[i - 1].time_left <= out[i].time_left);
    fixture_close(&f);
}

/* DESIGN 4: a target bound to a calendar counts only working time, and
 * so do its warnings: 75% of a P3's 24 business hours is reached after 18
 * working hours (Wednesday 11:00 from Monday 09:00), not after 75% of
 * the wall time to its due time, and the breach falls on Wednesday 17:00. */
static void a_warning_on_business_hours_falls_at_its_share_of_working_time(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *r = open_inc(&f, 2, 2, NULL);   /* P3: 24 h on business */
    start_work(r);
    sla_tick(&f, T0 + 2 * DAY + 2 * HOUR - 1);
    assert_int_equal(count_events(&f.store, "sla_warning"), 0);
    sla_tick(&f, T0 + 2 * DAY + 2 * HOUR);
    assert_int_equal(count_events(&f.store, "sla_warning"), 1);
    assert_non_null(strstr(f.store.events[f.store.n - 1], "\"timer\":\"resolution\""));
    assert_int_equal(timer(r, ITSM_TIMER_RESOLUTION, T0 + 2 * DAY + 2 * HOUR).elapsed, 18 * HOUR);
    sla_tick(&f, T0 + 2 * DAY + 8 * HOUR - 1);
    assert_int_equal(count_events(&f.store, "sla_breach"), 0);
    sla_tick(&f, T0 + 2 * DAY + 8 * HOUR);
    assert_int_equal(count_events(&f.store, "sla_breach"), 1);
    fixture_close(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(aging_with_a_huge_max_stays_in_bounds),
        cmocka_unit_test(auto_close_into_the_same_state_fires_once),
        cmocka_unit_test(warning_at_75_percent_then_breach_climbs_the_ladder),
        cmocka_unit_test(a_late_tick_fires_everything_due_in_deadline_order),
        cmocka_unit_test(paused_clock_does_not_fire),
        cmocka_unit_test(aging_by_breach_includes_paused_and_breached_records),
        cmocka_unit_test(aging_ties_are_the_same_on_a_replay),
        cmocka_unit_test(auto_close_fires_at_exactly_the_period_and_not_a_second_before),
        cmocka_unit_test(auto_close_never_closes_a_major_incident),
        cmocka_unit_test(auto_close_with_an_incomplete_checklist_is_blocked_once),
        cmocka_unit_test(store_failure_during_a_tick_changes_nothing_and_the_tick_repeats),
        cmocka_unit_test(allocation_failure_during_a_tick_changes_nothing),
        cmocka_unit_test(tick_refuses_bad_times_and_callbacks),
        cmocka_unit_test(every_warning_fraction_in_the_policy_fires_once_at_its_fraction),
        cmocka_unit_test(aging_lists_oldest_first_and_soonest_breach_first),
        cmocka_unit_test(aging_by_age_is_by_opened_at_not_by_arrival),
        cmocka_unit_test(aging_by_breach_with_a_small_max_is_the_head_of_the_full_list),
        cmocka_unit_test(a_warning_on_business_hours_falls_at_its_share_of_working_time),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
