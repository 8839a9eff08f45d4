/* SPDX-License-Identifier: Apache-2.0 */
/* The survey scale: the satisfaction capability's policy section (the
 * defaults, the builders, and the "satisfaction" member of the policy
 * document, docs/policy.md). */
#include "satisfaction/satisfaction_int.h"
#include "core/abi.h"
#include "kit/json.h"
#include "kit/opts.h"

#include <string.h>

const char *const itsm__sat_policy_keys[] = { "satisfaction", NULL };

int itsm__sat_policy_new(void **sect, const itsm_allocator *a)
{
    itsm__sat_policy *sp = itsm__malloc(a, sizeof *sp);
    if (!sp)
        return ITSM_ENOMEM;
    sp->min = 1;
    sp->max = 5;
    *sect = sp;
    return ITSM_OK;
}

void itsm__sat_policy_free(void *sect, const itsm_allocator *a) { itsm__free(a, sect); }

int itsm__sat_policy_clone(void **out, const void *src, const itsm_allocator *a)
{
    itsm__sat_policy *sp = itsm__malloc(a, sizeof *sp);
    if (!sp)
        return ITSM_ENOMEM;
    memcpy(sp, src, sizeof *sp);
    *out = sp;
    return ITSM_OK;
}

/* ---- builders ---- */

ITSM__DEFINE_INIT(itsm_survey_scale_init, itsm_survey_scale, ITSM_SURVEY_SCALE_VERSION, ITSM_SURVEY_SCALE_INIT)

static int scale_ok(int min, int max)
{
    return min >= 0 && max <= ITSM_SURVEY_MAX_POINTS - 1 && min < max;
}

int itsm_policy_survey_scale(itsm_survey_scale *out, const itsm_policy *policy)
{
    char msg[192];
    if (!out || !policy ||
        itsm__version_check(out->version, ITSM_SURVEY_SCALE_VERSION, "survey scale", msg, sizeof msg))
        return ITSM_EINVAL;
    const itsm__sat_policy *sp = itsm__sat_policy_of(policy);
    out->min = sp->min;
    out->max = sp->max;
    return ITSM_OK;
}

int itsm_policy_set_survey_scale(itsm_policy *policy, const itsm_survey_scale *scale)
{
    if (!policy)
        return ITSM_EINVAL;
    if (!scale)
        return itsm__errbuf_set(&policy->err, ITSM_EINVAL, "the survey scale is NULL");
    if (itsm__version_check(scale->version, ITSM_SURVEY_SCALE_VERSION, "survey scale", policy->err.msg,
                            sizeof policy->err.msg)) {
        policy->err.code = ITSM_EINVAL;
        return ITSM_EINVAL;
    }
    if (!scale_ok(scale->min, scale->max))
        return itsm__errbuf_set(&policy->err, ITSM_EINVAL,
                                "the survey scale must be whole scores 0 <= min < max <= %d (got %d..%d)",
                                ITSM_SURVEY_MAX_POINTS - 1, scale->min, scale->max);
    itsm__sat_policy *sp = itsm__sat_policy_of(policy);
    sp->min = scale->min;
    sp->max = scale->max;
    itsm__errbuf_clear(&policy->err);
    return ITSM_OK;
}

/* ---- the document ---- */

int itsm__sat_policy_read(itsm_policy *p, const itsm__jval *root, itsm_parse_error *err)
{
    static const char *const keys[] = { "min", "max", NULL };
    itsm__sat_policy *sp = itsm__sat_policy_of(p);
    const itsm__jval *s = itsm__json_get(root, "satisfaction");
    if (!s)
        return ITSM_OK;
    if (s->type != ITSM__JOBJECT)
        return itsm__json_schema_error(err, s, "'satisfaction' must be an object");
    int rc = itsm__json_only_keys(s, keys, "satisfaction", err);
    if (rc)
        return rc;
    int64_t v[2] = { sp->min, sp->max };
    for (int i = 0; i < 2; i++) {
        const itsm__jval *x = itsm__json_get(s, keys[i]);
        if (!x)
            continue;
        if (x->type != ITSM__JNUMBER || !x->u.num.is_int || x->u.num.i < 0 ||
            x->u.num.i > ITSM_SURVEY_MAX_POINTS - 1)
            return itsm__json_schema_error(err, x, "'%s' must be a whole number 0..%d", keys[i],
                                           ITSM_SURVEY_MAX_POINTS - 1);
        v[i] = x->u.num.i;
    }
    if (!scale_ok((int)v[0], (int)v[1]))
        return itsm__json_schema_error(err, s, "the survey scale needs min < max (got %d..%d)", (int)v[0],
                                       (int)v[1]);
    sp->min = (int)v[0];
    sp->max = (int)v[1];
    return ITSM_OK;
}

void itsm__sat_policy_write(const itsm_policy *p, itsm__jw *w)
{
    const itsm__sat_policy *sp = itsm__sat_policy_of(p);
    itsm__jw_key(w, "satisfaction");
    itsm__jw_obj_begin(w);
    itsm__jw_key(w, "min");
    itsm__jw_int(w, sp->min);
    itsm__jw_key(w, "max");
    itsm__jw_int(w, sp->max);
    itsm__jw_obj_end(w);
}
