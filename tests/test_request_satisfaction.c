/* SPDX-License-Identifier: Apache-2.0 */
/* Satisfaction with fulfilled service requests on a 0..10 (net promoter)
 * scale: both ends of the scale are answers and fall in their own slots
 * of the distribution; a score past either end is refused; a rejected
 * request is no survey sent; the rows by group and service count requests
 * as they do incidents. */
#include "record_check.h"

#include <string.h>

static itsm_record *closed_request(fixture *f, const char *id, const char *service, const char *group)
{
    itsm_change c[] = { { ITSM_F_SUMMARY, "A laptop", 0 }, { ITSM_F_CALLER, "pia", 0 },
                        { ITSM_F_SERVICE, service, 0 } };
    itsm_record *r = open_kind(f, ITSM_KIND_SERVICE_REQUEST, id, c, N_(c));
    assert_ok(itsm_record_fire(r, "submit", NULL, 0));
    assert_ok(itsm_record_approve(r, NULL, "mia", NULL));
    assert_ok(itsm_record_fire(r, "approve", NULL, 0));
    itsm_change g[2] = { { ITSM_F_ASSIGNMENT_GROUP, group, 0 }, { ITSM_F_ASSIGNEE, "fay", 0 } };
    assert_ok(itsm_record_fire(r, "fulfil", g, 2));
    itsm_change n = { ITSM_F_RESOLUTION_NOTES, "Delivered", 0 };
    assert_ok(itsm_record_fire(r, "complete", &n, 1));
    itsm_change k[2] = { { ITSM_F_CATEGORY, "hardware", 0 }, { ITSM_F_KNOWLEDGE_DECISION, "not_needed", 0 } };
    assert_ok(itsm_record_fire(r, "close", k, 2));
    return r;
}

static itsm_report_survey row(const itsm_report *rep, size_t i)
{
    itsm_report_survey s = { .size = sizeof s };
    assert_ok(itsm_report_survey_at(rep, i, &s));
    return s;
}

static void a_net_promoter_scale_counts_both_ends(void **state)
{
    (void)state;
    itsm_policy *p;
    assert_ok(itsm_policy_new_default(&p, NULL));
    assert_ok(itsm_policy_set_closure(p, 259200, 1000, 1));   /* every closure is surveyed */
    itsm_survey_scale nps = { ITSM_SURVEY_SCALE_VERSION, 0, 10 };
    assert_ok(itsm_policy_set_survey_scale(p, &nps));
    fixture f;
    fixture_open_with(&f, p, NULL);
    itsm_policy_free(p);

    itsm_record *a = closed_request(&f, "REQ1", "workplace", "desktop");
    itsm_record *b = closed_request(&f, "REQ2", "workplace", "desktop");
    itsm_record *c = closed_request(&f, "REQ3", "mail", "messaging");
    closed_request(&f, "REQ4", "mail", "messaging");   /* never answered */
    /* Rejected: no service given, no survey sent. */
    itsm_change rc[] = { { ITSM_F_SUMMARY, "A yacht", 0 }, { ITSM_F_CALLER, "pia", 0 },
                         { ITSM_F_SERVICE, "mail", 0 } };
    itsm_record *no = open_kind(&f, ITSM_KIND_SERVICE_REQUEST, "REQ5", rc, N_(rc));
    assert_ok(itsm_record_fire(no, "submit", NULL, 0));
    itsm_change why = { ITSM_F_RESOLUTION_NOTES, "Not a business need", 0 };
    assert_ok(itsm_record_fire(no, "reject", &why, 1));

    size_t stored = f.store.n;
    assert_fails(f.eng, itsm_record_survey_answer(a, 11, NULL), ITSM_EINVAL, "score 11 is outside the survey scale 0..10");
    assert_fails(f.eng, itsm_record_survey_answer(a, -1, NULL), ITSM_EINVAL, "score -1 is outside the survey scale 0..10");
    assert_int_equal(f.store.n, stored);
    assert_ok(itsm_record_survey_answer(a, 0, "Took three weeks"));
    assert_ok(itsm_record_survey_answer(b, 10, NULL));
    assert_ok(itsm_record_survey_answer(c, 10, "Perfect"));
    itsm_survey_answer ans = { .size = sizeof ans };
    assert_ok(itsm_record_survey(&ans, a));
    assert_int_equal(ans.score, 0);
    assert_string_equal(ans.comment, "Took three weeks");

    itsm_report_opts o = ITSM_REPORT_OPTS_INIT;
    itsm_report *rep;
    assert_ok(itsm_report_new(&rep, f.eng, &o));
    itsm_report_survey all = row(rep, 0);
    assert_int_equal(all.by, ITSM_SURVEY_ALL);
    assert_int_equal(all.sent, 4);
    assert_int_equal(all.answered, 3);
    assert_float_equal(all.response_rate, 0.75, 1e-9);
    assert_float_equal(all.mean_score, 20.0 / 3, 1e-9);
    assert_int_equal(all.scale_min, 0);
    assert_int_equal(all.scale_max, 10);
    assert_int_equal(all.scores[0], 1);
    assert_int_equal(all.scores[10], 2);
    for (int i = 1; i < 10; i++)
        assert_int_equal(all.scores[i], 0);
    /* Rows: all; groups desktop, messaging; services mail, workplace; one week. */
    assert_int_equal(itsm_report_survey_count(rep), 6);
    itsm_report_survey g = row(rep, 1);
    assert_int_equal(g.by, ITSM_SURVEY_BY_GROUP);
    assert_string_equal(g.name, "desktop");
    assert_int_equal(g.sent, 2);
    assert_float_equal(g.mean_score, 5.0, 1e-9);
    itsm_report_survey m = row(rep, 3);
    assert_int_equal(m.by, ITSM_SURVEY_BY_SERVICE);
    assert_string_equal(m.name, "mail");
    assert_int_equal(m.sent, 2);   /* REQ5 was rejected: not sent */
    assert_int_equal(m.answered, 1);
    assert_float_equal(m.response_rate, 0.5, 1e-9);
    itsm_report_free(rep);
    fixture_close(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_net_promoter_scale_counts_both_ends),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
