/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libFuzzer target for event replay (itsm_engine_replay_json), see README.md.
 *
 * Each input goes to a fresh engine that already holds a few records
 * (INC-000001 assigned with a note and a link, PRB-000001, CHG-000001), so
 * well-formed events find something to change. The input is replayed whole,
 * then line by line (a store's events are one per line), so sequences of
 * events are explored too. For every call:
 *   - the code is one a malformed or out-of-order event may give: ITSM_OK,
 *     ITSM_EPARSE, ITSM_ELIMIT, ITSM_ENOTFOUND, ITSM_ECONFLICT, ITSM_ETAMPER
 *     (a "hash" that does not link) or ITSM_EPOLICY (a "pv" naming a
 *     policy version the engine does not know; never
 *     ITSM_ENOMEM: the allocator here does not fail);
 *   - a refusal leaves every record exactly as it was (a digest over every
 *     getter) and, when the error struct was filled, points inside the input;
 *   - after an accepted event every record is self-consistent: its id finds
 *     it, state and kind are known, links point at records that exist, the
 *     timeline is readable, and a live mutation still works.
 * Then the input's lines are loaded as a store into an empty engine that
 * keeps the hash chain (itsm/integrity.h): a store found tampered
 * (ITSM_ETAMPER) leaves it empty; one loaded gives every record a chain
 * head and the same records as replaying the lines without a chain.
 * Freeing an engine must give back every block (a counting allocator).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <itsm.h>
#include "../support/failalloc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                                                            \
    do {                                                                       \
        if (!(cond)) {                                                         \
            fprintf(stderr, "fuzz_event: check failed: %s (line %d)\n", #cond, \
                    __LINE__);                                                 \
            abort();                                                           \
        }                                                                      \
    } while (0)

static itsm_time fixed_clock(void *user)
{
    (void)user;
    return (itsm_time)1772442000;   /* 2026-03-02T09:00:00Z */
}

/* ---- the engine every input starts from ---- */

static itsm_record *open_rec(itsm_engine *eng, itsm_kind kind, const itsm_change *c, size_t n)
{
    itsm_record *r = NULL;
    itsm_record_opts o = ITSM_RECORD_OPTS_INIT;
    o.kind = kind;
    o.fields = c;
    o.nfields = n;
    CHECK(itsm_record_open(&r, eng, &o) == ITSM_OK);
    return r;
}

static itsm_engine *make_engine(failalloc *cnt)
{
    itsm_engine_opts o = ITSM_ENGINE_OPTS_INIT;
    o.clock = fixed_clock;
    o.alloc = failalloc_make(cnt);
    o.limits.max_document = 1 << 16;
    o.limits.max_string = 1 << 12;
    o.limits.max_depth = 16;
    itsm_engine *eng = NULL;
    CHECK(itsm_engine_new(&eng, &o) == ITSM_OK);
    CHECK(itsm_engine_set_actor(eng, "alice") == ITSM_OK);
    const itsm_change ci[] = { { ITSM_F_SUMMARY, "Mail down", 0 }, { ITSM_F_IMPACT, NULL, 2 },
                               { ITSM_F_URGENCY, NULL, 1 }, { ITSM_F_CALLER, "c.jones", 0 } };
    itsm_record *inc = open_rec(eng, ITSM_KIND_INCIDENT, ci, 4);
    const itsm_change cp[] = { { ITSM_F_SUMMARY, "Relay leaks", 0 } };
    itsm_record *prb = open_rec(eng, ITSM_KIND_PROBLEM, cp, 1);
    const itsm_change cc[] = { { ITSM_F_CHANGE_TYPE, "normal", 0 } };
    open_rec(eng, ITSM_KIND_CHANGE, cc, 1);
    const itsm_change g[] = { { ITSM_F_ASSIGNMENT_GROUP, "desk", 0 } };
    CHECK(itsm_record_fire(inc, "assign", g, 1) == ITSM_OK);
    itsm_note_opts n = ITSM_NOTE_OPTS_INIT;
    n.text = "Checked the queue";
    CHECK(itsm_record_add_note(inc, &n) == ITSM_OK);
    CHECK(itsm_record_link(inc, ITSM_LINK_RELATED, prb) == ITSM_OK);
    return eng;
}

/* ---- a digest of everything the getters show ---- */

static uint64_t mix(uint64_t h, const void *p, size_t n)
{
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++) {
        h ^= b[i];
        h *= 1099511628211ull;
    }
    return h;
}

