/* SPDX-License-Identifier: Apache-2.0 */
/* What knowledge search and diagnose match, at the figures of
 * itsm/knowledge.h (DESIGN section 7): same service +40, same category
 * +30, +10 per shared symptom word, +5 for a known error; a different
 * service never matches; words of 3 bytes or more; ties ranked known
 * error > article > incident, then id; only what is known is searched. */
#include "pm_helpers.h"

static itsm_record *open_kind(fixture *f, itsm_kind kind, const char *id, const char *service,
                              const char *category, const char *summary)
{
    itsm_change ch[3] = { { ITSM_F_SUMMARY, summary, 0 }, { ITSM_F_SERVICE, service, 0 },
                          { ITSM_F_CATEGORY, category, 0 } };
    itsm_record_opts o = ITSM_RECORD_OPTS_INIT;
    o.kind = kind;
    o.id = id;
    o.fields = ch;
    o.nfields = 3;
    itsm_record *r;
    assert_ok(itsm_record_open(&r, f->eng, &o));
    return r;
}

/* A problem taken to known_error, its cause and workaround given. */
static itsm_record *known_error(fixture *f, const char *id, const char *service, const char *category,
                                const char *summary, const char *cause, const char *workaround)
{
    itsm_record *p = open_kind(f, ITSM_KIND_PROBLEM, id, service, category, summary);
    itsm_change a = { ITSM_F_ASSIGNEE, "pat", 0 };
    assert_ok(itsm_record_fire(p, "assess", &a, 1));
    assert_ok(itsm_record_fire(p, "analyse", NULL, 0));
    itsm_change k[2] = { { ITSM_F_CAUSE, cause, 0 }, { ITSM_F_WORKAROUND, workaround, 0 } };
    assert_ok(itsm_record_fire(p, "identify", k, 2));
    return p;
}

static itsm_record *published(fixture *f, const char *id, const char *service, const char *category,
                              const char *summary, const char *notes)
{
    itsm_record *k = open_kind(f, ITSM_KIND_KNOWLEDGE, id, service, category, summary);
    assert_ok(itsm_record_fire(k, "submit", NULL, 0));
    itsm_change n = { ITSM_F_RESOLUTION_NOTES, notes, 0 };
    assert_ok(itsm_record_fire(k, "publish", &n, 1));
    return k;
}

static size_t search(itsm_match *m, size_t cap, fixture *f, const char *service, const char *category,
                     const char *words)
{
    itsm_knowledge_query q = ITSM_KNOWLEDGE_QUERY_INIT;
    q.service = service;
    q.category = category;
    q.words = words;
    size_t n = 0;
    for (size_t i = 0; i < cap; i++)
        m[i].size = sizeof m[i];
    assert_ok(itsm_knowledge_search(m, cap, &n, f->eng, &q));
    return n;
}

/* Same service and category match without a shared word: 40 + 30 for an
 * article, 75 for a known error; a service alone and no word is no match. */
static void the_same_service_and_category_match_without_a_shared_word(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *kb = published(&f, "KB-1", "mail", "outage", "gateway queue", "flush the queue");
    itsm_record *ke = known_error(&f, "PRB-1", "mail", "outage", "relay stalls", "disk full", "free space");
    published(&f, "KB-2", "mail", "client", "profile repair", "recreate profile");   /* service only */
    itsm_match m[4];
    size_t n = search(m, 4, &f, "mail", "outage", "zzzz");
    assert_int_equal(n, 2);
    assert_ptr_equal(m[0].record, ke);
    assert_int_equal(m[0].score, 75);
    assert_int_equal(m[0].words, 0);
    assert_ptr_equal(m[1].record, kb);
    assert_int_equal(m[1].score, 70);
    assert_int_equal(m[1].words, 0);
    fixture_close(&f);
}

/* A candidate on another service never matches, however many words it
 * shares; one with no service matches on its words alone (no +40). */
