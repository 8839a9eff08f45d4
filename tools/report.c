/* SPDX-License-Identifier: Apache-2.0 */
/* tools/report.c - the replay report's figures and its text form (see replay.h). */
#include "report_int.h"

#include <stdlib.h>
#include <string.h>

const char *const rp_ttr_cause_key[RP_TTR_CAUSES] = {
    "repeated_resolved_rows", "logged_resolved", "library_only", "log_only", "other"
};
const char *const rp_ttr_cause_text[RP_TTR_CAUSES] = {
    "several Resolved rows in a row: the library keeps the first (the policy resolves only an "
    "unresolved incident), the log's resolved_at the last",
    "logged already resolved at opened_at: no time to resolve in the library ('logged_resolved'), "
    "the log gives resolved_at = opened_at",
    "resolved in the library, no resolved_at in the log",
    "resolved_at in the log, never resolved in the library",
    "both resolved, at different times, for another reason",
};

const char *rp_log_title(rp_log_kind k)
{
    switch (k) {
    case RP_LOG_UCI: return "UCI incident event log (ServiceNow)";
    case RP_LOG_BPI: return "BPI Challenge 2013 incidents (Volvo IT, VINST)";
    case RP_LOG_HELPDESK: return "help desk log of an Italian software company";
    case RP_LOG_BPI_PROBLEMS: return "BPI Challenge 2013 problems (Volvo IT, VINST)";
    }
    return "?";
}

const char *rp_log_key(rp_log_kind k)
{
    switch (k) {
    case RP_LOG_UCI: return "uci";
    case RP_LOG_BPI: return "bpi2013";
    case RP_LOG_HELPDESK: return "helpdesk";
    case RP_LOG_BPI_PROBLEMS: return "bpi2013_problems";
    }
    return "?";
}

static int cmp_time(const void *a, const void *b)
{
    itsm_time x = *(const itsm_time *)a, y = *(const itsm_time *)b;
    return x < y ? -1 : x > y;
}

double rp_pct_hours(const itsm_time *v, size_t n, int p)
{
    if (!n)
        return -1;
    size_t rank = ((size_t)p * n + 99) / 100;
    return (double)v[rank ? rank - 1 : 0] / 3600.0;
}

static int cmp_group(const void *a, const void *b)
{
    const rp_group *x = a, *y = b;
    if (x->count != y->count)
        return x->count < y->count ? 1 : -1;
    return x->first < y->first ? -1 : x->first > y->first;
}

static void *xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p)
        abort();
    return p;
}

