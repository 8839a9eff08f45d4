/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Declaring custom fields at the documented limits (policy.h, docs/policy.md
 * "Custom fields"): names of 1..63 bytes of a-z, 0-9 and _, never a built-in
 * name; at most ITSM_MAX_CUSTOM_FIELDS; an enum of 1..64 distinct symbols;
 * an int range with inclusive ends; kinds as (1u << kind) bits; versioned
 * definitions. Then the values such fields take keep the limits built-in
 * fields of the same type keep (text 65536 bytes, symbols 255, bool 0/1,
 * times up to 9999). Each limit is accepted at the limit and refused one
 * past it, and a refusal leaves the policy or the record as it was.
 */
#include "support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static itsm_field_def def_of(const char *name, itsm_field_type type)
{
    itsm_field_def d = ITSM_FIELD_DEF_INIT;
    d.name = name;
    d.type = type;
    return d;
}

/* A fresh engine under `p` over the empty store `none` at the clock `c`
 * (T0), with the fixture's store replayed into it. The caller frees both. */
static itsm_engine *replayed_fresh(fixture *f, const itsm_policy *p, memstore *none, vclock *c)
{
    memstore_init(none);
    c->now = T0;
    itsm_engine *e2 = engine_over(none, c, p);
    replay_store_into(e2, &f->store);
    return e2;
}

/* Replaying the fixture's store into a fresh engine under `p` rebuilds
 * the same records: what the API took, replay takes. */
static void replays_the_same(fixture *f, const itsm_policy *p)
{
    memstore none;
    vclock c;
    itsm_engine *e2 = replayed_fresh(f, p, &none, &c);
    char *a = engine_dump(f->eng), *b = engine_dump(e2);
    assert_string_equal(a, b);
    free(a);
    free(b);
    itsm_engine_free(e2);
    memstore_free(&none);
}

/* A fixture under `p` and a new incident in it, with no fields given. */
static itsm_record *open_blank(fixture *f, const itsm_policy *p)
{
    fixture_open_with(f, p, NULL);
    itsm_record_opts o = ITSM_RECORD_OPTS_INIT;
    itsm_record *r;
    assert_ok(itsm_record_open(&r, f->eng, &o));
    return r;
}

/* A refused declaration: the code, the message naming `needle`, and the
 * policy's field count unchanged. */
static void refused(itsm_policy *p, const itsm_field_def *d, int code, const char *needle)
{
    size_t before = itsm_policy_field_count(p);
    itsm_field out = (itsm_field)12345;
    int rc = itsm_policy_add_field(p, d, &out);
    if (rc != code || !strstr(itsm_policy_errmsg(p), needle))
        fail_msg("add_field '%s': got %s \"%s\", wanted %s containing \"%s\"", d->name ? d->name : "(null)",
                 itsm_errname(rc), itsm_policy_errmsg(p), itsm_errname(code), needle);
    assert_int_equal(itsm_policy_field_count(p), before);
    assert_int_equal(out, (itsm_field)12345);   /* *out untouched on failure */
}

static void a_field_name_is_1_to_63_bytes_of_lowercase_digits_and_underscore(void **state)
{
    (void)state;
    itsm_policy *p;
    assert_ok(itsm_policy_new_default(&p, NULL));
    char name[80];
    memset(name, 'a', 63);
    name[63] = '\0';
    itsm_field_def d = def_of(name, ITSM_TYPE_TEXT);
    itsm_field f;
    assert_ok(itsm_policy_add_field(p, &d, &f));
    assert_int_equal(f, ITSM_F_CUSTOM_FIRST);
    assert_string_equal(itsm_policy_field_name(p, f), name);

    memset(name, 'b', 64);
    name[64] = '\0';
    refused(p, &d, ITSM_EINVAL, "");
    const char *bad[] = { "", "Tier", "tier-2", "tier 2", "t\xc3\xa9", "tier\x7f" };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        d.name = bad[i];
        refused(p, &d, ITSM_EINVAL, "");
    }
    d.name = NULL;
    refused(p, &d, ITSM_EINVAL, "");
    /* digits and underscores anywhere */
    d.name = "2nd_line_ref_9";
    assert_ok(itsm_policy_add_field(p, &d, &f));
    assert_int_equal(f, ITSM_F_CUSTOM_FIRST + 1);
    itsm_policy_free(p);
}

/* Every built-in name is taken, the engine-owned ones too, and so is a
 * declared one: ITSM_EEXISTS naming it. */
