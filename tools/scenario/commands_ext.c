/* SPDX-License-Identifier: Apache-2.0 */
/*
 * itsm-scenario: commands for service levels (tick, timers), escalation,
 * major incidents, known outages, the survey and the exceptions report.
 */
#include "runner.h"

#include <itsm/sla.h>
#include <itsm/escalation.h>
#include <itsm/communication.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- service levels ------------------------------------------------------ */

static int cmd_tick(runner *r, tok *t, size_t n)
{
    (void)t;
    if (run_need(r, n, 0, 0, "tick"))
        return -1;
    r->fired = 0;
    return run_act(r, itsm_engine_tick(r->eng, r->now, &r->fired));
}

static int cmd_expect_fired(runner *r, tok *t, size_t n)
{
    int64_t want;
    if (run_need(r, n, 1, 1, "expect fired N") || run_parse_int(r, t[0].text, &want, "fired"))
        return -1;
    if (r->fired != (size_t)want)
        return run_fail(r, "the last tick fired %zu timers, expected %lld", r->fired, (long long)want);
    return 0;
}

static const char *const timer_names[] = { "response", "resolution", "ola", "next_update" };
static const char *const timer_status_names[] = { "none", "running", "paused", "stopped" };

/* expect timer ID TIMER STATUS [breached|on_time] [remaining=DURATION]
 *              [elapsed=DURATION] [due=TIME|none] [calendar=NAME] */
static int cmd_expect_timer(runner *r, tok *t, size_t n)
{
    if (run_need(r, n, 3, 8, "expect timer ID response|resolution|ola|next_update "
                         "none|running|paused|stopped [breached|on_time] [remaining=DURATION] "
                         "[elapsed=DURATION] [due=TIME|none] [calendar=NAME]"))
        return -1;
    itsm_record *rec = run_need_rec(r, t[0].text);
    if (!rec)
        return -1;
    int tm = run_name_index(RUN_NAMES(timer_names), t[1].text);
    if (tm < 0)
        return run_fail(r, "unknown timer '%s'", t[1].text);
    itsm_timer_info info = { .size = sizeof info };
    int rc = itsm_record_timer(&info, rec, (itsm_timer)tm, r->now);
    if (rc)
        return run_fail(r, "itsm_record_timer: %s", itsm_errname(rc));
    const char *st = (unsigned)info.status < 4 ? timer_status_names[info.status] : "?";
    if (strcmp(st, t[2].text))
        return run_fail(r, "the %s timer of %s is %s, expected %s", t[1].text, t[0].text, st, t[2].text);
    for (size_t i = 3; i < n; i++) {
        if (t[i].key && !strcmp(t[i].key, "remaining")) {
            int64_t want;
            int neg = t[i].text[0] == '-';
            if (run_parse_duration(r, t[i].text + neg, &want, "remaining"))
                return -1;
            if (neg)
                want = -want;
            if (info.remaining != want)
                return run_fail(r, "the %s timer of %s has %lld s left, expected %lld", t[1].text,
                                t[0].text, (long long)info.remaining, (long long)want);
        } else if (t[i].key && !strcmp(t[i].key, "elapsed")) {
            int64_t want;
            if (run_parse_duration(r, t[i].text, &want, "elapsed"))
                return -1;
            if (info.elapsed != want)
                return run_fail(r, "the %s timer of %s has %lld s elapsed, expected %lld", t[1].text,
                                t[0].text, (long long)info.elapsed, (long long)want);
        } else if (t[i].key && !strcmp(t[i].key, "due")) {
            itsm_time want = ITSM_TIME_NONE;
            if (strcmp(t[i].text, "none") && run_parse_time(r, t[i].text, &want, "due"))
                return -1;
            if (info.due != want) {
                char got[32], exp[32];
                run_format_time(info.due, got);
                run_format_time(want, exp);
                return run_fail(r, "the %s timer of %s is due %s, expected %s", t[1].text, t[0].text, got, exp);
            }
        } else if (t[i].key && !strcmp(t[i].key, "calendar")) {
            if (!info.calendar || strcmp(info.calendar, t[i].text))
                return run_fail(r, "the %s timer of %s is on calendar %s, expected %s", t[1].text, t[0].text,
                                info.calendar ? info.calendar : "none", t[i].text);
        } else if (!strcmp(t[i].text, "breached") || !strcmp(t[i].text, "on_time")) {
            int want = t[i].text[0] == 'b';
            if (!!info.breached != want)
                return run_fail(r, "the %s timer of %s is %sbreached", t[1].text, t[0].text,
                                info.breached ? "" : "not ");
        } else {
            return run_fail(r, "expect timer: unknown word '%s'", t[i].key ? t[i].key : t[i].text);
        }
    }
    return 0;
}

