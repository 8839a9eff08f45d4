/* SPDX-License-Identifier: Apache-2.0 */
/* Tamper evidence (itsm/integrity.h, docs/events.md "The hash chain"):
 * every stored event carries link = SHA-256(previous link || its canonical
 * binary form); loading recomputes the chain and names the first broken
 * link; the audit document gives every record's head. The links are
 * recomputed here from the stored text alone (and the public converter to
 * the binary form), as an outside auditor would. A store whose links
 * follow the earlier rule (over the canonical JSON) still loads. */
#include "scenario.h"
#include "kit/sha256.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The stored event without its hash member, and the hash (NULL: none). */
static char *canonical(const char *json, char hash[65])
{
    size_t n = strlen(json) + 1;
    char *c = malloc(n);
    memcpy(c, json, n);
    char *h = strstr(c, ",\"hash\":\"");
    hash[0] = '\0';
    if (h) {
        snprintf(hash, 65, "%.64s", h + strlen(",\"hash\":\""));
        strcpy(h, "}");
    }
    return c;
}

/* The record id of a stored event (the third member). */
static void record_of(const char *json, char id[80])
{
    const char *p = strstr(json, "\"record\":\"") + strlen("\"record\":\"");
    snprintf(id, 80, "%.*s", (int)strcspn(p, "\""), p);
}

/* link = SHA-256(prev || the binary form of the canonical JSON c). */
static void link_of(const unsigned char prev[32], const char *c, unsigned char link[32])
{
    unsigned char bin[8192];
    size_t len = 0;
    assert_ok(itsm_event_json_to_binary(c, strlen(c), bin, sizeof bin, &len, NULL));
    itsm__sha256 sh;
    itsm__sha256_init(&sh);
    itsm__sha256_update(&sh, prev, 32);
    itsm__sha256_update(&sh, bin, len);
    itsm__sha256_final(&sh, link);
}

/* The earlier rule, over the canonical JSON text itself: links of events
 * stored without a hash, and of stores written before the binary rule. */
static void json_link_of(const unsigned char prev[32], const char *c, unsigned char link[32])
{
    itsm__sha256 sh;
    itsm__sha256_init(&sh);
    itsm__sha256_update(&sh, prev, 32);
    itsm__sha256_update(&sh, c, strlen(c));
    itsm__sha256_final(&sh, link);
}

/* Recompute every link of the store; fail on the first that differs. */
static void check_links(const memstore *s, char heads[][2][80], size_t *nheads)
{
    *nheads = 0;
    for (size_t i = 0; i < s->n; i++) {
        char hash[65], id[80];
        char *c = canonical(s->events[i], hash);
        record_of(s->events[i], id);
        size_t k = 0;
        while (k < *nheads && strcmp(heads[k][0], id))
            k++;
        unsigned char prev[32] = { 0 };
        if (k == *nheads) {
            snprintf(heads[k][0], 80, "%s", id);
            (*nheads)++;
        } else {
            assert_int_equal(itsm__unhex32(heads[k][1], 64, prev), 0);
        }
        unsigned char link[32];
        char hex[65];
        if (hash[0])
            link_of(prev, c, link);
        else
            json_link_of(prev, c, link);   /* an event from before the chain: the JSON rule */
        itsm__hex32(link, hex);
        if (hash[0] && strcmp(hex, hash) != 0)   /* an event without one is linked all the same */
            fail_msg("event %zu: stored hash %s, recomputed %s\n%s", i, hash, hex, s->events[i]);
        snprintf(heads[k][1], 80, "%s", hex);
        free(c);
    }
}

/* A record of the story still open (notes can go on it). */
static itsm_record *an_open_record(itsm_engine *eng)
{
    for (size_t i = 0; i < itsm_engine_record_count(eng); i++) {
        itsm_record *r;
        assert_ok(itsm_engine_record_at(&r, eng, i));
        if (itsm_record_is_open(r))
            return r;
    }
    fail_msg("the story leaves no record open");
    return NULL;
}

static void story_store(memstore *s, itsm_engine **keep)
{
    static vclock clock;   /* outlives the call: a kept engine reads it */
    clock.now = T0;
    itsm_engine *eng;
    scenario sc;
    memstore_init(s);
    assert_ok(scenario_engine_new(&eng, s, &clock, NULL, NULL));
    scenario_init(&sc, eng, &clock);
    for (size_t i = 0; i < scenario_nsteps; i++)
        assert_ok(scenario_run_step(&sc, i));
    if (keep)
        *keep = eng;
    else
        itsm_engine_free(eng);
}

