/* SPDX-License-Identifier: Apache-2.0 */
/*
 * itsm/record.h - records, their fields, timeline and links.
 *
 * A record is owned by its engine: the itsm_record pointers handed out are
 * borrowed and stay valid until the engine is freed (records are never
 * deleted; a closed record is still a record). Every change goes through the
 * engine as one atomic, write-ahead step (see engine.h): validate, build the
 * event, hand it to the host's store, and only if the store accepted it apply
 * it in memory. A call that fails leaves the record exactly as it was.
 *
 * Mutating calls use the engine's clock for the event time and the engine's
 * current actor (itsm_engine_set_actor) as the author.
 */
#ifndef ITSM_RECORD_H
#define ITSM_RECORD_H

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct itsm_engine itsm_engine;
typedef struct itsm_record itsm_record;

typedef enum itsm_kind {
    ITSM_KIND_INCIDENT        = 1,
    ITSM_KIND_SERVICE_REQUEST = 2,
    ITSM_KIND_PROBLEM         = 3,
    ITSM_KIND_CHANGE          = 4,
    ITSM_KIND_KNOWLEDGE       = 5
} itsm_kind;
#define ITSM_KIND_COUNT 5

/* "incident", "service_request", "problem", "change", "knowledge";
 * NULL for an unknown kind. */
ITSM_API const char *itsm_kind_name(itsm_kind kind);
/* ITSM_OK and *out set, ITSM_ENOTFOUND, or ITSM_EINVAL for NULL. */
ITSM_API int itsm_kind_from_name(itsm_kind *out, const char *name);

/*
 * Fields. Each has a type:
 *   text    free text, copied (summary, notes, ...)
 *   symbol  a short name that repeats across records (group, service, ...);
 *           copied once per engine and shared, which keeps records small
 *   int     a whole number in a documented range
 *   bool    0 or 1
 *   time    an itsm_time, or ITSM_TIME_NONE when unset
 *   enum    a symbol from a closed list of values (custom fields declared
 *           by the policy only)
 * Fields marked (engine) are maintained by the engine (stamped by
 * transitions, counted by changes) and cannot be set through
 * itsm_record_update; reading them is always allowed.
 */
typedef enum itsm_field {
    ITSM_F_SUMMARY = 0,        /* text */
    ITSM_F_DESCRIPTION,        /* text */
    ITSM_F_CALLER,             /* symbol: affected user */
    ITSM_F_CONTACT_VERIFIED,   /* bool: caller's contact details confirmed (seed 002) */
    ITSM_F_SERVICE,            /* symbol: catalogue entry */
    ITSM_F_CI,                 /* symbol: configuration item */
    ITSM_F_CATEGORY,           /* symbol */
    ITSM_F_SUBCATEGORY,        /* symbol */
    ITSM_F_IMPACT,             /* int 1..3 (1 = highest) */
    ITSM_F_URGENCY,            /* int 1..3 (1 = highest) */
    ITSM_F_PRIORITY,           /* int 1..5; derived from impact x urgency by the
                                  policy matrix whenever both are set, or set by hand */
    ITSM_F_ASSIGNMENT_GROUP,   /* symbol; a change of group counts a reassignment */
    ITSM_F_ASSIGNEE,           /* symbol: the owner (seed 003) */
    ITSM_F_FUNCTIONAL_LEVEL,   /* int 1..3: service desk, specialists, builders/supplier */
    ITSM_F_HIERARCHICAL_LEVEL, /* int 0..9: rungs climbed on the escalation ladder */
    ITSM_F_MAJOR,              /* bool: an accepted major incident */
    ITSM_F_HOLD_REASON,        /* symbol: awaiting_customer, awaiting_supplier, awaiting_change */
    ITSM_F_WORKAROUND,         /* text */
    ITSM_F_NO_WORKAROUND,      /* bool: explicitly "no workaround exists" */
    ITSM_F_CAUSE,              /* text */
    ITSM_F_RESOLUTION_CODE,    /* symbol */
    ITSM_F_RESOLUTION_NOTES,   /* text */
    ITSM_F_CLOSE_JUSTIFICATION,/* text: why a problem closes without a fix (seed 000) */
    ITSM_F_KNOWLEDGE_DECISION, /* symbol: e.g. linked, candidate, not_needed */
    ITSM_F_CHANGE_TYPE,        /* symbol: standard, normal, emergency */
    ITSM_F_OPENED_AT,          /* time (engine) */
    ITSM_F_RESPONDED_AT,       /* time (engine): first human response */
    ITSM_F_RESOLVED_AT,        /* time (engine) */
    ITSM_F_CLOSED_AT,          /* time (engine) */
    ITSM_F_UPDATED_AT,         /* time (engine): last accepted change */
    ITSM_F_REASSIGNMENTS,      /* int (engine) */
    ITSM_F_REOPENS,            /* int (engine) */
    ITSM_F__COUNT,             /* not a field */
    /* Custom fields, declared by the policy (itsm_policy_add_field, the
     * document's "fields"): ITSM_F_CUSTOM_FIRST + their declaration order.
     * Resolve one from its name once (itsm_policy_field, itsm_engine_field);
     * every call that takes a field takes them. */
    ITSM_F_CUSTOM_FIRST = 1024
} itsm_field;

