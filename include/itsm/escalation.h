/* SPDX-License-Identifier: Apache-2.0 */
/*
 * itsm/escalation.h - functional and hierarchical escalation, major incidents.
 *
 * Functional escalation (DESIGN.md section 5) moves a record up the support
 * levels: 1 service desk, 2 specialist groups, 3 builders or a supplier. A
 * routing table (category, service) -> group in the policy gives "the right
 * group first time": a new incident or service request with no group is
 * assigned by it (seed 003 categorises "all incidents, whether general
 * requests or issues to be fixed"), and so is one logged first and
 * categorised later (a step that gives or changes its category or service
 * while it is open, unresolved and still has no group). A group the step
 * sets, or one the record has, stays. Problems, changes and articles are
 * not routed: their owners are chosen.
 *
 * Hierarchical escalation climbs a ladder of management roles (default: team
 * lead, service desk manager, head of IT services), by hand or when a
 * target breaches (and, if the policy says so, on a warning). Each step is
 * an "escalation_step" event naming its audience.
 *
 * Major incidents are proposed by rule (priority at or above a threshold, or
 * many open incidents on one service) or by hand, then accepted or rejected
 * by the major incident manager. Accepting starts the initial 15 minutes:
 * communication issued and technical groups engaged, each due a configured
 * time after acceptance; a missed deadline is an event fired by the tick -
 * also once the incident is restored, or closed after it (a fix does not
 * excuse the communication, seed 001); one canceled unrestored owes none.
 * An accepted major incident is a parent: children attach to it and resolve
 * with it (a child whose last event is later than the parent's step, as in
 * a log replayed case by case, resolves at that event's time). It is never closed by the auto-close timer.
 *
 * All calls are atomic, write-ahead steps like any mutation (engine.h).
 */
#ifndef ITSM_ESCALATION_H
#define ITSM_ESCALATION_H

#include "common.h"
#include "record.h"
#include "policy.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- policy ------------------------------------------------------------- */

/* Records of `category` on `service` go to `group`. NULL category or
 * service matches any; the most specific rule wins (both, then category,
 * then service). A second rule for the same pair replaces the first.
 * ITSM_EINVAL, ITSM_ENOMEM. */
ITSM_API int itsm_policy_add_route(itsm_policy *policy, const char *category, const char *service,
                                   const char *group);
/* Route by condition: a new incident or service request for which `when` holds (a condition
 * of docs/conditions.md over any field, built in or declared by the
 * policy, read on the incident as opened, or as the step categorising an
 * incident without a group leaves it) goes to `group`. Routes by
 * condition are tried in the order added, before the category/service
 * table; the first that holds wins. Declare the custom fields a condition
 * names first. ITSM_EINVAL (NULL, a bad group name), ITSM_EPARSE (the
 * condition: syntax, an unknown name, a type mismatch; the reason, with
 * the line and column within `when`, in itsm_policy_errmsg), ITSM_ELIMIT (64 routes by condition, the
 * condition's own limits, a group over ITSM_MAX_SYMBOL bytes), ITSM_ENOMEM. Document: a route
 * {"when": "tier == 'gold'", "group": "gold_desk"}. */
ITSM_API int itsm_policy_add_route_when(itsm_policy *policy, const char *when, const char *group);
/* The group the routing table gives; NULL when no rule matches. Borrowed
 * from the policy. (Routes by condition need a record: they apply when an
 * incident opens or is categorised.) */
ITSM_API const char *itsm_policy_route(const itsm_policy *policy, const char *category,
                                       const char *service);

/* The hierarchical ladder: 1..9 role names ([a-z0-9_]), lowest first;
 * whether a breach (and a warning) climbs a step. ITSM_EINVAL, ITSM_ENOMEM. */
ITSM_API int itsm_policy_set_ladder(itsm_policy *policy, const char *const *roles, size_t n,
                                    int climb_on_breach, int climb_on_warning);
/* Whether an OLA breach (the current group's own target) also climbs a
 * hierarchical step, like an SLA breach does when climb_on_breach is set
 * (default on, DESIGN section 4; policy document:
 * escalation.climb_on_ola_breach). An OLA warning never climbs.
 * ITSM_EINVAL for a NULL policy. */
ITSM_API int itsm_policy_set_ola_climb(itsm_policy *policy, int climb_on_ola_breach);

