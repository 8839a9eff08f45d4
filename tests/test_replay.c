/* SPDX-License-Identifier: Apache-2.0 */
/* Replay: a store's events rebuild the engine exactly. A long seeded random
 * run (refusals included) replays to the same dump; replaying twice is
 * harmless; a gap is a conflict; malformed events are refused with a
 * position and change nothing; the JSON form is stable and the writer keeps
 * the snprintf contract. */
#include "support.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define N_(a) (sizeof(a) / sizeof((a)[0]))

static char *dupstr(const char *s)
{
    char *d = malloc(strlen(s) + 1);
    strcpy(d, s);
    return d;
}

/* ---- a reproducible random run ------------------------------------------ */

#define DEFAULT_SEED UINT64_C(0x5eed1e55c0ffee01)
#define STEPS 5000
#define MAX_RECS 400

typedef struct rng { uint64_t s; } rng;

static uint64_t next(rng *r)   /* xorshift64 */
{
    uint64_t x = r->s;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return r->s = x;
}
static unsigned pick(rng *r, unsigned n) { return (unsigned)(next(r) % n); }
static int chance(rng *r, unsigned percent) { return pick(r, 100) < percent; }

static uint64_t the_seed(void)
{
    const char *env = getenv("ITSM_REPLAY_SEED");
    return env && *env ? strtoull(env, NULL, 0) : DEFAULT_SEED;
}

typedef struct world {
    rng          r;
    uint64_t     seed;
    vclock      *clock;
    itsm_engine *eng;
    memstore    *store;
    itsm_record *recs[MAX_RECS];
    size_t       nrecs;
    char         text[128];
    int          accepted, refused;
} world;

static const char *const kind_events[ITSM_KIND_COUNT + 1][10] = {
    { NULL },
    { "assign", "start", "hold", "resume", "resolve", "reopen", "confirm", "auto_close", "cancel", NULL },
    { "submit", "approve", "reject", "fulfil", "complete", "close", "cancel", NULL },
    { "assess", "analyse", "identify", "request_change", "resolve", "close", "close_without_fix", NULL },
    { "assess", "authorize", "reject", "schedule", "implement", "complete", "back_out", "close", NULL },
    { "submit", "publish", "revise", "retire", NULL },
};

/* The way forward from each state of the default lifecycles, so records
 * travel far instead of being refused at "new" forever. */
typedef struct way { const char *state, *events[3]; } way;
static const way ways[ITSM_KIND_COUNT + 1][8] = {
    { { NULL, { NULL } } },
    { { "new", { "assign", "start", NULL } }, { "assigned", { "start", NULL } },
      { "in_progress", { "hold", "resolve", NULL } }, { "on_hold", { "resume", "resolve", NULL } },
      { "resolved", { "reopen", "confirm", "auto_close" } }, { NULL, { NULL } } },
    { { "new", { "submit", NULL } }, { "awaiting_approval", { "approve", "reject", NULL } },
      { "approved", { "fulfil", NULL } }, { "fulfilling", { "complete", NULL } },
      { "fulfilled", { "close", NULL } }, { NULL, { NULL } } },
    { { "new", { "assess", NULL } }, { "assessed", { "analyse", NULL } },
      { "root_cause_analysis", { "identify", NULL } }, { "known_error", { "request_change", "resolve", NULL } },
      { "fix_pending_change", { "resolve", NULL } }, { "resolved", { "close", NULL } }, { NULL, { NULL } } },
    { { "new", { "assess", "schedule", NULL } }, { "assessed", { "authorize", "reject", NULL } },
      { "authorized", { "schedule", NULL } }, { "scheduled", { "implement", NULL } },
      { "implementing", { "complete", "back_out", NULL } }, { "backed_out", { "complete", NULL } },
      { "review", { "close", NULL } }, { NULL, { NULL } } },
    { { "draft", { "submit", NULL } }, { "review", { "publish", "revise", NULL } },
      { "published", { "revise", "retire", NULL } }, { NULL, { NULL } } },
};

static const char *const groups[] = { "desk", "network", "servers", "messaging", "dba" };
static const char *const people[] = { "alice", "bob", "carol", "dave", "jürgen" };
static const char *const words[] = { "printer", "mail", "VPN", "disk", "\"quoted\"", "tab\there", "new\nline",
                                     "émoji 🙂", "back\\slash", "" };

static const char *random_text(world *w)
{
    size_t off = 0;
    unsigned n = 1 + pick(&w->r, 4);
    for (unsigned i = 0; i < n; i++)
        off += (size_t)snprintf(w->text + off, sizeof w->text - off, "%s%s", i ? " " : "",
                                words[pick(&w->r, N_(words))]);
    return w->text;
}

static const char *random_symbol(world *w, itsm_field f)
{
    switch (f) {
    case ITSM_F_ASSIGNMENT_GROUP: return groups[pick(&w->r, N_(groups))];
    case ITSM_F_ASSIGNEE:
    case ITSM_F_CALLER: return people[pick(&w->r, N_(people))];
    case ITSM_F_HOLD_REASON: return pick(&w->r, 2) ? "awaiting_customer" : "awaiting_supplier";
    case ITSM_F_CHANGE_TYPE: return pick(&w->r, 2) ? "standard" : "normal";
    case ITSM_F_RESOLUTION_CODE: return pick(&w->r, 2) ? "fix_applied" : "workaround";
    default: return pick(&w->r, 2) ? "alpha" : "beta-2";
    }
}

/* A change for field f; sometimes an invalid one (refused later). */
static itsm_change random_change(world *w, itsm_field f, int allow_bad)
{
    itsm_change c = { f, NULL, 0 };
    itsm_field_type t = itsm_field_type_of(f);
    if (t == ITSM_TYPE_TEXT) {
        c.str = chance(&w->r, 10) ? NULL : random_text(w);
        if (allow_bad && chance(&w->r, 3))
            c.str = "bad \xc3\x28 utf-8";
    } else if (t == ITSM_TYPE_SYMBOL) {
        c.str = chance(&w->r, 10) ? NULL : random_symbol(w, f);
        if (allow_bad && chance(&w->r, 3))
            c.str = chance(&w->r, 50) ? "" : "ctl\x01";
    } else if (t == ITSM_TYPE_BOOL) {
        c.num = pick(&w->r, allow_bad ? 3 : 2);
    } else if (f == ITSM_F_HIERARCHICAL_LEVEL) {
        c.num = (int64_t)pick(&w->r, allow_bad ? 11 : 10);
    } else if (f == ITSM_F_PRIORITY) {
        c.num = 1 + (int64_t)pick(&w->r, allow_bad ? 6 : 5);
    } else {
        c.num = (allow_bad ? 0 : 1) + (int64_t)pick(&w->r, allow_bad ? 5 : 3);
    }
    return c;
}

