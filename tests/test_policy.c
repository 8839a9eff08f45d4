/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The policy: the builder API and its errors, the priority matrix, the
 * policy document (round trip, snprintf contract, invalid documents under
 * tests/data/policy/invalid, the example tests/data/policy/servicenow_incident.json)
 * and the lifecycle check (every defect found, named, and refused by
 * itsm_policy_from_json and itsm_engine_new).
 *
 * Invalid documents: tests/data/policy/invalid/<case>/input holds the
 * document, tests/data/policy/invalid/<case>/error one line
 * "<line> <column> <CODE_NAME> <text substring>" (line and column 0 for a
 * lifecycle finding, which has no position in the text).
 */
#include "support.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef ITSM_TEST_DATA
#error "ITSM_TEST_DATA must name the tests/data directory"
#endif

/* ---- helpers --------------------------------------------------------------- */

static char *read_file(const char *path, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return NULL;
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap);
    for (;;) {
        if (n + 1024 > cap) {
            cap *= 2;
            buf = realloc(buf, cap);
        }
        size_t k = fread(buf + n, 1, cap - n - 1, fp);
        n += k;
        if (k == 0)
            break;
    }
    fclose(fp);
    buf[n] = '\0';
    *len = n;
    return buf;
}

/* The policy document as a malloc'd string. */
static char *to_json(const itsm_policy *p)
{
    size_t len = 0;
    assert_int_equal(itsm_policy_to_json(p, NULL, 0, &len), ITSM_ELIMIT);
    char *buf = malloc(len + 1);
    size_t len2 = 0;
    assert_int_equal(itsm_policy_to_json(p, buf, len + 1, &len2), ITSM_OK);
    assert_int_equal(len, len2);
    assert_int_equal(strlen(buf), len);
    return buf;
}

/* An engine over a fresh memstore and virtual clock, with `p` as policy. */
static void open_with(fixture *f, const itsm_policy *p)
{
    f->clock.now = T0;
    memstore_init(&f->store);
    itsm_engine_opts o = ITSM_ENGINE_OPTS_INIT;
    o.policy = p;
    o.store = &memstore_methods;
    o.store_user = &f->store;
    o.clock = vclock_read;
    o.clock_user = &f->clock;
    int rc = itsm_engine_new(&f->eng, &o);
    if (rc != ITSM_OK)
        fail_msg("itsm_engine_new: %s", itsm_errname(rc));
}

#define assert_pfails(p, call, code, needle) do {                           \
        int rc_ = (call);                                                   \
        if (rc_ != (code) || !strstr(itsm_policy_errmsg(p), (needle)))      \
            fail_msg("%s: got %s \"%s\", wanted %s containing \"%s\"",      \
                     #call, itsm_errname(rc_), itsm_policy_errmsg(p),       \
                     itsm_errname(code), (needle));                         \
    } while (0)

static int add_tr(itsm_policy *p, itsm_kind k, const char *from, const char *event, const char *to,
                  const char *guard, const char *stamp, const char *clear)
{
    itsm_transition_def d = ITSM_TRANSITION_DEF_INIT;
    d.from = from;
    d.event = event;
    d.to = to;
    d.guard = guard;
    d.stamp = stamp;
    d.clear = clear;
    return itsm_policy_add_transition(p, k, &d);
}

/* An empty policy with a small, sound incident lifecycle:
 *   new --start--> work --finish--> done (closed), "*" --drop--> done. */
static itsm_policy *small_policy(void)
{
    itsm_policy *p;
    assert_ok(itsm_policy_new_empty(&p, NULL));
    assert_ok(itsm_policy_add_state(p, ITSM_KIND_INCIDENT, "new", ITSM_STATE_INITIAL));
    assert_ok(itsm_policy_add_state(p, ITSM_KIND_INCIDENT, "work", 0));
    assert_ok(itsm_policy_add_state(p, ITSM_KIND_INCIDENT, "done", ITSM_STATE_CLOSED));
    assert_ok(itsm_policy_add_event(p, ITSM_KIND_INCIDENT, "start"));
    assert_ok(itsm_policy_add_event(p, ITSM_KIND_INCIDENT, "finish"));
    assert_ok(itsm_policy_add_event(p, ITSM_KIND_INCIDENT, "drop"));
    assert_ok(add_tr(p, ITSM_KIND_INCIDENT, "new", "start", "work", "assignee", "responded_at?", NULL));
    assert_ok(add_tr(p, ITSM_KIND_INCIDENT, "work", "finish", "done", "resolution_code", "resolved_at closed_at",
                     NULL));
    assert_ok(add_tr(p, ITSM_KIND_INCIDENT, "*", "drop", "done", NULL, "closed_at", NULL));
    assert_int_equal(itsm_policy_check(p), 0);
    return p;
}

/* ---- builder: names, duplicates, flags ------------------------------------ */

static void builder_rejects_bad_state_and_event_names(void **state)
{
    (void)state;
    itsm_policy *p;
    assert_ok(itsm_policy_new_empty(&p, NULL));
    char long64[65], long63[64];
    memset(long64, 'a', 64);
    long64[64] = '\0';
    memset(long63, 'b', 63);
    long63[63] = '\0';
    const char *bad[] = { "", "New", "in progress", "a-b", "caf\xc3\xa9", "x.y", "*", long64 };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_pfails(p, itsm_policy_add_state(p, ITSM_KIND_INCIDENT, bad[i], 0), ITSM_EINVAL,
                      "state name must be 1..63 characters");
        assert_pfails(p, itsm_policy_add_event(p, ITSM_KIND_INCIDENT, bad[i]), ITSM_EINVAL,
                      "event name must be 1..63 characters");
    }
    assert_pfails(p, itsm_policy_add_state(p, ITSM_KIND_INCIDENT, NULL, 0), ITSM_EINVAL, "state name");
    assert_pfails(p, itsm_policy_add_event(p, ITSM_KIND_INCIDENT, NULL), ITSM_EINVAL, "event name");
    /* The longest name and every allowed character are fine. */
    assert_ok(itsm_policy_add_state(p, ITSM_KIND_INCIDENT, long63, 0));
    assert_ok(itsm_policy_add_state(p, ITSM_KIND_INCIDENT, "a_0_z9", 0));
    assert_ok(itsm_policy_add_event(p, ITSM_KIND_INCIDENT, long63));
    assert_string_equal(itsm_policy_errmsg(p), "");
    /* Unknown kinds and flags; a NULL policy. */
    assert_pfails(p, itsm_policy_add_state(p, (itsm_kind)0, "x", 0), ITSM_EINVAL, "unknown record kind 0");
    assert_pfails(p, itsm_policy_add_state(p, (itsm_kind)6, "x", 0), ITSM_EINVAL, "unknown record kind 6");
    assert_pfails(p, itsm_policy_add_event(p, (itsm_kind)6, "x"), ITSM_EINVAL, "unknown record kind 6");
    assert_pfails(p, itsm_policy_lifecycle_clear(p, (itsm_kind)9), ITSM_EINVAL, "unknown record kind 9");
    assert_pfails(p, itsm_policy_add_state(p, ITSM_KIND_INCIDENT, "x", 0x4), ITSM_EINVAL, "unknown state flags");
    assert_int_equal(itsm_policy_add_state(NULL, ITSM_KIND_INCIDENT, "x", 0), ITSM_EINVAL);
    assert_int_equal(itsm_policy_add_event(NULL, ITSM_KIND_INCIDENT, "x"), ITSM_EINVAL);
    assert_int_equal(itsm_policy_lifecycle_clear(NULL, ITSM_KIND_INCIDENT), ITSM_EINVAL);
    assert_string_equal(itsm_policy_errmsg(NULL), "");
    itsm_policy_free(p);
    itsm_policy_free(NULL);
}

static void builder_rejects_duplicate_states_and_events(void **state)
{
    (void)state;
    itsm_policy *p;
    assert_ok(itsm_policy_new_empty(&p, NULL));
    assert_ok(itsm_policy_add_state(p, ITSM_KIND_CHANGE, "new", ITSM_STATE_INITIAL));
    assert_pfails(p, itsm_policy_add_state(p, ITSM_KIND_CHANGE, "new", 0), ITSM_EEXISTS,
                  "change: state 'new' already exists");
    assert_ok(itsm_policy_add_event(p, ITSM_KIND_CHANGE, "go"));
    assert_pfails(p, itsm_policy_add_event(p, ITSM_KIND_CHANGE, "go"), ITSM_EEXISTS,
                  "change: event 'go' already exists");
    /* Names are per lifecycle. */
    assert_ok(itsm_policy_add_state(p, ITSM_KIND_PROBLEM, "new", ITSM_STATE_INITIAL));
    assert_ok(itsm_policy_add_event(p, ITSM_KIND_PROBLEM, "go"));
    /* A state and an event may share a name. */
    assert_ok(itsm_policy_add_event(p, ITSM_KIND_CHANGE, "new"));
    itsm_policy_free(p);
}

