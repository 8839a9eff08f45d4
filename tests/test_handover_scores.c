/* SPDX-License-Identifier: Apache-2.0 */
/* Handover completeness at its documented figures (DESIGN section 9,
 * docs/handover.md "Completeness"): the default checklist of each of the
 * five kinds, the score as a percentage rounded down, and the kinds'
 * names both ways. */
#include "pm_helpers.h"

static itsm_packet *from_json(const char *kind, const char *record_kind, const char *members)
{
    char doc[2048];
    snprintf(doc, sizeof doc, "{\"itsm_packet\":1,\"kind\":\"%s\",\"record\":{\"id\":\"R-1\",\"kind\":\"%s\"}%s%s}",
             kind, record_kind, *members ? "," : "", members);
    itsm_packet *p = NULL;
    itsm_parse_error err;
    int rc = itsm_packet_from_json(&p, doc, strlen(doc), NULL, NULL, &err);
    if (rc)
        fail_msg("%s: %s %s", doc, itsm_errname(rc), err.text);
    return p;
}

/* The packet's completeness under `pol`: the score `score`, the items
 * `missing`. */
static void completeness_is(const itsm_packet *p, const itsm_policy *pol, int score, const char *missing)
{
    int got = -1;
    char items[ITSM_HANDOVER_ITEMS_MAX];
    assert_ok(itsm_packet_completeness(&got, p, pol, items, sizeof items));
    assert_int_equal(got, score);
    assert_string_equal(items, missing);
}

/* The defaults of docs/handover.md, kind by kind, read back in the items'
 * order. */
static void each_kind_has_its_documented_default_checklist(void **state)
{
    (void)state;
    itsm_policy *pol;
    assert_ok(itsm_policy_new_default(&pol, NULL));
    static const struct { itsm_packet_kind kind; const char *items; } want[] = {
        { ITSM_PACKET_SHIFT, "object defect what_is where_is when_is extent_is status next_update actions "
                             "communications engaged_groups open_actions" },
        { ITSM_PACKET_DESK_TO_MAJOR, "object defect what_is where_is when_is extent_is actions engaged_groups "
                                     "contact_verified sender_group" },
        { ITSM_PACKET_TO_PROBLEM, "object defect what_is what_is_not where_is where_is_not when_is when_is_not "
                                  "extent_is extent_is_not actions hypotheses other_places identical_things" },
        { ITSM_PACKET_TO_CHANGE, "object defect hypotheses identical_things open_actions" },
        { ITSM_PACKET_TO_OPERATIONS, "engaged_groups open_actions deliverables receiver" },
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        char buf[ITSM_HANDOVER_ITEMS_MAX];
        size_t len = 0;
        assert_ok(itsm_policy_handover_checklist(pol, want[i].kind, buf, sizeof buf, &len));
        assert_string_equal(buf, want[i].items);
        assert_int_equal(len, strlen(want[i].items));
    }
    itsm_policy_free(pol);
}

/* The score is the percentage of listed items present, rounded down: 1 of
 * 3 is 33, 2 of 3 is 66 (not 67), 13 of the 14 items a to_problem packet
 * lists is 92 (not 93); a missing item is always below 100. */
static void the_score_is_the_share_of_items_present_rounded_down(void **state)
{
    (void)state;
    itsm_policy *pol;
    assert_ok(itsm_policy_new_default(&pol, NULL));
    assert_ok(itsm_policy_set_handover_checklist(pol, ITSM_PACKET_TO_CHANGE, "object defect hypotheses"));
    itsm_packet *p = from_json("to_change", "problem", "\"problem_statement\":{\"object\":\"payroll batch\"}");
    completeness_is(p, pol, 33, "defect hypotheses");
    itsm_packet_free(p);
    p = from_json("to_change", "problem",
                  "\"problem_statement\":{\"object\":\"payroll batch\",\"defect\":\"aborts at step 3\"}");
    completeness_is(p, pol, 66, "hypotheses");
    itsm_packet_free(p);

    /* the default to_problem list: everything but identical_things */
    p = from_json("to_problem", "incident",
                  "\"problem_statement\":{\"object\":\"payroll batch\",\"defect\":\"aborts at step 3\"},"
                  "\"facts\":{\"what\":{\"is\":\"PAY-3\",\"is_not\":\"online screens\"},"
                  "\"where\":{\"is\":\"batch01\",\"is_not\":\"batch02\"},"
                  "\"when\":{\"is\":\"since 08:55\",\"is_not\":\"before the patch\"},"
                  "\"extent\":{\"is\":\"4000 payslips\",\"is_not\":\"pensions\"}},"
                  "\"actions\":[{\"text\":\"restarted the scheduler\",\"by\":\"ann\"}],"
                  "\"hypotheses\":[\"the patch changed the log path\"],"
                  "\"other_places\":[\"the pension batch\"]");
    completeness_is(p, pol, 92, "identical_things");
    itsm_packet_free(p);
    itsm_policy_free(pol);
}

