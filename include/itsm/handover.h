/* SPDX-License-Identifier: Apache-2.0 */
/*
 * itsm/handover.h - handover packets (DESIGN section 9; seeds 000, 001, 004).
 *
 * A packet is a self-contained, versioned snapshot one party hands another
 * so the receiver never has to re-ask the customer. It is an opaque handle
 * the caller owns (itsm_packet_free). It is built from a record and
 * prefilled from its fields and timeline; every content field can then be
 * set and read.
 *
 * Handing over takes two parties: the sender proposes (a timestamped
 * "handover_propose" event on the record, carrying the whole packet), the
 * receiver acknowledges ("handover_acknowledge") - and only then does
 * ownership move: for shift and desk_to_major packets the record's assignee
 * becomes the receiver (the incident-manager role), and its assignment
 * group the receiver group when one is named. Nothing moves silently.
 *
 * A desk_to_major packet is never kicked back (seed 001): it cannot be
 * rejected, and what it lacked goes to a quality log by sending group,
 * reported with itsm_handover_report_to_json.
 *
 * A to_operations packet carries the service-transition checklist (seed
 * 004): deliverables with owner, appointed approver and status. Its gate
 * opens only when every required deliverable is approved (by its appointed
 * approver) and the service manager - the receiver - acknowledges.
 *
 * The JSON form (version 1) is documented in docs/handover.md.
 */
#ifndef ITSM_HANDOVER_H
#define ITSM_HANDOVER_H

#include "common.h"
#include "json.h"
#include "record.h"
#include "policy.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct itsm_packet itsm_packet;

typedef enum itsm_packet_kind {
    ITSM_PACKET_SHIFT         = 1,  /* incident manager -> incident manager */
    ITSM_PACKET_DESK_TO_MAJOR = 2,  /* service desk -> major incident team */
    ITSM_PACKET_TO_PROBLEM    = 3,  /* incident -> problem management */
    ITSM_PACKET_TO_CHANGE     = 4,  /* problem -> change / continual improvement */
    ITSM_PACKET_TO_OPERATIONS = 5   /* project -> operations (service transition) */
} itsm_packet_kind;

/* "shift", "desk_to_major", "to_problem", "to_change", "to_operations"; NULL if unknown. */
ITSM_API const char *itsm_packet_kind_name(itsm_packet_kind kind);
/* ITSM_OK and *out set, ITSM_ENOTFOUND, or ITSM_EINVAL for NULL. */
ITSM_API int itsm_packet_kind_from_name(itsm_packet_kind *out, const char *name);

/* Text slots. Each is UTF-8 up to ITSM_MAX_TEXT bytes; NULL when unset. */
typedef enum itsm_packet_text {
    ITSM_PT_OBJECT = 0,        /* problem statement: the object ("payroll batch job") */
    ITSM_PT_DEFECT,            /* problem statement: the defect ("fails at step 3") */
    ITSM_PT_WHAT_IS,           /* facts, Kepner-Tregoe: What / Where / When / Extent, is and is not */
    ITSM_PT_WHAT_IS_NOT,
    ITSM_PT_WHERE_IS,
    ITSM_PT_WHERE_IS_NOT,
    ITSM_PT_WHEN_IS,
    ITSM_PT_WHEN_IS_NOT,
    ITSM_PT_EXTENT_IS,
    ITSM_PT_EXTENT_IS_NOT,
    ITSM_PT_STATUS,            /* current status */
    ITSM_PT_SENDER,            /* who hands over */
    ITSM_PT_SENDER_GROUP,      /* the sending group (the quality log's key) */
    ITSM_PT_RECEIVER,          /* who must acknowledge; unset: anyone may (not for
                                  to_operations: the service manager must be named) */
    ITSM_PT_RECEIVER_GROUP,    /* the group that takes the record on acknowledgement */
    ITSM_PT__COUNT             /* not a slot */
} itsm_packet_text;

/* Lists. Every list holds entries {text, who, at}:
 *   ACTIONS          actions taken (timeline): who did it, when
 *   COMMUNICATIONS   communications sent: who sent it, when
 *   OPEN_ACTIONS     open actions: who owns it (required), due (optional)
 *   HYPOTHESES, OTHER_PLACES, IDENTICAL_THINGS, ENGAGED_GROUPS
 *                    plain text: who must be NULL and at ITSM_TIME_NONE */
