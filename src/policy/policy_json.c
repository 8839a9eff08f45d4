/* SPDX-License-Identifier: Apache-2.0 */
/* The policy document: read and write (schema in docs/policy.md). */
#include "policy/policy_int.h"
#include "kit/alloc.h"
#include "core/fields.h"
#include "kit/json.h"
#include "itsm/errors.h"
#include "kit/sha256.h"

#include <stdio.h>
#include <string.h>

#define POLICY_FORMAT 1

typedef struct pj {
    itsm_policy      *p;
    itsm_parse_error *err;
} pj;

static int bad(pj *c, const itsm__jval *v, int code, const char *text)
{
    itsm__json_schema_error(c->err, v, "%s", text);
    if (c->err)
        c->err->code = code;
    return code;
}

static int allow_keys(pj *c, const itsm__jval *obj, const char *const *allowed, const char *where)
{
    return itsm__json_only_keys(obj, allowed, where, c->err);
}

static const char *opt_str(pj *c, const itsm__jval *obj, const char *key, int *rc)
{
    const itsm__jval *v = itsm__json_get(obj, key);
    if (!v || v->type == ITSM__JNULL)
        return NULL;
    if (v->type != ITSM__JSTRING) {
        char text[ITSM_PARSE_ERROR_TEXT];
        snprintf(text, sizeof text, "'%s' must be a string", key);
        *rc = bad(c, v, ITSM_EPARSE, text);
        return NULL;
    }
    if (strlen(v->u.str.s) != v->u.str.len) {   /* "\u0000" would cut the name short */
        char text[ITSM_PARSE_ERROR_TEXT];
        snprintf(text, sizeof text, "'%s' must not contain a NUL character", key);
        *rc = bad(c, v, ITSM_EPARSE, text);
        return NULL;
    }
    return v->u.str.s;
}

static int opt_bool(pj *c, const itsm__jval *obj, const char *key, int *out)
{
    const itsm__jval *v = itsm__json_get(obj, key);
    *out = 0;
    if (!v)
        return ITSM_OK;
    if (v->type != ITSM__JTRUE && v->type != ITSM__JFALSE) {
        char text[ITSM_PARSE_ERROR_TEXT];
        snprintf(text, sizeof text, "'%s' must be true or false", key);
        return bad(c, v, ITSM_EPARSE, text);
    }
    *out = v->type == ITSM__JTRUE;
    return ITSM_OK;
}

/* A builder refused the value: report the builder's message at the value. */
static int builder_failed(pj *c, const itsm__jval *v, int rc)
{
    if (rc == ITSM_ENOMEM) {
        if (c->err) {
            c->err->code = ITSM_ENOMEM;
            snprintf(c->err->text, sizeof c->err->text, "out of memory");
        }
        return rc;
    }
    return bad(c, v, rc == ITSM_ELIMIT ? ITSM_ELIMIT : ITSM_EPARSE, c->p->err.msg);
}