/* A new desk_to_major packet for a payroll incident opened in `f`. */
static itsm_packet *desk_packet(fixture *f)
{
    itsm_record *r = pm_incident(f, "payroll", "application", "payroll portal down");
    itsm_packet *p;
    assert_ok(itsm_packet_new(&p, r, ITSM_PACKET_DESK_TO_MAJOR));
    return p;
}

/* A desk_to_major handover missing one item of the default ten is logged
 * with 90 and that one item; the log's score is never 100. */
static void a_desk_handover_one_item_short_is_logged_at_ninety(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_packet *p = desk_packet(&f);
    /* prefilled: object, what_is, where_is, when_is, extent_is; add the rest but contact */
    assert_ok(itsm_packet_set_text(p, ITSM_PT_DEFECT, "portal returns 503"));
    assert_ok(itsm_packet_set_text(p, ITSM_PT_SENDER_GROUP, "service_desk"));
    itsm_packet_entry act = { sizeof act, "restarted the portal", "ann", T0 };
    assert_ok(itsm_packet_add(p, ITSM_PL_ACTIONS, &act));
    itsm_packet_entry grp = { sizeof grp, "web_ops", NULL, ITSM_TIME_NONE };
    assert_ok(itsm_packet_add(p, ITSM_PL_ENGAGED_GROUPS, &grp));
    completeness_is(p, itsm_engine_policy(f.eng), 90, "contact_verified");
    f.clock.now += 60;
    assert_ok(itsm_packet_propose(p, f.eng));
    f.clock.now += 60;
    assert_ok(itsm_packet_acknowledge(p, f.eng, "maria"));
    assert_int_equal(itsm_quality_log_count(f.eng), 1);
    itsm_quality_entry q = { .size = sizeof q };
    assert_ok(itsm_quality_log_at(f.eng, 0, &q));
    assert_int_equal(q.score, 90);
    assert_string_equal(q.missing, "contact_verified");
    assert_string_equal(q.sender_group, "service_desk");
    assert_int_equal(q.at, T0 + 120);
    itsm_packet_free(p);
    fixture_close(&f);
}

static void packet_kinds_and_deliverable_states_have_their_names(void **state)
{
    (void)state;
    const char *const kinds[] = { "shift", "desk_to_major", "to_problem", "to_change", "to_operations" };
    for (int i = 0; i < 5; i++) {
        assert_string_equal(itsm_packet_kind_name((itsm_packet_kind)(i + 1)), kinds[i]);
        itsm_packet_kind k = 0;
        assert_ok(itsm_packet_kind_from_name(&k, kinds[i]));
        assert_int_equal(k, i + 1);
    }
    assert_null(itsm_packet_kind_name((itsm_packet_kind)6));
    itsm_packet_kind k = ITSM_PACKET_SHIFT;
    assert_int_equal(itsm_packet_kind_from_name(&k, "Shift"), ITSM_ENOTFOUND);
    const char *const st[] = { "pending", "delivered", "approved", "rejected" };
    for (int i = 0; i < 4; i++)
        assert_string_equal(itsm_deliverable_status_name((itsm_deliverable_status)(i + 1)), st[i]);
    assert_null(itsm_deliverable_status_name((itsm_deliverable_status)5));
}

/* The exception report covers handovers acknowledged within [from, to],
 * both ends included; from after to is refused. */
static void the_exception_report_period_includes_both_ends(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_packet *p = desk_packet(&f);
    assert_ok(itsm_packet_set_text(p, ITSM_PT_SENDER_GROUP, "service_desk"));
    f.clock.now = T0 + 60;
    assert_ok(itsm_packet_propose(p, f.eng));
    f.clock.now = T0 + 120;
    assert_ok(itsm_packet_acknowledge(p, f.eng, "maria"));
    itsm_packet_free(p);
    static const struct { itsm_time from, to; int in; } periods[] = {
        { T0 + 120, T0 + 120, 1 }, { T0, T0 + 120, 1 }, { T0 + 120, T0 + 999, 1 },
        { T0, T0 + 119, 0 }, { T0 + 121, T0 + 999, 0 },
    };
    for (size_t i = 0; i < sizeof periods / sizeof periods[0]; i++) {
        char *rep = pm_report(f.eng, periods[i].from, periods[i].to);
        int in = strstr(rep, "{\"group\":\"service_desk\",\"handovers\":1,\"poor\":1") != NULL;
        if (in != periods[i].in)
            fail_msg("period %zu: %s", i, rep);
        free(rep);
    }
    char buf[64];
    size_t len;
    assert_int_equal(itsm_handover_report_to_json(f.eng, T0 + 1, T0, buf, sizeof buf, &len), ITSM_EINVAL);
    fixture_close(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(each_kind_has_its_documented_default_checklist),
        cmocka_unit_test(the_score_is_the_share_of_items_present_rounded_down),
        cmocka_unit_test(a_desk_handover_one_item_short_is_logged_at_ninety),
        cmocka_unit_test(packet_kinds_and_deliverable_states_have_their_names),
        cmocka_unit_test(the_exception_report_period_includes_both_ends),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
