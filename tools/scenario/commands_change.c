/* SPDX-License-Identifier: Apache-2.0 */
/*
 * itsm-scenario: commands for change enablement - approvals, risk
 * assessment and the change schedule (itsm/approval.h, itsm/change.h).
 */
#include "runner.h"

#include <itsm/approval.h>
#include <itsm/change.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- approvals ------------------------------------------------------------ */

/* approval approve|reject ID BY [level=L] ["comment"]
 * approval delegate ID BY TO [level=L] ["comment"] */
static int approval_decide(runner *r, tok *t, size_t n, int verdict)
{
    size_t fixed = verdict == ITSM_VERDICT_DELEGATE ? 3 : 2;
    const char *usage = verdict == ITSM_VERDICT_DELEGATE ? "approval delegate ID BY TO [level=L] [\"comment\"]"
                        : verdict == ITSM_VERDICT_APPROVE ? "approval approve ID BY [level=L] [\"comment\"]"
                                                          : "approval reject ID BY [level=L] [\"comment\"]";
    if (n < fixed || n > fixed + 2)
        return run_fail(r, "usage: %s", usage);
    for (size_t i = 0; i < fixed; i++)
        if (t[i].key)
            return run_fail(r, "usage: %s", usage);
    const char *level = NULL, *comment = NULL;
    for (size_t i = fixed; i < n; i++) {
        if (t[i].key && !strcmp(t[i].key, "level"))
            level = t[i].text;
        else if (!t[i].key && t[i].quoted && !comment)
            comment = t[i].text;
        else
            return run_fail(r, "usage: %s", usage);
    }
    int rc;
    itsm_record *rec = run_find_rec(r, t[0].text, &rc);
    if (!rec)
        return run_act(r, rc);
    if (verdict == ITSM_VERDICT_APPROVE)
        return run_act(r, itsm_record_approve(rec, level, t[1].text, comment));
    if (verdict == ITSM_VERDICT_REJECT)
        return run_act(r, itsm_record_reject_approval(rec, level, t[1].text, comment));
    return run_act(r, itsm_record_delegate_approval(rec, level, t[1].text, t[2].text, comment));
}

static int cmd_approval_approve(runner *r, tok *t, size_t n) { return approval_decide(r, t, n, ITSM_VERDICT_APPROVE); }
static int cmd_approval_reject(runner *r, tok *t, size_t n) { return approval_decide(r, t, n, ITSM_VERDICT_REJECT); }
static int cmd_approval_delegate(runner *r, tok *t, size_t n)
{
    return approval_decide(r, t, n, ITSM_VERDICT_DELEGATE);
}

static int want_count(runner *r, const tok *k, size_t have, const char *what, const char *id)
{
    int64_t want;
    if (run_parse_int(r, k->text, &want, k->key))
        return -1;
    if ((int64_t)have != want)
        return run_fail(r, "%s of %s is %zu, expected %lld", what, id, have, (long long)want);
    return 0;
}

/* expect approval ID none|not_started|pending|approved|rejected [rule=R] [current=N] [decisions=N] */
static int cmd_expect_approval(runner *r, tok *t, size_t n)
{
    static const char usage[] = "expect approval ID none|not_started|pending|approved|rejected [rule=R] "
                                "[current=N] [decisions=N]";
    if (n < 2 || n > 5 || t[0].key || t[1].key)
        return run_fail(r, "usage: %s", usage);
    itsm_record *rec = run_need_rec(r, t[0].text);
    if (!rec)
        return -1;
    itsm_approval_info ai = { .size = sizeof ai };
    int rc = itsm_record_approval(&ai, rec);
    if (rc)
        return run_fail(r, "itsm_record_approval(%s): %s", t[0].text, itsm_errname(rc));
    if (strcmp(itsm_approval_status_name(ai.status), t[1].text))
        return run_fail(r, "the approval of %s is %s, expected %s", t[0].text, itsm_approval_status_name(ai.status),
                        t[1].text);
    for (size_t i = 2; i < n; i++) {
        if (!t[i].key)
            return run_fail(r, "usage: %s", usage);
        if (!strcmp(t[i].key, "rule")) {
            const char *want = strcmp(t[i].text, "none") ? t[i].text : NULL;
            if ((want == NULL) != (ai.rule == NULL) || (want && strcmp(want, ai.rule)))
                return run_fail(r, "the approval rule of %s is %s, expected %s", t[0].text, ai.rule ? ai.rule : "none",
                                t[i].text);
        } else if (!strcmp(t[i].key, "current")) {
            if (want_count(r, &t[i], ai.current, "the current approval level", t[0].text))
                return -1;
        } else if (!strcmp(t[i].key, "decisions")) {
            if (want_count(r, &t[i], itsm_record_approval_count(rec), "the approval decisions", t[0].text))
                return -1;
        } else {
            return run_fail(r, "usage: %s", usage);
        }
    }
    return 0;
}

