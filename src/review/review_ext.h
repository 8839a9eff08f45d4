/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Internal: the review's event classes and their one payload, shared by
 * review.c (the events, the state, the timers) and review_api.c (the
 * calls that build them).
 */
#ifndef ITSM_SRC_REVIEW_EXT_H
#define ITSM_SRC_REVIEW_EXT_H

#include "review/review_int.h"

/* The event classes, in this order (docs/events.md). */
enum {
    ITSM__RV_OPENED = 0,   /* review_opened */
    ITSM__RV_CAUSE,        /* review_cause_added */
    ITSM__RV_ACTION,       /* review_action_added */
    ITSM__RV_ASSIGNED,     /* review_action_assigned */
    ITSM__RV_DONE,         /* review_action_done */
    ITSM__RV_OVERDUE,      /* review_action_overdue */
    ITSM__RV_COMPLETED,    /* review_completed */
    ITSM__RV_COUNT
};
extern const itsm__evclass itsm__rv_classes[ITSM__RV_COUNT];

/* The payload of every review event. */
typedef struct itsm__rv_ext {
    int           what;    /* ITSM__RV_* */
    itsm__review *rv;      /* opened: the new review, owned until applied */
    const char   *id;      /* the action (interned) */
    int           ix;      /* its index in the review (not for an action added) */
    const char   *owner;   /* interned; NULL: none */
    char         *text;    /* the cause, the action's text or the done note: owned until applied */
    const char   *shown;   /* after apply: the review's copy of it, for the sink */
    itsm_time     due;     /* an action added or overdue: its due time */
} itsm__rv_ext;

/* The review of a record as applied, or NULL. */
itsm__review *itsm__review_find(const itsm_engine *eng, const itsm_record *r);
/* The index of action `id` (n bytes) in the review, or -1. */
int itsm__review_action_ix(const itsm__review *rv, const char *id, size_t n);
/* Add a review event of class `what` on `r` at `at` to the batch being
 * built, with a zeroed payload (due: none). NULL on ENOMEM (message set). */
itsm_event *itsm__rv_add(itsm_engine *eng, itsm_record *r, int what, itsm_time at, itsm__rv_ext **x);

#endif
