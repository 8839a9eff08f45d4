/* SPDX-License-Identifier: Apache-2.0 */
/* Knowledge search, diagnose and knowledge capture (DESIGN section 7). */
#include "core/abi.h"
#include "kit/opts.h"
#include "knowledge/knowledge_int.h"
#include "problem/problem_int.h"
#include "kit/value.h"
#include "kit/json.h"

#include <string.h>

#define SLOT(f) (itsm__fields[f].slot)
#define MAX_WORDS 64

typedef struct word { const char *s; size_t n; } word;
typedef struct wordset { word w[MAX_WORDS]; size_t n; } wordset;

static int is_word_byte(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c >= 0x80;
}

static unsigned char fold(unsigned char c)
{
    return c >= 'A' && c <= 'Z' ? (unsigned char)(c + 32) : c;
}

static int word_eq(const char *a, size_t an, const char *b, size_t bn)
{
    if (an != bn)
        return 0;
    for (size_t i = 0; i < an; i++)
        if (fold((unsigned char)a[i]) != fold((unsigned char)b[i]))
            return 0;
    return 1;
}

static int stop_word(const char *s, size_t n)
{
    static const char *const stop[] = { "the", "and", "for", "with", "not", "but", "are", "was", "were",
                                        "from", "this", "that", "has", "have", "had", "can", "cannot",
                                        "when", "after", "into", "all", "any", "its", "our", "you", NULL };
    for (const char *const *w = stop; *w; w++)
        if (word_eq(s, n, *w, strlen(*w)))
            return 1;
    return 0;
}

/* Call fn for each word of s (3+ bytes, not a stop word). */
static void words_of(const char *s, void (*fn)(void *, const char *, size_t), void *ctx)
{
    if (!s)
        return;
    while (*s) {
        while (*s && !is_word_byte((unsigned char)*s))
            s++;
        const char *b = s;
        while (*s && is_word_byte((unsigned char)*s))
            s++;
        size_t n = (size_t)(s - b);
        if (n >= 3 && !stop_word(b, n))
            fn(ctx, b, n);
    }
}

static void add_word(void *ctx, const char *s, size_t n)
{
    wordset *ws = ctx;
    for (size_t i = 0; i < ws->n; i++)
        if (word_eq(ws->w[i].s, ws->w[i].n, s, n))
            return;
    if (ws->n < MAX_WORDS) {
        ws->w[ws->n].s = s;
        ws->w[ws->n].n = n;
        ws->n++;
    }
}

typedef struct hits { const wordset *q; unsigned char seen[MAX_WORDS]; size_t n; } hits;

static void hit_word(void *ctx, const char *s, size_t n)
{
    hits *h = ctx;
    for (size_t i = 0; i < h->q->n; i++)
        if (!h->seen[i] && word_eq(h->q->w[i].s, h->q->w[i].n, s, n)) {
            h->seen[i] = 1;
            h->n++;
        }
}

static size_t shared_words(const wordset *q, const itsm_record *r)
{
    static const itsm_field texts[] = { ITSM_F_SUMMARY, ITSM_F_DESCRIPTION, ITSM_F_CAUSE, ITSM_F_WORKAROUND,
                                        ITSM_F_RESOLUTION_NOTES };
    hits h;
    memset(&h, 0, sizeof h);
    h.q = q;
    for (size_t i = 0; i < sizeof texts / sizeof *texts && h.n < q->n; i++)
        words_of(itsm__rec_str(r, SLOT(texts[i])), hit_word, &h);
    return h.n;
}


/* Order: score desc, source asc, id asc. */
static int better(const itsm_match *a, const itsm_match *b)
{
    if (a->score != b->score)
        return a->score > b->score;
    if (a->source != b->source)
        return a->source < b->source;
    return strcmp(a->record->id, b->record->id) < 0;
}

typedef struct search {
    itsm_match *out;
    size_t      cap, n;
    const char *service, *category;   /* interned, or NULL */
    wordset     q;
    const itsm_record *self;
    int         fixes_only;   /* knowledge capture: only what gives a fix counts */
    int         browse;       /* a search without words: a candidate fitting every key
                                 the query gives matches: known errors and articles are
                                 searchable by service, category and symptom words,
                                 each of them */
} search;