static int read_lifecycle(pj *c, itsm_kind kind, const itsm__jval *lv)
{
    static const char *const keys[] = { "states", "events", "transitions", "roles", NULL };
    static const char *const state_keys[] = { "name", "initial", "closed", NULL };
    static const char *const trans_keys[] = { "from", "event", "to", "guard", "stamp", "clear",
                                              "counts_reopen", NULL };
    int rc;
    if (lv->type != ITSM__JOBJECT)
        return bad(c, lv, ITSM_EPARSE, "a lifecycle must be an object");
    if ((rc = allow_keys(c, lv, keys, "a lifecycle")))
        return rc;
    const itsm__jval *states = itsm__json_get(lv, "states");
    const itsm__jval *events = itsm__json_get(lv, "events");
    const itsm__jval *trans = itsm__json_get(lv, "transitions");
    if (!states || states->type != ITSM__JARRAY)
        return bad(c, states ? states : lv, ITSM_EPARSE, "a lifecycle needs a 'states' array");
    if (!events || events->type != ITSM__JARRAY)
        return bad(c, events ? events : lv, ITSM_EPARSE, "a lifecycle needs an 'events' array");
    if (!trans || trans->type != ITSM__JARRAY)
        return bad(c, trans ? trans : lv, ITSM_EPARSE, "a lifecycle needs a 'transitions' array");
    for (size_t i = 0; i < states->u.arr.n; i++) {
        const itsm__jval *s = &states->u.arr.items[i];
        if (s->type != ITSM__JOBJECT)
            return bad(c, s, ITSM_EPARSE, "a state must be an object with a 'name'");
        if ((rc = allow_keys(c, s, state_keys, "a state")))
            return rc;
        int initial, closed;
        const char *name = opt_str(c, s, "name", &rc);
        if (rc || (rc = opt_bool(c, s, "initial", &initial)) || (rc = opt_bool(c, s, "closed", &closed)))
            return rc;
        if (!name)
            return bad(c, s, ITSM_EPARSE, "a state needs a 'name'");
        unsigned flags = (initial ? ITSM_STATE_INITIAL : 0u) | (closed ? ITSM_STATE_CLOSED : 0u);
        if ((rc = itsm_policy_add_state(c->p, kind, name, flags)))
            return builder_failed(c, s, rc);
    }
    for (size_t i = 0; i < events->u.arr.n; i++) {
        const itsm__jval *e = &events->u.arr.items[i];
        if (e->type != ITSM__JSTRING || strlen(e->u.str.s) != e->u.str.len)
            return bad(c, e, ITSM_EPARSE, "an event must be a string without NUL characters");
        if ((rc = itsm_policy_add_event(c->p, kind, e->u.str.s)))
            return builder_failed(c, e, rc);
    }
    for (size_t i = 0; i < trans->u.arr.n; i++) {
        const itsm__jval *t = &trans->u.arr.items[i];
        if (t->type != ITSM__JOBJECT)
            return bad(c, t, ITSM_EPARSE, "a transition must be an object");
        if ((rc = allow_keys(c, t, trans_keys, "a transition")))
            return rc;
        itsm_transition_def d = ITSM_TRANSITION_DEF_INIT;
        rc = ITSM_OK;
        d.from = opt_str(c, t, "from", &rc);
        if (!rc) d.event = opt_str(c, t, "event", &rc);
        if (!rc) d.to = opt_str(c, t, "to", &rc);
        if (!rc) d.guard = opt_str(c, t, "guard", &rc);
        if (!rc) d.stamp = opt_str(c, t, "stamp", &rc);
        if (!rc) d.clear = opt_str(c, t, "clear", &rc);
        if (!rc) rc = opt_bool(c, t, "counts_reopen", &d.counts_reopen);
        if (rc)
            return rc;
        if (!d.from || !d.event || !d.to)
            return bad(c, t, ITSM_EPARSE, "a transition needs 'from', 'event' and 'to'");
        if ((rc = itsm_policy_add_transition(c->p, kind, &d)))
            return builder_failed(c, t, rc);
    }
    const itsm__jval *roles = itsm__json_get(lv, "roles");
    if (!roles)
        return ITSM_OK;
    if (roles->type != ITSM__JOBJECT)
        return bad(c, roles, ITSM_EPARSE, "'roles' must be an object: role name -> state, event or value");
    for (size_t i = 0; i < roles->u.obj.n; i++) {
        const itsm__jmember *m = &roles->u.obj.members[i];
        itsm_role role;
        if (strlen(m->key) != m->klen || itsm_role_from_name(&role, m->key) != ITSM_OK) {
            char text[ITSM_PARSE_ERROR_TEXT];
            snprintf(text, sizeof text, "unknown role '%.60s'", m->key);
            return bad(c, &m->val, ITSM_EPARSE, text);
        }
        if (m->val.type != ITSM__JSTRING || strlen(m->val.u.str.s) != m->val.u.str.len)
            return bad(c, &m->val, ITSM_EPARSE, "a role names a state, an event or a value (a string)");
        if ((rc = itsm_policy_set_role(c->p, kind, role, m->val.u.str.s)))
            return builder_failed(c, &m->val, rc);
    }
    return ITSM_OK;
}

