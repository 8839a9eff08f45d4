/* SPDX-License-Identifier: Apache-2.0 */
/* Records: fields, validation, priority, reassignment, timeline, links, ids,
 * and the rules every mutation obeys (a refusal changes nothing, the sink
 * sees exactly what the store accepted, no re-entry from callbacks). */
#include "support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define N_(a) (sizeof(a) / sizeof((a)[0]))

/* A refused call: its code, a message containing `needle`, and neither the
 * engine nor the store changed. */
#define refuse(f, call, code, needle) do {                                  \
        char *b_ = engine_dump((f)->eng);                                   \
        size_t n_ = (f)->store.n;                                           \
        assert_fails((f)->eng, call, code, needle);                         \
        char *a_ = engine_dump((f)->eng);                                   \
        if (strcmp(a_, b_) != 0)                                            \
            fail_msg("%s changed the engine although it failed", #call);    \
        assert_int_equal((f)->store.n, n_);                                 \
        free(a_);                                                           \
        free(b_);                                                           \
    } while (0)

static itsm_record *open_kind(fixture *f, itsm_kind kind, const char *id, const itsm_change *fields, size_t n)
{
    itsm_record *r = NULL;
    itsm_record_opts o = ITSM_RECORD_OPTS_INIT;
    o.kind = kind;
    o.id = id;
    o.fields = fields;
    o.nfields = n;
    int rc = itsm_record_open(&r, f->eng, &o);
    if (rc != ITSM_OK)
        fail_msg("open: %s: %s", itsm_errname(rc), itsm_errmsg(f->eng));
    return r;
}

static itsm_record *open_inc(fixture *f) { return open_kind(f, ITSM_KIND_INCIDENT, NULL, NULL, 0); }

static int open_with(fixture *f, itsm_kind kind, const char *id, const itsm_change *fields, size_t n)
{
    itsm_record *r = (itsm_record *)f;   /* must come back NULL on failure */
    itsm_record_opts o = ITSM_RECORD_OPTS_INIT;
    o.kind = kind;
    o.id = id;
    o.fields = fields;
    o.nfields = n;
    int rc = itsm_record_open(&r, f->eng, &o);
    if (rc != ITSM_OK)
        assert_null(r);
    return rc;
}

static int add_note(itsm_record *r, itsm_note_kind kind, const char *text, itsm_time eta, itsm_time next)
{
    itsm_note_opts o = ITSM_NOTE_OPTS_INIT;
    o.kind = kind;
    o.text = text;
    o.expected_restoration = eta;
    o.next_update = next;
    return itsm_record_add_note(r, &o);
}

static char *repeat(char c, size_t n)
{
    char *s = malloc(n + 1);
    memset(s, c, n);
    s[n] = '\0';
    return s;
}

/* ---- fields ------------------------------------------------------------- */

/* Every field a host may set, with a value of its type. */
static const itsm_change all_fields[] = {
    { ITSM_F_SUMMARY, "Printer on fire", 0 },
    { ITSM_F_DESCRIPTION, "Smoke from tray 2.\nCaller évacué.", 0 },
    { ITSM_F_CALLER, "c.jones", 0 },
    { ITSM_F_CONTACT_VERIFIED, NULL, 1 },
    { ITSM_F_SERVICE, "printing", 0 },
    { ITSM_F_CI, "prn-0042", 0 },
    { ITSM_F_CATEGORY, "hardware", 0 },
    { ITSM_F_SUBCATEGORY, "printer", 0 },
    { ITSM_F_IMPACT, NULL, 3 },
    { ITSM_F_URGENCY, NULL, 1 },
    { ITSM_F_ASSIGNMENT_GROUP, "desk", 0 },
    { ITSM_F_ASSIGNEE, "bob", 0 },
    { ITSM_F_FUNCTIONAL_LEVEL, NULL, 2 },
    { ITSM_F_HIERARCHICAL_LEVEL, NULL, 9 },
    { ITSM_F_MAJOR, NULL, 1 },
    { ITSM_F_HOLD_REASON, "awaiting_customer", 0 },
    { ITSM_F_WORKAROUND, "Use tray 1", 0 },
    { ITSM_F_NO_WORKAROUND, NULL, 1 },
    { ITSM_F_CAUSE, "Fuser", 0 },
    { ITSM_F_RESOLUTION_CODE, "fix_applied", 0 },
    { ITSM_F_RESOLUTION_NOTES, "Replaced fuser", 0 },
    { ITSM_F_CLOSE_JUSTIFICATION, "n/a", 0 },
    { ITSM_F_KNOWLEDGE_DECISION, "not_needed", 0 },
    { ITSM_F_CHANGE_TYPE, "standard", 0 },
};

static void check_fields(const itsm_record *r, const itsm_change *c, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const char *name = itsm_field_name(c[i].field);
        if (itsm_field_type_of(c[i].field) == ITSM_TYPE_TEXT || itsm_field_type_of(c[i].field) == ITSM_TYPE_SYMBOL) {
            const char *v = itsm_record_str(r, c[i].field);
            if (!v || strcmp(v, c[i].str) != 0)
                fail_msg("field %s: got %s, wanted %s", name, v ? v : "(null)", c[i].str);
            assert_int_equal(itsm_record_int(r, c[i].field), 0);
        } else {
            if (itsm_record_int(r, c[i].field) != c[i].num)
                fail_msg("field %s: got %lld, wanted %lld", name, (long long)itsm_record_int(r, c[i].field),
                         (long long)c[i].num);
            assert_null(itsm_record_str(r, c[i].field));
        }
        assert_int_equal(itsm_record_has(r, c[i].field), 1);
    }
}

static void every_kind_opens_in_its_initial_state_with_every_field_readable(void **state)
{
    (void)state;
    static const char *const initial[] = { NULL, "new", "new", "new", "new", "draft" };
    fixture f;
    fixture_open(&f);
    for (int k = 1; k <= ITSM_KIND_COUNT; k++) {
        itsm_record *r = open_kind(&f, (itsm_kind)k, NULL, all_fields, N_(all_fields));
        assert_int_equal(itsm_record_kind(r), k);
        assert_string_equal(itsm_record_state(r), initial[k]);
        assert_int_equal(itsm_record_is_open(r), 1);
        assert_int_equal(itsm_record_revision(r), 1);
        assert_ptr_equal(itsm_record_engine(r), f.eng);
        check_fields(r, all_fields, N_(all_fields));
        /* Derived: impact 3 x urgency 1. */
        assert_int_equal(itsm_record_int(r, ITSM_F_PRIORITY), 3);
        assert_int_equal(itsm_record_int(r, ITSM_F_OPENED_AT), T0);
        assert_int_equal(itsm_record_int(r, ITSM_F_UPDATED_AT), T0);
        assert_int_equal(itsm_record_int(r, ITSM_F_RESOLVED_AT), ITSM_TIME_NONE);
        assert_int_equal(itsm_record_has(r, ITSM_F_RESOLVED_AT), 0);
        assert_int_equal(itsm_record_int(r, ITSM_F_REASSIGNMENTS), 0);
        assert_int_equal(itsm_record_int(r, ITSM_F_REOPENS), 0);
        assert_int_equal(itsm_record_timeline_count(r), 0);
        assert_int_equal(itsm_record_link_count(r), 0);
    }
    assert_int_equal(itsm_engine_record_count(f.eng), ITSM_KIND_COUNT);
    char *d = engine_dump(f.eng), *d2 = replay_dump(&f.store);
    assert_string_equal(d, d2);
    free(d);
    free(d2);
    fixture_close(&f);
}

static void every_field_changes_through_update_and_clears_with_null(void **state)
{
    (void)state;
    static const itsm_change second[] = {
        { ITSM_F_SUMMARY, "Printer fixed?", 0 },
        { ITSM_F_DESCRIPTION, "", 0 },           /* an empty text is a value */
        { ITSM_F_CALLER, "a.smith", 0 },
        { ITSM_F_CONTACT_VERIFIED, NULL, 0 },
        { ITSM_F_SERVICE, "print", 0 },
        { ITSM_F_CI, "prn-0043", 0 },
        { ITSM_F_CATEGORY, "hw", 0 },
        { ITSM_F_SUBCATEGORY, "laser", 0 },
        { ITSM_F_IMPACT, NULL, 1 },
        { ITSM_F_URGENCY, NULL, 3 },
        { ITSM_F_PRIORITY, NULL, 5 },
        { ITSM_F_ASSIGNMENT_GROUP, "desk", 0 },
        { ITSM_F_ASSIGNEE, "carol", 0 },
        { ITSM_F_FUNCTIONAL_LEVEL, NULL, 3 },
        { ITSM_F_HIERARCHICAL_LEVEL, NULL, 0 },
        { ITSM_F_MAJOR, NULL, 0 },
        { ITSM_F_HOLD_REASON, "awaiting_supplier", 0 },
        { ITSM_F_WORKAROUND, "None", 0 },
        { ITSM_F_NO_WORKAROUND, NULL, 0 },
        { ITSM_F_CAUSE, "Toner", 0 },
        { ITSM_F_RESOLUTION_CODE, "risk_accepted", 0 },
        { ITSM_F_RESOLUTION_NOTES, "…", 0 },
        { ITSM_F_CLOSE_JUSTIFICATION, "cost", 0 },
        { ITSM_F_KNOWLEDGE_DECISION, "candidate", 0 },
        { ITSM_F_CHANGE_TYPE, "emergency", 0 },
    };
    fixture f;
    fixture_open(&f);
    for (int k = 1; k <= ITSM_KIND_COUNT; k++) {
        f.clock.now = T0;
        itsm_record *r = open_kind(&f, (itsm_kind)k, NULL, all_fields, N_(all_fields));
        f.clock.now = T0 + 60;
        assert_ok(itsm_record_update(r, second, N_(second)));
        assert_int_equal(itsm_record_revision(r), 2);
        assert_int_equal(itsm_record_int(r, ITSM_F_UPDATED_AT), T0 + 60);
        assert_int_equal(itsm_record_int(r, ITSM_F_OPENED_AT), T0);
        for (size_t i = 0; i < N_(second); i++) {
            if (itsm_field_type_of(second[i].field) == ITSM_TYPE_TEXT ||
                itsm_field_type_of(second[i].field) == ITSM_TYPE_SYMBOL)
                assert_string_equal(itsm_record_str(r, second[i].field), second[i].str);
            else
                assert_int_equal(itsm_record_int(r, second[i].field), second[i].num);
        }
        /* A bool counts as set only when true. */
        assert_int_equal(itsm_record_has(r, ITSM_F_MAJOR), 0);
        /* One at a time through the conveniences. */
        assert_ok(itsm_record_set_str(r, ITSM_F_CAUSE, "Dust"));
        assert_string_equal(itsm_record_str(r, ITSM_F_CAUSE), "Dust");
        assert_ok(itsm_record_set_int(r, ITSM_F_MAJOR, 1));
        assert_int_equal(itsm_record_int(r, ITSM_F_MAJOR), 1);
        assert_int_equal(itsm_record_revision(r), 4);
        /* NULL clears text and symbol fields. */
        for (size_t i = 0; i < N_(second); i++) {
            itsm_field fl = second[i].field;
            if (itsm_field_type_of(fl) != ITSM_TYPE_TEXT && itsm_field_type_of(fl) != ITSM_TYPE_SYMBOL)
                continue;
            assert_ok(itsm_record_set_str(r, fl, NULL));
            assert_null(itsm_record_str(r, fl));
            assert_int_equal(itsm_record_has(r, fl), 0);
        }
    }
    char *d = engine_dump(f.eng), *d2 = replay_dump(&f.store);
    assert_string_equal(d, d2);
    free(d);
    free(d2);
    fixture_close(&f);
}

