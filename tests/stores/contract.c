/* SPDX-License-Identifier: Apache-2.0 */
/*
 * contract.c - the runner of the store contract (contract.h): the cases,
 * defined by concern in contract_append.c, contract_reload.c,
 * contract_group.c and contract_engine_group.c, run in the order of
 * contract_cases.txt against whichever store the driver names. Each case
 * works through engines, as a host would: the events come from real
 * mutations, and what a store kept is judged by loading it into a fresh
 * engine.
 */
#include "contract_int.h"

#include <stdio.h>
#include <string.h>

/* ---- the runner ------------------------------------------------------------- */

#define CASE(f) { #f, f }
static const struct { const char *name; void (*fn)(void **); } cases[] = {
    CASE(append_keeps_a_whole_batch_or_nothing),
    CASE(scan_gives_every_event_in_append_order),
    CASE(stale_revision_is_a_conflict_and_changes_nothing),
    CASE(open_of_a_taken_id_is_a_conflict),
    CASE(append_after_a_gap_is_a_conflict),
    CASE(reload_rebuilds_every_record),
    CASE(kill_and_reload_keeps_every_acknowledged_event),
    CASE(catch_up_reads_what_others_appended),
    CASE(catch_up_compares_the_events_it_has),
    CASE(read_record_gives_one_record_in_revision_order),
    CASE(group_commit_keeps_every_append_at_once),
    CASE(group_abort_keeps_none_of_it),
    CASE(refused_append_leaves_the_group_open),
    CASE(kill_in_a_group_keeps_nothing_of_it),
    CASE(engine_group_is_one_write_with_the_same_events),
    CASE(engine_rollback_goes_back_to_the_last_commit),
    CASE(engine_group_not_kept_reloads_the_last_commit),
};
#define NCASES (sizeof cases / sizeof cases[0])

/* The cases listed in the file, in order, must be exactly ours. */
static int same_list(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        fprintf(stderr, "contract: cannot read %s\n", path);
        return 0;
    }
    char line[256];
    size_t i = 0;
    int ok = 1;
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\r\n")] = '\0';
        if (!line[0] || line[0] == '#')
            continue;
        if (i >= NCASES || strcmp(line, cases[i].name)) {
            fprintf(stderr, "contract: %s lists '%s' where the C suite has '%s'\n", path, line,
                    i < NCASES ? cases[i].name : "(nothing)");
            ok = 0;
        }
        i++;
    }
    fclose(f);
    if (i != NCASES) {
        fprintf(stderr, "contract: %s lists %zu cases, the C suite runs %zu\n", path, i, (size_t)NCASES);
        ok = 0;
    }
    return ok;
}

int contract_run(const contract_driver *d, const char *cases_file)
{
    drv = d;
    if (!same_list(cases_file))
        return 1;
    struct CMUnitTest tests[NCASES];
    for (size_t i = 0; i < NCASES; i++) {
        struct CMUnitTest t = { cases[i].name, cases[i].fn, NULL, NULL, NULL };
        tests[i] = t;
    }
    char group[64];
    snprintf(group, sizeof group, "store contract: %s", d->name);
    return _cmocka_run_group_tests(group, tests, NCASES, NULL, NULL);
}
