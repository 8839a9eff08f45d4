/* SPDX-License-Identifier: Apache-2.0 */
/* Robustness of the public API (include/itsm/ headers): handover packets and
 * reports. NULL for each pointer argument, out-of-range enums and integers,
 * and for strings an over-long one, invalid UTF-8 and "": a negative code
 * the header documents, a fresh engine message naming the argument, every
 * record (and the policy or packet given) exactly as it was
 * (support/api_check.h). */
#define _GNU_SOURCE 1   /* strcasestr */
#include "api_check.h"

/* A bad call on a packet: its own message must be set (non-empty), the
 * packet unchanged; `eng` when the call also reaches an engine. */
#define BAD_K(pkt, eng, needle, call, ...) do {                                \
        snap s_ = take((eng), NULL, (pkt));                                    \
        int rc_ = (call);                                                      \
        if (rc_ < 0 && !(eng) && (needle) && !strcasestr(itsm_packet_errmsg(pkt), (needle) ? (needle) : "")) \
            failf(__LINE__, "%s: packet message \"%s\" does not mention \"%s\"", #call, \
                  itsm_packet_errmsg(pkt), (needle) ? (needle) : "");          \
        check_bad(__LINE__, #call, rc_, (eng), (eng) ? (needle) : NULL, NULL, (pkt), s_, CODES(__VA_ARGS__)); \
    } while (0)

static int w_packet(const void *o, char *b, size_t c, size_t *l) { return itsm_packet_to_json(o, b, c, l); }

static int w_report(const void *o, char *b, size_t c, size_t *l) { return itsm_report_to_json(o, b, c, l); }

static int w_csv(const void *o, char *b, size_t c, size_t *l) { return itsm_report_to_csv(o, b, c, l); }

static int w_checklist(const void *o, char *b, size_t c, size_t *l)
{
    return itsm_policy_handover_checklist(o, ITSM_PACKET_DESK_TO_MAJOR, b, c, l);
}

