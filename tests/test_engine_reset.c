/* SPDX-License-Identifier: Apache-2.0 */
/*
 * An engine whose state is torn down and built again (a rollback or a
 * failed commit reloads from the store; a load into an empty engine that
 * finds the store tampered empties it again) may fail half way through,
 * out of memory. It then refuses every change ("free it"), but the host
 * still holds it: every engine-level read must answer from what is left,
 * never from capability state that the teardown freed, and freeing the
 * engine must give back every block. Each allocation of the reset and the
 * reload is failed in turn (the sanitizer build checks the memory).
 */
#include "support.h"
#include "group_store.h"

#include <stdlib.h>
#include <string.h>

static itsm_engine *engine_on(gstore *s, vclock *clock, failalloc *fa)
{
    itsm_engine_opts o = ITSM_ENGINE_OPTS_INIT;
    o.store = &gmethods;
    o.store_user = s;
    o.clock = vclock_read;
    o.clock_user = clock;
    o.alloc = failalloc_make(fa);
    itsm_engine *eng;
    assert_ok(itsm_engine_new(&eng, &o));
    return eng;
}

static itsm_record *open_kind(itsm_engine *eng, itsm_kind kind, const char *service)
{
    itsm_change ch[] = {
        { ITSM_F_SUMMARY, "Mail relay down", 0 }, { ITSM_F_CALLER, "j.smith", 0 },
        { ITSM_F_SERVICE, service, 0 },            { ITSM_F_CATEGORY, "software", 0 },
        { ITSM_F_IMPACT, NULL, 1 },                { ITSM_F_URGENCY, NULL, 1 },
    };
    itsm_record_opts o = ITSM_RECORD_OPTS_INIT;
    o.kind = kind;
    o.fields = ch;
    o.nfields = kind == ITSM_KIND_INCIDENT ? 6 : 4;
    itsm_record *r = NULL;
    assert_ok(itsm_record_open(&r, eng, &o));
    return r;
}

/* Records of several kinds, a proposed handover, recurring incidents (a
 * problem proposal): state in most capabilities before the reset. */
static void fill(itsm_engine *eng, vclock *clock)
{
    for (int i = 0; i < 3; i++) {
        open_kind(eng, ITSM_KIND_INCIDENT, "email");
        clock->now += 600;
    }
    itsm_record *inc = open_kind(eng, ITSM_KIND_INCIDENT, "payroll");
    open_kind(eng, ITSM_KIND_SERVICE_REQUEST, "email");
    open_kind(eng, ITSM_KIND_CHANGE, "email");
    open_kind(eng, ITSM_KIND_PROBLEM, "email");
    itsm_packet *p = NULL;
    assert_ok(itsm_packet_new(&p, inc, ITSM_PACKET_SHIFT));
    assert_ok(itsm_packet_propose(p, eng));
    itsm_packet_free(p);
}

/* Every engine-level read, on an engine that may have lost its state: each
 * answers (whatever it answers) and touches only live memory. */
static void read_everything(itsm_engine *eng)
{
    (void)itsm_errmsg(eng);
    (void)itsm_errcode(eng);
    assert_non_null(itsm_engine_policy(eng));
    itsm_field f;
    (void)itsm_engine_field(&f, eng, "summary");
    const char *sym = NULL;
    (void)itsm_engine_symbol(eng, "email", &sym);
    (void)itsm_engine_now(eng);
    (void)itsm_engine_group_events(eng);
    size_t nrec = itsm_engine_record_count(eng);
    for (size_t i = 0; i < nrec; i++) {
        itsm_record *r = NULL;
        assert_ok(itsm_engine_record_at(&r, eng, i));
        (void)itsm_record_state(r);
    }
    itsm_record *r = NULL;
    (void)itsm_record_find(&r, eng, "INC-000001");
    size_t nho = itsm_engine_handover_count(eng);
    for (size_t i = 0; i < nho; i++) {
        itsm_packet *p = NULL;
        assert_ok(itsm_engine_handover_at(&p, eng, i));
    }
    itsm_packet *p = NULL;
    (void)itsm_engine_handover_find(&p, eng, 1);
    for (size_t i = 0; i < itsm_quality_log_count(eng); i++) {
        itsm_quality_entry q = { .size = sizeof q };
        (void)itsm_quality_log_at(eng, i, &q);
    }
    size_t len = 0;
    (void)itsm_handover_report_to_json(eng, ITSM_TIME_MIN, ITSM_TIME_MAX, NULL, 0, &len);
    (void)itsm_engine_audit_to_json(eng, NULL, 0, &len);
    itsm_knowledge_query kq = ITSM_KNOWLEDGE_QUERY_INIT;
    kq.words = "mail relay";
    kq.service = "email";
    kq.category = "software";
    kq.incidents = 1;
    itsm_match m[4] = { { .size = sizeof(itsm_match) } };
    size_t n = 0;
    (void)itsm_knowledge_search(m, 4, &n, eng, &kq);
    (void)itsm_problem_recurrence(&n, eng, "email", "software", T0 + 3600);
    for (size_t i = 0; i < itsm_engine_problem_proposal_count(eng); i++) {
        itsm_problem_proposal pp = { .size = sizeof pp };
        (void)itsm_engine_problem_proposal_at(&pp, eng, i);
        (void)itsm_engine_problem_proposal_incident(eng, i, 0);
    }
    for (size_t i = 0; i < itsm_guard_missing_count(eng); i++) {
        itsm_guard_need g = { .size = sizeof g };
        (void)itsm_guard_missing_at(eng, i, &g);
    }
    itsm_report *rep = NULL;
    itsm_report_opts ro = ITSM_REPORT_OPTS_INIT;
    if (itsm_report_new(&rep, eng, &ro) == ITSM_OK) {
        (void)itsm_report_to_json(rep, NULL, 0, &len);
        itsm_report_free(rep);
    }
    (void)itsm_engine_next_deadline(eng);
    itsm_aging_entry ag[4] = { { .size = sizeof(itsm_aging_entry) } };
    (void)itsm_engine_aging(ag, 4, &n, eng, ITSM_AGING_BY_BREACH, T0 + 86400);
    (void)itsm_engine_aging(ag, 4, &n, eng, ITSM_AGING_BY_AGE, T0 + 86400);
    (void)itsm_engine_outage(eng, "email");
    itsm_schedule_entry se[4] = { { .size = sizeof(itsm_schedule_entry) } };
    itsm_schedule_query sq = ITSM_SCHEDULE_QUERY_INIT;
    sq.planned = 1;
    (void)itsm_change_schedule(se, 4, &n, eng, &sq);
    itsm_agreement_report ar = { .size = sizeof ar };
    (void)itsm_engine_agreement_report(&ar, eng, "any");
}

