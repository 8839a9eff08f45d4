/* SPDX-License-Identifier: Apache-2.0 */
/* tools/replay.c - the shared parts of the log replays (see replay.h). */
#include "replay.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void die_oom(void)
{
    fprintf(stderr, "itsm-replay: out of memory\n");
    exit(1);
}

/* ---- string pool: open addressing over FNV-1a ---- */

typedef struct pslot { const char *s; uint32_t hash, n; } pslot;

struct rp_pool {
    pslot  *slot;
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

size_t rp_pool_count(const rp_pool *p) { return p ? p->n : 0; }

/* A word at a time: interning is on the hot path of reading a log. */
static uint32_t hash_bytes(const char *s, size_t n)
{
    uint64_t h = 0x9e3779b97f4a7c15ull ^ n;
    for (; n >= 8; s += 8, n -= 8) {
        uint64_t w;
        memcpy(&w, s, 8);
        h = (h ^ w) * 0xff51afd7ed558ccdull;
        h ^= h >> 32;
    }
    if (n) {
        uint64_t w = 0;
        memcpy(&w, s, n);
        h = (h ^ w) * 0xc4ceb9fe1a85ec53ull;
    }
    h ^= h >> 29;
    return (uint32_t)h;
}

/* Equal bytes, for the short strings of a log (no call to memcmp): whole
 * words, the last one overlapping the one before. */
static inline int same_bytes(const char *a, const char *b, size_t n)
{
    uint64_t x, y;
    if (n >= 8) {
        for (size_t i = 0; i + 8 < n; i += 8) {
            memcpy(&x, a + i, 8);
            memcpy(&y, b + i, 8);
            if (x != y)
                return 0;
        }
        memcpy(&x, a + n - 8, 8);
        memcpy(&y, b + n - 8, 8);
        return x == y;
    }
    for (size_t i = 0; i < n; i++)
        if (a[i] != b[i])
            return 0;
    return 1;
}

/* A string's bytes, after its handle slot (rp_symhead, 8-byte aligned). */
static char *pool_copy(rp_pool *p, const char *s, size_t n)
{
    size_t at = (p->used + 7) & ~(size_t)7, need = sizeof(rp_symhead) + n + 1;
    if (!p->chunk || at + need > p->size) {
        size_t size = need > 1 << 20 ? need : 1 << 20;
        char **cs = realloc(p->chunks, (p->nchunks + 1) * sizeof *cs);
        if (!cs)
            die_oom();
        p->chunks = cs;
        if (!(p->chunk = malloc(size)))
            die_oom();
        p->chunks[p->nchunks++] = p->chunk;
        p->size = size;
        at = 0;
    }
    rp_symhead *h = (rp_symhead *)(void *)(p->chunk + at);
    memset(h, 0, sizeof *h);
    h->n = n;
    char *d = (char *)(h + 1);
    memcpy(d, s, n);
    d[n] = '\0';
    p->used = at + need;
    return d;
}

const char *rp_sym_slow(replay *rp, const char *s)
{
    rp_symhead *h = (rp_symhead *)(void *)(uintptr_t)(s - sizeof *h);
    const char *handle;
    if (!rp->eng)   /* no engine yet: nothing to keep */
        return s;
    if (itsm_engine_symbol_n(rp->eng, s, h->n, &handle) != ITSM_OK)   /* the length the pool knows */
        handle = s;
    h->epoch = rp->epoch;
    h->handle = handle;
    return handle;
}

const char *rp_intern(rp_pool *p, const char *s, size_t n)
{
    if (2 * (p->n + 1) > p->cap) {
        size_t cap = p->cap * 2;
        pslot *slot = calloc(cap, sizeof *slot);
        if (!slot)
            die_oom();
        for (size_t i = 0; i < p->cap; i++) {
            if (!p->slot[i].s)
                continue;
            size_t h = p->slot[i].hash & (cap - 1);
            while (slot[h].s)
                h = (h + 1) & (cap - 1);
            slot[h] = p->slot[i];
        }
        free(p->slot);
        p->slot = slot;
        p->cap = cap;
    }
    uint32_t hash = hash_bytes(s, n);
    size_t h = hash & (p->cap - 1);
    while (p->slot[h].s) {
        if (p->slot[h].hash == hash && p->slot[h].n == n && same_bytes(p->slot[h].s, s, n))
            return p->slot[h].s;
        h = (h + 1) & (p->cap - 1);
    }
    p->n++;
    p->slot[h].hash = hash;
    p->slot[h].n = (uint32_t)n;
    return p->slot[h].s = pool_copy(p, s, n);
}

const char *rp_intern_memo(rp_pool *p, rp_memo *m, const char *s, size_t n)
{
    if (m->interned && m->n == n && same_bytes(m->interned, s, n))
        return m->interned;
    m->n = n;
    return m->interned = rp_intern(p, s, n);
}

int rp_find_columns(char *line, size_t len, char sep, const char *const *names, int n, int *pos,
                    rp_memo *memo, int *ncols, const char *what, char *err, size_t errcap)
{
    rp_fields f;
    rp_split(&f, line, len, sep);
    if (f.n > RP_MAX_FIELDS) {
        snprintf(err, errcap, "header: more than %d columns", RP_MAX_FIELDS);
        return -1;
    }
    *ncols = f.n;
    for (int k = 0; k < n; k++) {
        pos[k] = -1;
        memo[k].n = (size_t)-1;
        for (int i = 0; i < f.n; i++)
            if (!strcmp(f.p[i], names[k]))
                pos[k] = i;
        if (pos[k] < 0) {
            snprintf(err, errcap, "header: no column '%s' (is this %s?)", names[k], what);
            return -1;
        }
    }
    return 0;
}

itsm_time rp_time_memo(rp_memo *m, const char *s, size_t n, itsm_time (*parse)(const char *, size_t))
{
    /* the text is copied: the line it came from is overwritten by the next */
    if (n && m->n == n && n < sizeof m->buf && same_bytes(m->buf, s, n))
        return m->t;
    m->t = parse(s, n);
    m->n = n < sizeof m->buf ? n : (size_t)-1;   /* too long to remember: parse every time */
    if (n < sizeof m->buf)
        memcpy(m->buf, s, n);
    return m->t;
}

/* ---- the replay ---- */

void rp_init(replay *rp, rp_pool *pool)
{
    static unsigned long epochs;
    memset(rp, 0, sizeof *rp);
    rp->pool = pool;
    rp->epoch = ++epochs;
    rp->ask_rev = 1;
    rp->getters = itsm_event_layout() != ITSM_EVENT_LAYOUT;
    rp->sink_one = (size_t)-1;
    static const char *const q[RP_Q_SHARED][2] = {
        { "rows of a case resume after other cases' rows",
          "one case: its rows are merged and counted once (lines: where each later block starts)" },
        { "row earlier than the case's previous row",
          "the case's rows are applied in time order, ties in file order (lines: the earlier rows)" },
        { "row repeats an earlier row of its case exactly", "skipped: nothing new happened" },
        { "last line has no line end", "refused: its last field may be cut" },
    };
    for (int i = 0; i < RP_Q_SHARED; i++)
        rp_quirk_add(rp, q[i][0], q[i][1], 1);
}

void rp_free(replay *rp)
{
    for (size_t i = 0; i < rp->nref; i++)
        free(rp->ref[i].message);
    free(rp->ref);
    for (size_t i = 0; i < rp->ninc; i++)
        free(rp->inc[i].teams);
    free(rp->inc);
    free(rp->slot);
    for (int i = 0; i < rp->nquirks; i++)
        free(rp->quirk[i].lines);
    memset(rp, 0, sizeof *rp);
}

itsm_time rp_clock(void *user) { return *(const itsm_time *)user; }

#if defined(__GNUC__)
#define RP_INLINE static inline __attribute__((always_inline))
#define RP_APART static __attribute__((noinline))
#define RP_UNLIKELY(x) __builtin_expect(!!(x), 0)
#else
#define RP_INLINE static inline
#define RP_APART static
#define RP_UNLIKELY(x) (x)
#endif

/* One event of the watched record (see replay.watch): the copy moves over
 * it when it leaves the copy's fields as the copy says. `ask`: compare
 * its revision (replay.ask_rev; outside a group the record's events come
 * here in revision order, none missed). `inl`: read the event inline
 * (itsm/event.h, layout ITSM_EVENT_LAYOUT), else through the getters. */
RP_INLINE void watch_one(replay *rp, rp_incident *in, const itsm_event *ev, int ask, int inl)
{
    if (!in->known_rev || (ask && itsm_event_revision(ev) != in->known_rev + 1) ||
        ((inl ? itsm_event_fields_inline(ev) : itsm_event_fields(ev)) & rp->watch_fields) != rp->watch_expect) {
        in->known_rev = 0;   /* read again */
        return;
    }
    in->known_rev++;
    const char *to = inl ? itsm_event_to_state_inline(ev) : itsm_event_to_state(ev);
    if (to) {   /* a transition: the copy's state follows it unread */
        in->known_state = to;
        in->known_from = -1;
    }
    rp->watch_expect = 0;   /* the step's own event is its first on the record: taken */
}

/* An opening's first event (revision 1: the opening's own; see
 * replay.watch_open) names the watched record and, when it changes
 * exactly the copy's fields the mapper gave, starts the copy at
 * revision 1. `any`: take the event without its revision, as the sink
 * does an event alone: the mapper checks the record it names against its
 * own after the opening (uci.c: opened_watched), which drops the copy
 * when it was another record's. `inl`: as watch_one's (and replay.getters
 * is 0 then: revisions are asked still while it is 1). The sink's usual
 * call (replay.sink_one) stays off until the mapper ends the opening's
 * watch (rp_watch_open), which it does when the opening returns. */
RP_INLINE void watch_opening(replay *rp, rp_incident *in, const itsm_event *ev, int any, int inl)
{
    if (!any && itsm_event_revision(ev) != 1)
        return;
    rp->ask_rev = rp->group != 0 || (!inl && rp->getters);
    rp->watch_open = 0;
    rp->watch_rec = inl ? itsm_event_record_inline(ev) : itsm_event_record(ev);
    uint64_t fields = inl ? itsm_event_fields_inline(ev) : itsm_event_fields(ev);
    in->known_rev = (fields & rp->watch_fields) == rp->watch_expect;   /* 1: taken */
    rp->watch_expect = 0;
}

/* The watched case's copy moves over the events that leave its fields
 * as the copy says (see replay.watch); an opening's first event names
 * the record (replay.watch_open). */
RP_APART void watch_events(replay *rp, const itsm_event *const *events, size_t n)
{
    rp_incident *in = rp->watch_in;
    for (size_t i = 0; i < n; i++) {
        if (rp->watch_open)
            watch_opening(rp, in, events[i], 0, 0);
        else if (itsm_event_record(events[i]) == rp->watch_rec)
            watch_one(rp, in, events[i], rp->ask_rev, 0);
    }
}

/* rp_sink's calls read through the getters: events in a group or more
 * than one, and every event while the library's events are laid out
 * otherwise (replay.getters). */
RP_APART void sink_getters(replay *rp, const itsm_event *const *events, size_t n)
{
    if (n == 1 && rp->watch_open)
        watch_opening(rp, rp->watch_in, events[0], 1, 0);
    else if (rp->watch && (rp->watch_rec || rp->watch_open))
        watch_events(rp, events, n);
}

/* rp_sink's other calls: an opening's event alone, read inline (no call:
 * no register to save); the rest through the getters (sink_getters). */
RP_APART void sink_other(replay *rp, const itsm_event *const *events, size_t n)
{
    if (n == 1 && rp->watch_open && !rp->getters)
        watch_opening(rp, rp->watch_in, events[0], 1, 1);
    else
        sink_getters(rp, events, n);
}

/* A mapper that keeps a copy has the sink watch at every commit. The
 * usual one, a step's own event alone outside a group, goes through here
 * without the loop, the event read inline (itsm/event.h): no call, and
 * no register to save; the others, apart (sink_other). */
void rp_sink(void *user, const itsm_event *const *events, size_t n)
{
    replay *rp = user;
    rp->events += n;
    if (RP_UNLIKELY(n != rp->sink_one)) {   /* not one event, revisions asked, an opening watched, getters */
        sink_other(rp, events, n);
        return;
    }
    const itsm_event *ev = events[0];
#ifndef NDEBUG
    if (itsm_event_record_inline(ev) != itsm_event_record(ev) || itsm_event_fields_inline(ev) != itsm_event_fields(ev) ||
        itsm_event_to_state_inline(ev) != itsm_event_to_state(ev))
        abort();   /* the inline reads are the getters' */
#endif
    if (itsm_event_record_inline(ev) == rp->watch_rec)
        watch_one(rp, rp->watch_in, ev, 0, 1);
}

int rp_quirk_add(replay *rp, const char *name, const char *handling, int listed)
{
    if (rp->nquirks == RP_MAX_QUIRKS)
        abort();
    rp_quirk *q = &rp->quirk[rp->nquirks];
    memset(q, 0, sizeof *q);
    q->name = name;
    q->handling = handling;
    q->listed = listed;
    return rp->nquirks++;
}

void rp_quirk_note(replay *rp, int i, long line)
{
    rp_quirk *q = &rp->quirk[i];
    q->count++;
    if (!q->listed)
        return;
    if (q->nlines == q->clines) {
        q->clines = q->clines ? 2 * q->clines : 16;
        if (!(q->lines = realloc(q->lines, q->clines * sizeof *q->lines)))
            die_oom();
    }
    q->lines[q->nlines++] = (rp_where){ rp->file, line };
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
    r->file = rp->file;
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

void rp_refuse_cut(replay *rp, long line, const char *record)
{
    rp_quirk_note(rp, RP_Q_CUT_LINE, line);
    rp_refuse(rp, line, record ? record : "?", "line cut at the end of the input (no line end)",
              "the input ends inside this line: its last field may be incomplete");
}

static size_t ptr_hash(const void *p)
{
    uintptr_t x = (uintptr_t)p;
    x ^= x >> 17;
    x *= 0xed5ad4bbu;
    x ^= x >> 11;
    return (size_t)x;
}

/* Room in the id table for `n` cases, rehashing what it holds. */
static void slots_for(replay *rp, size_t n)
{
    if (2 * n <= rp->cslot)
        return;
    size_t cap = rp->cslot ? 2 * rp->cslot : 4096;
    while (cap < 2 * n)
        cap *= 2;
    size_t *slot = calloc(cap, sizeof *slot);
    if (!slot)
        die_oom();
    for (size_t i = 0; i < rp->ninc; i++) {
        size_t h = ptr_hash(rp->inc[i].id) & (cap - 1);
        while (slot[h])
            h = (h + 1) & (cap - 1);
        slot[h] = i + 1;
    }
    free(rp->slot);
    rp->slot = slot;
    rp->cslot = cap;
}

/* Room for `n` cases. The room past the cases made is zero-filled (calloc,
 * or cleared when it grows): a new case then needs only its fields that do
 * not start at zero (rp_incident_get), not a copy of a whole blank case. */
static void cases_room(replay *rp, size_t n)
{
    if (n <= rp->cinc)
        return;
    rp_incident *inc = rp->inc ? realloc(rp->inc, n * sizeof *inc) : calloc(n, sizeof *inc);
    if (!inc)
        die_oom();
    if (rp->inc)
        memset(inc + rp->cinc, 0, (n - rp->cinc) * sizeof *inc);
    rp->inc = inc;
    rp->cinc = n;
    rp->cur_in = rp->cur ? &rp->inc[rp->cur - 1] : NULL;   /* moved */
    rp->watch_in = rp->watch ? &rp->inc[rp->watch - 1] : NULL;
}

void rp_reserve_cases(replay *rp, size_t n)
{
    if (rp->eng)   /* a hint: a refusal leaves the engine growing its tables as it goes */
        (void)itsm_engine_reserve(rp->eng, n, rp_pool_count(rp->pool));
    n += rp->ninc;
    slots_for(rp, n);
    cases_room(rp, n);
}

size_t rp_count_cases(const rp_rowkey *keys, size_t n)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        k += keys[i].id && (i == 0 || keys[i].id != keys[i - 1].id);
    return k;
}

/* rp_incident_get, inline in rp_row_case_slow: a new case's way; *at
 * gets the case's index + 1. */
RP_INLINE rp_incident *incident_get(replay *rp, const char *id, int *fresh, size_t *at)
{
    if (2 * (rp->ninc + 1) > rp->cslot)   /* slots_for's test, here: there is room but rarely */
        slots_for(rp, rp->ninc + 1);
    size_t h = ptr_hash(id) & (rp->cslot - 1);
    while (rp->slot[h]) {
        rp_incident *in = &rp->inc[rp->slot[h] - 1];
        if (in->id == id) {
            if (fresh)
                *fresh = 0;
            *at = rp->slot[h];
            return in;
        }
        h = (h + 1) & (rp->cslot - 1);
    }
    if (rp->ninc == rp->cinc)
        cases_room(rp, rp->cinc ? 2 * rp->cinc : 1024);
    /* a new case in the zero-filled room (cases_room): its fields that do
     * not start at zero or NULL */
    rp_incident *in = &rp->inc[rp->ninc++];
    rp->slot[h] = rp->ninc;
    in->id = id;
    in->last_t = ITSM_TIME_NONE;
    in->log_reassign = in->log_reopen = in->log_made_sla = in->log_priority = -1;
    in->log_opened = in->log_resolved = in->log_closed = ITSM_TIME_NONE;
    in->run_first = in->run_last = ITSM_TIME_NONE;
    if (fresh)
        *fresh = 1;
    *at = rp->ninc;
    return in;
}

rp_incident *rp_incident_get(replay *rp, const char *id, int *fresh)
{
    size_t at;
    return incident_get(rp, id, fresh, &at);
}

void rp_team_seen_slow(rp_incident *in, const char *team, int level)
{
    if (level > 0) {
        if (in->log_level && level > in->log_level)
            in->log_escalations++;   /* pushed to a higher line */
        in->log_level = level;
        if (level > in->log_max_level)
            in->log_max_level = level;
    }
    if (!team || team == in->log_team)
        return;
    enum { FEW = (int)(sizeof in->team_few / sizeof in->team_few[0]) };
    int known = 0;
    for (int i = 0; i < in->nteams && !known; i++)
        known = (i < FEW ? in->team_few[i] : in->teams[i - FEW]) == team;
    if (in->log_team) {
        in->log_team_changes++;
        if (known)
            in->log_pingpong = 1;   /* it had the case before another team did */
    }
    if (!known && in->nteams < FEW) {
        in->team_few[in->nteams++] = team;
    } else if (!known) {
        if (in->nteams - FEW == in->cteams) {
            in->cteams = in->cteams ? 2 * in->cteams : 4;
            if (!(in->teams = realloc(in->teams, (size_t)in->cteams * sizeof *in->teams)))
                die_oom();
        }
        in->teams[in->nteams++ - FEW] = team;
    }
    in->log_team = team;
}

void rp_tick_failed(replay *rp, int rc, long line, const char *record)
{
    rp_refuse_lib(rp, line, record, rc, "tick before the row");
}

/* rp_verdict, inline in rp_row_case_slow: a case's end. */
RP_INLINE void verdict(replay *rp, rp_incident *in)
{
    itsm_timer_info ti;   /* filled by itsm_record_timer when it gives ITSM_OK: only then read */
    ti.size = sizeof ti;
    in->sla = RP_SLA_NONE;
    if (!in->rec || in->last_t == ITSM_TIME_NONE ||
        itsm_record_timer(&ti, in->rec, ITSM_TIMER_RESOLUTION, in->last_t) != ITSM_OK || !ti.target)
        return;
    int p = ti.priority;   /* the record's, 1..5 or 0: no read of the field */
#ifndef NDEBUG
    int64_t rp_p = itsm_record_int(in->rec, ITSM_F_PRIORITY);
    if (p != (rp_p >= 1 && rp_p <= 5 ? (int)rp_p : 0))
        abort();
#endif
    if (p >= 1 && p <= 5) {
        rp->sla_target[p - 1] = ti.target;
        rp->sla_calendar[p - 1] = ti.calendar;
    }
    if (!rp->sla_name)
        rp->sla_name = itsm_record_sla(in->rec);
    in->sla_paused = ti.paused > 0;
    in->sla = ti.breached ? RP_SLA_BREACHED : ti.status == ITSM_TIMER_STOPPED ? RP_SLA_MET : RP_SLA_RUNNING;
}

void rp_verdict(replay *rp, rp_incident *in) { verdict(rp, in); }

rp_incident *rp_row_case_slow(replay *rp, const char *id, int *fresh)
{
    if (rp->cur) {   /* its rows are done (rp->cur_in: &rp->inc[rp->cur - 1]) */
        if (rp->case_done)
            rp->case_done(rp, rp->cur_in);
        verdict(rp, rp->cur_in);
    }
    rp_incident *in = incident_get(rp, id, fresh, &rp->cur);   /* its index + 1, from the id table */
    rp->cur_id = in->id;
    rp->cur_in = in;
    return in;
}

void rp_case_done(replay *rp)
{
    if (rp->cur && rp->case_done)
        rp->case_done(rp, &rp->inc[rp->cur - 1]);
}

void rp_finish(replay *rp)
{
    if (rp->cur) {
        rp_case_done(rp);
        rp_verdict(rp, &rp->inc[rp->cur - 1]);
    }
    rp->cur = 0;
    rp->cur_id = NULL;
    rp->cur_in = NULL;
}

/* ---- row order ---- */

typedef struct okey { size_t group, row; itsm_time t; } okey;

static int cmp_okey(const void *pa, const void *pb)
{
    const okey *a = pa, *b = pb;
    if (a->group != b->group)
        return a->group < b->group ? -1 : 1;
    if (a->t != b->t)
        return a->t < b->t ? -1 : 1;
    return a->row < b->row ? -1 : a->row > b->row;
}

/* Sorted by case, then time, then row: the cases are numbered 0..ngroups-1,
 * so a counting pass puts each case's rows together (in row order), and
 * each case, mostly short and mostly in time order already, is sorted on
 * its own (by insertion up to 32 rows). -1: out of memory. */
static int sort_keys(okey *k, size_t n, size_t ngroups)
{
    int together = 1;
    for (size_t i = 1; i < n && together; i++)
        together = k[i].group >= k[i - 1].group;
    if (!together) {
        size_t *at = calloc(ngroups + 1, sizeof *at);
        okey *tmp = malloc((n ? n : 1) * sizeof *tmp);
        if (!at || !tmp) {
            free(at);
            free(tmp);
            return -1;
        }
        for (size_t i = 0; i < n; i++)
            at[k[i].group + 1]++;
        for (size_t g = 0; g < ngroups; g++)
            at[g + 1] += at[g];
        for (size_t i = 0; i < n; i++)
            tmp[at[k[i].group]++] = k[i];
        memcpy(k, tmp, n * sizeof *k);
        free(at);
        free(tmp);
    }
    for (size_t a = 0, b; a < n; a = b) {
        for (b = a + 1; b < n && k[b].group == k[a].group; b++)
            ;
        if (b - a > 32) {
            qsort(k + a, b - a, sizeof *k, cmp_okey);
            continue;
        }
        for (size_t i = a + 1; i < b; i++) {
            okey x = k[i];
            size_t j = i;
            for (; j > a && cmp_okey(&k[j - 1], &x) > 0; j--)
                k[j] = k[j - 1];
            k[j] = x;
        }
    }
    return 0;
}

int rp_order(replay *rp, const rp_rowkey *keys, size_t n, size_t *order, unsigned char *dup,
             int (*same)(const void *rows, size_t a, size_t b), const void *rows)
{
    okey *k = malloc((n ? n : 1) * sizeof *k);
    /* per id: its group number and the time of its last row in file order;
     * grown with the ids (a log has far fewer cases than rows) */
    typedef struct gslot { const char *id; size_t group; itsm_time last; } gslot;
    size_t cap = 1024;
    gslot *g = calloc(cap, sizeof *g);
    if (!k || !g) {
        free(k);
        free(g);
        return -1;
    }
    size_t ngroups = 0, prev_group = (size_t)-1;
    for (size_t i = 0; i < n; i++) {
        const char *id = keys[i].id;
        size_t grp;
        itsm_time t = keys[i].t;
        dup[i] = 0;
        if (!id) {   /* no case: stays where it is, in a group of its own */
            grp = ngroups++;
            prev_group = grp;
            k[i] = (okey){ grp, i, 0 };
            continue;
        }
        if (2 * (ngroups + 1) > cap) {   /* at most half full: every id has a group */
            gslot *big = calloc(2 * cap, sizeof *big);
            if (!big) {
                free(k);
                free(g);
                return -1;
            }
            for (size_t j = 0; j < cap; j++)
                if (g[j].id) {
                    size_t b = ptr_hash(g[j].id) & (2 * cap - 1);
                    while (big[b].id)
                        b = (b + 1) & (2 * cap - 1);
                    big[b] = g[j];
                }
            free(g);
            g = big;
            cap *= 2;
        }
        size_t h = ptr_hash(id) & (cap - 1);
        while (g[h].id && g[h].id != id)
            h = (h + 1) & (cap - 1);
        if (!g[h].id) {
            g[h].id = id;
            g[h].group = ngroups++;
            g[h].last = ITSM_TIME_NONE;
        } else if (g[h].group != prev_group) {
            rp->file = keys[i].file;
            rp_quirk_note(rp, RP_Q_NOT_CONTIGUOUS, keys[i].line);
        }
        grp = g[h].group;
        prev_group = grp;
        if (t == ITSM_TIME_NONE) {
            t = g[h].last == ITSM_TIME_NONE ? ITSM_TIME_MIN : g[h].last;   /* keep its place */
        } else {
            /* noted below, unless the row turns out to repeat another */
            dup[i] = g[h].last != ITSM_TIME_NONE && t < g[h].last ? 2 : 0;
            g[h].last = t;
        }
        k[i] = (okey){ grp, i, t };
    }
    if (sort_keys(k, n, ngroups)) {
        free(k);
        free(g);
        return -1;
    }
    for (size_t i = 0; i < n; i++) {
        order[i] = k[i].row;
        int early = dup[k[i].row] == 2;
        dup[k[i].row] = 0;
        if (!same || !keys[k[i].row].id) {
            if (early) {
                rp->file = keys[k[i].row].file;
                rp_quirk_note(rp, RP_Q_OUT_OF_ORDER, keys[k[i].row].line);
            }
            continue;
        }
        /* an exact repeat has the same time: look back over the rows of
         * the case at that time */
        for (size_t j = i; j-- > 0 && k[j].group == k[i].group && k[j].t == k[i].t;)
            if (dup[k[j].row] != 1 && same(rows, k[j].row, k[i].row)) {
                dup[k[i].row] = 1;
                rp->file = keys[k[i].row].file;
                rp_quirk_note(rp, RP_Q_DUPLICATE, keys[k[i].row].line);
                break;
            }
        if (early && !dup[k[i].row]) {
            rp->file = keys[k[i].row].file;
            rp_quirk_note(rp, RP_Q_OUT_OF_ORDER, keys[k[i].row].line);
        }
    }
    free(k);
    free(g);
    return 0;
}
