/* SPDX-License-Identifier: Apache-2.0 */
/* The record's numeric fields are stored by width (core/fields.h): every
 * built-in numeric field's slot must be of a width that holds its whole
 * range, and values at the ends of the ranges must read back as set.
 * String fields: text in owned pointers, symbols as 32-bit ids; each
 * field's slot must be of its kind. */
#include "support.h"
#include "core/core.h"

#include <stdint.h>
#include <string.h>

static void every_numeric_slot_holds_its_fields_range(void **state)
{
    (void)state;
    int used[ITSM__NNUM] = { 0 };
    for (int f = 0; f < (int)ITSM_F__COUNT; f++) {
        const itsm__field_info *fi = &itsm__fields[f];
        if (itsm__field_is_str((itsm_field)f))
            continue;
        assert_true(fi->slot < ITSM__NNUM);
        assert_int_equal(used[fi->slot], 0);   /* one field per slot */
        used[fi->slot] = 1;
        if (fi->slot < ITSM__NSMALL) {
            assert_int_not_equal(fi->type, ITSM_TYPE_TIME);
            assert_true(fi->min >= 0 && fi->max <= 15);   /* 4 bits */
            assert_int_equal(fi->store, ITSM__STORE_SMALL);   /* where apply writes it */
        } else if (fi->slot < ITSM__NSMALL + ITSM__NTIME) {
            assert_int_equal(fi->type, ITSM_TYPE_TIME);
            assert_int_equal(fi->store, ITSM__STORE_TIME);
        } else {
            assert_int_not_equal(fi->type, ITSM_TYPE_TIME);
            assert_true(fi->min >= INT32_MIN && fi->max <= INT32_MAX);
            assert_int_equal(fi->store, ITSM__STORE_COUNT);
        }
    }
    for (int s = 0; s < ITSM__NNUM; s++)
        assert_int_equal(used[s], 1);   /* no slot without a field: no record pays for it */
}

static void every_string_slot_is_of_its_fields_kind(void **state)
{
    (void)state;
    int used[ITSM__NSTR] = { 0 };
    for (int f = 0; f < (int)ITSM_F__COUNT; f++) {
        const itsm__field_info *fi = &itsm__fields[f];
        if (!itsm__field_is_str((itsm_field)f))
            continue;
        assert_true(fi->slot < ITSM__NSTR);
        assert_int_equal(used[fi->slot], 0);
        used[fi->slot] = 1;
        if (fi->type == ITSM_TYPE_TEXT)
            assert_true(fi->slot < ITSM__NTEXT);
        else
            assert_true(fi->slot >= ITSM__NTEXT);
        assert_int_equal(fi->store, fi->type == ITSM_TYPE_TEXT ? ITSM__STORE_TEXT : ITSM__STORE_SYM);
    }
    for (int s = 0; s < ITSM__NSTR; s++)
        assert_int_equal(used[s], 1);
}

/* A symbol field keeps the symbol's id: it reads back as the very
 * interned pointer (symbols compare by address), and unset reads NULL. */
static void symbol_fields_read_back_as_the_interned_symbol(void **state)
{
    (void)state;
    fixture fx;
    fixture_open(&fx);
    itsm_record *r;
    itsm_change init[2] = { { ITSM_F_SUMMARY, "VPN down", 0 }, { ITSM_F_SERVICE, "VPN", 0 } };
    itsm_record_opts o = ITSM_RECORD_OPTS_INIT;
    o.fields = init;
    o.nfields = 2;
    assert_ok(itsm_record_open(&r, fx.eng, &o));
    const char *vpn;
    assert_ok(itsm_engine_symbol(fx.eng, "VPN", &vpn));
    assert_ptr_equal(itsm_record_str(r, ITSM_F_SERVICE), vpn);
    assert_string_equal(itsm_record_str(r, ITSM_F_SUMMARY), "VPN down");
    assert_null(itsm_record_str(r, ITSM_F_CI));
    itsm_change up = { ITSM_F_SERVICE, NULL, 0 };
    assert_ok(itsm_record_update(r, &up, 1));
    assert_null(itsm_record_str(r, ITSM_F_SERVICE));
    fixture_close(&fx);
}

