/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Replay straight from the binary event form (docs/events.md, "Binary
 * form"): one pass over the bytes into the event the apply step takes, no
 * value tree, members told apart by their key-table number instead of
 * their names. It only ever accepts: whatever it does not take as it is -
 * a malformed byte, an unknown or repeated member, a value of the wrong
 * type, a refused value, a revision out of order, a duplicate, an
 * extension class, a policy document - it hands back, having changed no
 * record, to the tree path (replay.c), which reads the event again and
 * refuses or takes it with its own checks and messages. So the two paths
 * cannot disagree on what is refused or on what a refusal says; that the
 * accepted events apply the same is what the tests and the fuzz target
 * compare (tests/test_replay_binary.c, tests/fuzz/fuzz_replay_binary.c).
 */
#include "core/core.h"
#include "core/replay_int.h"
#include "kit/json.h"
#include "kit/json_bin.h"
#include "kit/json_int.h"
#include "kit/sha256.h"
#include "kit/value.h"

#include <stddef.h>
#include <string.h>

/* At most this many members in "set" (or in a note or a link), and this
 * many at the top of an event: more, and the tree path reads it. */
#define RB_INNER 96
#define RB_TOP 32
/* Events up to this size copy their strings (NUL-terminated, for the
 * callees that take C strings) on the stack; longer ones into the heap. */
#define RB_STACK 2048

typedef struct rbv {
    const unsigned char *s;   /* a string's bytes (in the input) */
    size_t   n;
    int64_t  i;               /* a whole number */
    unsigned char tag;        /* 0: absent; else the value's tag byte */
} rbv;

typedef struct rbm {          /* a member */
    const unsigned char *key; /* an inline key's bytes, or NULL */
    size_t   klen;
    int      entry;           /* the key table's entry, or -1 */
    rbv      val;
} rbm;

typedef struct rb {
    const unsigned char *p;
    size_t   n, pos;
    size_t   max_string;
    rbv      top[ITSM__K_FIELD0];   /* the envelope's and built-in types' members */
    rbv      pv, hash;
    const rbv *order[RB_TOP];       /* every top member's value, in the event's order */
    rbm      xm[RB_TOP];            /* the others (an extension class's), in order */
    int      ntop, nx;
    int      set, note, link;       /* where each object's members begin in in[] (-1: absent) */
    int      nset, nnote, nlink;
    rbm      in[RB_INNER];
    int      nin;
    char    *scratch;               /* NUL-terminated copies */
    size_t   sused, scap;
} rb;

/* ---- reading the bytes: every check the binary reader makes ------------ */

static int varint_long(rb *b, uint64_t *out)
{
    uint64_t u = 0;
    for (unsigned shift = 0;; shift += 7) {
        if (b->pos >= b->n)
            return -1;
        unsigned char c = b->p[b->pos++];
        if (shift == 63 && c > 1)
            return -1;
        u |= (uint64_t)(c & 0x7F) << shift;
        if (!(c & 0x80)) {
            if (c == 0 && shift)
                return -1;   /* not the shortest form */
            *out = u;
            return 0;
        }
    }
}

/* Most numbers of an event (keys, lengths, revisions) are one byte. */
static inline int varint(rb *b, uint64_t *out)
{
    if (b->pos < b->n && b->p[b->pos] < 0x80) {
        *out = b->p[b->pos++];
        return 0;
    }
    return varint_long(b, out);
}

static int utf8_rest(const unsigned char *s, size_t i, size_t n)
{
    while (i < n) {
        if (s[i] < 0x80) {
            i++;
            continue;
        }
        utf8_fault why;
        size_t k = itsm__jp_utf8_seq(s + i, n - i, &why);
        if (!k)
            return -1;
        i += k;
    }
    return 0;
}

/* n bytes at the position: in the input, within the limit, UTF-8. */
static inline int bytes(rb *b, size_t n, const unsigned char **out)
{
    if (n > b->n - b->pos || n > b->max_string)
        return -1;
    const unsigned char *s = b->p + b->pos;
    uint64_t c = 0;
    if (n >= 8) {   /* ASCII eight bytes a check, the last eight overlapping */
        size_t i = 0;
        for (uint64_t w; i + 8 <= n; i += 8) {
            memcpy(&w, s + i, 8);
            c |= w;
        }
        uint64_t w;
        memcpy(&w, s + n - 8, 8);
        c |= w;
        if ((c & 0x8080808080808080u) && utf8_rest(s, 0, n))
            return -1;
    } else {
        for (size_t i = 0; i < n; i++)
            c |= s[i];
        if ((c & 0x80) && utf8_rest(s, 0, n))
            return -1;
    }
    b->pos += n;
    *out = s;
    return 0;
}

/* A scalar: null, false, true, a whole number or a string. Anything else
 * (a double, a container) is no value the fast path takes. */
static inline int scalar(rb *b, rbv *v)
{
    if (b->pos >= b->n)
        return -1;
    uint64_t u;
    v->tag = b->p[b->pos++];
    switch (v->tag) {
    case 0x00: case 0x01: case 0x02:
        return 0;
    case 0x03:
        if (varint(b, &u))
            return -1;
        v->i = (int64_t)(u >> 1) ^ -(int64_t)(u & 1);
        return 0;
    case 0x05:
        if (varint(b, &u) || u > b->n - b->pos)
            return -1;
        v->n = (size_t)u;
        return bytes(b, v->n, &v->s);
    default:
        return -1;
    }
}

/* A key: its table entry (>= 0), or -2 for an inline one (its bytes in
 * *key, *klen), -3 at the object's end; -1 when malformed. */
static inline int key(rb *b, const unsigned char **k, size_t *klen)
{
    uint64_t u;
    if (varint(b, &u))
        return -1;
    if (u == 0)
        return -3;
    if (u >= 2)
        return u - 2 < ITSM__K_NKEYS ? (int)(u - 2) : -1;
    if (varint(b, &u) || u > b->n - b->pos || bytes(b, (size_t)u, k))
        return -1;
    *klen = (size_t)u;
    /* a table key written inline is not canonical */
    return itsm__bin_key_entry((const char *)*k, *klen) >= 0 ? -1 : -2;
}

/* Whether members[first..first+n) already hold the key. */
static int repeated(const rbm *ms, int n, int e, const unsigned char *k, size_t kl, uint64_t seen[2])
{
    if (e >= 0) {
        uint64_t bit = (uint64_t)1 << (e & 63);
        if (seen[e >> 6] & bit)
            return 1;
        seen[e >> 6] |= bit;
        return 0;
    }
    for (int j = 0; j < n; j++)
        if (ms[j].entry < 0 && ms[j].klen == kl && !memcmp(ms[j].key, k, kl))
            return 1;
    return 0;
}

/* The members of "set", "note" or "link": scalars, each key once. */
static int inner(rb *b, int *first, int *count)
{
    uint64_t seen[2] = { 0, 0 };
    *first = b->nin;
    for (;;) {
        const unsigned char *k = NULL;
        size_t kl = 0;
        int e = key(b, &k, &kl);
        if (e == -3)
            break;
        if (e == -1 || b->nin == RB_INNER || repeated(b->in + *first, b->nin - *first, e, k, kl, seen))
            return -1;
        rbm *m = &b->in[b->nin++];
        m->key = k;
        m->klen = kl;
        m->entry = e;
        if (scalar(b, &m->val))
            return -1;
    }
    *count = b->nin - *first;
    return 0;
}

/* The whole event: its members where the checks below find them. */
static int decode(rb *b)
{
    if (b->n < 3 || b->p[0] != ITSM__BIN_MAGIC || b->p[1] != ITSM__BIN_VERSION || b->p[2] != 0x07)
        return -1;
    b->pos = 3;
    b->set = b->note = b->link = -1;
    uint64_t xseen[2] = { 0, 0 };
    for (;;) {
        const unsigned char *k = NULL;
        size_t kl = 0;
        int e = key(b, &k, &kl);
        if (e == -3)
            break;
        if (e == -1 || b->ntop == RB_TOP)
            return -1;
        rbv *v;
        int own = 0;   /* a class's member */
        if (e >= 0 && e < ITSM__K_FIELD0)
            v = &b->top[e];
        else if (e == -2 && kl == 2 && !memcmp(k, "pv", 2))
            v = &b->pv;
        else if (e == -2 && kl == 4 && !memcmp(k, "hash", 4))
            v = &b->hash;
        else {   /* an extension class's member, or unknown */
            if (repeated(b->xm, b->nx, e, k, kl, xseen))
                return -1;
            rbm *m = &b->xm[b->nx++];
            m->key = k;
            m->klen = kl;
            m->entry = e;
            v = &m->val;
            v->tag = 0;
            own = 1;
        }
        if (v->tag)
            return -1;   /* twice */
        b->order[b->ntop++] = v;
        if (own && b->pos < b->n && b->p[b->pos] == 0x06) {
            /* a class's array of scalars (the groups engaged): its items
             * in in[], from v->i, v->n of them */
            b->pos++;
            v->tag = 0x06;
            v->i = b->nin;
            while (b->pos < b->n && b->p[b->pos] != 0x08) {
                if (b->nin == RB_INNER || scalar(b, &b->in[b->nin].val))
                    return -1;
                b->in[b->nin++].entry = -1;
            }
            if (b->pos++ >= b->n)
                return -1;
            v->n = (size_t)(b->nin - v->i);
            continue;
        }
        if (b->pos < b->n && b->p[b->pos] == 0x07 &&
            (e == ITSM__K_SET || e == ITSM__K_NOTE || e == ITSM__K_LINK)) {
            b->pos++;
            v->tag = 0x07;
            int rc = e == ITSM__K_SET    ? inner(b, &b->set, &b->nset)
                     : e == ITSM__K_NOTE ? inner(b, &b->note, &b->nnote)
                                         : inner(b, &b->link, &b->nlink);
            if (rc)
                return -1;
            continue;
        }
        if (scalar(b, v))
            return -1;
    }
    return b->pos == b->n ? 0 : -1;
}

/* ---- what the tree path checks, on the decoded members ----------------- */

/* A string member as a C string (the callees take C strings): NULL when
 * absent, not a string, or holding a NUL - the tree path refuses those. */
static const char *str(rb *b, const rbv *v)
{
    if (v->tag != 0x05 || memchr(v->s, 0, v->n) || v->n + 1 > b->scap - b->sused)
        return NULL;
    char *d = b->scratch + b->sused;
    memcpy(d, v->s, v->n);
    d[v->n] = '\0';
    b->sused += v->n + 1;
    return d;
}

static int is(const rbv *v, const char *s)
{
    size_t n = strlen(s);
    return v->tag == 0x05 && v->n == n && !memcmp(v->s, s, n);
}

/* A time; an event's times are mostly the same one ("at", and the times
 * a step sets), and often the event before's: read once. */
static int want_time(itsm_engine *eng, const rbv *v, itsm_time *t)
{
    if (v->tag != 0x05 || v->n != 20)
        return -1;
    if (eng->replay_t[0] && !memcmp(eng->replay_t, v->s, 20)) {
        *t = eng->replay_tv;
        return 0;
    }
    if (itsm__time_parse((const char *)v->s, v->n, t) != ITSM_OK)
        return -1;
    memcpy(eng->replay_t, v->s, 20);   /* a time read starts with a digit, never NUL */
    eng->replay_tv = *t;
    return 0;
}

/* put_set's door: every value through itsm__propose_*. */
static int put_set(itsm_engine *eng, rb *b, itsm_event *ev)
{
    for (int i = b->set; i < b->set + b->nset; i++) {
        const rbm *m = &b->in[i];
        const rbv *v = &m->val;
        int f;
        if (m->entry >= ITSM__K_FIELD0 && m->entry < ITSM__K_FIELD0 + (int)ITSM_F__COUNT)
            f = m->entry - ITSM__K_FIELD0;
        else if (m->entry < 0)
            f = itsm__policy_field_lookup(eng->policy, (const char *)m->key, m->klen);
        else   /* a custom field may bear another table key's name */
            f = itsm__policy_field_lookup(eng->policy, itsm__jwb_keyname(m->entry),
                                          strlen(itsm__jwb_keyname(m->entry)));
        if (f < 0)
            return -1;
        const itsm__field_info *fi = itsm__field_of(eng, (itsm_field)f);
        itsm_time t;
        int rc;
        switch (fi->type) {
        case ITSM_TYPE_TEXT:
        case ITSM_TYPE_SYMBOL:
        case ITSM_TYPE_ENUM:
            if (v->tag == 0x00) {
                rc = itsm__propose_str(eng, ev, (itsm_field)f, NULL, 0, ITSM__BY_REPLAY);
                break;
            }
            if (v->tag != 0x05 || v->n + 1 > b->scap - b->sused)
                return -1;
            char *d = b->scratch + b->sused;   /* NUL allowed: the value check decides */
            memcpy(d, v->s, v->n);
            d[v->n] = '\0';
            b->sused += v->n + 1;
            rc = itsm__propose_str(eng, ev, (itsm_field)f, d, v->n, ITSM__BY_REPLAY);
            break;
        case ITSM_TYPE_BOOL:
            if (v->tag != 0x01 && v->tag != 0x02)
                return -1;
            rc = itsm__propose_num(eng, ev, (itsm_field)f, v->tag == 0x02, ITSM__BY_REPLAY);
            break;
        case ITSM_TYPE_TIME:
            if (v->tag == 0x00)
                t = ITSM_TIME_NONE;
            else if (want_time(eng, v, &t))
                return -1;
            rc = itsm__propose_num(eng, ev, (itsm_field)f, t, ITSM__BY_REPLAY);
            break;
        default:
            if (v->tag == 0x00 && !fi->engine_owned) {   /* a clear, as replay.c reads it */
                rc = itsm__propose_num(eng, ev, (itsm_field)f, ITSM__CX_UNSET, ITSM__BY_REPLAY);
                break;
            }
            if (v->tag != 0x03 || v->i == ITSM__CX_UNSET)
                return -1;
            rc = itsm__propose_num(eng, ev, (itsm_field)f, v->i, ITSM__BY_REPLAY);
            break;
        }
        if (rc)
            return -1;   /* out of memory included: the tree path says it */
    }
    return 0;
}

/* A state's or event's index by name in a lifecycle, or -1. */
static int lc_find(const char *const *names, size_t n, const rbv *v)
{
    if (v->tag != 0x05 || memchr(v->s, 0, v->n))
        return -1;
    for (size_t i = 0; i < n; i++)   /* equal bytes up to v->n, and the name ends there */
        if (names[i][0] == (char)(v->n ? v->s[0] : 0) && !strncmp(names[i], (const char *)v->s, v->n) &&
            names[i][v->n] == '\0')
            return (int)i;
    return -1;
}

static const rbv *member(const rb *b, int first, int count, int entry)
{
    for (int i = first; i < first + count; i++)
        if (b->in[i].entry == entry)
            return &b->in[i].val;
    return NULL;
}

/* The type-specific part of a built-in event; 0 or -1. */
static int body(itsm_engine *eng, rb *b, itsm_event *ev, itsm_record *r, const itsm__lifecycle *lc,
                const char *id, size_t idn, itsm_kind kind, itsm_time at)
{
    const rbv *t = b->top;
    switch (ev->type) {
    case ITSM__EV_OPEN:
        if ((ev->to_state = lc_find((const char *const *)lc->states, lc->nstates, &t[ITSM__K_STATE])) < 0)
            return -1;
        ev->to_name = lc->states[ev->to_state];
        if (!(ev->rec = itsm__record_alloc(eng, id, idn, (int)kind)))
            return -1;
        ev->owns_rec = 1;
        ev->rev = 1;
        return itsm__reserve_record(eng) ? -1 : 0;
    case ITSM__EV_TRANSITION: {
        int e, fs;
        if (t[ITSM__K_EVENT].tag != 0x05 || t[ITSM__K_FROM].tag != 0x05 ||
            (ev->to_state = lc_find((const char *const *)lc->states, lc->nstates, &t[ITSM__K_TO])) < 0 ||
            (fs = lc_find((const char *const *)lc->states, lc->nstates, &t[ITSM__K_FROM])) < 0 ||
            fs != r->state ||
            (e = lc_find((const char *const *)lc->events, lc->nevents, &t[ITSM__K_EVENT])) < 0)
            return -1;
        ev->ev_name = lc->events[e];
        ev->from_name = lc->states[fs];
        ev->to_name = lc->states[ev->to_state];
        return 0;
    }
    case ITSM__EV_NOTE: {
        if (b->note < 0)
            return -1;
        for (int i = b->note; i < b->note + b->nnote; i++)
            if (b->in[i].entry != ITSM__K_KIND && b->in[i].entry != ITSM__K_TEXT &&
                b->in[i].entry != ITSM__K_EXPECTED_RESTORATION && b->in[i].entry != ITSM__K_NEXT_UPDATE)
                return -1;
        const rbv *nk = member(b, b->note, b->nnote, ITSM__K_KIND);
        const rbv *text = member(b, b->note, b->nnote, ITSM__K_TEXT), *tv;
        if (!nk || !text || nk->tag != 0x05 || text->tag != 0x05 || memchr(nk->s, 0, nk->n) ||
            memchr(text->s, 0, text->n))
            return -1;
        ev->note.kind = 0;
        for (int k = 1; k <= 3; k++)
            if (is(nk, itsm__note_kind_name(k)))
                ev->note.kind = k;
        if (!ev->note.kind || text->n == 0 || text->n > ITSM_MAX_TEXT ||
            !itsm__utf8_valid((const char *)text->s, text->n))
            return -1;
        ev->note.at = at;
        ev->note.author = ev->actor;
        ev->note.eta = ev->note.next_update = ITSM_TIME_NONE;
        if ((tv = member(b, b->note, b->nnote, ITSM__K_EXPECTED_RESTORATION)) && want_time(eng, tv, &ev->note.eta))
            return -1;
        if ((tv = member(b, b->note, b->nnote, ITSM__K_NEXT_UPDATE)) && want_time(eng, tv, &ev->note.next_update))
            return -1;
        if (!(ev->note.text = itsm__strndup(&eng->alloc, (const char *)text->s, text->n)))
            return -1;
        ev->note_owned = 1;
        return itsm__reserve_note(eng, r) ? -1 : 0;
    }
    case ITSM__EV_LINK: {
        if (b->link < 0)
            return -1;
        for (int i = b->link; i < b->link + b->nlink; i++)
            if (b->in[i].entry != ITSM__K_KIND && b->in[i].entry != ITSM__K_TARGET &&
                b->in[i].entry != ITSM__K_TARGET_KIND)
                return -1;
        const rbv *lk = member(b, b->link, b->nlink, ITSM__K_KIND);
        const rbv *target = member(b, b->link, b->nlink, ITSM__K_TARGET);
        if (!lk || !target || lk->tag != 0x05 || target->tag != 0x05 || memchr(lk->s, 0, lk->n) ||
            memchr(target->s, 0, target->n))
            return -1;
        for (int k = 1; k <= 3; k++)
            if (is(lk, itsm__link_kind_name(k)))
                ev->link_kind = k;
        if (!ev->link_kind)
            return -1;
        ev->target = itsm__find(eng, (const char *)target->s, target->n);
        if (!ev->target || ev->target == r)
            return -1;
        return itsm__reserve_link(eng, r) ? -1 : 0;
    }
    default:   /* update: only "set" */
        return 0;
    }
}

/* ---- extension classes: their own reader, on a flat tree ------------- */

/* A copy of n bytes, NUL-terminated (NUL inside allowed, as in a tree). */
static char *dup_bytes(rb *b, const unsigned char *s, size_t n)
{
    if (n + 1 > b->scap - b->sused)
        return NULL;
    char *d = b->scratch + b->sused;
    memcpy(d, s, n);
    d[n] = '\0';
    b->sused += n + 1;
    return d;
}

static int in_keys(const char *const *keys, const char *k, size_t n)
{
    for (const char *const *a = keys; a && *a; a++)
        if (strlen(*a) == n && !memcmp(*a, k, n))
            return 1;
    return 0;
}

/* Only the envelope's members and the class's own, as the tree path
 * allows; "note" or "link" objects the tree path reads. */
static int class_members_fit(const rb *b, const itsm__evclass *cls)
{
    const uint32_t envelope = 1u << ITSM__K_V | 1u << ITSM__K_TYPE | 1u << ITSM__K_RECORD | 1u << ITSM__K_KIND |
                              1u << ITSM__K_REV | 1u << ITSM__K_AT | 1u << ITSM__K_ACTOR | 1u << ITSM__K_SET;
    for (int e = 0; e < ITSM__K_FIELD0; e++) {
        if (!b->top[e].tag || ((envelope >> e) & 1u))
            continue;
        const char *name = itsm__jwb_keyname(e);
        if (e == ITSM__K_NOTE || e == ITSM__K_LINK || !in_keys(cls->keys, name, strlen(name)))
            return 0;
    }
    for (int i = 0; i < b->nx; i++) {
        const rbm *m = &b->xm[i];
        const char *name = m->entry >= 0 ? itsm__jwb_keyname(m->entry) : (const char *)m->key;
        size_t n = m->entry >= 0 ? strlen(name) : m->klen;
        if (!in_keys(cls->keys, name, n))
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
    case 0x05:
        j->type = ITSM__JSTRING;
        j->u.str.len = v->n;
        return (j->u.str.s = dup_bytes(b, v->s, v->n)) ? 0 : -1;
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
            return dup_bytes(b, m->key, m->klen);
        }
        k = itsm__jwb_keyname(m->entry);
    }
    *n = strlen(k);
    return k;
}

