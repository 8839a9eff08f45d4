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
} rp_input;

/* Read `n` files (n <= 4) of log `m`: every row parsed (rows it cannot
 * read are marked bad, not dropped). With limit > 0 only the rows of the
 * first `limit` cases (in file order). An input that ends early or is
 * damaged (gzip) is in->error: the rows read before it are kept.
 * Returns 0, or -1 with err filled when a file cannot be opened or has no
 * header of this log. */
int  rp_load(rp_input *in, const rp_mapper *m, const char *const *paths, int n, long limit, rp_pool *pool,
             char *err, size_t errcap);
void rp_input_free(rp_input *in);

/* Apply every row of `in` through rp (m->begin first, m->finish last), in
 * rp_order's order; rows that repeat an earlier one are skipped. `progress`
 * (may be NULL) is called every 1,024 rows. Returns 0, -1 when out of memory. */
int  rp_run(replay *rp, const rp_input *in, void (*progress)(void *user, size_t done, size_t total),
            void *user);

#endif
