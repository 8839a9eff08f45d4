/* SPDX-License-Identifier: Apache-2.0 */
/* A small reference model of the default policy, written from the
 * documents alone (docs/DESIGN.md, docs/lifecycles.md, docs/policy.md,
 * docs/service-levels.md) and not from the library's code: the five
 * default lifecycles (states, guards, stamps, clears), the priority matrix,
 * the counters (reassignments under the "group" rule, reopens), the major
 * proposal at priority 1, and the service-level clocks of incidents and
 * service requests (response, resolution and next update on the 24x7 and
 * business calendars, the awaiting_customer pause, the resolved stop
 * state, warnings at 75%, breaches that climb the ladder, auto-close after
 * three days, the recurrence push: a problem proposed once per cluster of
 * three incidents on a service and category within 30 days).
 * tests/test_model.c drives it and the library side by side.
 *
 * Only the public API's types and names are shared with the library. */
#ifndef ITSM_TEST_MODEL_H
#define ITSM_TEST_MODEL_H

#include <stddef.h>
#include <stdint.h>
#include <itsm.h>

#define MODEL_MAX_RECS 10
#define MODEL_MAX_EVENTS 64
#define MODEL_MAX_LINKS 16

/* What the engine's sink should see: type, record index, name (the
 * transition's event, the timer's name, or NULL). */
typedef struct model_event {
    const char *type;
    int         rec;
    const char *name;
} model_event;

typedef struct model_events {
    model_event ev[MODEL_MAX_EVENTS];
    size_t      n;
} model_events;

typedef struct model_value {
    int         set;
    const char *str;     /* text and symbols (pointers to the caller's strings) */
    int64_t     num;     /* int, bool, time */
} model_value;

enum { MT_RESPONSE, MT_RESOLUTION, MT_NEXT_UPDATE, MT__COUNT };

typedef struct model_timer {
    int       on;          /* started (a target applies) */
    int       stopped;
    int       paused;
    int64_t   elapsed;     /* working seconds up to `mark` */
    itsm_time mark;
    uint32_t  target;
    int       business;    /* calendar: 0 24x7, 1 business (Mon-Fri 09-17 UTC) */
    int       breach_fired, warned;
    int       late;        /* stopped past its target: the verdict of the stop (-1: none taken) */
    itsm_time start;       /* next update: counted from here */
} model_timer;

typedef struct model_rec {
    char        id[16];
    itsm_kind   kind;
    int         state;                 /* index in the kind's state table */
    model_value f[ITSM_F__COUNT];
    uint64_t    rev;
    int         links[MODEL_MAX_LINKS]; /* related records (indices) */
    size_t      nlinks;
    int         major_proposed;
    model_timer t[MT__COUNT];
    itsm_time   stop_at;               /* entered the stop state (auto-close counts from here) */
    itsm_time   nu_from;               /* left a stop state after a response (a reopen), 0: never:
                                          the next update counts from here, not the response */
    int         auto_close_done;       /* fired or blocked */
    int         in_proposal;           /* in a cluster a problem was proposed for */
} model_rec;

typedef struct model {
    model_rec   r[MODEL_MAX_RECS];
    size_t      n;
    itsm_time   now;
} model;

void model_init(model *m, itsm_time now);

/* A deliberate departure from the documents, to show that a disagreement
 * is found, shrunk and printed as a script the runner fails on
 * (test_model): MODEL_MUTANT_PRIORITY gives impact 1 with urgency 2
 * priority 3, where the matrix says 2. 0, the default: none. */
enum { MODEL_MUTANT_NONE = 0, MODEL_MUTANT_PRIORITY = 1 };
extern int model_mutant;

/* Each call returns the code the library should return and fills `out`
 * with the events it should emit (nothing on failure). */
int model_open(model *m, itsm_kind kind, const char *id, const itsm_change *ch, size_t n, model_events *out);
int model_update(model *m, int rec, const itsm_change *ch, size_t n, model_events *out);
int model_fire(model *m, int rec, const char *event, const itsm_change *ch, size_t n, model_events *out);
int model_link(model *m, int a, int b, model_events *out);
int model_tick(model *m, itsm_time now, model_events *out);

/* The state's name, and the timer as the library reports it at `now`. */
const char *model_state(const model *m, int rec);
int         model_is_open(const model *m, int rec);
void        model_timer_at(const model *m, int rec, int timer, itsm_time now, itsm_timer_info *out);

/* For the generator: the events of a kind's lifecycle (NULL-terminated),
 * and the guard of the step `event` would take now (NULL: none). */
const char *const *model_events_of(itsm_kind kind);
const char *model_guard(const model *m, int rec, const char *event);

#endif
