/* SPDX-License-Identifier: Apache-2.0 */
/* The names a condition reads on a record: every field by its name (the
 * built-in ones and those the policy declares), plus state, kind, open and
 * event (the lifecycle event being applied);
 * their types, ranges and the values a constant must be one of; and the
 * getters over a record and over a record as an event will leave it
 * (docs/conditions.md). */
#include "core/cond_record.h"
#include "core/core.h"
#include "kit/err.h"
#include "policy/policy_int.h"

#include <string.h>

/* Any lifecycle of the policy has a state of that name. */
static int is_state(const void *ctx, const char *value)
{
    const itsm_policy *p = ctx;
    for (int k = 1; k <= ITSM_KIND_COUNT; k++)
        for (size_t i = 0; i < p->lc[k].nstates; i++)
            if (strcmp(p->lc[k].states[i], value) == 0)
                return 1;
    return 0;
}

/* Any lifecycle of the policy has an event of that name. */
static int is_event(const void *ctx, const char *value)
{
    const itsm_policy *p = ctx;
    for (int k = 1; k <= ITSM_KIND_COUNT; k++)
        for (size_t i = 0; i < p->lc[k].nevents; i++)
            if (strcmp(p->lc[k].events[i], value) == 0)
                return 1;
    return 0;
}

static int is_kind(const void *ctx, const char *value)
{
    (void)ctx;
    itsm_kind k;
    return itsm_kind_from_name(&k, value) == ITSM_OK;
}

/* One of an enum field's values. */
static int is_value(const void *ctx, const char *value)
{
    const itsm__cfield *c = ctx;
    for (uint32_t i = 0; i < c->nvalues; i++)
        if (strcmp(c->values[i], value) == 0)
            return 1;
    return 0;
}

int itsm__cond_record_lookup(void *policy, const char *name, size_t len, itsm__cvar *out)
{
    const itsm_policy *p = policy;
    memset(out, 0, sizeof *out);
    static const struct { const char *name; int id, type; } extra[] = {
        { "state", ITSM__CID_STATE, ITSM__CT_ENUM },
        { "kind", ITSM__CID_KIND, ITSM__CT_ENUM },
        { "open", ITSM__CID_OPEN, ITSM__CT_BOOL },
        { "event", ITSM__CID_EVENT, ITSM__CT_ENUM },
    };
    for (size_t i = 0; i < sizeof extra / sizeof extra[0]; i++)
        if (strlen(extra[i].name) == len && memcmp(extra[i].name, name, len) == 0) {
            out->id = extra[i].id;
            out->type = extra[i].type;
            if (extra[i].id == ITSM__CID_STATE) {
                out->accepts = is_state;
                out->ctx = policy;
                out->what = "a state of the policy's lifecycles";
            } else if (extra[i].id == ITSM__CID_EVENT) {
                out->accepts = is_event;
                out->ctx = policy;
                out->what = "an event of the policy's lifecycles";
            } else if (extra[i].id == ITSM__CID_KIND) {
                out->accepts = is_kind;
                out->what = "a record kind (incident, service_request, problem, change, knowledge)";
            }
            return 0;
        }
    int f = itsm__policy_field_lookup(p, name, len);
    const itsm__field_info *fi = f < 0 ? NULL : itsm__finfo(p, f);
    if (!fi)
        return -1;
    out->id = f;
    switch (fi->type) {
    case ITSM_TYPE_TEXT: out->type = ITSM__CT_TEXT; break;
    case ITSM_TYPE_SYMBOL: out->type = ITSM__CT_SYMBOL; break;
    case ITSM_TYPE_BOOL: out->type = ITSM__CT_BOOL; break;
    case ITSM_TYPE_TIME: out->type = ITSM__CT_TIME; break;
    case ITSM_TYPE_ENUM:
        out->type = ITSM__CT_ENUM;
        out->accepts = is_value;
        out->ctx = itsm__cfield_of(p, f);
        out->what = "one of the field's values";
        break;
    default:
        out->type = ITSM__CT_INT;
        out->min = fi->min;
        out->max = fi->max;
        break;
    }
    return 0;
}

/* A field's value, from the getters given: 0 is "unset" for a built-in
 * int whose range starts above it (priority); a counter (reassignments,
 * 0..) always has a value; a custom int is unset until given a value, 0
 * included (`has`, as itsm_record_has says). */
static void field_value(const itsm__field_info *fi, int custom, int has, const char *s, int64_t n, itsm__cval *out)
{
    switch (fi->type) {
    case ITSM_TYPE_TEXT:
    case ITSM_TYPE_SYMBOL:
    case ITSM_TYPE_ENUM:
        out->s = s;
        out->null = s == NULL;
        return;
    case ITSM_TYPE_BOOL:
        out->i = n != 0;
        return;
    case ITSM_TYPE_TIME:
        out->i = n;
        out->null = n == ITSM_TIME_NONE;
        return;
    default:
        out->i = n;
        out->null = custom ? !has : n == 0 && fi->min > 0;
        return;
    }
}

