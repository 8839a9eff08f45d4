/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A step's clear of an int field, built-in or custom, is written null and
 * replays as unset, so a store replays into exactly the records the engine
 * that wrote it holds (docs/events.md, "set: field values by type"). The
 * forms older engines wrote for such a clear (0) still replay: as unset
 * wherever 0 is not a value of the field, as the value 0 where it is one.
 */
#include "support.h"
#include "kit/sha256.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Every built-in int field a step may clear (the engine-owned counters
 * cannot be). */
static const itsm_field clearable[] = {
    ITSM_F_IMPACT, ITSM_F_URGENCY, ITSM_F_PRIORITY, ITSM_F_FUNCTIONAL_LEVEL, ITSM_F_HIERARCHICAL_LEVEL,
};
#define NCLEARABLE (sizeof clearable / sizeof clearable[0])

static itsm_field seats, credits;

/* The default policy plus seats (int seats_min..9) and credits (int
 * -5..5: 0 is a value) on incidents; "wipe" (new -> new) clears every
 * clearable built-in int and both custom ones. */
static itsm_policy *wipe_policy_from(int64_t seats_min)
{
    itsm_policy *p;
    assert_ok(itsm_policy_new_default(&p, NULL));
    itsm_field_def d = ITSM_FIELD_DEF_INIT;
    d.name = "seats";
    d.type = ITSM_TYPE_INT;
    d.min = seats_min;
    d.max = 9;
    assert_ok(itsm_policy_add_field(p, &d, &seats));
    d.name = "credits";
    d.min = -5;
    d.max = 5;
    assert_ok(itsm_policy_add_field(p, &d, &credits));
    assert_ok(itsm_policy_add_event(p, ITSM_KIND_INCIDENT, "wipe"));
    itsm_transition_def x = ITSM_TRANSITION_DEF_INIT;
    x.from = "new";
    x.event = "wipe";
    x.to = "new";
    x.clear = "impact urgency priority functional_level hierarchical_level seats credits";
    assert_ok(itsm_policy_add_transition(p, ITSM_KIND_INCIDENT, &x));
    return p;
}

/* Seats 1..9: 0 is no value of it. */
static itsm_policy *wipe_policy(void) { return wipe_policy_from(1); }

static itsm_engine *engine_under(const itsm_policy *p, memstore *s, vclock *c)
{
    c->now = T0;
    memstore_init(s);
    return engine_over(s, c, p);
}

/* An incident with every field "wipe" clears set (impact 2 x urgency 2
 * derives priority). */
static itsm_record *full_incident(itsm_engine *eng, const char *id)
{
    itsm_change ch[] = {
        { ITSM_F_SUMMARY, "Mail is down", 0 },  { ITSM_F_IMPACT, NULL, 2 },
        { ITSM_F_URGENCY, NULL, 2 },            { ITSM_F_FUNCTIONAL_LEVEL, NULL, 2 },
        { ITSM_F_HIERARCHICAL_LEVEL, NULL, 3 }, { seats, NULL, 4 },
        { credits, NULL, -2 },
    };
    itsm_record_opts o = ITSM_RECORD_OPTS_INIT;
    o.id = id;
    o.fields = ch;
    o.nfields = sizeof ch / sizeof ch[0];
    itsm_record *r;
    assert_ok(itsm_record_open(&r, eng, &o));
    return r;
}

/* An engine over a fresh store where INC1, opened with every field
 * "wipe" clears set, was wiped a minute later; *r its INC1. */
static itsm_engine *wiped(const itsm_policy *p, memstore *s, vclock *c, itsm_record **r)
{
    itsm_engine *eng = engine_under(p, s, c);
    itsm_record *inc = full_incident(eng, "INC1");
    assert_true(itsm_record_has(inc, ITSM_F_PRIORITY));   /* derived from impact and urgency */
    c->now += 60;
    assert_ok(itsm_record_fire(inc, "wipe", NULL, 0));
    if (r)
        *r = inc;
    return eng;
}

static void assert_all_unset(const itsm_record *r)
{
    for (size_t i = 0; i < NCLEARABLE; i++) {
        if (itsm_record_has(r, clearable[i]))
            fail_msg("%s is still set", itsm_field_name(clearable[i]));
        assert_int_equal(itsm_record_int(r, clearable[i]), 0);
    }
    assert_false(itsm_record_has(r, seats));
    assert_false(itsm_record_has(r, credits));
}

/* An engine under `p` with the events of `s` replayed, and its dump. */
static char *replayed_dump(const itsm_policy *p, const memstore *s, itsm_engine **out)
{
    itsm_engine *eng = NULL;
    itsm_engine_opts o = ITSM_ENGINE_OPTS_INIT;
    o.policy = p;
    assert_ok(itsm_engine_new(&eng, &o));
    replay_store_into(eng, s);
    char *d = engine_dump(eng);
    if (out)
        *out = eng;
    else
        itsm_engine_free(eng);
    return d;
}

