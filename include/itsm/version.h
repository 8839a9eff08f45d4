/* SPDX-License-Identifier: Apache-2.0 */
/*
 * itsm/version.h - compile-time and run-time version.
 *
 * What a version promises is the README's "Versioning": a minor release
 * only adds (a program built against 0.2 runs unchanged with any later 0.x
 * of the same soname, libitsm.so.0.2); a major release may break and
 * changes the soname.
 */
#ifndef ITSM_VERSION_H
#define ITSM_VERSION_H

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

#define ITSM_VERSION_MAJOR 0
#define ITSM_VERSION_MINOR 2
#define ITSM_VERSION_PATCH 0
#define ITSM_VERSION_STRING "0.2.0"
/* major * 10000 + minor * 100 + patch, comparable with < and >. */
#define ITSM_VERSION_NUMBER \
    (ITSM_VERSION_MAJOR * 10000 + ITSM_VERSION_MINOR * 100 + ITSM_VERSION_PATCH)

/* The version of the library actually linked, as ITSM_VERSION_NUMBER. A host
 * (or a binding loading the shared library) compares it with the header it
 * was built against. Never fails. */
ITSM_API int itsm_version_number(void);

/* The same as a string, e.g. "0.2.0". Static storage; never NULL. */
ITSM_API const char *itsm_version_string(void);

#ifdef __cplusplus
}
#endif
#endif
