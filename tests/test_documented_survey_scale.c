/* SPDX-License-Identifier: Apache-2.0 */
/* docs/satisfaction.md, "The scale": "A stored answer is kept as recorded
 * when the scale changes later; the report counts it in answered and the
 * mean, not in the distribution." A desk that moves from 1..5 stars to a
 * 0..3 scale keeps its old 5 (read back as 5) and its old 2 (still on the
 * new scale, so in the distribution), while new answers follow 0..3. */
#include "sla/sla_support.h"

#include <string.h>

static itsm_policy *scaled(int lo, int hi)
{
    itsm_policy *p;
    assert_ok(itsm_policy_new_default(&p, NULL));
    assert_ok(itsm_policy_set_closure(p, 3 * DAY, 1000, 1));   /* every record sampled */
    itsm_survey_scale sc = { ITSM_SURVEY_SCALE_VERSION, lo, hi };
    assert_ok(itsm_policy_set_survey_scale(p, &sc));
    return p;
}

static itsm_record *closed_incident(fixture *f)
{
    itsm_record *r = open_inc(f, 3, 3, "mail");
    start_work(r);
    itsm_change c[4] = { { ITSM_F_RESOLUTION_CODE, "fixed", 0 }, { ITSM_F_RESOLUTION_NOTES, "restarted", 0 },
                         { ITSM_F_CATEGORY, "email", 0 }, { ITSM_F_KNOWLEDGE_DECISION, "not_needed", 0 } };
    assert_ok(itsm_record_fire(r, "resolve", c, 4));
    assert_ok(itsm_record_fire(r, "confirm", NULL, 0));
    return r;
}

static void an_answer_off_a_later_scale_counts_in_answered_and_the_mean_only(void **state)
{
    (void)state;
    itsm_policy *five = scaled(1, 5), *three = scaled(0, 3);
    fixture f;
    fixture_open_policy(&f, five);
    itsm_record *a = closed_incident(&f), *b = closed_incident(&f);
    assert_ok(itsm_record_survey_answer(a, 5, NULL));
    assert_ok(itsm_record_survey_answer(b, 2, NULL));
    assert_ok(itsm_engine_adopt_policy(f.eng, three));
    itsm_record *c = closed_incident(&f);
    assert_fails(f.eng, itsm_record_survey_answer(c, 4, NULL), ITSM_EINVAL, "score 4 is outside the survey scale 0..3");
    assert_ok(itsm_record_survey_answer(c, 0, NULL));
    itsm_survey_answer sa = { .size = sizeof sa };
    assert_ok(itsm_record_survey(&sa, a));
    assert_int_equal(sa.score, 5);                            /* kept as recorded */

    itsm_report *rep;
    itsm_report_opts o = ITSM_REPORT_OPTS_INIT;
    assert_ok(itsm_report_new(&rep, f.eng, &o));
    itsm_report_survey all = { .size = sizeof all };
    assert_ok(itsm_report_survey_at(rep, 0, &all));
    assert_int_equal(all.by, ITSM_SURVEY_ALL);
    assert_int_equal(all.scale_min, 0);
    assert_int_equal(all.scale_max, 3);
    assert_int_equal(all.sent, 3);
    assert_int_equal(all.answered, 3);
    assert_true(all.mean_score > 2.33 && all.mean_score < 2.34);   /* (5 + 2 + 0) / 3 */
    assert_int_equal(all.scores[0], 1);                       /* the 0 */
    assert_int_equal(all.scores[2], 1);                       /* the old 2 */
    size_t in_distribution = 0;
    for (size_t i = 0; i < ITSM_SURVEY_MAX_POINTS; i++)
        in_distribution += all.scores[i];
    assert_int_equal(in_distribution, 2);                     /* not the 5 */
    itsm_report_free(rep);
    /* Reloaded under the new scale, the old answer is still the 5 it was. */
    vclock c2 = { f.clock.now };
    itsm_engine *again = engine_over(&f.store, &c2, three);
    assert_ok(itsm_engine_load(again));
    itsm_record *a2;
    assert_ok(itsm_record_find(&a2, again, "INC-000001"));
    assert_ok(itsm_record_survey(&sa, a2));
    assert_int_equal(sa.score, 5);
    itsm_engine_free(again);
    fixture_close(&f);
    itsm_policy_free(five);
    itsm_policy_free(three);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(an_answer_off_a_later_scale_counts_in_answered_and_the_mean_only),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