static void a_cleared_int_is_written_null_and_replays_unset(void **state)
{
    (void)state;
    itsm_policy *p = wipe_policy();
    memstore s;
    vclock c;
    itsm_record *r;
    itsm_engine *eng = wiped(p, &s, &c, &r);
    assert_all_unset(r);
    const char *ev = s.events[s.n - 1];
    for (size_t i = 0; i < NCLEARABLE; i++) {
        char want[64];
        snprintf(want, sizeof want, "\"%s\":null", itsm_field_name(clearable[i]));
        if (!strstr(ev, want))
            fail_msg("no %s in %s", want, ev);
    }
    assert_non_null(strstr(ev, "\"seats\":null"));
    assert_non_null(strstr(ev, "\"credits\":null"));

    /* Set again after the clear, then replay: the same records. */
    c.now += 60;
    assert_ok(itsm_record_set_int(r, ITSM_F_IMPACT, 3));
    full_incident(eng, "INC2");
    char *live = engine_dump(eng);
    itsm_engine *back;
    char *again = replayed_dump(p, &s, &back);
    assert_string_equal(live, again);
    itsm_record *b;
    assert_ok(itsm_record_find(&b, back, "INC1"));
    assert_true(itsm_record_has(b, ITSM_F_IMPACT));
    assert_false(itsm_record_has(b, ITSM_F_URGENCY));

    /* The binary form of the same events replays alike. */
    itsm_engine *bineng = NULL;
    itsm_engine_opts bo = ITSM_ENGINE_OPTS_INIT;
    bo.policy = p;
    assert_ok(itsm_engine_new(&bineng, &bo));
    for (size_t i = 0; i < s.n; i++) {
        unsigned char bin[8192];
        size_t len = 0;
        assert_ok(itsm_event_json_to_binary(s.events[i], strlen(s.events[i]), bin, sizeof bin, &len, NULL));
        assert_ok(itsm_engine_replay(bineng, bin, len, NULL));
    }
    char *viabin = engine_dump(bineng);
    assert_string_equal(live, viabin);
    free(viabin);
    itsm_engine_free(bineng);

    /* And through the store: a load verifies every hash the clears carry. */
    itsm_engine *loaded = engine_over(&s, &c, p);
    assert_ok(itsm_engine_load(loaded));
    char *viaload = engine_dump(loaded);
    assert_string_equal(live, viaload);
    free(viaload);
    itsm_engine_free(loaded);

    free(live);
    free(again);
    itsm_engine_free(back);
    itsm_engine_free(eng);
    memstore_free(&s);
    itsm_policy_free(p);
}

/* Null is a step's clear, not a value to set: not in an update, never of
 * the counters, and a caller cannot pass the unset value for a number. */
