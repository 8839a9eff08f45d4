/* SPDX-License-Identifier: Apache-2.0 */
/*
 * change_schedule: a normal change through its risk assessment, its
 * approvals and the change schedule - the README's second tour, whole.
 *
 *   1. The host's policy: the default one, plus the payroll service's
 *      maintenance window (Sunday 01:00-05:00, Paris time) and the
 *      year-end blackout (2026-12-15 to 2027-01-05). The default policy
 *      already holds the risk questionnaire and the approval rules; it
 *      names nobody, so anyone separation of duties leaves may decide.
 *   2. pia asks for the change and assesses it: her answers make it high
 *      risk, which selects the approval rule "high_risk_change" (the
 *      change manager, then a CAB quorum of two).
 *   3. pia cannot approve her own change; carl approves as change
 *      manager, ann and bob as the CAB; the change is authorized.
 *   4. Scheduling refuses a window in the blackout, then one outside the
 *      maintenance window, and takes a Sunday night in Paris.
 *
 * Each refusal's message says what is missing; the example prints them.
 * Memory-only engine (no store), virtual clock. The key facts are checked
 * in code, so the example is also a test: it exits 0 only when the story
 * ran as told.
 *
 *   cc change_schedule.c $(pkg-config --cflags --libs itsm) -o change_schedule
 */
#include <itsm.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* 2026-12-01T09:00:00Z, a Tuesday. */
#define T0 ((itsm_time)1796115600)
#define HOURS(h) ((itsm_time)(h) * 3600)
#define DAYS(d) ((itsm_time)(d) * 86400)

static itsm_time clock_now = T0;
static itsm_time read_clock(void *user) { (void)user; return clock_now; }

/* An unexpected failure: say which call, with the engine's message. */
static void check(itsm_engine *eng, int rc, const char *what)
{
    if (rc != ITSM_OK) {
        fprintf(stderr, "%s failed: %s (%s)\n", what, itsm_errname(rc), itsm_errmsg(eng));
        exit(1);
    }
}

/* The same for a call on the policy, which keeps its own message. */
static void check_policy(const itsm_policy *p, int rc, const char *what)
{
    if (rc != ITSM_OK) {
        fprintf(stderr, "%s failed: %s (%s)\n", what, itsm_errname(rc), itsm_policy_errmsg(p));
        exit(1);
    }
}

/* An expected refusal: the code and the words the message must hold. */
static void refused(itsm_engine *eng, int rc, int want, const char *words)
{
    printf("    refused, %s: %s\n", itsm_errname(rc), itsm_errmsg(eng));
    if (rc != want || !strstr(itsm_errmsg(eng), words)) {
        fprintf(stderr, "expected %s with \"%s\"\n", itsm_errname(want), words);
        exit(1);
    }
}

