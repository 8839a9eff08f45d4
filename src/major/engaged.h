/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Internal: the groups each major incident engaged (itsm_major_engage_groups),
 * in the order first engaged, kept by the major-incident capability
 * (eng->cap[ITSM__CAP_MAJOR]) so that a handover packet built from the
 * record lists them (DESIGN 9: engaged groups). The stored
 * major_groups_engaged events hold them; a load rebuilds the lists.
 */
#ifndef ITSM_SRC_MAJOR_ENGAGED_H
#define ITSM_SRC_MAJOR_ENGAGED_H

#include "core/core.h"

int  itsm__major_engine_init(itsm_engine *eng);
void itsm__major_engine_free(itsm_engine *eng);
/* Room for the groups the batch's major_groups_engaged events add, so that
 * applying them cannot fail. ITSM_OK or ITSM_ENOMEM. */
int  itsm__major_engaged_reserve(itsm_engine *eng);
/* Applying a major_groups_engaged event (sla_events.c): its new groups
 * listed, in the room reserved. */
void itsm__major_engaged_apply(itsm_engine *eng, itsm_event *ev);
/* The groups `r` engaged (interned, borrowed from the engine), their count
 * in *n; NULL and 0 when none. */
const char *const *itsm__major_engaged(const itsm_engine *eng, const itsm_record *r, size_t *n);

#endif
