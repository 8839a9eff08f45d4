/* SPDX-License-Identifier: Apache-2.0 */
/* What-if: a store's events judged under a candidate policy (itsm/whatif.h). */
#include "sla/sla_support.h"

static itsm_whatif_summary summary(const itsm_whatif *w)
{
    itsm_whatif_summary s = { .size = sizeof s };
    assert_ok(itsm_whatif_summary_of(&s, w));
    return s;
}

/* Two P2 incidents worked by Desk: A resolved after 6 h, B after 10 h (its
 * breach fired by the tick at 8 h). */
static void two_incidents(fixture *f)
{
    itsm_record *a = open_inc(f, 1, 2, NULL), *b = open_inc(f, 1, 2, NULL);
    f->clock.now = T0 + 10 * MIN;
    start_work(a);
    start_work(b);
    f->clock.now = T0 + 6 * HOUR;
    resolve(a);
    assert_ok(itsm_engine_tick(f->eng, T0 + 9 * HOUR, NULL));
    f->clock.now = T0 + 10 * HOUR;
    resolve(b);
}

static void the_policy_against_itself_flips_nothing(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    two_incidents(&f);
    itsm_whatif *w;
    assert_ok(itsm_whatif_new(&w, f.eng, itsm_engine_policy(f.eng), NULL));
    itsm_whatif_summary s = summary(w);
    assert_int_equal(s.records, 2);
    assert_int_equal(s.events, f.store.n);
    assert_int_equal(s.as_of, T0 + 10 * HOUR);
    assert_int_equal(s.flips, 0);
    assert_int_equal(itsm_whatif_flip_count(w), 0);
    assert_int_equal(s.clocks, 4);   /* response and resolution of each */
    assert_int_equal(s.actual_breached, 1);
    assert_int_equal(s.candidate_breached, 1);
    itsm_whatif_duration d = { .size = sizeof d };
    assert_ok(itsm_whatif_duration_of(&d, w, ITSM_WHATIF_RESOLVE_WALL));
    assert_int_equal(d.count, 2);
    assert_int_equal(d.changed, 0);
    assert_int_equal(d.actual_p50, 6 * HOUR);
    assert_int_equal(d.actual_p90, 10 * HOUR);
    itsm_whatif_free(w);
    fixture_close(&f);
}

static void a_shorter_target_flips_a_met_resolution_to_breached(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    two_incidents(&f);
    char *before = engine_dump(f.eng);
    size_t events = f.store.n;
    itsm_policy *cand = policy_with_p2_resolution(4 * HOUR);
    itsm_whatif *w;
    assert_ok(itsm_whatif_new(&w, f.eng, cand, NULL));
    itsm_policy_free(cand);
    /* the engine and its store are as they were */
    char *after = engine_dump(f.eng);
    assert_string_equal(before, after);
    assert_int_equal(f.store.n, events);
    free(before);
    free(after);

    itsm_whatif_summary s = summary(w);
    assert_int_equal(s.flips, 1);
    assert_int_equal(s.to_breached, 1);
    assert_int_equal(s.to_met, 0);
    assert_int_equal(s.actual_breached, 1);
    assert_int_equal(s.candidate_breached, 2);
    itsm_whatif_flip fl = { .size = sizeof fl };
    assert_ok(itsm_whatif_flip_at(w, 0, &fl));
    assert_string_equal(fl.record, "INC-000001");
    assert_string_equal(fl.group, "Desk");
    assert_int_equal(fl.priority, 2);
    assert_int_equal(fl.clock, ITSM_WHATIF_RESOLUTION);
    assert_string_equal(fl.actual_sla, "standard");
    assert_string_equal(fl.candidate_sla, "standard");
    assert_int_equal(fl.actual, ITSM_WHATIF_MET);
    assert_int_equal(fl.candidate, ITSM_WHATIF_BREACHED);
    assert_int_equal(fl.actual_target, 8 * HOUR);
    assert_int_equal(fl.candidate_target, 4 * HOUR);
    assert_int_equal(fl.actual_elapsed, 6 * HOUR);
    assert_int_equal(fl.candidate_elapsed, 6 * HOUR);

    assert_int_equal(itsm_whatif_sla_count(w), 2);   /* response, resolution of "standard" */
    itsm_whatif_sla row = { .size = sizeof row };
    assert_ok(itsm_whatif_sla_at(w, 1, &row));
    assert_int_equal(row.clock, ITSM_WHATIF_RESOLUTION);
    assert_string_equal(row.name, "standard");
    assert_int_equal(row.actual_met, 1);
    assert_int_equal(row.actual_breached, 1);
    assert_int_equal(row.candidate_met, 0);
    assert_int_equal(row.candidate_breached, 2);
    assert_int_equal(itsm_whatif_group_count(w), 1);
    itsm_whatif_group g = { .size = sizeof g };
    assert_ok(itsm_whatif_group_at(w, 0, &g));
    assert_string_equal(g.group, "Desk");
    assert_int_equal(g.records, 2);
    assert_int_equal(g.actual_breached, 1);
    assert_int_equal(g.candidate_breached, 2);
    assert_int_equal(g.to_breached, 1);
    itsm_whatif_free(w);
    fixture_close(&f);
}

