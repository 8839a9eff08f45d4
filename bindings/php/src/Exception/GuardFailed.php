<?php
// SPDX-License-Identifier: Apache-2.0
declare(strict_types=1);

namespace Itsm\Exception;

use Itsm\GuardNeed;
use Itsm\Internal\Native;

/**
 * ITSM_EGUARD: the transition exists but a guard failed; the message names
 * the state, the event and every term still missing, and $missing gives
 * them as GuardNeed values (a form can mark the fields).
 */
class GuardFailed extends TransitionRefused
{
    public const CODE = Native::ITSM_EGUARD;

    /** @var list<GuardNeed> the guard terms the record did not meet, in the policy's order */
    public array $missing = [];

    /**
     * @internal set by the engine that raised it
     * @param list<GuardNeed> $missing
     */
    public function setMissing(array $missing): void
    {
        $this->missing = $missing;
    }
}