static uint64_t mix_str(uint64_t h, const char *s)
{
    return s ? mix(h, s, strlen(s) + 1) : mix(h, "\xff", 1);
}

static uint64_t mix_int(uint64_t h, int64_t v) { return mix(h, &v, sizeof v); }

static uint64_t digest(const itsm_engine *eng)
{
    uint64_t h = 1469598103934665603ull;
    size_t n = itsm_engine_record_count(eng);
    h = mix_int(h, (int64_t)n);
    for (size_t i = 0; i < n; i++) {
        itsm_record *r = NULL;
        CHECK(itsm_engine_record_at(&r, eng, i) == ITSM_OK);
        h = mix_str(h, itsm_record_id(r));
        h = mix_str(h, itsm_record_state(r));
        h = mix_int(h, itsm_record_kind(r));
        h = mix_int(h, (int64_t)itsm_record_revision(r));
        for (int f = 0; f < ITSM_F__COUNT; f++) {
            h = mix_str(h, itsm_record_str(r, (itsm_field)f));
            h = mix_int(h, itsm_record_int(r, (itsm_field)f));
        }
        for (size_t t = 0; t < itsm_record_timeline_count(r); t++) {
            itsm_timeline_entry e = { .size = sizeof e };
            CHECK(itsm_record_timeline_at(r, t, &e) == ITSM_OK);
            h = mix_int(h, e.kind);
            h = mix_int(h, e.at);
            h = mix_str(h, e.author);
            h = mix_str(h, e.text);
            h = mix_int(h, e.expected_restoration);
            h = mix_int(h, e.next_update);
        }
        for (size_t l = 0; l < itsm_record_link_count(r); l++) {
            itsm_link k = { .size = sizeof k };
            CHECK(itsm_record_link_at(r, l, &k) == ITSM_OK);
            h = mix_int(h, k.kind);
            h = mix_int(h, k.target_kind);
            h = mix_str(h, k.target_id);
        }
        /* a post-incident review (itsm/review.h) */
        itsm_review_info ri = { .size = sizeof ri };
        if (itsm_record_review(&ri, r) == ITSM_OK) {
            h = mix_int(h, ri.opened_at);
            h = mix_int(h, ri.complete);
            h = mix_int(h, (int64_t)ri.causes);
            h = mix_int(h, (int64_t)ri.open_actions);
            h = mix_int(h, (int64_t)ri.unowned_actions);
            h = mix_int(h, (int64_t)ri.overdue_actions);
            for (size_t k = 0; k < ri.actions; k++) {
                itsm_review_action a = { .size = sizeof a };
                CHECK(itsm_review_action_at(&a, r, k) == ITSM_OK);
                h = mix_str(h, a.id);
                h = mix_str(h, a.owner);
                h = mix_int(h, a.due);
                h = mix_int(h, a.done);
                h = mix_int(h, a.overdue);
            }
        }
    }
    return h;
}

/* ---- self-consistency after an accepted event ---- */

static int id_ok(const char *id)
{
    size_t n = strlen(id);
    if (n == 0 || n > 64)
        return 0;
    for (size_t i = 0; i < n; i++) {
        char c = id[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
              c == '_' || c == '.' || c == ':'))
            return 0;
    }
    return 1;
}

