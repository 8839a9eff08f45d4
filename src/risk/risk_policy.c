/* SPDX-License-Identifier: Apache-2.0 */
/* The risk assessment section of the policy: the kinds assessed, the
 * questionnaire and the levels - defaults, builders, copy, and the
 * "risk_assessment" member of the policy document (docs/policy.md). */
#include "risk/risk_int.h"
#include "core/abi.h"
#include "kit/json.h"
#include "kit/names.h"
#include "kit/opts.h"
#include "kit/value.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define ALL_KINDS (((1u << (ITSM_KIND_COUNT + 1)) - 1u) & ~1u)

/* ---- lifetime ---- */

static void question_free(const itsm_allocator *a, itsm__rk_question *q)
{
    itsm__free(a, q->name);
    itsm__free(a, q->text);
    itsm__strv_free(a, q->answers, q->n);
    itsm__free(a, q->scores);
    memset(q, 0, sizeof *q);
}

static void levels_free(const itsm_allocator *a, itsm__rk_policy *rp)
{
    for (size_t i = 0; i < rp->nlevels; i++)
        itsm__free(a, rp->levels[i]);
    rp->nlevels = 0;
}

void itsm__rk_policy_free(void *sect, const itsm_allocator *a)
{
    itsm__rk_policy *rp = sect;
    if (!rp)
        return;
    for (size_t i = 0; i < rp->nq; i++)
        question_free(a, &rp->q[i]);
    itsm__free(a, rp->q);
    levels_free(a, rp);
    itsm__free(a, rp);
}

/* ---- builders (one path for the API, the document, defaults and copies) ---- */

ITSM__DEFINE_INIT(itsm_risk_question_def_init, itsm_risk_question_def, ITSM_RISK_QUESTION_DEF_VERSION,
                  ITSM_RISK_QUESTION_DEF_INIT)

static int set_question(itsm__rk_policy *rp, const itsm_allocator *a, itsm__errbuf *e,
                        const itsm_risk_question_def *d)
{
    if (!d)
        return itsm__errbuf_set(e, ITSM_EINVAL, "risk question definition is NULL");
    char vmsg[192];   /* a newer version names both (common.h) */
    if (itsm__version_check(d->version, ITSM_RISK_QUESTION_DEF_VERSION, "risk question definition", vmsg, sizeof vmsg))
        return itsm__errbuf_set(e, ITSM_EINVAL, "%s", vmsg);
    if (!itsm__pname_ok(d->name))
        return itsm__errbuf_set(e, ITSM_EINVAL, "a risk question name must be 1..63 characters of a-z, 0-9 and _");
    if (d->text && itsm__check_text(e, "risk question text", NULL, d->text, strlen(d->text))) {
        char pre[96];
        snprintf(pre, sizeof pre, "risk question '%s': ", d->name);
        return itsm__errbuf_prefix(e, e->code, pre);
    }
    if (d->nanswers > ITSM_RISK_MAX_ANSWERS)
        return itsm__errbuf_set(e, ITSM_ELIMIT, "risk question '%s' has %zu answers; the limit is %d", d->name, d->nanswers,
                    ITSM_RISK_MAX_ANSWERS);
    if (d->nanswers < 2 || !d->answers || !d->scores)
        return itsm__errbuf_set(e, ITSM_EINVAL, "risk question '%s' needs 2..%d answers, each with a score", d->name,
                    ITSM_RISK_MAX_ANSWERS);
    for (size_t i = 0; i < d->nanswers; i++) {
        if (!itsm__pname_ok(d->answers[i]))
            return itsm__errbuf_set(e, ITSM_EINVAL, "risk question '%s': an answer must be 1..63 characters of a-z, 0-9 and _",
                        d->name);
        if (d->scores[i] < 0 || d->scores[i] > ITSM_RISK_MAX_SCORE)
            return itsm__errbuf_set(e, ITSM_EINVAL, "risk question '%s': answer '%s' scores %d, outside 0..%d", d->name,
                        d->answers[i], d->scores[i], ITSM_RISK_MAX_SCORE);
        for (size_t j = 0; j < i; j++)
            if (strcmp(d->answers[i], d->answers[j]) == 0)
                return itsm__errbuf_set(e, ITSM_EINVAL, "risk question '%s': answer '%s' is given twice", d->name,
                            d->answers[i]);
    }
    size_t at = rp->nq;
    for (size_t i = 0; i < rp->nq; i++)
        if (strcmp(rp->q[i].name, d->name) == 0)
            at = i;
    if (at == rp->nq && rp->nq >= ITSM_RISK_MAX_QUESTIONS)
        return itsm__errbuf_set(e, ITSM_ELIMIT, "a questionnaire holds at most %d questions", ITSM_RISK_MAX_QUESTIONS);
    itsm__rk_question q;
    memset(&q, 0, sizeof q);
    q.n = d->nanswers;
    if (!(q.name = itsm__strdup(a, d->name)) || (d->text && !(q.text = itsm__strdup(a, d->text))) ||
        itsm__strv_dup(&q.answers, a, d->answers, d->nanswers) ||
        !(q.scores = itsm__malloc(a, d->nanswers * sizeof *q.scores)) ||
        (at == rp->nq && itsm__grow(a, (void **)&rp->q, &rp->cq, rp->nq + 1, sizeof *rp->q))) {
        if (!q.answers)
            q.n = 0;
        question_free(a, &q);
        return itsm__errbuf_oom(e);
    }
    memcpy(q.scores, d->scores, d->nanswers * sizeof *q.scores);
    if (at < rp->nq)
        question_free(a, &rp->q[at]);
    else
        rp->nq++;
    rp->q[at] = q;
    return ITSM_OK;
}