/* The class reads its members from the event's tree: made flat here, of
 * the decoded members, in their order. */
static int read_class(itsm_engine *eng, rb *b, itsm_event *ev, const itsm__evclass *cls)
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
                                           : dup_bytes(b, s->key, s->klen);
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

/* The members each built-in type may have besides v .. actor and set
 * (the tree path allows every one of v .. set on every built-in type and
 * ignores the others; here an unused member is handed back). */
static int members_fit(const rb *b, int type)
{
    static const uint32_t own[] = {
        [ITSM__EV_OPEN] = 1u << ITSM__K_STATE,
        [ITSM__EV_UPDATE] = 0,
        [ITSM__EV_TRANSITION] = 1u << ITSM__K_EVENT | 1u << ITSM__K_FROM | 1u << ITSM__K_TO,
        [ITSM__EV_NOTE] = 1u << ITSM__K_NOTE,
        [ITSM__EV_LINK] = 1u << ITSM__K_LINK,
    };
    uint32_t allowed = own[type] | 1u << ITSM__K_V | 1u << ITSM__K_TYPE | 1u << ITSM__K_RECORD |
                       1u << ITSM__K_KIND | 1u << ITSM__K_REV | 1u << ITSM__K_AT | 1u << ITSM__K_ACTOR |
                       1u << ITSM__K_SET;
    for (int e = 0; e < ITSM__K_FIELD0; e++)
        if (b->top[e].tag && !((allowed >> e) & 1u))
            return 0;
    return 1;
}

