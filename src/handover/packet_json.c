/* SPDX-License-Identifier: Apache-2.0 */
/* Handover packets as JSON (version 1, docs/handover.md): the writer and
 * the strict reader (on top of the core's one JSON reader). */
#include "handover/handover_int.h"
#include "kit/value.h"

#include <stdio.h>
#include <string.h>

#define PACKET_FORMAT 1

static const char *const fact_names[4] = { "what", "where", "when", "extent" };
static const char *const plain_lists[4][2] = {
    { "hypotheses", NULL }, { "other_places", NULL }, { "identical_things", NULL }, { "engaged_groups", NULL }
};
static const int plain_ids[4] = { ITSM_PL_HYPOTHESES, ITSM_PL_OTHER_PLACES, ITSM_PL_IDENTICAL_THINGS,
                                  ITSM_PL_ENGAGED_GROUPS };

static void w_opt_time(itsm__jw *w, itsm_time t)
{
    if (t == ITSM_TIME_NONE)
        itsm__jw_null(w);
    else
        itsm__jw_time(w, t);
}

static void w_entries(itsm__jw *w, const itsm__plist *l, const char *who_key, const char *at_key)
{
    itsm__jw_arr_begin(w);
    for (size_t i = 0; i < l->n; i++) {
        itsm__jw_obj_begin(w);
        itsm__jw_key(w, "text");
        itsm__jw_str(w, l->v[i].text);
        itsm__jw_key(w, who_key);
        itsm__jw_str(w, l->v[i].who);
        itsm__jw_key(w, at_key);
        w_opt_time(w, l->v[i].at);
        itsm__jw_obj_end(w);
    }
    itsm__jw_arr_end(w);
}

void itsm__packet_write(const itsm_packet *p, itsm__jw *w)
{
    itsm__jw_obj_begin(w);
    itsm__jw_key(w, "itsm_packet");
    itsm__jw_int(w, PACKET_FORMAT);
    itsm__jw_key(w, "kind");
    itsm__jw_str(w, itsm_packet_kind_name((itsm_packet_kind)p->kind));
    itsm__jw_key(w, "record");
    itsm__jw_obj_begin(w);
    itsm__jw_key(w, "id");
    itsm__jw_str(w, p->record_id);
    itsm__jw_key(w, "kind");
    itsm__jw_str(w, itsm_kind_name((itsm_kind)p->record_kind));
    itsm__jw_obj_end(w);
    itsm__jw_key(w, "created_at");
    w_opt_time(w, p->created_at);
    itsm__jw_key(w, "sender");
    itsm__jw_str(w, p->text[ITSM_PT_SENDER]);
    itsm__jw_key(w, "sender_group");
    itsm__jw_str(w, p->text[ITSM_PT_SENDER_GROUP]);
    itsm__jw_key(w, "receiver");
    itsm__jw_str(w, p->text[ITSM_PT_RECEIVER]);
    itsm__jw_key(w, "receiver_group");
    itsm__jw_str(w, p->text[ITSM_PT_RECEIVER_GROUP]);
    itsm__jw_key(w, "problem_statement");
    itsm__jw_obj_begin(w);
    itsm__jw_key(w, "object");
    itsm__jw_str(w, p->text[ITSM_PT_OBJECT]);
    itsm__jw_key(w, "defect");
    itsm__jw_str(w, p->text[ITSM_PT_DEFECT]);
    itsm__jw_obj_end(w);
    itsm__jw_key(w, "facts");
    itsm__jw_obj_begin(w);
    for (int f = 0; f < 4; f++) {
        itsm__jw_key(w, fact_names[f]);
        itsm__jw_obj_begin(w);
        itsm__jw_key(w, "is");
        itsm__jw_str(w, p->text[ITSM_PT_WHAT_IS + 2 * f]);
        itsm__jw_key(w, "is_not");
        itsm__jw_str(w, p->text[ITSM_PT_WHAT_IS_NOT + 2 * f]);
        itsm__jw_obj_end(w);
    }
    itsm__jw_obj_end(w);
    itsm__jw_key(w, "status");
    itsm__jw_obj_begin(w);
    itsm__jw_key(w, "current");
    itsm__jw_str(w, p->text[ITSM_PT_STATUS]);
    itsm__jw_key(w, "next_update_due");
    w_opt_time(w, p->next_update);
    itsm__jw_obj_end(w);
    itsm__jw_key(w, "actions");
    w_entries(w, &p->list[ITSM_PL_ACTIONS], "by", "at");
    itsm__jw_key(w, "communications");
    w_entries(w, &p->list[ITSM_PL_COMMUNICATIONS], "by", "at");
    for (int k = 0; k < 4; k++) {
        const itsm__plist *l = &p->list[plain_ids[k]];
        itsm__jw_key(w, plain_lists[k][0]);
        itsm__jw_arr_begin(w);
        for (size_t i = 0; i < l->n; i++)
            itsm__jw_str(w, l->v[i].text);
        itsm__jw_arr_end(w);
    }
    itsm__jw_key(w, "open_actions");
    w_entries(w, &p->list[ITSM_PL_OPEN_ACTIONS], "owner", "due");
    itsm__jw_key(w, "contact_verified");
    itsm__jw_bool(w, p->contact_verified);
    itsm__jw_key(w, "deliverables");
    itsm__jw_arr_begin(w);
    for (size_t i = 0; i < p->ndeliv; i++) {
        const itsm__deliv *d = &p->deliv[i];
        itsm__jw_obj_begin(w);
        itsm__jw_key(w, "name");
        itsm__jw_str(w, d->name);
        itsm__jw_key(w, "owner");
        itsm__jw_str(w, d->owner);
        itsm__jw_key(w, "approver");
        itsm__jw_str(w, d->approver);
        itsm__jw_key(w, "status");
        itsm__jw_str(w, itsm_deliverable_status_name((itsm_deliverable_status)d->status));
        itsm__jw_key(w, "approved_by");
        itsm__jw_str(w, d->approved_by);
        itsm__jw_key(w, "required");
        itsm__jw_bool(w, d->required);
        itsm__jw_obj_end(w);
    }
    itsm__jw_arr_end(w);
    itsm__jw_obj_end(w);
}