static void field_names_and_types_round_trip(void **state)
{
    (void)state;
    for (int i = 0; i < ITSM_F__COUNT; i++) {
        itsm_field fl;
        const char *name = itsm_field_name((itsm_field)i);
        assert_non_null(name);
        assert_ok(itsm_field_from_name(&fl, name));
        assert_int_equal(fl, i);
        assert_true(itsm_field_type_of((itsm_field)i) >= ITSM_TYPE_TEXT);
    }
    itsm_field fl;
    assert_int_equal(itsm_field_from_name(&fl, "nope"), ITSM_ENOTFOUND);
    assert_int_equal(itsm_field_from_name(&fl, NULL), ITSM_EINVAL);
    assert_null(itsm_field_name(ITSM_F__COUNT));
    assert_null(itsm_field_name((itsm_field)-1));
    assert_int_equal(itsm_field_type_of(ITSM_F__COUNT), 0);
    assert_int_equal(itsm_field_is_engine_owned(ITSM_F__COUNT), 0);
    for (int k = 1; k <= ITSM_KIND_COUNT; k++) {
        itsm_kind kk;
        assert_ok(itsm_kind_from_name(&kk, itsm_kind_name((itsm_kind)k)));
        assert_int_equal(kk, k);
    }
    assert_null(itsm_kind_name((itsm_kind)0));
    assert_null(itsm_kind_name((itsm_kind)6));
}

static void getters_on_the_wrong_type_or_null_return_nothing(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_change c[] = { { ITSM_F_SUMMARY, "s", 0 }, { ITSM_F_IMPACT, NULL, 2 } };
    itsm_record *r = open_kind(&f, ITSM_KIND_INCIDENT, NULL, c, 2);
    assert_null(itsm_record_str(r, ITSM_F_IMPACT));
    assert_int_equal(itsm_record_int(r, ITSM_F_SUMMARY), 0);
    assert_null(itsm_record_str(r, ITSM_F__COUNT));
    assert_int_equal(itsm_record_int(r, ITSM_F__COUNT), 0);
    assert_int_equal(itsm_record_has(r, ITSM_F__COUNT), 0);
    assert_int_equal(itsm_record_has(r, (itsm_field)-1), 0);
    assert_null(itsm_record_id(NULL));
    assert_null(itsm_record_state(NULL));
    assert_null(itsm_record_str(NULL, ITSM_F_SUMMARY));
    assert_int_equal(itsm_record_int(NULL, ITSM_F_IMPACT), 0);
    assert_int_equal(itsm_record_int(NULL, ITSM_F_OPENED_AT), ITSM_TIME_NONE);
    assert_int_equal(itsm_record_has(NULL, ITSM_F_SUMMARY), 0);
    assert_int_equal(itsm_record_revision(NULL), 0);
    assert_int_equal(itsm_record_is_open(NULL), 0);
    assert_int_equal(itsm_record_kind(NULL), 0);
    assert_null(itsm_record_engine(NULL));
    assert_int_equal(itsm_record_timeline_count(NULL), 0);
    assert_int_equal(itsm_record_link_count(NULL), 0);
    itsm_timeline_entry e = { .size = sizeof e };
    itsm_link l = { .size = sizeof l };
    assert_int_equal(itsm_record_timeline_at(r, 0, &e), ITSM_EINVAL);
    assert_int_equal(itsm_record_timeline_at(r, 0, NULL), ITSM_EINVAL);
    assert_int_equal(itsm_record_link_at(r, 0, &l), ITSM_EINVAL);
    assert_int_equal(itsm_record_link_at(NULL, 0, &l), ITSM_EINVAL);
    fixture_close(&f);
}

static void setters_refuse_the_wrong_type_naming_the_field(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *r = open_inc(&f);
    refuse(&f, itsm_record_set_str(r, ITSM_F_IMPACT, "2"), ITSM_EINVAL, "'impact'");
    refuse(&f, itsm_record_set_str(r, ITSM_F_MAJOR, "true"), ITSM_EINVAL, "'major'");
    refuse(&f, itsm_record_set_int(r, ITSM_F_SUMMARY, 1), ITSM_EINVAL, "'summary'");
    refuse(&f, itsm_record_set_int(r, ITSM_F_CALLER, 0), ITSM_EINVAL, "'caller'");
    assert_int_equal(itsm_record_set_str(NULL, ITSM_F_SUMMARY, "x"), ITSM_EINVAL);
    assert_int_equal(itsm_record_set_int(NULL, ITSM_F_IMPACT, 1), ITSM_EINVAL);
    fixture_close(&f);
}

static void numbers_out_of_range_are_refused_naming_the_field(void **state)
{
    (void)state;
    static const struct { itsm_field f; int64_t v; } bad[] = {
        { ITSM_F_IMPACT, 0 }, { ITSM_F_IMPACT, 4 }, { ITSM_F_IMPACT, -1 },
        { ITSM_F_URGENCY, 0 }, { ITSM_F_URGENCY, 4 },
        { ITSM_F_PRIORITY, 0 }, { ITSM_F_PRIORITY, 6 },
        { ITSM_F_FUNCTIONAL_LEVEL, 0 }, { ITSM_F_FUNCTIONAL_LEVEL, 4 },
        { ITSM_F_HIERARCHICAL_LEVEL, -1 }, { ITSM_F_HIERARCHICAL_LEVEL, 10 },
        { ITSM_F_CONTACT_VERIFIED, 2 }, { ITSM_F_CONTACT_VERIFIED, -1 },
        { ITSM_F_MAJOR, 2 }, { ITSM_F_NO_WORKAROUND, INT64_MIN }, { ITSM_F_IMPACT, INT64_MAX },
    };
    fixture f;
    fixture_open(&f);
    itsm_record *r = open_inc(&f);
    for (size_t i = 0; i < N_(bad); i++) {
        char needle[64];
        snprintf(needle, sizeof needle, "field '%s' must be", itsm_field_name(bad[i].f));
        refuse(&f, itsm_record_set_int(r, bad[i].f, bad[i].v), ITSM_EINVAL, needle);
        itsm_change c = { bad[i].f, NULL, bad[i].v };
        refuse(&f, open_with(&f, ITSM_KIND_PROBLEM, NULL, &c, 1), ITSM_EINVAL, needle);
        refuse(&f, itsm_record_fire(r, "cancel", &c, 1), ITSM_EINVAL, needle);
    }
    /* The bounds themselves are fine. */
    assert_ok(itsm_record_set_int(r, ITSM_F_HIERARCHICAL_LEVEL, 0));
    assert_ok(itsm_record_set_int(r, ITSM_F_HIERARCHICAL_LEVEL, 9));
    assert_ok(itsm_record_set_int(r, ITSM_F_PRIORITY, 1));
    assert_ok(itsm_record_set_int(r, ITSM_F_PRIORITY, 5));
    fixture_close(&f);
}

static void engine_owned_fields_cannot_be_set(void **state)
{
    (void)state;
    static const itsm_field owned[] = { ITSM_F_OPENED_AT, ITSM_F_RESPONDED_AT, ITSM_F_RESOLVED_AT,
                                        ITSM_F_CLOSED_AT, ITSM_F_UPDATED_AT, ITSM_F_REASSIGNMENTS,
                                        ITSM_F_REOPENS };
    int n = 0;
    for (int i = 0; i < ITSM_F__COUNT; i++)
        n += itsm_field_is_engine_owned((itsm_field)i);
    assert_int_equal(n, (int)N_(owned));
    fixture f;
    fixture_open(&f);
    itsm_record *r = open_inc(&f);
    for (size_t i = 0; i < N_(owned); i++) {
        assert_int_equal(itsm_field_is_engine_owned(owned[i]), 1);
        char needle[80];
        snprintf(needle, sizeof needle, "field '%s' is maintained by the engine", itsm_field_name(owned[i]));
        itsm_change c = { owned[i], NULL, 5 };
        refuse(&f, itsm_record_update(r, &c, 1), ITSM_EINVAL, needle);
        refuse(&f, itsm_record_set_int(r, owned[i], T0), ITSM_EINVAL, needle);
        refuse(&f, open_with(&f, ITSM_KIND_INCIDENT, NULL, &c, 1), ITSM_EINVAL, needle);
        refuse(&f, itsm_record_fire(r, "cancel", &c, 1), ITSM_EINVAL, needle);
    }
    fixture_close(&f);
}

static void unknown_fields_are_refused(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *r = open_inc(&f);
    const int bad[] = { -1, ITSM_F__COUNT, 1000 };
    for (size_t i = 0; i < N_(bad); i++) {
        itsm_change c = { (itsm_field)bad[i], "x", 1 };
        refuse(&f, itsm_record_update(r, &c, 1), ITSM_EINVAL, "unknown field");
        refuse(&f, itsm_record_set_str(r, (itsm_field)bad[i], "x"), ITSM_EINVAL, "unknown field");
        refuse(&f, itsm_record_set_int(r, (itsm_field)bad[i], 1), ITSM_EINVAL, "unknown field");
        refuse(&f, open_with(&f, ITSM_KIND_INCIDENT, NULL, &c, 1), ITSM_EINVAL, "unknown field");
    }
    fixture_close(&f);
}

