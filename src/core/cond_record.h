/* SPDX-License-Identifier: Apache-2.0 */
/* Internal: conditions over records - the names (fields built in and
 * declared, state, kind, open, event) and the getters the policy's conditions
 * compile and run against. */
#ifndef ITSM_SRC_COND_RECORD_H
#define ITSM_SRC_COND_RECORD_H

#include "kit/cond.h"
#include "itsm/condition.h"
#include "itsm/engine.h"

struct itsm_event;

/* Ids beyond the built-in fields (ITSM_F_*) and below the custom ones. */
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

/* A record as it will be once an event of the batch applies (an OPEN
 * event's record before it has any value): rules that run before the
 * store (routing on open) read this. */
typedef struct itsm__cond_view {
    const itsm_record        *rec;
    const struct itsm_event  *ev;
} itsm__cond_view;
/* itsm__cond_get over `view` (an itsm__cond_view *). */
void itsm__cond_view_get(void *view, int id, itsm__cval *out);

/* Compile a condition of the policy (its fields, states and kinds).
 * ITSM_OK, or the error with the reason in the policy's error buffer,
 * prefixed by `where`. */
int  itsm__cond_policy_compile(itsm_policy *p, itsm__cond **out, const char *text, const char *where);

#endif
