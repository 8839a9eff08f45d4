/* SPDX-License-Identifier: Apache-2.0 */
/*
 * itsm-scenario: commands for what follows incidents - the customer's
 * survey answer and the satisfaction report (itsm/satisfaction.h), and
 * the problems the recurrence rule proposes (itsm/problem.h).
 */
#include "runner.h"

#include <itsm/problem.h>
#include <itsm/report.h>
#include <itsm/satisfaction.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int want_count(runner *r, const tok *k, size_t have, const char *what, const char *of)
{
    int64_t want;
    if (run_parse_int(r, k->text, &want, k->key))
        return -1;
    if ((int64_t)have != want)
        return run_fail(r, "%s of %s is %zu, expected %lld", what, of, have, (long long)want);
    return 0;
}

/* ---- survey answers --------------------------------------------------------- */

/* survey answer ID SCORE ["comment"] */
static int cmd_survey_answer(runner *r, tok *t, size_t n)
{
    int64_t score;
    if (n < 2 || n > 3 || t[0].key || t[1].key || (n == 3 && t[2].key))
        return run_fail(r, "usage: survey answer ID SCORE [\"comment\"]");
    if (run_parse_int(r, t[1].text, &score, "score"))
        return -1;
    if (score < -1000 || score > 1000)
        return run_fail(r, "survey answer: score %lld is out of range", (long long)score);
    itsm_record *rec = NULL;
    int rc = itsm_record_find(&rec, r->eng, t[0].text);
    return run_act(r, rc ? rc : itsm_record_survey_answer(rec, (int)score, n == 3 ? t[2].text : NULL));
}

/* expect survey_answer ID SCORE|none ["comment"] */
static int cmd_expect_survey_answer(runner *r, tok *t, size_t n)
{
    if (n < 2 || n > 3 || t[0].key || t[1].key || (n == 3 && t[2].key))
        return run_fail(r, "usage: expect survey_answer ID SCORE|none [\"comment\"]");
    itsm_record *rec = run_need_rec(r, t[0].text);
    if (!rec)
        return -1;
    itsm_survey_answer a = { .size = sizeof a };
    int rc = itsm_record_survey(&a, rec);
    if (!strcmp(t[1].text, "none")) {
        if (rc != ITSM_ENOTFOUND)
            return run_fail(r, "the survey of %s has an answer (%d), expected none", t[0].text, a.score);
        return 0;
    }
    int64_t want;
    if (run_parse_int(r, t[1].text, &want, "score"))
        return -1;
    if (rc)
        return run_fail(r, "the survey of %s has no answer, expected %lld", t[0].text, (long long)want);
    if (a.score != want)
        return run_fail(r, "the survey of %s scored %d, expected %lld", t[0].text, a.score, (long long)want);
    if (n == 3 && strcmp(a.comment ? a.comment : "", t[2].text))
        return run_fail(r, "the survey comment of %s is \"%s\", expected \"%s\"", t[0].text,
                        a.comment ? a.comment : "", t[2].text);
    return 0;
}

/* expect satisfaction all|group=G|service=S|week=TIME [sent=N] [answered=N] [mean=X] [score_K=N ...]
 * - a row of the last report's satisfaction figures ("group=" alone: none). */
