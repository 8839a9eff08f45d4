/* SPDX-License-Identifier: Apache-2.0 */
/* Test support: one scripted story of ~30 mutations of every kind (open
 * each record kind, update, transitions, work notes and customer updates,
 * links both ways, actor changes), split into steps of exactly one API
 * call each, so a failure-injection loop can fail any one call, check that
 * nothing changed, retry it and carry on.
 *
 * Every step is deterministic: the driver sets the clock with
 * scenario_clock() before each attempt, so a retried step produces the same
 * events as an unfailed run and the final state equals the reference. */
#ifndef ITSM_TEST_SCENARIO_H
#define ITSM_TEST_SCENARIO_H

#include "support.h"

typedef struct scenario {
    itsm_engine *eng;
    vclock      *clock;
    /* records the story opens; NULL until their open step succeeded */
    itsm_record *inc, *ext, *prb, *chg, *req, *kb;
} scenario;

typedef struct scenario_step {
    const char *name;
    int (*run)(scenario *s);   /* exactly one engine call; returns its code */
} scenario_step;

extern const scenario_step scenario_steps[];
extern const size_t scenario_nsteps;

/* Reset the record pointers and bind the story to an engine and clock. */
void scenario_init(scenario *s, itsm_engine *eng, vclock *clock);
/* The clock for step i (same for every attempt of that step). */
itsm_time scenario_clock(size_t step);
/* Set the clock and run step i once. */
int scenario_run_step(scenario *s, size_t step);

/* Run the whole story without failures on a fresh fixture-like engine
 * (default policy, memstore) and return the final engine dump. Caller frees. */
char *scenario_reference_dump(void);

/* An engine over `store` (may be NULL: memory only) and `clock`, with the
 * given allocator (may be NULL: libc) and policy (may be NULL). */
int scenario_engine_new(itsm_engine **out, memstore *store, vclock *clock,
                        const itsm_allocator *alloc, const itsm_policy *policy);

#endif