/* At most this many custom fields per policy. */
#define ITSM_MAX_CUSTOM_FIELDS 32

typedef enum itsm_field_type {
    ITSM_TYPE_TEXT = 1,
    ITSM_TYPE_SYMBOL,
    ITSM_TYPE_INT,
    ITSM_TYPE_BOOL,
    ITSM_TYPE_TIME,
    ITSM_TYPE_ENUM
} itsm_field_type;

/* The built-in fields (custom ones are the policy's: itsm_policy_field_name
 * and the other itsm_policy_field* calls in policy.h know both).
 * The field's JSON/policy name ("assignment_group"); NULL if out of range. */
ITSM_API const char *itsm_field_name(itsm_field field);
/* ITSM_OK and *out set, ITSM_ENOTFOUND, or ITSM_EINVAL for NULL. */
ITSM_API int itsm_field_from_name(itsm_field *out, const char *name);
/* The field's type, or 0 if out of range. */
ITSM_API itsm_field_type itsm_field_type_of(itsm_field field);
/* 1 if the engine maintains the field (not settable by hand), else 0. */
ITSM_API int itsm_field_is_engine_owned(itsm_field field);

/* Longest text the engine accepts in one field or note, in bytes. Longer
 * input is ITSM_ELIMIT, never truncated. Symbols are limited to 255 bytes,
 * and a symbol of only spaces is ITSM_EINVAL: it names nobody (an owner,
 * a group, a category or a resolution code must say something).
 * All strings must be valid UTF-8 without NUL (ITSM_EINVAL otherwise). */
#define ITSM_MAX_TEXT   65536
#define ITSM_MAX_SYMBOL 255

/*
 * One field change. For text, symbol and enum fields `str` is the value
 * (NULL clears the field); for int, bool and time fields `num` is. The strings are
 * copied; the caller keeps ownership.
 */
typedef struct itsm_change {
    itsm_field  field;
    const char *str;
    int64_t     num;
} itsm_change;

/* ---- opening and finding ------------------------------------------------ */

typedef struct itsm_record_opts {
    unsigned           version;  /* ITSM_RECORD_OPTS_VERSION */
    itsm_kind          kind;
    const char        *id;       /* NULL: the engine assigns "INC-000001" etc. */
    const itsm_change *fields;   /* initial field values, may be NULL */
    size_t             nfields;
} itsm_record_opts;

#define ITSM_RECORD_OPTS_VERSION 1
#define ITSM_RECORD_OPTS_INIT { ITSM_RECORD_OPTS_VERSION, ITSM_KIND_INCIDENT, NULL, NULL, 0 }
/* For languages without macros. ITSM_EINVAL for a NULL opts or unknown version. */
ITSM_API int itsm_record_opts_init(itsm_record_opts *opts, unsigned version);

/*
 * Open a record in its lifecycle's initial state, with the given fields set
 * (priority derived when impact and urgency are given) and opened_at stamped.
 * *out is borrowed from the engine.
 * Errors: ITSM_EINVAL (NULL, bad kind, bad id, bad field value, a custom
 * field the policy requires for the kind not given), ITSM_EEXISTS
 * (id taken), ITSM_ENOTFOUND (the policy has no lifecycle for the kind),
 * ITSM_ELIMIT, ITSM_ENOMEM, ITSM_ESTORE, ITSM_ECONFLICT, ITSM_EUSER, ITSM_ECLOCK.
 * Ids are 1..64 bytes of letters, digits and "-_.:".
 */
ITSM_API int itsm_record_open(itsm_record **out, itsm_engine *eng,
                              const itsm_record_opts *opts);