static int set_levels(itsm__rk_policy *rp, const itsm_allocator *a, itsm__errbuf *e, const char *const *names,
                      const int *up_to, size_t n)
{
    if (n > ITSM_RISK_MAX_LEVELS)
        return itsm__errbuf_set(e, ITSM_ELIMIT, "%zu risk levels; the limit is %d", n, ITSM_RISK_MAX_LEVELS);
    if (n < 1 || !names || (n > 1 && !up_to))
        return itsm__errbuf_set(e, ITSM_EINVAL, "risk levels need 1..%d names and, below the last, their highest totals",
                    ITSM_RISK_MAX_LEVELS);
    for (size_t i = 0; i < n; i++) {
        if (!itsm__pname_ok(names[i]) || strcmp(names[i], "none") == 0)
            return itsm__errbuf_set(e, ITSM_EINVAL, "a risk level name must be 1..63 characters of a-z, 0-9 and _, "
                        "and not \"none\"");
        for (size_t j = 0; j < i; j++)
            if (strcmp(names[i], names[j]) == 0)
                return itsm__errbuf_set(e, ITSM_EINVAL, "risk level '%s' is given twice", names[i]);
        if (i + 1 < n && (up_to[i] < 0 || (i && up_to[i] <= up_to[i - 1])))
            return itsm__errbuf_set(e, ITSM_EINVAL, "risk level '%s': the highest totals must be >= 0 and ascending", names[i]);
    }
    char *copy[ITSM_RISK_MAX_LEVELS];
    for (size_t i = 0; i < n; i++)
        if (!(copy[i] = itsm__strdup(a, names[i]))) {
            while (i-- > 0)
                itsm__free(a, copy[i]);
            return itsm__errbuf_oom(e);
        }
    levels_free(a, rp);
    for (size_t i = 0; i < n; i++) {
        rp->levels[i] = copy[i];
        rp->up_to[i] = i + 1 < n ? up_to[i] : 0;
    }
    rp->nlevels = n;
    return ITSM_OK;
}

int itsm_policy_set_risk_question(itsm_policy *p, const itsm_risk_question_def *def)
{
    if (!p)
        return ITSM_EINVAL;
    int rc = set_question(itsm__rk_policy_of(p), &p->alloc, &p->err, def);
    if (!rc)
        itsm__errbuf_clear(&p->err);
    return rc;
}

int itsm_policy_clear_risk_questions(itsm_policy *p)
{
    if (!p)
        return ITSM_EINVAL;
    itsm__rk_policy *rp = itsm__rk_policy_of(p);
    for (size_t i = 0; i < rp->nq; i++)
        question_free(&p->alloc, &rp->q[i]);
    rp->nq = 0;
    itsm__errbuf_clear(&p->err);
    return ITSM_OK;
}

int itsm_policy_set_risk_levels(itsm_policy *p, const char *const *names, const int *up_to, size_t n)
{
    if (!p)
        return ITSM_EINVAL;
    int rc = set_levels(itsm__rk_policy_of(p), &p->alloc, &p->err, names, up_to, n);
    if (!rc)
        itsm__errbuf_clear(&p->err);
    return rc;
}

