/* SPDX-License-Identifier: Apache-2.0 */
/* Tampering found by the hash chain (itsm/integrity.h): a store edited by
 * hand names its first broken link; an event removed, moved, repeated or
 * added is detected; a tampered event replayed changes nothing; a load into
 * an engine with records catches up; running out of memory while emptying
 * after a tampered load breaks the engine. */
#include "chain_check.h"

/* The message of the load that found the store tampered. */
static void expect_broken_because(memstore *s, const char *why, const char *id, int rev, const char *because)
{
    itsm_engine *eng;
    int rc = load_into(&eng, s);
    if (rc != ITSM_ETAMPER || !strstr(itsm_errmsg(eng), because))
        fail_msg("%s: load gave %s (%s), not ITSM_ETAMPER saying '%s'", why, itsm_errname(rc), itsm_errmsg(eng),
                 because);
    itsm_engine_free(eng);
    expect_broken(s, why, id, rev);
}

static void a_store_edited_by_hand_names_its_first_broken_link(void **state)
{
    (void)state;
    memstore s;
    /* A value changed. */
    story_store(&s, NULL);
    size_t i = event_at(&s, "INC-000001", 2);
    edit(&s, i, "\"rev\":2,", "\"rev\":2,");   /* found: the event is there */
    edit(&s, i, "\"actor\":\"alice\"", "\"actor\":\"mallory\"");
    expect_broken(&s, "an actor changed", "INC-000001", 2);
    memstore_free(&s);

    /* The hash itself changed. */
    story_store(&s, NULL);
    i = event_at(&s, "INC-000001", 3);
    char *h = strstr(s.events[i], ",\"hash\":\"") + strlen(",\"hash\":\"");
    h[0] = h[0] == '0' ? '1' : '0';
    expect_broken(&s, "a hash changed", "INC-000001", 3);
    memstore_free(&s);

    /* A value changed and its own hash recomputed: the next link breaks. */
    story_store(&s, NULL);
    i = event_at(&s, "INC-000001", 2);
    edit(&s, i, "\"actor\":\"alice\"", "\"actor\":\"mallory\"");
    reseal(&s, i, 0);
    expect_broken(&s, "an edit resealed alone", "INC-000001", 3);
    memstore_free(&s);

    /* The hash removed. */
    story_store(&s, NULL);
    i = event_at(&s, "PRB-000001", 2);
    char hash[65];
    free(canonical(s.events[i], hash));
    char member[80];
    snprintf(member, sizeof member, ",\"hash\":\"%s\"", hash);
    edit(&s, i, member, "");
    expect_broken(&s, "a hash removed", "PRB-000001", 2);
    memstore_free(&s);

    /* A well-formed hash of another event. */
    story_store(&s, NULL);
    i = event_at(&s, "INC-000001", 2);
    char other[65];
    free(canonical(s.events[event_at(&s, "INC-000001", 3)], other));
    free(canonical(s.events[i], hash));
    edit(&s, i, hash, other);
    expect_broken_because(&s, "another event's hash", "INC-000001", 2, "does not match its hash");
    memstore_free(&s);
}

static char *dup(const char *text)
{
    size_t n = strlen(text) + 1;
    return memcpy(malloc(n), text, n);
}

/* Take event i out of the store. */
static char *take(memstore *s, size_t i)
{
    char *e = s->events[i];
    memmove(&s->events[i], &s->events[i + 1], (s->n - i - 1) * sizeof *s->events);
    s->n--;
    return e;
}

/* Put `e` into the store at index i. */
static void put(memstore *s, size_t i, char *e)
{
    if (s->n == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 64;
        s->events = realloc(s->events, s->cap * sizeof *s->events);
    }
    memmove(&s->events[i + 1], &s->events[i], (s->n - i) * sizeof *s->events);
    s->events[i] = e;
    s->n++;
}