/* Find a record by id. *out is borrowed. ITSM_ENOTFOUND, ITSM_EINVAL. */
ITSM_API int itsm_record_find(itsm_record **out, itsm_engine *eng, const char *id);

/* ---- reading ------------------------------------------------------------ */

/* The record's id ("INC-000001"); borrowed, valid while the engine lives.
 * NULL for NULL. */
ITSM_API const char *itsm_record_id(const itsm_record *rec);
/* The record's kind; 0 for NULL. */
ITSM_API itsm_kind   itsm_record_kind(const itsm_record *rec);
/* The current state's name; borrowed, valid while the engine lives. */
ITSM_API const char *itsm_record_state(const itsm_record *rec);
/* 1 while the record is in a state its lifecycle marks open, else 0. */
ITSM_API int         itsm_record_is_open(const itsm_record *rec);
/* Number of accepted changes; 1 right after opening. */
ITSM_API uint64_t    itsm_record_revision(const itsm_record *rec);
/* The engine holding the record (borrowed); NULL for NULL. */
ITSM_API itsm_engine *itsm_record_engine(const itsm_record *rec);

/* A text or symbol field: borrowed, valid until the field next changes;
 * NULL when unset or when `field` is not a string field. */
ITSM_API const char *itsm_record_str(const itsm_record *rec, itsm_field field);
/* An int, bool or time field: 0 when unset (ITSM_TIME_NONE for a time). */
ITSM_API int64_t     itsm_record_int(const itsm_record *rec, itsm_field field);
/* 1 if the field is set (a bool counts as set when true), else 0. A
 * built-in int is unset at 0 (impact, priority; counters are 0 when
 * nothing was counted); a custom int is set once given a value, 0
 * included, until a step clears it - as guards and conditions see it.
 * A text field holding blank text (empty, or only spaces, tabs and line
 * breaks) is kept as given but is not set here, and meets no guard: notes
 * that say nothing are no notes ("resolved needs ... notes"). */
ITSM_API int         itsm_record_has(const itsm_record *rec, itsm_field field);

/* ---- changing ----------------------------------------------------------- */

/*
 * Change fields atomically (all or none) as one event. Setting impact or
 * urgency re-derives priority; changing assignment group counts a
 * reassignment. Setting a field to the value it has is allowed and still an
 * event (an audit trail of "confirmed unchanged" is a host's choice).
 * Errors: ITSM_EINVAL (NULL, unknown field, engine-owned field, wrong type,
 * out of range, bad UTF-8), ITSM_ELIMIT, ITSM_ESTATE (record closed; or
 * the assignee cleared in a state every way into which needs an assignee
 * - an incident in progress, a request being fulfilled: seed 003, "make
 * sure someone owns every request"; naming another assignee is allowed),
 * ITSM_EGUARD (a change on the change schedule moved to a service whose
 * blackouts or maintenance window refuse its window: itsm/change.h),
 * ITSM_ENOMEM, ITSM_ESTORE, ITSM_ECONFLICT, ITSM_EUSER, ITSM_ECLOCK.
 */
ITSM_API int itsm_record_update(itsm_record *rec, const itsm_change *changes, size_t n);
/* itsm_record_update of one text or symbol field (NULL clears it); the
 * value is copied. Errors as itsm_record_update: ITSM_EINVAL, ITSM_ELIMIT,
 * ITSM_ESTATE, ITSM_EGUARD, ITSM_ENOMEM, ITSM_ESTORE, ITSM_ECONFLICT, ITSM_EUSER,
 * ITSM_ECLOCK. */
ITSM_API int itsm_record_set_str(itsm_record *rec, itsm_field field, const char *value);
/* itsm_record_update of one int, bool or time field (priority re-derived
 * as there). Errors as itsm_record_update: ITSM_EINVAL, ITSM_ELIMIT,
 * ITSM_ESTATE, ITSM_ENOMEM, ITSM_ESTORE, ITSM_ECONFLICT, ITSM_EUSER,
 * ITSM_ECLOCK. */
ITSM_API int itsm_record_set_int(itsm_record *rec, itsm_field field, int64_t value);

/*
 * Fire a lifecycle event ("assign", "resolve", ...), optionally setting
 * fields in the same atomic step (they count for the guards).
 * Errors: ITSM_ETRANSITION when the lifecycle has no transition for that
 * event from the current state; ITSM_EGUARD when it has one but its guard
 * does not hold: the message names state, event and every term still
 * missing ("transition 'resolve' from 'in_progress' needs fields
 * 'resolution_code', 'resolution_notes'"), and itsm_guard_missing_count /
 * _at give the same terms as data; plus the errors of itsm_record_update.
 */
