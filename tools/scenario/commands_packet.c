/* SPDX-License-Identifier: Apache-2.0 */
/*
 * itsm-scenario: commands for handover packets - building, proposing,
 * acknowledging and rejecting them, and expectations on their
 * completeness, gate and quality (itsm/handover.h).
 */
#include "runner.h"

#include <itsm/handover.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const slot_names[ITSM_PT__COUNT] = {
    "object", "defect", "what_is", "what_is_not", "where_is", "where_is_not", "when_is",
    "when_is_not", "extent_is", "extent_is_not", "status", "sender", "sender_group",
    "receiver", "receiver_group"
};
static const char *const list_names[ITSM_PL__COUNT] = {
    "actions", "communications", "hypotheses", "other_places", "identical_things",
    "engaged_groups", "open_actions"
};
static const char *const packet_state_names[] = { "?", "draft", "proposed", "acknowledged", "rejected" };
static const char *const deliverable_names[] = { "?", "pending", "delivered", "approved", "rejected" };

static itsm_packet *packet_of(runner *r, const char *name)
{
    for (size_t i = 0; i < r->npackets; i++)
        if (!strcmp(r->packets[i].name, name))
            return r->packets[i].pkt;
    run_fail(r, "no packet '%s' (make one with `packet new`)", name);
    return NULL;
}

/* The packet's own message for packet-only calls. */
static int pact(runner *r, itsm_packet *p, int rc)
{
    r->act_rc = rc;
    if (rc) {
        snprintf(r->act_msg, sizeof r->act_msg, "%s", itsm_packet_errmsg(p));
        run_out(r->act_msg);
    }
    return 0;
}

/* packet new NAME KIND RECORD */
static int cmd_packet_new(runner *r, tok *t, size_t n)
{
    if (run_need(r, n, 3, 3, "packet new NAME shift|desk_to_major|to_problem|to_change|to_operations RECORD"))
        return -1;
    for (size_t i = 0; i < r->npackets; i++)
        if (!strcmp(r->packets[i].name, t[0].text))
            return run_fail(r, "packet '%s' exists", t[0].text);
    itsm_packet_kind kind;
    if (itsm_packet_kind_from_name(&kind, t[1].text))
        return run_fail(r, "unknown packet kind '%s'", t[1].text);
    int rc;
    itsm_record *rec = run_find_rec(r, t[2].text, &rc);
    itsm_packet *p = NULL;
    if (rec) {
        rc = itsm_packet_new(&p, rec, kind);
        if (rc)
            return run_act(r, rc);
        struct run_packet *np = realloc(r->packets, (r->npackets + 1) * sizeof *np);
        size_t len = strlen(t[0].text) + 1;
        char *name = malloc(len);
        if (!np || !name) {
            free(name);
            if (np)
                r->packets = np;
            itsm_packet_free(p);
            return run_fail(r, "out of memory");
        }
        memcpy(name, t[0].text, len);
        r->packets = np;
        r->packets[r->npackets].name = name;
        r->packets[r->npackets].pkt = p;
        r->npackets++;
    }
    return run_act(r, rc);
}

/* packet set NAME slot=value... (also next_update=TIME, contact_verified=BOOL) */
static int cmd_packet_set(runner *r, tok *t, size_t n)
{
    if (run_need(r, n, 2, RUN_MAX_TOKENS, "packet set NAME slot=\"text\"..."))
        return -1;
    itsm_packet *p = packet_of(r, t[0].text);
    if (!p)
        return -1;
    for (size_t i = 1; i < n; i++) {
        if (!t[i].key)
            return run_fail(r, "expected slot=value, got '%s'", t[i].text);
        int rc;
        int unset = !t[i].quoted && !strcmp(t[i].text, "none");
        if (!strcmp(t[i].key, "next_update")) {
            itsm_time due = ITSM_TIME_NONE;
            if (!unset && run_parse_time(r, t[i].text, &due, "next_update"))
                return -1;
            rc = itsm_packet_set_next_update(p, due);
        } else if (!strcmp(t[i].key, "contact_verified")) {
            int b;
            if (run_parse_bool(r, t[i].text, &b, "contact_verified"))
                return -1;
            rc = itsm_packet_set_contact_verified(p, b);
        } else {
            int slot = run_name_index(RUN_NAMES(slot_names), t[i].key);
            if (slot < 0)
                return run_fail(r, "unknown packet slot '%s'", t[i].key);
            rc = itsm_packet_set_text(p, (itsm_packet_text)slot, unset ? NULL : t[i].text);
        }
        if (rc)
            return pact(r, p, rc);
    }
    return pact(r, p, ITSM_OK);
}

