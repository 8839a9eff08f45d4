/* SPDX-License-Identifier: Apache-2.0 */
#include "scenario.h"

#include <stdlib.h>
#include <string.h>

#define N_(a) (sizeof(a) / sizeof((a)[0]))

static int open_rec(scenario *s, itsm_record **slot, itsm_kind kind, const char *id,
                    const itsm_change *fields, size_t n)
{
    itsm_record_opts o = ITSM_RECORD_OPTS_INIT;
    itsm_record *r = NULL;
    o.kind = kind;
    o.id = id;
    o.fields = fields;
    o.nfields = n;
    int rc = itsm_record_open(&r, s->eng, &o);
    if (rc == ITSM_OK)
        *slot = r;
    return rc;
}

static int note(itsm_record *r, itsm_note_kind kind, const char *text, itsm_time eta, itsm_time next)
{
    itsm_note_opts o = ITSM_NOTE_OPTS_INIT;
    o.kind = kind;
    o.text = text;
    o.expected_restoration = eta;
    o.next_update = next;
    return itsm_record_add_note(r, &o);
}

static int st_actor_alice(scenario *s) { return itsm_engine_set_actor(s->eng, "alice"); }

static int st_open_inc(scenario *s)
{
    const itsm_change f[] = {
        { ITSM_F_SUMMARY, "Mail is down for the whole floor", 0 },
        { ITSM_F_IMPACT, NULL, 2 }, { ITSM_F_URGENCY, NULL, 1 },
        { ITSM_F_CALLER, "c.jones", 0 }, { ITSM_F_SERVICE, "mail", 0 },
        { ITSM_F_CONTACT_VERIFIED, NULL, 1 }, { ITSM_F_FUNCTIONAL_LEVEL, NULL, 1 },
    };
    return open_rec(s, &s->inc, ITSM_KIND_INCIDENT, NULL, f, N_(f));
}

static int st_open_prb(scenario *s)
{
    const itsm_change f[] = { { ITSM_F_SUMMARY, "Recurring mail outages", 0 },
                              { ITSM_F_SERVICE, "mail", 0 } };
    return open_rec(s, &s->prb, ITSM_KIND_PROBLEM, NULL, f, N_(f));
}

static int st_open_chg(scenario *s)
{
    const itsm_change f[] = { { ITSM_F_SUMMARY, "Replace the mail relay", 0 },
                              { ITSM_F_CHANGE_TYPE, "normal", 0 } };
    return open_rec(s, &s->chg, ITSM_KIND_CHANGE, NULL, f, N_(f));
}

static int st_open_req(scenario *s)
{
    const itsm_change f[] = { { ITSM_F_SUMMARY, "New mailbox", 0 }, { ITSM_F_CALLER, "c.jones", 0 },
                              { ITSM_F_SERVICE, "mail", 0 } };
    return open_rec(s, &s->req, ITSM_KIND_SERVICE_REQUEST, NULL, f, N_(f));
}

static int st_open_kb(scenario *s)
{
    const itsm_change f[] = { { ITSM_F_SUMMARY, "Restart the relay", 0 } };
    return open_rec(s, &s->kb, ITSM_KIND_KNOWLEDGE, NULL, f, N_(f));
}

static int st_open_ext(scenario *s)
{
    const itsm_change f[] = { { ITSM_F_SUMMARY, "Cannot send mail", 0 },
                              { ITSM_F_CALLER, "a.smith", 0 } };
    return open_rec(s, &s->ext, ITSM_KIND_INCIDENT, "EXT-42", f, N_(f));
}

static int st_update_inc(scenario *s)
{
    const itsm_change c[] = { { ITSM_F_DESCRIPTION, "Outlook says \"disconnected\".\nSince 08:40.", 0 },
                              { ITSM_F_CI, "relay-01", 0 }, { ITSM_F_CATEGORY, "email", 0 } };
    return itsm_record_update(s->inc, c, N_(c));
}

static int st_assign_inc(scenario *s)
{
    const itsm_change c[] = { { ITSM_F_ASSIGNMENT_GROUP, "service-desk", 0 } };
    return itsm_record_fire(s->inc, "assign", c, N_(c));
}

static int st_work_note(scenario *s)
{
    return note(s->inc, ITSM_NOTE_WORK, "Checked the relay queue: 4,000 messages stuck.",
                ITSM_TIME_NONE, ITSM_TIME_NONE);
}

static int st_actor_bob(scenario *s) { return itsm_engine_set_actor(s->eng, "bob"); }

