/* SPDX-License-Identifier: Apache-2.0 */
/* Custom fields declared by the policy (include/itsm/policy.h "custom
 * fields"): the builder, the getters, copies, and the document's "fields"
 * member. */
#include "policy/policy_int.h"
#include "core/abi.h"
#include "kit/alloc.h"
#include "kit/json.h"
#include "kit/opts.h"
#include "kit/value.h"

#include <stdio.h>
#include <string.h>

#define MAX_VALUES 64

static const char *const type_names[] = { NULL, "text", "symbol", "int", "bool", "time", "enum" };

ITSM__DEFINE_INIT(itsm_field_def_init, itsm_field_def, ITSM_FIELD_DEF_VERSION, ITSM_FIELD_DEF_INIT)

int itsm__policy_field_lookup(const itsm_policy *p, const char *name, size_t n)
{
    int f = itsm__field_lookup(name, n);
    if (f >= 0)
        return f;
    for (uint32_t i = 0; i < p->ncf; i++)
        if (strlen(p->cf[i].info.name) == n && memcmp(p->cf[i].info.name, name, n) == 0)
            return (int)ITSM_F_CUSTOM_FIRST + (int)i;
    return -1;
}

static void cfield_free(const itsm_allocator *a, itsm__cfield *c)
{
    itsm__free(a, (void *)(uintptr_t)c->info.name);
    for (uint32_t i = 0; i < c->nvalues; i++)
        itsm__free(a, c->values[i]);
    itsm__free(a, c->values);
    memset(c, 0, sizeof *c);
}

void itsm__cfields_free(itsm_policy *p)
{
    for (uint32_t i = 0; i < p->ncf; i++)
        cfield_free(&p->alloc, &p->cf[i]);
    p->ncf = 0;
    p->cf_text = 0;
}

static int name_ok(const char *s)
{
    size_t n = 0;
    if (!s)
        return 0;
    for (; s[n]; n++)
        if (!((s[n] >= 'a' && s[n] <= 'z') || (s[n] >= '0' && s[n] <= '9') || s[n] == '_'))
            return 0;
    return n && n <= ITSM__NAME_MAX;
}