static int read_matrix(pj *c, const itsm__jval *m)
{
    if (m->type != ITSM__JARRAY || m->u.arr.n != 3)
        return bad(c, m, ITSM_EPARSE, "'priority_matrix' must be 3 rows (impact 1..3) of 3 priorities (urgency 1..3)");
    for (int i = 0; i < 3; i++) {
        const itsm__jval *row = &m->u.arr.items[i];
        if (row->type != ITSM__JARRAY || row->u.arr.n != 3)
            return bad(c, row, ITSM_EPARSE, "each priority_matrix row must hold 3 priorities");
        for (int u = 0; u < 3; u++) {
            const itsm__jval *v = &row->u.arr.items[u];
            if (v->type != ITSM__JNUMBER || !v->u.num.is_int || v->u.num.i < 1 || v->u.num.i > 5)
                return bad(c, v, ITSM_EPARSE, "a priority must be a whole number 1..5");
            c->p->prio[i][u] = (int)v->u.num.i;
        }
    }
    return ITSM_OK;
}

static const char *const reassign_names[] = { "group", "group_or_assignee", "group_change" };   /* by itsm_reassign_rule */

static int read_counters(pj *c, const itsm__jval *v)
{
    static const char *const keys[] = { "reassignment", NULL };
    int rc;
    if (v->type != ITSM__JOBJECT)
        return bad(c, v, ITSM_EPARSE, "'counters' must be an object");
    if ((rc = allow_keys(c, v, keys, "counters")))
        return rc;
    const itsm__jval *r = itsm__json_get(v, "reassignment");
    if (!r)
        return ITSM_OK;
    for (size_t i = 0; i < sizeof reassign_names / sizeof *reassign_names; i++)
        if (r->type == ITSM__JSTRING && r->u.str.len == strlen(reassign_names[i]) &&
            memcmp(r->u.str.s, reassign_names[i], r->u.str.len) == 0) {
            c->p->reassign = (itsm_reassign_rule)i;
            return ITSM_OK;
        }
    return bad(c, r, ITSM_EPARSE, "'reassignment' must be \"group\", \"group_or_assignee\" or \"group_change\"");
}

/* The members the document may hold: the core's and every capability's. */
static int allow_root_keys(pj *c, const itsm__jval *root)
{
    static const char *const core[] = { "itsm_policy", "name", "priority_matrix", "counters", "fields", "lifecycles", NULL };
    for (size_t i = 0; i < root->u.obj.n; i++) {
        const itsm__jmember *m = &root->u.obj.members[i];
        int ok = 0;
        for (const char *const *k = core; *k && !ok; k++)
            ok = strlen(*k) == m->klen && memcmp(*k, m->key, m->klen) == 0;
        for (size_t cap = 0; cap < itsm__ncapabilities && !ok; cap++)
            for (const char *const *k = itsm__capabilities[cap]->policy_keys; k && *k && !ok; k++)
                ok = strlen(*k) == m->klen && memcmp(*k, m->key, m->klen) == 0;
        if (!ok) {
            char text[ITSM_PARSE_ERROR_TEXT];
            snprintf(text, sizeof text, "unknown member '%.60s' in the policy", m->key);
            return bad(c, &m->val, ITSM_EPARSE, text);
        }
    }
    return ITSM_OK;
}

static int read_lifecycles(pj *c, const itsm__jval *lcs);