/* packet add NAME LIST "text" [who=X] [at=TIME] */
static int cmd_packet_add(runner *r, tok *t, size_t n)
{
    if (run_need(r, n, 3, 5, "packet add NAME LIST \"text\" [who=NAME] [at=TIME]"))
        return -1;
    itsm_packet *p = packet_of(r, t[0].text);
    if (!p)
        return -1;
    int list = run_name_index(RUN_NAMES(list_names), t[1].text);
    if (list < 0)
        return run_fail(r, "unknown packet list '%s'", t[1].text);
    itsm_packet_entry e = { sizeof(itsm_packet_entry), t[2].text, NULL, ITSM_TIME_NONE };
    for (size_t i = 3; i < n; i++) {
        if (t[i].key && !strcmp(t[i].key, "who"))
            e.who = t[i].text;
        else if (t[i].key && !strcmp(t[i].key, "at")) {
            if (run_parse_time(r, t[i].text, &e.at, "at"))
                return -1;
        } else
            return run_fail(r, "packet add: expected who= or at=");
    }
    return pact(r, p, itsm_packet_add(p, (itsm_packet_list)list, &e));
}

/* packet deliverable NAME "deliverable" owner=X approver=Y [required=no] */
static int cmd_packet_deliverable(runner *r, tok *t, size_t n)
{
    if (run_need(r, n, 3, 5, "packet deliverable NAME \"deliverable\" owner=X approver=Y [required=yes|no]"))
        return -1;
    itsm_packet *p = packet_of(r, t[0].text);
    if (!p)
        return -1;
    const char *owner = NULL, *approver = NULL;
    int required = 1;
    for (size_t i = 2; i < n; i++) {
        if (t[i].key && !strcmp(t[i].key, "owner"))
            owner = t[i].text;
        else if (t[i].key && !strcmp(t[i].key, "approver"))
            approver = t[i].text;
        else if (t[i].key && !strcmp(t[i].key, "required")) {
            if (run_parse_bool(r, t[i].text, &required, "required"))
                return -1;
        } else
            return run_fail(r, "packet deliverable: expected owner=, approver= or required=");
    }
    return pact(r, p, itsm_packet_add_deliverable(p, t[1].text, owner, approver, required));
}

/* packet status NAME "deliverable" pending|delivered|approved|rejected [by=X] */
static int cmd_packet_status(runner *r, tok *t, size_t n)
{
    if (run_need(r, n, 3, 4, "packet status NAME \"deliverable\" pending|delivered|approved|rejected [by=NAME]"))
        return -1;
    itsm_packet *p = packet_of(r, t[0].text);
    if (!p)
        return -1;
    int st = run_name_index(RUN_NAMES(deliverable_names), t[2].text);
    if (st < 1)
        return run_fail(r, "unknown deliverable status '%s'", t[2].text);
    const char *by = NULL;
    if (n == 4) {
        if (!t[3].key || strcmp(t[3].key, "by"))
            return run_fail(r, "packet status: expected by=NAME");
        by = t[3].text;
    }
    return pact(r, p, itsm_packet_set_deliverable_status(p, t[1].text, (itsm_deliverable_status)st, by));
}

static int cmd_packet_propose(runner *r, tok *t, size_t n)
{
    if (run_need(r, n, 1, 1, "packet propose NAME"))
        return -1;
    itsm_packet *p = packet_of(r, t[0].text);
    return p ? run_act(r, itsm_packet_propose(p, r->eng)) : -1;
}

static int cmd_packet_ack(runner *r, tok *t, size_t n)
{
    if (run_need(r, n, 2, 2, "packet acknowledge NAME BY"))
        return -1;
    itsm_packet *p = packet_of(r, t[0].text);
    return p ? run_act(r, itsm_packet_acknowledge(p, r->eng, t[1].text)) : -1;
}

