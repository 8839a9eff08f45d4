/* SPDX-License-Identifier: Apache-2.0 */
/* tools/report_int.h - the replay report's figures, shared by the text
 * (report.c) and JSON (report_json.c) writers. */
#ifndef ITSM_TOOLS_REPORT_INT_H
#define ITSM_TOOLS_REPORT_INT_H

#include "replay.h"

/* Why the library's resolved_at and the log's differ for one incident (UCI). */
enum {
    RP_TTR_REPEATED = 0,   /* several Resolved rows: the library keeps the first, the log the last */
    RP_TTR_LOGGED,         /* logged already resolved: no time in the library, the log gives one */
    RP_TTR_LIB_ONLY,       /* the library resolved it, the log gives no resolved_at */
    RP_TTR_LOG_ONLY,       /* the log gives resolved_at, the library never resolved it */
    RP_TTR_OTHER,          /* both set, different, none of the above */
    RP_TTR_CAUSES
};

typedef struct rp_ttr_cause {
    size_t      count;
    double      median_hours;   /* log - library, for causes where both are set */
    const char *example;        /* one incident id */
} rp_ttr_cause;

typedef struct rp_group { const char *reason; size_t count, first; } rp_group;

typedef struct rp_figures {
    size_t incidents, opened;
    size_t cmp_reassign, agree_reassign, cmp_reopen, agree_reopen, cmp_prio, agree_prio;
    size_t cmp_level, agree_level, level2, level3;
    itsm_time *ttr_lib, *ttr_log;
    size_t nttr_lib, nttr_log;
    size_t fcr_lib, fcr_log;
    size_t sla_met, sla_judged, sla_cmp, sla_agree, sla[2][2]; /* [lib met][log met] */
    size_t sla_running, sla_untracked, sla_paused;
    size_t log_sla_met, log_sla_known;
    /* the log's own process figures (replay.h: rp_team_seen) */
    size_t log_completed, log_stayed_first, log_escalations, log_escalated, log_team_changes, log_pingpong;
    /* the library's (itsm_report_process_of), when the report has them */
    int    lib_process;
    size_t lib_completed, lib_stayed_first, lib_escalations, lib_escalated, lib_team_changes, lib_pingpong;
    size_t ttr_same;            /* UCI: incidents where both agree (both unset, or equal) */
    rp_ttr_cause ttr_cause[RP_TTR_CAUSES];
    rp_group *groups;           /* refusals by reason, largest first */
    size_t    ngroups;
} rp_figures;

/* Compute; free with rp_figures_free. Aborts when out of memory. */
void   rp_figures_compute(const replay *rp, const rp_report_opts *o, rp_figures *f);
void   rp_figures_free(rp_figures *f);
/* Nearest rank, in hours: the smallest value with at least p% of values <= it; -1 when none. */
double rp_pct_hours(const itsm_time *sorted, size_t n, int p);
extern const char *const rp_ttr_cause_text[RP_TTR_CAUSES];
extern const char *const rp_ttr_cause_key[RP_TTR_CAUSES];
/* The log's name for the report, and its JSON key. */
const char *rp_log_title(rp_log_kind k);
const char *rp_log_key(rp_log_kind k);

void rp_report_json(const replay *rp, const rp_report_opts *o, const rp_figures *f, FILE *out);
void rp_json_str(FILE *out, const char *s);

#endif
