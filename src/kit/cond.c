/* SPDX-License-Identifier: Apache-2.0 */
/* Conditions (src/cond.h, docs/conditions.md): a lexer, a recursive-descent
 * parser that type-checks as it goes, and a tree evaluator.
 *
 *   expr    := and ("or" and)*
 *   and     := unary ("and" unary)*
 *   unary   := "not" unary | "(" expr ")" | test
 *   test    := operand [cmp operand | ["not"] "in" "(" constant ("," constant)* ")"]
 *   operand := name | integer | 'string' | "string" | true | false | null
 *   cmp     := == | != | < | <= | > | >=
 *
 * A test without a comparison must be a bool name (or true/false). */
#include "kit/cond.h"
#include "kit/json.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* ---- the compiled form ---- */

enum { N_CONST, N_AND, N_OR, N_NOT, N_TRUTH, N_CMP, N_IN };
enum { OP_EQ, OP_NE, OP_LT, OP_LE, OP_GT, OP_GE };

typedef struct lit {
    int         null;
    int64_t     i;
    const char *s;      /* into the string pool (resolved after compiling) */
    size_t      soff;
} lit;

typedef struct node {
    uint8_t  kind, op, type, neg;   /* neg: `not in` */
    int32_t  a, b;                  /* children; N_IN: first literal, b: count */
    int32_t  id, rid;               /* variable ids; rid < 0: compare with literal `lit` */
    int32_t  lit;                   /* literal index */
    int64_t  value;                 /* N_CONST: 0 or 1 */
} node;

struct itsm__cond {
    node   *nodes;  size_t nnodes, cnodes;
    lit    *lits;   size_t nlits, clits;
    char   *pool;   size_t npool, cpool;
    int     vars[ITSM__COND_MAX_VARS];
    size_t  nvars;
    int32_t root;
};

/* ---- lexer ---- */

enum {
    T_END, T_NAME, T_INT, T_STR, T_LP, T_RP, T_COMMA, T_EQ, T_NE, T_LT, T_LE, T_GT, T_GE,
    T_AND, T_OR, T_NOT, T_IN, T_TRUE, T_FALSE, T_NULL
};

typedef struct tok {
    int     t;
    size_t  at, len;     /* source span */
    int64_t i;
    size_t  soff, slen;  /* T_STR: the unescaped text in the pool */
} tok;

typedef struct cp {
    const char        *s;
    size_t             len, pos;
    tok                tk;
    itsm__cond        *c;
    itsm__cond_lookup  lookup;
    void              *user;
    const itsm_allocator *a;
    itsm_parse_error  *err;
    int                depth, failed;
} cp;

