/* SPDX-License-Identifier: Apache-2.0 */
/* On-call escalation: an incident opened under an escalation policy pages
 * step 1, each acknowledge timeout pages the next step, the steps repeat,
 * then the climb is exhausted; an acknowledgement or the resolution stops
 * it; every refusal names its reason and changes nothing; the policy
 * section round-trips; the events replay byte for byte. Alert intake:
 * tests/test_alert.c. */
#include "sla/sla_support.h"
#include "itsm/oncall.h"

static const char *const primary[] = { "alice" };
static const char *const backup[] = { "bob", "dba_leads" };
static const char *const db_services[] = { "database" };

/* db_primary: alice (15 min), then bob and dba_leads (30 min), once more;
 * for the database service, priorities 1..3. */
static itsm_policy *oncall_policy(void)
{
    itsm_policy *p;
    assert_ok(itsm_policy_new_default(&p, NULL));
    itsm_oncall_step steps[2] = { { primary, 1, 15 }, { backup, 2, 30 } };
    itsm_oncall_def d = ITSM_ONCALL_DEF_INIT;
    d.name = "db_primary";
    d.steps = steps;
    d.nsteps = 2;
    d.repeat = 1;
    d.services = db_services;
    d.nservices = 1;
    d.max_priority = 3;
    assert_ok(itsm_policy_add_oncall(p, &d));
    return p;
}

static itsm_oncall_info info(const itsm_record *r)
{
    itsm_oncall_info i = { .size = sizeof i };
    assert_ok(itsm_record_oncall(&i, r));
    return i;
}

/* Every record's climb through the public getter, for replay checks. */
static char *oncall_dump(itsm_engine *eng)
{
    size_t cap = 1 << 16, len = 0;
    char *b = malloc(cap);
    b[0] = 0;
    for (size_t i = 0; i < itsm_engine_record_count(eng); i++) {
        itsm_record *r;
        itsm_engine_record_at(&r, eng, i);
        itsm_oncall_info o = { .size = sizeof o };
        int rc = itsm_record_oncall(&o, r);
        len += (size_t)snprintf(b + len, cap - len, "%s rc=%d st=%d pol=%s step=%u round=%u pages=%u due=%lld "
                                "by=%s at=%lld alerts=%u\n", itsm_record_id(r), rc, (int)o.status,
                                rc ? "-" : o.policy, o.step, o.round, o.pages, (long long)o.due,
                                rc || !o.acked_by ? "-" : o.acked_by, (long long)o.acked_at,
                                itsm_record_alert_count(r));
    }
    snprintf(b + len, cap - len, "next=%lld\n", (long long)itsm_engine_next_deadline(eng));
    return b;
}

static void assert_oncall_replays(fixture *f, const itsm_policy *p)
{
    assert_replay_same(f, p, f->clock.now);
    itsm_engine *e2 = replay_into(&f->store, p);
    char *a = oncall_dump(f->eng), *b = oncall_dump(e2);
    assert_string_equal(a, b);
    free(a);
    free(b);
    itsm_engine_free(e2);
}

static size_t tick(fixture *f, itsm_time at)
{
    size_t n = 0;
    f->clock.now = at;
    assert_ok(itsm_engine_tick(f->eng, at, &n));
    return n;
}

static void an_incident_under_a_policy_pages_step_one(void **state)
{
    (void)state;
    itsm_policy *p = oncall_policy();
    fixture f;
    fixture_open_policy(&f, p);
    itsm_record *r = open_inc(&f, 2, 2, "database");
    assert_int_equal(count_events(&f.store, "page"), 1);
    assert_string_equal(unchained(f.store.events[f.store.n - 1]),
        "{\"v\":1,\"type\":\"page\",\"record\":\"INC-000001\",\"kind\":\"incident\",\"rev\":2,"
        "\"at\":\"2026-03-02T09:00:00Z\",\"oncall\":{\"policy\":\"db_primary\",\"step\":1,"
        "\"round\":1,\"targets\":[\"alice\"],\"due\":\"2026-03-02T09:15:00Z\"}}");
    itsm_oncall_info i = info(r);
    assert_int_equal(i.status, ITSM_ONCALL_PAGING);
    assert_string_equal(i.policy, "db_primary");
    assert_int_equal(i.step, 1);
    assert_int_equal(i.round, 1);
    assert_int_equal(i.due, T0 + 15 * MIN);
    assert_int_equal(itsm_engine_next_deadline(f.eng), T0 + 15 * MIN);
    fixture_close(&f);
    itsm_policy_free(p);
}

