/* SPDX-License-Identifier: Apache-2.0 */
/*
 * itsm/event.h - events: the unit of change and the truth.
 *
 * Every accepted change is one or more events. The store receives them
 * before anything changes; the event sink receives them after. Replaying a
 * store's events, in order, into a fresh engine rebuilds every record
 * exactly (times come from the events, not the clock).
 *
 * Events are handed to callbacks as borrowed pointers, valid only for the
 * duration of the callback. Each has a stable JSON form (version 1,
 * docs/events.md) that a store can keep as text, and a binary form
 * (docs/events.md, "Binary form") with the same content in fewer bytes,
 * faster to write and to read; a store keeps either and gives it back to
 * itsm_engine_replay (itsm_engine_load takes both).
 */
#ifndef ITSM_EVENT_H
#define ITSM_EVENT_H

#include "common.h"
#include "json.h"
#include "record.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct itsm_event itsm_event;

/* The event type: "open", "update", "transition", "note", "link", and the
 * types of the service-level, escalation, major-incident and handover
 * steps (docs/events.md lists every one). Static storage; NULL for NULL. */
ITSM_API const char *itsm_event_type(const itsm_event *ev);
/* The record the event changes. Borrowed, valid during the callback. */
ITSM_API const char *itsm_event_record_id(const itsm_event *ev);
/* The kind of that record; 0 for NULL. */
ITSM_API itsm_kind   itsm_event_record_kind(const itsm_event *ev);
/* The record's revision after this event (1 for "open"). A store shared by
 * several engines accepts an event only if it holds revision - 1 for the
 * record (see sys/store.h). */
ITSM_API uint64_t    itsm_event_revision(const itsm_event *ev);
/* When the change happened (the engine's clock); ITSM_TIME_NONE for NULL. */
ITSM_API itsm_time   itsm_event_time(const itsm_event *ev);
/* Who made the change (itsm_engine_set_actor); NULL if nobody was named. */
ITSM_API const char *itsm_event_actor(const itsm_event *ev);
/* For "transition": the lifecycle event fired ("resolve"). Borrowed, valid
 * during the callback; NULL otherwise. */
ITSM_API const char *itsm_event_name(const itsm_event *ev);
/* For "transition": the state left. Borrowed, valid during the callback;
 * NULL otherwise. */
ITSM_API const char *itsm_event_from_state(const itsm_event *ev);
/* For "transition": the state entered. Borrowed, valid during the callback;
 * NULL otherwise. */
ITSM_API const char *itsm_event_to_state(const itsm_event *ev);

/* The fields the event changes, as bits: bit f set for each built-in
 * field f (ITSM_F_*, all below 63) it changes, cleared or derived
 * values included; bit 63 when it may change a custom field. A host
 * that keeps a copy of some fields tells from its sink, in one call, an
 * event that leaves them alone. 0 for NULL. */
ITSM_API uint64_t    itsm_event_fields(const itsm_event *ev);
/* The record the event changes: the pointer itsm_record_open and
 * itsm_record_find give for it (a policy event's is none of the host's).
 * NULL for NULL. */
ITSM_API const itsm_record *itsm_event_record(const itsm_event *ev);

/*
 * Reading an event without a call. A sink that hears every event and reads
 * a few members of each (a host keeping a copy of some records' fields)
 * pays a library call per getter; itsm_event_record_inline,
 * itsm_event_fields_inline and itsm_event_to_state_inline give what
 * itsm_event_record, itsm_event_fields and itsm_event_to_state give, with
 * none. They read the event's leading members as itsm_event_head lays them
 * out, layout ITSM_EVENT_LAYOUT: use them only when itsm_event_layout()
 * returns ITSM_EVENT_LAYOUT (a host asks once, before its first event). A
 * library whose events begin otherwise returns another number, and the
 * getters always work. `ev` is an event a callback was handed, not NULL.
 * The library's build checks that its events begin as this header says.
 */
#define ITSM_EVENT_LAYOUT 1

/* The event's leading members in layout ITSM_EVENT_LAYOUT, for the inline
 * readers below: read it through them, not directly (members other than
 * theirs are the library's own and may mean anything). */
#if defined(__GNUC__)
#define ITSM__MAY_ALIAS __attribute__((__may_alias__))
#else
#define ITSM__MAY_ALIAS
#endif
typedef struct ITSM__MAY_ALIAS itsm_event_head {
    int                type_;          /* 3: a transition */
    uint16_t           own0_;
    const itsm_record *record;         /* itsm_event_record */
    uint64_t           revision;       /* itsm_event_revision */
    itsm_time          time;           /* itsm_event_time */
    const char        *own1_[3];
    const char        *to_state_;      /* the state entered, when type_ is 3 */
    int                own2_[2];
    const void        *own3_;
    int                own4_[7];
    unsigned char      own5_[4];
    uint64_t           fields;         /* itsm_event_fields */
} itsm_event_head;