typedef enum itsm_packet_list {
    ITSM_PL_ACTIONS = 0,
    ITSM_PL_COMMUNICATIONS,
    ITSM_PL_HYPOTHESES,        /* cause hypotheses: the "brain dump" */
    ITSM_PL_OTHER_PLACES,      /* other places possibly affected */
    ITSM_PL_IDENTICAL_THINGS,  /* identical things that need the same fix */
    ITSM_PL_ENGAGED_GROUPS,
    ITSM_PL_OPEN_ACTIONS,
    ITSM_PL__COUNT             /* not a list */
} itsm_packet_list;

typedef struct itsm_packet_entry {
    size_t      size;   /* sizeof(itsm_packet_entry), set by the caller (common.h); it is
                           read by itsm_packet_add as well as filled by itsm_packet_at */
    const char *text;   /* required */
    const char *who;    /* by / owner; see itsm_packet_list */
    itsm_time   at;     /* when / due, or ITSM_TIME_NONE */
} itsm_packet_entry;

/* Where a packet is in the two-party handover. */
typedef enum itsm_packet_state {
    ITSM_PACKET_DRAFT        = 1,  /* being filled in */
    ITSM_PACKET_PROPOSED     = 2,  /* sent; waits for the receiver */
    ITSM_PACKET_ACKNOWLEDGED = 3,  /* taken over; ownership moved */
    ITSM_PACKET_REJECTED     = 4   /* kicked back (never for desk_to_major) */
} itsm_packet_state;

/* ---- building ------------------------------------------------------------ */

/*
 * A packet of `kind` for `rec`, prefilled:
 *   object <- summary; defect <- description; what_is <- category (and
 *   subcategory); where_is <- service and ci; when_is <- opened_at (for a problem, that of the
 *   earliest incident related to it, when earlier: when the defect was seen);
 *   extent_is <- impact and priority (an unset one
 *   reads "-": "impact 2, priority -"); status <- state (and hold reason;
 *   then the custom fields that are set: "in_progress; tier gold, seats 40");
 *   next update due <- the one the engine tracks while it runs
 *   (itsm_record_timer, ITSM_TIMER_NEXT_UPDATE: the cadence from the first
 *   response, or the last customer update's promise), else the last
 *   customer update's next_update;
 *   actions <- work notes; communications <- customer updates (with their
 *   time and author) - or, on an accepted major incident whose initial
 *   communication was issued without one (itsm_major_communication_issued,
 *   its outage notice), the entry "initial communication of the major
 *   incident issued", with the time and author of the event that issued
 *   it when the record's history (the store's read_record) gives them
 *   (else none); hypotheses <- cause; engaged_groups <- the
 *   assignment group, then the groups a major incident engaged
 *   (itsm_major_engage_groups; once each, in order); sender <- for a
 *   shift or desk_to_major packet the record's holder, its assignee (seed
 *   000: the outgoing person hands over what she holds), else the
 *   engine's actor; for the other kinds the engine's actor, else the
 *   assignee;
 *   sender_group <- the assignment group; contact_verified <- the field.
 *   A record's post-incident review (itsm/review.h; a problem's: those
 *   of the incidents related to it) adds its contributing causes to the
 *   hypotheses and its open action items that have an owner to
 *   open_actions (text, owner, due): seed 000, the action items problem
 *   management hands to change and continual improvement.
 *   The packet then goes on from the latest handover acknowledged on its
 *   record (an incident's shift or desk handover before its to_problem
 *   one) and, for a problem, on each incident related to it (seed 000:
 *   the problem team continues the incident team's storyboard; "the
 *   output should be data captured" at every handover), in proposing
 *   order: the is-not facts it lacks, and the hypotheses, other places
 *   and identical things it does not list yet. The latest only: it was
 *   prefilled from those before it, so what it left out was ruled out.
 *   A handover kicked back or not yet answered gives nothing.
 * The packet copies what it needs: it stays valid after the engine changes.
 * Free with itsm_packet_free. *out is NULL on any error. Errors:
 * ITSM_EINVAL (NULL, unknown kind: the engine's message is set when `rec`
 * is given), ITSM_ENOMEM (the engine's message is set).
 */
