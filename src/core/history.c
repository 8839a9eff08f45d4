/* SPDX-License-Identifier: Apache-2.0 */
/* Stored events read back as history, and a string map (src/history.h). */
#include "core/history.h"
#include "core/replay_bin_int.h"
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

/* ---- the tree-less reader ---- */

struct itsm__hreader {
    itsm_allocator   a;
    itsm_json_limits lim;       /* the defaults filled in */
    itsm__jdoc      *doc;       /* the last event's tree, when it was read through one */
    char            *scratch;   /* NUL-terminated copies of the strings handed out */
    size_t           scap;
    rb               b;
    const char      *dup[RB_INNER];   /* the copy of in[i]'s string, once made */
    /* the key table's entries of the names readers ask for, by the name's
     * pointer (they pass literals): a name is looked up once */
    struct { const char *name; int entry; } keys[4];
    /* the last event's time: events of one step or row share it */
    unsigned char at[20];
    itsm_time     at_t;
    int           has_at;
    /* the last kind's name read (kind_n 0: none yet) */
    unsigned char kind_name[24];
    size_t        kind_n;
    itsm_kind     kind;
};

/* The key table's entry of a member name (-1: written inline). */
static int key_entry(itsm__hreader *h, const char *name)
{
    for (size_t i = 0; i < sizeof h->keys / sizeof h->keys[0]; i++) {
        if (h->keys[i].name == name)
            return h->keys[i].entry;
        if (!h->keys[i].name) {
            h->keys[i].name = name;
            return h->keys[i].entry = itsm__bin_key_entry(name, strlen(name));
        }
    }
    return itsm__bin_key_entry(name, strlen(name));
}

itsm__hreader *itsm__hreader_new(const itsm_allocator *a, const itsm_json_limits *limits)
{
    itsm__hreader *h = itsm__malloc(a, sizeof *h);
    if (!h)
        return NULL;
    h->a = *a;
    h->lim.max_document = limits && limits->max_document ? limits->max_document : ITSM_JSON_DEFAULT_MAX_DOCUMENT;
    h->lim.max_string = limits && limits->max_string ? limits->max_string : ITSM_JSON_DEFAULT_MAX_STRING;
    h->lim.max_depth = limits && limits->max_depth ? limits->max_depth : ITSM_JSON_DEFAULT_MAX_DEPTH;
    h->doc = NULL;
    h->scratch = NULL;
    h->scap = 0;
    memset(h->keys, 0, sizeof h->keys);
    h->has_at = 0;
    h->kind_n = 0;
    memset(h->b.top, 0, sizeof h->b.top);
    h->b.topmask = 0;
    return h;
}

void itsm__hreader_free(itsm__hreader *h)
{
    if (!h)
        return;
    itsm__jdoc_free(h->doc);
    itsm__free(&h->a, h->scratch);
    itsm__free(&h->a, h);
}

/* A string member as a C string in the scratch; NULL when absent, not a
 * string, or holding a NUL (the tree path then judges the event). */
static const char *flat_str(rb *b, const rbv *v, size_t *len)
{
    if (v->tag != 0x05 || v->nul)
        return NULL;
    if (len)
        *len = v->n;
    return itsm__rb_dup(b, v->s, v->n);
}

static inline int flat_is(const rbv *v, const char *s, size_t n)
{
    return v->tag == 0x05 && v->n == n && !memcmp(v->s, s, n);
}
#define FLAT_IS(v, lit) flat_is((v), (lit), sizeof(lit) - 1)

/* A kind's name: the last one read is remembered (most events of a store
 * are of one kind); 0, or -1 for no kind. */
static int flat_kind(itsm__hreader *h, const rbv *v, itsm_kind *out)
{
    if (v->tag != 0x05 || v->nul)
        return -1;
    if (h->kind_n && v->n == h->kind_n && !memcmp(v->s, h->kind_name, v->n)) {
        *out = h->kind;
        return 0;
    }
    const char *kn = itsm__rb_dup(&h->b, v->s, v->n);
    if (!kn || itsm_kind_from_name(out, kn) != ITSM_OK)
        return -1;
    if (v->n < sizeof h->kind_name) {
        memcpy(h->kind_name, v->s, v->n);
        h->kind_n = v->n;
        h->kind = *out;
    }
    return 0;
}

/* The position in in[] of a member of the object whose members are
 * in[first .. first + count), or -1. */
static int flat_member(itsm__hreader *h, int first, int count, const char *key)
{
    const rb *b = &h->b;
    int e = key_entry(h, key);
    size_t kl = e >= 0 ? 0 : strlen(key);
    for (int i = first; first >= 0 && i < first + count; i++) {
        const rbm *m = &b->in[i];
        if (e >= 0 ? m->entry == e : m->entry < 0 && m->klen == kl && !memcmp(m->key, key, kl))
            return i;
    }
    return -1;
}

/* The event read by the decoder: 0, or -1 for anything the tree path
 * reads instead (every event it would refuse among them). */