static void over_long_text_and_symbols_are_elimit_never_truncated(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *r = open_inc(&f);
    char *text = repeat('t', ITSM_MAX_TEXT + 1);
    char *sym = repeat('s', ITSM_MAX_SYMBOL + 1);
    refuse(&f, itsm_record_set_str(r, ITSM_F_DESCRIPTION, text), ITSM_ELIMIT, "field 'description' is 65537 bytes");
    refuse(&f, itsm_record_set_str(r, ITSM_F_ASSIGNEE, sym), ITSM_ELIMIT, "field 'assignee' is 256 bytes");
    itsm_change c = { ITSM_F_CALLER, sym, 0 };
    refuse(&f, open_with(&f, ITSM_KIND_INCIDENT, NULL, &c, 1), ITSM_ELIMIT, "'caller'");
    refuse(&f, add_note(r, ITSM_NOTE_WORK, text, ITSM_TIME_NONE, ITSM_TIME_NONE), ITSM_ELIMIT, "65537");
    /* Exactly at the limit is accepted and kept whole. */
    text[ITSM_MAX_TEXT] = '\0';
    sym[ITSM_MAX_SYMBOL] = '\0';
    assert_ok(itsm_record_set_str(r, ITSM_F_DESCRIPTION, text));
    assert_int_equal(strlen(itsm_record_str(r, ITSM_F_DESCRIPTION)), ITSM_MAX_TEXT);
    assert_ok(itsm_record_set_str(r, ITSM_F_ASSIGNEE, sym));
    assert_int_equal(strlen(itsm_record_str(r, ITSM_F_ASSIGNEE)), ITSM_MAX_SYMBOL);
    assert_ok(add_note(r, ITSM_NOTE_WORK, text, ITSM_TIME_NONE, ITSM_TIME_NONE));
    char *d = engine_dump(f.eng), *d2 = replay_dump(&f.store);
    assert_string_equal(d, d2);
    free(d);
    free(d2);
    free(text);
    free(sym);
    fixture_close(&f);
}

static void invalid_utf8_is_refused_naming_the_field(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "\xc3\x28",             /* bad continuation */
        "\xc0\xaf",             /* overlong '/' */
        "\xe0\x80\xaf",         /* overlong, 3 bytes */
        "\xed\xa0\x80",         /* UTF-16 surrogate */
        "\xf4\x90\x80\x80",     /* above U+10FFFF */
        "abc\xe2\x82",          /* truncated at the end */
        "\xff",
        "\x80",
    };
    fixture f;
    fixture_open(&f);
    itsm_record *r = open_inc(&f);
    for (size_t i = 0; i < N_(bad); i++) {
        refuse(&f, itsm_record_set_str(r, ITSM_F_SUMMARY, bad[i]), ITSM_EINVAL, "field 'summary' is not valid UTF-8");
        refuse(&f, itsm_record_set_str(r, ITSM_F_SERVICE, bad[i]), ITSM_EINVAL, "field 'service' is not valid UTF-8");
        itsm_change c = { ITSM_F_CAUSE, bad[i], 0 };
        refuse(&f, open_with(&f, ITSM_KIND_PROBLEM, NULL, &c, 1), ITSM_EINVAL, "'cause'");
        refuse(&f, add_note(r, ITSM_NOTE_WORK, bad[i], ITSM_TIME_NONE, ITSM_TIME_NONE), ITSM_EINVAL, "UTF-8");
        refuse(&f, itsm_engine_set_actor(f.eng, bad[i]), ITSM_EINVAL, "actor is not valid UTF-8");
    }
    /* Valid multi-byte text goes through unchanged. */
    assert_ok(itsm_record_set_str(r, ITSM_F_SUMMARY, "Zürich – 東京 – 🙂"));
    assert_string_equal(itsm_record_str(r, ITSM_F_SUMMARY), "Zürich – 東京 – 🙂");
    assert_ok(itsm_record_set_str(r, ITSM_F_CALLER, "jürgen"));
    fixture_close(&f);
}

static void symbols_refuse_controls_and_empty_but_text_keeps_newlines(void **state)
{
    (void)state;
    static const char *const bad[] = { "a\tb", "a\nb", "\x01", "x\x1f", ("a\x7f" "b") };
    fixture f;
    fixture_open(&f);
    itsm_record *r = open_inc(&f);
    for (size_t i = 0; i < N_(bad); i++) {
        refuse(&f, itsm_record_set_str(r, ITSM_F_ASSIGNMENT_GROUP, bad[i]), ITSM_EINVAL,
               "field 'assignment_group' contains a control character");
        itsm_change c = { ITSM_F_CALLER, bad[i], 0 };
        refuse(&f, open_with(&f, ITSM_KIND_INCIDENT, NULL, &c, 1), ITSM_EINVAL, "'caller' contains a control");
    }
    refuse(&f, itsm_record_set_str(r, ITSM_F_CATEGORY, ""), ITSM_EINVAL, "field 'category' cannot be empty");
    assert_ok(itsm_record_set_str(r, ITSM_F_DESCRIPTION, "line 1\n\tline 2\r\n"));
    assert_string_equal(itsm_record_str(r, ITSM_F_DESCRIPTION), "line 1\n\tline 2\r\n");
    assert_ok(itsm_record_set_str(r, ITSM_F_CATEGORY, "a b"));   /* a space is not a control */
    fixture_close(&f);
}

/* A C string cannot carry NUL, but a stored event can ("\u0000"): replay
 * refuses it for symbols and text alike. */
static void nul_in_a_replayed_symbol_or_text_is_refused(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    open_inc(&f);
    static const char *const bad[] = {
        "{\"v\":1,\"type\":\"update\",\"record\":\"INC-000001\",\"kind\":\"incident\",\"rev\":2,"
        "\"at\":\"2026-03-02T09:00:00Z\",\"set\":{\"caller\":\"a\\u0000b\"}}",
        "{\"v\":1,\"type\":\"update\",\"record\":\"INC-000001\",\"kind\":\"incident\",\"rev\":2,"
        "\"at\":\"2026-03-02T09:00:00Z\",\"set\":{\"summary\":\"a\\u0000b\"}}",
        "{\"v\":1,\"type\":\"update\",\"record\":\"INC-000001\",\"kind\":\"incident\",\"rev\":2,"
        "\"at\":\"2026-03-02T09:00:00Z\",\"set\":{\"caller\":\"a\\u0007b\"}}",
    };
    for (size_t i = 0; i < N_(bad); i++) {
        itsm_parse_error err;
        refuse(&f, itsm_engine_replay_json(f.eng, bad[i], strlen(bad[i]), &err), ITSM_EPARSE, "invalid value for");
        assert_int_equal(err.line, 1);
        assert_true(err.column > 1);
    }
    fixture_close(&f);
}

static void the_same_field_twice_in_one_step_is_refused(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *r = open_inc(&f);
    itsm_change twice[] = { { ITSM_F_SUMMARY, "a", 0 }, { ITSM_F_CAUSE, "c", 0 }, { ITSM_F_SUMMARY, "b", 0 } };
    refuse(&f, itsm_record_update(r, twice, 3), ITSM_EINVAL, "field 'summary' is given twice");
    refuse(&f, open_with(&f, ITSM_KIND_INCIDENT, NULL, twice, 3), ITSM_EINVAL, "given twice");
    itsm_change g2[] = { { ITSM_F_ASSIGNMENT_GROUP, "a", 0 }, { ITSM_F_ASSIGNMENT_GROUP, "a", 0 } };
    refuse(&f, itsm_record_fire(r, "assign", g2, 2), ITSM_EINVAL, "'assignment_group' is given twice");
    fixture_close(&f);
}

static void an_update_needs_changes_and_a_record(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *r = open_inc(&f);
    itsm_change c = { ITSM_F_SUMMARY, "x", 0 };
    refuse(&f, itsm_record_update(r, &c, 0), ITSM_EINVAL, "at least one change");
    refuse(&f, itsm_record_update(r, NULL, 1), ITSM_EINVAL, "changes is NULL");
    itsm_change many[ITSM_F__COUNT + 1];
    for (size_t i = 0; i < N_(many); i++)
        many[i] = c;
    refuse(&f, itsm_record_update(r, many, N_(many)), ITSM_EINVAL, "changes given");
    assert_int_equal(itsm_record_update(NULL, &c, 1), ITSM_EINVAL);
    fixture_close(&f);
}

static void opening_refuses_bad_options(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *r = (itsm_record *)&f;
    itsm_record_opts o = ITSM_RECORD_OPTS_INIT;
    refuse(&f, itsm_record_open(NULL, f.eng, &o), ITSM_EINVAL, "out is NULL");
    refuse(&f, itsm_record_open(&r, f.eng, NULL), ITSM_EINVAL, "record options");
    assert_null(r);
    o.version = 2;
    refuse(&f, itsm_record_open(&r, f.eng, &o), ITSM_EINVAL, "version 2 is newer than this library's 1");
    o.version = ITSM_RECORD_OPTS_VERSION;
    o.kind = (itsm_kind)0;
    refuse(&f, itsm_record_open(&r, f.eng, &o), ITSM_EINVAL, "unknown record kind 0");
    o.kind = (itsm_kind)6;
    refuse(&f, itsm_record_open(&r, f.eng, &o), ITSM_EINVAL, "unknown record kind 6");
    o.kind = ITSM_KIND_INCIDENT;
    o.nfields = 1;
    refuse(&f, itsm_record_open(&r, f.eng, &o), ITSM_EINVAL, "changes is NULL");
    assert_int_equal(itsm_record_open(&r, NULL, &o), ITSM_EINVAL);
    assert_int_equal(itsm_record_opts_init(&o, 2), ITSM_EINVAL);
    assert_int_equal(itsm_record_opts_init(NULL, ITSM_RECORD_OPTS_VERSION), ITSM_EINVAL);
    assert_ok(itsm_record_opts_init(&o, ITSM_RECORD_OPTS_VERSION));
    assert_int_equal(o.kind, ITSM_KIND_INCIDENT);
    assert_null(o.id);
    assert_int_equal(itsm_engine_record_count(f.eng), 0);
    fixture_close(&f);
}

