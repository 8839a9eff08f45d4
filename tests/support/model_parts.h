/* SPDX-License-Identifier: Apache-2.0 */
/* The reference model's pieces shared between its files (model.h is what
 * its users see):
 *   model.c            the steps: open, update, fire, link, and what every
 *                      step does (priority, counters, revision, the major
 *                      proposal, the recurrence push)
 *   model_lifecycle.c  the default lifecycles: states, guards, a
 *                      transition's stamps and clears
 *   model_clock.c      the service-level clocks: working time, the timers,
 *                      the tick
 * Test support only, not part of the library. */
#ifndef ITSM_TEST_MODEL_PARTS_H
#define ITSM_TEST_MODEL_PARTS_H

#include <string.h>

#include "model.h"

/* ---- the lifecycles (model_lifecycle.c) ---- */

typedef struct mtrans {
    const char *from;      /* a state, "a,b,c", or "*" (any open state) */
    const char *event;
    const char *to;
    const char *guard;     /* docs' notation: "a b", "a|b", "f=v", "link:change" */
    const char *effects;   /* "responded_at?", "resolved_at", "closed_at", "clear", "reopen" */
} mtrans;

/* Is `word` one of the space- or comma-separated words of `list`? */
int model__in_list(const char *list, const char *word);
/* The transition `event` takes from the record's state (NULL: none). */
const mtrans *model__find_transition(const model *m, int rec, const char *event);
/* Does the record `r` (rec's values, perhaps with a step's changes) pass `guard`? */
int model__guard_ok(const model *m, int rec, const model_rec *r, const char *guard);
/* Every way into the record's state needs an assignee (seed 003: it keeps
 * its owner there; an update may not clear it). */
int model__state_needs_owner(const model *m, int rec);
/* Apply transition `t` (the changes are in `r` already). */
void model__take(model *m, int rec, const mtrans *t, const model_rec *before, int caller_hold, itsm_time at);

/* The default stop states: where the incident and request lifecycles
 * stamp resolved_at. */
static inline int model__in_stop_state(const model *m, int rec)
{
    return !strcmp(model_state(m, rec), "resolved") || !strcmp(model_state(m, rec), "fulfilled");
}

/* ---- the clocks (model_clock.c) ---- */

/* After a step at `now`: every timer follows the record's state. */
void model__timers_follow(model *m, int rec, itsm_time now);

/* ---- the steps (model.c) ---- */

void model__emit(model_events *out, const char *type, int rec, const char *name);

static inline int model__priority_of(const model_rec *r)
{
    return r->f[ITSM_F_PRIORITY].set ? (int)r->f[ITSM_F_PRIORITY].num : 0;
}

#endif
