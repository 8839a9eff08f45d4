/* SPDX-License-Identifier: Apache-2.0 */
/* Model-based testing: seeded random operations (open, update, fire,
 * link, the clock moving on, tick) go to the library and to an independent
 * reference model of the default policy (tests/support/model.c, written
 * from the documents), and everything is compared after every step: the
 * code, the events the sink saw, every record's state, fields, counters,
 * revision and the response, resolution and next-update timers.
 *
 * A sequence that disagrees is shrunk to a minimal one and printed as a
 * script for itsm-scenario (docs/scenario.md) whose expectations are the
 * model's, so it fails where the library departs from the documents.
 *
 *   test_model                       the bounded run of ctest
 *   test_model --ops N [--seed S]    a longer run (ITSM_MODEL_OPS works too)
 *   test_model --runner PATH         also give the harness's own check's
 *                                    script to itsm-scenario at PATH
 */
#include "support.h"
#include "model.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- operations ---- */

enum { OP_OPEN, OP_UPDATE, OP_FIRE, OP_LINK, OP_ADVANCE, OP_TICK };

#define MAX_CH 6

typedef struct op {
    int         type;
    char        id[16], id2[16]; /* records by id, so a shrunk sequence keeps its meaning */
    itsm_kind   kind;
    const char *event;
    itsm_change ch[MAX_CH];
    size_t      n;
    int64_t     secs;
} op;

/* ---- a seeded generator ---- */

static uint64_t rng_state;
static uint64_t rnd(void)
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 0x2545F4914F6CDD1Dull;
}
static unsigned pick(unsigned n) { return (unsigned)(rnd() % n); }
static int chance(unsigned percent) { return pick(100) < percent; }
#define ONE_OF(arr) ((arr)[pick(sizeof(arr) / sizeof((arr)[0]))])

/* Words differ per kind, so knowledge search never matches an incident to
 * an article or a known error (the model's knowledge decision is then
 * "linked" or "candidate"). */
static const char *const groups[] = { "g1", "g2", "g3" };
static const char *const people[] = { "u1", "u2" };
static const char *const holds[] = { "awaiting_customer", "awaiting_supplier" };
static const char *const codes[] = { "fixed", "workaround" };

static const char *word_for(itsm_kind k, itsm_field f)
{
    static const char *const summary[] = { "", "mail slow", "laptop wanted", "root issue", "upgrade",
                                           "article" };
    static const char *const category[] = { "", "icat", "rcat", "pcat", "ccat", "kcat" };
    switch (f) {
    case ITSM_F_SUMMARY: return summary[k];
    case ITSM_F_DESCRIPTION: return summary[k];
    case ITSM_F_CATEGORY: return category[k];
    default: return "x";
    }
}

static void gen_change(itsm_kind kind, itsm_field f, itsm_change *c)
{
    c->field = f;
    c->str = NULL;
    c->num = 0;
    switch (f) {
    case ITSM_F_ASSIGNMENT_GROUP: c->str = chance(10) ? NULL : ONE_OF(groups); break;
    case ITSM_F_ASSIGNEE: c->str = chance(5) ? NULL : ONE_OF(people); break;
    case ITSM_F_CALLER: c->str = "bob"; break;
    case ITSM_F_SERVICE: c->str = kind <= ITSM_KIND_SERVICE_REQUEST ? (chance(50) ? "svc_a" : "svc_b") : NULL; break;
    case ITSM_F_HOLD_REASON: c->str = chance(15) ? NULL : ONE_OF(holds); break;
    case ITSM_F_RESOLUTION_CODE: c->str = ONE_OF(codes); break;
    case ITSM_F_RESOLUTION_NOTES: c->str = "done"; break;
    case ITSM_F_KNOWLEDGE_DECISION: c->str = "not_needed"; break;
    case ITSM_F_CAUSE: c->str = "cause"; break;
    case ITSM_F_WORKAROUND: c->str = "workaround"; break;
    case ITSM_F_NO_WORKAROUND: c->num = 1; break;
    case ITSM_F_CLOSE_JUSTIFICATION: c->str = "not worth it"; break;
    case ITSM_F_CHANGE_TYPE: c->str = chance(50) ? "standard" : "normal"; break;
    case ITSM_F_IMPACT: case ITSM_F_URGENCY: c->num = 1 + pick(3); break;
    case ITSM_F_MAJOR: c->num = chance(50); break;
    case ITSM_F_SUMMARY: case ITSM_F_DESCRIPTION: case ITSM_F_CATEGORY: c->str = word_for(kind, f); break;
    default: c->str = "x"; break;
    }
}

