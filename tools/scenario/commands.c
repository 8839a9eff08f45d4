/* SPDX-License-Identifier: Apache-2.0 */
/*
 * itsm-scenario: the statements over records, problems, knowledge and
 * reports. Each statement is one row of a table: its name (one or two
 * words), its handler, and whether it calls the library (an action: its
 * failure must be followed by `expect error`) or checks something (an
 * expectation, see commands_expect.c). A new capability adds its own file
 * and table (listed in main.c).
 */
#include "runner.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Built-in fields and the custom fields of the engine's policy. */
#define MAX_CHANGES RUN_MAX_CHANGES

itsm_field_type run_field_type(runner *r, itsm_field f)
{
    return itsm_policy_field_type(itsm_engine_policy(r->eng), f);
}

/* Field changes from key=value tokens, typed by the field. Strings point
 * into the tokens. */
int run_parse_changes(runner *r, tok *t, size_t n, itsm_change *out, size_t *nout)
{
    *nout = 0;
    for (size_t i = 0; i < n; i++) {
        if (!t[i].key)
            return run_fail(r, "expected field=value, got '%s'", t[i].text);
        itsm_field f;
        if (itsm_engine_field(&f, r->eng, t[i].key))
            return run_fail(r, "unknown field '%s'", t[i].key);
        if (*nout == MAX_CHANGES)
            return run_fail(r, "too many fields");
        itsm_change *c = &out[(*nout)++];
        c->field = f;
        c->str = NULL;
        c->num = 0;
        const char *v = t[i].text;
        int unset = !t[i].quoted && !strcmp(v, "none");
        switch (run_field_type(r, f)) {
        case ITSM_TYPE_TEXT:
        case ITSM_TYPE_SYMBOL:
        case ITSM_TYPE_ENUM:
            c->str = unset ? NULL : v;
            break;
        case ITSM_TYPE_INT:
            if (run_parse_int(r, v, &c->num, t[i].key))
                return -1;
            break;
        case ITSM_TYPE_BOOL: {
            int b;
            if (run_parse_bool(r, v, &b, t[i].key))
                return -1;
            c->num = b;
            break;
        }
        case ITSM_TYPE_TIME:
            if (unset)
                c->num = ITSM_TIME_NONE;
            else if (run_parse_time(r, v, &c->num, t[i].key))
                return -1;
            break;
        }
    }
    return 0;
}

/* ---- clock, actor, policy --------------------------------------------- */

static int cmd_clock_set(runner *r, tok *t, size_t n)
{
    if (run_need(r, n, 1, 1, "clock set 2026-03-02T09:00:00Z"))
        return -1;
    return run_parse_time(r, t[0].text, &r->now, "clock set");
}

static int cmd_clock_advance(runner *r, tok *t, size_t n)
{
    int64_t d;
    if (run_need(r, n, 1, 1, "clock advance 15m") || run_parse_duration(r, t[0].text, &d, "clock advance"))
        return -1;
    r->now += d;
    return 0;
}

static int cmd_actor(runner *r, tok *t, size_t n)
{
    if (run_need(r, n, 1, 1, "actor NAME | actor none"))
        return -1;
    return run_act(r, itsm_engine_set_actor(r->eng, !t[0].quoted && !strcmp(t[0].text, "none")
                                                    ? NULL : t[0].text));
}

static int cmd_policy(runner *r, tok *t, size_t n)
{
    if (run_need(r, n, 1, 1, "policy FILE.json"))
        return -1;
    if (itsm_engine_record_count(r->eng))
        return run_fail(r, "policy must come before the first record is opened");
    itsm_policy *p = NULL;
    if (run_read_policy(r, t[0].text, &p))
        return -1;
    itsm_policy_free(r->policy);
    r->policy = p;
    return run_engine_new(r);
}

/* ---- records ------------------------------------------------------------ */