/* ---- priority ----------------------------------------------------------- */

static void priority_is_derived_from_impact_and_urgency(void **state)
{
    (void)state;
    static const int matrix[3][3] = { { 1, 2, 3 }, { 2, 3, 4 }, { 3, 4, 5 } };
    fixture f;
    fixture_open(&f);
    for (int i = 1; i <= 3; i++)
        for (int u = 1; u <= 3; u++) {
            itsm_change c[] = { { ITSM_F_IMPACT, NULL, i }, { ITSM_F_URGENCY, NULL, u } };
            itsm_record *r = open_kind(&f, ITSM_KIND_INCIDENT, NULL, c, 2);
            assert_int_equal(itsm_record_int(r, ITSM_F_PRIORITY), matrix[i - 1][u - 1]);
        }
    /* Only one of the two: no priority yet; the second derives it. */
    itsm_change imp = { ITSM_F_IMPACT, NULL, 1 };
    itsm_record *r = open_kind(&f, ITSM_KIND_INCIDENT, NULL, &imp, 1);
    assert_int_equal(itsm_record_has(r, ITSM_F_PRIORITY), 0);
    assert_ok(itsm_record_set_int(r, ITSM_F_URGENCY, 3));
    assert_int_equal(itsm_record_int(r, ITSM_F_PRIORITY), 3);
    /* Changing either re-derives. */
    assert_ok(itsm_record_set_int(r, ITSM_F_IMPACT, 3));
    assert_int_equal(itsm_record_int(r, ITSM_F_PRIORITY), 5);
    assert_ok(itsm_record_set_int(r, ITSM_F_URGENCY, 1));
    assert_int_equal(itsm_record_int(r, ITSM_F_PRIORITY), 3);
    /* A priority given with them wins; set by hand it stays until impact
     * or urgency change again. */
    itsm_change both[] = { { ITSM_F_IMPACT, NULL, 1 }, { ITSM_F_PRIORITY, NULL, 4 } };
    assert_ok(itsm_record_update(r, both, 2));
    assert_int_equal(itsm_record_int(r, ITSM_F_PRIORITY), 4);
    assert_ok(itsm_record_set_int(r, ITSM_F_PRIORITY, 2));
    assert_ok(itsm_record_set_str(r, ITSM_F_SUMMARY, "x"));
    assert_int_equal(itsm_record_int(r, ITSM_F_PRIORITY), 2);
    assert_ok(itsm_record_set_int(r, ITSM_F_URGENCY, 1));
    assert_int_equal(itsm_record_int(r, ITSM_F_PRIORITY), 1);
    /* Derived in a transition's changes too. */
    itsm_change g[] = { { ITSM_F_ASSIGNMENT_GROUP, "desk", 0 }, { ITSM_F_URGENCY, NULL, 3 } };
    assert_ok(itsm_record_fire(r, "assign", g, 2));
    assert_int_equal(itsm_record_int(r, ITSM_F_PRIORITY), 3);
    /* The derived value is in the event, so replay needs no policy maths. */
    assert_non_null(strstr(f.store.events[f.store.n - 1], "\"priority\":3"));
    char *d = engine_dump(f.eng), *d2 = replay_dump(&f.store);
    assert_string_equal(d, d2);
    free(d);
    free(d2);
    fixture_close(&f);
}

static void priority_follows_a_custom_matrix(void **state)
{
    (void)state;
    itsm_policy *p;
    assert_ok(itsm_policy_new_default(&p, NULL));
    assert_ok(itsm_policy_set_priority(p, 3, 3, 1));
    vclock clock = { T0 };
    itsm_engine_opts o = ITSM_ENGINE_OPTS_INIT;
    o.policy = p;
    o.clock = vclock_read;
    o.clock_user = &clock;
    itsm_engine *eng;
    assert_ok(itsm_engine_new(&eng, &o));
    itsm_policy_free(p);   /* the engine has its own copy */
    itsm_change c[] = { { ITSM_F_IMPACT, NULL, 3 }, { ITSM_F_URGENCY, NULL, 3 } };
    itsm_record_opts ro = ITSM_RECORD_OPTS_INIT;
    ro.fields = c;
    ro.nfields = 2;
    itsm_record *r;
    assert_ok(itsm_record_open(&r, eng, &ro));
    assert_int_equal(itsm_record_int(r, ITSM_F_PRIORITY), 1);
    itsm_engine_free(eng);
}

/* ---- reassignment ------------------------------------------------------- */

static void reassignment_counts_only_moves_from_one_group_to_another(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *r = open_inc(&f);
    /* First assignment (through a transition): not a reassignment. */
    itsm_change g = { ITSM_F_ASSIGNMENT_GROUP, "desk", 0 };
    assert_ok(itsm_record_fire(r, "assign", &g, 1));
    assert_int_equal(itsm_record_int(r, ITSM_F_REASSIGNMENTS), 0);
    /* Unchanged: not counted, still an event. */
    uint64_t rev = itsm_record_revision(r);
    assert_ok(itsm_record_set_str(r, ITSM_F_ASSIGNMENT_GROUP, "desk"));
    assert_int_equal(itsm_record_int(r, ITSM_F_REASSIGNMENTS), 0);
    assert_int_equal(itsm_record_revision(r), rev + 1);
    /* Other fields: not counted. */
    assert_ok(itsm_record_set_str(r, ITSM_F_ASSIGNEE, "bob"));
    assert_int_equal(itsm_record_int(r, ITSM_F_REASSIGNMENTS), 0);
    /* A move: counted, once per move. */
    assert_ok(itsm_record_set_str(r, ITSM_F_ASSIGNMENT_GROUP, "network"));
    assert_int_equal(itsm_record_int(r, ITSM_F_REASSIGNMENTS), 1);
    assert_ok(itsm_record_set_str(r, ITSM_F_ASSIGNMENT_GROUP, "desk"));
    assert_int_equal(itsm_record_int(r, ITSM_F_REASSIGNMENTS), 2);
    /* In a transition's changes too. */
    g.str = "servers";
    itsm_change s2[] = { g, { ITSM_F_ASSIGNEE, "carol", 0 } };
    assert_ok(itsm_record_fire(r, "start", s2, 2));
    assert_int_equal(itsm_record_int(r, ITSM_F_REASSIGNMENTS), 3);
    /* Clearing the group is not a move to another group. */
    assert_ok(itsm_record_set_str(r, ITSM_F_ASSIGNMENT_GROUP, NULL));
    assert_int_equal(itsm_record_int(r, ITSM_F_REASSIGNMENTS), 3);
    /* A record opened with a group starts at 0. */
    itsm_change og = { ITSM_F_ASSIGNMENT_GROUP, "desk", 0 };
    itsm_record *r2 = open_kind(&f, ITSM_KIND_INCIDENT, NULL, &og, 1);
    assert_int_equal(itsm_record_int(r2, ITSM_F_REASSIGNMENTS), 0);
    char *d = engine_dump(f.eng), *d2 = replay_dump(&f.store);
    assert_string_equal(d, d2);
    free(d);
    free(d2);
    fixture_close(&f);
}

/* The same steps under each reassignment rule (policy.h): the counter after
 * each step. Under group and group_or_assignee a first value (from none) and
 * a clear never count; under group_change any change of the group does. A
 * value the field already has never counts; a step counts at most once. */
static void reassignment_rule_group_or_assignee_also_counts_assignee_moves(void **state)
{
    (void)state;
#define G(v) { ITSM_F_ASSIGNMENT_GROUP, v, 0 }
#define A(v) { ITSM_F_ASSIGNEE, v, 0 }
    static const struct {
        const char *event;   /* NULL: an update */
        itsm_change c[2];
        size_t      n;
        int         group, either, change;   /* the counter under each rule */
    } steps[] = {
        { "assign", { G("desk"), A("bob") }, 2, 0, 0, 1 },     /* first assignment of both */
        { NULL, { A("bob") }, 1, 0, 0, 1 },                    /* unchanged */
        { NULL, { G("desk"), A("bob") }, 2, 0, 0, 1 },         /* unchanged, both */
        { NULL, { A("carol") }, 1, 0, 1, 1 },                  /* another person, same group */
        { NULL, { G("network"), A("dave") }, 2, 1, 2, 2 },     /* both move: once */
        { NULL, { G("desk") }, 1, 2, 3, 3 },                   /* the group alone */
        { NULL, { A(NULL) }, 1, 2, 3, 3 },                     /* cleared */
        { NULL, { A("erin") }, 1, 2, 3, 3 },                   /* from none */
        { NULL, { G(NULL) }, 1, 2, 3, 4 },                     /* group cleared */
        { NULL, { G("desk"), A("frank") }, 2, 2, 3, 5 },       /* group from none: not the same group */
        { NULL, { A("gina"), { ITSM_F_SUMMARY, "x", 0 } }, 2, 2, 4, 5 },
        { "start", { A("hank") }, 1, 2, 5, 5 },                /* with a transition */
    };
#undef G
#undef A
    for (int rule = ITSM_REASSIGN_GROUP; rule <= ITSM_REASSIGN_GROUP_CHANGE; rule++) {
        itsm_policy *p;
        assert_ok(itsm_policy_new_default(&p, NULL));
        assert_ok(itsm_policy_set_reassignment_rule(p, (itsm_reassign_rule)rule));
        fixture f;
        f.clock.now = T0;
        memstore_init(&f.store);
        itsm_engine_opts o = ITSM_ENGINE_OPTS_INIT;
        o.policy = p;
        o.store = &memstore_methods;
        o.store_user = &f.store;
        o.clock = vclock_read;
        o.clock_user = &f.clock;
        assert_ok(itsm_engine_new(&f.eng, &o));
        itsm_policy_free(p);   /* the engine has its own copy */
        assert_int_equal(itsm_policy_reassignment_rule(itsm_engine_policy(f.eng)), rule);
        itsm_record *r = open_inc(&f);
        for (size_t i = 0; i < N_(steps); i++) {
            if (steps[i].event)
                assert_ok(itsm_record_fire(r, steps[i].event, steps[i].c, steps[i].n));
            else
                assert_ok(itsm_record_update(r, steps[i].c, steps[i].n));
            int want = rule == ITSM_REASSIGN_GROUP ? steps[i].group
                     : rule == ITSM_REASSIGN_GROUP_OR_ASSIGNEE ? steps[i].either : steps[i].change;
            if (itsm_record_int(r, ITSM_F_REASSIGNMENTS) != want)
                fail_msg("rule %d, step %zu: %lld reassignments, wanted %d", rule, i,
                         (long long)itsm_record_int(r, ITSM_F_REASSIGNMENTS), want);
        }
        /* Opened with both: 0. */
        itsm_change both[] = { { ITSM_F_ASSIGNMENT_GROUP, "desk", 0 }, { ITSM_F_ASSIGNEE, "bob", 0 } };
        itsm_record *r2 = open_kind(&f, ITSM_KIND_INCIDENT, NULL, both, 2);
        assert_int_equal(itsm_record_int(r2, ITSM_F_REASSIGNMENTS), 0);
        /* The count is in the events: a replay under the default policy,
         * whatever the rule, rebuilds the same records. */
        char *d = engine_dump(f.eng), *d2 = replay_dump(&f.store);
        assert_string_equal(d, d2);
        free(d);
        free(d2);
        fixture_close(&f);
    }
}

