/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Internal: the knowledge capability - search, diagnose and the knowledge
 * decision at closure (DESIGN section 7).
 *
 * Engine state (eng->cap[ITSM__CAP_KNOWLEDGE], created on first use): the
 * problems and knowledge articles, the only records a search reads, so
 * resolving an incident does not scan every record. Caught up lazily from
 * eng->recs (records never leave or change kind).
 */
#ifndef ITSM_SRC_KNOWLEDGE_INT_H
#define ITSM_SRC_KNOWLEDGE_INT_H

#include "core/core.h"
#include "capabilities.h"
#include "itsm/knowledge.h"

typedef struct itsm__kn {
    itsm_record  **ks;
    size_t         nks, cks, ks_seen;
} itsm__kn;

/* The decision a record would get at closure (linked, matched or
 * candidate: see itsm_knowledge_decide), without changing anything. Static
 * string; NULL on ENOMEM (message set). */
const char *itsm__knowledge_classify(itsm_engine *eng, itsm_record *rec);

extern const itsm__capability itsm__cap_knowledge;

#endif