static const itsm_field extra_fields[] = {
    ITSM_F_ASSIGNMENT_GROUP, ITSM_F_ASSIGNMENT_GROUP, ITSM_F_ASSIGNEE, ITSM_F_HOLD_REASON, ITSM_F_IMPACT,
    ITSM_F_URGENCY, ITSM_F_CATEGORY, ITSM_F_RESOLUTION_CODE, ITSM_F_RESOLUTION_NOTES, ITSM_F_KNOWLEDGE_DECISION,
    ITSM_F_SERVICE, ITSM_F_CAUSE, ITSM_F_MAJOR,
};

static void add_change(op *o, itsm_kind kind, itsm_field f)
{
    for (size_t i = 0; i < o->n; i++)
        if (o->ch[i].field == f)
            return;
    if (o->n < MAX_CH)
        gen_change(kind, f, &o->ch[o->n++]);
}

/* Fields named by a guard, given with probability 85% each. */
static void guard_fields(op *o, itsm_kind kind, const char *guard)
{
    char buf[128];
    snprintf(buf, sizeof buf, "%s", guard ? guard : "");
    for (char *t = strtok(buf, " |"); t; t = strtok(NULL, " |")) {
        char *eq = strchr(t, '=');
        if (eq)
            *eq = '\0';
        itsm_field f;
        if (itsm_field_from_name(&f, t) == ITSM_OK && !itsm_field_is_engine_owned(f) && chance(85)) {
            add_change(o, kind, f);
            if (eq && f == ITSM_F_CHANGE_TYPE)
                o->ch[o->n - 1].str = chance(80) ? "standard" : "normal";
            if (eq && f == ITSM_F_MAJOR)
                o->ch[o->n - 1].num = 0;
        }
    }
}

typedef struct world {
    model m;
    int   next_id;
} world;

static void gen(world *w, op *o)
{
    memset(o, 0, sizeof *o);
    model *m = &w->m;
    unsigned r = pick(100);
    if (m->n == 0 || (r < 10 && m->n < MODEL_MAX_RECS)) {
        o->type = OP_OPEN;
        o->kind = (itsm_kind)(1 + (chance(60) ? 0 : pick(5)));
        snprintf(o->id, sizeof o->id, "R%d", ++w->next_id % 100000);
        add_change(o, o->kind, ITSM_F_SUMMARY);
        if (o->kind <= ITSM_KIND_SERVICE_REQUEST && chance(90)) {
            add_change(o, o->kind, ITSM_F_IMPACT);
            add_change(o, o->kind, ITSM_F_URGENCY);
        }
        if (chance(40))
            add_change(o, o->kind, ITSM_F_ASSIGNMENT_GROUP);
        if (chance(30))
            add_change(o, o->kind, ITSM_F_CATEGORY);
        if (chance(30))
            add_change(o, o->kind, ITSM_F_SERVICE);
        return;
    }
    int rec = (int)pick((unsigned)m->n);
    itsm_kind kind = m->r[rec].kind;
    snprintf(o->id, sizeof o->id, "%s", m->r[rec].id);
    if (r < 55) {
        o->type = OP_FIRE;
        const char *const *evs = model_events_of(kind);
        size_t nev = 0;
        while (evs[nev])
            nev++;
        o->event = chance(97) ? evs[pick((unsigned)nev)] : (chance(50) ? "bogus" : "assign");
        guard_fields(o, kind, model_guard(m, rec, o->event));
        if (chance(15))
            add_change(o, kind, ONE_OF(extra_fields));
    } else if (r < 70) {
        o->type = OP_UPDATE;
        size_t n = 1 + pick(2);
        for (size_t i = 0; i < n; i++)
            add_change(o, kind, ONE_OF(extra_fields));
    } else if (r < 74) {
        o->type = OP_LINK;
        snprintf(o->id2, sizeof o->id2, "%s", m->r[pick((unsigned)m->n)].id);
    } else if (r < 88) {
        static const int64_t steps[] = { 60, 300, 900, 1800, 3600, 3 * 3600, 8 * 3600, 86400, 3 * 86400 };
        o->type = OP_ADVANCE;
        o->secs = ONE_OF(steps);
    } else {
        o->type = OP_TICK;
    }
}

