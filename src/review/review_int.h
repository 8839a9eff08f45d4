/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Internal: the post-incident review capability (itsm/review.h).
 *
 * No policy section. Engine state (eng->cap[ITSM__CAP_REVIEW]): the
 * reviews, found by major incident through the kit's pointer map (few
 * records have one), and the engine-wide counts of their actions. A
 * review is the payload of its review_opened event: applying the event
 * hands it to the map; causes and actions are appended to it in room
 * reserved before the step applies.
 *
 * The overdue timers live in the service-level deadline queue (sla/), as
 * every other timer of a record does: the queue asks itsm__review_next_due
 * for the record's earliest open action, and the tick builds its event
 * with itsm__review_fire.
 */
#ifndef ITSM_SRC_REVIEW_INT_H
#define ITSM_SRC_REVIEW_INT_H

#include "core/core.h"
#include "capabilities.h"
#include "itsm/review.h"
#include "kit/ptrmap.h"

typedef struct itsm__rv_cause {
    char        *text;        /* owned */
    const char  *by;          /* interned; NULL: no actor */
    itsm_time    at;
} itsm__rv_cause;

typedef struct itsm__rv_action {
    const char  *id;          /* interned */
    char        *text;        /* owned */
    const char  *owner;       /* interned; NULL: nobody yet */
    itsm_time    due;
    itsm_time    added_at, done_at;
    const char  *added_by, *done_by;   /* interned; NULL: no actor */
    char        *note;        /* owned; NULL: none */
    uint8_t      done;
    uint8_t      overdue;     /* its overdue event applied */
} itsm__rv_action;

typedef struct itsm__review {
    const itsm_record *rec;   /* the key (kit/ptrmap.h): the major incident */
    itsm_time    opened_at, completed_at;
    const char  *opened_by, *completed_by;
    int          complete;
    int          kept;        /* applied: the map owns it */
    itsm__rv_cause  *causes;  size_t ncauses, ccauses;
    itsm__rv_action *acts;    size_t nacts, cacts;
} itsm__review;

typedef struct itsm__rveng {
    itsm__ptrmap reviews;     /* record -> itsm__review */
    size_t       open;        /* actions not done, every review */
    size_t       overdue;     /* of those, past due (event fired) */
    size_t       unowned;     /* of those, with no owner */
    size_t       timers;      /* open actions whose overdue event has not fired */
} itsm__rveng;

static inline itsm__rveng *itsm__rv_of(const itsm_engine *eng)
{
    return (itsm__rveng *)eng->cap[ITSM__CAP_REVIEW];
}

/* Whether any action anywhere waits for its overdue time: the deadline
 * queue asks nothing more of records while none does. Inline: every
 * re-plan of every record asks. */
static inline int itsm__review_has_timers(const itsm_engine *eng)
{
    const itsm__rveng *st = itsm__rv_of(eng);
    return st && st->timers;
}

/* The time the earliest open, not yet overdue action of the record's
 * review fires (one second past its due time), and its index in *action;
 * ITSM_TIME_NONE when none. */
itsm_time itsm__review_next_due(const itsm_engine *eng, const itsm_record *r, int *action);

/* The tick: add the overdue event of action `action` of the record's
 * review, at `at`, to the batch being built. ITSM_ENOMEM (message set). */
int itsm__review_fire(itsm_engine *eng, itsm_record *r, int action, itsm_time at);

extern const itsm__capability itsm__cap_review;

#endif
