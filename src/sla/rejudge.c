/* SPDX-License-Identifier: Apache-2.0 */
/* The tick's verdicts as flags (sla/rejudge.h): a what-if replays a store's
 * events without the store's own warnings and breaches, and judges every
 * clock here before each event instead, as a tick at that event's time
 * would have. A clock reaches its target only between events, so judging
 * before each event and at the end misses no breach. */
#include "sla/rejudge.h"
#include "sla/sla_int.h"

const itsm__evclass *const itsm__sla_verdict_classes[] = {
    &itsm__xclasses[ITSM__X_WARNING], &itsm__xclasses[ITSM__X_BREACH],
    &itsm__xclasses[ITSM__X_AGR_WARNING], &itsm__xclasses[ITSM__X_AGR_BREACH], NULL
};

static int64_t counted(const itsm__cal *cal, itsm_time from, itsm_time to)
{
    if (to <= from)
        return 0;
    return !cal || cal->always ? to - from : itsm__cal_work(cal, from, to);
}

static int judge_agreements(const itsm_engine *eng, const itsm_record *r, itsm__slarec *s, itsm_time at)
{
    (void)eng;
    const itsm__slapol *sp = itsm__sl(itsm__rec_policy(r));   /* its version's terms: names and order are shared */
    int marked = 0;
    if (!s->agr)
        return 0;
    int64_t p = itsm_record_int(r, ITSM_F_PRIORITY);
    int prio = p >= 1 && p <= 5 ? (int)p : 0;
    for (size_t i = 0; i < sp->nagrs; i++) {
        itsm__agrinst *in = &s->agr->inst[i];
        if (!in->active || !in->started || in->stopped || in->hold || in->breached)
            continue;
        const itsm__agr_target *t = itsm__agreement_target(&sp->agrs[i], prio);
        if (!t)
            continue;
        if ((int64_t)in->elapsed + counted(&sp->cals[t->cal], s->since, at) >= (int64_t)t->seconds)
            in->breached = 1, marked = 1;
    }
    return marked;
}

int itsm__sla_rejudge(itsm_engine *eng, itsm_record *r, itsm_time at)
{
    itsm__slarec *s = itsm__sr(r);
    int marked = 0;
    if (!s || !itsm__se(eng))
        return ITSM_OK;
    for (int ck = 0; ck < ITSM__NCK; ck++) {
        itsm__clock *c = &s->ck[ck];
        if (!c->run || c->hold || c->breached)
            continue;
        uint32_t target = itsm__rec_target(eng, r, ck);
        if (target && (int64_t)c->elapsed + counted(itsm__sla_cal_of(eng, r, ck), s->since, at) >= (int64_t)target)
            c->breached |= ITSM__CB_FIRED, marked = 1;
    }
    marked |= judge_agreements(eng, r, s, at);
    /* The breach is no longer the record's next timer. */
    return marked ? itsm__sla_replan(eng, r) : ITSM_OK;
}