ITSM_API int itsm_record_fire(itsm_record *rec, const char *event,
                              const itsm_change *changes, size_t n);

/* ---- what can fire now -------------------------------------------------- */

/* One term of a transition's guard (policy.h) a record does not meet yet. */
typedef enum itsm_need_kind {
    ITSM_NEED_FIELD  = 1,   /* `field` must be set (a bool: true) */
    ITSM_NEED_ANY_OF = 2,   /* one of several fields must be set: `term` lists them, a|b */
    ITSM_NEED_VALUE  = 3,   /* `field` must equal `value` */
    ITSM_NEED_LINK   = 4,   /* a related link to a record of `link_kind` */
    ITSM_NEED_TERM   = 5    /* a capability's term (approved:all, risk:assessed,
                               window:allowed, gate:not_shut): `field` is the
                               kind's name ("approved"), `value` its argument */
} itsm_need_kind;

/* The strings are borrowed from the engine's policy: valid while the
 * engine lives. */
typedef struct itsm_guard_need {
    size_t         size;       /* sizeof(itsm_guard_need), set by the caller (common.h) */
    itsm_need_kind kind;
    const char    *field;      /* FIELD, VALUE: the field's name; ANY_OF: the first of them;
                                  LINK: NULL */
    const char    *value;      /* VALUE: the value it must have, as text; else NULL */
    itsm_kind      link_kind;  /* LINK: the kind of record to link; else 0 */
    const char    *term;       /* the term as the policy writes it: "resolution_code",
                                  "workaround|no_workaround", "change_type=standard",
                                  "link:change" */
} itsm_guard_need;

/* A lifecycle event that can fire from the record's current state. */
typedef struct itsm_allowed_event {
    size_t      size;       /* sizeof(itsm_allowed_event), set by the caller (common.h) */
    const char *event;      /* the lifecycle event, e.g. "resolve"; borrowed from the policy */
    const char *to_state;   /* the state it leads to; borrowed likewise */
    size_t      nmissing;   /* guard terms the record does not meet yet: 0 when it can fire
                               now; each through itsm_record_allowed_need_at */
} itsm_allowed_event;

/*
 * The events a screen can offer: every event of the record's lifecycle
 * with a transition from its current state (a "*" transition from any open
 * state included), in the lifecycle's event order, each with what its
 * guard still misses on the record as it is. The list includes steps the
 * engine itself fires (auto_close, parent_resolved); a record in a closed
 * state usually has none. Nothing is allocated; the answer is computed at
 * each call from the record and the engine's policy.
 * itsm_record_allowed_count: how many there are; 0 for NULL.
 */
ITSM_API size_t itsm_record_allowed_count(const itsm_record *rec);
/* Allowed event `index` (0..itsm_record_allowed_count - 1): its name, the
 * state it leads to and how many guard terms are still missing.
 * `out->size` set by the caller. ITSM_EINVAL for NULL, a size it cannot
 * fill or an index out of range. */
ITSM_API int    itsm_record_allowed_at(const itsm_record *rec, size_t index, itsm_allowed_event *out);
/* Missing guard term `need` (0..nmissing - 1) of allowed event `index`.
 * ITSM_EINVAL for NULL, a size it cannot fill, or either index out of range
 * (the engine's message says which). */
ITSM_API int    itsm_record_allowed_need_at(const itsm_record *rec, size_t index, size_t need,
                                            itsm_guard_need *out);

/*
 * After a call failed with ITSM_EGUARD: the guard terms it did not meet, in
 * the policy's order, as data (a form can mark those fields). 0 / ITSM_EINVAL
 * (index out of range, NULL, a size the library cannot fill) when the
 * engine's last failure was not ITSM_EGUARD: the list belongs to that
 * failure and goes with it, as itsm_errmsg does. itsm_guard_missing_at
 * sets no message of its own, so the failure it reads stays.
 */
ITSM_API size_t itsm_guard_missing_count(const itsm_engine *eng);
/* Missing term `index` (0..itsm_guard_missing_count - 1) of the last
 * ITSM_EGUARD failure. ITSM_EINVAL for NULL, a size it cannot fill, an
 * index out of range, or when the last failure was not ITSM_EGUARD. */
ITSM_API int    itsm_guard_missing_at(const itsm_engine *eng, size_t index, itsm_guard_need *out);

