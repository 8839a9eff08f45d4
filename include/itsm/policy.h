/* SPDX-License-Identifier: Apache-2.0 */
/*
 * itsm/policy.h - the policy: lifecycles as data and the priority matrix.
 *
 * A policy says what each kind of record may become next and what a step
 * needs. It is data, built in code or loaded from a JSON document (the
 * schema is in docs/policy.md), so a host changes its process without
 * recompiling. An engine copies the policy it is given; the caller keeps
 * and frees its own.
 *
 * Lifecycle vocabulary:
 *   state       a name; flagged initial (exactly one per lifecycle) and/or
 *               closed (terminal: a record there is no longer open).
 *   event       a stimulus name ("resolve"); declared per lifecycle.
 *   transition  from --event--> to. `from` may be "*": any open state.
 *   guard       a space-separated list of terms that must all hold:
 *                 field        the field is set (a bool: true)
 *                 a|b|c        at least one of them is set
 *                 field=value  a symbol/int/bool field equals value
 *   link:KIND   the record has a related link to a record of that kind
 *               (a problem needs a linked change before fix_pending_change)
 *   stamp       space-separated time fields set to the event time on the
 *               step; a trailing '?' sets one only if still unset (first
 *               response: "responded_at? resolved_at").
 *   clear       space-separated fields cleared on the step (resume clears
 *               hold_reason, so the next hold must give a fresh reason).
 *   counts_reopen  the step increments the reopen counter.
 */
#ifndef ITSM_POLICY_H
#define ITSM_POLICY_H

#include "common.h"
#include "json.h"
#include "record.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct itsm_policy itsm_policy;

#define ITSM_STATE_INITIAL 0x1u
#define ITSM_STATE_CLOSED  0x2u

/* The default policy of DESIGN.md section 3 and 4: five lifecycles and the
 * default priority matrix. `alloc` may be NULL (libc); it is copied.
 * Errors: ITSM_EINVAL, ITSM_ENOMEM. Free with itsm_policy_free. */
ITSM_API int  itsm_policy_new_default(itsm_policy **out, const itsm_allocator *alloc);
/* An empty policy: no lifecycles, the default priority matrix. `alloc` as
 * for itsm_policy_new_default. Errors: ITSM_EINVAL (NULL out, a half-set
 * allocator), ITSM_ENOMEM. Free with itsm_policy_free. */
ITSM_API int  itsm_policy_new_empty(itsm_policy **out, const itsm_allocator *alloc);
/* A deep copy, with the same allocator. ITSM_EINVAL, ITSM_ENOMEM; *out is
 * NULL on any error (as for the two constructors above). */
ITSM_API int  itsm_policy_clone(itsm_policy **out, const itsm_policy *policy);
/* Accepts NULL. */
ITSM_API void itsm_policy_free(itsm_policy *policy);

/* Why the last failing call that changes this policy (the ones taking a
 * non-const itsm_policy *) failed; "" if none did. Every such call that
 * fails sets its own message. Reading calls on a const policy
 * (itsm_calendar_work, itsm_policy_to_json, ...) only return their code.
 * Borrowed, valid until the next call on the policy. "" for NULL. */
ITSM_API const char *itsm_policy_errmsg(const itsm_policy *policy);

/* ---- building lifecycles ------------------------------------------------ */

/* Remove every state, event and transition of one kind's lifecycle.
 * ITSM_EINVAL (NULL, unknown kind). */
ITSM_API int itsm_policy_lifecycle_clear(itsm_policy *policy, itsm_kind kind);
/* Add a state. ITSM_EEXISTS if it exists, ITSM_EINVAL for NULL, an unknown
 * kind, a bad name, unknown flag bits or a second initial state;
 * ITSM_ENOMEM. Names: 1..63 bytes of [a-z0-9_]. */
ITSM_API int itsm_policy_add_state(itsm_policy *policy, itsm_kind kind,
                                   const char *state, unsigned flags);