ITSM_API int  itsm_packet_new(itsm_packet **out, const itsm_record *rec, itsm_packet_kind kind);
/* Accepts NULL. */
ITSM_API void itsm_packet_free(itsm_packet *pkt);
/* A deep copy (state included). ITSM_EINVAL, ITSM_ENOMEM. */
ITSM_API int  itsm_packet_clone(itsm_packet **out, const itsm_packet *pkt);

/* The packet's kind; 0 for NULL. */
ITSM_API itsm_packet_kind  itsm_packet_kind_of(const itsm_packet *pkt);
/* Where the packet is in the handover (draft, proposed, acknowledged,
 * rejected); 0 for NULL. */
ITSM_API itsm_packet_state itsm_packet_state_of(const itsm_packet *pkt);
/* The record the packet is about; borrowed, valid while the packet lives. */
ITSM_API const char *itsm_packet_record_id(const itsm_packet *pkt);
/* The kind of the record the packet is about; 0 for NULL. */
ITSM_API itsm_kind   itsm_packet_record_kind(const itsm_packet *pkt);
/* When the packet was built (the engine's clock). */
ITSM_API itsm_time   itsm_packet_created_at(const itsm_packet *pkt);
/* This engine's number for the proposal (1, 2, ...: the order in which the
 * engine proposed or replayed it; see itsm_engine_handover_find); 0 for a
 * draft. With several engines on one store the events carry the proposing
 * engine's number instead, unique with the record (docs/handover.md). */
ITSM_API uint32_t    itsm_packet_seq(const itsm_packet *pkt);
/* Why the last failing call on this packet failed; "" if none. Calls that
 * also take an engine (propose, acknowledge, reject) report through the
 * engine's message instead. "no packet" for NULL. */
ITSM_API const char *itsm_packet_errmsg(const itsm_packet *pkt);

/* Content can change only while the packet is a draft (ITSM_ESTATE after
 * proposing: the receiver must get what was sent). The name slots
 * (sender, sender_group, receiver, receiver_group) are symbols that name
 * someone: blank is ITSM_EINVAL (NULL clears a slot).
 * Errors: ITSM_EINVAL (NULL pkt, bad slot or list, bad UTF-8, missing
 * text/owner, a blank name), ITSM_ELIMIT, ITSM_ESTATE, ITSM_ENOMEM. */
ITSM_API int itsm_packet_set_text(itsm_packet *pkt, itsm_packet_text slot, const char *value);
/* Borrowed, valid until the slot changes; NULL when unset or bad slot. */
ITSM_API const char *itsm_packet_text_of(const itsm_packet *pkt, itsm_packet_text slot);

/* When the next customer update is due; ITSM_TIME_NONE clears it. Draft
 * only. Errors: ITSM_EINVAL (NULL, a time outside 1970..9999), ITSM_ESTATE
 * (proposed already); the packet's message says why. */
ITSM_API int itsm_packet_set_next_update(itsm_packet *pkt, itsm_time due);
/* When the next customer update is due; ITSM_TIME_NONE when unset or NULL. */
ITSM_API itsm_time itsm_packet_next_update(const itsm_packet *pkt);
/* Record whether the caller's contact details were verified (any non-zero
 * is 1). Draft only. Errors: ITSM_EINVAL (NULL), ITSM_ESTATE (proposed
 * already). */
ITSM_API int itsm_packet_set_contact_verified(itsm_packet *pkt, int verified);
/* 1 when the contact details were verified, else 0 (also for NULL). */
ITSM_API int itsm_packet_contact_verified(const itsm_packet *pkt);

/* At most ITSM_PACKET_MAX_ENTRIES entries per list (ITSM_ELIMIT). */
#define ITSM_PACKET_MAX_ENTRIES 1024
/* Append a copy of `entry` to `list` (the packet owns the copy; the caller
 * keeps `entry`). Plain-text lists (hypotheses, other places, identical
 * things, engaged groups) take no `who` and no time; an open action needs
 * its owner in `who` (not blank). Draft only. `entry->size` is set by the
 * caller. Blank text is taken but counts for nothing in completeness.
 * Errors: ITSM_EINVAL (NULL, unknown list, missing text or owner, text
 * given where none is taken, bad UTF-8, time outside 1970..9999, bad size),
 * ITSM_ELIMIT (over ITSM_PACKET_MAX_ENTRIES, over-long text), ITSM_ESTATE
 * (proposed already), ITSM_ENOMEM. The packet's message says why; the
 * packet is unchanged on any error. */
