/* SPDX-License-Identifier: Apache-2.0 */
/* Two engines on one store (two helpdesk nodes on one database). The store
 * checks revisions: a change built on a stale record is ITSM_ECONFLICT,
 * nothing is overwritten or stored, and the loser catches up by replaying
 * the store's new events, then retries. */
#include "support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct node {
    itsm_engine *eng;
    vclock       clock;
    size_t       seen;   /* store events replayed or written so far */
} node;

typedef struct cluster {
    memstore store;
    node     a, b;
} cluster;

static void node_open(node *n, memstore *store)
{
    n->clock.now = T0;
    n->seen = 0;
    n->eng = engine_over(store, &n->clock, NULL);
}

static void cluster_open(cluster *c)
{
    memstore_init(&c->store);
    assert_true(c->store.check_revisions);
    node_open(&c->a, &c->store);
    node_open(&c->b, &c->store);
}

static void cluster_close(cluster *c)
{
    itsm_engine_free(c->a.eng);
    itsm_engine_free(c->b.eng);
    memstore_free(&c->store);
}

/* Replay what the store got since this node last looked (its own events
 * included: they are skipped, as the engine already has them). */
static void catch_up(node *n, const memstore *s)
{
    for (size_t i = 0; i < s->npolicies; i++)   /* the policy versions the store holds (idempotent) */
        assert_int_equal(itsm_engine_replay_json(n->eng, s->policies[i], strlen(s->policies[i]), NULL), ITSM_OK);
    for (; n->seen < s->n; n->seen++) {
        itsm_parse_error err;
        int rc = itsm_engine_replay_json(n->eng, s->events[n->seen], strlen(s->events[n->seen]), &err);
        if (rc != ITSM_OK)
            fail_msg("catch up, event %zu: %s: %s\n%s", n->seen, itsm_errname(rc), itsm_errmsg(n->eng),
                     s->events[n->seen]);
    }
}

static itsm_record *find(node *n, const char *id)
{
    itsm_record *r;
    assert_ok(itsm_record_find(&r, n->eng, id));
    return r;
}

static itsm_record *open_rec(node *n, itsm_kind kind, const char *id)
{
    itsm_record *r;
    itsm_record_opts o = ITSM_RECORD_OPTS_INIT;
    o.kind = kind;
    o.id = id;
    assert_ok(itsm_record_open(&r, n->eng, &o));
    return r;
}

static int cmp_str(const void *x, const void *y)
{
    return strcmp(*(char *const *)x, *(char *const *)y);
}

/* engine_dump with its records sorted. Each node lists records in the
 * order it learned of them (its own opens first when it was behind): a
 * local view. The records themselves must be equal. Frees d. */
static char *sorted_dump(char *d)
{
    size_t len = strlen(d), n = 0;
    char **blocks = malloc((len + 1) * sizeof *blocks);
    const char *p = d;
    while (*p) {
        const char *q = p;
        do {   /* a record: its header line and the indented lines after it */
            const char *nl = strchr(q, '\n');
            q = nl ? nl + 1 : q + strlen(q);
        } while (*q == ' ');
        size_t k = (size_t)(q - p);
        blocks[n] = malloc(k + 1);
        memcpy(blocks[n], p, k);
        blocks[n][k] = '\0';
        n++;
        p = q;
    }
    qsort(blocks, n, sizeof *blocks, cmp_str);
    char *out = malloc(len + 1);
    out[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        strcat(out, blocks[i]);
        free(blocks[i]);
    }
    free(blocks);
    free(d);
    return out;
}

/* Both nodes, caught up, hold exactly what the store replays to. */
static void assert_converged(cluster *c)
{
    catch_up(&c->a, &c->store);
    catch_up(&c->b, &c->store);
    char *da = sorted_dump(engine_dump(c->a.eng)), *db = sorted_dump(engine_dump(c->b.eng));
    char *ds = sorted_dump(replay_dump(&c->store));
    assert_string_equal(da, ds);
    assert_string_equal(db, ds);
    free(da);
    free(db);
    free(ds);
}

