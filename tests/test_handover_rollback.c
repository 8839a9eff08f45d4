/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A proposal that was rolled back (itsm_engine_rollback, or a group commit
 * the store did not keep): the caller's packet still says PROPOSED with its
 * number, and a later packet on the record may get that number. The stale
 * packet answers for no other packet - ownership never moves on a handover
 * nobody acknowledged - and it can be proposed again.
 */
#include "support.h"
#include "group_store.h"

#include <stdlib.h>
#include <string.h>

typedef struct gfix {
    gstore       store;
    vclock       clock;
    itsm_engine *eng;
} gfix;

static itsm_record *incident(gfix *g)
{
    memset(g, 0, sizeof *g);
    g->clock.now = T0;
    g->eng = gstore_engine(&g->store, &g->clock);
    itsm_change c[] = { { ITSM_F_SUMMARY, "mail down", 0 }, { ITSM_F_ASSIGNMENT_GROUP, "desk", 0 },
                        { ITSM_F_ASSIGNEE, "ann", 0 } };
    itsm_record_opts o = ITSM_RECORD_OPTS_INIT;
    o.id = "INC1";
    o.fields = c;
    o.nfields = 3;
    itsm_record *r;
    assert_ok(itsm_record_open(&r, g->eng, &o));
    return r;
}

static void gfix_close(gfix *g)
{
    itsm_engine_free(g->eng);
    for (size_t i = 0; i < g->store.n; i++)
        free(g->store.ev[i]);
    free(g->store.ev);
}

static itsm_packet *shift_to(itsm_record *r, const char *status, const char *receiver, const char *group)
{
    itsm_packet *p;
    assert_ok(itsm_packet_new(&p, r, ITSM_PACKET_SHIFT));
    assert_ok(itsm_packet_set_text(p, ITSM_PT_STATUS, status));
    assert_ok(itsm_packet_set_text(p, ITSM_PT_RECEIVER, receiver));
    assert_ok(itsm_packet_set_text(p, ITSM_PT_RECEIVER_GROUP, group));
    return p;
}

static itsm_record *find(itsm_engine *eng)
{
    itsm_record *r;
    assert_ok(itsm_record_find(&r, eng, "INC1"));
    return r;
}

/* A rolled back: B, proposed after it, gets A's number. Answering A must
 * not answer B - neither its acknowledgement (ownership would move to B's
 * group on a packet nobody took) nor its rejection. */
static void a_rolled_back_proposal_answers_for_no_other_packet(void **state)
{
    (void)state;
    gfix g;
    itsm_record *r = incident(&g);
    assert_ok(itsm_engine_begin(g.eng));
    itsm_packet *a = shift_to(r, "packet A", "bea", "day");
    assert_ok(itsm_packet_propose(a, g.eng));
    assert_ok(itsm_engine_rollback(g.eng));
    r = find(g.eng);
    assert_int_equal(itsm_engine_handover_count(g.eng), 0);
    assert_int_equal(itsm_packet_state_of(a), ITSM_PACKET_PROPOSED);   /* what the caller holds */

    itsm_packet *b = shift_to(r, "packet B", "bea", "night");
    assert_ok(itsm_packet_propose(b, g.eng));
    assert_int_equal(itsm_packet_seq(b), itsm_packet_seq(a));
    size_t stored = g.store.n;
    uint64_t rev = itsm_record_revision(r);
    assert_fails(g.eng, itsm_packet_acknowledge(a, g.eng, "bea"), ITSM_ENOTFOUND,
                 "the engine has no proposal for this packet: handover 1 of INC1 is another packet (this one's "
                 "proposal was rolled back or not kept by the store; propose it again)");
    assert_fails(g.eng, itsm_packet_reject(a, g.eng, "bea", "stale"), ITSM_ENOTFOUND, "is another packet");
    assert_int_equal(g.store.n, stored);
    assert_int_equal(itsm_record_revision(r), rev);
    assert_string_equal(itsm_record_str(r, ITSM_F_ASSIGNEE), "ann");
    assert_string_equal(itsm_record_str(r, ITSM_F_ASSIGNMENT_GROUP), "desk");
    itsm_packet *held;
    assert_ok(itsm_engine_handover_find(&held, g.eng, 1));
    assert_int_equal(itsm_packet_state_of(held), ITSM_PACKET_PROPOSED);
    assert_null(itsm_packet_decided_by(held));
    assert_int_equal(itsm_packet_state_of(a), ITSM_PACKET_PROPOSED);

    /* B itself is answered as before */
    assert_ok(itsm_packet_acknowledge(b, g.eng, "bea"));
    assert_string_equal(itsm_record_str(r, ITSM_F_ASSIGNMENT_GROUP), "night");
    itsm_packet_free(a);
    itsm_packet_free(b);
    gfix_close(&g);
}

/* The stale packet is proposed again (a new proposal, a new number) and
 * then answered; the engine's copy of a proposal it holds is not. */
