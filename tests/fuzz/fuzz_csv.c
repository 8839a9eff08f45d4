/* SPDX-License-Identifier: Apache-2.0 */
#define _POSIX_C_SOURCE 200809L
/*
 * libFuzzer target: the replay tool's CSV readers (tools/uci.c, tools/bpi.c,
 * tools/helpdesk.c, over tools/csv.c). The first byte's two low bits pick
 * the format (0: UCI, 1: BPI 2013 incidents, 2: the help desk log, 3: BPI
 * 2013 problems); when the rest does not start with a header the format
 * accepts, the real header is put in front, so the fuzzer spends its time
 * in the row parser. Every line must parse without a crash: a row the reader cannot
 * use is marked bad, never half-read; a time either parses to a real date
 * or is refused.
 *
 * fuzz-build: -Itools tools/csv.c tools/uci.c tools/bpi.c tools/helpdesk.c tools/replay.c -lz
 */
#include "uci.h"
#include "bpi.h"
#include "helpdesk.h"
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
static const char hd_header[] =
    "Case ID,Activity,Resource,Complete Timestamp,seriousness,customer,product,responsible_section,"
    "seriousness_2,service_level,service_type,support_section,workgroup";
static const char problem_header[] =
    "Problem Number;Problem Change Date+Time;Problem Sub Status;Problem Status;Problem Latest Impact;"
    "Problem Involved ST Org line 3;Problem Involved ST Function Div;Problem Involved Owner ST;Product;"
    "Country;Problem Involved Action Owner Country;Problem Involved Action Owner First Name";

enum { F_UCI, F_BPI, F_HD, F_PROBLEMS };

static void *header(int fmt, char *line)
{
    char err[256];
    size_t n = strlen(line);
    switch (fmt) {
    case F_UCI: return uci_parse_header(line, n, err, sizeof err);
    case F_BPI: return bpi_parse_header(&bpi_incident_names, line, n, err, sizeof err);
    case F_HD: return hd_parse_header(line, n, err, sizeof err);
    default: return bpi_parse_header(&bpi_problem_names, line, n, err, sizeof err);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0 || size > 64 * 1024)
        return 0;
    int fmt = data[0] & 3;
    char *text = malloc(size);
    memcpy(text, data + 1, size - 1);
    text[size - 1] = '\0';
    rp_pool *pool = rp_pool_new();

    /* The header: the input's first line if the reader accepts it. */
    char *nl = strchr(text, '\n');
    char *first = strndup(text, nl ? (size_t)(nl - text) : strlen(text));
    void *cols = header(fmt, first);
    free(first);
    char *rows = nl ? nl + 1 : text + strlen(text);
    if (!cols) {
        static const char *const real[4] = { uci_header, bpi_header, hd_header, problem_header };
        char *h = strdup(real[fmt]);
        cols = header(fmt, h);
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
        itsm_time t = fmt == F_UCI ? rp_time_dmy(line, len) : rp_time_iso(line, len);
        if (t != ITSM_TIME_NONE && t < 0)
            abort();
        if (fmt == F_UCI) {
            uci_row row;
            uci_parse_row(cols, pool, line, len, lineno, &row);
        } else if (fmt == F_HD) {
            hd_row row;
            hd_parse_row(cols, pool, line, len, lineno, &row);
        } else {
            bpi_row row;
            bpi_parse_row(cols, pool, line, len, lineno, &row);
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
