/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libFuzzer target for whole API sequences, see README.md.
 *
 * fuzz-build: -Itools/scenario tools/scenario/state.c
 * fuzz-build: tests/fuzz/api_engines.c tests/fuzz/api_decode.c tests/fuzz/api_calls.c
 *
 * Each input decodes to a sequence of public calls over every record kind:
 * opening with odd field values, updates, valid and unknown transition
 * names, notes, links, the clock moving forwards and backwards, ticks,
 * escalation, major incidents and their post-incident reviews, outages,
 * problems and changes, handover packets (built, proposed, acknowledged,
 * rejected), service-level overrides, the actor, request fulfilment
 * (catalogue items and tasks), approvals, risk answers, change plans
 * against a blackout, problem proposals accepted and dismissed, survey
 * answers, on-call pages, acknowledgements and alerts, read-only queries
 * (reports with filters and groups, the change schedule, agreements) -
 * and one-shot failures of an allocation or of the store append.
 *
 * The engines run a policy with something for each of those: the default
 * one with a service catalogue, every closed record in the survey sample,
 * a change freeze, a contract agreement and an escalation policy with an
 * alert grouping window (fuzz_policy below).
 *
 * Three engines see the same calls, all on one virtual clock:
 *   A  the engine under test: its allocator and store fail when told to;
 *   B  a twin that never fails: it shows what every call should have done;
 *   S  a shadow that only replays A's store (on a store of its own that
 *      stays empty, so it keeps and checks the hash chain).
 * After every call:
 *   - a call that failed (any error) left A exactly as it was: A still
 *     equals B, which has not made the call yet, and A's store grew by
 *     nothing (a tick may have fired earlier timers: they are stored);
 *   - an injected fault gives ITSM_ENOMEM (allocation) or the store's own
 *     code (ITSM_ESTORE for anything else); A then retries the call;
 *   - a call without an injected fault returns in A what it returns in B;
 *   - A equals B (a call that succeeded despite a fault delivered
 *     everything), A's store holds the same events as B's, byte for byte;
 *   - S, after replaying A's new events, equals A.
 * "Equal" is the text of everything the public getters show (state.h),
 * plus the caller's packets. Freeing the engines gives back every block.
 *
 * This file is the run and the checks after every call; the engines, the
 * decoder and the calls are in the files fuzz_api.h names.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <itsm.h>

#include "fuzz_api.h"
#include "state.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int g_op;
static int g_trace = -1;   /* FUZZ_API_TRACE=1: print every call */

static int known_code(int rc)
{
    return rc <= 0 && strcmp(itsm_errname(rc), "ITSM_EUNKNOWN") != 0;
}

/* ---- the run ---- */

static void replay_new(side *shadow, const mstore *st, size_t *done)
{
    for (; *done < st->n; (*done)++) {
        itsm_parse_error err;
        int rc = itsm_engine_replay_json(shadow->eng, st->ev[*done], st->len[*done], &err);
        if (rc != ITSM_OK) {
            fprintf(stderr, "fuzz_api: replay of stored event %zu failed: %s (%s)\n%s\n", *done, itsm_errname(rc),
                    itsm_errmsg(shadow->eng), st->ev[*done]);
            abort();
        }
    }
}