/* The clock of every loading engine (it outlives the call). */
static vclock load_clock = { T0 + 86400 };

static int load_into(itsm_engine **out, memstore *s)
{
    assert_ok(scenario_engine_new(out, s, &load_clock, NULL, NULL));
    return itsm_engine_load(*out);
}

static void every_stored_event_carries_the_link_an_auditor_recomputes(void **state)
{
    (void)state;
    memstore s;
    itsm_engine *eng;
    story_store(&s, &eng);
    assert_true(s.n > 20);
    char heads[32][2][80];
    size_t n;
    check_links(&s, heads, &n);
    /* The engine's heads are the last links. */
    for (size_t k = 0; k < n; k++) {
        itsm_record *r;
        char hex[65];
        assert_ok(itsm_record_find(&r, eng, heads[k][0]));
        assert_ok(itsm_record_chain_head(r, hex));
        assert_string_equal(hex, heads[k][1]);
    }
    itsm_engine_free(eng);
    memstore_free(&s);
}

static void load_checks_the_chain_and_goes_on_from_its_heads(void **state)
{
    (void)state;
    memstore s;
    itsm_engine *first;
    story_store(&s, &first);
    itsm_engine *again;
    assert_ok(load_into(&again, &s));
    /* The same heads, so the same audit document. */
    size_t la = 0, lb = 0;
    assert_int_equal(itsm_engine_audit_to_json(first, NULL, 0, &la), ITSM_ELIMIT);
    char *a = malloc(la + 1), *b = malloc(la + 1);
    assert_ok(itsm_engine_audit_to_json(first, a, la + 1, &la));
    assert_ok(itsm_engine_audit_to_json(again, b, la + 1, &lb));
    assert_string_equal(a, b);
    /* The next event goes on from the loaded head: an auditor's links
     * still agree, the new one included. */
    itsm_record *r2 = an_open_record(again);
    size_t before = s.n;
    itsm_note_opts o = ITSM_NOTE_OPTS_INIT;
    o.text = "after the reload";
    assert_ok(itsm_record_add_note(r2, &o));
    assert_int_equal(s.n, before + 1);
    char heads[32][2][80], h2[65];
    size_t n;
    check_links(&s, heads, &n);
    assert_ok(itsm_record_chain_head(r2, h2));
    for (size_t k = 0; k < n; k++)
        if (!strcmp(heads[k][0], itsm_record_id(r2)))
            assert_string_equal(heads[k][1], h2);
    free(a);
    free(b);
    itsm_engine_free(first);
    itsm_engine_free(again);
    memstore_free(&s);
}

/* Replace the first `from` in event i with `to`. */
static void edit(memstore *s, size_t i, const char *from, const char *to)
{
    char *p = strstr(s->events[i], from);
    assert_non_null(p);
    size_t n = strlen(s->events[i]) - strlen(from) + strlen(to);
    char *e = malloc(n + 1);
    snprintf(e, n + 1, "%.*s%s%s", (int)(p - s->events[i]), s->events[i], to, p + strlen(from));
    free(s->events[i]);
    s->events[i] = e;
}

/* The index of the event of `id` at revision `rev`. */
static size_t event_at(const memstore *s, const char *id, int rev)
{
    char want[120];
    snprintf(want, sizeof want, "\"record\":\"%s\",", id);
    char r[32];
    snprintf(r, sizeof r, "\"rev\":%d,", rev);
    for (size_t i = 0; i < s->n; i++)
        if (strstr(s->events[i], want) && strstr(s->events[i], r))
            return i;
    fail_msg("no event %s rev %d", id, rev);
    return 0;
}

/* Recompute the hash of event i (and, when `onwards`, of every later event
 * of its record) as a forger who knows the rule would. */
