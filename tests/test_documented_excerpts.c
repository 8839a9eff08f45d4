/* SPDX-License-Identifier: Apache-2.0 */
/* The C excerpts of the user documentation, compiled against the public
 * headers and run: README.md's first example (its printed message, the
 * priority it names), docs/policy.md (the codes and positions of a refused
 * document), docs/satisfaction.md (an answer read back),
 * docs/whatif.md (a what-if and a migration check) and docs/hosts.md's
 * group commit (an import durable every 1,000 events). Each excerpt stands
 * here line for line as the document prints it, so the extra.cmake check
 * check_doc_excerpts.sh fails when a document's excerpt and this file part;
 * the asserts after each excerpt hold what the document's text says of it. */
#include "sla/sla_support.h"
#include "support/group_store.h"

#include <stdio.h>
#include <string.h>

/* ---- README.md: a host's first engine and incident ---------------------- */

/* The excerpt passes no clock_user: the host's clock is its own. */
static vclock readme_clock = { T0 };
static itsm_time my_clock(void *user)
{
    (void)user;
    return readme_clock.now;
}

static void readme_example_prints_what_it_says(void **state)
{
    (void)state;
    memstore store;
    memstore_init(&store);
    const itsm_store my_store = memstore_methods;
    memstore *db = &store;
    /* The excerpt from its first line: its #include is a no-op here (the
     * header is in already, and guarded). */

#include <itsm.h>

itsm_engine_opts opts = ITSM_ENGINE_OPTS_INIT;   /* default policy, memory only */
opts.store = &my_store;  opts.store_user = db;   /* write-ahead persistence */
opts.clock = my_clock;                            /* deterministic time */
itsm_engine *eng;
if (itsm_engine_new(&eng, &opts) != ITSM_OK) { /* ... */ }

itsm_change f[] = { { ITSM_F_SUMMARY, "Cannot send e-mail", 0 },
                    { ITSM_F_IMPACT, NULL, 2 }, { ITSM_F_URGENCY, NULL, 1 } };
itsm_record_opts ro = ITSM_RECORD_OPTS_INIT;      /* kind: incident */
ro.fields = f; ro.nfields = 3;
itsm_record *inc;
itsm_record_open(&inc, eng, &ro);                 /* priority 2 from the matrix */

itsm_change g = { ITSM_F_ASSIGNMENT_GROUP, "Messaging", 0 };
itsm_record_fire(inc, "assign", &g, 1);           /* new -> assigned */

int rc = itsm_record_fire(inc, "resolve", NULL, 0);
/* rc == ITSM_ETRANSITION, itsm_errmsg(eng) ==
   "no transition 'resolve' from 'assigned' for incident INC-000001" */

    assert_int_equal(itsm_record_kind(inc), ITSM_KIND_INCIDENT);
    assert_int_equal(itsm_record_int(inc, ITSM_F_PRIORITY), 2);
    assert_string_equal(itsm_record_str(inc, ITSM_F_ASSIGNMENT_GROUP), "Messaging");
    assert_string_equal(itsm_record_state(inc), "assigned");
    assert_int_equal(rc, ITSM_ETRANSITION);
    assert_string_equal(itsm_errmsg(eng), "no transition 'resolve' from 'assigned' for incident INC-000001");
    /* The store heard the opening and the assignment, nothing of the refusal. */
    assert_int_equal(count_record_events(store.events, store.n), 2);
    itsm_engine_free(eng);
    memstore_free(&store);
}

/* "memory only": the options as they come, no store, still an engine. */
static void default_engine_options_need_no_store(void **state)
{
    (void)state;
    itsm_engine_opts opts = ITSM_ENGINE_OPTS_INIT;
    itsm_engine *eng;
    assert_ok(itsm_engine_new(&eng, &opts));
    itsm_record *inc;
    itsm_record_opts ro = ITSM_RECORD_OPTS_INIT;
    assert_ok(itsm_record_open(&inc, eng, &ro));
    assert_string_equal(itsm_record_id(inc), "INC-000001");
    itsm_engine_free(eng);
}

/* ---- docs/policy.md: reading a document ---------------------------------- */

