/* SPDX-License-Identifier: Apache-2.0 */
/* tools/report_json.c - the replay report as one JSON object (see replay.h). */
#include "report_int.h"

#include <stdlib.h>
#include <string.h>

void rp_json_str(FILE *out, const char *s)
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

static void where(FILE *out, rp_where w)
{
    fprintf(out, "{\"file\": ");
    rp_json_str(out, w.file ? w.file : "");
    fprintf(out, ", \"line\": %ld}", w.line);
}

static void pcts(FILE *out, const char *key, const itsm_time *v, size_t n)
{
    fprintf(out, "  \"%s\": {\"p50\": %.4f, \"p90\": %.4f, \"p95\": %.4f, \"p99\": %.4f},\n", key,
            rp_pct_hours(v, n, 50), rp_pct_hours(v, n, 90), rp_pct_hours(v, n, 95), rp_pct_hours(v, n, 99));
}

void rp_report_json(const replay *rp, const rp_report_opts *o, const rp_figures *f, FILE *out)
{
    fprintf(out, "{\n  \"log\": ");
    rp_json_str(out, rp_log_key(o->kind));
    fprintf(out, ",\n  \"input\": ");
    rp_json_str(out, o->input);
    fprintf(out, ",\n  \"policy\": ");
    rp_json_str(out, o->policy);
    fprintf(out, ",\n  \"store\": ");
    rp_json_str(out, o->store);
    fprintf(out, ",\n  \"input_error\": ");
    if (rp->input_error)
        rp_json_str(out, rp->input_error);
    else
        fprintf(out, "null");
    fprintf(out, ",\n  \"seconds\": %.3f,\n  \"events\": %llu,\n", o->seconds, rp->events);
    fprintf(out, "  \"rows\": %ld,\n  \"rows_applied\": %ld,\n  \"rows_unchanged\": %ld,\n  \"rows_skipped\": %ld,\n"
                 "  \"rows_refused\": %ld,\n",
            rp->rows, rp->applied, rp->unchanged, rp->skipped, rp->refused);
    fprintf(out, "  \"incidents\": %zu,\n  \"incidents_opened\": %zu,\n", f->incidents, f->opened);
    fprintf(out, "  \"refused_by_reason\": [");
    for (size_t k = 0; k < f->ngroups; k++) {
        const rp_group *g = &f->groups[k];
        fprintf(out, "%s\n    {\"reason\": ", k ? "," : "");
        rp_json_str(out, g->reason);
        fprintf(out, ", \"count\": %zu, \"rows\": [", g->count);
        size_t shown = 0;
        for (size_t i = g->first; i < rp->nref; i++) {
            if (rp->ref[i].reason != g->reason)
                continue;
            fprintf(out, "%s{\"line\": %ld, \"file\": ", shown++ ? ", " : "", rp->ref[i].line);
            rp_json_str(out, rp->ref[i].file ? rp->ref[i].file : "");
            fprintf(out, ", \"record\": ");
            rp_json_str(out, rp->ref[i].record);
            fprintf(out, ", \"message\": ");
            rp_json_str(out, rp->ref[i].message);
            fputc('}', out);
        }
        fprintf(out, "]}");
    }
    fprintf(out, "%s],\n  \"quirks\": [", f->ngroups ? "\n  " : "");
    for (int i = 0; i < rp->nquirks; i++) {
        const rp_quirk *q = &rp->quirk[i];
        fprintf(out, "%s\n    {\"quirk\": ", i ? "," : "");
        rp_json_str(out, q->name);
        fprintf(out, ", \"count\": %ld, \"handling\": ", q->count);
        rp_json_str(out, q->handling);
        if (q->listed) {
            fprintf(out, ", \"lines\": [");
            for (size_t k = 0; k < q->nlines; k++) {
                if (k)
                    fprintf(out, ", ");
                where(out, q->lines[k]);
            }
            fputc(']', out);
        }
        fputc('}', out);
    }
    fprintf(out, "\n  ],\n");
    fprintf(out, "  \"reassignments_compared\": %zu,\n  \"reassignments_agree\": %zu,\n", f->cmp_reassign,
            f->agree_reassign);
    if (o->kind == RP_LOG_UCI)
        fprintf(out, "  \"reopens_compared\": %zu,\n  \"reopens_agree\": %zu,\n"
                     "  \"priority_compared\": %zu,\n  \"priority_agree\": %zu,\n",
                f->cmp_reopen, f->agree_reopen, f->cmp_prio, f->agree_prio);
    if (f->cmp_level)
        fprintf(out, "  \"level_compared\": %zu,\n  \"level_agree\": %zu,\n  \"level2\": %zu,\n  \"level3\": %zu,\n",
                f->cmp_level, f->agree_level, f->level2, f->level3);
    fprintf(out, "  \"log_completed\": %zu,\n  \"log_stayed_first_line\": %zu,\n  \"log_escalations\": %zu,\n"
                 "  \"log_escalated\": %zu,\n  \"log_team_changes\": %zu,\n  \"log_pingpong\": %zu,\n",
            f->log_completed, f->log_stayed_first, f->log_escalations, f->log_escalated, f->log_team_changes,
            f->log_pingpong);
    if (f->lib_process)
        fprintf(out, "  \"completed\": %zu,\n  \"stayed_first_line\": %zu,\n  \"escalations\": %zu,\n"
                     "  \"escalated\": %zu,\n  \"team_changes\": %zu,\n  \"pingpong\": %zu,\n",
                f->lib_completed, f->lib_stayed_first, f->lib_escalations, f->lib_escalated, f->lib_team_changes,
                f->lib_pingpong);
    fprintf(out, "  \"resolved\": %zu,\n", f->nttr_lib);
    pcts(out, "ttr_hours", f->ttr_lib, f->nttr_lib);
    if (o->kind == RP_LOG_UCI) {
        fprintf(out, "  \"log_resolved\": %zu,\n", f->nttr_log);
        pcts(out, "log_ttr_hours", f->ttr_log, f->nttr_log);
        fprintf(out, "  \"log_fcr\": %zu,\n  \"ttr_same\": %zu,\n  \"ttr_differences\": {", f->fcr_log, f->ttr_same);
        for (int c = 0; c < RP_TTR_CAUSES; c++) {
            fprintf(out, "%s\n    \"%s\": {\"count\": %zu, \"median_hours\": %.4f, \"text\": ", c ? "," : "",
                    rp_ttr_cause_key[c], f->ttr_cause[c].count, f->ttr_cause[c].median_hours);
            rp_json_str(out, rp_ttr_cause_text[c]);
            fputc('}', out);
        }
        fprintf(out, "\n  },\n");
    }
    fprintf(out, "  \"fcr\": %zu,\n", f->fcr_lib);
    fprintf(out, "  \"sla_verdict\": \"library\",\n  \"sla_name\": ");
    rp_json_str(out, rp->sla_name ? rp->sla_name : "");
    fprintf(out, ",\n  \"sla_targets_seconds\": {");
    for (int p = 0, k = 0; p < 5; p++)
        if (rp->sla_target[p])
            fprintf(out, "%s\"P%d\": %lu", k++ ? ", " : "", p + 1, (unsigned long)rp->sla_target[p]);
    fprintf(out, "},\n  \"sla_calendars\": {");
    for (int p = 0, k = 0; p < 5; p++)
        if (rp->sla_target[p]) {
            fprintf(out, "%s\"P%d\": ", k++ ? ", " : "", p + 1);
            rp_json_str(out, rp->sla_calendar[p] ? rp->sla_calendar[p] : "");
        }
    fprintf(out, "},\n  \"sla_fired\": %llu,\n  \"sla_undecided\": %zu,\n  \"sla_untracked\": %zu,\n"
                 "  \"sla_paused\": %zu,\n", rp->fired, f->sla_running, f->sla_untracked, f->sla_paused);
    fprintf(out, "  \"sla_judged\": %zu,\n  \"sla_met\": %zu", f->sla_judged, f->sla_met);
    if (o->kind == RP_LOG_UCI)
        fprintf(out, ",\n  \"log_made_sla_known\": %zu,\n  \"log_made_sla_true\": %zu,\n"
                     "  \"sla_compared\": %zu,\n  \"sla_agree\": %zu,\n"
                     "  \"sla_both_met\": %zu,\n  \"sla_both_breached\": %zu,\n"
                     "  \"sla_lib_met_log_breached\": %zu,\n  \"sla_lib_breached_log_met\": %zu",
                f->log_sla_known, f->log_sla_met, f->sla_cmp, f->sla_agree, f->sla[1][1], f->sla[0][0],
                f->sla[1][0], f->sla[0][1]);
    if (o->conformance) {
        size_t len;
        itsm_conformance_to_json(o->conformance, NULL, 0, &len);
        char *buf = malloc(len + 1);
        if (buf && itsm_conformance_to_json(o->conformance, buf, len + 1, &len) == ITSM_OK) {
            fprintf(out, ",\n  \"conformance_policy\": ");
            rp_json_str(out, o->conformance_policy ? o->conformance_policy : "");
            fprintf(out, ",\n  \"conformance\": %s", buf);
        }
        free(buf);
    }
    if (o->extra)
        fprintf(out, ",\n%s", o->extra);
    fprintf(out, "\n}\n");
}
