/* SPDX-License-Identifier: Apache-2.0 */
/* The ABI grows without breaking (common.h, README "Versioning"):
 * options and store tables of an older version are read with their later
 * members defaulted, a newer version is refused naming both versions, and
 * caller-sized results are filled exactly as far as the caller's size. */
#include "support.h"
#include "core/abi.h"
#include "kit/alloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The engine options as itsm 0.1 declared them (version 1). */
typedef struct engine_opts_v1 {
    unsigned            version;
    const itsm_policy  *policy;
    const itsm_store   *store;
    void               *store_user;
    itsm_clock_fn       clock;
    void               *clock_user;
    itsm_event_sink_fn  sink;
    void               *sink_user;
    itsm_allocator      alloc;
    itsm_json_limits    limits;
} engine_opts_v1;

/* The store table as itsm 0.1 declared it (version 1). */
typedef struct store_v1 {
    int version;
    int  (*append)(void *user, const itsm_event *const *events, size_t n);
    int  (*scan)(void *user, itsm_store_emit_fn emit, void *ctx);
    void (*destroy)(void *user);
} store_v1;

static const char *newer(const char *what, unsigned got, unsigned mine)
{
    static char buf[256];
    snprintf(buf, sizeof buf, "%s version %u is newer than this library's %u (itsm %s)", what, got, mine,
             ITSM_VERSION_STRING);
    return buf;
}

static void engine_options_and_store_table_of_version_1_are_accepted(void **state)
{
    (void)state;
    memstore ms;
    memstore_init(&ms);
    vclock clock = { T0 };
    /* On the heap at exactly their old size: a read past it is caught by
     * AddressSanitizer. */
    store_v1 *st = malloc(sizeof *st);
    st->version = 1;
    st->append = memstore_methods.append;
    st->scan = memstore_methods.scan;
    st->destroy = NULL;
    engine_opts_v1 *o = calloc(1, sizeof *o);
    o->version = 1;
    o->store = (const itsm_store *)st;
    o->store_user = &ms;
    o->clock = vclock_read;
    o->clock_user = &clock;

    itsm_engine *eng = NULL;
    assert_ok(itsm_engine_new(&eng, (const itsm_engine_opts *)o));
    itsm_record *r;
    itsm_record_opts ro = ITSM_RECORD_OPTS_INIT;
    assert_ok(itsm_record_open(&r, eng, &ro));
    assert_ok(itsm_record_fire(r, "assign", &(itsm_change){ ITSM_F_ASSIGNMENT_GROUP, "desk", 0 }, 1));
    assert_int_equal(ms.n, 2);
    assert_int_equal(itsm_engine_now(eng), T0);
    itsm_engine_free(eng);

    /* ... and the version 1 store's scan still loads. */
    assert_ok(itsm_engine_new(&eng, (const itsm_engine_opts *)o));
    assert_ok(itsm_engine_load(eng));
    assert_int_equal(itsm_engine_record_count(eng), 1);
    itsm_engine_free(eng);
    free(o);
    free(st);
    memstore_free(&ms);
}

static void a_newer_engine_options_version_is_refused_naming_both(void **state)
{
    (void)state;
    char why[256];
    itsm_engine_opts o = ITSM_ENGINE_OPTS_INIT;
    o.errmsg = why;
    o.errmsg_cap = sizeof why;
    o.version = ITSM_ENGINE_OPTS_VERSION + 1;
    itsm_engine *eng = (itsm_engine *)&o;
    assert_int_equal(itsm_engine_new(&eng, &o), ITSM_EINVAL);
    assert_null(eng);
    assert_string_equal(why, newer("engine options", ITSM_ENGINE_OPTS_VERSION + 1, ITSM_ENGINE_OPTS_VERSION));
    o.version = 0;
    assert_int_equal(itsm_engine_new(&eng, &o), ITSM_EINVAL);
    /* version 0 has no errmsg member to trust: the buffer is left alone */
    assert_string_equal(why, newer("engine options", ITSM_ENGINE_OPTS_VERSION + 1, ITSM_ENGINE_OPTS_VERSION));
}

