/* SPDX-License-Identifier: Apache-2.0 */
/* Tamper evidence (itsm/integrity.h, docs/events.md "The hash chain"): every
 * stored event carries link = SHA-256(previous link || its canonical binary
 * form), recomputed here from the stored text alone (and the public
 * converter to the binary form), as an outside auditor would; loading goes
 * on from the chain's heads; the binary form carries the same chain; the
 * audit document lists every head and its digest changes with any forgery; a
 * store whose links follow the earlier rule (over the canonical JSON), or
 * has none, still loads; an engine without a readable store keeps no chain;
 * the event says its link. */
#include "chain_check.h"

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
    itsm_engine *eng = engine_over_sink(&s, &clock, NULL, chain_sink, &s);
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
        cmocka_unit_test(the_binary_form_carries_the_same_chain),
        cmocka_unit_test(a_forgery_with_every_link_recomputed_changes_the_audit_digest),
        cmocka_unit_test(the_audit_document_lists_every_head_in_id_order),
        cmocka_unit_test(a_log_without_hashes_loads_and_the_chain_goes_on),
        cmocka_unit_test(an_engine_without_a_readable_store_keeps_no_chain),
        cmocka_unit_test(the_event_says_its_link_and_a_bad_hash_is_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
