/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The binary event form (docs/events.md, "Binary form"): the same tree as
 * an event's JSON, in fewer bytes and without text to scan. Written by the
 * JSON writer's own calls in binary mode, so every event - extension
 * classes and custom fields included - has it; read into the same tree
 * the JSON reader makes, so replay checks both forms with one code.
 *
 *   document  0xE5, version 1, one value, nothing after it
 *   value     0x00 null | 0x01 false | 0x02 true
 *             | 0x03 varint  a whole number, zigzag (int64)
 *             | 0x04 8 bytes a number that is not a whole int64, IEEE 754
 *                            binary64 little-endian, finite
 *             | 0x05 varint n, n bytes   a string: UTF-8 (NUL allowed)
 *             | 0x06 value* 0x08         an array
 *             | 0x07 member* 0x00        an object
 *   member    key value
 *   key       varint k: k >= 2 the key table's entry k - 2;
 *             k = 1: varint n, n bytes of a key not in the table
 *   varint    unsigned LEB128, shortest form only
 *
 * One event has one binary form: the shortest encodings, table keys by
 * their number, whole numbers as 0x03. The table below is version 1's and
 * never changes; a key added to the library later is written inline.
 */
#include "kit/json_int.h"
#include "kit/json_bin.h"
#include "kit/bin_read.h"

/* ---- the key table of version 1 ---------------------------------------- */

static const char *const keytab[] = {
    "v", "type", "record", "kind", "rev", "at", "actor", "state", "event", "from", "to", "note", "link", "set",
    "text", "expected_restoration", "next_update", "target", "target_kind",
    "summary", "description", "caller", "contact_verified", "service", "ci", "category", "subcategory", "impact",
    "urgency", "priority", "assignment_group", "assignee", "functional_level", "hierarchical_level", "major",
    "hold_reason", "workaround", "no_workaround", "cause", "resolution_code", "resolution_notes",
    "close_justification", "knowledge_decision", "change_type", "opened_at", "responded_at", "resolved_at",
    "closed_at", "updated_at", "reassignments", "reopens",
    "timer", "due", "deadline", "sla", "level", "groups", "accepted", "reason", "audience", "handover", "seq", "by",
    "score", "missing", "packet",
};
#define NKEYS (sizeof keytab / sizeof keytab[0])
_Static_assert(NKEYS == ITSM__K_NKEYS, "the key table and its count agree");

/* FNV-1a (32 bits) of a key, modulo 256, probed linearly: the entry + 1
 * of the key table (0: empty). Made once from the table above; the tests
 * check every key is found at its place. */
static const unsigned char keyslot[256] = {
     0,  0, 43, 14,  0,  0,  0, 65,  0, 30,  0, 47,  0,  0,  0,  0,
     0,  0,  0, 20,  0,  0,  0,  0,  0, 59,  0,  0,  0,  0,  0,  0,
    39, 27, 52,  0, 11, 17,  0,  0,  0,  0, 32,  0,  0, 41,  0,  0,
    23, 33,  0,  0,  0, 53, 44,  0,  0,  0,  0,  0,  0, 12, 15,  0,
    58,  0,  0,  4,  0,  0,  0,  0, 18,  0, 61,  0,  0,  2,  0,  0,
     0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,
    49,  0, 22, 60, 24,  0,  0,  0,  0, 13, 21,  0,  0, 57,  0,  0,
     0, 26,  0,  0, 29, 10,  0,  0,  0,  0,  0,  0,  0,  0,  0, 38,
     0,  0,  0,  0,  0,  0,  0,  0,  6, 34,  0,  0,  0, 46,  0,  0,
     0, 55,  0,  0, 63, 64,  0, 28,  0,  0,  0,  0,  0,  0,  0,  9,
     0,  0,  0,  0, 31,  0,  0,  0,  0,  0,  0,  0,  0,  0, 50,  0,
     0, 51, 66, 19,  0, 54,  0,  0,  0,  0,  7,  0, 62,  0,  0,  0,
     0,  0,  0,  0,  0, 40,  0,  0,  0,  1,  0, 48,  3,  0,  0,  0,
     0,  0,  5,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0, 56,  0,  0,
     0, 25, 35,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,
    45,  0,  0,  0,  0,  0,  8, 16, 42, 36, 37,  0,  0,  0,  0,  0,
};