static void stale_update_is_a_conflict_and_overwrites_nothing(void **state)
{
    (void)state;
    cluster c;
    cluster_open(&c);
    itsm_record *xa = open_rec(&c.a, ITSM_KIND_INCIDENT, NULL);
    catch_up(&c.b, &c.store);
    itsm_record *xb = find(&c.b, "INC-000001");

    /* A changes X first. */
    c.a.clock.now = T0 + 10;
    assert_ok(itsm_record_set_str(xa, ITSM_F_SUMMARY, "from A"));
    assert_int_equal(itsm_record_revision(xa), 2);

    /* B, still at revision 1, loses. */
    c.b.clock.now = T0 + 20;
    char *b_before = engine_dump(c.b.eng);
    size_t stored = c.store.n;
    assert_fails(c.b.eng, itsm_record_set_str(xb, ITSM_F_SUMMARY, "from B"), ITSM_ECONFLICT,
                 "another engine changed the record first");
    assert_non_null(strstr(itsm_errmsg(c.b.eng), "INC-000001"));
    char *b_after = engine_dump(c.b.eng);
    assert_string_equal(b_before, b_after);
    assert_int_equal(itsm_record_revision(xb), 1);
    assert_null(itsm_record_str(xb, ITSM_F_SUMMARY));
    assert_int_equal(c.store.n, stored);
    assert_null(strstr(c.store.events[c.store.n - 1], "from B"));

    /* B catches up and sees A's change; its retry succeeds on top. */
    catch_up(&c.b, &c.store);
    assert_int_equal(itsm_record_revision(xb), 2);
    assert_string_equal(itsm_record_str(xb, ITSM_F_SUMMARY), "from A");
    assert_ok(itsm_record_set_str(xb, ITSM_F_SUMMARY, "from B"));
    assert_int_equal(itsm_record_revision(xb), 3);

    /* Now A is the stale one. */
    assert_fails(c.a.eng, itsm_record_set_str(xa, ITSM_F_CAUSE, "A again"), ITSM_ECONFLICT, "another engine");
    catch_up(&c.a, &c.store);
    assert_string_equal(itsm_record_str(xa, ITSM_F_SUMMARY), "from B");
    /* A's clock is behind B's last event on the record: refused until it
     * reads a time at or after it. */
    assert_fails(c.a.eng, itsm_record_set_str(xa, ITSM_F_CAUSE, "A again"), ITSM_ECLOCK, "before the record's last event");
    c.a.clock.now = T0 + 20;
    assert_ok(itsm_record_set_str(xa, ITSM_F_CAUSE, "A again"));
    assert_converged(&c);
    free(b_before);
    free(b_after);
    cluster_close(&c);
}

/* Every kind of change is checked: transition, note, link. */
static void stale_transition_note_and_link_are_conflicts(void **state)
{
    (void)state;
    cluster c;
    cluster_open(&c);
    itsm_record *xa = open_rec(&c.a, ITSM_KIND_INCIDENT, NULL);
    open_rec(&c.a, ITSM_KIND_PROBLEM, NULL);
    catch_up(&c.b, &c.store);
    itsm_record *xb = find(&c.b, "INC-000001"), *pb = find(&c.b, "PRB-000001");
    itsm_change g = { ITSM_F_ASSIGNMENT_GROUP, "desk", 0 };
    assert_ok(itsm_record_fire(xa, "assign", &g, 1));

    char *before = engine_dump(c.b.eng);
    size_t stored = c.store.n;
    /* The same step on B: refused by the store. */
    assert_fails(c.b.eng, itsm_record_fire(xb, "assign", &g, 1), ITSM_ECONFLICT, "store append");
    itsm_note_opts n = ITSM_NOTE_OPTS_INIT;
    n.text = "B's note";
    assert_fails(c.b.eng, itsm_record_add_note(xb, &n), ITSM_ECONFLICT, "store append");
    /* A link touches both records; one stale side refuses the pair. */
    assert_fails(c.b.eng, itsm_record_link(pb, ITSM_LINK_RELATED, xb), ITSM_ECONFLICT, "store append");
    assert_int_equal(itsm_record_link_count(pb), 0);
    char *after = engine_dump(c.b.eng);
    assert_string_equal(before, after);
    assert_int_equal(c.store.n, stored);

    /* Caught up, B sees the record already assigned: its retry of the
     * same transition is now a lifecycle refusal, not a double step. */
    catch_up(&c.b, &c.store);
    assert_string_equal(itsm_record_state(xb), "assigned");
    assert_fails(c.b.eng, itsm_record_fire(xb, "assign", &g, 1), ITSM_ETRANSITION, "no transition 'assign'");
    assert_ok(itsm_record_add_note(xb, &n));
    assert_ok(itsm_record_link(pb, ITSM_LINK_RELATED, xb));
    assert_converged(&c);
    assert_int_equal(itsm_record_link_count(find(&c.a, "INC-000001")), 1);
    free(before);
    free(after);
    cluster_close(&c);
}

