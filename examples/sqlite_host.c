/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sqlite_host: a host that persists every change through the installed
 * SQLite store (libitsm-sqlite, <itsm/stores/sqlite.h>) into a file, and
 * rebuilds its engine from that file when it starts.
 *
 *   sqlite_host DB [--incidents N] [--crash-after K] [--crash-in-commit K]
 *                  [--stop-after K] [--binary] [--verify] [--quiet]
 *
 * It loads DB (itsm_engine_load), then runs a fixed script: N incidents
 * (default 8), worked round-robin through their lifecycle (open, categorise,
 * assign, reassign, start, hold, note, resume, resolve, knowledge decision,
 * confirm), plus one deliberately refused step per incident (confirming an
 * incident that is only assigned). Steps already in the file are skipped,
 * so a host restarted after a crash carries on where the file ends. The
 * clock is virtual: step s happens at T0 + 60 s * s, whichever run does it.
 *
 *   --crash-after K      _exit(1) right after the K-th accepted mutation of
 *                        this run (a real process exit: no cleanup, no close)
 *   --crash-in-commit K  _exit(1) inside the store's K-th append, after the
 *                        INSERTs and before COMMIT (that change must vanish)
 *   --stop-after K       stop cleanly after the K-th accepted mutation
 *   --binary             keep new events in the binary form (a BLOB each)
 *   --verify             only load DB and print a canonical dump of every
 *                        record (state, revision, fields, timeline, links)
 *
 * With no arguments it runs the whole script into a temporary file and
 * verifies the reload, so ctest can run it as an example.
 */
#define _POSIX_C_SOURCE 200809L /* mkdtemp, _exit */
#include <itsm.h>
#include <itsm/stores/sqlite.h>
#include <sqlite3.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define T0 ((itsm_time)1772442000) /* 2026-03-02T09:00:00Z */

static itsm_time clock_now = T0;
static itsm_time read_clock(void *user) { (void)user; return clock_now; }

/* ---- the script ---- */

enum { P_OPEN, P_CATEGORY, P_ASSIGN, P_BAD_CONFIRM, P_REASSIGN, P_START, P_HOLD, P_NOTE,
       P_RESUME, P_RESOLVE, P_KNOWLEDGE, P_CONFIRM, P_COUNT };
static const char *const phase_name[P_COUNT] = {
    "open", "categorise", "assign", "confirm too early (refused)", "reassign", "start", "hold",
    "work note", "resume", "resolve", "knowledge decision", "confirm"
};

/* The record's revision once phase p is done (refused phases add nothing). */
static void incident_id(char *buf, size_t cap, int j) { snprintf(buf, cap, "INC-%04d", j + 1); }

/* Run phase p of incident j: the library's return code. */
static int run_phase(itsm_engine *eng, int j, int p)
{
    char id[32], caller[32], agent[32], summary[64];
    incident_id(id, sizeof id, j);
    itsm_record *r = NULL;
    if (p != P_OPEN && itsm_record_find(&r, eng, id) != ITSM_OK)
        return ITSM_ENOTFOUND;
    switch (p) {
    case P_OPEN: {
        snprintf(caller, sizeof caller, "user-%d", j + 1);
        snprintf(summary, sizeof summary, "Cannot print from floor %d", j % 5 + 1);
        itsm_change f[] = { { ITSM_F_SUMMARY, summary, 0 }, { ITSM_F_CALLER, caller, 0 },
                            { ITSM_F_IMPACT, NULL, 1 + j % 3 }, { ITSM_F_URGENCY, NULL, 1 + (j / 3) % 3 } };
        itsm_record_opts o = ITSM_RECORD_OPTS_INIT;
        o.id = id;
        o.fields = f;
        o.nfields = 4;
        return itsm_record_open(&r, eng, &o);
    }
    case P_CATEGORY:
        return itsm_record_set_str(r, ITSM_F_CATEGORY, j % 2 ? "hardware" : "network");
    case P_ASSIGN: {
        itsm_change g = { ITSM_F_ASSIGNMENT_GROUP, "service-desk", 0 };
        return itsm_record_fire(r, "assign", &g, 1);
    }
    case P_BAD_CONFIRM:
        return itsm_record_fire(r, "confirm", NULL, 0);
    case P_REASSIGN:
        return itsm_record_set_str(r, ITSM_F_ASSIGNMENT_GROUP, j % 2 ? "desktop" : "network-ops");
    case P_START: {
        snprintf(agent, sizeof agent, "agent-%d", j % 3 + 1);
        itsm_change a = { ITSM_F_ASSIGNEE, agent, 0 };
        return itsm_record_fire(r, "start", &a, 1);
    }
    case P_HOLD: {
        itsm_change h = { ITSM_F_HOLD_REASON, "awaiting_customer", 0 };
        return itsm_record_fire(r, "hold", &h, 1);
    }
    case P_NOTE: {
        itsm_note_opts n = ITSM_NOTE_OPTS_INIT;
        n.text = "called the user; waiting for the printer's serial number";
        return itsm_record_add_note(r, &n);
    }
    case P_RESUME:
        return itsm_record_fire(r, "resume", NULL, 0);
    case P_RESOLVE: {
        itsm_change c[] = { { ITSM_F_RESOLUTION_CODE, "fixed", 0 },
                            { ITSM_F_RESOLUTION_NOTES, "replaced the driver", 0 } };
        return itsm_record_fire(r, "resolve", c, 2);
    }
    case P_KNOWLEDGE:
        return itsm_record_set_str(r, ITSM_F_KNOWLEDGE_DECISION, "not_needed");
    case P_CONFIRM:
        return itsm_record_fire(r, "confirm", NULL, 0);
    }
    return ITSM_EINVAL;
}