static void null_is_refused_for_the_counters_and_unset_is_no_value(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *r;
    itsm_change ch[] = { { ITSM_F_SUMMARY, "Mail is down", 0 } };
    itsm_record_opts o = ITSM_RECORD_OPTS_INIT;
    o.id = "INC1";
    o.fields = ch;
    o.nfields = 1;
    assert_ok(itsm_record_open(&r, f.eng, &o));
    assert_fails(f.eng, itsm_record_set_int(r, ITSM_F_IMPACT, INT64_MIN), ITSM_EINVAL, "impact");
    static const char *const bad[] = {
        "{\"v\":1,\"type\":\"update\",\"record\":\"INC1\",\"kind\":\"incident\",\"rev\":2,"
        "\"at\":\"2026-03-02T09:05:00Z\",\"set\":{\"reopens\":null}}",
        "{\"v\":1,\"type\":\"update\",\"record\":\"INC1\",\"kind\":\"incident\",\"rev\":2,"
        "\"at\":\"2026-03-02T09:05:00Z\",\"set\":{\"reassignments\":null}}",
        "{\"v\":1,\"type\":\"update\",\"record\":\"INC1\",\"kind\":\"incident\",\"rev\":2,"
        "\"at\":\"2026-03-02T09:05:00Z\",\"set\":{\"impact\":-9223372036854775808}}",
        "{\"v\":1,\"type\":\"update\",\"record\":\"INC1\",\"kind\":\"incident\",\"rev\":2,"
        "\"at\":\"2026-03-02T09:05:00Z\",\"set\":{\"impact\":null}}",
        "{\"v\":1,\"type\":\"update\",\"record\":\"INC1\",\"kind\":\"incident\",\"rev\":2,"
        "\"at\":\"2026-03-02T09:05:00Z\",\"set\":{\"impact\":0}}",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_int_equal(itsm_engine_replay_json(f.eng, bad[i], strlen(bad[i]), NULL), ITSM_EPARSE);
    assert_int_equal(itsm_record_revision(r), 1);
    fixture_close(&f);
}

/* ---- the forms of older engines ---- */

/* Replace the first `from` in the stored event `*json` by `to`. */
static void edit(char **json, const char *from, const char *to)
{
    char *at = strstr(*json, from);
    if (!at)
        fail_msg("no %s in %s", from, *json);
    size_t n = strlen(*json) - strlen(from) + strlen(to) + 1;
    char *out = malloc(n);
    assert_non_null(out);
    snprintf(out, n, "%.*s%s%s", (int)(at - *json), *json, to, at + strlen(from));
    free(*json);
    *json = out;
}

/* Seal a stored event again after an edit: its hash recomputed over its
 * binary form from the link `prev_hex` (the record's previous event's),
 * as the engine that wrote the older form did. */
static void reseal(char **json, const char *prev_hex)
{
    char *h = strstr(*json, ",\"hash\":\"");
    assert_non_null(h);
    strcpy(h, "}");
    unsigned char prev[32], link[32], bin[8192];
    assert_int_equal(itsm__unhex32(prev_hex, 64, prev), 0);
    size_t len = 0;
    assert_ok(itsm_event_json_to_binary(*json, strlen(*json), bin, sizeof bin, &len, NULL));
    itsm__sha256 sh;
    itsm__sha256_init(&sh);
    itsm__sha256_update(&sh, prev, 32);
    itsm__sha256_update(&sh, bin, len);
    itsm__sha256_final(&sh, link);
    char hex[65], tail[80];
    itsm__hex32(link, hex);
    snprintf(tail, sizeof tail, ",\"hash\":\"%s\"}", hex);
    h[0] = '\0';   /* the closing brace goes, the hash and a brace come */
    size_t n = strlen(*json) + strlen(tail) + 1;
    char *out = malloc(n);
    assert_non_null(out);
    snprintf(out, n, "%s%s", *json, tail);
    free(*json);
    *json = out;
}

static const char *hash_of(const char *json, char hex[65])
{
    const char *h = strstr(json, "\"hash\":\"");
    assert_non_null(h);
    snprintf(hex, 65, "%.64s", h + strlen("\"hash\":\""));
    return hex;
}

/* Older engines wrote a clear of an int as 0: of a built-in one always
 * (refused on replay: impact's range has no 0), of a custom one until
 * clears were written null (when a custom int holding 0 was unset).
 * Where 0 is not a value of the field the form is a clear and nothing
 * else, and replays as one - hash and duplicates included. Where 0 is a
 * value (credits -5..5, hierarchical_level 0..9) it replays as the value
 * 0: a newer engine writes that for a set to 0, and the two cannot be told
 * apart. The range is the one of the policy version the event names. */
static void the_older_form_of_a_clear_replays_as_unset_where_0_is_no_value(void **state)
{
    (void)state;
    itsm_policy *p = wipe_policy();
    memstore s;
    vclock c;
    itsm_engine_free(wiped(p, &s, &c, NULL));

    /* The clear as an older engine wrote it, sealed as that engine did. */
    char prev[65];
    hash_of(s.events[s.n - 2], prev);
    char **ev = &s.events[s.n - 1];
    edit(ev, "\"impact\":null", "\"impact\":0");
    edit(ev, "\"urgency\":null", "\"urgency\":0");
    edit(ev, "\"priority\":null", "\"priority\":0");
    edit(ev, "\"functional_level\":null", "\"functional_level\":0");
    edit(ev, "\"hierarchical_level\":null", "\"hierarchical_level\":0");
    edit(ev, "\"seats\":null", "\"seats\":0");
    edit(ev, "\"credits\":null", "\"credits\":0");
    reseal(ev, prev);

    itsm_engine *loaded = engine_over(&s, &c, p);
    assert_ok(itsm_engine_load(loaded));
    itsm_record *b;
    assert_ok(itsm_record_find(&b, loaded, "INC1"));
    assert_non_null(strstr(*ev, "\"seats\":0"));
    for (size_t i = 0; i < NCLEARABLE; i++)
        assert_false(itsm_record_has(b, clearable[i]));
    assert_false(itsm_record_has(b, seats));
    assert_int_equal(itsm_record_int(b, seats), 0);
    /* 0 is a value of credits: set to 0 (the older engine's "unset"). */
    assert_true(itsm_record_has(b, credits));
    assert_int_equal(itsm_record_int(b, credits), 0);

    /* Judged under the version the event names: an engine made with a
     * later version where 0 is a value of seats reads the clear alike. */
    itsm_policy *wider = wipe_policy_from(0);
    itsm_engine *later = engine_over(&s, &c, wider);
    assert_ok(itsm_engine_load(later));
    itsm_record *lb;
    assert_ok(itsm_record_find(&lb, later, "INC1"));
    assert_false(itsm_record_has(lb, seats));
    itsm_engine_free(later);
    itsm_policy_free(wider);

    /* Its duplicate is the same event; a step after it chains on. */
    assert_ok(itsm_engine_replay_json(loaded, *ev, strlen(*ev), NULL));
    c.now += 60;
    assert_ok(itsm_record_set_int(b, seats, 2));
    itsm_engine *again = engine_over(&s, &c, p);
    assert_ok(itsm_engine_load(again));
    char *d1 = engine_dump(loaded), *d2 = engine_dump(again);
    assert_string_equal(d1, d2);
    free(d1);
    free(d2);
    itsm_engine_free(again);
    itsm_engine_free(loaded);
    memstore_free(&s);
    itsm_policy_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_cleared_int_is_written_null_and_replays_unset),
        cmocka_unit_test(null_is_refused_for_the_counters_and_unset_is_no_value),
        cmocka_unit_test(the_older_form_of_a_clear_replays_as_unset_where_0_is_no_value),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
