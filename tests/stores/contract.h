/* SPDX-License-Identifier: Apache-2.0 */
/*
 * contract.h - the store contract (include/itsm/sys/store.h) as one suite
 * that every store runs. A store takes part through a driver; each
 * tests/stores/test_contract_<store>.c is a driver and a main calling
 * contract_run. The cases are listed in tests/stores/contract_cases.txt,
 * which the Python stores' suite (bindings/python/tests/test_store_contract.py)
 * follows too; both check that they run exactly that list.
 */
#ifndef ITSM_TEST_CONTRACT_H
#define ITSM_TEST_CONTRACT_H

#include <itsm.h>

#include <stdint.h>

typedef struct contract_driver {
    const char *name;
    /* The data outlives the process: kill-and-reload kills a child
     * process mid-run instead of dropping an engine. */
    int persistent;
    /* Make the store named `where` empty. Handles opened on the same
     * `where` afterwards share its events (as engines on one file or
     * database do). */
    void (*wipe)(const char *where);
    /* A handle on `where`: ITSM_OK, or a code with the reason printed. */
    int (*open)(void **handle, const char *where);
    void (*close)(void *handle);
    const itsm_store *(*methods)(void);
    /* Replay into eng what the store holds after the handle's position;
     * *nread gets the number of events read. */
    int (*catch_up)(void *handle, itsm_engine *eng, size_t *nread);
    int (*count)(void *handle, uint64_t *n);
    /* Why the handle's last call failed. */
    const char *(*errmsg)(void *handle);
} contract_driver;

/* Run every case of the contract against the driver's store; the cmocka
 * result (0 when all passed). `cases_file` is contract_cases.txt: the
 * suite first checks that it runs exactly the cases listed there. */
int contract_run(const contract_driver *d, const char *cases_file);

#endif
