/* SPDX-License-Identifier: Apache-2.0 */
/*
 * renamed_policy PREFIX FILE - write the default policy with every state
 * and event of every lifecycle renamed to PREFIX + name, the service
 * levels' stop states renamed alike, and every role mapped to its renamed
 * state or event. The scenario stories then run under it
 * (itsm-scenario --policy FILE --names PREFIX, tests/scenarios.cmake): the
 * engine must behave the same whatever the names, the roles carrying what
 * it needs to know (docs/scenario.md, "Renamed runs").
 *
 * It reads the default lifecycles through the library's internal layout
 * and builds the renamed ones through the public builders.
 */
#include "policy/policy_int.h"
#include "sla/sla_int.h"
#include "approval/approval_int.h"
#include "schedule/schedule_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *pfx;

static const char *ren(const char *name, char *buf, size_t cap)
{
    if (!name || !strcmp(name, "*"))
        return name;
    snprintf(buf, cap, "%s%s", pfx, name);
    return buf;
}

static void die(const itsm_policy *p, const char *what, int rc)
{
    fprintf(stderr, "renamed_policy: %s: %s (%s)\n", what, itsm_errname(rc), itsm_policy_errmsg(p));
    exit(1);
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: renamed_policy PREFIX FILE\n");
        return 2;
    }
    pfx = argv[1];
    itsm_policy *def, *p;
    int rc;
    if ((rc = itsm_policy_new_default(&def, NULL)) || (rc = itsm_policy_clone(&p, def)))
        die(def, "default policy", rc);
    char a[128], b[128], c[128];
    for (int k = 1; k <= ITSM_KIND_COUNT; k++) {
        const itsm__lifecycle *lc = &def->lc[k];
        if ((rc = itsm_policy_lifecycle_clear(p, (itsm_kind)k)))
            die(p, "clear", rc);
        for (size_t i = 0; i < lc->nstates; i++)
            if ((rc = itsm_policy_add_state(p, (itsm_kind)k, ren(lc->states[i], a, sizeof a), lc->state_flags[i])))
                die(p, "state", rc);
        for (size_t i = 0; i < lc->nevents; i++)
            if ((rc = itsm_policy_add_event(p, (itsm_kind)k, ren(lc->events[i], a, sizeof a))))
                die(p, "event", rc);
        for (size_t i = 0; i < lc->ntrans; i++) {
            const itsm__transition *t = &lc->trans[i];
            itsm_transition_def d = ITSM_TRANSITION_DEF_INIT;
            d.from = t->from == ITSM__ANY_OPEN ? "*" : ren(lc->states[t->from], a, sizeof a);
            d.event = ren(lc->events[t->event], b, sizeof b);
            d.to = ren(lc->states[t->to], c, sizeof c);
            d.guard = t->guard_text;   /* guards, stamps and clears name fields, not states */
            d.stamp = t->stamp_text;
            d.clear = t->clear_text;
            d.counts_reopen = t->counts_reopen;
            if ((rc = itsm_policy_add_transition(p, (itsm_kind)k, &d)))
                die(p, "transition", rc);
        }
        for (int r = 0; r < ITSM_ROLE_COUNT; r++) {
            const char *name = itsm_policy_role(def, (itsm_kind)k, (itsm_role)r);
            if (name && itsm__role_target(r) != ITSM__ROLE_VALUE &&
                (rc = itsm_policy_set_role(p, (itsm_kind)k, (itsm_role)r, ren(name, a, sizeof a))))
                die(p, "role", rc);
        }
    }
    const itsm__slapol *sp = itsm__sl(def);
    char stop[ITSM__MAX_STOP][128];
    const char *stops[ITSM__MAX_STOP];
    for (size_t i = 0; i < sp->nstop; i++)
        stops[i] = ren(sp->stop[i], stop[i], sizeof stop[i]);
    if ((rc = itsm_policy_set_sla_stop_states(p, stops, sp->nstop)))
        die(p, "stop states", rc);
    /* The change capabilities name states too: the approval rules' round
     * states and the schedule states. */
    const itsm__ap_policy *ap = itsm__ap_policy_of(def);
    if ((rc = itsm_policy_clear_approval_rules(p)))
        die(p, "approval rules", rc);
    for (size_t i = 0; i < ap->nrules; i++) {
        const itsm__ap_rule *r = &ap->rules[i];
        itsm_approval_level_def lv[ITSM_APPROVAL_MAX_LEVELS];
        for (size_t k = 0; k < r->nlevels; k++) {
            itsm_approval_level_def l = ITSM_APPROVAL_LEVEL_DEF_INIT;
            l.name = r->levels[k].name;
            l.people = (const char *const *)r->levels[k].people;
            l.npeople = r->levels[k].npeople;
            l.group = r->levels[k].group;
            l.mode = (itsm_approval_mode)r->levels[k].mode;
            l.quorum = r->levels[k].quorum;
            l.exception = r->levels[k].exception;
            lv[k] = l;
        }
        itsm_approval_rule_def d = ITSM_APPROVAL_RULE_DEF_INIT;
        d.name = r->name;
        d.kind = (itsm_kind)r->kind;
        d.change_types = (const char *const *)r->change_types;
        d.nchange_types = r->nchange_types;
        d.risks = (const char *const *)r->risks;
        d.nrisks = r->nrisks;
        d.state = ren(r->state, a, sizeof a);
        d.levels = lv;
        d.nlevels = r->nlevels;
        d.separation = r->separation;
        if ((rc = itsm_policy_add_approval_rule(p, &d)))
            die(p, "approval rule", rc);
    }
    const itsm__sc_policy *sc = itsm__sc_policy_of(def);
    char sstate[ITSM_SCHEDULE_MAX_NAMES][128];
    const char *sstates[ITSM_SCHEDULE_MAX_NAMES];
    for (size_t i = 0; i < sc->nstates; i++)
        sstates[i] = ren(sc->states[i], sstate[i], sizeof sstate[i]);
    itsm_schedule_rules sr = ITSM_SCHEDULE_RULES_INIT;
    sr.states = sstates;
    sr.nstates = sc->nstates;
    sr.exception_types = (const char *const *)sc->exception_types;
    sr.nexception_types = sc->nexception_types;
    if ((rc = itsm_policy_set_schedule_rules(p, &sr)))
        die(p, "schedule rules", rc);
    size_t n = itsm_policy_check(p);
    if (n) {
        for (size_t i = 0; i < n; i++)
            fprintf(stderr, "renamed_policy: finding: %s\n", itsm_policy_finding(p, i));
        return 1;
    }
    size_t len = 0;
    itsm_policy_to_json(p, NULL, 0, &len);
    char *doc = malloc(len + 1);
    if (!doc || itsm_policy_to_json(p, doc, len + 1, &len))
        return 1;
    FILE *f = fopen(argv[2], "wb");
    if (!f || fwrite(doc, 1, len, f) != len || fclose(f)) {
        fprintf(stderr, "renamed_policy: cannot write %s\n", argv[2]);
        return 1;
    }
    free(doc);
    itsm_policy_free(p);
    itsm_policy_free(def);
    return 0;
}
