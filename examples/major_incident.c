/* SPDX-License-Identifier: Apache-2.0 */
/*
 * major_incident: from service desk calls to a major incident (seed 001,
 * "How to have better Service Desk handovers during Major Incidents";
 * DESIGN.md sections 5 and 9).
 *
 *   1. Calls come in: the service desk records the first one and
 *      prioritises it (impact 1 x urgency 1 = P1); the policy's rule
 *      proposes a major incident on its own.
 *   2. The desk builds a desk_to_major handover packet, prefilled from the
 *      record, scores it (completeness and what is missing) and proposes it.
 *   3. At 09:00 the major incident manager accepts the major incident: the
 *      initial 15 minutes start. The thin handover is acknowledged - never
 *      kicked back - and its gaps go to the quality log.
 *   4. The initial communication (a customer update with actions taken,
 *      expected restoration and next update) goes out in time; the
 *      technical resolving groups are engaged late: the tick at 09:15:00
 *      fires nothing, the tick at 09:15:01 fires the missed deadline.
 *   5. Related incidents attach as children; resolving the parent resolves
 *      them with its resolution.
 *   6. The problem-review verdict, and the handover exception report by
 *      sending group, for the work on the handover after the incident.
 *
 * Memory-only engine (no store), virtual clock. The key facts are checked
 * in code, so the example is also a test: it exits 0 only when the story
 * ran as told.
 *
 *   cc major_incident.c $(pkg-config --cflags --libs itsm) -o major_incident
 */
#include <itsm.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the virtual clock ------------------------------------------------- */

#define T0900 ((itsm_time)1772442000) /* 2026-03-02T09:00:00Z, a Monday */
#define AT(h, m, s) (T0900 + ((itsm_time)(h) - 9) * 3600 + (itsm_time)(m) * 60 + (itsm_time)(s))

static itsm_time clock_now = AT(8, 47, 0);
static itsm_time read_clock(void *user) { (void)user; return clock_now; }

/* "09:15:01" for a time on the story's day (UTC). */
static const char *hms(itsm_time t, char buf[16])
{
    if (t == ITSM_TIME_NONE) {
        snprintf(buf, 16, "--:--:--");
        return buf;
    }
    long long s = (long long)(t % 86400);
    snprintf(buf, 16, "%02lld:%02lld:%02lld", s / 3600, s / 60 % 60, s % 60);
    return buf;
}

/* ---- failing loudly ---------------------------------------------------- */

/* An unexpected failure: say which call, with the engine's message. */
static void check(itsm_engine *eng, int rc, const char *what)
{
    if (rc != ITSM_OK) {
        fprintf(stderr, "%s failed: %s (%s)\n", what, itsm_errname(rc), itsm_errmsg(eng));
        exit(1);
    }
}

/* The same for a call on a packet: its own message, and the engine's. */
static void check_pkt(itsm_engine *eng, const itsm_packet *pkt, int rc, const char *what)
{
    if (rc != ITSM_OK) {
        fprintf(stderr, "%s failed: %s (%s%s%s)\n", what, itsm_errname(rc), itsm_packet_errmsg(pkt),
                *itsm_packet_errmsg(pkt) && *itsm_errmsg(eng) ? "; " : "", itsm_errmsg(eng));
        exit(1);
    }
}