/* The first excerpt, run on `text`; returns its rc, with the error it filled. */
static int load_policy(const char *text, size_t len, itsm_parse_error *out_err, itsm_policy **out)
{
itsm_policy *p;
itsm_parse_error err;
int rc = itsm_policy_from_json(&p, text, len, NULL, NULL, &err);
if (rc == ITSM_EPOLICY)      /* valid document, unsound lifecycle */
    fprintf(stderr, "policy: %s\n", err.text);
else if (rc)                 /* not JSON, or not this schema */
    fprintf(stderr, "policy:%zu:%zu: %s\n", err.line, err.column, err.text);
*out_err = err;   /* (at the left margin: not part of the else) */
*out = p;
return rc;
}

/* A default policy's document with one state no transition reaches. */
static char *unsound_document(void)
{
    itsm_policy *p;
    assert_ok(itsm_policy_new_default(&p, NULL));
    assert_ok(itsm_policy_add_state(p, ITSM_KIND_INCIDENT, "limbo", 0));
    assert_ok(itsm_policy_add_state(p, ITSM_KIND_PROBLEM, "limbo", 0));
    size_t len = 0;
    assert_int_equal(itsm_policy_to_json(p, NULL, 0, &len), ITSM_ELIMIT);
    char *doc = malloc(len + 1);
    assert_ok(itsm_policy_to_json(p, doc, len + 1, &len));
    itsm_policy_free(p);
    return doc;
}

static void policy_document_errors_are_as_documented(void **state)
{
    (void)state;
    itsm_parse_error err;
    itsm_policy *p = (itsm_policy *)&p;

    /* not JSON: ITSM_EPARSE with a position (lines and columns from 1) */
    const char *bad = "{\n  \"itsm_policy\": 1,\n  oops\n}";
    assert_int_equal(load_policy(bad, strlen(bad), &err, &p), ITSM_EPARSE);
    assert_null(p);
    assert_int_equal(err.code, ITSM_EPARSE);
    assert_int_equal(err.line, 3);
    assert_int_equal(err.column, 3);

    /* valid document, unsound lifecycle: ITSM_EPOLICY, the first finding
     * and "(and N more)", line and column 0, *out NULL */
    char *doc = unsound_document();
    p = (itsm_policy *)&p;
    assert_int_equal(load_policy(doc, strlen(doc), &err, &p), ITSM_EPOLICY);
    assert_null(p);
    assert_int_equal(err.line, 0);
    assert_int_equal(err.column, 0);
    assert_non_null(strstr(err.text, "state 'limbo' is unreachable"));
    assert_non_null(strstr(err.text, "(and 1 more)"));

    /* the second excerpt lists every finding of the same document */
    const char *text = doc;
    size_t len = strlen(doc);
    size_t listed = 0;
    {
itsm_policy *p;
if (itsm_policy_parse_json(&p, text, len, NULL, NULL, &err) == ITSM_OK) {
    size_t n = itsm_policy_check(p);
    for (size_t i = 0; i < n; i++)
        puts(itsm_policy_finding(p, i));
    itsm_policy_free(p);
}
    }
    assert_ok(itsm_policy_parse_json(&p, text, len, NULL, NULL, &err));
    listed = itsm_policy_check(p);
    assert_int_equal(listed, 2);
    assert_string_equal(itsm_policy_finding(p, 0), "incident: state 'limbo' is unreachable from 'new'");
    itsm_policy_free(p);
    free(doc);
}

/* ---- docs/satisfaction.md: an answer ------------------------------------- */

static void survey_excerpt_records_and_reads_back_the_answer(void **state)
{
    (void)state;
    itsm_policy *p;
    assert_ok(itsm_policy_new_default(&p, NULL));
    assert_ok(itsm_policy_set_closure(p, 3 * DAY, 1000, 1));   /* every record sampled */
    fixture fx;
    fixture_open_policy(&fx, p);
    assert_ok(itsm_engine_set_actor(fx.eng, "desk_ann"));
    itsm_record *inc = open_inc(&fx, 3, 3, "mail");
    start_work(inc);
    itsm_change res[4] = { { ITSM_F_RESOLUTION_CODE, "fixed", 0 }, { ITSM_F_RESOLUTION_NOTES, "restarted", 0 },
                           { ITSM_F_CATEGORY, "email", 0 }, { ITSM_F_KNOWLEDGE_DECISION, "not_needed", 0 } };
    assert_ok(itsm_record_fire(inc, "resolve", res, 4));
    assert_ok(itsm_record_fire(inc, "confirm", NULL, 0));
    fx.clock.now = T0 + HOUR;
    size_t n0 = fx.store.n;

itsm_record_survey_answer(inc, 4, "Quick and friendly");   /* one event */
itsm_survey_answer a = { .size = sizeof a };
itsm_record_survey(&a, inc);                             /* 4, the comment, who, when */

    assert_int_equal(fx.store.n, n0 + 1);
    assert_non_null(strstr(fx.store.events[n0], "\"type\":\"survey_answered\""));
    assert_int_equal(a.score, 4);
    assert_string_equal(a.comment, "Quick and friendly");
    assert_string_equal(a.by, "desk_ann");
    assert_int_equal(a.at, T0 + HOUR);
    fixture_close(&fx);
    itsm_policy_free(p);
}