int itsm_packet_to_json(const itsm_packet *p, char *buf, size_t cap, size_t *len)
{
    if (!p || !len || (!buf && cap))
        return ITSM_EINVAL;
    itsm__jw w;
    itsm__jw_init(&w, buf, cap);
    itsm__packet_write(p, &w);
    return itsm__jw_finish(&w, len);
}

/* ---- reader ---- */

typedef struct rd {
    itsm_packet      *p;
    itsm_parse_error *err;
} rd;

#define SERR(c, v, ...) itsm__json_schema_error((c)->err, (v), __VA_ARGS__)

static int only(rd *c, const itsm__jval *obj, const char *const *keys, const char *where)
{
    return itsm__json_only_keys(obj, keys, where, c->err);
}

static int want_obj(rd *c, const itsm__jval *v, const char *what)
{
    return v->type == ITSM__JOBJECT ? ITSM_OK : SERR(c, v, "%s must be an object", what);
}

/* A string member (or null/absent when `optional`) into *dst (owned). */
static int get_text(rd *c, const itsm__jval *obj, const char *key, int optional, char **dst)
{
    const itsm__jval *v = itsm__json_get(obj, key);
    *dst = NULL;
    if (!v || v->type == ITSM__JNULL) {
        if (optional)
            return ITSM_OK;
        return SERR(c, v ? v : obj, "'%s' is required", key);
    }
    if (v->type != ITSM__JSTRING)
        return SERR(c, v, "'%s' must be a string%s", key, optional ? " or null" : "");
    if (v->u.str.len == 0 && !optional)
        return SERR(c, v, "'%s' must not be empty", key);
    itsm__errbuf why;
    int vrc = itsm__check_text(&why, "value", NULL, v->u.str.s, v->u.str.len);
    if (vrc) {
        SERR(c, v, "'%s': %s", key, why.msg);
        vrc = vrc == ITSM_ELIMIT ? ITSM_ELIMIT : ITSM_EPARSE;
        if (c->err)
            c->err->code = vrc;
        return vrc;
    }
    if (!(*dst = itsm__strndup(&c->p->alloc, v->u.str.s, v->u.str.len)))
        return ITSM_ENOMEM;
    return ITSM_OK;
}