static void reassignment_rule_setter_json_and_clone(void **state)
{
    (void)state;
    itsm_policy *p, *q, *c;
    assert_ok(itsm_policy_new_default(&p, NULL));
    assert_int_equal(itsm_policy_reassignment_rule(p), ITSM_REASSIGN_GROUP);
    assert_int_equal(itsm_policy_reassignment_rule(NULL), ITSM_REASSIGN_GROUP);
    assert_int_equal(itsm_policy_set_reassignment_rule(NULL, ITSM_REASSIGN_GROUP), ITSM_EINVAL);
    assert_int_equal(itsm_policy_set_reassignment_rule(p, (itsm_reassign_rule)3), ITSM_EINVAL);
    assert_non_null(strstr(itsm_policy_errmsg(p), "unknown reassignment rule 3"));
    assert_int_equal(itsm_policy_set_reassignment_rule(p, (itsm_reassign_rule)-1), ITSM_EINVAL);
    assert_int_equal(itsm_policy_reassignment_rule(p), ITSM_REASSIGN_GROUP);   /* kept */
    size_t len;
    char buf[16384];
    assert_ok(itsm_policy_to_json(p, buf, sizeof buf, &len));
    assert_non_null(strstr(buf, "\"priority_matrix\":[[1,2,3],[2,3,4],[3,4,5]],"
                                "\"counters\":{\"reassignment\":\"group\"},\"lifecycles\":"));
    assert_ok(itsm_policy_set_reassignment_rule(p, ITSM_REASSIGN_GROUP_OR_ASSIGNEE));
    assert_string_equal(itsm_policy_errmsg(p), "");
    assert_int_equal(itsm_policy_reassignment_rule(p), ITSM_REASSIGN_GROUP_OR_ASSIGNEE);
    assert_ok(itsm_policy_to_json(p, buf, sizeof buf, &len));
    assert_non_null(strstr(buf, "\"counters\":{\"reassignment\":\"group_or_assignee\"}"));
    /* Round trip, byte for byte; a clone keeps the rule. */
    itsm_parse_error err;
    assert_ok(itsm_policy_from_json(&q, buf, len, NULL, NULL, &err));
    assert_int_equal(itsm_policy_reassignment_rule(q), ITSM_REASSIGN_GROUP_OR_ASSIGNEE);
    char buf2[16384];
    size_t len2;
    assert_ok(itsm_policy_to_json(q, buf2, sizeof buf2, &len2));
    assert_string_equal(buf, buf2);
    assert_ok(itsm_policy_clone(&c, q));
    assert_int_equal(itsm_policy_reassignment_rule(c), ITSM_REASSIGN_GROUP_OR_ASSIGNEE);
    assert_ok(itsm_policy_to_json(c, buf2, sizeof buf2, &len2));
    assert_string_equal(buf, buf2);
    itsm_policy_free(c);
    itsm_policy_free(q);
    itsm_policy_free(p);
    /* The member is optional, and so is its one key: the default then. */
    static const char *const ok[] = {
        "{\"itsm_policy\":1}",
        "{\"itsm_policy\":1,\"counters\":{}}",
        "{\"itsm_policy\":1,\"counters\":{\"reassignment\":\"group\"}}",
    };
    for (size_t i = 0; i < N_(ok); i++) {
        assert_ok(itsm_policy_parse_json(&q, ok[i], strlen(ok[i]), NULL, NULL, &err));
        assert_int_equal(itsm_policy_reassignment_rule(q), ITSM_REASSIGN_GROUP);
        itsm_policy_free(q);
    }
    /* Refused at the offending value. */
    static const struct { const char *doc; size_t column; const char *text; } bad[] = {
        { "{\"itsm_policy\":1,\"counters\":[]}", 29, "'counters' must be an object" },
        { "{\"itsm_policy\":1,\"counters\":{\"reassign\":\"group\"}}", 41, "unknown member 'reassign' in counters" },
        { "{\"itsm_policy\":1,\"counters\":{\"reassignment\":\"assignee\"}}", 45,
          "'reassignment' must be \"group\", \"group_or_assignee\" or \"group_change\"" },
        { "{\"itsm_policy\":1,\"counters\":{\"reassignment\":1}}", 45, "'reassignment' must be" },
        { "{\"itsm_policy\":1,\"counters\":{\"reassignment\":\"group\\u0000\"}}", 45, "'reassignment' must be" },
    };
    for (size_t i = 0; i < N_(bad); i++) {
        q = (itsm_policy *)&err;
        assert_int_equal(itsm_policy_parse_json(&q, bad[i].doc, strlen(bad[i].doc), NULL, NULL, &err),
                         ITSM_EPARSE);
        assert_null(q);
        if (err.line != 1 || err.column != bad[i].column || !strstr(err.text, bad[i].text))
            fail_msg("%s: %zu:%zu %s", bad[i].doc, err.line, err.column, err.text);
    }
}

/* ---- notes and the timeline --------------------------------------------- */

static void work_note_is_added_with_time_and_author(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *r = open_inc(&f);
    assert_ok(itsm_engine_set_actor(f.eng, "alice"));
    f.clock.now = T0 + 30;
    assert_ok(add_note(r, ITSM_NOTE_WORK, "Rebooted the switch.", ITSM_TIME_NONE, ITSM_TIME_NONE));
    assert_int_equal(itsm_record_timeline_count(r), 1);
    assert_int_equal(itsm_record_revision(r), 2);
    assert_int_equal(itsm_record_int(r, ITSM_F_UPDATED_AT), T0 + 30);
    itsm_timeline_entry e = { .size = sizeof e };
    assert_ok(itsm_record_timeline_at(r, 0, &e));
    assert_int_equal(e.kind, ITSM_NOTE_WORK);
    assert_int_equal(e.at, T0 + 30);
    assert_string_equal(e.author, "alice");
    assert_string_equal(e.text, "Rebooted the switch.");
    assert_int_equal(e.expected_restoration, ITSM_TIME_NONE);
    assert_int_equal(e.next_update, ITSM_TIME_NONE);
    /* A work note ignores the customer-update times it was given. */
    assert_ok(add_note(r, ITSM_NOTE_WORK, "x", T0 + 100, T0 + 200));
    assert_ok(itsm_record_timeline_at(r, 1, &e));
    assert_int_equal(e.expected_restoration, ITSM_TIME_NONE);
    assert_int_equal(e.next_update, ITSM_TIME_NONE);
    fixture_close(&f);
}

static void customer_update_needs_actions_restoration_and_next_update(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *r = open_inc(&f);
    const itsm_time now = T0 + 600;
    f.clock.now = now;
    refuse(&f, add_note(r, ITSM_NOTE_CUSTOMER, NULL, now + 3600, now + 1800), ITSM_EINVAL,
           "a customer update needs its text (the actions taken)");
    refuse(&f, add_note(r, ITSM_NOTE_CUSTOMER, "", now + 3600, now + 1800), ITSM_EINVAL, "the actions taken");
    refuse(&f, add_note(r, ITSM_NOTE_CUSTOMER, "Restarted", ITSM_TIME_NONE, now + 1800), ITSM_EINVAL,
           "needs the expected restoration time");
    refuse(&f, add_note(r, ITSM_NOTE_CUSTOMER, "Restarted", now + 3600, ITSM_TIME_NONE), ITSM_EINVAL,
           "needs the next update time");
    refuse(&f, add_note(r, ITSM_NOTE_CUSTOMER, "Restarted", now + 3600, now), ITSM_EINVAL,
           "next update time must be after");
    refuse(&f, add_note(r, ITSM_NOTE_CUSTOMER, "Restarted", now + 3600, now - 60), ITSM_EINVAL,
           "next update time must be after");
    refuse(&f, add_note(r, ITSM_NOTE_CUSTOMER, "Restarted", -5, now + 60), ITSM_EINVAL,
           "expected restoration time -5 is outside");
    refuse(&f, add_note(r, ITSM_NOTE_CUSTOMER, "Restarted", now, ITSM_TIME_MAX + 1), ITSM_EINVAL,
           "next update time");
    refuse(&f, add_note(r, ITSM_NOTE_WORK, NULL, ITSM_TIME_NONE, ITSM_TIME_NONE), ITSM_EINVAL,
           "a work note needs its text");
    assert_ok(add_note(r, ITSM_NOTE_CUSTOMER, "Restarted the relay", now + 3600, now + 1));
    itsm_timeline_entry e = { .size = sizeof e };
    assert_ok(itsm_record_timeline_at(r, 0, &e));
    assert_int_equal(e.kind, ITSM_NOTE_CUSTOMER);
    assert_string_equal(e.text, "Restarted the relay");
    assert_int_equal(e.expected_restoration, now + 3600);
    assert_int_equal(e.next_update, now + 1);
    /* Restoration may already have happened (it is the customer's view). */
    assert_ok(add_note(r, ITSM_NOTE_CUSTOMER, "Restored at 09:05", T0 + 300, now + 60));
    char *d = engine_dump(f.eng), *d2 = replay_dump(&f.store);
    assert_string_equal(d, d2);
    free(d);
    free(d2);
    fixture_close(&f);
}