/* Two nodes open the same host-chosen id: the store refuses the second
 * open (the id is not unused any more), the loser gets ITSM_ECONFLICT and
 * no record; after catching up it has the winner's record, and opening it
 * again is ITSM_EEXISTS. */
static void opening_the_same_id_twice_is_a_conflict_for_the_second(void **state)
{
    (void)state;
    cluster c;
    cluster_open(&c);
    itsm_record_opts o = ITSM_RECORD_OPTS_INIT;
    itsm_change s = { ITSM_F_SUMMARY, "A's", 0 };
    o.id = "CALL-77";
    o.fields = &s;
    o.nfields = 1;
    itsm_record *ra, *rb = (itsm_record *)&c;
    assert_ok(itsm_record_open(&ra, c.a.eng, &o));
    s.str = "B's";
    size_t stored = c.store.n;
    assert_fails(c.b.eng, itsm_record_open(&rb, c.b.eng, &o), ITSM_ECONFLICT, "CALL-77");
    assert_non_null(strstr(itsm_errmsg(c.b.eng), "another engine opened a record with that id first"));
    assert_null(rb);
    assert_int_equal(itsm_engine_record_count(c.b.eng), 0);
    assert_int_equal(itsm_record_find(&rb, c.b.eng, "CALL-77"), ITSM_ENOTFOUND);
    assert_int_equal(c.store.n, stored);

    catch_up(&c.b, &c.store);
    rb = find(&c.b, "CALL-77");
    assert_string_equal(itsm_record_str(rb, ITSM_F_SUMMARY), "A's");
    assert_fails(c.b.eng, itsm_record_open(&rb, c.b.eng, &o), ITSM_EEXISTS, "already exists");
    /* Even with another kind the id stays taken. */
    o.kind = ITSM_KIND_CHANGE;
    assert_fails(c.b.eng, itsm_record_open(&rb, c.b.eng, &o), ITSM_EEXISTS, "already exists");
    assert_converged(&c);
    cluster_close(&c);
}

/* Generated ids collide the same way; after catching up the loser's
 * retry gets the next free id. */
static void generated_ids_conflict_then_move_on_after_catching_up(void **state)
{
    (void)state;
    cluster c;
    cluster_open(&c);
    itsm_record *ra = open_rec(&c.a, ITSM_KIND_INCIDENT, NULL), *rb = NULL;
    assert_string_equal(itsm_record_id(ra), "INC-000001");
    itsm_record_opts o = ITSM_RECORD_OPTS_INIT;
    assert_fails(c.b.eng, itsm_record_open(&rb, c.b.eng, &o), ITSM_ECONFLICT, "INC-000001");
    /* Not caught up: the same id again, the same refusal. */
    assert_int_equal(itsm_record_open(&rb, c.b.eng, &o), ITSM_ECONFLICT);
    catch_up(&c.b, &c.store);
    assert_ok(itsm_record_open(&rb, c.b.eng, &o));
    assert_string_equal(itsm_record_id(rb), "INC-000002");
    /* A, caught up, continues after B's. */
    catch_up(&c.a, &c.store);
    ra = open_rec(&c.a, ITSM_KIND_INCIDENT, NULL);
    assert_string_equal(itsm_record_id(ra), "INC-000003");
    assert_converged(&c);
    cluster_close(&c);
}

/* Changes to different records never conflict, in any interleaving. */
static void different_records_do_not_conflict(void **state)
{
    (void)state;
    cluster c;
    cluster_open(&c);
    itsm_record *x = open_rec(&c.a, ITSM_KIND_INCIDENT, "X");
    itsm_record *y = open_rec(&c.b, ITSM_KIND_INCIDENT, "Y");
    for (int i = 0; i < 20; i++) {
        char v[16];
        snprintf(v, sizeof v, "v%d", i);
        c.a.clock.now = c.b.clock.now = T0 + i;
        assert_ok(itsm_record_set_str(x, ITSM_F_SUMMARY, v));
        assert_ok(itsm_record_set_str(y, ITSM_F_SUMMARY, v));
    }
    assert_converged(&c);
    assert_int_equal(itsm_record_revision(find(&c.a, "Y")), 21);
    assert_int_equal(itsm_record_revision(find(&c.b, "X")), 21);
    cluster_close(&c);
}

