/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The strict, bounded JSON reader (RFC 8259).
 *
 * Design notes, for callers:
 * - The parser is iterative: nesting is tracked on a heap stack, so no input
 *   can exhaust the C stack. Depth is still capped at JSON_DEPTH_CAP (10000)
 *   whatever max_depth the caller passes, because code that walks the tree
 *   recursively relies on it.
 * - The document-size limit is checked before any byte is read and is
 *   reported at line 1, column 1, offset 0.
 * - A string over max_string (decoded bytes, keys too) is reported at its
 *   opening quote; a container over max_depth at its opening bracket.
 * - A number whose magnitude is too large for a double (1e400) is refused
 *   with ITSM_ELIMIT (RFC 8259 section 9 allows range limits): a tree never
 *   holds an infinity.
 * - The tree lives in an arena of a few big blocks, freed by itsm__jdoc_free.
 */
#include "kit/json_int.h"

/* ---- objects: duplicate keys --------------------------------------------- */

static int key_eq(const char *key, size_t klen, const char *k, size_t n)
{
    return klen == n && memcmp(key, k, n) == 0;
}

/* Index of an earlier member of the open object `f` named k, SIZE_MAX if
 * none. Called before the new key is pushed at index ps->nkeys; may
 * build or grow the frame's table (ITSM_ENOMEM in *rc). */
static size_t find_dup(parser *ps, frame *f, const char *k, size_t n, int *rc)
{
    size_t count = ps->nkeys - f->kstart;
    *rc = ITSM_OK;
    if (!f->tab.cap && count < JSON_LINEAR_KEYS) {
        for (size_t i = f->kstart; i < ps->nkeys; i++)
            if (key_eq(ps->keys[i].key, ps->keys[i].klen, k, n))
                return i;
        return SIZE_MAX;
    }
    if (!f->tab.cap) {
        if (itsm__htab_reserve(&f->tab, ps->a, count * 2 + 1)) {
            *rc = itsm__jp_nomem(ps);
            return SIZE_MAX;
        }
        for (size_t i = f->kstart; i < ps->nkeys; i++)
            itsm__htab_put(&f->tab, itsm__htab_hash(&f->tab, ps->keys[i].key, ps->keys[i].klen), i - f->kstart);
    } else if (itsm__htab_reserve(&f->tab, ps->a, count + 1)) {
        *rc = itsm__jp_nomem(ps);
        return SIZE_MAX;
    }
    uint32_t h = itsm__htab_hash(&f->tab, k, n);
    itsm__hprobe it = itsm__htab_probe(&f->tab, h);
    for (long pos; (pos = itsm__htab_next(&f->tab, &it)) >= 0;) {
        size_t idx = f->kstart + (size_t)pos;
        if (key_eq(ps->keys[idx].key, ps->keys[idx].klen, k, n))
            return idx;
    }
    itsm__htab_put(&f->tab, h, count);   /* the key about to be pushed */
    return SIZE_MAX;
}

/* A key for an error message: printable ASCII and whole UTF-8 sequences as
 * they are, other bytes as \u00XX, cut at ~64 bytes. */
static void describe_key(const char *k, size_t n, char *out, size_t cap)
{
    size_t o = 0;
    for (size_t i = 0; i < n;) {
        unsigned char c = (unsigned char)k[i];
        size_t need = c < 0x20 ? 6 : c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
        if (o + need + 4 > cap) {
            memcpy(out + o, "...", 3);
            o += 3;
            break;
        }
        if (c < 0x20) {
            snprintf(out + o, cap - o, "\\u%04X", (unsigned)c);
        } else {
            if (i + need > n)   /* cannot happen: keys are valid UTF-8 */
                need = n - i;
            memcpy(out + o, k + i, need);
        }
        o += need;
        i += c < 0x20 ? 1 : need;
    }
    out[o] = '\0';
}

/* ---- the parser ---------------------------------------------------------- */

static int push_value(parser *ps, const itsm__jval *v)
{
    if (itsm__grow(ps->a, (void **)&ps->vals, &ps->capvals, ps->nvals + 1, sizeof *ps->vals) != ITSM_OK)
        return itsm__jp_nomem(ps);
    ps->vals[ps->nvals++] = *v;
    return ITSM_OK;
}

