/* SPDX-License-Identifier: Apache-2.0 */
/*
 * itsm/knowledge.h - knowledge search, diagnose and knowledge capture
 * (DESIGN section 7).
 *
 * What is searched:
 *   known errors      problems in state "known_error" or "fix_pending_change"
 *                     (cause found; workaround, or explicitly none)
 *   articles          knowledge records in state "published"
 *   past incidents    resolved or closed incidents on the same service and
 *                     category (diagnose only; found through the engine's
 *                     recurrence index)
 * A match scores: same service +40, same category +30, +10 for each
 * symptom word shared (words: runs of letters and digits - any byte of a
 * multi-byte UTF-8 character counts as a letter - 3 bytes or more, ASCII
 * case folded, from summary, description, cause, workaround and
 * resolution notes; not the common words the, and, for, with, not, but,
 * are, was, were, from, this, that, has, have, had, can, cannot, when,
 * after, into, all, any, its, our, you; of the query, or of the record
 * diagnosed, the first 64 distinct words), +5 for a known error. A candidate with a different service (both set)
 * never matches; otherwise it needs at least one shared word, or the same
 * service and category - or, for a search that gives no words, the same
 * value for every key it gives (service, category or both: what is known
 * on a service is listed by the service alone). Ranking: score, then known
 * error > article > incident, then id - deterministic.
 */
#ifndef ITSM_KNOWLEDGE_H
#define ITSM_KNOWLEDGE_H

#include "common.h"
#include "record.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum itsm_match_source {
    ITSM_MATCH_KNOWN_ERROR = 1,
    ITSM_MATCH_ARTICLE     = 2,
    ITSM_MATCH_INCIDENT    = 3
} itsm_match_source;

typedef struct itsm_match {
    size_t            size;        /* out[0].size = sizeof(itsm_match) (common.h) */
    itsm_record      *record;      /* borrowed from the engine */
    itsm_match_source source;
    int               score;
    size_t            words;       /* symptom words shared */
    const char       *workaround;  /* borrowed: the workaround (an article's may be its
                                      resolution notes); NULL if none (blank text is none) */
    int               level1_fix;  /* 1 when there is a workaround: the service desk can
                                      apply it at level 1 */
} itsm_match;

typedef struct itsm_knowledge_query {
    unsigned    version;    /* ITSM_KNOWLEDGE_QUERY_VERSION */
    const char *service;    /* NULL: any */
    const char *category;   /* NULL: any */
    const char *words;      /* symptom words, free text; NULL: none */
    int         incidents;  /* 1: also past incidents (needs service and category) */
} itsm_knowledge_query;

#define ITSM_KNOWLEDGE_QUERY_VERSION 1
#define ITSM_KNOWLEDGE_QUERY_INIT { ITSM_KNOWLEDGE_QUERY_VERSION, NULL, NULL, NULL, 0 }
/* For languages without macros: sets *q to ITSM_KNOWLEDGE_QUERY_INIT.
 * ITSM_EINVAL for NULL or a version other than ITSM_KNOWLEDGE_QUERY_VERSION. */
ITSM_API int itsm_knowledge_query_init(itsm_knowledge_query *q, unsigned version);

/*
 * Search; the best `cap` matches go to out[0..], *n gets how many there
 * are in all (so *n > cap means some were left out). `out` may be NULL
 * with cap 0 to count.
 * Errors: ITSM_EINVAL (NULL eng/n/query, NULL out with cap > 0, unknown
 * version, a service, category or words that are not UTF-8 or a service or
 * category that is not a symbol), ITSM_ELIMIT (words over ITSM_MAX_TEXT,
 * a service or category over ITSM_MAX_SYMBOL bytes), ITSM_ENOMEM.
 */
ITSM_API int itsm_knowledge_search(itsm_match *out, size_t cap, size_t *n, itsm_engine *eng,
                                   const itsm_knowledge_query *query);

/* Diagnose a record: search with its service, category and symptom words
 * (summary and description), past incidents included; the record itself
 * never matches. Errors as itsm_knowledge_search. */
ITSM_API int itsm_diagnose(itsm_match *out, size_t cap, size_t *n, itsm_record *rec);

/*
 * Knowledge capture at closure: decide the record's knowledge_decision and
 * set it (one update event), unless it is already set (then nothing
 * happens and *decision gets the value it has):
 *   "linked"     the record has a related knowledge article;
 *   "matched"    diagnose finds a known error or an article with a workaround;
 *   "candidate"  the resolution matched nothing: write an article.
 * Resolving an incident with no knowledge decision makes the same decision
 * in the resolving step itself (while policy closure.knowledge_candidate
 * is on; also for a reopened incident still marked "candidate", which
 * becomes "linked" or "matched" when it now links or matches knowledge),
 * so for those this call returns it; call it before firing
 * "confirm"/"auto_close" on the others (the closure checklist needs
 * knowledge_decision). *decision (may be NULL) is static storage when
 * decided here, else the record's value (borrowed, valid until the field
 * changes).
 * Errors: ITSM_EINVAL, ITSM_ESTATE (record closed), and those of
 * itsm_record_update.
 */
ITSM_API int itsm_knowledge_decide(const char **decision, itsm_record *rec);

#ifdef __cplusplus
}
#endif
#endif