static void check_consistent(itsm_engine *eng)
{
    size_t n = itsm_engine_record_count(eng);
    for (size_t i = 0; i < n; i++) {
        itsm_record *r = NULL, *again = NULL;
        CHECK(itsm_engine_record_at(&r, eng, i) == ITSM_OK);
        const char *id = itsm_record_id(r);
        CHECK(id && id_ok(id));
        CHECK(itsm_record_find(&again, eng, id) == ITSM_OK && again == r);
        CHECK(itsm_kind_name(itsm_record_kind(r)) != NULL);
        CHECK(itsm_record_state(r) != NULL && *itsm_record_state(r));
        CHECK(itsm_record_revision(r) >= 1);
        CHECK(itsm_record_engine(r) == eng);
        for (int f = 0; f < ITSM_F__COUNT; f++) {
            itsm_field_type t = itsm_field_type_of((itsm_field)f);
            const char *s = itsm_record_str(r, (itsm_field)f);
            int64_t v = itsm_record_int(r, (itsm_field)f);
            if (t == ITSM_TYPE_TEXT || t == ITSM_TYPE_SYMBOL) {
                CHECK(itsm_record_has(r, (itsm_field)f) == (s != NULL));
                if (s && t == ITSM_TYPE_SYMBOL)
                    CHECK(*s && strlen(s) <= ITSM_MAX_SYMBOL);
            } else if (t == ITSM_TYPE_TIME) {
                CHECK(v == ITSM_TIME_NONE || (v >= ITSM_TIME_MIN && v <= ITSM_TIME_MAX));
            } else if (t == ITSM_TYPE_BOOL) {
                CHECK(v == 0 || v == 1);
            }
        }
        for (size_t k = 0; k < itsm_record_timeline_count(r); k++) {
            itsm_timeline_entry e = { .size = sizeof e };
            CHECK(itsm_record_timeline_at(r, k, &e) == ITSM_OK);
            CHECK(e.text != NULL && *e.text);
            CHECK(e.kind >= ITSM_NOTE_WORK && e.kind <= ITSM_NOTE_SYSTEM);
            CHECK(e.at >= ITSM_TIME_MIN && e.at <= ITSM_TIME_MAX);
        }
        for (size_t k = 0; k < itsm_record_link_count(r); k++) {
            itsm_link l = { .size = sizeof l };
            itsm_record *t = NULL;
            CHECK(itsm_record_link_at(r, k, &l) == ITSM_OK);
            CHECK(l.kind >= ITSM_LINK_RELATED && l.kind <= ITSM_LINK_CHILD);
            CHECK(itsm_record_find(&t, eng, l.target_id) == ITSM_OK);
            CHECK(t != r && itsm_record_kind(t) == l.target_kind);
        }
    }
}

static void replay_one(itsm_engine *eng, const char *json, size_t len)
{
    uint64_t before = digest(eng);
    size_t nrec = itsm_engine_record_count(eng);
    itsm_parse_error err;
    memset(&err, 0, sizeof err);
    int rc = itsm_engine_replay_json(eng, json, len, &err);
    CHECK(rc == ITSM_OK || rc == ITSM_EPARSE || rc == ITSM_ELIMIT || rc == ITSM_ENOTFOUND ||
          rc == ITSM_ECONFLICT || rc == ITSM_ETAMPER || rc == ITSM_EPOLICY);
    if (rc != ITSM_OK) {
        CHECK(itsm_errcode(eng) == rc);
        CHECK(*itsm_errmsg(eng));
        CHECK(digest(eng) == before);
        CHECK(itsm_engine_record_count(eng) == nrec);
        if (err.line) {
            CHECK(err.column >= 1 && err.offset <= len);
            CHECK(memchr(err.text, '\0', sizeof err.text) != NULL);
        }
        return;
    }
    CHECK(itsm_engine_record_count(eng) >= nrec);
    check_consistent(eng);
    /* The same event again is skipped: nothing changes. */
    uint64_t after = digest(eng);
    CHECK(itsm_engine_replay_json(eng, json, len, NULL) == ITSM_OK);
    CHECK(digest(eng) == after);
}

/* ---- the input's lines as a store, loaded into an empty engine ---- */

/* A store whose scan gives the input's lines (so the engine keeps and
 * verifies the hash chain) and whose append keeps nothing. */
typedef struct lines {
    const char *text;
    size_t      size;
} lines;

static int lines_append(void *user, const itsm_event *const *evs, size_t n)
{
    (void)user;
    (void)evs;
    (void)n;
    return ITSM_OK;
}

static int lines_scan(void *user, itsm_store_emit_fn emit, void *ctx)
{
    const lines *l = user;
    for (size_t start = 0, i = 0; i <= l->size; i++)
        if (i == l->size || l->text[i] == '\n') {
            if (i > start) {
                int rc = emit(ctx, l->text + start, i - start);
                if (rc)
                    return rc;
            }
            start = i + 1;
        }
    return ITSM_OK;
}