static void another_service_never_matches_and_no_service_matches_on_words(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    published(&f, "KB-1", "vpn", "outage", "certificate expired gateway", "renew certificate gateway");
    itsm_record *any = published(&f, "KB-2", NULL, NULL, "certificate expired", "renew it");
    itsm_match m[4];
    size_t n = search(m, 4, &f, "mail", "outage", "certificate expired gateway");
    assert_int_equal(n, 1);
    assert_ptr_equal(m[0].record, any);
    assert_int_equal(m[0].words, 2);
    assert_int_equal(m[0].score, 20);
    /* without a service in the query, both match on their words */
    n = search(m, 4, &f, NULL, NULL, "certificate expired gateway");
    assert_int_equal(n, 2);
    assert_int_equal(m[0].score, 30);   /* KB-1: 3 words */
    assert_int_equal(m[1].score, 20);
    fixture_close(&f);
}

/* Symptom words are runs of letters and digits of 3 bytes or more, ASCII
 * case folded; a multi-byte character's bytes count as letters. */
static void a_word_is_three_bytes_or_more_case_folded(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    published(&f, "KB-1", NULL, NULL, "VPN error 404 on the HR portal, caf\xc3\xa9 wifi, ok n\xc3\xa9", "retry");
    itsm_match m[2];
    assert_int_equal(search(m, 2, &f, NULL, NULL, "hr ok"), 0);   /* 2 bytes: no words */
    assert_int_equal(search(m, 2, &f, NULL, NULL, "vpn"), 1);     /* 3 bytes, case folded */
    assert_int_equal(m[0].words, 1);
    assert_int_equal(search(m, 2, &f, NULL, NULL, "404"), 1);     /* digits are word characters */
    assert_int_equal(search(m, 2, &f, NULL, NULL, "n\xc3\xa9"), 1);  /* n + a 2-byte letter: 3 bytes */
    assert_int_equal(search(m, 2, &f, NULL, NULL, "caf\xc3\xa9"), 1);
    assert_int_equal(search(m, 2, &f, NULL, NULL, "cafe"), 0);   /* no accent folding */
    /* punctuation splits words: "error-404" is "error" and "404" */
    assert_int_equal(search(m, 2, &f, NULL, NULL, "ERROR-404"), 1);
    assert_int_equal(m[0].words, 2);
    assert_int_equal(m[0].score, 20);
    /* a word said twice is shared once */
    assert_int_equal(search(m, 2, &f, NULL, NULL, "portal portal PORTAL"), 1);
    assert_int_equal(m[0].words, 1);
    fixture_close(&f);
}

/* Equal scores rank known error > article > incident, then by id. */
static void equal_scores_rank_by_source_then_id(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    /* article KB-B and KB-A: 40 + 30 + 1 word = 80; known error without the
     * word: 40 + 30 + 5 = 75; a past incident: 40 + 30 + 1 word = 80 */
    itsm_record *kb_b = published(&f, "KB-B", "print", "jam", "tray jam", "open tray two");
    itsm_record *kb_a = published(&f, "KB-A", "print", "jam", "paper jam", "use other paper");
    itsm_record *ke = known_error(&f, "PRB-1", "print", "jam", "roller wear", "worn roller", "clean roller");
    f.clock.now = T0 + 60;
    itsm_record *past = open_kind(&f, ITSM_KIND_INCIDENT, "INC-P", "print", "jam", "jam again");
    pm_resolve(past, "desk", "ann");
    f.clock.now = T0 + 120;
    itsm_record *now = open_kind(&f, ITSM_KIND_INCIDENT, "INC-N", "print", "jam", "jam");
    itsm_match m[8];
    for (size_t i = 0; i < 8; i++)
        m[i].size = sizeof m[i];
    size_t n = 0;
    assert_ok(itsm_diagnose(m, 8, &n, now));
    assert_int_equal(n, 4);
    assert_ptr_equal(m[0].record, kb_a);
    assert_ptr_equal(m[1].record, kb_b);
    assert_int_equal(m[0].score, 80);
    assert_int_equal(m[1].score, 80);
    assert_ptr_equal(m[2].record, past);
    assert_int_equal(m[2].score, 80);
    assert_int_equal(m[2].source, ITSM_MATCH_INCIDENT);
    assert_ptr_equal(m[3].record, ke);
    assert_int_equal(m[3].score, 75);
    /* the same word on the known error puts it first: 85 */
    fixture_close(&f);

    fixture_open(&f);
    published(&f, "KB-A", "print", "jam", "paper jam", "use other paper");
    ke = known_error(&f, "PRB-9", "print", "jam", "jam at roller", "worn", "clean");
    itsm_record *ke0 = known_error(&f, "PRB-0", "print", "jam", "jam in tray", "worn", "clean");
    n = search(m, 8, &f, "print", "jam", "jam");
    assert_int_equal(n, 3);
    assert_ptr_equal(m[0].record, ke0);   /* 85, PRB-0 before PRB-9 */
    assert_ptr_equal(m[1].record, ke);
    assert_int_equal(m[1].score, 85);
    assert_int_equal(m[2].score, 80);
    assert_int_equal(m[2].source, ITSM_MATCH_ARTICLE);
    fixture_close(&f);
}

