/* SPDX-License-Identifier: Apache-2.0 */
/* The JSON form of events is stable, its writer keeps the snprintf contract,
 * and the event accessors match the event. */
#include "replay_check.h"

/* ---- the JSON form ------------------------------------------------------ */

typedef struct capture {
    char  *json[16];
    size_t n;
} capture;

static void capture_sink(void *user, const itsm_event *const *evs, size_t n)
{
    capture *c = user;
    for (size_t i = 0; i < n; i++) {
        const itsm_event *ev = evs[i];
        size_t len = 0, len2 = 0;
        assert_int_equal(itsm_event_to_json(ev, NULL, 0, &len), ITSM_ELIMIT);
        char *a = malloc(len + 1), *b = malloc(len + 1);
        assert_ok(itsm_event_to_json(ev, a, len + 1, &len2));
        assert_int_equal(len2, len);
        assert_int_equal(strlen(a), len);
        /* The same event, serialised again: the same bytes. */
        assert_ok(itsm_event_to_json(ev, b, len + 1, &len2));
        assert_string_equal(a, b);
        /* snprintf contract: a short buffer gets a NUL-terminated prefix,
         * ITSM_ELIMIT, and the full length. */
        for (size_t cap = 1; cap <= len; cap += 1 + cap / 3) {
            memset(b, '#', len + 1);
            len2 = 0;
            assert_int_equal(itsm_event_to_json(ev, b, cap, &len2), ITSM_ELIMIT);
            assert_int_equal(len2, len);
            assert_int_equal(strlen(b), cap - 1);
            assert_memory_equal(a, b, cap - 1);
        }
        memset(b, '#', len + 1);
        assert_int_equal(itsm_event_to_json(ev, b, len, &len2), ITSM_ELIMIT);
        assert_int_equal(b[len - 1], '\0');
        assert_int_equal(itsm_event_to_json(ev, NULL, 5, &len2), ITSM_EINVAL);
        assert_int_equal(itsm_event_to_json(ev, b, len + 1, NULL), ITSM_EINVAL);
        assert_int_equal(itsm_event_to_json(NULL, b, len + 1, &len2), ITSM_EINVAL);
        free(b);
        if (c->n < N_(c->json))
            c->json[c->n++] = a;
        else
            free(a);
    }
}

static void run_json_story(itsm_engine *e, vclock *clock)
{
    itsm_record *inc, *prb;
    itsm_record_opts o = ITSM_RECORD_OPTS_INIT;
    itsm_change c[] = { { ITSM_F_SUMMARY, "Ünïcödé \"quoted\"\n\ttab \\ </script>", 0 }, { ITSM_F_MAJOR, NULL, 1 },
                        { ITSM_F_IMPACT, NULL, 1 }, { ITSM_F_URGENCY, NULL, 1 } };
    o.fields = c;
    o.nfields = 4;
    assert_ok(itsm_engine_set_actor(e, "ops:alice"));
    assert_ok(itsm_record_open(&inc, e, &o));
    o.kind = ITSM_KIND_PROBLEM;
    o.nfields = 0;
    assert_ok(itsm_record_open(&prb, e, &o));
    clock->now += 3599;
    itsm_change g = { ITSM_F_ASSIGNMENT_GROUP, "network", 0 };
    assert_ok(itsm_record_fire(inc, "assign", &g, 1));
    itsm_note_opts n = ITSM_NOTE_OPTS_INIT;
    n.kind = ITSM_NOTE_CUSTOMER;
    n.text = "Working on it";
    n.expected_restoration = ITSM_TIME_MAX;
    n.next_update = clock->now + 1;
    assert_ok(itsm_record_add_note(inc, &n));
    /* (a major incident's children are incidents: the problem is related) */
    assert_ok(itsm_record_link(inc, ITSM_LINK_RELATED, prb));
    assert_ok(itsm_record_set_str(inc, ITSM_F_SUMMARY, NULL));
}