static int cmd_open(runner *r, tok *t, size_t n)
{
    if (run_need(r, n, 2, RUN_MAX_TOKENS, "open KIND ID [field=value...]") || run_bare(r, &t[0], "kind") ||
        run_bare(r, &t[1], "id"))
        return -1;
    itsm_kind kind;
    if (itsm_kind_from_name(&kind, t[0].text))
        return run_fail(r, "unknown record kind '%s'", t[0].text);
    itsm_change ch[MAX_CHANGES];
    size_t nch;
    if (run_parse_changes(r, t + 2, n - 2, ch, &nch))
        return -1;
    itsm_record_opts o = ITSM_RECORD_OPTS_INIT;
    o.kind = kind;
    o.id = t[1].text;
    o.fields = ch;
    o.nfields = nch;
    itsm_record *rec;
    return run_act(r, itsm_record_open(&rec, r->eng, &o));
}

static int cmd_update(runner *r, tok *t, size_t n)
{
    if (run_need(r, n, 2, RUN_MAX_TOKENS, "update ID field=value..."))
        return -1;
    itsm_change ch[MAX_CHANGES];
    size_t nch;
    if (run_parse_changes(r, t + 1, n - 1, ch, &nch))
        return -1;
    int rc;
    itsm_record *rec = run_find_rec(r, t[0].text, &rc);
    return run_act(r, rec ? itsm_record_update(rec, ch, nch) : rc);
}

static int cmd_fire(runner *r, tok *t, size_t n)
{
    if (run_need(r, n, 2, RUN_MAX_TOKENS, "fire ID EVENT [field=value...]") || run_bare(r, &t[1], "event"))
        return -1;
    itsm_change ch[MAX_CHANGES];
    size_t nch;
    if (run_parse_changes(r, t + 2, n - 2, ch, &nch))
        return -1;
    int rc;
    itsm_record *rec = run_find_rec(r, t[0].text, &rc);
    return run_act(r, rec ? itsm_record_fire(rec, run_in(t[1].text), ch, nch) : rc);
}

static int cmd_note(runner *r, tok *t, size_t n)
{
    if (run_need(r, n, 3, 5, "note ID work|customer \"text\" [eta=TIME] [next=TIME]"))
        return -1;
    itsm_note_opts o = ITSM_NOTE_OPTS_INIT;
    if (!strcmp(t[1].text, "work"))
        o.kind = ITSM_NOTE_WORK;
    else if (!strcmp(t[1].text, "customer"))
        o.kind = ITSM_NOTE_CUSTOMER;
    else if (!strcmp(t[1].text, "system"))
        o.kind = ITSM_NOTE_SYSTEM;
    else
        return run_fail(r, "unknown note kind '%s' (work, customer)", t[1].text);
    o.text = t[2].text;
    for (size_t i = 3; i < n; i++) {
        if (t[i].key && !strcmp(t[i].key, "eta")) {
            if (run_parse_time(r, t[i].text, &o.expected_restoration, "eta"))
                return -1;
        } else if (t[i].key && !strcmp(t[i].key, "next")) {
            if (run_parse_time(r, t[i].text, &o.next_update, "next"))
                return -1;
        } else {
            return run_fail(r, "note: expected eta=TIME or next=TIME, got '%s'",
                            t[i].key ? t[i].key : t[i].text);
        }
    }
    int rc;
    itsm_record *rec = run_find_rec(r, t[0].text, &rc);
    return run_act(r, rec ? itsm_record_add_note(rec, &o) : rc);
}

int run_link_kind(runner *r, const char *s, itsm_link_kind *out)
{
    if (!strcmp(s, "related"))
        *out = ITSM_LINK_RELATED;
    else if (!strcmp(s, "child"))
        *out = ITSM_LINK_CHILD;
    else if (!strcmp(s, "parent"))
        *out = ITSM_LINK_PARENT;
    else
        return run_fail(r, "unknown link kind '%s' (related, child, parent)", s);
    return 0;
}

static int cmd_link(runner *r, tok *t, size_t n)
{
    itsm_link_kind k = ITSM_LINK_RELATED;
    if (run_need(r, n, 3, 3, "link ID related|child|parent ID2") || run_link_kind(r, t[1].text, &k))
        return -1;
    int rc;
    itsm_record *a = run_find_rec(r, t[0].text, &rc);
    itsm_record *b = a ? run_find_rec(r, t[2].text, &rc) : NULL;
    return run_act(r, a && b ? itsm_record_link(a, k, b) : rc);
}

/* ---- problem decisions, problem and change records, knowledge --------- */