int itsm_policy_add_field(itsm_policy *p, const itsm_field_def *def, itsm_field *out)
{
    if (!p)
        return ITSM_EINVAL;
    itsm__errbuf *e = &p->err;
    if (!def)
        return itsm__errbuf_set(e, ITSM_EINVAL, "field definition is NULL");
    char vmsg[192];
    /* A newer definition names both versions (common.h), as every other does. */
    if (itsm__version_check(def->version, ITSM_FIELD_DEF_VERSION, "field definition", vmsg, sizeof vmsg))
        return itsm__errbuf_set(e, ITSM_EINVAL, "%s", vmsg);
    if (!name_ok(def->name))
        return itsm__errbuf_set(e, ITSM_EINVAL, "a field name must be 1..63 characters of a-z, 0-9 and _");
    if (itsm__policy_field_lookup(p, def->name, strlen(def->name)) >= 0)
        return itsm__errbuf_set(e, ITSM_EEXISTS, "field '%s' already exists", def->name);
    if (p->ncf == ITSM_MAX_CUSTOM_FIELDS)
        return itsm__errbuf_set(e, ITSM_ELIMIT, "a policy declares at most %d fields", ITSM_MAX_CUSTOM_FIELDS);
    if ((int)def->type < ITSM_TYPE_TEXT || (int)def->type > ITSM_TYPE_ENUM)
        return itsm__errbuf_set(e, ITSM_EINVAL, "field '%s': unknown type %d", def->name, (int)def->type);
    unsigned all = 0;
    for (int k = 1; k <= ITSM_KIND_COUNT; k++)
        all |= 1u << k;
    if ((def->kinds & ~all) || (def->required & ~all))
        return itsm__errbuf_set(e, ITSM_EINVAL, "field '%s': unknown kind bits", def->name);
    unsigned kinds = def->kinds ? def->kinds : all;
    if (def->required & ~kinds)
        return itsm__errbuf_set(e, ITSM_EINVAL, "field '%s' is required for a kind it does not apply to", def->name);
    if (def->type == ITSM_TYPE_INT && def->min > def->max)
        return itsm__errbuf_set(e, ITSM_EINVAL, "field '%s': range %lld..%lld is empty", def->name,
                                (long long)def->min, (long long)def->max);
    if (def->type == ITSM_TYPE_INT && def->min == ITSM__CX_UNSET)   /* that value means "unset" */
        return itsm__errbuf_set(e, ITSM_EINVAL, "field '%s': an int's range starts at %lld at the least", def->name,
                                (long long)ITSM__CX_UNSET + 1);
    if (def->type == ITSM_TYPE_ENUM) {
        if (!def->values || def->nvalues < 1 || def->nvalues > MAX_VALUES)
            return itsm__errbuf_set(e, ITSM_EINVAL, "field '%s': an enum has 1..%d values", def->name, MAX_VALUES);
        /* the refusal names the field: a policy declares many enums */
        char what[96];
        snprintf(what, sizeof what, "field '%s': an enum value", def->name);
        for (size_t i = 0; i < def->nvalues; i++) {
            int rc = itsm__check_symbol_z(e, what, NULL, def->values[i]);
            if (rc)
                return rc;
            for (size_t j = 0; j < i; j++)
                if (strcmp(def->values[i], def->values[j]) == 0)
                    return itsm__errbuf_set(e, ITSM_EINVAL, "field '%s': value '%s' is listed twice", def->name,
                                            def->values[i]);
        }
    } else if (def->values || def->nvalues) {
        return itsm__errbuf_set(e, ITSM_EINVAL, "field '%s': only an enum has values", def->name);
    }
    itsm__cfield c;
    memset(&c, 0, sizeof c);
    c.info.type = def->type;
    c.info.slot = (unsigned char)p->ncf;
    c.info.min = def->type == ITSM_TYPE_INT ? def->min : def->type == ITSM_TYPE_BOOL ? 0 : ITSM_TIME_MIN;
    c.info.max = def->type == ITSM_TYPE_INT ? def->max : def->type == ITSM_TYPE_BOOL ? 1 : ITSM_TIME_MAX;
    c.kinds = kinds;
    c.required = def->required;
    if (!(c.info.name = itsm__strdup(&p->alloc, def->name)))
        return itsm__errbuf_oom(e);
    if (def->type == ITSM_TYPE_ENUM) {
        if (!(c.values = itsm__calloc(&p->alloc, def->nvalues, sizeof *c.values))) {
            cfield_free(&p->alloc, &c);
            return itsm__errbuf_oom(e);
        }
        for (size_t i = 0; i < def->nvalues; i++, c.nvalues++)
            if (!(c.values[i] = itsm__strdup(&p->alloc, def->values[i]))) {
                cfield_free(&p->alloc, &c);
                return itsm__errbuf_oom(e);
            }
    }
    p->cf[p->ncf] = c;
    if (c.info.type == ITSM_TYPE_TEXT)
        p->cf_text = 1;
    if (out)
        *out = (itsm_field)((int)ITSM_F_CUSTOM_FIRST + (int)p->ncf);
    p->ncf++;
    itsm__errbuf_clear(e);
    return ITSM_OK;
}

/* The definition of custom field i, its strings borrowed. */
static void def_of(itsm_field_def *d, const itsm__cfield *c)
{
    itsm_field_def init = ITSM_FIELD_DEF_INIT;
    *d = init;
    d->name = c->info.name;
    d->type = c->info.type;
    if (c->info.type == ITSM_TYPE_INT) {
        d->min = c->info.min;
        d->max = c->info.max;
    }
    d->values = (const char *const *)c->values;
    d->nvalues = c->nvalues;
    d->kinds = c->kinds;
    d->required = c->required;
}

int itsm__cfields_clone(itsm_policy *dst, const itsm_policy *src)
{
    for (uint32_t i = 0; i < src->ncf; i++) {
        itsm_field_def d;
        def_of(&d, &src->cf[i]);
        int rc = itsm_policy_add_field(dst, &d, NULL);
        if (rc)
            return rc;
    }
    return ITSM_OK;
}

size_t itsm_policy_field_count(const itsm_policy *p) { return p ? p->ncf : 0; }

