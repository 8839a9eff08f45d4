/* SPDX-License-Identifier: Apache-2.0 */
/* Internal: conditions over records - the names (fields, state, kind,
 * open) and the getter the policy's conditions compile and run against. */
#ifndef ITSM_SRC_COND_RECORD_H
#define ITSM_SRC_COND_RECORD_H

#include "kit/cond.h"
#include "itsm/condition.h"
#include "itsm/engine.h"

/* Ids beyond the built-in fields (ITSM_F_*). */
enum { ITSM__CID_STATE = 256, ITSM__CID_KIND, ITSM__CID_OPEN };

/* itsm__cond_lookup over `policy` (a const itsm_policy *). */
int  itsm__cond_record_lookup(void *policy, const char *name, size_t len, itsm__cvar *out);
/* itsm__cond_get over `rec` (a const itsm_record *). */
void itsm__cond_record_get(void *rec, int id, itsm__cval *out);

#endif
