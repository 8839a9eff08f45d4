/* SPDX-License-Identifier: Apache-2.0 */
/* The problem rules: the problems capability's policy section (defaults,
 * builders, and the "problem_rules" member of the policy document,
 * docs/policy.md). */
#include "problem/problem_int.h"
#include "kit/json.h"
#include "core/abi.h"
#include "kit/opts.h"

#include <stdio.h>
#include <string.h>

static void defaults(itsm__prb_policy *pp)
{
    memset(pp, 0, sizeof *pp);
    pp->recurrence_count = 3;
    pp->recurrence_window = ITSM_PROBLEM_DEFAULT_WINDOW;
    pp->major_review = 1;
    pp->recurrence_push = 1;
}

int itsm__prb_policy_new(void **sect, const itsm_allocator *a);
int itsm__prb_policy_new(void **sect, const itsm_allocator *a)
{
    itsm__prb_policy *pp = itsm__malloc(a, sizeof *pp);
    if (!pp)
        return ITSM_ENOMEM;
    defaults(pp);
    *sect = pp;
    return ITSM_OK;
}

void itsm__prb_policy_free(void *sect, const itsm_allocator *a);
void itsm__prb_policy_free(void *sect, const itsm_allocator *a) { itsm__free(a, sect); }

int itsm__prb_policy_clone(void **out, const void *src, const itsm_allocator *a);
int itsm__prb_policy_clone(void **out, const void *src, const itsm_allocator *a)
{
    itsm__prb_policy *pp = itsm__malloc(a, sizeof *pp);
    if (!pp)
        return ITSM_ENOMEM;
    memcpy(pp, src, sizeof *pp);
    *out = pp;
    return ITSM_OK;
}

/* ---- builders ---- */

ITSM__DEFINE_INIT_SIZED(itsm_problem_rules_init, itsm_problem_rules, ITSM_PROBLEM_RULES_VERSION,
                        ITSM_PROBLEM_RULES_INIT,
                        version == 1 ? ITSM__END(itsm_problem_rules, major_review) : sizeof(itsm_problem_rules))

int itsm_policy_problem_rules(itsm_problem_rules *out, const itsm_policy *policy)
{
    char msg[192];
    if (!out || !policy ||
        itsm__version_check(out->version, ITSM_PROBLEM_RULES_VERSION, "problem rules", msg, sizeof msg))
        return ITSM_EINVAL;
    const itsm__prb_policy *pp = itsm__prb_policy_of(policy);
    /* A version writes the members it has. */
    out->recurrence_count = pp->recurrence_count;
    out->recurrence_window = pp->recurrence_window;
    out->major_review = pp->major_review;
    if (out->version >= 2) {
        out->recurrence_ci = pp->recurrence_ci;
        out->recurrence_push = pp->recurrence_push;
    }
    return ITSM_OK;
}

static int rules_check(const itsm_problem_rules *r, itsm__errbuf *e)
{
    /* At most the proposal's list: a cluster larger than the names its
     * event carries would leave members unclaimed, to count again. */
    if (r->recurrence_count != 0 && (r->recurrence_count < 2 || r->recurrence_count > ITSM_PROBLEM_PROPOSAL_MAX))
        return itsm__errbuf_set(e, ITSM_EINVAL, "recurrence_count must be 0 (off) or 2..%d (got %d)",
                                ITSM_PROBLEM_PROPOSAL_MAX, r->recurrence_count);
    if (r->recurrence_window < 1 || r->recurrence_window > ITSM_PROBLEM_MAX_WINDOW)
        return itsm__errbuf_set(e, ITSM_EINVAL, "recurrence_window must be 1..%lld seconds (got %lld)",
                                (long long)ITSM_PROBLEM_MAX_WINDOW, (long long)r->recurrence_window);
    if (r->major_review != 0 && r->major_review != 1)
        return itsm__errbuf_set(e, ITSM_EINVAL, "major_review must be 0 or 1 (got %d)", r->major_review);
    if (r->version >= 2 && r->recurrence_ci != 0 && r->recurrence_ci != 1)
        return itsm__errbuf_set(e, ITSM_EINVAL, "recurrence_ci must be 0 or 1 (got %d)", r->recurrence_ci);
    if (r->version >= 2 && r->recurrence_push != 0 && r->recurrence_push != 1)
        return itsm__errbuf_set(e, ITSM_EINVAL, "recurrence_push must be 0 or 1 (got %d)", r->recurrence_push);
    return ITSM_OK;
}

