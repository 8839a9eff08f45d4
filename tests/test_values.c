/* SPDX-License-Identifier: Apache-2.0 */
/*
 * One value checker for every reader: a value the API accepts is stored and
 * replays; a value it refuses is refused wherever it could enter (replay of
 * a stored event, the policy document, handover packets, the calls of the
 * capabilities). The property test generates values of every field type.
 */
#include "pm_helpers.h"
#include "kit/value.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct rng { uint64_t s; } rng;
static uint64_t next(rng *r)   /* xorshift64 */
{
    r->s ^= r->s << 13;
    r->s ^= r->s >> 7;
    r->s ^= r->s << 17;
    return r->s;
}
static unsigned pick(rng *r, unsigned n) { return (unsigned)(next(r) % n); }

/* A string of the kinds that matter to the checkers: printable ASCII,
 * control characters, 0x7F, valid and invalid UTF-8, empty, and lengths at
 * and past the symbol and text limits. No NUL (a C string ends there). */
static size_t gen_string(rng *r, char *buf, size_t cap)
{
    size_t n;
    switch (pick(r, 8)) {
    case 0: n = 0; break;
    case 1: n = ITSM_MAX_SYMBOL + pick(r, 3) - 1; break;   /* 254..256 */
    case 2: n = ITSM_MAX_TEXT + pick(r, 3) - 1; break;     /* at the text limit */
    default: n = 1 + pick(r, 40); break;
    }
    if (n >= cap)
        n = cap - 1;
    for (size_t i = 0; i < n; i++) {
        unsigned k = pick(r, 100);
        unsigned char c;
        if (k < 88)
            c = (unsigned char)(0x20 + pick(r, 0x5f));   /* printable ASCII */
        else if (k < 91)
            c = (unsigned char)(1 + pick(r, 0x1f));      /* control */
        else if (k < 94)
            c = 0x7f;
        else if (k < 97 && i + 2 <= n) {                 /* a valid 2-byte sequence: e acute */
            buf[i++] = (char)0xc3;
            c = 0xa9;
        } else
            c = (unsigned char)(0x80 + pick(r, 0x80));   /* a stray high byte */
        buf[i] = (char)c;
    }
    buf[n] = '\0';
    return n;
}

static int64_t gen_number(rng *r, itsm_field_type t)
{
    static const int64_t edges[] = { -1, 0, 1, 2, 3, 4, 5, 6, 9, 10, INT32_MAX, (int64_t)INT32_MAX + 1, INT64_MIN,
                                     INT64_MAX, ITSM_TIME_MIN, ITSM_TIME_MAX, ITSM_TIME_MAX + 1, T0 };
    if (t == ITSM_TYPE_TIME && pick(r, 4) == 0)
        return ITSM_TIME_NONE;
    if (pick(r, 2))
        return edges[pick(r, sizeof edges / sizeof *edges)];
    return (int64_t)(next(r) % 2000) - 1000;
}

/* JSON string of n bytes (escaping quotes, backslashes and control
 * characters; other bytes as they are, so invalid UTF-8 stays invalid). */
static size_t json_str(char *out, const char *s, size_t n)
{
    size_t o = 0;
    out[o++] = '"';
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"' || c == '\\') {
            out[o++] = '\\';
            out[o++] = (char)c;
        } else if (c < 0x20) {
            o += (size_t)sprintf(out + o, "\\u%04x", c);
        } else {
            out[o++] = (char)c;
        }
    }
    out[o++] = '"';
    out[o] = '\0';
    return o;
}

/* A stored update event of INC-000001 (at revision `rev`) setting field f
 * to a JSON value. */
static char *update_event(uint64_t rev, const char *field, const char *value)
{
    size_t len = strlen(value) + 256;
    char *ev = malloc(len);
    snprintf(ev, len,
             "{\"v\":1,\"type\":\"update\",\"record\":\"INC-000001\",\"kind\":\"incident\",\"rev\":%llu,"
             "\"at\":\"2026-03-02T09:00:00Z\",\"set\":{\"%s\":%s}}",
             (unsigned long long)rev, field, value);
    return ev;
}

/* For every field a caller may set and many generated values: the API and
 * replay agree. Accepted: the stored event replays into an engine that then
 * equals the live one. Refused by the API: the same value as a stored
 * event is refused by replay too (ITSM_EPARSE), and nothing changes. */
