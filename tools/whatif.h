/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tools/whatif.h - itsm-replay --whatif: the replayed log's store judged
 * under a candidate policy (itsm/whatif.h), as a text section a person
 * reads after the report.
 */
#ifndef ITSM_TOOLS_WHATIF_H
#define ITSM_TOOLS_WHATIF_H

#include <itsm.h>
#include <stdio.h>

/* The what-if as text: the totals, each SLA's verdicts on both sides, the
 * `ngroups` groups whose breaches change most, the times to resolve, and
 * the first `nflips` flips. `candidate` names the candidate's file. */
void rp_whatif_text(const itsm_whatif *w, const char *candidate, size_t ngroups, size_t nflips, FILE *out);

#endif
