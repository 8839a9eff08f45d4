/* SPDX-License-Identifier: Apache-2.0 */
/*
 * host_loop: the host's side of itsm end to end, as docs/integration.md
 * walks it (its C excerpts are taken from this file, and a test checks
 * they still are): version check, engine options (allocator, clock, store,
 * sink), a store shared by two engines (revisions, ITSM_ECONFLICT and
 * catching up), what a screen offers (allowed events, missing guard
 * terms), the whole history, group commit, and the tick.
 *
 *   cc host_loop.c $(pkg-config --cflags --libs itsm) -o host_loop
 */
#include <itsm.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void die(itsm_engine *eng, int rc, const char *what)
{
    fprintf(stderr, "%s failed: %s (%s)\n", what, itsm_errname(rc), itsm_errmsg(eng));
    exit(1);
}
#define CHECK(eng, call) do { int rc_ = (call); if (rc_ != ITSM_OK) die((eng), rc_, #call); } while (0)

/* ---- the host's clock ----------------------------------------------------- */

typedef struct host_clock { itsm_time now; } host_clock;

static itsm_time host_clock_read(void *user)
{
    return ((host_clock *)user)->now;
}

/* ---- the host's allocator: counts what the engine holds -------------------- */

typedef struct counting { size_t live; } counting;

static void *count_malloc(void *user, size_t size)
{
    void *p = malloc(size + sizeof(max_align_t));
    if (!p)
        return NULL;
    *(size_t *)p = size;
    ((counting *)user)->live += size;
    return (char *)p + sizeof(max_align_t);
}

static void count_free(void *user, void *ptr)
{
    char *p = (char *)ptr - sizeof(max_align_t);
    ((counting *)user)->live -= *(size_t *)p;
    free(p);
}

static void *count_realloc(void *user, void *ptr, size_t size)
{
    if (!ptr)
        return count_malloc(user, size);
    char *p = (char *)ptr - sizeof(max_align_t);
    size_t old = *(size_t *)p;
    char *q = realloc(p, size + sizeof(max_align_t));
    if (!q)
        return NULL;
    *(size_t *)q = size;
    ((counting *)user)->live += size - old;   /* wraps as size_t: same result */
    return q + sizeof(max_align_t);
}

/* ---- the host's store: a shared event log in memory ------------------------- */

typedef struct stored { char *json; char record[65]; uint64_t rev; } stored;

typedef struct shared_log {
    stored *ev;
    size_t  n, cap;
    size_t  group_start;   /* where the open group began */
    int     in_group;
} shared_log;

static uint64_t newest_rev(const shared_log *log, const char *record)
{
    for (size_t i = log->n; i-- > 0;)
        if (strcmp(log->ev[i].record, record) == 0)
            return log->ev[i].rev;
    return 0;
}

/* All n events or none; a stale revision is another engine's win. */
static int log_append(void *user, const itsm_event *const *events, size_t n)
{
    shared_log *log = user;
    for (size_t i = 0; i < n; i++) {
        uint64_t have = newest_rev(log, itsm_event_record_id(events[i]));
        for (size_t j = 0; j < i; j++)   /* the batch's own earlier events count */
            if (strcmp(itsm_event_record_id(events[j]), itsm_event_record_id(events[i])) == 0)
                have = itsm_event_revision(events[j]);
        if (have != itsm_event_revision(events[i]) - 1)
            return ITSM_ECONFLICT;
    }
    if (log->n + n > log->cap) {
        size_t cap = (log->n + n) * 2;
        stored *grown = realloc(log->ev, cap * sizeof *grown);
        if (!grown)
            return ITSM_ESTORE;
        log->ev = grown;
        log->cap = cap;
    }
    for (size_t i = 0; i < n; i++) {
        stored *s = &log->ev[log->n + i];
        size_t len;
        itsm_event_to_json(events[i], NULL, 0, &len);
        if (!(s->json = malloc(len + 1))) {
            while (i--)
                free(log->ev[log->n + i].json);
            return ITSM_ESTORE;
        }
        itsm_event_to_json(events[i], s->json, len + 1, &len);
        snprintf(s->record, sizeof s->record, "%s", itsm_event_record_id(events[i]));
        s->rev = itsm_event_revision(events[i]);
    }
    log->n += n;
    return ITSM_OK;
}

static int log_scan(void *user, itsm_store_emit_fn emit, void *ctx)
{
    shared_log *log = user;
    for (size_t i = 0; i < log->n; i++) {
        int rc = emit(ctx, log->ev[i].json, strlen(log->ev[i].json));
        if (rc != ITSM_OK)
            return rc;
    }
    return ITSM_OK;
}

static int log_read_record(void *user, const char *record_id, itsm_store_emit_fn emit, void *ctx)
{
    shared_log *log = user;
    for (size_t i = 0; i < log->n; i++) {
        if (strcmp(log->ev[i].record, record_id) != 0)
            continue;
        int rc = emit(ctx, log->ev[i].json, strlen(log->ev[i].json));
        if (rc != ITSM_OK)
            return rc;
    }
    return ITSM_OK;
}

