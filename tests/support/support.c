/* SPDX-License-Identifier: Apache-2.0 */
#include "support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

itsm_time vclock_read(void *user) { return ((vclock *)user)->now; }

/* ---- memstore ---- */

void event_drop_pv(char *json)
{
    char *pv = strstr(json, ",\"pv\":\"");
    if (pv)   /* ,"pv":"<16 hex>" */
        memmove(pv, pv + 24, strlen(pv + 24) + 1);
}

char *event_without_pv(const char *json)
{
    char *out = malloc(strlen(json) + 1);
    strcpy(out, json);
    char *pv = strstr(out, ",\"pv\":\"");
    if (pv)   /* ,"pv":"<16 hex>" */
        memmove(pv, pv + 24, strlen(pv + 24) + 1);
    return out;
}

void memstore_init(memstore *s)
{
    memset(s, 0, sizeof *s);
    s->fail_code = ITSM_ESTORE;
    s->check_revisions = 1;
}

void memstore_free(memstore *s)
{
    for (size_t i = 0; i < s->n; i++)
        free(s->events[i]);
    for (size_t i = 0; i < s->nids; i++)
        free(s->ids[i]);
    for (size_t i = 0; i < s->npolicies; i++)
        free(s->policies[i]);
    free(s->policies);
    free(s->policy_at);
    free(s->events);
    free(s->ids);
    free(s->revs);
    memset(s, 0, sizeof *s);
}

static size_t rev_slot(memstore *s, const char *id, int add)
{
    for (size_t i = 0; i < s->nids; i++)
        if (strcmp(s->ids[i], id) == 0)
            return i;
    if (!add)
        return SIZE_MAX;
    if (s->nids == s->cids) {
        s->cids = s->cids ? s->cids * 2 : 16;
        s->ids = realloc(s->ids, s->cids * sizeof *s->ids);
        s->revs = realloc(s->revs, s->cids * sizeof *s->revs);
    }
    s->ids[s->nids] = malloc(strlen(id) + 1);
    strcpy(s->ids[s->nids], id);
    s->revs[s->nids] = 0;
    return s->nids++;
}

static int mem_append(void *user, const itsm_event *const *evs, size_t n)
{
    memstore *s = user;
    s->appends++;
    if (s->fail_at && s->appends == s->fail_at)
        return s->fail_code;
    if (s->check_revisions) {
        /* All or nothing: check every event before keeping any. Events of one
         * batch for the same record carry consecutive revisions. */
        for (size_t i = 0; i < n; i++) {
            size_t slot = rev_slot(s, itsm_event_record_id(evs[i]), 0);
            uint64_t have = slot == SIZE_MAX ? 0 : s->revs[slot];
            for (size_t j = 0; j < i; j++)
                if (strcmp(itsm_event_record_id(evs[j]), itsm_event_record_id(evs[i])) == 0)
                    have = itsm_event_revision(evs[j]);
            if (itsm_event_revision(evs[i]) != have + 1)
                return ITSM_ECONFLICT;
        }
    }
    for (size_t i = 0; i < n; i++) {
        size_t len;
        itsm_event_to_json(evs[i], NULL, 0, &len);
        char *buf = malloc(len + 1);
        assert_int_equal(itsm_event_to_json(evs[i], buf, len + 1, &len), ITSM_OK);
        size_t slot = rev_slot(s, itsm_event_record_id(evs[i]), 1);
        s->revs[slot] = itsm_event_revision(evs[i]);
        if (!s->policies_inline && strcmp(itsm_event_type(evs[i]), "policy") == 0) {
            if (s->npolicies == s->cpolicies) {
                s->cpolicies = s->cpolicies ? s->cpolicies * 2 : 8;
                s->policies = realloc(s->policies, s->cpolicies * sizeof *s->policies);
                s->policy_at = realloc(s->policy_at, s->cpolicies * sizeof *s->policy_at);
            }
            s->policies[s->npolicies] = buf;
            s->policy_at[s->npolicies++] = s->n;
            continue;
        }
        if (s->n == s->cap) {
            s->cap = s->cap ? s->cap * 2 : 64;
            s->events = realloc(s->events, s->cap * sizeof *s->events);
        }
        s->events[s->n++] = buf;
    }
    return ITSM_OK;
}