/* The event layout of this library: ITSM_EVENT_LAYOUT when the inline
 * readers may read its events (see above). Never fails. */
ITSM_API int itsm_event_layout(void);

/* itsm_event_record, inline (layout ITSM_EVENT_LAYOUT: see above). */
static inline const itsm_record *itsm_event_record_inline(const itsm_event *ev)
{
    return ((const itsm_event_head *)(const void *)ev)->record;
}
/* itsm_event_fields, inline (layout ITSM_EVENT_LAYOUT: see above). */
static inline uint64_t itsm_event_fields_inline(const itsm_event *ev)
{
    return ((const itsm_event_head *)(const void *)ev)->fields;
}
/* itsm_event_to_state, inline (layout ITSM_EVENT_LAYOUT: see above). */
static inline const char *itsm_event_to_state_inline(const itsm_event *ev)
{
    const itsm_event_head *h = (const itsm_event_head *)(const void *)ev;
    return h->type_ == 3 ? h->to_state_ : NULL;
}

/* The id of the policy version the event is judged under ("pv", 16 hex
 * digits: itsm_engine_policy_version). NULL for a `policy` event (which
 * declares a version: itsm_event_type gives "policy", its record id is
 * "~policy." and the id, its kind 0) and for NULL. Borrowed, valid during
 * the callback. */
ITSM_API const char *itsm_event_policy_version(const itsm_event *ev);

/*
 * The event as one line of JSON, snprintf-style: at most `cap` bytes
 * including a terminating NUL go to `buf` (NULL allowed with cap 0), and
 * *len gets the full length without the NUL. ITSM_OK when it fitted,
 * ITSM_ELIMIT when it did not, ITSM_EINVAL for NULL ev or len (or NULL buf
 * with cap > 0). NULL getters give NULL, 0 or ITSM_TIME_NONE.
 * The form is stable: the same event always gives the same bytes.
 */
ITSM_API int itsm_event_to_json(const itsm_event *ev, char *buf, size_t cap, size_t *len);

/*
 * The event in the binary form (version 1, docs/events.md), snprintf-style
 * but without a NUL: at most `cap` bytes go to `buf` (NULL allowed with cap
 * 0), *len gets the full length; ITSM_OK when it fitted (*len <= cap),
 * ITSM_ELIMIT when it did not, ITSM_EINVAL for NULL ev or len (or NULL buf
 * with cap > 0). It starts with the byte 0xE5, which JSON text never does.
 * The form is stable, and the same event's JSON and binary forms convert
 * into each other byte for byte (itsm_event_json_to_binary and back).
 */
ITSM_API int itsm_event_to_binary(const itsm_event *ev, void *buf, size_t cap, size_t *len);

/*
 * Convert a stored event's JSON text (`json`, len bytes) into its binary
 * form, without an engine, snprintf-style into buf/cap as
 * itsm_event_to_binary. Any JSON document converts (the content is not
 * checked as an event; itsm_engine_replay checks it), with the reader's
 * default limits and libc's allocator.
 * Errors: ITSM_EINVAL (NULL input, out_len, or buf with cap > 0),
 * ITSM_EPARSE / ITSM_ELIMIT for an input refused (err filled, *out_len 0;
 * err may be NULL), ITSM_ELIMIT when the output did not fit (*out_len the
 * size needed, which is never 0), ITSM_ENOMEM.
 */
ITSM_API int itsm_event_json_to_binary(const char *json, size_t len, void *buf, size_t cap, size_t *out_len,
                                       itsm_parse_error *err);

/*
 * The reverse: an event's binary form (`bin`, len bytes) as JSON text,
 * snprintf-style into buf/cap as itsm_event_to_json (NUL-terminated; *out_len
 * without the NUL), byte for byte the JSON the event was written as.
 * Errors: ITSM_EINVAL (NULL input, out_len, or buf with cap > 0),
 * ITSM_EPARSE / ITSM_ELIMIT for an input refused (err filled, *out_len 0;
 * err may be NULL), ITSM_ELIMIT when the output did not fit (*out_len the
 * size needed, which is never 0), ITSM_ENOMEM.
 */
ITSM_API int itsm_event_binary_to_json(const void *bin, size_t len, char *buf, size_t cap, size_t *out_len,
                                       itsm_parse_error *err);

#ifdef __cplusplus
}
#endif
#endif
