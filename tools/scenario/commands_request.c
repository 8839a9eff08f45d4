/* SPDX-License-Identifier: Apache-2.0 */
/*
 * itsm-scenario: commands for request fulfilment - the catalogue item of a
 * service request and its tasks (itsm/request.h).
 */
#include "runner.h"

#include <itsm/request.h>

#include <stdio.h>
#include <string.h>

static int plain(const tok *t, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (t[i].key)
            return 0;
    return 1;
}

/* request item ID ITEM */
static int cmd_request_item(runner *r, tok *t, size_t n)
{
    if (n != 2 || !plain(t, n))
        return run_fail(r, "usage: request item ID ITEM");
    int rc;
    itsm_record *rec = run_find_rec(r, t[0].text, &rc);
    return run_act(r, rec ? itsm_request_choose_item(rec, t[1].text) : rc);
}

/* task assign ID TASK WHO */
static int cmd_task_assign(runner *r, tok *t, size_t n)
{
    if (n != 3 || !plain(t, n))
        return run_fail(r, "usage: task assign ID TASK WHO");
    int rc;
    itsm_record *rec = run_find_rec(r, t[0].text, &rc);
    return run_act(r, rec ? itsm_request_task_assign(rec, t[1].text, t[2].text) : rc);
}

/* task done|cancel ID TASK ["note"] */
static int task_close(runner *r, tok *t, size_t n, itsm_task_state state)
{
    if (n < 2 || n > 3 || !plain(t, n) || (n == 3 && !t[2].quoted))
        return run_fail(r, "usage: task %s ID TASK [\"note\"]", state == ITSM_TASK_DONE ? "done" : "cancel");
    int rc;
    itsm_record *rec = run_find_rec(r, t[0].text, &rc);
    return run_act(r, rec ? itsm_request_task_close(rec, t[1].text, state, n == 3 ? t[2].text : NULL) : rc);
}

static int cmd_task_done(runner *r, tok *t, size_t n) { return task_close(r, t, n, ITSM_TASK_DONE); }
static int cmd_task_cancel(runner *r, tok *t, size_t n) { return task_close(r, t, n, ITSM_TASK_CANCELED); }

/* expect item ID ITEM|none */
static int cmd_expect_item(runner *r, tok *t, size_t n)
{
    if (n != 2 || !plain(t, n))
        return run_fail(r, "usage: expect item ID ITEM|none");
    itsm_record *rec = run_need_rec(r, t[0].text);
    if (!rec)
        return -1;
    const char *have = itsm_request_item(rec);
    if (strcmp(have ? have : "none", t[1].text))
        return run_fail(r, "the catalogue item of %s is %s, expected %s", t[0].text, have ? have : "none", t[1].text);
    return 0;
}

/* expect tasks ID N */
static int cmd_expect_tasks(runner *r, tok *t, size_t n)
{
    int64_t want;
    if (n != 2 || !plain(t, n))
        return run_fail(r, "usage: expect tasks ID N");
    itsm_record *rec = run_need_rec(r, t[0].text);
    if (!rec || run_parse_int(r, t[1].text, &want, "N"))
        return -1;
    size_t have = itsm_request_task_count(rec);
    if ((int64_t)have != want)
        return run_fail(r, "%s has %zu tasks, expected %lld", t[0].text, have, (long long)want);
    return 0;
}

static int want_time(runner *r, const tok *k, itsm_time have, const char *what, const char *task)
{
    itsm_time want = ITSM_TIME_NONE;
    if (strcmp(k->text, "none") && run_parse_time(r, k->text, &want, k->key))
        return -1;
    if (have != want)
        return run_fail(r, "the %s of task '%s' is %lld, expected %s (%lld)", what, task, (long long)have, k->text,
                        (long long)want);
    return 0;
}

/* expect task ID TASK waiting|open|done|canceled [group=G] [step=N]
 *   [assignee=X|none] [opened=TIME] [due=TIME] [closed=TIME] [breached=BOOL] */
static int cmd_expect_task(runner *r, tok *t, size_t n)
{
    static const char usage[] = "expect task ID TASK waiting|open|done|canceled [group=G] [step=N] "
                                "[assignee=X|none] [opened=TIME] [due=TIME] [closed=TIME] [breached=BOOL]";
    if (n < 3 || !plain(t, 3))
        return run_fail(r, "usage: %s", usage);
    itsm_record *rec = run_need_rec(r, t[0].text);
    if (!rec)
        return -1;
    itsm_task_info ti = { .size = sizeof ti };
    size_t k = 0, count = itsm_request_task_count(rec);
    for (; k < count; k++) {
        ti.size = sizeof ti;
        if (itsm_request_task_at(&ti, rec, k) == ITSM_OK && !strcmp(ti.name, t[1].text))
            break;
    }
    if (k == count)
        return run_fail(r, "%s has no task '%s'", t[0].text, t[1].text);
    if (strcmp(itsm_task_state_name(ti.state), t[2].text))
        return run_fail(r, "task '%s' of %s is %s, expected %s", t[1].text, t[0].text, itsm_task_state_name(ti.state),
                        t[2].text);
    for (size_t i = 3; i < n; i++) {
        const char *key = t[i].key;
        if (!key)
            return run_fail(r, "usage: %s", usage);
        if (!strcmp(key, "group") || !strcmp(key, "assignee")) {
            const char *have = !strcmp(key, "group") ? ti.group : ti.assignee;
            if (strcmp(have ? have : "none", t[i].text))
                return run_fail(r, "the %s of task '%s' is %s, expected %s", key, t[1].text, have ? have : "none",
                                t[i].text);
        } else if (!strcmp(key, "step")) {
            int64_t want;
            if (run_parse_int(r, t[i].text, &want, key))
                return -1;
            if (want != ti.step)
                return run_fail(r, "task '%s' is in step %d, expected %lld", t[1].text, ti.step, (long long)want);
        } else if (!strcmp(key, "breached")) {
            int want;
            if (run_parse_bool(r, t[i].text, &want, key))
                return -1;
            if (want != ti.breached)
                return run_fail(r, "task '%s' %s its OLA", t[1].text, ti.breached ? "breached" : "met");
        } else if (!strcmp(key, "opened") || !strcmp(key, "due") || !strcmp(key, "closed")) {
            itsm_time have = key[0] == 'o' ? ti.opened_at : key[0] == 'd' ? ti.due : ti.closed_at;
            if (want_time(r, &t[i], have, key, t[1].text))
                return -1;
        } else {
            return run_fail(r, "usage: %s", usage);
        }
    }
    return 0;
}

const cmd_row run_commands_request[] = {
    { "request item",  cmd_request_item,  1, 0 },
    { "task assign",   cmd_task_assign,   1, 0 },
    { "task done",     cmd_task_done,     1, 0 },
    { "task cancel",   cmd_task_cancel,   1, 0 },
    { "expect item",   cmd_expect_item,   0, 1 },
    { "expect tasks",  cmd_expect_tasks,  0, 1 },
    { "expect task",   cmd_expect_task,   0, 1 },
    { NULL, NULL, 0, 0 },
};
