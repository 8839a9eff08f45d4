/* SPDX-License-Identifier: Apache-2.0 */
/* The event sink sees exactly the events the store accepted, after they
 * apply; the engine refuses a call from inside its own store or sink
 * callbacks (ITSM_ESTATE). */
#include "support.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the event sink ----------------------------------------------------- */

typedef struct sink_log {
    itsm_engine *eng;
    char       **json;
    size_t       n;
    int          batches;
} sink_log;

static char *event_json(const itsm_event *ev)
{
    size_t len;
    assert_int_equal(itsm_event_to_json(ev, NULL, 0, &len), ITSM_ELIMIT);
    char *buf = malloc(len + 1);
    assert_ok(itsm_event_to_json(ev, buf, len + 1, &len));
    assert_int_equal(strlen(buf), len);
    return buf;
}

static void log_sink(void *user, const itsm_event *const *evs, size_t n)
{
    sink_log *l = user;
    l->batches++;
    for (size_t i = 0; i < n; i++) {
        /* Already applied: the record is at the event's revision, in the
         * event's target state. */
        itsm_record *r;
        assert_ok(itsm_record_find(&r, l->eng, itsm_event_record_id(evs[i])));
        assert_int_equal(itsm_record_kind(r), itsm_event_record_kind(evs[i]));
        assert_true(itsm_record_revision(r) >= itsm_event_revision(evs[i]));
        if (i + 1 == n || strcmp(itsm_event_record_id(evs[i + 1]), itsm_event_record_id(evs[i])) != 0)
            assert_int_equal(itsm_record_revision(r), itsm_event_revision(evs[i]));
        if (itsm_event_to_state(evs[i]))
            assert_string_equal(itsm_record_state(r), itsm_event_to_state(evs[i]));
        assert_int_equal(itsm_record_int(r, ITSM_F_UPDATED_AT), itsm_event_time(evs[i]));
        l->json = realloc(l->json, (l->n + 1) * sizeof *l->json);
        l->json[l->n++] = event_json(evs[i]);
    }
}

static void sink_sees_exactly_the_accepted_events_after_they_apply(void **state)
{
    (void)state;
    vclock clock = { T0 };
    memstore store;
    memstore_init(&store);
    sink_log log = { NULL, NULL, 0, 0 };
    log.eng = engine_over_sink(&store, &clock, NULL, log_sink, &log);
    itsm_engine *eng = log.eng;
    itsm_record_opts ro = ITSM_RECORD_OPTS_INIT;
    itsm_record *inc, *prb;
    itsm_change c[] = { { ITSM_F_SUMMARY, "Long text\nwith \"quotes\"", 0 }, { ITSM_F_IMPACT, NULL, 1 },
                        { ITSM_F_URGENCY, NULL, 1 } };
    ro.fields = c;
    ro.nfields = 3;
    assert_ok(itsm_engine_set_actor(eng, "alice"));
    assert_ok(itsm_record_open(&inc, eng, &ro));
    ro.kind = ITSM_KIND_PROBLEM;
    ro.nfields = 1;
    assert_ok(itsm_record_open(&prb, eng, &ro));
    clock.now += 60;
    /* Refused ones in between: never told. */
    assert_int_equal(itsm_record_fire(inc, "resolve", NULL, 0), ITSM_ETRANSITION);
    assert_int_equal(itsm_record_set_int(inc, ITSM_F_IMPACT, 9), ITSM_EINVAL);
    assert_int_equal(itsm_record_link(inc, ITSM_LINK_RELATED, inc), ITSM_EINVAL);
    itsm_change g = { ITSM_F_ASSIGNMENT_GROUP, "desk", 0 };
    assert_ok(itsm_record_fire(inc, "assign", &g, 1));
    assert_ok(itsm_record_set_str(inc, ITSM_F_SUMMARY, "replaced text"));
    assert_ok(itsm_record_set_str(inc, ITSM_F_SUMMARY, NULL));
    assert_ok(itsm_record_link(inc, ITSM_LINK_RELATED, prb));
    itsm_note_opts n = ITSM_NOTE_OPTS_INIT;
    n.kind = ITSM_NOTE_CUSTOMER;
    n.text = "We are on it";
    n.expected_restoration = clock.now + 3600;
    n.next_update = clock.now + 600;
    assert_ok(itsm_record_add_note(inc, &n));
    store.fail_at = store.appends + 1;
    assert_int_equal(itsm_record_set_str(prb, ITSM_F_CAUSE, "refused by the store"), ITSM_ESTORE);
    assert_ok(itsm_record_fire(inc, "cancel", NULL, 0));
    /* Exactly the store's events, in order, byte for byte: the text a
     * store kept before apply equals what the sink reads after. */
    assert_int_equal(log.n, store.n);
    for (size_t i = 0; i < log.n; i++)
        assert_string_equal(log.json[i], store.events[i]);
    assert_int_equal(log.batches, store.appends - 1);
    for (size_t i = 0; i < log.n; i++)
        free(log.json[i]);
    free(log.json);
    itsm_engine_free(eng);
    memstore_free(&store);
}