static void a_value_the_api_accepts_replays_and_one_it_refuses_is_refused_everywhere(void **state)
{
    (void)state;
    rng r = { 0x9e3779b97f4a7c15ull };
    char *buf = malloc(ITSM_MAX_TEXT + 8), *js = malloc(6 * (ITSM_MAX_TEXT + 8) + 16);
    size_t accepted = 0, refused = 0;
    for (int f = 0; f < (int)ITSM_F__COUNT; f++) {
        if (itsm_field_is_engine_owned((itsm_field)f))
            continue;
        itsm_field_type t = itsm_field_type_of((itsm_field)f);
        const char *name = itsm_field_name((itsm_field)f);
        for (int round = 0; round < 60; round++) {
            fixture live, other;
            fixture_open(&live);
            fixture_open(&other);
            itsm_record_opts o = ITSM_RECORD_OPTS_INIT;
            itsm_record *rec, *rec2;
            assert_ok(itsm_record_open(&rec, live.eng, &o));
            assert_ok(itsm_record_open(&rec2, other.eng, &o));
            itsm_change c = { (itsm_field)f, NULL, 0 };
            size_t n = 0;
            if (t == ITSM_TYPE_TEXT || t == ITSM_TYPE_SYMBOL) {
                n = gen_string(&r, buf, ITSM_MAX_TEXT + 8);
                c.str = buf;
                json_str(js, buf, n);
            } else {
                c.num = gen_number(&r, t);
                if (t == ITSM_TYPE_BOOL)
                    snprintf(js, 64, "%s", c.num == 1 ? "true" : c.num == 0 ? "false" : "2");
                else if (t == ITSM_TYPE_TIME && c.num == ITSM_TIME_NONE)
                    snprintf(js, 64, "null");
                else if (t == ITSM_TYPE_TIME)
                    snprintf(js, 64, "%lld", (long long)c.num);   /* replaced below when in range */
                else
                    snprintf(js, 64, "%lld", (long long)c.num);
            }
            int rc = itsm_record_update(rec, &c, 1);
            if (rc == ITSM_OK) {
                accepted++;
                /* The live engine's own stored event replays. */
                char *a = engine_dump(live.eng), *b = replay_dump(&live.store);
                if (strcmp(a, b) != 0)
                    fail_msg("field %s: an accepted value does not replay to the same record", name);
                free(a);
                free(b);
            } else {
                refused++;
                assert_true(rc == ITSM_EINVAL || rc == ITSM_ELIMIT);
                assert_int_equal(itsm_record_revision(rec), 1);
                if (t == ITSM_TYPE_TIME && c.num != ITSM_TIME_NONE) {
                    /* A time out of range cannot even be written in the
                     * stored form; the API refused it: enough. */
                } else {
                    char *ev = update_event(2, name, js);
                    itsm_parse_error err;
                    int rr = itsm_engine_replay_json(other.eng, ev, strlen(ev), &err);
                    if (rr == ITSM_OK)
                        fail_msg("field %s: replay accepted a value the API refused (%s): %s", name,
                                 itsm_errmsg(live.eng), ev);
                    assert_true(rr == ITSM_EPARSE || rr == ITSM_ELIMIT);
                    assert_int_equal(itsm_record_revision(rec2), 1);
                    free(ev);
                }
            }
            fixture_close(&live);
            fixture_close(&other);
        }
    }
    /* Both sides were exercised. */
    assert_true(accepted > 100);
    assert_true(refused > 100);
    free(buf);
    free(js);
}

/* Symbols reach records through capabilities too: a route's group, an
 * escalation's group, a packet's receiver group. Each is checked as a
 * symbol field's value is, so a record is never stamped with a value its
 * own stored event cannot replay. */
static void a_symbol_the_api_refuses_is_refused_as_a_route_escalation_or_packet_name(void **state)
{
    (void)state;
    rng r = { 12345 };
    char buf[ITSM_MAX_SYMBOL + 8];
    for (int round = 0; round < 400; round++) {
        size_t n = gen_string(&r, buf, sizeof buf);
        (void)n;
        fixture f;
        fixture_open(&f);
        itsm_record_opts o = ITSM_RECORD_OPTS_INIT;
        itsm_record *rec;
        assert_ok(itsm_record_open(&rec, f.eng, &o));
        int api = itsm_record_set_str(rec, ITSM_F_ASSIGNMENT_GROUP, buf) == ITSM_OK;
        itsm_policy *p;
        assert_ok(itsm_policy_new_default(&p, NULL));
        int route = itsm_policy_add_route(p, "printing", NULL, buf) == ITSM_OK;
        itsm_policy_free(p);
        itsm_packet *pkt;
        assert_ok(itsm_packet_new(&pkt, rec, ITSM_PACKET_SHIFT));
        int slot = itsm_packet_set_text(pkt, ITSM_PT_RECEIVER_GROUP, buf) == ITSM_OK;
        itsm_packet_free(pkt);
        if (api != route || api != slot)
            fail_msg("round %d: update %s, route %s, packet %s", round, api ? "accepts" : "refuses",
                     route ? "accepts" : "refuses", slot ? "accepts" : "refuses");
        fixture_close(&f);
    }
}

