/* SPDX-License-Identifier: Apache-2.0 */
/* The deadline queue as itsm/sla.h's itsm_due_view_earliest reads it with
 * no call (layout ITSM_DUE_LAYOUT): the view is the engine's slot of the
 * service levels' state, which a reset or a load replaces in it. */
#include "sla/sla_int.h"

#include <stddef.h>

/* What the reader takes: the state's first member is the queue's array
 * (never NULL: made with the engine), whose first entry begins with its
 * time, 8 bytes (itsm__heapent_at), later than any tick's time when empty.
 * A change of these must change the reader and bump ITSM_DUE_LAYOUT. */
_Static_assert(offsetof(itsm__slaeng, heap) == 0, "itsm_due_view: the queue first");
_Static_assert(offsetof(itsm__heapent, at) == 0 && sizeof(((itsm__heapent *)0)->at) == sizeof(itsm_time),
               "itsm_due_view: an entry begins with its time");
_Static_assert(ITSM__HEAP_NEVER > ITSM_TIME_MAX, "itsm_due_view: an empty queue is never due");

int itsm_due_layout(void) { return ITSM_DUE_LAYOUT; }

const itsm_due_view *itsm_engine_due_view(const itsm_engine *eng)
{
    return eng ? (const itsm_due_view *)(const void *)&eng->cap[ITSM__CAP_SERVICE_LEVELS] : NULL;
}