/* Declare an event. ITSM_EEXISTS, ITSM_EINVAL, ITSM_ENOMEM. */
ITSM_API int itsm_policy_add_event(itsm_policy *policy, itsm_kind kind, const char *event);

typedef struct itsm_transition_def {
    unsigned    version;       /* ITSM_TRANSITION_DEF_VERSION */
    const char *from;          /* a state or "*" */
    const char *event;         /* declared beforehand */
    const char *to;            /* a state */
    const char *guard;         /* may be NULL or "" */
    const char *stamp;         /* may be NULL: "responded_at? resolved_at" */
    const char *clear;         /* may be NULL: "hold_reason" */
    int         counts_reopen;
} itsm_transition_def;

#define ITSM_TRANSITION_DEF_VERSION 1
#define ITSM_TRANSITION_DEF_INIT { ITSM_TRANSITION_DEF_VERSION, NULL, NULL, NULL, NULL, NULL, 0, 0 }
/* For languages without macros: sets *def to ITSM_TRANSITION_DEF_INIT.
 * ITSM_EINVAL for NULL or a version other than ITSM_TRANSITION_DEF_VERSION. */
ITSM_API int itsm_transition_def_init(itsm_transition_def *def, unsigned version);

/* Add a transition. ITSM_ENOTFOUND for an unknown state, event or field
 * (named in the message), ITSM_EINVAL for a malformed guard, a guard value
 * the field cannot hold ("impact=7", "major=2", an enum's unknown value;
 * 0, what an unset int or bool reads as, is allowed), a stamp that is
 * not an engine-owned time field, or a clear of an engine-owned field (and
 * for NULL, an unknown kind or def version); ITSM_EEXISTS when (from,
 * event) already has a transition; ITSM_ELIMIT for more than 64 guard terms
 * or 4096 transitions; ITSM_ENOMEM. */
ITSM_API int itsm_policy_add_transition(itsm_policy *policy, itsm_kind kind,
                                        const itsm_transition_def *def);

/* ---- priority matrix ---------------------------------------------------- */

/* Set priority (1..5) for impact and urgency (1..3 each). ITSM_EINVAL. */
ITSM_API int itsm_policy_set_priority(itsm_policy *policy, int impact, int urgency, int priority);
/* The priority for impact and urgency, or 0 when out of range or for NULL. */
ITSM_API int itsm_policy_priority(const itsm_policy *policy, int impact, int urgency);

/* ---- counters ----------------------------------------------------------- */

/* What the engine counts as a reassignment (the `reassignments` field). A
 * step (update or transition; opening never counts) counts at most once,
 * and setting a value the field already has never counts. Under the first
 * two rules a first assignment (from no value) and a clear (to no value)
 * do not count either. */
typedef enum itsm_reassign_rule {
    ITSM_REASSIGN_GROUP = 0,             /* assignment_group moves from one group to
                                            another (the default) */
    ITSM_REASSIGN_GROUP_OR_ASSIGNEE = 1, /* that, or assignee moves from one person to
                                            another while the group stays the same */
    ITSM_REASSIGN_GROUP_CHANGE = 2       /* any change of assignment_group after
                                            opening, to or from none too: what
                                            ServiceNow's reassignment_count counts */
} itsm_reassign_rule;

/* Set the rule. ITSM_EINVAL for NULL or an unknown rule (the policy keeps
 * its rule). Document member: "counters": {"reassignment": "group"}
 * ("group", "group_or_assignee" or "group_change"). */
ITSM_API int itsm_policy_set_reassignment_rule(itsm_policy *policy, itsm_reassign_rule rule);
/* The rule; ITSM_REASSIGN_GROUP for NULL. */
ITSM_API itsm_reassign_rule itsm_policy_reassignment_rule(const itsm_policy *policy);

/* ---- custom fields ------------------------------------------------------ */

