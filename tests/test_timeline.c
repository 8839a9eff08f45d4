/* SPDX-License-Identifier: Apache-2.0 */
/* A record's whole history (itsm_record_timeline): every stored event in
 * order with who, when and what changed (old -> new), read back from the
 * store's read_record; the notes alone when the store has no such read. */
#include "sla/sla_support.h"

static void advance(fixture *f, itsm_time t) { f->clock.now = t; }

static size_t tick_to(fixture *f, itsm_time t)
{
    size_t fired = 0;
    f->clock.now = t;
    assert_ok(itsm_engine_tick(f->eng, t, &fired));
    return fired;
}

static itsm_timeline *history(itsm_record *r)
{
    itsm_timeline *tl = NULL;
    assert_ok(itsm_record_timeline(&tl, r));
    assert_non_null(tl);
    return tl;
}

static itsm_timeline_entry entry(const itsm_timeline *tl, size_t i)
{
    itsm_timeline_entry e = { .size = sizeof e };
    assert_ok(itsm_timeline_at(tl, i, &e));
    return e;
}

static itsm_field_change change(const itsm_timeline *tl, size_t i, size_t j)
{
    itsm_field_change c = { .size = sizeof c };
    assert_ok(itsm_timeline_change_at(tl, i, j, &c));
    return c;
}

/* The change of `field` in entry i; fails the test when there is none. */
static itsm_field_change change_of(const itsm_timeline *tl, size_t i, const char *field)
{
    itsm_timeline_entry e = entry(tl, i);
    for (size_t j = 0; j < e.nchanges; j++) {
        itsm_field_change c = change(tl, i, j);
        if (!strcmp(c.field, field))
            return c;
    }
    fail_msg("entry %zu (%s) has no change of %s", i, e.type, field);
    return (itsm_field_change){ 0 };
}

#define assert_str_or_null(a, b) do {                          \
        const char *a_ = (a), *b_ = (b);                       \
        if (b_) assert_string_equal(a_ ? a_ : "(null)", b_);   \
        else assert_null(a_);                                  \
    } while (0)

