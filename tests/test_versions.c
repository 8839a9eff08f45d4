/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Policy versions (docs/policy.md, "Versions"): a policy's identity, the
 * versions an engine adopts, the policy events a store keeps, and replay
 * judging every event under the version in force when it happened.
 */
#include "sla/sla_support.h"
#include "kit/sha256.h"

/* The default policy with P2 (impact 1, urgency 2) resolved within `hours`
 * on the 24x7 calendar. */
static itsm_policy *p2_within(int hours, const char *name)
{
    itsm_policy *p;
    assert_ok(itsm_policy_new_default(&p, NULL));
    itsm_sla_def d = ITSM_SLA_DEF_INIT;
    d.name = "standard";
    for (int i = 0; i < 5; i++) {
        d.response[i] = 4 * HOUR;
        d.resolution[i] = 48 * HOUR;
    }
    d.resolution[1] = (uint32_t)hours * HOUR;
    assert_ok(itsm_policy_set_sla(p, &d));
    assert_ok(itsm_policy_set_default_sla(p, "standard"));
    if (name)
        assert_ok(itsm_policy_set_name(p, name));
    return p;
}

static itsm_record *p2(itsm_engine *eng, const char *id)
{
    itsm_change init[3] = { { ITSM_F_SUMMARY, "Mail down", 0 }, { ITSM_F_IMPACT, NULL, 1 },
                            { ITSM_F_URGENCY, NULL, 2 } };
    itsm_record_opts o = ITSM_RECORD_OPTS_INIT;
    o.id = id;
    o.fields = init;
    o.nfields = 3;
    itsm_record *r;
    assert_ok(itsm_record_open(&r, eng, &o));
    return r;
}

/* A fresh store, a clock at T0, and an engine over them made with `p`. */
static itsm_engine *new_store_engine(memstore *s, vclock *c, const itsm_policy *p)
{
    memstore_init(s);
    c->now = T0;
    return engine_over(s, c, p);
}

/* The end of a test: its store and policies (`b` may be NULL). */
static void free_store_policies(memstore *s, itsm_policy *a, itsm_policy *b)
{
    memstore_free(s);
    itsm_policy_free(a);
    itsm_policy_free(b);
}

static itsm_record *find(itsm_engine *eng, const char *id)
{
    itsm_record *r;
    assert_ok(itsm_record_find(&r, eng, id));
    return r;
}

static int breached(const itsm_record *r)
{
    return timer(r, ITSM_TIMER_RESOLUTION, T0 + 30 * DAY).breached;
}

static void note(itsm_record *r, const char *text)
{
    itsm_note_opts n = ITSM_NOTE_OPTS_INIT;
    n.text = text;
    assert_ok(itsm_record_add_note(r, &n));
}

static char *hash_of(const itsm_policy *p)
{
    static char out[65];
    assert_ok(itsm_policy_hash(p, out));
    return out;
}

/* ---- identity ---- */

static void a_version_is_a_name_and_the_hash_of_the_document(void **state)
{
    (void)state;
    itsm_policy *a = p2_within(8, NULL), *b = p2_within(8, NULL);
    char ha[65];
    strcpy(ha, hash_of(a));
    assert_int_equal(strlen(ha), 64);
    assert_string_equal(ha, hash_of(b));           /* same document, same version */
    assert_null(itsm_policy_name(a));
    assert_ok(itsm_policy_set_name(b, "2026-spring"));
    assert_string_equal(itsm_policy_name(b), "2026-spring");
    assert_string_not_equal(ha, hash_of(b));       /* the name is part of it */
    itsm_policy *c = p2_within(4, NULL);
    assert_string_not_equal(ha, hash_of(c));       /* so is every target */
    /* The name travels with the document, and so the hash. */
    char buf[65536];
    size_t len;
    assert_ok(itsm_policy_to_json(b, buf, sizeof buf, &len));
    assert_non_null(strstr(buf, "{\"itsm_policy\":1,\"name\":\"2026-spring\","));
    itsm_policy *back;
    assert_ok(itsm_policy_from_json(&back, buf, len, NULL, NULL, NULL));
    assert_string_equal(itsm_policy_name(back), "2026-spring");
    assert_string_equal(hash_of(back), hash_of(b));
    itsm_policy *cl;
    assert_ok(itsm_policy_clone(&cl, b));
    assert_string_equal(hash_of(cl), hash_of(b));
    /* An unnamed document is written as before: no "name" member. */
    assert_ok(itsm_policy_to_json(a, buf, sizeof buf, &len));
    assert_null(strstr(buf, "\"name\":\"2026"));
    assert_ok(itsm_policy_set_name(b, NULL));
    assert_string_equal(hash_of(b), ha);
    itsm_policy_free(a), itsm_policy_free(b), itsm_policy_free(c), itsm_policy_free(back), itsm_policy_free(cl);
}

