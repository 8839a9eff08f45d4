/* SPDX-License-Identifier: Apache-2.0 */
/* A host of the installed libitsm-sqlite (tests/stores/check_install_stores.sh):
 * one change into a database in memory, read back by a second engine. */
#include <itsm.h>
#include <itsm/stores/sqlite.h>

#include <stdio.h>

int main(void)
{
    itsm_sqlite *db;
    char why[256];
    if (itsm_sqlite_open(&db, ":memory:", NULL, why, sizeof why) != ITSM_OK) {
        fprintf(stderr, "%s\n", why);
        return 1;
    }
    itsm_engine_opts o = ITSM_ENGINE_OPTS_INIT;
    o.store = itsm_sqlite_store();
    o.store_user = db;
    itsm_engine *a = NULL, *b = NULL;
    itsm_record *r = NULL;
    itsm_record_opts ro = ITSM_RECORD_OPTS_INIT;
    uint64_t n = 0;
    int ok = itsm_engine_new(&a, &o) == ITSM_OK && itsm_record_open(&r, a, &ro) == ITSM_OK &&
             itsm_engine_new(&b, &o) == ITSM_OK && itsm_engine_load(b) == ITSM_OK &&
             itsm_engine_record_count(b) == 1 && itsm_sqlite_count(db, &n) == ITSM_OK &&
             n == 2;   /* the open and its version's document */
    itsm_engine_free(a);
    itsm_engine_free(b);
    itsm_sqlite_close(db);
    printf("sqlite consumer: %s\n", ok ? "ok" : "FAILED");
    return ok ? 0 : 1;
}