static void a_rolled_back_proposal_can_be_proposed_again(void **state)
{
    (void)state;
    gfix g;
    itsm_record *r = incident(&g);
    assert_ok(itsm_engine_begin(g.eng));
    itsm_packet *a = shift_to(r, "packet A", "bea", "day");
    assert_ok(itsm_packet_propose(a, g.eng));
    assert_ok(itsm_packet_acknowledge(a, g.eng, "bea"));
    assert_ok(itsm_engine_rollback(g.eng));
    r = find(g.eng);
    assert_int_equal(itsm_packet_state_of(a), ITSM_PACKET_ACKNOWLEDGED);   /* the caller's copy was told */

    itsm_packet *b = shift_to(r, "packet B", "cid", "night");
    assert_ok(itsm_packet_propose(b, g.eng));
    g.clock.now += 60;
    assert_ok(itsm_packet_propose(a, g.eng));
    assert_int_equal(itsm_packet_state_of(a), ITSM_PACKET_PROPOSED);
    assert_int_equal(itsm_packet_seq(a), 2);
    assert_int_equal(itsm_packet_proposed_at(a), g.clock.now);
    assert_null(itsm_packet_decided_by(a));   /* the lost answer went with its proposal */
    assert_int_equal(itsm_packet_decided_at(a), ITSM_TIME_NONE);
    assert_fails(g.eng, itsm_packet_propose(a, g.eng), ITSM_ESTATE, "proposed already");
    itsm_packet *held;
    assert_ok(itsm_engine_handover_find(&held, g.eng, 2));
    assert_true(itsm_packet_equal(held, a));
    assert_fails(g.eng, itsm_packet_propose(held, g.eng), ITSM_ESTATE, "proposed already");
    assert_int_equal(itsm_engine_handover_count(g.eng), 2);

    assert_ok(itsm_packet_acknowledge(a, g.eng, "bea"));
    assert_string_equal(itsm_record_str(r, ITSM_F_ASSIGNMENT_GROUP), "day");
    assert_int_equal(itsm_packet_state_of(b), ITSM_PACKET_PROPOSED);
    assert_ok(itsm_packet_acknowledge(b, g.eng, "cid"));
    /* b was sent before a, which bea took over: its late answer is
     * received and moves nothing back (docs/handover.md) */
    assert_int_equal(itsm_packet_state_of(b), ITSM_PACKET_ACKNOWLEDGED);
    assert_string_equal(itsm_record_str(r, ITSM_F_ASSIGNEE), "bea");

    /* the store replays to the same proposals */
    itsm_engine *e2 = gstore_engine(&g.store, &g.clock);
    assert_ok(itsm_engine_load(e2));
    assert_int_equal(itsm_engine_handover_count(e2), 2);
    for (uint32_t i = 1; i <= 2; i++) {
        itsm_packet *x, *y;
        assert_ok(itsm_engine_handover_find(&x, g.eng, i));
        assert_ok(itsm_engine_handover_find(&y, e2, i));
        assert_true(itsm_packet_equal(x, y));
        assert_int_equal(itsm_packet_state_of(x), itsm_packet_state_of(y));
        assert_string_equal(itsm_packet_decided_by(x), itsm_packet_decided_by(y));
    }
    itsm_engine_free(e2);
    itsm_packet_free(a);
    itsm_packet_free(b);
    gfix_close(&g);
}

/* The same when the store does not keep the group at commit. */
static void a_proposal_the_store_did_not_keep_answers_for_no_other_packet(void **state)
{
    (void)state;
    gfix g;
    itsm_record *r = incident(&g);
    assert_ok(itsm_engine_begin(g.eng));
    itsm_packet *a = shift_to(r, "packet A", "bea", "day");
    assert_ok(itsm_packet_propose(a, g.eng));
    g.store.fail_commit = 1;
    assert_int_equal(itsm_engine_commit(g.eng), ITSM_ESTORE);
    g.store.fail_commit = 0;
    r = find(g.eng);
    assert_int_equal(itsm_engine_handover_count(g.eng), 0);

    itsm_packet *b = shift_to(r, "packet B", "zed", "zgroup");
    assert_ok(itsm_packet_propose(b, g.eng));
    assert_fails(g.eng, itsm_packet_acknowledge(a, g.eng, "bea"), ITSM_ENOTFOUND, "is another packet");
    assert_string_equal(itsm_record_str(r, ITSM_F_ASSIGNEE), "ann");
    assert_ok(itsm_packet_propose(a, g.eng));
    assert_ok(itsm_packet_acknowledge(a, g.eng, "bea"));
    assert_string_equal(itsm_record_str(r, ITSM_F_ASSIGNEE), "bea");
    assert_int_equal(itsm_packet_state_of(b), ITSM_PACKET_PROPOSED);
    itsm_packet_free(a);
    itsm_packet_free(b);
    gfix_close(&g);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_rolled_back_proposal_answers_for_no_other_packet),
        cmocka_unit_test(a_rolled_back_proposal_can_be_proposed_again),
        cmocka_unit_test(a_proposal_the_store_did_not_keep_answers_for_no_other_packet),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
