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
#include "core/replay_bin_int.h"
#include "core/replay_int.h"
#include "kit/hash.h"
#include "kit/json.h"
#include "kit/json_bin.h"
#include "kit/sha256.h"
#include "kit/value.h"

#include <stddef.h>
#include <string.h>

/* Events up to this size copy their strings (NUL-terminated, for the
 * callees that take C strings) on the stack; longer ones into the heap. */
#define RB_STACK 2048

/* A string member as a C string (the callees take C strings): NULL when
 * absent, not a string, not UTF-8 or holding a NUL - the tree path
 * refuses those. */
static const char *str(rb *b, const rbv *v)
{
    return v->tag != 0x05 || itsm__rb_check(v) ? NULL : itsm__rb_dup(b, v->s, v->n);
}

/* Whether n bytes at a and at b are the same: eight at a time (the last
 * eight overlapping), or under eight in two overlapping loads a side
 * (kit/hash.h); both hold n bytes at least. */
static inline int same_bytes(const unsigned char *a, const unsigned char *b, size_t n)
{
    uint64_t x, y;
    if (n < 8)
        return !n || itsm__tail_bytes((const char *)a, n, 0) == itsm__tail_bytes((const char *)b, n, 0);
    for (size_t i = 0; i + 8 < n; i += 8) {
        memcpy(&x, a + i, 8);
        memcpy(&y, b + i, 8);
        if (x != y)
            return 0;
    }
    memcpy(&x, a + n - 8, 8);
    memcpy(&y, b + n - 8, 8);
    return x == y;
}

/* Whether the n bytes b, holding no NUL, are the C string s: the first
 * byte apart (most names differ there), then s's length (strlen reads
 * only s) and the bytes eight at a time. */
static inline int named(const char *s, const unsigned char *b, size_t n)
{
    if (n == 0)
        return s[0] == '\0';
    if (s[0] != (char)b[0])
        return 0;
    return strlen(s) == n && same_bytes((const unsigned char *)s, b, n);
}

/* Whether a string member is the C string s. */
static inline int is(const rbv *v, const char *s)
{
    return v->tag == 0x05 && !v->nul && named(s, v->s, v->n);
}

/* The record of an id (n bytes, no NUL), and its place in eng->recs:
 * the event before's again, or found in the index (its id then checked
 * first). */
static itsm_record *record_of(itsm_engine *eng, const char *id, size_t n, int *bad)
{
    size_t pos = eng->replay_pos;
    /* replay_nid is that record's id length: its bytes compared at once */
    if (n && pos < eng->nrecs && n == eng->replay_nid &&
        same_bytes((const unsigned char *)eng->recs[pos]->id, (const unsigned char *)id, n))
        return eng->recs[pos];
    if (!itsm__id_valid(id, n)) {
        *bad = 1;
        return NULL;
    }
    itsm__hprobe it = itsm__htab_probe(&eng->ids, itsm__htab_hash(&eng->ids, id, n));
    for (long p; (p = itsm__htab_next(&eng->ids, &it)) >= 0;) {
        itsm_record *r = eng->recs[p];
        if (named(r->id, (const unsigned char *)id, n)) {
            eng->replay_pos = (size_t)p;
            eng->replay_nid = n;
            return r;
        }
    }
    return NULL;
}

/* The eight bytes at s as a little-endian number. */
static inline uint64_t load_le64(const unsigned char *s)
{
    uint64_t w = 0;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    memcpy(&w, s, 8);
#else
    for (int i = 0; i < 8; i++)
        w |= (uint64_t)s[i] << (8 * i);
#endif
    return w;
}

/* The time of day "HH:MM:SS" ending a time's 20 bytes at s ("...THH:MM:SSZ"),
 * in seconds, checked as itsm__time_parse checks it; or -1. Its eight
 * bytes are checked as one number: each byte xor what it must be ('0'
 * for a digit, ':') is 0..9 for a digit and 0 for the colon. */
