/* SPDX-License-Identifier: Apache-2.0 */
/* tools/report.c - the replay report (text or JSON); see replay.h. */
#include "replay.h"

#include <stdlib.h>
#include <string.h>

static int cmp_time(const void *a, const void *b)
{
    itsm_time x = *(const itsm_time *)a, y = *(const itsm_time *)b;
    return x < y ? -1 : x > y;
}

/* Nearest rank: the smallest value with at least p% of values <= it. */
static double pct_hours(const itsm_time *v, size_t n, int p)
{
    if (!n)
        return -1;
    size_t rank = (size_t)((p * n + 99) / 100);
    return (double)v[rank ? rank - 1 : 0] / 3600.0;
}

typedef struct group { const char *reason; size_t count, first; } group;

static int cmp_group(const void *a, const void *b)
{
    const group *x = a, *y = b;
    if (x->count != y->count)
        return x->count < y->count ? 1 : -1;
    return x->first < y->first ? -1 : x->first > y->first;
}

typedef struct figures {
    size_t incidents, opened;
    size_t cmp_reassign, agree_reassign, cmp_reopen, agree_reopen, cmp_prio, agree_prio;
    size_t cmp_level, agree_level, level2, level3;
    itsm_time *ttr_lib, *ttr_log;
    size_t nttr_lib, nttr_log;
    size_t fcr_lib, fcr_log;
    size_t sla_met, sla_judged, sla_cmp, sla_agree, sla[2][2]; /* [lib met][log met] */
    size_t sla_running, sla_untracked, sla_paused;
    size_t log_sla_met, log_sla_known;
} figures;

static void compute(const replay *rp, figures *f)
{
    memset(f, 0, sizeof *f);
    f->incidents = rp->ninc;
    f->ttr_lib = malloc((rp->ninc + 1) * sizeof *f->ttr_lib);
    f->ttr_log = malloc((rp->ninc + 1) * sizeof *f->ttr_log);
    if (!f->ttr_lib || !f->ttr_log)
        abort();
    for (size_t i = 0; i < rp->ninc; i++) {
        const rp_incident *in = &rp->inc[i];
        if (in->log_resolved != ITSM_TIME_NONE && in->log_opened != ITSM_TIME_NONE) {
            f->ttr_log[f->nttr_log++] = in->log_resolved - in->log_opened;
            f->fcr_log += in->log_reassign == 0;
        }
        if (in->log_made_sla >= 0) {
            f->log_sla_known++;
            f->log_sla_met += (size_t)in->log_made_sla;
        }
        if (!in->rec)
            continue;
        f->opened++;
        const itsm_record *r = in->rec;
        int reassign = (int)itsm_record_int(r, ITSM_F_REASSIGNMENTS);
        int reopen = (int)itsm_record_int(r, ITSM_F_REOPENS);
        int prio = (int)itsm_record_int(r, ITSM_F_PRIORITY);
        if (in->log_reassign >= 0) {
            f->cmp_reassign++;
            f->agree_reassign += reassign == in->log_reassign;
        }
        if (in->log_reopen >= 0) {
            f->cmp_reopen++;
            f->agree_reopen += reopen == in->log_reopen;
        }
        if (in->log_priority >= 0) {
            f->cmp_prio++;
            f->agree_prio += prio == in->log_priority;
        }
        if (in->log_max_level > 0) {
            f->cmp_level++;
            f->agree_level += in->lib_max_level == in->log_max_level;
            f->level2 += in->lib_max_level >= 2;
            f->level3 += in->lib_max_level >= 3;
        }
        itsm_time op = itsm_record_int(r, ITSM_F_OPENED_AT), res = itsm_record_int(r, ITSM_F_RESOLVED_AT);
        if (res != ITSM_TIME_NONE) {
            f->ttr_lib[f->nttr_lib++] = res - op;
            f->fcr_lib += reassign == 0;
        }
        /* the library's verdict (rp_verdict), read at the incident's last row */
        f->sla_paused += (size_t)in->sla_paused;
        if (in->sla == RP_SLA_NONE) {
            f->sla_untracked++;
            continue;
        }
        if (in->sla == RP_SLA_RUNNING) {
            f->sla_running++;
            continue;
        }
        int met = in->sla == RP_SLA_MET;
        f->sla_judged++;
        f->sla_met += (size_t)met;
        if (in->log_made_sla >= 0) {
            f->sla_cmp++;
            f->sla[met][in->log_made_sla]++;
            f->sla_agree += met == in->log_made_sla;
        }
    }
    qsort(f->ttr_lib, f->nttr_lib, sizeof *f->ttr_lib, cmp_time);
    qsort(f->ttr_log, f->nttr_log, sizeof *f->ttr_log, cmp_time);
}