static int fail_at(cp *p, size_t at, int code, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;
static int fail_at(cp *p, size_t at, int code, const char *fmt, ...)
{
    if (p->failed)
        return -1;
    p->failed = code;
    if (p->err) {
        size_t line = 1, col = 1;
        for (size_t i = 0; i < at && i < p->len; i++) {
            if (p->s[i] == '\n') {
                line++;
                col = 1;
            } else {
                col++;
            }
        }
        p->err->code = code;
        p->err->line = line;
        p->err->column = col;
        p->err->offset = at;
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(p->err->text, sizeof p->err->text, fmt, ap);
        va_end(ap);
    }
    return -1;
}

static int grow(cp *p, void **arr, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return 0;
    if (itsm__grow(p->a, arr, cap, need, size))
        return fail_at(p, p->tk.at, ITSM_ENOMEM, "out of memory");
    return 0;
}

static int pool_put(cp *p, char ch)
{
    if (grow(p, (void **)&p->c->pool, &p->c->cpool, p->c->npool + 1, 1))
        return -1;
    p->c->pool[p->c->npool++] = ch;
    return 0;
}

static int is_name_start(char ch) { return (ch >= 'a' && ch <= 'z') || ch == '_'; }
static int is_name_char(char ch) { return is_name_start(ch) || (ch >= '0' && ch <= '9'); }

static const struct { const char *word; int t; } keywords[] = {
    { "and", T_AND }, { "or", T_OR }, { "not", T_NOT }, { "in", T_IN },
    { "true", T_TRUE }, { "false", T_FALSE }, { "null", T_NULL },
};

/* A short, printable quote of the token for messages. */
static const char *shown(const cp *p, const tok *t, char *buf, size_t cap)
{
    if (t->t == T_END)
        return "the end";
    size_t n = t->len < 40 ? t->len : 40;
    if (!itsm__utf8_valid(p->s + t->at, n)) {
        snprintf(buf, cap, "that character");
        return buf;
    }
    snprintf(buf, cap, "'%.*s'", (int)n, p->s + t->at);
    return buf;
}

static int next(cp *p)
{
    const char *s = p->s;
    while (p->pos < p->len && (s[p->pos] == ' ' || s[p->pos] == '\t' || s[p->pos] == '\n' || s[p->pos] == '\r'))
        p->pos++;
    tok *t = &p->tk;
    memset(t, 0, sizeof *t);
    t->at = p->pos;
    if (p->pos >= p->len) {
        t->t = T_END;
        return 0;
    }
    char ch = s[p->pos];
    if (is_name_start(ch)) {
        size_t e = p->pos;
        while (e < p->len && is_name_char(s[e]))
            e++;
        if (e < p->len && s[e] >= 'A' && s[e] <= 'Z')
            return fail_at(p, e, ITSM_EPARSE, "names are lower case: a-z, 0-9 and _");
        t->t = T_NAME;
        t->len = e - p->pos;
        for (size_t k = 0; k < sizeof keywords / sizeof keywords[0]; k++)
            if (strlen(keywords[k].word) == t->len && memcmp(keywords[k].word, s + p->pos, t->len) == 0)
                t->t = keywords[k].t;
        p->pos = e;
        return 0;
    }
    if ((ch >= '0' && ch <= '9') || (ch == '-' && p->pos + 1 < p->len && s[p->pos + 1] >= '0' && s[p->pos + 1] <= '9')) {
        size_t e = p->pos + (ch == '-');
        int64_t v = 0;
        while (e < p->len && s[e] >= '0' && s[e] <= '9') {
            if (v > (INT64_MAX - 9) / 10)
                return fail_at(p, p->pos, ITSM_EPARSE, "a number is too large");
            v = v * 10 + (s[e++] - '0');
        }
        if (e < p->len && is_name_char(s[e]))
            return fail_at(p, e, ITSM_EPARSE, "a number runs into a name");
        t->t = T_INT;
        t->i = ch == '-' ? -v : v;
        t->len = e - p->pos;
        p->pos = e;
        return 0;
    }
    if (ch == '\'' || ch == '"') {
        size_t e = p->pos + 1;
        t->soff = p->c->npool;
        for (;;) {
            if (e >= p->len)
                return fail_at(p, p->pos, ITSM_EPARSE, "a string is not closed");
            char x = s[e];
            if (x == ch)
                break;
            if (x == '\\') {
                if (e + 1 >= p->len || (s[e + 1] != '\\' && s[e + 1] != '\'' && s[e + 1] != '"'))
                    return fail_at(p, e, ITSM_EPARSE, "a string escapes only \\\\, \\' and \\\"");
                x = s[++e];
            } else if ((unsigned char)x < 0x20) {
                return fail_at(p, e, ITSM_EPARSE, "a string holds no control characters");
            }
            if (pool_put(p, x))
                return -1;
            e++;
        }
        t->slen = p->c->npool - t->soff;
        if (t->slen > 255)
            return fail_at(p, p->pos, ITSM_EPARSE, "a string is at most 255 bytes");
        if (pool_put(p, '\0'))
            return -1;
        if (!itsm__utf8_valid(p->c->pool + t->soff, t->slen))
            return fail_at(p, p->pos, ITSM_EPARSE, "a string must be UTF-8 without NUL");
        t->t = T_STR;
        t->len = e + 1 - p->pos;
        p->pos = e + 1;
        return 0;
    }
    static const struct { const char *op; int t; } ops[] = {
        { "==", T_EQ }, { "!=", T_NE }, { "<=", T_LE }, { ">=", T_GE }, { "<", T_LT }, { ">", T_GT },
        { "(", T_LP }, { ")", T_RP }, { ",", T_COMMA },
    };
    for (size_t k = 0; k < sizeof ops / sizeof ops[0]; k++) {
        size_t n = strlen(ops[k].op);
        if (p->pos + n <= p->len && memcmp(s + p->pos, ops[k].op, n) == 0) {
            t->t = ops[k].t;
            t->len = n;
            p->pos += n;
            return 0;
        }
    }
    if (ch == '=')
        return fail_at(p, p->pos, ITSM_EPARSE, "compare with '==', not '='");
    if (ch == '&' || ch == '|' || ch == '!')
        return fail_at(p, p->pos, ITSM_EPARSE, "use the words and, or, not");
    t->t = -1;
    t->len = 1;
    char b[64];
    return fail_at(p, p->pos, ITSM_EPARSE, "unexpected %s", shown(p, t, b, sizeof b));
}

/* ---- building ---- */

static int32_t add_node(cp *p, node n)
{
    if (grow(p, (void **)&p->c->nodes, &p->c->cnodes, p->c->nnodes + 1, sizeof n))
        return -1;
    p->c->nodes[p->c->nnodes] = n;
    return (int32_t)p->c->nnodes++;
}

static int32_t add_lit(cp *p, lit l)
{
    if (grow(p, (void **)&p->c->lits, &p->c->clits, p->c->nlits + 1, sizeof l))
        return -1;
    p->c->lits[p->c->nlits] = l;
    return (int32_t)p->c->nlits++;
}

static int use_var(cp *p, int id, size_t at)
{
    for (size_t i = 0; i < p->c->nvars; i++)
        if (p->c->vars[i] == id)
            return 0;
    if (p->c->nvars == ITSM__COND_MAX_VARS)
        return fail_at(p, at, ITSM_ELIMIT, "a condition reads at most %d names", ITSM__COND_MAX_VARS);
    p->c->vars[p->c->nvars++] = id;
    return 0;
}

/* ---- operands and type checks ---- */

typedef struct operand {
    int        is_var;
    itsm__cvar var;
    tok        tk;        /* the constant's token, or the name's */
} operand;

static const char *type_name(int t)
{
    switch (t) {
    case ITSM__CT_BOOL: return "a bool";
    case ITSM__CT_INT: return "an int";
    case ITSM__CT_TIME: return "a time";
    case ITSM__CT_TEXT: return "a text";
    case ITSM__CT_SYMBOL: return "a symbol";
    default: return "an enum";
    }
}

static const char *const_name(int t)
{
    switch (t) {
    case T_INT: return "a number";
    case T_STR: return "a string";
    case T_NULL: return "null";
    default: return "a bool";
    }
}

static int is_stringy(int t) { return t == ITSM__CT_TEXT || t == ITSM__CT_SYMBOL || t == ITSM__CT_ENUM; }

static int read_operand(cp *p, operand *o)
{
    char b[64];
    memset(o, 0, sizeof *o);
    o->tk = p->tk;
    switch (p->tk.t) {
    case T_NAME:
        if (p->lookup(p->user, p->s + p->tk.at, p->tk.len, &o->var) != 0)
            return fail_at(p, p->tk.at, ITSM_EPARSE, "unknown name '%.*s'", (int)(p->tk.len < 64 ? p->tk.len : 64),
                           p->s + p->tk.at);
        o->is_var = 1;
        if (use_var(p, o->var.id, p->tk.at))
            return -1;
        break;
    case T_INT: case T_STR: case T_TRUE: case T_FALSE: case T_NULL:
        break;
    default:
        return fail_at(p, p->tk.at, ITSM_EPARSE, "a name or a constant was expected, not %s",
                       shown(p, &p->tk, b, sizeof b));
    }
    return next(p);
}

/* Make a literal of constant `k` for a variable `v`, checking its type
 * and, for equality, its range or set of values. */
static int32_t constant_for(cp *p, const operand *v, const tok *k, int equality)
{
    const char *vn = p->s + v->tk.at;
    int vl = (int)(v->tk.len < 64 ? v->tk.len : 64);
    lit l;
    memset(&l, 0, sizeof l);
    if (k->t == T_NULL) {
        if (!equality)
            return fail_at(p, k->at, ITSM_EPARSE, "null is compared only with == and !=");
        l.null = 1;
        return add_lit(p, l);
    }
    int t = v->var.type;
    int ok = (t == ITSM__CT_INT && k->t == T_INT) || (t == ITSM__CT_BOOL && (k->t == T_TRUE || k->t == T_FALSE)) ||
             ((t == ITSM__CT_TIME || is_stringy(t)) && k->t == T_STR);
    if (!ok)
        return fail_at(p, k->at, ITSM_EPARSE, "%.*s is %s; %.*s is %s", vl, vn, type_name(t),
                       (int)(k->len < 40 ? k->len : 40), p->s + k->at, const_name(k->t));
    if (t == ITSM__CT_INT) {
        if (equality && (k->i < v->var.min || k->i > v->var.max))
            return fail_at(p, k->at, ITSM_EPARSE, "%.*s is %lld..%lld; %lld is never equal", vl, vn,
                           (long long)v->var.min, (long long)v->var.max, (long long)k->i);
        l.i = k->i;
    } else if (t == ITSM__CT_BOOL) {
        l.i = k->t == T_TRUE;
    } else if (t == ITSM__CT_TIME) {
        itsm_time when;
        if (itsm__time_parse(p->c->pool + k->soff, k->slen, &when) != ITSM_OK)
            return fail_at(p, k->at, ITSM_EPARSE, "%.*s is a time: write \"YYYY-MM-DDTHH:MM:SSZ\"", vl, vn);
        l.i = when;
    } else {
        if (equality && v->var.accepts && !v->var.accepts(v->var.ctx, p->c->pool + k->soff))
            return fail_at(p, k->at, ITSM_EPARSE, "'%.40s' is not %s", p->c->pool + k->soff,
                           v->var.what ? v->var.what : "one of its values");
        l.soff = k->soff;
    }
    return add_lit(p, l);
}

static int mirror(int op)
{
    switch (op) {
    case OP_LT: return OP_GT;
    case OP_LE: return OP_GE;
    case OP_GT: return OP_LT;
    case OP_GE: return OP_LE;
    default: return op;
    }
}

static int32_t comparison(cp *p, operand *l, int op, size_t op_at, operand *r)
{
    int equality = op == OP_EQ || op == OP_NE;
    if (!l->is_var && !r->is_var)
        return fail_at(p, l->tk.at, ITSM_EPARSE, "compares two constants (is a name quoted?)");
    if (!l->is_var) {   /* 2 < priority: priority > 2 */
        operand x = *l;
        *l = *r;
        *r = x;
        op = mirror(op);
    }
    int t = l->var.type;
    static const char *const op_names[] = { "==", "!=", "<", "<=", ">", ">=" };
    if (!equality && t != ITSM__CT_INT && t != ITSM__CT_TIME)
        return fail_at(p, op_at, ITSM_EPARSE, "'%s' orders numbers and times; %.*s is %s", op_names[op],
                       (int)(l->tk.len < 64 ? l->tk.len : 64), p->s + l->tk.at, type_name(t));
    node n;
    memset(&n, 0, sizeof n);
    n.kind = N_CMP;
    n.op = (uint8_t)op;
    n.type = (uint8_t)t;
    n.id = l->var.id;
    n.rid = -1;
    if (r->is_var) {
        int rt = r->var.type;
        if (rt != t && !(is_stringy(rt) && is_stringy(t)))
            return fail_at(p, r->tk.at, ITSM_EPARSE, "%.*s is %s; %.*s is %s", (int)(l->tk.len < 64 ? l->tk.len : 64),
                           p->s + l->tk.at, type_name(t), (int)(r->tk.len < 64 ? r->tk.len : 64), p->s + r->tk.at,
                           type_name(rt));
        n.rid = r->var.id;
    } else if ((n.lit = constant_for(p, l, &r->tk, equality)) < 0) {
        return -1;
    }
    return add_node(p, n);
}

/* ---- grammar ---- */

static int32_t parse_or(cp *p);

static int32_t parse_test(cp *p)
{
    char b[64];
    operand l, r;
    if (read_operand(p, &l))
        return -1;
    int op = -1;
    switch (p->tk.t) {
    case T_EQ: op = OP_EQ; break;
    case T_NE: op = OP_NE; break;
    case T_LT: op = OP_LT; break;
    case T_LE: op = OP_LE; break;
    case T_GT: op = OP_GT; break;
    case T_GE: op = OP_GE; break;
    default: break;
    }
    if (op >= 0) {
        size_t at = p->tk.at;
        if (next(p) || read_operand(p, &r))
            return -1;
        return comparison(p, &l, op, at, &r);
    }
    int neg = 0;
    if (p->tk.t == T_NOT) {
        if (next(p))
            return -1;
        if (p->tk.t != T_IN)
            return fail_at(p, p->tk.at, ITSM_EPARSE, "'not' after a value must be 'not in'");
        neg = 1;
    }
    if (p->tk.t == T_IN) {
        if (!l.is_var)
            return fail_at(p, l.tk.at, ITSM_EPARSE, "'in' tests a name, not a constant");
        if (l.var.type == ITSM__CT_BOOL)
            return fail_at(p, p->tk.at, ITSM_EPARSE, "'in' tests numbers, times and strings; %.*s is a bool",
                           (int)(l.tk.len < 64 ? l.tk.len : 64), p->s + l.tk.at);
        if (next(p))
            return -1;
        if (p->tk.t != T_LP)
            return fail_at(p, p->tk.at, ITSM_EPARSE, "'in' takes a list: ('a', 'b')");
        node n;
        memset(&n, 0, sizeof n);
        n.kind = N_IN;
        n.neg = (uint8_t)neg;
        n.type = (uint8_t)l.var.type;
        n.id = l.var.id;
        n.a = (int32_t)p->c->nlits;
        do {
            if (next(p))
                return -1;
            if (p->tk.t != T_INT && p->tk.t != T_STR && p->tk.t != T_TRUE && p->tk.t != T_FALSE)
                return fail_at(p, p->tk.at, ITSM_EPARSE, "a list holds constants, not %s",
                               shown(p, &p->tk, b, sizeof b));
            if (n.b == ITSM__COND_MAX_LIST)
                return fail_at(p, p->tk.at, ITSM_ELIMIT, "a list holds at most %d values", ITSM__COND_MAX_LIST);
            if (constant_for(p, &l, &p->tk, 1) < 0 || next(p))
                return -1;
            n.b++;
        } while (p->tk.t == T_COMMA);
        if (p->tk.t != T_RP)
            return fail_at(p, p->tk.at, ITSM_EPARSE, "',' or ')' was expected, not %s", shown(p, &p->tk, b, sizeof b));
        if (next(p))
            return -1;
        return add_node(p, n);
    }
    /* a lone value: a bool name, or true/false */
    node n;
    memset(&n, 0, sizeof n);
    if (!l.is_var) {
        if (l.tk.t != T_TRUE && l.tk.t != T_FALSE)
            return fail_at(p, l.tk.at, ITSM_EPARSE, "%s is not a condition", const_name(l.tk.t));
        n.kind = N_CONST;
        n.value = l.tk.t == T_TRUE;
        return add_node(p, n);
    }
    if (l.var.type != ITSM__CT_BOOL)
        return fail_at(p, l.tk.at, ITSM_EPARSE, "%.*s is %s, not a condition: compare it (==, <, in ...)",
                       (int)(l.tk.len < 64 ? l.tk.len : 64), p->s + l.tk.at, type_name(l.var.type));
    n.kind = N_TRUTH;
    n.id = l.var.id;
    return add_node(p, n);
}

static int32_t parse_unary(cp *p)
{
    char b[64];
    /* only not and '(' nest (docs/conditions.md: 32 levels of them); the
     * test they end in is no level */
    if (p->tk.t != T_NOT && p->tk.t != T_LP)
        return parse_test(p);
    if (++p->depth > ITSM__COND_MAX_DEPTH)
        return fail_at(p, p->tk.at, ITSM_ELIMIT, "a condition nests at most %d deep", ITSM__COND_MAX_DEPTH);
    int32_t r;
    if (p->tk.t == T_NOT) {
        if (next(p) || (r = parse_unary(p)) < 0)
            return -1;
        node n;
        memset(&n, 0, sizeof n);
        n.kind = N_NOT;
        n.a = r;
        r = add_node(p, n);
    } else {   /* '(' */
        if (next(p) || (r = parse_or(p)) < 0)
            return -1;
        if (p->tk.t != T_RP)
            return fail_at(p, p->tk.at, ITSM_EPARSE, "')' was expected, not %s", shown(p, &p->tk, b, sizeof b));
        if (next(p))
            return -1;
    }
    p->depth--;
    return r;
}

static int32_t parse_chain(cp *p, int op_tok, int kind, int32_t (*sub)(cp *))
{
    int32_t l = sub(p);
    while (l >= 0 && p->tk.t == op_tok) {
        int32_t r;
        if (next(p) || (r = sub(p)) < 0)
            return -1;
        node n;
        memset(&n, 0, sizeof n);
        n.kind = (uint8_t)kind;
        n.a = l;
        n.b = r;
        l = add_node(p, n);
    }
    return l;
}

static int32_t parse_and(cp *p) { return parse_chain(p, T_AND, N_AND, parse_unary); }
static int32_t parse_or(cp *p) { return parse_chain(p, T_OR, N_OR, parse_and); }

/* ---- public ---- */

void itsm__cond_free(itsm__cond *c, const itsm_allocator *a)
{
    if (!c)
        return;
    itsm__free(a, c->nodes);
    itsm__free(a, c->lits);
    itsm__free(a, c->pool);
    itsm__free(a, c);
}

int itsm__cond_compile(itsm__cond **out, const char *src, size_t len, itsm__cond_lookup lookup, void *user,
                       const itsm_allocator *a, itsm_parse_error *err)
{
    *out = NULL;
    cp p;
    memset(&p, 0, sizeof p);
    p.s = src;
    p.len = len;
    p.lookup = lookup;
    p.user = user;
    p.a = a;
    p.err = err;
    if (err)
        memset(err, 0, sizeof *err);
    if (len > ITSM__COND_MAX_LEN) {
        fail_at(&p, 0, ITSM_ELIMIT, "a condition is at most %d bytes", ITSM__COND_MAX_LEN);
        return ITSM_ELIMIT;
    }
    if (!(p.c = itsm__calloc(a, 1, sizeof *p.c))) {
        fail_at(&p, 0, ITSM_ENOMEM, "out of memory");
        return ITSM_ENOMEM;
    }
    char b[64];
    int32_t root = -1;
    if (!next(&p)) {
        if (p.tk.t == T_END)
            fail_at(&p, 0, ITSM_EPARSE, "a condition is empty");
        else if ((root = parse_or(&p)) >= 0 && p.tk.t != T_END)
            fail_at(&p, p.tk.at, ITSM_EPARSE, "'and', 'or' or the end was expected, not %s",
                    shown(&p, &p.tk, b, sizeof b));
    }
    if (p.failed) {
        itsm__cond_free(p.c, a);
        return p.failed;
    }
    p.c->root = root;
    for (size_t i = 0; i < p.c->nlits; i++)   /* the pool has stopped moving */
        if (!p.c->lits[i].null)
            p.c->lits[i].s = p.c->pool ? p.c->pool + p.c->lits[i].soff : NULL;
    *out = p.c;
    return ITSM_OK;
}

int itsm__cond_copy(itsm__cond **out, const itsm__cond *src, const itsm_allocator *a)
{
    *out = NULL;
    itsm__cond *c = itsm__calloc(a, 1, sizeof *c);
    if (!c)
        return ITSM_ENOMEM;
    *c = *src;
    c->nodes = NULL;
    c->lits = NULL;
    c->pool = NULL;
    c->cnodes = c->nnodes;
    c->clits = c->nlits;
    c->cpool = c->npool;
    if ((src->nnodes && !(c->nodes = itsm__malloc(a, src->nnodes * sizeof *c->nodes))) ||
        (src->nlits && !(c->lits = itsm__malloc(a, src->nlits * sizeof *c->lits))) ||
        (src->npool && !(c->pool = itsm__malloc(a, src->npool)))) {
        itsm__cond_free(c, a);
        return ITSM_ENOMEM;
    }
    if (src->nnodes)
        memcpy(c->nodes, src->nodes, src->nnodes * sizeof *c->nodes);
    if (src->npool)
        memcpy(c->pool, src->pool, src->npool);
    for (size_t i = 0; i < src->nlits; i++) {
        c->lits[i] = src->lits[i];
        if (!c->lits[i].null)
            c->lits[i].s = c->pool ? c->pool + c->lits[i].soff : NULL;
    }
    *out = c;
    return ITSM_OK;
}

const int *itsm__cond_vars(const itsm__cond *c, size_t *n)
{
    *n = c->nvars;
    return c->vars;
}

static int equal(int type, const itsm__cval *v, const lit *l)
{
    if (l->null)
        return v->null;
    if (v->null)
        return 0;
    if (is_stringy(type))
        return v->s && strcmp(v->s, l->s) == 0;
    return v->i == l->i;
}

static int order(int op, int64_t x, int64_t y)
{
    switch (op) {
    case OP_LT: return x < y;
    case OP_LE: return x <= y;
    case OP_GT: return x > y;
    default: return x >= y;
    }
}

static int eval(const itsm__cond *c, int32_t at, itsm__cond_get get, void *user)
{
    const node *n = &c->nodes[at];
    itsm__cval v, w;
    switch (n->kind) {
    case N_CONST:
        return (int)n->value;
    case N_AND:
        return eval(c, n->a, get, user) && eval(c, n->b, get, user);
    case N_OR:
        return eval(c, n->a, get, user) || eval(c, n->b, get, user);
    case N_NOT:
        return !eval(c, n->a, get, user);
    case N_TRUTH:
        get(user, n->id, &v);
        return !v.null && v.i != 0;
    case N_IN: {
        get(user, n->id, &v);
        int found = 0;
        for (int32_t i = 0; i < n->b && !found; i++)
            found = !v.null && equal(n->type, &v, &c->lits[n->a + i]);
        return found != n->neg;
    }
    default:   /* N_CMP */
        get(user, n->id, &v);
        if (n->rid >= 0) {
            get(user, n->rid, &w);
            if (n->op == OP_EQ || n->op == OP_NE) {
                int eq = v.null || w.null ? v.null && w.null
                         : is_stringy(n->type) ? (v.s && w.s && strcmp(v.s, w.s) == 0) : v.i == w.i;
                return n->op == OP_EQ ? eq : !eq;
            }
            return !v.null && !w.null && order(n->op, v.i, w.i);
        }
        if (n->op == OP_EQ)
            return equal(n->type, &v, &c->lits[n->lit]);
        if (n->op == OP_NE)
            return !equal(n->type, &v, &c->lits[n->lit]);
        return !v.null && order(n->op, v.i, c->lits[n->lit].i);
    }
}

int itsm__cond_eval(const itsm__cond *c, itsm__cond_get get, void *user)
{
    return c->root >= 0 ? eval(c, c->root, get, user) : 0;
}