void rp_figures_compute(const replay *rp, const rp_report_opts *o, rp_figures *f)
{
    memset(f, 0, sizeof *f);
    f->incidents = rp->ninc;
    f->ttr_lib = xmalloc((rp->ninc + 1) * sizeof *f->ttr_lib);
    f->ttr_log = xmalloc((rp->ninc + 1) * sizeof *f->ttr_log);
    itsm_time *delta[RP_TTR_CAUSES];
    for (int c = 0; c < RP_TTR_CAUSES; c++)
        delta[c] = xmalloc((rp->ninc + 1) * sizeof *delta[c]);
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
        /* the log's own process figures */
        if (in->log_completed) {
            f->log_completed++;
            f->log_stayed_first += in->log_max_level <= 1;
        }
        f->log_escalations += (size_t)in->log_escalations;
        f->log_escalated += in->log_escalations > 0;
        f->log_team_changes += (size_t)in->log_team_changes;
        f->log_pingpong += (size_t)in->log_pingpong;
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
        if (o->kind == RP_LOG_UCI) {
            /* why the two resolved_at differ, one cause per incident */
            itsm_time lg = in->log_resolved;
            int c = -1;
            if (res == lg)
                f->ttr_same++;
            else if (res == ITSM_TIME_NONE)
                c = in->logged_resolved ? RP_TTR_LOGGED : RP_TTR_LOG_ONLY;
            else if (lg == ITSM_TIME_NONE)
                c = RP_TTR_LIB_ONLY;
            else
                c = lg == in->run_last && res == in->run_first ? RP_TTR_REPEATED : RP_TTR_OTHER;
            if (c >= 0) {
                rp_ttr_cause *k = &f->ttr_cause[c];
                if (!k->example)
                    k->example = in->id;
                if (res != ITSM_TIME_NONE && lg != ITSM_TIME_NONE)
                    delta[c][k->count] = lg - res;
                k->count++;
            }
        }
        /* the library's verdict (rp_verdict), read at the case's last row */
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
    for (int c = 0; c < RP_TTR_CAUSES; c++) {
        rp_ttr_cause *k = &f->ttr_cause[c];
        if (k->count && (c == RP_TTR_REPEATED || c == RP_TTR_OTHER)) {
            qsort(delta[c], k->count, sizeof *delta[c], cmp_time);
            k->median_hours = rp_pct_hours(delta[c], k->count, 50);
        }
        free(delta[c]);
    }
    qsort(f->ttr_lib, f->nttr_lib, sizeof *f->ttr_lib, cmp_time);
    qsort(f->ttr_log, f->nttr_log, sizeof *f->ttr_log, cmp_time);

    /* the library's process figures, from the replayed store's history */
    itsm_report_process lp = { .size = sizeof lp };
    if (o->library && itsm_report_process_available(o->library) &&
        itsm_report_process_of(&lp, o->library) == ITSM_OK) {
        f->lib_process = 1;
        f->lib_completed = lp.completed;
        f->lib_stayed_first = lp.stayed_first_line;
        f->lib_escalations = lp.functional_escalations;
        f->lib_escalated = lp.escalated_records;
        f->lib_team_changes = lp.group_changes;
        f->lib_pingpong = lp.ping_pong_records;
    }

    /* the refusals by reason, in order of first appearance, largest first */
    f->groups = calloc(rp->nref + 1, sizeof *f->groups);
    if (!f->groups)
        abort();
    for (size_t i = 0; i < rp->nref; i++) {
        size_t k = 0;
        while (k < f->ngroups && f->groups[k].reason != rp->ref[i].reason)
            k++;
        if (k == f->ngroups) {
            f->groups[k].reason = rp->ref[i].reason;
            f->groups[k].first = i;
            f->ngroups++;
        }
        f->groups[k].count++;
    }
    qsort(f->groups, f->ngroups, sizeof *f->groups, cmp_group);
}

void rp_figures_free(rp_figures *f)
{
    free(f->ttr_lib);
    free(f->ttr_log);
    free(f->groups);
}

static double pc(size_t a, size_t b) { return b ? 100.0 * (double)a / (double)b : 0.0; }

static void where(FILE *out, rp_where w, int files)
{
    if (files > 1) {
        const char *base = strrchr(w.file, '/');
        fprintf(out, " %s:%ld", base ? base + 1 : w.file, w.line);
    } else {
        fprintf(out, " %ld", w.line);
    }
}

static void percentiles(FILE *out, const char *what, const itsm_time *v, size_t n)
{
    fprintf(out, "  %-36s %.2f / %.2f / %.2f / %.2f over %zu\n", what, rp_pct_hours(v, n, 50),
            rp_pct_hours(v, n, 90), rp_pct_hours(v, n, 95), rp_pct_hours(v, n, 99), n);
}

