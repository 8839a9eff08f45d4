/* SPDX-License-Identifier: Apache-2.0 */
/* Internal: the rules of the growable ABI (common.h, README "Versioning").
 *
 * Results the caller allocates begin with `size_t size`: the library fills
 * only the bytes the caller's struct has. Options, definitions and the store
 * table begin with a version: every version from 1 up to the library's own
 * is read (later members defaulted), a newer one is refused naming both. */
#ifndef ITSM_SRC_ABI_H
#define ITSM_SRC_ABI_H

#include <stddef.h>

#include "itsm/engine.h"
#include "itsm/errors.h"

/* The size of `type` up to and including `member`: the size of a struct as
 * it was in the release whose last member that was. */
#define ITSM__END(type, member) (offsetof(type, member) + sizeof(((type *)0)->member))

/* Whether a caller's result struct of `size` bytes can be filled: it must
 * hold every member of the struct's first release (`min` bytes) and be no
 * larger than this library's struct (`cur`). ITSM_OK, or ITSM_EINVAL with
 * the reason written to msg[0..cap). */
int itsm__sized_check(size_t size, size_t min, size_t cur, const char *type, char *msg, size_t cap);

/* Copy the library's complete result `full` into the caller's `dst` of
 * `size` bytes (already checked), leaving dst's size member as it is. */
void itsm__sized_put(void *dst, size_t size, const void *full);

/* itsm__sized_check, the reason going to the engine's message. */
int itsm__sized_out(const itsm_engine *eng, size_t size, size_t min, size_t cur, const char *type);

/* ITSM__SIZED(eng, out, type, first_last): check the caller's `out` of
 * `type` through the engine. `first_last` is the last member of the
 * struct's first sized release (0.2) and never changes as members are
 * appended: a caller built against that release must keep working. */
#define ITSM__SIZED(eng, out, type, first_last) \
    itsm__sized_out((eng), (out)->size, ITSM__END(type, first_last), sizeof(type), #type)
/* The preamble of a getter filling a sized result about a record
 * (itsm_record_survey, _oncall, _review, ...): ITSM_EINVAL for a NULL
 * record (no engine to tell), a NULL `out` (the message names the getter,
 * `fn`) or a size it cannot fill; else ITSM_OK. */
struct itsm_record;
int itsm__rec_out(const struct itsm_record *r, const void *out, size_t size, size_t min, size_t cur,
                  const char *type, const char *fn);
#define ITSM__REC_OUT(r, out, type, first_last, fn)                                                    \
    itsm__rec_out((r), (out), (out) ? (out)->size : 0, ITSM__END(type, first_last), sizeof(type), #type, \
                  (fn))
/* The same check with the reason written to a buffer (no engine). */
#define ITSM__SIZED_MSG(out, type, first_last, msg, cap) \
    itsm__sized_check((out)->size, ITSM__END(type, first_last), sizeof(type), #type, (msg), (cap))

/* An array result (out[0].size is the caller's element size, `stride`):
 * the array of this library's own entries to fill, of room for `n` -
 * `out` itself when the caller's size is the library's, else scratch
 * memory (NULL: out of memory). itsm__sized_array_end then hands the
 * first `k` entries to the caller (every element's size set to stride)
 * and frees the scratch. */
void *itsm__sized_array_begin(const itsm_allocator *a, void *out, size_t stride, size_t full_size, size_t n);
void  itsm__sized_array_end(const itsm_allocator *a, void *out, size_t stride, void *full, size_t full_size,
                            size_t k);

/* Whether options of `version` can be read by a library whose own version
 * of them is `current`: 1..current. ITSM_OK, or ITSM_EINVAL with a message
 * naming both versions ("record options version 3 is newer than this
 * library's 1 (itsm 0.2.0)") in msg[0..cap). `what` names the struct. */
int itsm__version_check(long long version, unsigned current, const char *what, char *msg, size_t cap);

/* The versions a caller may give: 1 up to this library's `current`. */
static inline int itsm__version_ok(long long version, unsigned current)
{
    return version >= 1 && version <= (long long)current;
}

/* itsm__version_check, the reason going to the engine's message; inline
 * for the version every call of a host brings, its refusal out of line. */
int itsm__version_refused(itsm_engine *eng, long long version, unsigned current, const char *what);
static inline int itsm__version_out(itsm_engine *eng, long long version, unsigned current, const char *what)
{
    return itsm__version_ok(version, current) ? ITSM_OK : itsm__version_refused(eng, version, current, what);
}

/* The engine options and store table of any accepted version, as this
 * library's own (members the caller's version lacks get their defaults).
 * ITSM_EINVAL with the reason in msg (NULL opts is the defaults). */
int itsm__engine_opts_read(itsm_engine_opts *out, const itsm_engine_opts *opts, char *msg, size_t cap);
int itsm__store_read(itsm_store *out, const itsm_store *store, char *msg, size_t cap);

#endif