/* Whether the policy has escalation policies is asked once per policy in
 * force (core/batch.c, itsm__policy_idle): one adopted later pages the
 * openings after it, and one without them again pages none. */
static void a_policy_adopted_later_changes_the_paging(void **state)
{
    (void)state;
    itsm_policy *plain, *p = oncall_policy();
    assert_ok(itsm_policy_new_default(&plain, NULL));
    fixture f;
    fixture_open_policy(&f, plain);
    open_inc(&f, 2, 2, "database");
    assert_int_equal(count_events(&f.store, "page"), 0);
    assert_ok(itsm_engine_adopt_policy(f.eng, p));
    itsm_record *r = open_inc(&f, 2, 2, "database");
    assert_int_equal(count_events(&f.store, "page"), 1);
    assert_int_equal(info(r).status, ITSM_ONCALL_PAGING);
    assert_ok(itsm_engine_adopt_policy(f.eng, plain));
    open_inc(&f, 2, 2, "database");
    assert_int_equal(count_events(&f.store, "page"), 1);
    /* back to a version the engine knows (no capability hears of it) */
    assert_ok(itsm_engine_adopt_policy(f.eng, p));
    open_inc(&f, 2, 2, "database");
    assert_int_equal(count_events(&f.store, "page"), 2);
    fixture_close(&f);
    itsm_policy_free(p);
    itsm_policy_free(plain);
}

static void the_policy_is_chosen_by_service_and_priority(void **state)
{
    (void)state;
    itsm_policy *p = oncall_policy();
    fixture f;
    fixture_open_policy(&f, p);
    itsm_record *other = open_inc(&f, 1, 1, "mail");         /* another service */
    itsm_record *low = open_inc(&f, 3, 3, "database");       /* priority 5 > max_priority 3 */
    itsm_record *none = open_inc(&f, 1, 1, NULL);            /* no service */
    itsm_oncall_info i = { .size = sizeof i };
    assert_int_equal(itsm_record_oncall(&i, other), ITSM_ENOTFOUND);
    assert_int_equal(itsm_record_oncall(&i, low), ITSM_ENOTFOUND);
    assert_int_equal(itsm_record_oncall(&i, none), ITSM_ENOTFOUND);
    assert_int_equal(count_events(&f.store, "page"), 0);
    assert_int_equal(itsm_engine_next_deadline(f.eng) == T0 + 15 * MIN, 0);
    fixture_close(&f);
    itsm_policy_free(p);
}

/* 2 steps x 2 rounds: alice, bob+dba_leads, alice, bob+dba_leads, then
 * exhausted - each at the previous step's deadline. */
static void each_timeout_climbs_and_the_steps_repeat_then_exhaust(void **state)
{
    (void)state;
    itsm_policy *p = oncall_policy();
    fixture f;
    fixture_open_policy(&f, p);
    itsm_record *r = open_inc(&f, 2, 2, "database");
    tick(&f, T0 + 15 * MIN - 1);
    assert_int_equal(count_events(&f.store, "page"), 1);
    tick(&f, T0 + 15 * MIN);
    assert_int_equal(count_events(&f.store, "page"), 2);
    itsm_oncall_info i = info(r);
    assert_int_equal(i.step, 2);
    assert_int_equal(i.round, 1);
    assert_int_equal(i.due, T0 + 45 * MIN);
    assert_non_null(strstr(f.store.events[f.store.n - 1],
                           "\"step\":2,\"round\":1,\"targets\":[\"bob\",\"dba_leads\"],\"due\":\"2026-03-02T09:45:00Z\""));
    /* a late tick fires every step that fell due, each at its own time */
    tick(&f, T0 + 2 * HOUR);
    i = info(r);
    assert_int_equal(i.status, ITSM_ONCALL_EXHAUSTED);
    assert_int_equal(i.pages, 4);
    assert_int_equal(i.round, 2);
    assert_int_equal(i.due, ITSM_TIME_NONE);
    assert_int_equal(count_events(&f.store, "page"), 4);
    assert_int_equal(count_events(&f.store, "oncall_exhausted"), 1);
    assert_non_null(strstr(f.store.events[f.store.n - 1],
                           "\"at\":\"2026-03-02T10:30:00Z\",\"oncall\":{\"policy\":\"db_primary\","
                           "\"rounds\":2}"));
    size_t n = f.store.n;
    tick(&f, T0 + DAY);
    assert_int_equal(count_events(&f.store, "page"), 4);
    assert_int_equal(count_events(&f.store, "oncall_exhausted"), 1);
    (void)n;
    /* exhausted, a page can still be acknowledged */
    assert_ok(itsm_oncall_acknowledge(r, "dba_leads"));
    i = info(r);
    assert_int_equal(i.status, ITSM_ONCALL_ACKNOWLEDGED);
    assert_string_equal(i.acked_by, "dba_leads");
    assert_oncall_replays(&f, p);
    fixture_close(&f);
    itsm_policy_free(p);
}