static void a_built_in_or_declared_name_is_taken(void **state)
{
    (void)state;
    itsm_policy *p;
    assert_ok(itsm_policy_new_default(&p, NULL));
    for (int i = 0; i < ITSM_F__COUNT; i++) {
        const char *name = itsm_field_name((itsm_field)i);
        assert_non_null(name);
        itsm_field_def d = def_of(name, ITSM_TYPE_SYMBOL);
        char want[96];
        snprintf(want, sizeof want, "'%s'", name);
        refused(p, &d, ITSM_EEXISTS, want);
    }
    itsm_field_def d = def_of("site", ITSM_TYPE_SYMBOL);
    assert_ok(itsm_policy_add_field(p, &d, NULL));
    d.type = ITSM_TYPE_TEXT;   /* another type does not make it another field */
    refused(p, &d, ITSM_EEXISTS, "'site'");
    itsm_policy_free(p);
}

static void at_most_32_custom_fields_the_33rd_is_a_limit(void **state)
{
    (void)state;
    assert_int_equal(ITSM_MAX_CUSTOM_FIELDS, 32);
    itsm_policy *p;
    assert_ok(itsm_policy_new_default(&p, NULL));
    char name[16];
    for (int i = 0; i < ITSM_MAX_CUSTOM_FIELDS; i++) {
        snprintf(name, sizeof name, "f%02d", i);
        itsm_field_def d = def_of(name, ITSM_TYPE_BOOL);
        itsm_field f;
        assert_ok(itsm_policy_add_field(p, &d, &f));
        assert_int_equal(f, ITSM_F_CUSTOM_FIRST + i);
    }
    assert_int_equal(itsm_policy_field_count(p), 32);
    itsm_field_def d = def_of("one_more", ITSM_TYPE_BOOL);
    refused(p, &d, ITSM_ELIMIT, "");
    /* and an engine takes all 32 */
    fixture f;
    fixture_open_with(&f, p, NULL);
    itsm_field last;
    assert_ok(itsm_engine_field(&last, f.eng, "f31"));
    assert_int_equal(last, ITSM_F_CUSTOM_FIRST + 31);
    assert_int_equal(itsm_engine_field(&last, f.eng, "one_more"), ITSM_ENOTFOUND);
    fixture_close(&f);
    itsm_policy_free(p);
}

static void an_enum_has_1_to_64_distinct_symbol_values(void **state)
{
    (void)state;
    itsm_policy *p;
    assert_ok(itsm_policy_new_default(&p, NULL));
    static char names[65][8];
    const char *values[65];
    for (int i = 0; i < 65; i++) {
        snprintf(names[i], sizeof names[i], "v%02d", i);
        values[i] = names[i];
    }
    itsm_field_def d = def_of("band", ITSM_TYPE_ENUM);
    d.values = values;
    d.nvalues = 65;
    refused(p, &d, ITSM_EINVAL, "1..64");
    d.nvalues = 0;
    refused(p, &d, ITSM_EINVAL, "1..64");
    d.values = NULL;
    d.nvalues = 3;
    refused(p, &d, ITSM_EINVAL, "");
    const char *dup[] = { "gold", "silver", "gold" };
    d.values = dup;
    refused(p, &d, ITSM_EINVAL, "gold");
    const char *blank[] = { "gold", "" };
    d.values = blank;
    d.nvalues = 2;
    refused(p, &d, ITSM_EINVAL, "field 'band': an enum value");   /* names the field */
    const char *ctl[] = { "gold", "sil\nver" };
    d.values = ctl;
    refused(p, &d, ITSM_EINVAL, "field 'band'");

    /* 64 is the limit, and one value is an enum too */
    d.values = values;
    d.nvalues = 64;
    itsm_field band, one;
    assert_ok(itsm_policy_add_field(p, &d, &band));
    itsm_field_def single = def_of("only", ITSM_TYPE_ENUM);
    single.values = values;
    single.nvalues = 1;
    assert_ok(itsm_policy_add_field(p, &single, &one));

    /* The definition is copied: read back, it owns its strings. */
    snprintf(names[63], sizeof names[63], "zz");
    itsm_field_def back;
    assert_ok(itsm_field_def_init(&back, ITSM_FIELD_DEF_VERSION));
    assert_ok(itsm_policy_field_def(&back, p, band));
    assert_string_equal(back.name, "band");
    assert_int_equal(back.type, ITSM_TYPE_ENUM);
    assert_int_equal(back.nvalues, 64);
    assert_string_equal(back.values[0], "v00");
    assert_string_equal(back.values[63], "v63");

    /* Each value, and no other, is accepted on a record. */
    fixture f;
    itsm_record *r = open_blank(&f, p);
    assert_ok(itsm_record_set_str(r, band, "v63"));
    assert_string_equal(itsm_record_str(r, band), "v63");
    assert_fails(f.eng, itsm_record_set_str(r, band, "v64"), ITSM_EINVAL, "band");
    assert_fails(f.eng, itsm_record_set_str(r, band, "zz"), ITSM_EINVAL, "band");
    assert_fails(f.eng, itsm_record_set_str(r, one, "v01"), ITSM_EINVAL, "only");
    assert_string_equal(itsm_record_str(r, band), "v63");
    fixture_close(&f);
    itsm_policy_free(p);
}

