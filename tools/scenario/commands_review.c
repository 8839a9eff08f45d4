/* SPDX-License-Identifier: Apache-2.0 */
/*
 * itsm-scenario: commands for the post-incident review of a major incident
 * - its causes and action items, their owners and due dates (itsm/review.h).
 */
#include "runner.h"

#include <itsm/review.h>

#include <stdio.h>
#include <string.h>

static int plain(const tok *t, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (t[i].key)
            return 0;
    return 1;
}

/* review open ID */
static int cmd_review_open(runner *r, tok *t, size_t n)
{
    if (n != 1 || !plain(t, n))
        return run_fail(r, "usage: review open ID");
    int rc;
    itsm_record *rec = run_find_rec(r, t[0].text, &rc);
    return run_act(r, rec ? itsm_review_open(rec) : rc);
}

/* review cause ID "text" */
static int cmd_review_cause(runner *r, tok *t, size_t n)
{
    if (n != 2 || !plain(t, n) || !t[1].quoted)
        return run_fail(r, "usage: review cause ID \"text\"");
    int rc;
    itsm_record *rec = run_find_rec(r, t[0].text, &rc);
    return run_act(r, rec ? itsm_review_add_cause(rec, t[1].text) : rc);
}

/* review action ID ACTION "text" due=TIME [owner=WHO] */
static int cmd_review_action(runner *r, tok *t, size_t n)
{
    static const char usage[] = "usage: review action ID ACTION \"text\" due=TIME [owner=WHO]";
    if (n < 4 || n > 5 || !plain(t, 3) || !t[2].quoted)
        return run_fail(r, usage);
    itsm_time due = ITSM_TIME_NONE;
    const char *owner = NULL;
    for (size_t i = 3; i < n; i++) {
        if (t[i].key && !strcmp(t[i].key, "due")) {
            if (run_parse_time(r, t[i].text, &due, "due"))
                return -1;
        } else if (t[i].key && !strcmp(t[i].key, "owner")) {
            owner = t[i].text;
        } else {
            return run_fail(r, usage);
        }
    }
    if (due == ITSM_TIME_NONE)
        return run_fail(r, usage);
    int rc;
    itsm_record *rec = run_find_rec(r, t[0].text, &rc);
    return run_act(r, rec ? itsm_review_add_action(rec, t[1].text, t[2].text, owner, due) : rc);
}

/* review assign ID ACTION WHO */
static int cmd_review_assign(runner *r, tok *t, size_t n)
{
    if (n != 3 || !plain(t, n))
        return run_fail(r, "usage: review assign ID ACTION WHO");
    int rc;
    itsm_record *rec = run_find_rec(r, t[0].text, &rc);
    return run_act(r, rec ? itsm_review_assign_action(rec, t[1].text, t[2].text) : rc);
}

/* review done ID ACTION ["note"] */
static int cmd_review_done(runner *r, tok *t, size_t n)
{
    if (n < 2 || n > 3 || !plain(t, n) || (n == 3 && !t[2].quoted))
        return run_fail(r, "usage: review done ID ACTION [\"note\"]");
    int rc;
    itsm_record *rec = run_find_rec(r, t[0].text, &rc);
    return run_act(r, rec ? itsm_review_action_done(rec, t[1].text, n == 3 ? t[2].text : NULL) : rc);
}

/* review complete ID */
static int cmd_review_complete(runner *r, tok *t, size_t n)
{
    if (n != 1 || !plain(t, n))
        return run_fail(r, "usage: review complete ID");
    int rc;
    itsm_record *rec = run_find_rec(r, t[0].text, &rc);
    return run_act(r, rec ? itsm_review_complete(rec) : rc);
}

static int want_count(runner *r, const tok *k, size_t have, const char *of)
{
    int64_t want;
    if (run_parse_int(r, k->text, &want, k->key))
        return -1;
    if ((int64_t)have != want)
        return run_fail(r, "%s: %s is %zu, expected %lld", of, k->key, have, (long long)want);
    return 0;
}

/* expect review ID none|open|complete [causes=N] [actions=N] [open=N] [unowned=N] [overdue=N] */
static int cmd_expect_review(runner *r, tok *t, size_t n)
{
    static const char usage[] = "usage: expect review ID none|open|complete [causes=N] [actions=N] [open=N] "
                                "[unowned=N] [overdue=N]";
    if (n < 2 || !plain(t, 2))
        return run_fail(r, usage);
    itsm_record *rec = run_need_rec(r, t[0].text);
    if (!rec)
        return -1;
    itsm_review_info ri = { .size = sizeof ri };
    int rc = itsm_record_review(&ri, rec);
    const char *have = rc == ITSM_ENOTFOUND ? "none" : rc ? "unreadable" : ri.complete ? "complete" : "open";
    if (strcmp(have, t[1].text))
        return run_fail(r, "the review of %s is %s, expected %s", t[0].text, have, t[1].text);
    for (size_t i = 2; i < n; i++) {
        const char *k = t[i].key;
        size_t v;
        if (!k || rc)
            return run_fail(r, usage);
        if (!strcmp(k, "causes"))
            v = ri.causes;
        else if (!strcmp(k, "actions"))
            v = ri.actions;
        else if (!strcmp(k, "open"))
            v = ri.open_actions;
        else if (!strcmp(k, "unowned"))
            v = ri.unowned_actions;
        else if (!strcmp(k, "overdue"))
            v = ri.overdue_actions;
        else
            return run_fail(r, usage);
        if (want_count(r, &t[i], v, t[0].text))
            return -1;
    }
    return 0;
}

