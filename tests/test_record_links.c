/* SPDX-License-Identifier: Apache-2.0 */
/* Links (related both ways, child and parent, twice, self links and bad
 * targets) and ids (the kind prefix and a count per kind, ids the host
 * chose, the next id after replay, validation, finding a record). */
#include "record_check.h"

/* ---- links -------------------------------------------------------------- */

static void check_link(const itsm_record *r, size_t i, itsm_link_kind kind, const itsm_record *target)
{
    itsm_link l = { .size = sizeof l };
    assert_ok(itsm_record_link_at(r, i, &l));
    assert_int_equal(l.kind, kind);
    assert_string_equal(l.target_id, itsm_record_id(target));
    assert_int_equal(l.target_kind, itsm_record_kind(target));
}

static void related_link_is_recorded_on_both_sides(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *inc = open_inc(&f);
    itsm_record *prb = open_kind(&f, ITSM_KIND_PROBLEM, NULL, NULL, 0);
    f.clock.now = T0 + 5;
    assert_ok(itsm_record_link(inc, ITSM_LINK_RELATED, prb));
    assert_int_equal(itsm_record_link_count(inc), 1);
    assert_int_equal(itsm_record_link_count(prb), 1);
    check_link(inc, 0, ITSM_LINK_RELATED, prb);
    check_link(prb, 0, ITSM_LINK_RELATED, inc);
    /* One step, two events, both revisions move. */
    assert_int_equal(itsm_record_revision(inc), 2);
    assert_int_equal(itsm_record_revision(prb), 2);
    assert_int_equal(itsm_record_int(prb, ITSM_F_UPDATED_AT), T0 + 5);
    assert_int_equal(f.store.n, 4);
    assert_int_equal(f.store.appends, 3);
    assert_replays_the_same(f.eng, &f.store);
    fixture_close(&f);
}

static void child_link_gives_the_target_a_parent(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *major = open_inc(&f), *a = open_inc(&f), *b = open_inc(&f);
    assert_ok(itsm_record_link(major, ITSM_LINK_CHILD, a));
    assert_ok(itsm_record_link(b, ITSM_LINK_PARENT, major));
    assert_int_equal(itsm_record_link_count(major), 2);
    check_link(major, 0, ITSM_LINK_CHILD, a);
    check_link(major, 1, ITSM_LINK_CHILD, b);
    check_link(a, 0, ITSM_LINK_PARENT, major);
    check_link(b, 0, ITSM_LINK_PARENT, major);
    assert_replays_the_same(f.eng, &f.store);
    fixture_close(&f);
}

static void linking_twice_is_eexists_from_either_side(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *a = open_inc(&f), *b = open_inc(&f);
    assert_ok(itsm_record_link(a, ITSM_LINK_RELATED, b));
    refuse(&f, itsm_record_link(a, ITSM_LINK_RELATED, b), ITSM_EEXISTS, "INC-000001 is already linked to INC-000002");
    refuse(&f, itsm_record_link(b, ITSM_LINK_RELATED, a), ITSM_EEXISTS, "already linked");
    assert_ok(itsm_record_link(a, ITSM_LINK_CHILD, b));
    refuse(&f, itsm_record_link(a, ITSM_LINK_CHILD, b), ITSM_EEXISTS, "already linked");
    refuse(&f, itsm_record_link(b, ITSM_LINK_PARENT, a), ITSM_EEXISTS, "already linked");
    fixture_close(&f);
}

/* a cannot be both the parent and a child of b. */
static void parent_and_child_of_the_same_record_is_refused(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *a = open_inc(&f), *b = open_inc(&f);
    assert_ok(itsm_record_link(a, ITSM_LINK_CHILD, b));
    refuse(&f, itsm_record_link(a, ITSM_LINK_PARENT, b), ITSM_EEXISTS, "already linked");
    refuse(&f, itsm_record_link(b, ITSM_LINK_CHILD, a), ITSM_EEXISTS, "already linked");
    /* RELATED beside a parent/child link is another fact and allowed. */
    assert_ok(itsm_record_link(a, ITSM_LINK_RELATED, b));
    fixture_close(&f);
}