static void reseal(memstore *s, size_t i, int onwards)
{
    char id[80];
    record_of(s->events[i], id);
    unsigned char prev[32] = { 0 };
    for (size_t j = 0; j < s->n; j++) {
        char rid[80], hash[65];
        record_of(s->events[j], rid);
        if (strcmp(rid, id))
            continue;
        char *c = canonical(s->events[j], hash);
        if (j >= i && (onwards || j == i)) {
            unsigned char link[32];
            char hex[65];
            link_of(prev, c, link);
            itsm__hex32(link, hex);
            edit(s, j, hash, hex);
            memcpy(prev, link, 32);
        } else {
            assert_int_equal(itsm__unhex32(hash, 64, prev), 0);
        }
        free(c);
    }
}

static void expect_broken(memstore *s, const char *why, const char *id, int rev)
{
    itsm_engine *eng;
    int rc = load_into(&eng, s);
    if (rc != ITSM_ETAMPER)
        fail_msg("%s: load gave %s (%s), not ITSM_ETAMPER", why, itsm_errname(rc), itsm_errmsg(eng));
    char want[160];
    snprintf(want, sizeof want, "record %s revision %d ", id, rev);
    if (!strstr(itsm_errmsg(eng), want))
        fail_msg("%s: the message does not name %s: %s", why, want, itsm_errmsg(eng));
    /* Nothing of a tampered store is trusted: the engine is as empty as
     * before the load, and still works. */
    assert_int_equal(itsm_engine_record_count(eng), 0);
    assert_int_equal(itsm_errcode(eng), ITSM_ETAMPER);
    itsm_record *r;
    assert_int_equal(itsm_record_find(&r, eng, id), ITSM_ENOTFOUND);
    size_t len = 0;
    assert_int_equal(itsm_engine_audit_to_json(eng, NULL, 0, &len), ITSM_ELIMIT);
    char doc[128];
    assert_ok(itsm_engine_audit_to_json(eng, doc, sizeof doc, &len));
    assert_non_null(strstr(doc, "\"records\":0,"));
    itsm_engine_free(eng);
}

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

/* The binary form carries the same link, over the same canonical JSON: a
 * store kept in it is verified the same way. */
static void the_binary_form_carries_the_same_chain(void **state)
{
    (void)state;
    memstore s, empty;
    itsm_engine *first;
    story_store(&s, &first);
    memstore_init(&empty);
    itsm_engine *eng;
    assert_ok(load_into(&eng, &empty));   /* keeps and checks the chain: its store gives events back */
    size_t changed = event_at(&s, "INC-000001", 2);
    unsigned char bin[8192];
    for (size_t i = 0; i < s.n; i++) {
        size_t len = 0;
        assert_ok(itsm_event_json_to_binary(s.events[i], strlen(s.events[i]), bin, sizeof bin, &len, NULL));
        assert_int_equal(bin[0], 0xE5);
        if (i == changed) {
            /* One byte of the actor's name changed: still a well-formed event. */
            unsigned char *a = memchr(bin, 'a', len);
            while (a && memcmp(a, "alice", 5))
                a = memchr(a + 1, 'a', len - (size_t)(a + 1 - bin));
            assert_non_null(a);
            unsigned char keep = a[0];
            a[0] = 'A';
            char *before = engine_dump(eng);
            assert_int_equal(itsm_engine_replay(eng, bin, len, NULL), ITSM_ETAMPER);
            assert_non_null(strstr(itsm_errmsg(eng), "record INC-000001 revision 2 does not match its hash"));
            char *after = engine_dump(eng);
            assert_string_equal(before, after);
            free(before);
            free(after);
            a[0] = keep;
        }
        assert_ok(itsm_engine_replay(eng, bin, len, NULL));
    }
    for (size_t i = 0; i < itsm_engine_record_count(eng); i++) {
        itsm_record *r, *o;
        char h1[65], h2[65];
        assert_ok(itsm_engine_record_at(&r, eng, i));
        assert_ok(itsm_record_find(&o, first, itsm_record_id(r)));
        assert_ok(itsm_record_chain_head(r, h1));
        assert_ok(itsm_record_chain_head(o, h2));
        assert_string_equal(h1, h2);
    }
    itsm_engine_free(eng);
    itsm_engine_free(first);
    memstore_free(&empty);
    memstore_free(&s);
}

/* A forger who recomputes every later link too passes the load: the head
 * kept for an audit tells. */