static int replay_fast(itsm_engine *eng, rb *b)
{
    if (decode(b))
        return ITSM__REPLAY_TREE;
    const rbv *t = b->top;
    int type = 0;
    for (int k = ITSM__EV_OPEN; k <= ITSM__EV_LINK && !type; k++)
        type = is(&t[ITSM__K_TYPE], itsm__event_type_name(k)) ? k : 0;
    const itsm__evclass *cls = NULL;
    if (!type) {   /* a capability's class; a policy document is the tree path's */
        const char *name = str(b, &t[ITSM__K_TYPE]);
        if (!name || !strcmp(name, "policy") || !(cls = itsm__evclass_find(name)) || !class_members_fit(b, cls))
            return ITSM__REPLAY_TREE;
        type = ITSM__EV_EXT;
    } else if (b->nx || !members_fit(b, type)) {
        return ITSM__REPLAY_TREE;
    }
    if (t[ITSM__K_V].tag != 0x03 || t[ITSM__K_V].i != 1 || t[ITSM__K_REV].tag != 0x03 || t[ITSM__K_REV].i < 1)
        return ITSM__REPLAY_TREE;
    const char *id = str(b, &t[ITSM__K_RECORD]), *kindname = str(b, &t[ITSM__K_KIND]);
    itsm_kind kind;
    itsm_time at;
    if (!id || !kindname || t[ITSM__K_AT].tag != 0x05 || memchr(t[ITSM__K_AT].s, 0, t[ITSM__K_AT].n) ||
        itsm_kind_from_name(&kind, kindname) != ITSM_OK || !itsm__id_valid(id, t[ITSM__K_RECORD].n) ||
        want_time(eng, &t[ITSM__K_AT], &at))
        return ITSM__REPLAY_TREE;
    size_t idn = t[ITSM__K_RECORD].n;
    uint64_t rev = (uint64_t)t[ITSM__K_REV].i;
    const itsm__lifecycle *lc = itsm__lifecycle_of(eng, (int)kind);
    if (itsm__lc_initial(lc) < 0)
        return ITSM__REPLAY_TREE;
    itsm_record *r = itsm__find(eng, id, idn);
    /* Only the next revision of a record of that kind, or revision 1 of a
     * new one: a duplicate, a gap, an event for a record the store never
     * opened is the tree path's to judge and name. */
    if (r ? (r->kind != kind || type == ITSM__EV_OPEN || rev != r->rev + 1) : (type != ITSM__EV_OPEN || rev != 1))
        return ITSM__REPLAY_TREE;
    unsigned char carried[32];
    if (b->hash.tag && (b->hash.tag != 0x05 || itsm__unhex32((const char *)b->hash.s, b->hash.n, carried)))
        return ITSM__REPLAY_TREE;
    int pv = 0;
    if (b->pv.tag &&
        (b->pv.tag != 0x05 || b->pv.n != 16 || (pv = itsm__versions_find(eng, (const char *)b->pv.s, 16)) < 0))
        return ITSM__REPLAY_TREE;
    /* The actor: the event before's again (checked and interned then), or
     * checked now. */
    const rbv *av = &t[ITSM__K_ACTOR];
    const char *actor = NULL;
    if (av->tag == 0x05 && eng->replay_actor && av->n == eng->replay_nactor &&
        !memcmp(eng->replay_actor, av->s, av->n)) {
        actor = eng->replay_actor;
    } else if (av->tag) {
        itsm__errbuf why;
        if (av->tag != 0x05 || itsm__check_symbol(&why, "actor", NULL, (const char *)av->s, av->n))
            return ITSM__REPLAY_TREE;
    }
    if (t[ITSM__K_SET].tag && t[ITSM__K_SET].tag != 0x07)
        return ITSM__REPLAY_TREE;

    itsm__batch_begin(eng);
    itsm_event *ev = itsm__batch_add(eng, type, r, at);
    if (!ev)
        return ITSM__REPLAY_TREE;
    ev->replayed = 1;
    ev->pv = (uint16_t)pv;
    ev->no_pv = !b->pv.tag;
    if (b->hash.tag) {
        ev->chained = 1;
        memcpy(ev->chain, carried, sizeof carried);
    }
    if (av->tag && !actor) {
        if (!(actor = itsm__intern(eng, (const char *)av->s, av->n))) {
            itsm__batch_abort(eng);
            return ITSM__REPLAY_TREE;
        }
        eng->replay_actor = actor;
        eng->replay_nactor = av->n;
    }
    ev->actor = actor;
    if ((b->set >= 0 && put_set(eng, b, ev)) ||
        (type == ITSM__EV_EXT ? read_class(eng, b, ev, cls) : body(eng, b, ev, r, lc, id, idn, kind, at))) {
        itsm__batch_abort(eng);
        return ITSM__REPLAY_TREE;
    }
    itsm_record *opened = type == ITSM__EV_OPEN ? ev->rec : NULL;
    /* From here the step is the tree path's own (finalise, the chain's
     * check of the link it carries, apply): its refusals are final. */
    int rc = itsm__batch_replay(eng);
    if (rc)
        return rc;
    if (opened)
        itsm__bump_seq(eng, (int)kind, opened->id);
    return ITSM_OK;
}