static int cmd_expect_satisfaction(runner *r, tok *t, size_t n)
{
    static const char usage[] = "expect satisfaction all|group=G|service=S|week=TIME [sent=N] [answered=N] "
                                "[mean=X] [score_K=N ...]";
    if (!r->report)
        return run_fail(r, "expect satisfaction: no report yet (use `report`)");
    if (n < 1)
        return run_fail(r, "usage: %s", usage);
    itsm_survey_dimension by;
    itsm_time week = ITSM_TIME_NONE;
    if (!t[0].key && !strcmp(t[0].text, "all"))
        by = ITSM_SURVEY_ALL;
    else if (t[0].key && !strcmp(t[0].key, "group"))
        by = ITSM_SURVEY_BY_GROUP;
    else if (t[0].key && !strcmp(t[0].key, "service"))
        by = ITSM_SURVEY_BY_SERVICE;
    else if (t[0].key && !strcmp(t[0].key, "week")) {
        by = ITSM_SURVEY_BY_WEEK;
        if (run_parse_time(r, t[0].text, &week, "week"))
            return -1;
    } else
        return run_fail(r, "usage: %s", usage);
    itsm_report_survey row = { .size = sizeof row };
    int found = 0;
    for (size_t i = 0; i < itsm_report_survey_count(r->report) && !found; i++) {
        itsm_report_survey s = { .size = sizeof s };
        if (itsm_report_survey_at(r->report, i, &s) || s.by != by)
            continue;
        if ((by == ITSM_SURVEY_BY_GROUP || by == ITSM_SURVEY_BY_SERVICE) &&
            strcmp(s.name ? s.name : "", t[0].text))
            continue;
        if (by == ITSM_SURVEY_BY_WEEK && s.week != week)
            continue;
        row = s;
        found = 1;
    }
    if (!found)
        return run_fail(r, "the report has no satisfaction row %s%s%s", t[0].key ? t[0].key : "",
                        t[0].key ? "=" : "", t[0].text);
    for (size_t i = 1; i < n; i++) {
        const char *k = t[i].key;
        if (!k)
            return run_fail(r, "usage: %s", usage);
        if (!strcmp(k, "sent")) {
            if (want_count(r, &t[i], row.sent, "the surveys sent", t[0].text))
                return -1;
        } else if (!strcmp(k, "answered")) {
            if (want_count(r, &t[i], row.answered, "the surveys answered", t[0].text))
                return -1;
        } else if (!strcmp(k, "mean")) {
            char *end;
            double want = strtod(t[i].text, &end);
            if (*end || end == t[i].text)
                return run_fail(r, "mean: '%s' is not a number", t[i].text);
            if (fabs(row.mean_score - want) > 0.005)
                return run_fail(r, "the mean score of %s is %.3f, expected %s", t[0].text, row.mean_score,
                                t[i].text);
        } else if (!strncmp(k, "score_", 6)) {
            int64_t point;
            if (run_parse_int(r, k + 6, &point, "score"))
                return -1;
            if (point < row.scale_min || point > row.scale_max)
                return run_fail(r, "%s is off the scale %d..%d", k, row.scale_min, row.scale_max);
            if (want_count(r, &t[i], row.scores[point - row.scale_min], k, t[0].text))
                return -1;
        } else {
            return run_fail(r, "usage: %s", usage);
        }
    }
    return 0;
}

/* ---- problem proposals --------------------------------------------------------- */

/* proposal accept ID [problem=NEWID] */
static int cmd_proposal_accept(runner *r, tok *t, size_t n)
{
    if (n < 1 || n > 2 || t[0].key || (n == 2 && (!t[1].key || strcmp(t[1].key, "problem"))))
        return run_fail(r, "usage: proposal accept ID [problem=NEWID]");
    itsm_record *rec = NULL, *prb = NULL;
    int rc = itsm_record_find(&rec, r->eng, t[0].text);
    itsm_problem_open_opts o = ITSM_PROBLEM_OPEN_OPTS_INIT;
    o.id = n == 2 ? t[1].text : NULL;
    return run_act(r, rc ? rc : itsm_problem_proposal_accept(&prb, rec, &o));
}

/* proposal dismiss ID "reason" */
static int cmd_proposal_dismiss(runner *r, tok *t, size_t n)
{
    if (n != 2 || t[0].key || t[1].key)
        return run_fail(r, "usage: proposal dismiss ID \"reason\"");
    itsm_record *rec = NULL;
    int rc = itsm_record_find(&rec, r->eng, t[0].text);
    return run_act(r, rc ? rc : itsm_problem_proposal_dismiss(rec, t[1].text));
}