static void a_bad_name_is_refused_with_the_reason(void **state)
{
    (void)state;
    itsm_policy *p = p2_within(8, NULL);
    assert_int_equal(itsm_policy_set_name(p, ""), ITSM_EINVAL);
    assert_non_null(strstr(itsm_policy_errmsg(p), "1..64 bytes"));
    char longer[80];
    memset(longer, 'x', sizeof longer - 1);
    longer[sizeof longer - 1] = '\0';
    assert_int_equal(itsm_policy_set_name(p, longer), ITSM_EINVAL);
    assert_int_equal(itsm_policy_set_name(p, "tab\there"), ITSM_EINVAL);
    assert_non_null(strstr(itsm_policy_errmsg(p), "control characters"));
    assert_int_equal(itsm_policy_set_name(p, "\xff"), ITSM_EINVAL);
    assert_int_equal(itsm_policy_set_name(NULL, "x"), ITSM_EINVAL);
    assert_int_equal(itsm_policy_hash(NULL, longer), ITSM_EINVAL);
    assert_null(itsm_policy_name(p));
    itsm_parse_error err;
    itsm_policy *q;
    const char *doc = "{\"itsm_policy\":1,\"name\":7}";
    assert_int_equal(itsm_policy_from_json(&q, doc, strlen(doc), NULL, NULL, &err), ITSM_EPARSE);
    assert_non_null(strstr(err.text, "'name' must be a string"));
    doc = "{\"itsm_policy\":1,\"name\":\"\"}";
    assert_int_equal(itsm_policy_from_json(&q, doc, strlen(doc), NULL, NULL, &err), ITSM_EPARSE);
    itsm_policy_free(p);
}

/* ---- every event records the version in force ---- */

static void every_event_records_the_version_in_force(void **state)
{
    (void)state;
    itsm_policy *a = p2_within(8, "a");
    memstore s;
    vclock c;
    itsm_engine *eng = new_store_engine(&s, &c, a);
    char id[17];
    snprintf(id, sizeof id, "%.16s", hash_of(a));
    assert_string_equal(itsm_engine_policy_version(eng), id);
    itsm_record *r = p2(eng, "INC-1");
    assert_string_equal(itsm_record_policy_version(r), id);
    assert_ptr_equal(itsm_record_policy(r), itsm_engine_policy(eng));
    char want[40];
    snprintf(want, sizeof want, ",\"pv\":\"%s\"", id);
    assert_non_null(strstr(s.events[0], want));
    /* The store holds the version's document, written in the same append
     * before the first event under it, named after that event. */
    assert_int_equal(s.npolicies, 1);
    assert_int_equal(s.policy_at[0], 0);
    char rid[64];
    snprintf(rid, sizeof rid, "\"record\":\"~policy.%s/INC-1/1\"", id);
    assert_non_null(strstr(s.policies[0], rid));
    assert_non_null(strstr(s.policies[0], "\"name\":\"a\""));
    /* Only once: later events name the version. */
    c.now += HOUR;
    start_work(r);
    p2(eng, "INC-2");
    assert_int_equal(s.npolicies, 1);
    assert_int_equal(s.n, 3);
    assert_null(itsm_engine_policy_version(NULL));
    assert_null(itsm_record_policy_version(NULL));
    assert_null(itsm_record_policy(NULL));
    assert_null(itsm_event_policy_version(NULL));
    itsm_engine_free(eng);
    free_store_policies(&s, a, NULL);
}

