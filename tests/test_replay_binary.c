/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Replaying the binary form without a value tree (src/core/replay_bin.c):
 * every event it takes applies exactly as the tree path applies it, and
 * every event it does not take - malformed, unknown, refused by a value
 * check, out of order, a stale duplicate, under an unknown policy
 * version, tampered - is refused with the tree path's code and message,
 * naming record and revision where the rule is about them, and leaves
 * every record as it was. Each case runs on two engines: one as the
 * library runs (the fast path first), one held to the tree path.
 */
#include "support.h"
#include "scenario.h"
#include "core/core.h"
#include "sla/sla_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The shared story's stored events (JSON, with their chain links). */
static memstore story_store;

static int setup(void **state)
{
    (void)state;
    vclock clock = { T0 };
    memstore_init(&story_store);
    itsm_engine *eng;
    assert_ok(scenario_engine_new(&eng, &story_store, &clock, NULL, NULL));
    scenario sc;
    scenario_init(&sc, eng, &clock);
    for (size_t i = 0; i < scenario_nsteps; i++)
        assert_ok(scenario_run_step(&sc, i));
    itsm_engine_free(eng);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    memstore_free(&story_store);
    return 0;
}

typedef struct blob { unsigned char b[8192]; size_t n; } blob;

static blob to_bin(const char *json)
{
    blob x;
    if (itsm_event_json_to_binary(json, strlen(json), x.b, sizeof x.b, &x.n, NULL) != ITSM_OK)
        fail_msg("not an event: %s", json);
    return x;
}

/* `json` with the first `from` replaced by `to` (caller frees). */
static char *edited(const char *json, const char *from, const char *to)
{
    const char *at = strstr(json, from);
    if (!at)
        fail_msg("'%s' is not in %s", from, json);
    size_t n = strlen(json) - strlen(from) + strlen(to) + 1;
    char *out = malloc(n);
    snprintf(out, n, "%.*s%s%s", (int)(at - json), json, to, at + strlen(from));
    return out;
}

/* The position in the story's store of the first event containing every
 * needle. */
static size_t find_event(const char *a, const char *b)
{
    for (size_t i = 0; i < story_store.n; i++)
        if (strstr(story_store.events[i], a) && (!b || strstr(story_store.events[i], b)))
            return i;
    fail_msg("no stored event has %s %s", a, b ? b : "");
    return 0;
}

/* A fresh engine (default policy, no store) that replayed the story's
 * first `upto` events in the binary form; `tree`: held to the tree path. */
static itsm_engine *replayed(size_t upto, int tree)
{
    itsm_engine *eng;
    assert_ok(itsm_engine_new(&eng, NULL));
    eng->replay_tree = tree;
    for (size_t i = 0; i < upto; i++) {
        blob x = to_bin(story_store.events[i]);
        if (itsm_engine_replay(eng, x.b, x.n, NULL) != ITSM_OK)
            fail_msg("stored event %zu: %s", i + 1, itsm_errmsg(eng));
    }
    return eng;
}

/* Replay `bytes` after the story's first `upto` events on both paths: the
 * same code (`want`), message and parse error; a refusal changes nothing.
 * The bytes are replayed from a block of exactly their size, so that a
 * read past their end is one (under ASan). Returns the fast engine's
 * message (static). */
static const char *judged(size_t upto, const void *bytes_, size_t n, int want)
{
    static char msg[1024];
    void *bytes = malloc(n ? n : 1);
    assert_non_null(bytes);
    memcpy(bytes, bytes_, n);
    itsm_engine *fast = replayed(upto, 0), *tree = replayed(upto, 1);
    char *before = engine_dump(fast);
    itsm_parse_error ef, et;
    int rf = itsm_engine_replay(fast, bytes, n, &ef);
    int rt = itsm_engine_replay(tree, bytes, n, &et);
    free(bytes);
    if (rf != want || rt != want)
        fail_msg("got %s \"%s\" (tree path %s \"%s\"), wanted %s", itsm_errname(rf), itsm_errmsg(fast),
                 itsm_errname(rt), itsm_errmsg(tree), itsm_errname(want));
    assert_string_equal(itsm_errmsg(fast), itsm_errmsg(tree));
    assert_int_equal(ef.code, et.code);
    assert_string_equal(ef.text, et.text);
    char *after_fast = engine_dump(fast), *after_tree = engine_dump(tree);
    assert_string_equal(after_fast, after_tree);
    if (want != ITSM_OK)
        assert_string_equal(after_fast, before);
    snprintf(msg, sizeof msg, "%s", itsm_errmsg(fast));
    free(before), free(after_fast), free(after_tree);
    /* refused or not, the engine goes on: the next event of the story */
    itsm_engine_free(fast);
    itsm_engine_free(tree);
    return msg;
}