/* An int's range is inclusive at both ends; min == max is a range of one. */
static void an_int_range_is_inclusive_and_may_hold_one_value(void **state)
{
    (void)state;
    itsm_policy *p;
    assert_ok(itsm_policy_new_default(&p, NULL));
    itsm_field_def d = def_of("seats", ITSM_TYPE_INT);
    d.min = 1;
    d.max = 500;
    itsm_field seats, fixed, wide;
    assert_ok(itsm_policy_add_field(p, &d, &seats));
    d.name = "fixed";
    d.min = d.max = 7;
    assert_ok(itsm_policy_add_field(p, &d, &fixed));
    d.name = "wide";
    d.min = INT64_MIN + 1;
    d.max = INT64_MAX;
    assert_ok(itsm_policy_add_field(p, &d, &wide));

    fixture f;
    itsm_record *r = open_blank(&f, p);
    assert_ok(itsm_record_set_int(r, seats, 1));
    assert_ok(itsm_record_set_int(r, seats, 500));
    assert_fails(f.eng, itsm_record_set_int(r, seats, 501), ITSM_EINVAL, "seats");
    assert_fails(f.eng, itsm_record_set_int(r, seats, 0), ITSM_EINVAL, "seats");
    assert_int_equal(itsm_record_int(r, seats), 500);
    assert_ok(itsm_record_set_int(r, fixed, 7));
    assert_fails(f.eng, itsm_record_set_int(r, fixed, 6), ITSM_EINVAL, "fixed");
    assert_fails(f.eng, itsm_record_set_int(r, fixed, 8), ITSM_EINVAL, "fixed");
    assert_ok(itsm_record_set_int(r, wide, INT64_MAX));
    assert_ok(itsm_record_set_int(r, wide, INT64_MIN + 1));
    assert_int_equal(itsm_record_int(r, wide), INT64_MIN + 1);
    assert_fails(f.eng, itsm_record_set_int(r, wide, INT64_MIN), ITSM_EINVAL, "wide");
    replays_the_same(&f, p);
    fixture_close(&f);
    itsm_policy_free(p);
}

/* The type must be one of the six; the kinds bits those of the five kinds;
 * "required" among "kinds". */
static void a_type_or_kinds_the_library_does_not_know_are_refused(void **state)
{
    (void)state;
    itsm_policy *p;
    assert_ok(itsm_policy_new_default(&p, NULL));
    itsm_field_def d = def_of("site", (itsm_field_type)0);
    refused(p, &d, ITSM_EINVAL, "");
    d.type = (itsm_field_type)(ITSM_TYPE_ENUM + 1);
    refused(p, &d, ITSM_EINVAL, "");
    d.type = ITSM_TYPE_SYMBOL;
    d.kinds = 1u;   /* bit 0: no kind */
    refused(p, &d, ITSM_EINVAL, "");
    d.kinds = 1u << (ITSM_KIND_COUNT + 1);
    refused(p, &d, ITSM_EINVAL, "");
    d.kinds = 0;
    d.required = 1u << (ITSM_KIND_COUNT + 1);
    refused(p, &d, ITSM_EINVAL, "");
    d.required = 0;
    itsm_field_def v0;
    memset(&v0, 0, sizeof v0);
    v0.name = "site";
    refused(p, &v0, ITSM_EINVAL, "");   /* version 0 */
    assert_int_equal(itsm_policy_add_field(NULL, &d, NULL), ITSM_EINVAL);
    assert_int_equal(itsm_policy_add_field(p, NULL, NULL), ITSM_EINVAL);
    itsm_policy_free(p);
}

/* kinds 0 means every kind: such a field is taken on all five. */
static void a_field_without_kinds_applies_to_every_kind(void **state)
{
    (void)state;
    itsm_policy *p;
    assert_ok(itsm_policy_new_default(&p, NULL));
    itsm_field_def d = def_of("site", ITSM_TYPE_SYMBOL);
    itsm_field site;
    assert_ok(itsm_policy_add_field(p, &d, &site));
    fixture f;
    fixture_open_with(&f, p, NULL);
    for (int k = 1; k <= ITSM_KIND_COUNT; k++) {
        itsm_change ch[] = { { ITSM_F_SUMMARY, "Printer on fire", 0 }, { site, "berlin", 0 } };
        itsm_record_opts o = ITSM_RECORD_OPTS_INIT;
        o.kind = (itsm_kind)k;
        o.fields = ch;
        o.nfields = 2;
        itsm_record *r;
        assert_ok(itsm_record_open(&r, f.eng, &o));
        assert_string_equal(itsm_record_str(r, site), "berlin");
        assert_ok(itsm_record_set_str(r, site, "paris"));
        assert_string_equal(itsm_record_str(r, site), "paris");
    }
    fixture_close(&f);
    itsm_policy_free(p);
}