/* ---- escalation and major incidents -------------------------------------- */

/* escalate ID "what was tried" [level=N] [group=G] */
static int cmd_escalate(runner *r, tok *t, size_t n)
{
    if (run_need(r, n, 2, 4, "escalate ID \"what was tried\" [level=N] [group=G]"))
        return -1;
    int64_t level = 0;
    const char *group = NULL;
    for (size_t i = 2; i < n; i++) {
        if (t[i].key && !strcmp(t[i].key, "level")) {
            if (run_parse_int(r, t[i].text, &level, "level"))
                return -1;
        } else if (t[i].key && !strcmp(t[i].key, "group")) {
            group = t[i].text;
        } else {
            return run_fail(r, "escalate: expected level= or group=, got '%s'",
                            t[i].key ? t[i].key : t[i].text);
        }
    }
    int rc;
    itsm_record *rec = run_find_rec(r, t[0].text, &rc);
    return run_act(r, rec ? itsm_record_escalate(rec, (int)level, group, t[1].text) : rc);
}

static int cmd_escalate_hier(runner *r, tok *t, size_t n)
{
    if (run_need(r, n, 2, 2, "escalate hierarchical ID \"reason\""))
        return -1;
    int rc;
    itsm_record *rec = run_find_rec(r, t[0].text, &rc);
    return run_act(r, rec ? itsm_record_escalate_hierarchical(rec, t[1].text) : rc);
}

/* sla ID NAME|none: put the record on another SLA by hand (none: back to
 * its service's); itsm_record_set_sla. */
static int cmd_sla(runner *r, tok *t, size_t n)
{
    if (run_need(r, n, 2, 2, "sla ID NAME|none") || run_bare(r, &t[1], "sla"))
        return -1;
    int rc;
    itsm_record *rec = run_find_rec(r, t[0].text, &rc);
    if (rec)
        rc = itsm_record_set_sla(rec, strcmp(t[1].text, "none") ? t[1].text : NULL);
    return run_act(r, rc);
}

static int cmd_expect_sla(runner *r, tok *t, size_t n)
{
    if (run_need(r, n, 2, 2, "expect sla ID NAME|none"))
        return -1;
    itsm_record *rec = run_need_rec(r, t[0].text);
    if (!rec)
        return -1;
    const char *s = itsm_record_sla(rec);
    if (!strcmp(t[1].text, "none") ? s != NULL : (!s || strcmp(s, t[1].text)))
        return run_fail(r, "the SLA of %s is %s, expected %s", t[0].text, s ? s : "none", t[1].text);
    return 0;
}

static int cmd_expect_audience(runner *r, tok *t, size_t n)
{
    if (run_need(r, n, 2, 2, "expect audience ID ROLE|none"))
        return -1;
    itsm_record *rec = run_need_rec(r, t[0].text);
    if (!rec)
        return -1;
    const char *a = itsm_record_escalation_audience(rec);
    if (!strcmp(t[1].text, "none") ? a != NULL : (!a || strcmp(a, t[1].text)))
        return run_fail(r, "the escalation audience of %s is %s, expected %s", t[0].text,
                        a ? a : "none", t[1].text);
    return 0;
}