static int read_policy(pj *c, const itsm__jval *root)
{
    int rc;
    if (root->type != ITSM__JOBJECT)
        return bad(c, root, ITSM_EPARSE, "a policy document must be a JSON object");
    if ((rc = allow_root_keys(c, root)))
        return rc;
    const itsm__jval *ver = itsm__json_get(root, "itsm_policy");
    if (!ver || ver->type != ITSM__JNUMBER || !ver->u.num.is_int || ver->u.num.i != POLICY_FORMAT)
        return bad(c, ver ? ver : root, ITSM_EPARSE, "expected \"itsm_policy\": 1 (the document format)");
    const itsm__jval *name = itsm__json_get(root, "name");
    if (name) {
        if (name->type != ITSM__JSTRING || strlen(name->u.str.s) != name->u.str.len)
            return bad(c, name, ITSM_EPARSE, "'name' must be a string (the policy version's name)");
        if ((rc = itsm_policy_set_name(c->p, name->u.str.s)))
            return bad(c, name, rc == ITSM_ENOMEM ? rc : ITSM_EPARSE, rc == ITSM_ENOMEM ? "out of memory" : c->p->err.msg);
    }
    const itsm__jval *m = itsm__json_get(root, "priority_matrix");
    if (m && (rc = read_matrix(c, m)))
        return rc;
    const itsm__jval *ctr = itsm__json_get(root, "counters");
    if (ctr && (rc = read_counters(c, ctr)))
        return rc;
    if ((rc = itsm__cfields_read(c->p, root, c->err)))   /* before the guards that name them */
        return rc;
    /* The lifecycles before the capabilities' members: conditions (the
     * agreements) name their states and events. */
    if ((rc = read_lifecycles(c, itsm__json_get(root, "lifecycles"))))
        return rc;
    for (size_t i = 0; i < itsm__ncapabilities; i++)   /* each capability's members */
        if (itsm__capabilities[i]->policy_read && (rc = itsm__capabilities[i]->policy_read(c->p, root, c->err)))
            return rc;
    return ITSM_OK;
}

static int read_lifecycles(pj *c, const itsm__jval *lcs)
{
    int rc;
    if (!lcs)
        return ITSM_OK;
    if (lcs->type != ITSM__JOBJECT)
        return bad(c, lcs, ITSM_EPARSE, "'lifecycles' must be an object keyed by record kind");
    for (size_t i = 0; i < lcs->u.obj.n; i++) {
        const itsm__jmember *mem = &lcs->u.obj.members[i];
        itsm_kind kind;
        if (strlen(mem->key) != mem->klen || itsm_kind_from_name(&kind, mem->key) != ITSM_OK) {
            char text[ITSM_PARSE_ERROR_TEXT];
            snprintf(text, sizeof text, "unknown record kind '%.60s'", mem->key);
            return bad(c, &mem->val, ITSM_EPARSE, text);
        }
        if ((rc = read_lifecycle(c, kind, &mem->val)))
            return rc;
    }
    return ITSM_OK;
}

int itsm_policy_parse_json(itsm_policy **out, const char *json, size_t len,
                           const itsm_allocator *alloc, const itsm_json_limits *limits,
                           itsm_parse_error *err)
{
    if (!out || !json) {
        if (err) {
            memset(err, 0, sizeof *err);
            err->code = ITSM_EINVAL;
            snprintf(err->text, sizeof err->text, "out and json must not be NULL");
        }
        return ITSM_EINVAL;
    }
    *out = NULL;
    itsm_policy *p;
    int rc = itsm_policy_new_empty(&p, alloc);
    if (rc)
        return rc;
    itsm__jdoc *doc;
    if ((rc = itsm__json_parse(&doc, json, len, &p->alloc, limits, err))) {
        itsm_policy_free(p);
        return rc;
    }
    pj c = { p, err };
    p->doc = json;
    p->doc_len = len;
    rc = read_policy(&c, itsm__jdoc_root(doc));
    p->doc = NULL;
    p->doc_len = 0;
    itsm__jdoc_free(doc);
    if (rc) {
        itsm_policy_free(p);
        return rc;
    }
    if (err) {
        err->code = ITSM_OK;
        err->text[0] = '\0';
    }
    *out = p;
    return ITSM_OK;
}

