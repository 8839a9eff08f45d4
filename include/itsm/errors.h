/* SPDX-License-Identifier: Apache-2.0 */
/*
 * itsm/errors.h - error codes.
 *
 * Every call that can fail returns int: ITSM_OK (0) or a negative ITSM_E*
 * code. Codes never change value once released. The message that explains
 * the last failure is kept per engine (itsm_errmsg, in engine.h); there is no
 * global or thread-local error state.
 *
 * Indexed readers (the `*_at` calls, itsm_record_agreement_step,
 * itsm_record_approval_level) share one rule: an index at or past the
 * reader's count is ITSM_EINVAL, like any other out-of-range argument,
 * and where the object read keeps a message (the engine, a packet, a
 * conformance report) that message names the reader, the index and the
 * count. ITSM_ENOTFOUND is kept for a thing that is not there at all (no
 * review, no approval rule: an answer that leaves the message as it was).
 * Readers answering a pointer (itsm_policy_finding, ...) give NULL past
 * the end.
 */
#ifndef ITSM_ERRORS_H
#define ITSM_ERRORS_H

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum itsm_error {
    ITSM_OK          =   0,
    ITSM_ENOMEM      =  -1,  /* an allocation failed; nothing changed */
    ITSM_EINVAL      =  -2,  /* a bad argument: NULL, out of range, malformed */
    ITSM_ENOTFOUND   =  -3,  /* no such record, state, event, field, ... */
    ITSM_EEXISTS     =  -4,  /* an id or name is already taken */
    ITSM_ETRANSITION =  -5,  /* the lifecycle has no such transition from the current state */
    ITSM_EGUARD      =  -6,  /* the transition exists but a guard failed */
    ITSM_ECONFLICT   =  -7,  /* the store holds a newer revision of the record */
    ITSM_ESTORE      =  -8,  /* the store failed; nothing changed */
    ITSM_EPARSE      =  -9,  /* a document is not valid JSON or breaks its schema */
    ITSM_ELIMIT      = -10,  /* a size, depth or count limit was exceeded */
    ITSM_EPOLICY     = -11,  /* a policy is inconsistent (see the check report) */
    ITSM_ESTATE      = -12,  /* the call is not allowed in the object's current state */
    ITSM_EUSER       = -13,  /* reserved for host callbacks; passed back unchanged */
    ITSM_ECLOCK      = -14,  /* the clock reads a time before the record's last event: any call
                                that changes records refuses it, naming both times, and changes
                                nothing (replaying stored events never does) */
    ITSM_ETAMPER     = -15   /* a stored event does not match its hash chain, or repeats a
                                revision with other content than the event applied: the
                                store was changed outside the library (docs/events.md) */
} itsm_error;

/* A short, static description of a code ("guard failed"). Never NULL; an
 * unknown code gives "unknown error". Needs no engine. */
ITSM_API const char *itsm_errstr(int code);

/* The symbolic name of a code ("ITSM_EGUARD"), for bindings that map codes
 * to exception classes. Never NULL; an unknown code gives "ITSM_EUNKNOWN". */
ITSM_API const char *itsm_errname(int code);

#ifdef __cplusplus
}
#endif
#endif
