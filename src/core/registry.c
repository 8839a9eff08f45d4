/* SPDX-License-Identifier: Apache-2.0 */
/* The registry of extension event classes (see itsm__evclass in
 * engine_int.h). A capability that adds event types declares its classes
 * in its own file and lists them here. */
#include "core/core.h"
#include "sla/sla_int.h"   /* service levels, escalation, major incidents (issue 3) */

extern const itsm__evclass itsm__evc_handover_propose;     /* src/handover.c */
extern const itsm__evclass itsm__evc_handover_acknowledge;
extern const itsm__evclass itsm__evc_handover_reject;

const itsm__evclass *const itsm__ev_classes[] = {
    &itsm__evc_handover_propose,
    &itsm__evc_handover_acknowledge,
    &itsm__evc_handover_reject,
    /* src/sla_events.c */
    &itsm__xclasses[ITSM__X_WARNING], &itsm__xclasses[ITSM__X_BREACH], &itsm__xclasses[ITSM__X_STEP],
    &itsm__xclasses[ITSM__X_FUNCTIONAL], &itsm__xclasses[ITSM__X_OVERDUE], &itsm__xclasses[ITSM__X_AC_BLOCKED],
    &itsm__xclasses[ITSM__X_SLA_SET], &itsm__xclasses[ITSM__X_MAJ_PROPOSED], &itsm__xclasses[ITSM__X_MAJ_DECIDED],
    &itsm__xclasses[ITSM__X_MAJ_COMMS], &itsm__xclasses[ITSM__X_MAJ_GROUPS], &itsm__xclasses[ITSM__X_MAJ_MISSED],
    &itsm__xclasses[ITSM__X_OUTAGE], &itsm__xclasses[ITSM__X_OUTAGE_END],
    NULL
};