int itsm_policy_from_json(itsm_policy **out, const char *json, size_t len,
                          const itsm_allocator *alloc, const itsm_json_limits *limits,
                          itsm_parse_error *err)
{
    itsm_policy *p;
    if (out)
        *out = NULL;   /* "on any error *out is NULL"; a NULL out is ITSM_EINVAL below */
    int rc = itsm_policy_parse_json(out ? &p : NULL, json, len, alloc, limits, err);
    if (rc)
        return rc;
    size_t n = itsm_policy_check(p);
    if (n) {
        if (err) {
            memset(err, 0, sizeof *err);
            err->code = ITSM_EPOLICY;
            const char *first = itsm_policy_finding(p, 0);
            if (n > 1)
                snprintf(err->text, sizeof err->text, "%.120s (and %zu more)", first ? first : p->err.msg, n - 1);
            else
                snprintf(err->text, sizeof err->text, "%.150s", first ? first : p->err.msg);
        }
        itsm_policy_free(p);
        return ITSM_EPOLICY;
    }
    *out = p;
    return ITSM_OK;
}

int itsm_policy_to_json(const itsm_policy *p, char *buf, size_t cap, size_t *len)
{
    if (!p || !len || (!buf && cap))
        return ITSM_EINVAL;
    itsm__jw w;
    itsm__jw_init(&w, buf, cap);
    itsm__jw_obj_begin(&w);
    itsm__jw_key(&w, "itsm_policy");
    itsm__jw_int(&w, POLICY_FORMAT);
    if (p->name) {   /* only when named: unnamed documents stay as they were */
        itsm__jw_key(&w, "name");
        itsm__jw_str(&w, p->name);
    }
    itsm__jw_key(&w, "priority_matrix");
    itsm__jw_arr_begin(&w);
    for (int i = 0; i < 3; i++) {
        itsm__jw_arr_begin(&w);
        for (int u = 0; u < 3; u++)
            itsm__jw_int(&w, p->prio[i][u]);
        itsm__jw_arr_end(&w);
    }
    itsm__jw_arr_end(&w);
    itsm__jw_key(&w, "counters");
    itsm__jw_obj_begin(&w);
    itsm__jw_key(&w, "reassignment");
    itsm__jw_str(&w, reassign_names[p->reassign]);
    itsm__jw_obj_end(&w);
    itsm__cfields_write(p, &w);
    itsm__jw_key(&w, "lifecycles");
    itsm__jw_obj_begin(&w);
    for (int k = 1; k <= ITSM_KIND_COUNT; k++) {
        const itsm__lifecycle *lc = &p->lc[k];
        int has_roles = 0;
        for (int r = 0; r < ITSM_ROLE_COUNT; r++)
            has_roles |= p->roles[k][r] != NULL;
        if (!lc->nstates && !lc->nevents && !lc->ntrans && !has_roles)
            continue;
        itsm__jw_key(&w, itsm_kind_name((itsm_kind)k));
        itsm__jw_obj_begin(&w);
        itsm__jw_key(&w, "states");
        itsm__jw_arr_begin(&w);
        for (size_t i = 0; i < lc->nstates; i++) {
            itsm__jw_obj_begin(&w);
            itsm__jw_key(&w, "name");
            itsm__jw_str(&w, lc->states[i]);
            if (lc->state_flags[i] & ITSM_STATE_INITIAL) {
                itsm__jw_key(&w, "initial");
                itsm__jw_bool(&w, 1);
            }
            if (lc->state_flags[i] & ITSM_STATE_CLOSED) {
                itsm__jw_key(&w, "closed");
                itsm__jw_bool(&w, 1);
            }
            itsm__jw_obj_end(&w);
        }
        itsm__jw_arr_end(&w);
        itsm__jw_key(&w, "events");
        itsm__jw_arr_begin(&w);
        for (size_t i = 0; i < lc->nevents; i++)
            itsm__jw_str(&w, lc->events[i]);
        itsm__jw_arr_end(&w);
        itsm__jw_key(&w, "transitions");
        itsm__jw_arr_begin(&w);
        for (size_t i = 0; i < lc->ntrans; i++) {
            const itsm__transition *t = &lc->trans[i];
            itsm__jw_obj_begin(&w);
            itsm__jw_key(&w, "from");
            itsm__jw_str(&w, t->from == ITSM__ANY_OPEN ? "*" : lc->states[t->from]);
            itsm__jw_key(&w, "event");
            itsm__jw_str(&w, lc->events[t->event]);
            itsm__jw_key(&w, "to");
            itsm__jw_str(&w, lc->states[t->to]);
            if (t->guard_text) {
                itsm__jw_key(&w, "guard");
                itsm__jw_str(&w, t->guard_text);
            }
            if (t->stamp_text) {
                itsm__jw_key(&w, "stamp");
                itsm__jw_str(&w, t->stamp_text);
            }
            if (t->clear_text) {
                itsm__jw_key(&w, "clear");
                itsm__jw_str(&w, t->clear_text);
            }
            if (t->counts_reopen) {
                itsm__jw_key(&w, "counts_reopen");
                itsm__jw_bool(&w, 1);
            }
            itsm__jw_obj_end(&w);
        }
        itsm__jw_arr_end(&w);
        int any = 0;
        for (int r = 0; r < ITSM_ROLE_COUNT; r++) {
            if (!p->roles[k][r])
                continue;
            if (!any++) {
                itsm__jw_key(&w, "roles");
                itsm__jw_obj_begin(&w);
            }
            itsm__jw_key(&w, itsm_role_name((itsm_role)r));
            itsm__jw_str(&w, p->roles[k][r]);
        }
        if (any)
            itsm__jw_obj_end(&w);
        itsm__jw_obj_end(&w);
    }
    itsm__jw_obj_end(&w);
    for (size_t i = 0; i < itsm__ncapabilities; i++)   /* each capability's members */
        if (itsm__capabilities[i]->policy_write)
            itsm__capabilities[i]->policy_write(p, &w);
    itsm__jw_obj_end(&w);
    return itsm__jw_finish(&w, len);
}

