/* SPDX-License-Identifier: Apache-2.0 */
/* Test support: an in-memory store with failure injection and revision
 * checks, a counting allocator that fails on demand, a virtual clock, and a
 * canonical dump of an engine's records for equality checks. */
#ifndef ITSM_TEST_SUPPORT_H
#define ITSM_TEST_SUPPORT_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <itsm.h>

/* ---- virtual clock ---- */
typedef struct vclock { itsm_time now; } vclock;
itsm_time vclock_read(void *user);
/* 2026-03-02T09:00:00Z, a Monday. */
#define T0 ((itsm_time)1772442000)

/* ---- in-memory store ---- */
typedef struct memstore {
    char   **events;        /* JSON of every accepted event, in order */
    size_t   n, cap;
    int      appends;       /* append calls so far */
    int      fail_at;       /* fail the append with this 1-based number; 0 = never */
    int      fail_code;     /* what to return then (default ITSM_ESTORE) */
    int      check_revisions;
    int      reads;         /* read_record calls so far */
    int      fail_read;     /* read_record returns this when set */
    char   **ids;           /* revision map for the shared-store check */
    uint64_t *revs;
    size_t   nids, cids;
    /* Policy events (type "policy") in a table of their own, so events[]
     * holds the records' events only: policies[i] came after the first
     * policy_at[i] of them, and scan gives it back there. */
    char   **policies;
    size_t  *policy_at;
    size_t   npolicies, cpolicies;
    int      policies_inline;   /* keep policy events in events[] too, as a
                                 * host's store does (the store contract) */
} memstore;

/* A copy of a stored event without its "pv" member: the event as a store
 * from before policy versions holds it. Caller frees. */
char *event_without_pv(const char *json);
/* The same in place: drop the "pv" member of a stored event's JSON. */
void event_drop_pv(char *json);
void memstore_init(memstore *s);
void memstore_free(memstore *s);
extern const itsm_store memstore_methods;

/* ---- failing allocator (failalloc.h, shared with the fuzz targets) ---- */
#include "failalloc.h"

/* ---- engines ---- */
typedef struct fixture {
    vclock    clock;
    memstore  store;
    itsm_engine *eng;
} fixture;
/* An engine over a fresh memstore and virtual clock at T0, default policy. */
void fixture_open(fixture *f);
/* The same under `policy` (NULL: the default) and, when `fa` is not NULL,
 * its failing allocator. */
void fixture_open_with(fixture *f, const itsm_policy *policy, failalloc *fa);
void fixture_close(fixture *f);
/* An engine over the store `s` and clock `c` (no fixture), under `policy`
 * (NULL: the default). */
itsm_engine *engine_over(memstore *s, vclock *c, const itsm_policy *policy);
/* The same on the failing allocator `fa` (NULL: the default allocator). */
itsm_engine *engine_over_failing(memstore *s, vclock *c, const itsm_policy *policy, failalloc *fa);
/* The same with `sink` (NULL: none) told of every event applied, given
 * `sink_user`. */
itsm_engine *engine_over_sink(memstore *s, vclock *c, const itsm_policy *policy, itsm_event_sink_fn sink,
                              void *sink_user);
/* fixture_open under `policy` (NULL: the default) with that sink. */
void fixture_open_sink(fixture *f, const itsm_policy *policy, itsm_event_sink_fn sink, void *sink_user);
/* The default policy with the incident lifecycle new --resolve-->
 * resolved --close--> closed, plus resolved --auto_close--> `ac_to`, with
 * `stamp` (NULL: none) on resolve. The caller frees it. */
itsm_policy *small_incident_policy(const char *stamp, const char *ac_to);

/* A canonical text of every record (fields, state, revision, timeline,
 * links), so two engines can be compared byte for byte. Caller frees. */
char *engine_dump(const itsm_engine *eng);
/* Every step of every record's agreement history and every agreement's
 * instance as of `now`, as text, through the public getters (empty under
 * a policy without agreements). Caller frees. */
char *agreement_dump(itsm_engine *eng, itsm_time now);
/* Replay every event of `s` into a fresh engine (default policy) and
 * return its dump. Caller frees. */
char *replay_dump(const memstore *s);
/* Replaying `s` that way gives `eng`'s records, byte for byte (the dumps). */
void assert_replays_the_same(const itsm_engine *eng, const memstore *s);

/* ---- the events a sink saw, and the stored events ---- */
/* A sink (itsm_engine_opts.sink, user = an evcapture) keeping the JSON of
 * every event it is given, in order. */
typedef struct evcapture { char **json; size_t n, cap; } evcapture;
void evcapture_sink(void *user, const itsm_event *const *evs, size_t n);
void evcapture_free(evcapture *c);
/* The sink read after apply exactly what the store kept before it. */
void assert_sink_saw_the_store(const evcapture *c, const memstore *s);
/* The first stored event containing `needle`; fails the test if none. */
const char *memstore_find(const memstore *s, const char *needle);
/* Cut the chain link every stored event ends with (asserting it is
 * there), so events compare with the forms docs/events.md shows. */
void memstore_unchain(memstore *s);
/* Whether a stored event's JSON is a policy event (a version's document,
 * record "~policy.<id>..."; docs/events.md): a store holds one before the
 * first event under each version, the sink is never told of it. */
int event_is_policy(const char *json);
/* How many of json[0..n) are records' events (not policy events). */
size_t count_record_events(char *const *json, size_t n);
/* A copy of one stored event without its chain link and policy version
 * (test_chain.c and test_versions.c check those), as docs/events.md shows
 * it. In a static buffer, valid until the next call. */
const char *unchained(const char *ev);
/* Replay every event of `s` into `eng`, failing the test on a refusal. */
void replay_store_into(itsm_engine *eng, const memstore *s);
/* The events `a` stored after a0 are byte for byte those `b` stored
 * after b0. */
void assert_same_new_events(const memstore *a, size_t a0, const memstore *b, size_t b0);

/* Assert a call failed with `code` and its message contains `needle`. */
#define assert_fails(eng, call, code, needle) do {                          \
        int rc_ = (call);                                                   \
        if (rc_ != (code) || !strstr(itsm_errmsg(eng), (needle)))           \
            fail_msg("%s: got %s \"%s\", wanted %s containing \"%s\"",      \
                     #call, itsm_errname(rc_), itsm_errmsg(eng),            \
                     itsm_errname(code), (needle));                         \
    } while (0)

#define assert_ok(call) do {                                                \
        int rc_ = (call);                                                   \
        if (rc_ != ITSM_OK) fail_msg("%s: %s", #call, itsm_errname(rc_));   \
    } while (0)

#endif
