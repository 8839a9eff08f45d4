/* SPDX-License-Identifier: Apache-2.0 */
/* Acting on the verdict: a problem from an incident, a change from a known
 * error, closing a problem with a resolution code and what a fix releases. */
#include "pm_helpers.h"

static int linked(const itsm_record *a, const itsm_record *b)
{
    for (size_t i = 0; i < itsm_record_link_count(a); i++) {
        itsm_link l = { .size = sizeof l };
        assert_ok(itsm_record_link_at(a, i, &l));
        if (l.kind == ITSM_LINK_RELATED && strcmp(l.target_id, itsm_record_id(b)) == 0)
            return 1;
    }
    return 0;
}

static void check_replay(fixture *f)
{
    char *live = engine_dump(f->eng);
    char *rep = replay_dump(&f->store);
    assert_string_equal(live, rep);
    free(live);
    free(rep);
}

static itsm_record *known_error(fixture *f, itsm_record **inc_out)
{
    itsm_record *inc = pm_incident(f, "payroll", "batch", "payroll run fails");
    assert_ok(itsm_record_set_str(inc, ITSM_F_DESCRIPTION, "step 3 aborts with code 12"));
    assert_ok(itsm_record_set_str(inc, ITSM_F_CI, "batch01"));
    pm_resolve(inc, "desk", "ann");
    itsm_record *prb;
    assert_ok(itsm_problem_open_from_incident(&prb, inc, NULL));
    itsm_change a[2] = { { ITSM_F_ASSIGNEE, "pat", 0 }, { ITSM_F_CATEGORY, "batch", 0 } };
    assert_ok(itsm_record_fire(prb, "assess", a, 2));
    assert_ok(itsm_record_fire(prb, "analyse", NULL, 0));
    itsm_change k[2] = { { ITSM_F_CAUSE, "log partition fills up", 0 },
                         { ITSM_F_WORKAROUND, "purge old logs, rerun step 3", 0 } };
    assert_ok(itsm_record_fire(prb, "identify", k, 2));
    if (inc_out)
        *inc_out = inc;
    return prb;
}

static void problem_from_incident_carries_facts_and_links_both_ways(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *inc = pm_incident(&f, "payroll", "batch", "payroll run fails");
    assert_ok(itsm_record_set_str(inc, ITSM_F_DESCRIPTION, "step 3 aborts"));
    assert_ok(itsm_record_set_str(inc, ITSM_F_CI, "batch01"));
    assert_ok(itsm_record_set_int(inc, ITSM_F_URGENCY, 1));
    pm_resolve(inc, "desk", "ann");
    itsm_record *prb = NULL;
    itsm_change extra = { ITSM_F_ASSIGNEE, "pat", 0 };
    itsm_problem_open_opts o = ITSM_PROBLEM_OPEN_OPTS_INIT;
    o.fields = &extra;
    o.nfields = 1;
    assert_ok(itsm_problem_open_from_incident(&prb, inc, &o));
    assert_int_equal(itsm_record_kind(prb), ITSM_KIND_PROBLEM);
    assert_string_equal(itsm_record_id(prb), "PRB-000001");
    assert_string_equal(itsm_record_state(prb), "new");
    assert_string_equal(itsm_record_str(prb, ITSM_F_SUMMARY), "payroll run fails");
    assert_string_equal(itsm_record_str(prb, ITSM_F_DESCRIPTION), "step 3 aborts");
    assert_string_equal(itsm_record_str(prb, ITSM_F_SERVICE), "payroll");
    assert_string_equal(itsm_record_str(prb, ITSM_F_CATEGORY), "batch");
    assert_string_equal(itsm_record_str(prb, ITSM_F_CI), "batch01");
    assert_string_equal(itsm_record_str(prb, ITSM_F_ASSIGNEE), "pat");
    assert_int_equal(itsm_record_int(prb, ITSM_F_IMPACT), 2);
    assert_int_equal(itsm_record_int(prb, ITSM_F_URGENCY), 1);
    assert_int_equal(itsm_record_int(prb, ITSM_F_PRIORITY), itsm_record_int(inc, ITSM_F_PRIORITY));
    assert_true(linked(inc, prb));
    assert_true(linked(prb, inc));
    assert_int_equal(itsm_record_revision(prb), 2);
    check_replay(&f);

    /* A second problem gets the next id; a taken id is refused, nothing changes. */
    o.id = "PRB-000001";
    char *before = engine_dump(f.eng);
    assert_fails(f.eng, itsm_problem_open_from_incident(&prb, inc, &o), ITSM_EEXISTS, "already exists");
    char *after = engine_dump(f.eng);
    assert_string_equal(before, after);
    free(before);
    free(after);
    fixture_close(&f);
}