/* Up to n distinct fields (any field, engine-owned ones included when
 * allow_bad), occasionally one given twice. */
static size_t random_changes(world *w, itsm_change *out, size_t max, int allow_bad)
{
    size_t n = 1 + pick(&w->r, (unsigned)max);
    int used[ITSM_F__COUNT] = { 0 };
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        itsm_field f = (itsm_field)pick(&w->r, ITSM_F__COUNT);
        if (!allow_bad && itsm_field_is_engine_owned(f))
            continue;
        if (used[f] && !(allow_bad && chance(&w->r, 20)))
            continue;
        used[f] = 1;
        out[k++] = random_change(w, f, allow_bad);
    }
    return k;
}

/* Fields that satisfy most guards, so records travel far through their
 * lifecycles. */
static const itsm_field helpful[] = {
    ITSM_F_ASSIGNMENT_GROUP, ITSM_F_ASSIGNEE, ITSM_F_HOLD_REASON, ITSM_F_RESOLUTION_CODE,
    ITSM_F_RESOLUTION_NOTES, ITSM_F_CATEGORY, ITSM_F_KNOWLEDGE_DECISION, ITSM_F_CAUSE,
    ITSM_F_WORKAROUND, ITSM_F_CHANGE_TYPE, ITSM_F_CLOSE_JUSTIFICATION, ITSM_F_SUMMARY,
    ITSM_F_CALLER, ITSM_F_SERVICE,
};

static itsm_record *random_rec(world *w)
{
    return w->nrecs ? w->recs[pick(&w->r, (unsigned)w->nrecs)] : NULL;
}

/* Codes a call may return in this run: never ENOMEM, ESTORE and the like. */
static int allowed_refusal(int rc)
{
    return rc == ITSM_EINVAL || rc == ITSM_EEXISTS || rc == ITSM_ETRANSITION || rc == ITSM_EGUARD ||
           rc == ITSM_ESTATE || rc == ITSM_ELIMIT;
}

/* One random call. Returns its code. */
static int random_step(world *w)
{
    itsm_change ch[ITSM_F__COUNT + 2];
    unsigned op = pick(&w->r, 100);
    itsm_record *r = random_rec(w);
    if (op < 6 || !r) {
        itsm_record_opts o = ITSM_RECORD_OPTS_INIT;
        char id[40];
        o.kind = (itsm_kind)(1 + pick(&w->r, ITSM_KIND_COUNT));
        unsigned idk = pick(&w->r, 20);
        if (idk < 3) {
            snprintf(id, sizeof id, "H-%u", pick(&w->r, 60));
            o.id = id;
        } else if (idk == 3) {
            snprintf(id, sizeof id, "INC-%06u", pick(&w->r, 400));
            o.id = id;
        } else if (idk == 4) {
            o.id = "not valid";
        }
        o.nfields = chance(&w->r, 30) ? 0 : random_changes(w, ch, 5, chance(&w->r, 10));
        o.fields = ch;
        itsm_record *out = NULL;
        int rc = itsm_record_open(&out, w->eng, &o);
        if (rc == ITSM_OK && w->nrecs < MAX_RECS)
            w->recs[w->nrecs++] = out;
        return rc;
    }
    if (op < 35) {
        size_t n = random_changes(w, ch, 4, chance(&w->r, 15));
        if (n == 0)
            return itsm_record_update(r, ch, 0);
        if (n == 1 && chance(&w->r, 30)) {
            if (itsm_field_type_of(ch[0].field) == ITSM_TYPE_TEXT || itsm_field_type_of(ch[0].field) == ITSM_TYPE_SYMBOL)
                return itsm_record_set_str(r, ch[0].field, ch[0].str);
            return itsm_record_set_int(r, ch[0].field, ch[0].num);
        }
        return itsm_record_update(r, ch, n);
    }
    if (op < 70) {
        const char *const *evs = kind_events[itsm_record_kind(r)];
        size_t nev = 0;
        while (evs[nev])
            nev++;
        const char *ev = chance(&w->r, 3) ? "teleport" : evs[pick(&w->r, (unsigned)nev)];
        if (chance(&w->r, 70)) {
            for (const way *wy = ways[itsm_record_kind(r)]; wy->state; wy++) {
                if (strcmp(wy->state, itsm_record_state(r)) != 0)
                    continue;
                size_t k = 0;
                while (k < 3 && wy->events[k])
                    k++;
                ev = wy->events[pick(&w->r, (unsigned)k)];
            }
        }
        size_t n = 0;
        if (chance(&w->r, 75)) {
            int used[N_(helpful)] = { 0 };
            unsigned k = 1 + pick(&w->r, 6);
            for (unsigned i = 0; i < k; i++) {
                unsigned h = pick(&w->r, N_(helpful));
                if (used[h])
                    continue;
                used[h] = 1;
                ch[n] = random_change(w, helpful[h], 0);
                if (!ch[n].str && itsm_field_type_of(helpful[h]) != ITSM_TYPE_BOOL)
                    ch[n].str = random_symbol(w, helpful[h]);
                n++;
            }
        }
        return itsm_record_fire(r, ev, n ? ch : NULL, n);
    }
    if (op < 85) {
        itsm_note_opts o = ITSM_NOTE_OPTS_INIT;
        unsigned k = pick(&w->r, 20);
        o.kind = k < 12 ? ITSM_NOTE_WORK : k < 19 ? ITSM_NOTE_CUSTOMER : ITSM_NOTE_SYSTEM;
        o.text = chance(&w->r, 5) ? NULL : random_text(w);
        if (o.text && !*o.text)
            o.text = "x";
        if (!chance(&w->r, 10))
            o.expected_restoration = w->clock->now + (itsm_time)pick(&w->r, 7200);
        if (!chance(&w->r, 10))
            o.next_update = w->clock->now + (itsm_time)pick(&w->r, 3600);   /* 0 is refused */
        return itsm_record_add_note(r, &o);
    }
    if (op < 95) {
        itsm_record *to = chance(&w->r, 5) ? r : random_rec(w);
        itsm_link_kind k = (itsm_link_kind)(1 + pick(&w->r, 3));
        return itsm_record_link(r, k, to);
    }
    if (op < 98) {
        static const char *const actors[] = { "alice", "bob", NULL, "", "svc:desk-bot" };
        return itsm_engine_set_actor(w->eng, actors[pick(&w->r, N_(actors))]);
    }
    w->clock->now += (itsm_time)pick(&w->r, 4000);
    return ITSM_OK;
}