int itsm_policy_field(itsm_field *out, const itsm_policy *p, const char *name)
{
    if (!out || !p || !name)
        return ITSM_EINVAL;
    int f = itsm__policy_field_lookup(p, name, strlen(name));
    if (f < 0)
        return ITSM_ENOTFOUND;
    *out = (itsm_field)f;
    return ITSM_OK;
}

const char *itsm_policy_field_name(const itsm_policy *p, itsm_field f)
{
    const itsm__field_info *fi = p ? itsm__finfo(p, (int)f) : NULL;
    return fi ? fi->name : NULL;
}

itsm_field_type itsm_policy_field_type(const itsm_policy *p, itsm_field f)
{
    const itsm__field_info *fi = p ? itsm__finfo(p, (int)f) : NULL;
    return fi ? fi->type : (itsm_field_type)0;
}

int itsm_policy_field_def(itsm_field_def *out, const itsm_policy *p, itsm_field f)
{
    const itsm__cfield *c = p ? itsm__cfield_of(p, (int)f) : NULL;
    if (!out || !c || out->version < 1 || out->version > ITSM_FIELD_DEF_VERSION)
        return ITSM_EINVAL;
    def_of(out, c);
    return ITSM_OK;
}

/* ---- the document: "fields" ---- */

static int kinds_read(const itsm__jval *v, unsigned *out, itsm_parse_error *err, const char *key)
{
    *out = 0;
    if (!v)
        return ITSM_OK;
    if (v->type != ITSM__JARRAY)
        return itsm__json_schema_error(err, v, "'%s' must be an array of record kinds", key);
    /* An empty list would read as the C default (0: every kind), the
     * opposite of what it says; "required": [] means none, as written. */
    if (!v->u.arr.n && !strcmp(key, "kinds"))
        return itsm__json_schema_error(err, v, "'kinds' names no record kind (leave it out for every kind)");
    for (size_t i = 0; i < v->u.arr.n; i++) {
        const itsm__jval *k = &v->u.arr.items[i];
        itsm_kind kind;
        if (k->type != ITSM__JSTRING || strlen(k->u.str.s) != k->u.str.len ||
            itsm_kind_from_name(&kind, k->u.str.s) != ITSM_OK)
            return itsm__json_schema_error(err, k, "'%s' must list record kinds", key);
        *out |= 1u << kind;
    }
    return ITSM_OK;
}

static int read_one(itsm_policy *p, const itsm__jval *v, itsm_parse_error *err)
{
    static const char *const keys[] = { "name", "type", "min", "max", "values", "kinds", "required", NULL };
    int rc;
    if (v->type != ITSM__JOBJECT)
        return itsm__json_schema_error(err, v, "a field must be an object with a 'name' and a 'type'");
    if ((rc = itsm__json_only_keys(v, keys, "a field", err)))
        return rc;
    itsm_field_def d = ITSM_FIELD_DEF_INIT;
    const itsm__jval *name = itsm__json_get(v, "name"), *type = itsm__json_get(v, "type");
    if (!name || name->type != ITSM__JSTRING || strlen(name->u.str.s) != name->u.str.len)
        return itsm__json_schema_error(err, name ? name : v, "a field needs a 'name'");
    d.name = name->u.str.s;
    int t = 0;
    for (int i = ITSM_TYPE_TEXT; i <= ITSM_TYPE_ENUM && type && type->type == ITSM__JSTRING; i++)
        if (strcmp(type_names[i], type->u.str.s) == 0)
            t = i;
    if (!t)
        return itsm__json_schema_error(err, type ? type : v,
                                       "'type' must be text, symbol, int, bool, time or enum");
    d.type = (itsm_field_type)t;
    const itsm__jval *mn = itsm__json_get(v, "min"), *mx = itsm__json_get(v, "max");
    if ((mn || mx) && t != ITSM_TYPE_INT)
        return itsm__json_schema_error(err, mn ? mn : mx, "only an int field has 'min' and 'max'");
    if (t == ITSM_TYPE_INT) {
        if (!mn || !mx || mn->type != ITSM__JNUMBER || !mn->u.num.is_int || mx->type != ITSM__JNUMBER ||
            !mx->u.num.is_int)
            return itsm__json_schema_error(err, mn && mx ? mn : v, "an int field needs whole numbers 'min' and 'max'");
        d.min = mn->u.num.i;
        d.max = mx->u.num.i;
    }
    const itsm__jval *vals = itsm__json_get(v, "values");
    const char *vv[MAX_VALUES];
    if (vals) {
        if (t != ITSM_TYPE_ENUM || vals->type != ITSM__JARRAY || vals->u.arr.n > MAX_VALUES)
            return itsm__json_schema_error(err, vals, "only an enum field has 'values', an array of 1..%d names",
                                           MAX_VALUES);
        for (size_t i = 0; i < vals->u.arr.n; i++) {
            const itsm__jval *e = &vals->u.arr.items[i];
            if (e->type != ITSM__JSTRING || strlen(e->u.str.s) != e->u.str.len)
                return itsm__json_schema_error(err, e, "an enum value must be a string");
            vv[i] = e->u.str.s;
        }
        d.values = vv;
        d.nvalues = vals->u.arr.n;
    }
    if ((rc = kinds_read(itsm__json_get(v, "kinds"), &d.kinds, err, "kinds")) ||
        (rc = kinds_read(itsm__json_get(v, "required"), &d.required, err, "required")))
        return rc;
    if ((rc = itsm_policy_add_field(p, &d, NULL))) {
        if (rc == ITSM_ENOMEM)
            return rc;
        itsm__json_schema_error(err, v, "%s", p->err.msg);
        if (err)
            err->code = rc == ITSM_ELIMIT ? ITSM_ELIMIT : ITSM_EPARSE;
        return rc == ITSM_ELIMIT ? ITSM_ELIMIT : ITSM_EPARSE;
    }
    return ITSM_OK;
}