static void problem_from_incident_store_and_allocation_failures_change_nothing(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *inc = pm_incident(&f, "payroll", "batch", "payroll run fails");
    pm_resolve(inc, "desk", "ann");
    char *before = engine_dump(f.eng);
    itsm_record *prb = NULL;
    f.store.fail_at = f.store.appends + 1;
    assert_fails(f.eng, itsm_problem_open_from_incident(&prb, inc, NULL), ITSM_ESTORE, "store");
    assert_null(prb);
    char *after = engine_dump(f.eng);
    assert_string_equal(before, after);
    free(after);
    f.store.fail_at = 0;
    assert_ok(itsm_problem_open_from_incident(&prb, inc, NULL));
    assert_string_equal(itsm_record_id(prb), "PRB-000001");   /* the failed try used no id */
    check_replay(&f);
    free(before);
    fixture_close(&f);

    /* allocation failures: N = 1, 2, ... until it succeeds */
    for (long n = 1;; n++) {
        failalloc fa = { 0, 0, 0, 0 };
        vclock clk = { T0 };
        memstore st;
        memstore_init(&st);
        fixture g;
        g.eng = engine_over_failing(&st, &clk, NULL, &fa);
        g.clock = clk;
        inc = pm_incident(&g, "payroll", "batch", "payroll run fails");
        pm_resolve(inc, "desk", "ann");
        char *b = engine_dump(g.eng);
        fa.fail_at = fa.calls + n;
        int rc = itsm_problem_open_from_incident(&prb, inc, NULL);
        fa.fail_at = 0;
        char *a = engine_dump(g.eng);
        if (rc == ITSM_OK) {
            assert_int_equal(itsm_engine_record_count(g.eng), 2);
            free(a);
            free(b);
            itsm_engine_free(g.eng);
            memstore_free(&st);
            assert_int_equal(fa.live, 0);
            break;
        }
        assert_int_equal(rc, ITSM_ENOMEM);
        assert_string_equal(a, b);
        free(a);
        free(b);
        itsm_engine_free(g.eng);
        memstore_free(&st);
        assert_int_equal(fa.live, 0);
        assert_true(n < 200);
    }
}

static void change_from_known_error_links_both_ways(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *inc = pm_incident(&f, "payroll", "batch", "payroll run fails");
    pm_resolve(inc, "desk", "ann");
    itsm_record *prb, *chg = NULL;
    assert_ok(itsm_problem_open_from_incident(&prb, inc, NULL));
    assert_fails(f.eng, itsm_change_open_from_problem(&chg, prb, NULL), ITSM_ESTATE, "known error");
    fixture_close(&f);

    fixture_open(&f);
    prb = known_error(&f, NULL);
    assert_ok(itsm_change_open_from_problem(&chg, prb, NULL));
    assert_int_equal(itsm_record_kind(chg), ITSM_KIND_CHANGE);
    assert_string_equal(itsm_record_str(chg, ITSM_F_CHANGE_TYPE), "normal");
    assert_string_equal(itsm_record_str(chg, ITSM_F_SERVICE), "payroll");
    assert_non_null(strstr(itsm_record_str(chg, ITSM_F_DESCRIPTION), "step 3 aborts"));
    assert_true(linked(prb, chg));
    assert_true(linked(chg, prb));
    /* the problem can now move on: its guard needs a linked change */
    assert_ok(itsm_record_fire(prb, "request_change", NULL, 0));
    check_replay(&f);
    fixture_close(&f);
}