/* A broken engine refuses every change, with the same message. */
static void refuses_changes(itsm_engine *eng)
{
    itsm_record_opts o = ITSM_RECORD_OPTS_INIT;
    itsm_record *r = NULL;
    assert_fails(eng, itsm_record_open(&r, eng, &o), ITSM_ESTATE, "free it");
    size_t fired = 0;
    assert_fails(eng, itsm_engine_tick(eng, T0 + 86400, &fired), ITSM_ESTATE, "free it");
    assert_fails(eng, itsm_engine_load(eng), ITSM_ESTATE, "free it");
    assert_fails(eng, itsm_engine_begin(eng), ITSM_ESTATE, "free it");
}

static void reads_after_a_failed_rollback_touch_no_freed_state(void **state)
{
    (void)state;
    int broke = 0;
    for (long fail_at = 1;; fail_at++) {
        gstore s = { 0 };
        vclock c = { T0 };
        failalloc fa = { 0 };
        itsm_engine *eng = engine_on(&s, &c, &fa);
        fill(eng, &c);
        assert_ok(itsm_engine_begin(eng));
        open_kind(eng, ITSM_KIND_INCIDENT, "email");
        fa.fail_at = fa.calls + fail_at;
        int rc = itsm_engine_rollback(eng);
        fa.fail_at = 0;
        if (rc != ITSM_OK && (rc != ITSM_ENOMEM || !strstr(itsm_errmsg(eng), "could not go back to the last commit")))
            fail_msg("allocation %ld: %s \"%s\"", fail_at, itsm_errname(rc), itsm_errmsg(eng));
        read_everything(eng);
        if (rc != ITSM_OK) {
            refuses_changes(eng);
            read_everything(eng);
            broke++;
        }
        itsm_engine_free(eng);
        assert_int_equal(fa.live, 0);
        gstore_free(&s);
        if (rc == ITSM_OK)
            break;
    }
    assert_true(broke > 10);   /* the reset and the reload each failed many times */
}

static void reads_after_a_tampered_load_that_cannot_empty_the_engine_touch_no_freed_state(void **state)
{
    (void)state;
    /* The store: written by an engine that keeps the chain. */
    gstore s = { 0 };
    vclock c = { T0 };
    failalloc fa0 = { 0 };
    itsm_engine *w = engine_on(&s, &c, &fa0);
    fill(w, &c);
    itsm_engine_free(w);
    s.tamper = 1;
    int emptied_failed = 0;
    for (long fail_at = 1;; fail_at++) {
        failalloc fa = { 0 };
        itsm_engine *eng = engine_on(&s, &c, &fa);
        fa.fail_at = fa.calls + fail_at;
        int rc = itsm_engine_load(eng);
        fa.fail_at = 0;
        int emptying = rc == ITSM_ENOMEM && strstr(itsm_errmsg(eng), "emptying the engine again");
        read_everything(eng);
        if (emptying) {
            refuses_changes(eng);
            read_everything(eng);
            emptied_failed++;
        } else if (rc == ITSM_ETAMPER && !fa.failed) {
            assert_int_equal(itsm_engine_record_count(eng), 0);
            itsm_engine_free(eng);
            assert_int_equal(fa.live, 0);
            break;
        }
        itsm_engine_free(eng);
        assert_int_equal(fa.live, 0);
    }
    assert_true(emptied_failed > 0);
    gstore_free(&s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(reads_after_a_failed_rollback_touch_no_freed_state),
        cmocka_unit_test(reads_after_a_tampered_load_that_cannot_empty_the_engine_touch_no_freed_state),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