/* ---- no re-entry from callbacks ----------------------------------------- */

typedef struct reentry {
    memstore     mem;
    itsm_engine *eng;
    itsm_record *rec;
    int          probe;     /* probe on the next callback */
    int          probed;
    int          codes[10];
} reentry;

static void probe_engine(reentry *re)
{
    itsm_engine *eng = re->eng;
    itsm_record *r = re->rec, *out = NULL;
    itsm_record_opts o = ITSM_RECORD_OPTS_INIT;
    itsm_note_opts n = ITSM_NOTE_OPTS_INIT;
    n.text = "from inside";
    const char *ev = "{\"v\":1,\"type\":\"update\",\"record\":\"INC-000001\",\"kind\":\"incident\",\"rev\":99,"
                     "\"at\":\"2026-03-02T09:00:00Z\"}";
    re->codes[0] = itsm_record_open(&out, eng, &o);
    re->codes[1] = itsm_record_set_str(r, ITSM_F_SUMMARY, "inside");
    re->codes[2] = itsm_record_fire(r, "cancel", NULL, 0);
    re->codes[3] = itsm_record_add_note(r, &n);
    re->codes[4] = itsm_record_link(r, ITSM_LINK_RELATED, r);
    re->codes[5] = itsm_engine_replay_json(eng, ev, strlen(ev), NULL);
    re->codes[6] = itsm_engine_load(eng);
    itsm_change c = { ITSM_F_CAUSE, "x", 0 };
    re->codes[7] = itsm_record_update(r, &c, 1);
    re->codes[8] = itsm_record_set_int(r, ITSM_F_IMPACT, 1);
    re->codes[9] = itsm_engine_reserve(eng, 10, 10);   /* even a size hint waits */
    re->probed++;
}

static int reentry_append(void *user, const itsm_event *const *evs, size_t n)
{
    reentry *re = user;
    if (re->probe)
        probe_engine(re);
    return memstore_methods.append(&re->mem, evs, n);
}

static int reentry_scan(void *user, itsm_store_emit_fn emit, void *ctx)
{
    reentry *re = user;
    return memstore_methods.scan(&re->mem, emit, ctx);
}

static void reentry_sink(void *user, const itsm_event *const *evs, size_t n)
{
    (void)evs;
    (void)n;
    reentry *re = user;
    if (re->probe)
        probe_engine(re);
}

static void check_probe(reentry *re, int times)
{
    assert_int_equal(re->probed, times);
    for (int i = 0; i < 10; i++)
        if (re->codes[i] != ITSM_ESTATE)
            fail_msg("call %d from inside a callback gave %s, wanted ITSM_ESTATE", i, itsm_errname(re->codes[i]));
    re->probed = 0;
}