static void a_forgery_with_every_link_recomputed_changes_the_audit_digest(void **state)
{
    (void)state;
    memstore s;
    itsm_engine *honest;
    story_store(&s, &honest);
    size_t len = 0;
    assert_int_equal(itsm_engine_audit_to_json(honest, NULL, 0, &len), ITSM_ELIMIT);
    char *before = malloc(len + 1);
    assert_ok(itsm_engine_audit_to_json(honest, before, len + 1, &len));
    size_t i = event_at(&s, "INC-000001", 2);
    edit(&s, i, "\"actor\":\"alice\"", "\"actor\":\"mallory\"");
    reseal(&s, i, 1);
    itsm_engine *forged;
    assert_ok(load_into(&forged, &s));
    size_t len2 = 0;
    assert_int_equal(itsm_engine_audit_to_json(forged, NULL, 0, &len2), ITSM_ELIMIT);
    char *after = malloc(len2 + 1);
    assert_ok(itsm_engine_audit_to_json(forged, after, len2 + 1, &len2));
    /* The digest and INC-000001's head differ; every other head is the same. */
    assert_int_equal(strncmp(before, after, strlen("{\"itsm_audit\":1,\"records\":6,\"digest\":\"")), 0);
    assert_string_not_equal(before, after);
    itsm_record *a, *b;
    char ha[65], hb[65];
    assert_ok(itsm_record_find(&a, honest, "INC-000001"));
    assert_ok(itsm_record_find(&b, forged, "INC-000001"));
    assert_ok(itsm_record_chain_head(a, ha));
    assert_ok(itsm_record_chain_head(b, hb));
    assert_string_not_equal(ha, hb);
    assert_ok(itsm_record_find(&a, honest, "PRB-000001"));
    assert_ok(itsm_record_find(&b, forged, "PRB-000001"));
    assert_ok(itsm_record_chain_head(a, ha));
    assert_ok(itsm_record_chain_head(b, hb));
    assert_string_equal(ha, hb);
    free(before);
    free(after);
    itsm_engine_free(honest);
    itsm_engine_free(forged);
    memstore_free(&s);
}

/* The audit document: records in id order, and its digest is SHA-256 of
 * the lines "id rev head\n" (what an auditor recomputes). */
static void the_audit_document_lists_every_head_in_id_order(void **state)
{
    (void)state;
    memstore s;
    itsm_engine *eng;
    story_store(&s, &eng);
    size_t len = 0;
    assert_int_equal(itsm_engine_audit_to_json(eng, NULL, 0, &len), ITSM_ELIMIT);
    char *doc = malloc(len + 1);
    assert_ok(itsm_engine_audit_to_json(eng, doc, len + 1, &len));
    assert_int_equal(strlen(doc), len);
    char small[16];
    assert_int_equal(itsm_engine_audit_to_json(eng, small, sizeof small, &len), ITSM_ELIMIT);
    assert_int_equal(itsm_engine_audit_to_json(NULL, NULL, 0, &len), ITSM_EINVAL);
    assert_int_equal(itsm_engine_audit_to_json(eng, NULL, 5, &len), ITSM_EINVAL);
    /* the lines, in id order */
    size_t nrec = itsm_engine_record_count(eng);
    char **lines = calloc(nrec, sizeof *lines);
    for (size_t i = 0; i < nrec; i++) {
        itsm_record *r;
        char hex[65];
        assert_ok(itsm_engine_record_at(&r, eng, i));
        assert_ok(itsm_record_chain_head(r, hex));
        lines[i] = malloc(200);
        snprintf(lines[i], 200, "%s %llu %s\n", itsm_record_id(r), (unsigned long long)itsm_record_revision(r), hex);
        char member[120];
        snprintf(member, sizeof member, "{\"record\":\"%s\",\"rev\":%llu,\"hash\":\"%s\"}", itsm_record_id(r),
                 (unsigned long long)itsm_record_revision(r), hex);
        assert_non_null(strstr(doc, member));
    }
    for (size_t i = 0; i < nrec; i++)   /* a plain sort: few records */
        for (size_t j = i + 1; j < nrec; j++)
            if (strcmp(lines[j], lines[i]) < 0) {
                char *t = lines[i];
                lines[i] = lines[j];
                lines[j] = t;
            }
    itsm__sha256 sh;
    itsm__sha256_init(&sh);
    for (size_t i = 0; i < nrec; i++) {
        itsm__sha256_update(&sh, lines[i], strlen(lines[i]));
        free(lines[i]);
    }
    free(lines);
    unsigned char d[32];
    char hex[65], want[160];
    itsm__sha256_final(&sh, d);
    itsm__hex32(d, hex);
    snprintf(want, sizeof want, "{\"itsm_audit\":1,\"records\":%zu,\"digest\":\"%s\",\"heads\":[", nrec, hex);
    assert_int_equal(strncmp(doc, want, strlen(want)), 0);
    /* in id order: CHG before EXT before INC before KB before PRB before REQ */
    assert_true(strstr(doc, "CHG-000001") < strstr(doc, "EXT-42"));
    assert_true(strstr(doc, "INC-000001") < strstr(doc, "PRB-000001"));
    free(doc);
    itsm_engine_free(eng);
    memstore_free(&s);
}