/* Changing a policy never rewrites the verdicts of the past: after 4 h
 * is adopted, the actual side still judges A and B under the 8 h they
 * were worked under (A met), so the what-if of the adopted version itself
 * shows what it would have changed - A's flip - not a past rewritten to
 * breached with nothing to compare. */
static void the_actual_run_is_judged_under_the_versions_it_was_worked_under(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    two_incidents(&f);
    itsm_policy *shorter = policy_with_p2_resolution(4 * HOUR);
    assert_ok(itsm_engine_adopt_policy(f.eng, shorter));
    itsm_whatif *w;
    assert_ok(itsm_whatif_new(&w, f.eng, itsm_engine_policy(f.eng), NULL));
    itsm_whatif_summary s = summary(w);
    assert_int_equal(s.records, 2);
    assert_int_equal(s.actual_breached, 1);   /* B only, as the live run judged */
    assert_int_equal(s.candidate_breached, 2);
    assert_int_equal(s.flips, 1);
    itsm_whatif_flip fl = { .size = sizeof fl };
    assert_ok(itsm_whatif_flip_at(w, 0, &fl));
    assert_string_equal(fl.record, "INC-000001");
    assert_int_equal(fl.actual, ITSM_WHATIF_MET);
    assert_int_equal(fl.actual_target, 8 * HOUR);
    assert_int_equal(fl.candidate, ITSM_WHATIF_BREACHED);
    assert_int_equal(fl.candidate_target, 4 * HOUR);
    itsm_whatif_free(w);
    /* and the earlier version against the adopted one finds the same */
    itsm_policy *longer = policy_with_p2_resolution(8 * HOUR);
    assert_ok(itsm_whatif_new(&w, f.eng, longer, NULL));
    s = summary(w);
    assert_int_equal(s.flips, 0);
    assert_int_equal(s.actual_breached, 1);
    itsm_whatif_free(w);
    itsm_policy_free(longer);
    itsm_policy_free(shorter);
    fixture_close(&f);
}

/* The store holds the tick's breach of B at 8 h; under 12 h it is met. */
static void a_longer_target_turns_a_stored_breach_into_met(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    two_incidents(&f);
    assert_int_equal(count_events(&f.store, "sla_breach"), 1);
    itsm_policy *cand = policy_with_p2_resolution(12 * HOUR);
    itsm_whatif *w;
    assert_ok(itsm_whatif_new(&w, f.eng, cand, NULL));
    itsm_policy_free(cand);
    itsm_whatif_summary s = summary(w);
    assert_int_equal(s.flips, 1);
    assert_int_equal(s.to_met, 1);
    assert_int_equal(s.candidate_breached, 0);
    itsm_whatif_flip fl = { .size = sizeof fl };
    assert_ok(itsm_whatif_flip_at(w, 0, &fl));
    assert_string_equal(fl.record, "INC-000002");
    assert_int_equal(fl.actual, ITSM_WHATIF_BREACHED);
    assert_int_equal(fl.candidate, ITSM_WHATIF_MET);
    itsm_whatif_free(w);
    fixture_close(&f);
}

