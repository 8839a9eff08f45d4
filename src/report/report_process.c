/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The report's process figures (include/itsm/report.h: "process"): what
 * only a record's history shows - pushes to a higher line, groups that get
 * a record back - read from the engine's store in one scan.
 *
 * Per record the scan keeps its current group and level, the groups it has
 * had (as small numbers, names shared through a map) and three counters;
 * the cohort is then summed from the engine's records, looked up by id.
 */
#include "report/report_int.h"
#include "core/core.h"
#include "core/history.h"
#include "core/abi.h"

#include <string.h>

typedef struct hist {
    uint32_t  last;        /* the last group it had, + 1; 0: none yet */
    uint32_t *seen;        /* every group it had, + 1 */
    uint32_t  nseen, cseen;
    int64_t   level, maxlevel;
    size_t    escalations, changes, returns;
} hist;

typedef struct pscan {
    itsm_engine     *eng;
    const itsm_allocator *a;
    itsm__hreader   *rd;
    /* the last event's record and the last group named: a store holds a
     * record's events mostly one after another */
    const char      *last_rec, *last_group;   /* the maps' copies */
    size_t           last_rec_len, last_idx, last_group_len, last_group_id;
    itsm__strmap     recs, groups;
    hist            *h;
    size_t           nh, ch;
    itsm_parse_error err;
} pscan;

static int seen_add(pscan *p, hist *h, uint32_t g)
{
    if (h->nseen == h->cseen) {
        size_t cap = h->cseen;
        void *items = h->seen;
        if (itsm__grow(p->a, &items, &cap, (size_t)h->nseen + 1, sizeof *h->seen))
            return ITSM_ENOMEM;
        h->seen = items;
        h->cseen = (uint32_t)cap;
    }
    h->seen[h->nseen++] = g;
    return ITSM_OK;
}

static int on_group(pscan *p, hist *h, const char *name)
{
    if (!name)
        return ITSM_OK;   /* a clear: no group, and no change by itself */
    size_t len = strlen(name), id;
    if (p->last_group && len == p->last_group_len && !memcmp(name, p->last_group, len)) {
        id = p->last_group_id;
    } else {
        const char *key = itsm__strmap_lookup(&p->groups, name, len, &id);
        if (!key) {
            id = p->groups.n + 1;
            if (itsm__strmap_put(&p->groups, name, len, id, &key))
                return ITSM_ENOMEM;
        }
        p->last_group = key;
        p->last_group_len = len;
        p->last_group_id = id;
    }
    uint32_t g = (uint32_t)id;
    if (g == h->last)
        return ITSM_OK;
    int known = 0;
    for (uint32_t i = 0; i < h->nseen && !known; i++)
        known = h->seen[i] == g;
    if (h->last) {
        h->changes++;
        h->returns += (size_t)known;   /* it had the record before another group did */
    }
    h->last = g;
    return known ? ITSM_OK : seen_add(p, h, g);
}

static int emit(void *ctx, const char *json, size_t len)
{
    pscan *p = ctx;
    itsm__hev ev;
    int rc = itsm__hreader_read(p->rd, &ev, json, len, &p->err);
    if (rc || ev.type == ITSM__H_POLICY)
        return rc;
    size_t idx;
    if (p->last_rec && ev.nrecord == p->last_rec_len && !memcmp(ev.record, p->last_rec, ev.nrecord)) {
        idx = p->last_idx;
    } else {
        const char *key = itsm__strmap_lookup(&p->recs, ev.record, ev.nrecord, &idx);
        if (!key) {
            idx = p->nh;
            void *items = p->h;
            rc = itsm__grow(p->a, &items, &p->ch, p->nh + 1, sizeof *p->h);
            p->h = items;
            if (rc || (rc = itsm__strmap_put(&p->recs, ev.record, ev.nrecord, idx, &key)))
                return rc;
            memset(&p->h[idx], 0, sizeof p->h[idx]);
            p->nh++;
        }
        p->last_rec = key;
        p->last_rec_len = ev.nrecord;
        p->last_idx = idx;
    }
    hist *h = &p->h[idx];
    const char *group;
    int64_t level;
    if (itsm__hev_str(&ev, "assignment_group", &group) && (rc = on_group(p, h, group)))
        return rc;
    if (itsm__hev_num(&ev, "functional_level", &level)) {
        /* No level yet is the first line, as first-contact resolution and
         * itsm_record_escalate read it: a step from there to level 2 is a
         * push, as stayed_first_line counts it. */
        if (ev.type != ITSM__H_OPEN && level > (h->level ? h->level : 1))
            h->escalations++;   /* pushed to a higher line */
        h->level = level;
        if (level > h->maxlevel)
            h->maxlevel = level;
    }
    return ITSM_OK;
}

