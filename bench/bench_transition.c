/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bench_transition - the cost of one lifecycle transition.
 *
 * n open P2 incidents (default 1,000) are assigned and started (group and
 * assignee set), then the measured loop holds every one (with a hold
 * reason, which the guard asks for) and resumes it again, round after
 * round: each itsm_record_fire is one operation. The store discards the
 * events, so the count is the library's: validation, the guard, the event,
 * applying it and re-planning the record's service-level clocks (on_hold
 * pauses the resolution clock in the default policy).
 *
 * Usage: bench_transition [records] [rounds]   (defaults 1000 and 10; under
 * valgrind 2 rounds: instruction counts need no averaging)
 */
#define _POSIX_C_SOURCE 200809L
#include "bench.h"
#include "bench_engine.h"

#include <string.h>

int main(int argc, char **argv)
{
    size_t n = argc > 1 ? (size_t)strtoull(argv[1], NULL, 10) : 1000;
    size_t rounds = argc > 2 ? (size_t)strtoull(argv[2], NULL, 10) : (bench_under_valgrind() ? 2 : 10);
    if (n == 0 || rounds == 0) {
        fprintf(stderr, "usage: bench_transition [records] [rounds]\n");
        return 2;
    }
    itsm_engine *eng = bench_engine(NULL);
    bench_open_incidents(eng, n);
    itsm_change who[2] = { { ITSM_F_ASSIGNMENT_GROUP, "Network", 0 }, { ITSM_F_ASSIGNEE, "alice", 0 } };
    itsm_record **recs = malloc(n * sizeof *recs);
    if (!recs)
        return 1;
    for (size_t i = 0; i < n; i++) {
        if (itsm_engine_record_at(&recs[i], eng, i) != ITSM_OK)
            bench_die(eng, "itsm_engine_record_at");
        if (itsm_record_fire(recs[i], "start", who, 2) != ITSM_OK)
            bench_die(eng, "start");
    }
    itsm_change reason = { ITSM_F_HOLD_REASON, "awaiting_vendor", 0 };

    /* one warm-up round: the first hold of a record grows what a record
     * grows once (not part of the steady state measured) */
    bench_vnow++;
    for (size_t i = 0; i < n; i++)
        if (itsm_record_fire(recs[i], "hold", &reason, 1) != ITSM_OK)
            bench_die(eng, "hold");
    for (size_t i = 0; i < n; i++)
        if (itsm_record_fire(recs[i], "resume", NULL, 0) != ITSM_OK)
            bench_die(eng, "resume");

    char name[64];
    snprintf(name, sizeof name, "transition.hold_resume.n%zu", n);
    bench_begin();
    for (size_t r = 0; r < rounds; r++) {
        bench_vnow += 60;
        for (size_t i = 0; i < n; i++)
            if (itsm_record_fire(recs[i], "hold", &reason, 1) != ITSM_OK)
                bench_die(eng, "hold");
        bench_vnow += 60;
        for (size_t i = 0; i < n; i++)
            if (itsm_record_fire(recs[i], "resume", NULL, 0) != ITSM_OK)
                bench_die(eng, "resume");
    }
    bench_end(name, (unsigned long long)(2 * n * rounds), "transition");
    free(recs);
    itsm_engine_free(eng);
    return 0;
}