static double pc(size_t a, size_t b) { return b ? 100.0 * (double)a / (double)b : 0.0; }

static void json_str(FILE *out, const char *s)
{
    fputc('"', out);
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            fprintf(out, "\\%c", c);
        else if (c < 0x20)
            fprintf(out, "\\u%04x", c);
        else
            fputc(c, out);
    }
    fputc('"', out);
}

void rp_report(const replay *rp, const rp_report_opts *o, FILE *out)
{
    figures f;
    compute(rp, &f);
    /* group the refusals by reason, in order of first appearance */
    group *g = calloc(rp->nref + 1, sizeof *g);
    size_t ng = 0;
    if (!g)
        abort();
    for (size_t i = 0; i < rp->nref; i++) {
        size_t k = 0;
        while (k < ng && g[k].reason != rp->ref[i].reason)
            k++;
        if (k == ng) {
            g[ng].reason = rp->ref[i].reason;
            g[ng].first = i;
            ng++;
        }
        g[k].count++;
    }
    qsort(g, ng, sizeof *g, cmp_group);
    const char *logname = o->kind == RP_LOG_UCI ? "UCI incident event log (ServiceNow)"
                                                : "BPI Challenge 2013 incidents (Volvo IT, VINST)";
    static const int P[3] = { 50, 90, 95 };

    if (!o->json) {
        fprintf(out, "itsm-replay report: %s\n", logname);
        fprintf(out, "  input   %s\n  policy  %s\n  store   %s\n", o->input, o->policy, o->store);
        fprintf(out, "  time    %.2f s, %llu events accepted by the library (%.0f events/s)\n\n", o->seconds,
                rp->events, o->seconds > 0 ? (double)rp->events / o->seconds : 0.0);
        fprintf(out, "rows          %ld\n  applied     %ld\n  unchanged   %ld  (nothing the policy tracks changed; no event)\n"
                     "  refused     %ld\n", rp->rows, rp->applied, rp->unchanged, rp->refused);
        fprintf(out, "incidents     %zu (%zu opened in the library)\n\n", f.incidents, f.opened);
        fprintf(out, "refused rows by reason (line numbers in the input file, header = line 1)\n");
        if (!ng)
            fprintf(out, "  none\n");
        for (size_t k = 0; k < ng; k++) {
            fprintf(out, "  %5zu  %s\n         e.g. %s: %s\n         lines:", g[k].count, g[k].reason,
                    rp->ref[g[k].first].record, rp->ref[g[k].first].message);
            size_t shown = 0;
            for (size_t i = g[k].first; i < rp->nref; i++) {
                if (rp->ref[i].reason != g[k].reason)
                    continue;
                if (o->list_rows && shown == o->list_rows) {
                    fprintf(out, " ... (%zu more; --report json lists all)", g[k].count - shown);
                    break;
                }
                fprintf(out, " %ld", rp->ref[i].line);
                shown++;
            }
            fputc('\n', out);
        }
        fprintf(out, "\nquirks of the data, and how they were handled\n");
        for (int i = 0; i < rp->nquirks; i++)
            fprintf(out, "  %6ld  %-40s %s\n", rp->quirk[i].count, rp->quirk[i].name, rp->quirk[i].handling);
        fprintf(out, "\nthe library's counters vs the log's own columns (per incident, at its last row)\n");
        if (o->kind == RP_LOG_UCI) {
            static const char *const rule_names[] = { "group", "group_or_assignee", "group_change" };
            unsigned rule = (unsigned)itsm_policy_reassignment_rule(itsm_engine_policy(rp->eng));
            fprintf(out, "  reassignments = reassignment_count  %zu of %zu (%.1f%%), rule \"%s\"\n"
                         "    (the log counts every change of group after an incident's first row, to or from\n"
                         "    none too, and no change of assignee: the policy's \"group_change\". On the whole\n"
                         "    UCI log: group_change 99.6%%, group 85.8%%, group_or_assignee 81.7%% of incidents;\n"
                         "    tests/replay/uci_figures.awk -v RULE=... computes each without the library)\n",
                    f.agree_reassign, f.cmp_reassign, pc(f.agree_reassign, f.cmp_reassign),
                    rule < 3 ? rule_names[rule] : "?");
            fprintf(out, "  reopens       = reopen_count        %zu of %zu (%.1f%%)\n", f.agree_reopen, f.cmp_reopen,
                    pc(f.agree_reopen, f.cmp_reopen));
            fprintf(out, "  priority      = priority            %zu of %zu (%.1f%%)\n", f.agree_prio, f.cmp_prio,
                    pc(f.agree_prio, f.cmp_prio));
        } else {
            fprintf(out, "  reassignments = support team changes in the log  %zu of %zu (%.1f%%)\n",
                    f.agree_reassign, f.cmp_reassign, pc(f.agree_reassign, f.cmp_reassign));
            fprintf(out, "  highest functional level = highest support line   %zu of %zu (%.1f%%)\n",
                    f.agree_level, f.cmp_level, pc(f.agree_level, f.cmp_level));
            fprintf(out, "  incidents that reached functional level 2 or 3: %zu, level 3: %zu\n", f.level2, f.level3);
        }
        fprintf(out, "\ntime to resolve, wall time, hours (p50 / p90 / p95)\n");
        fprintf(out, "  library (resolved_at - opened_at)   %.2f / %.2f / %.2f over %zu incidents\n",
                pct_hours(f.ttr_lib, f.nttr_lib, P[0]), pct_hours(f.ttr_lib, f.nttr_lib, P[1]),
                pct_hours(f.ttr_lib, f.nttr_lib, P[2]), f.nttr_lib);
        if (o->kind == RP_LOG_UCI)
            fprintf(out, "  log's resolved_at - opened_at       %.2f / %.2f / %.2f over %zu incidents\n",
                    pct_hours(f.ttr_log, f.nttr_log, P[0]), pct_hours(f.ttr_log, f.nttr_log, P[1]),
                    pct_hours(f.ttr_log, f.nttr_log, P[2]), f.nttr_log);
        fprintf(out, "\nfirst-contact resolution (resolved with no reassignment)\n");
        fprintf(out, "  library  %zu of %zu resolved (%.1f%%)\n", f.fcr_lib, f.nttr_lib, pc(f.fcr_lib, f.nttr_lib));
        if (o->kind == RP_LOG_UCI)
            fprintf(out, "  log      %zu of %zu with resolved_at (%.1f%%)\n", f.fcr_log, f.nttr_log,
                    pc(f.fcr_log, f.nttr_log));
        fprintf(out, "\nSLA: the library's verdicts (itsm_record_timer, resolution, at each incident's last row;\n"
                     "  itsm_engine_tick to each row's time before the row: breaches fire as events in deadline order)\n");
        fprintf(out, "  targets used (the policy's service_levels, SLA '%s'):", rp->sla_name ? rp->sla_name : "-");
        int any = 0;
        for (int p = 0; p < 5; p++)
            if (rp->sla_target[p]) {
                fprintf(out, "%s P%d %gh", any++ ? "," : "", p + 1, (double)rp->sla_target[p] / 3600);
                if (p == 4 || !rp->sla_calendar[p + 1] || strcmp(rp->sla_calendar[p], rp->sla_calendar[p + 1]))
                    fprintf(out, " (%s)", rp->sla_calendar[p]);
            }
        fprintf(out, "%s\n", any ? "" : " none (no incident had a target)");
        fprintf(out, "  pause: %zu incidents recorded paused time (the shipped policies pause nothing: the log's\n"
                     "    Awaiting/Wait states count; on the whole UCI log that agrees with made_sla for 88.7%%\n"
                     "    of incidents, pausing in Awaiting ... for 82.0%%: tests/replay/uci_figures.awk -v PAUSE=1)\n",
                f.sla_paused);
        fprintf(out, "  timers fired by the tick: %llu; undecided (open at the last row, target not reached): %zu;"
                     " no target: %zu\n", rp->fired, f.sla_running, f.sla_untracked);
        fprintf(out, "  library verdict: met %zu of %zu (%.1f%%)\n", f.sla_met, f.sla_judged, pc(f.sla_met, f.sla_judged));
        if (o->kind == RP_LOG_UCI) {
            fprintf(out, "  log made_sla:    true %zu of %zu (%.1f%%)\n", f.log_sla_met, f.log_sla_known,
                    pc(f.log_sla_met, f.log_sla_known));
            fprintf(out, "  agreement %zu of %zu (%.1f%%): both met %zu, both breached %zu, "
                         "library met/log breached %zu, library breached/log met %zu\n",
                    f.sla_agree, f.sla_cmp, pc(f.sla_agree, f.sla_cmp), f.sla[1][1], f.sla[0][0], f.sla[1][0],
                    f.sla[0][1]);
        } else {
            fprintf(out, "  (the BPI log has no SLA column to compare with)\n");
        }
    } else {
        fprintf(out, "{\n  \"log\": ");
        json_str(out, o->kind == RP_LOG_UCI ? "uci" : "bpi2013");
        fprintf(out, ",\n  \"input\": ");
        json_str(out, o->input);
        fprintf(out, ",\n  \"policy\": ");
        json_str(out, o->policy);
        fprintf(out, ",\n  \"store\": ");
        json_str(out, o->store);
        fprintf(out, ",\n  \"seconds\": %.3f,\n  \"events\": %llu,\n", o->seconds, rp->events);
        fprintf(out, "  \"rows\": %ld,\n  \"rows_applied\": %ld,\n  \"rows_unchanged\": %ld,\n  \"rows_refused\": %ld,\n",
                rp->rows, rp->applied, rp->unchanged, rp->refused);
        fprintf(out, "  \"incidents\": %zu,\n  \"incidents_opened\": %zu,\n", f.incidents, f.opened);
        fprintf(out, "  \"refused_by_reason\": [");
        for (size_t k = 0; k < ng; k++) {
            fprintf(out, "%s\n    {\"reason\": ", k ? "," : "");
            json_str(out, g[k].reason);
            fprintf(out, ", \"count\": %zu, \"rows\": [", g[k].count);
            size_t shown = 0;
            for (size_t i = g[k].first; i < rp->nref; i++) {
                if (rp->ref[i].reason != g[k].reason)
                    continue;
                fprintf(out, "%s{\"line\": %ld, \"record\": ", shown++ ? ", " : "", rp->ref[i].line);
                json_str(out, rp->ref[i].record);
                fprintf(out, ", \"message\": ");
                json_str(out, rp->ref[i].message);
                fputc('}', out);
            }
            fprintf(out, "]}");
        }
        fprintf(out, "%s],\n  \"quirks\": [", ng ? "\n  " : "");
        for (int i = 0; i < rp->nquirks; i++) {
            fprintf(out, "%s\n    {\"quirk\": ", i ? "," : "");
            json_str(out, rp->quirk[i].name);
            fprintf(out, ", \"count\": %ld, \"handling\": ", rp->quirk[i].count);
            json_str(out, rp->quirk[i].handling);
            fputc('}', out);
        }
        fprintf(out, "\n  ],\n");
        fprintf(out, "  \"reassignments_compared\": %zu,\n  \"reassignments_agree\": %zu,\n", f.cmp_reassign,
                f.agree_reassign);
        if (o->kind == RP_LOG_UCI)
            fprintf(out, "  \"reopens_compared\": %zu,\n  \"reopens_agree\": %zu,\n"
                         "  \"priority_compared\": %zu,\n  \"priority_agree\": %zu,\n",
                    f.cmp_reopen, f.agree_reopen, f.cmp_prio, f.agree_prio);
        else
            fprintf(out, "  \"level_compared\": %zu,\n  \"level_agree\": %zu,\n  \"level2\": %zu,\n  \"level3\": %zu,\n",
                    f.cmp_level, f.agree_level, f.level2, f.level3);
        fprintf(out, "  \"resolved\": %zu,\n", f.nttr_lib);
        fprintf(out, "  \"ttr_hours\": {\"p50\": %.4f, \"p90\": %.4f, \"p95\": %.4f},\n",
                pct_hours(f.ttr_lib, f.nttr_lib, P[0]), pct_hours(f.ttr_lib, f.nttr_lib, P[1]),
                pct_hours(f.ttr_lib, f.nttr_lib, P[2]));
        if (o->kind == RP_LOG_UCI)
            fprintf(out, "  \"log_resolved\": %zu,\n  \"log_ttr_hours\": {\"p50\": %.4f, \"p90\": %.4f, \"p95\": %.4f},\n"
                         "  \"log_fcr\": %zu,\n",
                    f.nttr_log, pct_hours(f.ttr_log, f.nttr_log, P[0]), pct_hours(f.ttr_log, f.nttr_log, P[1]),
                    pct_hours(f.ttr_log, f.nttr_log, P[2]), f.fcr_log);
        fprintf(out, "  \"fcr\": %zu,\n", f.fcr_lib);
        fprintf(out, "  \"sla_verdict\": \"library\",\n  \"sla_name\": ");
        json_str(out, rp->sla_name ? rp->sla_name : "");
        fprintf(out, ",\n  \"sla_targets_seconds\": {");
        for (int p = 0, k = 0; p < 5; p++)
            if (rp->sla_target[p])
                fprintf(out, "%s\"P%d\": %lu", k++ ? ", " : "", p + 1, (unsigned long)rp->sla_target[p]);
        fprintf(out, "},\n  \"sla_calendars\": {");
        for (int p = 0, k = 0; p < 5; p++)
            if (rp->sla_target[p]) {
                fprintf(out, "%s\"P%d\": ", k++ ? ", " : "", p + 1);
                json_str(out, rp->sla_calendar[p] ? rp->sla_calendar[p] : "");
            }
        fprintf(out, "},\n  \"sla_fired\": %llu,\n  \"sla_undecided\": %zu,\n  \"sla_untracked\": %zu,\n"
                     "  \"sla_paused\": %zu,\n", rp->fired, f.sla_running, f.sla_untracked, f.sla_paused);
        fprintf(out, "  \"sla_judged\": %zu,\n  \"sla_met\": %zu", f.sla_judged, f.sla_met);
        if (o->kind == RP_LOG_UCI)
            fprintf(out, ",\n  \"log_made_sla_known\": %zu,\n  \"log_made_sla_true\": %zu,\n"
                         "  \"sla_compared\": %zu,\n  \"sla_agree\": %zu,\n"
                         "  \"sla_both_met\": %zu,\n  \"sla_both_breached\": %zu,\n"
                         "  \"sla_lib_met_log_breached\": %zu,\n  \"sla_lib_breached_log_met\": %zu",
                    f.log_sla_known, f.log_sla_met, f.sla_cmp, f.sla_agree, f.sla[1][1], f.sla[0][0],
                    f.sla[1][0], f.sla[0][1]);
        fprintf(out, "\n}\n");
    }
    free(g);
    free(f.ttr_lib);
    free(f.ttr_log);
}
