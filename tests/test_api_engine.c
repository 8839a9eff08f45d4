/* SPDX-License-Identifier: Apache-2.0 */
/* Robustness of the public API (include/itsm/ headers): engines, records and
 * events. NULL for each pointer argument, out-of-range enums and integers,
 * and for strings an over-long one, invalid UTF-8 and "": a negative code
 * the header documents, a fresh engine message naming the argument, every
 * record (and the policy or packet given) exactly as it was
 * (support/api_check.h). */
#define _GNU_SOURCE 1   /* strcasestr */
#include "api_check.h"

static int w_event(const void *o, char *b, size_t c, size_t *l) { return itsm_event_to_json(o, b, c, l); }

static int w_hreport(const void *o, char *b, size_t c, size_t *l)
{
    return itsm_handover_report_to_json(o, ITSM_TIME_MIN, ITSM_TIME_MAX, b, c, l);
}

/* ---- engine ---- */
static void test_engine(void **state)
{
    (void)state;
    world_open();
    itsm_engine *eng = W.f.eng;
    itsm_record *r = NULL;

    /* creation */
    itsm_engine *e2 = (itsm_engine *)&W;
    itsm_engine_opts eo = ITSM_ENGINE_OPTS_INIT;
    BAD_N(itsm_engine_new(NULL, NULL), ITSM_EINVAL);
    BAD_N(itsm_engine_new(NULL, &eo), ITSM_EINVAL);
    eo.version = ITSM_ENGINE_OPTS_VERSION + 1;
    BAD_N(itsm_engine_new(&e2, &eo), ITSM_EINVAL);
    EXPECT(e2 == NULL);
    eo.version = ITSM_ENGINE_OPTS_VERSION;
    eo.alloc.malloc_fn = W.f.store.n ? NULL : NULL;
    failalloc fa = { 0, 0, 0, 0 };
    eo.alloc = failalloc_make(&fa);
    eo.alloc.free_fn = NULL;   /* half set */
    BAD_N(itsm_engine_new(&e2, &eo), ITSM_EINVAL);
    EXPECT(e2 == NULL);
    eo.alloc = (itsm_allocator){ NULL, NULL, NULL, NULL };
    itsm_store st = memstore_methods;
    st.version = ITSM_STORE_VERSION + 1;
    eo.store = &st;
    BAD_N(itsm_engine_new(&e2, &eo), ITSM_EINVAL);
    st = memstore_methods;
    st.append = NULL;
    BAD_N(itsm_engine_new(&e2, &eo), ITSM_EINVAL);
    EXPECT(e2 == NULL);
    eo.store = NULL;
    itsm_policy *bad = NULL;
    assert_ok(itsm_policy_new_default(&bad, NULL));
    assert_ok(itsm_policy_add_state(bad, ITSM_KIND_INCIDENT, "limbo", 0));   /* unreachable */
    eo.policy = bad;
    BAD_N(itsm_engine_new(&e2, &eo), ITSM_EPOLICY);
    EXPECT(e2 == NULL);
    itsm_policy_free(bad);

    /* getters */
    EXPECT(itsm_errmsg(NULL) != NULL);
    EXPECT(itsm_errcode(NULL) == ITSM_EINVAL);
    EXPECT(itsm_engine_policy(NULL) == NULL);
    EXPECT(itsm_engine_now(NULL) == ITSM_TIME_NONE);
    EXPECT(itsm_engine_record_count(NULL) == 0);
    EXPECT(itsm_engine_next_deadline(NULL) == ITSM_TIME_NONE);
    EXPECT(itsm_engine_outage(NULL, "mail") == NULL);
    EXPECT(itsm_engine_outage(eng, NULL) == NULL);
    EXPECT(itsm_engine_outage(eng, EMPTY) == NULL);
    EXPECT(itsm_engine_outage(eng, LONG_STR) == NULL);
    EXPECT(itsm_engine_outage(eng, BADUTF8) == NULL);
    EXPECT(itsm_engine_handover_count(NULL) == 0);
    EXPECT(itsm_quality_log_count(NULL) == 0);

    /* actor */
    BAD_N(itsm_engine_set_actor(NULL, "ann"), ITSM_EINVAL);
    BAD_E(eng, "actor", itsm_engine_set_actor(eng, LONG_STR), ITSM_ELIMIT);
    BAD_E(eng, "actor", itsm_engine_set_actor(eng, BADUTF8), ITSM_EINVAL);
    /* set_actor(eng, "") is the primer itself; check its message here */
    EXPECT(itsm_engine_set_actor(eng, EMPTY) == ITSM_EINVAL && strstr(itsm_errmsg(eng), "actor"));

    /* size hint: room made, nothing else changed; a handle taken before stays good */
    const char *h1 = NULL, *h2 = NULL;
    assert_ok(itsm_engine_symbol(eng, "hinted-group", &h1));
    size_t nrec = itsm_engine_record_count(eng);
    BAD_N(itsm_engine_reserve(NULL, 10, 10), ITSM_EINVAL);
    BAD_E(eng, "reserve", itsm_engine_reserve(eng, (size_t)1 << 31, 0), ITSM_ELIMIT);
    BAD_E(eng, "reserve", itsm_engine_reserve(eng, 0, SIZE_MAX), ITSM_ELIMIT);
    assert_ok(itsm_engine_reserve(eng, 0, 0));
    assert_ok(itsm_engine_reserve(eng, 5000, 5000));
    EXPECT(itsm_engine_record_count(eng) == nrec);
    assert_ok(itsm_engine_symbol(eng, "hinted-group", &h2));
    EXPECT(h1 == h2 && !strcmp(h2, "hinted-group"));
    /* out of memory at each of its allocations: ITSM_ENOMEM, and the
     * engine goes on as before (a symbol, a record) */
    int refused = 0;
    for (long k = 1; k <= 8; k++) {
        failalloc fk = { 0, 0, 0, 0 };
        itsm_engine_opts ko = ITSM_ENGINE_OPTS_INIT;
        ko.alloc = failalloc_make(&fk);
        itsm_engine *ek = NULL;
        assert_ok(itsm_engine_new(&ek, &ko));
        fk.fail_at = fk.calls + k;
        int rc = itsm_engine_reserve(ek, 3000, 3000);
        EXPECT(rc == ITSM_OK || rc == ITSM_ENOMEM);
        refused += rc == ITSM_ENOMEM;
        fk.fail_at = 0;
        const char *hk = NULL;
        itsm_record *rk = NULL;
        itsm_record_opts rko = ITSM_RECORD_OPTS_INIT;
        assert_ok(itsm_engine_symbol(ek, "after-reserve", &hk));
        assert_ok(itsm_record_open(&rk, ek, &rko));
        itsm_engine_free(ek);
        EXPECT(fk.live == 0);
    }
    EXPECT(refused >= 4);   /* the ids' list and index, the symbols' list and table */

    /* records by index */
    BAD_N(itsm_engine_record_at(&r, NULL, 0), ITSM_EINVAL);
    BAD_E(eng, "out", itsm_engine_record_at(NULL, eng, 0), ITSM_EINVAL);
    BAD_E(eng, "index", itsm_engine_record_at(&r, eng, 3), ITSM_EINVAL);
    BAD_E(eng, "index", itsm_engine_record_at(&r, eng, SIZE_MAX), ITSM_EINVAL);

    /* replay */
    itsm_parse_error pe;
    BAD_N(itsm_engine_replay_json(NULL, "{}", 2, &pe), ITSM_EINVAL);
    BAD_E(eng, "json", itsm_engine_replay_json(eng, NULL, 4, &pe), ITSM_EINVAL);
    BAD_E(eng, NULL, itsm_engine_replay_json(eng, "{", 1, &pe), ITSM_EPARSE);
    EXPECT(pe.code == ITSM_EPARSE && pe.text[0]);
    BAD_E(eng, NULL, itsm_engine_replay_json(eng, EMPTY, 0, NULL), ITSM_EPARSE);
    BAD_E(eng, NULL, itsm_engine_replay_json(eng, "\"\xff\"", 3, &pe), ITSM_EPARSE);
    BAD_E(eng, NULL, itsm_engine_replay_json(eng, "{}", 2, &pe), ITSM_EPARSE);
    BAD_E(eng, NULL, itsm_engine_replay_json(eng, LONG_STR, strlen(LONG_STR), &pe), ITSM_EPARSE);
    {
        char deep[200];
        memset(deep, '[', sizeof deep);
        BAD_E(eng, NULL, itsm_engine_replay_json(eng, deep, sizeof deep, &pe), ITSM_ELIMIT, ITSM_EPARSE);
    }
    /* an event of a record the engine does not know */
    BAD_E(eng, "NOPE-1",
          itsm_engine_replay_json(eng, "{\"v\":1,\"type\":\"note\",\"record\":\"NOPE-1\",\"kind\":\"incident\","
                                  "\"rev\":2,\"at\":\"2026-03-02T09:00:00Z\",\"note\":{\"kind\":\"work\",\"text\":\"x\"}}",
                                  strlen("{\"v\":1,\"type\":\"note\",\"record\":\"NOPE-1\",\"kind\":\"incident\","
                                         "\"rev\":2,\"at\":\"2026-03-02T09:00:00Z\",\"note\":{\"kind\":\"work\",\"text\":\"x\"}}"),
                                  &pe),
          ITSM_ENOTFOUND, ITSM_EPARSE);
    BAD_N(itsm_engine_load(NULL), ITSM_EINVAL);
    BAD_E(W.other, "scan", itsm_engine_load(W.other), ITSM_EINVAL);

    /* tick */
    size_t fired = 7;
    BAD_N(itsm_engine_tick(NULL, T0, &fired), ITSM_EINVAL);
    BAD_E(eng, "1970", itsm_engine_tick(eng, -5, &fired), ITSM_EINVAL);
    BAD_E(eng, "1970", itsm_engine_tick(eng, ITSM_TIME_MAX + 1, &fired), ITSM_EINVAL);

    /* aging */
    itsm_aging_entry ae[4] = { { .size = sizeof(itsm_aging_entry) } };
    size_t n = 99;
    BAD_N(itsm_engine_aging(ae, 4, &n, NULL, ITSM_AGING_BY_AGE, T0), ITSM_EINVAL);
    BAD_E(eng, "n", itsm_engine_aging(ae, 4, NULL, eng, ITSM_AGING_BY_AGE, T0), ITSM_EINVAL);
    BAD_E(eng, "out", itsm_engine_aging(NULL, 4, &n, eng, ITSM_AGING_BY_AGE, T0), ITSM_EINVAL);
    BAD_E(eng, "order", itsm_engine_aging(ae, 4, &n, eng, (itsm_aging_order)0, T0), ITSM_EINVAL);
    BAD_E(eng, "order", itsm_engine_aging(ae, 4, &n, eng, (itsm_aging_order)3, T0), ITSM_EINVAL);
    BAD_E(eng, "1970", itsm_engine_aging(ae, 4, &n, eng, ITSM_AGING_BY_AGE, -5), ITSM_EINVAL);

    /* handovers and the quality log */
    itsm_packet *hp = NULL;
    itsm_quality_entry qe = { .size = sizeof qe };
    BAD_N(itsm_engine_handover_at(&hp, NULL, 0), ITSM_EINVAL);
    BAD_E(eng, "out", itsm_engine_handover_at(NULL, eng, 0), ITSM_EINVAL);
    BAD_E(eng, "index", itsm_engine_handover_at(&hp, eng, 0), ITSM_EINVAL);
    BAD_N(itsm_engine_handover_find(&hp, NULL, 1), ITSM_EINVAL);
    BAD_E(eng, "out", itsm_engine_handover_find(NULL, eng, 1), ITSM_EINVAL);
    BAD_E(eng, "99", itsm_engine_handover_find(&hp, eng, 99), ITSM_ENOTFOUND);
    BAD_E(eng, "0", itsm_engine_handover_find(&hp, eng, 0), ITSM_ENOTFOUND, ITSM_EINVAL);
    BAD_N(itsm_quality_log_at(NULL, 0, &qe), ITSM_EINVAL);
    BAD_E(eng, "out", itsm_quality_log_at(eng, 0, NULL), ITSM_EINVAL);
    BAD_E(eng, "index", itsm_quality_log_at(eng, 0, &qe), ITSM_EINVAL);
    size_t len = 0;
    BAD_N(itsm_handover_report_to_json(NULL, 0, T0, NULL, 0, &len), ITSM_EINVAL);
    BAD_E(eng, "len", itsm_handover_report_to_json(eng, 0, T0, NULL, 0, NULL), ITSM_EINVAL);
    BAD_E(eng, "1970", itsm_handover_report_to_json(eng, -5, T0, NULL, 0, &len), ITSM_EINVAL);
    BAD_E(eng, "1970", itsm_handover_report_to_json(eng, 0, ITSM_TIME_MAX + 1, NULL, 0, &len), ITSM_EINVAL);
    BAD_E(eng, "from", itsm_handover_report_to_json(eng, T0, T0 - 1, NULL, 0, &len), ITSM_EINVAL);
    check_writer(__LINE__, "itsm_handover_report_to_json", w_hreport, eng);

    world_close();
    assert_int_equal(failures, 0);
}

