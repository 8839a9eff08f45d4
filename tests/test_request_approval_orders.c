/* SPDX-License-Identifier: Apache-2.0 */
/* A request's catalogue item and its approval in unusual but legal orders
 * (docs/requests.md: the approvers approved that item): an approval
 * decision holds the item already before the `approve` step fires; an
 * approval that stops counting (its maker became the requester) holds
 * nothing, so the item may change and the next approver's decision holds
 * the new one, whose tasks fulfilment generates; a rejection stands
 * whatever item the request names afterwards. */
#include "record_check.h"
#include "catalogue_policy.h"

#include <stdlib.h>
#include <string.h>

static void open_fixture(fixture *f)
{
    itsm_policy *def;
    assert_ok(itsm_policy_new_default(&def, NULL));
    itsm_policy *p = policy_with_catalogue(def,
        "\"catalogue\":[{\"name\":\"new_laptop\",\"tasks\":[{\"name\":\"order_laptop\",\"group\":\"procurement\"}]},"
        "{\"name\":\"software_install\",\"tasks\":[{\"name\":\"install\",\"group\":\"desktop\"}]}]");
    fixture_open_sink(f, p, NULL, NULL);
    itsm_policy_free(p);
}

/* A request by pia for `item`, submitted: its approval round is open. */
static itsm_record *submitted(fixture *f, const char *id, const char *item)
{
    itsm_change c[] = { { ITSM_F_SUMMARY, "a request", 0 }, { ITSM_F_CALLER, "pia", 0 },
                        { ITSM_F_SERVICE, "workplace", 0 } };
    itsm_record *r = open_kind(f, ITSM_KIND_SERVICE_REQUEST, id, c, N_(c));
    assert_ok(itsm_request_choose_item(r, item));
    assert_ok(itsm_record_fire(r, "submit", NULL, 0));
    return r;
}

static itsm_approval_status status_of(const itsm_record *r)
{
    itsm_approval_info ai = { .size = sizeof ai };
    assert_ok(itsm_record_approval(&ai, r));
    return ai.status;
}

static void fulfil(itsm_record *r)
{
    itsm_change g[2] = { { ITSM_F_ASSIGNMENT_GROUP, "service_desk", 0 }, { ITSM_F_ASSIGNEE, "fay", 0 } };
    assert_ok(itsm_record_fire(r, "fulfil", g, 2));
}

static const char *first_task(const itsm_record *r)
{
    itsm_task_info t = { .size = sizeof t };
    assert_int_equal(itsm_request_task_count(r), 1);
    assert_ok(itsm_request_task_at(&t, r, 0));
    return t.name;
}

static void an_approval_decision_holds_the_item_before_the_approve_step(void **state)
{
    (void)state;
    fixture f;
    open_fixture(&f);
    itsm_record *r = submitted(&f, "REQ1", "software_install");
    assert_ok(itsm_request_choose_item(r, "new_laptop"));   /* nothing approved yet: free */
    assert_ok(itsm_request_choose_item(r, "software_install"));
    assert_ok(itsm_record_approve(r, NULL, "mia", NULL));
    assert_string_equal(itsm_record_state(r), "awaiting_approval");
    size_t stored = f.store.n;
    assert_fails(f.eng, itsm_request_choose_item(r, "new_laptop"), ITSM_ESTATE,
                 "REQ1 was approved for catalogue item 'software_install': choosing 'new_laptop' instead would go "
                 "around its approval");
    assert_int_equal(f.store.n, stored);
    assert_string_equal(itsm_request_item(r), "software_install");
    assert_ok(itsm_record_fire(r, "approve", NULL, 0));
    fulfil(r);
    assert_string_equal(first_task(r), "install");
    fixture_close(&f);
}

static void an_approval_that_stops_counting_holds_no_item(void **state)
{
    (void)state;
    fixture f;
    open_fixture(&f);
    itsm_record *r = submitted(&f, "REQ1", "software_install");
    assert_ok(itsm_record_approve(r, NULL, "mia", NULL));
    assert_ok(itsm_record_set_str(r, ITSM_F_CALLER, "mia"));   /* it was mia's own request */
    assert_int_equal(status_of(r), ITSM_APPROVAL_PENDING);
    assert_ok(itsm_request_choose_item(r, "new_laptop"));
    assert_ok(itsm_record_approve(r, NULL, "pia", NULL));
    assert_int_equal(status_of(r), ITSM_APPROVAL_APPROVED);
    assert_fails(f.eng, itsm_request_choose_item(r, "software_install"), ITSM_ESTATE,
                 "REQ1 was approved for catalogue item 'new_laptop'");
    assert_ok(itsm_record_fire(r, "approve", NULL, 0));
    fulfil(r);
    assert_string_equal(first_task(r), "order_laptop");
    assert_replays_the_same(f.eng, &f.store);
    fixture_close(&f);
}

static void a_rejection_stands_whatever_item_the_request_names_after_it(void **state)
{
    (void)state;
    fixture f;
    open_fixture(&f);
    itsm_record *r = submitted(&f, "REQ1", "software_install");
    assert_ok(itsm_record_reject_approval(r, NULL, "mia", "licence not funded"));
    assert_ok(itsm_request_choose_item(r, "new_laptop"));
    assert_int_equal(status_of(r), ITSM_APPROVAL_REJECTED);
    assert_fails(f.eng, itsm_record_approve(r, NULL, "max", NULL), ITSM_ESTATE, "");
    assert_fails(f.eng, itsm_record_fire(r, "approve", NULL, 0), ITSM_EGUARD, "mia rejected it");
    itsm_change n = { ITSM_F_RESOLUTION_NOTES, "not funded", 0 };
    assert_ok(itsm_record_fire(r, "reject", &n, 1));
    assert_string_equal(itsm_record_state(r), "rejected");
    assert_int_equal(itsm_request_task_count(r), 0);
    fixture_close(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(an_approval_decision_holds_the_item_before_the_approve_step),
        cmocka_unit_test(an_approval_that_stops_counting_holds_no_item),
        cmocka_unit_test(a_rejection_stands_whatever_item_the_request_names_after_it),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
