/* SPDX-License-Identifier: Apache-2.0 */
/* Replay rules: a store's events rebuild the engine exactly; replaying twice
 * is harmless; a gap is a conflict; malformed events and events over the
 * JSON limits are refused with a position and change nothing; times come
 * from the events, not the clock; a load rebuilds from the scan and reports
 * failures. */
#include "replay_check.h"

static itsm_engine *fresh_engine(void)
{
    itsm_engine *e;
    assert_ok(itsm_engine_new(&e, NULL));
    return e;
}

static void replay_all(itsm_engine *e, const memstore *s)
{
    for (size_t i = 0; i < s->n; i++) {
        itsm_parse_error err;
        int rc = itsm_engine_replay_json(e, s->events[i], strlen(s->events[i]), &err);
        if (rc != ITSM_OK)
            fail_msg("event %zu: %s: %s", i, itsm_errname(rc), itsm_errmsg(e));
    }
}

static void replaying_the_same_store_twice_is_harmless(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    build_story(&f);
    itsm_engine *e = fresh_engine();
    replay_all(e, &f.store);
    char *once = engine_dump(e);
    replay_all(e, &f.store);
    char *twice = engine_dump(e);
    assert_string_equal(once, twice);
    char *live = engine_dump(f.eng);
    assert_string_equal(once, live);
    /* Any single old event again: skipped. */
    replay_store_into(e, &f.store);
    free(twice);
    twice = engine_dump(e);
    assert_string_equal(once, twice);
    free(once);
    free(twice);
    free(live);
    itsm_engine_free(e);
    fixture_close(&f);
}

static void a_gap_in_revisions_is_a_conflict(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    build_story(&f);
    /* Events 0..1 open the records; event 2 is INC's revision 2. Skip it. */
    itsm_engine *e = fresh_engine();
    assert_ok(itsm_engine_replay_json(e, f.store.events[0], strlen(f.store.events[0]), NULL));
    assert_ok(itsm_engine_replay_json(e, f.store.events[1], strlen(f.store.events[1]), NULL));
    char *before = engine_dump(e);
    itsm_parse_error err;
    assert_int_equal(itsm_engine_replay_json(e, f.store.events[3], strlen(f.store.events[3]), &err), ITSM_ECONFLICT);
    assert_non_null(strstr(itsm_errmsg(e), "revision 3 for INC-000001 skips past revision 2"));
    /* The position points at the revision. */
    assert_int_equal(err.line, 1);
    assert_int_equal(err.column, (size_t)(strstr(f.store.events[3], "\"rev\":") - f.store.events[3]) + 7);
    char *after = engine_dump(e);
    assert_string_equal(before, after);
    free(after);
    /* Filling the gap lets the rest through. */
    for (size_t i = 2; i < f.store.n; i++)
        assert_ok(itsm_engine_replay_json(e, f.store.events[i], strlen(f.store.events[i]), NULL));
    after = engine_dump(e);
    char *live = engine_dump(f.eng);
    assert_string_equal(after, live);
    free(before);
    free(after);
    free(live);
    itsm_engine_free(e);
    fixture_close(&f);
}

/* Base events for the malformed cases: INC-000001 (rev 1, state new) and
 * PRB-000001 (rev 1). */
#define E_OPEN_INC "{\"v\":1,\"type\":\"open\",\"record\":\"INC-000001\",\"kind\":\"incident\",\"rev\":1," \
                   "\"at\":\"2026-03-02T09:00:00Z\",\"state\":\"new\",\"set\":{\"opened_at\":\"2026-03-02T09:00:00Z\"}}"

#define E_OPEN_PRB "{\"v\":1,\"type\":\"open\",\"record\":\"PRB-000001\",\"kind\":\"problem\",\"rev\":1," \
                   "\"at\":\"2026-03-02T09:00:00Z\",\"state\":\"new\"}"

#define X16 "xxxxxxxxxxxxxxxx"

#define X256 X16 X16 X16 X16 X16 X16 X16 X16 X16 X16 X16 X16 X16 X16 X16 X16

#define HEAD(type, rev) "{\"v\":1,\"type\":\"" type "\",\"record\":\"INC-000001\",\"kind\":\"incident\",\"rev\":" #rev \
                        ",\"at\":\"2026-03-02T09:01:00Z\""

typedef struct bad_case {
    const char *name;
    const char *json;
    int         code;
    const char *msg;   /* in itsm_errmsg */
    const char *at;    /* the error position is the first occurrence of this text ("" = offset 0);
                          NULL: a syntax error, any position inside the input */
} bad_case;