/* A breach under a priority the record later left stays a breach, on
 * both sides, as the tick had it; an end-only reading would say met. */
static void a_breach_before_the_priority_drops_stays_a_breach(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *r = open_inc(&f, 1, 1, NULL);   /* P1: 4 h */
    f.clock.now = T0 + 10 * MIN;
    start_work(r);
    f.clock.now = T0 + 5 * HOUR;   /* no tick ran: the store holds no breach */
    assert_ok(itsm_record_set_int(r, ITSM_F_PRIORITY, 2));   /* P2: 8 h */
    f.clock.now = T0 + 6 * HOUR;
    resolve(r);
    itsm_policy *cand = policy_with_p2_resolution(8 * HOUR);
    itsm_whatif *w;
    assert_ok(itsm_whatif_new(&w, f.eng, cand, NULL));
    itsm_whatif_summary s = summary(w);
    assert_int_equal(s.actual_breached, 1);
    assert_int_equal(s.candidate_breached, 1);
    assert_int_equal(s.flips, 0);
    itsm_whatif_free(w);
    itsm_policy_free(cand);
    fixture_close(&f);
}

/* The default policy with agreement "gold": P1-P2 incidents resolved
 * within `p1` seconds at P1 (8 h at P2); a P3 is not under it. */
static itsm_policy *policy_with_gold(uint32_t p1)
{
    itsm_policy *p;
    assert_ok(itsm_policy_new_default(&p, NULL));
    itsm_agreement_target t[2] = { { 1, p1, NULL }, { 2, 8 * HOUR, NULL } };
    itsm_agreement_def def = ITSM_AGREEMENT_DEF_INIT;
    def.name = "gold";
    def.applies = "priority <= 2";
    def.stop = "state == 'resolved'";
    def.targets = t;
    def.ntargets = 2;
    assert_ok(itsm_policy_set_agreement(p, &def, NULL));
    return p;
}

/* As for the SLA's clocks, an agreement's breach stays a breach when the
 * priority drops back and the instance is cancelled: the what-if judges
 * it breached (whatif.md: only an instance cancelled without a breach
 * counts as none), although the priority it has now has no target. */
static void an_agreement_breached_before_it_stops_applying_stays_breached(void **state)
{
    (void)state;
    itsm_policy *actual = policy_with_gold(4 * HOUR), *longer = policy_with_gold(6 * HOUR);
    fixture f;
    fixture_open_policy(&f, actual);
    itsm_record *r = open_inc(&f, 1, 1, NULL);   /* P1: gold, 4 h */
    start_work(r);
    assert_ok(itsm_engine_tick(f.eng, T0 + 5 * HOUR, NULL));
    assert_int_equal(count_events(&f.store, "agreement_breach"), 1);
    f.clock.now = T0 + 5 * HOUR;
    assert_ok(itsm_record_set_int(r, ITSM_F_PRIORITY, 3));   /* gold applies no more */
    /* against itself: breached on both sides, no flip */
    itsm_whatif *w;
    assert_ok(itsm_whatif_new(&w, f.eng, actual, NULL));
    assert_int_equal(summary(w).flips, 0);
    int seen = 0;
    for (size_t i = 0; i < itsm_whatif_sla_count(w); i++) {
        itsm_whatif_sla row = { .size = sizeof row };
        assert_ok(itsm_whatif_sla_at(w, i, &row));
        if (row.clock != ITSM_WHATIF_AGREEMENT)
            continue;
        assert_string_equal(row.name, "gold");
        assert_int_equal(row.actual_breached, 1);
        assert_int_equal(row.candidate_breached, 1);
        seen++;
    }
    assert_int_equal(seen, 1);
    itsm_whatif_free(w);
    /* under a 6 h target it was cancelled within it: none, a flip */
    assert_ok(itsm_whatif_new(&w, f.eng, longer, NULL));
    assert_int_equal(itsm_whatif_flip_count(w), 1);
    itsm_whatif_flip fl = { .size = sizeof fl };
    assert_ok(itsm_whatif_flip_at(w, 0, &fl));
    assert_int_equal(fl.clock, ITSM_WHATIF_AGREEMENT);
    assert_string_equal(fl.actual_sla, "gold");
    assert_int_equal(fl.actual, ITSM_WHATIF_BREACHED);
    assert_int_equal(fl.candidate, ITSM_WHATIF_NONE);
    itsm_whatif_free(w);
    fixture_close(&f);
    itsm_policy_free(actual);
    itsm_policy_free(longer);
}

