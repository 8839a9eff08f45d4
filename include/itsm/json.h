/* SPDX-License-Identifier: Apache-2.0 */
/*
 * itsm/json.h - limits and error report of the one JSON reader.
 *
 * Events, the policy document and handover packets are all read by the same
 * strict reader: RFC 8259 JSON, valid UTF-8 only, no duplicate object keys,
 * nothing but white space after the value, and bounded by the limits below.
 * A failure fills a caller-supplied itsm_parse_error (as jansson's
 * json_error_t does), so a host can point at the exact spot.
 */
#ifndef ITSM_JSON_H
#define ITSM_JSON_H

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Bounds the reader enforces; exceeding one is ITSM_ELIMIT with a position.
 * A zero field means "use the default". */
typedef struct itsm_json_limits {
    size_t max_document;   /* bytes in one document (default 16 MiB) */
    size_t max_string;     /* bytes in one decoded string (default 1 MiB) */
    size_t max_depth;      /* nesting of arrays and objects (default 64) */
} itsm_json_limits;

#define ITSM_JSON_DEFAULT_MAX_DOCUMENT ((size_t)16 * 1024 * 1024)
#define ITSM_JSON_DEFAULT_MAX_STRING   ((size_t)1024 * 1024)
#define ITSM_JSON_DEFAULT_MAX_DEPTH    ((size_t)64)

#define ITSM_PARSE_ERROR_TEXT 160

/* Where and why a document was refused. Lines and columns count from 1;
 * the column counts bytes. For a schema error (valid JSON, wrong content)
 * the position is that of the offending value. */
typedef struct itsm_parse_error {
    int    code;                        /* ITSM_EPARSE, ITSM_ELIMIT or ITSM_ENOMEM; ITSM_EPOLICY from
                                           itsm_policy_from_json on findings (line, column 0) */
    size_t line;
    size_t column;
    size_t offset;                      /* byte offset from the start */
    char   text[ITSM_PARSE_ERROR_TEXT]; /* e.g. "duplicate key 'state'" */
} itsm_parse_error;

#ifdef __cplusplus
}
#endif
#endif