static void event_json_is_stable_and_keeps_the_snprintf_contract(void **state)
{
    (void)state;
    capture a = { { NULL }, 0 }, b = { { NULL }, 0 };
    memstore sa, sb;
    memstore_init(&sa);
    memstore_init(&sb);
    vclock ca = { T0 }, cb = { T0 };
    itsm_engine *ea = engine_over_sink(&sa, &ca, NULL, capture_sink, &a),
                *eb = engine_over_sink(&sb, &cb, NULL, capture_sink, &b);
    run_json_story(ea, &ca);
    run_json_story(eb, &cb);
    /* Two engines, the same calls: the same bytes; and the sink (after
     * apply) reads exactly what the store kept (before apply). */
    assert_int_equal(a.n, sa.n);
    assert_int_equal(a.n, b.n);
    for (size_t i = 0; i < a.n; i++) {
        assert_string_equal(a.json[i], b.json[i]);
        assert_string_equal(a.json[i], sa.events[i]);
    }
    /* Replayed into a third engine, the store's events rebuild the same. */
    assert_replays_the_same(ea, &sa);
    /* The exact form of a few events (docs/events.md shows them), each
     * with its chain link last (test_chain.c checks the links). */
    for (size_t i = 0; i < sa.n; i++) {
        event_drop_pv(sa.events[i]);   /* the policy version: test_versions.c */
        char *h = strstr(sa.events[i], ",\"hash\":\"");
        assert_non_null(h);
        assert_int_equal(strlen(h), strlen(",\"hash\":\"\"}") + 64);
        assert_string_equal(h + strlen(h) - 2, "\"}");
        h[0] = '}';
        h[1] = '\0';
    }
    assert_string_equal(sa.events[2],
        "{\"v\":1,\"type\":\"transition\",\"record\":\"INC-000001\",\"kind\":\"incident\",\"rev\":2,"
        "\"at\":\"2026-03-02T09:59:59Z\",\"actor\":\"ops:alice\",\"event\":\"assign\",\"from\":\"new\","
        "\"to\":\"assigned\",\"set\":{\"assignment_group\":\"network\"}}");
    assert_string_equal(sa.events[3],
        "{\"v\":1,\"type\":\"note\",\"record\":\"INC-000001\",\"kind\":\"incident\",\"rev\":3,"
        "\"at\":\"2026-03-02T09:59:59Z\",\"actor\":\"ops:alice\",\"note\":{\"kind\":\"customer\","
        "\"text\":\"Working on it\",\"expected_restoration\":\"9999-12-31T23:59:59Z\","
        "\"next_update\":\"2026-03-02T10:00:00Z\"}}");
    assert_string_equal(sa.events[5],
        "{\"v\":1,\"type\":\"link\",\"record\":\"PRB-000001\",\"kind\":\"problem\",\"rev\":2,"
        "\"at\":\"2026-03-02T09:59:59Z\",\"actor\":\"ops:alice\",\"link\":{\"kind\":\"related\","
        "\"target\":\"INC-000001\",\"target_kind\":\"incident\"}}");
    assert_string_equal(sa.events[6],
        "{\"v\":1,\"type\":\"update\",\"record\":\"INC-000001\",\"kind\":\"incident\",\"rev\":5,"
        "\"at\":\"2026-03-02T09:59:59Z\",\"actor\":\"ops:alice\",\"set\":{\"summary\":null}}");
    assert_non_null(strstr(sa.events[0], "\"summary\":\"Ünïcödé \\\"quoted\\\"\\n\\ttab \\\\ </script>\""));
    assert_non_null(strstr(sa.events[0], "\"major\":true"));
    for (size_t i = 0; i < a.n; i++) {
        free(a.json[i]);
        free(b.json[i]);
    }
    itsm_engine_free(ea);
    itsm_engine_free(eb);
    memstore_free(&sa);
    memstore_free(&sb);
}

/* The event accessors say what the JSON says. */
static void event_accessors_match_the_event(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    build_story(&f);
    assert_null(itsm_event_type(NULL));
    assert_null(itsm_event_record_id(NULL));
    assert_int_equal(itsm_event_revision(NULL), 0);
    assert_int_equal(itsm_event_time(NULL), ITSM_TIME_NONE);
    assert_null(itsm_event_actor(NULL));
    assert_null(itsm_event_name(NULL));
    assert_null(itsm_event_from_state(NULL));
    assert_null(itsm_event_to_state(NULL));
    assert_int_equal(itsm_event_record_kind(NULL), 0);
    fixture_close(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(event_json_is_stable_and_keeps_the_snprintf_contract),
        cmocka_unit_test(event_accessors_match_the_event),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
