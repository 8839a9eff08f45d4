/* SPDX-License-Identifier: Apache-2.0 */
/* How a service request ends: rejected by its approver it gets no tasks,
 * takes no item and no survey; fulfilled, it closes only with the closure
 * checklist and is then surveyed; canceled, it is not surveyed. */
#include "record_check.h"
#include "catalogue_policy.h"

#include <stdlib.h>
#include <string.h>

/* The default policy with a one-item catalogue and every closure
 * surveyed (rate 1000 per mille). */
static itsm_policy *request_policy(void)
{
    itsm_policy *def;
    assert_ok(itsm_policy_new_default(&def, NULL));
    assert_ok(itsm_policy_set_closure(def, 259200, 1000, 1));
    return policy_with_catalogue(def,
                                 "\"catalogue\":[{\"name\":\"new_laptop\",\"tasks\":["
                                 "{\"name\":\"order_laptop\",\"group\":\"procurement\"},"
                                 "{\"name\":\"image_laptop\",\"group\":\"desktop\"}]}]");
}

static void open_fixture(fixture *f)
{
    itsm_policy *p = request_policy();
    fixture_open_sink(f, p, NULL, NULL);
    itsm_policy_free(p);
}

static itsm_record *submitted(fixture *f, const char *id)
{
    itsm_change c[] = { { ITSM_F_SUMMARY, "a laptop", 0 }, { ITSM_F_CALLER, "pia", 0 },
                        { ITSM_F_SERVICE, "workplace", 0 } };
    itsm_record *r = open_kind(f, ITSM_KIND_SERVICE_REQUEST, id, c, N_(c));
    assert_ok(itsm_request_choose_item(r, "new_laptop"));
    assert_ok(itsm_record_fire(r, "submit", NULL, 0));
    return r;
}

static void a_rejected_request_gets_no_tasks_no_item_and_no_survey(void **state)
{
    (void)state;
    fixture f;
    open_fixture(&f);
    itsm_record *r = submitted(&f, "REQ1");
    assert_ok(itsm_record_reject_approval(r, NULL, "mia", "not in this year's budget"));
    itsm_approval_info ai = { .size = sizeof ai };
    assert_ok(itsm_record_approval(&ai, r));
    assert_int_equal(ai.status, ITSM_APPROVAL_REJECTED);
    assert_fails(f.eng, itsm_record_fire(r, "approve", NULL, 0), ITSM_EGUARD,
                 "but mia rejected it: \"not in this year's budget\"");
    /* the reject step documents why */
    assert_fails(f.eng, itsm_record_fire(r, "reject", NULL, 0), ITSM_EGUARD, "resolution_notes");
    itsm_change n = { ITSM_F_RESOLUTION_NOTES, "Not in this year's budget", 0 };
    assert_ok(itsm_record_fire(r, "reject", &n, 1));
    assert_string_equal(itsm_record_state(r), "rejected");
    assert_int_equal(itsm_request_task_count(r), 0);
    size_t stored = f.store.n;
    assert_fails(f.eng, itsm_request_choose_item(r, "new_laptop"), ITSM_ESTATE,
                 "cannot choose a catalogue item: REQ1 is rejected");
    assert_fails(f.eng, itsm_record_survey_answer(r, 4, NULL), ITSM_ESTATE,
                 "REQ1 is 'rejected': closed without a resolution, it has no service to survey");
    assert_int_equal(f.store.n, stored);
    fixture_close(&f);
}

static void a_fulfilled_request_closes_with_the_checklist_and_is_surveyed(void **state)
{
    (void)state;
    fixture f;
    open_fixture(&f);
    itsm_record *r = submitted(&f, "REQ1");
    assert_ok(itsm_record_approve(r, NULL, "mia", NULL));
    assert_ok(itsm_record_fire(r, "approve", NULL, 0));
    itsm_change g = { ITSM_F_ASSIGNMENT_GROUP, "service_desk", 0 };
    assert_fails(f.eng, itsm_record_fire(r, "fulfil", &g, 1), ITSM_EGUARD, "assignee");   /* someone owns it */
    itsm_change o[2] = { { ITSM_F_ASSIGNMENT_GROUP, "service_desk", 0 }, { ITSM_F_ASSIGNEE, "fay", 0 } };
    assert_ok(itsm_record_fire(r, "fulfil", o, 2));
    assert_int_equal(itsm_request_task_count(r), 2);
    assert_fails(f.eng, itsm_record_survey_answer(r, 4, NULL), ITSM_ESTATE, "once the record is closed");
    assert_ok(itsm_request_task_close(r, "order_laptop", ITSM_TASK_DONE, NULL));
    assert_ok(itsm_request_task_close(r, "image_laptop", ITSM_TASK_DONE, NULL));
    assert_string_equal(itsm_record_state(r), "fulfilled");
    /* the closure checklist: category and knowledge decision still missing */
    assert_fails(f.eng, itsm_record_fire(r, "close", NULL, 0), ITSM_EGUARD, "category");
    assert_non_null(strstr(itsm_errmsg(f.eng), "knowledge_decision"));
    itsm_change c[2] = { { ITSM_F_CATEGORY, "hardware", 0 }, { ITSM_F_KNOWLEDGE_DECISION, "not_needed", 0 } };
    assert_ok(itsm_record_fire(r, "close", c, 2));
    assert_ok(itsm_record_survey_answer(r, 4, "quick"));
    itsm_survey_answer a = { .size = sizeof a };
    assert_ok(itsm_record_survey(&a, r));
    assert_int_equal(a.score, 4);
    fixture_close(&f);
}

static void a_canceled_request_is_not_surveyed_and_its_tasks_are_canceled(void **state)
{
    (void)state;
    fixture f;
    open_fixture(&f);
    itsm_record *r = submitted(&f, "REQ1");
    assert_ok(itsm_record_approve(r, NULL, "mia", NULL));
    assert_ok(itsm_record_fire(r, "approve", NULL, 0));
    itsm_change o[2] = { { ITSM_F_ASSIGNMENT_GROUP, "service_desk", 0 }, { ITSM_F_ASSIGNEE, "fay", 0 } };
    assert_ok(itsm_record_fire(r, "fulfil", o, 2));
    assert_ok(itsm_record_fire(r, "cancel", NULL, 0));
    for (size_t i = 0; i < itsm_request_task_count(r); i++) {
        itsm_task_info t = { .size = sizeof t };
        assert_ok(itsm_request_task_at(&t, r, i));
        assert_int_equal(t.state, ITSM_TASK_CANCELED);
    }
    assert_fails(f.eng, itsm_record_survey_answer(r, 2, NULL), ITSM_ESTATE,
                 "REQ1 is 'canceled': closed without a resolution, it has no service to survey");
    fixture_close(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_rejected_request_gets_no_tasks_no_item_and_no_survey),
        cmocka_unit_test(a_fulfilled_request_closes_with_the_checklist_and_is_surveyed),
        cmocka_unit_test(a_canceled_request_is_not_surveyed_and_its_tasks_are_canceled),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
