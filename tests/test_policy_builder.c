/* SPDX-License-Identifier: Apache-2.0 */
/* The policy builder and its errors: state and event names, duplicates, a
 * second initial state, transitions naming unknown states or events,
 * malformed guards, stamps and clears, guard values a field cannot hold, a
 * second transition for one state and event, a custom lifecycle in an
 * engine, a kind without a lifecycle. */
#include "policy_check.h"

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

/* A guard "field=value" whose value the field cannot hold never holds:
 * refused when the transition is added, as an enum's unknown value is -
 * an int outside its range, a bool other than 0 or 1. 0 is what an unset
 * int or bool reads as, so it may be compared with. */
static void a_guard_value_the_field_cannot_hold_is_refused(void **state)
{
    (void)state;
    itsm_policy *p = small_policy();
    static const char *const tiers[] = { "gold", "silver" };
    itsm_field_def fd = ITSM_FIELD_DEF_INIT;
    fd.name = "tier";
    fd.type = ITSM_TYPE_ENUM;
    fd.values = tiers;
    fd.nvalues = 2;
    assert_ok(itsm_policy_add_field(p, &fd, NULL));
    itsm_field_def sd = ITSM_FIELD_DEF_INIT;
    sd.name = "seats";
    sd.type = ITSM_TYPE_INT;
    sd.min = 1;
    sd.max = 10;
    assert_ok(itsm_policy_add_field(p, &sd, NULL));
    itsm_field_def bd = ITSM_FIELD_DEF_INIT;
    bd.name = "vip";
    bd.type = ITSM_TYPE_BOOL;
    assert_ok(itsm_policy_add_field(p, &bd, NULL));
    assert_ok(itsm_policy_add_event(p, ITSM_KIND_INCIDENT, "poke"));
    static const struct { const char *guard, *needle; } bad[] = {
        { "tier=platinum", "guard term 'tier=platinum': 'platinum' is not a value of field 'tier'" },
        { "impact=7", "guard term 'impact=7': 7 is not a value of field 'impact' (1..3)" },
        { "urgency=4", "guard term 'urgency=4': 4 is not a value of field 'urgency' (1..3)" },
        { "priority=6", "guard term 'priority=6': 6 is not a value of field 'priority' (1..5)" },
        { "functional_level=4", "guard term 'functional_level=4': 4 is not a value of field 'functional_level' (1..3)" },
        { "hierarchical_level=10", "10 is not a value of field 'hierarchical_level' (0..9)" },
        { "major=2", "guard term 'major=2': 2 is not a value of field 'major' (0..1)" },
        { "contact_verified=9", "9 is not a value of field 'contact_verified' (0..1)" },
        { "reopens=9999999999", "9999999999 is not a value of field 'reopens' (0..2147483647)" },
        { "seats=11", "guard term 'seats=11': 11 is not a value of field 'seats' (1..10)" },
        { "vip=2", "guard term 'vip=2': 2 is not a value of field 'vip' (0..1)" },
    };
    char *before = to_json(p);
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int rc = add_tr(p, ITSM_KIND_INCIDENT, "work", "poke", "work", bad[i].guard, NULL, NULL);
        const char *msg = itsm_policy_errmsg(p);
        if (rc != ITSM_EINVAL || !strstr(msg, bad[i].needle) ||
            !strstr(msg, "incident: transition work --poke--> work: "))
            fail_msg("guard \"%s\": got %s \"%s\", wanted ITSM_EINVAL containing \"%s\"", bad[i].guard,
                     itsm_errname(rc), msg, bad[i].needle);
        char *now = to_json(p);
        assert_string_equal(now, before);
        free(now);
    }
    /* The range's ends, and 0 (unset), are values. */
    assert_ok(add_tr(p, ITSM_KIND_INCIDENT, "work", "poke", "work",
                     "tier=silver impact=3 impact=0 priority=5 functional_level=1 hierarchical_level=9 major=1 "
                     "major=0 reassignments=2147483647 seats=10 seats=1 seats=0 vip=1",
                     NULL, NULL));
    assert_int_equal(itsm_policy_check(p), 0);
    free(before);
    itsm_policy_free(p);

    /* The document reader refuses the same, at the transition. */
    static const char doc[] =
        "{\"itsm_policy\":1,\"lifecycles\":{\"incident\":{\"states\":[{\"name\":\"new\",\"initial\":true},"
        "{\"name\":\"done\",\"closed\":true}],\"events\":[\"finish\"],\"transitions\":[{\"from\":\"new\","
        "\"event\":\"finish\",\"to\":\"done\",\"guard\":\"impact=7\"}]}}}";
    itsm_policy *q = (itsm_policy *)&q;
    itsm_parse_error err;
    assert_int_equal(itsm_policy_parse_json(&q, doc, strlen(doc), NULL, NULL, &err), ITSM_EPARSE);
    assert_null(q);
    assert_non_null(strstr(err.text, "7 is not a value of field 'impact' (1..3)"));
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
    fixture_open_with(&f, p, NULL);
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
    fixture_open_with(&f, p, NULL);
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
    fixture_open_with(&f, p, NULL);
    itsm_record *r;
    itsm_record_opts o = ITSM_RECORD_OPTS_INIT;
    o.kind = ITSM_KIND_CHANGE;
    assert_fails(f.eng, itsm_record_open(&r, f.eng, &o), ITSM_ENOTFOUND,
                 "the policy has no lifecycle for change records");
    assert_int_equal(f.store.n, 0);
    fixture_close(&f);
    itsm_policy_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(builder_rejects_bad_state_and_event_names),
        cmocka_unit_test(builder_rejects_duplicate_states_and_events),
        cmocka_unit_test(builder_rejects_a_second_initial_state),
        cmocka_unit_test(transition_names_the_unknown_state_or_event),
        cmocka_unit_test(transition_rejects_malformed_guards_stamps_and_clears),
        cmocka_unit_test(a_guard_value_the_field_cannot_hold_is_refused),
        cmocka_unit_test(transition_rejects_a_second_transition_for_the_same_state_and_event),
        cmocka_unit_test(custom_lifecycle_replaces_the_incident_one_in_an_engine),
        cmocka_unit_test(a_kind_without_a_lifecycle_cannot_be_opened),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