/* ---- timeline ----------------------------------------------------------- */

typedef enum itsm_note_kind {
    ITSM_NOTE_WORK     = 1,  /* internal work note */
    ITSM_NOTE_CUSTOMER = 2,  /* customer update (seed 002) */
    ITSM_NOTE_SYSTEM   = 3   /* written by the engine itself */
} itsm_note_kind;

typedef struct itsm_note_opts {
    unsigned       version;              /* ITSM_NOTE_OPTS_VERSION */
    itsm_note_kind kind;
    const char    *text;                 /* required; for a customer update: the actions taken */
    itsm_time      expected_restoration; /* customer update: required */
    itsm_time      next_update;          /* customer update: required, after the note's time */
} itsm_note_opts;

#define ITSM_NOTE_OPTS_VERSION 1
#define ITSM_NOTE_OPTS_INIT { ITSM_NOTE_OPTS_VERSION, ITSM_NOTE_WORK, NULL, ITSM_TIME_NONE, ITSM_TIME_NONE }
/* For languages without macros: sets *opts to ITSM_NOTE_OPTS_INIT.
 * ITSM_EINVAL for NULL or a version other than ITSM_NOTE_OPTS_VERSION. */
ITSM_API int itsm_note_opts_init(itsm_note_opts *opts, unsigned version);

/*
 * Add a timeline entry. A customer update must carry the actions taken
 * (text), the expected restoration time and the next update time; one that
 * lacks any is ITSM_EINVAL naming what is missing. Blank text (only spaces,
 * tabs and line breaks) is no text, for a work note too. ITSM_NOTE_SYSTEM is
 * reserved for the engine (ITSM_EINVAL). A closed record takes no note
 * (ITSM_ESTATE).
 * Errors: ITSM_EINVAL, ITSM_ELIMIT, ITSM_ESTATE, ITSM_ENOMEM, ITSM_ESTORE, ITSM_ECONFLICT, ITSM_EUSER,
 * ITSM_ECLOCK.
 */
ITSM_API int itsm_record_add_note(itsm_record *rec, const itsm_note_opts *opts);

/*
 * One timeline entry: a note, or (in a record's whole history, below) any
 * event. The strings are borrowed: from the engine for
 * itsm_record_timeline_at (valid while the engine lives), from the
 * timeline for itsm_timeline_at (valid until itsm_timeline_free).
 */
typedef struct itsm_timeline_entry {
    size_t         size;                 /* sizeof(itsm_timeline_entry), set by the caller (common.h) */
    itsm_note_kind kind;                 /* a note: its kind; any other event: 0 */
    itsm_time      at;                   /* when */
    const char    *author;               /* who (itsm_engine_set_actor); NULL when nobody was named */
    const char    *text;                 /* a note: its text; any other event: one line saying what
                                            happened, e.g. "assign: new -> assigned" */
    itsm_time      expected_restoration; /* a customer update: required; else ITSM_TIME_NONE */
    itsm_time      next_update;          /* ditto */
    const char    *type;                 /* the event type (docs/events.md): "open", "update",
                                            "transition", "note", "link", "sla_breach",
                                            "handover_acknowledge", ... */
    uint64_t       revision;             /* the record's revision after the event; 0 for a note
                                            the engine keeps (itsm_record_timeline_at) */
    const char    *event;                /* a transition: the lifecycle event; else NULL */
    const char    *from_state;           /* a transition: the state it left; else NULL */
    const char    *to_state;             /* a transition: the state it entered; "open": the
                                            initial state; else NULL */
    size_t         nchanges;             /* fields the event set: itsm_timeline_change_at */
    const char    *json;                 /* the event as stored (docs/events.md): every detail of
                                            any type; NULL for a note the engine keeps */
} itsm_timeline_entry;

/* The notes the engine keeps in memory (work notes, customer updates,
 * system notes), in order: what itsm_record_timeline gives when the store
 * cannot read a record back. */
ITSM_API size_t itsm_record_timeline_count(const itsm_record *rec);
/* ITSM_OK, or ITSM_EINVAL for a NULL argument, a size the library cannot
 * fill or an index out of range (the engine's message says which). The
 * entry's type is "note", its revision 0, its json NULL. */
ITSM_API int itsm_record_timeline_at(const itsm_record *rec, size_t index,
                                     itsm_timeline_entry *out);

/* ---- the whole history --------------------------------------------------- */