static int cmd_major_propose(runner *r, tok *t, size_t n)
{
    if (run_need(r, n, 2, 2, "major propose ID \"reason\""))
        return -1;
    int rc;
    itsm_record *rec = run_find_rec(r, t[0].text, &rc);
    return run_act(r, rec ? itsm_major_propose(rec, t[1].text) : rc);
}

static int major_decide(runner *r, tok *t, size_t n, int accept)
{
    if (run_need(r, n, 2, 2, accept ? "major accept ID MANAGER" : "major reject ID MANAGER"))
        return -1;
    int rc;
    itsm_record *rec = run_find_rec(r, t[0].text, &rc);
    return run_act(r, rec ? itsm_major_decide(rec, accept, t[1].text) : rc);
}
static int cmd_major_accept(runner *r, tok *t, size_t n) { return major_decide(r, t, n, 1); }
static int cmd_major_reject(runner *r, tok *t, size_t n) { return major_decide(r, t, n, 0); }

static int cmd_major_communicated(runner *r, tok *t, size_t n)
{
    if (run_need(r, n, 1, 1, "major communicated ID"))
        return -1;
    int rc;
    itsm_record *rec = run_find_rec(r, t[0].text, &rc);
    return run_act(r, rec ? itsm_major_communication_issued(rec) : rc);
}

static int cmd_major_engage(runner *r, tok *t, size_t n)
{
    if (run_need(r, n, 2, 7, "major engage ID GROUP..."))
        return -1;
    const char *groups[6];
    for (size_t i = 1; i < n; i++)
        groups[i - 1] = t[i].text;
    int rc;
    itsm_record *rec = run_find_rec(r, t[0].text, &rc);
    return run_act(r, rec ? itsm_major_engage_groups(rec, groups, n - 1) : rc);
}

static int cmd_major_attach(runner *r, tok *t, size_t n)
{
    if (run_need(r, n, 2, 2, "major attach PARENT CHILD"))
        return -1;
    int rc;
    itsm_record *p = run_find_rec(r, t[0].text, &rc);
    itsm_record *c = p ? run_find_rec(r, t[1].text, &rc) : NULL;
    return run_act(r, p && c ? itsm_major_attach(p, c) : rc);
}

static const char *const major_state_names[] = { "none", "proposed", "accepted", "rejected" };
static const char *const major_phase_names[] = { "none", "initial", "post", "resolution" };

/* expect major ID STATE [PHASE] */
static int cmd_expect_major(runner *r, tok *t, size_t n)
{
    if (run_need(r, n, 2, 3, "expect major ID none|proposed|accepted|rejected [initial|post|resolution]"))
        return -1;
    itsm_record *rec = run_need_rec(r, t[0].text);
    if (!rec)
        return -1;
    unsigned s = (unsigned)itsm_record_major_state(rec), p = (unsigned)itsm_record_major_phase(rec);
    const char *sn = s < 4 ? major_state_names[s] : "?", *pn = p < 4 ? major_phase_names[p] : "?";
    if (strcmp(sn, t[1].text))
        return run_fail(r, "%s is major-incident %s, expected %s", t[0].text, sn, t[1].text);
    if (n == 3 && strcmp(pn, t[2].text))
        return run_fail(r, "%s is in major-incident phase %s, expected %s", t[0].text, pn, t[2].text);
    return 0;
}