static void an_agreement_the_candidate_adds_shows_as_flips(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    two_incidents(&f);
    itsm_policy *cand = policy_with_agreement("gold", 7 * HOUR);
    itsm_whatif *w;
    assert_ok(itsm_whatif_new(&w, f.eng, cand, NULL));
    itsm_policy_free(cand);
    itsm_whatif_summary s = summary(w);
    assert_int_equal(s.flips, 2);
    assert_int_equal(s.to_breached, 1);
    itsm_whatif_flip fl = { .size = sizeof fl };
    assert_ok(itsm_whatif_flip_at(w, 0, &fl));
    assert_int_equal(fl.clock, ITSM_WHATIF_AGREEMENT);
    assert_null(fl.actual_sla);
    assert_string_equal(fl.candidate_sla, "gold");
    assert_int_equal(fl.actual, ITSM_WHATIF_NONE);
    assert_int_equal(fl.candidate, ITSM_WHATIF_MET);
    assert_ok(itsm_whatif_flip_at(w, 1, &fl));
    assert_int_equal(fl.candidate, ITSM_WHATIF_BREACHED);
    itsm_whatif_sla row = { .size = sizeof row };
    assert_ok(itsm_whatif_sla_at(w, 2, &row));
    assert_int_equal(row.clock, ITSM_WHATIF_AGREEMENT);
    assert_string_equal(row.name, "gold");
    assert_int_equal(row.candidate_met, 1);
    assert_int_equal(row.candidate_breached, 1);
    assert_int_equal(row.actual_met + row.actual_breached + row.actual_pending, 0);
    itsm_whatif_free(w);
    fixture_close(&f);
}

static void open_clocks_are_judged_as_of_the_time_asked(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *r = open_inc(&f, 1, 2, NULL);
    f.clock.now = T0 + 10 * MIN;
    start_work(r);   /* still open: 8 h run from T0 */
    itsm_policy *cand = policy_with_p2_resolution(4 * HOUR);
    itsm_whatif_opts o = ITSM_WHATIF_OPTS_INIT;
    o.as_of = T0 + 5 * HOUR;
    itsm_whatif *w;
    assert_ok(itsm_whatif_new(&w, f.eng, cand, &o));
    itsm_whatif_summary s = summary(w);
    assert_int_equal(s.as_of, T0 + 5 * HOUR);
    assert_int_equal(s.to_breached, 1);
    itsm_whatif_flip fl = { .size = sizeof fl };
    assert_ok(itsm_whatif_flip_at(w, 0, &fl));
    assert_int_equal(fl.actual, ITSM_WHATIF_PENDING);
    assert_int_equal(fl.candidate, ITSM_WHATIF_BREACHED);
    assert_int_equal(fl.candidate_elapsed, 5 * HOUR);
    itsm_whatif_free(w);
    /* by default, as of the latest stored event: within both targets */
    assert_ok(itsm_whatif_new(&w, f.eng, cand, NULL));
    assert_int_equal(summary(w).flips, 0);
    itsm_whatif_free(w);
    itsm_policy_free(cand);
    fixture_close(&f);
}

static void the_store_form_judges_without_an_engine(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    two_incidents(&f);
    itsm_policy *actual, *cand = policy_with_p2_resolution(4 * HOUR);
    assert_ok(itsm_policy_new_default(&actual, NULL));
    itsm_whatif *w;
    assert_ok(itsm_whatif_store(&w, &memstore_methods, &f.store, actual, cand, NULL));
    assert_int_equal(summary(w).to_breached, 1);
    itsm_whatif_free(w);
    itsm_policy_free(actual);
    itsm_policy_free(cand);
    fixture_close(&f);
}