/* expect level ID LEVEL pending|approved|rejected [approvals=N] [rejections=N] [needed=N] */
static int cmd_expect_level(runner *r, tok *t, size_t n)
{
    static const char usage[] = "expect level ID LEVEL pending|approved|rejected [approvals=N] [rejections=N] "
                                "[needed=N]";
    static const char *const names[] = { "?", "pending", "approved", "rejected" };
    if (n < 3 || n > 6 || t[0].key || t[1].key || t[2].key)
        return run_fail(r, "usage: %s", usage);
    itsm_record *rec = run_need_rec(r, t[0].text);
    if (!rec)
        return -1;
    itsm_approval_level l = { .size = sizeof l };
    int found = 0;
    for (size_t k = 0; !found; k++) {
        int rc = itsm_record_approval_level(&l, rec, k);
        if (rc)
            return run_fail(r, "the approval rule of %s has no level '%s' (%s)", t[0].text, t[1].text,
                            itsm_errname(rc));
        found = !strcmp(l.name, t[1].text);
    }
    const char *have = (unsigned)l.status < 4 ? names[l.status] : "?";
    if (strcmp(have, t[2].text))
        return run_fail(r, "level '%s' of %s is %s, expected %s", t[1].text, t[0].text, have, t[2].text);
    for (size_t i = 3; i < n; i++) {
        size_t v;
        if (!t[i].key)
            return run_fail(r, "usage: %s", usage);
        if (!strcmp(t[i].key, "approvals"))
            v = l.approvals;
        else if (!strcmp(t[i].key, "rejections"))
            v = l.rejections;
        else if (!strcmp(t[i].key, "needed"))
            v = l.needed;
        else
            return run_fail(r, "usage: %s", usage);
        if (want_count(r, &t[i], v, t[i].key, t[0].text))
            return -1;
    }
    return 0;
}

/* ---- risk ----------------------------------------------------------------- */

static int cmd_risk_answer(runner *r, tok *t, size_t n)
{
    if (n != 3 || t[0].key || t[1].key || t[2].key)
        return run_fail(r, "usage: risk answer ID QUESTION ANSWER");
    int rc;
    itsm_record *rec = run_find_rec(r, t[0].text, &rc);
    return run_act(r, rec ? itsm_record_answer_risk(rec, t[1].text, t[2].text) : rc);
}

/* expect risk ID LEVEL|none [score=N] [answered=N] */
static int cmd_expect_risk(runner *r, tok *t, size_t n)
{
    static const char usage[] = "expect risk ID LEVEL|none [score=N] [answered=N]";
    if (n < 2 || n > 4 || t[0].key || t[1].key)
        return run_fail(r, "usage: %s", usage);
    itsm_record *rec = run_need_rec(r, t[0].text);
    if (!rec)
        return -1;
    itsm_risk_info ri = { .size = sizeof ri };
    int rc = itsm_record_risk(&ri, rec);
    if (rc)
        return run_fail(r, "itsm_record_risk(%s): %s", t[0].text, itsm_errname(rc));
    const char *have = ri.level ? ri.level : "none";
    if (strcmp(have, t[1].text))
        return run_fail(r, "the risk of %s is %s, expected %s", t[0].text, have, t[1].text);
    for (size_t i = 2; i < n; i++) {
        if (!t[i].key)
            return run_fail(r, "usage: %s", usage);
        if (!strcmp(t[i].key, "score")) {
            if (want_count(r, &t[i], (size_t)ri.score, "the risk score", t[0].text))
                return -1;
        } else if (!strcmp(t[i].key, "answered")) {
            if (want_count(r, &t[i], ri.answered, "the risk questions answered", t[0].text))
                return -1;
        } else {
            return run_fail(r, "usage: %s", usage);
        }
    }
    return 0;
}

