/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Internal: what the core owns - records, events, the batch that carries a
 * step's events to the store and applies them, and the engine that holds
 * them. Capabilities (core/capability.h) build on these calls; the core
 * never calls a capability by name.
 *
 * Sources include this header; it includes its parts in the order they
 * build on each other:
 *   core/record.h           the record, its fields by slot, its block
 *   core/event.h            event types and classes, struct itsm_event
 *   core/hooks.h            the hook lists' masks
 *   core/engine_int.h       struct itsm_engine, its versions, its errors
 *   core/versions.h         policy versions
 *   core/engine_services.h  entry, clock, symbols, lifecycles, transitions
 *   core/batch_commit.h     the batch: begin, commit or abort, replay
 *   core/finalise.h         values into events, finalise, field views
 *   core/step.h             opening records, firing events inside a step
 *
 * The life of a step (docs/architecture.md draws it):
 *   itsm__batch_begin
 *   itsm__batch_add / itsm__batch_open / itsm__batch_fire   build events;
 *     values enter an event only through itsm__propose_* (checked by the
 *     one value checker, kit/value.h)
 *   itsm__batch_commit
 *     finalise every event (core/finalise.c: what the policy derives)
 *     capabilities' extend (derived events; finalised in turn)
 *     capabilities' reserve (so that apply cannot fail)
 *     store.append                    refused: dispose, nothing changed
 *     apply each event (capabilities' before_apply / after_apply around it)
 *     the event sink
 *   or itsm__batch_abort
 * Replay builds the same events from their JSON, finalises them in replay
 * mode (checked, nothing derived: the stored event is the truth) and
 * applies them through the same apply.
 */
#ifndef ITSM_SRC_CORE_CORE_H
#define ITSM_SRC_CORE_CORE_H

#include "itsm/engine.h"
#include "itsm/errors.h"
#include "core/capability.h"
#include "core/fields.h"
#include "kit/alloc.h"
#include "kit/err.h"
#include "kit/hash.h"
#include "policy/policy_int.h"

/* Inline whatever the compiler thinks: the steps of the one-event path
 * (core/fire.c, core/batch.c), where a call costs more than the work. */
#if defined(__GNUC__)
#define ITSM__ALWAYS_INLINE static inline __attribute__((always_inline))
#else
#define ITSM__ALWAYS_INLINE static inline
#endif

#include "core/record.h"
#include "core/event.h"
#include "core/hooks.h"
#include "core/engine_int.h"
#include "core/versions.h"
#include "core/engine_services.h"
#include "core/batch_commit.h"
#include "core/finalise.h"
#include "core/step.h"

#endif
