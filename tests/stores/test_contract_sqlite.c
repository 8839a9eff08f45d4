/* SPDX-License-Identifier: Apache-2.0 */
/* The store contract against libitsm-sqlite: one file per name in a
 * temporary directory; handles on one name are connections to one file.
 * With the argument "binary" the store keeps events in their binary form;
 * with "pipelined" a group's INSERTs run on the handle's writer thread. */
#define _POSIX_C_SOURCE 200809L /* mkdtemp */
#include "contract.h"

#include <itsm/stores/sqlite.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char dir[] = "/tmp/itsm-contract-sqlite.XXXXXX";
static int form = ITSM_SQLITE_FORM_JSON, pipeline = 0;

static void path_of(char *buf, size_t cap, const char *where, const char *suffix)
{
    snprintf(buf, cap, "%s/%s.db%s", dir, where, suffix);
}

static void sq_wipe(const char *where)
{
    static const char *const suffixes[] = { "", "-wal", "-shm" };
    for (int i = 0; i < 3; i++) {
        char p[256];
        path_of(p, sizeof p, where, suffixes[i]);
        unlink(p);
    }
}

static int sq_open(void **out, const char *where)
{
    char p[256], err[512];
    path_of(p, sizeof p, where, "");
    itsm_sqlite_opts o = ITSM_SQLITE_OPTS_INIT;
    o.form = form;
    o.pipeline = pipeline;
    int rc = itsm_sqlite_open((itsm_sqlite **)out, p, &o, err, sizeof err);
    if (rc != ITSM_OK)
        fprintf(stderr, "%s\n", err);
    return rc;
}

static void sq_close(void *h) { itsm_sqlite_close(h); }
static int sq_catch_up(void *h, itsm_engine *eng, size_t *n) { return itsm_sqlite_catch_up(h, eng, n); }
static int sq_count(void *h, uint64_t *n) { return itsm_sqlite_count(h, n); }
static const char *sq_errmsg(void *h) { return itsm_sqlite_errmsg(h); }

int main(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "binary") == 0)
            form = ITSM_SQLITE_FORM_BINARY;
        else if (strcmp(argv[i], "pipelined") == 0)
            pipeline = 1;
    }
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 1;
    }
    static contract_driver d = { "libitsm-sqlite", 1, sq_wipe, sq_open, sq_close, itsm_sqlite_store,
                                       sq_catch_up, sq_count, sq_errmsg };
    if (form == ITSM_SQLITE_FORM_BINARY)
        d.name = pipeline ? "libitsm-sqlite (binary form, pipelined groups)" : "libitsm-sqlite (binary form)";
    else if (pipeline)
        d.name = "libitsm-sqlite (pipelined groups)";
    int rc = contract_run(&d, ITSM_CONTRACT_CASES);
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", dir);
    return rc;
}