static void a_newer_store_table_is_refused_naming_both(void **state)
{
    (void)state;
    char why[256];
    itsm_store st = memstore_methods;
    st.version = ITSM_STORE_VERSION + 1;
    itsm_engine_opts o = ITSM_ENGINE_OPTS_INIT;
    o.errmsg = why;
    o.errmsg_cap = sizeof why;
    o.store = &st;
    itsm_engine *eng;
    assert_int_equal(itsm_engine_new(&eng, &o), ITSM_EINVAL);
    assert_string_equal(why, newer("store table", ITSM_STORE_VERSION + 1, ITSM_STORE_VERSION));
    st.version = 0;
    assert_int_equal(itsm_engine_new(&eng, &o), ITSM_EINVAL);
    assert_non_null(strstr(why, "store table version 0 is not a version"));
    st.version = -1;
    assert_int_equal(itsm_engine_new(&eng, &o), ITSM_EINVAL);
    assert_non_null(strstr(why, "store table version -1 is not a version"));
    st = memstore_methods;
    st.append = NULL;
    assert_int_equal(itsm_engine_new(&eng, &o), ITSM_EINVAL);
    assert_string_equal(why, "the store table has no append");
}

static void engine_creation_explains_every_failure_in_the_callers_buffer(void **state)
{
    (void)state;
    char why[256];
    itsm_engine_opts o = ITSM_ENGINE_OPTS_INIT;
    o.errmsg = why;
    o.errmsg_cap = sizeof why;
    itsm_engine *eng;

    itsm_policy *bad;
    assert_ok(itsm_policy_new_default(&bad, NULL));
    assert_ok(itsm_policy_add_state(bad, ITSM_KIND_INCIDENT, "limbo", 0));
    o.policy = bad;
    assert_int_equal(itsm_engine_new(&eng, &o), ITSM_EPOLICY);
    assert_non_null(strstr(why, "the policy has 1 finding: incident: state 'limbo'"));
    itsm_policy_free(bad);
    o.policy = NULL;

    failalloc fa = { 0, 0, 0, 0 };
    o.alloc = failalloc_make(&fa);
    o.alloc.free_fn = NULL;
    assert_int_equal(itsm_engine_new(&eng, &o), ITSM_EINVAL);
    assert_non_null(strstr(why, "allocator"));
    o.alloc = failalloc_make(&fa);
    fa.fail_at = 1;
    assert_int_equal(itsm_engine_new(&eng, &o), ITSM_ENOMEM);
    assert_string_equal(why, "out of memory");
    o.alloc = (itsm_allocator){ NULL, NULL, NULL, NULL };

    /* cut to the buffer, always terminated */
    o.version = 77;
    o.errmsg_cap = 12;
    assert_int_equal(itsm_engine_new(&eng, &o), ITSM_EINVAL);
    assert_string_equal(why, "engine opti");
    o.version = ITSM_ENGINE_OPTS_VERSION;
    o.errmsg_cap = sizeof why;

    /* success leaves an empty message */
    assert_ok(itsm_engine_new(&eng, &o));
    assert_string_equal(why, "");
    itsm_engine_free(eng);
    /* no buffer: only the code */
    o.errmsg = NULL;
    o.version = 77;
    assert_int_equal(itsm_engine_new(&eng, &o), ITSM_EINVAL);
}