#define EXPECT(cond)                                                            \
    do {                                                                        \
        if (!(cond)) {                                                          \
            fprintf(stderr, "%s:%d: expected %s\n", __FILE__, __LINE__, #cond); \
            exit(1);                                                            \
        }                                                                       \
    } while (0)

/* The default policy with the payroll service's window and the freeze. */
static itsm_policy *change_policy(void)
{
    itsm_policy *p;
    if (itsm_policy_new_default(&p, NULL) != ITSM_OK) {
        fprintf(stderr, "out of memory\n");
        exit(1);
    }
    itsm_work_span sunday_night = { 6, HOURS(1), HOURS(5) };
    itsm_calendar_def cal = ITSM_CALENDAR_DEF_INIT;
    cal.name = "payroll_maintenance";
    cal.zone = "CET-1CEST,M3.5.0,M10.5.0/3";   /* Paris: local time, daylight saving included */
    cal.spans = &sunday_night;
    cal.nspans = 1;
    check_policy(p, itsm_policy_set_calendar(p, &cal), "calendar");
    check_policy(p, itsm_policy_set_maintenance_window(p, "payroll", "payroll_maintenance"),
                 "maintenance window");

    itsm_blackout_def freeze = ITSM_BLACKOUT_DEF_INIT;
    freeze.name = "year_end";
    freeze.from = T0 + DAYS(14) - HOURS(9);   /* 2026-12-15T00:00:00Z */
    freeze.to = freeze.from + DAYS(21);       /* 2027-01-05T00:00:00Z */
    check_policy(p, itsm_policy_set_blackout(p, &freeze), "blackout");
    return p;
}

int main(void)
{
    itsm_policy *policy = change_policy();
    itsm_engine_opts opts = ITSM_ENGINE_OPTS_INIT;
    opts.policy = policy;   /* copied by the engine */
    opts.clock = read_clock;
    itsm_engine *eng;
    int rc = itsm_engine_new(&eng, &opts);
    itsm_policy_free(policy);
    if (rc != ITSM_OK) {
        fprintf(stderr, "engine: %s\n", itsm_errname(rc));
        return 1;
    }

    printf("pia asks for a change on payroll and assesses it\n");
    check(eng, itsm_engine_set_actor(eng, "pia"), "actor");
    itsm_change f[] = {
        { ITSM_F_SUMMARY, "Upgrade the payroll database", 0 },
        { ITSM_F_SERVICE, "payroll", 0 },
        { ITSM_F_CI, "db01", 0 },
        { ITSM_F_CHANGE_TYPE, "normal", 0 },
        { ITSM_F_CALLER, "pia", 0 },
    };
    itsm_record_opts ro = ITSM_RECORD_OPTS_INIT;
    ro.kind = ITSM_KIND_CHANGE;
    ro.fields = f;
    ro.nfields = sizeof f / sizeof *f;
    itsm_record *chg;
    check(eng, itsm_record_open(&chg, eng, &ro), "open");
    check(eng, itsm_record_fire(chg, "assess", NULL, 0), "assess");

    /* Every question of the default questionnaire: the total picks the
     * level, and the level picks the approval rule. */
    static const char *const answers[][2] = {
        { "users", "organisation" }, { "backout", "untested" }, { "experience", "never" },
        { "outage", "in_window" },   { "reach", "several" },
    };
    for (size_t i = 0; i < sizeof answers / sizeof *answers; i++)
        check(eng, itsm_record_answer_risk(chg, answers[i][0], answers[i][1]), "answer");
    itsm_risk_info risk = { .size = sizeof risk };
    check(eng, itsm_record_risk(&risk, chg), "risk");
    itsm_approval_info ap = { .size = sizeof ap };
    check(eng, itsm_record_approval(&ap, chg), "approval");
    printf("    risk %s (score %lld): approval rule '%s'\n", risk.level, (long long)risk.score, ap.rule);
    EXPECT(strcmp(risk.level, "high") == 0 && strcmp(ap.rule, "high_risk_change") == 0);

    printf("who may decide, in which order\n");
    refused(eng, itsm_record_approve(chg, NULL, "pia", NULL), ITSM_EINVAL,
            "pia is the requester (separation of duties)");
    refused(eng, itsm_record_approve(chg, "cab", "ann", NULL), ITSM_ESTATE,
            "level 2 'cab' of approval rule 'high_risk_change' waits for level 1 'change_manager'");
    clock_now += HOURS(2);
    check(eng, itsm_record_approve(chg, NULL, "carl", "Back-out tested on staging"), "carl approves");
    clock_now += DAYS(1);
    check(eng, itsm_record_approve(chg, NULL, "ann", "Fine with a DBA on call"), "ann approves");
    refused(eng, itsm_record_fire(chg, "authorize", &(itsm_change){ ITSM_F_ASSIGNEE, "ivan", 0 }, 1),
            ITSM_EGUARD, "1 of 2 approvals");
    check(eng, itsm_record_approve(chg, NULL, "bob", "Agreed"), "bob approves");
    check(eng, itsm_record_fire(chg, "authorize", &(itsm_change){ ITSM_F_ASSIGNEE, "ivan", 0 }, 1),
          "authorize");
    printf("    authorized: carl for the change manager, ann and bob for the CAB\n");

    printf("the change schedule\n");
    /* In the year-end freeze. */
    check(eng, itsm_change_plan(chg, T0 + DAYS(19) - HOURS(9) + 1800, T0 + DAYS(19) - HOURS(9) + 9000),
          "plan");
    refused(eng, itsm_record_fire(chg, "schedule", NULL, 0), ITSM_EGUARD, "falls in blackout 'year_end'");
    /* 2027-01-06, a Wednesday morning: outside the maintenance window. */
    itsm_time wed = T0 + DAYS(36) + HOURS(1);
    check(eng, itsm_change_plan(chg, wed, wed + HOURS(2)), "plan");
    refused(eng, itsm_record_fire(chg, "schedule", NULL, 0), ITSM_EGUARD,
            "outside the maintenance window of service 'payroll'");
    /* 2027-01-10 00:00-03:00Z is Sunday 01:00-04:00 in Paris. */
    itsm_time sun = T0 + DAYS(40) - HOURS(9);
    check(eng, itsm_change_plan(chg, sun, sun + HOURS(3)), "plan");
    check(eng, itsm_record_fire(chg, "schedule", NULL, 0), "schedule");
    EXPECT(strcmp(itsm_record_state(chg), "scheduled") == 0);
    EXPECT(itsm_change_on_schedule(chg) == 1);
    printf("    scheduled for Sunday 2027-01-10 01:00-04:00 Paris time: %s is %s\n", itsm_record_id(chg),
           itsm_record_state(chg));

    itsm_engine_free(eng);
    return 0;
}
