/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The binary event form (docs/events.md, "Binary form"): every event of
 * the test story converts between its two forms byte for byte, replays to
 * the same records from either, a store may keep either; the key table of
 * version 1 is pinned; the strict reader refuses what is not canonical
 * (tests/data/binary/invalid/<case>/{input.hex,error}).
 */
#define _POSIX_C_SOURCE 200809L /* opendir */
#include "scenario.h"
#include "support.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct captured { char **json; unsigned char **bin; size_t *nbin; size_t n; } captured;

static void capture(void *user, const itsm_event *const *evs, size_t n)
{
    captured *c = user;
    for (size_t i = 0; i < n; i++) {
        size_t jl = 0, bl = 0;
        itsm_event_to_json(evs[i], NULL, 0, &jl);
        assert_int_equal(itsm_event_to_binary(evs[i], NULL, 0, &bl), ITSM_ELIMIT);
        c->json = realloc(c->json, (c->n + 1) * sizeof *c->json);
        c->bin = realloc(c->bin, (c->n + 1) * sizeof *c->bin);
        c->nbin = realloc(c->nbin, (c->n + 1) * sizeof *c->nbin);
        c->json[c->n] = malloc(jl + 1);
        c->bin[c->n] = malloc(bl);
        assert_ok(itsm_event_to_json(evs[i], c->json[c->n], jl + 1, &jl));
        size_t again = 0;
        assert_ok(itsm_event_to_binary(evs[i], c->bin[c->n], bl, &again));
        assert_int_equal(again, bl);
        c->nbin[c->n] = bl;
        c->n++;
    }
}

static void captured_free(captured *c)
{
    for (size_t i = 0; i < c->n; i++) {
        free(c->json[i]);
        free(c->bin[i]);
    }
    free(c->json);
    free(c->bin);
    free(c->nbin);
}

/* The story (every record kind, notes, links, actors) and a month of an
 * open P1 incident's service-level events, with a sink that keeps both
 * forms of every event. */
static void story(captured *c, char **dump)
{
    vclock clock = { T0 };
    memstore m;
    memstore_init(&m);
    itsm_engine *eng = engine_over_sink(&m, &clock, NULL, capture, c);
    scenario sc;
    scenario_init(&sc, eng, &clock);
    for (size_t i = 0; i < scenario_nsteps; i++)
        assert_ok(scenario_run_step(&sc, i));
    /* a P1 incident left open a month: the service levels' warnings,
     * breaches and escalation steps (extension classes) */
    itsm_record *r = NULL;
    itsm_change init[3] = { { ITSM_F_SUMMARY, "Mail down", 0 }, { ITSM_F_IMPACT, NULL, 1 },
                            { ITSM_F_URGENCY, NULL, 1 } };
    itsm_record_opts ro = ITSM_RECORD_OPTS_INIT;
    ro.fields = init;
    ro.nfields = 3;
    assert_ok(itsm_record_open(&r, eng, &ro));
    itsm_change work[2] = { { ITSM_F_ASSIGNMENT_GROUP, "Desk", 0 }, { ITSM_F_ASSIGNEE, "ann", 0 } };
    assert_ok(itsm_record_fire(r, "start", work, 2));
    clock.now += 30 * 86400;
    size_t fired = 0;
    assert_ok(itsm_engine_tick(eng, clock.now, &fired));
    assert_true(fired > 0);
    *dump = engine_dump(eng);
    itsm_engine_free(eng);
    memstore_free(&m);
}

