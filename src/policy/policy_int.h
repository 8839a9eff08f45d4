/* SPDX-License-Identifier: Apache-2.0 */
/* Internal: the policy's layout, shared by the policy and engine files. */
#ifndef ITSM_SRC_POLICY_INT_H
#define ITSM_SRC_POLICY_INT_H

#include "itsm/policy.h"
#include "core/capability.h"
#include "kit/err.h"
#include "core/fields.h"

#define ITSM__NAME_MAX 63
/* A policy version's name (itsm_policy_set_name): bytes. */
#define ITSM__POLICY_NAME_MAX 64
#define ITSM__TERM_FIELDS 8
#define ITSM__STAMPS 4
/* Bounds that keep a state index in a byte and every check linear. */
#define ITSM__MAX_STATES 255
#define ITSM__MAX_EVENTS 255
#define ITSM__MAX_TRANSITIONS 4096

typedef enum itsm__gop {
    ITSM__G_SET = 1,   /* fields[0] is set (a bool: true) */
    ITSM__G_ANY,       /* at least one of `fields` set */
    ITSM__G_EQ,        /* fields[0] equals value/num */
    ITSM__G_LINK,      /* a related link to a record of kind `link_kind` */
    ITSM__G_KIND       /* a capability's guard kind `gk`: "NAME:ARG", ARG in `value` */
} itsm__gop;

/* At most this many terms in one guard: the terms a step misses are a
 * bit set (core/fire.c). */
#define ITSM__MAX_GUARD_TERMS 64

typedef struct itsm__gterm {
    itsm__gop  op;
    char      *text;       /* the term as written ("a|b", "x=v", "link:change") */
    unsigned   nfields;
    itsm_field fields[ITSM__TERM_FIELDS];
    char      *value;      /* ITSM__G_EQ on a symbol field */
    int64_t    num;        /* ITSM__G_EQ on an int/bool field */
    itsm_kind  link_kind;
    const itsm__guard_kind *gk;   /* ITSM__G_KIND */
} itsm__gterm;

typedef struct itsm__transition {
    int          from;          /* state index, or ITSM__ANY_OPEN */
    int          event;
    int          to;
    itsm__gterm *terms;
    size_t       nterms;
    char        *guard_text;    /* as given, for the document and messages */
    char        *stamp_text;
    char        *clear_text;
    unsigned     nstamps;
    itsm_field   stamps[ITSM__STAMPS];
    unsigned char stamp_once[ITSM__STAMPS];
    /* each stamp's place among a record's times (its slot less
     * ITSM__NSMALL), kept here so a step's '?' stamp reads the record
     * without the field table's look-up */
    unsigned char stamp_tm[ITSM__STAMPS];
    unsigned     nclears;
    itsm_field   clears[ITSM__TERM_FIELDS];
    int          counts_reopen;
    /* lc->events[event] and lc->states[to], which a fired step's event
     * names (core/fire.c): a policy's names never move once added */
    const char  *ev_name, *to_name;
} itsm__transition;

#define ITSM__ANY_OPEN (-1)

typedef struct itsm__lifecycle {
    char            **states;
    unsigned         *state_flags;
    size_t            nstates, cstates;
    char            **events;
    size_t            nevents, cevents;
    itsm__transition *trans;
    size_t            ntrans, ctrans;
} itsm__lifecycle;

/* A custom field: its info (name owned; slot = its index in a record's
 * custom block), an enum's values (owned), the kinds it applies to and
 * those that require it at open (bits 1u << kind). */
typedef struct itsm__cfield {
    itsm__field_info info;
    char           **values;
    uint32_t         nvalues;
    unsigned         kinds, required;
} itsm__cfield;

struct itsm_policy {
    itsm_allocator  alloc;
    char           *name;                      /* the version's name (itsm_policy_set_name); NULL: none */
    itsm__lifecycle lc[ITSM_KIND_COUNT + 1];   /* indexed by itsm_kind */
    int             prio[3][3];                /* [impact-1][urgency-1] */
    itsm_reassign_rule reassign;               /* what counts a reassignment (core/finalise.c) */
    void           *sect[ITSM__CAP_MAX];       /* each capability's section, by registry slot */
    char           *roles[ITSM_KIND_COUNT + 1][ITSM_ROLE_COUNT];   /* set explicitly; NULL: the default */
    itsm__cfield    cf[ITSM_MAX_CUSTOM_FIELDS];  /* custom fields, in declaration order */
    uint32_t        ncf;
    unsigned        cf_text;                   /* some custom field is text (its values own memory) */
    itsm__errbuf    err;                       /* why the last changing call failed */
    char          **findings;
    size_t          nfindings, cfindings;
    int             check_oom;                 /* a finding was lost for memory (itsm__finding) */
    /* The document being read (itsm_policy_parse_json), NULL otherwise: a
     * place inside one of its strings is counted as the document spells
     * it (itsm__json_raw_span). */
    const char     *doc;
    size_t          doc_len;
};

