/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tools/logs.h - the logs itsm-replay knows, and reading one into memory.
 *
 * A mapper (uci.h, bpi.h, helpdesk.h, bpi_problems.h) turns one CSV row
 * into a row struct (parse) and one row struct into library calls
 * (apply). rp_load reads every row of a log's input files first, so the
 * replay itself (rp_run) times the library and the store only; rp_run
 * applies the rows in the order rp_order gives (replay.h).
 */
#ifndef ITSM_TOOLS_LOGS_H
#define ITSM_TOOLS_LOGS_H

#include "replay.h"

typedef struct rp_mapper {
    const char  *name;             /* the --log value */
    const char  *title;            /* for the report */
    rp_log_kind  kind;
    itsm_kind    record_kind;      /* what a case becomes */
    const char  *inputs[3];        /* default inputs, relative to data/ (NULL-terminated) */
    const char  *policy;           /* default policy document, relative to tools/ */
    size_t       row_size;
    /* the header of input `index`; NULL and err filled when it is not this log's */
    void *(*header)(char *line, size_t len, int index, char *err, size_t errcap);
    void  (*parse)(void *cols, rp_pool *pool, char *line, size_t len, long lineno, void *row);
    void  (*key)(const void *row, rp_rowkey *key);
    void  (*mark_cut)(void *row);
    int   (*same)(const void *rows, size_t a, size_t b);
    void  (*begin)(replay *rp);
    void  (*apply)(replay *rp, const void *row);
    void  (*finish)(replay *rp);
    char         sep;              /* the column separator */
    /* Optional: apply n rows one after another in memory (row structs,
     * from `rows`), as `apply` each, in the mapper's own loop (uci.h:
     * uci_apply_rows); rp_run gives it the runs of rows in file order it
     * needs nothing between. NULL: `apply` per row. */
    void  (*apply_rows)(replay *rp, const void *rows, size_t n);
} rp_mapper;

/* The mapper named `name` ("uci", "bpi", "helpdesk", "bpi-problems"); NULL if unknown. */
const rp_mapper *rp_mapper_find(const char *name);
/* "uci|bpi|helpdesk|bpi-problems", for the usage line. */
const char *rp_mapper_names(void);

/* A log read into memory. */
typedef struct rp_input {
    const rp_mapper *m;
    char          *rows;           /* n rows of m->row_size bytes */
    size_t         n, cap;
    rp_rowkey     *keys;
    unsigned char *file;           /* per row: the index of its input file */
    const char    *files[4];       /* interned paths */
    int            nfiles;
    const char    *error;          /* interned: an input that could not be read whole */
    long           error_line;     /* the last line read from it */
    int            nmaps;          /* columns carried into custom fields (rp_load_mapped) */
    const char   **mapped;         /* per row, nmaps values (interned; NULL: empty) */
} rp_input;

/* A log column carried into a custom field the replay's policy declares
 * (itsm-replay --map COLUMN=FIELD): after each row's own step, the row's
 * value of COLUMN is set on its record when it differs (one update event).
 * Text, symbol and enum fields take the value as it is; int a decimal
 * number, bool true/false/1/0, time an ISO 8601 time with an offset. A
 * value the policy refuses is not set and counted as a quirk with its
 * line; the row's own step stands. Closed records are left alone. */
enum { RP_MAX_MAPS = 8 };
typedef struct rp_colmap { const char *column, *field; } rp_colmap;

/* Read `n` files (n <= 4) of log `m`: every row parsed (rows it cannot
 * read are marked bad, not dropped). With limit > 0 only the rows of the
 * first `limit` cases (in file order). An input that ends early or is
 * damaged (gzip) is in->error: the rows read before it are kept.
 * Returns 0, or -1 with err filled when a file cannot be opened or has no
 * header of this log. */
int  rp_load(rp_input *in, const rp_mapper *m, const char *const *paths, int n, long limit, rp_pool *pool,
             char *err, size_t errcap);
/* rp_load, also keeping the values of `nmaps` (<= RP_MAX_MAPS) columns;
 * -1 with err filled when an input has no such column. */
int  rp_load_mapped(rp_input *in, const rp_mapper *m, const char *const *paths, int n, long limit, rp_pool *pool,
                    const rp_colmap *maps, int nmaps, char *err, size_t errcap);
void rp_input_free(rp_input *in);
/* Resolve the maps' fields in rp->eng's policy: each must be a custom
 * field. Returns 0, or -1 with err filled. */
int  rp_map_fields(replay *rp, const rp_colmap *maps, int nmaps, char *err, size_t errcap);
/* tools/colmap.c, for rp_load_mapped and rp_run: the maps' column
 * positions in a header; one row's values into in->mapped (buf: a scratch
 * copy of the line, grown as needed); a row's values onto its record. */
int  rp__map_header(rp_input *in, const char *line, size_t len, const rp_colmap *maps, int nmaps, int *pos,
                    char *err, size_t errcap);
int  rp__map_row(rp_input *in, rp_pool *pool, char **buf, size_t *cap, const char *line, size_t len,
                 const int *pos, size_t row);
void rp__map_carry(replay *rp, const rp_input *in, size_t row);

/* Apply every row of `in` through rp (m->begin first, m->finish last), in
 * rp_order's order; rows that repeat an earlier one are skipped. `progress`
 * (may be NULL) is called every 1,024 rows. Returns 0, -1 when out of memory. */
int  rp_run(replay *rp, const rp_input *in, void (*progress)(void *user, size_t done, size_t total),
            void *user);

#endif