static void every_event_converts_between_its_forms_byte_for_byte(void **state)
{
    (void)state;
    captured c = { 0 };
    char *dump;
    story(&c, &dump);
    assert_true(c.n > 30);
    size_t json_bytes = 0, bin_bytes = 0;
    for (size_t i = 0; i < c.n; i++) {
        unsigned char bin[8192];
        char json[8192];
        size_t bl = 0, jl = 0;
        assert_int_equal(c.bin[i][0], 0xE5);
        assert_ok(itsm_event_json_to_binary(c.json[i], strlen(c.json[i]), bin, sizeof bin, &bl, NULL));
        if (bl != c.nbin[i] || memcmp(bin, c.bin[i], bl))
            fail_msg("event %zu: the binary form of its JSON differs from its own binary form:\n%s", i, c.json[i]);
        assert_ok(itsm_event_binary_to_json(c.bin[i], c.nbin[i], json, sizeof json, &jl, NULL));
        assert_string_equal(json, c.json[i]);
        json_bytes += strlen(c.json[i]);
        bin_bytes += c.nbin[i];
    }
    /* compact: a good deal smaller than the JSON (each stored event carries
     * its 64-hex-digit chain link in both forms, about 0.71 here) */
    assert_true(bin_bytes * 4 < json_bytes * 3);
    /* the service levels' classes are among them: the canonical writer's
     * extension classes are checked here too */
    size_t service_level = 0;
    for (size_t i = 0; i < c.n; i++)
        service_level += strstr(c.json[i], "\"type\":\"sla_") != NULL;
    assert_true(service_level > 0);
    free(dump);
    captured_free(&c);
}

static void either_form_replays_to_the_same_records(void **state)
{
    (void)state;
    captured c = { 0 };
    char *dump;
    story(&c, &dump);
    itsm_engine *from_json, *from_bin, *mixed;
    assert_ok(itsm_engine_new(&from_json, NULL));
    assert_ok(itsm_engine_new(&from_bin, NULL));
    assert_ok(itsm_engine_new(&mixed, NULL));
    for (size_t i = 0; i < c.n; i++) {
        assert_ok(itsm_engine_replay_json(from_json, c.json[i], strlen(c.json[i]), NULL));
        itsm_parse_error err;
        int rc = itsm_engine_replay(from_bin, c.bin[i], c.nbin[i], &err);
        if (rc != ITSM_OK)
            fail_msg("binary event %zu: %s (%s)", i, itsm_errname(rc), itsm_errmsg(from_bin));
        /* a store may even hold both forms, event by event */
        if (i % 2)
            assert_ok(itsm_engine_replay(mixed, c.bin[i], c.nbin[i], NULL));
        else
            assert_ok(itsm_engine_replay(mixed, c.json[i], strlen(c.json[i]), NULL));
    }
    char *dj = engine_dump(from_json), *db = engine_dump(from_bin), *dm = engine_dump(mixed);
    assert_string_equal(dj, dump);
    assert_string_equal(db, dump);
    assert_string_equal(dm, dump);
    free(dj), free(db), free(dm), free(dump);
    itsm_engine_free(from_json);
    itsm_engine_free(from_bin);
    itsm_engine_free(mixed);
    captured_free(&c);
}

/* Binary events in a store: the engine loads them (itsm_engine_load
 * replays either form). */
typedef struct binstore { captured *c; } binstore;
static int bs_append(void *u, const itsm_event *const *e, size_t n)
{
    (void)u, (void)e, (void)n;
    return ITSM_OK;
}
static int bs_scan(void *u, itsm_store_emit_fn emit, void *ctx)
{
    captured *c = ((binstore *)u)->c;
    for (size_t i = 0; i < c->n; i++) {
        int rc = emit(ctx, (const char *)c->bin[i], c->nbin[i]);
        if (rc)
            return rc;
    }
    return ITSM_OK;
}

static void a_store_of_binary_events_loads(void **state)
{
    (void)state;
    captured c = { 0 };
    char *dump;
    story(&c, &dump);
    binstore bs = { &c };
    itsm_store st = { ITSM_STORE_VERSION, bs_append, bs_scan, NULL, NULL, NULL };
    itsm_engine_opts o = ITSM_ENGINE_OPTS_INIT;
    o.store = &st;
    o.store_user = &bs;
    itsm_engine *eng;
    assert_ok(itsm_engine_new(&eng, &o));
    assert_ok(itsm_engine_load(eng));
    char *d = engine_dump(eng);
    assert_string_equal(d, dump);
    free(d), free(dump);
    itsm_engine_free(eng);
    captured_free(&c);
}