typedef struct itsm_major_policy {
    unsigned version;              /* ITSM_MAJOR_POLICY_VERSION */
    int      propose_at_priority;  /* priority <= this proposes; 0: never (default 1) */
    /* Impact breadth (0: off; default 10): when an incident that is open
     * and not in a stop state after the step (a resolved incident moved
     * onto a service does not count) is opened on a service, or moved to
     * it, and the service's open incidents (not
     * closed, not in a stop state, counting this one) reach the threshold,
     * the incident that started the run - the first of them, if still open,
     * else the one that reached the threshold - gets a major_proposed event
     * (reason "breadth") in the same step. Once per run: again only after
     * the service had no open incidents. No event if that incident is
     * already proposed, accepted or rejected, or if the step is dated
     * before that incident's last event (a log replayed case by case): a
     * later step on the service proposes it. */
    uint32_t breadth_threshold;
    uint32_t communication_due;    /* seconds after the phase starts (default 900) */
    uint32_t groups_due;           /* seconds after the phase starts (default 900) */
} itsm_major_policy;
#define ITSM_MAJOR_POLICY_VERSION 1
#define ITSM_MAJOR_POLICY_INIT { ITSM_MAJOR_POLICY_VERSION, 1, 10, 900, 900 }
/* ITSM_EINVAL (priority outside 0..5, a deadline of 0). */
ITSM_API int itsm_policy_set_major(itsm_policy *policy, const itsm_major_policy *major);

/* ---- functional --------------------------------------------------------- */

/*
 * Escalate to the next functional level (or `level`, when not 0; it must be
 * higher than the current one), handing the record to `group` (NULL: the
 * routing table's group, else the current group). `tried` - what was tried
 * - is required. Counts one reassignment under every counter rule, whether
 * the group moves, stays or is the first (docs/policy.md, "Counters").
 * One "functional_escalation" event.
 * Errors: ITSM_EINVAL (no note, bad level or group), ITSM_ELIMIT (already at
 * level 3), ITSM_ESTATE (closed, or in a stop state such as resolved:
 * reopen it first; an incident with no priority - seed 002: the service
 * desk assigns the priority before it dispatches the incident to a
 * technical support partner), ITSM_ENOMEM, store errors, ITSM_ECLOCK.
 */
ITSM_API int itsm_record_escalate(itsm_record *rec, int level, const char *group, const char *tried);

/* First-contact resolution: 1 when the record was resolved at functional
 * level 1 (or no level) with no reassignment, never reopened (a reopen
 * says the first fix did not hold) and is no accepted major incident (the
 * desk handed it to the major incident team, seed 001), else 0. */
ITSM_API int itsm_record_first_contact_resolution(const itsm_record *rec);

/* ---- hierarchical ------------------------------------------------------- */

/* Climb one rung by hand, with a reason (required). One "escalation_step"
 * event naming the rung's audience. ITSM_ELIMIT at the top of the ladder,
 * ITSM_EINVAL, ITSM_ESTATE (closed, or in a stop state such as resolved:
 * no work is owed to escalate - reopen it first; the record unchanged),
 * store errors, ITSM_ECLOCK. */
ITSM_API int itsm_record_escalate_hierarchical(itsm_record *rec, const char *reason);
/* The audience of the record's current rung (NULL at level 0). Borrowed
 * from the engine's policy. */
ITSM_API const char *itsm_record_escalation_audience(const itsm_record *rec);

/* ---- major incidents ---------------------------------------------------- */

typedef enum itsm_major_state {
    ITSM_MAJOR_NONE     = 0,
    ITSM_MAJOR_PROPOSED = 1,
    ITSM_MAJOR_ACCEPTED = 2,
    ITSM_MAJOR_REJECTED = 3
} itsm_major_state;

typedef enum itsm_major_phase {
    ITSM_PHASE_NONE       = 0,
    ITSM_PHASE_INITIAL    = 1,   /* from the first desk handover's acceptance (or the decision) until
                                    communication issued and groups engaged - which may be before
                                    or after the 15 minutes: a missed deadline fires
                                    major_deadline_missed, the phase stays */
    ITSM_PHASE_POST       = 2,   /* updates at the cadence until restored */
    ITSM_PHASE_RESOLUTION = 3    /* resolved: a problem review is mandatory - itsm_problem_decide
                                    hands every major incident to problem management
                                    (reason major_review); closing does not wait for it */
} itsm_major_phase;

/* Propose a record as a major incident by hand (rule proposals happen on
 * their own); `reason` is optional (NULL: none given; "" is refused).
 * A rejected proposal may be proposed again. ITSM_EEXISTS if already
 * proposed or accepted; ITSM_ESTATE
 * (closed, or not an incident: "only incidents can be major incidents:
 * REQ-000001 is a service_request"; or a child of a major incident still
 * open and not restored: "INC-000002 is a child of major incident
 * INC-000001: it is handled there" - the priority rule and the breadth
 * rule do not propose one either);
 * ITSM_EINVAL / ITSM_ELIMIT for a bad reason; store errors, ITSM_ECLOCK. */