static void builder_rejects_a_second_initial_state(void **state)
{
    (void)state;
    itsm_policy *p;
    assert_ok(itsm_policy_new_empty(&p, NULL));
    assert_ok(itsm_policy_add_state(p, ITSM_KIND_KNOWLEDGE, "draft", ITSM_STATE_INITIAL));
    assert_pfails(p, itsm_policy_add_state(p, ITSM_KIND_KNOWLEDGE, "idea", ITSM_STATE_INITIAL), ITSM_EINVAL,
                  "knowledge: state 'idea' cannot be initial: 'draft' already is");
    assert_pfails(p, itsm_policy_add_state(p, ITSM_KIND_KNOWLEDGE, "idea",
                                           ITSM_STATE_INITIAL | ITSM_STATE_CLOSED),
                  ITSM_EINVAL, "cannot be initial");
    /* After clearing the lifecycle, a new initial state is fine. */
    assert_ok(itsm_policy_lifecycle_clear(p, ITSM_KIND_KNOWLEDGE));
    assert_ok(itsm_policy_add_state(p, ITSM_KIND_KNOWLEDGE, "idea", ITSM_STATE_INITIAL));
    itsm_policy_free(p);
}

/* ---- builder: transitions -------------------------------------------------- */

static void transition_names_the_unknown_state_or_event(void **state)
{
    (void)state;
    itsm_policy *p = small_policy();
    char *before = to_json(p);
    assert_pfails(p, add_tr(p, ITSM_KIND_INCIDENT, "nowhere", "start", "work", NULL, NULL, NULL), ITSM_ENOTFOUND,
                  "incident: transition from unknown state 'nowhere'");
    assert_pfails(p, add_tr(p, ITSM_KIND_INCIDENT, "work", "start", "elsewhere", NULL, NULL, NULL),
                  ITSM_ENOTFOUND, "incident: transition to unknown state 'elsewhere'");
    assert_pfails(p, add_tr(p, ITSM_KIND_INCIDENT, "work", "pause", "new", NULL, NULL, NULL), ITSM_ENOTFOUND,
                  "incident: transition on undeclared event 'pause'");
    /* "*" is only a source, never a target. */
    assert_pfails(p, add_tr(p, ITSM_KIND_INCIDENT, "work", "start", "*", NULL, NULL, NULL), ITSM_ENOTFOUND,
                  "unknown state '*'");
    /* States of another lifecycle do not count. */
    assert_ok(itsm_policy_add_state(p, ITSM_KIND_PROBLEM, "elsewhere", ITSM_STATE_INITIAL));
    assert_pfails(p, add_tr(p, ITSM_KIND_INCIDENT, "work", "start", "elsewhere", NULL, NULL, NULL),
                  ITSM_ENOTFOUND, "unknown state 'elsewhere'");
    assert_ok(itsm_policy_lifecycle_clear(p, ITSM_KIND_PROBLEM));
    /* Missing parts, a bad definition version, a NULL policy. */
    assert_pfails(p, add_tr(p, ITSM_KIND_INCIDENT, NULL, "start", "work", NULL, NULL, NULL), ITSM_EINVAL,
                  "needs from, event and to");
    assert_pfails(p, add_tr(p, ITSM_KIND_INCIDENT, "new", NULL, "work", NULL, NULL, NULL), ITSM_EINVAL,
                  "needs from, event and to");
    assert_pfails(p, add_tr(p, ITSM_KIND_INCIDENT, "new", "start", NULL, NULL, NULL, NULL), ITSM_EINVAL,
                  "needs from, event and to");
    itsm_transition_def d = ITSM_TRANSITION_DEF_INIT;
    d.version = 99;
    d.from = "work";
    d.event = "start";
    d.to = "new";
    assert_pfails(p, itsm_policy_add_transition(p, ITSM_KIND_INCIDENT, &d), ITSM_EINVAL, "version 99 is newer than this library's 1");
    assert_pfails(p, itsm_policy_add_transition(p, ITSM_KIND_INCIDENT, NULL), ITSM_EINVAL, "NULL");
    assert_pfails(p, itsm_policy_add_transition(p, (itsm_kind)0, &d), ITSM_EINVAL, "");
    assert_int_equal(itsm_policy_add_transition(NULL, ITSM_KIND_INCIDENT, &d), ITSM_EINVAL);
    assert_int_equal(itsm_transition_def_init(&d, 2), ITSM_EINVAL);
    assert_int_equal(itsm_transition_def_init(NULL, ITSM_TRANSITION_DEF_VERSION), ITSM_EINVAL);
    assert_ok(itsm_transition_def_init(&d, ITSM_TRANSITION_DEF_VERSION));
    assert_int_equal(d.version, ITSM_TRANSITION_DEF_VERSION);
    assert_null(d.from);
    assert_null(d.guard);
    assert_int_equal(d.counts_reopen, 0);
    /* Nothing of the refused transitions stuck. */
    char *after = to_json(p);
    assert_string_equal(before, after);
    free(before);
    free(after);
    itsm_policy_free(p);
}

typedef struct bad_def {
    const char *guard, *stamp, *clear;
    int code;
    const char *needle;
} bad_def;

static void transition_rejects_malformed_guards_stamps_and_clears(void **state)
{
    (void)state;
    static const bad_def cases[] = {
        { "resolution_code||cause", NULL, NULL, ITSM_EINVAL, "malformed guard term 'resolution_code||cause'" },
        { "|cause", NULL, NULL, ITSM_EINVAL, "malformed guard term '|cause'" },
        { "cause|", NULL, NULL, ITSM_EINVAL, "malformed guard term 'cause|'" },
        { "change_type=", NULL, NULL, ITSM_EINVAL, "guard term 'change_type=' has no value" },
        { "x=", NULL, NULL, ITSM_ENOTFOUND, "unknown field 'x' in guard" },
        { "=standard", NULL, NULL, ITSM_ENOTFOUND, "unknown field '' in guard" },
        { "major=yes", NULL, NULL, ITSM_EINVAL, "guard term 'major=yes' needs a whole number" },
        { "impact=-1", NULL, NULL, ITSM_EINVAL, "needs a whole number" },
        { "resolved_at=5", NULL, NULL, ITSM_EINVAL, "compares a time field" },
        { "cause|change_type=standard", NULL, NULL, ITSM_EINVAL, "mixes '|' and '='" },
        { "assignee nosuchfield", NULL, NULL, ITSM_ENOTFOUND, "unknown field 'nosuchfield' in guard" },
        { "cause|nosuch", NULL, NULL, ITSM_ENOTFOUND, "unknown field 'nosuch' in guard" },
        { "link:nothing", NULL, NULL, ITSM_EINVAL, "guard term 'link:nothing' names no record kind" },
        { "link:", NULL, NULL, ITSM_ENOTFOUND, "unknown field 'link:' in guard" },
        { "a|b|c|d|e|f|g|h|i", NULL, NULL, ITSM_ENOTFOUND, "unknown field 'a'" },
        { "summary|description|caller|service|ci|category|subcategory|cause|workaround", NULL, NULL,
          ITSM_EINVAL, "malformed guard term" },
        { NULL, "summary", NULL, ITSM_EINVAL, "stamp 'summary' must be responded_at, resolved_at or closed_at" },
        { NULL, "opened_at", NULL, ITSM_EINVAL, "stamp 'opened_at' must be" },
        { NULL, "updated_at", NULL, ITSM_EINVAL, "stamp 'updated_at' must be" },
        { NULL, "reopens", NULL, ITSM_EINVAL, "stamp 'reopens' must be" },
        { NULL, "impact", NULL, ITSM_EINVAL, "stamp 'impact' must be" },
        { NULL, "closed", NULL, ITSM_ENOTFOUND, "unknown field 'closed' in stamp" },
        { NULL, "closed_at??", NULL, ITSM_ENOTFOUND, "in stamp" },
        { NULL, "responded_at resolved_at closed_at responded_at resolved_at", NULL, ITSM_ELIMIT,
          "too many fields in stamp" },
        { NULL, NULL, "resolved_at", ITSM_EINVAL, "field 'resolved_at' is maintained by the engine and cannot be cleared" },
        { NULL, NULL, "reopens", ITSM_EINVAL, "field 'reopens' is maintained by the engine" },
        { NULL, NULL, "hold_reason?", ITSM_ENOTFOUND, "unknown field 'hold_reason?' in clear" },
        { NULL, NULL, "nosuch", ITSM_ENOTFOUND, "unknown field 'nosuch' in clear" },
    };
    itsm_policy *p = small_policy();
    char *before = to_json(p);
    assert_ok(itsm_policy_add_event(p, ITSM_KIND_INCIDENT, "poke"));
    char *with_poke = to_json(p);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const bad_def *c = &cases[i];
        int rc = add_tr(p, ITSM_KIND_INCIDENT, "work", "poke", "work", c->guard, c->stamp, c->clear);
        const char *msg = itsm_policy_errmsg(p);
        if (rc != c->code || !strstr(msg, c->needle) || !strstr(msg, "incident: transition work --poke--> work: "))
            fail_msg("guard \"%s\" stamp \"%s\" clear \"%s\": got %s \"%s\", wanted %s containing \"%s\"",
                     c->guard ? c->guard : "", c->stamp ? c->stamp : "", c->clear ? c->clear : "",
                     itsm_errname(rc), msg, itsm_errname(c->code), c->needle);
        char *now = to_json(p);
        assert_string_equal(now, with_poke);
        free(now);
    }
    /* The well-formed versions of the same ideas are accepted. */
    assert_ok(add_tr(p, ITSM_KIND_INCIDENT, "work", "poke", "work",
                     "  cause   workaround|no_workaround change_type=standard major=0 impact=1 link:change ",
                     "responded_at? resolved_at closed_at", "hold_reason workaround no_workaround"));
    assert_string_equal(itsm_policy_errmsg(p), "");
    free(before);
    free(with_poke);
    itsm_policy_free(p);
}