/* Catching up replays only what is new; a node that applies another node's
 * events out of order (a gap) is told so and changes nothing. */
static void catching_up_out_of_order_is_refused(void **state)
{
    (void)state;
    cluster c;
    cluster_open(&c);
    itsm_record *xa = open_rec(&c.a, ITSM_KIND_INCIDENT, NULL);
    assert_ok(itsm_record_set_str(xa, ITSM_F_SUMMARY, "one"));
    assert_ok(itsm_record_set_str(xa, ITSM_F_SUMMARY, "two"));
    assert_ok(itsm_engine_replay_json(c.b.eng, c.store.events[0], strlen(c.store.events[0]), NULL));
    char *before = engine_dump(c.b.eng);
    itsm_parse_error err;
    assert_int_equal(itsm_engine_replay_json(c.b.eng, c.store.events[2], strlen(c.store.events[2]), &err),
                     ITSM_ECONFLICT);
    assert_int_equal(err.line, 1);
    assert_true(err.column > 1);
    char *after = engine_dump(c.b.eng);
    assert_string_equal(before, after);
    c.b.seen = 1;
    assert_converged(&c);
    free(before);
    free(after);
    cluster_close(&c);
}

/* A long interleaving: each node makes changes on a shared set of records,
 * retrying after catching up whenever it loses. The end state is one
 * history that both nodes and a fresh replay agree on. */
static void interleaved_nodes_converge_on_one_history(void **state)
{
    (void)state;
    cluster c;
    cluster_open(&c);
    static const char *const ids[] = { "R1", "R2", "R3" };
    for (int i = 0; i < 3; i++)
        open_rec(&c.a, ITSM_KIND_INCIDENT, ids[i]);
    catch_up(&c.b, &c.store);
    int conflicts = 0;
    uint64_t x = 88172645463325252ull;
    for (int step = 0; step < 300; step++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        node *n = (x & 1) ? &c.a : &c.b;
        itsm_record *r = find(n, ids[(x >> 1) % 3]);
        char v[32];
        snprintf(v, sizeof v, "%s step %d", n == &c.a ? "A" : "B", step);
        n->clock.now = T0 + step;
        int rc = itsm_record_set_str(r, ITSM_F_DESCRIPTION, v);
        if (rc == ITSM_ECONFLICT) {
            conflicts++;
            catch_up(n, &c.store);
            assert_ok(itsm_record_set_str(r, ITSM_F_DESCRIPTION, v));
        } else {
            assert_ok(rc);
        }
        if ((x >> 8) % 5 == 0)
            catch_up(n, &c.store);
    }
    assert_true(conflicts > 10);
    assert_converged(&c);
    /* 300 changes plus the opens, none lost. */
    uint64_t revs = 0;
    for (int i = 0; i < 3; i++)
        revs += itsm_record_revision(find(&c.a, ids[i]));
    assert_int_equal(revs, 303);
    cluster_close(&c);
}

/* Handovers proposed by two nodes on different records. Each node numbers
 * the proposals it knows; the events name a proposal by its record and the
 * proposing node's number, so the store replays, catching up succeeds, and
 * every view numbers its proposals 1, 2, ... without duplicates. */
static itsm_packet *propose(node *n, itsm_record *r, const char *receiver)
{
    itsm_packet *p;
    assert_ok(itsm_packet_new(&p, r, ITSM_PACKET_SHIFT));
    assert_ok(itsm_packet_set_text(p, ITSM_PT_RECEIVER, receiver));
    assert_ok(itsm_packet_propose(p, n->eng));
    return p;
}

/* A fresh engine (default policy) that replayed the whole store. */
static int engine_replay_store(itsm_engine **out, const memstore *s)
{
    int rc = itsm_engine_new(out, NULL);
    for (size_t i = 0; i < s->n && !rc; i++) {
        itsm_parse_error err;
        rc = itsm_engine_replay_json(*out, s->events[i], strlen(s->events[i]), &err);
        if (rc)
            print_message("replay, event %zu: %s: %s\n%s\n", i, itsm_errname(rc), itsm_errmsg(*out),
                          s->events[i]);
    }
    return rc;
}

static void assert_handovers(itsm_engine *eng, size_t n, const char *const *records)
{
    assert_int_equal(itsm_engine_handover_count(eng), n);
    for (size_t i = 0; i < n; i++) {
        itsm_packet *p, *q;
        assert_ok(itsm_engine_handover_at(&p, eng, i));
        assert_int_equal(itsm_packet_seq(p), i + 1);
        assert_string_equal(itsm_packet_record_id(p), records[i]);
        assert_ok(itsm_engine_handover_find(&q, eng, (uint32_t)(i + 1)));
        assert_ptr_equal(p, q);
    }
}

