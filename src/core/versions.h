/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Internal: policy versions (core/versions.c, docs/policy.md
 * "Versions") - the policy a record is judged under, the engine's first
 * version, the `policy` event stored and replayed, a version found by an
 * event's "pv". The version itself, itsm__pver, is in core/engine_int.h
 * with the engine that holds it. Part of core/core.h.
 */
#ifndef ITSM_SRC_CORE_VERSIONS_H
#define ITSM_SRC_CORE_VERSIONS_H

#include "core/engine_int.h"

/* The policy a record is judged under: its version's. Capabilities read
 * what decides a record's verdicts (service-level targets, calendars,
 * pauses, warnings) through this, never eng->policy. */
static inline const itsm_policy *itsm__rec_policy(const itsm_record *r)
{
    return r->eng->vers[r->pv]->policy;
}
/* Register the engine's initial policy as version 0 (itsm_engine_new). */
int  itsm__versions_init(itsm_engine *eng);
void itsm__versions_free(itsm_engine *eng);
/* The store forgot what it held (a group rolled back): policy events are
 * written again as needed. */
void itsm__versions_unstore(itsm_engine *eng);
/* Make version `ix` current again without writing anything (a group not
 * kept: the adoption inside it is undone with its policy events).
 * ITSM_OK or ITSM_ENOMEM (the index of its transitions). */
int  itsm__versions_restore(itsm_engine *eng, uint16_t ix);
/* store.append of the batch's events, with the current version's policy
 * event first when the store does not hold it yet. */
int  itsm__versions_append(itsm_engine *eng, int *prep);   /* *prep: failed before the store (ENOMEM) */
/* Replay of a stored `policy` event (the record "~policy.<id>"). */
int  itsm__versions_replay(itsm_engine *eng, const struct itsm__jval *root, itsm_parse_error *err);
/* Whether a stored event (either form) is a `policy` event, told by its
 * first bytes. */
int  itsm__versions_is_event(const void *doc, size_t len);
/* The version an event's "pv" names (n bytes), or -1. */
int  itsm__versions_find(const itsm_engine *eng, const char *id, size_t n);
/* The policy event's record id prefix. */
#define ITSM__POLICY_RECORD "~policy."
/* Room for a policy event's record id: the prefix, the id, "/", a record id
 * (at most 64 bytes), "/", a revision, NUL. */
#define ITSM__POLICY_RID 128

#endif