/* expect deadline ID communication|groups pending|done|missed [due=TIME] */
static int cmd_expect_deadline(runner *r, tok *t, size_t n)
{
    if (run_need(r, n, 3, 4, "expect deadline ID communication|groups pending|done|missed [due=TIME]"))
        return -1;
    itsm_record *rec = run_need_rec(r, t[0].text);
    if (!rec)
        return -1;
    int which = !strcmp(t[1].text, "communication") ? 0 : !strcmp(t[1].text, "groups") ? 1 : -1;
    if (which < 0)
        return run_fail(r, "unknown deadline '%s' (communication, groups)", t[1].text);
    itsm_time due;
    int done, missed;
    int rc = itsm_record_major_deadline(&due, &done, &missed, rec, which);
    if (rc)
        return run_fail(r, "%s has no major-incident deadlines: %s", t[0].text, itsm_errname(rc));
    const char *have = missed ? "missed" : done ? "done" : "pending";
    if (done && missed)
        have = "done late";
    if (strcmp(t[2].text, "missed") ? strcmp(have, t[2].text) != 0 : !missed)
        return run_fail(r, "the %s deadline of %s is %s, expected %s", t[1].text, t[0].text, have,
                        t[2].text);
    if (n == 4) {
        itsm_time want;
        if (!t[3].key || strcmp(t[3].key, "due"))
            return run_fail(r, "expect deadline: expected due=TIME");
        if (run_parse_time(r, t[3].text, &want, "due"))
            return -1;
        if (want != due) {
            char a[32], b[32];
            run_format_time(due, a);
            run_format_time(want, b);
            return run_fail(r, "the %s deadline of %s is due %s, expected %s", t[1].text, t[0].text, a, b);
        }
    }
    return 0;
}

static int cmd_outage_declare(runner *r, tok *t, size_t n)
{
    if (run_need(r, n, 3, 3, "outage declare ID eta=TIME next=TIME"))
        return -1;
    itsm_time eta = ITSM_TIME_NONE, next = ITSM_TIME_NONE;
    for (size_t i = 1; i < n; i++) {
        if (t[i].key && !strcmp(t[i].key, "eta")) {
            if (run_parse_time(r, t[i].text, &eta, "eta"))
                return -1;
        } else if (t[i].key && !strcmp(t[i].key, "next")) {
            if (run_parse_time(r, t[i].text, &next, "next"))
                return -1;
        } else {
            return run_fail(r, "outage declare: expected eta= and next=");
        }
    }
    int rc;
    itsm_record *rec = run_find_rec(r, t[0].text, &rc);
    return run_act(r, rec ? itsm_outage_declare(rec, eta, next) : rc);
}

static int cmd_outage_end(runner *r, tok *t, size_t n)
{
    if (run_need(r, n, 1, 1, "outage end ID"))
        return -1;
    int rc;
    itsm_record *rec = run_find_rec(r, t[0].text, &rc);
    return run_act(r, rec ? itsm_outage_end(rec) : rc);
}


/* ---- communication audience and the satisfaction survey ------------------ */

static const char *const comm_audience_names[] = { "none", "broadcast", "callers" };

/* expect update_audience ID broadcast|callers|none */
static int cmd_expect_update_audience(runner *r, tok *t, size_t n)
{
    if (run_need(r, n, 2, 2, "expect update_audience ID broadcast|callers|none"))
        return -1;
    if (run_name_index(RUN_NAMES(comm_audience_names), t[1].text) < 0)
        return run_fail(r, "unknown audience '%s' (broadcast, callers, none)", t[1].text);
    itsm_record *rec = run_need_rec(r, t[0].text);
    if (!rec)
        return -1;
    unsigned a = (unsigned)itsm_record_audience(rec);
    const char *have = a < 3 ? comm_audience_names[a] : "?";
    if (strcmp(have, t[1].text))
        return run_fail(r, "customer updates on %s reach %s, expected %s", t[0].text, have, t[1].text);
    return 0;
}