static void an_acknowledgement_stops_the_climb(void **state)
{
    (void)state;
    itsm_policy *p = oncall_policy();
    fixture f;
    fixture_open_policy(&f, p);
    assert_ok(itsm_engine_set_actor(f.eng, "pager_gw"));
    itsm_record *r = open_inc(&f, 2, 2, "database");
    tick(&f, T0 + 20 * MIN);
    f.clock.now = T0 + 25 * MIN;
    /* any target of the policy may acknowledge, not only the paged step's */
    assert_ok(itsm_oncall_acknowledge(r, "alice"));
    assert_non_null(strstr(unchained(f.store.events[f.store.n - 1]),
        "\"at\":\"2026-03-02T09:25:00Z\",\"actor\":\"pager_gw\",\"oncall\":{\"by\":\"alice\",\"step\":2,"
        "\"round\":1}}"));
    itsm_oncall_info i = info(r);
    assert_int_equal(i.status, ITSM_ONCALL_ACKNOWLEDGED);
    assert_int_equal(i.acked_at, T0 + 25 * MIN);
    assert_int_equal(i.due, ITSM_TIME_NONE);
    tick(&f, T0 + DAY);
    assert_int_equal(count_events(&f.store, "page"), 2);
    assert_oncall_replays(&f, p);
    fixture_close(&f);
    itsm_policy_free(p);
}

static void resolving_stops_the_climb(void **state)
{
    (void)state;
    itsm_policy *p = oncall_policy();
    fixture f;
    fixture_open_policy(&f, p);
    itsm_record *r = open_inc(&f, 2, 2, "database");
    f.clock.now = T0 + 5 * MIN;
    start_work(r);
    resolve(r);
    assert_int_equal(info(r).status, ITSM_ONCALL_STOPPED);
    tick(&f, T0 + 2 * HOUR);
    assert_int_equal(count_events(&f.store, "page"), 1);
    assert_fails(f.eng, itsm_oncall_acknowledge(r, "alice"), ITSM_ESTATE,
                 "INC-000001 was resolved while paged: the climb has stopped");
    assert_fails(f.eng, itsm_oncall_page(r, "db_primary"), ITSM_ESTATE,
                 "INC-000001 is 'resolved': only an open, unresolved incident is paged");
    assert_oncall_replays(&f, p);
    fixture_close(&f);
    itsm_policy_free(p);
}

/* The incidents' steps reach the climb only while one runs: a climb that
 * starts again after every other ended still stops at resolution. */
static void a_climb_started_again_still_stops_at_resolution(void **state)
{
    (void)state;
    itsm_policy *p = oncall_policy();
    fixture f;
    fixture_open_policy(&f, p);
    itsm_record *r = open_inc(&f, 2, 2, "database");
    itsm_record *quiet = open_inc(&f, 3, 3, "mail");   /* never paged */
    f.clock.now = T0 + 5 * MIN;
    assert_ok(itsm_oncall_acknowledge(r, "alice"));   /* no climb runs now */
    start_work(quiet);
    resolve(quiet);
    itsm_oncall_info none = { .size = sizeof none };
    assert_int_equal(itsm_record_oncall(&none, quiet), ITSM_ENOTFOUND);   /* never paged */
    f.clock.now = T0 + 10 * MIN;
    assert_ok(itsm_oncall_page(r, "db_primary"));
    assert_int_equal(info(r).status, ITSM_ONCALL_PAGING);
    start_work(r);
    assert_int_equal(info(r).status, ITSM_ONCALL_PAGING);
    resolve(r);
    assert_int_equal(info(r).status, ITSM_ONCALL_STOPPED);
    assert_int_equal(info(r).due, ITSM_TIME_NONE);
    assert_oncall_replays(&f, p);
    fixture_close(&f);
    itsm_policy_free(p);
}