/* ---- records ---- */
static void test_record(void **state)
{
    (void)state;
    world_open();
    itsm_engine *eng = W.f.eng;
    itsm_record *r = NULL, *inc = W.inc;

    itsm_record_opts ro = ITSM_RECORD_OPTS_INIT;
    BAD_N(itsm_record_open(&r, NULL, &ro), ITSM_EINVAL);
    BAD_E(eng, "out", itsm_record_open(NULL, eng, &ro), ITSM_EINVAL);
    BAD_E(eng, "options", itsm_record_open(&r, eng, NULL), ITSM_EINVAL);
    ro.version = 2;
    BAD_E(eng, "version", itsm_record_open(&r, eng, &ro), ITSM_EINVAL);
    ro.version = ITSM_RECORD_OPTS_VERSION;
    ro.kind = (itsm_kind)0;
    BAD_E(eng, "kind", itsm_record_open(&r, eng, &ro), ITSM_EINVAL);
    ro.kind = (itsm_kind)6;
    BAD_E(eng, "kind", itsm_record_open(&r, eng, &ro), ITSM_EINVAL);
    ro.kind = ITSM_KIND_INCIDENT;
    const char *bad_ids[] = { EMPTY, LONG_STR, BADUTF8, "a b", "x/y" };
    for (size_t i = 0; i < sizeof bad_ids / sizeof bad_ids[0]; i++) {
        ro.id = bad_ids[i];
        BAD_E(eng, "id", itsm_record_open(&r, eng, &ro), ITSM_EINVAL);
    }
    ro.id = "INC-1";
    BAD_E(eng, "INC-1", itsm_record_open(&r, eng, &ro), ITSM_EEXISTS);
    ro.id = "NEW-1";
    ro.nfields = 1;
    BAD_E(eng, "changes", itsm_record_open(&r, eng, &ro), ITSM_EINVAL);
    {
        struct { itsm_change c; const char *needle; int code; } bad_changes[] = {
            { { (itsm_field)-1, NULL, 0 }, "field", ITSM_EINVAL },
            { { ITSM_F__COUNT, NULL, 0 }, "field", ITSM_EINVAL },
            { { ITSM_F_SUMMARY, NULL, 0 }, NULL, 0 },               /* placeholder: replaced below */
            { { ITSM_F_SUMMARY, BADUTF8, 0 }, "summary", ITSM_EINVAL },
            { { ITSM_F_SERVICE, EMPTY, 0 }, "service", ITSM_EINVAL },
            { { ITSM_F_SERVICE, BADUTF8, 0 }, "service", ITSM_EINVAL },
            { { ITSM_F_SERVICE, "tab\there", 0 }, "service", ITSM_EINVAL },
            { { ITSM_F_IMPACT, NULL, 0 }, "impact", ITSM_EINVAL },
            { { ITSM_F_IMPACT, NULL, 4 }, "impact", ITSM_EINVAL },
            { { ITSM_F_URGENCY, NULL, INT64_MIN }, "urgency", ITSM_EINVAL },
            { { ITSM_F_PRIORITY, NULL, 6 }, "priority", ITSM_EINVAL },
            { { ITSM_F_MAJOR, NULL, 2 }, "major", ITSM_EINVAL },
            { { ITSM_F_OPENED_AT, NULL, T0 }, "opened_at", ITSM_EINVAL },
            { { ITSM_F_REOPENS, NULL, 1 }, "reopens", ITSM_EINVAL },
        };
        bad_changes[2].c.str = LONG_STR;
        bad_changes[2].needle = "summary";
        bad_changes[2].code = ITSM_ELIMIT;
        itsm_change sym_long = { ITSM_F_SERVICE, NULL, 0 };
        char sym[ITSM_MAX_SYMBOL + 2];
        memset(sym, 's', sizeof sym - 1);
        sym[sizeof sym - 1] = '\0';
        sym_long.str = sym;
        for (size_t i = 0; i < sizeof bad_changes / sizeof bad_changes[0]; i++) {
            ro.fields = &bad_changes[i].c;
            ro.nfields = 1;
            BAD_E(eng, bad_changes[i].needle, itsm_record_open(&r, eng, &ro), bad_changes[i].code);
            BAD_E(eng, bad_changes[i].needle, itsm_record_update(inc, &bad_changes[i].c, 1), bad_changes[i].code);
            BAD_E(eng, bad_changes[i].needle, itsm_record_fire(inc, "assign", &bad_changes[i].c, 1),
                  bad_changes[i].code);
        }
        ro.fields = &sym_long;
        BAD_E(eng, "service", itsm_record_open(&r, eng, &ro), ITSM_ELIMIT);
        BAD_E(eng, "service", itsm_record_update(inc, &sym_long, 1), ITSM_ELIMIT);
        itsm_change twice[2] = { { ITSM_F_SUMMARY, "a", 0 }, { ITSM_F_SUMMARY, "b", 0 } };
        BAD_E(eng, "summary", itsm_record_update(inc, twice, 2), ITSM_EINVAL);
        /* a good change followed by a bad one: all or none */
        itsm_change mixed[2] = { { ITSM_F_SUMMARY, "changed", 0 }, { ITSM_F_IMPACT, NULL, 9 } };
        BAD_E(eng, "impact", itsm_record_update(inc, mixed, 2), ITSM_EINVAL);
        BAD_E(eng, "impact", itsm_record_fire(inc, "assign", mixed, 2), ITSM_EINVAL);
    }
    ro.fields = NULL;
    ro.nfields = 0;

    /* find */
    BAD_N(itsm_record_find(&r, NULL, "INC-1"), ITSM_EINVAL);
    BAD_E(eng, "out", itsm_record_find(NULL, eng, "INC-1"), ITSM_EINVAL);
    BAD_E(eng, "id", itsm_record_find(&r, eng, NULL), ITSM_EINVAL);
    BAD_E(eng, "record", itsm_record_find(&r, eng, EMPTY), ITSM_ENOTFOUND, ITSM_EINVAL);
    BAD_E(eng, "record", itsm_record_find(&r, eng, LONG_STR), ITSM_ENOTFOUND, ITSM_EINVAL);
    BAD_E(eng, "record", itsm_record_find(&r, eng, BADUTF8), ITSM_ENOTFOUND, ITSM_EINVAL);

    /* getters */
    EXPECT(itsm_record_id(NULL) == NULL);
    EXPECT(itsm_record_kind(NULL) == 0);
    EXPECT(itsm_record_state(NULL) == NULL);
    EXPECT(itsm_record_is_open(NULL) == 0);
    EXPECT(itsm_record_revision(NULL) == 0);
    EXPECT(itsm_record_engine(NULL) == NULL);
    EXPECT(itsm_record_str(NULL, ITSM_F_SUMMARY) == NULL);
    EXPECT(itsm_record_str(inc, (itsm_field)-1) == NULL);
    EXPECT(itsm_record_str(inc, ITSM_F__COUNT) == NULL);
    EXPECT(itsm_record_str(inc, ITSM_F_IMPACT) == NULL);
    EXPECT(itsm_record_int(NULL, ITSM_F_IMPACT) == 0);
    EXPECT(itsm_record_int(NULL, ITSM_F_OPENED_AT) == ITSM_TIME_NONE);
    EXPECT(itsm_record_int(inc, (itsm_field)-1) == 0);
    EXPECT(itsm_record_int(inc, ITSM_F__COUNT) == 0);
    EXPECT(itsm_record_int(inc, ITSM_F_SUMMARY) == 0);
    EXPECT(itsm_record_has(NULL, ITSM_F_SUMMARY) == 0);
    EXPECT(itsm_record_has(inc, (itsm_field)-1) == 0);
    EXPECT(itsm_record_has(inc, ITSM_F__COUNT) == 0);
    EXPECT(itsm_record_timeline_count(NULL) == 0);
    EXPECT(itsm_record_link_count(NULL) == 0);

    /* update / set */
    itsm_change ok = { ITSM_F_SUMMARY, "x", 0 };
    BAD_N(itsm_record_update(NULL, &ok, 1), ITSM_EINVAL);
    BAD_E(eng, "changes", itsm_record_update(inc, NULL, 1), ITSM_EINVAL);
    BAD_E(eng, "change", itsm_record_update(inc, &ok, 0), ITSM_EINVAL);
    BAD_E(eng, "changes", itsm_record_update(inc, &ok, SIZE_MAX), ITSM_EINVAL);
    BAD_N(itsm_record_set_str(NULL, ITSM_F_SUMMARY, "x"), ITSM_EINVAL);
    BAD_E(eng, "field", itsm_record_set_str(inc, (itsm_field)-1, "x"), ITSM_EINVAL);
    BAD_E(eng, "field", itsm_record_set_str(inc, ITSM_F__COUNT, "x"), ITSM_EINVAL);
    BAD_E(eng, "impact", itsm_record_set_str(inc, ITSM_F_IMPACT, "x"), ITSM_EINVAL);
    BAD_E(eng, "opened_at", itsm_record_set_str(inc, ITSM_F_OPENED_AT, "x"), ITSM_EINVAL);
    BAD_E(eng, "summary", itsm_record_set_str(inc, ITSM_F_SUMMARY, LONG_STR), ITSM_ELIMIT);
    BAD_E(eng, "summary", itsm_record_set_str(inc, ITSM_F_SUMMARY, BADUTF8), ITSM_EINVAL);
    BAD_E(eng, "category", itsm_record_set_str(inc, ITSM_F_CATEGORY, EMPTY), ITSM_EINVAL);
    BAD_E(eng, "category", itsm_record_set_str(inc, ITSM_F_CATEGORY, LONG_STR), ITSM_ELIMIT);
    BAD_N(itsm_record_set_int(NULL, ITSM_F_IMPACT, 1), ITSM_EINVAL);
    BAD_E(eng, "field", itsm_record_set_int(inc, (itsm_field)-1, 1), ITSM_EINVAL);
    BAD_E(eng, "summary", itsm_record_set_int(inc, ITSM_F_SUMMARY, 1), ITSM_EINVAL);
    BAD_E(eng, "impact", itsm_record_set_int(inc, ITSM_F_IMPACT, 0), ITSM_EINVAL);
    BAD_E(eng, "impact", itsm_record_set_int(inc, ITSM_F_IMPACT, INT64_MAX), ITSM_EINVAL);
    BAD_E(eng, "reassignments", itsm_record_set_int(inc, ITSM_F_REASSIGNMENTS, 3), ITSM_EINVAL);

    /* fire */
    BAD_N(itsm_record_fire(NULL, "assign", NULL, 0), ITSM_EINVAL);
    BAD_E(eng, "event", itsm_record_fire(inc, NULL, NULL, 0), ITSM_EINVAL);
    BAD_E(eng, "transition", itsm_record_fire(inc, EMPTY, NULL, 0), ITSM_ETRANSITION, ITSM_EINVAL);
    BAD_E(eng, "transition", itsm_record_fire(inc, LONG_STR, NULL, 0), ITSM_ETRANSITION, ITSM_EINVAL);
    BAD_E(eng, "transition", itsm_record_fire(inc, BADUTF8, NULL, 0), ITSM_ETRANSITION, ITSM_EINVAL);
    BAD_E(eng, "resolve", itsm_record_fire(inc, "resolve", NULL, 0), ITSM_ETRANSITION);
    BAD_E(eng, "assignment_group", itsm_record_fire(inc, "assign", NULL, 0), ITSM_EGUARD);
    BAD_E(eng, "changes", itsm_record_fire(inc, "assign", NULL, 2), ITSM_EINVAL);

    /* notes */
    itsm_note_opts no = ITSM_NOTE_OPTS_INIT;
    no.text = "x";
    BAD_N(itsm_record_add_note(NULL, &no), ITSM_EINVAL);
    BAD_E(eng, "note", itsm_record_add_note(inc, NULL), ITSM_EINVAL);
    no.version = 2;
    BAD_E(eng, "version", itsm_record_add_note(inc, &no), ITSM_EINVAL);
    no.version = ITSM_NOTE_OPTS_VERSION;
    no.kind = (itsm_note_kind)0;
    BAD_E(eng, "kind", itsm_record_add_note(inc, &no), ITSM_EINVAL);
    no.kind = ITSM_NOTE_SYSTEM;
    BAD_E(eng, "kind", itsm_record_add_note(inc, &no), ITSM_EINVAL);
    no.kind = (itsm_note_kind)99;
    BAD_E(eng, "kind", itsm_record_add_note(inc, &no), ITSM_EINVAL);
    no.kind = ITSM_NOTE_WORK;
    no.text = NULL;
    BAD_E(eng, "text", itsm_record_add_note(inc, &no), ITSM_EINVAL);
    no.text = EMPTY;
    BAD_E(eng, "text", itsm_record_add_note(inc, &no), ITSM_EINVAL);
    no.text = LONG_STR;
    BAD_E(eng, "note", itsm_record_add_note(inc, &no), ITSM_ELIMIT);
    no.text = BADUTF8;
    BAD_E(eng, "UTF-8", itsm_record_add_note(inc, &no), ITSM_EINVAL);
    no.kind = ITSM_NOTE_CUSTOMER;
    no.text = "restarted the relay";
    BAD_E(eng, "restoration", itsm_record_add_note(inc, &no), ITSM_EINVAL);
    no.expected_restoration = T0 + 3600;
    BAD_E(eng, "next update", itsm_record_add_note(inc, &no), ITSM_EINVAL);
    no.next_update = T0 - 10;
    BAD_E(eng, "next update", itsm_record_add_note(inc, &no), ITSM_EINVAL);
    no.next_update = ITSM_TIME_MAX + 1;
    BAD_E(eng, "next update", itsm_record_add_note(inc, &no), ITSM_EINVAL);
    no.next_update = T0 + 1800;
    no.expected_restoration = -7;
    BAD_E(eng, "restoration", itsm_record_add_note(inc, &no), ITSM_EINVAL);

    /* timeline and links by index */
    itsm_timeline_entry te = { .size = sizeof te };
    itsm_link lk = { .size = sizeof lk };
    BAD_N(itsm_record_timeline_at(NULL, 0, &te), ITSM_EINVAL);
    BAD_E(eng, "out", itsm_record_timeline_at(inc, 0, NULL), ITSM_EINVAL);
    BAD_E(eng, "index", itsm_record_timeline_at(inc, 1, &te), ITSM_EINVAL);
    BAD_E(eng, "index", itsm_record_timeline_at(inc, SIZE_MAX, &te), ITSM_EINVAL);
    BAD_N(itsm_record_link_at(NULL, 0, &lk), ITSM_EINVAL);
    BAD_E(eng, "out", itsm_record_link_at(inc, 0, NULL), ITSM_EINVAL);
    BAD_E(eng, "index", itsm_record_link_at(inc, 1, &lk), ITSM_EINVAL);
    BAD_E(eng, "index", itsm_record_link_at(W.inc2, 0, &lk), ITSM_EINVAL);

    /* link */
    BAD_N(itsm_record_link(NULL, ITSM_LINK_RELATED, inc), ITSM_EINVAL);
    BAD_E(eng, "target", itsm_record_link(inc, ITSM_LINK_RELATED, NULL), ITSM_EINVAL);
    BAD_E(eng, "engine", itsm_record_link(inc, ITSM_LINK_RELATED, W.alien), ITSM_EINVAL);
    BAD_E(eng, "itself", itsm_record_link(inc, ITSM_LINK_RELATED, inc), ITSM_EINVAL);
    BAD_E(eng, "link kind", itsm_record_link(inc, (itsm_link_kind)0, W.inc2), ITSM_EINVAL);
    BAD_E(eng, "link kind", itsm_record_link(inc, (itsm_link_kind)4, W.inc2), ITSM_EINVAL);
    BAD_E(eng, "PRB-1", itsm_record_link(inc, ITSM_LINK_RELATED, W.prb), ITSM_EEXISTS);

    world_close();
    assert_int_equal(failures, 0);
}