static int mem_scan(void *user, itsm_store_emit_fn emit, void *ctx)
{
    memstore *s = user;
    size_t p = 0;
    for (size_t i = 0; i <= s->n; i++) {
        for (; p < s->npolicies && s->policy_at[p] == i; p++) {
            int rc = emit(ctx, s->policies[p], strlen(s->policies[p]));
            if (rc)
                return rc;
        }
        int rc = i < s->n ? emit(ctx, s->events[i], strlen(s->events[i])) : ITSM_OK;
        if (rc)
            return rc;
    }
    return ITSM_OK;
}

/* One record's events, in order: the events are kept as their JSON, so
 * the record is read from the envelope ("record":"<id>"). */
static int mem_read_record(void *user, const char *id, itsm_store_emit_fn emit, void *ctx)
{
    memstore *s = user;
    s->reads++;
    if (s->fail_read)
        return s->fail_read;
    char key[128];
    snprintf(key, sizeof key, "\"record\":\"%s\",", id);
    for (size_t i = 0; i < s->n; i++) {
        if (!strstr(s->events[i], key))
            continue;
        int rc = emit(ctx, s->events[i], strlen(s->events[i]));
        if (rc)
            return rc;
    }
    return ITSM_OK;
}

const itsm_store memstore_methods = { ITSM_STORE_VERSION, mem_append, mem_scan, NULL, mem_read_record, NULL };

/* ---- fixture ---- */

void fixture_open(fixture *f)
{
    f->clock.now = T0;
    memstore_init(&f->store);
    f->eng = engine_over(&f->store, &f->clock, NULL);
}

void fixture_open_with(fixture *f, const itsm_policy *policy, failalloc *fa)
{
    memset(f, 0, sizeof *f);
    f->clock.now = T0;
    memstore_init(&f->store);
    f->eng = engine_over_failing(&f->store, &f->clock, policy, fa);
}

void fixture_open_sink(fixture *f, const itsm_policy *policy, itsm_event_sink_fn sink, void *sink_user)
{
    memset(f, 0, sizeof *f);
    f->clock.now = T0;
    memstore_init(&f->store);
    f->eng = engine_over_sink(&f->store, &f->clock, policy, sink, sink_user);
}

/* Every engine the helpers open: over s and c, the rest optional. */
static itsm_engine *engine_new_over(memstore *s, vclock *c, const itsm_policy *policy, failalloc *fa,
                                    itsm_event_sink_fn sink, void *sink_user)
{
    itsm_engine_opts o = ITSM_ENGINE_OPTS_INIT;
    o.policy = policy;
    if (fa)
        o.alloc = failalloc_make(fa);
    o.store = &memstore_methods;
    o.store_user = s;
    o.clock = vclock_read;
    o.clock_user = c;
    o.sink = sink;
    o.sink_user = sink_user;
    itsm_engine *eng = NULL;
    assert_int_equal(itsm_engine_new(&eng, &o), ITSM_OK);
    return eng;
}

itsm_engine *engine_over(memstore *s, vclock *c, const itsm_policy *policy)
{
    return engine_new_over(s, c, policy, NULL, NULL, NULL);
}

itsm_engine *engine_over_failing(memstore *s, vclock *c, const itsm_policy *policy, failalloc *fa)
{
    return engine_new_over(s, c, policy, fa, NULL, NULL);
}

itsm_engine *engine_over_sink(memstore *s, vclock *c, const itsm_policy *policy, itsm_event_sink_fn sink,
                              void *sink_user)
{
    return engine_new_over(s, c, policy, NULL, sink, sink_user);
}