static void same_store(const mstore *a, const mstore *b)
{
    CHECK(a->n == b->n);
    for (size_t i = 0; i < a->n; i++) {
        if (a->len[i] != b->len[i] || memcmp(a->ev[i], b->ev[i], a->len[i]) != 0) {
            fprintf(stderr, "fuzz_api: stored event %zu differs\nA: %s\nB: %s\n", i, a->ev[i], b->ev[i]);
            abort();
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    api_decode_init();
    if (g_trace < 0)
        g_trace = getenv("FUZZ_API_TRACE") != NULL;
    if (!g_policy)
        g_policy = fuzz_policy();   /* kept for the process's life */
    g_now = T_START;
    side A, B, S;
    side_open(&A, 1);
    side_open(&B, 1);
    side_open(&S, 1);   /* a store that gives events back: S keeps the chain too */
    size_t replayed = 0;
    input in = { data, size };
    long arm_alloc = 0;
    int arm_store = 0;

    for (int ops = 0; in.n && ops < MAX_OPS; ops++) {
        call c;
        api_decode(&in, &c);
        g_op = c.op;
        if (c.op == OP_CLOCK) {
            g_now += c.num;
            if (g_now < ITSM_TIME_MIN)
                g_now = ITSM_TIME_MIN;
            continue;
        }
        if (c.op == OP_FAIL_ALLOC) {
            arm_alloc = (long)c.num;
            continue;
        }
        if (c.op == OP_FAIL_STORE) {
            arm_store = (int)c.num;
            continue;
        }
        size_t stored = A.st.n;
        A.fa.failed = 0;
        A.st.failed = 0;
        A.fa.fail_at = arm_alloc ? A.fa.calls + arm_alloc : 0;
        A.st.fail_code = arm_store;
        int store_code = arm_store;
        arm_alloc = 0;
        arm_store = 0;

        size_t fired_a = 0, fired_b = 0;
        int rca = api_do_call(&A, &c, &fired_a);
        /* A's message as the call left it: the state reads below are calls
         * too (a getter's "none" keeps it, but a failing index read sets
         * its own). */
        char amsg[512];
        int acode = itsm_errcode(A.eng);
        snprintf(amsg, sizeof amsg, "%s", itsm_errmsg(A.eng));
        int injected = A.fa.failed || A.st.failed;
        A.fa.fail_at = 0;
        A.st.fail_code = 0;
        CHECK(known_code(rca));
        if (rca != ITSM_OK) {
            if (A.fa.failed)
                CHECK(rca == ITSM_ENOMEM);
            else if (A.st.failed)
                CHECK(rca == (store_code == ITSM_ECONFLICT || store_code == ITSM_EUSER ? store_code : ITSM_ESTORE));
            if (c.op == OP_TICK) {
                /* Timers fired before the failure are kept; the failed one is not. */
                replay_new(&S, &A.st, &replayed);
                char *x = side_state(&A, 0), *y = side_state(&S, 0);
                CHECK(strcmp(x, y) == 0);
                free(x);
                free(y);
            } else {
                CHECK(A.st.n == stored);
                same_state(&A, &B, "a failed call changed the engine");
            }
        }
        int rcb = api_do_call(&B, &c, &fired_b);
        CHECK(!B.fa.failed && !B.st.failed);
        if (rca != ITSM_OK && injected) {
            size_t more = 0;
            rca = api_do_call(&A, &c, &more);   /* the retry, with nothing failing */
            acode = itsm_errcode(A.eng);
            snprintf(amsg, sizeof amsg, "%s", itsm_errmsg(A.eng));
            fired_a += more;
        }
        if (g_trace)
            fprintf(stderr, "op %d sub %d ra %u rb %u kind %d s1=%.20s s2=%.20s: A %s (%s) B %s (%s)%s\n", c.op,
                    c.sub, c.ra, c.rb, c.kind, c.s1 ? c.s1 : "-", c.s2 ? c.s2 : "-", itsm_errname(rca),
                    amsg, itsm_errname(rcb), itsm_errmsg(B.eng), injected ? " [injected]" : "");
        if (rca != rcb) {
            fprintf(stderr, "fuzz_api: op %d: A %s (%s), B %s (%s)\n", c.op, itsm_errname(rca), amsg,
                    itsm_errname(rcb), itsm_errmsg(B.eng));
            abort();
        }
        /* The same message, when the call set one (a NULL handle cannot). */
        if (rca != ITSM_OK && acode == rca && itsm_errcode(B.eng) == rcb && strcmp(amsg, itsm_errmsg(B.eng)) != 0) {
            fprintf(stderr, "fuzz_api: op %d: A says \"%s\", B \"%s\"\n", c.op, amsg, itsm_errmsg(B.eng));
            abort();
        }
        CHECK(fired_a == fired_b);
        same_state(&A, &B, "the engine under test differs from its twin");
        same_store(&A.st, &B.st);
        replay_new(&S, &A.st, &replayed);
        char *x = side_state(&A, 0), *y = side_state(&S, 0);
        if (strcmp(x, y) != 0) {
            fprintf(stderr, "fuzz_api: the store's replay differs (op %d)\n--- live\n%s--- replayed\n%s", c.op, x, y);
            abort();
        }
        free(x);
        free(y);
    }
    /* FUZZ_API_STORE=FILE appends A's store to FILE (how make_corpus.sh
     * cuts event seeds from the API stories). */
    const char *keep = getenv("FUZZ_API_STORE");
    FILE *out = keep ? fopen(keep, "ab") : NULL;
    for (size_t i = 0; out && i < A.st.n; i++)
        fprintf(out, "%s\n", A.st.ev[i]);
    if (out)
        fclose(out);
    /* And literally: the whole store into a fresh engine. */
    side F;
    side_open(&F, 1);
    size_t none = 0;
    replay_new(&F, &A.st, &none);
    char *x = side_state(&A, 0), *y = side_state(&F, 0);
    CHECK(strcmp(x, y) == 0);
    free(x);
    free(y);
    side_close(&F);
    side_close(&A);
    side_close(&B);
    side_close(&S);
    return 0;
}
