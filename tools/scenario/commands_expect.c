/* SPDX-License-Identifier: Apache-2.0 */
/*
 * itsm-scenario: the expectations - statements that check the engine's
 * state, events, reports and the last action's result, and fail the script
 * when it differs.
 */
#include "runner.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- expectations ------------------------------------------------------- */

static int cmd_expect_error(runner *r, tok *t, size_t n)
{
    if (run_need(r, n, 1, 2, "expect error ITSM_ECODE [\"message part\"]"))
        return -1;
    char want[64];
    snprintf(want, sizeof want, "%s%s", strncmp(t[0].text, "ITSM_", 5) ? "ITSM_" : "", t[0].text);
    if (!strcmp(itsm_errname(ITSM_OK), want))
        return run_fail(r, "expect error: %s is not an error", want);
    if (r->act_rc == ITSM_OK)
        return run_fail(r, "expected %s, but %s (line %zu) succeeded", want, r->act_name, r->act_line);
    if (strcmp(itsm_errname(r->act_rc), want))
        return run_fail(r, "expected %s, got %s: %s", want, itsm_errname(r->act_rc), r->act_msg);
    if (n == 2 && !strstr(r->act_msg, t[1].text))
        return run_fail(r, "expected the message to contain \"%s\", got \"%s\"", t[1].text, r->act_msg);
    return 0;
}

static int cmd_expect_state(runner *r, tok *t, size_t n)
{
    if (run_need(r, n, 2, 2, "expect state ID STATE"))
        return -1;
    itsm_record *rec = run_need_rec(r, t[0].text);
    if (!rec)
        return -1;
    if (strcmp(run_state(rec), t[1].text))
        return run_fail(r, "%s is in state '%s', expected '%s'", t[0].text, run_state(rec),
                        t[1].text);
    return 0;
}

static int cmd_expect_field(runner *r, tok *t, size_t n)
{
    if (run_need(r, n, 3, 3, "expect field ID FIELD VALUE"))
        return -1;
    itsm_record *rec = run_need_rec(r, t[0].text);
    if (!rec)
        return -1;
    itsm_field f;
    if (itsm_engine_field(&f, r->eng, t[1].text))
        return run_fail(r, "unknown field '%s'", t[1].text);
    const char *v = t[2].text;
    int unset = !t[2].quoted && !strcmp(v, "none");
    switch (run_field_type(r, f)) {
    case ITSM_TYPE_TEXT:
    case ITSM_TYPE_SYMBOL:
    case ITSM_TYPE_ENUM: {
        const char *have = itsm_record_str(rec, f);
        if (unset ? have != NULL : (!have || strcmp(have, v)))
            return run_fail(r, "field %s of %s is %s%s%s, expected %s%s%s", t[1].text, t[0].text,
                            have ? "\"" : "", have ? have : "unset", have ? "\"" : "",
                            unset ? "" : "\"", unset ? "unset" : v, unset ? "" : "\"");
        return 0;
    }
    case ITSM_TYPE_INT:
    case ITSM_TYPE_BOOL: {
        int64_t want;
        if (run_field_type(r, f) == ITSM_TYPE_BOOL) {
            int b;
            if (run_parse_bool(r, v, &b, t[1].text))
                return -1;
            want = b;
        } else if (unset) {
            if (itsm_record_has(rec, f))
                return run_fail(r, "field %s of %s is %lld, expected unset", t[1].text, t[0].text,
                                (long long)itsm_record_int(rec, f));
            return 0;
        } else if (run_parse_int(r, v, &want, t[1].text)) {
            return -1;
        }
        int64_t have = itsm_record_int(rec, f);
        if (have != want)
            return run_fail(r, "field %s of %s is %lld, expected %lld", t[1].text, t[0].text,
                            (long long)have, (long long)want);
        return 0;
    }
    case ITSM_TYPE_TIME: {
        itsm_time want = ITSM_TIME_NONE, have = itsm_record_int(rec, f);
        if (!unset && run_parse_time(r, v, &want, t[1].text))
            return -1;
        if (have != want) {
            char a[32], b[32];
            run_format_time(have, a);
            run_format_time(want, b);
            return run_fail(r, "field %s of %s is %s, expected %s", t[1].text, t[0].text, a, b);
        }
        return 0;
    }
    }
    return run_fail(r, "field '%s' has an unknown type", t[1].text);
}

