/* SPDX-License-Identifier: Apache-2.0 */
/*
 * itsm/review.h - the post-incident review of a major incident: its
 * timeline excerpt, contributing causes, and action items with owners and
 * due dates tracked to closure (docs/reviews.md).
 *
 * A review is a section of the major incident's record, not a record of
 * its own: every step is an event on the major incident ("review_opened",
 * "review_cause_added", "review_action_added", "review_action_assigned",
 * "review_action_done", "review_action_overdue", "review_completed";
 * docs/events.md), with the engine's actor and clock, stored, hashed and
 * replayed like every other event.
 *
 * The rules (seed 000: problem management compiles action items and hands
 * them to change management and continual improvement, who carry them out;
 * DESIGN.md section 5: a major incident's resolution and closure phase
 * needs a problem review):
 *   - only an accepted major incident has a review, and one only;
 *   - an action item has a due date from the start; its owner may come
 *     later, but the review is complete only once every action has an
 *     owner and at least one contributing cause is recorded. Open actions
 *     stay tracked after completion: they are carried out afterwards;
 *   - an action not done by its due time fires "review_action_overdue"
 *     through itsm_engine_tick (itsm/sla.h), once, at one second past its
 *     due time, like the other missed deadlines; a done action never fires;
 *   - the guard term "review:owned" (the default problem lifecycle puts it
 *     on resolve, close and close_without_fix) holds when the reviews of
 *     the record and of every incident linked to it have no action without
 *     an owner: a major incident's problem review is not complete until
 *     its actions have owners.
 */
#ifndef ITSM_REVIEW_H
#define ITSM_REVIEW_H

#include "common.h"
#include "record.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- steps -------------------------------------------------------------- */

/*
 * Open the review of `major`, an accepted major incident (itsm/escalation.h:
 * itsm_record_major_state is ITSM_MAJOR_ACCEPTED), in any state: a review
 * usually follows the resolution. The actor opening it is its facilitator.
 * Errors:
 *   ITSM_EINVAL    NULL, or not an accepted major incident ("INC-000002 is not
 *                  an accepted major incident: only a major incident has a
 *                  post-incident review")
 *   ITSM_EEXISTS   the record has a review already
 *   ITSM_ESTATE    from inside a callback
 *   ITSM_ENOMEM, ITSM_ESTORE, ITSM_ECONFLICT, ITSM_EUSER, ITSM_ECLOCK
 * On any error nothing changed.
 */
ITSM_API int itsm_review_open(itsm_record *major);

/*
 * Record a contributing cause (text, 1..ITSM_MAX_TEXT bytes of UTF-8;
 * copied). Errors: ITSM_EINVAL (NULL, empty or not UTF-8), ITSM_ELIMIT
 * (too long), ITSM_ENOTFOUND (the record has no review), ITSM_ESTATE (the
 * review is complete; inside a callback), and the store errors above.
 * On any error nothing changed.
 */
ITSM_API int itsm_review_add_cause(itsm_record *major, const char *text);

/* At most this many actions and causes per review. */
#define ITSM_REVIEW_MAX_ITEMS 256

/*
 * Add action item `id` (a symbol: 1..ITSM_MAX_SYMBOL bytes, no spaces or
 * control characters, unique in the review) saying what is to be done
 * (`text`, as a cause), owned by `owner` (a symbol, or NULL: nobody yet)
 * and due at `due`, which must be later than now.
 * Errors: ITSM_EINVAL (NULL record, id or text; an invalid id, text or
 * owner; a due time not after now: "action 'a1' is due
 * 2026-03-01T09:00:00Z, not after now (2026-03-02T09:00:00Z)"),
 * ITSM_ELIMIT (text too long, or ITSM_REVIEW_MAX_ITEMS actions already),
 * ITSM_EEXISTS (the id is taken), ITSM_ENOTFOUND (no review), ITSM_ESTATE
 * (the review is complete), and the store errors above. On any error
 * nothing changed.
 */
ITSM_API int itsm_review_add_action(itsm_record *major, const char *id, const char *text, const char *owner,
                                    itsm_time due);

/*
 * Give action `id` an owner (a symbol; a new owner replaces the old one),
 * also after the review is complete. Errors: ITSM_EINVAL (NULL, an invalid
 * owner), ITSM_ENOTFOUND (no review, or no such action: the message names
 * the review's actions), ITSM_ESTATE (the action is done, or it is owned
 * by `owner` already), and the store errors above. On any error nothing
 * changed.
 */
ITSM_API int itsm_review_assign_action(itsm_record *major, const char *id, const char *owner);

/*
 * Mark action `id` done, with an optional note (NULL or "": none; text as a
 * cause). Only an owned action can be done (someone answers for it).
 * Errors: ITSM_EINVAL (NULL, an invalid note), ITSM_ELIMIT (a note too
 * long), ITSM_ENOTFOUND (no review, no such action), ITSM_ESTATE (done
 * already; no owner: "action 'a2' of the review of INC-000001 has no owner:
 * assign it before it is done"), and the store errors above. On any error
 * nothing changed.
 */
