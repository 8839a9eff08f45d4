/* SPDX-License-Identifier: Apache-2.0 */
/*
 * itsm-scenario: expectations on agreements (itsm/agreement.h) - a
 * record's instance of an agreement, its history, and the report over
 * every record.
 */
#include "runner.h"

#include <itsm/agreement.h>

#include <stdio.h>
#include <string.h>

static const char *const status_names[] = { "none", "pending", "running", "paused", "stopped", "cancelled" };
static const char *const verdict_names[] = { "pending", "met", "breached" };

static int usage(runner *r, size_t n, size_t min, size_t max, const char *text)
{
    return n < min || n > max ? run_fail(r, "usage: %s", text) : 0;
}

static int duration_arg(runner *r, const char *s, int64_t *out, const char *what)
{
    int neg = s[0] == '-';
    if (run_parse_duration(r, s + neg, out, what))
        return -1;
    if (neg)
        *out = -*out;
    return 0;
}

/* expect agreement ID NAME STATUS [met|breached|pending] [elapsed=D] [paused=D]
 *                                 [remaining=D] [warnings=N] [breaches=N] */
static int cmd_expect_agreement(runner *r, tok *t, size_t n)
{
    if (usage(r, n, 3, 9, "expect agreement ID NAME none|pending|running|paused|stopped|cancelled "
                          "[met|breached|pending] [elapsed=D] [paused=D] [remaining=D] [warnings=N] [breaches=N]"))
        return -1;
    itsm_record *rec = NULL;
    if (itsm_record_find(&rec, r->eng, t[0].text))
        return run_fail(r, "no record '%s'", t[0].text);
    itsm_agreement_info a = { .size = sizeof a };
    int rc = itsm_record_agreement(&a, rec, t[1].text, r->now);
    if (rc)
        return run_fail(r, "itsm_record_agreement: %s (%s)", itsm_errname(rc), itsm_errmsg(r->eng));
    const char *st = (unsigned)a.status < 6 ? status_names[a.status] : "?";
    if (strcmp(st, t[2].text))
        return run_fail(r, "agreement %s of %s is %s, expected %s", t[1].text, t[0].text, st, t[2].text);
    for (size_t i = 3; i < n; i++) {
        int64_t want, got;
        const char *what = t[i].key;
        if (!what) {
            const char *v = (unsigned)a.verdict < 3 ? verdict_names[a.verdict] : "?";
            if (strcmp(t[i].text, "met") && strcmp(t[i].text, "breached") && strcmp(t[i].text, "pending"))
                return run_fail(r, "expect agreement: unknown word '%s'", t[i].text);
            if (strcmp(v, t[i].text))
                return run_fail(r, "agreement %s of %s is %s, expected %s", t[1].text, t[0].text, v, t[i].text);
            continue;
        }
        if (!strcmp(what, "elapsed") || !strcmp(what, "paused") || !strcmp(what, "remaining")) {
            if (duration_arg(r, t[i].text, &want, what))
                return -1;
            got = what[0] == 'e' ? a.elapsed : what[0] == 'p' ? a.paused : a.remaining;
        } else if (!strcmp(what, "warnings") || !strcmp(what, "breaches")) {
            if (run_parse_int(r, t[i].text, &want, what))
                return -1;
            got = what[0] == 'w' ? a.warnings : a.breaches;
        } else {
            return run_fail(r, "expect agreement: unknown word '%s'", what);
        }
        if (got != want)
            return run_fail(r, "agreement %s of %s has %s %lld, expected %lld", t[1].text, t[0].text, what,
                            (long long)got, (long long)want);
    }
    return 0;
}

/* expect agreement_steps ID N [NAME STEP]: the record's history has N
 * steps, the last of them STEP of agreement NAME. */
static int cmd_expect_steps(runner *r, tok *t, size_t n)
{
    int64_t want;
    if (usage(r, n, 2, 4, "expect agreement_steps ID N [NAME STEP]") || run_parse_int(r, t[1].text, &want, "N"))
        return -1;
    if (n == 3)
        return run_fail(r, "usage: expect agreement_steps ID N [NAME STEP]");
    itsm_record *rec = NULL;
    if (itsm_record_find(&rec, r->eng, t[0].text))
        return run_fail(r, "no record '%s'", t[0].text);
    size_t have = itsm_record_agreement_steps(rec);
    if ((int64_t)have != want)
        return run_fail(r, "%s has %zu agreement steps, expected %lld", t[0].text, have, (long long)want);
    if (n == 4) {
        itsm_agreement_entry e = { .size = sizeof e };
        if (!have || itsm_record_agreement_step(&e, rec, have - 1))
            return run_fail(r, "%s has no agreement step", t[0].text);
        const char *step = itsm_agreement_step_name(e.step);
        if (strcmp(e.agreement, t[2].text) || !step || strcmp(step, t[3].text))
            return run_fail(r, "the last agreement step of %s is %s %s, expected %s %s", t[0].text, e.agreement,
                            step ? step : "?", t[2].text, t[3].text);
    }
    return 0;
}

/* expect agreement_report NAME applied=N met=N breached=N open=N cancelled=N */
static int cmd_expect_report(runner *r, tok *t, size_t n)
{
    if (usage(r, n, 2, 6, "expect agreement_report NAME [applied=N] [met=N] [breached=N] [open=N] [cancelled=N]"))
        return -1;
    itsm_agreement_report rep = { .size = sizeof rep };
    int rc = itsm_engine_agreement_report(&rep, r->eng, t[0].text);
    if (rc)
        return run_fail(r, "itsm_engine_agreement_report: %s (%s)", itsm_errname(rc), itsm_errmsg(r->eng));
    static const char *const keys[] = { "applied", "met", "breached", "open", "cancelled" };
    const size_t got[] = { rep.applied, rep.met, rep.breached, rep.open, rep.cancelled };
    for (size_t i = 1; i < n; i++) {
        size_t k = 0;
        while (k < 5 && (!t[i].key || strcmp(t[i].key, keys[k])))
            k++;
        if (k == 5)
            return run_fail(r, "expect agreement_report: unknown word '%s'", t[i].key ? t[i].key : t[i].text);
        int64_t want;
        if (run_parse_int(r, t[i].text, &want, keys[k]))
            return -1;
        if ((int64_t)got[k] != want)
            return run_fail(r, "agreement %s: %s is %zu, expected %lld", t[0].text, keys[k], got[k],
                            (long long)want);
    }
    return 0;
}

const cmd_row run_commands_agreement[] = {
    { "expect agreement",        cmd_expect_agreement, 0, 1 },
    { "expect agreement_steps",  cmd_expect_steps,     0, 1 },
    { "expect agreement_report", cmd_expect_report,    0, 1 },
    { NULL, NULL, 0, 0 }
};
