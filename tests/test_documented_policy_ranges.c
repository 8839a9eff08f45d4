/* SPDX-License-Identifier: Apache-2.0 */
/* The ranges docs/policy.md and docs/service-levels.md give for the
 * policy document's members, read at both ends: the documented bound is
 * taken, one past it is refused by the reader with the member's line and
 * column (ITSM_EPARSE, or ITSM_ELIMIT for a count). A newcomer writing a
 * policy relies on these tables; a bound that moved in the reader and not
 * in the table would make a valid-looking document fail at start-up. */
#include "support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- building documents --------------------------------------------------- */

typedef struct buf { char *s; size_t n, cap; } buf;

static void put(buf *b, const char *fmt, ...)
{
    va_list ap;
    if (!b->s) {   /* room first: vsnprintf into NULL + 0 is a null offset */
        b->cap = 256;
        b->s = malloc(b->cap);
        assert_non_null(b->s);
    }
    for (;;) {
        va_start(ap, fmt);
        int w = vsnprintf(b->s + b->n, b->cap - b->n, fmt, ap);
        va_end(ap);
        assert_true(w >= 0);
        if (b->n + (size_t)w < b->cap) {
            b->n += (size_t)w;
            return;
        }
        b->cap = (b->cap + (size_t)w) * 2 + 64;
        b->s = realloc(b->s, b->cap);
        assert_non_null(b->s);
    }
}

static buf start(void)
{
    buf b = { NULL, 0, 0 };
    put(&b, "{\"itsm_policy\":1,\n");
    return b;
}

/* Parse the document (no lifecycle check: the ranges are the reader's). */
static int parse(buf *b, itsm_parse_error *err)
{
    put(b, "\n}");
    itsm_policy *p = NULL;
    int rc = itsm_policy_parse_json(&p, b->s, b->n, NULL, NULL, err);
    if (rc == ITSM_OK)
        assert_non_null(p);
    else
        assert_null(p);
    itsm_policy_free(p);
    free(b->s);
    b->s = NULL;
    return rc;
}

#define TAKEN(b) do {                                                         \
        itsm_parse_error e_;                                                  \
        int rc_ = parse(&(b), &e_);                                           \
        if (rc_ != ITSM_OK)                                                   \
            fail_msg("line %d: refused %s %zu:%zu %s", __LINE__,              \
                     itsm_errname(rc_), e_.line, e_.column, e_.text);         \
    } while (0)

/* Refused with a position, the text naming `needle`. */
#define REFUSED(b, needle) do {                                               \
        itsm_parse_error e_;                                                  \
        int rc_ = parse(&(b), &e_);                                           \
        if ((rc_ != ITSM_EPARSE && rc_ != ITSM_ELIMIT) || e_.line < 1 ||      \
            e_.column < 1 || !strstr(e_.text, (needle)))                      \
            fail_msg("line %d: got %s %zu:%zu \"%s\", wanted a refusal "      \
                     "naming \"%s\"", __LINE__, itsm_errname(rc_), e_.line,   \
                     e_.column, e_.text, (needle));                           \
    } while (0)

/* ---- oncall (docs/policy.md, oncall) --------------------------------------- */

/* One escalation policy with `steps` steps of `targets` targets, `services`
 * services, the given repeat, max_priority and ack_timeout. */
static buf oncall(int window, int steps, int targets, int services, int repeat, int maxp, int ack)
{
    buf b = start();
    put(&b, "\"oncall\":{\"group_window\":%d,\"policies\":[{\"name\":\"p\",\"services\":[", window);
    for (int i = 0; i < services; i++)
        put(&b, "%s\"s%d\"", i ? "," : "", i);
    put(&b, "],\"max_priority\":%d,\"repeat\":%d,\"steps\":[", maxp, repeat);
    for (int s = 0; s < steps; s++) {
        put(&b, "%s{\"targets\":[", s ? "," : "");
        for (int t = 0; t < targets; t++)
            put(&b, "%s\"t%d\"", t ? "," : "", t);
        put(&b, "],\"ack_timeout\":%d}", ack);
    }
    put(&b, "]}]}");
    return b;
}