/* ---- the change schedule --------------------------------------------------- */

/* plan ID start=TIME end=TIME | plan ID none */
static int cmd_plan(runner *r, tok *t, size_t n)
{
    static const char usage[] = "plan ID start=TIME end=TIME | plan ID none";
    itsm_time start = ITSM_TIME_NONE, end = ITSM_TIME_NONE;
    if (n == 2 && !t[1].key && !t[1].quoted && !strcmp(t[1].text, "none")) {
        /* remove the plan */
    } else if (n == 3 && t[1].key && t[2].key && !strcmp(t[1].key, "start") && !strcmp(t[2].key, "end")) {
        if (run_parse_time(r, t[1].text, &start, "start") || run_parse_time(r, t[2].text, &end, "end"))
            return -1;
    } else {
        return run_fail(r, "usage: %s", usage);
    }
    if (t[0].key)
        return run_fail(r, "usage: %s", usage);
    int rc;
    itsm_record *rec = run_find_rec(r, t[0].text, &rc);
    return run_act(r, rec ? itsm_change_plan(rec, start, end) : rc);
}

/* expect plan ID none | expect plan ID start=TIME end=TIME */
static int cmd_expect_plan(runner *r, tok *t, size_t n)
{
    static const char usage[] = "expect plan ID none|start=TIME end=TIME";
    if ((n != 2 && n != 3) || t[0].key)
        return run_fail(r, "usage: %s", usage);
    itsm_record *rec = run_need_rec(r, t[0].text);
    if (!rec)
        return -1;
    itsm_time s, e, ws = ITSM_TIME_NONE, we = ITSM_TIME_NONE;
    itsm_change_planned(&s, &e, rec);
    if (n == 3) {
        if (!t[1].key || !t[2].key || strcmp(t[1].key, "start") || strcmp(t[2].key, "end"))
            return run_fail(r, "usage: %s", usage);
        if (run_parse_time(r, t[1].text, &ws, "start") || run_parse_time(r, t[2].text, &we, "end"))
            return -1;
    } else if (t[1].key || strcmp(t[1].text, "none")) {
        return run_fail(r, "usage: %s", usage);
    }
    if (s != ws || e != we) {
        char a[32], b[32], c[32], d[32];
        run_format_time(s, a);
        run_format_time(e, b);
        run_format_time(ws, c);
        run_format_time(we, d);
        return run_fail(r, "the plan of %s is %s..%s, expected %s..%s", t[0].text, a, b, c, d);
    }
    return 0;
}

/* "ID ID ..." of the records listed, into buf. */
static void ids_of(itsm_record *const *recs, size_t n, char *buf, size_t cap)
{
    size_t off = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < n && off < cap; i++)
        off += (size_t)snprintf(buf + off, cap - off, "%s%s", i ? " " : "", itsm_record_id(recs[i]));
}

/* The remaining tokens as one space-separated list ("none": empty). */
static int want_ids(runner *r, tok *t, size_t n, char *buf, size_t cap)
{
    size_t off = 0;
    buf[0] = '\0';
    if (n == 1 && !t[0].key && !strcmp(t[0].text, "none"))
        return 0;
    for (size_t i = 0; i < n; i++) {
        if (t[i].key)
            return -1;
        off += (size_t)snprintf(buf + off, cap > off ? cap - off : 0, "%s%s", i ? " " : "", t[i].text);
    }
    (void)r;
    return 0;
}

