/* SPDX-License-Identifier: Apache-2.0 */
/*
 * itsm-scenario: the what-if (itsm/whatif.h) - the story's store judged
 * under a candidate policy, and expectations on what it found: the
 * summary, each flipped verdict, the rows per SLA and per group, and the
 * time to resolve.
 */
#include "runner.h"

#include <itsm/whatif.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void run_whatif_free(runner *r)
{
    itsm_whatif_free(r->whatif);
    r->whatif = NULL;
}

static const char *const clock_names[] = { "response", "resolution", "agreement" };
static const char *const verdict_names[] = { "none", "pending", "met", "breached" };

static int need_whatif(runner *r)
{
    return r->whatif ? 0 : run_fail(r, "no what-if yet (whatif FILE)");
}

/* Compare key=N arguments against a table of figures. */
static int expect_counts(runner *r, const char *what, tok *t, size_t n, const char *const *keys,
                         size_t nkeys, const size_t *got)
{
    for (size_t i = 0; i < n; i++) {
        int k = t[i].key ? run_name_index(keys, nkeys, t[i].key) : -1;
        if (k < 0)
            return run_fail(r, "expect %s: unknown word '%s'", what, t[i].key ? t[i].key : t[i].text);
        int64_t want;
        if (run_parse_int(r, t[i].text, &want, keys[k]))
            return -1;
        if ((int64_t)got[k] != want)
            return run_fail(r, "%s: %s is %zu, expected %lld", what, keys[k], got[k], (long long)want);
    }
    return 0;
}

/* whatif FILE [as_of=TIME] */
static int cmd_whatif(runner *r, tok *t, size_t n)
{
    if (run_need(r, n, 1, 2, "whatif FILE.json [as_of=TIME]") || run_bare(r, &t[0], "file"))
        return -1;
    itsm_whatif_opts o = ITSM_WHATIF_OPTS_INIT;
    if (n == 2) {
        if (!t[1].key || strcmp(t[1].key, "as_of"))
            return run_fail(r, "whatif: expected as_of=TIME, got '%s'", t[1].key ? t[1].key : t[1].text);
        if (run_parse_time(r, t[1].text, &o.as_of, "as_of"))
            return -1;
    }
    itsm_policy *p = NULL;
    if (run_read_policy(r, t[0].text, &p))
        return -1;
    itsm_whatif_free(r->whatif);
    r->whatif = NULL;
    int rc = itsm_whatif_new(&r->whatif, r->eng, p, &o);
    itsm_policy_free(p);
    return run_act(r, rc);
}

/* whatif print: the last what-if as JSON on stdout, every flip listed. */
static int cmd_whatif_print(runner *r, tok *t, size_t n)
{
    (void)t;
    if (run_need(r, n, 0, 0, "whatif print") || need_whatif(r))
        return -1;
    size_t len = 0;
    itsm_whatif_to_json(r->whatif, SIZE_MAX, NULL, 0, &len);
    char *buf = malloc(len + 1);
    if (!buf || itsm_whatif_to_json(r->whatif, SIZE_MAX, buf, len + 1, &len)) {
        free(buf);
        return run_fail(r, "whatif print: cannot write the what-if");
    }
    printf("%s\n", run_out(buf));
    free(buf);
    return 0;
}

/* expect whatif [records=N] [clocks=N] [flips=N] [to_breached=N] [to_met=N]
 *               [actual_breached=N] [candidate_breached=N] [events=N] */
static int cmd_expect_whatif(runner *r, tok *t, size_t n)
{
    if (need_whatif(r))
        return -1;
    itsm_whatif_summary s = { .size = sizeof s };
    if (itsm_whatif_summary_of(&s, r->whatif))
        return run_fail(r, "itsm_whatif_summary_of refused");
    static const char *const keys[] = { "records", "clocks", "flips", "to_breached", "to_met",
                                        "actual_breached", "candidate_breached", "events" };
    const size_t got[] = { s.records, s.clocks, s.flips, s.to_breached, s.to_met,
                           s.actual_breached, s.candidate_breached, s.events };
    return expect_counts(r, "whatif", t, n, RUN_NAMES(keys), got);
}