static void the_json_form_lists_the_figures_and_the_flips(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    two_incidents(&f);
    itsm_policy *cand = policy_with_p2_resolution(4 * HOUR);
    itsm_whatif *w;
    assert_ok(itsm_whatif_new(&w, f.eng, cand, NULL));
    itsm_policy_free(cand);
    size_t len;
    assert_int_equal(itsm_whatif_to_json(w, SIZE_MAX, NULL, 0, &len), ITSM_ELIMIT);
    char *buf = malloc(len + 1);
    assert_ok(itsm_whatif_to_json(w, SIZE_MAX, buf, len + 1, &len));
    assert_int_equal(strlen(buf), len);
    assert_non_null(strstr(buf, "{\"version\":1,\"as_of\":\"2026-03-02T19:00:00Z\",\"events\":"));
    assert_non_null(strstr(buf, "\"flips\":1,\"to_breached\":1,\"to_met\":0,\"actual_breached\":1,"
                                "\"candidate_breached\":2"));
    assert_non_null(strstr(buf, "{\"clock\":\"resolution\",\"name\":\"standard\",\"actual\":{\"met\":1,"
                                "\"breached\":1,\"pending\":0},\"candidate\":{\"met\":0,\"breached\":2,"
                                "\"pending\":0}}"));
    assert_non_null(strstr(buf, "\"flips_listed\":1,\"flip_list\":[{\"record\":\"INC-000001\",\"group\":\"Desk\","
                                "\"priority\":2,\"clock\":\"resolution\",\"actual\":{\"sla\":\"standard\","
                                "\"verdict\":\"met\",\"target\":28800,\"elapsed\":21600}"));
    /* the same what-if gives the same bytes; a cut list says so */
    char *again = malloc(len + 1);
    assert_ok(itsm_whatif_to_json(w, SIZE_MAX, again, len + 1, &len));
    assert_string_equal(buf, again);
    assert_ok(itsm_whatif_to_json(w, 0, again, len + 1, &len));
    assert_non_null(strstr(again, "\"flips_listed\":0,\"flip_list\":[]}"));
    char small[8];
    assert_int_equal(itsm_whatif_to_json(w, 0, small, sizeof small, &len), ITSM_ELIMIT);
    assert_int_equal(strlen(small), 7);
    assert_int_equal(itsm_whatif_to_json(NULL, 0, small, sizeof small, &len), ITSM_EINVAL);
    assert_int_equal(itsm_whatif_to_json(w, 0, small, sizeof small, NULL), ITSM_EINVAL);
    assert_int_equal(itsm_whatif_to_json(w, 0, NULL, 4, &len), ITSM_EINVAL);
    free(buf);
    free(again);
    itsm_whatif_free(w);
    fixture_close(&f);
}