static void paging_by_hand_starts_a_climb(void **state)
{
    (void)state;
    itsm_policy *p = oncall_policy();
    fixture f;
    fixture_open_policy(&f, p);
    itsm_record *r = open_inc(&f, 3, 3, "mail");
    f.clock.now = T0 + MIN;
    assert_ok(itsm_oncall_page(r, "db_primary"));
    itsm_oncall_info i = info(r);
    assert_int_equal(i.status, ITSM_ONCALL_PAGING);
    assert_int_equal(i.due, T0 + 16 * MIN);
    assert_fails(f.eng, itsm_oncall_page(r, "db_primary"), ITSM_EEXISTS,
                 "INC-000001 is being paged already (step 1 of escalation policy 'db_primary')");
    assert_ok(itsm_oncall_acknowledge(r, "bob"));
    /* acknowledged: a new climb may start */
    f.clock.now = T0 + HOUR;
    assert_ok(itsm_oncall_page(r, "db_primary"));
    i = info(r);
    assert_int_equal(i.status, ITSM_ONCALL_PAGING);
    assert_null(i.acked_by);
    assert_int_equal(i.pages, 2);
    assert_oncall_replays(&f, p);
    fixture_close(&f);
    itsm_policy_free(p);
}

static void every_refusal_names_its_reason_and_changes_nothing(void **state)
{
    (void)state;
    itsm_policy *p = oncall_policy();
    fixture f;
    fixture_open_policy(&f, p);
    itsm_record *paged = open_inc(&f, 2, 2, "database");
    itsm_record *quiet = open_inc(&f, 3, 3, "mail");
    itsm_record *prb = NULL;
    itsm_change c = { ITSM_F_SUMMARY, "Mail relay", 0 };
    itsm_record_opts o = ITSM_RECORD_OPTS_INIT;
    o.kind = ITSM_KIND_PROBLEM;
    o.fields = &c;
    o.nfields = 1;
    assert_ok(itsm_record_open(&prb, f.eng, &o));
    char *before = engine_dump(f.eng), *obefore = oncall_dump(f.eng);
    size_t n = f.store.n;
    assert_int_equal(itsm_oncall_acknowledge(NULL, "alice"), ITSM_EINVAL);
    assert_int_equal(itsm_oncall_page(NULL, "db_primary"), ITSM_EINVAL);
    assert_fails(f.eng, itsm_oncall_acknowledge(paged, NULL), ITSM_EINVAL, "the acknowledging name is required");
    assert_fails(f.eng, itsm_oncall_acknowledge(paged, "bad\x01name"), ITSM_EINVAL,
                 "the acknowledging name contains a control character");
    assert_fails(f.eng, itsm_oncall_acknowledge(paged, "mallory"), ITSM_EINVAL,
                 "mallory is not a target of escalation policy 'db_primary'");
    char long_name[ITSM_MAX_SYMBOL + 2];
    memset(long_name, 'a', ITSM_MAX_SYMBOL + 1);
    long_name[ITSM_MAX_SYMBOL + 1] = '\0';
    assert_fails(f.eng, itsm_oncall_acknowledge(paged, long_name), ITSM_ELIMIT,
                 "the acknowledging name is 256 bytes; the limit is 255");
    assert_fails(f.eng, itsm_oncall_acknowledge(quiet, "alice"), ITSM_ESTATE,
                 "INC-000002 was never paged: there is nothing to acknowledge");
    assert_fails(f.eng, itsm_oncall_acknowledge(prb, "alice"), ITSM_EINVAL,
                 "PRB-000001 is a problem: only incidents are paged");
    assert_fails(f.eng, itsm_oncall_page(quiet, NULL), ITSM_EINVAL, "the escalation policy name is NULL");
    assert_fails(f.eng, itsm_oncall_page(quiet, "nobody"), ITSM_ENOTFOUND,
                 "the policy has no escalation policy 'nobody'");
    assert_fails(f.eng, itsm_oncall_page(prb, "db_primary"), ITSM_EINVAL,
                 "PRB-000001 is a problem: only incidents are paged");
    itsm_oncall_info i = { .size = 3 };
    assert_fails(f.eng, itsm_record_oncall(&i, paged), ITSM_EINVAL, "itsm_oncall_info");
    assert_int_equal(itsm_record_oncall(NULL, paged), ITSM_EINVAL);
    char *after = engine_dump(f.eng), *oafter = oncall_dump(f.eng);
    assert_string_equal(before, after);
    assert_string_equal(obefore, oafter);
    assert_int_equal(f.store.n, n);
    free(after);
    free(oafter);
    assert_ok(itsm_oncall_acknowledge(paged, "dba_leads"));
    assert_fails(f.eng, itsm_oncall_acknowledge(paged, "alice"), ITSM_EEXISTS,
                 "INC-000001 was acknowledged by dba_leads already");
    free(before);
    free(obefore);
    fixture_close(&f);
    itsm_policy_free(p);
}