/* Rewrite the "rev" of every event of `id` from revision `from` on by `by`. */
static void renumber(memstore *s, const char *id, int from, int by)
{
    char want[120];
    snprintf(want, sizeof want, "\"record\":\"%s\",", id);
    for (size_t i = 0; i < s->n; i++) {
        const char *p = strstr(s->events[i], "\"rev\":");
        if (!strstr(s->events[i], want) || !p)
            continue;
        int rev = atoi(p + strlen("\"rev\":"));
        if (rev < from)
            continue;
        char a[32], b[32];
        snprintf(a, sizeof a, "\"rev\":%d,", rev);
        snprintf(b, sizeof b, "\"rev\":%d,", rev + by);
        edit(s, i, a, b);
    }
}

/* Every way to remove, move, repeat or add a stored event by hand is
 * found at the first event it breaks: a revision out of sequence, or a
 * link of the chain that no longer matches. */
static void an_event_removed_moved_repeated_or_added_is_detected(void **state)
{
    (void)state;
    memstore s;

    /* Removed from the middle: the revision after it comes too early. */
    story_store(&s, NULL);
    free(take(&s, event_at(&s, "INC-000001", 2)));
    expect_broken_because(&s, "an event removed", "INC-000001", 3, "comes where revision 2 should");
    memstore_free(&s);

    /* Removed, and the later revisions renumbered to close the gap: the
     * event now at revision 2 is not the one its hash chained. */
    story_store(&s, NULL);
    free(take(&s, event_at(&s, "INC-000001", 2)));
    renumber(&s, "INC-000001", 3, -1);
    expect_broken_because(&s, "an event removed, the gap closed", "INC-000001", 2, "does not match its hash");
    memstore_free(&s);

    /* A record's open event removed: its next event has no record. */
    story_store(&s, NULL);
    free(take(&s, event_at(&s, "KB-000001", 1)));
    expect_broken_because(&s, "an open event removed", "KB-000001", 2, "belongs to a record the store never opened");
    memstore_free(&s);

    /* Two events of a record swapped in the store. */
    story_store(&s, NULL);
    size_t a = event_at(&s, "INC-000001", 2), b = event_at(&s, "INC-000001", 3);
    char *t = s.events[a];
    s.events[a] = s.events[b];
    s.events[b] = t;
    expect_broken_because(&s, "two events swapped", "INC-000001", 3, "comes where revision 2 should");
    memstore_free(&s);

    /* ... and their revisions swapped too, so they come in sequence. */
    story_store(&s, NULL);
    a = event_at(&s, "INC-000001", 2);
    b = event_at(&s, "INC-000001", 3);
    edit(&s, a, "\"rev\":2,", "\"rev\":3,");
    edit(&s, b, "\"rev\":3,", "\"rev\":2,");
    t = s.events[a];
    s.events[a] = s.events[b];
    s.events[b] = t;
    expect_broken_because(&s, "two events swapped, revisions too", "INC-000001", 2, "does not match its hash");
    memstore_free(&s);

    /* An event repeated further on (the skip of a catch-up would hide it). */
    story_store(&s, NULL);
    a = event_at(&s, "INC-000001", 2);
    b = event_at(&s, "INC-000001", 3);
    char *copy = dup(s.events[a]);
    put(&s, b + 1, copy);
    expect_broken_because(&s, "an event repeated", "INC-000001", 2, "comes again after revision 3");
    memstore_free(&s);

    /* An open event repeated. */
    story_store(&s, NULL);
    copy = dup(s.events[event_at(&s, "PRB-000001", 1)]);
    put(&s, s.n, copy);
    expect_broken_because(&s, "an open event repeated", "PRB-000001", 1, "comes again after revision");
    memstore_free(&s);

    /* An event added in the middle, the later revisions moved up. */
    story_store(&s, NULL);
    a = event_at(&s, "INC-000001", 2);
    copy = dup(s.events[a]);
    renumber(&s, "INC-000001", 3, 1);
    put(&s, a + 1, copy);
    edit(&s, a + 1, "\"rev\":2,", "\"rev\":3,");
    expect_broken_because(&s, "an event added, revisions moved up", "INC-000001", 3, "does not match its hash");
    memstore_free(&s);

    /* An event added at the end of a record, with a hash copied from its
     * predecessor, or without one. */
    story_store(&s, NULL);
    itsm_engine *eng;
    assert_ok(load_into(&eng, &s));
    itsm_record *r;
    assert_ok(itsm_record_find(&r, eng, "INC-000001"));
    int last = (int)itsm_record_revision(r);
    itsm_engine_free(eng);
    size_t note = 0;
    for (size_t k = 0; k < s.n; k++)
        if (strstr(s.events[k], "\"type\":\"note\",\"record\":\"INC-000001\""))
            note = k;
    assert_true(note > 0);
    copy = dup(s.events[note]);
    put(&s, s.n, copy);
    char from[32], to[32];
    const char *rv = strstr(copy, "\"rev\":");
    snprintf(from, sizeof from, "\"rev\":%d,", atoi(rv + strlen("\"rev\":")));
    snprintf(to, sizeof to, "\"rev\":%d,", last + 1);
    edit(&s, s.n - 1, from, to);
    expect_broken_because(&s, "an event added at the end", "INC-000001", last + 1, "does not match its hash");
    char hash[65], member[80];
    free(canonical(s.events[s.n - 1], hash));
    snprintf(member, sizeof member, ",\"hash\":\"%s\"", hash);
    edit(&s, s.n - 1, member, "");
    expect_broken_because(&s, "an event added without a hash", "INC-000001", last + 1,
                          "carries no hash, but the record's earlier events did");
    memstore_free(&s);
}