static const char *judged_json(size_t upto, const char *json, int want)
{
    blob x = to_bin(json);
    return judged(upto, x.b, x.n, want);
}

static void every_stored_event_applies_as_the_tree_path_applies_it(void **state)
{
    (void)state;
    itsm_engine *fast = replayed(story_store.n, 0), *tree = replayed(story_store.n, 1);
    char *a = engine_dump(fast), *b = engine_dump(tree), *live = replay_dump(&story_store);
    assert_string_equal(a, b);
    assert_string_equal(a, live);
    free(a), free(b), free(live);
    itsm_engine_free(fast);
    itsm_engine_free(tree);
}

static void a_cut_event_is_refused_as_malformed(void **state)
{
    (void)state;
    size_t i = find_event("\"type\":\"update\"", NULL);
    blob x = to_bin(story_store.events[i]);
    for (size_t cut = 1; cut < x.n; cut += 7)
        judged(i, x.b, x.n - cut, ITSM_EPARSE);
}

static void a_number_not_in_its_shortest_form_is_refused(void **state)
{
    (void)state;
    size_t i = find_event("\"type\":\"update\"", NULL);
    blob x = to_bin(story_store.events[i]);
    /* "v": 1 is 0x02 0x03 0x02 after the header and the object's tag:
     * 0x82 0x00 is the same number, not in its shortest form */
    assert_int_equal(x.b[3], 0x02);
    assert_int_equal(x.b[4], 0x03);
    unsigned char y[8192];
    memcpy(y, x.b, 5);
    y[5] = 0x82;
    y[6] = 0x00;
    memcpy(y + 7, x.b + 6, x.n - 6);
    judged(i, y, x.n + 1, ITSM_EPARSE);
}

static void an_unknown_member_is_refused(void **state)
{
    (void)state;
    size_t i = find_event("\"type\":\"transition\"", NULL);
    char *e = edited(story_store.events[i], "\"v\":1,", "\"v\":1,\"colour\":\"red\",");
    assert_non_null(strstr(judged_json(i, e, ITSM_EPARSE), "unknown member colour"));
    free(e);
}

static void a_member_twice_is_refused(void **state)
{
    (void)state;
    size_t i = find_event("\"type\":\"transition\"", NULL);
    blob x = to_bin(story_store.events[i]);
    /* "v": 1 once more, at the object's end */
    unsigned char y[8192];
    memcpy(y, x.b, x.n - 1);
    memcpy(y + x.n - 1, "\x02\x03\x02\x00", 4);
    judged(i, y, x.n + 3, ITSM_EPARSE);
}

/* A null's value leaves no mark of its own, so a member met first as null
 * and then again is still a member twice: a table key ("v") and an
 * inline one ("pv"). */
static void a_member_twice_is_refused_when_it_was_null_first(void **state)
{
    (void)state;
    size_t i = find_event("\"type\":\"transition\"", "\"pv\":");
    blob x = to_bin(story_store.events[i]);
    static const struct { const char *bytes; size_t n; const char *key; } firsts[] = {
        { "\x02\x00", 2, "'v'" },
        { "\x01\x02pv\x00", 5, "'pv'" },
    };
    for (size_t c = 0; c < sizeof firsts / sizeof firsts[0]; c++) {
        unsigned char y[8192];
        memcpy(y, x.b, 3);   /* the header, then the null member first */
        memcpy(y + 3, firsts[c].bytes, firsts[c].n);
        memcpy(y + 3 + firsts[c].n, x.b + 3, x.n - 3);
        itsm_engine *fast = replayed(i, 0);
        itsm_parse_error pe;
        assert_int_equal(itsm_engine_replay(fast, y, x.n + firsts[c].n, &pe), ITSM_EPARSE);
        assert_non_null(strstr(pe.text, firsts[c].key));
        itsm_engine_free(fast);
        judged(i, y, x.n + firsts[c].n, ITSM_EPARSE);
    }
}