/* A store that refuses the tick's page keeps the deadline queued. */
static void a_failing_store_keeps_the_deadline(void **state)
{
    (void)state;
    itsm_policy *p = oncall_policy();
    fixture f;
    fixture_open_policy(&f, p);
    itsm_record *r = open_inc(&f, 2, 2, "database");
    char *before = oncall_dump(f.eng);
    f.store.fail_at = f.store.appends + 1;
    size_t fired = 9;
    assert_int_equal(itsm_engine_tick(f.eng, T0 + HOUR, &fired), ITSM_ESTORE);
    assert_int_equal(fired, 0);
    char *after = oncall_dump(f.eng);
    assert_string_equal(before, after);
    free(before);
    free(after);
    tick(&f, T0 + HOUR);   /* round 1 step 2, round 2 steps 1 and 2 */
    assert_int_equal(info(r).pages, 4);
    assert_oncall_replays(&f, p);
    fixture_close(&f);
    itsm_policy_free(p);
}

/* The document: with the oncall member spliced into the default policy. */
static int policy_with(itsm_policy **out, const char *oncall, itsm_parse_error *err)
{
    itsm_policy *d;
    assert_ok(itsm_policy_new_default(&d, NULL));
    size_t len;
    assert_int_equal(itsm_policy_to_json(d, NULL, 0, &len), ITSM_ELIMIT);
    char *doc = malloc(len + 1), *full = malloc(len + strlen(oncall) + 1);
    assert_ok(itsm_policy_to_json(d, doc, len + 1, &len));
    itsm_policy_free(d);
    const char *empty = "\"oncall\":{\"group_window\":0,\"policies\":[]}";
    char *at = strstr(doc, empty);
    assert_non_null(at);
    size_t pre = (size_t)(at - doc);
    memcpy(full, doc, pre);
    strcpy(full + pre, oncall);
    strcat(full, at + strlen(empty));
    int rc = itsm_policy_from_json(out, full, strlen(full), NULL, NULL, err);
    free(doc);
    free(full);
    return rc;
}

static void the_policy_document_round_trips(void **state)
{
    (void)state;
    itsm_policy *p = oncall_policy();
    assert_ok(itsm_policy_set_alert_window(p, 10));
    size_t len;
    itsm_policy_to_json(p, NULL, 0, &len);
    char *doc = malloc(len + 1);
    assert_ok(itsm_policy_to_json(p, doc, len + 1, &len));
    assert_non_null(strstr(doc, "\"oncall\":{\"group_window\":10,\"policies\":[{\"name\":\"db_primary\","
                                "\"services\":[\"database\"],\"max_priority\":3,\"repeat\":1,\"steps\":["
                                "{\"targets\":[\"alice\"],\"ack_timeout\":15},{\"targets\":[\"bob\",\"dba_leads\"],"
                                "\"ack_timeout\":30}]}]}"));
    itsm_policy *q;
    itsm_parse_error err;
    assert_ok(itsm_policy_from_json(&q, doc, len, NULL, NULL, &err));
    size_t len2;
    itsm_policy_to_json(q, NULL, 0, &len2);
    char *doc2 = malloc(len2 + 1);
    assert_ok(itsm_policy_to_json(q, doc2, len2 + 1, &len2));
    assert_string_equal(doc, doc2);
    /* a clone too */
    itsm_policy *c;
    assert_ok(itsm_policy_clone(&c, q));
    itsm_policy_to_json(c, doc2, len2 + 1, &len2);
    assert_string_equal(doc, doc2);
    free(doc);
    free(doc2);
    itsm_policy_free(c);
    itsm_policy_free(q);
    itsm_policy_free(p);
}

