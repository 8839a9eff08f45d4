/* SPDX-License-Identifier: Apache-2.0 */
/*
 * contract_reload.c - the store contract (contract.h): reading back. Reload rebuilds every
 * record, a killed writer loses nothing it acknowledged, catch-up reads
 * what others appended and compares what it has, read_record gives one
 * record in revision order.
 */
#define _POSIX_C_SOURCE 200809L /* fork, kill, pipe, fdopen */
#include "contract_int.h"

#include "scenario.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* Close everything, open again, load: the same records, byte for byte;
 * loading a second time changes nothing; the reloaded engine carries on. */
void reload_rebuilds_every_record(void **state)
{
    (void)state;
    drv->wipe("reload");
    node a;
    node_open(&a, "reload", NULL, NULL);
    scenario sc;
    scenario_init(&sc, a.eng, &a.clock);
    for (size_t i = 0; i < scenario_nsteps; i++) {
        a.clock.now = scenario_clock(i);
        assert_ok(scenario_run_step(&sc, i));
    }
    char *before = engine_dump(a.eng);
    uint64_t n = stored(&a);
    node_close(&a);

    node b;
    node_open(&b, "reload", NULL, NULL);
    char *after = engine_dump(b.eng);
    assert_same(before, after, "the engine that wrote the store and one loaded from it");
    assert_ok(itsm_engine_load(b.eng));
    char *twice = engine_dump(b.eng);
    assert_same(before, twice, "loaded once and loaded twice");
    itsm_record *r = NULL;
    itsm_record_opts o = ITSM_RECORD_OPTS_INIT;
    assert_ok(itsm_record_open(&r, b.eng, &o));   /* a generated id, after the stored ones */
    assert_int_equal(stored(&b), n + 1);
    free(before), free(after), free(twice);
    node_close(&b);
}

/* A writer that dies mid-run (a real SIGKILL of a process, for a store
 * whose data outlives the process) loses nothing it acknowledged: every
 * (record, revision) it reported after a successful call is in the store,
 * and the store opens, loads and takes new events afterwards. */
enum { KILL_RECORDS = 4 };

/* The child: no cmocka here, only _exit on a failure. */
static void writer(const char *where, int ackfd)
{
    void *h = NULL;
    itsm_engine *eng = NULL;
    vclock clock = { T0 };
    itsm_engine_opts o = ITSM_ENGINE_OPTS_INIT;
    o.clock = vclock_read;
    o.clock_user = &clock;
    o.store = drv->methods();
    if (drv->open(&h, where) != ITSM_OK)
        _exit(3);
    o.store_user = h;
    if (itsm_engine_new(&eng, &o) != ITSM_OK || itsm_engine_load(eng) != ITSM_OK)
        _exit(4);
    for (long i = 0;; i++) {
        char id[32], line[96];
        snprintf(id, sizeof id, "INC-K%d", (int)(i % KILL_RECORDS));
        itsm_record *r = NULL;
        int rc;
        if (i < KILL_RECORDS) {
            itsm_record_opts ro = ITSM_RECORD_OPTS_INIT;
            ro.id = id;
            rc = itsm_record_open(&r, eng, &ro);
        } else if ((rc = itsm_record_find(&r, eng, id)) == ITSM_OK) {
            rc = work_note(r, "still alive");
        }
        if (rc != ITSM_OK)
            _exit(5);
        int len = snprintf(line, sizeof line, "%s %llu\n", id, (unsigned long long)itsm_record_revision(r));
        if (write(ackfd, line, (size_t)len) != len)
            _exit(6);
    }
}