static void refusals_name_the_reason_and_leave_out_null(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    two_incidents(&f);
    itsm_policy *cand = policy_with_p2_resolution(4 * HOUR);
    itsm_whatif *w = (itsm_whatif *)&w;
    assert_int_equal(itsm_whatif_new(&w, NULL, cand, NULL), ITSM_EINVAL);
    assert_null(w);
    assert_fails(f.eng, itsm_whatif_new(NULL, f.eng, cand, NULL), ITSM_EINVAL, "out is NULL");
    assert_fails(f.eng, itsm_whatif_new(&w, f.eng, NULL, NULL), ITSM_EINVAL, "candidate is NULL");
    itsm_whatif_opts o = ITSM_WHATIF_OPTS_INIT;
    o.version = 9;
    assert_fails(f.eng, itsm_whatif_new(&w, f.eng, cand, &o), ITSM_EINVAL, "version 9 is newer than");
    o.version = 0;
    assert_fails(f.eng, itsm_whatif_new(&w, f.eng, cand, &o), ITSM_EINVAL, "version 0 is not");
    o.version = ITSM_WHATIF_OPTS_VERSION;
    o.as_of = ITSM_TIME_MAX + 1;
    assert_fails(f.eng, itsm_whatif_new(&w, f.eng, cand, &o), ITSM_EINVAL, "outside 1970..9999");

    /* a candidate with findings */
    itsm_policy *bad = policy_with_p2_resolution(4 * HOUR);
    assert_ok(itsm_policy_add_state(bad, ITSM_KIND_INCIDENT, "limbo", 0));
    char why[256];
    o.as_of = ITSM_TIME_NONE;
    o.errmsg = why;
    o.errmsg_cap = sizeof why;
    assert_fails(f.eng, itsm_whatif_new(&w, f.eng, bad, &o), ITSM_EPOLICY, "candidate policy: the policy has 1 finding");
    assert_non_null(strstr(why, "state 'limbo'"));
    assert_null(w);
    itsm_policy_free(bad);

    /* a candidate under which the store's events do not replay */
    itsm_policy *other;
    assert_ok(itsm_policy_new_default(&other, NULL));
    itsm_field_def fd = ITSM_FIELD_DEF_INIT;
    fd.name = "tier";
    fd.type = ITSM_TYPE_SYMBOL;
    itsm_policy *withfield;
    assert_ok(itsm_policy_new_default(&withfield, NULL));
    assert_ok(itsm_policy_add_field(withfield, &fd, NULL));
    fixture g;
    fixture_open_policy(&g, withfield);
    itsm_field tier;
    assert_ok(itsm_engine_field(&tier, g.eng, "tier"));
    itsm_record *r = open_inc(&g, 1, 2, NULL);
    assert_ok(itsm_record_set_str(r, tier, "gold"));
    assert_fails(g.eng, itsm_whatif_new(&w, g.eng, other, &o), ITSM_EPARSE, "candidate: event 3 of the store");   /* after the version's document and the open */
    assert_non_null(strstr(why, "unknown field tier"));
    assert_null(w);
    fixture_close(&g);
    itsm_policy_free(withfield);
    itsm_policy_free(other);

    /* an engine without a store to read */
    itsm_engine *bare;
    assert_ok(itsm_engine_new(&bare, NULL));
    assert_fails(bare, itsm_whatif_new(&w, bare, cand, NULL), ITSM_EINVAL, "no scan callback");
    itsm_engine_free(bare);

    /* the store form */
    itsm_policy *actual;
    assert_ok(itsm_policy_new_default(&actual, NULL));
    assert_int_equal(itsm_whatif_store(&w, NULL, NULL, actual, cand, &o), ITSM_EINVAL);
    assert_non_null(strstr(why, "store is NULL"));
    assert_int_equal(itsm_whatif_store(&w, &memstore_methods, &f.store, NULL, cand, &o), ITSM_EINVAL);
    assert_non_null(strstr(why, "actual is NULL"));
    assert_int_equal(itsm_whatif_store(NULL, &memstore_methods, &f.store, actual, cand, &o), ITSM_EINVAL);
    itsm_store noscan = memstore_methods;
    noscan.scan = NULL;
    assert_int_equal(itsm_whatif_store(&w, &noscan, &f.store, actual, cand, &o), ITSM_EINVAL);
    assert_non_null(strstr(why, "no scan callback"));
    itsm_store future = memstore_methods;
    future.version = ITSM_STORE_VERSION + 1;
    assert_int_equal(itsm_whatif_store(&w, &future, &f.store, actual, cand, &o), ITSM_EINVAL);
    failalloc fa = { 0, 0, 0, 0 };
    o.alloc = failalloc_make(&fa);
    o.alloc.realloc_fn = NULL;
    assert_int_equal(itsm_whatif_store(&w, &memstore_methods, &f.store, actual, cand, &o), ITSM_EINVAL);
    assert_non_null(strstr(why, "allocator"));
    itsm_policy_free(actual);

    /* the getters */
    assert_ok(itsm_whatif_new(&w, f.eng, cand, NULL));
    itsm_whatif_summary s = { .size = 4 };
    assert_int_equal(itsm_whatif_summary_of(&s, w), ITSM_EINVAL);
    s.size = sizeof s;
    assert_int_equal(itsm_whatif_summary_of(&s, NULL), ITSM_EINVAL);
    assert_int_equal(itsm_whatif_summary_of(NULL, w), ITSM_EINVAL);
    itsm_whatif_flip fl = { .size = sizeof fl };
    assert_int_equal(itsm_whatif_flip_at(w, 1, &fl), ITSM_EINVAL);
    fl.size = sizeof fl + 8;
    assert_int_equal(itsm_whatif_flip_at(w, 0, &fl), ITSM_EINVAL);
    itsm_whatif_sla row = { .size = sizeof row };
    assert_int_equal(itsm_whatif_sla_at(w, 2, &row), ITSM_EINVAL);
    itsm_whatif_group g2 = { .size = sizeof g2 };
    assert_int_equal(itsm_whatif_group_at(w, 1, &g2), ITSM_EINVAL);
    itsm_whatif_duration d = { .size = sizeof d };
    assert_int_equal(itsm_whatif_duration_of(&d, w, (itsm_whatif_measure)2), ITSM_EINVAL);
    assert_int_equal(itsm_whatif_flip_count(NULL), 0);
    assert_int_equal(itsm_whatif_sla_count(NULL), 0);
    assert_int_equal(itsm_whatif_group_count(NULL), 0);
    assert_null(itsm_whatif_verdict_name((itsm_whatif_verdict)4));
    assert_string_equal(itsm_whatif_verdict_name(ITSM_WHATIF_BREACHED), "breached");
    assert_null(itsm_whatif_clock_name((itsm_whatif_clock)3));
    assert_null(itsm_whatif_measure_name((itsm_whatif_measure)2));
    assert_int_equal(itsm_whatif_opts_init(NULL, 1), ITSM_EINVAL);
    assert_int_equal(itsm_whatif_opts_init(&o, 2), ITSM_EINVAL);
    assert_ok(itsm_whatif_opts_init(&o, 1));
    assert_int_equal(o.as_of, ITSM_TIME_NONE);
    itsm_whatif_free(w);
    itsm_whatif_free(NULL);
    itsm_policy_free(cand);
    fixture_close(&f);
}

