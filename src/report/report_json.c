/* SPDX-License-Identifier: Apache-2.0 */
/* The report as JSON and as CSV (include/itsm/report.h), snprintf-style. */
#include "report/report_int.h"
#include "itsm/errors.h"
#include "kit/json.h"

#include <stdio.h>
#include <string.h>

/* ---- JSON ------------------------------------------------------------ */

static void json_stat(itsm__jw *w, const itsm_report_stat *s)
{
    itsm__jw_obj_begin(w);
    itsm__jw_key(w, "count");
    itsm__jw_int(w, (int64_t)s->count);
    itsm__jw_key(w, "mean");
    itsm__jw_double(w, s->mean);
    itsm__jw_key(w, "min");
    itsm__jw_int(w, s->min);
    itsm__jw_key(w, "max");
    itsm__jw_int(w, s->max);
    itsm__jw_key(w, "p50");
    itsm__jw_int(w, s->p50);
    itsm__jw_key(w, "p90");
    itsm__jw_int(w, s->p90);
    itsm__jw_key(w, "p95");
    itsm__jw_int(w, s->p95);
    itsm__jw_key(w, "p99");
    itsm__jw_int(w, s->p99);
    itsm__jw_obj_end(w);
}

static void json_count(itsm__jw *w, const char *key, size_t n)
{
    itsm__jw_key(w, key);
    itsm__jw_int(w, (int64_t)n);
}

static void json_rate(itsm__jw *w, const char *key, double v)
{
    itsm__jw_key(w, key);
    itsm__jw_double(w, v);
}

static void json_surveys(itsm__jw *w, const itsm_report *r)
{
    itsm__jw_key(w, "satisfaction");
    itsm__jw_obj_begin(w);
    itsm__jw_key(w, "scale");
    itsm__jw_arr_begin(w);
    itsm__jw_int(w, r->scale_min);
    itsm__jw_int(w, r->scale_max);
    itsm__jw_arr_end(w);
    itsm__jw_key(w, "rows");
    itsm__jw_arr_begin(w);
    for (size_t i = 0; i < r->nsurveys; i++) {
        const itsm_report_survey *s = &r->surveys[i];
        itsm__jw_obj_begin(w);
        itsm__jw_key(w, "by");
        itsm__jw_str(w, itsm_survey_dimension_name(s->by));
        itsm__jw_key(w, "name");
        itsm__jw_str(w, s->name);
        itsm__jw_key(w, "week");
        itsm__jw_time(w, s->week);
        json_count(w, "sent", s->sent);
        json_count(w, "answered", s->answered);
        json_rate(w, "response_rate", s->response_rate);
        json_rate(w, "mean_score", s->mean_score);
        itsm__jw_key(w, "scores");
        itsm__jw_arr_begin(w);
        for (int p = 0; p <= s->scale_max - s->scale_min; p++)
            itsm__jw_int(w, (int64_t)s->scores[p]);
        itsm__jw_arr_end(w);
        itsm__jw_obj_end(w);
    }
    itsm__jw_arr_end(w);
    itsm__jw_obj_end(w);
}