static void the_policy_reader_names_the_place_of_each_error(void **state)
{
    (void)state;
    static const struct { const char *member, *text; } bad[] = {
        { "\"oncall\":[]", "'oncall' must be an object" },
        { "\"oncall\":{\"window\":5}", "unknown member" },
        { "\"oncall\":{\"group_window\":1441}", "'group_window' must be a whole number 0..1440" },
        { "\"oncall\":{\"policies\":{}}", "'policies' must be an array of escalation policies" },
        { "\"oncall\":{\"policies\":[{\"steps\":[]}]}", "an escalation policy needs a string 'name'" },
        { "\"oncall\":{\"policies\":[{\"name\":\"a\",\"steps\":[]}]}",
          "an escalation policy needs 'steps': an array of 1..8 steps" },
        { "\"oncall\":{\"policies\":[{\"name\":\"a\",\"steps\":[{\"targets\":[]}]}]}",
          "'targets' must be an array of 1..8 names" },
        { "\"oncall\":{\"policies\":[{\"name\":\"a\",\"steps\":[{\"targets\":[\"x\"]}]}]}",
          "an escalation step needs 'ack_timeout' (minutes)" },
        { "\"oncall\":{\"policies\":[{\"name\":\"a\",\"steps\":[{\"targets\":[\"x\"],\"ack_timeout\":0}]}]}",
          "'ack_timeout' must be a whole number 1..1440" },
        { "\"oncall\":{\"policies\":[{\"name\":\"a\",\"repeat\":10,\"steps\":[{\"targets\":[\"x\"],\"ack_timeout\":5}]}]}",
          "'repeat' must be a whole number 0..9" },
        { "\"oncall\":{\"policies\":[{\"name\":\"a\",\"max_priority\":0,\"steps\":[{\"targets\":[\"x\"],\"ack_timeout\":5}]}]}",
          "'max_priority' must be a whole number 1..5" },
        { "\"oncall\":{\"policies\":[{\"name\":\"a\",\"steps\":[{\"targets\":[\"\"],\"ack_timeout\":5}]}]}",
          "an escalation target cannot be empty" },
        { "\"oncall\":{\"policies\":[{\"name\":\"a\",\"steps\":[{\"targets\":[\"x\"],\"ack_timeout\":5}]},"
          "{\"name\":\"a\",\"steps\":[{\"targets\":[\"y\"],\"ack_timeout\":5}]}]}",
          "the policy has an escalation policy 'a' already" },
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        itsm_policy *q = NULL;
        itsm_parse_error err;
        memset(&err, 0, sizeof err);
        int rc = policy_with(&q, bad[i].member, &err);
        if (rc != ITSM_EPARSE || !strstr(err.text, bad[i].text) || err.line < 1 || err.column < 1)
            fail_msg("%s: got %s \"%s\" at %zu:%zu", bad[i].member, itsm_errname(rc), err.text, err.line,
                     err.column);
        assert_null(q);
    }
    /* a policy that takes every incident hides those after it */
    itsm_policy *q = NULL;
    itsm_parse_error err;
    int rc = policy_with(&q,
                         "\"oncall\":{\"policies\":[{\"name\":\"all\",\"steps\":[{\"targets\":[\"x\"],"
                         "\"ack_timeout\":5}]},{\"name\":\"db\",\"services\":[\"database\"],\"steps\":[{"
                         "\"targets\":[\"y\"],\"ack_timeout\":5}]}]}",
                         &err);
    assert_int_equal(rc, ITSM_EPOLICY);
    assert_non_null(strstr(err.text, "oncall: escalation policy 'db' is never chosen: 'all' before it takes "
                                     "every incident"));
}

