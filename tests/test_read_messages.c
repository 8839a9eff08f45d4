/* SPDX-License-Identifier: Apache-2.0 */
/* Reading leaves the engine's message: every getter that answers with a
 * code (itsm_errmsg's contract in itsm/engine.h, README "Errors") keeps the
 * last failure's message and code when it succeeds, and a getter whose
 * "none" is an answer (ITSM_ENOTFOUND: no survey answer, no climb, no
 * review, no review item, no approval rule, no proposal, no planned
 * window) keeps them too, so a host may
 * look between a refused call and reading why. Each getter is read on
 * records that have what it reads and on records that do not, right after
 * a known refusal. */
#include "change_policy.h"
#include "sla/sla_support.h"

#define N_(a) (sizeof(a) / sizeof((a)[0]))

/* One getter, called with arguments valid for `r`; its code. */
typedef struct getter {
    const char *name;
    int (*read)(const itsm_record *r);
} getter;

static int rd_survey(const itsm_record *r)
{
    itsm_survey_answer a = { .size = sizeof a };
    return itsm_record_survey(&a, r);
}
static int rd_oncall(const itsm_record *r)
{
    itsm_oncall_info o = { .size = sizeof o };
    return itsm_record_oncall(&o, r);
}
static int rd_review(const itsm_record *r)
{
    itsm_review_info v = { .size = sizeof v };
    return itsm_record_review(&v, r);
}
static int rd_review_items(const itsm_record *r)
{
    itsm_review_info v = { .size = sizeof v };
    itsm_review_cause c = { .size = sizeof c };
    itsm_review_action a = { .size = sizeof a };
    if (itsm_record_review(&v, r) != ITSM_OK) {   /* no review: "none" from both */
        int rc = itsm_review_cause_at(&c, r, 0);
        return rc == ITSM_ENOTFOUND ? itsm_review_action_at(&a, r, 0) : rc;
    }
    int rc = ITSM_OK;
    for (size_t i = 0; !rc && i < v.causes; i++)
        rc = itsm_review_cause_at(&c, r, i);
    for (size_t i = 0; !rc && i < v.actions; i++)
        rc = itsm_review_action_at(&a, r, i);
    return rc;
}
static int rd_proposal(const itsm_record *r)
{
    size_t ix = 0;
    return itsm_record_problem_proposal(&ix, r);
}
static int rd_planned(const itsm_record *r)
{
    itsm_time s, e;
    return itsm_change_planned(&s, &e, r);
}
static int rd_collisions(const itsm_record *r)
{
    itsm_collision c[4];
    size_t n = 0;
    for (size_t i = 0; i < N_(c); i++)
        c[i].size = sizeof c[i];
    return itsm_change_collisions(c, N_(c), &n, r);
}
static int rd_risk(const itsm_record *r)
{
    itsm_risk_info k = { .size = sizeof k };
    int rc = itsm_record_risk(&k, r);
    itsm_risk_answer a = { .size = sizeof a };
    for (size_t i = 0; !rc && i < itsm_record_risk_answer_count(r); i++)
        rc = itsm_record_risk_answer_at(&a, r, i);
    return rc;
}
static int rd_approval(const itsm_record *r)
{
    itsm_approval_info p = { .size = sizeof p };
    int rc = itsm_record_approval(&p, r);
    itsm_approval_level l = { .size = sizeof l };
    if (!rc && !p.rule)   /* no rule applies: "none" */
        return itsm_record_approval_level(&l, r, 0);
    for (size_t i = 0; !rc && i < p.levels; i++)
        rc = itsm_record_approval_level(&l, r, i);
    return rc;
}
static int rd_timer(const itsm_record *r)
{
    itsm_timer_info t = { .size = sizeof t };
    return itsm_record_timer(&t, r, ITSM_TIMER_RESPONSE, T0);
}
static int rd_agreement_steps(const itsm_record *r)
{
    itsm_agreement_entry e = { .size = sizeof e };
    int rc = ITSM_OK;
    for (size_t i = 0; !rc && i < itsm_record_agreement_steps(r); i++)
        rc = itsm_record_agreement_step(&e, r, i);
    return rc;
}
static int rd_condition(const itsm_record *r)
{
    static const char text[] = "priority <= 2 and service == 'payments'";
    int holds = 0;
    itsm_parse_error err;
    return itsm_record_condition(&holds, r, text, sizeof text - 1, &err);
}
static int rd_allowed(const itsm_record *r)
{
    itsm_allowed_event a = { .size = sizeof a };
    int rc = ITSM_OK;
    for (size_t i = 0; !rc && i < itsm_record_allowed_count(r); i++)
        rc = itsm_record_allowed_at(r, i, &a);
    return rc;
}
static int rd_timeline_links(const itsm_record *r)
{
    itsm_timeline_entry t = { .size = sizeof t };
    itsm_link l;
    int rc = ITSM_OK;
    for (size_t i = 0; !rc && i < itsm_record_timeline_count(r); i++)
        rc = itsm_record_timeline_at(r, i, &t);
    for (size_t i = 0; !rc && i < itsm_record_link_count(r); i++)
        rc = itsm_record_link_at(r, i, &l);
    return rc;
}
static int rd_chain_head(const itsm_record *r)
{
    char hex[65];
    return itsm_record_chain_head(r, hex);
}
static int rd_find(const itsm_record *r)
{
    itsm_record *same = NULL;
    int rc = itsm_record_find(&same, itsm_record_engine(r), itsm_record_id(r));
    return rc ? rc : same == r ? ITSM_OK : ITSM_EINVAL;
}