static void oncall_members_take_their_documented_bounds(void **state)
{
    (void)state;
    buf b;
    b = oncall(1440, 8, 8, 16, 9, 5, 1440); TAKEN(b);
    b = oncall(0, 1, 1, 0, 0, 1, 1);        TAKEN(b);
    b = oncall(1441, 1, 1, 0, 0, 5, 1);     REFUSED(b, "group_window");
    b = oncall(-1, 1, 1, 0, 0, 5, 1);       REFUSED(b, "group_window");
    b = oncall(10, 9, 1, 0, 0, 5, 1);       REFUSED(b, "steps");
    b = oncall(10, 1, 9, 0, 0, 5, 1);       REFUSED(b, "targets");
    b = oncall(10, 1, 1, 17, 0, 5, 1);      REFUSED(b, "services");
    b = oncall(10, 1, 1, 0, 10, 5, 1);      REFUSED(b, "repeat");
    b = oncall(10, 1, 1, 0, -1, 5, 1);      REFUSED(b, "repeat");
    b = oncall(10, 1, 1, 0, 0, 6, 1);       REFUSED(b, "max_priority");
    b = oncall(10, 1, 1, 0, 0, 0, 1);       REFUSED(b, "max_priority");
    b = oncall(10, 1, 1, 0, 0, 5, 1441);    REFUSED(b, "ack_timeout");
    b = oncall(10, 1, 1, 0, 0, 5, 0);       REFUSED(b, "ack_timeout");
}

/* ITSM_ONCALL_MAX_POLICIES: 32 escalation policies, no more. */
static void at_most_32_escalation_policies(void **state)
{
    (void)state;
    for (int n = 32; n <= 33; n++) {
        buf b = start();
        put(&b, "\"oncall\":{\"policies\":[");
        for (int i = 0; i < n; i++)
            put(&b, "%s{\"name\":\"p%d\",\"steps\":[{\"targets\":[\"a\"],\"ack_timeout\":5}]}", i ? "," : "", i);
        put(&b, "]}");
        if (n == 32)
            TAKEN(b);
        else
            REFUSED(b, "policies");
    }
}

/* "max_priority ... (default 5)", "repeat ... (default 0)": a policy that
 * leaves them out pages a P5 incident and climbs once. */
static void an_oncall_policy_without_max_priority_or_repeat_takes_p5_once(void **state)
{
    (void)state;
    /* The default policy's document (a document without lifecycles opens
     * no record), its oncall member replaced. */
    itsm_policy *def;
    assert_ok(itsm_policy_new_default(&def, NULL));
    size_t len = 0;
    assert_int_equal(itsm_policy_to_json(def, NULL, 0, &len), ITSM_ELIMIT);
    char *doc = malloc(len + 1);
    assert_ok(itsm_policy_to_json(def, doc, len + 1, &len));
    itsm_policy_free(def);
    static const char was[] = "\"oncall\":{\"group_window\":0,\"policies\":[]}";
    static const char now[] = "\"oncall\":{\"policies\":[{\"name\":\"p\","
                              "\"steps\":[{\"targets\":[\"ann\"],\"ack_timeout\":5}]}]}";
    char *at = strstr(doc, was);
    assert_non_null(at);
    buf b = { NULL, 0, 0 };
    put(&b, "%.*s%s%s", (int)(at - doc), doc, now, at + strlen(was));
    free(doc);
    itsm_policy *p;
    itsm_parse_error err;
    assert_ok(itsm_policy_from_json(&p, b.s, b.n, NULL, NULL, &err));
    free(b.s);
    fixture f;
    fixture_open_with(&f, p, NULL);
    itsm_change c[] = { { ITSM_F_SUMMARY, "slow", 0 }, { ITSM_F_IMPACT, NULL, 3 }, { ITSM_F_URGENCY, NULL, 3 } };
    itsm_record_opts o = ITSM_RECORD_OPTS_INIT;
    o.fields = c;
    o.nfields = 3;
    itsm_record *r;
    assert_ok(itsm_record_open(&r, f.eng, &o));
    assert_int_equal(itsm_record_int(r, ITSM_F_PRIORITY), 5);
    itsm_oncall_info oi = { .size = sizeof oi };
    assert_ok(itsm_record_oncall(&oi, r));
    assert_int_equal(oi.status, ITSM_ONCALL_PAGING);
    /* One round (repeat 0): the timeout of its only step ends the climb. */
    f.clock.now = T0 + 5 * 60;
    size_t fired = 0;
    assert_ok(itsm_engine_tick(f.eng, f.clock.now, &fired));
    assert_ok(itsm_record_oncall(&oi, r));
    assert_int_equal(oi.status, ITSM_ONCALL_EXHAUSTED);
    assert_int_equal(oi.pages, 1);
    fixture_close(&f);
    itsm_policy_free(p);
}

