/* SPDX-License-Identifier: Apache-2.0 */
/* Satisfaction (itsm/satisfaction.h): survey answers on closed records,
 * as "survey_answered" events, and the engine state they build. */
#include "satisfaction/satisfaction_int.h"
#include "closure/closure_int.h"
#include "sla/sla_int.h"
#include "core/abi.h"
#include "kit/json.h"
#include "kit/value.h"

#include <string.h>

/* ---- engine state ---- */

static void answer_free(itsm_engine *eng, void *entry)
{
    itsm__sat_answer *a = entry;
    if (!a)
        return;
    itsm__free(&eng->alloc, a->comment);
    itsm__free(&eng->alloc, a);
}

static int  engine_init(itsm_engine *eng) { return itsm__cap_map_init(eng, ITSM__CAP_SATISFACTION); }
static void engine_free(itsm_engine *eng) { itsm__cap_map_free(eng, ITSM__CAP_SATISFACTION, answer_free); }

static const itsm__sat_answer *answer_of(const itsm_engine *eng, const itsm_record *r)
{
    const itsm__ptrmap *answers = itsm__sat_answers(eng);
    return answers ? itsm__ptrmap_get(answers, r) : NULL;
}

/* ---- the event ---- */

static const char *const event_keys[] = { "survey", NULL };

static void ev_write(const itsm_event *ev, itsm__jw *w)
{
    const itsm__sat_answer *a = ev->ext;
    itsm__jw_key(w, "survey");
    itsm__jw_obj_begin(w);
    itsm__jw_key(w, "score");
    itsm__jw_int(w, a->score);
    itsm__jw_key(w, "comment");
    itsm__jw_str(w, a->comment);
    itsm__jw_obj_end(w);
}

static int ev_read(itsm_engine *eng, itsm_event *ev, const itsm__jval *root, itsm_parse_error *err)
{
    static const char *const keys[] = { "score", "comment", NULL };
    const itsm__jval *s = itsm__json_get(root, "survey"), *v;
    if (!s || s->type != ITSM__JOBJECT)
        return itsm__json_schema_error(err, s ? s : root, "a survey_answered event needs a 'survey' object");
    int rc = itsm__json_only_keys(s, keys, "survey", err);
    if (rc)
        return rc;
    if (ev->rec->kind != ITSM_KIND_INCIDENT && ev->rec->kind != ITSM_KIND_SERVICE_REQUEST)
        return itsm__json_schema_error(err, root, "only incidents and service requests have survey answers");
    if (answer_of(eng, ev->rec))
        return itsm__json_schema_error(err, root, "%s has a survey answer already", ev->rec->id);
    v = itsm__json_get(s, "score");
    if (!v || v->type != ITSM__JNUMBER || !v->u.num.is_int || v->u.num.i < 0 ||
        v->u.num.i > ITSM_SURVEY_MAX_POINTS - 1)
        return itsm__json_schema_error(err, v ? v : s, "'score' must be a whole number 0..%d",
                                       ITSM_SURVEY_MAX_POINTS - 1);
    itsm__sat_answer *a = itsm__calloc(&eng->alloc, 1, sizeof *a);
    if (!a)
        return ITSM_ENOMEM;
    ev->ext = a;
    a->rec = ev->rec;
    a->score = (int)v->u.num.i;
    v = itsm__json_get(s, "comment");
    if (v && v->type != ITSM__JNULL) {
        if (v->type != ITSM__JSTRING || !v->u.str.len || v->u.str.len > ITSM_MAX_TEXT ||
            !itsm__utf8_valid(v->u.str.s, v->u.str.len))
            return itsm__json_schema_error(err, v, "'comment' must be null or 1..%d bytes of UTF-8", ITSM_MAX_TEXT);
        if (!(a->comment = itsm__strndup(&eng->alloc, v->u.str.s, v->u.str.len)))
            return ITSM_ENOMEM;
    }
    return ITSM_OK;
}

/* The map has room (reserve); the payload becomes the record's answer. */
static void ev_apply(itsm_engine *eng, itsm_event *ev)
{
    itsm__sat_answer *a = ev->ext;
    a->by = ev->actor;
    a->at = ev->at;
    a->kept = 1;
    itsm__ptrmap_put(itsm__sat_answers(eng), a);
}

static void ev_dispose(itsm_engine *eng, itsm_event *ev)
{
    itsm__sat_answer *a = ev->ext;
    if (a && !a->kept)
        answer_free(eng, a);
    ev->ext = NULL;
}

static const itsm__evclass survey_answered = { "survey_answered", event_keys, ev_write, ev_read, ev_apply,
                                               ev_dispose, NULL };