/* ---- handover packets ---- */
static void test_handover(void **state)
{
    (void)state;
    world_open();
    itsm_engine *eng = W.f.eng;
    itsm_policy *pol = W.pol;
    itsm_packet *pkt = W.pkt, *ops = W.ops, *p2 = (itsm_packet *)&W;

    BAD_N(itsm_packet_new(NULL, W.inc, ITSM_PACKET_SHIFT), ITSM_EINVAL);
    BAD_N(itsm_packet_new(&p2, NULL, ITSM_PACKET_SHIFT), ITSM_EINVAL);
    EXPECT(p2 == NULL);
    BAD_E(eng, "kind", itsm_packet_new(&p2, W.inc, (itsm_packet_kind)0), ITSM_EINVAL);
    BAD_E(eng, "kind", itsm_packet_new(&p2, W.inc, (itsm_packet_kind)6), ITSM_EINVAL);
    EXPECT(p2 == NULL);
    BAD_N(itsm_packet_clone(NULL, pkt), ITSM_EINVAL);
    BAD_N(itsm_packet_clone(&p2, NULL), ITSM_EINVAL);

    /* getters */
    EXPECT(itsm_packet_kind_of(NULL) == 0);
    EXPECT(itsm_packet_state_of(NULL) == 0);
    EXPECT(itsm_packet_record_id(NULL) == NULL);
    EXPECT(itsm_packet_record_kind(NULL) == 0);
    EXPECT(itsm_packet_created_at(NULL) == ITSM_TIME_NONE);
    EXPECT(itsm_packet_seq(NULL) == 0);
    EXPECT(itsm_packet_errmsg(NULL) != NULL);
    EXPECT(itsm_packet_text_of(NULL, ITSM_PT_OBJECT) == NULL);
    EXPECT(itsm_packet_text_of(pkt, (itsm_packet_text)-1) == NULL);
    EXPECT(itsm_packet_text_of(pkt, ITSM_PT__COUNT) == NULL);
    EXPECT(itsm_packet_next_update(NULL) == ITSM_TIME_NONE);
    EXPECT(itsm_packet_contact_verified(NULL) == 0);
    EXPECT(itsm_packet_count(NULL, ITSM_PL_ACTIONS) == 0);
    EXPECT(itsm_packet_count(pkt, (itsm_packet_list)-1) == 0);
    EXPECT(itsm_packet_count(pkt, ITSM_PL__COUNT) == 0);
    EXPECT(itsm_packet_deliverable_count(NULL) == 0);
    EXPECT(itsm_packet_gate_open(NULL) == 0);
    EXPECT(itsm_packet_decided_by(NULL) == NULL);
    EXPECT(itsm_packet_decided_at(NULL) == ITSM_TIME_NONE);
    EXPECT(itsm_packet_proposed_at(NULL) == ITSM_TIME_NONE);
    EXPECT(itsm_packet_equal(NULL, pkt) == 0);
    EXPECT(itsm_packet_equal(pkt, NULL) == 0);

    /* content */
    BAD_N(itsm_packet_set_text(NULL, ITSM_PT_OBJECT, "x"), ITSM_EINVAL);
    BAD_K(pkt, NULL, "slot", itsm_packet_set_text(pkt, (itsm_packet_text)-1, "x"), ITSM_EINVAL);
    BAD_K(pkt, NULL, "slot", itsm_packet_set_text(pkt, ITSM_PT__COUNT, "x"), ITSM_EINVAL);
    BAD_K(pkt, NULL, "object", itsm_packet_set_text(pkt, ITSM_PT_OBJECT, LONG_STR), ITSM_ELIMIT);
    BAD_K(pkt, NULL, "object", itsm_packet_set_text(pkt, ITSM_PT_OBJECT, BADUTF8), ITSM_EINVAL);
    BAD_N(itsm_packet_set_next_update(NULL, T0), ITSM_EINVAL);
    BAD_K(pkt, NULL, "1970", itsm_packet_set_next_update(pkt, -5), ITSM_EINVAL);
    BAD_K(pkt, NULL, "1970", itsm_packet_set_next_update(pkt, ITSM_TIME_MAX + 1), ITSM_EINVAL);
    BAD_N(itsm_packet_set_contact_verified(NULL, 1), ITSM_EINVAL);
    itsm_packet_entry pe = { sizeof(itsm_packet_entry), "restarted", "ann", T0 };
    BAD_N(itsm_packet_add(NULL, ITSM_PL_ACTIONS, &pe), ITSM_EINVAL);
    BAD_K(pkt, NULL, "list", itsm_packet_add(pkt, (itsm_packet_list)-1, &pe), ITSM_EINVAL);
    BAD_K(pkt, NULL, "list", itsm_packet_add(pkt, ITSM_PL__COUNT, &pe), ITSM_EINVAL);
    BAD_K(pkt, NULL, "entry", itsm_packet_add(pkt, ITSM_PL_ACTIONS, NULL), ITSM_EINVAL);
    {
        struct { itsm_packet_list list; itsm_packet_entry e; const char *needle; int code; } bad[] = {
            { ITSM_PL_ACTIONS, { sizeof(itsm_packet_entry), NULL, "ann", T0 }, "text", ITSM_EINVAL },
            { ITSM_PL_ACTIONS, { sizeof(itsm_packet_entry), EMPTY, "ann", T0 }, "text", ITSM_EINVAL },
            { ITSM_PL_ACTIONS, { sizeof(itsm_packet_entry), BADUTF8, "ann", T0 }, "UTF-8", ITSM_EINVAL },
            { ITSM_PL_ACTIONS, { sizeof(itsm_packet_entry), "x", BADUTF8, T0 }, "UTF-8", ITSM_EINVAL },
            { ITSM_PL_ACTIONS, { sizeof(itsm_packet_entry), "x", "ann", -5 }, "1970", ITSM_EINVAL },
            { ITSM_PL_HYPOTHESES, { sizeof(itsm_packet_entry), "dns", "ann", ITSM_TIME_NONE }, "who", ITSM_EINVAL },
            { ITSM_PL_HYPOTHESES, { sizeof(itsm_packet_entry), "dns", NULL, T0 }, "at", ITSM_EINVAL },
            { ITSM_PL_OPEN_ACTIONS, { sizeof(itsm_packet_entry), "call back", NULL, T0 }, "owner", ITSM_EINVAL },
            { ITSM_PL_ACTIONS, { sizeof(itsm_packet_entry), NULL, NULL, T0 }, "text", ITSM_EINVAL },
        };
        for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
            BAD_K(pkt, NULL, bad[i].needle, itsm_packet_add(pkt, bad[i].list, &bad[i].e), bad[i].code);
        itsm_packet_entry lng = { sizeof(itsm_packet_entry), NULL, NULL, ITSM_TIME_NONE };
        lng.text = LONG_STR;
        BAD_K(pkt, NULL, "text", itsm_packet_add(pkt, ITSM_PL_HYPOTHESES, &lng), ITSM_ELIMIT);
    }
    BAD_N(itsm_packet_clear(NULL, ITSM_PL_ACTIONS), ITSM_EINVAL);
    BAD_K(pkt, NULL, "list", itsm_packet_clear(pkt, (itsm_packet_list)-1), ITSM_EINVAL);
    BAD_K(pkt, NULL, "list", itsm_packet_clear(pkt, ITSM_PL__COUNT), ITSM_EINVAL);
    itsm_packet_entry got = { .size = sizeof got };
    BAD_N(itsm_packet_at(NULL, ITSM_PL_ACTIONS, 0, &got), ITSM_EINVAL);
    BAD_K(pkt, NULL, "list", itsm_packet_at(pkt, ITSM_PL__COUNT, 0, &got), ITSM_EINVAL);
    BAD_K(pkt, NULL, "index", itsm_packet_at(pkt, ITSM_PL_ACTIONS, 999, &got), ITSM_EINVAL);
    BAD_K(pkt, NULL, "out", itsm_packet_at(pkt, ITSM_PL_ACTIONS, 0, NULL), ITSM_EINVAL);

    /* deliverables */
    BAD_N(itsm_packet_add_deliverable(NULL, "x", "ann", "bob", 1), ITSM_EINVAL);
    BAD_K(ops, NULL, "name", itsm_packet_add_deliverable(ops, NULL, "ann", "bob", 1), ITSM_EINVAL);
    BAD_K(ops, NULL, "name", itsm_packet_add_deliverable(ops, EMPTY, "ann", "bob", 1), ITSM_EINVAL);
    BAD_K(ops, NULL, "name", itsm_packet_add_deliverable(ops, LONG_STR, "ann", "bob", 1), ITSM_ELIMIT, ITSM_EINVAL);
    BAD_K(ops, NULL, "name", itsm_packet_add_deliverable(ops, BADUTF8, "ann", "bob", 1), ITSM_EINVAL);
    BAD_K(ops, NULL, "owner", itsm_packet_add_deliverable(ops, "x", NULL, "bob", 1), ITSM_EINVAL);
    BAD_K(ops, NULL, "owner", itsm_packet_add_deliverable(ops, "x", BADUTF8, "bob", 1), ITSM_EINVAL);
    BAD_K(ops, NULL, "approver", itsm_packet_add_deliverable(ops, "x", "ann", NULL, 1), ITSM_EINVAL);
    BAD_K(ops, NULL, "approver", itsm_packet_add_deliverable(ops, "x", "ann", EMPTY, 1), ITSM_EINVAL);
    BAD_K(ops, NULL, "runbook", itsm_packet_add_deliverable(ops, "runbook", "ann", "bob", 1), ITSM_EEXISTS);
    BAD_N(itsm_packet_set_deliverable_status(NULL, "runbook", ITSM_DELIVERABLE_DELIVERED, "ann"), ITSM_EINVAL);
    BAD_K(ops, NULL, "name", itsm_packet_set_deliverable_status(ops, NULL, ITSM_DELIVERABLE_DELIVERED, "ann"),
          ITSM_EINVAL);
    BAD_K(ops, NULL, "nosuch", itsm_packet_set_deliverable_status(ops, "nosuch", ITSM_DELIVERABLE_DELIVERED, "ann"),
          ITSM_ENOTFOUND);
    BAD_K(ops, NULL, "status",
          itsm_packet_set_deliverable_status(ops, "runbook", (itsm_deliverable_status)0, "ann"), ITSM_EINVAL);
    BAD_K(ops, NULL, "status",
          itsm_packet_set_deliverable_status(ops, "runbook", (itsm_deliverable_status)5, "ann"), ITSM_EINVAL);
    BAD_K(ops, NULL, "approver",
          itsm_packet_set_deliverable_status(ops, "runbook", ITSM_DELIVERABLE_APPROVED, "ann"), ITSM_EINVAL);
    BAD_K(ops, NULL, "approver",
          itsm_packet_set_deliverable_status(ops, "runbook", ITSM_DELIVERABLE_APPROVED, NULL), ITSM_EINVAL);
    BAD_K(ops, NULL, "approver",
          itsm_packet_set_deliverable_status(ops, "runbook", ITSM_DELIVERABLE_APPROVED, BADUTF8), ITSM_EINVAL);
    itsm_deliverable dv = { .size = sizeof dv };
    BAD_N(itsm_packet_deliverable_at(NULL, 0, &dv), ITSM_EINVAL);
    BAD_K(ops, NULL, "index", itsm_packet_deliverable_at(ops, 1, &dv), ITSM_EINVAL);
    BAD_K(ops, NULL, "out", itsm_packet_deliverable_at(ops, 0, NULL), ITSM_EINVAL);

    /* checklist and completeness */
    BAD_N(itsm_policy_set_handover_checklist(NULL, ITSM_PACKET_SHIFT, "object"), ITSM_EINVAL);
    BAD_P(pol, "kind", itsm_policy_set_handover_checklist(pol, (itsm_packet_kind)0, "object"), ITSM_EINVAL);
    BAD_P(pol, "items", itsm_policy_set_handover_checklist(pol, ITSM_PACKET_SHIFT, NULL), ITSM_EINVAL);
    BAD_P(pol, "bogus", itsm_policy_set_handover_checklist(pol, ITSM_PACKET_SHIFT, "object bogus"),
          ITSM_ENOTFOUND);
    BAD_P(pol, "item", itsm_policy_set_handover_checklist(pol, ITSM_PACKET_SHIFT, LONG_STR), ITSM_ENOTFOUND,
          ITSM_ELIMIT, ITSM_EINVAL);
    BAD_P(pol, "item", itsm_policy_set_handover_checklist(pol, ITSM_PACKET_SHIFT, BADUTF8), ITSM_ENOTFOUND,
          ITSM_EINVAL);
    size_t len = 0;
    char small[4];
    BAD_N(itsm_policy_handover_checklist(NULL, ITSM_PACKET_SHIFT, small, sizeof small, &len), ITSM_EINVAL);
    BAD_N(itsm_policy_handover_checklist(pol, (itsm_packet_kind)9, small, sizeof small, &len), ITSM_EINVAL);
    BAD_N(itsm_policy_handover_checklist(pol, ITSM_PACKET_SHIFT, NULL, 0, NULL), ITSM_EINVAL);
    BAD_N(itsm_policy_handover_checklist(pol, ITSM_PACKET_SHIFT, NULL, 5, &len), ITSM_EINVAL);
    check_writer(__LINE__, "itsm_policy_handover_checklist", w_checklist, pol);
    int score = -1;
    BAD_N(itsm_packet_completeness(NULL, pkt, pol, NULL, 0), ITSM_EINVAL);
    BAD_N(itsm_packet_completeness(&score, NULL, pol, NULL, 0), ITSM_EINVAL);
    BAD_N(itsm_packet_completeness(&score, pkt, NULL, NULL, 0), ITSM_EINVAL);
    EXPECT(score == -1);
    BAD_N(itsm_packet_completeness(&score, pkt, pol, NULL, 5), ITSM_EINVAL);
    EXPECT(score == -1);

    /* the two-party handover */
    BAD_N(itsm_packet_propose(NULL, eng), ITSM_EINVAL);
    BAD_K(pkt, NULL, NULL, itsm_packet_propose(pkt, NULL), ITSM_EINVAL);
    BAD_K(pkt, W.other, "INC-1", itsm_packet_propose(pkt, W.other), ITSM_ENOTFOUND);
    BAD_N(itsm_packet_acknowledge(NULL, eng, "bob"), ITSM_EINVAL);
    BAD_K(pkt, NULL, NULL, itsm_packet_acknowledge(pkt, NULL, "bob"), ITSM_EINVAL);
    BAD_K(pkt, eng, "propos", itsm_packet_acknowledge(pkt, eng, "bob"), ITSM_ESTATE, ITSM_ENOTFOUND);
    BAD_N(itsm_packet_reject(NULL, eng, "bob", "thin"), ITSM_EINVAL);
    BAD_K(pkt, NULL, NULL, itsm_packet_reject(pkt, NULL, "bob", "thin"), ITSM_EINVAL);
    BAD_K(pkt, eng, "propos", itsm_packet_reject(pkt, eng, "bob", "thin"), ITSM_ESTATE, ITSM_ENOTFOUND);
    /* a proposed packet, then bad decisions on it */
    itsm_packet *pp = NULL;
    assert_ok(itsm_packet_clone(&pp, pkt));
    assert_ok(itsm_packet_set_text(pp, ITSM_PT_RECEIVER, "bob"));
    assert_ok(itsm_packet_propose(pp, eng));
    BAD_K(pp, eng, "proposed", itsm_packet_propose(pp, eng), ITSM_ESTATE);
    BAD_K(pp, eng, "by", itsm_packet_acknowledge(pp, eng, NULL), ITSM_EINVAL);
    BAD_K(pp, eng, "by", itsm_packet_acknowledge(pp, eng, EMPTY), ITSM_EINVAL);
    BAD_K(pp, eng, "by", itsm_packet_acknowledge(pp, eng, LONG_STR), ITSM_EINVAL, ITSM_ELIMIT);
    BAD_K(pp, eng, "by", itsm_packet_acknowledge(pp, eng, BADUTF8), ITSM_EINVAL);
    BAD_K(pp, eng, "'eve' cannot answer", itsm_packet_acknowledge(pp, eng, "eve"), ITSM_EINVAL);
    BAD_K(pp, W.other, NULL, itsm_packet_acknowledge(pp, W.other, "bob"), ITSM_ENOTFOUND);
    BAD_K(pp, eng, "by", itsm_packet_reject(pp, eng, NULL, "thin"), ITSM_EINVAL);
    BAD_K(pp, eng, "'eve' cannot answer", itsm_packet_reject(pp, eng, "eve", "thin"), ITSM_EINVAL);
    BAD_K(pp, eng, "reason", itsm_packet_reject(pp, eng, "bob", NULL), ITSM_EINVAL);
    BAD_K(pp, eng, "reason", itsm_packet_reject(pp, eng, "bob", EMPTY), ITSM_EINVAL);
    BAD_K(pp, eng, "reason", itsm_packet_reject(pp, eng, "bob", " \t\n"), ITSM_EINVAL);   /* blank says nothing */
    BAD_K(pp, eng, "reason", itsm_packet_reject(pp, eng, "bob", LONG_STR), ITSM_ELIMIT);
    BAD_K(pp, eng, "reason", itsm_packet_reject(pp, eng, "bob", BADUTF8), ITSM_EINVAL);
    BAD_K(pp, NULL, "proposed", itsm_packet_set_text(pp, ITSM_PT_OBJECT, "late"), ITSM_ESTATE);
    BAD_K(pp, NULL, "proposed", itsm_packet_add(pp, ITSM_PL_ACTIONS, &pe), ITSM_ESTATE);
    BAD_K(pp, NULL, "proposed", itsm_packet_clear(pp, ITSM_PL_ACTIONS), ITSM_ESTATE);
    BAD_K(pp, NULL, "proposed", itsm_packet_set_next_update(pp, T0 + 60), ITSM_ESTATE);
    BAD_K(pp, NULL, "proposed", itsm_packet_set_contact_verified(pp, 1), ITSM_ESTATE);
    itsm_packet_free(pp);
    BAD_E(eng, "index", itsm_engine_handover_at(&pp, eng, 1), ITSM_EINVAL);

    /* JSON */
    BAD_N(itsm_packet_to_json(NULL, NULL, 0, &len), ITSM_EINVAL);
    BAD_N(itsm_packet_to_json(pkt, NULL, 0, NULL), ITSM_EINVAL);
    BAD_N(itsm_packet_to_json(pkt, NULL, 10, &len), ITSM_EINVAL);
    check_writer(__LINE__, "itsm_packet_to_json", w_packet, pkt);
    check_writer(__LINE__, "itsm_packet_to_json", w_packet, ops);
    itsm_parse_error per;
    const char *docs[] = { "{", "", "\"\xff\"", "[]", "{}", "{\"version\":1,\"version\":1}" };
    for (size_t i = 0; i < sizeof docs / sizeof docs[0]; i++) {
        p2 = (itsm_packet *)&W;
        memset(&per, 0, sizeof per);
        BAD_N(itsm_packet_from_json(&p2, docs[i], strlen(docs[i]), NULL, NULL, &per), ITSM_EPARSE);
        EXPECT(p2 == NULL && per.code == ITSM_EPARSE && per.text[0]);
    }
    BAD_N(itsm_packet_from_json(NULL, "{}", 2, NULL, NULL, &per), ITSM_EINVAL);
    BAD_N(itsm_packet_from_json(&p2, NULL, 2, NULL, NULL, &per), ITSM_EINVAL);
    {
        char deep[300];
        memset(deep, '{', sizeof deep);
        BAD_N(itsm_packet_from_json(&p2, deep, sizeof deep, NULL, NULL, NULL), ITSM_ELIMIT, ITSM_EPARSE);
        itsm_json_limits lim = { 3, 0, 0 };
        BAD_N(itsm_packet_from_json(&p2, "{}      ", 8, NULL, &lim, &per), ITSM_ELIMIT);
        itsm_allocator half = { NULL, NULL, NULL, NULL };
        failalloc fa = { 0, 0, 0, 0 };
        half = failalloc_make(&fa);
        half.malloc_fn = NULL;
        BAD_N(itsm_packet_from_json(&p2, "{}", 2, &half, NULL, &per), ITSM_EINVAL);
    }

    world_close();
    assert_int_equal(failures, 0);
}