static int answer(runner *r, const tok *t, int *out)
{
    if (!strcmp(t->text, "record")) {
        *out = ITSM_ANSWER_FROM_RECORD;
        return 0;
    }
    int b;
    if (run_parse_bool(r, t->text, &b, t->key))
        return -1;
    *out = b ? ITSM_ANSWER_YES : ITSM_ANSWER_NO;
    return 0;
}

static int cmd_decide(runner *r, tok *t, size_t n)
{
    if (run_need(r, n, 1, 4, "decide ID [cause_known=yes|no|record] [root_cause_needed=yes|no] "
                         "[fix_needs_change=yes|no|record]"))
        return -1;
    itsm_decision_opts o = ITSM_DECISION_OPTS_INIT;
    for (size_t i = 1; i < n; i++) {
        int *slot = NULL;
        if (t[i].key && !strcmp(t[i].key, "cause_known"))
            slot = &o.cause_known;
        else if (t[i].key && !strcmp(t[i].key, "root_cause_needed"))
            slot = &o.root_cause_needed;
        else if (t[i].key && !strcmp(t[i].key, "fix_needs_change"))
            slot = &o.fix_needs_change;
        else
            return run_fail(r, "decide: unknown answer '%s'", t[i].key ? t[i].key : t[i].text);
        if (answer(r, &t[i], slot))
            return -1;
    }
    int rc;
    itsm_record *rec = run_find_rec(r, t[0].text, &rc);
    r->have_decision = 0;
    r->decision.size = sizeof r->decision;
    if (rec && !(rc = itsm_problem_decide(&r->decision, rec, &o)))
        r->have_decision = 1;
    return run_act(r, rc);
}

/* problem open PRB from INC [field=value...] / change open CHG from PRB [...] */
static int open_from(runner *r, tok *t, size_t n, int change)
{
    if (run_need(r, n, 3, RUN_MAX_TOKENS, change ? "change open ID from PROBLEM [field=value...]"
                                             : "problem open ID from INCIDENT [field=value...]"))
        return -1;
    if (strcmp(t[1].text, "from"))
        return run_fail(r, "expected 'from' after the new id, got '%s'", t[1].text);
    itsm_change ch[MAX_CHANGES];
    size_t nch;
    if (run_parse_changes(r, t + 3, n - 3, ch, &nch))
        return -1;
    itsm_problem_open_opts o = ITSM_PROBLEM_OPEN_OPTS_INIT;
    o.id = t[0].text;
    o.fields = ch;
    o.nfields = nch;
    int rc;
    itsm_record *src = run_find_rec(r, t[2].text, &rc), *out;
    if (src)
        rc = change ? itsm_change_open_from_problem(&out, src, &o)
                    : itsm_problem_open_from_incident(&out, src, &o);
    return run_act(r, rc);
}

static int cmd_problem_open(runner *r, tok *t, size_t n) { return open_from(r, t, n, 0); }
static int cmd_change_open(runner *r, tok *t, size_t n) { return open_from(r, t, n, 1); }

static int cmd_problem_close(runner *r, tok *t, size_t n)
{
    if (run_need(r, n, 3, 3, "problem close ID fix_applied|risk_accepted|duplicate|canceled \"notes\""))
        return -1;
    int rc;
    itsm_record *rec = run_find_rec(r, t[0].text, &rc);
    return run_act(r, rec ? itsm_problem_close(rec, t[1].text, t[2].text) : rc);
}

static int cmd_diagnose(runner *r, tok *t, size_t n)
{
    if (run_need(r, n, 1, 1, "diagnose ID"))
        return -1;
    int rc;
    itsm_record *rec = run_find_rec(r, t[0].text, &rc);
    r->nmatches = r->nmatches_total = 0;
    r->matches[0].size = sizeof r->matches[0];
    if (rec && !(rc = itsm_diagnose(r->matches, sizeof r->matches / sizeof r->matches[0],
                                    &r->nmatches_total, rec)))
        r->nmatches = r->nmatches_total < 32 ? r->nmatches_total : 32;
    return run_act(r, rc);
}