static const bad_case bad_cases[] = {
    { "not JSON", "{\"v\":1,", ITSM_EPARSE, "event 1:", NULL },
    { "not JSON, line 3", "{\n  \"v\": 1,\n  \"type\": open}", ITSM_EPARSE, "event 3:", "open}" },
    { "trailing garbage", HEAD("update", 2) "} x", ITSM_EPARSE, "event 1:", "x" },
    { "empty", "", ITSM_EPARSE, "event 1:1", "" },
    { "not an object", "[1]", ITSM_EPARSE, "must be a JSON object", "[" },
    { "wrong v", "{\"v\":2,\"type\":\"update\"}", ITSM_EPARSE, "unsupported event version", "2," },
    { "v as a string", "{\"v\":\"1\",\"type\":\"update\"}", ITSM_EPARSE, "unsupported event version", "\"1\"" },
    { "v missing", "{\"type\":\"update\"}", ITSM_EPARSE, "unsupported event version", "{" },
    { "v fractional", "{\"v\":1.0}", ITSM_EPARSE, "unsupported event version", "1.0" },
    { "unknown type", HEAD("delete", 2) "}", ITSM_EPARSE, "unknown event type delete", "\"delete\"" },
    { "type with NUL", HEAD("update\\u0000x", 2) "}", ITSM_EPARSE, "NUL character in member type", "\"update" },
    { "unknown member", HEAD("update", 2) ",\"colour\":\"red\"}", ITSM_EPARSE, "unknown member colour", "\"red\"" },
    { "member name with NUL", HEAD("update", 2) ",\"set\\u0000\":{}}", ITSM_EPARSE, "unknown member set", "{}" },
    { "unknown member in note", HEAD("note", 2) ",\"note\":{\"kind\":\"work\",\"text\":\"x\",\"mood\":\"sad\"}}",
      ITSM_EPARSE, "unknown member mood", "\"sad\"" },
    { "unknown member in link", HEAD("link", 2) ",\"link\":{\"kind\":\"related\",\"target\":\"PRB-000001\",\"x\":1}}",
      ITSM_EPARSE, "unknown member x", "1}}" },
    { "unknown field", HEAD("update", 2) ",\"set\":{\"colour\":\"red\"}}", ITSM_EPARSE, "unknown field colour", "\"red\"" },
    { "int as string", HEAD("update", 2) ",\"set\":{\"impact\":\"2\"}}", ITSM_EPARSE,
      "expected a whole number in range for impact", "\"2\"" },
    { "int out of range", HEAD("update", 2) ",\"set\":{\"impact\":4}}", ITSM_EPARSE, "in range for impact", "4}" },
    { "int fractional", HEAD("update", 2) ",\"set\":{\"urgency\":2.5}}", ITSM_EPARSE, "for urgency", "2.5" },
    { "text as number", HEAD("update", 2) ",\"set\":{\"summary\":5}}", ITSM_EPARSE,
      "expected a string or null for summary", "5}" },
    { "symbol as bool", HEAD("update", 2) ",\"set\":{\"caller\":true}}", ITSM_EPARSE, "for caller", "true" },
    { "bool as number", HEAD("update", 2) ",\"set\":{\"major\":1}}", ITSM_EPARSE, "expected true or false for major",
      "1}" },
    { "time as number", HEAD("update", 2) ",\"set\":{\"opened_at\":5}}", ITSM_EPARSE, "expected a time", "5}" },
    { "set not an object", HEAD("update", 2) ",\"set\":[]}", ITSM_EPARSE, "'set' must be an object", "[]" },
    { "symbol too long", HEAD("update", 2) ",\"set\":{\"caller\":\"" X256 "x\"}}", ITSM_EPARSE, "invalid value for caller", "\"xxx" },
    { "unknown record", "{\"v\":1,\"type\":\"update\",\"record\":\"INC-999999\",\"kind\":\"incident\",\"rev\":2,"
      "\"at\":\"2026-03-02T09:01:00Z\"}", ITSM_ENOTFOUND, "unknown record INC-999999", "\"INC-999999\"" },
    { "bad date", "{\"v\":1,\"type\":\"update\",\"record\":\"INC-000001\",\"kind\":\"incident\",\"rev\":2,"
      "\"at\":\"2026-02-30T09:01:00Z\"}", ITSM_EPARSE, "expected a time", "\"2026-02-30" },
    { "time with a space", "{\"v\":1,\"type\":\"update\",\"record\":\"INC-000001\",\"kind\":\"incident\",\"rev\":2,"
      "\"at\":\"2026-03-02 09:01:00Z\"}", ITSM_EPARSE, "expected a time", "\"2026-03-02 " },
    { "time with an offset", "{\"v\":1,\"type\":\"update\",\"record\":\"INC-000001\",\"kind\":\"incident\",\"rev\":2,"
      "\"at\":\"2026-03-02T09:01:00+01:00\"}", ITSM_EPARSE, "expected a time", "\"2026-03-02T" },
    { "time missing", "{\"v\":1,\"type\":\"update\",\"record\":\"INC-000001\",\"kind\":\"incident\",\"rev\":2}",
      ITSM_EPARSE, "missing or non-string member at", "{" },
    { "open in a state the policy lacks", "{\"v\":1,\"type\":\"open\",\"record\":\"INC-000002\",\"kind\":\"incident\","
      "\"rev\":1,\"at\":\"2026-03-02T09:01:00Z\",\"state\":\"limbo\"}", ITSM_EPARSE,
      "the policy has no such state: limbo", "\"limbo\"" },
    { "transition to a state the policy lacks", HEAD("transition", 2)
      ",\"event\":\"assign\",\"from\":\"new\",\"to\":\"limbo\"}", ITSM_EPARSE, "no such state: limbo", "\"limbo\"" },
    { "transition with an unknown event", HEAD("transition", 2)
      ",\"event\":\"teleport\",\"from\":\"new\",\"to\":\"assigned\"}", ITSM_EPARSE, "no such event: teleport",
      "\"teleport\"" },
    { "transition from another state", HEAD("transition", 2)
      ",\"event\":\"start\",\"from\":\"assigned\",\"to\":\"in_progress\"}", ITSM_ECONFLICT,
      "event moves INC-000001 from 'assigned' but the record is in 'new'", "\"assigned\"" },
    { "transition without to", HEAD("transition", 2) ",\"event\":\"assign\",\"from\":\"new\"}", ITSM_EPARSE,
      "missing or non-string member to", "{" },
    { "rev zero", HEAD("update", 0) "}", ITSM_EPARSE, "'rev' must be a whole number >= 1", "0," },
    { "rev negative", HEAD("update", -3) "}", ITSM_EPARSE, "'rev' must be", "-3" },
    { "rev as string", HEAD("update", "2") "}", ITSM_EPARSE, "'rev' must be", "\"2\"" },
    { "rev gap", HEAD("update", 3) "}", ITSM_ECONFLICT, "skips past revision 2", "3," },
    { "open with rev 2", "{\"v\":1,\"type\":\"open\",\"record\":\"INC-000002\",\"kind\":\"incident\",\"rev\":2,"
      "\"at\":\"2026-03-02T09:01:00Z\",\"state\":\"new\"}", ITSM_EPARSE, "an open event must have revision 1", "2," },
    { "unknown kind", "{\"v\":1,\"type\":\"update\",\"record\":\"INC-000001\",\"kind\":\"ticket\",\"rev\":2,"
      "\"at\":\"2026-03-02T09:01:00Z\"}", ITSM_EPARSE, "unknown record kind ticket", "\"ticket\"" },
    { "kind differs", "{\"v\":1,\"type\":\"update\",\"record\":\"INC-000001\",\"kind\":\"problem\",\"rev\":2,"
      "\"at\":\"2026-03-02T09:01:00Z\"}", ITSM_EPARSE, "record kind differs", "\"problem\"" },
    { "bad id", "{\"v\":1,\"type\":\"open\",\"record\":\"a b\",\"kind\":\"incident\",\"rev\":1,"
      "\"at\":\"2026-03-02T09:01:00Z\",\"state\":\"new\"}", ITSM_EPARSE, "invalid record id", "\"a b\"" },
    { "record missing", "{\"v\":1,\"type\":\"update\",\"kind\":\"incident\",\"rev\":2,\"at\":\"2026-03-02T09:01:00Z\"}",
      ITSM_EPARSE, "missing or non-string member record", "{" },
    { "note without note", HEAD("note", 2) "}", ITSM_EPARSE, "a note event needs a 'note' object", "{" },
    { "unknown note kind", HEAD("note", 2) ",\"note\":{\"kind\":\"shout\",\"text\":\"x\"}}", ITSM_EPARSE,
      "unknown note kind shout", "\"shout\"" },
    { "empty note text", HEAD("note", 2) ",\"note\":{\"kind\":\"work\",\"text\":\"\"}}", ITSM_EPARSE,
      "note text must be", "\"\"}" },
    { "note with a bad time", HEAD("note", 2) ",\"note\":{\"kind\":\"customer\",\"text\":\"x\","
      "\"expected_restoration\":\"soon\"}}", ITSM_EPARSE, "expected a time", "\"soon\"" },
    { "link to an unknown record", HEAD("link", 2) ",\"link\":{\"kind\":\"related\",\"target\":\"PRB-999\"}}",
      ITSM_EPARSE, "link target is unknown or the record itself: PRB-999", "\"PRB-999\"" },
    { "link to itself", HEAD("link", 2) ",\"link\":{\"kind\":\"related\",\"target\":\"INC-000001\"}}", ITSM_EPARSE,
      "the record itself", "\"INC-000001\"}" },
    { "unknown link kind", HEAD("link", 2) ",\"link\":{\"kind\":\"sibling\",\"target\":\"PRB-000001\"}}",
      ITSM_EPARSE, "unknown link kind sibling", "\"sibling\"" },
    { "empty actor", HEAD("update", 2) ",\"actor\":\"\"}", ITSM_EPARSE, "'actor' must be a non-empty string", "\"\"}" },
    { "actor as number", HEAD("update", 2) ",\"actor\":7}", ITSM_EPARSE, "'actor' must be", "7}" },
    { "invalid UTF-8", HEAD("update", 2) ",\"set\":{\"summary\":\"\xc3\x28\"}}", ITSM_EPARSE, "event 1:", "\xc3" },
    { "duplicate member", HEAD("update", 2) ",\"rev\":2}", ITSM_EPARSE, "event 1:", NULL },
};