static void problem_close_validates_the_resolution_code(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *prb = known_error(&f, NULL);
    assert_fails(f.eng, itsm_problem_close(prb, "fixed", "x"), ITSM_EINVAL, "fix_applied, risk_accepted");
    assert_fails(f.eng, itsm_problem_close(prb, NULL, "x"), ITSM_EINVAL, "resolution code");
    assert_fails(f.eng, itsm_problem_close(prb, "risk_accepted", ""), ITSM_EINVAL, "justification");
    assert_fails(f.eng, itsm_problem_close(prb, "fix_applied", NULL), ITSM_EINVAL, "notes");
    assert_ok(itsm_problem_close(prb, "risk_accepted", "rare, and a purge takes two minutes"));
    assert_string_equal(itsm_record_state(prb), "closed");
    assert_string_equal(itsm_record_str(prb, ITSM_F_RESOLUTION_CODE), "risk_accepted");
    assert_string_equal(itsm_record_str(prb, ITSM_F_CLOSE_JUSTIFICATION), "rare, and a purge takes two minutes");
    check_replay(&f);
    fixture_close(&f);

    static const char *const codes[] = { "duplicate", "canceled" };
    for (int i = 0; i < 2; i++) {
        fixture_open(&f);
        prb = known_error(&f, NULL);
        assert_ok(itsm_problem_close(prb, codes[i], "see PRB-000009"));
        assert_string_equal(itsm_record_state(prb), "closed");
        fixture_close(&f);
    }
}

static void fixing_a_problem_resumes_the_incidents_waiting_on_it(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *prb = known_error(&f, NULL);
    /* three more incidents: two wait on the problem, one waits on the customer */
    itsm_record *w1 = pm_incident(&f, "payroll", "batch", "run fails again");
    itsm_record *w2 = pm_incident(&f, "payroll", "batch", "run fails on friday");
    itsm_record *other = pm_incident(&f, "payroll", "batch", "caller away");
    itsm_record *list[3] = { w1, w2, other };
    const char *reasons[3] = { "awaiting_change", "awaiting_problem", "awaiting_customer" };
    for (int i = 0; i < 3; i++) {
        pm_work(list[i], "desk", "ann");
        itsm_change h = { ITSM_F_HOLD_REASON, reasons[i], 0 };
        assert_ok(itsm_record_fire(list[i], "hold", &h, 1));
        assert_ok(itsm_record_link(list[i], ITSM_LINK_RELATED, prb));
    }
    size_t before_notes = itsm_record_timeline_count(w1);
    assert_ok(itsm_problem_close(prb, "fix_applied", "log rotation added"));
    assert_string_equal(itsm_record_state(prb), "resolved");
    assert_string_equal(itsm_record_str(prb, ITSM_F_RESOLUTION_CODE), "fix_applied");
    assert_string_equal(itsm_record_state(w1), "in_progress");
    assert_string_equal(itsm_record_state(w2), "in_progress");
    assert_null(itsm_record_str(w1, ITSM_F_HOLD_REASON));
    assert_string_equal(itsm_record_state(other), "on_hold");
    assert_int_equal(itsm_record_timeline_count(w1), before_notes + 1);
    itsm_timeline_entry e = { .size = sizeof e };
    assert_ok(itsm_record_timeline_at(w1, before_notes, &e));
    assert_int_equal(e.kind, ITSM_NOTE_SYSTEM);
    assert_non_null(strstr(e.text, "problem PRB-000001 fixed"));
    check_replay(&f);
    fixture_close(&f);
}

/* An incident worked, on hold for `reason` and related to `prb`. */
static itsm_record *waiting_incident(fixture *f, itsm_record *prb, const char *reason)
{
    itsm_record *w = pm_incident(f, "payroll", "batch", "run fails again");
    pm_work(w, "desk", "ann");
    itsm_change h = { ITSM_F_HOLD_REASON, reason, 0 };
    assert_ok(itsm_record_fire(w, "hold", &h, 1));
    assert_ok(itsm_record_link(w, ITSM_LINK_RELATED, prb));
    return w;
}

/* Seed 000: a problem may be closed without a fix when the effort is not
 * worth it. The incidents on hold waiting on it are not left waiting in
 * silence: each gets a system note in the same step saying no fix will
 * come, and stays on hold for its owner to restore otherwise. Others are
 * untouched. */