static void transition_rejects_a_second_transition_for_the_same_state_and_event(void **state)
{
    (void)state;
    itsm_policy *p = small_policy();
    assert_pfails(p, add_tr(p, ITSM_KIND_INCIDENT, "new", "start", "done", NULL, NULL, NULL), ITSM_EEXISTS,
                  "incident: 'new' already has a transition on 'start'");
    assert_pfails(p, add_tr(p, ITSM_KIND_INCIDENT, "*", "drop", "new", NULL, NULL, NULL), ITSM_EEXISTS,
                  "incident: '*' already has a transition on 'drop'");
    /* An exact transition beside a "*" one is fine, and wins for its state. */
    assert_ok(add_tr(p, ITSM_KIND_INCIDENT, "work", "drop", "new", NULL, NULL, NULL));
    assert_int_equal(itsm_policy_check(p), 0);
    fixture f;
    open_with(&f, p);
    itsm_record *r;
    itsm_record_opts o = ITSM_RECORD_OPTS_INIT;
    assert_ok(itsm_record_open(&r, f.eng, &o));
    itsm_change a = { ITSM_F_ASSIGNEE, "alice", 0 };
    assert_ok(itsm_record_fire(r, "start", &a, 1));
    assert_ok(itsm_record_fire(r, "drop", NULL, 0));
    assert_string_equal(itsm_record_state(r), "new");
    assert_ok(itsm_record_fire(r, "drop", NULL, 0));
    assert_string_equal(itsm_record_state(r), "done");
    fixture_close(&f);
    itsm_policy_free(p);
}

static void custom_lifecycle_replaces_the_incident_one_in_an_engine(void **state)
{
    (void)state;
    itsm_policy *p;
    assert_ok(itsm_policy_new_default(&p, NULL));
    assert_ok(itsm_policy_lifecycle_clear(p, ITSM_KIND_INCIDENT));
    assert_ok(itsm_policy_add_state(p, ITSM_KIND_INCIDENT, "triage", ITSM_STATE_INITIAL));
    assert_ok(itsm_policy_add_state(p, ITSM_KIND_INCIDENT, "fixing", 0));
    assert_ok(itsm_policy_add_state(p, ITSM_KIND_INCIDENT, "fixed", ITSM_STATE_CLOSED));
    assert_ok(itsm_policy_add_event(p, ITSM_KIND_INCIDENT, "take"));
    assert_ok(itsm_policy_add_event(p, ITSM_KIND_INCIDENT, "fix"));
    assert_ok(itsm_policy_add_event(p, ITSM_KIND_INCIDENT, "bounce"));
    assert_ok(add_tr(p, ITSM_KIND_INCIDENT, "triage", "take", "fixing", "assignee category", "responded_at?", NULL));
    assert_ok(add_tr(p, ITSM_KIND_INCIDENT, "fixing", "bounce", "triage", NULL, NULL, "assignee"));
    itsm_transition_def d = ITSM_TRANSITION_DEF_INIT;
    d.from = "fixing";
    d.event = "fix";
    d.to = "fixed";
    d.guard = "resolution_code";
    d.stamp = "resolved_at closed_at";
    assert_ok(itsm_policy_add_transition(p, ITSM_KIND_INCIDENT, &d));
    assert_int_equal(itsm_policy_check(p), 0);

    fixture f;
    open_with(&f, p);
    itsm_policy_free(p);   /* the engine keeps its own copy */
    itsm_record *r;
    itsm_record_opts o = ITSM_RECORD_OPTS_INIT;
    assert_ok(itsm_record_open(&r, f.eng, &o));
    assert_string_equal(itsm_record_state(r), "triage");
    assert_fails(f.eng, itsm_record_fire(r, "assign", NULL, 0), ITSM_ETRANSITION,
                 "no transition 'assign' from 'triage'");
    assert_fails(f.eng, itsm_record_fire(r, "take", NULL, 0), ITSM_EGUARD,
                 "transition 'take' from 'triage' needs fields 'assignee', 'category'");
    itsm_change take[] = { { ITSM_F_ASSIGNEE, "alice", 0 }, { ITSM_F_CATEGORY, "network", 0 } };
    f.clock.now += 60;
    assert_ok(itsm_record_fire(r, "take", take, 2));
    assert_string_equal(itsm_record_state(r), "fixing");
    assert_int_equal(itsm_record_int(r, ITSM_F_RESPONDED_AT), T0 + 60);
    assert_ok(itsm_record_fire(r, "bounce", NULL, 0));
    assert_string_equal(itsm_record_state(r), "triage");
    assert_false(itsm_record_has(r, ITSM_F_ASSIGNEE));
    f.clock.now += 60;
    assert_ok(itsm_record_fire(r, "take", take, 2));
    assert_int_equal(itsm_record_int(r, ITSM_F_RESPONDED_AT), T0 + 60);   /* "?": stamped once */
    itsm_change fix = { ITSM_F_RESOLUTION_CODE, "fixed", 0 };
    f.clock.now += 60;
    assert_ok(itsm_record_fire(r, "fix", &fix, 1));
    assert_string_equal(itsm_record_state(r), "fixed");
    assert_false(itsm_record_is_open(r));
    assert_int_equal(itsm_record_int(r, ITSM_F_CLOSED_AT), T0 + 180);
    assert_int_equal(itsm_record_int(r, ITSM_F_RESOLVED_AT), T0 + 180);
    /* The other kinds keep their default lifecycles. */
    o.kind = ITSM_KIND_PROBLEM;
    assert_ok(itsm_record_open(&r, f.eng, &o));
    assert_string_equal(itsm_record_state(r), "new");
    fixture_close(&f);
}

static void a_kind_without_a_lifecycle_cannot_be_opened(void **state)
{
    (void)state;
    itsm_policy *p = small_policy();
    fixture f;
    open_with(&f, p);
    itsm_record *r;
    itsm_record_opts o = ITSM_RECORD_OPTS_INIT;
    o.kind = ITSM_KIND_CHANGE;
    assert_fails(f.eng, itsm_record_open(&r, f.eng, &o), ITSM_ENOTFOUND,
                 "the policy has no lifecycle for change records");
    assert_int_equal(f.store.n, 0);
    fixture_close(&f);
    itsm_policy_free(p);
}

/* ---- priority matrix -------------------------------------------------------- */

static const int design_matrix[3][3] = { { 1, 2, 3 }, { 2, 3, 4 }, { 3, 4, 5 } };

static void default_priority_matrix_is_the_design_one(void **state)
{
    (void)state;
    itsm_policy *d, *e;
    assert_ok(itsm_policy_new_default(&d, NULL));
    assert_ok(itsm_policy_new_empty(&e, NULL));
    for (int i = 1; i <= 3; i++)
        for (int u = 1; u <= 3; u++) {
            assert_int_equal(itsm_policy_priority(d, i, u), design_matrix[i - 1][u - 1]);
            assert_int_equal(itsm_policy_priority(e, i, u), design_matrix[i - 1][u - 1]);
        }
    /* Spelled out as DESIGN.md section 4 has it. */
    assert_int_equal(itsm_policy_priority(d, 1, 1), 1);
    assert_int_equal(itsm_policy_priority(d, 1, 2), 2);
    assert_int_equal(itsm_policy_priority(d, 2, 1), 2);
    assert_int_equal(itsm_policy_priority(d, 1, 3), 3);
    assert_int_equal(itsm_policy_priority(d, 2, 2), 3);
    assert_int_equal(itsm_policy_priority(d, 3, 1), 3);
    assert_int_equal(itsm_policy_priority(d, 2, 3), 4);
    assert_int_equal(itsm_policy_priority(d, 3, 2), 4);
    assert_int_equal(itsm_policy_priority(d, 3, 3), 5);
    itsm_policy_free(d);
    itsm_policy_free(e);
}

static void priority_matrix_set_get_and_range_errors(void **state)
{
    (void)state;
    itsm_policy *p;
    assert_ok(itsm_policy_new_default(&p, NULL));
    assert_ok(itsm_policy_set_priority(p, 3, 3, 4));
    assert_int_equal(itsm_policy_priority(p, 3, 3), 4);
    assert_ok(itsm_policy_set_priority(p, 1, 3, 1));
    assert_int_equal(itsm_policy_priority(p, 1, 3), 1);
    assert_int_equal(itsm_policy_priority(p, 3, 1), 3);   /* the matrix need not be symmetric */
    const int bad[][3] = { { 0, 1, 1 }, { 4, 1, 1 }, { 1, 0, 1 }, { 1, 4, 1 }, { -1, -1, 1 } };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_pfails(p, itsm_policy_set_priority(p, bad[i][0], bad[i][1], bad[i][2]), ITSM_EINVAL,
                      "impact and urgency must be 1..3");
    assert_pfails(p, itsm_policy_set_priority(p, 1, 1, 0), ITSM_EINVAL, "priority must be 1..5 (got 0)");
    assert_pfails(p, itsm_policy_set_priority(p, 1, 1, 6), ITSM_EINVAL, "priority must be 1..5 (got 6)");
    assert_int_equal(itsm_policy_priority(p, 1, 1), 1);   /* unchanged by the refusals */
    assert_int_equal(itsm_policy_set_priority(NULL, 1, 1, 1), ITSM_EINVAL);
    assert_int_equal(itsm_policy_priority(p, 0, 1), 0);
    assert_int_equal(itsm_policy_priority(p, 1, 4), 0);
    assert_int_equal(itsm_policy_priority(p, 4, 4), 0);
    assert_int_equal(itsm_policy_priority(NULL, 1, 1), 0);
    itsm_policy_free(p);
}

