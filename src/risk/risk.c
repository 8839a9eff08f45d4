/* SPDX-License-Identifier: Apache-2.0 */
/* Risk assessment (itsm/change.h): answers as events, the level they give,
 * and the guard "risk:assessed". */
#include "risk/risk_int.h"
#include "core/abi.h"
#include "kit/json.h"
#include "kit/names.h"

#include <stdio.h>
#include <string.h>

typedef struct rk_answer {
    const char *question, *answer, *by;   /* interned */
    int         score;
    itsm_time   at;
} rk_answer;

typedef struct rk_rec {
    const itsm_record *rec;   /* the key (kit/ptrmap.h) */
    rk_answer         *a;     /* in force, in the order first answered */
    size_t             n, cap;
} rk_rec;

/* The engine state: record -> rk_rec. */
static itsm__ptrmap *recs_of(const itsm_engine *eng) { return (itsm__ptrmap *)eng->cap[ITSM__CAP_RISK]; }

static void rec_free(itsm_engine *eng, void *entry)
{
    rk_rec *rr = entry;
    itsm__free(&eng->alloc, rr->a);
    itsm__free(&eng->alloc, rr);
}

static int  engine_init(itsm_engine *eng) { return itsm__cap_map_init(eng, ITSM__CAP_RISK); }
static void engine_free(itsm_engine *eng) { itsm__cap_map_free(eng, ITSM__CAP_RISK, rec_free); }

static rk_rec *rec_of(const itsm_engine *eng, const itsm_record *r)
{
    const itsm__ptrmap *recs = recs_of(eng);
    return recs ? itsm__ptrmap_get(recs, r) : NULL;
}

/* The record's state with room for one more answer (the record exists:
 * its state may be made before the step commits). NULL on ENOMEM. */
static rk_rec *rec_reserve(itsm_engine *eng, const itsm_record *r)
{
    itsm__ptrmap *recs = recs_of(eng);
    rk_rec *rr = itsm__ptrmap_get(recs, r);
    if (!rr) {
        if (itsm__ptrmap_reserve(recs, &eng->alloc, 1) || !(rr = itsm__calloc(&eng->alloc, 1, sizeof *rr)))
            return NULL;
        rr->rec = r;
        itsm__ptrmap_put(recs, rr);
    }
    if (itsm__grow(&eng->alloc, (void **)&rr->a, &rr->cap, rr->n + 1, sizeof *rr->a))
        return NULL;
    return rr;
}

static const rk_answer *answer_of(const rk_rec *rr, const char *question)
{
    for (size_t i = 0; rr && i < rr->n; i++)
        if (strcmp(rr->a[i].question, question) == 0)
            return &rr->a[i];
    return NULL;
}

/* The total over the questionnaire's questions answered, and how many;
 * `extra` (may be NULL) is an answer as if given now. */
static int64_t total_of(const itsm__rk_policy *rp, const rk_rec *rr, const rk_answer *extra, size_t *answered)
{
    int64_t total = 0;
    *answered = 0;
    for (size_t i = 0; i < rp->nq; i++) {
        const rk_answer *a = extra && strcmp(extra->question, rp->q[i].name) == 0 ? extra
                                                                                   : answer_of(rr, rp->q[i].name);
        if (a) {
            total += a->score;
            ++*answered;
        }
    }
    return total;
}

static const char *level_for(const itsm__rk_policy *rp, int64_t total)
{
    for (size_t i = 0; i + 1 < rp->nlevels; i++)
        if (total <= rp->up_to[i])
            return rp->levels[i];
    return rp->nlevels ? rp->levels[rp->nlevels - 1] : NULL;
}

const char *itsm__risk_level_of(const itsm_engine *eng, const itsm_record *r)
{
    const itsm__rk_policy *rp = itsm__rk_policy_of(eng->policy);
    if (!rp->nq || !(rp->kinds & (1u << r->kind)))
        return NULL;
    size_t answered;
    int64_t total = total_of(rp, rec_of(eng, r), NULL, &answered);
    return answered == rp->nq ? level_for(rp, total) : NULL;
}

/* ---- the event ---- */