static int push_key(parser *ps, const pkey *k)
{
    if (itsm__grow(ps->a, (void **)&ps->keys, &ps->capkeys, ps->nkeys + 1, sizeof *ps->keys) != ITSM_OK)
        return itsm__jp_nomem(ps);
    ps->keys[ps->nkeys++] = *k;
    return ITSM_OK;
}

static int open_container(parser *ps, int is_obj)
{
    if (ps->nfr >= ps->max_depth)
        return itsm__jp_fail(ps, ITSM_ELIMIT, ps->pos, "nesting deeper than %zu", ps->max_depth);
    if (itsm__grow(ps->a, (void **)&ps->fr, &ps->capfr, ps->nfr + 1, sizeof *ps->fr) != ITSM_OK)
        return itsm__jp_nomem(ps);
    frame *f = &ps->fr[ps->nfr++];
    f->start = ps->nvals;
    f->kstart = ps->nkeys;
    f->is_obj = is_obj;
    itsm__htab_init(&f->tab, ps->seed);
    f->line = ps->line;
    f->column = ps->pos - ps->line_start + 1;
    f->offset = ps->pos;
    ps->pos++;
    return ITSM_OK;
}

/* Pop the innermost container into *v, its children copied to the arena. */
static int close_container(parser *ps, itsm__jval *v)
{
    frame *f = &ps->fr[ps->nfr - 1];
    size_t n = ps->nvals - f->start;

    memset(v, 0, sizeof *v);
    v->line = f->line;
    v->column = f->column;
    v->offset = f->offset;
    if (f->is_obj) {
        v->type = ITSM__JOBJECT;
        if (n) {
            itsm__jmember *mem = itsm__jp_arena_alloc(&ps->ar, n * sizeof *mem);
            if (mem == NULL)
                return itsm__jp_nomem(ps);
            for (size_t i = 0; i < n; i++) {
                const pkey *k = &ps->keys[f->kstart + i];
                mem[i].key = k->key;
                mem[i].klen = k->klen;
                mem[i].line = k->line;
                mem[i].column = k->column;
                mem[i].val = ps->vals[f->start + i];
            }
            v->u.obj.members = mem;
        }
        v->u.obj.n = n;
    } else {
        v->type = ITSM__JARRAY;
        if (n) {
            itsm__jval *items = itsm__jp_arena_alloc(&ps->ar, n * sizeof *items);
            if (items == NULL)
                return itsm__jp_nomem(ps);
            memcpy(items, ps->vals + f->start, n * sizeof *items);
            v->u.arr.items = items;
        }
        v->u.arr.n = n;
    }
    itsm__htab_free(&f->tab, ps->a);
    ps->nvals = f->start;
    ps->nkeys = f->kstart;
    ps->nfr--;
    return ITSM_OK;
}

static int parse_literal(parser *ps, itsm__jval *v)
{
    static const struct { const char *word; size_t len; itsm__jtype type; } lits[] = {
        { "true", 4, ITSM__JTRUE }, { "false", 5, ITSM__JFALSE }, { "null", 4, ITSM__JNULL },
    };
    for (size_t k = 0; k < sizeof lits / sizeof lits[0]; k++) {
        if (ps->p[ps->pos] != (unsigned char)lits[k].word[0])
            continue;
        if (ps->len - ps->pos < lits[k].len ||
            memcmp(ps->p + ps->pos, lits[k].word, lits[k].len) != 0)
            return itsm__jp_fail(ps, ITSM_EPARSE, ps->pos, "invalid literal, expected '%s'", lits[k].word);
        v->type = lits[k].type;
        ps->pos += lits[k].len;
        return ITSM_OK;
    }
    return itsm__jp_fail_unexpected(ps, "a value");
}

/* Parse a key at ps->pos (after white space) and push it as a pending
 * member of the innermost object. */
static int parse_key(parser *ps)
{
    if (ps->pos >= ps->len || ps->p[ps->pos] != '"')
        return itsm__jp_fail_unexpected(ps, "a string key");
    pkey m;
    m.line = ps->line;
    m.column = ps->pos - ps->line_start + 1;
    size_t key_pos = ps->pos;
    int rc = itsm__jp_parse_string(ps, &m.key, &m.klen);
    if (rc != ITSM_OK)
        return rc;
    frame *f = &ps->fr[ps->nfr - 1];
    if (find_dup(ps, f, m.key, m.klen, &rc) != SIZE_MAX) {
        char name[80];
        describe_key(m.key, m.klen, name, sizeof name);
        return itsm__jp_fail(ps, ITSM_EPARSE, key_pos, "duplicate key '%s'", name);
    }
    if (rc != ITSM_OK)
        return rc;
    return push_key(ps, &m);
}