static void system_notes_and_unknown_note_kinds_are_refused(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *r = open_inc(&f);
    refuse(&f, add_note(r, ITSM_NOTE_SYSTEM, "I am the engine", ITSM_TIME_NONE, ITSM_TIME_NONE), ITSM_EINVAL,
           "note kind must be work or customer");
    refuse(&f, add_note(r, (itsm_note_kind)0, "x", ITSM_TIME_NONE, ITSM_TIME_NONE), ITSM_EINVAL, "note kind");
    refuse(&f, add_note(r, (itsm_note_kind)4, "x", ITSM_TIME_NONE, ITSM_TIME_NONE), ITSM_EINVAL, "note kind");
    refuse(&f, itsm_record_add_note(r, NULL), ITSM_EINVAL, "note options");
    itsm_note_opts o = ITSM_NOTE_OPTS_INIT;
    o.text = "x";
    o.version = 99;
    refuse(&f, itsm_record_add_note(r, &o), ITSM_EINVAL, "version 99 is newer than this library's 1");
    assert_int_equal(itsm_record_add_note(NULL, &o), ITSM_EINVAL);
    assert_int_equal(itsm_note_opts_init(&o, 99), ITSM_EINVAL);
    assert_ok(itsm_note_opts_init(&o, ITSM_NOTE_OPTS_VERSION));
    assert_int_equal(o.kind, ITSM_NOTE_WORK);
    assert_int_equal(o.expected_restoration, ITSM_TIME_NONE);
    fixture_close(&f);
}

static void a_closed_record_takes_no_notes_or_updates(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *r = open_inc(&f);
    assert_ok(itsm_record_fire(r, "cancel", NULL, 0));
    assert_int_equal(itsm_record_is_open(r), 0);
    refuse(&f, add_note(r, ITSM_NOTE_WORK, "late", ITSM_TIME_NONE, ITSM_TIME_NONE), ITSM_ESTATE, "canceled");
    refuse(&f, itsm_record_set_str(r, ITSM_F_SUMMARY, "late"), ITSM_ESTATE, "cannot update INC-000001");
    refuse(&f, itsm_record_fire(r, "assign", NULL, 0), ITSM_ETRANSITION, "canceled");
    fixture_close(&f);
}

static void timeline_keeps_order_times_and_authors(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *r = open_inc(&f);
    static const char *const who[] = { "alice", "bob", NULL, "jürgen" };
    for (int i = 0; i < 8; i++) {
        f.clock.now = T0 + 10 * i;
        assert_ok(itsm_engine_set_actor(f.eng, who[i % 4]));
        char text[32];
        snprintf(text, sizeof text, "note %d", i);
        if (i % 3 == 2)
            assert_ok(add_note(r, ITSM_NOTE_CUSTOMER, text, T0 + 7200, f.clock.now + 900));
        else
            assert_ok(add_note(r, ITSM_NOTE_WORK, text, ITSM_TIME_NONE, ITSM_TIME_NONE));
    }
    assert_int_equal(itsm_record_timeline_count(r), 8);
    for (int i = 0; i < 8; i++) {
        itsm_timeline_entry e = { .size = sizeof e };
        char text[32];
        snprintf(text, sizeof text, "note %d", i);
        assert_ok(itsm_record_timeline_at(r, (size_t)i, &e));
        assert_string_equal(e.text, text);
        assert_int_equal(e.at, T0 + 10 * i);
        assert_int_equal(e.kind, i % 3 == 2 ? ITSM_NOTE_CUSTOMER : ITSM_NOTE_WORK);
        if (who[i % 4])
            assert_string_equal(e.author, who[i % 4]);
        else
            assert_null(e.author);
    }
    /* The event carries the author; without one there is no actor member. */
    assert_non_null(strstr(f.store.events[1], "\"actor\":\"alice\""));
    assert_null(strstr(f.store.events[3], "\"actor\""));
    char *d = engine_dump(f.eng), *d2 = replay_dump(&f.store);
    assert_string_equal(d, d2);
    free(d);
    free(d2);
    fixture_close(&f);
}

static void set_actor_validates_the_name(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    char *longest = repeat('a', ITSM_MAX_SYMBOL);
    char *too_long = repeat('a', ITSM_MAX_SYMBOL + 1);
    assert_fails(f.eng, itsm_engine_set_actor(f.eng, ""), ITSM_EINVAL, "actor must be");
    assert_fails(f.eng, itsm_engine_set_actor(f.eng, too_long), ITSM_ELIMIT, "actor must be");
    assert_ok(itsm_engine_set_actor(f.eng, longest));
    itsm_record *r = open_inc(&f);
    /* A refused name keeps the previous actor. */
    assert_int_equal(itsm_engine_set_actor(f.eng, ""), ITSM_EINVAL);
    assert_ok(add_note(r, ITSM_NOTE_WORK, "x", ITSM_TIME_NONE, ITSM_TIME_NONE));
    itsm_timeline_entry e = { .size = sizeof e };
    assert_ok(itsm_record_timeline_at(r, 0, &e));
    assert_string_equal(e.author, longest);
    assert_ok(itsm_engine_set_actor(f.eng, NULL));
    assert_int_equal(itsm_engine_set_actor(NULL, "x"), ITSM_EINVAL);
    free(longest);
    free(too_long);
    fixture_close(&f);
}

/* ---- links -------------------------------------------------------------- */

static void check_link(const itsm_record *r, size_t i, itsm_link_kind kind, const itsm_record *target)
{
    itsm_link l = { .size = sizeof l };
    assert_ok(itsm_record_link_at(r, i, &l));
    assert_int_equal(l.kind, kind);
    assert_string_equal(l.target_id, itsm_record_id(target));
    assert_int_equal(l.target_kind, itsm_record_kind(target));
}

static void related_link_is_recorded_on_both_sides(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *inc = open_inc(&f);
    itsm_record *prb = open_kind(&f, ITSM_KIND_PROBLEM, NULL, NULL, 0);
    f.clock.now = T0 + 5;
    assert_ok(itsm_record_link(inc, ITSM_LINK_RELATED, prb));
    assert_int_equal(itsm_record_link_count(inc), 1);
    assert_int_equal(itsm_record_link_count(prb), 1);
    check_link(inc, 0, ITSM_LINK_RELATED, prb);
    check_link(prb, 0, ITSM_LINK_RELATED, inc);
    /* One step, two events, both revisions move. */
    assert_int_equal(itsm_record_revision(inc), 2);
    assert_int_equal(itsm_record_revision(prb), 2);
    assert_int_equal(itsm_record_int(prb, ITSM_F_UPDATED_AT), T0 + 5);
    assert_int_equal(f.store.n, 4);
    assert_int_equal(f.store.appends, 3);
    char *d = engine_dump(f.eng), *d2 = replay_dump(&f.store);
    assert_string_equal(d, d2);
    free(d);
    free(d2);
    fixture_close(&f);
}

static void child_link_gives_the_target_a_parent(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *major = open_inc(&f), *a = open_inc(&f), *b = open_inc(&f);
    assert_ok(itsm_record_link(major, ITSM_LINK_CHILD, a));
    assert_ok(itsm_record_link(b, ITSM_LINK_PARENT, major));
    assert_int_equal(itsm_record_link_count(major), 2);
    check_link(major, 0, ITSM_LINK_CHILD, a);
    check_link(major, 1, ITSM_LINK_CHILD, b);
    check_link(a, 0, ITSM_LINK_PARENT, major);
    check_link(b, 0, ITSM_LINK_PARENT, major);
    char *d = engine_dump(f.eng), *d2 = replay_dump(&f.store);
    assert_string_equal(d, d2);
    free(d);
    free(d2);
    fixture_close(&f);
}

static void linking_twice_is_eexists_from_either_side(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *a = open_inc(&f), *b = open_inc(&f);
    assert_ok(itsm_record_link(a, ITSM_LINK_RELATED, b));
    refuse(&f, itsm_record_link(a, ITSM_LINK_RELATED, b), ITSM_EEXISTS, "INC-000001 is already linked to INC-000002");
    refuse(&f, itsm_record_link(b, ITSM_LINK_RELATED, a), ITSM_EEXISTS, "already linked");
    assert_ok(itsm_record_link(a, ITSM_LINK_CHILD, b));
    refuse(&f, itsm_record_link(a, ITSM_LINK_CHILD, b), ITSM_EEXISTS, "already linked");
    refuse(&f, itsm_record_link(b, ITSM_LINK_PARENT, a), ITSM_EEXISTS, "already linked");
    fixture_close(&f);
}

/* a cannot be both the parent and a child of b. */
static void parent_and_child_of_the_same_record_is_refused(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *a = open_inc(&f), *b = open_inc(&f);
    assert_ok(itsm_record_link(a, ITSM_LINK_CHILD, b));
    refuse(&f, itsm_record_link(a, ITSM_LINK_PARENT, b), ITSM_EEXISTS, "already linked");
    refuse(&f, itsm_record_link(b, ITSM_LINK_CHILD, a), ITSM_EEXISTS, "already linked");
    /* RELATED beside a parent/child link is another fact and allowed. */
    assert_ok(itsm_record_link(a, ITSM_LINK_RELATED, b));
    fixture_close(&f);
}

static void self_links_and_bad_targets_are_refused(void **state)
{
    (void)state;
    fixture f, g;
    fixture_open(&f);
    fixture_open(&g);
    itsm_record *a = open_inc(&f), *b = open_inc(&f), *other = open_inc(&g);
    refuse(&f, itsm_record_link(a, ITSM_LINK_RELATED, a), ITSM_EINVAL, "INC-000001 cannot be linked to itself");
    refuse(&f, itsm_record_link(a, ITSM_LINK_CHILD, a), ITSM_EINVAL, "itself");
    refuse(&f, itsm_record_link(a, ITSM_LINK_RELATED, NULL), ITSM_EINVAL, "NULL or belongs to another engine");
    refuse(&f, itsm_record_link(a, ITSM_LINK_RELATED, other), ITSM_EINVAL, "another engine");
    refuse(&f, itsm_record_link(a, (itsm_link_kind)0, b), ITSM_EINVAL, "unknown link kind 0");
    refuse(&f, itsm_record_link(a, (itsm_link_kind)4, b), ITSM_EINVAL, "unknown link kind 4");
    assert_int_equal(itsm_record_link(NULL, ITSM_LINK_RELATED, b), ITSM_EINVAL);
    assert_int_equal(itsm_record_link_count(other), 0);
    fixture_close(&g);
    fixture_close(&f);
}

