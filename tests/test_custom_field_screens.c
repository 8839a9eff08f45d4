/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Custom fields on what a helpdesk screen shows, as built-in ones are:
 * the actions on offer name the custom guard terms a step still misses
 * (itsm_record_allowed_*), a refused step names them all, in words and as
 * data (itsm_guard_missing_*), and the record's history gives each custom
 * change old -> new as text in its type's form (numbers in decimal,
 * "true"/"false", times as YYYY-MM-DDTHH:MM:SSZ, a clear as no value).
 */
#include "support.h"

#include <stdio.h>
#include <string.h>

static itsm_field tier, seats, vip, due;

/* The default policy plus tier (enum gold/silver), seats (int 1..500),
 * vip (bool) and due (time); "expedite" (assigned -> in_progress) needs
 * tier=gold, seats and vip besides the assignee; "rework" (in_progress ->
 * assigned) clears tier and due. */
static itsm_policy *screen_policy(void)
{
    itsm_policy *p;
    assert_ok(itsm_policy_new_default(&p, NULL));
    static const char *const tiers[] = { "gold", "silver" };
    itsm_field_def d = ITSM_FIELD_DEF_INIT;
    d.name = "tier";
    d.type = ITSM_TYPE_ENUM;
    d.values = tiers;
    d.nvalues = 2;
    assert_ok(itsm_policy_add_field(p, &d, &tier));
    itsm_field_def s = ITSM_FIELD_DEF_INIT;
    s.name = "seats";
    s.type = ITSM_TYPE_INT;
    s.min = 1;
    s.max = 500;
    assert_ok(itsm_policy_add_field(p, &s, &seats));
    itsm_field_def b = ITSM_FIELD_DEF_INIT;
    b.name = "vip";
    b.type = ITSM_TYPE_BOOL;
    assert_ok(itsm_policy_add_field(p, &b, &vip));
    itsm_field_def t = ITSM_FIELD_DEF_INIT;
    t.name = "due";
    t.type = ITSM_TYPE_TIME;
    assert_ok(itsm_policy_add_field(p, &t, &due));
    assert_ok(itsm_policy_add_event(p, ITSM_KIND_INCIDENT, "expedite"));
    assert_ok(itsm_policy_add_event(p, ITSM_KIND_INCIDENT, "rework"));
    itsm_transition_def x = ITSM_TRANSITION_DEF_INIT;
    x.from = "assigned";
    x.event = "expedite";
    x.to = "in_progress";
    x.guard = "assignee tier=gold seats vip";
    assert_ok(itsm_policy_add_transition(p, ITSM_KIND_INCIDENT, &x));
    itsm_transition_def r = ITSM_TRANSITION_DEF_INIT;
    r.from = "in_progress";
    r.event = "rework";
    r.to = "assigned";
    r.clear = "tier due";
    assert_ok(itsm_policy_add_transition(p, ITSM_KIND_INCIDENT, &r));
    assert_int_equal(itsm_policy_check(p), 0);
    return p;
}

/* The offered event `name`; fails the test when it is not offered. */
static size_t offered(const itsm_record *r, const char *name, itsm_allowed_event *out)
{
    for (size_t i = 0; i < itsm_record_allowed_count(r); i++) {
        itsm_allowed_event a = { .size = sizeof a };
        assert_ok(itsm_record_allowed_at(r, i, &a));
        if (!strcmp(a.event, name)) {
            *out = a;
            return i;
        }
    }
    fail_msg("'%s' is not offered in '%s'", name, itsm_record_state(r));
    return 0;
}

static void the_offered_steps_and_a_refusal_name_the_custom_terms_missing(void **state)
{
    (void)state;
    itsm_policy *p = screen_policy();
    fixture f;
    fixture_open_with(&f, p, NULL);
    itsm_record_opts o = ITSM_RECORD_OPTS_INIT;
    itsm_record *r;
    assert_ok(itsm_record_open(&r, f.eng, &o));
    itsm_change g = { ITSM_F_ASSIGNMENT_GROUP, "desk", 0 };
    assert_ok(itsm_record_fire(r, "assign", &g, 1));

    itsm_allowed_event a;
    size_t i = offered(r, "expedite", &a);
    assert_string_equal(a.to_state, "in_progress");
    assert_int_equal(a.nmissing, 4);
    static const struct { itsm_need_kind kind; const char *field, *value, *term; } want[] = {
        { ITSM_NEED_FIELD, "assignee", NULL, "assignee" },
        { ITSM_NEED_VALUE, "tier", "gold", "tier=gold" },
        { ITSM_NEED_FIELD, "seats", NULL, "seats" },
        { ITSM_NEED_FIELD, "vip", NULL, "vip" },
    };
    for (size_t k = 0; k < 4; k++) {
        itsm_guard_need n = { .size = sizeof n };
        assert_ok(itsm_record_allowed_need_at(r, i, k, &n));
        assert_int_equal(n.kind, want[k].kind);
        assert_string_equal(n.field, want[k].field);
        if (want[k].value)
            assert_string_equal(n.value, want[k].value);
        else
            assert_null(n.value);
        assert_string_equal(n.term, want[k].term);
    }

    /* the refusal says the same, all at once (in words the plain fields
     * first; as data in the guard's order) */
    assert_fails(f.eng, itsm_record_fire(r, "expedite", NULL, 0), ITSM_EGUARD,
                 "transition 'expedite' from 'assigned' needs fields 'assignee', 'seats', 'vip', field 'tier' = 'gold'");
    assert_int_equal(itsm_guard_missing_count(f.eng), 4);
    itsm_guard_need n = { .size = sizeof n };
    assert_ok(itsm_guard_missing_at(f.eng, 1, &n));
    assert_string_equal(n.term, "tier=gold");
    assert_string_equal(n.value, "gold");

    /* the wrong value, a bool that is false, still miss */
    itsm_change some[] = { { ITSM_F_ASSIGNEE, "ann", 0 }, { tier, "silver", 0 }, { vip, NULL, 0 } };
    assert_ok(itsm_record_update(r, some, 3));
    offered(r, "expedite", &a);
    assert_int_equal(a.nmissing, 3);
    /* a custom int given its minimum is set */
    assert_ok(itsm_record_set_int(r, seats, 1));
    i = offered(r, "expedite", &a);
    assert_int_equal(a.nmissing, 2);
    assert_ok(itsm_record_allowed_need_at(r, i, 0, &n));
    assert_string_equal(n.term, "tier=gold");
    assert_ok(itsm_record_allowed_need_at(r, i, 1, &n));
    assert_string_equal(n.term, "vip");
    assert_fails(f.eng, itsm_record_fire(r, "expedite", NULL, 0), ITSM_EGUARD, "'vip'");
    assert_int_equal(itsm_guard_missing_count(f.eng), 2);

    /* given in the step itself, they count */
    itsm_change rest[] = { { tier, "gold", 0 }, { vip, NULL, 1 } };
    assert_ok(itsm_record_fire(r, "expedite", rest, 2));
    assert_string_equal(itsm_record_state(r), "in_progress");
    fixture_close(&f);
    itsm_policy_free(p);
}