static int cmd_expect_revision(runner *r, tok *t, size_t n)
{
    int64_t want;
    if (run_need(r, n, 2, 2, "expect revision ID N") || run_parse_int(r, t[1].text, &want, "revision"))
        return -1;
    itsm_record *rec = run_need_rec(r, t[0].text);
    if (!rec)
        return -1;
    if (itsm_record_revision(rec) != (uint64_t)want)
        return run_fail(r, "%s is at revision %llu, expected %lld", t[0].text,
                        (unsigned long long)itsm_record_revision(rec), (long long)want);
    return 0;
}

static void list_events(runner *r, char *out, size_t cap)
{
    size_t o = 0;
    out[0] = '\0';
    for (size_t i = 0; i < r->nevs && o + 1 < cap; i++) {
        int w = snprintf(out + o, cap - o, "%s%s %s%s%s", i ? ", " : "", r->evs[i].type,
                         r->evs[i].record, r->evs[i].name ? " " : "",
                         r->evs[i].name ? r->evs[i].name : "");
        if (w < 0)
            break;
        o += (size_t)w;
    }
    if (o >= cap && cap > 4)
        memcpy(out + cap - 4, "...", 4);
}

static int cmd_expect_event(runner *r, tok *t, size_t n)
{
    if (run_need(r, n, 1, 3, "expect event TYPE [ID [NAME]]"))
        return -1;
    for (size_t i = 0; i < r->nevs; i++) {
        const seen_event *e = &r->evs[i];
        if (strcmp(e->type, t[0].text))
            continue;
        if (n >= 2 && strcmp(e->record, t[1].text))
            continue;
        if (n >= 3 && (!e->name || strcmp(e->name, t[2].text)))
            continue;
        return 0;
    }
    char seen[512];
    list_events(r, seen, sizeof seen);
    return run_fail(r, "no '%s' event%s%s%s%s among the %zu since the last check%s%s%s", t[0].text,
                    n >= 2 ? " for " : "", n >= 2 ? t[1].text : "", n >= 3 ? " named " : "",
                    n >= 3 ? t[2].text : "", r->nevs, r->nevs ? " (" : "", seen, r->nevs ? ")" : "");
}

static int cmd_expect_events(runner *r, tok *t, size_t n)
{
    int64_t want;
    if (run_need(r, n, 1, 1, "expect events N") || run_parse_int(r, t[0].text, &want, "events"))
        return -1;
    if (r->nevs != (size_t)want) {
        char seen[512];
        list_events(r, seen, sizeof seen);
        return run_fail(r, "%zu event%s since the last check, expected %lld%s%s%s", r->nevs,
                        r->nevs == 1 ? "" : "s", (long long)want, r->nevs ? " (" : "", seen, r->nevs ? ")" : "");
    }
    run_events_clear(r);
    return 0;
}

static int cmd_expect_count(runner *r, tok *t, size_t n)
{
    int64_t want;
    if (run_need(r, n, 3, 3, "expect count open|closed|all|STATE KIND N") ||
        run_parse_int(r, t[2].text, &want, "count"))
        return -1;
    itsm_kind kind;
    if (itsm_kind_from_name(&kind, t[1].text))
        return run_fail(r, "unknown record kind '%s'", t[1].text);
    const char *scope = t[0].text;
    size_t have = 0, total = itsm_engine_record_count(r->eng);
    for (size_t i = 0; i < total; i++) {
        itsm_record *rec;
        if (itsm_engine_record_at(&rec, r->eng, i) || itsm_record_kind(rec) != kind)
            continue;
        if (!strcmp(scope, "all") || (!strcmp(scope, "open") && itsm_record_is_open(rec)) ||
            (!strcmp(scope, "closed") && !itsm_record_is_open(rec)) ||
            !strcmp(scope, run_state(rec)))
            have++;
    }
    if (have != (size_t)want)
        return run_fail(r, "%zu %s %s records, expected %lld", have, scope, t[1].text, (long long)want);
    return 0;
}

static int cmd_expect_timeline(runner *r, tok *t, size_t n)
{
    int64_t want;
    if (run_need(r, n, 2, 2, "expect timeline ID N") || run_parse_int(r, t[1].text, &want, "timeline"))
        return -1;
    itsm_record *rec = run_need_rec(r, t[0].text);
    if (!rec)
        return -1;
    size_t have = itsm_record_timeline_count(rec);
    if (have != (size_t)want)
        return run_fail(r, "%s has %zu timeline entries, expected %lld", t[0].text, have, (long long)want);
    return 0;
}

