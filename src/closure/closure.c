/* SPDX-License-Identifier: Apache-2.0 */
/* The closure capability: the knowledge decision recorded when an
 * incident is resolved, knowledge candidates, the satisfaction survey
 * sample and whether a closed record ended unresolved (closure_int.h: the
 * report's and the survey's one rule) (DESIGN.md section 7). Auto-close is
 * a timer of the service levels (sla/). */
#include "closure/closure_int.h"
#include "sla/sla_int.h"
#include "core/core.h"
#include "kit/json.h"
#include "knowledge/knowledge_int.h"

#include <stdio.h>
#include <string.h>

#define SLOT(f) (itsm__fields[f].slot)
#define NUM(r, f) itsm__rec_num((r), SLOT(f))
#define STR(r, f) (itsm__rec_str((r), SLOT(f)))

/* ---- closure ---- */

int itsm_record_knowledge_candidate(const itsm_record *r)
{
    if (!r || !itsm__sr(r) || !(itsm__sr(r)->flags & ITSM__SF_KB_CANDIDATE))
        return 0;
    const char *kd = STR(r, ITSM_F_KNOWLEDGE_DECISION);
    return !kd || strcmp(kd, "candidate") == 0;
}

int itsm_record_survey_sampled(const itsm_record *r)
{
    if (!r)
        return 0;
    uint64_t h = 1469598103934665603ull;
    for (const char *s = r->id; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 1099511628211ull;
    }
    h ^= h >> 29;   /* FNV's low digits alone are weak: mix the high bits in */
    /* The rate of the record's version, not the engine's current one: a
     * version adopted later never rewrites a closed record's sample. */
    return (unsigned)(h % 1000u) < itsm__sl(itsm__rec_policy(r))->survey_permille;
}
/* Withdrawn - logged in error, a duplicate - a record was never verified
 * restored (seed 000: the test of success is "the user's verification
 * their service has been restored"), whatever it had been before; closed
 * from a stop state (confirm, auto_close) it was. */
int itsm__closed_unresolved(const itsm_engine *eng, const itsm_record *rec)
{
    const itsm__lifecycle *lc = itsm__lifecycle_of(eng, rec->kind);
    int st = rec->state, stops = 0;
    if (!itsm__lc_is_closed(lc, st))
        return 0;
    for (size_t s = 0; s < lc->nstates && !stops; s++)
        stops = itsm__state_is_stop(eng, rec, (int)s);
    for (size_t i = 0; stops && i < lc->ntrans; i++)
        if (lc->trans[i].to == st && lc->trans[i].from != ITSM__ANY_OPEN &&
            itsm__state_is_stop(eng, rec, lc->trans[i].from))
            return 0;
    return stops;
}

int itsm__closed_resolved(const itsm_engine *eng, const itsm_record *rec)
{
    return itsm__lc_is_closed(itsm__lifecycle_of(eng, rec->kind), rec->state) &&
           NUM(rec, ITSM_F_RESOLVED_AT) != ITSM_TIME_NONE && !itsm__closed_unresolved(eng, rec);
}

/* ---- derived: the knowledge decision at resolution ---- */

/* Resolving an incident whose knowledge decision is unset records, in the
 * same step, what knowledge it matched: linked (an article is linked),
 * matched (an article matches), or candidate (none: the resolution should
 * become knowledge). A reopened incident still marked "candidate" by an
 * earlier resolution is decided again: the resolution that counts is the
 * last one, and one that links or matches an article is no candidate.
 * Children resolved with their parent are covered too: this runs after
 * the major-incident capability extended the batch. */