static int cmd_packet_reject(runner *r, tok *t, size_t n)
{
    if (run_need(r, n, 3, 3, "packet reject NAME BY \"reason\""))
        return -1;
    itsm_packet *p = packet_of(r, t[0].text);
    return p ? run_act(r, itsm_packet_reject(p, r->eng, t[1].text, t[2].text)) : -1;
}

/* expect packet NAME draft|proposed|acknowledged|rejected */
static int cmd_expect_packet(runner *r, tok *t, size_t n)
{
    if (run_need(r, n, 2, 2, "expect packet NAME draft|proposed|acknowledged|rejected"))
        return -1;
    itsm_packet *p = packet_of(r, t[0].text);
    if (!p)
        return -1;
    unsigned s = (unsigned)itsm_packet_state_of(p);
    const char *sn = s < 5 ? packet_state_names[s] : "?";
    if (strcmp(sn, t[1].text))
        return run_fail(r, "packet %s is %s, expected %s", t[0].text, sn, t[1].text);
    return 0;
}

/* expect completeness NAME SCORE ["missing items"] */
static int cmd_expect_completeness(runner *r, tok *t, size_t n)
{
    int64_t want;
    if (run_need(r, n, 2, 3, "expect completeness NAME SCORE [\"missing items\"]") ||
        run_parse_int(r, t[1].text, &want, "score"))
        return -1;
    itsm_packet *p = packet_of(r, t[0].text);
    if (!p)
        return -1;
    int score = 0;
    char missing[1024];
    missing[0] = '\0';
    int rc = itsm_packet_completeness(&score, p, itsm_engine_policy(r->eng), missing, sizeof missing);
    if (rc)
        return run_fail(r, "itsm_packet_completeness: %s", itsm_errname(rc));
    if (score != want)
        return run_fail(r, "packet %s scores %d (missing: %s), expected %lld", t[0].text, score,
                        missing, (long long)want);
    if (n == 3 && strcmp(missing, t[2].text))
        return run_fail(r, "packet %s misses \"%s\", expected \"%s\"", t[0].text, missing, t[2].text);
    return 0;
}

static int cmd_expect_gate(runner *r, tok *t, size_t n)
{
    if (run_need(r, n, 2, 2, "expect gate NAME open|closed"))
        return -1;
    itsm_packet *p = packet_of(r, t[0].text);
    if (!p)
        return -1;
    int open = itsm_packet_gate_open(p);
    if (strcmp(open ? "open" : "closed", t[1].text))
        return run_fail(r, "the transition gate of %s is %s, expected %s", t[0].text,
                        open ? "open" : "closed", t[1].text);
    return 0;
}

static int cmd_expect_quality(runner *r, tok *t, size_t n)
{
    int64_t want;
    if (run_need(r, n, 1, 1, "expect quality N") || run_parse_int(r, t[0].text, &want, "quality"))
        return -1;
    size_t have = itsm_quality_log_count(r->eng);
    if (have != (size_t)want)
        return run_fail(r, "the handover quality log has %zu entries, expected %lld", have, (long long)want);
    return 0;
}

/* The exception report as JSON (malloc'd), or NULL with r->err set. */
void run_packets_free(runner *r)
{
    for (size_t i = 0; i < r->npackets; i++) {
        itsm_packet_free(r->packets[i].pkt);
        free(r->packets[i].name);
    }
    free(r->packets);
    r->packets = NULL;
    r->npackets = 0;
}

const cmd_row run_commands_packet[] = {
    { "packet new",             cmd_packet_new,          1, 0 },
    { "packet set",             cmd_packet_set,          1, 0 },
    { "packet add",             cmd_packet_add,          1, 0 },
    { "packet deliverable",     cmd_packet_deliverable,  1, 0 },
    { "packet status",          cmd_packet_status,       1, 0 },
    { "packet propose",         cmd_packet_propose,      1, 0 },
    { "packet acknowledge",     cmd_packet_ack,          1, 0 },
    { "packet reject",          cmd_packet_reject,       1, 0 },
    { "expect packet",          cmd_expect_packet,       0, 1 },
    { "expect completeness",    cmd_expect_completeness, 0, 1 },
    { "expect gate",            cmd_expect_gate,         0, 1 },
    { "expect quality",         cmd_expect_quality,      0, 1 },
    { NULL, NULL, 0, 0 }
};