ITSM_API int    itsm_packet_add(itsm_packet *pkt, itsm_packet_list list, const itsm_packet_entry *entry);
/* Empty `list`. Draft only. Errors: ITSM_EINVAL (NULL, unknown list),
 * ITSM_ESTATE (proposed already). */
ITSM_API int    itsm_packet_clear(itsm_packet *pkt, itsm_packet_list list);
/* The number of entries in `list`; 0 for NULL or an unknown list. */
ITSM_API size_t itsm_packet_count(const itsm_packet *pkt, itsm_packet_list list);
/* The strings are borrowed, valid until the list changes. ITSM_EINVAL for
 * NULL, a bad list or an index out of range (the packet's message says
 * which; as for itsm_packet_deliverable_at). */
ITSM_API int    itsm_packet_at(const itsm_packet *pkt, itsm_packet_list list, size_t index,
                               itsm_packet_entry *out);

/* ---- the service-transition checklist (to_operations) -------------------- */

typedef enum itsm_deliverable_status {
    ITSM_DELIVERABLE_PENDING   = 1,
    ITSM_DELIVERABLE_DELIVERED = 2,  /* handed in, waiting for its approver */
    ITSM_DELIVERABLE_APPROVED  = 3,
    ITSM_DELIVERABLE_REJECTED  = 4
} itsm_deliverable_status;

/* "pending", "delivered", "approved", "rejected"; NULL if unknown. */
ITSM_API const char *itsm_deliverable_status_name(itsm_deliverable_status status);

typedef struct itsm_deliverable {
    size_t      size;        /* sizeof(itsm_deliverable), set by the caller (common.h) */
    const char *name;        /* unique within the packet, e.g. "service desk knowledge documents" */
    const char *owner;       /* who delivers it (required) */
    const char *approver;    /* the appointed approver (required) */
    itsm_deliverable_status status;
    const char *approved_by; /* who approved (set by itsm_packet_set_deliverable_status) */
    int         required;    /* 1: the gate waits for it */
} itsm_deliverable;

/* Add a deliverable with status pending. The approver is someone other
 * than the owner (seed 004: the receivers approve what the project
 * delivers) - and other than the packet's sender, which proposing checks
 * (the sender may be set later). ITSM_EINVAL (missing or blank name, owner or approver; the
 * approver is the owner), ITSM_EEXISTS (name taken), ITSM_ELIMIT,
 * ITSM_ESTATE, ITSM_ENOMEM. */
ITSM_API int itsm_packet_add_deliverable(itsm_packet *pkt, const char *name, const char *owner,
                                         const char *approver, int required);
/* Change a deliverable's status; `by` is who does it, the party whose act
 * it is (seed 004: the project delivers, the receivers approve): DELIVERED
 * its owner, APPROVED and REJECTED its appointed approver, PENDING either
 * (the owner reworks it, the approver withdraws a verdict). ITSM_EINVAL
 * for anyone else, naming who may; the packet is unchanged. `by` NULL: the
 * host records the status itself - allowed for all but APPROVED, whose
 * approver the gate counts.
 * Allowed while the packet is a draft. ITSM_ENOTFOUND for an unknown name. */
ITSM_API int itsm_packet_set_deliverable_status(itsm_packet *pkt, const char *name,
                                                itsm_deliverable_status status, const char *by);
/* The number of deliverables; 0 for NULL. */
ITSM_API size_t itsm_packet_deliverable_count(const itsm_packet *pkt);
/* Deliverable `index` in the order added. The strings are borrowed, valid
 * until the deliverable changes. `out->size` is set by the caller.
 * Errors: ITSM_EINVAL (NULL, bad size, index out of range; the packet's
 * message says which). */
ITSM_API int    itsm_packet_deliverable_at(const itsm_packet *pkt, size_t index, itsm_deliverable *out);

/* 1 when the transition gate is open: every required deliverable approved
 * AND the packet acknowledged by the service manager; else 0. Only
 * to_operations packets have a gate (0 for the others). */
