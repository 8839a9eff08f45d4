/* SPDX-License-Identifier: Apache-2.0 */
/* One calendar of the policy document's "calendars" section, read into a
 * definition for itsm_policy_set_calendar and written back in one fixed
 * form, so a policy round-trips byte for byte (docs/service-levels.md). */
#include "sla/calendar.h"
#include "policy/policy_int.h"
#include "kit/json.h"

#include <stdio.h>
#include <string.h>

#define DAY 86400

static const char *const day_names[8] = { "mon", "tue", "wed", "thu", "fri", "sat", "sun", NULL };

static int schema(itsm_parse_error *err, const itsm__jval *v, const char *text)
{
    return itsm__json_schema_error(err, v, "%s", text);
}

/* "HH:MM" or "HH:MM:SS", up to 24:00. */
static int parse_clock(const char *s, size_t n, int32_t *out)
{
    if ((n != 5 && n != 8) || s[2] != ':' || (n == 8 && s[5] != ':'))
        return -1;
    int v[3] = { 0, 0, 0 };
    for (size_t k = 0; k < n / 3 + 1; k++) {
        char a = s[k * 3], b = s[k * 3 + 1];
        if (a < '0' || a > '9' || b < '0' || b > '9')
            return -1;
        v[k] = (a - '0') * 10 + (b - '0');
    }
    if (v[1] > 59 || v[2] > 59 || v[0] > 24 || (v[0] == 24 && (v[1] || v[2])))
        return -1;
    *out = v[0] * 3600 + v[1] * 60 + v[2];
    return 0;
}

static int read_span(const itsm__jval *v, int day, itsm_work_span *out, itsm_parse_error *err)
{
    const char *s = v->type == ITSM__JSTRING ? v->u.str.s : NULL;
    const char *dash = s ? strchr(s, '-') : NULL;
    if (!s || !dash || strlen(s) != v->u.str.len || parse_clock(s, (size_t)(dash - s), &out->start) ||
        parse_clock(dash + 1, strlen(dash + 1), &out->end) || out->start >= out->end)
        return schema(err, v, "working hours must be \"HH:MM-HH:MM\" (or HH:MM:SS) with start before end");
    out->day = day;
    return ITSM_OK;
}

static int built(itsm_policy *p, const itsm__jval *v, int rc, itsm_parse_error *err)
{
    if (rc == ITSM_ENOMEM) {
        if (err) {
            err->code = ITSM_ENOMEM;
            snprintf(err->text, sizeof err->text, "out of memory");
        }
        return rc;
    }
    itsm__json_schema_error(err, v, "%s", p->err.msg);
    if (err && rc == ITSM_ELIMIT)
        err->code = ITSM_ELIMIT;
    return rc == ITSM_ELIMIT ? ITSM_ELIMIT : ITSM_EPARSE;
}

static int read_hours(const itsm__jval *h, itsm_work_span *spans, size_t *n, itsm_parse_error *err)
{
    int rc;
    if (h->type != ITSM__JOBJECT)
        return schema(err, h, "'hours' must be an object");
    if ((rc = itsm__json_only_keys(h, day_names, "hours", err)))
        return rc;
    for (int d = 0; d < 7; d++) {
        const itsm__jval *x = itsm__json_get(h, day_names[d]);
        if (!x)
            continue;
        if (x->type != ITSM__JARRAY) {
            if ((rc = read_span(x, d, &spans[(*n)++], err)))
                return rc;
            continue;
        }
        if (x->u.arr.n == 0)
            return schema(err, x, "a day's working spans must not be an empty array");
        if (x->u.arr.n > ITSM__MAX_DAY_SPANS) {
            schema(err, x, "a day holds at most 8 working spans");
            if (err)
                err->code = ITSM_ELIMIT;
            return ITSM_ELIMIT;
        }
        for (size_t i = 0; i < x->u.arr.n; i++)
            if ((rc = read_span(&x->u.arr.items[i], d, &spans[(*n)++], err)))
                return rc;
    }
    return ITSM_OK;
}

