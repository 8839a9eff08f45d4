/* SPDX-License-Identifier: Apache-2.0 */
/* The default CAB level is a quorum of two open to anyone (the default
 * rules name nobody): one approval is not enough; the first rejection
 * before the second approval rejects the level, at its time, and nothing
 * more is decided there; a rejection whose maker becomes the implementer
 * stops counting, so the level is pending again with the approval it had
 * and a second member carries it. */
#include "approval_read.h"
#include "change_policy.h"

#include <string.h>

/* CHG1, high risk under the default policy, opened by pia, its change
 * manager's level approved by carl and one CAB vote (ann) cast. */
static itsm_record *one_cab_vote(fixture *f)
{
    fixture_open(f);
    assert_ok(itsm_engine_set_actor(f->eng, "pia"));
    itsm_record *r = change_open(f, "CHG1", "normal", "mail", NULL);
    assert_ok(itsm_record_fire(r, "assess", NULL, 0));
    change_assess(r, "high");
    assert_ok(itsm_record_approve(r, NULL, "carl", NULL));
    f->clock.now += 60;
    assert_ok(itsm_record_approve(r, "cab", "ann", NULL));
    itsm_approval_level cab = level_of(r, 1);
    assert_int_equal(cab.status, ITSM_LEVEL_PENDING);
    assert_int_equal(cab.approvals, 1);
    assert_int_equal(cab.needed, 2);
    return r;
}

static void a_rejection_before_the_second_cab_vote_rejects_the_level(void **state)
{
    (void)state;
    fixture f;
    itsm_record *r = one_cab_vote(&f);
    f.clock.now += 60;
    assert_ok(itsm_record_reject_approval(r, "cab", "bob", "no back-out plan"));
    itsm_approval_level cab = level_of(r, 1);
    assert_int_equal(cab.status, ITSM_LEVEL_REJECTED);
    assert_int_equal(cab.approvals, 1);
    assert_int_equal(cab.rejections, 1);
    itsm_approval_info ai = approval_of(r);
    assert_int_equal(ai.status, ITSM_APPROVAL_REJECTED);
    assert_int_equal(ai.decided_at, f.clock.now);
    assert_int_equal(ai.current, 2);
    size_t stored = f.store.n;
    assert_fails(f.eng, itsm_record_approve(r, "cab", "dan", NULL), ITSM_ESTATE, "");
    assert_int_equal(f.store.n, stored);
    itsm_change impl = { ITSM_F_ASSIGNEE, "ivan", 0 };
    assert_fails(f.eng, itsm_record_fire(r, "authorize", &impl, 1), ITSM_EGUARD, "bob rejected it");
    itsm_change n = { ITSM_F_RESOLUTION_NOTES, "Rejected by the CAB", 0 };
    assert_ok(itsm_record_fire(r, "reject", &n, 1));
    assert_string_equal(itsm_record_state(r), "rejected");
    assert_fails(f.eng, itsm_record_approve(r, "cab", "dan", NULL), ITSM_ESTATE, "");
    fixture_close(&f);
}

static void a_cab_rejection_stops_counting_when_its_maker_implements(void **state)
{
    (void)state;
    fixture f;
    itsm_record *r = one_cab_vote(&f);
    assert_ok(itsm_record_reject_approval(r, "cab", "bob", NULL));
    assert_int_equal(approval_of(r).status, ITSM_APPROVAL_REJECTED);
    assert_ok(itsm_record_set_str(r, ITSM_F_ASSIGNEE, "bob"));
    itsm_approval_level cab = level_of(r, 1);
    assert_int_equal(cab.status, ITSM_LEVEL_PENDING);
    assert_int_equal(cab.approvals, 1);
    assert_int_equal(cab.rejections, 0);
    itsm_approval_info ai = approval_of(r);
    assert_int_equal(ai.status, ITSM_APPROVAL_PENDING);
    assert_int_equal(ai.decided_at, ITSM_TIME_NONE);
    assert_fails(f.eng, itsm_record_fire(r, "authorize", NULL, 0), ITSM_EGUARD,
                 "bob's decision does not count: bob is the implementer");
    f.clock.now += 60;
    assert_ok(itsm_record_approve(r, "cab", "dan", NULL));
    ai = approval_of(r);
    assert_int_equal(ai.status, ITSM_APPROVAL_APPROVED);
    assert_int_equal(ai.decided_at, f.clock.now);
    assert_ok(itsm_record_fire(r, "authorize", NULL, 0));
    assert_replays_the_same(f.eng, &f.store);
    fixture_close(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_rejection_before_the_second_cab_vote_rejects_the_level),
        cmocka_unit_test(a_cab_rejection_stops_counting_when_its_maker_implements),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