static void six_changes_give_six_entries_in_order_with_who_when_and_old_values(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    assert_ok(itsm_engine_set_actor(f.eng, "alice"));
    itsm_record *r = open_inc(&f, 2, 2, "mail");                          /* 1 open */
    advance(&f, T0 + 60);
    itsm_change c1[2] = { { ITSM_F_IMPACT, NULL, 1 }, { ITSM_F_CATEGORY, "email", 0 } };
    assert_ok(itsm_record_update(r, c1, 2));                              /* 2 update */
    advance(&f, T0 + 120);
    assert_ok(itsm_engine_set_actor(f.eng, "bob"));
    itsm_change g = { ITSM_F_ASSIGNMENT_GROUP, "messaging", 0 };
    assert_ok(itsm_record_fire(r, "assign", &g, 1));                      /* 3 transition */
    advance(&f, T0 + 180);
    itsm_change a = { ITSM_F_ASSIGNEE, "carol", 0 };
    assert_ok(itsm_record_fire(r, "start", &a, 1));                       /* 4 transition */
    advance(&f, T0 + 240);
    itsm_note_opts no = ITSM_NOTE_OPTS_INIT;
    no.text = "restarted the relay";
    assert_ok(itsm_record_add_note(r, &no));                              /* 5 note */
    advance(&f, T0 + 300);
    itsm_change g2 = { ITSM_F_ASSIGNMENT_GROUP, "network", 0 };
    assert_ok(itsm_record_update(r, &g2, 1));                             /* 6 update */

    assert_int_equal(itsm_record_timeline_count(r), 1);   /* the engine keeps the note only */
    itsm_timeline *tl = history(r);
    assert_int_equal(itsm_timeline_complete(tl), 1);
    assert_int_equal(itsm_timeline_count(tl), 6);
    static const char *const types[] = { "open", "update", "transition", "transition", "note", "update" };
    static const char *const who[] = { "alice", "alice", "bob", "bob", "bob", "bob" };
    for (size_t i = 0; i < 6; i++) {
        itsm_timeline_entry e = entry(tl, i);
        assert_string_equal(e.type, types[i]);
        assert_string_equal(e.author, who[i]);
        assert_int_equal(e.at, T0 + 60 * (itsm_time)i);
        assert_int_equal(e.revision, i + 1);
        assert_non_null(e.json);
        assert_non_null(strstr(e.json, "\"type\":\""));
    }
    itsm_timeline_entry e = entry(tl, 0);
    assert_string_equal(e.to_state, "new");
    assert_string_equal(e.text, "opened in new");
    itsm_field_change c = change_of(tl, 0, "impact");
    assert_null(c.old_value);
    assert_string_equal(c.new_value, "2");
    c = change_of(tl, 0, "priority");
    assert_string_equal(c.new_value, "3");

    e = entry(tl, 1);
    assert_string_equal(e.text, "changed impact, category, priority");
    c = change_of(tl, 1, "impact");
    assert_string_equal(c.old_value, "2");
    assert_string_equal(c.new_value, "1");
    c = change_of(tl, 1, "priority");          /* derived in the same step */
    assert_string_equal(c.old_value, "3");
    assert_string_equal(c.new_value, "2");
    c = change_of(tl, 1, "category");
    assert_null(c.old_value);
    assert_string_equal(c.new_value, "email");

    e = entry(tl, 2);
    assert_string_equal(e.event, "assign");
    assert_string_equal(e.from_state, "new");
    assert_string_equal(e.to_state, "assigned");
    assert_string_equal(e.text, "assign: new -> assigned");
    c = change_of(tl, 2, "assignment_group");
    assert_null(c.old_value);
    assert_string_equal(c.new_value, "messaging");

    e = entry(tl, 4);
    assert_int_equal(e.kind, ITSM_NOTE_WORK);
    assert_string_equal(e.text, "restarted the relay");
    assert_int_equal(e.nchanges, 0);

    c = change_of(tl, 5, "assignment_group");
    assert_string_equal(c.old_value, "messaging");
    assert_string_equal(c.new_value, "network");
    c = change_of(tl, 5, "reassignments");
    assert_string_equal(c.new_value, "1");

    /* a snapshot: later changes and freeing the engine leave it as it was */
    assert_ok(itsm_record_add_note(r, &no));
    assert_int_equal(itsm_timeline_count(tl), 6);
    fixture_close(&f);
    assert_string_equal(entry(tl, 4).text, "restarted the relay");
    assert_string_equal(change_of(tl, 5, "assignment_group").old_value, "messaging");
    itsm_timeline_free(tl);
}

/* Every event type the library writes, and the record whose history shows it. */
static const char *const every_type[] = {
    "open", "update", "transition", "note", "link",
    "sla_warning", "sla_breach", "escalation_step", "functional_escalation", "update_overdue",
    "auto_close_blocked", "sla_assigned", "major_proposed", "major_decided",
    "major_communication_issued", "major_groups_engaged", "major_deadline_missed",
    "outage_declared", "outage_ended", "handover_propose", "handover_acknowledge", "handover_reject",
    NULL,
};