static void consider(search *s, itsm_record *r, itsm_match_source src)
{
    if (r == s->self)
        return;
    const char *rs = itsm__rec_str(r, SLOT(ITSM_F_SERVICE)), *rc = itsm__rec_str(r, SLOT(ITSM_F_CATEGORY));
    if (s->service && rs && rs != s->service)
        return;
    int same_s = s->service && rs == s->service, same_c = s->category && rc == s->category;
    size_t words = shared_words(&s->q, r);
    if (!words && !(same_s && same_c) &&
        !(s->browse && (!s->service || same_s) && (!s->category || same_c)))
        return;
    itsm_match m;
    m.record = r;
    m.source = src;
    m.words = words;
    m.score = (same_s ? 40 : 0) + (same_c ? 30 : 0) + 10 * (int)words + (src == ITSM_MATCH_KNOWN_ERROR ? 5 : 0);
    /* Blank text is no workaround (as guards read it): a known error with
     * an explicit "no workaround" and a blank one is no level-1 fix. */
    m.workaround = itsm__rec_str(r, SLOT(ITSM_F_WORKAROUND));
    if (!itsm__text_present(m.workaround))
        m.workaround = NULL;
    if (!m.workaround && src == ITSM_MATCH_ARTICLE &&
        itsm__text_present(itsm__rec_str(r, SLOT(ITSM_F_RESOLUTION_NOTES))))
        m.workaround = itsm__rec_str(r, SLOT(ITSM_F_RESOLUTION_NOTES));
    m.level1_fix = m.workaround != NULL;
    /* An article that shares a word but offers no workaround documents
     * nothing about this resolution: it is still a candidate (knowledge.h). */
    if (s->fixes_only && src == ITSM_MATCH_ARTICLE && !m.workaround)
        return;
    s->n++;
    /* Keep the best `cap` in order (insertion). */
    size_t have = s->n - 1 < s->cap ? s->n - 1 : s->cap;
    size_t pos = have;
    while (pos > 0 && better(&m, &s->out[pos - 1]))
        pos--;
    if (pos >= s->cap)
        return;
    size_t last = have < s->cap ? have : s->cap - 1;
    memmove(&s->out[pos + 1], &s->out[pos], (last - pos) * sizeof m);
    s->out[pos] = m;
}

static void engine_free(itsm_engine *eng)
{
    itsm__kn *kn = eng->cap[ITSM__CAP_KNOWLEDGE];
    if (!kn)
        return;
    itsm__free(&eng->alloc, kn->ks);
    itsm__free(&eng->alloc, kn);
    eng->cap[ITSM__CAP_KNOWLEDGE] = NULL;
}

/* The list of knowledge sources, brought up to date with the records. */
static itsm__kn *sources_ready(itsm_engine *eng)
{
    itsm__kn *pm = eng->cap[ITSM__CAP_KNOWLEDGE];
    if (!pm && !(pm = eng->cap[ITSM__CAP_KNOWLEDGE] = itsm__calloc(&eng->alloc, 1, sizeof *pm))) {
        itsm__oom(eng);
        return NULL;
    }
    for (; pm->ks_seen < eng->nrecs; pm->ks_seen++) {
        itsm_record *r = eng->recs[pm->ks_seen];
        if (r->kind != ITSM_KIND_PROBLEM && r->kind != ITSM_KIND_KNOWLEDGE)
            continue;
        if (itsm__grow(&eng->alloc, (void **)&pm->ks, &pm->cks, pm->nks + 1, sizeof *pm->ks)) {
            itsm__oom(eng);
            return NULL;
        }
        pm->ks[pm->nks++] = r;
    }
    return pm;
}

static int run(search *s, itsm_engine *eng, int incidents)
{
    itsm__kn *pm = sources_ready(eng);
    if (!pm)
        return ITSM_ENOMEM;
    for (size_t i = 0; i < pm->nks; i++) {
        itsm_record *r = pm->ks[i];
        if (itsm__prb_is_known_error(eng, r))
            consider(s, r, ITSM_MATCH_KNOWN_ERROR);
        else if (r->kind == ITSM_KIND_KNOWLEDGE && r->state == itsm__role_ix(eng, ITSM_KIND_KNOWLEDGE, ITSM_ROLE_PUBLISHED))
            consider(s, r, ITSM_MATCH_ARTICLE);
    }
    if (incidents && s->service && s->category) {
        int rc = itsm__prb_index_ready(eng);
        if (rc)
            return rc;
        itsm__rbucket *b = itsm__prb_bucket(itsm__prb_of(eng), s->service, s->category);
        for (size_t i = 0; b && i < b->n; i++) {
            itsm_record *r = b->v[i].rec;
            if (itsm__rec_num(r, SLOT(ITSM_F_RESOLVED_AT)) != ITSM_TIME_NONE && itsm__rec_str(r, SLOT(ITSM_F_RESOLUTION_NOTES)))
                consider(s, r, ITSM_MATCH_INCIDENT);
        }
    }
    return ITSM_OK;
}

/* Run a search into the caller's array, whose out[0].size is its element
 * size (common.h); there are never more matches than records. */
static int run_into(search *s, itsm_engine *eng, int incidents, itsm_match *out, size_t cap, size_t *n)
{
    size_t stride = cap ? out[0].size : sizeof *out;
    size_t room = cap < eng->nrecs ? cap : eng->nrecs;
    itsm_match *full = NULL;
    if (cap && !(full = itsm__sized_array_begin(&eng->alloc, out, stride, sizeof *full, room)))
        return itsm__oom(eng);
    s->out = full;
    s->cap = cap ? room : 0;
    int rc = run(s, eng, incidents);
    if (cap)
        itsm__sized_array_end(&eng->alloc, out, stride, full, sizeof *full,
                              rc ? 0 : s->n < s->cap ? s->n : s->cap);
    if (!rc)
        *n = s->n;
    return rc;
}

