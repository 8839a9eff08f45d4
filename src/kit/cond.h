/* SPDX-License-Identifier: Apache-2.0 */
/* Internal: conditions - the small expression language of the policy
 * (docs/conditions.md): comparisons of named values with constants, joined
 * by and, or, not. Compiled and type-checked once, against the names a
 * host declares (record fields, state, kind ...); evaluated many times
 * through a getter, with no allocation. Self-contained: it knows nothing
 * of records, only names, types and ids. */
#ifndef ITSM_SRC_COND_H
#define ITSM_SRC_COND_H

#include "itsm/common.h"
#include "itsm/errors.h"
#include "itsm/json.h"
#include "kit/alloc.h"

#define ITSM__COND_MAX_LEN   4096   /* bytes of source */
#define ITSM__COND_MAX_DEPTH 32     /* nesting of parentheses and not */
#define ITSM__COND_MAX_LIST  64     /* values of one `in` list */
#define ITSM__COND_MAX_VARS  32     /* distinct names one condition reads */

typedef enum itsm__ctype {
    ITSM__CT_BOOL = 1,
    ITSM__CT_INT,
    ITSM__CT_TIME,      /* compared with "YYYY-MM-DDTHH:MM:SSZ" */
    ITSM__CT_TEXT,
    ITSM__CT_SYMBOL,
    ITSM__CT_ENUM       /* a symbol from a closed set (the validator says which) */
} itsm__ctype;

/* What a name means, as the host declares it. */
typedef struct itsm__cvar {
    int         type;         /* itsm__ctype */
    int         id;           /* the host's handle, passed back to the getter */
    int64_t     min, max;     /* int: the range an equality constant must lie in */
    /* Strings: when set, a constant compared for equality (or listed in
     * `in`) must be accepted, else the condition is refused naming `what`
     * ("a state of the policy's lifecycles"). */
    int       (*accepts)(const void *ctx, const char *value);
    const void *ctx;
    const char *what;
} itsm__cvar;

/* Resolve `len` bytes of `name`: 0 with *out filled, -1 if unknown. */
typedef int (*itsm__cond_lookup)(void *user, const char *name, size_t len, itsm__cvar *out);

/* A value at evaluation: unset (null), or i (bool 0/1, int, time), or s
 * (NUL-terminated; text, symbol, enum). */
typedef struct itsm__cval {
    int         null;
    int64_t     i;
    const char *s;
} itsm__cval;
typedef void (*itsm__cond_get)(void *user, int id, itsm__cval *out);

typedef struct itsm__cond itsm__cond;

/* Compile `len` bytes. ITSM_OK; ITSM_EPARSE (syntax, unknown name, type
 * mismatch, a constant outside the name's values) or ITSM_ELIMIT (too
 * long, too deep, a list too long, too many names) with err filled: the
 * 1-based line and column within the source, its byte offset, the reason;
 * ITSM_ENOMEM. */
int  itsm__cond_compile(itsm__cond **out, const char *src, size_t len, itsm__cond_lookup lookup, void *user,
                        const itsm_allocator *a, itsm_parse_error *err);
/* 1 if the condition holds for the values `get` gives, else 0. */
int  itsm__cond_eval(const itsm__cond *c, itsm__cond_get get, void *user);
void itsm__cond_free(itsm__cond *c, const itsm_allocator *a);   /* NULL ok */
/* A deep copy with allocator `a`. ITSM_OK or ITSM_ENOMEM (*out NULL). */
int  itsm__cond_copy(itsm__cond **out, const itsm__cond *src, const itsm_allocator *a);
/* The ids of the names the condition reads, distinct, in order of first use. */
const int *itsm__cond_vars(const itsm__cond *c, size_t *n);

#endif
