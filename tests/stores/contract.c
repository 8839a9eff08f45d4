/* SPDX-License-Identifier: Apache-2.0 */
/*
 * contract.c - the cases of the store contract (contract.h), run against
 * whichever store the driver names. Each case works through engines, as a
 * host would: the events come from real mutations, and what a store kept
 * is judged by loading it into a fresh engine.
 */
#define _POSIX_C_SOURCE 200809L /* fork, kill, pipe, fdopen */
#include "contract.h"

#include "scenario.h"
#include "support.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static const contract_driver *drv;

/* ---- helpers ---------------------------------------------------------------- */

typedef struct node {
    void        *h;
    itsm_engine *eng;
    vclock       clock;
} node;

static void *open_handle(const char *where)
{
    void *h = NULL;
    int rc = drv->open(&h, where);
    if (rc != ITSM_OK)
        fail_msg("%s: opening '%s': %s", drv->name, where, itsm_errname(rc));
    return h;
}

static void node_open(node *n, const char *where, itsm_event_sink_fn sink, void *sink_user)
{
    n->h = open_handle(where);
    n->clock.now = T0;
    itsm_engine_opts o = ITSM_ENGINE_OPTS_INIT;
    o.store = drv->methods();
    o.store_user = n->h;
    o.clock = vclock_read;
    o.clock_user = &n->clock;
    o.sink = sink;
    o.sink_user = sink_user;
    assert_ok(itsm_engine_new(&n->eng, &o));
    int rc = itsm_engine_load(n->eng);
    if (rc != ITSM_OK)
        fail_msg("%s: loading '%s': %s (%s; %s)", drv->name, where, itsm_errname(rc), itsm_errmsg(n->eng),
                 drv->errmsg(n->h));
}

static void node_close(node *n)
{
    itsm_engine_free(n->eng);
    drv->close(n->h);
    n->eng = NULL;
    n->h = NULL;
}

static size_t catch_up(node *n)
{
    size_t got = 0;
    int rc = drv->catch_up(n->h, n->eng, &got);
    if (rc != ITSM_OK)
        fail_msg("%s: catch-up: %s (%s; %s)", drv->name, itsm_errname(rc), itsm_errmsg(n->eng), drv->errmsg(n->h));
    return got;
}

static uint64_t stored(node *n)
{
    uint64_t k = 0;
    assert_ok(drv->count(n->h, &k));
    return k;
}

/* The dump of a fresh engine loaded from `where`: what the store holds. */
static char *dump_of_store(const char *where)
{
    node n;
    node_open(&n, where, NULL, NULL);
    char *d = engine_dump(n.eng);
    node_close(&n);
    return d;
}

static itsm_record *open_incident(node *n, const char *id)
{
    itsm_change f[] = { { ITSM_F_SUMMARY, "Printer on fire", 0 }, { ITSM_F_IMPACT, NULL, 3 } };
    itsm_record_opts o = ITSM_RECORD_OPTS_INIT;
    o.id = id;
    o.fields = f;
    o.nfields = 2;
    itsm_record *r = NULL;
    assert_ok(itsm_record_open(&r, n->eng, &o));
    return r;
}

static itsm_record *find(node *n, const char *id)
{
    itsm_record *r = NULL;
    assert_ok(itsm_record_find(&r, n->eng, id));
    return r;
}

static int work_note(itsm_record *r, const char *text)
{
    itsm_note_opts o = ITSM_NOTE_OPTS_INIT;
    o.text = text;
    return itsm_record_add_note(r, &o);
}

static void assert_same(const char *a, const char *b, const char *what)
{
    if (strcmp(a, b) != 0)
        fail_msg("%s: %s differ:\n--- first\n%s\n--- second\n%s", drv->name, what, a, b);
}

/* ---- the cases ---------------------------------------------------------------- */

/* A link writes one event on each record in one append. When the second
 * event's record is stale, the first must not be kept either. Both orders
 * are tried, so the refused event is once the first and once the second. */