/* ---- docs/whatif.md: a what-if and a migration check --------------------- */

static void whatif_excerpt_of_a_policy_against_itself_finds_no_flip(void **state)
{
    (void)state;
    fixture fx;
    fixture_open(&fx);
    itsm_engine *eng = fx.eng;
    itsm_record *late = open_inc(&fx, 1, 1, NULL);   /* P1: breaches its resolution */
    open_inc(&fx, 3, 3, NULL);
    sla_tick(&fx, T0 + 10 * DAY);
    (void)late;
    const itsm_policy *candidate = itsm_engine_policy(eng);

itsm_whatif *w;
int rc = itsm_whatif_new(&w, eng, candidate, NULL);   /* eng: its store must have scan */
itsm_whatif_summary s = { .size = sizeof s };
itsm_whatif_summary_of(&s, w);
printf("%zu -> %zu breaches, %zu flips\n", s.actual_breached, s.candidate_breached, s.flips);
itsm_whatif_free(w);

    assert_int_equal(rc, ITSM_OK);
    assert_int_equal(s.records, 2);
    assert_true(s.actual_breached > 0);
    assert_int_equal(s.actual_breached, s.candidate_breached);
    assert_int_equal(s.flips, 0);
    fixture_close(&fx);
}

static void migration_excerpt_lists_a_record_whose_state_the_candidate_lacks(void **state)
{
    (void)state;
    fixture fx;
    fixture_open(&fx);
    itsm_engine *eng = fx.eng;
    itsm_record *r = open_inc(&fx, 3, 3, NULL);
    start_work(r);
    hold(r, "awaiting_caller");
    /* The candidate: an incident lifecycle of new and closed only. */
    itsm_policy *candidate;
    assert_ok(itsm_policy_new_default(&candidate, NULL));
    assert_ok(itsm_policy_lifecycle_clear(candidate, ITSM_KIND_INCIDENT));
    assert_ok(itsm_policy_add_state(candidate, ITSM_KIND_INCIDENT, "new", ITSM_STATE_INITIAL));
    assert_ok(itsm_policy_add_state(candidate, ITSM_KIND_INCIDENT, "closed", ITSM_STATE_CLOSED));
    assert_ok(itsm_policy_add_event(candidate, ITSM_KIND_INCIDENT, "cancel"));
    itsm_transition_def d = ITSM_TRANSITION_DEF_INIT;
    d.from = "*";
    d.event = "cancel";
    d.to = "closed";
    d.stamp = "closed_at";
    assert_ok(itsm_policy_add_transition(candidate, ITSM_KIND_INCIDENT, &d));

itsm_migration *m;
if (itsm_engine_migration_check(&m, eng, candidate) == ITSM_OK) {
    for (size_t i = 0; i < itsm_migration_count(m); i++) {
        itsm_migration_finding f = { .size = sizeof f };
        itsm_migration_at(m, i, &f);
        printf("%s %s %s\n", f.record, itsm_migration_kind_name(f.kind), f.detail ? f.detail : "");
    }
    itsm_migration_free(m);
}

    /* What it printed: the held record, in a state the candidate lacks. */
    assert_ok(itsm_engine_migration_check(&m, eng, candidate));
    assert_true(itsm_migration_count(m) >= 1);
    itsm_migration_finding f = { .size = sizeof f };
    assert_ok(itsm_migration_at(m, 0, &f));
    assert_string_equal(f.record, "INC-000001");
    assert_int_equal(f.kind, ITSM_MIGRATION_STATE_REMOVED);
    assert_string_equal(itsm_migration_kind_name(f.kind), "state_removed");
    assert_string_equal(f.state, "on_hold");
    itsm_migration_free(m);
    itsm_policy_free(candidate);
    fixture_close(&fx);
}

