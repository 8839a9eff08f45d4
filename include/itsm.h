/* SPDX-License-Identifier: Apache-2.0 */
/*
 * itsm.h - the whole public API of itsm, an embeddable library that holds
 * the process logic of IT service management.
 *
 * Include this, or the one header of the concern you need.
 */
#ifndef ITSM_H
#define ITSM_H

#include "itsm/common.h"
#include "itsm/version.h"
#include "itsm/errors.h"
#include "itsm/json.h"
#include "itsm/record.h"
#include "itsm/policy.h"
#include "itsm/event.h"
#include "itsm/engine.h"
#include "itsm/problem.h"
#include "itsm/handover.h"
#include "itsm/knowledge.h"
#include "itsm/sla.h"
#include "itsm/escalation.h"
#include "itsm/communication.h"
#include "itsm/report.h"
#include "itsm/conformance.h"
#include "itsm/condition.h"
#include "itsm/agreement.h"
#include "itsm/approval.h"
#include "itsm/change.h"
#include "itsm/request.h"
#include "itsm/integrity.h"
#include "itsm/satisfaction.h"
#include "itsm/whatif.h"
#include "itsm/migration.h"
#include "itsm/oncall.h"
#include "itsm/review.h"
#include "itsm/sys/store.h"

#endif
