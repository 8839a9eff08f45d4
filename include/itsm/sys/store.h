/* SPDX-License-Identifier: Apache-2.0 */
/*
 * itsm/sys/store.h - what a store implementer needs.
 *
 * The library never touches a disk: persistence is a table of callbacks the
 * host supplies, versioned like SQLite's VFS (version first, new slots only
 * ever appended, optional slots NULL). The engine copies the table when it is
 * created; it does not own `user` unless `destroy` is set, in which case the
 * engine calls destroy(user) exactly once, when it is freed.
 *
 * THE CONTRACT
 *
 * append(user, events, n) is called with every batch of events one mutation
 * produces, before the engine changes anything. It must either keep all n
 * events durably, in order, and return ITSM_OK, or keep none and return an
 * error. On any error the engine discards the change: the caller sees
 * ITSM_ESTORE (or ITSM_ECONFLICT / ITSM_EUSER, passed back as they are) and
 * every record is exactly as it was. The engine never calls the store again
 * from inside a callback. A batch may begin with a `policy` event (type
 * "policy", record "~policy.<version id>...", revision 1, record kind 0):
 * the document of the policy version the events after it are under, which
 * the engine appends with its first event under a version the store does
 * not hold yet (docs/events.md). Keep it like any other event.
 *
 * A store shared by several engines must check revisions: for each event,
 * the record's newest stored revision must be itsm_event_revision(ev) - 1
 * (0 when the record is new, i.e. for an "open" event the id must be
 * unused). Otherwise another engine got there first: keep nothing and
 * return ITSM_ECONFLICT. The loser then catches up with
 * itsm_engine_replay_json and retries.
 *
 * scan(user, emit, ctx), optional, gives back every stored event, in the
 * order they were appended, by calling emit(ctx, json, len) for each; it
 * stops and returns emit's code if emit fails. itsm_engine_load uses it.
 *
 * read_record(user, record_id, emit, ctx), optional (table version 2 on),
 * gives back the stored events of ONE record, in revision order (its
 * "open" event first), the same way: emit(ctx, json, len) for each, the
 * exact bytes append received (itsm_event_to_json); stop and return emit's
 * code if emit fails; ITSM_OK when done (for an id it holds no event of,
 * ITSM_OK without calling emit). A link's two events belong one to each
 * record. The json is borrowed for the duration of the emit call. It is
 * called outside any append, never from inside another callback, and must
 * not call the engine. itsm_record_timeline uses it to show a record's
 * whole history without the engine keeping it in memory: a store without
 * it gives a timeline of the notes only. An index on (record, rev) makes
 * it one range read.
 *
 * group(user, op), optional (table version 3 on), lets the engine group
 * many mutations into one durable write (itsm_engine_begin .. _commit):
 *   ITSM_STORE_GROUP_BEGIN  open a group. The appends that follow are the
 *       group's: each is still checked and kept whole or not at all (a
 *       refused append keeps none of its events and leaves the group open),
 *       later reads through this store (scan, read_record) see them, but
 *       none needs to be durable yet, and other engines sharing the store
 *       must not see them.
 *   ITSM_STORE_GROUP_COMMIT  make every append of the group durable at once
 *       and visible to others, and return ITSM_OK; or keep none of them and
 *       return an error.
 *   ITSM_STORE_GROUP_ABORT  keep none of the group's appends.
 * The engine never nests groups, and calls COMMIT or ABORT exactly once for
 * every BEGIN that returned ITSM_OK. A store without groups has NULL here.
 *
 * VERSIONS: the engine accepts a table of any version from 1 up to
 * ITSM_STORE_VERSION (slots a version lacks are NULL: a version 1 table
 * has no read_record) and refuses a newer one with ITSM_EINVAL naming both
 * versions. Slots are only ever appended.
 *
 * The guarantee back: an event the store accepted is applied, and an event it
 * refused is not; the in-memory state always equals the replay of the events
 * the store holds (for a store used by one engine).
 */
#ifndef ITSM_SYS_STORE_H
#define ITSM_SYS_STORE_H

#include "../common.h"
#include "../event.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef int (*itsm_store_emit_fn)(void *ctx, const char *json, size_t len);

typedef struct itsm_store {
    int version;  /* ITSM_STORE_VERSION, or an older one */
    int  (*append)(void *user, const itsm_event *const *events, size_t n);
    int  (*scan)(void *user, itsm_store_emit_fn emit, void *ctx);  /* optional */
    void (*destroy)(void *user);                                  /* optional */
    /* version 2 (itsm 0.2) on */
    int  (*read_record)(void *user, const char *record_id,         /* optional */
                        itsm_store_emit_fn emit, void *ctx);
    /* version 3 on */
    int  (*group)(void *user, int op);                             /* optional */
} itsm_store;

#define ITSM_STORE_VERSION 3

/* The ops of itsm_store.group. */
#define ITSM_STORE_GROUP_BEGIN  1
#define ITSM_STORE_GROUP_COMMIT 2
#define ITSM_STORE_GROUP_ABORT  3

#ifdef __cplusplus
}
#endif
#endif