void kill_and_reload_keeps_every_acknowledged_event(void **state)
{
    (void)state;
    if (!drv->persistent) {
        /* In memory, "killed" is an engine dropped mid-run: the store is
         * all that remains, and a new engine loads every event from it. */
        drv->wipe("kill");
        node a;
        node_open(&a, "kill", NULL, NULL);
        for (int i = 0; i < 12; i++)
            assert_ok(work_note(i < 1 ? open_incident(&a, "INC-K0") : find(&a, "INC-K0"), "x"));
        uint64_t rev = itsm_record_revision(find(&a, "INC-K0"));
        itsm_engine_free(a.eng);
        node b;
        node_open(&b, "kill", NULL, NULL);
        assert_int_equal(itsm_record_revision(find(&b, "INC-K0")), rev);
        node_close(&b);
        drv->close(a.h);
        return;
    }
    static const int wait_acks[] = { 1, 7, 40 };
    for (size_t k = 0; k < sizeof wait_acks / sizeof wait_acks[0]; k++) {
        drv->wipe("kill");
        int fds[2];
        assert_int_equal(pipe(fds), 0);
        fflush(NULL);
        pid_t pid = fork();
        assert_true(pid >= 0);
        if (pid == 0) {
            close(fds[0]);
            writer("kill", fds[1]);
        }
        close(fds[1]);
        /* Read acknowledgements until there are enough, kill (the writer is
         * most likely inside an append by then), then read the rest: what
         * the writer acknowledged before it died. */
        FILE *in = fdopen(fds[0], "r");
        char (*acks)[96] = NULL;
        size_t nacks = 0;
        char line[96];
        int killed = 0;
        while (fgets(line, sizeof line, in)) {
            acks = realloc(acks, (nacks + 1) * sizeof *acks);
            memcpy(acks[nacks++], line, sizeof line);
            if (!killed && nacks >= (size_t)wait_acks[k]) {
                kill(pid, SIGKILL);
                killed = 1;
            }
        }
        fclose(in);
        int st = 0;
        waitpid(pid, &st, 0);
        if (!killed || !WIFSIGNALED(st))
            fail_msg("%s: the writer ended by itself (status %d) after %zu acknowledgements", drv->name, st, nacks);
        node n;
        node_open(&n, "kill", NULL, NULL);
        for (size_t i = 0; i < nacks; i++) {
            char id[64];
            unsigned long long rev;
            itsm_record *r = NULL;
            assert_int_equal(sscanf(acks[i], "%63s %llu", id, &rev), 2);
            if (itsm_record_find(&r, n.eng, id) != ITSM_OK || itsm_record_revision(r) < rev)
                fail_msg("%s: acknowledged %s revision %llu is not in the store", drv->name, id, rev);
        }
        assert_ok(work_note(find(&n, "INC-K0"), "after the kill"));
        node_close(&n);
        free(acks);
    }
}

/* The position: an engine that wrote alone reads nothing back; after
 * another engine's appends it reads exactly those. */
void catch_up_reads_what_others_appended(void **state)
{
    (void)state;
    drv->wipe("position");
    node a, b;
    node_open(&a, "position", NULL, NULL);
    node_open(&b, "position", NULL, NULL);
    itsm_record *r = open_incident(&a, "INC-P");
    assert_ok(work_note(r, "a alone"));
    assert_int_equal(catch_up(&a), 0);
    assert_int_equal(catch_up(&b), 3);   /* the version's document, the open, the note */
    assert_ok(work_note(find(&b, "INC-P"), "b one"));
    assert_ok(work_note(find(&b, "INC-P"), "b two"));
    assert_int_equal(catch_up(&a), 2);
    assert_int_equal(itsm_record_revision(find(&a, "INC-P")), 4);
    assert_int_equal(catch_up(&b), 0);
    node_close(&a);
    node_close(&b);
}

/* Catching up over events the engine has: the same events are skipped
 * (a reload over them); a store whose event at a revision the engine has
 * differs from the one applied is refused there, naming record and
 * revision, and nothing changes. Two stores, each with the same open of
 * INC-S (one clock time) and a different note on it. */