/* expect proposal ID none|pending|accepted|dismissed [by=INC] [incidents="A B C"] [problem=P] [reason="..."] */
static int cmd_expect_proposal(runner *r, tok *t, size_t n)
{
    static const char usage[] = "expect proposal ID none|pending|accepted|dismissed [by=INC] "
                                "[incidents=\"A B C\"] [problem=P] [reason=\"...\"]";
    if (n < 2 || t[0].key || t[1].key)
        return run_fail(r, "usage: %s", usage);
    itsm_record *rec = run_need_rec(r, t[0].text);
    if (!rec)
        return -1;
    size_t ix = 0;
    int rc = itsm_record_problem_proposal(&ix, rec);
    if (!strcmp(t[1].text, "none")) {
        if (rc != ITSM_ENOTFOUND || n != 2)
            return rc == ITSM_ENOTFOUND ? run_fail(r, "usage: %s", usage)
                                        : run_fail(r, "%s is in a problem proposal, expected none", t[0].text);
        return 0;
    }
    if (rc)
        return run_fail(r, "%s is in no problem proposal, expected one %s", t[0].text, t[1].text);
    itsm_problem_proposal p = { .size = sizeof p };
    if ((rc = itsm_engine_problem_proposal_at(&p, r->eng, ix)))
        return run_fail(r, "itsm_engine_problem_proposal_at: %s", itsm_errname(rc));
    const char *status = itsm_proposal_status_name(p.status);
    if (strcmp(status, t[1].text))
        return run_fail(r, "the problem proposal of %s is %s, expected %s", t[0].text, status, t[1].text);
    for (size_t i = 2; i < n; i++) {
        const char *k = t[i].key, *have = NULL;
        char list[1024];
        if (!k)
            return run_fail(r, "usage: %s", usage);
        if (!strcmp(k, "by"))
            have = p.record;
        else if (!strcmp(k, "problem"))
            have = p.problem ? p.problem : "none";
        else if (!strcmp(k, "reason"))
            have = p.reason ? p.reason : "";
        else if (!strcmp(k, "incidents")) {
            size_t off = 0;
            list[0] = '\0';
            for (size_t j = 0; j < p.incidents && off < sizeof list; j++)
                off += (size_t)snprintf(list + off, sizeof list - off, "%s%s", j ? " " : "",
                                        itsm_engine_problem_proposal_incident(r->eng, ix, j));
            have = list;
        } else
            return run_fail(r, "usage: %s", usage);
        if (strcmp(have, t[i].text))
            return run_fail(r, "the problem proposal of %s has %s \"%s\", expected \"%s\"", t[0].text, k, have,
                            t[i].text);
    }
    return 0;
}

/* expect proposals N - the problem proposals the engine holds */
static int cmd_expect_proposals(runner *r, tok *t, size_t n)
{
    if (n != 1 || t[0].key)
        return run_fail(r, "usage: expect proposals N");
    return want_count(r, &t[0], itsm_engine_problem_proposal_count(r->eng), "the problem proposals", "the engine");
}

/* expect report_proposals [proposed=N] [pending=N] [accepted=N] [dismissed=N] [incidents=N] - the last report's */
static int cmd_expect_report_proposals(runner *r, tok *t, size_t n)
{
    if (!r->report)
        return run_fail(r, "expect report_proposals: no report yet (use `report`)");
    itsm_report_proposals rp = { .size = sizeof rp };
    if (itsm_report_proposals_of(&rp, r->report))
        return run_fail(r, "itsm_report_proposals_of failed");
    for (size_t i = 0; i < n; i++) {
        const char *k = t[i].key;
        size_t have;
        if (!k)
            return run_fail(r, "usage: expect report_proposals [proposed=N] [pending=N] [accepted=N] "
                               "[dismissed=N] [incidents=N]");
        if (!strcmp(k, "proposed"))
            have = rp.proposed;
        else if (!strcmp(k, "pending"))
            have = rp.pending;
        else if (!strcmp(k, "accepted"))
            have = rp.accepted;
        else if (!strcmp(k, "dismissed"))
            have = rp.dismissed;
        else if (!strcmp(k, "incidents"))
            have = rp.incidents;
        else
            return run_fail(r, "expect report_proposals: unknown figure '%s'", k);
        if (want_count(r, &t[i], have, k, "the report's problem proposals"))
            return -1;
    }
    return 0;
}

const cmd_row run_commands_followup[] = {
    { "survey answer",          cmd_survey_answer,         1, 0 },
    { "expect survey_answer",   cmd_expect_survey_answer,  0, 1 },
    { "expect satisfaction",    cmd_expect_satisfaction,   0, 1 },
    { "proposal accept",        cmd_proposal_accept,       1, 0 },
    { "proposal dismiss",       cmd_proposal_dismiss,      1, 0 },
    { "expect proposal",        cmd_expect_proposal,       0, 1 },
    { "expect proposals",       cmd_expect_proposals,      0, 1 },
    { "expect report_proposals", cmd_expect_report_proposals, 0, 1 },
    { NULL, NULL, 0, 0 },
};
