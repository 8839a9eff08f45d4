/* SPDX-License-Identifier: Apache-2.0 */
/*
 * quickstart: open an incident, assign it, work it, resolve it, close it,
 * and print its timeline. Memory-only engine (no store), virtual clock.
 *
 *   cc quickstart.c $(pkg-config --cflags --libs itsm) -o quickstart
 */
#include <itsm.h>

#include <stdio.h>
#include <stdlib.h>

/* A virtual clock: examples and tests must not depend on the wall clock. */
static itsm_time clock_now = 1772442000; /* 2026-03-02T09:00:00Z */
static itsm_time read_clock(void *user) { (void)user; return clock_now; }

static void check(itsm_engine *eng, int rc, const char *what)
{
    if (rc != ITSM_OK) {
        fprintf(stderr, "%s failed: %s (%s)\n", what, itsm_errstr(rc), itsm_errmsg(eng));
        exit(1);
    }
}

static void print_event(void *user, const itsm_event *const *events, size_t n)
{
    (void)user;
    for (size_t i = 0; i < n; i++) {
        char line[512];
        size_t len;
        if (itsm_event_to_json(events[i], line, sizeof line, &len) == ITSM_OK)
            printf("  event: %s\n", line);
    }
}

int main(void)
{
    itsm_engine_opts opts = ITSM_ENGINE_OPTS_INIT;
    opts.clock = read_clock;
    opts.sink = print_event;
    itsm_engine *eng;
    int rc = itsm_engine_new(&eng, &opts);
    if (rc != ITSM_OK) {
        fprintf(stderr, "engine: %s\n", itsm_errstr(rc));
        return 1;
    }
    printf("itsm %s\n", itsm_version_string());
    check(eng, itsm_engine_set_actor(eng, "Service Desk"), "set actor");

    /* Record: the caller, the service, impact and urgency (priority follows). */
    itsm_change fields[] = {
        { ITSM_F_SUMMARY, "Cannot send e-mail", 0 },
        { ITSM_F_CALLER, "alice", 0 },
        { ITSM_F_SERVICE, "Mail", 0 },
        { ITSM_F_CATEGORY, "software", 0 },
        { ITSM_F_IMPACT, NULL, 2 },
        { ITSM_F_URGENCY, NULL, 2 },
    };
    itsm_record_opts ro = ITSM_RECORD_OPTS_INIT;
    ro.kind = ITSM_KIND_INCIDENT;
    ro.fields = fields;
    ro.nfields = sizeof fields / sizeof fields[0];
    itsm_record *inc;
    check(eng, itsm_record_open(&inc, eng, &ro), "open");
    printf("opened %s, priority %lld, state %s\n", itsm_record_id(inc),
           (long long)itsm_record_int(inc, ITSM_F_PRIORITY), itsm_record_state(inc));

    /* A refused step says exactly why. */
    rc = itsm_record_fire(inc, "start", NULL, 0);
    printf("start before assignment: %s: %s\n", itsm_errname(rc), itsm_errmsg(eng));

    clock_now += 300;
    itsm_change group = { ITSM_F_ASSIGNMENT_GROUP, "Messaging", 0 };
    check(eng, itsm_record_fire(inc, "assign", &group, 1), "assign");

    clock_now += 600;
    check(eng, itsm_engine_set_actor(eng, "bob"), "set actor");
    itsm_change owner = { ITSM_F_ASSIGNEE, "bob", 0 };
    check(eng, itsm_record_fire(inc, "start", &owner, 1), "start");

    itsm_note_opts note = ITSM_NOTE_OPTS_INIT;
    note.kind = ITSM_NOTE_CUSTOMER;
    note.text = "Mail relay restarted; monitoring the queue";
    note.expected_restoration = clock_now + 3600;
    note.next_update = clock_now + 4 * 3600;
    check(eng, itsm_record_add_note(inc, &note), "customer update");

    clock_now += 1800;
    itsm_change resolution[] = {
        { ITSM_F_RESOLUTION_CODE, "fixed", 0 },
        { ITSM_F_RESOLUTION_NOTES, "Relay certificate renewed", 0 },
    };
    check(eng, itsm_record_fire(inc, "resolve", resolution, 2), "resolve");

    clock_now += 3600;
    itsm_change knowledge = { ITSM_F_KNOWLEDGE_DECISION, "not_needed", 0 };
    check(eng, itsm_record_fire(inc, "confirm", &knowledge, 1), "confirm");

    printf("%s is %s after %llu changes\ntimeline:\n", itsm_record_id(inc), itsm_record_state(inc),
           (unsigned long long)itsm_record_revision(inc));
    for (size_t i = 0; i < itsm_record_timeline_count(inc); i++) {
        itsm_timeline_entry e = { .size = sizeof e };
        itsm_record_timeline_at(inc, i, &e);
        printf("  [%s] %s: %s\n", e.kind == ITSM_NOTE_CUSTOMER ? "customer" : "work",
               e.author ? e.author : "-", e.text);
    }
    itsm_engine_free(eng);
    return 0;
}
