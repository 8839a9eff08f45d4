/* SPDX-License-Identifier: Apache-2.0 */
/*
 * itsm-scenario: the helpers every command file shares - an action's
 * result, argument counts, records by id.
 */
#include "runner.h"

#include <stdio.h>
#include <stdlib.h>
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

/* A policy document by file name (relative to the script's directory),
 * read and checked. */
int run_read_policy(runner *r, const char *file, itsm_policy **out)
{
    char path[2048];
    *out = NULL;
    if (file[0] == '/')
        snprintf(path, sizeof path, "%s", file);
    else
        snprintf(path, sizeof path, "%s/%s", r->dir, file);
    FILE *f = fopen(path, "rb");
    if (!f)
        return run_fail(r, "cannot open policy '%s'", path);
    char *buf = NULL;
    size_t len = 0, cap = 0, got;
    do {
        if (len + 4096 > cap) {
            cap = cap ? 2 * cap : 8192;
            char *nb = realloc(buf, cap);
            if (!nb) {
                free(buf);
                fclose(f);
                return run_fail(r, "out of memory");
            }
            buf = nb;
        }
        got = fread(buf + len, 1, cap - len, f);
        len += got;
    } while (got);
    fclose(f);
    itsm_parse_error pe;
    memset(&pe, 0, sizeof pe);
    int rc = itsm_policy_from_json(out, buf, len, NULL, NULL, &pe);
    free(buf);
    if (rc)
        return run_fail(r, "policy '%s': %s at %zu:%zu: %s", file, itsm_errname(rc), pe.line, pe.column, pe.text);
    return 0;
}