/* Only what is known is searched: a published article (not a draft, one
 * in review or a retired one), a problem in known_error or
 * fix_pending_change (not one under analysis, nor a fixed one); past
 * incidents only when asked, resolved or closed ones, never the record
 * diagnosed. */
static void only_known_errors_published_articles_and_finished_incidents_are_searched(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *retired = published(&f, "KB-R", "disk", "full", "disk full cleanup", "delete temp");
    assert_ok(itsm_record_fire(retired, "retire", NULL, 0));
    itsm_record *review = open_kind(&f, ITSM_KIND_KNOWLEDGE, "KB-V", "disk", "full", "disk full cleanup");
    assert_ok(itsm_record_fire(review, "submit", NULL, 0));
    itsm_record *analysing = open_kind(&f, ITSM_KIND_PROBLEM, "PRB-A", "disk", "full", "disk full cleanup");
    itsm_change a = { ITSM_F_ASSIGNEE, "pat", 0 };
    assert_ok(itsm_record_fire(analysing, "assess", &a, 1));
    assert_ok(itsm_record_fire(analysing, "analyse", NULL, 0));
    itsm_record *pending = known_error(&f, "PRB-P", "disk", "full", "disk full cleanup", "log rotation off",
                                       "delete old logs");
    itsm_record *chg;
    assert_ok(itsm_change_open_from_problem(&chg, pending, NULL));
    assert_ok(itsm_record_fire(pending, "request_change", NULL, 0));
    assert_string_equal(itsm_record_state(pending), "fix_pending_change");
    itsm_record *open_inc = open_kind(&f, ITSM_KIND_INCIDENT, "INC-O", "disk", "full", "disk full cleanup");
    (void)open_inc;

    itsm_match m[8];
    size_t n = search(m, 8, &f, "disk", "full", "cleanup");
    assert_int_equal(n, 1);
    assert_ptr_equal(m[0].record, pending);
    assert_int_equal(m[0].source, ITSM_MATCH_KNOWN_ERROR);
    assert_string_equal(m[0].workaround, "delete old logs");
    assert_true(m[0].level1_fix);

    /* past incidents: only when asked, and only finished ones */
    f.clock.now = T0 + 60;
    itsm_record *done = open_kind(&f, ITSM_KIND_INCIDENT, "INC-D", "disk", "full", "disk full cleanup");
    pm_resolve(done, "desk", "ann");
    assert_int_equal(search(m, 8, &f, "disk", "full", "cleanup"), 1);
    itsm_knowledge_query q = ITSM_KNOWLEDGE_QUERY_INIT;
    q.service = "disk";
    q.category = "full";
    q.words = "cleanup";
    q.incidents = 1;
    assert_ok(itsm_knowledge_search(m, 8, &n, f.eng, &q));
    assert_int_equal(n, 2);
    assert_ptr_equal(m[1].record, done);
    assert_int_equal(m[1].source, ITSM_MATCH_INCIDENT);

    /* diagnosing the finished incident never matches it itself */
    assert_ok(itsm_diagnose(m, 8, &n, done));
    for (size_t i = 0; i < n; i++)
        assert_ptr_not_equal(m[i].record, done);
    assert_int_equal(n, 1);

    /* once the fix is applied the problem is no known error to work round */
    f.clock.now = T0 + 120;
    assert_ok(itsm_problem_close(pending, "fix_applied", "log rotation switched on"));
    assert_int_equal(search(m, 8, &f, "disk", "full", "cleanup"), 0);
    fixture_close(&f);
}

