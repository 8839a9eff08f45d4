/* SPDX-License-Identifier: Apache-2.0 */
/* Helpers shared by the libitsm-sqlite tests (tests/stores/test_sqlite_*.c):
 * a temporary directory with one database file per test, SQL run on that
 * file straight, and a host - a
 * handle on that file with an engine over it at a virtual clock. */
#ifndef ITSM_TEST_SQLITE_HOST_H
#define ITSM_TEST_SQLITE_HOST_H

#include "store_records.h"

#include <itsm/stores/sqlite.h>
#include <sqlite3.h>

#include <stdio.h>
#include <stdlib.h>

/* The test's temporary directory (sqlite_tmpdir_make) and the file the
 * next host opens. */
static char store_dir[128];
static char path[256];

/* cmocka setup: a new file in the directory for the next test. */
static inline int setup(void **state)
{
    (void)state;
    static int n;
    snprintf(path, sizeof path, "%s/t%d.db", store_dir, n++);
    return 0;
}

/* Makes the directory from a mkdtemp pattern; 0, or 1 when it cannot. */
static inline int sqlite_tmpdir_make(const char *pattern)
{
    snprintf(store_dir, sizeof store_dir, "%s", pattern);
    return mkdtemp(store_dir) ? 0 : 1;
}

/* Removes the directory; the tests' result `rc`, or 1 when they passed but
 * the directory could not be removed. */
static inline int sqlite_tmpdir_remove(int rc)
{
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", store_dir);
    if (system(cmd) != 0)
        rc = rc ? rc : 1;
    return rc;
}

/* Runs `sql` on the file straight, past the store, as a hand edit. */
static inline void exec_raw(const char *sql)
{
    sqlite3 *db;
    char *err = NULL;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK)
        fail_msg("%s: %s", sql, err);
    sqlite3_close(db);
}

typedef struct host {
    itsm_sqlite *db;
    itsm_engine *eng;
    vclock       clock;
} host;

/* Opens `path` with `so` and an engine over it at the clock `now`, loaded
 * when `load`. */
static inline void sqlite_host_open(host *h, const itsm_sqlite_opts *so, itsm_time now, int load)
{
    char why[256];
    if (itsm_sqlite_open(&h->db, path, so, why, sizeof why) != ITSM_OK)
        fail_msg("open %s: %s", path, why);
    h->clock.now = now;
    itsm_engine_opts o = ITSM_ENGINE_OPTS_INIT;
    o.store = itsm_sqlite_store();
    o.store_user = h->db;
    o.clock = vclock_read;
    o.clock_user = &h->clock;
    assert_ok(itsm_engine_new(&h->eng, &o));
    if (load)
        assert_ok(itsm_engine_load(h->eng));
}

static inline void host_close(host *h)
{
    itsm_engine_free(h->eng);
    itsm_sqlite_close(h->db);
}

#endif