/* One event refused on replay leaves the engine exactly as it was: its
 * records, their heads and the audit document; the genuine event is taken
 * after it. */
static void a_tampered_event_replayed_changes_nothing(void **state)
{
    (void)state;
    memstore s;
    itsm_engine *live;
    story_store(&s, &live);
    itsm_engine *follower;
    assert_ok(load_into(&follower, &s));
    char *dump = engine_dump(follower);
    size_t len = 0;
    assert_int_equal(itsm_engine_audit_to_json(follower, NULL, 0, &len), ITSM_ELIMIT);
    char *audit = malloc(len + 1);
    assert_ok(itsm_engine_audit_to_json(follower, audit, len + 1, &len));

    itsm_record *r = an_open_record(live);
    itsm_note_opts o = ITSM_NOTE_OPTS_INIT;
    o.text = "genuine";
    assert_ok(itsm_record_add_note(r, &o));
    char *genuine = dup(s.events[s.n - 1]);
    edit(&s, s.n - 1, "genuine", "forged!");
    itsm_parse_error err;
    assert_int_equal(itsm_engine_replay_json(follower, s.events[s.n - 1], strlen(s.events[s.n - 1]), &err),
                     ITSM_ETAMPER);
    char want[120];
    snprintf(want, sizeof want, "record %s revision %llu does not match its hash", itsm_record_id(r),
             (unsigned long long)itsm_record_revision(r));
    assert_non_null(strstr(itsm_errmsg(follower), want));
    char *after = engine_dump(follower);
    assert_string_equal(dump, after);
    free(after);
    char *audit2 = malloc(len + 1);
    size_t len2 = 0;
    assert_ok(itsm_engine_audit_to_json(follower, audit2, len + 1, &len2));
    assert_string_equal(audit, audit2);

    /* The genuine event goes on from the same head. */
    assert_ok(itsm_engine_replay_json(follower, genuine, strlen(genuine), NULL));
    char *d1 = engine_dump(live), *d2 = engine_dump(follower);
    assert_string_equal(d1, d2);
    char h1[65], h2[65];
    itsm_record *fr;
    assert_ok(itsm_record_find(&fr, follower, itsm_record_id(r)));
    assert_ok(itsm_record_chain_head(r, h1));
    assert_ok(itsm_record_chain_head(fr, h2));
    assert_string_equal(h1, h2);
    free(d1);
    free(d2);
    free(genuine);
    free(dump);
    free(audit);
    free(audit2);
    itsm_engine_free(live);
    itsm_engine_free(follower);
    memstore_free(&s);
}