/* A fact of the story that must hold (not assert(): Release builds keep it). */
#define EXPECT(cond)                                                                   \
    do {                                                                               \
        if (!(cond)) {                                                                 \
            fprintf(stderr, "%s:%d: expected %s\n", __FILE__, __LINE__, #cond);        \
            exit(1);                                                                   \
        }                                                                              \
    } while (0)

/* ---- the event sink: what a host turns into chat or e-mail ------------- */

static struct {
    size_t    events;           /* every event the sink saw */
    size_t    proposed;         /* major_proposed */
    size_t    missed;           /* major_deadline_missed */
    itsm_time missed_at;        /* the time of the last one */
    int       missed_groups;    /* the last one was the groups deadline */
} seen;

static void notify(void *user, const itsm_event *const *events, size_t n)
{
    (void)user;
    for (size_t i = 0; i < n; i++) {
        const itsm_event *ev = events[i];
        const char *type = itsm_event_type(ev);
        char t[16];
        seen.events++;
        printf("      > event %s %-10s %s", hms(itsm_event_time(ev), t), itsm_event_record_id(ev), type);
        if (strcmp(type, "transition") == 0)
            printf(" %s (%s -> %s)", itsm_event_name(ev), itsm_event_from_state(ev),
                   itsm_event_to_state(ev));
        if (itsm_event_actor(ev))
            printf(" by %s", itsm_event_actor(ev));
        printf("\n");

        if (strcmp(type, "major_proposed") == 0)
            seen.proposed++;
        if (strcmp(type, "major_deadline_missed") == 0) {
            /* The event's JSON says which deadline: show it in full. */
            char json[1024];
            size_t len;
            if (itsm_event_to_json(ev, json, sizeof json, &len) == ITSM_OK) {
                printf("        %s\n", json);
                seen.missed_groups = strstr(json, "\"deadline\":\"groups\"") != NULL;
            }
            seen.missed++;
            seen.missed_at = itsm_event_time(ev);
        }
    }
}

/* ---- small helpers ------------------------------------------------------ */

static void step(const char *text)
{
    char t[16];
    printf("\n%s  %s\n", hms(clock_now, t), text);
}

static void set_actor(itsm_engine *eng, const char *actor)
{
    check(eng, itsm_engine_set_actor(eng, actor), "set actor");
}

static void show_deadlines(const itsm_record *inc)
{
    static const char *const names[2] = { "communication", "groups" };
    for (int which = 0; which < 2; which++) {
        itsm_time due;
        int done, missed;
        char t[16];
        check(itsm_record_engine(inc), itsm_record_major_deadline(&due, &done, &missed, inc, which),
              "major deadline");
        printf("    %-13s due %s: %s\n", names[which], hms(due, t),
               done ? (missed ? "done, late" : "done") : (missed ? "MISSED" : "pending"));
    }
}

static const char *phase_name(itsm_major_phase p)
{
    switch (p) {
    case ITSM_PHASE_INITIAL: return "initial 15 minutes";
    case ITSM_PHASE_POST: return "post 15 minutes";
    case ITSM_PHASE_RESOLUTION: return "resolution and closure";
    default: return "none";
    }
}

/* Another caller on the same outage: a small incident, taken by the desk. */
static itsm_record *open_related(itsm_engine *eng, const char *caller, const char *summary)
{
    itsm_change fields[] = {
        { ITSM_F_SUMMARY, summary, 0 },
        { ITSM_F_CALLER, caller, 0 },
        { ITSM_F_CONTACT_VERIFIED, NULL, 1 },
        { ITSM_F_SERVICE, "payroll", 0 },
        { ITSM_F_CATEGORY, "application", 0 },
        { ITSM_F_IMPACT, NULL, 3 },
        { ITSM_F_URGENCY, NULL, 2 },
    };
    itsm_record_opts ro = ITSM_RECORD_OPTS_INIT;
    ro.fields = fields;
    ro.nfields = sizeof fields / sizeof fields[0];
    itsm_record *rec;
    check(eng, itsm_record_open(&rec, eng, &ro), "open related incident");
    itsm_change take[] = {
        { ITSM_F_ASSIGNMENT_GROUP, "service_desk", 0 },
        { ITSM_F_ASSIGNEE, "desk_tom", 0 },
    };
    check(eng, itsm_record_fire(rec, "start", take, 2), "start related incident");
    return rec;
}

int main(void)
{
    itsm_engine_opts opts = ITSM_ENGINE_OPTS_INIT; /* default policy: P1 proposes a major
                                                       incident; 15 minutes per deadline */
    opts.clock = read_clock;
    opts.sink = notify;
    itsm_engine *eng;
    int rc = itsm_engine_new(&eng, &opts);
    if (rc != ITSM_OK) {
        fprintf(stderr, "engine: %s\n", itsm_errstr(rc));
        return 1;
    }
    printf("itsm %s - service desk to major incident (seed 001), 2026-03-02 UTC\n",
           itsm_version_string());
    char t[16], t2[16];

    /* 1. Calls come in -------------------------------------------------- */
    /* Busy phones: the desk does not verify the caller's contact details. */
    set_actor(eng, "desk_ann");
    step("call 1: j.smith, Finance - the payroll portal answers HTTP 503; the desk records it");
    itsm_change call[] = {
        { ITSM_F_SUMMARY, "Payroll portal down for all users", 0 },
        { ITSM_F_DESCRIPTION, "The payroll portal returns HTTP 503 since about 08:40; "
                              "colleagues in Finance see the same", 0 },
        { ITSM_F_CALLER, "j.smith", 0 },
        { ITSM_F_SERVICE, "payroll", 0 },
        { ITSM_F_CI, "payroll-web-01", 0 },
        { ITSM_F_CATEGORY, "application", 0 },
        { ITSM_F_SUBCATEGORY, "availability", 0 },
    };
    itsm_record_opts ro = ITSM_RECORD_OPTS_INIT;
    ro.fields = call;
    ro.nfields = sizeof call / sizeof call[0];
    itsm_record *inc;
    check(eng, itsm_record_open(&inc, eng, &ro), "open");
    const char *major_id = itsm_record_id(inc);
    printf("    %s opened (%s); no priority yet, no major incident: %d\n", major_id,
           itsm_record_state(inc), (int)itsm_record_major_state(inc));
    EXPECT(itsm_record_major_state(inc) == ITSM_MAJOR_NONE);

    clock_now = AT(8, 49, 0);
    step("calls 2 and 3 say the same: all of Finance, payroll run due 17:00 - the desk prioritises");
    itsm_change prio[] = { { ITSM_F_IMPACT, NULL, 1 }, { ITSM_F_URGENCY, NULL, 1 } };
    check(eng, itsm_record_update(inc, prio, 2), "prioritise");
    printf("    impact 1 x urgency 1 -> P%lld, SLA %s, updates %s; major incident %s\n",
           (long long)itsm_record_int(inc, ITSM_F_PRIORITY),
           itsm_record_sla(inc) ? itsm_record_sla(inc) : "(none)",
           itsm_record_audience(inc) == ITSM_AUDIENCE_BROADCAST ? "broadcast to the service"
                                                                : "to the callers",
           itsm_record_major_state(inc) == ITSM_MAJOR_PROPOSED ? "proposed by the rule" : "NOT proposed");
    EXPECT(itsm_record_int(inc, ITSM_F_PRIORITY) == 1);
    EXPECT(itsm_record_major_state(inc) == ITSM_MAJOR_PROPOSED);
    EXPECT(seen.proposed == 1);

    /* 2. The desk's handover -------------------------------------------- */
    clock_now = AT(8, 52, 0);
    step("the desk takes it and notes what it did");
    itsm_change desk = { ITSM_F_ASSIGNMENT_GROUP, "service_desk", 0 };
    check(eng, itsm_record_fire(inc, "assign", &desk, 1), "assign");
    itsm_note_opts work = ITSM_NOTE_OPTS_INIT;
    work.text = "Reproduced the 503 from two desks; status page green; no change scheduled today";
    check(eng, itsm_record_add_note(inc, &work), "work note");

    clock_now = AT(8, 56, 0);
    step("the desk builds the desk_to_major handover packet (prefilled from the record)");
    itsm_packet *pkt;
    check(eng, itsm_packet_new(&pkt, inc, ITSM_PACKET_DESK_TO_MAJOR), "packet");
    check_pkt(eng, pkt, itsm_packet_set_text(pkt, ITSM_PT_RECEIVER, "mim_maria"), "packet receiver");
    check_pkt(eng, pkt, itsm_packet_set_text(pkt, ITSM_PT_RECEIVER_GROUP, "major_incident_team"),
          "packet receiver group");
    check_pkt(eng, pkt, itsm_packet_set_text(pkt, ITSM_PT_EXTENT_IS,
                                    "all Finance users (about 120); payroll run due 17:00"),
          "packet extent");
    itsm_packet_entry guess = { sizeof(itsm_packet_entry), "load balancer pool or the payroll web tier", NULL, ITSM_TIME_NONE };
    check_pkt(eng, pkt, itsm_packet_add(pkt, ITSM_PL_HYPOTHESES, &guess), "packet hypothesis");
    /* The desk cannot tell which technical resolving groups to engage: the
     * only group the record has is its own, which is not one of them. */
    check_pkt(eng, pkt, itsm_packet_clear(pkt, ITSM_PL_ENGAGED_GROUPS), "packet groups");
    printf("    object  : %s\n    where   : %s\n    when    : %s\n    extent  : %s\n"
           "    sender  : %s (%s) -> %s (%s)\n",
           itsm_packet_text_of(pkt, ITSM_PT_OBJECT), itsm_packet_text_of(pkt, ITSM_PT_WHERE_IS),
           itsm_packet_text_of(pkt, ITSM_PT_WHEN_IS), itsm_packet_text_of(pkt, ITSM_PT_EXTENT_IS),
           itsm_packet_text_of(pkt, ITSM_PT_SENDER), itsm_packet_text_of(pkt, ITSM_PT_SENDER_GROUP),
           itsm_packet_text_of(pkt, ITSM_PT_RECEIVER), itsm_packet_text_of(pkt, ITSM_PT_RECEIVER_GROUP));
    printf("    actions : %zu, hypotheses: %zu, engaged groups: %zu, contact verified: %s\n",
           itsm_packet_count(pkt, ITSM_PL_ACTIONS), itsm_packet_count(pkt, ITSM_PL_HYPOTHESES),
           itsm_packet_count(pkt, ITSM_PL_ENGAGED_GROUPS),
           itsm_packet_contact_verified(pkt) ? "yes" : "no");
    int score;
    char missing[ITSM_HANDOVER_ITEMS_MAX];
    check_pkt(eng, pkt,
              itsm_packet_completeness(&score, pkt, itsm_engine_policy(eng), missing, sizeof missing),
              "completeness");
    printf("    completeness %d%%, missing: %s\n", score, missing);
    EXPECT(score < 100);
    EXPECT(strstr(missing, "engaged_groups") != NULL);
    EXPECT(strstr(missing, "contact_verified") != NULL);

    check_pkt(eng, pkt, itsm_packet_propose(pkt, eng), "propose handover");
    printf("    handover #%u proposed to %s\n", (unsigned)itsm_packet_seq(pkt),
           itsm_packet_text_of(pkt, ITSM_PT_RECEIVER));
    EXPECT(itsm_packet_state_of(pkt) == ITSM_PACKET_PROPOSED);

    /* 3. The major incident manager takes over: the initial 15 minutes --- */
    clock_now = AT(9, 0, 0);
    set_actor(eng, "mim_maria");
    step("the major incident manager accepts: the initial 15 minutes start");
    check(eng, itsm_major_decide(inc, 1, "mim_maria"), "accept major incident");
    printf("    major incident accepted; phase: %s\n", phase_name(itsm_record_major_phase(inc)));
    show_deadlines(inc);
    EXPECT(itsm_record_major_state(inc) == ITSM_MAJOR_ACCEPTED);
    EXPECT(itsm_record_int(inc, ITSM_F_MAJOR) == 1);

    step("the handover lacks things - the MIM tries to kick it back...");
    rc = itsm_packet_reject(pkt, eng, "mim_maria", "no resolving groups named");
    printf("    refused: %s: %s\n", itsm_errname(rc), itsm_errmsg(eng));
    EXPECT(rc == ITSM_ESTATE);
    EXPECT(itsm_packet_state_of(pkt) == ITSM_PACKET_PROPOSED);

    step("...and runs with it instead: acknowledged, the gaps go to the quality log");
    check_pkt(eng, pkt, itsm_packet_acknowledge(pkt, eng, "mim_maria"), "acknowledge handover");
    printf("    owner %s, group %s (ownership moved on acknowledgement)\n",
           itsm_record_str(inc, ITSM_F_ASSIGNEE), itsm_record_str(inc, ITSM_F_ASSIGNMENT_GROUP));
    EXPECT(itsm_packet_state_of(pkt) == ITSM_PACKET_ACKNOWLEDGED);
    EXPECT(strcmp(itsm_record_str(inc, ITSM_F_ASSIGNEE), "mim_maria") == 0);
    EXPECT(itsm_quality_log_count(eng) == 1);
    itsm_quality_entry q = { .size = sizeof q };
    check(eng, itsm_quality_log_at(eng, 0, &q), "quality log");
    printf("    quality log: %s handover #%u from %s, score %d, missing %s\n", q.record_id,
           (unsigned)q.seq, q.sender_group ? q.sender_group : "(no group)", q.score, q.missing);
    EXPECT(strcmp(q.record_id, major_id) == 0 && q.score == score);
    check(eng, itsm_record_fire(inc, "start", NULL, 0), "start");

    /* 4. Initial communication in time; the groups late ----------------- */
    clock_now = AT(9, 6, 0);
    step("initial communication: a customer update to everyone on payroll");
    itsm_note_opts upd = ITSM_NOTE_OPTS_INIT;
    upd.kind = ITSM_NOTE_CUSTOMER;
    upd.text = "Major incident declared: payroll portal unavailable. The major incident team "
               "is investigating the payroll web tier and its load balancer.";
    upd.expected_restoration = AT(11, 0, 0);
    upd.next_update = AT(9, 36, 0);
    check(eng, itsm_record_add_note(inc, &upd), "initial communication");
    printf("    actions taken, ETA %s, next update %s\n", hms(upd.expected_restoration, t),
           hms(upd.next_update, t2));
    show_deadlines(inc);
    {
        itsm_time due;
        int done, missed;
        check(eng, itsm_record_major_deadline(&due, &done, &missed, inc, 0), "deadline");
        EXPECT(done && !missed && due == AT(9, 15, 0));
    }

    clock_now = AT(9, 15, 0);
    step("tick: the deadlines are due now, not yet missed");
    size_t fired;
    size_t before = seen.events;
    check(eng, itsm_engine_tick(eng, clock_now, &fired), "tick");
    printf("    %zu timer(s) fired\n", fired);
    EXPECT(fired == 0 && seen.missed == 0 && seen.events == before);
    {
        itsm_time due;
        int done, missed;
        check(eng, itsm_record_major_deadline(&due, &done, &missed, inc, 1), "deadline");
        EXPECT(!done && !missed && due == AT(9, 15, 0));
    }

    clock_now = AT(9, 15, 1);
    step("tick: one second later the groups deadline is missed");
    check(eng, itsm_engine_tick(eng, clock_now, &fired), "tick");
    printf("    %zu timer(s) fired\n", fired);
    show_deadlines(inc);
    EXPECT(fired == 1 && seen.missed == 1 && seen.missed_groups);
    EXPECT(seen.missed_at == AT(9, 15, 1));
    {
        itsm_time due;
        int done, missed;
        check(eng, itsm_record_major_deadline(&due, &done, &missed, inc, 1), "deadline");
        EXPECT(!done && missed);
        check(eng, itsm_record_major_deadline(&due, &done, &missed, inc, 0), "deadline");
        EXPECT(done && !missed);
    }

    clock_now = AT(9, 18, 0);
    step("the technical resolving groups are engaged, late");
    static const char *const groups[] = { "web_platform", "database" };
    check(eng, itsm_major_engage_groups(inc, groups, 2), "engage groups");
    printf("    phase: %s\n", phase_name(itsm_record_major_phase(inc)));
    EXPECT(itsm_record_major_phase(inc) == ITSM_PHASE_POST);

    /* 5. Related incidents attach as children --------------------------- */
    set_actor(eng, "desk_tom");
    static const struct { itsm_time at; const char *caller, *summary; } calls[2] = {
        { AT(9, 21, 0), "a.jones", "Cannot open my payslip" },
        { AT(9, 24, 0), "b.khan", "Payroll approvals page times out" },
    };
    itsm_record *children[2];
    for (int i = 0; i < 2; i++) {
        clock_now = calls[i].at;
        step(i == 0 ? "another call on the same outage: it becomes a child of the major incident"
                    : "and another");
        children[i] = open_related(eng, calls[i].caller, calls[i].summary);
        check(eng, itsm_major_attach(inc, children[i]), "attach");
        printf("    %s (P%lld, %s) attached to %s\n", itsm_record_id(children[i]),
               (long long)itsm_record_int(children[i], ITSM_F_PRIORITY),
               itsm_record_state(children[i]), major_id);
    }

    /* Post 15 minutes: updates at the cadence until restored. */
    set_actor(eng, "mim_maria");
    clock_now = AT(9, 35, 0);
    step("update on time: the cause is narrowed down");
    upd.text = "Connection pool exhausted on payroll-web-01; the database team is clearing "
               "stale sessions left by last night's batch.";
    upd.expected_restoration = AT(10, 15, 0);
    upd.next_update = AT(10, 5, 0);
    check(eng, itsm_record_add_note(inc, &upd), "customer update");
    printf("    actions taken, ETA %s, next update %s\n", hms(upd.expected_restoration, t),
           hms(upd.next_update, t2));

    clock_now = AT(10, 2, 0);
    step("tick: nothing else is late");
    before = seen.events;
    check(eng, itsm_engine_tick(eng, clock_now, &fired), "tick");
    printf("    %zu timer(s) fired\n", fired);
    EXPECT(fired == 0 && seen.events == before);

    /* Resolution: the children resolve with the parent. */
    clock_now = AT(10, 3, 0);
    step("service restored: the major incident is resolved");
    itsm_change fix[] = {
        { ITSM_F_RESOLUTION_CODE, "fixed", 0 },
        { ITSM_F_RESOLUTION_NOTES, "Stale batch sessions killed, connection pool recycled; "
                                   "payroll responds normally", 0 },
    };
    check(eng, itsm_record_fire(inc, "resolve", fix, 2), "resolve");
    printf("    %s %s, phase: %s\n", major_id, itsm_record_state(inc),
           phase_name(itsm_record_major_phase(inc)));
    EXPECT(strcmp(itsm_record_state(inc), "resolved") == 0);
    EXPECT(itsm_record_major_phase(inc) == ITSM_PHASE_RESOLUTION);
    for (int i = 0; i < 2; i++) {
        printf("    %s %s with %s: %s\n", itsm_record_id(children[i]), itsm_record_state(children[i]),
               itsm_record_str(children[i], ITSM_F_RESOLUTION_CODE),
               itsm_record_str(children[i], ITSM_F_RESOLUTION_NOTES));
        EXPECT(strcmp(itsm_record_state(children[i]), "resolved") == 0);
        EXPECT(strcmp(itsm_record_str(children[i], ITSM_F_RESOLUTION_CODE), "fixed") == 0);
    }
    printf("    auto-close: %s (a major incident is never closed by the timer)\n",
           itsm_record_auto_close_due(inc) == ITSM_TIME_NONE ? "off" : "ON");
    EXPECT(itsm_record_auto_close_due(inc) == ITSM_TIME_NONE);

    /* 6. After the incident ---------------------------------------------- */
    step("problem review: the verdict, with its reasons");
    itsm_decision_opts dopts = ITSM_DECISION_OPTS_INIT;
    dopts.root_cause_needed = ITSM_ANSWER_YES; /* why did the batch leave sessions open? */
    itsm_decision verdict = { .size = sizeof verdict };
    check(eng, itsm_problem_decide(&verdict, inc, &dopts), "problem decision");
    printf("    verdict: %s\n", itsm_verdict_name(verdict.verdict));
    int major_review = 0;
    for (size_t i = 0; i < verdict.nreasons; i++) {
        printf("      - %s: %s\n", itsm_reason_name(verdict.reasons[i].code), verdict.reasons[i].text);
        major_review |= verdict.reasons[i].code == ITSM_REASON_MAJOR_REVIEW;
    }
    EXPECT(verdict.verdict == ITSM_VERDICT_TO_PROBLEM && verdict.problem_proposed && major_review);
    itsm_record *prb;
    check(eng, itsm_problem_open_from_incident(&prb, inc, NULL), "open problem");
    printf("    %s opened from %s (%s)\n", itsm_record_id(prb), major_id, itsm_record_state(prb));

    step("handover exception report by sending group (for the desk's training, not the live incident)");
    char report[2048];
    size_t len;
    check(eng, itsm_handover_report_to_json(eng, AT(0, 0, 0), AT(23, 59, 59), report, sizeof report, &len),
          "exception report");
    printf("    %s\n", report);
    EXPECT(strstr(report, "\"group\":\"service_desk\"") != NULL);
    EXPECT(strstr(report, "\"poor\":1") != NULL);

    itsm_packet_free(pkt);
    itsm_engine_free(eng);
    printf("\nok: the story ran as told\n");
    return 0;
}