/*
 * Fields the policy declares, beside the built-in ones of record.h: a name,
 * a type (text, symbol, int with its range, bool, time, or enum with its
 * values), the kinds of record they apply to and the kinds that must give
 * them when opened. Each gets an itsm_field of ITSM_F_CUSTOM_FIRST + its
 * declaration order (the same in every copy of the policy, hence in an
 * engine made from it); every call taking a field takes it: changes on
 * open, update and fire, itsm_record_str/int/has, guards ("tier=gold"),
 * clears, conditions (routes and SLA rules), reports (group by, filter),
 * events and their JSON, replay. A record stores custom values only once
 * it has one: records that use none take no more memory.
 * Document: "fields": [{"name": "tier", "type": "enum", "values": ["gold",
 * "silver"], "kinds": ["incident"], "required": ["incident"]}, ...],
 * declared before the lifecycles whose guards name them.
 */
typedef struct itsm_field_def {
    unsigned           version;    /* ITSM_FIELD_DEF_VERSION */
    const char        *name;       /* 1..63 bytes of a-z, 0-9 and _; not a built-in field's name */
    itsm_field_type    type;
    int64_t            min, max;   /* int: the range, INT64_MIN < min <= max (INT64_MIN stands for unset) */
    const char *const *values;     /* enum: its values (symbols, distinct) */
    size_t             nvalues;    /* enum: 1..64 */
    unsigned           kinds;      /* ITSM_REPORT_KIND-style bits (1u << kind) it applies to; 0: every kind */
    unsigned           required;   /* bits of the kinds that must give it when opened (a subset of kinds) */
} itsm_field_def;

#define ITSM_FIELD_DEF_VERSION 1
#define ITSM_FIELD_DEF_INIT { ITSM_FIELD_DEF_VERSION, NULL, ITSM_TYPE_TEXT, 0, 0, NULL, 0, 0u, 0u }
/* ITSM_FIELD_DEF_INIT for languages without macros: *def set to the
 * defaults of `version`. ITSM_EINVAL for NULL or an unknown version. */
ITSM_API int itsm_field_def_init(itsm_field_def *def, unsigned version);

/* Declare a custom field; *out (may be NULL) gets its itsm_field. The
 * definition is copied. ITSM_EINVAL (NULL, unknown version, a bad name,
 * type, range, values or kinds), ITSM_EEXISTS (a field of that name, built
 * in or declared), ITSM_ELIMIT (over ITSM_MAX_CUSTOM_FIELDS), ITSM_ENOMEM. */
ITSM_API int itsm_policy_add_field(itsm_policy *policy, const itsm_field_def *def, itsm_field *out);
/* The number of custom fields declared. 0 for NULL. */
ITSM_API size_t itsm_policy_field_count(const itsm_policy *policy);
/* A field, built-in or custom, by name. ITSM_OK and *out set,
 * ITSM_ENOTFOUND, ITSM_EINVAL for NULL. */
ITSM_API int itsm_policy_field(itsm_field *out, const itsm_policy *policy, const char *name);
/* A field's name, built-in or custom, borrowed from the policy (or static);
 * NULL when the policy (or NULL policy) has no such field. */
ITSM_API const char *itsm_policy_field_name(const itsm_policy *policy, itsm_field field);
/* A field's type, built-in or custom; 0 when the policy (or NULL policy)
 * has no such field. */
ITSM_API itsm_field_type itsm_policy_field_type(const itsm_policy *policy, itsm_field field);
/* A custom field's definition, its strings borrowed from the policy (valid
 * until it is freed). Initialise *out first (itsm_field_def_init): its
 * version says which members the caller has room for. ITSM_EINVAL for
 * NULL, an unknown version or a field that is not a custom field of the
 * policy. */
ITSM_API int itsm_policy_field_def(itsm_field_def *out, const itsm_policy *policy, itsm_field field);

/* ---- roles -------------------------------------------------------------- */