/* ---- the background problem: a shorter target must not re-judge the past ---- */

typedef struct verdicts { int before, after, moved; } verdicts;

static verdicts verdicts_of(itsm_engine *eng)
{
    verdicts v = { breached(find(eng, "INC-BEFORE")), breached(find(eng, "INC-AFTER")),
                   breached(find(eng, "INC-MOVED")) };
    return v;
}

static void replay_across_a_version_change_reproduces_the_verdicts_of_each_period(void **state)
{
    (void)state;
    itsm_policy *a = p2_within(8, "eight-hours"), *b = p2_within(4, "four-hours");
    memstore s;
    vclock c;
    itsm_engine *eng = new_store_engine(&s, &c, a);
    /* Under A (8 h): resolved in 6 h, met. */
    itsm_record *before = p2(eng, "INC-BEFORE");
    c.now = T0 + HOUR;
    itsm_record *moved = p2(eng, "INC-MOVED");   /* open across the change */
    start_work(before);
    c.now = T0 + 6 * HOUR;
    resolve(before);
    assert_int_equal(breached(before), 0);
    /* The change: B's P2 target is 4 h. */
    c.now = T0 + 7 * HOUR;
    assert_ok(itsm_engine_adopt_policy(eng, b));
    char ida[17], idb[17];
    snprintf(ida, sizeof ida, "%.16s", hash_of(a));
    snprintf(idb, sizeof idb, "%.16s", hash_of(b));
    assert_string_equal(itsm_engine_policy_version(eng), idb);
    assert_string_equal(itsm_policy_name(itsm_engine_policy(eng)), "four-hours");
    /* Both documents are in the store now, each in its own event. */
    assert_int_equal(s.npolicies, 2);
    assert_non_null(strstr(s.policies[0], "\"type\":\"policy\",\"record\":\"~policy."));
    assert_non_null(strstr(s.policies[0], "\"name\":\"eight-hours\""));
    assert_non_null(strstr(s.policies[1], "\"name\":\"four-hours\""));
    /* Under B (4 h): resolved in 6 h, breached. */
    itsm_record *after = p2(eng, "INC-AFTER");
    assert_string_equal(itsm_record_policy_version(after), idb);
    start_work(after);
    /* A closed record never moves: its note is under A, its verdict stands. */
    note(before, "looked at again after the change");
    assert_string_equal(itsm_record_policy_version(before), ida);
    assert_non_null(strstr(s.events[s.n - 1], ida));
    /* An open record moves at its next event: opened 1 h under A, it is
     * judged under B from then on, its clock carried over. */
    assert_string_equal(itsm_record_policy_version(moved), ida);
    assert_int_equal(timer(moved, ITSM_TIMER_RESOLUTION, c.now).target, 8 * HOUR);
    c.now = T0 + 8 * HOUR;
    start_work(moved);
    assert_string_equal(itsm_record_policy_version(moved), idb);
    itsm_timer_info t = timer(moved, ITSM_TIMER_RESOLUTION, c.now);
    assert_int_equal(t.target, 4 * HOUR);
    assert_int_equal(t.elapsed, 7 * HOUR);
    c.now = T0 + 9 * HOUR;
    resolve(moved);
    c.now = T0 + 13 * HOUR;
    resolve(after);
    verdicts live = verdicts_of(eng);
    assert_int_equal(live.before, 0);
    assert_int_equal(live.after, 1);
    assert_int_equal(live.moved, 1);
    char *live_timers = timer_dump(eng, T0 + 30 * DAY);

    /* Reloaded into an engine made with either version (B: the new
     * configuration after a restart), each period keeps its verdicts. */
    const itsm_policy *as[2] = { b, a };
    for (int i = 0; i < 2; i++) {
        vclock c2 = { T0 + DAY };
        itsm_engine *e2 = engine_over(&s, &c2, as[i]);
        assert_ok(itsm_engine_load(e2));
        verdicts back = verdicts_of(e2);
        assert_memory_equal(&back, &live, sizeof back);
        assert_string_equal(itsm_record_policy_version(find(e2, "INC-BEFORE")), ida);
        assert_string_equal(itsm_record_policy_version(find(e2, "INC-AFTER")), idb);
        char *d = timer_dump(e2, T0 + 30 * DAY);
        assert_string_equal(d, live_timers);
        free(d);
        itsm_engine_free(e2);
    }
    /* Without versions, B would judge the record of A's period: 6 h > 4 h. */
    itsm_engine_opts o3 = ITSM_ENGINE_OPTS_INIT;   /* no store: no chain to check */
    o3.policy = b;
    itsm_engine *e3;
    assert_ok(itsm_engine_new(&e3, &o3));
    for (size_t i = 0; i < s.n; i++) {
        char *old = event_without_pv(s.events[i]);
        assert_ok(itsm_engine_replay_json(e3, old, strlen(old), NULL));
        free(old);
    }
    assert_int_equal(breached(find(e3, "INC-BEFORE")), 1);
    itsm_engine_free(e3);
    free(live_timers);
    itsm_engine_free(eng);
    free_store_policies(&s, a, b);
}