static void an_unknown_field_is_refused(void **state)
{
    (void)state;
    size_t i = find_event("\"type\":\"update\"", "\"set\":{");
    char *e = edited(story_store.events[i], "\"set\":{", "\"set\":{\"colour\":\"red\",");
    assert_non_null(strstr(judged_json(i, e, ITSM_EPARSE), "unknown field colour"));
    free(e);
}

static void a_value_the_field_does_not_take_is_refused(void **state)
{
    (void)state;
    size_t i = find_event("\"impact\":2", NULL);
    char *e = edited(story_store.events[i], "\"impact\":2", "\"impact\":9");
    assert_non_null(strstr(judged_json(i, e, ITSM_EPARSE), "impact"));
    free(e);
    e = edited(story_store.events[i], "\"impact\":2", "\"impact\":\"2\"");
    judged_json(i, e, ITSM_EPARSE);
    free(e);
}

/* A symbol value met in an earlier event is taken without its check
 * again; one with a control character never is. */
static void a_symbol_met_before_applies_and_a_bad_one_is_refused(void **state)
{
    (void)state;
    static const char key[] = "\"assignment_group\":\"";
    size_t i = find_event(key, NULL), j = i + 1;
    while (j < story_store.n && !strstr(story_store.events[j], key))
        j++;
    assert_true(j < story_store.n);   /* a later event sets it again */
    const char *g = strstr(story_store.events[i], key) + strlen(key);
    const char *h = strstr(story_store.events[j], key) + strlen(key);
    char first[96], later[96], bad[96];
    snprintf(first, sizeof first, "%s%.*s\"", key, (int)(strchr(g, '"') - g), g);
    snprintf(later, sizeof later, "%s%.*s\"", key, (int)(strchr(h, '"') - h), h);
    snprintf(bad, sizeof bad, "%s\\u0001%.*s\"", key, (int)(strchr(g, '"') - g), g);
    char *e = edited(story_store.events[j], later, first);   /* the value met at event i */
    judged_json(j, e, ITSM_OK);
    free(e);
    e = edited(story_store.events[j], later, bad);
    judged_json(j, e, ITSM_EPARSE);
    free(e);
}

/* A time on a day met before is read by its time of day, held to the
 * same rules as a time read whole. */
static void a_time_on_a_day_met_before_is_read_as_any_time(void **state)
{
    (void)state;
    size_t i = find_event("\"type\":\"update\"", "\"at\":\"");
    const char *at = strstr(story_store.events[i], "\"at\":\"") + 6;
    char was[32], now[32];
    snprintf(was, sizeof was, "\"at\":\"%.20s", at);
    static const char *const tods[] = { "23:59:59Z", "00:00:00Z", "24:00:00Z", "12:60:00Z", "12:00:60Z",
                                        "12:00:00z", "1a:00:00Z", "12;00:00Z", "12:00/00Z", "1/:00:00Z",
                                        "1::00:00Z", "12:0:000Z", "19:5\x7f:00Z", "09:59:5 Z" };
    static const int want[] = { ITSM_OK,     ITSM_OK,     ITSM_EPARSE, ITSM_EPARSE, ITSM_EPARSE,
                                ITSM_EPARSE, ITSM_EPARSE, ITSM_EPARSE, ITSM_EPARSE, ITSM_EPARSE,
                                ITSM_EPARSE, ITSM_EPARSE, ITSM_EPARSE, ITSM_EPARSE };
    for (size_t k = 0; k < sizeof tods / sizeof *tods; k++) {
        snprintf(now, sizeof now, "\"at\":\"%.11s%s", at, tods[k]);
        char *e = edited(story_store.events[i], was, now);
        judged_json(i, e, want[k]);
        free(e);
    }
    snprintf(now, sizeof now, "\"at\":\"%.10sX%.9s", at, at + 11);   /* no 'T' */
    char *e = edited(story_store.events[i], was, now);
    judged_json(i, e, ITSM_EPARSE);
    free(e);
}

static void a_nul_in_the_record_id_is_refused(void **state)
{
    (void)state;
    size_t i = find_event("\"type\":\"update\"", NULL);
    const char *rec = strstr(story_store.events[i], "\"record\":\"") + 10;
    char id[64];
    snprintf(id, sizeof id, "\"record\":\"%.*s", (int)(strchr(rec, '"') - rec), rec);
    char with_nul[80];
    snprintf(with_nul, sizeof with_nul, "%s\\u0000", id);
    char *e = edited(story_store.events[i], id, with_nul);
    assert_non_null(strstr(judged_json(i, e, ITSM_EPARSE), "NUL"));
    free(e);
}