/* A field required for some kinds: opening one of them without it is
 * ITSM_EINVAL with the documented message; other kinds open without it. */
static void a_required_field_is_named_with_the_kind_that_needs_it(void **state)
{
    (void)state;
    itsm_policy *p;
    assert_ok(itsm_policy_new_default(&p, NULL));
    itsm_field_def d = def_of("contract", ITSM_TYPE_SYMBOL);
    d.kinds = ITSM_REPORT_KIND(ITSM_KIND_INCIDENT) | ITSM_REPORT_KIND(ITSM_KIND_SERVICE_REQUEST) |
              ITSM_REPORT_KIND(ITSM_KIND_PROBLEM);
    d.required = ITSM_REPORT_KIND(ITSM_KIND_INCIDENT) | ITSM_REPORT_KIND(ITSM_KIND_SERVICE_REQUEST);
    itsm_field contract;
    assert_ok(itsm_policy_add_field(p, &d, &contract));
    fixture f;
    fixture_open_with(&f, p, NULL);
    itsm_record_opts o = ITSM_RECORD_OPTS_INIT;
    itsm_record *r = NULL;
    assert_fails(f.eng, itsm_record_open(&r, f.eng, &o), ITSM_EINVAL,
                 "field 'contract' is required to open an incident");
    assert_null(r);
    o.kind = ITSM_KIND_SERVICE_REQUEST;
    assert_fails(f.eng, itsm_record_open(&r, f.eng, &o), ITSM_EINVAL, "field 'contract' is required to open");
    assert_int_equal(itsm_engine_record_count(f.eng), 0);
    assert_int_equal(f.store.n, 0);
    /* A cleared value is no value. */
    itsm_change none = { contract, NULL, 0 };
    o.fields = &none;
    o.nfields = 1;
    assert_fails(f.eng, itsm_record_open(&r, f.eng, &o), ITSM_EINVAL, "'contract' is required");
    itsm_change given = { contract, "gold_2026", 0 };
    o.fields = &given;
    assert_ok(itsm_record_open(&r, f.eng, &o));
    /* a problem may give it and need not */
    o.kind = ITSM_KIND_PROBLEM;
    o.fields = NULL;
    o.nfields = 0;
    assert_ok(itsm_record_open(&r, f.eng, &o));
    /* a change may not give it */
    o.kind = ITSM_KIND_CHANGE;
    o.fields = &given;
    o.nfields = 1;
    assert_fails(f.eng, itsm_record_open(&r, f.eng, &o), ITSM_EINVAL, "contract");
    fixture_close(&f);
    itsm_policy_free(p);
}

static void field_definitions_are_versioned(void **state)
{
    (void)state;
    itsm_field_def d;
    memset(&d, 0xAB, sizeof d);
    assert_int_equal(itsm_field_def_init(NULL, ITSM_FIELD_DEF_VERSION), ITSM_EINVAL);
    assert_int_equal(itsm_field_def_init(&d, 0), ITSM_EINVAL);
    assert_int_equal(itsm_field_def_init(&d, ITSM_FIELD_DEF_VERSION + 1), ITSM_EINVAL);
    assert_int_equal(d.version, 0xABABABABu);   /* untouched */
    assert_ok(itsm_field_def_init(&d, ITSM_FIELD_DEF_VERSION));
    itsm_field_def init = ITSM_FIELD_DEF_INIT;
    assert_int_equal(d.version, init.version);
    assert_null(d.name);
    assert_int_equal(d.type, ITSM_TYPE_TEXT);
    assert_null(d.values);
    assert_int_equal(d.nvalues, 0);
    assert_int_equal(d.kinds, 0);
    assert_int_equal(d.required, 0);

    itsm_policy *p;
    assert_ok(itsm_policy_new_default(&p, NULL));
    d.name = "site";
    d.version = ITSM_FIELD_DEF_VERSION + 1;
    char want[160];
    snprintf(want, sizeof want, "version %u is newer than this library's %u (itsm %s)", ITSM_FIELD_DEF_VERSION + 1,
             ITSM_FIELD_DEF_VERSION, ITSM_VERSION_STRING);
    refused(p, &d, ITSM_EINVAL, want);
    d.version = ITSM_FIELD_DEF_VERSION;
    itsm_field site;
    assert_ok(itsm_policy_add_field(p, &d, &site));
    /* reading back into a definition of a newer version than the library's */
    itsm_field_def back = ITSM_FIELD_DEF_INIT;
    back.version = ITSM_FIELD_DEF_VERSION + 1;
    assert_int_equal(itsm_policy_field_def(&back, p, site), ITSM_EINVAL);
    assert_null(back.name);
    back.version = ITSM_FIELD_DEF_VERSION;
    assert_ok(itsm_policy_field_def(&back, p, site));
    assert_string_equal(back.name, "site");
    assert_int_equal(itsm_policy_field_def(&back, p, (itsm_field)(site + 1)), ITSM_EINVAL);
    assert_int_equal(itsm_policy_field_def(NULL, p, site), ITSM_EINVAL);
    assert_int_equal(itsm_policy_field_def(&back, NULL, site), ITSM_EINVAL);
    itsm_policy_free(p);
}