static void append_keeps_a_whole_batch_or_nothing(void **state)
{
    (void)state;
    for (int stale_second = 0; stale_second < 2; stale_second++) {
        drv->wipe("batch");
        node a, b;
        node_open(&a, "batch", NULL, NULL);
        node_open(&b, "batch", NULL, NULL);
        itsm_record *x = open_incident(&a, "INC-X");
        itsm_record *y = open_incident(&a, "INC-Y");
        catch_up(&b);
        /* b moves one of the two records on; a's link then conflicts on it */
        assert_ok(work_note(find(&b, stale_second ? "INC-Y" : "INC-X"), "moved on by b"));
        char *before = engine_dump(a.eng);
        uint64_t n = stored(&a);
        assert_int_equal(itsm_record_link(x, ITSM_LINK_RELATED, y), ITSM_ECONFLICT);
        char *after = engine_dump(a.eng);
        assert_same(before, after, "engine before and after the refused batch");
        assert_int_equal(stored(&a), n);
        char *kept = dump_of_store("batch"), *bs = engine_dump(b.eng);
        assert_same(bs, kept, "the store and the engine that wrote it");
        /* caught up, the same link goes through whole */
        catch_up(&a);
        assert_ok(itsm_record_link(find(&a, "INC-X"), ITSM_LINK_RELATED, find(&a, "INC-Y")));
        assert_int_equal(stored(&a), n + 2);
        free(before), free(after), free(kept), free(bs);
        node_close(&a);
        node_close(&b);
    }
}

typedef struct recording { char **json; size_t n; } recording;

static void record_sink(void *user, const itsm_event *const *evs, size_t n)
{
    recording *r = user;
    for (size_t i = 0; i < n; i++) {
        size_t len = 0;
        itsm_event_to_json(evs[i], NULL, 0, &len);
        r->json = realloc(r->json, (r->n + 1) * sizeof *r->json);
        r->json[r->n] = malloc(len + 1);
        itsm_event_to_json(evs[i], r->json[r->n], len + 1, &len);
        r->n++;
    }
}

/* A stored event as JSON text (malloc'd): a store may keep the binary
 * form, which converts to the event's JSON byte for byte. */
static char *as_json(const char *doc, size_t len)
{
    size_t n = len;
    char *out = NULL;
    if (len > 0 && (unsigned char)doc[0] == 0xE5) {
        if (itsm_event_binary_to_json(doc, len, NULL, 0, &n, NULL) != ITSM_ELIMIT)
            return NULL;
        out = malloc(n + 1);
        if (out && itsm_event_binary_to_json(doc, len, out, n + 1, &n, NULL) != ITSM_OK) {
            free(out);
            return NULL;
        }
        return out;
    }
    out = malloc(len + 1);
    if (out) {
        memcpy(out, doc, len);
        out[len] = '\0';
    }
    return out;
}

/* The records' events scanned against those the sink heard; the policy
 * events (a version's document, which the sink is not told of) counted
 * apart, and where each came. */
typedef struct scanned { const recording *want; size_t n; int mismatch; size_t npolicy, policy_at; } scanned;

static int scan_emit(void *ctx, const char *doc, size_t len)
{
    scanned *s = ctx;
    char *json = as_json(doc, len);
    if (json && event_is_policy(json)) {
        if (!s->npolicy++)
            s->policy_at = s->n;
        free(json);
        return ITSM_OK;
    }
    if (!json || s->n >= s->want->n || strcmp(s->want->json[s->n], json)) {
        if (!s->mismatch)
            print_error("scan event %zu: %s\n", s->n, json ? json : "(not an event)");
        s->mismatch = 1;
    }
    free(json);
    s->n++;
    return ITSM_OK;
}

/* The whole test story (every record kind, links, notes, actors): scan
 * gives back exactly the events accepted, byte for byte, in the order
 * they were accepted, after the document of the version they name. */