static itsm_record *open_iu(fixture *f, int impact, int urgency)
{
    itsm_change init[2];
    size_t n = 0;
    if (impact) {
        itsm_change c = { ITSM_F_IMPACT, NULL, impact };
        init[n++] = c;
    }
    if (urgency) {
        itsm_change c = { ITSM_F_URGENCY, NULL, urgency };
        init[n++] = c;
    }
    itsm_record_opts o = ITSM_RECORD_OPTS_INIT;
    o.fields = n ? init : NULL;
    o.nfields = n;
    itsm_record *r;
    assert_ok(itsm_record_open(&r, f->eng, &o));
    return r;
}

static void record_priority_is_derived_from_impact_and_urgency(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    for (int i = 1; i <= 3; i++)
        for (int u = 1; u <= 3; u++) {
            itsm_record *r = open_iu(&f, i, u);
            assert_int_equal(itsm_record_int(r, ITSM_F_PRIORITY), design_matrix[i - 1][u - 1]);
        }
    /* One of the two is not enough. */
    itsm_record *r = open_iu(&f, 1, 0);
    assert_false(itsm_record_has(r, ITSM_F_PRIORITY));
    assert_ok(itsm_record_set_int(r, ITSM_F_URGENCY, 1));
    assert_int_equal(itsm_record_int(r, ITSM_F_PRIORITY), 1);
    /* Re-derived when either changes, by update or with an event. */
    assert_ok(itsm_record_set_int(r, ITSM_F_IMPACT, 3));
    assert_int_equal(itsm_record_int(r, ITSM_F_PRIORITY), 3);
    assert_ok(itsm_record_set_int(r, ITSM_F_URGENCY, 3));
    assert_int_equal(itsm_record_int(r, ITSM_F_PRIORITY), 5);
    itsm_change c[] = { { ITSM_F_ASSIGNMENT_GROUP, "network", 0 }, { ITSM_F_IMPACT, NULL, 2 } };
    assert_ok(itsm_record_fire(r, "assign", c, 2));
    assert_int_equal(itsm_record_int(r, ITSM_F_PRIORITY), 4);
    /* A priority set by hand with the change wins over the matrix ... */
    itsm_change hand[] = { { ITSM_F_URGENCY, NULL, 1 }, { ITSM_F_PRIORITY, NULL, 1 } };
    assert_ok(itsm_record_update(r, hand, 2));
    assert_int_equal(itsm_record_int(r, ITSM_F_PRIORITY), 1);
    /* ... and a later change of impact or urgency derives it again. */
    assert_ok(itsm_record_set_int(r, ITSM_F_IMPACT, 3));
    assert_int_equal(itsm_record_int(r, ITSM_F_PRIORITY), 3);
    /* A hand-set priority without impact and urgency stays. */
    itsm_change only[] = { { ITSM_F_PRIORITY, NULL, 2 } };
    itsm_record_opts o = ITSM_RECORD_OPTS_INIT;
    o.fields = only;
    o.nfields = 1;
    assert_ok(itsm_record_open(&r, f.eng, &o));
    assert_int_equal(itsm_record_int(r, ITSM_F_PRIORITY), 2);
    /* Out-of-range values are refused, nothing derived. */
    assert_fails(f.eng, itsm_record_set_int(r, ITSM_F_IMPACT, 4), ITSM_EINVAL, "impact");
    assert_fails(f.eng, itsm_record_set_int(r, ITSM_F_URGENCY, 0), ITSM_EINVAL, "urgency");
    assert_fails(f.eng, itsm_record_set_int(r, ITSM_F_PRIORITY, 6), ITSM_EINVAL, "priority");
    assert_int_equal(itsm_record_int(r, ITSM_F_PRIORITY), 2);
    char *d = engine_dump(f.eng), *d2 = replay_dump(&f.store);
    assert_string_equal(d, d2);
    free(d);
    free(d2);
    fixture_close(&f);
}

static void a_policy_with_another_matrix_changes_the_derivation(void **state)
{
    (void)state;
    itsm_policy *p;
    assert_ok(itsm_policy_new_default(&p, NULL));
    /* Urgency-first: the priority is the urgency, plus one for low impact. */
    for (int i = 1; i <= 3; i++)
        for (int u = 1; u <= 3; u++)
            assert_ok(itsm_policy_set_priority(p, i, u, u + (i == 3 ? 2 : 0)));
    fixture f;
    open_with(&f, p);
    itsm_policy_set_priority(p, 1, 1, 5);   /* the engine copied the matrix */
    for (int i = 1; i <= 3; i++)
        for (int u = 1; u <= 3; u++) {
            itsm_record *r = open_iu(&f, i, u);
            assert_int_equal(itsm_record_int(r, ITSM_F_PRIORITY), u + (i == 3 ? 2 : 0));
        }
    itsm_record *r = open_iu(&f, 1, 1);
    assert_ok(itsm_record_set_int(r, ITSM_F_IMPACT, 3));
    assert_int_equal(itsm_record_int(r, ITSM_F_PRIORITY), 3);
    assert_int_equal(itsm_policy_priority(itsm_engine_policy(f.eng), 1, 1), 1);
    fixture_close(&f);
    itsm_policy_free(p);
}

/* ---- the policy document ----------------------------------------------------- */

static void default_policy_json_round_trips_byte_for_byte(void **state)
{
    (void)state;
    itsm_policy *p, *q, *c;
    assert_ok(itsm_policy_new_default(&p, NULL));
    char *a = to_json(p);
    itsm_parse_error err;
    int rc = itsm_policy_from_json(&q, a, strlen(a), NULL, NULL, &err);
    if (rc != ITSM_OK)
        fail_msg("%s at %zu:%zu: %s", itsm_errname(rc), err.line, err.column, err.text);
    assert_int_equal(err.code, ITSM_OK);
    char *b = to_json(q);
    assert_string_equal(a, b);
    assert_int_equal(itsm_policy_check(q), 0);
    /* A clone writes the same document too. */
    assert_ok(itsm_policy_clone(&c, q));
    char *cj = to_json(c);
    assert_string_equal(a, cj);
    itsm_policy_free(c);
    assert_int_equal(itsm_policy_clone(NULL, q), ITSM_EINVAL);
    assert_int_equal(itsm_policy_clone(&c, NULL), ITSM_EINVAL);
    /* The document names what the schema promises. */
    assert_non_null(strstr(a, "\"itsm_policy\":1"));
    assert_non_null(strstr(a, "\"priority_matrix\":[[1,2,3],[2,3,4],[3,4,5]]"));
    assert_non_null(strstr(a, "\"from\":\"*\",\"event\":\"cancel\",\"to\":\"canceled\""));
    assert_non_null(strstr(a, "\"guard\":\"cause workaround|no_workaround\""));
    assert_non_null(strstr(a, "\"stamp\":\"responded_at?\""));
    assert_non_null(strstr(a, "\"clear\":\"hold_reason\""));
    assert_non_null(strstr(a, "\"counts_reopen\":true"));
    free(a);
    free(b);
    free(cj);
    itsm_policy_free(p);
    itsm_policy_free(q);
}

static void custom_and_empty_policies_round_trip(void **state)
{
    (void)state;
    itsm_policy *p = small_policy(), *q, *e;
    assert_ok(itsm_policy_set_priority(p, 2, 2, 1));
    assert_ok(itsm_policy_add_event(p, ITSM_KIND_INCIDENT, "redo"));
    itsm_transition_def d = ITSM_TRANSITION_DEF_INIT;
    d.from = "done";
    d.event = "redo";
    d.to = "work";
    d.guard = "cause|workaround major=0 change_type=normal link:problem";
    d.clear = "resolution_code";
    d.counts_reopen = 1;
    assert_ok(itsm_policy_add_transition(p, ITSM_KIND_INCIDENT, &d));
    char *a = to_json(p);
    assert_ok(itsm_policy_from_json(&q, a, strlen(a), NULL, NULL, NULL));
    char *b = to_json(q);
    assert_string_equal(a, b);
    assert_int_equal(itsm_policy_priority(q, 2, 2), 1);
    free(a);
    free(b);
    itsm_policy_free(q);
    itsm_policy_free(p);

    assert_ok(itsm_policy_new_empty(&e, NULL));
    a = to_json(e);
    assert_non_null(strstr(a, "\"lifecycles\":{}"));
    assert_ok(itsm_policy_from_json(&q, a, strlen(a), NULL, NULL, NULL));
    b = to_json(q);
    assert_string_equal(a, b);
    free(a);
    free(b);
    itsm_policy_free(q);
    itsm_policy_free(e);
}

/* Members may come in any order and white space is free; the writer's own
 * order is canonical. */