/* ---- values ---- */

static itsm_field c_note, c_code, c_flag, c_when;

static itsm_policy *typed_policy(void)
{
    itsm_policy *p;
    assert_ok(itsm_policy_new_default(&p, NULL));
    itsm_field_def d = def_of("site_note", ITSM_TYPE_TEXT);
    assert_ok(itsm_policy_add_field(p, &d, &c_note));
    d = def_of("site_code", ITSM_TYPE_SYMBOL);
    assert_ok(itsm_policy_add_field(p, &d, &c_code));
    d = def_of("vip", ITSM_TYPE_BOOL);
    assert_ok(itsm_policy_add_field(p, &d, &c_flag));
    d = def_of("planned_start", ITSM_TYPE_TIME);
    assert_ok(itsm_policy_add_field(p, &d, &c_when));
    return p;
}

/* Text up to 65536 bytes, symbols up to 255; one byte more is ITSM_ELIMIT
 * (never cut); bad UTF-8 and, in a symbol, control bytes are ITSM_EINVAL. */
static void custom_text_and_symbols_keep_the_built_in_limits(void **state)
{
    (void)state;
    itsm_policy *p = typed_policy();
    fixture f;
    itsm_record *r = open_blank(&f, p);
    char *big = malloc(ITSM_MAX_TEXT + 2);
    assert_non_null(big);
    memset(big, 'x', ITSM_MAX_TEXT + 1);
    big[ITSM_MAX_TEXT + 1] = '\0';
    assert_fails(f.eng, itsm_record_set_str(r, c_note, big), ITSM_ELIMIT, "site_note");
    big[ITSM_MAX_TEXT] = '\0';
    assert_ok(itsm_record_set_str(r, c_note, big));
    assert_int_equal(strlen(itsm_record_str(r, c_note)), ITSM_MAX_TEXT);
    char sym[ITSM_MAX_SYMBOL + 2];
    memset(sym, 's', ITSM_MAX_SYMBOL + 1);
    sym[ITSM_MAX_SYMBOL + 1] = '\0';
    assert_fails(f.eng, itsm_record_set_str(r, c_code, sym), ITSM_ELIMIT, "site_code");
    sym[ITSM_MAX_SYMBOL] = '\0';
    assert_ok(itsm_record_set_str(r, c_code, sym));
    assert_int_equal(strlen(itsm_record_str(r, c_code)), ITSM_MAX_SYMBOL);
    uint64_t rev = itsm_record_revision(r);
    assert_fails(f.eng, itsm_record_set_str(r, c_note, "bad \xc3\x28 utf-8"), ITSM_EINVAL, "site_note");
    assert_fails(f.eng, itsm_record_set_str(r, c_code, "ber\x01lin"), ITSM_EINVAL, "site_code");
    assert_fails(f.eng, itsm_record_set_str(r, c_code, ""), ITSM_EINVAL, "site_code");
    assert_int_equal(itsm_record_revision(r), rev);
    assert_int_equal(strlen(itsm_record_str(r, c_note)), ITSM_MAX_TEXT);
    /* text may hold line breaks */
    assert_ok(itsm_record_set_str(r, c_note, "rack 4\nrow B"));
    replays_the_same(&f, p);
    free(big);
    fixture_close(&f);
    itsm_policy_free(p);
}