static void scan_gives_every_event_in_append_order(void **state)
{
    (void)state;
    drv->wipe("scan");
    recording rec = { NULL, 0 };
    node a;
    node_open(&a, "scan", record_sink, &rec);
    scenario sc;
    scenario_init(&sc, a.eng, &a.clock);
    for (size_t i = 0; i < scenario_nsteps; i++) {
        a.clock.now = scenario_clock(i);
        int rc = scenario_run_step(&sc, i);
        if (rc != ITSM_OK)
            fail_msg("step %zu (%s): %s (%s)", i, scenario_steps[i].name, itsm_errname(rc), itsm_errmsg(a.eng));
    }
    assert_true(rec.n > 30);
    void *h = open_handle("scan");
    scanned s = { &rec, 0, 0, 0, 0 };
    assert_ok(drv->methods()->scan(h, scan_emit, &s));
    assert_int_equal(s.n, rec.n);
    assert_false(s.mismatch);
    assert_int_equal(s.npolicy, 1);
    assert_int_equal(s.policy_at, 0);
    drv->close(h);
    node_close(&a);
    for (size_t i = 0; i < rec.n; i++)
        free(rec.json[i]);
    free(rec.json);
}

/* Two engines on one store: the one holding an old revision is refused,
 * changes nothing, catches up and then succeeds. */
static void stale_revision_is_a_conflict_and_changes_nothing(void **state)
{
    (void)state;
    drv->wipe("stale");
    node a, b;
    node_open(&a, "stale", NULL, NULL);
    node_open(&b, "stale", NULL, NULL);
    open_incident(&a, "INC-S");
    catch_up(&b);
    assert_ok(itsm_record_set_str(find(&a, "INC-S"), ITSM_F_CATEGORY, "hardware"));
    char *before = engine_dump(b.eng);
    uint64_t n = stored(&b);
    assert_fails(b.eng, itsm_record_set_str(find(&b, "INC-S"), ITSM_F_CATEGORY, "network"), ITSM_ECONFLICT,
                 "another engine changed the record first");
    char *after = engine_dump(b.eng);
    assert_same(before, after, "the stale engine before and after its refused change");
    assert_int_equal(stored(&b), n);
    assert_int_equal(catch_up(&b) >= 1, 1);
    assert_ok(itsm_record_set_str(find(&b, "INC-S"), ITSM_F_CATEGORY, "network"));
    catch_up(&a);
    char *da = engine_dump(a.eng), *db = engine_dump(b.eng), *ds = dump_of_store("stale");
    assert_same(da, db, "the two engines after catching up");
    assert_same(da, ds, "an engine and the store");
    assert_int_equal(itsm_record_revision(find(&a, "INC-S")), 3);
    free(before), free(after), free(da), free(db), free(ds);
    node_close(&a);
    node_close(&b);
}

/* Opening a record whose id another engine already stored is a conflict
 * too (its "open" event is revision 1, and the store holds one). */
static void open_of_a_taken_id_is_a_conflict(void **state)
{
    (void)state;
    drv->wipe("taken");
    node a, b;
    node_open(&a, "taken", NULL, NULL);
    node_open(&b, "taken", NULL, NULL);
    open_incident(&a, "INC-T");
    itsm_change f = { ITSM_F_SUMMARY, "the same id", 0 };
    itsm_record_opts o = ITSM_RECORD_OPTS_INIT;
    o.id = "INC-T";
    o.fields = &f;
    o.nfields = 1;
    itsm_record *r = NULL;
    assert_fails(b.eng, itsm_record_open(&r, b.eng, &o), ITSM_ECONFLICT, "another engine opened a record");
    assert_int_equal(itsm_engine_record_count(b.eng), 0);
    assert_int_equal(stored(&b), 2);   /* a's open and its version's document, nothing of b's */
    node_close(&a);
    node_close(&b);
}