static int str_type(itsm_field_type t)
{
    return t == ITSM_TYPE_TEXT || t == ITSM_TYPE_SYMBOL || t == ITSM_TYPE_ENUM;
}

void itsm__cond_record_get(void *subject, int id, itsm__cval *out)
{
    const itsm__cond_subject *sub = subject;
    const itsm_record *r = sub->rec;
    out->null = 0;
    out->i = 0;
    out->s = NULL;
    switch (id) {
    case ITSM__CID_STATE:
        out->s = itsm_record_state(r);
        break;
    case ITSM__CID_KIND:
        out->s = itsm_kind_name(itsm_record_kind(r));
        break;
    case ITSM__CID_OPEN:
        out->i = itsm_record_is_open(r);
        return;
    case ITSM__CID_EVENT:
        out->s = sub->event;
        break;
    default: {
        const itsm__field_info *fi = itsm__field_of(r->eng, (itsm_field)id);
        int s = str_type(fi->type), custom = itsm__field_custom(id);
        field_value(fi, custom, custom && itsm_record_has(r, (itsm_field)id),
                    s ? itsm_record_str(r, (itsm_field)id) : NULL, s ? 0 : itsm_record_int(r, (itsm_field)id), out);
        return;
    }
    }
    out->null = out->s == NULL;
}

void itsm__cond_view_get(void *view, int id, itsm__cval *out)
{
    const itsm__cond_view *v = view;
    const itsm_record *r = v->rec;
    const itsm_event *ev = v->ev;
    out->null = 0;
    out->i = 0;
    out->s = NULL;
    switch (id) {
    case ITSM__CID_STATE:
        out->s = ev->to_name ? ev->to_name : itsm_record_state(r);
        break;
    case ITSM__CID_KIND:
        out->s = itsm_kind_name(r->kind);
        break;
    case ITSM__CID_OPEN:
        out->i = ev->to_name ? !itsm__lc_is_closed(itsm__lifecycle_of(r->eng, r->kind), ev->to_state)
                             : itsm_record_is_open(r);
        return;
    case ITSM__CID_EVENT:
        out->s = ev->type == ITSM__EV_TRANSITION ? ev->ev_name : NULL;
        break;
    default: {
        const itsm__field_info *fi = itsm__field_of(r->eng, (itsm_field)id);
        int s = str_type(fi->type), custom = itsm__field_custom(id);
        field_value(fi, custom, custom && itsm__view_has(r, ev, (itsm_field)id),
                    s ? itsm__view_str(r, ev, (itsm_field)id) : NULL, s ? 0 : itsm__view_num(r, ev, (itsm_field)id),
                    out);
        return;
    }
    }
    out->null = out->s == NULL;
}

int itsm__cond_policy_compile(itsm_policy *p, itsm__cond **out, const char *text, const char *where)
{
    itsm_parse_error perr;
    memset(&perr, 0, sizeof perr);
    int rc = itsm__cond_compile(out, text, strlen(text), itsm__cond_record_lookup, p, &p->alloc, &perr);
    if (rc == ITSM_ENOMEM)
        return itsm__errbuf_oom(&p->err);
    if (rc)
        /* the line too: a condition may span several (docs/conditions.md) */
        return itsm__errbuf_set(&p->err, rc, "%s: condition, line %zu, column %zu: %s", where, perr.line,
                                perr.column, perr.text);
    return ITSM_OK;
}

int itsm_policy_check_condition(const itsm_policy *policy, const char *text, size_t len, itsm_parse_error *err)
{
    if (!policy || !text)
        return ITSM_EINVAL;
    itsm__cond *c;
    int rc = itsm__cond_compile(&c, text, len, itsm__cond_record_lookup, (void *)policy, &policy->alloc, err);
    itsm__cond_free(c, &policy->alloc);
    return rc;
}

int itsm_record_condition(int *out, const itsm_record *rec, const char *text, size_t len, itsm_parse_error *err)
{
    if (!out || !rec || !text)
        return ITSM_EINVAL;
    const itsm_policy *p = itsm_engine_policy(itsm_record_engine(rec));
    itsm__cond *c;
    int rc = itsm__cond_compile(&c, text, len, itsm__cond_record_lookup, (void *)p, &p->alloc, err);
    if (rc)
        return rc;
    itsm__cond_subject sub = { rec, NULL };
    *out = itsm__cond_eval(c, itsm__cond_record_get, &sub);
    itsm__cond_free(c, &p->alloc);
    return ITSM_OK;
}