static void self_links_and_bad_targets_are_refused(void **state)
{
    (void)state;
    fixture f, g;
    fixture_open(&f);
    fixture_open(&g);
    itsm_record *a = open_inc(&f), *b = open_inc(&f), *other = open_inc(&g);
    refuse(&f, itsm_record_link(a, ITSM_LINK_RELATED, a), ITSM_EINVAL, "INC-000001 cannot be linked to itself");
    refuse(&f, itsm_record_link(a, ITSM_LINK_CHILD, a), ITSM_EINVAL, "itself");
    refuse(&f, itsm_record_link(a, ITSM_LINK_RELATED, NULL), ITSM_EINVAL, "NULL or belongs to another engine");
    refuse(&f, itsm_record_link(a, ITSM_LINK_RELATED, other), ITSM_EINVAL, "another engine");
    refuse(&f, itsm_record_link(a, (itsm_link_kind)0, b), ITSM_EINVAL, "unknown link kind 0");
    refuse(&f, itsm_record_link(a, (itsm_link_kind)4, b), ITSM_EINVAL, "unknown link kind 4");
    assert_int_equal(itsm_record_link(NULL, ITSM_LINK_RELATED, b), ITSM_EINVAL);
    assert_int_equal(itsm_record_link_count(other), 0);
    fixture_close(&g);
    fixture_close(&f);
}

/* ---- ids ---------------------------------------------------------------- */

static void generated_ids_carry_the_kind_prefix_and_count_per_kind(void **state)
{
    (void)state;
    static const char *const want[] = { NULL, "INC-000001", "REQ-000001", "PRB-000001", "CHG-000001", "KB-000001" };
    fixture f;
    fixture_open(&f);
    for (int k = 1; k <= ITSM_KIND_COUNT; k++)
        assert_string_equal(itsm_record_id(open_kind(&f, (itsm_kind)k, NULL, NULL, 0)), want[k]);
    assert_string_equal(itsm_record_id(open_inc(&f)), "INC-000002");
    assert_string_equal(itsm_record_id(open_kind(&f, ITSM_KIND_KNOWLEDGE, NULL, NULL, 0)), "KB-000002");
    fixture_close(&f);
}

static void generated_ids_skip_ids_the_host_chose(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    open_kind(&f, ITSM_KIND_INCIDENT, "INC-000001", NULL, 0);
    open_kind(&f, ITSM_KIND_INCIDENT, "INC-000002", NULL, 0);
    assert_string_equal(itsm_record_id(open_inc(&f)), "INC-000003");
    /* An id of another kind's shape on an incident is skipped as well. */
    open_kind(&f, ITSM_KIND_INCIDENT, "PRB-000001", NULL, 0);
    assert_string_equal(itsm_record_id(open_kind(&f, ITSM_KIND_PROBLEM, NULL, NULL, 0)), "PRB-000002");
    /* A host id equal to one the engine generated is taken. */
    refuse(&f, open_with(&f, ITSM_KIND_INCIDENT, "INC-000003", NULL, 0), ITSM_EEXISTS,
           "record 'INC-000003' already exists");
    refuse(&f, open_with(&f, ITSM_KIND_PROBLEM, "INC-000003", NULL, 0), ITSM_EEXISTS, "already exists");
    fixture_close(&f);
}

/* The counter behind generated ids is rebuilt by replay: an engine loaded
 * from the store generates the same next id as the engine that wrote it. */
static void a_replayed_engine_generates_the_same_next_id(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    open_inc(&f);                                             /* INC-000001 */
    open_kind(&f, ITSM_KIND_INCIDENT, "INC-000005", NULL, 0); /* host's choice */
    open_inc(&f);
    open_kind(&f, ITSM_KIND_PROBLEM, "PRB-7", NULL, 0);
    fixture g;
    fixture_open(&g);
    g.store.check_revisions = 0;
    replay_store_into(g.eng, &f.store);
    for (int i = 0; i < 3; i++) {
        itsm_record *a = open_inc(&f), *b = open_inc(&g);
        assert_string_equal(itsm_record_id(a), itsm_record_id(b));
        a = open_kind(&f, ITSM_KIND_PROBLEM, NULL, NULL, 0);
        b = open_kind(&g, ITSM_KIND_PROBLEM, NULL, NULL, 0);
        assert_string_equal(itsm_record_id(a), itsm_record_id(b));
    }
    fixture_close(&g);
    fixture_close(&f);
}