static void the_builders_refuse_bad_definitions(void **state)
{
    (void)state;
    itsm_policy *p = oncall_policy();
    itsm_oncall_step steps[1] = { { primary, 1, 15 } };
    itsm_oncall_def d = ITSM_ONCALL_DEF_INIT;
    d.name = "other";
    d.steps = steps;
    d.nsteps = 1;
    assert_int_equal(itsm_policy_add_oncall(NULL, &d), ITSM_EINVAL);
    assert_int_equal(itsm_policy_add_oncall(p, NULL), ITSM_EINVAL);
    assert_string_equal(itsm_policy_errmsg(p), "the escalation policy definition is NULL");
    d.version = 9;
    assert_int_equal(itsm_policy_add_oncall(p, &d), ITSM_EINVAL);
    assert_non_null(strstr(itsm_policy_errmsg(p), "escalation policy definition version 9"));
    d.version = ITSM_ONCALL_DEF_VERSION;
    d.nsteps = 9;
    assert_int_equal(itsm_policy_add_oncall(p, &d), ITSM_ELIMIT);
    assert_string_equal(itsm_policy_errmsg(p), "escalation policy 'other' has more than 8 steps");
    d.nsteps = 1;
    steps[0].ack_timeout = 0;
    assert_int_equal(itsm_policy_add_oncall(p, &d), ITSM_EINVAL);
    assert_string_equal(itsm_policy_errmsg(p),
                        "escalation policy 'other': step 1's acknowledge timeout must be 1..1440 minutes (got 0)");
    steps[0].ack_timeout = 15;
    steps[0].ntargets = 0;
    assert_int_equal(itsm_policy_add_oncall(p, &d), ITSM_EINVAL);
    assert_string_equal(itsm_policy_errmsg(p), "escalation policy 'other': step 1 needs at least one target");
    steps[0].ntargets = 1;
    d.repeat = 10;
    assert_int_equal(itsm_policy_add_oncall(p, &d), ITSM_EINVAL);
    assert_string_equal(itsm_policy_errmsg(p), "escalation policy 'other': repeat must be 0..9 (got 10)");
    d.repeat = 0;
    d.max_priority = 6;
    assert_int_equal(itsm_policy_add_oncall(p, &d), ITSM_EINVAL);
    assert_string_equal(itsm_policy_errmsg(p), "escalation policy 'other': max_priority must be 1..5 (got 6)");
    d.max_priority = 5;
    char long_name[ITSM_MAX_SYMBOL + 2];
    memset(long_name, 'a', ITSM_MAX_SYMBOL + 1);
    long_name[ITSM_MAX_SYMBOL + 1] = '\0';
    d.name = long_name;
    assert_int_equal(itsm_policy_add_oncall(p, &d), ITSM_ELIMIT);
    assert_string_equal(itsm_policy_errmsg(p), "escalation policy name is 256 bytes; the limit is 255");
    d.name = "db_primary";
    assert_int_equal(itsm_policy_add_oncall(p, &d), ITSM_EEXISTS);
    assert_string_equal(itsm_policy_errmsg(p), "the policy has an escalation policy 'db_primary' already");
    assert_int_equal(itsm_policy_set_alert_window(p, 1441), ITSM_EINVAL);
    assert_string_equal(itsm_policy_errmsg(p), "the alert grouping window must be 0..1440 minutes (got 1441)");
    assert_int_equal(itsm_oncall_def_init(&d, 2), ITSM_EINVAL);
    assert_ok(itsm_oncall_def_init(&d, ITSM_ONCALL_DEF_VERSION));
    assert_int_equal(d.max_priority, 5);
    itsm_policy_free(p);
}

/* Every allocation of acknowledging and of a tick's page may fail: the
 * call fails with ITSM_ENOMEM and changes nothing; nothing leaks. */
static void paging_survives_every_allocation_failure(void **state)
{
    (void)state;
    itsm_policy *p = oncall_policy();
    for (int which = 0; which < 3; which++)
        for (long k = 1;; k++) {
            failalloc fa = { 0 };
            fixture f;
            fixture_open_with(&f, p, &fa);
            itsm_record *r = which == 2 ? open_inc(&f, 3, 3, "mail") : open_inc(&f, 2, 2, "database");
            if (which == 1)
                f.clock.now = T0 + 16 * MIN;
            char *before = engine_dump(f.eng), *obefore = oncall_dump(f.eng);
            fa.fail_at = fa.calls + k;
            int rc = which == 0 ? itsm_oncall_acknowledge(r, "alice")
                   : which == 1 ? itsm_engine_tick(f.eng, T0 + 16 * MIN, NULL)
                                : itsm_oncall_page(r, "db_primary");
            fa.fail_at = 0;
            char *after = engine_dump(f.eng), *oafter = oncall_dump(f.eng);
            if (rc == ITSM_ENOMEM) {
                assert_string_equal(before, after);
                assert_string_equal(obefore, oafter);
            } else {
                assert_ok(rc);
            }
            free(before);
            free(after);
            free(obefore);
            free(oafter);
            fixture_close(&f);
            assert_int_equal(fa.live, 0);
            if (rc == ITSM_OK)
                break;
        }
    itsm_policy_free(p);
}