itsm_policy *small_incident_policy(const char *stamp, const char *ac_to)
{
    itsm_policy *pol;
    assert_ok(itsm_policy_new_default(&pol, NULL));
    assert_ok(itsm_policy_lifecycle_clear(pol, ITSM_KIND_INCIDENT));
    assert_ok(itsm_policy_add_state(pol, ITSM_KIND_INCIDENT, "new", ITSM_STATE_INITIAL));
    assert_ok(itsm_policy_add_state(pol, ITSM_KIND_INCIDENT, "resolved", 0));
    assert_ok(itsm_policy_add_state(pol, ITSM_KIND_INCIDENT, "closed", ITSM_STATE_CLOSED));
    assert_ok(itsm_policy_add_event(pol, ITSM_KIND_INCIDENT, "resolve"));
    assert_ok(itsm_policy_add_event(pol, ITSM_KIND_INCIDENT, "close"));
    assert_ok(itsm_policy_add_event(pol, ITSM_KIND_INCIDENT, "auto_close"));
    itsm_transition_def t = ITSM_TRANSITION_DEF_INIT;
    t.from = "new"; t.event = "resolve"; t.to = "resolved"; t.stamp = stamp;
    assert_ok(itsm_policy_add_transition(pol, ITSM_KIND_INCIDENT, &t));
    itsm_transition_def c = ITSM_TRANSITION_DEF_INIT;
    c.from = "resolved"; c.event = "close"; c.to = "closed";
    assert_ok(itsm_policy_add_transition(pol, ITSM_KIND_INCIDENT, &c));
    itsm_transition_def a = ITSM_TRANSITION_DEF_INIT;
    a.from = "resolved"; a.event = "auto_close"; a.to = ac_to;
    assert_ok(itsm_policy_add_transition(pol, ITSM_KIND_INCIDENT, &a));
    return pol;
}

const char *unchained(const char *ev)
{
    static char buf[4096];
    snprintf(buf, sizeof buf, "%s", ev);
    event_drop_pv(buf);
    char *h = strstr(buf, ",\"hash\":\"");
    if (h) {
        h[0] = '}';
        h[1] = '\0';
    }
    return buf;
}

void fixture_close(fixture *f)
{
    itsm_engine_free(f->eng);
    memstore_free(&f->store);
}

/* ---- dump ---- */

typedef struct sbuf { char *s; size_t n, cap; } sbuf;

static void put(sbuf *b, const char *fmt, ...)
{
    va_list ap;
    for (;;) {
        va_start(ap, fmt);
        int k = vsnprintf(b->s ? b->s + b->n : NULL, b->s ? b->cap - b->n : 0, fmt, ap);
        va_end(ap);
        if (b->s && (size_t)k < b->cap - b->n) {
            b->n += (size_t)k;
            return;
        }
        b->cap = (b->cap + (size_t)k + 1) * 2;
        b->s = realloc(b->s, b->cap);
    }
}

