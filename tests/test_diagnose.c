/* SPDX-License-Identifier: Apache-2.0 */
/* Diagnose and knowledge capture (DESIGN section 7): ranked matches from
 * known errors, published articles and past incidents; a match with a
 * workaround is a level-1 fix; a resolution that matched nothing becomes a
 * knowledge candidate. */
#include "pm_helpers.h"

static itsm_record *open_kind(fixture *f, itsm_kind kind, const char *service, const char *category,
                              const char *summary)
{
    itsm_change ch[3] = { { ITSM_F_SUMMARY, summary, 0 }, { ITSM_F_SERVICE, service, 0 },
                          { ITSM_F_CATEGORY, category, 0 } };
    itsm_record_opts o = ITSM_RECORD_OPTS_INIT;
    o.kind = kind;
    o.fields = ch;
    o.nfields = 3;
    itsm_record *r;
    assert_ok(itsm_record_open(&r, f->eng, &o));
    return r;
}

static itsm_record *known_error(fixture *f, const char *service, const char *summary, const char *workaround)
{
    itsm_record *p = open_kind(f, ITSM_KIND_PROBLEM, service, "outage", summary);
    itsm_change a = { ITSM_F_ASSIGNEE, "pat", 0 };
    assert_ok(itsm_record_fire(p, "assess", &a, 1));
    assert_ok(itsm_record_fire(p, "analyse", NULL, 0));
    itsm_change k[2] = { { ITSM_F_CAUSE, "expired certificate", 0 },
                         { workaround ? ITSM_F_WORKAROUND : ITSM_F_NO_WORKAROUND, workaround, workaround ? 0 : 1 } };
    assert_ok(itsm_record_fire(p, "identify", k, 2));
    return p;
}

static itsm_record *article(fixture *f, const char *service, const char *summary, const char *notes, int publish)
{
    itsm_record *k = open_kind(f, ITSM_KIND_KNOWLEDGE, service, "outage", summary);
    assert_ok(itsm_record_fire(k, "submit", NULL, 0));
    itsm_change n = { ITSM_F_RESOLUTION_NOTES, notes, 0 };
    if (publish)
        assert_ok(itsm_record_fire(k, "publish", &n, 1));
    return k;
}

static void diagnose_ranks_known_errors_articles_and_past_incidents(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *ke = known_error(&f, "mail", "mail certificate expired on gateway", "install the interim certificate");
    itsm_record *ke2 = known_error(&f, "mail", "mailbox quota", NULL);   /* no workaround, fewer words */
    itsm_record *kb = article(&f, "mail", "renew the mail certificate", "run the renewal script", 1);
    article(&f, "mail", "mail certificate draft", "not yet", 0);          /* not published */
    known_error(&f, "vpn", "certificate expired on vpn", "x");             /* another service */
    itsm_record *past = open_kind(&f, ITSM_KIND_INCIDENT, "mail", "outage", "certificate warning in outlook");
    pm_resolve(past, "desk", "ann");

    itsm_record *now = open_kind(&f, ITSM_KIND_INCIDENT, "mail", "outage", "mail certificate expired");
    itsm_match m[8] = { { .size = sizeof(itsm_match) } };
    size_t n = 0;
    assert_ok(itsm_diagnose(m, 8, &n, now));
    assert_int_equal(n, 4);
    /* known error: 40 + 30 + 3 words * 10 + 5 */
    assert_ptr_equal(m[0].record, ke);
    assert_int_equal(m[0].source, ITSM_MATCH_KNOWN_ERROR);
    assert_int_equal(m[0].score, 105);
    assert_int_equal(m[0].words, 3);
    assert_true(m[0].level1_fix);
    assert_string_equal(m[0].workaround, "install the interim certificate");
    /* known error without a workaround; its cause shares 2 words: 40 + 30 + 20 + 5 */
    assert_ptr_equal(m[1].record, ke2);
    assert_int_equal(m[1].score, 95);
    assert_false(m[1].level1_fix);
    assert_null(m[1].workaround);
    /* article: 40 + 30 + 2 words (mail, certificate) */
    assert_ptr_equal(m[2].record, kb);
    assert_int_equal(m[2].source, ITSM_MATCH_ARTICLE);
    assert_int_equal(m[2].score, 90);
    assert_string_equal(m[2].workaround, "run the renewal script");
    assert_true(m[2].level1_fix);
    /* past incident: 40 + 30 + 1 word (certificate) */
    assert_ptr_equal(m[3].record, past);
    assert_int_equal(m[3].source, ITSM_MATCH_INCIDENT);
    assert_int_equal(m[3].score, 80);
    assert_false(m[3].level1_fix);

    /* a short buffer keeps the best ones and still counts all */
    itsm_match top[2] = { { .size = sizeof(itsm_match) } };
    assert_ok(itsm_diagnose(top, 2, &n, now));
    assert_int_equal(n, 4);
    assert_ptr_equal(top[0].record, ke);
    assert_ptr_equal(top[1].record, ke2);
    assert_ok(itsm_diagnose(NULL, 0, &n, now));
    assert_int_equal(n, 4);

    /* search by words alone */
    itsm_knowledge_query q = ITSM_KNOWLEDGE_QUERY_INIT;
    q.words = "Renewal SCRIPT";
    assert_ok(itsm_knowledge_search(m, 8, &n, f.eng, &q));
    assert_int_equal(n, 1);
    assert_ptr_equal(m[0].record, kb);
    q.service = "vpn";
    q.words = "certificate";
    assert_ok(itsm_knowledge_search(m, 8, &n, f.eng, &q));
    assert_int_equal(n, 1);
    assert_string_equal(itsm_record_str(m[0].record, ITSM_F_SERVICE), "vpn");
    fixture_close(&f);
}

