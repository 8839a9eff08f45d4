/* SPDX-License-Identifier: Apache-2.0 */
/*
 * itsm-scenario: commands for on-call escalation and alert intake
 * (itsm/oncall.h): paging by hand, acknowledging, taking in an alert, and
 * the expectations on a climb and an incident's alerts.
 */
#include "runner.h"

#include <itsm/oncall.h>

#include <stdio.h>
#include <string.h>

static const char *const status_names[] = { "none", "paging", "acknowledged", "exhausted", "stopped" };
static const char *const outcome_names[] = { NULL, "opened", "duplicate", "grouped" };

/* page ID POLICY */
static int cmd_page(runner *r, tok *t, size_t n)
{
    if (run_need(r, n, 2, 2, "page ID POLICY"))
        return -1;
    int rc;
    itsm_record *rec = run_find_rec(r, t[0].text, &rc);
    return run_act(r, rec ? itsm_oncall_page(rec, t[1].text) : rc);
}

/* ack ID NAME */
static int cmd_ack(runner *r, tok *t, size_t n)
{
    if (run_need(r, n, 2, 2, "ack ID NAME"))
        return -1;
    int rc;
    itsm_record *rec = run_find_rec(r, t[0].text, &rc);
    return run_act(r, rec ? itsm_oncall_acknowledge(rec, t[1].text) : rc);
}

/* alert KEY [group=G] [field=value...] */
static int cmd_alert(runner *r, tok *t, size_t n)
{
    if (run_need(r, n, 1, RUN_MAX_TOKENS, "alert KEY [group=G] [field=value...]") || run_bare(r, &t[0], "key"))
        return -1;
    itsm_alert a = ITSM_ALERT_INIT;
    a.dedup_key = t[0].text;
    size_t first = 1;
    if (n > 1 && t[1].key && !strcmp(t[1].key, "group")) {
        a.group = t[1].text;
        first = 2;
    }
    itsm_change ch[RUN_MAX_CHANGES];
    size_t nch;
    if (run_parse_changes(r, t + first, n - first, ch, &nch))
        return -1;
    a.fields = ch;
    a.nfields = nch;
    itsm_alert_outcome how = (itsm_alert_outcome)0;
    itsm_record *rec = NULL;
    int rc = itsm_alert_ingest(&rec, &how, r->eng, &a);
    if (!rc) {
        r->alert_rec = rec;
        r->alert_outcome = (int)how;
    }
    return run_act(r, rc);
}

/* expect alert opened|duplicate|grouped ID - the last alert's outcome */
static int cmd_expect_alert(runner *r, tok *t, size_t n)
{
    if (run_need(r, n, 2, 2, "expect alert opened|duplicate|grouped ID"))
        return -1;
    int want = run_name_index(RUN_NAMES(outcome_names), t[0].text);
    if (want < 0)
        return run_fail(r, "expect alert: expected opened, duplicate or grouped, got '%s'", t[0].text);
    if (!r->alert_rec)
        return run_fail(r, "expect alert: no alert taken in yet");
    if (r->alert_outcome != want || strcmp(itsm_record_id(r->alert_rec), t[1].text) != 0)
        return run_fail(r, "the last alert was %s on %s, expected %s on %s", outcome_names[r->alert_outcome],
                        itsm_record_id(r->alert_rec), t[0].text, t[1].text);
    return 0;
}

/* expect alerts ID N */
static int cmd_expect_alerts(runner *r, tok *t, size_t n)
{
    int64_t want;
    if (run_need(r, n, 2, 2, "expect alerts ID N") || run_parse_int(r, t[1].text, &want, "count"))
        return -1;
    itsm_record *rec = run_need_rec(r, t[0].text);
    if (!rec)
        return -1;
    uint32_t have = itsm_record_alert_count(rec);
    if ((int64_t)have != want)
        return run_fail(r, "%s took in %u alerts, expected %lld", t[0].text, have, (long long)want);
    return 0;
}

/* expect oncall ID STATUS [step=N] [round=N] [pages=N] [by=NAME] [due=TIME] */
static int cmd_expect_oncall(runner *r, tok *t, size_t n)
{
    if (run_need(r, n, 2, 7, "expect oncall ID none|paging|acknowledged|exhausted|stopped [step=N] [round=N] "
                             "[pages=N] [by=NAME] [due=TIME]"))
        return -1;
    itsm_record *rec = run_need_rec(r, t[0].text);
    if (!rec)
        return -1;
    int want = run_name_index(RUN_NAMES(status_names), t[1].text);
    if (want < 0)
        return run_fail(r, "expect oncall: unknown status '%s'", t[1].text);
    itsm_oncall_info o = { .size = sizeof o };
    int rc = itsm_record_oncall(&o, rec);
    int have = rc == ITSM_OK ? (int)o.status : 0;
    if (have != want)
        return run_fail(r, "the climb of %s is %s, expected %s", t[0].text, status_names[have], t[1].text);
    for (size_t i = 2; i < n; i++) {
        const char *k = t[i].key;
        if (!k)
            return run_fail(r, "expect oncall: expected key=value, got '%s'", t[i].text);
        if (!strcmp(k, "by")) {
            if (!o.acked_by || strcmp(o.acked_by, t[i].text) != 0)
                return run_fail(r, "%s was acknowledged by %s, expected %s", t[0].text,
                                o.acked_by ? o.acked_by : "nobody", t[i].text);
            continue;
        }
        if (!strcmp(k, "due")) {
            itsm_time due;
            if (run_parse_time(r, t[i].text, &due, "due"))
                return -1;
            if (due != o.due) {
                char a[32], b[32];
                run_format_time(o.due, a);
                run_format_time(due, b);
                return run_fail(r, "the page of %s is due %s, expected %s", t[0].text, a, b);
            }
            continue;
        }
        int64_t v;
        unsigned got;
        if (!strcmp(k, "step"))
            got = o.step;
        else if (!strcmp(k, "round"))
            got = o.round;
        else if (!strcmp(k, "pages"))
            got = o.pages;
        else
            return run_fail(r, "expect oncall: unknown member '%s'", k);
        if (run_parse_int(r, t[i].text, &v, k))
            return -1;
        if ((int64_t)got != v)
            return run_fail(r, "the %s of %s's climb is %u, expected %lld", k, t[0].text, got, (long long)v);
    }
    return 0;
}

const cmd_row run_commands_oncall[] = {
    { "page",          cmd_page,          1, 0 },
    { "ack",           cmd_ack,           1, 0 },
    { "alert",         cmd_alert,         1, 0 },
    { "expect alert",  cmd_expect_alert,  0, 1 },
    { "expect alerts", cmd_expect_alerts, 0, 1 },
    { "expect oncall", cmd_expect_oncall, 0, 1 },
    { NULL, NULL, 0, 0 },
};
