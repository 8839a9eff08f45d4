/* SPDX-License-Identifier: Apache-2.0 */
/* Helpers shared by the service-level tests: open an incident,
 * fire steps at a virtual time, dump every timer through the public
 * getters, and replay a store into a fresh engine with the same policy. */
#ifndef ITSM_TEST_SLA_SUPPORT_H
#define ITSM_TEST_SLA_SUPPORT_H

#include "support.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MIN 60
#define HOUR 3600
#define DAY 86400

static inline itsm_record *open_inc(fixture *f, int impact, int urgency, const char *service)
{
    itsm_record *r = NULL;
    itsm_change init[4] = { { ITSM_F_SUMMARY, "Mail down", 0 }, { ITSM_F_IMPACT, NULL, impact },
                            { ITSM_F_URGENCY, NULL, urgency }, { ITSM_F_SERVICE, service, 0 } };
    itsm_record_opts o = ITSM_RECORD_OPTS_INIT;
    o.fields = init;
    o.nfields = service ? 4 : 3;
    assert_ok(itsm_record_open(&r, f->eng, &o));
    return r;
}

static inline void start_work(itsm_record *r)
{
    itsm_change c[2] = { { ITSM_F_ASSIGNMENT_GROUP, "Desk", 0 }, { ITSM_F_ASSIGNEE, "ann", 0 } };
    assert_ok(itsm_record_fire(r, "start", c, 2));
}

static inline void hold(itsm_record *r, const char *reason)
{
    itsm_change c = { ITSM_F_HOLD_REASON, reason, 0 };
    assert_ok(itsm_record_fire(r, "hold", &c, 1));
}

static inline void resolve(itsm_record *r)
{
    itsm_change c[2] = { { ITSM_F_RESOLUTION_CODE, "fixed", 0 }, { ITSM_F_RESOLUTION_NOTES, "restarted", 0 } };
    assert_ok(itsm_record_fire(r, "resolve", c, 2));
}

/* Tick the engine at `now` (the clock moved there first); how many timers
 * fired. */
static inline size_t sla_tick(fixture *f, itsm_time now)
{
    size_t n = 0;
    f->clock.now = now;
    assert_ok(itsm_engine_tick(f->eng, now, &n));
    return n;
}

/* A customer update saying `text`, with the expected restoration `eta`
 * and the next update promised at `next` (0: none); what add_note gave. */
static inline int sla_customer_update(itsm_record *r, const char *text, itsm_time eta, itsm_time next)
{
    itsm_note_opts n = ITSM_NOTE_OPTS_INIT;
    n.kind = ITSM_NOTE_CUSTOMER;
    n.text = text;
    n.expected_restoration = eta;
    n.next_update = next;
    return itsm_record_add_note(r, &n);
}

static inline itsm_timer_info timer(const itsm_record *r, itsm_timer t, itsm_time now)
{
    itsm_timer_info ti = { .size = sizeof ti };
    assert_ok(itsm_record_timer(&ti, r, t, now));
    return ti;
}

static inline size_t count_events(const memstore *s, const char *type)
{
    char needle[64];
    snprintf(needle, sizeof needle, "\"type\":\"%s\"", type);
    size_t n = 0;
    for (size_t i = 0; i < s->n; i++)
        if (strstr(s->events[i], needle))
            n++;
    return n;
}

/* The stored events of `type` that also contain `part`, counted. */
static inline size_t count_with(const memstore *s, const char *type, const char *part)
{
    char needle[64];
    snprintf(needle, sizeof needle, "\"type\":\"%s\"", type);
    size_t n = 0;
    for (size_t i = 0; i < s->n; i++)
        if (strstr(s->events[i], needle) && strstr(s->events[i], part))
            n++;
    return n;
}

/* The last stored event of `type`; fails the test if there is none. */
static inline const char *last_of(const memstore *s, const char *type)
{
    char needle[64];
    snprintf(needle, sizeof needle, "\"type\":\"%s\"", type);
    for (size_t i = s->n; i-- > 0;)
        if (strstr(s->events[i], needle))
            return s->events[i];
    fail_msg("no %s event stored", type);
    return NULL;
}

