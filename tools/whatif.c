/* SPDX-License-Identifier: Apache-2.0 */
#define _POSIX_C_SOURCE 200809L
/* itsm-replay --whatif: the text section (tools/whatif.h). */
#include "whatif.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

static double pct(size_t n, size_t of) { return of ? 100.0 * (double)n / (double)of : 0.0; }

static long long delta_of(const itsm_whatif_group *g)
{
    return (long long)g->candidate_breached - (long long)g->actual_breached;
}

static int by_delta(const void *x, const void *y)
{
    const itsm_whatif_group *a = x, *b = y;
    long long da = delta_of(a), db = delta_of(b);
    if (da != db)
        return da > db ? -1 : 1;
    if (!a->group || !b->group)
        return (a->group != NULL) - (b->group != NULL);
    return strcmp(a->group, b->group);
}

static void duration(FILE *out, const char *what, const itsm_whatif *w, itsm_whatif_measure m)
{
    itsm_whatif_duration d = { .size = sizeof d };
    if (itsm_whatif_duration_of(&d, w, m) != ITSM_OK)
        return;
    fprintf(out, "  %-22s %zu records, %zu changed; p50 %.2f h -> %.2f h, p90 %.2f h -> %.2f h, mean %+.2f h\n",
            what, d.count, d.changed, (double)d.actual_p50 / 3600, (double)d.candidate_p50 / 3600,
            (double)d.actual_p90 / 3600, (double)d.candidate_p90 / 3600, d.mean_delta / 3600);
}

void rp_whatif_text(const itsm_whatif *w, const char *candidate, size_t ngroups, size_t nflips, FILE *out)
{
    itsm_whatif_summary s = { .size = sizeof s };
    if (itsm_whatif_summary_of(&s, w) != ITSM_OK)
        return;
    char asof[32];
    time_t t = (time_t)s.as_of;
    struct tm tm;
    strftime(asof, sizeof asof, "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&t, &tm));
    fprintf(out, "\nWHAT-IF under %s (itsm_whatif_new: the store's %zu events judged again)\n", candidate,
            s.events);
    fprintf(out, "  open clocks judged as of %s; %zu records, %zu clocks judged\n", asof, s.records, s.clocks);
    fprintf(out, "  breached: %zu actual -> %zu candidate (%+lld); %zu verdicts flip: %zu to breached, %zu to met\n",
            s.actual_breached, s.candidate_breached, (long long)s.candidate_breached - (long long)s.actual_breached,
            s.flips, s.to_breached, s.to_met);
    fprintf(out, "  per SLA                      actual met/breached/pending   candidate met/breached/pending\n");
    for (size_t i = 0; i < itsm_whatif_sla_count(w); i++) {
        itsm_whatif_sla r = { .size = sizeof r };
        itsm_whatif_sla_at(w, i, &r);
        char name[96];
        snprintf(name, sizeof name, "%s %s", r.name, itsm_whatif_clock_name(r.clock));
        size_t ja = r.actual_met + r.actual_breached, jc = r.candidate_met + r.candidate_breached;
        fprintf(out, "  %-28s %6zu/%6zu/%6zu (%5.1f%% met)  %6zu/%6zu/%6zu (%5.1f%% met)\n", name, r.actual_met,
                r.actual_breached, r.actual_pending, pct(r.actual_met, ja), r.candidate_met, r.candidate_breached,
                r.candidate_pending, pct(r.candidate_met, jc));
    }
    size_t ng = itsm_whatif_group_count(w);
    itsm_whatif_group *gs = calloc(ng ? ng : 1, sizeof *gs);
    if (gs) {
        for (size_t i = 0; i < ng; i++) {
            gs[i].size = sizeof gs[i];
            itsm_whatif_group_at(w, i, &gs[i]);
        }
        qsort(gs, ng, sizeof *gs, by_delta);
        fprintf(out, "  groups with the most added breaches (of %zu): group, records, breached actual -> candidate\n",
                ng);
        for (size_t i = 0; i < ng && i < ngroups && delta_of(&gs[i]) != 0; i++)
            fprintf(out, "    %-24s %6zu %6zu -> %6zu (%+lld)\n", gs[i].group ? gs[i].group : "(none)", gs[i].records,
                    gs[i].actual_breached, gs[i].candidate_breached, delta_of(&gs[i]));
        free(gs);
    }
    fprintf(out, "  time to resolve\n");
    duration(out, "wall (resolved_at)", w, ITSM_WHATIF_RESOLVE_WALL);
    duration(out, "working (resolution)", w, ITSM_WHATIF_RESOLVE_WORK);
    size_t nf = itsm_whatif_flip_count(w);
    if (nf && nflips)
        fprintf(out, "  flips (first %zu of %zu): record, group, priority, clock, actual -> candidate\n",
                nf < nflips ? nf : nflips, nf);
    for (size_t i = 0; i < nf && i < nflips; i++) {
        itsm_whatif_flip f = { .size = sizeof f };
        itsm_whatif_flip_at(w, i, &f);
        fprintf(out, "    %-14s %-22s P%d %-10s %s %s (%.1f h of %.1f h) -> %s %s (%.1f h of %.1f h)\n", f.record,
                f.group ? f.group : "(none)", f.priority, itsm_whatif_clock_name(f.clock),
                f.actual_sla ? f.actual_sla : "-", itsm_whatif_verdict_name(f.actual), (double)f.actual_elapsed / 3600,
                (double)f.actual_target / 3600, f.candidate_sla ? f.candidate_sla : "-",
                itsm_whatif_verdict_name(f.candidate), (double)f.candidate_elapsed / 3600,
                (double)f.candidate_target / 3600);
    }
}