static void text(const replay *rp, const rp_report_opts *o, const rp_figures *f, FILE *out)
{
    const char *cases = o->kind == RP_LOG_BPI_PROBLEMS ? "problems" : o->kind == RP_LOG_HELPDESK ? "tickets"
                                                                                                  : "incidents";
    int files = strstr(o->input, ", ") ? 2 : 1;   /* lines then name their file */
    fprintf(out, "itsm-replay report: %s\n", rp_log_title(o->kind));
    fprintf(out, "  input   %s\n  policy  %s\n  store   %s\n", o->input, o->policy, o->store);
    fprintf(out, "  time    %.2f s, %llu events accepted by the library (%.0f events/s)\n", o->seconds,
            rp->events, o->seconds > 0 ? (double)rp->events / o->seconds : 0.0);
    if (rp->input_error)
        fprintf(out, "  INPUT INCOMPLETE: %s\n", rp->input_error);
    fprintf(out, "\nrows          %ld\n  applied     %ld\n  unchanged   %ld  (nothing the policy tracks changed; no event)\n"
                 "  skipped     %ld  (repeats an earlier row of its case exactly)\n  refused     %ld\n",
            rp->rows, rp->applied, rp->unchanged, rp->skipped, rp->refused);
    fprintf(out, "%-13s %zu (%zu opened in the library)\n\n", cases, f->incidents, f->opened);
    fprintf(out, "refused rows by reason (line numbers in the input file, header = line 1)\n");
    if (!f->ngroups)
        fprintf(out, "  none\n");
    for (size_t k = 0; k < f->ngroups; k++) {
        const rp_group *g = &f->groups[k];
        fprintf(out, "  %5zu  %s\n         e.g. %s: %s\n         lines:", g->count, g->reason,
                rp->ref[g->first].record, rp->ref[g->first].message);
        size_t shown = 0;
        for (size_t i = g->first; i < rp->nref; i++) {
            if (rp->ref[i].reason != g->reason)
                continue;
            if (o->list_rows && shown == o->list_rows) {
                fprintf(out, " ... (%zu more; --report json lists all)", g->count - shown);
                break;
            }
            where(out, (rp_where){ rp->ref[i].file, rp->ref[i].line }, files);
            shown++;
        }
        fputc('\n', out);
    }
    fprintf(out, "\nquirks of the data, and how they were handled\n");
    for (int i = 0; i < rp->nquirks; i++) {
        const rp_quirk *q = &rp->quirk[i];
        fprintf(out, "  %6ld  %-44s %s\n", q->count, q->name, q->handling);
        if (!q->nlines)
            continue;
        fprintf(out, "          lines:");
        for (size_t k = 0; k < q->nlines; k++) {
            if (o->list_rows && k == o->list_rows) {
                fprintf(out, " ... (%zu more; --report json lists all)", q->nlines - k);
                break;
            }
            where(out, q->lines[k], files);
        }
        fputc('\n', out);
    }
    fprintf(out, "\nthe library's counters vs the log's own columns (per %s, at its last row)\n",
            o->kind == RP_LOG_BPI_PROBLEMS ? "problem" : "incident");
    if (o->kind == RP_LOG_UCI) {
        static const char *const rule_names[] = { "group", "group_or_assignee", "group_change" };
        unsigned rule = (unsigned)itsm_policy_reassignment_rule(itsm_engine_policy(rp->eng));
        fprintf(out, "  reassignments = reassignment_count  %zu of %zu (%.1f%%), rule \"%s\"\n"
                     "    (the log counts every change of group after an incident's first row, to or from\n"
                     "    none too, and no change of assignee: the policy's \"group_change\". On the whole\n"
                     "    UCI log: group_change 99.6%%, group 85.8%%, group_or_assignee 81.7%% of incidents;\n"
                     "    tests/replay/uci_figures.awk -v RULE=... computes each without the library)\n",
                f->agree_reassign, f->cmp_reassign, pc(f->agree_reassign, f->cmp_reassign),
                rule < 3 ? rule_names[rule] : "?");
        fprintf(out, "  reopens       = reopen_count        %zu of %zu (%.1f%%)\n", f->agree_reopen, f->cmp_reopen,
                pc(f->agree_reopen, f->cmp_reopen));
        fprintf(out, "  priority      = priority            %zu of %zu (%.1f%%)\n", f->agree_prio, f->cmp_prio,
                pc(f->agree_prio, f->cmp_prio));
    } else if (f->cmp_level) {
        fprintf(out, "  reassignments = support team changes in the log  %zu of %zu (%.1f%%)\n",
                f->agree_reassign, f->cmp_reassign, pc(f->agree_reassign, f->cmp_reassign));
        fprintf(out, "  highest functional level = highest support line   %zu of %zu (%.1f%%)\n",
                f->agree_level, f->cmp_level, pc(f->agree_level, f->cmp_level));
        fprintf(out, "  %s that reached functional level 2 or 3: %zu, level 3: %zu\n", cases, f->level2,
                f->level3);
    } else {
        fprintf(out, "  reassignments = changes of the log's team          %zu of %zu (%.1f%%)\n",
                f->agree_reassign, f->cmp_reassign, pc(f->agree_reassign, f->cmp_reassign));
    }

    fprintf(out, "\nprocess figures (the log's rows counted by the tool | the library's report over the store)\n");
    int lib = f->lib_process;
#define PF(label, a, b)                                                                                     \
    do {                                                                                                    \
        fprintf(out, "  %-52s %8zu", label, a);                                                            \
        if (lib)                                                                                            \
            fprintf(out, " | %zu", b);                                                                     \
        fputc('\n', out);                                                                                   \
    } while (0)
    PF("completed", f->log_completed, f->lib_completed);
    if (f->cmp_level) {
        PF("  of those, stayed at the first line", f->log_stayed_first, f->lib_stayed_first);
        PF("pushes to a higher line (functional escalations)", f->log_escalations, f->lib_escalations);
        PF("  cases pushed at least once", f->log_escalated, f->lib_escalated);
    }
    PF("team changes (one team to another)", f->log_team_changes, f->lib_team_changes);
    PF("cases that bounced (a team had it again after another)", f->log_pingpong, f->lib_pingpong);
#undef PF
    if (!lib)
        fprintf(out, "  (the library's figures need a store it can read the history from: not --none)\n");

    fprintf(out, "\ntime to resolve, wall time, hours (p50 / p90 / p95 / p99)\n");
    percentiles(out, "library (resolved_at - opened_at)", f->ttr_lib, f->nttr_lib);
    if (o->kind == RP_LOG_UCI) {
        percentiles(out, "log's resolved_at - opened_at", f->ttr_log, f->nttr_log);
        fprintf(out, "  where the two differ (per incident; the same for %zu):\n", f->ttr_same);
        for (int c = 0; c < RP_TTR_CAUSES; c++) {
            const rp_ttr_cause *k = &f->ttr_cause[c];
            if (!k->count && c >= RP_TTR_LIB_ONLY)
                continue;
            fprintf(out, "  %7zu  %s", k->count, rp_ttr_cause_text[c]);
            if (k->count && (c == RP_TTR_REPEATED || c == RP_TTR_OTHER))
                fprintf(out, " (log later by %.2f h at the median)", k->median_hours);
            if (k->example)
                fprintf(out, ", e.g. %s", k->example);
            fputc('\n', out);
        }
        fprintf(out, "  (the policy decides the first two: 'resolve' only from an unresolved state, 'logged_resolved'\n"
                     "   stamps nothing, 'close' stamps closed_at only; rows are applied in time order)\n");
    }
    fprintf(out, "\nfirst-contact resolution (resolved with no reassignment)\n");
    fprintf(out, "  library  %zu of %zu resolved (%.1f%%)\n", f->fcr_lib, f->nttr_lib, pc(f->fcr_lib, f->nttr_lib));
    if (o->kind == RP_LOG_UCI)
        fprintf(out, "  log      %zu of %zu with resolved_at (%.1f%%)\n", f->fcr_log, f->nttr_log,
                pc(f->fcr_log, f->nttr_log));
    if (o->kind == RP_LOG_BPI_PROBLEMS)
        return;   /* problems have no service level */
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
            f->sla_paused);
    fprintf(out, "  timers fired by the tick: %llu; undecided (open at the last row, target not reached): %zu;"
                 " no target: %zu\n", rp->fired, f->sla_running, f->sla_untracked);
    fprintf(out, "  library verdict: met %zu of %zu (%.1f%%)\n", f->sla_met, f->sla_judged, pc(f->sla_met, f->sla_judged));
    if (o->kind == RP_LOG_UCI) {
        fprintf(out, "  log made_sla:    true %zu of %zu (%.1f%%)\n", f->log_sla_met, f->log_sla_known,
                pc(f->log_sla_met, f->log_sla_known));
        fprintf(out, "  agreement %zu of %zu (%.1f%%): both met %zu, both breached %zu, "
                     "library met/log breached %zu, library breached/log met %zu\n",
                f->sla_agree, f->sla_cmp, pc(f->sla_agree, f->sla_cmp), f->sla[1][1], f->sla[0][0], f->sla[1][0],
                f->sla[0][1]);
    } else {
        fprintf(out, "  (this log has no SLA column to compare with)\n");
    }
}