static void document_member_order_and_layout_do_not_matter(void **state)
{
    (void)state;
    const char *doc =
        "{\n"
        "  \"lifecycles\": {\n"
        "    \"knowledge\": {\n"
        "      \"transitions\": [ { \"to\": \"gone\", \"event\": \"retire\", \"from\": \"draft\",\n"
        "                           \"stamp\": \"closed_at\", \"guard\": null, \"counts_reopen\": false } ],\n"
        "      \"events\": [ \"retire\" ],\n"
        "      \"states\": [ { \"closed\": false, \"name\": \"draft\", \"initial\": true },\n"
        "                  { \"name\": \"gone\", \"closed\": true } ]\n"
        "    }\n"
        "  },\n"
        "  \"itsm_policy\": 1\n"
        "}\n";
    itsm_policy *p;
    itsm_parse_error err;
    int rc = itsm_policy_from_json(&p, doc, strlen(doc), NULL, NULL, &err);
    if (rc)
        fail_msg("%s at %zu:%zu: %s", itsm_errname(rc), err.line, err.column, err.text);
    char *a = to_json(p);
    assert_non_null(strstr(a, "\"knowledge\":{\"states\":[{\"name\":\"draft\",\"initial\":true},"
                              "{\"name\":\"gone\",\"closed\":true}],\"events\":[\"retire\"],"
                              "\"transitions\":[{\"from\":\"draft\",\"event\":\"retire\",\"to\":\"gone\","
                              "\"stamp\":\"closed_at\"}]}"));
    /* No matrix given: the default one. */
    assert_int_equal(itsm_policy_priority(p, 2, 3), 4);
    free(a);
    itsm_policy_free(p);
}

static void run_scenario(fixture *f)
{
    itsm_record *inc, *prb, *chg;
    itsm_change init[] = { { ITSM_F_SUMMARY, "VPN drops", 0 }, { ITSM_F_IMPACT, NULL, 2 },
                           { ITSM_F_URGENCY, NULL, 1 }, { ITSM_F_CATEGORY, "network", 0 } };
    itsm_record_opts o = ITSM_RECORD_OPTS_INIT;
    o.fields = init;
    o.nfields = 4;
    assert_ok(itsm_record_open(&inc, f->eng, &o));
    f->clock.now += 60;
    itsm_change g = { ITSM_F_ASSIGNMENT_GROUP, "network", 0 };
    assert_ok(itsm_record_fire(inc, "assign", &g, 1));
    assert_fails(f->eng, itsm_record_fire(inc, "start", NULL, 0), ITSM_EGUARD,
                 "transition 'start' from 'assigned' needs field 'assignee'");
    f->clock.now += 60;
    itsm_change a = { ITSM_F_ASSIGNEE, "dave", 0 };
    assert_ok(itsm_record_fire(inc, "start", &a, 1));
    itsm_change h = { ITSM_F_HOLD_REASON, "awaiting_supplier", 0 };
    f->clock.now += 60;
    assert_ok(itsm_record_fire(inc, "hold", &h, 1));
    f->clock.now += 600;
    assert_ok(itsm_record_fire(inc, "resume", NULL, 0));
    itsm_change res[] = { { ITSM_F_RESOLUTION_CODE, "fixed", 0 }, { ITSM_F_RESOLUTION_NOTES, "new firmware", 0 } };
    f->clock.now += 60;
    assert_ok(itsm_record_fire(inc, "resolve", res, 2));
    f->clock.now += 60;
    assert_ok(itsm_record_fire(inc, "reopen", NULL, 0));
    f->clock.now += 60;
    assert_ok(itsm_record_fire(inc, "resolve", res, 2));
    itsm_change kd = { ITSM_F_KNOWLEDGE_DECISION, "candidate", 0 };
    f->clock.now += 60;
    assert_ok(itsm_record_fire(inc, "auto_close", &kd, 1));
    assert_fails(f->eng, itsm_record_set_int(inc, ITSM_F_IMPACT, 1), ITSM_ESTATE, "closed");

    itsm_change pinit[] = { { ITSM_F_ASSIGNEE, "erin", 0 }, { ITSM_F_CATEGORY, "network", 0 },
                            { ITSM_F_CAUSE, "firmware bug", 0 } };
    o.kind = ITSM_KIND_PROBLEM;
    o.fields = pinit;
    o.nfields = 3;
    assert_ok(itsm_record_open(&prb, f->eng, &o));
    assert_ok(itsm_record_link(inc, ITSM_LINK_RELATED, prb));
    assert_ok(itsm_record_fire(prb, "assess", NULL, 0));
    assert_ok(itsm_record_fire(prb, "analyse", NULL, 0));
    itsm_change nw = { ITSM_F_NO_WORKAROUND, NULL, 1 };
    assert_ok(itsm_record_fire(prb, "identify", &nw, 1));
    assert_fails(f->eng, itsm_record_fire(prb, "request_change", NULL, 0), ITSM_EGUARD, "needs a linked change");
    itsm_change ct = { ITSM_F_CHANGE_TYPE, "standard", 0 };
    o.kind = ITSM_KIND_CHANGE;
    o.fields = &ct;
    o.nfields = 1;
    assert_ok(itsm_record_open(&chg, f->eng, &o));
    assert_ok(itsm_record_link(prb, ITSM_LINK_RELATED, chg));
    assert_ok(itsm_record_fire(prb, "request_change", NULL, 0));
    assert_fails(f->eng, itsm_record_fire(chg, "schedule", NULL, 0), ITSM_EGUARD, "needs a planned window");
    assert_ok(itsm_change_plan(chg, f->clock.now + 3600, f->clock.now + 7200));
    assert_ok(itsm_record_fire(chg, "schedule", NULL, 0));
    assert_string_equal(itsm_record_state(chg), "scheduled");
}

static void an_engine_from_the_parsed_policy_behaves_like_the_default(void **state)
{
    (void)state;
    itsm_policy *p, *q;
    assert_ok(itsm_policy_new_default(&p, NULL));
    char *a = to_json(p);
    assert_ok(itsm_policy_from_json(&q, a, strlen(a), NULL, NULL, NULL));
    fixture f1, f2;
    fixture_open(&f1);
    open_with(&f2, q);
    run_scenario(&f1);
    run_scenario(&f2);
    char *d1 = engine_dump(f1.eng), *d2 = engine_dump(f2.eng);
    assert_string_equal(d1, d2);
    assert_int_equal(f1.store.n, f2.store.n);
    for (size_t i = 0; i < f1.store.n; i++)
        assert_string_equal(f1.store.events[i], f2.store.events[i]);
    /* The engine's own copy writes the same document. */
    char *b = to_json(itsm_engine_policy(f2.eng));
    assert_string_equal(a, b);
    free(a);
    free(b);
    free(d1);
    free(d2);
    fixture_close(&f1);
    fixture_close(&f2);
    itsm_policy_free(p);
    itsm_policy_free(q);
}

static void to_json_follows_the_snprintf_contract(void **state)
{
    (void)state;
    itsm_policy *p;
    assert_ok(itsm_policy_new_default(&p, NULL));
    char *full = to_json(p);
    size_t n = strlen(full), len = 0;
    /* NULL with cap 0: the length only. */
    assert_int_equal(itsm_policy_to_json(p, NULL, 0, &len), ITSM_ELIMIT);
    assert_int_equal(len, n);
    /* Every short buffer: ELIMIT, the full length, a NUL-terminated prefix. */
    char *buf = malloc(n + 8);
    const size_t caps[] = { 1, 2, 10, n / 2, n - 1, n };
    for (size_t i = 0; i < sizeof caps / sizeof caps[0]; i++) {
        memset(buf, 'Z', n + 8);
        len = 0;
        assert_int_equal(itsm_policy_to_json(p, buf, caps[i], &len), ITSM_ELIMIT);
        assert_int_equal(len, n);
        assert_int_equal(buf[caps[i] - 1], '\0');
        assert_memory_equal(buf, full, caps[i] - 1);
        assert_int_equal(buf[caps[i]], 'Z');   /* nothing past cap */
    }
    /* cap 0 with a buffer: nothing written. */
    memset(buf, 'Z', n + 8);
    assert_int_equal(itsm_policy_to_json(p, buf, 0, &len), ITSM_ELIMIT);
    assert_int_equal(buf[0], 'Z');
    /* Exactly enough, and more than enough. */
    assert_ok(itsm_policy_to_json(p, buf, n + 1, &len));
    assert_int_equal(len, n);
    assert_string_equal(buf, full);
    assert_ok(itsm_policy_to_json(p, buf, n + 8, &len));
    assert_string_equal(buf, full);
    /* Bad arguments. */
    assert_int_equal(itsm_policy_to_json(NULL, buf, n + 1, &len), ITSM_EINVAL);
    assert_int_equal(itsm_policy_to_json(p, buf, n + 1, NULL), ITSM_EINVAL);
    assert_int_equal(itsm_policy_to_json(p, NULL, 10, &len), ITSM_EINVAL);
    free(buf);
    free(full);
    itsm_policy_free(p);
}

static void free_only(void *user, void *ptr)
{
    (void)user;
    free(ptr);
}