/* Version 1's key table, pinned: the format never changes under a store. */
static void the_key_table_of_version_1_is_fixed(void **state)
{
    (void)state;
    static const char *const v1[] = {
        "v", "type", "record", "kind", "rev", "at", "actor", "state", "event", "from", "to", "note", "link", "set",
        "text", "expected_restoration", "next_update", "target", "target_kind",
        "summary", "description", "caller", "contact_verified", "service", "ci", "category", "subcategory",
        "impact", "urgency", "priority", "assignment_group", "assignee", "functional_level", "hierarchical_level",
        "major", "hold_reason", "workaround", "no_workaround", "cause", "resolution_code", "resolution_notes",
        "close_justification", "knowledge_decision", "change_type", "opened_at", "responded_at", "resolved_at",
        "closed_at", "updated_at", "reassignments", "reopens",
        "timer", "due", "deadline", "sla", "level", "groups", "accepted", "reason", "audience", "handover", "seq",
        "by", "score", "missing", "packet",
    };
    for (size_t i = 0; i < sizeof v1 / sizeof v1[0]; i++) {
        char json[64];
        unsigned char bin[64];
        size_t n = 0;
        snprintf(json, sizeof json, "{\"%s\":null}", v1[i]);
        assert_ok(itsm_event_json_to_binary(json, strlen(json), bin, sizeof bin, &n, NULL));
        unsigned char want[] = { 0xE5, 1, 0x07, (unsigned char)(i + 2), 0x00, 0x00 };
        if (n != sizeof want || memcmp(bin, want, n))
            fail_msg("key '%s' is not table entry %zu", v1[i], i);
    }
    /* a key outside the table is written inline */
    unsigned char bin[64];
    size_t n = 0;
    assert_ok(itsm_event_json_to_binary("{\"zz\":1}", 8, bin, sizeof bin, &n, NULL));
    unsigned char want[] = { 0xE5, 1, 0x07, 0x01, 0x02, 'z', 'z', 0x03, 0x02, 0x00 };
    assert_int_equal(n, sizeof want);
    assert_memory_equal(bin, want, n);
}

/* Every value of the tree has one form, and JSON reads back what it wrote. */
static void any_json_value_round_trips(void **state)
{
    (void)state;
    static const char *const docs[] = {
        "null", "true", "false", "0", "-1", "9223372036854775807", "-9223372036854775808", "1.5", "-2.5e-300",
        "\"\"", "\"caf\xc3\xa9 \\u0000 \\n\"", "[]", "{}", "[1,[2,[3,{}]],\"x\"]",
        "{\"a\\u0000b\":1,\"set\":{\"summary\":\"s\",\"x\":[null,true]}}",
    };
    for (size_t i = 0; i < sizeof docs / sizeof docs[0]; i++) {
        unsigned char bin[256];
        char json[256];
        size_t bl = 0, jl = 0;
        assert_ok(itsm_event_json_to_binary(docs[i], strlen(docs[i]), bin, sizeof bin, &bl, NULL));
        assert_ok(itsm_event_binary_to_json(bin, bl, json, sizeof json, &jl, NULL));
        assert_string_equal(json, docs[i]);
    }
}

