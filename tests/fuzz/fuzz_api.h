/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The pieces of the fuzz_api target (README.md), shared between its files:
 *   fuzz_api.c     the run: three engines per input, the checks after every call
 *   api_engines.c  the engines: a failing allocator, a failing store, the
 *                  policies they run, their state as text
 *   api_decode.c   the input, byte by byte, into calls
 *   api_calls.c    one decoded call, made on one engine
 * api_seeds.py mirrors api_decode.c's tables: change both together.
 */
#ifndef ITSM_FUZZ_API_H
#define ITSM_FUZZ_API_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <itsm.h>

#define CHECK(cond)                                                                        \
    do {                                                                                   \
        if (!(cond)) {                                                                     \
            fprintf(stderr, "fuzz_api: check failed: %s (%s:%d, op %d)\n", #cond, __FILE__, \
                    __LINE__, g_op);                                                       \
            abort();                                                                       \
        }                                                                                  \
    } while (0)

extern int g_op;                 /* the current op's code, for messages */
extern itsm_time g_now;          /* the one virtual clock of every engine */
extern itsm_policy *g_policy;    /* fuzz_policy(), built once */

#define T_START ((itsm_time)1772442000)   /* 2026-03-02T09:00:00Z, a Monday */
#define NPK 4        /* caller-owned packets per engine */
#define MAX_OPS 96

/* ---- the engines (api_engines.c) ---- */

/* An allocator that counts, and fails one chosen call (tests/support). */
#include "../support/failalloc.h"

/* A store of JSON lines that fails one append when told to. */
typedef struct mstore {
    char  **ev;
    size_t *len;
    size_t  n, cap;
    int     fail_code;   /* fail the next append with this; 0: never */
    int     failed;
} mstore;

typedef struct side {
    itsm_engine *eng;
    failalloc    fa;
    mstore       st;
    itsm_packet *pk[NPK];
} side;

/* The default policy, and: a catalogue of two items (tasks in two steps),
 * every closed record surveyed, a blackout the day after the start, an
 * agreement on priority 1-2 records, an on-call rota and an alert window. */
itsm_policy *fuzz_policy(void);
/* The policy versions a call may adopt: 0 is g_policy itself, 1 has
 * shorter targets, 2 longer ones and another agreement target. */
const itsm_policy *version_policy(int which);

void side_open(side *s, int with_store);
void side_close(side *s);
/* Everything the public getters show, plus the caller's packets if asked. */
char *side_state(side *s, int packets);
/* Aborts with both texts unless a and b show the same state. */
void same_state(side *a, side *b, const char *what);

/* ---- the input (api_decode.c) ---- */

typedef struct input { const uint8_t *p; size_t n; } input;

enum {
    OP_OPEN, OP_UPDATE, OP_FIRE, OP_NOTE, OP_LINK, OP_CLOCK, OP_TICK, OP_ESCALATE, OP_MAJOR,
    OP_OUTAGE, OP_PROBLEM, OP_PACKET, OP_SLA, OP_ACTOR, OP_SET, OP_QUERY, OP_FAIL_ALLOC,
    OP_FAIL_STORE, OP_FIRE2, OP_REQUEST, OP_APPROVAL, OP_RISK, OP_PLAN, OP_PROPOSAL, OP_SURVEY, OP_ONCALL,
    OP_ADOPT, OP__COUNT
};

/* A decoded call: everything both sides need, so they make the same one. */
typedef struct call {
    int           op, sub;
    unsigned      ra, rb;        /* record picks */
    int           kind;
    const char   *id, *s1, *s2, *s3;
    itsm_change   ch[6];
    size_t        nch;
    int64_t       num;
    itsm_time     t1, t2;
    const char   *groups[5];
    size_t        ngroups;
} call;

/* Fills the over-long values once, before the first decode. */
void api_decode_init(void);
/* The next call from the input (a short input reads as zeros). */
void api_decode(input *in, call *c);

/* ---- the calls (api_calls.c) ---- */

/* Makes the call on s; a tick adds the timers it fired to *fired. */
int api_do_call(side *s, const call *c, size_t *fired);

#endif