static size_t line_of(const char *s, size_t off, size_t *col)
{
    size_t line = 1, start = 0;
    for (size_t i = 0; i < off; i++)
        if (s[i] == '\n') {
            line++;
            start = i + 1;
        }
    *col = off - start + 1;
    return line;
}

static void malformed_events_are_refused_with_a_position_and_change_nothing(void **state)
{
    (void)state;
    itsm_engine *e = fresh_engine();
    assert_ok(itsm_engine_replay_json(e, E_OPEN_INC, strlen(E_OPEN_INC), NULL));
    assert_ok(itsm_engine_replay_json(e, E_OPEN_PRB, strlen(E_OPEN_PRB), NULL));
    char *before = engine_dump(e);
    for (size_t i = 0; i < N_(bad_cases); i++) {
        const bad_case *c = &bad_cases[i];
        itsm_parse_error err;
        memset(&err, 0x5a, sizeof err);
        int rc = itsm_engine_replay_json(e, c->json, strlen(c->json), &err);
        if (rc != c->code || !strstr(itsm_errmsg(e), c->msg))
            fail_msg("case '%s': got %s \"%s\", wanted %s with \"%s\"", c->name, itsm_errname(rc), itsm_errmsg(e),
                     itsm_errname(c->code), c->msg);
        assert_int_equal(itsm_errcode(e), c->code);
        const char *at = !c->at ? NULL : *c->at ? strstr(c->json, c->at) : c->json;
        if (c->at && !at)
            fail_msg("case '%s': bad test, '%s' not in the input", c->name, c->at);
        size_t col = 0, line = at ? line_of(c->json, (size_t)(at - c->json), &col) : 0;
        if (!at && (err.line < 1 || err.column < 1 || err.offset > strlen(c->json)))
            fail_msg("case '%s': error at %zu:%zu (offset %zu) is not in the input", c->name, err.line,
                     err.column, err.offset);
        if (at && (err.line != line || err.column != col || err.offset != (size_t)(at - c->json)))
            fail_msg("case '%s': error at %zu:%zu (offset %zu), wanted %zu:%zu; text \"%.160s\"", c->name, err.line,
                     err.column, err.offset, line, col, err.text);
        assert_true(err.text[0] != '\0' && memchr(err.text, '\0', sizeof err.text) != NULL);
        char *after = engine_dump(e);
        if (strcmp(before, after) != 0)
            fail_msg("case '%s' changed the engine", c->name);
        free(after);
        /* Without an error struct: the same code, nothing written. */
        assert_int_equal(itsm_engine_replay_json(e, c->json, strlen(c->json), NULL), c->code);
    }
    assert_int_equal(itsm_engine_replay_json(e, NULL, 0, NULL), ITSM_EINVAL);
    assert_int_equal(itsm_engine_replay_json(NULL, "{}", 2, NULL), ITSM_EINVAL);
    free(before);
    itsm_engine_free(e);
}