typedef struct copy_ctx { itsm_engine *into; } copy_ctx;

static int copy_emit(void *ctx, const char *doc, size_t len)
{
    return itsm_engine_replay(((copy_ctx *)ctx)->into, doc, len, NULL);   /* either form */
}

/* An engine whose record is ahead of the store (the store lost events, or
 * is another store): its next event would leave a gap, and is refused. */
static void append_after_a_gap_is_a_conflict(void **state)
{
    (void)state;
    drv->wipe("gap-full");
    drv->wipe("gap-empty");
    node a, b;
    node_open(&a, "gap-full", NULL, NULL);
    itsm_record *r = open_incident(&a, "INC-G");
    assert_ok(work_note(r, "one"));
    assert_ok(work_note(r, "two"));
    node_open(&b, "gap-empty", NULL, NULL);
    copy_ctx cc = { b.eng };
    assert_ok(drv->methods()->scan(a.h, copy_emit, &cc));   /* b holds revision 3, its store nothing */
    assert_int_equal(itsm_record_revision(find(&b, "INC-G")), 3);
    assert_int_equal(work_note(find(&b, "INC-G"), "three"), ITSM_ECONFLICT);
    assert_int_equal(itsm_record_revision(find(&b, "INC-G")), 3);
    assert_int_equal(stored(&b), 0);
    node_close(&a);
    node_close(&b);
}

/* Close everything, open again, load: the same records, byte for byte;
 * loading a second time changes nothing; the reloaded engine carries on. */
static void reload_rebuilds_every_record(void **state)
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

static void kill_and_reload_keeps_every_acknowledged_event(void **state)
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
static void catch_up_reads_what_others_appended(void **state)
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
static void catch_up_compares_the_events_it_has(void **state)
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
static void read_record_gives_one_record_in_revision_order(void **state)
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

/* ---- groups (itsm_store.group) ------------------------------------------------ */

static void group_op(node *n, int op)
{
    int rc = drv->methods()->group(n->h, op);
    if (rc != ITSM_OK)
        fail_msg("%s: group op %d: %s (%s)", drv->name, op, itsm_errname(rc), drv->errmsg(n->h));
}

static uint64_t count_of(void *h)
{
    uint64_t k = 0;
    assert_ok(drv->count(h, &k));
    return k;
}

/* The appends of a group are kept at once, at its commit: before it, the
 * writer's own reads see them and another handle sees none. */
static void group_commit_keeps_every_append_at_once(void **state)
{
    (void)state;
    drv->wipe("group");
    node a;
    node_open(&a, "group", NULL, NULL);
    assert_non_null(drv->methods()->group);
    open_incident(&a, "INC-G0");   /* before the group */
    void *other = open_handle("group");
    group_op(&a, ITSM_STORE_GROUP_BEGIN);
    itsm_record *x = open_incident(&a, "INC-G1"), *y = open_incident(&a, "INC-G2");
    for (int i = 0; i < 3; i++)
        assert_ok(work_note(x, "in the group"));
    assert_ok(itsm_record_link(x, ITSM_LINK_RELATED, y));
    assert_int_equal(count_of(a.h), 9);     /* with the version's document, before INC-G0 */
    assert_int_equal(count_of(other), 2);   /* nothing of the group yet */
    group_op(&a, ITSM_STORE_GROUP_COMMIT);
    assert_int_equal(count_of(other), 9);
    char *mine = engine_dump(a.eng), *kept = dump_of_store("group");
    assert_same(mine, kept, "the engine that wrote the group and the store");
    free(mine), free(kept);
    drv->close(other);
    node_close(&a);
}

/* An aborted group keeps none of its appends, whatever came before it
 * stays, and the store takes appends again afterwards. */
