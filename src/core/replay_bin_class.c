/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Replay from the binary form, an extension class's event: the class
 * reads its members from the event's value tree (itsm__evclass.read), so
 * the decoded members are made that tree here - flat, in their order, the
 * strings copied NUL-terminated - without parsing the event again.
 */
#include "core/replay_bin_int.h"
#include "kit/json_bin.h"
#include "kit/json_int.h"

#include <stddef.h>
#include <string.h>

static int in_keys(const char *const *keys, const char *k, size_t n)
{
    for (const char *const *a = keys; a && *a; a++)
        if ((!n || (*a)[0] == k[0]) && strlen(*a) == n && !memcmp(*a, k, n))
            return 1;
    return 0;
}

void itsm__rb_class_keys(const itsm__evclass *cls, uint64_t keys[2])
{
    keys[0] = keys[1] = 0;
    for (const char *const *a = cls->keys; a && *a; a++) {
        int e = itsm__bin_key_entry(*a, strlen(*a));
        if (e >= 0)
            keys[e >> 6] |= (uint64_t)1 << (e & 63);
    }
}

/* Only the envelope's members and the class's own, as the tree path
 * allows; "note" or "link" objects the tree path reads. */
int itsm__rb_class_fits(const rb *b, const itsm__evclass *cls, const uint64_t keys[2])
{
    const uint32_t envelope = 1u << ITSM__K_V | 1u << ITSM__K_TYPE | 1u << ITSM__K_RECORD | 1u << ITSM__K_KIND |
                              1u << ITSM__K_REV | 1u << ITSM__K_AT | 1u << ITSM__K_ACTOR | 1u << ITSM__K_SET;
    for (uint32_t present = b->topmask & ~envelope; present; present &= present - 1) {
        int e = (int)itsm__ctz32(present);
        if (!b->top[e].tag)
            continue;
        if (e == ITSM__K_NOTE || e == ITSM__K_LINK || !(keys[0] >> e & 1u))
            return 0;
    }
    for (int i = 0; i < b->nx; i++) {
        const rbm *m = &b->xm[i];
        int own = m->entry >= 0 ? (int)(keys[m->entry >> 6] >> (m->entry & 63) & 1u)
                                : in_keys(cls->keys, (const char *)m->key, m->klen);
        if (!own)
            return 0;
    }
    return 1;
}

/* A scalar's tree value, or an array's (its items from `items`); 0 or -1. */
static int to_jval(rb *b, const rbv *v, itsm__jval *j, itsm__jval *items)
{
    memset(j, 0, sizeof *j);
    j->line = 1;
    switch (v->tag) {
    case 0x06:
        j->type = ITSM__JARRAY;
        j->u.arr.items = items + v->i;
        j->u.arr.n = v->n;
        for (size_t k = 0; k < v->n; k++)
            if (to_jval(b, &b->in[(size_t)v->i + k].val, &items[(size_t)v->i + k], NULL))
                return -1;
        return 0;
    case 0x00:
        j->type = ITSM__JNULL;
        return 0;
    case 0x01:
    case 0x02:
        j->type = v->tag == 0x02 ? ITSM__JTRUE : ITSM__JFALSE;
        return 0;
    case 0x03:
        j->type = ITSM__JNUMBER;
        j->u.num.i = v->i;
        j->u.num.d = (double)v->i;
        j->u.num.is_int = 1;
        return 0;
    case 0x05:   /* UTF-8 (it may have been read unchecked), a NUL kept */
        j->type = ITSM__JSTRING;
        j->u.str.len = v->n;
        return itsm__rb_check(v) >= 0 && (j->u.str.s = itsm__rb_dup(b, v->s, v->n)) ? 0 : -1;
    default:
        return -1;
    }
}

/* The key of a top member by its value's place. */
static const char *top_key(rb *b, const rbv *v, size_t *n)
{
    const char *k;
    if (v >= b->top && v < b->top + ITSM__K_FIELD0)
        k = itsm__jwb_keyname((int)(v - b->top));
    else if (v == &b->pv)
        k = "pv";
    else if (v == &b->hash)
        k = "hash";
    else {
        const rbm *m = (const rbm *)(const void *)((const char *)v - offsetof(rbm, val));
        if (m->entry < 0) {
            *n = m->klen;
            return itsm__rb_dup(b, m->key, m->klen);
        }
        k = itsm__jwb_keyname(m->entry);
    }
    *n = strlen(k);
    return k;
}

/* The class reads its members from the event's tree: made flat here, of
 * the decoded members, in their order. */
int itsm__rb_read_class(itsm_engine *eng, rb *b, itsm_event *ev, const itsm__evclass *cls)
{
    itsm__jmember top[RB_TOP], set[RB_INNER];
    itsm__jval root, items[RB_INNER];
    memset(&root, 0, sizeof root);
    root.type = ITSM__JOBJECT;
    root.line = 1;
    root.u.obj.members = top;
    root.u.obj.n = (size_t)b->ntop;
    for (int i = 0; i < b->ntop; i++) {
        itsm__jmember *m = &top[i];
        const char *k = top_key(b, b->order[i], &m->klen);
        if (!k)
            return -1;
        m->key = (char *)(uintptr_t)k;
        m->line = 1;
        m->column = 0;
        if (b->order[i] == &b->top[ITSM__K_SET]) {
            memset(&m->val, 0, sizeof m->val);
            m->val.type = ITSM__JOBJECT;
            m->val.line = 1;
            m->val.u.obj.members = set;
            m->val.u.obj.n = (size_t)b->nset;
            for (int j = 0; j < b->nset; j++) {
                const rbm *s = &b->in[b->set + j];
                set[j].key = s->entry >= 0 ? (char *)(uintptr_t)itsm__jwb_keyname(s->entry)
                                           : itsm__rb_dup(b, s->key, s->klen);
                set[j].klen = s->entry >= 0 ? strlen(set[j].key) : s->klen;
                set[j].line = 1;
                set[j].column = 0;
                if (!set[j].key || to_jval(b, &s->val, &set[j].val, NULL))
                    return -1;
            }
        } else if (to_jval(b, b->order[i], &m->val, items)) {
            return -1;
        }
    }
    itsm_parse_error err;
    ev->cls = cls;
    return cls->read && cls->read(eng, ev, &root, &err) != ITSM_OK ? -1 : 0;
}
