/* SPDX-License-Identifier: Apache-2.0 */
/* The conformance report as JSON and as CSV (include/itsm/conformance.h),
 * snprintf-style. */
#include "report/conformance_int.h"
#include "itsm/errors.h"
#include "kit/json.h"

#include <stdio.h>
#include <string.h>

/* ---- JSON ---- */

static void jcount(itsm__jw *w, const char *key, size_t n)
{
    itsm__jw_key(w, key);
    itsm__jw_int(w, (int64_t)n);
}

static void jrate(itsm__jw *w, const char *key, double v)
{
    itsm__jw_key(w, key);
    itsm__jw_double(w, v);
}

static void jstr(itsm__jw *w, const char *key, const char *s)
{
    itsm__jw_key(w, key);
    itsm__jw_str(w, s);
}

int itsm_conformance_to_json(const itsm_conformance *c, char *buf, size_t cap, size_t *len)
{
    if (!c || !len || (!buf && cap))
        return ITSM_EINVAL;
    itsm__jw w;
    itsm__jw_init(&w, buf, cap);
    itsm__jw_obj_begin(&w);
    jcount(&w, "version", 1);
    const itsm_conformance_summary *s = &c->sum;
    jcount(&w, "records", s->records);
    jcount(&w, "moves", s->moves);
    jcount(&w, "allowed", s->allowed);
    jcount(&w, "guard_failed", s->guard_failed);
    jcount(&w, "refused", s->refused);
    jrate(&w, "fitness", s->fitness);
    jcount(&w, "deviating_records", s->deviating_records);
    jcount(&w, "bypass_records", s->bypass_records);
    itsm__jw_key(&w, "moves_by_transition");
    itsm__jw_arr_begin(&w);
    for (size_t i = 0; i < c->nmoves; i++) {
        const itsm_conformance_move *m = &c->moves[i].m;
        itsm__jw_obj_begin(&w);
        jstr(&w, "kind", itsm_kind_name(m->kind));
        jstr(&w, "from", m->from);
        jstr(&w, "to", m->to);
        jcount(&w, "count", m->count);
        jcount(&w, "allowed", m->allowed);
        jcount(&w, "guard_failed", m->guard_failed);
        jcount(&w, "refused", m->refused);
        jrate(&w, "fitness", m->fitness);
        jstr(&w, "deviation", itsm_deviation_name(m->deviation));
        jstr(&w, "skipped", m->skipped);
        itsm__jw_obj_end(&w);
    }
    itsm__jw_arr_end(&w);
    itsm__jw_key(&w, "rules");
    itsm__jw_arr_begin(&w);
    for (size_t i = 0; i < c->nrules; i++) {
        itsm_conformance_rule r = { .size = sizeof r };
        itsm_conformance_rule_at(c, i, &r);
        itsm__jw_obj_begin(&w);
        jstr(&w, "kind", itsm_kind_name(r.kind));
        jstr(&w, "from", r.from);
        jstr(&w, "event", r.event);
        jstr(&w, "to", r.to);
        jstr(&w, "guard", r.guard);
        jcount(&w, "used", r.used);
        jcount(&w, "guard_failed", r.guard_failed);
        jrate(&w, "agreement", r.agreement);
        itsm__jw_obj_end(&w);
    }
    itsm__jw_arr_end(&w);
    itsm__jw_obj_end(&w);
    return itsm__jw_finish(&w, len);
}

/* ---- CSV ---- */

typedef struct cw { char *buf; size_t cap, len; } cw;

static void put(cw *c, const char *s, size_t n)
{
    if (c->len < c->cap) {
        size_t room = c->cap - c->len;
        memcpy(c->buf + c->len, s, n < room ? n : room);
    }
    c->len += n;
}

static void field(cw *c, const char *s)
{
    if (!s)
        return;
    size_t n = strlen(s);
    if (strcspn(s, ",\"\r\n") == n) {
        put(c, s, n);
        return;
    }
    put(c, "\"", 1);
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '"')
            put(c, "\"", 1);
        put(c, s + i, 1);
    }
    put(c, "\"", 1);
}