static void group_abort_keeps_none_of_it(void **state)
{
    (void)state;
    drv->wipe("abort");
    node a;
    node_open(&a, "abort", NULL, NULL);
    open_incident(&a, "INC-A0");
    char *before = dump_of_store("abort");
    group_op(&a, ITSM_STORE_GROUP_BEGIN);
    itsm_record *r = open_incident(&a, "INC-A1");
    assert_ok(work_note(r, "never kept"));
    assert_ok(work_note(find(&a, "INC-A0"), "never kept either"));
    group_op(&a, ITSM_STORE_GROUP_ABORT);
    char *after = dump_of_store("abort");
    assert_same(before, after, "the store before the group and after its abort");
    node_close(&a);   /* it applied what the store dropped: a new engine */
    node b;
    node_open(&b, "abort", NULL, NULL);
    assert_ok(work_note(find(&b, "INC-A0"), "after the abort"));
    assert_int_equal(count_of(b.h), 3);   /* the version's document, INC-A0's open and note */
    free(before), free(after);
    node_close(&b);
}

/* Inside a group an append is still checked on its own: a stale one is a
 * conflict that keeps nothing of itself, and the group goes on. */
static void refused_append_leaves_the_group_open(void **state)
{
    (void)state;
    drv->wipe("refused");
    node a, b;
    node_open(&a, "refused", NULL, NULL);
    node_open(&b, "refused", NULL, NULL);
    open_incident(&a, "INC-R");
    catch_up(&b);
    assert_ok(work_note(find(&a, "INC-R"), "a first"));   /* b is stale now */
    group_op(&b, ITSM_STORE_GROUP_BEGIN);
    assert_int_equal(work_note(find(&b, "INC-R"), "b stale"), ITSM_ECONFLICT);
    open_incident(&b, "INC-R2");
    group_op(&b, ITSM_STORE_GROUP_COMMIT);
    assert_int_equal(count_of(a.h), 4);   /* the version's document, a's two, b's open */
    catch_up(&a);
    assert_int_equal(itsm_record_revision(find(&a, "INC-R")), 2);
    assert_int_equal(itsm_record_revision(find(&a, "INC-R2")), 1);
    node_close(&a);
    node_close(&b);
}

/* A writer killed inside a group (SIGKILL, before the commit) leaves the
 * store as the last commit left it. */
static void kill_in_a_group_keeps_nothing_of_it(void **state)
{
    (void)state;
    drv->wipe("killgroup");
    if (!drv->persistent) {
        node a;
        node_open(&a, "killgroup", NULL, NULL);
        open_incident(&a, "INC-K");
        group_op(&a, ITSM_STORE_GROUP_BEGIN);
        assert_ok(work_note(find(&a, "INC-K"), "lost with the writer"));
        node_close(&a);   /* the handle goes without a commit */
        node b;
        node_open(&b, "killgroup", NULL, NULL);
        assert_int_equal(itsm_record_revision(find(&b, "INC-K")), 1);
        node_close(&b);
        return;
    }
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        close(fds[0]);
        void *h = NULL;
        itsm_engine *eng = NULL;
        itsm_engine_opts o = ITSM_ENGINE_OPTS_INIT;
        vclock clk = { T0 };   /* the reloading node's clock: not behind the events */
        o.clock = vclock_read;
        o.clock_user = &clk;
        o.store = drv->methods();
        if (drv->open(&h, "killgroup") != ITSM_OK)
            _exit(3);
        o.store_user = h;
        itsm_record *r = NULL;
        itsm_record_opts ro = ITSM_RECORD_OPTS_INIT;
        ro.id = "INC-K";
        if (itsm_engine_new(&eng, &o) != ITSM_OK || itsm_record_open(&r, eng, &ro) != ITSM_OK ||
            drv->methods()->group(h, ITSM_STORE_GROUP_BEGIN) != ITSM_OK)
            _exit(4);
        for (;;) {
            if (work_note(r, "in a group that never commits") != ITSM_OK || write(fds[1], "n", 1) != 1)
                _exit(5);
        }
    }
    close(fds[1]);
    char c;
    for (int got = 0; got < 20 && read(fds[0], &c, 1) == 1; got++)
        ;
    kill(pid, SIGKILL);
    int st = 0;
    waitpid(pid, &st, 0);
    close(fds[0]);
    if (!WIFSIGNALED(st))
        fail_msg("%s: the writer ended by itself (status %d)", drv->name, st);
    node n;
    node_open(&n, "killgroup", NULL, NULL);
    assert_int_equal(itsm_record_revision(find(&n, "INC-K")), 1);
    assert_int_equal(count_of(n.h), 2);   /* INC-K's open and its version's document */
    assert_ok(work_note(find(&n, "INC-K"), "after the kill"));
    node_close(&n);
}