static void ids_are_validated(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    char *id64 = repeat('x', 64), *id65 = repeat('x', 65);
    const char *bad[] = { "", id65, "a b", "a/b", "é", "a\tb", "a,b", "#1", "a\"b", "a\\b", "INC+1" };
    for (size_t i = 0; i < N_(bad); i++)
        refuse(&f, open_with(&f, ITSM_KIND_INCIDENT, bad[i], NULL, 0), ITSM_EINVAL,
               "record id must be 1..64 characters");
    const char *good[] = { id64, "a", "A-Z_a.z:09", "0", "incident:2026.03-a_b" };
    for (size_t i = 0; i < N_(good); i++)
        assert_string_equal(itsm_record_id(open_kind(&f, ITSM_KIND_INCIDENT, good[i], NULL, 0)), good[i]);
    /* Ids are case sensitive. */
    assert_string_equal(itsm_record_id(open_kind(&f, ITSM_KIND_INCIDENT, "A", NULL, 0)), "A");
    refuse(&f, open_with(&f, ITSM_KIND_PROBLEM, "a", NULL, 0), ITSM_EEXISTS, "already exists");
    free(id64);
    free(id65);
    assert_replays_the_same(f.eng, &f.store);
    fixture_close(&f);
}

static void record_find_returns_the_record_or_enotfound(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *a = open_inc(&f), *b = open_kind(&f, ITSM_KIND_CHANGE, "chg-x", NULL, 0), *r;
    for (int i = 0; i < 200; i++)   /* grow the index past its first size */
        open_kind(&f, ITSM_KIND_KNOWLEDGE, NULL, NULL, 0);
    assert_ok(itsm_record_find(&r, f.eng, "INC-000001"));
    assert_ptr_equal(r, a);
    assert_ok(itsm_record_find(&r, f.eng, "chg-x"));
    assert_ptr_equal(r, b);
    assert_ok(itsm_record_find(&r, f.eng, "KB-000200"));
    assert_string_equal(itsm_record_id(r), "KB-000200");
    assert_fails(f.eng, itsm_record_find(&r, f.eng, "CHG-X"), ITSM_ENOTFOUND, "no record 'CHG-X'");
    assert_null(r);
    assert_fails(f.eng, itsm_record_find(&r, f.eng, ""), ITSM_ENOTFOUND, "no record");
    assert_fails(f.eng, itsm_record_find(&r, f.eng, NULL), ITSM_EINVAL, "must not be NULL");
    assert_fails(f.eng, itsm_record_find(NULL, f.eng, "x"), ITSM_EINVAL, "must not be NULL");
    assert_int_equal(itsm_record_find(&r, NULL, "x"), ITSM_EINVAL);
    /* Records come back in opening order. */
    assert_ok(itsm_engine_record_at(&r, f.eng, 1));
    assert_ptr_equal(r, b);
    assert_int_equal(itsm_engine_record_at(&r, f.eng, 202), ITSM_EINVAL);
    fixture_close(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(related_link_is_recorded_on_both_sides),
        cmocka_unit_test(child_link_gives_the_target_a_parent),
        cmocka_unit_test(linking_twice_is_eexists_from_either_side),
        cmocka_unit_test(parent_and_child_of_the_same_record_is_refused),
        cmocka_unit_test(self_links_and_bad_targets_are_refused),
        cmocka_unit_test(generated_ids_carry_the_kind_prefix_and_count_per_kind),
        cmocka_unit_test(generated_ids_skip_ids_the_host_chose),
        cmocka_unit_test(a_replayed_engine_generates_the_same_next_id),
        cmocka_unit_test(ids_are_validated),
        cmocka_unit_test(record_find_returns_the_record_or_enotfound),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
