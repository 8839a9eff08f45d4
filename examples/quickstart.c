/* SPDX-License-Identifier: Apache-2.0 */
/*
 * quickstart: open an incident, assign it, work it, resolve it, close it,
 * and print its whole history - who did what when, old -> new - read back
 * from the store. The store keeps the events in memory; virtual clock.
 *
 *   cc quickstart.c $(pkg-config --cflags --libs itsm) -o quickstart
 */
#include <itsm.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

/* The smallest store: every event's JSON, in order. A real one writes them
 * to disk (stores/sqlite, stores/pg). */
typedef struct mem_store { char **json; size_t n; } mem_store;

static int mem_append(void *user, const itsm_event *const *events, size_t n)
{
    mem_store *s = user;
    char **grown = realloc(s->json, (s->n + n) * sizeof *grown);
    if (!grown)
        return ITSM_ESTORE;
    s->json = grown;
    for (size_t i = 0; i < n; i++) {
        size_t len;
        itsm_event_to_json(events[i], NULL, 0, &len);
        if (!(s->json[s->n + i] = malloc(len + 1))) {
            while (i--)
                free(s->json[s->n + i]);
            return ITSM_ESTORE;   /* all or nothing */
        }
        itsm_event_to_json(events[i], s->json[s->n + i], len + 1, &len);
    }
    s->n += n;
    return ITSM_OK;
}

/* One record's events, in order: what itsm_record_timeline reads. */
static int mem_read_record(void *user, const char *id, itsm_store_emit_fn emit, void *ctx)
{
    mem_store *s = user;
    char key[96];
    snprintf(key, sizeof key, "\"record\":\"%s\",", id);
    for (size_t i = 0; i < s->n; i++) {
        int rc = strstr(s->json[i], key) ? emit(ctx, s->json[i], strlen(s->json[i])) : ITSM_OK;
        if (rc != ITSM_OK)
            return rc;
    }
    return ITSM_OK;
}

static const itsm_store mem_store_methods = { ITSM_STORE_VERSION, mem_append, NULL, NULL, mem_read_record };

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
    mem_store store = { NULL, 0 };
    itsm_engine_opts opts = ITSM_ENGINE_OPTS_INIT;
    opts.store = &mem_store_methods;
    opts.store_user = &store;
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

    /* The history a helpdesk screen shows: every event, read from the store. */
    printf("%s is %s after %llu changes\nhistory:\n", itsm_record_id(inc), itsm_record_state(inc),
           (unsigned long long)itsm_record_revision(inc));
    itsm_timeline *tl;
    check(eng, itsm_record_timeline(&tl, inc), "history");
    for (size_t i = 0; i < itsm_timeline_count(tl); i++) {
        itsm_timeline_entry e = { .size = sizeof e };
        itsm_timeline_at(tl, i, &e);
        long long min = (long long)(e.at % 86400) / 60;
        printf("  %02lld:%02lld %-12s %s\n", min / 60, min % 60, e.author ? e.author : "-", e.text);
        for (size_t j = 0; j < e.nchanges; j++) {
            itsm_field_change c = { .size = sizeof c };
            itsm_timeline_change_at(tl, i, j, &c);
            if (strcmp(c.field, "opened_at") && strcmp(c.field, "responded_at") &&
                strcmp(c.field, "resolved_at") && strcmp(c.field, "closed_at"))
                printf("        %s: %s -> %s\n", c.field, c.old_value ? c.old_value : "-",
                       c.new_value ? c.new_value : "-");
        }
    }
    itsm_timeline_free(tl);
    itsm_engine_free(eng);
    for (size_t i = 0; i < store.n; i++)
        free(store.json[i]);
    free(store.json);
    return 0;
}