/* A bool is 0 or 1; a time lies in 1970..9999; each by its number. */
static void custom_bools_and_times_keep_the_built_in_ranges(void **state)
{
    (void)state;
    itsm_policy *p = typed_policy();
    fixture f;
    itsm_record *r = open_blank(&f, p);
    assert_ok(itsm_record_set_int(r, c_flag, 1));
    assert_true(itsm_record_has(r, c_flag));
    assert_fails(f.eng, itsm_record_set_int(r, c_flag, 2), ITSM_EINVAL, "vip");
    assert_fails(f.eng, itsm_record_set_int(r, c_flag, -1), ITSM_EINVAL, "vip");
    assert_int_equal(itsm_record_int(r, c_flag), 1);
    assert_ok(itsm_record_set_int(r, c_flag, 0));
    assert_false(itsm_record_has(r, c_flag));   /* a bool is set when true */

    assert_ok(itsm_record_set_int(r, c_when, ITSM_TIME_MAX));
    assert_int_equal(itsm_record_int(r, c_when), ITSM_TIME_MAX);
    assert_fails(f.eng, itsm_record_set_int(r, c_when, ITSM_TIME_MAX + 1), ITSM_EINVAL, "planned_start");
    assert_fails(f.eng, itsm_record_set_int(r, c_when, -2), ITSM_EINVAL, "planned_start");
    assert_ok(itsm_record_set_int(r, c_when, ITSM_TIME_MIN));
    assert_int_equal(itsm_record_int(r, c_when), ITSM_TIME_MIN);
    assert_true(itsm_record_has(r, c_when));
    /* strings are not numbers, numbers not strings */
    assert_fails(f.eng, itsm_record_set_str(r, c_when, "2026-03-02T09:00:00Z"), ITSM_EINVAL, "planned_start");
    assert_fails(f.eng, itsm_record_set_int(r, c_code, 5), ITSM_EINVAL, "site_code");
    /* the getter of the other type reads nothing */
    assert_null(itsm_record_str(r, c_when));
    assert_ok(itsm_record_set_str(r, c_code, "ber"));
    assert_int_equal(itsm_record_int(r, c_code), 0);
    replays_the_same(&f, p);
    fixture_close(&f);
    itsm_policy_free(p);
}

/* The enum "tier" (gold, silver) for `kinds` (0: every kind), declared in
 * `p`; its field in `out` (may be NULL). */
static void add_tier(itsm_policy *p, unsigned kinds, itsm_field *out)
{
    static const char *tiers[] = { "gold", "silver" };
    itsm_field_def d = def_of("tier", ITSM_TYPE_ENUM);
    d.values = tiers;
    d.nvalues = 2;
    d.kinds = kinds;
    assert_ok(itsm_policy_add_field(p, &d, out));
}

/* The int "seats" in 1..500, the same way. */
static void add_seats(itsm_policy *p, itsm_field *out)
{
    itsm_field_def d = def_of("seats", ITSM_TYPE_INT);
    d.min = 1;
    d.max = 500;
    assert_ok(itsm_policy_add_field(p, &d, out));
}

/* A guard value the custom field cannot hold is refused when the
 * transition is added (as "impact=7" is for a built-in field). */
static void a_guard_value_a_custom_field_cannot_hold_is_refused(void **state)
{
    (void)state;
    itsm_policy *p;
    assert_ok(itsm_policy_new_default(&p, NULL));
    add_tier(p, 0, NULL);
    add_seats(p, NULL);
    itsm_field_def d = def_of("vip", ITSM_TYPE_BOOL);
    assert_ok(itsm_policy_add_field(p, &d, NULL));
    assert_ok(itsm_policy_add_event(p, ITSM_KIND_INCIDENT, "expedite"));
    itsm_transition_def x = ITSM_TRANSITION_DEF_INIT;
    x.from = "new";
    x.event = "expedite";
    x.to = "assigned";
    const char *bad[] = { "tier=bronze", "seats=501", "vip=2", "seats=many" };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        x.guard = bad[i];
        int rc = itsm_policy_add_transition(p, ITSM_KIND_INCIDENT, &x);
        if (rc != ITSM_EINVAL)
            fail_msg("guard '%s': got %s \"%s\"", bad[i], itsm_errname(rc), itsm_policy_errmsg(p));
    }
    x.guard = "nosuch=1";
    assert_int_equal(itsm_policy_add_transition(p, ITSM_KIND_INCIDENT, &x), ITSM_ENOTFOUND);
    assert_non_null(strstr(itsm_policy_errmsg(p), "nosuch"));
    x.guard = "tier=gold seats=500 vip=1";
    assert_ok(itsm_policy_add_transition(p, ITSM_KIND_INCIDENT, &x));
    itsm_policy_free(p);
}

/* A policy document itsm_policy_from_json refuses, making no policy. */
static void document_refused(const char *doc, itsm_parse_error *err)
{
    itsm_policy *p = NULL;
    assert_int_not_equal(itsm_policy_from_json(&p, doc, strlen(doc), NULL, NULL, err), ITSM_OK);
    assert_null(p);
}