/* expect review_action ID ACTION open|done [owner=WHO|none] [due=TIME] [overdue=BOOL] */
static int cmd_expect_review_action(runner *r, tok *t, size_t n)
{
    static const char usage[] = "usage: expect review_action ID ACTION open|done [owner=WHO|none] [due=TIME] "
                                "[overdue=BOOL]";
    if (n < 3 || !plain(t, 3))
        return run_fail(r, usage);
    itsm_record *rec = run_need_rec(r, t[0].text);
    if (!rec)
        return -1;
    itsm_review_info ri = { .size = sizeof ri };
    if (itsm_record_review(&ri, rec) != ITSM_OK)
        return run_fail(r, "%s has no review", t[0].text);
    itsm_review_action a = { .size = sizeof a };
    size_t k = 0;
    for (; k < ri.actions; k++)
        if (itsm_review_action_at(&a, rec, k) == ITSM_OK && !strcmp(a.id, t[1].text))
            break;
    if (k == ri.actions)
        return run_fail(r, "the review of %s has no action '%s'", t[0].text, t[1].text);
    if (strcmp(a.done ? "done" : "open", t[2].text))
        return run_fail(r, "action '%s' of %s is %s, expected %s", t[1].text, t[0].text, a.done ? "done" : "open",
                        t[2].text);
    for (size_t i = 3; i < n; i++) {
        const char *key = t[i].key;
        if (!key)
            return run_fail(r, usage);
        if (!strcmp(key, "owner")) {
            if (strcmp(a.owner ? a.owner : "none", t[i].text))
                return run_fail(r, "action '%s' is owned by %s, expected %s", t[1].text, a.owner ? a.owner : "none",
                                t[i].text);
        } else if (!strcmp(key, "due")) {
            itsm_time want;
            if (run_parse_time(r, t[i].text, &want, key))
                return -1;
            if (a.due != want) {
                char have[32];
                run_format_time(a.due, have);
                return run_fail(r, "action '%s' is due %s, expected %s", t[1].text, have, t[i].text);
            }
        } else if (!strcmp(key, "overdue")) {
            int want;
            if (run_parse_bool(r, t[i].text, &want, key))
                return -1;
            if (want != a.overdue)
                return run_fail(r, "action '%s' is %soverdue", t[1].text, a.overdue ? "" : "not ");
        } else {
            return run_fail(r, usage);
        }
    }
    return 0;
}

/* expect review_actions [open=N] [overdue=N] [unowned=N] - every review of the engine */
static int cmd_expect_review_actions(runner *r, tok *t, size_t n)
{
    static const char usage[] = "usage: expect review_actions [open=N] [overdue=N] [unowned=N]";
    size_t open = 0, overdue = 0, unowned = 0;
    itsm_engine_review_actions(r->eng, &open, &overdue, &unowned);
    if (!n)
        return run_fail(r, usage);
    for (size_t i = 0; i < n; i++) {
        const char *k = t[i].key;
        if (!k)
            return run_fail(r, usage);
        size_t v = !strcmp(k, "open") ? open : !strcmp(k, "overdue") ? overdue : unowned;
        if (strcmp(k, "open") && strcmp(k, "overdue") && strcmp(k, "unowned"))
            return run_fail(r, usage);
        if (want_count(r, &t[i], v, "the review actions"))
            return -1;
    }
    return 0;
}

const cmd_row run_commands_review[] = {
    { "review open",            cmd_review_open,            1, 0 },
    { "review cause",           cmd_review_cause,           1, 0 },
    { "review action",          cmd_review_action,          1, 0 },
    { "review assign",          cmd_review_assign,          1, 0 },
    { "review done",            cmd_review_done,            1, 0 },
    { "review complete",        cmd_review_complete,        1, 0 },
    { "expect review",          cmd_expect_review,          0, 1 },
    { "expect review_action",   cmd_expect_review_action,   0, 1 },
    { "expect review_actions",  cmd_expect_review_actions,  0, 1 },
    { NULL, NULL, 0, 0 },
};
