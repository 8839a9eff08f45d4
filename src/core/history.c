/* SPDX-License-Identifier: Apache-2.0 */
/* Stored events read back as history, and a string map (src/history.h). */
#include "core/history.h"
#include "kit/alloc.h"
#include "itsm/errors.h"

#include <string.h>

/* ---- events ---- */

static const char *str_member(const itsm__jval *root, const char *key, size_t *len)
{
    const itsm__jval *v = itsm__json_get(root, key);
    if (!v || v->type != ITSM__JSTRING)
        return NULL;
    if (len)
        *len = v->u.str.len;
    return v->u.str.s;
}

int itsm__hev_read(itsm__jdoc **doc, itsm__hev *ev, const char *json, size_t len, const itsm_allocator *a,
                   const itsm_json_limits *limits, itsm_parse_error *err)
{
    static const char *const types[] = { NULL, "open", "update", "transition", "note", "link" };
    static const char *const links[] = { NULL, "related", "parent", "child" };
    *doc = NULL;
    if (!json)
        return ITSM_EINVAL;
    int rc = itsm__event_parse(doc, json, len, a, limits, err);
    if (rc)
        return rc;
    const itsm__jval *root = itsm__jdoc_root(*doc);
    memset(ev, 0, sizeof *ev);
    if (root->type != ITSM__JOBJECT) {
        rc = itsm__json_schema_error(err, root, "an event must be a JSON object");
        goto fail;
    }
    const char *type = str_member(root, "type", NULL);
    const char *kind = str_member(root, "kind", NULL);
    size_t atlen = 0;
    const char *at = str_member(root, "at", &atlen);
    ev->record = str_member(root, "record", &ev->nrecord);
    if (!type || !kind || !at || !ev->record || !ev->nrecord) {
        rc = itsm__json_schema_error(err, root, "an event needs the strings 'type', 'record', 'kind' and 'at'");
        goto fail;
    }
    if (!strcmp(type, "policy") && !strcmp(kind, "policy")) {
        ev->type = ITSM__H_POLICY;   /* readers of records' histories pass it by */
        return ITSM_OK;
    }
    if (itsm_kind_from_name(&ev->kind, kind) != ITSM_OK) {
        rc = itsm__json_schema_error(err, itsm__json_get(root, "kind"), "unknown kind '%s'", kind);
        goto fail;
    }
    if (itsm__time_parse(at, atlen, &ev->at) != ITSM_OK) {
        rc = itsm__json_schema_error(err, itsm__json_get(root, "at"), "'at' is not YYYY-MM-DDTHH:MM:SSZ");
        goto fail;
    }
    for (int t = ITSM__H_OPEN; t <= ITSM__H_LINK; t++)
        if (!strcmp(type, types[t]))
            ev->type = (itsm__htype)t;
    const itsm__jval *set = itsm__json_get(root, "set");
    ev->set = set && set->type == ITSM__JOBJECT ? set : NULL;
    switch (ev->type) {
    case ITSM__H_OPEN:
        ev->state = str_member(root, "state", NULL);
        if (!ev->state) {
            rc = itsm__json_schema_error(err, root, "an open event needs its 'state'");
            goto fail;
        }
        break;
    case ITSM__H_TRANSITION:
        ev->event = str_member(root, "event", NULL);
        ev->from = str_member(root, "from", NULL);
        ev->to = str_member(root, "to", NULL);
        if (!ev->event || !ev->from || !ev->to) {
            rc = itsm__json_schema_error(err, root, "a transition needs 'event', 'from' and 'to'");
            goto fail;
        }
        break;
    case ITSM__H_LINK: {
        const itsm__jval *l = itsm__json_get(root, "link");
        const char *lk = str_member(l, "kind", NULL), *tk = str_member(l, "target_kind", NULL);
        for (int k = 1; lk && k <= 3; k++)
            if (!strcmp(lk, links[k]))
                ev->link_kind = k;
        if (!ev->link_kind || !tk || itsm_kind_from_name(&ev->link_target_kind, tk) != ITSM_OK) {
            rc = itsm__json_schema_error(err, l ? l : root, "a link needs a known 'kind' and 'target_kind'");
            goto fail;
        }
        break;
    }
    default:
        break;
    }
    return ITSM_OK;
fail:
    itsm__jdoc_free(*doc);
    *doc = NULL;
    return rc;
}

int itsm__hev_str(const itsm__hev *ev, const char *field, const char **str)
{
    const itsm__jval *v = itsm__json_get(ev->set, field);
    if (!v || (v->type != ITSM__JSTRING && v->type != ITSM__JNULL))
        return 0;
    *str = v->type == ITSM__JSTRING ? v->u.str.s : NULL;
    return 1;
}

int itsm__hev_num(const itsm__hev *ev, const char *field, int64_t *num)
{
    const itsm__jval *v = itsm__json_get(ev->set, field);
    if (!v)
        return 0;
    if (v->type == ITSM__JNUMBER && v->u.num.is_int)
        *num = v->u.num.i;
    else if (v->type == ITSM__JTRUE || v->type == ITSM__JFALSE)
        *num = v->type == ITSM__JTRUE;
    else
        return 0;
    return 1;
}

/* ---- string map, on the one hash table ---- */

void itsm__strmap_init(itsm__strmap *m, const itsm_allocator *a)
{
    memset(m, 0, sizeof *m);
    m->alloc = *a;
    itsm__htab_init(&m->tab, itsm__hash_seed(m));
}

void itsm__strmap_free(itsm__strmap *m)
{
    for (size_t i = 0; i < m->n; i++)
        itsm__free(&m->alloc, m->ent[i].key);
    itsm__free(&m->alloc, m->ent);
    itsm__htab_free(&m->tab, &m->alloc);
    m->ent = NULL;
    m->n = m->cap = 0;
}

static const itsm__smentry *find(const itsm__strmap *m, const char *key, size_t len)
{
    itsm__hprobe it = itsm__htab_probe(&m->tab, itsm__htab_hash(&m->tab, key, len));
    for (long pos; (pos = itsm__htab_next(&m->tab, &it)) >= 0;) {
        const itsm__smentry *e = &m->ent[pos];
        if (e->len == len && !memcmp(e->key, key, len))
            return e;
    }
    return NULL;
}

int itsm__strmap_get(const itsm__strmap *m, const char *key, size_t len, size_t *val)
{
    const itsm__smentry *s = find(m, key, len);
    if (s)
        *val = s->val;
    return s != NULL;
}

const char *itsm__strmap_key(const itsm__strmap *m, const char *key, size_t len)
{
    const itsm__smentry *s = find(m, key, len);
    return s ? s->key : NULL;
}

int itsm__strmap_put(itsm__strmap *m, const char *key, size_t len, size_t val, const char **stored)
{
    if (len > UINT32_MAX)
        return ITSM_ENOMEM;
    if (itsm__grow(&m->alloc, (void **)&m->ent, &m->cap, m->n + 1, sizeof *m->ent) ||
        itsm__htab_reserve(&m->tab, &m->alloc, m->n + 1))
        return ITSM_ENOMEM;
    char *copy = itsm__strndup(&m->alloc, key, len);
    if (!copy)
        return ITSM_ENOMEM;
    itsm__htab_put(&m->tab, itsm__htab_hash(&m->tab, key, len), m->n);
    m->ent[m->n++] = (itsm__smentry){ copy, (uint32_t)len, val };
    if (stored)
        *stored = copy;
    return ITSM_OK;
}