static void run_random(world *w, int steps, int check_every_refusal)
{
    for (int i = 0; i < steps; i++) {
        size_t stored = w->store->n;
        char *before = check_every_refusal ? engine_dump(w->eng) : NULL;
        if (chance(&w->r, 60))
            w->clock->now += (itsm_time)pick(&w->r, 300);
        int rc = random_step(w);
        if (rc == ITSM_OK) {
            w->accepted++;
        } else {
            w->refused++;
            if (!allowed_refusal(rc))
                fail_msg("seed 0x%016" PRIx64 " step %d: unexpected %s: %s", w->seed, i, itsm_errname(rc),
                         itsm_errmsg(w->eng));
            if (w->store->n != stored)
                fail_msg("seed 0x%016" PRIx64 " step %d: a refused call (%s) stored events", w->seed, i,
                         itsm_errmsg(w->eng));
            if (before) {
                char *after = engine_dump(w->eng);
                if (strcmp(before, after) != 0)
                    fail_msg("seed 0x%016" PRIx64 " step %d: a refused call (%s: %s) changed the engine", w->seed,
                             i, itsm_errname(rc), itsm_errmsg(w->eng));
                free(after);
            }
        }
        free(before);
    }
}

static void random_run_replays_to_the_same_records(void **state)
{
    (void)state;
    vclock clock = { T0 };
    memstore store;
    memstore_init(&store);
    world w;
    memset(&w, 0, sizeof w);
    w.seed = the_seed();
    w.r.s = w.seed;
    w.clock = &clock;
    w.store = &store;
    print_message("random run: seed 0x%016" PRIx64 " (set ITSM_REPLAY_SEED to repeat another)\n", w.seed);
    itsm_engine_opts o = ITSM_ENGINE_OPTS_INIT;
    o.store = &memstore_methods;
    o.store_user = &store;
    o.clock = vclock_read;
    o.clock_user = &clock;
    assert_ok(itsm_engine_new(&w.eng, &o));
    for (int round = 0; round < 5; round++) {
        run_random(&w, STEPS / 5, round == 0);
        char *d = engine_dump(w.eng), *d2 = replay_dump(&store);
        if (strcmp(d, d2) != 0)
            fail_msg("seed 0x%016" PRIx64 ": replay differs after %d steps", w.seed, (round + 1) * STEPS / 5);
        free(d);
        free(d2);
    }
    print_message("random run: %d accepted, %d refused, %zu records, %zu events\n", w.accepted, w.refused,
                  itsm_engine_record_count(w.eng), store.n);
    /* The run really exercised both sides. */
    assert_true(w.accepted > 1500);
    assert_true(w.refused > 500);
    assert_true(itsm_engine_record_count(w.eng) > 100);

    /* Loading from the store's scan gives the same, and loading again
     * skips everything. */
    memstore copy;
    memstore_init(&copy);
    copy.check_revisions = 0;
    for (size_t i = 0; i < store.n; i++) {
        copy.events = realloc(copy.events, (copy.n + 1) * sizeof *copy.events);
        copy.events[copy.n++] = dupstr(store.events[i]);
    }
    copy.cap = copy.n;
    vclock clock2 = clock;
    o.store_user = &copy;
    o.clock_user = &clock2;
    itsm_engine *loaded;
    assert_ok(itsm_engine_new(&loaded, &o));
    assert_ok(itsm_engine_load(loaded));
    char *d = engine_dump(w.eng), *d2 = engine_dump(loaded);
    assert_string_equal(d, d2);
    free(d2);
    assert_ok(itsm_engine_load(loaded));
    d2 = engine_dump(loaded);
    assert_string_equal(d, d2);
    free(d2);
    free(d);

    /* The loaded engine behaves like the original from here on: the same
     * calls give the same codes and the same events, byte for byte. */
    world w2 = w;
    w2.eng = loaded;
    w2.store = &copy;
    w2.clock = &clock2;
    for (size_t i = 0; i < w.nrecs; i++)
        assert_ok(itsm_record_find(&w2.recs[i], loaded, itsm_record_id(w.recs[i])));
    assert_ok(itsm_engine_set_actor(w.eng, "after-load"));
    assert_ok(itsm_engine_set_actor(loaded, "after-load"));
    size_t base = store.n, base2 = copy.n;
    for (int i = 0; i < 500; i++) {
        int a = random_step(&w), b = random_step(&w2);
        if (a != b)
            fail_msg("seed 0x%016" PRIx64 " step %d after load: %s vs %s (%s / %s)", w.seed, i, itsm_errname(a),
                     itsm_errname(b), itsm_errmsg(w.eng), itsm_errmsg(loaded));
    }
    assert_int_equal(store.n - base, copy.n - base2);
    for (size_t i = 0; i < store.n - base; i++)
        assert_string_equal(store.events[base + i], copy.events[base2 + i]);
    itsm_engine_free(loaded);
    itsm_engine_free(w.eng);
    memstore_free(&copy);
    memstore_free(&store);
}

/* ---- replay rules ------------------------------------------------------- */

static void build_story(fixture *f)
{
    itsm_record *inc, *prb;
    itsm_record_opts o = ITSM_RECORD_OPTS_INIT;
    itsm_change c[] = { { ITSM_F_SUMMARY, "VPN drops", 0 }, { ITSM_F_IMPACT, NULL, 2 }, { ITSM_F_URGENCY, NULL, 2 } };
    o.fields = c;
    o.nfields = 3;
    assert_ok(itsm_engine_set_actor(f->eng, "alice"));
    assert_ok(itsm_record_open(&inc, f->eng, &o));
    o.kind = ITSM_KIND_PROBLEM;
    o.nfields = 1;
    assert_ok(itsm_record_open(&prb, f->eng, &o));
    f->clock.now += 60;
    itsm_change g = { ITSM_F_ASSIGNMENT_GROUP, "network", 0 };
    assert_ok(itsm_record_fire(inc, "assign", &g, 1));
    itsm_note_opts n = ITSM_NOTE_OPTS_INIT;
    n.kind = ITSM_NOTE_CUSTOMER;
    n.text = "Looking into it";
    n.expected_restoration = f->clock.now + 3600;
    n.next_update = f->clock.now + 600;
    assert_ok(itsm_record_add_note(inc, &n));
    assert_ok(itsm_record_link(inc, ITSM_LINK_RELATED, prb));
    assert_ok(itsm_record_set_str(inc, ITSM_F_DESCRIPTION, "multi\nline"));
}