/* The SHA-256 of the policy's document (itsm_policy_to_json): the content
 * part of its version identity (core/versions.c). ITSM_ENOMEM. */
int itsm__policy_digest(const itsm_policy *p, unsigned char out[32]);
struct itsm__jval;
/* A policy from a document already parsed (a stored policy event), with
 * the allocator `a`; not checked. ITSM_EPARSE (err filled), ITSM_ENOMEM. */
int itsm__policy_from_jval(itsm_policy **out, const struct itsm__jval *root, const itsm_allocator *a,
                           itsm_parse_error *err);

/* ---- fields, built-in and custom (policy/custom_fields.c) ---- */

/* A field's info: the built-in table's, or the policy's custom field's;
 * NULL when the policy has no such field. */
/* The priority matrix's cell for impact x urgency (1..3 each); 0 outside
 * it. itsm_policy_priority's body, inline for the opening's derivation. */
static inline int itsm__priority_of(const itsm_policy *p, int64_t impact, int64_t urgency)
{
    return impact >= 1 && impact <= 3 && urgency >= 1 && urgency <= 3 ? p->prio[impact - 1][urgency - 1] : 0;
}

static inline const itsm__field_info *itsm__finfo(const itsm_policy *p, int f)
{
    if (f >= 0 && f < (int)ITSM_F__COUNT)
        return &itsm__fields[f];
    if (itsm__field_custom(f) && (unsigned)(f - (int)ITSM_F_CUSTOM_FIRST) < p->ncf)
        return &p->cf[f - (int)ITSM_F_CUSTOM_FIRST].info;
    return NULL;
}
static inline const itsm__cfield *itsm__cfield_of(const itsm_policy *p, int f)
{
    return itsm__field_custom(f) && (unsigned)(f - (int)ITSM_F_CUSTOM_FIRST) < p->ncf
               ? &p->cf[f - (int)ITSM_F_CUSTOM_FIRST] : NULL;
}
/* A field of the policy, built-in or custom, by `n` bytes of name; -1. */
int  itsm__policy_field_lookup(const itsm_policy *p, const char *name, size_t n);
void itsm__cfields_free(itsm_policy *p);
int  itsm__cfields_clone(itsm_policy *dst, const itsm_policy *src);
struct itsm__jval;
struct itsm__jw;
int  itsm__cfields_read(itsm_policy *p, const struct itsm__jval *root, itsm_parse_error *err);
void itsm__cfields_write(const itsm_policy *p, struct itsm__jw *w);

/* ---- roles (policy/roles.c) ---- */
enum { ITSM__ROLE_STATE = 1, ITSM__ROLE_EVENT, ITSM__ROLE_VALUE };
/* What the role names: a state, an event or a field value. */
int         itsm__role_target(int role);
int         itsm__role_applies(int kind, int role);
/* The name `role` of `kind` maps to (explicit, else the default when the
 * lifecycle has it), or NULL. */
const char *itsm__role_of(const itsm_policy *p, int kind, int role);
/* A name fit for the role (a state or event name, or a symbol). */
int         itsm__role_name_ok(int role, const char *name, itsm__errbuf *e);
/* Findings for roles set explicitly that do not resolve or cannot be
 * honoured (itsm_policy_check). */
void        itsm__roles_check(itsm_policy *p);

/* A deep copy of `src` whose memory comes from `alloc` (an engine's copy
 * must not depend on the allocator of the host's policy). */
int  itsm__policy_clone(itsm_policy **out, const itsm_policy *src, const itsm_allocator *alloc);
int  itsm__lc_state(const itsm__lifecycle *lc, const char *name);      /* index or -1 */
int  itsm__lc_event(const itsm__lifecycle *lc, const char *name);      /* index or -1 */
/* The initial state's index or -1; inline: every opening asks it. */
static inline int itsm__lc_initial(const itsm__lifecycle *lc)
{
    for (size_t i = 0; i < lc->nstates; i++)
        if (lc->state_flags[i] & ITSM_STATE_INITIAL)
            return (int)i;
    return -1;
}
/* The transition for `event` from state `from`, exact `from` first, then "*"
 * when `from` is open. NULL if none. */
const itsm__transition *itsm__lc_find(const itsm__lifecycle *lc, int from, int event);
static inline int itsm__lc_is_closed(const itsm__lifecycle *lc, int state)
{
    return (lc->state_flags[state] & ITSM_STATE_CLOSED) != 0;
}

#endif