/*
 * Roles: what the engine itself needs to find in a lifecycle, by meaning
 * rather than by name, so a policy may call its states, events and values
 * what it likes. Each role of a kind maps to a name of that kind's
 * lifecycle (a state or an event) or to a value of a field:
 *
 *   role              names      of      what the engine does with it
 *   resolve           event      problem  fires it when itsm_problem_close
 *                                         closes with the fix_applied code
 *   close_without_fix event      problem  fires it for every other code
 *   known_error       state      problem  a change comes from a problem
 *                                         there; knowledge search finds it
 *   waits_on_change   state      problem  knowledge search finds it too
 *   resume            event      incident fires it on incidents waiting
 *                                         on a problem when it is fixed
 *   auto_close        event      incident, service_request
 *                                         fired by the auto-close timer
 *   parent_resolved   event      incident fired on each child when its
 *                                         major incident resolves
 *   published         state      knowledge   search finds articles there
 *   fix_applied       value      problem  the resolution_code meaning
 *                                         "fixed" (itsm_problem_close)
 *   awaiting_change,  value      incident hold_reason values of an
 *   awaiting_problem                      incident waiting on a problem
 *
 * Defaults: each role maps to its own name ("resolve" -> "resolve") where
 * the lifecycle has that name; a role that is not set and whose default
 * name the lifecycle lacks is unset, and what needs it does not happen
 * (an incident lifecycle with no auto_close event has no auto-close timer).
 * A role set explicitly must name what the lifecycle has, and the
 * lifecycle must be able to honour it: itsm_policy_check reports a finding
 * naming the role and the lifecycle otherwise ("problem: role 'resolve'
 * names event 'fix', which the lifecycle does not declare").
 * Document: "roles": {"resolve": "fix", ...} in a lifecycle's object.
 */
typedef enum itsm_role {
    ITSM_ROLE_RESOLVE = 0,
    ITSM_ROLE_CLOSE_WITHOUT_FIX,
    ITSM_ROLE_KNOWN_ERROR,
    ITSM_ROLE_WAITS_ON_CHANGE,
    ITSM_ROLE_RESUME,
    ITSM_ROLE_AUTO_CLOSE,
    ITSM_ROLE_PARENT_RESOLVED,
    ITSM_ROLE_PUBLISHED,
    ITSM_ROLE_FIX_APPLIED,
    ITSM_ROLE_AWAITING_CHANGE,
    ITSM_ROLE_AWAITING_PROBLEM
} itsm_role;
#define ITSM_ROLE_COUNT 11

/* "resolve", "close_without_fix", ...; NULL for an unknown role. */
ITSM_API const char *itsm_role_name(itsm_role role);
/* ITSM_OK and *out set, ITSM_ENOTFOUND, or ITSM_EINVAL for NULL. */
ITSM_API int itsm_role_from_name(itsm_role *out, const char *name);
/* Map `role` of `kind` to `name` (a state, an event or a value, as the
 * role says; NULL: back to the default). The name is checked by
 * itsm_policy_check, not here, so roles may be set before the lifecycle
 * is built. ITSM_EINVAL for NULL policy, an unknown kind or role, a role
 * that does not apply to the kind, or a malformed name (states and
 * events: 1..63 bytes of a-z, 0-9 and _; values: a symbol); ITSM_ENOMEM. */
ITSM_API int itsm_policy_set_role(itsm_policy *policy, itsm_kind kind, itsm_role role, const char *name);
/* The name `role` of `kind` maps to in this policy (the explicit one, else
 * the default when the lifecycle has it); NULL when unset or not
 * applicable. Borrowed, valid until the policy changes. */
ITSM_API const char *itsm_policy_role(const itsm_policy *policy, itsm_kind kind, itsm_role role);

/* ---- checking ----------------------------------------------------------- */

/*
 * Check every lifecycle and return the number of findings (0 = sound):
 * a lifecycle with no initial state, a closed initial state, or no closed
 * state; states nothing can reach; open states with no way out (no path
 * of transitions from them reaches a closed state: none leaves them, or
 * every one comes back, as a self-loop or a cycle of open states does);
 * guards on fields no step can set before them (an engine-owned field
 * that no other transition stamps or counts: a step's own stamps follow
 * its guard; a custom field that does not apply to the lifecycle's kind);
 * guard terms of a capability on a kind it cannot serve (window:allowed
 * outside the change lifecycle); and declared events that no transition
 * uses. Each finding names the lifecycle and the state, transition or
 * event. An engine refuses a policy with findings (ITSM_EPOLICY).
 */
