/* SPDX-License-Identifier: Apache-2.0 */
/*
 * contract_int.h - what the files of the store contract share: the driver
 * under test, engines ("nodes") over its store, what a sink heard and a
 * scan gave, and the cases each file defines (contract.c runs them in the
 * order of contract_cases.txt).
 */
#ifndef ITSM_TEST_CONTRACT_INT_H
#define ITSM_TEST_CONTRACT_INT_H

#include "contract.h"

#include "support.h"

#include <stddef.h>
#include <stdint.h>

/* The driver of the run (contract_run sets it). */
extern const contract_driver *drv;

/* An engine over a handle on the driver's store, with its own clock. */
typedef struct node {
    void        *h;
    itsm_engine *eng;
    vclock       clock;
} node;

/* A handle on `where`; fails the test with the reason otherwise. */
void *open_handle(const char *where);
/* A node on `where` (its clock at T0), loaded; `sink` may be NULL. */
void node_open(node *n, const char *where, itsm_event_sink_fn sink, void *sink_user);
void node_close(node *n);
/* Read what others appended; the number of events read. */
size_t catch_up(node *n);
/* The events in the store, through a node or a bare handle. */
uint64_t stored(node *n);
uint64_t count_of(void *h);
/* The dump of a fresh engine loaded from `where`: what the store holds. */
char *dump_of_store(const char *where);
itsm_record *open_incident(node *n, const char *id);
itsm_record *find(node *n, const char *id);
int work_note(itsm_record *r, const char *text);
void assert_same(const char *a, const char *b, const char *what);

/* A sink keeping the JSON of every event it hears (record_sink, user = a
 * recording), and a scan compared against it (scan_emit, ctx = scanned). */
typedef struct recording { char **json; size_t n; } recording;
void record_sink(void *user, const itsm_event *const *evs, size_t n);
/* A stored event as JSON text (malloc'd): a store may keep the binary
 * form, which converts to the event's JSON byte for byte. */
char *as_json(const char *doc, size_t len);
/* The records' events scanned against those the sink heard; the policy
 * events (a version's document, which the sink is not told of) counted
 * apart, and where the first came. */
typedef struct scanned { const recording *want; size_t n; int mismatch; size_t npolicy, policy_at; } scanned;
int scan_emit(void *ctx, const char *doc, size_t len);

/* The cases, by file: appends (contract_append.c), reading back
 * (contract_reload.c), the store's groups (contract_group.c), the engine's
 * group commit over the store (contract_engine_group.c). */
void f(void **state);
void append_keeps_a_whole_batch_or_nothing(void **state);
void scan_gives_every_event_in_append_order(void **state);
void stale_revision_is_a_conflict_and_changes_nothing(void **state);
void open_of_a_taken_id_is_a_conflict(void **state);
void append_after_a_gap_is_a_conflict(void **state);
void reload_rebuilds_every_record(void **state);
void kill_and_reload_keeps_every_acknowledged_event(void **state);
void catch_up_reads_what_others_appended(void **state);
void catch_up_compares_the_events_it_has(void **state);
void read_record_gives_one_record_in_revision_order(void **state);
void group_commit_keeps_every_append_at_once(void **state);
void group_abort_keeps_none_of_it(void **state);
void refused_append_leaves_the_group_open(void **state);
void kill_in_a_group_keeps_nothing_of_it(void **state);
void engine_group_is_one_write_with_the_same_events(void **state);
void engine_rollback_goes_back_to_the_last_commit(void **state);
void engine_group_not_kept_reloads_the_last_commit(void **state);

#endif
