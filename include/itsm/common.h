/* SPDX-License-Identifier: Apache-2.0 */
/*
 * itsm/common.h - export macro, time type and the allocator.
 *
 * Everything every other header needs and nothing more.
 */
#ifndef ITSM_COMMON_H
#define ITSM_COMMON_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Public symbols are exported explicitly; the library is built with hidden
 * visibility so nothing else leaks into a host's symbol table. */
#if defined(_WIN32) && defined(ITSM_SHARED_BUILD)
#  define ITSM_API __declspec(dllexport)
#elif defined(__GNUC__) || defined(__clang__)
#  define ITSM_API __attribute__((visibility("default")))
#else
#  define ITSM_API
#endif

/* A point in time: whole seconds since 1970-01-01T00:00:00Z (UTC).
 * Seconds are the finest grain any service-level rule needs, and an integer
 * keeps replay exact (no floating-point drift between hosts). */
typedef int64_t itsm_time;

/* The earliest and latest times the library accepts (years 1970..9999);
 * anything outside is ITSM_EINVAL, so arithmetic on times can never overflow. */
#define ITSM_TIME_MIN ((itsm_time)0)
#define ITSM_TIME_MAX ((itsm_time)253402300799)

/* "No time set" for optional time fields and getters. */
#define ITSM_TIME_NONE ((itsm_time)-1)

/*
 * A per-engine allocator, as zstd and SQLite do it: no global state, and a
 * test can fail the Nth allocation of one engine without touching another.
 * All three function pointers must be set, or all NULL (meaning libc).
 * `free` is never called with NULL.
 */
typedef struct itsm_allocator {
    void *(*malloc_fn)(void *user, size_t size);
    void *(*realloc_fn)(void *user, void *ptr, size_t size);
    void  (*free_fn)(void *user, void *ptr);
    void  *user;
} itsm_allocator;

/*
 * Conventions every header follows (and does not repeat):
 *   - A yes/no `int` parameter (accept, required, verified, climb_on_*,
 *     knowledge_candidate, incidents, counts_reopen) takes 0 for no and any
 *     other value for yes; it is stored as 0 or 1. Record fields of type
 *     bool are data and stricter: only 0 or 1 (itsm_record_update).
 *   - Getters (no error code) given NULL return NULL, 0, ITSM_TIME_NONE for
 *     a time, or the kind/state/phase value 0; they never crash.
 *   - snprintf-style writers (*_to_json, *_to_csv, checklists) take
 *     buf == NULL only with cap == 0 (else ITSM_EINVAL); *len always gets the
 *     full length without the NUL, and a result that did not fit
 *     (ITSM_ELIMIT) is the NUL-terminated prefix that did.
 *   - *_opts_init / *_def_init / *_rules_init / *_query_init write the
 *     INIT macro's values for the version asked (an older version gets
 *     only its own members) and refuse NULL, 0 and a version newer than
 *     the library's with ITSM_EINVAL, leaving the struct untouched. Every
 *     *_free accepts NULL.
 *   - A call that fails changes nothing but the message of the object that
 *     explains it (engine, policy or packet).
 *
 * How the ABI grows (README "Versioning"); structs only ever gain members
 * at their end, so a program built against an older header keeps working:
 *   - Options, definitions, queries and rules (itsm_engine_opts,
 *     itsm_record_opts, itsm_sla_def, itsm_knowledge_query, ...) and the
 *     store table begin with a version. The library reads every version
 *     from 1 up to its own and gives the members an older version lacks
 *     their defaults (a call replacing settings the policy already has,
 *     itsm_policy_set_problem_rules, leaves those members as they are).
 *     A version newer than its own (a program built against a later
 *     itsm, run with this one) is ITSM_EINVAL with a message naming both
 *     versions: "record options version 3 is newer than this library's 1
 *     (itsm 0.2.0)".
 *   - Results the caller allocates (itsm_timeline_entry, itsm_link,
 *     itsm_timer_info, itsm_decision, itsm_report_stat, ...) begin with
 *     `size_t size`: set it to the size of the struct before the call,
 *         itsm_link l = { .size = sizeof l };
 *     and the library fills only the members that lie within `size`
 *     bytes, so a caller compiled against an older, smaller struct gets
 *     the members it knows and nothing is written past its struct. A size
 *     smaller than the struct's first release (0.2) or larger than this
 *     library's struct is ITSM_EINVAL (the message names the sizes) and
 *     nothing is written. For an array of results (itsm_engine_aging,
 *     itsm_knowledge_search) out[0].size is the size of every element;
 *     the library sets each element's size. The library never reads a
 *     result's other members.
 *   - itsm_change, itsm_allocator, itsm_json_limits, itsm_parse_error and
 *     itsm_decision_reason keep their layout for good: a new need gets a
 *     new struct (or, inside a versioned struct, a new member).
 *   - The inline event readers (event.h) read an event as itsm_event_head,
 *     layout ITSM_EVENT_LAYOUT, lays it out: a library whose events begin
 *     otherwise gives another itsm_event_layout(), and a host built
 *     against the older header reads through the getters.
 */

#ifdef __cplusplus
}
#endif
#endif