/* ---- what a store may hold ---- */

/* Drop the store's policy events: a store written before stores held the
 * documents of every version (events with "pv", no documents). */
static void forget_documents(memstore *s)
{
    for (size_t i = 0; i < s->npolicies; i++)
        free(s->policies[i]);
    s->npolicies = 0;
}

/* The background problem of every store holding its documents: a host
 * edits its policy file and restarts against the store. The engine made
 * with the new version (B) loads the store written under A: the events of
 * A's period are judged under A (its document is in the store), the new
 * ones under B, and the store then holds both documents. */
static void a_store_written_under_one_version_loads_into_an_engine_made_with_another(void **state)
{
    (void)state;
    itsm_policy *a = p2_within(8, "eight-hours"), *b = p2_within(4, "four-hours");
    memstore s;
    vclock c;
    itsm_engine *eng = new_store_engine(&s, &c, a);
    itsm_record *before = p2(eng, "INC-BEFORE");
    c.now = T0 + HOUR;
    itsm_record *moved = p2(eng, "INC-MOVED");
    start_work(before);
    c.now = T0 + 6 * HOUR;
    resolve(before);   /* 6 h under A's 8 h: met */
    itsm_engine_free(eng);
    assert_int_equal(s.npolicies, 1);

    /* The restart with the edited policy. */
    c.now = T0 + 7 * HOUR;
    itsm_engine *e2 = engine_over(&s, &c, b);
    assert_ok(itsm_engine_load(e2));
    char ida[17], idb[17];
    snprintf(ida, sizeof ida, "%.16s", hash_of(a));
    snprintf(idb, sizeof idb, "%.16s", hash_of(b));
    assert_string_equal(itsm_engine_policy_version(e2), idb);
    assert_string_equal(itsm_record_policy_version(find(e2, "INC-BEFORE")), ida);
    assert_int_equal(breached(find(e2, "INC-BEFORE")), 0);
    moved = find(e2, "INC-MOVED");
    assert_string_equal(itsm_record_policy_version(moved), ida);
    assert_int_equal(timer(moved, ITSM_TIMER_RESOLUTION, c.now).target, 8 * HOUR);
    /* New events are B's: its document goes into the store first. */
    itsm_record *after = p2(e2, "INC-AFTER");
    assert_int_equal(s.npolicies, 2);
    assert_non_null(strstr(s.policies[1], "\"name\":\"four-hours\""));
    assert_int_equal(s.policy_at[1], s.n - 1);
    assert_string_equal(itsm_record_policy_version(after), idb);
    start_work(after);
    c.now = T0 + 8 * HOUR;
    start_work(moved);   /* the open record moves at its next event */
    assert_string_equal(itsm_record_policy_version(moved), idb);
    assert_int_equal(timer(moved, ITSM_TIMER_RESOLUTION, c.now).target, 4 * HOUR);
    c.now = T0 + 9 * HOUR;
    resolve(moved);   /* 8 h open: breached under B */
    c.now = T0 + 13 * HOUR;
    resolve(after);   /* 6 h under B's 4 h: breached */
    verdicts live = verdicts_of(e2);
    assert_int_equal(live.before, 0);
    assert_int_equal(live.after, 1);
    assert_int_equal(live.moved, 1);
    char *live_timers = timer_dump(e2, T0 + 30 * DAY);
    itsm_engine_free(e2);
    assert_int_equal(s.npolicies, 2);

    /* Either version's engine reloads it to the same verdicts. */
    const itsm_policy *as[2] = { a, b };
    for (int i = 0; i < 2; i++) {
        vclock c2 = { T0 + DAY };
        itsm_engine *e3 = engine_over(&s, &c2, as[i]);
        assert_ok(itsm_engine_load(e3));
        verdicts back = verdicts_of(e3);
        assert_memory_equal(&back, &live, sizeof back);
        char *d = timer_dump(e3, T0 + 30 * DAY);
        assert_string_equal(d, live_timers);
        free(d);
        itsm_engine_free(e3);
    }
    free(live_timers);
    free_store_policies(&s, a, b);
}