static void every_newer_options_version_is_refused_naming_both(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_engine *eng = f.eng;
    itsm_record *r;
    itsm_record_opts ro = ITSM_RECORD_OPTS_INIT;
    assert_ok(itsm_record_open(&r, eng, &ro));

    itsm_record *r2;
    ro.version = ITSM_RECORD_OPTS_VERSION + 1;
    assert_fails(eng, itsm_record_open(&r2, eng, &ro), ITSM_EINVAL,
                 newer("record options", ITSM_RECORD_OPTS_VERSION + 1, ITSM_RECORD_OPTS_VERSION));
    itsm_note_opts no = ITSM_NOTE_OPTS_INIT;
    no.text = "x";
    no.version = 9;
    assert_fails(eng, itsm_record_add_note(r, &no), ITSM_EINVAL, newer("note options", 9, ITSM_NOTE_OPTS_VERSION));
    itsm_decision d = { .size = sizeof d };
    itsm_decision_opts dopts = ITSM_DECISION_OPTS_INIT;
    dopts.version = 5;
    assert_fails(eng, itsm_problem_decide(&d, r, &dopts), ITSM_EINVAL,
                 newer("decision options", 5, ITSM_DECISION_OPTS_VERSION));
    itsm_problem_open_opts po = ITSM_PROBLEM_OPEN_OPTS_INIT;
    po.version = ITSM_PROBLEM_OPEN_OPTS_VERSION + 1;
    itsm_record *p;
    assert_fails(eng, itsm_problem_open_from_incident(&p, r, &po), ITSM_EINVAL,
                 newer("problem open options", ITSM_PROBLEM_OPEN_OPTS_VERSION + 1, ITSM_PROBLEM_OPEN_OPTS_VERSION));
    itsm_knowledge_query q = ITSM_KNOWLEDGE_QUERY_INIT;
    q.version = 3;
    size_t n;
    assert_fails(eng, itsm_knowledge_search(NULL, 0, &n, eng, &q), ITSM_EINVAL,
                 newer("knowledge query", 3, ITSM_KNOWLEDGE_QUERY_VERSION));
    itsm_report_opts rep = ITSM_REPORT_OPTS_INIT;
    rep.version = 4;
    itsm_report *rp;
    assert_fails(eng, itsm_report_new(&rp, eng, &rep), ITSM_EINVAL,
                 newer("report options", 4, ITSM_REPORT_OPTS_VERSION));
    rep.version = 0;
    assert_fails(eng, itsm_report_new(&rp, eng, &rep), ITSM_EINVAL, "report options version 0 is not a version");

    itsm_policy *pol;
    assert_ok(itsm_policy_new_default(&pol, NULL));
    itsm_transition_def td = ITSM_TRANSITION_DEF_INIT;
    td.version = ITSM_TRANSITION_DEF_VERSION + 1;
    assert_int_equal(itsm_policy_add_transition(pol, ITSM_KIND_INCIDENT, &td), ITSM_EINVAL);
    assert_string_equal(itsm_policy_errmsg(pol), newer("transition definition", ITSM_TRANSITION_DEF_VERSION + 1, ITSM_TRANSITION_DEF_VERSION));
    itsm_calendar_def cd = ITSM_CALENDAR_DEF_INIT;
    cd.version = ITSM_CALENDAR_DEF_VERSION + 1;
    assert_int_equal(itsm_policy_set_calendar(pol, &cd), ITSM_EINVAL);
    assert_string_equal(itsm_policy_errmsg(pol), newer("calendar definition", ITSM_CALENDAR_DEF_VERSION + 1, ITSM_CALENDAR_DEF_VERSION));
    itsm_sla_def sd = ITSM_SLA_DEF_INIT;
    sd.version = ITSM_SLA_DEF_VERSION + 1;
    assert_int_equal(itsm_policy_set_sla(pol, &sd), ITSM_EINVAL);
    assert_string_equal(itsm_policy_errmsg(pol), newer("SLA definition", ITSM_SLA_DEF_VERSION + 1, ITSM_SLA_DEF_VERSION));
    itsm_major_policy mp = ITSM_MAJOR_POLICY_INIT;
    mp.version = ITSM_MAJOR_POLICY_VERSION + 1;
    assert_int_equal(itsm_policy_set_major(pol, &mp), ITSM_EINVAL);
    assert_string_equal(itsm_policy_errmsg(pol), newer("major-incident policy", ITSM_MAJOR_POLICY_VERSION + 1, ITSM_MAJOR_POLICY_VERSION));
    itsm_problem_rules pr = ITSM_PROBLEM_RULES_INIT;
    pr.version = ITSM_PROBLEM_RULES_VERSION + 1;
    assert_int_equal(itsm_policy_set_problem_rules(pol, &pr), ITSM_EINVAL);
    assert_string_equal(itsm_policy_errmsg(pol), newer("problem rules", ITSM_PROBLEM_RULES_VERSION + 1, ITSM_PROBLEM_RULES_VERSION));
    /* reading writes the members of out->version: a newer one is refused
     * and nothing is written */
    memset(&pr, 0xAB, sizeof pr);
    pr.version = ITSM_PROBLEM_RULES_VERSION + 1;
    assert_int_equal(itsm_policy_problem_rules(&pr, pol), ITSM_EINVAL);
    assert_int_equal((unsigned)pr.recurrence_count, 0xABABABABu);
    pr.version = ITSM_PROBLEM_RULES_VERSION;
    assert_ok(itsm_policy_problem_rules(&pr, pol));
    assert_int_equal(pr.recurrence_count, 3);
    itsm_policy_free(pol);
    fixture_close(&f);
}