/* ---- satisfaction ---------------------------------------------------------- */

static buf scale(int lo, int hi)
{
    buf b = start();
    put(&b, "\"satisfaction\":{\"min\":%d,\"max\":%d}", lo, hi);
    return b;
}

static void the_survey_scale_takes_its_documented_bounds(void **state)
{
    (void)state;
    buf b;
    b = scale(0, 1);   TAKEN(b);
    b = scale(9, 10);  TAKEN(b);
    b = scale(0, 10);  TAKEN(b);
    b = scale(10, 10); REFUSED(b, "");
    b = scale(5, 5);   REFUSED(b, "");
    b = scale(6, 5);   REFUSED(b, "");
    b = scale(-1, 5);  REFUSED(b, "");
    b = scale(1, 11);  REFUSED(b, "");
}

/* ---- problem_rules --------------------------------------------------------- */

static buf rules(long long count, long long window)
{
    buf b = start();
    put(&b, "\"problem_rules\":{\"recurrence_count\":%lld,\"recurrence_window\":%lld}", count, window);
    return b;
}

static void the_recurrence_rule_takes_its_documented_bounds(void **state)
{
    (void)state;
    const long long day = 86400;
    buf b;
    b = rules(2, 1);                  TAKEN(b);
    b = rules(64, 3660 * day);        TAKEN(b);     /* a proposal names 64 */
    b = rules(0, day);                TAKEN(b);     /* the rule is off */
    b = rules(1, day);                REFUSED(b, "recurrence_count");
    b = rules(65, day);               REFUSED(b, "recurrence_count");
    b = rules(3, 3660 * day + 1);     REFUSED(b, "recurrence_window");
    b = rules(3, 0);                  REFUSED(b, "recurrence_window");
}

/* ---- fulfilment ------------------------------------------------------------ */

static buf catalogue(int tasks, const char *task_extra, size_t name_len)
{
    buf b = start();
    char name[80];
    memset(name, 'a', name_len);
    name[name_len] = '\0';
    put(&b, "\"fulfilment\":{\"catalogue\":[{\"name\":\"%s\",\"tasks\":[", name);
    for (int i = 0; i < tasks; i++)
        put(&b, "%s{\"name\":\"t%d\",\"group\":\"g\"%s}", i ? "," : "", i, task_extra);
    put(&b, "]}]}");
    return b;
}

static void the_catalogue_takes_its_documented_bounds(void **state)
{
    (void)state;
    buf b;
    b = catalogue(32, "", 63);                           TAKEN(b);
    b = catalogue(1, ",\"ola_minutes\":525600", 1);      TAKEN(b);
    b = catalogue(1, ",\"ola_minutes\":1,\"priority\":5", 1); TAKEN(b);
    b = catalogue(1, ",\"ola_minutes\":null,\"priority\":null,\"step\":null", 1); TAKEN(b);
    b = catalogue(33, "", 1);                            REFUSED(b, "tasks");
    b = catalogue(1, ",\"ola_minutes\":525601", 1);      REFUSED(b, "ola_minutes");
    b = catalogue(1, ",\"priority\":0", 1);              REFUSED(b, "priority");
    b = catalogue(1, "", 64);                            REFUSED(b, "");
}

/* ---- approvals ------------------------------------------------------------- */