/* ---- events (through a sink) ---- */
static uint64_t last_fields;   /* itsm_event_fields of the first event of the last batch */
static const itsm_record *last_record;   /* itsm_event_record of that event */
static const char *last_to;              /* itsm_event_to_state of that event */
static long inline_reads;   /* events read inline as well as through the getters */

static void sink_check(void *user, const itsm_event *const *events, size_t n)
{
    (void)user;
    for (size_t i = 0; i < n; i++) {
        if (i == 0) {   /* the step's own event (a major incident's proposal may follow) */
            last_fields = itsm_event_fields(events[i]);
            last_record = itsm_event_record(events[i]);
            last_to = itsm_event_to_state(events[i]);
        }
        /* the inline readers give the getters' values (layout ITSM_EVENT_LAYOUT) */
        EXPECT(itsm_event_layout() == ITSM_EVENT_LAYOUT);
        EXPECT(itsm_event_record_inline(events[i]) == itsm_event_record(events[i]));
        EXPECT(itsm_event_fields_inline(events[i]) == itsm_event_fields(events[i]));
        EXPECT(itsm_event_to_state_inline(events[i]) == itsm_event_to_state(events[i]));
        inline_reads++;
        size_t len = 0;
        EXPECT(itsm_event_to_json(events[i], NULL, 0, NULL) == ITSM_EINVAL);
        EXPECT(itsm_event_to_json(NULL, NULL, 0, &len) == ITSM_EINVAL);
        check_writer(__LINE__, "itsm_event_to_json", w_event, events[i]);
    }
}