/* An engine that holds records already is catching up, not verifying: an
 * event it has is skipped, a gap is a conflict (the other engines' events
 * it missed), and nothing it has is dropped. */
static void a_load_into_an_engine_with_records_catches_up(void **state)
{
    (void)state;
    memstore s;
    story_store(&s, NULL);
    itsm_engine *eng;
    assert_ok(load_into(&eng, &s));
    size_t n = itsm_engine_record_count(eng);
    assert_ok(itsm_engine_load(eng));   /* the same events again: skipped */
    assert_int_equal(itsm_engine_record_count(eng), n);
    free(take(&s, event_at(&s, "INC-000001", 2)));
    assert_ok(itsm_engine_load(eng));   /* revision 3 is there already: skipped */
    assert_int_equal(itsm_engine_record_count(eng), n);
    itsm_engine_free(eng);
    memstore_free(&s);
}

/* A scan that, once the engine refuses an event as tampered, arms the
 * allocator to fail its next allocation: the one emptying the engine. */
static failalloc *arm_on_tamper;

static int arming_scan(void *user, itsm_store_emit_fn emit, void *ctx)
{
    const memstore *s = user;
    for (size_t i = 0; i < s->n; i++) {
        int rc = emit(ctx, s->events[i], strlen(s->events[i]));
        if (rc == ITSM_ETAMPER)
            arm_on_tamper->fail_at = arm_on_tamper->calls + 1;
        if (rc)
            return rc;
    }
    return ITSM_OK;
}

/* Emptying the engine after a tampered store can run out of memory too:
 * then the load says so beside the broken link, every later call is
 * refused, and freeing the engine gives every block back. */
static void out_of_memory_emptying_after_a_tampered_load_breaks_the_engine(void **state)
{
    (void)state;
    memstore s;
    story_store(&s, NULL);
    edit(&s, event_at(&s, "INC-000001", 2), "\"actor\":\"alice\"", "\"actor\":\"mallory\"");
    failalloc fa = { 0 };
    arm_on_tamper = &fa;
    itsm_store st = memstore_methods;
    st.scan = arming_scan;
    itsm_engine_opts o = ITSM_ENGINE_OPTS_INIT;
    o.store = &st;
    o.store_user = &s;
    o.clock = vclock_read;
    o.clock_user = &load_clock;
    o.alloc = failalloc_make(&fa);
    itsm_engine *eng;
    assert_ok(itsm_engine_new(&eng, &o));
    assert_int_equal(itsm_engine_load(eng), ITSM_ENOMEM);
    assert_true(fa.failed);
    assert_non_null(strstr(itsm_errmsg(eng), "record INC-000001 revision 2 does not match its hash"));
    assert_non_null(strstr(itsm_errmsg(eng), "out of memory emptying the engine again: free it"));
    itsm_record_opts ro = ITSM_RECORD_OPTS_INIT;
    itsm_record *r;
    assert_int_equal(itsm_record_open(&r, eng, &ro), ITSM_ESTATE);
    assert_int_equal(itsm_engine_load(eng), ITSM_ESTATE);
    itsm_engine_free(eng);
    assert_int_equal(fa.live, 0);
    memstore_free(&s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_store_edited_by_hand_names_its_first_broken_link),
        cmocka_unit_test(an_event_removed_moved_repeated_or_added_is_detected),
        cmocka_unit_test(a_tampered_event_replayed_changes_nothing),
        cmocka_unit_test(a_load_into_an_engine_with_records_catches_up),
        cmocka_unit_test(out_of_memory_emptying_after_a_tampered_load_breaks_the_engine),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