/* ---- running one sequence on both sides ---- */

typedef struct seen { char type[32], rec[16], name[32]; } seen;
typedef struct sink_log { seen ev[64]; size_t n; } sink_log;

static void sink(void *user, const itsm_event *const *evs, size_t n)
{
    sink_log *l = user;
    for (size_t i = 0; i < n && l->n < 64; i++) {
        seen *s = &l->ev[l->n++];
        snprintf(s->type, sizeof s->type, "%s", itsm_event_type(evs[i]));
        snprintf(s->rec, sizeof s->rec, "%s", itsm_event_record_id(evs[i]));
        const char *name = itsm_event_name(evs[i]);
        snprintf(s->name, sizeof s->name, "%s", name ? name : "");
    }
}

typedef struct run {
    vclock       clock;
    sink_log     log;
    itsm_engine *eng;
    world        w;
    char         diff[1024];   /* the first disagreement */
    char         expect[512];  /* the model's view of it, as a script expectation */
    size_t       at;           /* the op it came at */
    int          rc_lib, rc_model;
} run;

static void expect_line(run *x, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
static void expect_line(run *x, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(x->expect, sizeof x->expect, fmt, ap);
    va_end(ap);
}

static void iso(itsm_time t, char out[64])
{
    if (t == ITSM_TIME_NONE) {
        snprintf(out, 64, "none");
        return;
    }
    int64_t days = t / 86400, secs = t % 86400;
    /* civil from days (Howard Hinnant's algorithm) */
    int64_t z = days + 719468, era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097, yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t y = yoe + era * 400, doy = doe - (365 * yoe + yoe / 4 - yoe / 100), mp = (5 * doy + 2) / 153;
    int64_t d = doy - (153 * mp + 2) / 5 + 1, mo = mp < 10 ? mp + 3 : mp - 9;
    snprintf(out, 64, "%04lld-%02lld-%02lldT%02lld:%02lld:%02lldZ", (long long)(y + (mo <= 2)), (long long)mo,
             (long long)d, (long long)(secs / 3600), (long long)(secs / 60 % 60), (long long)(secs % 60));
}

/* How often each kind of event was compared, for the summary. */
static struct { const char *type; long n; } tally[24];

static void count_event(const char *type)
{
    size_t i = 0;
    for (; i < sizeof tally / sizeof tally[0] && tally[i].type; i++)
        if (!strcmp(tally[i].type, type)) {
            tally[i].n++;
            return;
        }
    if (i < sizeof tally / sizeof tally[0]) {
        tally[i].type = type;
        tally[i].n = 1;
    }
}

static int index_of(const model *m, const char *id)
{
    for (size_t i = 0; i < m->n; i++)
        if (!strcmp(m->r[i].id, id))
            return (int)i;
    return -1;
}

static int differ(run *x, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
static int differ(run *x, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(x->diff, sizeof x->diff, fmt, ap);
    va_end(ap);
    return 1;
}

static const char *timer_names[] = { "response", "resolution", "next_update" };
static const itsm_timer lib_timer[] = { ITSM_TIMER_RESPONSE, ITSM_TIMER_RESOLUTION, ITSM_TIMER_NEXT_UPDATE };

/* Compare everything; 0 when equal, else 1 with x->diff set. */
static int compare(run *x, int rc_lib, int rc_model, const model_events *mev)
{
    model *m = &x->w.m;
    x->expect[0] = '\0';
    if (rc_lib != rc_model) {
        if (rc_model != ITSM_OK)
            expect_line(x, "expect error %s", itsm_errname(rc_model));
        return differ(x, "code: library %s (%s), model %s", itsm_errname(rc_lib), itsm_errmsg(x->eng),
                      itsm_errname(rc_model));
    }
    if (x->log.n != mev->n) {
        expect_line(x, "expect events %zu", mev->n);
        return differ(x, "events: library %zu (first %s), model %zu (first %s)", x->log.n,
                      x->log.n ? x->log.ev[0].type : "-", mev->n, mev->n ? mev->ev[0].type : "-");
    }
    for (size_t i = 0; i < mev->n; i++) {
        const seen *s = &x->log.ev[i];
        const model_event *e = &mev->ev[i];
        if (strcmp(s->type, e->type) || strcmp(s->rec, m->r[e->rec].id) ||
            (!strcmp(e->type, "transition") && strcmp(s->name, e->name))) {
            expect_line(x, "expect event %s %s %s", e->type, m->r[e->rec].id, e->name && !strcmp(e->type, "transition") ? e->name : "");
            return differ(x, "event %zu: library %s %s %s, model %s %s %s", i + 1, s->type, s->rec, s->name,
                          e->type, m->r[e->rec].id, e->name ? e->name : "");
        }
    }
    for (size_t i = 0; i < mev->n; i++)
        count_event(mev->ev[i].type);
    if (itsm_engine_record_count(x->eng) != m->n)
        return differ(x, "records: library %zu, model %zu", itsm_engine_record_count(x->eng), m->n);
    for (size_t i = 0; i < m->n; i++) {
        const model_rec *mr = &m->r[i];
        itsm_record *r = NULL;
        if (itsm_record_find(&r, x->eng, mr->id) != ITSM_OK)
            return differ(x, "record %s: missing in the library", mr->id);
        if (strcmp(itsm_record_state(r), model_state(m, (int)i))) {
            expect_line(x, "expect state %s %s", mr->id, model_state(m, (int)i));
            return differ(x, "state %s: library %s, model %s", mr->id, itsm_record_state(r), model_state(m, (int)i));
        }
        if (itsm_record_revision(r) != mr->rev) {
            expect_line(x, "expect revision %s %llu", mr->id, (unsigned long long)mr->rev);
            return differ(x, "revision %s: library %llu, model %llu", mr->id,
                          (unsigned long long)itsm_record_revision(r), (unsigned long long)mr->rev);
        }
        for (int f = 0; f < ITSM_F__COUNT; f++) {
            const model_value *v = &mr->f[f];
            itsm_field_type t = itsm_field_type_of((itsm_field)f);
            const char *name = itsm_field_name((itsm_field)f);
            if (t == ITSM_TYPE_TEXT || t == ITSM_TYPE_SYMBOL) {
                const char *s = itsm_record_str(r, (itsm_field)f);
                if ((s != NULL) != v->set || (s && strcmp(s, v->str))) {
                    expect_line(x, "expect field %s %s %s%s%s", mr->id, name, v->set ? "\"" : "",
                                v->set ? v->str : "none", v->set ? "\"" : "");
                    return differ(x, "field %s %s: library %s, model %s", mr->id, name, s ? s : "none",
                                  v->set ? v->str : "none");
                }
            } else {
                int64_t n = itsm_record_int(r, (itsm_field)f);
                int64_t want = v->set ? v->num : (t == ITSM_TYPE_TIME ? ITSM_TIME_NONE : 0);
                if (n == want)
                    continue;
                char when[64];
                iso(want, when);
                if (t == ITSM_TYPE_TIME)
                    expect_line(x, "expect field %s %s %s", mr->id, name, when);
                else if (t == ITSM_TYPE_BOOL)
                    expect_line(x, "expect field %s %s %s", mr->id, name, want ? "true" : "false");
                else
                    expect_line(x, "expect field %s %s %lld", mr->id, name, (long long)want);
                return differ(x, "field %s %s: library %lld, model %lld", mr->id, name, (long long)n,
                                  (long long)want);
            }
        }
        for (int k = 0; k < MT__COUNT; k++) {
            itsm_timer_info a = { .size = sizeof a }, b;
            if (itsm_record_timer(&a, r, lib_timer[k], x->clock.now) != ITSM_OK)
                return differ(x, "timer %s %s: %s", mr->id, timer_names[k], itsm_errmsg(x->eng));
            model_timer_at(m, (int)i, k, x->clock.now, &b);
            if (!(a.status != b.status || a.breached != b.breached ||
                  (a.status != ITSM_TIMER_NONE && (a.elapsed != b.elapsed || a.due != b.due)) ||
                  (k != MT_NEXT_UPDATE && a.status != ITSM_TIMER_NONE && a.warnings != b.warnings)))
                continue;
            static const char *const st[] = { "none", "running", "paused", "stopped" };
            if (b.status == ITSM_TIMER_NONE)
                expect_line(x, "expect timer %s %s none", mr->id, timer_names[k]);
            else
                expect_line(x, "expect timer %s %s %s %s remaining=%llds", mr->id, timer_names[k], st[b.status],
                            b.breached ? "breached" : "on_time", (long long)b.remaining);
            return differ(x,
                              "timer %s %s: library status %d breached %d elapsed %lld due %lld warnings %u, "
                              "model status %d breached %d elapsed %lld due %lld warnings %u",
                              mr->id, timer_names[k], (int)a.status, a.breached, (long long)a.elapsed,
                              (long long)a.due, a.warnings, (int)b.status, b.breached, (long long)b.elapsed,
                              (long long)b.due, b.warnings);
        }
    }
    return 0;
}

static void run_open(run *x)
{
    memset(x, 0, sizeof *x);
    x->clock.now = T0;
    itsm_engine_opts o = ITSM_ENGINE_OPTS_INIT;
    o.clock = vclock_read;
    o.clock_user = &x->clock;
    o.sink = sink;
    o.sink_user = &x->log;
    assert_int_equal(itsm_engine_new(&x->eng, &o), ITSM_OK);
    model_init(&x->w.m, T0);
}

/* One op on both sides; 0 when they agree, 1 when not, -1 when the op
 * does not apply (a record it names is not there: shrinking removed it). */
static int step(run *x, const op *o)
{
    model *m = &x->w.m;
    model_events mev;
    mev.n = 0;
    x->log.n = 0;
    int rc_lib = ITSM_OK, rc_model = ITSM_OK;
    int a = o->type == OP_OPEN || o->type == OP_ADVANCE || o->type == OP_TICK ? 0 : index_of(m, o->id);
    int b = o->type == OP_LINK ? index_of(m, o->id2) : 0;
    if (a < 0 || b < 0)
        return -1;
    itsm_record *ra = NULL, *rb = NULL;
    if (o->type == OP_UPDATE || o->type == OP_FIRE || o->type == OP_LINK)
        assert_int_equal(itsm_record_find(&ra, x->eng, o->id), ITSM_OK);
    if (o->type == OP_LINK)
        assert_int_equal(itsm_record_find(&rb, x->eng, o->id2), ITSM_OK);
    switch (o->type) {
    case OP_OPEN: {
        itsm_record_opts ro = ITSM_RECORD_OPTS_INIT;
        ro.kind = o->kind;
        ro.id = o->id;
        ro.fields = o->ch;
        ro.nfields = o->n;
        itsm_record *out;
        rc_lib = itsm_record_open(&out, x->eng, &ro);
        rc_model = model_open(m, o->kind, o->id, o->ch, o->n, &mev);
        break;
    }
    case OP_UPDATE:
        rc_lib = itsm_record_update(ra, o->ch, o->n);
        rc_model = model_update(m, a, o->ch, o->n, &mev);
        break;
    case OP_FIRE:
        rc_lib = itsm_record_fire(ra, o->event, o->ch, o->n);
        rc_model = model_fire(m, a, o->event, o->ch, o->n, &mev);
        break;
    case OP_LINK:
        rc_lib = itsm_record_link(ra, ITSM_LINK_RELATED, rb);
        rc_model = model_link(m, a, b, &mev);
        break;
    case OP_ADVANCE:
        x->clock.now += o->secs;
        m->now = x->clock.now;
        break;
    case OP_TICK: {
        size_t fired = 0;
        rc_lib = itsm_engine_tick(x->eng, x->clock.now, &fired);
        rc_model = model_tick(m, x->clock.now, &mev);
        break;
    }
    }
    x->rc_lib = rc_lib;
    x->rc_model = rc_model;
    return compare(x, rc_lib, rc_model, &mev);
}

/* Run `ops` from scratch; the index of the first disagreement, or n. */
static size_t replay_ops(run *x, const op *ops, size_t n)
{
    run_open(x);
    for (size_t i = 0; i < n; i++) {
        int r = step(x, &ops[i]);
        if (r > 0) {
            x->at = i;
            return i;
        }
    }
    return n;
}

/* ---- shrinking and the script ---- */

static int fails(const op *ops, size_t n)
{
    run x;
    size_t at = replay_ops(&x, ops, n);
    itsm_engine_free(x.eng);
    return at < n;
}

static size_t shrink(op *ops, size_t n)
{
    op *tmp = malloc(n * sizeof *tmp);
    for (size_t chunk = n / 2; chunk >= 1; chunk = chunk > 1 ? chunk / 2 : 0) {
        int progress = 1;
        while (progress) {
            progress = 0;
            for (size_t start = 0; start + chunk <= n;) {
                size_t k = 0;
                for (size_t i = 0; i < n; i++)
                    if (i < start || i >= start + chunk)
                        tmp[k++] = ops[i];
                if (fails(tmp, k)) {
                    memcpy(ops, tmp, k * sizeof *ops);
                    n = k;
                    progress = 1;
                } else {
                    start += chunk;
                }
            }
        }
        if (chunk == 1)
            break;
    }
    free(tmp);
    return n;
}

static void print_value(FILE *f, const itsm_change *c)
{
    itsm_field_type t = itsm_field_type_of(c->field);
    fprintf(f, " %s=", itsm_field_name(c->field));
    if (t == ITSM_TYPE_TEXT || t == ITSM_TYPE_SYMBOL) {
        if (!c->str)
            fprintf(f, "none");
        else
            fprintf(f, "\"%s\"", c->str);
    } else if (t == ITSM_TYPE_BOOL) {
        fprintf(f, "%s", c->num ? "true" : "false");
    } else {
        fprintf(f, "%lld", (long long)c->num);
    }
}

static void print_script(FILE *f, const op *ops, size_t n, uint64_t seed, size_t from)
{
    run x;
    size_t at = replay_ops(&x, ops, n);
    fprintf(f, "# itsm-scenario script: seed %llu, shrunk from %zu to %zu operations.\n",
            (unsigned long long)seed, from, n);
    fprintf(f, "# The last statement fails where the library and the model disagree:\n# %s\n", x.diff);
    fprintf(f, "clock set 2026-03-02T09:00:00Z\n");
    run y;
    run_open(&y);
    size_t window = 0;   /* events since the start: the runner's window for `expect events` */
    for (size_t i = 0; i < n && i <= at; i++) {
        const op *o = &ops[i];
        if (i == at && window)
            fprintf(f, "expect events %zu\n", window);
        int agree = step(&y, o);
        window += y.log.n;
        static const char *const kinds[] = { "", "incident", "service_request", "problem", "change", "knowledge" };
        switch (o->type) {
        case OP_OPEN: fprintf(f, "open %s %s", kinds[o->kind], o->id); break;
        case OP_UPDATE: fprintf(f, "update %s", o->id); break;
        case OP_FIRE: fprintf(f, "fire %s %s", o->id, o->event); break;
        case OP_LINK: fprintf(f, "link %s related %s", o->id, o->id2); break;
        case OP_ADVANCE: fprintf(f, "clock advance %llds", (long long)o->secs); break;
        case OP_TICK: fprintf(f, "tick"); break;
        }
        for (size_t k = 0; k < o->n; k++)
            print_value(f, &o->ch[k]);
        fprintf(f, "\n");
        if (i < at && agree == 0 && y.rc_lib != ITSM_OK)
            fprintf(f, "expect error %s\n", itsm_errname(y.rc_lib));
        if (i == at) {
            if (y.rc_lib != ITSM_OK && y.rc_lib == y.rc_model)
                fprintf(f, "expect error %s\n", itsm_errname(y.rc_lib));
            if (y.expect[0])
                fprintf(f, "%s\n", y.expect);
        }
    }
    itsm_engine_free(y.eng);
    itsm_engine_free(x.eng);
}

/* ---- the run ---- */

/* The bounded run of ctest: two million operations (a few seconds), a
 * twentieth of that under the sanitizers (a Debug build, much slower);
 * --ops for more. */
#if defined(__SANITIZE_ADDRESS__)
#define MODEL_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define MODEL_SANITIZED 1
#endif
#endif
#ifdef MODEL_SANITIZED
static long total_ops = 100000;
#else
static long total_ops = 2000000;
#endif
static uint64_t first_seed = 1;
#define SEQ_LEN 150

/* Run seeded sequences from *seed on until `total` operations agree, or
 * one disagrees: then 1, its operations in ops[0..*n), *seed its seed and
 * `diff` the disagreement. */
static int search(uint64_t *seed, long total, op *ops, size_t *n, long *done, char diff[1024])
{
    for (; *done < total; ++*seed) {
        rng_state = *seed * 0x9E3779B97F4A7C15ull + 1;
        run x;
        run_open(&x);
        int bad = 0;
        for (*n = 0; *n < SEQ_LEN; ++*n) {
            gen(&x.w, &ops[*n]);
            if (step(&x, &ops[*n]) > 0) {
                bad = 1;
                ++*n;
                break;
            }
        }
        *done += (long)*n;
        snprintf(diff, 1024, "%s", x.diff);
        itsm_engine_free(x.eng);
        if (bad)
            return 1;
    }
    return 0;
}

static void random_sequences_agree_with_the_model(void **state)
{
    (void)state;
    long done = 0;
    uint64_t seed = first_seed;
    op *ops = malloc(SEQ_LEN * sizeof *ops);
    size_t n = 0;
    char diff[1024];
    if (search(&seed, total_ops, ops, &n, &done, diff)) {
        size_t from = n;
        n = shrink(ops, n);
        print_script(stderr, ops, n, seed, from);
        free(ops);
        fail_msg("seed %llu: the library and the model disagree: %s", (unsigned long long)seed, diff);
    }
    free(ops);
    print_message("%ld operations in %llu sequences (seeds %llu..%llu) agree with the model\n", done,
                  (unsigned long long)(seed - first_seed), (unsigned long long)first_seed,
                  (unsigned long long)(seed - 1));
    for (size_t i = 0; i < sizeof tally / sizeof tally[0] && tally[i].type; i++)
        print_message("  %-20s %ld events\n", tally[i].type, tally[i].n);
}

/* The runner (--runner PATH: itsm-scenario) the printed script is given to. */
static const char *runner;

/* The harness itself: a model made to depart from the documents in one
 * rule is caught, the failing sequence is shrunk to the operation or two
 * that show it, and the printed script fails in the scenario runner at its
 * last expectation, the model's. */
static void a_disagreement_is_shrunk_to_a_script_the_runner_fails_on(void **state)
{
    (void)state;
    model_mutant = MODEL_MUTANT_PRIORITY;
    op *ops = malloc(SEQ_LEN * sizeof *ops);
    uint64_t seed = 1;
    size_t n = 0;
    long done = 0;
    char diff[1024];
    assert_true(search(&seed, 1000000, ops, &n, &done, diff));
    assert_non_null(strstr(diff, " priority: library 2, model 3"));
    size_t from = n;
    n = shrink(ops, n);
    assert_true(n >= 1 && n <= 2);   /* the open, and maybe the update that sets impact or urgency */
    assert_true(fails(ops, n));
    FILE *f = tmpfile();
    assert_non_null(f);
    print_script(f, ops, n, seed, from);
    model_mutant = MODEL_MUTANT_NONE;
    free(ops);
    char text[4096];
    rewind(f);
    size_t len = fread(text, 1, sizeof text - 1, f);
    fclose(f);
    text[len] = '\0';
    char want[64];
    snprintf(want, sizeof want, "shrunk from %zu to %zu operations", from, n);
    assert_non_null(strstr(text, want));
    assert_non_null(strstr(text, "\nclock set 2026-03-02T09:00:00Z\n"));
    assert_non_null(strstr(text, " priority 3\n"));   /* the last line: the model's expectation */
    assert_string_equal(text + len - strlen(" priority 3\n"), " priority 3\n");
    if (!runner)
        return;
    /* In the working directory: only the ctest run with --runner writes. */
    const char *path = "model_shrunk.itsm";
    f = fopen(path, "w");
    assert_non_null(f);
    fwrite(text, 1, len, f);
    fclose(f);
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "\"%s\" %s > model_shrunk.out 2>&1", runner, path);
    assert_int_not_equal(system(cmd), 0);
    f = fopen("model_shrunk.out", "r");
    assert_non_null(f);
    len = fread(text, 1, sizeof text - 1, f);
    fclose(f);
    text[len] = '\0';
    /* The library says 2 where the (deliberately wrong) model wants 3. */
    if (!strstr(text, "priority of ") || !strstr(text, " is 2, expected 3"))
        fail_msg("the runner did not fail at the model's expectation:\n%s", text);
}

int main(int argc, char **argv)
{
    const char *env = getenv("ITSM_MODEL_OPS");
    if (env)
        total_ops = strtol(env, NULL, 10);
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!strcmp(argv[i], "--ops"))
            total_ops = strtol(argv[i + 1], NULL, 10);
        else if (!strcmp(argv[i], "--seed"))
            first_seed = strtoull(argv[i + 1], NULL, 10);
        else if (!strcmp(argv[i], "--runner"))
            runner = argv[i + 1];
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_disagreement_is_shrunk_to_a_script_the_runner_fails_on),
        cmocka_unit_test(random_sequences_agree_with_the_model),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