typedef struct rk_ext {
    const char *question, *answer, *level;   /* interned; level NULL: not assessed yet */
    int         score;
    int64_t     total;
} rk_ext;

static void write_ext(const itsm_event *ev, itsm__jw *w)
{
    const rk_ext *x = ev->ext;
    itsm__jw_key(w, "risk");
    itsm__jw_obj_begin(w);
    itsm__jw_key(w, "question");
    itsm__jw_str(w, x->question);
    itsm__jw_key(w, "answer");
    itsm__jw_str(w, x->answer);
    itsm__jw_key(w, "score");
    itsm__jw_int(w, x->score);
    itsm__jw_key(w, "total");
    itsm__jw_int(w, x->total);
    itsm__jw_key(w, "level");
    itsm__jw_str(w, x->level);
    itsm__jw_obj_end(w);
}

static int read_ext(itsm_engine *eng, itsm_event *ev, const itsm__jval *root, itsm_parse_error *err)
{
    static const char *const keys[] = { "question", "answer", "score", "total", "level", NULL };
    const itsm__jval *v = itsm__json_get(root, "risk");
    if (!v || v->type != ITSM__JOBJECT)
        return itsm__json_schema_error(err, v ? v : root, "a risk event needs a 'risk' object");
    int rc = itsm__json_only_keys(v, keys, "risk", err);
    if (rc)
        return rc;
    rk_ext *x = itsm__calloc(&eng->alloc, 1, sizeof *x);
    if (!x)
        return ITSM_ENOMEM;
    ev->ext = x;
    const char *names[] = { "question", "answer", "level" };
    const char **slots[] = { &x->question, &x->answer, &x->level };
    for (int i = 0; i < 3; i++) {
        const itsm__jval *s = itsm__json_get(v, names[i]);
        if (i == 2 && s && s->type == ITSM__JNULL)
            continue;
        if (!s || s->type != ITSM__JSTRING || !itsm__pname_okn(s->u.str.s, s->u.str.len))
            return itsm__json_schema_error(err, s ? s : v, "'%s' must be a policy name%s", names[i],
                                           i == 2 ? " or null" : "");
        if (!(*slots[i] = itsm__intern(eng, s->u.str.s, s->u.str.len)))
            return ITSM_ENOMEM;
    }
    const itsm__jval *sc = itsm__json_get(v, "score"), *tt = itsm__json_get(v, "total");
    if (!sc || sc->type != ITSM__JNUMBER || !sc->u.num.is_int || sc->u.num.i < 0 || sc->u.num.i > ITSM_RISK_MAX_SCORE)
        return itsm__json_schema_error(err, sc ? sc : v, "'score' must be a whole number 0..%d", ITSM_RISK_MAX_SCORE);
    if (!tt || tt->type != ITSM__JNUMBER || !tt->u.num.is_int || tt->u.num.i < 0 ||
        tt->u.num.i > (int64_t)ITSM_RISK_MAX_SCORE * ITSM_RISK_MAX_QUESTIONS)
        return itsm__json_schema_error(err, tt ? tt : v, "'total' must be a whole number 0..%d",
                                       ITSM_RISK_MAX_SCORE * ITSM_RISK_MAX_QUESTIONS);
    x->score = (int)sc->u.num.i;
    x->total = tt->u.num.i;
    return rec_reserve(eng, ev->rec) ? ITSM_OK : ITSM_ENOMEM;
}

static void apply_ext(itsm_engine *eng, itsm_event *ev)
{
    const rk_ext *x = ev->ext;
    rk_rec *rr = rec_of(eng, ev->rec);
    rk_answer *a = (rk_answer *)(uintptr_t)answer_of(rr, x->question);
    if (!a)
        a = &rr->a[rr->n++];   /* room was reserved */
    a->question = x->question;
    a->answer = x->answer;
    a->score = x->score;
    a->by = ev->actor;
    a->at = ev->at;
}

static const char *const ext_keys[] = { "risk", NULL };
static const itsm__evclass evc_answer = { "risk_answer", ext_keys, write_ext, read_ext, apply_ext,
                                          itsm__evclass_free_ext, NULL };

/* ---- answering ---- */