typedef enum pstate { ST_VALUE, ST_KEY, ST_AFTER_VALUE } pstate;

static int parse_document(parser *ps, itsm__jval *root)
{
    itsm__jval v;
    pstate st = ST_VALUE;
    int rc;

    for (;;) {
        if (st == ST_KEY) {
            /* at a key; white space already skipped */
            rc = parse_key(ps);
            if (rc != ITSM_OK)
                return rc;
            itsm__jp_skip_ws(ps);
            if (ps->pos >= ps->len || ps->p[ps->pos] != ':')
                return itsm__jp_fail(ps, ITSM_EPARSE, ps->pos, "expected ':' after object key");
            ps->pos++;
            st = ST_VALUE;
            continue;
        }
        if (st == ST_VALUE) {
            itsm__jp_skip_ws(ps);
            if (ps->pos >= ps->len)
                return itsm__jp_fail(ps, ITSM_EPARSE, ps->pos, "unexpected end of input, expected a value");
            memset(&v, 0, sizeof v);
            itsm__jp_set_pos(ps, &v);
            unsigned char c = ps->p[ps->pos];
            if (c == '{' || c == '[') {
                int is_obj = c == '{';
                rc = open_container(ps, is_obj);
                if (rc != ITSM_OK)
                    return rc;
                itsm__jp_skip_ws(ps);
                if (ps->pos < ps->len && ps->p[ps->pos] == (is_obj ? '}' : ']')) {
                    ps->pos++;
                    rc = close_container(ps, &v);
                    if (rc != ITSM_OK)
                        return rc;
                    st = ST_AFTER_VALUE;
                } else {
                    st = is_obj ? ST_KEY : ST_VALUE;
                    continue;
                }
            } else if (c == '"') {
                v.type = ITSM__JSTRING;
                rc = itsm__jp_parse_string(ps, &v.u.str.s, &v.u.str.len);
                if (rc != ITSM_OK)
                    return rc;
            } else if (c == '-' || itsm__jp_is_digit(c)) {
                rc = itsm__jp_parse_number(ps, &v);
                if (rc != ITSM_OK)
                    return rc;
            } else {
                rc = parse_literal(ps, &v);
                if (rc != ITSM_OK)
                    return rc;
            }
        }

        /* ST_AFTER_VALUE: v is complete */
        for (;;) {
            if (ps->nfr == 0) {
                *root = v;
                itsm__jp_skip_ws(ps);
                if (ps->pos < ps->len)
                    return itsm__jp_fail(ps, ITSM_EPARSE, ps->pos, "trailing characters after the document");
                return ITSM_OK;
            }
            rc = push_value(ps, &v);
            if (rc != ITSM_OK)
                return rc;
            frame *f = &ps->fr[ps->nfr - 1];
            itsm__jp_skip_ws(ps);
            unsigned char close = f->is_obj ? '}' : ']';
            if (ps->pos < ps->len && ps->p[ps->pos] == ',') {
                ps->pos++;
                itsm__jp_skip_ws(ps);
                st = f->is_obj ? ST_KEY : ST_VALUE;
                break;
            }
            if (ps->pos < ps->len && ps->p[ps->pos] == close) {
                ps->pos++;
                rc = close_container(ps, &v);
                if (rc != ITSM_OK)
                    return rc;
                continue;   /* the container is itself a completed value */
            }
            return itsm__jp_fail_unexpected(ps, f->is_obj ? "',' or '}' after object member"
                                                 : "',' or ']' after array element");
        }
    }
}