/* The version's document goes in the same append as the first event: a
 * store that refuses it keeps neither, the engine nothing, and the next
 * event writes both. Likewise every allocation failure on the way. */
static void a_refused_first_append_leaves_neither_document_nor_event(void **state)
{
    (void)state;
    itsm_policy *a = p2_within(8, "a");
    memstore s;
    vclock c;
    itsm_engine *eng = new_store_engine(&s, &c, a);
    s.fail_at = 1;
    itsm_change f = { ITSM_F_SUMMARY, "Mail down", 0 };
    itsm_record_opts o = ITSM_RECORD_OPTS_INIT;
    o.id = "INC-1";
    o.fields = &f;
    o.nfields = 1;
    itsm_record *r = NULL;
    assert_fails(eng, itsm_record_open(&r, eng, &o), ITSM_ESTORE, "store append refused open event for INC-1");
    assert_int_equal(s.npolicies, 0);
    assert_int_equal(s.n, 0);
    assert_int_equal(itsm_engine_record_count(eng), 0);
    assert_ok(itsm_record_open(&r, eng, &o));
    assert_int_equal(s.npolicies, 1);
    assert_int_equal(s.n, 1);
    itsm_engine_free(eng);
    memstore_free(&s);

    for (long fail_at = 1;; fail_at++) {
        memstore_init(&s);
        failalloc fa = { 0, 0, 0, 0 };
        eng = engine_over_failing(&s, &c, a, &fa);
        fa.fail_at = fa.calls + fail_at;
        int rc = itsm_record_open(&r, eng, &o);
        fa.fail_at = 0;
        if (rc == ITSM_OK) {
            assert_int_equal(s.npolicies, 1);
            assert_int_equal(s.n, 1);
        } else {
            assert_int_equal(rc, ITSM_ENOMEM);
            assert_int_equal(s.npolicies, 0);
            assert_int_equal(s.n, 0);
            assert_int_equal(itsm_engine_record_count(eng), 0);
            assert_ok(itsm_record_open(&r, eng, &o));   /* and then it writes both */
            assert_int_equal(s.npolicies, 1);
            assert_int_equal(s.n, 1);
        }
        itsm_engine_free(eng);
        assert_int_equal(fa.live, 0);
        memstore_free(&s);
        if (rc == ITSM_OK)
            break;
    }
    itsm_policy_free(a);
}

