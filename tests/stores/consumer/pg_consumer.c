/* SPDX-License-Identifier: Apache-2.0 */
/* A host of the installed libitsm-pg (tests/stores/check_install_stores.sh):
 * it links and runs; with no server to reach, opening must fail cleanly. */
#include <itsm.h>
#include <itsm/stores/pg.h>

#include <stdio.h>

int main(void)
{
    itsm_pg_opts o;
    itsm_pg *pg = NULL;
    char why[512] = "";
    int ok = itsm_pg_opts_init(&o, ITSM_PG_OPTS_VERSION) == ITSM_OK && itsm_pg_store()->append != NULL &&
             itsm_pg_open(&pg, "host=127.0.0.1 port=1 connect_timeout=2", &o, why, sizeof why) == ITSM_ESTORE &&
             pg == NULL && why[0] != '\0';
    printf("pg consumer: %s (%s)\n", ok ? "ok" : "FAILED", why);
    return ok ? 0 : 1;
}
