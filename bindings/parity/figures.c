/* SPDX-License-Identifier: Apache-2.0 */
/* The C side of the bindings' parity tests (python/tests/test_parity.py,
 * php/tests/ParityTest.php): replays the events a binding's engine
 * stored (one JSON per line on stdin) into a plain C engine, then prints
 * the figures the binding must give the same: the report's durations,
 * SLA and process figures, its breakdown by assignment group, each
 * record's state, reopen count and first-contact resolution, and each
 * record's four timers, as of `now`.
 * Usage: figures NOW_EPOCH < events */
#include <itsm.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int fail(const char *what, int rc) {
    fprintf(stderr, "%s: %s\n", what, itsm_errname(rc));
    return 1;
}

int main(int argc, char **argv) {
    if (argc != 2)
        return 2;
    itsm_time now = (itsm_time)strtoll(argv[1], NULL, 10);
    itsm_engine *eng = NULL;
    itsm_engine_opts eo = ITSM_ENGINE_OPTS_INIT;
    int rc = itsm_engine_new(&eng, &eo);
    if (rc != ITSM_OK)
        return fail("engine", rc);
    static char line[1 << 16];
    while (fgets(line, sizeof line, stdin)) {
        size_t n = strcspn(line, "\n");
        if (n == 0)
            continue;
        itsm_parse_error perr;
        memset(&perr, 0, sizeof perr);
        rc = itsm_engine_replay(eng, line, n, &perr);
        if (rc != ITSM_OK)
            return fail("replay", rc);
    }
    itsm_report *rep = NULL;
    itsm_report_opts ro = ITSM_REPORT_OPTS_INIT;
    ro.now = now;
    rc = itsm_report_new(&rep, eng, &ro);
    if (rc != ITSM_OK)
        return fail("report", rc);
    for (int m = 0; m < ITSM_MEASURE_COUNT; m++) {
        itsm_report_stat st = { .size = sizeof st };
        if ((rc = itsm_report_duration(&st, rep, (itsm_report_measure)m)) != ITSM_OK)
            return fail("duration", rc);
        printf("duration %s %zu %.6f %" PRId64 " %" PRId64 " %" PRId64 " %" PRId64 " %" PRId64 " %" PRId64 "\n",
               itsm_report_measure_name((itsm_report_measure)m), st.count, st.mean, st.min, st.max,
               st.p50, st.p90, st.p95, st.p99);
    }
    itsm_report_sla_figures sla = { .size = sizeof sla };
    if ((rc = itsm_report_sla(&sla, rep)) != ITSM_OK)
        return fail("sla", rc);
    printf("sla %zu %zu %zu %.6f\n", sla.tracked, sla.met, sla.breached, sla.compliance);
    itsm_report_figures fig = { .size = sizeof fig };
    if ((rc = itsm_report_figures_of(&fig, rep)) != ITSM_OK)
        return fail("figures", rc);
    printf("figures %zu %zu %.6f %zu %zu %zu %zu %zu %.6f\n", fig.resolved, fig.first_contact,
           fig.first_contact_rate, fig.reassignments, fig.reassigned_records, fig.ever_resolved,
           fig.reopened_records, fig.reopens, fig.reopen_rate);
    itsm_report_free(rep);
    /* the same cohort broken down by group: "resolved" there and the
     * records' first contact both drop a reopened record back in work */
    ro.group_by = "assignment_group";
    if ((rc = itsm_report_new(&rep, eng, &ro)) != ITSM_OK)
        return fail("report by group", rc);
    for (size_t g = 0; g < itsm_report_group_count(rep); g++) {
        itsm_report_group row = { .size = sizeof row };
        if ((rc = itsm_report_group_at(rep, g, &row)) != ITSM_OK)
            return fail("group", rc);
        printf("group %s %zu %zu %zu %zu\n", row.value ? row.value : "-", row.count, row.resolved,
               row.met, row.breached);
    }
    itsm_report_free(rep);
    size_t nrec = itsm_engine_record_count(eng);
    for (size_t i = 0; i < nrec; i++) {
        itsm_record *rec = NULL;
        if ((rc = itsm_engine_record_at(&rec, eng, i)) != ITSM_OK)
            return fail("record_at", rc);
        printf("record %s %s %" PRId64 " %d\n", itsm_record_id(rec), itsm_record_state(rec),
               itsm_record_int(rec, ITSM_F_REOPENS), itsm_record_first_contact_resolution(rec));
        for (int t = ITSM_TIMER_RESPONSE; t <= ITSM_TIMER_NEXT_UPDATE; t++) {
            itsm_timer_info ti = { .size = sizeof ti };
            if ((rc = itsm_record_timer(&ti, rec, (itsm_timer)t, now)) != ITSM_OK)
                return fail("timer", rc);
            printf("timer %s %d %d %d %" PRIu32 " %" PRId64 " %" PRId64 " %" PRId64 " %" PRId64 " %u\n",
                   itsm_record_id(rec), t, (int)ti.status, ti.breached, ti.target, ti.elapsed,
                   ti.paused, (int64_t)ti.due, ti.remaining, ti.warnings);
        }
    }
    itsm_engine_free(eng);
    return 0;
}