static void an_event_under_a_version_the_store_never_declared_is_refused(void **state)
{
    (void)state;
    itsm_policy *a = p2_within(8, "a"), *b = p2_within(4, "b");
    memstore s;
    vclock c;
    itsm_engine *eng = new_store_engine(&s, &c, b);
    itsm_record *r = p2(eng, "INC-000001");
    c.now += HOUR;
    start_work(r);
    itsm_engine_free(eng);
    /* An engine made with A does not know B, and the store holds no
     * document of it (written when stores held only the ids). */
    forget_documents(&s);
    itsm_engine *e2 = engine_over(&s, &c, a);
    char idb[17];
    snprintf(idb, sizeof idb, "%.16s", hash_of(b));
    assert_int_equal(itsm_engine_load(e2), ITSM_EPOLICY);
    assert_non_null(strstr(itsm_errmsg(e2), "record INC-000001 revision 1"));
    assert_non_null(strstr(itsm_errmsg(e2), idb));
    assert_non_null(strstr(itsm_errmsg(e2), "the store lacks its document"));
    assert_int_equal(itsm_engine_record_count(e2), 0);
    /* A "pv" that is not a version id at all is a parse error. */
    const char *bad = "{\"v\":1,\"type\":\"open\",\"record\":\"X\",\"kind\":\"incident\",\"rev\":1,"
                      "\"at\":\"2026-03-02T09:00:00Z\",\"state\":\"new\",\"pv\":7}";
    itsm_parse_error err;
    assert_int_equal(itsm_engine_replay_json(e2, bad, strlen(bad), &err), ITSM_EPARSE);
    assert_non_null(strstr(err.text, "'pv' must be a policy version id"));
    itsm_engine_free(e2);
    /* An engine made with B loads it as it always did, and puts B's
     * document into the store before its first event. */
    itsm_engine *e3 = engine_over(&s, &c, b);
    assert_ok(itsm_engine_load(e3));
    assert_int_equal(s.npolicies, 0);
    c.now += HOUR;
    note(find(e3, "INC-000001"), "after the upgrade");
    assert_int_equal(s.npolicies, 1);
    assert_int_equal(s.policy_at[0], s.n - 1);
    itsm_engine_free(e3);
    /* The store holds B's document now (after the events made before it):
     * A's engine reads the documents first and loads it under B. */
    e2 = engine_over(&s, &c, a);
    assert_ok(itsm_engine_load(e2));
    assert_string_equal(itsm_record_policy_version(find(e2, "INC-000001")), idb);
    itsm_engine_free(e2);
    free_store_policies(&s, a, b);
}

/* The chain link of each record, recomputed over events without "pv": a
 * store as the library wrote it before versions. */
static void rechain_without_versions(memstore *s)
{
    char ids[64][72];
    unsigned char heads[64][32];
    size_t nids = 0;
    for (size_t i = 0; i < s->n; i++) {
        char *ev = s->events[i];
        event_drop_pv(ev);
        char *h = strstr(ev, ",\"hash\":\"");
        assert_non_null(h);
        strcpy(h, "}");
        const char *rid = strstr(ev, "\"record\":\"") + 10;
        size_t k = 0;
        while (k < nids && strncmp(ids[k], rid, strlen(ids[k])) != 0)
            k++;
        if (k == nids) {
            assert_true(nids < 64);
            snprintf(ids[k], sizeof ids[k], "%.*s\"", (int)(strchr(rid, '"') - rid), rid);
            memset(heads[k], 0, 32);
            nids++;
        }
        itsm__sha256 sh;
        itsm__sha256_init(&sh);
        itsm__sha256_update(&sh, heads[k], 32);
        itsm__sha256_update(&sh, ev, strlen(ev));
        itsm__sha256_final(&sh, heads[k]);
        char hex[65];
        itsm__hex32(heads[k], hex);
        size_t len = strlen(ev);
        s->events[i] = realloc(ev, len + 80);
        snprintf(s->events[i] + len - 1, 81, ",\"hash\":\"%s\"}", hex);
    }
}

/* A load into an engine that holds no record is all or nothing: refused
 * for a version (here: an event under one the store holds no document
 * of, after events the engine could judge), it leaves the engine as it
 * was, empty, its ids counting from 1. An engine catching up keeps what it
 * holds and what it applied before the refusal, and loads on from there. */
