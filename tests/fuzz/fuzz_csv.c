/* SPDX-License-Identifier: Apache-2.0 */
#define _POSIX_C_SOURCE 200809L
/*
 * libFuzzer target: the replay tool's CSV readers (tools/uci.c, tools/bpi.c,
 * over tools/csv.c). The first byte picks the format (even: UCI, odd: BPI
 * 2013); when the rest does not start with a header the format accepts, the
 * real header is put in front, so the fuzzer spends its time in the row
 * parser. Every line must parse without a crash: a row the reader cannot
 * use is marked bad, never half-read; a time either parses to a real date
 * or is refused.
 *
 * fuzz-build: -Itools tools/csv.c tools/uci.c tools/bpi.c tools/replay.c -lz
 */
#include "uci.h"
#include "bpi.h"
#include "replay.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static const char uci_header[] =
    "number,incident_state,active,reassignment_count,reopen_count,sys_mod_count,made_sla,"
    "caller_id,opened_by,opened_at,sys_created_by,sys_created_at,sys_updated_by,sys_updated_at,"
    "contact_type,location,category,subcategory,u_symptom,cmdb_ci,impact,urgency,priority,"
    "assignment_group,assigned_to,knowledge,u_priority_confirmation,notify,problem_id,rfc,vendor,"
    "caused_by,closed_code,resolved_by,resolved_at,closed_at";
static const char bpi_header[] =
    "SR Number;Change Date+Time;Status;Sub Status;Involved ST Function Div;Involved Org line 3;"
    "Involved ST;SR Latest Impact;Product;Country;Owner Country;Owner First Name";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0 || size > 64 * 1024)
        return 0;
    int bpi = data[0] & 1;
    char *text = malloc(size);
    memcpy(text, data + 1, size - 1);
    text[size - 1] = '\0';
    rp_pool *pool = rp_pool_new();
    char err[256];

    /* The header: the input's first line if the reader accepts it. */
    char *nl = strchr(text, '\n');
    char *first = strndup(text, nl ? (size_t)(nl - text) : strlen(text));
    size_t flen = strlen(first);
    void *cols = bpi ? (void *)bpi_parse_header(&bpi_incident_names, first, flen, err, sizeof err)
                     : (void *)uci_parse_header(first, flen, err, sizeof err);
    free(first);
    char *rows = nl ? nl + 1 : text + strlen(text);
    if (!cols) {
        char *h = strdup(bpi ? bpi_header : uci_header);
        cols = bpi ? (void *)bpi_parse_header(&bpi_incident_names, h, strlen(h), err, sizeof err)
                   : (void *)uci_parse_header(h, strlen(h), err, sizeof err);
        free(h);
        rows = text;
        if (!cols)
            abort();   /* the real header must always be accepted */
    }
    long lineno = 2;
    for (char *line = rows; *line; lineno++) {
        char *end = strchr(line, '\n');
        if (end)
            *end = '\0';
        size_t len = strlen(line);
        /* the time readers on their own: a real date or refused */
        itsm_time t = bpi ? rp_time_iso(line, len) : rp_time_dmy(line, len);
        if (t != ITSM_TIME_NONE && t < 0)
            abort();
        if (bpi) {
            bpi_row row;
            bpi_parse_row(cols, pool, line, len, lineno, &row);
        } else {
            uci_row row;
            uci_parse_row(cols, pool, line, len, lineno, &row);
        }
        if (!end)
            break;
        line = end + 1;
    }
    free(cols);
    rp_pool_free(pool);
    free(text);
    return 0;
}
