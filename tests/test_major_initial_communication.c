/* SPDX-License-Identifier: Apache-2.0 */
/* What counts as a major incident's initial communication (DESIGN section
 * 5, seed 001: in the initial 15 minutes the major incident team "engages
 * the Technical Resolving Groups and issues initial comms"): a message to
 * the stakeholders about the declared major incident - not an internal
 * work note, not an update given before the declaration, not a child's
 * update to its own caller. */
#include "sla/sla_support.h"

#define DUE_COMM 0

static void comm_deadline(const itsm_record *r, itsm_time want_due, int want_done, int want_missed)
{
    itsm_time due;
    int done, missed;
    assert_ok(itsm_record_major_deadline(&due, &done, &missed, r, DUE_COMM));
    assert_int_equal(due, want_due);
    assert_int_equal(done, want_done);
    assert_int_equal(missed, want_missed);
}

static void engage(itsm_record *r)
{
    const char *g[] = { "network" };
    assert_ok(itsm_major_engage_groups(r, g, 1));
}

/* Seed 001: comms "manage stakeholder confidence". A work note is the
 * team's own record - nobody outside reads it: the communication deadline
 * still fires, and only a customer update meets it (late). */
static void a_work_note_is_not_the_initial_communication(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *r = open_inc(&f, 1, 1, "Payments");
    assert_ok(itsm_major_decide(r, 1, "maria"));
    start_work(r);
    engage(r);
    f.clock.now = T0 + 5 * MIN;
    itsm_note_opts n = ITSM_NOTE_OPTS_INIT;
    n.text = "gateway logs checked; told the payments lead on chat";
    assert_ok(itsm_record_add_note(r, &n));
    comm_deadline(r, T0 + 15 * MIN, 0, 0);
    sla_tick(&f, T0 + 15 * MIN + 1);
    assert_int_equal(count_events(&f.store, "major_deadline_missed"), 1);
    assert_non_null(strstr(f.store.events[f.store.n - 1], "\"deadline\":\"communication\""));
    comm_deadline(r, T0 + 15 * MIN, 0, 1);
    f.clock.now = T0 + 20 * MIN;
    assert_int_equal(sla_customer_update(r, "payments are failing; network and gateway teams engaged",
                                         T0 + 2 * HOUR, T0 + 50 * MIN), ITSM_OK);
    comm_deadline(r, T0 + 15 * MIN, 1, 1);
    assert_replay_same(&f, NULL, T0 + HOUR);
    fixture_close(&f);
}

/* The initial communication announces the major incident: a customer
 * update the desk gave while the proposal waited for the manager is no
 * announcement of it. Accepted, the incident owes its own. */
static void an_update_before_the_declaration_is_not_the_initial_communication(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    f.clock.now = T0 - 10 * MIN;
    itsm_record *r = open_inc(&f, 2, 1, "Payments");
    start_work(r);
    assert_ok(itsm_major_propose(r, "card payments failing at every store"));
    f.clock.now = T0 - 5 * MIN;
    assert_int_equal(sla_customer_update(r, "we are looking into failing card payments", T0 + HOUR, T0 + 25 * MIN),
                     ITSM_OK);
    f.clock.now = T0;
    assert_ok(itsm_major_decide(r, 1, "maria"));
    engage(r);
    comm_deadline(r, T0 + 15 * MIN, 0, 0);
    sla_tick(&f, T0 + 15 * MIN + 1);
    assert_int_equal(count_events(&f.store, "major_deadline_missed"), 1);
    comm_deadline(r, T0 + 15 * MIN, 0, 1);
    assert_replay_same(&f, NULL, T0 + HOUR);
    fixture_close(&f);
}

/* A child's caller hears about the outage from its own incident; the
 * major incident's stakeholders do not: a customer update on a child is
 * not the parent's initial communication. */
static void a_childs_update_is_not_the_parents_initial_communication(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *parent = open_inc(&f, 1, 1, "Payments");
    assert_ok(itsm_major_decide(parent, 1, "maria"));
    engage(parent);
    f.clock.now = T0 + MIN;
    itsm_record *child = open_inc(&f, 3, 3, "Payments");
    assert_ok(itsm_major_attach(parent, child));
    f.clock.now = T0 + 3 * MIN;
    start_work(child);
    assert_int_equal(sla_customer_update(child, "a wider outage is being worked on", T0 + HOUR, T0 + HOUR),
                     ITSM_OK);
    comm_deadline(parent, T0 + 15 * MIN, 0, 0);
    sla_tick(&f, T0 + 15 * MIN + 1);
    assert_int_equal(count_events(&f.store, "major_deadline_missed"), 1);
    assert_replay_same(&f, NULL, T0 + HOUR);
    fixture_close(&f);
}

/* The communications of a shift packet of `r`, as "text|" each, and
 * whether the default shift checklist finds them missing. */
