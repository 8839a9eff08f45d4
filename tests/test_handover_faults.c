/* SPDX-License-Identifier: Apache-2.0 */
/* Answering a handover under allocation failure: every allocation of
 * itsm_packet_acknowledge and itsm_packet_reject is failed in turn. A call
 * that returns an error changed nothing (engine, registry, store, the
 * caller's packet); a call that returns ITSM_OK delivered everything it
 * promises - the event stored, ownership moved, and the caller's packet
 * saying who answered, when, and (reject) why. */
#include "pm_helpers.h"

typedef struct answer_case {
    itsm_packet_kind kind;
    int              reject;
} answer_case;

/* One engine with a proposed packet; `fa` counts its allocations. */
static void proposed(fixture *g, failalloc *fa, itsm_packet **p, itsm_packet_kind kind)
{
    memstore_init(&g->store);
    g->clock.now = T0;
    g->eng = engine_over_failing(&g->store, &g->clock, NULL, fa);
    itsm_record *r = pm_incident(g, "mail", "outage", "mail down");
    pm_work(r, "desk", "ann");
    assert_ok(itsm_packet_new(p, r, kind));
    assert_ok(itsm_packet_set_text(*p, ITSM_PT_RECEIVER, "bob"));
    assert_ok(itsm_packet_set_text(*p, ITSM_PT_RECEIVER_GROUP, "network"));
    assert_ok(itsm_packet_propose(*p, g->eng));
    g->clock.now += 300;
}

static const char reason[] = "the fault list is missing; please add the switch logs";

/* Returns 1 when allocation `n` of the answer was reached (and failed). */
static int answer_with_failing_allocation(const answer_case *c, long n)
{
    failalloc fa = { 0, 0, 0, 0 };
    fixture g;
    itsm_packet *p = NULL;
    proposed(&g, &fa, &p, c->kind);
    char *d0 = engine_dump(g.eng), *h0 = pm_registry_dump(g.eng), *j0 = pm_packet_json(p);
    size_t stored = g.store.n;

    fa.fail_at = fa.calls + n;
    int rc = c->reject ? itsm_packet_reject(p, g.eng, "bob", reason) : itsm_packet_acknowledge(p, g.eng, "bob");
    fa.fail_at = 0;
    int failed = fa.failed;

    char *d1 = engine_dump(g.eng), *h1 = pm_registry_dump(g.eng), *j1 = pm_packet_json(p);
    itsm_packet *mine;
    assert_ok(itsm_engine_handover_find(&mine, g.eng, 1));
    if (rc != ITSM_OK) {
        if (rc != ITSM_ENOMEM)
            fail_msg("allocation %ld: %s (%s), only ITSM_OK or ITSM_ENOMEM", n, itsm_errname(rc), itsm_errmsg(g.eng));
        assert_true(failed);
        assert_string_equal(d0, d1);
        assert_string_equal(h0, h1);
        assert_string_equal(j0, j1);
        assert_int_equal(g.store.n, stored);
        assert_int_equal(itsm_packet_state_of(p), ITSM_PACKET_PROPOSED);
        assert_int_equal(itsm_packet_state_of(mine), ITSM_PACKET_PROPOSED);
        assert_null(itsm_packet_decided_by(p));
        assert_null(itsm_packet_reason(p));
        assert_int_equal(itsm_packet_decided_at(p), ITSM_TIME_NONE);
        /* and the retry goes through */
        rc = c->reject ? itsm_packet_reject(p, g.eng, "bob", reason) : itsm_packet_acknowledge(p, g.eng, "bob");
        assert_ok(rc);
    }
    /* Success delivers everything, on both copies, and it is stored. */
    itsm_packet_state want = c->reject ? ITSM_PACKET_REJECTED : ITSM_PACKET_ACKNOWLEDGED;
    assert_int_equal(g.store.n, stored + 1);
    assert_int_equal(itsm_packet_state_of(p), want);
    assert_int_equal(itsm_packet_state_of(mine), want);
    assert_non_null(itsm_packet_decided_by(p));
    assert_string_equal(itsm_packet_decided_by(p), "bob");
    assert_string_equal(itsm_packet_decided_by(mine), "bob");
    assert_int_equal(itsm_packet_decided_at(p), g.clock.now);
    if (c->reject) {
        assert_non_null(itsm_packet_reason(p));
        assert_string_equal(itsm_packet_reason(p), reason);
        assert_string_equal(itsm_packet_reason(mine), reason);
    } else {
        assert_null(itsm_packet_reason(p));
    }
    itsm_record *r;
    assert_ok(itsm_record_find(&r, g.eng, itsm_packet_record_id(p)));
    if (!c->reject && c->kind == ITSM_PACKET_SHIFT) {
        assert_string_equal(itsm_record_str(r, ITSM_F_ASSIGNEE), "bob");
        assert_string_equal(itsm_record_str(r, ITSM_F_ASSIGNMENT_GROUP), "network");
    } else {
        assert_string_equal(itsm_record_str(r, ITSM_F_ASSIGNEE), "ann");
    }
    /* The store still rebuilds the engine. */
    char *live = engine_dump(g.eng), *rep = replay_dump(&g.store);
    assert_string_equal(live, rep);
    itsm_engine *e2 = pm_replay(&g.store);
    char *hl = pm_registry_dump(g.eng), *hr = pm_registry_dump(e2);
    assert_string_equal(hl, hr);

    free(live);
    free(rep);
    free(hl);
    free(hr);
    itsm_engine_free(e2);
    free(d0);
    free(d1);
    free(h0);
    free(h1);
    free(j0);
    free(j1);
    itsm_packet_free(p);
    itsm_engine_free(g.eng);
    memstore_free(&g.store);
    if (fa.live != 0)
        fail_msg("allocation %ld: %ld blocks leaked", n, fa.live);
    return failed;
}