static int decide_knowledge(itsm_engine *eng)
{
    if (!itsm__sl(eng->policy)->knowledge_candidate)
        return ITSM_OK;
    for (size_t i = 0; i < eng->nbatch; i++) {
        itsm_event *ev = &eng->batch[i];
        itsm_record *r = ev->rec;
        if (ev->type != ITSM__EV_TRANSITION || r->kind != ITSM_KIND_INCIDENT ||
            !itsm__state_is_stop(eng, r, ev->to_state) || itsm__state_is_stop(eng, r, r->state) ||
            itsm__ev_has(ev, ITSM_F_KNOWLEDGE_DECISION))
            continue;   /* the step sets (or clears) it itself */
        const char *kd = itsm__view_str(r, ev, ITSM_F_KNOWLEDGE_DECISION);
        int again = kd && strcmp(kd, "candidate") == 0 && NUM(r, ITSM_F_REOPENS) > 0;
        if (kd && !again)
            continue;   /* decided already */
        const char *d = itsm__knowledge_classify(eng, r);
        if (!d)
            return eng->err.code;
        if (again && strcmp(d, "candidate") == 0)
            continue;   /* still a candidate: nothing changes */
        int rc = itsm__propose_str(eng, ev, ITSM_F_KNOWLEDGE_DECISION, d, strlen(d), ITSM__BY_ENGINE);
        if (rc)
            return rc;
    }
    return ITSM_OK;
}

/* ---- derived: the end of a known outage at restoration ---- */

static int outage_ended_in_batch(const itsm_engine *eng, const itsm_record *r)
{
    for (size_t i = 0; i < eng->nbatch; i++)
        if (eng->batch[i].rec == r && eng->batch[i].type == ITSM__EV_EXT &&
            eng->batch[i].cls == &itsm__xclasses[ITSM__X_OUTAGE_END])
            return 1;
    return 0;
}

/* Restoring (resolving) or closing the record of a known outage ends the
 * outage in the same step (the service-level apply drops it); an
 * "outage_ended" event after the transition tells the host, as
 * itsm_outage_end does, so a status page fed by the sink shows the service
 * back (seed 002: availability information "must be dynamic and
 * reliable"). Runs after the major-incident capability, so a child
 * resolved with its parent is covered too. */
static int end_outages(itsm_engine *eng)
{
    const itsm__slaeng *se = itsm__se(eng);
    if (!se->noutages)
        return ITSM_OK;
    for (size_t i = 0, n = eng->nbatch; i < n; i++) {
        itsm_event *ev = &eng->batch[i];
        itsm_record *r = ev->rec;
        if (ev->type != ITSM__EV_TRANSITION || !r || !itsm__sr(r) || !(itsm__sr(r)->flags & ITSM__SF_OUTAGE) ||
            itsm__state_is_live(eng, r, ev->to_state) || outage_ended_in_batch(eng, r))
            continue;
        const char *svc = NULL;
        for (size_t k = 0; k < se->noutages; k++)
            if (se->outages[k].rec == r)
                svc = se->outages[k].service;
        itsm__xev *x;
        if (!itsm__xev_add(eng, ITSM__X_OUTAGE_END, r, ev->at, &x))
            return itsm__oom(eng);
        x->sym[0] = svc;
    }
    return ITSM_OK;
}

/* A lone step `ev` under a policy that flags no knowledge candidates, on
 * a record that is no known outage: neither decide_knowledge nor
 * end_outages has anything to do (extend_idle). */
static int extend_idle(const itsm_engine *eng, const itsm_event *ev)
{
    const itsm__slarec *s;
    return !itsm__sl(eng->policy)->knowledge_candidate &&
           (!itsm__se(eng)->noutages || !(s = itsm__sr(ev->rec)) || !(s->flags & ITSM__SF_OUTAGE));
}

/* extend_idle's 1 while no known outage stands, under a policy that flags
 * no knowledge candidates: the count the core reads instead of the call
 * (capability.h: extend_idle_zero). */
static const size_t *extend_idle_zero(const itsm_engine *eng)
{
    return itsm__sl(eng->policy)->knowledge_candidate ? NULL : &itsm__se(eng)->noutages;
}

static int extend(itsm_engine *eng, size_t n0)
{
    (void)n0;
    int rc = decide_knowledge(eng);
    return rc ? rc : end_outages(eng);
}

static const itsm__evclass *const classes[] = { &itsm__xclasses[ITSM__X_AC_BLOCKED], NULL };

const itsm__capability itsm__cap_closure = {
    .name = "closure",
    .extend_types = ITSM__EVB_SETTLING,   /* resolving, closing */
    .extend = extend,
    .extend_idle = extend_idle,
    .extend_idle_zero = extend_idle_zero,
    .classes = classes,
};