static itsm_engine *fresh_engine(void)
{
    itsm_engine *e;
    assert_ok(itsm_engine_new(&e, NULL));
    return e;
}

static void replay_all(itsm_engine *e, const memstore *s)
{
    for (size_t i = 0; i < s->n; i++) {
        itsm_parse_error err;
        int rc = itsm_engine_replay_json(e, s->events[i], strlen(s->events[i]), &err);
        if (rc != ITSM_OK)
            fail_msg("event %zu: %s: %s", i, itsm_errname(rc), itsm_errmsg(e));
    }
}

static void replaying_the_same_store_twice_is_harmless(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    build_story(&f);
    itsm_engine *e = fresh_engine();
    replay_all(e, &f.store);
    char *once = engine_dump(e);
    replay_all(e, &f.store);
    char *twice = engine_dump(e);
    assert_string_equal(once, twice);
    char *live = engine_dump(f.eng);
    assert_string_equal(once, live);
    /* Any single old event again: skipped. */
    replay_store_into(e, &f.store);
    free(twice);
    twice = engine_dump(e);
    assert_string_equal(once, twice);
    free(once);
    free(twice);
    free(live);
    itsm_engine_free(e);
    fixture_close(&f);
}

static void a_gap_in_revisions_is_a_conflict(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    build_story(&f);
    /* Events 0..1 open the records; event 2 is INC's revision 2. Skip it. */
    itsm_engine *e = fresh_engine();
    assert_ok(itsm_engine_replay_json(e, f.store.events[0], strlen(f.store.events[0]), NULL));
    assert_ok(itsm_engine_replay_json(e, f.store.events[1], strlen(f.store.events[1]), NULL));
    char *before = engine_dump(e);
    itsm_parse_error err;
    assert_int_equal(itsm_engine_replay_json(e, f.store.events[3], strlen(f.store.events[3]), &err), ITSM_ECONFLICT);
    assert_non_null(strstr(itsm_errmsg(e), "revision 3 for INC-000001 skips past revision 2"));
    /* The position points at the revision. */
    assert_int_equal(err.line, 1);
    assert_int_equal(err.column, (size_t)(strstr(f.store.events[3], "\"rev\":") - f.store.events[3]) + 7);
    char *after = engine_dump(e);
    assert_string_equal(before, after);
    free(after);
    /* Filling the gap lets the rest through. */
    for (size_t i = 2; i < f.store.n; i++)
        assert_ok(itsm_engine_replay_json(e, f.store.events[i], strlen(f.store.events[i]), NULL));
    after = engine_dump(e);
    char *live = engine_dump(f.eng);
    assert_string_equal(after, live);
    free(before);
    free(after);
    free(live);
    itsm_engine_free(e);
    fixture_close(&f);
}

/* Base events for the malformed cases: INC-000001 (rev 1, state new) and
 * PRB-000001 (rev 1). */
#define E_OPEN_INC "{\"v\":1,\"type\":\"open\",\"record\":\"INC-000001\",\"kind\":\"incident\",\"rev\":1," \
                   "\"at\":\"2026-03-02T09:00:00Z\",\"state\":\"new\",\"set\":{\"opened_at\":\"2026-03-02T09:00:00Z\"}}"
#define E_OPEN_PRB "{\"v\":1,\"type\":\"open\",\"record\":\"PRB-000001\",\"kind\":\"problem\",\"rev\":1," \
                   "\"at\":\"2026-03-02T09:00:00Z\",\"state\":\"new\"}"
#define X16 "xxxxxxxxxxxxxxxx"
#define X256 X16 X16 X16 X16 X16 X16 X16 X16 X16 X16 X16 X16 X16 X16 X16 X16
#define HEAD(type, rev) "{\"v\":1,\"type\":\"" type "\",\"record\":\"INC-000001\",\"kind\":\"incident\",\"rev\":" #rev \
                        ",\"at\":\"2026-03-02T09:01:00Z\""

typedef struct bad_case {
    const char *name;
    const char *json;
    int         code;
    const char *msg;   /* in itsm_errmsg */
    const char *at;    /* the error position is the first occurrence of this text ("" = offset 0);
                          NULL: a syntax error, any position inside the input */
} bad_case;

