/* SPDX-License-Identifier: Apache-2.0 */
/*
 * itsm-scenario: the helpers every command file shares - an action's
 * result, argument counts, records by id.
 */
#include "runner.h"

#include <stdio.h>
#include <string.h>

/* Remember an action's result. */
int run_act(runner *r, int rc)
{
    r->act_rc = rc;
    if (rc) {
        snprintf(r->act_msg, sizeof r->act_msg, "%s", itsm_errmsg(r->eng));
        run_out(r->act_msg);
    }
    return 0;
}

int run_need(runner *r, size_t n, size_t min, size_t max, const char *usage)
{
    if (n < min || n > max)
        return run_fail(r, "usage: %s", usage);
    return 0;
}

int run_bare(runner *r, const tok *t, const char *what)
{
    if (t->key)
        return run_fail(r, "%s: expected a word, got %s=%s", what, t->key, t->text);
    return 0;
}

/* A record by id: an engine lookup, so a missing record is an action
 * failure (ITSM_ENOTFOUND) that a script can expect. */
itsm_record *run_find_rec(runner *r, const char *id, int *rc)
{
    itsm_record *rec = NULL;
    *rc = itsm_record_find(&rec, r->eng, id);
    return *rc ? NULL : rec;
}

/* For expectations: a missing record is a script failure. */
itsm_record *run_need_rec(runner *r, const char *id)
{
    itsm_record *rec = NULL;
    if (itsm_record_find(&rec, r->eng, id)) {
        run_fail(r, "no record '%s'", id);
        return NULL;
    }
    return rec;
}

/* The index of `s` in a table of names (NULL entries skipped), or -1. */
int run_name_index(const char *const *names, size_t n, const char *s)
{
    for (size_t i = 0; i < n; i++)
        if (names[i] && !strcmp(names[i], s))
            return (int)i;
    return -1;
}