char *engine_dump(const itsm_engine *eng)
{
    sbuf b = { NULL, 0, 0 };
    put(&b, "");
    for (size_t i = 0; i < itsm_engine_record_count(eng); i++) {
        itsm_record *r;
        itsm_engine_record_at(&r, eng, i);
        put(&b, "%s %s %s rev=%llu\n", itsm_record_id(r), itsm_kind_name(itsm_record_kind(r)),
            itsm_record_state(r), (unsigned long long)itsm_record_revision(r));
        for (int f = 0; f < ITSM_F__COUNT; f++) {
            if (!itsm_record_has(r, (itsm_field)f))
                continue;
            const char *s = itsm_record_str(r, (itsm_field)f);
            if (s)
                put(&b, "  %s=\"%s\"\n", itsm_field_name((itsm_field)f), s);
            else
                put(&b, "  %s=%lld\n", itsm_field_name((itsm_field)f),
                    (long long)itsm_record_int(r, (itsm_field)f));
        }
        const itsm_policy *pol = itsm_engine_policy(eng);
        for (size_t c = 0; c < itsm_policy_field_count(pol); c++) {
            itsm_field f = (itsm_field)((int)ITSM_F_CUSTOM_FIRST + (int)c);
            if (!itsm_record_has(r, f))
                continue;
            const char *s = itsm_record_str(r, f);
            if (s)
                put(&b, "  %s=\"%s\"\n", itsm_policy_field_name(pol, f), s);
            else
                put(&b, "  %s=%lld\n", itsm_policy_field_name(pol, f), (long long)itsm_record_int(r, f));
        }
        for (size_t t = 0; t < itsm_record_timeline_count(r); t++) {
            itsm_timeline_entry e = { .size = sizeof e };
            itsm_record_timeline_at(r, t, &e);
            put(&b, "  note %d at=%lld by=%s eta=%lld next=%lld: %s\n", (int)e.kind, (long long)e.at,
                e.author ? e.author : "-", (long long)e.expected_restoration, (long long)e.next_update,
                e.text);
        }
        for (size_t l = 0; l < itsm_record_link_count(r); l++) {
            itsm_link k = { .size = sizeof k };
            itsm_record_link_at(r, l, &k);
            put(&b, "  link %d -> %s (%s)\n", (int)k.kind, k.target_id, itsm_kind_name(k.target_kind));
        }
        /* What the change capabilities keep beside the fields. */
        itsm_approval_info ai = { .size = sizeof ai };
        if (itsm_record_approval(&ai, r) == ITSM_OK && (ai.status != ITSM_APPROVAL_NONE || itsm_record_approval_count(r)))
            put(&b, "  approval %s rule=%s current=%zu requested=%lld decided=%lld\n",
                itsm_approval_status_name(ai.status), ai.rule ? ai.rule : "-", ai.current,
                (long long)ai.requested_at, (long long)ai.decided_at);
        for (size_t k = 0; k < itsm_record_approval_count(r); k++) {
            itsm_approval_decision d = { .size = sizeof d };
            itsm_record_approval_at(&d, r, k);
            put(&b, "  decision %s rule=%s level=%s by=%s to=%s at=%lld: %s\n", itsm_approval_verdict_name(d.verdict),
                d.rule, d.level, d.by, d.to ? d.to : "-", (long long)d.at, d.comment ? d.comment : "-");
        }
        itsm_risk_info ri = { .size = sizeof ri };
        if (itsm_record_risk(&ri, r) == ITSM_OK && ri.answered)
            put(&b, "  risk %s score=%lld answered=%zu/%zu\n", ri.level ? ri.level : "-", (long long)ri.score,
                ri.answered, ri.questions);
        for (size_t k = 0; k < itsm_record_risk_answer_count(r); k++) {
            itsm_risk_answer a = { .size = sizeof a };
            itsm_record_risk_answer_at(&a, r, k);
            put(&b, "  answer %s=%s score=%d by=%s at=%lld\n", a.question, a.answer, a.score, a.by ? a.by : "-",
                (long long)a.at);
        }
        /* What the request and review capabilities keep. */
        itsm_survey_answer sa = { .size = sizeof sa };
        if (itsm_record_survey(&sa, r) == ITSM_OK)
            put(&b, "  survey score=%d by=%s at=%lld: %s\n", sa.score, sa.by ? sa.by : "-", (long long)sa.at,
                sa.comment ? sa.comment : "-");
        itsm_review_info rv = { .size = sizeof rv };
        if (itsm_record_review(&rv, r) == ITSM_OK) {
            put(&b, "  review opened=%lld by=%s complete=%d at=%lld by=%s open=%zu unowned=%zu overdue=%zu\n",
                (long long)rv.opened_at, rv.opened_by ? rv.opened_by : "-", rv.complete, (long long)rv.completed_at,
                rv.completed_by ? rv.completed_by : "-", rv.open_actions, rv.unowned_actions, rv.overdue_actions);
            for (size_t k = 0; k < rv.causes; k++) {
                itsm_review_cause c = { .size = sizeof c };
                itsm_review_cause_at(&c, r, k);
                put(&b, "  cause by=%s at=%lld: %s\n", c.by ? c.by : "-", (long long)c.at, c.text);
            }
            for (size_t k = 0; k < rv.actions; k++) {
                itsm_review_action a = { .size = sizeof a };
                itsm_review_action_at(&a, r, k);
                put(&b, "  action %s owner=%s due=%lld added=%lld by=%s done=%d at=%lld by=%s overdue=%d: %s / %s\n",
                    a.id, a.owner ? a.owner : "-", (long long)a.due, (long long)a.added_at,
                    a.added_by ? a.added_by : "-", a.done, (long long)a.done_at, a.done_by ? a.done_by : "-",
                    a.overdue, a.text, a.note ? a.note : "-");
            }
        }
    }
    /* The problems the recurrence rule proposed, and the decisions. */
    for (size_t i = 0; i < itsm_engine_problem_proposal_count(eng); i++) {
        itsm_problem_proposal p = { .size = sizeof p };
        itsm_engine_problem_proposal_at(&p, eng, i);
        put(&b, "proposal %s at=%lld %s %s/%s/%s w=%lld n=%zu problem=%s reason=%s decided=%lld:", p.record,
            (long long)p.at, itsm_proposal_status_name(p.status), p.service, p.category, p.ci ? p.ci : "-",
            (long long)p.window, p.incidents, p.problem ? p.problem : "-", p.reason ? p.reason : "-",
            (long long)p.decided_at);
        for (size_t k = 0; k < p.incidents; k++)
            put(&b, " %s", itsm_engine_problem_proposal_incident(eng, i, k));
        put(&b, "\n");
    }
    return b.s;
}