static void out_of_memory_at_any_step_fails_cleanly(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    two_incidents(&f);
    itsm_policy *actual, *cand = policy_with_p2_resolution(4 * HOUR);
    assert_ok(itsm_policy_new_default(&actual, NULL));
    int ok = 0;
    for (long n = 1; !ok && n < 5000; n++) {
        failalloc fa = { 0, n, 0, 0 };
        itsm_whatif_opts o = ITSM_WHATIF_OPTS_INIT;
        o.alloc = failalloc_make(&fa);
        itsm_whatif *w;
        int rc = itsm_whatif_store(&w, &memstore_methods, &f.store, actual, cand, &o);
        if (rc == ITSM_OK) {
            assert_int_equal(summary(w).to_breached, 1);
            itsm_whatif_free(w);
            ok = 1;
        } else {
            assert_int_equal(rc, ITSM_ENOMEM);
            assert_null(w);
        }
        assert_int_equal(fa.live, 0);
    }
    assert_true(ok);
    itsm_policy_free(actual);
    itsm_policy_free(cand);
    fixture_close(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_policy_against_itself_flips_nothing),
        cmocka_unit_test(a_shorter_target_flips_a_met_resolution_to_breached),
        cmocka_unit_test(a_longer_target_turns_a_stored_breach_into_met),
        cmocka_unit_test(the_actual_run_is_judged_under_the_versions_it_was_worked_under),
        cmocka_unit_test(a_breach_before_the_priority_drops_stays_a_breach),
        cmocka_unit_test(an_agreement_breached_before_it_stops_applying_stays_breached),
        cmocka_unit_test(an_agreement_the_candidate_adds_shows_as_flips),
        cmocka_unit_test(open_clocks_are_judged_as_of_the_time_asked),
        cmocka_unit_test(the_store_form_judges_without_an_engine),
        cmocka_unit_test(the_json_form_lists_the_figures_and_the_flips),
        cmocka_unit_test(refusals_name_the_reason_and_leave_out_null),
        cmocka_unit_test(out_of_memory_at_any_step_fails_cleanly),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