static void a_transition_from_another_state_is_a_conflict(void **state)
{
    (void)state;
    size_t i = find_event("\"event\":\"start\"", NULL);
    const char *from = strstr(story_store.events[i], "\"from\":\"");
    assert_non_null(from);
    char was[64];
    snprintf(was, sizeof was, "%.*s", (int)(strchr(from + 8, '"') - from + 1), from);
    char *e = edited(story_store.events[i], was, "\"from\":\"resolved\"");
    judged_json(i, e, ITSM_ECONFLICT);
    free(e);
}

/* The names a transition gives are found as the tree path finds them,
 * whatever the transitions read before from the same state. */
static void a_transition_names_an_event_or_state_the_policy_has(void **state)
{
    (void)state;
    size_t i = find_event("\"event\":\"start\"", NULL);
    const char *to = strstr(story_store.events[i], "\"to\":\"");
    assert_non_null(to);
    char was[64];
    snprintf(was, sizeof was, "%.*s", (int)(strchr(to + 6, '"') - to + 1), to);
    char *e = edited(story_store.events[i], "\"event\":\"start\"", "\"event\":\"stort\"");
    assert_non_null(strstr(judged_json(i, e, ITSM_EPARSE), "stort"));
    free(e);
    e = edited(story_store.events[i], was, "\"to\":\"nowhere\"");
    assert_non_null(strstr(judged_json(i, e, ITSM_EPARSE), "nowhere"));
    free(e);
    e = edited(story_store.events[i], was, "\"to\":\"resolved\"");   /* another state: applies as the tree path applies it */
    judged_json(i, e, ITSM_OK);
    free(e);
}

static void a_revision_gap_is_refused_naming_record_and_revision(void **state)
{
    (void)state;
    size_t i = find_event("\"type\":\"update\"", "\"rev\":");
    const char *rv = strstr(story_store.events[i], "\"rev\":");
    long rev = strtol(rv + 6, NULL, 10);
    char was[32], now[32];
    snprintf(was, sizeof was, "\"rev\":%ld,", rev);
    snprintf(now, sizeof now, "\"rev\":%ld,", rev + 1);
    char *e = edited(story_store.events[i], was, now);
    const char *msg = judged_json(i, e, ITSM_ECONFLICT);
    char want[64];
    snprintf(want, sizeof want, "revision %ld", rev + 1);
    assert_non_null(strstr(msg, want));
    assert_non_null(strstr(msg, "skips past"));
    free(e);
}

static void an_event_for_an_unknown_record_is_not_found(void **state)
{
    (void)state;
    size_t i = find_event("\"type\":\"update\"", NULL);
    judged(0, to_bin(story_store.events[i]).b, to_bin(story_store.events[i]).n, ITSM_ENOTFOUND);
}

static void an_unknown_policy_version_is_refused_naming_record_and_revision(void **state)
{
    (void)state;
    size_t i = find_event("\"type\":\"update\"", "\"pv\":\"");
    const char *pv = strstr(story_store.events[i], "\"pv\":\"");
    char was[32];
    snprintf(was, sizeof was, "%.23s", pv);
    char *e = edited(story_store.events[i], was, "\"pv\":\"0123456789abcdef\"");
    const char *msg = judged_json(i, e, ITSM_EPOLICY);
    assert_non_null(strstr(msg, "revision"));
    assert_non_null(strstr(msg, "0123456789abcdef"));
    free(e);
}

/* The binary form of event `json` with the string value of member `key`
 * (its first one) spoiled: its bytes from `at` (its last bytes when
 * negative) replaced by `bad`, which is not UTF-8; the length kept. */