/* A real store makes the group durable in one write (one transaction). */
static int log_group(void *user, int op)
{
    shared_log *log = user;
    if (op == ITSM_STORE_GROUP_BEGIN) {
        log->group_start = log->n;
        log->in_group = 1;
    } else if (op == ITSM_STORE_GROUP_ABORT) {
        while (log->n > log->group_start)
            free(log->ev[--log->n].json);
        log->in_group = 0;
    } else {
        log->in_group = 0;
    }
    return ITSM_OK;
}

static const itsm_store shared_log_store = {
    ITSM_STORE_VERSION, log_append, log_scan, NULL, log_read_record, log_group
};

/* What another engine appended since this engine last looked: replay it
 * (events the engine has are skipped, so re-reading is harmless). */
static int catch_up(itsm_engine *eng, const shared_log *log, size_t *seen)
{
    for (; *seen < log->n; (*seen)++) {
        itsm_parse_error err;
        int rc = itsm_engine_replay_json(eng, log->ev[*seen].json, strlen(log->ev[*seen].json), &err);
        if (rc != ITSM_OK)
            return rc;
    }
    return ITSM_OK;
}

/* ---- the host's sink: notifications after the store kept the change --------- */

static void notify(void *user, const itsm_event *const *events, size_t n)
{
    (void)events;
    size_t *told = user;
    *told += n;   /* a real host queues a mail or a chat message here */
}

/* ---- a screen ---------------------------------------------------------------- */

static void show_actions(itsm_record *rec)
{
    printf("%s (%s) offers:", itsm_record_id(rec), itsm_record_state(rec));
    for (size_t i = 0; i < itsm_record_allowed_count(rec); i++) {
        itsm_allowed_event a = { .size = sizeof a };
        if (itsm_record_allowed_at(rec, i, &a) != ITSM_OK)
            continue;
        printf(" %s", a.event);
        for (size_t k = 0; k < a.nmissing; k++) {
            itsm_guard_need need = { .size = sizeof need };
            if (itsm_record_allowed_need_at(rec, i, k, &need) == ITSM_OK)
                printf("%s%s", k ? "," : " (needs ", need.term);
        }
        printf("%s", a.nmissing ? ")" : "");
    }
    printf("\n");
}

static void show_history(itsm_engine *eng, itsm_record *rec)
{
    itsm_timeline *tl;
    CHECK(eng, itsm_record_timeline(&tl, rec));
    for (size_t i = 0; i < itsm_timeline_count(tl); i++) {
        itsm_timeline_entry e = { .size = sizeof e };
        if (itsm_timeline_at(tl, i, &e) != ITSM_OK)
            continue;
        printf("  r%llu %lld %s: %s\n", (unsigned long long)e.revision, (long long)e.at,
               e.author ? e.author : "-", e.text);
        for (size_t c = 0; c < e.nchanges; c++) {
            itsm_field_change fc = { .size = sizeof fc };
            if (itsm_timeline_change_at(tl, i, c, &fc) == ITSM_OK)
                printf("      %s: %s -> %s\n", fc.field, fc.old_value ? fc.old_value : "(unset)",
                       fc.new_value ? fc.new_value : "(unset)");
        }
    }
    itsm_timeline_free(tl);
}

