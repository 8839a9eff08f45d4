/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bench/bench_engine.h - the engine the record benchmarks share: the
 * default policy, a store that discards what it is given (so only the
 * library's own work is counted), a virtual clock, and open P2 incidents
 * with short fields.
 */
#ifndef ITSM_BENCH_ENGINE_H
#define ITSM_BENCH_ENGINE_H

#include <itsm.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BENCH_T0 ((itsm_time)1772442000)   /* 2026-03-02T09:00:00Z, a Monday */

static inline int bench_discard(void *u, const itsm_event *const *evs, size_t n)
{
    (void)u;
    (void)evs;
    (void)n;
    return ITSM_OK;
}

static itsm_time bench_vnow = BENCH_T0;
static inline itsm_time bench_vclock(void *u)
{
    (void)u;
    return bench_vnow;
}

static inline void bench_die(itsm_engine *eng, const char *what)
{
    fprintf(stderr, "bench: %s failed: %s\n", what, eng ? itsm_errmsg(eng) : "no engine");
    exit(1);
}

/* With ITSM_BENCH_CONDITIONS=same_clocks: the default policy's own
 * clocks (response and resolution, the same targets, calendars, warnings
 * and ladder), their SLA chosen by conditions over kind, priority and
 * service instead of the one default SLA: three SLA rules, tried in order,
 * the benchmark incidents (P2 on VPN) matching only the last. The same
 * number of clocks as without conditions: the difference is the cost of
 * the conditions alone. */
static inline void bench_same_clocks(itsm_policy *p)
{
    static const char *const rules[3][2] = {
        { "kind == 'incident' and priority == 1 and service == 'Payroll'", "payroll_gold" },
        { "service in ('Mail', 'Exchange') and priority <= 3", "mail_silver" },
        { "kind == 'incident' and priority <= 2 and service == 'VPN'", "vpn_standard" },
    };
    /* the default policy's "standard" SLA (src/sla/sla_policy.c) */
    static const uint32_t resp[5] = { 900, 1800, 14400, 28800, 57600 };
    static const uint32_t res[5] = { 14400, 28800, 86400, 144000, 288000 };
    for (int i = 0; i < 3; i++) {
        itsm_sla_def s = ITSM_SLA_DEF_INIT;
        s.name = rules[i][1];
        for (int k = 0; k < 5; k++) {
            s.response[k] = resp[k];
            s.resolution[k] = res[k];
            s.calendar[k] = k < 2 ? "24x7" : "business";
        }
        if (itsm_policy_set_sla(p, &s) != ITSM_OK || itsm_policy_add_sla_rule(p, rules[i][0], rules[i][1]) != ITSM_OK) {
            fprintf(stderr, "bench: SLA rule refused: %s\n", itsm_policy_errmsg(p));
            exit(1);
        }
    }
}

/* With ITSM_BENCH_CONDITIONS=1 in the environment: the default policy
 * plus agreements whose conditions hold for every benchmark incident (a
 * customer SLA on P1-P2 VPN incidents that starts at assignment, pauses
 * while held and stops at resolve, and an OLA for the Network group), so
 * the same benchmark measures each step with conditions in use: each
 * event runs the instances' clocks (two more than without) and evaluates
 * the conditions whose inputs it changed. With =same_clocks:
 * bench_same_clocks. NULL otherwise. */
static inline itsm_policy *bench_conditions_policy(void)
{
    const char *want = getenv("ITSM_BENCH_CONDITIONS");
    if (!want || (strcmp(want, "1") != 0 && strcmp(want, "same_clocks") != 0))
        return NULL;
    itsm_policy *p;
    if (itsm_policy_new_default(&p, NULL) != ITSM_OK)
        bench_die(NULL, "itsm_policy_new_default");
    if (strcmp(want, "same_clocks") == 0) {
        bench_same_clocks(p);
        return p;
    }
    static const itsm_agreement_target sla_t[2] = { { 1, 4 * 3600, NULL }, { 2, 8 * 3600, NULL } };
    static const itsm_agreement_target ola_t[1] = { { 0, 2 * 3600, NULL } };
    static const unsigned warn[2] = { 500, 750 };
    itsm_agreement_def sla = ITSM_AGREEMENT_DEF_INIT, ola = ITSM_AGREEMENT_DEF_INIT;
    sla.name = "vpn_customer";
    sla.applies = "kind == 'incident' and priority <= 2 and service == 'VPN'";
    sla.start = "assignment_group != null";
    sla.pause = "state == 'on_hold'";
    sla.stop = "state == 'resolved'";
    sla.reset = "event == 'reopen'";
    sla.targets = sla_t;
    sla.ntargets = 2;
    sla.warnings = warn;
    sla.nwarnings = 2;
    ola.name = "network_ola";
    ola.type = ITSM_AGREEMENT_OLA;
    ola.applies = "assignment_group == 'Network'";
    ola.stop = "state == 'resolved'";
    ola.targets = ola_t;
    ola.ntargets = 1;
    if (itsm_policy_set_agreement(p, &sla, NULL) != ITSM_OK || itsm_policy_set_agreement(p, &ola, NULL) != ITSM_OK) {
        fprintf(stderr, "bench: agreements refused: %s\n", itsm_policy_errmsg(p));
        exit(1);
    }
    return p;
}

/* An engine on the default policy (or bench_conditions_policy's) with the
 * discarding store and the virtual clock; `alloc` may be NULL (libc). */
static inline itsm_engine *bench_engine(const itsm_allocator *alloc)
{
    static const itsm_store discarding = { ITSM_STORE_VERSION, bench_discard, NULL, NULL, NULL, NULL };
    itsm_engine_opts o = ITSM_ENGINE_OPTS_INIT;
    itsm_policy *cond = bench_conditions_policy();
    o.policy = cond;
    if (alloc)
        o.alloc = *alloc;
    o.store = &discarding;
    o.clock = bench_vclock;
    itsm_engine *eng;
    if (itsm_engine_new(&eng, &o) != ITSM_OK)
        bench_die(NULL, "itsm_engine_new");
    itsm_policy_free(cond);   /* the engine keeps its own copy */
    return eng;
}

/* Open n P2 incidents (24x7 in the default policy, response 30 min), one a
 * second from BENCH_T0, with short fields: summary "VPN down", impact 1,
 * urgency 2, service "VPN". The clock is left at the last opening. */
static inline void bench_open_incidents(itsm_engine *eng, size_t n)
{
    itsm_change init[4] = { { ITSM_F_SUMMARY, "VPN down", 0 }, { ITSM_F_IMPACT, NULL, 1 },
                            { ITSM_F_URGENCY, NULL, 2 }, { ITSM_F_SERVICE, "VPN", 0 } };
    itsm_record_opts o = ITSM_RECORD_OPTS_INIT;
    o.fields = init;
    o.nfields = 4;
    for (size_t i = 0; i < n; i++) {
        itsm_record *r;
        bench_vnow = BENCH_T0 + (itsm_time)i;
        if (itsm_record_open(&r, eng, &o) != ITSM_OK)
            bench_die(eng, "itsm_record_open");
    }
}

#endif