static uint32_t fnv(const char *s, size_t n)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 16777619u;
    return h;
}

/* The table entry of a key, or -1. */
static int key_code(const char *k, size_t n)
{
    for (unsigned i = fnv(k, n) & 255u;; i = (i + 1) & 255u) {
        unsigned e = keyslot[i];
        if (!e)
            return -1;
        const char *t = keytab[e - 1];
        if (strlen(t) == n && !memcmp(t, k, n))
            return (int)e - 1;
    }
}

int itsm__bin_key_entry(const char *key, size_t n)
{
    return key_code(key, n);
}

const char *itsm__jwb_keyname(int entry)
{
    return entry >= 0 && (size_t)entry < NKEYS ? keytab[entry] : NULL;
}

/* ---- writing ----------------------------------------------------------- */

static void bput(itsm__jw *w, const void *s, size_t n)
{
    if (w->len < w->cap) {
        size_t room = w->cap - w->len;
        memcpy(w->buf + w->len, s, n < room ? n : room);
    }
    w->len = n > SIZE_MAX - w->len ? SIZE_MAX : w->len + n;
}

void itsm__jwb_byte(itsm__jw *w, unsigned char b)
{
    if (w->len < w->cap)
        w->buf[w->len] = (char)b;
    if (w->len < SIZE_MAX)
        w->len++;
}

static void bvarint(itsm__jw *w, uint64_t u)
{
    unsigned char b[10];
    size_t n = 0;
    do {
        b[n] = (unsigned char)(u & 0x7F);
        u >>= 7;
        if (u)
            b[n] |= 0x80;
        n++;
    } while (u);
    bput(w, b, n);
}

void itsm__jw_init_bin(itsm__jw *w, void *buf, size_t cap)
{
    memset(w, 0, sizeof *w);
    w->buf = buf;
    w->cap = buf ? cap : 0;
    w->bin = 1;
    itsm__jwb_byte(w, ITSM__BIN_MAGIC);
    itsm__jwb_byte(w, ITSM__BIN_VERSION);
}

void itsm__jwb_open(itsm__jw *w, int is_obj)
{
    itsm__jwb_byte(w, is_obj ? 0x07 : 0x06);
    if (w->depth >= ITSM__JW_MAX_DEPTH)
        w->deep = 1;
    else
        w->is_obj[w->depth] = (unsigned char)is_obj;
    w->depth++;
}

void itsm__jwb_close(itsm__jw *w)
{
    if (w->depth <= 0)
        return;
    w->depth--;
    int is_obj = w->depth < ITSM__JW_MAX_DEPTH ? w->is_obj[w->depth] : 0;
    itsm__jwb_byte(w, is_obj ? 0x00 : 0x08);
}

void itsm__jwb_key(itsm__jw *w, const char *key, size_t n)
{
    int k = key_code(key, n);
    if (k >= 0) {
        bvarint(w, (uint64_t)k + 2);
        return;
    }
    itsm__jwb_key_untabled(w, key, n);
}

void itsm__jwb_key_untabled(itsm__jw *w, const char *key, size_t n)
{
    bvarint(w, 1);
    bvarint(w, n);
    bput(w, key, n);
}

/* Strings as the JSON writer writes them: a byte that is not part of valid
 * UTF-8 becomes U+FFFD (EF BF BD); NUL and every valid sequence as they are. */
