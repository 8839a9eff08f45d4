/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libFuzzer target: conditions (src/cond.c), compiled against the names
 * of the default policy's records (src/core/cond_record.c).
 *
 * For every input: a refusal is ITSM_EPARSE or ITSM_ELIMIT with a line,
 * column and offset inside the input and a reason, and no condition; an
 * accepted condition reads at most ITSM__COND_MAX_VARS distinct names and
 * evaluates to 0 or 1 under values drawn from the input (unset ones too),
 * the same answer twice, and "not (" input ")" - when within the limits -
 * compiles and gives the opposite answer. A counting allocator checks
 * that every block is freed.
 */
#include "kit/cond.h"
#include "core/cond_record.h"
#include "../support/failalloc.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static failalloc cnt;

typedef struct vals { uint64_t seed; } vals;

static void get(void *user, int id, itsm__cval *out)
{
    static const char *const strs[] = { "new", "resolved", "incident", "problem", "Payroll", "gold", "", "x" };
    vals *v = user;
    uint64_t h = (v->seed ^ (uint64_t)id * 0x9e3779b97f4a7c15u) * 0xbf58476d1ce4e5b9u;
    h ^= h >> 31;
    out->null = (h & 7) == 0;
    out->i = (int64_t)((h >> 3) % 7);
    out->s = out->null ? NULL : strs[(h >> 8) % 8];
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static itsm_policy *policy;
    if (!policy && itsm_policy_new_default(&policy, NULL) != ITSM_OK)
        abort();
    itsm_allocator a = failalloc_make(&cnt);
    itsm__cond *c = (itsm__cond *)1;
    itsm_parse_error err;
    const char *src = (const char *)data;
    int rc = itsm__cond_compile(&c, src, size, itsm__cond_record_lookup, policy, &a, &err);
    if (rc != ITSM_OK) {
        if ((rc != ITSM_EPARSE && rc != ITSM_ELIMIT) || c || err.code != rc || !err.text[0] ||
            err.offset > size || err.line < 1 || err.column < 1)
            abort();
        if (cnt.live)
            abort();
        return 0;
    }
    size_t nv;
    itsm__cond_vars(c, &nv);
    if (nv > ITSM__COND_MAX_VARS)
        abort();
    vals v = { 0x12345 };
    for (size_t i = 0; i < size && i < 32; i++)
        v.seed = (v.seed ^ data[i]) * 0x100000001b3u;
    int r = itsm__cond_eval(c, get, &v);
    if ((r != 0 && r != 1) || itsm__cond_eval(c, get, &v) != r)
        abort();
    itsm__cond_free(c, &a);

    if (size + 6 <= ITSM__COND_MAX_LEN) {
        char *neg = malloc(size + 6);
        if (!neg)
            abort();
        memcpy(neg, "not (", 5);
        memcpy(neg + 5, data, size);
        neg[size + 5] = ')';
        rc = itsm__cond_compile(&c, neg, size + 6, itsm__cond_record_lookup, policy, &a, &err);
        if (rc == ITSM_OK) {
            if (itsm__cond_eval(c, get, &v) != !r)
                abort();
            itsm__cond_free(c, &a);
        } else if (rc != ITSM_ELIMIT) {
            abort();   /* only the depth limit may refuse it now */
        }
        free(neg);
    }
    if (cnt.live)
        abort();
    return 0;
}
