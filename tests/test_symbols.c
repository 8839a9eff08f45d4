/* SPDX-License-Identifier: Apache-2.0 */
/* Symbols: handles interned once (itsm_engine_symbol) and the string path
 * the engine makes cheap for repeats by remembering strings by address.
 * Whatever the path, the value recorded is the string's content at the
 * time of the call. */
#include "support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static itsm_record *open_one(fixture *f)
{
    itsm_record *r = NULL;
    itsm_change init[1] = { { ITSM_F_SUMMARY, "VPN down", 0 } };
    itsm_record_opts o = ITSM_RECORD_OPTS_INIT;
    o.fields = init;
    o.nfields = 1;
    assert_ok(itsm_record_open(&r, f->eng, &o));
    return r;
}

static void equal_symbols_get_one_handle_that_reads_as_the_string(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    char a[] = "Network", b[] = "Network";
    const char *h1 = NULL, *h2 = NULL, *h3 = NULL;
    assert_ok(itsm_engine_symbol(f.eng, a, &h1));
    assert_ok(itsm_engine_symbol(f.eng, b, &h2));
    assert_ok(itsm_engine_symbol(f.eng, h1, &h3));
    assert_ptr_equal(h1, h2);
    assert_ptr_equal(h1, h3);
    assert_ptr_not_equal(h1, a);
    assert_string_equal(h1, "Network");
    fixture_close(&f);
}

static void a_handle_sets_fields_and_the_actor_like_its_string(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    const char *grp = NULL, *who = NULL;
    assert_ok(itsm_engine_symbol(f.eng, "Network", &grp));
    assert_ok(itsm_engine_symbol(f.eng, "alice", &who));
    assert_ok(itsm_engine_set_actor(f.eng, who));
    itsm_record *r = open_one(&f);
    itsm_change ch[2] = { { ITSM_F_ASSIGNMENT_GROUP, grp, 0 }, { ITSM_F_ASSIGNEE, who, 0 } };
    assert_ok(itsm_record_fire(r, "start", ch, 2));
    assert_ptr_equal(itsm_record_str(r, ITSM_F_ASSIGNMENT_GROUP), grp);
    assert_string_equal(itsm_record_str(r, ITSM_F_ASSIGNEE), "alice");
    assert_non_null(strstr(f.store.events[f.store.n - 1], "\"actor\":\"alice\""));
    /* the plain string gives the same interned value */
    itsm_record *r2 = open_one(&f);
    itsm_change ch2[2] = { { ITSM_F_ASSIGNMENT_GROUP, "Network", 0 }, { ITSM_F_ASSIGNEE, "alice", 0 } };
    assert_ok(itsm_record_fire(r2, "start", ch2, 2));
    assert_ptr_equal(itsm_record_str(r2, ITSM_F_ASSIGNMENT_GROUP), grp);
    fixture_close(&f);
}

/* The engine remembers a host string by its address; a host that rewrites
 * the same buffer gets the new content, never the remembered one. */
static void a_rewritten_buffer_at_the_same_address_is_read_again(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *r = open_one(&f);
    char buf[32];
    snprintf(buf, sizeof buf, "%s", "Network");
    itsm_change ch = { ITSM_F_ASSIGNMENT_GROUP, buf, 0 };
    assert_ok(itsm_record_update(r, &ch, 1));
    assert_string_equal(itsm_record_str(r, ITSM_F_ASSIGNMENT_GROUP), "Network");
    snprintf(buf, sizeof buf, "%s", "Desk");
    assert_ok(itsm_record_update(r, &ch, 1));
    assert_string_equal(itsm_record_str(r, ITSM_F_ASSIGNMENT_GROUP), "Desk");
    snprintf(buf, sizeof buf, "%s", "Net\x01work");   /* now invalid: checked, refused */
    assert_fails(f.eng, itsm_record_update(r, &ch, 1), ITSM_EINVAL, "assignment_group");
    assert_string_equal(itsm_record_str(r, ITSM_F_ASSIGNMENT_GROUP), "Desk");

    snprintf(buf, sizeof buf, "%s", "alice");
    assert_ok(itsm_engine_set_actor(f.eng, buf));
    snprintf(buf, sizeof buf, "%s", "bob");
    assert_ok(itsm_engine_set_actor(f.eng, buf));
    assert_ok(itsm_record_set_str(r, ITSM_F_CATEGORY, "network"));
    assert_non_null(strstr(f.store.events[f.store.n - 1], "\"actor\":\"bob\""));
    snprintf(buf, sizeof buf, "%s", "");
    assert_fails(f.eng, itsm_engine_set_actor(f.eng, buf), ITSM_EINVAL, "actor");
    fixture_close(&f);
}