/* expect survey ID sampled|not_sampled */
static int cmd_expect_survey(runner *r, tok *t, size_t n)
{
    if (run_need(r, n, 2, 2, "expect survey ID sampled|not_sampled"))
        return -1;
    int want = !strcmp(t[1].text, "sampled") ? 1 : !strcmp(t[1].text, "not_sampled") ? 0 : -1;
    if (want < 0)
        return run_fail(r, "expect survey: expected sampled or not_sampled, got '%s'", t[1].text);
    itsm_record *rec = run_need_rec(r, t[0].text);
    if (!rec)
        return -1;
    int have = itsm_record_survey_sampled(rec) ? 1 : 0;
    if (have != want)
        return run_fail(r, "%s is %s the satisfaction-survey sample, expected %s", t[0].text,
                        have ? "in" : "not in", t[1].text);
    return 0;
}

/* ---- the exceptions report --------------------------------------------- */

static char *exception_report(runner *r, itsm_time from, itsm_time to)
{
    size_t len = 0;
    int rc = itsm_handover_report_to_json(r->eng, from, to, NULL, 0, &len);
    if (rc && rc != ITSM_ELIMIT) {
        run_fail(r, "itsm_handover_report_to_json: %s", itsm_errname(rc));
        return NULL;
    }
    char *buf = malloc(len + 1);
    if (!buf) {
        run_fail(r, "out of memory");
        return NULL;
    }
    if ((rc = itsm_handover_report_to_json(r->eng, from, to, buf, len + 1, &len))) {
        free(buf);
        run_fail(r, "itsm_handover_report_to_json: %s", itsm_errname(rc));
        return NULL;
    }
    return buf;
}

/* The integer after "key": inside [p, end); -1 if absent. */
static long long json_int_in(const char *p, const char *end, const char *key)
{
    char pat[128];
    snprintf(pat, sizeof pat, "\"%s\":", key);
    size_t pl = strlen(pat);
    for (; p + pl <= end; p++)
        if (!strncmp(p, pat, pl))
            return strtoll(p + pl, NULL, 10);
    return -1;
}

/*
 * expect exceptions GROUP|null [handovers=N] [poor=N] [records="ID ..."] [ITEM=N ...]
 *                   [from=TIME] [to=TIME]
 * One sending group of the exception report (itsm_handover_report_to_json,
 * window from..to, default: all time up to the clock). ITEM=N is how often
 * that item was missing; records= the poor handovers' records, in order.
 * A group with no handovers in the window is absent: handovers=0 matches it.
 */
static int cmd_expect_exceptions(runner *r, tok *t, size_t n)
{
    const char *usage = "expect exceptions GROUP|null [handovers=N] [poor=N] [records=\"ID ...\"] "
                        "[ITEM=N ...] [from=TIME] [to=TIME]";
    if (run_need(r, n, 2, RUN_MAX_TOKENS, usage))
        return -1;
    itsm_time from = ITSM_TIME_MIN, to = r->now;
    for (size_t i = 1; i < n; i++) {
        if (!t[i].key)
            return run_fail(r, "usage: %s", usage);
        if (!strcmp(t[i].key, "from") && run_parse_time(r, t[i].text, &from, "from"))
            return -1;
        if (!strcmp(t[i].key, "to") && run_parse_time(r, t[i].text, &to, "to"))
            return -1;
    }
    char *json = exception_report(r, from, to);
    if (!json)
        return -1;
    /* the group's object: from its "group" key to the next group's */
    char head[300];
    if (!strcmp(t[0].text, "null"))
        snprintf(head, sizeof head, "{\"group\":null,");
    else
        snprintf(head, sizeof head, "{\"group\":\"%s\",", t[0].text);
    const char *g = strstr(json, head), *end = NULL;
    if (g) {
        end = strstr(g + 1, "{\"group\":");
        if (!end)
            end = g + strlen(g);
    }
    int rc = 0;
    for (size_t i = 1; i < n && !rc; i++) {
        const char *k = t[i].key;
        if (!strcmp(k, "from") || !strcmp(k, "to"))
            continue;
        if (!strcmp(k, "records")) {
            char have[1024] = "";
            size_t hl = 0;
            for (const char *p = g; p && (p = strstr(p, "\"record\":\"")) && p < end;) {
                p += 10;
                const char *q = strchr(p, '"');
                if (!q || q > end)
                    break;
                hl += (size_t)snprintf(have + hl, hl < sizeof have ? sizeof have - hl : 0, "%s%.*s",
                                       hl ? " " : "", (int)(q - p), p);
                if (hl >= sizeof have)
                    hl = sizeof have - 1;
                p = q;
            }
            if (strcmp(have, t[i].text))
                rc = run_fail(r, "the exception report's poor handovers from %s are on \"%s\", expected \"%s\"",
                              t[0].text, have, t[i].text);
            continue;
        }
        int64_t want;
        if (run_parse_int(r, t[i].text, &want, k)) {
            rc = -1;
            break;
        }
        long long have;
        if (!strcmp(k, "handovers") || !strcmp(k, "poor")) {
            have = g ? json_int_in(g, end, k) : 0;
        } else {
            /* a missing item: counted under "missing":{...} */
            const char *m = g ? strstr(g, "\"missing\":{") : NULL;
            const char *me = m && m < end ? strchr(m, '}') : NULL;
            have = me ? json_int_in(m, me, k) : -1;
            if (have < 0)
                have = 0;
        }
        if (have != want)
            rc = run_fail(r, "the exception report counts %s=%lld for %s, expected %lld%s", k, have, t[0].text,
                          (long long)want, g ? "" : " (the group is not in the report)");
    }
    free(json);
    return rc;
}