/* Every timer of every record, through the public getters, as of `now`. */
static inline char *timer_dump(itsm_engine *eng, itsm_time now)
{
    size_t cap = 1 << 16, len = 0;
    char *b = malloc(cap);
    b[0] = 0;
    for (size_t i = 0; i < itsm_engine_record_count(eng); i++) {
        itsm_record *r;
        itsm_engine_record_at(&r, eng, i);
        for (int t = 0; t <= ITSM_TIMER_NEXT_UPDATE; t++) {
            itsm_timer_info ti = { .size = sizeof ti };
            itsm_record_timer(&ti, r, (itsm_timer)t, now);
            if (len + 512 > cap)
                b = realloc(b, cap *= 2);
            len += (size_t)snprintf(b + len, cap - len,
                                    "%s t%d st=%d br=%d tg=%u el=%lld pa=%lld due=%lld rem=%lld w=%u\n",
                                    itsm_record_id(r), t, ti.status, ti.breached, ti.target,
                                    (long long)ti.elapsed, (long long)ti.paused, (long long)ti.due,
                                    (long long)ti.remaining, ti.warnings);
        }
        if (len + 512 > cap)
            b = realloc(b, cap *= 2);
        len += (size_t)snprintf(b + len, cap - len, "%s major=%d phase=%d ac=%lld kc=%d\n", itsm_record_id(r),
                                (int)itsm_record_major_state(r), (int)itsm_record_major_phase(r),
                                (long long)itsm_record_auto_close_due(r), itsm_record_knowledge_candidate(r));
    }
    if (len + 64 > cap)
        b = realloc(b, cap *= 2);
    snprintf(b + len, cap - len, "next=%lld\n", (long long)itsm_engine_next_deadline(eng));
    return b;
}

/* Replay `s` into a fresh engine over `policy` (NULL: default). */
static inline itsm_engine *replay_into(const memstore *s, const itsm_policy *policy)
{
    itsm_engine *eng;
    itsm_engine_opts o = ITSM_ENGINE_OPTS_INIT;
    o.policy = policy;
    assert_int_equal(itsm_engine_new(&eng, &o), ITSM_OK);
    for (size_t i = 0; i < s->n; i++) {
        itsm_parse_error err;
        int rc = itsm_engine_replay_json(eng, s->events[i], strlen(s->events[i]), &err);
        if (rc != ITSM_OK)
            fail_msg("replay of event %zu failed: %s (%s)\n%s", i, itsm_errname(rc), itsm_errmsg(eng), s->events[i]);
    }
    return eng;
}

/* The records and every timer of `f` equal those of a replay of its store. */
static inline void assert_replay_same(fixture *f, const itsm_policy *policy, itsm_time now)
{
    itsm_engine *e2 = replay_into(&f->store, policy);
    char *a = engine_dump(f->eng), *b = engine_dump(e2);
    assert_string_equal(a, b);
    free(a);
    free(b);
    a = timer_dump(f->eng, now);
    b = timer_dump(e2, now);
    assert_string_equal(a, b);
    free(a);
    free(b);
    itsm_engine_free(e2);
}

/* The default policy with the P2 resolution target set to `p2` seconds
 * (the default: 8 h on 24x7): the candidate of the what-if and migration
 * tests. */
static inline itsm_policy *policy_with_p2_resolution(uint32_t p2)
{
    itsm_policy *p;
    assert_ok(itsm_policy_new_default(&p, NULL));
    itsm_sla_def s = ITSM_SLA_DEF_INIT;
    static const uint32_t resp[5] = { 900, 1800, 14400, 28800, 57600 };
    uint32_t res[5] = { 14400, p2, 86400, 144000, 288000 };
    s.name = "standard";
    for (int i = 0; i < 5; i++) {
        s.response[i] = resp[i];
        s.resolution[i] = res[i];
        s.calendar[i] = i < 2 ? "24x7" : "business";
    }
    assert_ok(itsm_policy_set_sla(p, &s));
    return p;
}

/* The default policy with an agreement `name` of one target, `target`
 * seconds at every priority, stopped by resolving: the what-if and
 * migration tests' policy with an agreement. */
static inline itsm_policy *policy_with_agreement(const char *name, uint32_t target)
{
    itsm_policy *p;
    assert_ok(itsm_policy_new_default(&p, NULL));
    itsm_agreement_target t = { 0, target, NULL };
    itsm_agreement_def def = ITSM_AGREEMENT_DEF_INIT;
    def.name = name;
    def.stop = "state == 'resolved'";
    def.targets = &t;
    def.ntargets = 1;
    assert_ok(itsm_policy_set_agreement(p, &def, NULL));
    return p;
}

/* A fixture over a given policy. */
static inline void fixture_open_policy(fixture *f, const itsm_policy *p) { fixture_open_with(f, p, NULL); }

#endif
