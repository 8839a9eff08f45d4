/* SPDX-License-Identifier: Apache-2.0 */
/* A canonical text of an engine's observable state (state.h). */
#include "state.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void state_put(state_buf *b, const char *fmt, ...)
{
    if (b->oom)
        return;
    for (;;) {
        va_list ap;
        va_start(ap, fmt);
        int k = vsnprintf(b->s ? b->s + b->n : NULL, b->s ? b->cap - b->n : 0, fmt, ap);
        va_end(ap);
        if (k < 0) {
            b->oom = 1;
            return;
        }
        if (b->s && (size_t)k < b->cap - b->n) {
            b->n += (size_t)k;
            return;
        }
        size_t cap = (b->cap + (size_t)k + 1) * 2;
        char *s = realloc(b->s, cap);
        if (!s) {
            free(b->s);
            b->s = NULL;
            b->oom = 1;
            return;
        }
        if (!b->s)
            s[0] = '\0';
        b->s = s;
        b->cap = cap;
    }
}

static const char *or_dash(const char *s) { return s ? s : "-"; }

/* Strings are printed with their length, so no content can fake a field
 * boundary. */
static void put_str(state_buf *b, const char *key, const char *s)
{
    if (s)
        state_put(b, " %s=%zu:%s", key, strlen(s), s);
    else
        state_put(b, " %s=-", key);
}

static void put_json(state_buf *b, int (*fn)(const itsm_packet *, char *, size_t, size_t *), const itsm_packet *p)
{
    size_t len = 0;
    if (fn(p, NULL, 0, &len) != ITSM_ELIMIT && len != 0) {
        state_put(b, " json=?");
        b->errors++;
        return;
    }
    char *buf = malloc(len + 1);
    if (!buf) {
        b->oom = 1;
        return;
    }
    if (fn(p, buf, len + 1, &len) == ITSM_OK)
        state_put(b, " json=%s", buf);
    else {
        state_put(b, " json=?");
        b->errors++;
    }
    free(buf);
}

void state_packet(state_buf *b, const itsm_packet *p)
{
    state_put(b, "packet kind=%s state=%d seq=%u proposed=%lld decided=%lld",
              or_dash(itsm_packet_kind_name(itsm_packet_kind_of(p))), (int)itsm_packet_state_of(p),
              (unsigned)itsm_packet_seq(p), (long long)itsm_packet_proposed_at(p),
              (long long)itsm_packet_decided_at(p));
    put_str(b, "by", itsm_packet_decided_by(p));
    put_str(b, "reason", itsm_packet_reason(p));
    put_json(b, itsm_packet_to_json, p);
    state_put(b, "\n");
}