/* A name member (sender, receiver and their groups): a symbol, or null. */
static int get_name(rd *c, const itsm__jval *obj, const char *key, char **dst)
{
    const itsm__jval *v = itsm__json_get(obj, key);
    *dst = NULL;
    if (!v || v->type == ITSM__JNULL)
        return ITSM_OK;
    if (v->type != ITSM__JSTRING)
        return SERR(c, v, "'%s' must be a string or null", key);
    itsm__errbuf why;
    int vrc = itsm__check_symbol(&why, "value", NULL, v->u.str.s, v->u.str.len);
    if (vrc) {
        SERR(c, v, "'%s' must be a name: %s", key, why.msg);
        vrc = vrc == ITSM_ELIMIT ? ITSM_ELIMIT : ITSM_EPARSE;
        if (c->err)
            c->err->code = vrc;
        return vrc;
    }
    if (!itsm__text_present(v->u.str.s))
        return SERR(c, v, "'%s' must name someone: it is blank (use null for none)", key);
    if (!(*dst = itsm__strndup(&c->p->alloc, v->u.str.s, v->u.str.len)))
        return ITSM_ENOMEM;
    return ITSM_OK;
}

static int get_time(rd *c, const itsm__jval *obj, const char *key, itsm_time *out)
{
    const itsm__jval *v = itsm__json_get(obj, key);
    *out = ITSM_TIME_NONE;
    if (!v || v->type == ITSM__JNULL)
        return ITSM_OK;
    if (v->type != ITSM__JSTRING || itsm__time_parse(v->u.str.s, v->u.str.len, out) != ITSM_OK)
        return SERR(c, v, "'%s' must be a time \"YYYY-MM-DDTHH:MM:SSZ\" or null", key);
    return ITSM_OK;
}

static int get_array(rd *c, const itsm__jval *root, const char *key, const itsm__jval **out)
{
    const itsm__jval *v = itsm__json_get(root, key);
    *out = NULL;
    if (!v)
        return ITSM_OK;
    if (v->type != ITSM__JARRAY)
        return SERR(c, v, "'%s' must be an array", key);
    if (v->u.arr.n > ITSM_PACKET_MAX_ENTRIES) {
        SERR(c, v, "'%s' holds more than %d entries", key, ITSM_PACKET_MAX_ENTRIES);
        if (c->err)
            c->err->code = ITSM_ELIMIT;
        return ITSM_ELIMIT;
    }
    *out = v;
    return ITSM_OK;
}

static int reserve_list(rd *c, itsm__plist *l, size_t n)
{
    if (!n)
        return ITSM_OK;
    if (!(l->v = itsm__calloc(&c->p->alloc, n, sizeof *l->v)))
        return ITSM_ENOMEM;
    l->cap = n;
    return ITSM_OK;
}

static int read_entries(rd *c, const itsm__jval *root, const char *key, int list, const char *who_key,
                        const char *at_key, int who_required)
{
    const char *const keys[] = { "text", who_key, at_key, NULL };
    const itsm__jval *a;
    int rc = get_array(c, root, key, &a);
    if (rc || !a)
        return rc;
    itsm__plist *l = &c->p->list[list];
    if ((rc = reserve_list(c, l, a->u.arr.n)))
        return rc;
    for (size_t i = 0; i < a->u.arr.n; i++) {
        const itsm__jval *e = &a->u.arr.items[i];
        if ((rc = want_obj(c, e, "an entry")) || (rc = only(c, e, keys, key)))
            return rc;
        itsm__pentry *pe = &l->v[l->n++];
        if ((rc = get_text(c, e, "text", 0, &pe->text)) || (rc = get_text(c, e, who_key, !who_required, &pe->who)) ||
            (rc = get_time(c, e, at_key, &pe->at)))
            return rc;
        if (who_required && !itsm__text_present(pe->who))   /* as itsm_packet_add refuses it */
            return SERR(c, itsm__json_get(e, who_key), "'%s' must name someone: it is blank", who_key);
    }
    return ITSM_OK;
}