static const char policy_head[] = "{\"itsm_policy\":1,\"escalation\":{\"routing\":[{\"category\":\"printing\",\"group\":";

/* The reported defect: a route's group with 0x7F was accepted, opening a
 * record stamped it, and replaying that stored event failed. */
static void a_route_group_with_0x7f_is_refused(void **state)
{
    (void)state;
    itsm_policy *p;
    assert_ok(itsm_policy_new_default(&p, NULL));
    assert_int_equal(itsm_policy_add_route(p, "printing", NULL, "Print\x7f" "ers"), ITSM_EINVAL);
    assert_null(itsm_policy_route(p, "printing", NULL));
    itsm_policy_free(p);
    char doc[256];
    snprintf(doc, sizeof doc, "%s\"Print\x7f" "ers\"}]}}", policy_head);
    itsm_parse_error err;
    assert_int_equal(itsm_policy_from_json(&p, doc, strlen(doc), NULL, NULL, &err), ITSM_EPARSE);
    assert_null(p);
    /* The same group without 0x7F routes, and the opened record replays. */
    snprintf(doc, sizeof doc, "%s\"Printers\"}]}}", policy_head);
    assert_ok(itsm_policy_parse_json(&p, doc, strlen(doc), NULL, NULL, &err));
    assert_string_equal(itsm_policy_route(p, "printing", NULL), "Printers");
    itsm_policy_free(p);
    assert_ok(itsm_policy_new_default(&p, NULL));
    assert_ok(itsm_policy_add_route(p, "printing", NULL, "Printers"));
    fixture f;
    fixture_open_with(&f, p, NULL);
    itsm_change c = { ITSM_F_CATEGORY, "printing", 0 };
    itsm_record_opts ro = ITSM_RECORD_OPTS_INIT;
    ro.fields = &c;
    ro.nfields = 1;
    itsm_record *r;
    assert_ok(itsm_record_open(&r, f.eng, &ro));
    assert_string_equal(itsm_record_str(r, ITSM_F_ASSIGNMENT_GROUP), "Printers");
    itsm_engine *e2;
    itsm_engine_opts o2 = ITSM_ENGINE_OPTS_INIT;
    o2.policy = p;
    assert_ok(itsm_engine_new(&e2, &o2));
    replay_store_into(e2, &f.store);
    char *a = engine_dump(f.eng), *b = engine_dump(e2);
    assert_string_equal(a, b);
    free(a);
    free(b);
    itsm_engine_free(e2);
    fixture_close(&f);
    itsm_policy_free(p);
}

/* Escalating to a group, naming a major-incident manager or engaging
 * groups: names with 0x7F are refused like a symbol field's value. */
static void names_given_to_capability_calls_are_checked_as_symbols(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *r = pm_incident(&f, "mail", "outage", "mail down");
    pm_work(r, "desk", "ann");
    uint64_t rev = itsm_record_revision(r);
    assert_fails(f.eng, itsm_record_escalate(r, 0, "L2\x7f", "rebooted"), ITSM_EINVAL, "control character");
    assert_ok(itsm_major_propose(r, "big"));
    rev = itsm_record_revision(r);
    assert_fails(f.eng, itsm_major_decide(r, 1, "mim\x7f"), ITSM_EINVAL, "control character");
    assert_int_equal(itsm_record_revision(r), rev);
    assert_fails(f.eng, itsm_engine_set_actor(f.eng, "bob\x7f"), ITSM_EINVAL, "control character");
    assert_replays_the_same(f.eng, &f.store);
    fixture_close(&f);
}

/* A replayed extension event carries names too (an escalation audience,
 * a timer): a name with 0x7F is refused there as well. */
