/* SPDX-License-Identifier: Apache-2.0 */
/* The report's breakdown by a field (opts.group_by): each cohort record
 * adds its value and its outcome; sorting by value and merging equal ones
 * gives the rows, as the other breakdowns of src/report/report.c. */
#include "report/report_int.h"
#include "core/core.h"
#include "kit/json.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct entry {
    int         null;
    int64_t     num;      /* int, bool, time */
    const char *str;      /* text, symbol, enum: borrowed from the engine while computing */
    size_t      count, resolved, met, breached;
} entry;

struct itsm__group_acc {
    const itsm_allocator *a;
    int                   field;
    int                   numeric;
    itsm_field_type       type;
    entry                *e;
    size_t                n, cap;
};

int itsm__group_acc_new(itsm__group_acc **out, const itsm_report *r)
{
    itsm__group_acc *g = itsm__calloc(&r->alloc, 1, sizeof *g);
    if (!g)
        return ITSM_ENOMEM;
    g->a = &r->alloc;
    g->field = r->group_field;
    *out = g;
    return ITSM_OK;
}

void itsm__group_acc_free(itsm__group_acc *g)
{
    if (!g)
        return;
    const itsm_allocator *a = g->a;
    itsm__free(a, g->e);
    itsm__free(a, g);
}

int itsm__group_acc_add(itsm__group_acc *g, const itsm_record *rec, int resolved, int met, int breached)
{
    if (g->n == g->cap && itsm__grow(g->a, (void **)&g->e, &g->cap, g->n + 1, sizeof *g->e))
        return ITSM_ENOMEM;
    const itsm__field_info *fi = itsm__field_of(rec->eng, (itsm_field)g->field);
    entry *e = &g->e[g->n++];
    memset(e, 0, sizeof *e);
    g->type = fi->type;
    g->numeric = !(fi->type == ITSM_TYPE_TEXT || fi->type == ITSM_TYPE_SYMBOL || fi->type == ITSM_TYPE_ENUM);
    if (g->numeric) {
        e->num = itsm_record_int(rec, (itsm_field)g->field);
        /* unset as itsm_record_has says (no time; a built-in int at 0; a
         * custom int never given a value); a bool groups as false */
        e->null = fi->type == ITSM_TYPE_TIME ? e->num == ITSM_TIME_NONE
                  : fi->type == ITSM_TYPE_BOOL ? 0 : !itsm_record_has(rec, (itsm_field)g->field);
    } else {
        e->str = itsm_record_str(rec, (itsm_field)g->field);
        e->null = e->str == NULL;
    }
    e->count = 1;
    e->resolved = (size_t)(resolved != 0);
    e->met = (size_t)(met != 0);
    e->breached = (size_t)(breached != 0);
    return ITSM_OK;
}

static int cmp_entry(const void *pa, const void *pb)
{
    const entry *a = pa, *b = pb;
    if (a->null != b->null)
        return a->null ? -1 : 1;
    if (a->null)
        return 0;
    if (!a->str && !b->str)
        return a->num < b->num ? -1 : a->num > b->num;
    return strcmp(a->str, b->str);
}

/* The value as the row shows it. */
static char *value_text(const itsm__group_acc *g, const entry *e)
{
    char buf[32];
    if (!g->numeric)
        return itsm__strdup(g->a, e->str);
    if (g->type == ITSM_TYPE_BOOL)
        return itsm__strdup(g->a, e->num ? "true" : "false");
    if (g->type == ITSM_TYPE_TIME)
        itsm__time_format(e->num, buf);
    else
        snprintf(buf, sizeof buf, "%" PRId64, e->num);
    return itsm__strdup(g->a, buf);
}

int itsm__group_acc_finish(itsm__group_acc *g, itsm_report *r)
{
    int rc = ITSM_OK;
    if (g->n) {
        qsort(g->e, g->n, sizeof *g->e, cmp_entry);
        size_t o = 0;
        for (size_t i = 1; i < g->n; i++) {
            if (cmp_entry(&g->e[o], &g->e[i]) == 0) {
                g->e[o].count += g->e[i].count;
                g->e[o].resolved += g->e[i].resolved;
                g->e[o].met += g->e[i].met;
                g->e[o].breached += g->e[i].breached;
            } else {
                g->e[++o] = g->e[i];
            }
        }
        size_t n = o + 1;
        if (!(r->groups = itsm__calloc(&r->alloc, n, sizeof *r->groups)))
            rc = ITSM_ENOMEM;
        for (size_t i = 0; i < n && !rc; i++) {
            itsm_report_group *row = &r->groups[i];
            row->size = sizeof *row;
            row->count = g->e[i].count;
            row->resolved = g->e[i].resolved;
            row->met = g->e[i].met;
            row->breached = g->e[i].breached;
            if (!g->e[i].null && !(row->value = value_text(g, &g->e[i])))
                rc = ITSM_ENOMEM;
            r->ngroups++;
        }
    }
    itsm__group_acc_free(g);
    return rc;
}