static int read_plain(rd *c, const itsm__jval *root, int k)
{
    const itsm__jval *a;
    int rc = get_array(c, root, plain_lists[k][0], &a);
    if (rc || !a)
        return rc;
    itsm__plist *l = &c->p->list[plain_ids[k]];
    if ((rc = reserve_list(c, l, a->u.arr.n)))
        return rc;
    for (size_t i = 0; i < a->u.arr.n; i++) {
        const itsm__jval *e = &a->u.arr.items[i];
        if (e->type != ITSM__JSTRING || e->u.str.len == 0 || strlen(e->u.str.s) != e->u.str.len)
            return SERR(c, e, "'%s' holds non-empty strings without NUL", plain_lists[k][0]);
        if (e->u.str.len > ITSM_MAX_TEXT) {
            SERR(c, e, "an entry is longer than %d bytes", ITSM_MAX_TEXT);
            if (c->err)
                c->err->code = ITSM_ELIMIT;
            return ITSM_ELIMIT;
        }
        itsm__pentry *pe = &l->v[l->n++];
        pe->at = ITSM_TIME_NONE;
        if (!(pe->text = itsm__strndup(&c->p->alloc, e->u.str.s, e->u.str.len)))
            return ITSM_ENOMEM;
    }
    return ITSM_OK;
}

static int read_deliverables(rd *c, const itsm__jval *root)
{
    static const char *const keys[] = { "name", "owner", "approver", "status", "approved_by", "required", NULL };
    const itsm__jval *a;
    int rc = get_array(c, root, "deliverables", &a);
    if (rc || !a || !a->u.arr.n)
        return rc;
    itsm_packet *p = c->p;
    if (!(p->deliv = itsm__calloc(&p->alloc, a->u.arr.n, sizeof *p->deliv)))
        return ITSM_ENOMEM;
    p->cdeliv = a->u.arr.n;
    for (size_t i = 0; i < a->u.arr.n; i++) {
        const itsm__jval *e = &a->u.arr.items[i];
        if ((rc = want_obj(c, e, "a deliverable")) || (rc = only(c, e, keys, "a deliverable")))
            return rc;
        itsm__deliv *d = &p->deliv[p->ndeliv++];
        if ((rc = get_text(c, e, "name", 0, &d->name)) || (rc = get_text(c, e, "owner", 0, &d->owner)) ||
            (rc = get_text(c, e, "approver", 0, &d->approver)) ||
            (rc = get_text(c, e, "approved_by", 1, &d->approved_by)))
            return rc;
        /* as itsm_packet_add_deliverable refuses them */
        static const char *const said[] = { "name", "owner", "approver" };
        const char *const vals[] = { d->name, d->owner, d->approver };
        for (int k = 0; k < 3; k++)
            if (!itsm__text_present(vals[k]))
                return SERR(c, itsm__json_get(e, said[k]), "a deliverable's '%s' must not be blank", said[k]);
        for (size_t j = 0; j + 1 < p->ndeliv; j++)
            if (strcmp(p->deliv[j].name, d->name) == 0)
                return SERR(c, itsm__json_get(e, "name"), "deliverable '%.60s' is listed twice", d->name);
        const itsm__jval *st = itsm__json_get(e, "status");
        d->status = 0;
        for (int s = 1; st && st->type == ITSM__JSTRING && s <= 4; s++)
            if (strcmp(st->u.str.s, itsm_deliverable_status_name((itsm_deliverable_status)s)) == 0)
                d->status = s;
        if (!d->status)
            return SERR(c, st ? st : e, "'status' must be pending, delivered, approved or rejected");
        if ((d->status == ITSM_DELIVERABLE_APPROVED) != (d->approved_by != NULL) ||
            (d->approved_by && strcmp(d->approved_by, d->approver) != 0)) {
            const itsm__jval *ab = itsm__json_get(e, "approved_by");
            return SERR(c, ab ? ab : st,
                        "'approved_by' must be the appointed approver when approved, and null otherwise");
        }
        const itsm__jval *rq = itsm__json_get(e, "required");
        if (rq && rq->type != ITSM__JTRUE && rq->type != ITSM__JFALSE)
            return SERR(c, rq, "'required' must be true or false");
        d->required = rq && rq->type == ITSM__JTRUE;
    }
    return ITSM_OK;
}