static void a_load_refused_for_a_version_leaves_an_empty_engine_empty(void **state)
{
    (void)state;
    itsm_policy *a = p2_within(8, "a"), *b = p2_within(4, "b");
    memstore s;
    vclock c;
    itsm_engine *eng = new_store_engine(&s, &c, a);
    itsm_record *first = p2(eng, NULL);
    c.now += HOUR;
    start_work(first);
    assert_ok(itsm_engine_adopt_policy(eng, b));
    p2(eng, NULL);
    itsm_engine_free(eng);
    forget_documents(&s);
    assert_int_equal(s.n, 3);

    itsm_engine *e2 = engine_over(&s, &c, a);
    assert_fails(e2, itsm_engine_load(e2), ITSM_EPOLICY, "record INC-000002 revision 1 is under policy version");
    assert_int_equal(itsm_engine_record_count(e2), 0);
    memstore other;
    vclock c0;
    itsm_engine *empty = new_store_engine(&other, &c0, a);
    char *got = engine_dump(e2), *want = engine_dump(empty);
    assert_string_equal(got, want);
    free(got), free(want);
    itsm_engine_free(empty);
    memstore_free(&other);

    /* Catching up: what it held and applied stays. */
    for (size_t i = 0; i < 2; i++)
        assert_ok(itsm_engine_replay_json(e2, s.events[i], strlen(s.events[i]), NULL));
    char *held = engine_dump(e2);
    assert_int_equal(itsm_engine_load(e2), ITSM_EPOLICY);
    got = engine_dump(e2);
    assert_string_equal(got, held);
    free(got), free(held);
    itsm_engine_free(e2);
    free_store_policies(&s, a, b);
}

static void a_store_from_before_versions_still_loads_under_the_engines_policy(void **state)
{
    (void)state;
    itsm_policy *a = p2_within(8, NULL);
    memstore s;
    vclock c;
    itsm_engine *eng = new_store_engine(&s, &c, a);
    itsm_record *r = p2(eng, "INC-OLD");
    c.now += HOUR;
    start_work(r);
    note(r, "a work note");
    c.now += 2 * HOUR;
    resolve(r);
    char *want = engine_dump(eng);
    itsm_engine_free(eng);
    rechain_without_versions(&s);
    forget_documents(&s);
    assert_null(strstr(s.events[0], "\"pv\""));
    /* Verified (chain and sequence) and judged under the engine's policy. */
    itsm_engine *e2 = engine_over(&s, &c, a);
    assert_ok(itsm_engine_load(e2));
    char *got = engine_dump(e2);
    assert_string_equal(got, want);
    assert_string_equal(itsm_record_policy_version(find(e2, "INC-OLD")), itsm_engine_policy_version(e2));
    /* It goes on writing, chained to the old events, with the version. */
    c.now += HOUR;
    note(find(e2, "INC-OLD"), "after the upgrade");
    assert_non_null(strstr(s.events[s.n - 1], "\"pv\":\""));
    assert_int_equal(s.npolicies, 1);   /* and the version's document before it */
    assert_int_equal(s.policy_at[0], s.n - 1);
    itsm_engine_free(e2);
    itsm_engine *e3 = engine_over(&s, &c, a);
    assert_ok(itsm_engine_load(e3));
    assert_int_equal(itsm_record_revision(find(e3, "INC-OLD")), 5);
    itsm_engine_free(e3);
    free(want), free(got);
    free_store_policies(&s, a, NULL);
}

static void a_policy_document_changed_in_the_store_is_refused(void **state)
{
    (void)state;
    itsm_policy *a = p2_within(8, "a"), *b = p2_within(4, "b");
    memstore s;
    vclock c;
    itsm_engine *eng = new_store_engine(&s, &c, a);
    p2(eng, "INC-1");
    assert_ok(itsm_engine_adopt_policy(eng, b));
    itsm_engine_free(eng);
    assert_int_equal(s.npolicies, 2);
    /* B's 4 hours (14400 s) made 16 hours by hand. */
    char *t = strstr(s.policies[1], "14400");
    assert_non_null(t);
    memcpy(t, "57600", 5);
    itsm_engine *e2 = engine_over(&s, &c, a);
    assert_int_equal(itsm_engine_load(e2), ITSM_ETAMPER);
    assert_non_null(strstr(itsm_errmsg(e2), "holds a policy document that does not match its hash"));
    itsm_engine_free(e2);
    free_store_policies(&s, a, b);
}