int itsm_report_to_json(const itsm_report *r, char *buf, size_t cap, size_t *len)
{
    if (!r || !len || (!buf && cap))
        return ITSM_EINVAL;
    itsm__jw w;
    itsm__jw_init(&w, buf, cap);
    itsm__jw_obj_begin(&w);
    json_count(&w, "version", 1);
    itsm__jw_key(&w, "from");
    itsm__jw_time(&w, r->from);
    itsm__jw_key(&w, "to");
    itsm__jw_time(&w, r->to);
    itsm__jw_key(&w, "now");
    itsm__jw_time(&w, r->now);
    itsm__jw_key(&w, "calendar");
    itsm__jw_str(&w, r->calendar);
    if (r->filter_text) {
        itsm__jw_key(&w, "filter");
        itsm__jw_str(&w, r->filter_text);
    }
    json_count(&w, "total", r->total);

    itsm__jw_key(&w, "by_kind");
    itsm__jw_obj_begin(&w);
    for (int k = 1; k <= ITSM_KIND_COUNT; k++)
        json_count(&w, itsm_kind_name((itsm_kind)k), r->by_kind[k]);
    itsm__jw_obj_end(&w);

    itsm__jw_key(&w, "by_state");
    itsm__jw_arr_begin(&w);
    for (size_t i = 0; i < r->nstates; i++) {
        itsm__jw_obj_begin(&w);
        itsm__jw_key(&w, "kind");
        itsm__jw_str(&w, itsm_kind_name(r->states[i].kind));
        itsm__jw_key(&w, "state");
        itsm__jw_str(&w, r->states[i].name);
        json_count(&w, "count", r->states[i].count);
        itsm__jw_obj_end(&w);
    }
    itsm__jw_arr_end(&w);

    itsm__jw_key(&w, "by_category");
    itsm__jw_arr_begin(&w);
    for (size_t i = 0; i < r->ncats; i++) {
        itsm__jw_obj_begin(&w);
        itsm__jw_key(&w, "category");
        itsm__jw_str(&w, r->cats[i].name);
        json_count(&w, "count", r->cats[i].count);
        itsm__jw_obj_end(&w);
    }
    itsm__jw_arr_end(&w);

    itsm__jw_key(&w, "by_priority");
    itsm__jw_obj_begin(&w);
    static const char *const prio_keys[6] = { "none", "1", "2", "3", "4", "5" };
    for (int p = 0; p <= 5; p++)
        json_count(&w, prio_keys[p], r->by_prio[p]);
    itsm__jw_obj_end(&w);

    itsm__jw_key(&w, "durations");
    itsm__jw_obj_begin(&w);
    for (int m = 0; m < ITSM_MEASURE_COUNT; m++) {
        itsm__jw_key(&w, itsm_report_measure_name((itsm_report_measure)m));
        json_stat(&w, &r->stat[m]);
    }
    itsm__jw_obj_end(&w);

    const itsm_report_figures *f = &r->fig;
    itsm__jw_key(&w, "figures");
    itsm__jw_obj_begin(&w);
    json_count(&w, "resolved", f->resolved);
    json_count(&w, "first_contact", f->first_contact);
    json_rate(&w, "first_contact_rate", f->first_contact_rate);
    json_count(&w, "reassignments", f->reassignments);
    json_count(&w, "reassigned_records", f->reassigned_records);
    json_count(&w, "ever_resolved", f->ever_resolved);
    json_count(&w, "reopened_records", f->reopened_records);
    json_count(&w, "reopens", f->reopens);
    json_rate(&w, "reopen_rate", f->reopen_rate);
    itsm__jw_obj_end(&w);

    itsm__jw_key(&w, "process");
    itsm__jw_obj_begin(&w);
    itsm__jw_key(&w, "available");
    itsm__jw_bool(&w, r->process_available);
    if (r->process_available) {
        json_count(&w, "completed", r->proc.completed);
        json_count(&w, "stayed_first_line", r->proc.stayed_first_line);
        json_count(&w, "functional_escalations", r->proc.functional_escalations);
        json_count(&w, "escalated_records", r->proc.escalated_records);
        json_count(&w, "group_changes", r->proc.group_changes);
        json_count(&w, "ping_pong_records", r->proc.ping_pong_records);
        json_count(&w, "ping_pong_returns", r->proc.ping_pong_returns);
    }
    itsm__jw_obj_end(&w);

    itsm__jw_key(&w, "sla");
    itsm__jw_obj_begin(&w);
    json_count(&w, "tracked", r->sla.tracked);
    json_count(&w, "met", r->sla.met);
    json_count(&w, "breached", r->sla.breached);
    json_rate(&w, "compliance", r->sla.compliance);
    itsm__jw_obj_end(&w);

    itsm__jw_key(&w, "handover");
    itsm__jw_obj_begin(&w);
    itsm__jw_key(&w, "senders");
    itsm__jw_arr_begin(&w);
    for (size_t i = 0; i < r->nsenders; i++) {
        itsm__jw_obj_begin(&w);
        itsm__jw_key(&w, "sender_group");
        itsm__jw_str(&w, r->senders[i].sender_group);
        json_count(&w, "packets", r->senders[i].packets);
        json_rate(&w, "mean_score", r->senders[i].mean_score);
        json_count(&w, "complete", r->senders[i].complete);
        itsm__jw_obj_end(&w);
    }
    itsm__jw_arr_end(&w);
    itsm__jw_obj_end(&w);

    itsm__jw_key(&w, "aging");
    itsm__jw_arr_begin(&w);
    for (size_t b = 0; b < ITSM_REPORT_AGING_BUCKETS; b++) {
        itsm__jw_obj_begin(&w);
        itsm__jw_key(&w, "from");
        itsm__jw_int(&w, itsm_report_aging_bound(b));
        json_count(&w, "count", r->aging[b]);
        itsm__jw_obj_end(&w);
    }
    itsm__jw_arr_end(&w);

    itsm__jw_key(&w, "trends");
    itsm__jw_arr_begin(&w);
    for (size_t i = 0; i < r->ntrends; i++) {
        itsm__jw_obj_begin(&w);
        itsm__jw_key(&w, "week");
        itsm__jw_time(&w, r->trends[i].week);
        itsm__jw_key(&w, "category");
        itsm__jw_str(&w, r->trends[i].category);
        json_count(&w, "opened", r->trends[i].opened);
        json_count(&w, "resolved", r->trends[i].resolved);
        itsm__jw_obj_end(&w);
    }
    itsm__jw_arr_end(&w);
    json_surveys(&w, r);
    itsm__jw_key(&w, "problem_proposals");
    itsm__jw_obj_begin(&w);
    json_count(&w, "proposed", r->props.proposed);
    json_count(&w, "pending", r->props.pending);
    json_count(&w, "accepted", r->props.accepted);
    json_count(&w, "dismissed", r->props.dismissed);
    json_count(&w, "incidents", r->props.incidents);
    itsm__jw_obj_end(&w);
    if (r->group_by) {
        itsm__jw_key(&w, "groups");
        itsm__jw_obj_begin(&w);
        itsm__jw_key(&w, "field");
        itsm__jw_str(&w, r->group_by);
        itsm__jw_key(&w, "rows");
        itsm__jw_arr_begin(&w);
        for (size_t i = 0; i < r->ngroups; i++) {
            const itsm_report_group *g = &r->groups[i];
            itsm__jw_obj_begin(&w);
            itsm__jw_key(&w, "value");
            itsm__jw_str(&w, g->value);
            json_count(&w, "count", g->count);
            json_count(&w, "resolved", g->resolved);
            json_count(&w, "met", g->met);
            json_count(&w, "breached", g->breached);
            itsm__jw_obj_end(&w);
        }
        itsm__jw_arr_end(&w);
        itsm__jw_obj_end(&w);
    }
    itsm__jw_obj_end(&w);
    return itsm__jw_finish(&w, len);
}