static void test_event(void **state)
{
    (void)state;
    EXPECT(itsm_event_type(NULL) == NULL);
    EXPECT(itsm_event_record_id(NULL) == NULL);
    EXPECT(itsm_event_record_kind(NULL) == 0);
    EXPECT(itsm_event_revision(NULL) == 0);
    EXPECT(itsm_event_time(NULL) == ITSM_TIME_NONE);
    EXPECT(itsm_event_actor(NULL) == NULL);
    EXPECT(itsm_event_name(NULL) == NULL);
    EXPECT(itsm_event_from_state(NULL) == NULL);
    EXPECT(itsm_event_to_state(NULL) == NULL);
    EXPECT(itsm_event_fields(NULL) == 0);
    EXPECT(itsm_event_record(NULL) == NULL);
    itsm_engine_opts eo = ITSM_ENGINE_OPTS_INIT;
    eo.sink = sink_check;
    itsm_engine *eng;
    assert_ok(itsm_engine_new(&eng, &eo));
    itsm_record *r;
    itsm_record_opts ro = ITSM_RECORD_OPTS_INIT;
    assert_ok(itsm_record_open(&r, eng, &ro));
    EXPECT(last_record == r);   /* the opening's record is the one it gives */
    assert_ok(itsm_record_set_str(r, ITSM_F_SUMMARY, "quoted \"text\" and \xc3\xa9"));
    EXPECT(last_fields == (uint64_t)1 << ITSM_F_SUMMARY);   /* the one field it changed */
    EXPECT(last_record == r);
    itsm_change ch[2] = { { ITSM_F_IMPACT, NULL, 1 }, { ITSM_F_URGENCY, NULL, 1 } };
    assert_ok(itsm_record_update(r, ch, 2));   /* priority derived from them: its bit too */
    EXPECT(last_fields == ((uint64_t)1 << ITSM_F_IMPACT | (uint64_t)1 << ITSM_F_URGENCY | (uint64_t)1 << ITSM_F_PRIORITY));
    /* a transition: the state entered, inline as by the getter (sink_check) */
    inline_reads = 0;
    itsm_change grp = { ITSM_F_ASSIGNMENT_GROUP, "desk", 0 };
    assert_ok(itsm_record_fire(r, "assign", &grp, 1));
    EXPECT(inline_reads > 0);
    EXPECT(last_record == r);
    EXPECT(last_to && strcmp(last_to, itsm_record_state(r)) == 0);
    itsm_engine_free(eng);
    assert_int_equal(failures, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_engine, reset),
        cmocka_unit_test_setup(test_record, reset),
        cmocka_unit_test_setup(test_event, reset),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
