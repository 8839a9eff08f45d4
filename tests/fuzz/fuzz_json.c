/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libFuzzer target for the JSON reader and writer (see README.md).
 *
 * Each input is parsed with small limits. A refusal must be a parse or
 * limit error with a sane position. A document that parses is written back
 * with the writer, which must fit exactly the length it reported, and the
 * output must parse to an equal tree; any mismatch aborts. The input is
 * also fed to the time parser, whose accepted texts must format back
 * unchanged.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kit/json.h"
#include "itsm/errors.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                                                          \
    do {                                                                     \
        if (!(cond)) {                                                       \
            fprintf(stderr, "fuzz_json: check failed: %s (line %d)\n", #cond, \
                    __LINE__);                                               \
            abort();                                                         \
        }                                                                    \
    } while (0)

static int has_nul_key(const itsm__jval *v)
{
    if (v->type == ITSM__JARRAY) {
        for (size_t i = 0; i < v->u.arr.n; i++)
            if (has_nul_key(&v->u.arr.items[i]))
                return 1;
    } else if (v->type == ITSM__JOBJECT) {
        for (size_t i = 0; i < v->u.obj.n; i++) {
            const itsm__jmember *m = &v->u.obj.members[i];
            if (memchr(m->key, 0, m->klen) || has_nul_key(&m->val))
                return 1;
        }
    }
    return 0;
}

/* Tree invariants the rest of the library relies on. */
static void check_tree(const itsm__jval *v, size_t size)
{
    CHECK(v->line >= 1 && v->column >= 1 && v->offset < size);
    switch (v->type) {
    case ITSM__JNUMBER:
        CHECK(v->u.num.d == v->u.num.d);                 /* never NaN */
        CHECK(v->u.num.d - v->u.num.d == 0.0);           /* never infinite */
        if (v->u.num.is_int)
            CHECK(v->u.num.d == (double)v->u.num.i);
        break;
    case ITSM__JSTRING:
        CHECK(v->u.str.s[v->u.str.len] == '\0');
        /* decoded strings are valid UTF-8 apart from NULs from \u0000 */
        CHECK(memchr(v->u.str.s, 0, v->u.str.len) ||
              itsm__utf8_valid(v->u.str.s, v->u.str.len));
        break;
    case ITSM__JARRAY:
        for (size_t i = 0; i < v->u.arr.n; i++)
            check_tree(&v->u.arr.items[i], size);
        break;
    case ITSM__JOBJECT:
        for (size_t i = 0; i < v->u.obj.n; i++) {
            const itsm__jmember *m = &v->u.obj.members[i];
            CHECK(m->key[m->klen] == '\0');
            for (size_t j = 0; j < i; j++)   /* small limits keep this cheap */
                CHECK(m->klen != v->u.obj.members[j].klen ||
                      memcmp(m->key, v->u.obj.members[j].key, m->klen) != 0);
            if (!memchr(m->key, 0, m->klen))
                CHECK(itsm__json_get(v, m->key) == &m->val);
            check_tree(&m->val, size);
        }
        break;
    default:
        break;
    }
}

static void write_value(itsm__jw *w, const itsm__jval *v)
{
    switch (v->type) {
    case ITSM__JNULL: itsm__jw_null(w); break;
    case ITSM__JFALSE: itsm__jw_bool(w, 0); break;
    case ITSM__JTRUE: itsm__jw_bool(w, 1); break;
    case ITSM__JNUMBER:
        if (v->u.num.is_int)
            itsm__jw_int(w, v->u.num.i);
        else
            itsm__jw_double(w, v->u.num.d);
        break;
    case ITSM__JSTRING: itsm__jw_strn(w, v->u.str.s, v->u.str.len); break;
    case ITSM__JARRAY:
        itsm__jw_arr_begin(w);
        for (size_t i = 0; i < v->u.arr.n; i++)
            write_value(w, &v->u.arr.items[i]);
        itsm__jw_arr_end(w);
        break;
    case ITSM__JOBJECT:
        itsm__jw_obj_begin(w);
        for (size_t i = 0; i < v->u.obj.n; i++) {
            itsm__jw_key(w, v->u.obj.members[i].key);
            write_value(w, &v->u.obj.members[i].val);
        }
        itsm__jw_obj_end(w);
        break;
    }
}

/* Numbers compare by value: a double written as "15" reads back as an
 * integer, which is the same number. */