char *agreement_dump(itsm_engine *eng, itsm_time now)
{
    sbuf b = { NULL, 0, 0 };
    put(&b, "");
    const itsm_policy *p = itsm_engine_policy(eng);
    for (size_t i = 0; i < itsm_engine_record_count(eng); i++) {
        itsm_record *r;
        assert_int_equal(itsm_engine_record_at(&r, eng, i), ITSM_OK);
        for (size_t k = 0; k < itsm_record_agreement_steps(r); k++) {
            itsm_agreement_entry e = { .size = sizeof e };
            assert_int_equal(itsm_record_agreement_step(&e, r, k), ITSM_OK);
            put(&b, "%s %lld %s %s %u %d\n", itsm_record_id(r), (long long)e.at, e.agreement,
                itsm_agreement_step_name(e.step), e.level, (int)e.verdict);
        }
        for (size_t g = 0; g < itsm_policy_agreement_count(p); g++) {
            itsm_agreement_info a = { .size = sizeof a };
            assert_int_equal(itsm_record_agreement(&a, r, itsm_policy_agreement_name(p, g), now), ITSM_OK);
            put(&b, "%s %s st=%d v=%d tg=%u el=%lld pa=%lld due=%lld w=%u b=%u\n", itsm_record_id(r), a.name,
                (int)a.status, (int)a.verdict, a.target, (long long)a.elapsed, (long long)a.paused,
                (long long)a.due, a.warnings, a.breaches);
        }
    }
    return b.s;
}

/* Replay the events of `s`; `any_version`: each as a store from before
 * policy versions holds it (no "pv": under the engine's own policy,
 * whatever policy wrote it; for engines without a hash chain), else with
 * the store's policy documents first. */