/* ---- ids ---------------------------------------------------------------- */

static void generated_ids_carry_the_kind_prefix_and_count_per_kind(void **state)
{
    (void)state;
    static const char *const want[] = { NULL, "INC-000001", "REQ-000001", "PRB-000001", "CHG-000001", "KB-000001" };
    fixture f;
    fixture_open(&f);
    for (int k = 1; k <= ITSM_KIND_COUNT; k++)
        assert_string_equal(itsm_record_id(open_kind(&f, (itsm_kind)k, NULL, NULL, 0)), want[k]);
    assert_string_equal(itsm_record_id(open_inc(&f)), "INC-000002");
    assert_string_equal(itsm_record_id(open_kind(&f, ITSM_KIND_KNOWLEDGE, NULL, NULL, 0)), "KB-000002");
    fixture_close(&f);
}

static void generated_ids_skip_ids_the_host_chose(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    open_kind(&f, ITSM_KIND_INCIDENT, "INC-000001", NULL, 0);
    open_kind(&f, ITSM_KIND_INCIDENT, "INC-000002", NULL, 0);
    assert_string_equal(itsm_record_id(open_inc(&f)), "INC-000003");
    /* An id of another kind's shape on an incident is skipped as well. */
    open_kind(&f, ITSM_KIND_INCIDENT, "PRB-000001", NULL, 0);
    assert_string_equal(itsm_record_id(open_kind(&f, ITSM_KIND_PROBLEM, NULL, NULL, 0)), "PRB-000002");
    /* A host id equal to one the engine generated is taken. */
    refuse(&f, open_with(&f, ITSM_KIND_INCIDENT, "INC-000003", NULL, 0), ITSM_EEXISTS,
           "record 'INC-000003' already exists");
    refuse(&f, open_with(&f, ITSM_KIND_PROBLEM, "INC-000003", NULL, 0), ITSM_EEXISTS, "already exists");
    fixture_close(&f);
}

/* The counter behind generated ids is rebuilt by replay: an engine loaded
 * from the store generates the same next id as the engine that wrote it. */
static void a_replayed_engine_generates_the_same_next_id(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    open_inc(&f);                                             /* INC-000001 */
    open_kind(&f, ITSM_KIND_INCIDENT, "INC-000005", NULL, 0); /* host's choice */
    open_inc(&f);
    open_kind(&f, ITSM_KIND_PROBLEM, "PRB-7", NULL, 0);
    fixture g;
    fixture_open(&g);
    g.store.check_revisions = 0;
    replay_store_into(g.eng, &f.store);
    for (int i = 0; i < 3; i++) {
        itsm_record *a = open_inc(&f), *b = open_inc(&g);
        assert_string_equal(itsm_record_id(a), itsm_record_id(b));
        a = open_kind(&f, ITSM_KIND_PROBLEM, NULL, NULL, 0);
        b = open_kind(&g, ITSM_KIND_PROBLEM, NULL, NULL, 0);
        assert_string_equal(itsm_record_id(a), itsm_record_id(b));
    }
    fixture_close(&g);
    fixture_close(&f);
}

static void ids_are_validated(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    char *id64 = repeat('x', 64), *id65 = repeat('x', 65);
    const char *bad[] = { "", id65, "a b", "a/b", "é", "a\tb", "a,b", "#1", "a\"b", "a\\b", "INC+1" };
    for (size_t i = 0; i < N_(bad); i++)
        refuse(&f, open_with(&f, ITSM_KIND_INCIDENT, bad[i], NULL, 0), ITSM_EINVAL,
               "record id must be 1..64 characters");
    const char *good[] = { id64, "a", "A-Z_a.z:09", "0", "incident:2026.03-a_b" };
    for (size_t i = 0; i < N_(good); i++)
        assert_string_equal(itsm_record_id(open_kind(&f, ITSM_KIND_INCIDENT, good[i], NULL, 0)), good[i]);
    /* Ids are case sensitive. */
    assert_string_equal(itsm_record_id(open_kind(&f, ITSM_KIND_INCIDENT, "A", NULL, 0)), "A");
    refuse(&f, open_with(&f, ITSM_KIND_PROBLEM, "a", NULL, 0), ITSM_EEXISTS, "already exists");
    free(id64);
    free(id65);
    char *d = engine_dump(f.eng), *d2 = replay_dump(&f.store);
    assert_string_equal(d, d2);
    free(d);
    free(d2);
    fixture_close(&f);
}

static void record_find_returns_the_record_or_enotfound(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *a = open_inc(&f), *b = open_kind(&f, ITSM_KIND_CHANGE, "chg-x", NULL, 0), *r;
    for (int i = 0; i < 200; i++)   /* grow the index past its first size */
        open_kind(&f, ITSM_KIND_KNOWLEDGE, NULL, NULL, 0);
    assert_ok(itsm_record_find(&r, f.eng, "INC-000001"));
    assert_ptr_equal(r, a);
    assert_ok(itsm_record_find(&r, f.eng, "chg-x"));
    assert_ptr_equal(r, b);
    assert_ok(itsm_record_find(&r, f.eng, "KB-000200"));
    assert_string_equal(itsm_record_id(r), "KB-000200");
    assert_fails(f.eng, itsm_record_find(&r, f.eng, "CHG-X"), ITSM_ENOTFOUND, "no record 'CHG-X'");
    assert_null(r);
    assert_fails(f.eng, itsm_record_find(&r, f.eng, ""), ITSM_ENOTFOUND, "no record");
    assert_fails(f.eng, itsm_record_find(&r, f.eng, NULL), ITSM_EINVAL, "must not be NULL");
    assert_fails(f.eng, itsm_record_find(NULL, f.eng, "x"), ITSM_EINVAL, "must not be NULL");
    assert_int_equal(itsm_record_find(&r, NULL, "x"), ITSM_EINVAL);
    /* Records come back in opening order. */
    assert_ok(itsm_engine_record_at(&r, f.eng, 1));
    assert_ptr_equal(r, b);
    assert_int_equal(itsm_engine_record_at(&r, f.eng, 202), ITSM_EINVAL);
    fixture_close(&f);
}

/* ---- the event sink ----------------------------------------------------- */

typedef struct sink_log {
    itsm_engine *eng;
    char       **json;
    size_t       n;
    int          batches;
} sink_log;

static char *event_json(const itsm_event *ev)
{
    size_t len;
    assert_int_equal(itsm_event_to_json(ev, NULL, 0, &len), ITSM_ELIMIT);
    char *buf = malloc(len + 1);
    assert_ok(itsm_event_to_json(ev, buf, len + 1, &len));
    assert_int_equal(strlen(buf), len);
    return buf;
}

static void log_sink(void *user, const itsm_event *const *evs, size_t n)
{
    sink_log *l = user;
    l->batches++;
    for (size_t i = 0; i < n; i++) {
        /* Already applied: the record is at the event's revision, in the
         * event's target state. */
        itsm_record *r;
        assert_ok(itsm_record_find(&r, l->eng, itsm_event_record_id(evs[i])));
        assert_int_equal(itsm_record_kind(r), itsm_event_record_kind(evs[i]));
        assert_true(itsm_record_revision(r) >= itsm_event_revision(evs[i]));
        if (i + 1 == n || strcmp(itsm_event_record_id(evs[i + 1]), itsm_event_record_id(evs[i])) != 0)
            assert_int_equal(itsm_record_revision(r), itsm_event_revision(evs[i]));
        if (itsm_event_to_state(evs[i]))
            assert_string_equal(itsm_record_state(r), itsm_event_to_state(evs[i]));
        assert_int_equal(itsm_record_int(r, ITSM_F_UPDATED_AT), itsm_event_time(evs[i]));
        l->json = realloc(l->json, (l->n + 1) * sizeof *l->json);
        l->json[l->n++] = event_json(evs[i]);
    }
}

static void sink_sees_exactly_the_accepted_events_after_they_apply(void **state)
{
    (void)state;
    vclock clock = { T0 };
    memstore store;
    memstore_init(&store);
    sink_log log = { NULL, NULL, 0, 0 };
    itsm_engine_opts o = ITSM_ENGINE_OPTS_INIT;
    o.store = &memstore_methods;
    o.store_user = &store;
    o.clock = vclock_read;
    o.clock_user = &clock;
    o.sink = log_sink;
    o.sink_user = &log;
    assert_ok(itsm_engine_new(&log.eng, &o));
    itsm_engine *eng = log.eng;
    itsm_record_opts ro = ITSM_RECORD_OPTS_INIT;
    itsm_record *inc, *prb;
    itsm_change c[] = { { ITSM_F_SUMMARY, "Long text\nwith \"quotes\"", 0 }, { ITSM_F_IMPACT, NULL, 1 },
                        { ITSM_F_URGENCY, NULL, 1 } };
    ro.fields = c;
    ro.nfields = 3;
    assert_ok(itsm_engine_set_actor(eng, "alice"));
    assert_ok(itsm_record_open(&inc, eng, &ro));
    ro.kind = ITSM_KIND_PROBLEM;
    ro.nfields = 1;
    assert_ok(itsm_record_open(&prb, eng, &ro));
    clock.now += 60;
    /* Refused ones in between: never told. */
    assert_int_equal(itsm_record_fire(inc, "resolve", NULL, 0), ITSM_ETRANSITION);
    assert_int_equal(itsm_record_set_int(inc, ITSM_F_IMPACT, 9), ITSM_EINVAL);
    assert_int_equal(itsm_record_link(inc, ITSM_LINK_RELATED, inc), ITSM_EINVAL);
    itsm_change g = { ITSM_F_ASSIGNMENT_GROUP, "desk", 0 };
    assert_ok(itsm_record_fire(inc, "assign", &g, 1));
    assert_ok(itsm_record_set_str(inc, ITSM_F_SUMMARY, "replaced text"));
    assert_ok(itsm_record_set_str(inc, ITSM_F_SUMMARY, NULL));
    assert_ok(itsm_record_link(inc, ITSM_LINK_RELATED, prb));
    itsm_note_opts n = ITSM_NOTE_OPTS_INIT;
    n.kind = ITSM_NOTE_CUSTOMER;
    n.text = "We are on it";
    n.expected_restoration = clock.now + 3600;
    n.next_update = clock.now + 600;
    assert_ok(itsm_record_add_note(inc, &n));
    store.fail_at = store.appends + 1;
    assert_int_equal(itsm_record_set_str(prb, ITSM_F_CAUSE, "refused by the store"), ITSM_ESTORE);
    assert_ok(itsm_record_fire(inc, "cancel", NULL, 0));
    /* Exactly the store's events, in order, byte for byte: the text a
     * store kept before apply equals what the sink reads after. */
    assert_int_equal(log.n, store.n);
    for (size_t i = 0; i < log.n; i++)
        assert_string_equal(log.json[i], store.events[i]);
    assert_int_equal(log.batches, store.appends - 1);
    for (size_t i = 0; i < log.n; i++)
        free(log.json[i]);
    free(log.json);
    itsm_engine_free(eng);
    memstore_free(&store);
}