int itsm__cfields_read(itsm_policy *p, const itsm__jval *root, itsm_parse_error *err)
{
    const itsm__jval *f = itsm__json_get(root, "fields");
    if (!f)
        return ITSM_OK;
    if (f->type != ITSM__JARRAY)
        return itsm__json_schema_error(err, f, "'fields' must be an array of field objects");
    for (size_t i = 0; i < f->u.arr.n; i++) {
        int rc = read_one(p, &f->u.arr.items[i], err);
        if (rc)
            return rc;
    }
    return ITSM_OK;
}

static void kinds_write(itsm__jw *w, const char *key, unsigned bits)
{
    itsm__jw_key(w, key);
    itsm__jw_arr_begin(w);
    for (int k = 1; k <= ITSM_KIND_COUNT; k++)
        if (bits & (1u << k))
            itsm__jw_str(w, itsm_kind_name((itsm_kind)k));
    itsm__jw_arr_end(w);
}

void itsm__cfields_write(const itsm_policy *p, itsm__jw *w)
{
    if (!p->ncf)
        return;   /* the member is written only when fields are declared */
    unsigned all = 0;
    for (int k = 1; k <= ITSM_KIND_COUNT; k++)
        all |= 1u << k;
    itsm__jw_key(w, "fields");
    itsm__jw_arr_begin(w);
    for (uint32_t i = 0; i < p->ncf; i++) {
        const itsm__cfield *c = &p->cf[i];
        itsm__jw_obj_begin(w);
        itsm__jw_key(w, "name");
        itsm__jw_str(w, c->info.name);
        itsm__jw_key(w, "type");
        itsm__jw_str(w, type_names[c->info.type]);
        if (c->info.type == ITSM_TYPE_INT) {
            itsm__jw_key(w, "min");
            itsm__jw_int(w, c->info.min);
            itsm__jw_key(w, "max");
            itsm__jw_int(w, c->info.max);
        }
        if (c->info.type == ITSM_TYPE_ENUM) {
            itsm__jw_key(w, "values");
            itsm__jw_arr_begin(w);
            for (uint32_t v = 0; v < c->nvalues; v++)
                itsm__jw_str(w, c->values[v]);
            itsm__jw_arr_end(w);
        }
        if (c->kinds != all)
            kinds_write(w, "kinds", c->kinds);
        if (c->required)
            kinds_write(w, "required", c->required);
        itsm__jw_obj_end(w);
    }
    itsm__jw_arr_end(w);
}