static void replay_events(itsm_engine *eng, const memstore *s, int any_version)
{
    for (size_t i = 0; i < s->npolicies && !any_version; i++)
        assert_int_equal(itsm_engine_replay_json(eng, s->policies[i], strlen(s->policies[i]), NULL), ITSM_OK);
    for (size_t i = 0; i < s->n; i++) {
        itsm_parse_error err;
        char *ev = event_without_pv(s->events[i]);
        if (!any_version)
            strcpy(ev, s->events[i]);   /* as stored */
        int rc = itsm_engine_replay_json(eng, ev, strlen(ev), &err);
        free(ev);
        if (rc != ITSM_OK)
            fail_msg("replay of event %zu failed: %s (%s)\n%s", i, itsm_errname(rc), itsm_errmsg(eng),
                     s->events[i]);
    }
}

void replay_store_into(itsm_engine *eng, const memstore *s)
{
    replay_events(eng, s, 0);
}

char *replay_dump(const memstore *s)
{
    itsm_engine *eng;
    assert_int_equal(itsm_engine_new(&eng, NULL), ITSM_OK);
    /* The default policy judges every event: the store may have been
     * written under another (what it derived is in the events);
     * test_versions.c replays versions. */
    replay_events(eng, s, 1);
    char *d = engine_dump(eng);
    itsm_engine_free(eng);
    return d;
}

void assert_replays_the_same(const itsm_engine *eng, const memstore *s)
{
    char *live = engine_dump(eng), *replayed = replay_dump(s);
    assert_string_equal(live, replayed);
    free(live);
    free(replayed);
}

/* ---- the events a sink saw, and the stored events ---- */

void evcapture_sink(void *user, const itsm_event *const *evs, size_t n)
{
    evcapture *c = user;
    for (size_t i = 0; i < n; i++) {
        size_t len = 0;
        assert_int_equal(itsm_event_to_json(evs[i], NULL, 0, &len), ITSM_ELIMIT);
        char *json = malloc(len + 1);
        assert_non_null(json);
        assert_ok(itsm_event_to_json(evs[i], json, len + 1, &len));
        if (c->n == c->cap) {
            c->cap = c->cap ? 2 * c->cap : 16;
            c->json = realloc(c->json, c->cap * sizeof *c->json);
            assert_non_null(c->json);
        }
        c->json[c->n++] = json;
    }
}

void evcapture_free(evcapture *c)
{
    for (size_t i = 0; i < c->n; i++)
        free(c->json[i]);
    free(c->json);
    *c = (evcapture){ 0 };
}

void assert_sink_saw_the_store(const evcapture *c, const memstore *s)
{
    assert_int_equal(c->n, s->n);
    for (size_t i = 0; i < c->n; i++)
        assert_string_equal(c->json[i], s->events[i]);
}

const char *memstore_find(const memstore *s, const char *needle)
{
    for (size_t i = 0; i < s->n; i++)
        if (strstr(s->events[i], needle))
            return s->events[i];
    fail_msg("no stored event contains %s", needle);
    return NULL;
}

int event_is_policy(const char *json)
{
    static const char head[] = "{\"v\":1,\"type\":\"policy\",\"record\":\"~policy.";
    return strncmp(json, head, sizeof head - 1) == 0;
}

size_t count_record_events(char *const *json, size_t n)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        k += !event_is_policy(json[i]);
    return k;
}

void memstore_unchain(memstore *s)
{
    static const char link[] = ",\"hash\":\"";
    for (size_t i = 0; i < s->n; i++) {
        event_drop_pv(s->events[i]);   /* the policy version too: test_versions.c */
        char *h = strstr(s->events[i], link);
        assert_non_null(h);
        assert_int_equal(strlen(h), sizeof link - 1 + 64 + 2);   /* 64 hex digits, '"' and '}' */
        h[0] = '}';
        h[1] = '\0';
    }
}

void assert_same_new_events(const memstore *a, size_t a0, const memstore *b, size_t b0)
{
    assert_int_equal(a->n - a0, b->n - b0);
    for (size_t i = 0; i < a->n - a0; i++)
        assert_string_equal(a->events[a0 + i], b->events[b0 + i]);
}