int itsm__replay_bin(itsm_engine *eng, const void *data, size_t len)
{
    size_t max_doc = eng->limits.max_document ? eng->limits.max_document : ITSM_JSON_DEFAULT_MAX_DOCUMENT;
    size_t depth = eng->limits.max_depth ? eng->limits.max_depth : ITSM_JSON_DEFAULT_MAX_DEPTH;
    if (eng->rejudge || eng->replay_tree || len > max_doc || depth < 2)
        return ITSM__REPLAY_TREE;
    rb b;
    /* Only the fields decode() reads before it writes them. */
    memset(b.top, 0, sizeof b.top);
    b.pv.tag = b.hash.tag = 0;
    b.nin = b.ntop = b.nx = 0;
    b.p = data;
    b.n = len;
    b.max_string = eng->limits.max_string ? eng->limits.max_string : ITSM_JSON_DEFAULT_MAX_STRING;
    char stack[RB_STACK];
    b.scratch = stack;
    b.scap = sizeof stack;
    b.sused = 0;
    if (len + 16 > RB_STACK / 2) {   /* every string and its NUL fits twice the input */
        b.scap = 2 * len + 16;
        if (!(b.scratch = itsm__malloc(&eng->alloc, b.scap)))
            return ITSM__REPLAY_TREE;
    }
    int rc = replay_fast(eng, &b);
    if (b.scratch != stack)
        itsm__free(&eng->alloc, b.scratch);
    return rc;
}