static void from_json_rejects_null_arguments_and_leaves_out_null(void **state)
{
    (void)state;
    itsm_policy *p = (itsm_policy *)&p;   /* not NULL, to see it reset */
    itsm_parse_error err;
    assert_int_equal(itsm_policy_from_json(&p, NULL, 0, NULL, NULL, &err), ITSM_EINVAL);
    assert_int_equal(err.code, ITSM_EINVAL);
    assert_int_equal(itsm_policy_from_json(NULL, "{}", 2, NULL, NULL, &err), ITSM_EINVAL);
    assert_int_equal(itsm_policy_parse_json(NULL, "{}", 2, NULL, NULL, NULL), ITSM_EINVAL);
    p = (itsm_policy *)&p;
    assert_int_equal(itsm_policy_from_json(&p, "{", 1, NULL, NULL, NULL), ITSM_EPARSE);
    assert_null(p);
    p = (itsm_policy *)&p;
    assert_int_equal(itsm_policy_parse_json(&p, "[]", 2, NULL, NULL, &err), ITSM_EPARSE);
    assert_null(p);
    /* A half-set allocator. */
    itsm_allocator half = { NULL, NULL, NULL, NULL };
    half.free_fn = free_only;
    assert_int_equal(itsm_policy_from_json(&p, "{\"itsm_policy\":1}", 17, &half, NULL, NULL), ITSM_EINVAL);
    assert_null(p);
    assert_int_equal(itsm_policy_new_empty(&p, &half), ITSM_EINVAL);
    assert_int_equal(itsm_policy_new_default(&p, &half), ITSM_EINVAL);
    assert_int_equal(itsm_policy_new_empty(NULL, NULL), ITSM_EINVAL);
    /* Length is honoured: a valid prefix is a document, the rest ignored. */
    const char *doc = "{\"itsm_policy\":1}garbage";
    assert_ok(itsm_policy_from_json(&p, doc, 17, NULL, NULL, &err));
    itsm_policy_free(p);
    assert_int_equal(itsm_policy_from_json(&p, doc, strlen(doc), NULL, NULL, &err), ITSM_EPARSE);
    assert_int_equal(err.line, 1);
    assert_int_equal(err.column, 18);
    /* Limits apply to the policy document. */
    itsm_json_limits lim = { 8, 0, 0 };
    assert_int_equal(itsm_policy_from_json(&p, doc, 17, NULL, &lim, &err), ITSM_ELIMIT);
    assert_int_equal(err.code, ITSM_ELIMIT);
    assert_null(p);
}

/* ---- lifecycle defects --------------------------------------------------------- */

/* Check `p` finds exactly `want` (in order), that an engine refuses it,
 * and that its document is refused by itsm_policy_from_json but accepted
 * by itsm_policy_parse_json, whose check lists the same findings. */
static void expect_findings(itsm_policy *p, const char *const *want)
{
    size_t nwant = 0;
    while (want[nwant])
        nwant++;
    size_t n = itsm_policy_check(p);
    for (size_t i = 0; i < n || i < nwant; i++) {
        const char *got = itsm_policy_finding(p, i);
        if (i >= n || i >= nwant || strcmp(got, want[i]) != 0)
            fail_msg("finding %zu: got \"%s\", wanted \"%s\"", i, got ? got : "(none)",
                     i < nwant ? want[i] : "(none)");
    }
    assert_int_equal(n, nwant);
    assert_null(itsm_policy_finding(p, n));
    assert_null(itsm_policy_finding(NULL, 0));
    /* Checking twice gives the same report. */
    assert_int_equal(itsm_policy_check(p), n);
    assert_string_equal(itsm_policy_finding(p, 0), want[0]);

    itsm_engine *eng = (itsm_engine *)&eng;
    itsm_engine_opts o = ITSM_ENGINE_OPTS_INIT;
    o.policy = p;
    assert_int_equal(itsm_engine_new(&eng, &o), ITSM_EPOLICY);
    assert_null(eng);

    char *doc = to_json(p);
    itsm_policy *q = (itsm_policy *)&q;
    itsm_parse_error err;
    assert_int_equal(itsm_policy_from_json(&q, doc, strlen(doc), NULL, NULL, &err), ITSM_EPOLICY);
    assert_null(q);
    assert_int_equal(err.code, ITSM_EPOLICY);
    assert_non_null(strstr(err.text, want[0]));
    if (nwant > 1) {
        char more[32];
        snprintf(more, sizeof more, "(and %zu more)", nwant - 1);
        assert_non_null(strstr(err.text, more));
    }
    assert_ok(itsm_policy_parse_json(&q, doc, strlen(doc), NULL, NULL, &err));
    assert_int_equal(itsm_policy_check(q), nwant);
    for (size_t i = 0; i < nwant; i++)
        assert_string_equal(itsm_policy_finding(q, i), want[i]);
    itsm_policy_free(q);
    free(doc);
}

static void check_finds_a_state_nothing_can_reach(void **state)
{
    (void)state;
    itsm_policy *p = small_policy();
    assert_ok(itsm_policy_add_state(p, ITSM_KIND_INCIDENT, "limbo", 0));
    assert_ok(add_tr(p, ITSM_KIND_INCIDENT, "limbo", "finish", "done", NULL, NULL, NULL));
    const char *want[] = { "incident: state 'limbo' is unreachable from 'new'", NULL };
    expect_findings(p, want);
    /* Reachable only from a closed state is still reachable. */
    assert_ok(itsm_policy_add_event(p, ITSM_KIND_INCIDENT, "revive"));
    assert_ok(add_tr(p, ITSM_KIND_INCIDENT, "done", "revive", "limbo", NULL, NULL, NULL));
    assert_int_equal(itsm_policy_check(p), 0);
    itsm_policy_free(p);

    /* An unreachable closed state, and a chain of them. */
    p = small_policy();
    assert_ok(itsm_policy_add_state(p, ITSM_KIND_INCIDENT, "orphan", 0));
    assert_ok(itsm_policy_add_state(p, ITSM_KIND_INCIDENT, "archived", ITSM_STATE_CLOSED));
    assert_ok(add_tr(p, ITSM_KIND_INCIDENT, "orphan", "finish", "archived", NULL, NULL, NULL));
    const char *want2[] = { "incident: state 'orphan' is unreachable from 'new'",
                            "incident: state 'archived' is unreachable from 'new'", NULL };
    expect_findings(p, want2);
    itsm_policy_free(p);
}

static void check_finds_an_open_state_with_no_way_out(void **state)
{
    (void)state;
    itsm_policy *p = small_policy();
    assert_ok(itsm_policy_lifecycle_clear(p, ITSM_KIND_INCIDENT));
    assert_ok(itsm_policy_add_state(p, ITSM_KIND_INCIDENT, "new", ITSM_STATE_INITIAL));
    assert_ok(itsm_policy_add_state(p, ITSM_KIND_INCIDENT, "stuck", 0));
    assert_ok(itsm_policy_add_state(p, ITSM_KIND_INCIDENT, "done", ITSM_STATE_CLOSED));
    assert_ok(itsm_policy_add_event(p, ITSM_KIND_INCIDENT, "park"));
    assert_ok(itsm_policy_add_event(p, ITSM_KIND_INCIDENT, "finish"));
    assert_ok(add_tr(p, ITSM_KIND_INCIDENT, "new", "park", "stuck", NULL, NULL, NULL));
    assert_ok(add_tr(p, ITSM_KIND_INCIDENT, "new", "finish", "done", NULL, NULL, NULL));
    const char *want[] = { "incident: open state 'stuck' has no way out", NULL };
    expect_findings(p, want);
    /* A "*" transition is a way out of every open state. */
    assert_ok(itsm_policy_add_event(p, ITSM_KIND_INCIDENT, "drop"));
    assert_ok(add_tr(p, ITSM_KIND_INCIDENT, "*", "drop", "done", NULL, NULL, NULL));
    assert_int_equal(itsm_policy_check(p), 0);
    itsm_policy_free(p);

    /* A closed state needs no way out; an initial state does. */
    itsm_policy *q;
    assert_ok(itsm_policy_new_empty(&q, NULL));
    assert_ok(itsm_policy_add_state(q, ITSM_KIND_PROBLEM, "only", ITSM_STATE_INITIAL));
    const char *want2[] = { "problem: open state 'only' has no way out", NULL };
    expect_findings(q, want2);
    itsm_policy_free(q);
}

static void check_finds_a_guard_on_a_field_no_step_sets(void **state)
{
    (void)state;
    itsm_policy *p;
    assert_ok(itsm_policy_new_empty(&p, NULL));
    const itsm_kind k = ITSM_KIND_SERVICE_REQUEST;
    assert_ok(itsm_policy_add_state(p, k, "new", ITSM_STATE_INITIAL));
    assert_ok(itsm_policy_add_state(p, k, "done", ITSM_STATE_CLOSED));
    assert_ok(itsm_policy_add_event(p, k, "close"));
    assert_ok(itsm_policy_add_event(p, k, "redo"));
    assert_ok(add_tr(p, k, "new", "close", "done", "resolved_at", "closed_at", NULL));
    assert_ok(add_tr(p, k, "done", "redo", "new", "reopens responded_at|closed_at", NULL, NULL));
    const char *want[] = {
        "service_request: state 'new': guard of 'close' needs field 'resolved_at', which no step sets",
        "service_request: state 'done': guard of 'redo' needs field 'reopens', which no step sets",
        NULL
    };
    expect_findings(p, want);
    itsm_policy_free(p);

    /* Once a step stamps resolved_at and one counts reopens, both guards
     * can hold; "a|b" needs only one settable field. The engine's own
     * fields opened_at, updated_at and reassignments always count. */
    assert_ok(itsm_policy_new_empty(&p, NULL));
    assert_ok(itsm_policy_add_state(p, k, "new", ITSM_STATE_INITIAL));
    assert_ok(itsm_policy_add_state(p, k, "solved", 0));
    assert_ok(itsm_policy_add_state(p, k, "done", ITSM_STATE_CLOSED));
    assert_ok(itsm_policy_add_event(p, k, "solve"));
    assert_ok(itsm_policy_add_event(p, k, "close"));
    assert_ok(itsm_policy_add_event(p, k, "redo"));
    assert_ok(add_tr(p, k, "new", "solve", "solved", "opened_at updated_at reassignments", "resolved_at", NULL));
    assert_ok(add_tr(p, k, "solved", "close", "done", "resolved_at", "closed_at", NULL));
    itsm_transition_def d = ITSM_TRANSITION_DEF_INIT;
    d.from = "done";
    d.event = "redo";
    d.to = "new";
    d.guard = "reopens|responded_at closed_at";
    d.counts_reopen = 1;
    assert_ok(itsm_policy_add_transition(p, k, &d));
    assert_int_equal(itsm_policy_check(p), 0);
    itsm_policy_free(p);
}