int itsm_record_answer_risk(itsm_record *r, const char *question, const char *answer)
{
    if (!r)
        return ITSM_EINVAL;
    itsm_engine *eng = r->eng;
    int rc = itsm__check_entry(eng);
    if (rc)
        return rc;
    if (!question || !answer)
        return itsm__err(eng, ITSM_EINVAL, "a risk answer needs the question and the answer");
    const itsm__lifecycle *lc = itsm__lifecycle_of(eng, r->kind);
    if (itsm__lc_is_closed(lc, r->state))
        return itsm__err(eng, ITSM_ESTATE, "cannot assess %s: it is %s", r->id, lc->states[r->state]);
    const itsm__rk_policy *rp = itsm__rk_policy_of(eng->policy);
    if (!(rp->kinds & (1u << r->kind)))
        return itsm__err(eng, ITSM_ESTATE, "the policy assesses no %s records for risk",
                         itsm_kind_name((itsm_kind)r->kind));
    const itsm__rk_question *q = NULL;
    for (size_t i = 0; i < rp->nq && !q; i++)
        if (strcmp(rp->q[i].name, question) == 0)
            q = &rp->q[i];
    if (!q)
        return itsm__err(eng, ITSM_ENOTFOUND, "the risk questionnaire has no question '%.63s'",
                         itsm__pname_ok(question) ? question : "?");
    long k = itsm__strv_find(q->answers, q->n, answer);
    if (k < 0) {
        char list[400];
        size_t off = 0;
        for (size_t i = 0; i < q->n && off < sizeof list; i++)
            off += (size_t)snprintf(list + off, sizeof list - off, "%s%s", i ? ", " : "", q->answers[i]);
        return itsm__err(eng, ITSM_ENOTFOUND, "risk question '%s' has no answer '%.63s' (answers: %s)", q->name,
                         itsm__pname_ok(answer) ? answer : "?", list);
    }
    itsm_time at = 0;
    if ((rc = itsm__now(eng, &at)))
        return rc;
    rk_rec *rr = rec_reserve(eng, r);
    const char *iq = rr ? itsm__intern(eng, q->name, strlen(q->name)) : NULL;
    const char *ia = iq ? itsm__intern(eng, q->answers[k], strlen(q->answers[k])) : NULL;
    rk_ext *x = ia ? itsm__calloc(&eng->alloc, 1, sizeof *x) : NULL;
    if (!x)
        return itsm__oom(eng);
    x->question = iq;
    x->answer = ia;
    x->score = q->scores[k];
    rk_answer now = { iq, ia, NULL, x->score, at };
    size_t answered;
    x->total = total_of(rp, rr, &now, &answered);
    const char *level = answered == rp->nq ? level_for(rp, x->total) : NULL;
    if (level && !(x->level = itsm__intern(eng, level, strlen(level)))) {
        itsm__free(&eng->alloc, x);
        return itsm__oom(eng);
    }
    itsm__batch_begin(eng);
    itsm_event *ev = itsm__batch_add(eng, ITSM__EV_EXT, r, at);
    if (!ev) {
        itsm__free(&eng->alloc, x);
        return ITSM_ENOMEM;
    }
    ev->cls = &evc_answer;
    ev->ext = x;
    return itsm__batch_commit(eng);
}

/* ---- the guard "risk:assessed" ---- */

static int guard_parse(const char *arg, size_t n, int64_t *num, itsm__errbuf *e)
{
    (void)num;
    if (n == 8 && memcmp(arg, "assessed", 8) == 0)
        return ITSM_OK;
    return itsm__errbuf_set(e, ITSM_EINVAL, "'risk:' takes 'assessed' (every question answered)");
}

/* 1 when every question is answered (or nothing is assessed); else 0,
 * naming the questions unanswered in why (when not NULL). */