static int cmd_knowledge_decide(runner *r, tok *t, size_t n)
{
    if (run_need(r, n, 1, 1, "knowledge decide ID"))
        return -1;
    int rc;
    itsm_record *rec = run_find_rec(r, t[0].text, &rc);
    r->knowledge_decision = NULL;
    if (rec)
        rc = itsm_knowledge_decide(&r->knowledge_decision, rec);
    return run_act(r, rc);
}


/* ---- reports ------------------------------------------------------------ */

static int cmd_report(runner *r, tok *t, size_t n)
{
    itsm_report_opts o = ITSM_REPORT_OPTS_INIT;
    for (size_t i = 0; i < n; i++) {
        const char *k = t[i].key;
        if (!k)
            return run_fail(r, "report: expected from=, to=, now=, calendar=, kinds=, filter= or group_by=, got '%s'",
                            t[i].text);
        if (!strcmp(k, "from")) {
            if (run_parse_time(r, t[i].text, &o.from, "from"))
                return -1;
        } else if (!strcmp(k, "to")) {
            if (run_parse_time(r, t[i].text, &o.to, "to"))
                return -1;
        } else if (!strcmp(k, "now")) {
            if (run_parse_time(r, t[i].text, &o.now, "now"))
                return -1;
        } else if (!strcmp(k, "calendar")) {
            o.calendar = t[i].text;
        } else if (!strcmp(k, "filter")) {
            o.filter = t[i].text;
        } else if (!strcmp(k, "group_by")) {
            o.group_by = t[i].text;
        } else if (!strcmp(k, "kinds")) {
            char *s = t[i].text;
            while (*s) {
                size_t len = strcspn(s, ",");
                char save = s[len];
                s[len] = '\0';
                itsm_kind kind;
                if (itsm_kind_from_name(&kind, s))
                    return run_fail(r, "report: unknown kind '%s'", s);
                o.kinds |= ITSM_REPORT_KIND(kind);
                s[len] = save;
                s += len + (save != '\0');
            }
        } else {
            return run_fail(r, "report: unknown option '%s'", k);
        }
    }
    itsm_report_free(r->report);
    r->report = NULL;
    return run_act(r, itsm_report_new(&r->report, r->eng, &o));
}

static int cmd_report_print(runner *r, tok *t, size_t n)
{
    if (run_need(r, n, 1, 1, "report print json|csv"))
        return -1;
    if (!r->report)
        return run_fail(r, "report print: no report yet (use `report` first)");
    int csv = !strcmp(t[0].text, "csv");
    if (!csv && strcmp(t[0].text, "json"))
        return run_fail(r, "report print: json or csv, not '%s'", t[0].text);
    size_t len = 0;
    if (csv)
        itsm_report_to_csv(r->report, NULL, 0, &len);
    else
        itsm_report_to_json(r->report, NULL, 0, &len);
    char *buf = malloc(len + 1);
    if (!buf)
        return run_fail(r, "out of memory");
    if (csv)
        itsm_report_to_csv(r->report, buf, len + 1, &len);
    else
        itsm_report_to_json(r->report, buf, len + 1, &len);
    printf("%s%s", buf, csv ? "" : "\n");
    free(buf);
    return 0;
}

/* ---- the table -------------------------------------------------------- */

const cmd_row run_commands[] = {
    /* name                  handler                 action expect */
    { "clock set",           cmd_clock_set,          0, 0 },
    { "clock advance",       cmd_clock_advance,      0, 0 },
    { "actor",               cmd_actor,              1, 0 },
    { "policy",              cmd_policy,             0, 0 },
    { "open",                cmd_open,               1, 0 },
    { "update",              cmd_update,             1, 0 },
    { "fire",                cmd_fire,               1, 0 },
    { "note",                cmd_note,               1, 0 },
    { "link",                cmd_link,               1, 0 },
    { "decide",              cmd_decide,             1, 0 },
    { "problem open",        cmd_problem_open,       1, 0 },
    { "problem close",       cmd_problem_close,      1, 0 },
    { "change open",         cmd_change_open,        1, 0 },
    { "diagnose",            cmd_diagnose,           1, 0 },
    { "knowledge decide",    cmd_knowledge_decide,   1, 0 },
    { "report",              cmd_report,             1, 0 },
    { "report print",        cmd_report_print,       0, 0 },
    { NULL, NULL, 0, 0 }
};