static void conformance_text(const rp_report_opts *o, FILE *out)
{
    const itsm_conformance *c = o->conformance;
    itsm_conformance_summary s = { .size = sizeof s };
    if (!c || itsm_conformance_summary_of(&s, c) != ITSM_OK)
        return;
    fprintf(out, "\nconformance: every row's move against %s (itsm/conformance.h)\n", o->conformance_policy);
    fprintf(out, "  moves %zu (openings included), allowed %zu, fitness %.4f; refused by the replay %zu\n", s.moves,
            s.allowed, s.fitness, s.refused);
    fprintf(out, "  records that deviated %zu of %zu; that bypassed the process (skipped steps or a guard) %zu\n",
            s.deviating_records, s.records, s.bypass_records);
    size_t shown = 0, n = itsm_conformance_move_count(c);
    fprintf(out, "  moves the policy does not allow (count, deviation, the way round):\n");
    for (size_t i = 0; i < n; i++) {
        itsm_conformance_move m = { .size = sizeof m };
        itsm_conformance_move_at(c, i, &m);
        if (m.deviation == ITSM_DEVIATION_NONE && !m.refused)
            continue;
        if (o->list_rows && shown == o->list_rows) {
            fprintf(out, "    ... (--report json lists all)\n");
            break;
        }
        fprintf(out, "    %7zu  %s -> %s: %s", m.count, m.from ? m.from : "(opened)", m.to,
                itsm_deviation_name(m.deviation));
        if (m.allowed)
            fprintf(out, " (%zu allowed)", m.allowed);
        if (m.refused)
            fprintf(out, ", %zu refused by the replay", m.refused);
        if (m.skipped)
            fprintf(out, ", skips %s", m.skipped);
        fputc('\n', out);
        shown++;
    }
    if (!shown)
        fprintf(out, "    none\n");
    size_t unused = 0, nr = itsm_conformance_rule_count(c);
    for (size_t i = 0; i < nr; i++) {
        itsm_conformance_rule r = { .size = sizeof r };
        itsm_conformance_rule_at(c, i, &r);
        if (r.guard_failed)
            fprintf(out, "  rule %s --%s--> %s [%s]: used %zu, guard failed %zu (agreement %.3f)\n", r.from, r.event,
                    r.to, r.guard, r.used, r.guard_failed, r.agreement);
        unused += r.used == 0 && r.guard_failed == 0;
    }
    fprintf(out, "  rules the log never followed: %zu of %zu\n", unused, nr);
}

void rp_report(const replay *rp, const rp_report_opts *o, FILE *out)
{
    rp_figures f;
    rp_figures_compute(rp, o, &f);
    if (o->json)
        rp_report_json(rp, o, &f, out);
    else {
        text(rp, o, &f, out);
        conformance_text(o, out);
        if (o->extra)
            fputs(o->extra, out);
    }
    rp_figures_free(&f);
}