/* Events without a hash (a log from before the chain, or written by hand)
 * are read as they are; the chain starts from them, and what the engine
 * writes after them carries hashes again. */
static void a_log_without_hashes_loads_and_the_chain_goes_on(void **state)
{
    (void)state;
    memstore s;
    story_store(&s, NULL);
    for (size_t i = 0; i < s.n; i++) {
        char hash[65];
        char *c = canonical(s.events[i], hash);
        free(s.events[i]);
        s.events[i] = c;
    }
    itsm_engine *eng;
    assert_ok(load_into(&eng, &s));
    itsm_record *r = an_open_record(eng);
    char head[65];
    assert_ok(itsm_record_chain_head(r, head));
    itsm_note_opts o = ITSM_NOTE_OPTS_INIT;
    o.text = "sealed from here";
    assert_ok(itsm_record_add_note(r, &o));
    assert_non_null(strstr(s.events[s.n - 1], ",\"hash\":\""));
    /* its link is the one recomputed over the old, unhashed events */
    char heads[32][2][80];
    size_t n;
    check_links(&s, heads, &n);
    /* and a reload checks the new link against the old, unhashed events */
    itsm_engine *again;
    assert_ok(load_into(&again, &s));
    itsm_record *r2;
    char head2[65], head1[65];
    assert_ok(itsm_record_find(&r2, again, itsm_record_id(r)));
    assert_ok(itsm_record_chain_head(r2, head2));
    assert_ok(itsm_record_chain_head(r, head1));
    assert_string_equal(head1, head2);
    itsm_engine_free(again);
    itsm_engine_free(eng);
    memstore_free(&s);
}

/* Without a store that gives events back nothing is chained: no links are
 * written, none is checked, no head is known (and the engine pays nothing
 * for the chain). Verifying a store is loading it through one that does. */
static void an_engine_without_a_readable_store_keeps_no_chain(void **state)
{
    (void)state;
    itsm_engine *eng;
    assert_ok(itsm_engine_new(&eng, NULL));
    itsm_record *r;
    itsm_record_opts o = ITSM_RECORD_OPTS_INIT;
    assert_ok(itsm_record_open(&r, eng, &o));
    char hex[65];
    assert_int_equal(itsm_record_chain_head(r, hex), ITSM_ENOTFOUND);
    assert_non_null(strstr(itsm_errmsg(eng), "keeps no chain"));
    assert_int_equal(itsm_record_chain_head(NULL, hex), ITSM_EINVAL);
    assert_int_equal(itsm_event_chain(NULL, hex), ITSM_EINVAL);
    size_t len = 0;
    assert_int_equal(itsm_engine_audit_to_json(eng, NULL, 0, &len), ITSM_ELIMIT);
    char *doc = malloc(len + 1);
    assert_ok(itsm_engine_audit_to_json(eng, doc, len + 1, &len));
    assert_non_null(strstr(doc, "\"hash\":null"));
    free(doc);
    itsm_engine_free(eng);

    /* A store with append only (nothing to read back) writes no hash. */
    memstore s;
    memstore_init(&s);
    static const itsm_store write_only = { ITSM_STORE_VERSION, NULL, NULL, NULL, NULL, NULL };
    itsm_store w = write_only;
    w.append = memstore_methods.append;
    itsm_engine_opts eo = ITSM_ENGINE_OPTS_INIT;
    eo.store = &w;
    eo.store_user = &s;
    assert_ok(itsm_engine_new(&eng, &eo));
    assert_ok(itsm_record_open(&r, eng, &o));
    assert_null(strstr(s.events[0], "\"hash\""));
    itsm_engine_free(eng);
    memstore_free(&s);

    /* Replayed into such an engine, a store is not checked. */
    story_store(&s, NULL);
    size_t i = event_at(&s, "INC-000001", 2);
    edit(&s, i, "\"actor\":\"alice\"", "\"actor\":\"mallory\"");
    assert_ok(itsm_engine_new(&eng, NULL));
    for (size_t k = 0; k < s.n; k++)
        assert_ok(itsm_engine_replay_json(eng, s.events[k], strlen(s.events[k]), NULL));
    assert_ok(itsm_record_find(&r, eng, "INC-000001"));
    assert_int_equal(itsm_record_chain_head(r, hex), ITSM_ENOTFOUND);
    itsm_engine_free(eng);
    /* ... while loading it through a store that gives events back is. */
    expect_broken(&s, "replayed after all", "INC-000001", 2);
    memstore_free(&s);
}