static buf approval_levels(int levels, int quorum)
{
    buf b = start();
    put(&b, "\"approvals\":{\"rules\":[{\"name\":\"r\",\"kind\":\"change\",\"state\":\"assessed\",\"levels\":[");
    for (int i = 0; i < levels; i++)
        put(&b, "%s{\"name\":\"l%d\",\"rule\":\"quorum\",\"quorum\":%d}", i ? "," : "", i, quorum);
    put(&b, "]}]}");
    return b;
}

static void approval_rules_take_their_documented_bounds(void **state)
{
    (void)state;
    buf b;
    b = approval_levels(8, 256); TAKEN(b);
    b = approval_levels(0, 1);   TAKEN(b);
    b = approval_levels(1, 1);   TAKEN(b);
    b = approval_levels(9, 1);   REFUSED(b, "levels");
    b = approval_levels(1, 257); REFUSED(b, "quorum");
    b = approval_levels(1, 0);   REFUSED(b, "quorum");
}

/* ---- risk_assessment ------------------------------------------------------- */

static buf risk(int questions, int answers, int score, int levels)
{
    buf b = start();
    put(&b, "\"risk_assessment\":{\"kinds\":[\"change\"],\"questions\":[");
    for (int q = 0; q < questions; q++) {
        put(&b, "%s{\"name\":\"q%d\",\"answers\":{", q ? "," : "", q);
        for (int a = 0; a < answers; a++)
            put(&b, "%s\"a%d\":%d", a ? "," : "", a, a ? score : 0);
        put(&b, "}}");
    }
    put(&b, "],\"levels\":[");
    for (int l = 0; l < levels; l++) {
        if (l == levels - 1)
            put(&b, "%s{\"name\":\"v%d\",\"up_to\":null}", l ? "," : "", l);
        else
            put(&b, "%s{\"name\":\"v%d\",\"up_to\":%d}", l ? "," : "", l, l);
    }
    put(&b, "]}");
    return b;
}

static void the_questionnaire_takes_its_documented_bounds(void **state)
{
    (void)state;
    buf b;
    b = risk(32, 16, 1000, 8); TAKEN(b);
    b = risk(1, 2, 0, 1);      TAKEN(b);
    b = risk(33, 2, 1, 3);     REFUSED(b, "questions");
    b = risk(1, 1, 1, 3);      REFUSED(b, "answers");
    b = risk(1, 17, 1, 3);     REFUSED(b, "answers");
    b = risk(1, 2, 1001, 3);   REFUSED(b, "");
    b = risk(1, 2, 1, 9);      REFUSED(b, "levels");
    b = risk(1, 2, 1, 0);      REFUSED(b, "levels");
}

/* ---- change_schedule ------------------------------------------------------- */

static buf schedule_services(int states, int types, int blackouts, int services)
{
    buf b = start();
    put(&b, "\"change_schedule\":{\"states\":[");
    for (int i = 0; i < states; i++)
        put(&b, "%s\"s%d\"", i ? "," : "", i);
    put(&b, "],\"exception_types\":[");
    for (int i = 0; i < types; i++)
        put(&b, "%s\"e%d\"", i ? "," : "", i);
    put(&b, "],\"blackouts\":[");
    for (int i = 0; i < blackouts; i++)
    {
        put(&b, "%s{\"name\":\"b%d\",\"from\":\"2026-12-15T00:00:00Z\",\"to\":\"2027-01-05T00:00:00Z\","
                "\"calendar\":null,\"services\":[", i ? "," : "", i);
        for (int s = 0; s < services; s++)
            put(&b, "%s\"v%d\"", s ? "," : "", s);
        put(&b, "]}");
    }
    put(&b, "]}");
    return b;
}

static buf schedule(int states, int types, int blackouts)
{
    return schedule_services(states, types, blackouts, 0);
}

static void the_change_schedule_takes_its_documented_bounds(void **state)
{
    (void)state;
    buf b;
    b = schedule(16, 16, 64); TAKEN(b);
    b = schedule(1, 0, 0);    TAKEN(b);
    b = schedule(0, 0, 0);    REFUSED(b, "state");
    b = schedule(17, 0, 0);   REFUSED(b, "states");
    b = schedule(1, 17, 0);   REFUSED(b, "exception_types");
    b = schedule(1, 0, 65);   REFUSED(b, "blackouts");
    b = schedule_services(1, 0, 1, 16); TAKEN(b);       /* a blackout's services: 16 */
    b = schedule_services(1, 0, 1, 17); REFUSED(b, "services");
}