static void closing_without_a_fix_tells_the_incidents_waiting_on_it(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *prb = known_error(&f, NULL);
    itsm_record *w1 = waiting_incident(&f, prb, "awaiting_problem");
    itsm_record *w2 = waiting_incident(&f, prb, "awaiting_change");
    itsm_record *other = waiting_incident(&f, prb, "awaiting_customer");
    /* canceled while on hold for the problem: it keeps the hold reason, but
     * waits for nothing and takes no note */
    itsm_record *gone = waiting_incident(&f, prb, "awaiting_problem");
    assert_ok(itsm_record_fire(gone, "cancel", NULL, 0));
    size_t n1 = itsm_record_timeline_count(w1), n2 = itsm_record_timeline_count(w2),
           n3 = itsm_record_timeline_count(other), n4 = itsm_record_timeline_count(gone);
    /* the justification must say something */
    assert_fails(f.eng, itsm_problem_close(prb, "risk_accepted", " \t\n"), ITSM_EINVAL,
                 "closing without a fix needs the justification");
    assert_ok(itsm_problem_close(prb, "risk_accepted", "legacy batch retires next month"));
    assert_string_equal(itsm_record_state(prb), "closed");
    itsm_record *waiting[2] = { w1, w2 };
    size_t before[2] = { n1, n2 };
    for (int i = 0; i < 2; i++) {
        assert_string_equal(itsm_record_state(waiting[i]), "on_hold");
        assert_int_equal(itsm_record_timeline_count(waiting[i]), before[i] + 1);
        itsm_timeline_entry e = { .size = sizeof e };
        assert_ok(itsm_record_timeline_at(waiting[i], before[i], &e));
        assert_int_equal(e.kind, ITSM_NOTE_SYSTEM);
        assert_non_null(strstr(e.text, "problem PRB-000001 closed without a fix (risk_accepted)"));
    }
    assert_int_equal(itsm_record_timeline_count(other), n3);
    assert_int_equal(itsm_record_timeline_count(gone), n4);
    check_replay(&f);
    fixture_close(&f);
}

static void fixing_is_atomic_when_the_store_refuses(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *prb = known_error(&f, NULL);
    itsm_record *w = waiting_incident(&f, prb, "awaiting_change");
    char *before = engine_dump(f.eng);
    f.store.fail_at = f.store.appends + 1;
    assert_fails(f.eng, itsm_problem_close(prb, "fix_applied", "done"), ITSM_ESTORE, "store");
    char *after = engine_dump(f.eng);
    assert_string_equal(before, after);
    free(before);
    free(after);
    f.store.fail_at = 0;
    assert_ok(itsm_problem_close(prb, "fix_applied", "done"));
    assert_string_equal(itsm_record_state(w), "in_progress");
    check_replay(&f);
    fixture_close(&f);
}

/* A fix releases an incident whose last event is later than the problem's
 * step (a host replaying a log case by case, its clock going back between
 * cases): the incident resumes and gets its note at its own last event,
 * never before it, and the problem's step is not refused. */
static void fixing_resumes_an_incident_with_a_later_event_at_its_own_time(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *prb = known_error(&f, NULL);
    itsm_record *w = waiting_incident(&f, prb, "awaiting_problem");
    f.clock.now = T0 + 86400;
    assert_ok(itsm_record_set_str(w, ITSM_F_DESCRIPTION, "fails every night"));
    f.clock.now = T0 + 3600;   /* earlier than the incident's last event */
    assert_ok(itsm_problem_close(prb, "fix_applied", "log rotation added"));
    assert_string_equal(itsm_record_state(prb), "resolved");
    assert_int_equal(itsm_record_int(prb, ITSM_F_UPDATED_AT), T0 + 3600);
    assert_string_equal(itsm_record_state(w), "in_progress");
    assert_int_equal(itsm_record_int(w, ITSM_F_UPDATED_AT), T0 + 86400);
    size_t n = itsm_record_timeline_count(w);
    itsm_timeline_entry e = { .size = sizeof e };
    assert_ok(itsm_record_timeline_at(w, n - 1, &e));
    assert_non_null(strstr(e.text, "problem PRB-000001 fixed"));
    assert_int_equal(e.at, T0 + 86400);
    check_replay(&f);
    fixture_close(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(problem_from_incident_carries_facts_and_links_both_ways),
        cmocka_unit_test(problem_from_incident_store_and_allocation_failures_change_nothing),
        cmocka_unit_test(change_from_known_error_links_both_ways),
        cmocka_unit_test(problem_close_validates_the_resolution_code),
        cmocka_unit_test(fixing_a_problem_resumes_the_incidents_waiting_on_it),
        cmocka_unit_test(closing_without_a_fix_tells_the_incidents_waiting_on_it),
        cmocka_unit_test(fixing_is_atomic_when_the_store_refuses),
        cmocka_unit_test(fixing_resumes_an_incident_with_a_later_event_at_its_own_time),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