static blob spoiled(const char *json, const char *key, int at, const char *bad)
{
    char needle[64];
    snprintf(needle, sizeof needle, "\"%s\":\"", key);
    const char *v = strstr(json, needle);
    if (!v)
        fail_msg("%s has no string %s", json, key);
    v += strlen(needle);
    size_t n = (size_t)(strchr(v, '"') - v);
    blob x = to_bin(json);
    /* the value as the binary form writes it: 0x05, its length, its bytes */
    unsigned char pat[80];
    assert_true(n < 0x80 && n + 2 <= sizeof pat && strlen(bad) <= n);
    pat[0] = 0x05;
    pat[1] = (unsigned char)n;
    memcpy(pat + 2, v, n);
    for (size_t k = 0; k + n + 2 <= x.n; k++)
        if (!memcmp(x.b + k, pat, n + 2)) {
            size_t from = at >= 0 ? (size_t)at : n - strlen(bad);
            assert_true(from + strlen(bad) <= n);
            memcpy(x.b + k + 2 + from, bad, strlen(bad));
            return x;
        }
    fail_msg("%s: %s not found in its binary form", json, key);
    return x;
}

/* A string that is not UTF-8 is refused wherever it stands, as the tree
 * path refuses it: the fast path reads most strings unchecked and takes
 * one only where it equals a name, symbol or time it knows, or passes the
 * value's own check. */
static void a_string_that_is_not_utf8_is_refused_in_every_member(void **state)
{
    (void)state;
    static const char *const bad[] = { "\xff", "\xc0\x80", "\xed\xa0\x80", "\x80" };
    static const struct { const char *type, *key; int at; } roles[] = {
        { "\"type\":\"update\"", "type", -1 },
        { "\"type\":\"update\"", "type", 0 },
        { "\"type\":\"update\"", "record", -1 },
        { "\"type\":\"update\"", "kind", -1 },
        { "\"type\":\"update\"", "at", 0 },
        { "\"type\":\"update\"", "at", -1 },
        { "\"type\":\"update\"", "actor", -1 },
        { "\"type\":\"open\"", "record", 0 },
        { "\"type\":\"open\"", "state", -1 },
        { "\"type\":\"open\"", "summary", -1 },
        { "\"type\":\"transition\"", "event", -1 },
        { "\"type\":\"transition\"", "from", -1 },
        { "\"type\":\"transition\"", "to", -1 },
        { "\"assignment_group\":\"", "assignment_group", -1 },
        { "\"assignment_group\":\"", "assignment_group", 0 },
        { "\"pv\":\"", "pv", -1 },
        { "\"hash\":\"", "hash", 0 },
        { "\"hash\":\"", "hash", -1 },
    };
    for (size_t r = 0; r < sizeof roles / sizeof *roles; r++)
        for (size_t k = 0; k < sizeof bad / sizeof *bad; k++) {
            size_t i = find_event(roles[r].type, strstr(roles[r].type, roles[r].key) ? NULL : roles[r].key);
            blob x = spoiled(story_store.events[i], roles[r].key, roles[r].at, bad[k]);
            assert_non_null(strstr(judged(i, x.b, x.n, ITSM_EPARSE), "UTF-8"));
        }
    /* an extension class's event with members of its own at the top (an
     * outage on an incident, made of an update of one): applied as the
     * tree path applies it, then its type and each of its strings spoiled */
    size_t i = find_event("\"type\":\"update\"", "\"kind\":\"incident\"");
    const char *at = strstr(story_store.events[i], "\"at\":\"") + 6;
    char own[160];
    snprintf(own, sizeof own,
             "\"kind\":\"incident\",\"service\":\"mail\",\"expected_restoration\":\"%.20s\",\"next_update\":\"%.20s\",",
             at, at);
    char *typed = edited(story_store.events[i], "\"type\":\"update\"", "\"type\":\"outage_declared\"");
    char *e = edited(typed, "\"kind\":\"incident\",", own);
    free(typed);
    judged_json(i, e, ITSM_OK);
    static const char *const members[] = { "type", "service", "expected_restoration", "next_update" };
    for (size_t m = 0; m < sizeof members / sizeof *members; m++)
        for (size_t k = 0; k < sizeof bad / sizeof *bad; k++) {
            blob x = spoiled(e, members[m], -1, bad[k]);
            assert_non_null(strstr(judged(i, x.b, x.n, ITSM_EPARSE), "UTF-8"));
        }
    free(e);
}

/* What the service levels' events apply to every record: their flags,
 * the SLA set by hand, each clock's warnings and breach (caller frees). */