/* A document over the engine's limits is ITSM_ELIMIT with a position. */
static void events_over_the_json_limits_are_elimit(void **state)
{
    (void)state;
    itsm_engine_opts o = ITSM_ENGINE_OPTS_INIT;
    o.limits.max_document = 200;
    o.limits.max_string = 24;
    itsm_engine *e;
    assert_ok(itsm_engine_new(&e, &o));
    assert_ok(itsm_engine_replay_json(e, E_OPEN_PRB, strlen(E_OPEN_PRB), NULL));
    itsm_parse_error err;
    const char *longstr = "{\"v\":1,\"type\":\"update\",\"record\":\"PRB-000001\",\"kind\":\"problem\",\"rev\":2,"
                          "\"at\":\"2026-03-02T09:01:00Z\",\"set\":{\"summary\":\"0123456789abcdef012345678\"}}";
    assert_int_equal(itsm_engine_replay_json(e, longstr, strlen(longstr), &err), ITSM_ELIMIT);
    assert_int_equal(err.code, ITSM_ELIMIT);
    assert_true(err.line == 1 && err.column > 1);
    char big[400];
    memset(big, ' ', sizeof big);
    memcpy(big, E_OPEN_PRB, strlen(E_OPEN_PRB));
    assert_int_equal(itsm_engine_replay_json(e, big, sizeof big, &err), ITSM_ELIMIT);
    itsm_record *r;
    assert_ok(itsm_engine_record_at(&r, e, 0));
    assert_int_equal(itsm_engine_record_count(e), 1);
    assert_int_equal(itsm_record_revision(r), 1);
    itsm_engine_free(e);
}