static void every_event_type_shows_in_the_history_and_matches_the_store(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    assert_ok(itsm_engine_set_actor(f.eng, "desk"));
    /* A: a major incident that climbs, breaches and is handed over. */
    itsm_record *a = open_inc(&f, 2, 1, "payments");
    itsm_record *b = open_inc(&f, 3, 3, "payments");
    assert_ok(itsm_record_link(a, ITSM_LINK_RELATED, b));
    assert_ok(itsm_record_set_str(a, ITSM_F_CATEGORY, "cards"));
    itsm_note_opts no = ITSM_NOTE_OPTS_INIT;
    no.text = "card payments fail in every store";
    assert_ok(itsm_record_add_note(a, &no));
    start_work(a);
    assert_ok(itsm_record_escalate(a, 2, "payments-l2", "restarted the gateway"));
    assert_ok(itsm_record_escalate_hierarchical(a, "customers complain"));
    assert_ok(itsm_record_set_sla(a, "standard"));
    assert_ok(itsm_major_propose(a, "all stores"));
    assert_ok(itsm_major_decide(a, 1, "mim"));
    const char *groups[] = { "network" };
    assert_ok(itsm_major_engage_groups(a, groups, 1));
    tick_to(&f, T0 + 16 * MIN);    /* the communication deadline is missed */
    assert_ok(itsm_major_communication_issued(a));
    assert_ok(itsm_outage_declare(a, T0 + 4 * HOUR, T0 + 2 * HOUR));
    assert_ok(itsm_outage_end(a));
    itsm_packet *p;
    assert_ok(itsm_packet_new(&p, a, ITSM_PACKET_SHIFT));
    assert_ok(itsm_packet_propose(p, f.eng));
    assert_ok(itsm_packet_acknowledge(p, f.eng, "night-mim"));
    itsm_packet_free(p);
    assert_ok(itsm_packet_new(&p, a, ITSM_PACKET_TO_PROBLEM));
    assert_ok(itsm_packet_propose(p, f.eng));
    assert_ok(itsm_packet_reject(p, f.eng, "pm", "no facts"));
    itsm_packet_free(p);
    tick_to(&f, T0 + 2 * DAY);     /* warnings, breaches, overdue updates */
    /* B: resolved without a checklist: auto-close is blocked */
    f.clock.now = T0 + 2 * DAY;
    start_work(b);
    resolve(b);
    tick_to(&f, T0 + 6 * DAY);

    int seen[sizeof every_type / sizeof every_type[0]] = { 0 };
    size_t total = 0;
    itsm_record *recs[] = { a, b };
    for (size_t k = 0; k < 2; k++) {
        itsm_timeline *tl = history(recs[k]);
        assert_int_equal(itsm_timeline_count(tl), itsm_record_revision(recs[k]));
        total += itsm_timeline_count(tl);
        /* the entries are the store's events of the record, byte for byte */
        size_t i = 0;
        for (size_t s = 0; s < f.store.n; s++) {
            char key[64];
            snprintf(key, sizeof key, "\"record\":\"%s\",", itsm_record_id(recs[k]));
            if (!strstr(f.store.events[s], key))
                continue;
            itsm_timeline_entry e = entry(tl, i++);
            assert_string_equal(e.json, f.store.events[s]);
            assert_non_null(e.text);
            assert_true(*e.text);
            assert_string_equal(e.author ? e.author : "", strstr(e.json, "\"actor\":\"desk\"") ? "desk" : "");
            for (size_t t = 0; every_type[t]; t++)
                seen[t] |= !strcmp(e.type, every_type[t]);
        }
        itsm_timeline_free(tl);
    }
    assert_int_equal(total, f.store.n);
    for (size_t t = 0; every_type[t]; t++)
        if (!seen[t])
            fail_msg("no history shows a %s event", every_type[t]);
    fixture_close(&f);
}

static void extension_events_say_what_happened_from_their_own_members(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *r = open_inc(&f, 2, 2, "mail");
    start_work(r);
    assert_ok(itsm_record_escalate(r, 2, "mail-l2", "cleared the queue"));
    assert_ok(itsm_major_propose(r, "whole floor"));
    const char *groups[] = { "network", "mail-l2" };
    assert_ok(itsm_major_decide(r, 1, "mim"));
    assert_ok(itsm_major_engage_groups(r, groups, 2));
    itsm_packet *p;
    assert_ok(itsm_packet_new(&p, r, ITSM_PACKET_SHIFT));
    assert_ok(itsm_packet_propose(p, f.eng));
    assert_ok(itsm_packet_acknowledge(p, f.eng, "night-mim"));
    itsm_packet_free(p);
    itsm_timeline *tl = history(r);
    size_t n = itsm_timeline_count(tl);
    int found = 0;
    for (size_t i = 0; i < n; i++) {
        itsm_timeline_entry e = entry(tl, i);
        if (!strcmp(e.type, "functional_escalation")) {
            assert_string_equal(e.text, "functional_escalation: level 2, group mail-l2, tried cleared the queue");
            assert_string_equal(change_of(tl, i, "assignment_group").old_value, "Desk");
            found++;
        } else if (!strcmp(e.type, "major_groups_engaged")) {
            assert_string_equal(e.text, "major_groups_engaged: groups network mail-l2");
            found++;
        } else if (!strcmp(e.type, "handover_acknowledge")) {
            assert_non_null(strstr(e.text, "handover_acknowledge: seq 1, by night-mim"));
            assert_string_equal(change_of(tl, i, "assignee").old_value, "ann");
            assert_string_equal(change_of(tl, i, "assignee").new_value, "night-mim");
            found++;
        } else if (!strcmp(e.type, "handover_propose")) {
            assert_non_null(strstr(e.text, "handover_propose: seq 1, score "));
            assert_null(strstr(e.text, "packet"));   /* the nested packet stays in json */
            found++;
        }
    }
    assert_int_equal(found, 4);
    itsm_timeline_free(tl);
    fixture_close(&f);
}