/* Symptom words (knowledge.h): letters and digits, 3 bytes or more, case
 * folded, not a common English word ("the", "and", "cannot", ...: they
 * would match everything), and a query keeps its first 64 distinct words. */
static void symptom_words_leave_out_common_words_and_keep_the_first_64(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *kb = article(&f, "print", "the printer cannot print after the update", "restart the spooler", 1);
    itsm_match m[4];
    m[0].size = sizeof m[0];
    size_t n;
    itsm_knowledge_query q = ITSM_KNOWLEDGE_QUERY_INIT;
    q.words = "The CANNOT after the";   /* common words only */
    assert_ok(itsm_knowledge_search(m, 4, &n, f.eng, &q));
    assert_int_equal(n, 0);
    q.words = "the spooler cannot";
    assert_ok(itsm_knowledge_search(m, 4, &n, f.eng, &q));
    assert_int_equal(n, 1);
    assert_ptr_equal(m[0].record, kb);
    assert_int_equal(m[0].words, 1);   /* spooler */
    assert_int_equal(m[0].score, 10);
    /* 64 distinct words, then "spooler": past the first 64, not read */
    char words[1024];
    size_t o = 0;
    for (int i = 0; i < 64; i++)
        o += (size_t)snprintf(words + o, sizeof words - o, "w%03d ", i);
    snprintf(words + o, sizeof words - o, "spooler");
    q.words = words;
    assert_ok(itsm_knowledge_search(m, 4, &n, f.eng, &q));
    assert_int_equal(n, 0);
    words[o - 1] = 0;   /* 63 of them, then "spooler" */
    memmove(words + o - 5, "spooler", 8);
    assert_ok(itsm_knowledge_search(m, 4, &n, f.eng, &q));
    assert_int_equal(n, 1);
    fixture_close(&f);
}

/* Resolving an incident decides its knowledge in the same step
 * (knowledge.h); a candidate stays one until the decision says otherwise
 * (communication.h), an article linked afterwards included. */
static void resolving_decides_the_knowledge_and_a_candidate_stays_one_until_decided_otherwise(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *kb = article(&f, "print", "toner low", "replace toner", 1);
    itsm_record *r = open_kind(&f, ITSM_KIND_INCIDENT, "erp", "login", "password prompt loops");
    pm_resolve(r, "desk", "ann");
    assert_string_equal(itsm_record_str(r, ITSM_F_KNOWLEDGE_DECISION), "candidate");
    assert_int_equal(itsm_record_knowledge_candidate(r), 1);
    assert_ok(itsm_record_link(r, ITSM_LINK_RELATED, kb));
    assert_int_equal(itsm_record_knowledge_candidate(r), 1);
    const char *d = NULL;
    assert_ok(itsm_knowledge_decide(&d, r));
    assert_string_equal(d, "candidate");
    assert_ok(itsm_record_set_str(r, ITSM_F_KNOWLEDGE_DECISION, "linked"));
    assert_int_equal(itsm_record_knowledge_candidate(r), 0);
    fixture_close(&f);
}

static void closure_marks_a_resolution_that_matched_nothing_as_a_candidate(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    known_error(&f, "mail", "mail certificate expired", "install the interim certificate");
    itsm_record *kb = article(&f, "print", "toner low", "replace toner", 1);

    itsm_record *nothing = open_kind(&f, ITSM_KIND_INCIDENT, "erp", "login", "password prompt loops");
    pm_resolve(nothing, "desk", "ann");
    const char *d = NULL;
    assert_ok(itsm_knowledge_decide(&d, nothing));
    assert_string_equal(d, "candidate");
    assert_string_equal(itsm_record_str(nothing, ITSM_F_KNOWLEDGE_DECISION), "candidate");
    /* set once: a second call changes nothing */
    uint64_t rev = itsm_record_revision(nothing);
    assert_ok(itsm_knowledge_decide(&d, nothing));
    assert_int_equal(itsm_record_revision(nothing), rev);

    itsm_record *matched = open_kind(&f, ITSM_KIND_INCIDENT, "mail", "outage", "certificate error");
    pm_resolve(matched, "desk", "ann");
    assert_ok(itsm_knowledge_decide(&d, matched));
    assert_string_equal(d, "matched");

    itsm_record *linked = open_kind(&f, ITSM_KIND_INCIDENT, "erp", "login", "toner");
    assert_ok(itsm_record_link(linked, ITSM_LINK_RELATED, kb));
    pm_resolve(linked, "desk", "ann");
    assert_ok(itsm_knowledge_decide(&d, linked));
    assert_string_equal(d, "linked");

    /* the closure checklist is now satisfied */
    assert_ok(itsm_record_set_str(nothing, ITSM_F_CATEGORY, "login"));
    int rc = itsm_record_fire(nothing, "confirm", NULL, 0);
    if (rc != ITSM_OK && rc != ITSM_EGUARD)
        fail_msg("confirm: %s", itsm_errmsg(f.eng));
    if (rc == ITSM_EGUARD)   /* another policy may ask for more; never for knowledge_decision */
        assert_null(strstr(itsm_errmsg(f.eng), "knowledge_decision"));
    fixture_close(&f);
}