static int read_packet(rd *c, const itsm__jval *root)
{
    static const char *const keys[] = { "itsm_packet", "kind", "record", "created_at", "sender", "sender_group",
                                        "receiver", "receiver_group", "problem_statement", "facts", "status",
                                        "actions", "communications", "hypotheses", "other_places",
                                        "identical_things", "engaged_groups", "open_actions",
                                        "contact_verified", "deliverables", NULL };
    static const char *const rec_keys[] = { "id", "kind", NULL };
    static const char *const ps_keys[] = { "object", "defect", NULL };
    static const char *const fact_keys[] = { "what", "where", "when", "extent", NULL };
    static const char *const isnot_keys[] = { "is", "is_not", NULL };
    static const char *const status_keys[] = { "current", "next_update_due", NULL };
    itsm_packet *p = c->p;
    int rc;
    if (root->type != ITSM__JOBJECT)
        return SERR(c, root, "a packet must be a JSON object");
    if ((rc = only(c, root, keys, "a packet")))
        return rc;
    const itsm__jval *v = itsm__json_get(root, "itsm_packet");
    if (!v || v->type != ITSM__JNUMBER || !v->u.num.is_int || v->u.num.i != PACKET_FORMAT)
        return SERR(c, v ? v : root, "expected \"itsm_packet\": 1 (the packet format)");
    v = itsm__json_get(root, "kind");
    itsm_packet_kind kind;
    if (!v || v->type != ITSM__JSTRING || strlen(v->u.str.s) != v->u.str.len ||
        itsm_packet_kind_from_name(&kind, v->u.str.s) != ITSM_OK)
        return SERR(c, v ? v : root, "'kind' must be shift, desk_to_major, to_problem, to_change or to_operations");
    p->kind = (int)kind;
    v = itsm__json_get(root, "record");
    if (!v)
        return SERR(c, root, "'record' is required");
    if ((rc = want_obj(c, v, "'record'")) || (rc = only(c, v, rec_keys, "'record'")))
        return rc;
    const itsm__jval *id = itsm__json_get(v, "id"), *rk = itsm__json_get(v, "kind");
    if (!id || id->type != ITSM__JSTRING || !itsm__id_valid(id->u.str.s, id->u.str.len))
        return SERR(c, id ? id : v, "'id' must be a record id (1..64 characters of A-Z a-z 0-9 - _ . :)");
    itsm_kind k;
    if (!rk || rk->type != ITSM__JSTRING || strlen(rk->u.str.s) != rk->u.str.len ||
        itsm_kind_from_name(&k, rk->u.str.s) != ITSM_OK)
        return SERR(c, rk ? rk : v, "'kind' must be a record kind");
    p->record_kind = (int)k;
    if (!(p->record_id = itsm__strndup(&p->alloc, id->u.str.s, id->u.str.len)))
        return ITSM_ENOMEM;
    if ((rc = get_time(c, root, "created_at", &p->created_at)) ||
        (rc = get_name(c, root, "sender", &p->text[ITSM_PT_SENDER])) ||
        (rc = get_name(c, root, "sender_group", &p->text[ITSM_PT_SENDER_GROUP])) ||
        (rc = get_name(c, root, "receiver", &p->text[ITSM_PT_RECEIVER])) ||
        (rc = get_name(c, root, "receiver_group", &p->text[ITSM_PT_RECEIVER_GROUP])))
        return rc;
    if ((v = itsm__json_get(root, "problem_statement"))) {
        if ((rc = want_obj(c, v, "'problem_statement'")) || (rc = only(c, v, ps_keys, "'problem_statement'")) ||
            (rc = get_text(c, v, "object", 1, &p->text[ITSM_PT_OBJECT])) ||
            (rc = get_text(c, v, "defect", 1, &p->text[ITSM_PT_DEFECT])))
            return rc;
    }
    if ((v = itsm__json_get(root, "facts"))) {
        if ((rc = want_obj(c, v, "'facts'")) || (rc = only(c, v, fact_keys, "'facts'")))
            return rc;
        for (int f = 0; f < 4; f++) {
            const itsm__jval *fv = itsm__json_get(v, fact_names[f]);
            if (!fv)
                continue;
            if ((rc = want_obj(c, fv, "a fact")) || (rc = only(c, fv, isnot_keys, fact_names[f])) ||
                (rc = get_text(c, fv, "is", 1, &p->text[ITSM_PT_WHAT_IS + 2 * f])) ||
                (rc = get_text(c, fv, "is_not", 1, &p->text[ITSM_PT_WHAT_IS_NOT + 2 * f])))
                return rc;
        }
    }
    if ((v = itsm__json_get(root, "status"))) {
        if ((rc = want_obj(c, v, "'status'")) || (rc = only(c, v, status_keys, "'status'")) ||
            (rc = get_text(c, v, "current", 1, &p->text[ITSM_PT_STATUS])) ||
            (rc = get_time(c, v, "next_update_due", &p->next_update)))
            return rc;
    }
    if ((rc = read_entries(c, root, "actions", ITSM_PL_ACTIONS, "by", "at", 0)) ||
        (rc = read_entries(c, root, "communications", ITSM_PL_COMMUNICATIONS, "by", "at", 0)) ||
        (rc = read_entries(c, root, "open_actions", ITSM_PL_OPEN_ACTIONS, "owner", "due", 1)))
        return rc;
    for (int k2 = 0; k2 < 4; k2++)
        if ((rc = read_plain(c, root, k2)))
            return rc;
    if ((v = itsm__json_get(root, "contact_verified"))) {
        if (v->type != ITSM__JTRUE && v->type != ITSM__JFALSE)
            return SERR(c, v, "'contact_verified' must be true or false");
        p->contact_verified = v->type == ITSM__JTRUE;
    }
    return read_deliverables(c, root);
}