ITSM_API int itsm_review_action_done(itsm_record *major, const char *id, const char *note);

/*
 * Complete the review. Errors: ITSM_ENOTFOUND (no review), ITSM_ESTATE
 * (complete already; no contributing cause recorded; an action without an
 * owner: "the review of INC-000001 cannot be complete: action 'a2' (Alert
 * on disk space) has no owner"), and the store errors above. On any error
 * nothing changed.
 */
ITSM_API int itsm_review_complete(itsm_record *major);

/* ---- reading ------------------------------------------------------------ */

typedef struct itsm_review_info {
    size_t      size;             /* sizeof(itsm_review_info), set by the caller (common.h) */
    itsm_time   opened_at;
    const char *opened_by;        /* the facilitator; NULL when no actor was set (borrowed) */
    int         complete;         /* 1 once itsm_review_complete succeeded */
    itsm_time   completed_at;     /* ITSM_TIME_NONE while not complete */
    const char *completed_by;     /* NULL when not complete or no actor was set */
    size_t      causes;           /* contributing causes */
    size_t      actions;          /* every action item */
    size_t      open_actions;     /* not done */
    size_t      unowned_actions;  /* not done and with no owner */
    size_t      overdue_actions;  /* not done and past due (their overdue event fired) */
} itsm_review_info;

/* ITSM_OK and *out filled when the record has a review; ITSM_ENOTFOUND
 * when it has none (the engine's message is left as it was); ITSM_EINVAL
 * for NULL or a size the library cannot fill. */
ITSM_API int itsm_record_review(itsm_review_info *out, const itsm_record *major);

typedef struct itsm_review_cause {
    size_t      size;   /* sizeof(itsm_review_cause), set by the caller */
    const char *text;   /* borrowed, valid while the engine lives */
    const char *by;     /* who recorded it; NULL when no actor was set */
    itsm_time   at;
} itsm_review_cause;

/* Cause `index` (0..causes-1, in the order recorded). ITSM_EINVAL for NULL,
 * a bad size or an index out of range (the engine's message says which);
 * ITSM_ENOTFOUND: no review (the engine's message is left as it was, as
 * itsm_record_review's). */
ITSM_API int itsm_review_cause_at(itsm_review_cause *out, const itsm_record *major, size_t index);

typedef struct itsm_review_action {
    size_t      size;        /* sizeof(itsm_review_action), set by the caller */
    const char *id;          /* borrowed, as every string here, valid while the engine lives */
    const char *text;
    const char *owner;       /* NULL: nobody owns it yet */
    itsm_time   due;
    itsm_time   added_at;
    const char *added_by;    /* NULL when no actor was set */
    int         done;
    itsm_time   done_at;     /* ITSM_TIME_NONE while open */
    const char *done_by;     /* who marked it done; NULL when open or no actor was set */
    const char *note;        /* the note it was done with; NULL: none */
    int         overdue;     /* its overdue event fired (it was open past its due time) */
} itsm_review_action;

/* Action `index` (0..actions-1, in the order added). ITSM_EINVAL for NULL,
 * a bad size or an index out of range (the engine's message says which);
 * ITSM_ENOTFOUND: no review (the engine's message is left as it was, as
 * itsm_record_review's). */
ITSM_API int itsm_review_action_at(itsm_review_action *out, const itsm_record *major, size_t index);

/*
 * The review's timeline excerpt: the key moments of the major incident's
 * history (itsm_record_timeline, itsm/record.h) - its opening, every
 * lifecycle step, customer updates, links, and every event of the
 * service levels, escalation, major incident, handover and review
 * capabilities - leaving out field updates and work and system notes.
 * Read from the host's store at this call, as itsm_record_timeline is,
 * and with its errors: ITSM_EINVAL (NULL), ITSM_ESTATE (inside a
 * callback), the store's own code when read_record fails, ITSM_EPARSE /
 * ITSM_ELIMIT (a stored event that is not an event), ITSM_ESTORE,
 * ITSM_ENOMEM; *out is NULL on any error. A store without read_record
 * gives the customer updates the engine keeps (itsm_timeline_complete then
 * says 0). The record need not have a review. Free *out with
 * itsm_timeline_free.
 */
ITSM_API int itsm_review_timeline(itsm_timeline **out, itsm_record *major);

/* Every review's actions in the engine: how many are open (not done), how
 * many of those are overdue (their overdue event fired) and how many have
 * no owner. Any pointer may be NULL. ITSM_EINVAL for a NULL engine. */
ITSM_API int itsm_engine_review_actions(itsm_engine *eng, size_t *open, size_t *overdue, size_t *unowned);

#ifdef __cplusplus
}
#endif
#endif