int main(void)
{
    if (itsm_version_number() / 10000 != ITSM_VERSION_NUMBER / 10000 ||
        itsm_version_number() < ITSM_VERSION_NUMBER) {
        fprintf(stderr, "built against itsm %s, running with %s\n",
                ITSM_VERSION_STRING, itsm_version_string());
        return 1;
    }

    host_clock clock = { 1772442000 };   /* 2026-03-02T09:00:00Z */
    counting heap = { 0 };
    shared_log log = { 0 };
    size_t told = 0;

    itsm_engine_opts opts = ITSM_ENGINE_OPTS_INIT;
    opts.store = &shared_log_store;        /* write-ahead: the store first */
    opts.store_user = &log;
    opts.clock = host_clock_read;          /* NULL: time() */
    opts.clock_user = &clock;
    opts.sink = notify;                    /* after the store kept a change */
    opts.sink_user = &told;
    opts.alloc.malloc_fn = count_malloc;   /* all three, or none (libc) */
    opts.alloc.realloc_fn = count_realloc;
    opts.alloc.free_fn = count_free;
    opts.alloc.user = &heap;
    char why[256];
    opts.errmsg = why;                     /* why itsm_engine_new failed */
    opts.errmsg_cap = sizeof why;

    itsm_engine *desk;
    if (itsm_engine_new(&desk, &opts) != ITSM_OK) {
        fprintf(stderr, "engine: %s\n", why);
        return 1;
    }
    CHECK(desk, itsm_engine_load(desk));   /* rebuild every record from the store */

    /* A second engine on the same store: another process or node. */
    itsm_engine *night;
    if (itsm_engine_new(&night, &opts) != ITSM_OK) {
        fprintf(stderr, "engine: %s\n", why);
        return 1;
    }
    size_t night_seen = 0;

    /* ---- one request: open, then act as a named person ---- */
    CHECK(desk, itsm_engine_set_actor(desk, "maria"));
    itsm_change f[] = { { ITSM_F_SUMMARY, "Payroll is down", 0 },
                        { ITSM_F_SERVICE, "payroll", 0 },
                        { ITSM_F_IMPACT, NULL, 1 }, { ITSM_F_URGENCY, NULL, 1 } };
    itsm_record_opts ro = ITSM_RECORD_OPTS_INIT;
    ro.fields = f;
    ro.nfields = sizeof f / sizeof f[0];
    itsm_record *inc;
    CHECK(desk, itsm_record_open(&inc, desk, &ro));
    show_actions(inc);

    /* ---- a refused step: the code, the message, the missing terms ---- */
    int rc = itsm_record_fire(inc, "start", NULL, 0);
    if (rc == ITSM_EGUARD) {
        printf("refused: %s\n", itsm_errmsg(desk));
        for (size_t i = 0; i < itsm_guard_missing_count(desk); i++) {
            itsm_guard_need need = { .size = sizeof need };
            if (itsm_guard_missing_at(desk, i, &need) == ITSM_OK)
                printf("  mark field %s\n", need.field ? need.field : need.term);
        }
    }
    itsm_change g = { ITSM_F_ASSIGNMENT_GROUP, "payroll-ops", 0 };
    clock.now += 120;
    CHECK(desk, itsm_record_fire(inc, "assign", &g, 1));

    /* ---- two engines race for the record: the loser catches up ---- */
    CHECK(night, catch_up(night, &log, &night_seen));
    itsm_record *seen_by_night;
    CHECK(night, itsm_record_find(&seen_by_night, night, itsm_record_id(inc)));
    clock.now += 60;
    itsm_change who = { ITSM_F_ASSIGNEE, "maria", 0 };
    CHECK(desk, itsm_record_fire(inc, "start", &who, 1));     /* desk is first */

    CHECK(night, itsm_engine_set_actor(night, "tom"));
    itsm_change note = { ITSM_F_DESCRIPTION, "Batch job stuck since 08:50", 0 };
    rc = itsm_record_update(seen_by_night, &note, 1);
    if (rc == ITSM_ECONFLICT) {              /* the store holds a newer revision */
        CHECK(night, catch_up(night, &log, &night_seen));
        /* the record changed under us: look again, then retry */
        rc = itsm_record_update(seen_by_night, &note, 1);
    }
    CHECK(night, rc);
    printf("night: %s is %s at revision %llu\n", itsm_record_id(seen_by_night),
           itsm_record_state(seen_by_night), (unsigned long long)itsm_record_revision(seen_by_night));
    CHECK(desk, catch_up(desk, &log, &(size_t){ 0 }));

    /* ---- many changes, one durable write ---- */
    CHECK(desk, itsm_engine_begin(desk));
    for (int i = 0; i < 3; i++) {
        itsm_change s = { ITSM_F_SUMMARY, "Printer jam", 0 };
        itsm_record_opts o = ITSM_RECORD_OPTS_INIT;
        o.fields = &s;
        o.nfields = 1;
        itsm_record *r;
        CHECK(desk, itsm_record_open(&r, desk, &o));   /* applied, not yet durable */
    }
    printf("group: %zu events waiting\n", itsm_engine_group_events(desk));
    rc = itsm_engine_commit(desk);           /* durable now; the sink hears them now */
    if (rc != ITSM_OK)
        die(desk, rc, "commit");             /* the engine went back to the last commit */

    /* ---- the tick: timers fire as events ---- */
    itsm_time due = itsm_engine_next_deadline(desk);
    if (due != ITSM_TIME_NONE) {
        clock.now = due;                     /* the host's timer woke up */
        size_t fired;
        CHECK(desk, itsm_engine_tick(desk, clock.now, &fired));
        printf("tick: %zu timer(s) fired\n", fired);
    }

    /* ---- the screen: what can happen now, and what happened ---- */
    show_actions(inc);
    printf("history of %s:\n", itsm_record_id(inc));
    show_history(desk, inc);

    printf("sink told %zu events; the store holds %zu; the engine holds %zu bytes\n", told, log.n,
           heap.live);
    itsm_engine_free(night);
    itsm_engine_free(desk);
    for (size_t i = 0; i < log.n; i++)
        free(log.ev[i].json);
    free(log.ev);
    if (heap.live != 0) {
        fprintf(stderr, "%zu bytes not freed\n", heap.live);
        return 1;
    }
    return 0;
}