static char *sla_state(const itsm_engine *eng)
{
    size_t cap = 64 * (itsm_engine_record_count(eng) + 1), used = 0;
    char *out = malloc(cap);
    assert_non_null(out);
    out[0] = '\0';
    for (size_t i = 0; i < itsm_engine_record_count(eng); i++) {
        itsm_record *r;
        itsm_engine_record_at(&r, eng, i);
        const itsm__slarec *s = itsm__sr(r);
        if (!s)
            continue;
        used += (size_t)snprintf(out + used, cap - used, "%x %u", (unsigned)s->flags, (unsigned)s->sla_ovr);
        for (int ck = 0; ck < ITSM__NCK; ck++)
            used += (size_t)snprintf(out + used, cap - used, " %u/%u", s->ck[ck].warned, s->ck[ck].breached);
        used += (size_t)snprintf(out + used, cap - used, "\n");
    }
    return out;
}

/* An incident's update after the story's first `upto` events made a
 * capability's event: its type `type`, its own members `own` (JSON
 * members, each followed by a comma). Caller frees. */
static char *class_event(size_t *upto, const char *type, const char *own)
{
    *upto = find_event("\"type\":\"update\"", "\"kind\":\"incident\"");
    char to[64], kind[2048];
    snprintf(to, sizeof to, "\"type\":\"%s\"", type);
    snprintf(kind, sizeof kind, "\"kind\":\"incident\",%s", own);
    char *typed = edited(story_store.events[*upto], "\"type\":\"update\"", to);
    char *e = edited(typed, "\"kind\":\"incident\",", kind);
    free(typed);
    return e;
}

/* The service levels' classes read their members as the binary replay
 * decoded them (itsm__evclass.read_members), not as a value tree: every
 * member's type and value taken or refused as the tree path takes or
 * refuses it (same code, message and records), and an event taken
 * applies the same (the clocks' warnings and breaches, the flags). */
static void a_service_level_event_reads_its_members_as_the_tree_path_reads_them(void **state)
{
    (void)state;
    static const struct { const char *type, *own; int want; } cases[] = {
        { "sla_warning", "\"timer\":\"response\",\"level\":1,\"due\":\"2026-03-02T10:00:00Z\",\"audience\":[\"desk\",\"lead\"],", ITSM_OK },
        { "sla_warning", "\"timer\":\"resolution\",\"level\":3,", ITSM_OK },
        { "sla_warning", "\"timer\":\"ola\",\"level\":0,\"audience\":[],", ITSM_OK },
        { "sla_breach", "\"timer\":\"resolution\",\"audience\":[\"desk\"],", ITSM_OK },
        { "sla_breach", "\"timer\":\"response\",\"due\":\"2026-03-02T23:59:59Z\",", ITSM_OK },
        { "update_overdue", "\"due\":\"2026-03-02T10:00:00Z\",\"audience\":\"desk\",", ITSM_OK },
        { "major_groups_engaged", "\"groups\":[\"network\",\"storage\",\"db\",\"apps\"],", ITSM_OK },
        { "major_decided", "\"accepted\":true,\"manager\":\"mm\",", ITSM_OK },
        { "major_decided", "\"accepted\":false,\"manager\":\"mm\",", ITSM_OK },
        { "functional_escalation", "\"level\":2,\"group\":\"network\",\"tried\":\"restarted it \xc3\xa9\",", ITSM_OK },
        { "sla_assigned", "\"sla\":\"gold\",", ITSM_OK },
        { "major_communication_issued", "", ITSM_OK },
        { "sla_warning", "\"level\":1,", ITSM_EPARSE },
        { "sla_warning", "\"timer\":\"response\",\"level\":-1,", ITSM_EPARSE },
        { "sla_warning", "\"timer\":\"response\",\"level\":1000001,", ITSM_EPARSE },
        { "sla_warning", "\"timer\":\"response\",\"level\":\"1\",", ITSM_EPARSE },
        { "sla_warning", "\"timer\":\"response\",\"level\":1.5,", ITSM_EPARSE },
        { "sla_warning", "\"timer\":\"response\",\"level\":null,", ITSM_EPARSE },
        { "sla_warning", "\"timer\":\"bogus\",\"level\":1,", ITSM_EPARSE },
        { "sla_warning", "\"timer\":5,\"level\":1,", ITSM_EPARSE },
        { "sla_warning", "\"timer\":\"response\",\"level\":1,\"due\":\"tomorrow\",", ITSM_EPARSE },
        { "sla_warning", "\"timer\":\"response\",\"level\":1,\"due\":\"2026-03-02T24:00:00Z\",", ITSM_EPARSE },
        { "sla_warning", "\"timer\":\"response\",\"level\":1,\"due\":null,", ITSM_EPARSE },
        { "sla_warning", "\"timer\":\"response\",\"level\":1,\"audience\":[\"a\",\"b\",\"c\",\"d\",\"e\"],", ITSM_EPARSE },
        { "sla_warning", "\"timer\":\"response\",\"level\":1,\"audience\":[\"desk\",3],", ITSM_EPARSE },
        { "sla_warning", "\"timer\":\"response\",\"level\":1,\"audience\":[\"de\\u0007sk\"],", ITSM_EPARSE },
        { "sla_warning", "\"timer\":\"response\",\"level\":1,\"audience\":[\"de\\u0000sk\"],", ITSM_EPARSE },
        { "sla_warning", "\"timer\":\"response\",\"level\":1,\"audience\":\"desk\",", ITSM_EPARSE },
        { "sla_warning", "\"timer\":\"response\",\"level\":1,\"colour\":\"red\",", ITSM_EPARSE },
        { "update_overdue", "\"due\":\"2026-03-02T10:00:00Z\",", ITSM_EPARSE },
        { "update_overdue", "\"due\":\"2026-03-02T10:00:00Z\",\"audience\":\"\",", ITSM_EPARSE },
        { "major_decided", "\"accepted\":1,\"manager\":\"mm\",", ITSM_EPARSE },
        { "functional_escalation", "\"level\":2,\"tried\":\"\",", ITSM_EPARSE },
        { "sla_assigned", "\"sla\":null,", ITSM_EPARSE },
    };
    for (size_t c = 0; c < sizeof cases / sizeof *cases; c++) {
        size_t i;
        char *e = class_event(&i, cases[c].type, cases[c].own);
        judged_json(i, e, cases[c].want);
        if (cases[c].want == ITSM_OK) {
            blob x = to_bin(e);
            itsm_engine *fast = replayed(i, 0), *tree = replayed(i, 1);
            assert_ok(itsm_engine_replay(fast, x.b, x.n, NULL));
            assert_ok(itsm_engine_replay(tree, x.b, x.n, NULL));
            char *a = sla_state(fast), *b = sla_state(tree);
            assert_string_equal(a, b);
            free(a), free(b);
            itsm_engine_free(fast);
            itsm_engine_free(tree);
        }
        free(e);
    }
}