/* An event name is remembered by its address too: whatever the name's
 * offset in its buffer, a rewritten name fires the new event, and a name
 * cut short, grown or changed in its last byte is no longer the old one. */
static void a_rewritten_event_name_at_the_same_address_is_read_again(void **state)
{
    (void)state;
    for (size_t off = 0; off < 8; off++) {
        fixture f;
        fixture_open(&f);
        itsm_record *r = open_one(&f);
        char buf[48];
        char *name = buf + off;
        itsm_change who[2] = { { ITSM_F_ASSIGNMENT_GROUP, "Network", 0 }, { ITSM_F_ASSIGNEE, "alice", 0 } };
        itsm_change reason = { ITSM_F_HOLD_REASON, "awaiting_vendor", 0 };
        snprintf(name, sizeof buf - off, "%s", "start");
        assert_ok(itsm_record_fire(r, name, who, 2));
        snprintf(name, sizeof buf - off, "%s", "hold");
        assert_ok(itsm_record_fire(r, name, &reason, 1));
        snprintf(name, sizeof buf - off, "%s", "resume");
        assert_ok(itsm_record_fire(r, name, NULL, 0));
        snprintf(name, sizeof buf - off, "%s", "hold");
        assert_ok(itsm_record_fire(r, name, &reason, 1));
        name[3] = 'x';   /* "holx" */
        assert_fails(f.eng, itsm_record_fire(r, name, &reason, 1), ITSM_ETRANSITION, "holx");
        name[3] = '\0';   /* "hol" */
        assert_fails(f.eng, itsm_record_fire(r, name, &reason, 1), ITSM_ETRANSITION, "hol");
        snprintf(name, sizeof buf - off, "%s", "resumes");
        assert_fails(f.eng, itsm_record_fire(r, name, NULL, 0), ITSM_ETRANSITION, "resumes");
        snprintf(name, sizeof buf - off, "%s", "resume");
        assert_ok(itsm_record_fire(r, name, NULL, 0));
        snprintf(name, sizeof buf - off, "%s", "hold");
        assert_ok(itsm_record_fire(r, name, &reason, 1));
        snprintf(name, sizeof buf - off, "%s", "holds");   /* grown past the cached "hold" */
        assert_fails(f.eng, itsm_record_fire(r, name, &reason, 1), ITSM_ETRANSITION, "holds");
        fixture_close(&f);
    }
}

static char *block_of_its_size(const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = malloc(n);
    if (p)
        memcpy(p, s, n);
    return p;
}

/* A name in a heap block of its own size is read within its block's
 * words: the cached check of such a name fires as the name says. */
static void an_event_name_in_a_block_of_its_size_fires_again_and_again(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *r = open_one(&f);
    itsm_change who[2] = { { ITSM_F_ASSIGNMENT_GROUP, "Network", 0 }, { ITSM_F_ASSIGNEE, "alice", 0 } };
    itsm_change reason = { ITSM_F_HOLD_REASON, "awaiting_vendor", 0 };
    char *start = block_of_its_size("start"), *hold = block_of_its_size("hold"), *resume = block_of_its_size("resume");
    assert_non_null(start);
    assert_non_null(hold);
    assert_non_null(resume);
    assert_ok(itsm_record_fire(r, start, who, 2));
    for (int i = 0; i < 3; i++) {
        assert_ok(itsm_record_fire(r, hold, &reason, 1));
        assert_ok(itsm_record_fire(r, resume, NULL, 0));
    }
    free(start);
    free(hold);
    free(resume);
    fixture_close(&f);
}