static int equal(const itsm__jval *a, const itsm__jval *b)
{
    if (a->type == ITSM__JNUMBER && b->type == ITSM__JNUMBER) {
        if (a->u.num.is_int)
            return b->u.num.is_int && a->u.num.i == b->u.num.i;
        return a->u.num.d == b->u.num.d;
    }
    if (a->type != b->type)
        return 0;
    switch (a->type) {
    case ITSM__JSTRING:
        return a->u.str.len == b->u.str.len &&
               memcmp(a->u.str.s, b->u.str.s, a->u.str.len) == 0;
    case ITSM__JARRAY:
        if (a->u.arr.n != b->u.arr.n)
            return 0;
        for (size_t i = 0; i < a->u.arr.n; i++)
            if (!equal(&a->u.arr.items[i], &b->u.arr.items[i]))
                return 0;
        return 1;
    case ITSM__JOBJECT:
        if (a->u.obj.n != b->u.obj.n)
            return 0;
        for (size_t i = 0; i < a->u.obj.n; i++) {
            const itsm__jmember *x = &a->u.obj.members[i], *y = &b->u.obj.members[i];
            if (x->klen != y->klen || memcmp(x->key, y->key, x->klen) != 0 ||
                !equal(&x->val, &y->val))
                return 0;
        }
        return 1;
    default:
        return 1;
    }
}

static void fuzz_time(const uint8_t *data, size_t size)
{
    itsm_time t = -1;
    if (itsm__time_parse((const char *)data, size, &t) != ITSM_OK)
        return;
    CHECK(t >= ITSM_TIME_MIN && t <= ITSM_TIME_MAX);
    char out[21];
    itsm__time_format(t, out);
    CHECK(size == 20 && memcmp(out, data, 20) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* Small limits, so the fuzzer reaches every limit path quickly; the
     * depth stays below what the recursive helpers here can take. */
    const itsm_json_limits lim = { 4096, 64, 24 };
    itsm__jdoc *doc = NULL;
    itsm_parse_error err;

    fuzz_time(data, size);

    int rc = itsm__json_parse(&doc, (const char *)data, size, NULL, &lim, &err);
    if (rc != ITSM_OK) {
        CHECK(doc == NULL);
        CHECK(rc == ITSM_EPARSE || rc == ITSM_ELIMIT);
        CHECK(err.code == rc);
        CHECK(err.line >= 1 && err.column >= 1);
        CHECK(err.offset <= size);
        CHECK(err.column <= err.offset + 1);
        CHECK(memchr(err.text, '\0', sizeof err.text) != NULL && err.text[0] != '\0');
        return 0;
    }
    CHECK(err.code == ITSM_OK && err.text[0] == '\0');
    const itsm__jval *root = itsm__jdoc_root(doc);
    check_tree(root, size);

    if (has_nul_key(root)) {
        /* jw_key takes C strings, so such keys cannot be written back */
        itsm__jdoc_free(doc);
        return 0;
    }

    itsm__jw w;
    size_t len = 0, len2 = 0;
    itsm__jw_init(&w, NULL, 0);
    write_value(&w, root);
    CHECK(itsm__jw_finish(&w, &len) == ITSM_ELIMIT);
    char *buf = malloc(len + 1);
    CHECK(buf != NULL);
    itsm__jw_init(&w, buf, len + 1);
    write_value(&w, root);
    CHECK(itsm__jw_finish(&w, &len2) == ITSM_OK);
    CHECK(len2 == len && strlen(buf) == len);

    /* The output may be longer than the input ("1e5" -> "100000"), so
     * only the document limit is lifted for the second parse. */
    const itsm_json_limits lim2 = { 0, lim.max_string, lim.max_depth };
    itsm__jdoc *doc2 = NULL;
    rc = itsm__json_parse(&doc2, buf, len, NULL, &lim2, &err);
    if (rc != ITSM_OK) {
        fprintf(stderr, "fuzz_json: writer output refused (%s at %zu:%zu): %s\n", err.text,
                err.line, err.column, buf);
        abort();
    }
    if (!equal(root, itsm__jdoc_root(doc2))) {
        fprintf(stderr, "fuzz_json: round trip changed the tree: %s\n", buf);
        abort();
    }

    /* A truncated write still counts the full length and stays terminated. */
    if (len > 0) {
        size_t cap = len / 2 + 1;
        char *part = malloc(cap);
        CHECK(part != NULL);
        itsm__jw_init(&w, part, cap);
        write_value(&w, root);
        CHECK(itsm__jw_finish(&w, &len2) == (cap > len ? ITSM_OK : ITSM_ELIMIT));
        CHECK(len2 == len);
        CHECK(strlen(part) == (cap > len ? len : cap - 1));
        CHECK(memcmp(part, buf, strlen(part)) == 0);
        free(part);
    }

    itsm__jdoc_free(doc2);
    free(buf);
    itsm__jdoc_free(doc);
    return 0;
}