static void a_replayed_event_name_with_0x7f_is_refused(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record_opts o = ITSM_RECORD_OPTS_INIT;
    itsm_record *r;
    assert_ok(itsm_record_open(&r, f.eng, &o));
    const char *ev = "{\"v\":1,\"type\":\"escalation_step\",\"record\":\"INC-000001\",\"kind\":\"incident\","
                     "\"rev\":2,\"at\":\"2026-03-02T09:00:00Z\",\"level\":1,\"audience\":\"lead\x7f" "\","
                     "\"reason\":\"manual\"}";
    itsm_parse_error err;
    assert_int_equal(itsm_engine_replay_json(f.eng, ev, strlen(ev), &err), ITSM_EPARSE);
    assert_int_equal(itsm_record_revision(r), 1);
    fixture_close(&f);
}

/* 'by' becomes the record's assignee (a symbol): a control character is
 * refused before anything is stored, so the store holds only events that
 * replay. */
static void ack_by_with_control_character_is_refused_or_replays(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *r = pm_incident(&f, "mail", "outage", "mail down");
    pm_work(r, "desk", "ann");
    itsm_packet *p;
    assert_ok(itsm_packet_new(&p, r, ITSM_PACKET_SHIFT));
    assert_ok(itsm_packet_propose(p, f.eng));
    int rc = itsm_packet_acknowledge(p, f.eng, "bob\tsmith");
    assert_int_equal(rc, ITSM_EINVAL);
    assert_string_equal(itsm_record_str(r, ITSM_F_ASSIGNEE), "ann");
    assert_replays_the_same(f.eng, &f.store);
    /* The receiver group goes into the record as a symbol too: the packet
     * refuses a group name a symbol field could not hold. */
    itsm_packet *q;
    assert_ok(itsm_packet_new(&q, r, ITSM_PACKET_SHIFT));
    assert_int_equal(itsm_packet_set_text(q, ITSM_PT_RECEIVER_GROUP, "night\nshift"), ITSM_EINVAL);
    assert_int_equal(itsm_packet_set_text(q, ITSM_PT_RECEIVER_GROUP, "night\x7fshift"), ITSM_EINVAL);
    assert_ok(itsm_packet_propose(q, f.eng));
    assert_string_equal(itsm_record_str(r, ITSM_F_ASSIGNMENT_GROUP), "desk");
    assert_replays_the_same(f.eng, &f.store);
    itsm_packet_free(p);
    itsm_packet_free(q);
    fixture_close(&f);
}

/* The inline check of printable ASCII (kit/value.h: 8 bytes a step, the
 * tail of a string of 8 bytes or more as its last 8 bytes) against a byte
 * at a time: every length to 40, one byte of each kind at each place. */
static void the_printable_check_agrees_with_a_byte_at_a_time(void **state)
{
    (void)state;
    static const unsigned char bad[] = { 0x01, 0x1f, 0x7f, 0x80, 0xc3, 0xff };
    static const unsigned char good[] = { 0x20, 0x41, 0x7e };
    char buf[48];
    for (size_t n = 0; n <= 40; n++) {
        memset(buf, 'a', sizeof buf);
        assert_int_equal(itsm__printable_ascii(buf, n), 1);
        for (size_t at = 0; at < n; at++) {
            for (size_t b = 0; b < sizeof bad; b++) {
                memset(buf, 'a', sizeof buf);
                buf[at] = (char)bad[b];
                assert_int_equal(itsm__printable_ascii(buf, n), 0);
                /* past the end: not read as part of the string */
                assert_int_equal(itsm__printable_ascii(buf, at), 1);
            }
            for (size_t g = 0; g < sizeof good; g++) {
                memset(buf, 'a', sizeof buf);
                buf[at] = (char)good[g];
                assert_int_equal(itsm__printable_ascii(buf, n), 1);
            }
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_value_the_api_accepts_replays_and_one_it_refuses_is_refused_everywhere),
        cmocka_unit_test(the_printable_check_agrees_with_a_byte_at_a_time),
        cmocka_unit_test(a_symbol_the_api_refuses_is_refused_as_a_route_escalation_or_packet_name),
        cmocka_unit_test(a_route_group_with_0x7f_is_refused),
        cmocka_unit_test(names_given_to_capability_calls_are_checked_as_symbols),
        cmocka_unit_test(a_replayed_event_name_with_0x7f_is_refused),
        cmocka_unit_test(ack_by_with_control_character_is_refused_or_replays),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
