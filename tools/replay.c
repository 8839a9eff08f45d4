/* SPDX-License-Identifier: Apache-2.0 */
/* tools/replay.c - the shared parts of the log replays (see replay.h). */
#include "replay.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

/* ---- string pool: open addressing over FNV-1a ---- */

struct rp_pool {
    char  **slot;
    size_t  cap, n;
    char   *chunk;      /* bump allocator for the strings */
    size_t  used, size;
    char  **chunks;
    size_t  nchunks;
};

rp_pool *rp_pool_new(void)
{
    rp_pool *p = calloc(1, sizeof *p);
    if (!p)
        return NULL;
    p->cap = 1024;
    p->slot = calloc(p->cap, sizeof *p->slot);
    if (!p->slot) {
        free(p);
        return NULL;
    }
    return p;
}

void rp_pool_free(rp_pool *p)
{
    if (!p)
        return;
    for (size_t i = 0; i < p->nchunks; i++)
        free(p->chunks[i]);
    free(p->chunks);
    free(p->slot);
    free(p);
}

static size_t fnv(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
    return (size_t)h;
}

static void die_oom(void)
{
    fprintf(stderr, "itsm-replay: out of memory\n");
    exit(1);
}

static char *pool_copy(rp_pool *p, const char *s, size_t n)
{
    if (p->used + n + 1 > p->size) {
        size_t size = n + 1 > 1 << 20 ? n + 1 : 1 << 20;
        char **cs = realloc(p->chunks, (p->nchunks + 1) * sizeof *cs);
        if (!cs)
            die_oom();
        p->chunks = cs;
        if (!(p->chunk = malloc(size)))
            die_oom();
        p->chunks[p->nchunks++] = p->chunk;
        p->size = size;
        p->used = 0;
    }
    char *d = p->chunk + p->used;
    memcpy(d, s, n);
    d[n] = '\0';
    p->used += n + 1;
    return d;
}

const char *rp_intern(rp_pool *p, const char *s, size_t n)
{
    if (2 * (p->n + 1) > p->cap) {
        size_t cap = p->cap * 2;
        char **slot = calloc(cap, sizeof *slot);
        if (!slot)
            die_oom();
        for (size_t i = 0; i < p->cap; i++) {
            if (!p->slot[i])
                continue;
            size_t h = fnv(p->slot[i], strlen(p->slot[i])) & (cap - 1);
            while (slot[h])
                h = (h + 1) & (cap - 1);
            slot[h] = p->slot[i];
        }
        free(p->slot);
        p->slot = slot;
        p->cap = cap;
    }
    size_t h = fnv(s, n) & (p->cap - 1);
    while (p->slot[h]) {
        if (strncmp(p->slot[h], s, n) == 0 && p->slot[h][n] == '\0')
            return p->slot[h];
        h = (h + 1) & (p->cap - 1);
    }
    p->n++;
    return p->slot[h] = pool_copy(p, s, n);
}

/* ---- lines ---- */

struct rp_lines {
    gzFile f;
    char  *buf;
    size_t cap;
};

rp_lines *rp_lines_open(const char *path)
{
    gzFile f = gzopen(path, "rb");
    if (!f)
        return NULL;
    gzbuffer(f, 1 << 17);
    rp_lines *l = calloc(1, sizeof *l);
    if (!l) {
        gzclose(f);
        errno = ENOMEM;
        return NULL;
    }
    l->f = f;
    l->cap = 1 << 12;
    if (!(l->buf = malloc(l->cap)))
        die_oom();
    return l;
}

char *rp_lines_next(rp_lines *l, size_t *len)
{
    size_t n = 0;
    for (;;) {
        if (!gzgets(l->f, l->buf + n, (int)(l->cap - n))) {
            if (n == 0)
                return NULL;
            break;
        }
        n += strlen(l->buf + n);
        if (n > 0 && l->buf[n - 1] == '\n')
            break;
        if (n + 1 < l->cap) /* end of file without a final newline */
            break;
        l->cap *= 2;
        if (!(l->buf = realloc(l->buf, l->cap)))
            die_oom();
    }
    while (n > 0 && (l->buf[n - 1] == '\n' || l->buf[n - 1] == '\r'))
        l->buf[--n] = '\0';
    *len = n;
    return l->buf;
}

void rp_lines_close(rp_lines *l)
{
    if (!l)
        return;
    gzclose(l->f);
    free(l->buf);
    free(l);
}

int rp_split(char *line, char sep, char **fields, int max)
{
    int n = 0;
    char *p = line;
    while (n < max) {
        fields[n++] = p;
        char *q = strchr(p, sep);
        if (!q)
            return n;
        *q = '\0';
        p = q + 1;
    }
    return n + 1; /* more fields than max: the caller refuses the row */
}

