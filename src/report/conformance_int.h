/* SPDX-License-Identifier: Apache-2.0 */
/* Internal: the conformance report's layout, shared by src/conformance.c
 * (feeding and checking) and src/conformance_json.c (the writers). */
#ifndef ITSM_SRC_CONFORMANCE_INT_H
#define ITSM_SRC_CONFORMANCE_INT_H

#include "itsm/conformance.h"
#include "core/history.h"
#include "policy/policy_int.h"

/* What the report knows of one record: where it is and the fields its
 * reference policy's guards read. */
typedef struct itsm__crec {
    unsigned char kind;
    unsigned char deviated, bypassed;
    const char   *state;       /* interned; NULL before its first move */
    uint64_t      has;         /* bit f: field f is set (a bool: true) */
    uint32_t      links;       /* bit k: a related link to a record of kind k */
    int64_t      *eq;          /* per field compared by a guard (field=value): its value; a
                                  symbol's value is an interned pointer */
} itsm__crec;

typedef struct itsm__cmove {
    itsm_conformance_move m;   /* names interned */
    int                   classified;   /* the way round was looked for */
} itsm__cmove;

typedef struct itsm__crule {
    itsm_kind kind;
    size_t    t;               /* the transition's index in its lifecycle */
    size_t    used, guard_failed;
} itsm__crule;

struct itsm_conformance {
    itsm_allocator alloc;
    itsm_policy   *pol;                   /* own copy */
    char           errmsg[256];
    itsm__strmap   names;                 /* interned names: value unused */
    itsm__strmap   recmap;                /* "<kind>:<id>" -> index in rec */
    itsm__crec    *rec;
    size_t         nrec, crec;
    itsm__strmap   movemap;               /* "<kind>\n<from>\n<to>" -> index in moves */
    itsm__cmove   *moves;
    size_t         nmoves, cmoves;
    itsm__crule   *rules;
    size_t         nrules;
    size_t         rule0[ITSM_KIND_COUNT + 2];   /* first rule of each kind */
    int            eq_slot[ITSM_F__COUNT];       /* field -> index in crec.eq, or -1 */
    size_t         neq;
    itsm_conformance_summary sum;
};

#endif