/* expect schedule [from=T] [to=T] [service=S] [ci=C] [planned=yes] ID...|none */
static int cmd_expect_schedule(runner *r, tok *t, size_t n)
{
    static const char usage[] = "expect schedule [from=TIME] [to=TIME] [service=S] [ci=C] [planned=yes|no] ID...|none";
    itsm_schedule_query q = ITSM_SCHEDULE_QUERY_INIT;
    size_t i = 0;
    for (; i < n && t[i].key; i++) {
        if (!strcmp(t[i].key, "from")) {
            if (run_parse_time(r, t[i].text, &q.from, "from"))
                return -1;
        } else if (!strcmp(t[i].key, "to")) {
            if (run_parse_time(r, t[i].text, &q.to, "to"))
                return -1;
        } else if (!strcmp(t[i].key, "service")) {
            q.service = t[i].text;
        } else if (!strcmp(t[i].key, "ci")) {
            q.ci = t[i].text;
        } else if (!strcmp(t[i].key, "planned")) {
            if (run_parse_bool(r, t[i].text, &q.planned, "planned"))
                return -1;
        } else {
            return run_fail(r, "usage: %s", usage);
        }
    }
    char want[1024], have[1024];
    if (i == n || want_ids(r, t + i, n - i, want, sizeof want))
        return run_fail(r, "usage: %s", usage);
    itsm_schedule_entry e[64];
    itsm_record *recs[64];
    size_t k = 0;
    e[0].size = sizeof e[0];
    int rc = itsm_change_schedule(e, 64, &k, r->eng, &q);
    if (rc)
        return run_fail(r, "itsm_change_schedule: %s: %s", itsm_errname(rc), itsm_errmsg(r->eng));
    for (size_t j = 0; j < k; j++)
        recs[j] = e[j].rec;
    ids_of(recs, k, have, sizeof have);
    if (strcmp(want, have))
        return run_fail(r, "the forward schedule lists \"%s\", expected \"%s\"", have, want);
    return 0;
}

/* expect collisions ID ID...|none */
static int cmd_expect_collisions(runner *r, tok *t, size_t n)
{
    static const char usage[] = "expect collisions ID ID...|none";
    char want[1024], have[1024];
    if (n < 2 || t[0].key || want_ids(r, t + 1, n - 1, want, sizeof want))
        return run_fail(r, "usage: %s", usage);
    itsm_record *rec = run_need_rec(r, t[0].text);
    if (!rec)
        return -1;
    itsm_collision c[64];
    itsm_record *recs[64];
    size_t k = 0;
    c[0].size = sizeof c[0];
    int rc = itsm_change_collisions(c, 64, &k, rec);
    if (rc)
        return run_fail(r, "itsm_change_collisions: %s: %s", itsm_errname(rc), itsm_errmsg(r->eng));
    for (size_t j = 0; j < k; j++)
        recs[j] = c[j].with;
    ids_of(recs, k, have, sizeof have);
    if (strcmp(want, have))
        return run_fail(r, "%s collides with \"%s\", expected \"%s\"", t[0].text, have, want);
    return 0;
}

/* expect findings ID N */
static int cmd_expect_findings(runner *r, tok *t, size_t n)
{
    if (n != 2 || t[0].key || t[1].key)
        return run_fail(r, "usage: expect findings ID N");
    itsm_record *rec = run_need_rec(r, t[0].text);
    if (!rec)
        return -1;
    return want_count(r, &t[1], itsm_change_findings(rec), "the schedule findings", t[0].text);
}

const cmd_row run_commands_change[] = {
    { "plan",                   cmd_plan,                1, 0 },
    { "expect plan",            cmd_expect_plan,         0, 1 },
    { "expect schedule",        cmd_expect_schedule,     0, 1 },
    { "expect collisions",      cmd_expect_collisions,   0, 1 },
    { "expect findings",        cmd_expect_findings,     0, 1 },
    { "approval approve",       cmd_approval_approve,    1, 0 },
    { "approval reject",        cmd_approval_reject,     1, 0 },
    { "approval delegate",      cmd_approval_delegate,   1, 0 },
    { "expect approval",        cmd_expect_approval,     0, 1 },
    { "expect level",           cmd_expect_level,        0, 1 },
    { "risk answer",            cmd_risk_answer,         1, 0 },
    { "expect risk",            cmd_expect_risk,         0, 1 },
    { NULL, NULL, 0, 0 },
};