/* The conformance report's observed move is a versioned struct like the
 * options: a newer version is refused naming both, 0 is not a version, and
 * nothing is counted; its init refuses both and leaves the struct alone. */
static void a_newer_observed_move_is_refused_naming_both(void **state)
{
    (void)state;
    itsm_policy *ref;
    assert_ok(itsm_policy_new_default(&ref, NULL));
    itsm_conformance *c;
    assert_ok(itsm_conformance_new(&c, ref, NULL));
    itsm_observed_move m = ITSM_OBSERVED_MOVE_INIT;
    m.record = "X1";
    m.to = "new";
    m.version = ITSM_OBSERVED_MOVE_VERSION + 1;
    assert_int_equal(itsm_conformance_observe(c, &m), ITSM_EINVAL);
    assert_string_equal(itsm_conformance_errmsg(c),
                        newer("observed move", ITSM_OBSERVED_MOVE_VERSION + 1, ITSM_OBSERVED_MOVE_VERSION));
    m.version = 0;
    assert_int_equal(itsm_conformance_observe(c, &m), ITSM_EINVAL);
    assert_non_null(strstr(itsm_conformance_errmsg(c), "observed move version 0 is not a version"));
    itsm_conformance_summary s = { .size = sizeof s };
    assert_ok(itsm_conformance_summary_of(&s, c));
    assert_int_equal(s.moves, 0);
    m.version = ITSM_OBSERVED_MOVE_VERSION;
    assert_ok(itsm_conformance_observe(c, &m));

    itsm_observed_move u;
    memset(&u, 0xAB, sizeof u);
    assert_int_equal(itsm_observed_move_init(&u, ITSM_OBSERVED_MOVE_VERSION + 1), ITSM_EINVAL);
    assert_int_equal(itsm_observed_move_init(&u, 0), ITSM_EINVAL);
    assert_int_equal(u.version, 0xABABABABu);
    assert_int_equal(itsm_observed_move_init(NULL, ITSM_OBSERVED_MOVE_VERSION), ITSM_EINVAL);
    assert_ok(itsm_observed_move_init(&u, ITSM_OBSERVED_MOVE_VERSION));
    assert_int_equal(u.version, ITSM_OBSERVED_MOVE_VERSION);
    assert_null(u.record);
    itsm_conformance_free(c);
    itsm_policy_free(ref);
}

static void engine_opts_init_of_version_1_writes_only_version_1(void **state)
{
    (void)state;
    itsm_engine_opts o;
    memset(&o, 0xAB, sizeof o);
    assert_ok(itsm_engine_opts_init(&o, 1));
    assert_int_equal(o.version, 1);
    assert_null(o.policy);
    assert_int_equal(o.limits.max_depth, 0);
    const unsigned char *tail = (const unsigned char *)&o + ITSM__END(itsm_engine_opts, limits);
    for (size_t i = 0; i < sizeof o - ITSM__END(itsm_engine_opts, limits); i++)
        assert_int_equal(tail[i], 0xAB);
    assert_ok(itsm_engine_opts_init(&o, ITSM_ENGINE_OPTS_VERSION));
    assert_null(o.errmsg);
    assert_int_equal(o.errmsg_cap, 0);
    assert_int_equal(itsm_engine_opts_init(&o, ITSM_ENGINE_OPTS_VERSION + 1), ITSM_EINVAL);

    /* the same for a calendar definition: version 1 had no zone */
    itsm_calendar_def cd;
    memset(&cd, 0xAB, sizeof cd);
    assert_ok(itsm_calendar_def_init(&cd, 1));
    assert_int_equal(cd.version, 1);
    assert_null(cd.holidays);
    const unsigned char *ctail = (const unsigned char *)&cd + ITSM__END(itsm_calendar_def, nholidays);
    for (size_t i = 0; i < sizeof cd - ITSM__END(itsm_calendar_def, nholidays); i++)
        assert_int_equal(ctail[i], 0xAB);
}