/* Knowledge capture: a match with only a past incident is no known fix -
 * the resolution is still a knowledge candidate. */
static void a_past_incident_alone_leaves_the_resolution_a_candidate(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *past = open_kind(&f, ITSM_KIND_INCIDENT, "INC-1", "erp", "login", "erp login loops");
    pm_resolve(past, "desk", "ann");
    f.clock.now = T0 + 60;
    itsm_record *now = open_kind(&f, ITSM_KIND_INCIDENT, "INC-2", "erp", "login", "erp login loops");
    itsm_match m[2];
    m[0].size = sizeof m[0];
    size_t n = 0;
    assert_ok(itsm_diagnose(m, 2, &n, now));
    assert_int_equal(n, 1);
    assert_int_equal(m[0].source, ITSM_MATCH_INCIDENT);
    pm_resolve(now, "desk", "ann");
    const char *d = NULL;
    assert_ok(itsm_knowledge_decide(&d, now));
    assert_string_equal(d, "candidate");
    fixture_close(&f);
}

/* Bad queries: words over ITSM_MAX_TEXT are a limit error, words that are
 * not UTF-8 a bad argument; nothing is searched. */
static void oversized_or_malformed_words_are_refused(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_knowledge_query q = ITSM_KNOWLEDGE_QUERY_INIT;
    itsm_match m[1];
    m[0].size = sizeof m[0];
    size_t n = 7;
    char *big = malloc(ITSM_MAX_TEXT + 2);
    memset(big, 'a', ITSM_MAX_TEXT + 1);
    big[ITSM_MAX_TEXT + 1] = 0;
    q.words = big;
    assert_int_equal(itsm_knowledge_search(m, 1, &n, f.eng, &q), ITSM_ELIMIT);
    big[ITSM_MAX_TEXT] = 0;   /* exactly the limit is taken */
    assert_ok(itsm_knowledge_search(m, 1, &n, f.eng, &q));
    assert_int_equal(n, 0);
    free(big);
    q.words = "bad \xff byte";
    assert_int_equal(itsm_knowledge_search(m, 1, &n, f.eng, &q), ITSM_EINVAL);
    fixture_close(&f);
}

/* The first 64 distinct words: a word said again (in any case) does not
 * use up the count, so the 64th distinct word is still read. */
static void repeated_words_do_not_use_up_the_first_64(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *kb = published(&f, "KB-1", NULL, NULL, "spooler hangs", "restart the spooler");
    char words[2048];
    size_t o = 0;
    for (int i = 0; i < 63; i++)
        o += (size_t)snprintf(words + o, sizeof words - o, "w%03d W%03d ", i, i);
    snprintf(words + o, sizeof words - o, "spooler");
    itsm_match m[2];
    assert_int_equal(search(m, 2, &f, NULL, NULL, words), 1);
    assert_ptr_equal(m[0].record, kb);
    fixture_close(&f);
}

/* Without a shared word a match needs the same service AND category: the
 * same category alone, on a candidate with no service, is no match. */