void itsm__jwb_str(itsm__jw *w, const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t out = 0, i = 0;
    int clean = 1;
    /* ASCII eight bytes at a time: most strings are nothing else */
    for (uint64_t c; i + 8 <= n; i += 8, out += 8) {
        memcpy(&c, p + i, 8);
        if (c & 0x8080808080808080u)
            break;
    }
    while (i < n) {
        if (p[i] < 0x80) {
            i++, out++;
            continue;
        }
        utf8_fault why;
        size_t k = itsm__jp_utf8_seq(p + i, n - i, &why);
        if (k) {
            i += k, out += k;
        } else {
            i++, out += 3;
            clean = 0;
        }
    }
    itsm__jwb_byte(w, 0x05);
    bvarint(w, out);
    if (clean) {
        bput(w, s, n);
        return;
    }
    for (i = 0; i < n;) {
        utf8_fault why;
        size_t k = p[i] < 0x80 ? 1 : itsm__jp_utf8_seq(p + i, n - i, &why);
        if (k) {
            bput(w, p + i, k);
            i += k;
        } else {
            bput(w, "\xEF\xBF\xBD", 3);
            i++;
        }
    }
}

void itsm__jwb_ascii(itsm__jw *w, const char *s, size_t n)
{
    itsm__jwb_byte(w, 0x05);
    bvarint(w, n);
    bput(w, s, n);
}

void itsm__jwb_int(itsm__jw *w, int64_t v)
{
    itsm__jwb_byte(w, 0x03);
    bvarint(w, ((uint64_t)v << 1) ^ (uint64_t)(v >> 63));
}

/* A whole number in int64 range (false for NaN and infinities); by cast,
 * not floor(), so the library imports nothing from libm. */
static int whole_int64(double v)
{
    return v >= -9223372036854775808.0 && v < 9223372036854775808.0 && (double)(int64_t)v == v;
}

void itsm__jwb_double(itsm__jw *w, double v)
{
    /* A whole number in int64 range is 0x03, as the JSON text of it reads
     * back: one value, one form. */
    if (whole_int64(v)) {
        itsm__jwb_int(w, (int64_t)v);
        return;
    }
    uint64_t u;
    memcpy(&u, &v, 8);
    unsigned char b[9] = { 0x04 };
    for (int i = 0; i < 8; i++)
        b[1 + i] = (unsigned char)(u >> (8 * i));
    bput(w, b, 9);
}

int itsm__jwb_finish(itsm__jw *w, size_t *len)
{
    if (len)
        *len = w->len;
    if (w->deep)
        return ITSM_ELIMIT;
    return w->len <= w->cap ? ITSM_OK : ITSM_ELIMIT;
}

void itsm__jw_value(itsm__jw *w, const itsm__jval *v)
{
    switch (v->type) {
    case ITSM__JNULL:
        itsm__jw_null(w);
        break;
    case ITSM__JFALSE:
    case ITSM__JTRUE:
        itsm__jw_bool(w, v->type == ITSM__JTRUE);
        break;
    case ITSM__JNUMBER:
        if (v->u.num.is_int)
            itsm__jw_int(w, v->u.num.i);
        else
            itsm__jw_double(w, v->u.num.d);
        break;
    case ITSM__JSTRING:
        itsm__jw_strn(w, v->u.str.s, v->u.str.len);
        break;
    case ITSM__JARRAY:
        itsm__jw_arr_begin(w);
        for (size_t i = 0; i < v->u.arr.n; i++)
            itsm__jw_value(w, &v->u.arr.items[i]);
        itsm__jw_arr_end(w);
        break;
    case ITSM__JOBJECT:
        itsm__jw_obj_begin(w);
        for (size_t i = 0; i < v->u.obj.n; i++) {
            const itsm__jmember *m = &v->u.obj.members[i];
            itsm__jw_keyn(w, m->key, m->klen);
            itsm__jw_value(w, &m->val);
        }
        itsm__jw_obj_end(w);
        break;
    }
}

/* ---- reading ----------------------------------------------------------- */

/* Deeper than this the binary reader refuses, whatever the limits say: it
 * recurses, and an event is a few levels deep. */
#define BIN_DEPTH_CAP 256

typedef struct breader {
    const unsigned char *p;
    size_t n, pos;
    const itsm_allocator *a;
    size_t max_string, max_depth;
    arena ar;
    uint64_t seed;
    itsm_parse_error *err;
} breader;

