/* SPDX-License-Identifier: Apache-2.0 */
/*
 * umbrella.c - the public headers, compiled as a strict C11 consumer would
 * (ctest: header_c_pedantic, -std=c11 -Wall -Wextra -pedantic -Werror).
 *
 * Nothing here runs; the test is that this compiles cleanly. The *_INIT
 * macros are expanded so that a struct that gains a field without its
 * initializer following (-Wmissing-field-initializers) is caught here.
 */
#include <itsm.h>
/* Every header again, one by one: include guards must hold. */
#include <itsm/common.h>
#include <itsm/version.h>
#include <itsm/errors.h>
#include <itsm/json.h>
#include <itsm/record.h>
#include <itsm/policy.h>
#include <itsm/event.h>
#include <itsm/engine.h>
#include <itsm/sys/store.h>
#include <itsm.h>

_Static_assert(sizeof(itsm_time) == 8, "itsm_time is 64 bits");
_Static_assert(ITSM_VERSION_NUMBER ==
               ITSM_VERSION_MAJOR * 10000 + ITSM_VERSION_MINOR * 100 + ITSM_VERSION_PATCH,
               "ITSM_VERSION_NUMBER");
_Static_assert(ITSM_OK == 0, "ITSM_OK is 0");

int itsm_umbrella_c(void);

int itsm_umbrella_c(void)
{
    itsm_engine_opts    eo = ITSM_ENGINE_OPTS_INIT;
    itsm_record_opts    ro = ITSM_RECORD_OPTS_INIT;
    itsm_note_opts      no = ITSM_NOTE_OPTS_INIT;
    itsm_transition_def td = ITSM_TRANSITION_DEF_INIT;
    itsm_store          st = { ITSM_STORE_VERSION, NULL, NULL, NULL, NULL, NULL };
    itsm_change         ch = { ITSM_F_ASSIGNMENT_GROUP, "service_desk", 0 };
    int (*version_fn)(void) = itsm_version_number;

    (void)ch;
    return (int)(eo.version + ro.version + no.version + td.version) + st.version
           + (version_fn == NULL) + ITSM_VERSION_NUMBER;
}