/* ---- CSV ------------------------------------------------------------- */

typedef struct cw {
    char  *buf;
    size_t cap, len;
} cw;

static void cw_put(cw *c, const char *s, size_t n)
{
    if (c->len < c->cap) {
        size_t room = c->cap - c->len;
        memcpy(c->buf + c->len, s, n < room ? n : room);
    }
    c->len += n;
}

/* One field, quoted when it holds a comma, quote or line break. */
static void cw_field(cw *c, const char *s)
{
    if (!s)
        return;
    size_t n = strlen(s);
    if (strcspn(s, ",\"\r\n") == n) {
        cw_put(c, s, n);
        return;
    }
    cw_put(c, "\"", 1);
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '"')
            cw_put(c, "\"", 1);
        cw_put(c, s + i, 1);
    }
    cw_put(c, "\"", 1);
}

static void cw_line(cw *c, const char *section, const char *key, const char *sub, const char *value)
{
    cw_field(c, section);
    cw_put(c, ",", 1);
    cw_field(c, key);
    cw_put(c, ",", 1);
    cw_field(c, sub);
    cw_put(c, ",", 1);
    cw_field(c, value);
    cw_put(c, "\r\n", 2);
}

static const char *fmt_int(char *b, size_t cap, int64_t v)
{
    snprintf(b, cap, "%lld", (long long)v);
    return b;
}