/* Replay accepts what it needs from the event and nothing from the clock:
 * times come from the events. */
static void replay_takes_times_from_events_not_the_clock(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    build_story(&f);
    vclock late = { T0 + 86400 * 365 };
    itsm_engine_opts o = ITSM_ENGINE_OPTS_INIT;
    o.clock = vclock_read;
    o.clock_user = &late;
    itsm_engine *e;
    assert_ok(itsm_engine_new(&e, &o));
    replay_all(e, &f.store);
    char *a = engine_dump(e), *b = engine_dump(f.eng);
    assert_string_equal(a, b);
    free(a);
    free(b);
    itsm_engine_free(e);
    fixture_close(&f);
}

/* ---- load ---------------------------------------------------------------- */

static int failing_scan(void *user, itsm_store_emit_fn emit, void *ctx)
{
    memstore *s = user;
    int rc = emit(ctx, s->events[0], strlen(s->events[0]));
    if (rc)
        return rc;
    return ITSM_EUSER;
}

static void load_rebuilds_from_the_scan_and_reports_failures(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    build_story(&f);
    itsm_engine_opts o = ITSM_ENGINE_OPTS_INIT;
    o.store = &memstore_methods;
    o.store_user = &f.store;
    itsm_engine *e;
    assert_ok(itsm_engine_new(&e, &o));
    assert_ok(itsm_engine_load(e));
    char *a = engine_dump(e), *b = engine_dump(f.eng);
    assert_string_equal(a, b);
    free(a);
    itsm_engine_free(e);

    /* A scan that fails: its code comes back, with a message. */
    itsm_store s = { ITSM_STORE_VERSION, memstore_methods.append, failing_scan, NULL, NULL, NULL };
    o.store = &s;
    assert_ok(itsm_engine_new(&e, &o));
    assert_fails(e, itsm_engine_load(e), ITSM_EUSER, "store scan failed");
    assert_int_equal(itsm_engine_record_count(e), 1);
    itsm_engine_free(e);

    /* A bad stored event stops the load with its own code. */
    free(f.store.events[3]);
    f.store.events[3] = dupstr("{\"v\":1}");
    o.store = &memstore_methods;
    assert_ok(itsm_engine_new(&e, &o));
    assert_fails(e, itsm_engine_load(e), ITSM_EPARSE, "missing or non-string member type");
    assert_int_equal(itsm_engine_record_count(e), 2);
    itsm_engine_free(e);

    /* No scan: ITSM_EINVAL. */
    itsm_store noscan = { ITSM_STORE_VERSION, memstore_methods.append, NULL, NULL, NULL, NULL };
    o.store = &noscan;
    assert_ok(itsm_engine_new(&e, &o));
    assert_fails(e, itsm_engine_load(e), ITSM_EINVAL, "no scan");
    itsm_engine_free(e);
    assert_int_equal(itsm_engine_load(NULL), ITSM_EINVAL);
    free(b);
    fixture_close(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(replaying_the_same_store_twice_is_harmless),
        cmocka_unit_test(a_gap_in_revisions_is_a_conflict),
        cmocka_unit_test(malformed_events_are_refused_with_a_position_and_change_nothing),
        cmocka_unit_test(events_over_the_json_limits_are_elimit),
        cmocka_unit_test(replay_takes_times_from_events_not_the_clock),
        cmocka_unit_test(load_rebuilds_from_the_scan_and_reports_failures),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
