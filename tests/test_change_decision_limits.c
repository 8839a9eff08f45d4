/* SPDX-License-Identifier: Apache-2.0 */
/* The sizes an approval decision takes: a comment up to ITSM_MAX_TEXT
 * bytes and names up to ITSM_MAX_SYMBOL bytes are kept whole; one byte
 * more is ITSM_ELIMIT naming what is too long, and nothing is stored. */
#include "change_policy.h"

#include <stdlib.h>
#include <string.h>

static char *repeat(char c, size_t n)
{
    char *s = malloc(n + 1);
    assert_non_null(s);
    memset(s, c, n);
    s[n] = '\0';
    return s;
}

static void a_decision_takes_a_comment_and_names_up_to_their_limits(void **state)
{
    (void)state;
    fixture f;
    change_fixture_open(&f, NULL, NULL, NULL);
    itsm_record *r = change_open(&f, "CHG1", "normal", "mail", NULL);
    assert_ok(itsm_record_fire(r, "assess", NULL, 0));
    change_assess(r, "high");
    size_t stored = f.store.n;
    char *text = repeat('x', ITSM_MAX_TEXT + 1);
    assert_fails(f.eng, itsm_record_approve(r, NULL, "carl", text), ITSM_ELIMIT,
                 "comment is 65537 bytes; the limit is 65536");
    assert_fails(f.eng, itsm_record_reject_approval(r, NULL, "carl", text), ITSM_ELIMIT, "comment is 65537 bytes");
    char *name = repeat('a', ITSM_MAX_SYMBOL + 1);
    assert_fails(f.eng, itsm_record_approve(r, NULL, name, NULL), ITSM_ELIMIT,
                 "'by' (who decides) is 256 bytes; the limit is 255");
    assert_int_equal(f.store.n, stored);
    assert_int_equal(itsm_record_approval_count(r), 0);

    text[ITSM_MAX_TEXT] = '\0';   /* exactly the limit */
    assert_ok(itsm_record_approve(r, NULL, "carl", text));
    itsm_approval_decision d = { .size = sizeof d };
    assert_ok(itsm_record_approval_at(&d, r, 0));
    assert_int_equal(strlen(d.comment), ITSM_MAX_TEXT);

    name[ITSM_MAX_SYMBOL] = '\0';
    stored = f.store.n;
    char *longer = repeat('a', ITSM_MAX_SYMBOL + 1);
    assert_fails(f.eng, itsm_record_delegate_approval(r, "cab", "ann", longer, NULL), ITSM_ELIMIT,
                 "'to' (the delegate) is 256 bytes; the limit is 255");
    assert_int_equal(f.store.n, stored);
    assert_ok(itsm_record_delegate_approval(r, "cab", "ann", name, NULL));
    assert_ok(itsm_record_approve(r, NULL, name, NULL));
    assert_ok(itsm_record_approval_at(&d, r, 2));
    assert_string_equal(d.by, name);
    free(longer);
    free(name);
    free(text);
    fixture_close(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_decision_takes_a_comment_and_names_up_to_their_limits),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