/* The same shortest round-trip text the JSON writer uses. */
static const char *fmt_double(char *b, size_t cap, double v)
{
    itsm__jw w;
    size_t n;
    itsm__jw_init(&w, b, cap);
    itsm__jw_double(&w, v);
    itsm__jw_finish(&w, &n);
    return b;
}

static const char *fmt_time(char *b, itsm_time t)
{
    itsm__time_format(t, b);
    return b;
}

static void cw_count(cw *c, const char *section, const char *key, const char *sub, size_t n)
{
    char v[32];
    cw_line(c, section, key, sub, fmt_int(v, sizeof v, (int64_t)n));
}

static void cw_rate(cw *c, const char *section, const char *key, const char *sub, double d)
{
    char v[48];
    cw_line(c, section, key, sub, fmt_double(v, sizeof v, d));
}

int itsm_report_to_csv(const itsm_report *r, char *buf, size_t cap, size_t *len)
{
    if (!r || !len || (!buf && cap))
        return ITSM_EINVAL;
    cw c = { buf, cap, 0 };
    char t[21], k[32];
    cw_line(&c, "section", "key", "subkey", "value");
    cw_line(&c, "period", "from", NULL, fmt_time(t, r->from));
    cw_line(&c, "period", "to", NULL, fmt_time(t, r->to));
    cw_line(&c, "period", "now", NULL, fmt_time(t, r->now));
    cw_line(&c, "period", "calendar", NULL, r->calendar);
    if (r->filter_text)
        cw_line(&c, "period", "filter", NULL, r->filter_text);
    cw_count(&c, "total", NULL, NULL, r->total);
    for (int i = 1; i <= ITSM_KIND_COUNT; i++)
        cw_count(&c, "by_kind", itsm_kind_name((itsm_kind)i), NULL, r->by_kind[i]);
    for (size_t i = 0; i < r->nstates; i++)
        cw_count(&c, "by_state", itsm_kind_name(r->states[i].kind), r->states[i].name,
                 r->states[i].count);
    for (size_t i = 0; i < r->ncats; i++)
        cw_count(&c, "by_category", r->cats[i].name, NULL, r->cats[i].count);
    for (int p = 0; p <= 5; p++)
        cw_count(&c, "by_priority", p ? fmt_int(k, sizeof k, p) : "none", NULL, r->by_prio[p]);
    for (int m = 0; m < ITSM_MEASURE_COUNT; m++) {
        const char *name = itsm_report_measure_name((itsm_report_measure)m);
        const itsm_report_stat *s = &r->stat[m];
        char v[32];
        cw_count(&c, "duration", name, "count", s->count);
        cw_rate(&c, "duration", name, "mean", s->mean);
        cw_line(&c, "duration", name, "min", fmt_int(v, sizeof v, s->min));
        cw_line(&c, "duration", name, "max", fmt_int(v, sizeof v, s->max));
        cw_line(&c, "duration", name, "p50", fmt_int(v, sizeof v, s->p50));
        cw_line(&c, "duration", name, "p90", fmt_int(v, sizeof v, s->p90));
        cw_line(&c, "duration", name, "p95", fmt_int(v, sizeof v, s->p95));
        cw_line(&c, "duration", name, "p99", fmt_int(v, sizeof v, s->p99));
    }
    const itsm_report_figures *f = &r->fig;
    cw_count(&c, "figures", "resolved", NULL, f->resolved);
    cw_count(&c, "figures", "first_contact", NULL, f->first_contact);
    cw_rate(&c, "figures", "first_contact_rate", NULL, f->first_contact_rate);
    cw_count(&c, "figures", "reassignments", NULL, f->reassignments);
    cw_count(&c, "figures", "reassigned_records", NULL, f->reassigned_records);
    cw_count(&c, "figures", "ever_resolved", NULL, f->ever_resolved);
    cw_count(&c, "figures", "reopened_records", NULL, f->reopened_records);
    cw_count(&c, "figures", "reopens", NULL, f->reopens);
    cw_rate(&c, "figures", "reopen_rate", NULL, f->reopen_rate);
    cw_line(&c, "process", "available", NULL, r->process_available ? "true" : "false");
    if (r->process_available) {
        cw_count(&c, "process", "completed", NULL, r->proc.completed);
        cw_count(&c, "process", "stayed_first_line", NULL, r->proc.stayed_first_line);
        cw_count(&c, "process", "functional_escalations", NULL, r->proc.functional_escalations);
        cw_count(&c, "process", "escalated_records", NULL, r->proc.escalated_records);
        cw_count(&c, "process", "group_changes", NULL, r->proc.group_changes);
        cw_count(&c, "process", "ping_pong_records", NULL, r->proc.ping_pong_records);
        cw_count(&c, "process", "ping_pong_returns", NULL, r->proc.ping_pong_returns);
    }
    cw_count(&c, "sla", "tracked", NULL, r->sla.tracked);
    cw_count(&c, "sla", "met", NULL, r->sla.met);
    cw_count(&c, "sla", "breached", NULL, r->sla.breached);
    cw_rate(&c, "sla", "compliance", NULL, r->sla.compliance);
    for (size_t i = 0; i < r->nsenders; i++) {
        const itsm_report_sender *s = &r->senders[i];
        cw_count(&c, "handover", s->sender_group, "packets", s->packets);
        cw_rate(&c, "handover", s->sender_group, "mean_score", s->mean_score);
        cw_count(&c, "handover", s->sender_group, "complete", s->complete);
    }
    for (size_t b = 0; b < ITSM_REPORT_AGING_BUCKETS; b++)
        cw_count(&c, "aging", fmt_int(k, sizeof k, itsm_report_aging_bound(b)), NULL, r->aging[b]);
    for (size_t i = 0; i < r->ntrends; i++) {
        cw_count(&c, "trend_opened", fmt_time(t, r->trends[i].week), r->trends[i].category,
                 r->trends[i].opened);
        cw_count(&c, "trend_resolved", fmt_time(t, r->trends[i].week), r->trends[i].category,
                 r->trends[i].resolved);
    }
    for (size_t i = 0; i < r->nsurveys; i++) {
        const itsm_report_survey *s = &r->surveys[i];
        char key[300], sub[32];
        if (s->by == ITSM_SURVEY_ALL)
            snprintf(key, sizeof key, "all");
        else if (s->by == ITSM_SURVEY_BY_WEEK)
            snprintf(key, sizeof key, "week:%s", fmt_time(t, s->week));
        else
            snprintf(key, sizeof key, "%s:%s", itsm_survey_dimension_name(s->by), s->name ? s->name : "");
        cw_count(&c, "satisfaction", key, "sent", s->sent);
        cw_count(&c, "satisfaction", key, "answered", s->answered);
        cw_rate(&c, "satisfaction", key, "response_rate", s->response_rate);
        cw_rate(&c, "satisfaction", key, "mean_score", s->mean_score);
        for (int p = 0; p <= s->scale_max - s->scale_min; p++) {
            snprintf(sub, sizeof sub, "score_%d", s->scale_min + p);
            cw_count(&c, "satisfaction", key, sub, s->scores[p]);
        }
    }
    cw_count(&c, "problem_proposals", "proposed", NULL, r->props.proposed);
    cw_count(&c, "problem_proposals", "pending", NULL, r->props.pending);
    cw_count(&c, "problem_proposals", "accepted", NULL, r->props.accepted);
    cw_count(&c, "problem_proposals", "dismissed", NULL, r->props.dismissed);
    cw_count(&c, "problem_proposals", "incidents", NULL, r->props.incidents);
    if (r->group_by) {
        cw_line(&c, "group_by", r->group_by, NULL, NULL);
        for (size_t i = 0; i < r->ngroups; i++) {
            const itsm_report_group *g = &r->groups[i];
            cw_count(&c, "group", g->value, "count", g->count);
            cw_count(&c, "group", g->value, "resolved", g->resolved);
            cw_count(&c, "group", g->value, "met", g->met);
            cw_count(&c, "group", g->value, "breached", g->breached);
        }
    }
    *len = c.len;
    if (cap)
        buf[c.len < cap ? c.len : cap - 1] = '\0';
    return c.len < cap ? ITSM_OK : ITSM_ELIMIT;
}
