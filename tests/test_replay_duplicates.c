/* SPDX-License-Identifier: Apache-2.0 */
/* Catching up over events a record has already (include/itsm/engine.h,
 * itsm_engine_replay_json): the same event again - in either form, with
 * or without its hash member - is skipped; one whose content differs from
 * what was applied at that revision is refused with ITSM_ETAMPER naming
 * record and revision, and changes nothing. Engines whose store gives no
 * events back keep nothing to compare with and skip duplicates unchecked.
 * What is kept to compare does not grow with the events applied
 * (docs/events.md, "Duplicates"). */
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

/* A store like the memstore but without read_record: it cannot give one
 * record's events back, so older duplicates are compared by the chain. */
static const itsm_store scan_only = { ITSM_STORE_VERSION, NULL, NULL, NULL, NULL, NULL };

static void engine_on(itsm_engine **eng, memstore *s, vclock *clock, const itsm_store *methods,
                      const itsm_allocator *alloc)
{
    itsm_engine_opts o = ITSM_ENGINE_OPTS_INIT;
    o.store = methods;
    o.store_user = s;
    o.clock = vclock_read;
    o.clock_user = clock;
    if (alloc)
        o.alloc = *alloc;
    assert_ok(itsm_engine_new(eng, &o));
}

/* An engine fed by replay (its own store never saw those events, so it
 * has no copy to read back), or on a store without read_record: the
 * duplicates of a record met again from revision 1 on are checked along
 * its chain - the changed one is refused at its revision. */
static void duplicates_met_in_order_are_checked_along_the_chain_without_a_stored_copy(void **state)
{
    (void)state;
    fixture f;
    story(&f);
    for (int readable = 0; readable < 2; readable++) {
        itsm_store methods = memstore_methods;
        if (!readable) {
            methods = scan_only;
            methods.append = memstore_methods.append;
            methods.scan = memstore_methods.scan;
        }
        memstore empty;
        memstore_init(&empty);
        vclock clock = f.clock;
        itsm_engine *eng;
        engine_on(&eng, &empty, &clock, &methods, NULL);
        for (size_t i = 0; i < f.store.n; i++)
            assert_ok(itsm_engine_replay_json(eng, f.store.events[i], strlen(f.store.events[i]), NULL));
        char *before = engine_dump(eng);
        for (size_t i = 0; i < 2; i++)   /* revisions 1 and 2 again: the same */
            assert_ok(itsm_engine_replay_json(eng, f.store.events[i], strlen(f.store.events[i]), NULL));
        char *bad = edited(f.store.events[2], "\"urgency\":1", "\"urgency\":2");
        assert_fails(eng, itsm_engine_replay_json(eng, bad, strlen(bad), NULL), ITSM_ETAMPER,
                     "record INC-D revision 3 comes again with other content");
        free(bad);
        /* the walk goes on from the true revision 3 to the end */
        for (size_t i = 2; i < f.store.n; i++)
            assert_ok(itsm_engine_replay_json(eng, f.store.events[i], strlen(f.store.events[i]), NULL));
        char *after = engine_dump(eng);
        assert_string_equal(after, before);
        free(before), free(after);
        itsm_engine_free(eng);
        memstore_free(&empty);
    }
    fixture_close(&f);
}

/* Loading over what the engine has with a store that changed an event and
 * recomputed every later hash: each event matches the hash it carries, so
 * the change shows where the chain ends - at the record's newest revision,
 * whose chain is not the one applied. */
static void a_changed_event_with_its_hashes_recomputed_is_refused_at_the_newest_revision(void **state)
{
    (void)state;
    fixture f;
    story(&f);
    /* a second engine's story, differing from revision 3 on: its events
     * carry their own consistent chain */
    fixture g;
    fixture_open(&g);
    itsm_change fields[] = { { ITSM_F_SUMMARY, "Mail is slow", 0 }, { ITSM_F_IMPACT, NULL, 2 } };
    itsm_record_opts ro = ITSM_RECORD_OPTS_INIT;
    ro.id = "INC-D";
    ro.fields = fields;
    ro.nfields = 2;
    itsm_record *r;
    assert_ok(itsm_record_open(&r, g.eng, &ro));
    g.clock.now += 60;
    itsm_note_opts no = ITSM_NOTE_OPTS_INIT;
    no.text = "looking at the queue";
    assert_ok(itsm_record_add_note(r, &no));
    g.clock.now += 60;
    itsm_change up[] = { { ITSM_F_URGENCY, NULL, 2 } };   /* 1 in the first story */
    assert_ok(itsm_record_update(r, up, 1));
    g.clock.now += 60;
    no.text = "another note";
    assert_ok(itsm_record_add_note(r, &no));
    assert_string_equal(g.store.events[0], f.store.events[0]);
    assert_string_equal(g.store.events[1], f.store.events[1]);
    char *before = engine_dump(f.eng);
    for (size_t i = 0; i < f.store.n; i++) {
        free(f.store.events[i]);
        size_t n = strlen(g.store.events[i]) + 1;
        f.store.events[i] = memcpy(malloc(n), g.store.events[i], n);
    }
    assert_fails(f.eng, itsm_engine_load(f.eng), ITSM_ETAMPER, "record INC-D revision 4 comes again ending another chain");
    char *after = engine_dump(f.eng);
    assert_string_equal(after, before);
    free(before), free(after);
    fixture_close(&g);
    fixture_close(&f);
}

