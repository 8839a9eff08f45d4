/* SPDX-License-Identifier: Apache-2.0 */
/* Record fields: every kind opens in its initial state with every field
 * readable, updates and clears, names and types, getters and setters on the
 * wrong type, ranges, engine-owned and unknown fields, over-long text and
 * symbols, invalid UTF-8, NUL, a field given twice, and bad options; every
 * refusal changes nothing. */
#include "record_check.h"

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
    assert_replays_the_same(f.eng, &f.store);
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
    assert_replays_the_same(f.eng, &f.store);
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
    assert_replays_the_same(f.eng, &f.store);
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

/* Seed 003: "Make sure someone owns every request". A record in a state
 * every way into which needs an assignee (an incident in progress: start,
 * resume and reopen all do) keeps one: an update clearing it is refused
 * (ITSM_ESTATE, the state named, nothing stored); handing it to someone
 * else is an update like any other. Where no such guard holds (assigned:
 * back in the group's queue; on hold) the assignee may be cleared. */
static void an_incident_in_progress_cannot_lose_its_owner(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *r = open_inc(&f);
    itsm_change s[2] = { { ITSM_F_ASSIGNMENT_GROUP, "service_desk", 0 }, { ITSM_F_ASSIGNEE, "alice", 0 } };
    assert_ok(itsm_record_fire(r, "start", s, 2));
    itsm_change none = { ITSM_F_ASSIGNEE, NULL, 0 };
    refuse(&f, itsm_record_update(r, &none, 1), ITSM_ESTATE, "in_progress");
    refuse(&f, itsm_record_set_str(r, ITSM_F_ASSIGNEE, NULL), ITSM_ESTATE, "needs an assignee");
    itsm_change two[2] = { { ITSM_F_CATEGORY, "mail", 0 }, { ITSM_F_ASSIGNEE, NULL, 0 } };
    refuse(&f, itsm_record_update(r, two, 2), ITSM_ESTATE, "in_progress");
    assert_string_equal(itsm_record_str(r, ITSM_F_ASSIGNEE), "alice");
    assert_ok(itsm_record_set_str(r, ITSM_F_ASSIGNEE, "bob"));   /* handed on, never unowned */
    assert_string_equal(itsm_record_str(r, ITSM_F_ASSIGNEE), "bob");
    itsm_change why = { ITSM_F_HOLD_REASON, "awaiting_customer", 0 };
    assert_ok(itsm_record_fire(r, "hold", &why, 1));
    assert_ok(itsm_record_update(r, &none, 1));   /* on hold: no guard asks for one */

    itsm_record *q = open_inc(&f);
    assert_ok(itsm_record_fire(q, "assign", s, 2));
    assert_ok(itsm_record_update(q, &none, 1));   /* assigned: back in the group's queue */
    fixture_close(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(an_incident_in_progress_cannot_lose_its_owner),
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
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
