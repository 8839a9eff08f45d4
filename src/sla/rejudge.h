/* SPDX-License-Identifier: Apache-2.0 */
/* Internal: the verdicts the tick would give, without the tick - for a
 * scratch engine that judges a store's events under another policy
 * (src/whatif). */
#ifndef ITSM_SRC_SLA_REJUDGE_H
#define ITSM_SRC_SLA_REJUDGE_H

#include "core/core.h"

/* Mark breached every clock of `r` (response, resolution, OLA, each
 * agreement instance) that, counting from the record's last event, reaches
 * its target at or before `at` - what itsm_engine_tick(at) would fire,
 * as flags instead of events - and plan its next timer again. Nothing
 * else changes; a record without service levels is left alone.
 * ITSM_OK, or ITSM_ENOMEM (the deadline queue could not grow; the flags
 * stay marked, the scratch engine is to be freed). */
int itsm__sla_rejudge(itsm_engine *eng, itsm_record *r, itsm_time at);

/* The event classes of the verdicts a tick fires (sla_warning, sla_breach,
 * agreement_warning, agreement_breach), NULL-terminated: a scratch engine
 * replays them as bare steps and judges afresh. */
extern const itsm__evclass *const itsm__sla_verdict_classes[];

#endif
