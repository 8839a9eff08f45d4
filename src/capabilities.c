/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The static registry of capabilities (core/capability.h): the only place
 * that names them all. Their hooks run in this order; the slots of
 * capabilities.h index it. Adding a capability: docs/architecture.md.
 */
#include "capabilities.h"
#include "core/capability.h"

extern const itsm__capability itsm__cap_problems;         /* src/problem */
extern const itsm__capability itsm__cap_handover;         /* src/handover */
extern const itsm__capability itsm__cap_knowledge;        /* src/knowledge */
extern const itsm__capability itsm__cap_service_levels;   /* src/sla */
extern const itsm__capability itsm__cap_escalation;       /* src/escalation */
extern const itsm__capability itsm__cap_communication;    /* src/communication */
extern const itsm__capability itsm__cap_major;            /* src/major */
extern const itsm__capability itsm__cap_closure;          /* src/closure */
extern const itsm__capability itsm__cap_risk;             /* src/risk */
extern const itsm__capability itsm__cap_approvals;        /* src/approval */
extern const itsm__capability itsm__cap_schedule;         /* src/schedule */
extern const itsm__capability itsm__cap_fulfilment;       /* src/fulfil */
extern const itsm__capability itsm__cap_satisfaction;     /* src/satisfaction */
extern const itsm__capability itsm__cap_proposals;        /* src/problem/proposal.c */
extern const itsm__capability itsm__cap_oncall;           /* src/oncall */
extern const itsm__capability itsm__cap_review;           /* src/review */
extern const itsm__capability itsm__cap_integrity;        /* src/integrity */

const itsm__capability *const itsm__capabilities[] = {
    [ITSM__CAP_PROBLEMS] = &itsm__cap_problems,
    [ITSM__CAP_HANDOVER] = &itsm__cap_handover,
    [ITSM__CAP_KNOWLEDGE] = &itsm__cap_knowledge,
    [ITSM__CAP_SERVICE_LEVELS] = &itsm__cap_service_levels,
    [ITSM__CAP_ESCALATION] = &itsm__cap_escalation,
    [ITSM__CAP_COMMUNICATION] = &itsm__cap_communication,
    [ITSM__CAP_MAJOR] = &itsm__cap_major,
    [ITSM__CAP_CLOSURE] = &itsm__cap_closure,
    [ITSM__CAP_RISK] = &itsm__cap_risk,
    [ITSM__CAP_APPROVALS] = &itsm__cap_approvals,
    [ITSM__CAP_SCHEDULE] = &itsm__cap_schedule,
    [ITSM__CAP_FULFILMENT] = &itsm__cap_fulfilment,
    [ITSM__CAP_SATISFACTION] = &itsm__cap_satisfaction,
    [ITSM__CAP_PROPOSALS] = &itsm__cap_proposals,
    [ITSM__CAP_ONCALL] = &itsm__cap_oncall,
    [ITSM__CAP_REVIEW] = &itsm__cap_review,
    [ITSM__CAP_INTEGRITY] = &itsm__cap_integrity,
};

const size_t itsm__ncapabilities = ITSM__NCAPS;

_Static_assert(ITSM__NCAPS <= ITSM__CAP_MAX, "the engine and the policy hold ITSM__CAP_MAX capabilities");
_Static_assert(sizeof itsm__capabilities / sizeof *itsm__capabilities == ITSM__NCAPS,
               "every slot of capabilities.h has its table");
