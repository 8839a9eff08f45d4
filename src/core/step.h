/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Internal: what a step builds beyond one event - opening records (their
 * ids), system notes, related links, firing lifecycle events with their
 * guards (core/fire.c) - the names of event, note and link kinds, and an
 * excerpt of a record's timeline. Part of core/core.h.
 */
#ifndef ITSM_SRC_CORE_STEP_H
#define ITSM_SRC_CORE_STEP_H

#include "core/engine_int.h"

/* A new record's id: the host's (checked, unused) or the next generated
 * one ("INC-000001"), written to buf; *seq is what to remember after the
 * commit (itsm__remember_id). */
int          itsm__new_id(itsm_engine *eng, int kind, const char *id, char buf[32], const char **out,
                          size_t *n, uint64_t *seq);
/* Add the OPEN event of a new record (allocated, in its lifecycle's initial
 * state, owned by the event until applied). NULL on ENOMEM (message set). */
itsm_event  *itsm__batch_open(itsm_engine *eng, int kind, const char *id, size_t n, itsm_time at);
/* After a committed open: keep generated ids ahead of every id seen. */
void         itsm__remember_id(itsm_engine *eng, int kind, int host_chosen, const itsm_record *r,
                               uint64_t seq);
/* Record ids: 1..64 bytes of A-Z a-z 0-9 - _ . : */
int          itsm__id_valid(const char *id, size_t n);
const char  *itsm__event_type_name(int type);
const char  *itsm__note_kind_name(int kind);
const char  *itsm__link_kind_name(int kind);
/* After opening `id` (live or replayed): if it has the shape of a generated
 * id of `kind` ("INC-000042"), move the id counter past it. */
void         itsm__bump_seq(itsm_engine *eng, int kind, const char *id);
/* Add a NOTE event written by the engine (ITSM_NOTE_SYSTEM) to the batch. */
int          itsm__batch_system_note(itsm_engine *eng, itsm_record *r, itsm_time at, const char *text);
/* Add a related link both ways (two LINK events) to the batch. */
int          itsm__batch_link(itsm_engine *eng, itsm_record *a, int kind, itsm_record *b, itsm_time at);

/* Add a transition of `r` on lifecycle event `event` to the batch being built,
 * with the caller's changes and the guards of itsm_record_fire (for steps
 * that change several records at once). On failure the caller aborts the
 * batch. itsm__fire_check: would it pass, with no changes given? ITSM_OK,
 * ITSM_ETRANSITION or ITSM_EGUARD; builds nothing. */
int          itsm__batch_fire(itsm_record *r, const char *event, const itsm_change *changes, size_t n,
                              itsm_time at);
int          itsm__fire_check(itsm_record *r, const char *event);
/* Whether one guard term holds for the record as the event leaves it (ev
 * with no changes: the record as it is), and the bit set of the terms of
 * t's guard that do not (bit i: t->terms[i]; a guard has at most
 * ITSM__MAX_GUARD_TERMS terms). */
int          itsm__term_met(const itsm_record *r, const itsm_event *ev, const struct itsm__gterm *g);
uint64_t     itsm__guard_missing(const itsm_record *r, const itsm_event *ev,
                                 const struct itsm__transition *t);

/* Keep the entries of a record's whole history (itsm_record_timeline) that
 * `keep` says yes to, in order: an excerpt of it (itsm_review_timeline). */
void         itsm__timeline_keep(itsm_timeline *tl, int (*wanted)(const itsm_timeline_entry *e));
/* A record's whole history for a reader that can do without it (a
 * decision, a packet): NULL, and no message, when the store cannot give
 * it - no read_record, called from inside a callback - or the read
 * fails; else the timeline, for itsm_timeline_free. */
itsm_timeline *itsm__history_of(itsm_engine *eng, const itsm_record *r);
/* Member `key` of the event of entry `index` (read again from its json,
 * either stored form, not searched for in its bytes): 1 true, 0 false, -1
 * absent, not a truth value, or unreadable (a note the engine keeps has no
 * json). */
int          itsm__timeline_flag(const itsm_timeline *tl, size_t index, const char *key);
/* The time of the first entry of r's history (itsm__history_of) that
 * `match` says yes to (`arg` passed on): ITSM_TIME_NONE when none does or
 * the store cannot tell. One walk for every rule that asks "when did the
 * record first ...". */
itsm_time    itsm__history_find(itsm_engine *eng, const itsm_record *r,
                                int (*match)(const itsm_timeline_entry *e, void *arg), void *arg);

#endif