ITSM_API int itsm_packet_gate_open(const itsm_packet *pkt);

/* ---- completeness --------------------------------------------------------- */

/*
 * Checklist items (a policy lists, per packet kind, which of them a good
 * packet has; docs/policy.md member "handover"):
 *   object defect what_is what_is_not where_is where_is_not when_is
 *   when_is_not extent_is extent_is_not status next_update actions
 *   communications hypotheses other_places identical_things engaged_groups
 *   open_actions contact_verified deliverables sender_group receiver
 * ("deliverables": at least one, each with name, owner and approver).
 * Set the checklist with a space-separated list of item names.
 * Errors: ITSM_EINVAL (NULL, unknown kind), ITSM_ENOTFOUND (unknown item,
 * named in itsm_policy_errmsg).
 */
ITSM_API int itsm_policy_set_handover_checklist(itsm_policy *policy, itsm_packet_kind kind,
                                                const char *items);
/* The checklist as a space-separated list, snprintf-style: *len gets the
 * full length, at most cap-1 bytes and a NUL are written. Errors:
 * ITSM_EINVAL (NULL policy or len, NULL buf with cap > 0, unknown kind),
 * ITSM_ELIMIT (buf too small; *len says how much is needed). */
ITSM_API int itsm_policy_handover_checklist(const itsm_policy *policy, itsm_packet_kind kind,
                                            char *buf, size_t cap, size_t *len);

/* A buffer this size holds any list of checklist items (all of them,
 * space-separated, and the NUL). */
#define ITSM_HANDOVER_ITEMS_MAX 263

/*
 * Score a packet against the policy's checklist for its kind: *score is
 * 0..100 (the percentage of items present, rounded down; 100 for an empty
 * checklist). Blank text - empty, or only spaces, tabs and line breaks -
 * is not present: a text item must say something, a list needs an entry
 * that does (an open action also an owner that does), "deliverables" needs
 * every deliverable's name, owner and approver to. `missing` gets the
 * names of the missing items, space-separated, snprintf-style (common.h)
 * into missing[0..cap): a list that did not fit is ITSM_ELIMIT (*score is
 * set; missing holds the NUL-terminated prefix that fit);
 * ITSM_HANDOVER_ITEMS_MAX bytes always fit. NULL with cap 0 asks for the
 * score only.
 * Errors: ITSM_EINVAL (NULL pkt, policy or score, or NULL missing with
 * cap > 0), ITSM_ELIMIT.
 */
ITSM_API int itsm_packet_completeness(int *score, const itsm_packet *pkt, const itsm_policy *policy,
                                      char *missing, size_t cap);

/* ---- the two-party handover ----------------------------------------------- */

/*
 * Propose the packet: one "handover_propose" event on its record (the
 * record must exist in `eng`), carrying the packet, its number and its
 * completeness. The engine keeps its own copy (see itsm_engine_handover_*).
 * On success the packet is PROPOSED and has its number; on failure nothing
 * changed, in the engine or the packet. A to_operations packet is about
 * a change going live (service transition, seed 004) and needs a
 * required deliverable and its receiver, the service manager; a
 * desk_to_major packet is about an incident (only incidents become major
 * incidents). A handover takes two parties: a packet whose receiver is its
 * sender is refused. A shift or desk_to_major packet passes control from
 * whoever holds the record (seed 000): one whose sender is not the
 * record's assignee is refused (a record with no assignee is handed over
 * by whoever is named). Whether a to_problem or to_change
 * handover is due is the host's to judge (itsm_problem_decide: question 2
 * of the decision needs a person's answer); proposing one does not check
 * the verdict or ask that the incident be resolved.
 * A packet that says it was proposed, but whose proposal the engine does
 * not hold (a group rolled back, a group commit the store did not keep),
 * is proposed again: a new proposal with a new number (its lost answer,
 * if any, is forgotten).
 * Errors: ITSM_EINVAL (NULL; a to_operations packet about a record that
 * is not a change, or without a required deliverable or a receiver; a
 * desk_to_major packet about a record that is
 * not an incident; the receiver named is the sender; a shift or
 * desk_to_major packet whose sender is not the record's assignee; a
 * deliverable whose
 * approver is its owner, as a packet read from JSON may have, or the
 * packet's sender: the project approves none of what it hands over, seed
 * 004), ITSM_ENOTFOUND (no such record), ITSM_ESTATE
 * (the engine holds its proposal; the engine's own copy; a shift or
 * desk_to_major packet on a closed record, which acknowledging could not
 * move), ITSM_ENOMEM,
 * ITSM_ESTORE, ITSM_ECONFLICT, ITSM_EUSER, ITSM_ECLOCK.
 */
