/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Internal: problem decisions, handover packets and knowledge (issue 4).
 *
 * The engine keeps this capability's state behind one pointer (eng->pm):
 *   - the recurrence index: per (service, category) the open times of its
 *     incidents, sorted, so "N incidents within the window" is a binary
 *     search, not a scan of every record;
 *   - the handover registry: every proposed packet, its state, and the
 *     quality log of desk_to_major handovers that lacked something.
 *
 * Hooks called by the core (engine.c):
 *   itsm__pm_prepare  before the store sees a batch: reserve what apply
 *                     will need, so apply cannot fail (ITSM_ENOMEM aborts
 *                     the batch, nothing changed);
 *   itsm__pm_observe  for each event, just before it applies (it sees the
 *                     record's old values and the event's new ones);
 *   itsm__pm_free     when the engine is freed.
 * If an allocation still fails in observe (only possible while replaying),
 * the index is marked stale and rebuilt from the records on the next query.
 */
#ifndef ITSM_SRC_PM_H
#define ITSM_SRC_PM_H

#include "itsm/common.h"
#include "itsm/json.h"
#include "itsm/record.h"

struct itsm_engine;
struct itsm_event;
struct itsm__jw;
struct itsm__jval;

/* ---- policy part (lives inside struct itsm_policy as `pm`) ---- */

#define ITSM__PACKET_KINDS 5

typedef struct itsm__pm_policy {
    int      recurrence_count;     /* N (default 3); 0 disables the rule */
    int64_t  recurrence_window;    /* seconds (default 30 days) */
    int      major_review;         /* a major incident always gets a problem review (default 1) */
    uint32_t checklist[ITSM__PACKET_KINDS + 1];   /* item bits, indexed by itsm_packet_kind */
} itsm__pm_policy;

void itsm__pm_policy_defaults(itsm__pm_policy *pp);
/* Read the "problem_rules" and "handover" members of a policy document's
 * root object (either may be absent: defaults stay). ITSM_OK or
 * ITSM_EPARSE with err filled at the offending value. */
int  itsm__pm_policy_read(itsm__pm_policy *pp, const struct itsm__jval *root, itsm_parse_error *err);
/* Write both members (always, so a document round-trips byte for byte). */
void itsm__pm_policy_write(const itsm__pm_policy *pp, struct itsm__jw *w);

/* ---- engine hooks ---- */
int  itsm__pm_prepare(struct itsm_engine *eng);
void itsm__pm_observe(struct itsm_engine *eng, const struct itsm_event *ev);
void itsm__pm_free(struct itsm_engine *eng);

#endif
