/* SPDX-License-Identifier: Apache-2.0 */
/* Internal: how a record was closed (src/closure/closure.c), the one rule
 * the report (src/report/) and the satisfaction survey (src/satisfaction/,
 * src/report/report_survey.c) read for "closed with a resolution". */
#ifndef ITSM_SRC_CLOSURE_INT_H
#define ITSM_SRC_CLOSURE_INT_H

#include "core/core.h"

/* 1 when the record's state ends it unresolved (canceled): a closed state
 * of a lifecycle with stop states that no transition of its own reaches
 * from one - only "from any open state" (cancel) or from states still in
 * work. Closed from the resolution (confirm, auto_close) is 0; so is any
 * state of a lifecycle without stop states, or an open one. A record
 * canceled after its resolution keeps resolved_at, yet it is 1. */
int itsm__closed_unresolved(const itsm_engine *eng, const itsm_record *rec);

/* 1 when the record is closed with a resolution the customer can be asked
 * about: closed, resolved_at set, and not closed unresolved. */
int itsm__closed_resolved(const itsm_engine *eng, const itsm_record *rec);

#endif
