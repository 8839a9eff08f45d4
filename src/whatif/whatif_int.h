/* SPDX-License-Identifier: Apache-2.0 */
/* Internal: the what-if handle (itsm/whatif.h). Every string it hands out
 * is its own copy (strs). */
#ifndef ITSM_SRC_WHATIF_INT_H
#define ITSM_SRC_WHATIF_INT_H

#include "itsm/whatif.h"
#include "core/core.h"
#include "kit/alloc.h"

struct itsm_whatif {
    itsm_allocator        alloc;
    size_t                events;
    itsm_whatif_summary   sum;
    itsm_whatif_flip     *flips;   size_t nflips, cflips;
    itsm_whatif_sla      *slas;    size_t nslas, cslas;
    itsm_whatif_group    *groups;  size_t ngroups, cgroups;
    itsm_whatif_duration  dur[2];
    char                **strs;    size_t nstrs, cstrs;
};

/* What a scratch engine judging a store afresh does (core/event.h's rejudge):
 * the tick's verdicts before each event, the store's own as bare steps. */
extern const itsm__rejudge itsm__whatif_rejudge;

/* A scratch engine under `policy` for judging a store: no store, no sink,
 * its clock reading *now; `alloc` and `limits` copied. ITSM_OK, or the
 * code of itsm_engine_new with its message in why. */
int itsm__whatif_scratch(itsm_engine **out, const itsm_policy *policy, const itsm_allocator *alloc,
                         const itsm_json_limits *limits, const itsm_time *now, char *why, size_t cap);

/* Compare the two rejudged sides record by record into w (whatif_compare.c).
 * ITSM_OK or ITSM_ENOMEM. */
int itsm__whatif_compare(itsm_whatif *w, itsm_engine *actual, itsm_engine *candidate, itsm_time as_of);

#endif