int itsm__json_parse(itsm__jdoc **out, const char *text, size_t len,
                     const itsm_allocator *alloc, const itsm_json_limits *limits,
                     itsm_parse_error *err)
{
    parser ps;
    itsm_allocator a;

    memset(&ps, 0, sizeof ps);
    ps.err = err;
    ps.line = 1;
    if (out)
        *out = NULL;
    if (out == NULL || text == NULL || itsm__alloc_resolve(&a, alloc) != ITSM_OK)
        return itsm__jp_fail(&ps, ITSM_EINVAL, 0, "invalid argument");
    ps.p = (const unsigned char *)text;
    ps.len = len;
    ps.a = &a;

    size_t max_doc = ITSM_JSON_DEFAULT_MAX_DOCUMENT;
    ps.max_string = ITSM_JSON_DEFAULT_MAX_STRING;
    ps.max_depth = ITSM_JSON_DEFAULT_MAX_DEPTH;
    if (limits) {
        if (limits->max_document) max_doc = limits->max_document;
        if (limits->max_string) ps.max_string = limits->max_string;
        if (limits->max_depth) ps.max_depth = limits->max_depth;
    }
    if (ps.max_depth > JSON_DEPTH_CAP)
        ps.max_depth = JSON_DEPTH_CAP;

    if (len > max_doc)
        return itsm__jp_fail(&ps, ITSM_ELIMIT, 0, "document is %zu bytes, over the limit of %zu",
                    len, max_doc);
    if (len == 0)
        return itsm__jp_fail(&ps, ITSM_EPARSE, 0, "empty document");
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
        return itsm__jp_fail(&ps, ITSM_EPARSE, 0, "byte order mark is not allowed");

    {
        /* Addresses vary per run (ASLR), which is all the seed needs:
         * key order and results never depend on it. */
        uintptr_t s = (uintptr_t)&ps ^ ((uintptr_t)text << 16);
        ps.seed = (uint64_t)s * 0x9E3779B97F4A7C15u;
    }

    ps.ar.a = &a;
    /* The tree usually takes a few times the text; start near that. */
    ps.ar.next_size = len < 16384 ? 1024 + len * 4 : 65536;

    itsm__jdoc *doc = itsm__jp_arena_alloc(&ps.ar, sizeof *doc);
    int rc;
    if (doc == NULL)
        rc = itsm__jp_nomem(&ps);
    else
        rc = parse_document(&ps, &doc->root);

    for (size_t i = 0; i < ps.nfr; i++)
        itsm__htab_free(&ps.fr[i].tab, &a);
    itsm__free(&a, ps.fr);
    itsm__free(&a, ps.vals);
    itsm__free(&a, ps.keys);
    if (rc != ITSM_OK) {
        itsm__jp_arena_free(&a, ps.ar.head);
        return rc;
    }
    doc->alloc = a;
    doc->blocks = ps.ar.head;
    *out = doc;
    if (err) {
        err->code = ITSM_OK;
        err->line = err->column = err->offset = 0;
        err->text[0] = '\0';
    }
    return ITSM_OK;
}

const itsm__jval *itsm__jdoc_root(const itsm__jdoc *doc)
{
    return doc ? &doc->root : NULL;
}

void itsm__jdoc_free(itsm__jdoc *doc)
{
    if (doc == NULL)
        return;
    /* The doc lives in one of its own blocks: copy what we need first. */
    itsm_allocator a = doc->alloc;
    itsm__jp_arena_free(&a, doc->blocks);
}

const itsm__jval *itsm__json_get(const itsm__jval *obj, const char *key)
{
    if (obj == NULL || key == NULL || obj->type != ITSM__JOBJECT)
        return NULL;
    size_t n = strlen(key);
    for (size_t i = 0; i < obj->u.obj.n; i++) {
        const itsm__jmember *m = &obj->u.obj.members[i];
        if (key_eq(m->key, m->klen, key, n))
            return &m->val;
    }
    return NULL;
}

int itsm__json_schema_error(itsm_parse_error *err, const itsm__jval *v, const char *fmt, ...)
{
    if (err == NULL)
        return ITSM_EPARSE;
    va_list ap;
    va_start(ap, fmt);
    itsm__jp_set_error(err, ITSM_EPARSE, v ? v->line : 1, v ? v->column : 1, v ? v->offset : 0, fmt, ap);
    va_end(ap);
    return ITSM_EPARSE;
}

int itsm__json_only_keys(const itsm__jval *obj, const char *const *keys, const char *where,
                         itsm_parse_error *err)
{
    for (size_t i = 0; i < obj->u.obj.n; i++) {
        const itsm__jmember *m = &obj->u.obj.members[i];
        int ok = 0;
        for (const char *const *k = keys; *k && !ok; k++)
            ok = strlen(*k) == m->klen && memcmp(*k, m->key, m->klen) == 0;
        if (!ok)
            return itsm__json_schema_error(err, &m->val, "unknown member '%.60s' in %s", m->key, where);
    }
    return ITSM_OK;
}