static void state_record(state_buf *b, itsm_engine *eng, itsm_record *r, itsm_time now)
{
    state_put(b, "%s %s %s rev=%llu open=%d pv=%s\n", itsm_record_id(r), itsm_kind_name(itsm_record_kind(r)),
              itsm_record_state(r), (unsigned long long)itsm_record_revision(r), itsm_record_is_open(r),
              itsm_record_policy_version(r));
    for (int f = 0; f < ITSM_F__COUNT; f++) {
        if (!itsm_record_has(r, (itsm_field)f))
            continue;
        const char *s = itsm_record_str(r, (itsm_field)f);
        state_put(b, " ");
        if (s)
            put_str(b, itsm_field_name((itsm_field)f), s);
        else
            state_put(b, "%s=%lld", itsm_field_name((itsm_field)f), (long long)itsm_record_int(r, (itsm_field)f));
        state_put(b, "\n");
    }
    const itsm_policy *pol = itsm_engine_policy(eng);
    for (size_t c = 0; c < itsm_policy_field_count(pol); c++) {
        itsm_field f = (itsm_field)((int)ITSM_F_CUSTOM_FIRST + (int)c);
        if (!itsm_record_has(r, f))
            continue;
        const char *s = itsm_record_str(r, f);
        state_put(b, " ");
        if (s)
            put_str(b, itsm_policy_field_name(pol, f), s);
        else
            state_put(b, "%s=%lld", itsm_policy_field_name(pol, f), (long long)itsm_record_int(r, f));
        state_put(b, "\n");
    }
    for (size_t t = 0; t < itsm_record_timeline_count(r); t++) {
        itsm_timeline_entry e = { .size = sizeof e };
        if (itsm_record_timeline_at(r, t, &e) != ITSM_OK) {
            state_put(b, " note %zu ?\n", t);
            b->errors++;
            continue;
        }
        state_put(b, " note kind=%d at=%lld eta=%lld next=%lld", (int)e.kind, (long long)e.at,
                  (long long)e.expected_restoration, (long long)e.next_update);
        put_str(b, "by", e.author);
        put_str(b, "text", e.text);
        state_put(b, "\n");
    }
    for (size_t l = 0; l < itsm_record_link_count(r); l++) {
        itsm_link k = { .size = sizeof k };
        if (itsm_record_link_at(r, l, &k) == ITSM_OK)
            state_put(b, " link %d -> %s (%s)\n", (int)k.kind, k.target_id, itsm_kind_name(k.target_kind));
        else
            b->errors++;
    }
    /* The chain head (itsm/integrity.h): unknown only for a record changed
     * in an engine without a store. */
    char head[65];
    put_str(b, " chain", itsm_record_chain_head(r, head) == ITSM_OK ? head : NULL);
    put_str(b, " sla", itsm_record_sla(r));
    state_put(b, "\n");
    for (int t = ITSM_TIMER_RESPONSE; t <= ITSM_TIMER_NEXT_UPDATE; t++) {
        itsm_timer_info ti = { .size = sizeof ti };
        if (itsm_record_timer(&ti, r, (itsm_timer)t, now) != ITSM_OK) {
            state_put(b, " timer %d ?\n", t);
            b->errors++;
            continue;
        }
        if (ti.status == ITSM_TIMER_NONE && !ti.breached && !ti.warnings)
            continue;
        state_put(b, " timer %d status=%d breached=%d target=%u elapsed=%lld paused=%lld due=%lld remaining=%lld "
                     "warnings=%u cal=%s\n",
                  t, (int)ti.status, ti.breached, (unsigned)ti.target, (long long)ti.elapsed, (long long)ti.paused,
                  (long long)ti.due, (long long)ti.remaining, ti.warnings, or_dash(ti.calendar));
    }
    for (size_t g = 0; g < itsm_policy_agreement_count(pol); g++) {
        itsm_agreement_info ai = { .size = sizeof ai };
        if (itsm_record_agreement(&ai, r, itsm_policy_agreement_name(pol, g), now) != ITSM_OK) {
            b->errors++;
            continue;
        }
        if (ai.status != ITSM_AGREEMENT_NONE)
            state_put(b, " agreement %s status=%d verdict=%d target=%u elapsed=%lld paused=%lld due=%lld "
                         "warnings=%u breaches=%u started=%lld stopped=%lld\n",
                      ai.name, (int)ai.status, (int)ai.verdict, (unsigned)ai.target, (long long)ai.elapsed,
                      (long long)ai.paused, (long long)ai.due, ai.warnings, ai.breaches, (long long)ai.started_at,
                      (long long)ai.stopped_at);
    }
    for (size_t k = 0; k < itsm_record_agreement_steps(r); k++) {
        itsm_agreement_entry e = { .size = sizeof e };
        if (itsm_record_agreement_step(&e, r, k) != ITSM_OK) {
            b->errors++;
            continue;
        }
        state_put(b, " agreement_step %lld %s %d %u %d\n", (long long)e.at, e.agreement, (int)e.step, e.level,
                  (int)e.verdict);
    }
    itsm_major_state ms = itsm_record_major_state(r);
    if (ms != ITSM_MAJOR_NONE) {
        state_put(b, " major state=%d phase=%d", (int)ms, (int)itsm_record_major_phase(r));
        /* Deadlines exist from acceptance on (a host may set the major
         * field by hand: accepted, but no phase and no deadlines). */
        if (itsm_record_major_phase(r) != ITSM_PHASE_NONE) {
            for (int w = 0; w < 2; w++) {
                itsm_time due = ITSM_TIME_NONE;
                int done = 0, missed = 0;
                if (itsm_record_major_deadline(&due, &done, &missed, r, w) == ITSM_OK)
                    state_put(b, " deadline%d=%lld/%d/%d", w, (long long)due, done, missed);
            }
        }
        state_put(b, "\n");
    }
    state_put(b, " audience=%d fcr=%d candidate=%d survey=%d auto_close=%lld", (int)itsm_record_audience(r),
              itsm_record_first_contact_resolution(r), itsm_record_knowledge_candidate(r),
              itsm_record_survey_sampled(r), (long long)itsm_record_auto_close_due(r));
    put_str(b, "escalation", itsm_record_escalation_audience(r));
    state_put(b, "\n");
    /* On-call (itsm/oncall.h). */
    itsm_oncall_info oc = { .size = sizeof oc };
    if (itsm_record_oncall(&oc, r) == ITSM_OK) {
        state_put(b, " oncall=%d step=%u round=%u pages=%u due=%lld acked_at=%lld", (int)oc.status, oc.step,
                  oc.round, oc.pages, (long long)oc.due, (long long)oc.acked_at);
        put_str(b, "policy", oc.policy);
        put_str(b, "acked_by", oc.acked_by);
    }
    state_put(b, " alerts=%u\n", itsm_record_alert_count(r));
    /* Approvals and risk (itsm/approval.h, itsm/change.h). */
    itsm_approval_info ai = { .size = sizeof ai };
    if (itsm_record_approval(&ai, r) == ITSM_OK)
        state_put(b, " approval=%d current=%zu requested=%lld decided=%lld", (int)ai.status, ai.current,
                  (long long)ai.requested_at, (long long)ai.decided_at);
    put_str(b, "rule", ai.rule);
    for (size_t k = 0; k < itsm_record_approval_count(r); k++) {
        itsm_approval_decision d = { .size = sizeof d };
        if (itsm_record_approval_at(&d, r, k) != ITSM_OK)
            continue;
        state_put(b, " decision=%d at=%lld", (int)d.verdict, (long long)d.at);
        put_str(b, "level", d.level);
        put_str(b, "by", d.by);
        put_str(b, "to", d.to);
        put_str(b, "comment", d.comment);
    }
    itsm_risk_info ri = { .size = sizeof ri };
    if (itsm_record_risk(&ri, r) == ITSM_OK)
        state_put(b, " risk_score=%lld answered=%zu", (long long)ri.score, ri.answered);
    put_str(b, "risk", ri.level);
    for (size_t k = 0; k < itsm_record_risk_answer_count(r); k++) {
        itsm_risk_answer a = { .size = sizeof a };
        if (itsm_record_risk_answer_at(&a, r, k) != ITSM_OK)
            continue;
        state_put(b, " answer at=%lld score=%d", (long long)a.at, a.score);
        put_str(b, "q", a.question);
        put_str(b, "a", a.answer);
    }
    /* Request fulfilment (itsm/request.h). */
    put_str(b, "item", itsm_request_item(r));
    for (size_t k = 0; k < itsm_request_task_count(r); k++) {
        itsm_task_info ti = { .size = sizeof ti };
        if (itsm_request_task_at(&ti, r, k) != ITSM_OK)
            continue;
        state_put(b, " task state=%d step=%d opened=%lld due=%lld closed=%lld", (int)ti.state, ti.step,
                  (long long)ti.opened_at, (long long)ti.due, (long long)ti.closed_at);
        put_str(b, "name", ti.name);
        put_str(b, "assignee", ti.assignee);
    }
    /* The change plan (itsm/change.h), the survey answer
     * (itsm/satisfaction.h), the problem proposal (itsm/problem.h). */
    itsm_time ps, pe;
    if (itsm_change_planned(&ps, &pe, r) == ITSM_OK)
        state_put(b, " planned=%lld..%lld findings=%zu", (long long)ps, (long long)pe, itsm_change_findings(r));
    itsm_survey_answer sa = { .size = sizeof sa };
    if (itsm_record_survey(&sa, r) == ITSM_OK) {
        state_put(b, " survey=%d at=%lld", sa.score, (long long)sa.at);
        put_str(b, "comment", sa.comment);
        put_str(b, "by", sa.by);
    }
    size_t px;
    if (itsm_record_problem_proposal(&px, r) == ITSM_OK)
        state_put(b, " proposal=%zu", px);
    /* The post-incident review (itsm/review.h). */
    itsm_review_info rv = { .size = sizeof rv };
    if (itsm_record_review(&rv, r) == ITSM_OK) {
        state_put(b, " review opened=%lld complete=%d at=%lld causes=%zu open=%zu unowned=%zu overdue=%zu",
                  (long long)rv.opened_at, rv.complete, (long long)rv.completed_at, rv.causes, rv.open_actions,
                  rv.unowned_actions, rv.overdue_actions);
        for (size_t k = 0; k < rv.causes; k++) {
            itsm_review_cause c = { .size = sizeof c };
            if (itsm_review_cause_at(&c, r, k) == ITSM_OK)
                put_str(b, "cause", c.text);
        }
        for (size_t k = 0; k < rv.actions; k++) {
            itsm_review_action a = { .size = sizeof a };
            if (itsm_review_action_at(&a, r, k) != ITSM_OK)
                continue;
            state_put(b, " action due=%lld done=%d at=%lld overdue=%d", (long long)a.due, a.done,
                      (long long)a.done_at, a.overdue);
            put_str(b, "id", a.id);
            put_str(b, "owner", a.owner);
            put_str(b, "note", a.note);
        }
    }
    const char *svc = itsm_record_str(r, ITSM_F_SERVICE);
    if (svc) {
        itsm_record *o = itsm_engine_outage(eng, svc);
        put_str(b, "outage", o ? itsm_record_id(o) : NULL);
    }
    state_put(b, "\n");
}

