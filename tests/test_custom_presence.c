/* SPDX-License-Identifier: Apache-2.0 */
/*
 * When a custom field is set: a custom int holding 0 is set - it was given
 * a value - and one never given a value (or cleared by a step) is unset,
 * and every reader says so alike: itsm_record_has, itsm_record_int (0 when
 * unset), guards naming the field, conditions (`credits == null`), report
 * grouping, the events (a clear is written null) and replay. A bool counts
 * as set when true; a time when it has one.
 */
#include "support.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static itsm_field credits, due;

/* The default policy plus credits (int -5..5) and due (time) on incidents;
 * "check" (new -> new) needs credits, "reset" (new -> new) clears both. */
static itsm_policy *presence_policy(void)
{
    itsm_policy *p;
    assert_ok(itsm_policy_new_default(&p, NULL));
    itsm_field_def d = ITSM_FIELD_DEF_INIT;
    d.name = "credits";
    d.type = ITSM_TYPE_INT;
    d.min = -5;
    d.max = 5;
    assert_ok(itsm_policy_add_field(p, &d, &credits));
    itsm_field_def t = ITSM_FIELD_DEF_INIT;
    t.name = "due";
    t.type = ITSM_TYPE_TIME;
    assert_ok(itsm_policy_add_field(p, &t, &due));
    assert_ok(itsm_policy_add_event(p, ITSM_KIND_INCIDENT, "check"));
    assert_ok(itsm_policy_add_event(p, ITSM_KIND_INCIDENT, "reset"));
    itsm_transition_def x = ITSM_TRANSITION_DEF_INIT;
    x.from = "new";
    x.event = "check";
    x.to = "new";
    x.guard = "credits";
    assert_ok(itsm_policy_add_transition(p, ITSM_KIND_INCIDENT, &x));
    x.event = "reset";
    x.guard = NULL;
    x.clear = "credits due";
    assert_ok(itsm_policy_add_transition(p, ITSM_KIND_INCIDENT, &x));
    return p;
}

static itsm_record *incident(fixture *f, const char *id)
{
    itsm_change ch[] = { { ITSM_F_SUMMARY, "Mail is down", 0 } };
    itsm_record_opts o = ITSM_RECORD_OPTS_INIT;
    o.id = id;
    o.fields = ch;
    o.nfields = 1;
    itsm_record *r;
    assert_ok(itsm_record_open(&r, f->eng, &o));
    return r;
}

static int holds(const itsm_record *r, const char *text)
{
    int out = -1;
    itsm_parse_error err;
    if (itsm_record_condition(&out, r, text, strlen(text), &err))
        fail_msg("condition '%s': %s", text, err.text);
    return out;
}

/* Unset as every reader says it. */
static void assert_unset(itsm_record *r)
{
    assert_false(itsm_record_has(r, credits));
    assert_int_equal(itsm_record_int(r, credits), 0);
    assert_true(holds(r, "credits == null"));
    assert_false(holds(r, "credits == 0"));
    assert_false(holds(r, "credits >= -5"));
}

static void a_custom_int_set_to_0_is_set_and_a_clear_unsets_it(void **state)
{
    (void)state;
    itsm_policy *p = presence_policy();
    fixture f;
    fixture_open_with(&f, p, NULL);
    itsm_record *r = incident(&f, "INC1");

    /* Never given a value. */
    assert_unset(r);
    assert_fails(f.eng, itsm_record_fire(r, "check", NULL, 0), ITSM_EGUARD, "credits");

    /* Given 0: a value like any other. */
    assert_ok(itsm_record_set_int(r, credits, 0));
    assert_non_null(strstr(f.store.events[f.store.n - 1], "\"credits\":0"));
    assert_true(itsm_record_has(r, credits));
    assert_int_equal(itsm_record_int(r, credits), 0);
    assert_false(holds(r, "credits == null"));
    assert_true(holds(r, "credits == 0"));
    assert_true(holds(r, "credits in (0, 1)"));
    assert_ok(itsm_record_fire(r, "check", NULL, 0));

    /* A step's clear unsets it (and a time), written null. */
    assert_ok(itsm_record_set_int(r, due, T0 + 3600));
    assert_true(itsm_record_has(r, due));
    assert_ok(itsm_record_fire(r, "reset", NULL, 0));
    const char *cleared = f.store.events[f.store.n - 1];
    assert_non_null(strstr(cleared, "\"credits\":null"));
    assert_non_null(strstr(cleared, "\"due\":null"));
    assert_unset(r);
    assert_false(itsm_record_has(r, due));
    assert_int_equal(itsm_record_int(r, due), ITSM_TIME_NONE);

    /* A negative value and 0 again, then replay: the same records. */
    assert_ok(itsm_record_set_int(r, credits, -3));
    itsm_record *zero = incident(&f, "INC2");
    assert_ok(itsm_record_set_int(zero, credits, 0));
    incident(&f, "INC3");
    itsm_engine *eng = NULL;
    itsm_engine_opts o = ITSM_ENGINE_OPTS_INIT;
    o.policy = p;
    assert_ok(itsm_engine_new(&eng, &o));
    replay_store_into(eng, &f.store);
    char *live = engine_dump(f.eng), *back = engine_dump(eng);
    assert_string_equal(live, back);
    itsm_record *z, *u;
    assert_ok(itsm_record_find(&z, eng, "INC2"));
    assert_ok(itsm_record_find(&u, eng, "INC3"));
    assert_true(itsm_record_has(z, credits));
    assert_unset(u);
    free(live);
    free(back);
    itsm_engine_free(eng);

    /* A report groups 0 apart from unset. */
    itsm_report_opts ro = ITSM_REPORT_OPTS_INIT;
    ro.from = T0 - 3600;
    ro.to = T0 + 86400;
    ro.group_by = "credits";
    itsm_report *rep;
    assert_ok(itsm_report_new(&rep, f.eng, &ro));
    /* unset first, then numbers by value */
    static const char *const want[] = { NULL, "-3", "0" };
    assert_int_equal(itsm_report_group_count(rep), 3);
    for (size_t i = 0; i < 3; i++) {
        itsm_report_group g = { .size = sizeof g };
        assert_ok(itsm_report_group_at(rep, i, &g));
        if (want[i])
            assert_string_equal(g.value, want[i]);
        else
            assert_null(g.value);
        assert_int_equal(g.count, 1);
    }
    itsm_report_free(rep);

    fixture_close(&f);
    itsm_policy_free(p);
}

static void an_int_range_cannot_reach_the_unset_value(void **state)
{
    (void)state;
    itsm_policy *p;
    assert_ok(itsm_policy_new_default(&p, NULL));
    itsm_field_def d = ITSM_FIELD_DEF_INIT;
    d.name = "offset";
    d.type = ITSM_TYPE_INT;
    d.min = INT64_MIN;
    d.max = 0;
    assert_int_equal(itsm_policy_add_field(p, &d, NULL), ITSM_EINVAL);
    assert_non_null(strstr(itsm_policy_errmsg(p), "offset"));
    assert_int_equal(itsm_policy_field_count(p), 0);
    d.min = INT64_MIN + 1;
    assert_ok(itsm_policy_add_field(p, &d, NULL));
    itsm_policy_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_custom_int_set_to_0_is_set_and_a_clear_unsets_it),
        cmocka_unit_test(an_int_range_cannot_reach_the_unset_value),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