void catch_up_compares_the_events_it_has(void **state)
{
    (void)state;
    drv->wipe("same");
    drv->wipe("other");
    node a, b;
    node_open(&a, "same", NULL, NULL);
    node_open(&b, "other", NULL, NULL);
    assert_ok(work_note(open_incident(&a, "INC-S"), "from a"));
    assert_ok(work_note(open_incident(&b, "INC-S"), "from b"));
    char *before = engine_dump(a.eng);
    int rc = itsm_engine_load(a.eng);
    if (rc != ITSM_OK)
        fail_msg("%s: loading over the same events: %s (%s)", drv->name, itsm_errname(rc), itsm_errmsg(a.eng));
    char *again = engine_dump(a.eng);
    assert_same(before, again, "records before and after reading the same events");
    void *other = open_handle("other");
    size_t got = 0;
    rc = drv->catch_up(other, a.eng, &got);
    if (rc != ITSM_ETAMPER || !strstr(itsm_errmsg(a.eng), "record INC-S revision 2 comes again with other content"))
        fail_msg("%s: catch-up over a different note: %s (%s)", drv->name, itsm_errname(rc), itsm_errmsg(a.eng));
    char *after = engine_dump(a.eng);
    assert_same(before, after, "records before and after the refused event");
    drv->close(other);
    node_close(&a);
    node_close(&b);
    free(before), free(again), free(after);
}

typedef struct history { char **json; size_t n; int stop_at; } history;

static int history_emit(void *ctx, const char *doc, size_t len)
{
    history *h = ctx;
    if (h->stop_at && (int)h->n + 1 == h->stop_at)
        return ITSM_EUSER;
    h->json = realloc(h->json, (h->n + 1) * sizeof *h->json);
    h->json[h->n++] = as_json(doc, len);
    return ITSM_OK;
}

static void history_free(history *h)
{
    for (size_t i = 0; i < h->n; i++)
        free(h->json[i]);
    free(h->json);
}

/* read_record gives one record's events, exactly as appended, in revision
 * order (a link's event belongs to its own record); an id without events
 * gives none; an emit that fails stops the read with its code. */
void read_record_gives_one_record_in_revision_order(void **state)
{
    (void)state;
    drv->wipe("history");
    recording all = { NULL, 0 };
    node a;
    node_open(&a, "history", record_sink, &all);
    scenario sc;
    scenario_init(&sc, a.eng, &a.clock);
    for (size_t i = 0; i < scenario_nsteps; i++) {
        a.clock.now = scenario_clock(i);
        assert_ok(scenario_run_step(&sc, i));
    }
    const itsm_store *m = drv->methods();
    assert_non_null(m->read_record);
    assert_true(m->version >= 2);
    size_t seen = 0;
    for (size_t k = 0; k < itsm_engine_record_count(a.eng); k++) {
        itsm_record *r;
        assert_ok(itsm_engine_record_at(&r, a.eng, k));
        char key[96];
        snprintf(key, sizeof key, "\"record\":\"%s\"", itsm_record_id(r));
        history h = { NULL, 0, 0 };
        assert_ok(m->read_record(a.h, itsm_record_id(r), history_emit, &h));
        assert_int_equal(h.n, itsm_record_revision(r));
        size_t j = 0;   /* the record's events, in the order accepted */
        for (size_t i = 0; i < all.n; i++)
            if (strstr(all.json[i], key)) {
                assert_true(j < h.n);
                assert_string_equal(h.json[j], all.json[i]);
                j++;
            }
        assert_int_equal(j, h.n);
        seen += h.n;
        history_free(&h);
    }
    assert_int_equal(seen, all.n);
    history none = { NULL, 0, 0 };
    assert_ok(m->read_record(a.h, "INC-NOBODY", history_emit, &none));
    assert_int_equal(none.n, 0);
    history stopped = { NULL, 0, 2 };
    itsm_record *first;
    assert_ok(itsm_engine_record_at(&first, a.eng, 0));
    assert_int_equal(m->read_record(a.h, itsm_record_id(first), history_emit, &stopped), ITSM_EUSER);
    assert_int_equal(stopped.n, 1);
    history_free(&stopped);
    node_close(&a);
    for (size_t i = 0; i < all.n; i++)
        free(all.json[i]);
    free(all.json);
}