int itsm__report_process(itsm_report *r, itsm_engine *eng, unsigned kinds)
{
    if (!eng->has_store || !eng->store.scan)
        return ITSM_OK;   /* no history to read: "available": false */
    pscan p;
    memset(&p, 0, sizeof p);
    p.eng = eng;
    p.a = &r->alloc;
    itsm__strmap_init(&p.recs, &r->alloc);
    itsm__strmap_init(&p.groups, &r->alloc);
    int rc = (p.rd = itsm__hreader_new(&r->alloc, &eng->limits)) ? eng->store.scan(eng->store_user, emit, &p)
                                                                 : ITSM_ENOMEM;
    itsm__hreader_free(p.rd);
    if (rc == ITSM_EPARSE || rc == ITSM_ELIMIT)
        itsm__err(eng, rc, "report: a stored event could not be read back: %s (line %zu, column %zu)",
                  p.err.text, p.err.line, p.err.column);
    else if (rc == ITSM_ENOMEM)
        itsm__oom(eng);
    else if (rc)
        itsm__err(eng, rc, "report: the store's scan failed (%s)", itsm_errname(rc));
    size_t n = itsm_engine_record_count(eng);
    itsm_report_process *o = &r->proc;
    o->size = sizeof *o;
    for (size_t i = 0; i < n && !rc; i++) {
        itsm_record *rec;
        if (itsm_engine_record_at(&rec, eng, i) || !(kinds & ITSM_REPORT_KIND(itsm_record_kind(rec))) ||
            !itsm__report_passes(r, rec))
            continue;
        itsm_time opened = itsm_record_int(rec, ITSM_F_OPENED_AT);
        if (opened == ITSM_TIME_NONE || opened < r->from || opened >= r->to)
            continue;
        const char *id = itsm_record_id(rec);
        size_t idx;
        const hist *h = itsm__strmap_get(&p.recs, id, strlen(id), &idx) ? &p.h[idx] : NULL;
        int64_t maxlevel = h ? h->maxlevel : itsm_record_int(rec, ITSM_F_FUNCTIONAL_LEVEL);
        if (itsm__report_resolution(eng, rec, r->now) != ITSM_TIME_NONE || !itsm_record_is_open(rec)) {
            o->completed++;
            o->stayed_first_line += maxlevel <= 1;
        }
        if (!h)
            continue;
        o->functional_escalations += h->escalations;
        o->escalated_records += h->escalations > 0;
        o->group_changes += h->changes;
        o->ping_pong_records += h->returns > 0;
        o->ping_pong_returns += h->returns;
    }
    for (size_t i = 0; i < p.nh; i++)
        itsm__free(p.a, p.h[i].seen);
    itsm__free(p.a, p.h);
    itsm__strmap_free(&p.recs);
    itsm__strmap_free(&p.groups);
    if (!rc)
        r->process_available = 1;
    return rc;
}

int itsm_report_process_available(const itsm_report *r) { return r ? r->process_available : 0; }

int itsm_report_process_of(itsm_report_process *out, const itsm_report *r)
{
    if (!out || !r || out->size < ITSM__END(itsm_report_process, ping_pong_returns) ||
        out->size > sizeof *out)
        return ITSM_EINVAL;   /* a report keeps no message (src/report.c) */
    itsm__sized_put(out, out->size, &r->proc);
    return ITSM_OK;
}