/* expect note ID INDEX KIND ["text part"]; INDEX from 1, or "last" */
static int cmd_expect_note(runner *r, tok *t, size_t n)
{
    if (run_need(r, n, 3, 4, "expect note ID INDEX|last work|customer|system [\"text part\"]"))
        return -1;
    itsm_record *rec = run_need_rec(r, t[0].text);
    if (!rec)
        return -1;
    size_t count = itsm_record_timeline_count(rec);
    int64_t idx;
    if (!strcmp(t[1].text, "last"))
        idx = (int64_t)count;
    else if (run_parse_int(r, t[1].text, &idx, "note index"))
        return -1;
    itsm_timeline_entry e = { .size = sizeof e };
    if (idx < 1 || itsm_record_timeline_at(rec, (size_t)(idx - 1), &e))
        return run_fail(r, "%s has no timeline entry %s (it has %zu)", t[0].text, t[1].text, count);
    static const char *const kinds[] = { "?", "work", "customer", "system" };
    const char *kn = (unsigned)e.kind <= 3 ? kinds[e.kind] : "?";
    if (strcmp(kn, t[2].text))
        return run_fail(r, "timeline entry %s of %s is a %s note, expected %s", t[1].text, t[0].text,
                        kn, t[2].text);
    if (n == 4 && (!e.text || !strstr(e.text, t[3].text)))
        return run_fail(r, "timeline entry %s of %s says \"%s\", expected it to contain \"%s\"",
                        t[1].text, t[0].text, e.text ? e.text : "", t[3].text);
    return 0;
}

static int cmd_expect_link(runner *r, tok *t, size_t n)
{
    itsm_link_kind k = ITSM_LINK_RELATED;
    if (run_need(r, n, 3, 3, "expect link ID related|child|parent ID2") || run_link_kind(r, t[1].text, &k))
        return -1;
    itsm_record *rec = run_need_rec(r, t[0].text);
    if (!rec)
        return -1;
    for (size_t i = 0; i < itsm_record_link_count(rec); i++) {
        itsm_link l = { .size = sizeof l };
        if (!itsm_record_link_at(rec, i, &l) && l.kind == k && !strcmp(l.target_id, t[2].text))
            return 0;
    }
    return run_fail(r, "%s has no %s link to %s", t[0].text, t[1].text, t[2].text);
}

static int cmd_expect_verdict(runner *r, tok *t, size_t n)
{
    if (run_need(r, n, 1, 1 + ITSM_DECISION_MAX_REASONS, "expect verdict close|to_problem|to_change [REASON...]"))
        return -1;
    if (!r->have_decision)
        return run_fail(r, "expect verdict: no decision yet (use `decide` first)");
    const char *v = itsm_verdict_name(r->decision.verdict);
    if (!v || strcmp(v, t[0].text))
        return run_fail(r, "the verdict is %s, expected %s", v ? v : "?", t[0].text);
    for (size_t i = 1; i < n; i++) {
        size_t j;
        for (j = 0; j < r->decision.nreasons; j++) {
            const char *rn = itsm_reason_name(r->decision.reasons[j].code);
            if (rn && !strcmp(rn, t[i].text))
                break;
        }
        if (j == r->decision.nreasons) {
            char have[512] = "";
            size_t o = 0;
            for (j = 0; j < r->decision.nreasons && o < sizeof have; j++) {
                const char *rn = itsm_reason_name(r->decision.reasons[j].code);
                int w = snprintf(have + o, sizeof have - o, "%s%s", j ? " " : "", rn ? rn : "?");
                if (w > 0)
                    o += (size_t)w;
            }
            return run_fail(r, "the decision has no reason %s (reasons: %s)", t[i].text, have);
        }
    }
    return 0;
}

static int cmd_expect_match(runner *r, tok *t, size_t n)
{
    if (run_need(r, n, 1, 2, "expect match ID [RANK]"))
        return -1;
    int64_t rank = 0;
    if (n == 2 && run_parse_int(r, t[1].text, &rank, "rank"))
        return -1;
    for (size_t i = 0; i < r->nmatches; i++) {
        if (!strcmp(itsm_record_id(r->matches[i].record), t[0].text)) {
            if (rank && (int64_t)i + 1 != rank)
                return run_fail(r, "%s matched at rank %zu, expected %lld", t[0].text, i + 1,
                                (long long)rank);
            return 0;
        }
    }
    return run_fail(r, "the last diagnose did not match %s (%zu matches)", t[0].text, r->nmatches);
}