static int bfail(breader *b, int code, size_t off, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;
static int bfail(breader *b, int code, size_t off, const char *fmt, ...)
{
    if (b->err) {
        va_list ap;
        va_start(ap, fmt);
        itsm__jp_set_error(b->err, code, 1, off + 1, off, fmt, ap);
        va_end(ap);
    }
    return code;
}

static int bnomem(breader *b) { return bfail(b, ITSM_ENOMEM, b->pos, "out of memory"); }

int itsm__bin_varint_long(const unsigned char *p, size_t n, size_t *pos, uint64_t *out)
{
    uint64_t u = 0;
    for (unsigned shift = 0;; shift += 7) {
        if (*pos >= n)
            return ITSM__BIN_VARINT_END;
        unsigned char c = p[(*pos)++];
        if (shift == 63 && c > 1)
            return ITSM__BIN_VARINT_WIDE;
        u |= (uint64_t)(c & 0x7F) << shift;
        if (!(c & 0x80)) {
            if (c == 0 && shift)
                return ITSM__BIN_VARINT_LONG;
            *out = u;
            return ITSM__BIN_VARINT_OK;
        }
    }
}

size_t itsm__bin_utf8_bad(const unsigned char *s, size_t n)
{
    size_t i = 0;
    for (uint64_t c; i + 8 <= n; i += 8) {   /* ASCII eight bytes a check: most strings are nothing else */
        memcpy(&c, s + i, 8);
        if (c & 0x8080808080808080u)
            break;
    }
    while (i < n) {
        if (s[i] < 0x80) {
            i++;
            continue;
        }
        utf8_fault why;
        size_t k = itsm__jp_utf8_seq(s + i, n - i, &why);
        if (!k)
            return i;
        i += k;
    }
    return n;
}

static int rvarint(breader *b, uint64_t *out)
{
    size_t start = b->pos;
    switch (itsm__bin_varint(b->p, b->n, &b->pos, out)) {
    case ITSM__BIN_VARINT_OK:
        return ITSM_OK;
    case ITSM__BIN_VARINT_END:
        return bfail(b, ITSM_EPARSE, start, "a number runs past the end");
    case ITSM__BIN_VARINT_WIDE:
        return bfail(b, ITSM_EPARSE, start, "a number does not fit 64 bits");
    default:
        return bfail(b, ITSM_EPARSE, start, "a number is not in its shortest form");
    }
}

/* n bytes at the reader's position as an arena string (NUL-terminated),
 * UTF-8 checked. */
static int rbytes(breader *b, size_t n, char **out, const char *what)
{
    size_t start = b->pos;
    if (n > b->n - b->pos)
        return bfail(b, ITSM_EPARSE, start, "%s runs past the end", what);
    if (n > b->max_string)
        return bfail(b, ITSM_ELIMIT, start, "%s of %zu bytes, over the limit of %zu", what, n, b->max_string);
    const unsigned char *s = b->p + b->pos;
    size_t bad = itsm__bin_ascii(s, n) ? n : itsm__bin_utf8_bad(s, n);
    if (bad != n)
        return bfail(b, ITSM_EPARSE, start + bad, "invalid UTF-8 in %s", what);
    char *d = itsm__jp_arena_alloc(&b->ar, n + 1);
    if (!d)
        return bnomem(b);
    memcpy(d, s, n);
    d[n] = '\0';
    b->pos += n;
    *out = d;
    return ITSM_OK;
}

/* Step over one value (a container with what it holds), checking only
 * what the step needs; 0, or -1 when the bytes do not hold a value (the
 * reading pass then finds and reports the fault). */
static int skip(breader *b, size_t depth)
{
    uint64_t u;
    if (b->pos >= b->n || depth > b->max_depth)
        return -1;
    unsigned char tag = b->p[b->pos++];
    switch (tag) {
    case 0x00: case 0x01: case 0x02:
        return 0;
    case 0x03:
        return rvarint(b, &u) ? -1 : 0;
    case 0x04:
        if (b->n - b->pos < 8)
            return -1;
        b->pos += 8;
        return 0;
    case 0x05:
        if (rvarint(b, &u) || u > b->n - b->pos)
            return -1;
        b->pos += (size_t)u;
        return 0;
    case 0x06:
        for (;;) {
            if (b->pos >= b->n)
                return -1;
            if (b->p[b->pos] == 0x08) {
                b->pos++;
                return 0;
            }
            if (skip(b, depth + 1))
                return -1;
        }
    case 0x07:
        for (;;) {
            if (rvarint(b, &u))
                return -1;
            if (u == 0)
                return 0;
            if (u == 1) {
                uint64_t kn;
                if (rvarint(b, &kn) || kn > b->n - b->pos)
                    return -1;
                b->pos += (size_t)kn;
            } else if (u - 2 >= NKEYS) {
                return -1;
            }
            if (skip(b, depth + 1))
                return -1;
        }
    default:
        return -1;
    }
}

/* How many values (or members) the container at the position holds,
 * without reading them; SIZE_MAX when it is malformed. */
static size_t count(breader *b, int is_obj, size_t depth)
{
    size_t save = b->pos, k = 0;   /* just after the container's tag */
    itsm_parse_error *err = b->err;
    b->err = NULL;   /* the reading pass reports */
    for (;;) {
        if (is_obj) {
            uint64_t u, kn;
            if (rvarint(b, &u))
                break;
            if (u == 0) {
                b->pos = save;
                b->err = err;
                return k;
            }
            if (u == 1 && (rvarint(b, &kn) || kn > b->n - b->pos))
                break;
            if (u == 1)
                b->pos += (size_t)kn;
            else if (u - 2 >= NKEYS)
                break;
        } else {
            if (b->pos >= b->n)
                break;
            if (b->p[b->pos] == 0x08) {
                b->pos = save;
                b->err = err;
                return k;
            }
        }
        if (skip(b, depth + 1))
            break;
        k++;
    }
    b->pos = save;
    b->err = err;
    return SIZE_MAX;
}

static int rvalue(breader *b, itsm__jval *v, size_t depth);

static int rkey(breader *b, itsm__jmember *m, int *end)
{
    size_t start = b->pos;
    uint64_t u;
    if (b->pos >= b->n)
        return bfail(b, ITSM_EPARSE, start, "an object's end is missing");
    int rc = rvarint(b, &u);
    if (rc)
        return rc;
    m->line = 1;
    m->column = start + 1;
    *end = u == 0;
    if (u == 0)
        return ITSM_OK;
    if (u >= 2) {
        if (u - 2 >= NKEYS)
            return bfail(b, ITSM_EPARSE, start, "key number %llu is not in the key table",
                         (unsigned long long)u);
        /* The table's own string, not a copy: a tree's keys are only
         * read (compared, written out), never changed or freed one by one. */
        m->key = (char *)(uintptr_t)keytab[u - 2];
        m->klen = strlen(m->key);
        return ITSM_OK;
    }
    uint64_t n;
    if ((rc = rvarint(b, &n)))
        return rc;
    if (n > b->n - b->pos)
        return bfail(b, ITSM_EPARSE, start, "a key runs past the end");
    if ((rc = rbytes(b, (size_t)n, &m->key, "a key")))
        return rc;
    m->klen = (size_t)n;
    if (key_code(m->key, m->klen) >= 0)
        return bfail(b, ITSM_EPARSE, start, "key '%s' is in the key table: written inline it is not canonical",
                     m->key);
    return ITSM_OK;
}

static int no_duplicates(breader *b, const itsm__jval *obj)
{
    const itsm__jmember *ms = obj->u.obj.members;
    size_t n = obj->u.obj.n;
    if (n <= JSON_LINEAR_KEYS) {
        for (size_t i = 0; i < n; i++)
            for (size_t j = 0; j < i; j++)
                if (ms[i].klen == ms[j].klen && !memcmp(ms[i].key, ms[j].key, ms[i].klen))
                    return bfail(b, ITSM_EPARSE, ms[i].column - 1, "duplicate key '%s'", ms[i].key);
        return ITSM_OK;
    }
    itsm__htab tab;
    itsm__htab_init(&tab, b->seed);
    if (itsm__htab_reserve(&tab, b->a, n * 2 + 1))
        return bnomem(b);
    int rc = ITSM_OK;
    for (size_t i = 0; i < n && !rc; i++) {
        uint32_t h = itsm__htab_hash(&tab, ms[i].key, ms[i].klen);
        itsm__hprobe it = itsm__htab_probe(&tab, h);
        for (long pos; (pos = itsm__htab_next(&tab, &it)) >= 0;)
            if (ms[pos].klen == ms[i].klen && !memcmp(ms[pos].key, ms[i].key, ms[i].klen)) {
                rc = bfail(b, ITSM_EPARSE, ms[i].column - 1, "duplicate key '%s'", ms[i].key);
                break;
            }
        itsm__htab_put(&tab, h, i);
    }
    itsm__htab_free(&tab, b->a);
    return rc;
}

static int rvalue(breader *b, itsm__jval *v, size_t depth)
{
    size_t start = b->pos;
    memset(v, 0, sizeof *v);
    v->line = 1;
    v->column = start + 1;
    v->offset = start;
    if (b->pos >= b->n)
        return bfail(b, ITSM_EPARSE, start, "a value is missing at the end");
    unsigned char tag = b->p[b->pos++];
    uint64_t u;
    int rc;
    switch (tag) {
    case 0x00:
        v->type = ITSM__JNULL;
        return ITSM_OK;
    case 0x01:
    case 0x02:
        v->type = tag == 0x02 ? ITSM__JTRUE : ITSM__JFALSE;
        return ITSM_OK;
    case 0x03:
        if ((rc = rvarint(b, &u)))
            return rc;
        v->type = ITSM__JNUMBER;
        v->u.num.i = (int64_t)(u >> 1) ^ -(int64_t)(u & 1);
        v->u.num.d = (double)v->u.num.i;
        v->u.num.is_int = 1;
        return ITSM_OK;
    case 0x04: {
        if (b->n - b->pos < 8)
            return bfail(b, ITSM_EPARSE, start, "a number runs past the end");
        uint64_t bits = 0;
        for (int i = 0; i < 8; i++)
            bits |= (uint64_t)b->p[b->pos + (size_t)i] << (8 * i);
        b->pos += 8;
        double d;
        memcpy(&d, &bits, 8);
        if (isnan(d) || isinf(d))
            return bfail(b, ITSM_EPARSE, start, "a number that is not finite");
        if (whole_int64(d))
            return bfail(b, ITSM_EPARSE, start, "a whole number written as 0x04 is not canonical");
        v->type = ITSM__JNUMBER;
        v->u.num.d = d;
        return ITSM_OK;
    }
    case 0x05:
        if ((rc = rvarint(b, &u)))
            return rc;
        if (u > b->n - b->pos)
            return bfail(b, ITSM_EPARSE, start, "a string runs past the end");
        v->type = ITSM__JSTRING;
        v->u.str.len = (size_t)u;
        return rbytes(b, (size_t)u, &v->u.str.s, "a string");
    case 0x06:
    case 0x07: {
        int is_obj = tag == 0x07;
        if (depth >= b->max_depth)
            return bfail(b, ITSM_ELIMIT, start, "nesting deeper than %zu", b->max_depth);
        size_t k = count(b, is_obj, depth);
        v->type = is_obj ? ITSM__JOBJECT : ITSM__JARRAY;
        if (k == SIZE_MAX) {
            /* Malformed: read on until the fault, which says where. */
            itsm__jmember scratch;
            for (int end = 0;;) {
                if (is_obj) {
                    if ((rc = rkey(b, &scratch, &end)) || end)
                        break;
                } else if (b->pos >= b->n) {
                    return bfail(b, ITSM_EPARSE, b->pos, "an array's end is missing");
                } else if (b->p[b->pos] == 0x08) {
                    break;
                }
                if ((rc = rvalue(b, &scratch.val, depth + 1)))
                    return rc;
            }
            return rc ? rc : bfail(b, ITSM_EPARSE, start, "a malformed %s", is_obj ? "object" : "array");
        }
        if (is_obj) {
            itsm__jmember *ms = k ? itsm__jp_arena_alloc(&b->ar, k * sizeof *ms) : NULL;
            if (k && !ms)
                return bnomem(b);
            for (size_t i = 0; i < k; i++) {
                int end;
                if ((rc = rkey(b, &ms[i], &end)) || (rc = rvalue(b, &ms[i].val, depth + 1)))
                    return rc;
            }
            int end;
            itsm__jmember last;
            if ((rc = rkey(b, &last, &end)))
                return rc;
            v->u.obj.members = ms;
            v->u.obj.n = k;
            return no_duplicates(b, v);
        }
        itsm__jval *items = k ? itsm__jp_arena_alloc(&b->ar, k * sizeof *items) : NULL;
        if (k && !items)
            return bnomem(b);
        for (size_t i = 0; i < k; i++)
            if ((rc = rvalue(b, &items[i], depth + 1)))
                return rc;
        b->pos++;   /* the 0x08 count() saw */
        v->u.arr.items = items;
        v->u.arr.n = k;
        return ITSM_OK;
    }
    case 0x08:
        return bfail(b, ITSM_EPARSE, start, "an array's end where a value belongs");
    default:
        return bfail(b, ITSM_EPARSE, start, "unknown value tag 0x%02x", tag);
    }
}

int itsm__bin_parse(itsm__jdoc **out, const void *data, size_t len, const itsm_allocator *alloc,
                    const itsm_json_limits *limits, itsm_parse_error *err)
{
    breader b;
    itsm_allocator a;
    memset(&b, 0, sizeof b);
    b.err = err;
    if (out)
        *out = NULL;
    if (!out || !data || itsm__alloc_resolve(&a, alloc) != ITSM_OK)
        return bfail(&b, ITSM_EINVAL, 0, "invalid argument");
    b.p = data;
    b.n = len;
    b.a = &a;
    size_t max_doc = ITSM_JSON_DEFAULT_MAX_DOCUMENT;
    b.max_string = ITSM_JSON_DEFAULT_MAX_STRING;
    b.max_depth = ITSM_JSON_DEFAULT_MAX_DEPTH;
    if (limits) {
        if (limits->max_document) max_doc = limits->max_document;
        if (limits->max_string) b.max_string = limits->max_string;
        if (limits->max_depth) b.max_depth = limits->max_depth;
    }
    if (b.max_depth > BIN_DEPTH_CAP)
        b.max_depth = BIN_DEPTH_CAP;
    if (len > max_doc)
        return bfail(&b, ITSM_ELIMIT, 0, "document is %zu bytes, over the limit of %zu", len, max_doc);
    if (len < 2 || b.p[0] != ITSM__BIN_MAGIC)
        return bfail(&b, ITSM_EPARSE, 0, "not the binary event form (it starts with byte 0xE5)");
    if (b.p[1] != ITSM__BIN_VERSION)
        return bfail(&b, ITSM_EPARSE, 1, "binary form version %u; this library reads version %d", b.p[1],
                     ITSM__BIN_VERSION);
    b.pos = 2;
    b.seed = (uint64_t)(uintptr_t)&b * 0x9E3779B97F4A7C15u;
    b.ar.a = &a;
    b.ar.next_size = len < 16384 ? 512 + len * 8 : 65536;
    itsm__jdoc *doc = itsm__jp_arena_alloc(&b.ar, sizeof *doc);
    int rc = doc ? rvalue(&b, &doc->root, 0) : bnomem(&b);
    if (!rc && b.pos != b.n)
        rc = bfail(&b, ITSM_EPARSE, b.pos, "%zu bytes after the value", b.n - b.pos);
    if (rc) {
        itsm__jp_arena_free(&a, b.ar.head);
        return rc;
    }
    doc->alloc = a;
    doc->blocks = b.ar.head;
    *out = doc;
    if (err) {
        err->code = ITSM_OK;
        err->line = err->column = err->offset = 0;
        err->text[0] = '\0';
    }
    return ITSM_OK;
}

int itsm__event_parse(itsm__jdoc **out, const void *data, size_t len, const itsm_allocator *alloc,
                      const itsm_json_limits *limits, itsm_parse_error *err)
{
    if (data && len && *(const unsigned char *)data == ITSM__BIN_MAGIC)
        return itsm__bin_parse(out, data, len, alloc, limits, err);
    return itsm__json_parse(out, data, len, alloc, limits, err);
}