ITSM__DEFINE_INIT(itsm_knowledge_query_init, itsm_knowledge_query, ITSM_KNOWLEDGE_QUERY_VERSION, ITSM_KNOWLEDGE_QUERY_INIT)

static int sym(itsm_engine *eng, const char *s, const char *what, const char **out)
{
    *out = NULL;
    return s ? itsm__symbol_arg(eng, s, what, out) : ITSM_OK;
}

int itsm_knowledge_search(itsm_match *out, size_t cap, size_t *n, itsm_engine *eng, const itsm_knowledge_query *q)
{
    if (!eng)
        return ITSM_EINVAL;
    if (!n || !q || (!out && cap))
        return itsm__err(eng, ITSM_EINVAL, "n and a query are required; out may be NULL only with cap 0");
    int rc = itsm__version_out(eng, q->version, ITSM_KNOWLEDGE_QUERY_VERSION, "knowledge query");
    if (rc || (cap && (rc = ITSM__SIZED(eng, out, itsm_match, level1_fix))))
        return rc;
    search s;
    memset(&s, 0, sizeof s);
    if ((rc = sym(eng, q->service, "service", &s.service)) || (rc = sym(eng, q->category, "category", &s.category)))
        return rc;
    if (q->words && strlen(q->words) > ITSM_MAX_TEXT)
        return itsm__err(eng, ITSM_ELIMIT, "words are %zu bytes; the limit is %d", strlen(q->words), ITSM_MAX_TEXT);
    if (q->words && !itsm__utf8_valid(q->words, strlen(q->words)))
        return itsm__err(eng, ITSM_EINVAL, "words are not valid UTF-8");
    words_of(q->words, add_word, &s.q);
    s.browse = !s.q.n && (s.service || s.category);
    return run_into(&s, eng, q->incidents, out, cap, n);
}

int itsm_diagnose(itsm_match *out, size_t cap, size_t *n, itsm_record *rec)
{
    if (!rec)
        return ITSM_EINVAL;
    itsm_engine *eng = rec->eng;
    if (!n || (!out && cap))
        return itsm__err(eng, ITSM_EINVAL, "n is required; out may be NULL only with cap 0");
    int rc;
    if (cap && (rc = ITSM__SIZED(eng, out, itsm_match, level1_fix)))
        return rc;
    search s;
    memset(&s, 0, sizeof s);
    s.self = rec;
    s.service = itsm__rec_str(rec, SLOT(ITSM_F_SERVICE));
    s.category = itsm__rec_str(rec, SLOT(ITSM_F_CATEGORY));
    words_of(itsm__rec_str(rec, SLOT(ITSM_F_SUMMARY)), add_word, &s.q);
    words_of(itsm__rec_str(rec, SLOT(ITSM_F_DESCRIPTION)), add_word, &s.q);
    return run_into(&s, eng, 1, out, cap, n);
}

const char *itsm__knowledge_classify(itsm_engine *eng, itsm_record *rec)
{
    (void)eng;
    for (uint32_t i = 0; i < rec->x->nlinks; i++)
        if (rec->x->links[i].kind == ITSM_LINK_RELATED && rec->x->links[i].target->kind == ITSM_KIND_KNOWLEDGE)
            return "linked";
    itsm_match best[1];
    size_t n = 0;
    search s;
    memset(&s, 0, sizeof s);
    s.out = best;
    s.cap = 1;
    s.self = rec;
    s.fixes_only = 1;
    s.service = itsm__rec_str(rec, SLOT(ITSM_F_SERVICE));
    s.category = itsm__rec_str(rec, SLOT(ITSM_F_CATEGORY));
    words_of(itsm__rec_str(rec, SLOT(ITSM_F_SUMMARY)), add_word, &s.q);
    words_of(itsm__rec_str(rec, SLOT(ITSM_F_DESCRIPTION)), add_word, &s.q);
    if (run(&s, rec->eng, 0) != ITSM_OK)   /* out of memory: the caller says so */
        return NULL;
    n = s.n;
    return n ? "matched" : "candidate";
}

int itsm_knowledge_decide(const char **decision, itsm_record *rec)
{
    if (!rec)
        return ITSM_EINVAL;
    itsm_engine *eng = rec->eng;
    const char *have = itsm__rec_str(rec, SLOT(ITSM_F_KNOWLEDGE_DECISION));
    if (have) {
        if (decision)
            *decision = have;
        return ITSM_OK;
    }
    const char *d = itsm__knowledge_classify(eng, rec);
    if (!d)
        return itsm__oom(eng);
    int rc = itsm_record_set_str(rec, ITSM_F_KNOWLEDGE_DECISION, d);
    if (rc)
        return rc;
    if (decision)
        *decision = d;
    return ITSM_OK;
}

static const itsm__evclass *const no_classes[] = { NULL };

const itsm__capability itsm__cap_knowledge = {
    .name = "knowledge",
    .engine_free = engine_free,
    .classes = no_classes,
};