int itsm__policy_from_jval(itsm_policy **out, const itsm__jval *root, const itsm_allocator *a,
                           itsm_parse_error *err)
{
    itsm_policy *p;
    *out = NULL;
    int rc = itsm_policy_new_empty(&p, a);
    if (rc)
        return rc;
    pj c = { p, err };
    if ((rc = read_policy(&c, root))) {
        itsm_policy_free(p);
        return rc;
    }
    *out = p;
    return ITSM_OK;
}

int itsm__policy_digest(const itsm_policy *p, unsigned char out[32])
{
    size_t len = 0;
    itsm_policy_to_json(p, NULL, 0, &len);
    char *buf = itsm__malloc(&p->alloc, len + 1);
    if (!buf)
        return ITSM_ENOMEM;
    itsm_policy_to_json(p, buf, len + 1, &len);
    itsm__sha256 s;
    itsm__sha256_init(&s);
    itsm__sha256_update(&s, buf, len);
    itsm__sha256_final(&s, out);
    itsm__free(&p->alloc, buf);
    return ITSM_OK;
}

int itsm_policy_hash(const itsm_policy *p, char out[65])
{
    if (!p || !out)
        return ITSM_EINVAL;
    unsigned char d[32];
    if (itsm__policy_digest(p, d))
        return ITSM_ENOMEM;
    itsm__hex32(d, out);
    return ITSM_OK;
}