static const itsm_store lines_store = { ITSM_STORE_VERSION, lines_append, lines_scan, NULL, NULL, NULL };

/* Loading verifies the store: the chain and each record's sequence. Found
 * tampered, the engine is empty again; loaded, every record's head is
 * known, and the records are the ones replaying the lines without a chain
 * gives (the chain changes nothing of them). */
static void load_as_store(const char *text, size_t size)
{
    failalloc cnt = { 0 };
    lines l = { text, size };
    itsm_engine_opts o = ITSM_ENGINE_OPTS_INIT;
    o.clock = fixed_clock;
    o.alloc = failalloc_make(&cnt);
    o.limits.max_document = 1 << 16;
    o.limits.max_string = 1 << 12;
    o.limits.max_depth = 16;
    o.store = &lines_store;
    o.store_user = &l;
    itsm_engine *eng = NULL, *plain = NULL;
    CHECK(itsm_engine_new(&eng, &o) == ITSM_OK);
    int rc = itsm_engine_load(eng);
    CHECK(rc == ITSM_OK || rc == ITSM_EPARSE || rc == ITSM_ELIMIT || rc == ITSM_ENOTFOUND ||
          rc == ITSM_ECONFLICT || rc == ITSM_ETAMPER || rc == ITSM_EPOLICY);
    if (rc == ITSM_ETAMPER) {
        CHECK(itsm_errcode(eng) == ITSM_ETAMPER);
        CHECK(strstr(itsm_errmsg(eng), "record ") && strstr(itsm_errmsg(eng), " revision "));
        CHECK(itsm_engine_record_count(eng) == 0);
    } else if (rc == ITSM_OK) {
        check_consistent(eng);
        o.store = NULL;
        o.store_user = NULL;
        CHECK(itsm_engine_new(&plain, &o) == ITSM_OK);
        for (size_t start = 0, i = 0; i <= size; i++)
            if (i == size || text[i] == '\n') {
                if (i > start)
                    CHECK(itsm_engine_replay_json(plain, text + start, i - start, NULL) == ITSM_OK);
                start = i + 1;
            }
        CHECK(digest(plain) == digest(eng));
        for (size_t i = 0; i < itsm_engine_record_count(eng); i++) {
            itsm_record *r = NULL;
            char hex[65];
            CHECK(itsm_engine_record_at(&r, eng, i) == ITSM_OK);
            CHECK(itsm_record_chain_head(r, hex) == ITSM_OK && strlen(hex) == 64);
        }
        size_t len = 0;
        CHECK(itsm_engine_audit_to_json(eng, NULL, 0, &len) == ITSM_ELIMIT && len > 0);
        itsm_engine_free(plain);
    }
    itsm_engine_free(eng);
    CHECK(cnt.live == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    failalloc cnt = { 0 };
    itsm_engine *eng = make_engine(&cnt);
    const char *text = size ? (const char *)data : "";

    replay_one(eng, text, size);
    if (memchr(text, '\n', size)) {
        size_t start = 0;
        for (size_t i = 0; i <= size; i++) {
            if (i == size || text[i] == '\n') {
                replay_one(eng, text + start, i - start);
                start = i + 1;
            }
        }
    }
    /* The engine still takes live changes after whatever was replayed. */
    itsm_record *r = NULL;
    if (itsm_record_find(&r, eng, "INC-000001") == ITSM_OK && itsm_record_is_open(r)) {
        uint64_t rev = itsm_record_revision(r);
        /* A replayed event may be stamped after the fixed clock: record time
         * only moves forward, so the change is then refused, untouched. */
        int st = itsm_record_set_str(r, ITSM_F_CAUSE, "fuzz");
        CHECK(st == ITSM_OK || st == ITSM_ECLOCK);
        CHECK(itsm_record_revision(r) == rev + (st == ITSM_OK));
    }
    itsm_engine_free(eng);
    CHECK(cnt.live == 0);
    load_as_store(text, size);
    return 0;
}