/* The same limits hold in the policy document. */
static void a_document_declaring_past_a_limit_is_refused(void **state)
{
    (void)state;
    char doc[4096];
    itsm_parse_error err;
    itsm_policy *p = NULL;
    /* 64-byte name */
    char name[65];
    memset(name, 'n', 64);
    name[64] = '\0';
    snprintf(doc, sizeof doc, "{\"itsm_policy\":1,\"fields\":[{\"name\":\"%s\",\"type\":\"text\"}]}", name);
    document_refused(doc, &err);
    name[63] = '\0';
    snprintf(doc, sizeof doc, "{\"itsm_policy\":1,\"fields\":[{\"name\":\"%s\",\"type\":\"text\"}]}", name);
    assert_ok(itsm_policy_from_json(&p, doc, strlen(doc), NULL, NULL, &err));
    assert_int_equal(itsm_policy_field_count(p), 1);
    itsm_policy_free(p);
    p = NULL;
    /* the same name twice */
    const char *twice = "{\"itsm_policy\":1,\"fields\":[{\"name\":\"site\",\"type\":\"text\"},"
                        "{\"name\":\"site\",\"type\":\"symbol\"}]}";
    document_refused(twice, &err);
    assert_non_null(strstr(err.text, "site"));
    /* a built-in name */
    const char *builtin = "{\"itsm_policy\":1,\"fields\":[{\"name\":\"caller\",\"type\":\"text\"}]}";
    assert_int_not_equal(itsm_policy_from_json(&p, builtin, strlen(builtin), NULL, NULL, &err), ITSM_OK);
    assert_non_null(strstr(err.text, "caller"));
    /* required outside kinds */
    const char *req = "{\"itsm_policy\":1,\"fields\":[{\"name\":\"site\",\"type\":\"text\","
                      "\"kinds\":[\"problem\"],\"required\":[\"incident\"]}]}";
    document_refused(req, &err);
    /* 65 enum values; 33 fields */
    size_t at = (size_t)snprintf(doc, sizeof doc, "{\"itsm_policy\":1,\"fields\":[{\"name\":\"band\","
                                                  "\"type\":\"enum\",\"values\":[");
    for (int i = 0; i < 65; i++)
        at += (size_t)snprintf(doc + at, sizeof doc - at, "%s\"v%02d\"", i ? "," : "", i);
    snprintf(doc + at, sizeof doc - at, "]}]}");
    document_refused(doc, &err);
    at = (size_t)snprintf(doc, sizeof doc, "{\"itsm_policy\":1,\"fields\":[");
    for (int i = 0; i < 33; i++)
        at += (size_t)snprintf(doc + at, sizeof doc - at, "%s{\"name\":\"f%02d\",\"type\":\"bool\"}", i ? "," : "",
                               i);
    snprintf(doc + at, sizeof doc - at, "]}");
    int rc = itsm_policy_from_json(&p, doc, strlen(doc), NULL, NULL, &err);
    assert_true(rc == ITSM_ELIMIT || rc == ITSM_EPARSE);
    assert_null(p);
    /* ... and 32 are fine */
    char *cut = strstr(doc, ",{\"name\":\"f32\"");
    assert_non_null(cut);
    snprintf(cut, sizeof doc - (size_t)(cut - doc), "]}");
    assert_ok(itsm_policy_from_json(&p, doc, strlen(doc), NULL, NULL, &err));
    assert_int_equal(itsm_policy_field_count(p), 32);
    itsm_policy_free(p);
}

/* "kinds": [] says "no kind"; read as the C default it would mean every
 * kind, so the document is refused. "required": [] means none required. */
static void an_empty_kinds_list_is_refused_an_empty_required_list_is_none(void **state)
{
    (void)state;
    itsm_parse_error err;
    itsm_policy *p = NULL;
    const char *none = "{\"itsm_policy\":1,\"fields\":[{\"name\":\"site\",\"type\":\"text\",\"kinds\":[]}]}";
    document_refused(none, &err);
    assert_int_equal(err.code, ITSM_EPARSE);
    assert_non_null(strstr(err.text, "'kinds' names no record kind"));
    const char *unrequired = "{\"itsm_policy\":1,\"fields\":[{\"name\":\"site\",\"type\":\"text\","
                             "\"required\":[]}]}";
    assert_ok(itsm_policy_from_json(&p, unrequired, strlen(unrequired), NULL, NULL, &err));
    itsm_field_def d = ITSM_FIELD_DEF_INIT;
    assert_ok(itsm_policy_field_def(&d, p, ITSM_F_CUSTOM_FIRST));
    unsigned every = 0;   /* kinds left out: the definition reads back every kind */
    for (int k = 1; k <= ITSM_KIND_COUNT; k++)
        every |= ITSM_REPORT_KIND(k);
    assert_int_equal(d.kinds, every);
    assert_int_equal(d.required, 0);
    itsm_policy_free(p);
}

/* Replay takes what the API takes and refuses what it refuses: a stored
 * event is the same value check's input. Each case edits one member of a
 * stored event the API wrote; each edit is a value the API refuses. */