static int reserve(itsm_engine *eng)
{
    size_t k = 0;
    for (size_t i = 0; i < eng->nbatch; i++)
        k += eng->batch[i].cls == &survey_answered;
    if (k && itsm__ptrmap_reserve(itsm__sat_answers(eng), &eng->alloc, k))
        return itsm__oom(eng);
    return ITSM_OK;
}

/* ---- answering ---- */

int itsm_record_survey_answer(itsm_record *r, int score, const char *comment)
{
    if (!r)
        return ITSM_EINVAL;
    itsm_engine *eng = r->eng;
    int rc = itsm__check_entry(eng);
    if (rc)
        return rc;
    /* arguments before state */
    if (r->kind != ITSM_KIND_INCIDENT && r->kind != ITSM_KIND_SERVICE_REQUEST)
        return itsm__err(eng, ITSM_EINVAL, "%s is a %s: only incidents and service requests are surveyed", r->id,
                         itsm_kind_name((itsm_kind)r->kind));
    const itsm__sat_policy *sp = itsm__sat_policy_of(eng->policy);
    if (score < sp->min || score > sp->max)
        return itsm__err(eng, ITSM_EINVAL, "score %d is outside the survey scale %d..%d", score, sp->min, sp->max);
    if (comment && *comment && (rc = itsm__text_arg(eng, comment, "the comment")))
        return rc;
    const itsm__lifecycle *lc = itsm__lifecycle_of(eng, r->kind);
    if (!itsm__lc_is_closed(lc, r->state))
        return itsm__err(eng, ITSM_ESTATE, "%s is '%s': a survey is answered once the record is closed", r->id,
                         lc->states[r->state]);
    /* closed without a resolution (canceled: logged in error, a duplicate,
     * even after a resolution it keeps; a request rejected): no service was
     * given, so none is surveyed - the report's rule (closure_int.h) */
    if (!itsm__closed_resolved(eng, r))
        return itsm__err(eng, ITSM_ESTATE, "%s is '%s': closed without a resolution, it has no service to survey",
                         r->id, lc->states[r->state]);
    if (!itsm_record_survey_sampled(r)) {
        unsigned pm = itsm__sl(itsm__rec_policy(r))->survey_permille;   /* the rate that judged it */
        return itsm__err(eng, ITSM_ESTATE, "%s is not in the survey sample (closure.survey_rate %u.%u%%)", r->id,
                         pm / 10, pm % 10);
    }
    if (answer_of(eng, r))
        return itsm__err(eng, ITSM_EEXISTS, "the survey of %s was answered already", r->id);
    itsm_time at;
    if ((rc = itsm__now(eng, &at)))
        return rc;
    itsm__sat_answer *a = itsm__calloc(&eng->alloc, 1, sizeof *a);
    if (!a || (comment && *comment && !(a->comment = itsm__strdup(&eng->alloc, comment)))) {
        answer_free(eng, a);
        return itsm__oom(eng);
    }
    a->rec = r;
    a->score = score;
    itsm__batch_begin(eng);
    itsm_event *ev = itsm__batch_add(eng, ITSM__EV_EXT, r, at);
    if (!ev) {
        answer_free(eng, a);
        itsm__batch_abort(eng);
        return ITSM_ENOMEM;
    }
    ev->cls = &survey_answered;
    ev->ext = a;
    return itsm__batch_commit(eng);
}

int itsm_record_survey(itsm_survey_answer *out, const itsm_record *r)
{
    int rc = ITSM__REC_OUT(r, out, itsm_survey_answer, at, "itsm_record_survey");
    if (rc)
        return rc;
    const itsm__sat_answer *a = answer_of(r->eng, r);
    if (!a)   /* an answer, not a failure: the engine's last error (a guard's terms) stays */
        return ITSM_ENOTFOUND;
    itsm_survey_answer full = { sizeof full, a->score, a->comment, a->by, a->at };
    itsm__sized_put(out, out->size, &full);
    return ITSM_OK;
}

/* ---- the capability ---- */

static const itsm__evclass *const classes[] = { &survey_answered, NULL };

const itsm__capability itsm__cap_satisfaction = {
    .name = "satisfaction",
    .policy_keys = itsm__sat_policy_keys,
    .policy_new = itsm__sat_policy_new,
    .policy_free = itsm__sat_policy_free,
    .policy_clone = itsm__sat_policy_clone,
    .policy_read = itsm__sat_policy_read,
    .policy_write = itsm__sat_policy_write,
    .engine_init = engine_init,
    .engine_free = engine_free,
    .watch_types = 1u << ITSM__EV_EXT,
    .reserve_own_classes = 1,
    .reserve = reserve,
    .classes = classes,
};
