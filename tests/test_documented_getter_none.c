/* SPDX-License-Identifier: Apache-2.0 */
/* README "Errors": "A getter's 'none' (itsm_record_survey, _oncall,
 * _review, _problem_proposal, _approval_level, itsm_review_cause_at /
 * _action_at, itsm_change_planned on a record without one) is
 * ITSM_ENOTFOUND and an answer, not a failure: like every successful call
 * it leaves the last message as it was." A host that shows the message of
 * a refused call, then reads a screen's worth of getters, still shows why
 * the call was refused. Each getter is asked on a record that has none,
 * right after a refusal, and the message is compared byte for byte. */
#include "sla/sla_support.h"

#include <string.h>

static void every_getter_none_is_enotfound_and_keeps_the_last_message(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *inc = open_inc(&f, 3, 3, "mail");          /* P5: no escalation policy, no proposal */
    itsm_record_opts o = ITSM_RECORD_OPTS_INIT;
    o.kind = ITSM_KIND_CHANGE;
    itsm_record *chg;
    assert_ok(itsm_record_open(&chg, f.eng, &o));            /* no plan, no risk: no approval rule yet */

    /* A refusal sets the message a host would show. */
    assert_fails(f.eng, itsm_record_fire(inc, "resolve", NULL, 0), ITSM_ETRANSITION,
                 "no transition 'resolve' from 'new' for incident INC-000001");
    char want[512];
    snprintf(want, sizeof want, "%s", itsm_errmsg(f.eng));

    itsm_survey_answer sa = { .size = sizeof sa };
    itsm_oncall_info oi = { .size = sizeof oi };
    itsm_review_info ri = { .size = sizeof ri };
    itsm_review_cause rc = { .size = sizeof rc };
    itsm_review_action ra = { .size = sizeof ra };
    itsm_approval_level al = { .size = sizeof al };
    size_t idx = 42;
    itsm_time start = 1, end = 1;
    /* One at a time, so a getter that touched the message is named. */
#define NONE(call) do {                                                           \
        int rc_ = (call);                                                         \
        if (rc_ != ITSM_ENOTFOUND)                                                \
            fail_msg("%s: got %s, wanted ITSM_ENOTFOUND", #call, itsm_errname(rc_)); \
        if (strcmp(itsm_errmsg(f.eng), want) != 0)                                \
            fail_msg("%s changed the message to \"%s\"", #call, itsm_errmsg(f.eng)); \
    } while (0)
    NONE(itsm_record_survey(&sa, inc));
    NONE(itsm_record_oncall(&oi, inc));
    NONE(itsm_record_review(&ri, inc));
    NONE(itsm_review_cause_at(&rc, inc, 0));
    NONE(itsm_review_action_at(&ra, inc, 0));
    NONE(itsm_record_problem_proposal(&idx, inc));
    NONE(itsm_record_approval_level(&al, inc, 0));
    NONE(itsm_change_planned(&start, &end, chg));
#undef NONE
    /* itsm_change_planned's none sets both ends to ITSM_TIME_NONE (change.h). */
    assert_int_equal(start, ITSM_TIME_NONE);
    assert_int_equal(end, ITSM_TIME_NONE);
    fixture_close(&f);
}

/* docs/integration.md, "Errors": itsm_errmsg and itsm_errcode say why the
 * last failing call failed; "a later success does not clear them" - a
 * change stored and applied included. */
static void a_later_success_keeps_the_last_failures_message_and_code(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *inc = open_inc(&f, 3, 3, "mail");
    assert_fails(f.eng, itsm_record_fire(inc, "resolve", NULL, 0), ITSM_ETRANSITION, "no transition 'resolve'");
    char want[512];
    snprintf(want, sizeof want, "%s", itsm_errmsg(f.eng));
    size_t stored = f.store.n;
    start_work(inc);                                         /* a success that stores */
    assert_int_equal(f.store.n, stored + 1);
    itsm_record *found;
    assert_ok(itsm_record_find(&found, f.eng, "INC-000001"));
    assert_string_equal(itsm_errmsg(f.eng), want);
    assert_int_equal(itsm_errcode(f.eng), ITSM_ETRANSITION);
    fixture_close(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_getter_none_is_enotfound_and_keeps_the_last_message),
        cmocka_unit_test(a_later_success_keeps_the_last_failures_message_and_code),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