static void a_bad_symbol_gets_no_handle(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    const char *h = "x";
    char longer[300];
    memset(longer, 'a', sizeof longer - 1);
    longer[sizeof longer - 1] = '\0';
    assert_int_equal(itsm_engine_symbol(NULL, "a", &h), ITSM_EINVAL);
    assert_fails(f.eng, itsm_engine_symbol(f.eng, "a", NULL), ITSM_EINVAL, "out");
    assert_fails(f.eng, itsm_engine_symbol(f.eng, NULL, &h), ITSM_EINVAL, "symbol");
    assert_null(h);
    assert_fails(f.eng, itsm_engine_symbol(f.eng, "", &h), ITSM_EINVAL, "symbol");
    assert_fails(f.eng, itsm_engine_symbol(f.eng, "tab\there", &h), ITSM_EINVAL, "symbol");
    assert_fails(f.eng, itsm_engine_symbol(f.eng, "\xff\xfe", &h), ITSM_EINVAL, "symbol");
    assert_fails(f.eng, itsm_engine_symbol(f.eng, longer, &h), ITSM_ELIMIT, "symbol");
    assert_null(h);
    fixture_close(&f);
}

/* itsm_engine_symbol_n: the handle of the n bytes given, with no NUL
 * after them, the very one itsm_engine_symbol gives for the string; the
 * same checks on the n bytes alone. */
static void a_symbol_by_its_length_gets_the_strings_handle(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    const char *h = NULL, *hs = NULL, *hn = NULL;
    const char word[3] = { 'a', 'b', 'c' };   /* no NUL after it */
    assert_ok(itsm_engine_symbol_n(f.eng, word, sizeof word, &hn));
    assert_string_equal(hn, "abc");
    assert_ok(itsm_engine_symbol(f.eng, "abc", &hs));
    assert_ptr_equal(hn, hs);
    /* a prefix of a longer string, before and after its handle exists */
    assert_ok(itsm_engine_symbol_n(f.eng, "Network-east", 7, &hn));
    assert_string_equal(hn, "Network");
    assert_ok(itsm_engine_symbol(f.eng, "Network", &hs));
    assert_ptr_equal(hn, hs);
    assert_ok(itsm_engine_symbol_n(f.eng, "Network-west", 7, &h));
    assert_ptr_equal(h, hs);
    /* known by its address, as any handle */
    assert_ok(itsm_engine_set_actor(f.eng, hn));
    itsm_record *r = open_one(&f);
    itsm_change ch[1] = { { ITSM_F_ASSIGNMENT_GROUP, hn, 0 } };
    assert_ok(itsm_record_update(r, ch, 1));
    assert_ptr_equal(itsm_record_str(r, ITSM_F_ASSIGNMENT_GROUP), hn);
    assert_non_null(strstr(f.store.events[f.store.n - 1], "\"actor\":\"Network\""));
    /* refusals: the n bytes are checked, a NUL among them too */
    char longer[300];
    memset(longer, 'a', sizeof longer);
    h = "x";
    assert_int_equal(itsm_engine_symbol_n(NULL, "a", 1, &h), ITSM_EINVAL);
    assert_fails(f.eng, itsm_engine_symbol_n(f.eng, "a", 1, NULL), ITSM_EINVAL, "out");
    assert_fails(f.eng, itsm_engine_symbol_n(f.eng, NULL, 1, &h), ITSM_EINVAL, "symbol");
    assert_null(h);
    assert_fails(f.eng, itsm_engine_symbol_n(f.eng, "a", 0, &h), ITSM_EINVAL, "symbol");
    assert_fails(f.eng, itsm_engine_symbol_n(f.eng, "a\0b", 3, &h), ITSM_EINVAL, "symbol");
    assert_fails(f.eng, itsm_engine_symbol_n(f.eng, "tab\there", 8, &h), ITSM_EINVAL, "symbol");
    assert_fails(f.eng, itsm_engine_symbol_n(f.eng, "\xff\xfe", 2, &h), ITSM_EINVAL, "symbol");
    assert_fails(f.eng, itsm_engine_symbol_n(f.eng, longer, sizeof longer, &h), ITSM_ELIMIT, "symbol");
    assert_ok(itsm_engine_symbol_n(f.eng, longer, 255, &h));
    assert_int_equal(strlen(h), 255);
    fixture_close(&f);
}