static void line(cw *c, const char *const f[7])
{
    for (int i = 0; i < 7; i++) {
        if (i)
            put(c, ",", 1);
        field(c, f[i]);
    }
    put(c, "\r\n", 2);
}

static void num(char *b, size_t cap, size_t n) { snprintf(b, cap, "%zu", n); }

static void rate(char *b, size_t cap, double v)
{
    itsm__jw w;
    size_t n;
    itsm__jw_init(&w, b, cap);
    itsm__jw_double(&w, v);
    itsm__jw_finish(&w, &n);
}

int itsm_conformance_to_csv(const itsm_conformance *c, char *buf, size_t cap, size_t *len)
{
    if (!c || !len || (!buf && cap))
        return ITSM_EINVAL;
    cw o = { buf, cap, 0 };
    char v[48];
    const char *head[7] = { "section", "kind", "from", "event", "to", "measure", "value" };
    line(&o, head);
    const itsm_conformance_summary *s = &c->sum;
    const struct { const char *k; size_t n; } sums[] = {
        { "records", s->records }, { "moves", s->moves }, { "allowed", s->allowed },
        { "guard_failed", s->guard_failed }, { "refused", s->refused },
        { "deviating_records", s->deviating_records }, { "bypass_records", s->bypass_records } };
    for (size_t i = 0; i < sizeof sums / sizeof sums[0]; i++) {
        num(v, sizeof v, sums[i].n);
        const char *f[7] = { "summary", NULL, NULL, NULL, NULL, sums[i].k, v };
        line(&o, f);
    }
    rate(v, sizeof v, s->fitness);
    const char *fit[7] = { "summary", NULL, NULL, NULL, NULL, "fitness", v };
    line(&o, fit);
    for (size_t i = 0; i < c->nmoves; i++) {
        const itsm_conformance_move *m = &c->moves[i].m;
        const char *kind = itsm_kind_name(m->kind);
        const struct { const char *k; size_t n; } ms[] = {
            { "count", m->count }, { "allowed", m->allowed }, { "guard_failed", m->guard_failed },
            { "refused", m->refused } };
        for (size_t k = 0; k < sizeof ms / sizeof ms[0]; k++) {
            num(v, sizeof v, ms[k].n);
            const char *f[7] = { "move", kind, m->from, NULL, m->to, ms[k].k, v };
            line(&o, f);
        }
        rate(v, sizeof v, m->fitness);
        const char *f1[7] = { "move", kind, m->from, NULL, m->to, "fitness", v };
        line(&o, f1);
        const char *f2[7] = { "move", kind, m->from, NULL, m->to, "deviation", itsm_deviation_name(m->deviation) };
        line(&o, f2);
        if (m->skipped) {
            const char *f3[7] = { "move", kind, m->from, NULL, m->to, "skipped", m->skipped };
            line(&o, f3);
        }
    }
    for (size_t i = 0; i < c->nrules; i++) {
        itsm_conformance_rule r = { .size = sizeof r };
        itsm_conformance_rule_at(c, i, &r);
        const char *kind = itsm_kind_name(r.kind);
        num(v, sizeof v, r.used);
        const char *f1[7] = { "rule", kind, r.from, r.event, r.to, "used", v };
        line(&o, f1);
        num(v, sizeof v, r.guard_failed);
        const char *f2[7] = { "rule", kind, r.from, r.event, r.to, "guard_failed", v };
        line(&o, f2);
        rate(v, sizeof v, r.agreement);
        const char *f3[7] = { "rule", kind, r.from, r.event, r.to, "agreement", v };
        line(&o, f3);
    }
    *len = o.len;
    if (cap) {
        buf[o.len < cap ? o.len : cap - 1] = '\0';
    }
    return o.len < cap ? ITSM_OK : ITSM_ELIMIT;
}