int itsm__cal_read_json(itsm_policy *p, const itsm__jval *v, itsm_parse_error *err)
{
    static const char *const keys[] = { "name", "utc_offset", "zone", "hours", "holidays", NULL };
    int rc;
    if (v->type != ITSM__JOBJECT)
        return schema(err, v, "a calendar must be an object");
    if ((rc = itsm__json_only_keys(v, keys, "a calendar", err)))
        return rc;
    itsm_calendar_def d = ITSM_CALENDAR_DEF_INIT;
    const itsm__jval *x = itsm__json_get(v, "name");
    if (!x || x->type != ITSM__JSTRING || strlen(x->u.str.s) != x->u.str.len)
        return schema(err, x ? x : v, "a calendar needs a string 'name'");
    d.name = x->u.str.s;
    if ((x = itsm__json_get(v, "utc_offset"))) {
        if (x->type != ITSM__JNUMBER || !x->u.num.is_int || x->u.num.i < -50400 || x->u.num.i > 50400)
            return schema(err, x, "'utc_offset' must be a whole number -50400..50400");
        d.utc_offset = (int32_t)x->u.num.i;
    }
    if ((x = itsm__json_get(v, "zone"))) {
        itsm__tz z;
        size_t pos;
        const char *why = "a zone rule is a string";
        if (itsm__json_get(v, "utc_offset"))
            return schema(err, x, "a calendar gives 'zone' or 'utc_offset', not both");
        if (x->type != ITSM__JSTRING || strlen(x->u.str.s) != x->u.str.len ||
            itsm__tz_parse(&z, x->u.str.s, x->u.str.len, &pos, &why) != ITSM_OK)
            return itsm__json_schema_error(err, x, "'zone' is not a POSIX TZ rule (\"CET-1CEST,M3.5.0,M10.5.0/3\"): %s",
                                           why);
        d.zone = x->u.str.s;
    }
    const itsm__jval *h = itsm__json_get(v, "hours");
    if (!h)
        return schema(err, v, "a calendar needs 'hours'");
    itsm_work_span spans[ITSM__MAX_SPANS];
    size_t nspans = 0;
    if ((rc = read_hours(h, spans, &nspans, err)))
        return rc;
    if (nspans == 0)
        return schema(err, h, "a calendar has no working time in the week");
    d.spans = spans;
    d.nspans = nspans;
    const itsm__jval *hol = itsm__json_get(v, "holidays");
    const char *dates[64];
    const char **list = dates;
    if (hol) {
        if (hol->type != ITSM__JARRAY)
            return schema(err, hol, "'holidays' must be an array of \"YYYY-MM-DD\" or yearly rules");
        if (hol->u.arr.n > ITSM__MAX_HOLIDAYS) {
            schema(err, hol, "more than 4096 holidays");
            if (err)
                err->code = ITSM_ELIMIT;
            return ITSM_ELIMIT;
        }
        if (hol->u.arr.n > 64 && !(list = itsm__malloc(&p->alloc, hol->u.arr.n * sizeof *list)))
            return built(p, hol, ITSM_ENOMEM, err);
        for (size_t i = 0; i < hol->u.arr.n; i++) {
            const itsm__jval *e = &hol->u.arr.items[i];
            if (e->type != ITSM__JSTRING || strlen(e->u.str.s) != e->u.str.len) {
                if (list != dates)
                    itsm__free(&p->alloc, (void *)list);
                return schema(err, e, "a holiday must be a string \"YYYY-MM-DD\" or a yearly rule");
            }
            list[i] = e->u.str.s;
        }
        d.holidays = list;
        d.nholidays = hol->u.arr.n;
    }
    rc = itsm_policy_set_calendar(p, &d);
    if (list != dates)
        itsm__free(&p->alloc, (void *)list);
    return rc ? built(p, v, rc, err) : ITSM_OK;
}

/* ---- writing ---- */

/* s is 0..86400 */
static void w_clock(char *out, int32_t s)
{
    unsigned v = (unsigned)s, h = v / 3600 % 100, m = v % 3600 / 60, sec = v % 60;
    if (sec)
        snprintf(out, 12, "%02u:%02u:%02u", h, m, sec);
    else
        snprintf(out, 12, "%02u:%02u", h, m);
}

static void w_span(itsm__jw *w, const itsm__cal *c, unsigned i, int day)
{
    char a[12], b[12], span[24];
    w_clock(a, c->s[i] - day * DAY);
    w_clock(b, c->e[i] - day * DAY);
    snprintf(span, sizeof span, "%s-%s", a, b);
    itsm__jw_str(w, span);
}

void itsm__cal_write_json(const itsm__cal *c, itsm__jw *w)
{
    itsm__jw_obj_begin(w);
    itsm__jw_key(w, "name");
    itsm__jw_str(w, c->name);
    if (c->zone_text) {
        itsm__jw_key(w, "zone");
        itsm__jw_str(w, c->zone_text);
    } else {
        itsm__jw_key(w, "utc_offset");
        itsm__jw_int(w, c->offset);
    }
    itsm__jw_key(w, "hours");
    itsm__jw_obj_begin(w);
    for (int d = 0; d < 7; d++) {
        unsigned first = c->day_first[d], end = c->day_first[d + 1];
        if (first == end)
            continue;
        itsm__jw_key(w, day_names[d]);
        if (end - first == 1) {
            w_span(w, c, first, d);
            continue;
        }
        itsm__jw_arr_begin(w);
        for (unsigned i = first; i < end; i++)
            w_span(w, c, i, d);
        itsm__jw_arr_end(w);
    }
    itsm__jw_obj_end(w);
    if (c->nhol || c->nrules) {
        itsm__jw_key(w, "holidays");
        itsm__jw_arr_begin(w);
        for (size_t i = 0; i < c->nhol; i++) {
            char t[21];
            itsm__time_format(c->hol[i] * DAY, t);
            itsm__jw_strn(w, t, 10);
        }
        for (size_t i = 0; i < c->nrules; i++) {
            char r[16];
            itsm__holrule_format(&c->rules[i], r);
            itsm__jw_str(w, r);
        }
        itsm__jw_arr_end(w);
    }
    itsm__jw_obj_end(w);
}
