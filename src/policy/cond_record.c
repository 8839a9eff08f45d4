/* SPDX-License-Identifier: Apache-2.0 */
/* The names a condition reads on a record: every field by its name, plus
 * state, kind, open and event (the lifecycle event being applied); their types, ranges and the values a constant
 * must be one of; and a getter over a record (docs/conditions.md). */
#include "policy/cond_record.h"
#include "core/fields.h"
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

int itsm__cond_record_lookup(void *policy, const char *name, size_t len, itsm__cvar *out)
{
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
    int f = itsm__field_lookup(name, len);
    if (f < 0)
        return -1;
    out->id = f;
    switch (itsm__fields[f].type) {
    case ITSM_TYPE_TEXT: out->type = ITSM__CT_TEXT; break;
    case ITSM_TYPE_SYMBOL: out->type = ITSM__CT_SYMBOL; break;
    case ITSM_TYPE_BOOL: out->type = ITSM__CT_BOOL; break;
    case ITSM_TYPE_TIME: out->type = ITSM__CT_TIME; break;
    default:
        out->type = ITSM__CT_INT;
        out->min = itsm__fields[f].min;
        out->max = itsm__fields[f].max;
        break;
    }
    return 0;
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
    default:
        if (itsm__field_is_str((itsm_field)id)) {
            out->s = itsm_record_str(r, (itsm_field)id);
        } else if (itsm__fields[id].type == ITSM_TYPE_BOOL) {
            out->i = itsm_record_int(r, (itsm_field)id) != 0;
            return;
        } else {
            /* 0 is "unset" for an int whose range starts above it (priority);
             * a counter (reassignments, 0..) always has a value */
            out->i = itsm_record_int(r, (itsm_field)id);
            out->null = itsm__fields[id].type == ITSM_TYPE_TIME ? out->i == ITSM_TIME_NONE
                                                                : out->i == 0 && itsm__fields[id].min > 0;
            return;
        }
        break;
    }
    out->null = out->s == NULL;
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