/* The sink sees the link the store kept; a malformed hash is a parse error. */
static int sink_checked;
static void chain_sink(void *user, const itsm_event *const *evs, size_t n)
{
    memstore *s = user;
    for (size_t i = 0; i < n; i++) {
        char hex[65];
        assert_ok(itsm_event_chain(evs[i], hex));
        assert_non_null(strstr(s->events[s->n - n + i], hex));
        sink_checked++;
    }
}

static void the_event_says_its_link_and_a_bad_hash_is_refused(void **state)
{
    (void)state;
    memstore s;
    memstore_init(&s);
    vclock clock = { T0 };
    itsm_engine_opts o = ITSM_ENGINE_OPTS_INIT;
    o.store = &memstore_methods;
    o.store_user = &s;
    o.clock = vclock_read;
    o.clock_user = &clock;
    o.sink = chain_sink;
    o.sink_user = &s;
    itsm_engine *eng;
    assert_ok(itsm_engine_new(&eng, &o));
    itsm_record *r;
    itsm_record_opts ro = ITSM_RECORD_OPTS_INIT;
    assert_ok(itsm_record_open(&r, eng, &ro));
    itsm_change g = { ITSM_F_ASSIGNMENT_GROUP, "desk", 0 };
    assert_ok(itsm_record_fire(r, "assign", &g, 1));
    assert_int_equal(sink_checked, 2);
    itsm_engine *other;
    assert_ok(itsm_engine_new(&other, NULL));
    static const char *const bad[] = { "\"0123\"", "1", "null",
        "\"ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef0123456789\"" };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char *c, hash[65], doc[1024];
        c = canonical(s.events[0], hash);
        c[strlen(c) - 1] = '\0';
        snprintf(doc, sizeof doc, "%s,\"hash\":%s}", c, bad[i]);
        free(c);
        itsm_parse_error err;
        assert_int_equal(itsm_engine_replay_json(other, doc, strlen(doc), &err), ITSM_EPARSE);
        assert_non_null(strstr(err.text, "'hash' must be 64 lowercase hex digits"));
        assert_int_equal(itsm_engine_record_count(other), 0);
    }
    itsm_engine_free(other);
    itsm_engine_free(eng);
    memstore_free(&s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_stored_event_carries_the_link_an_auditor_recomputes),
        cmocka_unit_test(load_checks_the_chain_and_goes_on_from_its_heads),
        cmocka_unit_test(a_store_edited_by_hand_names_its_first_broken_link),
        cmocka_unit_test(an_event_removed_moved_repeated_or_added_is_detected),
        cmocka_unit_test(a_tampered_event_replayed_changes_nothing),
        cmocka_unit_test(a_load_into_an_engine_with_records_catches_up),
        cmocka_unit_test(the_binary_form_carries_the_same_chain),
        cmocka_unit_test(out_of_memory_emptying_after_a_tampered_load_breaks_the_engine),
        cmocka_unit_test(a_forgery_with_every_link_recomputed_changes_the_audit_digest),
        cmocka_unit_test(the_audit_document_lists_every_head_in_id_order),
        cmocka_unit_test(a_log_without_hashes_loads_and_the_chain_goes_on),
        cmocka_unit_test(an_engine_without_a_readable_store_keeps_no_chain),
        cmocka_unit_test(the_event_says_its_link_and_a_bad_hash_is_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