static void check_finds_an_event_no_transition_uses(void **state)
{
    (void)state;
    itsm_policy *p = small_policy();
    assert_ok(itsm_policy_add_event(p, ITSM_KIND_INCIDENT, "ping"));
    const char *want[] = { "incident: event 'ping' is used by no transition", NULL };
    expect_findings(p, want);
    itsm_policy_free(p);
}

static void check_finds_a_lifecycle_without_an_initial_state(void **state)
{
    (void)state;
    itsm_policy *p;
    assert_ok(itsm_policy_new_default(&p, NULL));
    assert_ok(itsm_policy_lifecycle_clear(p, ITSM_KIND_KNOWLEDGE));
    assert_ok(itsm_policy_add_state(p, ITSM_KIND_KNOWLEDGE, "draft", 0));
    assert_ok(itsm_policy_add_state(p, ITSM_KIND_KNOWLEDGE, "gone", ITSM_STATE_CLOSED));
    assert_ok(itsm_policy_add_event(p, ITSM_KIND_KNOWLEDGE, "retire"));
    assert_ok(add_tr(p, ITSM_KIND_KNOWLEDGE, "draft", "retire", "gone", NULL, NULL, NULL));
    const char *want[] = { "knowledge: no initial state", NULL };
    expect_findings(p, want);
    itsm_policy_free(p);

    /* Events alone make a lifecycle too. */
    assert_ok(itsm_policy_new_empty(&p, NULL));
    assert_ok(itsm_policy_add_event(p, ITSM_KIND_CHANGE, "go"));
    const char *want2[] = { "change: no initial state", NULL };
    expect_findings(p, want2);
    itsm_policy_free(p);
}

static void check_lists_every_finding_of_every_lifecycle(void **state)
{
    (void)state;
    itsm_policy *p = small_policy();
    assert_ok(itsm_policy_add_state(p, ITSM_KIND_INCIDENT, "limbo", 0));        /* unreachable */
    assert_ok(itsm_policy_add_event(p, ITSM_KIND_INCIDENT, "ping"));            /* unused */
    assert_ok(itsm_policy_add_event(p, ITSM_KIND_INCIDENT, "seal"));
    assert_ok(add_tr(p, ITSM_KIND_INCIDENT, "done", "seal", "done", "closed_at reopens", NULL, NULL));
    assert_ok(itsm_policy_add_state(p, ITSM_KIND_PROBLEM, "new", ITSM_STATE_INITIAL));
    assert_ok(itsm_policy_add_state(p, ITSM_KIND_PROBLEM, "stuck", 0));         /* no way out */
    assert_ok(itsm_policy_add_event(p, ITSM_KIND_PROBLEM, "go"));
    assert_ok(add_tr(p, ITSM_KIND_PROBLEM, "new", "go", "stuck", NULL, NULL, NULL));
    assert_ok(itsm_policy_add_state(p, ITSM_KIND_CHANGE, "new", 0));            /* no initial */
    const char *want[] = {
        "incident: state 'limbo' is unreachable from 'new'",
        "incident: state 'done': guard of 'seal' needs field 'reopens', which no step sets",
        "incident: event 'ping' is used by no transition",
        "problem: open state 'stuck' has no way out",
        "change: no initial state",
        NULL
    };
    expect_findings(p, want);
    itsm_policy_free(p);
}

static void the_default_policy_checks_clean(void **state)
{
    (void)state;
    itsm_policy *p;
    assert_ok(itsm_policy_new_default(&p, NULL));
    assert_int_equal(itsm_policy_check(p), 0);
    assert_null(itsm_policy_finding(p, 0));
    assert_int_equal(itsm_policy_check(NULL), 0);
    itsm_policy_free(p);
}

/* ---- data-driven invalid documents --------------------------------------------- */

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void invalid_policy_documents_are_refused_at_the_right_place(void **state)
{
    (void)state;
    const char *root = ITSM_TEST_DATA "/policy/invalid";
    DIR *dir = opendir(root);
    if (!dir)
        fail_msg("cannot open %s", root);
    char *names[256];
    size_t n = 0;
    for (struct dirent *de; (de = readdir(dir)) != NULL;) {
        if (de->d_name[0] == '.')
            continue;
        assert_true(n < 256);
        names[n] = malloc(strlen(de->d_name) + 1);
        strcpy(names[n++], de->d_name);
    }
    closedir(dir);
    qsort(names, n, sizeof *names, cmp_str);
    assert_true(n >= 12);
    int failures = 0;
    for (size_t i = 0; i < n; i++) {
        char path[1024];
        size_t ilen, elen;
        snprintf(path, sizeof path, "%s/%s/input", root, names[i]);
        char *input = read_file(path, &ilen);
        snprintf(path, sizeof path, "%s/%s/error", root, names[i]);
        char *expect = read_file(path, &elen);
        if (!input || !expect)
            fail_msg("%s: needs input and error files", names[i]);
        size_t line, column;
        char code[32];
        int used = 0;
        if (sscanf(expect, "%zu %zu %31s %n", &line, &column, code, &used) != 3)
            fail_msg("%s: bad error file", names[i]);
        char *needle = expect + used;
        needle[strcspn(needle, "\r\n")] = '\0';

        itsm_policy *p = (itsm_policy *)&p;
        itsm_parse_error err;
        memset(&err, 0xAB, sizeof err);
        int rc = itsm_policy_from_json(&p, input, ilen, NULL, NULL, &err);
        int ok = strcmp(itsm_errname(rc), code) == 0 && err.code == rc && err.line == line &&
                 err.column == column && strstr(err.text, needle) != NULL && p == NULL;
        if (!ok) {
            print_error("%s: got %s (err.code %s) at %zu:%zu \"%s\", wanted %s at %zu:%zu containing \"%s\"\n",
                        names[i], itsm_errname(rc), itsm_errname(err.code), err.line, err.column, err.text,
                        code, line, column, needle);
            failures++;
        }
        /* Without the check, only lifecycle findings pass. */
        p = NULL;
        rc = itsm_policy_parse_json(&p, input, ilen, NULL, NULL, NULL);
        if (strcmp(code, "ITSM_EPOLICY") == 0) {
            if (rc != ITSM_OK || !p || itsm_policy_check(p) == 0) {
                print_error("%s: parse_json gave %s or a clean check\n", names[i], itsm_errname(rc));
                failures++;
            }
        } else if (strcmp(itsm_errname(rc), code) != 0 || p) {
            print_error("%s: parse_json gave %s\n", names[i], itsm_errname(rc));
            failures++;
        }
        itsm_policy_free(p);
        free(input);
        free(expect);
        free(names[i]);
    }
    if (failures)
        fail_msg("%d of %zu invalid policy documents misreported", failures, n);
}

/* ---- the ServiceNow-style example ----------------------------------------------- */