/* ---- adoption ---- */

static void adoption_is_all_or_nothing_with_the_store(void **state)
{
    (void)state;
    itsm_policy *a = p2_within(8, "a"), *b = p2_within(4, "b");
    memstore s;
    vclock c;
    itsm_engine *eng = new_store_engine(&s, &c, a);
    itsm_record *r = p2(eng, "INC-1");
    char ida[17];
    snprintf(ida, sizeof ida, "%s", itsm_engine_policy_version(eng));
    assert_int_equal(s.npolicies, 1);   /* A's, with INC-1's open */
    s.fail_at = s.appends + 1;
    assert_fails(eng, itsm_engine_adopt_policy(eng, b), ITSM_ESTORE, "store append refused the policy event");
    assert_string_equal(itsm_engine_policy_version(eng), ida);
    assert_int_equal(s.npolicies, 1);
    assert_ok(itsm_engine_adopt_policy(eng, b));
    assert_string_not_equal(itsm_engine_policy_version(eng), ida);
    assert_int_equal(s.npolicies, 2);
    /* Back to A: known, stored, no new document. */
    assert_ok(itsm_engine_adopt_policy(eng, a));
    assert_string_equal(itsm_engine_policy_version(eng), ida);
    assert_int_equal(s.npolicies, 2);
    c.now += HOUR;
    start_work(r);
    assert_string_equal(itsm_record_policy_version(r), ida);
    assert_int_equal(itsm_engine_adopt_policy(NULL, b), ITSM_EINVAL);
    assert_fails(eng, itsm_engine_adopt_policy(eng, NULL), ITSM_EINVAL, "policy is NULL");
    itsm_engine_free(eng);
    free_store_policies(&s, a, b);
}

/* What a version may change in a lifecycle: test_versions_lifecycle.c. */
static void a_version_with_other_stop_states_is_refused(void **state)
{
    (void)state;
    itsm_policy *a = p2_within(8, "a");
    fixture f;
    fixture_open_policy(&f, a);
    const char *before = itsm_engine_policy_version(f.eng);
    itsm_policy *c;
    assert_ok(itsm_policy_clone(&c, a));
    const char *stop[] = { "resolved", "closed" };
    assert_ok(itsm_policy_set_sla_stop_states(c, stop, 2));
    assert_fails(f.eng, itsm_engine_adopt_policy(f.eng, c), ITSM_EPOLICY, "stop states differ");
    assert_string_equal(itsm_engine_policy_version(f.eng), before);
    fixture_close(&f);
    itsm_policy_free(a), itsm_policy_free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_version_is_a_name_and_the_hash_of_the_document),
        cmocka_unit_test(a_bad_name_is_refused_with_the_reason),
        cmocka_unit_test(every_event_records_the_version_in_force),
        cmocka_unit_test(replay_across_a_version_change_reproduces_the_verdicts_of_each_period),
        cmocka_unit_test(a_store_written_under_one_version_loads_into_an_engine_made_with_another),
        cmocka_unit_test(a_refused_first_append_leaves_neither_document_nor_event),
        cmocka_unit_test(an_event_under_a_version_the_store_never_declared_is_refused),
        cmocka_unit_test(a_load_refused_for_a_version_leaves_an_empty_engine_empty),
        cmocka_unit_test(a_store_from_before_versions_still_loads_under_the_engines_policy),
        cmocka_unit_test(a_policy_document_changed_in_the_store_is_refused),
        cmocka_unit_test(adoption_is_all_or_nothing_with_the_store),
        cmocka_unit_test(a_version_with_other_stop_states_is_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