int itsm_policy_set_problem_rules(itsm_policy *policy, const itsm_problem_rules *rules)
{
    if (!policy)
        return ITSM_EINVAL;
    if (!rules)
        return itsm__errbuf_set(&policy->err, ITSM_EINVAL, "problem rules are NULL");
    if (itsm__version_check(rules->version, ITSM_PROBLEM_RULES_VERSION, "problem rules", policy->err.msg,
                            sizeof policy->err.msg)) {
        policy->err.code = ITSM_EINVAL;
        return ITSM_EINVAL;
    }
    int rc = rules_check(rules, &policy->err);
    if (rc)
        return rc;
    itsm__prb_policy *pp = itsm__prb_policy_of(policy);
    pp->recurrence_count = rules->recurrence_count;
    pp->recurrence_window = rules->recurrence_window;
    pp->major_review = rules->major_review;
    if (rules->version >= 2) {   /* an older caller keeps what the policy says */
        pp->recurrence_ci = rules->recurrence_ci;
        pp->recurrence_push = rules->recurrence_push;
    }
    itsm__errbuf_clear(&policy->err);
    return ITSM_OK;
}

/* ---- the document ---- */

static int read_int(const itsm__jval *obj, const char *key, int64_t lo, int64_t hi, int64_t *out,
                    itsm_parse_error *err)
{
    const itsm__jval *v = itsm__json_get(obj, key);
    if (!v)
        return ITSM_OK;
    if (v->type != ITSM__JNUMBER || !v->u.num.is_int || v->u.num.i < lo || v->u.num.i > hi)
        return itsm__json_schema_error(err, v, "'%s' must be a whole number %lld..%lld", key,
                                       (long long)lo, (long long)hi);
    *out = v->u.num.i;
    return ITSM_OK;
}

int itsm__prb_policy_read(itsm_policy *p, const itsm__jval *root, itsm_parse_error *err);
int itsm__prb_policy_read(itsm_policy *p, const itsm__jval *root, itsm_parse_error *err)
{
    static const char *const rule_keys[] = { "recurrence_count", "recurrence_window", "major_review",
                                             "recurrence_ci", "recurrence_push", NULL };
    itsm__prb_policy *pp = itsm__prb_policy_of(p);
    int rc;
    const itsm__jval *r = itsm__json_get(root, "problem_rules");
    if (!r)
        return ITSM_OK;
    if (r->type != ITSM__JOBJECT)
        return itsm__json_schema_error(err, r, "'problem_rules' must be an object");
    if ((rc = itsm__json_only_keys(r, rule_keys, "problem_rules", err)))
        return rc;
    int64_t count = pp->recurrence_count, window = pp->recurrence_window;
    if ((rc = read_int(r, "recurrence_count", 0, ITSM_PROBLEM_PROPOSAL_MAX, &count, err)) ||
        (rc = read_int(r, "recurrence_window", 1, ITSM_PROBLEM_MAX_WINDOW, &window, err)))
        return rc;
    if (count == 1)
        return itsm__json_schema_error(err, itsm__json_get(r, "recurrence_count"),
                                       "'recurrence_count' must be 0 (off) or 2..64");
    static const char *const flags[] = { "major_review", "recurrence_ci", "recurrence_push" };
    int *dst[] = { &pp->major_review, &pp->recurrence_ci, &pp->recurrence_push };
    int val[3];
    for (int i = 0; i < 3; i++) {
        const itsm__jval *b = itsm__json_get(r, flags[i]);
        val[i] = *dst[i];
        if (!b)
            continue;
        if (b->type != ITSM__JTRUE && b->type != ITSM__JFALSE)
            return itsm__json_schema_error(err, b, "'%s' must be true or false", flags[i]);
        val[i] = b->type == ITSM__JTRUE;
    }
    for (int i = 0; i < 3; i++)
        *dst[i] = val[i];
    pp->recurrence_count = (int)count;
    pp->recurrence_window = window;
    return ITSM_OK;
}

void itsm__prb_policy_write(const itsm_policy *p, itsm__jw *w);
void itsm__prb_policy_write(const itsm_policy *p, itsm__jw *w)
{
    const itsm__prb_policy *pp = itsm__prb_policy_of(p);
    itsm__jw_key(w, "problem_rules");
    itsm__jw_obj_begin(w);
    itsm__jw_key(w, "recurrence_count");
    itsm__jw_int(w, pp->recurrence_count);
    itsm__jw_key(w, "recurrence_window");
    itsm__jw_int(w, pp->recurrence_window);
    itsm__jw_key(w, "major_review");
    itsm__jw_bool(w, pp->major_review);
    itsm__jw_key(w, "recurrence_ci");
    itsm__jw_bool(w, pp->recurrence_ci);
    itsm__jw_key(w, "recurrence_push");
    itsm__jw_bool(w, pp->recurrence_push);
    itsm__jw_obj_end(w);
}