static const bad_case bad_cases[] = {
    { "not JSON", "{\"v\":1,", ITSM_EPARSE, "event 1:", NULL },
    { "not JSON, line 3", "{\n  \"v\": 1,\n  \"type\": open}", ITSM_EPARSE, "event 3:", "open}" },
    { "trailing garbage", HEAD("update", 2) "} x", ITSM_EPARSE, "event 1:", "x" },
    { "empty", "", ITSM_EPARSE, "event 1:1", "" },
    { "not an object", "[1]", ITSM_EPARSE, "must be a JSON object", "[" },
    { "wrong v", "{\"v\":2,\"type\":\"update\"}", ITSM_EPARSE, "unsupported event version", "2," },
    { "v as a string", "{\"v\":\"1\",\"type\":\"update\"}", ITSM_EPARSE, "unsupported event version", "\"1\"" },
    { "v missing", "{\"type\":\"update\"}", ITSM_EPARSE, "unsupported event version", "{" },
    { "v fractional", "{\"v\":1.0}", ITSM_EPARSE, "unsupported event version", "1.0" },
    { "unknown type", HEAD("delete", 2) "}", ITSM_EPARSE, "unknown event type delete", "\"delete\"" },
    { "type with NUL", HEAD("update\\u0000x", 2) "}", ITSM_EPARSE, "NUL character in member type", "\"update" },
    { "unknown member", HEAD("update", 2) ",\"colour\":\"red\"}", ITSM_EPARSE, "unknown member colour", "\"red\"" },
    { "member name with NUL", HEAD("update", 2) ",\"set\\u0000\":{}}", ITSM_EPARSE, "unknown member set", "{}" },
    { "unknown member in note", HEAD("note", 2) ",\"note\":{\"kind\":\"work\",\"text\":\"x\",\"mood\":\"sad\"}}",
      ITSM_EPARSE, "unknown member mood", "\"sad\"" },
    { "unknown member in link", HEAD("link", 2) ",\"link\":{\"kind\":\"related\",\"target\":\"PRB-000001\",\"x\":1}}",
      ITSM_EPARSE, "unknown member x", "1}}" },
    { "unknown field", HEAD("update", 2) ",\"set\":{\"colour\":\"red\"}}", ITSM_EPARSE, "unknown field colour", "\"red\"" },
    { "int as string", HEAD("update", 2) ",\"set\":{\"impact\":\"2\"}}", ITSM_EPARSE,
      "expected a whole number in range for impact", "\"2\"" },
    { "int out of range", HEAD("update", 2) ",\"set\":{\"impact\":4}}", ITSM_EPARSE, "in range for impact", "4}" },
    { "int fractional", HEAD("update", 2) ",\"set\":{\"urgency\":2.5}}", ITSM_EPARSE, "for urgency", "2.5" },
    { "text as number", HEAD("update", 2) ",\"set\":{\"summary\":5}}", ITSM_EPARSE,
      "expected a string or null for summary", "5}" },
    { "symbol as bool", HEAD("update", 2) ",\"set\":{\"caller\":true}}", ITSM_EPARSE, "for caller", "true" },
    { "bool as number", HEAD("update", 2) ",\"set\":{\"major\":1}}", ITSM_EPARSE, "expected true or false for major",
      "1}" },
    { "time as number", HEAD("update", 2) ",\"set\":{\"opened_at\":5}}", ITSM_EPARSE, "expected a time", "5}" },
    { "set not an object", HEAD("update", 2) ",\"set\":[]}", ITSM_EPARSE, "'set' must be an object", "[]" },
    { "symbol too long", HEAD("update", 2) ",\"set\":{\"caller\":\"" X256 "x\"}}", ITSM_EPARSE, "invalid value for caller", "\"xxx" },
    { "unknown record", "{\"v\":1,\"type\":\"update\",\"record\":\"INC-999999\",\"kind\":\"incident\",\"rev\":2,"
      "\"at\":\"2026-03-02T09:01:00Z\"}", ITSM_ENOTFOUND, "unknown record INC-999999", "\"INC-999999\"" },
    { "bad date", "{\"v\":1,\"type\":\"update\",\"record\":\"INC-000001\",\"kind\":\"incident\",\"rev\":2,"
      "\"at\":\"2026-02-30T09:01:00Z\"}", ITSM_EPARSE, "expected a time", "\"2026-02-30" },
    { "time with a space", "{\"v\":1,\"type\":\"update\",\"record\":\"INC-000001\",\"kind\":\"incident\",\"rev\":2,"
      "\"at\":\"2026-03-02 09:01:00Z\"}", ITSM_EPARSE, "expected a time", "\"2026-03-02 " },
    { "time with an offset", "{\"v\":1,\"type\":\"update\",\"record\":\"INC-000001\",\"kind\":\"incident\",\"rev\":2,"
      "\"at\":\"2026-03-02T09:01:00+01:00\"}", ITSM_EPARSE, "expected a time", "\"2026-03-02T" },
    { "time missing", "{\"v\":1,\"type\":\"update\",\"record\":\"INC-000001\",\"kind\":\"incident\",\"rev\":2}",
      ITSM_EPARSE, "missing or non-string member at", "{" },
    { "open in a state the policy lacks", "{\"v\":1,\"type\":\"open\",\"record\":\"INC-000002\",\"kind\":\"incident\","
      "\"rev\":1,\"at\":\"2026-03-02T09:01:00Z\",\"state\":\"limbo\"}", ITSM_EPARSE,
      "the policy has no such state: limbo", "\"limbo\"" },
    { "transition to a state the policy lacks", HEAD("transition", 2)
      ",\"event\":\"assign\",\"from\":\"new\",\"to\":\"limbo\"}", ITSM_EPARSE, "no such state: limbo", "\"limbo\"" },
    { "transition with an unknown event", HEAD("transition", 2)
      ",\"event\":\"teleport\",\"from\":\"new\",\"to\":\"assigned\"}", ITSM_EPARSE, "no such event: teleport",
      "\"teleport\"" },
    { "transition from another state", HEAD("transition", 2)
      ",\"event\":\"start\",\"from\":\"assigned\",\"to\":\"in_progress\"}", ITSM_ECONFLICT,
      "event moves INC-000001 from 'assigned' but the record is in 'new'", "\"assigned\"" },
    { "transition without to", HEAD("transition", 2) ",\"event\":\"assign\",\"from\":\"new\"}", ITSM_EPARSE,
      "missing or non-string member to", "{" },
    { "rev zero", HEAD("update", 0) "}", ITSM_EPARSE, "'rev' must be a whole number >= 1", "0," },
    { "rev negative", HEAD("update", -3) "}", ITSM_EPARSE, "'rev' must be", "-3" },
    { "rev as string", HEAD("update", "2") "}", ITSM_EPARSE, "'rev' must be", "\"2\"" },
    { "rev gap", HEAD("update", 3) "}", ITSM_ECONFLICT, "skips past revision 2", "3," },
    { "open with rev 2", "{\"v\":1,\"type\":\"open\",\"record\":\"INC-000002\",\"kind\":\"incident\",\"rev\":2,"
      "\"at\":\"2026-03-02T09:01:00Z\",\"state\":\"new\"}", ITSM_EPARSE, "an open event must have revision 1", "2," },
    { "unknown kind", "{\"v\":1,\"type\":\"update\",\"record\":\"INC-000001\",\"kind\":\"ticket\",\"rev\":2,"
      "\"at\":\"2026-03-02T09:01:00Z\"}", ITSM_EPARSE, "unknown record kind ticket", "\"ticket\"" },
    { "kind differs", "{\"v\":1,\"type\":\"update\",\"record\":\"INC-000001\",\"kind\":\"problem\",\"rev\":2,"
      "\"at\":\"2026-03-02T09:01:00Z\"}", ITSM_EPARSE, "record kind differs", "\"problem\"" },
    { "bad id", "{\"v\":1,\"type\":\"open\",\"record\":\"a b\",\"kind\":\"incident\",\"rev\":1,"
      "\"at\":\"2026-03-02T09:01:00Z\",\"state\":\"new\"}", ITSM_EPARSE, "invalid record id", "\"a b\"" },
    { "record missing", "{\"v\":1,\"type\":\"update\",\"kind\":\"incident\",\"rev\":2,\"at\":\"2026-03-02T09:01:00Z\"}",
      ITSM_EPARSE, "missing or non-string member record", "{" },
    { "note without note", HEAD("note", 2) "}", ITSM_EPARSE, "a note event needs a 'note' object", "{" },
    { "unknown note kind", HEAD("note", 2) ",\"note\":{\"kind\":\"shout\",\"text\":\"x\"}}", ITSM_EPARSE,
      "unknown note kind shout", "\"shout\"" },
    { "empty note text", HEAD("note", 2) ",\"note\":{\"kind\":\"work\",\"text\":\"\"}}", ITSM_EPARSE,
      "note text must be", "\"\"}" },
    { "note with a bad time", HEAD("note", 2) ",\"note\":{\"kind\":\"customer\",\"text\":\"x\","
      "\"expected_restoration\":\"soon\"}}", ITSM_EPARSE, "expected a time", "\"soon\"" },
    { "link to an unknown record", HEAD("link", 2) ",\"link\":{\"kind\":\"related\",\"target\":\"PRB-999\"}}",
      ITSM_EPARSE, "link target is unknown or the record itself: PRB-999", "\"PRB-999\"" },
    { "link to itself", HEAD("link", 2) ",\"link\":{\"kind\":\"related\",\"target\":\"INC-000001\"}}", ITSM_EPARSE,
      "the record itself", "\"INC-000001\"}" },
    { "unknown link kind", HEAD("link", 2) ",\"link\":{\"kind\":\"sibling\",\"target\":\"PRB-000001\"}}",
      ITSM_EPARSE, "unknown link kind sibling", "\"sibling\"" },
    { "empty actor", HEAD("update", 2) ",\"actor\":\"\"}", ITSM_EPARSE, "'actor' must be a non-empty string", "\"\"}" },
    { "actor as number", HEAD("update", 2) ",\"actor\":7}", ITSM_EPARSE, "'actor' must be", "7}" },
    { "invalid UTF-8", HEAD("update", 2) ",\"set\":{\"summary\":\"\xc3\x28\"}}", ITSM_EPARSE, "event 1:", "\xc3" },
    { "duplicate member", HEAD("update", 2) ",\"rev\":2}", ITSM_EPARSE, "event 1:", NULL },
};