/* expect whatif_flip ID response|resolution|agreement ACTUAL CANDIDATE [sla=NAME]:
 * the what-if flipped this clock of the record from ACTUAL to CANDIDATE
 * (sla= picks the SLA or agreement, on either side). */
static int cmd_expect_flip(runner *r, tok *t, size_t n)
{
    if (run_need(r, n, 4, 5, "expect whatif_flip ID response|resolution|agreement ACTUAL CANDIDATE [sla=NAME]") ||
        need_whatif(r))
        return -1;
    int clock = run_name_index(RUN_NAMES(clock_names), t[1].text);
    int want_a = run_name_index(RUN_NAMES(verdict_names), t[2].text);
    int want_c = run_name_index(RUN_NAMES(verdict_names), t[3].text);
    if (clock < 0 || want_a < 0 || want_c < 0)
        return run_fail(r, "expect whatif_flip: unknown clock or verdict in '%s %s %s'", t[1].text, t[2].text,
                        t[3].text);
    const char *sla = NULL;
    if (n == 5) {
        if (!t[4].key || strcmp(t[4].key, "sla"))
            return run_fail(r, "expect whatif_flip: expected sla=NAME, got '%s'", t[4].key ? t[4].key : t[4].text);
        sla = t[4].text;
    }
    for (size_t i = 0; i < itsm_whatif_flip_count(r->whatif); i++) {
        itsm_whatif_flip f = { .size = sizeof f };
        if (itsm_whatif_flip_at(r->whatif, i, &f))
            return run_fail(r, "itsm_whatif_flip_at refused");
        if (strcmp(f.record, t[0].text) || (int)f.clock != clock)
            continue;
        if (sla && !(f.actual_sla && !strcmp(f.actual_sla, sla)) &&
            !(f.candidate_sla && !strcmp(f.candidate_sla, sla)))
            continue;
        if ((int)f.actual != want_a || (int)f.candidate != want_c)
            return run_fail(r, "the %s clock of %s flipped %s -> %s, expected %s -> %s", t[1].text, t[0].text,
                            itsm_whatif_verdict_name(f.actual), itsm_whatif_verdict_name(f.candidate), t[2].text,
                            t[3].text);
        return 0;
    }
    return run_fail(r, "the what-if flipped no %s clock of %s%s%s", t[1].text, t[0].text, sla ? " on " : "",
                    sla ? sla : "");
}

/* expect whatif_sla response|resolution|agreement NAME [actual_met=N] ... [candidate_pending=N] */
static int cmd_expect_sla(runner *r, tok *t, size_t n)
{
    if (run_need(r, n, 2, 8, "expect whatif_sla response|resolution|agreement NAME [actual_met=N] "
                             "[actual_breached=N] [actual_pending=N] [candidate_met=N] [candidate_breached=N] "
                             "[candidate_pending=N]") ||
        need_whatif(r))
        return -1;
    int clock = run_name_index(RUN_NAMES(clock_names), t[0].text);
    if (clock < 0)
        return run_fail(r, "expect whatif_sla: unknown clock '%s'", t[0].text);
    for (size_t i = 0; i < itsm_whatif_sla_count(r->whatif); i++) {
        itsm_whatif_sla s = { .size = sizeof s };
        if (itsm_whatif_sla_at(r->whatif, i, &s))
            return run_fail(r, "itsm_whatif_sla_at refused");
        if ((int)s.clock != clock || strcmp(s.name, t[1].text))
            continue;
        static const char *const keys[] = { "actual_met", "actual_breached", "actual_pending",
                                            "candidate_met", "candidate_breached", "candidate_pending" };
        const size_t got[] = { s.actual_met, s.actual_breached, s.actual_pending,
                               s.candidate_met, s.candidate_breached, s.candidate_pending };
        return expect_counts(r, "whatif_sla", t + 2, n - 2, RUN_NAMES(keys), got);
    }
    return run_fail(r, "the what-if has no %s row for '%s'", t[0].text, t[1].text);
}

