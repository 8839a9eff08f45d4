/* SPDX-License-Identifier: Apache-2.0 */
/* Internal: conditions over records - the names (fields, state, kind,
 * open) and the getter the policy's conditions compile and run against. */
#ifndef ITSM_SRC_COND_RECORD_H
#define ITSM_SRC_COND_RECORD_H

#include "kit/cond.h"
#include "itsm/condition.h"
#include "itsm/engine.h"

/* Ids beyond the built-in fields (ITSM_F_*). */
enum { ITSM__CID_STATE = 256, ITSM__CID_KIND, ITSM__CID_OPEN, ITSM__CID_EVENT };

/* What a condition reads: a record, and the lifecycle event being applied
 * to it (NULL outside an event, or for an event that is no transition). */
typedef struct itsm__cond_subject {
    const itsm_record *rec;
    const char        *event;
} itsm__cond_subject;

/* itsm__cond_lookup over `policy` (a const itsm_policy *). */
int  itsm__cond_record_lookup(void *policy, const char *name, size_t len, itsm__cvar *out);
/* itsm__cond_get over `subject` (an itsm__cond_subject *). */
void itsm__cond_record_get(void *subject, int id, itsm__cval *out);

#endif