int itsm__packet_read(itsm_packet **out, const itsm_allocator *a, const itsm__jval *v, itsm_parse_error *err)
{
    itsm_packet *p = itsm__packet_alloc(a, 0);
    if (!p)
        return ITSM_ENOMEM;
    rd c = { p, err };
    int rc = read_packet(&c, v);
    if (rc) {
        if (rc == ITSM_ENOMEM && err) {
            err->code = ITSM_ENOMEM;
            snprintf(err->text, sizeof err->text, "out of memory");
        }
        itsm_packet_free(p);
        return rc;
    }
    *out = p;
    return ITSM_OK;
}

int itsm_packet_from_json(itsm_packet **out, const char *json, size_t len, const itsm_allocator *alloc,
                          const itsm_json_limits *limits, itsm_parse_error *err)
{
    if (err)
        memset(err, 0, sizeof *err);
    if (!out || !json) {
        if (err) {
            err->code = ITSM_EINVAL;
            snprintf(err->text, sizeof err->text, "out and json must not be NULL");
        }
        return ITSM_EINVAL;
    }
    *out = NULL;
    itsm_allocator a;
    if (itsm__alloc_resolve(&a, alloc) != ITSM_OK)
        return ITSM_EINVAL;
    itsm__jdoc *doc;
    int rc = itsm__json_parse(&doc, json, len, &a, limits, err);
    if (rc)
        return rc;
    rc = itsm__packet_read(out, &a, itsm__jdoc_root(doc), err);
    itsm__jdoc_free(doc);
    return rc;
}