ITSM_API int itsm_packet_propose(itsm_packet *pkt, itsm_engine *eng);

/*
 * The receiver acknowledges: one "handover_acknowledge" event that also
 * moves ownership (shift, desk_to_major: assignee <- `by`, and
 * assignment_group <- the receiver group when set; to_problem / to_change /
 * to_operations: the engine records who took it over). `by` must be the
 * packet's receiver when one is named, and never its sender (two parties:
 * the receiver answers; rejecting too); a shift or desk_to_major packet
 * naming neither is sent by whoever has the open record (the prefill's
 * sender), who does not answer it either. A desk_to_major packet that lacked
 * checklist items is still accepted (never kicked back) and its missing
 * items go to the quality log under the sending group. A to_operations
 * packet is refused (ITSM_ESTATE) while a required deliverable is not
 * approved; the message names the outstanding deliverables that fit in it
 * and ends "... and N more" when not all do (itsm_packet_deliverable_at
 * gives them all). A shift or desk_to_major packet whose record closed
 * after the proposal is acknowledged as received: ownership stays where
 * it was (nobody takes a closed record over) and a desk_to_major packet's
 * gaps still go to the quality log; a to_problem one is taken over on a
 * closed incident. So is one acknowledged after a newer shift or
 * desk_to_major handover on its record was taken over (seed 000: control
 * passes from whoever holds it; the newer one's receiver keeps the
 * record, as the storyboard goes on from the newer one) - and one whose
 * record is no longer held as it was sent, by the assignee it had when
 * proposed (a reassignment since, another handover taken over): it takes
 * nothing from someone who never handed it over. `pkt` may be the
 * caller's copy or the engine's (itsm_engine_handover_at); both end
 * ACKNOWLEDGED. The caller's copy
 * answers only for its own proposal: the engine's proposal of that
 * number must be equal to it (itsm_packet_equal), else ITSM_ENOTFOUND -
 * after a rollback another packet may carry the number.
 * On failure nothing changed, in the engine or the packet.
 * Errors: ITSM_EINVAL (NULL, `by` blank, not the receiver, the sender (or, with no
 * sender or receiver named, the record's assignee), not UTF-8 or
 * with a control character; a receiver group that is not a valid group
 * name), ITSM_ELIMIT (`by` over ITSM_MAX_SYMBOL bytes; a reject reason
 * over ITSM_MAX_TEXT), ITSM_ENOTFOUND (the engine has no such proposal, or
 * holds another packet under its number), ITSM_ESTATE (not proposed;
 * transition gate), ITSM_ENOMEM, ITSM_ESTORE,
 * ITSM_ECONFLICT, ITSM_EUSER, ITSM_ECLOCK.
 */
ITSM_API int itsm_packet_acknowledge(itsm_packet *pkt, itsm_engine *eng, const char *by);

/*
 * The receiver kicks the packet back with a reason ("handover_reject"
 * event); the sender may then build a better one. A desk_to_major packet is
 * never kicked back: ITSM_ESTATE (seed 001 - run with it, fix the handover
 * after the incident). Errors as itsm_packet_acknowledge.
 */
ITSM_API int itsm_packet_reject(itsm_packet *pkt, itsm_engine *eng, const char *by, const char *reason);

/* ---- the engine's view: every proposal, and the quality log --------------- */

/* The number of handovers this engine proposed or replayed; 0 for NULL. */
ITSM_API size_t itsm_engine_handover_count(const itsm_engine *eng);
/* Proposal `index` in proposing order; *out is borrowed from the engine (do
 * not free; do not change its content), valid while the engine lives.
 * ITSM_EINVAL for NULL or an index out of range. */