/* ---- the replay ---- */

void rp_init(replay *rp, rp_pool *pool)
{
    memset(rp, 0, sizeof *rp);
    rp->pool = pool;
}

void rp_free(replay *rp)
{
    for (size_t i = 0; i < rp->nref; i++)
        free(rp->ref[i].message);
    free(rp->ref);
    free(rp->inc);
    memset(rp, 0, sizeof *rp);
}

itsm_time rp_clock(void *user) { return *(const itsm_time *)user; }

void rp_sink(void *user, const itsm_event *const *events, size_t n)
{
    (void)events;
    ((replay *)user)->events += n;
}

int rp_quirk_add(replay *rp, const char *name, const char *handling)
{
    if (rp->nquirks == RP_MAX_QUIRKS)
        abort();
    rp->quirk[rp->nquirks].name = name;
    rp->quirk[rp->nquirks].handling = handling;
    rp->quirk[rp->nquirks].count = 0;
    return rp->nquirks++;
}

void rp_refuse(replay *rp, long line, const char *record, const char *reason, const char *message)
{
    if (rp->nref == rp->cref) {
        rp->cref = rp->cref ? 2 * rp->cref : 64;
        if (!(rp->ref = realloc(rp->ref, rp->cref * sizeof *rp->ref)))
            die_oom();
    }
    rp_refusal *r = &rp->ref[rp->nref++];
    r->line = line;
    r->record = record;
    r->reason = rp_intern(rp->pool, reason, strlen(reason));
    size_t n = strlen(message);
    if (!(r->message = malloc(n + 1)))
        die_oom();
    memcpy(r->message, message, n + 1);
    rp->refused++;
}

void rp_refuse_lib(replay *rp, long line, const char *record, int rc, const char *what)
{
    char reason[256];
    snprintf(reason, sizeof reason, "%s: %s", itsm_errname(rc), what);
    rp_refuse(rp, line, record, reason, itsm_errmsg(rp->eng));
}

rp_incident *rp_incident_add(replay *rp, const char *id)
{
    if (rp->ninc == rp->cinc) {
        rp->cinc = rp->cinc ? 2 * rp->cinc : 1024;
        if (!(rp->inc = realloc(rp->inc, rp->cinc * sizeof *rp->inc)))
            die_oom();
    }
    rp_incident *in = &rp->inc[rp->ninc++];
    memset(in, 0, sizeof *in);
    in->id = id;
    in->last_t = ITSM_TIME_NONE;
    in->log_reassign = in->log_reopen = in->log_made_sla = in->log_priority = -1;
    in->log_opened = in->log_resolved = in->log_closed = ITSM_TIME_NONE;
    return in;
}

void rp_set_actor(replay *rp, const char *actor)
{
    if (actor == rp->actor)
        return;
    if (itsm_engine_set_actor(rp->eng, actor) == ITSM_OK)
        rp->actor = actor;
}

void rp_tick(replay *rp, itsm_time t, long line, const char *record)
{
    size_t fired = 0;
    int rc = itsm_engine_tick(rp->eng, t, &fired);
    rp->fired += fired;
    if (rc != ITSM_OK)
        rp_refuse_lib(rp, line, record, rc, "tick before the row");
}

void rp_verdict(replay *rp, rp_incident *in)
{
    itsm_timer_info ti = { .size = sizeof ti };
    in->sla = RP_SLA_NONE;
    if (!in->rec || in->last_t == ITSM_TIME_NONE ||
        itsm_record_timer(&ti, in->rec, ITSM_TIMER_RESOLUTION, in->last_t) != ITSM_OK || !ti.target)
        return;
    int p = (int)itsm_record_int(in->rec, ITSM_F_PRIORITY);
    if (p >= 1 && p <= 5) {
        rp->sla_target[p - 1] = ti.target;
        rp->sla_calendar[p - 1] = ti.calendar;
    }
    if (!rp->sla_name)
        rp->sla_name = itsm_record_sla(in->rec);
    in->sla_paused = ti.paused > 0;
    in->sla = ti.breached ? RP_SLA_BREACHED : ti.status == ITSM_TIMER_STOPPED ? RP_SLA_MET : RP_SLA_RUNNING;
}

void rp_finish(replay *rp)
{
    if (rp->ninc)
        rp_verdict(rp, &rp->inc[rp->ninc - 1]);
}

long long rp_days_from_civil(long long y, unsigned m, unsigned d)
{
    y -= m <= 2;
    long long era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (153 * (m + (m > 2 ? (unsigned)-3 : 9)) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (long long)doe - 719468;
}