typedef struct itsm_timeline itsm_timeline;

/*
 * A record's whole history, for a helpdesk screen: every event, in order -
 * opening, field changes (each with its old and new value), transitions,
 * notes, links, service-level warnings and breaches, escalations, major
 * incident steps, handovers - each with who and when. It is read from the
 * host's store at this call, through the store table's read_record
 * (sys/store.h), so the engine keeps no history in memory; old values come
 * from folding the record's events in order. A store without read_record
 * (or no store) gives the notes the engine keeps, and
 * itsm_timeline_complete says 0.
 *
 * *out is a snapshot the caller owns: it does not change when the record
 * does. Free it with itsm_timeline_free, before or after the engine (it is
 * allocated with the engine's allocator, which must still work then).
 * Errors: ITSM_EINVAL (NULL), ITSM_ESTATE (from inside a callback), the
 * store's own code when read_record fails, ITSM_EPARSE / ITSM_ELIMIT (a
 * stored event that is not an event: the message names its revision),
 * ITSM_ESTORE (the store gave another record's event or skipped a
 * revision), ITSM_ENOMEM. *out is NULL on any error.
 */
ITSM_API int  itsm_record_timeline(itsm_timeline **out, itsm_record *rec);
/* Accepts NULL. */
ITSM_API void itsm_timeline_free(itsm_timeline *tl);
/* The number of entries; 0 for NULL. */
ITSM_API size_t itsm_timeline_count(const itsm_timeline *tl);
/* 1 when the timeline holds every stored event of the record, 0 when it
 * holds the notes only (the store has no read_record) or for NULL. */
ITSM_API int    itsm_timeline_complete(const itsm_timeline *tl);
/* Entry `index`, oldest first. ITSM_EINVAL for NULL, a size the library
 * cannot fill or an index out of range. */
ITSM_API int    itsm_timeline_at(const itsm_timeline *tl, size_t index, itsm_timeline_entry *out);

/* One field an event set. Values are text: strings as they are, numbers
 * in decimal, "true"/"false", times as "YYYY-MM-DDTHH:MM:SSZ". */
typedef struct itsm_field_change {
    size_t      size;       /* sizeof(itsm_field_change), set by the caller (common.h) */
    const char *field;      /* the field's name, as in itsm_field_name */
    const char *old_value;  /* before the event; NULL when it was unset */
    const char *new_value;  /* after the event; NULL when the event cleared it */
} itsm_field_change;

/* Change `change` (0..nchanges-1, in the event's order) of entry `index`.
 * The strings are borrowed from the timeline. ITSM_EINVAL for NULL, a size
 * the library cannot fill or an index out of range. */
ITSM_API int itsm_timeline_change_at(const itsm_timeline *tl, size_t index, size_t change,
                                     itsm_field_change *out);

/* ---- links -------------------------------------------------------------- */

typedef enum itsm_link_kind {
    ITSM_LINK_RELATED = 1,  /* incident->problem, problem->change, record->knowledge, ... */
    ITSM_LINK_PARENT  = 2,  /* this record is a child of the target (major incident) */
    ITSM_LINK_CHILD   = 3   /* the target is a child of this record */
} itsm_link_kind;

/*
 * Link two records, both ways, in one atomic step (two events in one store
 * append): RELATED on both sides, or CHILD on `from` and PARENT on `to`.
 * Linking twice is ITSM_EEXISTS; linking a record to itself is ITSM_EINVAL.
 * Errors: ITSM_EINVAL (NULL, a record of another engine, unknown kind),
 * ITSM_EEXISTS, ITSM_ENOMEM, ITSM_ESTORE, ITSM_ECONFLICT, ITSM_EUSER, ITSM_ECLOCK.
 */
ITSM_API int itsm_record_link(itsm_record *from, itsm_link_kind kind, itsm_record *to);

typedef struct itsm_link {
    size_t         size;        /* sizeof(itsm_link), set by the caller (common.h) */
    itsm_link_kind kind;
    itsm_kind      target_kind;
    const char    *target_id;   /* borrowed, valid while the engine lives */
} itsm_link;

/* The number of the record's links, in the order made; 0 for NULL. */
ITSM_API size_t itsm_record_link_count(const itsm_record *rec);
/* As itsm_record_timeline_at: ITSM_EINVAL for NULL or out of range. */
ITSM_API int    itsm_record_link_at(const itsm_record *rec, size_t index, itsm_link *out);

#ifdef __cplusplus
}
#endif
#endif