int itsm_policy_set_risk_kinds(itsm_policy *p, unsigned kinds)
{
    if (!p)
        return ITSM_EINVAL;
    if (!kinds || (kinds & ~ALL_KINDS))
        return itsm__errbuf_set(&p->err, ITSM_EINVAL, "risk kinds 0x%x: give bits (1u << kind) of record kinds", kinds);
    itsm__rk_policy_of(p)->kinds = kinds;
    itsm__errbuf_clear(&p->err);
    return ITSM_OK;
}

size_t itsm_policy_risk_question_count(const itsm_policy *p)
{
    return p ? itsm__rk_policy_of(p)->nq : 0;
}

/* ---- defaults: a short questionnaire a change manager would ask ---- */

static int add_defaults(itsm__rk_policy *rp, const itsm_allocator *a)
{
    static const char *const users[] = { "few", "department", "organisation" };
    static const int users_s[] = { 0, 2, 4 };
    static const char *const backout[] = { "tested", "untested", "none" };
    static const int backout_s[] = { 0, 2, 4 };
    static const char *const done[] = { "often", "rarely", "never" };
    static const int done_s[] = { 0, 1, 3 };
    static const char *const outage[] = { "none", "in_window", "beyond_window" };
    static const int outage_s[] = { 0, 1, 3 };
    static const char *const reach[] = { "one", "several", "many" };
    static const int reach_s[] = { 0, 1, 3 };
    const itsm_risk_question_def qs[] = {
        { ITSM_RISK_QUESTION_DEF_VERSION, "users", "How many users does the change disturb if it goes wrong?",
          users, users_s, 3 },
        { ITSM_RISK_QUESTION_DEF_VERSION, "backout", "Is there a back-out plan, and was it tested?", backout,
          backout_s, 3 },
        { ITSM_RISK_QUESTION_DEF_VERSION, "experience", "How often has this change been made before?", done,
          done_s, 3 },
        { ITSM_RISK_QUESTION_DEF_VERSION, "outage", "Does the change need a service outage?", outage, outage_s,
          3 },
        { ITSM_RISK_QUESTION_DEF_VERSION, "reach", "How many services or configuration items does it touch?",
          reach, reach_s, 3 },
    };
    static const char *const levels[] = { "low", "medium", "high" };
    static const int up_to[] = { 3, 7 };
    itsm__errbuf e;
    rp->kinds = 1u << ITSM_KIND_CHANGE;
    for (size_t i = 0; i < sizeof qs / sizeof *qs; i++)
        if (set_question(rp, a, &e, &qs[i]))
            return ITSM_ENOMEM;
    return set_levels(rp, a, &e, levels, up_to, 3);
}

int itsm__rk_policy_new(void **sect, const itsm_allocator *a)
{
    itsm__rk_policy *rp = itsm__calloc(a, 1, sizeof *rp);
    if (!rp)
        return ITSM_ENOMEM;
    if (add_defaults(rp, a)) {
        itsm__rk_policy_free(rp, a);
        return ITSM_ENOMEM;
    }
    *sect = rp;
    return ITSM_OK;
}

int itsm__rk_policy_clone(void **out, const void *src, const itsm_allocator *a)
{
    const itsm__rk_policy *s = src;
    itsm__rk_policy *rp = itsm__calloc(a, 1, sizeof *rp);
    if (!rp)
        return ITSM_ENOMEM;
    rp->kinds = s->kinds;
    itsm__errbuf e;
    int rc = set_levels(rp, a, &e, (const char *const *)s->levels, s->up_to, s->nlevels);
    for (size_t i = 0; i < s->nq && !rc; i++) {
        const itsm__rk_question *q = &s->q[i];
        itsm_risk_question_def d = { ITSM_RISK_QUESTION_DEF_VERSION, q->name, q->text,
                                     (const char *const *)q->answers, q->scores, q->n };
        rc = set_question(rp, a, &e, &d);
    }
    if (rc) {
        itsm__rk_policy_free(rp, a);
        return ITSM_ENOMEM;
    }
    *out = rp;
    return ITSM_OK;
}

/* ---- the document ---- */

