/* SPDX-License-Identifier: Apache-2.0 */
/* A refused step that would also touch linked records touches none of
 * them: a problem close the lifecycle does not allow (from "new", or a
 * second time) neither resumes nor notes the incidents on hold waiting on
 * it, and a major-incident attach that is refused leaves both records as
 * they were. Each refusal has its code and a message. */
#include "pm_helpers.h"
#include "record_check.h"

/* The call fails with `code` and a message, and changes neither the
 * engine's records nor the store. */
#define refuse_whole(f, call, code) do {                                         \
        refuse(f, call, code, "");                                               \
        assert_true(itsm_errmsg((f)->eng)[0] != '\0');                           \
    } while (0)

static itsm_record *waiting_on(fixture *f, itsm_record *prb, const char *reason)
{
    itsm_record *w = pm_incident(f, "payroll", "batch", "run fails again");
    pm_work(w, "desk", "ann");
    itsm_change h = { ITSM_F_HOLD_REASON, reason, 0 };
    assert_ok(itsm_record_fire(w, "hold", &h, 1));
    assert_ok(itsm_record_link(w, ITSM_LINK_RELATED, prb));
    return w;
}

static void a_problem_close_the_lifecycle_refuses_leaves_waiting_incidents_alone(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *inc = pm_incident(&f, "payroll", "batch", "payroll run fails");
    pm_resolve(inc, "desk", "ann");
    itsm_record *prb;
    assert_ok(itsm_problem_open_from_incident(&prb, inc, NULL));
    itsm_record *w1 = waiting_on(&f, prb, "awaiting_problem");
    itsm_record *w2 = waiting_on(&f, prb, "awaiting_change");
    uint64_t r1 = itsm_record_revision(w1), r2 = itsm_record_revision(w2), rp = itsm_record_revision(prb);

    /* nothing analysed yet: "resolve" from "new" is not allowed, or guarded */
    char state_before[64];
    snprintf(state_before, sizeof state_before, "%s", itsm_record_state(prb));
    char *b = engine_dump(f.eng);
    size_t n = f.store.n;
    int rc = itsm_problem_close(prb, "fix_applied", "rotated the logs");
    assert_true(rc == ITSM_ETRANSITION || rc == ITSM_EGUARD);
    assert_true(itsm_errmsg(f.eng)[0] != '\0');
    char *a = engine_dump(f.eng);
    assert_string_equal(a, b);
    assert_int_equal(f.store.n, n);
    free(a);
    free(b);
    assert_string_equal(itsm_record_state(prb), state_before);
    assert_string_equal(itsm_record_state(w1), "on_hold");
    assert_string_equal(itsm_record_str(w1, ITSM_F_HOLD_REASON), "awaiting_problem");
    assert_int_equal(itsm_record_revision(w1), r1);
    assert_int_equal(itsm_record_revision(w2), r2);
    assert_int_equal(itsm_record_revision(prb), rp);

    /* closed without a fix once: a second close is refused and notes no one again */
    assert_ok(itsm_problem_close(prb, "risk_accepted", "not worth a change"));
    r1 = itsm_record_revision(w1);
    r2 = itsm_record_revision(w2);
    refuse_whole(&f, itsm_problem_close(prb, "risk_accepted", "still not worth it"), ITSM_ETRANSITION);
    refuse_whole(&f, itsm_problem_close(prb, "fix_applied", "fixed after all"), ITSM_ETRANSITION);
    assert_int_equal(itsm_record_revision(w1), r1);
    assert_int_equal(itsm_record_revision(w2), r2);
    assert_string_equal(itsm_record_state(w1), "on_hold");
    fixture_close(&f);
}

static void a_refused_attach_leaves_parent_and_child_alone(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *p = pm_incident(&f, "mail", "network", "mail down");
    itsm_record *q = pm_incident(&f, "mail", "network", "mail slow");
    itsm_record *c = pm_incident(&f, "mail", "network", "cannot send");
    assert_ok(itsm_major_propose(p, "everyone"));
    assert_ok(itsm_major_decide(p, 1, "mim"));
    /* a parent that is not an accepted major incident; the parent as its own child */
    refuse_whole(&f, itsm_major_attach(q, c), ITSM_ESTATE);
    refuse_whole(&f, itsm_major_attach(p, p), ITSM_EINVAL);   /* linked to itself: a bad argument */
    assert_int_equal(itsm_major_attach(NULL, c), ITSM_EINVAL);
    refuse_whole(&f, itsm_major_attach(p, NULL), ITSM_EINVAL);
    /* a child of another engine */
    fixture g;
    fixture_open(&g);
    itsm_record *alien = pm_incident(&g, "mail", "network", "elsewhere");
    refuse_whole(&f, itsm_major_attach(p, alien), ITSM_EINVAL);
    assert_int_equal(itsm_record_link_count(alien), 0);
    assert_int_equal(itsm_record_revision(alien), 1);
    fixture_close(&g);
    /* attached once: again is refused */
    assert_ok(itsm_major_attach(p, c));
    refuse_whole(&f, itsm_major_attach(p, c), ITSM_EEXISTS);
    fixture_close(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_problem_close_the_lifecycle_refuses_leaves_waiting_incidents_alone),
        cmocka_unit_test(a_refused_attach_leaves_parent_and_child_alone),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