/* ---- caller-sized results ---- */

static void results_of_a_size_the_library_cannot_fill_are_refused_untouched(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_engine *eng = f.eng;
    itsm_record *a, *b;
    itsm_record_opts ro = ITSM_RECORD_OPTS_INIT;
    assert_ok(itsm_record_open(&a, eng, &ro));
    assert_ok(itsm_record_open(&b, eng, &ro));
    assert_ok(itsm_record_link(a, ITSM_LINK_RELATED, b));
    itsm_note_opts no = ITSM_NOTE_OPTS_INIT;
    no.text = "looked at it";
    assert_ok(itsm_record_add_note(a, &no));

    itsm_link l;
    memset(&l, 0xAB, sizeof l);
    l.size = 0;
    assert_fails(eng, itsm_record_link_at(a, 0, &l), ITSM_EINVAL, "itsm_link.size is 0; set it to sizeof(itsm_link)");
    assert_int_equal((unsigned)l.kind, 0xABABABABu);
    l.size = sizeof l + 8;
    assert_fails(eng, itsm_record_link_at(a, 0, &l), ITSM_EINVAL, "larger than this library's");
    assert_int_equal((unsigned)l.kind, 0xABABABABu);
    l.size = sizeof l;
    assert_ok(itsm_record_link_at(a, 0, &l));
    assert_int_equal(l.size, sizeof l);
    assert_int_equal(l.kind, ITSM_LINK_RELATED);
    assert_string_equal(l.target_id, itsm_record_id(b));

    itsm_timeline_entry e = { .size = 3 };
    assert_fails(eng, itsm_record_timeline_at(a, 0, &e), ITSM_EINVAL, "itsm_timeline_entry.size is 3");
    e.size = sizeof e;
    assert_ok(itsm_record_timeline_at(a, 0, &e));
    assert_string_equal(e.text, "looked at it");

    itsm_timer_info ti = { .size = 1 };
    assert_fails(eng, itsm_record_timer(&ti, a, ITSM_TIMER_RESOLUTION, T0), ITSM_EINVAL, "itsm_timer_info.size");
    itsm_aging_entry ae[2] = { { .size = 0 } };
    size_t n = 7;
    assert_fails(eng, itsm_engine_aging(ae, 2, &n, eng, ITSM_AGING_BY_AGE, T0), ITSM_EINVAL,
                 "itsm_aging_entry.size");
    assert_int_equal(n, 0);
    itsm_match m[2] = { { .size = 1 } };
    assert_fails(eng, itsm_diagnose(m, 2, &n, a), ITSM_EINVAL, "itsm_match.size");
    itsm_knowledge_query q = ITSM_KNOWLEDGE_QUERY_INIT;
    assert_fails(eng, itsm_knowledge_search(m, 2, &n, eng, &q), ITSM_EINVAL, "itsm_match.size");
    assert_ok(itsm_knowledge_search(NULL, 0, &n, eng, &q));   /* nothing to fill, nothing to size */
    itsm_quality_entry qe = { .size = 0 };
    assert_fails(eng, itsm_quality_log_at(eng, 0, &qe), ITSM_EINVAL, "itsm_quality_entry.size");

    itsm_packet *pkt;
    assert_ok(itsm_packet_new(&pkt, a, ITSM_PACKET_SHIFT));
    itsm_packet_entry pe = { .size = 0, .text = "x" };
    assert_int_equal(itsm_packet_add(pkt, ITSM_PL_HYPOTHESES, &pe), ITSM_EINVAL);
    assert_non_null(strstr(itsm_packet_errmsg(pkt), "itsm_packet_entry.size is 0"));
    pe.size = sizeof pe;
    pe.at = ITSM_TIME_NONE;
    assert_ok(itsm_packet_add(pkt, ITSM_PL_HYPOTHESES, &pe));
    itsm_packet_entry got = { .size = sizeof got + 1 };
    assert_int_equal(itsm_packet_at(pkt, ITSM_PL_HYPOTHESES, 0, &got), ITSM_EINVAL);
    assert_non_null(strstr(itsm_packet_errmsg(pkt), "larger than this library's"));
    assert_ok(itsm_packet_add_deliverable(pkt, "runbook", "ann", "bob", 1));
    itsm_deliverable dv = { .size = 2 };
    assert_int_equal(itsm_packet_deliverable_at(pkt, 0, &dv), ITSM_EINVAL);
    assert_non_null(strstr(itsm_packet_errmsg(pkt), "itsm_deliverable.size is 2"));
    itsm_packet_free(pkt);

    itsm_report *rep;
    itsm_report_opts rop = ITSM_REPORT_OPTS_INIT;
    assert_ok(itsm_report_new(&rep, eng, &rop));
    itsm_report_figures fg = { .size = 0 };
    assert_int_equal(itsm_report_figures_of(&fg, rep), ITSM_EINVAL);
    fg.size = sizeof fg;
    assert_ok(itsm_report_figures_of(&fg, rep));
    itsm_report_stat st = { .size = sizeof st + 1 };
    assert_int_equal(itsm_report_duration(&st, rep, ITSM_MEASURE_RESOLVE_WALL), ITSM_EINVAL);
    itsm_report_row row = { .size = 0 };
    assert_int_equal(itsm_report_state_at(rep, 0, &row), ITSM_EINVAL);
    row.size = sizeof row;
    assert_ok(itsm_report_state_at(rep, 0, &row));
    assert_int_equal(row.count, 2);
    itsm_report_free(rep);
    fixture_close(&f);
}