static inline int time_of_day(const unsigned char *s)
{
    const uint64_t highs = 0xF0F0F0F0F0F0F0F0u, colons = 0x0000FF0000FF0000u;
    uint64_t x = load_le64(s + 11) ^ 0x30303A30303A3030u;
    if (s[10] != 'T' || s[19] != 'Z' || ((x | (x + 0x0606060606060606u)) & highs) || (x & colons))
        return -1;
    unsigned h = (unsigned)(x & 0xff) * 10 + (unsigned)(x >> 8 & 0xff);
    unsigned mi = (unsigned)(x >> 24 & 0xff) * 10 + (unsigned)(x >> 32 & 0xff);
    unsigned sec = (unsigned)(x >> 48 & 0xff) * 10 + (unsigned)(x >> 56);
    if (h > 23 || mi > 59 || sec > 59)
        return -1;
    return (int)(h * 3600 + mi * 60 + sec);
}

/* A time; an event's times are mostly the same one ("at", and the times
 * a step sets), and often the event before's: read once. Else its day is
 * mostly the event before's (a store comes in time order), or one met
 * before (a record's events come over a few days): found in the day
 * slots; then only the time of day is read (as itsm__time_parse reads
 * it). The bytes are compared eight at a time. */
static int want_time(itsm_engine *eng, const rbv *v, itsm_time *t)
{
    if (v->tag != 0x05 || v->n != 20)
        return -1;
    const unsigned char *s = v->s;
    uint64_t a, x, b, y;
    uint32_t c, z;
    memcpy(&a, s, 8);
    memcpy(&x, eng->replay_t, 8);
    memcpy(&b, s + 8, 8);
    memcpy(&y, eng->replay_t + 8, 8);
    if (eng->replay_t[0] && a == x && s[8] == (unsigned char)eng->replay_t[8] &&
        s[9] == (unsigned char)eng->replay_t[9]) {   /* the day before's */
        memcpy(&c, s + 16, 4);
        memcpy(&z, eng->replay_t + 16, 4);
        if (b == y && c == z) {
            *t = eng->replay_tv;
            return 0;
        }
        int tod = time_of_day(s);
        if (tod < 0)
            return -1;
        *t = eng->replay_tv - eng->replay_tv % 86400 + tod;   /* times are >= 0 */
    } else {
        /* by the month's last digit and the day: "YYYY-MM-DD" */
        unsigned slot = ((unsigned)s[6] * 31u + (unsigned)s[8] * 10u + (unsigned)s[9]) & (ITSM__REPLAY_DAYS - 1);
        char *day = eng->replay_day[slot];
        int tod;
        if (day[0] && !memcmp(day, s, 10)) {
            if ((tod = time_of_day(s)) < 0)
                return -1;
            *t = eng->replay_dayv[slot] + tod;
        } else {
            if (itsm__time_parse((const char *)s, 20, t) != ITSM_OK)
                return -1;
            memcpy(day, s, 10);   /* a time read starts with a digit, never NUL */
            eng->replay_dayv[slot] = *t - *t % 86400;   /* times are >= 0 */
        }
    }
    memcpy(eng->replay_t, s, 20);
    eng->replay_tv = *t;
    return 0;
}


/* A symbol's slot among eng->replay_sym, by its bytes (its first and last
 * eight). */
static inline unsigned sym_slot(const unsigned char *b, size_t n)
{
    uint64_t w = n, x;
    if (n >= 8) {
        memcpy(&x, b, 8);
        w ^= x;
        memcpy(&x, b + n - 8, 8);
        w ^= x * 0xff51afd7ed558ccdu;
    } else {
        for (size_t i = 0; i < n; i++)
            w = w * 131 + b[i];
    }
    return (unsigned)((w * 0x9e3779b97f4a7c15u) >> 48) & (ITSM__REPLAY_SYMS - 1);
}

/* The interned symbol whose bytes a string member holds, when the replay
 * met it before (interned: it passed the symbol check), or NULL. */