/* ---- loading a store of binary events (the chain checked) ---- */

typedef struct binstore { blob *ev; size_t n; } binstore;

static int bs_append(void *user, const itsm_event *const *evs, size_t n)
{
    (void)user, (void)evs, (void)n;
    return ITSM_ESTORE;
}

static int bs_scan(void *user, itsm_store_emit_fn emit, void *ctx)
{
    binstore *s = user;
    for (size_t i = 0; i < s->n; i++) {
        int rc = emit(ctx, (const char *)s->ev[i].b, s->ev[i].n);
        if (rc)
            return rc;
    }
    return ITSM_OK;
}

static const itsm_store binstore_methods = { ITSM_STORE_VERSION, bs_append, bs_scan, NULL, NULL, NULL };

/* The story's store in the binary form, event `skip` left out (none when
 * out of range) and event `swap` given `json` instead. */
static binstore story_bin(size_t skip, size_t swap, const char *json)
{
    binstore s = { calloc(story_store.n, sizeof(blob)), 0 };
    for (size_t i = 0; i < story_store.n; i++)
        if (i != skip)
            s.ev[s.n++] = to_bin(i == swap ? json : story_store.events[i]);
    return s;
}

/* Load `s` on both paths: the same code and message; on a refusal the
 * engine is empty again. */
static const char *loaded(binstore *s, int want)
{
    static char msg[1024];
    itsm_engine *e[2];
    for (int tree = 0; tree < 2; tree++) {
        itsm_engine_opts o = ITSM_ENGINE_OPTS_INIT;
        o.store = &binstore_methods;
        o.store_user = s;
        assert_ok(itsm_engine_new(&e[tree], &o));
        e[tree]->replay_tree = tree;
        int rc = itsm_engine_load(e[tree]);
        if (rc != want)
            fail_msg("%s path: %s \"%s\", wanted %s", tree ? "tree" : "fast", itsm_errname(rc),
                     itsm_errmsg(e[tree]), itsm_errname(want));
    }
    assert_string_equal(itsm_errmsg(e[0]), itsm_errmsg(e[1]));
    char *a = engine_dump(e[0]), *b = engine_dump(e[1]);
    assert_string_equal(a, b);
    if (want == ITSM_OK) {
        char *live = replay_dump(&story_store);
        assert_string_equal(a, live);
        free(live);
    } else {
        assert_int_equal(itsm_engine_record_count(e[0]), 0);
    }
    snprintf(msg, sizeof msg, "%s", itsm_errmsg(e[0]));
    free(a), free(b);
    itsm_engine_free(e[0]);
    itsm_engine_free(e[1]);
    free(s->ev);
    return msg;
}

