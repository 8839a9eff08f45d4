/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tools/csv.h - reading the logs' CSV files: lines of a plain or gzip file,
 * fields of a line, and the logs' timestamps, without sscanf and without an
 * allocation per line or field.
 *
 * Strict on purpose: a gzip stream that ends early (cut mid-file, or only
 * its 8-byte trailer missing) or fails its check is an error the caller
 * reports; a last line with no line end is flagged as cut (its last field
 * may be incomplete); a date that does not exist (30/2/2016, 31/4/2016) is
 * refused, never rolled over into the next month.
 */
#ifndef ITSM_TOOLS_CSV_H
#define ITSM_TOOLS_CSV_H

#include <itsm.h>
#include <stddef.h>
#include <stdint.h>

/* ---- lines ---- */

typedef struct rp_lines rp_lines;

/* Open a plain or gzip file (zlib reads both). NULL and errno on failure. */
rp_lines *rp_lines_open(const char *path);
/* The next line without its LF / CRLF, NUL-terminated and writable until the
 * next call; NULL at the end of the input (or on a read error: see
 * rp_lines_error). *len gets its length; *cut (may be NULL) is 1 when the
 * line ended at the end of the input without a line end. */
char       *rp_lines_next(rp_lines *l, size_t *len, int *cut);
/* After rp_lines_next returned NULL: NULL when the input was read whole and
 * intact, else what went wrong ("gzip stream ends early (unexpected end of
 * file)", "gzip data fails its check ..."). Borrowed until rp_lines_close. */
const char *rp_lines_error(const rp_lines *l);
void        rp_lines_close(rp_lines *l);

/* ---- fields ---- */

enum { RP_MAX_FIELDS = 64 };

typedef struct rp_fields {
    int      n;                       /* fields found; > RP_MAX_FIELDS: too many */
    char    *p[RP_MAX_FIELDS];        /* NUL-terminated in place */
    uint32_t len[RP_MAX_FIELDS];
} rp_fields;

/* Split `line` (len bytes, NUL-terminated) in place at `sep`. No quoting:
 * none of the logs quotes a field. */
void rp_split(rp_fields *f, char *line, size_t len, char sep);

/* ---- time ---- */

/* Days in month m (1..12) of year y (proleptic Gregorian); 0 for a bad month. */
unsigned  rp_days_in_month(long long y, unsigned m);
/* Days since 1970-01-01 of a civil date (proleptic Gregorian). */
long long rp_days_from_civil(long long y, unsigned m, unsigned d);
/* "D/M/YYYY HH:MM" (day and month of 1 or 2 digits, minutes of 2), as UTC;
 * ITSM_TIME_NONE if malformed or not a real date. */
itsm_time rp_time_dmy(const char *s, size_t n);
/* "YYYY-MM-DDTHH:MM:SS+HH:MM" (or -HH:MM, or Z), converted to UTC;
 * ITSM_TIME_NONE if malformed or not a real date. */
itsm_time rp_time_iso(const char *s, size_t n);

/* ---- text ---- */

/* ISO-8859-1 -> UTF-8 into out (cap >= 2 * n + 1); returns the length. */
size_t rp_latin1_to_utf8(const char *in, size_t n, char *out, size_t cap);

#endif
