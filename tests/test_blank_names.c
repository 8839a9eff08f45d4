/* SPDX-License-Identifier: Apache-2.0 */
/* A name of only spaces names nobody (seed 003: "make sure someone owns
 * every request"; DESIGN 7's closure checklist: "owner set"). Blank text
 * meets no guard already; a symbol - an owner, a group, a category, a
 * resolution code - of only spaces is refused where it is given, so a
 * record is never worked, resolved or closed by a blank name, and a
 * stored event holding one is refused by replay as the API refuses it.
 * Black-box: the public API and the stored events. */
#include "sla/sla_support.h"

/* The incident can be neither started by nor handed to a blank owner or
 * group: the step is refused, naming the field, and nothing is stored. */
static void a_blank_owner_or_group_is_refused_and_nothing_is_stored(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *r = open_inc(&f, 2, 2, "Mail");
    size_t stored = f.store.n;
    itsm_change start[2] = { { ITSM_F_ASSIGNMENT_GROUP, "Desk", 0 }, { ITSM_F_ASSIGNEE, " ", 0 } };
    assert_fails(f.eng, itsm_record_fire(r, "start", start, 2), ITSM_EINVAL, "field 'assignee' cannot be blank");
    start[0].str = "   ";
    start[1].str = "ann";
    assert_fails(f.eng, itsm_record_fire(r, "start", start, 2), ITSM_EINVAL,
                 "field 'assignment_group' cannot be blank");
    assert_string_equal(itsm_record_state(r), "new");
    assert_int_equal(f.store.n, stored);
    /* a name with spaces in it, or around it, is still a name */
    start[0].str = "Service Desk";
    start[1].str = " ann";
    assert_ok(itsm_record_fire(r, "start", start, 2));
    /* taken up, the owner cannot be replaced by a blank one either */
    assert_fails(f.eng, itsm_record_set_str(r, ITSM_F_ASSIGNEE, "  "), ITSM_EINVAL, "cannot be blank");
    assert_string_equal(itsm_record_str(r, ITSM_F_ASSIGNEE), " ann");
    /* nor is a blank actor anyone */
    assert_fails(f.eng, itsm_engine_set_actor(f.eng, " "), ITSM_EINVAL, "actor cannot be blank");
    assert_replay_same(&f, NULL, T0 + HOUR);
    fixture_close(&f);
}

/* Seed 003, before closing "make sure" the ticket is categorised and its
 * resolution documented: a blank category or resolution code is refused,
 * so the closure checklist is never met by one. */
static void a_blank_category_or_resolution_code_never_meets_the_closure_checklist(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *r = open_inc(&f, 2, 2, "Mail");
    start_work(r);
    itsm_change res[4] = { { ITSM_F_RESOLUTION_CODE, " ", 0 }, { ITSM_F_RESOLUTION_NOTES, "replaced the relay", 0 },
                           { ITSM_F_CATEGORY, "mail", 0 }, { ITSM_F_KNOWLEDGE_DECISION, "not_needed", 0 } };
    assert_fails(f.eng, itsm_record_fire(r, "resolve", res, 4), ITSM_EINVAL, "field 'resolution_code' cannot be blank");
    res[0].str = "fixed";
    res[2].str = "    ";
    assert_fails(f.eng, itsm_record_fire(r, "resolve", res, 4), ITSM_EINVAL, "field 'category' cannot be blank");
    res[2].str = "mail";
    res[3].str = " ";
    assert_fails(f.eng, itsm_record_fire(r, "resolve", res, 4), ITSM_EINVAL,
                 "field 'knowledge_decision' cannot be blank");
    assert_string_equal(itsm_record_state(r), "in_progress");
    res[3].str = "not_needed";
    assert_ok(itsm_record_fire(r, "resolve", res, 4));
    assert_ok(itsm_record_fire(r, "confirm", NULL, 0));
    assert_string_equal(itsm_record_state(r), "closed");
    assert_replay_same(&f, NULL, T0 + HOUR);
    fixture_close(&f);
}

/* What the API refuses, replay refuses: a stored event (edited by hand,
 * or written by an older library) whose assignee is blank is not taken. */
static void a_stored_event_with_a_blank_owner_is_refused_by_replay(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *r = open_inc(&f, 2, 2, "Mail");
    start_work(r);
    /* the start event names "ann": make her a blank */
    const char *ev = last_of(&f.store, "transition");
    char *bad = malloc(strlen(ev) + 1);
    strcpy(bad, ev);
    char *ann = strstr(bad, "\"ann\"");
    assert_non_null(ann);
    memcpy(ann, "\"   \"", 5);
    itsm_engine *e2;
    itsm_engine_opts o = ITSM_ENGINE_OPTS_INIT;
    assert_ok(itsm_engine_new(&e2, &o));
    itsm_parse_error err;
    assert_ok(itsm_engine_replay_json(e2, f.store.events[0], strlen(f.store.events[0]), &err));
    assert_int_equal(itsm_engine_replay_json(e2, bad, strlen(bad), &err), ITSM_EPARSE);
    assert_non_null(strstr(err.text, "blank"));
    itsm_record *again;
    assert_ok(itsm_record_find(&again, e2, itsm_record_id(r)));
    assert_string_equal(itsm_record_state(again), "new");
    assert_null(itsm_record_str(again, ITSM_F_ASSIGNEE));
    itsm_engine_free(e2);
    free(bad);
    fixture_close(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_blank_owner_or_group_is_refused_and_nothing_is_stored),
        cmocka_unit_test(a_blank_category_or_resolution_code_never_meets_the_closure_checklist),
        cmocka_unit_test(a_stored_event_with_a_blank_owner_is_refused_by_replay),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