/* ---- canonical dump (the format of tests/support engine_dump) ---- */

static void dump(const itsm_engine *eng, FILE *out)
{
    for (size_t i = 0; i < itsm_engine_record_count(eng); i++) {
        itsm_record *r;
        itsm_engine_record_at(&r, eng, i);
        fprintf(out, "%s %s %s rev=%llu\n", itsm_record_id(r), itsm_kind_name(itsm_record_kind(r)),
                itsm_record_state(r), (unsigned long long)itsm_record_revision(r));
        for (int f = 0; f < ITSM_F__COUNT; f++) {
            if (!itsm_record_has(r, (itsm_field)f))
                continue;
            const char *s = itsm_record_str(r, (itsm_field)f);
            if (s)
                fprintf(out, "  %s=\"%s\"\n", itsm_field_name((itsm_field)f), s);
            else
                fprintf(out, "  %s=%lld\n", itsm_field_name((itsm_field)f),
                        (long long)itsm_record_int(r, (itsm_field)f));
        }
        for (size_t t = 0; t < itsm_record_timeline_count(r); t++) {
            itsm_timeline_entry e = { .size = sizeof e };
            itsm_record_timeline_at(r, t, &e);
            fprintf(out, "  note %d at=%lld by=%s eta=%lld next=%lld: %s\n", (int)e.kind, (long long)e.at,
                    e.author ? e.author : "-", (long long)e.expected_restoration,
                    (long long)e.next_update, e.text);
        }
        for (size_t l = 0; l < itsm_record_link_count(r); l++) {
            itsm_link k = { .size = sizeof k };
            itsm_record_link_at(r, l, &k);
            fprintf(out, "  link %d -> %s (%s)\n", (int)k.kind, k.target_id, itsm_kind_name(k.target_kind));
        }
    }
}

/* ---- main ---- */

/* SQLite's commit hook runs inside COMMIT, after the events are written
 * and before they are committed: every store append is one commit. */
static long crash_in_commit, appends;
static int form = ITSM_SQLITE_FORM_JSON;
static int precommit(void *user)
{
    (void)user;
    if (++appends == crash_in_commit) {
        fprintf(stderr, "sqlite_host: crashing inside append %ld, before COMMIT\n", appends);
        _exit(1);
    }
    return 0;
}

/* The step the newest stored event was made by (each step is its own
 * actor, "step-N"), -1 for an empty file. */
static int last_step(itsm_sqlite *store)
{
    sqlite3_stmt *st;
    int step = -1;
    if (sqlite3_prepare_v2(itsm_sqlite_db(store), "SELECT actor FROM itsm_events ORDER BY seq DESC LIMIT 1", -1,
                           &st, NULL) != SQLITE_OK)
        return -1;
    if (sqlite3_step(st) == SQLITE_ROW) {
        const char *a = (const char *)sqlite3_column_text(st, 0);
        if (a && !strncmp(a, "step-", 5))
            step = atoi(a + 5);
    }
    sqlite3_finalize(st);
    return step;
}

static long long stored(itsm_sqlite *store)
{
    uint64_t n = 0;
    return itsm_sqlite_count(store, &n) == ITSM_OK ? (long long)n : -1;
}

static int usage(void)
{
    fprintf(stderr, "usage: sqlite_host DB [--incidents N] [--crash-after K] [--crash-in-commit K]\n"
                    "                      [--stop-after K] [--binary] [--verify] [--quiet]\n");
    return 2;
}