static void servicenow_style_incident_policy_parses_checks_and_drives_a_record(void **state)
{
    (void)state;
    size_t len;
    char *doc = read_file(ITSM_TEST_DATA "/policy/servicenow_incident.json", &len);
    assert_non_null(doc);
    itsm_policy *p;
    itsm_parse_error err;
    int rc = itsm_policy_from_json(&p, doc, len, NULL, NULL, &err);
    if (rc)
        fail_msg("%s at %zu:%zu: %s", itsm_errname(rc), err.line, err.column, err.text);
    assert_int_equal(itsm_policy_check(p), 0);
    /* It round-trips like any policy. */
    char *a = to_json(p);
    itsm_policy *q;
    assert_ok(itsm_policy_from_json(&q, a, strlen(a), NULL, NULL, NULL));
    char *b = to_json(q);
    assert_string_equal(a, b);
    itsm_policy_free(q);
    free(a);
    free(b);

    fixture f;
    open_with(&f, p);
    itsm_record *r;
    itsm_change init[] = { { ITSM_F_SUMMARY, "Cannot print", 0 }, { ITSM_F_CALLER, "frank", 0 },
                           { ITSM_F_IMPACT, NULL, 3 }, { ITSM_F_URGENCY, NULL, 2 } };
    itsm_record_opts o = ITSM_RECORD_OPTS_INIT;
    o.fields = init;
    o.nfields = 4;
    assert_ok(itsm_record_open(&r, f.eng, &o));
    assert_string_equal(itsm_record_state(r), "new");
    assert_int_equal(itsm_record_int(r, ITSM_F_PRIORITY), 4);
    assert_fails(f.eng, itsm_record_fire(r, "start", NULL, 0), ITSM_EGUARD,
                 "transition 'start' from 'new' needs fields 'assignment_group', 'assignee'");
    itsm_change s[] = { { ITSM_F_ASSIGNMENT_GROUP, "desk", 0 }, { ITSM_F_ASSIGNEE, "gina", 0 } };
    f.clock.now += 300;
    assert_ok(itsm_record_fire(r, "start", s, 2));
    assert_string_equal(itsm_record_state(r), "active");
    assert_int_equal(itsm_record_int(r, ITSM_F_RESPONDED_AT), T0 + 300);
    const char *waits[][2] = { { "await_user_info", "awaiting_user_info" },
                               { "await_vendor", "awaiting_vendor" },
                               { "await_problem", "awaiting_problem" },
                               { "await_evidence", "awaiting_evidence" } };
    for (size_t i = 0; i < 4; i++) {
        itsm_change why = { ITSM_F_HOLD_REASON, "waiting", 0 };
        if (strcmp(waits[i][0], "await_vendor") == 0) {
            assert_fails(f.eng, itsm_record_fire(r, waits[i][0], &why, 1), ITSM_EGUARD,
                         "transition 'await_vendor' from 'active' needs field 'ci'");
            assert_ok(itsm_record_set_str(r, ITSM_F_CI, "printer-7"));
        }
        assert_ok(itsm_record_fire(r, waits[i][0], &why, 1));
        assert_string_equal(itsm_record_state(r), waits[i][1]);
        assert_fails(f.eng, itsm_record_fire(r, "close", NULL, 0), ITSM_ETRANSITION, "no transition 'close'");
        assert_ok(itsm_record_fire(r, "resume", NULL, 0));
        assert_string_equal(itsm_record_state(r), "active");
        assert_false(itsm_record_has(r, ITSM_F_HOLD_REASON));
    }
    itsm_change res[] = { { ITSM_F_RESOLUTION_CODE, "solved_permanently", 0 },
                          { ITSM_F_RESOLUTION_NOTES, "driver reinstalled", 0 } };
    f.clock.now += 300;
    assert_ok(itsm_record_fire(r, "resolve", res, 2));
    assert_string_equal(itsm_record_state(r), "resolved");
    assert_int_equal(itsm_record_int(r, ITSM_F_RESOLVED_AT), T0 + 600);
    assert_ok(itsm_record_fire(r, "reopen", NULL, 0));
    assert_int_equal(itsm_record_int(r, ITSM_F_REOPENS), 1);
    assert_ok(itsm_record_fire(r, "resolve", NULL, 0));
    assert_fails(f.eng, itsm_record_fire(r, "close", NULL, 0), ITSM_EGUARD,
                 "transition 'close' from 'resolved' needs field 'category'");
    itsm_change cat = { ITSM_F_CATEGORY, "hardware", 0 };
    f.clock.now += 300;
    assert_ok(itsm_record_fire(r, "close", &cat, 1));
    assert_string_equal(itsm_record_state(r), "closed");
    assert_false(itsm_record_is_open(r));
    assert_int_equal(itsm_record_int(r, ITSM_F_CLOSED_AT), T0 + 900);
    assert_fails(f.eng, itsm_record_fire(r, "cancel", NULL, 0), ITSM_ETRANSITION,
                 "no transition 'cancel' from 'closed'");
    /* Cancel from an open state. */
    assert_ok(itsm_record_open(&r, f.eng, &o));
    assert_ok(itsm_record_fire(r, "cancel", NULL, 0));
    assert_string_equal(itsm_record_state(r), "canceled");
    /* The document holds only an incident lifecycle. */
    o.kind = ITSM_KIND_PROBLEM;
    o.fields = NULL;
    o.nfields = 0;
    assert_fails(f.eng, itsm_record_open(&r, f.eng, &o), ITSM_ENOTFOUND, "no lifecycle for problem");
    fixture_close(&f);
    itsm_policy_free(p);
    free(doc);
}

/* The incident lifecycle new --resolve--> resolved --close--> closed, plus
 * resolved --auto_close--> `ac_to` with `stamp` on resolve. */
static itsm_policy *stamp_policy(const char *stamp, const char *ac_to)
{
    itsm_policy *pol;
    assert_ok(itsm_policy_new_default(&pol, NULL));
    assert_ok(itsm_policy_lifecycle_clear(pol, ITSM_KIND_INCIDENT));
    assert_ok(itsm_policy_add_state(pol, ITSM_KIND_INCIDENT, "new", ITSM_STATE_INITIAL));
    assert_ok(itsm_policy_add_state(pol, ITSM_KIND_INCIDENT, "resolved", 0));
    assert_ok(itsm_policy_add_state(pol, ITSM_KIND_INCIDENT, "closed", ITSM_STATE_CLOSED));
    assert_ok(itsm_policy_add_event(pol, ITSM_KIND_INCIDENT, "resolve"));
    assert_ok(itsm_policy_add_event(pol, ITSM_KIND_INCIDENT, "close"));
    assert_ok(itsm_policy_add_event(pol, ITSM_KIND_INCIDENT, "auto_close"));
    itsm_transition_def t = ITSM_TRANSITION_DEF_INIT;
    t.from = "new"; t.event = "resolve"; t.to = "resolved"; t.stamp = stamp;
    assert_ok(itsm_policy_add_transition(pol, ITSM_KIND_INCIDENT, &t));
    itsm_transition_def c = ITSM_TRANSITION_DEF_INIT;
    c.from = "resolved"; c.event = "close"; c.to = "closed";
    assert_ok(itsm_policy_add_transition(pol, ITSM_KIND_INCIDENT, &c));
    itsm_transition_def a = ITSM_TRANSITION_DEF_INIT;
    a.from = "resolved"; a.event = "auto_close"; a.to = ac_to;
    assert_ok(itsm_policy_add_transition(pol, ITSM_KIND_INCIDENT, &a));
    return pol;
}

/* A stamp naming a field twice ("resolved_at resolved_at") puts it once
 * into the step's event, whose JSON then replays (a duplicate key would
 * not). */
static void a_field_stamped_twice_replays(void **state)
{
    (void)state;
    itsm_policy *pol = stamp_policy("resolved_at resolved_at", "closed");
    fixture f;
    open_with(&f, pol);
    itsm_policy_free(pol);
    itsm_record_opts o = ITSM_RECORD_OPTS_INIT;
    itsm_record *r;
    assert_ok(itsm_record_open(&r, f.eng, &o));
    f.clock.now += 60;
    assert_ok(itsm_record_fire(r, "resolve", NULL, 0));
    assert_int_equal(itsm_record_int(r, ITSM_F_RESOLVED_AT), T0 + 60);
    itsm_engine *e2;
    itsm_engine_opts eo = ITSM_ENGINE_OPTS_INIT;
    eo.policy = itsm_engine_policy(f.eng);
    assert_ok(itsm_engine_new(&e2, &eo));
    for (size_t i = 0; i < f.store.n; i++) {
        itsm_parse_error err;
        int rc = itsm_engine_replay_json(e2, f.store.events[i], strlen(f.store.events[i]), &err);
        if (rc)
            fail_msg("replay of %s: %s", f.store.events[i], itsm_errmsg(e2));
    }
    char *a = engine_dump(f.eng), *b = engine_dump(e2);
    assert_string_equal(a, b);
    free(a);
    free(b);
    itsm_engine_free(e2);
    fixture_close(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_field_stamped_twice_replays),
        cmocka_unit_test(builder_rejects_bad_state_and_event_names),
        cmocka_unit_test(builder_rejects_duplicate_states_and_events),
        cmocka_unit_test(builder_rejects_a_second_initial_state),
        cmocka_unit_test(transition_names_the_unknown_state_or_event),
        cmocka_unit_test(transition_rejects_malformed_guards_stamps_and_clears),
        cmocka_unit_test(transition_rejects_a_second_transition_for_the_same_state_and_event),
        cmocka_unit_test(custom_lifecycle_replaces_the_incident_one_in_an_engine),
        cmocka_unit_test(a_kind_without_a_lifecycle_cannot_be_opened),
        cmocka_unit_test(default_priority_matrix_is_the_design_one),
        cmocka_unit_test(priority_matrix_set_get_and_range_errors),
        cmocka_unit_test(record_priority_is_derived_from_impact_and_urgency),
        cmocka_unit_test(a_policy_with_another_matrix_changes_the_derivation),
        cmocka_unit_test(default_policy_json_round_trips_byte_for_byte),
        cmocka_unit_test(custom_and_empty_policies_round_trip),
        cmocka_unit_test(document_member_order_and_layout_do_not_matter),
        cmocka_unit_test(an_engine_from_the_parsed_policy_behaves_like_the_default),
        cmocka_unit_test(to_json_follows_the_snprintf_contract),
        cmocka_unit_test(from_json_rejects_null_arguments_and_leaves_out_null),
        cmocka_unit_test(check_finds_a_state_nothing_can_reach),
        cmocka_unit_test(check_finds_an_open_state_with_no_way_out),
        cmocka_unit_test(check_finds_a_guard_on_a_field_no_step_sets),
        cmocka_unit_test(check_finds_an_event_no_transition_uses),
        cmocka_unit_test(check_finds_a_lifecycle_without_an_initial_state),
        cmocka_unit_test(check_lists_every_finding_of_every_lifecycle),
        cmocka_unit_test(the_default_policy_checks_clean),
        cmocka_unit_test(invalid_policy_documents_are_refused_at_the_right_place),
        cmocka_unit_test(servicenow_style_incident_policy_parses_checks_and_drives_a_record),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
