/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Replay from the binary form, an extension class's event: a class with a
 * read_members reads its own members as they were decoded (core/event.h);
 * for the others (itsm__evclass.read reads the event's value tree) the
 * decoded members are made that tree here - flat, the strings copied
 * NUL-terminated - without parsing the event again.
 */
#include "core/replay_bin_int.h"
#include "kit/json_bin.h"
#include "kit/json_int.h"

#include <stddef.h>
#include <string.h>

/* The place of the key k (n bytes) among keys, or -1. */
static int in_keys(const char *const *keys, const char *k, size_t n)
{
    for (const char *const *a = keys; a && *a; a++)
        if ((!n || (*a)[0] == k[0]) && strlen(*a) == n && !memcmp(*a, k, n))
            return (int)(a - keys);
    return -1;
}

void itsm__rb_class_keys(const itsm__evclass *cls, uint64_t keys[2], signed char at[128])
{
    keys[0] = keys[1] = 0;
    memset(at, -1, 128);
    for (const char *const *a = cls->keys; a && *a; a++) {
        int e = itsm__bin_key_entry(*a, strlen(*a));
        if (e >= 0 && a - cls->keys < 127) {
            keys[e >> 6] |= (uint64_t)1 << (e & 63);
            at[e] = (signed char)(a - cls->keys);
        }
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
                                : in_keys(cls->keys, (const char *)m->key, m->klen) >= 0;
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

/* A member as read_members takes it (a string UTF-8 without a NUL, an
 * array's items from `items`); 0, or -1 for what the tree path reads. */
static int to_member(const rb *b, const rbv *v, itsm__evmember *m, itsm__evmember *items)
{
    switch (v->tag) {
    case 0x00:
        m->type = ITSM__JNULL;
        return 0;
    case 0x01:
    case 0x02:
        m->type = v->tag == 0x02 ? ITSM__JTRUE : ITSM__JFALSE;
        return 0;
    case 0x03:
        m->type = ITSM__JNUMBER;
        m->i = v->i;
        return 0;
    case 0x05:
        m->type = ITSM__JSTRING;
        m->s = (const char *)v->s;
        m->n = v->n;
        return itsm__rb_check(v) ? -1 : 0;
    case 0x06:
        if (!items)
            return -1;
        m->type = ITSM__JARRAY;
        m->n = v->n;
        m->items = items + v->i;
        for (size_t k = 0; k < v->n; k++)
            if (to_member(b, &b->in[(size_t)v->i + k].val, &items[(size_t)v->i + k], NULL))
                return -1;
        return 0;
    default:
        return -1;
    }
}

/* read_members on the class's members (the event's others are the
 * envelope's: itsm__rb_class_fits), each at its key's place. */
static int read_members(itsm_engine *eng, rb *b, itsm_event *ev, const itsm__evclass *cls)
{
    itsm__evmember m[RB_TOP], items[RB_INNER];
    size_t nkeys = 0;
    for (const char *const *a = cls->keys; a && *a; a++)
        if (nkeys == RB_TOP)
            return -1;
        else
            m[nkeys++].type = -1;
    const signed char *at = eng->replay_cls_at;
    const uint32_t envelope = 1u << ITSM__K_V | 1u << ITSM__K_TYPE | 1u << ITSM__K_RECORD | 1u << ITSM__K_KIND |
                              1u << ITSM__K_REV | 1u << ITSM__K_AT | 1u << ITSM__K_ACTOR | 1u << ITSM__K_SET;
    for (uint32_t present = b->topmask & ~envelope; present; present &= present - 1) {
        int e = (int)itsm__ctz32(present);
        /* a null is tag 0, as an absent member's: present by its bit */
        if (at[e] >= 0 && (size_t)at[e] < nkeys && to_member(b, &b->top[e], &m[at[e]], items))
            return -1;
    }
    for (int i = 0; i < b->nx; i++) {
        const rbm *x = &b->xm[i];
        int k = x->entry >= 0 ? (x->entry < 128 ? at[x->entry] : -1)
                              : in_keys(cls->keys, (const char *)x->key, x->klen);
        if (k < 0 || (size_t)k >= nkeys || to_member(b, &x->val, &m[k], items))
            return -1;
    }
    ev->cls = cls;
    return cls->read_members(eng, ev, m) ? -1 : 0;
}

/* The class reads its members from the event's tree: made flat here, of
 * the decoded members (the table's first, then "pv", "hash" and the
 * others: a class finds its members by name, and a key is there once). */
int itsm__rb_read_class(itsm_engine *eng, rb *b, itsm_event *ev, const itsm__evclass *cls)
{
    if (cls->read_members)
        return read_members(eng, b, ev, cls);
    const rbv *vals[ITSM__K_FIELD0 + 2 + RB_TOP];
    size_t n = 0;
    for (uint32_t present = b->topmask; present; present &= present - 1)
        vals[n++] = &b->top[itsm__ctz32(present)];
    if (b->inl & 1u)
        vals[n++] = &b->pv;
    if (b->inl & 2u)
        vals[n++] = &b->hash;
    for (int i = 0; i < b->nx; i++)
        vals[n++] = &b->xm[i].val;
    itsm__jmember top[ITSM__K_FIELD0 + 2 + RB_TOP], set[RB_INNER];
    itsm__jval root, items[RB_INNER];
    memset(&root, 0, sizeof root);
    root.type = ITSM__JOBJECT;
    root.line = 1;
    root.u.obj.members = top;
    root.u.obj.n = n;
    for (size_t i = 0; i < n; i++) {
        itsm__jmember *m = &top[i];
        const char *k = top_key(b, vals[i], &m->klen);
        if (!k)
            return -1;
        m->key = (char *)(uintptr_t)k;
        m->line = 1;
        m->column = 0;
        if (vals[i] == &b->top[ITSM__K_SET] && vals[i]->tag == 0x07) {
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
        } else if (to_jval(b, vals[i], &m->val, items)) {
            return -1;
        }
    }
    itsm_parse_error err;
    ev->cls = cls;
    return cls->read && cls->read(eng, ev, &root, &err) != ITSM_OK ? -1 : 0;
}
