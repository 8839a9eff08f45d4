/* SPDX-License-Identifier: Apache-2.0 */
/* The two rules of the hash chain (docs/events.md "The hash chain"): links
 * are written over the event's canonical binary form; a store written
 * before, whose links hash the canonical JSON (tests/data/stores/
 * chain_json_links.jsonl, made by itsm 0.2 before the binary rule), still
 * loads and verifies, a change in it is still caught, and the engine goes
 * on chaining onto it with the binary rule. */
#define _POSIX_C_SOURCE 200809L /* strdup */
#include "support.h"
#include "kit/sha256.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The old store's lines into a memstore. */
static void old_store(memstore *s)
{
    memstore_init(s);
    s->check_revisions = 0;   /* its revision map knows only appends: these lines are put in by hand */
    FILE *f = fopen(ITSM_TEST_DATA "/stores/chain_json_links.jsonl", "r");
    assert_non_null(f);
    char line[4096];
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\n")] = '\0';
        if (s->n == s->cap) {
            s->cap = s->cap ? 2 * s->cap : 16;
            s->events = realloc(s->events, s->cap * sizeof *s->events);
        }
        s->events[s->n++] = strdup(line);
    }
    fclose(f);
    assert_int_equal(s->n, 7);
}

/* SHA-256(prev || bytes) as hex. */
static void link_hex(const unsigned char prev[32], const void *bytes, size_t n, unsigned char link[32], char hex[65])
{
    itsm__sha256 sh;
    itsm__sha256_init(&sh);
    itsm__sha256_update(&sh, prev, 32);
    itsm__sha256_update(&sh, bytes, n);
    itsm__sha256_final(&sh, link);
    itsm__hex32(link, hex);
}

static void a_store_with_json_rule_links_loads_and_goes_on_with_the_binary_rule(void **state)
{
    (void)state;
    memstore s;
    old_store(&s);
    vclock clock = { T0 + 3600 };
    itsm_engine *eng = engine_over(&s, &clock, NULL);
    if (itsm_engine_load(eng) != ITSM_OK)
        fail_msg("loading the old store: %s", itsm_errmsg(eng));
    itsm_record *r;
    assert_ok(itsm_record_find(&r, eng, "INC-000001"));
    assert_int_equal(itsm_record_revision(r), 5);
    /* The head is the old store's last link. */
    char head[65];
    assert_ok(itsm_record_chain_head(r, head));
    assert_non_null(strstr(s.events[6], head));

    /* The next event chains onto it by the binary rule. */
    itsm_note_opts no = ITSM_NOTE_OPTS_INIT;
    no.text = "chained by the binary rule";
    assert_ok(itsm_record_add_note(r, &no));
    assert_int_equal(s.n, 8);
    const char *ev = s.events[7];
    const char *h = strstr(ev, ",\"hash\":\"");
    assert_non_null(h);
    char canon[1024];
    snprintf(canon, sizeof canon, "%.*s}", (int)(h - ev), ev);
    unsigned char prev[32], link[32], bin[1024];
    char hex[65];
    assert_int_equal(itsm__unhex32(head, 64, prev), 0);
    size_t n = 0;
    assert_ok(itsm_event_json_to_binary(canon, strlen(canon), bin, sizeof bin, &n, NULL));
    link_hex(prev, bin, n, link, hex);
    assert_non_null(strstr(ev, hex));
    link_hex(prev, canon, strlen(canon), link, hex);   /* not the JSON rule any more */
    assert_null(strstr(ev, hex));
    char *live = engine_dump(eng);
    itsm_engine_free(eng);

    /* The mixed store verifies as a whole. */
    eng = engine_over(&s, &clock, NULL);
    if (itsm_engine_load(eng) != ITSM_OK)
        fail_msg("loading the mixed store: %s", itsm_errmsg(eng));
    char *again = engine_dump(eng);
    assert_string_equal(again, live);
    itsm_engine_free(eng);
    free(live), free(again);
    memstore_free(&s);
}

static void a_change_in_a_json_rule_store_is_still_caught(void **state)
{
    (void)state;
    memstore s;
    old_store(&s);
    char *e = s.events[2];   /* INC-000001 revision 3: "urgency":1 */
    char *u = strstr(e, "\"urgency\":1");
    assert_non_null(u);
    u[strlen("\"urgency\":")] = '3';
    vclock clock = { T0 + 3600 };
    itsm_engine *eng = engine_over(&s, &clock, NULL);
    assert_fails(eng, itsm_engine_load(eng), ITSM_ETAMPER, "record INC-000001 revision 3 does not match its hash");
    assert_int_equal(itsm_engine_record_count(eng), 0);
    itsm_engine_free(eng);
    memstore_free(&s);
}

/* The old store kept in the binary form: its bytes are not the form the
 * links hash (those hash the JSON), so the check over the bytes as kept
 * finds no match and the written forms are judged - the JSON rule's
 * links still verify, a change is still caught. */
static void a_json_rule_store_in_the_binary_form_still_verifies(void **state)
{
    (void)state;
    memstore s, empty;
    old_store(&s);
    memstore_init(&empty);
    vclock clock = { T0 + 3600 };
    itsm_engine *json = engine_over(&s, &clock, NULL);
    if (itsm_engine_load(json) != ITSM_OK)
        fail_msg("loading the old store: %s", itsm_errmsg(json));
    itsm_engine *eng = engine_over(&empty, &clock, NULL);   /* a readable store: the chain is checked */
    for (size_t i = 0; i < s.n; i++) {
        unsigned char bin[4096];
        size_t n = 0;
        assert_ok(itsm_event_json_to_binary(s.events[i], strlen(s.events[i]), bin, sizeof bin, &n, NULL));
        if (i == 2) {   /* INC-000001 revision 3, one byte of its link changed */
            unsigned char *h = bin + n - 2, keep = *h;
            *h = keep == '0' ? '1' : '0';
            assert_fails(eng, itsm_engine_replay(eng, bin, n, NULL), ITSM_ETAMPER,
                         "record INC-000001 revision 3 does not match its hash");
            *h = keep;
        }
        if (itsm_engine_replay(eng, bin, n, NULL) != ITSM_OK)
            fail_msg("event %zu: %s", i, itsm_errmsg(eng));
    }
    char *a = engine_dump(json), *b = engine_dump(eng);
    assert_string_equal(a, b);
    free(a), free(b);
    itsm_engine_free(eng);
    itsm_engine_free(json);
    memstore_free(&empty);
    memstore_free(&s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_store_with_json_rule_links_loads_and_goes_on_with_the_binary_rule),
        cmocka_unit_test(a_json_rule_store_in_the_binary_form_still_verifies),
        cmocka_unit_test(a_change_in_a_json_rule_store_is_still_caught),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
