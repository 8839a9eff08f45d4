/* SPDX-License-Identifier: Apache-2.0 */
/*
 * itsm-scenario: the migration check (itsm/migration.h) - what a candidate
 * policy would do to the story's open records - and expectations on what
 * it lists.
 */
#include "runner.h"

#include <itsm/migration.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void run_migration_free(runner *r)
{
    itsm_migration_free(r->migration);
    r->migration = NULL;
}

static int need_check(runner *r)
{
    return r->migration ? 0 : run_fail(r, "no migration check yet (migration check FILE)");
}

/* The kind by name ("state_removed"...), or -1. */
static int kind_of(const char *s)
{
    for (int k = 1; k <= ITSM_MIGRATION_KIND_COUNT; k++)
        if (!strcmp(itsm_migration_kind_name((itsm_migration_kind)k), s))
            return k;
    return -1;
}

/* migration check FILE */
static int cmd_migration_check(runner *r, tok *t, size_t n)
{
    if (run_need(r, n, 1, 1, "migration check FILE.json") || run_bare(r, &t[0], "file"))
        return -1;
    itsm_policy *p = NULL;
    if (run_read_policy(r, t[0].text, &p))
        return -1;
    run_migration_free(r);
    int rc = itsm_engine_migration_check(&r->migration, r->eng, p);
    itsm_policy_free(p);
    return run_act(r, rc);
}

/* migration print: the last check as JSON on stdout. */
static int cmd_migration_print(runner *r, tok *t, size_t n)
{
    (void)t;
    if (run_need(r, n, 0, 0, "migration print") || need_check(r))
        return -1;
    size_t len = 0;
    itsm_migration_to_json(r->migration, NULL, 0, &len);
    char *buf = malloc(len + 1);
    if (!buf || itsm_migration_to_json(r->migration, buf, len + 1, &len)) {
        free(buf);
        return run_fail(r, "migration print: cannot write the check");
    }
    printf("%s\n", run_out(buf));
    free(buf);
    return 0;
}

/* expect migration [records=N] [findings=N] [KIND=N ...] */
static int cmd_expect_migration(runner *r, tok *t, size_t n)
{
    if (need_check(r))
        return -1;
    for (size_t i = 0; i < n; i++) {
        if (!t[i].key)
            return run_fail(r, "expect migration: unknown word '%s'", t[i].text);
        size_t got;
        int k;
        if (!strcmp(t[i].key, "records"))
            got = itsm_migration_records(r->migration);
        else if (!strcmp(t[i].key, "findings"))
            got = itsm_migration_count(r->migration);
        else if ((k = kind_of(t[i].key)) > 0)
            got = itsm_migration_count_of(r->migration, (itsm_migration_kind)k);
        else
            return run_fail(r, "expect migration: unknown word '%s'", t[i].key);
        int64_t want;
        if (run_parse_int(r, t[i].text, &want, t[i].key))
            return -1;
        if ((int64_t)got != want)
            return run_fail(r, "the migration check has %s %zu, expected %lld", t[i].key, got, (long long)want);
    }
    return 0;
}

static int time_is(runner *r, const char *s, itsm_time have, int *ok)
{
    itsm_time want = ITSM_TIME_NONE;
    if (strcmp(s, "none") && run_parse_time(r, s, &want, "time"))
        return -1;
    *ok = want == have;
    return 0;
}

/* Does finding f match every key=value of t? -1: a script error. */
static int finding_matches(runner *r, const itsm_migration_finding *f, tok *t, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const char *k = t[i].key, *v = t[i].text;
        int ok;
        if (!k)
            return run_fail(r, "expect migration_finding: unknown word '%s'", v);
        if (!strcmp(k, "event")) {
            ok = f->event && !strcmp(f->event, run_in(v));
        } else if (!strcmp(k, "name")) {
            ok = f->name && !strcmp(f->name, v);
        } else if (!strcmp(k, "clock")) {
            const char *c = f->kind == ITSM_MIGRATION_TIMER_MOVES ? itsm_whatif_clock_name(f->clock) : NULL;
            ok = c && !strcmp(c, v);
        } else if (!strcmp(k, "detail")) {
            ok = f->detail && strstr(f->detail, v);
        } else if (!strcmp(k, "delta")) {
            int64_t d;
            int neg = v[0] == '-';
            if (run_parse_duration(r, v + neg, &d, "delta"))
                return -1;
            ok = f->delta == (neg ? -d : d);
        } else if (!strcmp(k, "actual_due") || !strcmp(k, "candidate_due")) {
            if (time_is(r, v, k[0] == 'a' ? f->actual_due : f->candidate_due, &ok))
                return -1;
        } else if (!strcmp(k, "actual_target") || !strcmp(k, "candidate_target")) {
            int64_t d;
            if (run_parse_duration(r, v, &d, k))
                return -1;
            ok = d == (int64_t)(k[0] == 'a' ? f->actual_target : f->candidate_target);
        } else {
            return run_fail(r, "expect migration_finding: unknown word '%s'", k);
        }
        if (!ok)
            return 0;
    }
    return 1;
}

/* expect migration_finding ID KIND [event=E] [name=N] [clock=C] [delta=D]
 *     [actual_due=T] [candidate_due=T] [actual_target=D] [candidate_target=D]
 *     [detail="part"]: the check lists such a finding for the record. */
static int cmd_expect_finding(runner *r, tok *t, size_t n)
{
    if (run_need(r, n, 2, 12, "expect migration_finding ID KIND [event=E] [name=N] [clock=C] [delta=D] "
                              "[actual_due=T] [candidate_due=T] [actual_target=D] [candidate_target=D] "
                              "[detail=\"part\"]") ||
        need_check(r))
        return -1;
    int kind = kind_of(t[1].text);
    if (kind < 0)
        return run_fail(r, "expect migration_finding: unknown kind '%s'", t[1].text);
    size_t seen = 0;
    for (size_t i = 0; i < itsm_migration_count(r->migration); i++) {
        itsm_migration_finding f = { .size = sizeof f };
        if (itsm_migration_at(r->migration, i, &f))
            return run_fail(r, "itsm_migration_at refused");
        if ((int)f.kind != kind || strcmp(f.record, t[0].text))
            continue;
        seen++;
        int m = finding_matches(r, &f, t + 2, n - 2);
        if (m)
            return m < 0 ? -1 : 0;
    }
    return run_fail(r, "the migration check lists %zu %s finding%s for %s, none as expected", seen, t[1].text,
                    seen == 1 ? "" : "s", t[0].text);
}

const cmd_row run_commands_migration[] = {
    /* name                       handler               action expect */
    { "migration check",          cmd_migration_check,  1, 0 },
    { "migration print",          cmd_migration_print,  0, 0 },
    { "expect migration",         cmd_expect_migration, 0, 1 },
    { "expect migration_finding", cmd_expect_finding,   0, 1 },
    { NULL, NULL, 0, 0 }
};
