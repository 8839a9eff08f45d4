/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Internal: the registry's slots. A capability finds its engine state at
 * eng->cap[slot] and its policy section at policy->sect[slot]; the order is
 * the order its hooks run in (src/capabilities.c lists the tables).
 */
#ifndef ITSM_SRC_CAPABILITIES_H
#define ITSM_SRC_CAPABILITIES_H

enum itsm__cap_slot {
    ITSM__CAP_PROBLEMS = 0,     /* src/problem: the recurrence index, problem rules */
    ITSM__CAP_HANDOVER,         /* src/handover: packets, the registry, checklists */
    ITSM__CAP_KNOWLEDGE,        /* src/knowledge: search sources */
    ITSM__CAP_SERVICE_LEVELS,   /* src/sla: clocks, the deadline queue, the policy's service levels */
    ITSM__CAP_ESCALATION,       /* src/escalation: routing, functional and hierarchical escalation */
    ITSM__CAP_COMMUNICATION,    /* src/communication: cadence, audience, known outages */
    ITSM__CAP_MAJOR,            /* src/major: major incidents */
    ITSM__CAP_CLOSURE,          /* src/closure: knowledge decision at resolution, survey */
    ITSM__CAP_RISK,             /* src/risk: the risk questionnaire and records' answers */
    ITSM__CAP_APPROVALS,        /* src/approval: approval rules, rounds and decisions */
    ITSM__CAP_SCHEDULE,         /* src/schedule: planned windows, blackouts, collisions */
    ITSM__CAP_FULFILMENT,       /* src/fulfil: the service catalogue, requests' tasks */
    ITSM__CAP_SATISFACTION,     /* src/satisfaction: the survey scale and the answers */
    ITSM__CAP_PROPOSALS,        /* src/problem/proposal.c: problems proposed by the recurrence rule */
    ITSM__CAP_ONCALL,           /* src/oncall: escalation policies, pages, alert intake */
    ITSM__CAP_REVIEW,           /* src/review: post-incident reviews of major incidents */
    ITSM__CAP_INTEGRITY,        /* src/integrity: the hash chain of stored events (last: it
                                   hashes a step's events once every other has shaped them) */
    ITSM__NCAPS
};

/* Per-record slots (itsm__rec_xs). */
enum itsm__rec_slot {
    ITSM__XS_TIMERS = 0         /* service levels: the record's clocks (src/sla/sla_int.h) */
};

#endif