ITSM_API int    itsm_engine_handover_at(itsm_packet **out, itsm_engine *eng, size_t index);
/* By this engine's number (itsm_packet_seq; index + 1 of
 * itsm_engine_handover_at). ITSM_EINVAL (NULL), ITSM_ENOTFOUND. */
ITSM_API int    itsm_engine_handover_find(itsm_packet **out, itsm_engine *eng, uint32_t seq);

/* Who acknowledged or rejected it, and when; NULL / ITSM_TIME_NONE before. */
ITSM_API const char *itsm_packet_decided_by(const itsm_packet *pkt);
/* When it was acknowledged or rejected; ITSM_TIME_NONE before, or for NULL. */
ITSM_API itsm_time   itsm_packet_decided_at(const itsm_packet *pkt);
/* When it was proposed; ITSM_TIME_NONE for a draft, or for NULL. */
ITSM_API itsm_time   itsm_packet_proposed_at(const itsm_packet *pkt);
/* Why it was rejected (itsm_packet_reject's reason); NULL unless rejected.
 * Borrowed from the packet. */
ITSM_API const char *itsm_packet_reason(const itsm_packet *pkt);

/* One quality-log entry: a desk_to_major handover accepted with items missing. */
typedef struct itsm_quality_entry {
    size_t      size;           /* sizeof(itsm_quality_entry), set by the caller (common.h) */
    const char *record_id;      /* borrowed from the engine */
    const char *sender_group;   /* NULL when the packet named none */
    itsm_time   at;             /* when it was acknowledged */
    uint32_t    seq;
    int         score;          /* completeness 0..99 */
    const char *missing;        /* space-separated item names; borrowed */
} itsm_quality_entry;

/* The number of quality-log entries (desk_to_major handovers accepted with
 * items missing); 0 for NULL. */
ITSM_API size_t itsm_quality_log_count(const itsm_engine *eng);
/* ITSM_EINVAL for NULL or an index out of range (sets the engine's message). */
ITSM_API int    itsm_quality_log_at(const itsm_engine *eng, size_t index, itsm_quality_entry *out);

/*
 * The exception report (seed 001): poor desk_to_major handovers
 * acknowledged within [from, to], by sending group (sorted by name; a
 * packet without one is under null), each group with its count of
 * handovers, of poor ones, how often each item was missing, and the poor
 * handovers themselves. JSON, snprintf-style. Form:
 *   {"from":T,"to":T,"groups":[{"group":"desk","handovers":4,"poor":2,
 *     "missing":{"contact_verified":2,...},
 *     "items":[{"record":"INC-000001","seq":1,"at":T,"score":60,"missing":["..."]}]}]}
 * Errors: ITSM_EINVAL (NULL, NULL buf with cap > 0, times outside
 * 1970..9999, from > to), ITSM_ELIMIT (did not fit).
 */
ITSM_API int itsm_handover_report_to_json(const itsm_engine *eng, itsm_time from, itsm_time to,
                                          char *buf, size_t cap, size_t *len);

/* ---- JSON ------------------------------------------------------------------- */

/* The packet's JSON (version 1, docs/handover.md), snprintf-style: ITSM_OK
 * when it fitted, ITSM_ELIMIT when not (*len says how much is needed),
 * ITSM_EINVAL for NULL pkt or len (or NULL buf with cap > 0). The same
 * packet always gives the same bytes. */
ITSM_API int itsm_packet_to_json(const itsm_packet *pkt, char *buf, size_t cap, size_t *len);

/*
 * Parse a packet (a DRAFT with the content of the document). The reader is
 * the strict, bounded one of the core; `err` gets line, column and text of
 * a syntax or schema error. `alloc` and `limits` may be NULL (defaults),
 * `err` may be NULL. Errors: ITSM_EINVAL, ITSM_EPARSE, ITSM_ELIMIT, ITSM_ENOMEM.
 */
ITSM_API int itsm_packet_from_json(itsm_packet **out, const char *json, size_t len,
                                   const itsm_allocator *alloc, const itsm_json_limits *limits,
                                   itsm_parse_error *err);

/* 1 when two packets have the same kind, record and content (state, number
 * and decision are not content), else 0. */
ITSM_API int itsm_packet_equal(const itsm_packet *a, const itsm_packet *b);

#ifdef __cplusplus
}
#endif
#endif