static void a_link_and_a_customer_update_read_back_as_they_were_made(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *parent = open_inc(&f, 2, 2, "mail"), *child = open_inc(&f, 3, 3, "mail");
    assert_ok(itsm_record_link(parent, ITSM_LINK_CHILD, child));
    itsm_note_opts no = ITSM_NOTE_OPTS_INIT;
    no.kind = ITSM_NOTE_CUSTOMER;
    no.text = "queue draining";
    no.expected_restoration = T0 + 2 * HOUR;
    no.next_update = T0 + 30 * MIN;
    assert_ok(itsm_record_add_note(child, &no));
    itsm_timeline *tl = history(parent);
    assert_string_equal(entry(tl, 1).text, "parent of INC-000002");
    itsm_timeline_free(tl);
    tl = history(child);
    assert_int_equal(itsm_timeline_count(tl), 3);
    assert_string_equal(entry(tl, 1).type, "link");
    assert_string_equal(entry(tl, 1).text, "child of INC-000001");
    itsm_timeline_entry e = entry(tl, 2);
    assert_int_equal(e.kind, ITSM_NOTE_CUSTOMER);
    assert_string_equal(e.text, "queue draining");
    assert_int_equal(e.expected_restoration, T0 + 2 * HOUR);
    assert_int_equal(e.next_update, T0 + 30 * MIN);
    assert_null(e.author);
    itsm_timeline_free(tl);
    fixture_close(&f);
}

static void a_store_without_read_record_gives_the_notes(void **state)
{
    (void)state;
    for (int with_store = 0; with_store < 2; with_store++) {
        memstore ms;
        memstore_init(&ms);
        itsm_store st = memstore_methods;
        st.read_record = NULL;
        itsm_engine_opts o = ITSM_ENGINE_OPTS_INIT;
        if (with_store) {
            o.store = &st;
            o.store_user = &ms;
        }
        itsm_engine *eng;
        assert_ok(itsm_engine_new(&eng, &o));
        itsm_record *r;
        itsm_record_opts ro = ITSM_RECORD_OPTS_INIT;
        assert_ok(itsm_record_open(&r, eng, &ro));
        itsm_note_opts no = ITSM_NOTE_OPTS_INIT;
        no.text = "first";
        assert_ok(itsm_record_add_note(r, &no));
        assert_ok(itsm_record_set_str(r, ITSM_F_SUMMARY, "x"));
        itsm_timeline *tl;
        assert_ok(itsm_record_timeline(&tl, r));
        assert_int_equal(itsm_timeline_complete(tl), 0);
        assert_int_equal(itsm_timeline_count(tl), 1);
        itsm_timeline_entry e = entry(tl, 0);
        assert_string_equal(e.type, "note");
        assert_string_equal(e.text, "first");
        assert_int_equal(e.revision, 0);
        assert_null(e.json);
        itsm_timeline_free(tl);
        itsm_engine_free(eng);
        memstore_free(&ms);
    }
}

static void the_old_notes_getter_fills_the_same_entry(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *r = open_inc(&f, 2, 2, NULL);
    itsm_note_opts no = ITSM_NOTE_OPTS_INIT;
    no.text = "looked";
    assert_ok(itsm_record_add_note(r, &no));
    itsm_timeline_entry e = { .size = sizeof e };
    assert_ok(itsm_record_timeline_at(r, 0, &e));
    assert_string_equal(e.type, "note");
    assert_string_equal(e.text, "looked");
    assert_int_equal(e.revision, 0);
    assert_int_equal(e.nchanges, 0);
    assert_null(e.json);
    fixture_close(&f);
}

/* A store that answers read_record with what the test puts in `events`. */
typedef struct canned { const char *const *events; int code; } canned;

static int canned_append(void *user, const itsm_event *const *evs, size_t n)
{
    (void)user, (void)evs, (void)n;
    return ITSM_OK;
}