static void a_stored_value_the_api_refuses_is_refused_by_replay(void **state)
{
    (void)state;
    itsm_policy *p;
    assert_ok(itsm_policy_new_default(&p, NULL));
    itsm_field tier, vip, due, seats;
    add_tier(p, ITSM_REPORT_KIND(ITSM_KIND_INCIDENT), &tier);
    itsm_field_def d = def_of("vip", ITSM_TYPE_BOOL);
    assert_ok(itsm_policy_add_field(p, &d, &vip));
    d = def_of("due", ITSM_TYPE_TIME);
    assert_ok(itsm_policy_add_field(p, &d, &due));
    add_seats(p, &seats);
    fixture f;
    fixture_open_with(&f, p, NULL);
    itsm_change ch[] = { { tier, "gold", 0 }, { vip, NULL, 1 }, { due, NULL, T0 + 3600 }, { seats, NULL, 5 } };
    itsm_record_opts o = ITSM_RECORD_OPTS_INIT;
    o.id = "INC1";
    o.fields = ch;
    o.nfields = 4;
    itsm_record *r;
    assert_ok(itsm_record_open(&r, f.eng, &o));
    o.kind = ITSM_KIND_PROBLEM;
    o.id = "PRB1";
    o.fields = &ch[1];
    o.nfields = 1;
    assert_ok(itsm_record_open(&r, f.eng, &o));
    const char *inc = memstore_find(&f.store, "\"record\":\"INC1\"");
    const char *prb = memstore_find(&f.store, "\"record\":\"PRB1\"");
    static const struct { int problem; const char *from, *to; } bad[] = {
        { 0, "\"tier\":\"gold\"", "\"tier\":\"Gold\"" },
        { 0, "\"seats\":5", "\"seats\":0" },
        { 0, "\"seats\":5", "\"seats\":5.5" },
        { 0, "\"vip\":true", "\"vip\":2" },
        { 0, "\"vip\":true", "\"vip\":\"yes\"" },
        { 0, "\"due\":\"2026-03-02T10:00:00Z\"", "\"due\":\"2026-03-02\"" },
        { 0, "\"due\":\"2026-03-02T10:00:00Z\"", "\"due\":7" },
        { 0, "\"tier\":\"gold\"", "\"tiers\":\"gold\"" },
        { 1, "\"vip\":true", "\"vip\":true,\"tier\":\"gold\"" },   /* tier is for incidents only */
    };
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
        const char *ev = bad[k].problem ? prb : inc;
        const char *at = strstr(ev, bad[k].from);
        if (!at)
            fail_msg("case %zu: no %s in %s", k, bad[k].from, ev);
        char doc[8192];
        snprintf(doc, sizeof doc, "%.*s%s%s", (int)(at - ev), ev, bad[k].to, at + strlen(bad[k].from));
        itsm_engine_opts eo = ITSM_ENGINE_OPTS_INIT;
        eo.policy = p;
        itsm_engine *eng;
        assert_ok(itsm_engine_new(&eng, &eo));
        itsm_parse_error err;
        memset(&err, 0, sizeof err);
        int rc = itsm_engine_replay_json(eng, doc, strlen(doc), &err);
        if (rc == ITSM_OK)
            fail_msg("case %zu: replay took %s", k, doc);
        assert_int_equal(itsm_engine_record_count(eng), 0);
        itsm_engine_free(eng);
    }
    /* and the events as written replay */
    memstore none;
    vclock c;
    itsm_engine *e2 = replayed_fresh(&f, p, &none, &c);
    assert_int_equal(itsm_engine_record_count(e2), 2);
    itsm_engine_free(e2);
    memstore_free(&none);
    fixture_close(&f);
    itsm_policy_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_field_name_is_1_to_63_bytes_of_lowercase_digits_and_underscore),
        cmocka_unit_test(a_built_in_or_declared_name_is_taken),
        cmocka_unit_test(at_most_32_custom_fields_the_33rd_is_a_limit),
        cmocka_unit_test(an_enum_has_1_to_64_distinct_symbol_values),
        cmocka_unit_test(an_int_range_is_inclusive_and_may_hold_one_value),
        cmocka_unit_test(a_type_or_kinds_the_library_does_not_know_are_refused),
        cmocka_unit_test(a_field_without_kinds_applies_to_every_kind),
        cmocka_unit_test(an_empty_kinds_list_is_refused_an_empty_required_list_is_none),
        cmocka_unit_test(a_required_field_is_named_with_the_kind_that_needs_it),
        cmocka_unit_test(field_definitions_are_versioned),
        cmocka_unit_test(custom_text_and_symbols_keep_the_built_in_limits),
        cmocka_unit_test(custom_bools_and_times_keep_the_built_in_ranges),
        cmocka_unit_test(a_guard_value_a_custom_field_cannot_hold_is_refused),
        cmocka_unit_test(a_document_declaring_past_a_limit_is_refused),
        cmocka_unit_test(a_stored_value_the_api_refuses_is_refused_by_replay),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