static void a_binary_store_loads_with_its_chain_verified(void **state)
{
    (void)state;
    binstore s = story_bin(SIZE_MAX, SIZE_MAX, NULL);
    loaded(&s, ITSM_OK);
}

static void a_missing_event_in_a_loaded_store_is_tampering(void **state)
{
    (void)state;
    size_t i = find_event("\"type\":\"update\"", NULL);
    binstore s = story_bin(i, SIZE_MAX, NULL);
    const char *msg = loaded(&s, ITSM_ETAMPER);
    assert_non_null(strstr(msg, "missing or moved"));
    assert_non_null(strstr(msg, "revision"));
}

static void an_event_changed_under_its_hash_is_tampering(void **state)
{
    (void)state;
    size_t i = find_event("\"impact\":2", "\"hash\":\"");
    char *e = edited(story_store.events[i], "\"impact\":2", "\"impact\":3");
    binstore s = story_bin(SIZE_MAX, i, e);
    const char *msg = loaded(&s, ITSM_ETAMPER);
    assert_non_null(strstr(msg, "does not match its hash"));
    assert_non_null(strstr(msg, "revision"));
    free(e);
}

static void a_stale_duplicate_with_other_content_is_tampering(void **state)
{
    (void)state;
    /* the store holds an earlier revision again, its content changed
     * (catching up over a live engine's records: tests/test_replay_duplicates.c) */
    size_t i = find_event("\"impact\":2", NULL);
    binstore s = story_bin(SIZE_MAX, SIZE_MAX, NULL);
    char *e = edited(story_store.events[i], "\"impact\":2", "\"impact\":3");
    s.ev = realloc(s.ev, (s.n + 1) * sizeof *s.ev);
    s.ev[s.n++] = to_bin(e);
    const char *msg = loaded(&s, ITSM_ETAMPER);
    assert_non_null(strstr(msg, "repeated or moved"));
    assert_non_null(strstr(msg, "revision 1"));
    free(e);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_stored_event_applies_as_the_tree_path_applies_it),
        cmocka_unit_test(a_cut_event_is_refused_as_malformed),
        cmocka_unit_test(a_number_not_in_its_shortest_form_is_refused),
        cmocka_unit_test(an_unknown_member_is_refused),
        cmocka_unit_test(a_member_twice_is_refused),
        cmocka_unit_test(a_member_twice_is_refused_when_it_was_null_first),
        cmocka_unit_test(an_unknown_field_is_refused),
        cmocka_unit_test(a_value_the_field_does_not_take_is_refused),
        cmocka_unit_test(a_symbol_met_before_applies_and_a_bad_one_is_refused),
        cmocka_unit_test(a_time_on_a_day_met_before_is_read_as_any_time),
        cmocka_unit_test(a_nul_in_the_record_id_is_refused),
        cmocka_unit_test(a_transition_from_another_state_is_a_conflict),
        cmocka_unit_test(a_transition_names_an_event_or_state_the_policy_has),
        cmocka_unit_test(a_revision_gap_is_refused_naming_record_and_revision),
        cmocka_unit_test(an_event_for_an_unknown_record_is_not_found),
        cmocka_unit_test(an_unknown_policy_version_is_refused_naming_record_and_revision),
        cmocka_unit_test(a_string_that_is_not_utf8_is_refused_in_every_member),
        cmocka_unit_test(a_service_level_event_reads_its_members_as_the_tree_path_reads_them),
        cmocka_unit_test(a_binary_store_loads_with_its_chain_verified),
        cmocka_unit_test(a_missing_event_in_a_loaded_store_is_tampering),
        cmocka_unit_test(an_event_changed_under_its_hash_is_tampering),
        cmocka_unit_test(a_stale_duplicate_with_other_content_is_tampering),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