/* ---- reports ---- */
static void test_report(void **state)
{
    (void)state;
    world_open();
    itsm_engine *eng = W.f.eng;
    itsm_report *rep = W.rep, *r2 = (itsm_report *)&W;

    itsm_report_opts o = ITSM_REPORT_OPTS_INIT;
    BAD_N(itsm_report_new(NULL, eng, &o), ITSM_EINVAL);
    BAD_N(itsm_report_new(&r2, NULL, &o), ITSM_EINVAL);
    EXPECT(r2 == NULL);
    BAD_E(eng, "options", itsm_report_new(&r2, eng, NULL), ITSM_EINVAL);
    {
        struct { int what; const char *needle; int code; } bad[] = {
            { 0, "version", ITSM_EINVAL }, { 1, "1970", ITSM_EINVAL }, { 2, "1970", ITSM_EINVAL },
            { 3, "from", ITSM_EINVAL }, { 4, "kind", ITSM_EINVAL }, { 5, "kind", ITSM_EINVAL },
            { 6, "nosuch", ITSM_ENOTFOUND }, { 7, "calendar", ITSM_ENOTFOUND }, { 8, "calendar", ITSM_ENOTFOUND },
            { 9, "1970", ITSM_EINVAL },
        };
        for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
            itsm_report_opts b = ITSM_REPORT_OPTS_INIT;
            switch (bad[i].what) {
            case 0: b.version = ITSM_REPORT_OPTS_VERSION + 1; break;
            case 1: b.from = -1; break;
            case 2: b.to = ITSM_TIME_MAX + 1; break;
            case 3: b.from = T0; b.to = T0; break;
            case 4: b.kinds = 1u; break;
            case 5: b.kinds = 1u << 7; break;
            case 6: b.calendar = "nosuch"; break;
            case 7: b.calendar = LONG_STR; break;
            case 8: b.calendar = BADUTF8; break;
            case 9: b.now = -9; break;
            }
            r2 = (itsm_report *)&W;
            BAD_E(eng, bad[i].needle, itsm_report_new(&r2, eng, &b), bad[i].code, ITSM_EINVAL);
            EXPECT(r2 == NULL);
        }
    }

    EXPECT(itsm_report_from(NULL) == ITSM_TIME_NONE);
    EXPECT(itsm_report_to(NULL) == ITSM_TIME_NONE);
    EXPECT(itsm_report_now(NULL) == ITSM_TIME_NONE);
    EXPECT(itsm_report_calendar(NULL) == NULL);
    EXPECT(itsm_report_total(NULL) == 0);
    EXPECT(itsm_report_by_kind(NULL, ITSM_KIND_INCIDENT) == 0);
    EXPECT(itsm_report_by_kind(rep, (itsm_kind)0) == 0);
    EXPECT(itsm_report_by_kind(rep, (itsm_kind)6) == 0);
    EXPECT(itsm_report_by_priority(NULL, 1) == 0);
    EXPECT(itsm_report_by_priority(rep, -1) == 0);
    EXPECT(itsm_report_by_priority(rep, 6) == 0);
    EXPECT(itsm_report_state_count(NULL) == 0);
    EXPECT(itsm_report_category_count(NULL) == 0);
    EXPECT(itsm_report_sender_count(NULL) == 0);
    EXPECT(itsm_report_aging(NULL, 0) == 0);
    EXPECT(itsm_report_aging(rep, ITSM_REPORT_AGING_BUCKETS) == 0);
    EXPECT(itsm_report_trend_count(NULL) == 0);

    itsm_report_row row = { .size = sizeof row };
    itsm_report_stat st = { .size = sizeof st };
    itsm_report_figures fg = { .size = sizeof fg };
    itsm_report_sla_figures sf = { .size = sizeof sf };
    itsm_report_sender sn = { .size = sizeof sn };
    itsm_report_trend tr = { .size = sizeof tr };
    BAD_N(itsm_report_state_at(NULL, 0, &row), ITSM_EINVAL);
    BAD_N(itsm_report_state_at(rep, 0, NULL), ITSM_EINVAL);
    BAD_N(itsm_report_state_at(rep, 999, &row), ITSM_EINVAL);
    BAD_N(itsm_report_category_at(NULL, 0, &row), ITSM_EINVAL);
    BAD_N(itsm_report_category_at(rep, 0, NULL), ITSM_EINVAL);
    BAD_N(itsm_report_category_at(rep, 999, &row), ITSM_EINVAL);
    BAD_N(itsm_report_duration(NULL, rep, ITSM_MEASURE_RESOLVE_WALL), ITSM_EINVAL);
    BAD_N(itsm_report_duration(&st, NULL, ITSM_MEASURE_RESOLVE_WALL), ITSM_EINVAL);
    BAD_N(itsm_report_duration(&st, rep, (itsm_report_measure)-1), ITSM_EINVAL);
    BAD_N(itsm_report_duration(&st, rep, (itsm_report_measure)ITSM_MEASURE_COUNT), ITSM_EINVAL);
    BAD_N(itsm_report_figures_of(NULL, rep), ITSM_EINVAL);
    BAD_N(itsm_report_figures_of(&fg, NULL), ITSM_EINVAL);
    BAD_N(itsm_report_sla(NULL, rep), ITSM_EINVAL);
    BAD_N(itsm_report_sla(&sf, NULL), ITSM_EINVAL);
    BAD_N(itsm_report_sender_at(NULL, 0, &sn), ITSM_EINVAL);
    BAD_N(itsm_report_sender_at(rep, 0, NULL), ITSM_EINVAL);
    BAD_N(itsm_report_sender_at(rep, 999, &sn), ITSM_EINVAL);
    BAD_N(itsm_report_trend_at(NULL, 0, &tr), ITSM_EINVAL);
    BAD_N(itsm_report_trend_at(rep, 0, NULL), ITSM_EINVAL);
    BAD_N(itsm_report_trend_at(rep, 999, &tr), ITSM_EINVAL);

    size_t len = 0;
    BAD_N(itsm_report_to_json(NULL, NULL, 0, &len), ITSM_EINVAL);
    BAD_N(itsm_report_to_json(rep, NULL, 0, NULL), ITSM_EINVAL);
    BAD_N(itsm_report_to_json(rep, NULL, 10, &len), ITSM_EINVAL);
    BAD_N(itsm_report_to_csv(NULL, NULL, 0, &len), ITSM_EINVAL);
    BAD_N(itsm_report_to_csv(rep, NULL, 0, NULL), ITSM_EINVAL);
    BAD_N(itsm_report_to_csv(rep, NULL, 10, &len), ITSM_EINVAL);
    check_writer(__LINE__, "itsm_report_to_json", w_report, rep);
    check_writer(__LINE__, "itsm_report_to_csv", w_csv, rep);

    world_close();
    assert_int_equal(failures, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_handover, reset),
        cmocka_unit_test_setup(test_report, reset),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
