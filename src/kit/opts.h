/* SPDX-License-Identifier: Apache-2.0 */
/* Internal: the one shape of every *_opts_init / *_def_init function, so
 * languages without macros get exactly what the INIT macro gives, and an
 * unknown version is refused the same way everywhere. */
#ifndef ITSM_SRC_OPTS_H
#define ITSM_SRC_OPTS_H

#include <string.h>

#include "itsm/errors.h"

/* For a struct with one version so far. */
#define ITSM__DEFINE_INIT(fn, type, version_macro, init_macro) \
    int fn(type *opts, unsigned version)                       \
    {                                                          \
        if (!opts || version != (version_macro))               \
            return ITSM_EINVAL;                                \
        type init_ = init_macro;                               \
        *opts = init_;                                         \
        return ITSM_OK;                                        \
    }

/* The same for a struct with several versions: `size_of` is an
 * expression giving the size of version `version` (1..current, see
 * ITSM__END in abi.h); an older version gets only its own members
 * written, with the values the INIT macro gives them. */
#define ITSM__DEFINE_INIT_SIZED(fn, type, version_macro, init_macro, size_of) \
    int fn(type *opts, unsigned version)                                     \
    {                                                                        \
        if (!opts || version < 1 || version > (version_macro))               \
            return ITSM_EINVAL;                                              \
        type init_ = init_macro;                                             \
        init_.version = version;                                             \
        memcpy(opts, &init_, (size_of));                                     \
        return ITSM_OK;                                                      \
    }

#endif
