/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Arrays of results the caller allocates (common.h, "How the ABI grows"):
 * out[0].size is the size of every element, the library sets each element
 * it writes to that size and writes nothing past the entries it gives; a
 * size it cannot fill is ITSM_EINVAL naming the sizes, with no entry
 * written and *n 0.
 */
#include "support.h"

#include <string.h>

static void an_array_result_sets_every_element_it_writes_and_no_more(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record_opts o = ITSM_RECORD_OPTS_INIT;
    itsm_record *r[3];
    for (int i = 0; i < 3; i++) {
        assert_ok(itsm_record_open(&r[i], f.eng, &o));
        f.clock.now += 10;
    }
    itsm_aging_entry out[5];
    memset(out, 0xAB, sizeof out);
    out[0].size = sizeof out[0];
    size_t n = 99;
    assert_ok(itsm_engine_aging(out, 5, &n, f.eng, ITSM_AGING_BY_AGE, f.clock.now));
    assert_int_equal(n, 3);
    for (size_t i = 0; i < 3; i++) {
        assert_int_equal(out[i].size, sizeof out[0]);
        assert_ptr_equal(out[i].rec, r[i]);   /* oldest first */
        assert_int_equal(out[i].age, 30 - 10 * (int64_t)i);
    }
    const unsigned char *tail = (const unsigned char *)&out[3];
    for (size_t i = 0; i < 2 * sizeof out[0]; i++)
        assert_int_equal(tail[i], 0xAB);

    /* max bounds what is written */
    memset(out, 0xAB, sizeof out);
    out[0].size = sizeof out[0];
    assert_ok(itsm_engine_aging(out, 1, &n, f.eng, ITSM_AGING_BY_AGE, f.clock.now));
    assert_int_equal(n, 1);
    assert_int_equal(out[1].size, (size_t)0xABABABABABABABABull);

    /* a size it cannot fill: refused, nothing written */
    memset(out, 0xAB, sizeof out);
    out[0].size = sizeof(size_t);
    n = 99;
    assert_fails(f.eng, itsm_engine_aging(out, 5, &n, f.eng, ITSM_AGING_BY_AGE, f.clock.now), ITSM_EINVAL,
                 "itsm_aging_entry.size is 8");
    assert_int_equal(n, 0);
    assert_int_equal(out[1].size, (size_t)0xABABABABABABABABull);
    out[0].size = sizeof out[0] + 8;
    assert_fails(f.eng, itsm_engine_aging(out, 5, &n, f.eng, ITSM_AGING_BY_AGE, f.clock.now), ITSM_EINVAL,
                 "larger than this library's");
    assert_int_equal(n, 0);
    fixture_close(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(an_array_result_sets_every_element_it_writes_and_no_more),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