static int canned_read(void *user, const char *id, itsm_store_emit_fn emit, void *ctx)
{
    (void)id;
    canned *c = user;
    for (size_t i = 0; c->events[i]; i++) {
        int rc = emit(ctx, c->events[i], strlen(c->events[i]));
        if (rc)
            return rc;
    }
    return c->code;
}

static void a_store_that_breaks_the_contract_is_refused_clearly(void **state)
{
    (void)state;
    static const char *const ok0[] = { NULL };
    canned c = { ok0, ITSM_OK };
    itsm_store st = { ITSM_STORE_VERSION, canned_append, NULL, NULL, canned_read, NULL };
    itsm_engine_opts o = ITSM_ENGINE_OPTS_INIT;
    o.store = &st;
    o.store_user = &c;
    itsm_engine *eng;
    assert_ok(itsm_engine_new(&eng, &o));
    itsm_record *r;
    itsm_record_opts ro = ITSM_RECORD_OPTS_INIT;
    assert_ok(itsm_record_open(&r, eng, &ro));
    itsm_timeline *tl = (itsm_timeline *)&c;

    static const char *const other[] = {
        "{\"v\":1,\"type\":\"open\",\"record\":\"INC-000009\",\"kind\":\"incident\",\"rev\":1,"
        "\"at\":\"2026-03-02T09:00:00Z\",\"state\":\"new\"}", NULL };
    c.events = other;
    assert_fails(eng, itsm_record_timeline(&tl, r), ITSM_ESTORE, "gave an event of INC-000009");
    assert_null(tl);
    static const char *const gap[] = {
        "{\"v\":1,\"type\":\"open\",\"record\":\"INC-000001\",\"kind\":\"incident\",\"rev\":1,"
        "\"at\":\"2026-03-02T09:00:00Z\",\"state\":\"new\"}",
        "{\"v\":1,\"type\":\"update\",\"record\":\"INC-000001\",\"kind\":\"incident\",\"rev\":3,"
        "\"at\":\"2026-03-02T09:00:00Z\",\"set\":{\"summary\":\"x\"}}", NULL };
    c.events = gap;
    assert_fails(eng, itsm_record_timeline(&tl, r), ITSM_ESTORE, "gave revision 3 after 1");
    static const char *const junk[] = { "{\"v\":1,", NULL };
    c.events = junk;
    assert_fails(eng, itsm_record_timeline(&tl, r), ITSM_EPARSE, "is not JSON");
    static const char *const bare[] = { "[1]", NULL };
    c.events = bare;
    assert_fails(eng, itsm_record_timeline(&tl, r), ITSM_EPARSE, "not an object");
    static const char *const untyped[] = { "{\"record\":\"INC-000001\",\"rev\":1}", NULL };
    c.events = untyped;
    assert_fails(eng, itsm_record_timeline(&tl, r), ITSM_EPARSE, "without type");
    /* the store's own failure comes back as it is */
    c.events = ok0;
    c.code = ITSM_EUSER;
    assert_fails(eng, itsm_record_timeline(&tl, r), ITSM_EUSER, "read_record for INC-000001 failed");
    assert_null(tl);
    c.code = ITSM_OK;
    assert_ok(itsm_record_timeline(&tl, r));
    assert_int_equal(itsm_timeline_count(tl), 0);
    itsm_timeline_free(tl);

    assert_int_equal(itsm_record_timeline(NULL, r), ITSM_EINVAL);
    assert_int_equal(itsm_record_timeline(&tl, NULL), ITSM_EINVAL);
    assert_int_equal(itsm_timeline_count(NULL), 0);
    assert_int_equal(itsm_timeline_complete(NULL), 0);
    itsm_timeline_free(NULL);
    itsm_engine_free(eng);
}

/* A store that calls the engine from read_record is refused, and the
 * engine says why. */
static itsm_record *reentry_rec;
static int reentry_code;
static int reentrant_read(void *user, const char *id, itsm_store_emit_fn emit, void *ctx)
{
    (void)user, (void)id, (void)emit, (void)ctx;
    itsm_timeline *tl;
    reentry_code = itsm_record_timeline(&tl, reentry_rec);
    return ITSM_OK;
}