static int cmd_expect_matches(runner *r, tok *t, size_t n)
{
    int64_t want;
    if (run_need(r, n, 1, 1, "expect matches N") || run_parse_int(r, t[0].text, &want, "matches"))
        return -1;
    if (r->nmatches_total != (size_t)want)
        return run_fail(r, "the last diagnose found %zu matches, expected %lld", r->nmatches_total,
                        (long long)want);
    return 0;
}


/* A report figure by name, as a number. */
static int report_value(runner *r, const char *key, double *out)
{
    const itsm_report *rep = r->report;
    itsm_report_figures f = { .size = sizeof f };
    itsm_report_figures_of(&f, rep);
    itsm_report_sla_figures sla = { .size = sizeof sla };
    itsm_report_sla(&sla, rep);
    char buf[128];
    snprintf(buf, sizeof buf, "%s", key);
    char *dot = strchr(buf, '.');
    if (dot)
        *dot++ = '\0';
    if (!dot) {
        const struct { const char *name; double v; } flat[] = {
            { "total", (double)itsm_report_total(rep) },
            { "resolved", (double)f.resolved },
            { "first_contact", (double)f.first_contact },
            { "first_contact_rate", f.first_contact_rate },
            { "reassignments", (double)f.reassignments },
            { "reassigned_records", (double)f.reassigned_records },
            { "ever_resolved", (double)f.ever_resolved },
            { "reopened_records", (double)f.reopened_records },
            { "reopens", (double)f.reopens },
            { "reopen_rate", f.reopen_rate },
            { "sla_tracked", (double)sla.tracked },
            { "sla_met", (double)sla.met },
            { "sla_breached", (double)sla.breached },
            { "sla_compliance", sla.compliance },
            { "senders", (double)itsm_report_sender_count(rep) },
            { "trends", (double)itsm_report_trend_count(rep) },
            { "groups", (double)itsm_report_group_count(rep) },
        };
        for (size_t i = 0; i < sizeof flat / sizeof flat[0]; i++)
            if (!strcmp(flat[i].name, buf)) {
                *out = flat[i].v;
                return 0;
            }
        return run_fail(r, "unknown report figure '%s'", key);
    }
    if (!strcmp(buf, "kind")) {
        itsm_kind k;
        if (itsm_kind_from_name(&k, dot))
            return run_fail(r, "unknown record kind '%s'", dot);
        *out = (double)itsm_report_by_kind(rep, k);
        return 0;
    }
    if (!strcmp(buf, "priority")) {
        int p = !strcmp(dot, "none") ? 0 : atoi(dot);
        *out = (double)itsm_report_by_priority(rep, p);
        return 0;
    }
    if (!strcmp(buf, "aging")) {
        *out = (double)itsm_report_aging(rep, (size_t)atoi(dot));
        return 0;
    }
    if (!strcmp(buf, "category") || !strcmp(buf, "state")) {
        int cat = buf[0] == 'c';
        size_t cnt = cat ? itsm_report_category_count(rep) : itsm_report_state_count(rep);
        *out = 0;
        for (size_t i = 0; i < cnt; i++) {
            itsm_report_row row = { .size = sizeof row };
            if (cat)
                itsm_report_category_at(rep, i, &row);
            else
                itsm_report_state_at(rep, i, &row);
            char name[160];
            if (cat)
                snprintf(name, sizeof name, "%s", row.name ? row.name : "none");
            else {
                snprintf(name, sizeof name, "%s.%s", itsm_kind_name(row.kind), row.name);
                run_out(name);
            }
            if (!strcmp(name, dot))
                *out = (double)row.count;
        }
        return 0;
    }
    if (!strcmp(buf, "process")) {
        /* the figures from the stored history (itsm_report_process_of) */
        itsm_report_process pr = { .size = sizeof pr };
        itsm_report_process_of(&pr, rep);
        const struct { const char *name; size_t v; } ps[] = {
            { "available", (size_t)itsm_report_process_available(rep) },
            { "completed", pr.completed },
            { "stayed_first_line", pr.stayed_first_line },
            { "functional_escalations", pr.functional_escalations },
            { "escalated_records", pr.escalated_records },
            { "group_changes", pr.group_changes },
            { "ping_pong_records", pr.ping_pong_records },
            { "ping_pong_returns", pr.ping_pong_returns },
        };
        for (size_t i = 0; i < sizeof ps / sizeof ps[0]; i++)
            if (!strcmp(ps[i].name, dot)) {
                *out = (double)ps[i].v;
                return 0;
            }
        return run_fail(r, "unknown report figure '%s'", key);
    }
    if (!strcmp(buf, "group")) {
        /* group.VALUE.count (also resolved, met, breached); VALUE "none": unset */
        char *what = strrchr(dot, '.');
        if (!what)
            return run_fail(r, "report figure '%s': expected group.VALUE.count", key);
        *what++ = '\0';
        *out = 0;
        for (size_t i = 0; i < itsm_report_group_count(rep); i++) {
            itsm_report_group g = { .size = sizeof g };
            itsm_report_group_at(rep, i, &g);
            if (strcmp(g.value ? g.value : "none", dot))
                continue;
            const struct { const char *name; size_t v; } gs[] = {
                { "count", g.count }, { "resolved", g.resolved }, { "met", g.met }, { "breached", g.breached },
            };
            for (size_t j = 0; j < sizeof gs / sizeof gs[0]; j++)
                if (!strcmp(gs[j].name, what))
                    *out = (double)gs[j].v;
        }
        return 0;
    }
    for (int m = 0; m < ITSM_MEASURE_COUNT; m++) {
        if (strcmp(buf, itsm_report_measure_name((itsm_report_measure)m)))
            continue;
        itsm_report_stat s = { .size = sizeof s };
        itsm_report_duration(&s, rep, (itsm_report_measure)m);
        const struct { const char *name; double v; } st[] = {
            { "count", (double)s.count }, { "mean", s.mean }, { "min", (double)s.min },
            { "max", (double)s.max }, { "p50", (double)s.p50 }, { "p90", (double)s.p90 },
            { "p95", (double)s.p95 }, { "p99", (double)s.p99 },
        };
        for (size_t i = 0; i < sizeof st / sizeof st[0]; i++)
            if (!strcmp(st[i].name, dot)) {
                *out = st[i].v;
                return 0;
            }
    }
    return run_fail(r, "unknown report figure '%s'", key);
}