/* ---- the engine's group commit over the store (itsm_engine_begin) ------------ */

/* The same story with and without a group leaves the same store; inside
 * the group later calls see earlier ones, another engine sees nothing and
 * the sink hears nothing until the commit, then every step in order. */
static void engine_group_is_one_write_with_the_same_events(void **state)
{
    (void)state;
    drv->wipe("eg-plain");
    drv->wipe("eg-group");
    recording plain = { NULL, 0 }, grouped = { NULL, 0 };
    node a, b;
    node_open(&a, "eg-plain", record_sink, &plain);
    node_open(&b, "eg-group", record_sink, &grouped);
    scenario sa, sb;
    scenario_init(&sa, a.eng, &a.clock);
    scenario_init(&sb, b.eng, &b.clock);
    assert_ok(itsm_engine_begin(b.eng));
    for (size_t i = 0; i < scenario_nsteps; i++) {
        a.clock.now = b.clock.now = scenario_clock(i);
        assert_ok(scenario_run_step(&sa, i));
        int rc = scenario_run_step(&sb, i);
        if (rc != ITSM_OK)
            fail_msg("step %zu in a group: %s (%s)", i, itsm_errname(rc), itsm_errmsg(b.eng));
    }
    assert_int_equal(itsm_engine_group_events(b.eng), plain.n);
    assert_int_equal(grouped.n, 0);   /* the sink waits for the commit */
    void *other = open_handle("eg-group");
    assert_int_equal(count_of(other), 0);
    char *da = engine_dump(a.eng), *db = engine_dump(b.eng);
    assert_same(da, db, "reads inside the group and without one");
    assert_ok(itsm_engine_commit(b.eng));
    assert_int_equal(itsm_engine_group_events(b.eng), 0);
    assert_int_equal(count_of(other), plain.n + 1);   /* and the version's document */
    assert_int_equal(grouped.n, plain.n);
    for (size_t i = 0; i < plain.n; i++)
        assert_string_equal(grouped.json[i], plain.json[i]);
    char *ka = dump_of_store("eg-plain"), *kb = dump_of_store("eg-group");
    assert_same(ka, kb, "the stores written with and without a group");
    scanned s = { &plain, 0, 0, 0, 0 };
    assert_ok(drv->methods()->scan(other, scan_emit, &s));
    assert_false(s.mismatch);
    assert_int_equal(s.npolicy, 1);
    free(da), free(db), free(ka), free(kb);
    drv->close(other);
    node_close(&a);
    node_close(&b);
    for (size_t i = 0; i < plain.n; i++) {
        free(plain.json[i]);
        free(grouped.json[i]);
    }
    free(plain.json);
    free(grouped.json);
}

/* Rollback: the store keeps none of the group, the sink hears none of it,
 * and the engine is back at the last commit (reloaded from the store). */