static void run_every_allocation(const answer_case *c)
{
    long n = 1;
    while (answer_with_failing_allocation(c, n))
        n++;
    assert_true(n > 3);   /* the loop reached the caller's copy too */
}

static void acknowledge_under_every_allocation_failure_is_all_or_nothing(void **state)
{
    (void)state;
    const answer_case shift = { ITSM_PACKET_SHIFT, 0 };
    const answer_case problem = { ITSM_PACKET_TO_PROBLEM, 0 };
    run_every_allocation(&shift);
    run_every_allocation(&problem);
}

static void reject_under_every_allocation_failure_keeps_its_reason_or_changes_nothing(void **state)
{
    (void)state;
    const answer_case shift = { ITSM_PACKET_SHIFT, 1 };
    const answer_case problem = { ITSM_PACKET_TO_PROBLEM, 1 };
    run_every_allocation(&shift);
    run_every_allocation(&problem);
}

/* A store failure after the caller's strings were allocated frees them. */
static void answer_refused_by_the_store_changes_nothing_and_leaks_nothing(void **state)
{
    (void)state;
    for (int reject = 0; reject <= 1; reject++) {
        failalloc fa = { 0, 0, 0, 0 };
        fixture g;
        itsm_packet *p = NULL;
        proposed(&g, &fa, &p, ITSM_PACKET_SHIFT);
        char *j0 = pm_packet_json(p);
        g.store.fail_at = g.store.appends + 1;
        int rc = reject ? itsm_packet_reject(p, g.eng, "bob", reason) : itsm_packet_acknowledge(p, g.eng, "bob");
        assert_int_equal(rc, ITSM_ESTORE);
        char *j1 = pm_packet_json(p);
        assert_string_equal(j0, j1);
        assert_null(itsm_packet_decided_by(p));
        assert_null(itsm_packet_reason(p));
        assert_int_equal(itsm_packet_state_of(p), ITSM_PACKET_PROPOSED);
        free(j0);
        free(j1);
        itsm_packet_free(p);
        itsm_engine_free(g.eng);
        memstore_free(&g.store);
        assert_int_equal(fa.live, 0);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(acknowledge_under_every_allocation_failure_is_all_or_nothing),
        cmocka_unit_test(reject_under_every_allocation_failure_keeps_its_reason_or_changes_nothing),
        cmocka_unit_test(answer_refused_by_the_store_changes_nothing_and_leaks_nothing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