static int st_reassign_inc(scenario *s)
{
    const itsm_change c[] = { { ITSM_F_ASSIGNMENT_GROUP, "messaging", 0 },
                              { ITSM_F_FUNCTIONAL_LEVEL, NULL, 2 } };
    return itsm_record_update(s->inc, c, N_(c));
}

static int st_start_inc(scenario *s)
{
    const itsm_change c[] = { { ITSM_F_ASSIGNEE, "bob", 0 } };
    return itsm_record_fire(s->inc, "start", c, N_(c));
}

static int st_customer_update(scenario *s)
{
    itsm_time now = s->clock->now;
    return note(s->inc, ITSM_NOTE_CUSTOMER, "We restarted the relay; mail is queued.", now + 7200, now + 1800);
}

static int st_link_inc_prb(scenario *s) { return itsm_record_link(s->inc, ITSM_LINK_RELATED, s->prb); }
static int st_link_ext_child(scenario *s) { return itsm_record_link(s->inc, ITSM_LINK_CHILD, s->ext); }

static int st_hold_inc(scenario *s)
{
    const itsm_change c[] = { { ITSM_F_HOLD_REASON, "awaiting_supplier", 0 } };
    return itsm_record_fire(s->inc, "hold", c, N_(c));
}

static int st_resume_inc(scenario *s) { return itsm_record_fire(s->inc, "resume", NULL, 0); }

static int st_urgency_inc(scenario *s) { return itsm_record_set_int(s->inc, ITSM_F_URGENCY, 2); }

static int st_resolve_inc(scenario *s)
{
    const itsm_change c[] = { { ITSM_F_RESOLUTION_CODE, "workaround", 0 },
                              { ITSM_F_RESOLUTION_NOTES, "Relay restarted; queue drained.", 0 } };
    return itsm_record_fire(s->inc, "resolve", c, N_(c));
}

static int st_reopen_inc(scenario *s) { return itsm_record_fire(s->inc, "reopen", NULL, 0); }

static int st_assess_prb(scenario *s)
{
    const itsm_change c[] = { { ITSM_F_ASSIGNEE, "carol", 0 }, { ITSM_F_CATEGORY, "email", 0 } };
    return itsm_record_fire(s->prb, "assess", c, N_(c));
}

static int st_analyse_prb(scenario *s) { return itsm_record_fire(s->prb, "analyse", NULL, 0); }

static int st_identify_prb(scenario *s)
{
    const itsm_change c[] = { { ITSM_F_CAUSE, "The relay leaks file handles.", 0 },
                              { ITSM_F_WORKAROUND, "Restart the relay nightly.", 0 } };
    return itsm_record_fire(s->prb, "identify", c, N_(c));
}

static int st_link_prb_chg(scenario *s) { return itsm_record_link(s->prb, ITSM_LINK_RELATED, s->chg); }
static int st_request_change(scenario *s) { return itsm_record_fire(s->prb, "request_change", NULL, 0); }
static int st_assess_chg(scenario *s) { return itsm_record_fire(s->chg, "assess", NULL, 0); }

/* The change's risk assessment (low: 0 + 0 + 1 + 1 + 0) and its approval
 * by someone who neither asked for it nor implements it. */
static int st_risk_users(scenario *s) { return itsm_record_answer_risk(s->chg, "users", "few"); }
static int st_risk_backout(scenario *s) { return itsm_record_answer_risk(s->chg, "backout", "tested"); }
static int st_risk_experience(scenario *s) { return itsm_record_answer_risk(s->chg, "experience", "rarely"); }
static int st_risk_outage(scenario *s) { return itsm_record_answer_risk(s->chg, "outage", "in_window"); }
static int st_risk_reach(scenario *s) { return itsm_record_answer_risk(s->chg, "reach", "one"); }
static int st_approve_chg(scenario *s) { return itsm_record_approve(s->chg, NULL, "erin", "Relay swap, low risk."); }

static int st_authorize_chg(scenario *s)
{
    const itsm_change c[] = { { ITSM_F_ASSIGNEE, "dave", 0 } };
    return itsm_record_fire(s->chg, "authorize", c, N_(c));
}

static int st_submit_req(scenario *s) { return itsm_record_fire(s->req, "submit", NULL, 0); }
static int st_submit_kb(scenario *s) { return itsm_record_fire(s->kb, "submit", NULL, 0); }
static int st_link_kb(scenario *s) { return itsm_record_link(s->kb, ITSM_LINK_RELATED, s->prb); }
static int st_clear_desc(scenario *s) { return itsm_record_set_str(s->inc, ITSM_F_DESCRIPTION, NULL); }
static int st_actor_none(scenario *s) { return itsm_engine_set_actor(s->eng, NULL); }
static int st_cancel_ext(scenario *s) { return itsm_record_fire(s->ext, "cancel", NULL, 0); }