/* Handles are known by their address however many the host holds (more
 * than the engine remembers strings for); a pointer into a handle's bytes
 * is a string like any other, and a handle given twice for one field is
 * refused as a string would be. */
static void every_handle_is_known_and_a_pointer_into_one_is_a_string(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    enum { N = 600 };
    static const char *h[N];
    char name[32];
    for (int i = 0; i < N; i++) {
        snprintf(name, sizeof name, "group-%d", i);
        assert_ok(itsm_engine_symbol(f.eng, name, &h[i]));
    }
    itsm_record *r = open_one(&f);
    int last = 0;
    for (int i = 0; i < N; i += 7) {
        last = i;
        itsm_change ch[2] = { { ITSM_F_ASSIGNMENT_GROUP, h[i], 0 }, { ITSM_F_ASSIGNEE, h[N - 1 - i], 0 } };
        assert_ok(itsm_record_update(r, ch, 2));
        assert_ptr_equal(itsm_record_str(r, ITSM_F_ASSIGNMENT_GROUP), h[i]);
        assert_ptr_equal(itsm_record_str(r, ITSM_F_ASSIGNEE), h[N - 1 - i]);
        assert_ok(itsm_engine_set_actor(f.eng, h[(i * 13) % N]));
    }
    itsm_change inside = { ITSM_F_CATEGORY, h[42] + 6, 0 };   /* "42" */
    assert_ok(itsm_record_update(r, &inside, 1));
    assert_string_equal(itsm_record_str(r, ITSM_F_CATEGORY), "42");
    assert_ptr_not_equal(itsm_record_str(r, ITSM_F_CATEGORY), h[42] + 6);
    uint64_t rev = itsm_record_revision(r);
    itsm_change twice[2] = { { ITSM_F_ASSIGNMENT_GROUP, h[1], 0 }, { ITSM_F_ASSIGNMENT_GROUP, h[2], 0 } };
    assert_fails(f.eng, itsm_record_update(r, twice, 2), ITSM_EINVAL, "given twice");
    assert_int_equal(itsm_record_revision(r), rev);
    assert_ptr_equal(itsm_record_str(r, ITSM_F_ASSIGNMENT_GROUP), h[last]);
    fixture_close(&f);
}

/* A handle is known by the symbol block it lies in and the id before
 * its bytes (core/engine.c: itsm__symbol_handle), in every block: the
 * symbols here fill blocks of 256 bytes doubling to 64 KiB and then
 * several of 64 KiB, far more handles than the symbol cache holds, each
 * given back as itself for a field and as the actor; a pointer into a
 * handle's bytes (the id before it is then other bytes) is a string like
 * any other, in any block. */
static void a_handle_in_any_symbol_block_is_known_by_its_address(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    enum { N = 30000 };
    const char **h = malloc(N * sizeof *h);
    assert_non_null(h);
    char name[48];
    for (int i = 0; i < N; i++) {
        snprintf(name, sizeof name, "a-symbol-block-handle-%d", i);
        assert_ok(itsm_engine_symbol(f.eng, name, &h[i]));
    }
    itsm_record *r = open_one(&f);
    for (int i = 0; i < N; i += 97) {
        itsm_change ch = { ITSM_F_ASSIGNMENT_GROUP, h[i], 0 };
        assert_ok(itsm_record_update(r, &ch, 1));
        assert_ptr_equal(itsm_record_str(r, ITSM_F_ASSIGNMENT_GROUP), h[i]);
        assert_ok(itsm_engine_set_actor(f.eng, h[N - 1 - i]));
        for (int k = 1; k <= 5; k += 4) {   /* past the id's first byte, and past a whole word */
            itsm_change in = { ITSM_F_CATEGORY, h[i] + k, 0 };
            assert_ok(itsm_record_update(r, &in, 1));
            assert_string_equal(itsm_record_str(r, ITSM_F_CATEGORY), h[i] + k);
            assert_ptr_not_equal(itsm_record_str(r, ITSM_F_CATEGORY), h[i] + k);
        }
    }
    free(h);
    fixture_close(&f);
}