/* ---- docs/hosts.md: group commit ---------------------------------------- */

/* Open one incident per summary, durable every 1,000 events. */
static int import_incidents(itsm_engine *eng, const char *const *summaries, size_t n)
{
    int rc = itsm_engine_begin(eng);                 /* the store's group opens */
    for (size_t i = 0; i < n && rc == ITSM_OK; i++) {
        itsm_change f = { ITSM_F_SUMMARY, summaries[i], 0 };
        itsm_record_opts o = ITSM_RECORD_OPTS_INIT;
        o.fields = &f;
        o.nfields = 1;
        itsm_record *r;
        rc = itsm_record_open(&r, eng, &o);          /* checked, stored, applied: as always */
        if (rc != ITSM_OK) {
            itsm_engine_rollback(eng);               /* the import stops: keep none of this group */
            return rc;
        }
        if (itsm_engine_group_events(eng) >= 1000) {
            rc = itsm_engine_commit(eng);            /* failed: none of the group was kept */
            if (rc == ITSM_OK)
                rc = itsm_engine_begin(eng);
        }
    }
    return rc == ITSM_OK ? itsm_engine_commit(eng) : rc;   /* the sink hears them now */
}

/* An import of `n` incidents whose summary number `bad` (or none: n) is
 * refused (not UTF-8), into a store that fails its commits when
 * `fail_commit`. */
static int run_import(gstore *gs, itsm_engine **eng, size_t n, size_t bad, int fail_commit)
{
    memset(gs, 0, sizeof *gs);
    gs->fail_commit = fail_commit;
    itsm_engine_opts opts = ITSM_ENGINE_OPTS_INIT;
    opts.store = &gmethods;
    opts.store_user = gs;
    assert_ok(itsm_engine_new(eng, &opts));
    const char **summaries = malloc(n * sizeof *summaries);
    for (size_t i = 0; i < n; i++)
        summaries[i] = i == bad ? "Printer \xffjam" : "Printer jam";
    int rc = import_incidents(*eng, summaries, n);
    free(summaries);
    return rc;
}

static void group_commit_excerpt_makes_every_thousand_events_durable(void **state)
{
    (void)state;
    gstore gs;
    itsm_engine *eng;
    assert_ok(run_import(&gs, &eng, 2500, 2500, 0));
    /* One event per opening, and the policy version's event stored with
     * the first: durable at 1,000, 2,000 and the end. */
    assert_int_equal(itsm_engine_record_count(eng), 2500);
    assert_int_equal(gs.n, 2501);
    assert_int_equal(gs.commits, 3);
    assert_int_equal(itsm_engine_group_events(eng), 0);   /* no group left open */
    itsm_engine_free(eng);
    gstore_free(&gs);
}

static void group_commit_excerpt_keeps_nothing_of_a_failed_group(void **state)
{
    (void)state;
    gstore gs;
    itsm_engine *eng;
    /* The store cannot commit: the first group is lost, and the engine is
     * back at the last commit (nothing). */
    assert_int_equal(run_import(&gs, &eng, 2500, 2500, 1), ITSM_ESTORE);
    assert_int_equal(itsm_engine_record_count(eng), 0);
    assert_int_equal(gs.n, 0);
    itsm_engine_free(eng);
    gstore_free(&gs);
    /* A refused opening in the second group: the first stays durable, none
     * of the second is kept. */
    assert_int_equal(run_import(&gs, &eng, 2500, 1500, 0), ITSM_EINVAL);
    assert_int_equal(itsm_engine_record_count(eng), 1000);
    assert_int_equal(gs.n, 1001);   /* and the policy version's event */
    assert_int_equal(gs.commits, 1);
    assert_int_equal(gs.aborts, 1);
    itsm_engine_free(eng);
    gstore_free(&gs);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(readme_example_prints_what_it_says),
        cmocka_unit_test(default_engine_options_need_no_store),
        cmocka_unit_test(policy_document_errors_are_as_documented),
        cmocka_unit_test(survey_excerpt_records_and_reads_back_the_answer),
        cmocka_unit_test(whatif_excerpt_of_a_policy_against_itself_finds_no_flip),
        cmocka_unit_test(migration_excerpt_lists_a_record_whose_state_the_candidate_lacks),
        cmocka_unit_test(group_commit_excerpt_makes_every_thousand_events_durable),
        cmocka_unit_test(group_commit_excerpt_keeps_nothing_of_a_failed_group),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