static void calling_the_engine_from_a_store_or_sink_callback_is_estate(void **state)
{
    (void)state;
    static const itsm_store store = { ITSM_STORE_VERSION, reentry_append, reentry_scan, NULL, NULL, NULL };
    vclock clock = { T0 };
    reentry re;
    memset(&re, 0, sizeof re);
    memstore_init(&re.mem);
    itsm_engine_opts o = ITSM_ENGINE_OPTS_INIT;
    o.store = &store;
    o.store_user = &re;
    o.clock = vclock_read;
    o.clock_user = &clock;
    assert_ok(itsm_engine_new(&re.eng, &o));
    itsm_record_opts ro = ITSM_RECORD_OPTS_INIT;
    assert_ok(itsm_record_open(&re.rec, re.eng, &ro));
    char *before = engine_dump(re.eng);

    /* From inside store.append: refused, and the outer call still works. */
    re.probe = 1;
    assert_ok(itsm_record_set_str(re.rec, ITSM_F_CAUSE, "outer"));
    re.probe = 0;
    check_probe(&re, 1);
    assert_int_equal(itsm_record_revision(re.rec), 2);
    assert_string_equal(itsm_record_str(re.rec, ITSM_F_CAUSE), "outer");
    assert_null(itsm_record_str(re.rec, ITSM_F_SUMMARY));
    assert_int_equal(re.mem.n, 2);
    assert_string_equal(itsm_record_state(re.rec), "new");
    free(before);
    itsm_engine_free(re.eng);

    /* From inside the sink. */
    o.sink = reentry_sink;
    o.sink_user = &re;
    assert_ok(itsm_engine_new(&re.eng, &o));
    assert_ok(itsm_engine_load(re.eng));   /* rebuild from the same memstore */
    assert_ok(itsm_record_find(&re.rec, re.eng, "INC-000001"));
    re.probe = 1;
    assert_ok(itsm_record_set_str(re.rec, ITSM_F_CAUSE, "outer again"));
    re.probe = 0;
    check_probe(&re, 2);   /* from the append and from the sink */
    assert_int_equal(itsm_record_revision(re.rec), 3);
    assert_int_equal(itsm_engine_record_count(re.eng), 1);
    assert_int_equal(re.mem.n, 3);
    /* After the callback the engine takes calls again. */
    assert_ok(itsm_record_set_str(re.rec, ITSM_F_SUMMARY, "after"));
    assert_replays_the_same(re.eng, &re.mem);
    itsm_engine_free(re.eng);
    memstore_free(&re.mem);
}

static int scan_calls_back(void *user, itsm_store_emit_fn emit, void *ctx)
{
    reentry *re = user;
    itsm_record *r;
    itsm_record_opts o = ITSM_RECORD_OPTS_INIT;
    re->codes[0] = itsm_record_open(&r, re->eng, &o);
    re->codes[1] = itsm_engine_load(re->eng);
    return memstore_methods.scan(&re->mem, emit, ctx);
}

static void calling_the_engine_from_a_store_scan_is_estate(void **state)
{
    (void)state;
    static const itsm_store store = { ITSM_STORE_VERSION, reentry_append, scan_calls_back, NULL, NULL, NULL };
    reentry re;
    memset(&re, 0, sizeof re);
    memstore_init(&re.mem);
    itsm_engine_opts o = ITSM_ENGINE_OPTS_INIT;
    o.store = &store;
    o.store_user = &re;
    assert_ok(itsm_engine_new(&re.eng, &o));
    assert_ok(itsm_engine_load(re.eng));
    assert_int_equal(re.codes[0], ITSM_ESTATE);
    assert_int_equal(re.codes[1], ITSM_ESTATE);
    assert_int_equal(itsm_engine_record_count(re.eng), 0);
    assert_int_equal(re.mem.n, 0);
    itsm_engine_free(re.eng);
    memstore_free(&re.mem);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(sink_sees_exactly_the_accepted_events_after_they_apply),
        cmocka_unit_test(calling_the_engine_from_a_store_or_sink_callback_is_estate),
        cmocka_unit_test(calling_the_engine_from_a_store_scan_is_estate),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