static size_t line_of(const char *s, size_t off, size_t *col)
{
    size_t line = 1, start = 0;
    for (size_t i = 0; i < off; i++)
        if (s[i] == '\n') {
            line++;
            start = i + 1;
        }
    *col = off - start + 1;
    return line;
}

static void malformed_events_are_refused_with_a_position_and_change_nothing(void **state)
{
    (void)state;
    itsm_engine *e = fresh_engine();
    assert_ok(itsm_engine_replay_json(e, E_OPEN_INC, strlen(E_OPEN_INC), NULL));
    assert_ok(itsm_engine_replay_json(e, E_OPEN_PRB, strlen(E_OPEN_PRB), NULL));
    char *before = engine_dump(e);
    for (size_t i = 0; i < N_(bad_cases); i++) {
        const bad_case *c = &bad_cases[i];
        itsm_parse_error err;
        memset(&err, 0x5a, sizeof err);
        int rc = itsm_engine_replay_json(e, c->json, strlen(c->json), &err);
        if (rc != c->code || !strstr(itsm_errmsg(e), c->msg))
            fail_msg("case '%s': got %s \"%s\", wanted %s with \"%s\"", c->name, itsm_errname(rc), itsm_errmsg(e),
                     itsm_errname(c->code), c->msg);
        assert_int_equal(itsm_errcode(e), c->code);
        const char *at = !c->at ? NULL : *c->at ? strstr(c->json, c->at) : c->json;
        if (c->at && !at)
            fail_msg("case '%s': bad test, '%s' not in the input", c->name, c->at);
        size_t col = 0, line = at ? line_of(c->json, (size_t)(at - c->json), &col) : 0;
        if (!at && (err.line < 1 || err.column < 1 || err.offset > strlen(c->json)))
            fail_msg("case '%s': error at %zu:%zu (offset %zu) is not in the input", c->name, err.line,
                     err.column, err.offset);
        if (at && (err.line != line || err.column != col || err.offset != (size_t)(at - c->json)))
            fail_msg("case '%s': error at %zu:%zu (offset %zu), wanted %zu:%zu; text \"%.160s\"", c->name, err.line,
                     err.column, err.offset, line, col, err.text);
        assert_true(err.text[0] != '\0' && memchr(err.text, '\0', sizeof err.text) != NULL);
        char *after = engine_dump(e);
        if (strcmp(before, after) != 0)
            fail_msg("case '%s' changed the engine", c->name);
        free(after);
        /* Without an error struct: the same code, nothing written. */
        assert_int_equal(itsm_engine_replay_json(e, c->json, strlen(c->json), NULL), c->code);
    }
    assert_int_equal(itsm_engine_replay_json(e, NULL, 0, NULL), ITSM_EINVAL);
    assert_int_equal(itsm_engine_replay_json(NULL, "{}", 2, NULL), ITSM_EINVAL);
    free(before);
    itsm_engine_free(e);
}

/* A document over the engine's limits is ITSM_ELIMIT with a position. */
static void events_over_the_json_limits_are_elimit(void **state)
{
    (void)state;
    itsm_engine_opts o = ITSM_ENGINE_OPTS_INIT;
    o.limits.max_document = 200;
    o.limits.max_string = 24;
    itsm_engine *e;
    assert_ok(itsm_engine_new(&e, &o));
    assert_ok(itsm_engine_replay_json(e, E_OPEN_PRB, strlen(E_OPEN_PRB), NULL));
    itsm_parse_error err;
    const char *longstr = "{\"v\":1,\"type\":\"update\",\"record\":\"PRB-000001\",\"kind\":\"problem\",\"rev\":2,"
                          "\"at\":\"2026-03-02T09:01:00Z\",\"set\":{\"summary\":\"0123456789abcdef012345678\"}}";
    assert_int_equal(itsm_engine_replay_json(e, longstr, strlen(longstr), &err), ITSM_ELIMIT);
    assert_int_equal(err.code, ITSM_ELIMIT);
    assert_true(err.line == 1 && err.column > 1);
    char big[400];
    memset(big, ' ', sizeof big);
    memcpy(big, E_OPEN_PRB, strlen(E_OPEN_PRB));
    assert_int_equal(itsm_engine_replay_json(e, big, sizeof big, &err), ITSM_ELIMIT);
    itsm_record *r;
    assert_ok(itsm_engine_record_at(&r, e, 0));
    assert_int_equal(itsm_engine_record_count(e), 1);
    assert_int_equal(itsm_record_revision(r), 1);
    itsm_engine_free(e);
}

