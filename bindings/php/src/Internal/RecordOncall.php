<?php
// SPDX-License-Identifier: Apache-2.0
declare(strict_types=1);

namespace Itsm\Internal;

use FFI;
use Itsm\Oncall;

/**
 * The Record calls of on-call escalation (oncall.h): paging an incident
 * under an escalation policy of the policy (Policy::addOncall()), the
 * acknowledgement that stops the climb, the climb itself and the alerts
 * the incident took in (Engine::ingestAlert()).
 *
 * @internal part of Record
 */
trait RecordOncall
{
    /**
     * Page this open incident under escalation policy $policy: step 1 now
     * (an event). NotFound for an unknown policy, AlreadyExists while a
     * climb runs, StateError once resolved, InvalidArgument for a record
     * that is not an incident.
     */
    public function page(string $policy): static
    {
        return $this->mutate('itsm_oncall_page', Convert::str($policy, 'policy'));
    }

    /**
     * Acknowledge the page as $by (a target of the escalation policy): the
     * climb stops. InvalidArgument for anyone else, AlreadyExists when
     * acknowledged, StateError when never paged or stopped by the
     * resolution.
     */
    public function acknowledgePage(string $by): static
    {
        return $this->mutate('itsm_oncall_acknowledge', Convert::str($by, 'by'));
    }

    /** The climb; null when the incident was never paged. */
    public function oncall(): ?Oncall
    {
        $o = Native::result('itsm_oncall_info');
        $rc = Native::ffi()->itsm_record_oncall(FFI::addr($o), $this->ptr());
        if ($rc === Native::ITSM_ENOTFOUND) {
            return null;
        }
        $this->engine->check($rc);
        $status = (int) $o->status;
        return new Oncall(Native::ONCALL_STATUS[$status] ?? (string) $status, (string) $o->policy, (int) $o->step,
            (int) $o->round, (int) $o->pages, Convert::fromC((int) $o->due), $o->acked_by,
            Convert::fromC((int) $o->acked_at));
    }

    /** The alerts this incident took in (the one that opened it counts); 0: none. */
    public function alertCount(): int
    {
        return (int) Native::ffi()->itsm_record_alert_count($this->ptr());
    }
}