/* The bytes an engine holds, by a counting allocator. */
typedef struct counted { long long live; } counted;
typedef struct block { size_t n; long long pad; } block;
static void *c_malloc(void *u, size_t n)
{
    block *b = malloc(sizeof *b + n);
    if (!b)
        return NULL;
    b->n = n;
    ((counted *)u)->live += (long long)n;
    return b + 1;
}
static void *c_realloc(void *u, void *p, size_t n)
{
    if (!p)
        return c_malloc(u, n);
    block *b = (block *)p - 1;
    size_t old = b->n;
    block *nb = realloc(b, sizeof *nb + n);
    if (!nb)
        return NULL;
    nb->n = n;
    ((counted *)u)->live += (long long)n - (long long)old;
    return nb + 1;
}
static void c_free(void *u, void *p)
{
    block *b = (block *)p - 1;
    ((counted *)u)->live -= (long long)b->n;
    free(b);
}

/* What duplicates are compared with is kept per record, not per event:
 * a thousand more updates of one record leave the engine's memory where
 * it was, and duplicates of its early revisions are still compared. */
static void memory_for_duplicates_does_not_grow_with_the_events_applied(void **state)
{
    (void)state;
    counted c = { 0 };
    itsm_allocator a = { c_malloc, c_realloc, c_free, &c };
    memstore s;
    memstore_init(&s);
    vclock clock = { T0 };
    itsm_engine *eng;
    engine_on(&eng, &s, &clock, &memstore_methods, &a);
    itsm_change fields[] = { { ITSM_F_SUMMARY, "Mail is slow", 0 }, { ITSM_F_IMPACT, NULL, 2 } };
    itsm_record_opts ro = ITSM_RECORD_OPTS_INIT;
    ro.id = "INC-M";
    ro.fields = fields;
    ro.nfields = 2;
    itsm_record *r;
    assert_ok(itsm_record_open(&r, eng, &ro));
    long long at[2] = { 0, 0 };
    for (int round = 0; round < 2; round++) {
        for (int i = 0; i < 1000; i++) {
            itsm_change up[] = { { ITSM_F_URGENCY, NULL, 1 + i % 3 } };
            clock.now += 1;
            assert_ok(itsm_record_update(r, up, 1));
        }
        at[round] = c.live;
    }
    assert_true(at[1] == at[0]);
    char *bad = edited(s.events[1], "\"urgency\":1", "\"urgency\":3");
    assert_fails(eng, itsm_engine_replay_json(eng, bad, strlen(bad), NULL), ITSM_ETAMPER,
                 "record INC-M revision 2 comes again with other content");
    assert_ok(itsm_engine_replay_json(eng, s.events[1], strlen(s.events[1]), NULL));
    free(bad);
    itsm_engine_free(eng);
    memstore_free(&s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_same_events_again_are_skipped_in_either_form),
        cmocka_unit_test(the_same_event_without_its_hash_is_skipped),
        cmocka_unit_test(a_duplicate_with_other_content_is_refused_naming_record_and_revision),
        cmocka_unit_test(loading_over_what_the_engine_has_compares_every_event),
        cmocka_unit_test(without_a_readable_store_duplicates_are_skipped_unchecked),
        cmocka_unit_test(duplicates_met_in_order_are_checked_along_the_chain_without_a_stored_copy),
        cmocka_unit_test(a_changed_event_with_its_hashes_recomputed_is_refused_at_the_newest_revision),
        cmocka_unit_test(memory_for_duplicates_does_not_grow_with_the_events_applied),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