static int assessed_eval(const itsm_engine *eng, const itsm_record *r, char *why, size_t cap)
{
    const itsm__rk_policy *rp = itsm__rk_policy_of(eng->policy);
    if (!rp->nq || !(rp->kinds & (1u << r->kind)))
        return 1;   /* nothing to assess */
    const rk_rec *rr = rec_of(eng, r);
    char list[300];
    size_t off = 0, missing = 0;
    list[0] = '\0';
    for (size_t i = 0; i < rp->nq; i++)
        if (!answer_of(rr, rp->q[i].name)) {
            missing++;
            if (!why)
                return 0;
            if (off < sizeof list)
                off += (size_t)snprintf(list + off, sizeof list - off, "%s'%s'", off ? ", " : "", rp->q[i].name);
        }
    if (missing && why)
        snprintf(why, cap, "the risk assessment: %zu of %zu questions unanswered (%s)", missing, rp->nq, list);
    return !missing;
}

static int guard_met(const itsm_engine *eng, const itsm_record *r, const itsm_event *ev, const char *arg, int64_t num)
{
    (void)ev;
    (void)arg;
    (void)num;
    return assessed_eval(eng, r, NULL, 0);
}

static void guard_describe(const itsm_engine *eng, const itsm_record *r, const itsm_event *ev, const char *arg,
                           int64_t num, char *out, size_t cap)
{
    (void)ev;
    (void)arg;
    (void)num;
    assessed_eval(eng, r, out, cap);
}

static const itsm__guard_kind guard_risk = { "risk", guard_parse, guard_met, guard_describe };

/* ---- reading ---- */

int itsm_record_risk(itsm_risk_info *out, const itsm_record *r)
{
    if (!r)
        return ITSM_EINVAL;
    const itsm_engine *eng = r->eng;
    if (!out)
        return itsm__err_const(eng, ITSM_EINVAL, "itsm_record_risk: out is NULL");
    int rc = ITSM__SIZED(eng, out, itsm_risk_info, questions);
    if (rc)
        return rc;
    const itsm__rk_policy *rp = itsm__rk_policy_of(eng->policy);
    itsm_risk_info full;
    memset(&full, 0, sizeof full);
    if (rp->kinds & (1u << r->kind)) {
        full.score = total_of(rp, rec_of(eng, r), NULL, &full.answered);
        full.questions = rp->nq;
        full.level = rp->nq && full.answered == rp->nq ? level_for(rp, full.score) : NULL;
    }
    itsm__sized_put(out, out->size, &full);
    return ITSM_OK;
}

size_t itsm_record_risk_answer_count(const itsm_record *r)
{
    const rk_rec *rr = r ? rec_of(r->eng, r) : NULL;
    return rr ? rr->n : 0;
}

int itsm_record_risk_answer_at(itsm_risk_answer *out, const itsm_record *r, size_t index)
{
    if (!r)
        return ITSM_EINVAL;
    const itsm_engine *eng = r->eng;
    if (!out)
        return itsm__err_const(eng, ITSM_EINVAL, "itsm_record_risk_answer_at: out is NULL");
    int rc = ITSM__SIZED(eng, out, itsm_risk_answer, at);
    if (rc)
        return rc;
    const rk_rec *rr = rec_of(eng, r);
    size_t n = rr ? rr->n : 0;
    if (index >= n)
        return itsm__err_const(eng, ITSM_EINVAL,
                               "itsm_record_risk_answer_at: risk answer %zu is out of range (%s has %zu)",
                               index, r->id, n);
    const rk_answer *a = &rr->a[index];
    itsm_risk_answer full;
    memset(&full, 0, sizeof full);
    full.question = a->question;
    full.answer = a->answer;
    full.score = a->score;
    full.by = a->by;
    full.at = a->at;
    itsm__sized_put(out, out->size, &full);
    return ITSM_OK;
}

/* ---- the capability ---- */

static const char *const policy_keys[] = { "risk_assessment", NULL };
static const itsm__evclass *const classes[] = { &evc_answer, NULL };
static const itsm__guard_kind *const guards[] = { &guard_risk, NULL };

const itsm__capability itsm__cap_risk = {
    .name = "risk",
    .policy_keys = policy_keys,
    .policy_new = itsm__rk_policy_new,
    .policy_free = itsm__rk_policy_free,
    .policy_clone = itsm__rk_policy_clone,
    .policy_read = itsm__rk_policy_read,
    .policy_write = itsm__rk_policy_write,
    .engine_init = engine_init,
    .engine_free = engine_free,
    .classes = classes,
    .guards = guards,
};