static const getter getters[] = {
    { "itsm_record_survey", rd_survey },
    { "itsm_record_oncall", rd_oncall },
    { "itsm_record_review", rd_review },
    { "itsm_review_cause_at/_action_at", rd_review_items },
    { "itsm_record_problem_proposal", rd_proposal },
    { "itsm_change_planned", rd_planned },
    { "itsm_change_collisions", rd_collisions },
    { "itsm_record_risk/_answer_at", rd_risk },
    { "itsm_record_approval/_level", rd_approval },
    { "itsm_record_timer", rd_timer },
    { "itsm_record_agreement_step", rd_agreement_steps },
    { "itsm_record_condition", rd_condition },
    { "itsm_record_allowed_at", rd_allowed },
    { "itsm_record_timeline_at/itsm_record_link_at", rd_timeline_links },
    { "itsm_record_chain_head", rd_chain_head },
    { "itsm_record_find", rd_find },
};

/* A refusal with a message of its own, naming `r`. */
static void refuse(itsm_record *r)
{
    int rc = itsm_record_fire(r, "no_such_event", NULL, 0);
    assert_int_not_equal(rc, ITSM_OK);
    assert_non_null(strstr(itsm_errmsg(itsm_record_engine(r)), "no_such_event"));
}

/* Every getter on `r`, each right after a refusal: OK or "none", and the
 * refusal's code and message as they were. */
static void every_getter_keeps_the_message(itsm_record *r, int *found, int *none)
{
    itsm_engine *eng = itsm_record_engine(r);
    for (size_t g = 0; g < N_(getters); g++) {
        refuse(r);
        char before[1024];
        snprintf(before, sizeof before, "%s", itsm_errmsg(eng));
        int code = itsm_errcode(eng);
        int rc = getters[g].read(r);
        if (rc != ITSM_OK && rc != ITSM_ENOTFOUND)
            fail_msg("%s on %s: %s (%s)", getters[g].name, itsm_record_id(r), itsm_errname(rc), itsm_errmsg(eng));
        if (itsm_errcode(eng) != code || strcmp(itsm_errmsg(eng), before) != 0)
            fail_msg("%s on %s (%s) changed the message: \"%s\" -> %s \"%s\"", getters[g].name, itsm_record_id(r),
                     itsm_errname(rc), before, itsm_errname(itsm_errcode(eng)), itsm_errmsg(eng));
        found[g] += rc == ITSM_OK;
        none[g] += rc == ITSM_ENOTFOUND;
    }
}

static void a_getter_keeps_the_last_message_whatever_it_answers(void **state)
{
    (void)state;
    fixture f;
    change_fixture_open(&f, NULL, NULL, NULL);
    /* An incident with nothing; a cluster of three that carries a problem
     * proposal; an accepted major incident with a review, a cause and an
     * action; a planned change beside an unplanned one. */
    itsm_record *recs[8];
    size_t n = 0;
    recs[n++] = open_inc(&f, 3, 3, NULL);
    for (int i = 0; i < 3; i++) {
        itsm_record *r = NULL;
        itsm_change init[] = { { ITSM_F_SUMMARY, "Mail bounces", 0 }, { ITSM_F_SERVICE, "email", 0 },
                               { ITSM_F_CATEGORY, "bounce", 0 } };
        itsm_record_opts o = ITSM_RECORD_OPTS_INIT;
        o.fields = init;
        o.nfields = N_(init);
        assert_ok(itsm_record_open(&r, f.eng, &o));
        recs[n++] = r;
    }
    size_t ix;
    assert_ok(itsm_record_problem_proposal(&ix, recs[n - 1]));
    itsm_record *major = open_inc(&f, 1, 1, "payments");
    assert_ok(itsm_major_decide(major, 1, "mim_max"));
    assert_ok(itsm_review_open(major));
    assert_ok(itsm_review_add_cause(major, "The disk filled"));
    assert_ok(itsm_review_add_action(major, "alarm", "Alert on disk space", NULL, T0 + 2 * DAY));
    recs[n++] = major;
    itsm_record *planned = change_open(&f, "CHG1", "normal", "mail", "relay01");
    assert_ok(itsm_change_plan(planned, at_utc("2026-04-01T10:00:00Z"), at_utc("2026-04-01T12:00:00Z")));
    recs[n++] = planned;
    recs[n++] = change_open(&f, "CHG2", "normal", "mail", "relay02");

    int found[N_(getters)] = { 0 }, none[N_(getters)] = { 0 };
    for (size_t i = 0; i < n; i++)
        every_getter_keeps_the_message(recs[i], found, none);
    /* Both answers were read where the world has both. */
    static const char *const both[] = { "itsm_record_review", "itsm_review_cause_at/_action_at",
                                        "itsm_record_approval/_level", "itsm_record_problem_proposal",
                                        "itsm_change_planned" };
    for (size_t b = 0; b < N_(both); b++)
        for (size_t g = 0; g < N_(getters); g++)
            if (!strcmp(getters[g].name, both[b]) && (!found[g] || !none[g]))
                fail_msg("%s: read %d found, %d none; wanted both", both[b], found[g], none[g]);
    fixture_close(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_getter_keeps_the_last_message_whatever_it_answers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