static int read_question(itsm__rk_policy *rp, const itsm_allocator *a, const itsm__jval *v, itsm_parse_error *err)
{
    static const char *const keys[] = { "name", "text", "answers", NULL };
    if (v->type != ITSM__JOBJECT)
        return itsm__json_schema_error(err, v, "a risk question must be an object");
    int rc = itsm__json_only_keys(v, keys, "risk question", err);
    if (rc)
        return rc;
    const itsm__jval *nm = itsm__json_get(v, "name"), *tx = itsm__json_get(v, "text");
    const itsm__jval *an = itsm__json_get(v, "answers");
    itsm_risk_question_def d = ITSM_RISK_QUESTION_DEF_INIT;
    if (!nm || nm->type != ITSM__JSTRING)
        return itsm__json_schema_error(err, nm ? nm : v, "a risk question needs a 'name'");
    d.name = nm->u.str.s;
    if (tx && tx->type != ITSM__JNULL) {
        if (tx->type != ITSM__JSTRING || strlen(tx->u.str.s) != tx->u.str.len)
            return itsm__json_schema_error(err, tx, "'text' must be a string or null");
        d.text = tx->u.str.s;
    }
    if (!an || an->type != ITSM__JOBJECT || an->u.obj.n > ITSM_RISK_MAX_ANSWERS)
        return itsm__json_schema_error(err, an ? an : v, "'answers' must be an object of answer: score, at most %d",
                                       ITSM_RISK_MAX_ANSWERS);
    const char *names[ITSM_RISK_MAX_ANSWERS];
    int scores[ITSM_RISK_MAX_ANSWERS];
    for (size_t i = 0; i < an->u.obj.n; i++) {
        const itsm__jmember *m = &an->u.obj.members[i];
        if (m->val.type != ITSM__JNUMBER || !m->val.u.num.is_int || m->val.u.num.i < 0 ||
            m->val.u.num.i > ITSM_RISK_MAX_SCORE)
            return itsm__json_schema_error(err, &m->val, "a score must be a whole number 0..%d", ITSM_RISK_MAX_SCORE);
        names[i] = m->key;
        scores[i] = (int)m->val.u.num.i;
    }
    d.answers = names;
    d.scores = scores;
    d.nanswers = an->u.obj.n;
    itsm__errbuf e;
    if ((rc = set_question(rp, a, &e, &d)) == ITSM_ENOMEM)
        return rc;
    return rc ? itsm__json_schema_error(err, v, "%s", e.msg) : ITSM_OK;
}

