/* SPDX-License-Identifier: Apache-2.0 */
/* Replay of a long seeded random run (refusals included) rebuilds the engine
 * exactly: the same dump, whatever the steps (ITSM_TEST_SEED picks another
 * seed). */
#include "replay_check.h"

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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(random_run_replays_to_the_same_records),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