static void replay_refuses_malformed_oncall_events(void **state)
{
    (void)state;
    itsm_policy *p = oncall_policy();
    fixture f;
    fixture_open_policy(&f, p);
    open_inc(&f, 2, 2, "database");
    open_inc(&f, 3, 3, "mail");
    char *before = engine_dump(f.eng);
#define EV(id, type, rev, body) "{\"v\":1,\"type\":\"" type "\",\"record\":\"" id "\",\"kind\":\"incident\"," \
                                "\"rev\":" rev ",\"at\":\"2026-03-02T09:30:00Z\"," body "}"
    static const struct { const char *json, *text; } bad[] = {
        { EV("INC-000001", "page", "3", "\"oncall\":[]"), "a page event needs an 'oncall' object" },
        { EV("INC-000001", "page", "3", "\"oncall\":{\"policy\":\"x\",\"step\":1,\"round\":1,\"targets\":[\"a\"],"
                                        "\"due\":\"2026-03-02T10:00:00Z\"}"),
          "the policy has no escalation policy 'x'" },
        { EV("INC-000001", "page", "3", "\"oncall\":{\"policy\":\"db_primary\",\"step\":3,\"round\":1,"
                                        "\"targets\":[\"a\"],\"due\":\"2026-03-02T10:00:00Z\"}"),
          "'step' must be a whole number 1..2" },
        { EV("INC-000001", "page", "3", "\"oncall\":{\"policy\":\"db_primary\",\"step\":1,\"round\":3,"
                                        "\"targets\":[\"a\"],\"due\":\"2026-03-02T10:00:00Z\"}"),
          "'round' must be a whole number 1..2" },
        { EV("INC-000001", "page", "3", "\"oncall\":{\"policy\":\"db_primary\",\"step\":1,\"round\":1,"
                                        "\"targets\":[],\"due\":\"2026-03-02T10:00:00Z\"}"),
          "'targets' must be a list of 1..8 names" },
        { EV("INC-000001", "page", "3", "\"oncall\":{\"policy\":\"db_primary\",\"step\":1,\"round\":1,"
                                        "\"targets\":[\"a\"],\"due\":\"soon\"}"),
          "'due' must be a time" },
        { EV("INC-000001", "page", "3", "\"oncall\":{\"policy\":\"db_primary\",\"step\":1,\"round\":1,"
                                        "\"targets\":[\"a\"],\"due\":\"2026-03-02T10:00:00Z\",\"x\":1}"),
          "unknown member" },
        { EV("INC-000002", "page_acknowledged", "2", "\"oncall\":{\"by\":\"alice\",\"step\":1,\"round\":1}"),
          "INC-000002 has no page to acknowledge" },
        { EV("INC-000001", "page_acknowledged", "3", "\"oncall\":{\"by\":\"\",\"step\":1,\"round\":1}"),
          "'by' must be a name" },
        { EV("INC-000002", "oncall_exhausted", "2", "\"oncall\":{\"policy\":\"db_primary\",\"rounds\":2}"),
          "INC-000002 has no page to exhaust" },
        { EV("INC-000001", "oncall_exhausted", "3", "\"oncall\":{\"policy\":\"db_primary\",\"rounds\":0}"),
          "'rounds' must be a whole number 1..10" },
        { EV("INC-000001", "alert_received", "3", "\"alert\":{\"dedup_key\":\"k\",\"group\":null,\"count\":0,"
                                                  "\"outcome\":\"duplicate\"}"),
          "'count' must be a whole number 1..4294967295" },
        { EV("INC-000001", "alert_received", "3", "\"alert\":{\"dedup_key\":\"k\",\"group\":null,\"count\":2,"
                                                  "\"outcome\":\"merged\"}"),
          "'outcome' must be \"opened\", \"duplicate\" or \"grouped\"" },
        { EV("INC-000001", "alert_received", "3", "\"alert\":{\"dedup_key\":7,\"count\":2,\"outcome\":\"grouped\"}"),
          "'dedup_key' must be a name" },
    };
#undef EV
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        itsm_parse_error err;
        memset(&err, 0, sizeof err);
        int rc = itsm_engine_replay_json(f.eng, bad[i].json, strlen(bad[i].json), &err);
        if (rc != ITSM_EPARSE || !strstr(err.text, bad[i].text))
            fail_msg("%s: got %s \"%s\"", bad[i].json, itsm_errname(rc), err.text);
        char *after = engine_dump(f.eng);
        assert_string_equal(before, after);
        free(after);
    }
    free(before);
    fixture_close(&f);
    itsm_policy_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(an_incident_under_a_policy_pages_step_one),
        cmocka_unit_test(a_policy_adopted_later_changes_the_paging),
        cmocka_unit_test(the_policy_is_chosen_by_service_and_priority),
        cmocka_unit_test(each_timeout_climbs_and_the_steps_repeat_then_exhaust),
        cmocka_unit_test(an_acknowledgement_stops_the_climb),
        cmocka_unit_test(resolving_stops_the_climb),
        cmocka_unit_test(a_climb_started_again_still_stops_at_resolution),
        cmocka_unit_test(paging_by_hand_starts_a_climb),
        cmocka_unit_test(every_refusal_names_its_reason_and_changes_nothing),
        cmocka_unit_test(a_failing_store_keeps_the_deadline),
        cmocka_unit_test(the_policy_document_round_trips),
        cmocka_unit_test(the_policy_reader_names_the_place_of_each_error),
        cmocka_unit_test(the_builders_refuse_bad_definitions),
        cmocka_unit_test(paging_survives_every_allocation_failure),
        cmocka_unit_test(replay_refuses_malformed_oncall_events),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