/* ---- calendars and agreements (docs/service-levels.md) --------------------- */

static buf offset(long offset_s)
{
    buf b = start();
    put(&b, "\"calendars\":[{\"name\":\"far\",\"utc_offset\":%ld,\"hours\":{\"mon\":\"09:00-17:00\"}}]", offset_s);
    return b;
}

static buf agreement(int targets, long long target, int warnings, int breaches)
{
    buf b = start();
    put(&b, "\"agreements\":[{\"name\":\"a\",\"stop\":\"priority == 1\",\"targets\":[");
    for (int i = 0; i < targets; i++) {
        if (i < 5)
            put(&b, "%s{\"priority\":%d,\"target\":%lld}", i ? "," : "", i + 1, target);
        else
            put(&b, ",{\"target\":%lld}", target);
    }
    put(&b, "],\"warnings\":[");
    for (int i = 0; i < warnings; i++)
        put(&b, "%s0.%d", i ? "," : "", i + 1);
    put(&b, "],\"breaches\":[");
    for (int i = 0; i < breaches; i++)
        put(&b, "%s%d", i ? "," : "", i + 1);
    put(&b, "]}]");
    return b;
}

static void calendars_and_agreements_take_their_documented_bounds(void **state)
{
    (void)state;
    buf b;
    b = offset(50400);   TAKEN(b);
    b = offset(-50400);  TAKEN(b);
    b = offset(50401);   REFUSED(b, "utc_offset");
    b = offset(-50401);  REFUSED(b, "utc_offset");
    b = agreement(6, 315360000LL, 8, 8);  TAKEN(b);
    b = agreement(1, 1, 0, 0);            TAKEN(b);
    b = agreement(1, 315360001LL, 0, 0);  REFUSED(b, "target");
    b = agreement(1, 0, 0, 0);            REFUSED(b, "target");
    b = agreement(0, 60, 0, 0);           REFUSED(b, "targets");
    b = agreement(1, 60, 9, 0);           REFUSED(b, "warnings");
    b = agreement(1, 60, 0, 9);           REFUSED(b, "breaches");
    /* "breaches: fractions from 1 to 10", "warnings: below 1": a fraction
     * out of its range is refused naming its list */
    b = start();
    put(&b, "\"agreements\":[{\"name\":\"a\",\"stop\":\"priority == 1\",\"targets\":[{\"target\":60}],"
            "\"breaches\":[0.5]}]");
    REFUSED(b, "'breaches'");
    b = start();
    put(&b, "\"agreements\":[{\"name\":\"a\",\"stop\":\"priority == 1\",\"targets\":[{\"target\":60}],"
            "\"warnings\":[1]}]");
    REFUSED(b, "'warnings'");
    b = start();
    put(&b, "\"agreements\":[{\"name\":\"a\",\"stop\":\"priority == 1\",\"targets\":[{\"target\":60}],"
            "\"warnings\":[0.999],\"breaches\":[1,10]}]");
    TAKEN(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(oncall_members_take_their_documented_bounds),
        cmocka_unit_test(at_most_32_escalation_policies),
        cmocka_unit_test(an_oncall_policy_without_max_priority_or_repeat_takes_p5_once),
        cmocka_unit_test(the_survey_scale_takes_its_documented_bounds),
        cmocka_unit_test(the_recurrence_rule_takes_its_documented_bounds),
        cmocka_unit_test(the_catalogue_takes_its_documented_bounds),
        cmocka_unit_test(approval_rules_take_their_documented_bounds),
        cmocka_unit_test(the_questionnaire_takes_its_documented_bounds),
        cmocka_unit_test(the_change_schedule_takes_its_documented_bounds),
        cmocka_unit_test(calendars_and_agreements_take_their_documented_bounds),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
