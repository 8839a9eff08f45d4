/* SPDX-License-Identifier: Apache-2.0 */
#include "core/fields.h"
#include "itsm/errors.h"

#include <string.h>

#define S(name, type, slot) { name, type, slot, 0, (type) == ITSM_TYPE_TEXT ? ITSM__STORE_TEXT : ITSM__STORE_SYM, 0, 0 }
#define N(name, type, slot, lo, hi) { name, type, slot, 0, ITSM__STORE_NUM(slot), lo, hi }
#define E(name, type, slot, lo, hi) { name, type, slot, 1, ITSM__STORE_NUM(slot), lo, hi }

/* Order follows itsm_field; slots are dense per storage kind. */
const itsm__field_info itsm__fields[ITSM_F__COUNT] = {
    [ITSM_F_SUMMARY]             = S("summary",             ITSM_TYPE_TEXT,   0),
    [ITSM_F_DESCRIPTION]         = S("description",         ITSM_TYPE_TEXT,   1),
    [ITSM_F_CALLER]              = S("caller",              ITSM_TYPE_SYMBOL, ITSM__SLOT_CALLER),
    [ITSM_F_CONTACT_VERIFIED]    = N("contact_verified",    ITSM_TYPE_BOOL,   0, 0, 1),
    [ITSM_F_SERVICE]             = S("service",             ITSM_TYPE_SYMBOL, ITSM__SLOT_SERVICE),
    [ITSM_F_CI]                  = S("ci",                  ITSM_TYPE_SYMBOL, ITSM__SLOT_CI),
    [ITSM_F_CATEGORY]            = S("category",            ITSM_TYPE_SYMBOL, ITSM__SLOT_CATEGORY),
    [ITSM_F_SUBCATEGORY]         = S("subcategory",         ITSM_TYPE_SYMBOL, ITSM__SLOT_SUBCATEGORY),
    [ITSM_F_IMPACT]              = N("impact",              ITSM_TYPE_INT,    ITSM__SLOT_IMPACT, 1, 3),
    [ITSM_F_URGENCY]             = N("urgency",             ITSM_TYPE_INT,    ITSM__SLOT_URGENCY, 1, 3),
    [ITSM_F_PRIORITY]            = N("priority",            ITSM_TYPE_INT,    ITSM__SLOT_PRIORITY, 1, 5),
    [ITSM_F_ASSIGNMENT_GROUP]    = S("assignment_group",    ITSM_TYPE_SYMBOL, ITSM__SLOT_ASSIGNMENT_GROUP),
    [ITSM_F_ASSIGNEE]            = S("assignee",            ITSM_TYPE_SYMBOL, ITSM__SLOT_ASSIGNEE),
    [ITSM_F_FUNCTIONAL_LEVEL]    = N("functional_level",    ITSM_TYPE_INT,    4, 1, 3),
    [ITSM_F_HIERARCHICAL_LEVEL]  = N("hierarchical_level",  ITSM_TYPE_INT,    5, 0, 9),
    [ITSM_F_MAJOR]               = N("major",               ITSM_TYPE_BOOL,   ITSM__SLOT_MAJOR, 0, 1),
    [ITSM_F_HOLD_REASON]         = S("hold_reason",         ITSM_TYPE_SYMBOL, ITSM__SLOT_HOLD_REASON),
    [ITSM_F_WORKAROUND]          = S("workaround",          ITSM_TYPE_TEXT,   2),
    [ITSM_F_NO_WORKAROUND]       = N("no_workaround",       ITSM_TYPE_BOOL,   7, 0, 1),
    [ITSM_F_CAUSE]               = S("cause",               ITSM_TYPE_TEXT,   3),
    [ITSM_F_RESOLUTION_CODE]     = S("resolution_code",     ITSM_TYPE_SYMBOL, ITSM__SLOT_RESOLUTION_CODE),
    [ITSM_F_RESOLUTION_NOTES]    = S("resolution_notes",    ITSM_TYPE_TEXT,   4),
    [ITSM_F_CLOSE_JUSTIFICATION] = S("close_justification", ITSM_TYPE_TEXT,   5),
    [ITSM_F_KNOWLEDGE_DECISION]  = S("knowledge_decision",  ITSM_TYPE_SYMBOL, ITSM__SLOT_KNOWLEDGE_DECISION),
    [ITSM_F_CHANGE_TYPE]         = S("change_type",         ITSM_TYPE_SYMBOL, ITSM__SLOT_CHANGE_TYPE),
    [ITSM_F_OPENED_AT]           = E("opened_at",           ITSM_TYPE_TIME,   ITSM__SLOT_OPENED_AT, ITSM_TIME_MIN, ITSM_TIME_MAX),
    [ITSM_F_RESPONDED_AT]        = E("responded_at",        ITSM_TYPE_TIME,   ITSM__SLOT_RESPONDED_AT, ITSM_TIME_MIN, ITSM_TIME_MAX),
    [ITSM_F_RESOLVED_AT]         = E("resolved_at",         ITSM_TYPE_TIME,   10, ITSM_TIME_MIN, ITSM_TIME_MAX),
    [ITSM_F_CLOSED_AT]           = E("closed_at",           ITSM_TYPE_TIME,   11, ITSM_TIME_MIN, ITSM_TIME_MAX),
    [ITSM_F_UPDATED_AT]          = E("updated_at",          ITSM_TYPE_TIME,   ITSM__SLOT_UPDATED_AT, ITSM_TIME_MIN, ITSM_TIME_MAX),
    [ITSM_F_REASSIGNMENTS]       = E("reassignments",       ITSM_TYPE_INT,    ITSM__SLOT_REASSIGNMENTS, 0, INT32_MAX),
    [ITSM_F_REOPENS]             = E("reopens",             ITSM_TYPE_INT,    ITSM__SLOT_REOPENS, 0, INT32_MAX),
};

int itsm__field_lookup(const char *name, size_t n)
{
    for (int f = 0; f < (int)ITSM_F__COUNT; f++) {
        const char *fn = itsm__fields[f].name;
        if (strlen(fn) == n && memcmp(fn, name, n) == 0)
            return f;
    }
    return -1;
}

const char *itsm_field_name(itsm_field field)
{
    return itsm__field_valid((int)field) ? itsm__fields[field].name : NULL;
}

int itsm_field_from_name(itsm_field *out, const char *name)
{
    if (!out || !name)
        return ITSM_EINVAL;
    int f = itsm__field_lookup(name, strlen(name));
    if (f < 0)
        return ITSM_ENOTFOUND;
    *out = (itsm_field)f;
    return ITSM_OK;
}

itsm_field_type itsm_field_type_of(itsm_field field)
{
    return itsm__field_valid((int)field) ? itsm__fields[field].type : (itsm_field_type)0;
}

int itsm_field_is_engine_owned(itsm_field field)
{
    return itsm__field_valid((int)field) ? itsm__fields[field].engine_owned : 0;
}

static const char *const kind_names[ITSM_KIND_COUNT + 1] = {
    NULL, "incident", "service_request", "problem", "change", "knowledge"
};

const char *itsm_kind_name(itsm_kind kind)
{
    return ((int)kind >= 1 && (int)kind <= ITSM_KIND_COUNT) ? kind_names[kind] : NULL;
}

int itsm_kind_from_name(itsm_kind *out, const char *name)
{
    if (!out || !name)
        return ITSM_EINVAL;
    for (int k = 1; k <= ITSM_KIND_COUNT; k++)
        if (strcmp(kind_names[k], name) == 0) {
            *out = (itsm_kind)k;
            return ITSM_OK;
        }
    return ITSM_ENOTFOUND;
}
