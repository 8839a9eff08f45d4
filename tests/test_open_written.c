/* SPDX-License-Identifier: Apache-2.0 */
/* itsm_record_open writes an opening's symbols and numbers into its new
 * record as it takes them (core/finalise.c, itsm__propose_open), before
 * the commit's hooks, instead of at apply: the record comes out as the
 * stored event says (a replay of the store gives it byte for byte),
 * whatever the order of its symbols, numbers, texts and new symbols; an
 * opening refused after some were written leaves nothing behind; and the
 * hooks an opening runs, which read its values through the event, see
 * them as before (a route by category and by condition, the priority a
 * major threshold proposes at, a service's recurrence). Black-box: the
 * public API and the stored events only. */
#include "sla/sla_support.h"

#define N_(a) (sizeof(a) / sizeof((a)[0]))

static itsm_record *open_with(fixture *f, const char *id, const itsm_change *c, size_t n, int *rc)
{
    itsm_record *r = NULL;
    itsm_record_opts o = ITSM_RECORD_OPTS_INIT;
    o.id = id;
    o.fields = c;
    o.nfields = n;
    *rc = itsm_record_open(&r, f->eng, &o);
    return r;
}

/* Symbols known by handle, a new symbol, a text between them, numbers
 * after the text: each field holds its value, and the replay agrees. */
static void an_opening_holds_its_values_in_any_order(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    const char *caller;
    assert_ok(itsm_engine_symbol(f.eng, "carol", &caller));
    itsm_change c[] = {
        { ITSM_F_CATEGORY, "network", 0 },   /* new: interned as it is proposed */
        { ITSM_F_CALLER, caller, 0 },        /* a handle */
        { ITSM_F_SUMMARY, "VPN drops", 0 },  /* a text: apply moves it in */
        { ITSM_F_IMPACT, NULL, 2 },
        { ITSM_F_ASSIGNMENT_GROUP, "netops", 0 },
        { ITSM_F_URGENCY, NULL, 1 },
    };
    int rc;
    itsm_record *a = open_with(&f, "INC-A", c, N_(c), &rc);
    assert_ok(rc);
    assert_string_equal(itsm_record_str(a, ITSM_F_CATEGORY), "network");
    assert_ptr_equal(itsm_record_str(a, ITSM_F_CALLER), caller);
    assert_string_equal(itsm_record_str(a, ITSM_F_SUMMARY), "VPN drops");
    assert_string_equal(itsm_record_str(a, ITSM_F_ASSIGNMENT_GROUP), "netops");
    assert_int_equal(itsm_record_int(a, ITSM_F_IMPACT), 2);
    assert_int_equal(itsm_record_int(a, ITSM_F_URGENCY), 1);
    assert_int_equal(itsm_record_int(a, ITSM_F_PRIORITY), 2);   /* derived, applied after */
    assert_int_equal(itsm_record_int(a, ITSM_F_OPENED_AT), T0);
    /* the same values again, every symbol known now: all go straight in */
    f.clock.now += 60;
    itsm_change d[] = { { ITSM_F_URGENCY, NULL, 3 }, { ITSM_F_CATEGORY, "network", 0 }, { ITSM_F_IMPACT, NULL, 3 } };
    itsm_record *b = open_with(&f, "INC-B", d, N_(d), &rc);
    assert_ok(rc);
    assert_ptr_equal(itsm_record_str(b, ITSM_F_CATEGORY), itsm_record_str(a, ITSM_F_CATEGORY));
    assert_null(itsm_record_str(b, ITSM_F_CALLER));
    assert_int_equal(itsm_record_int(b, ITSM_F_PRIORITY), 5);
    assert_replays_the_same(f.eng, &f.store);
    fixture_close(&f);
}

/* An opening refused after some of its values were written (a field
 * given twice, one the engine keeps, the store's refusal) opens nothing:
 * the id is free, and the next opening under it holds its own values
 * alone. */