/* itsm_timer_info.priority, after calendar: the record's priority its
 * target is for (0: none), running or stopped (the stopped clock's fast
 * read too); a caller's struct of the first release's size (up to
 * calendar) gets its members and not one byte more. */
static void a_timer_info_names_the_priority_its_target_is_for(void **state)
{
    (void)state;
    itsm_policy *pol = small_incident_policy(NULL, "closed");
    fixture f;
    fixture_open_with(&f, pol, NULL);
    itsm_record *r, *none;
    itsm_change ch[2] = { { ITSM_F_IMPACT, NULL, 2 }, { ITSM_F_URGENCY, NULL, 1 } };
    itsm_record_opts ro = ITSM_RECORD_OPTS_INIT;
    ro.fields = ch;
    ro.nfields = 2;
    assert_ok(itsm_record_open(&r, f.eng, &ro));
    itsm_timer_info ti = { .size = sizeof ti };
    assert_ok(itsm_record_timer(&ti, r, ITSM_TIMER_RESOLUTION, T0 + 60));
    assert_int_equal(ti.status, ITSM_TIMER_RUNNING);
    assert_in_range(ti.priority, 1, 5);
    assert_int_equal(ti.priority, itsm_record_int(r, ITSM_F_PRIORITY));
    assert_true(ti.target > 0);

    unsigned char buf[sizeof ti + 16];
    memset(buf, 0xAB, sizeof buf);
    size_t small = ITSM__END(itsm_timer_info, calendar);
    memcpy(buf, &small, sizeof small);
    assert_ok(itsm_record_timer((itsm_timer_info *)(void *)buf, r, ITSM_TIMER_RESOLUTION, T0 + 60));
    itsm_timer_info got;
    memcpy(&got, buf, small);
    assert_int_equal(got.size, small);
    assert_int_equal(got.target, ti.target);
    assert_ptr_equal(got.calendar, ti.calendar);
    for (size_t i = small; i < sizeof buf; i++)
        assert_int_equal(buf[i], 0xAB);

    f.clock.now = T0 + 120;
    assert_ok(itsm_record_fire(r, "resolve", NULL, 0));
    itsm_timer_info st = { .size = sizeof st };
    assert_ok(itsm_record_timer(&st, r, ITSM_TIMER_RESOLUTION, T0 + 600));
    assert_int_equal(st.status, ITSM_TIMER_STOPPED);
    assert_int_equal(st.priority, ti.priority);

    itsm_record_opts r0 = ITSM_RECORD_OPTS_INIT;
    assert_ok(itsm_record_open(&none, f.eng, &r0));
    assert_ok(itsm_record_timer(&ti, none, ITSM_TIMER_RESOLUTION, T0 + 600));
    assert_int_equal(ti.priority, 0);
    fixture_close(&f);
    itsm_policy_free(pol);
}