static void shift_comms(const itsm_record *r, const char *want, int want_missing)
{
    itsm_packet *p;
    assert_ok(itsm_packet_new(&p, r, ITSM_PACKET_SHIFT));
    char got[512] = "";
    for (size_t i = 0; i < itsm_packet_count(p, ITSM_PL_COMMUNICATIONS); i++) {
        itsm_packet_entry e = { .size = sizeof e };
        assert_ok(itsm_packet_at(p, ITSM_PL_COMMUNICATIONS, i, &e));
        strncat(got, e.text, sizeof got - strlen(got) - 2);
        strcat(got, "|");
    }
    assert_string_equal(got, want);
    int score;
    char missing[ITSM_HANDOVER_ITEMS_MAX];
    itsm_policy *pol;
    assert_ok(itsm_policy_new_default(&pol, NULL));
    assert_ok(itsm_packet_completeness(&score, p, pol, missing, sizeof missing));
    assert_int_equal(strstr(missing, "communications") != NULL, want_missing);
    itsm_policy_free(pol);
    itsm_packet_free(p);
}

/* DESIGN 9: a packet carries the communications sent, so the next
 * incident manager neither sends the initial communication again nor
 * thinks nobody was told. Issued by hand or by the outage notice - no
 * customer update carrying it - the packet still says it was issued; a
 * customer update is listed as itself; a major incident that told nobody
 * yet, or an incident that is none, lists nothing. */
static void a_shift_packet_carries_the_initial_communication_issued(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *by_hand = open_inc(&f, 1, 1, "Payments");
    assert_ok(itsm_major_decide(by_hand, 1, "maria"));
    itsm_record *silent = open_inc(&f, 1, 1, "Mail");
    assert_ok(itsm_major_decide(silent, 1, "maria"));
    itsm_record *notice = open_inc(&f, 1, 1, "Payroll");
    assert_ok(itsm_major_decide(notice, 1, "maria"));
    itsm_record *told = open_inc(&f, 1, 1, "Intranet");
    assert_ok(itsm_major_decide(told, 1, "maria"));
    itsm_record *plain = open_inc(&f, 3, 3, "Printing");
    f.clock.now = T0 + 4 * MIN;
    assert_ok(itsm_major_communication_issued(by_hand));
    assert_ok(itsm_outage_declare(notice, T0 + 2 * HOUR, T0 + 35 * MIN));
    start_work(told);
    assert_int_equal(sla_customer_update(told, "intranet down; network engaged", T0 + HOUR, T0 + 30 * MIN), ITSM_OK);
    start_work(plain);
    shift_comms(by_hand, "initial communication of the major incident issued|", 0);
    shift_comms(notice, "initial communication of the major incident issued|", 0);
    shift_comms(told, "intranet down; network engaged|", 0);
    shift_comms(silent, "", 1);
    shift_comms(plain, "", 1);
    fixture_close(&f);
}

/* The engine keeps only "issued"; the history says when and by whom: the
 * entry carries the time and author of the event that issued it - by
 * hand, or by the outage notice - in the C entry and the JSON, the next
 * manager not having to ask; a later communication is not the one.
 * Without the history (the store's read fails) the entry stays, undated
 * and unsigned. */
static void the_initial_communication_entry_says_when_and_who_issued_it(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *by_hand = open_inc(&f, 1, 1, "Payments");
    assert_ok(itsm_major_decide(by_hand, 1, "maria"));
    itsm_record *notice = open_inc(&f, 1, 1, "Payroll");
    assert_ok(itsm_major_decide(notice, 1, "maria"));
    f.clock.now = T0 + 4 * MIN;
    assert_ok(itsm_engine_set_actor(f.eng, "ivan"));
    assert_ok(itsm_major_communication_issued(by_hand));
    f.clock.now = T0 + 6 * MIN;
    assert_ok(itsm_engine_set_actor(f.eng, "olga"));
    assert_ok(itsm_outage_declare(notice, T0 + 2 * HOUR, T0 + 35 * MIN));
    assert_ok(itsm_engine_set_actor(f.eng, "kim"));
    f.clock.now = T0 + 10 * MIN;
    assert_ok(itsm_major_communication_issued(notice));   /* a later one is not the first */
    const itsm_record *rs[2] = { by_hand, notice };
    const char *who[2] = { "ivan", "olga" };
    const itsm_time at[2] = { T0 + 4 * MIN, T0 + 6 * MIN };
    const char *json_at[2] = { "\"by\":\"ivan\",\"at\":\"2026-03-02T09:04:00Z\"",
                               "\"by\":\"olga\",\"at\":\"2026-03-02T09:06:00Z\"" };
    for (int i = 0; i < 2; i++) {
        itsm_packet *p;
        assert_ok(itsm_packet_new(&p, rs[i], ITSM_PACKET_SHIFT));
        assert_int_equal(itsm_packet_count(p, ITSM_PL_COMMUNICATIONS), 1);
        itsm_packet_entry e = { .size = sizeof e };
        assert_ok(itsm_packet_at(p, ITSM_PL_COMMUNICATIONS, 0, &e));
        assert_string_equal(e.text, "initial communication of the major incident issued");
        assert_non_null(e.who);
        assert_string_equal(e.who, who[i]);
        assert_int_equal(e.at, at[i]);
        static char buf[65536];
        size_t len;
        assert_ok(itsm_packet_to_json(p, buf, sizeof buf, &len));
        if (!strstr(buf, json_at[i]))
            fail_msg("missing %s in %s", json_at[i], buf);
        itsm_packet_free(p);
    }
    f.store.fail_read = ITSM_ESTORE;
    itsm_packet *p;
    assert_ok(itsm_packet_new(&p, by_hand, ITSM_PACKET_SHIFT));
    itsm_packet_entry e = { .size = sizeof e };
    assert_ok(itsm_packet_at(p, ITSM_PL_COMMUNICATIONS, 0, &e));
    assert_string_equal(e.text, "initial communication of the major incident issued");
    assert_null(e.who);
    assert_int_equal(e.at, ITSM_TIME_NONE);
    itsm_packet_free(p);
    fixture_close(&f);
}