static void a_refused_opening_leaves_nothing_behind(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    int rc;
    itsm_change twice[] = { { ITSM_F_CATEGORY, "network", 0 }, { ITSM_F_IMPACT, NULL, 1 }, { ITSM_F_IMPACT, NULL, 2 } };
    assert_null(open_with(&f, "INC-X", twice, N_(twice), &rc));
    assert_int_equal(rc, ITSM_EINVAL);
    itsm_change owned[] = { { ITSM_F_CI, "vpn-gw", 0 }, { ITSM_F_URGENCY, NULL, 1 }, { ITSM_F_REOPENS, NULL, 4 } };
    assert_null(open_with(&f, "INC-X", owned, N_(owned), &rc));
    assert_int_equal(rc, ITSM_EINVAL);
    f.store.fail_at = f.store.appends + 1;
    itsm_change stored[] = { { ITSM_F_SERVICE, "email", 0 }, { ITSM_F_IMPACT, NULL, 1 }, { ITSM_F_URGENCY, NULL, 1 } };
    assert_null(open_with(&f, "INC-X", stored, N_(stored), &rc));
    assert_int_equal(rc, ITSM_ESTORE);
    itsm_record *found = NULL;
    assert_int_equal(itsm_record_find(&found, f.eng, "INC-X"), ITSM_ENOTFOUND);
    itsm_change alone[] = { { ITSM_F_SUMMARY, "Mail is slow", 0 } };
    itsm_record *r = open_with(&f, "INC-X", alone, N_(alone), &rc);
    assert_ok(rc);
    assert_null(itsm_record_str(r, ITSM_F_CATEGORY));
    assert_null(itsm_record_str(r, ITSM_F_CI));
    assert_null(itsm_record_str(r, ITSM_F_SERVICE));
    assert_int_equal(itsm_record_int(r, ITSM_F_IMPACT), 0);
    assert_int_equal(itsm_record_int(r, ITSM_F_URGENCY), 0);
    assert_int_equal(itsm_record_int(r, ITSM_F_PRIORITY), 0);
    assert_replays_the_same(f.eng, &f.store);
    fixture_close(&f);
}

/* The hooks an opening runs read its values through its event: a route
 * by category and one by condition on the impact route it, a major
 * threshold at priority 1 proposes it. The route's group comes after
 * the priority and opened_at the opening derived and wrote: derived
 * again (the batch path), they are written again after the group. */
static void the_openings_hooks_see_its_values(void **state)
{
    (void)state;
    itsm_policy *p;
    assert_ok(itsm_policy_new_default(&p, NULL));
    assert_ok(itsm_policy_add_route_when(p, "impact == 1 and category == 'network'", "netops_urgent"));
    assert_ok(itsm_policy_add_route(p, "network", NULL, "netops"));
    itsm_major_policy m = ITSM_MAJOR_POLICY_INIT;
    m.propose_at_priority = 1;
    assert_ok(itsm_policy_set_major(p, &m));
    fixture f;
    fixture_open_with(&f, p, NULL);
    int rc;
    itsm_change hi[] = { { ITSM_F_CATEGORY, "network", 0 }, { ITSM_F_IMPACT, NULL, 1 }, { ITSM_F_URGENCY, NULL, 1 } };
    itsm_record *a = open_with(&f, "INC-H", hi, N_(hi), &rc);
    assert_ok(rc);
    assert_string_equal(itsm_record_str(a, ITSM_F_ASSIGNMENT_GROUP), "netops_urgent");
    assert_int_equal(itsm_record_major_state(a), ITSM_MAJOR_PROPOSED);
    assert_int_equal(itsm_record_int(a, ITSM_F_PRIORITY), 1);
    assert_int_equal(itsm_record_int(a, ITSM_F_OPENED_AT), T0);
    f.clock.now += 60;
    itsm_change lo[] = { { ITSM_F_CATEGORY, "network", 0 }, { ITSM_F_IMPACT, NULL, 3 }, { ITSM_F_URGENCY, NULL, 3 } };
    itsm_record *b = open_with(&f, "INC-L", lo, N_(lo), &rc);
    assert_ok(rc);
    assert_string_equal(itsm_record_str(b, ITSM_F_ASSIGNMENT_GROUP), "netops");
    assert_int_equal(itsm_record_major_state(b), ITSM_MAJOR_NONE);
    assert_int_equal(itsm_record_int(b, ITSM_F_PRIORITY), 5);
    assert_int_equal(itsm_record_int(b, ITSM_F_OPENED_AT), T0 + 60);
    /* no route, nothing derived again: the priority and opened_at as written */
    itsm_change none[] = { { ITSM_F_CATEGORY, "facilities", 0 }, { ITSM_F_IMPACT, NULL, 2 } };
    itsm_record *c = open_with(&f, "INC-N", none, N_(none), &rc);
    assert_ok(rc);
    assert_null(itsm_record_str(c, ITSM_F_ASSIGNMENT_GROUP));
    assert_int_equal(itsm_record_int(c, ITSM_F_IMPACT), 2);
    assert_int_equal(itsm_record_int(c, ITSM_F_OPENED_AT), T0 + 60);
    assert_replay_same(&f, p, f.clock.now);
    fixture_close(&f);
    itsm_policy_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(an_opening_holds_its_values_in_any_order),
        cmocka_unit_test(a_refused_opening_leaves_nothing_behind),
        cmocka_unit_test(the_openings_hooks_see_its_values),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
