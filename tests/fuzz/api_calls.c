/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz_api's calls (fuzz_api.h): one decoded call, made on one engine
 * through the public API only. A few calls check what they get back on
 * the way (a query's figures, an out-parameter set exactly on success).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <itsm.h>

#include "fuzz_api.h"

static itsm_record *rec_at(side *s, unsigned pick)
{
    size_t n = itsm_engine_record_count(s->eng);
    if (!n || pick == 255)
        return NULL;
    itsm_record *r = NULL;
    CHECK(itsm_engine_record_at(&r, s->eng, pick % n) == ITSM_OK);
    return r;
}

static int do_packet(side *s, const call *c)
{
    unsigned slot = c->ra % NPK;
    itsm_packet *p = s->pk[slot];
    switch (c->sub % 12) {
    case 0: {
        itsm_record *r = rec_at(s, c->rb);
        itsm_packet *np = (itsm_packet *)&np;
        int rc = itsm_packet_new(&np, r, (itsm_packet_kind)(c->kind % 7));
        CHECK(rc == ITSM_OK ? np != NULL : np == NULL);
        if (rc == ITSM_OK) {
            itsm_packet_free(s->pk[slot]);
            s->pk[slot] = np;
        }
        return rc;
    }
    case 1: return itsm_packet_set_text(p, (itsm_packet_text)(c->kind % (ITSM_PT__COUNT + 1)), c->s2);
    case 2: {
        itsm_packet_entry e = { sizeof(itsm_packet_entry), c->s2, c->s1, c->t1 };
        return itsm_packet_add(p, (itsm_packet_list)(c->kind % (ITSM_PL__COUNT + 1)), &e);
    }
    case 3: return itsm_packet_add_deliverable(p, c->s1, c->s3, c->groups[0], (int)(c->num & 1));
    case 4: return itsm_packet_set_deliverable_status(p, c->s1, (itsm_deliverable_status)(c->kind % 6), c->s3);
    case 5: case 6: return itsm_packet_propose(p, s->eng);
    case 7: return itsm_packet_acknowledge(p, s->eng, c->s1);
    case 8: return itsm_packet_reject(p, s->eng, c->s1, c->s2);
    case 9: {
        /* the engine's own copy answers */
        size_t n = itsm_engine_handover_count(s->eng);
        itsm_packet *mine = NULL;
        if (n)
            CHECK(itsm_engine_handover_at(&mine, s->eng, c->rb % n) == ITSM_OK);
        return c->kind & 1 ? itsm_packet_reject(mine, s->eng, c->s1, c->s2)
                           : itsm_packet_acknowledge(mine, s->eng, c->s1);
    }
    case 10: return itsm_packet_set_next_update(p, c->t1);
    default:
        if (c->kind & 1)
            return itsm_packet_set_contact_verified(p, (int)(c->num & 3));
        itsm_packet_free(s->pk[slot]);
        s->pk[slot] = NULL;
        return ITSM_OK;
    }
}

static int do_query(side *s, const call *c)
{
    itsm_record *r = rec_at(s, c->ra);
    switch (c->sub % 12) {
    case 7: {
        itsm_schedule_query q = ITSM_SCHEDULE_QUERY_INIT;
        q.from = c->kind & 1 ? c->t1 : q.from;
        q.to = c->kind & 2 ? c->t2 : q.to;
        q.service = c->kind & 4 ? c->s1 : NULL;
        q.ci = c->kind & 8 ? c->s3 : NULL;
        q.planned = (c->kind >> 4) & 1;
        itsm_schedule_entry e[4] = { { .size = sizeof(itsm_schedule_entry) } };
        size_t n = 0;
        int rc = itsm_change_schedule(e, 4, &n, s->eng, &q);
        if (rc == ITSM_OK)
            for (size_t i = 0; i < n && i < 4; i++)
                CHECK(e[i].rec != NULL && e[i].start < e[i].end);
        return rc;
    }
    case 8: {
        itsm_collision col[4] = { { .size = sizeof(itsm_collision) } };
        size_t n = 0;
        return itsm_change_collisions(col, 4, &n, r);
    }
    case 9: {
        itsm_agreement_report ar = { .size = sizeof ar };
        int rc = itsm_engine_agreement_report(&ar, s->eng, c->kind & 1 ? "contract" : c->s1);
        if (rc == ITSM_OK)
            CHECK(ar.met + ar.breached + ar.open + ar.cancelled >= ar.applied);
        return rc;
    }
    case 10: {
        /* A report over a filter and a group-by field; its figures and texts. */
        static const char *const filters[] = { "priority <= 2", "state != 'closed' and not major",
                                               "service == 'payroll'", "priority <=", NULL };
        static const char *const by[] = { "service", "impact", "assignment_group", "colour", NULL };
        itsm_report_opts o = ITSM_REPORT_OPTS_INIT;
        o.filter = filters[c->kind % 5];
        o.group_by = by[(c->kind / 5) % 5];
        itsm_report *rep = NULL;
        int rc = itsm_report_new(&rep, s->eng, &o);
        if (rc == ITSM_OK) {
            for (size_t i = 0; i < itsm_report_group_count(rep); i++) {
                itsm_report_group g = { .size = sizeof g };
                CHECK(itsm_report_group_at(rep, i, &g) == ITSM_OK && g.count > 0);
            }
            for (size_t i = 0; i < itsm_report_survey_count(rep); i++) {
                itsm_report_survey sv = { .size = sizeof sv };
                CHECK(itsm_report_survey_at(rep, i, &sv) == ITSM_OK && sv.answered <= sv.sent);
            }
            itsm_report_proposals pp = { .size = sizeof pp };
            CHECK(itsm_report_proposals_of(&pp, rep) == ITSM_OK);
            CHECK(pp.pending + pp.accepted + pp.dismissed == pp.proposed);
            size_t len = 0;
            CHECK(itsm_report_to_json(rep, NULL, 0, &len) == ITSM_ELIMIT);
            CHECK(itsm_report_to_csv(rep, NULL, 0, &len) == ITSM_ELIMIT);
        }
        itsm_report_free(rep);
        return rc;
    }
    case 11: {
        /* Every proposal names its incidents, and each of them names it back. */
        for (size_t i = 0; i < itsm_engine_problem_proposal_count(s->eng); i++) {
            itsm_problem_proposal pp = { .size = sizeof pp };
            CHECK(itsm_engine_problem_proposal_at(&pp, s->eng, i) == ITSM_OK);
            for (size_t k = 0; k < pp.incidents; k++) {
                const char *id = itsm_engine_problem_proposal_incident(s->eng, i, k);
                itsm_record *inc = NULL;
                size_t ix = 0;
                CHECK(id && itsm_record_find(&inc, s->eng, id) == ITSM_OK);
                CHECK(itsm_record_problem_proposal(&ix, inc) == ITSM_OK && ix == i);
            }
        }
        return ITSM_OK;
    }
    case 6: {
        /* The audit document (every record's chain head): measured, then
         * written; the record's own head is in it. */
        size_t len = 0;
        int rc = itsm_engine_audit_to_json(s->eng, NULL, 0, &len);
        if (rc != ITSM_ELIMIT)
            return rc;
        char *doc = malloc(len + 1);
        size_t len2 = 0;
        rc = itsm_engine_audit_to_json(s->eng, doc, len + 1, &len2);
        char hex[65];
        if (rc == ITSM_OK) {
            CHECK(len2 == len && strlen(doc) == len);
            if (r && itsm_record_chain_head(r, hex) == ITSM_OK)
                CHECK(strstr(doc, hex) != NULL);
        }
        free(doc);
        return rc;
    }
    case 0: {
        itsm_aging_entry out[8] = { { .size = sizeof(itsm_aging_entry) } };
        size_t n = 0;
        int rc = itsm_engine_aging(out, 8, &n, s->eng, (itsm_aging_order)(c->kind % 4), c->t1);
        if (rc == ITSM_OK)
            CHECK(n <= 8);
        return rc;
    }
    case 1: {
        itsm_report_opts o = ITSM_REPORT_OPTS_INIT;
        if (c->kind & 1)
            o.to = c->t1;
        itsm_report *rep = NULL;
        int rc = itsm_report_new(&rep, s->eng, &o);
        itsm_report_free(rep);
        return rc;
    }
    case 2: {
        itsm_match m[4] = { { .size = sizeof(itsm_match) } };
        size_t n = 0;
        return itsm_diagnose(m, 4, &n, r);
    }
    case 3: {
        itsm_decision d = { .size = sizeof d };
        itsm_decision_opts o = ITSM_DECISION_OPTS_INIT;
        o.cause_known = (int)(c->kind % 3) - 1;
        o.root_cause_needed = (int)((c->kind >> 2) % 3) - 1;
        o.fix_needs_change = (int)((c->kind >> 4) % 3) - 1;
        return itsm_problem_decide(&d, r, &o);
    }
    case 4: {
        const char *dec = NULL;
        return itsm_knowledge_decide(&dec, r);
    }
    default: {
        itsm_knowledge_query q = ITSM_KNOWLEDGE_QUERY_INIT;
        q.service = c->s1;
        q.category = c->s3;
        q.words = c->s2;
        q.incidents = c->kind & 1;
        itsm_match m[4] = { { .size = sizeof(itsm_match) } };
        size_t n = 0;
        return itsm_knowledge_search(m, 4, &n, s->eng, &q);
    }
    }
}

int api_do_call(side *s, const call *c, size_t *fired)
{
    itsm_record *a = rec_at(s, c->ra), *b = rec_at(s, c->rb);
    switch (c->op) {
    case OP_OPEN: {
        itsm_record_opts o = ITSM_RECORD_OPTS_INIT;
        o.kind = (itsm_kind)c->kind;
        o.id = c->id;
        o.fields = c->ch;
        o.nfields = c->nch;
        itsm_record *out = (itsm_record *)&out;
        int rc = itsm_record_open(&out, s->eng, &o);
        CHECK(rc == ITSM_OK ? out != NULL : 1);
        return rc;
    }
    case OP_UPDATE: return itsm_record_update(a, c->ch, c->nch);
    case OP_FIRE: case OP_FIRE2: return itsm_record_fire(a, c->s1, c->ch, c->nch);
    case OP_NOTE: {
        itsm_note_opts o = ITSM_NOTE_OPTS_INIT;
        o.kind = (itsm_note_kind)c->kind;
        o.text = c->s1;
        o.expected_restoration = c->t1;
        o.next_update = c->t2;
        return itsm_record_add_note(a, &o);
    }
    case OP_LINK: return itsm_record_link(a, (itsm_link_kind)c->kind, b);
    case OP_TICK: return itsm_engine_tick(s->eng, g_now + c->num, fired);
    case OP_ESCALATE:
        if (c->sub & 1)
            return itsm_record_escalate_hierarchical(a, c->s2);
        return itsm_record_escalate(a, (int)(c->kind % 5) - 1, c->sub & 2 ? c->s1 : NULL, c->s2);
    case OP_MAJOR:
        if (c->sub >= 200)   /* the post-incident review (itsm/review.h) */
            switch (c->sub % 6) {
            case 0: return itsm_review_open(a);
            case 1: return itsm_review_add_cause(a, c->s2);
            case 2: return itsm_review_add_action(a, c->s1, c->s2, c->kind & 1 ? c->s3 : NULL, c->t1);
            case 3: return itsm_review_assign_action(a, c->s1, c->s3);
            case 4: return itsm_review_action_done(a, c->s1, c->s2);
            default: return itsm_review_complete(a);
            }
        switch (c->sub % 6) {
        case 0: return itsm_major_propose(a, c->s2);
        case 1: return itsm_major_decide(a, c->kind & 1, c->s1);
        case 2: return itsm_major_communication_issued(a);
        case 3: return itsm_major_engage_groups(a, c->groups, c->ngroups);
        default: return itsm_major_attach(a, b);
        }
    case OP_OUTAGE:
        return c->sub & 1 ? itsm_outage_end(a) : itsm_outage_declare(a, c->t1, c->t2);
    case OP_PROBLEM: {
        itsm_problem_open_opts o = ITSM_PROBLEM_OPEN_OPTS_INIT;
        o.fields = c->ch;
        o.nfields = c->nch;
        itsm_record *out = NULL;
        switch (c->sub % 3) {
        case 0: return itsm_problem_open_from_incident(&out, a, &o);
        case 1: return itsm_change_open_from_problem(&out, a, &o);
        default: return itsm_problem_close(a, c->s1, c->s2);
        }
    }
    case OP_PACKET: return do_packet(s, c);
    case OP_SLA: return itsm_record_set_sla(a, c->sub & 1 ? NULL : c->s1);
    case OP_ACTOR: return itsm_engine_set_actor(s->eng, c->sub % 4 == 0 ? NULL : c->s1);
    case OP_SET: {
        itsm_field f = (itsm_field)(c->kind % (ITSM_F__COUNT + 1));
        return c->sub & 1 ? itsm_record_set_int(a, f, c->sub & 2 ? c->t1 : c->num)
                          : itsm_record_set_str(a, f, c->sub & 2 ? c->s2 : c->s1);
    }
    case OP_QUERY: return do_query(s, c);
    case OP_REQUEST:
        switch (c->sub % 3) {
        case 0: return itsm_request_choose_item(a, c->s1);
        case 1: return itsm_request_task_assign(a, c->s1, c->s3);
        default: return itsm_request_task_close(a, c->s1, (itsm_task_state)(c->kind % 5), c->sub & 4 ? c->s2 : NULL);
        }
    case OP_APPROVAL: {
        static const char *const people[] = { "carl", "mia", "ann", "bob" };
        const char *level = c->kind & 1 ? c->s3 : NULL;
        const char *by = c->kind & 2 ? c->s1 : people[(c->kind >> 2) % 4];
        switch (c->sub % 3) {
        case 0: return itsm_record_approve(a, level, by, c->sub & 4 ? c->s2 : NULL);
        case 1: return itsm_record_reject_approval(a, level, by, c->sub & 4 ? c->s2 : NULL);
        default: return itsm_record_delegate_approval(a, level, by, c->s3, c->sub & 4 ? c->s2 : NULL);
        }
    }
    case OP_RISK: return itsm_record_answer_risk(a, c->s1, c->s3);
    case OP_PLAN: return itsm_change_plan(a, c->t1, c->t2);
    case OP_PROPOSAL: {
        if (c->sub & 1)
            return itsm_problem_proposal_dismiss(a, c->s2);
        itsm_problem_open_opts o = ITSM_PROBLEM_OPEN_OPTS_INIT;
        o.id = c->sub & 2 ? c->s3 : NULL;
        o.fields = c->ch;
        o.nfields = c->nch;
        itsm_record *out = NULL;
        return itsm_problem_proposal_accept(&out, a, c->sub & 4 ? &o : NULL);
    }
    case OP_SURVEY: return itsm_record_survey_answer(a, c->sub & 1 ? (int)(c->kind % 8) - 1 : (int)c->num, c->s2);
    case OP_ADOPT: return itsm_engine_adopt_policy(s->eng, version_policy(c->sub % 3));
    case OP_ONCALL:
        switch (c->sub % 3) {
        case 0: return itsm_oncall_page(a, c->sub & 4 ? c->s1 : "desk");
        case 1: return itsm_oncall_acknowledge(a, c->s1);
        default: {
            itsm_alert al = ITSM_ALERT_INIT;
            al.dedup_key = c->s3;
            al.group = c->sub & 4 ? c->s1 : NULL;
            al.fields = c->ch;
            al.nfields = c->nch;
            itsm_record *out = NULL;
            itsm_alert_outcome how = (itsm_alert_outcome)0;
            int rc = itsm_alert_ingest(&out, &how, s->eng, &al);
            CHECK(rc == ITSM_OK ? out != NULL && how >= ITSM_ALERT_OPENED && how <= ITSM_ALERT_GROUPED
                                : out == NULL && how == 0);
            return rc;
        }
        }
    default: return ITSM_OK;
    }
}