static int read_flat(itsm__hreader *h, itsm__hev *ev, const void *data, size_t len)
{
    static const char *const types[] = { NULL, "open", "update", "transition", "note", "link" };
    static const char *const links[] = { NULL, "related", "parent", "child" };
    rb *b = &h->b;
    if (h->scap < 2 * len + 16) {   /* every string and its NUL fits twice the input */
        char *s = itsm__malloc(&h->a, 2 * len + 16);
        if (!s)
            return -1;
        itsm__free(&h->a, h->scratch);
        h->scratch = s;
        h->scap = 2 * len + 16;
    }
    /* Only the fields the decoder reads before it writes them: the tags
     * of the members the event before had (all were zero at the start) */
    for (uint32_t m = b->topmask; m; m &= m - 1)
        b->top[itsm__ctz32(m)].tag = 0;
    b->pv.tag = b->hash.tag = 0;
    b->topmask = 0;
    b->nin = b->nx = 0;
    b->p = data;
    b->n = len;
    b->max_string = h->lim.max_string;
    b->scratch = h->scratch;
    b->scap = h->scap;
    b->sused = 0;
    if (itsm__rb_decode(b))
        return -1;
    for (int i = 0; i < b->nin; i++)
        h->dup[i] = NULL;
    const rbv *type = &b->top[ITSM__K_TYPE], *kind = &b->top[ITSM__K_KIND], *at = &b->top[ITSM__K_AT];
    ev->record = flat_str(b, &b->top[ITSM__K_RECORD], &ev->nrecord);
    if (type->tag != 0x05 || type->nul || at->tag != 0x05 || at->nul || kind->tag != 0x05 || kind->nul ||
        !ev->record || !ev->nrecord)
        return -1;
    ev->flat = h;
    if (FLAT_IS(type, "policy") && FLAT_IS(kind, "policy")) {
        ev->type = ITSM__H_POLICY;
        return 0;
    }
    if (flat_kind(h, kind, &ev->kind))
        return -1;
    if (h->has_at && at->n == sizeof h->at && !memcmp(h->at, at->s, sizeof h->at)) {
        ev->at = h->at_t;
    } else {
        /* the bytes as they are: the parse reads n of them, and a time
         * is 20 bytes with no NUL */
        if (itsm__time_parse((const char *)at->s, at->n, &ev->at) != ITSM_OK)
            return -1;
        memcpy(h->at, at->s, sizeof h->at);
        h->at_t = ev->at;
        h->has_at = 1;
    }
    for (int t = ITSM__H_OPEN; t <= ITSM__H_LINK; t++)
        if (type->n && type->s[0] == (unsigned char)types[t][0] && flat_is(type, types[t], strlen(types[t])))
            ev->type = (itsm__htype)t;
    switch (ev->type) {
    case ITSM__H_OPEN:
        if (!(ev->state = flat_str(b, &b->top[ITSM__K_STATE], NULL)))
            return -1;
        break;
    case ITSM__H_TRANSITION:
        ev->event = flat_str(b, &b->top[ITSM__K_EVENT], NULL);
        ev->from = flat_str(b, &b->top[ITSM__K_FROM], NULL);
        ev->to = flat_str(b, &b->top[ITSM__K_TO], NULL);
        if (!ev->event || !ev->from || !ev->to)
            return -1;
        break;
    case ITSM__H_LINK: {
        int li = flat_member(h, b->link, b->nlink, "kind"), ti = flat_member(h, b->link, b->nlink, "target_kind");
        const rbv *lk = li >= 0 && !b->in[li].val.nul ? &b->in[li].val : NULL;
        const char *tks = ti >= 0 ? flat_str(b, &b->in[ti].val, NULL) : NULL;
        for (int k = 1; lk && k <= 3; k++)
            if (flat_is(lk, links[k], strlen(links[k])))
                ev->link_kind = k;
        if (!ev->link_kind || !tks || itsm_kind_from_name(&ev->link_target_kind, tks) != ITSM_OK)
            return -1;
        break;
    }
    default:
        break;
    }
    return 0;
}

int itsm__hreader_read(itsm__hreader *h, itsm__hev *ev, const void *data, size_t len, itsm_parse_error *err)
{
    itsm__jdoc_free(h->doc);
    h->doc = NULL;
    memset(ev, 0, sizeof *ev);
    if (!data)
        return ITSM_EINVAL;
    if (len >= 3 && *(const unsigned char *)data == ITSM__BIN_MAGIC && len <= h->lim.max_document &&
        h->lim.max_depth >= 2 && read_flat(h, ev, data, len) == 0)
        return ITSM_OK;
    return itsm__hev_read(&h->doc, ev, data, len, &h->a, &h->lim, err);
}

/* ---- a member of "set" ---- */

int itsm__hev_str(const itsm__hev *ev, const char *field, const char **str)
{
    if (ev->flat) {
        itsm__hreader *h = ev->flat;
        int i = flat_member(h, h->b.set, h->b.nset, field);
        const rbv *v = i >= 0 ? &h->b.in[i].val : NULL;
        if (!v || (v->tag != 0x05 && v->tag != 0x00))
            return 0;
        /* copied once: the scratch holds every string of the event once
         * besides what read_flat copied */
        if (v->tag == 0x05 && !h->dup[i])
            h->dup[i] = itsm__rb_dup(&h->b, v->s, v->n);
        *str = v->tag == 0x05 ? h->dup[i] : NULL;
        return 1;
    }
    const itsm__jval *v = itsm__json_get(ev->set, field);
    if (!v || (v->type != ITSM__JSTRING && v->type != ITSM__JNULL))
        return 0;
    *str = v->type == ITSM__JSTRING ? v->u.str.s : NULL;
    return 1;
}

int itsm__hev_num(const itsm__hev *ev, const char *field, int64_t *num)
{
    if (ev->flat) {
        itsm__hreader *h = ev->flat;
        int i = flat_member(h, h->b.set, h->b.nset, field);
        const rbv *v = i >= 0 ? &h->b.in[i].val : NULL;
        if (!v || v->tag == 0x00 || v->tag == 0x05)
            return 0;
        *num = v->tag == 0x03 ? v->i : v->tag == 0x02;
        return 1;
    }
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

const char *itsm__strmap_lookup(const itsm__strmap *m, const char *key, size_t len, size_t *val)
{
    const itsm__smentry *s = find(m, key, len);
    if (s)
        *val = s->val;
    return s ? s->key : NULL;
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