/* Replay accepts what it needs from the event and nothing from the clock:
 * times come from the events. */
static void replay_takes_times_from_events_not_the_clock(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    build_story(&f);
    vclock late = { T0 + 86400 * 365 };
    itsm_engine_opts o = ITSM_ENGINE_OPTS_INIT;
    o.clock = vclock_read;
    o.clock_user = &late;
    itsm_engine *e;
    assert_ok(itsm_engine_new(&e, &o));
    replay_all(e, &f.store);
    char *a = engine_dump(e), *b = engine_dump(f.eng);
    assert_string_equal(a, b);
    free(a);
    free(b);
    itsm_engine_free(e);
    fixture_close(&f);
}

/* ---- the JSON form ------------------------------------------------------ */

typedef struct capture {
    char  *json[16];
    size_t n;
} capture;

static void capture_sink(void *user, const itsm_event *const *evs, size_t n)
{
    capture *c = user;
    for (size_t i = 0; i < n; i++) {
        const itsm_event *ev = evs[i];
        size_t len = 0, len2 = 0;
        assert_int_equal(itsm_event_to_json(ev, NULL, 0, &len), ITSM_ELIMIT);
        char *a = malloc(len + 1), *b = malloc(len + 1);
        assert_ok(itsm_event_to_json(ev, a, len + 1, &len2));
        assert_int_equal(len2, len);
        assert_int_equal(strlen(a), len);
        /* The same event, serialised again: the same bytes. */
        assert_ok(itsm_event_to_json(ev, b, len + 1, &len2));
        assert_string_equal(a, b);
        /* snprintf contract: a short buffer gets a NUL-terminated prefix,
         * ITSM_ELIMIT, and the full length. */
        for (size_t cap = 1; cap <= len; cap += 1 + cap / 3) {
            memset(b, '#', len + 1);
            len2 = 0;
            assert_int_equal(itsm_event_to_json(ev, b, cap, &len2), ITSM_ELIMIT);
            assert_int_equal(len2, len);
            assert_int_equal(strlen(b), cap - 1);
            assert_memory_equal(a, b, cap - 1);
        }
        memset(b, '#', len + 1);
        assert_int_equal(itsm_event_to_json(ev, b, len, &len2), ITSM_ELIMIT);
        assert_int_equal(b[len - 1], '\0');
        assert_int_equal(itsm_event_to_json(ev, NULL, 5, &len2), ITSM_EINVAL);
        assert_int_equal(itsm_event_to_json(ev, b, len + 1, NULL), ITSM_EINVAL);
        assert_int_equal(itsm_event_to_json(NULL, b, len + 1, &len2), ITSM_EINVAL);
        free(b);
        if (c->n < N_(c->json))
            c->json[c->n++] = a;
        else
            free(a);
    }
}

static itsm_engine *capture_engine(capture *cap, memstore *store, vclock *clock)
{
    itsm_engine_opts o = ITSM_ENGINE_OPTS_INIT;
    o.store = &memstore_methods;
    o.store_user = store;
    o.clock = vclock_read;
    o.clock_user = clock;
    o.sink = capture_sink;
    o.sink_user = cap;
    itsm_engine *e;
    assert_ok(itsm_engine_new(&e, &o));
    return e;
}

static void run_json_story(itsm_engine *e, vclock *clock)
{
    itsm_record *inc, *prb;
    itsm_record_opts o = ITSM_RECORD_OPTS_INIT;
    itsm_change c[] = { { ITSM_F_SUMMARY, "Ünïcödé \"quoted\"\n\ttab \\ </script>", 0 }, { ITSM_F_MAJOR, NULL, 1 },
                        { ITSM_F_IMPACT, NULL, 1 }, { ITSM_F_URGENCY, NULL, 1 } };
    o.fields = c;
    o.nfields = 4;
    assert_ok(itsm_engine_set_actor(e, "ops:alice"));
    assert_ok(itsm_record_open(&inc, e, &o));
    o.kind = ITSM_KIND_PROBLEM;
    o.nfields = 0;
    assert_ok(itsm_record_open(&prb, e, &o));
    clock->now += 3599;
    itsm_change g = { ITSM_F_ASSIGNMENT_GROUP, "network", 0 };
    assert_ok(itsm_record_fire(inc, "assign", &g, 1));
    itsm_note_opts n = ITSM_NOTE_OPTS_INIT;
    n.kind = ITSM_NOTE_CUSTOMER;
    n.text = "Working on it";
    n.expected_restoration = ITSM_TIME_MAX;
    n.next_update = clock->now + 1;
    assert_ok(itsm_record_add_note(inc, &n));
    /* (a major incident's children are incidents: the problem is related) */
    assert_ok(itsm_record_link(inc, ITSM_LINK_RELATED, prb));
    assert_ok(itsm_record_set_str(inc, ITSM_F_SUMMARY, NULL));
}