static void getters_refuse_bad_arguments_and_calls_from_inside_a_callback(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *r = open_inc(&f, 2, 2, NULL);
    itsm_timeline *tl = history(r);
    itsm_timeline_entry e = { .size = 0 };
    assert_int_equal(itsm_timeline_at(tl, 0, &e), ITSM_EINVAL);
    e.size = sizeof e;
    assert_int_equal(itsm_timeline_at(tl, 1, &e), ITSM_EINVAL);
    assert_int_equal(itsm_timeline_at(NULL, 0, &e), ITSM_EINVAL);
    assert_int_equal(itsm_timeline_at(tl, 0, NULL), ITSM_EINVAL);
    itsm_field_change c = { .size = sizeof c };
    assert_int_equal(itsm_timeline_change_at(tl, 0, 99, &c), ITSM_EINVAL);
    assert_int_equal(itsm_timeline_change_at(tl, 5, 0, &c), ITSM_EINVAL);
    c.size = sizeof c + 1;
    assert_int_equal(itsm_timeline_change_at(tl, 0, 0, &c), ITSM_EINVAL);
    itsm_timeline_free(tl);
    fixture_close(&f);

    memstore ms;
    memstore_init(&ms);
    itsm_store st = memstore_methods;
    st.read_record = reentrant_read;
    itsm_engine_opts o = ITSM_ENGINE_OPTS_INIT;
    o.store = &st;
    o.store_user = &ms;
    itsm_engine *eng;
    assert_ok(itsm_engine_new(&eng, &o));
    itsm_record_opts ro = ITSM_RECORD_OPTS_INIT;
    assert_ok(itsm_record_open(&reentry_rec, eng, &ro));
    assert_ok(itsm_record_timeline(&tl, reentry_rec));
    assert_int_equal(reentry_code, ITSM_ESTATE);
    itsm_timeline_free(tl);
    itsm_engine_free(eng);
    memstore_free(&ms);
}

static void every_allocation_failure_is_enomem_and_leaks_nothing(void **state)
{
    (void)state;
    for (long k = 1;; k++) {
        failalloc fa = { 0, 0, 0, 0 };
        memstore ms;
        memstore_init(&ms);
        vclock clock = { T0 };
        itsm_engine *eng = engine_over_failing(&ms, &clock, NULL, &fa);
        itsm_record *r;
        itsm_change ch[2] = { { ITSM_F_SUMMARY, "mail", 0 }, { ITSM_F_IMPACT, NULL, 2 } };
        itsm_record_opts ro = ITSM_RECORD_OPTS_INIT;
        ro.fields = ch;
        ro.nfields = 2;
        assert_ok(itsm_record_open(&r, eng, &ro));
        itsm_note_opts no = ITSM_NOTE_OPTS_INIT;
        no.text = "a note";
        assert_ok(itsm_record_add_note(r, &no));
        assert_ok(itsm_record_set_str(r, ITSM_F_SUMMARY, "mail down"));
        long live = fa.live;
        fa.calls = 0;
        fa.fail_at = k;
        itsm_timeline *tl = NULL;
        int rc = itsm_record_timeline(&tl, r);
        if (rc == ITSM_OK) {
            assert_int_equal(itsm_timeline_count(tl), 3);
            itsm_timeline_free(tl);
            assert_int_equal(fa.live, live);
            itsm_engine_free(eng);
            memstore_free(&ms);
            assert_true(k > 3);
            break;
        }
        assert_int_equal(rc, ITSM_ENOMEM);
        assert_string_equal(itsm_errmsg(eng), "out of memory");
        assert_null(tl);
        assert_int_equal(fa.live, live);
        itsm_engine_free(eng);
        memstore_free(&ms);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(six_changes_give_six_entries_in_order_with_who_when_and_old_values),
        cmocka_unit_test(every_event_type_shows_in_the_history_and_matches_the_store),
        cmocka_unit_test(extension_events_say_what_happened_from_their_own_members),
        cmocka_unit_test(a_link_and_a_customer_update_read_back_as_they_were_made),
        cmocka_unit_test(a_store_without_read_record_gives_the_notes),
        cmocka_unit_test(the_old_notes_getter_fills_the_same_entry),
        cmocka_unit_test(a_store_that_breaks_the_contract_is_refused_clearly),
        cmocka_unit_test(getters_refuse_bad_arguments_and_calls_from_inside_a_callback),
        cmocka_unit_test(every_allocation_failure_is_enomem_and_leaks_nothing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