int itsm__rk_policy_read(itsm_policy *p, const itsm__jval *root, itsm_parse_error *err)
{
    static const char *const keys[] = { "kinds", "questions", "levels", NULL };
    const itsm__jval *v = itsm__json_get(root, "risk_assessment");
    if (!v)
        return ITSM_OK;
    if (v->type != ITSM__JOBJECT)
        return itsm__json_schema_error(err, v, "'risk_assessment' must be an object");
    int rc = itsm__json_only_keys(v, keys, "risk_assessment", err);
    if (rc)
        return rc;
    itsm__rk_policy *rp = itsm__rk_policy_of(p);
    const itsm__jval *kinds = itsm__json_get(v, "kinds"), *qs = itsm__json_get(v, "questions");
    const itsm__jval *lv = itsm__json_get(v, "levels");
    if (kinds) {
        unsigned bits = 0;
        if (kinds->type != ITSM__JARRAY || !kinds->u.arr.n)
            return itsm__json_schema_error(err, kinds, "'kinds' must be a non-empty array of record kinds");
        for (size_t i = 0; i < kinds->u.arr.n; i++) {
            const itsm__jval *k = &kinds->u.arr.items[i];
            itsm_kind kd;
            if (k->type != ITSM__JSTRING || itsm_kind_from_name(&kd, k->u.str.s) != ITSM_OK ||
                strlen(k->u.str.s) != k->u.str.len || (bits & (1u << kd)))
                return itsm__json_schema_error(err, k, "'kinds' holds record kinds, each once");
            bits |= 1u << kd;
        }
        rp->kinds = bits;
    }
    if (qs) {
        if (qs->type != ITSM__JARRAY || qs->u.arr.n > ITSM_RISK_MAX_QUESTIONS)
            return itsm__json_schema_error(err, qs, "'questions' must be an array of at most %d questions",
                                           ITSM_RISK_MAX_QUESTIONS);
        for (size_t i = 0; i < rp->nq; i++)   /* the document's questionnaire replaces the default */
            question_free(&p->alloc, &rp->q[i]);
        rp->nq = 0;
        for (size_t i = 0; i < qs->u.arr.n; i++) {
            const itsm__jval *q = &qs->u.arr.items[i];
            const itsm__jval *nm = itsm__json_get(q, "name");
            for (size_t j = 0; nm && nm->type == ITSM__JSTRING && j < rp->nq; j++)
                if (strcmp(rp->q[j].name, nm->u.str.s) == 0)
                    return itsm__json_schema_error(err, nm, "risk question '%.60s' is given twice", nm->u.str.s);
            if ((rc = read_question(rp, &p->alloc, q, err)))
                return rc;
        }
    }
    if (lv) {
        static const char *const lkeys[] = { "name", "up_to", NULL };
        const char *names[ITSM_RISK_MAX_LEVELS];
        int up_to[ITSM_RISK_MAX_LEVELS];
        if (lv->type != ITSM__JARRAY || !lv->u.arr.n || lv->u.arr.n > ITSM_RISK_MAX_LEVELS)
            return itsm__json_schema_error(err, lv, "'levels' must be an array of 1..%d levels", ITSM_RISK_MAX_LEVELS);
        size_t n = lv->u.arr.n;
        for (size_t i = 0; i < n; i++) {
            const itsm__jval *l = &lv->u.arr.items[i];
            if (l->type != ITSM__JOBJECT)
                return itsm__json_schema_error(err, l, "a risk level must be an object");
            if ((rc = itsm__json_only_keys(l, lkeys, "risk level", err)))
                return rc;
            const itsm__jval *nm = itsm__json_get(l, "name"), *ut = itsm__json_get(l, "up_to");
            if (!nm || nm->type != ITSM__JSTRING)
                return itsm__json_schema_error(err, nm ? nm : l, "a risk level needs a 'name'");
            names[i] = nm->u.str.s;
            up_to[i] = 0;
            if (i + 1 == n) {
                if (ut && ut->type != ITSM__JNULL)
                    return itsm__json_schema_error(err, ut, "the last risk level holds every higher total: "
                                                   "its 'up_to' is null");
            } else if (!ut || ut->type != ITSM__JNUMBER || !ut->u.num.is_int || ut->u.num.i < 0 ||
                       ut->u.num.i > ITSM_RISK_MAX_SCORE * ITSM_RISK_MAX_QUESTIONS) {
                return itsm__json_schema_error(err, ut ? ut : l, "'up_to' must be the level's highest total, "
                                               "a whole number >= 0");
            } else {
                up_to[i] = (int)ut->u.num.i;
            }
        }
        itsm__errbuf e;
        if ((rc = set_levels(rp, &p->alloc, &e, names, up_to, n)) == ITSM_ENOMEM)
            return rc;
        if (rc)
            return itsm__json_schema_error(err, lv, "%s", e.msg);
    }
    return ITSM_OK;
}

void itsm__rk_policy_write(const itsm_policy *p, itsm__jw *w)
{
    const itsm__rk_policy *rp = itsm__rk_policy_of(p);
    itsm__jw_key(w, "risk_assessment");
    itsm__jw_obj_begin(w);
    itsm__jw_key(w, "kinds");
    itsm__jw_arr_begin(w);
    for (int k = 1; k <= ITSM_KIND_COUNT; k++)
        if (rp->kinds & (1u << k))
            itsm__jw_str(w, itsm_kind_name((itsm_kind)k));
    itsm__jw_arr_end(w);
    itsm__jw_key(w, "questions");
    itsm__jw_arr_begin(w);
    for (size_t i = 0; i < rp->nq; i++) {
        const itsm__rk_question *q = &rp->q[i];
        itsm__jw_obj_begin(w);
        itsm__jw_key(w, "name");
        itsm__jw_str(w, q->name);
        itsm__jw_key(w, "text");
        itsm__jw_str(w, q->text);
        itsm__jw_key(w, "answers");
        itsm__jw_obj_begin(w);
        for (size_t k = 0; k < q->n; k++) {
            itsm__jw_key(w, q->answers[k]);
            itsm__jw_int(w, q->scores[k]);
        }
        itsm__jw_obj_end(w);
        itsm__jw_obj_end(w);
    }
    itsm__jw_arr_end(w);
    itsm__jw_key(w, "levels");
    itsm__jw_arr_begin(w);
    for (size_t i = 0; i < rp->nlevels; i++) {
        itsm__jw_obj_begin(w);
        itsm__jw_key(w, "name");
        itsm__jw_str(w, rp->levels[i]);
        itsm__jw_key(w, "up_to");
        if (i + 1 < rp->nlevels)
            itsm__jw_int(w, rp->up_to[i]);
        else
            itsm__jw_null(w);
        itsm__jw_obj_end(w);
    }
    itsm__jw_arr_end(w);
    itsm__jw_obj_end(w);
}
