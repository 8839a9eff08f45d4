/* SPDX-License-Identifier: Apache-2.0 */
/* Catching up over events a record has already (include/itsm/engine.h,
 * itsm_engine_replay_json): the same event again - in either form, with
 * or without its hash member - is skipped; one whose content differs from
 * what was applied at that revision is refused with ITSM_ETAMPER naming
 * record and revision, and changes nothing. Engines whose store gives no
 * events back keep nothing to compare with and skip duplicates unchecked. */
#include "support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* INC-D: open (1), a work note (2), an update (3), a customer note (4). */
static void story(fixture *f)
{
    fixture_open(f);
    itsm_change fields[] = { { ITSM_F_SUMMARY, "Mail is slow", 0 }, { ITSM_F_IMPACT, NULL, 2 } };
    itsm_record_opts ro = ITSM_RECORD_OPTS_INIT;
    ro.id = "INC-D";
    ro.fields = fields;
    ro.nfields = 2;
    itsm_record *r;
    assert_ok(itsm_record_open(&r, f->eng, &ro));
    f->clock.now += 60;
    itsm_note_opts no = ITSM_NOTE_OPTS_INIT;
    no.text = "looking at the queue";
    assert_ok(itsm_record_add_note(r, &no));
    f->clock.now += 60;
    itsm_change up[] = { { ITSM_F_URGENCY, NULL, 1 } };
    assert_ok(itsm_record_update(r, up, 1));
    f->clock.now += 60;
    no.kind = ITSM_NOTE_CUSTOMER;
    no.text = "we are on it";
    no.expected_restoration = f->clock.now + 7200;
    no.next_update = f->clock.now + 3600;
    assert_ok(itsm_record_add_note(r, &no));
    assert_int_equal(f->store.n, 4);
    for (size_t i = 0; i < f->store.n; i++)   /* the store keeps the chain */
        assert_non_null(strstr(f->store.events[i], "\"hash\":\""));
}

/* Replay `json` in the form asked (0 JSON, 1 binary). */
static int replay_as(itsm_engine *eng, const char *json, int binary)
{
    if (!binary)
        return itsm_engine_replay_json(eng, json, strlen(json), NULL);
    unsigned char bin[4096];
    size_t n = 0;
    assert_ok(itsm_event_json_to_binary(json, strlen(json), bin, sizeof bin, &n, NULL));
    return itsm_engine_replay(eng, bin, n, NULL);
}

/* `json` with the first `from` replaced by `to`. */
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

static void the_same_events_again_are_skipped_in_either_form(void **state)
{
    (void)state;
    fixture f;
    story(&f);
    char *before = engine_dump(f.eng);
    for (int binary = 0; binary < 2; binary++)
        for (size_t i = 0; i < f.store.n; i++)
            if (replay_as(f.eng, f.store.events[i], binary) != ITSM_OK)
                fail_msg("%s event %zu: %s", binary ? "binary" : "JSON", i + 1, itsm_errmsg(f.eng));
    char *after = engine_dump(f.eng);
    assert_string_equal(after, before);
    free(before), free(after);
    fixture_close(&f);
}

/* The fingerprint is of the event, not of its link: the same event
 * without its "hash" member is still the same event. */
static void the_same_event_without_its_hash_is_skipped(void **state)
{
    (void)state;
    fixture f;
    story(&f);
    const char *ev = f.store.events[1];
    const char *h = strstr(ev, ",\"hash\":\"");
    assert_non_null(h);
    char bare[1024];
    snprintf(bare, sizeof bare, "%.*s}", (int)(h - ev), ev);
    for (int binary = 0; binary < 2; binary++)
        assert_ok(replay_as(f.eng, bare, binary));
    fixture_close(&f);
}

/* Each revision, changed in one member, in both forms: refused, naming
 * the record and the revision, and nothing changes. */
static void a_duplicate_with_other_content_is_refused_naming_record_and_revision(void **state)
{
    (void)state;
    static const struct { size_t rev; const char *from, *to; } changes[] = {
        { 1, "Mail is slow", "Mail is fast" },
        { 2, "looking at the queue", "looking at the queues" },
        { 3, "\"urgency\":1", "\"urgency\":3" },
        { 4, "\"kind\":\"customer\"", "\"kind\":\"work\"" },
        { 2, "\"at\":\"2026-03-02T09:01:00Z\"", "\"at\":\"2026-03-02T09:01:01Z\"" },
    };
    fixture f;
    story(&f);
    char *before = engine_dump(f.eng);
    for (size_t c = 0; c < sizeof changes / sizeof changes[0]; c++)
        for (int binary = 0; binary < 2; binary++) {
            char *bad = edited(f.store.events[changes[c].rev - 1], changes[c].from, changes[c].to);
            char want[64];
            snprintf(want, sizeof want, "record INC-D revision %zu comes again with other content",
                     changes[c].rev);
            assert_fails(f.eng, replay_as(f.eng, bad, binary), ITSM_ETAMPER, want);
            free(bad);
        }
    char *after = engine_dump(f.eng);
    assert_string_equal(after, before);
    /* still in working order: the next event applies */
    itsm_record *r;
    assert_ok(itsm_record_find(&r, f.eng, "INC-D"));
    itsm_note_opts no = ITSM_NOTE_OPTS_INIT;
    no.text = "still here";
    assert_ok(itsm_record_add_note(r, &no));
    assert_int_equal(itsm_record_revision(r), 5);
    free(before), free(after);
    fixture_close(&f);
}

/* Loading a store into an engine that has records catches up: the events
 * it has are compared and skipped, and a store whose event differs from
 * one applied is refused at that event. */
static void loading_over_what_the_engine_has_compares_every_event(void **state)
{
    (void)state;
    fixture f;
    story(&f);
    char *before = engine_dump(f.eng);
    assert_ok(itsm_engine_load(f.eng));
    char *again = engine_dump(f.eng);
    assert_string_equal(again, before);
    char *changed = edited(f.store.events[2], "\"urgency\":1", "\"urgency\":2");
    free(f.store.events[2]);
    f.store.events[2] = changed;
    assert_fails(f.eng, itsm_engine_load(f.eng), ITSM_ETAMPER, "record INC-D revision 3 comes again with other");
    char *after = engine_dump(f.eng);
    assert_string_equal(after, before);
    free(before), free(again), free(after);
    fixture_close(&f);
}

/* An engine without a store keeps no fingerprints (docs/events.md): a
 * duplicate is skipped as before, whatever it holds. */
static void without_a_readable_store_duplicates_are_skipped_unchecked(void **state)
{
    (void)state;
    fixture f;
    story(&f);
    itsm_engine *plain;
    assert_ok(itsm_engine_new(&plain, NULL));
    for (size_t i = 0; i < f.store.n; i++)
        assert_ok(itsm_engine_replay_json(plain, f.store.events[i], strlen(f.store.events[i]), NULL));
    char *bad = edited(f.store.events[1], "looking at the queue", "something else");
    assert_ok(itsm_engine_replay_json(plain, bad, strlen(bad), NULL));
    free(bad);
    itsm_engine_free(plain);
    fixture_close(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_same_events_again_are_skipped_in_either_form),
        cmocka_unit_test(the_same_event_without_its_hash_is_skipped),
        cmocka_unit_test(a_duplicate_with_other_content_is_refused_naming_record_and_revision),
        cmocka_unit_test(loading_over_what_the_engine_has_compares_every_event),
        cmocka_unit_test(without_a_readable_store_duplicates_are_skipped_unchecked),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