/* What an older, smaller struct gets: its own bytes, never one more. The
 * first sized release is this one, so the mechanics are shown on the
 * internal helpers every sized getter uses. */
typedef struct older_aging { size_t size; itsm_record *rec; } older_aging;

static void a_smaller_result_gets_only_the_members_it_has(void **state)
{
    (void)state;
    itsm_timeline_entry full = { .size = sizeof full, .kind = ITSM_NOTE_WORK, .at = T0, .author = "ann",
                                 .text = "t", .expected_restoration = 1, .next_update = 2 };
    unsigned char buf[sizeof full + 16];
    memset(buf, 0xAB, sizeof buf);
    size_t small = ITSM__END(itsm_timeline_entry, author);
    memcpy(buf, &small, sizeof small);
    itsm__sized_put(buf, small, &full);
    itsm_timeline_entry got;
    memcpy(&got, buf, small);
    assert_int_equal(got.size, small);
    assert_int_equal(got.at, T0);
    assert_string_equal(got.author, "ann");
    for (size_t i = small; i < sizeof buf; i++)
        assert_int_equal(buf[i], 0xAB);

    /* an array of older elements: stride is the caller's element size */
    itsm_allocator a;
    assert_ok(itsm__alloc_resolve(&a, NULL));
    older_aging out[3];
    memset(out, 0xAB, sizeof out);
    out[0].size = sizeof out[0];
    itsm_aging_entry *w = itsm__sized_array_begin(&a, out, out[0].size, sizeof *w, 3);
    assert_non_null(w);
    assert_ptr_not_equal(w, out);
    for (int i = 0; i < 2; i++)
        w[i] = (itsm_aging_entry){ sizeof *w, (itsm_record *)(uintptr_t)(0x1000 + i), i, -i };
    itsm__sized_array_end(&a, out, out[0].size, w, sizeof *w, 2);
    for (int i = 0; i < 2; i++) {
        assert_int_equal(out[i].size, sizeof out[0]);
        assert_ptr_equal(out[i].rec, (itsm_record *)(uintptr_t)(0x1000 + i));
    }
    assert_int_equal(out[2].size, (size_t)0xABABABABABABABABull);
    /* the library's own size works in place */
    itsm_aging_entry same[2] = { { .size = sizeof same[0] } };
    assert_ptr_equal(itsm__sized_array_begin(&a, same, sizeof same[0], sizeof same[0], 2), same);
    itsm__sized_array_end(&a, same, sizeof same[0], same, sizeof same[0], 2);
    assert_int_equal(same[1].size, sizeof same[0]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(engine_options_and_store_table_of_version_1_are_accepted),
        cmocka_unit_test(a_newer_engine_options_version_is_refused_naming_both),
        cmocka_unit_test(a_newer_store_table_is_refused_naming_both),
        cmocka_unit_test(engine_creation_explains_every_failure_in_the_callers_buffer),
        cmocka_unit_test(every_newer_options_version_is_refused_naming_both),
        cmocka_unit_test(a_newer_observed_move_is_refused_naming_both),
        cmocka_unit_test(engine_opts_init_of_version_1_writes_only_version_1),
        cmocka_unit_test(results_of_a_size_the_library_cannot_fill_are_refused_untouched),
        cmocka_unit_test(a_smaller_result_gets_only_the_members_it_has),
        cmocka_unit_test(a_timer_info_names_the_priority_its_target_is_for),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