/* expect whatif_group GROUP|none [records=N] [actual_breached=N]
 *                    [candidate_breached=N] [to_breached=N] [to_met=N] */
static int cmd_expect_group(runner *r, tok *t, size_t n)
{
    if (run_need(r, n, 1, 6, "expect whatif_group GROUP|none [records=N] [actual_breached=N] "
                             "[candidate_breached=N] [to_breached=N] [to_met=N]") ||
        need_whatif(r))
        return -1;
    int none = !t[0].quoted && !strcmp(t[0].text, "none");
    for (size_t i = 0; i < itsm_whatif_group_count(r->whatif); i++) {
        itsm_whatif_group g = { .size = sizeof g };
        if (itsm_whatif_group_at(r->whatif, i, &g))
            return run_fail(r, "itsm_whatif_group_at refused");
        if (none ? g.group != NULL : (!g.group || strcmp(g.group, t[0].text)))
            continue;
        static const char *const keys[] = { "records", "actual_breached", "candidate_breached", "to_breached",
                                            "to_met" };
        const size_t got[] = { g.records, g.actual_breached, g.candidate_breached, g.to_breached, g.to_met };
        return expect_counts(r, "whatif_group", t + 1, n - 1, RUN_NAMES(keys), got);
    }
    return run_fail(r, "the what-if has no row for group '%s'", t[0].text);
}

/* expect whatif_duration resolve_wall|resolve_work [count=N] [changed=N] [max_delta=D] */
static int cmd_expect_duration(runner *r, tok *t, size_t n)
{
    if (run_need(r, n, 1, 4, "expect whatif_duration resolve_wall|resolve_work [count=N] [changed=N] "
                             "[max_delta=DURATION]") ||
        need_whatif(r))
        return -1;
    itsm_whatif_measure m;
    if (!strcmp(t[0].text, "resolve_wall"))
        m = ITSM_WHATIF_RESOLVE_WALL;
    else if (!strcmp(t[0].text, "resolve_work"))
        m = ITSM_WHATIF_RESOLVE_WORK;
    else
        return run_fail(r, "expect whatif_duration: unknown measure '%s'", t[0].text);
    itsm_whatif_duration d = { .size = sizeof d };
    if (itsm_whatif_duration_of(&d, r->whatif, m))
        return run_fail(r, "itsm_whatif_duration_of refused");
    for (size_t i = 1; i < n; i++) {
        int64_t want, got;
        if (t[i].key && !strcmp(t[i].key, "max_delta")) {
            if (run_parse_duration(r, t[i].text, &want, "max_delta"))
                return -1;
            got = d.max_delta;
        } else if (t[i].key && (!strcmp(t[i].key, "count") || !strcmp(t[i].key, "changed"))) {
            if (run_parse_int(r, t[i].text, &want, t[i].key))
                return -1;
            got = (int64_t)(t[i].key[1] == 'o' ? d.count : d.changed);
        } else {
            return run_fail(r, "expect whatif_duration: unknown word '%s'", t[i].key ? t[i].key : t[i].text);
        }
        if (got != want)
            return run_fail(r, "whatif %s: %s is %lld, expected %lld", t[0].text, t[i].key, (long long)got,
                            (long long)want);
    }
    return 0;
}

const cmd_row run_commands_whatif[] = {
    /* name                     handler              action expect */
    { "whatif",                 cmd_whatif,          1, 0 },
    { "whatif print",           cmd_whatif_print,    0, 0 },
    { "expect whatif",          cmd_expect_whatif,   0, 1 },
    { "expect whatif_flip",     cmd_expect_flip,     0, 1 },
    { "expect whatif_sla",      cmd_expect_sla,      0, 1 },
    { "expect whatif_group",    cmd_expect_group,    0, 1 },
    { "expect whatif_duration", cmd_expect_duration, 0, 1 },
    { NULL, NULL, 0, 0 }
};