static void event_json_is_stable_and_keeps_the_snprintf_contract(void **state)
{
    (void)state;
    capture a = { { NULL }, 0 }, b = { { NULL }, 0 };
    memstore sa, sb;
    memstore_init(&sa);
    memstore_init(&sb);
    vclock ca = { T0 }, cb = { T0 };
    itsm_engine *ea = capture_engine(&a, &sa, &ca), *eb = capture_engine(&b, &sb, &cb);
    run_json_story(ea, &ca);
    run_json_story(eb, &cb);
    /* Two engines, the same calls: the same bytes; and the sink (after
     * apply) reads exactly what the store kept (before apply). */
    assert_int_equal(a.n, sa.n);
    assert_int_equal(a.n, b.n);
    for (size_t i = 0; i < a.n; i++) {
        assert_string_equal(a.json[i], b.json[i]);
        assert_string_equal(a.json[i], sa.events[i]);
    }
    /* Replayed into a third engine, the store's events rebuild the same. */
    char *da = engine_dump(ea), *dr = replay_dump(&sa);
    assert_string_equal(da, dr);
    free(da);
    free(dr);
    /* The exact form of a few events (docs/events.md shows them), each
     * with its chain link last (test_chain.c checks the links). */
    for (size_t i = 0; i < sa.n; i++) {
        char *h = strstr(sa.events[i], ",\"hash\":\"");
        assert_non_null(h);
        assert_int_equal(strlen(h), strlen(",\"hash\":\"\"}") + 64);
        assert_string_equal(h + strlen(h) - 2, "\"}");
        h[0] = '}';
        h[1] = '\0';
    }
    assert_string_equal(sa.events[2],
        "{\"v\":1,\"type\":\"transition\",\"record\":\"INC-000001\",\"kind\":\"incident\",\"rev\":2,"
        "\"at\":\"2026-03-02T09:59:59Z\",\"actor\":\"ops:alice\",\"event\":\"assign\",\"from\":\"new\","
        "\"to\":\"assigned\",\"set\":{\"assignment_group\":\"network\"}}");
    assert_string_equal(sa.events[3],
        "{\"v\":1,\"type\":\"note\",\"record\":\"INC-000001\",\"kind\":\"incident\",\"rev\":3,"
        "\"at\":\"2026-03-02T09:59:59Z\",\"actor\":\"ops:alice\",\"note\":{\"kind\":\"customer\","
        "\"text\":\"Working on it\",\"expected_restoration\":\"9999-12-31T23:59:59Z\","
        "\"next_update\":\"2026-03-02T10:00:00Z\"}}");
    assert_string_equal(sa.events[5],
        "{\"v\":1,\"type\":\"link\",\"record\":\"PRB-000001\",\"kind\":\"problem\",\"rev\":2,"
        "\"at\":\"2026-03-02T09:59:59Z\",\"actor\":\"ops:alice\",\"link\":{\"kind\":\"related\","
        "\"target\":\"INC-000001\",\"target_kind\":\"incident\"}}");
    assert_string_equal(sa.events[6],
        "{\"v\":1,\"type\":\"update\",\"record\":\"INC-000001\",\"kind\":\"incident\",\"rev\":5,"
        "\"at\":\"2026-03-02T09:59:59Z\",\"actor\":\"ops:alice\",\"set\":{\"summary\":null}}");
    assert_non_null(strstr(sa.events[0], "\"summary\":\"Ünïcödé \\\"quoted\\\"\\n\\ttab \\\\ </script>\""));
    assert_non_null(strstr(sa.events[0], "\"major\":true"));
    for (size_t i = 0; i < a.n; i++) {
        free(a.json[i]);
        free(b.json[i]);
    }
    itsm_engine_free(ea);
    itsm_engine_free(eb);
    memstore_free(&sa);
    memstore_free(&sb);
}

/* The event accessors say what the JSON says. */
static void event_accessors_match_the_event(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    build_story(&f);
    assert_null(itsm_event_type(NULL));
    assert_null(itsm_event_record_id(NULL));
    assert_int_equal(itsm_event_revision(NULL), 0);
    assert_int_equal(itsm_event_time(NULL), ITSM_TIME_NONE);
    assert_null(itsm_event_actor(NULL));
    assert_null(itsm_event_name(NULL));
    assert_null(itsm_event_from_state(NULL));
    assert_null(itsm_event_to_state(NULL));
    assert_int_equal(itsm_event_record_kind(NULL), 0);
    fixture_close(&f);
}

/* ---- load ---------------------------------------------------------------- */

static int failing_scan(void *user, itsm_store_emit_fn emit, void *ctx)
{
    memstore *s = user;
    int rc = emit(ctx, s->events[0], strlen(s->events[0]));
    if (rc)
        return rc;
    return ITSM_EUSER;
}

static void load_rebuilds_from_the_scan_and_reports_failures(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    build_story(&f);
    itsm_engine_opts o = ITSM_ENGINE_OPTS_INIT;
    o.store = &memstore_methods;
    o.store_user = &f.store;
    itsm_engine *e;
    assert_ok(itsm_engine_new(&e, &o));
    assert_ok(itsm_engine_load(e));
    char *a = engine_dump(e), *b = engine_dump(f.eng);
    assert_string_equal(a, b);
    free(a);
    itsm_engine_free(e);

    /* A scan that fails: its code comes back, with a message. */
    itsm_store s = { ITSM_STORE_VERSION, memstore_methods.append, failing_scan, NULL, NULL, NULL };
    o.store = &s;
    assert_ok(itsm_engine_new(&e, &o));
    assert_fails(e, itsm_engine_load(e), ITSM_EUSER, "store scan failed");
    assert_int_equal(itsm_engine_record_count(e), 1);
    itsm_engine_free(e);

    /* A bad stored event stops the load with its own code. */
    free(f.store.events[3]);
    f.store.events[3] = dupstr("{\"v\":1}");
    o.store = &memstore_methods;
    assert_ok(itsm_engine_new(&e, &o));
    assert_fails(e, itsm_engine_load(e), ITSM_EPARSE, "missing or non-string member type");
    assert_int_equal(itsm_engine_record_count(e), 2);
    itsm_engine_free(e);

    /* No scan: ITSM_EINVAL. */
    itsm_store noscan = { ITSM_STORE_VERSION, memstore_methods.append, NULL, NULL, NULL, NULL };
    o.store = &noscan;
    assert_ok(itsm_engine_new(&e, &o));
    assert_fails(e, itsm_engine_load(e), ITSM_EINVAL, "no scan");
    itsm_engine_free(e);
    assert_int_equal(itsm_engine_load(NULL), ITSM_EINVAL);
    free(b);
    fixture_close(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(random_run_replays_to_the_same_records),
        cmocka_unit_test(replaying_the_same_store_twice_is_harmless),
        cmocka_unit_test(a_gap_in_revisions_is_a_conflict),
        cmocka_unit_test(malformed_events_are_refused_with_a_position_and_change_nothing),
        cmocka_unit_test(events_over_the_json_limits_are_elimit),
        cmocka_unit_test(replay_takes_times_from_events_not_the_clock),
        cmocka_unit_test(event_json_is_stable_and_keeps_the_snprintf_contract),
        cmocka_unit_test(event_accessors_match_the_event),
        cmocka_unit_test(load_rebuilds_from_the_scan_and_reports_failures),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