static itsm_field_change change_of(const itsm_timeline *tl, size_t i, const char *field)
{
    itsm_timeline_entry e = { .size = sizeof e };
    assert_ok(itsm_timeline_at(tl, i, &e));
    for (size_t j = 0; j < e.nchanges; j++) {
        itsm_field_change c = { .size = sizeof c };
        assert_ok(itsm_timeline_change_at(tl, i, j, &c));
        if (!strcmp(c.field, field))
            return c;
    }
    fail_msg("entry %zu (%s) has no change of %s", i, e.type, field);
    return (itsm_field_change){ 0 };
}

static void assert_change(const itsm_timeline *tl, size_t i, const char *field, const char *old, const char *new_)
{
    itsm_field_change c = change_of(tl, i, field);
    if (old)
        assert_string_equal(c.old_value ? c.old_value : "(null)", old);
    else
        assert_null(c.old_value);
    if (new_)
        assert_string_equal(c.new_value ? c.new_value : "(null)", new_);
    else
        assert_null(c.new_value);
}

static void the_history_gives_custom_changes_old_and_new_in_their_types_form(void **state)
{
    (void)state;
    itsm_policy *p = screen_policy();
    fixture f;
    fixture_open_with(&f, p, NULL);
    assert_ok(itsm_engine_set_actor(f.eng, "alice"));
    itsm_change init[] = { { tier, "silver", 0 }, { seats, NULL, 40 } };
    itsm_record_opts o = ITSM_RECORD_OPTS_INIT;
    o.fields = init;
    o.nfields = 2;
    itsm_record *r;
    assert_ok(itsm_record_open(&r, f.eng, &o));                                    /* 0 */
    f.clock.now = T0 + 60;
    itsm_change up[] = { { tier, "gold", 0 }, { seats, NULL, 250 }, { vip, NULL, 1 }, { due, NULL, T0 + 86400 } };
    assert_ok(itsm_record_update(r, up, 4));                                       /* 1 */
    f.clock.now = T0 + 120;
    assert_ok(itsm_record_set_int(r, vip, 0));                                     /* 2 */
    itsm_change ga[] = { { ITSM_F_ASSIGNMENT_GROUP, "desk", 0 }, { ITSM_F_ASSIGNEE, "ann", 0 } };
    assert_ok(itsm_record_fire(r, "start", ga, 2));                                /* 3 */
    f.clock.now = T0 + 180;
    assert_ok(itsm_record_fire(r, "rework", NULL, 0));                             /* 4 */

    itsm_timeline *tl = NULL;
    assert_ok(itsm_record_timeline(&tl, r));
    assert_int_equal(itsm_timeline_complete(tl), 1);
    assert_int_equal(itsm_timeline_count(tl), 5);
    assert_change(tl, 0, "tier", NULL, "silver");
    assert_change(tl, 0, "seats", NULL, "40");
    assert_change(tl, 1, "tier", "silver", "gold");
    assert_change(tl, 1, "seats", "40", "250");
    assert_change(tl, 1, "vip", NULL, "true");
    assert_change(tl, 1, "due", NULL, "2026-03-03T09:00:00Z");
    itsm_timeline_entry e = { .size = sizeof e };
    assert_ok(itsm_timeline_at(tl, 1, &e));
    assert_string_equal(e.author, "alice");
    assert_int_equal(e.at, T0 + 60);
    assert_non_null(strstr(e.text, "tier"));
    assert_non_null(strstr(e.json, "\"tier\":\"gold\""));
    assert_change(tl, 2, "vip", "true", "false");
    /* the step's clears: the old values, and no new one */
    assert_ok(itsm_timeline_at(tl, 4, &e));
    assert_string_equal(e.event, "rework");
    assert_string_equal(e.from_state, "in_progress");
    assert_string_equal(e.to_state, "assigned");
    assert_change(tl, 4, "tier", "gold", NULL);
    assert_change(tl, 4, "due", "2026-03-03T09:00:00Z", NULL);
    itsm_timeline_free(tl);
    assert_null(itsm_record_str(r, tier));
    assert_false(itsm_record_has(r, due));
    assert_int_equal(itsm_record_int(r, seats), 250);   /* not cleared */
    fixture_close(&f);
    itsm_policy_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_offered_steps_and_a_refusal_name_the_custom_terms_missing),
        cmocka_unit_test(the_history_gives_custom_changes_old_and_new_in_their_types_form),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