static inline const char *sym_met(const itsm_engine *eng, const rbv *v)
{
    uint32_t id = eng->replay_sym[sym_slot(v->s, v->n)];
    if (!id || v->nul)
        return NULL;
    const struct itsm__sym *e = &eng->syms[id - 1];
    return e->n == v->n && same_bytes((const unsigned char *)e->s, v->s, v->n) ? e->s : NULL;
}

int itsm__replay_time(itsm_engine *eng, const char *s, size_t n, itsm_time *t)
{
    rbv v = { .s = (const unsigned char *)s, .n = n, .tag = 0x05 };
    return want_time(eng, &v, t);
}

const char *itsm__replay_symbol(itsm_engine *eng, const char *s, size_t n)
{
    rbv v = { .s = (const unsigned char *)s, .n = n, .tag = 0x05 };
    const char *sym = sym_met(eng, &v);
    if (sym)
        return sym;
    /* the symbol table holds only values that pass the symbol check */
    itsm__errbuf why;
    uint32_t hash;
    if (!(sym = itsm__intern_find(eng, s, n, &hash)) &&
        (itsm__check_symbol(&why, "name", NULL, s, n) || !(sym = itsm__intern_add(eng, s, n, hash))))
        return NULL;
    eng->replay_sym[sym_slot(v.s, n)] = itsm__sym_id(sym);
    return sym;
}

/* The field a member of "set" names, or -1. */
static inline int field_of(const itsm_engine *eng, const rbm *m)
{
    if (m->entry >= ITSM__K_FIELD0 && m->entry < ITSM__K_FIELD0 + (int)ITSM_F__COUNT)
        return m->entry - ITSM__K_FIELD0;
    if (m->entry < 0)
        return itsm__policy_field_lookup(eng->policy, (const char *)m->key, m->klen);
    /* a custom field may bear another table key's name */
    return itsm__policy_field_lookup(eng->policy, itsm__jwb_keyname(m->entry), strlen(itsm__jwb_keyname(m->entry)));
}

/* The room a new record's block keeps for the texts it opens with, as
 * itsm_record_open's grows to (itsm__text_inline): its short built-in
 * texts then go inside the block (itsm__text_inline) in the order they
 * are proposed, without a chunk of their own. */
static size_t text_room(const itsm_engine *eng, const rb *b)
{
    size_t room = 0;
    for (int i = b->set; i < b->set + b->nset; i++) {
        const rbm *m = &b->in[i];
        int f = field_of(eng, m);
        if (f < 0 || itsm__field_custom(f) || itsm__fields[f].type != ITSM_TYPE_TEXT || m->val.tag != 0x05)
            continue;
        size_t len = m->val.n < ITSM__TEXT_INLINE ? m->val.n : ITSM__TEXT_INLINE;
        if (room + len + 1 <= ITSM__TEXT_INLINE)
            room += len + 1;
    }
    return room;
}

