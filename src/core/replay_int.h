/* SPDX-License-Identifier: Apache-2.0 */
/* Internal: replay's two readers of a stored event (core/replay.c, the
 * value tree of either form; core/replay_bin.c, the binary form as it
 * reads). */
#ifndef ITSM_SRC_CORE_REPLAY_INT_H
#define ITSM_SRC_CORE_REPLAY_INT_H

#include "core/core.h"

/* Not an error code: the event is the tree path's to read. */
#define ITSM__REPLAY_TREE (-1000)

/* Replay one event in the binary form without a value tree: ITSM_OK
 * (applied), a refusal of the apply step (the chain's check of the link
 * it carries, out of memory), or ITSM__REPLAY_TREE having changed no
 * record. */
int itsm__replay_bin(itsm_engine *eng, const void *data, size_t len);

#endif