/* report exceptions [from=TIME] [to=TIME]: print the exception report (JSON) */
static int cmd_report_exceptions(runner *r, tok *t, size_t n)
{
    itsm_time from = ITSM_TIME_MIN, to = r->now;
    for (size_t i = 0; i < n; i++) {
        if (t[i].key && !strcmp(t[i].key, "from")) {
            if (run_parse_time(r, t[i].text, &from, "from"))
                return -1;
        } else if (t[i].key && !strcmp(t[i].key, "to")) {
            if (run_parse_time(r, t[i].text, &to, "to"))
                return -1;
        } else {
            return run_fail(r, "usage: report exceptions [from=TIME] [to=TIME]");
        }
    }
    char *json = exception_report(r, from, to);
    if (!json)
        return -1;
    printf("%s:%zu: %s\n", r->file, r->line, json);
    free(json);
    return 0;
}

const cmd_row run_commands_ext[] = {
    { "tick",                   cmd_tick,                1, 0 },
    { "expect fired",           cmd_expect_fired,        0, 1 },
    { "expect timer",           cmd_expect_timer,        0, 1 },
    { "sla",                    cmd_sla,                 1, 0 },
    { "expect sla",             cmd_expect_sla,          0, 1 },
    { "escalate",               cmd_escalate,            1, 0 },
    { "escalate hierarchical",  cmd_escalate_hier,       1, 0 },
    { "expect audience",        cmd_expect_audience,     0, 1 },
    { "major propose",          cmd_major_propose,       1, 0 },
    { "major accept",           cmd_major_accept,        1, 0 },
    { "major reject",           cmd_major_reject,        1, 0 },
    { "major communicated",     cmd_major_communicated,  1, 0 },
    { "major engage",           cmd_major_engage,        1, 0 },
    { "major attach",           cmd_major_attach,        1, 0 },
    { "expect major",           cmd_expect_major,        0, 1 },
    { "expect deadline",        cmd_expect_deadline,     0, 1 },
    { "outage declare",         cmd_outage_declare,      1, 0 },
    { "outage end",             cmd_outage_end,          1, 0 },
    { "expect update_audience", cmd_expect_update_audience, 0, 1 },
    { "expect survey",          cmd_expect_survey,       0, 1 },
    { "expect exceptions",      cmd_expect_exceptions,   0, 1 },
    { "report exceptions",      cmd_report_exceptions,   0, 0 },
    { NULL, NULL, 0, 0 }
};