ITSM_API int itsm_major_propose(itsm_record *rec, const char *reason);
/* The major incident manager's decision on a proposal (`accept` 1 or 0);
 * `manager` is required. Accepting sets the major field and starts the
 * initial 15 minutes: at the first acknowledgement of a desk_to_major
 * handover on the record (itsm_packet_acknowledge; the first one answered,
 * whichever was sent first) when there was one,
 * before or after the decision (an acceptance after it moves the start and
 * the deadlines to it; a deadline already reported missed is armed again
 * from there, and fires again if it is missed again), else at the
 * decision. A later desk handover on the record moves nothing: the team
 * took the incident over at the first. A rejection forgets the handovers
 * before it: they led to no major incident. A proposal attached as a child
 * of a running major incident since is not accepted (ITSM_ESTATE, "...
 * is a child of major incident ..."): reject it.
 * The arguments are checked first: ITSM_EINVAL / ITSM_ELIMIT for a bad
 * manager; then ITSM_ESTATE when not proposed; store errors, ITSM_ECLOCK. */
ITSM_API int itsm_major_decide(itsm_record *rec, int accept, const char *manager);
/* Record that the initial communication was issued (a customer update on
 * an accepted major incident counts too, and so does its known-outage
 * notice, itsm_outage_declare). ITSM_EINVAL (NULL), ITSM_ESTATE
 * when not an accepted major incident, store errors, ITSM_ECLOCK. */
ITSM_API int itsm_major_communication_issued(itsm_record *rec);
/* Record that the technical resolving groups `groups[0..n)` (1..4 group
 * names, copied) were engaged: one "major_groups_engaged" event.
 * Errors: ITSM_EINVAL (NULL, n not 1..4, a bad group name), ITSM_ELIMIT
 * (over-long name), ITSM_ESTATE (not an accepted major incident), ITSM_ENOMEM, store
 * errors, ITSM_ECLOCK. */
ITSM_API int itsm_major_engage_groups(itsm_record *rec, const char *const *groups, size_t n);
/* Attach `child` to the accepted major incident `parent` (links both ways).
 * Resolving the parent resolves every open child that can resolve, in the
 * same atomic step, with the parent's resolution code and notes.
 * Only incidents are children: any other kind (a problem in known_error, a
 * change) is ITSM_EINVAL ("only incidents attach as children of a major
 * incident: PRB-000001 is a problem") and nothing changes; so is a child
 * link to one made through itsm_record_link from either side, and a
 * non-incident child linked before this rule (a replayed store) is not
 * resolved with its parent. A child is an open incident of one major
 * incident: a major incident itself, or a closed (canceled) incident, is
 * ITSM_ESTATE, and so is a parent already resolved or closed (its
 * children resolve when it does; reopen it first); an incident already the child of another major incident is
 * ITSM_EEXISTS ("INC-000003 is already a child of major incident
 * INC-000001"), through itsm_record_link from either side too.
 * ITSM_EINVAL (NULL, another engine's child, not an incident; checked
 * first), ITSM_ESTATE, ITSM_EEXISTS, store errors, ITSM_ECLOCK. */
ITSM_API int itsm_major_attach(itsm_record *parent, itsm_record *child);

/* Where the record is as a major incident: none, proposed, accepted or
 * rejected; ITSM_MAJOR_NONE for NULL. */
ITSM_API itsm_major_state itsm_record_major_state(const itsm_record *rec);
/* The phase of an accepted major incident (initial, post, resolution);
 * ITSM_PHASE_NONE otherwise or for NULL. */
ITSM_API itsm_major_phase itsm_record_major_phase(const itsm_record *rec);
/* Deadlines of the initial phase: due time and whether done / missed.
 * `missed`: the tick fired its major_deadline_missed, or it was done after
 * its due time with no tick in between (as a clock stopped late reads
 * breached; the event is the tick's: tick before the step to get it).
 * `which`: 0 communication, 1 groups. ITSM_EINVAL, ITSM_ESTATE (not
 * accepted); both set the engine's message. */
ITSM_API int itsm_record_major_deadline(itsm_time *due, int *done, int *missed,
                                        const itsm_record *rec, int which);

#ifdef __cplusplus
}
#endif
#endif
