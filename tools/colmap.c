/* SPDX-License-Identifier: Apache-2.0 */
/* tools/colmap.c - log columns carried into the custom fields the replay's
 * policy declares (itsm-replay --map COLUMN=FIELD; see logs.h). */
#include "logs.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Split a copy of `line`: the caller's line stays for the mapper. */
static int split_copy(rp_fields *f, char **buf, size_t *cap, const char *line, size_t len, char sep)
{
    if (len + 1 > *cap) {
        char *b = realloc(*buf, len + 1);
        if (!b)
            return -1;
        *buf = b;
        *cap = len + 1;
    }
    memcpy(*buf, line, len);
    (*buf)[len] = '\0';
    rp_split(f, *buf, len, sep);
    return 0;
}

/* A field without the line end a CRLF file leaves on its last column. */
static size_t trimmed(const char *s, size_t n)
{
    while (n && (s[n - 1] == '\r' || s[n - 1] == '\n'))
        n--;
    return n;
}

int rp__map_header(rp_input *in, const char *line, size_t len, const rp_colmap *maps, int nmaps, int *pos,
                   char *err, size_t errcap)
{
    char *buf = NULL;
    size_t cap = 0;
    rp_fields f;
    if (split_copy(&f, &buf, &cap, line, len, in->m->sep)) {
        snprintf(err, errcap, "out of memory");
        return -1;
    }
    for (int k = 0; k < nmaps; k++) {
        pos[k] = -1;
        size_t cn = strlen(maps[k].column);
        for (int i = 0; i < f.n && i < RP_MAX_FIELDS; i++)
            if (trimmed(f.p[i], f.len[i]) == cn && !memcmp(f.p[i], maps[k].column, cn))
                pos[k] = i;
        if (pos[k] < 0) {
            snprintf(err, errcap, "--map: the log has no column '%s'", maps[k].column);
            free(buf);
            return -1;
        }
    }
    free(buf);
    return 0;
}

int rp__map_row(rp_input *in, rp_pool *pool, char **buf, size_t *cap, const char *line, size_t len, const int *pos,
                size_t row)
{
    rp_fields f;
    if (split_copy(&f, buf, cap, line, len, in->m->sep))
        return -1;
    const char **out = in->mapped + row * (size_t)in->nmaps;
    for (int k = 0; k < in->nmaps; k++) {
        out[k] = NULL;
        if (pos[k] >= f.n || pos[k] >= RP_MAX_FIELDS)
            continue;   /* a short row: the mapper refuses it */
        size_t n = trimmed(f.p[pos[k]], f.len[pos[k]]);
        if (n)
            out[k] = rp_intern(pool, f.p[pos[k]], n);
    }
    return 0;
}

int rp_map_fields(replay *rp, const rp_colmap *maps, int nmaps, char *err, size_t errcap)
{
    const itsm_policy *pol = itsm_engine_policy(rp->eng);
    rp->nmaps = 0;
    for (int k = 0; k < nmaps && k < RP_MAX_MAPS; k++) {
        itsm_field f;
        if (itsm_engine_field(&f, rp->eng, maps[k].field) != ITSM_OK || f < ITSM_F_CUSTOM_FIRST) {
            snprintf(err, errcap, "--map %s=%s: the policy declares no custom field '%s'", maps[k].column,
                     maps[k].field, maps[k].field);
            return -1;
        }
        rp->map_field[k] = f;
        rp->map_type[k] = itsm_policy_field_type(pol, f);
    }
    rp->nmaps = nmaps;
    return 0;
}

/* The change for one mapped value; 0 when there is nothing to change, -1
 * when the value cannot be of the field's type. */
static int value_change(const replay *rp, const itsm_record *rec, int k, const char *v, itsm_change *c)
{
    itsm_field f = rp->map_field[k];
    *c = (itsm_change){ f, NULL, 0 };
    switch (rp->map_type[k]) {
    case ITSM_TYPE_TEXT:
    case ITSM_TYPE_SYMBOL:
    case ITSM_TYPE_ENUM: {
        const char *cur = itsm_record_str(rec, f);
        c->str = v;
        return cur && !strcmp(cur, v) ? 0 : 1;
    }
    case ITSM_TYPE_BOOL:
        if (!strcmp(v, "true") || !strcmp(v, "1"))
            c->num = 1;
        else if (strcmp(v, "false") && strcmp(v, "0"))
            return -1;
        break;
    case ITSM_TYPE_TIME:
        if ((c->num = rp_time_iso(v, strlen(v))) == ITSM_TIME_NONE)
            return -1;
        break;
    default: {
        char *end;
        long long n = strtoll(v, &end, 10);
        if (end == v || *end)
            return -1;
        c->num = n;
        break;
    }
    }
    return itsm_record_has(rec, f) && itsm_record_int(rec, f) == c->num ? 0 : 1;
}

void rp__map_carry(replay *rp, const rp_input *in, size_t row)
{
    const char *id = in->keys[row].id;
    if (!id || !rp->cur || rp->inc[rp->cur - 1].id != id)
        return;   /* a row refused before its case was known */
    itsm_record *rec = rp->inc[rp->cur - 1].rec;
    if (!rec || !itsm_record_is_open(rec))
        return;
    const char *const *v = in->mapped + row * (size_t)in->nmaps;
    itsm_change ch[RP_MAX_MAPS];
    size_t n = 0;
    int bad = 0;
    for (int k = 0; k < in->nmaps && k < rp->nmaps; k++) {
        if (!v[k])
            continue;
        int rc = value_change(rp, rec, k, v[k], &ch[n]);
        if (rc < 0)
            bad = 1;
        else if (rc > 0)
            n++;
    }
    if (n && itsm_record_update(rec, ch, n) != ITSM_OK)
        bad = 1;
    if (bad)
        rp_quirk_note(rp, rp->map_quirk, in->keys[row].line);
}
