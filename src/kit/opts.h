/* SPDX-License-Identifier: Apache-2.0 */
/* Internal: the one shape of every *_opts_init / *_def_init function, so
 * languages without macros get exactly what the INIT macro gives, and an
 * unknown version is refused the same way everywhere. */
#ifndef ITSM_SRC_OPTS_H
#define ITSM_SRC_OPTS_H

#include "itsm/errors.h"

#define ITSM__DEFINE_INIT(fn, type, version_macro, init_macro) \
    int fn(type *opts, unsigned version)                       \
    {                                                          \
        if (!opts || version != (version_macro))               \
            return ITSM_EINVAL;                                \
        type init_ = init_macro;                               \
        *opts = init_;                                         \
        return ITSM_OK;                                        \
    }

#endif