/* ---- no re-entry from callbacks ----------------------------------------- */

typedef struct reentry {
    memstore     mem;
    itsm_engine *eng;
    itsm_record *rec;
    int          probe;     /* probe on the next callback */
    int          probed;
    int          codes[10];
} reentry;

static void probe_engine(reentry *re)
{
    itsm_engine *eng = re->eng;
    itsm_record *r = re->rec, *out = NULL;
    itsm_record_opts o = ITSM_RECORD_OPTS_INIT;
    itsm_note_opts n = ITSM_NOTE_OPTS_INIT;
    n.text = "from inside";
    const char *ev = "{\"v\":1,\"type\":\"update\",\"record\":\"INC-000001\",\"kind\":\"incident\",\"rev\":99,"
                     "\"at\":\"2026-03-02T09:00:00Z\"}";
    re->codes[0] = itsm_record_open(&out, eng, &o);
    re->codes[1] = itsm_record_set_str(r, ITSM_F_SUMMARY, "inside");
    re->codes[2] = itsm_record_fire(r, "cancel", NULL, 0);
    re->codes[3] = itsm_record_add_note(r, &n);
    re->codes[4] = itsm_record_link(r, ITSM_LINK_RELATED, r);
    re->codes[5] = itsm_engine_replay_json(eng, ev, strlen(ev), NULL);
    re->codes[6] = itsm_engine_load(eng);
    itsm_change c = { ITSM_F_CAUSE, "x", 0 };
    re->codes[7] = itsm_record_update(r, &c, 1);
    re->codes[8] = itsm_record_set_int(r, ITSM_F_IMPACT, 1);
    re->codes[9] = ITSM_ESTATE;
    re->probed++;
}

static int reentry_append(void *user, const itsm_event *const *evs, size_t n)
{
    reentry *re = user;
    if (re->probe)
        probe_engine(re);
    return memstore_methods.append(&re->mem, evs, n);
}

static int reentry_scan(void *user, itsm_store_emit_fn emit, void *ctx)
{
    reentry *re = user;
    return memstore_methods.scan(&re->mem, emit, ctx);
}

static void reentry_sink(void *user, const itsm_event *const *evs, size_t n)
{
    (void)evs;
    (void)n;
    reentry *re = user;
    if (re->probe)
        probe_engine(re);
}

static void check_probe(reentry *re, int times)
{
    assert_int_equal(re->probed, times);
    for (int i = 0; i < 10; i++)
        if (re->codes[i] != ITSM_ESTATE)
            fail_msg("call %d from inside a callback gave %s, wanted ITSM_ESTATE", i, itsm_errname(re->codes[i]));
    re->probed = 0;
}

static void calling_the_engine_from_a_store_or_sink_callback_is_estate(void **state)
{
    (void)state;
    static const itsm_store store = { ITSM_STORE_VERSION, reentry_append, reentry_scan, NULL, NULL, NULL };
    vclock clock = { T0 };
    reentry re;
    memset(&re, 0, sizeof re);
    memstore_init(&re.mem);
    itsm_engine_opts o = ITSM_ENGINE_OPTS_INIT;
    o.store = &store;
    o.store_user = &re;
    o.clock = vclock_read;
    o.clock_user = &clock;
    assert_ok(itsm_engine_new(&re.eng, &o));
    itsm_record_opts ro = ITSM_RECORD_OPTS_INIT;
    assert_ok(itsm_record_open(&re.rec, re.eng, &ro));
    char *before = engine_dump(re.eng);

    /* From inside store.append: refused, and the outer call still works. */
    re.probe = 1;
    assert_ok(itsm_record_set_str(re.rec, ITSM_F_CAUSE, "outer"));
    re.probe = 0;
    check_probe(&re, 1);
    assert_int_equal(itsm_record_revision(re.rec), 2);
    assert_string_equal(itsm_record_str(re.rec, ITSM_F_CAUSE), "outer");
    assert_null(itsm_record_str(re.rec, ITSM_F_SUMMARY));
    assert_int_equal(re.mem.n, 2);
    assert_string_equal(itsm_record_state(re.rec), "new");
    free(before);
    itsm_engine_free(re.eng);

    /* From inside the sink. */
    o.sink = reentry_sink;
    o.sink_user = &re;
    assert_ok(itsm_engine_new(&re.eng, &o));
    assert_ok(itsm_engine_load(re.eng));   /* rebuild from the same memstore */
    assert_ok(itsm_record_find(&re.rec, re.eng, "INC-000001"));
    re.probe = 1;
    assert_ok(itsm_record_set_str(re.rec, ITSM_F_CAUSE, "outer again"));
    re.probe = 0;
    check_probe(&re, 2);   /* from the append and from the sink */
    assert_int_equal(itsm_record_revision(re.rec), 3);
    assert_int_equal(itsm_engine_record_count(re.eng), 1);
    assert_int_equal(re.mem.n, 3);
    /* After the callback the engine takes calls again. */
    assert_ok(itsm_record_set_str(re.rec, ITSM_F_SUMMARY, "after"));
    char *d = engine_dump(re.eng), *d2 = replay_dump(&re.mem);
    assert_string_equal(d, d2);
    free(d);
    free(d2);
    itsm_engine_free(re.eng);
    memstore_free(&re.mem);
}

static int scan_calls_back(void *user, itsm_store_emit_fn emit, void *ctx)
{
    reentry *re = user;
    itsm_record *r;
    itsm_record_opts o = ITSM_RECORD_OPTS_INIT;
    re->codes[0] = itsm_record_open(&r, re->eng, &o);
    re->codes[1] = itsm_engine_load(re->eng);
    return memstore_methods.scan(&re->mem, emit, ctx);
}

static void calling_the_engine_from_a_store_scan_is_estate(void **state)
{
    (void)state;
    static const itsm_store store = { ITSM_STORE_VERSION, reentry_append, scan_calls_back, NULL, NULL, NULL };
    reentry re;
    memset(&re, 0, sizeof re);
    memstore_init(&re.mem);
    itsm_engine_opts o = ITSM_ENGINE_OPTS_INIT;
    o.store = &store;
    o.store_user = &re;
    assert_ok(itsm_engine_new(&re.eng, &o));
    assert_ok(itsm_engine_load(re.eng));
    assert_int_equal(re.codes[0], ITSM_ESTATE);
    assert_int_equal(re.codes[1], ITSM_ESTATE);
    assert_int_equal(itsm_engine_record_count(re.eng), 0);
    assert_int_equal(re.mem.n, 0);
    itsm_engine_free(re.eng);
    memstore_free(&re.mem);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_kind_opens_in_its_initial_state_with_every_field_readable),
        cmocka_unit_test(every_field_changes_through_update_and_clears_with_null),
        cmocka_unit_test(field_names_and_types_round_trip),
        cmocka_unit_test(getters_on_the_wrong_type_or_null_return_nothing),
        cmocka_unit_test(setters_refuse_the_wrong_type_naming_the_field),
        cmocka_unit_test(numbers_out_of_range_are_refused_naming_the_field),
        cmocka_unit_test(engine_owned_fields_cannot_be_set),
        cmocka_unit_test(unknown_fields_are_refused),
        cmocka_unit_test(over_long_text_and_symbols_are_elimit_never_truncated),
        cmocka_unit_test(invalid_utf8_is_refused_naming_the_field),
        cmocka_unit_test(symbols_refuse_controls_and_empty_but_text_keeps_newlines),
        cmocka_unit_test(nul_in_a_replayed_symbol_or_text_is_refused),
        cmocka_unit_test(the_same_field_twice_in_one_step_is_refused),
        cmocka_unit_test(an_update_needs_changes_and_a_record),
        cmocka_unit_test(opening_refuses_bad_options),
        cmocka_unit_test(priority_is_derived_from_impact_and_urgency),
        cmocka_unit_test(priority_follows_a_custom_matrix),
        cmocka_unit_test(reassignment_counts_only_moves_from_one_group_to_another),
        cmocka_unit_test(reassignment_rule_group_or_assignee_also_counts_assignee_moves),
        cmocka_unit_test(reassignment_rule_setter_json_and_clone),
        cmocka_unit_test(work_note_is_added_with_time_and_author),
        cmocka_unit_test(customer_update_needs_actions_restoration_and_next_update),
        cmocka_unit_test(system_notes_and_unknown_note_kinds_are_refused),
        cmocka_unit_test(a_closed_record_takes_no_notes_or_updates),
        cmocka_unit_test(timeline_keeps_order_times_and_authors),
        cmocka_unit_test(set_actor_validates_the_name),
        cmocka_unit_test(related_link_is_recorded_on_both_sides),
        cmocka_unit_test(child_link_gives_the_target_a_parent),
        cmocka_unit_test(linking_twice_is_eexists_from_either_side),
        cmocka_unit_test(parent_and_child_of_the_same_record_is_refused),
        cmocka_unit_test(self_links_and_bad_targets_are_refused),
        cmocka_unit_test(generated_ids_carry_the_kind_prefix_and_count_per_kind),
        cmocka_unit_test(generated_ids_skip_ids_the_host_chose),
        cmocka_unit_test(a_replayed_engine_generates_the_same_next_id),
        cmocka_unit_test(ids_are_validated),
        cmocka_unit_test(record_find_returns_the_record_or_enotfound),
        cmocka_unit_test(sink_sees_exactly_the_accepted_events_after_they_apply),
        cmocka_unit_test(calling_the_engine_from_a_store_or_sink_callback_is_estate),
        cmocka_unit_test(calling_the_engine_from_a_store_scan_is_estate),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