/* expect report FIGURE VALUE; VALUE a number or a duration (2h). */
static int cmd_expect_report(runner *r, tok *t, size_t n)
{
    if (run_need(r, n, 2, 2, "expect report FIGURE VALUE"))
        return -1;
    if (!r->report)
        return run_fail(r, "expect report: no report yet (use `report` first)");
    double have, want;
    if (report_value(r, t[0].text, &have))
        return -1;
    char *end;
    want = strtod(t[1].text, &end);
    if (*end || end == t[1].text) {
        int64_t d;
        if (run_parse_duration(r, t[1].text, &d, t[0].text))
            return -1;
        want = (double)d;
    }
    if (fabs(have - want) > 1e-9 * (fabs(want) > 1 ? fabs(want) : 1))
        return run_fail(r, "report %s is %.10g, expected %.10g", t[0].text, have, want);
    return 0;
}

const cmd_row run_commands_expect[] = {
    { "expect error",        cmd_expect_error,       0, 1 },
    { "expect state",        cmd_expect_state,       0, 1 },
    { "expect field",        cmd_expect_field,       0, 1 },
    { "expect revision",     cmd_expect_revision,    0, 1 },
    { "expect event",        cmd_expect_event,       0, 1 },
    { "expect events",       cmd_expect_events,      0, 1 },
    { "expect count",        cmd_expect_count,       0, 1 },
    { "expect timeline",     cmd_expect_timeline,    0, 1 },
    { "expect note",         cmd_expect_note,        0, 1 },
    { "expect link",         cmd_expect_link,        0, 1 },
    { "expect verdict",      cmd_expect_verdict,     0, 1 },
    { "expect match",        cmd_expect_match,       0, 1 },
    { "expect matches",      cmd_expect_matches,     0, 1 },
    { "expect report",       cmd_expect_report,      0, 1 },
    { NULL, NULL, 0, 0 }
};
