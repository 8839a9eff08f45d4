/* SPDX-License-Identifier: Apache-2.0 */
/* docs/policy.md, "What a version may change": what gives records their
 * shape stays - "the custom fields, the service-level stop states and the
 * agreements (names and order; their terms may change) too" - and
 * itsm_engine_adopt_policy refuses another change with ITSM_EPOLICY naming
 * what differs (docs/integration.md, "Changing the policy"). The stop
 * states and the lifecycles have their tests (test_versions.c,
 * test_versions_lifecycle.c); these are the custom fields and the
 * agreements, and an agreement's terms, which may change. */
#include "sla/sla_support.h"

#include <string.h>

static itsm_policy *with_field(const char *name)
{
    itsm_policy *p;
    assert_ok(itsm_policy_new_default(&p, NULL));
    itsm_field_def d = ITSM_FIELD_DEF_INIT;
    d.name = name;
    d.type = ITSM_TYPE_TEXT;
    assert_ok(itsm_policy_add_field(p, &d, NULL));
    return p;
}

static void adopt_is_refused(const itsm_policy *running, const itsm_policy *next, const char *why)
{
    fixture f;
    fixture_open_policy(&f, running);
    open_inc(&f, 2, 2, NULL);
    const char *before = itsm_engine_policy_version(f.eng);
    char was[64];
    snprintf(was, sizeof was, "%s", before);
    size_t stored = f.store.n;
    assert_fails(f.eng, itsm_engine_adopt_policy(f.eng, next), ITSM_EPOLICY, why);
    assert_string_equal(itsm_engine_policy_version(f.eng), was);
    assert_int_equal(f.store.n, stored);
    fixture_close(&f);
}

static void a_version_with_other_custom_fields_is_refused(void **state)
{
    (void)state;
    itsm_policy *a = with_field("tier"), *b = with_field("seats"), *none;
    assert_ok(itsm_policy_new_default(&none, NULL));
    adopt_is_refused(a, b, "custom fields differ");
    adopt_is_refused(a, none, "custom fields differ");      /* dropping one */
    adopt_is_refused(none, a, "custom fields differ");      /* adding one */
    itsm_policy_free(a);
    itsm_policy_free(b);
    itsm_policy_free(none);
}

static void a_version_with_other_agreements_is_refused(void **state)
{
    (void)state;
    itsm_policy *gold = policy_with_agreement("gold", 4 * HOUR);
    itsm_policy *silver = policy_with_agreement("silver", 4 * HOUR);
    itsm_policy *none;
    assert_ok(itsm_policy_new_default(&none, NULL));
    adopt_is_refused(gold, silver, "agreements differ");
    adopt_is_refused(gold, none, "agreements differ");
    itsm_policy_free(gold);
    itsm_policy_free(silver);
    itsm_policy_free(none);
}

/* "their terms may change": the same agreement with another target is a
 * version the engine takes. */
static void an_agreements_terms_may_change(void **state)
{
    (void)state;
    itsm_policy *four = policy_with_agreement("gold", 4 * HOUR);
    itsm_policy *two = policy_with_agreement("gold", 2 * HOUR);
    fixture f;
    fixture_open_policy(&f, four);
    itsm_record *r = open_inc(&f, 2, 2, NULL);
    char was[64];
    snprintf(was, sizeof was, "%s", itsm_engine_policy_version(f.eng));
    assert_ok(itsm_engine_adopt_policy(f.eng, two));
    assert_string_not_equal(itsm_engine_policy_version(f.eng), was);
    start_work(r);
    assert_replays_the_same(f.eng, &f.store);
    fixture_close(&f);
    itsm_policy_free(four);
    itsm_policy_free(two);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_version_with_other_custom_fields_is_refused),
        cmocka_unit_test(a_version_with_other_agreements_is_refused),
        cmocka_unit_test(an_agreements_terms_may_change),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