static void the_same_category_alone_is_no_match(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    published(&f, "KB-1", NULL, "outage", "relay queue", "flush it");
    published(&f, "KB-2", "mail", NULL, "relay queue", "flush it");
    itsm_match m[2];
    assert_int_equal(search(m, 2, &f, "mail", "outage", "zzzz"), 0);
    /* one shared word and the category: 30 + 10 */
    assert_int_equal(search(m, 2, &f, "mail", "outage", "queue"), 2);
    assert_int_equal(m[0].score, 50);   /* KB-2: same service, 40 + 10 */
    assert_int_equal(m[1].score, 40);   /* KB-1: same category, 30 + 10 */
    fixture_close(&f);
}

/* An incident canceled unresolved (logged in error, a duplicate) holds no
 * fix: it is no similar past incident. */
static void a_canceled_incident_is_no_similar_past_incident(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *dup = open_kind(&f, ITSM_KIND_INCIDENT, "INC-1", "erp", "login", "erp login loops");
    assert_ok(itsm_record_fire(dup, "cancel", NULL, 0));
    f.clock.now = T0 + 60;
    itsm_record *now = open_kind(&f, ITSM_KIND_INCIDENT, "INC-2", "erp", "login", "erp login loops");
    itsm_match m[2];
    m[0].size = sizeof m[0];
    size_t n = 9;
    assert_ok(itsm_diagnose(m, 2, &n, now));
    assert_int_equal(n, 0);
    fixture_close(&f);
}

/* Known errors and articles are "searchable by service, category
 * and symptom words" - each of them: a query that gives no words lists
 * what is known on the service (or category) it names, scored as ever. */
static void a_query_without_words_lists_what_is_known_on_its_service_or_category(void **state)
{
    (void)state;
    fixture f;
    fixture_open(&f);
    itsm_record *ke = known_error(&f, "PRB-1", "mail", "outage", "relay stalls", "disk full", "free space");
    itsm_record *kb = published(&f, "KB-1", "mail", "client", "profile repair", "recreate profile");
    published(&f, "KB-2", "vpn", "outage", "tunnel drops", "reconnect");
    published(&f, "KB-3", NULL, NULL, "general mail etiquette", "be kind");
    itsm_match m[4];
    assert_int_equal(search(m, 4, &f, "mail", NULL, NULL), 2);
    assert_ptr_equal(m[0].record, ke);
    assert_int_equal(m[0].score, 45);   /* 40 + 5 */
    assert_ptr_equal(m[1].record, kb);
    assert_int_equal(m[1].score, 40);
    assert_int_equal(search(m, 4, &f, NULL, "outage", NULL), 2);   /* PRB-1 35, KB-2 30 */
    assert_int_equal(m[0].score, 35);
    assert_int_equal(m[1].score, 30);
    assert_int_equal(search(m, 4, &f, "mail", "client", NULL), 1);   /* every key given must fit */
    assert_ptr_equal(m[0].record, kb);
    assert_int_equal(search(m, 4, &f, NULL, NULL, NULL), 0);        /* no key, no words: nothing asked */
    /* with words, the words decide as before: a service alone is no match */
    assert_int_equal(search(m, 4, &f, "mail", NULL, "zzzz"), 0);
    fixture_close(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_same_service_and_category_match_without_a_shared_word),
        cmocka_unit_test(another_service_never_matches_and_no_service_matches_on_words),
        cmocka_unit_test(a_word_is_three_bytes_or_more_case_folded),
        cmocka_unit_test(equal_scores_rank_by_source_then_id),
        cmocka_unit_test(only_known_errors_published_articles_and_finished_incidents_are_searched),
        cmocka_unit_test(a_past_incident_alone_leaves_the_resolution_a_candidate),
        cmocka_unit_test(oversized_or_malformed_words_are_refused),
        cmocka_unit_test(repeated_words_do_not_use_up_the_first_64),
        cmocka_unit_test(the_same_category_alone_is_no_match),
        cmocka_unit_test(a_canceled_incident_is_no_similar_past_incident),
        cmocka_unit_test(a_query_without_words_lists_what_is_known_on_its_service_or_category),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