void state_engine(state_buf *b, itsm_engine *eng, itsm_time now)
{
    size_t n = itsm_engine_record_count(eng);
    state_put(b, "records %zu\n", n);
    for (size_t i = 0; i < n; i++) {
        itsm_record *r = NULL;
        if (itsm_engine_record_at(&r, eng, i) == ITSM_OK)
            state_record(b, eng, r, now);
    }
    size_t nh = itsm_engine_handover_count(eng);
    state_put(b, "handovers %zu\n", nh);
    for (size_t i = 0; i < nh; i++) {
        itsm_packet *p = NULL;
        if (itsm_engine_handover_at(&p, eng, i) == ITSM_OK)
            state_packet(b, p);
    }
    size_t nq = itsm_quality_log_count(eng);
    state_put(b, "quality %zu\n", nq);
    for (size_t i = 0; i < nq; i++) {
        itsm_quality_entry q = { .size = sizeof q };
        if (itsm_quality_log_at(eng, i, &q) != ITSM_OK) {
            b->errors++;
            continue;
        }
        state_put(b, " %s seq=%u at=%lld score=%d", q.record_id, (unsigned)q.seq, (long long)q.at, q.score);
        put_str(b, "group", q.sender_group);
        put_str(b, "missing", q.missing);
        state_put(b, "\n");
    }
    size_t npp = itsm_engine_problem_proposal_count(eng);
    state_put(b, "proposals %zu\n", npp);
    for (size_t i = 0; i < npp; i++) {
        itsm_problem_proposal pp = { .size = sizeof pp };
        if (itsm_engine_problem_proposal_at(&pp, eng, i) != ITSM_OK) {
            b->errors++;
            continue;
        }
        state_put(b, " %s at=%lld status=%d window=%lld decided=%lld", pp.record, (long long)pp.at, (int)pp.status,
                  (long long)pp.window, (long long)pp.decided_at);
        put_str(b, "service", pp.service);
        put_str(b, "category", pp.category);
        put_str(b, "ci", pp.ci);
        put_str(b, "problem", pp.problem);
        put_str(b, "reason", pp.reason);
        for (size_t k = 0; k < pp.incidents; k++)
            put_str(b, "incident", itsm_engine_problem_proposal_incident(eng, i, k));
        state_put(b, "\n");
    }
    state_put(b, "next_deadline %lld\n", (long long)itsm_engine_next_deadline(eng));
}

char *state_text(itsm_engine *eng, itsm_time now)
{
    state_buf b = { NULL, 0, 0, 0, 0 };
    state_put(&b, "%s", "");
    state_engine(&b, eng, now);
    if (b.oom || b.errors) {
        free(b.s);
        return NULL;
    }
    return b.s;
}
