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
 *   - *_opts_init / *_def_init / *_rules_init / *_query_init refuse NULL and
 *     any version but the current one with ITSM_EINVAL, leaving the struct
 *     untouched. Every *_free accepts NULL.
 *   - A call that fails changes nothing but the message of the object that
 *     explains it (engine, policy or packet).
 */

#ifdef __cplusplus
}
#endif
#endif