static int run(const char *path, int incidents, long crash_after, long stop_after, int verify, int quiet)
{
    itsm_sqlite *store;
    char err[512];
    itsm_sqlite_opts so = ITSM_SQLITE_OPTS_INIT;   /* synchronous=FULL */
    so.form = form;
    if (itsm_sqlite_open(&store, path, &so, err, sizeof err) != ITSM_OK) {
        fprintf(stderr, "sqlite_host: %s\n", err);
        return 1;
    }
    sqlite3_commit_hook(itsm_sqlite_db(store), precommit, NULL);
    itsm_engine_opts o = ITSM_ENGINE_OPTS_INIT;
    o.store = itsm_sqlite_store();
    o.store_user = store;
    o.clock = read_clock;
    itsm_engine *eng;
    int rc = itsm_engine_new(&eng, &o);
    if (rc == ITSM_OK)
        rc = itsm_engine_load(eng);
    if (rc != ITSM_OK) {
        fprintf(stderr, "sqlite_host: loading %s: %s (%s) %s\n", path, itsm_errname(rc),
                eng ? itsm_errmsg(eng) : "", itsm_sqlite_errmsg(store));
        itsm_engine_free(eng);
        itsm_sqlite_close(store);
        return 1;
    }
    if (verify) {
        dump(eng, stdout);
        itsm_engine_free(eng);
        itsm_sqlite_close(store);
        return 0;
    }
    if (!quiet)
        printf("loaded %zu records (%lld events) from %s\n", itsm_engine_record_count(eng),
               stored(store), path);
    int last_done = last_step(store);
    long accepted = 0, skipped = 0, refused = 0;
    int status = 0;
    for (int s = 0; s < incidents * P_COUNT; s++) {
        int p = s / incidents, j = s % incidents;
        char id[32];
        incident_id(id, sizeof id, j);
        if (s <= last_done) {
            skipped++; /* already in the file: done by an earlier run */
            continue;
        }
        /* Each step is its own actor, so the newest stored event says how
         * far an earlier (crashed) run got, however many events a step
         * produced (a priority 1 incident also gets a major proposal). */
        char actor[32];
        snprintf(actor, sizeof actor, "step-%d", s);
        itsm_engine_set_actor(eng, actor);
        clock_now = T0 + 60 * (itsm_time)(s + 1);
        rc = run_phase(eng, j, p);
        if (p == P_BAD_CONFIRM) {
            if (rc == ITSM_OK) {
                fprintf(stderr, "sqlite_host: step %d (%s %s) was accepted but must be refused\n", s, id,
                        phase_name[p]);
                status = 1;
                break;
            }
            refused++;
            if (!quiet)
                printf("step %3d %s %-28s refused as expected: %s\n", s, id, phase_name[p], itsm_errmsg(eng));
            continue;
        }
        if (rc != ITSM_OK) {
            fprintf(stderr, "sqlite_host: step %d (%s %s): %s (%s)\n", s, id, phase_name[p],
                    itsm_errname(rc), itsm_errmsg(eng));
            status = 1;
            break;
        }
        accepted++;
        if (!quiet)
            printf("step %3d %s %-28s ok (accepted #%ld)\n", s, id, phase_name[p], accepted);
        if (accepted == crash_after) {
            fflush(stdout);
            fprintf(stderr, "sqlite_host: crashing after accepted mutation %ld\n", accepted);
            _exit(1);
        }
        if (accepted == stop_after)
            break;
    }
    if (!quiet)
        printf("done: %ld accepted, %ld refused as expected, %ld already stored; %lld events in %s\n",
               accepted, refused, skipped, stored(store), path);
    itsm_engine_free(eng);
    itsm_sqlite_close(store);
    return status;
}

/* No arguments (ctest): run the script into a temporary file, then check
 * that a second engine loaded from it dumps the same as the first. */
static int self_test(void)
{
    char dir[] = "/tmp/sqlite_host.XXXXXX";
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 1;
    }
    char path[64];
    snprintf(path, sizeof path, "%s/itsm.db", dir);
    int rc = run(path, 4, 0, 0, 0, 0);
    if (rc == 0) {
        printf("--- reloaded from %s:\n", path);
        rc = run(path, 4, 0, 0, 1, 0);
    }
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "sqlite_host: could not remove %s\n", dir);
    return rc;
}

int main(int argc, char **argv)
{
    if (argc == 1)
        return self_test();
    const char *path = NULL;
    int incidents = 8, verify = 0, quiet = 0;
    long crash_after = 0, stop_after = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--verify"))
            verify = 1;
        else if (!strcmp(a, "--quiet"))
            quiet = 1;
        else if (!strcmp(a, "--binary"))
            form = ITSM_SQLITE_FORM_BINARY;
        else if (i + 1 < argc && !strcmp(a, "--incidents"))
            incidents = atoi(argv[++i]);
        else if (i + 1 < argc && !strcmp(a, "--crash-after"))
            crash_after = atol(argv[++i]);
        else if (i + 1 < argc && !strcmp(a, "--crash-in-commit"))
            crash_in_commit = atol(argv[++i]);
        else if (i + 1 < argc && !strcmp(a, "--stop-after"))
            stop_after = atol(argv[++i]);
        else if (a[0] != '-' && !path)
            path = a;
        else
            return usage();
    }
    if (!path || incidents < 1 || incidents > 9999)
        return usage();
    return run(path, incidents, crash_after, stop_after, verify, quiet);
}