ITSM_API size_t itsm_policy_check(itsm_policy *policy);
/* 0 for NULL. */
/* Finding `index` of the last check, e.g. "incident: state 'limbo' is
 * unreachable from 'new'". Borrowed until the next check; NULL when out of range. */
ITSM_API const char *itsm_policy_finding(const itsm_policy *policy, size_t index);

/* ---- the policy document ------------------------------------------------ */

/*
 * Parse a policy document (docs/policy.md) and check it. On a syntax or
 * schema error: ITSM_EPARSE or ITSM_ELIMIT with `err` filled (line, column,
 * text). On lifecycle findings: ITSM_EPOLICY, `err->text` holds the first
 * finding and how many more there are. On any error *out is NULL.
 * `alloc` and `limits` may be NULL for the defaults; `err` may be NULL.
 * ITSM_EINVAL (err not filled) for NULL out or json, or a half-set
 * allocator; ITSM_ENOMEM.
 */
ITSM_API int itsm_policy_from_json(itsm_policy **out, const char *json, size_t len,
                                   const itsm_allocator *alloc,
                                   const itsm_json_limits *limits,
                                   itsm_parse_error *err);
/* As itsm_policy_from_json, but without the check, so a tool can list
 * every finding with itsm_policy_check/itsm_policy_finding. Errors:
 * ITSM_EPARSE, ITSM_ELIMIT (err filled), ITSM_EINVAL, ITSM_ENOMEM; never
 * ITSM_EPOLICY. */
ITSM_API int itsm_policy_parse_json(itsm_policy **out, const char *json, size_t len,
                                    const itsm_allocator *alloc,
                                    const itsm_json_limits *limits,
                                    itsm_parse_error *err);

/*
 * Write the policy document, snprintf-style: at most `cap` bytes including
 * a terminating NUL go to `buf` (which may be NULL when cap is 0), and
 * *len gets the length the whole document needs (without the NUL).
 * ITSM_OK when it fitted, ITSM_ELIMIT when it did not (call again with
 * *len + 1 bytes), ITSM_EINVAL for NULL policy or len, or NULL buf with
 * cap > 0.
 */
ITSM_API int itsm_policy_to_json(const itsm_policy *policy, char *buf, size_t cap, size_t *len);

/* ---- the version identity (docs/policy.md, "Versions") --------------- */

/*
 * A policy's version identity is its name and its content hash. The name
 * is optional: the document's top-level "name" member, written after
 * "itsm_policy" only when set. It is 1..64 bytes of UTF-8 without control
 * characters, copied; NULL clears it. ITSM_OK; ITSM_EINVAL (NULL policy,
 * empty, too long, control characters, invalid UTF-8: message in
 * itsm_policy_errmsg), ITSM_ENOMEM.
 */
ITSM_API int itsm_policy_set_name(itsm_policy *policy, const char *name);
/* The name, or NULL when the policy has none (or for NULL). Borrowed,
 * valid until the policy changes or is freed. */
ITSM_API const char *itsm_policy_name(const itsm_policy *policy);
/*
 * The content hash: SHA-256 of the policy's document exactly as
 * itsm_policy_to_json writes it (the name included), as 64 lowercase hex
 * digits and a NUL into out[0..65). Two policies with the same document
 * have the same hash; any change to the document (a target, a guard, the
 * name) gives another. The first 16 digits are the version id that every
 * event records ("pv", docs/events.md). ITSM_OK; ITSM_EINVAL (NULL),
 * ITSM_ENOMEM.
 */
ITSM_API int itsm_policy_hash(const itsm_policy *policy, char out[65]);

#ifdef __cplusplus
}
#endif
#endif