/* put_set's door: every value through itsm__propose_*. */
static int put_set(itsm_engine *eng, rb *b, itsm_event *ev)
{
    for (int i = b->set; i < b->set + b->nset; i++) {
        const rbm *m = &b->in[i];
        const rbv *v = &m->val;
        int f = field_of(eng, m);
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
            const char *sym;
            if (fi->type == ITSM_TYPE_SYMBOL && (sym = sym_met(eng, v))) {
                rc = itsm__propose_known_replayed(eng, ev, (itsm_field)f, sym);
                break;
            }
            char *d = b->scratch + b->sused;   /* NUL allowed: the value check decides */
            memcpy(d, v->s, v->n);
            d[v->n] = '\0';
            b->sused += v->n + 1;
            rc = itsm__propose_str(eng, ev, (itsm_field)f, d, v->n, ITSM__BY_REPLAY);
            if (!rc && fi->type == ITSM_TYPE_SYMBOL && ev->changes[ev->nchanges - 1].field == (itsm_field)f &&
                ev->changes[ev->nchanges - 1].str)   /* its interned copy, met next time */
                eng->replay_sym[sym_slot(v->s, v->n)] = itsm__sym_id(ev->changes[ev->nchanges - 1].str);
            break;
        case ITSM_TYPE_BOOL:
            if (v->tag != 0x01 && v->tag != 0x02)
                return -1;
            rc = itsm__propose_num_replayed(eng, ev, (itsm_field)f, v->tag == 0x02);
            break;
        case ITSM_TYPE_TIME:
            if (v->tag == 0x00)
                t = ITSM_TIME_NONE;
            else if (want_time(eng, v, &t))
                return -1;
            rc = itsm__propose_num_replayed(eng, ev, (itsm_field)f, t);
            break;
        default:
            if (v->tag == 0x00 && !fi->engine_owned) {   /* a clear, as replay.c reads it */
                rc = itsm__propose_num(eng, ev, (itsm_field)f, ITSM__CX_UNSET, ITSM__BY_REPLAY);
                break;
            }
            if (v->tag != 0x03 || v->i == ITSM__CX_UNSET)
                return -1;
            rc = itsm__propose_num_replayed(eng, ev, (itsm_field)f, v->i);
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
    if (v->tag != 0x05 || v->nul)
        return -1;
    for (size_t i = 0; i < n; i++)
        if (is(v, names[i]))
            return (int)i;
    return -1;
}

/* Whether a string member is the C string `name`, which *m remembers when
 * it is the name met there last: its length then known (names stay where
 * they are: engine_int.h), else measured and remembered. */
static inline int lc_named(const char *name, const rbv *v, struct itsm__replay_lcname *m)
{
    if (v->tag != 0x05)
        return 0;
    if (m->name == name)
        return v->n == m->n && same_bytes((const unsigned char *)name, v->s, v->n);
    if (!named(name, v->s, v->n))
        return 0;
    m->name = name;
    m->n = v->n;
    return 1;
}

/* Whether v is the name *m remembers (still names[m->i]). */
static inline int lc_met(const char *const *names, size_t n, const rbv *v, struct itsm__replay_lcname *m)
{
    return m->name && m->i < n && names[m->i] == m->name && lc_named(m->name, v, m);
}

/* lc_find, trying first the names found the last two times (*m, then
 * *m2, the one before), which a store's transitions from one state mostly
 * repeat; *m is then the name found, *m2 the other. lc_find_at tries *m
 * inline, lc_find_miss the rest. */
static int lc_find_miss(const char *const *names, size_t n, const rbv *v, struct itsm__replay_lcname *m,
                        struct itsm__replay_lcname *m2)
{
    struct itsm__replay_lcname was = *m;
    if (lc_met(names, n, v, m2)) {
        *m = *m2;
        *m2 = was;
        return (int)m->i;
    }
    int i = lc_find(names, n, v);
    if (i >= 0) {
        *m2 = was;
        m->name = names[i];
        m->n = v->n;
        m->i = (size_t)i;
    }
    return i;
}

static inline int lc_find_at(const char *const *names, size_t n, const rbv *v, struct itsm__replay_lcname *m,
                             struct itsm__replay_lcname *m2)
{
    return lc_met(names, n, v, m) ? (int)m->i : lc_find_miss(names, n, v, m, m2);
}

static const rbv *member(const rb *b, int first, int count, int entry)
{
    for (int i = first; i < first + count; i++)
        if (b->in[i].entry == entry)
            return &b->in[i].val;
    return NULL;
}

/* An open event's record, in the state it names, with the room for the
 * texts of its "set" (before they are proposed); 0 or -1. */
static int open_record(itsm_engine *eng, const rb *b, itsm_event *ev, const itsm__lifecycle *lc, const char *id,
                       size_t idn, int kind)
{
    if ((ev->to_state = lc_find((const char *const *)lc->states, lc->nstates, &b->top[ITSM__K_STATE])) < 0)
        return -1;
    ev->to_name = lc->states[ev->to_state];
    if (!(ev->rec = itsm__record_alloc_room(eng, id, idn, kind, b->set >= 0 ? text_room(eng, b) : 0)))
        return -1;
    ev->owns_rec = 1;
    ev->id_hash = itsm__id_hash(eng, id, idn);
    ev->rev = 1;
    return 0;
}

/* The type-specific part of a built-in event; 0 or -1. */
static int body(itsm_engine *eng, rb *b, itsm_event *ev, itsm_record *r, const itsm__lifecycle *lc, itsm_time at)
{
    const rbv *t = b->top;
    switch (ev->type) {
    case ITSM__EV_OPEN:   /* the record is there (open_record) */
        return itsm__reserve_record(eng) ? -1 : 0;
    case ITSM__EV_TRANSITION: {
        int e, fs;
        struct itsm__replay_lcname *m;
        /* "from" can only be the record's state: one comparison */
        if (t[ITSM__K_EVENT].tag != 0x05 || (size_t)(fs = r->state) >= lc->nstates ||
            !lc_named(lc->states[fs], &t[ITSM__K_FROM], (m = eng->replay_lc[r->kind][fs & 15]) + 2) ||
            (ev->to_state = lc_find_at((const char *const *)lc->states, lc->nstates, &t[ITSM__K_TO], m, m + 3)) < 0 ||
            (e = lc_find_at((const char *const *)lc->events, lc->nevents, &t[ITSM__K_EVENT], m + 1, m + 4)) < 0)
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
        if (!nk || !text || nk->tag != 0x05 || text->tag != 0x05 || nk->nul || text->nul)
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
        if (!lk || !target || lk->tag != 0x05 || target->tag != 0x05 || lk->nul || target->nul)
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
    return !(b->topmask & ~allowed);
}

/* The built-in types' and the kinds' names as the writer writes them
 * (core/event.c, core/fields.c; docs/events.md), with their lengths: a
 * member is compared with one name, found by its first byte, without
 * measuring the name each time. */
typedef struct known_name {
    const char *s;
    size_t      n;
} known_name;
#define KNOWN(s) { s, sizeof s - 1 }
static const known_name type_names[] = { { NULL, 0 },       KNOWN("open"), KNOWN("update"),
                                         KNOWN("transition"), KNOWN("note"), KNOWN("link") };
static const known_name kind_names[ITSM_KIND_COUNT + 1] = { { NULL, 0 },       KNOWN("incident"),
                                                            KNOWN("service_request"), KNOWN("problem"),
                                                            KNOWN("change"),   KNOWN("knowledge") };
#undef KNOWN

/* Whether a string member is the known name k. */
static inline int is_known(const rbv *v, const known_name *k)
{
    return v->tag == 0x05 && !v->nul && v->n == k->n && same_bytes((const unsigned char *)k->s, v->s, k->n);
}

/* The built-in type a member names, or 0: the one name of its first byte
 * compared (a name that matches none is looked up among the extension
 * classes). */
static int type_of(const rbv *v)
{
    if (v->tag != 0x05 || v->n == 0)
        return 0;
    int k = 0;
    switch (v->s[0]) {
    case 'o': k = ITSM__EV_OPEN; break;
    case 'u': k = ITSM__EV_UPDATE; break;
    case 't': k = ITSM__EV_TRANSITION; break;
    case 'n': k = ITSM__EV_NOTE; break;
    case 'l': k = ITSM__EV_LINK; break;
    default: return 0;
    }
    return is_known(v, &type_names[k]) ? k : 0;
}

/* The kind a member names, or 0, the same way. */
static int kind_of(const rbv *v)
{
    if (v->tag != 0x05 || v->n == 0)
        return 0;
    int k = 0;
    switch (v->s[0]) {
    case 'i': k = ITSM_KIND_INCIDENT; break;
    case 's': k = ITSM_KIND_SERVICE_REQUEST; break;
    case 'p': k = ITSM_KIND_PROBLEM; break;
    case 'c': k = ITSM_KIND_CHANGE; break;
    case 'k': k = ITSM_KIND_KNOWLEDGE; break;
    default: return 0;
    }
    return is_known(v, &kind_names[k]) ? k : 0;
}

static int replay_fast(itsm_engine *eng, rb *b)
{
    if (itsm__rb_decode_replay(b))
        return ITSM__REPLAY_TREE;
    const rbv *t = b->top;
    int type = type_of(&t[ITSM__K_TYPE]);
    const itsm__evclass *cls = NULL;
    if (!type) {   /* a capability's class (mostly the one before's); a policy document is the tree path's */
        const char *name;
        if (eng->replay_cls && is(&t[ITSM__K_TYPE], eng->replay_cls->name)) {
            cls = eng->replay_cls;
        } else {
            if (!(name = str(b, &t[ITSM__K_TYPE])) || !strcmp(name, "policy") || !(cls = itsm__evclass_find(name)))
                return ITSM__REPLAY_TREE;
            eng->replay_cls = cls;
            itsm__rb_class_keys(cls, eng->replay_cls_keys, eng->replay_cls_at);
        }
        if (!itsm__rb_class_fits(b, cls, eng->replay_cls_keys))
            return ITSM__REPLAY_TREE;
        type = ITSM__EV_EXT;
    } else if (b->nx || !members_fit(b, type)) {
        return ITSM__REPLAY_TREE;
    }
    if (t[ITSM__K_V].tag != 0x03 || t[ITSM__K_V].i != 1 || t[ITSM__K_REV].tag != 0x03 || t[ITSM__K_REV].i < 1)
        return ITSM__REPLAY_TREE;
    /* the id's bytes as they are: the id check refuses a NUL, and the
     * callees take a length */
    const char *id = (const char *)t[ITSM__K_RECORD].s;
    size_t idn = t[ITSM__K_RECORD].n;
    int kind = kind_of(&t[ITSM__K_KIND]);
    itsm_time at;
    if (t[ITSM__K_RECORD].tag != 0x05 || !kind || want_time(eng, &t[ITSM__K_AT], &at))
        return ITSM__REPLAY_TREE;
    uint64_t rev = (uint64_t)t[ITSM__K_REV].i;
    const itsm__lifecycle *lc = itsm__lifecycle_of(eng, (int)kind);
    if (itsm__lc_initial(lc) < 0)
        return ITSM__REPLAY_TREE;
    int bad_id = t[ITSM__K_RECORD].nul;   /* the id check refuses a NUL */
    itsm_record *r = bad_id ? NULL : record_of(eng, id, idn, &bad_id);
    if (bad_id)
        return ITSM__REPLAY_TREE;
    /* Only the next revision of a record of that kind, or revision 1 of a
     * new one: a duplicate, a gap, an event for a record the store never
     * opened is the tree path's to judge and name. */
    if (r ? (r->kind != kind || type == ITSM__EV_OPEN || rev != r->rev + 1) : (type != ITSM__EV_OPEN || rev != 1))
        return ITSM__REPLAY_TREE;
    unsigned char carried[32];
    if (b->hash.tag && (b->hash.tag != 0x05 || itsm__unhex32((const char *)b->hash.s, b->hash.n, carried)))
        return ITSM__REPLAY_TREE;
    /* The policy version: mostly the event before's, its id compared at
     * once; else found among the engine's. */
    int pv = 0;
    if (b->pv.tag) {
        if (b->pv.tag != 0x05 || b->pv.n != 16)
            return ITSM__REPLAY_TREE;
        pv = eng->replay_pv;
        if ((size_t)pv >= eng->nvers || !same_bytes((const unsigned char *)eng->vers[pv]->id, b->pv.s, 16)) {
            if ((pv = itsm__versions_find(eng, (const char *)b->pv.s, 16)) < 0)
                return ITSM__REPLAY_TREE;
            eng->replay_pv = pv;
        }
    }
    /* The actor: the event before's again, or one interned already (the
     * symbol table holds only symbols that passed the symbol check), or
     * checked now and interned below. */
    const rbv *av = &t[ITSM__K_ACTOR];
    const char *actor = NULL;
    uint32_t ahash = 0;
    if (av->tag == 0x05 && eng->replay_actor && av->n == eng->replay_nactor &&
        same_bytes((const unsigned char *)eng->replay_actor, av->s, av->n)) {
        actor = eng->replay_actor;
    } else if (av->tag == 0x05 && (actor = sym_met(eng, av))) {
        /* met before */
    } else if (av->tag) {
        itsm__errbuf why;
        if (av->tag != 0x05 ||
            (!(actor = itsm__intern_find(eng, (const char *)av->s, av->n, &ahash)) &&
             itsm__check_symbol(&why, "actor", NULL, (const char *)av->s, av->n)))
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
    if (av->tag && !actor && !(actor = itsm__intern_add(eng, (const char *)av->s, av->n, ahash))) {
        itsm__batch_abort(eng);
        return ITSM__REPLAY_TREE;
    }
    if (actor) {
        eng->replay_actor = actor;
        eng->replay_nactor = av->n;
        eng->replay_sym[sym_slot(av->s, av->n)] = itsm__sym_id(actor);
    }
    ev->actor = actor;
    if ((type == ITSM__EV_OPEN && open_record(eng, b, ev, lc, id, idn, kind)) || (b->set >= 0 && put_set(eng, b, ev)) ||
        (type == ITSM__EV_EXT ? itsm__rb_read_class(eng, b, ev, cls) : body(eng, b, ev, r, lc, at))) {
        itsm__batch_abort(eng);
        return ITSM__REPLAY_TREE;
    }
    itsm_record *opened = type == ITSM__EV_OPEN ? ev->rec : NULL;
    /* From here the step is the tree path's own (finalise, the chain's
     * check of the link it carries, apply): its refusals are final. */
    /* The stored bytes before the "hash" member, when it is written last
     * as the library writes it (core/event.c): the chain checks its link
     * over them. Its 64 digits ending where the object's end byte begins
     * (the input's last) make it the last member: members follow each
     * other, each read whole. */
    static const unsigned char hkey[] = { 0x01, 0x04, 'h', 'a', 's', 'h', 0x05, 0x40 };
    if (b->hash.tag && b->hash.n == 64 && b->hash.s == b->p + b->n - 65 &&
        !memcmp(b->hash.s - sizeof hkey, hkey, sizeof hkey)) {
        eng->replay_body = b->p;
        eng->replay_nbody = b->n - 65 - sizeof hkey;
    }
    /* Final as it was read: what itsm__finalise does with a replayed
     * event (it derives nothing), so the commit goes straight on. */
    if (eng->nbatch == 1) {
        ev->final = 1;
        eng->unfinal = 0;
    }
    int rc = itsm__batch_replay(eng);
    eng->replay_body = NULL;
    if (rc)
        return rc;
    if (opened) {
        itsm__bump_seq(eng, (int)kind, opened->id);
        if (eng->nrecs && eng->recs[eng->nrecs - 1] == opened) {   /* its place, for its next events */
            eng->replay_pos = eng->nrecs - 1;
            eng->replay_nid = idn;
        }
    }
    return ITSM_OK;
}

int itsm__replay_bin(itsm_engine *eng, const void *data, size_t len)
{
    size_t max_doc = eng->limits.max_document ? eng->limits.max_document : ITSM_JSON_DEFAULT_MAX_DOCUMENT;
    size_t depth = eng->limits.max_depth ? eng->limits.max_depth : ITSM_JSON_DEFAULT_MAX_DEPTH;
    if (eng->rejudge || eng->replay_tree || len > max_doc || depth < 2)
        return ITSM__REPLAY_TREE;
    rb b;
    /* Only the fields decode() reads before it writes them, and the
     * top members' tags: an absent member reads as tag 0 (the decoder
     * writes a present one whole). */
#if defined(__GNUC__)
#pragma GCC unroll 32
#endif
    for (int e = 0; e < ITSM__K_FIELD0; e++)   /* unrolled: a store each */
        b.top[e].tag = 0;
    b.pv.tag = b.hash.tag = 0;
    b.topmask = 0;
    b.nin = b.nx = 0;
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