static void sizes_and_arguments(void **state)
{
    (void)state;
    unsigned char bin[16];
    char json[4];
    size_t n = 99;
    assert_int_equal(itsm_event_json_to_binary("[1,2,3]", 7, bin, 4, &n, NULL), ITSM_ELIMIT);
    assert_int_equal(n, 10);   /* E5 01 | 06 | 03 02 | 03 04 | 03 06 | 08 */
    assert_ok(itsm_event_json_to_binary("[1,2,3]", 7, bin, sizeof bin, &n, NULL));
    assert_int_equal(itsm_event_binary_to_json(bin, n, json, sizeof json, &n, NULL), ITSM_ELIMIT);
    assert_int_equal(n, 7);
    assert_string_equal(json, "[1,");
    assert_int_equal(itsm_event_json_to_binary(NULL, 0, bin, 1, &n, NULL), ITSM_EINVAL);
    assert_int_equal(itsm_event_json_to_binary("1", 1, NULL, 1, &n, NULL), ITSM_EINVAL);
    assert_int_equal(itsm_event_json_to_binary("1", 1, bin, 1, NULL, NULL), ITSM_EINVAL);
    assert_int_equal(itsm_event_binary_to_json(NULL, 0, json, 1, &n, NULL), ITSM_EINVAL);
    assert_int_equal(itsm_event_to_binary(NULL, bin, 1, &n), ITSM_EINVAL);
    itsm_parse_error err;
    assert_int_equal(itsm_event_json_to_binary("[1,", 3, bin, sizeof bin, &n, &err), ITSM_EPARSE);
    assert_int_equal(err.code, ITSM_EPARSE);
    itsm_engine *eng;
    assert_ok(itsm_engine_new(&eng, NULL));
    assert_int_equal(itsm_engine_replay(NULL, bin, 1, NULL), ITSM_EINVAL);
    assert_fails(eng, itsm_engine_replay(eng, NULL, 1, NULL), ITSM_EINVAL, "NULL");
    /* the engine's limits hold for the binary form too */
    unsigned char deep[600];
    size_t k = 0;
    deep[k++] = 0xE5;
    deep[k++] = 1;
    for (int d = 0; d < 200; d++)
        deep[k++] = 0x06;
    for (int d = 0; d < 200; d++)
        deep[k++] = 0x08;
    assert_int_equal(itsm_engine_replay(eng, deep, k, &err), ITSM_ELIMIT);
    assert_non_null(strstr(err.text, "nesting deeper than"));
    itsm_engine_free(eng);
}

static unsigned char *read_hex(const char *path, size_t *n)
{
    FILE *f = fopen(path, "r");
    if (!f)
        fail_msg("cannot read %s", path);
    unsigned char *out = malloc(4096);
    *n = 0;
    int hi = -1, c;
    while ((c = fgetc(f)) != EOF) {
        int v = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
        if (v < 0)
            continue;
        if (hi < 0)
            hi = v;
        else {
            out[(*n)++] = (unsigned char)(hi << 4 | v);
            hi = -1;
        }
    }
    fclose(f);
    return out;
}

static void the_strict_reader_refuses_each_invalid_case(void **state)
{
    (void)state;
    char dir[512];
    snprintf(dir, sizeof dir, "%s/binary/invalid", ITSM_TEST_DATA);
    DIR *d = opendir(dir);
    assert_non_null(d);
    struct dirent *e;
    int cases = 0;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        char path[1024], want[256] = "";
        snprintf(path, sizeof path, "%s/%s/error", dir, e->d_name);
        FILE *f = fopen(path, "r");
        assert_non_null(f);
        if (!fgets(want, sizeof want, f))
            want[0] = '\0';
        fclose(f);
        want[strcspn(want, "\n")] = '\0';
        snprintf(path, sizeof path, "%s/%s/input.hex", dir, e->d_name);
        size_t n;
        unsigned char *in = read_hex(path, &n);
        char json[256];
        size_t jl;
        itsm_parse_error err;
        memset(&err, 0, sizeof err);
        int rc = itsm_event_binary_to_json(in, n, json, sizeof json, &jl, &err);
        if (rc == ITSM_OK || !strstr(err.text, want))
            fail_msg("case %s: got %s \"%s\", wanted an error containing \"%s\"", e->d_name, itsm_errname(rc),
                     err.text, want);
        assert_true(err.offset <= n);
        free(in);
        cases++;
    }
    closedir(d);
    assert_true(cases >= 20);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_event_converts_between_its_forms_byte_for_byte),
        cmocka_unit_test(either_form_replays_to_the_same_records),
        cmocka_unit_test(a_store_of_binary_events_loads),
        cmocka_unit_test(the_key_table_of_version_1_is_fixed),
        cmocka_unit_test(any_json_value_round_trips),
        cmocka_unit_test(sizes_and_arguments),
        cmocka_unit_test(the_strict_reader_refuses_each_invalid_case),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