/* The store may give a record's events back in either form (itsm/engine.h:
 * the binary form, itsm_event_to_binary, or JSON text): a store that keeps
 * the binary form. The packet's initial communication is the first after
 * the last acceptance, read from the decision's `accepted` member, not
 * from the bytes of the event's text: an outage notice the desk gave
 * while the proposal waited stays out of it in either form. */
typedef struct bin_emit { itsm_store_emit_fn emit; void *ctx; } bin_emit;

static int emit_binary(void *ctx, const char *json, size_t len)
{
    bin_emit *b = ctx;
    static unsigned char buf[65536];
    size_t n;
    if (itsm_event_json_to_binary(json, len, buf, sizeof buf, &n, NULL) != ITSM_OK)
        return ITSM_ESTORE;
    return b->emit(b->ctx, (const char *)buf, n);
}

static int read_binary(void *user, const char *id, itsm_store_emit_fn emit, void *ctx)
{
    bin_emit b = { emit, ctx };
    return memstore_methods.read_record(user, id, emit_binary, &b);
}

static void the_initial_communication_follows_the_acceptance_in_either_stored_form(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    f.clock.now = T0 - 10 * MIN;
    itsm_record *r = open_inc(&f, 2, 1, "Payments");
    start_work(r);
    assert_ok(itsm_major_propose(r, "card payments failing at every store"));
    f.clock.now = T0 - 5 * MIN;
    assert_ok(itsm_engine_set_actor(f.eng, "dora"));
    assert_ok(itsm_outage_declare(r, T0 + HOUR, T0 + 25 * MIN));
    f.clock.now = T0;
    assert_ok(itsm_engine_set_actor(f.eng, "maria"));
    assert_ok(itsm_major_decide(r, 1, "maria"));
    f.clock.now = T0 + 4 * MIN;
    assert_ok(itsm_engine_set_actor(f.eng, "ivan"));
    assert_ok(itsm_major_communication_issued(r));

    itsm_store bin = memstore_methods;
    bin.read_record = read_binary;
    itsm_engine_opts o = ITSM_ENGINE_OPTS_INIT;
    o.store = &bin;
    o.store_user = &f.store;
    o.clock = vclock_read;
    o.clock_user = &f.clock;
    itsm_engine *eng;
    assert_ok(itsm_engine_new(&eng, &o));
    assert_ok(itsm_engine_load(eng));
    itsm_engine *const engines[2] = { f.eng, eng };
    for (int i = 0; i < 2; i++) {
        itsm_record *x;
        assert_ok(itsm_record_find(&x, engines[i], itsm_record_id(r)));
        itsm_packet *p;
        assert_ok(itsm_packet_new(&p, x, ITSM_PACKET_SHIFT));
        itsm_packet_entry e = { .size = sizeof e };
        assert_int_equal(itsm_packet_count(p, ITSM_PL_COMMUNICATIONS), 1);
        assert_ok(itsm_packet_at(p, ITSM_PL_COMMUNICATIONS, 0, &e));
        assert_string_equal(e.text, "initial communication of the major incident issued");
        assert_non_null(e.who);
        assert_string_equal(e.who, "ivan");
        assert_int_equal(e.at, T0 + 4 * MIN);
        itsm_packet_free(p);
    }
    itsm_engine_free(eng);
    fixture_close(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_work_note_is_not_the_initial_communication),
        cmocka_unit_test(an_update_before_the_declaration_is_not_the_initial_communication),
        cmocka_unit_test(a_childs_update_is_not_the_parents_initial_communication),
        cmocka_unit_test(a_shift_packet_carries_the_initial_communication_issued),
        cmocka_unit_test(the_initial_communication_entry_says_when_and_who_issued_it),
        cmocka_unit_test(the_initial_communication_follows_the_acceptance_in_either_stored_form),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