/* Knowledge capture counts a known error, or an article that offers a
 * workaround (knowledge.h): an article that only shares a symptom word and
 * documents no fix leaves the resolution a candidate. */
static void an_article_without_a_workaround_leaves_the_resolution_a_candidate(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *kb = open_kind(&f, ITSM_KIND_KNOWLEDGE, NULL, NULL, "Printer shows paper error");
    assert_ok(itsm_record_fire(kb, "submit", NULL, 0));
    itsm_change d = { ITSM_F_DESCRIPTION, "The tray sensor reports a jam.", 0 };
    assert_ok(itsm_record_fire(kb, "publish", &d, 1));   /* a description, no fix */
    itsm_record *r = open_kind(&f, ITSM_KIND_INCIDENT, "vpn", "network", "VPN client error 800");
    itsm_match m[2] = { { .size = sizeof(itsm_match) } };
    size_t n = 0;
    assert_ok(itsm_diagnose(m, 2, &n, r));
    assert_int_equal(n, 1);              /* diagnose still shows it */
    assert_null(m[0].workaround);
    pm_resolve(r, "desk", "ann");
    assert_string_equal(itsm_record_str(r, ITSM_F_KNOWLEDGE_DECISION), "candidate");
    assert_int_equal(itsm_record_knowledge_candidate(r), 1);
    fixture_close(&f);
}

/* "A match with a workaround is a level-1 fix": blank text is no
 * workaround (as a guard reads it). A known error with an explicit "no
 * workaround" and a blank one, or an article whose notes are blank, is no
 * level-1 fix (the known error is still knowledge the resolution matched). */
static void a_blank_workaround_is_no_level_one_fix(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *p = open_kind(&f, ITSM_KIND_PROBLEM, "mail", "outage", "mail gateway certificate expired");
    itsm_change a = { ITSM_F_ASSIGNEE, "pat", 0 };
    assert_ok(itsm_record_fire(p, "assess", &a, 1));
    assert_ok(itsm_record_fire(p, "analyse", NULL, 0));
    itsm_change k[3] = { { ITSM_F_CAUSE, "expired certificate", 0 }, { ITSM_F_NO_WORKAROUND, NULL, 1 },
                         { ITSM_F_WORKAROUND, " \t\n", 0 } };
    assert_ok(itsm_record_fire(p, "identify", k, 3));
    itsm_record *kb = open_kind(&f, ITSM_KIND_KNOWLEDGE, "mail", "outage", "gateway certificate expired");
    assert_ok(itsm_record_fire(kb, "submit", NULL, 0));
    itsm_change d[2] = { { ITSM_F_DESCRIPTION, "The gateway refuses TLS.", 0 }, { ITSM_F_RESOLUTION_NOTES, "   ", 0 } };
    assert_ok(itsm_record_fire(kb, "publish", d, 2));
    itsm_record *r = open_kind(&f, ITSM_KIND_INCIDENT, "mail", "outage", "mail certificate expired");
    itsm_match m[4] = { { .size = sizeof(itsm_match) } };
    size_t n = 0;
    assert_ok(itsm_diagnose(m, 4, &n, r));
    assert_int_equal(n, 2);   /* both still shown: they share the symptom */
    for (size_t i = 0; i < n; i++) {
        assert_null(m[i].workaround);
        assert_int_equal(m[i].level1_fix, 0);
    }
    pm_resolve(r, "desk", "ann");
    assert_string_equal(itsm_record_str(r, ITSM_F_KNOWLEDGE_DECISION), "matched");   /* the known error */
    fixture_close(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(diagnose_ranks_known_errors_articles_and_past_incidents),
        cmocka_unit_test(symptom_words_leave_out_common_words_and_keep_the_first_64),
        cmocka_unit_test(resolving_decides_the_knowledge_and_a_candidate_stays_one_until_decided_otherwise),
        cmocka_unit_test(closure_marks_a_resolution_that_matched_nothing_as_a_candidate),
        cmocka_unit_test(an_article_without_a_workaround_leaves_the_resolution_a_candidate),
        cmocka_unit_test(a_blank_workaround_is_no_level_one_fix),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