/* A new symbol's bytes are hashed and checked in one pass
 * (core/engine.c: hash_printable): for every length to 40, a handle is
 * the value a field given the same bytes in another buffer takes (found
 * by the table's hash of its bytes), and a byte that is no printable
 * ASCII at any place is judged as a field's value judges it, refused or
 * (UTF-8) taken. A handle the symbol cache no longer holds is given
 * again as itself. */
static void a_new_symbol_of_any_length_is_hashed_and_checked_as_a_field_value(void **state)
{
    (void)state;
    fixture f, g;
    fixture_open(&f);
    fixture_open(&g);
    itsm_record *r = open_one(&f), *q = open_one(&g);
    static const char *const odd[] = { "\x01", "\x1f", "\x7f", "\xc3\xa9", "\xff", " " };
    char a[64], b[64];
    const char *first = NULL;
    for (size_t n = 1; n <= 40; n++) {
        for (size_t k = 0; k < n; k++)
            a[k] = (char)('A' + (n * 7 + k * 3) % 26);
        a[n] = '\0';
        const char *h = NULL;
        assert_ok(itsm_engine_symbol(f.eng, a, &h));
        if (!first)
            first = h;
        memcpy(b, a, n + 1);
        itsm_change ch = { ITSM_F_CATEGORY, b, 0 };
        assert_ok(itsm_record_update(r, &ch, 1));
        assert_ptr_equal(itsm_record_str(r, ITSM_F_CATEGORY), h);
        for (size_t o = 0; o < sizeof odd / sizeof *odd; o++) {
            for (size_t at = 0; at < n; at++) {
                size_t m = strlen(odd[o]);
                if (at + m > n)
                    break;
                memcpy(a + at, odd[o], m);
                memcpy(b, a, n + 1);
                int want = itsm_record_update(q, &(itsm_change){ ITSM_F_CATEGORY, b, 0 }, 1);
                const char *x = NULL;
                assert_int_equal(itsm_engine_symbol(f.eng, a, &x), want);
                if (want == ITSM_OK)
                    assert_string_equal(x, a);
                for (size_t k = 0; k < n; k++)
                    a[k] = (char)('A' + (n * 7 + k * 3) % 26);
            }
        }
    }
    char name[32];
    for (int i = 0; i < 3000; i++) {   /* more than the symbol cache holds */
        snprintf(name, sizeof name, "filler-%d", i);
        const char *h = NULL;
        assert_ok(itsm_engine_symbol(f.eng, name, &h));
    }
    const char *again = NULL;
    assert_ok(itsm_engine_symbol(f.eng, first, &again));
    assert_ptr_equal(again, first);
    fixture_close(&g);
    fixture_close(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(equal_symbols_get_one_handle_that_reads_as_the_string),
        cmocka_unit_test(a_handle_sets_fields_and_the_actor_like_its_string),
        cmocka_unit_test(a_rewritten_buffer_at_the_same_address_is_read_again),
        cmocka_unit_test(a_rewritten_event_name_at_the_same_address_is_read_again),
        cmocka_unit_test(an_event_name_in_a_block_of_its_size_fires_again_and_again),
        cmocka_unit_test(a_bad_symbol_gets_no_handle),
        cmocka_unit_test(a_symbol_by_its_length_gets_the_strings_handle),
        cmocka_unit_test(every_handle_is_known_and_a_pointer_into_one_is_a_string),
        cmocka_unit_test(a_handle_in_any_symbol_block_is_known_by_its_address),
        cmocka_unit_test(a_new_symbol_of_any_length_is_hashed_and_checked_as_a_field_value),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