static void engine_rollback_goes_back_to_the_last_commit(void **state)
{
    (void)state;
    drv->wipe("eg-rollback");
    recording heard = { NULL, 0 };
    node a;
    node_open(&a, "eg-rollback", record_sink, &heard);
    open_incident(&a, "INC-B0");
    assert_ok(work_note(find(&a, "INC-B0"), "committed"));
    char *before = engine_dump(a.eng);
    size_t heard_before = heard.n;
    assert_ok(itsm_engine_begin(a.eng));
    open_incident(&a, "INC-B1");
    assert_ok(work_note(find(&a, "INC-B0"), "rolled back"));
    assert_int_equal(itsm_engine_record_count(a.eng), 2);
    assert_ok(itsm_engine_rollback(a.eng));
    char *after = engine_dump(a.eng), *kept = dump_of_store("eg-rollback");
    assert_same(before, after, "the engine before the group and after its rollback");
    assert_same(before, kept, "the engine and the store after the rollback");
    assert_int_equal(heard.n, heard_before);
    /* and it carries on, in a group or not */
    assert_ok(work_note(find(&a, "INC-B0"), "after the rollback"));
    assert_ok(itsm_engine_begin(a.eng));
    open_incident(&a, "INC-B1");
    assert_ok(itsm_engine_commit(a.eng));
    char *end = engine_dump(a.eng), *end_kept = dump_of_store("eg-rollback");
    assert_same(end, end_kept, "the engine and the store at the end");
    free(before), free(after), free(kept), free(end), free(end_kept);
    node_close(&a);
    for (size_t i = 0; i < heard.n; i++)
        free(heard.json[i]);
    free(heard.json);
}

/* The driver's store with a commit that fails: the store's group is
 * aborted and ITSM_ESTORE returned, as a store whose disk fails would. */
static void *failing_inner;
static int fail_append(void *u, const itsm_event *const *e, size_t n)
{
    (void)u;
    return drv->methods()->append(failing_inner, e, n);
}
static int fail_scan(void *u, itsm_store_emit_fn emit, void *ctx)
{
    (void)u;
    return drv->methods()->scan(failing_inner, emit, ctx);
}
static int fail_group(void *u, int op)
{
    (void)u;
    if (op != ITSM_STORE_GROUP_COMMIT)
        return drv->methods()->group(failing_inner, op);
    drv->methods()->group(failing_inner, ITSM_STORE_GROUP_ABORT);
    return ITSM_ESTORE;
}
static const itsm_store failing_commit = { ITSM_STORE_VERSION, fail_append, fail_scan, NULL, NULL, fail_group };

static void engine_group_not_kept_reloads_the_last_commit(void **state)
{
    (void)state;
    drv->wipe("eg-failed");
    failing_inner = open_handle("eg-failed");
    recording heard = { NULL, 0 };
    vclock clock = { T0 };
    itsm_engine_opts o = ITSM_ENGINE_OPTS_INIT;
    o.store = &failing_commit;
    o.clock = vclock_read;
    o.clock_user = &clock;
    o.sink = record_sink;
    o.sink_user = &heard;
    itsm_engine *eng;
    assert_ok(itsm_engine_new(&eng, &o));
    node shim = { failing_inner, eng, { T0 } };
    open_incident(&shim, "INC-F0");
    char *before = engine_dump(eng);
    assert_ok(itsm_engine_begin(eng));
    open_incident(&shim, "INC-F1");
    assert_ok(work_note(find(&shim, "INC-F0"), "lost"));
    assert_fails(eng, itsm_engine_commit(eng), ITSM_ESTORE, "the engine was reloaded from the store");
    char *after = engine_dump(eng);
    assert_same(before, after, "the engine before the group and after its failed commit");
    assert_int_equal(heard.n, 1);   /* the open before the group, nothing of it */
    assert_int_equal(count_of(failing_inner), 2);   /* and the version's document before it */
    assert_ok(work_note(find(&shim, "INC-F0"), "carries on"));
    itsm_engine_free(eng);
    drv->close(failing_inner);
    free(before), free(after);
    for (size_t i = 0; i < heard.n; i++)
        free(heard.json[i]);
    free(heard.json);
}

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