static void handovers_from_two_nodes_replay_and_stay_unique(void **state)
{
    (void)state;
    cluster c;
    cluster_open(&c);
    itsm_record *x = open_rec(&c.a, ITSM_KIND_INCIDENT, "X");
    itsm_record *y = open_rec(&c.b, ITSM_KIND_INCIDENT, "Y");
    itsm_packet *ax1 = propose(&c.a, x, "bob");   /* A's 1 */
    itsm_packet *ax2 = propose(&c.a, x, "bob");   /* A's 2 */
    itsm_packet *by1 = propose(&c.b, y, "amy");   /* B's 1: after A's 2 in the store */
    assert_int_equal(itsm_packet_seq(ax1), 1);
    assert_int_equal(itsm_packet_seq(ax2), 2);
    assert_int_equal(itsm_packet_seq(by1), 1);
    /* the store replays: three proposals, numbered in store order */
    itsm_engine *fresh;
    assert_ok(engine_replay_store(&fresh, &c.store));
    static const char *const store_order[] = { "X", "X", "Y" };
    assert_handovers(fresh, 3, store_order);
    itsm_engine_free(fresh);
    /* each node catches up; B numbers A's proposals after its own */
    catch_up(&c.a, &c.store);
    catch_up(&c.b, &c.store);
    assert_handovers(c.a.eng, 3, store_order);
    static const char *const b_order[] = { "Y", "X", "X" };
    assert_handovers(c.b.eng, 3, b_order);
    /* answers cross nodes: B acknowledges A's second, A acknowledges B's */
    itsm_packet *bx2;
    assert_ok(itsm_engine_handover_find(&bx2, c.b.eng, 3));
    assert_ok(itsm_packet_acknowledge(bx2, c.b.eng, "bob"));
    assert_ok(itsm_packet_acknowledge(by1, c.a.eng, "amy"));
    /* a fresh proposal on each node, then everyone replays everything */
    /* (each node's 4: the same number on different records) */
    itsm_packet *ax3 = propose(&c.a, find(&c.a, "Y"), "cid");
    (void)ax3;
    itsm_packet *by2 = propose(&c.b, find(&c.b, "X"), "dan");
    (void)by2;
    assert_converged(&c);
    assert_ok(engine_replay_store(&fresh, &c.store));
    assert_int_equal(itsm_engine_handover_count(fresh), 5);
    for (uint32_t i = 1; i <= 5; i++) {
        itsm_packet *p;
        assert_ok(itsm_engine_handover_find(&p, fresh, i));
        assert_int_equal(itsm_packet_seq(p), i);
    }
    itsm_packet *p;
    assert_ok(itsm_engine_handover_find(&p, fresh, 2));   /* A's 2, acknowledged by B */
    assert_int_equal(itsm_packet_state_of(p), ITSM_PACKET_ACKNOWLEDGED);
    assert_ok(itsm_engine_handover_find(&p, fresh, 3));   /* B's 1, acknowledged by A */
    assert_int_equal(itsm_packet_state_of(p), ITSM_PACKET_ACKNOWLEDGED);
    assert_string_equal(itsm_packet_decided_by(p), "amy");
    assert_ok(itsm_engine_handover_find(&p, fresh, 1));
    assert_int_equal(itsm_packet_state_of(p), ITSM_PACKET_PROPOSED);
    itsm_engine_free(fresh);
    itsm_packet_free(ax1);
    itsm_packet_free(ax2);
    itsm_packet_free(by1);
    itsm_packet_free(ax3);
    itsm_packet_free(by2);
    cluster_close(&c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(stale_update_is_a_conflict_and_overwrites_nothing),
        cmocka_unit_test(stale_transition_note_and_link_are_conflicts),
        cmocka_unit_test(opening_the_same_id_twice_is_a_conflict_for_the_second),
        cmocka_unit_test(generated_ids_conflict_then_move_on_after_catching_up),
        cmocka_unit_test(different_records_do_not_conflict),
        cmocka_unit_test(catching_up_out_of_order_is_refused),
        cmocka_unit_test(interleaved_nodes_converge_on_one_history),
        cmocka_unit_test(handovers_from_two_nodes_replay_and_stay_unique),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
