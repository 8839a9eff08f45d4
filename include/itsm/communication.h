/* SPDX-License-Identifier: Apache-2.0 */
/*
 * itsm/communication.h - customer communication, resolution and closure.
 *
 * Communication (DESIGN.md section 6): a customer update (itsm_record_add_note
 * with ITSM_NOTE_CUSTOMER) must carry actions taken, expected restoration
 * and next update time. The engine keeps "next update due": from the first
 * response (or from the priority, when the record got it after its first
 * response), at the cadence of the record's priority on its calendar, or at
 * the time the last customer update (or the record's outage notice)
 * promised - a promise with or without a priority, or its expected
 * restoration when that comes first and is still ahead (a restoration
 * missed owes the customer an update, seed 002); the tick fires an
 * "update_overdue" event when it passes (audience "callers" on a record
 * with no priority: those who were promised). A known outage on a service links
 * every new incident on that service to it - opened on it, or given the
 * service later while open and not resolved (logged first, or moved from
 * another service), once - but not at a step dated before the outage
 * record's last event, as in a log replayed case by case: the link would
 * be refused, and the step with it.
 *
 * Closure (section 7): resolving asks the customer to verify; confirm
 * closes, reopen counts; with no answer within the auto-close period the
 * tick fires the lifecycle's auto_close (never for a major incident; when
 * the closure checklist is incomplete an "auto_close_blocked" event names
 * what is missing). A resolution with no knowledge decision and no linked
 * knowledge article becomes a knowledge candidate.
 */
#ifndef ITSM_COMMUNICATION_H
#define ITSM_COMMUNICATION_H

#include "common.h"
#include "record.h"
#include "policy.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- policy ------------------------------------------------------------- */

/* Update cadence per priority (index 0..4 = P1..P5), seconds of working
 * time on the record's calendar (default 1800, 3600, 14400, 28800, 28800:
 * 30 min, 1 h, 4 h, one 8-hour working day). Priorities up to
 * `broadcast_max_priority` (default 2) broadcast to the service, the others
 * reach the affected callers (0: nobody is broadcast to, 5: every
 * priority is). ITSM_EINVAL (a cadence outside 1..31536000, a year; a
 * broadcast priority outside 0..5). */
ITSM_API int itsm_policy_set_cadence(itsm_policy *policy, const uint32_t cadence[5],
                                     int broadcast_max_priority);
/* Auto-close period in wall seconds (default 259200, 3 days; 0: off),
 * survey rate in permille (default 100), knowledge candidates on/off
 * (default on). ITSM_EINVAL (rate over 1000). */
ITSM_API int itsm_policy_set_closure(itsm_policy *policy, uint32_t auto_close_after,
                                     unsigned survey_permille, int knowledge_candidate);

/* ---- communication ------------------------------------------------------ */

typedef enum itsm_audience {
    ITSM_AUDIENCE_NONE      = 0,   /* no priority */
    ITSM_AUDIENCE_BROADCAST = 1,   /* everyone on the service */
    ITSM_AUDIENCE_CALLERS   = 2    /* the affected callers only */
} itsm_audience;

/* Who customer updates on the record go to, by its priority:
 * ITSM_AUDIENCE_BROADCAST up to broadcast_max_priority of the record's
 * policy version (itsm_record_policy_version, as its update cadence),
 * ITSM_AUDIENCE_CALLERS above it, ITSM_AUDIENCE_NONE with no priority or for
 * NULL. */
ITSM_API itsm_audience itsm_record_audience(const itsm_record *rec);

/* Declare `rec` the known outage of its service (the record needs a
 * service), with the proactive notice's expected restoration and next
 * update; the record's next update is then due at that time, as after a
 * customer update. New incidents on the service are linked to it (related) when they
 * open or are given the service, until the outage ends (itsm_outage_end, or the record resolves or
 * closes: that step then adds an "outage_ended" event after the transition,
 * so the host's event sink hears the end either way). ITSM_EINVAL (no service, bad times; a notice without its
 * expected restoration or next update - ITSM_TIME_NONE - is refused naming
 * which), ITSM_EEXISTS (the service
 * has an outage, or the record holds one already - declared on the service
 * it was moved from: one at a time, end it first), ITSM_ESTATE (the record is resolved or closed - in a
 * stop state it would hold no outage -, is not an incident - an outage is a
 * service down, which an incident reports; a service request has none -
 * or has no service levels; the record unchanged), store
 * errors, ITSM_ECLOCK. */
ITSM_API int itsm_outage_declare(itsm_record *rec, itsm_time expected_restoration,
                                 itsm_time next_update);
/* End the record's known outage: one "outage_ended" event naming the
 * service it was declared on (the outage stays there when the record
 * moves to another service). ITSM_EINVAL (NULL), ITSM_ESTATE (not a
 * declared outage), store errors, ITSM_ECLOCK. */
ITSM_API int itsm_outage_end(itsm_record *rec);
/* The record holding the known outage of `service`; NULL if none. */
ITSM_API itsm_record *itsm_engine_outage(itsm_engine *eng, const char *service);

/* ---- closure ------------------------------------------------------------ */

/* 1 when the record falls in the satisfaction-survey sample at the rate of
 * its policy version (docs/policy.md "Versions": a closed record keeps the
 * one it closed under). Deterministic: a hash of the record id, so the
 * same record always gets the same answer, on every host, after replay and
 * after a new version is adopted. */
ITSM_API int itsm_record_survey_sampled(const itsm_record *rec);
/* 1 when the record was resolved with no knowledge decision and no linked
 * knowledge article (a knowledge candidate), while its knowledge decision
 * is unset or "candidate" - the value resolving an incident gives it in
 * that case (itsm/knowledge.h) - and 0 once the decision is anything
 * else (a knowledge article linked later does not change the decision by
 * itself; resolving again after a reopen decides a "candidate" again, so
 * an article linked or matched by then makes it "linked" or "matched").
 * Policy closure.knowledge_candidate turns it off. */
ITSM_API int itsm_record_knowledge_candidate(const itsm_record *rec);
/* When the auto-close timer fires; ITSM_TIME_NONE when it is not running
 * (not resolved, major incident, period off). */
ITSM_API itsm_time itsm_record_auto_close_due(const itsm_record *rec);

#ifdef __cplusplus
}
#endif
#endif