/* A record's short opening texts live in its own block: they read back,
 * can be replaced and cleared (the old bytes are not freed on their own:
 * ASan checks), and an opening refused after a text was placed frees
 * nothing twice. Long texts and texts past the room take their own
 * allocation. */
static void opening_texts_in_the_records_block_read_back_and_change(void **state)
{
    (void)state;
    fixture fx;
    fixture_open(&fx);
    char longtext[200];
    memset(longtext, 'x', sizeof longtext - 1);
    longtext[sizeof longtext - 1] = '\0';
    itsm_record *r;
    itsm_change init[4] = { { ITSM_F_SUMMARY, "VPN down", 0 }, { ITSM_F_DESCRIPTION, longtext, 0 },
                            { ITSM_F_WORKAROUND, "reboot the concentrator, then wait a minute or two", 0 },
                            { ITSM_F_CAUSE, "cert", 0 } };
    itsm_record_opts o = ITSM_RECORD_OPTS_INIT;
    o.fields = init;
    o.nfields = 4;
    assert_ok(itsm_record_open(&r, fx.eng, &o));
    assert_string_equal(itsm_record_str(r, ITSM_F_SUMMARY), "VPN down");
    assert_string_equal(itsm_record_str(r, ITSM_F_DESCRIPTION), longtext);
    assert_string_equal(itsm_record_str(r, ITSM_F_WORKAROUND), "reboot the concentrator, then wait a minute or two");
    assert_string_equal(itsm_record_str(r, ITSM_F_CAUSE), "cert");
    itsm_change up[3] = { { ITSM_F_SUMMARY, "VPN down for everyone", 0 }, { ITSM_F_CAUSE, NULL, 0 },
                          { ITSM_F_DESCRIPTION, "short now", 0 } };
    assert_ok(itsm_record_update(r, up, 3));
    assert_string_equal(itsm_record_str(r, ITSM_F_SUMMARY), "VPN down for everyone");
    assert_null(itsm_record_str(r, ITSM_F_CAUSE));
    assert_string_equal(itsm_record_str(r, ITSM_F_DESCRIPTION), "short now");

    itsm_record *bad = NULL;
    itsm_change refused[2] = { { ITSM_F_SUMMARY, "fine", 0 }, { ITSM_F_DESCRIPTION, "bad \xff utf-8", 0 } };
    o.fields = refused;
    o.nfields = 2;
    assert_int_not_equal(itsm_record_open(&bad, fx.eng, &o), ITSM_OK);
    assert_null(bad);
    assert_int_equal(itsm_engine_record_count(fx.eng), 1);
    fixture_close(&fx);
}

static void numeric_values_read_back_at_the_ends_of_their_range(void **state)
{
    (void)state;
    itsm_record r;
    memset(&r, 0, sizeof r);
    for (int f = 0; f < (int)ITSM_F__COUNT; f++) {
        const itsm__field_info *fi = &itsm__fields[f];
        if (itsm__field_is_str((itsm_field)f))
            continue;
        int64_t lo = fi->type == ITSM_TYPE_TIME ? ITSM_TIME_MIN : fi->min;
        int64_t hi = fi->type == ITSM_TYPE_TIME ? ITSM_TIME_MAX : fi->max;
        itsm__rec_set_num(&r, fi->slot, lo);
        assert_int_equal(itsm__rec_num(&r, fi->slot), lo);
        itsm__rec_set_num(&r, fi->slot, hi);
        assert_int_equal(itsm__rec_num(&r, fi->slot), hi);
        if (fi->type == ITSM_TYPE_TIME) {
            itsm__rec_set_num(&r, fi->slot, ITSM_TIME_NONE);
            assert_int_equal(itsm__rec_num(&r, fi->slot), ITSM_TIME_NONE);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_numeric_slot_holds_its_fields_range),
        cmocka_unit_test(numeric_values_read_back_at_the_ends_of_their_range),
        cmocka_unit_test(every_string_slot_is_of_its_fields_kind),
        cmocka_unit_test(symbol_fields_read_back_as_the_interned_symbol),
        cmocka_unit_test(opening_texts_in_the_records_block_read_back_and_change),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