static int st_resolve_inc2(scenario *s)
{
    const itsm_change c[] = { { ITSM_F_RESOLUTION_NOTES, "Relay replaced under CHG-000001.", 0 } };
    return itsm_record_fire(s->inc, "resolve", c, N_(c));
}

static int st_confirm_inc(scenario *s)
{
    const itsm_change c[] = { { ITSM_F_KNOWLEDGE_DECISION, "linked", 0 } };
    return itsm_record_fire(s->inc, "confirm", c, N_(c));
}

const scenario_step scenario_steps[] = {
    { "set actor alice", st_actor_alice },
    { "open incident", st_open_inc },
    { "open problem", st_open_prb },
    { "open change", st_open_chg },
    { "open service request", st_open_req },
    { "open knowledge article", st_open_kb },
    { "open incident with a host id", st_open_ext },
    { "update incident fields", st_update_inc },
    { "fire assign", st_assign_inc },
    { "add work note", st_work_note },
    { "set actor bob", st_actor_bob },
    { "reassign incident", st_reassign_inc },
    { "fire start", st_start_inc },
    { "add customer update", st_customer_update },
    { "link incident to problem", st_link_inc_prb },
    { "link child incident", st_link_ext_child },
    { "fire hold", st_hold_inc },
    { "fire resume", st_resume_inc },
    { "set urgency (re-derives priority)", st_urgency_inc },
    { "fire resolve", st_resolve_inc },
    { "fire reopen", st_reopen_inc },
    { "fire problem assess", st_assess_prb },
    { "fire problem analyse", st_analyse_prb },
    { "fire problem identify", st_identify_prb },
    { "link problem to change", st_link_prb_chg },
    { "fire problem request_change", st_request_change },
    { "fire change assess", st_assess_chg },
    { "answer change risk: users", st_risk_users },
    { "answer change risk: backout", st_risk_backout },
    { "answer change risk: experience", st_risk_experience },
    { "answer change risk: outage", st_risk_outage },
    { "answer change risk: reach", st_risk_reach },
    { "approve change", st_approve_chg },
    { "fire change authorize", st_authorize_chg },
    { "fire request submit", st_submit_req },
    { "fire knowledge submit", st_submit_kb },
    { "link knowledge to problem", st_link_kb },
    { "clear incident description", st_clear_desc },
    { "clear actor", st_actor_none },
    { "fire cancel on child", st_cancel_ext },
    { "fire resolve again", st_resolve_inc2 },
    { "fire confirm (closes)", st_confirm_inc },
};
const size_t scenario_nsteps = N_(scenario_steps);

void scenario_init(scenario *s, itsm_engine *eng, vclock *clock)
{
    memset(s, 0, sizeof *s);
    s->eng = eng;
    s->clock = clock;
}

itsm_time scenario_clock(size_t step) { return T0 + 97 * (itsm_time)(step + 1); }

int scenario_run_step(scenario *s, size_t step)
{
    s->clock->now = scenario_clock(step);
    return scenario_steps[step].run(s);
}

int scenario_engine_new(itsm_engine **out, memstore *store, vclock *clock, const itsm_allocator *alloc,
                        const itsm_policy *policy)
{
    itsm_engine_opts o = ITSM_ENGINE_OPTS_INIT;
    if (store) {
        o.store = &memstore_methods;
        o.store_user = store;
    }
    o.clock = vclock_read;
    o.clock_user = clock;
    if (alloc)
        o.alloc = *alloc;
    o.policy = policy;
    return itsm_engine_new(out, &o);
}

char *scenario_reference_dump(void)
{
    vclock clock = { T0 };
    memstore store;
    itsm_engine *eng;
    scenario s;
    memstore_init(&store);
    assert_int_equal(scenario_engine_new(&eng, &store, &clock, NULL, NULL), ITSM_OK);
    scenario_init(&s, eng, &clock);
    for (size_t i = 0; i < scenario_nsteps; i++) {
        int rc = scenario_run_step(&s, i);
        if (rc != ITSM_OK)
            fail_msg("scenario step %zu (%s): %s: %s", i, scenario_steps[i].name, itsm_errname(rc),
                     itsm_errmsg(eng));
    }
    char *d = engine_dump(eng);
    itsm_engine_free(eng);
    memstore_free(&store);
    return d;
}
